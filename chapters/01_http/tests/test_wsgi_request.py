"""WSGIRequest, LimitedStream and WSGIHandler: from a PEP 3333 environ to a response and back."""

import datetime
import decimal
import io
from wsgiref.util import FileWrapper, setup_testing_defaults
from wsgiref.validate import validator

import pytest

from tinyframe.core.handlers.wsgi import (
    LimitedStream,
    WSGIHandler,
    WSGIRequest,
    get_bytes_from_wsgi,
    get_path_info,
    get_script_name,
    get_str_from_wsgi,
)
from tinyframe.core.exceptions import BadRequest
from tinyframe.http import FileResponse, HttpResponse, StreamingHttpResponse
from tinyframe.utils.encoding import escape_uri_path, force_bytes, force_str, iri_to_uri, repercent_broken_unicode


def make_environ(method="GET", path="/", query_string="", body=b"", **extra) -> dict:
    """A WSGI environ as a server builds it. ``path`` is given as a server passes it: latin-1 text."""
    environ = {
        "REQUEST_METHOD": method,
        "SCRIPT_NAME": "",
        "PATH_INFO": path,
        "QUERY_STRING": query_string,
        "HTTP_HOST": "testserver",
        "wsgi.input": io.BytesIO(body),
        "CONTENT_LENGTH": str(len(body)) if body else "",
    }
    environ.update(extra)
    setup_testing_defaults(environ)
    return environ


# --- LimitedStream ------------------------------------------------------------


def test_limited_stream_stops_at_the_limit():
    stream = LimitedStream(io.BytesIO(b"0123456789NEXT"), 10)
    assert stream.read(4) == b"0123"
    assert stream.read() == b"456789"
    assert stream.read() == b""
    assert stream.read(5) == b""
    assert stream.readable()


def test_limited_stream_readline_stops_at_the_limit():
    stream = LimitedStream(io.BytesIO(b"ab\ncd\nef"), 5)
    assert stream.readline() == b"ab\n"
    assert stream.readline(1) == b"c"
    assert stream.readline() == b"d"
    assert stream.readline() == b""


def test_limited_stream_returns_short_reads_when_the_client_sent_less():
    stream = LimitedStream(io.BytesIO(b"short"), 1000)
    assert stream.read() == b"short"
    assert stream.read() == b""


def test_limited_stream_with_size_none():
    """LimitedStream.read(None) reads up to the limit, like read()."""
    assert LimitedStream(io.BytesIO(b"abc"), 2).read(None) == b"ab"


# --- environ decoding --------------------------------------------------------------


@pytest.mark.parametrize(
    "raw_path, expected",
    [
        ("/", "/"),
        ("/caf\xc3\xa9/", "/café/"),  # UTF-8 bytes, passed as latin-1 text
        ("/\xff\xfe/", "/%FF%FE/"),  # not UTF-8: percent-encoded again
        ("/a\xc3/b", "/a%C3/b"),
        ("", ""),
    ],
)
def test_get_path_info_decodes_utf8_and_repercents_broken_bytes(raw_path, expected):
    got = get_path_info({"PATH_INFO": raw_path})
    assert got == expected, f"get_path_info with PATH_INFO {raw_path!r} returned {got!r}; expected {expected!r}"


def test_environ_helpers():
    """get_script_name, get_bytes_from_wsgi and get_str_from_wsgi turn the environ's latin-1 strings back into the
    bytes sent, or into UTF-8 text."""
    environ = {"SCRIPT_NAME": "/m\xc3\xbcnchen", "HTTP_COOKIE": "a=\xff", "X": "caf\xe9"}
    assert get_script_name(environ) == "/münchen"
    assert get_script_name({}) == ""
    assert get_bytes_from_wsgi(environ, "X", "") == b"caf\xe9"
    assert get_bytes_from_wsgi({"X": "€"}, "X", "") == "€".encode(), "a non-PEP-3333 server's text is kept"
    assert get_str_from_wsgi(environ, "HTTP_COOKIE", "") == "a=\ufffd"
    assert get_str_from_wsgi({}, "MISSING", "default") == "default"


# --- WSGIRequest ---------------------------------------------------------------------


def test_wsgi_request_attributes():
    """WSGIRequest fills method, path, GET, COOKIES, scheme, headers and META from the environ, and decodes the path
    as UTF-8."""
    request = WSGIRequest(make_environ("post", "/blog/caf\xc3\xa9/", "page=2&tag=a&tag=b", HTTP_COOKIE="a=1; b=2"))
    assert request.method == "POST"
    assert request.path == request.path_info == "/blog/café/"
    assert request.GET.getlist("tag") == ["a", "b"] and request.GET["page"] == "2"
    assert request.COOKIES == {"a": "1", "b": "2"}
    assert request.scheme == "http"
    assert request.headers["Host"] == "testserver"
    assert request.META["PATH_INFO"] == "/blog/café/"
    assert request.get_full_path() == "/blog/caf%C3%A9/?page=2&tag=a&tag=b"
    assert request.build_absolute_uri() == "http://testserver/blog/caf%C3%A9/?page=2&tag=a&tag=b"
    assert repr(request) == "<WSGIRequest: POST '/blog/caf%C3%A9/?page=2&tag=a&tag=b'>"


def test_wsgi_request_with_script_name():
    """With SCRIPT_NAME (a site mounted under a prefix), request.path includes the prefix and path_info does not."""
    request = WSGIRequest(make_environ(path="/posts/", SCRIPT_NAME="/blog/"))
    assert request.path == "/blog/posts/"
    assert request.path_info == "/posts/"
    assert WSGIRequest(make_environ(path="")).path_info == "/", "an empty PATH_INFO is the root"


def test_wsgi_request_scheme_from_environ():
    request = WSGIRequest(make_environ(**{"wsgi.url_scheme": "https"}))
    assert request.scheme == "https" and request.is_secure()


def test_wsgi_request_reads_post():
    request = WSGIRequest(
        make_environ("POST", body=b"a=1&b=caf%C3%A9", CONTENT_TYPE="application/x-www-form-urlencoded")
    )
    assert request.POST["a"] == "1" and request.POST["b"] == "café"
    assert len(request.FILES) == 0
    request.POST = request.POST.copy()
    request.POST["c"] = "3"
    assert request.POST["c"] == "3"


def test_wsgi_request_files_from_multipart():
    body = b'--B\r\nContent-Disposition: form-data; name="f"; filename="a.txt"\r\n\r\nhello\r\n--B--\r\n'
    request = WSGIRequest(make_environ("POST", body=body, CONTENT_TYPE="multipart/form-data; boundary=B"))
    assert request.FILES["f"].read() == b"hello"
    assert dict(request.POST) == {}


def test_wsgi_request_charset_from_content_type():
    request = WSGIRequest(
        make_environ(
            "POST", "/", "q=caf%E9", body=b"name=caf%E9",
            CONTENT_TYPE="application/x-www-form-urlencoded; charset=latin-1",
        )
    )
    assert request.encoding == "latin-1"
    assert request.GET["q"] == "café"
    # The query string follows the charset; a urlencoded body must be UTF-8 (as in Django).
    with pytest.raises(BadRequest, match="must be UTF-8 encoded"):
        request.POST


def test_changing_encoding_decodes_get_again():
    request = WSGIRequest(make_environ(query_string="q=caf%E9"))
    assert request.GET["q"] == "caf\ufffd"
    request.encoding = "latin-1"
    assert request.GET["q"] == "café"


@pytest.mark.parametrize("content_length", ["", "abc", "-5", None])
def test_invalid_content_length_means_no_body(content_length):
    environ = make_environ("POST", body=b"ignored")
    if content_length is None:
        del environ["CONTENT_LENGTH"]
    else:
        environ["CONTENT_LENGTH"] = content_length
    assert WSGIRequest(environ).body == b""


def test_body_never_reads_past_content_length():
    environ = make_environ("POST", body=b"hello")
    environ["wsgi.input"] = io.BytesIO(b"helloGET /next HTTP/1.1")
    request = WSGIRequest(environ)
    assert request.body == b"hello"
    assert environ["wsgi.input"].read() == b"GET /next HTTP/1.1"


# --- WSGIHandler (exercise 01.6) ------------------------------------------------------------


class Recorder:
    """A start_response that records what it was called with."""

    def __init__(self):
        self.calls = []

    def __call__(self, status, headers, exc_info=None):
        self.calls.append((status, headers))
        return lambda data: None


def handler_for(view) -> WSGIHandler:
    """A WSGIHandler that answers every request with ``view``."""

    class Handler(WSGIHandler):
        def resolve_request(self, request):
            return view, (), {}

    return Handler()


def run(handler, environ):
    start_response = Recorder()
    result = handler(environ, start_response)
    body = b"".join(result)
    if hasattr(result, "close"):
        result.close()
    assert len(start_response.calls) == 1, (
        f"start_response was called {len(start_response.calls)} times; a WSGI app calls it exactly once"
    )
    status, headers = start_response.calls[0]
    return status, headers, body, result


@pytest.mark.exercise("01.6")
def test_handler_returns_status_headers_and_body():
    """WSGIHandler calls start_response with the response's status line and headers, and returns its body."""
    def view(request):
        return HttpResponse(f"Hello from {request.path}", status=201, headers={"X-Answer": "42"})

    status, headers, body, _ = run(handler_for(view), make_environ(path="/hi/"))
    assert status == "201 Created", (
        f"for a response with status=201, start_response got the status line {status!r}; expected '201 Created'"
    )
    assert ("X-Answer", "42") in headers, (
        f"for a response with the header X-Answer: 42, start_response got the headers {headers!r}; "
        "expected ('X-Answer', '42') among them"
    )
    assert ("Content-Type", "text/html; charset=utf-8") in headers, (
        f"start_response got the headers {headers!r}; expected the response's "
        "('Content-Type', 'text/html; charset=utf-8') among them"
    )
    assert body == b"Hello from /hi/", (
        f"for a request to /hi/, the handler's result joined to {body!r}; expected the view's b'Hello from /hi/'"
    )


@pytest.mark.exercise("01.6")
def test_handler_uses_custom_reason_phrase():
    """The status line is status_code then the response's reason_phrase, so a custom reason shows: '299 Custom'."""
    status, *_ = run(handler_for(lambda request: HttpResponse(status=299, reason="Custom")), make_environ())
    assert status == "299 Custom", (
        f"for HttpResponse(status=299, reason='Custom'), start_response got the status line {status!r}; "
        "expected '299 Custom'"
    )


@pytest.mark.exercise("01.6")
def test_handler_sends_one_set_cookie_header_per_cookie():
    """Each cookie of the response becomes its own ('Set-Cookie', morsel.OutputString()) header."""
    def view(request):
        response = HttpResponse()
        response.set_cookie("a", "1", httponly=True)
        response.set_cookie("b", "2")
        return response

    _, headers, _, _ = run(handler_for(view), make_environ())
    cookies = [value for name, value in headers if name == "Set-Cookie"]
    assert cookies == ["a=1; HttpOnly; Path=/", "b=2; Path=/"], (
        f"for a response with the cookies a (httponly) and b, the Set-Cookie headers were {cookies!r}; "
        "expected ['a=1; HttpOnly; Path=/', 'b=2; Path=/']"
    )


@pytest.mark.exercise("01.6")
def test_handler_passes_the_request_built_from_the_environ():
    """The view gets a WSGIRequest built from the environ, with its method, path and query string."""
    seen = {}

    def view(request):
        seen["request"] = request
        return HttpResponse()

    run(handler_for(view), make_environ("POST", "/x/", "a=1"))
    request = seen["request"]
    assert isinstance(request, WSGIRequest), f"the view got {request!r}; expected a WSGIRequest"
    assert (request.method, request.path, request.GET["a"]) == ("POST", "/x/", "1"), (
        f"for a POST to /x/?a=1, the view got a request with method {request.method!r}, path {request.path!r} "
        f"and GET['a'] {request.GET['a']!r}; expected 'POST', '/x/' and '1'"
    )


@pytest.mark.exercise("01.6")
def test_handler_returns_the_response_so_the_server_can_close_it():
    """The handler returns the response itself (an iterable of bytes), so the server's close() reaches it."""
    closed = []

    def view(request):
        response = StreamingHttpResponse(iter([b"a", b"b"]))
        response._resource_closers.append(lambda: closed.append(True))
        return response

    _, _, body, result = run(handler_for(view), make_environ())
    assert body == b"ab", (
        f"for StreamingHttpResponse(iter([b'a', b'b'])), the handler's result joined to {body!r}; expected b'ab'"
    )
    assert closed == [True], (
        f"the handler returned {result!r}; closing it did not close the response: return the response itself"
    )


@pytest.mark.exercise("01.6")
def test_handler_is_a_valid_wsgi_application():
    """wsgiref's validator finds nothing against PEP 3333: str status and headers, start_response once, bytes out."""
    app = validator(handler_for(lambda request: HttpResponse("ok")))
    status, headers, body, _ = run(app, make_environ())
    assert status == "200 OK" and body == b"ok", (
        f"for HttpResponse('ok'), the status line was {status!r} and the body {body!r}; expected '200 OK' and b'ok'"
    )


@pytest.mark.exercise("01.6")
def test_handler_uses_wsgi_file_wrapper_for_file_responses():
    """For a FileResponse, the handler returns environ['wsgi.file_wrapper'](its file), and closing
    that wrapper closes the response and the file."""
    file = io.BytesIO(b"file data")
    response_holder = {}

    def view(request):
        response_holder["response"] = FileResponse(file, filename="a.txt")
        return response_holder["response"]

    status, headers, body, result = run(handler_for(view), make_environ(**{"wsgi.file_wrapper": FileWrapper}))
    assert isinstance(result, FileWrapper), (
        f"for a FileResponse, the handler returned {result!r}; expected environ['wsgi.file_wrapper'](...)"
    )
    assert body == b"file data", f"the file wrapper gave the body {body!r}; expected b'file data'"
    assert ("Content-Length", "9") in headers, (
        f"for a FileResponse of 9 bytes, start_response got the headers {headers!r}; expected ('Content-Length', '9')"
    )
    assert response_holder["response"].closed, "closing the wrapper the handler returned must close the response"
    assert file.closed, "closing the wrapper the handler returned must close the response's file"


@pytest.mark.exercise("01.6")
def test_handler_turns_bad_requests_into_400():
    """An error in the request (here a Host not in ALLOWED_HOSTS) becomes a '400 Bad Request', not a crash."""
    def view(request):
        request.get_host()
        return HttpResponse()

    status, *_ = run(handler_for(view), make_environ(HTTP_HOST="evil.example"))
    assert status == "400 Bad Request", (
        f"for a view calling request.get_host() with Host 'evil.example', not in ALLOWED_HOSTS, start_response got "
        f"the status line {status!r}; expected '400 Bad Request'"
    )


# --- tinyframe.utils.encoding: text and bytes at the edges ---------------------------

@pytest.mark.parametrize(
    "value, expected",
    [("text", "text"), (b"caf\xc3\xa9", "café"), (42, "42"), (None, "None")],
)
def test_force_str(value, expected):
    """force_str turns bytes (decoded as UTF-8) and any other object into text."""
    assert force_str(value) == expected


@pytest.mark.parametrize("value", [None, 1, 1.5, decimal.Decimal("1"), datetime.date(2024, 1, 1)])
def test_force_str_and_bytes_leave_protected_types_with_strings_only(value):
    assert force_str(value, strings_only=True) is value
    assert force_bytes(value, strings_only=True) is value


def test_force_bytes():
    """force_bytes turns text, memoryviews and other objects into bytes, and re-encodes bytes when given another
    encoding."""
    assert force_bytes("café") == b"caf\xc3\xa9"
    assert force_bytes(b"caf\xc3\xa9", encoding="latin-1") == b"caf\xe9"
    assert force_bytes(memoryview(b"m")) == b"m"
    assert force_bytes(7) == b"7"
    assert force_str(b"caf\xe9", "latin-1") == "café"


def test_iri_to_uri_and_escape_uri_path():
    """iri_to_uri percent-encodes a URL's non-ASCII characters and keeps its '?' and '#'; escape_uri_path encodes
    those too."""
    assert iri_to_uri(None) is None
    assert iri_to_uri("/ö?q=ü#frag") == "/%C3%B6?q=%C3%BC#frag"
    assert escape_uri_path("/ö/#?") == "/%C3%B6/%23%3F"


def test_repercent_broken_unicode_keeps_valid_utf8():
    assert repercent_broken_unicode("/✓/".encode()) == "/✓/".encode()
    assert repercent_broken_unicode(b"\xff\xc3\xa9\xfe") == b"%FF\xc3\xa9%FE"
