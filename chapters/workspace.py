"""A learner's workspace: their copy of ``tinyframe/`` and their progress.

How it works: a workspace is a directory holding ``tinyframe/`` and the progress
file ``.tinyframe-progress.json``::

    {"format_version": 1,
     "chapters": {"01_http": {"started": "2025-01-31T10:00:00+00:00"}},
     "exercises": {"01.3": {"status": "passed", "hints_shown": 2,
                            "updated": "2025-01-31T10:20:00+00:00",
                            "solution_viewed": "2025-01-31T10:15:00+00:00"}}}

Progress is keyed by stable exercise ids and chapter slugs, never by paths or
positions, so renumbering files and upgrading the course keep it; keys this
version does not know are kept on rewrite. ``find_workspace`` locates the
workspace a command means; ``start_chapter`` creates one from the starter of a
chapter, or adds a chapter to an existing one without overwriting anything the
learner wrote (``merge_blocks``).

Both also record a *fingerprint* of each file the workspace now holds from the
course (``remember_course_files``): a hash of its text with the exercise
bodies the learner writes cut out (``outline``), which stays the same however
they write their exercises. When the course changes later (``git pull``), the
fingerprints show which files it changed: see ``chapters.update``.
"""

import ast
import datetime
import difflib
import hashlib
import json
import os
import pathlib

from chapters.course import Chapter, Course, Exercise
from chapters.source import body_span, find_definition
from chapters.staging import MARKER, snapshot_files, write_files
from chapters.stubs import starter_files

PROGRESS_FILE = ".tinyframe-progress.json"
FORMAT_VERSION = 1
DEFAULT_DIRECTORY = "workspace"
# Where the progress file keeps the fingerprints of the files the workspace took from the course.
# (Version 2 fingerprints keep each exercise's docstring; a record of version 1 is not compared.)
RECORD_KEY = "course_files_v2"
STATUSES = ("not_started", "failed", "waiting", "passed")
# How many unchanged reference lines (above, below) must surround the place where a
# block is inserted, tried in this order: the most certain first.
CONTEXTS = ((2, 2), (1, 1), (2, 0), (0, 2), (1, 0), (0, 1))


class WorkspaceError(Exception):
    """No workspace where one is needed, or one that this course cannot use."""


def now() -> str:
    """The current time as an ISO 8601 string, to the second, in UTC."""
    return datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds")


class Workspace:
    """A workspace directory and its progress, loaded from the progress file."""

    def __init__(self, root: str | pathlib.Path, progress: dict | None = None):
        self.root = pathlib.Path(root).resolve()
        self.progress = progress if progress is not None else read_progress(self.progress_path)

    def __repr__(self):
        return f"<Workspace {self.root}>"

    @property
    def progress_path(self) -> pathlib.Path:
        return self.root / PROGRESS_FILE

    def save(self) -> None:
        """Write the progress file, atomically: an interrupted write leaves the old one."""
        temporary = self.progress_path.with_suffix(".tmp")
        temporary.write_text(json.dumps(self.progress, indent=2, sort_keys=True) + "\n", encoding="utf-8")
        os.replace(temporary, self.progress_path)

    def refresh(self) -> None:
        """Read the progress file again: another command may have written it since this one loaded it.

        ``check`` runs for seconds, and a learner may ask for a hint in another
        terminal meanwhile (or ``watch`` may be checking while they do): what
        ``check`` saves at the end must keep the hints counted in between.
        """
        if self.progress_path.exists():
            self.progress = read_progress(self.progress_path)

    def chapters(self) -> dict:
        return self.progress.setdefault("chapters", {})

    def exercises(self) -> dict:
        return self.progress.setdefault("exercises", {})

    def has_started(self, chapter: Chapter) -> bool:
        """Whether the learner has started this chapter here."""
        return chapter.slug in self.chapters()

    def mark_started(self, chapter: Chapter, reference: bool = False) -> None:
        """Record that the chapter's files are here; ``reference``: they came solved."""
        entry = self.chapters().setdefault(chapter.slug, {})
        entry.setdefault("started", now())
        if reference:
            entry["reference"] = True
        else:
            entry.pop("reference", None)

    def status(self, exercise_id: str) -> str:
        """``passed``, ``failed`` or ``not_started``: the result of the last check."""
        return self.exercises().get(exercise_id, {}).get("status", "not_started")

    def set_status(self, exercise_id: str, status: str) -> None:
        if status not in STATUSES:
            raise ValueError(f"status must be one of {', '.join(STATUSES)}, not {status!r}")
        entry = self.exercises().setdefault(exercise_id, {"hints_shown": 0})
        if entry.get("status") != status:
            entry["status"] = status
            entry["updated"] = now()

    def solution_viewed(self, exercise_id: str) -> bool:
        """Whether the learner has asked to see the reference solution of the exercise."""
        return "solution_viewed" in self.exercises().get(exercise_id, {})

    def mark_solution_viewed(self, exercise_id: str) -> None:
        entry = self.exercises().setdefault(exercise_id, {"status": "not_started", "hints_shown": 0})
        entry.setdefault("solution_viewed", now())

    def hints_shown(self, exercise_id: str) -> int:
        return self.exercises().get(exercise_id, {}).get("hints_shown", 0)

    def set_hints_shown(self, exercise_id: str, count: int) -> None:
        entry = self.exercises().setdefault(exercise_id, {"status": "not_started"})
        entry["hints_shown"] = count
        entry["updated"] = now()


def new_progress() -> dict:
    return {"format_version": FORMAT_VERSION, "chapters": {}, "exercises": {}}


def read_progress(path: pathlib.Path) -> dict:
    """Load a progress file, refusing one written by a newer version of the course."""
    try:
        progress = json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as error:
        raise WorkspaceError(
            f"{path} is not valid JSON ({error}). Fix it, or delete it to forget your progress."
        ) from None
    if not isinstance(progress, dict):
        raise WorkspaceError(f"{path} should hold a JSON object; delete it to forget your progress.")
    version = progress.get("format_version", FORMAT_VERSION)
    if not isinstance(version, int) or version > FORMAT_VERSION:
        raise WorkspaceError(
            f"{path} was written by a newer version of the course (format {version}; this "
            f"one reads format {FORMAT_VERSION}). Update the course: git pull, then "
            "python -m pip install -e '.[test]'."
        )
    progress["format_version"] = FORMAT_VERSION
    return progress


def is_workspace(directory: pathlib.Path) -> bool:
    return (directory / PROGRESS_FILE).is_file()


def find_workspace(directory: str | pathlib.Path | None = None) -> Workspace:
    """The workspace a command means.

    An explicit ``directory`` must be a workspace. Without one: the current
    directory or the nearest parent holding a progress file, else
    ``./workspace`` (where ``start`` puts one by default).
    """
    if directory is not None:
        path = pathlib.Path(directory)
        if not is_workspace(path):
            raise WorkspaceError(
                f"{path} is not a workspace (it has no {PROGRESS_FILE}). "
                f"Start one with: python -m chapters start 1 {path}"
            )
        return Workspace(path)
    here = pathlib.Path.cwd()
    for candidate in (here, *here.parents):
        if is_workspace(candidate):
            return Workspace(candidate)
    if is_workspace(here / DEFAULT_DIRECTORY):
        return Workspace(here / DEFAULT_DIRECTORY)
    raise WorkspaceError("No workspace here. Start one with: python -m chapters start 1 DIR")


def find_workspace_or_none(directory: str | pathlib.Path | None = None) -> Workspace | None:
    """The workspace a command means, or ``None`` when there is none."""
    try:
        return find_workspace(directory)
    except WorkspaceError:
        if directory is not None and pathlib.Path(directory, PROGRESS_FILE).exists():
            raise
        return None


def start_chapter(course: Course, number: int, directory: str | pathlib.Path) -> list[str]:
    """Start chapter ``number`` in ``directory``; return what to tell the learner.

    A new (or empty) directory gets the chapter's starter: earlier chapters
    solved, this chapter's exercises stubbed. An existing workspace gains the
    chapter's files; files the learner already has are never overwritten, and
    blocks this chapter inserts into them are merged in only where the text
    around them is still the reference text.
    """
    chapter = course.chapter(number)
    root = pathlib.Path(directory)
    if root.exists() and not root.is_dir():
        raise WorkspaceError(f"{root} is a file; start the chapter in a new directory.")
    if is_workspace(root):
        return add_chapter(course, chapter, Workspace(root))
    if root.exists() and any(root.iterdir()):
        raise WorkspaceError(
            f"{root} already exists and is not a workspace; choose a new directory, "
            f"such as: python -m chapters start {chapter.number} {root / DEFAULT_DIRECTORY}"
        )
    root.mkdir(parents=True, exist_ok=True)
    write_files(starter_files(course, chapter.number), root)
    workspace = Workspace(root, new_progress())
    for earlier in course.through(chapter.number - 1):
        workspace.mark_started(earlier, reference=True)
    workspace.mark_started(chapter)
    remember_course_files(course, workspace)
    workspace.save()
    messages = [f"Started {chapter.label} in {workspace.root}."]
    if chapter.number > course.chapters[0].number:
        messages.append(
            f"Chapters before {chapter.number:02d} come solved, from the reference; "
            "start them in a new directory to write them yourself."
        )
    return messages


def add_chapter(course: Course, chapter: Chapter, workspace: Workspace) -> list[str]:
    """Bring chapter ``chapter``'s files into an existing workspace without losing work."""
    if workspace.has_started(chapter):
        return [
            f"{chapter.label} is already started in {workspace.root}; nothing to do.",
            f"Check it with: python -m chapters check {chapter.number} {workspace.root}",
        ]
    messages = [f"Added {chapter.label} to {workspace.root}."]
    stale = course_changes(course, workspace)  # changed by the course and not brought in: still to say so
    skipped = [
        earlier.slug for earlier in course.through(chapter.number - 1) if not workspace.has_started(earlier)
    ]
    if skipped:
        messages.append(
            f"Not started here before: {', '.join(skipped)}. Their files come solved, from "
            "the reference; start them in a new directory to write them yourself."
        )
    starter = starter_files(course, chapter.number)
    before = snapshot_files(course, chapter.number - 1)
    for path, data in starter.items():
        target = workspace.root.joinpath(*path.split("/"))
        if not target.exists():
            write_files({path: data}, workspace.root)
            continue
        if path not in before or before[path] == data:
            continue  # the learner's own copy of a file this chapter leaves alone
        if path in chapter.files:
            messages.append(f"Kept your {path}; this chapter's version was not written over it.")
            continue
        learner_text = target.read_text(encoding="utf-8")
        merged, notes = merge_blocks(learner_text, before[path].decode("utf-8"), data.decode("utf-8"), path)
        if merged != learner_text:
            target.write_text(merged, encoding="utf-8")
            messages.append(f"Updated {path} with {chapter.slug}'s additions.")
        messages.extend(notes)
    for earlier in skipped:
        workspace.mark_started(course.chapter(earlier), reference=True)
    workspace.mark_started(chapter)
    remember_course_files(course, workspace, keep=stale)
    workspace.save()
    return messages


def merge_blocks(learner: str, before: str, after: str, path: str) -> tuple[str, list[str]]:
    """Insert into ``learner`` the lines that turn ``before`` into ``after``.

    ``before`` and ``after`` are the reference text of a file before and after a
    chapter; the chapter only inserts blocks. Each insertion goes in where the
    reference lines around it appear, unchanged and exactly once, in the learner's
    text (``place``); otherwise a note names the file and shows the block to paste
    by hand.

    >>> before = "a\\nb\\nc\\nd\\n"
    >>> after = "a\\nb\\n# >>> 02_x\\nnew\\n# <<< 02_x\\nc\\nd\\n"
    >>> merge_blocks("a\\nb\\nc\\nd\\n# mine\\n", before, after, "f.py")[0]
    'a\\nb\\n# >>> 02_x\\nnew\\n# <<< 02_x\\nc\\nd\\n# mine\\n'
    >>> print(merge_blocks("a\\nB\\nC\\nd\\n", before, after, "f.py")[1][0])
    f.py: could not place these lines of 02_x, as the lines around them changed; paste them by hand where they belong (in the reference they come after 'b' and before 'c'):
        # >>> 02_x
        new
        # <<< 02_x
    """
    before_lines = before.splitlines(keepends=True)
    after_lines = after.splitlines(keepends=True)
    learner_lines = learner.splitlines(keepends=True)
    insertions: list[tuple[int, list[str]]] = []
    notes: list[str] = []
    matcher = difflib.SequenceMatcher(None, before_lines, after_lines, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            continue
        block = after_lines[j1:j2]
        position = place(learner_lines, before_lines, i1) if tag == "insert" else None
        if position is None:
            notes.append(paste_note(path, before_lines, i1, block))
        else:
            insertions.append((position, block))
    for position, block in sorted(insertions, reverse=True):
        learner_lines[position:position] = block
    return "".join(learner_lines), notes


def place(learner_lines: list[str], before_lines: list[str], index: int) -> int | None:
    """Where in ``learner_lines`` the reference position ``index`` is, if certain.

    The reference lines around the position are looked for in the learner's
    text, two on each side first, then fewer (the learner has rewritten the
    exercise bodies, which may be right next to the block). A context counts only
    if it has a line with text and appears exactly once; in a run of blank lines,
    the last one tried reaches out to the nearest line with text on each side
    (``reach_text``). The reference's first
    and last lines are places of their own: a block added at the end of a file
    (after its closing blank lines, which say nothing) goes at the end.

    >>> place(["a\\n", "mine\\n", "\\n"], ["a\\n", "\\n", "\\n"], 3)
    3
    """
    if index == len(before_lines):
        return len(learner_lines)
    if index == 0:
        return 0
    for lines_above, lines_below in (*CONTEXTS, reach_text(before_lines, index)):
        above = before_lines[max(0, index - lines_above) : index]
        below = before_lines[index : index + lines_below]
        context = above + below
        if len(above) < lines_above and index >= lines_above or not any(line.strip() for line in context):
            continue
        matches = [
            start
            for start in range(len(learner_lines) - len(context) + 1)
            if learner_lines[start : start + len(context)] == context
        ]
        if len(matches) == 1:
            return matches[0] + len(above)
    return None


def reach_text(lines: list[str], index: int) -> tuple[int, int]:
    """``(above, below)``: how many lines reach from ``index`` to the nearest line with text on each side.

    >>> reach_text(["a\\n", "\\n", "\\n", "\\n", "b\\n"], 2)
    (2, 3)
    """
    top = index
    while top > 0 and not lines[top - 1].strip():
        top -= 1
    bottom = index
    while bottom < len(lines) and not lines[bottom].strip():
        bottom += 1
    return index - top + 1, bottom - index + 1


def paste_note(path: str, before_lines: list[str], index: int, block: list[str]) -> str:
    """Tell the learner which lines to paste where, since they could not be placed."""
    names = sorted({match["name"] for line in block if (match := MARKER.match(line))}) or ["a later chapter"]
    above = next((line.strip() for line in reversed(before_lines[:index]) if line.strip()), None)
    below = next((line.strip() for line in before_lines[index:] if line.strip()), None)
    where = " and ".join(
        part for part in (f"after {above!r}" if above else "", f"before {below!r}" if below else "") if part
    )
    shown = "".join("    " + line if line.strip() else line for line in block).rstrip("\n")
    return (
        f"{path}: could not place these lines of {', '.join(names)}, as the lines around them "
        f"changed; paste them by hand where they belong (in the reference they come {where or 'alone'}):\n{shown}"
    )


def newest_chapter(course: Course, workspace: Workspace) -> int:
    """The number of the last chapter started in ``workspace``: its starter is what the workspace should hold."""
    known = {chapter.slug: chapter.number for chapter in course.chapters}
    numbers = [known[slug] for slug in workspace.chapters() if slug in known]
    if not numbers:
        raise WorkspaceError(f"{workspace.root} has no chapter of this course started; start one first.")
    return max(numbers)


def learner_exercises(course: Course, workspace: Workspace) -> dict[str, list[Exercise]]:
    """The exercises the learner writes in this workspace, by file: those of chapters they started themselves."""
    mine: dict[str, list[Exercise]] = {}
    for slug, entry in workspace.chapters().items():
        if entry.get("reference") or slug not in {chapter.slug for chapter in course.chapters}:
            continue
        for exercise in course.chapter(slug).exercises:
            mine.setdefault(exercise.path, []).append(exercise)
    return mine


def outline(text: str, exercises: list[Exercise]) -> str:
    """``text`` with the body of each exercise, below its docstring, replaced by a line naming it.

    What is left is what the course owns: every other line, and each
    exercise's signature and docstring (its instructions), so a course that
    rewords an exercise changes the outline, and a learner writing the body
    does not. Raises ``SyntaxError`` or ``DefinitionNotFound`` when the text
    is not Python or has lost an exercise's definition.

    >>> from chapters.course import Exercise
    >>> greet = Exercise("01.1", "Greeting", "tinyframe/greet.py:greet", "", "", (), 1)
    >>> print(outline('import os\\n\\ndef greet(name):\\n    "Hello, name."\\n    return name\\n\\nX = 1\\n', [greet]), end="")
    import os
    <BLANKLINE>
    def greet(name):
        "Hello, name."
    <exercise 01.1>
    <BLANKLINE>
    X = 1
    """
    if not exercises:
        return text
    tree = ast.parse(text)
    lines = text.splitlines(keepends=True)
    spans = sorted((body_span(find_definition(tree, exercise.qualname)), exercise.id) for exercise in exercises)
    for (first, last), exercise_id in reversed(spans):
        lines[first - 1 : last] = [f"<exercise {exercise_id}>\n"]
    return "".join(lines)


def fingerprint(data: bytes, exercises: list[Exercise]) -> str:
    """A short hash of a file's outline (its bytes, for a file without exercises)."""
    if exercises:
        data = outline(data.decode("utf-8"), exercises).encode("utf-8")
    return hashlib.sha256(data).hexdigest()[:16]


def course_fingerprints(course: Course, workspace: Workspace) -> dict[str, str]:
    """The fingerprint of every file the course would give this workspace now."""
    mine = learner_exercises(course, workspace)
    files = starter_files(course, newest_chapter(course, workspace))
    return {path: fingerprint(data, mine.get(path, [])) for path, data in files.items()}


def remember_course_files(course: Course, workspace: Workspace, keep=()) -> None:
    """Record the fingerprints of the course's files as the workspace now takes them (``start`` calls this).

    The files in ``keep``, changed by the course since the workspace took
    them and not brought in, keep their old fingerprint: ``check`` goes on
    naming them until ``update`` brings the change in.
    """
    recorded = workspace.progress.get(RECORD_KEY)
    now = course_fingerprints(course, workspace)
    if isinstance(recorded, dict):
        now.update({path: recorded[path] for path in keep if path in recorded})
    workspace.progress[RECORD_KEY] = now


def course_changes(course: Course, workspace: Workspace) -> list[str]:
    """The files the course has changed (or added) since the workspace took its files; [] when it cannot tell."""
    recorded = workspace.progress.get(RECORD_KEY)
    if not isinstance(recorded, dict):
        return []
    now = course_fingerprints(course, workspace)
    return sorted(path for path, print_ in now.items() if recorded.get(path) != print_)
