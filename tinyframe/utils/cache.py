"""Headers that tell caches what they may keep, and answering conditional requests.

How it works: a browser that has a page keeps its ``ETag`` (a fingerprint of
the content) and ``Last-Modified`` date, and asks again with ``If-None-Match``
or ``If-Modified-Since``. ``get_conditional_response`` compares them with the
response's, following the order of RFC 9110 section 13.2.2, and answers
``304 Not Modified`` (keep your copy) or ``412 Precondition Failed`` (for
``If-Match``, the copy you meant to change is gone), or the response itself.
``set_response_etag`` fingerprints a response's content. ``patch_vary_headers``
adds to ``Vary`` (the request headers a response depends on, so a cache does not
serve a gzipped page to a client that cannot unzip it) and
``patch_cache_control`` merges directives into ``Cache-Control``.
"""

import hashlib
import re

from tinyframe.core.handlers.exception import log_response
from tinyframe.http import HttpResponse, HttpResponseNotModified
from tinyframe.utils.http import parse_etags, parse_http_date_safe, quote_etag

# Values of Vary and Cache-Control are separated by commas, with optional spaces.
cc_delim_re = re.compile(r"\s*,\s*")

# What a 304 keeps of the response it replaces (RFC 9110 section 15.4.5, and Last-Modified).
NOT_MODIFIED_HEADERS = ("Cache-Control", "Content-Location", "Date", "ETag", "Expires", "Last-Modified", "Vary")


def patch_vary_headers(response, newheaders) -> None:
    """Add header names to the response's ``Vary``, keeping its order and skipping the names already there.

    Names compare ignoring case; ``*`` (varies on everything) replaces the list.

    >>> response = HttpResponse()
    >>> response["Vary"] = "Cookie"
    >>> patch_vary_headers(response, ["Accept-Encoding", "cookie"])
    >>> response["Vary"]
    'Cookie, Accept-Encoding'
    """
    vary_headers = cc_delim_re.split(response.headers["Vary"]) if response.has_header("Vary") else []
    existing = {header.lower() for header in vary_headers}
    vary_headers += [header for header in newheaders if header.lower() not in existing]
    response.headers["Vary"] = "*" if "*" in vary_headers else ", ".join(vary_headers)


def has_vary_header(response, header_query: str) -> bool:
    """Whether the response's ``Vary`` names ``header_query`` (ignoring case).

    >>> response = HttpResponse()
    >>> response["Vary"] = "Cookie, Accept-Encoding"
    >>> has_vary_header(response, "accept-encoding"), has_vary_header(response, "Accept-Language")
    (True, False)
    """
    if not response.has_header("Vary"):
        return False
    return header_query.lower() in {header.lower() for header in cc_delim_re.split(response.headers["Vary"])}


def patch_cache_control(response, **kwargs) -> None:
    """Merge directives into ``Cache-Control``: ``max_age=3600`` becomes ``max-age=3600``, ``True`` a bare name.

    A new max-age never raises an existing one (two layers both limiting a
    page keep the stricter); ``public`` and ``private`` replace each other;
    ``no-cache`` may name several fields.

    >>> response = HttpResponse()
    >>> response["Cache-Control"] = "private, max-age=60"
    >>> patch_cache_control(response, public=True, max_age=3600)
    >>> response["Cache-Control"]
    'max-age=60, public'
    """
    directives: dict = {}
    for field in cc_delim_re.split(response.get("Cache-Control") or ""):
        if not field:
            continue
        name, equals, value = field.partition("=")
        name, value = name.lower(), value if equals else True
        if name == "no-cache":
            directives.setdefault(name, {})[value] = None
        else:
            directives[name] = value
    if "max-age" in directives and "max_age" in kwargs:
        kwargs["max_age"] = min(int(directives["max-age"]), kwargs["max_age"])
    if "private" in directives and "public" in kwargs:
        del directives["private"]
    elif "public" in directives and "private" in kwargs:
        del directives["public"]
    for name, value in kwargs.items():
        name = name.replace("_", "-")
        if name == "no-cache":
            directives.setdefault(name, {})[value] = None
        else:
            directives[name] = value
    parts = []
    for name, value in directives.items():
        # no-cache holds a dict of its values (a set that keeps their order).
        values = list(value) if isinstance(value, dict) else [value]
        if True in values and name == "no-cache":
            values = [True]  # a bare no-cache covers every field
        parts.extend(name if item is True else f"{name}={item}" for item in values)
    response.headers["Cache-Control"] = ", ".join(parts)


def set_response_etag(response):
    """Give a non-streaming response with content an ``ETag``: the MD5 of its content, quoted.

    MD5 is a fingerprint here, not a defence: nothing secret depends on it.

    >>> set_response_etag(HttpResponse("hello"))["ETag"]
    '"5d41402abc4b2a76b9719d911017c592"'
    """
    if not response.streaming and response.content:
        response.headers["ETag"] = quote_etag(hashlib.md5(response.content, usedforsecurity=False).hexdigest())
    return response


def get_conditional_response(request, etag: str | None = None, last_modified: int | None = None, response=None):
    """Answer a conditional request: ``response`` itself, a 304 Not Modified or a 412 Precondition Failed.

    ``etag`` is the current entity tag (quoted, maybe weak ``W/"..."``) and
    ``last_modified`` the current modification time (seconds since the epoch).
    Only a successful (2xx) ``response``, or none, is replaced. In RFC 9110's
    order:

    1. If-Match (strong comparison, ``*`` matches any current tag) failing → 412;
    2. else If-Unmodified-Since older than ``last_modified`` (or no date) → 412;
    3. If-None-Match (weak comparison) matching → 304 for GET and HEAD, 412 otherwise;
    4. else If-Modified-Since not older than ``last_modified`` → 304 for GET and HEAD.

    Dates that do not parse are ignored. The helpers below make each step
    short: ``_if_match_passes``, ``_if_unmodified_since_passes``,
    ``_if_none_match_passes`` and ``_if_modified_since_passes`` compare;
    ``_not_modified(response)`` makes the 304, keeping the headers of
    ``NOT_MODIFIED_HEADERS`` and the cookies of ``response``; and
    ``_precondition_failed(request)`` makes the 412 and logs the warning
    "Precondition Failed: <request.path>".
    """
    if response is not None and not 200 <= response.status_code < 300:
        return response
    if_match_etags = parse_etags(request.META.get("HTTP_IF_MATCH", ""))
    if_unmodified_since = parse_http_date_safe(request.META.get("HTTP_IF_UNMODIFIED_SINCE") or "")
    if_none_match_etags = parse_etags(request.META.get("HTTP_IF_NONE_MATCH", ""))
    if_modified_since = parse_http_date_safe(request.META.get("HTTP_IF_MODIFIED_SINCE") or "")

    if if_match_etags and not _if_match_passes(etag, if_match_etags):
        return _precondition_failed(request)
    if not if_match_etags and if_unmodified_since and not _if_unmodified_since_passes(last_modified,
                                                                                      if_unmodified_since):
        return _precondition_failed(request)
    if if_none_match_etags and not _if_none_match_passes(etag, if_none_match_etags):
        if request.method in ("GET", "HEAD"):
            return _not_modified(response)
        return _precondition_failed(request)
    if (not if_none_match_etags and if_modified_since and request.method in ("GET", "HEAD")
            and not _if_modified_since_passes(last_modified, if_modified_since)):
        return _not_modified(response)
    return response


def _if_match_passes(target_etag: str | None, etags: list[str]) -> bool:
    """If-Match compares strongly: a weak tag never matches, ``*`` matches any current tag."""
    if not target_etag:
        return False
    if etags == ["*"]:
        return True
    return not target_etag.startswith("W/") and target_etag in etags


def _if_unmodified_since_passes(last_modified: int | None, if_unmodified_since: int) -> bool:
    return bool(last_modified) and last_modified <= if_unmodified_since


def _if_none_match_passes(target_etag: str | None, etags: list[str]) -> bool:
    """If-None-Match compares weakly: ``W/"a"`` and ``"a"`` are the same page."""
    if not target_etag:
        return True
    if etags == ["*"]:
        return False
    return target_etag.removeprefix("W/") not in {etag.removeprefix("W/") for etag in etags}


def _if_modified_since_passes(last_modified: int | None, if_modified_since: int) -> bool:
    return not last_modified or last_modified > if_modified_since


def _precondition_failed(request):
    response = HttpResponse(status=412)
    log_response("Precondition Failed: %s", request.path, response=response, request=request)
    return response


def _not_modified(response=None):
    not_modified = HttpResponseNotModified()
    if response is not None:
        for header in NOT_MODIFIED_HEADERS:
            if header in response:
                not_modified.headers[header] = response.headers[header]
        # Cookies still reach the browser on a 304 (RFC 6265 lets a cache pass them on).
        not_modified.cookies = response.cookies
    return not_modified
# >>> 10_auth


import time  # noqa: E402  (chapter 10's addition)

from tinyframe.utils.http import http_date  # noqa: E402


def add_never_cache_headers(response) -> None:
    """Tell every cache, the browser's included, never to keep or reuse this response.

    For pages that belong to one visitor at one moment: a login form (its
    CSRF token), a page shown to a signed-in user. ``Expires`` is now (unless
    the response set one) and ``Cache-Control`` says
    ``max-age=0, no-cache, no-store, must-revalidate, private``.

    >>> response = HttpResponse()
    >>> add_never_cache_headers(response)
    >>> response["Cache-Control"]
    'max-age=0, no-cache, no-store, must-revalidate, private'
    """
    if not response.has_header("Expires"):
        response.headers["Expires"] = http_date(time.time())
    patch_cache_control(response, max_age=0, no_cache=True, no_store=True, must_revalidate=True, private=True)
# <<< 10_auth
