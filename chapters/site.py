"""``python -m chapters site``: the example blog, served by the learner's own framework.

How it works: the blog in ``tutorials/site`` is the finished one, and uses
every chapter (its pages are templates, its posts rows, its comments a form,
its visitors users, and it has an admin). A workspace at chapter 06 has only
chapters 01–06, so the blog cannot run on it alone. ``framework_files``
completes it: the learner's files for the chapters they have, then each
later chapter's reference code added the way ``start`` adds a chapter (new
files copied, blocks merged into the learner's files by ``merge_blocks``),
with that chapter's exercises solved. The request a visitor makes goes
through the learner's handler, URLs, templates, ORM..., and through the
course's code only for what they have not built yet.

``prepare_site`` writes that framework into ``.tinyframe-site/`` in the
workspace, written afresh every time, and copies the blog into ``site/``
once: from then on it is the learner's to change (chapter 04 connects a
receiver in its ``mysite/wsgi.py``, chapter 08 changes a model), and it
keeps its database, ``site/db.sqlite3``. ``site_commands`` are the README's:
``migrate --fake-initial``, ``ensuresuperuser``, ``runserver``; they run
from the framework's folder, so ``python -m tinyframe`` imports that copy.
"""

import os
import pathlib
import shutil
import signal
import subprocess
import sys

from chapters.course import Course
from chapters.staging import is_binary, snapshot_files, write_files
from chapters.tutorials import copy_site
from chapters.workspace import Workspace, merge_blocks, newest_chapter

BUILD_DIRECTORY = ".tinyframe-site"
SITE_DIRECTORY = "site"
SETTINGS = "mysite.settings"


def framework_files(course: Course, workspace: Workspace) -> tuple[dict[str, bytes], list[str]]:
    """The whole framework: the workspace's files, then each later chapter's added; and notes on blocks not placed.

    A file the learner does not have (deleted, or never given) comes from
    the reference. The notes are ``merge_blocks``'s: a later chapter's lines
    that could not be placed, because the learner changed the lines around
    where they go.
    """
    newest = newest_chapter(course, workspace)
    files = {}
    for path, data in snapshot_files(course, newest).items():
        own = workspace.root.joinpath(*path.split("/"))
        files[path] = own.read_bytes() if own.is_file() else data
    notes: list[str] = []
    before = snapshot_files(course, newest)
    for chapter in course.chapters:
        if chapter.number <= newest:
            continue
        after = snapshot_files(course, chapter.number)
        for path, data in after.items():
            if path not in files or is_binary(data):
                files[path] = data
            elif before.get(path) != data:
                merged, more = merge_blocks(files[path].decode("utf-8"), before[path].decode("utf-8"), data.decode("utf-8"), path)
                files[path] = merged.encode("utf-8")
                notes.extend(more)
        before = after
    return files, notes


def prepare_site(course: Course, workspace: Workspace) -> tuple[pathlib.Path, pathlib.Path, list[str]]:
    """Write the framework and, the first time, the blog into the workspace; ``(framework, site, messages)``."""
    newest = newest_chapter(course, workspace)
    last = course.chapters[-1].number
    files, notes = framework_files(course, workspace)
    build = workspace.root / BUILD_DIRECTORY
    shutil.rmtree(build, ignore_errors=True)
    write_files(files, build)
    if newest < last:
        chapters = f"chapter {last:02d}" if newest + 1 == last else f"chapters {newest + 1:02d}–{last:02d}"
        ahead = f"and the course's code for {chapters} (their exercises solved)"
        messages = [f"The example site on your framework: your chapters 01–{newest:02d}, {ahead}."]
    else:
        messages = ["The example site on your framework: every chapter yours."]
    messages.extend(notes)
    site = workspace.root / SITE_DIRECTORY
    if not site.exists():
        copy_site(course.root, last, site)
        messages.append(
            f"Copied the blog into {site}: it is yours to change, with its database "
            "(delete the folder to take the course's again)."
        )
    return build, site, messages


def site_commands(site: pathlib.Path, port: str | None = None, manage: list[str] | None = None) -> list[list[str]]:
    """The commands to run from the framework's folder: ``manage`` alone, or the README's three, which serve the site."""
    where = ["--pythonpath", str(site), "--settings", SETTINGS]
    tinyframe = [sys.executable, "-m", "tinyframe"]
    if manage:
        return [[*tinyframe, *manage, *where]]
    return [
        [*tinyframe, "migrate", "--fake-initial", *where],
        [*tinyframe, "ensuresuperuser", *where],
        [*tinyframe, "runserver", *([port] if port else []), *where],
    ]


def site_environment(workspace: Workspace) -> dict[str, str]:
    """The environment the commands run in: this one, plus how to run a command on this site.

    The blog tells its users how to run a command on it (``ensuresuperuser``
    names ``changepassword`` for a forgotten password): from a workspace that
    is this tool's ``--run``, not the README's command, which names the
    course's own copy of the blog.
    """
    command = f"python -m chapters site {workspace.root} --run {{command}}"
    return {**os.environ, "TINYFRAME_SITE_COMMAND": command}


def run_commands(commands: list[list[str]], framework: pathlib.Path, environment: dict[str, str] | None = None) -> int:
    """Run the commands in turn from ``framework`` (so its ``tinyframe`` is the one imported); the first failure's status.

    A command still running when this process is stopped is stopped too:
    Ctrl-C reaches both anyway, but a ``kill`` of this process alone would
    leave ``runserver`` holding the port, its parent gone.
    """
    previous = signal.signal(signal.SIGTERM, stop)
    try:
        for command in commands:
            with subprocess.Popen(command, cwd=framework, env=environment) as process:
                try:
                    status = process.wait()
                except BaseException:  # KeyboardInterrupt, or the SystemExit of stop()
                    process.terminate()
                    raise
            if status:
                return status
        return 0
    finally:
        signal.signal(signal.SIGTERM, previous)


def stop(signal_number, frame) -> None:
    """SIGTERM's handler while commands run: leave through ``run_commands``, which stops the one running."""
    raise SystemExit(128 + signal_number)
