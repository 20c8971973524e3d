"""The admin's small helpers: a list_display column's value (lookup_field, exercise 11.1), its label and display.

What each column shows is what Django 5.2's admin shows for the same models
and rows (a field's value with the field, a callable's answer, a ModelAdmin
method, a model method, ``__str__``).
"""

import datetime

import pytest

from tinyframe.db import models


class UtilAuthor(models.Model):
    name = models.CharField(max_length=50, verbose_name="author name", help_text="As printed.")

    class Meta:
        app_label = "admin_utils_tests"

    def __str__(self):
        return self.name


class UtilPost(models.Model):
    title = models.CharField(max_length=50)
    status = models.CharField(max_length=1, choices=[("d", "Draft"), ("p", "Published")], default="d")
    published = models.BooleanField(default=False)
    written = models.DateField(null=True)
    author = models.ForeignKey(UtilAuthor, models.CASCADE)

    class Meta:
        app_label = "admin_utils_tests"

    def __str__(self):
        return f"Post {self.title}"

    def shout(self):
        return self.title.upper()

    shout.short_description = "Loud title"

    @property
    def length(self):
        return len(self.title)


class PostAdminStandIn:
    """What lookup_field reads from a ModelAdmin: its methods and attributes."""

    def initials(self, obj):
        return obj.title[:2]

    motto = "always"


def make_post(**fields):
    """An unsaved post whose author is set (no table is needed to read values)."""
    author = UtilAuthor(pk=1, name="Ada")
    defaults = {"pk": 3, "title": "hello", "author": author, "written": datetime.date(2026, 12, 7)}
    defaults.update(fields)
    return UtilPost(**defaults)


@pytest.mark.exercise("11.1")
def test_lookup_field_returns_a_field_and_its_value():
    post = make_post()
    field, attr, value = lookup_field("title", post)
    assert (field, attr, value) == (UtilPost._meta.get_field("title"), None, "hello"), (
        f"lookup_field('title', post) gave {(field, attr, value)!r}; expected (the title field, None, 'hello')"
    )


@pytest.mark.exercise("11.1")
def test_lookup_field_on_a_foreign_key_gives_the_related_row():
    post = make_post()
    field, attr, value = lookup_field("author", post)
    assert field is UtilPost._meta.get_field("author")
    assert attr is None
    assert value is post.author


@pytest.mark.exercise("11.1")
def test_lookup_field_calls_a_callable_with_the_row():
    def first_letter(obj):
        return obj.title[0]

    field, attr, value = lookup_field(first_letter, make_post())
    assert (field, attr, value) == (None, first_letter, "h")


@pytest.mark.exercise("11.1")
def test_lookup_field_calls_a_callable_even_with_a_model_admin():
    # A function in list_display is not an attribute name: hasattr(model_admin, function)
    # raises TypeError ("attribute name must be string"), so callable(name) is asked first.
    def first_letter(obj):
        return obj.title[0]

    try:
        result = lookup_field(first_letter, make_post(), PostAdminStandIn())
    except TypeError as error:
        pytest.fail(f"lookup_field(a function, post, model_admin) raised TypeError: {error}; check callable(name) first")
    assert result == (None, first_letter, "h")


@pytest.mark.exercise("11.1")
def test_lookup_field_calls_a_model_admin_method_with_the_row():
    admin = PostAdminStandIn()
    field, attr, value = lookup_field("initials", make_post(), admin)
    assert field is None
    assert attr == admin.initials
    assert value == "he"


@pytest.mark.exercise("11.1")
def test_lookup_field_calls_a_model_method_and_reads_a_property():
    post = make_post()
    field, attr, value = lookup_field("shout", post, PostAdminStandIn())
    assert (field, value) == (None, "HELLO")
    assert attr == post.shout
    assert lookup_field("length", post) == (None, 5, 5)


@pytest.mark.exercise("11.1")
def test_lookup_field_str_is_the_model_s_even_with_an_admin():
    field, attr, value = lookup_field("__str__", make_post(), PostAdminStandIn())
    assert (field, value) == (None, "Post hello")


@pytest.mark.exercise("11.1")
def test_lookup_field_foreign_key_column_is_an_attribute_not_the_field():
    # "author_id" is the column: Django reads it as a plain attribute, the key's value.
    assert lookup_field("author_id", make_post()) == (None, 1, 1)


@pytest.mark.exercise("11.1")
def test_lookup_field_follows_a_path_across_relations():
    assert lookup_field("author__name", make_post()) == (None, "Ada", "Ada")


@pytest.mark.exercise("11.1")
def test_lookup_field_unknown_name_gives_nothing():
    assert lookup_field("nonsense", make_post(), PostAdminStandIn()) == (None, None, None)
    assert lookup_field("author__nonsense", make_post()) == (None, None, None)


@pytest.mark.exercise("11.1")
def test_lookup_field_attr_is_the_model_s_when_the_admin_has_a_model():
    admin = PostAdminStandIn()
    admin.model = UtilPost
    field, attr, value = lookup_field("shout", make_post(), admin)
    assert (field, attr, value) == (None, UtilPost.shout, "HELLO"), "the function, where @admin.display put its options"


# -- not an exercise ----------------------------------------------------------------------


def test_label_for_field_reads_verbose_names_descriptions_and_names():
    from tinyframe.contrib.admin.utils import label_for_field

    def word_count(obj):
        return 1

    rows = [
        ("title", "title"),
        ("__str__", "util post"),
        ("shout", "Loud title"),
        (word_count, "Word count"),
        ("length", "Length"),
        ("author", "author"),
        ("author_id", "Author id"),
        ("author__name", "Author  name"),  # Django 5.2 prettifies the path itself: two spaces.
    ]
    for name, expected in rows:
        assert label_for_field(name, UtilPost) == expected, name
    assert label_for_field("initials", UtilPost, PostAdminStandIn()) == "Initials"
    assert label_for_field("motto", UtilPost, PostAdminStandIn(), return_attr=True) == ("Motto", "always")
    assert label_for_field("author__name", UtilPost, return_attr=True)[1] is UtilAuthor._meta.get_field("name")
    assert label_for_field(lambda obj: 1, UtilPost) == "--"


def test_label_for_field_unknown_name_names_the_model_and_admin():
    from tinyframe.contrib.admin.utils import label_for_field

    with pytest.raises(AttributeError, match="Unable to lookup 'nonsense' on UtilPost or PostAdminStandIn"):
        label_for_field("nonsense", UtilPost, PostAdminStandIn())


def test_help_text_for_field():
    from tinyframe.contrib.admin.utils import help_text_for_field

    assert help_text_for_field("name", UtilAuthor) == "As printed."
    assert help_text_for_field("nothing", UtilAuthor) == ""


def test_display_for_field_choices_booleans_dates_and_none():
    from tinyframe.contrib.admin.utils import display_for_field, display_for_value

    field = UtilPost._meta.get_field
    assert display_for_field("p", field("status")) == "Published"
    assert display_for_field("x", field("status")) == "-"
    assert 'aria-label="True"' in display_for_field(True, field("published"))
    assert 'aria-label="False"' in display_for_field(False, field("published"))
    assert display_for_field(None, field("written"), "(none)") == "(none)"
    assert display_for_field(datetime.date(2026, 12, 7), field("written")) == "Dec. 7, 2026"
    assert display_for_field("<b>", field("title")) == "<b>"  # Escaped by the template, not here.
    assert display_for_value(datetime.datetime(2026, 12, 7, 15, 30, tzinfo=datetime.timezone.utc)) == (
        "Dec. 7, 2026, 3:30 p.m."
    )
    assert display_for_value(datetime.time(9, 0)) == "9 a.m."
    assert display_for_value(True) == "True"
    assert display_for_value(3) == "3"
    assert 'aria-label="None"' in display_for_value(None, boolean=True)


def test_display_for_field_datetime_in_the_current_time_zone():
    from tinyframe.contrib.admin.utils import display_for_field
    from tinyframe.utils import timezone

    field = models.DateTimeField()
    with timezone.override("Europe/Paris"):
        shown = display_for_field(datetime.datetime(2026, 12, 7, 23, 30, tzinfo=datetime.timezone.utc), field)
    assert shown == "Dec. 8, 2026, 12:30 a.m."


def test_quote_and_unquote_round_trip():
    from tinyframe.contrib.admin.utils import quote, unquote

    for key in ["plain", "a/b", "50%_off", "x?y=z&w#", "_5F", 'q"uote', "line\nbreak"]:
        quoted = quote(key)
        assert "/" not in quoted and "?" not in quoted and "%" not in quoted
        assert unquote(quoted) == key, (key, quoted)
    assert quote(12) == 12


def test_flatten_fieldsets():
    from tinyframe.contrib.admin.utils import flatten_fieldsets

    fieldsets = [(None, {"fields": ["title", ("status", "published")]}), ("Dates", {"fields": ("written",)})]
    assert flatten_fieldsets(fieldsets) == ["title", "status", "published", "written"]


def test_get_fields_from_path_and_errors():
    from tinyframe.contrib.admin.utils import get_fields_from_path
    from tinyframe.core.exceptions import FieldDoesNotExist

    assert get_fields_from_path(UtilPost, "author__name") == [
        UtilPost._meta.get_field("author"),
        UtilAuthor._meta.get_field("name"),
    ]
    with pytest.raises(FieldDoesNotExist):
        get_fields_from_path(UtilPost, "author__nmae")
    with pytest.raises(FieldDoesNotExist, match="title is not a relation"):
        get_fields_from_path(UtilPost, "title__name")


def test_lookup_spawns_duplicates_only_across_to_many_relations():
    from tinyframe.contrib.admin.utils import lookup_spawns_duplicates

    assert not lookup_spawns_duplicates(UtilPost._meta, "title__icontains")
    assert not lookup_spawns_duplicates(UtilPost._meta, "author__name__icontains")
    assert lookup_spawns_duplicates(UtilAuthor._meta, "utilpost__title__icontains")
    assert not lookup_spawns_duplicates(UtilPost._meta, "pk")


def test_prepare_lookup_value():
    from tinyframe.contrib.admin.utils import prepare_lookup_value

    assert prepare_lookup_value("id__in", "1,2,3") == ["1", "2", "3"]
    assert prepare_lookup_value("written__isnull", "False") is False
    assert prepare_lookup_value("written__isnull", "1") is True
    assert prepare_lookup_value("title", ["a", "b"]) == ["a", "b"]
    assert prepare_lookup_value("title", "a,b") == "a,b"


def test_model_format_dict_and_ngettext():
    from tinyframe.contrib.admin.utils import model_format_dict, model_ngettext

    assert model_format_dict(UtilPost) == {"verbose_name": "util post", "verbose_name_plural": "util posts"}
    assert model_format_dict(make_post()) == model_format_dict(UtilPost)
    assert model_ngettext(UtilPost, 1) == "util post"
    assert model_ngettext(UtilPost, 2) == "util posts"


def lookup_field(*args):
    """The exercise's function, imported when a test runs (the module must load while it is a stub)."""
    from tinyframe.contrib.admin.utils import lookup_field as target

    return target(*args)
