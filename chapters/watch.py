"""Re-check a workspace every time the learner saves, or presses Enter.

How it works: ``watch`` runs a check, then polls the modification times of the
workspace's ``.py`` files (``modification_times``) twice a second and checks
again when they change, saying at once which file changed (``changed_files``),
so the learner knows the save was seen while the check runs. OS file-watching APIs are not used on purpose: they miss
changes on network drives, in containers and on some Windows setups, while
polling always works. A background thread reads lines from standard input, so
pressing Enter re-runs the check at once. Ctrl-C stops watching.
"""

import pathlib
import queue
import sys
import threading
import time
from collections.abc import Callable

INTERVAL = 0.5


def modification_times(root: pathlib.Path) -> dict[str, int]:
    """Every ``.py`` file under ``root/tinyframe`` and its modification time, in nanoseconds."""
    times = {}
    for path in (root / "tinyframe").rglob("*.py"):
        try:
            times[str(path)] = path.stat().st_mtime_ns
        except FileNotFoundError:  # deleted between listing and looking: an editor's swap file
            continue
    return times


def changed_files(root: pathlib.Path, before: dict[str, int], after: dict[str, int]) -> list[str]:
    """The files, relative to ``root``, that appeared, went or changed between two looks.

    >>> changed_files(pathlib.Path("/w"), {"/w/a.py": 1, "/w/b.py": 1}, {"/w/a.py": 2, "/w/c.py": 1})
    ['a.py', 'b.py', 'c.py']
    """
    paths = {path for path in before.keys() | after.keys() if before.get(path) != after.get(path)}
    return sorted(pathlib.Path(path).relative_to(root).as_posix() for path in paths)


def read_lines(stream, lines: queue.Queue) -> None:
    """Put every line read from ``stream`` on ``lines``, then ``None`` at the end of input."""
    try:
        for line in iter(stream.readline, ""):
            lines.put(line)
    except (OSError, ValueError):  # no usable standard input: only file changes count
        pass
    lines.put(None)


def say(text: str) -> None:
    """Print at once, even to a pipe: the learner must see "checking…" while the check runs."""
    print(text, flush=True)


def watch(
    root: pathlib.Path,
    run_check: Callable[[], int],
    write=say,
    interval: float = INTERVAL,
    max_checks: int | None = None,
    stream=None,
    clear: Callable[[], None] | None = None,
) -> int:
    """Run ``run_check`` now and after every change under ``root``; return the last result.

    ``max_checks`` stops after that many checks (for tests and scripts); without
    it, watching goes on until Ctrl-C. ``clear``, when given, clears the screen
    before each check.
    """
    stream = sys.stdin if stream is None else stream
    enter_pressed: queue.Queue = queue.Queue()
    reader = None  # started before the first wait, so a single check never reads input
    checks, result = 0, 1
    reason = ""
    try:
        while True:
            seen = modification_times(root)
            if clear is not None:
                clear()
            if reason:
                write(reason)
            result = run_check()
            checks += 1
            if max_checks is not None and checks >= max_checks:
                return result
            write(
                f"\nWatching {root} for changes — save a file, or press Enter to check again; Ctrl-C to stop."
            )
            if reader is None and stream is not None:
                reader = threading.Thread(target=read_lines, args=(stream, enter_pressed), daemon=True)
                reader.start()
            reason = wait_for_change(root, seen, enter_pressed, interval)
    except KeyboardInterrupt:
        write("\nStopped watching.")
        return result


def wait_for_change(
    root: pathlib.Path, seen: dict[str, int], enter_pressed: queue.Queue, interval: float
) -> str:
    """Wait until a file under ``root`` changed (or appeared, or went), or Enter was pressed; say which."""
    input_open = True
    while True:
        try:
            line = enter_pressed.get(timeout=interval) if input_open else None
        except queue.Empty:
            line = ""
        if line is None:
            input_open = False  # end of input: nothing more to wait for there
            time.sleep(interval)
        elif line:
            return "Enter pressed — checking…"
        now = modification_times(root)
        if now != seen:
            files = changed_files(root, seen, now)
            more = f" (and {len(files) - 1} more)" if len(files) > 1 else ""
            return f"change detected in {files[0]}{more} — checking…"
