"""ModelForm classes: the fields derived from a model, Meta's options, and the errors of a bad Meta.

Also exercise 09.6, ``fields_for_model``. Field lists, messages and
exceptions are Django 5.2's for the same models and forms (checked once
with a scratch app); the FieldError for an unknown name adds the model's
fields as choices, as the ORM's "Cannot resolve keyword" does.
"""

import pytest

from tinyframe import forms
from tinyframe.core.exceptions import FieldError, ImproperlyConfigured
from tinyframe.db import models
from tinyframe.db.models import CASCADE, Q


class MfAuthor(models.Model):
    name = models.CharField(max_length=20)

    class Meta:
        app_label = "modelforms"

    def __str__(self):
        return self.name


class MfTag(models.Model):
    name = models.CharField(max_length=20)

    class Meta:
        app_label = "modelforms"

    def __str__(self):
        return self.name


class MfPost(models.Model):
    title = models.CharField(max_length=200)
    slug = models.SlugField(unique=True)
    tags = models.ManyToManyField(MfTag, blank=True)
    body = models.TextField(blank=True)
    rating = models.IntegerField(default=0)
    created = models.DateTimeField(auto_now_add=True)
    secret = models.CharField(max_length=20, editable=False, default="")
    author = models.ForeignKey(MfAuthor, CASCADE, null=True, blank=True)

    class Meta:
        app_label = "modelforms"


class MfLimited(models.Model):
    author = models.ForeignKey(MfAuthor, CASCADE, limit_choices_to={"name": "Bob"})

    class Meta:
        app_label = "modelforms"


# tinyframe.forms.models makes ModelForm when it loads, which needs exercise 09.1:
# these read it when a test runs, so the module loads (and its tests wait) before then.
ALL_FIELDS = "__all__"


def fields_for_model(*args, **kwargs):
    from tinyframe.forms.models import fields_for_model

    return fields_for_model(*args, **kwargs)


def model_to_dict(*args, **kwargs):
    from tinyframe.forms.models import model_to_dict

    return model_to_dict(*args, **kwargs)


def modelform_defines_fields(form_class):
    from tinyframe.forms.models import modelform_defines_fields

    return modelform_defines_fields(form_class)


def make_form(meta_attrs: dict, body: dict | None = None, base=None):
    """A ModelForm class (or a subclass of ``base``) made now, with ``Meta`` from ``meta_attrs`` and the class ``body``."""
    base = base or forms.ModelForm  # read when a test runs: with exercise 09.1 unwritten, ModelForm cannot be made
    meta = type("Meta", (), {"model": MfPost, **meta_attrs})
    return type("PostForm", (base,), {"Meta": meta, **(body or {})})


# -- the fields a ModelForm gets -----------------------------------------------------


def test_fields_lists_the_form_fields_in_its_own_order():
    form_class = make_form({"fields": ["slug", "title", "author"]})
    assert list(form_class.base_fields) == ["slug", "title", "author"]
    assert type(form_class.base_fields["author"]) is forms.ModelChoiceField


def test_all_fields_gives_every_editable_field_in_model_order():
    # The key, the auto_now_add date and the non-editable field are left out;
    # the many-to-many field keeps its place among the others, as in Django.
    form_class = make_form({"fields": ALL_FIELDS})
    assert list(form_class.base_fields) == ["title", "slug", "tags", "body", "rating", "author"]


def test_exclude_leaves_fields_out():
    form_class = make_form({"exclude": ["body", "tags"]})
    assert list(form_class.base_fields) == ["title", "slug", "rating", "author"]


def test_fields_and_exclude_together():
    form_class = make_form({"fields": ["title", "slug", "body"], "exclude": ["slug"]})
    assert list(form_class.base_fields) == ["title", "body"]


def test_a_declared_field_replaces_the_derived_one_and_extra_ones_come_last():
    body = {"title": forms.CharField(max_length=5), "agree": forms.BooleanField()}
    form_class = make_form({"fields": ["title", "slug"]}, body)
    assert list(form_class.base_fields) == ["title", "slug", "agree"]
    assert form_class.base_fields["title"].max_length == 5


def test_a_declared_field_may_be_named_in_fields_without_a_model_field():
    form_class = make_form({"fields": ["title", "agree"]}, {"agree": forms.BooleanField()})
    assert list(form_class.base_fields) == ["title", "agree"]


def test_meta_options_reach_the_form_fields():
    class Lower(forms.SlugField):
        pass

    form_class = make_form({
        "fields": ["title", "slug", "body", "rating"],
        "widgets": {"title": forms.Textarea},
        "labels": {"slug": "Address"},
        "help_texts": {"body": "Markdown"},
        "error_messages": {"title": {"required": "A title, please."}},
        "field_classes": {"slug": Lower},
        "localized_fields": ["rating"],
    })  # fmt: skip
    fields = form_class.base_fields
    assert type(fields["title"].widget) is forms.Textarea
    assert fields["title"].error_messages["required"] == "A title, please."
    assert (type(fields["slug"]), fields["slug"].label) == (Lower, "Address")
    assert fields["body"].help_text == "Markdown"
    assert fields["rating"].localize is True and fields["body"].localize is False


def test_localized_fields_all():
    form_class = make_form({"fields": ["title", "rating"], "localized_fields": ALL_FIELDS})
    assert all(field.localize for field in form_class.base_fields.values())


def test_formfield_callback_in_meta_makes_each_field():
    def everything_optional(model_field, **kwargs):
        return model_field.formfield(required=False, **kwargs)

    form_class = make_form({"fields": ["title", "slug"], "formfield_callback": everything_optional})
    assert [field.required for field in form_class.base_fields.values()] == [False, False]


def test_a_subclass_inherits_meta_and_the_declared_fields():
    parent = make_form({"fields": ["title"]}, {"agree": forms.BooleanField()})

    class Child(parent):
        extra = forms.CharField()

    assert list(Child.base_fields) == ["title", "agree", "extra"]


def test_a_modelform_without_a_model_is_a_plain_form_that_cannot_be_made():
    class Plain(forms.ModelForm):
        name = forms.CharField()

    assert list(Plain.base_fields) == ["name"]
    with pytest.raises(ValueError) as caught:
        Plain()
    assert str(caught.value) == "ModelForm has no model class specified."


def test_modelform_defines_fields():
    assert modelform_defines_fields(make_form({"fields": ["title"]})) is True
    assert modelform_defines_fields(make_form({"exclude": ["title"]})) is True
    assert modelform_defines_fields(forms.Form) is False


# -- a bad Meta is an error when the class is made --------------------------------------


def test_an_unknown_field_name_is_a_field_error_naming_the_choices():
    with pytest.raises(FieldError) as caught:
        make_form({"fields": ["title", "nmae", "sulg"]})
    assert str(caught.value) == (
        "Unknown field(s) (nmae, sulg) specified for MfPost. Choices are: title, slug, tags, body, rating, author"
    )


def test_an_unknown_field_name_suggests_the_closest():
    with pytest.raises(FieldError) as caught:
        make_form({"fields": ["tittle"]})
    assert caught.value.__notes__ == ["Did you mean 'title'?"]


def test_a_non_editable_field_in_fields_is_a_field_error():
    with pytest.raises(FieldError) as caught:
        make_form({"fields": ["title", "secret"]})
    assert str(caught.value) == "'secret' cannot be specified for MfPost model form as it is a non-editable field"


def test_neither_fields_nor_exclude_is_improperly_configured():
    with pytest.raises(ImproperlyConfigured) as caught:
        make_form({})
    assert str(caught.value) == (
        "Creating a ModelForm without either the 'fields' attribute or the 'exclude' attribute is prohibited; "
        "form PostForm needs updating."
    )


@pytest.mark.parametrize("option", ["fields", "exclude", "localized_fields"])
def test_a_string_where_a_list_belongs_is_a_type_error(option):
    meta = {"fields": ALL_FIELDS, option: "title"}
    with pytest.raises(TypeError) as caught:
        make_form(meta)
    assert str(caught.value) == f"PostForm.Meta.{option} cannot be a string. Did you mean to type: ('title',)?"


# -- modelform_factory ---------------------------------------------------------------


def test_modelform_factory_makes_a_named_form_class():
    form_class = forms.modelform_factory(MfPost, fields=["title", "slug"], labels={"title": "Heading"})
    assert form_class.__name__ == "MfPostForm" and issubclass(form_class, forms.ModelForm)
    assert list(form_class.base_fields) == ["title", "slug"]
    assert form_class.base_fields["title"].label == "Heading"


def test_modelform_factory_inherits_the_forms_meta_and_takes_a_callback():
    parent = make_form({"fields": ["title"], "labels": {"title": "Heading"}})

    def optional(model_field, **kwargs):
        return model_field.formfield(required=False, **kwargs)

    form_class = forms.modelform_factory(MfPost, form=parent, formfield_callback=optional)
    assert list(form_class.base_fields) == ["title"]
    assert (form_class.base_fields["title"].label, form_class.base_fields["title"].required) == ("Heading", False)


def test_modelform_factory_without_fields_is_improperly_configured():
    with pytest.raises(ImproperlyConfigured) as caught:
        forms.modelform_factory(MfPost)
    assert str(caught.value) == (
        "Calling modelform_factory without defining 'fields' or 'exclude' explicitly is prohibited."
    )


# -- model_to_dict -------------------------------------------------------------------


def test_model_to_dict_gives_the_editable_values(tables):
    tables(MfAuthor, MfTag, MfPost)
    ada = MfAuthor.objects.create(name="Ada")
    post = MfPost.objects.create(title="T", slug="t", author=ada, secret="s")
    tag = MfTag.objects.create(name="x")
    post.tags.add(tag)
    assert model_to_dict(post) == {
        "id": post.pk, "title": "T", "slug": "t", "body": "", "rating": 0, "author": ada.pk, "tags": [tag],
    }  # fmt: skip
    assert model_to_dict(post, fields=["title", "tags", "secret"]) == {"title": "T", "tags": [tag]}
    assert model_to_dict(post, fields=["title", "slug"], exclude=["slug"]) == {"title": "T"}


# -- exercise 09.6: fields_for_model ---------------------------------------------------------


@pytest.mark.exercise("09.6")
def test_fields_for_model_gives_every_editable_field_in_declaration_order():
    fields = fields_for_model(MfPost)
    assert list(fields) == ["title", "slug", "tags", "body", "rating", "author"], (
        "fields_for_model(MfPost) should give the editable fields in the model's order, the many-to-many "
        "field in its place, without the automatic key, the auto_now_add date or the non-editable field"
    )
    assert type(fields["title"]) is forms.CharField and fields["title"].max_length == 200
    assert type(fields["tags"]) is forms.ModelMultipleChoiceField


@pytest.mark.exercise("09.6")
def test_fields_for_model_keeps_the_order_of_fields_and_honours_exclude():
    assert list(fields_for_model(MfPost, fields=["slug", "title"])) == ["slug", "title"]
    assert list(fields_for_model(MfPost, exclude=["tags", "body"])) == ["title", "slug", "rating", "author"]
    assert list(fields_for_model(MfPost, fields=["slug", "title", "body"], exclude=["title"])) == ["slug", "body"]


@pytest.mark.exercise("09.6")
def test_fields_for_model_gives_none_for_a_name_the_model_does_not_have():
    assert fields_for_model(MfPost, fields=["title", "nope"])["nope"] is None


@pytest.mark.exercise("09.6")
def test_fields_for_model_refuses_a_non_editable_field_named_in_fields():
    with pytest.raises(FieldError) as caught:
        fields_for_model(MfPost, fields=["title", "created"])
    assert str(caught.value) == "'created' cannot be specified for MfPost model form as it is a non-editable field"
    # Named in fields and in exclude: excluded, so no error.
    assert list(fields_for_model(MfPost, fields=["title", "created"], exclude=["created"])) == ["title"]


@pytest.mark.exercise("09.6")
def test_fields_for_model_passes_the_per_field_options():
    fields = fields_for_model(
        MfPost,
        fields=["title", "slug", "body", "rating"],
        widgets={"title": forms.Textarea},
        labels={"slug": "Address"},
        help_texts={"body": "Markdown"},
        error_messages={"rating": {"invalid": "A number!"}},
        field_classes={"title": forms.SlugField},
        localized_fields=["rating"],
    )
    assert type(fields["title"].widget) is forms.Textarea
    assert type(fields["title"]) is forms.SlugField and fields["slug"].label == "Address"
    assert fields["body"].help_text == "Markdown"
    assert fields["rating"].error_messages["invalid"] == "A number!"
    assert fields["rating"].localize is True, "localized_fields=['rating']: the rating field gets localize=True"
    assert fields["title"].localize is False, "localized_fields=['rating']: the title field is not localized"
    assert all(field.localize for field in fields_for_model(MfPost, localized_fields=ALL_FIELDS).values())


@pytest.mark.exercise("09.6")
def test_fields_for_model_uses_the_declared_fields_as_they_are():
    declared = forms.CharField(max_length=3)
    fields = fields_for_model(MfPost, fields=["title", "slug"], form_declared_fields={"title": declared})
    assert fields["title"] is declared and fields["slug"].max_length == 50


@pytest.mark.exercise("09.6")
def test_fields_for_model_calls_the_formfield_callback():
    seen = []

    def callback(model_field, **kwargs):
        seen.append((model_field.name, kwargs))
        return None if model_field.name == "body" else forms.CharField(**kwargs)

    fields = fields_for_model(MfPost, fields=["title", "body"], labels={"title": "T"}, formfield_callback=callback)
    assert seen == [("title", {"label": "T"}), ("body", {})]
    # A field the callback gives None for is left out, also from the order of fields.
    assert list(fields) == ["title"] and type(fields["title"]) is forms.CharField


@pytest.mark.exercise("09.6")
def test_fields_for_model_refuses_a_callback_that_cannot_be_called():
    with pytest.raises(TypeError) as caught:
        fields_for_model(MfPost, formfield_callback="not a function")
    assert str(caught.value) == "formfield_callback must be a function or callable"


@pytest.mark.exercise("09.6")
def test_fields_for_model_applies_limit_choices_to_unless_told_not_to(tables):
    tables(MfAuthor)
    MfAuthor.objects.create(name="Ada")
    MfAuthor.objects.create(name="Bob")
    limited = fields_for_model(MfLimited)["author"]
    assert [label for _, label in limited.choices] == ["---------", "Bob"]
    unlimited = fields_for_model(MfLimited, apply_limit_choices_to=False)["author"]
    assert [label for _, label in unlimited.choices] == ["---------", "Ada", "Bob"]


def test_radio_buttons_for_a_key_offer_none_only_when_the_model_allows_blank(tables):
    tables(MfAuthor)
    MfAuthor.objects.create(name="Ada")
    form_class = forms.modelform_factory(MfPost, fields=["author"], widgets={"author": forms.RadioSelect})
    # MfPost.author is blank=True: "---------" stays; MfLimited.author is required: no empty radio button.
    assert form_class().fields["author"].empty_label == "---------"
    limited = forms.modelform_factory(MfLimited, fields=["author"], widgets={"author": forms.RadioSelect})
    assert limited().fields["author"].empty_label is None


def test_a_limit_may_be_a_q_object(tables):
    tables(MfAuthor)
    for name in ("Ada", "Al", "Bob"):
        MfAuthor.objects.create(name=name)
    field = forms.ModelChoiceField(MfAuthor.objects.all(), limit_choices_to=Q(name__startswith="A") & ~Q(name="Al"))
    forms.models.apply_limit_choices_to_to_formfield(field)
    assert [label for _, label in field.choices] == ["---------", "Ada"]
