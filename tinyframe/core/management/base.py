"""The base class of management commands such as ``runserver``.

How it works: a command is a module ``<package>.management.commands.<name>``
holding a ``Command(BaseCommand)`` class. From the command line,
``ManagementUtility`` calls ``run_from_argv(argv)``: ``create_parser`` builds a
``CommandParser`` (an ``argparse.ArgumentParser``) with the options every
command shares plus those the command adds in ``add_arguments``; the parsed
options go to ``execute``, which points ``self.stdout``/``self.stderr`` where
asked and calls ``handle(*args, **options)``, the command's own code. A command
reports failure by raising ``CommandError``: on the command line it is printed
as one line, without a traceback, and the process exits with its
``returncode``. From code, ``call_command`` calls ``execute`` directly and the
``CommandError`` propagates like any exception.
"""

import argparse
import os
import sys
from typing import TextIO


class CommandError(Exception):
    """A command failed for a reason its user can fix; the message says which.

    On the command line it is printed as ``CommandError: <message>`` and the
    process exits with ``returncode`` (1 unless given).
    """

    def __init__(self, *args, returncode: int = 1, **kwargs):
        self.returncode = returncode
        super().__init__(*args, **kwargs)


class CommandParser(argparse.ArgumentParser):
    """An ArgumentParser that raises ``CommandError`` instead of exiting, unless run from the command line.

    ``argparse`` calls ``sys.exit(2)`` on a bad argument, which is right in a
    terminal but would end a test run or a program that uses ``call_command``.
    """

    def __init__(self, *, missing_args_message: str | None = None, called_from_command_line: bool | None = None,
                 **kwargs):
        self.missing_args_message = missing_args_message
        self.called_from_command_line = called_from_command_line
        super().__init__(**kwargs)

    def parse_args(self, args=None, namespace=None):
        if self.missing_args_message and not (args and any(not arg.startswith("-") for arg in args)):
            self.error(self.missing_args_message)
        return super().parse_args(args, namespace)

    def error(self, message):
        if self.called_from_command_line:
            super().error(message)
        raise CommandError(f"Error: {message}")


def handle_default_options(options) -> None:
    """Apply ``--settings`` and ``--pythonpath`` before anything reads the settings."""
    if options.settings:
        os.environ["TINYFRAME_SETTINGS_MODULE"] = options.settings
    if options.pythonpath:
        sys.path.insert(0, options.pythonpath)


class OutputWrapper:
    """A stream whose ``write`` ends every message with a newline and flushes it.

    Flushing matters when output goes through a pipe (a test reading
    runserver's address, ``tinyframe runserver | tee log``): without it the
    lines would sit in a buffer while the server runs.
    """

    def __init__(self, out: TextIO, ending: str = "\n"):
        self._out = out
        self.ending = ending

    def __getattr__(self, name):
        return getattr(self._out, name)

    def write(self, msg: str = "", ending: str | None = None) -> None:
        ending = self.ending if ending is None else ending
        if ending and not msg.endswith(ending):
            msg += ending
        self._out.write(msg)
        self._out.flush()


class BaseCommand:
    """Subclass this as ``Command`` in ``<app>/management/commands/<name>.py``.

    Set ``help`` (shown by ``tinyframe help <name>``), add options in
    ``add_arguments(parser)`` and do the work in ``handle(*args, **options)``.
    A string returned by ``handle`` is written to ``self.stdout``.
    """

    help = ""
    # Options that call_command accepts although the parser does not define them.
    stealth_options = ()
    # Base options this command does not offer (such as {"--verbosity"}).
    suppressed_base_arguments = set()

    def __init__(self, stdout: TextIO | None = None, stderr: TextIO | None = None):
        self.stdout = OutputWrapper(stdout or sys.stdout)
        self.stderr = OutputWrapper(stderr or sys.stderr)
        self._called_from_command_line = False

    def get_version(self) -> str:
        """The version printed by ``--version``: tinyframe's."""
        import tinyframe

        return tinyframe.__version__

    def create_parser(self, prog_name: str, subcommand: str, **kwargs) -> CommandParser:
        """Build the parser: the options every command shares, then the command's own."""
        parser = CommandParser(
            prog=f"{os.path.basename(prog_name)} {subcommand}",
            description=self.help or None,
            missing_args_message=getattr(self, "missing_args_message", None),
            called_from_command_line=self._called_from_command_line,
            **kwargs,
        )
        self.add_base_argument(parser, "--version", action="version", version=self.get_version(),
                               help="Show program's version number and exit.")
        self.add_base_argument(parser, "-v", "--verbosity", default=1, type=int, choices=[0, 1, 2, 3],
                               help="Verbosity level; 0=minimal output, 1=normal output, 2=verbose output, "
                                    "3=very verbose output")
        self.add_base_argument(parser, "--settings",
                               help="The Python path to a settings module, e.g. \"myproject.settings\". If "
                                    "this isn't provided, the TINYFRAME_SETTINGS_MODULE environment variable "
                                    "will be used.")
        self.add_base_argument(parser, "--pythonpath",
                               help="A directory to add to the Python path, e.g. \"/home/projects/myproject\".")
        self.add_base_argument(parser, "--traceback", action="store_true",
                               help="Raise on CommandError exceptions.")
        self.add_arguments(parser)
        return parser

    def add_base_argument(self, parser: CommandParser, *args, **kwargs) -> None:
        """Add a shared option, unless this command lists it in ``suppressed_base_arguments``."""
        if any(arg in self.suppressed_base_arguments for arg in args):
            kwargs["help"] = argparse.SUPPRESS
        parser.add_argument(*args, **kwargs)

    def add_arguments(self, parser: CommandParser) -> None:
        """Add the command's own arguments to ``parser`` (an argparse parser)."""

    def print_help(self, prog_name: str, subcommand: str) -> None:
        """Print the command's usage and options."""
        self.create_parser(prog_name, subcommand).print_help(file=self.stdout)

    def run_from_argv(self, argv: list[str]) -> None:
        """Run the command as ``argv`` asks (``[prog, name, args...]``), printing a ``CommandError`` as one line."""
        self._called_from_command_line = True
        parser = self.create_parser(argv[0], argv[1])
        options = parser.parse_args(argv[2:])
        handle_default_options(options)
        cmd_options = vars(options)
        args = cmd_options.pop("args", ())
        try:
            self.execute(*args, **cmd_options)
        except CommandError as exc:
            if options.traceback:
                raise
            self.stderr.write(f"{exc.__class__.__name__}: {exc}")
            sys.exit(exc.returncode)

    def execute(self, *args, **options):
        """Point the output streams where ``options`` ask, run ``handle`` and write what it returns."""
        if options.get("stdout"):
            self.stdout = OutputWrapper(options["stdout"])
        if options.get("stderr"):
            self.stderr = OutputWrapper(options["stderr"])
        output = self.handle(*args, **options)
        if output:
            self.stdout.write(output)
        return output

    def handle(self, *args, **options):
        """The command's work. Subclasses must provide it."""
        raise NotImplementedError("subclasses of BaseCommand must provide a handle() method")
