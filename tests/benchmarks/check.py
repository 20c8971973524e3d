"""How long ``python -m chapters check N`` takes after a learner's edit, at every chapter.

Run by hand (it is not collected as a test): ``python tests/benchmarks/check.py``.

Part 1, the real course: for each chapter, a fresh workspace, one warm-up check,
then the learner writes the chapter's first exercise (an edit to a chapter-N
file) and checks again. Two times are printed: until the chapter's own report
appears (what the learner reads first) and until the whole check ends (earlier
chapters re-run only if something they import changed).

Part 2, a synthetic course of 17 chapters shaped like the real one (each
chapter a module, an exercise and 200 tests; each chapter's tests also import
chapter 1's module): the same edit-then-check at chapter 1, 5, 9, 13 and 17. If
earlier chapters were re-run on every check, the time would grow with N; it
should stay flat.
"""

import pathlib
import sys
import tempfile
import textwrap
import time

ROOT = pathlib.Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from chapters.check import check  # noqa: E402
from chapters.course import Course  # noqa: E402
from chapters.source import replace_definition  # noqa: E402
from chapters.stubs import extract_solution  # noqa: E402
from chapters.workspace import Workspace, start_chapter  # noqa: E402

SYNTHETIC_CHAPTERS = 17
TESTS_PER_CHAPTER = 200


def timed_check(course: Course, root: pathlib.Path, number: int) -> tuple[float, float, int]:
    """(seconds to the chapter's report, seconds to the end, exit status) of one check."""
    first_output = []
    start = time.perf_counter()

    def write(text: str) -> None:
        if not first_output:
            first_output.append(time.perf_counter() - start)

    status = check(course, Workspace(root), number, write=write)
    return first_output[0], time.perf_counter() - start, status


def write_first_exercise(course: Course, root: pathlib.Path, number: int) -> None:
    """The learner's edit: the chapter's first exercise, written (from the reference)."""
    exercise = course.chapter(number).exercises[0]
    path = root / exercise.path
    path.write_text(replace_definition(path.read_text(), exercise.qualname, extract_solution(course, exercise.id)))


def measure(course: Course, numbers: list[int], directory: pathlib.Path) -> list[tuple[int, float, float, int]]:
    rows = []
    for number in numbers:
        root = directory / f"chapter-{number}"
        start_chapter(course, number, root)
        timed_check(course, root, number)  # the warm-up
        write_first_exercise(course, root, number)
        rows.append((number, *timed_check(course, root, number)))
    return rows


def print_rows(title: str, rows) -> None:
    print(f"\n{title}")
    print(f"  {'chapter':>7}  {'its report':>10}  {'whole check':>11}")
    for number, first, total, _ in rows:
        print(f"  {number:>7}  {first:>9.2f}s  {total:>10.2f}s")


def synthetic_course(root: pathlib.Path) -> Course:
    """A course of SYNTHETIC_CHAPTERS chapters, each one module, one exercise and many tests."""
    files = {"pyproject.toml": '[tool.pytest.ini_options]\naddopts = "--import-mode=importlib -p chapters.pytest_plugin"\n'}
    files["tinyframe/__init__.py"] = '"""A synthetic framework."""\n'
    for number in range(1, SYNTHETIC_CHAPTERS + 1):
        slug = f"{number:02d}_part{number}"
        module = f"tinyframe/part{number}.py"
        files[module] = textwrap.dedent(f'''\
            """Part {number}."""


            def work(value):
                """Return value plus {number}."""
                return value + {number}
            ''')
        files[f"chapters/{slug}/chapter.toml"] = textwrap.dedent(f'''\
            title = "Part {number}"
            tutorial = "tutorials/{slug}.md"
            files = [{'"tinyframe/__init__.py", ' if number == 1 else ''}"{module}"]

            [[exercises]]
            id = "{number:02d}.1"
            title = "Work"
            target = "{module}:work"
            task = "return value plus {number}"
            hint = "Add."
            ''')
        files[f"chapters/{slug}/tests/test_part{number}.py"] = textwrap.dedent(f'''\
            import pytest

            from tinyframe.part1 import work as first_work
            from tinyframe.part{number} import work


            @pytest.mark.exercise("{number:02d}.1")
            @pytest.mark.parametrize("value", range({TESTS_PER_CHAPTER}))
            def test_work(value):
                assert work(value) == value + {number}


            @pytest.mark.parametrize("value", range(3))
            def test_first_part_still_works(value):
                assert first_work(value) == value + 1
            ''')
        files[f"tutorials/{slug}.md"] = f"# Part {number}\n"
    for path, text in files.items():
        target = root / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
    return Course(root)


def main() -> None:
    course = Course(ROOT)
    with tempfile.TemporaryDirectory(prefix="tinyframe-bench-check-") as directory:
        rows = measure(course, [chapter.number for chapter in course.chapters], pathlib.Path(directory))
    print_rows("The real course: check N after writing exercise N.1 (after one warm-up check)", rows)
    with tempfile.TemporaryDirectory(prefix="tinyframe-bench-synthetic-") as directory:
        synthetic = synthetic_course(pathlib.Path(directory) / "course")
        rows = measure(synthetic, [1, 5, 9, 13, 17], pathlib.Path(directory) / "work")
    print_rows(f"A synthetic course of {SYNTHETIC_CHAPTERS} chapters: the same, as the course grows", rows)
    first, last = rows[0][2], rows[-1][2]
    print(f"\n  chapter 17's check takes {last / first:.2f}x chapter 1's (flat is 1.0x)")


if __name__ == "__main__":
    main()
