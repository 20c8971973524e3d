"""Bringing a newer course into a workspace, without losing the learner's work.

How it works: the course changes after a learner starts (``git pull`` brings a
fix to chapter 03, a faster ORM, a new test). Their workspace still holds the
files ``start`` gave them, so the new tests may fail for reasons that have
nothing to do with their exercises. To tell the two apart, ``start`` records a
*fingerprint* of every file it gives (``workspace.remember_course_files``): a
hash of the file's text with the bodies the learner writes cut out
(``workspace.outline``), so the fingerprint stays the same however they write
their exercises, and changes when the course rewords one's docstring.

Later, ``workspace.course_changes`` compares those fingerprints with the
course's files now: ``check`` warns when they differ, ``update`` brings the
changes in (``update_workspace``), and so does ``start`` before it adds a
chapter, whose files build on the current ones. For each changed file:

- the learner's copy differs from the recorded fingerprint only inside their
  exercises: it is rewritten from the course, the code they wrote in each
  exercise carried over below the course's signature and docstring, which
  may have been reworded (``carry_over``; ``update`` says which were);
- it differs elsewhere too (their own helper, a debugging line; or a workspace
  started before fingerprints were recorded): it is left alone and named,
  unless ``overwrite`` is asked for, which first copies the learner's file to
  ``.tinyframe-backup/`` so nothing is ever lost.

Exercises of chapters that came solved (``start 5`` gives chapters 1–4 from
the reference) are not the learner's: their bodies belong to the course, and
a change to them is a change to bring in.
"""

import datetime

from chapters.course import Course, Exercise
from chapters.source import DefinitionNotFound, replace_body, split_definition
from chapters.staging import write_files
from chapters.stubs import starter_files
from chapters.workspace import RECORD_KEY, Workspace, fingerprint, learner_exercises, newest_chapter

BACKUP_DIRECTORY = ".tinyframe-backup"


def carry_over(course_text: str, learner_text: str, exercises: list[Exercise]) -> tuple[str, list[str]]:
    """The course's text with the learner's body of each exercise in place; and the exercises whose instructions changed.

    Each exercise keeps the course's signature and docstring, which may have
    been reworded, and the learner's code below them.

    >>> from chapters.course import Exercise
    >>> greet = Exercise("01.1", "Greeting", "tinyframe/greet.py:greet", "", "", (), 1)
    >>> text, reworded = carry_over('X = 2\\n\\ndef greet(name):\\n    "Say hello."\\n    raise NotImplementedError\\n',
    ...                             'X = 1\\n\\ndef greet(name):\\n    "Hello."\\n    return name\\n', [greet])
    >>> print(text, end="")
    X = 2
    <BLANKLINE>
    def greet(name):
        "Say hello."
        return name
    >>> reworded
    ['01.1']
    """
    reworded = []
    for exercise in exercises:
        learner_instructions, learner_body = split_definition(learner_text, exercise.qualname)
        if split_definition(course_text, exercise.qualname)[0] != learner_instructions:
            reworded.append(exercise.id)
        course_text = replace_body(course_text, exercise.qualname, learner_body)
    return course_text, reworded


def update_workspace(course: Course, workspace: Workspace, overwrite: bool = False) -> list[str]:
    """Bring the course's changes into ``workspace``; return what to tell the learner (see the module docstring)."""
    recorded = workspace.progress.get(RECORD_KEY)
    recorded = recorded if isinstance(recorded, dict) else {}
    mine = learner_exercises(course, workspace)
    files = starter_files(course, newest_chapter(course, workspace))
    updated, added, left, unreadable, instructions = [], [], [], [], []
    backup = workspace.root / BACKUP_DIRECTORY / datetime.datetime.now().strftime("%Y%m%d-%H%M%S")
    for path, data in sorted(files.items()):
        exercises = mine.get(path, [])
        course_print = fingerprint(data, exercises)
        if recorded.get(path) == course_print:
            continue
        target = workspace.root.joinpath(*path.split("/"))
        if not target.exists():
            write_files({path: data}, workspace.root)
            added.append(path)
            recorded[path] = course_print
            continue
        learner_data = target.read_bytes()
        try:
            learner_print = fingerprint(learner_data, exercises)
        except (SyntaxError, DefinitionNotFound, UnicodeDecodeError):
            unreadable.append(path)
            continue
        if learner_print == course_print:  # already as the course has it
            recorded[path] = course_print
            continue
        if learner_print != recorded.get(path):  # changed outside the exercises (or never recorded)
            if not overwrite:
                left.append(path)
                continue
            write_files({path: learner_data}, backup)
        text = data
        if exercises:
            carried, reworded = carry_over(data.decode("utf-8"), learner_data.decode("utf-8"), exercises)
            text = carried.encode("utf-8")
            instructions += reworded
        write_files({path: text}, workspace.root)
        updated.append(path)
        recorded[path] = course_print
    workspace.progress[RECORD_KEY] = recorded
    workspace.save()
    return update_report(workspace, updated, added, left, unreadable, backup, overwrite, instructions)


def update_report(workspace, updated, added, left, unreadable, backup, overwrite, instructions=()) -> list[str]:
    """The lines ``update`` prints: what it changed, and what it left alone and why."""
    if not (updated or added or left or unreadable):
        return [f"{workspace.root} already has the course's files; nothing to update."]
    lines = []
    lines += [f"Updated {path} from the course (your exercises kept)." for path in updated]
    lines += [f"Added {path} (new in the course)." for path in added]
    lines += [
        f"The instructions of exercise {exercise_id} changed: read its docstring again (your code below it is kept)."
        for exercise_id in sorted(instructions)
    ]
    if overwrite and updated and backup.exists():
        lines.append(f"Your earlier copies of the files you had changed are in {backup}.")
    if left:
        lines.append(
            "Left as they are, because they differ from the course outside your exercises (a change "
            "of yours, or one the course made before this workspace recorded its files):"
        )
        lines += [f"    {path}" for path in left]
        lines.append(
            "To take the course's version of them, your exercises carried over and your copies "
            f"saved in {BACKUP_DIRECTORY}/, run: python -m chapters update --overwrite"
        )
    if unreadable:
        lines.append("Not updated, because an exercise in them cannot be read (a syntax error, or a definition renamed):")
        lines += [f"    {path}" for path in unreadable]
    return lines
