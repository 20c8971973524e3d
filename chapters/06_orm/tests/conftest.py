"""Fixtures for chapter 06's tests (``tables`` and ``sql_table`` are in chapters/conftest.py).

Test models are defined at module level, each with ``class Meta: app_label =
"..."`` unique to its test module. The ``tables`` fixture creates their tables
in the in-memory test database (``DATABASES`` in chapters/conftest.py) and
drops them after the test, so every test starts from empty tables::

    def test_count(tables):
        tables(Book)
        Book.objects.create(title="Dune")
        assert Book.objects.count() == 1

The connection and transaction tests, which come before models, use plain
SQL tables instead: ``sql_table("t (id integer primary key, n int)")``.
"""

import os
import pathlib
import subprocess
import sys

import pytest


@pytest.fixture
def race():
    """race(script, *args): run ``script`` in two Python processes at once; return the error output of each that failed.

    Each process prints "ready" once it is set up, then waits for a line on
    its standard input, so that the two start their work together and
    really compete for the database.
    """
    import tinyframe

    environment = {**os.environ, "PYTHONPATH": str(pathlib.Path(tinyframe.__file__).parent.parent)}

    def run(script: str, *args: str) -> list[str]:
        processes = [
            subprocess.Popen([sys.executable, "-c", script, *args], stdin=subprocess.PIPE,
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=environment)
            for _ in range(2)
        ]
        for process in processes:
            assert process.stdout.readline() == "ready\n", process.stderr.read()
        for process in processes:
            process.stdin.write("go\n")
            process.stdin.flush()
        return [process.communicate(timeout=60)[1] for process in processes if process.wait(timeout=60)]

    return run
