"""``python -m chapters``: the learner's tool, like rustlings for a web framework.

How it works: ``main`` parses the command line with ``argparse`` and calls one
small function per command; each reads the course (``Course``) and, when it
needs one, the workspace (``find_workspace``), then hands the real work to the
modules of this package. Mistakes a learner can make (an unknown chapter, no
workspace, a syntax error) are ``USER_ERRORS``: they print one plain message and
exit with status 2, never a traceback.

    python -m chapters list                 the course map and your progress
    python -m chapters start 1 DIR          a workspace for chapter 1
    python -m chapters check 1 [DIR]        run chapter 1's tests on your code
    python -m chapters watch 1 [DIR]        check again on every save
    python -m chapters hint 01.3            a nudge; ask again for more
    python -m chapters solution 01.3        the reference code of an exercise
    python -m chapters reset 01.3 [DIR]     put an exercise's stub back
    python -m chapters update [DIR]         bring a newer course's files in, your exercises kept
    python -m chapters site [DIR]           serve the example blog on your framework
    python -m chapters snapshot 3 DIR       the framework as it stands after chapter 3
    python -m chapters diff 3               what chapter 3 changes (exercises stubbed)

For the course's maintainers, and left out of ``--help``:

    python -m chapters sync-tutorials       rewrite the tutorials' code from the source
"""

import argparse
import os
import pathlib
import sys

from chapters.check import check, display_path, workspace_argument
from chapters.course import Course, CourseError
from chapters.runner import MACHINERY_ROOT
from chapters.site import prepare_site, run_commands, site_commands, site_environment
from chapters.source import replace_definition
from chapters.staging import StagingError, diff, snapshot
from chapters.stubs import StubError, extract_solution, starter_files, stubbed_definition
from chapters.tutorials import TutorialError, check_tutorial, sync_tutorial
from chapters.update import update_workspace
from chapters.watch import watch
from chapters.workspace import (
    DEFAULT_DIRECTORY,
    Workspace,
    WorkspaceError,
    course_changes,
    find_workspace,
    find_workspace_or_none,
    is_workspace,
    start_chapter,
)

USER_ERRORS = (CourseError, WorkspaceError, StagingError, StubError, TutorialError)
STATUS_MARKS = {"passed": "✓", "failed": "✗", "waiting": "·", "not_started": "·"}


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m chapters",
        description="Build tinyframe, a small Django, chapter by chapter.",
    )
    parser.add_argument(
        "--course",
        type=pathlib.Path,
        default=MACHINERY_ROOT,
        help="the course directory (default: %(default)s)",
    )
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)

    def command(name, function, help, listed=True):
        # A command added without help= is left out of the list --help prints.
        sub = commands.add_parser(name, description=help, **({"help": help} if listed else {}))
        sub.set_defaults(function=function)
        return sub

    def workspace_argument(sub):
        sub.add_argument("directory", nargs="?", metavar="DIR", help="the workspace (default: found from here)")

    sub = command("list", list_command, "show the course map and your progress")
    workspace_argument(sub)
    sub = command("start", start_command, "start a chapter in a new or existing workspace")
    sub.add_argument("chapter", metavar="N")
    sub.add_argument(
        "directory", nargs="?", metavar="DIR",
        help=f"the workspace (default: the one you are in, else a new ./{DEFAULT_DIRECTORY})",
    )
    sub = command("check", check_command, "run a chapter's tests (and the earlier chapters') on your code")
    sub.add_argument("chapter", metavar="N")
    workspace_argument(sub)
    sub.add_argument("--verbose", "-v", action="store_true", help="show pytest's full output too")
    sub = command("watch", watch_command, "check again every time you save a file")
    sub.add_argument("chapter", metavar="N")
    workspace_argument(sub)
    sub.add_argument("--verbose", "-v", action="store_true", help="show pytest's full output too")
    sub.add_argument("--interval", type=float, default=0.5, help="seconds between looks at the files")
    sub.add_argument("--max-checks", type=int, default=None, metavar="K", help="stop after K checks")
    sub.add_argument("--once", dest="max_checks", action="store_const", const=1, help="check once and stop")
    sub = command("hint", hint_command, "a hint for an exercise; ask again for the next one")
    sub.add_argument("exercise", metavar="ID")
    workspace_argument(sub)
    sub = command("solution", solution_command, "print the reference code of an exercise (a spoiler)")
    sub.add_argument("exercise", metavar="ID")
    workspace_argument(sub)
    sub = command("reset", reset_command, "put an exercise's stub back in your workspace")
    sub.add_argument("exercise", metavar="ID")
    workspace_argument(sub)
    sub.add_argument("--yes", "-y", action="store_true", help="do not ask for confirmation")
    sub = command("update", update_command, "bring in the files the course changed since you started")
    workspace_argument(sub)
    sub.add_argument(
        "--overwrite",
        action="store_true",
        help="also replace files you changed outside your exercises (your copies are saved first)",
    )
    sub = command("site", site_command, "serve the example blog on your framework (the course's code for chapters ahead)")
    workspace_argument(sub)
    sub.add_argument("--port", metavar="PORT", help="the port (or address:port) to serve on (default: 8000)")
    sub.add_argument(
        "--run",
        nargs=argparse.REMAINDER,
        metavar="COMMAND",
        help="run this tinyframe command on the site instead of serving it (e.g. --run makemigrations blog)",
    )
    sub = command("snapshot", snapshot_command, "write the framework as it stands after chapter N")
    sub.add_argument("chapter", metavar="N")
    sub.add_argument("directory", metavar="DIR")
    sub = command("diff", diff_command, "show what chapter N changes, as a diff (exercise bodies stubbed)")
    sub.add_argument("chapter", metavar="N")
    sub.add_argument("--solutions", action="store_true", help="show the exercises' bodies too (spoilers)")
    sub = command(
        "sync-tutorials",
        sync_tutorials_command,
        "rewrite the tutorials' code blocks from the source (for maintainers)",
        listed=False,
    )
    sub.add_argument("--check", action="store_true", help="only report the blocks that differ")
    return parser


def main(argv: list[str] | None = None) -> int:
    """Run one command; return the exit status."""
    arguments = build_parser().parse_args(argv)
    try:
        course = Course(arguments.course)
        return arguments.function(course, arguments)
    except USER_ERRORS as error:
        print(error, file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("\nInterrupted.", file=sys.stderr)
        return 130
    except BrokenPipeError:
        # The reader stopped early (python -m chapters hint 08.1 | head): nothing is wrong.
        # Python would complain again while flushing stdout at exit, so point it at nowhere.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0


def list_command(course: Course, arguments) -> int:
    """The course map; with a workspace, each chapter's progress and its exercises."""
    workspace = find_workspace_or_none(arguments.directory)
    print("tinyframe — build a small Django, chapter by chapter\n")
    width = max((len(chapter.title) for chapter in course.chapters), default=0)
    for chapter in course.chapters:
        total = len(chapter.exercises)
        if workspace is None:
            print(f"  {chapter.number:02d}  {chapter.title:<{width}}  {plural(total, 'exercise')}")
            continue
        status = chapter_status(workspace, chapter)
        if status == "came solved" and not checked_yet(workspace, chapter):
            # Its exercises hold no result until a check runs its tests: a count would say 0 pass.
            print(f"  {chapter.number:02d}  {chapter.title:<{width}}  {status}")
            continue
        passed = sum(workspace.status(exercise.id) == "passed" for exercise in chapter.exercises)
        print(f"  {chapter.number:02d}  {chapter.title:<{width}}  {passed}/{total} pass  {status}")
        if workspace.has_started(chapter) and not workspace.chapters()[chapter.slug].get("reference"):
            for exercise in chapter.exercises:
                mark = STATUS_MARKS.get(workspace.status(exercise.id), "·")
                viewed = " (solution viewed)" if workspace.solution_viewed(exercise.id) else ""
                print(f"        {mark} {exercise.id}  {exercise.title}{viewed}")
    print()
    if workspace is None:
        print("No workspace here. Start one with: python -m chapters start 1 DIR")
    else:
        print(f"Workspace: {display_path(workspace.root)}")
    return 0


def plural(count: int, noun: str) -> str:
    """``1 exercise``, ``2 exercises``."""
    return f"{count} {noun}" if count == 1 else f"{count} {noun}s"


def checked_yet(workspace: Workspace, chapter) -> bool:
    """Whether a check has recorded a result for some exercise of ``chapter`` (a status other than not_started)."""
    return any(workspace.status(exercise.id) != "not_started" for exercise in chapter.exercises)


def chapter_status(workspace: Workspace, chapter) -> str:
    """A chapter's state in a workspace, in a word or three."""
    if not workspace.has_started(chapter):
        return "not started"
    if workspace.chapters()[chapter.slug].get("reference"):
        return "came solved"
    if all(workspace.status(exercise.id) == "passed" for exercise in chapter.exercises):
        return "done"
    return "in progress"


def start_command(course: Course, arguments) -> int:
    """Start a chapter: a new workspace, or the chapter added to the current one."""
    chapter = course.chapter(arguments.chapter)
    directory = arguments.directory
    if directory is None:
        existing = find_workspace_or_none()
        directory = existing.root if existing else pathlib.Path.cwd() / DEFAULT_DIRECTORY
    if is_workspace(pathlib.Path(directory)):
        bring_course_changes_in(course, Workspace(directory), chapter)
    for message in start_chapter(course, chapter.number, directory):
        print(message)
    # The full path: the workspace has no tutorials/ of its own, and the learner may be anywhere.
    tutorial = (course.root / chapter.tutorial).resolve()
    print(f"\nRead {tutorial}, then write {plural(len(chapter.exercises), 'exercise')}:")
    for exercise in chapter.exercises:
        print(f"  {exercise.id}  {exercise.title}: {exercise.path}, {exercise.qualname}")
    directory_argument = workspace_argument(Workspace(directory))
    print(f"\nCheck your work with: python -m chapters check {chapter.number}{directory_argument}")
    return 0


def bring_course_changes_in(course: Course, workspace: Workspace, chapter) -> None:
    """Before a chapter joins a workspace, ``update`` it if the course changed: the new files build on the current ones."""
    if workspace.has_started(chapter) or not course_changes(course, workspace):
        return
    print("The course has changed since this workspace took its files; bringing the changes in first.")
    for line in update_workspace(course, workspace):
        print(line)
    print()


def started_workspace(chapter, directory) -> Workspace:
    """The workspace for a command about ``chapter``, which must be started there."""
    workspace = find_workspace(directory)
    if not workspace.has_started(chapter):
        raise WorkspaceError(
            f"Chapter {chapter.number:02d} is not started in {display_path(workspace.root)}. "
            f"Start it with: python -m chapters start {chapter.number} {display_path(workspace.root)}"
        )
    return workspace


def check_command(course: Course, arguments) -> int:
    """Run a chapter's tests, and the earlier chapters', on the workspace."""
    chapter = course.chapter(arguments.chapter)
    workspace = started_workspace(chapter, arguments.directory)
    return check(course, workspace, chapter.number, verbose=arguments.verbose)


def watch_command(course: Course, arguments) -> int:
    """Check again on every save, or on Enter, until Ctrl-C."""
    chapter = course.chapter(arguments.chapter)
    root = started_workspace(chapter, arguments.directory).root

    def run_check() -> int:
        return check(course, Workspace(root), chapter.number, verbose=arguments.verbose)

    def clear() -> None:
        print("\033[2J\033[H", end="", flush=True)

    return watch(
        root,
        run_check,
        interval=arguments.interval,
        max_checks=arguments.max_checks,
        clear=clear if sys.stdout.isatty() else None,
    )


def hint_command(course: Course, arguments) -> int:
    """Show the next hint of an exercise, counting how many the learner has seen."""
    exercise = course.exercise(arguments.exercise)
    workspace = find_workspace_or_none(arguments.directory)
    shown = workspace.hints_shown(exercise.id) if workspace else 0
    hints = exercise.hints
    if shown >= len(hints):
        print(
            f"No more hints for {exercise.id}. See the reference: python -m chapters solution {exercise.id}"
            f"{workspace_argument(workspace) if workspace else ''}"
        )
        return 0
    if workspace is not None:  # counted first: a reader that stops early (| head) has still seen it
        workspace.set_hints_shown(exercise.id, shown + 1)
        workspace.save()
    print(f"Hint {shown + 1} of {len(hints)} for {exercise.id} — {exercise.title}:\n")
    print(f"  {hints[shown]}\n")
    print(f"In {exercise.path}, {exercise.qualname}: {exercise.task}.")
    if workspace is None:
        print("(No workspace here, so hints are not counted: this is always the first one.)")
        return 0
    if shown + 1 < len(hints):
        print(
            f"Ask again for the next one: python -m chapters hint {exercise.id}{workspace_argument(workspace)}"
        )
    return 0


def solution_command(course: Course, arguments) -> int:
    """Print the reference code of an exercise, as it stands after its chapter, and remember it was seen."""
    exercise = course.exercise(arguments.exercise)
    solution = extract_solution(course, exercise.id)
    workspace = find_workspace_or_none(arguments.directory)
    print(f"# Spoiler: the reference solution of exercise {exercise.id} — {exercise.title}")
    print(f"# {exercise.path}, {exercise.qualname}")
    if workspace is not None:
        workspace.mark_solution_viewed(exercise.id)
        workspace.save()
        print("# Your progress now records that you looked (python -m chapters list shows it).")
    print()
    print(solution, end="")
    return 0


def reset_command(course: Course, arguments) -> int:
    """Put an exercise's stub back in the workspace, after asking."""
    exercise = course.exercise(arguments.exercise)
    workspace = find_workspace(arguments.directory)
    path = workspace.root / exercise.path
    if not path.is_file():
        raise WorkspaceError(
            f"{display_path(path)} does not exist; start chapter {exercise.chapter_number} "
            f"in this workspace first: python -m chapters start {exercise.chapter_number} "
            f"{display_path(workspace.root)}"
        )
    source = path.read_text(encoding="utf-8")
    try:
        new_source = replace_definition(source, exercise.qualname, stubbed_definition(course, exercise))
    except SyntaxError as error:
        raise WorkspaceError(
            f"{display_path(path)} has a syntax error on line {error.lineno} ({error.msg}); fix it first."
        ) from None
    except LookupError:
        raise WorkspaceError(
            f"{display_path(path)} has no {exercise.qualname} any more, so there is nothing to reset."
        ) from None
    if not arguments.yes:
        question = (
            f"Replace your {exercise.qualname} in {display_path(path)} with the stub? "
            "Your code in it will be lost. [y/N] "
        )
        try:
            answer = input(question)
        except EOFError:
            answer = ""
        if answer.strip().lower() not in ("y", "yes"):
            print("Nothing changed.")
            return 1
    path.write_text(new_source, encoding="utf-8")
    workspace.set_status(exercise.id, "not_started")
    workspace.save()
    print(f"Exercise {exercise.id} is a stub again: {display_path(path)}, {exercise.qualname}.")
    return 0


def update_command(course: Course, arguments) -> int:
    """Bring the files the course changed since the workspace took them, the learner's exercises kept."""
    workspace = find_workspace(arguments.directory)
    for line in update_workspace(course, workspace, overwrite=arguments.overwrite):
        print(line)
    return 0


def site_command(course: Course, arguments) -> int:
    """Serve the example blog on the workspace's framework (or run one command on it): see ``chapters.site``."""
    workspace = find_workspace(arguments.directory)
    framework, site, messages = prepare_site(course, workspace)
    for line in messages:
        print(line)
    sys.stdout.flush()  # before the commands' own output
    return run_commands(site_commands(site, arguments.port, arguments.run), framework, site_environment(workspace))


def snapshot_command(course: Course, arguments) -> int:
    """Write the framework as it stands after a chapter into a new directory."""
    chapter = course.chapter(arguments.chapter)
    destination = pathlib.Path(arguments.directory)
    if (destination / "tinyframe").exists():
        raise WorkspaceError(f"{destination / 'tinyframe'} already exists; choose a new directory.")
    written = snapshot(course, chapter.number, destination)
    print(
        f"Wrote tinyframe as it stands after chapter {chapter.number:02d} ({len(written)} files) to {destination}."
    )
    return 0


def diff_command(course: Course, arguments) -> int:
    """Print what a chapter changes, as a unified diff of two snapshots."""
    chapter = course.chapter(arguments.chapter)
    after = None if arguments.solutions else starter_files(course, chapter.number)
    sys.stdout.write(diff(course, chapter.number, after))
    return 0


def sync_tutorials_command(course: Course, arguments) -> int:
    """Rewrite (or, with --check, only compare) every tutorial's source blocks."""
    tutorials = sorted((course.root / "tutorials").glob("*.md"))
    if arguments.check:
        mismatches = [
            mismatch for tutorial in tutorials for mismatch in check_tutorial(tutorial, course.root)
        ]
        for mismatch in mismatches:
            print(mismatch)
        return 1 if mismatches else 0
    for tutorial in tutorials:
        changed = sync_tutorial(tutorial, course.root)
        if changed:
            print(
                f"{tutorial.relative_to(course.root).as_posix()}: rewrote {changed} code block(s) from the source"
            )
    print(f"{len(tutorials)} tutorial(s) now show their source.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
