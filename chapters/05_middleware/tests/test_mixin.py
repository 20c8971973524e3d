"""MiddlewareMixin: middleware written as process_request and process_response methods."""

import pytest

from tinyframe.http import HttpResponse
from tinyframe.test import RequestFactory
from tinyframe.urls import path
from tinyframe.utils.deprecation import MiddlewareMixin

request = RequestFactory().get("/")


class Recording(MiddlewareMixin):
    """Logs its calls; a subclass picks which methods it has."""

    def __init__(self, get_response, log):
        super().__init__(get_response)
        self.log = log


class RequestOnly(Recording):
    def process_request(self, request):
        self.log.append("process_request")


class ResponseOnly(Recording):
    def process_response(self, request, response):
        self.log.append(f"process_response {response.content.decode()}")
        response["X-Seen"] = "yes"
        return response


class Both(RequestOnly, ResponseOnly):
    pass


class ShortCircuit(ResponseOnly):
    def process_request(self, request):
        self.log.append("process_request")
        return HttpResponse("from process_request")


def inner(log):
    def get_response(request):
        log.append("inner")
        return HttpResponse("from inner")

    return get_response


@pytest.mark.exercise("05.2")
@pytest.mark.parametrize("cls, expected_log, expected_content", [
    (RequestOnly, ["process_request", "inner"], b"from inner"),
    (ResponseOnly, ["inner", "process_response from inner"], b"from inner"),
    (Both, ["process_request", "inner", "process_response from inner"], b"from inner"),
    (ShortCircuit, ["process_request", "process_response from process_request"], b"from process_request"),
])
def test_call_runs_the_methods_the_class_has(cls, expected_log, expected_content):
    """process_request, then the layers inside unless it answered, then process_response — whichever exist."""
    log = []
    response = cls(inner(log), log)(request)
    assert (log, response.content) == (expected_log, expected_content), (
        f"{cls.__name__}(get_response)(request) made the calls {log} and returned {response.content!r}; "
        f"expected {expected_log} and {expected_content!r}"
    )


@pytest.mark.exercise("05.2")
def test_process_response_result_is_returned():
    """What process_response returns goes out, even a different response."""

    class Replace(MiddlewareMixin):
        def process_response(self, request, response):
            return HttpResponse("replaced", status=201)

    response = Replace(lambda request: HttpResponse("original"))(request)
    assert (response.status_code, response.content) == (201, b"replaced"), (
        f"process_response returned a new 201 response, but the middleware returned {response!r}"
    )


@pytest.mark.exercise("05.2", "05.7")
def test_a_mixin_middleware_in_the_chain(serve):
    """A MiddlewareMixin subclass works in settings.MIDDLEWARE like any middleware."""

    class Tag(MiddlewareMixin):
        def process_response(self, request, response):
            response["X-Tag"] = "tagged"
            return response

    client = serve([path("", lambda request: HttpResponse("hi"))], middleware=[Tag])
    response = client.get("/")
    assert response.get("X-Tag") == "tagged", f"the response's headers were {dict(response.items())}"


def test_get_response_is_required():
    """MiddlewareMixin(None) is refused at once rather than failing on the first request."""
    with pytest.raises(ValueError, match="get_response must be provided."):
        MiddlewareMixin(None)


def test_repr_names_the_class_and_the_layer_inside():
    """The repr shows the middleware and what it calls, to read a chain in a debugger."""

    def view(request):
        return HttpResponse()

    assert repr(MiddlewareMixin(view)) == "<MiddlewareMixin get_response=test_repr_names_the_class_and_the_layer_inside.<locals>.view>"
    assert repr(MiddlewareMixin(HttpResponse(b""))) == "<MiddlewareMixin get_response=HttpResponse>"
