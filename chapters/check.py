"""Checking a workspace: the course's tests, run against the learner's code.

How it works: ``check`` first compiles every ``.py`` file of the workspace's
``tinyframe/`` (``syntax_error``), since a syntax error would otherwise surface
as a wall of import tracebacks. It then runs the course's own copy of the tests
against the workspace (``runner.run_pytest``), one process per CPU: chapter N's
tests first, split over the CPUs (``freshness.split_tests``), then those of
chapters 1..N-1 that may have changed — an earlier chapter whose imported files
are all as they were when it last ran is recalled, not run (``freshness.recall``).
That keeps a check's time flat however far the course goes.

The report comes in two parts, so the learner reads about the chapter they are
working on while the regression checks still run: ``chapter_report`` (one line
per exercise in manifest order and, when there is something to do, the next
thing to do) and ``regressions_report`` (one line per earlier chapter).
Statuses are honest: a test that failed only because it ran into an exercise
that is not written yet *waits* (``·``) rather than fails, and "Next" points at
the first exercise to write or mend — never at one whose tests wait for another.
Finally each exercise's status is saved in the workspace's progress file.
"""

import concurrent.futures
import importlib.util
import os
import pathlib
import re

from chapters.course import Chapter, Course, Exercise
from chapters.freshness import CACHE_DIRECTORY, recall, remember, split_tests
from chapters.runner import Results, TestResult, join_results, run_pytest, run_tests
from chapters.stubs import unwritten_exercises
from chapters.wording import regex_difference
from chapters.workspace import Workspace, course_changes, find_workspace_or_none

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
        start = (error.offset or 1) - 1
        end = (error.end_offset or error.offset + 1) - 1 if error.end_lineno in (None, error.lineno) else start + 1
        lines += [*source_excerpt(error.lineno, error.text, start, end if error.offset else 0), ""]
    lines.append("Fix it, save, and check again.")
    return "\n".join(lines)


def source_excerpt(number: int, text: str, start: int = 0, end: int = 0) -> list[str]:
    """A numbered line of source with carets under columns ``start``..``end`` (0-based; none when end is 0).

    >>> print("\\n".join(source_excerpt(12, "from x import Nmae\\n", 14, 18)))
         12 | from x import Nmae
            |               ^^^^
    """
    lines = [f"    {number:>3} | {text.rstrip(chr(13) + chr(10))}"]
    if end:
        lines.append(f"    {'':>3} | {' ' * start}{'^' * max(1, end - start)}")
    return lines


def describe_import_error(test: TestResult) -> list[str]:
    """A module of the learner's failed to import (a NameError, an ImportError...): shown like a syntax error."""
    path, _, line_number = test.implementation_location.rpartition(":")
    lines = [
        f"{FAILED} Importing {display_path(pathlib.Path(path))} failed, line {line_number}: {test.message}",
        "",
    ]
    if test.source_line:
        lines += [*source_excerpt(int(line_number), test.source_line, *test.columns), ""]
    lines.append("Fix it, save, and check again.")
    return lines


def check(
    course: Course,
    workspace: Workspace,
    number: int,
    verbose: bool = False,
    write=print,
    jobs: int | None = None,
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
    changed = course_changes(course, workspace)
    if changed:
        write(course_changed_note(changed, workspace))
    earlier = [other for other in course.through(chapter.number) if other is not chapter]
    if verbose:  # one process, so that pytest's output is not interleaved; nothing recalled
        results = run_tests(course, workspace.root, [chapter, *earlier], verbose=True)
        if not results.ran:
            write(describe_crash(results.output, workspace.root, chapter.number, course.root))
            return 1
        write(chapter_report(course, workspace, chapter, results))
        return finish(course, workspace, chapter, earlier, results, {other.slug for other in earlier}, write)
    root = workspace.root
    exercises = [exercise for other in [chapter, *earlier] for exercise in other.exercises]
    unwritten = unwritten_exercises(root, exercises)
    cache = root / CACHE_DIRECTORY / "bytecode"

    def run(paths: list[pathlib.Path]) -> Results:
        return run_pytest(course, root, paths, unwritten=unwritten, bytecode_cache=cache)

    jobs = jobs or os.cpu_count() or 1
    with concurrent.futures.ThreadPoolExecutor(max_workers=jobs) as pool:
        # The current chapter first: it is what the learner is waiting for.
        current = [pool.submit(run, group) for group in split_tests(chapter, root, jobs)]
        recalled = {other.slug: recall(other, root, unwritten) for other in earlier}
        stale = [other for other in earlier if recalled[other.slug] is None]
        rerun = {other.slug: pool.submit(run, [other.tests_directory]) for other in stale}
        results = join_results([future.result() for future in current])
        if not results.ran:
            write(describe_crash(results.output, root, chapter.number, course.root))
            return 1
        remember(chapter, root, results)
        write(chapter_report(course, workspace, chapter, results))
        for slug, future in rerun.items():
            recalled[slug] = future.result()
            remember(course.chapter(slug), root, recalled[slug])
    results = join_results([results, *recalled.values()])
    return finish(course, workspace, chapter, earlier, results, set(rerun), write)


def course_changed_note(changed: list[str], workspace: Workspace) -> str:
    """Tell the learner the course changed under their workspace, and how to bring the change in.

    >>> print(course_changed_note(["tinyframe/a.py", "tinyframe/b.py"], Workspace("/tmp/w", {})))  # doctest: +ELLIPSIS
    ! The course has changed since this workspace took its files (tinyframe/a.py, tinyframe/b.py),
      so a test may fail for a reason outside your exercises. Bring the changes in, your
      exercises kept, with: python -m chapters update ...w
    <BLANKLINE>
    """
    shown = ", ".join(changed[:3]) + (f" and {len(changed) - 3} more" if len(changed) > 3 else "")
    return (
        f"! The course has changed since this workspace took its files ({shown}),\n"
        "  so a test may fail for a reason outside your exercises. Bring the changes in, your\n"
        f"  exercises kept, with: python -m chapters update{workspace_argument(workspace)}\n"
    )


def finish(
    course: Course,
    workspace: Workspace,
    chapter: Chapter,
    earlier: list[Chapter],
    results: Results,
    rerun: set[str],
    write,
) -> int:
    """Save each exercise's status, report the earlier chapters; return the exit status."""
    workspace.refresh()
    for checked in [chapter, *earlier]:
        for exercise in checked.exercises:
            status = STORED_STATUS.get(results.status(exercise.id))
            if status:
                workspace.set_status(exercise.id, status)
    workspace.save()
    write(regressions_report(course, workspace, chapter, earlier, results, rerun))
    return 0 if not results.failures() and results.returncode in (0, 5) else 1


# What the progress file keeps of each status a check finds.
STORED_STATUS = {"passed": "passed", "failed": "failed", "waiting": "waiting", "todo": "not_started"}


def chapter_report(course: Course, workspace: Workspace, chapter: Chapter, results: Results) -> str:
    """The current chapter: a line per exercise, a line for its other tests, then the next thing to do."""
    lines = [f"{chapter.label}", ""]
    for exercise in chapter.exercises:
        lines.append(f"  {exercise_line(exercise, results)}")
    tests = results.for_chapter(chapter)
    unloaded = [test for test in tests if test.when == "collect"]
    if unloaded:
        lines.append(f"  {unloaded_line(unloaded, results)}")
    other = [test for test in tests if not test.exercises and test.when != "collect"]
    if other:
        lines.append(f"  {summary_line('other tests', other, results)}")
    first = first_failure(course, [chapter], results)
    if first is not None:
        lines += ["", *describe_failure(course, workspace, chapter, first)]
    return "\n".join(lines)


def regressions_report(
    course: Course,
    workspace: Workspace,
    chapter: Chapter,
    earlier: list[Chapter],
    results: Results,
    rerun: set[str],
) -> str:
    """The earlier chapters, a line each; the first regression if the chapter itself had nothing to do; the count."""
    lines = []
    if earlier:
        lines += ["", "Earlier chapters, checked for regressions:"]
        for previous in earlier:
            unchanged = "" if previous.slug in rerun else " (nothing they use changed since the last check)"
            lines.append(f"  {summary_line(previous.label, results.for_chapter(previous), results)}{unchanged}")
    if first_failure(course, [chapter], results) is None:
        stray = [test for test in results.broken() if not test.nodeid.startswith("chapters/")]
        first = first_failure(course, earlier, results) or (stray[0] if stray else None)
        lines.append("")
        if first is None:
            lines += congratulations(course, chapter, workspace)
        else:
            lines += describe_failure(course, workspace, chapter, first)
    passed = sum(results.status(exercise.id) == "passed" for exercise in chapter.exercises)
    total = len(chapter.exercises)
    verb = "passes" if total == 1 else "pass"
    lines += ["", f"{passed} of {plural(total, 'exercise')} of chapter {chapter.number:02d} {verb}."]
    return "\n".join(lines)


def plural(count: int, noun: str) -> str:
    """``1 exercise``, ``2 exercises``."""
    return f"{count} {noun}" if count == 1 else f"{count} {noun}s"


def count(tests: list[TestResult]) -> int:
    """How many tests, counting a test with a failed teardown once."""
    return len({test.nodeid for test in tests})


def summary_line(label: str, tests: list[TestResult], results: Results) -> str:
    """One line for a group of tests: all pass, some wait for unwritten exercises, or some fail.

    A test waits when it failed only by running into an exercise's stub: code
    of an earlier chapter that calls this chapter's new functions, for one.
    That is no regression, and the line says which exercises it waits for.
    """
    total = count(tests)
    failing = [test for test in tests if test.failed]
    if not failing:
        return f"{PASSED} {label}: all {total} pass"
    waiting = [test for test in failing if results.waiting(test)]
    broken = count([test for test in failing if not results.waiting(test)])
    wait = ""
    if waiting:
        exercises = sorted({exercise for test in waiting for exercise in results.waits_for(test)})
        verb = "wait" if count(waiting) > 1 else "waits"
        wait = f"{count(waiting)} {verb} until {written(exercises)}"
    if not broken:
        return f"{NOT_TESTED} {label}: {total - count(failing)} of {total} pass; {wait}"
    return f"{FAILED} {label}: {broken} of {total} failing" + (f" ({wait})" if wait else "")


def unloaded_line(unloaded: list[TestResult], results: Results) -> str:
    """One line for the test files that could not be loaded: broken, or waiting for an exercise."""
    broken = [test for test in unloaded if not results.waiting(test)]
    if broken:
        return f"{FAILED} {plural(count(broken), 'test file')} could not be loaded"
    exercises = sorted({exercise for test in unloaded for exercise in results.waits_for(test)})
    files = plural(count(unloaded), "test file")
    return f"{NOT_TESTED} {files} can be loaded once {written(exercises)}"


def written(ids: list[str]) -> str:
    """``exercise 02.7 is written``, ``exercises 02.5, 02.7 are written``."""
    return f"{exercise_list(ids)} {'are' if len(ids) > 1 else 'is'} written"


def exercise_list(ids: list[str]) -> str:
    """``exercise 02.7``, ``exercises 02.5, 02.7``."""
    return f"exercise{'s' if len(ids) > 1 else ''} {', '.join(ids)}"


def exercise_line(exercise: Exercise, results: Results) -> str:
    """An exercise's mark, id and title, and why it is not green yet when it waits."""
    status = results.status(exercise.id)
    name = f"{exercise.id}  {exercise.title}"
    blockers = results.blockers(exercise.id)
    if status == "passed":
        waiting = count([test for test in results.for_exercise(exercise.id) if test.failed])
        if waiting:
            tests = "test waits" if waiting == 1 else "tests wait"
            return f"{PASSED} {name} ({waiting} more {tests} for {exercise_list(blockers)})"
        return f"{PASSED} {name}"
    if status == "failed":
        return f"{FAILED} {name}"
    if status == "todo":
        return f"{NOT_TESTED} {name} (to write)"
    if status == "waiting":
        return f"{NOT_TESTED} {name} (written; its tests wait for {exercise_list(blockers)})"
    return f"{NOT_TESTED} {name} (not tested yet)"


def first_failure(course: Course, chapters: list[Chapter], results: Results) -> TestResult | None:
    """The failure to show, never one that merely waits for an unwritten exercise.

    First a module that failed to import; then, in manifest order, the first
    exercise to write or mend, and its first failing test that does not wait
    for another exercise; then any other failing test.
    """
    for chapter in chapters:
        tests = results.for_chapter(chapter)
        unloaded = [test for test in tests if test.when == "collect" and not results.waiting(test)]
        if unloaded:
            return unloaded[0]
        for exercise in chapter.exercises:
            if results.status(exercise.id) not in ("failed", "todo"):
                continue
            for test in results.for_exercise(exercise.id):
                if test.failed and not set(results.waits_for(test)) - {exercise.id}:
                    return test
        failing = [test for test in tests if test.failed and not results.waiting(test)]
        if failing:
            return failing[0]
    return None


def describe_failure(course: Course, workspace: Workspace, chapter: Chapter, test: TestResult) -> list[str]:
    """The first failure, plainly: what to edit, what the test checks, what went wrong."""
    directory = workspace_argument(workspace)
    verbose = f"All of pytest's output: python -m chapters check {chapter.number}{directory} --verbose"
    if test.when == "collect" and test.implementation_location:
        return [*describe_import_error(test), verbose]
    lines = []
    exercise = exercise_to_edit(course, workspace, test)
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
    if exercise is not None:
        lines.append(f"Stuck? python -m chapters hint {exercise.id}{directory}")
    lines.append(verbose)
    return lines


def exercise_to_edit(course: Course, workspace: Workspace, test: TestResult) -> Exercise | None:
    """The exercise a failing test points at: of the ones it is marked with, the one whose file failed."""
    known = exercise_ids(course)
    exercises = [course.exercise(id) for id in test.exercises if id in known]
    failed_in = test.implementation_location.rpartition(":")[0]
    for exercise in exercises:
        if failed_in and pathlib.Path(failed_in) == (workspace.root / exercise.path).resolve():
            return exercise
    return exercises[0] if exercises else None


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


def congratulations(course: Course, chapter: Chapter, workspace: Workspace) -> list[str]:
    lines = [f"{PASSED} Every test passes."]
    later = [other for other in course.chapters if other.number > chapter.number]
    if later:
        # The workspace named unless found from here: start alone would make a new ./workspace.
        lines.append(f"Next chapter: python -m chapters start {later[0].number}{workspace_argument(workspace)}")
    else:
        lines.append("That is the last chapter so far: the README's course map shows the ones still to come.")
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

    A message the test wrote keeps the two values the plugin aligned after it:

    >>> print(plain_message("AssertionError: the plan\\nassert [1, 2] == [2, 1]\\n  got:      [1, 2]\\n"
    ...                     "  expected: [2, 1]\\n             ^ first difference: character 2"))
    the plan
    got:      [1, 2]
    expected: [2, 1]
               ^ first difference: character 2

    Texts that differ on a later line keep the line number and both texts:

    >>> print(plain_message("AssertionError: assert 'a' == 'b'\\n  the texts differ first on line 2:\\n"
    ...                     "  got:      'y'\\n  expected: 'z'\\n             ^ first difference: character 2"))
    assert 'a' == 'b'
    the texts differ first on line 2:
    got:      'y'
    expected: 'z'
               ^ first difference: character 2

    Two texts that should be the same are aligned, the first difference marked:

    >>> print(plain_message("Regex pattern did not match.\\n  Expected regex: 'a\\\\\\\\.b'\\n  Actual message: 'a,b'"))
    The message is not the expected one:
    got:      'a,b'
    expected: 'a.b'
                ^ first difference: character 2
    """
    lines = [line for line in message.strip().splitlines() if line.strip()]
    if not lines:
        return ""
    # A failed assert and pytest.fail() both carry the test's own words after a prefix.
    lines[0] = lines[0].removeprefix("AssertionError: ").removeprefix("Failed: ")
    difference = regex_difference(message) if lines[0].startswith("Regex pattern did not match") else []
    if difference:
        kept = ["The message is not the expected one:", *difference]
    elif lines[0].startswith("assert ") and aligned_start(lines) is not None:
        start = aligned_start(lines)  # aligned by the plugin, maybe after the line the texts differ on
        kept = [lines[0], *(line.removeprefix("  ") for line in lines[1:start + 3])]
    elif lines[0].startswith("assert "):
        kept = lines[:3]
    else:
        kept = [lines[0]]
        for index, line in enumerate(lines[1:MESSAGE_LINES], start=1):
            if line.lstrip().startswith(("assert ", "AssertionError", "+", "-", "where")):
                # pytest's explanation of the assert begins: keep only the values the plugin aligned.
                start = aligned_start(lines[index:]) if line.lstrip().startswith("assert ") else None
                if start is not None:
                    kept += [line.removeprefix("  ") for line in lines[index + 1:index + start + 3]]
                break
            kept.append(line)
    return "\n".join(line if len(line) <= MESSAGE_WIDTH else line[: MESSAGE_WIDTH - 1] + "…" for line in kept)


def aligned_start(lines: list[str]) -> int | None:
    """Where the plugin's aligned ``got:`` / ``expected:`` / caret lines begin in an assert's explanation, if they do.

    >>> aligned_start(["assert 'a' == 'b'", "  the texts differ first on line 3:",
    ...                "  got:      'a'", "  expected: 'b'"])
    2
    >>> aligned_start(["assert 1 == 2", "  +1", "  -2"]) is None
    True
    """
    for index in (1, 2):
        if index + 1 < len(lines) and lines[index].lstrip().startswith("got: "):
            return index
    return None


def display_path(path: pathlib.Path) -> str:
    """``path`` relative to the current directory when it is inside it, else absolute."""
    path = path.resolve()
    try:
        return path.relative_to(pathlib.Path.cwd()).as_posix()
    except ValueError:
        return str(path)
