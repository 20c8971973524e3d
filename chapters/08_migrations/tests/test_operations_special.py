"""RunSQL, RunPython and SeparateDatabaseAndState on a real database, forwards and backwards.

The texts and errors are Django 5.2's for the same operations.
"""

import pytest

from tinyframe.db import connection, migrations, models
from tinyframe.db.migrations.operations.special import split_sql_script
from tinyframe.db.migrations.state import ProjectState

APP = "ops_special"


def table_names() -> list:
    return [name for (name,) in rows("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")]


def rows(sql: str, params=()) -> list:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def forwards(operation, state: ProjectState, **editor_options) -> ProjectState:
    new_state = state.clone()
    operation.state_forwards(APP, new_state)
    with connection.schema_editor(**editor_options) as editor:
        operation.database_forwards(APP, editor, state, new_state)
    return new_state


def backwards(operation, state: ProjectState, new_state: ProjectState) -> None:
    with connection.schema_editor() as editor:
        operation.database_backwards(APP, editor, new_state, state)


def create_pets() -> ProjectState:
    operation = migrations.CreateModel("Pet", [
        ("id", models.AutoField(primary_key=True)),
        ("name", models.CharField(max_length=20)),
    ])  # fmt: skip
    return forwards(operation, ProjectState())


# -- RunSQL ---------------------------------------------------------------------------------------


def test_run_sql_runs_a_script_of_statements_and_its_reverse(database):
    operation = migrations.RunSQL(
        "CREATE TABLE ops_special_t (n integer, s text); -- the table\n"
        "INSERT INTO ops_special_t VALUES (1, 'a;b');\nINSERT INTO ops_special_t VALUES (2, 'c')",
        reverse_sql="DROP TABLE ops_special_t;",
    )
    state = forwards(operation, ProjectState())
    assert rows("SELECT n, s FROM ops_special_t ORDER BY n") == [(1, "a;b"), (2, "c")]
    backwards(operation, ProjectState(), state)
    assert "ops_special_t" not in table_names()


def test_run_sql_takes_a_list_of_statements_with_parameters(database):
    operation = migrations.RunSQL(
        ["CREATE TABLE ops_special_t (n integer, s text);",
         ("INSERT INTO ops_special_t VALUES (%s, %s)", [1, "it's"]),
         ["INSERT INTO ops_special_t VALUES (%s, %s)", (2, None)]],
        reverse_sql=[("DELETE FROM ops_special_t WHERE n = %s", [2])],
    )  # fmt: skip
    state = forwards(operation, ProjectState())
    assert rows("SELECT n, s FROM ops_special_t ORDER BY n") == [(1, "it's"), (2, None)]
    backwards(operation, ProjectState(), state)
    assert rows("SELECT n FROM ops_special_t") == [(1,)]


def test_run_sql_parameters_leave_a_doubled_percent_sign_single(database):
    operation = migrations.RunSQL([
        "CREATE TABLE ops_special_t (s text)",
        ("INSERT INTO ops_special_t VALUES (%s || '%%')", ["x"]),
        ("INSERT INTO ops_special_t VALUES (%s || '%%s')", ["y"]),
        "INSERT INTO ops_special_t VALUES ('50%%')",
    ])  # fmt: skip
    forwards(operation, ProjectState())
    assert rows("SELECT s FROM ops_special_t") == [("x%",), ("y%s",), ("50%%",)], "no parameters: the SQL as written"
    with connection.schema_editor(collect_sql=True) as editor:
        operation.database_forwards(APP, editor, ProjectState(), ProjectState())
    assert editor.collected_sql[1:3] == ["INSERT INTO ops_special_t VALUES ('x' || '%');",
                                         "INSERT INTO ops_special_t VALUES ('y' || '%s');"]  # fmt: skip


def test_run_sql_collects_its_statements_with_the_values_written_in(database):
    operation = migrations.RunSQL(["SELECT 1;", ("SELECT %s", ["it's"])], "SELECT 2; SELECT 3")
    with connection.schema_editor(collect_sql=True) as editor:
        operation.database_forwards(APP, editor, ProjectState(), ProjectState())
        operation.database_backwards(APP, editor, ProjectState(), ProjectState())
    assert editor.collected_sql == ["SELECT 1;", "SELECT 'it''s';", "SELECT 2;", "SELECT 3;"]


def test_run_sql_refuses_a_statement_that_is_not_a_pair(database):
    operation = migrations.RunSQL([("SELECT %s", [1], "extra")])
    with pytest.raises(ValueError, match="^Expected a 2-tuple but got 3$"):
        forwards(operation, ProjectState())


def test_run_sql_without_a_reverse_cannot_go_backwards(database):
    operation = migrations.RunSQL("SELECT 1")
    assert not operation.reversible
    with pytest.raises(NotImplementedError, match="^You cannot reverse this operation$"):
        backwards(operation, ProjectState(), ProjectState())
    noop = migrations.RunSQL(migrations.RunSQL.noop, reverse_sql=migrations.RunSQL.noop)
    assert noop.reversible
    with connection.schema_editor(collect_sql=True) as editor:
        noop.database_forwards(APP, editor, ProjectState(), ProjectState())
        noop.database_backwards(APP, editor, ProjectState(), ProjectState())
    assert editor.collected_sql == []


def test_run_sql_state_operations_tell_the_state_what_the_sql_made(database):
    operation = migrations.RunSQL(
        'CREATE TABLE "ops_special_pet" ("id" integer NOT NULL PRIMARY KEY AUTOINCREMENT)',
        reverse_sql='DROP TABLE "ops_special_pet"',
        state_operations=[migrations.CreateModel("Pet", [("id", models.AutoField(primary_key=True))])],
    )
    state = forwards(operation, ProjectState())
    Pet = state.apps.get_model(APP, "Pet")
    Pet.objects.create()
    assert Pet.objects.count() == 1


def test_split_sql_script_keeps_semicolons_inside_strings():
    assert split_sql_script("SELECT ';'; SELECT 2") == ["SELECT ';';", "SELECT 2;"]
    assert split_sql_script("SELECT 'unfinished") == ["SELECT 'unfinished"]
    assert split_sql_script("  -- only a comment\n ;  ") == []
    assert split_sql_script("CREATE TRIGGER t AFTER INSERT ON a BEGIN DELETE FROM b; END; SELECT 1;") == [
        "CREATE TRIGGER t AFTER INSERT ON a BEGIN DELETE FROM b; END;", "SELECT 1;",
    ]  # fmt: skip


# -- RunPython ------------------------------------------------------------------------------------


def test_run_python_gets_the_historical_models(database):
    state = create_pets()
    seen = {}

    def forwards_code(apps, schema_editor):
        Pet = apps.get_model(APP, "Pet")
        seen["fields"] = [field.name for field in Pet._meta.fields]
        seen["editor"] = schema_editor
        Pet.objects.bulk_create([Pet(name="Rex"), Pet(name="Tom")])

    def backwards_code(apps, schema_editor):
        apps.get_model(APP, "Pet").objects.filter(name__in=["Rex", "Tom"]).delete()

    operation = migrations.RunPython(forwards_code, backwards_code)
    new_state = forwards(operation, state)
    assert seen["fields"] == ["id", "name"] and seen["editor"] is not None
    assert rows("SELECT name FROM ops_special_pet ORDER BY id") == [("Rex",), ("Tom",)]
    assert new_state == state, "RunPython changes rows, not models"
    backwards(operation, state, new_state)
    assert rows("SELECT count(*) FROM ops_special_pet") == [(0,)]


def test_run_python_without_a_reverse_cannot_go_backwards(database):
    operation = migrations.RunPython(migrations.RunPython.noop)
    assert not operation.reversible and operation.reduces_to_sql is False
    with pytest.raises(NotImplementedError, match="^You cannot reverse this operation$"):
        backwards(operation, ProjectState(), ProjectState())
    reversible = migrations.RunPython(migrations.RunPython.noop, migrations.RunPython.noop)
    assert reversible.reversible
    backwards(reversible, ProjectState(), ProjectState())
    assert migrations.RunPython.noop(None, None) is None


def test_run_python_refuses_what_it_cannot_call():
    with pytest.raises(ValueError, match="^RunPython must be supplied with a callable$"):
        migrations.RunPython("print('hi')")
    with pytest.raises(ValueError, match="^RunPython must be supplied with callable arguments$"):
        migrations.RunPython(migrations.RunPython.noop, "undo")


def test_run_python_deconstructs_its_arguments():
    noop = migrations.RunPython.noop
    assert migrations.RunPython(noop).deconstruct() == ("RunPython", [], {"code": noop})
    operation = migrations.RunPython(noop, noop, atomic=False, elidable=True, hints={"a": 1})
    assert operation.deconstruct() == ("RunPython", [], {"code": noop, "reverse_code": noop, "atomic": False,
                                                         "hints": {"a": 1}})  # fmt: skip
    assert (operation.atomic, operation.elidable) == (False, True)
    assert migrations.RunPython(noop).describe() == "Raw Python operation"
    assert migrations.RunPython(noop).formatted_description() == "p Raw Python operation"


def test_run_sql_deconstructs_its_arguments():
    assert migrations.RunSQL("SELECT 1").deconstruct() == ("RunSQL", [], {"sql": "SELECT 1"})
    inner = migrations.DeleteModel("Pet")
    operation = migrations.RunSQL(["SELECT 1"], "SELECT 2", state_operations=[inner], hints={"h": 1}, elidable=True)
    assert operation.deconstruct() == ("RunSQL", [], {"sql": ["SELECT 1"], "reverse_sql": "SELECT 2",
                                                      "state_operations": [inner], "hints": {"h": 1}})  # fmt: skip
    assert operation.elidable and operation.describe() == "Raw SQL operation"
    assert operation.formatted_description() == "s Raw SQL operation"
    assert repr(migrations.RunSQL("SELECT 1")) == "<RunSQL 'SELECT 1'>"


# -- SeparateDatabaseAndState ---------------------------------------------------------------------


def test_separate_database_and_state_runs_one_list_and_tells_the_other(database):
    state = create_pets()
    rows("INSERT INTO ops_special_pet (name) VALUES ('Rex')")
    operation = migrations.SeparateDatabaseAndState(
        database_operations=[
            migrations.RunSQL('ALTER TABLE "ops_special_pet" RENAME TO "ops_special_animal"',
                              'ALTER TABLE "ops_special_animal" RENAME TO "ops_special_pet"'),
            migrations.RunSQL("UPDATE ops_special_animal SET name = upper(name)",
                              "UPDATE ops_special_animal SET name = lower(name)"),
        ],
        state_operations=[migrations.AlterModelTable("Pet", "ops_special_animal")],
    )  # fmt: skip
    new_state = forwards(operation, state)
    Pet = new_state.apps.get_model(APP, "Pet")
    assert list(Pet.objects.values_list("name", flat=True)) == ["REX"]
    backwards(operation, state, new_state)
    assert rows("SELECT name FROM ops_special_pet") == [("rex",)]
    assert operation.describe() == "Custom state/database change combination"
    assert operation.formatted_description() == "? Custom state/database change combination"
    assert operation.deconstruct() == ("SeparateDatabaseAndState", [], {
        "database_operations": operation.database_operations, "state_operations": operation.state_operations,
    })  # fmt: skip
    assert migrations.SeparateDatabaseAndState().deconstruct() == ("SeparateDatabaseAndState", [], {})


def test_separate_database_operations_see_the_states_between_them(database):
    operation = migrations.SeparateDatabaseAndState(database_operations=[
        migrations.CreateModel("Pet", [("id", models.AutoField(primary_key=True))]),
        migrations.AddField("Pet", "name", models.CharField(max_length=10, default="?")),
    ])  # fmt: skip
    new_state = forwards(operation, ProjectState())
    assert new_state.models == {}, "no state operations: the state is unchanged"
    assert [row[1] for row in rows('PRAGMA table_info("ops_special_pet")')] == ["id", "name"]
    backwards(operation, ProjectState(), new_state)
    assert "ops_special_pet" not in table_names()


# -- the base class -------------------------------------------------------------------------------


class Tag(migrations.operations.base.Operation):
    """An operation of a project's own: no deconstruct() or describe() of its own."""

    def __init__(self, label, *, colour="red"):
        self.label, self.colour = label, colour


def test_an_operation_of_a_project_deconstructs_to_its_constructor_arguments():
    operation = Tag("urgent", colour="blue")
    assert operation.deconstruct() == ("Tag", ["urgent"], {"colour": "blue"})
    assert repr(operation) == "<Tag 'urgent' colour='blue'>", "Django's layout: no comma before the keywords"
    assert operation.describe() == "Tag: (('urgent',), {'colour': 'blue'})"
    assert operation.formatted_description() == "? Tag: (('urgent',), {'colour': 'blue'})"
    assert operation.migration_name_fragment is None
    assert operation.references_model("anything", APP) and operation.references_field("a", "b", APP)
    assert (operation.reversible, operation.reduces_to_sql, operation.atomic, operation.elidable) == (
        True, True, False, False,
    )  # fmt: skip


def test_the_base_class_asks_for_the_three_methods():
    operation = Tag("x")
    with pytest.raises(NotImplementedError, match="subclasses of Operation must provide a state_forwards"):
        operation.state_forwards(APP, ProjectState())
    with pytest.raises(NotImplementedError, match="subclasses of Operation must provide a database_forwards"):
        operation.database_forwards(APP, None, ProjectState(), ProjectState())
    with pytest.raises(NotImplementedError, match="subclasses of Operation must provide a database_backwards"):
        operation.database_backwards(APP, None, ProjectState(), ProjectState())


def test_reduce_drops_an_elidable_operation():
    keep = migrations.RunSQL("SELECT 1")
    elidable = migrations.RunSQL("SELECT 2", elidable=True)
    assert elidable.reduce(keep, APP) == [keep]
    assert keep.reduce(elidable, APP) == [keep]
    assert keep.reduce(migrations.RunSQL("SELECT 3"), APP) is False
