"""The CSRF decorators (csrf_protect, requires_csrf_token, ensure_csrf_cookie, csrf_exempt) and method_decorator."""

import logging

import pytest

from tinyframe.http import HttpResponse
from tinyframe.middleware.csrf import _mask_cipher_secret, get_token
from tinyframe.test import RequestFactory
from tinyframe.utils.decorators import method_decorator
from tinyframe.views import View
from tinyframe.views.decorators.csrf import csrf_exempt, csrf_protect, ensure_csrf_cookie, requires_csrf_token

SECRET = "s3cretS3cretS3cretS3cretS3cret12"
factory = RequestFactory()
ran = []


def view(request):
    ran.append(request.method)
    return HttpResponse("ok")


def token_view(request):
    return HttpResponse(get_token(request))


@pytest.fixture(autouse=True)
def clean():
    ran.clear()
    yield
    ran.clear()


def forged_post():
    request = factory.post("/", {"text": "forged"})
    request.COOKIES["csrftoken"] = SECRET
    return request


def test_csrf_protect_refuses_a_forged_post_without_the_middleware(caplog):
    caplog.set_level(logging.WARNING)
    response = csrf_protect(view)(forged_post())
    assert response.status_code == 403 and ran == []
    assert [record.getMessage() for record in caplog.records] == ["Forbidden (CSRF token missing.): /"]


def test_csrf_protect_lets_a_good_post_through_and_keeps_the_views_name():
    request = factory.post("/", {"csrfmiddlewaretoken": _mask_cipher_secret(SECRET)})
    request.COOKIES["csrftoken"] = SECRET
    protected = csrf_protect(view)
    assert protected(request).status_code == 200 and ran == ["POST"]
    assert protected.__name__ == "view" and csrf_protect.__name__ == "csrf_protect"


def test_csrf_protect_sends_the_cookie_when_the_view_used_a_token():
    response = csrf_protect(token_view)(factory.get("/"))
    assert len(response.cookies["csrftoken"].value) == 32 and response["Vary"] == "Cookie"


def test_requires_csrf_token_never_refuses_but_provides_the_token(caplog):
    """For a view that shows a form even on a failed POST (a 403 page, say): it runs, nothing is logged."""
    caplog.set_level(logging.WARNING)
    response = requires_csrf_token(token_view)(forged_post())
    assert response.status_code == 200 and len(response.content) == 64
    assert response.cookies["csrftoken"].value == SECRET
    assert caplog.records == [] and requires_csrf_token.__name__ == "requires_csrf_token"


def test_requires_csrf_token_sends_no_cookie_when_no_token_was_used():
    response = requires_csrf_token(view)(factory.get("/"))
    assert "csrftoken" not in response.cookies


def test_ensure_csrf_cookie_always_sends_the_cookie():
    """A page whose script posts with X-CSRFToken needs the cookie though it renders no token."""
    response = ensure_csrf_cookie(view)(factory.get("/"))
    assert len(response.cookies["csrftoken"].value) == 32 and ran == ["GET"]
    assert ensure_csrf_cookie.__name__ == "ensure_csrf_cookie"


def test_ensure_csrf_cookie_does_not_refuse():
    assert ensure_csrf_cookie(view)(forged_post()).status_code == 200 and ran == ["POST"]


def test_csrf_exempt_marks_a_new_function_and_leaves_the_view_alone():
    exempt = csrf_exempt(view)
    assert exempt.csrf_exempt is True and exempt is not view and not hasattr(view, "csrf_exempt")
    assert exempt.__name__ == "view" and exempt.__wrapped__ is view
    assert exempt(factory.get("/")).content == b"ok"


def test_csrf_protect_honours_an_exempt_mark_on_the_view_it_wraps():
    """As in Django: csrf_protect sees the mark of the function it wraps; a mark put on top of it comes too late."""
    assert csrf_protect(csrf_exempt(view))(forged_post()).status_code == 200
    assert csrf_exempt(csrf_protect(view))(forged_post()).status_code == 403


# --- method_decorator -------------------------------------------------------------------------------------


def test_method_decorator_on_a_method_passes_the_request():
    class Comments(View):
        @method_decorator(csrf_protect)
        def post(self, request):
            ran.append(("post", self.__class__.__name__))
            return HttpResponse("saved")

    assert Comments.as_view()(forged_post()).status_code == 403 and ran == []
    request = factory.post("/", {"csrfmiddlewaretoken": _mask_cipher_secret(SECRET)})
    request.COOKIES["csrftoken"] = SECRET
    assert Comments.as_view()(request).status_code == 200 and ran == [("post", "Comments")]


def test_method_decorator_on_a_class_with_name_and_a_list():
    """A list is applied in order, the first outermost, as stacked decorators would be."""
    order = []

    def tag(label):
        def decorator(func):
            def wrapper(*args, **kwargs):
                order.append(label)
                return func(*args, **kwargs)

            return wrapper

        return decorator

    @method_decorator([tag("outer"), tag("inner")], name="get")
    class Page(View):
        def get(self, request):
            order.append("view")
            return HttpResponse("page")

    assert Page.as_view()(factory.get("/")).content == b"page"
    assert order == ["outer", "inner", "view"]


def test_method_decorator_copies_the_decorators_marks_and_the_methods_name():
    class Hook(View):
        @method_decorator(csrf_exempt)
        def dispatch(self, request, *args, **kwargs):
            """Receive a hook."""
            return super().dispatch(request, *args, **kwargs)

    assert Hook.dispatch.csrf_exempt is True and Hook.as_view().csrf_exempt is True
    assert (Hook.dispatch.__name__, Hook.dispatch.__doc__) == ("dispatch", "Receive a hook.")
    assert method_decorator(csrf_exempt).__name__ == "method_decorator(csrf_exempt)"


def test_method_decorator_on_a_class_needs_the_name_of_a_method():
    """Django's messages, word for word."""

    class Page(View):
        title = "not a method"

    with pytest.raises(ValueError) as caught:
        method_decorator(csrf_exempt)(Page)
    assert str(caught.value) == (
        f"The keyword argument `name` must be the name of a method of the decorated class: {Page}. Got '' instead."
    )
    with pytest.raises(ValueError, match="Got 'missing' instead"):
        method_decorator(csrf_exempt, name="missing")(Page)
    with pytest.raises(TypeError) as caught:
        method_decorator(csrf_exempt, name="title")(Page)
    assert str(caught.value) == f"Cannot decorate 'title' as it isn't a callable attribute of {Page} (not a method)."


def test_method_decorator_of_a_callable_object_is_named_after_its_class():
    class Decorator:
        def __call__(self, func):
            return func

    assert method_decorator(Decorator()).__name__ == "method_decorator(Decorator)"
    assert method_decorator([csrf_exempt]).__name__ == "method_decorator(list)"
