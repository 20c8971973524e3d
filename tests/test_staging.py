"""Staging: the framework after chapter N works, and passes chapters 1..N's tests, alone."""

import subprocess
import sys
import textwrap

import pytest

from chapters.course import Course
from chapters.runner import MACHINERY_ROOT as ROOT
from chapters.runner import run_tests
from chapters.staging import StagingError, diff, find_blocks, snapshot, snapshot_files, strip_blocks

CHAPTER_NUMBERS = [chapter.number for chapter in Course(ROOT).chapters]

NESTED = textwrap.dedent("""\
    first
    # >>> 02_urls
    urls
        # >>> 04_signals
        signals
        # <<< 04_signals
    # <<< 02_urls
    {# >>> 03_templates #}
    templates
    {# <<< 03_templates #}
    <!-- >>> 05_middleware -->
    middleware
    <!-- <<< 05_middleware -->
    // >>> 06_orm
    orm
    // <<< 06_orm
    last
    """)


@pytest.mark.parametrize(
    "through, kept",
    [
        (1, ["first", "last"]),
        (2, ["first", "# >>> 02_urls", "urls", "# <<< 02_urls", "last"]),
        (3, ["first", "# >>> 02_urls", "urls", "# <<< 02_urls", "{# >>> 03_templates #}", "templates",
             "{# <<< 03_templates #}", "last"]),
    ],
)  # fmt: skip
def test_later_chapters_blocks_go_and_earlier_ones_stay_with_their_markers(through, kept):
    assert [line.strip() for line in strip_blocks(NESTED, through).splitlines()] == kept


def test_the_snapshot_after_the_last_chapter_keeps_everything():
    assert strip_blocks(NESTED, 6) == NESTED


def test_a_nested_block_goes_with_its_own_chapter():
    result = strip_blocks(NESTED, 3)
    assert "urls" in result and "signals" not in result


def test_every_comment_opener_marks_a_block():
    assert [block.name for block in find_blocks(NESTED)] == [
        "02_urls", "04_signals", "03_templates", "05_middleware", "06_orm",
    ]  # fmt: skip


def test_lines_that_merely_mention_a_marker_are_not_markers():
    text = 'x = "# >>> 02_urls"\n# see >>> 02_urls\n>>> 02_urls\n'
    assert find_blocks(text) == []
    assert strip_blocks(text, 1) == text


def test_line_endings_are_kept():
    text = "a\r\n# >>> 02_urls\r\nb\r\n# <<< 02_urls\r\nc\r\n"
    assert strip_blocks(text, 1) == "a\r\nc\r\n"


@pytest.mark.parametrize(
    "text, message",
    [
        ("a\n# >>> 02_urls\nb\n", "base.py:2: block '02_urls' is never closed; add a '<<< 02_urls' line."),
        ("a\n# <<< 02_urls\n", "base.py:2: '<<< 02_urls' closes a block that was never opened."),
        (
            "# >>> 02_urls\n# >>> 04_signals\n# <<< 02_urls\n",
            "base.py:3: '<<< 02_urls' does not match the open block '04_signals' (opened on line 2); "
            "close it with '<<< 04_signals' first.",
        ),
        (
            "# >>> 04_signals\n# >>> 02_urls\n# <<< 02_urls\n# <<< 04_signals\n",
            "base.py:2: block '02_urls' is inside block '04_signals' (line 1); "
            "a block inside another must come from a later chapter.",
        ),
    ],
    ids=["unclosed", "never-opened", "mismatched", "earlier-inside-later"],
)
def test_unbalanced_markers_are_errors_naming_file_and_line(text, message):
    with pytest.raises(StagingError) as raised:
        strip_blocks(text, 1, "base.py")
    assert str(raised.value) == message


def test_snapshot_writes_the_files_of_chapters_up_to_n(fake_course, tmp_path):
    destination = tmp_path / "snapshot"
    snapshot(fake_course, 1, destination)
    written = sorted(
        path.relative_to(destination).as_posix() for path in destination.rglob("*") if path.is_file()
    )
    assert written == ["tinyframe/__init__.py", "tinyframe/greet.py"]
    greet = (destination / "tinyframe/greet.py").read_text()
    assert "whisper" not in greet and "# A comment that every snapshot keeps." in greet


def test_a_block_of_the_file_owners_own_chapter_is_an_error(fake_course):
    path = fake_course.root / "tinyframe/greet.py"
    path.write_text(path.read_text().replace("02_more", "01_hello"))
    with pytest.raises(StagingError, match="block '01_hello' is in a file owned by 01_hello"):
        snapshot_files(fake_course, 2)


def test_binary_files_are_copied_byte_for_byte(fake_course):
    data = bytes(range(256)) + b">>>"
    (fake_course.root / "tinyframe/greet.py").write_bytes(data.replace(b">>>", b""))
    assert snapshot_files(fake_course, 1)["tinyframe/greet.py"] == data.replace(b">>>", b"")


def test_diff_shows_what_a_chapter_adds(fake_course):
    text = diff(fake_course, 2)
    assert "--- /dev/null\n+++ b/tinyframe/more.py\n" in text
    assert "--- a/tinyframe/greet.py\n+++ b/tinyframe/greet.py\n" in text
    assert "+    # >>> 02_more\n+    def whisper(self, text):\n" in text
    assert "tinyframe/__init__.py" not in text


def test_the_diff_of_chapter_one_adds_its_files(fake_course):
    assert diff(fake_course, 1).count("--- /dev/null") == 2


@pytest.mark.slow
def test_fake_snapshots_pass_their_chapters_tests(fake_course, tmp_path):
    for number in (1, 2):
        destination = tmp_path / f"snapshot{number}"
        snapshot(fake_course, number, destination)
        results = run_tests(fake_course, destination, fake_course.through(number))
        assert results.returncode == 0, results.output
        assert len(results.tests) == [3, 5][number - 1]


@pytest.mark.slow
def test_a_chapter_whose_tests_use_a_later_chapter_fails_its_snapshot(make_fake_course, tmp_path):
    course = Course(
        make_fake_course(
            {"chapters/01_hello/tests/test_later.py": "def test_uses_chapter_two():\n    import tinyframe.more\n"}
        )
    )
    snapshot(course, 1, tmp_path / "snapshot")
    results = run_tests(course, tmp_path / "snapshot", course.through(1))
    assert results.returncode == 1
    [failure] = results.failures()
    assert failure.message == "ModuleNotFoundError: No module named 'tinyframe.more'"


@pytest.mark.slow
def test_a_module_missing_from_the_implementation_is_not_taken_from_elsewhere(tmp_path):
    """Even with the reference installed (editable), --impl sees only its own directory."""
    implementation = tmp_path / "implementation"
    (implementation / "tinyframe").mkdir(parents=True)
    (implementation / "tinyframe" / "__init__.py").write_text("")
    test_file = tmp_path / "test_missing.py"
    test_file.write_text(
        "import pytest\n\n"
        "def test_missing():\n"
        "    with pytest.raises(ModuleNotFoundError):\n"
        "        import tinyframe.conf\n"
    )
    (tmp_path / "pytest.ini").write_text("[pytest]\n")
    completed = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-p", "chapters.pytest_plugin",
         "--impl", str(implementation), "--rootdir", str(tmp_path), "-c", str(tmp_path / "pytest.ini"),
         str(test_file)],
        cwd=ROOT, capture_output=True, text=True,
    )  # fmt: skip
    assert completed.returncode == 0, completed.stdout + completed.stderr


@pytest.mark.slow
@pytest.mark.parametrize("number", CHAPTER_NUMBERS)
def test_the_snapshot_after_each_chapter_passes_the_tests_of_chapters_up_to_it(staging_results, number):
    """For every N: the framework after chapter N passes chapters 1..N's tests, with nothing later."""
    results = staging_results[number]
    failing = [
        f"  {test.nodeid}: {test.message.splitlines()[0] if test.message else ''}"
        for test in results.failures()
    ]
    detail = "\n".join(failing[:10]) or results.output[-2000:]
    assert (
        results.returncode == 0
    ), f"the snapshot after chapter {number} fails (exit {results.returncode}):\n{detail}"
