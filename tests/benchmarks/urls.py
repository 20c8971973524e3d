"""Resolving and reversing URLs, side by side: tinyframe, Django and Werkzeug.

Run by hand from the repository root (pytest does not collect this folder)::

    python -m pip install -e '.[bench]'      # Django and Werkzeug, to compare with
    python tests/benchmarks/urls.py          # about a minute; --quick for a rough run

For N = 10, 100 and 1,000 routes ``articles<i>/<int:year>/<slug:slug>/`` (each
with its own literal start, as the views of a real site have), it times, in
one process:

- ``resolve`` of the last route's path, the worst case for a linear scan;
- ``404``: resolving a path that no route matches;
- ``reverse`` of the last route's name, with kwargs.

tinyframe and Django use ``resolve(path, urlconf=module)`` and
``reverse(name, urlconf=module, kwargs=...)``. Werkzeug uses an equivalent
``Map`` of ``Rule`` objects, bound once outside the timing (its per-request
``bind`` is not counted): ``adapter.match(path)`` and ``adapter.build(...)``.
Each figure is the median of several repeats of ``timeit``, in microseconds
per call. The targets (issue 3): at N = 1,000, resolve at least 20x faster
than Django and no slower than Werkzeug; reverse no slower than Django at
every N; a 404 as cheap as a match; resolve growing at most 2x from 10 to 1,000.
tinyframe is timed without its cache of recent paths (see ``tinyframe_cases``).
"""

import argparse
import pathlib
import statistics
import sys
import timeit
import types

ROOT = pathlib.Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

SIZES = (10, 100, 1000)
YEAR, SLUG = 2024, "building-a-web-framework"
MISSING = "/nothing/here/"


def view(request, **kwargs):
    return None


def last_path(size: int) -> str:
    return f"/articles{size - 1}/{YEAR}/{SLUG}/"


def tinyframe_cases(size: int) -> dict:
    from tinyframe.urls import Resolver404, get_resolver, path, resolve, reverse

    urls = types.ModuleType(f"tinyframe_bench_urls_{size}")
    urls.urlpatterns = [
        path(f"articles{number}/<int:year>/<slug:slug>/", view, name=f"article{number}") for number in range(size)
    ]
    # The resolver remembers the candidates of the paths it saw last, and this
    # benchmark asks for one path over and over: turn that cache off, so that
    # every call walks the index as a path seen for the first time would.
    index = get_resolver(urls).index
    index.cached_candidates = index.candidates
    return cases(resolve, reverse, Resolver404, urls, size)


def django_cases(size: int) -> dict:
    import django
    from django.conf import settings

    if not settings.configured:
        settings.configure(DEBUG=False, ROOT_URLCONF=None, ALLOWED_HOSTS=["*"])
        django.setup()
    from django.urls import Resolver404, path, resolve, reverse

    urls = types.ModuleType(f"django_bench_urls_{size}")
    urls.urlpatterns = [
        path(f"articles{number}/<int:year>/<slug:slug>/", view, name=f"article{number}") for number in range(size)
    ]
    return cases(resolve, reverse, Resolver404, urls, size)


def cases(resolve, reverse, not_found, urls, size: int) -> dict:
    """The three timed calls, the same for tinyframe and Django (they share the API)."""
    path, name, kwargs = last_path(size), f"article{size - 1}", {"year": YEAR, "slug": SLUG}

    def missing():
        try:
            resolve(MISSING, urlconf=urls)
        except not_found:
            pass

    return {
        "resolve": lambda: resolve(path, urlconf=urls),
        "404": missing,
        "reverse": lambda: reverse(name, urlconf=urls, kwargs=kwargs),
    }


def werkzeug_cases(size: int) -> dict:
    from werkzeug.exceptions import NotFound
    from werkzeug.routing import BaseConverter, Map, Rule

    class SlugConverter(BaseConverter):
        regex = "[-a-zA-Z0-9_]+"

    rules = [Rule(f"/articles{number}/<int:year>/<slug:slug>/", endpoint=f"article{number}") for number in range(size)]
    adapter = Map(rules, converters={"slug": SlugConverter}).bind("localhost")
    path, name, values = last_path(size), f"article{size - 1}", {"year": YEAR, "slug": SLUG}

    def missing():
        try:
            adapter.match(MISSING)
        except NotFound:
            pass

    return {
        "resolve": lambda: adapter.match(path),
        "404": missing,
        "reverse": lambda: adapter.build(name, values),
    }


FRAMEWORKS = {"tinyframe": tinyframe_cases, "django": django_cases, "werkzeug": werkzeug_cases}


def median_microseconds(call, repeat: int, quick: bool) -> float:
    """The median time of one call, in µs, over ``repeat`` runs of timeit."""
    timer = timeit.Timer(call)
    number, _ = timer.autorange()
    if quick:
        number = max(1, number // 10)
    return statistics.median(total / number for total in timer.repeat(repeat=repeat, number=number)) * 1e6


def check_the_calls_agree(results: dict) -> None:
    """Before timing: every framework resolves the last path to the same values, and builds the same URL."""
    for size in SIZES:
        expected_url = last_path(size)
        for framework, calls in results[size].items():
            url = calls["reverse"]()
            if url not in (expected_url, f"http://localhost{expected_url}"):
                raise SystemExit(f"{framework} reversed article{size - 1} to {url!r}, not {expected_url!r}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=7, help="timeit repeats per figure (median taken)")
    parser.add_argument("--quick", action="store_true", help="a tenth of the calls per repeat: rough figures")
    options = parser.parse_args()

    available = {}
    for framework, make in FRAMEWORKS.items():
        try:
            available[framework] = {size: make(size) for size in SIZES}
        except ImportError as error:
            print(f"({framework} not installed: {error}; pip install -e '.[bench]')")
    calls = {size: {framework: available[framework][size] for framework in available} for size in SIZES}
    check_the_calls_agree(calls)

    timings = {}  # (operation, framework, size) -> µs
    for operation in ("resolve", "404", "reverse"):
        for framework in available:
            for size in SIZES:
                call = available[framework][size][operation]
                call()  # warm up: import the URLconf, build indexes and caches
                timings[operation, framework, size] = median_microseconds(call, options.repeat, options.quick)

    print(f"\nMedian µs per call (median of {options.repeat} repeats), N routes; growth = N=1000 / N=10\n")
    header = f"{'operation':<9} {'framework':<10}" + "".join(f"{f'N={size}':>11}" for size in SIZES) + f"{'growth':>9}"
    print(header)
    print("-" * len(header))
    for operation in ("resolve", "404", "reverse"):
        for framework in available:
            figures = [timings[operation, framework, size] for size in SIZES]
            row = "".join(f"{figure:>11.2f}" for figure in figures)
            print(f"{operation:<9} {framework:<10}{row}{figures[-1] / figures[0]:>8.1f}x")
        print()

    print("Ratios (how many times faster tinyframe is; < 1 means slower)\n")
    for peer in [framework for framework in available if framework != "tinyframe"]:
        for operation in ("resolve", "404", "reverse"):
            ratios = "".join(
                f"{timings[operation, peer, size] / timings[operation, 'tinyframe', size]:>10.1f}x" for size in SIZES
            )
            print(f"{peer + ' / tinyframe':<22} {operation:<8}{ratios}")
    ratios = "".join(
        f"{timings['404', 'tinyframe', size] / timings['resolve', 'tinyframe', size]:>10.2f}x" for size in SIZES
    )
    print(f"{'tinyframe 404 / match':<22} {'':<8}{ratios}")


if __name__ == "__main__":
    main()
