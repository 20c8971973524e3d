"""Restricting the HTTP methods of function views: require_http_methods and its shortcuts."""

import logging

import pytest

from tinyframe.http import HttpResponse
from tinyframe.test import RequestFactory
from tinyframe.views.decorators.http import require_GET, require_http_methods, require_POST, require_safe

factory = RequestFactory()


def article(request, slug="a"):
    """Show an article."""
    return HttpResponse(f"{request.method} {slug}")


@pytest.mark.exercise("02.1")
@pytest.mark.parametrize("method", ["GET", "POST"])
def test_an_allowed_method_reaches_the_view(method):
    """require_http_methods(["GET", "POST"]) lets GET and POST through to the view, with its arguments."""
    view = require_http_methods(["GET", "POST"])(article)
    response = view(factory.generic(method, "/"), slug="hello")
    assert (response.status_code, response.content) == (200, f"{method} hello".encode()), (
        f"require_http_methods(['GET', 'POST'])(view)(a {method} request, slug='hello') answered "
        f"{response.status_code} {response.content!r}; expected 200 b'{method} hello' from the view itself"
    )


@pytest.mark.exercise("02.1")
@pytest.mark.parametrize("method", ["PUT", "DELETE", "HEAD", "OPTIONS"])
def test_another_method_is_405_with_allow(method):
    """Any other method gets 405 with Allow listing the accepted methods."""
    view = require_http_methods(["GET", "POST"])(article)
    response = view(factory.generic(method, "/"))
    assert response.status_code == 405, (
        f"require_http_methods(['GET', 'POST'])(view) answered a {method} with {response.status_code}; expected 405"
    )
    assert response["Allow"] == "GET, POST", (
        f"the 405's Allow header was {response.get('Allow')!r}; expected 'GET, POST' (HTTP requires it)"
    )


@pytest.mark.exercise("02.1")
def test_the_decorated_view_keeps_its_name_and_docstring():
    """The wrapper looks like the view (functools.wraps): same __name__, __doc__ and __wrapped__."""
    view = require_http_methods(["GET"])(article)
    assert (view.__name__, view.__doc__) == ("article", "Show an article."), (
        f"the decorated view is named {view.__name__!r} with docstring {view.__doc__!r}; expected "
        "'article' and 'Show an article.' (use functools.wraps)"
    )
    assert view.__wrapped__ is article


@pytest.mark.exercise("02.1")
def test_a_refused_method_is_logged_as_a_warning(caplog):
    """A refused method logs 'Method Not Allowed (DELETE): /path' on tinyframe.request."""
    with caplog.at_level(logging.WARNING, logger="tinyframe.request"):
        require_http_methods(["GET"])(article)(factory.delete("/articles/1/"))
    messages = [(record.name, record.levelname, record.getMessage()) for record in caplog.records]
    assert messages == [("tinyframe.request", "WARNING", "Method Not Allowed (DELETE): /articles/1/")], (
        f"a refused DELETE logged {messages}; expected one warning on tinyframe.request"
    )


@pytest.mark.exercise("02.1")
@pytest.mark.parametrize("decorator, allowed, refused", [
    (require_GET, ["GET"], ["POST", "HEAD"]),
    (require_POST, ["POST"], ["GET", "PUT"]),
    (require_safe, ["GET", "HEAD"], ["POST", "DELETE"]),
])
def test_shortcut_decorators(decorator, allowed, refused):
    """require_GET, require_POST and require_safe allow exactly their methods."""
    view = decorator(article)
    for method in allowed:
        assert view(factory.generic(method, "/")).status_code == 200, f"{decorator.__doc__} refused {method}"
    for method in refused:
        assert view(factory.generic(method, "/")).status_code == 405, f"{decorator.__doc__} allowed {method}"
