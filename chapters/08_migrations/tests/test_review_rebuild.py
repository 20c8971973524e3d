"""Review of a renamed field altered afterwards: every value survives each step, forwards and back.

A learner's property run failed for the history ``f0 char -> r1 char -> r1
null=True``: column r1 held the text 'r1' where '' and 'y' had been written.
SQLite reads a double-quoted name that is no column as a string, so
``SELECT "r1"`` from a table whose column is still f0 answers 'r1' for every
row. The migrations were right (Django 5.2 writes the same SQL, checked with
its ``sqlmigrate``): the property's process had imported a stale models.py
from the bytecode cache, so nothing was migrated and the check read the
missing column. These tests pin down the migrations, the rebuild's refusal
to read a column its table lacks, and the test harness's fresh import.
"""

import io
import sys
import time

import pytest

from tinyframe.apps.registry import Apps
from tinyframe.core.management import call_command
from tinyframe.db import ProgrammingError, connection, models

INITIAL = """
    migrations.CreateModel("Item", [
        ("id", models.AutoField(primary_key=True)),
        ("f0", models.CharField(max_length=10, default="x")),
    ]),
"""
RENAME = 'migrations.RenameField("item", "f0", "r1"),'
ALTER = 'migrations.AlterField("item", "r1", models.CharField(max_length=10, default="x", null=True)),'
VALUES = ["", "y", "it's", "ü"]


def migrate(*args) -> None:
    call_command("migrate", "blog", *args, stdout=io.StringIO(), verbosity=0)


def column_values() -> dict:
    """Each column of blog_item with its values by id: {"r1": ["", "y", ...]}."""
    with connection.cursor() as cursor:
        names = [info.name for info in connection.introspection.get_table_description(cursor, "blog_item")]
        cursor.execute('SELECT * FROM "blog_item" ORDER BY "id"')
        found = cursor.fetchall()
    return {name: [row[index] for row in found] for index, name in enumerate(names) if name != "id"}


def fill() -> None:
    with connection.cursor() as cursor:
        for value in VALUES:
            cursor.execute('INSERT INTO "blog_item" ("f0") VALUES (%s)', [value])


@pytest.mark.exercise("08.3")
@pytest.mark.parametrize("migration_files", [
    pytest.param({
        "0002_rename": ([("blog", "0001_initial")], RENAME),
        "0003_alter": ([("blog", "0002_rename")], ALTER),
    }, id="one migration each, as makemigrations writes them"),
    pytest.param({
        "0002_rename_and_alter": ([("blog", "0001_initial")], RENAME + "\n" + ALTER),
    }, id="both in one migration"),
])  # fmt: skip
def test_a_renamed_field_made_nullable_keeps_every_value_forwards_and_back(project, migration_files):
    project.app("blog", "", {
        "0001_initial": project.migration(initial=True, operations=INITIAL),
        **{name: project.migration(dependencies, operations=operations)
           for name, (dependencies, operations) in migration_files.items()},
    })  # fmt: skip
    project.install("blog")
    migrate("0001")
    fill()
    names = list(migration_files)
    expected = {"0001_initial": {"f0": VALUES}, **{name: {"r1": VALUES} for name in names}}
    for target in [*names, *reversed(names[:-1]), "0001_initial"]:
        migrate(target)
        assert column_values() == expected[target], f"after migrate blog {target}"
    migrate("zero")


@pytest.mark.exercise("08.3")
def test_a_rebuild_refuses_to_read_a_column_its_table_lacks(project):
    # A rebuild handed the state after a rename, against a table that still has the old
    # column, would copy the text 'r1' into every row; it must stop, naming the column.
    project.app("blog", "", {"0001_initial": project.migration(initial=True, operations=INITIAL)})
    project.install("blog")
    migrate()
    fill()
    apps = Apps()
    meta = type("Meta", (), {"app_label": "blog", "apps": apps, "db_table": "blog_item"})
    renamed = type("Item", (models.Model,), {
        "__module__": __name__, "Meta": meta, "r1": models.CharField(max_length=10, default="x"),
    })  # fmt: skip
    old_field = renamed._meta.get_field("r1")
    new_field = models.CharField(max_length=10, default="x", null=True)
    new_field.set_attributes_from_name("r1")
    with pytest.raises(ProgrammingError) as raised, connection.schema_editor() as editor:
        editor._remake_table(renamed, alter_fields=[(old_field, new_field)])
    assert str(raised.value) == (
        "Could not rebuild table 'blog_item': column 'r1' would be copied from column 'r1', which the table "
        "does not have (its columns are: id, f0). The table and its rows are unchanged."
    ), "a rebuild reading a missing column"
    assert column_values() == {"f0": VALUES}, "the rows after the refused rebuild"
    migrate("zero")


def test_a_models_file_rewritten_within_the_second_at_the_same_length_is_imported_anew(project, monkeypatch):
    # Python trusts a cached .pyc whose source has the same size and modification second:
    # the property's "f0" renamed "r1" imported the old models where bytecode is written.
    monkeypatch.setattr(sys, "dont_write_bytecode", False)
    project.app("blog", "from tinyframe.db import models\n\n\nclass Item(models.Model):\n    f0 = models.IntegerField()\n")
    project.install("blog")
    from tinyframe.apps import apps

    assert [field.name for field in apps.get_model("blog", "Item")._meta.fields] == ["id", "f0"]
    start = time.time()
    project.write("blog/models.py", "from tinyframe.db import models\n\n\nclass Item(models.Model):\n    r1 = models.IntegerField()\n")
    project.install("blog")
    if int(time.time()) != int(start):
        pytest.skip("the second changed between the two writes; nothing to prove this time")
    names = [field.name for field in apps.get_model("blog", "Item")._meta.fields]
    assert names == ["id", "r1"], f"models.py rewritten with r1 imported as {names}"
