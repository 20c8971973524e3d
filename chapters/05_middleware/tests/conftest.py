"""Fixtures for chapter 05: sites with their own middleware and URLs, made for one test.

``settings.MIDDLEWARE`` names middleware by dotted path, so ``serve`` puts the
middleware a test defines (classes or functions) in a throwaway module and
lists their paths; strings are used as they are. It also makes a URLconf of
the given patterns, overrides the settings for the rest of the test, and
returns a ``Client`` that returns error pages rather than raising::

    def test_header(serve):
        client = serve([path("", hello)], middleware=[AddHeader, "tinyframe.middleware.common.CommonMiddleware"])
        assert client.get("/")["X-Added"] == "yes"
"""


import pytest

from tinyframe.test import Client, RequestFactory


@pytest.fixture
def module(throwaway_module):
    """``module(**objects) -> str``: a throwaway module holding ``objects``, by name, for this test."""
    yield throwaway_module
    from tinyframe.urls import clear_url_caches

    clear_url_caches()


@pytest.fixture
def middleware_paths(module):
    """``middleware_paths(items) -> list[str]``: dotted paths for middleware objects (strings kept as given)."""

    def paths(items) -> list[str]:
        objects = {f"middleware_{index}": item for index, item in enumerate(items) if not isinstance(item, str)}
        name = module(**objects)
        return [item if isinstance(item, str) else f"{name}.middleware_{index}" for index, item in enumerate(items)]

    return paths


@pytest.fixture
def serve(module, middleware_paths, use_settings):
    """``serve(urlpatterns, middleware=(), **settings) -> Client`` for a site made of them (DEBUG off unless given)."""

    def make(urlpatterns, middleware=(), **settings) -> Client:
        settings.setdefault("DEBUG", False)  # the tests' own default, whatever ran before
        urlconf = module(urlpatterns=list(urlpatterns))
        use_settings(ROOT_URLCONF=urlconf, MIDDLEWARE=middleware_paths(list(middleware)), **settings)
        return Client(raise_request_exception=False)

    return make


@pytest.fixture
def rf():
    """A RequestFactory: requests to hand to a middleware directly."""
    return RequestFactory()
