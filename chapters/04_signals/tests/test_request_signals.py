"""The request signals: request_started, got_request_exception and request_finished, in the order they come."""

import sys
from io import BytesIO
from wsgiref.util import setup_testing_defaults
from wsgiref.validate import validator

import pytest

from tinyframe.core.exceptions import PermissionDenied
from tinyframe.core.handlers.wsgi import WSGIHandler
from tinyframe.core.signals import got_request_exception, request_finished, request_started
from tinyframe.http import Http404, HttpResponse, StreamingHttpResponse
from tinyframe.test import Client
from tinyframe.test.client import ClientHandler


@pytest.fixture
def heard_all(listen, heard):
    """Listen to the three request signals; ``heard`` gets them in order, with what the views add."""
    listen(request_started, "started")
    listen(got_request_exception, "exception")
    listen(request_finished, "finished")
    return heard


def events(heard) -> list[str]:
    return [name for name, _sender, _kwargs in heard]


def test_request_started_comes_before_the_view_and_request_finished_after(site, client, heard_all):
    """Through the test client: request_started, then the view, then request_finished."""

    def view(request):
        heard_all.append(("view", None, {}))
        return HttpResponse("ok")

    site({"page/": view})
    client.get("/page/")
    assert events(heard_all) == ["started", "view", "finished"], (
        f"a request sent {events(heard_all)}; expected ['started', 'view', 'finished']"
    )


def test_what_the_request_signals_send_through_the_test_client(site, client, heard_all):
    """request_started: sender=ClientHandler and the environ; request_finished: sender=None, as in Django."""
    site({"page/": lambda request: HttpResponse("ok")})
    response = client.get("/page/", {"q": "1"})
    (_, started_sender, started), (_, finished_sender, finished) = heard_all
    assert started_sender is ClientHandler
    assert started["environ"] is response.wsgi_request.META
    assert (started["environ"]["PATH_INFO"], started["environ"]["QUERY_STRING"]) == ("/page/", "q=1")
    assert (finished_sender, finished) == (None, {})


def test_a_view_that_raises_sends_got_request_exception_with_the_request(site, heard_all):
    """When a view raises, got_request_exception (sender=None, request=...) comes between started and finished."""
    seen = {}

    def view(request):
        raise ZeroDivisionError("division by zero in the view")

    def inspect_exception(sender, request, **kwargs):
        seen["exception"] = sys.exc_info()[1]
        seen["path"] = request.path

    site({"boom/": view})
    got_request_exception.connect(inspect_exception)
    try:
        response = Client(raise_request_exception=False).get("/boom/")
    finally:
        got_request_exception.disconnect(inspect_exception)
    assert response.status_code == 500
    assert events(heard_all) == ["started", "exception", "finished"], (
        f"a view raising ZeroDivisionError sent {events(heard_all)}; expected ['started', 'exception', 'finished']"
    )
    _name, sender, kwargs = heard_all[1]
    assert sender is None and kwargs["request"] is response.wsgi_request
    assert isinstance(seen["exception"], ZeroDivisionError), (
        f"inside a got_request_exception receiver sys.exc_info() gave {seen['exception']!r}; expected the view's "
        "ZeroDivisionError"
    )
    assert seen["path"] == "/boom/"


def test_the_test_client_still_raises_the_views_exception(site, heard_all):
    """With raise_request_exception (the default), the client raises the view's exception after the signals."""

    def view(request):
        raise KeyError("missing")

    site({"boom/": view})
    with pytest.raises(KeyError):
        Client().get("/boom/")
    assert events(heard_all) == ["started", "exception", "finished"]


@pytest.mark.parametrize("exception, status", [(Http404("no post"), 404), (PermissionDenied("no"), 403)])
def test_client_errors_send_no_got_request_exception(site, client, heard_all, exception, status):
    """Http404 and PermissionDenied are answers, not failures: no got_request_exception."""

    def view(request):
        raise exception

    site({"page/": view})
    assert client.get("/page/").status_code == status
    assert events(heard_all) == ["started", "finished"], (
        f"a view raising {type(exception).__name__} sent {events(heard_all)}; expected ['started', 'finished']"
    )


def test_a_failing_error_view_sends_got_request_exception(site, client, heard_all):
    """When the handler404 view itself raises, that is a server error: got_request_exception is sent."""

    def not_found(request, exception):
        raise RuntimeError("the 404 page is broken")

    def view(request):
        raise Http404("no post")

    site({"page/": view}, handler404=not_found)
    response = Client(raise_request_exception=False).get("/page/")
    assert response.status_code == 500
    assert events(heard_all) == ["started", "exception", "finished"]


def test_a_streaming_response_finishes_when_the_client_has_read_it(site, client, heard_all):
    """request_finished comes after the streamed body is consumed and the response closed, not before."""

    def chunks():
        heard_all.append(("chunk", None, {}))
        yield b"a"
        heard_all.append(("chunk", None, {}))
        yield b"b"

    site({"stream/": lambda request: StreamingHttpResponse(chunks())})
    response = client.get("/stream/")
    assert events(heard_all) == ["started"], (
        f"before its body was read, a streaming request sent {events(heard_all)}; expected ['started'] only"
    )
    assert b"".join(response.streaming_content) == b"ab"
    assert events(heard_all) == ["started", "chunk", "chunk", "finished"]


def call_wsgi(app, path: str, on_first_chunk=None) -> tuple[str, bytes]:
    """Call ``app`` through wsgiref's PEP 3333 validator as a server would: read the body, then close it."""
    environ = {}
    setup_testing_defaults(environ)
    environ.update(PATH_INFO=path, QUERY_STRING="", HTTP_HOST="testserver", **{"wsgi.input": BytesIO(b"")})
    statuses = []
    result = validator(app)(environ, lambda status, headers, exc_info=None: statuses.append(status))
    body = b""
    try:
        for chunk in result:
            body += chunk
            if on_first_chunk is not None:
                on_first_chunk()
                on_first_chunk = None
    finally:
        result.close()
    return statuses[0], body


def test_under_a_wsgi_server_request_finished_comes_when_the_server_closes_the_response(site, heard_all):
    """Through WSGIHandler and wsgiref.validate: request_finished (sender=WSGIHandler) only at close()."""

    def chunks():
        yield b"first "
        yield b"second"

    site({"stream/": lambda request: StreamingHttpResponse(chunks())})
    during = []
    status, body = call_wsgi(WSGIHandler(), "/stream/", on_first_chunk=lambda: during.extend(events(heard_all)))
    assert (status, body) == ("200 OK", b"first second")
    assert during == ["started"], f"while the server sent the body, the signals were {during}; expected ['started']"
    assert [(name, sender) for name, sender, _ in heard_all] == [("started", WSGIHandler), ("finished", WSGIHandler)]


def test_under_a_wsgi_server_a_failing_view_sends_all_three(site, heard_all):
    def view(request):
        raise ValueError("broken")

    site({"boom/": view})
    status, _body = call_wsgi(WSGIHandler(), "/boom/")
    assert status == "500 Internal Server Error"
    assert events(heard_all) == ["started", "exception", "finished"]
