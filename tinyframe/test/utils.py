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
# >>> 06_orm
# Chapter 06 adds ``CaptureQueriesContext``, which records the SQL a block
# runs (``TestCase.assertNumQueries`` is built on it), and makes
# ``override_settings(INSTALLED_APPS=[...])`` swap the app registry's
# contents for the block, as Django does, so commands and lookups see the
# overridden apps (unlike Django, apps that cannot be loaded leave the
# registry as it was, with a warning: see ``swap_installed_apps``).
# <<< 06_orm

import unittest
from functools import wraps
from types import SimpleNamespace

from tinyframe.conf import UserSettingsHolder, settings
# >>> 04_signals
# Importing the test tools' signals also connects the receivers that reset
# caches when a setting changes. (ContextList is imported for Django's path to it.)
from tinyframe.test.signals import ContextList, setting_changed  # noqa: F401
# <<< 04_signals
# >>> 06_orm
import warnings

from tinyframe.core.signals import request_started
# <<< 06_orm

__all__ = ["override_settings", "setup_test_environment", "teardown_test_environment"]
# >>> 06_orm
__all__ += ["CaptureQueriesContext"]
# <<< 06_orm


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
        # >>> 06_orm
        # Per layer: whether enable() swapped the app registry's apps.
        self._apps_swapped = []
        # <<< 06_orm

    def enable(self) -> None:
        """Put the overriding values in place, as a layer over the current settings."""
        override = UserSettingsHolder(settings._wrapped)
        for name, value in self.options.items():
            setattr(override, name, value)
        # A stack, not one slot, so the same decorator object can be entered
        # again while active (a decorated function that calls itself).
        self._layers.append(override)
        settings._replace(override)
        # >>> 06_orm
        if "INSTALLED_APPS" in self.options:
            self._apps_swapped.append(swap_installed_apps(self.options["INSTALLED_APPS"]))
        # <<< 06_orm
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
        # >>> 06_orm
        if "INSTALLED_APPS" in self.options and self._apps_swapped.pop():
            from tinyframe.apps import apps

            apps.unset_installed_apps()
        # <<< 06_orm
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
# >>> 06_orm


def swap_installed_apps(installed) -> bool:
    """``apps.set_installed_apps(installed)`` for ``override_settings``; False, with a warning, if they can't load.

    Django's override raises when an app cannot be imported. tinyframe's
    earlier chapters override INSTALLED_APPS with names that do not exist
    on purpose (``get_commands`` skips them, the template loaders report
    them), so here the registry keeps its previous apps instead, and a
    warning says so: code that asks the registry inside the block sees the
    apps from before it.
    """
    from tinyframe.apps import apps

    if not apps.ready:
        return False  # nothing loaded yet: tinyframe.setup() will read the overridden setting
    try:
        apps.set_installed_apps(installed)
    except Exception as error:
        warnings.warn(
            f"override_settings(INSTALLED_APPS={list(installed)!r}) names apps that cannot be loaded "
            f"({type(error).__name__}: {error}); the app registry keeps the previous apps inside the override.",
            RuntimeWarning,
            stacklevel=4,
        )
        return False
    return True


class CaptureQueriesContext:
    """Record the SQL statements one connection runs inside a ``with`` block, DEBUG or not.

    Why a context manager: the query log (``connection.queries``) is kept
    only under DEBUG, and holds everything since the last request. Inside
    the block the connection logs regardless (``force_debug_cursor``), and
    ``captured_queries`` is the part of the log the block added. The
    ``request_started`` receiver that empties the log is disconnected
    meanwhile, so requests made with the test client are captured too.

    >>> from tinyframe.db import connection
    >>> with CaptureQueriesContext(connection) as context:
    ...     with connection.cursor() as cursor:
    ...         _ = cursor.execute("SELECT %s", [42])
    >>> len(context), context[0]["sql"]
    (1, 'SELECT 42')

    As Django's, it counts positions in a log that keeps the newest 9000
    statements: a block that runs more than that loses the oldest.
    """

    def __init__(self, connection):
        self.connection = connection
        self.initial_queries = 0
        self.final_queries = None

    def __iter__(self):
        return iter(self.captured_queries)

    def __getitem__(self, index):
        return self.captured_queries[index]

    def __len__(self) -> int:
        return len(self.captured_queries)

    @property
    def captured_queries(self) -> list[dict]:
        """The statements run in the block, each ``{"sql": ..., "time": ...}``; so far, while it runs."""
        return self.connection.queries[self.initial_queries:self.final_queries]

    def __enter__(self):
        self.saved_force_debug_cursor = self.connection.force_debug_cursor
        self.connection.force_debug_cursor = True
        # Open the connection now, so that its set-up is not counted as the block's.
        self.connection.ensure_connection()
        self.initial_queries = len(self.connection.queries_log)
        self.final_queries = None
        request_started.disconnect(dispatch_uid="tinyframe.db.reset_queries")
        return self

    def __exit__(self, exc_type, exc_value, traceback):
        self.connection.force_debug_cursor = self.saved_force_debug_cursor
        from tinyframe.db import reset_queries  # here, not at the top: see tinyframe.test.testcases

        request_started.connect(reset_queries, dispatch_uid="tinyframe.db.reset_queries")
        if exc_type is None:
            self.final_queries = len(self.connection.queries_log)
# <<< 06_orm
