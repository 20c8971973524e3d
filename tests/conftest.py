"""Fixtures for the cross-cutting tests: the real course, and a tiny fake one.

The settings come from ``chapters/conftest.py``, the one place they are written,
so that the doctests of ``tinyframe/`` run with the same settings as the
chapters' tests when ``tests/`` runs alone.

The fake course is two chapters of a few lines each, with the same shape as the
real one (manifests, a marker block, same-named test files in both chapters), so
the machinery can be tested in detail in well under a second per case.
"""

import concurrent.futures
import os
import pathlib
import shutil
import textwrap

import pytest

from chapters.runner import run_tests
from chapters.course import Course
from chapters.staging import snapshot
from chapters.stubs import stub_source

ROOT = pathlib.Path(__file__).resolve().parent.parent


def pytest_configure(config):
    from chapters.conftest import pytest_configure as configure_settings

    configure_settings(config)


@pytest.fixture(scope="session")
def course() -> Course:
    """The real course, from this checkout."""
    return Course(ROOT)


def in_parallel(function, arguments: list) -> list:
    """``[function(argument) for argument in arguments]``, one thread per core.

    Each call runs pytest in a subprocess, so threads are enough to keep every
    core busy.
    """
    with concurrent.futures.ThreadPoolExecutor(max_workers=os.cpu_count() or 2) as pool:
        return list(pool.map(function, arguments))


@pytest.fixture(scope="session")
def parallel():
    """``in_parallel``, for tests that run one subprocess per chapter or exercise."""
    return in_parallel


@pytest.fixture(scope="session")
def staging_results(course, tmp_path_factory) -> dict:
    """For every chapter N: the results of chapters 1..N's tests run on the snapshot after N."""

    # Snapshots are made one at a time; only the pytest subprocesses run in parallel.
    destinations = {}
    for chapter in course.chapters:
        destinations[chapter.number] = tmp_path_factory.mktemp(f"snapshot-{chapter.slug}")
        snapshot(course, chapter.number, destinations[chapter.number])

    def run(chapter):
        return run_tests(course, destinations[chapter.number], course.through(chapter.number))

    return dict(zip(destinations, in_parallel(run, course.chapters)))


@pytest.fixture(scope="session")
def honesty_results(course, tmp_path_factory) -> dict:
    """For every exercise: its marked tests run on the whole framework with only it stubbed."""
    reference = tmp_path_factory.mktemp("reference")
    snapshot(course, course.last.number, reference)

    # The stubs are written one at a time, before any thread starts: CPython 3.11's
    # ast.parse is not thread-safe ("AST constructor recursion depth mismatch").
    destinations = {}
    for exercise in course.exercises():
        destination = destinations[exercise.id] = tmp_path_factory.mktemp(f"stubbed-{exercise.id}")
        shutil.copytree(reference / "tinyframe", destination / "tinyframe")
        path = destination / exercise.path
        source = path.read_text(encoding="utf-8")
        path.write_text(
            stub_source(source, exercise.qualname, exercise.id, exercise.task, exercise.path),
            encoding="utf-8",
        )

    def run(exercise):
        return run_tests(course, destinations[exercise.id], [course.chapter_of(exercise)], exercises=(exercise.id,))

    return dict(zip(destinations, in_parallel(run, course.exercises())))


FAKE_FILES = {
    "pyproject.toml": """
        [tool.pytest.ini_options]
        addopts = "--import-mode=importlib -p chapters.pytest_plugin"
    """,
    "tinyframe/__init__.py": '''
        """A fake framework for testing the course machinery."""
    ''',
    "tinyframe/greet.py": '''
        """Greetings.

        >>> greet("Ada")
        'Hello, Ada!'
        """

        # A comment that every snapshot keeps.


        def greet(name):
            """Return a greeting for ``name``."""
            # say hello
            return f"Hello, {name}!"


        class Shouter:
            """Shouts."""

            @staticmethod
            def shout(text):
                """Return ``text`` in capitals, with an exclamation mark."""
                return text.upper() + "!"

            # >>> 02_more
            def whisper(self, text):
                """Return ``text`` in small letters."""
                return text.lower()

            # <<< 02_more
            volume = 11
    ''',
    "tinyframe/more.py": '''
        """More things, added by chapter 02."""


        def double(number):
            """Return twice ``number``."""
            return number * 2
    ''',
    "chapters/01_hello/chapter.toml": """
        title = "Hello"
        summary = "Greeting people."
        tutorial = "tutorials/01_hello.md"
        files = ["tinyframe/__init__.py", "tinyframe/greet.py"]

        [[exercises]]
        id = "01.1"
        title = "Greeting"
        target = "tinyframe/greet.py:greet"
        task = "return 'Hello, NAME!'"
        hint = "Use an f-string."
        more_hints = ["f'Hello, {name}!'", "return f'Hello, {name}!'"]

        [[exercises]]
        id = "01.2"
        title = "Shouting"
        target = "tinyframe/greet.py:Shouter.shout"
        task = "return the text in capitals with a '!'"
        hint = "str.upper()"
    """,
    "chapters/01_hello/tests/test_greet.py": '''
        import pytest

        from tinyframe.greet import Shouter, greet


        @pytest.mark.exercise("01.1")
        def test_greet_names_the_person():
            """greet("Ada") says hello to Ada."""
            assert greet("Ada") == "Hello, Ada!", f"greet('Ada') returned {greet('Ada')!r}, expected 'Hello, Ada!'"


        @pytest.mark.exercise("01.2")
        def test_shout_uses_capitals():
            """Shouting is in capitals."""
            assert Shouter.shout("hi") == "HI!"


        def test_volume():
            assert Shouter.volume == 11
    ''',
    "chapters/02_more/chapter.toml": """
        title = "More"
        tutorial = "tutorials/02_more.md"
        files = ["tinyframe/more.py"]

        [[exercises]]
        id = "02.1"
        title = "Doubling"
        target = "tinyframe/more.py:double"
        task = "return twice the number"
        hint = "Multiply."
    """,
    "chapters/02_more/tests/test_greet.py": '''
        import pytest

        from tinyframe.greet import Shouter
        from tinyframe.more import double


        @pytest.mark.exercise("02.1")
        def test_double():
            """Doubling 21 gives 42."""
            assert double(21) == 42


        def test_whisper():
            assert Shouter().whisper("HI") == "hi"
    ''',
    "tutorials/01_hello.md": '''
        # Hello

        <!-- source: tinyframe/greet.py:greet -->
        ```python
        def greet(name):
            """Return a greeting for ``name``."""
            # say hello
            return f"Hello, {name}!"
        ```

        >>> 1 + 1
        2
    ''',
    "tutorials/02_more.md": """
        # More

        >>> from tinyframe.more import double
        >>> double(2)
        4
    """,
}


def write_fake_course(root: pathlib.Path, overrides: dict | None = None) -> pathlib.Path:
    """Write the fake course (with ``overrides``: path → text, or None to leave a file out)."""
    files = {**FAKE_FILES, **(overrides or {})}
    for path, text in files.items():
        if text is None:
            continue
        target = root / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
    return root


@pytest.fixture
def fake_course(tmp_path) -> Course:
    """A two-chapter fake course in a temporary directory."""
    return Course(write_fake_course(tmp_path / "course"))


@pytest.fixture
def make_fake_course(tmp_path):
    """``make_fake_course(overrides)`` writes a variant of the fake course and returns its root."""
    return lambda overrides=None: write_fake_course(tmp_path / "course", overrides)


# The course tool, run in-process as a learner types it (tests/test_course_*.py).


@pytest.fixture
def elsewhere(tmp_path, monkeypatch):
    """Run from a directory of its own, so no workspace is found by accident."""
    directory = tmp_path / "elsewhere"
    directory.mkdir()
    monkeypatch.chdir(directory)


@pytest.fixture
def cli(capsys):
    """``cli(course, *arguments)`` runs the tool in-process: (exit status, stdout, stderr)."""
    from chapters.__main__ import main

    def run(course, *arguments):
        status = main(["--course", str(course.root), *map(str, arguments)])
        out, err = capsys.readouterr()
        return status, out, err

    return run
