"""The optimizer: a migration's operations merged into fewer that do the same, as Django 5.2 merges them.

Each case is a list of operations and what ``MigrationOptimizer().optimize``
leaves of it, each operation shown by its description, its fields and the
options that matter; the expected lists are what Django's optimizer gives
for the same operations.
"""

import pytest

from tinyframe.db import migrations, models
from tinyframe.db.migrations.optimizer import MigrationOptimizer


def F():
    return [("id", models.AutoField(primary_key=True)), ("title", models.CharField(max_length=10))]


def idx():
    return models.Index(fields=["title"], name="t_idx")


def con():
    return models.UniqueConstraint(fields=["title"], name="u_t")


def shown(operation) -> str:
    text = operation.describe()
    if isinstance(getattr(operation, "fields", None), list):
        text += " " + str([name for name, _ in operation.fields])
    if getattr(operation, "options", None):
        text += " " + str({
            key: sorted(value) if isinstance(value, set)
            else [item.name for item in value] if key in ("indexes", "constraints") else value
            for key, value in operation.options.items()
        })
    if getattr(operation, "field", None) is not None:
        text += f" null={operation.field.null}"
    return text


def cases():
    """Each case's operations, made anew for each test run (operations and fields are mutable)."""
    return {
        "create+delete": [
            migrations.CreateModel("Post", F()),
            migrations.DeleteModel("Post"),
        ],
        "create+rename": [
            migrations.CreateModel("Post", F()),
            migrations.RenameModel("Post", "Article"),
        ],
        "create+options": [
            migrations.CreateModel("Post", F(), options={"verbose_name": "x", "db_table": "p"}),
            migrations.AlterModelOptions("post", {"ordering": ["title"]}),
        ],
        "create+ut": [
            migrations.CreateModel("Post", F()),
            migrations.AlterUniqueTogether("post", [("id", "title")]),
        ],
        "create+table": [
            migrations.CreateModel("Post", F()),
            migrations.AlterModelTable("post", "posts"),
        ],
        "create+add+alter+rename+remove": [
            migrations.CreateModel("Post", F(), options={"unique_together": {("id", "title")}}),
            migrations.AddField("post", "body", models.TextField()),
            migrations.AlterField("post", "body", models.TextField(null=True)),
            migrations.RenameField("post", "title", "headline"),
            migrations.RemoveField("post", "body"),
        ],
        "create+remove-ut-field": [
            migrations.CreateModel("Post", F(), options={"unique_together": {("id", "title")}}),
            migrations.RemoveField("post", "title"),
        ],
        "create+indexes": [
            migrations.CreateModel("Post", F(), options={"indexes": [idx()], "constraints": []}),
            migrations.AddConstraint("post", con()),
            migrations.RemoveIndex("post", "t_idx"),
            migrations.RemoveConstraint("post", "u_t"),
        ],
        "rename+rename": [
            migrations.RenameModel("A", "B"),
            migrations.RenameModel("B", "C"),
        ],
        "options+options": [
            migrations.AlterModelOptions("post", {"ordering": ["x"]}),
            migrations.AlterModelOptions("post", {}),
        ],
        "table+delete": [
            migrations.AlterModelTable("post", "x"),
            migrations.DeleteModel("Post"),
        ],
        "add+alter": [
            migrations.AddField("post", "a", models.IntegerField()),
            migrations.AlterField("post", "a", models.IntegerField(null=True)),
        ],
        "add+remove": [
            migrations.AddField("post", "a", models.IntegerField()),
            migrations.RemoveField("post", "a"),
        ],
        "add+rename": [
            migrations.AddField("post", "a", models.IntegerField()),
            migrations.RenameField("post", "a", "b"),
        ],
        "alter+alter": [
            migrations.AlterField("post", "a", models.IntegerField()),
            migrations.AlterField("post", "a", models.IntegerField(null=True)),
        ],
        "alter+remove": [
            migrations.AlterField("post", "a", models.IntegerField()),
            migrations.RemoveField("post", "a"),
        ],
        "alter+rename": [
            migrations.AlterField("post", "a", models.IntegerField()),
            migrations.RenameField("post", "a", "b"),
        ],
        "rf+rf": [
            migrations.RenameField("post", "a", "b"),
            migrations.RenameField("post", "b", "c"),
        ],
        "remove+delete": [
            migrations.RemoveField("post", "a"),
            migrations.DeleteModel("Post"),
        ],
        "addidx+rmidx": [
            migrations.AddIndex("post", idx()),
            migrations.RemoveIndex("post", "t_idx"),
        ],
        "addcon+rmcon": [
            migrations.AddConstraint("post", con()),
            migrations.RemoveConstraint("post", "u_t"),
        ],
        "elidable": [
            migrations.RunPython(migrations.RunPython.noop, elidable=True),
            migrations.AddField("post", "a", models.IntegerField(null=True)),
            migrations.RunSQL("SELECT 1", elidable=True),
        ],
        "cross-right": [
            migrations.AddField("post", "a", models.IntegerField(null=True)),
            migrations.AddField("tag", "b", models.IntegerField(null=True)),
            migrations.RemoveField("post", "a"),
        ],
        "blocked": [
            migrations.AddField("post", "a", models.IntegerField(null=True)),
            migrations.RunSQL("SELECT 1"),
            migrations.RemoveField("post", "a"),
        ],
        "left": [
            migrations.CreateModel("Author", F()),
            migrations.CreateModel("Post", F()),
            migrations.AddField("author", "best", models.ForeignKey("Post", models.CASCADE)),
        ],
        "index barrier": [
            migrations.CreateModel("Tag", F()),
            migrations.AddIndex("post", idx()),
            migrations.AlterUniqueTogether("tag", [("id", "title")]),
        ],
        "delete barrier": [
            migrations.AddField("tag", "a", models.IntegerField(null=True)),
            migrations.DeleteModel("Post"),
            migrations.RemoveField("tag", "a"),
        ],
        "create+create fk": [
            migrations.CreateModel("A", F()),
            migrations.CreateModel("B", [("a", models.ForeignKey("A", models.CASCADE))]),
            migrations.DeleteModel("A"),
        ],
    }


EXPECTED = {
    'create+delete': [],
    'create+rename': ["Create model Article ['id', 'title']"],
    'create+options': ["Create model Post ['id', 'title'] {'db_table': 'p', 'ordering': ['title']}"],
    'create+ut': ["Create model Post ['id', 'title'] {'unique_together': [('id', 'title')]}"],
    'create+table': ["Create model Post ['id', 'title'] {'db_table': 'posts'}"],
    'create+add+alter+rename+remove': [
        "Create model Post ['id', 'headline'] {'unique_together': [('id', 'headline')]}",
    ],
    'create+remove-ut-field': ["Create model Post ['id'] {'unique_together': [('id',)]}"],
    'create+indexes': ["Create model Post ['id', 'title'] {'indexes': [], 'constraints': []}"],
    'rename+rename': ['Rename model A to C'],
    'options+options': ['Change Meta options on post'],
    'table+delete': ['Delete model Post'],
    'add+alter': ['Add field a to post null=True'],
    'add+remove': [],
    'add+rename': ['Add field b to post null=False'],
    'alter+alter': ['Alter field a on post null=True'],
    'alter+remove': ['Remove field a from post'],
    'alter+rename': ['Rename field a on post to b', 'Alter field b on post null=False'],
    'rf+rf': ['Rename field a on post to c'],
    'remove+delete': ['Delete model Post'],
    'addidx+rmidx': [],
    'addcon+rmcon': [],
    'elidable': ['Add field a to post null=True'],
    'cross-right': ['Add field b to tag null=True'],
    'blocked': ['Add field a to post null=True', 'Raw SQL operation', 'Remove field a from post'],
    'left': ["Create model Post ['id', 'title']", "Create model Author ['id', 'title', 'best']"],
    'index barrier': [
        "Create model Tag ['id', 'title']",
        'Create index t_idx on field(s) title of model post',
        'Alter unique_together for tag (1 constraint(s))',
    ],
    'delete barrier': ['Delete model Post'],
    'create+create fk': ["Create model A ['id', 'title']", "Create model B ['a']", 'Delete model A'],
}


def test_each_case_reduces_as_djangos_optimizer_does(check_rows):
    built = cases()

    def check(name, expected):
        result = [shown(operation) for operation in MigrationOptimizer().optimize(built[name], "blog")]
        assert result == expected, f"{name}: optimize gave {result}, Django gives {expected}"

    check_rows(EXPECTED.items(), check)


def test_an_app_label_is_required():
    with pytest.raises(TypeError, match="app_label must be a str."):
        MigrationOptimizer().optimize([], None)
