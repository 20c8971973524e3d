"""Fixtures for chapter 06: database tables made for one test.

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


def close_what_a_failed_test_left_open() -> None:
    """Roll back and forget a transaction a failed test left half open, so the next test starts clean.

    A stub raising inside an ``atomic`` block's ``__exit__`` (exercise 06.1
    not written yet) leaves the connection in the block; without this, every
    later test of the process would fail for that one.
    """
    from tinyframe.db import connections

    for wrapper in connections.all(initialized_only=True):
        if wrapper.in_atomic_block or wrapper.atomic_blocks or wrapper.savepoint_ids or not wrapper.autocommit:
            wrapper.close()  # SQLite rolls back what was not committed
            wrapper.atomic_blocks.clear()
            wrapper.savepoint_ids.clear()
            wrapper.run_on_commit.clear()
            wrapper.in_atomic_block = wrapper.needs_rollback = False
            wrapper.commit_on_exit = wrapper.autocommit = True


@pytest.fixture(autouse=True)
def transaction_state_reset():
    """After each test: ``close_what_a_failed_test_left_open``."""
    yield
    close_what_a_failed_test_left_open()


@pytest.fixture
def tables():
    """tables(*models): create their tables now (schema_editor().create_model); drop them after the test."""
    # Imported here, not at the top: a test module must load before chapter 06 is written.
    from tinyframe.db import connection

    created = []

    def create(*models) -> None:
        with connection.schema_editor() as editor:
            for model in models:
                editor.create_model(model)
                created.append(model)

    yield create
    close_what_a_failed_test_left_open()
    with connection.schema_editor() as editor:
        for model in reversed(created):
            editor.delete_model(model)


@pytest.fixture
def sql_table():
    """sql_table("t (id integer primary key, n int)"): CREATE TABLE in the test database now; DROP it after."""
    from tinyframe.db import connection

    names = []

    def create(definition: str) -> str:
        name = definition.split()[0]
        with connection.cursor() as cursor:
            cursor.execute(f"CREATE TABLE {definition}")
        names.append(name)
        return name

    yield create
    with connection.cursor() as cursor:
        for name in names:
            cursor.execute(f"DROP TABLE IF EXISTS {name}")


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
