"""Requests through whole frameworks, side by side: tinyframe, Django, Flask, Bottle and raw WSGI.

Run by hand from the repository root (pytest does not collect this folder)::

    python -m pip install -e '.[bench]'      # Django, Flask and Bottle, to compare with
    python tests/benchmarks/requests.py      # about a minute; --quick for a rough run

Each framework serves two views: ``/hello/``, the text "Hello, world!", and
``/json/``, a small JSON object. A request is one call of the framework's WSGI
application, in process, with no socket: the environ is a copy of a fixed
dict (plus a fresh empty ``wsgi.input``), the body is read to the end and
``close()`` is called, as a server would. A raw WSGI function is the floor.

tinyframe and Django are measured twice: with no middleware, and with the
default middleware of a new project — tinyframe's example site (Security,
Common, XFrameOptions) and Django's ``startproject`` list (those three plus
sessions, CSRF, authentication and messages). Flask and Bottle have no
middleware to speak of; they appear once.

Every framework runs in a subprocess of its own (``--worker NAME``), so that
Django's and tinyframe's settings never meet. The parent has them take turns,
a batch of requests each per round, and prints one table: the median over
the rounds, in microseconds per request, and each figure as a multiple of
tinyframe's with the same middleware. The targets (issue 5):
with no middleware, tinyframe no slower than Bottle; with the default
middleware, at least 5x faster than Django with its default middleware.
"""

import argparse
import io
import json
import pathlib
import statistics
import subprocess
import sys
import time
import types

ROOT = pathlib.Path(__file__).resolve().parents[2]

HELLO = "Hello, world!"
DATA = {"message": HELLO, "framework": "", "items": [1, 2, 3]}

ENVIRON = {
    "REQUEST_METHOD": "GET",
    "SCRIPT_NAME": "",
    "QUERY_STRING": "",
    "SERVER_NAME": "localhost",
    "SERVER_PORT": "80",
    "SERVER_PROTOCOL": "HTTP/1.1",
    "REMOTE_ADDR": "127.0.0.1",
    "HTTP_HOST": "localhost",
    "HTTP_USER_AGENT": "tinyframe-benchmark",
    "HTTP_ACCEPT": "*/*",
    "wsgi.version": (1, 0),
    "wsgi.url_scheme": "http",
    "wsgi.errors": sys.stderr,
    "wsgi.multithread": False,
    "wsgi.multiprocess": False,
    "wsgi.run_once": False,
}

TINYFRAME_MIDDLEWARE = [
    "tinyframe.middleware.security.SecurityMiddleware",
    "tinyframe.middleware.common.CommonMiddleware",
    "tinyframe.middleware.clickjacking.XFrameOptionsMiddleware",
]

DJANGO_MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]


# The applications, one function per framework: each returns {label: wsgi_app}.

def raw_apps() -> dict:
    """The floor: a WSGI function that does nothing but answer."""
    hello = HELLO.encode()
    data = json.dumps({**DATA, "framework": "raw"}).encode()

    def application(environ, start_response):
        if environ["PATH_INFO"] == "/json/":
            start_response("200 OK", [("Content-Type", "application/json"), ("Content-Length", str(len(data)))])
            return [data]
        start_response("200 OK", [("Content-Type", "text/plain"), ("Content-Length", str(len(hello)))])
        return [hello]

    return {"raw WSGI": application}


def tinyframe_apps() -> dict:
    sys.path.insert(0, str(ROOT))
    from tinyframe.conf import settings
    from tinyframe.core.handlers.wsgi import WSGIHandler
    from tinyframe.http import HttpResponse, JsonResponse
    from tinyframe.urls import path

    def hello(request):
        return HttpResponse(HELLO, content_type="text/plain")

    def data(request):
        return JsonResponse({**DATA, "framework": "tinyframe"})

    urls = types.ModuleType("tinyframe_bench_urls")
    urls.urlpatterns = [path("hello/", hello), path("json/", data)]
    sys.modules[urls.__name__] = urls
    settings.configure(DEBUG=False, SECRET_KEY="benchmark", ALLOWED_HOSTS=["localhost"],
                       ROOT_URLCONF=urls.__name__, MIDDLEWARE=[])
    bare = WSGIHandler()
    settings.MIDDLEWARE = TINYFRAME_MIDDLEWARE
    return {"tinyframe, no middleware": bare, "tinyframe, default middleware": WSGIHandler()}


def django_apps() -> dict:
    import django
    from django.conf import settings

    settings.configure(
        DEBUG=False, SECRET_KEY="benchmark", ALLOWED_HOSTS=["localhost"], ROOT_URLCONF="django_bench_urls",
        MIDDLEWARE=[], USE_TZ=True,
        INSTALLED_APPS=["django.contrib.auth", "django.contrib.contenttypes", "django.contrib.sessions",
                        "django.contrib.messages"],
        DATABASES={"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": ":memory:"}},
    )
    django.setup()
    from django.core.handlers.wsgi import WSGIHandler
    from django.http import HttpResponse, JsonResponse
    from django.urls import path

    def hello(request):
        return HttpResponse(HELLO, content_type="text/plain")

    def data(request):
        return JsonResponse({**DATA, "framework": "django"})

    urls = types.ModuleType("django_bench_urls")
    urls.urlpatterns = [path("hello/", hello), path("json/", data)]
    sys.modules[urls.__name__] = urls
    bare = WSGIHandler()
    settings.MIDDLEWARE = DJANGO_MIDDLEWARE
    return {"Django, no middleware": bare, "Django, default middleware": WSGIHandler()}


def flask_apps() -> dict:
    import flask

    app = flask.Flask("bench")

    @app.route("/hello/")
    def hello():
        return flask.Response(HELLO, content_type="text/plain")

    @app.route("/json/")
    def data():
        return flask.jsonify({**DATA, "framework": "flask"})

    return {"Flask": app.wsgi_app}


def bottle_apps() -> dict:
    import bottle

    app = bottle.Bottle()

    @app.route("/hello/")
    def hello():
        bottle.response.content_type = "text/plain"
        return HELLO

    @app.route("/json/")
    def data():
        return {**DATA, "framework": "bottle"}  # Bottle sends a returned dict as JSON

    return {"Bottle": app}


FRAMEWORKS = {"raw": raw_apps, "tinyframe": tinyframe_apps, "django": django_apps, "flask": flask_apps,
              "bottle": bottle_apps}
VIEWS = {"hello": "/hello/", "json": "/json/"}


def request_once(application, path: str, expected_start: bytes) -> None:
    """One request, as a server makes it; fail loudly if the answer is not what the view returns."""
    environ = dict(ENVIRON, PATH_INFO=path)
    environ["wsgi.input"] = io.BytesIO()
    statuses = []
    body = application(environ, lambda status, headers, exc_info=None: statuses.append(status))
    content = b"".join(body)
    if hasattr(body, "close"):
        body.close()
    if statuses != ["200 OK"] or not content.startswith(expected_start):
        raise RuntimeError(f"{path} answered {statuses} {content[:80]!r}")


def time_once(application, path: str, number: int) -> float:
    """Microseconds per request over ``number`` requests to ``path``, as a server would make them."""
    environ_template = dict(ENVIRON, PATH_INFO=path)

    def start_response(status, headers, exc_info=None):
        return None

    start = time.perf_counter()
    for _ in range(number):
        environ = environ_template.copy()
        environ["wsgi.input"] = io.BytesIO()
        body = application(environ, start_response)
        b"".join(body)
        if hasattr(body, "close"):
            body.close()
    return (time.perf_counter() - start) / number * 1e6


def worker(name: str, number: int) -> None:
    """Serve the parent: load one framework, then time each of its cases once per line read from stdin.

    Each answer is one line of JSON, ``{"label|view": microseconds}``.
    """
    try:
        applications = FRAMEWORKS[name]()
    except ImportError as error:
        print(json.dumps({"missing": str(error)}), flush=True)
        return
    for application in applications.values():
        for view, path in VIEWS.items():
            request_once(application, path, b"Hello" if view == "hello" else b"{")
    print(json.dumps({"ready": list(applications)}), flush=True)
    for _ in sys.stdin:
        results = {}
        for label, application in applications.items():
            for view, path in VIEWS.items():
                results[f"{label}|{view}"] = time_once(application, path, number)
        print(json.dumps(results), flush=True)


def measure(repeats: int, number: int) -> tuple[dict, list]:
    """Start one worker per framework and time them in turns, ``repeats`` rounds; medians by case.

    Taking turns spreads whatever else the machine is doing over every
    framework alike, so the ratios hold even when the absolute figures move.
    """
    workers, missing = {}, []
    for name in FRAMEWORKS:
        process = subprocess.Popen([sys.executable, __file__, "--worker", name, "--number", str(number)],
                                   stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
        first = json.loads(process.stdout.readline())
        if "missing" in first:
            missing.append(f"{name} ({first['missing']})")
            process.wait()
        else:
            workers[name] = process
    timings: dict[str, list] = {}
    try:
        for _ in range(repeats):
            for process in workers.values():
                process.stdin.write("run\n")
                process.stdin.flush()
                for key, value in json.loads(process.stdout.readline()).items():
                    timings.setdefault(key, []).append(value)
    finally:
        for process in workers.values():
            process.stdin.close()
            process.wait()
    return {key: statistics.median(values) for key, values in timings.items()}, missing


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer rounds: a rough figure in seconds")
    parser.add_argument("--worker", choices=sorted(FRAMEWORKS), help=argparse.SUPPRESS)
    parser.add_argument("--number", type=int, default=0, help=argparse.SUPPRESS)
    options = parser.parse_args()
    number = options.number or (500 if options.quick else 2000)
    if options.worker:
        worker(options.worker, number)
        return
    results, missing = measure(5 if options.quick else 21, number)
    print_table(results)
    if missing:
        print("\nNot installed, left out:", ", ".join(missing))


def print_table(results: dict) -> None:
    labels = list(dict.fromkeys(key.split("|")[0] for key in results))
    print(f"{'µs per request (median)':34} {'hello':>8} {'json':>8}   {'x tinyframe (same middleware)':>30}")
    for label in labels:
        figures = [results.get(f"{label}|{view}") for view in VIEWS]
        reference = "tinyframe, default middleware" if "default" in label else "tinyframe, no middleware"
        ratios = []
        for view, figure in zip(VIEWS, figures):
            base = results.get(f"{reference}|{view}")
            ratios.append(f"{figure / base:5.2f}x" if figure and base else "   -  ")
        cells = " ".join(f"{figure:8.1f}" if figure else f"{'-':>8}" for figure in figures)
        print(f"{label:34} {cells}   {'  '.join(ratios):>30}")

    def mean_of(label):
        values = [results.get(f"{label}|{view}") for view in VIEWS]
        return statistics.mean(values) if all(values) else None

    bare, full = mean_of("tinyframe, no middleware"), mean_of("tinyframe, default middleware")
    bottle, django_full = mean_of("Bottle"), mean_of("Django, default middleware")
    print()
    if bare and bottle:
        verdict = "met" if bare <= bottle else "missed"
        print(f"No middleware: tinyframe {bare:.1f} µs vs Bottle {bottle:.1f} µs — target (no slower) {verdict}.")
    if full and django_full:
        verdict = "met" if django_full / full >= 5 else "missed"
        print(f"Default middleware: Django / tinyframe = {django_full / full:.1f}x — target (>= 5x) {verdict}.")


if __name__ == "__main__":
    main()
