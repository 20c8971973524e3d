"""``python -m chapters`` end to end: what a learner types, and what they read back."""

import io
import json
import os
import pathlib
import subprocess
import sys
import threading
import time

import pytest

from chapters.__main__ import main
from chapters.check import summary_line
from chapters.course import Course
from chapters.freshness import split_tests
from chapters.runner import Results, TestResult
from chapters.source import replace_definition
from chapters.stubs import extract_solution
from chapters.watch import watch
from chapters.workspace import FORMAT_VERSION, PROGRESS_FILE

ROOT = pathlib.Path(__file__).resolve().parent.parent


# Run from a directory of its own, so no workspace is found by accident.
pytestmark = pytest.mark.usefixtures("elsewhere")


def progress(workspace: pathlib.Path) -> dict:
    return json.loads((workspace / PROGRESS_FILE).read_text())


def solve(course, workspace: pathlib.Path, exercise) -> None:
    """Do what a learner does: write the exercise's body (here, the reference's) into the workspace."""
    path = workspace / exercise.path
    path.write_text(
        replace_definition(path.read_text(), exercise.qualname, extract_solution(course, exercise.id))
    )


# The real course: what a learner of chapter 01 sees.


@pytest.mark.slow
def test_a_new_workspace_lists_every_exercise_to_write_and_the_first_plainly(course, cli, tmp_path):
    workspace = tmp_path / "work"
    status, out, _ = cli(course, "start", 1, workspace)
    assert status == 0 and "Started Chapter 01" in out
    status, out, err = cli(course, "check", 1, workspace)
    assert status == 1
    chapter = course.chapter(1)
    for exercise in chapter.exercises:
        assert f"· {exercise.id}  {exercise.title} (to write)" in out
    assert "✗" not in out, "nothing in a fresh workspace is broken"
    first = chapter.exercises[0]
    assert f"Next: exercise {first.id} — {first.title}" in out
    assert f"{first.path}, {first.qualname}" in out
    assert f"NotImplementedError: exercise {first.id}: {first.task}" in out
    assert "Traceback" not in out and err == ""
    assert len(out.splitlines()) < 40, "a learner sees a summary, not a wall of output"
    statuses = {
        exercise.id: progress(workspace)["exercises"][exercise.id]["status"] for exercise in chapter.exercises
    }
    assert set(statuses.values()) == {"not_started"}


@pytest.mark.slow
def test_writing_every_exercise_makes_the_check_pass(course, cli, tmp_path):
    workspace = tmp_path / "work"
    cli(course, "start", 1, workspace)
    for exercise in course.chapter(1).exercises:
        solve(course, workspace, exercise)
    status, out, _ = cli(course, "check", 1, workspace)
    assert status == 0, out
    assert "✓ Every test passes." in out
    assert {entry["status"] for entry in progress(workspace)["exercises"].values()} == {"passed"}


def test_the_tool_runs_as_a_module(course):
    completed = subprocess.run(
        [sys.executable, "-m", "chapters", "list"], cwd=ROOT, capture_output=True, text=True, encoding="utf-8"
    )
    assert completed.returncode == 0, completed.stderr
    assert "01  HTTP over WSGI" in completed.stdout


def test_diff_of_chapter_one_adds_its_files(course, cli):
    status, out, _ = cli(course, "diff", 1)
    assert status == 0
    assert "+++ b/tinyframe/http/request.py" in out


def test_diff_keeps_exercise_bodies_stubbed_unless_solutions_are_asked_for(course, cli):
    exercise = course.chapter(1).exercises[0]
    _, stubbed, _ = cli(course, "diff", 1)
    _, solved, _ = cli(course, "diff", 1, "--solutions")
    stub = f"raise NotImplementedError(\"exercise {exercise.id}:"
    assert stub in stubbed and stub not in solved
    body = extract_solution(course, exercise.id).splitlines()[-1].strip()
    assert body in solved and body not in stubbed


def test_solution_prints_the_reference_of_an_exercise_as_a_spoiler(course, cli):
    exercise = course.exercise("01.1")
    status, out, _ = cli(course, "solution", "01.1")
    assert status == 0
    assert out.startswith(
        f"# Spoiler: the reference solution of exercise 01.1 — {exercise.title}\n"
        f"# {exercise.path}, {exercise.qualname}\n"
    )
    assert extract_solution(course, "01.1") in out


def test_viewing_a_solution_is_recorded_and_listed(fake_course, cli, tmp_path, monkeypatch):
    workspace = tmp_path / "work"
    cli(fake_course, "start", 1, workspace)
    status, out, _ = cli(fake_course, "solution", "01.2", workspace)
    assert status == 0 and "Your progress now records that you looked" in out
    assert "solution_viewed" in progress(workspace)["exercises"]["01.2"]
    _, listing, _ = cli(fake_course, "list", workspace)
    assert "· 01.2  Shouting (solution viewed)" in listing
    assert "· 01.1  Greeting\n" in listing


def test_help_lists_the_learners_commands_and_not_the_maintainers(capsys):
    with pytest.raises(SystemExit):
        main(["--help"])
    out = capsys.readouterr().out
    assert "solution" in out and "watch" in out
    assert "sync-tutorials" not in out


# The fake course: the details, quickly.


def test_list_without_a_workspace_shows_the_course_map(fake_course, cli, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    status, out, _ = cli(fake_course, "list")
    assert status == 0
    assert "  01  Hello  2 exercises\n  02  More   1 exercise\n" in out
    assert "No workspace here. Start one with: python -m chapters start 1 DIR" in out


def test_list_in_a_workspace_shows_progress(fake_course, cli, tmp_path, monkeypatch):
    cli(fake_course, "start", 1, tmp_path / "work")
    monkeypatch.chdir(tmp_path / "work" / "tinyframe")  # anywhere inside the workspace
    data = progress(tmp_path / "work")
    data["exercises"]["01.1"] = {"status": "passed", "hints_shown": 0}
    (tmp_path / "work" / PROGRESS_FILE).write_text(json.dumps(data))
    status, out, _ = cli(fake_course, "list")
    assert status == 0
    assert "  01  Hello  1/2 pass  in progress\n        ✓ 01.1  Greeting\n        · 01.2  Shouting\n" in out
    assert "  02  More   0/1 pass  not started\n" in out


def test_start_writes_the_starter_and_the_progress_file(fake_course, cli, tmp_path):
    status, out, _ = cli(fake_course, "start", 1, tmp_path / "work")
    assert status == 0
    assert "write 2 exercises:\n  01.1  Greeting: tinyframe/greet.py, greet\n" in out
    assert (
        'raise NotImplementedError("exercise 01.1: return'
        in (tmp_path / "work/tinyframe/greet.py").read_text()
    )
    data = progress(tmp_path / "work")
    assert data["format_version"] == FORMAT_VERSION
    assert list(data["chapters"]) == ["01_hello"] and "started" in data["chapters"]["01_hello"]


def test_start_names_the_tutorial_by_its_full_path_in_the_course(fake_course, cli, monkeypatch):
    # Started from the course's folder, as the README does: the workspace has no tutorials/ folder, so
    # "Read tutorials/01_hello.md" would point at nothing once the learner works in it.
    monkeypatch.chdir(fake_course.root)
    status, out, _ = cli(fake_course, "start", 1, "work")
    tutorial = (fake_course.root / "tutorials/01_hello.md").resolve()
    assert status == 0 and f"\nRead {tutorial}, then write 2 exercises:\n" in out, out
    assert not (fake_course.root / "work/tutorials").exists()


def test_list_shows_a_chapter_that_came_solved_without_a_count_until_a_check(fake_course, cli, tmp_path):
    workspace = tmp_path / "work"
    cli(fake_course, "start", 2, workspace)
    _, out, _ = cli(fake_course, "list", workspace)
    assert "  01  Hello  came solved\n  02  More   0/1 pass  in progress\n" in out, out
    assert "0/2 pass" not in out, "no check has run: nothing is known to pass or fail yet"
    data = progress(workspace)  # what a check of chapter 02 records for chapter 01's exercises
    data["exercises"].update({"01.1": {"status": "passed"}, "01.2": {"status": "passed"}})
    (workspace / PROGRESS_FILE).write_text(json.dumps(data))
    _, out, _ = cli(fake_course, "list", workspace)
    assert "  01  Hello  2/2 pass  came solved\n" in out, out


def test_start_defaults_to_a_workspace_folder_that_check_then_finds(fake_course, cli, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert cli(fake_course, "start", 1)[0] == 0
    assert (tmp_path / "workspace" / PROGRESS_FILE).is_file()
    status, out, _ = cli(fake_course, "hint", "01.1")
    assert status == 0 and progress(tmp_path / "workspace")["exercises"]["01.1"]["hints_shown"] == 1


def test_start_refuses_a_directory_that_is_not_a_workspace(fake_course, cli, tmp_path):
    (tmp_path / "notes.txt").write_text("mine")
    status, _, err = cli(fake_course, "start", 1, tmp_path)
    assert status == 2
    assert f"{tmp_path} already exists and is not a workspace; choose a new directory" in err
    assert (tmp_path / "notes.txt").read_text() == "mine"


def test_start_a_later_chapter_fresh_gives_earlier_chapters_solved(fake_course, cli, tmp_path):
    status, out, _ = cli(fake_course, "start", 2, tmp_path / "work")
    assert status == 0 and "Chapters before 02 come solved" in out
    assert "NotImplementedError" not in (tmp_path / "work/tinyframe/greet.py").read_text()
    assert "NotImplementedError" in (tmp_path / "work/tinyframe/more.py").read_text()
    assert progress(tmp_path / "work")["chapters"]["01_hello"]["reference"] is True


def test_start_the_next_chapter_keeps_the_learners_code_and_merges_blocks(fake_course, cli, tmp_path):
    workspace = tmp_path / "work"
    cli(fake_course, "start", 1, workspace)
    greet = workspace / "tinyframe/greet.py"
    greet.write_text(
        greet.read_text().replace(
            "raise NotImplementedError(\"exercise 01.1: return 'Hello, NAME!'\")", 'return "my own code"'
        )
    )
    status, out, _ = cli(fake_course, "start", 2, workspace)
    assert status == 0
    assert "Updated tinyframe/greet.py with 02_more's additions." in out
    text = greet.read_text()
    assert 'return "my own code"' in text
    assert "    # >>> 02_more\n    def whisper(self, text):" in text
    assert "NotImplementedError" in (workspace / "tinyframe/more.py").read_text()
    assert set(progress(workspace)["chapters"]) == {"01_hello", "02_more"}
    status, out, _ = cli(fake_course, "start", 2, workspace)
    assert status == 0 and "already started" in out


def test_start_shows_the_block_to_paste_when_it_cannot_place_it(fake_course, cli, tmp_path):
    workspace = tmp_path / "work"
    cli(fake_course, "start", 1, workspace)
    greet = workspace / "tinyframe/greet.py"
    greet.write_text(
        greet.read_text()
        .replace("    volume = 11\n", "    volume = 12\n")
        .replace(
            '        raise NotImplementedError("exercise 01.2', '        raise RuntimeError("exercise 01.2'
        )
    )
    before = greet.read_text()
    status, out, _ = cli(fake_course, "start", 2, workspace)
    assert status == 0
    assert "tinyframe/greet.py: could not place these lines of 02_more" in out
    assert "after 'return text.upper() + \"!\"' and before 'volume = 11'" in out
    assert "        # >>> 02_more\n        def whisper(self, text):" in out
    assert greet.read_text() == before


def test_check_a_chapter_not_started_says_how_to_start_it(fake_course, cli, tmp_path):
    cli(fake_course, "start", 1, tmp_path / "work")
    status, _, err = cli(fake_course, "check", 2, tmp_path / "work")
    assert status == 2
    assert "Chapter 02 is not started in" in err and "python -m chapters start 2" in err


def test_check_without_a_workspace_says_how_to_start_one(fake_course, cli, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    status, out, err = cli(fake_course, "check", 1)
    assert (status, out) == (2, "")
    assert err == "No workspace here. Start one with: python -m chapters start 1 DIR\n"


def test_a_directory_that_is_not_a_workspace_is_named(fake_course, cli, tmp_path):
    status, _, err = cli(fake_course, "check", 1, tmp_path)
    assert status == 2
    assert f"{tmp_path} is not a workspace (it has no {PROGRESS_FILE})" in err


def test_an_unknown_chapter_lists_the_chapters(fake_course, cli):
    status, out, err = cli(fake_course, "check", 42)
    assert (status, out, err) == (2, "", "No chapter 42. Chapters: 1–2.\n")


def test_an_unknown_exercise_is_a_plain_error(fake_course, cli):
    status, _, err = cli(fake_course, "hint", "07.1")
    assert status == 2 and err.startswith("No exercise 07.1.")
    assert "Traceback" not in err


def test_a_syntax_error_is_shown_with_its_line_and_no_test_runs(fake_course, cli, tmp_path):
    workspace = tmp_path / "work"
    cli(fake_course, "start", 1, workspace)
    greet = workspace / "tinyframe/greet.py"
    greet.write_text(
        greet.read_text().replace(
            '    """Return a greeting for ``name``."""',
            '    """Return a greeting for ``name``."""\n    return (name',
        )
    )
    status, out, _ = cli(fake_course, "check", 1, workspace)
    assert status == 1
    assert out.startswith("✗ Syntax error in tinyframe/greet.py, line 12: '(' was never closed\n")
    assert "     12 |     return (name\n        |            ^\n" in out
    assert progress(workspace)["exercises"] == {}


@pytest.mark.slow
def test_check_shows_the_first_failure_then_the_next_as_the_learner_progresses(fake_course, cli, tmp_path):
    workspace = tmp_path / "work"
    cli(fake_course, "start", 1, workspace)
    status, out, _ = cli(fake_course, "check", 1, workspace)
    assert status == 1
    assert "  · 01.1  Greeting (to write)\n  · 01.2  Shouting (to write)\n  ✓ other tests: all 1 pass\n" in out
    assert "Next: exercise 01.1 — Greeting\n" in out
    assert '  Test:   test_greet_names_the_person — greet("Ada") says hello to Ada.\n' in out
    assert "  Failed: NotImplementedError: exercise 01.1: return 'Hello, NAME!'\n" in out
    assert "  At:     " in out and "tinyframe/greet.py, line 12\n" in out
    assert f"Stuck? python -m chapters hint 01.1 {workspace}" in out
    assert "0 of 2 exercises of chapter 01 pass." in out

    greet = workspace / "tinyframe/greet.py"
    greet.write_text(
        greet.read_text().replace(
            "raise NotImplementedError(\"exercise 01.1: return 'Hello, NAME!'\")", 'return "Hi"'
        )
    )
    status, out, _ = cli(fake_course, "check", 1, workspace)
    assert "  ✗ 01.1  Greeting\n" in out, "written, and wrong"
    assert (
        "  Failed: greet('Ada') returned 'Hi', expected 'Hello, Ada!'\n" in out
    ), "the test's own message, alone"

    solve(fake_course, workspace, fake_course.exercise("01.1"))
    status, out, _ = cli(fake_course, "check", 1, workspace)
    assert "  ✓ 01.1  Greeting\n  · 01.2  Shouting (to write)\n" in out
    assert "Next: exercise 01.2 — Shouting" in out
    assert progress(workspace)["exercises"]["01.1"]["status"] == "passed"

    solve(fake_course, workspace, fake_course.exercise("01.2"))
    status, out, _ = cli(fake_course, "check", 1, workspace)
    assert status == 0
    assert f"✓ Every test passes.\nNext chapter: python -m chapters start 2 {workspace}" in out, "the workspace, named"


@pytest.mark.slow
def test_check_reports_code_that_fails_to_import(fake_course, cli, tmp_path):
    workspace = tmp_path / "work"
    cli(fake_course, "start", 1, workspace)
    with open(workspace / "tinyframe/greet.py", "a") as file:
        file.write("\nvolume = undefined_name\n")
    status, out, _ = cli(fake_course, "check", 1, workspace)
    assert status == 1
    assert "· 01.1  Greeting (not tested yet)" in out
    assert "  ✗ 1 test file could not be loaded\n" in out
    assert "tinyframe/greet.py failed, line 25: NameError: name 'undefined_name' is not defined\n" in out
    assert "     25 | volume = undefined_name\n        |          ^^^^^^^^^^^^^^\n" in out


@pytest.mark.slow
def test_a_misspelled_import_is_shown_like_a_syntax_error(fake_course, cli, tmp_path):
    workspace = tmp_path / "work"
    cli(fake_course, "start", 1, workspace)
    greet = workspace / "tinyframe/greet.py"
    greet.write_text("from tinyframe import greeet\n" + greet.read_text())
    status, out, _ = cli(fake_course, "check", 1, workspace)
    assert status == 1
    assert "Importing " in out and "greet.py failed, line 1: ImportError: cannot import name 'greeet'" in out
    assert "      1 | from tinyframe import greeet\n        | ^^^^^^^^^^^^^^^^^^^^^^^^^^^^\n" in out
    assert "Fix it, save, and check again." in out


@pytest.mark.slow
def test_check_reports_code_that_breaks_before_any_test_runs(make_fake_course, cli, tmp_path):
    course = Course(make_fake_course({"chapters/01_hello/tests/conftest.py": "import tinyframe.greet\n"}))
    workspace = tmp_path / "work"
    cli(course, "start", 1, workspace)
    with open(workspace / "tinyframe/greet.py", "a") as file:
        file.write("\nvolume = undefined_name\n")
    status, out, _ = cli(course, "check", 1, workspace)
    assert status == 1
    assert out.startswith("✗ No test could run: importing tinyframe failed.\n")
    assert "  Failed: NameError: name 'undefined_name' is not defined\n" in out
    assert "tinyframe/greet.py, line 25\n" in out


@pytest.mark.slow
def test_check_runs_earlier_chapters_for_regressions_and_tests_come_from_the_course(
    fake_course, cli, tmp_path
):
    workspace = tmp_path / "work"
    cli(fake_course, "start", 2, workspace)
    # Editing the workspace's copy of the tests (if it had one) changes nothing: the course's copy runs.
    (workspace / "chapters/02_more/tests").mkdir(parents=True)
    (workspace / "chapters/02_more/tests/test_greet.py").write_text("def test_nothing():\n    pass\n")
    greet = workspace / "tinyframe/greet.py"
    greet.write_text(greet.read_text().replace('return text.upper() + "!"', "return text"))
    status, out, _ = cli(fake_course, "check", 2, workspace)
    assert status == 1
    assert "  · 02.1  Doubling (to write)\n" in out
    assert "Earlier chapters, checked for regressions:\n  ✗ Chapter 01 — Hello: 1 of 3 failing\n" in out
    assert "Next: exercise 02.1 — Doubling" in out
    assert out.index("Next: exercise 02.1") < out.index("Earlier chapters"), "the current chapter comes first"


def test_a_test_that_only_ran_into_a_stub_waits_and_is_no_regression():
    """check's line for a group of tests: all pass, some wait for exercises, or some are broken."""
    passed = TestResult("t.py::test_a", "passed")
    waiting = [TestResult(f"t.py::test_{n}", "failed", stubbed_exercises=(exercise,))
               for n, exercise in [("b", "04.3"), ("c", "04.1"), ("d", "04.3")]]
    broken = TestResult("t.py::test_e", "failed")
    marked = TestResult("t.py::test_f", "failed", exercises=("04.5",))
    results = Results([passed, *waiting, broken, marked], 1, unwritten=frozenset({"04.5"}))
    assert summary_line("Chapter 01", [passed], results) == "✓ Chapter 01: all 1 pass"
    assert summary_line("Chapter 01", [passed, *waiting], results) == (
        "· Chapter 01: 1 of 4 pass; 3 wait until exercises 04.1, 04.3 are written"
    )
    assert summary_line("Chapter 01", [passed, waiting[0], broken], results) == (
        "✗ Chapter 01: 1 of 3 failing (1 waits until exercise 04.3 is written)"
    )
    assert summary_line("Chapter 01", [marked], results) == (
        "· Chapter 01: 0 of 1 pass; 1 waits until exercise 04.5 is written"
    ), "a test marked with an unwritten exercise waits for it, whatever its message"


@pytest.mark.parametrize(
    "outcomes, unwritten, status",
    [
        ([("passed", ()), ("failed", ("02.7",))], {"02.7"}, "passed"),
        ([("failed", ("02.7",))], {"02.7"}, "waiting"),
        ([("passed", ()), ("failed", ())], {"02.7"}, "failed"),
        ([("failed", ("02.3",))], {"02.3", "02.7"}, "todo"),
        ([], set(), "not_started"),
    ],
)
def test_an_exercise_whose_tests_wait_for_a_later_one_is_not_failed(outcomes, unwritten, status):
    """02.3 is written; its tests that run into 02.7's stub wait, and do not make it fail."""
    tests = [
        TestResult(f"t.py::test_{n}", outcome, exercises=("02.3",), stubbed_exercises=stubs)
        for n, (outcome, stubs) in enumerate(outcomes)
    ]
    assert Results(tests, 1, unwritten=frozenset(unwritten)).status("02.3") == status


@pytest.mark.slow
def test_check_says_which_exercise_a_waiting_test_needs(cli, make_fake_course, tmp_path):
    """A test that is not an exercise's but calls one still unwritten waits for it."""
    tests = """
        from tinyframe.more import double


        def test_doubling_a_greeting_length():
            assert double(len("Hi")) == 4


        def test_nothing_to_wait_for():
            pass
    """
    course = Course(make_fake_course({"chapters/02_more/tests/test_greet.py": tests}))
    workspace = tmp_path / "work"
    cli(course, "start", 2, workspace)
    status, out, _ = cli(course, "check", 2, workspace)
    assert status == 1
    assert "  · other tests: 1 of 2 pass; 1 waits until exercise 02.1 is written\n" in out


@pytest.mark.slow
def test_a_failed_comparison_of_values_or_long_texts_marks_the_first_difference(cli, make_fake_course, tmp_path):
    """Not only one-line strings: a tuple's repr, or the first differing line of a text, aligned with a caret."""
    tests = """
        from tinyframe.more import double


        def test_a_tuple():
            assert (f"NOT a = {double(1)}", ["x"]) == ("NOT (a = 2)", ["x"])
    """
    course = Course(make_fake_course({"chapters/02_more/tests/test_greet.py": tests}))
    workspace = tmp_path / "work"
    cli(course, "start", 2, workspace)
    solve(course, workspace, course.exercise("02.1"))
    _, out, _ = cli(course, "check", 2, workspace)
    assert "got:      ('NOT a = 2', ['x'])\n" in out, out
    assert "expected: ('NOT (a = 2)', ['x'])\n" in out, out
    assert "^ first difference: character 7" in out, out


@pytest.mark.slow
def test_a_failed_is_true_shows_what_came_back_after_the_tests_message(cli, make_fake_course, tmp_path):
    """``assert got is False, "the call"``: the message says what was asked, the values what came back."""
    tests = """
        from tinyframe.more import double


        def test_a_flag():
            assert double(1) is False, "double(1)"
    """
    course = Course(make_fake_course({"chapters/02_more/tests/test_greet.py": tests}))
    workspace = tmp_path / "work"
    cli(course, "start", 2, workspace)
    solve(course, workspace, course.exercise("02.1"))
    _, out, _ = cli(course, "check", 2, workspace)
    assert "double(1)" in out and "got:      2\n" in out and "expected: False\n" in out, out


@pytest.mark.slow
def test_check_leaves_tests_marked_slow_to_the_full_suite(cli, make_fake_course, tmp_path):
    """A test marked slow (processes racing, say) is not run by check, which must answer in two seconds."""
    tests = """
        import pytest

        from tinyframe.more import double


        def test_doubling():
            assert double(2) == 4


        @pytest.mark.slow
        def test_something_that_takes_seconds():
            raise AssertionError("check ran a slow test")
    """
    course = Course(make_fake_course({"chapters/02_more/tests/test_greet.py": tests}))
    workspace = tmp_path / "work"
    cli(course, "start", 2, workspace)
    solve(course, workspace, course.exercise("02.1"))
    status, out, _ = cli(course, "check", 2, workspace)
    assert "check ran a slow test" not in out
    assert "  ✓ other tests: all 1 pass\n" in out, out


@pytest.mark.slow
def test_an_earlier_chapter_runs_again_only_when_something_it_imports_changed(fake_course, cli, tmp_path):
    workspace = tmp_path / "work"
    cli(fake_course, "start", 2, workspace)
    _, out, _ = cli(fake_course, "check", 2, workspace)
    assert "  ✓ Chapter 01 — Hello: all 3 pass\n" in out, "the first check runs everything"

    solve(fake_course, workspace, fake_course.exercise("02.1"))
    _, out, _ = cli(fake_course, "check", 2, workspace)
    assert "  ✓ Chapter 01 — Hello: all 3 pass (nothing they use changed since the last check)\n" in out
    assert "  ✓ 02.1  Doubling\n" in out, "the current chapter always runs"

    # A chapter-02 edit in a file chapter 01's tests import, that breaks chapter 01: caught.
    greet = workspace / "tinyframe/greet.py"
    greet.write_text(greet.read_text().replace("volume = 11", "volume = 12"))
    status, out, _ = cli(fake_course, "check", 2, workspace)
    assert status == 1
    assert "  ✗ Chapter 01 — Hello: 1 of 3 failing\n" in out
    assert "Next: the failing test test_volume" in out

    greet.write_text(greet.read_text().replace("volume = 12", "volume = 11"))
    status, out, _ = cli(fake_course, "check", 2, workspace)
    assert status == 0 and "  ✓ Chapter 01 — Hello: all 3 pass\n" in out


@pytest.mark.slow
def test_a_new_file_in_the_implementation_runs_earlier_chapters_again(fake_course, cli, tmp_path):
    """A module found by listing a directory is imported by nothing yet: any new file counts."""
    workspace = tmp_path / "work"
    cli(fake_course, "start", 2, workspace)
    cli(fake_course, "check", 2, workspace)
    (workspace / "tinyframe/extra.py").write_text("EXTRA = 1\n")
    _, out, _ = cli(fake_course, "check", 2, workspace)
    assert "  ✓ Chapter 01 — Hello: all 3 pass\n" in out


def test_the_current_chapter_is_split_evenly_by_the_last_durations(fake_course, tmp_path):
    chapter = fake_course.chapter(1)
    for name in ("test_a.py", "test_b.py", "test_c.py"):
        (chapter.tests_directory / name).write_text("def test_x():\n    pass\n")
    assert len(split_tests(chapter, tmp_path, jobs=2)) == 1, "small files are not worth a second process"
    record = {"returncode": 0, "tests": [
        {"nodeid": f"chapters/01_hello/tests/{name}::test_x", "outcome": "passed", "duration": seconds}
        for name, seconds in [("test_a.py", 2.0), ("test_b.py", 1.5), ("test_c.py", 0.4), ("test_greet.py", 0.2)]
    ]}  # fmt: skip
    path = tmp_path / ".tinyframe-cache" / "results-01_hello.json"
    path.parent.mkdir()
    path.write_text(json.dumps({"format_version": 1, "fingerprint": {}, **record}))
    groups = [[file.name for file in group] for group in split_tests(chapter, tmp_path, jobs=2)]
    assert sorted(groups) == [["test_a.py"], ["test_b.py", "test_c.py", "test_greet.py"]]


@pytest.mark.slow
def test_check_verbose_shows_pytests_own_output(fake_course, tmp_path, capfd):
    cli_status = main(["--course", str(fake_course.root), "start", "1", str(tmp_path / "work")])
    assert cli_status == 0
    status = main(["--course", str(fake_course.root), "check", "1", str(tmp_path / "work"), "--verbose"])
    out, _ = capfd.readouterr()
    assert status == 1
    assert "FAILED" in out and "Next: exercise 01.1" in out


def test_check_says_how_to_install_pytest_when_it_is_missing(fake_course, cli, tmp_path, monkeypatch):
    cli(fake_course, "start", 1, tmp_path / "work")
    real_find_spec = __import__("importlib").util.find_spec
    monkeypatch.setattr(
        "importlib.util.find_spec",
        lambda name, *args: None if name == "pytest" else real_find_spec(name, *args),
    )
    status, out, _ = cli(fake_course, "check", 1, tmp_path / "work")
    assert status == 1
    assert "pytest is not installed" in out and "python -m pip install -e '.[test]'" in out


def test_hints_come_one_at_a_time_and_are_counted(fake_course, cli, tmp_path):
    workspace = tmp_path / "work"
    cli(fake_course, "start", 1, workspace)
    outputs = [cli(fake_course, "hint", "01.1", workspace)[1] for _ in range(4)]
    assert "Hint 1 of 3 for 01.1 — Greeting:\n\n  Use an f-string.\n" in outputs[0]
    assert f"Ask again for the next one: python -m chapters hint 01.1 {workspace}" in outputs[0]
    assert "Hint 2 of 3" in outputs[1] and "f'Hello, {name}!'" in outputs[1]
    assert "Hint 3 of 3" in outputs[2] and "Ask again" not in outputs[2]
    assert outputs[3] == f"No more hints for 01.1. See the reference: python -m chapters solution 01.1 {workspace}\n"
    assert progress(workspace)["exercises"]["01.1"]["hints_shown"] == 3


def test_a_hint_asked_while_check_runs_stays_counted(fake_course, cli, tmp_path, monkeypatch):
    # check loads the progress, runs the tests for seconds, then saves statuses: a hint
    # counted meanwhile (another terminal, or watch checking) must not be written over.
    workspace = tmp_path / "work"
    cli(fake_course, "start", 1, workspace)
    import chapters.check

    real_run_pytest = chapters.check.run_pytest

    def run_pytest_while_a_hint_is_asked(*args, **kwargs):
        results = real_run_pytest(*args, **kwargs)
        main(["--course", str(fake_course.root), "hint", "01.1", str(workspace)])
        return results

    monkeypatch.setattr(chapters.check, "run_pytest", run_pytest_while_a_hint_is_asked)
    cli(fake_course, "check", 1, workspace)
    assert progress(workspace)["exercises"]["01.1"]["hints_shown"] == 1


def test_a_hint_without_a_workspace_is_the_first_one(fake_course, cli, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    status, out, _ = cli(fake_course, "hint", "01.2")
    assert status == 0
    assert "Hint 1 of 1 for 01.2 — Shouting:\n\n  str.upper()\n" in out
    assert "hints are not counted" in out


def test_progress_keeps_keys_it_does_not_know(fake_course, cli, tmp_path):
    workspace = tmp_path / "work"
    cli(fake_course, "start", 1, workspace)
    data = progress(workspace)
    data["instructor_notes"] = {"seat": 12}
    data["exercises"]["01.1"] = {"status": "failed", "hints_shown": 0, "time_spent": 30}
    (workspace / PROGRESS_FILE).write_text(json.dumps(data))
    cli(fake_course, "hint", "01.1", workspace)
    data = progress(workspace)
    assert data["instructor_notes"] == {"seat": 12}
    assert data["exercises"]["01.1"]["time_spent"] == 30
    assert data["exercises"]["01.1"]["hints_shown"] == 1


def test_a_progress_file_from_a_newer_course_asks_for_an_upgrade(fake_course, cli, tmp_path):
    workspace = tmp_path / "work"
    cli(fake_course, "start", 1, workspace)
    (workspace / PROGRESS_FILE).write_text(json.dumps({"format_version": FORMAT_VERSION + 1}))
    status, _, err = cli(fake_course, "hint", "01.1", workspace)
    assert status == 2
    assert f"was written by a newer version of the course (format {FORMAT_VERSION + 1}" in err
    assert "Update the course" in err


def test_a_broken_progress_file_is_named(fake_course, cli, tmp_path):
    workspace = tmp_path / "work"
    cli(fake_course, "start", 1, workspace)
    (workspace / PROGRESS_FILE).write_text("{not json")
    status, _, err = cli(fake_course, "list", workspace)
    assert status == 2 and "is not valid JSON" in err


def test_reset_puts_the_stub_back_after_confirmation(fake_course, cli, tmp_path, monkeypatch):
    workspace = tmp_path / "work"
    cli(fake_course, "start", 1, workspace)
    solve(fake_course, workspace, fake_course.exercise("01.1"))
    solved = (workspace / "tinyframe/greet.py").read_text()

    monkeypatch.setattr("sys.stdin", io.StringIO("n\n"))
    status, out, _ = cli(fake_course, "reset", "01.1", workspace)
    assert status == 1 and "Nothing changed." in out
    assert (workspace / "tinyframe/greet.py").read_text() == solved

    monkeypatch.setattr("sys.stdin", io.StringIO("y\n"))
    status, out, _ = cli(fake_course, "reset", "01.1", workspace)
    assert status == 0 and "Exercise 01.1 is a stub again" in out
    text = (workspace / "tinyframe/greet.py").read_text()
    assert "    raise NotImplementedError(\"exercise 01.1: return 'Hello, NAME!'\")\n" in text
    assert "# A comment that every snapshot keeps." in text
    assert progress(workspace)["exercises"]["01.1"]["status"] == "not_started"


def test_reset_with_yes_does_not_ask(fake_course, cli, tmp_path, monkeypatch):
    workspace = tmp_path / "work"
    cli(fake_course, "start", 1, workspace)
    solve(fake_course, workspace, fake_course.exercise("01.2"))
    monkeypatch.setattr("sys.stdin", io.StringIO(""))
    status, _, _ = cli(fake_course, "reset", "01.2", workspace, "--yes")
    assert status == 0
    assert "@staticmethod\n    def shout(text):\n" in (workspace / "tinyframe/greet.py").read_text()
    assert 'raise NotImplementedError("exercise 01.2' in (workspace / "tinyframe/greet.py").read_text()


def test_reset_of_a_function_the_learner_removed_is_an_error(fake_course, cli, tmp_path):
    workspace = tmp_path / "work"
    cli(fake_course, "start", 1, workspace)
    (workspace / "tinyframe/greet.py").write_text("# empty now\n")
    status, _, err = cli(fake_course, "reset", "01.1", workspace, "--yes")
    assert status == 2 and "has no greet any more" in err


def test_snapshot_writes_a_directory_and_refuses_to_overwrite(fake_course, cli, tmp_path):
    status, out, _ = cli(fake_course, "snapshot", 2, tmp_path / "snap")
    assert status == 0 and "(3 files)" in out
    assert "def whisper" in (tmp_path / "snap/tinyframe/greet.py").read_text()
    status, _, err = cli(fake_course, "snapshot", 1, tmp_path / "snap")
    assert status == 2 and "already exists" in err


def test_sync_tutorials_checks_and_rewrites(fake_course, cli):
    tutorial = fake_course.root / "tutorials/01_hello.md"
    tutorial.write_text(tutorial.read_text().replace("# say hello", "# stale"))
    status, out, _ = cli(fake_course, "sync-tutorials", "--check")
    assert status == 1 and "01_hello.md:3: the block for tinyframe/greet.py:greet differs" in out
    status, out, _ = cli(fake_course, "sync-tutorials")
    assert status == 0 and "tutorials/01_hello.md: rewrote 1 code block(s) from the source" in out
    assert cli(fake_course, "sync-tutorials", "--check")[0] == 0


def test_watch_checks_again_when_a_file_changes(tmp_path):
    (tmp_path / "tinyframe").mkdir()
    module = tmp_path / "tinyframe/module.py"
    module.write_text("x = 1\n")
    checks = []

    def touch_later():
        time.sleep(0.2)
        module.write_text("x = 2\n")

    messages = []
    threading.Thread(target=touch_later).start()
    result = watch(tmp_path, lambda: checks.append(messages[-1]) or 0, write=messages.append,
                   interval=0.05, max_checks=2, stream=io.StringIO(""), clear=lambda: messages.append("clear"))  # fmt: skip
    assert result == 0 and len(checks) == 2
    assert checks[1] == "change detected in tinyframe/module.py — checking…", "said before the check runs"
    assert messages[-2:] == ["clear", "change detected in tinyframe/module.py — checking…"]


def test_watch_checks_again_when_enter_is_pressed(tmp_path):
    (tmp_path / "tinyframe").mkdir()
    messages = []
    result = watch(
        tmp_path, lambda: 1, write=messages.append, interval=0.05, max_checks=3, stream=io.StringIO("\n\n")
    )
    assert result == 1
    assert len([message for message in messages if "press Enter" in message]) == 2


def test_watch_stops_cleanly_on_ctrl_c(tmp_path):
    (tmp_path / "tinyframe").mkdir()
    messages = []

    def interrupted():
        raise KeyboardInterrupt

    assert watch(tmp_path, interrupted, write=messages.append, stream=io.StringIO("")) == 1
    assert messages == ["\nStopped watching."]


@pytest.mark.slow
def test_watch_once_runs_one_check(fake_course, cli, tmp_path):
    cli(fake_course, "start", 1, tmp_path / "work")
    status, out, _ = cli(fake_course, "watch", 1, tmp_path / "work", "--once")
    assert status == 1
    assert "Next: exercise 01.1" in out and "Watching" not in out


def test_a_test_that_loops_for_ever_is_stopped_and_the_run_goes_on(tmp_path):
    """``--test-timeout`` (``check`` passes it) turns an endless loop into one failed test, not a silent hang."""
    (tmp_path / "test_loop.py").write_text(
        "def test_loops():\n    while True:\n        pass\n\n\ndef test_after_it():\n    assert True\n"
    )
    completed = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-p", "chapters.pytest_plugin",
         "--rootdir", str(tmp_path), "--test-timeout", "0.5", "test_loop.py"],
        cwd=tmp_path, capture_output=True, text=True, timeout=60, env={**os.environ, "PYTHONPATH": str(ROOT)},
    )  # fmt: skip
    assert "1 failed, 1 passed" in completed.stdout, completed.stdout + completed.stderr
    assert "TestTimedOut: the test ran for more than 0.5 seconds and was stopped" in completed.stdout


@pytest.mark.slow
@pytest.mark.parametrize("number, not_imported", [(4, "tinyframe/contrib/"), (10, "tinyframe/contrib/admin/")])
def test_an_earlier_chapter_s_run_does_not_import_later_apps(course, number, not_imported):
    """So editing the admin in chapter 11 does not make check run chapters 01-10 again (chapters.freshness)."""
    from chapters.runner import run_tests

    results = run_tests(course, course.root, [course.chapter(number)])
    assert results.ran and results.returncode == 0, results.output[-2000:]
    later = [path for path in results.imported if path.startswith(not_imported)]
    assert not later, f"chapter {number:02d}'s tests imported {later[:5]}: its run installed a later chapter's app"
