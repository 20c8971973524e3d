"""Relations set up wrong: a target that never appears, a reverse accessor that clashes.

Django reports these from its system checks (fields.E300, E302, E303, E304,
E306, E308, E309, E311, E312, E320, E321); tinyframe raises ImproperlyConfigured
with the same text, when the registry finishes populating (E300), when the
relation resolves (E302, E303, E304, E311, E312) or when the key is added to its
model (E306, E308, E309, E320, E321).
Each test uses a registry of its own, so its models touch no other test's.
"""

import pytest

from tinyframe.apps.registry import Apps
from tinyframe.core.exceptions import ImproperlyConfigured
from tinyframe.db import models
from tinyframe.db.models import CASCADE, SET_DEFAULT, SET_NULL


def meta(registry):
    return type("Meta", (), {"app_label": "errors", "apps": registry})


def test_a_relation_to_a_model_that_never_appears_fails_population():
    registry = Apps(installed_apps=None)

    class Book(models.Model):
        author = models.ForeignKey("Autor", CASCADE)
        Meta = meta(registry)

    field = Book._meta.get_field("author")
    assert field.related_model == "Autor", "still waiting for its target"
    with pytest.raises(ImproperlyConfigured) as error:
        registry.populate([])
    assert str(error.value) == (
        "errors.Book.author: (fields.E300) Field defines a relation with model 'Autor', which is either not "
        "installed, or is abstract."
    )


def test_a_relation_waits_for_a_model_declared_later():
    registry = Apps(installed_apps=None)

    class Book(models.Model):
        author = models.ForeignKey("errors.Author", CASCADE)
        Meta = meta(registry)

    class Author(models.Model):
        Meta = meta(registry)

    registry.populate([])
    assert Book._meta.get_field("author").related_model is Author
    assert Author._meta.get_field("book").related_model is Book
    assert registry._pending_operations == {}


def test_lazy_model_operation_runs_when_every_model_is_there():
    registry = Apps(installed_apps=None)
    calls = []
    registry.lazy_model_operation(lambda *models: calls.append(models), ("errors", "first"), ("errors", "second"))
    registry.lazy_model_operation(lambda: calls.append("now"))

    class First(models.Model):
        Meta = meta(registry)

    assert calls == ["now"]

    class Second(models.Model):
        Meta = meta(registry)

    assert calls == ["now", (First, Second)]


def test_a_reverse_accessor_clashing_with_a_field_is_refused():
    registry = Apps(installed_apps=None)

    class Author(models.Model):
        book_set = models.CharField(max_length=10)
        Meta = meta(registry)

    with pytest.raises(ImproperlyConfigured) as error:

        class Book(models.Model):
            author = models.ForeignKey(Author, CASCADE)
            Meta = meta(registry)

    assert str(error.value) == (
        "errors.Book.author: (fields.E302) Reverse accessor 'Author.book_set' for 'errors.Book.author' clashes "
        "with field name 'errors.Author.book_set'.\n"
        "\tHINT: Rename field 'errors.Author.book_set', or add/change a related_name argument to the definition "
        "for field 'errors.Book.author'."
    )


def test_two_reverse_accessors_of_the_same_name_are_refused():
    registry = Apps(installed_apps=None)

    class Author(models.Model):
        Meta = meta(registry)

    with pytest.raises(ImproperlyConfigured) as error:

        class Book(models.Model):
            author = models.ForeignKey(Author, CASCADE)
            editor = models.ForeignKey(Author, CASCADE)
            Meta = meta(registry)

    assert str(error.value) == (
        "errors.Book.editor: (fields.E304) Reverse accessor 'Author.book_set' for 'errors.Book.editor' clashes "
        "with reverse accessor for 'errors.Book.author'.\n"
        "\tHINT: Add or change a related_name argument to the definition for 'errors.Book.editor' or "
        "'errors.Book.author'."
    )
    assert [rel.field.name for rel in Author._meta.related_objects] == ["author"], "the refused relation is not filed"


def test_related_name_plus_hides_the_reverse_accessor():
    registry = Apps(installed_apps=None)

    class Author(models.Model):
        Meta = meta(registry)

    class Book(models.Model):
        author = models.ForeignKey(Author, CASCADE, related_name="+")
        editor = models.ForeignKey(Author, CASCADE, related_name="+")
        Meta = meta(registry)

    assert not hasattr(Author, "book_set")
    assert Author._meta.related_objects == ()
    assert len(Author._meta.get_fields(include_hidden=True)) == 3


def test_related_name_placeholders_and_abstract_parents():
    registry = Apps(installed_apps=None)

    class Author(models.Model):
        Meta = meta(registry)

    class Base(models.Model):
        author = models.ForeignKey(Author, CASCADE, related_name="%(app_label)s_%(class)s_items")

        class Meta:
            abstract = True
            app_label = "errors"
            apps = registry

    class Novel(Base):
        Meta = meta(registry)

    class Poem(Base):
        Meta = meta(registry)

    assert Author._meta.get_field("errors_novel_items").related_model is Novel
    assert Author._meta.get_field("errors_poem_items").related_model is Poem
    assert Novel._meta.get_field("author") is not Poem._meta.get_field("author")


def test_a_through_model_that_never_appears_fails_population():
    registry = Apps(installed_apps=None)

    class Group(models.Model):
        Meta = meta(registry)

    class Person(models.Model):
        groups = models.ManyToManyField(Group, through="Membershp")
        Meta = meta(registry)

    registry.lazy_model_operation(print, ("errors", "nothing"))  # waits too, but is no relation's
    with pytest.raises(ImproperlyConfigured) as error:
        registry.populate([])
    assert str(error.value) == (
        "errors.Person.groups: (fields.E331) Field specifies a many-to-many relation through model 'Membershp', "
        "which has not been installed."
    )


@pytest.mark.parametrize(
    ("on_delete", "message"),
    [
        (
            SET_NULL,
            "errors.Book.author: (fields.E320) Field specifies on_delete=SET_NULL, but cannot be null.\n"
            "\tHINT: Set null=True argument on the field, or change the on_delete rule.",
        ),
        (
            SET_DEFAULT,
            "errors.Book.author: (fields.E321) Field specifies on_delete=SET_DEFAULT, but has no default value.\n"
            "\tHINT: Set a default value, or change the on_delete rule.",
        ),
    ],
)
def test_an_on_delete_rule_the_column_cannot_follow_is_refused(on_delete, message):
    registry = Apps(installed_apps=None)

    class Author(models.Model):
        Meta = meta(registry)

    with pytest.raises(ImproperlyConfigured) as error:

        class Book(models.Model):
            author = models.ForeignKey(Author, on_delete)
            Meta = meta(registry)

    assert str(error.value) == message, "Django 5.2's system check says the same"

    class Book(models.Model):
        author = models.ForeignKey(Author, on_delete, null=True, default=None)
        Meta = meta(registry)


def test_a_to_field_that_is_missing_or_not_unique_is_refused():
    registry = Apps(installed_apps=None)

    class Country(models.Model):
        name = models.CharField(max_length=20)
        code = models.CharField(max_length=2)
        iso = models.CharField(max_length=3)
        Meta = type("Meta", (), {
            "app_label": "errors", "apps": registry, "unique_together": [("code",)],
            "constraints": [models.UniqueConstraint(fields=["iso"], name="unique_iso")],
        })  # fmt: skip

    # Django 5.2's system checks fields.E312 and E311 say the same.
    with pytest.raises(ImproperlyConfigured) as error:

        class City(models.Model):
            country = models.ForeignKey(Country, CASCADE, to_field="nope")
            Meta = meta(registry)

    assert str(error.value) == (
        "errors.City.country: (fields.E312) The to_field 'nope' doesn't exist on the related model 'errors.Country'."
    )
    with pytest.raises(ImproperlyConfigured) as error:

        class Town(models.Model):
            country = models.OneToOneField(Country, CASCADE, to_field="name")
            Meta = meta(registry)

    assert str(error.value) == (
        "errors.Town.country: (fields.E311) 'Country.name' must be unique because it is referenced by a foreign key.\n"
        "\tHINT: Add unique=True to this field or add a UniqueConstraint (without condition) in the model "
        "Meta.constraints."
    )
    assert list(Country._meta.related_objects) == [], "a refused key leaves its target as it was"

    class Village(models.Model):
        by_code = models.ForeignKey(Country, CASCADE, to_field="code", related_name="+")
        by_iso = models.ForeignKey(Country, CASCADE, to_field="iso", related_name="+")
        Meta = meta(registry)


def test_a_reverse_query_name_clashing_with_a_field_is_refused():
    registry = Apps(installed_apps=None)

    class Author(models.Model):
        name = models.CharField(max_length=20)
        Meta = meta(registry)

    with pytest.raises(ImproperlyConfigured) as error:

        class Book(models.Model):
            author = models.ForeignKey(Author, CASCADE, related_name="+", related_query_name="name")
            Meta = meta(registry)

    # Django 5.2's system check fields.E303, also for a hidden relation.
    assert str(error.value) == (
        "errors.Book.author: (fields.E303) Reverse query name for 'errors.Book.author' clashes with field name "
        "'errors.Author.name'.\n"
        "\tHINT: Rename field 'errors.Author.name', or add/change a related_name argument to the definition for "
        "field 'errors.Book.author'."
    )


@pytest.mark.parametrize(
    ("options", "message"),
    [
        (
            {"related_name": "my books"},
            "errors.Book.author: (fields.E306) The name 'my books' is invalid related_name for field Book.author\n"
            "\tHINT: Related name must be a valid Python identifier or end with a '+'",
        ),
        (
            {"related_name": "books_"},
            "errors.Book.author: (fields.E308) Reverse query name 'books_' must not end with an underscore.\n"
            "\tHINT: Add or change a related_name or related_query_name argument for this field.",
        ),
        (
            {"related_query_name": "written__book"},
            "errors.Book.author: (fields.E309) Reverse query name 'written__book' must not contain '__'.\n"
            "\tHINT: Add or change a related_name or related_query_name argument for this field.",
        ),
    ],
)
def test_a_related_name_filters_cannot_use_is_refused(options, message):
    registry = Apps(installed_apps=None)

    class Author(models.Model):
        Meta = meta(registry)

    with pytest.raises(ImproperlyConfigured) as error:

        class Book(models.Model):
            author = models.ForeignKey(Author, CASCADE, **options)
            Meta = meta(registry)

    assert str(error.value) == message, "Django 5.2's system check says the same"
    assert list(Author._meta.related_objects) == [], "a refused key leaves its target as it was"
