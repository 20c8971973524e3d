"""Fixtures shared by chapter 01's tests.

``serve`` routes requests to views for one test. Chapter 01 has no URL
dispatch (that is chapter 02), so it replaces ``BaseHandler.resolve_request``,
the one method that picks the view, for the duration of the test::

    def test_hello(serve, client):
        serve(lambda request: HttpResponse("hi"))          # every path
        serve({"/": index, "/go/": redirecting_view})     # by path; others 404
"""

import pytest

from tinyframe.core.handlers.base import BaseHandler
from tinyframe.http import Http404
from tinyframe.test import Client


@pytest.fixture
def serve(monkeypatch):
    """Make the handler answer with the given view, or a ``{path: view}`` dict of views."""

    def install(views):
        def resolve_request(handler, request):
            if callable(views):
                return views, (), {}
            try:
                return views[request.path_info], (), {}
            except KeyError:
                raise Http404(f"No view for {request.path_info!r}; this test serves {sorted(views)}") from None

        monkeypatch.setattr(BaseHandler, "resolve_request", resolve_request)

    return install


@pytest.fixture
def client():
    """A fresh test client (new cookie jar) for each test."""
    return Client()
