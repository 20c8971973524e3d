"""Fixtures for chapter 04: a site of a few views and templates, and a signal listener.

``site`` serves views from a throwaway URLconf (it becomes ``ROOT_URLCONF``)
with templates kept in memory, for the tests that go through the handler::

    def test_page(site, client):
        site({"page/": page_view}, templates={"page.html": "<h1>{{ title }}</h1>"})
        response = client.get("/page/")

``listen(signal, name)`` connects a receiver that records every send as
``(name, sender, kwargs)`` into one shared list, ``heard``, so tests can check
the order in which several signals came.

After every test, the framework's signals have their old receivers back
(``signals_as_they_were``), whatever the test connected and did not get to
disconnect.
"""

import pytest

from tinyframe.core.signals import got_request_exception, request_finished, request_started, setting_changed
from tinyframe.template.base import template_rendered
from tinyframe.test import Client
from tinyframe.urls import path

FRAMEWORK_SIGNALS = [request_started, request_finished, got_request_exception, setting_changed, template_rendered]


def put_back(signal, receivers: tuple) -> None:
    """Give ``signal`` the receivers it had, without ``disconnect()`` (exercise 04.6)."""
    with signal.lock:
        signal.receivers = receivers
        signal.sender_receivers_cache.clear()


@pytest.fixture(autouse=True)
def signals_as_they_were():
    """Each test leaves the framework's signals as it found them.

    A test that fails half-way, or that runs before ``Signal.disconnect``
    (04.6) is written, can leave a receiver connected: the test client's
    template recorder when its request raised, a receiver whose ``finally:
    signal.disconnect(...)`` ran into the stub. Kept alive by the failure's
    traceback, it would still hear the signal in the tests after it, which
    would then fail for a reason of their own. Put back without
    ``disconnect()``, so that this fixture works before 04.6 does.
    """
    saved = [(signal, signal.receivers) for signal in FRAMEWORK_SIGNALS]
    yield
    for signal, receivers in saved:
        put_back(signal, receivers)


@pytest.fixture
def site(throwaway_module, use_settings):
    """``site(views, templates=None, **urlconf_attributes)``: serve ``{route: view}``, templates from a dict."""

    def serve(views: dict, templates: dict | None = None, **urlconf_attributes):
        urlpatterns = [path(route, view) for route, view in views.items()]
        name = throwaway_module(urlpatterns=urlpatterns, **urlconf_attributes)
        loaders = [("tinyframe.template.loaders.locmem.Loader", dict(templates or {}))]
        use_settings(
            ROOT_URLCONF=name,
            TEMPLATES=[{"BACKEND": "tinyframe.template.backends.django.DjangoTemplates",
                        "OPTIONS": {"loaders": loaders}}],
        )

    return serve


@pytest.fixture(autouse=True)
def debug_off(monkeypatch):
    """Every test starts with DEBUG off, whatever ran before it in the same process.

    Set directly rather than with override_settings, which sends setting_changed:
    the tests of an exercise must not need the exercises after it.
    """
    from tinyframe.conf import settings

    monkeypatch.setattr(settings, "DEBUG", False)


@pytest.fixture
def client():
    return Client()


@pytest.fixture
def heard():
    """The list ``listen`` records into: ``(signal name, sender, kwargs without 'signal')``."""
    return []


@pytest.fixture
def listen(heard):
    """``listen(signal, name)``: record each send of ``signal`` in ``heard`` until the test ends."""
    saved = []

    def connect(signal, name: str):
        def record(sender, **kwargs):
            kwargs.pop("signal")
            heard.append((name, sender, kwargs))

        saved.append((signal, signal.receivers))
        signal.connect(record, weak=False)

    yield connect
    # Put back the receivers each signal had, without disconnect(): an exercise
    # whose tests use this fixture must not depend on a later one. (Any signal,
    # not only the framework's that signals_as_they_were puts back.)
    for signal, receivers in reversed(saved):
        put_back(signal, receivers)
