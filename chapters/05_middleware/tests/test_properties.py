"""Properties of the onion, for any list of middleware in any order and an exception anywhere."""

import contextlib
import itertools
import sys
import types

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tinyframe.core.exceptions import PermissionDenied
from tinyframe.core.handlers.base import BaseHandler
from tinyframe.http import Http404, HttpResponse
from tinyframe.test import RequestFactory
from tinyframe.test.utils import override_settings
from tinyframe.urls import clear_url_caches, path
from tinyframe.utils.deprecation import MiddlewareMixin

_numbers = itertools.count()
STATUS = {RuntimeError: 500, Http404: 404, PermissionDenied: 403}


def make_layer(style: str, name: int, log: list, failure):
    """A recording middleware in one of the three styles; ``failure`` is None or (when, exception class)."""

    def before(request):
        log.append(("in", name))
        if failure and failure[0] == "in":
            raise failure[1](f"layer {name} failed on the way in")

    def after(response):
        if failure and failure[0] == "out":
            raise failure[1](f"layer {name} failed on the way out")
        log.append(("out", name, response.status_code, id(response)))
        return response

    if style == "function":
        def factory(get_response):
            def middleware(request):
                before(request)
                return after(get_response(request))

            return middleware

        return factory
    if style == "class":
        class Layer:
            def __init__(self, get_response):
                self.get_response = get_response

            def __call__(self, request):
                before(request)
                return after(self.get_response(request))

        return Layer

    class MixinLayer(MiddlewareMixin):
        def process_request(self, request):
            before(request)

        def process_response(self, request, response):
            return after(response)

    return MixinLayer


@contextlib.contextmanager
def site(layers, view):
    """Settings for a site whose MIDDLEWARE lists ``layers`` and whose only URL is ``view``."""
    name = f"tinyframe_test_onion_{next(_numbers)}"
    module = types.ModuleType(name)
    module.urlpatterns = [path("", view)]
    for index, layer in enumerate(layers):
        setattr(module, f"layer_{index}", layer)
    sys.modules[name] = module
    try:
        with override_settings(ROOT_URLCONF=name, MIDDLEWARE=[f"{name}.layer_{index}" for index in range(len(layers))]):
            yield
    finally:
        del sys.modules[name]
        clear_url_caches()


failures = st.one_of(
    st.none(),
    st.tuples(st.just("view"), st.sampled_from(list(STATUS))),
    st.tuples(st.sampled_from(["in", "out"]), st.sampled_from(list(STATUS)), st.integers(0, 5)),
)


@pytest.mark.exercise("05.7")
@given(styles=st.lists(st.sampled_from(["function", "class", "mixin"]), min_size=1, max_size=6), failure=failures)
def test_the_onion_order_and_one_response_whatever_fails(styles, failure):
    """Each layer sees the request in settings order and the response in reverse; a failure anywhere
    gives exactly one response, which every layer outside the failure sees and the client receives."""
    count = len(styles)
    failing_layer = failure[2] % count if failure and failure[0] != "view" else None
    log = []

    def view(request):
        log.append(("view",))
        if failure and failure[0] == "view":
            raise failure[1]("the view failed")
        return HttpResponse("ok")

    layers = [
        make_layer(style, index, log, failure[:2] if index == failing_layer else None)
        for index, style in enumerate(styles)
    ]
    with site(layers, view):
        handler = BaseHandler()
        handler.load_middleware()
        response = handler.get_response(RequestFactory().get("/"))

    status = STATUS[failure[1]] if failure else 200
    deepest = failing_layer if failure and failure[0] == "in" else count - 1
    expected_in = [("in", index) for index in range(deepest + 1)]
    reached_view = deepest == count - 1 and not (failure and failure[0] == "in")
    assert log[:len(expected_in)] == expected_in, f"{styles} with failure {failure}: the requests went {log}"
    assert (("view",) in log) == reached_view, f"{styles} with failure {failure}: {log}"

    outs = [entry for entry in log if entry[0] == "out"]
    # Layers outside the failure (all of them when the view or nothing fails) see the final response.
    outside = failing_layer if failing_layer is not None else count
    if failure and failure[0] == "out":
        inner = [entry for entry in outs if entry[1] > failing_layer]
        assert [entry[1] for entry in inner] == list(range(count - 1, failing_layer, -1)), (styles, failure, log)
        outs = [entry for entry in outs if entry[1] < failing_layer]
    assert [entry[1] for entry in outs] == list(range(outside - 1, -1, -1)), (
        f"{styles} with failure {failure}: the responses went out through {[entry[1] for entry in outs]}; "
        f"expected layers {list(range(outside - 1, -1, -1))}"
    )
    assert {(entry[2], entry[3]) for entry in outs} <= {(status, id(response))}, (
        f"{styles} with failure {failure}: the outer layers saw {[(e[1], e[2]) for e in outs]}; expected one "
        f"{status} response, the one the client got"
    )
    assert response.status_code == status
