"""The pytest plugin that lets any chapter's tests run against any implementation.

How it works: pytest loads this plugin first (``-p chapters.pytest_plugin`` in
``pyproject.toml``). ``pytest_configure`` reads the implementation to test from
``--impl DIR`` or the ``TINYFRAME_IMPL`` environment variable, puts ``DIR`` at the
front of ``sys.path`` so that ``import tinyframe`` finds ``DIR/tinyframe``, and
checks that it did. The header of the run names the implementation tested.
``--exercise ID`` keeps only the tests marked ``@pytest.mark.exercise(ID)``, and
``--results FILE`` writes every test's outcome as JSON for ``python -m chapters check``.
"""

import json
import os
import pathlib
import sys

import pytest

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


@pytest.hookimpl(tryfirst=True)
def pytest_load_initial_conftests(early_config, parser, args):
    # Conftest files import tinyframe, so the switch must happen before they load.
    implementation = early_config.known_args_namespace.impl
    if implementation:
        use_implementation(pathlib.Path(implementation))


def pytest_configure(config):
    config.addinivalue_line("markers", "exercise(id): the test checks the exercise with this id")
    config.addinivalue_line("markers", "slow: takes seconds, not milliseconds (still run in CI)")


def use_implementation(directory: pathlib.Path) -> None:
    """Make ``import tinyframe`` load ``directory/tinyframe`` for the rest of this process."""
    directory = directory.resolve()
    if not (directory / "tinyframe" / "__init__.py").is_file():
        raise pytest.UsageError(
            f"TINYFRAME_IMPL={directory} has no tinyframe/__init__.py; point it at the "
            "directory that contains the tinyframe package (a workspace or a snapshot)."
        )
    for name in [name for name in sys.modules if name == "tinyframe" or name.startswith("tinyframe.")]:
        del sys.modules[name]
    sys.path.insert(0, str(directory))


def implementation_directory() -> pathlib.Path:
    """The directory whose ``tinyframe`` package this process imports."""
    import tinyframe

    return pathlib.Path(tinyframe.__file__).resolve().parent.parent


def pytest_report_header(config):
    directory = implementation_directory()
    expected = config.getoption("impl")
    if expected and directory != pathlib.Path(expected).resolve():
        raise pytest.UsageError(
            f"asked to test the tinyframe in {expected}, but `import tinyframe` "
            f"found {directory}; is another copy first on sys.path?"
        )
    kind = "reference" if directory == REFERENCE else "under test"
    return f"tinyframe implementation ({kind}): {directory}"


def exercise_ids(item) -> list[str]:
    """The exercise ids a test is marked with (a test may check several)."""
    return [str(arg) for marker in item.iter_markers("exercise") for arg in marker.args]


def pytest_collection_modifyitems(config, items):
    wanted = set(config.getoption("exercise"))
    if not wanted:
        return
    selected = [item for item in items if wanted & set(exercise_ids(item))]
    deselected = [item for item in items if item not in selected]
    if deselected:
        config.hook.pytest_deselected(items=deselected)
    items[:] = selected


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    report.exercise_ids = exercise_ids(item)
    report.test_doc = (item.obj.__doc__ or "").strip() if hasattr(item, "obj") else ""


_RESULTS: list[dict] = []


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
        }
    )


def _short_message(report) -> str:
    """The one line a learner needs: the assertion or exception, not the traceback."""
    if report.passed:
        return ""
    crash = getattr(report.longrepr, "reprcrash", None)
    if crash is not None:
        return crash.message
    if isinstance(report.longrepr, tuple):  # a skip: (path, line, reason)
        return str(report.longrepr[2])
    return str(report.longrepr).strip().splitlines()[-1] if report.longrepr else ""


def _location(report) -> str:
    crash = getattr(report.longrepr, "reprcrash", None)
    if crash is None:
        return ""
    return f"{crash.path}:{crash.lineno}"


def pytest_sessionfinish(session, exitstatus):
    path = session.config.getoption("results")
    if path:
        pathlib.Path(path).write_text(
            json.dumps({"implementation": str(implementation_directory()), "tests": _RESULTS}, indent=1),
            encoding="utf-8",
        )
