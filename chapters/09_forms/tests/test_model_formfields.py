"""Model fields' form fields: ``model_field.formfield()``, ``save_form_data`` and ``get_choices``.

Every expected class, widget and argument is what Django 5.2 gives for the
same model field (checked once with a scratch app).
"""

import datetime
import decimal
import uuid

import pytest

from tinyframe import forms
from tinyframe.db import models
from tinyframe.db.models import CASCADE, SET_NULL


def untitled():
    return "Untitled"


class FfAuthor(models.Model):
    name = models.CharField(max_length=100)
    email = models.EmailField(unique=True, blank=True, null=True)

    class Meta:
        app_label = "model_formfields"

    def __str__(self):
        return self.name


class FfTag(models.Model):
    name = models.CharField(max_length=30, unique=True)

    class Meta:
        app_label = "model_formfields"

    def __str__(self):
        return self.name


class FfPost(models.Model):
    STATUS = [("d", "Draft"), ("p", "Published")]
    title = models.CharField(max_length=200, default=untitled)
    slug = models.SlugField(unique=True)
    body = models.TextField(blank=True, help_text="Markdown")
    status = models.CharField(max_length=1, choices=STATUS, default="d")
    kind = models.CharField(max_length=1, choices=STATUS, blank=True)
    level = models.IntegerField(choices=[(1, "One"), (2, "Two")], null=True, blank=True)
    rating = models.PositiveIntegerField(default=0)
    big = models.BigIntegerField(null=True, blank=True)
    small = models.SmallIntegerField(null=True, blank=True)
    score = models.FloatField(null=True, blank=True)
    price = models.DecimalField(max_digits=6, decimal_places=2, null=True, blank=True)
    published = models.DateField(null=True, blank=True)
    created = models.DateTimeField(auto_now_add=True)
    at = models.TimeField(null=True, blank=True)
    length = models.DurationField(null=True, blank=True)
    featured = models.BooleanField(default=False)
    maybe = models.BooleanField(null=True)
    uid = models.UUIDField(default=uuid.uuid4)
    data = models.JSONField(default=dict, blank=True)
    ip = models.GenericIPAddressField(null=True, blank=True, protocol="IPv4")
    url = models.URLField(blank=True)
    nickname = models.CharField("nick name", max_length=20, null=True, blank=True)
    secret = models.CharField(max_length=20, editable=False, default="")
    author = models.ForeignKey(FfAuthor, CASCADE, limit_choices_to={"name__startswith": "A"})
    editor = models.ForeignKey(FfAuthor, SET_NULL, null=True, blank=True, related_name="edited", to_field="email")
    tags = models.ManyToManyField(FfTag, blank=True)
    sequel = models.OneToOneField("self", SET_NULL, null=True, blank=True, related_name="prequel")

    class Meta:
        app_label = "model_formfields"


def form_field(name, **kwargs):
    return FfPost._meta.get_field(name).formfield(**kwargs)


# name: (form field class, widget class, {attribute: value}) — Django 5.2's answers.
EXPECTED = {
    "title": ("CharField", "TextInput", {"required": True, "initial": untitled, "show_hidden_initial": True,
                                         "max_length": 200, "empty_value": "", "label": "Title"}),
    "slug": ("SlugField", "TextInput", {"required": True, "max_length": 50, "allow_unicode": False,
                                        "show_hidden_initial": False}),
    "body": ("CharField", "Textarea", {"required": False, "max_length": None, "help_text": "Markdown"}),
    "status": ("TypedChoiceField", "Select", {"required": True, "initial": "d", "empty_value": "",
                                              "choices": [("d", "Draft"), ("p", "Published")]}),
    "kind": ("TypedChoiceField", "Select", {"required": False, "initial": None,
                                            "choices": [("", "---------"), ("d", "Draft"), ("p", "Published")]}),
    "level": ("TypedChoiceField", "Select", {"required": False, "empty_value": None,
                                             "choices": [("", "---------"), (1, "One"), (2, "Two")]}),
    "rating": ("IntegerField", "NumberInput", {"required": True, "initial": 0, "min_value": 0, "max_value": None}),
    "big": ("IntegerField", "NumberInput", {"required": False, "min_value": -(2**63), "max_value": 2**63 - 1}),
    "small": ("IntegerField", "NumberInput", {"required": False, "min_value": None, "max_value": None}),
    "score": ("FloatField", "NumberInput", {"required": False}),
    "price": ("DecimalField", "NumberInput", {"required": False, "max_digits": 6, "decimal_places": 2}),
    "published": ("DateField", "DateInput", {"required": False}),
    "created": ("DateTimeField", "DateTimeInput", {"required": False, "label": "Created"}),
    "at": ("TimeField", "TimeInput", {"required": False}),
    "length": ("DurationField", "TextInput", {"required": False}),
    "featured": ("BooleanField", "CheckboxInput", {"required": False, "initial": False}),
    "maybe": ("NullBooleanField", "NullBooleanSelect", {"required": False, "initial": None}),
    "uid": ("UUIDField", "TextInput", {"required": True, "initial": uuid.uuid4, "show_hidden_initial": True}),
    "data": ("JSONField", "Textarea", {"required": False, "initial": dict, "show_hidden_initial": True}),
    "ip": ("GenericIPAddressField", "TextInput", {"required": False, "label": "Ip"}),
    "url": ("URLField", "URLInput", {"required": False, "max_length": 200}),
    "nickname": ("CharField", "TextInput", {"required": False, "max_length": 20, "empty_value": None,
                                            "label": "Nick name"}),
    "secret": ("CharField", "TextInput", {"required": True, "initial": "", "max_length": 20}),
    "author": ("ModelChoiceField", "Select", {"required": True, "to_field_name": "id", "empty_label": "---------",
                                              "limit_choices_to": {"name__startswith": "A"}}),
    "editor": ("ModelChoiceField", "Select", {"required": False, "to_field_name": "email",
                                              "empty_label": "---------"}),
    "tags": ("ModelMultipleChoiceField", "SelectMultiple", {"required": False, "empty_label": None}),
    "sequel": ("ModelChoiceField", "Select", {"required": False, "to_field_name": "id"}),
}  # fmt: skip


@pytest.mark.parametrize("name", list(EXPECTED))
def test_each_model_field_gives_djangos_form_field(name):
    field_class, widget_class, attributes = EXPECTED[name]
    field = form_field(name)
    assert (type(field).__name__, type(field.widget).__name__) == (field_class, widget_class), name
    for attribute, expected in attributes.items():
        value = getattr(field, attribute)
        if attribute == "choices":
            value = list(value)
        assert value == expected, f"{name}.formfield().{attribute} is {value!r}, Django gives {expected!r}"


def test_an_automatic_primary_key_has_no_form_field():
    assert FfPost._meta.get_field("id").formfield() is None


def test_a_parent_link_has_no_form_field():
    class FfPlace(models.Model):
        class Meta:
            app_label = "model_formfields"

    class FfRestaurant(models.Model):
        place = models.OneToOneField(FfPlace, CASCADE, parent_link=True)

        class Meta:
            app_label = "model_formfields"

    assert FfRestaurant._meta.get_field("place").formfield() is None


def test_the_label_and_help_text_come_from_the_model_field():
    field = form_field("body")
    assert (field.label, field.help_text) == ("Body", "Markdown")


def test_the_callers_arguments_win_over_the_model_fields():
    field = form_field("body", widget=forms.TextInput, label="Text", required=True, max_length=10)
    assert type(field.widget).__name__ == "TextInput"
    assert (field.label, field.required, field.max_length) == ("Text", True, 10)


def test_form_class_replaces_the_class_the_field_type_chooses():
    field = form_field("title", form_class=forms.SlugField)
    assert type(field) is forms.SlugField


def test_choices_ignore_arguments_a_typed_choice_field_does_not_take():
    # max_length (a CharField's) and min_value are dropped, not passed to TypedChoiceField.
    field = form_field("level", min_value=3)
    assert type(field).__name__ == "TypedChoiceField"


def test_choices_form_class_replaces_typed_choice_field():
    class StatusField(forms.TypedChoiceField):
        pass

    assert type(form_field("status", choices_form_class=StatusField)) is StatusField


def test_a_choice_field_coerces_with_the_model_fields_to_python():
    field = form_field("level")
    assert field.clean("2") == 2
    assert field.clean("") is None


def test_an_initial_given_drops_the_blank_choice_of_a_required_field():
    field = models.CharField(max_length=1, choices=[("a", "A")])
    field.set_attributes_from_name("letter")
    assert list(field.formfield().choices) == [("", "---------"), ("a", "A")]
    assert list(field.formfield(initial="a").choices) == [("a", "A")]


def test_a_boolean_with_choices_is_a_select_of_them():
    field = models.BooleanField(choices=[(True, "Yes"), (False, "No")])
    field.set_attributes_from_name("answer")
    form_field_ = field.formfield()
    assert type(form_field_).__name__ == "TypedChoiceField"
    # Required, unlike a checkbox: a select must have an answer chosen.
    assert form_field_.required is True
    assert list(form_field_.choices) == [("", "---------"), (True, "Yes"), (False, "No")]


def test_a_text_field_with_choices_is_a_select_not_a_textarea():
    field = models.TextField(choices=[("a", "A")])
    field.set_attributes_from_name("letter")
    assert type(field.formfield().widget).__name__ == "Select"


def test_positive_big_integers_go_from_zero_to_the_largest_64_bit_integer():
    field = models.PositiveBigIntegerField()
    field.set_attributes_from_name("n")
    form_field_ = field.formfield()
    assert (form_field_.min_value, form_field_.max_value) == (0, 2**63 - 1)


def test_a_foreign_key_offers_the_rows_of_its_target(tables):
    tables(FfAuthor)
    FfAuthor.objects.create(name="Ada")
    field = form_field("author")
    assert field.queryset.model is FfAuthor
    assert [label for _, label in field.choices] == ["---------", "Ada"]


def test_a_foreign_key_to_a_model_not_loaded_yet_cannot_make_a_form_field():
    field = models.ForeignKey("model_formfields.FfNowhere", CASCADE)
    field.set_attributes_from_name("nowhere")
    with pytest.raises(ValueError) as caught:
        field.formfield()
    assert str(caught.value) == (
        "Cannot create form field for 'nowhere' yet, because its related model 'model_formfields.FfNowhere' has "
        "not been loaded yet"
    )


def test_a_many_to_many_initial_of_rows_becomes_their_keys(tables):
    tables(FfTag)
    tags = [FfTag.objects.create(name="a"), FfTag.objects.create(name="b")]
    assert form_field("tags", initial=tags).initial == [tag.pk for tag in tags]
    assert form_field("tags", initial=lambda: tags[:1]).initial == [tags[0].pk]


def test_get_choices_of_a_field_with_choices():
    status = FfPost._meta.get_field("status")
    assert status.get_choices() == [("", "---------"), ("d", "Draft"), ("p", "Published")]
    assert status.get_choices(include_blank=False) == [("d", "Draft"), ("p", "Published")]
    assert status.get_choices(blank_choice=[("", "Any")])[0] == ("", "Any")


def test_get_choices_of_a_relation_lists_its_rows_with_its_limit(tables):
    tables(FfAuthor)
    ada = FfAuthor.objects.create(name="Ada", email="ada@example.com")
    FfAuthor.objects.create(name="Bob", email="bob@example.com")
    assert FfPost._meta.get_field("author").get_choices() == [("", "---------"), (ada.pk, "Ada")]
    assert FfPost._meta.get_field("editor").get_choices(include_blank=False, ordering=["-name"]) == [
        ("bob@example.com", "Bob"), ("ada@example.com", "Ada"),
    ]  # fmt: skip


def test_save_form_data_sets_the_value_on_the_instance():
    post = FfPost()
    FfPost._meta.get_field("title").save_form_data(post, "Hello")
    FfPost._meta.get_field("price").save_form_data(post, decimal.Decimal("1.50"))
    FfPost._meta.get_field("published").save_form_data(post, datetime.date(2024, 2, 29))
    assert (post.title, post.price, post.published) == ("Hello", decimal.Decimal("1.50"), datetime.date(2024, 2, 29))


def test_save_form_data_of_a_foreign_key_takes_the_row(tables):
    tables(FfAuthor)
    ada = FfAuthor.objects.create(name="Ada")
    post = FfPost()
    FfPost._meta.get_field("author").save_form_data(post, ada)
    assert (post.author, post.author_id) == (ada, ada.pk)


def test_save_form_data_of_a_one_to_one_takes_a_key_or_none():
    post = FfPost()
    sequel = FfPost._meta.get_field("sequel")
    sequel.save_form_data(post, 7)
    assert post.sequel_id == 7
    sequel.save_form_data(post, None)
    assert post.sequel_id is None and post.sequel is None


def test_save_form_data_of_a_many_to_many_sets_the_related_rows(tables):
    tables(FfAuthor, FfTag, FfPost)
    ada = FfAuthor.objects.create(name="Ada")
    post = FfPost.objects.create(slug="p", author=ada)
    a, b = FfTag.objects.create(name="a"), FfTag.objects.create(name="b")
    FfPost._meta.get_field("tags").save_form_data(post, [a, b])
    assert sorted(tag.name for tag in post.tags.all()) == ["a", "b"]
    FfPost._meta.get_field("tags").save_form_data(post, [b])
    assert [tag.name for tag in post.tags.all()] == ["b"]
