"""Migration.suggest_name (exercise 08.6) and the name fragments of the operations it reads.

Every expected name is the one Django 5.2's ``Migration.suggest_name`` gives
for the same operations.
"""

import re

import pytest

from tinyframe.db import migrations, models


def suggested(*operations, initial=None) -> str:
    migration = migrations.Migration("0002_next", "blog")
    migration.operations = list(operations)
    migration.initial = initial
    return migration.suggest_name()


def number():
    return models.IntegerField(default=0)


@pytest.mark.exercise("08.6")
def test_an_initial_migration_is_named_initial():
    assert suggested(migrations.CreateModel("Post", []), initial=True) == "initial"
    assert suggested(initial=True) == "initial", "initial wins even without operations"


@pytest.mark.exercise("08.6")
def test_one_operation_gives_its_fragment(check_rows):
    rows = [
        (migrations.CreateModel("Post", []), "post"),
        (migrations.DeleteModel("Post"), "delete_post"),
        (migrations.AddField("post", "slug", number()), "post_slug"),
        (migrations.RemoveField("Post", "slug"), "remove_post_slug"),
        (migrations.AlterField("post", "title", number()), "alter_post_title"),
        (migrations.RenameField("post", "old", "new"), "rename_old_post_new"),
        (migrations.RenameModel("Old", "New"), "rename_old_new"),
        (migrations.AlterModelTable("post", "posts"), "alter_post_table"),
        (migrations.AlterModelOptions("post", {}), "alter_post_options"),
        (migrations.AlterUniqueTogether("post", [("a", "b")]), "alter_post_unique_together"),
        (migrations.AddIndex("post", models.Index(fields=["a"], name="IX")), "post_ix"),
        (migrations.RemoveIndex("post", "IX"), "remove_post_ix"),
        (migrations.AddConstraint("post", models.CheckConstraint(condition=models.Q(a=1), name="C1")), "post_c1"),
        (migrations.RemoveConstraint("post", "C1"), "remove_post_c1"),
    ]

    def check(operation, expected):
        got = suggested(operation)
        assert got == expected, f"suggest_name() with {operation!r} gave {got!r}, expected {expected!r}"

    check_rows(rows, check)


@pytest.mark.exercise("08.6")
def test_fragments_are_joined_with_underscores():
    assert suggested(migrations.CreateModel("Post", []), migrations.CreateModel("Author", [])) == "post_author"
    assert suggested(
        migrations.DeleteModel("Post"), migrations.RenameModel("A", "B"), migrations.AlterModelTable("x", "y")
    ) == "delete_post_rename_a_b_alter_x_table"


@pytest.mark.exercise("08.6")
def test_non_word_characters_become_one_underscore():
    index = models.Index(fields=["a"], name="Post-Title idx")
    assert suggested(migrations.AddIndex("post", index)) == "post_post_title_idx"


@pytest.mark.exercise("08.6")
def test_a_name_longer_than_52_characters_stops_with_and_more():
    five = [migrations.AddField("post", f"field_{i}", number()) for i in range(5)]
    assert suggested(*five) == "post_field_0_post_field_1_post_field_2_post_field_3_and_more"
    # 52 characters exactly still fit; 53 do not.
    assert suggested(migrations.AddField("post", "a" * 40, number()), migrations.AddField("post", "b", number())) == (
        f"post_{'a' * 40}_post_b"
    )
    assert suggested(migrations.AddField("post", "a" * 44, number()), migrations.AddField("post", "b", number())) == (
        f"post_{'a' * 44}_and_more"
    )


@pytest.mark.exercise("08.6")
def test_one_long_fragment_is_kept_whole():
    assert suggested(migrations.AddField("post", "a" * 80, number())) == f"post_{'a' * 80}"


@pytest.mark.exercise("08.6")
def test_no_operations_or_one_without_a_fragment_gives_a_timestamp():
    for operations in ([], [migrations.AddField("post", "slug", number()), migrations.RunPython(migrations.RunPython.noop)],
                       [migrations.RunSQL("SELECT 1")]):  # fmt: skip
        name = suggested(*operations)
        assert re.fullmatch(r"auto_\d{8}_\d{4}", name), f"suggest_name() with {operations} gave {name!r}"


class UnnamedOperation(migrations.RunSQL):
    """A project's own operation whose name fragment is empty: as good as none."""

    migration_name_fragment = ""


@pytest.mark.exercise("08.6")
def test_an_empty_fragment_counts_as_none():
    name = suggested(migrations.AddField("post", "slug", number()), UnnamedOperation("SELECT 1"))
    assert re.fullmatch(r"auto_\d{8}_\d{4}", name), (
        f"an operation whose fragment is '' should give auto_<date>_<time>, not {name!r}"
    )


def test_the_special_operations_have_no_fragment():
    assert migrations.RunPython(migrations.RunPython.noop).migration_name_fragment is None
    assert migrations.RunSQL("SELECT 1").migration_name_fragment is None
    assert migrations.SeparateDatabaseAndState().migration_name_fragment is None
