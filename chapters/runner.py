"""Running chapters' tests against an implementation, in a subprocess.

How it works: ``run_tests`` runs pytest in a fresh Python process, from the
course's root and with the course's own tests, with ``chapters.pytest_plugin``
pointed at the implementation to test (``--impl``): a workspace, a snapshot, or a
stubbed copy of the reference. The plugin writes every test's outcome to a JSON
file, read back here as a ``Results`` of ``TestResult`` objects. A fresh process
per run is what lets each run import its own ``tinyframe`` and configure
settings from scratch. Given ``jobs`` > 1, each chapter's tests run in a
process of their own, that many at a time, and their results are joined in
the order the chapters were given: ``check`` asks for one job per CPU, so
chapter N and the earlier chapters are checked side by side.
"""

import concurrent.futures
import dataclasses
import json
import os
import pathlib
import subprocess
import sys
import tempfile

from chapters.course import Chapter, Course

MACHINERY_ROOT = pathlib.Path(__file__).resolve().parent.parent


@dataclasses.dataclass(frozen=True)
class TestResult:
    """One test's outcome, as the plugin recorded it."""

    __test__ = False  # a result, not a test class for pytest to collect

    nodeid: str
    outcome: str
    when: str = "call"
    exercises: tuple[str, ...] = ()
    doc: str = ""
    message: str = ""
    location: str = ""
    implementation_location: str = ""
    # The exercises whose stubs the failure ran into (not written yet, or reset).
    stubbed_exercises: tuple[str, ...] = ()

    @property
    def failed(self) -> bool:
        return self.outcome == "failed"

    @property
    def name(self) -> str:
        """The test's name: ``test_x[param]`` from ``path::test_x[param]``."""
        return self.nodeid.rpartition("::")[2]


@dataclasses.dataclass
class Results:
    """Every test outcome of one pytest run, and the run's own output."""

    tests: list[TestResult]
    returncode: int
    output: str = ""

    @property
    def ran(self) -> bool:
        """Whether pytest got as far as writing results."""
        return self.returncode in (0, 1, 5) or bool(self.tests)

    def for_exercise(self, exercise_id: str) -> list[TestResult]:
        return [test for test in self.tests if exercise_id in test.exercises]

    def for_chapter(self, chapter: Chapter) -> list[TestResult]:
        prefix = f"chapters/{chapter.slug}/"
        return [test for test in self.tests if test.nodeid.startswith(prefix)]

    def status(self, exercise_id: str) -> str:
        """``passed``, ``failed`` or ``not_started`` (no test of it ran)."""
        tests = [test for test in self.for_exercise(exercise_id) if test.outcome != "skipped"]
        if not tests:
            return "not_started"
        return "failed" if any(test.failed for test in tests) else "passed"

    def failures(self) -> list[TestResult]:
        return [test for test in self.tests if test.failed]


def pytest_command(
    course: Course,
    implementation: pathlib.Path,
    chapters: list[Chapter],
    results_path: pathlib.Path,
    exercises: tuple[str, ...] = (),
    verbose: bool = False,
) -> list[str]:
    """The command that runs ``chapters``' tests against ``implementation``."""
    command = [
        sys.executable, "-m", "pytest",
        "-p", "chapters.pytest_plugin",
        "--impl", str(implementation),
        "--results", str(results_path),
        "-p", "no:cacheprovider",
        "--continue-on-collection-errors",
        "--rootdir", str(course.root),
        "-c", str(course.root / "pyproject.toml"),
    ]  # fmt: skip
    if not verbose:
        # Formatting tracebacks for a thousand failing tests takes seconds; the
        # learner sees one line of one of them, and the plugin takes that line
        # and the implementation's line from the exception itself.
        command += ["-q", "--tb=line"]
    # Property tests: quick and repeatable, see pytest_plugin.load_check_profile.
    command += ["--check-profile", "-p", "no:hypothesispytest"]
    for exercise_id in exercises:
        command += ["--exercise", exercise_id]
    command += [str(chapter.tests_directory) for chapter in chapters]
    return command


def run_tests(
    course: Course,
    implementation: str | pathlib.Path,
    chapters: list[Chapter],
    exercises: tuple[str, ...] = (),
    verbose: bool = False,
    jobs: int = 1,
) -> Results:
    """Run ``chapters``' tests (from the course) against ``implementation``; read the results.

    With ``jobs`` > 1, one process per chapter, ``jobs`` at a time. With
    ``verbose``, pytest's own output goes straight to the terminal, from a
    single process so that it is not interleaved.
    """
    if verbose or jobs <= 1 or len(chapters) <= 1:
        return run_pytest(course, implementation, chapters, exercises, verbose)
    with concurrent.futures.ThreadPoolExecutor(max_workers=jobs) as pool:
        runs = list(pool.map(lambda chapter: run_pytest(course, implementation, [chapter], exercises), chapters))
    return join_results(runs)


def join_results(runs: list[Results]) -> Results:
    """One ``Results`` for several runs: their tests in order, and the first exit status that is a problem.

    A run that crashed (no results: the implementation did not even import)
    speaks for all, since every run imports the same code. pytest's 5 (no
    tests collected) is no problem, like 0.
    """
    for run in runs:
        if not run.ran:
            return run
    returncode = next((run.returncode for run in runs if run.returncode not in (0, 5)), 0)
    return Results([test for run in runs for test in run.tests], returncode, "".join(run.output for run in runs))


def run_pytest(
    course: Course,
    implementation: str | pathlib.Path,
    chapters: list[Chapter],
    exercises: tuple[str, ...] = (),
    verbose: bool = False,
) -> Results:
    """One pytest process over ``chapters``' tests; see ``run_tests``."""
    environment = dict(os.environ)
    # The plugin lives next to this module; the course under test may be another checkout.
    environment["PYTHONPATH"] = os.pathsep.join(
        [str(MACHINERY_ROOT), *filter(None, [environment.get("PYTHONPATH")])]
    )
    environment.pop("TINYFRAME_IMPL", None)
    with tempfile.TemporaryDirectory(prefix="tinyframe-check-") as temporary:
        results_path = pathlib.Path(temporary, "results.json")
        command = pytest_command(
            course, pathlib.Path(implementation).resolve(), chapters, results_path, exercises, verbose
        )
        completed = subprocess.run(
            command,
            cwd=course.root,
            env=environment,
            stdin=subprocess.DEVNULL,
            stdout=None if verbose else subprocess.PIPE,
            stderr=None if verbose else subprocess.STDOUT,
            text=True,
            encoding="utf-8",
            errors="replace",
        )
        output = completed.stdout or ""
        if not results_path.exists():
            return Results([], completed.returncode, output)
        data = json.loads(results_path.read_text(encoding="utf-8"))
    tests = [
        TestResult(
            nodeid=entry["nodeid"],
            outcome=entry["outcome"],
            when=entry.get("when", "call"),
            exercises=tuple(entry.get("exercises", ())),
            doc=entry.get("doc", ""),
            message=entry.get("message", ""),
            location=entry.get("location", ""),
            implementation_location=entry.get("implementation_location", ""),
            stubbed_exercises=tuple(entry.get("stubbed_exercises", ())),
        )
        for entry in data["tests"]
    ]
    return Results(tests, completed.returncode, output)
