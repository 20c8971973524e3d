"""``python -m chapters update``: the course changes after a learner starts (a ``git pull``), and their work survives."""

import json
import pathlib

import pytest

from chapters.course import Course
from chapters.workspace import PROGRESS_FILE, RECORD_KEY, read_progress

# Run from a directory of its own, so no workspace is found by accident.
pytestmark = pytest.mark.usefixtures("elsewhere")


MY_GREET = 'return "my own " + name'


def write_greet(workspace: pathlib.Path, body: str = MY_GREET) -> pathlib.Path:
    """The learner writes exercise 01.1 their own way."""
    greet = workspace / "tinyframe/greet.py"
    greet.write_text(greet.read_text().replace("raise NotImplementedError(\"exercise 01.1: return 'Hello, NAME!'\")", body))
    return greet


def change_course(course, path: str, old: str, new: str):
    """Edit a file of the course, as a ``git pull`` would, and load the course again."""
    target = course.root / path
    text = target.read_text()
    assert old in text
    target.write_text(text.replace(old, new))
    return Course(course.root)


def test_check_warns_when_the_course_changed_and_update_brings_the_change_in(fake_course, cli, tmp_path):
    workspace = tmp_path / "work"
    cli(fake_course, "start", 1, workspace)
    greet = write_greet(workspace)
    assert cli(fake_course, "check", 1, workspace)[1].startswith("Chapter 01")  # no warning: nothing changed
    course = change_course(fake_course, "tinyframe/greet.py", "# A comment that every snapshot keeps.", "# Changed.")
    course = change_course(course, "chapters/01_hello/chapter.toml", '"tinyframe/greet.py"]', '"tinyframe/greet.py", "tinyframe/extra.py"]')
    (course.root / "tinyframe/extra.py").write_text("EXTRA = 1\n")

    status, out, _ = cli(course, "check", 1, workspace)
    assert out.startswith(
        "! The course has changed since this workspace took its files (tinyframe/extra.py, tinyframe/greet.py),\n"
    )
    assert f"python -m chapters update {workspace}" in out

    status, out, _ = cli(course, "update", workspace)
    assert status == 0
    assert out == (
        "Updated tinyframe/greet.py from the course (your exercises kept).\n"
        "Added tinyframe/extra.py (new in the course).\n"
    )
    text = greet.read_text()
    assert "# Changed." in text and MY_GREET in text
    assert 'raise NotImplementedError("exercise 01.2' in text  # the exercise not written yet stays a stub
    assert (workspace / "tinyframe/extra.py").read_text() == "EXTRA = 1\n"
    assert "nothing to update" in cli(course, "update", workspace)[1]
    assert cli(course, "check", 1, workspace)[1].startswith("Chapter 01")


def test_update_leaves_a_file_the_learner_changed_elsewhere_until_asked_and_saves_their_copy(fake_course, cli, tmp_path):
    workspace = tmp_path / "work"
    cli(fake_course, "start", 1, workspace)
    greet = write_greet(workspace)
    greet.write_text(greet.read_text() + "\nDEBUG = True\n")  # outside the exercises
    course = change_course(fake_course, "tinyframe/greet.py", "# A comment that every snapshot keeps.", "# Changed.")

    status, out, _ = cli(course, "update", workspace)
    assert status == 0
    assert "Left as they are, because they differ from the course outside your exercises" in out
    assert "    tinyframe/greet.py\n" in out and "python -m chapters update --overwrite" in out
    assert "DEBUG = True" in greet.read_text() and "# Changed." not in greet.read_text()

    status, out, _ = cli(course, "update", workspace, "--overwrite")
    assert status == 0 and "Updated tinyframe/greet.py from the course (your exercises kept)." in out
    text = greet.read_text()
    assert "# Changed." in text and MY_GREET in text and "DEBUG" not in text
    [saved] = (workspace / ".tinyframe-backup").glob("*/tinyframe/greet.py")
    assert "DEBUG = True" in saved.read_text() and MY_GREET in saved.read_text()


def test_update_takes_the_new_reference_of_a_chapter_that_came_solved(fake_course, cli, tmp_path):
    workspace = tmp_path / "work"
    cli(fake_course, "start", 2, workspace)  # chapter 01 comes solved: its bodies are the course's
    more = workspace / "tinyframe/more.py"
    more.write_text(more.read_text().replace('raise NotImplementedError("exercise 02.1: return twice the number")', "return number + number"))
    course = change_course(fake_course, "tinyframe/greet.py", "    # say hello\n", "    # say hello, kindly\n")

    status, out, _ = cli(course, "update", workspace)
    assert out == "Updated tinyframe/greet.py from the course (your exercises kept).\n"
    assert "# say hello, kindly" in (workspace / "tinyframe/greet.py").read_text()
    assert "return number + number" in more.read_text()


def test_a_reworded_exercise_reaches_the_learner_with_their_code_kept(fake_course, cli, tmp_path):
    workspace = tmp_path / "work"
    cli(fake_course, "start", 1, workspace)
    greet = write_greet(workspace)
    course = change_course(
        fake_course, "tinyframe/greet.py", '"""Return a greeting for ``name``."""', '"""Return ``Hello, NAME!`` for ``name``."""'
    )

    assert "! The course has changed since this workspace took its files (tinyframe/greet.py)" in cli(course, "check", 1, workspace)[1]
    status, out, _ = cli(course, "update", workspace)
    assert status == 0
    assert out == (
        "Updated tinyframe/greet.py from the course (your exercises kept).\n"
        "The instructions of exercise 01.1 changed: read its docstring again (your code below it is kept).\n"
    )
    text = greet.read_text()
    assert '"""Return ``Hello, NAME!`` for ``name``."""' in text and MY_GREET in text
    assert "! The course has changed" not in cli(course, "check", 1, workspace)[1]


def test_update_of_a_workspace_without_fingerprints_changes_nothing_it_cannot_tell(fake_course, cli, tmp_path):
    workspace = tmp_path / "work"
    cli(fake_course, "start", 1, workspace)
    greet = write_greet(workspace)
    data = read_progress(workspace / PROGRESS_FILE)
    del data[RECORD_KEY]  # started before the course recorded them
    (workspace / PROGRESS_FILE).write_text(json.dumps(data))
    assert cli(fake_course, "check", 1, workspace)[1].startswith("Chapter 01")  # it cannot tell: no warning
    assert "nothing to update" in cli(fake_course, "update", workspace)[1]  # same as the course: recorded now
    course = change_course(fake_course, "tinyframe/greet.py", "# A comment that every snapshot keeps.", "# Changed.")
    assert "! The course has changed" in cli(course, "check", 1, workspace)[1]
    assert "Updated tinyframe/greet.py" in cli(course, "update", workspace)[1]
    assert MY_GREET in greet.read_text()


def test_update_names_a_file_whose_exercise_cannot_be_read(fake_course, cli, tmp_path):
    workspace = tmp_path / "work"
    cli(fake_course, "start", 1, workspace)
    greet = workspace / "tinyframe/greet.py"
    greet.write_text(greet.read_text().replace("def greet(name):", "def greeting(name):"))
    course = change_course(fake_course, "tinyframe/greet.py", "# A comment that every snapshot keeps.", "# Changed.")
    out = cli(course, "update", workspace, "--overwrite")[1]
    assert "Not updated, because an exercise in them cannot be read" in out and "    tinyframe/greet.py" in out
    assert "def greeting(name):" in greet.read_text()


def test_starting_the_next_chapter_brings_the_course_s_changes_in_first(fake_course, cli, tmp_path):
    workspace = tmp_path / "work"
    cli(fake_course, "start", 1, workspace)
    greet = write_greet(workspace)
    course = change_course(fake_course, "tinyframe/greet.py", "# A comment that every snapshot keeps.", "# Changed.")

    status, out, _ = cli(course, "start", 2, workspace)
    assert status == 0
    assert out.startswith(
        "The course has changed since this workspace took its files; bringing the changes in first.\n"
        "Updated tinyframe/greet.py from the course (your exercises kept).\n"
    )
    text = greet.read_text()
    assert "# Changed." in text and MY_GREET in text and "def whisper(self, text):" in text  # chapter 02's block too
    assert "! The course has changed" not in cli(course, "check", 2, workspace)[1]


def test_a_change_left_alone_is_still_named_after_the_next_chapter_starts(fake_course, cli, tmp_path):
    workspace = tmp_path / "work"
    cli(fake_course, "start", 1, workspace)
    greet = write_greet(workspace)
    greet.write_text(greet.read_text() + "\nDEBUG = True\n")  # outside the exercises: update leaves the file
    course = change_course(fake_course, "tinyframe/greet.py", "# A comment that every snapshot keeps.", "# Changed.")

    out = cli(course, "start", 2, workspace)[1]
    assert "Left as they are" in out and "# Changed." not in greet.read_text()
    assert "! The course has changed since this workspace took its files (tinyframe/greet.py)" in cli(course, "check", 2, workspace)[1]
    cli(course, "update", workspace, "--overwrite")
    text = greet.read_text()
    assert "# Changed." in text and MY_GREET in text and "def whisper(self, text):" in text
