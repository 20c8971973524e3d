"""What the side-by-side benchmarks share: timing in turns, and a profile of tinyframe's part.

Imported by ``forms.py`` and ``admin.py`` (run by hand as scripts, so this
directory is on ``sys.path``).
"""

import collections
import cProfile
import os
import pstats
import statistics
import time
import timeit

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def median_seconds(functions: dict, repeat: int, number: int) -> dict:
    """``{name: median CPU time of one call}``, over ``repeat`` batches of ``number`` calls each, taken in turns.

    CPU time (``time.process_time``) rather than the wall clock: every
    contender runs in this one thread, and on a busy machine the wall clock
    also counts the time other processes had the CPU, which made two runs
    disagree by half. Taking turns spreads any change in the machine's load
    over all contenders alike.
    """
    times = {name: [] for name in functions}
    for _ in range(repeat):
        for name, function in functions.items():
            times[name].append(timeit.Timer(function, timer=time.process_time).timeit(number) / number)
    return {name: statistics.median(batches) for name, batches in times.items()}


def where(filename: str) -> str:
    """A profiled function's file, relative to the repository when it is in it."""
    if filename == "~":
        return "(built-in functions)"
    return os.path.relpath(filename, ROOT) if filename.startswith(ROOT) else filename


def print_profile(job: str, run, calls: int, unit: str, own_code) -> None:
    """Profile ``calls`` calls of ``run()`` and print where the time goes.

    Three lists: own time by file, the busiest functions by own time, and the
    functions ``own_code(filename)`` accepts (the part being measured: the
    admin, the forms) by the time spent inside them, calls included. ``unit``
    names one call in the output ("a page", "a form"). Call ``run()`` once
    before, so that the profile shows warm work (templates compiled).
    """
    profiler = cProfile.Profile()
    profiler.runcall(lambda: [run() for _ in range(calls)])
    stats = pstats.Stats(profiler).stats
    total = sum(own for _, _, own, _, _ in stats.values())
    by_file = collections.Counter()
    for (filename, _, _), (_, _, own, _, _) in stats.items():
        by_file[where(filename)] += own
    print(f"{job}: {total / calls * 1e6:.0f}us {unit} under the profiler. Own time by file:")
    for filename, own in by_file.most_common(15):
        print(f"  {own / total:6.1%}  {filename}")
    print(f"  busiest functions (own time; calls {unit}):")
    busiest = sorted(stats.items(), key=lambda item: item[1][2], reverse=True)[:20]
    for (filename, line, function), (_, count, own, _, _) in busiest:
        print(f"  {own / total:6.1%} {count / calls:>6.0f}  {where(filename)}:{line}({function})")
    print(f"  its own functions, by time spent inside them (calls included; calls {unit}):")
    inside = [
        (cumulative, count, f"{where(filename)}:{line}({function})")
        for (filename, line, function), (_, count, _, cumulative, _) in stats.items()
        if own_code(filename)
    ]
    for cumulative, count, name in sorted(inside, reverse=True)[:20]:
        print(f"  {cumulative / total:6.1%} {count / calls:>6.0f}  {name}")
    print()
