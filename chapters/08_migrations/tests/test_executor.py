"""The executor: plans to reach targets, each migration applied or unapplied in one transaction, recorded.

Apps and migrations are written by the ``project`` fixture (conftest.py).
Data-loss checks put rows in the tables and compare every value after each step.
"""

import pytest

from tinyframe.db import IntegrityError, OperationalError, connection
from tinyframe.db.migrations.exceptions import InvalidMigrationPlan, IrreversibleError
from tinyframe.db.migrations.executor import MigrationExecutor
from tinyframe.db.migrations.recorder import MigrationRecorder

ID = 'models.AutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")'


def create(model: str, *fields: str, options: str = "") -> str:
    """The source of a CreateModel operation with an id and ``fields`` (each ``("name", models.X(...))``)."""
    extra = f", options={options}" if options else ""
    return f'migrations.CreateModel("{model}", [("id", {ID}), {", ".join(fields)}]{extra}),'


@pytest.fixture
def apps_with_migrations(project):
    """shop: 0001 creates Item; blog: 0001 creates Post, 0002 creates Tag after shop's 0001; 0003 adds a column."""
    item = create("Item", '("name", models.CharField(max_length=10))')
    project.app("shop", "", {"0001_initial": project.migration(operations=item)})
    project.app("blog", "", {
        "0001_initial": project.migration(operations=create("Post", '("title", models.CharField(max_length=100))')),
        "0002_tag": project.migration([("blog", "0001_initial"), ("shop", "0001_initial")],
                                      create("Tag", '("name", models.CharField(max_length=20))')),
        "0003_post_summary": project.migration(
            [("blog", "0002_tag")], 'migrations.AddField("post", "summary", models.TextField(null=True)),'),
    })
    project.install("blog", "shop")
    return project


def keys(plan) -> list[tuple[str, str, bool]]:
    return [(migration.app_label, migration.name, backwards) for migration, backwards in plan]


def tables() -> set[str]:
    return {name for name in connection.introspection.table_names() if name.startswith(("blog_", "shop_"))}


def table_rows(table: str) -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(f'SELECT * FROM "{table}" ORDER BY 1')
        return cursor.fetchall()


def columns(table: str) -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute(f'PRAGMA table_info("{table}")')
        return [row[1] for row in cursor.fetchall()]


def applied() -> list[tuple[str, str]]:
    return sorted(MigrationRecorder(connection).applied_migrations())


# -- plans (these use exercise 08.2's forwards_plan) ------------------------------------------------


@pytest.mark.exercise("08.2")
def test_the_plan_to_an_apps_newest_migration_applies_its_dependencies_first(apps_with_migrations):
    executor = MigrationExecutor(connection)

    plan = executor.migration_plan([("blog", "0002_tag")])

    assert keys(plan) == [("shop", "0001_initial", False), ("blog", "0001_initial", False), ("blog", "0002_tag", False)]


@pytest.mark.exercise("08.2")
def test_migrate_creates_the_tables_in_dependency_order_and_records_them(apps_with_migrations):
    events = []
    executor = MigrationExecutor(connection, lambda action, migration=None, fake=False: events.append(
        (action, str(migration) if migration else None)))

    executor.migrate([("blog", "0002_tag")])

    assert tables() == {"blog_post", "blog_tag", "shop_item"}
    assert applied() == [("blog", "0001_initial"), ("blog", "0002_tag"), ("shop", "0001_initial")]
    assert [migration for action, migration in events if action == "apply_success"] == [
        "shop.0001_initial", "blog.0001_initial", "blog.0002_tag",
    ]


def test_a_plan_skips_what_is_applied_and_can_start_clean(apps_with_migrations):
    executor = MigrationExecutor(connection)
    executor.migrate([("blog", "0001_initial")])
    executor = MigrationExecutor(connection)

    assert keys(executor.migration_plan([("blog", "0002_tag")])) == [
        ("shop", "0001_initial", False), ("blog", "0002_tag", False),
    ]
    assert len(executor.migration_plan([("blog", "0002_tag")], clean_start=True)) == 3


def test_the_plan_back_to_a_migration_unapplies_only_what_follows_it_in_its_app(apps_with_migrations):
    MigrationExecutor(connection).migrate([("blog", "0003_post_summary")])
    executor = MigrationExecutor(connection)

    assert keys(executor.migration_plan([("blog", "0001_initial")])) == [
        ("blog", "0003_post_summary", True), ("blog", "0002_tag", True),
    ]
    assert keys(executor.migration_plan([("shop", None)])) == [
        ("blog", "0003_post_summary", True), ("blog", "0002_tag", True), ("shop", "0001_initial", True),
    ]
    assert executor.migration_plan([("blog", "0003_post_summary")]) == []


def test_a_plan_going_both_ways_is_refused(apps_with_migrations):
    executor = MigrationExecutor(connection)
    executor.migrate([("shop", "0001_initial")])
    executor = MigrationExecutor(connection)
    graph = executor.loader.graph
    plan = [(graph.nodes["blog", "0001_initial"], False), (graph.nodes["shop", "0001_initial"], True)]

    with pytest.raises(InvalidMigrationPlan) as error:
        executor.migrate([], plan=plan)

    assert str(error.value.args[0]) == (
        "Migration plans with both forwards and backwards migrations are not supported. Please split your "
        "migration process into separate plans of only forwards OR backwards migrations."
    )


# -- migrate, up and down, keeping rows -----------------------------------------------------------------


def test_migrate_forwards_and_back_keeps_every_row_and_returns_the_state(apps_with_migrations):
    state = MigrationExecutor(connection).migrate([("blog", "0002_tag")])
    assert sorted(state.models) == [("blog", "post"), ("blog", "tag"), ("shop", "item")]
    with connection.cursor() as cursor:
        cursor.execute("INSERT INTO blog_post (title) VALUES ('Dune'), ('Emma')")

    state = MigrationExecutor(connection).migrate([("blog", "0003_post_summary")])
    assert list(state.models["blog", "post"].fields) == ["id", "title", "summary"]
    assert table_rows("blog_post") == [(1, "Dune", None), (2, "Emma", None)]
    with connection.cursor() as cursor:
        cursor.execute("UPDATE blog_post SET summary = 'sand' WHERE id = 1")

    state = MigrationExecutor(connection).migrate([("blog", "0002_tag")])
    assert list(state.models["blog", "post"].fields) == ["id", "title"]
    assert table_rows("blog_post") == [(1, "Dune"), (2, "Emma")]

    state = MigrationExecutor(connection).migrate([("blog", None)])
    assert ("blog", "post") not in state.models and ("shop", "item") in state.models
    assert tables() == {"shop_item"}
    assert applied() == [("shop", "0001_initial")]


def test_an_empty_plan_changes_nothing_and_needs_no_table(apps_with_migrations):
    executor = MigrationExecutor(connection)

    state = executor.migrate([], plan=[])

    assert state.models == {} and "tinyframe_migrations" not in connection.introspection.table_names()
    executor.migrate([("shop", "0001_initial")])
    assert sorted(MigrationExecutor(connection).migrate([], plan=[]).models) == [("shop", "item")]


def test_fake_records_and_unrecords_without_touching_tables(apps_with_migrations):
    MigrationExecutor(connection).migrate([("shop", "0001_initial")], fake=True)
    assert applied() == [("shop", "0001_initial")] and tables() == set()

    MigrationExecutor(connection).migrate([("shop", None)], fake=True)
    assert applied() == []


def test_a_migration_whose_sql_is_deferred_is_recorded_after_it(project):
    indexed = create("Post", '("title", models.CharField(max_length=100, db_index=True))')
    project.app("blog", "", {"0001_initial": project.migration(operations=indexed)})
    project.install("blog")

    MigrationExecutor(connection).migrate([("blog", "0001_initial")])

    assert applied() == [("blog", "0001_initial")]
    with connection.cursor() as cursor:
        cursor.execute("SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'blog_post'")
        assert [name for (name,) in cursor.fetchall() if name.startswith("blog_post_title_")]


# -- failures ----------------------------------------------------------------------------------------


def test_a_failure_half_way_rolls_back_schema_rows_and_record_and_names_the_operation(apps_with_migrations):
    MigrationExecutor(connection).migrate([("blog", "0001_initial")])
    with connection.cursor() as cursor:
        cursor.execute("INSERT INTO blog_post (title) VALUES ('Dune'), ('Emma')")
    apps_with_migrations.write("blog/migrations/0002_tag.py", apps_with_migrations.migration(
        [("blog", "0001_initial")],
        create("Tag", '("name", models.CharField(max_length=20))')
        + "\nmigrations.RunSQL(\"UPDATE blog_post SET title = 'changed'\"),"
        + "\nmigrations.RunSQL('INSERT INTO blog_post (id, title) VALUES (1, NULL)'),",
    ))

    with pytest.raises(IntegrityError) as error:
        MigrationExecutor(connection).migrate([("blog", "0002_tag")])

    assert error.value.__notes__[-1] == (
        "Applying blog.0002_tag failed in operation 3 of 3: Raw SQL operation; its changes were rolled back: the "
        "schema, the rows and tinyframe_migrations are as before it."
    )
    assert tables() == {"blog_post"}
    assert table_rows("blog_post") == [(1, "Dune"), (2, "Emma")]
    assert applied() == [("blog", "0001_initial")]


def test_a_failure_while_unapplying_leaves_everything_applied(apps_with_migrations):
    apps_with_migrations.write("blog/migrations/0002_tag.py", apps_with_migrations.migration(
        [("blog", "0001_initial")],
        create("Tag", '("name", models.CharField(max_length=20))') + "\nmigrations.RunSQL('SELECT 1'),",
    ))
    MigrationExecutor(connection).migrate([("blog", "0002_tag")])

    with pytest.raises(IrreversibleError) as error:
        MigrationExecutor(connection).migrate([("blog", "0001_initial")])

    assert str(error.value).startswith("Operation <RunSQL") and str(error.value).endswith(
        " in blog.0002_tag is not reversible")
    assert error.value.__notes__[-1] == (
        "Unapplying blog.0002_tag failed; nothing was run: the schema, the rows and "
        "tinyframe_migrations are as before it."
    )
    assert tables() == {"blog_post", "blog_tag"}
    assert applied() == [("blog", "0001_initial"), ("blog", "0002_tag")]


def test_a_non_atomic_migration_says_its_earlier_operations_stay(project):
    operations = create("Post") + "\nmigrations.RunSQL('SELECT * FROM no_such_table'),"
    project.app("blog", "", {"0001_initial": project.migration(operations=operations, atomic=False)})
    project.install("blog")

    with pytest.raises(OperationalError) as error:
        MigrationExecutor(connection).migrate([("blog", "0001_initial")])

    assert error.value.__notes__[-1] == (
        "Applying blog.0001_initial failed in operation 2 of 2: Raw SQL operation; it is not atomic "
        "(atomic = False), so the operations before the failure stay done."
    )
    assert tables() == {"blog_post"} and applied() == []


def test_a_failure_outside_any_operation_names_the_migration(apps_with_migrations, monkeypatch):
    executor = MigrationExecutor(connection)
    migration = executor.loader.graph.nodes["shop", "0001_initial"]
    monkeypatch.setattr(type(migration), "apply", lambda *args, **kwargs: 1 / 0)

    with pytest.raises(ZeroDivisionError) as error:
        executor.migrate([("shop", "0001_initial")])

    assert error.value.__notes__[-1].startswith("Applying shop.0001_initial failed; its changes were rolled back")


# -- squashed migrations ------------------------------------------------------------------------------


@pytest.fixture
def squashed(project):
    first = create("Post", '("title", models.CharField(max_length=100))')
    second = 'migrations.AddField("post", "summary", models.TextField(null=True)),'
    project.app("blog", "", {
        "0001_initial": project.migration(operations=first),
        "0002_summary": project.migration([("blog", "0001_initial")], second),
        "0001_squashed_0002": project.migration(
            replaces=[("blog", "0001_initial"), ("blog", "0002_summary")], operations=first + "\n" + second),
    })
    project.install("blog")
    return project


def test_a_squashed_migration_is_recorded_as_itself_and_each_migration_it_replaces(squashed):
    MigrationExecutor(connection).migrate([("blog", "0001_squashed_0002")])

    assert columns("blog_post") == ["id", "title", "summary"]
    assert applied() == [("blog", "0001_initial"), ("blog", "0001_squashed_0002"), ("blog", "0002_summary")]

    MigrationExecutor(connection).migrate([("blog", None)])
    assert applied() == [] and tables() == set()


def test_a_half_applied_squash_is_finished_with_the_migrations_it_replaces(squashed):
    executor = MigrationExecutor(connection)
    executor.loader.replace_migrations = False
    executor.loader.build_graph()
    executor.migrate([("blog", "0001_initial")])

    MigrationExecutor(connection).migrate([("blog", "0002_summary")])

    assert applied() == [("blog", "0001_initial"), ("blog", "0001_squashed_0002"), ("blog", "0002_summary")]


def test_targeting_a_replaced_migration_that_is_applied_plans_with_the_originals(squashed):
    MigrationExecutor(connection).migrate([("blog", "0001_squashed_0002")])
    executor = MigrationExecutor(connection)

    plan = executor.migration_plan([("blog", "0001_initial")])

    assert keys(plan) == [("blog", "0002_summary", True)]


# -- detect_soft_applied (--fake-initial) ----------------------------------------------------------------


def test_only_initial_migrations_whose_tables_exist_are_soft_applied(apps_with_migrations):
    executor = MigrationExecutor(connection)
    graph = executor.loader.graph
    first, tag = graph.nodes["blog", "0001_initial"], graph.nodes["blog", "0002_tag"]
    state = executor.loader.project_state(("blog", "0001_initial"), at_end=False)

    assert executor.detect_soft_applied(state, first)[0] is False, "no table yet"
    MigrationExecutor(connection).migrate([("blog", "0001_initial")])
    assert executor.detect_soft_applied(state, first)[0] is True
    assert executor.detect_soft_applied(None, first)[0] is True, "the state is worked out when not given"
    assert executor.detect_soft_applied(state, tag)[0] is False, "0002 depends on 0001: not initial"
    tag.initial = False
    assert executor.detect_soft_applied(state, tag)[0] is False


def test_a_migration_of_other_operations_or_of_unmanaged_models_is_not_soft_applied(project):
    operations = "\n".join([
        create("Ghost", options='{"managed": False}'),
        'migrations.AddField("ghost", "x", models.IntegerField(null=True)),',
        "migrations.RunSQL('SELECT 1'),",
    ])
    project.app("blog", "", {"0001_initial": project.migration(initial=True, operations=operations)})
    project.install("blog")
    executor = MigrationExecutor(connection)
    migration = executor.loader.graph.nodes["blog", "0001_initial"]

    assert executor.detect_soft_applied(None, migration)[0] is False
