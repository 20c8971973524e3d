"""The autodetector: two project states in, the migrations between them out, as Django proposes them.

The states are built from ``ModelState`` objects directly: no models, no
database, no files. Each expected answer (operations, their order, the
migrations' names and dependencies) is what Django 5.2's autodetector gives
for the same two states.
"""

import pytest

from tinyframe.db import models
from tinyframe.db.migrations.autodetector import MigrationAutodetector, OperationDependency, resolve_relation
from tinyframe.db.migrations.graph import MigrationGraph
from tinyframe.db.migrations.questioner import MigrationQuestioner, NonInteractiveMigrationQuestioner
from tinyframe.db.migrations.state import ModelState, ProjectState

# >>> 10_auth


@pytest.fixture(autouse=True)
def the_auth_app_here_is_made_up(use_settings):
    """These tests' "auth" is an app of their own; the installed contrib auth's migrations are not theirs.

    Chapter 10's ``tinyframe.contrib.auth`` is installed for every chapter and
    has an initial migration, so the questioner would say "auth" wants no new
    initial migration. ``MIGRATION_MODULES={"auth": None}`` tells it the label
    has no migrations of its own, as before chapter 10.
    """
    use_settings(MIGRATION_MODULES={"auth": None})


# <<< 10_auth


def auto():
    return "id", models.AutoField(primary_key=True)


def model(app_label, name, *fields, **options):
    return ModelState(app_label, name, [auto(), *fields], options=options or None)


def state(*model_states) -> ProjectState:
    project_state = ProjectState()
    for model_state in model_states:
        project_state.add_model(model_state.clone())
    return project_state


def graph(*nodes) -> MigrationGraph:
    migration_graph = MigrationGraph()
    for node in nodes:
        migration_graph.add_node(node, None)
    return migration_graph


class Recorder(MigrationQuestioner):
    """A questioner that answers from ``answers`` and writes down every question it was asked."""

    def __init__(self, **answers):
        super().__init__(defaults={"ask_initial": True})
        self.answers = answers
        self.asked = []

    def ask(self, question, *args):
        self.asked.append((question, *args))
        return self.answers.get(question)

    def ask_not_null_addition(self, field_name, model_name):
        return self.ask("ask_not_null_addition", field_name, model_name)

    def ask_auto_now_add_addition(self, field_name, model_name):
        return self.ask("ask_auto_now_add_addition", field_name, model_name)

    def ask_unique_callable_default_addition(self, field_name, model_name):
        return self.ask("ask_unique_callable_default_addition", field_name, model_name)

    def ask_not_null_alteration(self, field_name, model_name):
        return self.ask("ask_not_null_alteration", field_name, model_name)

    def ask_rename(self, model_name, old_name, new_name, field_instance):
        return bool(self.ask("ask_rename", model_name, old_name, new_name))

    def ask_rename_model(self, old_model_state, new_model_state):
        return bool(self.ask("ask_rename_model", old_model_state.name, new_model_state.name))


def detect(before, after, questioner=None, leaves=(), name=None, **kwargs) -> dict:
    """``changes()`` between two lists of model states, after a graph holding ``leaves``."""
    questioner = questioner or Recorder()
    detector = MigrationAutodetector(state(*before), state(*after), questioner)
    return detector.changes(graph(*leaves), migration_name=name, **kwargs)


def detect_operations(before, after, questioner=None) -> dict:
    """``{app_label: [[operation, ...] per migration]}`` before naming (no ``suggest_name``): exercise 08.4's view."""
    detector = MigrationAutodetector(state(*before), state(*after), questioner or Recorder())
    migrations = detector._detect_changes(graph=graph())
    return {app_label: [migration.operations for migration in app_migrations]
            for app_label, app_migrations in migrations.items()}


def summary(changes: dict) -> list:
    """Each migration as ``(app_label, name, sorted dependencies, [description, ...])``."""
    return [
        (app_label, migration.name, sorted(migration.dependencies),
         [operation.describe() for operation in migration.operations])
        for app_label, migrations in changes.items()
        for migration in migrations
    ]


AUTHOR = model("blog", "Author", ("name", models.CharField(max_length=100)))
POST = model("blog", "Post", ("title", models.CharField(max_length=200)))
POST_BY = model("blog", "Post", ("author", models.ForeignKey("blog.Author", models.CASCADE)),
                ("title", models.CharField(max_length=200)))


def with_field(model_state, name, field):
    changed = model_state.clone()
    changed.fields[name] = field
    return changed


# -- exercise 08.4: added fields ----------------------------------------------------------------


@pytest.mark.exercise("08.4")
def test_a_new_field_with_a_default_is_an_add_field_that_keeps_it():
    questioner = Recorder()
    result = detect_operations([POST], [with_field(POST, "slug", models.SlugField(default=""))], questioner)
    [[operation]] = result["blog"]
    assert type(operation).__name__ == "AddField"
    assert (operation.model_name, operation.name, operation.preserve_default) == ("post", "slug", True)
    assert operation.field.deconstruct()[1:] == ("tinyframe.db.models.SlugField", [], {"default": ""})
    assert questioner.asked == [], "a field with a default needs no question"


@pytest.mark.exercise("08.4")
def test_nullable_blank_and_many_to_many_fields_need_no_default():
    added = {
        "subtitle": models.CharField(max_length=50, null=True),
        "summary": models.TextField(blank=True),
        "edited": models.DateTimeField(auto_now=True),
        "tags": models.ManyToManyField("blog.Author"),
    }
    after = POST.clone()
    after.fields.update(added)
    questioner = Recorder()
    [operations] = detect_operations([POST, AUTHOR], [after, AUTHOR], questioner)["blog"]
    assert [(operation.name, operation.preserve_default) for operation in operations] == [
        ("edited", True), ("subtitle", True), ("summary", True), ("tags", True),
    ], "added fields come in sorted order, each keeping its default"
    assert questioner.asked == []


@pytest.mark.exercise("08.4")
def test_a_not_null_field_without_default_asks_for_a_one_off_default():
    before = POST
    after = with_field(POST, "views", models.IntegerField())
    questioner = Recorder(ask_not_null_addition=0)
    [[operation]] = detect_operations([before], [after], questioner)["blog"]
    assert questioner.asked == [("ask_not_null_addition", "views", "post")]
    assert (operation.name, operation.field.default, operation.preserve_default) == ("views", 0, False)
    assert after.fields["views"].default is models.NOT_PROVIDED, "the question's answer goes on a clone"
    blank_integer = with_field(POST, "views", models.IntegerField(blank=True))
    questioner = Recorder(ask_not_null_addition=7)
    [[operation]] = detect_operations([before], [blank_integer], questioner)["blog"]
    assert questioner.asked == [("ask_not_null_addition", "views", "post")], (
        "blank=True only spares the question for fields where '' is a value"
    )


@pytest.mark.exercise("08.4")
def test_the_one_off_default_never_reaches_the_models_state():
    before, after = state(POST), state(with_field(POST, "views", models.IntegerField()))

    for attempt in ("first", "second"):
        detector = MigrationAutodetector(before, after, Recorder(ask_not_null_addition=0))
        [migration] = detector._detect_changes(graph=graph())["blog"]
        [operation] = migration.operations
        assert (operation.field.default, operation.preserve_default) == (0, False), f"{attempt} detection"
        default = after.models["blog", "post"].fields["views"].default
        assert default is models.NOT_PROVIDED, (
            f"after the {attempt} detection the models' state has default={default!r}: "
            "set the answer on field.clone(), never on the field of self.to_state"
        )


@pytest.mark.exercise("08.4")
def test_an_auto_now_add_field_asks_its_own_question():
    after = with_field(POST, "created", models.DateTimeField(auto_now_add=True))
    questioner = Recorder(ask_auto_now_add_addition="2024-01-01")
    [[operation]] = detect_operations([POST], [after], questioner)["blog"]
    assert questioner.asked == [("ask_auto_now_add_addition", "created", "post")]
    assert (operation.field.default, operation.preserve_default) == ("2024-01-01", False)


@pytest.mark.exercise("08.4")
def test_a_unique_field_with_a_callable_default_is_warned_about():
    import uuid

    after = with_field(POST, "key", models.UUIDField(default=uuid.uuid4, unique=True))
    questioner = Recorder()
    [[operation]] = detect_operations([POST], [after], questioner)["blog"]
    assert questioner.asked == [("ask_unique_callable_default_addition", "key", "post")]
    assert operation.preserve_default is True


@pytest.mark.exercise("08.4")
def test_a_new_foreign_key_depends_on_its_target():
    detector = MigrationAutodetector(
        state(POST, AUTHOR),
        state(with_field(POST, "author", models.ForeignKey("blog.Author", models.CASCADE, null=True)), AUTHOR),
        Recorder(),
    )
    [migration] = detector._detect_changes(graph=graph())["blog"]
    [operation] = migration.operations
    assert operation._auto_deps == [
        OperationDependency("blog", "post", "author", OperationDependency.Type.REMOVE),
        OperationDependency("blog", "author", None, OperationDependency.Type.CREATE),
    ], "what the AddField waits for: a field of that name removed first, and its target created"


@pytest.mark.exercise("08.4")
def test_a_foreign_key_to_another_app_depends_on_its_latest_migration():
    user = model("auth", "User")
    after = with_field(POST, "owner", models.ForeignKey("auth.User", models.CASCADE, null=True))
    detector = MigrationAutodetector(state(user, POST), state(user, after), Recorder())
    [migration] = detector._detect_changes(graph=graph(("blog", "0001_initial"), ("auth", "0003_x")))["blog"]
    assert migration.dependencies == [("auth", "0003_x")]
    assert [operation.name for operation in migration.operations] == ["owner"]


@pytest.mark.exercise("08.4")
def test_without_anyone_to_ask_a_not_null_field_stops_with_djangos_message():
    logged = []
    questioner = NonInteractiveMigrationQuestioner(log=logged.append)
    with pytest.raises(SystemExit) as stop:
        detect_operations([POST], [with_field(POST, "body", models.TextField())], questioner)
    assert stop.value.code == 3
    assert logged == [
        "Field 'body' on model 'post' not migrated: it is impossible to add a non-nullable field without "
        "specifying a default."
    ]


# -- models ----------------------------------------------------------------------------------


def test_the_initial_migration_creates_models_with_their_foreign_keys_inline():
    changes = detect([], [AUTHOR, POST_BY])
    assert summary(changes) == [("blog", "0001_initial", [], ["Create model Author", "Create model Post"])]
    [migration] = changes["blog"]
    assert migration.initial is True
    post = migration.operations[1]
    assert [name for name, _ in post.fields] == ["id", "title", "author"], "relations come after the columns"


def test_an_app_that_does_not_want_migrations_gets_none():
    changes = detect([], [AUTHOR], questioner=MigrationQuestioner())
    assert changes == {}


def test_two_new_apps_depend_in_the_order_of_their_relations():
    user = model("auth", "User")
    post = model("blog", "Post", ("title", models.CharField(max_length=200)),
                 ("owner", models.ForeignKey("auth.User", models.CASCADE, null=True)))
    assert summary(detect([], [user, post])) == [
        ("auth", "0001_initial", [], ["Create model User"]),
        ("blog", "0001_initial", [("auth", "0001_initial")], ["Create model Post"]),
    ]


def test_two_apps_pointing_at_each_other_split_one_migration():
    a = model("alpha", "A", ("b", models.ForeignKey("beta.B", models.CASCADE)))
    b = model("beta", "B", ("a", models.ForeignKey("alpha.A", models.CASCADE)))
    assert summary(detect([], [a, b])) == [
        ("alpha", "0001_initial", [], ["Create model A"]),
        ("alpha", "0002_initial", [("alpha", "0001_initial"), ("beta", "0001_initial")], ["Add field b to a"]),
        ("beta", "0001_initial", [("alpha", "0001_initial")], ["Create model B"]),
    ]


def test_deleting_models_removes_their_relations_first():
    assert summary(detect([AUTHOR, POST_BY], [], leaves=[("blog", "0001_initial")])) == [
        ("blog", "0002_remove_post_author_delete_author_delete_post", [("blog", "0001_initial")],
         ["Remove field author from post", "Delete model Author", "Delete model Post"]),
    ]


def test_deleting_a_model_a_kept_model_points_at():
    assert summary(detect([AUTHOR, POST_BY], [POST], leaves=[("blog", "0001_initial")])) == [
        ("blog", "0002_remove_post_author_delete_author", [("blog", "0001_initial")],
         ["Remove field author from post", "Delete model Author"]),
    ]


def test_a_renamed_model_is_asked_about():
    article = model("blog", "Article", ("title", models.CharField(max_length=200)))
    questioner = Recorder(ask_rename_model=True)
    assert summary(detect([POST], [article], questioner, leaves=[("blog", "0001_initial")])) == [
        ("blog", "0002_rename_post_article", [("blog", "0001_initial")], ["Rename model Post to Article"]),
    ]
    assert questioner.asked == [("ask_rename_model", "Post", "Article")]
    no = detect([POST], [article], Recorder(ask_rename_model=False), leaves=[("blog", "0001_initial")])
    assert summary(no)[0][3] == ["Create model Article", "Delete model Post"]


# -- fields ----------------------------------------------------------------------------------


def test_an_added_field_is_numbered_and_named_after_the_leaf():
    after = with_field(POST_BY, "slug", models.SlugField(default=""))
    assert summary(detect([AUTHOR, POST_BY], [AUTHOR, after], leaves=[("blog", "0001_initial")])) == [
        ("blog", "0002_post_slug", [("blog", "0001_initial")], ["Add field slug to post"]),
    ]


def test_a_renamed_field_is_a_rename_only_when_confirmed():
    headline = model("blog", "Post", ("headline", models.CharField(max_length=200)))
    questioner = Recorder(ask_rename=True)
    assert summary(detect([POST], [headline], questioner, leaves=[("blog", "0001_initial")])) == [
        ("blog", "0002_rename_title_post_headline", [("blog", "0001_initial")],
         ["Rename field title on post to headline"]),
    ]
    assert questioner.asked == [("ask_rename", "post", "title", "headline")]
    changes = detect([POST], [headline], MigrationQuestioner(defaults={"ask_initial": True}),
                     leaves=[("blog", "0001_initial")])
    assert summary(changes) == [
        ("blog", "0002_remove_post_title_post_headline", [("blog", "0001_initial")],
         ["Remove field title from post", "Add field headline to post"]),
    ]


def test_a_field_renamed_with_a_different_definition_is_not_asked_about():
    headline = model("blog", "Post", ("headline", models.CharField(max_length=100)))
    questioner = Recorder(ask_rename=True, ask_not_null_addition="")
    detect([POST], [headline], questioner, leaves=[("blog", "0001_initial")])
    assert [question[0] for question in questioner.asked] == ["ask_not_null_addition"]


def test_a_renamed_field_that_keeps_its_column_alters_then_renames():
    kept_column = model("blog", "Post", ("headline", models.CharField(max_length=200, db_column="title")))
    changes = detect([POST], [kept_column], Recorder(ask_rename=True), leaves=[("blog", "0001_initial")])
    assert summary(changes)[0][3] == ["Alter field title on post", "Rename field title on post to headline"]


def test_an_altered_field():
    longer = model("blog", "Post", ("title", models.CharField(max_length=300)))
    changes = detect([POST], [longer], leaves=[("blog", "0001_initial")])
    assert summary(changes) == [
        ("blog", "0002_alter_post_title", [("blog", "0001_initial")], ["Alter field title on post"]),
    ]
    assert changes["blog"][0].operations[0].field.max_length == 300


def test_a_field_made_not_null_asks_for_a_default():
    before = model("blog", "Post", ("title", models.CharField(max_length=200, null=True)))
    questioner = Recorder(ask_not_null_alteration="untitled")
    [migration] = detect([before], [POST], questioner, leaves=[("blog", "0001_initial")])["blog"]
    [operation] = migration.operations
    assert (operation.field.default, operation.preserve_default) == ("untitled", False)
    questioner = Recorder(ask_not_null_alteration=models.NOT_PROVIDED)
    [migration] = detect([before], [POST], questioner, leaves=[("blog", "0001_initial")])["blog"]
    assert migration.operations[0].preserve_default is True


def test_a_relation_to_a_renamed_model_is_not_an_altered_field():
    writer = model("blog", "Writer", ("name", models.CharField(max_length=100)))
    post_by_writer = model("blog", "Post", ("author", models.ForeignKey("blog.Writer", models.CASCADE)),
                           ("title", models.CharField(max_length=200)))
    changes = detect([AUTHOR, POST_BY], [writer, post_by_writer], Recorder(ask_rename_model=True),
                     leaves=[("blog", "0001_initial")])
    assert summary(changes)[0][3] == ["Rename model Author to Writer"]


def test_a_column_turned_many_to_many_is_removed_and_added():
    tags = model("blog", "Post", ("title", models.ManyToManyField("blog.Author")))
    changes = detect([POST, AUTHOR], [tags, AUTHOR], leaves=[("blog", "0001_initial")])
    assert summary(changes)[0][3] == ["Remove field title from post", "Add field title to post"]


def test_no_change_no_migration():
    assert detect([AUTHOR, POST_BY], [AUTHOR, POST_BY], leaves=[("blog", "0001_initial")]) == {}


# -- options, indexes, constraints -------------------------------------------------------------


def test_meta_changes_come_in_djangos_order():
    after = model(
        "blog", "Post", ("body", models.TextField(default="")), ("title", models.CharField(max_length=300)),
        ordering=["title"], db_table="posts", unique_together={("title", "body")},
        indexes=[models.Index(fields=["title"], name="title_idx")],
    )
    changes = detect([POST], [after], leaves=[("blog", "0001_initial")])
    assert summary(changes) == [
        ("blog", "0002_alter_post_options_post_body_alter_post_title_and_more", [("blog", "0001_initial")], [
            "Change Meta options on post",
            "Add field body to post",
            "Alter field title on post",
            "Alter unique_together for post (1 constraint(s))",
            "Create index title_idx on field(s) title of model post",
            "Rename table for post to posts",
        ]),
    ]


def test_removed_indexes_and_constraints_go_before_removed_fields():
    before = model(
        "blog", "Post", ("title", models.CharField(max_length=200)), ("body", models.TextField()),
        indexes=[models.Index(fields=["body"], name="body_idx")],
        constraints=[models.UniqueConstraint(fields=["body"], name="unique_body")],
    )
    changes = detect([before], [POST], leaves=[("blog", "0001_initial")])
    assert summary(changes)[0][3] == [
        "Remove constraint unique_body from model post",
        "Remove index body_idx from post",
        "Remove field body from post",
    ]


def test_added_constraint_and_created_model_with_indexes():
    after = model("blog", "Post", ("title", models.CharField(max_length=200)),
                  constraints=[models.UniqueConstraint(fields=["title"], name="unique_title")])
    assert summary(detect([POST], [after], leaves=[("blog", "0001_initial")]))[0][3] == [
        "Create constraint unique_title on model post",
    ]
    indexed = model("blog", "Post", ("title", models.CharField(max_length=200)),
                    indexes=[models.Index(fields=["title"], name="title_idx")])
    [migration] = detect([], [indexed])["blog"]
    [create] = migration.operations
    assert create.describe() == "Create model Post", "the optimizer folds the AddIndex into the CreateModel"
    assert [index.name for index in create.options["indexes"]] == ["title_idx"]


def test_a_removed_unique_together_and_a_deleted_model_with_one():
    before = model("blog", "Post", ("title", models.CharField(max_length=200)), unique_together={("id", "title")})
    assert summary(detect([before], [POST], leaves=[("blog", "0001_initial")]))[0][3] == [
        "Alter unique_together for post (0 constraint(s))",
    ]
    assert summary(detect([before], [], leaves=[("blog", "0001_initial")]))[0][3] == ["Delete model Post"]


# -- names, trimming, helpers ------------------------------------------------------------------


def test_a_given_name_replaces_the_suggested_one():
    after = with_field(POST, "slug", models.SlugField(default=""))
    changes = detect([POST], [after], leaves=[("blog", "0007_last")], name="add_slug")
    assert summary(changes) == [("blog", "0008_add_slug", [("blog", "0007_last")], ["Add field slug to post"])]


def test_trim_to_apps_keeps_the_apps_asked_for_and_what_they_need():
    user = model("auth", "User")
    post = model("blog", "Post", ("owner", models.ForeignKey("auth.User", models.CASCADE)))
    other = model("shop", "Item")
    changes = detect([], [user, post, other], trim_to_apps={"blog"})
    assert sorted(changes) == ["auth", "blog"]


def test_unmanaged_and_proxy_models_get_no_table_operations():
    unmanaged = model("blog", "Legacy", ("code", models.CharField(max_length=5)), managed=False)
    proxy = ModelState("blog", "PostProxy", [], options={"proxy": True}, bases=("blog.post",))
    changes = detect([POST], [POST, unmanaged, proxy], leaves=[("blog", "0001_initial")])
    assert summary(changes)[0][3] == ["Create model Legacy", "Create proxy model PostProxy"]
    changes = detect([POST, unmanaged, proxy], [POST], leaves=[("blog", "0002_more")])
    assert summary(changes)[0][3] == ["Delete model Legacy", "Delete model PostProxy"]


def test_resolve_relation_and_parse_number():
    assert resolve_relation("self", "blog", "Post") == ("blog", "post")
    assert MigrationAutodetector.parse_number("0002_post_slug") == 2
    assert MigrationAutodetector.parse_number("0001_squashed_0004_x") == 4
    assert MigrationAutodetector.parse_number("custom") is None


def test_deep_deconstruct_reaches_inside_containers():
    import functools
    import re

    detector = MigrationAutodetector(ProjectState(), ProjectState())
    pattern = re.compile("a+")
    value = [1, (2, {"key": functools.partial(int, "3", base=8)}), pattern, int, models.CharField(max_length=5)]
    assert detector.deep_deconstruct(value) == [
        1, (2, {"key": (int, ("3",), {"base": 8})}), ("re.Pattern", "a+", pattern.flags), int,
        ("tinyframe.db.models.CharField", [], {"max_length": 5}),
    ]
    assert detector.deep_deconstruct(models.CharField(max_length=5)) == detector.deep_deconstruct(
        models.CharField(max_length=5)
    ), "two separately made fields with the same arguments are the same field"
