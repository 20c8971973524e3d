"""The framework as it stands after any chapter, cut from the final reference.

How it works: every file of ``tinyframe/`` belongs to one chapter, so the
snapshot after chapter N starts as the files of chapters 1..N. A later chapter
that extends an earlier chapter's file inserts its lines between marker comments,
and ``strip_blocks`` drops the blocks of chapters after N. ``snapshot_files``
does both in memory, ``snapshot`` writes the result to a directory and ``diff``
compares two consecutive snapshots: what chapter N changes.

The marker rule, defined here once:

- A line whose text, after leading whitespace, is a comment opener (``#``,
  ``{#``, ``<!--`` or ``//``) followed by ``>>> NN_slug`` opens a block inserted
  by chapter NN. The matching ``<<< NN_slug`` line, with any opener, closes it.
  Anything may follow the name on a marker line (``-->``, ``#}``, a note).
- The snapshot after chapter N removes the blocks of chapters later than N,
  their marker lines included, and keeps the blocks of chapters up to N,
  marker lines included: they are ordinary comments.
- Blocks nest: a later chapter's block may sit inside an earlier chapter's
  block, and goes when its own chapter is later than N.
- An inner block must come from a later chapter than the block around it, a
  block from a later chapter than the file's owner, and every marker must be
  balanced; otherwise ``StagingError`` names the file and the line.

For example, in ``tinyframe/core/handlers/base.py`` (owned by chapter 01)::

    response = self.get_response(request)
    # >>> 04_signals
    request_finished.send(sender=self.__class__)
    # <<< 04_signals
    return response
"""

import dataclasses
import difflib
import pathlib
import re

from chapters.course import Course

MARKER = re.compile(
    r"^[ \t]*(?:#|\{#|<!--|//)[ \t]*(?P<direction>>>>|<<<)[ \t]*(?P<name>(?P<number>\d{2})_[A-Za-z0-9_]+)"
)


class StagingError(Exception):
    """The marker comments of a file are unbalanced or out of order."""


@dataclasses.dataclass(frozen=True)
class Block:
    """Lines ``start``..``end`` (1-based, marker lines included) added by one chapter."""

    name: str
    number: int
    start: int
    end: int


def find_blocks(text: str, filename: str = "<text>") -> list[Block]:
    """Every marked block of ``text``, outer blocks before the blocks inside them.

    >>> find_blocks("a\\n# >>> 04_signals\\nb\\n# <<< 04_signals\\n")
    [Block(name='04_signals', number=4, start=2, end=4)]
    >>> find_blocks("# <<< 04_signals\\n", "base.py")
    Traceback (most recent call last):
      ...
    chapters.staging.StagingError: base.py:1: '<<< 04_signals' closes a block that was never opened.
    """
    blocks: list[Block] = []
    open_blocks: list[tuple[str, int]] = []  # (name, line) of each block still open
    for line_number, line in enumerate(text.splitlines(), start=1):
        match = MARKER.match(line)
        if not match:
            continue
        name, number = match["name"], int(match["number"])
        where = f"{filename}:{line_number}"
        if match["direction"] == ">>>":
            if open_blocks and int(open_blocks[-1][0][:2]) >= number:
                outer, outer_line = open_blocks[-1]
                raise StagingError(
                    f"{where}: block '{name}' is inside block '{outer}' (line {outer_line}); "
                    "a block inside another must come from a later chapter."
                )
            open_blocks.append((name, line_number))
            blocks.append(Block(name, number, line_number, 0))
            continue
        if not open_blocks:
            raise StagingError(f"{where}: '<<< {name}' closes a block that was never opened.")
        open_name, open_line = open_blocks.pop()
        if open_name != name:
            raise StagingError(
                f"{where}: '<<< {name}' does not match the open block '{open_name}' "
                f"(opened on line {open_line}); close it with '<<< {open_name}' first."
            )
        index = max(i for i, block in enumerate(blocks) if block.start == open_line)
        blocks[index] = dataclasses.replace(blocks[index], end=line_number)
    if open_blocks:
        name, line_number = open_blocks[-1]
        raise StagingError(
            f"{filename}:{line_number}: block '{name}' is never closed; add a '<<< {name}' line."
        )
    return blocks


def strip_blocks(text: str, through: int, filename: str = "<text>") -> str:
    """``text`` as it stands after chapter ``through``: later chapters' blocks removed.

    >>> text = "a\\n# >>> 02_urls\\nb\\n# >>> 04_signals\\nc\\n# <<< 04_signals\\n# <<< 02_urls\\nd\\n"
    >>> print(strip_blocks(text, 1), end="")
    a
    d
    >>> print(strip_blocks(text, 3), end="")
    a
    # >>> 02_urls
    b
    # <<< 02_urls
    d
    """
    lines = text.splitlines(keepends=True)
    dropped = set()
    for block in find_blocks(text, filename):
        if block.number > through:
            dropped.update(range(block.start, block.end + 1))
    return "".join(line for number, line in enumerate(lines, start=1) if number not in dropped)


def snapshot_files(course: Course, through: int) -> dict[str, bytes]:
    """The files of ``tinyframe/`` after chapter ``through``, by path relative to the root.

    Text files lose the blocks of later chapters; files without a marker (binary
    ones, such as compiled translation catalogs) are copied byte for byte.
    """
    files: dict[str, bytes] = {}
    for chapter in course.through(through):
        for path in chapter.files:
            data = (course.root / path).read_bytes()
            if b">>>" in data:
                text = data.decode("utf-8")
                for block in find_blocks(text, path):
                    if block.number <= chapter.number:
                        raise StagingError(
                            f"{path}:{block.start}: block '{block.name}' is in a file owned by "
                            f"{chapter.slug}; a block marks what a later chapter adds."
                        )
                data = strip_blocks(text, through, path).encode("utf-8")
            files[path] = data
    return files


def write_files(files: dict[str, bytes], destination: str | pathlib.Path) -> list[pathlib.Path]:
    """Write ``files`` (relative path → content) under ``destination``."""
    written = []
    for path, data in files.items():
        target = pathlib.Path(destination, *path.split("/"))
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
        written.append(target)
    return written


def snapshot(course: Course, through: int, destination: str | pathlib.Path) -> list[pathlib.Path]:
    """Write the framework after chapter ``through`` into ``destination/tinyframe/``."""
    return write_files(snapshot_files(course, through), destination)


def diff(course: Course, number: int, after: dict[str, bytes] | None = None) -> str:
    """What chapter ``number`` changes: a unified diff of snapshot number-1 → number.

    ``after`` replaces the snapshot after the chapter: ``diff N`` gives the
    chapter's starter, so that the exercises' bodies stay stubs.
    """
    before = snapshot_files(course, number - 1)
    after = snapshot_files(course, number) if after is None else after
    parts = []
    for path in sorted(set(before) | set(after)):
        old, new = before.get(path), after.get(path)
        if old == new:
            continue
        if is_binary(old) or is_binary(new):
            change = "added" if old is None else "removed" if new is None else "changed"
            parts.append(f"Binary file {path} {change}\n")
            continue
        old_lines = old.decode("utf-8").splitlines(keepends=True) if old is not None else []
        new_lines = new.decode("utf-8").splitlines(keepends=True) if new is not None else []
        parts.extend(
            terminated(line)
            for line in difflib.unified_diff(
                old_lines,
                new_lines,
                fromfile=f"a/{path}" if old is not None else "/dev/null",
                tofile=f"b/{path}" if new is not None else "/dev/null",
            )
        )
    return "".join(parts)


def terminated(line: str) -> str:
    """A diff line that ends with a newline, even if the file's last line had none."""
    return line if line.endswith("\n") else line + "\n\\ No newline at end of file\n"


def is_binary(data: bytes | None) -> bool:
    """Whether file content is not UTF-8 text (``None``, a missing file, is not binary)."""
    if data is None:
        return False
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return True
    return b"\0" in data
