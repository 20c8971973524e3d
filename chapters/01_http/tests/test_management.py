"""Management commands: discovery, call_command, the command line, CommandError, and runserver's options."""

import errno
import io
import os
import subprocess
import sys

import pytest

import tinyframe
from tinyframe.core import management
from tinyframe.core.management import (
    ManagementUtility,
    call_command,
    execute_from_command_line,
    find_commands,
    get_commands,
    load_command_class,
)
from tinyframe.core.management.base import BaseCommand, CommandError, CommandParser, OutputWrapper
from tinyframe.core.management.commands import runserver
from tinyframe.test.utils import override_settings

# tinyframe's own commands: runserver from this chapter, more from later ones (migrate in 06...).
CORE_COMMANDS = sorted(find_commands(os.path.dirname(management.__file__)))

GREET_COMMAND = '''
from tinyframe.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = "Greets someone."

    def add_arguments(self, parser):
        parser.add_argument("name")
        parser.add_argument("--shout", action="store_true", dest="loud")
        parser.add_argument("--times", type=int, default=1)

    def handle(self, *args, **options):
        if options["name"] == "nobody":
            raise CommandError("Cannot greet nobody; give a name.", returncode=3)
        greeting = f"Hello, {options['name']}!"
        if options["loud"]:
            greeting = greeting.upper()
        self.stderr.write("greeting...")
        return "\\n".join([greeting] * options["times"])
'''


# These tests name apps that do not exist, on purpose; from chapter 06 the app registry warns
# that it keeps its previous apps for such an override, a warning these tests expect.
EXPECTED_WARNING = "ignore:override_settings.*names apps that cannot be loaded:RuntimeWarning"
pytestmark = pytest.mark.filterwarnings(EXPECTED_WARNING)


@pytest.fixture
def greet_app(tmp_path, monkeypatch):
    """An installed app, ``greetapp``, with a ``greet`` command (and a private module that is not one)."""
    commands = tmp_path / "greetapp" / "management" / "commands"
    commands.mkdir(parents=True)
    for package in (tmp_path / "greetapp", commands.parent, commands):
        (package / "__init__.py").write_text("")
    (commands / "greet.py").write_text(GREET_COMMAND)
    (commands / "_helpers.py").write_text("")
    monkeypatch.syspath_prepend(str(tmp_path))
    with override_settings(INSTALLED_APPS=["greetapp", "not_a_module_anywhere", "missing_package.app"]):
        yield


def test_commands_are_found_in_tinyframe_and_installed_apps(greet_app):
    commands = get_commands()
    assert commands["runserver"] == "tinyframe.core"
    assert commands["greet"] == "greetapp", f"get_commands() found {commands}; expected greetapp's 'greet'"
    assert "_helpers" not in commands, "modules starting with '_' are not commands"
    assert isinstance(load_command_class("greetapp", "greet"), BaseCommand)


def test_call_command_passes_arguments_and_options(greet_app):
    out, err = io.StringIO(), io.StringIO()
    result = call_command("greet", "Ada", shout=True, times=2, stdout=out, stderr=err)
    assert result == "HELLO, ADA!\nHELLO, ADA!"
    assert out.getvalue() == "HELLO, ADA!\nHELLO, ADA!\n"
    assert err.getvalue() == "greeting...\n"
    assert call_command("greet", "Ada", loud=True, stdout=out) == "HELLO, ADA!", "options may use their dest name"
    assert call_command("greet", ["Bo"], stdout=out) == "Hello, Bo!"


def test_call_command_errors(greet_app):
    """call_command says what is wrong: an unknown command, unknown options, a missing argument, or the command's
    own CommandError (with its returncode)."""
    with pytest.raises(CommandError, match="Unknown command: 'nope'"):
        call_command("nope")
    with pytest.raises(TypeError, match=r"Unknown option\(s\) for greet command: colour. Valid options are: .*shout"):
        call_command("greet", "Ada", colour="red")
    with pytest.raises(CommandError, match="Error: the following arguments are required: name"):
        call_command("greet")
    with pytest.raises(CommandError, match="Cannot greet nobody") as caught:
        call_command("greet", "nobody")
    assert caught.value.returncode == 3


def test_call_command_accepts_a_command_object():
    class Command(BaseCommand):
        def add_arguments(self, parser):
            parser.add_argument("--level", required=True, type=int)

        def handle(self, *args, **options):
            return f"level {options['level']}"

    assert call_command(Command(stdout=io.StringIO()), level=3) == "level 3"
    with pytest.raises(NotImplementedError, match="must provide a handle"):
        call_command(BaseCommand(stdout=io.StringIO()))


def test_command_line_prints_command_error_without_traceback(greet_app, capsys):
    with pytest.raises(SystemExit) as caught:
        execute_from_command_line(["manage.py", "greet", "nobody"])
    assert caught.value.code == 3, f"CommandError(returncode=3) exited with {caught.value.code}"
    err = capsys.readouterr().err
    assert "CommandError: Cannot greet nobody; give a name." in err and "Traceback" not in err
    with pytest.raises(CommandError):
        execute_from_command_line(["manage.py", "greet", "nobody", "--traceback"])


def test_command_line_runs_a_command(greet_app, capsys):
    execute_from_command_line(["manage.py", "greet", "Ada", "--times", "2"])
    assert capsys.readouterr().out == "Hello, Ada!\nHello, Ada!\n"
    with pytest.raises(SystemExit) as caught:
        execute_from_command_line(["manage.py", "greet"])
    assert caught.value.code == 2
    assert "the following arguments are required: name" in capsys.readouterr().err


def test_unknown_command_suggests_and_exits_1(capsys):
    with pytest.raises(SystemExit) as caught:
        execute_from_command_line(["tinyframe", "runservr"])
    assert caught.value.code == 1
    assert capsys.readouterr().err == ("Unknown command: 'runservr'. Did you mean runserver?\n"
                                       "Type 'tinyframe help' for usage.\n")
    with pytest.raises(SystemExit):
        execute_from_command_line(["tinyframe", "xyzzy"])
    assert capsys.readouterr().err == "Unknown command: 'xyzzy'\nType 'tinyframe help' for usage.\n"


def test_help_and_version(greet_app, capsys):
    """'help' lists the commands by app, 'help --commands' only their names, 'help CMD' one command's usage;
    'version' and '--version' print the version."""
    execute_from_command_line(["manage.py", "help"])
    out = capsys.readouterr().out
    assert "Type 'manage.py help <subcommand>' for help on a specific subcommand." in out
    assert "[greetapp]\n    greet" in out
    assert "[tinyframe]\n" + "".join(f"    {name}\n" for name in CORE_COMMANDS) in out, out
    execute_from_command_line(["manage.py"])
    assert "Available subcommands:" in capsys.readouterr().out
    execute_from_command_line(["manage.py", "help", "--commands"])
    assert capsys.readouterr().out.split() == sorted(["greet", *CORE_COMMANDS])
    execute_from_command_line(["manage.py", "help", "greet"])
    out = capsys.readouterr().out
    assert "usage: manage.py greet" in out and "Greets someone." in out and "--shout" in out
    for argv in (["manage.py", "version"], ["manage.py", "--version"]):
        execute_from_command_line(argv)
        assert capsys.readouterr().out == tinyframe.__version__ + "\n"
    execute_from_command_line(["manage.py", "--help"])
    assert "Available subcommands:" in capsys.readouterr().out
    with pytest.raises(SystemExit) as caught:
        execute_from_command_line(["manage.py", "greet", "--version"])
    assert caught.value.code == 0 and capsys.readouterr().out == tinyframe.__version__ + "\n"


def test_settings_and_pythonpath_options(monkeypatch, tmp_path, capsys):
    """--settings sets TINYFRAME_SETTINGS_MODULE and --pythonpath puts a directory first on sys.path, before the
    command runs."""
    monkeypatch.setenv("TINYFRAME_SETTINGS_MODULE", "before")
    monkeypatch.setattr(sys, "path", list(sys.path))
    execute_from_command_line(["manage.py", "version", "--settings=mysite.settings", f"--pythonpath={tmp_path}"])
    assert os.environ["TINYFRAME_SETTINGS_MODULE"] == "mysite.settings"
    assert sys.path[0] == str(tmp_path)
    execute_from_command_line(["manage.py", "version", "--settings"])  # malformed: left to the command
    assert capsys.readouterr().out.count(tinyframe.__version__) == 2


def test_python_m_tinyframe_with_a_settings_module(tmp_path):
    (tmp_path / "cli_settings.py").write_text('SECRET_KEY = "x"\n')
    env = {**os.environ, "PYTHONPATH": str(tmp_path)}
    env.pop("TINYFRAME_SETTINGS_MODULE", None)
    done = subprocess.run([sys.executable, "-m", "tinyframe", "help", "--settings=cli_settings"],
                          capture_output=True, text=True, env=env, timeout=20)
    assert done.returncode == 0, done.stderr
    assert "Type 'python -m tinyframe help <subcommand>'" in done.stdout
    assert "settings are not properly configured" not in done.stdout
    unconfigured = subprocess.run([sys.executable, "-m", "tinyframe", "runserver"], capture_output=True,
                                  text=True, env=env, timeout=20)
    assert unconfigured.returncode == 1
    assert "CommandError: Requested setting DEBUG, but settings are not configured." in unconfigured.stderr
    assert "Traceback" not in unconfigured.stderr


def test_unconfigured_help_lists_core_commands_with_a_note(monkeypatch, capsys):
    utility = ManagementUtility(["manage.py", "help"])
    utility.settings_exception = RuntimeError("no settings")
    assert "Note that only tinyframe's own commands are listed" in utility.main_help_text()
    assert ManagementUtility(["/x/tinyframe/__main__.py"]).prog_name == "python -m tinyframe"


def test_without_settings_only_core_commands_exist(monkeypatch, capsys):
    from tinyframe.conf import LazySettings

    unconfigured = LazySettings()
    monkeypatch.setattr(management, "settings", unconfigured)
    monkeypatch.delenv("TINYFRAME_SETTINGS_MODULE", raising=False)
    assert sorted(get_commands()) == CORE_COMMANDS and "runserver" in CORE_COMMANDS
    execute_from_command_line(["manage.py", "help"])
    assert "Note that only tinyframe's own commands are listed" in capsys.readouterr().out
    with pytest.raises(SystemExit):
        execute_from_command_line(["manage.py", "greet"])
    assert capsys.readouterr().err.startswith("No tinyframe settings specified.\nUnknown command: 'greet'")
    monkeypatch.setenv("TINYFRAME_SETTINGS_MODULE", "no_such_settings_module")
    with pytest.raises(SystemExit):
        execute_from_command_line(["manage.py", "greet"])
    assert capsys.readouterr().err.startswith("Settings could not be loaded: Cannot import the settings module")
    monkeypatch.delenv("TINYFRAME_SETTINGS_MODULE")
    monkeypatch.setattr(runserver, "settings", unconfigured)
    with pytest.raises(CommandError, match="Requested setting DEBUG, but settings are not configured"):
        call_command("runserver", stdout=io.StringIO())


def test_python_m_tinyframe_runs_the_command_line(monkeypatch, capsys):
    import runpy

    monkeypatch.setattr(sys, "argv", ["/site/tinyframe/__main__.py", "version"])
    runpy.run_module("tinyframe", run_name="__main__")
    assert capsys.readouterr().out == tinyframe.__version__ + "\n"


def test_command_parser_and_output_wrapper():
    """CommandParser raises CommandError instead of exiting; OutputWrapper ends each write with a newline unless the
    text has one."""
    parser = CommandParser(missing_args_message="Give me something.")
    with pytest.raises(CommandError, match="Error: Give me something."):
        parser.parse_args([])
    stream = io.StringIO()
    out = OutputWrapper(stream)
    out.write("one")
    out.write("two\n")
    out.write("three", ending="")
    assert stream.getvalue() == "one\ntwo\nthree"
    assert out.getvalue() == stream.getvalue(), "other attributes come from the wrapped stream"


# --- runserver's options, without serving ---------------------------------


@pytest.fixture
def fake_run(monkeypatch):
    """Replace basehttp.run in runserver: record its arguments and call on_bind, as the real one would."""
    calls = []

    def run(addr, port, handler, ipv6=False, threading=False, on_bind=None, server_cls=None):
        calls.append({"addr": addr, "port": port, "ipv6": ipv6, "threading": threading})
        on_bind(port or 54321)

    monkeypatch.setattr(runserver, "run", run)
    monkeypatch.setattr(runserver, "configure_server_logging", lambda: None)
    return calls


@pytest.mark.parametrize("addrport, addr, port, ipv6, shown", [
    (None, "127.0.0.1", 8000, False, "http://127.0.0.1:8000/"),
    ("8001", "127.0.0.1", 8001, False, "http://127.0.0.1:8001/"),
    ("0.0.0.0:8002", "0.0.0.0", 8002, False, "http://0.0.0.0:8002/"),
    ("0:8002", "0", 8002, False, "http://0.0.0.0:8002/"),
    ("[::1]:8003", "::1", 8003, True, "http://[::1]:8003/"),
    ("localhost:0", "localhost", 0, False, "http://localhost:54321/"),
])
def test_runserver_reads_address_and_port(fake_run, addrport, addr, port, ipv6, shown):
    out = io.StringIO()
    args = [addrport] if addrport else []
    call_command("runserver", *args, stdout=out)
    assert fake_run == [{"addr": addr, "port": port, "ipv6": ipv6, "threading": True}]
    assert f"Starting development server at {shown}\nQuit the server with CONTROL-C.\n" in out.getvalue()


def test_runserver_options_and_refusals(fake_run, monkeypatch):
    """runserver takes --ipv6 and --nothreading, and refuses a bad address, an IPv4 address with -6, and an empty
    ALLOWED_HOSTS without DEBUG."""
    call_command("runserver", "--ipv6", "--nothreading", stdout=io.StringIO())
    assert fake_run[-1] == {"addr": "::1", "port": 8000, "ipv6": True, "threading": False}
    with pytest.raises(CommandError, match='"localhost:abc" is not a valid port number or address:port pair.'):
        call_command("runserver", "localhost:abc")
    with pytest.raises(CommandError, match='"127.0.0.1" is not a valid IPv6 address.'):
        call_command("runserver", "127.0.0.1:8000", use_ipv6=True)
    with override_settings(DEBUG=False, ALLOWED_HOSTS=[]):
        with pytest.raises(CommandError, match="You must set settings.ALLOWED_HOSTS if DEBUG is False."):
            call_command("runserver")
    with override_settings(DEBUG=True, ALLOWED_HOSTS=[]):
        call_command("runserver", stdout=io.StringIO())
    monkeypatch.setattr(runserver.socket, "has_ipv6", False)
    with pytest.raises(CommandError, match="Your Python does not support IPv6."):
        call_command("runserver", "-6")


@pytest.mark.parametrize("error, message", [
    (OSError(errno.EADDRINUSE, "in use"), "That port is already in use."),
    (OSError(errno.EACCES, "denied"), "You don't have permission to access that port."),
    (OSError(errno.ENOENT, "odd"), "odd"),
])
def test_runserver_explains_bind_errors(monkeypatch, error, message):
    def run(*args, **kwargs):
        raise error

    monkeypatch.setattr(runserver, "run", run)
    monkeypatch.setattr(runserver, "configure_server_logging", lambda: None)
    with pytest.raises(CommandError, match=message):
        call_command("runserver", stdout=io.StringIO())


def test_runserver_reports_a_broken_wsgi_application_in_one_line(monkeypatch):
    """A WSGI_APPLICATION that does not import stops runserver with a CommandError, not a traceback."""
    monkeypatch.setattr(runserver, "configure_server_logging", lambda: None)
    with override_settings(WSGI_APPLICATION="no_such_module.application"):
        with pytest.raises(CommandError, match="no_such_module.application"):
            call_command("runserver", stdout=io.StringIO())


def test_runserver_exits_cleanly_on_ctrl_c(monkeypatch):
    def run(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(runserver, "run", run)
    monkeypatch.setattr(runserver, "configure_server_logging", lambda: None)
    with pytest.raises(SystemExit) as caught:
        call_command("runserver", stdout=io.StringIO())
    assert caught.value.code == 0


def test_server_logging_goes_to_stderr_once(monkeypatch):
    import logging

    logger = logging.getLogger("tinyframe.server")
    monkeypatch.setattr(logger, "handlers", [])
    monkeypatch.setattr(logger, "propagate", True)
    monkeypatch.setattr(logger, "level", logging.NOTSET)
    runserver.configure_server_logging()
    runserver.configure_server_logging()
    assert len(logger.handlers) == 1 and logger.propagate is False
    record = logging.LogRecord("tinyframe.server", logging.INFO, "", 0, '"GET / HTTP/1.1" 200 5', (), None)
    assert logger.handlers[0].format(record).endswith('] "GET / HTTP/1.1" 200 5')
