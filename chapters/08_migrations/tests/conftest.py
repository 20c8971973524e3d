"""Fixtures for chapter 08's tests: throwaway apps and migration packages on disk.

Migrations are Python modules found by import, so a test that loads or runs
them writes real packages. The ``project`` fixture writes them under pytest's
``tmp_path``, puts that folder on ``sys.path``, and undoes everything after
the test: the packages' modules leave ``sys.modules``, their models leave the
global app registry, and every table the test created (the recorder's
``tinyframe_migrations`` included) is dropped from the shared in-memory
database (a ``tinyframe_migrations`` that was there before the test is
emptied for it and refilled after). So an app label such as ``"blog"`` can
be reused from test to test::

    def test_migrate_applies_the_initial_migration(project):
        project.app("blog", migrations={
            "0001_initial": project.migration(operations='''
                migrations.CreateModel("Post", [
                    ("id", models.AutoField(primary_key=True)),
                    ("title", models.CharField(max_length=100)),
                ]),
            '''),
        })
        project.install("blog")          # INSTALLED_APPS = ["blog"], loaded into the registry
        call_command("migrate", stdout=io.StringIO())

``project.app(label, models=..., migrations=..., apps_py=...)`` writes
``<label>/__init__.py``, ``models.py`` (the text given, or an empty models
module) and, when ``migrations`` is given (even ``{}``), a ``migrations``
package with one file per name. ``project.migrations("elsewhere", {...})``
writes a standalone migration package, for ``MIGRATION_MODULES``
(``project.use_settings(MIGRATION_MODULES={"blog": "elsewhere"})``).
``project.write("blog/migrations/0002_more.py", text)`` adds or replaces one
file mid-test (the import system is told to look again, and the module is
forgotten if it was already imported). ``project.install(*labels)`` sets
``INSTALLED_APPS`` for the rest of the test.

``project.migration(...)`` (the module's ``migration`` function; test
modules cannot import from a conftest) writes the text of a migration file: its ``dependencies``,
``operations`` (the source of the list's items), ``initial``, ``replaces``,
``run_before``, ``atomic`` and any ``extra`` source placed before the class.
"""

import importlib
import importlib.util
import pathlib
import sys
import textwrap

import pytest

from chapters.conftest import database_as_found, table_names


def migration(dependencies=(), operations: str = "", *, initial: bool | None = None, replaces=(),
              run_before=(), atomic: bool | None = None, extra: str = "") -> str:
    """The source of a migration file with these attributes.

    >>> print(migration([("blog", "0001_initial")], "migrations.RunSQL('SELECT 1'),"))
    from tinyframe.db import migrations, models
    <BLANKLINE>
    <BLANKLINE>
    class Migration(migrations.Migration):
        dependencies = [('blog', '0001_initial')]
        operations = [
            migrations.RunSQL('SELECT 1'),
        ]
    <BLANKLINE>
    """
    lines = ["from tinyframe.db import migrations, models", ""]
    if extra:
        lines += [textwrap.dedent(extra).strip("\n"), ""]
    lines += ["", "class Migration(migrations.Migration):"]
    if initial is not None:
        lines.append(f"    initial = {initial!r}")
    if atomic is not None:
        lines.append(f"    atomic = {atomic!r}")
    if replaces:
        lines.append(f"    replaces = {list(replaces)!r}")
    if run_before:
        lines.append(f"    run_before = {list(run_before)!r}")
    lines.append(f"    dependencies = {list(dependencies)!r}")
    body = textwrap.indent(textwrap.dedent(operations).strip("\n"), " " * 8)
    lines += ["    operations = [", body, "    ]"] if body else ["    operations = []"]
    return "\n".join(lines) + "\n"


class Project:
    """Writes app and migration packages under one folder on ``sys.path``; see the module docstring."""

    migration = staticmethod(migration)

    def __init__(self, root, use_settings):
        self.root = root
        self.use_settings = use_settings
        self.packages: set[str] = set()  # top-level package names written, for the clean-up
        self.labels: set[str] = set()

    def write(self, relative_path: str, text: str):
        """Write one file (its folders made as needed), so that the next import sees it."""
        path = self.root / relative_path
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text) if text.startswith("\n") else text)
        self.packages.add(relative_path.split("/")[0].removesuffix(".py"))
        if path.suffix == ".py":
            # Python trusts a cached .pyc whose source has the same size and modification
            # second: a file rewritten within the second, as long as before, would import as it was.
            pathlib.Path(importlib.util.cache_from_source(str(path))).unlink(missing_ok=True)
            module = relative_path.removesuffix(".py").removesuffix("/__init__").replace("/", ".")
            sys.modules.pop(module, None)
            if module.endswith(".models"):
                # The new classes replace the old in the registry without a "reloading" warning.
                from tinyframe.apps import apps

                apps.all_models.pop(module.split(".")[0], None)
        importlib.invalidate_caches()
        return path

    def migrations(self, package: str, files: dict[str, str]) -> str:
        """Write the migration package ``package`` (dotted) with one module per name; return its dotted name."""
        folder = package.replace(".", "/")
        parts = folder.split("/")
        for depth in range(1, len(parts) + 1):
            init = "/".join(parts[:depth]) + "/__init__.py"
            if not (self.root / init).exists():
                self.write(init, "")
        for name, text in files.items():
            self.write(f"{folder}/{name}.py", text)
        return package

    def app(self, label: str, models: str = "", migrations: dict[str, str] | None = None, apps_py: str = ""):
        """Write the app package ``label`` (``models.py``, and a ``migrations`` package if given); return its path."""
        self.labels.add(label)
        self.write(f"{label}/__init__.py", "")
        self.write(f"{label}/models.py", models or "from tinyframe.db import models  # noqa: F401\n")
        if apps_py:
            self.write(f"{label}/apps.py", apps_py)
        if migrations is not None:
            self.migrations(f"{label}.migrations", migrations)
        return self.root / label

    def install(self, *labels: str) -> None:
        """``INSTALLED_APPS = labels`` for the rest of the test (the registry loads them now)."""
        self.labels.update(label.split(".")[0] for label in labels)
        self.use_settings(INSTALLED_APPS=list(labels))

    def forget_modules(self) -> None:
        """Drop the written packages' modules and the models they registered."""
        from tinyframe.apps import apps

        for name in list(sys.modules):
            if name.split(".")[0] in self.packages:
                del sys.modules[name]
        for label in self.labels:
            apps.all_models.pop(label, None)
            for key in [key for key in apps._pending_operations if key[0] == label]:
                del apps._pending_operations[key]


@pytest.fixture
def database():
    """The test database; every table a test makes is dropped after it (foreign keys off while dropping)."""
    from tinyframe.db import connection

    before = table_names(connection)
    yield connection
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA foreign_keys = OFF")
        for table in table_names(connection) - before:
            cursor.execute(f'DROP TABLE IF EXISTS "{table}"')
        cursor.execute("PRAGMA foreign_keys = ON")


@pytest.fixture
def project(tmp_path, monkeypatch, use_settings):
    """A ``Project`` writing packages under ``tmp_path`` (on ``sys.path``); everything goes after the test."""
    monkeypatch.syspath_prepend(str(tmp_path))
    helper = Project(tmp_path, use_settings)
    with database_as_found():
        yield helper
    helper.forget_modules()
