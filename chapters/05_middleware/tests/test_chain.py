"""The chain: settings.MIDDLEWARE built once into layers around the view, an exception becoming a response at every layer."""

import logging

import pytest

from tinyframe.core.exceptions import ImproperlyConfigured, MiddlewareNotUsed, PermissionDenied
from tinyframe.core.handlers.base import BaseHandler
from tinyframe.core.handlers.middleware import MiddlewareHooks, build_middleware_chain
from tinyframe.http import Http404, HttpResponse
from tinyframe.test import Client
from tinyframe.urls import path


def recording(name, log):
    """A factory-style middleware that logs the request going in and the response coming out."""

    def factory(get_response):
        def middleware(request):
            log.append(f"{name} in")
            response = get_response(request)
            log.append(f"{name} out {response.status_code}")
            return response

        return middleware

    return factory


def logging_view(log):
    def view(request):
        log.append("view")
        return HttpResponse("hello")

    return view


class AddHeader:
    """A class-style middleware: made once with get_response, then called per request."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response["X-Added"] = "yes"
        return response


def add_header_factory(get_response):
    def middleware(request):
        response = get_response(request)
        response["X-Added"] = "by a function"
        return response

    return middleware


@pytest.mark.exercise("05.7")
@pytest.mark.parametrize("middleware, expected", [(AddHeader, "yes"), (add_header_factory, "by a function")])
def test_a_middleware_wraps_the_view(serve, middleware, expected):
    """A class or a function taking get_response is a middleware; what it returns handles each request."""
    client = serve([path("", lambda request: HttpResponse("hi"))], middleware=[middleware])
    response = client.get("/")
    assert (response.status_code, response.get("X-Added")) == (200, expected), (
        f"GET / with MIDDLEWARE=[{middleware.__name__}] answered {response.status_code} with X-Added "
        f"{response.get('X-Added')!r}; expected 200 and {expected!r}"
    )


@pytest.mark.exercise("05.7")
def test_the_first_middleware_is_the_outermost(serve):
    """The request goes in through A, B, C in settings order and the response comes out C, B, A."""
    log = []
    client = serve([path("", logging_view(log))],
                   middleware=[recording("A", log), recording("B", log), recording("C", log)])
    client.get("/")
    expected = ["A in", "B in", "C in", "view", "C out 200", "B out 200", "A out 200"]
    assert log == expected, f"MIDDLEWARE=[A, B, C] saw the request in this order: {log}; expected {expected}"


@pytest.mark.exercise("05.7")
def test_the_chain_is_built_once_not_per_request(serve):
    """Each factory runs once, when the handler loads the middleware; later requests reuse the chain."""
    built = []

    def counting(get_response):
        built.append(get_response)
        return get_response

    client = serve([path("", lambda request: HttpResponse("hi"))], middleware=[counting])
    for _ in range(3):
        client.get("/")
    assert len(built) == 1, f"three requests called the middleware factory {len(built)} times; expected once"


@pytest.mark.exercise("05.7")
def test_a_middleware_may_answer_without_calling_the_view(serve):
    """A layer that returns its own response keeps the request from the layers inside it."""
    log = []

    def closed(get_response):
        return lambda request: HttpResponse("closed for maintenance", status=503)

    client = serve([path("", logging_view(log))], middleware=[recording("A", log), closed, recording("C", log)])
    response = client.get("/")
    assert (response.status_code, log) == (503, ["A in", "A out 503"]), (
        f"with a middleware answering 503 between A and C: status {response.status_code}, log {log}; "
        "expected 503 and ['A in', 'A out 503'] (C and the view never called)"
    )


@pytest.mark.exercise("05.7")
def test_middleware_not_used_takes_itself_out(serve, caplog):
    """A factory raising MiddlewareNotUsed is skipped, and with DEBUG on that is logged at debug level."""
    log = []

    def not_used(get_response):
        raise MiddlewareNotUsed

    def not_used_with_reason(get_response):
        raise MiddlewareNotUsed("no cache configured")

    client = serve([path("", logging_view(log))],
                   middleware=[recording("A", log), not_used, not_used_with_reason, recording("D", log)], DEBUG=True)
    with caplog.at_level(logging.DEBUG, logger="tinyframe.request"):
        response = client.get("/")
    assert (response.status_code, log) == (200, ["A in", "D in", "view", "D out 200", "A out 200"]), (
        f"with two middleware raising MiddlewareNotUsed: status {response.status_code}, log {log}; "
        "expected the others to run as if they were not listed"
    )
    messages = [record.getMessage() for record in caplog.records if record.levelno == logging.DEBUG]
    assert len(messages) == 2 and messages[0].startswith("MiddlewareNotUsed("), messages
    assert messages[0].endswith("middleware_2'): no cache configured"), messages
    assert messages[1].startswith("MiddlewareNotUsed: '") and messages[1].endswith("middleware_1'"), messages


@pytest.mark.exercise("05.7")
def test_middleware_not_used_is_quiet_without_debug(middleware_paths, use_settings, caplog):
    """With DEBUG off, skipping a middleware logs nothing."""

    def not_used(get_response):
        raise MiddlewareNotUsed("quiet")

    use_settings(DEBUG=False)
    paths = middleware_paths([not_used])
    with caplog.at_level(logging.DEBUG, logger="tinyframe.request"):
        chain, hooks = build_middleware_chain(paths, HttpResponse)
    assert chain is HttpResponse and not hooks
    assert caplog.records == []


@pytest.mark.exercise("05.7")
def test_a_factory_returning_none_is_a_clear_error(middleware_paths):
    """A factory that forgets to return its middleware stops the start-up, naming it."""
    paths = middleware_paths([lambda get_response: None])
    with pytest.raises(ImproperlyConfigured) as raised:
        build_middleware_chain(paths, HttpResponse)
    assert str(raised.value) == f"Middleware factory {paths[0]} returned None.", str(raised.value)


@pytest.mark.exercise("05.7")
def test_a_path_that_does_not_import_names_the_entry():
    """A typo in MIDDLEWARE is an ImproperlyConfigured naming the entry and what is missing."""
    with pytest.raises(ImproperlyConfigured) as raised:
        build_middleware_chain(["tinyframe.middleware.common.CommonMidleware"], HttpResponse)
    assert str(raised.value) == (
        "MIDDLEWARE lists 'tinyframe.middleware.common.CommonMidleware', which cannot be imported: "
        'Module "tinyframe.middleware.common" does not define a "CommonMidleware" attribute/class'
    ), str(raised.value)


@pytest.mark.exercise("05.7")
def test_a_string_setting_is_a_clear_error():
    """MIDDLEWARE = "a.b.C" (a string, not a list) is refused rather than read letter by letter."""
    with pytest.raises(ImproperlyConfigured, match="must be a list or a tuple"):
        build_middleware_chain("tinyframe.middleware.common.CommonMiddleware", HttpResponse)


@pytest.mark.exercise("05.7")
def test_no_middleware_leaves_get_response_as_it_is():
    """An empty MIDDLEWARE returns the innermost callable itself, with no hooks."""
    chain, hooks = build_middleware_chain([], HttpResponse)
    assert chain is HttpResponse, f"build_middleware_chain([], get_response) returned {chain!r}; expected get_response"
    assert hooks == MiddlewareHooks() and not hooks


class Hooked:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        return None

    def process_exception(self, request, exception):
        return None

    def process_template_response(self, request, response):
        return response


@pytest.mark.exercise("05.7")
def test_hooks_are_collected_in_the_order_they_run(middleware_paths):
    """process_view hooks run outermost first; process_exception and process_template_response innermost first."""
    chain, hooks = build_middleware_chain(middleware_paths([Hooked, Hooked]), HttpResponse)
    owners = {kind: [hook.__self__ for hook in getattr(hooks, kind)]
              for kind in ("view", "exception", "template_response")}
    assert all(len(found) == 2 for found in owners.values()), f"hooks collected from two middleware: {owners}"
    outer, inner = owners["view"]
    assert inner.get_response is HttpResponse and chain.__wrapped__ is outer, (
        "process_view hooks must run in settings order: the first listed (outermost) first"
    )
    assert owners["exception"] == owners["template_response"] == [inner, outer], (
        "process_exception and process_template_response hooks must run innermost first"
    )


# Exceptions at every layer --------------------------------------------------------------------------------

def raising(exception, when):
    """A middleware raising ``exception`` on the way in or on the way out."""

    def factory(get_response):
        def middleware(request):
            if when == "in":
                raise exception
            get_response(request)
            raise exception

        return middleware

    return factory


@pytest.mark.exercise("05.7")
@pytest.mark.parametrize("when", ["in", "out"])
@pytest.mark.parametrize("exception, status", [
    (RuntimeError("boom"), 500),
    (Http404("nothing here"), 404),
    (PermissionDenied("not you"), 403),
])
def test_an_exception_in_a_middleware_becomes_a_response_for_the_layer_outside(serve, exception, status, when):
    """Whatever a layer raises, the layer outside it receives the matching error response, never the exception."""
    log = []
    client = serve([path("", logging_view(log))],
                   middleware=[recording("A", log), raising(exception, when), recording("C", log)])
    response = client.get("/")
    assert response.status_code == status, (
        f"a middleware raising {exception!r} on the way {when}: the client got {response.status_code}; "
        f"expected {status}"
    )
    assert log[0] == "A in" and log[-1] == f"A out {status}", (
        f"the middleware outside saw {log}; expected it to receive a {status} response"
    )


@pytest.mark.exercise("05.7")
def test_the_test_client_raises_the_exception_of_a_middleware(serve):
    """Client(raise_request_exception=True) re-raises what a middleware raised, for a useful traceback."""
    serve([path("", lambda request: HttpResponse())], middleware=[raising(RuntimeError("in the middle"), "in")])
    with pytest.raises(RuntimeError, match="in the middle"):
        Client().get("/")


@pytest.mark.exercise("05.7")
def test_the_handler_builds_the_chain_from_settings(middleware_paths, use_settings, module):
    """BaseHandler.load_middleware reads settings.MIDDLEWARE and keeps the chain and the hooks."""
    use_settings(MIDDLEWARE=middleware_paths([Hooked]),
                 ROOT_URLCONF=module(urlpatterns=[path("", lambda request: HttpResponse("ok"))]))
    handler = BaseHandler()
    handler.load_middleware()
    assert handler._middleware_hooks.view and handler._middleware_hooks.exception, (
        f"after load_middleware() with one hooked middleware, the handler's hooks are {handler._middleware_hooks}"
    )
