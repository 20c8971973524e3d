"""The handler: WSGI compliance, the welcome page, exceptions turned into responses, logging.

The tests that call ``WSGIHandler()`` are marked 01.6 (``WSGIHandler.__call__``),
and 01.7 too where the body is multipart: the handler turns a stub raising
inside it into a 500, which does not name the exercise, so the marks say what
a test waits for.
"""

import json
import logging
from http import HTTPStatus
from io import BytesIO
from typing import NamedTuple
from wsgiref.util import FileWrapper, setup_testing_defaults
from wsgiref.validate import validator

import pytest

from tinyframe.core.exceptions import (
    BadRequest,
    DisallowedHost,
    ImproperlyConfigured,
    PermissionDenied,
    RequestDataTooBig,
    SuspiciousOperation,
    TooManyFieldsSent,
)
from tinyframe.core.handlers.exception import convert_exception_to_response
from tinyframe.core.handlers.wsgi import WSGIHandler
from tinyframe.core.wsgi import get_wsgi_application
from tinyframe.http import FileResponse, Http404, HttpResponse, JsonResponse, StreamingHttpResponse
from tinyframe.test import Client
from tinyframe.test.utils import override_settings


class WSGIResult(NamedTuple):
    status: str
    headers: list
    body: bytes

    def header(self, name):
        return [value for key, value in self.headers if key.lower() == name.lower()]


def call_wsgi(app, path="/", method="GET", body=b"", content_type="", query="", **environ) -> WSGIResult:
    """Call ``app`` as a WSGI server would, through wsgiref's PEP 3333 validator."""
    base = {}
    setup_testing_defaults(base)
    base.update(REQUEST_METHOD=method, PATH_INFO=path, QUERY_STRING=query, CONTENT_LENGTH=str(len(body)))
    base["wsgi.input"] = BytesIO(body)
    if content_type:
        base["CONTENT_TYPE"] = content_type
    base.update(environ)
    started = {}

    def start_response(status, headers, exc_info=None):
        started.update(status=status, headers=headers)
        return lambda data: None

    result = validator(app)(base, start_response)
    try:
        content = b"".join(result)
    finally:
        result.close()
    return WSGIResult(started["status"], started["headers"], content)


def raising(exc):
    def view(request):
        raise exc

    return view


# --- the default handler ----------------------------------------------------


@pytest.mark.exercise("01.6")
def test_every_path_shows_the_welcome_page_with_the_path_escaped():
    result = call_wsgi(WSGIHandler(), path="/<script>alert(1)</script>/")
    assert result.status == "200 OK", f"GET on a fresh WSGIHandler() gave {result.status!r}, expected '200 OK'"
    assert b"tinyframe is running" in result.body
    assert b"/&lt;script&gt;alert(1)&lt;/script&gt;/" in result.body, "the path must be shown HTML-escaped"
    assert b"<script>" not in result.body
    assert result.header("Content-Type") == ["text/html; charset=utf-8"]


@pytest.mark.exercise("01.6")
def test_a_subclass_routes_requests_by_overriding_resolve_request():
    def hello(request, name):
        return HttpResponse(f"Hello, {name}!")

    class HelloHandler(WSGIHandler):
        def resolve_request(self, request):
            return hello, (), {"name": "Ada"}

    assert call_wsgi(HelloHandler()).body == b"Hello, Ada!"


@pytest.mark.exercise("01.6")
def test_get_wsgi_application_returns_a_ready_handler():
    application = get_wsgi_application()
    assert isinstance(application, WSGIHandler)
    assert call_wsgi(application).status == "200 OK"


# --- views through WSGI -----------------------------------------------------


@pytest.mark.exercise("01.6")
def test_query_string_and_form_body_reach_the_view(serve):
    serve(lambda request: HttpResponse(f"{request.method} q={request.GET['q']} name={request.POST['name']}"))
    result = call_wsgi(WSGIHandler(), method="POST", query="q=caf%C3%A9", body=b"name=Ada+L",
                       content_type="application/x-www-form-urlencoded")
    assert result.body == "POST q=café name=Ada L".encode()


@pytest.mark.exercise("01.6")
def test_cookies_are_sent_as_set_cookie_headers(serve):
    def view(request):
        response = HttpResponse("ok")
        response.set_cookie("theme", "dark", httponly=True)
        response.set_cookie("lang", "en")
        return response

    serve(view)
    cookies = call_wsgi(WSGIHandler()).header("Set-Cookie")
    assert sorted(cookie.split(";")[0] for cookie in cookies) == ["lang=en", "theme=dark"]
    assert any("HttpOnly" in cookie for cookie in cookies)


@pytest.mark.exercise("01.6")
def test_streaming_response_is_sent_piece_by_piece_and_closed(serve):
    closed = []

    def pieces():
        try:
            yield "one,"
            yield b"two"
        finally:
            closed.append(True)

    serve(lambda request: StreamingHttpResponse(pieces()))
    assert call_wsgi(WSGIHandler()).body == b"one,two"
    assert closed == [True], "the generator must be closed once the server closes the response"


@pytest.mark.exercise("01.6")
@pytest.mark.parametrize("with_file_wrapper", [False, True])
def test_file_response_streams_the_file_and_closes_it(serve, tmp_path, with_file_wrapper):
    path = tmp_path / "notes.txt"
    path.write_bytes(b"x" * 10_000)
    opened = []

    def view(request):
        opened.append(open(path, "rb"))
        return FileResponse(opened[-1])

    serve(view)
    extra = {"wsgi.file_wrapper": FileWrapper} if with_file_wrapper else {}
    result = call_wsgi(WSGIHandler(), **extra)
    assert result.body == b"x" * 10_000
    assert result.header("Content-Length") == ["10000"]
    assert opened[0].closed, "the file must be closed after the response is sent"


@pytest.mark.exercise("01.7")
def test_uploaded_files_are_closed_with_the_response(serve):
    uploads = []

    def view(request):
        uploads.append(request.FILES["file"])
        return HttpResponse("stored")

    serve(view)
    response = Client().post("/", {"file": BytesIO(b"data")})
    assert response.content == b"stored"
    assert uploads[0].file.closed, "closing the response must close the request's uploaded files"


# --- exceptions become responses --------------------------------------------


@pytest.mark.exercise("01.6")
@pytest.mark.parametrize("exc, status, title", [
    (Http404("no such article"), "404 Not Found", b"<h1>Not Found</h1>"),
    (PermissionDenied("staff only"), "403 Forbidden", b"<h1>403 Forbidden</h1>"),
    (BadRequest("bad input"), "400 Bad Request", b"<h1>Bad Request (400)</h1>"),
    (SuspiciousOperation("odd"), "400 Bad Request", b"<h1>Bad Request (400)</h1>"),
    (DisallowedHost("Invalid HTTP_HOST header: 'evil'"), "400 Bad Request", b"<h1>Bad Request (400)</h1>"),
    (TooManyFieldsSent("too many"), "400 Bad Request", b"<h1>Bad Request (400)</h1>"),
    # Python 3.13 renamed 413's reason phrase to "Content Too Large"; the status line follows Python.
    (RequestDataTooBig("too big"), f"413 {HTTPStatus(413).phrase}", b"<h1>Content Too Large (413)</h1>"),
    (ValueError("boom"), "500 Internal Server Error", b"<h1>Server Error (500)</h1>"),
])
def test_exceptions_become_error_pages(serve, caplog, exc, status, title):
    serve(raising(exc))
    result = call_wsgi(WSGIHandler())
    assert result.status == status, f"a view raising {exc!r} gave {result.status!r}, expected {status!r}"
    assert title in result.body
    assert str(exc).encode() not in result.body, "without DEBUG, error pages must not show the message"


@pytest.mark.exercise("01.6")
@pytest.mark.parametrize("exc", [
    Http404("no <b>such</b> article"),
    PermissionDenied("staff <b>only</b>"),
    DisallowedHost("Invalid HTTP_HOST header: '<b>evil</b>'"),
])
def test_debug_shows_client_error_messages_escaped(serve, exc):
    serve(raising(exc))
    with override_settings(DEBUG=True):
        body = call_wsgi(WSGIHandler()).body
    assert b"&lt;b&gt;" in body and b"<b>" not in body, f"DEBUG page for {exc!r} must show the message escaped"


@pytest.mark.exercise("01.6")
def test_every_request_host_is_checked_even_if_the_view_never_asks(serve, caplog):
    serve(lambda request: HttpResponse("the view ran"))
    result = call_wsgi(WSGIHandler(), HTTP_HOST="evil.example")
    assert result.status == "400 Bad Request", f"a request for Host evil.example got {result.status}; expected 400"
    assert b"the view ran" not in result.body


@pytest.mark.exercise("01.3", "01.6")
@override_settings(ALLOWED_HOSTS=["example.com"])
@pytest.mark.parametrize(
    "host, status",
    [
        ("example.com", "200 OK"),
        ("example.com.", "200 OK"),  # the fully qualified name: one trailing dot
        ("example.com..", "400 Bad Request"),
        ("example.com...", "400 Bad Request"),
        ("EXAMPLE.com:8000", "200 OK"),
    ],
)
def test_only_one_trailing_dot_of_the_host_is_forgiven(serve, caplog, host, status):
    """A Host of 'example.com..' does not pass ALLOWED_HOSTS = ['example.com'] (nor does it in Django):
    only the one dot of a fully qualified name is dropped before matching."""
    serve(lambda request: HttpResponse("the view ran"))
    result = call_wsgi(WSGIHandler(), HTTP_HOST=host)
    assert result.status == status, f"a request for Host {host!r} got {result.status}; expected {status}"
    assert (b"the view ran" in result.body) is (status == "200 OK")
    if status != "200 OK":
        records = [record.getMessage() for record in caplog.records if record.name == "tinyframe.security.DisallowedHost"]
        expected = f"Invalid HTTP_HOST header: {host!r}. You may need to add {host[:-1]!r} to ALLOWED_HOSTS."
        assert records == [expected], records


@pytest.mark.exercise("01.6")
def test_a_disallowed_host_is_a_400_logged_on_the_security_logger(serve, caplog):
    serve(lambda request: HttpResponse(request.get_host()))
    result = call_wsgi(WSGIHandler(), HTTP_HOST="evil.example")
    assert result.status == "400 Bad Request"
    assert b"evil.example" not in result.body
    records = [record for record in caplog.records if record.name == "tinyframe.security.DisallowedHost"]
    assert records and "evil.example" in records[0].getMessage()


@pytest.mark.exercise("01.6")
@override_settings(DATA_UPLOAD_MAX_MEMORY_SIZE=10)
def test_an_oversized_body_is_a_413(serve):
    serve(lambda request: HttpResponse(str(dict(request.POST))))
    result = call_wsgi(WSGIHandler(), method="POST", body=b"a=" + b"x" * 100,
                       content_type="application/x-www-form-urlencoded")
    assert result.status.startswith("413 "), f"a 102-byte body over a 10-byte limit gave {result.status}"


@pytest.mark.exercise("01.6", "01.7")
def test_a_malformed_multipart_body_is_a_400(serve, caplog):
    serve(lambda request: HttpResponse(str(dict(request.POST))))
    result = call_wsgi(WSGIHandler(), method="POST", body=b"--B\r\nnot a part",
                       content_type="multipart/form-data; boundary=B")
    assert result.status == "400 Bad Request"
    assert any("Unable to parse request body" in record.getMessage() for record in caplog.records)


@pytest.mark.exercise("01.6")
def test_server_error_page_leaks_nothing_without_debug(serve):
    serve(raising(RuntimeError("password=hunter2")))
    body = call_wsgi(WSGIHandler()).body
    for secret in (b"hunter2", b"RuntimeError", b"Traceback", b"test_handler"):
        assert secret not in body, f"the non-DEBUG 500 page shows {secret!r}"


@pytest.mark.exercise("01.6")
def test_debug_server_error_page_shows_the_exception_escaped(serve):
    serve(raising(RuntimeError("<script>alert('x')</script>")))
    with override_settings(DEBUG=True):
        body = call_wsgi(WSGIHandler(), path="/p<i>/").body.decode()
    assert "RuntimeError" in body and "Traceback" in body, "the DEBUG page names the exception and shows the traceback"
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in body, "the message must be HTML-escaped"
    assert "<script>" not in body and "<i>" not in body, "nothing from the request or the exception may be raw HTML"
    assert "raise exc" in body, "the DEBUG page shows the traceback"


@pytest.mark.exercise("01.6")
def test_errors_are_logged_once_with_the_traceback(serve, caplog):
    serve({"/boom/": raising(ValueError("boom"))})
    call_wsgi(WSGIHandler(), path="/boom/")
    call_wsgi(WSGIHandler(), path="/missing/")
    request_records = [record for record in caplog.records if record.name == "tinyframe.request"]
    messages = [(record.levelname, record.getMessage()) for record in request_records]
    assert messages == [("ERROR", "Internal Server Error: /boom/"), ("WARNING", "Not Found: /missing/")]
    assert request_records[0].exc_info and request_records[0].exc_info[0] is ValueError


def test_the_logged_path_cannot_forge_a_log_line(serve, caplog):
    """A newline and a non-ASCII character in the path are logged as escapes: Django 5.2 logs the same line."""
    serve({"/ok/": lambda request: HttpResponse("ok")})
    response = Client().get("/ok/%C3%A9%0A")
    assert response.status_code == 404
    messages = [record.getMessage() for record in caplog.records if record.name == "tinyframe.request"]
    djangos = "Not Found: /ok/\\xe9\\n"  # backslashes, not a newline
    assert messages == [djangos], f"a 404 on /ok/%C3%A9%0A logged {messages}; Django logs {[djangos]}"


# --- views that return the wrong thing --------------------------------------


def test_a_view_returning_none_is_a_clear_error(serve):
    def forgetful(request):
        HttpResponse("forgot to return this")

    serve(forgetful)
    with pytest.raises(ValueError) as caught:
        Client().get("/")
    message = str(caught.value)
    assert message.startswith("The view ") and "forgetful" in message, message
    assert message.endswith("didn't return an HttpResponse object. It returned None instead."), message
    assert Client(raise_request_exception=False).get("/").status_code == 500


def test_a_callable_object_view_is_named_by_its_class(serve):
    class Forgetful:
        def __call__(self, request):
            return None

    serve(Forgetful())
    with pytest.raises(ValueError, match=r"The view .*Forgetful\.__call__ didn't return"):
        Client().get("/")


def test_async_views_are_refused_clearly(serve):
    ran = []

    async def view(request):
        ran.append(request)
        return HttpResponse("never")

    serve(view)
    with pytest.raises(ImproperlyConfigured, match="coroutine function .async def.* WSGI only") as caught:
        Client().get("/")
    message = str(caught.value)
    assert "test_handler.view is a coroutine function (async def)" in message, message
    assert message.endswith("Define the view with a plain 'def'."), message
    assert ran == [], f"the async view's body ran: {ran}"

    class SneakyAsync:
        async def __call__(self, request):
            return HttpResponse("never")

    serve(SneakyAsync())
    with pytest.raises(ValueError) as caught:
        Client().get("/")
    assert str(caught.value) == (
        f"The view {__name__}.SneakyAsync.__call__ didn't return an HttpResponse object. It returned an unawaited "
        "coroutine instead. You may need to add an 'await' into your view."
    )


def returning(value):
    def view(request):
        return value

    return view


@pytest.mark.parametrize(
    "value, returned, note",
    [
        (None, "None", None),
        ("<h1>Hello</h1>", "a str", "Wrap the text in a response: return HttpResponse('<h1>Hello</h1>')."),
        (b"x" * 100, "a bytes", "Wrap the text in a response: return HttpResponse(b'" + "x" * 35 + "...)."),  # cut short
        ({"ok": True}, "a dict", "To answer with JSON, return JsonResponse(...) (safe=False for a list)."),
        ([1, 2], "a list", "To answer with JSON, return JsonResponse(...) (safe=False for a list)."),
        (42, "an int", None),
        (HttpResponse, "a type", None),
    ],
)
def test_a_view_returning_something_else_names_the_view_and_what_it_returned(serve, value, returned, note):
    """A view that returns a str, a dict, None... gets Django's message naming the view and what it returned
    (never an AttributeError from deep inside the handler), with a note on what to return instead."""
    serve(returning(value))
    with pytest.raises(ValueError) as caught:
        Client().get("/")
    expected = f"The view {__name__}.view didn't return an HttpResponse object. It returned {returned} instead."
    assert str(caught.value) == expected, f"got {str(caught.value)!r}; expected {expected!r}"
    assert getattr(caught.value, "__notes__", [None]) == [note]
    response = Client(raise_request_exception=False).get("/")
    assert response.status_code == 500


def test_convert_exception_to_response_wraps_any_callable(caplog):
    def get_response(request):
        raise PermissionDenied

    wrapped = convert_exception_to_response(get_response)
    assert wrapped.__name__ == "get_response"
    request = Client().get("/").wsgi_request
    assert wrapped(request).status_code == 403
    assert any(record.levelno == logging.WARNING for record in caplog.records)


# --- FORCE_SCRIPT_NAME --------------------------------------------------------


def where(request):
    """Describe where the request says it is, as JSON."""
    return JsonResponse({
        "path": request.path,
        "path_info": request.path_info,
        "SCRIPT_NAME": request.META["SCRIPT_NAME"],
        "full_path": request.get_full_path(),
        "absolute": request.build_absolute_uri(),
    })


@pytest.mark.parametrize(
    "force_script_name, script_name, path",
    [
        (None, "/mnt", "/mnt/posts/"),  # not set: the server's SCRIPT_NAME counts
        ("/blog", "", "/blog/posts/"),  # a proxy stripped the prefix; the setting puts it back
        ("/blog", "/mnt", "/blog/posts/"),  # set: it wins over the server's
        ("/blog/", "", "/blog/posts/"),
        ("", "/mnt", "/posts/"),  # set to '': the site is at the root, whatever the server says
    ],
)
def test_force_script_name_becomes_the_requests_script_name(serve, force_script_name, script_name, path):
    """FORCE_SCRIPT_NAME, when set, replaces the server's SCRIPT_NAME: request.path, get_full_path() and
    build_absolute_uri() carry it, and path_info (what URLs are resolved against) does not (as in Django)."""
    serve(where)
    with override_settings(FORCE_SCRIPT_NAME=force_script_name):
        result = call_wsgi(WSGIHandler(), path="/posts/", query="page=2", SCRIPT_NAME=script_name)
    seen = json.loads(result.body)
    expected_script = script_name if force_script_name is None else force_script_name
    assert seen == {
        "path": path,
        "path_info": "/posts/",
        "SCRIPT_NAME": expected_script,
        "full_path": path + "?page=2",
        "absolute": f"http://127.0.0.1{path}?page=2",
    }, f"FORCE_SCRIPT_NAME={force_script_name!r} with SCRIPT_NAME={script_name!r}: the view saw {seen}"


@override_settings(FORCE_SCRIPT_NAME="/blog")
def test_force_script_name_through_the_test_client(serve, client):
    """The test client's requests follow FORCE_SCRIPT_NAME too."""
    serve(where)
    seen = client.get("/posts/").json()
    assert (seen["path"], seen["path_info"], seen["absolute"]) == (
        "/blog/posts/", "/posts/", "http://testserver/blog/posts/"
    )
