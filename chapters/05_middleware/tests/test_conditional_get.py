"""ConditionalGetMiddleware: ETags for GET responses, and 304 Not Modified when the browser's copy is current."""

import pytest

from tinyframe.http import HttpResponse, StreamingHttpResponse
from tinyframe.urls import path

CONDITIONAL = "tinyframe.middleware.http.ConditionalGetMiddleware"
HELLO_ETAG = '"5d41402abc4b2a76b9719d911017c592"'  # the MD5 of b"hello"
T0 = "Tue, 14 Nov 2023 22:13:20 GMT"


def hello(request):
    return HttpResponse("hello")


def no_store(request):
    response = HttpResponse("hello")
    response["Cache-Control"] = "private, No-Store"
    return response


def dated(request):
    response = HttpResponse("hello")
    response["Last-Modified"] = T0
    return response


@pytest.fixture
def client(serve):
    return serve([
        path("", hello),
        path("no-store/", no_store),
        path("dated/", dated),
        path("stream/", lambda request: StreamingHttpResponse([b"hello"])),
        path("missing/", lambda request: HttpResponse("gone", status=404)),
    ], middleware=[CONDITIONAL])


@pytest.mark.exercise("05.7")
@pytest.mark.parametrize("url, etag", [("/", HELLO_ETAG), ("/no-store/", None), ("/stream/", None),
                                       ("/dated/", HELLO_ETAG)])
def test_an_etag_is_added_to_get_responses(client, url, etag):
    """A GET response gets the MD5 of its content as ETag, unless it is streamed or must not be stored."""
    assert client.get(url).get("ETag") == etag, f"GET {url} got ETag {client.get(url).get('ETag')!r}; expected {etag!r}"


@pytest.mark.exercise("05.6", "05.7")
@pytest.mark.parametrize("url, headers, status", [
    ("/", {"if-none-match": HELLO_ETAG}, 304),
    ("/", {"if-none-match": '"other"'}, 200),
    ("/dated/", {"if-modified-since": T0}, 304),
    ("/dated/", {"if-none-match": '"other"', "if-modified-since": T0}, 200),
    ("/missing/", {"if-none-match": '"d41d8cd98f00b204e9800998ecf8427e"'}, 404),
])
def test_a_conditional_get(client, url, headers, status):
    """If-None-Match and If-Modified-Since against the response's ETag and Last-Modified decide on a 304."""
    response = client.get(url, headers=headers)
    assert response.status_code == status, f"GET {url} with {headers} answered {response.status_code}; expected {status}"
    if status == 304:
        assert response.content == b"" and response["ETag"] == HELLO_ETAG


@pytest.mark.exercise("05.7")
def test_other_methods_pass_untouched(client):
    """Only GET is answered conditionally: for a POST it is too late, a HEAD has no content to fingerprint."""
    for method in ("post", "head"):
        response = getattr(client, method)("/", headers={"if-none-match": HELLO_ETAG})
        assert (response.status_code, response.get("ETag")) == (200, None), (
            f"{method.upper()} / with a matching If-None-Match answered {response.status_code} "
            f"with ETag {response.get('ETag')!r}; expected 200 and no ETag"
        )
