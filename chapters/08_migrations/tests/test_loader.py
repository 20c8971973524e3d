"""The loader: migration files found on disk, joined into a graph, checked, and replayed into a state.

Apps and migration packages are written by the ``project`` fixture
(conftest.py). Messages are Django 5.2's, except where a file that does not
import is named (Django lets the import error through as it is).
"""

import pytest

from tinyframe.db import connection
from tinyframe.db.migrations.exceptions import (
    AmbiguityError,
    BadMigrationError,
    CircularDependencyError,
    InconsistentMigrationHistory,
    NodeNotFoundError,
)
from tinyframe.db.migrations.loader import MigrationLoader
from tinyframe.db.migrations.recorder import MigrationRecorder

ID = 'models.AutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")'


def chain(project, app_label: str, *names: str, first_dependencies=()) -> dict:
    """Migration sources ``{name: source}`` each depending on the one before (the first on ``first_dependencies``)."""
    sources = {}
    previous = list(first_dependencies)
    for name in names:
        sources[name] = project.migration(previous)
        previous = [(app_label, name)]
    return sources


def test_the_loader_finds_each_apps_migrations_and_what_is_applied(project):
    project.app("blog", "", chain(project, "blog", "0001_initial", "0002_second"))
    project.app("plain")
    project.install("blog", "plain")
    MigrationRecorder(connection).record_applied("blog", "0001_initial")

    loader = MigrationLoader(connection)

    assert sorted(loader.disk_migrations) == [("blog", "0001_initial"), ("blog", "0002_second")]
    migration = loader.get_migration("blog", "0002_second")
    assert (migration.app_label, migration.name) == ("blog", "0002_second")
    assert loader.migrated_apps == {"blog"} and loader.unmigrated_apps == {"plain"}
    assert list(loader.applied_migrations) == [("blog", "0001_initial")]
    assert loader.graph.leaf_nodes() == [("blog", "0002_second")]


def test_files_starting_with_underscore_or_tilde_and_subpackages_are_not_migrations(project):
    project.app("blog", "", {"0001_initial": project.migration(), "_helpers": "x = 1\n", "~0002_draft": "x = 1\n"})
    project.write("blog/migrations/data/__init__.py", "")
    project.install("blog")

    assert list(MigrationLoader(None).disk_migrations) == [("blog", "0001_initial")]


def test_a_migrations_module_that_is_not_a_package_or_an_empty_folder_means_no_migrations(project):
    project.app("single")
    project.write("single/migrations.py", "x = 1\n")
    project.app("empty")
    (project.root / "empty" / "migrations").mkdir()
    project.install("single", "empty")

    loader = MigrationLoader(None)

    assert loader.unmigrated_apps == {"single", "empty"} and loader.disk_migrations == {}


def test_migration_modules_setting_moves_or_disables_an_apps_migrations(project):
    project.app("blog", "", chain(project, "blog", "0001_initial"))
    project.app("shop", "", chain(project, "shop", "0001_initial"))
    project.migrations("elsewhere.blog_migrations", chain(project, "blog", "0001_moved"))
    project.install("blog", "shop")
    project.use_settings(MIGRATION_MODULES={"blog": "elsewhere.blog_migrations", "shop": None})

    loader = MigrationLoader(None)

    assert list(loader.disk_migrations) == [("blog", "0001_moved")]
    assert loader.unmigrated_apps == {"shop"}
    assert MigrationLoader.migrations_module("blog") == ("elsewhere.blog_migrations", True)


def test_a_missing_migration_modules_package_is_an_error_unless_ignored(project):
    project.app("blog")
    project.install("blog")
    project.use_settings(MIGRATION_MODULES={"blog": "nowhere.migrations"})

    with pytest.raises(ModuleNotFoundError):
        MigrationLoader(None)
    assert MigrationLoader(None, ignore_no_migrations=True).unmigrated_apps == {"blog"}


def test_new_files_are_seen_by_the_next_loader(project):
    project.app("blog", "", chain(project, "blog", "0001_initial"))
    project.install("blog")
    MigrationLoader(None)

    project.write("blog/migrations/0002_second.py", project.migration([("blog", "0001_initial")]))

    assert MigrationLoader(None).graph.leaf_nodes() == [("blog", "0002_second")]


# -- files that cannot be used -------------------------------------------------------------------


def test_a_migration_file_that_does_not_import_is_named(project):
    project.app("blog", "", {"0001_initial": "from tinyframe.db import migrations\nimport no_such_module\n"})
    project.install("blog")

    with pytest.raises(BadMigrationError) as error:
        MigrationLoader(None)

    path = project.root / "blog" / "migrations" / "0001_initial.py"
    assert str(error.value) == (
        f"Couldn't import migration 'blog.migrations.0001_initial' ({path}): ModuleNotFoundError: No module "
        f"named 'no_such_module'"
    )
    assert isinstance(error.value.__cause__, ModuleNotFoundError)


def test_a_migration_file_with_a_syntax_error_is_named(project):
    project.app("blog", "", {"0001_initial": "class Migration(:\n"})
    project.install("blog")

    with pytest.raises(BadMigrationError, match=r"^Couldn't import migration 'blog\.migrations\.0001_initial' "
                                                r"\(.*0001_initial\.py\): SyntaxError: "):
        MigrationLoader(None)


def test_a_migration_file_without_a_migration_class_is_refused(project):
    project.app("blog", "", {"0001_initial": "x = 1\n"})
    project.install("blog")

    with pytest.raises(BadMigrationError) as error:
        MigrationLoader(None)

    assert str(error.value) == "Migration 0001_initial in app blog has no Migration class"


# -- dependencies ---------------------------------------------------------------------------------------


def test_a_dependency_on_a_missing_migration_names_both(project):
    project.app("blog", "", {"0001_initial": project.migration([("shop", "0007_gone")])})
    project.app("shop", "", chain(project, "shop", "0001_initial"))
    project.install("blog", "shop")

    with pytest.raises(NodeNotFoundError) as error:
        MigrationLoader(None)

    assert str(error.value) == (
        "Migration blog.0001_initial dependencies reference nonexistent parent node ('shop', '0007_gone')"
    )


def test_a_dependency_cycle_names_its_migrations(project):
    project.app("blog", "", chain(project, "blog", "0001_initial", first_dependencies=[("shop", "0001_initial")]))
    project.app("shop", "", chain(project, "shop", "0001_initial", first_dependencies=[("blog", "0001_initial")]))
    project.install("blog", "shop")

    with pytest.raises(CircularDependencyError) as error:
        MigrationLoader(None)

    assert str(error.value) == "blog.0001_initial, shop.0001_initial"


def test_first_and_latest_stand_for_an_apps_first_and_newest_migration(project):
    project.app("blog", "", {"0001_initial": project.migration([("shop", "__first__"), ("blog", "__first__")]),
                             "0002_second": project.migration([("blog", "0001_initial"), ("shop", "__latest__"),
                                                               ("plain", "__first__")])})
    project.app("shop", "", chain(project, "shop", "0001_initial", "0002_second"))
    project.app("plain")
    project.install("blog", "shop", "plain")

    graph = MigrationLoader(None).graph

    assert sorted(parent.key for parent in graph.node_map[("blog", "0001_initial")].parents) == [
        ("shop", "0001_initial")
    ]
    assert graph.forwards_plan(("blog", "0002_second")) == [
        ("shop", "0001_initial"), ("shop", "0002_second"), ("blog", "0001_initial"), ("blog", "0002_second"),
    ]


@pytest.mark.parametrize("dependency, message", [
    (("nope", "__first__"), "Dependency on unknown app: nope"),
    (("empty", "__latest__"), "Dependency on app with no migrations: empty"),
])
def test_first_of_an_unknown_app_or_one_without_migrations_is_an_error(project, dependency, message):
    project.app("blog", "", {"0001_initial": project.migration([dependency])})
    project.app("empty", "", {})
    project.install("blog", "empty")

    with pytest.raises(ValueError) as error:
        MigrationLoader(None)

    assert str(error.value) == message


def test_run_before_makes_another_apps_migration_wait(project):
    project.app("blog", "", {"0001_initial": project.migration(run_before=[("shop", "0001_initial")])})
    project.app("shop", "", chain(project, "shop", "0001_initial"))
    project.install("blog", "shop")

    assert MigrationLoader(None).graph.forwards_plan(("shop", "0001_initial")) == [
        ("blog", "0001_initial"), ("shop", "0001_initial"),
    ]


# -- prefixes, conflicts, history -----------------------------------------------------------------------


def test_get_migration_by_prefix(project):
    project.app("blog", "", chain(project, "blog", "0001_initial", "0002_a", "0003_b"))
    project.install("blog")
    loader = MigrationLoader(None)

    assert loader.get_migration_by_prefix("blog", "0002").name == "0002_a"
    with pytest.raises(AmbiguityError) as ambiguous:
        loader.get_migration_by_prefix("blog", "000")
    assert str(ambiguous.value) == "There is more than one migration for 'blog' with the prefix '000'"
    with pytest.raises(KeyError) as missing:
        loader.get_migration_by_prefix("blog", "0009")
    assert missing.value.args[0] == "There is no migration for 'blog' with the prefix '0009'"


def test_detect_conflicts_lists_the_apps_with_several_newest_migrations(project):
    project.app("blog", "", {**chain(project, "blog", "0001_initial", "0002_b"),
                             "0002_a": project.migration([("blog", "0001_initial")])})
    project.app("shop", "", chain(project, "shop", "0001_initial"))
    project.install("blog", "shop")

    assert MigrationLoader(None).detect_conflicts() == {"blog": ["0002_a", "0002_b"]}


def test_check_consistent_history(project):
    project.app("blog", "", chain(project, "blog", "0001_initial", "0002_second"))
    project.install("blog")
    recorder = MigrationRecorder(connection)
    recorder.record_applied("blog", "0002_second")
    recorder.record_applied("blog", "9999_gone")  # a file since deleted: ignored
    loader = MigrationLoader(connection)

    with pytest.raises(InconsistentMigrationHistory) as error:
        loader.check_consistent_history(connection)

    assert str(error.value) == (
        "Migration blog.0002_second is applied before its dependency blog.0001_initial on database 'default'."
    )
    recorder.record_applied("blog", "0001_initial")
    loader.check_consistent_history(connection)


# -- squashed migrations ---------------------------------------------------------------------------------


@pytest.fixture
def squashed(project):
    project.app("blog", "", {
        **chain(project, "blog", "0001_initial", "0002_second", "0003_third"),
        "0001_squashed_0002": project.migration(replaces=[("blog", "0001_initial"), ("blog", "0002_second")]),
    })
    project.install("blog")
    return MigrationRecorder(connection)


def test_a_squashed_migration_replaces_migrations_none_of_which_is_applied(squashed):
    loader = MigrationLoader(connection)

    assert loader.graph.forwards_plan(("blog", "0003_third")) == [("blog", "0001_squashed_0002"),
                                                                  ("blog", "0003_third")]
    assert loader.applied_migrations == {}


def test_a_squashed_migration_counts_as_applied_when_all_it_replaces_are(squashed):
    squashed.record_applied("blog", "0001_initial")
    squashed.record_applied("blog", "0002_second")

    loader = MigrationLoader(connection)

    assert ("blog", "0001_squashed_0002") in loader.applied_migrations
    assert ("blog", "0001_initial") not in loader.graph


def test_a_half_applied_squash_steps_aside_for_the_migrations_it_replaces(squashed):
    squashed.record_applied("blog", "0001_initial")

    loader = MigrationLoader(connection)

    assert loader.graph.forwards_plan(("blog", "0003_third")) == [
        ("blog", "0001_initial"), ("blog", "0002_second"), ("blog", "0003_third"),
    ]
    assert ("blog", "0001_squashed_0002") not in loader.graph


def test_a_dependency_on_a_replaced_migration_that_could_not_be_replaced_says_why(project):
    project.app("blog", "", {
        "0001_squashed_0002": project.migration(replaces=[("blog", "0001_initial"), ("blog", "0002_second")]),
        "0003_third": project.migration([("blog", "0002_second")]),
    })
    project.install("blog")
    MigrationRecorder(connection).record_applied("blog", "0001_initial")

    with pytest.raises(NodeNotFoundError) as error:
        MigrationLoader(connection)

    assert str(error.value) == (
        "Migration blog.0003_third depends on nonexistent node ('blog', '0002_second'). tinyframe tried to "
        "replace migration blog.0002_second with any of [blog.0001_squashed_0002] but wasn't able to because "
        "some of the replaced migrations are already applied."
    )


# -- the state the files describe ---------------------------------------------------------------------


def test_project_state_replays_the_operations_of_the_files(project):
    create = f'migrations.CreateModel("Post", [("id", {ID}), ("title", models.CharField(max_length=100))]),'
    add = 'migrations.AddField("post", "slug", models.SlugField(default="")),'
    project.app("blog", "", {"0001_initial": project.migration(operations=create),
                             "0002_post_slug": project.migration([("blog", "0001_initial")], add)})
    project.app("plain")
    project.install("blog", "plain")
    loader = MigrationLoader(None)

    after = loader.project_state()
    before_slug = loader.project_state(("blog", "0002_post_slug"), at_end=False)

    assert list(after.models[("blog", "post")].fields) == ["id", "title", "slug"]
    assert list(before_slug.models[("blog", "post")].fields) == ["id", "title"]
    assert after.real_apps == {"plain"}
