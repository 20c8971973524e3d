"""Settings: configure(), TINYFRAME_SETTINGS_MODULE, override_settings and the test environment."""

import os
import subprocess
import sys
import textwrap
import unittest

import pytest

import tinyframe
from tinyframe.conf import LazySettings, global_settings, settings
from tinyframe.core.exceptions import ImproperlyConfigured
from tinyframe.test import SimpleTestCase
from tinyframe.test.utils import override_settings, setup_test_environment, teardown_test_environment


def run_python(code: str, tmp_path, **env) -> subprocess.CompletedProcess:
    """Run ``code`` in a fresh interpreter (settings load once per process), with ``tmp_path`` importable."""
    environment = {**os.environ, "PYTHONPATH": str(tmp_path), **env}
    if "TINYFRAME_SETTINGS_MODULE" not in env:
        environment.pop("TINYFRAME_SETTINGS_MODULE", None)
    return subprocess.run([sys.executable, "-c", textwrap.dedent(code)], capture_output=True, text=True,
                          env=environment, timeout=20)


def test_configured_settings_fall_back_to_the_defaults():
    assert settings.configured
    assert settings.SECRET_KEY == "tinyframe-tests-not-secret"
    assert settings.DATA_UPLOAD_MAX_NUMBER_FIELDS == global_settings.DATA_UPLOAD_MAX_NUMBER_FIELDS == 1000
    assert settings.DEFAULT_CHARSET == "utf-8"


def test_reading_settings_before_configuring_says_how_to_fix_it(tmp_path):
    done = run_python("""
        from tinyframe.conf import settings
        print(settings.configured)
        settings.DEBUG
    """, tmp_path)
    assert done.stdout == "False\n"
    assert ("ImproperlyConfigured: Requested setting DEBUG, but settings are not configured. Either call "
            "settings.configure(...) before using tinyframe, or set the environment variable "
            "TINYFRAME_SETTINGS_MODULE") in done.stderr, done.stderr


def test_settings_module_from_the_environment(tmp_path):
    (tmp_path / "env_settings.py").write_text('SECRET_KEY = "from-module"\nDEBUG = True\nlowercase = "ignored"\n')
    done = run_python("""
        import tinyframe
        from tinyframe.conf import settings
        tinyframe.setup()
        print(settings.SECRET_KEY, settings.DEBUG, settings.DEFAULT_CHARSET, settings.SETTINGS_MODULE)
        print(hasattr(settings, "lowercase"))
    """, tmp_path, TINYFRAME_SETTINGS_MODULE="env_settings")
    assert done.stdout.split() == ["from-module", "True", "utf-8", "env_settings", "False"], done.stderr


def test_a_missing_settings_module_fails_at_setup(tmp_path):
    done = run_python("import tinyframe; tinyframe.setup()", tmp_path, TINYFRAME_SETTINGS_MODULE="no_such_settings")
    assert "Cannot import the settings module 'no_such_settings'" in done.stderr, done.stderr


def test_configure_checks_names_and_runs_once():
    fresh = LazySettings()
    with pytest.raises(TypeError, match="Setting 'debug' must be uppercase."):
        fresh.configure(debug=True)
    fresh = LazySettings()
    fresh.configure(DEBUG=True, SECRET_KEY="k")
    assert fresh.DEBUG is True and fresh.ALLOWED_HOSTS == []
    with pytest.raises(RuntimeError, match="Settings already configured."):
        fresh.configure(DEBUG=False)
    with pytest.raises(ImproperlyConfigured, match="The ALLOWED_HOSTS setting must be a list or a tuple"):
        LazySettings().configure(ALLOWED_HOSTS="example.com")


def test_an_empty_secret_key_is_refused_when_read():
    with override_settings(SECRET_KEY=""):
        with pytest.raises(ImproperlyConfigured, match="The SECRET_KEY setting must not be empty"):
            settings.SECRET_KEY


# --- override_settings ------------------------------------------------------


def test_override_settings_as_a_context_manager_nests_and_restores():
    assert settings.DEBUG is False
    with override_settings(DEBUG=True, NEW_SETTING="x"):
        assert settings.DEBUG is True and settings.NEW_SETTING == "x"
        with override_settings(DEBUG=False):
            assert settings.DEBUG is False and settings.NEW_SETTING == "x"
        assert settings.DEBUG is True
    assert settings.DEBUG is False, "leaving override_settings must restore the old value (and forget the cache)"
    assert not hasattr(settings, "NEW_SETTING")


def test_override_settings_ended_out_of_order_removes_only_its_own_values():
    """An override that ends while a later one is still on takes only its own values away, for good."""
    outer = override_settings(DEBUG=True)
    inner = override_settings(DEFAULT_CHARSET="latin-1")
    outer.enable()
    inner.enable()
    outer.disable()
    seen = (settings.DEBUG, settings.DEFAULT_CHARSET)
    inner.disable()
    after = (settings.DEBUG, settings.DEFAULT_CHARSET)
    assert seen == (False, "latin-1"), (
        f"after ending the outer override first, DEBUG and DEFAULT_CHARSET were {seen}; expected (False, 'latin-1')"
    )
    assert after == (False, "utf-8"), (
        f"after ending both, DEBUG and DEFAULT_CHARSET were {after}; expected (False, 'utf-8'): "
        "the outer override's DEBUG=True must not come back"
    )


def test_override_settings_restores_after_an_exception():
    with pytest.raises(ZeroDivisionError):
        with override_settings(DEBUG=True):
            1 / 0
    assert settings.DEBUG is False


@override_settings(DEFAULT_CHARSET="latin-1")
def test_override_settings_as_a_function_decorator():
    assert settings.DEFAULT_CHARSET == "latin-1"


def test_a_decorated_function_can_be_called_again_and_recursively():
    seen = []

    @override_settings(DEBUG=True)
    def countdown(n):
        seen.append(settings.DEBUG)
        if n:
            countdown(n - 1)

    countdown(2)
    countdown(0)
    assert seen == [True, True, True, True] and settings.DEBUG is False


def unittest_problems(result: unittest.TestResult) -> str:
    """The tracebacks of a unittest run's failures and errors, as text a learner can read."""
    return "\n".join(traceback for _, traceback in result.failures + result.errors)


def test_override_settings_on_a_plain_test_case_wraps_each_test():
    @override_settings(DEBUG=True)
    class Plain(unittest.TestCase):
        def setUp(self):
            self.seen_in_setup = settings.DEBUG

        def test_it(self):
            self.assertTrue(self.seen_in_setup and settings.DEBUG)

    result = unittest.TestResult()
    Plain("test_it").run(result)
    assert result.wasSuccessful(), unittest_problems(result)
    assert settings.DEBUG is False


def test_override_settings_on_a_simple_test_case_lasts_for_the_class():
    @override_settings(DEBUG=True)
    class Outer(SimpleTestCase):
        def test_it(self):
            self.assertTrue(settings.DEBUG)
            self.assertEqual(settings.DEFAULT_CHARSET, "ascii")

    Inner = override_settings(DEFAULT_CHARSET="ascii")(Outer)
    result = unittest.TestResult()
    unittest.TestSuite([Inner("test_it")]).run(result)
    assert result.wasSuccessful(), unittest_problems(result)
    assert settings.DEBUG is False and settings.DEFAULT_CHARSET == "utf-8"


def test_override_settings_refuses_what_it_cannot_decorate():
    with pytest.raises(TypeError, match="Can only decorate subclasses of unittest.TestCase"):
        override_settings(DEBUG=True)(type("NotATest", (), {}))
    with pytest.raises(TypeError, match="Cannot decorate object of type int"):
        override_settings(DEBUG=True)(42)


def test_monkeypatching_a_setting_is_undone(monkeypatch):
    monkeypatch.setattr(settings, "DEBUG", True)
    assert settings.DEBUG is True
    monkeypatch.undo()
    assert settings.DEBUG is False


# --- the test environment ---------------------------------------------------


def test_setup_test_environment_allows_testserver_once():
    with override_settings(ALLOWED_HOSTS=["example.com"], DEBUG=False):
        setup_test_environment(debug=True)
        try:
            assert settings.ALLOWED_HOSTS == ["example.com", "testserver"]
            assert settings.DEBUG is True
            with pytest.raises(RuntimeError, match="setup_test_environment.. was already called"):
                setup_test_environment()
        finally:
            teardown_test_environment()
        assert settings.ALLOWED_HOSTS == ["example.com"] and settings.DEBUG is False
    with pytest.raises(RuntimeError, match="without setup_test_environment"):
        teardown_test_environment()


def test_setup_is_harmless_when_configured():
    tinyframe.setup()
    assert settings.configured
