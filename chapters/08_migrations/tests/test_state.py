"""The project state: model states, their changes, and the historical models rendered from them.

No database here: a state is replayed from operations in memory. The
option dicts and rendered classes are compared with what Django 5.2's
``ModelState.from_model`` and ``StateApps`` give for the same models.
"""

import pytest

from tinyframe.apps import apps as global_apps
from tinyframe.db import migrations, models
from tinyframe.db.migrations.exceptions import InvalidBasesError
from tinyframe.db.migrations.state import ModelState, ProjectState, StateApps
from tinyframe.db.models import CASCADE

APP = "state_tests"


class StateAuthor(models.Model):
    name = models.CharField(max_length=20)

    class Meta:
        app_label = APP
        ordering = ["name"]
        unique_together = [("name",)]
        verbose_name = "writer"
        indexes = [models.Index(fields=["name"])]


class StateTag(models.Model):
    class Meta:
        app_label = APP


class StatePost(models.Model):
    title = models.CharField(max_length=50)
    author = models.ForeignKey(StateAuthor, CASCADE, related_name="posts")
    tags = models.ManyToManyField(StateTag)

    class Meta:
        app_label = APP
        constraints = [models.CheckConstraint(condition=models.Q(title__gt=""), name="title_not_empty")]


class Stamped:
    """A mixin that is not a model."""


class StampedNote(Stamped, models.Model):
    class Meta:
        app_label = APP


def blog_state() -> ProjectState:
    """Author and Post (with a key to Author) in the app "blog", as CreateModel would make them."""
    state = ProjectState()
    state.add_model(ModelState("blog", "Author", [
        ("id", models.AutoField(primary_key=True)),
        ("name", models.CharField(max_length=20)),
    ]))  # fmt: skip
    state.add_model(ModelState("blog", "Post", [
        ("id", models.AutoField(primary_key=True)),
        ("title", models.CharField(max_length=50)),
        ("author", models.ForeignKey("blog.author", CASCADE)),
    ]))  # fmt: skip
    return state


def field_names(model) -> list:
    return [field.name for field in (*model._meta.fields, *model._meta.many_to_many)]


# -- AddField.state_forwards (exercise 08.1) ---------------------------------------------


@pytest.mark.exercise("08.1")
def test_add_field_state_forwards_adds_the_field_at_the_end():
    state = blog_state()
    slug = models.SlugField(default="")
    migrations.AddField("Post", "slug", slug).state_forwards("blog", state)
    fields = state.models["blog", "post"].fields
    assert list(fields) == ["id", "title", "author", "slug"]
    assert fields["slug"] is slug, "with preserve_default (the default) the operation's own field goes in the state"


@pytest.mark.exercise("08.1")
def test_add_field_state_forwards_renders_the_new_field():
    state = blog_state()
    Post = state.apps.get_model("blog", "Post")
    assert field_names(Post) == ["id", "title", "author"]
    migrations.AddField("post", "views", models.IntegerField(default=0)).state_forwards("blog", state)
    Post = state.apps.get_model("blog", "Post")
    assert field_names(Post) == ["id", "title", "author", "views"], "state.apps must show the new field"
    assert Post._meta.get_field("views").default == 0


@pytest.mark.exercise("08.1")
def test_add_field_without_preserve_default_leaves_the_default_out_of_the_state():
    state = blog_state()
    field = models.CharField(max_length=10, default="draft")
    operation = migrations.AddField("post", "status", field, preserve_default=False)
    operation.state_forwards("blog", state)
    in_state = state.models["blog", "post"].fields["status"]
    assert field.default == "draft", "the operation's field is reused each time migrations load: leave it alone"
    assert in_state is not field, "with preserve_default=False the state gets a copy (self.field.clone())"
    assert not in_state.has_default() and in_state.max_length == 10


@pytest.mark.exercise("08.1")
def test_add_field_of_a_relation_renders_the_key_to_its_target():
    state = blog_state()
    migrations.AddField("author", "mentor", models.ForeignKey("blog.author", models.SET_NULL, null=True)).state_forwards(
        "blog", state
    )
    Author = state.apps.get_model("blog", "Author")
    assert Author._meta.get_field("mentor").related_model is Author


@pytest.mark.exercise("08.1")
def test_add_field_changes_only_the_state_it_is_given():
    state = blog_state()
    before = state.clone()
    migrations.AddField("post", "views", models.IntegerField(default=0)).state_forwards("blog", state)
    assert "views" not in before.models["blog", "post"].fields
    assert field_names(before.apps.get_model("blog", "post")) == ["id", "title", "author"]


@pytest.mark.exercise("08.1")
def test_add_field_to_a_model_the_state_lacks_is_a_lookup_error():
    state = blog_state()
    with pytest.raises(LookupError) as caught:
        migrations.AddField("comment", "slug", models.SlugField()).state_forwards("blog", state)
    assert str(caught.value) == "Cannot add field 'slug' to blog.comment: the project state has no model blog.comment."
    with pytest.raises(LookupError):
        migrations.AddField("post", "slug", models.SlugField()).state_forwards("shop", state)


@pytest.mark.exercise("08.1")
def test_add_field_twice_is_a_value_error():
    state = blog_state()
    with pytest.raises(ValueError) as caught:
        migrations.AddField("post", "title", models.TextField()).state_forwards("blog", state)
    assert str(caught.value) == "Cannot add field 'title' to blog.post: it already has a field named 'title'."
    assert isinstance(state.models["blog", "post"].fields["title"], models.CharField), "the old field stays"


# -- ModelState.from_model ----------------------------------------------------------------


def test_from_model_copies_the_fields_unbound_and_the_meta_options_given():
    author = ModelState.from_model(StateAuthor)
    assert (author.app_label, author.name, author.name_lower) == (APP, "StateAuthor", "stateauthor")
    assert list(author.fields) == ["id", "name"]
    assert not hasattr(author.fields["name"], "model")
    assert author.options == {
        "verbose_name": "writer", "ordering": ["name"], "unique_together": {("name",)},
        "indexes": [models.Index(fields=["name"], name=StateAuthor._meta.indexes[0].name)], "constraints": [],
    }  # fmt: skip
    assert author.bases == (models.Model,) and author.managers == []
    assert repr(author) == "<ModelState: 'state_tests.StateAuthor'>"


def test_from_model_writes_relations_as_strings():
    post = ModelState.from_model(StatePost)
    assert list(post.fields) == ["id", "title", "author", "tags"]
    assert post.fields["author"].remote_field.model == "state_tests.stateauthor"
    assert post.fields["tags"].remote_field.model == "state_tests.statetag"
    assert post.options == {"indexes": [], "constraints": [StatePost._meta.constraints[0]]}
    assert post.options["constraints"][0] is not StatePost._meta.constraints[0]
    assert list(ModelState.from_model(StatePost, exclude_rels=True).fields) == ["id", "title"]


def test_from_model_keeps_mixins_as_bases():
    assert ModelState.from_model(StampedNote).bases == (Stamped, models.Model)


def test_model_state_refuses_bound_fields_and_model_classes():
    with pytest.raises(ValueError) as caught:
        ModelState("blog", "Post", [("title", StatePost._meta.get_field("title"))])
    assert str(caught.value) == 'ModelState.fields cannot be bound to a model - "title" is.'
    with pytest.raises(ValueError) as caught:
        ModelState("blog", "Post", [("author", models.ForeignKey(StateAuthor, CASCADE))])
    assert str(caught.value) == (
        'ModelState.fields cannot refer to a model class - "author.to" does. Use a string reference instead.'
    )
    with pytest.raises(ValueError) as caught:
        ModelState("blog", "Post", [], {"indexes": [models.Index(fields=["title"])]})
    assert str(caught.value) == (
        "Indexes passed to ModelState require a name attribute. <Index: fields=['title']> doesn't have one."
    )


def test_from_apps_takes_every_model_of_a_registry_but_the_automatic_ones():
    state = ProjectState(real_apps={APP})
    again = ProjectState.from_apps(state.apps)
    assert sorted(again.models) == [(APP, "stampednote"), (APP, "stateauthor"), (APP, "statepost"), (APP, "statetag")]
    assert again.models[APP, "statepost"] == ModelState.from_model(StatePost)
    # A primary key comes back with serialize=False, which the model gave it (as Django's migrations write it).
    assert ProjectState.from_apps(blog_state().apps).models["blog", "author"].fields["id"].deconstruct()[3] == {
        "primary_key": True, "serialize": False,
    }  # fmt: skip


# -- rendering ---------------------------------------------------------------------------------


def test_rendered_models_are_real_classes_apart_from_the_projects_registry():
    state = ProjectState(real_apps={APP})
    Post = state.apps.get_model(APP, "StatePost")
    assert Post is not StatePost and Post._meta.apps is state.apps
    assert Post._meta.db_table == "state_tests_statepost"
    Author = state.apps.get_model(APP, "stateauthor")
    assert Post._meta.get_field("author").related_model is Author
    assert Author._meta.ordering == ["name"] and Author._meta.unique_together == (("name",),)
    assert global_apps.get_registered_model(APP, "StatePost") is StatePost, "the project's registry is untouched"


def test_rendering_makes_the_automatic_through_models():
    state = ProjectState(real_apps={APP})
    through = state.apps.get_model(APP, "StatePost_tags")
    assert through._meta.db_table == "state_tests_statepost_tags"
    assert field_names(through) == ["id", "statepost", "statetag"]
    assert through in state.apps.get_models(include_auto_created=True)
    assert through not in state.apps.get_models()


def test_a_relation_to_a_model_the_state_lacks_is_a_value_error():
    state = blog_state()
    state.remove_model("blog", "author")
    with pytest.raises(ValueError) as caught:
        state.apps
    assert str(caught.value) == (
        "The field blog.Post.author was declared with a lazy reference to 'blog.author', but app 'blog' doesn't "
        "provide model 'author'."
    )
    state.add_model(ModelState("blog", "Tagged", [
        ("id", models.AutoField(primary_key=True)), ("tag", models.ForeignKey("shop.tag", CASCADE)),
    ]))  # fmt: skip
    with pytest.raises(ValueError, match="but app 'shop' isn't installed"):
        state.apps


def test_the_rendering_is_cached_until_the_state_changes():
    state = blog_state()
    first = state.apps
    assert state.apps is first
    clone = state.clone()
    assert clone.apps is first, "a clone shares the rendering until it changes"
    clone.remove_field("blog", "post", "title")
    assert clone.apps is not first and state.apps is first


def test_bases_naming_a_missing_model_are_an_invalid_bases_error():
    with pytest.raises(InvalidBasesError, match=r"^Cannot resolve one or more bases from \('blog.parent',\)$"):
        ModelState("blog", "Child", [("id", models.AutoField(primary_key=True))], bases=("blog.parent",)).render(
            StateApps([], {})
        )


def test_real_apps_are_rendered_from_the_projects_models():
    state = ProjectState(real_apps={APP})
    Post = state.apps.get_model(APP, "StatePost")
    assert Post is not StatePost and field_names(Post) == ["id", "title", "author", "tags"]


def test_historical_models_query_like_any_model(tables):
    state = blog_state()
    Author, Post = state.apps.get_model("blog", "Author"), state.apps.get_model("blog", "Post")
    tables(Author, Post)
    ann = Author.objects.create(name="Ann")
    Post.objects.create(title="Hello", author=ann)
    assert list(Post.objects.filter(author__name="Ann").values_list("title", flat=True)) == ["Hello"]


# -- changes --------------------------------------------------------------------------------------


def test_remove_alter_and_rename_fields():
    state = blog_state()
    state.alter_field("blog", "post", "title", models.CharField(max_length=99))
    assert list(state.models["blog", "post"].fields) == ["id", "title", "author"]
    assert state.apps.get_model("blog", "post")._meta.get_field("title").max_length == 99
    state.rename_field("blog", "post", "title", "headline")
    assert list(state.models["blog", "post"].fields) == ["id", "author", "headline"], "renamed fields go last, as Django's"
    state.remove_field("blog", "post", "headline")
    assert field_names(state.apps.get_model("blog", "post")) == ["id", "author"]
    with pytest.raises(models.FieldDoesNotExist, match="blog.post has no field named 'nothing'"):
        state.rename_field("blog", "post", "nothing", "x")
    with pytest.raises(models.FieldDoesNotExist):
        state.alter_field("blog", "post", "nothing", models.IntegerField())


def test_alter_field_without_preserve_default_drops_the_default():
    state = blog_state()
    state.alter_field("blog", "post", "title", models.CharField(max_length=5, default="x"), preserve_default=False)
    assert not state.models["blog", "post"].fields["title"].has_default()
    state.add_field("blog", "post", "n", models.IntegerField(default=3), preserve_default=False)
    assert not state.models["blog", "post"].fields["n"].has_default()


def test_rename_field_follows_in_unique_together_indexes_constraints_and_to_field():
    state = ProjectState()
    state.add_model(ModelState("blog", "Author", [
        ("id", models.AutoField(primary_key=True)), ("code", models.CharField(max_length=5, unique=True)),
        ("name", models.CharField(max_length=5)),
    ], {
        "unique_together": {("code", "name")},
        "indexes": [models.Index(fields=["-code"], name="code_idx")],
        "constraints": [models.UniqueConstraint(fields=["code", "name"], name="code_name")],
    }))  # fmt: skip
    state.add_model(ModelState("blog", "Book", [
        ("id", models.AutoField(primary_key=True)),
        ("author", models.ForeignKey("blog.author", CASCADE, to_field="code")),
    ]))  # fmt: skip
    index = state.models["blog", "author"].options["indexes"][0]
    state.rename_field("blog", "author", "code", "isni")
    options = state.models["blog", "author"].options
    assert options["unique_together"] == {("isni", "name")}
    assert options["indexes"][0].fields == ["-isni"]
    assert options["constraints"][0].fields == ("isni", "name")
    assert state.models["blog", "book"].fields["author"].remote_field.field_name == "isni"
    assert index.fields == ["-code"], "the index given to the state (an operation's) is not changed"
    Book = state.apps.get_model("blog", "book")
    assert Book._meta.get_field("author").target_field.name == "isni"


def test_rename_model_points_relations_at_the_new_name():
    state = blog_state()
    state.rename_model("blog", "Author", "Writer")
    assert ("blog", "author") not in state.models and state.models["blog", "writer"].name == "Writer"
    assert state.models["blog", "post"].fields["author"].remote_field.model == "blog.writer"
    Post = state.apps.get_model("blog", "post")
    assert Post._meta.get_field("author").related_model is state.apps.get_model("blog", "Writer")


def test_options_indexes_and_constraints():
    state = blog_state()
    state.alter_model_options("blog", "post", {"ordering": ["-id"], "verbose_name": "entry"})
    state.alter_model_options("blog", "post", {"ordering": ["title"]}, option_keys=["ordering", "verbose_name"])
    assert state.models["blog", "post"].options["ordering"] == ["title"]
    assert "verbose_name" not in state.models["blog", "post"].options
    index = models.Index(fields=["title"], name="title_idx")
    state.add_index("blog", "post", index)
    assert state.models["blog", "post"].get_index_by_name("title_idx") is index
    assert state.apps.get_model("blog", "post")._meta.indexes == [index]
    state.remove_index("blog", "post", "title_idx")
    with pytest.raises(ValueError, match="No index named title_idx on model Post"):
        state.models["blog", "post"].get_index_by_name("title_idx")
    check = models.CheckConstraint(condition=models.Q(title__gt=""), name="has_title")
    state.add_constraint("blog", "post", check)
    assert state.models["blog", "post"].get_constraint_by_name("has_title") is check
    state.remove_constraint("blog", "post", "has_title")
    with pytest.raises(ValueError, match="No constraint named has_title on model Post"):
        state.models["blog", "post"].get_constraint_by_name("has_title")


def test_clones_are_independent_and_equal():
    state = blog_state()
    clone = state.clone()
    assert clone == state and clone is not state
    clone.models["blog", "post"].options["ordering"] = ["id"]
    assert "ordering" not in state.models["blog", "post"].options
    assert clone != state
    assert ModelState.from_model(StateAuthor) == ModelState.from_model(StateAuthor)
    assert repr(blog_state()) == "<ProjectState: blog.author, blog.post>"


def test_replaying_operations_rebuilds_the_models():
    operations = [
        migrations.CreateModel("Author", [("id", models.AutoField(primary_key=True)),
                                          ("name", models.CharField(max_length=20))]),
        migrations.CreateModel("Post", [("id", models.AutoField(primary_key=True)),
                                        ("author", models.ForeignKey("blog.author", CASCADE))],
                               options={"ordering": ["id"]}),
        migrations.AddField("post", "title", models.CharField(max_length=10, default="")),
        migrations.RenameField("post", "title", "headline"),
        migrations.AlterField("post", "headline", models.CharField(max_length=30, default="")),
        migrations.RenameModel("Author", "Writer"),
        migrations.AlterModelTable("Writer", "writers"),
        migrations.AlterModelOptions("post", {"verbose_name": "entry"}),
        migrations.AlterUniqueTogether("post", [("author", "headline")]),
        migrations.AddIndex("post", models.Index(fields=["headline"], name="headline_idx")),
        migrations.AddConstraint("post", models.CheckConstraint(condition=models.Q(headline__gt=""), name="named")),
        migrations.RemoveField("writer", "name"),
    ]  # fmt: skip
    state = ProjectState()
    for operation in operations:
        operation.state_forwards("blog", state)
    Post, Writer = state.apps.get_model("blog", "post"), state.apps.get_model("blog", "writer")
    assert field_names(Post) == ["id", "author", "headline"] and field_names(Writer) == ["id"]
    assert Post._meta.get_field("headline").max_length == 30
    assert Post._meta.get_field("author").related_model is Writer and Writer._meta.db_table == "writers"
    assert Post._meta.verbose_name == "entry" and Post._meta.ordering == []
    assert Post._meta.unique_together == (("author", "headline"),)
    assert [index.name for index in Post._meta.indexes] == ["headline_idx"]
    assert [constraint.name for constraint in Post._meta.constraints] == ["named"]
    for operation in [
        migrations.RemoveIndex("post", "headline_idx"), migrations.RemoveConstraint("post", "named"),
        migrations.AlterUniqueTogether("post", None), migrations.AlterModelTable("Writer", None),
        migrations.DeleteModel("Post"),
    ]:  # fmt: skip
        operation.state_forwards("blog", state)
    assert list(state.models) == [("blog", "writer")]
    assert state.apps.get_model("blog", "writer")._meta.db_table == "blog_writer"


def test_rename_model_follows_in_through_references():
    state = ProjectState()
    state.add_model(ModelState("club", "Person", [("id", models.AutoField(primary_key=True))]))
    state.add_model(ModelState("club", "Group", [
        ("id", models.AutoField(primary_key=True)),
        ("members", models.ManyToManyField("club.person", through="club.Membership")),
    ]))  # fmt: skip
    state.add_model(ModelState("club", "Membership", [
        ("id", models.AutoField(primary_key=True)),
        ("person", models.ForeignKey("club.person", CASCADE)),
        ("group", models.ForeignKey("club.group", CASCADE)),
    ]))  # fmt: skip
    state.rename_model("club", "Membership", "Enrolment")
    assert state.models["club", "group"].fields["members"].remote_field.through == "club.Enrolment"
    Group = state.apps.get_model("club", "Group")
    assert Group._meta.get_field("members").remote_field.through is state.apps.get_model("club", "Enrolment")
    state.rename_model("club", "Person", "Member")
    Enrolment = state.apps.get_model("club", "Enrolment")
    assert Enrolment._meta.get_field("person").related_model is state.apps.get_model("club", "Member")
