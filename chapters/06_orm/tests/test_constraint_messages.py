"""Unique constraints with messages of their own: the messages and codes Django 5.2 gives.

Every expected message and code is what Django 5.2 gives for the same model
(checked side by side when these tests were written).
"""

import pytest

from tinyframe.core.exceptions import ValidationError
from tinyframe.db import models


class ParitySeat(models.Model):
    row = models.IntegerField()
    number = models.IntegerField()
    code = models.CharField(max_length=5)
    badge = models.CharField(max_length=5)
    name = models.CharField(max_length=5)

    class Meta:
        app_label = "validator_parity_tests"
        constraints = [
            models.UniqueConstraint(fields=["code"], name="u_code", violation_error_message="Code %(name)s taken"),
            models.UniqueConstraint(
                fields=["row", "number"], name="u_row_number", violation_error_message="Seat taken",
                violation_error_code="seat_taken"),
            models.UniqueConstraint(fields=["badge"], name="u_badge", violation_error_code="badge_taken"),
            models.UniqueConstraint(
                fields=["name"], name="u_name", violation_error_message="Name taken", violation_error_code="unique"),
        ]  # fmt: skip


def errors_and_codes(error: ValidationError) -> tuple[dict, dict]:
    return error.message_dict, {name: [item.code for item in items] for name, items in error.error_dict.items()}


@pytest.mark.parametrize("method", ["full_clean", "validate_constraints"])
def test_unique_constraint_with_its_own_message_reports_it_for_the_whole_object(tables, method):
    tables(ParitySeat)
    ParitySeat.objects.create(row=1, number=1, code="A", badge="B", name="N")
    with pytest.raises(ValidationError) as caught:
        getattr(ParitySeat(row=1, number=1, code="A", badge="B", name="N"), method)()
    messages, codes = errors_and_codes(caught.value)
    # A message of its own is the constraint's error (code violation_error_code), for the whole object;
    # the default message gives a unique field's error (code "unique", violation_error_code unused), on the
    # field; a message of its own with code "unique" on one field is put on that field.
    assert messages == {
        "__all__": ["Code u_code taken", "Seat taken"],
        "badge": ["Parity seat with this Badge already exists."],
        "name": ["Name taken"],
    }
    assert codes == {"__all__": [None, "seat_taken"], "badge": ["unique"], "name": ["unique"]}


def test_unique_constraint_with_its_own_message_and_an_excluded_field(tables):
    tables(ParitySeat)
    ParitySeat.objects.create(row=1, number=1, code="A", badge="B", name="N")
    with pytest.raises(ValidationError) as caught:
        ParitySeat(row=1, number=2, code="A", badge="X", name="M").full_clean()
    assert errors_and_codes(caught.value) == ({"__all__": ["Code u_code taken"]}, {"__all__": [None]})
    ParitySeat(row=1, number=2, code="A", badge="X", name="M").full_clean(exclude=["code"])


def test_an_empty_violation_message_is_kept():
    constraint = models.UniqueConstraint(fields=["code"], name="u", violation_error_message="")
    assert constraint.get_violation_error_message() == ""
    default = models.UniqueConstraint(fields=["code"], name="u")
    assert default.get_violation_error_message() == "Constraint “u” is violated."
