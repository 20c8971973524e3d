"""``Model._meta``: what the metaclass learns about a model, and the mistakes it refuses.

Names, tables, fields in order, the automatic primary key, managers, Meta
options, abstract inheritance, and the errors for a missing app label, an
unknown Meta option, a mistyped field name, a second model of the same name.
"""

import json
import warnings

import pytest

from tinyframe.apps.registry import Apps
from tinyframe.core.exceptions import FieldDoesNotExist, ImproperlyConfigured
from tinyframe.db import models
from tinyframe.db.models.signals import class_prepared


class MetaAuthor(models.Model):
    name = models.CharField(max_length=100)
    birth_date = models.DateField(null=True)

    class Meta:
        app_label = "meta_tests"


class MetaBookReview(models.Model):
    title = models.CharField(max_length=100, db_column="heading")
    stars = models.PositiveSmallIntegerField(default=3)

    class Meta:
        app_label = "meta_tests"
        db_table = "reviews"
        ordering = ["-stars", "title"]
        unique_together = ("title", "stars")
        verbose_name = "critique"
        indexes = [models.Index(fields=["-stars"])]


class MetaTimestamped(models.Model):
    created = models.DateTimeField(auto_now_add=True)
    title = models.CharField(max_length=10)

    class Meta:
        abstract = True
        ordering = ["created"]


class MetaPost(MetaTimestamped):
    body = models.TextField()
    title = models.CharField(max_length=50)

    class Meta(MetaTimestamped.Meta):
        app_label = "meta_tests"


class MetaCode(models.Model):
    code = models.CharField(max_length=5, primary_key=True)

    class Meta:
        app_label = "meta_tests"


def fresh_apps() -> Apps:
    """A registry of our own, so models made by a test do not stay in the project's."""
    return Apps(installed_apps=None)


def error_text(error: BaseException) -> str:
    return "\n".join([str(error), *getattr(error, "__notes__", [])])


def test_names_and_table_come_from_the_class_and_app_label():
    opts = MetaAuthor._meta
    assert (opts.app_label, opts.model_name, opts.object_name) == ("meta_tests", "metaauthor", "MetaAuthor")
    assert (opts.label, opts.label_lower, opts.db_table) == ("meta_tests.MetaAuthor", "meta_tests.metaauthor", "meta_tests_metaauthor")
    assert (opts.verbose_name, opts.verbose_name_plural) == ("meta author", "meta authors")
    assert opts.model is MetaAuthor and opts.concrete_model is MetaAuthor
    assert (opts.abstract, opts.swappable, opts.proxy, opts.managed) == (False, None, False, True)
    assert str(opts) == "meta_tests.metaauthor" and repr(opts) == "<Options for MetaAuthor>"


def test_meta_options_are_read():
    opts = MetaBookReview._meta
    assert opts.db_table == "reviews"
    assert opts.ordering == ["-stars", "title"]
    assert opts.unique_together == (("title", "stars"),)
    assert (opts.verbose_name, opts.verbose_name_plural) == ("critique", "critiques")
    assert opts.indexes[0].name == "reviews_stars_91f236_idx", "an unnamed index is named as Django names it"


def test_fields_in_declaration_order_with_the_automatic_key_first():
    names = [field.name for field in MetaAuthor._meta.fields]
    assert names == ["id", "name", "birth_date"]
    assert MetaAuthor._meta.concrete_fields == MetaAuthor._meta.fields
    assert [field.name for field in MetaAuthor._meta.local_concrete_fields] == names
    assert MetaAuthor.__doc__ == "MetaAuthor(id, name, birth_date)"


def test_the_automatic_primary_key_is_an_auto_field_named_id():
    pk = MetaAuthor._meta.pk
    assert isinstance(pk, models.AutoField) and type(pk) is models.AutoField
    assert (pk.name, pk.attname, pk.column, pk.primary_key, pk.auto_created) == ("id", "id", "id", True, True)
    assert pk.verbose_name == "ID"
    assert MetaAuthor._meta.auto_field is pk
    assert MetaAuthor._meta.db_returning_fields == [pk]


def test_a_declared_primary_key_replaces_the_automatic_one():
    assert [field.name for field in MetaCode._meta.fields] == ["code"]
    assert MetaCode._meta.pk.name == "code" and MetaCode._meta.auto_field is None
    assert MetaCode._meta.db_returning_fields == []


def test_field_attributes_after_joining_a_model():
    title = MetaBookReview._meta.get_field("title")
    assert (title.name, title.attname, title.column, title.model) == ("title", "title", "heading", MetaBookReview)
    assert (title.concrete, title.is_relation, title.verbose_name) == (True, False, "title")
    assert str(title) == "meta_tests.MetaBookReview.title"
    assert repr(title) == "<tinyframe.db.models.fields.CharField: title>"


def test_get_field_by_name_and_the_error_for_a_typo():
    assert MetaAuthor._meta.get_field("name").name == "name"
    with pytest.raises(FieldDoesNotExist) as caught:
        MetaAuthor._meta.get_field("nmae")
    assert str(caught.value) == "MetaAuthor has no field named 'nmae'"
    assert "Did you mean 'name'?" in error_text(caught.value)


def test_the_objects_manager_is_added_and_is_the_default():
    opts = MetaAuthor._meta
    assert [manager.name for manager in opts.managers] == ["objects"]
    assert opts.default_manager is MetaAuthor.objects
    assert MetaAuthor._default_manager is MetaAuthor.objects
    assert MetaAuthor._base_manager.model is MetaAuthor


def test_per_model_exceptions_subclass_the_core_ones():
    from tinyframe.core.exceptions import MultipleObjectsReturned, ObjectDoesNotExist

    assert issubclass(MetaAuthor.DoesNotExist, ObjectDoesNotExist)
    assert issubclass(MetaAuthor.MultipleObjectsReturned, MultipleObjectsReturned)
    assert MetaAuthor.DoesNotExist is not MetaCode.DoesNotExist
    assert MetaAuthor.DoesNotExist.__qualname__ == "MetaAuthor.DoesNotExist"


def test_abstract_parents_give_their_fields_and_meta_to_children():
    assert not hasattr(MetaTimestamped, "objects") or MetaTimestamped._meta.abstract
    assert [field.name for field in MetaPost._meta.fields] == ["id", "created", "body", "title"]
    assert MetaPost._meta.get_field("title").max_length == 50, "the child's own field wins, in its own place"
    assert MetaPost._meta.get_field("created").model is MetaPost
    assert MetaPost._meta.ordering == ["created"]
    assert MetaPost._meta.abstract is False


def test_unknown_meta_option_is_a_type_error_with_a_suggestion():
    with pytest.raises(TypeError) as caught:

        class MetaBad(models.Model):
            class Meta:
                app_label = "meta_tests"
                apps = fresh_apps()
                orderin = ["x"]

    assert str(caught.value) == "'class Meta' got invalid attribute(s): orderin"
    assert "Did you mean 'ordering'?" in error_text(caught.value)


def test_a_model_outside_installed_apps_needs_an_app_label():
    with pytest.raises(RuntimeError) as caught:

        class MetaNoLabel(models.Model):
            pass

    assert str(caught.value) == (
        f"Model class {__name__}.MetaNoLabel doesn't declare an explicit app_label and isn't in an "
        "application in INSTALLED_APPS."
    )


def test_two_different_models_of_the_same_name_in_one_app_conflict():
    registry = fresh_apps()

    class Book(models.Model):
        class Meta:
            app_label = "library"
            apps = registry

    first = Book
    with pytest.raises(RuntimeError) as caught:

        class Book(models.Model):  # noqa: F811 -- the point of the test
            __module__ = "another.module"

            class Meta:
                app_label = "library"
                apps = registry

    qualname = f"{test_two_different_models_of_the_same_name_in_one_app_conflict.__qualname__}.<locals>.Book"
    assert str(caught.value) == (
        f"Conflicting 'book' models in application 'library': {first} and <class 'another.module.{qualname}'>."
    )
    assert registry.get_registered_model("library", "Book") is first


def test_the_same_model_module_defined_again_replaces_it_with_a_warning():
    registry = fresh_apps()

    def define():
        class Magazine(models.Model):
            class Meta:
                app_label = "library"
                apps = registry

        return Magazine

    define()
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        second = define()
    assert [str(warning.message)[:42] for warning in caught] == ["Model 'library.magazine' was already regis"]
    assert registry.get_registered_model("library", "magazine") is second


def test_class_prepared_is_sent_once_the_class_is_complete():
    seen = []

    def receiver(sender, **kwargs):
        seen.append((sender.__name__, [field.name for field in sender._meta.fields]))

    class_prepared.connect(receiver)
    try:

        class MetaPrepared(models.Model):
            name = models.CharField(max_length=5)

            class Meta:
                app_label = "meta_tests"
                apps = fresh_apps()

    finally:
        class_prepared.disconnect(receiver)
    assert seen == [("MetaPrepared", ["id", "name"])]


def test_default_auto_field_picks_the_primary_key_class(use_settings):
    use_settings(DEFAULT_AUTO_FIELD="tinyframe.db.models.BigAutoField")

    class MetaBig(models.Model):
        class Meta:
            app_label = "meta_tests"
            apps = fresh_apps()

    assert type(MetaBig._meta.pk) is models.BigAutoField
    assert isinstance(MetaBig._meta.pk, models.AutoField), "BigAutoField counts as an AutoField, as in Django"


@pytest.mark.parametrize(
    ("path", "exception", "message"),
    [
        ("", ImproperlyConfigured, "DEFAULT_AUTO_FIELD must not be empty."),
        ("nowhere.AutoField", ImproperlyConfigured,
         "DEFAULT_AUTO_FIELD refers to the module 'nowhere.AutoField' that could not be imported."),
        ("tinyframe.db.models.IntegerField", ValueError,
         "Primary key 'tinyframe.db.models.IntegerField' referred by DEFAULT_AUTO_FIELD must subclass AutoField."),
    ],
)  # fmt: skip
def test_a_bad_default_auto_field_is_reported(use_settings, path, exception, message):
    use_settings(DEFAULT_AUTO_FIELD=path)
    with pytest.raises(exception) as caught:

        class MetaBadKey(models.Model):
            class Meta:
                app_label = "meta_tests"
                apps = fresh_apps()

    assert str(caught.value) == message


def test_two_primary_keys_are_refused():
    with pytest.raises(ImproperlyConfigured, match="'MetaTwoKeys' has more than one field with primary_key=True"):

        class MetaTwoKeys(models.Model):
            a = models.IntegerField(primary_key=True)
            b = models.IntegerField(primary_key=True)

            class Meta:
                app_label = "meta_tests"
                apps = fresh_apps()


def test_a_field_named_objects_needs_a_declared_manager():
    with pytest.raises(ValueError) as caught:

        class MetaObjects(models.Model):
            objects = models.IntegerField()

            class Meta:
                app_label = "meta_tests"
                apps = fresh_apps()

    assert str(caught.value) == "Model MetaObjects must specify a custom Manager, because it has a field named 'objects'."


def test_a_declared_manager_replaces_objects():
    class MetaShelf(models.Model):
        books = models.Manager()

        class Meta:
            app_label = "meta_tests"
            apps = fresh_apps()

    assert not hasattr(MetaShelf, "objects")
    assert MetaShelf._meta.default_manager is MetaShelf.books


def test_concrete_inheritance_is_refused_with_a_way_out():
    with pytest.raises(NotImplementedError, match="tinyframe has no multi-table inheritance. Make the parent abstract"):

        class MetaChild(MetaAuthor):
            class Meta:
                app_label = "meta_tests"
                apps = fresh_apps()


class MetaWithManagers(models.Model):
    everything = models.Manager()

    class Meta:
        abstract = True


class MetaShop(MetaWithManagers):
    featured = models.Manager()

    class Meta:
        app_label = "meta_tests"
        default_manager_name = "featured"
        base_manager_name = "everything"


def test_managers_are_inherited_from_abstract_parents_and_may_be_chosen():
    opts = MetaShop._meta
    assert [manager.name for manager in opts.managers] == ["featured", "everything"]
    assert opts.managers[1].model is MetaShop, "an inherited manager is copied for the child"
    assert opts.default_manager is MetaShop.featured
    assert opts.base_manager.name == "everything"
    assert set(opts.managers_map) == {"featured", "everything"}
    assert opts.get_fields() == opts.fields


def test_a_missing_named_manager_is_reported():
    class MetaNoSuchManager(models.Model):
        class Meta:
            app_label = "meta_tests"
            apps = fresh_apps()
            default_manager_name = "nope"
            base_manager_name = "nope"

    for attribute in ("default_manager", "base_manager"):
        with pytest.raises(ValueError) as caught:
            getattr(MetaNoSuchManager._meta, attribute)
        assert str(caught.value) == "MetaNoSuchManager has no manager named 'nope'"


def test_unique_together_must_be_a_list_of_names():
    from tinyframe.db.models.options import normalize_together

    with pytest.raises(TypeError, match="unique_together must be a list or tuple of field names"):
        normalize_together("title")
    assert normalize_together(None) == ()


def test_an_apps_default_auto_field_wins_over_the_setting():
    from tinyframe.apps import AppConfig

    class BigConfig(AppConfig):
        name = "json"
        default_auto_field = "tinyframe.db.models.SmallAutoField"

    registry = fresh_apps()
    registry.app_configs["json"] = BigConfig("json", json)

    class MetaSmall(models.Model):
        class Meta:
            app_label = "json"
            apps = registry

    assert type(MetaSmall._meta.pk) is models.SmallAutoField
