"""The change form's form fields: the admin's widgets, related fields, raw id inputs, radio buttons, overrides."""

import pytest

from tinyframe.db import models


class FfAuthor(models.Model):
    name = models.CharField(max_length=100)

    class Meta:
        app_label = "ff_tests"

    def __str__(self):
        return self.name


class FfTag(models.Model):
    name = models.CharField(max_length=50)

    class Meta:
        app_label = "ff_tests"

    def __str__(self):
        return self.name


class FfPost(models.Model):
    title = models.CharField(max_length=100)
    body = models.TextField(blank=True)
    status = models.CharField(max_length=1, choices=[("d", "Draft"), ("p", "Published")], default="d")
    published = models.DateField(null=True, blank=True)
    author = models.ForeignKey(FfAuthor, models.CASCADE, null=True, blank=True)
    editor = models.ForeignKey(FfAuthor, models.CASCADE, null=True, blank=True, related_name="+")
    tags = models.ManyToManyField(FfTag, blank=True)

    class Meta:
        app_label = "ff_tests"


def make_admin(**options):
    from tinyframe.contrib.admin import AdminSite, ModelAdmin

    site = AdminSite()
    site.register(FfAuthor, ordering=["-name"])
    return type("PostAdmin", (ModelAdmin,), options)(FfPost, site)


def form_of(model_admin):
    from tinyframe.contrib.auth.models import User
    from tinyframe.test import RequestFactory

    request = RequestFactory().get("/")
    request.user = User(username="root", is_superuser=True, is_staff=True, is_active=True)
    return model_admin.get_form(request)()


def test_plain_fields_get_the_admins_widgets():
    from tinyframe.contrib.admin import widgets

    form = form_of(make_admin())
    assert isinstance(form.fields["title"].widget, widgets.AdminTextInputWidget)
    assert isinstance(form.fields["body"].widget, widgets.AdminTextareaWidget)
    assert isinstance(form.fields["published"].widget, widgets.AdminDateWidget)


def test_formfield_overrides_win_over_the_defaults():
    from tinyframe import forms

    form = form_of(make_admin(formfield_overrides={models.TextField: {"widget": forms.TextInput}}))
    assert type(form.fields["body"].widget) is forms.TextInput


def test_a_foreign_key_is_wrapped_and_ordered_by_the_related_admin(tables):
    from tinyframe.contrib.admin.widgets import RelatedFieldWidgetWrapper

    tables(FfAuthor)
    FfAuthor.objects.create(name="Ada")
    FfAuthor.objects.create(name="Grace")
    field = form_of(make_admin()).fields["author"]
    assert isinstance(field.widget, RelatedFieldWidgetWrapper)
    assert [str(author) for author in field.queryset] == ["Grace", "Ada"]


def test_raw_id_fields_get_a_raw_id_input():
    from tinyframe.contrib.admin.widgets import ForeignKeyRawIdWidget, ManyToManyRawIdWidget

    form = form_of(make_admin(raw_id_fields=["author", "tags"]))
    assert isinstance(form.fields["author"].widget, ForeignKeyRawIdWidget)
    assert isinstance(form.fields["tags"].widget, ManyToManyRawIdWidget)


def test_a_many_to_many_select_explains_multiple_selection():
    field = form_of(make_admin()).fields["tags"]
    assert field.help_text == "Hold down “Control”, or “Command” on a Mac, to select more than one."


def test_radio_fields_give_radio_buttons_with_a_none_choice():
    from tinyframe.contrib.admin import HORIZONTAL
    from tinyframe.contrib.admin.widgets import AdminRadioSelect

    field = form_of(make_admin(radio_fields={"status": HORIZONTAL})).fields["status"]
    assert isinstance(field.widget, AdminRadioSelect)
    assert field.widget.attrs["class"] == "radiolist inline"
    assert [value for value, _label in field.choices] == ["d", "p"]


def test_a_choices_field_without_radio_is_a_select():
    from tinyframe import forms

    assert isinstance(form_of(make_admin()).fields["status"].widget, forms.Select)


@pytest.mark.parametrize("style, css_class", [(1, "radiolist inline"), (2, "radiolist")])
def test_get_ul_class(style, css_class):
    from tinyframe.contrib.admin.options import get_ul_class

    assert get_ul_class(style) == css_class
