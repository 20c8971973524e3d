"""The chapter's property: migrations take a database wherever the models go, losing no row on the way.

Hypothesis draws a random history of one app's models, one change a step:
a model added or removed, a field added, removed, renamed or altered
(``max_length``, ``null``, ``db_index``). Before each change the tables get
a few rows. After each change ``makemigrations`` writes a migration (a
rename is confirmed at its question) and ``migrate`` applies it; then:

- the schema (columns, indexes, foreign keys) is the one ``create_model``
  gives the current models in an empty database (the order of the columns
  and the names of indexes aside: an added column comes last, and a renamed
  one keeps its index's name, in Django as here);
- every row is still there, every value as written (a new column holds its
  default, a renamed one its old values).

At the end, migrating back to ``zero`` drops every table, and migrating
forwards again gives the same schema as before.
"""

import importlib
import importlib.util
import io
import itertools
import sqlite3
import sys
import tempfile
import pathlib
import shutil

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tinyframe.core.management import call_command
from tinyframe.test.utils import override_settings

_labels = itertools.count()

VALUES = {
    "char": st.text(alphabet="abcxyz", max_size=4),
    "int": st.integers(-3, 3),
    "text": st.text(alphabet="pq ", max_size=6),
    "bool": st.sampled_from([0, 1]),
}
DEFAULTS = {"char": "x", "int": 0, "text": "", "bool": 0, "fk": None}


def field_source(spec: dict) -> str:
    """The models.py text of one field spec, e.g. ``models.CharField(max_length=10, default='x')``."""
    kind = spec["kind"]
    if kind == "fk":
        # No reverse accessor: two keys to one model would clash on "m0_set" (Django's fields.E304).
        return f"models.ForeignKey({spec['to']!r}, models.CASCADE, null=True, related_name='+')"
    options = {"char": f"max_length={spec.get('max_length', 10)}, default='x'", "int": "default=0",
               "text": "default=''", "bool": "default=False"}[kind]
    if spec.get("null"):
        options += ", null=True"
    if spec.get("db_index"):
        options += ", db_index=True"
    name = {"char": "CharField", "int": "IntegerField", "text": "TextField", "bool": "BooleanField"}[kind]
    return f"models.{name}({options})"


def models_source(program: dict) -> str:
    lines = ["from tinyframe.db import models", ""]
    for model_name, fields in program.items():
        lines += ["", f"class {model_name}(models.Model):"]
        lines += [f"    {name} = {field_source(spec)}" for name, spec in fields.items()] or ["    pass"]
    return "\n".join(lines) + "\n"


def column(name: str, spec: dict) -> str:
    return f"{name}_id" if spec["kind"] == "fk" else name


def fingerprint(cursor, prefix: str) -> dict:
    """A database's schema for the tables whose names start with ``prefix``: columns, indexes, foreign keys."""
    cursor.execute("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
    tables = [name for (name,) in cursor.fetchall() if name.startswith(prefix)]
    schema = {}
    for table in tables:
        cursor.execute(f'PRAGMA table_info("{table}")')
        columns = sorted((name, kind.lower(), notnull, default, pk) for _, name, kind, notnull, default, pk
                         in cursor.fetchall())
        cursor.execute(f'PRAGMA index_list("{table}")')
        indexes = []
        for _, index_name, unique, origin, partial in cursor.fetchall():
            cursor.execute(f'PRAGMA index_info("{index_name}")')
            names = tuple(row[2] for row in cursor.fetchall())
            # Not the name: a renamed column keeps its index's old name, in Django as here.
            indexes.append((origin, unique, names, partial))
        cursor.execute(f'PRAGMA foreign_key_list("{table}")')
        keys = sorted((row[2], row[3], row[4], row[6]) for row in cursor.fetchall())
        schema[table] = {"columns": columns, "indexes": sorted(indexes), "foreign keys": keys}
    return schema


def scratch_fingerprint(label: str, prefix: str) -> dict:
    """The schema ``create_model`` gives the app's current models, in an empty database."""
    from tinyframe.apps import apps
    from tinyframe.db import connection

    with connection.schema_editor(collect_sql=True) as editor:
        for model in apps.get_app_config(label).get_models():
            editor.create_model(model)
    scratch = sqlite3.connect(":memory:")
    for statement in editor.collected_sql:
        scratch.execute(statement)
    return fingerprint(scratch.cursor(), prefix)


@st.composite
def histories(draw):
    """A list of programs (``{model: {field: spec}}``), each one change away from the one before."""
    names = itertools.count(1)
    program = {"M0": {"f0": {"kind": "char"}}}
    steps = [program]
    for _ in range(draw(st.integers(1, 4))):
        program = {model: {name: dict(spec) for name, spec in fields.items()} for model, fields in program.items()}
        fields_anywhere = [(model, name) for model, fields in program.items() for name in fields]
        change = draw(st.sampled_from(
            ["add_model", "add_field", "add_field"]
            + (["remove_model"] if len(program) > 1 else [])
            + (["remove_field", "rename_field", "alter_field", "alter_field"] if fields_anywhere else [])
        ))
        if change == "add_model":
            program[f"M{next(names)}"] = {f"f{next(names)}": {"kind": draw(st.sampled_from(list(VALUES)))}}
        elif change == "remove_model":
            gone = draw(st.sampled_from(sorted(program)[1:]))
            del program[gone]
            for fields in program.values():
                for name in [name for name, spec in fields.items() if spec.get("to") == gone]:
                    del fields[name]
        elif change == "add_field":
            model = draw(st.sampled_from(sorted(program)))
            kind = draw(st.sampled_from([*VALUES, "fk"]))
            spec = {"kind": kind}
            if kind == "fk":
                spec["to"] = draw(st.sampled_from(sorted(program)))
            program[model][f"f{next(names)}"] = spec
        elif change == "remove_field":
            model, name = draw(st.sampled_from(fields_anywhere))
            del program[model][name]
        elif change == "rename_field":
            model, name = draw(st.sampled_from(fields_anywhere))
            program[model] = {(f"r{next(names)}" if old == name else old): spec
                              for old, spec in program[model].items()}
        else:
            candidates = [(model, name) for model, name in fields_anywhere
                          if program[model][name]["kind"] in ("char", "int")]
            if not candidates:
                continue
            model, name = draw(st.sampled_from(candidates))
            spec = program[model][name]
            option = draw(st.sampled_from(["max_length", "null", "db_index"] if spec["kind"] == "char"
                                          else ["null", "db_index"]))
            if option == "max_length":
                spec["max_length"] = 20 if spec.get("max_length", 10) == 10 else 10
            else:
                spec[option] = not spec.get(option, False)
        steps.append(program)
    return steps


class App:
    """One throwaway app on disk, its models rewritten step by step, and the rows its tables should hold."""

    def __init__(self, root: pathlib.Path):
        self.label = f"prop{next(_labels)}"
        self.root = root
        self.override = None
        (root / self.label / "migrations").mkdir(parents=True)
        (root / self.label / "__init__.py").write_text("")
        (root / self.label / "migrations" / "__init__.py").write_text("")
        self.rows: dict[str, list[dict]] = {}
        self.program: dict = {}

    def table(self, model: str) -> str:
        return f"{self.label}_{model.lower()}"

    def load(self, program: dict) -> None:
        """Write models.py for ``program`` and make it the installed app's models."""
        from tinyframe.apps import apps

        path = self.root / self.label / "models.py"
        path.write_text(models_source(program))
        # Python trusts a cached .pyc whose source has the same size and modification
        # second: "f0" renamed "r1" within the second would import the old models.
        pathlib.Path(importlib.util.cache_from_source(str(path))).unlink(missing_ok=True)
        sys.modules.pop(f"{self.label}.models", None)
        apps.all_models.pop(self.label, None)
        importlib.invalidate_caches()
        if self.override is not None:
            self.override.disable()
        self.override = override_settings(INSTALLED_APPS=[self.label])
        self.override.enable()

    def migrate(self, *args) -> None:
        importlib.invalidate_caches()
        call_command("migrate", self.label, *args, stdout=io.StringIO(), verbosity=0)

    def step(self, program: dict) -> None:
        """Go to ``program``: rewrite the models, make a migration (confirming renames), migrate, follow the rows."""
        self.load(program)
        with AnswerYes():
            call_command("makemigrations", self.label, stdout=io.StringIO())
        self.migrate()
        previous, self.program = self.program, program
        for model, fields in program.items():
            if model not in previous:
                self.rows[model] = []
                continue
            old_fields = previous[model]
            renamed = {new: old for new, old in zip(fields, old_fields)
                       if new not in old_fields and old not in fields and fields[new] == old_fields[old]}
            for row in self.rows[model]:
                kept = {"id": row["id"]}
                for name, spec in fields.items():
                    source = renamed.get(name, name)
                    kept[name] = row[source] if source in row else DEFAULTS[spec["kind"]]
                row.clear()
                row.update(kept)
        for model in set(previous) - set(program):
            del self.rows[model]
        for model, fields in program.items():
            for row in self.rows[model]:
                for name, spec in fields.items():
                    if spec.get("to") is not None and spec["to"] not in program:
                        row[name] = None

    def insert(self, draw) -> None:
        """Add a row or two to each table, with drawn values, as the migrations must keep them."""
        from tinyframe.db import connection

        with connection.cursor() as cursor:
            for model, fields in self.program.items():
                for _ in range(draw(st.integers(0, 2))):
                    row = {}
                    for name, spec in fields.items():
                        if spec["kind"] == "fk":
                            targets = [target["id"] for target in self.rows.get(spec["to"], [])]
                            row[name] = draw(st.sampled_from([None, *targets]))
                        else:
                            row[name] = draw(VALUES[spec["kind"]])
                    columns = [column(name, fields[name]) for name in row]
                    if columns:
                        quoted = ", ".join(f'"{name}"' for name in columns)
                        cursor.execute(f'INSERT INTO "{self.table(model)}" ({quoted}) '
                                       f'VALUES ({", ".join("%s" for _ in columns)})', list(row.values()))
                    else:
                        cursor.execute(f'INSERT INTO "{self.table(model)}" DEFAULT VALUES')
                    row["id"] = cursor.lastrowid
                    self.rows[model].append(row)

    def check(self) -> None:
        """The schema is the scratch schema of the models, and every row holds what it should."""
        from tinyframe.db import connection

        with connection.cursor() as cursor:
            assert fingerprint(cursor, f"{self.label}_") == scratch_fingerprint(self.label, f"{self.label}_"), (
                f"after migrating to\n{models_source(self.program)}\nthe schema differs from create_model's"
            )
            for model, fields in self.program.items():
                names = ["id", *fields]
                selected = ", ".join(f'"{column(name, fields[name]) if name != "id" else "id"}"' for name in names)
                cursor.execute(f'SELECT {selected} FROM "{self.table(model)}" ORDER BY id')
                found = [dict(zip(names, row)) for row in cursor.fetchall()]
                assert found == self.rows[model], f"rows of {model} after migrating to\n{models_source(self.program)}"

    def remove(self) -> None:
        from tinyframe.apps import apps

        if self.override is not None:
            self.override.disable()
        for name in [name for name in sys.modules if name.split(".")[0] == self.label]:
            del sys.modules[name]
        apps.all_models.pop(self.label, None)


class AnswerYes:
    """Answer "y" to makemigrations' rename questions (the only ones these histories raise)."""

    def __enter__(self):
        import builtins

        self.original = builtins.input
        builtins.input = lambda prompt="": "y"

    def __exit__(self, *exc_info):
        import builtins

        builtins.input = self.original


@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(history=histories(), data=st.data())
def test_migrating_step_by_step_matches_the_models_and_keeps_every_row(history, data):
    from tinyframe.db import connection

    root = pathlib.Path(tempfile.mkdtemp())
    sys.path.insert(0, str(root))
    app = App(root)
    had_recorder = "tinyframe_migrations" in connection.introspection.table_names()
    try:
        for program in history:
            if app.program:
                app.insert(data.draw)
            app.step(program)
            app.check()
        migrated = fingerprint(connection.cursor(), f"{app.label}_")
        app.migrate("zero")
        assert fingerprint(connection.cursor(), f"{app.label}_") == {}, "zero drops every table"
        app.migrate()
        assert fingerprint(connection.cursor(), f"{app.label}_") == migrated, "forwards again: the same schema"
    finally:
        try:
            app.migrate("zero")
        except Exception:
            pass
        app.remove()
        # Leave the recorder as found: later tests' apps may reuse no label, but they count its rows.
        with connection.cursor() as cursor:
            if had_recorder:
                cursor.execute("DELETE FROM tinyframe_migrations WHERE app = %s", [app.label])
            else:
                cursor.execute("DROP TABLE IF EXISTS tinyframe_migrations")
        sys.path.remove(str(root))
        shutil.rmtree(root, ignore_errors=True)
