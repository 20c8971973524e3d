"""The command line: ``python -m tinyframe <command>``, ``tinyframe <command>`` or a project's ``manage.py``.

How it works: ``execute_from_command_line(argv)`` hands ``argv`` to a
``ManagementUtility``. It applies ``--settings`` and ``--pythonpath`` first
(they decide which commands exist), loads the settings if there are any, then
answers ``help`` and ``version`` itself and runs any other command by name:
``get_commands`` maps each command name to the package that provides it, found
as modules in ``tinyframe/core/management/commands/`` and in the
``management/commands/`` folder of every package in ``settings.INSTALLED_APPS``;
``load_command_class`` imports the module and makes its ``Command``.
``call_command(name, *args, **options)`` runs a command from Python code, as a
test or a script would.

A project's ``manage.py`` is Django's, with one word changed::

    import os, sys
    os.environ.setdefault("TINYFRAME_SETTINGS_MODULE", "mysite.settings")
    from tinyframe.core.management import execute_from_command_line
    execute_from_command_line(sys.argv)
"""

import importlib.util
import os
import pkgutil
import sys
from collections import defaultdict
from difflib import get_close_matches
from importlib import import_module

import tinyframe
from tinyframe.conf import settings
from tinyframe.core.exceptions import ImproperlyConfigured
from tinyframe.core.management.base import BaseCommand, CommandError, CommandParser, handle_default_options

__all__ = ["BaseCommand", "CommandError", "call_command", "execute_from_command_line", "get_commands"]


def find_commands(management_dir: str) -> list[str]:
    """The command names in ``<management_dir>/commands``: its modules not starting with ``_``."""
    command_dir = os.path.join(management_dir, "commands")
    return [name for _, name, is_package in pkgutil.iter_modules([command_dir])
            if not is_package and not name.startswith("_")]


def load_command_class(app_name: str, name: str) -> BaseCommand:
    """Import ``<app_name>.management.commands.<name>`` and return an instance of its ``Command``."""
    module = import_module(f"{app_name}.management.commands.{name}")
    return module.Command()


def installed_app_directories() -> list[tuple[str, str]]:
    """``(dotted name, directory)`` of each package in ``settings.INSTALLED_APPS``.

    Entries that are not packages are skipped here; the app registry of a
    later chapter reports them properly.
    """
    directories = []
    for app_name in settings.INSTALLED_APPS:
        # >>> 06_orm
        # From chapter 06 an entry may name an AppConfig subclass
        # ("tinyframe.contrib.auth.apps.AuthConfig"): its commands are in the
        # package it configures.
        from tinyframe.apps.config import app_package_name

        app_name = app_package_name(app_name)
        # <<< 06_orm
        try:
            spec = importlib.util.find_spec(app_name)
        except ImportError:
            continue
        if spec is not None and spec.submodule_search_locations:
            directories.append((app_name, list(spec.submodule_search_locations)[0]))
    return directories


def get_commands() -> dict[str, str]:
    """Map every available command name to the package that provides it.

    tinyframe's own commands come first; an installed app's command of the same
    name replaces it, and of two apps the one listed first in INSTALLED_APPS
    wins. The result is not cached (Django caches it): listing a few folders is
    cheap, and this way a test that overrides INSTALLED_APPS sees its commands.
    """
    commands = {name: "tinyframe.core" for name in find_commands(os.path.dirname(__file__))}
    if not settings.configured:
        return commands
    for app_name, directory in reversed(installed_app_directories()):
        commands.update({name: app_name for name in find_commands(os.path.join(directory, "management"))})
    return commands


def call_command(command_name: str | BaseCommand, *args, **options):
    """Run a command from Python code: ``call_command("runserver", "8001", use_threading=False)``.

    ``args`` are the command's positional arguments as on the command line;
    ``options`` use the names of the options' destinations (``use_threading``)
    or of the options themselves (``nothreading``). Options the command does not
    define raise TypeError, naming the valid ones; a failed command raises
    ``CommandError`` rather than exiting.
    """
    if isinstance(command_name, BaseCommand):
        command = command_name
        command_name = command.__class__.__module__.rsplit(".", 1)[-1]
    else:
        try:
            app_name = get_commands()[command_name]
        except KeyError:
            raise CommandError(f"Unknown command: {command_name!r}") from None
        command = load_command_class(app_name, command_name)

    parser = command.create_parser("", command_name)
    # An option may be named by its flag ("nothreading") or its dest ("use_threading").
    option_to_dest = {
        min(action.option_strings).lstrip("-").replace("-", "_"): action.dest
        for action in parser._actions if action.option_strings
    }
    given = {option_to_dest.get(name, name): value for name, value in options.items()}
    argv = []
    for arg in args:
        argv.extend(map(str, arg) if isinstance(arg, (list, tuple)) else [str(arg)])
    # Required options must reach the parser, or it reports them missing.
    for action in parser._actions:
        if action.required and action.option_strings and action.dest in given:
            argv += [min(action.option_strings), str(given[action.dest])]

    valid = {action.dest for action in parser._actions} | set(option_to_dest) | {"stdout", "stderr"}
    valid |= set(command.stealth_options)
    unknown = set(options) - valid
    if unknown:
        raise TypeError(
            f"Unknown option(s) for {command_name} command: {', '.join(sorted(unknown))}. "
            f"Valid options are: {', '.join(sorted(valid))}."
        )
    defaults = dict(vars(parser.parse_args(argv)), **given)
    args = defaults.pop("args", ())
    return command.execute(*args, **defaults)


class ManagementUtility:
    """What ``tinyframe``, ``python -m tinyframe`` and ``manage.py`` run: parse argv, find the command, run it."""

    def __init__(self, argv: list[str] | None = None):
        self.argv = list(argv or sys.argv)
        self.prog_name = os.path.basename(self.argv[0])
        if self.prog_name == "__main__.py":
            self.prog_name = "python -m tinyframe"
        self.settings_exception = None

    def main_help_text(self, commands_only: bool = False) -> str:
        """The text of ``tinyframe help``: the commands, grouped by the package that provides them."""
        if commands_only:
            return "\n".join(sorted(get_commands()))
        lines = [
            "",
            f"Type '{self.prog_name} help <subcommand>' for help on a specific subcommand.",
            "",
            "Available subcommands:",
        ]
        by_package = defaultdict(list)
        for name, app_name in get_commands().items():
            by_package["tinyframe" if app_name == "tinyframe.core" else app_name.rpartition(".")[-1]].append(name)
        for package in sorted(by_package):
            lines += ["", f"[{package}]"]
            lines += [f"    {name}" for name in sorted(by_package[package])]
        if self.settings_exception is not None:
            lines += ["", "Note that only tinyframe's own commands are listed as settings are not "
                          f"properly configured (error: {self.settings_exception})."]
        return "\n".join(lines)

    def fetch_command(self, subcommand: str) -> BaseCommand:
        """Return the command called ``subcommand``, or print what went wrong and exit with status 1."""
        commands = get_commands()
        if subcommand not in commands:
            if self.settings_exception is not None and os.environ.get("TINYFRAME_SETTINGS_MODULE"):
                # The command may live in an app that broken settings hid: say so.
                sys.stderr.write(f"Settings could not be loaded: {self.settings_exception}\n")
            elif not settings.configured:
                sys.stderr.write("No tinyframe settings specified.\n")
            message = f"Unknown command: {subcommand!r}"
            matches = get_close_matches(subcommand, commands)
            if matches:
                message += f". Did you mean {matches[0]}?"
            sys.stderr.write(f"{message}\nType '{self.prog_name} help' for usage.\n")
            sys.exit(1)
        return load_command_class(commands[subcommand], subcommand)

    def execute(self) -> None:
        """Run the command that ``self.argv`` names."""
        subcommand = self.argv[1] if len(self.argv) > 1 else "help"
        # --settings and --pythonpath decide which commands exist, so apply
        # them before looking for the command.
        parser = CommandParser(prog=self.prog_name, usage="%(prog)s subcommand [options] [args]",
                               add_help=False, allow_abbrev=False)
        parser.add_argument("--settings")
        parser.add_argument("--pythonpath")
        parser.add_argument("args", nargs="*")
        try:
            options, _ = parser.parse_known_args(self.argv[2:])
        except CommandError:
            # A malformed option ("--settings" with no value): the command's
            # own parser reports it properly below.
            options = parser.parse_known_args([])[0]
        handle_default_options(options)

        try:
            settings.INSTALLED_APPS
        except (ImproperlyConfigured, ImportError) as exc:
            self.settings_exception = exc
        if settings.configured:
            tinyframe.setup()

        if subcommand == "help":
            if "--commands" in self.argv[2:]:
                sys.stdout.write(self.main_help_text(commands_only=True) + "\n")
            elif not options.args:
                sys.stdout.write(self.main_help_text() + "\n")
            else:
                self.fetch_command(options.args[0]).print_help(self.prog_name, options.args[0])
        elif subcommand == "version" or self.argv[1:] == ["--version"]:
            sys.stdout.write(tinyframe.__version__ + "\n")
        elif self.argv[1:] in (["--help"], ["-h"]):
            sys.stdout.write(self.main_help_text() + "\n")
        else:
            self.fetch_command(subcommand).run_from_argv(self.argv)


def execute_from_command_line(argv: list[str] | None = None) -> None:
    """Run the command line ``argv`` (default ``sys.argv``): the entry point of every ``manage.py``."""
    utility = ManagementUtility(argv)
    utility.execute()
