"""Proving that a chapter's exercises can be solved one by one, in the manifest's order.

How it works: for a chapter N with exercises 1..n, ``steps`` writes n + 1
implementations, as a learner has them after each exercise: the reference
after the chapter with exercises k+1..n stubbed (step 0 is the chapter's
starter). ``step_problems`` runs the chapter's own tests on each
(``runner.run_tests``) and holds the results to four rules:

1. every test module loads: no test calls an exercise at import time;
2. a test marked only with written exercises passes;
3. each written exercise has at least ``MINIMUM_TESTS`` such tests, and ``check``
   shows it as passed — it turns ✓ as soon as it is written;
4. every test that fails waits: it ran into the stub of an exercise not yet
   written, or is marked with one (``Results.waits_for``).

``tests/test_exercise_order.py`` runs this for every chapter; a maintainer
can run it for one with ``python -m chapters.ordering N``.
"""

import concurrent.futures
import os
import pathlib
import sys
import tempfile

from chapters.course import Course
from chapters.runner import MACHINERY_ROOT, Results, run_tests
from chapters.staging import snapshot_files, write_files
from chapters.stubs import stub_exercises

MINIMUM_TESTS = 3


def steps(course: Course, number: int, directory: pathlib.Path) -> list[pathlib.Path]:
    """Write the implementation of every step 0..n of chapter ``number`` under ``directory``."""
    chapter = course.chapter(number)
    reference = snapshot_files(course, number)
    written = []
    for k in range(len(chapter.exercises) + 1):
        files = dict(reference)
        stubbed = chapter.exercises[k:]
        for path in {exercise.path for exercise in stubbed}:
            in_file = [exercise for exercise in stubbed if exercise.path == path]
            files[path] = stub_exercises(files[path].decode("utf-8"), in_file).encode("utf-8")
        written.append(directory / f"step-{k}")
        write_files(files, written[-1])
    return written


def step_problems(course: Course, number: int, k: int, results: Results) -> list[str]:
    """What breaks the rules at step ``k`` (exercises 1..k written) of chapter ``number``."""
    chapter = course.chapter(number)
    written = {exercise.id for exercise in chapter.exercises[:k]}
    problems = []
    if not results.ran:
        return [f"step {k}: no test ran:\n{results.output[-2000:]}"]
    for test in results.for_chapter(chapter):
        if test.when == "collect":
            problems.append(f"step {k}: {test.nodeid} does not load: {test.message}")
        elif test.failed and test.exercises and set(test.exercises) <= written:
            problems.append(f"step {k}: {test.nodeid} (marked {', '.join(test.exercises)}) fails: {test.message}")
        elif test.failed and not results.waiting(test):
            problems.append(f"step {k}: {test.nodeid} fails without waiting for an unwritten exercise: {test.message}")
    for exercise in chapter.exercises[:k]:
        solid = {
            test.nodeid for test in results.for_exercise(exercise.id) if set(test.exercises) <= written
        }
        if len(solid) < MINIMUM_TESTS:
            problems.append(
                f"step {k}: exercise {exercise.id} has {len(solid)} tests that need only it and earlier "
                f"exercises; it needs at least {MINIMUM_TESTS}"
            )
        if results.status(exercise.id) != "passed":
            problems.append(f"step {k}: check shows exercise {exercise.id} as {results.status(exercise.id)}, not passed")
    return problems


def order_problems(course: Course, number: int, directory: pathlib.Path, jobs: int | None = None) -> list[str]:
    """Every problem with solving chapter ``number`` in order (empty: none), steps run side by side."""
    chapter = course.chapter(number)
    implementations = steps(course, number, directory)
    with concurrent.futures.ThreadPoolExecutor(max_workers=jobs or os.cpu_count() or 1) as pool:
        runs = list(pool.map(lambda implementation: run_tests(course, implementation, [chapter]), implementations))
    return [problem for k, results in enumerate(runs) for problem in step_problems(course, number, k, results)]


def main(arguments: list[str]) -> int:
    course = Course(MACHINERY_ROOT)
    numbers = [int(argument) for argument in arguments] or [chapter.number for chapter in course.chapters]
    found = 0
    for number in numbers:
        with tempfile.TemporaryDirectory(prefix="tinyframe-order-") as directory:
            problems = order_problems(course, number, pathlib.Path(directory))
        print(f"Chapter {number:02d}: {len(problems)} problem(s)")
        for problem in problems:
            print(f"  {problem}")
        found += len(problems)
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
