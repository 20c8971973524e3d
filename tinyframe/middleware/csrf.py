"""CsrfViewMiddleware: refuse a POST that another site made the visitor's browser send.

How it works: a visitor gets a random *secret* once, in the ``csrftoken``
cookie (or in the session with ``CSRF_USE_SESSIONS``). Each form the site
renders carries a *token*: the secret, masked with fresh random characters
(``get_token`` → ``_mask_cipher_secret``), so the page never shows the same
token twice. On an unsafe request (anything but GET, HEAD, OPTIONS and TRACE)
``process_view`` checks, in order:

1. the ``Origin`` header, when the browser sent one, names this site or a
   trusted origin (``_origin_verified``);
2. without an ``Origin``, over HTTPS, the ``Referer`` names this site or a
   trusted host (``_check_referer``);
3. the token of the form (``csrfmiddlewaretoken``) or of the ``X-CSRFToken``
   header unmasks (``_unmask_cipher_token``) to the secret of the cookie
   (``_check_token``).

An attacker's page can make the browser send the cookie, but cannot read it
nor the site's pages, so it cannot know the secret to put in the form. The
first failure answers with ``CSRF_FAILURE_VIEW`` (a 403, ``_reject``) and the
view never runs. ``process_response`` sends the cookie when a token was used
(or a new secret made), renewing its age.

    >>> secret = "a" * CSRF_SECRET_LENGTH
    >>> token = _mask_cipher_secret(secret)
    >>> len(token), token == _mask_cipher_secret(secret), _unmask_cipher_token(token) == secret
    (64, False, True)
"""

import logging
import string
from collections import defaultdict
from urllib.parse import urlsplit

from tinyframe.conf import settings
from tinyframe.core.exceptions import DisallowedHost, ImproperlyConfigured
from tinyframe.core.handlers.exception import log_response
from tinyframe.http import HttpHeaders, UnreadablePostError
from tinyframe.urls.resolvers import get_callable
from tinyframe.utils.cache import patch_vary_headers
from tinyframe.utils.crypto import constant_time_compare, get_random_string
from tinyframe.utils.deprecation import MiddlewareMixin
from tinyframe.utils.functional import cached_property
from tinyframe.utils.http import is_same_domain

__all__ = ["CsrfViewMiddleware", "get_token", "rotate_token"]

logger = logging.getLogger("tinyframe.security.csrf")

# The reasons a request is refused: the failure view shows them under DEBUG,
# and they go to the log. The texts are Django's.
REASON_BAD_ORIGIN = "Origin checking failed - %s does not match any trusted origins."
REASON_NO_REFERER = "Referer checking failed - no Referer."
REASON_BAD_REFERER = "Referer checking failed - %s does not match any trusted origins."
REASON_NO_CSRF_COOKIE = "CSRF cookie not set."
REASON_CSRF_TOKEN_MISSING = "CSRF token missing."
REASON_MALFORMED_REFERER = "Referer checking failed - Referer is malformed."
REASON_INSECURE_REFERER = "Referer checking failed - Referer is insecure while host is secure."
# Ends of sentences: "CSRF cookie has incorrect length.", "CSRF token from POST
# has invalid characters." (InvalidTokenFormat's reason, completed by the caller).
REASON_INCORRECT_LENGTH = "has incorrect length"
REASON_INVALID_CHARACTERS = "has invalid characters"

CSRF_SECRET_LENGTH = 32
CSRF_TOKEN_LENGTH = 2 * CSRF_SECRET_LENGTH
CSRF_ALLOWED_CHARS = string.ascii_letters + string.digits
CSRF_SESSION_KEY = "_csrftoken"

SAFE_METHODS = ("GET", "HEAD", "OPTIONS", "TRACE")  # RFC 9110's safe methods: no state change


def _get_failure_view():
    """The view that answers a refused request: ``settings.CSRF_FAILURE_VIEW`` (a dotted path or a function)."""
    return get_callable(settings.CSRF_FAILURE_VIEW)


def _get_new_csrf_string() -> str:
    """A fresh random string of ``CSRF_SECRET_LENGTH`` letters and digits: a secret, or a mask."""
    return get_random_string(CSRF_SECRET_LENGTH, allowed_chars=CSRF_ALLOWED_CHARS)


def _mask_cipher_secret(secret: str) -> str:
    """The token for a form: a new random mask, then the secret shifted by the mask, character by character.

    Each character of the secret moves forward in ``CSRF_ALLOWED_CHARS`` by
    the position of the mask's character at the same place (wrapping round).
    A page therefore never carries the secret itself, and no two pages carry
    the same token: compression attacks such as BREACH, which guess a secret
    repeated in many responses from their compressed size, find nothing
    constant to guess.

    >>> token = _mask_cipher_secret("a" * CSRF_SECRET_LENGTH)  # "a" is at position 0: the cipher is the mask
    >>> len(token), token[:CSRF_SECRET_LENGTH] == token[CSRF_SECRET_LENGTH:]
    (64, True)
    """
    mask = _get_new_csrf_string()
    positions = len(CSRF_ALLOWED_CHARS)
    cipher = "".join(
        CSRF_ALLOWED_CHARS[(CSRF_ALLOWED_CHARS.index(secret_char) + CSRF_ALLOWED_CHARS.index(mask_char)) % positions]
        for secret_char, mask_char in zip(secret, mask)
    )
    return mask + cipher


def _unmask_cipher_token(token: str) -> str:
    """Exercise 10.3: undo ``_mask_cipher_secret``: return the 32-character secret a 64-character token hides.

    The token is the mask (its first ``CSRF_SECRET_LENGTH`` characters) then
    the cipher (the rest). Each character of the secret is the character of
    ``CSRF_ALLOWED_CHARS`` at position ``(cipher index - mask index) mod
    len(CSRF_ALLOWED_CHARS)``, where the indexes are the positions, in
    ``CSRF_ALLOWED_CHARS``, of the cipher's and the mask's characters at the
    same place. The token is already checked (``_check_token_format``): 64
    characters, all letters or digits.

    >>> _unmask_cipher_token("b" * 32 + "c" * 32) == "b" * 32  # c (2) - b (1) = 1, which is b
    True
    >>> _unmask_cipher_token("B" * 32 + "a" * 32) == "J" * 32  # a (0) - B (27) = -27, and 62 - 27 = 35: J
    True
    """
    mask, cipher = token[:CSRF_SECRET_LENGTH], token[CSRF_SECRET_LENGTH:]
    positions = len(CSRF_ALLOWED_CHARS)
    return "".join(
        CSRF_ALLOWED_CHARS[(CSRF_ALLOWED_CHARS.index(cipher_char) - CSRF_ALLOWED_CHARS.index(mask_char)) % positions]
        for cipher_char, mask_char in zip(cipher, mask)
    )


def _add_new_csrf_cookie(request) -> str:
    """Make a new secret for ``request`` and flag it to be sent (``process_response`` sets the cookie)."""
    csrf_secret = _get_new_csrf_string()
    request.META["CSRF_COOKIE"] = csrf_secret
    request.META["CSRF_COOKIE_NEEDS_UPDATE"] = True
    return csrf_secret


def get_token(request) -> str:
    """The token to put in a form for ``request``: its secret (a new one if it has none), freshly masked.

    Using the token flags the cookie to be sent with the response, which
    renews its age (and sends ``Vary: Cookie``): so a view calls this only
    when the page shows a form, and templates ask for it lazily through the
    ``csrf`` context processor.
    """
    if "CSRF_COOKIE" in request.META:
        csrf_secret = request.META["CSRF_COOKIE"]
        request.META["CSRF_COOKIE_NEEDS_UPDATE"] = True
    else:
        csrf_secret = _add_new_csrf_cookie(request)
    return _mask_cipher_secret(csrf_secret)


def rotate_token(request) -> None:
    """Give ``request`` a new secret: tokens of pages shown before stop working. ``login`` calls it.

    Without it, an attacker who planted a secret in a victim's browser before
    the victim signed in could still forge the signed-in victim's forms.
    """
    _add_new_csrf_cookie(request)


class InvalidTokenFormat(Exception):
    """A secret or token of the wrong length or with characters other than letters and digits."""

    def __init__(self, reason: str):
        self.reason = reason


class RejectRequest(Exception):
    """A check failed: ``reason`` says which, in the words the 403 page and the log show."""

    def __init__(self, reason: str):
        self.reason = reason


def _check_token_format(token: str) -> None:
    """Raise InvalidTokenFormat unless ``token`` has 32 or 64 characters, all letters or digits.

    A secret has 32; a token 64, or 32 when a script sends the cookie's value
    in the header as it is.

    >>> _check_token_format("a" * 32)
    >>> _check_token_format("a" * 33)
    Traceback (most recent call last):
      ...
    tinyframe.middleware.csrf.InvalidTokenFormat: has incorrect length
    """
    if len(token) not in (CSRF_TOKEN_LENGTH, CSRF_SECRET_LENGTH):
        raise InvalidTokenFormat(REASON_INCORRECT_LENGTH)
    # isascii first: str.isalnum also accepts letters and digits of other scripts.
    if not (token.isascii() and token.isalnum()):
        raise InvalidTokenFormat(REASON_INVALID_CHARACTERS)


def _does_token_match(request_csrf_token: str, csrf_secret: str) -> bool:
    """Whether a well-formed token (masked, 64 characters, or bare, 32) stands for ``csrf_secret``.

    The comparison takes the same time wherever the first difference is, so
    an attacker cannot find the secret one character at a time by timing.
    """
    if len(request_csrf_token) == CSRF_TOKEN_LENGTH:
        request_csrf_token = _unmask_cipher_token(request_csrf_token)
    return constant_time_compare(request_csrf_token, csrf_secret)


class CsrfViewMiddleware(MiddlewareMixin):
    """Check unsafe requests (Origin, Referer over HTTPS, token against secret) and send the CSRF cookie.

    Use it with ``{% csrf_token %}`` in every POST form of the site; views
    opt out with ``csrf_exempt``. ``process_request`` reads the visitor's
    secret, ``process_view`` checks, ``process_response`` sends the cookie.
    """

    @cached_property
    def csrf_trusted_origins_hosts(self) -> list[str]:
        """The hosts of ``CSRF_TRUSTED_ORIGINS`` for the Referer check; ``*.example.com`` becomes ``.example.com``."""
        return [urlsplit(origin).netloc.lstrip("*") for origin in settings.CSRF_TRUSTED_ORIGINS]

    @cached_property
    def allowed_origins_exact(self) -> set[str]:
        """The trusted origins without a wildcard, compared whole with an ``Origin`` header."""
        return {origin for origin in settings.CSRF_TRUSTED_ORIGINS if "*" not in origin}

    @cached_property
    def allowed_origin_subdomains(self) -> dict[str, list[str]]:
        """For the ``https://*.example.com`` trusted origins: a scheme → ``[".example.com", ...]`` mapping."""
        subdomains = defaultdict(list)
        for origin in settings.CSRF_TRUSTED_ORIGINS:
            if "*" in origin:
                parsed = urlsplit(origin)
                subdomains[parsed.scheme].append(parsed.netloc.lstrip("*"))
        return subdomains

    def _accept(self, request):
        """Let the request through, marked as checked: ``csrf_protect`` behind the middleware won't check it again."""
        request.csrf_processing_done = True
        return None

    def _reject(self, request, reason: str):
        """The failure view's response (a 403) for ``reason``, logged as a warning.

        The log line, ``Forbidden (<reason>): <path>``, goes to
        ``tinyframe.security.csrf``. The reason and the path come from the
        request: ``log_response`` writes their control and non-ASCII
        characters as escapes, so a crafted header cannot forge log lines.
        """
        response = _get_failure_view()(request, reason=reason)
        log_response("Forbidden (%s): %s", reason, request.path, response=response, request=request, logger=logger)
        return response

    def _get_secret(self, request) -> str | None:
        """The secret the request came with (None if it has none), from the cookie or the session.

        A cookie of the wrong length or with other characters raises
        InvalidTokenFormat. A 64-character cookie (Django before 4.0 stored
        the masked token) is unmasked. With ``CSRF_USE_SESSIONS`` and no
        session, Django's ImproperlyConfigured says to add SessionMiddleware.
        """
        if settings.CSRF_USE_SESSIONS:
            try:
                csrf_secret = request.session.get(CSRF_SESSION_KEY)
            except AttributeError:
                raise ImproperlyConfigured(
                    "CSRF_USE_SESSIONS is enabled, but request.session is not set. "
                    "SessionMiddleware must appear before CsrfViewMiddleware in MIDDLEWARE."
                ) from None
        else:
            csrf_secret = request.COOKIES.get(settings.CSRF_COOKIE_NAME)
            if csrf_secret is not None:
                _check_token_format(csrf_secret)
        if csrf_secret is None:
            return None
        if len(csrf_secret) == CSRF_TOKEN_LENGTH:
            csrf_secret = _unmask_cipher_token(csrf_secret)
        return csrf_secret

    def _set_csrf_cookie(self, request, response) -> None:
        """Store the request's secret: in the session, or as the cookie with every ``CSRF_COOKIE_*`` attribute."""
        if settings.CSRF_USE_SESSIONS:
            if request.session.get(CSRF_SESSION_KEY) != request.META["CSRF_COOKIE"]:
                request.session[CSRF_SESSION_KEY] = request.META["CSRF_COOKIE"]
            return
        response.set_cookie(
            settings.CSRF_COOKIE_NAME,
            request.META["CSRF_COOKIE"],
            max_age=settings.CSRF_COOKIE_AGE,
            domain=settings.CSRF_COOKIE_DOMAIN,
            path=settings.CSRF_COOKIE_PATH,
            secure=settings.CSRF_COOKIE_SECURE,
            httponly=settings.CSRF_COOKIE_HTTPONLY,
            samesite=settings.CSRF_COOKIE_SAMESITE,
        )
        # The page holds a token made from the cookie: a cache must not give it to another visitor.
        patch_vary_headers(response, ("Cookie",))

    def _origin_verified(self, request) -> bool:
        """Exercise 10.4: whether the request's ``Origin`` header (``request.META["HTTP_ORIGIN"]``) is trusted.

        Return True when the Origin is any of:

        1. the request's own origin: ``"https"`` if ``request.is_secure()``
           else ``"http"``, then ``"://"``, then ``request.get_host()``
           (host and port). ``get_host`` raises ``DisallowedHost`` for a host
           not in ALLOWED_HOSTS: then this step does not match, go on;
        2. one of ``self.allowed_origins_exact``, compared whole;
        3. a host under a wildcard trusted origin: split the Origin with
           ``urllib.parse.urlsplit`` (a malformed one, which raises
           ValueError, is not trusted: return False); it is trusted when,
           for one of the hosts ``self.allowed_origin_subdomains`` lists for
           its scheme, ``is_same_domain(netloc, host)`` is true.

        Anything else, ``null`` included (what a browser sends from a
        sandboxed frame or a ``data:`` page), is False.
        """
        request_origin = request.META["HTTP_ORIGIN"]
        try:
            good_host = request.get_host()
        except DisallowedHost:
            pass
        else:
            scheme = "https" if request.is_secure() else "http"
            if request_origin == f"{scheme}://{good_host}":
                return True
        if request_origin in self.allowed_origins_exact:
            return True
        try:
            parsed_origin = urlsplit(request_origin)
        except ValueError:
            return False
        return any(
            is_same_domain(parsed_origin.netloc, host)
            for host in self.allowed_origin_subdomains.get(parsed_origin.scheme, ())
        )

    def _check_referer(self, request) -> None:
        """Over HTTPS without an Origin: raise RejectRequest unless the ``Referer`` is an https URL of a trusted host.

        Trusted: a host of ``CSRF_TRUSTED_ORIGINS``, else the cookie's domain
        (``CSRF_COOKIE_DOMAIN``, or ``SESSION_COOKIE_DOMAIN`` with
        ``CSRF_USE_SESSIONS``, with the port unless it is 80 or 443), else the
        request's own host. Why so strict: on HTTPS a man in the middle can
        still plant a cookie through plain HTTP, and with it a matching token;
        the Referer of a page it serves cannot be an https page of the site.
        """
        referer = request.META.get("HTTP_REFERER")
        if referer is None:
            raise RejectRequest(REASON_NO_REFERER)
        try:
            referer = urlsplit(referer)
        except ValueError:
            raise RejectRequest(REASON_MALFORMED_REFERER) from None
        if not referer.scheme or not referer.netloc:
            raise RejectRequest(REASON_MALFORMED_REFERER)
        if referer.scheme != "https":
            raise RejectRequest(REASON_INSECURE_REFERER)
        if any(is_same_domain(referer.netloc, host) for host in self.csrf_trusted_origins_hosts):
            return
        good_referer = settings.SESSION_COOKIE_DOMAIN if settings.CSRF_USE_SESSIONS else settings.CSRF_COOKIE_DOMAIN
        if good_referer is None:
            try:
                good_referer = request.get_host()  # with its port
            except DisallowedHost:
                raise RejectRequest(REASON_BAD_REFERER % referer.geturl()) from None
        else:
            server_port = request.get_port()
            if server_port not in ("443", "80"):
                good_referer = f"{good_referer}:{server_port}"
        if not is_same_domain(referer.netloc, good_referer):
            raise RejectRequest(REASON_BAD_REFERER % referer.geturl())

    def _bad_token_message(self, reason: str, token_source: str) -> str:
        """``CSRF token from POST <reason>.``, or ``from the 'X-Csrftoken' HTTP header`` when it came in the header."""
        if token_source != "POST":
            token_source = f"the {HttpHeaders.parse_header_name(token_source)!r} HTTP header"
        return f"CSRF token from {token_source} {reason}."

    def _check_token(self, request) -> None:
        """Raise RejectRequest unless the request's token matches its secret.

        The secret is read again here, not taken from ``process_request``: a
        middleware in between may have rotated it. The token is the form's
        ``csrfmiddlewaretoken`` (POST), else the ``CSRF_HEADER_NAME`` header
        (scripts, and PUT, PATCH, DELETE).
        """
        try:
            csrf_secret = self._get_secret(request)
        except InvalidTokenFormat as exc:
            raise RejectRequest(f"CSRF cookie {exc.reason}.") from None
        if csrf_secret is None:
            # Insisting on the cookie stops login CSRF too: a visitor with no session yet.
            raise RejectRequest(REASON_NO_CSRF_COOKIE)

        request_csrf_token = ""
        if request.method == "POST":
            try:
                request_csrf_token = request.POST.get("csrfmiddlewaretoken", "")
            except UnreadablePostError:
                pass  # the client went away mid-body: answer 403, never raise from here
        if request_csrf_token == "":
            token_source = settings.CSRF_HEADER_NAME
            request_csrf_token = request.META.get(token_source)
            if request_csrf_token is None:
                raise RejectRequest(REASON_CSRF_TOKEN_MISSING)
        else:
            token_source = "POST"

        try:
            _check_token_format(request_csrf_token)
        except InvalidTokenFormat as exc:
            raise RejectRequest(self._bad_token_message(exc.reason, token_source)) from None
        if not _does_token_match(request_csrf_token, csrf_secret):
            raise RejectRequest(self._bad_token_message("incorrect", token_source))

    def process_request(self, request) -> None:
        """Keep the visitor's secret in ``request.META["CSRF_COOKIE"]`` for ``get_token``; replace a malformed one."""
        try:
            csrf_secret = self._get_secret(request)
        except InvalidTokenFormat:
            _add_new_csrf_cookie(request)
        else:
            if csrf_secret is not None:
                request.META["CSRF_COOKIE"] = csrf_secret

    def process_view(self, request, callback, callback_args, callback_kwargs):
        """None to let the view run; the failure view's 403 when an unsafe request fails a check."""
        if getattr(request, "csrf_processing_done", False):
            return None
        # After process_request, so a csrf_exempt view can still call get_token.
        if getattr(callback, "csrf_exempt", False):
            return None
        if request.method in SAFE_METHODS:
            return self._accept(request)
        if getattr(request, "_dont_enforce_csrf_checks", False):
            # The test client's default: the cookie still works, only the checks are skipped.
            return self._accept(request)

        if "HTTP_ORIGIN" in request.META:
            if not self._origin_verified(request):
                return self._reject(request, REASON_BAD_ORIGIN % request.META["HTTP_ORIGIN"])
        elif request.is_secure():
            try:
                self._check_referer(request)
            except RejectRequest as exc:
                return self._reject(request, exc.reason)

        try:
            self._check_token(request)
        except RejectRequest as exc:
            return self._reject(request, exc.reason)
        return self._accept(request)

    def process_response(self, request, response):
        """Send the CSRF cookie when the request used or made a secret: once, though a decorator may run here too."""
        if request.META.get("CSRF_COOKIE_NEEDS_UPDATE"):
            self._set_csrf_cookie(request, response)
            request.META["CSRF_COOKIE_NEEDS_UPDATE"] = False
        return response
