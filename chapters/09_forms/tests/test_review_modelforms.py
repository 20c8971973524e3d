"""A review of ModelForms, model formsets and their fields against Django 5.2, side by side.

The same models, data and calls were run through Django 5.2 (a scratch app
on an in-memory SQLite database) and through tinyframe, and every answer
compared: the derived fields, the errors, the rows written, the formsets'
counts and HTML, the editing views' responses. These tests keep the answers
that no other test of the chapter pins down; each says what Django gives.
"""

import uuid

import pytest

from tinyframe.core.exceptions import NON_FIELD_ERRORS, ValidationError
from tinyframe.db import models
from tinyframe.db.models import CASCADE

APP = "review_modelforms"


def new_uuid():
    return uuid.UUID("12345678-1234-5678-1234-567812345678")


class RvTag(models.Model):
    name = models.CharField(max_length=20)

    class Meta:
        app_label = APP

    def __str__(self):
        return self.name


class RvItem(models.Model):
    title = models.CharField(max_length=30)
    num = models.IntegerField(default=3)
    flag = models.BooleanField(default=True)
    flag_null = models.BooleanField(null=True)
    status = models.CharField(max_length=1, choices=[("d", "Draft"), ("p", "Published")], default="d")
    uid = models.UUIDField(default=new_uuid)
    tags = models.ManyToManyField(RvTag, blank=True)

    class Meta:
        app_label = APP

    def clean(self):
        if self.title == "bad":
            raise ValidationError({"title": ValidationError("Title is bad.", code="bad")})
        if self.title == "nonfield":
            raise ValidationError("Whole thing is wrong.", code="wrong")


class RvUniq(models.Model):
    a = models.CharField(max_length=5)
    b = models.IntegerField()
    c = models.CharField(max_length=5, blank=True)
    d = models.IntegerField(null=True, blank=True)
    e = models.CharField(max_length=5, unique=True, null=True, blank=True)

    class Meta:
        app_label = APP
        unique_together = [("a", "b")]
        constraints = [models.UniqueConstraint(fields=["c", "d"], name="review_uniq_cd")]


def model_forms():
    """tinyframe.forms.models, read when a test runs (a ModelForm class needs exercise 09.6)."""
    from tinyframe.forms import models as model_forms

    return model_forms


def item_form(fields="__all__", **meta):
    module = model_forms()
    attrs = {"model": RvItem, "fields": fields, **meta}
    return type("RvItemForm", (module.ModelForm,), {"Meta": type("Meta", (), attrs)}), module


def errors(form) -> dict:
    return {name: [(e.code, e.messages[0]) for e in found] for name, found in form.errors.as_data().items()}


# --- the model's clean() and Meta.error_messages ------------------------------------------------------


def test_meta_error_messages_replace_the_message_of_a_model_clean_error_by_its_code(tables):
    # Django 5.2: a model clean() error whose code has a message in Meta.error_messages (for its
    # field, or for NON_FIELD_ERRORS) shows that message instead.
    tables(RvTag, RvItem)
    form_class, _ = item_form(
        fields=["title", "num"],
        error_messages={"title": {"bad": "Not that title."}, NON_FIELD_ERRORS: {"wrong": "Not like that."}},
    )
    form = form_class({"title": "bad", "num": "1"})
    assert not form.is_valid()
    assert errors(form) == {"title": [("bad", "Not that title.")]}
    form = form_class({"title": "nonfield", "num": "1"})
    assert not form.is_valid()
    assert errors(form) == {NON_FIELD_ERRORS: [("wrong", "Not like that.")]}
    assert RvItem.objects.count() == 0


def test_a_model_clean_error_for_a_field_the_form_leaves_out_is_a_value_error(tables):
    # Django 5.2: full_clean() does not exclude a field from clean(), so its error is added to a
    # form that has no such field: ValueError "'RvItemForm' has no field named 'title'."
    tables(RvTag, RvItem)
    form_class, _ = item_form(fields=["num"])
    form = form_class({"num": "1"}, instance=RvItem(title="bad"))
    with pytest.raises(ValueError, match=r"^'RvItemForm' has no field named 'title'\.$"):
        form.is_valid()
    # A non-field error is fine.
    form = form_class({"num": "1"}, instance=RvItem(title="nonfield"))
    assert not form.is_valid()
    assert errors(form) == {NON_FIELD_ERRORS: [("wrong", "Whole thing is wrong.")]}


# --- construct_instance: what a form that is not given a field does to the instance -------------------


def test_construct_instance_keeps_a_default_left_out_of_the_data_but_an_unticked_box_is_false(tables):
    # Django 5.2: a field with a model default that the data omits keeps the instance's value
    # (value_omitted_from_data), except a checkbox: an unticked box is never sent, so it is False.
    # Sent empty, the field is not omitted: its cleaned None is copied.
    tables(RvTag, RvItem)
    module = model_forms()
    from tinyframe import forms

    class ItemForm(module.ModelForm):
        num = forms.IntegerField(required=False)

        class Meta:
            model = RvItem
            fields = ["title", "num", "flag", "flag_null", "status"]

    form = ItemForm({"title": "t", "status": "p"})
    assert form.is_valid(), form.errors
    item = module.construct_instance(form, RvItem(num=9, flag=True, flag_null=True, status="d"))
    assert (item.title, item.num, item.flag, item.flag_null, item.status) == ("t", 9, False, None, "p")
    form = ItemForm({"title": "t", "num": "", "status": "p"})
    assert form.is_valid(), form.errors
    assert module.construct_instance(form, RvItem(num=9)).num is None
    # fields= limits what is copied; a many-to-many field is never set here.
    item = module.construct_instance(form, RvItem(title="old", num=9), fields=["num", "tags"])
    assert (item.title, item.num) == ("old", None)


def test_an_invalid_form_still_copies_its_valid_values_onto_the_instance_but_writes_nothing(tables):
    # Django 5.2: _post_clean() runs construct_instance() before model validation, so the
    # instance in memory takes the cleaned values even when the form is invalid; the row does not.
    tables(RvTag, RvItem)
    item = RvItem.objects.create(title="keep", num=3)
    form_class, _ = item_form(fields=["title", "num"])
    form = form_class({"title": "", "num": "7"}, instance=item)
    assert not form.is_valid()
    assert (item.num, RvItem.objects.get(pk=item.pk).num) == (7, 3)
    with pytest.raises(ValueError, match=r"^The RvItem could not be changed because the data didn't validate\.$"):
        form.save()
    assert RvItem.objects.get(pk=item.pk).title == "keep"


# --- a callable default: the hidden initial value -----------------------------------------------------


def test_a_callable_default_has_changed_only_against_the_hidden_initial_value(tables):
    # Django 5.2: a callable default gives show_hidden_initial=True; has_changed() compares the
    # submitted value with "initial-<name>" from the data, not with a new call of the default.
    tables(RvTag, RvItem)
    form_class, _ = item_form(fields=["uid", "title"])
    shown = str(new_uuid())
    same = form_class({"uid": shown, "initial-uid": shown, "title": ""})
    assert (same.has_changed(), same.changed_data) == (False, [])
    other = form_class({"uid": shown, "initial-uid": "aaaaaaaa-1234-5678-1234-567812345678", "title": ""})
    assert (other.has_changed(), other.changed_data) == (True, ["uid"])
    html = str(form_class()["uid"])
    assert f'<input type="hidden" name="initial-uid" value="{shown}" id="initial-id_uid">' in html


# --- model choice fields and hostile keys -------------------------------------------------------------


def test_a_key_too_large_for_the_database_is_an_invalid_choice(tables):
    # Django 5.2 with SQLite: ModelChoiceField answers "Select a valid choice. That choice is not
    # one of the available choices." (invalid_choice); ModelMultipleChoiceField lets SQLite's
    # OverflowError out (a 500). tinyframe gives the clear error in both (a deliberate difference).
    tables(RvTag, RvItem)
    RvTag.objects.create(name="tea")
    module = model_forms()
    huge = "9" * 25
    with pytest.raises(ValidationError) as caught:
        module.ModelChoiceField(RvTag.objects.all()).clean(huge)
    assert [(e.code, e.messages[0]) for e in caught.value.error_list] == [
        ("invalid_choice", "Select a valid choice. That choice is not one of the available choices."),
    ]
    with pytest.raises(ValidationError) as caught:
        module.ModelMultipleChoiceField(RvTag.objects.all()).clean(["1", huge])
    assert [(e.code, e.messages[0]) for e in caught.value.error_list] == [
        ("invalid_choice", f"Select a valid choice. {huge} is not one of the available choices."),
    ]


# --- model formsets: every kind of uniqueness across the forms ----------------------------------------


def management(prefix: str, total: int, initial: int = 0) -> dict:
    return {f"{prefix}-TOTAL_FORMS": str(total), f"{prefix}-INITIAL_FORMS": str(initial)}


def test_a_model_formset_reports_unique_unique_together_and_unique_constraints_across_forms(tables):
    # Django 5.2: one message per broken check, each once; the second form gets "Please correct the
    # duplicate values below." (Django walks a set of checks, so their order varies run to run).
    tables(RvUniq)
    module = model_forms()
    formset_class = module.modelformset_factory(RvUniq, fields="__all__", extra=0)
    data = management("form", 2)
    for index in range(2):
        data.update({f"form-{index}-{name}": value for name, value in {"a": "m", "b": "1", "c": "k", "d": "2", "e": "zz"}.items()})
    formset = formset_class(data, queryset=RvUniq.objects.none())
    assert not formset.is_valid()
    assert sorted(formset.non_form_errors()) == [
        "Please correct the duplicate data for a and b, which must be unique.",
        "Please correct the duplicate data for c and d, which must be unique.",
        "Please correct the duplicate data for e.",
    ]
    assert [dict(form.errors) for form in formset.forms] == [{}, {NON_FIELD_ERRORS: ["Please correct the duplicate values below."]}]
    assert RvUniq.objects.count() == 0


def test_empty_values_never_clash_in_a_model_formset(tables):
    # Django 5.2: a check with an empty value (None, or "" on a CharField that is null) is skipped.
    tables(RvUniq)
    module = model_forms()
    formset_class = module.modelformset_factory(RvUniq, fields="__all__", extra=0)
    data = management("form", 2)
    for index, a in enumerate("mn"):
        data.update({f"form-{index}-{name}": value for name, value in {"a": a, "b": "1", "c": "", "d": "", "e": ""}.items()})
    formset = formset_class(data, queryset=RvUniq.objects.none())
    assert formset.is_valid(), (formset.errors, formset.non_form_errors())
    formset.save()
    assert list(RvUniq.objects.order_by("a").values_list("a", "c", "d", "e")) == [("m", "", None, None), ("n", "", None, None)]
