"""Changing settings for one test, and preparing the process for testing.

How it works: ``override_settings(DEBUG=True)`` makes a ``UserSettingsHolder``
with the new values over the current settings, and swaps it in with
``settings._replace`` (which also forgets the values ``settings`` cached);
leaving puts the previous settings back. Holders stack, so overrides nest.
The same object works as a context manager, as a function decorator and as a
class decorator (on a ``SimpleTestCase`` the override lasts for the whole
class; on another ``unittest.TestCase`` it wraps each test).
``setup_test_environment`` adjusts the settings the way a test run needs
(the test client's host, "testserver", becomes allowed), once per process.
"""

import unittest
from functools import wraps
from types import SimpleNamespace

from tinyframe.conf import UserSettingsHolder, settings
# >>> 04_signals
# Importing the test tools' signals also connects the receivers that reset
# caches when a setting changes. (ContextList is imported for Django's path to it.)
from tinyframe.test.signals import ContextList, setting_changed  # noqa: F401
# <<< 04_signals

__all__ = ["override_settings", "setup_test_environment", "teardown_test_environment"]


class override_settings:
    """Use other settings values within a block, a function or a test class, then restore them.

    >>> from tinyframe.conf import settings
    >>> with override_settings(DEFAULT_CHARSET="latin-1"):
    ...     settings.DEFAULT_CHARSET
    'latin-1'
    """

    def __init__(self, **options):
        self.options = options
        self._layers = []

    def enable(self) -> None:
        """Put the overriding values in place, as a layer over the current settings."""
        override = UserSettingsHolder(settings._wrapped)
        for name, value in self.options.items():
            setattr(override, name, value)
        # A stack, not one slot, so the same decorator object can be entered
        # again while active (a decorated function that calls itself).
        self._layers.append(override)
        settings._replace(override)
        # >>> 04_signals
        try:
            for name, value in self.options.items():
                setting_changed.send(sender=type(settings._wrapped), setting=name, value=value, enter=True)
        except Exception:
            self.disable()  # a receiver failed: put every setting back before raising
            raise
        # <<< 04_signals

    def disable(self) -> None:
        """Take this override's layer out of the settings, wherever it is in the stack.

        Overrides usually end in the reverse order of their start, and then the
        layer is the top one. When they don't (a decorator's override ends
        while a fixture's, started inside it, is still on), only this layer
        goes: the other override keeps its values, and ending it later does
        not bring this one's back.
        """
        layer = self._layers.pop()
        if settings._wrapped is layer:
            settings._replace(layer.default_settings)
        else:
            above = settings._wrapped
            while isinstance(above, UserSettingsHolder) and above.default_settings is not layer:
                above = above.default_settings
            if isinstance(above, UserSettingsHolder):
                above.__dict__["default_settings"] = layer.default_settings
            settings._replace(settings._wrapped)  # forget the values cached from the layer
        # >>> 04_signals
        # Every receiver hears of every setting put back, even after one of them
        # failed (send_robust); then the first failure is raised.
        failures = [
            response
            for name in self.options
            for _receiver, response in setting_changed.send_robust(
                sender=type(settings._wrapped), setting=name, value=getattr(settings._wrapped, name, None),
                enter=False,
            )
            if isinstance(response, Exception)
        ]
        if failures:
            raise failures[0]
        # <<< 04_signals

    def __enter__(self):
        self.enable()
        return self

    def __exit__(self, exc_type, exc_value, traceback):
        self.disable()

    def __call__(self, decorated):
        if isinstance(decorated, type):
            return self.decorate_class(decorated)
        if callable(decorated):
            return self.decorate_callable(decorated)
        raise TypeError(f"Cannot decorate object of type {type(decorated).__name__}; "
                        f"override_settings decorates functions and TestCase classes.")

    def decorate_callable(self, func):
        """Run ``func`` with the settings overridden."""

        @wraps(func)
        def inner(*args, **kwargs):
            with self:
                return func(*args, **kwargs)

        return inner

    def decorate_class(self, cls):
        """Override the settings around every test of a ``unittest.TestCase`` class."""
        from tinyframe.test.testcases import SimpleTestCase

        if issubclass(cls, SimpleTestCase):
            # Applied once for the whole class, in SimpleTestCase.setUpClass.
            cls._overridden_settings = {**(cls._overridden_settings or {}), **self.options}
            return cls
        if not issubclass(cls, unittest.TestCase):
            raise TypeError("Can only decorate subclasses of unittest.TestCase")
        decorated_setup = cls.setUp

        def setUp(inner_self):
            self.enable()
            inner_self.addCleanup(self.disable)
            decorated_setup(inner_self)

        cls.setUp = setUp
        return cls


_saved_state = None


def setup_test_environment(debug: bool | None = None) -> None:
    """Prepare settings for a test run: allow the test client's host, and set DEBUG if given.

    Test runners call it once before the tests and ``teardown_test_environment``
    after them. Calling it twice would save the already-changed values as the
    originals, so that is an error.
    """
    global _saved_state
    if _saved_state is not None:
        raise RuntimeError(
            "setup_test_environment() was already called and can't be called again without "
            "first calling teardown_test_environment()."
        )
    _saved_state = SimpleNamespace(allowed_hosts=settings.ALLOWED_HOSTS, debug=settings.DEBUG)
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    settings.DEBUG = settings.DEBUG if debug is None else debug


def teardown_test_environment() -> None:
    """Undo ``setup_test_environment``."""
    global _saved_state
    if _saved_state is None:
        raise RuntimeError("teardown_test_environment() was called without setup_test_environment() first.")
    settings.ALLOWED_HOSTS = _saved_state.allowed_hosts
    settings.DEBUG = _saved_state.debug
    _saved_state = None
