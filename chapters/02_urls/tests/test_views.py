"""Class-based views: View.as_view, per-method dispatch, 405 and OPTIONS, and RedirectView."""

import logging

import pytest

from tinyframe.http import HttpResponse
from tinyframe.test import Client, RequestFactory, override_settings
from tinyframe.urls import path
from tinyframe.views import View
from tinyframe.views.generic import RedirectView

factory = RequestFactory()


class Greeting(View):
    """Says hello; POST answers too."""

    greeting = "Hello"

    def get(self, request, *args, **kwargs):
        return HttpResponse(f"{self.greeting} GET args={args} kwargs={kwargs}")

    def post(self, request, *args, **kwargs):
        return HttpResponse(f"{self.greeting} POST args={args} kwargs={kwargs}")


class Counter(View):
    """Counts the requests an instance has seen: always 1, since each request gets a new instance."""

    seen = 0

    def get(self, request):
        self.seen += 1
        return HttpResponse(str(self.seen))


def body(response) -> str:
    return response.content.decode()


# --- as_view ------------------------------------------------------------------


def test_as_view_returns_a_function_that_overrides_class_attributes():
    """as_view(greeting=...) returns a view function whose instances use the given attribute."""
    view = Greeting.as_view(greeting="Bonjour")
    response = view(factory.get("/"))
    assert body(response).startswith("Bonjour GET"), (
        f"Greeting.as_view(greeting='Bonjour')(request) answered {body(response)!r}; expected it to start "
        "with 'Bonjour GET' (as_view's keyword arguments become attributes of each instance)"
    )
    assert Greeting.greeting == "Hello", "as_view must not change the class itself"


def test_each_request_gets_a_fresh_instance():
    """Two requests to one view function are answered by two instances: no state leaks between them."""
    view = Counter.as_view()
    answers = [body(view(factory.get("/"))) for _ in range(2)]
    assert answers == ["1", "1"], f"two requests to Counter.as_view() answered {answers}; expected ['1', '1']"


def test_as_view_keeps_the_class_and_its_arguments_on_the_function():
    """The view function carries view_class, view_initkwargs, and the class's docstring and module."""
    view = Greeting.as_view(greeting="Hi")
    assert view.view_class is Greeting
    assert view.view_initkwargs == {"greeting": "Hi"}
    assert view.__doc__ == Greeting.__doc__ and view.__module__ == Greeting.__module__


@pytest.mark.parametrize("initkwargs, message", [
    ({"get": "x"}, "The method name get is not accepted as a keyword argument to Greeting()."),
    ({"greting": "x"}, "Greeting() received an invalid keyword 'greting'. as_view only accepts arguments "
                       "that are already attributes of the class."),
])
def test_as_view_rejects_method_names_and_unknown_attributes(initkwargs, message):
    """as_view(**initkwargs) raises TypeError for an HTTP method name or an attribute the class lacks."""
    with pytest.raises(TypeError) as caught:
        Greeting.as_view(**initkwargs)
    assert str(caught.value) == message, f"Greeting.as_view(**{initkwargs}) raised {caught.value!r}"


def test_as_view_is_not_available_on_instances():
    """Greeting().as_view() is a mistake: as_view belongs to the class."""
    with pytest.raises(AttributeError, match="only on the class, not on instances"):
        Greeting().as_view()


def test_setup_stores_the_request_and_the_url_arguments():
    """setup() puts request, args and kwargs on the instance before dispatch runs."""

    class Echo(View):
        def get(self, request, *args, **kwargs):
            same = self.request is request
            return HttpResponse(f"{same} {self.args} {self.kwargs}")

    assert body(Echo.as_view()(factory.get("/"), 1, slug="a")) == "True (1,) {'slug': 'a'}"


def test_overriding_setup_without_super_is_a_clear_error():
    """A setup() that forgets super().setup() gets an AttributeError that says so."""

    class Forgetful(View):
        def setup(self, request, *args, **kwargs):
            pass

    with pytest.raises(AttributeError, match=r"Forgetful instance has no 'request' attribute\. Did you "
                                             r"override setup\(\) and forget to call super\(\)\?"):
        Forgetful.as_view()(factory.get("/"))


# --- dispatch -----------------------------------------------------------------


@pytest.mark.exercise("02.3")
@pytest.mark.parametrize("method", ["GET", "POST"])
def test_dispatch_calls_the_method_named_after_the_request(method):
    """dispatch() sends a GET to get() and a POST to post(), with the URL's args and kwargs."""
    request = factory.generic(method, "/")
    response = Greeting.as_view()(request, 7, slug="hi")
    expected = f"Hello {method} args=(7,) kwargs={{'slug': 'hi'}}"
    assert response.status_code == 200 and body(response) == expected, (
        f"a {method} to Greeting.as_view() with args (7,) and kwargs {{'slug': 'hi'}} answered "
        f"{response.status_code} {body(response)!r}; expected 200 {expected!r}"
    )


@pytest.mark.exercise("02.3")
def test_dispatch_answers_head_with_get():
    """A view with get() and no head() answers HEAD with get()."""
    response = Greeting.as_view()(factory.head("/"))
    assert response.status_code == 200 and body(response).startswith("Hello GET"), (
        f"a HEAD to a view with only get() and post() answered {response.status_code} {body(response)!r}; "
        "expected get()'s answer (HEAD is GET without the body)"
    )


@pytest.mark.exercise("02.3")
@pytest.mark.parametrize("method", ["PUT", "DELETE", "BREW"])
def test_dispatch_answers_405_for_a_method_the_view_lacks(method):
    """A method the view does not define (or that is not HTTP at all) gets 405 with an Allow header."""
    response = Greeting.as_view()(factory.generic(method, "/"))
    assert response.status_code == 405, (
        f"a {method} to a view with only get() and post() answered {response.status_code}; expected 405"
    )
    assert response["Allow"] == "GET, POST, HEAD, OPTIONS", (
        f"the 405's Allow header was {response.get('Allow')!r}; expected 'GET, POST, HEAD, OPTIONS' "
        "(the view's methods, in the order of http_method_names)"
    )


@pytest.mark.exercise("02.3")
def test_dispatch_refuses_methods_left_out_of_http_method_names():
    """A method the class defines but leaves out of http_method_names is not allowed."""

    class ReadOnly(Greeting):
        http_method_names = ["get", "head", "options"]

    response = ReadOnly.as_view()(factory.post("/"))
    assert response.status_code == 405, (
        f"a POST to a view whose http_method_names leaves out 'post' answered {response.status_code} "
        f"{body(response)!r}; expected 405, even though the class has a post() method"
    )
    assert response["Allow"] == "GET, HEAD, OPTIONS"


def test_method_not_allowed_is_logged_once_as_a_warning(caplog):
    """A 405 logs 'Method Not Allowed (PUT): /path' on tinyframe.request, and only once."""
    with caplog.at_level(logging.WARNING, logger="tinyframe.request"):
        Greeting.as_view()(factory.put("/greet/"))
    messages = [(record.levelname, record.getMessage()) for record in caplog.records]
    assert messages == [("WARNING", "Method Not Allowed (PUT): /greet/")], f"logged {messages}"


def test_options_lists_the_allowed_methods():
    """OPTIONS is answered with an empty 200 whose Allow header names the view's methods."""
    response = Greeting.as_view()(factory.options("/"))
    assert response.status_code == 200, f"OPTIONS answered {response.status_code}; expected 200"
    assert response["Allow"] == "GET, POST, HEAD, OPTIONS"
    assert response["Content-Length"] == "0" and response.content == b""


def test_a_view_without_methods_allows_only_options():
    """The bare View answers GET with 405 and Allow: OPTIONS."""
    response = View.as_view()(factory.get("/"))
    assert (response.status_code, response["Allow"]) == (405, "OPTIONS")


# --- RedirectView -------------------------------------------------------------


def test_redirect_view_fills_the_url_with_the_url_keyword_arguments():
    """RedirectView(url='/posts/%(slug)s/') redirects with 302 to the URL filled with kwargs."""
    response = RedirectView.as_view(url="/posts/%(slug)s/")(factory.get("/p/hello/"), slug="hello")
    assert (response.status_code, response["Location"]) == (302, "/posts/hello/")


def test_redirect_view_permanent_and_query_string():
    """permanent=True redirects with 301; query_string=True keeps the request's query string."""
    view = RedirectView.as_view(url="/new/", permanent=True, query_string=True)
    response = view(factory.get("/old/?page=2&q=a"))
    assert (response.status_code, response["Location"]) == (301, "/new/?page=2&q=a")
    plain = RedirectView.as_view(url="/new/")(factory.get("/old/?page=2"))
    assert plain["Location"] == "/new/", "without query_string=True the query string is dropped"


@pytest.mark.parametrize("method", ["POST", "PUT", "PATCH", "DELETE", "OPTIONS", "HEAD"])
def test_redirect_view_redirects_every_method(method):
    """Every HTTP method is redirected, as GET is."""
    response = RedirectView.as_view(url="/new/")(factory.generic(method, "/old/"))
    assert (response.status_code, response["Location"]) == (302, "/new/"), f"{method} answered {response}"


def test_redirect_view_without_a_url_is_gone(caplog):
    """With no url and no pattern_name, RedirectView answers 410 Gone and logs it."""
    with caplog.at_level(logging.WARNING, logger="tinyframe.request"):
        response = RedirectView.as_view()(factory.get("/removed/"))
    assert response.status_code == 410
    assert [record.getMessage() for record in caplog.records] == ["Gone: /removed/"]


def test_redirect_view_reverses_pattern_name(urlconf):
    """pattern_name is reversed with the URL's arguments."""

    def detail(request, slug):
        return HttpResponse(slug)

    name = urlconf([
        path("posts/<slug:slug>/", detail, name="post-detail"),
        path("p/<slug:slug>/", RedirectView.as_view(pattern_name="post-detail")),
    ])
    with override_settings(ROOT_URLCONF=name):
        response = Client().get("/p/hello/")
    assert (response.status_code, response["Location"]) == (302, "/posts/hello/")
