"""Checking a workspace: the course's tests, run against the learner's code.

How it works: ``check`` first compiles every ``.py`` file of the workspace's
``tinyframe/`` (``syntax_error``), since a syntax error would otherwise surface
as a wall of import tracebacks. It then runs the course's own copy of the tests
— chapter N's, then chapters 1..N-1's for regressions — against the workspace
(``runner.run_tests``), and gets back every test's outcome as ``Results``.
``report`` turns those into a learner's summary: one line per
exercise in manifest order, then only the first failure, with the exercise, the
file and function to edit, what the test checks and the one-line message.
Finally each exercise's status is saved in the workspace's progress file.
"""

import importlib.util
import os
import pathlib
import re

from chapters.course import Chapter, Course, Exercise
from chapters.runner import Results, TestResult, run_tests
from chapters.workspace import Workspace, find_workspace_or_none

INSTALL_HINT = "python -m pip install -e '.[test]'"
PASSED, FAILED, NOT_TESTED = "✓", "✗", "·"
# The longest line of a failure message shown to a learner; --verbose shows all of it.
MESSAGE_WIDTH = 300
MESSAGE_LINES = 6


def syntax_error(root: pathlib.Path) -> str | None:
    """A learner-friendly description of the first syntax error under ``root/tinyframe``."""
    for path in sorted((root / "tinyframe").rglob("*.py")):
        try:
            compile(path.read_bytes(), str(path), "exec", dont_inherit=True)
        except SyntaxError as error:
            return describe_syntax_error(error, path.relative_to(root).as_posix())
        except ValueError as error:  # source with a null byte
            return f"{FAILED} Python cannot read {path.relative_to(root).as_posix()}: {error}"
    return None


def describe_syntax_error(error: SyntaxError, path: str) -> str:
    """The file, line, message and a caret under the spot, like Python shows it.

    >>> error = SyntaxError("'(' was never closed", ("f.py", 3, 12, "    return (1 +\\n", 3, 12))
    >>> print(describe_syntax_error(error, "tinyframe/f.py"))
    ✗ Syntax error in tinyframe/f.py, line 3: '(' was never closed
    <BLANKLINE>
          3 |     return (1 +
            |            ^
    <BLANKLINE>
    Fix it, save, and check again.
    """
    lines = [f"{FAILED} Syntax error in {path}, line {error.lineno}: {error.msg}", ""]
    if error.text:
        text = error.text.rstrip("\r\n")
        number = str(error.lineno)
        lines.append(f"    {number:>3} | {text}")
        if error.offset:
            caret = "^" * max(1, (error.end_offset or error.offset + 1) - error.offset)
            if error.end_lineno not in (None, error.lineno):
                caret = "^"
            lines.append(f"    {'':>3} | {' ' * (error.offset - 1)}{caret}")
        lines.append("")
    lines.append("Fix it, save, and check again.")
    return "\n".join(lines)


def check(
    course: Course,
    workspace: Workspace,
    number: int,
    verbose: bool = False,
    write=print,
) -> int:
    """Check chapter ``number`` (and 1..number-1) in ``workspace``; 0 when every test passes."""
    chapter = course.chapter(number)
    problem = syntax_error(workspace.root)
    if problem:
        write(problem)
        return 1
    if importlib.util.find_spec("pytest") is None:
        write(
            "pytest is not installed, and the checks need it. From the course directory "
            f"({course.root}), run:\n\n    {INSTALL_HINT}\n"
        )
        return 1
    earlier = [other for other in course.through(chapter.number) if other is not chapter]
    results = run_tests(course, workspace.root, [chapter, *earlier], verbose=verbose, jobs=os.cpu_count() or 1)
    if not results.ran:
        write(describe_crash(results.output, workspace.root, chapter.number, course.root))
        return 1
    for checked in [chapter, *earlier]:
        for exercise in checked.exercises:
            status = results.status(exercise.id)
            if status != "not_started":
                workspace.set_status(exercise.id, status)
    workspace.save()
    write(report(course, workspace, chapter, earlier, results))
    return 0 if not results.failures() and results.returncode in (0, 5) else 1


def report(
    course: Course, workspace: Workspace, chapter: Chapter, earlier: list[Chapter], results: Results
) -> str:
    """The learner's summary of a check: per exercise, then the first failure only."""
    lines = [f"{chapter.label}", ""]
    for exercise in chapter.exercises:
        lines.append(f"  {exercise_line(exercise, results)}")
    tests = results.for_chapter(chapter)
    unloaded = [test for test in tests if test.when == "collect"]
    if unloaded:
        lines.append(f"  {FAILED} test files that could not be loaded: {len(unloaded)}")
    other = [test for test in tests if not test.exercises and test.when != "collect"]
    if other:
        lines.append(f"  {summary_line('other tests', other)}")
    if earlier:
        lines += ["", "Earlier chapters, checked for regressions:"]
        for previous in earlier:
            lines.append(f"  {summary_line(previous.label, results.for_chapter(previous))}")
    stray = [test for test in results.failures() if not test.nodeid.startswith("chapters/")]
    first = first_failure(course, [chapter, *earlier], results) or (stray[0] if stray else None)
    lines.append("")
    if first is None:
        lines += congratulations(course, chapter)
    else:
        lines += describe_failure(course, workspace, chapter, first)
    passed = sum(results.status(exercise.id) == "passed" for exercise in chapter.exercises)
    lines += ["", f"{passed} of {len(chapter.exercises)} exercises of chapter {chapter.number:02d} pass."]
    if len(chapter.exercises) == 1:
        lines[-1] = f"{passed} of 1 exercise of chapter {chapter.number:02d} passes."
    return "\n".join(lines)


def count(tests: list[TestResult]) -> int:
    """How many tests, counting a test with a failed teardown once."""
    return len({test.nodeid for test in tests})


def summary_line(label: str, tests: list[TestResult]) -> str:
    """One line for a group of tests: all pass, some wait for unwritten exercises, or some fail.

    A test waits when it failed only by running into an exercise's stub: code
    of an earlier chapter that calls this chapter's new functions, for one.
    That is no regression, and the line says which exercises it waits for.
    """
    total = count(tests)
    failing = [test for test in tests if test.failed]
    if not failing:
        return f"{PASSED} {label}: all {total} pass"
    waiting = [test for test in failing if test.stubbed_exercises]
    broken = count([test for test in failing if not test.stubbed_exercises])
    wait = ""
    if waiting:
        exercises = sorted({exercise for test in waiting for exercise in test.stubbed_exercises})
        written = "are" if len(exercises) > 1 else "is"
        plural = "s" if len(exercises) > 1 else ""
        verb = "wait" if count(waiting) > 1 else "waits"
        wait = f"{count(waiting)} {verb} until exercise{plural} {', '.join(exercises)} {written} written"
    if not broken:
        return f"{NOT_TESTED} {label}: {total - count(failing)} of {total} pass; {wait}"
    return f"{FAILED} {label}: {broken} of {total} failing" + (f" ({wait})" if wait else "")


def exercise_line(exercise: Exercise, results: Results) -> str:
    status = results.status(exercise.id)
    if status == "passed":
        return f"{PASSED} {exercise.id}  {exercise.title}"
    if status == "failed":
        return f"{FAILED} {exercise.id}  {exercise.title}"
    return f"{NOT_TESTED} {exercise.id}  {exercise.title} (not tested yet)"


def first_failure(course: Course, chapters: list[Chapter], results: Results) -> TestResult | None:
    """The failure to show: the first failing exercise in manifest order, then any other test."""
    for chapter in chapters:
        for exercise in chapter.exercises:
            failing = [test for test in results.for_exercise(exercise.id) if test.failed]
            if failing:
                return failing[0]
        failing = [test for test in results.for_chapter(chapter) if test.failed]
        if failing:
            return failing[0]
    return None


def describe_failure(course: Course, workspace: Workspace, chapter: Chapter, test: TestResult) -> list[str]:
    """The first failure, plainly: what to edit, what the test checks, what went wrong."""
    lines = []
    exercise = next((course.exercise(id) for id in test.exercises if id in exercise_ids(course)), None)
    if exercise is not None:
        lines.append(f"Next: exercise {exercise.id} — {exercise.title}")
        lines.append(f"  Edit:   {display_path(workspace.root / exercise.path)}, {exercise.qualname}")
    elif test.when == "collect":
        lines.append(f"Next: the tests in {test.nodeid} could not even be loaded")
    else:
        lines.append(f"Next: the failing test {test.name}")
    if test.when != "collect":
        checks = first_paragraph(test.doc) or test.name.partition("[")[0].removeprefix("test_").replace(
            "_", " "
        )
        lines.append(f"  Test:   {test.name} — {checks}")
    message = plain_message(test.message)
    if message:
        lines.append("  Failed: " + message.replace("\n", "\n          "))
    if test.implementation_location:
        path, _, line_number = test.implementation_location.rpartition(":")
        lines.append(f"  At:     {display_path(pathlib.Path(path))}, line {line_number}")
    lines.append("")
    directory = workspace_argument(workspace)
    if exercise is not None:
        lines.append(f"Stuck? python -m chapters hint {exercise.id}{directory}")
    lines.append(f"All of pytest's output: python -m chapters check {chapter.number}{directory} --verbose")
    return lines


def workspace_argument(workspace: Workspace) -> str:
    """`` DIR`` for a command line, unless the workspace is found without it."""
    found = find_workspace_or_none()
    if found is not None and found.root == workspace.root:
        return ""
    return f" {display_path(workspace.root)}"


def describe_crash(
    output: str, root: pathlib.Path, number: int, course_root: pathlib.Path = pathlib.Path("/")
) -> str:
    """What to say when pytest stopped before running any test, usually on an import error.

    pytest names files relative to ``course_root``, where it ran, when that is shorter.

    >>> output = '''ImportError while loading conftest 'c.py'.
    ... /w/tinyframe/conf/__init__.py:160: in <module>
    ...     oops
    ... E   NameError: name 'oops' is not defined'''
    >>> print(describe_crash(output, pathlib.Path("/w"), 1))
    ✗ No test could run: importing tinyframe failed.
      Failed: NameError: name 'oops' is not defined
      At:     /w/tinyframe/conf/__init__.py, line 160
    <BLANKLINE>
    All of pytest's output: python -m chapters check 1 /w --verbose
    """
    lines = output.strip().splitlines()
    errors = [line[1:].strip() for line in lines if line.startswith("E ")]
    places = [
        (path, match[2])
        for line in lines
        if (match := re.match(r"^\s*(.+\.py):(\d+): in ", line))
        and (path := (course_root / match[1]).resolve())
        and (root.resolve() / "tinyframe") in path.parents
    ]
    if not errors:
        return f"{FAILED} pytest could not run the tests:\n\n" + "\n".join(lines[-15:])
    report = [f"{FAILED} No test could run: importing tinyframe failed.", f"  Failed: {errors[-1]}"]
    if places:
        path, line_number = places[-1]
        report.append(f"  At:     {display_path(pathlib.Path(path))}, line {line_number}")
    report += [
        "",
        f"All of pytest's output: python -m chapters check {number} {display_path(root)} --verbose",
    ]
    return "\n".join(report)


def exercise_ids(course: Course) -> set[str]:
    return {exercise.id for exercise in course.exercises()}


def congratulations(course: Course, chapter: Chapter) -> list[str]:
    lines = [f"{PASSED} Every test passes."]
    later = [other for other in course.chapters if other.number > chapter.number]
    if later:
        lines.append(f"Next chapter: python -m chapters start {later[0].number}")
    else:
        lines.append("That was the last chapter: you have built the whole framework.")
    return lines


def first_paragraph(text: str) -> str:
    """The first paragraph of a docstring, on one line.

    >>> first_paragraph("Spaces in a path\\n   are quoted.\\n\\n   More details.")
    'Spaces in a path are quoted.'
    """
    paragraph = text.strip().split("\n\n")[0]
    return " ".join(line.strip() for line in paragraph.splitlines())


def plain_message(message: str) -> str:
    """The failure message a learner needs: the test's own words, not pytest's internals.

    A message the test wrote comes alone; a bare ``assert`` keeps pytest's
    explanation of it, up to three lines.

    >>> plain_message("AssertionError: expected 'User-Agent', got None\\nassert None == 'User-Agent'")
    "expected 'User-Agent', got None"
    >>> plain_message("Failed: unsign('x:y') returned 'x'; expected BadSignature")
    "unsign('x:y') returned 'x'; expected BadSignature"
    >>> plain_message("NotImplementedError: exercise 01.3: validate the host")
    'NotImplementedError: exercise 01.3: validate the host'
    >>> print(plain_message("AssertionError: assert 'a=1' == 'a=1&a=2'\\n  \\n  - a=1&a=2\\n  + a=1\\n  more"))
    assert 'a=1' == 'a=1&a=2'
      - a=1&a=2
      + a=1
    """
    lines = [line for line in message.strip().splitlines() if line.strip()]
    if not lines:
        return ""
    # A failed assert and pytest.fail() both carry the test's own words after a prefix.
    lines[0] = lines[0].removeprefix("AssertionError: ").removeprefix("Failed: ")
    if lines[0].startswith("assert "):
        kept = lines[:3]
    else:
        kept = [lines[0]]
        for line in lines[1:MESSAGE_LINES]:
            if line.lstrip().startswith(("assert ", "AssertionError", "+", "-", "where")):
                break  # pytest's explanation of the assert begins
            kept.append(line)
    return "\n".join(line if len(line) <= MESSAGE_WIDTH else line[: MESSAGE_WIDTH - 1] + "…" for line in kept)


def display_path(path: pathlib.Path) -> str:
    """``path`` relative to the current directory when it is inside it, else absolute."""
    path = path.resolve()
    try:
        return path.relative_to(pathlib.Path.cwd()).as_posix()
    except ValueError:
        return str(path)
