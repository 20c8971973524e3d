"""XFrameOptionsMiddleware and the clickjacking decorators: who may show a page in a frame."""

import pytest

from tinyframe.http import HttpResponse
from tinyframe.middleware.clickjacking import XFrameOptionsMiddleware
from tinyframe.test import RequestFactory
from tinyframe.urls import path
from tinyframe.views.decorators.clickjacking import (
    xframe_options_deny,
    xframe_options_exempt,
    xframe_options_sameorigin,
)

request = RequestFactory().get("/")


def through_middleware(response):
    """``response`` after XFrameOptionsMiddleware.process_response."""
    return XFrameOptionsMiddleware(lambda request: response).process_response(request, response)


@pytest.mark.exercise("05.1")
@pytest.mark.parametrize("setting, expected", [("DENY", "DENY"), ("SAMEORIGIN", "SAMEORIGIN"), ("sameorigin", "SAMEORIGIN")])
def test_the_header_comes_from_the_setting(use_settings, setting, expected):
    """X-Frame-Options is settings.X_FRAME_OPTIONS, upper-cased."""
    use_settings(X_FRAME_OPTIONS=setting)
    response = through_middleware(HttpResponse())
    assert response.get("X-Frame-Options") == expected, (
        f"with X_FRAME_OPTIONS={setting!r}, process_response set X-Frame-Options to "
        f"{response.get('X-Frame-Options')!r}; expected {expected!r}"
    )


@pytest.mark.exercise("05.1")
def test_the_default_is_deny():
    """Without the setting, pages may not be framed at all (DENY), as in Django."""
    response = through_middleware(HttpResponse())
    assert response.get("X-Frame-Options") == "DENY", f"got {response.get('X-Frame-Options')!r}; expected 'DENY'"


@pytest.mark.exercise("05.1")
def test_an_existing_header_is_kept():
    """A view that set X-Frame-Options itself keeps its value."""
    response = HttpResponse()
    response["X-Frame-Options"] = "SAMEORIGIN"
    result = through_middleware(response)
    assert result is response and result["X-Frame-Options"] == "SAMEORIGIN", (
        f"process_response changed the view's own X-Frame-Options to {result.get('X-Frame-Options')!r}"
    )


@pytest.mark.exercise("05.1")
def test_an_exempt_response_gets_no_header():
    """A response marked xframe_options_exempt is left without the header."""
    response = HttpResponse()
    response.xframe_options_exempt = True
    result = through_middleware(response)
    assert result is response and "X-Frame-Options" not in result, (
        f"an exempt response got X-Frame-Options: {result.get('X-Frame-Options')!r}"
    )


@pytest.mark.exercise("05.1", "05.2")
def test_a_subclass_decides_per_request():
    """get_xframe_options_value is the hook for a per-request choice."""

    class Embeddable(XFrameOptionsMiddleware):
        def get_xframe_options_value(self, request, response):
            return "SAMEORIGIN" if request.path.startswith("/embed/") else "DENY"

    middleware = Embeddable(HttpResponse)
    factory = RequestFactory()
    assert middleware(factory.get("/embed/x"))["X-Frame-Options"] == "SAMEORIGIN"
    assert middleware(factory.get("/other"))["X-Frame-Options"] == "DENY"


@pytest.mark.parametrize("decorator, expected", [(xframe_options_deny, "DENY"),
                                                 (xframe_options_sameorigin, "SAMEORIGIN")])
def test_decorators_set_the_header_unless_the_view_did(decorator, expected):
    """@xframe_options_deny / @xframe_options_sameorigin set the header, keeping the view's own."""

    @decorator
    def view(request):
        """A view."""
        return HttpResponse()

    @decorator
    def own(request):
        response = HttpResponse()
        response["X-Frame-Options"] = "ALLOWALL"
        return response

    assert view(request)["X-Frame-Options"] == expected
    assert own(request)["X-Frame-Options"] == "ALLOWALL"
    assert (view.__name__, view.__doc__) == ("view", "A view.")


@pytest.mark.exercise("05.1", "05.7")
def test_the_middleware_and_the_decorators_in_a_site(serve):
    """In a site: every page gets DENY, a sameorigin view keeps SAMEORIGIN, an exempt view gets nothing."""
    client = serve([
        path("", lambda request: HttpResponse("home")),
        path("widget/", xframe_options_sameorigin(lambda request: HttpResponse("widget"))),
        path("embed/", xframe_options_exempt(lambda request: HttpResponse("embed"))),
    ], middleware=["tinyframe.middleware.clickjacking.XFrameOptionsMiddleware"])
    found = {url: client.get(url).get("X-Frame-Options") for url in ("/", "/widget/", "/embed/")}
    expected = {"/": "DENY", "/widget/": "SAMEORIGIN", "/embed/": None}
    assert found == expected, f"X-Frame-Options by page: {found}; expected {expected}"
