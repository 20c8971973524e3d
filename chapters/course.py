"""The course: its chapters and their exercises, read from the manifests.

How it works: ``Course(root)`` reads every ``root/chapters/NN_slug/chapter.toml``
with ``tomllib``, checks each one (``parse_chapter``: required keys, key types,
exercise ids and targets) and then the course as a whole (chapter numbers and
exercise ids are unique, no file is owned twice), and keeps the chapters ordered
by number as ``Chapter`` objects holding their ``Exercise`` objects. Any mistake
raises ``CourseError`` naming the manifest and what would have been valid.
``course.chapter(...)`` and ``course.exercise(...)`` look things up by the names a
learner types.

Whether the files and targets a manifest names really exist is checked
separately (``stubs.target_problems``), since a learner's tool must still load
the course while a chapter is being written.
"""

import dataclasses
import difflib
import pathlib
import re
import tomllib

MANIFEST = "chapter.toml"

CHAPTER_KEYS = {
    "number": int,
    "slug": str,
    "title": str,
    "summary": str,
    "tutorial": str,
    "files": list,
    "exercises": list,
}
REQUIRED_CHAPTER_KEYS = ("title", "tutorial", "files", "exercises")

EXERCISE_KEYS = {
    "id": str,
    "title": str,
    "target": str,
    "task": str,
    "hint": str,
    "more_hints": list,
}
REQUIRED_EXERCISE_KEYS = ("id", "title", "target", "task", "hint")

# A chapter folder is named NN_slug: two digits, an underscore, lower-case words.
CHAPTER_DIRECTORY = re.compile(r"^(?P<number>\d{2})_[a-z][a-z0-9_]*$")
# A target is "path/to/file.py:Qualified.name".
TARGET = re.compile(r"^(?P<path>tinyframe/[\w/]+\.py):(?P<qualname>[A-Za-z_]\w*(\.[A-Za-z_]\w*)*)$")


class CourseError(Exception):
    """A manifest is wrong, or a learner named a chapter or exercise that does not exist."""


@dataclasses.dataclass(frozen=True)
class Exercise:
    """One function or method of a chapter's files that the learner writes."""

    id: str
    title: str
    target: str
    task: str
    hint: str
    more_hints: tuple[str, ...]
    chapter_number: int

    @property
    def path(self) -> str:
        """The file the learner edits, relative to the course root.

        >>> Exercise("01.1", "t", "tinyframe/http/request.py:HttpHeaders.parse_header_name",
        ...          "task", "hint", (), 1).path
        'tinyframe/http/request.py'
        """
        return self.target.partition(":")[0]

    @property
    def qualname(self) -> str:
        """The function or method to write, as ``Class.method`` or ``function``.

        >>> Exercise("01.1", "t", "tinyframe/http/request.py:HttpHeaders.parse_header_name",
        ...          "task", "hint", (), 1).qualname
        'HttpHeaders.parse_header_name'
        """
        return self.target.partition(":")[2]

    @property
    def hints(self) -> tuple[str, ...]:
        """Every hint, the first nudge first."""
        return (self.hint, *self.more_hints)


@dataclasses.dataclass(frozen=True)
class Chapter:
    """One chapter: the files it owns, its tests, its tutorial and its exercises."""

    number: int
    slug: str
    title: str
    summary: str
    tutorial: str
    files: tuple[str, ...]
    exercises: tuple[Exercise, ...]
    directory: pathlib.Path

    @property
    def tests_directory(self) -> pathlib.Path:
        """Where the chapter's test suite lives."""
        return self.directory / "tests"

    @property
    def label(self) -> str:
        """How the chapter is named to a learner, e.g. ``Chapter 01 — HTTP over WSGI``."""
        return f"Chapter {self.number:02d} — {self.title}"


class Course:
    """Every chapter of the course under ``root``, ordered by number."""

    def __init__(self, root: str | pathlib.Path):
        self.root = pathlib.Path(root).resolve()
        manifests = sorted((self.root / "chapters").glob(f"*/{MANIFEST}"))
        chapters = [load_chapter(path) for path in manifests]
        self.chapters: list[Chapter] = sorted(chapters, key=lambda chapter: chapter.number)
        check_course(self.chapters)
        self._exercises = {
            exercise.id: exercise for chapter in self.chapters for exercise in chapter.exercises
        }

    def __repr__(self):
        return f"<Course {self.root} with {len(self.chapters)} chapters>"

    @property
    def last(self) -> Chapter:
        """The last chapter: its snapshot is the whole reference framework."""
        if not self.chapters:
            raise CourseError(f"The course in {self.root} has no chapters/NN_slug/{MANIFEST}.")
        return self.chapters[-1]

    def chapter(self, key: int | str) -> Chapter:
        """The chapter named by a number (``1``, ``"1"``, ``"01"``) or a slug (``"01_http"``)."""
        text = str(key).strip()
        for chapter in self.chapters:
            if text.isdigit() and int(text) == chapter.number:
                return chapter
            if text in (chapter.slug, chapter.slug.partition("_")[2]):
                return chapter
        raise CourseError(f"No chapter {text}. Chapters: {self.describe_numbers()}.")

    def describe_numbers(self) -> str:
        """The chapter numbers, as a learner reads them: ``1–17``, or ``1, 3``."""
        numbers = [chapter.number for chapter in self.chapters]
        if not numbers:
            return "none yet"
        if numbers == list(range(numbers[0], numbers[-1] + 1)) and len(numbers) > 1:
            return f"{numbers[0]}–{numbers[-1]}"
        return ", ".join(str(number) for number in numbers)

    def through(self, number: int) -> list[Chapter]:
        """Chapters 1..number: what a snapshot after chapter ``number`` contains."""
        return [chapter for chapter in self.chapters if chapter.number <= number]

    def exercise(self, exercise_id: str) -> Exercise:
        """The exercise with this id, e.g. ``"01.3"``."""
        exercise_id = exercise_id.strip()
        if exercise_id in self._exercises:
            return self._exercises[exercise_id]
        close = difflib.get_close_matches(exercise_id, self._exercises, n=1)
        suggestion = f" Did you mean {close[0]}?" if close else ""
        raise CourseError(
            f"No exercise {exercise_id}.{suggestion} An exercise id is a chapter number and "
            "the exercise's number, such as 01.2; `python -m chapters list` shows them all."
        )

    def exercises(self) -> list[Exercise]:
        """Every exercise of the course, in chapter and manifest order."""
        return list(self._exercises.values())

    def chapter_of(self, exercise: Exercise) -> Chapter:
        """The chapter an exercise belongs to."""
        return self.chapter(exercise.chapter_number)

    def owner(self, path: str) -> Chapter:
        """The chapter that owns a file, named relative to the course root."""
        for chapter in self.chapters:
            if path in chapter.files:
                return chapter
        raise CourseError(f"No chapter owns {path}; add it to one chapter's `files`.")


def load_chapter(manifest: pathlib.Path) -> Chapter:
    """Read and check one ``chapter.toml``."""
    try:
        data = tomllib.loads(manifest.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as error:
        raise CourseError(f"{manifest}: not valid TOML: {error}") from None
    return parse_chapter(data, manifest)


def parse_chapter(data: dict, manifest: pathlib.Path) -> Chapter:
    """Check a manifest's content and build its ``Chapter``.

    The folder name gives the number and slug; ``number`` and ``slug`` in the
    manifest are optional, but must agree with it when given.
    """
    directory = manifest.parent
    match = CHAPTER_DIRECTORY.match(directory.name)
    if not match:
        raise CourseError(
            f"{manifest}: a chapter folder is named NN_slug, such as 01_http, not {directory.name!r}."
        )
    number, slug = int(match["number"]), directory.name
    check_keys(data, CHAPTER_KEYS, REQUIRED_CHAPTER_KEYS, f"{manifest}")
    if data.get("number", number) != number:
        raise CourseError(f"{manifest}: number = {data['number']}, but the folder {slug} says {number}.")
    if data.get("slug", slug) != slug:
        raise CourseError(f"{manifest}: slug = {data['slug']!r}, but the folder is named {slug!r}.")
    files = data["files"]
    for path in files:
        if not isinstance(path, str) or not path.startswith("tinyframe/"):
            raise CourseError(f"{manifest}: files: {path!r} is not a path under tinyframe/.")
    duplicates = sorted({path for path in files if files.count(path) > 1})
    if duplicates:
        raise CourseError(f"{manifest}: files lists {', '.join(duplicates)} more than once.")
    exercises = tuple(
        parse_exercise(entry, number, files, f"{manifest}: exercise {position}")
        for position, entry in enumerate(data["exercises"], start=1)
    )
    return Chapter(
        number=number,
        slug=slug,
        title=data["title"],
        summary=data.get("summary", ""),
        tutorial=data["tutorial"],
        files=tuple(files),
        exercises=exercises,
        directory=directory,
    )


def parse_exercise(data: dict, chapter_number: int, files: list[str], where: str) -> Exercise:
    """Check one ``[[exercises]]`` table and build its ``Exercise``."""
    if not isinstance(data, dict):
        raise CourseError(f"{where}: each [[exercises]] entry must be a table.")
    check_keys(data, EXERCISE_KEYS, REQUIRED_EXERCISE_KEYS, where)
    exercise_id = data["id"]
    where = f"{where} ({exercise_id})"
    if not re.fullmatch(rf"{chapter_number:02d}\.\d+", exercise_id):
        raise CourseError(
            f"{where}: an exercise id is the chapter number, a dot and a number, "
            f"such as {chapter_number:02d}.1."
        )
    match = TARGET.match(data["target"])
    if not match:
        raise CourseError(
            f"{where}: target {data['target']!r} must be 'path:Name', such as "
            "'tinyframe/http/request.py:HttpHeaders.parse_header_name'."
        )
    if match["path"] not in files:
        raise CourseError(
            f"{where}: target {data['target']!r} is in {match['path']}, which is not one of "
            "this chapter's files; an exercise is a function of the chapter's own files."
        )
    more_hints = data.get("more_hints", [])
    if not all(isinstance(hint, str) for hint in more_hints):
        raise CourseError(f"{where}: more_hints must be a list of strings.")
    return Exercise(
        id=exercise_id,
        title=data["title"],
        target=data["target"],
        task=data["task"],
        hint=data["hint"],
        more_hints=tuple(more_hints),
        chapter_number=chapter_number,
    )


def check_keys(data: dict, known: dict, required: tuple, where: str) -> None:
    """Reject missing keys, keys of the wrong type and unknown keys (with a suggestion).

    >>> check_keys({"title": "x", "tittle": "y"}, {"title": str}, ("title",), "01/chapter.toml")
    Traceback (most recent call last):
      ...
    chapters.course.CourseError: 01/chapter.toml: unknown key 'tittle' (did you mean 'title'?). Known keys: title.
    """
    for key in required:
        if key not in data:
            raise CourseError(f"{where}: missing required key {key!r}.")
    for key, value in data.items():
        if key not in known:
            close = difflib.get_close_matches(key, known, n=1)
            suggestion = f" (did you mean {close[0]!r}?)" if close else ""
            raise CourseError(f"{where}: unknown key {key!r}{suggestion}. Known keys: {', '.join(known)}.")
        if not isinstance(value, known[key]):
            raise CourseError(f"{where}: {key} must be a {known[key].__name__}, not {type(value).__name__}.")


def check_course(chapters: list[Chapter]) -> None:
    """Check what no single manifest can: unique numbers, ids and file owners."""
    seen_numbers: dict[int, Chapter] = {}
    owners: dict[str, Chapter] = {}
    exercise_chapters: dict[str, Chapter] = {}
    for chapter in chapters:
        if chapter.number in seen_numbers:
            raise CourseError(
                f"Chapters {seen_numbers[chapter.number].slug} and {chapter.slug} "
                f"both have number {chapter.number}."
            )
        seen_numbers[chapter.number] = chapter
        for path in chapter.files:
            if path in owners:
                raise CourseError(
                    f"{path} is owned twice, by {owners[path].slug} and {chapter.slug}; "
                    "every file belongs to exactly one chapter."
                )
            owners[path] = chapter
        for exercise in chapter.exercises:
            if exercise.id in exercise_chapters:
                raise CourseError(f"Duplicate exercise id {exercise.id} in {chapter.directory / MANIFEST}.")
            exercise_chapters[exercise.id] = chapter
