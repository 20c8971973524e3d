"""Each chapter's own test suite covers at least 90% of the lines its files own.

The whole suite's coverage (95%, in ``pyproject.toml``) could hide a chapter whose
files are only exercised by later chapters' tests. This runs each chapter's suite
alone, under coverage, in a subprocess, and measures just the files its manifest
lists. Lines inside a later chapter's marker block are that chapter's, not this
one's (chapter 10 adds ``login`` to chapter 01's test client): they are left out.
"""

import json
import pathlib
import subprocess
import sys

import pytest

from chapters.staging import find_blocks

ROOT = pathlib.Path(__file__).resolve().parent.parent

CHAPTER_MINIMUM = 90.0


def chapter_coverage(chapter, directory) -> tuple[float, dict[str, float]]:
    """(percent of the chapter's statements its own suite runs, percent by file)."""
    data_file = directory / ".coverage"
    report = directory / "coverage.json"
    subprocess.run(
        [sys.executable, "-m", "coverage", "run", f"--data-file={data_file}", "--source=tinyframe",
         "-m", "pytest", "-q", "-p", "no:cacheprovider", f"chapters/{chapter.slug}/tests"],
        cwd=ROOT, capture_output=True, text=True, check=True,
    )
    subprocess.run(
        [sys.executable, "-m", "coverage", "json", f"--data-file={data_file}", "--fail-under=0", "-o", str(report)],
        cwd=ROOT, capture_output=True, text=True, check=True,
    )
    measured = json.loads(report.read_text(encoding="utf-8"))["files"]
    statements = covered = 0
    by_file = {}
    for path in chapter.files:
        summary = measured.get(path, {}).get("summary")
        if path.endswith(".py") and summary is None:
            # Never imported by the chapter's tests: every statement in it is missed.
            raise AssertionError(f"{path} is never imported by chapter {chapter.slug}'s tests")
        if not summary:
            continue
        later = later_chapters_lines(ROOT / path, chapter.number)
        executed = set(measured[path]["executed_lines"]) - later
        own = executed | (set(measured[path]["missing_lines"]) - later)
        if own:
            statements += len(own)
            covered += len(executed)
            by_file[path] = 100.0 * len(executed) / len(own)
    return (100.0 * covered / statements if statements else 100.0), by_file


def later_chapters_lines(path: pathlib.Path, number: int) -> set[int]:
    """The line numbers of ``path`` inside marker blocks of chapters after ``number``."""
    text = path.read_text(encoding="utf-8")
    return {
        line
        for block in find_blocks(text, str(path))
        if block.number > number
        for line in range(block.start, block.end + 1)
    }


@pytest.mark.slow
def test_each_chapter_suite_covers_its_own_files(course, parallel, tmp_path):
    def measure(chapter):
        directory = tmp_path / chapter.slug
        directory.mkdir()
        return chapter, chapter_coverage(chapter, directory)

    for chapter, (percent, by_file) in parallel(measure, course.chapters):
        weakest = sorted(by_file.items(), key=lambda item: item[1])[:3]
        assert percent >= CHAPTER_MINIMUM, (
            f"chapter {chapter.slug}'s own tests cover {percent:.1f}% of its files; the bar is "
            f"{CHAPTER_MINIMUM}%. Least covered: "
            + ", ".join(f"{path} {value:.0f}%" for path, value in weakest)
        )
