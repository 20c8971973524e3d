"""ModelForm validation and saving: the model's checks on is_valid(), nothing written until save().

Every message, code and outcome is Django 5.2's for the same model, form
and data (checked once with a scratch app). The tests that fail validation
start with rows in the table and check that they are still as they were.
"""

import pytest

from tinyframe import forms
from tinyframe.core.exceptions import NON_FIELD_ERRORS, ValidationError
from tinyframe.db import models
from tinyframe.db.models import CASCADE
from tinyframe.http import QueryDict

INVALID_SLUG = "Enter a valid “slug” consisting of letters, numbers, underscores or hyphens."


class MvAuthor(models.Model):
    name = models.CharField(max_length=20)

    class Meta:
        app_label = "modelforms_validation"

    def __str__(self):
        return self.name


class MvTag(models.Model):
    name = models.CharField(max_length=20)

    class Meta:
        app_label = "modelforms_validation"

    def __str__(self):
        return self.name


class MvPost(models.Model):
    title = models.CharField(max_length=50)
    slug = models.SlugField(unique=True)
    body = models.TextField(blank=True, default="(empty)")
    status = models.CharField(max_length=1, choices=[("d", "Draft"), ("p", "Published")], default="d")
    featured = models.BooleanField(default=True)
    author = models.ForeignKey(MvAuthor, CASCADE, limit_choices_to={"name__startswith": "A"})
    tags = models.ManyToManyField(MvTag, blank=True)

    class Meta:
        app_label = "modelforms_validation"
        unique_together = [("title", "author")]

    def clean(self):
        if self.title == "forbidden":
            raise ValidationError({"title": "That title is forbidden."})
        if self.title and self.title == self.body:
            raise ValidationError("The body must say more than the title.", code="repeated")


def post_form():
    """The form most tests use, made when a test runs: a ModelForm class needs exercise 09.6 to exist."""

    class PostForm(forms.ModelForm):
        class Meta:
            model = MvPost
            fields = ["title", "slug", "body", "status", "featured", "author", "tags"]

    return PostForm


@pytest.fixture
def rows(tables):
    """Ada (pk 1) and Bob (pk 2), tags t1 and t2, and one post, "Old", by Ada."""
    tables(MvAuthor, MvTag, MvPost)
    ada = MvAuthor.objects.create(name="Ada")
    MvAuthor.objects.create(name="Bob")
    MvTag.objects.create(name="t1")
    MvTag.objects.create(name="t2")
    return MvPost.objects.create(title="Old", slug="old", body="b", author=ada)


def post_data(**changes) -> QueryDict:
    """A valid submission, as a browser sends it; a change of None leaves that key out."""
    values = {"title": "New", "slug": "new", "body": "text", "status": "p", "featured": "on", "author": "1",
              "tags": ["1", "2"], **changes}  # fmt: skip
    data = QueryDict(mutable=True)
    for key, value in values.items():
        if isinstance(value, list):
            data.setlist(key, value)
        elif value is not None:
            data[key] = value
    return data


def errors_of(form) -> dict:
    """``{field: [(message, code), ...]}``: what a visitor reads, and the code a program checks."""
    return {
        name: [(error.message % error.params if error.params else error.message, error.code) for error in errors]
        for name, errors in form.errors.as_data().items()
    }


def table_rows() -> list:
    return list(MvPost.objects.order_by("pk").values_list("title", "slug", "body", "author_id"))


# -- validation hands over to the model -------------------------------------------------------

FAILURES = [
    ({"slug": "old"}, {"slug": [("Mv post with this Slug already exists.", "unique")]}),
    ({"title": "Old"}, {NON_FIELD_ERRORS: [("Mv post with this Title and Author already exists.", "unique_together")]}),
    ({"title": "forbidden"}, {"title": [("That title is forbidden.", None)]}),
    ({"title": "same", "body": "same"}, {NON_FIELD_ERRORS: [("The body must say more than the title.", "repeated")]}),
    ({"slug": "bad slug!"}, {"slug": [(INVALID_SLUG, "invalid")]}),
    ({"author": "2"}, {"author": [("Select a valid choice. That choice is not one of the available choices.",
                                   "invalid_choice")]}),
    ({"author": "99"}, {"author": [("Select a valid choice. That choice is not one of the available choices.",
                                    "invalid_choice")]}),
    ({"status": "x"}, {"status": [("Select a valid choice. x is not one of the available choices.",
                                   "invalid_choice")]}),
    ({"tags": ["1", "99"]}, {"tags": [("Select a valid choice. 99 is not one of the available choices.",
                                       "invalid_choice")]}),
    ({"title": ""}, {"title": [("This field is required.", "required")]}),
]  # fmt: skip


@pytest.mark.parametrize(("changes", "expected"), FAILURES)
def test_an_invalid_form_has_djangos_errors_and_writes_nothing(rows, changes, expected):
    before = table_rows()
    form = post_form()(post_data(**changes))
    assert form.is_valid() is False
    assert errors_of(form) == expected
    assert table_rows() == before, "a ModelForm that fails validation must not write to the table"
    assert MvPost.tags.through.objects.count() == 0


def test_a_field_that_failed_the_form_is_not_checked_again_by_the_model(rows):
    # "bad slug!" fails the form's SlugField; the model's slug validator is not run on it a second time.
    form = post_form()(post_data(slug="bad slug!"))
    assert [message for message, _ in errors_of(form)["slug"]] == [INVALID_SLUG]


def test_editing_an_instance_does_not_clash_with_itself(rows):
    form = post_form()(post_data(slug="old", title="Changed"), instance=rows)
    assert form.is_valid(), form.errors
    form.save()
    assert table_rows() == [("Changed", "old", "text", 1)]


def test_editing_an_instance_into_anothers_slug_fails_and_keeps_both_rows(rows):
    other = MvPost.objects.create(title="Other", slug="other", author=rows.author)
    before = table_rows()
    form = post_form()(post_data(slug="old", title="Changed"), instance=other)
    assert errors_of(form) == {"slug": [("Mv post with this Slug already exists.", "unique")]}
    assert table_rows() == before


def test_meta_error_messages_reword_the_models_errors(rows):
    PostForm = post_form()

    class WordedForm(PostForm):
        class Meta(PostForm.Meta):
            error_messages = {"slug": {"unique": "Taken."}, NON_FIELD_ERRORS: {"unique_together": "Already have it."}}

    form = WordedForm(post_data(slug="old", title="Old"))
    assert errors_of(form) == {
        NON_FIELD_ERRORS: [("Already have it.", "unique_together")],
        "slug": [("Taken.", "unique")],
    }


def test_a_clean_that_skips_super_skips_the_unique_checks(rows):
    # As in Django: BaseModelForm.clean() is what switches the unique checks on.
    class NoSuperForm(post_form()):
        def clean(self):
            return self.cleaned_data

    assert NoSuperForm(post_data(slug="old")).is_valid() is True


def test_fields_not_on_the_form_are_left_to_the_program(rows):
    class TitleForm(forms.ModelForm):
        class Meta:
            model = MvPost
            fields = ["title", "slug"]

    # The author is required by the model, but not on the form: the program sets it.
    form = TitleForm({"title": "N", "slug": "narrow"})
    assert form.is_valid(), form.errors
    post = form.save(commit=False)
    post.author = rows.author
    post.save()
    assert table_rows()[-1] == ("N", "narrow", "(empty)", 1)


def test_a_model_error_for_a_field_the_form_lacks_is_a_value_error(rows):
    class SlugOnlyForm(forms.ModelForm):
        class Meta:
            model = MvPost
            fields = ["slug"]

    form = SlugOnlyForm({"slug": "fine"}, instance=MvPost(title="forbidden", author=rows.author))
    with pytest.raises(ValueError) as caught:
        form.is_valid()
    assert str(caught.value) == "'SlugOnlyForm' has no field named 'title'."


# -- saving ------------------------------------------------------------------------


def test_a_valid_form_saves_the_row_and_its_many_to_many(rows):
    form = post_form()(post_data())
    assert form.is_valid(), form.errors
    post = form.save()
    assert post.pk is not None
    assert table_rows()[-1] == ("New", "new", "text", 1)
    assert [tag.name for tag in post.tags.order_by("name")] == ["t1", "t2"]
    assert (post.status, post.featured) == ("p", True)


def test_commit_false_writes_nothing_until_the_caller_saves(rows):
    before = table_rows()
    form = post_form()(post_data())
    post = form.save(commit=False)
    assert post.pk is None and table_rows() == before
    assert MvPost.tags.through.objects.count() == 0
    post.save()
    form.save_m2m()
    assert [tag.name for tag in post.tags.order_by("name")] == ["t1", "t2"]


def test_saving_an_invalid_form_is_a_value_error(rows):
    with pytest.raises(ValueError) as caught:
        post_form()(post_data(slug="old")).save()
    assert str(caught.value) == "The MvPost could not be created because the data didn't validate."
    with pytest.raises(ValueError) as caught:
        post_form()(post_data(slug="bad slug!"), instance=rows).save()
    assert str(caught.value) == "The MvPost could not be changed because the data didn't validate."
    assert table_rows() == [("Old", "old", "b", 1)]


def test_a_field_left_out_of_the_data_keeps_its_default_but_an_unticked_box_is_false(rows):
    form = post_form()(post_data(body=None, featured=None))
    post = form.save()
    assert (post.body, post.featured) == ("(empty)", False)


def test_a_many_to_many_left_empty_clears_the_relation(rows):
    post = post_form()(post_data()).save()
    form = post_form()(post_data(tags=[]), instance=post)
    form.save()
    assert list(post.tags.all()) == []


# -- the instance as the form's initial values ------------------------------------------------


def test_an_instances_values_are_the_initial_ones_and_initial_wins(rows):
    rows.tags.set(MvTag.objects.filter(name="t1"))
    form = post_form()(instance=rows, initial={"title": "Init"})
    assert form["title"].value() == "Init"
    assert (form["slug"].value(), form["author"].value(), form["tags"].value()) == ("old", 1, [1])


def test_data_equal_to_the_instance_has_not_changed(rows):
    rows.tags.set(MvTag.objects.filter(name="t1"))
    unchanged = post_data(title="Old", slug="old", body="b", status="d", tags=["1"])
    form = post_form()(unchanged, instance=rows)
    assert (form.has_changed(), form.changed_data) == (False, [])
    unchanged.pop("featured")  # the box unticked
    assert post_form()(unchanged, instance=rows).changed_data == ["featured"]


def test_a_form_without_an_instance_edits_a_new_one():
    form = post_form()()
    assert isinstance(form.instance, MvPost) and form.instance.pk is None


def test_limit_choices_to_is_applied_to_each_form(rows):
    form = post_form()()
    assert [label for _, label in form.fields["author"].choices] == ["---------", "Ada"]
    # The class keeps the whole queryset: a callable limit is evaluated per form.
    assert [label for _, label in post_form().base_fields["author"].choices] == ["---------", "Ada", "Bob"]


def test_a_callable_limit_is_called_for_each_form(rows):
    allowed = ["Ada"]

    class CallableLimit(models.Model):
        author = models.ForeignKey(MvAuthor, CASCADE, limit_choices_to=lambda: {"name__in": allowed})

        class Meta:
            app_label = "modelforms_validation"

    form_class = forms.modelform_factory(CallableLimit, fields=["author"])
    assert [label for _, label in form_class().fields["author"].choices] == ["---------", "Ada"]
    allowed.append("Bob")
    assert [label for _, label in form_class().fields["author"].choices] == ["---------", "Ada", "Bob"]


# -- rendering ---------------------------------------------------------------------------


def test_a_model_form_renders_its_derived_fields(rows):
    html = str(post_form()(instance=rows))
    assert '<input type="text" name="title" value="Old" maxlength="50" required id="id_title">' in html
    assert '<textarea name="body" cols="40" rows="10" id="id_body">' in html
    assert '<option value="d" selected>Draft</option>' in html
    assert '<input type="checkbox" name="featured" id="id_featured" checked>' in html
    assert '<select name="author" required id="id_author">' in html
    assert '<option value="1" selected>Ada</option>' in html and "Bob" not in html
    assert '<select name="tags" id="id_tags" multiple>' in html


def test_hostile_input_comes_back_escaped(rows):
    form = post_form()(post_data(title="<script>alert(1)</script>", slug="<b>"))
    html = str(form)
    assert "<script>" not in html and "<b>" not in html
    assert 'value="&lt;script&gt;alert(1)&lt;/script&gt;"' in html
    assert 'value="&lt;b&gt;"' in html
    assert table_rows() == [("Old", "old", "b", 1)]


# -- declared fields the model does not validate ------------------------------------------------


def test_declared_fields_outside_meta_fields_are_neither_validated_nor_saved_by_the_model(rows):
    class DeclaredForm(forms.ModelForm):
        title = forms.CharField(required=False)
        body = forms.CharField()
        tags = forms.CharField(required=False)

        class Meta:
            model = MvPost
            fields = ["title", "slug", "author"]

    # title is optional on the form but not blank in the model: left to the program, no "blank" error.
    form = DeclaredForm({"title": "", "slug": "d", "author": "1", "body": "same", "tags": "x"})
    assert form.is_valid(), form.errors
    post = form.save(commit=False)
    assert (post.title, post.body) == ("", "(empty)")
    post.title = "Set by the program"
    post.save()
    form.save_m2m()  # the declared "tags" is not the model's: left alone
    assert list(post.tags.all()) == []


def test_declared_fields_in_meta_exclude_are_neither_validated_nor_saved(rows):
    class ExcludingForm(forms.ModelForm):
        body = forms.CharField()
        tags = forms.CharField(required=False)

        class Meta:
            model = MvPost
            exclude = ["body", "tags", "featured", "status"]

    form = ExcludingForm({"title": "E", "slug": "e", "author": "1", "body": "E", "tags": "x"})
    assert form.is_valid(), form.errors
    post = form.save()
    assert (post.body, list(post.tags.all())) == ("(empty)", [])


class RefusingCharField(models.CharField):
    def save_form_data(self, instance, data):
        if data == "refused":
            raise ValidationError("Cannot take that title.", code="refused")
        super().save_form_data(instance, data)


class MvNote(models.Model):
    title = RefusingCharField(max_length=20)
    slug = models.SlugField()

    class Meta:
        app_label = "modelforms_validation"


def test_an_error_while_building_the_instance_is_the_forms_error(tables):
    tables(MvNote)
    form = forms.modelform_factory(MvNote, fields=["title", "slug"])({"title": "refused", "slug": "s"})
    # As in Django: the instance is left half built, and the model then finds title and slug blank.
    assert errors_of(form) == {
        NON_FIELD_ERRORS: [("Cannot take that title.", "refused")],
        "title": [("This field cannot be blank.", "blank")],
        "slug": [("This field cannot be blank.", "blank")],
    }
    assert MvNote.objects.count() == 0
