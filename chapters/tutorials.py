"""Tutorials that show the real code and run their examples.

How it works: in ``tutorials/NN_slug.md``, a line
``<!-- source: tinyframe/urls/resolvers.py:URLPattern.match -->`` right before a
fenced code block says the block shows that definition (decorators included,
dedented); a path alone, without ``:Name``, means the whole file.
``source_blocks`` finds those blocks, ``expected_source`` reads the code as it
stands after the tutorial's chapter (later chapters' marker blocks removed),
``check_tutorial`` lists the blocks that differ and ``sync_tutorial`` rewrites
them from the source (``python -m chapters sync-tutorials``). Code is named, never
cited by line number, so it survives edits.

Every ``>>>`` example in a tutorial is a doctest: ``run_doctests`` runs the whole
file with the standard ``doctest`` module in a fresh Python process, so each
tutorial configures settings itself, from a clean slate.
"""

import dataclasses
import pathlib
import re
import subprocess
import sys

from chapters.source import DefinitionNotFound, definition_source
from chapters.staging import strip_blocks

SOURCE_MARKER = re.compile(r"^<!--\s*source:\s*(?P<spec>\S+?)\s*-->\s*$")
FENCE = re.compile(r"^(?P<fence>```+|~~~+)")
TUTORIAL_NAME = re.compile(r"^(?P<number>\d{2})_")
SYNC_COMMAND = "python -m chapters sync-tutorials"


class TutorialError(Exception):
    """A source marker that points nowhere, or is not followed by a code block."""


@dataclasses.dataclass(frozen=True)
class SourceBlock:
    """A fenced block that shows the code ``spec`` names; ``start``..``end`` are its body lines."""

    spec: str
    marker_line: int
    start: int
    end: int
    text: str


@dataclasses.dataclass(frozen=True)
class Mismatch:
    """A block that no longer shows its source."""

    tutorial: pathlib.Path
    line: int
    spec: str
    problem: str

    def __str__(self):
        return f"{self.tutorial.name}:{self.line}: the block for {self.spec} {self.problem}"


def source_blocks(markdown: str, filename: str = "<tutorial>") -> list[SourceBlock]:
    """The code blocks of ``markdown`` that follow a ``<!-- source: ... -->`` marker.

    >>> text = "<!-- source: tinyframe/a.py:f -->\\n```python\\ndef f():\\n    pass\\n```\\n"
    >>> source_blocks(text)
    [SourceBlock(spec='tinyframe/a.py:f', marker_line=1, start=3, end=4, text='def f():\\n    pass\\n')]
    """
    lines = markdown.splitlines(keepends=True)
    blocks = []
    for index, line in enumerate(lines):
        match = SOURCE_MARKER.match(line.strip())
        if not match:
            continue
        opening = lines[index + 1] if index + 1 < len(lines) else ""
        fence = FENCE.match(opening)
        if not fence:
            raise TutorialError(
                f"{filename}:{index + 1}: a source marker must be followed at once by a fenced "
                "code block (```python)."
            )
        for closing in range(index + 2, len(lines)):
            if lines[closing].strip() == fence["fence"]:
                break
        else:
            raise TutorialError(f"{filename}:{index + 2}: the code block is never closed.")
        body = "".join(lines[index + 2 : closing])
        blocks.append(SourceBlock(match["spec"], index + 1, index + 3, closing, body))
    return blocks


def chapter_of(tutorial: pathlib.Path) -> int | None:
    """The chapter number a tutorial teaches, from its name (``02_urls.md`` → 2)."""
    match = TUTORIAL_NAME.match(tutorial.name)
    return int(match["number"]) if match else None


def expected_source(root: pathlib.Path, spec: str, through: int | None = None) -> str:
    """The code ``spec`` names (``path`` or ``path:Name``), as it stands after chapter ``through``."""
    path, _, qualname = spec.partition(":")
    file = root / path
    if not file.is_file():
        raise TutorialError(f"{spec}: no file {path}")
    text = file.read_text(encoding="utf-8")
    if through is not None:
        text = strip_blocks(text, through, path)
    if not qualname:
        return text
    try:
        return definition_source(text, qualname)
    except DefinitionNotFound:
        raise TutorialError(f"{spec}: no function or class {qualname} in {path}") from None


def check_tutorial(tutorial: str | pathlib.Path, root: str | pathlib.Path | None = None) -> list[Mismatch]:
    """Every source block of ``tutorial`` that differs from its source (empty: all in sync)."""
    tutorial = pathlib.Path(tutorial)
    root = pathlib.Path(root) if root is not None else tutorial.resolve().parent.parent
    mismatches = []
    for block in source_blocks(tutorial.read_text(encoding="utf-8"), str(tutorial)):
        try:
            expected = expected_source(root, block.spec, chapter_of(tutorial))
        except TutorialError as error:
            mismatches.append(Mismatch(tutorial, block.marker_line, block.spec, f"points nowhere ({error})"))
            continue
        if block.text != expected:
            mismatches.append(
                Mismatch(tutorial, block.marker_line, block.spec, f"differs from the source; run {SYNC_COMMAND}")
            )
    return mismatches


def sync_tutorial(tutorial: str | pathlib.Path, root: str | pathlib.Path | None = None) -> int:
    """Rewrite every source block of ``tutorial`` from its source; return how many changed."""
    tutorial = pathlib.Path(tutorial)
    root = pathlib.Path(root) if root is not None else tutorial.resolve().parent.parent
    with open(tutorial, encoding="utf-8", newline="") as file:
        markdown = file.read()
    lines = markdown.splitlines(keepends=True)
    changed = 0
    for block in reversed(source_blocks(markdown, str(tutorial))):
        expected = expected_source(root, block.spec, chapter_of(tutorial))
        if block.text != expected:
            lines[block.start - 1 : block.end] = expected.splitlines(keepends=True)
            changed += 1
    if changed:
        with open(tutorial, "w", encoding="utf-8", newline="") as file:
            file.write("".join(lines))
    return changed


@dataclasses.dataclass(frozen=True)
class DoctestResult:
    """What ``python -m doctest`` said about a tutorial."""

    attempted: int
    failed: int
    output: str


def run_doctests(tutorial: str | pathlib.Path, root: str | pathlib.Path | None = None) -> DoctestResult:
    """Run every ``>>>`` example of ``tutorial`` in a fresh Python process, from the course root."""
    tutorial = pathlib.Path(tutorial).resolve()
    root = pathlib.Path(root) if root is not None else tutorial.parent.parent
    completed = subprocess.run(
        [sys.executable, "-m", "doctest", "-v", "-o", "ELLIPSIS", str(tutorial)],
        cwd=root,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        encoding="utf-8",
        errors="replace",
    )
    output = completed.stdout + completed.stderr
    summary = re.search(r"^(\d+) passed and (\d+) failed\.$", output, re.MULTILINE)
    if summary:
        passed, failed = int(summary[1]), int(summary[2])
        return DoctestResult(passed + failed, failed, failures_only(output))
    # No summary line: the file had no examples (doctest then says nothing), or Python failed.
    attempted = 0 if completed.returncode == 0 else -1
    return DoctestResult(attempted, 0 if completed.returncode == 0 else 1, output)


def failures_only(output: str) -> str:
    """The failure reports of ``doctest -v`` output, without its list of passing examples."""
    separator = "*" * 70
    if separator not in output:
        return ""
    return separator + output.split(separator, 1)[1]
