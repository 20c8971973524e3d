"""The manifests: every file has one owner, every exercise a real, documented target."""

import pathlib
import textwrap

import pytest

from chapters.course import Course, CourseError
from chapters.stubs import target_problems

ROOT = pathlib.Path(__file__).resolve().parent.parent


def test_every_file_of_tinyframe_is_owned_by_exactly_one_chapter(course):
    owned = [path for chapter in course.chapters for path in chapter.files]
    on_disk = sorted(
        path.relative_to(course.root).as_posix()
        for path in (course.root / "tinyframe").rglob("*")
        if path.is_file() and "__pycache__" not in path.parts
    )
    unowned = sorted(set(on_disk) - set(owned))
    assert not unowned, f"files no chapter owns (add each to one chapter's files): {unowned}"
    missing = sorted(set(owned) - set(on_disk))
    assert not missing, f"files listed in a manifest that do not exist: {missing}"


def test_every_exercise_target_exists_and_has_a_docstring(course):
    assert target_problems(course) == []


@pytest.mark.parametrize("slug", [path.parent.name for path in sorted(ROOT.glob("chapters/*/chapter.toml"))])
def test_each_chapter_is_a_complete_lesson(course, slug):
    chapter = course.chapter(slug)
    assert (
        4 <= len(chapter.exercises) <= 10
    ), f"{slug} has {len(chapter.exercises)} exercises; four to ten, please"
    assert (
        course.root / chapter.tutorial
    ).is_file(), f"{slug}: the tutorial {chapter.tutorial} does not exist"
    assert chapter.tests_directory.is_dir(), f"{slug} has no tests/ folder"
    for exercise in chapter.exercises:
        assert exercise.hint.strip(), f"{exercise.id} needs a hint"


def test_chapters_are_ordered_and_found_by_number_or_slug(fake_course):
    assert [chapter.slug for chapter in fake_course.chapters] == ["01_hello", "02_more"]
    for key in (1, "1", "01", "01_hello", "hello"):
        assert fake_course.chapter(key).slug == "01_hello"
    assert fake_course.exercise("01.2").title == "Shouting"
    assert fake_course.exercise(" 02.1 ").qualname == "double"
    assert fake_course.owner("tinyframe/more.py").slug == "02_more"


def test_an_unknown_chapter_lists_the_chapters(fake_course):
    with pytest.raises(CourseError) as raised:
        fake_course.chapter(42)
    assert str(raised.value) == "No chapter 42. Chapters: 1–2."


def test_an_unknown_exercise_suggests_a_close_one(fake_course):
    with pytest.raises(CourseError, match=r"^No exercise 01\.3\. Did you mean 01\.2\?"):
        fake_course.exercise("01.3")


def manifest_error(make_fake_course, manifest: str, path: str = "chapters/01_hello/chapter.toml") -> str:
    overrides = {path: manifest}
    if path != "chapters/01_hello/chapter.toml":
        overrides["chapters/01_hello/chapter.toml"] = None
    root = make_fake_course(overrides)
    with pytest.raises(CourseError) as raised:
        Course(root)
    return str(raised.value)


EXERCISE = """
    [[exercises]]
    id = "01.1"
    title = "Greeting"
    target = "tinyframe/greet.py:greet"
    task = "greet"
    hint = "hint"
"""


def chapter_one(header: str, *exercises: str) -> str:
    return textwrap.dedent(header) + "".join(textwrap.dedent(exercise) for exercise in exercises)


HEADER = """
    title = "Hello"
    tutorial = "tutorials/01_hello.md"
    files = ["tinyframe/__init__.py", "tinyframe/greet.py"]
"""


@pytest.mark.parametrize(
    "manifest, message",
    [
        (chapter_one('title = "Hello"\nfiles = []\nexercises = []\n'), "missing required key 'tutorial'"),
        (chapter_one(HEADER + 'summray = "x"\n', EXERCISE), "unknown key 'summray' (did you mean 'summary'?)"),
        (chapter_one(HEADER, EXERCISE, EXERCISE), "Duplicate exercise id 01.1"),
        (chapter_one(HEADER, EXERCISE.replace("greet.py:greet", "greet.py")), "must be 'path:Name'"),
        (chapter_one(HEADER, EXERCISE.replace("greet.py:greet", "more.py:double")), "not one of this chapter's"),
        (chapter_one(HEADER, EXERCISE.replace('"01.1"', '"02.1"')), "such as 01.1"),
        (chapter_one(HEADER, EXERCISE.replace('hint = "hint"', "")), "missing required key 'hint'"),
        (chapter_one(HEADER.replace('"Hello"', "3"), EXERCISE), "title must be a str, not int"),
        (chapter_one(HEADER + "number = 2\n", EXERCISE), "number = 2, but the folder 01_hello says 1"),
        (chapter_one(HEADER.replace('"tinyframe/greet.py"]', '"tinyframe/more.py"]'), EXERCISE), "which is not one of"),
        (chapter_one("title = [\n"), "not valid TOML"),
    ],
    ids=["missing-key", "typo", "duplicate-id", "bad-target", "foreign-target", "id-of-other-chapter",
         "no-hint", "wrong-type", "wrong-number", "target-not-owned", "bad-toml"],
)  # fmt: skip
def test_manifest_mistakes_are_clear_errors(make_fake_course, manifest, message):
    error = manifest_error(make_fake_course, manifest)
    assert message in error
    assert "chapter.toml" in error or "Duplicate" in error


def test_a_file_owned_twice_is_an_error(make_fake_course):
    manifest = chapter_one(
        HEADER.replace('"tinyframe/greet.py"]', '"tinyframe/greet.py", "tinyframe/more.py"]'), EXERCISE
    )
    error = manifest_error(make_fake_course, manifest)
    assert (
        error
        == "tinyframe/more.py is owned twice, by 01_hello and 02_more; every file belongs to exactly one chapter."
    )


def test_a_badly_named_chapter_folder_is_an_error(make_fake_course):
    error = manifest_error(make_fake_course, chapter_one(HEADER, EXERCISE), "chapters/hello/chapter.toml")
    assert "a chapter folder is named NN_slug, such as 01_http, not 'hello'" in error


def test_target_problems_name_missing_files_and_targets(fake_course):
    (fake_course.root / "tinyframe/more.py").write_text('"""No function here."""\n')
    (fake_course.root / "tinyframe/__init__.py").unlink()
    assert target_problems(fake_course) == [
        "01_hello: tinyframe/__init__.py is listed in files but does not exist",
        "02_more: exercise 02.1: no function double in tinyframe/more.py",
    ]
