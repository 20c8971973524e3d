"""Running chapters' tests against an implementation, in a subprocess.

How it works: ``run_tests`` runs pytest in a fresh Python process, from the
course's root and with the course's own tests, with ``chapters.pytest_plugin``
pointed at the implementation to test (``--impl``): a workspace, a snapshot, or a
stubbed copy of the reference. The plugin writes every test's outcome to a JSON
file, read back here as a ``Results`` of ``TestResult`` objects. A fresh process
per run is what lets each run import its own ``tinyframe`` and configure
settings from scratch. Given ``jobs`` > 1, each chapter's tests run in a
process of their own, that many at a time, and their results are joined in
the order the chapters were given.

``Results`` also knows which exercises are still stubs in the implementation
(``unwritten``), which is how a failing test is told apart as *waiting* — it ran
into an exercise that is not written yet — from *broken*.
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
from chapters.stubs import unwritten_exercises

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
    # The failing line of the implementation and the columns to mark, for an import error.
    source_line: str = ""
    columns: tuple[int, int] = (0, 0)
    duration: float = 0.0

    @property
    def failed(self) -> bool:
        return self.outcome == "failed"

    @property
    def name(self) -> str:
        """The test's name: ``test_x[param]`` from ``path::test_x[param]``."""
        return self.nodeid.rpartition("::")[2]


@dataclasses.dataclass
class Results:
    """Every test outcome of one pytest run, and the run's own output.

    ``unwritten`` holds the exercises still stubbed in the implementation, and
    ``imported`` the implementation's files the run imported (relative paths).
    """

    tests: list[TestResult]
    returncode: int
    output: str = ""
    unwritten: frozenset[str] = frozenset()
    imported: tuple[str, ...] = ()

    @property
    def ran(self) -> bool:
        """Whether pytest got as far as writing results."""
        return self.returncode in (0, 1, 5) or bool(self.tests)

    def for_exercise(self, exercise_id: str) -> list[TestResult]:
        return [test for test in self.tests if exercise_id in test.exercises]

    def for_chapter(self, chapter: Chapter) -> list[TestResult]:
        prefix = f"chapters/{chapter.slug}/"
        return [test for test in self.tests if test.nodeid.startswith(prefix)]

    def waits_for(self, test: TestResult) -> tuple[str, ...]:
        """The unwritten exercises a failing test waits for: stubs it ran into, or stubs it is marked with.

        Empty for a test that passed, and for one that failed for another
        reason: that one is broken.
        """
        if not test.failed:
            return ()
        return tuple(sorted(set(test.stubbed_exercises) | (set(test.exercises) & self.unwritten)))

    def waiting(self, test: TestResult) -> bool:
        return bool(self.waits_for(test))

    def status(self, exercise_id: str) -> str:
        """What the tests say of an exercise.

        ``todo``: it is still a stub. ``passed``: its tests pass, leaving out
        those that wait for another unwritten exercise. ``failed``: a test
        fails, and not by waiting. ``waiting``: it is written, but every test of
        it waits for another exercise. ``not_started``: no test of it ran.
        """
        tests = [test for test in self.for_exercise(exercise_id) if test.outcome != "skipped"]
        if not tests:
            return "not_started"
        if exercise_id in self.unwritten:
            return "todo"
        if any(test.failed and not set(self.waits_for(test)) - {exercise_id} for test in tests):
            return "failed"
        return "passed" if any(not test.failed for test in tests) else "waiting"

    def blockers(self, exercise_id: str) -> list[str]:
        """The other unwritten exercises that tests of ``exercise_id`` wait for."""
        waited = {wanted for test in self.for_exercise(exercise_id) for wanted in self.waits_for(test)}
        return sorted(waited - {exercise_id})

    def failures(self) -> list[TestResult]:
        return [test for test in self.tests if test.failed]

    def broken(self) -> list[TestResult]:
        """The failures that do not merely wait for an unwritten exercise."""
        return [test for test in self.failures() if not self.waiting(test)]


def pytest_command(
    course: Course,
    implementation: pathlib.Path,
    paths: list[pathlib.Path],
    results_path: pathlib.Path,
    exercises: tuple[str, ...] = (),
    verbose: bool = False,
) -> list[str]:
    """The command that runs the tests under ``paths`` (from the course) against ``implementation``."""
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
        command += ["-q", "--tb=line", "--brief-failures"]
    # Property tests: quick and repeatable, see pytest_plugin.load_check_profile.
    command += ["--check-profile", "-p", "no:hypothesispytest"]
    # A half-written exercise can loop for ever; no test of the reference takes
    # a second, so fifteen stop only a loop, and the check goes on and reports.
    command += ["--test-timeout", "15"]
    # pytest's watchers for exceptions in __del__ and in threads, and its fault
    # handler, wrap every test to turn what they see into warnings, which a
    # check never shows; capturing sys.stdout instead of the file descriptors is
    # cheaper per test too. Measured on chapter 03's 2,100 tests: a quarter of
    # the check's CPU time. Outcomes do not change: those warnings are not errors.
    command += [
        "-p", "no:unraisableexception", "-p", "no:threadexception", "-p", "no:faulthandler",
        "--capture=sys",
    ]  # fmt: skip
    # Tests marked slow (processes racing each other over one database) take
    # seconds, not milliseconds: the full suite and CI run them, the learner's
    # two-second loop leaves them out. No exercise's own tests are slow.
    command += ["-m", "not slow"]
    for exercise_id in exercises:
        command += ["--exercise", exercise_id]
    command += [str(path) for path in paths]
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
    directories = [chapter.tests_directory for chapter in chapters]
    unwritten = unwritten_exercises(
        pathlib.Path(implementation), [exercise for chapter in chapters for exercise in chapter.exercises]
    )
    if verbose or jobs <= 1 or len(chapters) <= 1:
        return run_pytest(course, implementation, directories, exercises, verbose, unwritten=unwritten)
    with concurrent.futures.ThreadPoolExecutor(max_workers=jobs) as pool:
        runs = list(
            pool.map(
                lambda directory: run_pytest(course, implementation, [directory], exercises, unwritten=unwritten),
                directories,
            )
        )
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
    return Results(
        [test for run in runs for test in run.tests],
        returncode,
        "".join(run.output for run in runs),
        frozenset().union(*(run.unwritten for run in runs)),
        tuple(sorted({path for run in runs for path in run.imported})),
    )


def run_pytest(
    course: Course,
    implementation: str | pathlib.Path,
    paths: list[pathlib.Path],
    exercises: tuple[str, ...] = (),
    verbose: bool = False,
    unwritten: frozenset[str] = frozenset(),
    bytecode_cache: pathlib.Path | None = None,
) -> Results:
    """One pytest process over the tests under ``paths``; see ``run_tests``.

    With ``bytecode_cache``, Python keeps the compiled form of every module
    there (``PYTHONPYCACHEPREFIX``), even where writing it is turned off, so a
    check does not compile every module and test file again each time.
    """
    environment = dict(os.environ)
    # The plugin lives next to this module; the course under test may be another checkout.
    environment["PYTHONPATH"] = os.pathsep.join(
        [str(MACHINERY_ROOT), *filter(None, [environment.get("PYTHONPATH")])]
    )
    environment.pop("TINYFRAME_IMPL", None)
    if bytecode_cache is not None:
        environment.pop("PYTHONDONTWRITEBYTECODE", None)
        environment["PYTHONPYCACHEPREFIX"] = str(bytecode_cache)
    with tempfile.TemporaryDirectory(prefix="tinyframe-check-") as temporary:
        results_path = pathlib.Path(temporary, "results.json")
        command = pytest_command(
            course, pathlib.Path(implementation).resolve(), paths, results_path, exercises, verbose
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
            return Results([], completed.returncode, output, unwritten)
        data = json.loads(results_path.read_text(encoding="utf-8"))
    tests = [result_from_entry(entry) for entry in data["tests"]]
    return Results(tests, completed.returncode, output, unwritten, tuple(data.get("imported", ())))


def result_from_entry(entry: dict) -> TestResult:
    """A ``TestResult`` from one entry of the plugin's JSON."""
    return TestResult(
        nodeid=entry["nodeid"],
        outcome=entry["outcome"],
        when=entry.get("when", "call"),
        exercises=tuple(entry.get("exercises", ())),
        doc=entry.get("doc", ""),
        message=entry.get("message", ""),
        location=entry.get("location", ""),
        implementation_location=entry.get("implementation_location", ""),
        stubbed_exercises=tuple(entry.get("stubbed_exercises", ())),
        source_line=entry.get("source_line", ""),
        columns=tuple(entry.get("columns", (0, 0))),
        duration=entry.get("duration", 0.0),
    )
