"""ModelChoiceField and ModelMultipleChoiceField: rows of a table as choices, keys in, rows out.

Messages, codes, params and rendered options are Django 5.2's for the same
fields and rows (checked once with a scratch app).
"""

import uuid

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tinyframe import forms
from tinyframe.core.exceptions import ValidationError
from tinyframe.db import connection, models
from tinyframe.forms.model_choices import ModelChoiceIterator, ModelChoiceIteratorValue
from tinyframe.test.utils import CaptureQueriesContext

INVALID_CHOICE = "Select a valid choice. That choice is not one of the available choices."


class McAuthor(models.Model):
    name = models.CharField(max_length=20)
    email = models.EmailField(unique=True, null=True)

    class Meta:
        app_label = "model_choices"
        ordering = ["name"]

    def __str__(self):
        return self.name


class McTag(models.Model):
    name = models.CharField(max_length=20)

    class Meta:
        app_label = "model_choices"
        ordering = ["name"]

    def __str__(self):
        return self.name


class McTicket(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4)

    class Meta:
        app_label = "model_choices"


@pytest.fixture
def rows(tables):
    """Authors Ada (pk 1) and Bob (pk 2); tags t1 (pk 1) and t2 (pk 2)."""
    tables(McAuthor, McTag)
    ada = McAuthor.objects.create(name="Ada", email="ada@example.com")
    bob = McAuthor.objects.create(name="Bob", email="bob@example.com")
    return ada, bob, McTag.objects.create(name="t1"), McTag.objects.create(name="t2")


def error_of(field, value):
    with pytest.raises(ValidationError) as caught:
        field.clean(value)
    error = caught.value.error_list[0]
    return error.message % (error.params or {}), error.code


# -- ModelChoiceField ---------------------------------------------------------------


def test_a_key_cleans_to_its_row(rows):
    ada = rows[0]
    field = forms.ModelChoiceField(McAuthor.objects.all())
    assert field.clean(str(ada.pk)) == ada
    assert field.clean(ada.pk) == ada
    assert field.clean(f" {ada.pk} ") == ada  # the key field converts it, as Django's does
    assert field.clean(ada) == ada


@pytest.mark.parametrize("value", ["99", "abc", "1.0", "-1", "<b>", ["1"], {"a": 1}, "9" * 30])
def test_anything_but_an_offered_key_is_an_invalid_choice(rows, value):
    field = forms.ModelChoiceField(McAuthor.objects.all())
    assert error_of(field, value) == (INVALID_CHOICE, "invalid_choice")


def test_the_invalid_choice_error_carries_the_value(rows):
    with pytest.raises(ValidationError) as caught:
        forms.ModelChoiceField(McAuthor.objects.all()).clean("99")
    assert caught.value.error_list[0].params == {"value": "99"}


def test_a_row_outside_the_queryset_is_an_invalid_choice(rows):
    ada = rows[0]
    field = forms.ModelChoiceField(McAuthor.objects.filter(name="Bob"))
    assert error_of(field, str(ada.pk)) == (INVALID_CHOICE, "invalid_choice")


def test_a_nul_character_is_refused_before_any_query(rows):
    field = forms.ModelChoiceField(McAuthor.objects.all())
    with CaptureQueriesContext(connection) as queries:
        assert error_of(field, "1\x00") == ("Null characters are not allowed.", "null_characters_not_allowed")
    assert len(queries) == 0


def test_required_and_optional(rows):
    assert error_of(forms.ModelChoiceField(McAuthor.objects.all()), "") == ("This field is required.", "required")
    assert error_of(forms.ModelChoiceField(McAuthor.objects.all()), None)[1] == "required"
    assert forms.ModelChoiceField(McAuthor.objects.all(), required=False).clean("") is None


def test_to_field_name_makes_another_unique_field_the_key(rows):
    ada = rows[0]
    field = forms.ModelChoiceField(McAuthor.objects.all(), to_field_name="email")
    assert field.clean("ada@example.com") == ada
    assert error_of(field, "x@example.com") == (INVALID_CHOICE, "invalid_choice")
    assert field.prepare_value(ada) == "ada@example.com"


def test_the_choices_are_the_rows_after_the_empty_label(rows):
    ada, bob = rows[:2]
    field = forms.ModelChoiceField(McAuthor.objects.all())
    choices = list(field.choices)
    assert [(str(value), label) for value, label in choices] == [("", "---------"), ("1", "Ada"), ("2", "Bob")]
    value = choices[1][0]
    assert isinstance(value, ModelChoiceIteratorValue) and value.instance == ada
    assert value == ada.pk and value == ModelChoiceIteratorValue(ada.pk, None) and hash(value) == hash(ada.pk)
    assert repr(value) == "<ModelChoiceIteratorValue: 1>"
    assert (len(field.choices), bool(field.choices)) == (3, True)
    assert field.choices[2][1] == "Bob"


def test_the_choices_are_read_when_used_not_when_the_field_is_made(rows):
    field = forms.ModelChoiceField(McAuthor.objects.all())
    McAuthor.objects.create(name="Cy")
    assert [label for _, label in field.choices][-1] == "Cy"


def test_no_rows_and_no_empty_label_is_an_empty_list(tables):
    tables(McAuthor)
    field = forms.ModelChoiceField(McAuthor.objects.all(), empty_label=None)
    assert (list(field.choices), len(field.choices), bool(field.choices)) == ([], 0, False)


def test_label_from_instance_can_be_overridden(rows):
    class ByEmail(forms.ModelChoiceField):
        def label_from_instance(self, obj):
            return obj.email

    assert [label for _, label in ByEmail(McAuthor.objects.all(), empty_label=None).choices] == [
        "ada@example.com", "bob@example.com",
    ]  # fmt: skip


def test_the_empty_label_goes_when_a_required_field_has_an_initial_or_on_radio_buttons(rows):
    queryset = McAuthor.objects.all()
    assert forms.ModelChoiceField(queryset, initial=rows[0]).empty_label is None
    assert forms.ModelChoiceField(queryset, widget=forms.RadioSelect).empty_label is None
    assert forms.ModelChoiceField(queryset, widget=forms.RadioSelect, blank=True).empty_label == "---------"
    assert forms.ModelChoiceField(queryset, empty_label="(none)").empty_label == "(none)"


def test_the_select_renders_the_rows_with_the_chosen_one_selected(rows):
    field = forms.ModelChoiceField(McAuthor.objects.all())
    html = field.widget.render("author", rows[0].pk)
    assert '<select name="author">' in html
    assert '<option value="">---------</option>' in html
    assert '<option value="1" selected>Ada</option>' in html
    assert '<option value="2">Bob</option>' in html


def test_choices_set_by_hand_replace_the_querysets(rows):
    field = forms.ModelChoiceField(McAuthor.objects.all())
    field.choices = [("x", "X")]
    assert list(field.choices) == [("x", "X")] and list(field.widget.choices) == [("x", "X")]


def test_a_copy_has_a_queryset_and_widget_choices_of_its_own(rows):
    import copy

    field = forms.ModelChoiceField(McAuthor.objects.all())
    clone = copy.deepcopy(field)
    clone.queryset = McAuthor.objects.filter(name="Bob")
    assert [label for _, label in field.widget.choices] == ["---------", "Ada", "Bob"]
    assert [label for _, label in clone.widget.choices] == ["---------", "Bob"]


def test_has_changed_compares_keys_as_text(rows):
    ada = rows[0]
    field = forms.ModelChoiceField(McAuthor.objects.all())
    assert field.has_changed(ada, str(ada.pk)) is False
    assert field.has_changed(ada, "2") is True
    assert field.has_changed(None, "") is False
    assert forms.ModelChoiceField(McAuthor.objects.all(), disabled=True).has_changed(ada, "2") is False


def test_get_limit_choices_to_calls_a_callable():
    field = forms.ModelChoiceField(None, limit_choices_to=lambda: {"name": "Ada"})
    assert field.get_limit_choices_to() == {"name": "Ada"}
    assert forms.ModelChoiceField(None, limit_choices_to={"name": "Bob"}).get_limit_choices_to() == {"name": "Bob"}


def test_a_model_choice_field_is_a_choice_field():
    assert issubclass(forms.ModelChoiceField, forms.ChoiceField)
    assert forms.ModelChoiceField.iterator is ModelChoiceIterator


# -- ModelMultipleChoiceField ---------------------------------------------------------


def test_a_list_of_keys_cleans_to_a_queryset_of_their_rows(rows):
    t1, t2 = rows[2:]
    field = forms.ModelMultipleChoiceField(McTag.objects.all())
    assert list(field.clean(["1"])) == [t1]
    assert list(field.clean(["1", "2"])) == [t1, t2]
    assert list(field.clean(("1", "1"))) == [t1]
    assert list(field.clean([t1])) == [t1]


@pytest.mark.parametrize(
    ("value", "message", "code"),
    [
        (["1", "99"], "Select a valid choice. 99 is not one of the available choices.", "invalid_choice"),
        ([1.5], "Select a valid choice. 1.5 is not one of the available choices.", "invalid_choice"),
        (["9" * 30], f"Select a valid choice. {'9' * 30} is not one of the available choices.", "invalid_choice"),
        (["abc"], "“abc” is not a valid value.", "invalid_pk_value"),
        (["<b>"], "“<b>” is not a valid value.", "invalid_pk_value"),
        ("1", "Enter a list of values.", "invalid_list"),
        ([["1"]], "Enter a list of values.", "invalid_list"),
        ([], "This field is required.", "required"),
        (None, "This field is required.", "required"),
        (["1\x00"], "Null characters are not allowed.", "null_characters_not_allowed"),
    ],
)
def test_bad_lists_get_djangos_messages(rows, value, message, code):
    assert error_of(forms.ModelMultipleChoiceField(McTag.objects.all()), value) == (message, code)


def test_the_error_params_name_the_bad_key(rows):
    field = forms.ModelMultipleChoiceField(McTag.objects.all())
    for value, params in ((["99"], {"value": "99"}), (["abc"], {"pk": "abc"})):
        with pytest.raises(ValidationError) as caught:
            field.clean(value)
        assert caught.value.error_list[0].params == params


def test_an_optional_empty_list_is_an_empty_queryset(rows):
    field = forms.ModelMultipleChoiceField(McTag.objects.all(), required=False)
    assert list(field.clean([])) == [] and list(field.clean(None)) == []
    assert field.to_python([]) == [] and field.to_python(["1"]) == [rows[2]]


def test_the_validators_run_on_the_keys(rows):
    def at_most_one(value):
        if len(value) > 1:
            raise ValidationError("One tag only.", code="too_many")

    field = forms.ModelMultipleChoiceField(McTag.objects.all(), validators=[at_most_one])
    assert error_of(field, ["1", "2"]) == ("One tag only.", "too_many")


def test_a_multiple_select_renders_without_an_empty_label(rows):
    field = forms.ModelMultipleChoiceField(McTag.objects.all())
    html = field.widget.render("tags", [rows[2].pk])
    assert '<select name="tags" multiple>' in html
    assert '<option value="1" selected>t1</option>' in html and '<option value="2">t2</option>' in html
    assert "---------" not in html
    assert type(field.hidden_widget()).__name__ == "MultipleHiddenInput"


def test_multiple_has_changed_compares_sets_of_keys(rows):
    t1 = rows[2]
    field = forms.ModelMultipleChoiceField(McTag.objects.all())
    assert field.has_changed([t1], ["1"]) is False
    assert field.has_changed([t1], ["2"]) is True
    assert field.has_changed([t1], ["1", "2"]) is True
    assert field.has_changed(None, []) is False
    assert forms.ModelMultipleChoiceField(McTag.objects.all(), disabled=True).has_changed([t1], ["2"]) is False


def test_multiple_checks_every_key_in_one_query(rows):
    field = forms.ModelMultipleChoiceField(McTag.objects.all())
    with CaptureQueriesContext(connection) as queries:
        list(field.clean(["1", "2", "1"]))
    # The rows read to check the keys are the QuerySet returned: one query in all.
    assert len(queries) == 1


def test_a_malformed_uuid_key_gets_the_uuid_fields_own_message(tables):
    # As in Django, the key field's conversion speaks: a clear ValidationError either way.
    tables(McTicket)
    ticket = McTicket.objects.create()
    assert forms.ModelChoiceField(McTicket.objects.all()).clean(str(ticket.pk)) == ticket
    assert forms.ModelChoiceField(McTicket.objects.all()).clean(ticket.pk.hex) == ticket
    tickets = McTicket.objects.all()
    assert error_of(forms.ModelChoiceField(tickets), "abc") == ("“abc” is not a valid UUID.", "invalid")
    assert error_of(forms.ModelMultipleChoiceField(tickets), ["abc"]) == ("“abc” is not a valid UUID.", "invalid")


def test_radio_buttons_and_checkboxes_offer_the_rows(rows):
    class PickForm(forms.Form):
        author = forms.ModelChoiceField(McAuthor.objects.all(), widget=forms.RadioSelect)
        tags = forms.ModelMultipleChoiceField(McTag.objects.all(), widget=forms.CheckboxSelectMultiple)

    form = PickForm({"author": "1", "tags": ["2"]})
    radios, boxes = str(form["author"]), str(form["tags"])
    # No "---------" radio button: a required choice on radio buttons has no empty one.
    assert "---------" not in radios
    assert '<input type="radio" name="author" value="1" required id="id_author_0" checked> Ada</label>' in radios
    assert '<input type="radio" name="author" value="2" required id="id_author_1"> Bob</label>' in radios
    assert '<input type="checkbox" name="tags" value="2" id="id_tags_1" checked> t2</label>' in boxes
    assert form.is_valid() and (form.cleaned_data["author"], list(form.cleaned_data["tags"])) == (rows[0], [rows[3]])


# -- a property: whatever is submitted, the answer is a row or a ValidationError ------------------

submitted = st.one_of(
    st.text(max_size=30),
    st.sampled_from(["1", "2", " 1 ", "-1", "9" * 40, "1e3", "0x1", "1\x00", "<script>", "NaN", "None"]),
    st.integers(),
    st.lists(st.one_of(st.text(max_size=10), st.integers()), max_size=4),
    st.none(),
)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(value=submitted)
def test_any_submitted_value_cleans_to_rows_or_a_validation_error(rows, value):
    for field in (forms.ModelChoiceField(McAuthor.objects.all(), required=False),
                  forms.ModelMultipleChoiceField(McTag.objects.all(), required=False)):  # fmt: skip
        try:
            result = field.clean(value)
        except ValidationError:
            continue
        if isinstance(field, forms.ModelMultipleChoiceField):
            assert all(isinstance(row, McTag) for row in result)
        else:
            assert result is None or isinstance(result, McAuthor)
