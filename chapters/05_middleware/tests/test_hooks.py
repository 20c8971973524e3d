"""Hooks around the view: process_view, process_exception and process_template_response, in Django's order."""

import pytest

from tinyframe.core.handlers.base import BaseHandler
from tinyframe.core.handlers.middleware import MiddlewareHooks
from tinyframe.http import HttpResponse
from tinyframe.template.backends.django import DjangoTemplates
from tinyframe.template.response import SimpleTemplateResponse, TemplateResponse
from tinyframe.test import Client, RequestFactory
from tinyframe.urls import path

backend = DjangoTemplates({"NAME": "django", "DIRS": [], "APP_DIRS": False, "OPTIONS": {}})


def hooked(name, log, view=None, exception=None, template=None):
    """A middleware class whose hooks log their calls and return what the test asks."""

    class Hooked:
        def __init__(self, get_response):
            self.get_response = get_response

        def __call__(self, request):
            response = self.get_response(request)
            log.append(f"{name} out {response.status_code}")
            return response

        def process_view(self, request, view_func, view_args, view_kwargs):
            log.append(f"{name} view {view_func.__name__} {view_args} {view_kwargs}")
            return view

        def process_exception(self, request, exc):
            log.append(f"{name} exception {exc}")
            return exception

        def process_template_response(self, request, response):
            log.append(f"{name} template")
            if template is not None:
                return template(response)
            return response

    Hooked.__name__ = Hooked.__qualname__ = f"Hooked{name}"
    return Hooked


def article(request, slug):
    return HttpResponse(f"article {slug}")


def failing(request):
    raise ValueError("the view failed")


@pytest.mark.exercise("05.8")
def test_process_view_runs_before_the_view_in_settings_order(serve):
    """Each process_view gets the request, the view and its arguments, outermost middleware first."""
    log = []
    client = serve([path("a/<slug:slug>/", article)], middleware=[hooked("A", log), hooked("B", log)])
    response = client.get("/a/hello/")
    expected = ["A view article () {'slug': 'hello'}", "B view article () {'slug': 'hello'}", "B out 200", "A out 200"]
    assert (response.content, log) == (b"article hello", expected), (
        f"GET /a/hello/ through A and B gave {response.content!r} and the log {log}; expected "
        f"b'article hello' and {expected}"
    )


@pytest.mark.exercise("05.8")
def test_a_response_from_process_view_replaces_the_view(serve):
    """The first process_view to return a response answers: later process_view hooks and the view are skipped."""
    log = []
    early = HttpResponse("from process_view", status=202)
    client = serve([path("a/<slug:slug>/", article)],
                   middleware=[hooked("A", log), hooked("B", log, view=early), hooked("C", log)])
    response = client.get("/a/x/")
    expected = ["A view article () {'slug': 'x'}", "B view article () {'slug': 'x'}", "C out 202", "B out 202",
                "A out 202"]
    assert (response.content, log) == (b"from process_view", expected), (
        f"with B's process_view answering: {response.content!r}, log {log}; expected its response and {expected}"
    )


@pytest.mark.exercise("05.8")
def test_process_exception_runs_innermost_first_and_the_first_response_wins(serve):
    """When the view raises, process_exception hooks run from the innermost; the first response stops them."""
    log = []
    rescue = HttpResponse("rescued", status=503)
    client = serve([path("", failing)],
                   middleware=[hooked("A", log), hooked("B", log, exception=rescue), hooked("C", log)])
    response = client.get("/")
    expected = ["A view failing () {}", "B view failing () {}", "C view failing () {}",
                "C exception the view failed", "B exception the view failed", "C out 503", "B out 503", "A out 503"]
    assert (response.status_code, response.content, log) == (503, b"rescued", expected), (
        f"a failing view with B rescuing: {response.status_code} {response.content!r}, log {log}; "
        f"expected 503 b'rescued' and {expected}"
    )


@pytest.mark.exercise("05.8")
def test_an_exception_no_hook_handles_becomes_a_500(serve):
    """When every process_exception returns None, the view's exception becomes the 500 page."""
    log = []
    client = serve([path("", failing)], middleware=[hooked("A", log)])
    response = client.get("/")
    assert (response.status_code, log[-2:]) == (500, ["A exception the view failed", "A out 500"]), (
        f"a failing view whose exception no hook handles: {response.status_code}, log {log}; expected a 500"
    )
    with pytest.raises(ValueError, match="the view failed"):
        Client().get("/")


@pytest.mark.exercise("05.8")
def test_process_exception_does_not_see_exceptions_of_process_view(serve):
    """Only the view's (and rendering's) exceptions go to process_exception; a failing process_view is a 500."""
    log = []

    class BrokenView(hooked("A", log)):
        def process_view(self, request, view_func, view_args, view_kwargs):
            raise KeyError("broken process_view")

    client = serve([path("", lambda request: HttpResponse())], middleware=[BrokenView])
    response = client.get("/")
    assert (response.status_code, log) == (500, ["A out 500"]), (
        f"a process_view that raises: {response.status_code}, log {log}; expected a 500 and no process_exception call"
    )
    with pytest.raises(KeyError, match="broken process_view"):
        Client().get("/")  # the 500 is for process_view's own exception, not another one


def template_view(request):
    return TemplateResponse(request, backend.from_string("Hello {{ name }}!"), {"name": "world"})


@pytest.mark.exercise("05.8")
def test_process_template_response_can_change_the_context_before_rendering(serve):
    """process_template_response hooks run innermost first, on the unrendered response, before render()."""
    log = []

    def shout(response):
        response.context_data["name"] = response.context_data["name"].upper()
        return response

    client = serve([path("", template_view)], middleware=[hooked("A", log), hooked("B", log, template=shout)])
    response = client.get("/")
    expected = ["A view template_view () {}", "B view template_view () {}", "B template", "A template",
                "B out 200", "A out 200"]
    assert (response.content, log) == (b"Hello WORLD!", expected), (
        f"a TemplateResponse through B (upper-casing the context) and A: {response.content!r}, log {log}; "
        f"expected b'Hello WORLD!' and {expected}"
    )


@pytest.mark.exercise("05.8")
def test_process_template_response_is_only_for_responses_rendered_later(serve):
    """An HttpResponse has no render(): process_template_response is not called for it."""
    log = []
    client = serve([path("a/<slug:slug>/", article)], middleware=[hooked("A", log)])
    response = client.get("/a/b/")
    assert "A template" not in log, f"a plain HttpResponse went through process_template_response: {log}"
    assert (response.status_code, response.content) == (200, b"article b"), (
        f"GET /a/b/ answered {response.status_code} {response.content!r}; expected the view's 200 b'article b'"
    )


@pytest.mark.exercise("05.8")
def test_process_template_response_returning_none_is_a_clear_error(serve):
    """A process_template_response that returns None is a ValueError naming the method."""
    serve([path("", template_view)], middleware=[hooked("A", [], template=lambda response: None)])
    with pytest.raises(ValueError) as raised:
        Client().get("/")
    expected = "HookedA.process_template_response didn't return an HttpResponse object. It returned None instead."
    assert str(raised.value) == expected, f"the error said {str(raised.value)!r}; expected {expected!r}"


@pytest.mark.exercise("05.8")
def test_an_exception_while_rendering_goes_to_process_exception(serve):
    """A template that fails to render is handed to process_exception like a failing view."""
    log = []

    class Exploding:
        def render(self, context=None, request=None):
            raise LookupError("no such template variable")

    rescue = HttpResponse("render rescued")
    client = serve([path("", lambda request: SimpleTemplateResponse(Exploding()))],
                   middleware=[hooked("A", log, exception=rescue)])
    response = client.get("/")
    assert response.content == b"render rescued", (
        f"a TemplateResponse whose render() raises, with A rescuing: got {response.content!r}; "
        f"expected b'render rescued' (log {log})"
    )
    assert "A exception no such template variable" in log, log


def hooks_of(*middleware):
    """MiddlewareHooks collected from middleware objects, the first outermost."""
    hooks = MiddlewareHooks()
    for item in reversed(middleware):
        hooks.add(item(HttpResponse))
    return hooks


@pytest.mark.exercise("05.8")
def test_call_view_without_hooks_calls_the_view_and_renders():
    """call_view with no hooks is the plain path: the view's response, rendered."""
    request = RequestFactory().get("/")
    response = MiddlewareHooks().call_view(BaseHandler(), request, template_view, (), {})
    assert response.content == b"Hello world!", (
        f"MiddlewareHooks().call_view(handler, request, template_view, (), {{}}) returned {response!r}; "
        "expected the rendered b'Hello world!'"
    )


@pytest.mark.exercise("05.8")
def test_call_view_passes_the_arguments_and_checks_the_response():
    """call_view calls the view with its args and kwargs, and a view returning None is the handler's ValueError."""
    log = []
    request = RequestFactory().get("/")
    hooks = hooks_of(hooked("A", log))
    response = hooks.call_view(BaseHandler(), request, article, (), {"slug": "s"})
    assert response.content == b"article s", f"call_view(..., article, (), {{'slug': 's'}}) gave {response!r}"

    def forgetful(request):
        return None

    with pytest.raises(ValueError, match="forgetful didn't return an HttpResponse object. It returned None instead."):
        hooks.call_view(BaseHandler(), request, forgetful, (), {})


@pytest.mark.exercise("05.8")
def test_call_view_raises_again_when_no_hook_answers():
    """With no process_exception answering, call_view raises the view's exception for the layer around."""
    hooks = hooks_of(hooked("A", []))
    with pytest.raises(ValueError, match="the view failed"):
        hooks.call_view(BaseHandler(), RequestFactory().get("/"), failing, (), {})
