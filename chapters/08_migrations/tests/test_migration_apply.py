"""Migration: applying and unapplying its operations, the SQL sqlmigrate shows, and its identity.

The comment lines around each operation's SQL and the errors are Django 5.2's.
"""

import pytest

from tinyframe.db import connection, migrations, models
from tinyframe.db.migrations.exceptions import IrreversibleError, NodeNotFoundError
from tinyframe.db.migrations.state import ProjectState
from tinyframe.db.models import CASCADE

APP = "mig_apply"


def table_names() -> list:
    return [name for (name,) in rows("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")]


def rows(sql: str, params=()) -> list:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def make(name: str, *operations, **attributes):
    klass = type("Migration", (migrations.Migration,), {"operations": list(operations), **attributes})
    return klass(name, APP)


def add_people(apps, schema_editor):
    Person = apps.get_model(APP, "Person")
    Person.objects.create(name="Ann")
    Person.objects.create(name="Bob")


def remove_people(apps, schema_editor):
    apps.get_model(APP, "Person").objects.all().delete()


def initial():
    return make(
        "0001_initial",
        migrations.CreateModel("Person", [
            ("id", models.AutoField(primary_key=True)),
            ("name", models.CharField(max_length=20)),
        ]),
        migrations.CreateModel("Pet", [
            ("id", models.AutoField(primary_key=True)),
            ("owner", models.ForeignKey(f"{APP}.person", CASCADE)),
        ]),
        initial=True,
    )  # fmt: skip


def second():
    return make(
        "0002_data",
        migrations.RunPython(add_people, remove_people),
        migrations.AddField("pet", "name", models.CharField(max_length=20, default="?")),
        migrations.AlterModelOptions("person", {"ordering": ["name"]}),
        dependencies=[(APP, "0001_initial")],
    )  # fmt: skip


def test_apply_runs_each_operation_and_returns_the_state_after(database):
    with connection.schema_editor() as editor:
        state = initial().apply(ProjectState(), editor)
        state = second().apply(state, editor)
    assert rows("SELECT name FROM mig_apply_person ORDER BY id") == [("Ann",), ("Bob",)]
    assert [row[1] for row in rows('PRAGMA table_info("mig_apply_pet")')] == ["id", "owner_id", "name"]
    Person = state.apps.get_model(APP, "Person")
    assert Person._meta.ordering == ["name"]


def test_unapply_runs_the_operations_backwards_last_first(database):
    first_state = initial().mutate_state(ProjectState())
    with connection.schema_editor() as editor:
        initial().apply(ProjectState(), editor)
        second().apply(first_state.clone(), editor)
    with connection.schema_editor() as editor:
        returned = second().unapply(first_state, editor)
    assert returned is first_state
    assert rows("SELECT count(*) FROM mig_apply_person") == [(0,)]
    assert [row[1] for row in rows('PRAGMA table_info("mig_apply_pet")')] == ["id", "owner_id"]
    with connection.schema_editor() as editor:
        initial().unapply(ProjectState(), editor)
    assert not {"mig_apply_person", "mig_apply_pet"} & set(table_names())


def test_an_irreversible_operation_stops_unapply_before_anything_runs(database):
    with connection.schema_editor() as editor:
        state = initial().apply(ProjectState(), editor)
    irreversible = migrations.RunPython(add_people)
    migration = make("0002_data", migrations.AddField("pet", "age", models.IntegerField(default=1)), irreversible)
    with connection.schema_editor() as editor:
        migration.apply(state.clone(), editor)
    with pytest.raises(IrreversibleError) as caught:
        with connection.schema_editor() as editor:
            migration.unapply(state, editor)
    assert str(caught.value) == f"Operation {irreversible!r} in mig_apply.0002_data is not reversible"
    assert "age" in [row[1] for row in rows('PRAGMA table_info("mig_apply_pet")')], "nothing was undone"


def test_collect_sql_writes_a_comment_before_each_operation(database):
    with connection.schema_editor(collect_sql=True) as editor:
        state = initial().apply(ProjectState(), editor, collect_sql=True)
        second().apply(state, editor, collect_sql=True)
    sql = editor.collected_sql
    assert sql[:3] == ["--", "-- Create model Person", "--"]
    assert sql[3].startswith('CREATE TABLE "mig_apply_person"')
    assert "-- Create model Pet" in sql
    start = sql.index("-- Raw Python operation")
    assert sql[start - 1: start + 3] == ["--", "-- Raw Python operation", "--", "-- THIS OPERATION CANNOT BE WRITTEN AS SQL"]
    assert sql[sql.index("-- Add field name to pet") + 2].startswith('CREATE TABLE "new__mig_apply_pet"')
    assert sql[-4:] == ["--", "-- Change Meta options on person", "--", "-- (no-op)"]
    assert "mig_apply_person" not in table_names(), "collecting runs nothing"


def test_collect_sql_backwards(database):
    first_state = initial().mutate_state(ProjectState())
    with connection.schema_editor(collect_sql=True) as editor:
        second().unapply(first_state, editor, collect_sql=True)
    sql = editor.collected_sql
    assert sql[:4] == ["--", "-- Change Meta options on person", "--", "-- (no-op)"]
    assert sql[4:7] == ["--", "-- Add field name to pet", "--"]
    assert sql[-4:] == ["--", "-- Raw Python operation", "--", "-- THIS OPERATION CANNOT BE WRITTEN AS SQL"]


@pytest.mark.parametrize(
    ("editor_atomic", "migration_atomic", "operation_atomic", "in_transaction"),
    [
        (True, True, None, True),
        (False, True, None, True),
        (False, False, None, False),
        (False, False, True, True),
        (False, True, False, False),
    ],
)
def test_an_operation_runs_in_a_transaction_unless_told_otherwise(
    database, editor_atomic, migration_atomic, operation_atomic, in_transaction
):
    seen = []

    def code(apps, schema_editor):
        seen.append(schema_editor.connection.in_atomic_block)

    migration = make("0001", migrations.RunPython(code, code, atomic=operation_atomic), atomic=migration_atomic)
    with connection.schema_editor(atomic=editor_atomic) as editor:
        migration.apply(ProjectState(), editor)
        migration.unapply(ProjectState(), editor)
    assert seen == [in_transaction, in_transaction]


def test_a_migration_copies_its_class_lists_and_is_named_by_app_and_name():
    migration = second()
    assert migration.operations is not type(migration).operations
    migration.dependencies.append(("other", "0001"))
    assert type(migration).dependencies == [(APP, "0001_initial")]
    assert (migration.name, migration.app_label) == ("0002_data", APP)
    assert (migration.run_before, migration.replaces, migration.initial, migration.atomic) == ([], [], None, True)
    assert repr(migration) == "<Migration mig_apply.0002_data>" and str(migration) == "mig_apply.0002_data"
    assert migration == second() and hash(migration) == hash(second())
    assert migration != initial() and migration != "mig_apply.0002_data"


def test_mutate_state_leaves_the_given_state_alone_unless_told():
    state = ProjectState()
    after = initial().mutate_state(state)
    assert state.models == {} and sorted(after.models) == [(APP, "person"), (APP, "pet")]
    same = initial().mutate_state(state, preserve=False)
    assert same is state and sorted(state.models) == [(APP, "person"), (APP, "pet")]


def test_swappable_dependency_names_the_first_migration_of_the_app():
    dependency = migrations.swappable_dependency("auth.User")
    assert dependency == ("auth", "__first__") and dependency.setting == "auth.User"


def test_node_not_found_error_says_its_message_and_node():
    error = NodeNotFoundError("Migration blog.0002 dependencies reference nonexistent parent node", ("blog", "0001"))
    assert str(error) == "Migration blog.0002 dependencies reference nonexistent parent node"
    assert repr(error) == "NodeNotFoundError(('blog', '0001'))"
    assert error.node == ("blog", "0001") and error.origin is None and isinstance(error, LookupError)


def test_a_column_added_by_a_rebuild_comes_last_as_in_djangos_migrate(database):
    adding = make("0002_code", migrations.AddField("person", "code", models.IntegerField(default=0, unique=True)))
    with connection.schema_editor() as editor:
        state = initial().apply(ProjectState(), editor)
        adding.apply(state, editor)
    assert [row[1] for row in rows('PRAGMA table_info("mig_apply_person")')] == ["id", "name", "code"]
    # sqlmigrate renders nothing first, in Django too: its printed rebuild lists the new column first.
    with connection.schema_editor(collect_sql=True) as editor:
        adding.apply(initial().mutate_state(ProjectState()), editor, collect_sql=True)
    create = next(sql for sql in editor.collected_sql if sql.startswith('CREATE TABLE "new__mig_apply_person"'))
    assert create.startswith('CREATE TABLE "new__mig_apply_person" ("code" integer NOT NULL UNIQUE, "id"')
