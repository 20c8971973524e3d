"""The tutorials show the real code, and their examples run."""

import pathlib
import textwrap

import pytest

from chapters import tutorials
from chapters.course import Course
from chapters.tutorials import (
    SYNC_COMMAND,
    TutorialError,
    check_tutorial,
    run_doctests,
    source_blocks,
    sync_tutorial,
)

ROOT = pathlib.Path(__file__).resolve().parent.parent
TUTORIALS = sorted(path.name for path in (ROOT / "tutorials").glob("*.md"))


@pytest.mark.parametrize("name", TUTORIALS)
def test_every_source_block_shows_its_source(name):
    mismatches = check_tutorial(ROOT / "tutorials" / name, ROOT)
    assert not mismatches, "\n".join(map(str, mismatches)) + f"\nRun {SYNC_COMMAND} to rewrite them."


@pytest.mark.parametrize("name", TUTORIALS)
def test_no_tutorial_prints_an_exercises_solution(name):
    """Spoilers only on request (``python -m chapters solution ID``): a tutorial explains an exercise, never quotes it."""
    targets = {exercise.target: exercise.id for exercise in Course(ROOT).exercises()}
    text = (ROOT / "tutorials" / name).read_text(encoding="utf-8")
    quoted = [f"{block.spec} (exercise {targets[block.spec]})" for block in source_blocks(text, name)
              if block.spec in targets]  # fmt: skip
    assert not quoted, f"{name} quotes the reference solution of " + ", ".join(quoted)


@pytest.mark.slow
@pytest.mark.parametrize("name", TUTORIALS)
def test_every_tutorial_example_runs(name):
    result = run_doctests(ROOT / "tutorials" / name, ROOT)
    assert (
        result.failed == 0
    ), f"{name}: {result.failed} of {result.attempted} examples failed:\n{result.output}"



README_RUN_COMMAND = next(
    line for line in (ROOT / "README.md").read_text().splitlines() if line.startswith("python -m tinyframe") and "runserver" in line
)


@pytest.mark.parametrize("name", TUTORIALS)
def test_a_command_that_serves_the_course_s_site_is_the_readme_s(name):
    """From a fresh clone the site has no database yet: only the README's command migrates before serving."""
    text = (ROOT / "tutorials" / name).read_text().replace("\\\n", " ")
    for line in text.splitlines():
        if line.startswith("python -m tinyframe") and "runserver" in line and "tutorials/site" in line:
            assert line == README_RUN_COMMAND, f"{name}: {line}"


def test_source_blocks_are_found_after_their_marker():
    text = (
        "Intro\n<!--  source: tinyframe/a.py  -->\n~~~python\nx = 1\n~~~\n\n```python\nnot = 'marked'\n```\n"
    )
    [block] = source_blocks(text)
    assert (block.spec, block.marker_line, block.start, block.end, block.text) == (
        "tinyframe/a.py",
        2,
        4,
        4,
        "x = 1\n",
    )


@pytest.mark.parametrize(
    "text, message",
    [
        (
            "<!-- source: tinyframe/a.py -->\n\n```python\nx\n```\n",
            "t.md:1: a source marker must be followed at once",
        ),
        ("<!-- source: tinyframe/a.py -->\n```python\nx\n", "t.md:2: the code block is never closed"),
    ],
)
def test_a_marker_without_its_block_is_an_error(text, message):
    with pytest.raises(TutorialError, match=message):
        source_blocks(text, "t.md")


def test_blocks_in_sync_have_no_mismatch(fake_course):
    assert check_tutorial(fake_course.root / "tutorials/01_hello.md") == []


def test_a_block_that_differs_is_reported_and_synced(fake_course):
    tutorial = fake_course.root / "tutorials/01_hello.md"
    tutorial.write_text(tutorial.read_text().replace("# say hello", "# an old comment"))
    [mismatch] = check_tutorial(tutorial)
    assert str(mismatch) == (
        f"01_hello.md:3: the block for tinyframe/greet.py:greet differs from the source; run {SYNC_COMMAND}"
    )
    assert sync_tutorial(tutorial) == 1
    assert check_tutorial(tutorial) == []
    assert "# say hello" in tutorial.read_text()
    assert sync_tutorial(tutorial) == 0


def test_blocks_show_the_code_as_of_the_tutorials_chapter(fake_course):
    tutorial = fake_course.root / "tutorials/01_hello.md"
    tutorial.write_text(
        tutorial.read_text()
        + "\n<!-- source: tinyframe/greet.py:Shouter -->\n```python\n```\n"
        + "\n<!-- source: tinyframe/more.py -->\n```python\n```\n"
    )
    assert sync_tutorial(tutorial) == 2
    text = tutorial.read_text()
    assert "class Shouter:" in text and "whisper" not in text, "chapter 01's tutorial shows chapter 01's code"
    assert '"""More things, added by chapter 02."""' in text


def test_a_block_naming_nothing_is_reported(fake_course):
    tutorial = fake_course.root / "tutorials/01_hello.md"
    tutorial.write_text("<!-- source: tinyframe/greet.py:missing -->\n```python\n```\n")
    [mismatch] = check_tutorial(tutorial)
    assert (
        "points nowhere (tinyframe/greet.py:missing: no function or class missing in tinyframe/greet.py)"
        in str(mismatch)
    )


@pytest.mark.slow
def test_run_doctests_counts_and_reports_failures(fake_course):
    tutorial = fake_course.root / "tutorials/02_more.md"
    assert run_doctests(tutorial).failed == 0
    assert run_doctests(tutorial).attempted == 2
    tutorial.write_text(textwrap.dedent(tutorial.read_text()).replace("4", "5"))
    result = run_doctests(tutorial)
    assert (result.attempted, result.failed) == (2, 1)
    assert "Expected:\n    5\nGot:\n    4" in result.output


@pytest.mark.slow
def test_a_tutorial_without_examples_passes(fake_course):
    tutorial = fake_course.root / "tutorials/03_none.md"
    tutorial.write_text("# Nothing to run\n")
    assert run_doctests(tutorial).failed == 0


@pytest.mark.slow
def test_examples_inside_source_blocks_belong_to_their_module_not_the_tutorial(fake_course):
    tutorial = fake_course.root / "tutorials/01_hello.md"
    tutorial.write_text("<!-- source: tinyframe/greet.py -->\n```python\n```\n\n>>> 2 * 21\n42\n")
    sync_tutorial(tutorial)
    assert '>>> greet("Ada")' in tutorial.read_text()
    result = run_doctests(tutorial)
    assert (result.attempted, result.failed) == (1, 0), result.output


@pytest.mark.slow
def test_examples_see_the_example_site_as_it_stood_after_their_chapter(fake_course, monkeypatch):
    monkeypatch.setattr(tutorials, "SITE_STAGED_AFTER", 1)
    site = fake_course.root / "tutorials/site"
    site.mkdir()
    (site / "settings.py").write_text('APPS = ["blog"]\n# >>> 02_more\nAPPS += ["users"]\n# <<< 02_more\n')
    example = '>>> exec(open("tutorials/site/settings.py").read()); APPS\n'
    first, second = fake_course.root / "tutorials/01_hello.md", fake_course.root / "tutorials/02_more.md"
    first.write_text(example + "['blog']\n")
    second.write_text(example + "['blog', 'users']\n")
    assert run_doctests(first).failed == 0, run_doctests(first).output
    assert run_doctests(second).failed == 0, run_doctests(second).output
    assert (site / "settings.py").read_text().count(">>> 02_more") == 1, "the site itself is left as it is"
