"""E-mail and URL validators, IP addresses, and unique constraints with messages of their own.

Every expected verdict, message and code is what Django 5.2 gives for the
same value or model (checked side by side when these tests were written).
"""

import pytest

from tinyframe.core.exceptions import ValidationError
from tinyframe.db import models


def accepts(validator, value) -> bool:
    try:
        validator(value)
    except ValidationError:
        return False
    return True


EMAILS = [
    # The local part: dot-separated atoms, or a quoted string of printable ASCII (a space only escaped).
    ('"johndoe"@example.com', True), ('"john..doe"@example.com', True), ('""@example.com', True),
    ('"a\\ b"@example.com', True), ('"a b"@example.com', False), ('"a"b"@example.com', False),
    ('"a\\"b"@example.com', True), ("a.b+tag@example.com", True), ("a..b@example.com", False),
    (".a@example.com", False), ("a.@example.com", False), ("ü@example.com", False),
    # The domain: labels, then a top-level domain of letters and inner hyphens, or punycode.
    ("a@ex.co-uk", True), ("a@example.com.", False), ("a@ex.c1", False), ("a@ex.123", False),
    ("a@ex.-co", False), ("a@ex.co-", False), ("a@ex.c", False), ("a@ex.xn--p1ai", True),
    ("a@1.2.3.4", False), ("a@-ex.com", False), ("a@ex-.com", False), ("a@a_b.com", False),
    ("a@" + "x" * 63 + ".com", True), ("a@" + "x" * 64 + ".com", False), ("a@ex." + "x" * 64, False),
    # Any script, as typed: letters beyond U+00A1 count as letters, even in the top-level domain.
    ("a@müller.de", True), ("a@xn--mller-kva.de", True), ("a@пример.рф", True), ("a@ex.٣٣", True),
    ("a@ex.ü", False), ("a@😀.com", False),
    # Addresses in brackets: IPv4 or IPv6, without "IPv6:" or a zone.
    ("a@[127.0.0.1]", True), ("a@[::1]", True), ("a@[::ffff:1.2.3.4]", True), ("a@[IPv6:::1]", False),
    ("a@[256.1.1.1]", False), ("a@[1.2.3]", False), ("a@[fe80::1%eth0]", False),
    ("a@[0000:0000:0000:0000:0000:ffff:255.255.255.255]", False),
    # The allowlist, exactly as written; the whole address at most 320 characters (here 320, then 321).
    ("a@localhost", True), ("a@LOCALHOST", False), ("a@localhost.", False),
    ("a" * 64 + "@" + "b" * 59 + "." + "c" * 63 + "." + "d" * 63 + "." + "e" * 63 + ".com", True),
    ("a" * 64 + "@" + "b" * 59 + "." + "c" * 63 + "." + "d" * 63 + "." + "e" * 63 + ".comm", False),
]  # fmt: skip

URLS = [
    # user[:password]@: no colon in the user, no second colon, no empty user.
    ("http://u:p@example.com", True), ("http://u:@example.com", True), ("http://u@example.com", True),
    ("http://:@example.com", False), ("http://:p@example.com", False), ("http://u:p:q@example.com", False),
    ("http://u@v@example.com", False), ("http://u p@example.com", False),
    # "?" and "#" may end the host before an "@": what follows is the query or fragment.
    ("http://example.com?x@bad_host", True), ("http://example.com#x@bad_host", True),
    # The host: a name (a trailing dot allowed here), localhost, IPv4, or IPv6 in brackets without a zone.
    ("http://example.co-uk", True), ("http://example.com.", True), ("http://example.com..", False),
    ("http://localhost.", False), ("http://LOCALHOST:8000/", True), ("http://ex.c1", False),
    ("http://müller.de/", True), ("http://a\u3000b.com", True), ("http://ex.com/\u00a0", False),
    ("http://[fe80::1%eth0]/", False), ("http://[::1]:80/", True), ("http://u@[1.2.3.4]/", False),
    ("http://[0000:0000:0000:0000:0000:ffff:255.255.255.255]/", False), ("http://1.2.3.04/", False),
    ("http://1.2.3.255/", True), ("http://1.2.3.256/", False), ("http://[::1]x/", False),
    ("http://ex.com:/", False), ("http://ex.com:123456/", False), ("http://ex.com:99999/", True),
    # A host name of at most 253 characters (here 253, then 254).
    ("http://" + "a" * 63 + "." + "b" * 63 + "." + "c" * 63 + "." + "d" * 57 + ".com", True),
    ("http://" + "a" * 63 + "." + "b" * 63 + "." + "c" * 63 + "." + "d" * 58 + ".com", False),
]  # fmt: skip


def test_email_validator_judges_addresses_as_django_does(check_rows):
    from tinyframe.core.validators import EmailValidator, validate_email

    def check(value, valid):
        assert accepts(validate_email, value) == valid, (
            f"validate_email({value!r}) should be {'accepted' if valid else 'refused'}")

    check_rows(EMAILS, check)
    assert accepts(EmailValidator(allowlist=["intranet"]), "a@intranet")
    assert not accepts(EmailValidator(allowlist=["intranet"]), "a@localhost")


def test_url_validator_judges_urls_as_django_does(check_rows):
    from tinyframe.core.validators import URLValidator

    validator = URLValidator()

    def check(value, valid):
        assert accepts(validator, value) == valid, (
            f"URLValidator()({value!r}) should be {'accepted' if valid else 'refused'}")

    check_rows(URLS, check)


def test_ipv6_validator_refuses_more_than_39_characters():
    from tinyframe.core.validators import validate_ipv6_address, validate_ipv46_address

    long_form = "0000:0000:0000:0000:0000:ffff:255.255.255.255"
    assert not accepts(validate_ipv6_address, long_form), f"{long_form!r} has 45 characters, over Django's 39"
    assert not accepts(validate_ipv46_address, long_form)
    assert accepts(validate_ipv6_address, "::ffff:255.255.255.255")
    assert accepts(validate_ipv6_address, "fe80::1%eth0"), "a zone is part of an IPv6 address, outside a URL"


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
