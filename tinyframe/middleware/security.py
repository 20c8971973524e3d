"""SecurityMiddleware: the response headers that make browsers safer, and HTTPS redirects.

How it works: the settings are read once, when the chain is built.
``process_request`` redirects a plain HTTP request to HTTPS when
``SECURE_SSL_REDIRECT`` is on (to ``SECURE_SSL_HOST`` if set; paths matching
a regex of ``SECURE_REDIRECT_EXEMPT`` are left alone). ``process_response``
adds, unless the response already has them:

- ``Strict-Transport-Security`` (HSTS), on HTTPS responses only, when
  ``SECURE_HSTS_SECONDS`` is set: the browser then refuses plain HTTP for
  this site for that long (plus ``includeSubDomains`` and ``preload``);
- ``X-Content-Type-Options: nosniff``: never guess a type other than the one sent;
- ``Referrer-Policy``: how much of this site's URLs other sites learn;
- ``Cross-Origin-Opener-Policy``: keep pages of other sites opened from this
  one out of its browsing context.
"""

import re

from tinyframe.conf import settings
from tinyframe.http import HttpResponsePermanentRedirect
from tinyframe.utils.deprecation import MiddlewareMixin


class SecurityMiddleware(MiddlewareMixin):
    """HSTS, nosniff, Referrer-Policy and Cross-Origin-Opener-Policy headers, and the HTTPS redirect."""

    def __init__(self, get_response):
        super().__init__(get_response)
        self.sts_seconds = settings.SECURE_HSTS_SECONDS
        self.sts_include_subdomains = settings.SECURE_HSTS_INCLUDE_SUBDOMAINS
        self.sts_preload = settings.SECURE_HSTS_PRELOAD
        self.content_type_nosniff = settings.SECURE_CONTENT_TYPE_NOSNIFF
        self.redirect = settings.SECURE_SSL_REDIRECT
        self.redirect_host = settings.SECURE_SSL_HOST
        self.redirect_exempt = [re.compile(pattern) for pattern in settings.SECURE_REDIRECT_EXEMPT]
        self.referrer_policy = referrer_policy_value(settings.SECURE_REFERRER_POLICY)
        self.cross_origin_opener_policy = settings.SECURE_CROSS_ORIGIN_OPENER_POLICY
        # The headers every response gets (unless it has them), worked out once.
        self.headers = [
            (name, value)
            for name, value in (
                ("X-Content-Type-Options", "nosniff" if self.content_type_nosniff else None),
                ("Referrer-Policy", self.referrer_policy),
                ("Cross-Origin-Opener-Policy", self.cross_origin_opener_policy),
            )
            if value
        ]

    def process_request(self, request):
        """Redirect (301) a plain HTTP request to the same URL over HTTPS, unless its path is exempt."""
        if not self.redirect or request.is_secure():
            return None
        path = request.path.lstrip("/")
        if any(pattern.search(path) for pattern in self.redirect_exempt):
            return None
        host = self.redirect_host or request.get_host()
        return HttpResponsePermanentRedirect(f"https://{host}{request.get_full_path()}")

    def process_response(self, request, response):
        """Add each security header the settings ask for and the response does not have yet."""
        if self.sts_seconds and request.is_secure() and "Strict-Transport-Security" not in response.headers:
            value = f"max-age={self.sts_seconds}"
            if self.sts_include_subdomains:
                value += "; includeSubDomains"
            if self.sts_preload:
                value += "; preload"
            response.headers["Strict-Transport-Security"] = value
        for name, value in self.headers:
            if name not in response.headers:
                response.headers[name] = value
        return response


def referrer_policy_value(setting) -> str:
    """The Referrer-Policy header for the setting: a comma-separated string or a list of policies.

    Several policies are a fallback list: a browser uses the last it knows.

    >>> referrer_policy_value("no-referrer, strict-origin-when-cross-origin")
    'no-referrer,strict-origin-when-cross-origin'
    >>> referrer_policy_value(["no-referrer", "same-origin"])
    'no-referrer,same-origin'
    >>> referrer_policy_value(None) is None
    True
    """
    if not setting:
        return setting
    if isinstance(setting, str):
        return ",".join(value.strip() for value in setting.split(","))
    return ",".join(setting)
