"""``manage.py test``: find a project's tests, give them a test database, run them with unittest.

How it works: ``DiscoverRunner.run_tests(labels)`` goes through five steps.
``setup_test_environment`` prepares the settings (the test client's host);
``build_suite`` finds the tests, by unittest's discovery of ``test*.py``
files under each label (a folder or a package, the current folder when no
label is given) or by name (``blog.tests.PostTests.test_title``), and puts
``TestCase`` classes first; ``get_databases`` reads which databases the
tests use (their ``databases`` attribute); ``setup_databases`` makes a test
database for each through ``connection.creation.create_test_db()``, which
runs the project's migrations; ``run_suite`` runs them with unittest's text
runner; and ``teardown_databases`` removes the test databases. It returns
the number of failures and errors, which the ``test`` command turns into
the exit status.

The printed lines are Django's: "Found 3 test(s).", "Creating test
database for alias 'default'...", unittest's dots and summary, "Destroying
test database for alias 'default'...".
"""

import os
import sys
import unittest
from importlib import import_module

from tinyframe.test.testcases import SimpleTestCase, TestCase
from tinyframe.test.utils import setup_test_environment, teardown_test_environment

__all__ = ["DiscoverRunner", "get_runner", "setup_databases", "teardown_databases"]


def setup_databases(verbosity: int, interactive: bool, keepdb: bool = False, aliases=None,
                    serialized_aliases=None, **kwargs) -> list[tuple]:
    """Make a test database for each alias in ``aliases`` (every database when None).

    Returns what ``teardown_databases`` needs to undo it: ``(connection,
    old_name, destroy)`` per database.
    """
    from tinyframe.db import connections

    old_config = []
    for alias in connections:
        if aliases is not None and alias not in aliases:
            continue
        connection = connections[alias]
        old_name = connection.settings_dict["NAME"]
        connection.creation.create_test_db(
            verbosity=verbosity,
            autoclobber=not interactive,
            keepdb=keepdb,
            serialize=serialized_aliases is None or alias in serialized_aliases,
        )
        old_config.append((connection, old_name, True))
    return old_config


def teardown_databases(old_config: list[tuple], verbosity: int, parallel: int = 0, keepdb: bool = False) -> None:
    """Remove the test databases ``setup_databases`` made and point each connection back at its database."""
    for connection, old_name, destroy in old_config:
        if destroy:
            connection.creation.destroy_test_db(old_name, verbosity, keepdb)


def get_runner(settings, test_runner_class: str | None = None) -> type:
    """The runner class: ``test_runner_class``, else ``settings.TEST_RUNNER``, else ``DiscoverRunner``."""
    path = test_runner_class or getattr(settings, "TEST_RUNNER", "tinyframe.test.runner.DiscoverRunner")
    module_name, _, class_name = path.rpartition(".")
    return getattr(import_module(module_name), class_name)


def iter_test_cases(suite):
    """Every test of a (nested) suite, in order."""
    for test in suite:
        if isinstance(test, unittest.TestSuite):
            yield from iter_test_cases(test)
        else:
            yield test


def find_top_level(folder: str) -> str:
    """The folder above the outermost package that holds ``folder``: where imports of its tests start."""
    while os.path.exists(os.path.join(folder, "__init__.py")):
        parent = os.path.dirname(folder)
        if parent == folder:
            break
        folder = parent
    return folder


class DiscoverRunner:
    """Django's default test runner: unittest's discovery and text runner, with test databases around them."""

    test_suite = unittest.TestSuite
    test_runner = unittest.TextTestRunner
    # Tests run in this order of groups: database TestCases first (cheap to
    # isolate), then the rest of tinyframe's test cases, then plain unittest ones.
    reorder_by = (TestCase, SimpleTestCase)

    def __init__(self, pattern: str | None = None, top_level: str | None = None, verbosity: int = 1,
                 interactive: bool = True, failfast: bool = False, keepdb: bool = False, reverse: bool = False,
                 debug_mode: bool = False, buffer: bool = False, test_name_patterns=None, **kwargs):
        self.pattern = pattern
        self.top_level = top_level
        self.verbosity = verbosity
        self.interactive = interactive
        self.failfast = failfast
        self.keepdb = keepdb
        self.reverse = reverse
        self.debug_mode = debug_mode
        self.buffer = buffer
        # A loader of its own: unittest's shared one remembers the folder its
        # last discovery started from and would look for the next run's there.
        self.test_loader = unittest.TestLoader()
        self.test_name_patterns = None
        if test_name_patterns:
            # unittest's -k: a bare word matches anywhere in the test's name.
            self.test_name_patterns = {pattern if "*" in pattern else f"*{pattern}*" for pattern in test_name_patterns}

    @classmethod
    def add_arguments(cls, parser) -> None:
        """The runner's options on the ``test`` command's command line."""
        parser.add_argument("-t", "--top-level-directory", dest="top_level",
                            help="Top level of project for unittest discovery.")
        parser.add_argument("-p", "--pattern", default="test*.py",
                            help='The test matching pattern. Defaults to "test*.py".')
        parser.add_argument("--keepdb", action="store_true", help="Preserves the test DB between runs.")
        parser.add_argument("-r", "--reverse", action="store_true", help="Reverses test order.")
        parser.add_argument("--debug-mode", action="store_true", help="Sets settings.DEBUG to True.")
        parser.add_argument("-b", "--buffer", action="store_true",
                            help="Discard output from passing tests.")
        parser.add_argument("-k", dest="test_name_patterns", action="append",
                            help="Only run test methods and classes that match the pattern or substring. "
                                 "Can be used multiple times. Same as unittest -k option.")

    def log(self, message: str) -> None:
        if self.verbosity > 0:
            print(message)

    def setup_test_environment(self, **kwargs) -> None:
        setup_test_environment(debug=self.debug_mode)
        unittest.installHandler()  # Ctrl-C ends the run after the current test, with a report

    def build_suite(self, test_labels=None) -> unittest.TestSuite:
        """The tests named by ``test_labels`` (the current folder when empty), database tests first."""
        self.test_loader.testNamePatterns = self.test_name_patterns
        tests = []
        for label in test_labels or ["."]:
            tests.extend(iter_test_cases(self.load_tests_for_label(label)))
        tests = self.reorder_tests(tests)
        self.log(f"Found {len(tests)} test(s).")
        return self.test_suite(tests)

    def load_tests_for_label(self, label: str) -> unittest.TestSuite:
        """A module, class or method by dotted name; a package or folder by discovery."""
        try:
            module = import_module(label)
        except (ImportError, TypeError):
            module = None
        if module is not None and not hasattr(module, "__path__"):
            return self.test_loader.loadTestsFromName(label)
        if module is None:
            folder = os.path.abspath(label)
            if not os.path.exists(folder):
                # A class or method (blog.tests.PostTests): unittest says what is wrong with a bad one.
                return self.test_loader.loadTestsFromName(label)
            if not os.path.isdir(folder):
                raise RuntimeError(
                    f"One of the test labels is a path to a file: {label!r}, which is not supported. Use a "
                    "dotted module name or path to a directory instead."
                )
        top_level = self.top_level
        if not top_level and os.path.isdir(os.path.abspath(label)):
            # A package in the current folder is a folder too, which unittest
            # would make its own top level (its tests named "tests", not "blog.tests").
            top_level = find_top_level(os.path.abspath(label))
        tests = self.test_loader.discover(start_dir=label, pattern=self.pattern or "test*.py", top_level_dir=top_level)
        # The loader remembers this top level and would start the next label's discovery there.
        self.test_loader._top_level_dir = None
        return tests

    def reorder_tests(self, tests: list) -> list:
        """Group the tests by ``reorder_by`` (first match wins), keeping their order within each group.

        A test named twice (``blog`` and ``blog.tests.PostTests.test_one``) runs once, as in Django.
        """
        groups = [{} for _ in range(len(self.reorder_by) + 1)]
        for test in tests:
            index = next((i for i, kind in enumerate(self.reorder_by) if isinstance(test, kind)), len(self.reorder_by))
            groups[index].setdefault(test, None)
        if self.reverse:
            groups = [list(reversed(group)) for group in groups]
        return [test for group in groups for test in group]

    def get_databases(self, suite) -> set[str]:
        """The aliases the tests use: the union of their ``databases`` (``"__all__"`` means every one)."""
        from tinyframe.db import connections

        aliases = set()
        for test in iter_test_cases(suite):
            wanted = getattr(test, "databases", None) or set()
            aliases |= set(connections) if wanted == "__all__" else set(wanted)
        return aliases

    def setup_databases(self, **kwargs) -> list[tuple]:
        return setup_databases(self.verbosity, self.interactive, keepdb=self.keepdb, **kwargs)

    def run_suite(self, suite) -> unittest.TestResult:
        runner = self.test_runner(verbosity=self.verbosity, failfast=self.failfast, buffer=self.buffer)
        return runner.run(suite)

    def teardown_databases(self, old_config, **kwargs) -> None:
        teardown_databases(old_config, verbosity=self.verbosity, keepdb=self.keepdb)

    def teardown_test_environment(self, **kwargs) -> None:
        unittest.removeHandler()
        teardown_test_environment()

    def suite_result(self, suite, result, **kwargs) -> int:
        return len(result.failures) + len(result.errors) + len(result.unexpectedSuccesses)

    def run_tests(self, test_labels, **kwargs) -> int:
        """Run the tests ``test_labels`` name on test databases; the number of failures and errors.

        The test databases are removed even when the run fails; an error
        while removing them is raised only if the run itself went well. A
        set-up that fails (a migration that does not apply) undoes
        ``setup_test_environment`` before the error goes up.
        """
        self.setup_test_environment()
        try:
            suite = self.build_suite(test_labels)
            databases = self.get_databases(suite)
            old_config = self.setup_databases(aliases=databases)
        except BaseException:
            self.teardown_test_environment()  # a failed set-up leaves the process as it found it
            raise
        run_failed = False
        try:
            result = self.run_suite(suite)
        except Exception:
            run_failed = True
            raise
        finally:
            try:
                self.teardown_databases(old_config)
                self.teardown_test_environment()
            except Exception:
                if not run_failed:
                    raise
        return self.suite_result(suite, result)
