"""Model formsets and inline formsets: editing a queryset's rows, adding and deleting them, and a parent's children.

Every result, message and piece of HTML here is Django 5.2's for the same
models, data and calls (checked once, side by side, with an in-memory SQLite
database).
"""

import re
import uuid
from urllib.parse import urlencode

import pytest

from tinyframe import forms
from tinyframe.core.exceptions import ImproperlyConfigured
from tinyframe.db import models
from tinyframe.db.models import CASCADE
from tinyframe.http import QueryDict

APP = "model_formsets_tests"


class MfAuthor(models.Model):
    name = models.CharField(max_length=30, unique=True)

    class Meta:
        app_label = APP

    def __str__(self):
        return self.name


class MfBook(models.Model):
    author = models.ForeignKey(MfAuthor, CASCADE)
    title = models.CharField(max_length=30)

    class Meta:
        app_label = APP
        unique_together = [("author", "title")]

    def __str__(self):
        return self.title


class MfPair(models.Model):
    """Two keys to the same model: an inline formset must be told which one (fk_name)."""

    first = models.ForeignKey(MfAuthor, CASCADE, related_name="+")
    second = models.ForeignKey(MfAuthor, CASCADE, related_name="second_pairs", verbose_name="the second")

    class Meta:
        app_label = APP


class MfProfile(models.Model):
    author = models.OneToOneField(MfAuthor, CASCADE)
    bio = models.CharField(max_length=30)

    class Meta:
        app_label = APP


class MfTag(models.Model):
    name = models.CharField(max_length=20)

    class Meta:
        app_label = APP

    def __str__(self):
        return self.name


class MfPoem(models.Model):
    title = models.CharField(max_length=30)
    tags = models.ManyToManyField(MfTag, blank=True)

    class Meta:
        app_label = APP


class MfSlugged(models.Model):
    slug = models.CharField(max_length=20)

    class Meta:
        app_label = APP
        constraints = [models.UniqueConstraint(fields=["slug"], name="mf_unique_slug")]


class MfBio(models.Model):
    """A child whose primary key is its key to the parent."""

    author = models.OneToOneField(MfAuthor, CASCADE, primary_key=True)
    text = models.CharField(max_length=30)

    class Meta:
        app_label = APP


class MfReview(models.Model):
    """A key to the parent's name, not its primary key (to_field)."""

    author = models.ForeignKey(MfAuthor, CASCADE, to_field="name")
    text = models.CharField(max_length=30)

    class Meta:
        app_label = APP


class MfUuidParent(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4)
    name = models.CharField(max_length=30)

    class Meta:
        app_label = APP


class MfUuidChild(models.Model):
    parent = models.ForeignKey(MfUuidParent, CASCADE)
    name = models.CharField(max_length=30)

    class Meta:
        app_label = APP


@pytest.fixture
def db(tables):
    tables(MfAuthor, MfBook, MfPair, MfProfile, MfTag, MfPoem, MfSlugged, MfBio, MfReview, MfUuidParent, MfUuidChild)


@pytest.fixture
def ann_and_bob(db):
    return MfAuthor.objects.create(name="Ann"), MfAuthor.objects.create(name="Bob")


# Formset classes are made in fixtures, not at import: a ModelForm's fields
# come from exercise 09.6, and this module must load while that is still to be written.


@pytest.fixture
def author_formset():
    return forms.modelformset_factory(MfAuthor, fields=["name"], can_delete=True)


@pytest.fixture
def book_inline_formset():
    return forms.inlineformset_factory(MfAuthor, MfBook, fields=["title"], extra=1)


def formset_data(*rows, initial=0, prefix="form") -> dict:
    """POST data: the counts, then each row's fields as ``<prefix>-<i>-<name>``."""
    data = {f"{prefix}-TOTAL_FORMS": str(len(rows)), f"{prefix}-INITIAL_FORMS": str(initial)}
    for index, row in enumerate(rows):
        data.update({f"{prefix}-{index}-{name}": value for name, value in row.items()})
    return data


def outcome(formset) -> tuple:
    """``(is_valid, [(non-form message, code)], errors)``."""
    valid = formset.is_valid()
    non_form = [(error.message % (error.params or {}), error.code) for error in formset.non_form_errors().as_data()]
    return valid, non_form, formset.errors


def names() -> list:
    return list(MfAuthor.objects.order_by("pk").values_list("name", flat=True))


def books() -> list:
    return list(MfBook.objects.order_by("pk").values_list("author__name", "title"))


def squeeze(html) -> str:
    return re.sub(r">\s+<", "><", str(html)).strip()


# -- model formsets ------------------------------------------------------------------


def test_fields_or_exclude_must_be_chosen(author_formset):
    with pytest.raises(ImproperlyConfigured) as caught:
        forms.modelformset_factory(MfAuthor)
    assert (
        str(caught.value)
        == "Calling modelformset_factory without defining 'fields' or 'exclude' explicitly is prohibited."
    )
    assert issubclass(author_formset, forms.BaseModelFormSet) and author_formset.__name__ == "MfAuthorFormSet"
    assert (author_formset.model, author_formset.edit_only, author_formset.extra) == (MfAuthor, False, 1)


def test_unbound_formset_has_a_form_per_object_and_a_hidden_key(ann_and_bob, author_formset):
    ann, bob = ann_and_bob
    formset = author_formset()
    assert (formset.total_form_count(), formset.initial_form_count()) == (3, 2)
    assert [form.instance for form in formset][:2] == [ann, bob]
    assert list(formset.forms[0].fields) == ["name", "id", "DELETE"]
    key = formset.forms[0].fields["id"]
    assert (type(key).__name__, key.required, type(key.widget).__name__) == ("ModelChoiceField", True, "HiddenInput")
    assert formset.forms[2].fields["id"].required is False
    html = squeeze(formset)
    assert html.startswith(
        '<input type="hidden" name="form-TOTAL_FORMS" value="3" id="id_form-TOTAL_FORMS">'
        '<input type="hidden" name="form-INITIAL_FORMS" value="2" id="id_form-INITIAL_FORMS">'
    )
    assert '<input type="text" name="form-0-name" value="Ann" maxlength="30" id="id_form-0-name">' in html
    assert '<input type="hidden" name="form-1-id" value="2" id="id_form-1-id">' in html
    assert '<input type="hidden" name="form-2-id" id="id_form-2-id">' in html


def test_queryset_order_is_kept_and_initial_fills_the_extra_forms(ann_and_bob, author_formset):
    formset = author_formset(queryset=MfAuthor.objects.order_by("-name"))
    assert [form.instance.pk for form in formset] == [2, 1, None]
    assert squeeze(
        forms.modelformset_factory(MfAuthor, fields=["name"])(queryset=MfAuthor.objects.order_by("-name")).forms[0]
    ) == (
        '<div><label for="id_form-0-name">Name:</label>'
        '<input type="text" name="form-0-name" value="Bob" maxlength="30" id="id_form-0-name">'
        '<input type="hidden" name="form-0-id" value="2" id="id_form-0-id"></div>'
    )
    assert author_formset(initial=[{"name": "Zoe"}]).forms[2]["name"].value() == "Zoe"
    more_extras = forms.modelformset_factory(MfAuthor, fields=["name"], extra=2)
    assert [
        form["name"].value() for form in more_extras(initial=[{"name": "Zoe"}], queryset=MfAuthor.objects.none())
    ] == ["Zoe", None]


def test_save_changes_adds_and_deletes(ann_and_bob, author_formset):
    ann, bob = ann_and_bob
    data = formset_data(
        {"id": str(ann.pk), "name": "Ann2"},
        {"id": str(bob.pk), "name": "Bob", "DELETE": "on"},
        {"name": "Cy"},
        initial=2,
    )
    formset = author_formset(data)
    assert outcome(formset) == (True, [], [{}, {}])
    saved = formset.save()
    assert [str(obj) for obj in saved] == ["Ann2", "Cy"]
    assert [str(obj) for obj in formset.new_objects] == ["Cy"]
    assert [(str(obj), fields) for obj, fields in formset.changed_objects] == [("Ann2", ["name"])]
    assert [str(obj) for obj in formset.deleted_objects] == ["Bob"]
    assert names() == ["Ann2", "Cy"]


def test_save_with_commit_false_writes_nothing(ann_and_bob, author_formset):
    ann, bob = ann_and_bob
    data = formset_data(
        {"id": str(ann.pk), "name": "Ann2"},
        {"id": str(bob.pk), "name": "Bob", "DELETE": "on"},
        {"name": "Cy"},
        initial=2,
    )
    formset = author_formset(data)
    saved = formset.save(commit=False)
    assert [(str(obj), obj.pk) for obj in saved] == [("Ann2", ann.pk), ("Cy", None)]
    assert [str(obj) for obj in formset.deleted_objects] == ["Bob"]
    assert names() == ["Ann", "Bob"]  # the caller saves and deletes
    formset.save_m2m()


def test_unchanged_and_blank_extra_forms_save_nothing(ann_and_bob, author_formset):
    ann, bob = ann_and_bob
    formset = author_formset(formset_data({"id": str(ann.pk), "name": "Ann"}, {"name": ""}, initial=1))
    assert formset.is_valid()
    assert (formset.save(), formset.changed_objects, formset.new_objects) == ([], [], [])
    marked = author_formset(formset_data({"name": "Gone", "DELETE": "on"}))
    assert marked.is_valid() and marked.save() == [] and names() == ["Ann", "Bob"]


def test_save_commit_false_then_save_m2m(db):
    tag = MfTag.objects.create(name="t1")
    formset = forms.modelformset_factory(MfPoem, fields=["title", "tags"])(
        formset_data({"title": "P", "tags": [str(tag.pk)]})
    )
    assert formset.is_valid()
    poems = formset.save(commit=False)
    assert (MfPoem.objects.count(), poems[0].pk) == (0, None)
    for poem in poems:
        poem.save()
    formset.save_m2m()
    assert list(MfPoem.objects.get().tags.values_list("name", flat=True)) == ["t1"]


def test_an_invalid_formset_saves_nothing(ann_and_bob, author_formset):
    formset = author_formset(formset_data({"name": "x" * 40}))
    assert outcome(formset) == (False, [], [{"name": ["Ensure this value has at most 30 characters (it has 40)."]}])
    with pytest.raises(ValueError, match=r"^The MfAuthor could not be created because the data didn't validate\.$"):
        formset.save()
    assert names() == ["Ann", "Bob"]


def test_edit_only_never_adds(ann_and_bob):
    ann, bob = ann_and_bob
    formset_class = forms.modelformset_factory(MfAuthor, fields=["name"], edit_only=True)
    data = formset_data(
        {"id": str(ann.pk), "name": "Ann"}, {"id": str(bob.pk), "name": "Bobby"}, {"name": "New"}, initial=2
    )
    formset = formset_class(data)
    assert [str(obj) for obj in formset.save()] == ["Bobby"]
    assert names() == ["Ann", "Bobby"]


def test_tampered_keys_are_form_errors(ann_and_bob, check_rows, author_formset):
    invalid_choice = {"id": ["Select a valid choice. That choice is not one of the available choices."]}

    def check(row, errors):
        assert outcome(author_formset(formset_data(row, initial=1))) == (False, [], [errors]), row

    check_rows(
        [
            ({"id": "999", "name": "X"}, invalid_choice),
            ({"id": "abc", "name": "X"}, invalid_choice),
            ({"name": "X"}, {"id": ["This field is required."]}),
        ],
        check,
    )


def test_a_key_from_outside_the_queryset_changes_nothing(ann_and_bob, author_formset):
    ann, bob = ann_and_bob
    data = formset_data({"id": str(bob.pk), "name": "Hacked", "DELETE": "on"}, initial=1)
    formset = author_formset(data, queryset=MfAuthor.objects.filter(name="Ann"))
    assert formset.is_valid()
    assert (formset.save(), formset.deleted_objects, formset.changed_objects) == ([], [], [])
    assert names() == ["Ann", "Bob"]


# -- uniqueness across the forms -------------------------------------------------------


def test_two_new_forms_with_one_unique_value(ann_and_bob, author_formset):
    formset = author_formset(formset_data({"name": "Zed"}, {"name": "Zed"}))
    assert outcome(formset) == (
        False,
        [("Please correct the duplicate data for name.", None)],
        [{}, {"__all__": ["Please correct the duplicate values below."]}],
    )
    assert "name" not in formset.forms[1].cleaned_data


def test_a_value_taken_in_the_database_is_the_forms_own_error(ann_and_bob, author_formset):
    assert outcome(author_formset(formset_data({"name": "Ann"}))) == (
        False,
        [],
        [{"name": ["Mf author with this Name already exists."]}],
    )


def test_unique_together_and_unique_constraints_across_forms(ann_and_bob):
    ann, bob = ann_and_bob
    book_formset = forms.modelformset_factory(MfBook, fields=["author", "title"])
    rows = [{"author": str(ann.pk), "title": "T"}, {"author": str(ann.pk), "title": "T"}]
    duplicate_below = [{}, {"__all__": ["Please correct the duplicate values below."]}]
    assert outcome(book_formset(formset_data(*rows))) == (
        False,
        [("Please correct the duplicate data for author and title, which must be unique.", None)],
        duplicate_below,
    )
    rows[1]["author"] = str(bob.pk)
    assert outcome(book_formset(formset_data(*rows)))[0] is True
    slugged = forms.modelformset_factory(MfSlugged, fields=["slug"])
    assert outcome(slugged(formset_data({"slug": "x"}, {"slug": "x"}))) == (
        False,
        [("Please correct the duplicate data for slug.", None)],
        duplicate_below,
    )


def test_deleted_forms_take_no_part_in_uniqueness(ann_and_bob, author_formset):
    formset = author_formset(formset_data({"name": "Zed"}, {"name": "Zed", "DELETE": "on"}))
    assert formset.is_valid()


# -- inline formsets -------------------------------------------------------------------


def test_get_foreign_key_finds_the_key_or_says_why_not(check_rows):
    assert forms.models._get_foreign_key(MfAuthor, MfBook).name == "author"
    assert forms.models._get_foreign_key(MfAuthor, MfPair, fk_name="second").name == "second"
    assert forms.models._get_foreign_key(MfBook, MfAuthor, can_fail=True) is None

    def check(args, message):
        with pytest.raises(ValueError) as caught:
            forms.models._get_foreign_key(*args)
        assert str(caught.value) == message

    check_rows(
        [
            (
                (MfAuthor, MfPair),
                f"'{APP}.MfPair' has more than one ForeignKey to '{APP}.MfAuthor'. "
                "You must specify a 'fk_name' attribute.",
            ),
            ((MfAuthor, MfBook, "title"), f"fk_name 'title' is not a ForeignKey to '{APP}.MfAuthor'."),
            ((MfAuthor, MfBook, "nope"), f"'{APP}.MfBook' has no field named 'nope'."),
            ((MfBook, MfAuthor), f"'{APP}.MfAuthor' has no ForeignKey to '{APP}.MfBook'."),
        ],
        check,
    )


def test_inline_factory_defaults_and_a_unique_key_allows_one_child():
    formset_class = forms.inlineformset_factory(MfAuthor, MfBook, fields=["title"])
    assert issubclass(formset_class, forms.BaseInlineFormSet)
    assert (formset_class.extra, formset_class.can_delete, formset_class.max_num, formset_class.fk.name) == (
        3,
        True,
        1000,
        "author",
    )
    assert list(formset_class.form.base_fields) == ["title"]
    profile = forms.inlineformset_factory(MfAuthor, MfProfile, fields=["bio"])
    assert (profile.max_num, profile.extra, profile.absolute_max) == (1, 3, 1001)
    assert (
        forms.inlineformset_factory(MfAuthor, MfPair, fk_name="second", fields=[]).get_default_prefix()
        == "second_pairs"
    )
    assert forms.inlineformset_factory(MfAuthor, MfPair, fk_name="first", fields=[]).get_default_prefix() == ""


def test_inline_forms_carry_the_parent_as_a_hidden_key(ann_and_bob, book_inline_formset):
    ann, bob = ann_and_bob
    MfBook.objects.create(author=ann, title="B1")
    MfBook.objects.create(author=bob, title="Not Ann's")
    formset = book_inline_formset(instance=ann)
    assert formset.prefix == "mfbook_set"
    assert [form.instance.title for form in formset.initial_forms] == ["B1"]
    form = formset.forms[0]
    assert list(form.fields) == ["title", "id", "DELETE", "author"]
    key = form.fields["author"]
    assert (type(key).__name__, key.label, form["author"].value(), key.required) == (
        "InlineForeignKeyField",
        "Author",
        ann.pk,
        False,
    )
    assert formset.form._meta.fields == ["title", "author"]
    assert '<input type="hidden" name="mfbook_set-1-author" value="1" id="id_mfbook_set-1-author">' in squeeze(formset)
    labelled = forms.inlineformset_factory(MfAuthor, MfPair, fk_name="second", fields=[])(instance=ann)
    assert labelled.forms[0].fields["second"].label == "The second"


def test_inline_save_sets_the_parent_and_edits_only_its_children(ann_and_bob, book_inline_formset):
    ann, bob = ann_and_bob
    old = MfBook.objects.create(author=ann, title="Old")
    prefix = "mfbook_set"
    data = formset_data(
        {"id": str(old.pk), "title": "Renamed", "author": str(ann.pk)}, {"title": "Extra"}, initial=1, prefix=prefix
    )
    formset = book_inline_formset(data, instance=ann)
    assert [str(obj) for obj in formset.save()] == ["Renamed", "Extra"]
    assert books() == [("Ann", "Renamed"), ("Ann", "Extra")]
    data[f"{prefix}-0-DELETE"] = "on"
    data[f"{prefix}-1-title"] = ""
    formset = book_inline_formset(data, instance=ann)
    assert formset.save() == [] and [str(obj) for obj in formset.deleted_objects] == ["Renamed"]
    assert books() == [("Ann", "Extra")]
    bobs = MfBook.objects.create(author=bob, title="Bob's")
    stolen = formset_data({"id": str(bobs.pk), "title": "Stolen", "author": str(ann.pk)}, initial=1, prefix=prefix)
    formset = book_inline_formset(stolen, instance=ann)
    assert formset.is_valid() and formset.save() == []
    assert books() == [("Ann", "Extra"), ("Bob", "Bob's")]


def test_inline_key_must_be_the_parents(ann_and_bob, book_inline_formset):
    ann, bob = ann_and_bob
    book = MfBook.objects.create(author=ann, title="B1")
    data = formset_data({"id": str(book.pk), "title": "B1", "author": str(bob.pk)}, initial=1, prefix="mfbook_set")
    assert outcome(book_inline_formset(data, instance=ann)) == (
        False, [], [{"author": ["The inline value did not match the parent instance."]}],
    )  # fmt: skip


def test_inline_duplicates_name_the_fields_but_not_the_key(ann_and_bob, book_inline_formset):
    ann, _bob = ann_and_bob
    data = formset_data({"title": "T"}, {"title": "T"}, prefix="mfbook_set")
    assert outcome(book_inline_formset(data, instance=ann)) == (
        False,
        [("Please correct the duplicate data for title.", None)],
        [{}, {"__all__": ["Please correct the duplicate values below."]}],
    )
    MfBook.objects.create(author=ann, title="Taken")
    taken = formset_data({"title": "Taken"}, prefix="mfbook_set")
    assert outcome(book_inline_formset(taken, instance=ann))[2] == [
        {"__all__": ["Mf book with this Author and Title already exists."]}
    ]


def test_an_unsaved_parent_has_no_children_until_saved(db, book_inline_formset):
    parent = MfAuthor(name="Unsaved")
    formset = book_inline_formset(formset_data({"title": "T1"}, {"title": ""}, prefix="mfbook_set"), instance=parent)
    assert formset.initial_form_count() == 0 and list(book_inline_formset(instance=MfAuthor()).get_queryset()) == []
    assert formset.is_valid()
    parent.save()
    assert [str(obj) for obj in formset.save()] == ["T1"]
    assert books() == [("Unsaved", "T1")]


def test_save_as_new_copies_every_form_to_the_new_parent(ann_and_bob, book_inline_formset):
    ann, bob = ann_and_bob
    old = MfBook.objects.create(author=ann, title="Old")
    data = formset_data(
        {"id": str(old.pk), "title": "Old", "author": str(ann.pk)}, {"title": "New"}, initial=1, prefix="mfbook_set"
    )
    sent = dict(data)
    formset = book_inline_formset(data, instance=bob, save_as_new=True)
    assert formset.initial_form_count() == 0
    assert outcome(formset) == (True, [], [{}, {}])
    assert [str(obj) for obj in formset.save()] == ["Old", "New"]
    assert books() == [("Ann", "Old"), ("Bob", "Old"), ("Bob", "New")]
    assert data == sent  # the request's data is not changed (Django writes None into it)
    # A request's immutable QueryDict works the same.
    posted = QueryDict(urlencode(data))
    formset = book_inline_formset(posted, instance=MfAuthor.objects.create(name="Cy"), save_as_new=True)
    assert formset.is_valid() and [str(obj) for obj in formset.save()] == ["Old", "New"]
    assert posted.get("mfbook_set-0-id") == str(old.pk)


def test_inline_foreign_key_field_cleans_to_the_parent(ann_and_bob):
    ann, _bob = ann_and_bob
    field = forms.models.InlineForeignKeyField(ann)
    assert (field.initial, field.required, type(field.widget).__name__) == (ann.pk, False, "HiddenInput")
    assert field.clean("") is ann and field.clean(str(ann.pk)) is ann and field.clean(ann.pk) is ann
    assert forms.models.InlineForeignKeyField(ann, pk_field=True).clean(None) is None
    assert forms.models.InlineForeignKeyField(ann, to_field="name").clean("Ann") is ann
    with pytest.raises(forms.ValidationError) as caught:
        field.clean("999")
    assert (caught.value.messages, caught.value.code) == (
        ["The inline value did not match the parent instance."],
        "invalid_choice",
    )
    assert field.has_changed(ann.pk, "999") is False


# -- keys that are not a plain primary key ------------------------------------------


def test_a_child_keyed_by_its_parent(ann_and_bob):
    ann, _bob = ann_and_bob
    formset_class = forms.inlineformset_factory(MfAuthor, MfBio, fields=["text"])
    assert (formset_class.max_num, formset_class.get_default_prefix()) == (1, "mfbio")
    form = formset_class(instance=ann).forms[0]
    assert list(form.fields) == ["text", "author", "DELETE"]
    assert (type(form.fields["author"]).__name__, form.fields["author"].pk_field, form["author"].value()) == (
        "InlineForeignKeyField",
        True,
        ann.pk,
    )
    new = {"mfbio-TOTAL_FORMS": "1", "mfbio-INITIAL_FORMS": "0", "mfbio-0-text": "hello", "mfbio-0-author": ""}
    formset = formset_class(new, instance=ann)
    assert outcome(formset) == (True, [], [{}])
    formset.save()
    assert list(MfBio.objects.values_list("author__name", "text")) == [("Ann", "hello")]
    changed = {
        "mfbio-TOTAL_FORMS": "1",
        "mfbio-INITIAL_FORMS": "1",
        "mfbio-0-text": "changed",
        "mfbio-0-author": str(ann.pk),
    }
    formset = formset_class(changed, instance=ann)
    assert outcome(formset) == (True, [], [{}]) and len(formset.save()) == 1
    assert list(MfBio.objects.values_list("author__name", "text")) == [("Ann", "changed")]
    # In a plain model formset that key is a choice of the parent's objects.
    assert (
        type(forms.modelformset_factory(MfBio, fields=["text"])().forms[0].fields["author"]).__name__
        == "ModelChoiceField"
    )


def test_a_key_to_another_field_of_the_parent(ann_and_bob):
    ann, _bob = ann_and_bob
    formset_class = forms.inlineformset_factory(MfAuthor, MfReview, fields=["text"])
    assert '<input type="hidden" name="mfreview_set-0-author" value="Ann" id="id_mfreview_set-0-author">' in squeeze(
        formset_class(instance=ann)
    )
    data = {
        "mfreview_set-TOTAL_FORMS": "1",
        "mfreview_set-INITIAL_FORMS": "0",
        "mfreview_set-0-text": "good",
        "mfreview_set-0-author": "Ann",
    }
    formset = formset_class(data, instance=ann)
    assert outcome(formset) == (True, [], [{}])
    formset.save()
    assert list(MfReview.objects.values_list("author__name", "author_id", "text")) == [("Ann", "Ann", "good")]
    mismatch = [{"author": ["The inline value did not match the parent instance."]}]
    for value in ("Bob", str(ann.pk)):
        data["mfreview_set-0-author"] = value
        assert outcome(formset_class(data, instance=ann)) == (False, [], mismatch), value


def test_an_unsaved_parent_forgets_its_default_key_until_saved(db):
    formset_class = forms.inlineformset_factory(MfUuidParent, MfUuidChild, fields=["name"])
    parent = MfUuidParent(name="p")
    assert formset_class(instance=parent).forms[0]["parent"].value() is None and parent.id is None
    data = {"mfuuidchild_set-TOTAL_FORMS": "1", "mfuuidchild_set-INITIAL_FORMS": "0", "mfuuidchild_set-0-name": "kid"}
    parent = MfUuidParent(name="p2")
    formset = formset_class(data, instance=parent)
    assert outcome(formset) == (True, [], [{}])
    parent.save()
    assert parent.id is not None
    formset.save()
    assert MfUuidChild.objects.get().parent.name == "p2"
