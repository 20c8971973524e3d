"""Settings and fixtures shared by every chapter's tests.

Every chapter's suite runs in one process (``python -m chapters check 3`` runs
chapters 1, 2 and 3), and settings can be configured only once a process, so the
configuration lives here, above all the chapters. A test that needs other values
uses ``tinyframe.test.utils.override_settings``, or the ``use_settings`` fixture
for the rest of one test.
"""

import itertools
import sys
import types

import pytest

_numbers = itertools.count()


def pytest_configure(config):
    from tinyframe.conf import settings

    if not settings.configured:
        settings.configure(
            DEBUG=False,
            SECRET_KEY="tinyframe-tests-not-secret",
            ALLOWED_HOSTS=["testserver", "localhost", "127.0.0.1", "[::1]"],
        )


@pytest.fixture
def use_settings():
    """``use_settings(**values)``: override settings for the rest of the test, undone after it (last first)."""
    from tinyframe.test.utils import override_settings

    overrides = []

    def enable(**values) -> None:
        override = override_settings(**values)
        override.enable()
        overrides.append(override)

    yield enable
    for override in reversed(overrides):
        override.disable()


@pytest.fixture
def throwaway_module():
    """``throwaway_module(**attributes) -> str``: a module made for one test, importable by its name.

    Settings name code by dotted path (``ROOT_URLCONF``, ``MIDDLEWARE``...), so a
    test that defines a URLconf or a middleware puts it in a module registered
    in ``sys.modules`` under a unique name. The modules go after the test.
    """
    names = []

    def make(**attributes) -> str:
        name = f"tinyframe_test_module_{next(_numbers)}"
        module = types.ModuleType(name)
        module.__dict__.update(attributes)
        sys.modules[name] = module
        names.append(name)
        return name

    yield make
    for name in names:
        sys.modules.pop(name, None)
