"""``manage.py test [label ...]``: run the project's tests on test databases built by its migrations.

How it works: the command hands its labels and options to the test runner
(``settings.TEST_RUNNER``, or ``--testrunner``; ``DiscoverRunner`` unless
either says otherwise), whose own options (``--keepdb``, ``-k``...) it
adds to its command line. ``run_tests`` returns the number of failures
and errors; any at all make the process exit with status 1, so a CI job
fails.
"""

import sys

from tinyframe.conf import settings
from tinyframe.core.management.base import BaseCommand
from tinyframe.test.runner import get_runner

__all__ = ["Command"]


class Command(BaseCommand):
    """Discover and run tests, as Django's ``test`` command."""

    help = "Discover and run tests in the specified modules or the current directory."

    def run_from_argv(self, argv: list[str]) -> None:
        """Read ``--testrunner`` before the parser is built: the runner adds options of its own."""
        self.test_runner = None
        for index, argument in enumerate(argv):
            if argument.startswith("--testrunner="):
                self.test_runner = argument.split("=", 1)[1]
            elif argument == "--testrunner" and index + 1 < len(argv):
                self.test_runner = argv[index + 1]
        super().run_from_argv(argv)

    def add_arguments(self, parser) -> None:
        parser.add_argument("args", metavar="test_label", nargs="*",
                            help="Module paths to test; can be modulename, modulename.TestCase or "
                                 "modulename.TestCase.test_method")
        parser.add_argument("--noinput", "--no-input", action="store_false", dest="interactive",
                            help="Tells tinyframe to NOT prompt the user for input of any kind.")
        parser.add_argument("--failfast", action="store_true",
                            help="Tells tinyframe to stop running the test suite after first failed test.")
        parser.add_argument("--testrunner",
                            help="Tells tinyframe to use specified test runner class instead of the one "
                                 "specified by the TEST_RUNNER setting.")
        runner_class = get_runner(settings, getattr(self, "test_runner", None))
        if hasattr(runner_class, "add_arguments"):
            runner_class.add_arguments(parser)

    def handle(self, *test_labels, **options):
        runner_class = get_runner(settings, options["testrunner"])
        test_runner = runner_class(**options)
        failures = test_runner.run_tests(test_labels)
        if failures:
            sys.exit(1)
