"""The pytest plugin that lets any chapter's tests run against any implementation.

How it works: pytest loads this plugin first (``-p chapters.pytest_plugin`` in
``pyproject.toml``). Before any conftest file imports tinyframe,
``pytest_load_initial_conftests`` reads the implementation to test from ``--impl
DIR`` or the ``TINYFRAME_IMPL`` environment variable and ``use_implementation``
makes ``import tinyframe`` load ``DIR/tinyframe``: an ``ImplementationFinder``
first on ``sys.meta_path`` keeps every ``tinyframe.*`` import inside ``DIR``, so a
module missing from a snapshot is missing, not quietly taken from the reference
(an editable install would otherwise supply it). The header of the run names the
implementation tested.

``--exercise ID`` keeps only the tests marked ``@pytest.mark.exercise(ID)``;
``--results FILE`` writes every test's outcome as JSON for ``python -m chapters
check``: the one-line message a learner needs, the test's docstring, and the
line of the implementation where the failure happened; ``--check-profile`` runs
property tests the way ``check`` wants them: the same examples every time, no
shrinking, nothing saved.
"""

import dataclasses
import importlib.machinery
import json
import linecache
import os
import pathlib
import signal
import sys
import threading
import traceback

import pytest

from chapters.stubs import describe, exception_chain, stubbed_exercises
from chapters.wording import comparison_lines

CHECK_PROFILE = "tinyframe-check"

REFERENCE = pathlib.Path(__file__).resolve().parent.parent


def pytest_addoption(parser):
    group = parser.getgroup("tinyframe")
    group.addoption(
        "--impl",
        default=os.environ.get("TINYFRAME_IMPL", ""),
        help="directory holding the tinyframe package to test (default: $TINYFRAME_IMPL, "
        "else the reference implementation)",
    )
    group.addoption(
        "--exercise",
        action="append",
        default=[],
        help="run only the tests marked @pytest.mark.exercise(ID); may be repeated",
    )
    group.addoption("--results", default="", help="write each test's outcome to this JSON file")
    group.addoption(
        "--brief-failures",
        action="store_true",
        help="keep each failure's exception, not its formatted traceback, as `python -m chapters check` "
        "shows it (much faster when hundreds of tests fail on stubs)",
    )
    group.addoption(
        "--test-timeout",
        type=float,
        default=0,
        help="stop a test that runs longer than this many seconds (0: never), as `python -m chapters check` does",
    )
    group.addoption(
        "--check-profile",
        action="store_true",
        help="run hypothesis property tests quickly and repeatably, as `python -m chapters check` does",
    )


@pytest.hookimpl(tryfirst=True)
def pytest_load_initial_conftests(early_config, parser, args):
    # Conftest files import tinyframe, so the switch must happen before they load.
    implementation = early_config.known_args_namespace.impl
    if implementation:
        use_implementation(pathlib.Path(implementation))


@pytest.hookimpl(tryfirst=True)
def pytest_configure(config):
    config.addinivalue_line("markers", "exercise(id): the test checks the exercise with this id")
    config.addinivalue_line("markers", "slow: takes seconds, not milliseconds (still run in CI)")
    if config.getoption("check_profile"):
        load_check_profile()


def load_check_profile() -> None:
    """The hypothesis settings of a learner's check: quick, repeatable, leaving no files.

    Twenty examples a property keep ``check`` within its two seconds; the
    whole suite (the README's test command) runs hypothesis's usual hundred.

    Shrinking a failing example of a half-written exercise can take seconds, and
    the report shows one line of it anyway; a fixed seed shows the learner the
    same failure on every run; with no database nothing is written to the course.
    ``check`` also turns hypothesis's pytest plugin off (``-p no:hypothesispytest``):
    it would spend a second importing a code rewriter to suggest a patch.
    """
    try:
        from hypothesis import Phase, settings
    except ImportError:  # no property tests can run either
        return

    settings.register_profile(
        CHECK_PROFILE,
        max_examples=20,
        phases=(Phase.explicit, Phase.reuse, Phase.generate),
        derandomize=True,
        database=None,
        deadline=None,
        print_blob=False,
    )
    settings.load_profile(CHECK_PROFILE)


def use_implementation(directory: pathlib.Path) -> None:
    """Make ``import tinyframe`` load ``directory/tinyframe`` for the rest of this process."""
    global _IMPLEMENTATION
    directory = directory.resolve()
    if not (directory / "tinyframe" / "__init__.py").is_file():
        raise pytest.UsageError(
            f"TINYFRAME_IMPL={directory} has no tinyframe/__init__.py; point it at the "
            "directory that contains the tinyframe package (a workspace or a snapshot)."
        )
    for name in [name for name in sys.modules if is_tinyframe(name)]:
        del sys.modules[name]
    sys.meta_path[:] = [finder for finder in sys.meta_path if not isinstance(finder, ImplementationFinder)]
    sys.meta_path.insert(0, ImplementationFinder(directory))
    sys.path.insert(0, str(directory))
    _IMPLEMENTATION = directory


def is_tinyframe(module_name: str) -> bool:
    return module_name == "tinyframe" or module_name.startswith("tinyframe.")


class ImplementationFinder:
    """Import ``tinyframe`` and its submodules from one directory, and nowhere else."""

    def __init__(self, directory: pathlib.Path):
        self.directory = directory

    def find_spec(self, fullname, path=None, target=None):
        if not is_tinyframe(fullname):
            return None
        search = [str(self.directory)] if fullname == "tinyframe" else path
        spec = importlib.machinery.PathFinder.find_spec(fullname, search)
        if spec is None:
            raise ModuleNotFoundError(f"No module named {fullname!r}", name=fullname)
        if isinstance(spec.loader, importlib.machinery.SourceFileLoader):
            spec.loader = SourceOnlyLoader(spec.loader.name, spec.loader.path)
        return spec


class SourceOnlyLoader(importlib.machinery.SourceFileLoader):
    """Compile the implementation from its source every time, never from a cached ``.pyc``.

    A ``.pyc`` is trusted when the source's size and modification time, to the
    second, are what they were: a learner who saves twice in a second, changing
    ``11`` to ``12``, would be tested on the old code. The implementation is a
    hundred small files, quick to compile; the course's own tests keep their cache.
    """

    def get_code(self, fullname):
        return self.source_to_code(self.get_data(self.path), self.path)


_IMPLEMENTATION: pathlib.Path | None = None


def implementation_directory() -> pathlib.Path:
    """The directory whose ``tinyframe`` package this process imports."""
    if _IMPLEMENTATION is not None:
        return _IMPLEMENTATION
    import tinyframe

    return pathlib.Path(tinyframe.__file__).resolve().parent.parent


def pytest_report_header(config):
    expected = implementation_directory()
    try:
        import tinyframe
    except Exception as error:  # the learner's code: report it, the tests will say more
        return f"tinyframe implementation: {expected} (importing it failed: {error!r})"
    found = pathlib.Path(tinyframe.__file__).resolve().parent.parent
    if found != expected:
        raise pytest.UsageError(
            f"asked to test the tinyframe in {expected}, but `import tinyframe` "
            f"found {found}; is another copy first on sys.path?"
        )
    kind = "reference" if found == REFERENCE else "under test"
    return f"tinyframe implementation ({kind}): {found}"


def exercise_ids(item) -> list[str]:
    """The exercise ids a test is marked with (a test may check several)."""
    return [str(arg) for marker in item.iter_markers("exercise") for arg in marker.args]


def pytest_collection_modifyitems(config, items):
    wanted = set(config.getoption("exercise"))
    if not wanted:
        return
    selected = [item for item in items if wanted & set(exercise_ids(item))]
    kept = set(selected)
    deselected = [item for item in items if item not in kept]
    if deselected:
        config.hook.pytest_deselected(items=deselected)
    items[:] = selected


class TestTimedOut(Exception):
    """A test ran past ``--test-timeout``: most often an endless loop in the code it calls."""


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_call(item):
    """Stop the test after ``--test-timeout`` seconds, so that one endless loop cannot hang a whole check.

    A learner's half-written exercise can loop for ever (a retry loop that
    always fails, say); without a limit ``check`` would print nothing, ever.
    The alarm interrupts Python code only: a single huge computation inside
    C (``int`` of a hundred-million-digit ``Decimal``) still runs to its end.
    """
    limit = item.config.getoption("test_timeout")
    usable = limit > 0 and hasattr(signal, "SIGALRM") and threading.current_thread() is threading.main_thread()
    if not usable:
        yield
        return

    def stop(signum, frame):
        raise TestTimedOut(
            f"the test ran for more than {limit:g} seconds and was stopped: is there a loop that never ends "
            "(a while True whose exit is never reached) in the code it calls?"
        )

    previous = signal.signal(signal.SIGALRM, stop)
    signal.setitimer(signal.ITIMER_REAL, limit)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    brief = call.excinfo is not None and item.config.getoption("brief_failures")
    if brief:
        # pytest would format and prune a traceback, path by path, for every
        # failure: on a fresh starter, where most tests fail on stubs, that is
        # a third of a check's time, for text nobody reads.
        item.repr_failure = item._repr_failure_py = lambda excinfo, style=None: brief_failure(excinfo)
    outcome = yield
    report = outcome.get_result()
    if brief and report.failed:
        report.short_message = call.excinfo.exconly(tryshort=True)
    report.exercise_ids = exercise_ids(item)
    report.test_doc = (item.obj.__doc__ or "").strip() if hasattr(item, "obj") else ""
    report.implementation_location = _implementation_frame(call.excinfo).location
    report.stubbed_exercises = stubbed_exercises(str(report.longrepr)) if report.failed else []


def pytest_assertrepr_compare(config, op, left, right):
    """Two values that should be equal: aligned, with the first difference marked (``comparison_lines``).

    Tests compare ``got == expected``, so the left side is what the code gave;
    ``got is True`` (or False, or None) is shown the same way.
    """
    singleton = op == "is" and any(right is value for value in (True, False, None))
    if op != "==" and not singleton:
        return None
    lines = comparison_lines(left, right)
    if lines is None:
        return None
    return [f"{shorten(left)} {op} {shorten(right)}", *lines]


def shorten(value) -> str:
    """A value's ``repr``, cut after 40 characters: the first line of a comparison, where pytest expects one."""
    shown = repr(value)
    return shown if len(shown) <= 40 else shown[:40] + "…"


_RESULTS: list[dict] = []


def pytest_sessionstart(session):
    _RESULTS.clear()


def pytest_runtest_logreport(report):
    """Record the call phase of every test, and any setup or teardown that failed."""
    if report.when != "call" and report.passed:
        return
    _RESULTS.append(
        {
            "nodeid": report.nodeid,
            "when": report.when,
            "outcome": report.outcome,
            "exercises": getattr(report, "exercise_ids", []),
            "doc": getattr(report, "test_doc", ""),
            "message": _short_message(report),
            "location": _location(report),
            "implementation_location": getattr(report, "implementation_location", ""),
            "stubbed_exercises": getattr(report, "stubbed_exercises", []),
            "duration": round(report.duration, 4),
        }
    )


def pytest_collectreport(report):
    """Record a test module that could not be collected: often learner code that fails to import."""
    if not report.failed:
        return
    text = str(report.longrepr)
    # Set by pytest_exception_interact, from the exception itself.
    frame = getattr(report, "implementation_frame", NO_FRAME)
    _RESULTS.append(
        {
            "nodeid": report.nodeid,
            "when": "collect",
            "outcome": "failed",
            "exercises": [],
            "doc": "",
            "message": _last_error_line(text),
            "location": "",
            "implementation_location": frame.location,
            "source_line": frame.line,
            "columns": frame.columns,
            "stubbed_exercises": stubbed_exercises(text),
        }
    )


def pytest_exception_interact(node, call, report):
    """A test module failed to load: keep where, from the exception itself.

    ``check`` asks for one-line tracebacks (``--tb=line``), which leave the
    line of the learner's code out of the report's text.
    """
    if report.when == "collect" and call.excinfo is not None:
        report.implementation_frame = _implementation_frame(call.excinfo)


def brief_failure(excinfo) -> str:
    """A failure as its exceptions alone, the causes first, each as Python prints its last line."""
    return "\n".join(map(describe, reversed(exception_chain(excinfo.value))))


def _short_message(report) -> str:
    """What a learner needs: the assertion or exception, not the traceback."""
    if report.passed:
        return ""
    if hasattr(report, "short_message"):
        return report.short_message
    crash = getattr(report.longrepr, "reprcrash", None)
    if crash is not None:
        return crash.message
    if isinstance(report.longrepr, tuple):  # a skip: (path, line, reason)
        return str(report.longrepr[2])
    return _last_error_line(str(report.longrepr)) if report.longrepr else ""


def _last_error_line(text: str) -> str:
    """The exception line of a formatted traceback: pytest starts it with ``E``."""
    lines = [line for line in text.strip().splitlines() if line.strip()]
    errors = [line[1:].strip() for line in lines if line.startswith("E ")]
    if errors:
        return errors[-1]
    return lines[-1].strip() if lines else ""


def _location(report) -> str:
    crash = getattr(report.longrepr, "reprcrash", None)
    if crash is None:
        return ""
    return f"{crash.path}:{crash.lineno}"


@dataclasses.dataclass(frozen=True)
class ImplementationFrame:
    """Where in the implementation an exception happened: ``path:line``, the line's text, the columns to mark."""

    location: str = ""
    line: str = ""
    columns: tuple[int, int] = (0, 0)


NO_FRAME = ImplementationFrame()


def _implementation_frame(excinfo) -> ImplementationFrame:
    """The innermost frame inside the implementation, if the failure happened there.

    pytest reports a test module that failed to import as its own error, raised
    from the real one: the chain of causes is searched too.
    """
    if excinfo is None or excinfo.errisinstance((pytest.skip.Exception, pytest.xfail.Exception)):
        return NO_FRAME
    prefix = str(implementation_directory() / "tinyframe") + os.sep
    error = excinfo.value
    seen = set()
    while error is not None and id(error) not in seen:
        seen.add(id(error))
        innermost, entry = None, error.__traceback__
        while entry is not None:
            if entry.tb_frame.f_code.co_filename.startswith(prefix):
                innermost = entry
            entry = entry.tb_next
        if innermost is not None:  # only that frame is looked at closely: its line and columns
            frame = traceback.extract_tb(innermost, limit=1)[0]
            columns = (frame.colno or 0, frame.end_colno or 0) if frame.end_lineno == frame.lineno else (0, 0)
            line = linecache.getline(frame.filename, frame.lineno).rstrip("\r\n")
            return ImplementationFrame(f"{frame.filename}:{frame.lineno}", line, columns)
        error = error.__cause__ or error.__context__
    return NO_FRAME


def _inside(path: pathlib.Path, directory: pathlib.Path) -> bool:
    try:
        path.relative_to(directory)
    except ValueError:
        return False
    return True


def imported_files() -> list[str]:
    """The implementation's files this process imported, relative to its directory (``tinyframe/...``).

    ``check`` remembers them: an earlier chapter's tests need to run again only
    when one of these changed.
    """
    directory = implementation_directory()
    files = set()
    for module in list(sys.modules.values()):
        path = getattr(module, "__file__", None)
        if path and _inside(pathlib.Path(path).resolve(), directory / "tinyframe"):
            files.add(pathlib.Path(path).resolve().relative_to(directory).as_posix())
    return sorted(files)


def pytest_sessionfinish(session, exitstatus):
    path = session.config.getoption("results")
    if path:
        pathlib.Path(path).write_text(
            json.dumps(
                {
                    "implementation": str(implementation_directory()),
                    "exitstatus": int(exitstatus),
                    "tests": _RESULTS,
                    "imported": imported_files(),
                },
                indent=1,
            ),
            encoding="utf-8",
        )
