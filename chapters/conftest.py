"""Settings and fixtures shared by every chapter's tests.

Every chapter's suite runs in one process (``python -m chapters check 3`` runs
chapters 1, 2 and 3), and settings can be configured only once a process, so the
configuration lives here, above all the chapters. A test that needs other values
uses ``tinyframe.test.utils.override_settings``, or the ``use_settings`` fixture
for the rest of one test.
"""

import contextlib
import importlib.util
import itertools
import re
import reprlib
import sys
import types

import pytest

from chapters.stubs import describe, exception_chain, stubbed_exercises

_numbers = itertools.count()


# >>> 10_auth
# The test paths this pytest process was given; pytest_configure records them.
_test_paths: list[str] = []


def runs_only_chapters_before(number: int) -> bool:
    """Whether every test path of this run lies in a chapter numbered below ``number``.

    The learner's ``check`` runs each earlier chapter's tests in a process of
    their own. Such a process installs no app of a later chapter, so it does
    not import that chapter's code, and editing that code does not make the
    next check run the earlier chapter again (``chapters.freshness`` compares
    the files a run imported). The staging test proves that a chapter's tests
    pass without the later chapters' apps. The full suite, run with no path or
    with the whole tree, installs every app.

    >>> _test_paths[:] = ["/course/chapters/07_relations/tests"]
    >>> runs_only_chapters_before(10), runs_only_chapters_before(7)
    (True, False)
    >>> _test_paths[:] = ["chapters/07_relations/tests", "tests"]
    >>> runs_only_chapters_before(10)
    False
    >>> _test_paths.clear()
    """
    numbers = [re.search(r"(?:^|[\\/])chapters[\\/](\d\d)_", path) for path in _test_paths]
    return bool(numbers) and all(match and int(match.group(1)) < number for match in numbers)


def contrib_settings() -> dict:
    """The contributed apps, installed for every chapter as a project would install them, once they exist.

    Their models are made when the registry fills. The framework under test may
    stop before chapter 10 (a snapshot, a learner's workspace): then there are
    none to install. Tests hash passwords with MD5, the fast hasher Django's
    own test settings use too: PBKDF2 at Django's count takes about half a
    second a password.
    """
    if runs_only_chapters_before(10):
        return {}
    try:
        import tinyframe.contrib  # noqa: F401
    except ModuleNotFoundError as error:
        if error.name != "tinyframe.contrib":
            raise
        return {}
    apps = ["tinyframe.contrib.sessions", "tinyframe.contrib.auth", "tinyframe.contrib.messages"]
    # >>> 11_admin
    # find_spec, not an import: a run that leaves the admin out must not load its code.
    # The course's import finder refuses a module the implementation does not have.
    try:
        admin_exists = importlib.util.find_spec("tinyframe.contrib.admin") is not None
    except ModuleNotFoundError:
        admin_exists = False
    if admin_exists and not runs_only_chapters_before(11):
        apps.insert(0, "tinyframe.contrib.admin")  # Django's order: the admin first
    # <<< 11_admin
    return {
        "INSTALLED_APPS": apps,
        "PASSWORD_HASHERS": ["tinyframe.contrib.auth.hashers.MD5PasswordHasher"],
    }


# <<< 10_auth
def pytest_configure(config):
    from tinyframe.conf import settings

    # >>> 10_auth
    _test_paths[:] = [str(path) for path in config.args]
    # <<< 10_auth
    if not settings.configured:
        settings.configure(
            DEBUG=False,
            SECRET_KEY="tinyframe-tests-not-secret",
            ALLOWED_HOSTS=["testserver", "localhost", "127.0.0.1", "[::1]"],
            # >>> 06_orm
            DATABASES={"default": {"ENGINE": "tinyframe.db.backends.sqlite3", "NAME": ":memory:"}},
            # <<< 06_orm
            # >>> 10_auth
            **contrib_settings(),
            # <<< 10_auth
        )
    # >>> 06_orm
    # Models are defined at import time, in test modules, and ask the app
    # registry for their app; tinyframe.setup() would fill it, as in a project.
    # The framework under test may stop before chapter 06 (a snapshot, a
    # learner's workspace): then there is no registry to fill.
    try:
        from tinyframe.apps import apps
    except ModuleNotFoundError as error:
        if error.name != "tinyframe.apps":
            raise
    else:
        try:
            apps.populate(settings.INSTALLED_APPS)
        except Exception as error:
            # Loading the installed apps (chapter 10's contrib models) ran an
            # exercise that is still a stub: a signal's connect, say. Leave the
            # registry unfilled rather than stop every test; those that need
            # the models fail on the stub, and show as waiting for it.
            if not waits(error):
                raise
    # <<< 06_orm


@pytest.fixture
def use_settings():
    """``use_settings(**values)``: override settings for the rest of the test, undone after it (last first)."""
    from tinyframe.test.utils import override_settings

    overrides = []

    def enable(**values) -> None:
        override = override_settings(**values)
        override.enable()
        overrides.append(override)

    yield enable
    for override in reversed(overrides):
        override.disable()


@pytest.fixture
def throwaway_module():
    """``throwaway_module(**attributes) -> str``: a module made for one test, importable by its name.

    Settings name code by dotted path (``ROOT_URLCONF``, ``MIDDLEWARE``...), so a
    test that defines a URLconf or a middleware puts it in a module registered
    in ``sys.modules`` under a unique name. The modules go after the test.
    """
    names = []

    def make(**attributes) -> str:
        name = f"tinyframe_test_module_{next(_numbers)}"
        module = types.ModuleType(name)
        module.__dict__.update(attributes)
        sys.modules[name] = module
        names.append(name)
        return name

    yield make
    for name in names:
        sys.modules.pop(name, None)


@pytest.fixture
def check_rows():
    """``check_rows(rows, check)``: a whole table of cases as one test; see ``check_every_row``."""
    return check_every_row


def check_every_row(rows, check) -> None:
    """Call ``check(*row)`` for every row; if any fails, fail once, naming the first and counting them all.

    Why one test for a table instead of one per row: pytest spends about half a
    millisecond around every test it runs, and a learner's ``check`` pays that
    on every save. A table of three hundred rows as one test keeps the check
    within its two seconds, and the message still says which row failed.

    A row that fails only because it reached an exercise not written yet (its
    stub raised) is reported after any row that fails for a real reason, so a
    wrong answer is never hidden behind a wait; when every failure waits, the
    stub's error is the cause, and ``check`` shows the test as waiting.
    """
    rows = list(rows)
    failures = []
    for number, row in enumerate(rows, 1):
        try:
            check(*row)
        except (Exception, pytest.fail.Exception) as error:  # a failed assert, pytest.raises or fail, or an error
            failures.append((number, row, error))
    if not failures:
        return
    real = [failure for failure in failures if not waits(failure[2])]
    number, row, error = (real or failures)[0]
    if isinstance(error, AssertionError):
        first = str(error)
    elif isinstance(error, pytest.fail.Exception):  # pytest.raises' "DID NOT RAISE ..." does not say which row
        first = f"row {number}, {reprlib.repr(row)}: {error}"
    else:
        first = f"row {number}, {reprlib.repr(row)}, raised {describe(error)}"
    raise AssertionError(f"{len(failures)} of {len(rows)} rows fail; the first: {first}") from error


def waits(error: BaseException) -> bool:
    """Whether an error comes from an exercise's stub (the exercise is not written yet)."""
    return bool(stubbed_exercises(" ".join(map(describe, exception_chain(error)))))


# >>> 06_orm
# Database fixtures: chapter 06's tests and every later chapter's use them.


def close_what_a_failed_test_left_open() -> None:
    """Roll back and forget a transaction a failed test left half open, so the next test starts clean.

    A stub raising inside an ``atomic`` block's ``__exit__`` (exercise 06.1
    not written yet) leaves the connection in the block; without this, every
    later test of the process would fail for that one.
    """
    db = sys.modules.get("tinyframe.db")
    if db is None:
        return  # chapters before 06, or no test has touched a database yet
    for wrapper in db.connections.all(initialized_only=True):
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

def table_names(connection) -> set[str]:
    """The names of the tables in ``connection``'s database, SQLite's own left out."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")
        return {name for (name,) in cursor.fetchall()}


@contextlib.contextmanager
def database_as_found():
    """Run a block that migrates whole projects, then leave the test database as it was before.

    The block starts with no migration history (one left by code outside it
    would make its apps look applied; it is set aside) and may create any
    tables; afterwards those tables are dropped and the history put back.
    """
    from tinyframe.db import connection

    before = table_names(connection)
    history = None
    if "tinyframe_migrations" in before:
        with connection.cursor() as cursor:
            cursor.execute("SELECT id, app, name, applied FROM tinyframe_migrations")
            history = cursor.fetchall()
            cursor.execute("DELETE FROM tinyframe_migrations")
    try:
        yield connection
    finally:
        close_what_a_failed_test_left_open()
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA foreign_keys = OFF")
            for table in sorted(table_names(connection) - before):
                cursor.execute(f'DROP TABLE IF EXISTS "{table}"')
            cursor.execute("PRAGMA foreign_keys = ON")
            if history is not None:
                cursor.execute("DELETE FROM tinyframe_migrations")
                for row in history:
                    cursor.execute(
                        "INSERT INTO tinyframe_migrations (id, app, name, applied) VALUES (%s, %s, %s, %s)", row
                    )
# <<< 06_orm
