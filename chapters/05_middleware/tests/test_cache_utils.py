"""tinyframe.utils.cache: Vary and Cache-Control headers, ETags, and conditional responses (304 / 412).

The tables were checked against Django 5.2's django.utils.cache with the same inputs.
"""

import logging

import pytest

from tinyframe.http import HttpResponse, StreamingHttpResponse
from tinyframe.test import RequestFactory
from tinyframe.utils.cache import (
    get_conditional_response,
    has_vary_header,
    patch_cache_control,
    patch_vary_headers,
    set_response_etag,
)

rf = RequestFactory()


@pytest.mark.exercise("05.3")
@pytest.mark.parametrize("initial, new, expected", [
    (None, ("Accept-Encoding",), "Accept-Encoding"),
    ("Cookie", ("Accept-Encoding",), "Cookie, Accept-Encoding"),
    ("Cookie", ("cookie", "Accept"), "Cookie, Accept"),
    ("Cookie ,  Accept", ("Accept-Language",), "Cookie, Accept, Accept-Language"),
    ("*", ("Cookie",), "*"),
    ("Cookie", ("*",), "*"),
    (None, (), ""),
])
def test_patch_vary_headers(initial, new, expected):
    """New names go after the existing ones, unless already there in any case; '*' stands for everything."""
    response = HttpResponse()
    if initial is not None:
        response["Vary"] = initial
    patch_vary_headers(response, new)
    assert response["Vary"] == expected, (
        f"patch_vary_headers(response with Vary {initial!r}, {new!r}) left Vary as {response.get('Vary')!r}; "
        f"expected {expected!r}"
    )


@pytest.mark.parametrize("vary, query, expected", [
    (None, "Cookie", False), ("Cookie, Accept-Encoding", "accept-encoding", True), ("Cookie", "Accept", False),
])
def test_has_vary_header(vary, query, expected):
    """has_vary_header looks a name up in Vary, ignoring case."""
    response = HttpResponse()
    if vary is not None:
        response["Vary"] = vary
    assert has_vary_header(response, query) is expected


@pytest.mark.parametrize("initial, changes, expected", [
    (None, {"max_age": 60}, "max-age=60"),
    ("private, max-age=60", {"public": True, "max_age": 3600}, "max-age=60, public"),
    ("public", {"private": True}, "private"),
    ("max-age=100", {"max_age": 60}, "max-age=60"),
    (None, {"no_cache": True, "no_store": True}, "no-cache, no-store"),
    ("no-cache=Set-Cookie", {"no_cache": "Cookie"}, "no-cache=Set-Cookie, no-cache=Cookie"),
    ("no-cache=Set-Cookie", {"no_cache": True}, "no-cache"),
    ("Max-Age=10, must-revalidate", {"s_maxage": 5}, "max-age=10, must-revalidate, s-maxage=5"),
    ("", {"max_age": 5}, "max-age=5"),
])
def test_patch_cache_control(initial, changes, expected):
    """Directives merge into Cache-Control: the smaller max-age wins, public and private replace each other."""
    response = HttpResponse()
    if initial is not None:
        response["Cache-Control"] = initial
    patch_cache_control(response, **changes)
    assert response["Cache-Control"] == expected, (
        f"patch_cache_control(Cache-Control {initial!r}, **{changes}) gave {response['Cache-Control']!r}; "
        f"expected {expected!r}"
    )


def test_set_response_etag_fingerprints_the_content():
    """The ETag is the quoted MD5 of the content; empty and streaming responses get none."""
    assert set_response_etag(HttpResponse("hello"))["ETag"] == '"5d41402abc4b2a76b9719d911017c592"'
    assert "ETag" not in set_response_etag(HttpResponse(""))
    assert "ETag" not in set_response_etag(StreamingHttpResponse([b"hello"]))


EARLY, T0, LATE = "Tue, 14 Nov 2023 22:13:19 GMT", "Tue, 14 Nov 2023 22:13:20 GMT", "Tue, 14 Nov 2023 22:13:21 GMT"
LM = 1700000000  # T0 in seconds since the epoch


@pytest.mark.exercise("05.6")
@pytest.mark.parametrize("method, headers, etag, last_modified, status", [
    ("GET", {}, '"a"', LM, 200),
    ("GET", {"if-none-match": '"a"'}, '"a"', None, 304),
    ("GET", {"if-none-match": 'W/"a"'}, '"a"', None, 304),
    ("GET", {"if-none-match": '"a"'}, 'W/"a"', None, 304),
    ("GET", {"if-none-match": '"b", "a"'}, '"a"', None, 304),
    ("GET", {"if-none-match": '"b"'}, '"a"', None, 200),
    ("GET", {"if-none-match": "*"}, '"a"', None, 304),
    ("GET", {"if-none-match": "*"}, None, None, 200),
    ("HEAD", {"if-none-match": '"a"'}, '"a"', None, 304),
    ("POST", {"if-none-match": '"a"'}, '"a"', None, 412),
    ("PUT", {"if-none-match": "*"}, '"a"', None, 412),
    ("GET", {"if-modified-since": T0}, None, LM, 304),
    ("GET", {"if-modified-since": LATE}, None, LM, 304),
    ("GET", {"if-modified-since": EARLY}, None, LM, 200),
    ("GET", {"if-modified-since": "garbage"}, None, LM, 200),
    ("GET", {"if-modified-since": T0}, None, None, 200),
    ("POST", {"if-modified-since": T0}, None, LM, 200),
    ("GET", {"if-none-match": '"b"', "if-modified-since": T0}, '"a"', LM, 200),
    ("GET", {"if-none-match": '"a"', "if-modified-since": EARLY}, '"a"', LM, 304),
    ("PUT", {"if-match": '"a"'}, '"a"', None, 200),
    ("PUT", {"if-match": '"b"'}, '"a"', None, 412),
    ("PUT", {"if-match": 'W/"a"'}, 'W/"a"', None, 412),
    ("PUT", {"if-match": "*"}, 'W/"a"', None, 200),
    ("PUT", {"if-match": "*"}, None, None, 412),
    ("GET", {"if-match": '"a"'}, None, None, 412),
    ("PUT", {"if-unmodified-since": T0}, None, LM, 200),
    ("PUT", {"if-unmodified-since": EARLY}, None, LM, 412),
    ("PUT", {"if-unmodified-since": T0}, None, None, 412),
    ("PUT", {"if-match": '"a"', "if-unmodified-since": EARLY}, '"a"', LM, 200),
    ("GET", {"if-match": '"a"', "if-none-match": '"a"'}, '"a"', None, 304),
])
def test_get_conditional_response(method, headers, etag, last_modified, status):
    """The four preconditions, in RFC 9110's order, give the response (200), 304 Not Modified or 412."""
    request = rf.generic(method, "/", headers=headers)
    response = get_conditional_response(request, etag=etag, last_modified=last_modified,
                                        response=HttpResponse("x"))
    assert response.status_code == status, (
        f"get_conditional_response({method} with {headers}, etag={etag!r}, last_modified={last_modified!r}) "
        f"answered {response.status_code}; expected {status}"
    )


@pytest.mark.exercise("05.6")
def test_only_a_successful_response_is_replaced():
    """A 404 stays a 404 even when the ETag matches; without a response, a match still gives a 304."""
    request = rf.get("/", headers={"if-none-match": '"a"'})
    not_found = HttpResponse(status=404)
    assert get_conditional_response(request, etag='"a"', response=not_found) is not_found
    assert get_conditional_response(request, etag='"a"').status_code == 304


@pytest.mark.exercise("05.6")
def test_a_304_keeps_the_caching_headers_and_the_cookies():
    """The 304 carries Cache-Control, Content-Location, Date, ETag, Expires, Last-Modified, Vary and the cookies."""
    response = HttpResponse("x")
    kept = {"Cache-Control": "max-age=60", "Content-Location": "/x", "Date": T0, "ETag": '"a"', "Expires": T0,
            "Last-Modified": T0, "Vary": "Cookie"}
    for name, value in {**kept, "X-Other": "1", "Content-Language": "en"}.items():
        response[name] = value
    response.set_cookie("k", "v")
    result = get_conditional_response(rf.get("/", headers={"if-none-match": '"a"'}), etag='"a"', response=response)
    assert (result.status_code, dict(result.items())) == (304, kept), (
        f"the 304 had the headers {dict(result.items())}; expected exactly {kept}"
    )
    assert result.cookies["k"].value == "v", "the 304 lost the cookie the response set"
    assert result.content == b""


@pytest.mark.exercise("05.6")
def test_a_412_is_logged(caplog):
    """A failed precondition is logged as a warning, as the handler logs other client errors."""
    with caplog.at_level(logging.WARNING, logger="tinyframe.request"):
        get_conditional_response(rf.put("/doc/", headers={"if-match": '"b"'}), etag='"a"')
    assert [record.getMessage() for record in caplog.records] == ["Precondition Failed: /doc/"]
