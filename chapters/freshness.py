"""Remembering a check's results, so that the next check runs only what may have changed.

How it works: after a chapter's tests ran against a workspace, ``remember``
writes every test's outcome to ``.tinyframe-cache/`` in the workspace, with a
*fingerprint* of everything the results depend on: the content of each
implementation file the run imported (the pytest plugin lists them), the list of
the implementation's files and the content of those that are not Python (a
template or a module found by listing a directory counts too), the chapter's own
test files, and the Python version. Before the next check, ``recall`` computes
the fingerprint again: when nothing in it changed, the tests would do exactly
what they did, and their results are reused instead of run again.

``check`` recalls only earlier chapters: the current chapter is what the learner
is editing, so it always runs, and its remembered test durations serve to split
it evenly over the CPUs (``split_tests``).
"""

import dataclasses
import hashlib
import json
import os
import pathlib
import sys

from chapters.course import Chapter
from chapters.runner import Results, result_from_entry

CACHE_DIRECTORY = ".tinyframe-cache"
FORMAT_VERSION = 1
# What pytest itself spends on a test (collecting, fixtures, reporting), measured on a 2-core machine.
PYTEST_SECONDS_PER_TEST = 0.0015


def digest(data: bytes) -> str:
    return hashlib.blake2b(data, digest_size=16).hexdigest()


def implementation_files(root: pathlib.Path) -> list[str]:
    """Every file of the workspace's ``tinyframe/``, as sorted relative paths, caches left out."""
    files = []
    for directory, subdirectories, names in os.walk(root / "tinyframe"):
        subdirectories[:] = sorted(name for name in subdirectories if name != "__pycache__")
        for name in names:
            if not name.endswith((".pyc", ".pyo")):
                files.append(pathlib.Path(directory, name).relative_to(root).as_posix())
    return sorted(files)


def fingerprint(chapter: Chapter, root: pathlib.Path, imported: list[str]) -> dict:
    """What a chapter's results depend on, as digests: compare two to know whether anything changed."""
    tree = implementation_files(root)
    listing = [path if path.endswith(".py") else f"{path} {digest((root / path).read_bytes())}" for path in tree]
    tests = sorted(path for path in chapter.tests_directory.rglob("*") if path.is_file() and "__pycache__" not in path.parts)
    return {
        "python": sys.version,
        "tree": digest("\n".join(listing).encode()),
        "tests": digest(b"".join(path.name.encode() + path.read_bytes() for path in tests)),
        "files": {path: digest((root / path).read_bytes()) for path in imported if (root / path).is_file()},
    }


def cache_path(root: pathlib.Path, chapter: Chapter) -> pathlib.Path:
    return root / CACHE_DIRECTORY / f"results-{chapter.slug}.json"


def remember(chapter: Chapter, root: pathlib.Path, results: Results) -> None:
    """Keep a run's results, and what they depend on, for the next check."""
    if not results.ran:
        return
    record = {
        "format_version": FORMAT_VERSION,
        "fingerprint": fingerprint(chapter, root, list(results.imported)),
        "returncode": results.returncode,
        "tests": [dataclasses.asdict(test) for test in results.for_chapter(chapter)],
    }
    path = cache_path(root, chapter)
    path.parent.mkdir(exist_ok=True)
    temporary = path.with_suffix(".tmp")
    temporary.write_text(json.dumps(record), encoding="utf-8")
    os.replace(temporary, path)


def remembered(chapter: Chapter, root: pathlib.Path) -> dict | None:
    """The last record of a chapter's results in this workspace, if there is a readable one."""
    try:
        record = json.loads(cache_path(root, chapter).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(record, dict) or record.get("format_version") != FORMAT_VERSION:
        return None
    return record


def recall(chapter: Chapter, root: pathlib.Path, unwritten: frozenset[str]) -> Results | None:
    """The chapter's last results, if nothing they depend on has changed since; else ``None``."""
    record = remembered(chapter, root)
    if record is None:
        return None
    before = record["fingerprint"]
    if fingerprint(chapter, root, list(before["files"])) != before:
        return None
    tests = [result_from_entry(entry) for entry in record["tests"]]
    return Results(tests, record["returncode"], "", unwritten, tuple(before["files"]))


def split_tests(chapter: Chapter, root: pathlib.Path, jobs: int) -> list[list[pathlib.Path]]:
    """The chapter's test files in at most ``jobs`` groups of about the same running time.

    The time of each file comes from the last check (its tests' durations,
    plus pytest's own cost per test, about a millisecond and a half), or from
    its size before there was one. A group is worth a process of its own only
    when it saves more than a process costs to start, about half a second.
    """
    files = sorted(chapter.tests_directory.glob("test_*.py"))
    record = remembered(chapter, root)
    seconds: dict[str, float] = {}
    if record is not None:
        for entry in record["tests"]:
            name = entry["nodeid"].partition("::")[0].rpartition("/")[2]
            seconds[name] = seconds.get(name, 0.0) + entry.get("duration", 0.0) + PYTEST_SECONDS_PER_TEST
    weights = {file: seconds.get(file.name, file.stat().st_size / 20_000) for file in files}
    groups = max(1, min(jobs, len(files), int(sum(weights.values()) / 0.5)))
    totals = [0.0] * groups
    members: list[list[pathlib.Path]] = [[] for _ in range(groups)]
    for file in sorted(files, key=weights.get, reverse=True):  # the longest first, each to the lightest group
        lightest = totals.index(min(totals))
        totals[lightest] += weights[file]
        members[lightest].append(file)
    return [sorted(group) for group in members if group]
