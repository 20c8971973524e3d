"""``python -m chapters site``: the example blog runs on a learner's framework at any chapter."""

import subprocess

import pytest

from chapters.course import Course
from chapters.runner import MACHINERY_ROOT
from chapters.site import SITE_DIRECTORY, framework_files, prepare_site, site_commands, site_environment
from chapters.staging import snapshot_files, write_files
from chapters.workspace import Workspace, start_chapter

COURSE = Course(MACHINERY_ROOT)
LAST = COURSE.chapters[-1].number


def solved_workspace(directory, number: int) -> Workspace:
    """A workspace at chapter ``number`` whose exercises are all written, as the reference writes them."""
    start_chapter(COURSE, number, directory)
    write_files(snapshot_files(COURSE, number), directory)
    return Workspace(directory)


@pytest.mark.parametrize("number", [2, 6])
def test_a_solved_workspace_completed_by_the_chapters_ahead_is_the_finished_framework(tmp_path, number):
    files, notes = framework_files(COURSE, solved_workspace(tmp_path / "work", number))
    assert notes == []
    assert files == snapshot_files(COURSE, LAST)


def test_the_learner_s_own_lines_are_what_runs_with_the_later_chapters_added_around_them(tmp_path):
    workspace = solved_workspace(tmp_path / "work", 2)
    early, final = snapshot_files(COURSE, 2), snapshot_files(COURSE, LAST)
    path = next(path for path in sorted(early) if path.endswith(".py") and early[path] != final[path])
    own = workspace.root / path
    own.write_text("# my own first line\n" + own.read_text())

    files, notes = framework_files(COURSE, workspace)
    assert notes == []
    assert files[path].decode() == "# my own first line\n" + final[path].decode()


@pytest.mark.slow
def test_the_blog_serves_its_front_page_on_a_chapter_06_framework(tmp_path):
    workspace = solved_workspace(tmp_path / "work", 6)
    framework, site, messages = prepare_site(COURSE, workspace)
    assert messages[0] == (
        "The example site on your framework: your chapters 01–06, and the course's code for "
        f"chapters 07–{LAST:02d} (their exercises solved)."
    )
    assert site == workspace.root / SITE_DIRECTORY and (site / "manage.py").exists()
    front_page = "from tinyframe.test import Client; print(Client().get('/').status_code)"
    environment = site_environment(workspace)
    outputs = []
    for manage in (["migrate", "--fake-initial"], ["ensuresuperuser"], ["ensuresuperuser"], ["shell", "-c", front_page]):
        (command,) = site_commands(site, manage=manage)
        result = subprocess.run(command, cwd=framework, env=environment, capture_output=True, text=True, timeout=120)
        assert result.returncode == 0, result.stderr
        outputs.append(result.stdout)
    assert outputs[-1].strip().endswith("200")
    assert "password:" in outputs[1]
    forgotten = f"(forgotten the password? python -m chapters site {workspace.root} --run changepassword admin)"
    assert forgotten in outputs[2], "the site names the command that works from the workspace"
    assert (site / "db.sqlite3").exists(), "the blog's database is the workspace's own"


def test_the_blog_is_copied_once_and_then_left_to_the_learner(tmp_path):
    workspace = solved_workspace(tmp_path / "work", 2)
    _, site, messages = prepare_site(COURSE, workspace)
    assert any("Copied the blog into" in line for line in messages)
    settings = site / "mysite" / "settings.py"
    settings.write_text(settings.read_text() + "\n# mine\n")
    _, _, messages = prepare_site(COURSE, workspace)
    assert not any("Copied the blog into" in line for line in messages)
    assert settings.read_text().endswith("# mine\n")
