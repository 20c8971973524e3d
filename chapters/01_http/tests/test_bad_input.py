"""The bad-input table: whatever a client sends, it gets a clear 4xx (or a normal answer), never a 500 or a hang.

Each row is a request a broken or hostile client might send, run through the
WSGI handler to a view that reads everything (host, GET, POST, FILES,
COOKIES), and the status it must get back.
"""

import io
import json
import logging
from wsgiref.util import setup_testing_defaults

import pytest

from tinyframe.conf import settings
from tinyframe.core.handlers.wsgi import WSGIHandler, WSGIRequest
from tinyframe.http import BadHeaderError, HttpResponse, JsonResponse


def echo(request):
    """A view that touches every part of the request and reports what it found."""
    request.get_host()
    return JsonResponse({
        "path": request.path,
        "GET": dict(request.GET.lists()),
        "POST": dict(request.POST.lists()),
        "FILES": sorted(request.FILES),
        "COOKIES": request.COOKIES,
    })


class EchoHandler(WSGIHandler):
    def resolve_request(self, request):
        return echo, (), {}


def make_environ(method="GET", path="/", query_string="", body=b"", content_type="", **extra) -> dict:
    environ = {
        "REQUEST_METHOD": method,
        "SCRIPT_NAME": "",
        "PATH_INFO": path,
        "QUERY_STRING": query_string,
        "HTTP_HOST": "testserver",
        "CONTENT_TYPE": content_type,
        "CONTENT_LENGTH": str(len(body)),
        "wsgi.input": io.BytesIO(body),
    }
    environ.update(extra)
    setup_testing_defaults(environ)
    return environ


def call(environ):
    """Run the handler; return (status code, parsed JSON body or None)."""
    statuses = []
    result = EchoHandler()(environ, lambda status, headers, exc_info=None: statuses.append(status))
    body = b"".join(result)
    result.close()
    code = int(statuses[0].split()[0])
    return code, (json.loads(body) if code == 200 else None)


URLENCODED = "application/x-www-form-urlencoded"
MULTIPART = "multipart/form-data; boundary=B"
FIELD = b'--B\r\nContent-Disposition: form-data; name="a"\r\n\r\n1\r\n'

# (id, environ, expected status, what the view must have seen: {key: value} or None)
CASES = [
    ("path-bad-percent-escape", make_environ(path="/%ZZ/"), 200, {"path": "/%ZZ/"}),
    ("path-invalid-utf8", make_environ(path="/caf\xe9/\xff"), 200, {"path": "/caf%E9/%FF"}),
    ("query-bad-percent-escape", make_environ(query_string="a=%ZZ&b=%"), 200, {"GET": {"a": ["%ZZ"], "b": ["%"]}}),
    ("query-percent-encoded-invalid-utf8", make_environ(query_string="a=%FF%FE"), 200, {"GET": {"a": ["\ufffd\ufffd"]}}),
    ("query-raw-invalid-utf8", make_environ(query_string="a=\xff"), 200, {"GET": {"a": ["ÿ"]}}),
    ("query-too-many-fields", make_environ(query_string="&".join(["x=1"] * 1001)), 400, None),
    ("body-invalid-utf8", make_environ("POST", body=b"a=%FF&b=\xff", content_type=URLENCODED), 200,
     {"POST": {"a": ["\ufffd"], "b": ["ÿ"]}}),
    ("body-too-many-fields", make_environ("POST", body=b"&".join([b"x=1"] * 1001), content_type=URLENCODED), 400, None),
    ("body-too-big", make_environ("POST", body=b"a=" + b"x" * 2621440, content_type=URLENCODED), 413, None),
    ("body-charset-not-utf8", make_environ("POST", body=b"a=caf%E9", content_type=URLENCODED + "; charset=latin-1"),
     400, None),
    ("body-charset-unknown", make_environ("POST", body=b"a=1", content_type=URLENCODED + "; charset=nope"), 200,
     {"POST": {"a": ["1"]}}),
    ("content-length-negative", make_environ("POST", body=b"a=1", content_type=URLENCODED, CONTENT_LENGTH="-1"), 200,
     {"POST": {}}),
    ("content-length-garbage", make_environ("POST", body=b"a=1", content_type=URLENCODED, CONTENT_LENGTH="1e3"), 200,
     {"POST": {}}),
    ("content-length-larger-than-body", make_environ("POST", body=b"a=1", content_type=URLENCODED, CONTENT_LENGTH="100"),
     200, {"POST": {"a": ["1"]}}),
    ("host-not-allowed", make_environ(HTTP_HOST="evil.example"), 400, None),
    ("host-malformed", make_environ(HTTP_HOST="bad host:80:80"), 400, None),
    ("host-with-path", make_environ(HTTP_HOST="testserver/../evil"), 400, None),
    ("host-empty", make_environ(HTTP_HOST=""), 400, None),
    ("cookie-malformed", make_environ(HTTP_COOKIE='a=1; ; =; b; c="unterminated; d=\xff'), 200,
     {"COOKIES": {"a": "1", "": "b", "c": '"unterminated', "d": "\ufffd"}}),
    ("multipart-no-boundary-param", make_environ("POST", body=FIELD, content_type="multipart/form-data"), 400, None),
    ("multipart-invalid-boundary", make_environ("POST", body=FIELD, content_type="multipart/form-data; boundary=\"a\x01\""),
     400, None),
    ("multipart-no-closing-boundary", make_environ("POST", body=FIELD, content_type=MULTIPART), 400, None),
    ("multipart-part-without-headers", make_environ("POST", body=b"--B\r\n\r\n1\r\n--B--", content_type=MULTIPART),
     400, None),
    ("multipart-bad-content-disposition",
     make_environ("POST", body=b"--B\r\nContent-Disposition: inline\r\n\r\n1\r\n--B--", content_type=MULTIPART), 400, None),
    ("multipart-garbage", make_environ("POST", body=b"\x00\xff" * 100, content_type=MULTIPART), 400, None),
    ("multipart-truncated", make_environ("POST", body=FIELD + b"--B--", content_type=MULTIPART, CONTENT_LENGTH="20"),
     400, None),
    ("multipart-content-length-larger-than-body",
     make_environ("POST", body=FIELD + b"--B--\r\n", content_type=MULTIPART, CONTENT_LENGTH="100000"), 200,
     {"POST": {"a": ["1"]}}),
    ("multipart-invalid-utf8-field",
     make_environ("POST", body=b'--B\r\nContent-Disposition: form-data; name="a"\r\n\r\n\xff\r\n--B--', content_type=MULTIPART),
     200, {"POST": {"a": ["\ufffd"]}}),
    ("multipart-path-traversal-filename",
     make_environ("POST", body=b'--B\r\nContent-Disposition: form-data; name="f"; filename="../../x"\r\n\r\n1\r\n--B--',
                  content_type=MULTIPART), 200, {"FILES": ["f"]}),
]


# The rows whose body reaches MultiPartParser.parse (01.7). Every row goes through
# WSGIHandler.__call__ (01.6), which turns an exercise's stub raising inside it
# into a 500 that does not name the exercise: the marks say what a row waits for.
PARSED = {
    "multipart-no-closing-boundary", "multipart-part-without-headers", "multipart-bad-content-disposition",
    "multipart-garbage", "multipart-truncated", "multipart-content-length-larger-than-body",
    "multipart-invalid-utf8-field", "multipart-path-traversal-filename",
}


@pytest.mark.exercise("01.6")
@pytest.mark.parametrize("environ, status, seen", [
    pytest.param(*case[1:], id=case[0], marks=[pytest.mark.exercise("01.7")] if case[0] in PARSED else [])
    for case in CASES
])
def test_bad_input_gets_a_clear_status(environ, status, seen, caplog):
    """Malformed or oversized input never crashes the handler: it is a 400 or a 413, or it is handled (a 200) and
    the view sees sane values."""
    caplog.set_level(logging.CRITICAL)  # the handler logs 4xx; the table checks statuses
    got_status, got_data = call(environ)
    assert got_status == status, (
        f"the request got {got_status}; expected {status} (400: malformed, 413: too big, 200: handled)"
    )
    for key, value in (seen or {}).items():
        assert got_data[key] == value, f"the view saw {key} = {got_data[key]!r}; expected {value!r}"


class ShortStream:
    """wsgi.input of a client that sent ``data``, less than its CONTENT_LENGTH, and stopped.

    Reads return what there is, then b"". Code that reads again after b"" is
    waiting for bytes that will never come (a real server would block, or spin):
    here that fails the test.
    """

    def __init__(self, data: bytes):
        self._data = io.BytesIO(data)
        self.ended = False

    def read(self, size=-1):
        if self.ended:
            raise AssertionError("read() again after the body ended: this would wait forever")
        data = self._data.read(size)
        self.ended = not data
        return data

    def readline(self, size=-1):
        return self.read(size)


@pytest.mark.parametrize(
    "content_type, body, expect_error",
    [
        pytest.param(URLENCODED, b"a=1", False, id="urlencoded"),
        pytest.param(MULTIPART, FIELD + b"--B--\r\n", False, id="multipart-complete",
                     marks=pytest.mark.exercise("01.7")),
        pytest.param(MULTIPART, FIELD, True, id="multipart-cut-short", marks=pytest.mark.exercise("01.7")),
    ],
)
def test_content_length_larger_than_the_body_never_waits_for_more(content_type, body, expect_error):
    environ = make_environ("POST", body=body, content_type=content_type, CONTENT_LENGTH="1000000")
    environ["wsgi.input"] = ShortStream(body)
    request = WSGIRequest(environ)
    if expect_error:
        from tinyframe.http.multipartparser import MultiPartParserError

        with pytest.raises(MultiPartParserError):
            request.POST
    else:
        assert request.POST["a"] == "1"


@pytest.mark.exercise("01.6")
def test_limit_is_set_by_data_upload_max_memory_size(monkeypatch, caplog):
    caplog.set_level(logging.CRITICAL)
    monkeypatch.setattr(settings, "DATA_UPLOAD_MAX_MEMORY_SIZE", 10)
    status, _ = call(make_environ("POST", body=b"a=123456789", content_type=URLENCODED))
    assert status == 413
    status, _ = call(make_environ("POST", body=b"a=12345678", content_type=URLENCODED))
    assert status == 200


@pytest.mark.parametrize("value", ["a\r\nSet-Cookie: admin=1", "a\nb", "a\rb"])
def test_header_value_with_cr_or_lf_is_refused(value):
    with pytest.raises(BadHeaderError):
        HttpResponse(headers={"X-Echo": value})
    with pytest.raises(BadHeaderError):
        HttpResponse()["Location"] = value


@pytest.mark.exercise("01.6")
def test_view_setting_a_header_from_user_input_with_crlf_fails_safely(caplog):
    caplog.set_level(logging.CRITICAL)

    class InjectingHandler(WSGIHandler):
        def resolve_request(self, request):
            return (lambda request: HttpResponse(headers={"X-Echo": request.GET["v"]})), (), {}

    headers_sent = []
    result = InjectingHandler()(
        make_environ(query_string="v=a%0D%0ASet-Cookie:%20admin=1"),
        lambda status, headers, exc_info=None: headers_sent.append((status, headers)),
    )
    result.close()
    status, headers = headers_sent[0]
    assert status.startswith("500"), "a header injection attempt must not reach the client"
    assert not any(name == "Set-Cookie" for name, _ in headers)
