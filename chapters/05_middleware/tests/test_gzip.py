"""GZipMiddleware and gzip_page: compress for clients that accept gzip, when it makes the response shorter.

Each case was checked against Django 5.2 with the same views and Accept-Encoding headers.
"""

import gzip
import random

import pytest

from tinyframe.http import HttpResponse, StreamingHttpResponse
from tinyframe.middleware.gzip import GZipMiddleware, compress_sequence, compress_string
from tinyframe.test import RequestFactory
from tinyframe.urls import path
from tinyframe.views.decorators.gzip import gzip_page

TEXT = "tinyframe " * 50
GZIP = "tinyframe.middleware.gzip.GZipMiddleware"


def long(request):
    response = HttpResponse(TEXT)
    response["ETag"] = '"abc"'
    return response


def weak(request):
    response = HttpResponse(TEXT)
    response["ETag"] = 'W/"abc"'
    response["Vary"] = "Cookie"
    return response


def short(request):
    return HttpResponse("x" * 199)


def encoded(request):
    response = HttpResponse(TEXT)
    response["Content-Encoding"] = "br"
    return response


# Random bytes do not compress: gzip would make them longer.
NOISE = random.Random(5).randbytes(300)


def random_bytes(request):
    return HttpResponse(NOISE, content_type="application/octet-stream")


def stream(request):
    response = StreamingHttpResponse([TEXT.encode()] * 3)
    response["Content-Length"] = "1500"
    return response


VIEWS = {"long": long, "weak": weak, "short": short, "encoded": encoded, "random": random_bytes, "stream": stream}


def gzipped(view, accept_encoding="gzip, deflate"):
    """The response of ``view`` after GZipMiddleware.process_response, for a client sending ``accept_encoding``."""
    request = RequestFactory().get("/", headers={"accept-encoding": accept_encoding})
    return GZipMiddleware(view).process_response(request, view(request))


def body(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


def headers(response) -> dict:
    return {name: value for name, value in response.items() if name not in ("Content-Type", "Content-Length")}


@pytest.mark.exercise("05.5")
@pytest.mark.parametrize("name, expected_headers, compressed", [
    ("long", {"ETag": 'W/"abc"', "Vary": "Accept-Encoding", "Content-Encoding": "gzip"}, True),
    ("weak", {"ETag": 'W/"abc"', "Vary": "Cookie, Accept-Encoding", "Content-Encoding": "gzip"}, True),
    ("short", {}, False),
    ("encoded", {"Content-Encoding": "br"}, False),
    ("random", {"Vary": "Accept-Encoding"}, False),
    ("stream", {"Vary": "Accept-Encoding", "Content-Encoding": "gzip"}, True),
])
def test_gzip_for_a_client_that_accepts_it(name, expected_headers, compressed):
    """Compressed when long enough, not yet encoded and shorter gzipped; Vary and a weak ETag follow."""
    view = VIEWS[name]
    original = body(view(None))
    response = gzipped(view)
    assert headers(response) == expected_headers, (
        f"GZipMiddleware on the {name!r} response sent {headers(response)}; expected {expected_headers}"
    )
    content = body(response)
    if compressed:
        assert gzip.decompress(content) == original, f"the {name!r} response did not decompress to the original"
        assert len(content) < len(original)
    else:
        assert content == original, f"the {name!r} response should have been left as it was"


@pytest.mark.exercise("05.5")
def test_content_length_is_the_compressed_length():
    """A compressed response says its new length; a compressed stream says none (it is not known yet)."""
    response = gzipped(long)
    assert response["Content-Length"] == str(len(response.content)), (
        f"Content-Length {response['Content-Length']} for {len(response.content)} bytes of gzip"
    )
    assert "Content-Length" not in gzipped(stream), "a compressed stream kept a Content-Length it no longer has"


@pytest.mark.exercise("05.5")
@pytest.mark.parametrize("accept_encoding", ["", "deflate, br", "x-gzipped", "GZIP"])
def test_no_gzip_for_a_client_that_does_not_accept_it(accept_encoding):
    """Only the word gzip in Accept-Encoding counts; Vary is set anyway, since the response depends on it."""
    response = gzipped(long, accept_encoding)
    assert (response.content, response.get("Content-Encoding"), response["Vary"]) == (
        TEXT.encode(), None, "Accept-Encoding"), (
        f"with Accept-Encoding {accept_encoding!r} the response was {response.get('Content-Encoding')!r}-encoded, "
        f"Vary {response.get('Vary')!r}; expected it unchanged but for Vary: Accept-Encoding"
    )


@pytest.mark.exercise("05.5")
def test_a_stream_is_compressed_lazily():
    """The stream is compressed as it is read: nothing is consumed before the server asks for it."""
    consumed = []

    def pieces():
        for index in range(3):
            consumed.append(index)
            yield TEXT.encode()

    response = gzipped(lambda request: StreamingHttpResponse(pieces()))
    assert consumed == [], f"GZipMiddleware read {len(consumed)} pieces of the stream before it was sent"
    assert gzip.decompress(b"".join(response.streaming_content)) == TEXT.encode() * 3
    assert consumed == [0, 1, 2]


def test_the_length_of_the_compressed_content_varies():
    """Random padding in the gzip header hides the exact length (against BREACH), and readers ignore it."""
    lengths = {len(compress_string(TEXT.encode(), max_random_bytes=100)) for _ in range(30)}
    assert len(lengths) > 1, f"30 compressions of the same text all had the length {lengths}"
    assert min(lengths) >= len(compress_string(TEXT.encode())), "padding can only add bytes"
    assert gzip.decompress(compress_string(TEXT.encode(), max_random_bytes=100)) == TEXT.encode()


def test_compress_sequence_starts_with_the_header():
    """The first piece is the gzip header, so the client starts receiving at once."""
    pieces = list(compress_sequence([b"a" * 10, b"b" * 10]))
    assert pieces[0][:2] == b"\x1f\x8b" and gzip.decompress(b"".join(pieces)) == b"a" * 10 + b"b" * 10


def test_compress_sequence_sends_large_pieces_as_they_come():
    """Content that fills gzip's buffer is sent on before the stream ends."""
    noise = [random.Random(index).randbytes(50_000) for index in range(3)]
    pieces = list(compress_sequence(noise, max_random_bytes=10))
    assert len(pieces) > 3, f"three 50 kB pieces came out as {len(pieces)} pieces; expected them sent as they came"
    assert gzip.decompress(b"".join(pieces)) == b"".join(noise)


@pytest.mark.exercise("05.5", "05.7")
def test_the_middleware_in_a_site(serve):
    """Through the chain, with the test client: the client receives gzip it can read."""
    client = serve([path("", long)], middleware=[GZIP])
    response = client.get("/", headers={"accept-encoding": "gzip"})
    assert (response["Content-Encoding"], gzip.decompress(response.content)) == ("gzip", TEXT.encode())


@pytest.mark.exercise("05.5")
def test_gzip_page_compresses_one_view():
    """@gzip_page is GZipMiddleware for one view."""

    @gzip_page
    def page(request):
        """A page."""
        return HttpResponse(TEXT)

    response = page(RequestFactory().get("/", headers={"accept-encoding": "gzip"}))
    assert (response["Content-Encoding"], page.__name__) == ("gzip", "page")
    assert gzip.decompress(response.content) == TEXT.encode()
