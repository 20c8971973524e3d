"""CommonMiddleware: refuse listed user agents, add a missing slash or ``www.``, set Content-Length.

How it works: ``process_request`` refuses a client whose User-Agent matches a
regex of ``DISALLOWED_USER_AGENTS`` (403, by raising PermissionDenied) and, with
``PREPEND_WWW``, redirects ``example.com`` to ``www.example.com``.
``process_response`` handles ``APPEND_SLASH``: when the view answered 404 for
``/about`` and ``/about/`` has a view, it redirects there (301), keeping the
query string; a path that resolves is never redirected, so a view may answer
without a slash if its URL has none. Last, it sets ``Content-Length`` on
responses that are not streamed.

A redirect turns a POST into a GET and loses its body, so with DEBUG on a
POST (PUT, PATCH, DELETE) that would be redirected is a RuntimeError instead,
telling the developer to fix the form's URL.
"""

import re

from tinyframe.conf import settings
from tinyframe.core.exceptions import PermissionDenied
from tinyframe.http import HttpResponsePermanentRedirect
from tinyframe.urls import is_valid_path
from tinyframe.utils.deprecation import MiddlewareMixin
from tinyframe.utils.http import escape_leading_slashes


class CommonMiddleware(MiddlewareMixin):
    """Forbidden user agents, APPEND_SLASH and PREPEND_WWW redirects, and Content-Length."""

    # A subclass may redirect with 302 instead (HttpResponseRedirect).
    response_redirect_class = HttpResponsePermanentRedirect

    def process_request(self, request):
        """Refuse forbidden user agents; redirect to ``www.`` when PREPEND_WWW asks for it."""
        user_agent = request.META.get("HTTP_USER_AGENT")
        if user_agent is not None:
            for user_agent_regex in settings.DISALLOWED_USER_AGENTS:
                # re.compile returns a compiled pattern as it is, and compiles a string.
                if re.compile(user_agent_regex).search(user_agent):
                    raise PermissionDenied("Forbidden user agent")
        # Checking the Host here (DisallowedHost: 400) keeps a forged one away
        # from every layer inside this one, not only from the view.
        host = request.get_host()
        if settings.PREPEND_WWW and host and not host.startswith("www."):
            # Append the slash in the same redirect, rather than in a second one.
            if self.should_redirect_with_slash(request):
                path = self.get_full_path_with_slash(request)
            else:
                path = request.get_full_path()
            return self.response_redirect_class(f"{request.scheme}://www.{host}{path}")
        return None

    def should_redirect_with_slash(self, request) -> bool:
        """Whether to redirect ``request`` to its path with a slash appended.

        Only when ``settings.APPEND_SLASH`` is on, ``request.path_info`` does
        not end with "/", it does not resolve (``is_valid_path(path,
        urlconf)``, with the request's own ``urlconf`` if a middleware set
        one) and the path with "/" appended does. The view found may refuse
        with a false ``should_append_slash`` attribute (``no_append_slash``).
        """
        if not settings.APPEND_SLASH or request.path_info.endswith("/"):
            return False
        urlconf = getattr(request, "urlconf", None)
        if is_valid_path(request.path_info, urlconf):
            return False
        match = is_valid_path(f"{request.path_info}/", urlconf)
        if not match:
            return False
        return getattr(match.func, "should_append_slash", True)

    def get_full_path_with_slash(self, request) -> str:
        """The request's full path with a slash appended (query string kept); a RuntimeError for a body in DEBUG."""
        new_path = escape_leading_slashes(request.get_full_path(force_append_slash=True))
        if settings.DEBUG and request.method in ("DELETE", "POST", "PUT", "PATCH"):
            raise RuntimeError(
                f"You called this URL via {request.method}, but the URL doesn't end in a slash and you have "
                f"APPEND_SLASH set. tinyframe can't redirect to the slash URL while maintaining "
                f"{request.method} data. Change your form to point to {request.get_host()}{new_path} (note the "
                f"trailing slash), or set APPEND_SLASH=False in your settings."
            )
        return new_path

    def process_response(self, request, response):
        """Redirect a 404 to the slash-appended path when it has a view; set Content-Length."""
        if response.status_code == 404 and self.should_redirect_with_slash(request):
            return self.response_redirect_class(self.get_full_path_with_slash(request))
        if not response.streaming and "Content-Length" not in response.headers:
            response.headers["Content-Length"] = str(len(response.content))
        return response
