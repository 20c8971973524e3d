"""BoundField: a form's field with its names, ids, label, value and HTML (Django 5.2's output)."""

import datetime

import pytest


@pytest.fixture
def ProfileForm(forms):
    class ProfileForm(forms.Form):
        required_css_class = "req"
        first_name = forms.CharField(help_text="Given <name>")
        why = forms.CharField(label="Why?", required=False, label_suffix="!")
        when = forms.DateTimeField(initial=lambda: datetime.datetime(2024, 1, 2, 3, 4, 5, 678))
        size = forms.ChoiceField(choices=[("s", "Small"), ("l", "Large")], widget=forms.RadioSelect, initial="l")
        code = forms.CharField(widget=forms.TextInput(attrs={"id": "custom", "aria-describedby": "mine"}))
        stamp = forms.IntegerField(show_hidden_initial=True, initial=3)

    return ProfileForm


def test_names_ids_and_label_come_from_the_form_and_the_field(ProfileForm):
    field = ProfileForm(prefix="p")["first_name"]

    assert (field.name, field.html_name, field.html_initial_name, field.html_initial_id) == (
        "first_name",
        "p-first_name",
        "initial-p-first_name",
        "initial-p-id_p-first_name",
    )
    assert (field.auto_id, field.id_for_label) == ("id_p-first_name", "id_p-first_name")
    assert field.label == "First name", "a field without a label gets its name, prettied"
    assert field.help_text == "Given <name>"
    assert ProfileForm()["why"].label == "Why?"


def test_a_form_hands_out_one_bound_field_per_name_and_names_the_choices_when_asked_for_another(ProfileForm):
    form = ProfileForm()
    assert form["why"] is form["why"]
    assert bool(form["size"]) is True

    with pytest.raises(KeyError) as caught:
        form["frist_name"]
    assert caught.value.args[0] == (
        "Key 'frist_name' not found in 'ProfileForm'. Choices are: code, first_name, size, stamp, when, why."
    )
    assert caught.value.__notes__ == ["Did you mean 'first_name'?"]


def test_label_tag(ProfileForm, forms):
    from tinyframe.utils.safestring import mark_safe

    form = ProfileForm(prefix="p")
    field = form["first_name"]

    assert field.label_tag() == '<label for="id_p-first_name" class="req">First name:</label>'
    assert field.label_tag(attrs={"class": "x"}) == '<label class="x req" for="id_p-first_name">First name:</label>'
    assert field.label_tag("<b>Hi</b>", label_suffix="") == (
        '<label for="id_p-first_name" class="req">&lt;b&gt;Hi&lt;/b&gt;</label>'
    ), "contents that are not marked safe are escaped"
    assert field.label_tag(mark_safe("<b>Hi</b>")) == '<label for="id_p-first_name" class="req"><b>Hi</b>:</label>'
    assert field.legend_tag() == '<legend for="id_p-first_name" class="req">First name:</legend>'
    assert form["why"].label_tag() == '<label for="id_p-why">Why?</label>', "a label ending in ? gets no suffix"
    assert form["code"].label_tag() == '<label for="custom" class="req">Code:</label>', "the widget's own id wins"
    assert form["size"].label_tag() == '<label class="req">Size:</label>', "radio buttons: no single input to point at"
    assert ProfileForm(auto_id=False)["first_name"].label_tag() == "First name:", "no id: no <label>, just the text"


def test_label_suffix_the_fields_then_the_forms(forms):
    class SuffixForm(forms.Form):
        plain = forms.CharField()
        own = forms.CharField(label_suffix=" =")
        empty = forms.CharField(label="", required=False)

    assert SuffixForm(label_suffix=" ->")["plain"].label_tag() == '<label for="id_plain">Plain -&gt;</label>'
    assert SuffixForm(label_suffix=" ->")["own"].label_tag() == '<label for="id_own">Own =</label>'
    assert SuffixForm()["own"].label_tag(label_suffix="?") == '<label for="id_own">Own?</label>'
    assert SuffixForm()["empty"].label_tag() == '<label for="id_empty"></label>'


def test_css_classes(ProfileForm):
    form = ProfileForm()
    assert form["first_name"].css_classes() == "req"
    assert sorted(form["first_name"].css_classes("a b").split()) == ["a", "b", "req"]
    assert form["why"].css_classes(["z"]) == "z"
    assert form["why"].css_classes() == ""


def test_value_data_and_initial(ProfileForm):
    unbound = ProfileForm()
    assert unbound["when"].initial == datetime.datetime(2024, 1, 2, 3, 4, 5), (
        "a datetime from a callable initial loses its microseconds when the widget cannot show them"
    )
    assert unbound["when"].value() == datetime.datetime(2024, 1, 2, 3, 4, 5)
    assert unbound["first_name"].data is None

    bound = ProfileForm({"p-stamp": "4", "p-initial-stamp": "9"}, prefix="p")
    assert (bound["stamp"].value(), bound["stamp"].data, bound["first_name"].data) == ("4", "4", None)
    assert bound["size"].value() is None, "a bound form shows what was sent, even nothing, not the initial value"


def test_initial_comes_from_the_form_before_the_field(forms):
    class GreetingForm(forms.Form):
        greeting = forms.CharField(initial="Hello")

    assert GreetingForm()["greeting"].value() == "Hello"
    assert GreetingForm(initial={"greeting": "Hi"})["greeting"].value() == "Hi"
    assert GreetingForm({"greeting": "Hey"}, initial={"greeting": "Hi"})["greeting"].value() == "Hey"


def test_widget_rendering_helpers(ProfileForm):
    field = ProfileForm(prefix="p")["first_name"]

    assert field.as_text(attrs={"class": "t"}) == (
        '<input type="text" name="p-first_name" class="t" required aria-describedby="id_p-first_name_helptext" '
        'id="id_p-first_name">'
    )
    assert field.as_textarea() == (
        '<textarea name="p-first_name" cols="40" rows="10" required aria-describedby="id_p-first_name_helptext" '
        'id="id_p-first_name">\n</textarea>'
    )
    assert field.as_hidden() == (
        '<input type="hidden" name="p-first_name" aria-describedby="id_p-first_name_helptext" id="id_p-first_name">'
    )
    assert field.as_widget(attrs={"aria-describedby": "order"}) == (
        '<input type="text" name="p-first_name" aria-describedby="order" required id="id_p-first_name">'
    ), "an aria-describedby given by the caller is kept"


def test_a_widgets_own_id_and_aria_describedby_are_kept(ProfileForm):
    form = ProfileForm({"p-code": ""}, prefix="p")
    field = form["code"]

    assert (field.id_for_label, field.aria_describedby) == ("custom", None)
    assert str(field) == (
        '<input type="text" name="p-code" id="custom" aria-describedby="mine" required aria-invalid="true">'
    )
    assert str(field.errors) == '<ul class="errorlist" id="id_p-code_error"><li>This field is required.</li></ul>'


def test_show_hidden_initial_renders_the_initial_value_after_the_widget(ProfileForm):
    assert str(ProfileForm(prefix="p")["stamp"]) == (
        '<input type="number" name="p-stamp" value="3" required id="id_p-stamp">'
        '<input type="hidden" name="initial-p-stamp" value="3" id="initial-p-id_p-stamp">'
    )
    bound = ProfileForm({"p-stamp": "4", "p-initial-stamp": "9"}, prefix="p")
    assert str(bound["stamp"]) == (
        '<input type="number" name="p-stamp" value="4" required id="id_p-stamp">'
        '<input type="hidden" name="initial-p-stamp" value="4" id="initial-p-id_p-stamp">'
    )


def test_subwidgets_of_radio_buttons(ProfileForm):
    size = ProfileForm(prefix="p")["size"]

    assert len(size) == 2
    assert (size.widget_type, size.use_fieldset) == ("radioselect", True)
    first, second = list(size)
    assert first.tag() == '<input type="radio" name="p-size" value="s" id="id_p-size_0" required>'
    assert " ".join(str(second).split()) == (
        '<label for="id_p-size_1"><input type="radio" name="p-size" value="l" id="id_p-size_1" required checked> '
        "Large</label>"
    )
    assert (first.choice_label, first.id_for_label) == ("Small", "id_p-size_0")
    assert first.template_name == "tinyframe/forms/widgets/radio_option.html"
    assert [choice.choice_label for choice in size[0:1]] == ["Small"]
    assert size.subwidgets is size.subwidgets, "kept: a ModelChoiceField's query runs once"
    with pytest.raises(TypeError) as caught:
        size["label"]
    assert str(caught.value) == "BoundField indices must be integers or slices, not str."


def test_widget_type_and_hidden(ProfileForm, forms):
    form = ProfileForm()
    assert (form["first_name"].widget_type, form["when"].widget_type) == ("text", "datetime")
    assert not form["first_name"].is_hidden and not form["first_name"].use_fieldset

    class SecretForm(forms.Form):
        secret = forms.CharField(widget=forms.HiddenInput, help_text="Not shown")

    secret = SecretForm({})["secret"]
    assert secret.is_hidden
    assert str(secret) == '<input type="hidden" name="secret" id="id_secret">', "no aria attributes on hidden inputs"
    assert secret.aria_describedby == ""


def test_as_field_group(ProfileForm, assert_html):
    form = ProfileForm(prefix="p")
    assert_html(
        form["first_name"].as_field_group(),
        '<label for="id_p-first_name" class="req">First name:</label>'
        '<div class="helptext" id="id_p-first_name_helptext">Given <name></div>'
        '<input type="text" name="p-first_name" required aria-describedby="id_p-first_name_helptext" '
        'id="id_p-first_name">',
        "the field group of first_name",
    )
    assert_html(
        form["size"].as_field_group(),
        '<fieldset><legend class="req">Size:</legend><div id="id_p-size">'
        '<div><label for="id_p-size_0"><input type="radio" name="p-size" value="s" required id="id_p-size_0">'
        "Small</label></div>"
        '<div><label for="id_p-size_1"><input type="radio" name="p-size" value="l" required id="id_p-size_1" '
        "checked>Large</label></div></div></fieldset>",
        "the field group of radio buttons",
    )
    assert form["first_name"].template_name == "tinyframe/forms/field.html"


def test_a_field_may_name_its_own_template(forms, throwaway_module, use_settings, tmp_path):
    (tmp_path / "row.html").write_text("<span>{{ field.label }}: {{ field }}</span>")
    use_settings(
        FORM_RENDERER="tinyframe.forms.renderers.TemplatesSetting",
        TEMPLATES=[
            {
                "BACKEND": "tinyframe.template.backends.django.DjangoTemplates",
                "DIRS": [str(tmp_path), str(forms.renderers.TEMPLATES_DIR)],
                "APP_DIRS": False,
                "OPTIONS": {},
            }
        ],
    )

    class RowForm(forms.Form):
        name = forms.CharField(template_name="row.html")

    assert RowForm()["name"].as_field_group() == '<span>Name: <input type="text" name="name" required id="id_name"></span>'
