"""Deconstruction: each field, index, constraint and Q as the call that makes it again.

The expected answers are Django 5.2's for the same declarations (its
``Field.deconstruct()`` with ``django`` in the paths), so a migration file
written by tinyframe says what Django's would.
"""

import pytest

from tinyframe.db import models
from tinyframe.db.models import CASCADE, PROTECT, SET_NULL

APP = "deconstruct"


class DeconAuthor(models.Model):
    name = models.CharField(max_length=20, unique=True)

    class Meta:
        app_label = APP


class DeconTag(models.Model):
    class Meta:
        app_label = APP


class DeconMembership(models.Model):
    post = models.ForeignKey("DeconPost", CASCADE)
    tag = models.ForeignKey(DeconTag, CASCADE)

    class Meta:
        app_label = APP


class DeconPost(models.Model):
    author = models.ForeignKey(DeconAuthor, CASCADE, related_name="posts")
    editor = models.ForeignKey(f"{APP}.DeconAuthor", SET_NULL, null=True, related_name="%(class)s_edited", db_index=False)
    one = models.OneToOneField(DeconAuthor, PROTECT, related_name="+", to_field="name")
    tags = models.ManyToManyField(DeconTag)
    liked = models.ManyToManyField("self", related_name="+", db_table="decon_likes")
    followed = models.ManyToManyField("self", symmetrical=False)
    labels = models.ManyToManyField(DeconTag, through=DeconMembership, related_name="labelled")
    loose = models.ForeignKey("DeconAuthor", CASCADE, db_constraint=False, related_query_name="loosely", related_name="+")

    class Meta:
        app_label = APP


def named(field, name):
    field.set_attributes_from_name(name)
    return field


FIELDS = [
    (models.AutoField(verbose_name="ID", primary_key=True, serialize=False, auto_created=True), "id",
     ("id", "tinyframe.db.models.AutoField", [], {"verbose_name": "ID", "primary_key": True, "serialize": False,
                                                  "auto_created": True})),
    (models.BigAutoField(primary_key=True), "id", ("id", "tinyframe.db.models.BigAutoField", [], {"primary_key": True})),
    (models.CharField("Title", max_length=200, choices=[("a", "A")], help_text="h", default="x"), "title",
     ("title", "tinyframe.db.models.CharField", [],
      {"verbose_name": "Title", "max_length": 200, "default": "x", "choices": [("a", "A")], "help_text": "h"})),
    (models.CharField(max_length=20, verbose_name="name"), "name",
     ("name", "tinyframe.db.models.CharField", [], {"verbose_name": "name", "max_length": 20})),
    (models.SlugField(), "slug", ("slug", "tinyframe.db.models.SlugField", [], {})),
    (models.SlugField(max_length=60, db_index=False, unique=True), "slug",
     ("slug", "tinyframe.db.models.SlugField", [], {"max_length": 60, "unique": True, "db_index": False})),
    (models.SlugField(allow_unicode=True), "slug", ("slug", "tinyframe.db.models.SlugField", [], {"allow_unicode": True})),
    (models.EmailField(), "email", ("email", "tinyframe.db.models.EmailField", [], {"max_length": 254})),
    (models.URLField(), "url", ("url", "tinyframe.db.models.URLField", [], {})),
    (models.URLField(max_length=300), "url", ("url", "tinyframe.db.models.URLField", [], {"max_length": 300})),
    (models.GenericIPAddressField(null=True), "ip", ("ip", "tinyframe.db.models.GenericIPAddressField", [], {"null": True})),
    (models.GenericIPAddressField(protocol="IPv4", unpack_ipv4=False), "ip",
     ("ip", "tinyframe.db.models.GenericIPAddressField", [], {"protocol": "IPv4"})),
    (models.PositiveIntegerField(default=0, error_messages={"null": "x"}), "n",
     ("n", "tinyframe.db.models.PositiveIntegerField", [], {"default": 0, "error_messages": {"null": "x"}})),
    (models.IntegerField(null=True, blank=True, db_column="num", editable=False), "n",
     ("n", "tinyframe.db.models.IntegerField", [], {"blank": True, "null": True, "editable": False, "db_column": "num"})),
    (models.DecimalField(max_digits=5, decimal_places=2), "d",
     ("d", "tinyframe.db.models.DecimalField", [], {"max_digits": 5, "decimal_places": 2})),
    (models.DateTimeField(auto_now_add=True), "created", ("created", "tinyframe.db.models.DateTimeField", [], {"auto_now_add": True})),
    (models.DateField(auto_now=True), "day", ("day", "tinyframe.db.models.DateField", [], {"auto_now": True})),
    (models.TimeField(null=True), "at", ("at", "tinyframe.db.models.TimeField", [], {"null": True})),
    (models.UUIDField(unique=True), "u", ("u", "tinyframe.db.models.UUIDField", [], {"unique": True})),
    (models.JSONField(null=True), "j", ("j", "tinyframe.db.models.JSONField", [], {"null": True})),
    (models.BooleanField(default=False), "b", ("b", "tinyframe.db.models.BooleanField", [], {"default": False})),
    (models.TextField(default=None, null=True), "t", ("t", "tinyframe.db.models.TextField", [], {"null": True, "default": None})),
]  # fmt: skip


def test_fields_deconstruct_to_the_arguments_that_differ_from_their_defaults(check_rows):
    def check(field, name, expected):
        got = named(field, name).deconstruct()
        assert got == expected, f"{type(field).__name__}.deconstruct() gave {got}, expected {expected}"

    check_rows(FIELDS, check)


RELATIONS = [
    ("author", {"related_name": "posts", "on_delete": CASCADE, "to": "deconstruct.deconauthor"}, "ForeignKey"),
    ("editor", {"null": True, "related_name": "%(class)s_edited", "on_delete": SET_NULL, "to": "deconstruct.deconauthor",
                "db_index": False}, "ForeignKey"),
    ("one", {"related_name": "+", "on_delete": PROTECT, "to": "deconstruct.deconauthor", "to_field": "name"}, "OneToOneField"),
    ("tags", {"to": "deconstruct.decontag"}, "ManyToManyField"),
    ("liked", {"related_name": "+", "db_table": "decon_likes", "to": "deconstruct.deconpost"}, "ManyToManyField"),
    ("followed", {"to": "deconstruct.deconpost"}, "ManyToManyField"),
    ("labels", {"related_name": "labelled", "to": "deconstruct.decontag", "through": "deconstruct.DeconMembership"},
     "ManyToManyField"),
    ("loose", {"related_name": "+", "related_query_name": "loosely", "on_delete": CASCADE, "to": "deconstruct.deconauthor",
               "db_constraint": False}, "ForeignKey"),
]  # fmt: skip


def test_relations_name_their_target_by_label_and_keep_the_related_name_as_written(check_rows):
    def check(name, kwargs, class_name):
        got = DeconPost._meta.get_field(name).deconstruct()
        assert got == (name, f"tinyframe.db.models.{class_name}", [], kwargs), f"{name}: {got}"

    check_rows(RELATIONS, check)


def test_the_keys_of_an_automatic_through_model_deconstruct_as_djangos():
    through = DeconPost._meta.get_field("tags").remote_field.through
    assert through._meta.get_field("deconpost").deconstruct() == (
        "deconpost", "tinyframe.db.models.ForeignKey", [],
        {"related_name": "DeconPost_tags+", "on_delete": CASCADE, "to": "deconstruct.deconpost"},
    )  # fmt: skip


def test_a_relation_to_a_model_not_yet_resolved_is_written_lower_case():
    field = named(models.ForeignKey("Later", CASCADE), "later")
    assert field.deconstruct()[3]["to"] == "later"
    field = named(models.ForeignKey("shop.Later", CASCADE), "later")
    assert field.deconstruct()[3]["to"] == "shop.later"


def test_a_field_class_of_a_project_keeps_its_own_path():
    class PercentField(models.IntegerField):
        pass

    name, path, args, kwargs = named(PercentField(default=5), "score").deconstruct()
    assert path == f"{__name__}.test_a_field_class_of_a_project_keeps_its_own_path.<locals>.PercentField"
    assert kwargs == {"default": 5}


def test_clone_makes_an_equal_field_without_a_model():
    original = DeconPost._meta.get_field("editor")
    clone = original.clone()
    assert type(clone) is type(original) and not hasattr(clone, "model")
    clone.set_attributes_from_name("editor")
    assert clone.deconstruct() == original.deconstruct()
    title = models.CharField(max_length=10, default="x").clone()
    assert (title.max_length, title.default) == (10, "x")


def test_a_callable_default_is_kept_as_the_callable():
    def make_default():
        return "x"

    assert named(models.CharField(max_length=5, default=make_default), "c").deconstruct()[3]["default"] is make_default


def test_indexes_constraints_and_q_deconstruct_without_a_name():
    index = models.Index(fields=["-title"], name="ix")
    assert index.deconstruct() == ("tinyframe.db.models.Index", (), {"name": "ix", "fields": ["-title"]})
    partial = models.Index(fields=["title"], name="ix2", condition=models.Q(n__gt=1))
    assert partial.deconstruct()[2]["condition"] == models.Q(n__gt=1)
    unique = models.UniqueConstraint(fields=["title"], name="u", condition=models.Q(n__gt=1))
    assert unique.deconstruct() == (
        "tinyframe.db.models.UniqueConstraint", (), {"name": "u", "fields": ("title",), "condition": models.Q(n__gt=1)}
    )
    check = models.CheckConstraint(condition=models.Q(n__gt=1), name="c", violation_error_message="Too small.")
    assert check.deconstruct() == (
        "tinyframe.db.models.CheckConstraint", (), {"name": "c", "condition": models.Q(n__gt=1),
                                                    "violation_error_message": "Too small."},
    )  # fmt: skip
    coded = models.UniqueConstraint(fields=["a", "b"], name="ab", violation_error_code="dup")
    assert coded.deconstruct()[2] == {"name": "ab", "fields": ("a", "b"), "violation_error_code": "dup"}
    assert models.Q(n__gt=1).deconstruct() == ("tinyframe.db.models.Q", (("n__gt", 1),), {})
    assert (models.Q(a=1) | ~models.Q(b=2)).deconstruct() == (
        "tinyframe.db.models.Q", (("a", 1), ~models.Q(b=2)), {"_connector": "OR"}
    )
    assert (~models.Q(b=2)).deconstruct() == ("tinyframe.db.models.Q", (("b", 2),), {"_negated": True})


def test_index_and_constraint_clones_are_equal_and_separate():
    index = models.Index(fields=["title"], name="ix")
    clone = index.clone()
    assert clone == index and clone is not index
    constraint = models.CheckConstraint(condition=models.Q(n__gt=1), name="c")
    assert constraint.clone() == constraint and constraint.clone() is not constraint


@pytest.mark.parametrize("field_name", ["author", "tags", "one"])
def test_deconstruct_then_construct_gives_the_same_deconstruction(field_name):
    field = DeconPost._meta.get_field(field_name)
    name, path, args, kwargs = field.deconstruct()
    rebuilt = type(field)(*args, **kwargs)
    rebuilt.set_attributes_from_name(name)
    assert rebuilt.deconstruct() == field.deconstruct()


def test_validators_given_to_a_field_deconstruct_to_their_arguments():
    from tinyframe.core import validators

    field = named(models.IntegerField(validators=[validators.MinValueValidator(0), validators.MaxValueValidator(9)]), "n")
    written = [validator.deconstruct() for validator in field.deconstruct()[3]["validators"]]
    assert written == [
        ("tinyframe.core.validators.MinValueValidator", (0,), {}),
        ("tinyframe.core.validators.MaxValueValidator", (9,), {}),
    ]
    regex = validators.RegexValidator(r"^[a-z]+$", message="Lower case only.")
    assert regex.deconstruct() == ("tinyframe.core.validators.RegexValidator", ("^[a-z]+$",), {"message": "Lower case only."})
    assert validators.MinValueValidator(0) == validators.MinValueValidator(0)


def test_deconstructible_needs_a_class_a_module_can_import():
    from tinyframe.utils.deconstruct import deconstructible

    @deconstructible
    class Local:
        def __init__(self, size):
            self.size = size

    with pytest.raises(ValueError) as caught:
        Local(3).deconstruct()
    assert str(caught.value) == (
        f"Could not find object Local in {__name__}.\nPlease note that you cannot serialize things like inner "
        "classes. Please move the object into the main module body to use migrations."
    )
    assert Local(3).size == 3
    from tinyframe.core.validators import validate_slug

    with pytest.raises(ValueError, match="made before its class became deconstructible"):
        validate_slug.deconstruct()


class DeconBadge(models.Model):
    holder = models.ForeignKey(DeconAuthor, CASCADE, limit_choices_to={"id__gt": 1}, related_name="badges")
    fans = models.ManyToManyField(DeconAuthor, db_constraint=False, related_name="fan_badges")
    chosen = models.ManyToManyField(DeconTag, through="DeconChoice", through_fields=("badge", "tag"), related_name="+")

    class Meta:
        app_label = APP


class DeconChoice(models.Model):
    badge = models.ForeignKey(DeconBadge, CASCADE)
    tag = models.ForeignKey(DeconTag, CASCADE)
    by = models.ForeignKey(DeconTag, CASCADE, related_name="+")

    class Meta:
        app_label = APP


def test_limit_choices_to_db_constraint_and_through_fields_are_written():
    assert DeconBadge._meta.get_field("holder").deconstruct()[3] == {
        "limit_choices_to": {"id__gt": 1}, "related_name": "badges", "on_delete": CASCADE,
        "to": "deconstruct.deconauthor",
    }  # fmt: skip
    assert DeconBadge._meta.get_field("fans").deconstruct()[3] == {
        "related_name": "fan_badges", "db_constraint": False, "to": "deconstruct.deconauthor",
    }  # fmt: skip
    assert DeconBadge._meta.get_field("chosen").deconstruct()[3] == {
        "related_name": "+", "to": "deconstruct.decontag", "through": "deconstruct.DeconChoice",
        "through_fields": ("badge", "tag"),
    }  # fmt: skip
