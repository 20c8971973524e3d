"""Form fields and ModelForms on the e-mail and URL validators and on unique constraints with messages of their own.

Every verdict, message and code is Django 5.2's for the same field, model
and data (checked side by side when these tests were written).
"""

from tinyframe import forms
from tinyframe.core.exceptions import ValidationError
from tinyframe.db import models


def cleaned(field, value):
    try:
        return field.clean(value)
    except ValidationError as error:
        return error.messages


def test_email_and_url_fields_clean_as_django_does():
    email, url = forms.EmailField(), forms.URLField(assume_scheme="https")
    invalid_email, invalid_url = ["Enter a valid email address."], ["Enter a valid URL."]
    cases = [
        (email, '"johndoe"@example.com', '"johndoe"@example.com'),
        (email, "a@[::1]", "a@[::1]"),
        (email, " a@ex.co-uk ", "a@ex.co-uk"),
        (email, "a@example.com.", invalid_email),
        (url, "http://example.co-uk", "http://example.co-uk"),
        (url, "example.co-uk", "https://example.co-uk"),
        (url, "http://:@example.com", invalid_url),
        (url, "http://u:p:q@example.com", invalid_url),
        (url, "http://[fe80::1%eth0]/", invalid_url),
    ]
    for field, value, expected in cases:
        assert cleaned(field, value) == expected, f"{type(field).__name__}().clean({value!r})"


class ParitySlot(models.Model):
    day = models.IntegerField()
    n = models.IntegerField()

    class Meta:
        app_label = "validator_parity_forms"
        constraints = [
            models.UniqueConstraint(fields=["day", "n"], name="u_day_n", violation_error_code="udn"),
            models.UniqueConstraint(fields=["n"], name="u_n", violation_error_message="N taken: %(name)s"),
        ]


def slot_form():
    """Made when a test runs: a ModelForm class needs exercise 09.6 to exist."""

    class SlotForm(forms.ModelForm):
        class Meta:
            model = ParitySlot
            fields = "__all__"

    return SlotForm


def errors(form) -> list:
    return [(name, [(error.code, list(error)) for error in items]) for name, items in form.errors.as_data().items()]


def test_a_unique_constraints_own_message_is_a_form_wide_error(tables):
    tables(ParitySlot)
    ParitySlot.objects.create(day=1, n=1)
    form_class = slot_form()
    form = form_class({"day": "2", "n": "1"})
    assert not form.is_valid()
    assert errors(form) == [("__all__", [(None, ["N taken: u_n"])])]
    # The default message: unique_together's error, its code (violation_error_code is not used).
    form = form_class({"day": "1", "n": "1"})
    assert not form.is_valid()
    assert errors(form) == [
        ("__all__", [
            ("unique_together", ["Parity slot with this Day and N already exists."]),
            (None, ["N taken: u_n"]),
        ]),
    ]  # fmt: skip
    assert form_class({"day": "1", "n": "5"}).is_valid()
