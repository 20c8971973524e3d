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

Every ``>>>`` example in a tutorial is a doctest: ``run_doctests`` runs them all
with the standard ``doctest`` module in a fresh Python process, so each tutorial
configures settings itself, from a clean slate. The source blocks are left out
(``examples_text``): the examples in their docstrings belong to the module.
The examples run from a course root whose example site (``tutorials/site``)
is the site as it stood after the tutorial's chapter (``site_as_of``): from
chapter 10 on, chapters add to the site in marker blocks, as they add to
``tinyframe/``, and chapter 05's tutorial shows the middleware the site had
before chapter 10, not chapter 10's seven.
"""

import dataclasses
import pathlib
import re
import shutil
import subprocess
import sys
import tempfile

from chapters.source import DefinitionNotFound, definition_source
from chapters.staging import strip_blocks

SOURCE_MARKER = re.compile(r"^<!--\s*source:\s*(?P<spec>\S+?)\s*-->\s*$")
FENCE = re.compile(r"^(?P<fence>```+|~~~+)")
TUTORIAL_NAME = re.compile(r"^(?P<number>\d{2})_")
SYNC_COMMAND = "python -m chapters sync-tutorials"
# Chapters 01-09 grew the example site by editing it in place, so their
# tutorials' examples run against the site of chapter 09; from chapter 10 on,
# each chapter adds to the site in marker blocks, which later tutorials drop.
SITE_STAGED_AFTER = 9


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
                Mismatch(
                    tutorial, block.marker_line, block.spec, f"differs from the source; run {SYNC_COMMAND}"
                )
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
    """What running a tutorial's examples gave."""

    attempted: int
    failed: int
    output: str


# Runs in a fresh interpreter: the tutorial's text arrives on standard input.
DOCTEST_SCRIPT = """
import doctest, sys
name, text = sys.argv[1], sys.stdin.read()
test = doctest.DocTestParser().get_doctest(text, {"__name__": "__main__"}, name, name, 0)
runner = doctest.DocTestRunner(optionflags=doctest.ELLIPSIS)
runner.run(test)
print(f"{runner.tries} examples, {runner.failures} failed")
sys.exit(1 if runner.failures else 0)
"""


def examples_text(markdown: str, filename: str = "<tutorial>") -> str:
    """The tutorial with its source blocks blanked, lines kept in place.

    A source block shows code from ``tinyframe/``, whose docstrings may hold
    examples of their own; those belong to the module (tests/test_doctests.py
    runs them there), not to the tutorial.

    >>> examples_text("a\\n<!-- source: tinyframe/a.py -->\\n```\\n>>> 1\\n```\\n>>> 2\\n")
    'a\\n<!-- source: tinyframe/a.py -->\\n```\\n\\n```\\n>>> 2\\n'
    """
    lines = markdown.splitlines(keepends=True)
    for block in source_blocks(markdown, filename):
        for index in range(block.start - 1, block.end):
            lines[index] = "\n"
    return "".join(lines)


def site_as_of(root: pathlib.Path, through: int, destination: pathlib.Path) -> pathlib.Path:
    """A course root in ``destination`` whose example site is the one after chapter ``through``.

    Everything but ``tutorials/site`` is a symbolic link to ``root``'s own;
    the site is a copy with the marker blocks of later chapters removed.
    """
    for entry in root.iterdir():
        if entry.name != "tutorials":
            (destination / entry.name).symlink_to(entry, target_is_directory=entry.is_dir())
    (destination / "tutorials").mkdir()
    for entry in (root / "tutorials").iterdir():
        if entry.name != "site":
            (destination / "tutorials" / entry.name).symlink_to(entry, target_is_directory=entry.is_dir())
    copy_site(root, through, destination / "tutorials" / "site")
    return destination


def copy_site(root: pathlib.Path, through: int, destination: pathlib.Path) -> None:
    """Copy the course's example site, as it stands after chapter ``through``, into ``destination``.

    Its database and Python's caches stay behind; text files lose the marker
    blocks of later chapters.
    """
    site = root / "tutorials" / "site"
    for path in site.rglob("*"):
        if not path.is_file() or "__pycache__" in path.parts or path.suffix == ".sqlite3":
            continue
        copy = destination / path.relative_to(site)
        copy.parent.mkdir(parents=True, exist_ok=True)
        data = path.read_bytes()
        if b">>>" in data:
            data = strip_blocks(data.decode("utf-8"), through, str(path)).encode("utf-8")
        copy.write_bytes(data)


def run_doctests(tutorial: str | pathlib.Path, root: str | pathlib.Path | None = None) -> DoctestResult:
    """Run every ``>>>`` example of ``tutorial`` in a fresh Python process, from the course root.

    The example site is the one after the tutorial's chapter (``site_as_of``);
    where symbolic links cannot be made, the examples run in ``root`` itself.
    """
    tutorial = pathlib.Path(tutorial).resolve()
    root = pathlib.Path(root) if root is not None else tutorial.parent.parent
    text = examples_text(tutorial.read_text(encoding="utf-8"), tutorial.name)
    with tempfile.TemporaryDirectory(prefix="tutorial-") as scratch:
        cwd = root
        through = chapter_of(tutorial)
        if through is not None and (root / "tutorials" / "site").is_dir():
            try:
                cwd = site_as_of(root.resolve(), max(through, SITE_STAGED_AFTER), pathlib.Path(scratch))
            except OSError:  # no symbolic links here (Windows without the privilege)
                shutil.rmtree(scratch, ignore_errors=True)
                pathlib.Path(scratch).mkdir(exist_ok=True)
        completed = subprocess.run(
            [sys.executable, "-c", DOCTEST_SCRIPT, tutorial.name],
            cwd=cwd,
            input=text,
            capture_output=True,
            text=True,
            encoding="utf-8",
            errors="replace",
        )
    output = completed.stdout + completed.stderr
    summary = re.search(r"^(\d+) examples, (\d+) failed$", completed.stdout, re.MULTILINE)
    if not summary:  # Python itself failed
        return DoctestResult(0, 1, output)
    return DoctestResult(int(summary[1]), int(summary[2]), output)
