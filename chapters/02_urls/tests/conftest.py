"""Fixtures shared by chapter 02's tests: throwaway URLconf modules and converters.

A URLconf is a module with ``urlpatterns``. ``urlconf`` makes one for a test,
registers it in ``sys.modules`` under a unique name (so ``include("name")``,
``ROOT_URLCONF = "name"`` and ``resolve(path, urlconf="name")`` all find it) and
returns the name; after the test it removes the module and clears the URL
caches, so no resolver built for one test answers another::

    def test_detail(urlconf):
        name = urlconf([path("<int:pk>/", detail, name="detail")], app_name="blog")
        assert resolve("/7/", urlconf=name).kwargs == {"pk": 7}

``root_urlconf`` does the same and also makes the module ``ROOT_URLCONF`` for
the rest of the test. ``converters`` forgets, after the test, every converter
the test registered with ``register_converter``.
"""

import itertools
import sys
import types

import pytest

from tinyframe.test.utils import override_settings

_numbers = itertools.count()


@pytest.fixture
def urlconf():
    """``urlconf(patterns, **module_attributes) -> str``: a URLconf module for this test, by name."""
    names = []

    def make(patterns, **module_attributes) -> str:
        name = f"tinyframe_test_urlconf_{next(_numbers)}"
        module = types.ModuleType(name)
        module.urlpatterns = list(patterns)
        for attribute, value in module_attributes.items():
            setattr(module, attribute, value)
        sys.modules[name] = module
        names.append(name)
        return name

    yield make
    for name in names:
        sys.modules.pop(name, None)
    from tinyframe.urls import clear_url_caches

    clear_url_caches()


@pytest.fixture
def root_urlconf(urlconf):
    """``root_urlconf(patterns, **module_attributes) -> str``: like ``urlconf``, and it becomes ROOT_URLCONF."""
    overrides = []

    def make(patterns, **module_attributes) -> str:
        name = urlconf(patterns, **module_attributes)
        override = override_settings(ROOT_URLCONF=name)
        override.enable()
        overrides.append(override)
        return name

    yield make
    for override in reversed(overrides):
        override.disable()


@pytest.fixture
def converters():
    """The converter registry, restored after the test (register_converter refuses to replace a name)."""
    from tinyframe.urls import converters as module

    saved = dict(module.REGISTERED_CONVERTERS)
    yield module
    module.REGISTERED_CONVERTERS.clear()
    module.REGISTERED_CONVERTERS.update(saved)
    module.get_converters.cache_clear()
