"""decorator_from_middleware: a middleware's hooks run around one view, as the handler would run them."""

import pytest

from tinyframe.http import HttpResponse
from tinyframe.template.backends.django import DjangoTemplates
from tinyframe.template.response import TemplateResponse
from tinyframe.test import RequestFactory
from tinyframe.utils.decorators import (
    decorator_from_middleware,
    decorator_from_middleware_with_args,
    make_middleware_decorator,
)

request = RequestFactory().get("/")
backend = DjangoTemplates({"NAME": "django", "DIRS": [], "APP_DIRS": False, "OPTIONS": {}})


def recording_middleware(log, answer_request=None, answer_view=None, answer_exception=None):
    """A middleware class with every hook, logging each call."""

    class Recording:
        def __init__(self, get_response, label="M"):
            self.get_response = get_response
            self.label = label

        def process_request(self, request):
            log.append(f"{self.label} request")
            return answer_request

        def process_view(self, request, view_func, view_args, view_kwargs):
            log.append(f"{self.label} view {view_func.__name__} {view_args} {view_kwargs}")
            return answer_view

        def process_exception(self, request, exception):
            log.append(f"{self.label} exception {exception}")
            return answer_exception

        def process_template_response(self, request, response):
            log.append(f"{self.label} template")
            return response

        def process_response(self, request, response):
            log.append(f"{self.label} response {response.content.decode()}")
            return response

    return Recording


def page(request, *args, **kwargs):
    """A page."""
    return HttpResponse("page")


def test_the_hooks_run_around_the_view_in_the_handlers_order():
    """process_request, process_view (with the view's arguments), the view, process_response."""
    log = []
    view = decorator_from_middleware(recording_middleware(log))(page)
    response = view(request, 1, slug="s")
    expected = ["M request", "M view page (1,) {'slug': 's'}", "M response page"]
    assert (response.content, log) == (b"page", expected), (
        f"the decorated view answered {response.content!r} with the calls {log}; expected b'page' and {expected}"
    )
    assert (view.__name__, view.__doc__, view.__wrapped__) == ("page", "A page.", page)


@pytest.mark.parametrize("answer", ["request", "view"])
def test_an_early_response_skips_the_view(answer):
    """A response from process_request or process_view is returned as it is."""
    log = []
    early = HttpResponse("early")
    middleware = recording_middleware(log, **{f"answer_{answer}": early})
    assert decorator_from_middleware(middleware)(page)(request) is early
    assert not any(entry.startswith("M response") for entry in log), log


def failing(request):
    raise ValueError("broken")


def test_process_exception_can_answer_for_a_failing_view():
    """An exception goes to process_exception; its response is returned."""
    rescue = HttpResponse("rescued")
    view = decorator_from_middleware(recording_middleware([], answer_exception=rescue))(failing)
    assert view(request) is rescue


def test_an_unhandled_exception_is_raised_again():
    """With no response from process_exception, the view's exception goes on."""
    log = []
    view = decorator_from_middleware(recording_middleware(log))(failing)
    with pytest.raises(ValueError, match="broken"):
        view(request)
    assert log[-1] == "M exception broken", log


def test_a_template_response_is_processed_after_rendering():
    """For a TemplateResponse, process_template_response runs now and process_response once it is rendered."""
    log = []

    def template_view(request):
        return TemplateResponse(request, backend.from_string("Hi {{ who }}"), {"who": "you"})

    response = decorator_from_middleware(recording_middleware(log))(template_view)(request)
    assert log[-1] == "M template", f"before rendering, the calls were {log}; process_response must wait"
    response.render()
    assert log[-1] == "M response Hi you", f"after rendering, the calls were {log}; expected process_response"


def test_middleware_arguments():
    """decorator_from_middleware_with_args(M)(*args) makes M(view, *args) for each decorated view."""
    log = []
    decorate = decorator_from_middleware_with_args(recording_middleware(log))
    decorate(label="X")(page)(request)
    assert log[0] == "X request", log
    assert make_middleware_decorator(recording_middleware(log))(label="Y")(page)(request).content == b"page"


def test_a_middleware_with_only_some_hooks():
    """Hooks the middleware does not have are simply skipped."""

    class OnlyResponse:
        def __init__(self, get_response):
            pass

        def process_response(self, request, response):
            response["X-Done"] = "yes"
            return response

    class Nothing:
        def __init__(self, get_response):
            pass

    assert decorator_from_middleware(OnlyResponse)(page)(request)["X-Done"] == "yes"
    assert decorator_from_middleware(Nothing)(page)(request).content == b"page"
    with pytest.raises(ValueError):
        decorator_from_middleware(Nothing)(failing)(request)

    def template_view(request):
        return TemplateResponse(request, backend.from_string("T"))

    assert decorator_from_middleware(Nothing)(template_view)(request).render().content == b"T"
