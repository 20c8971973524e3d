"""EmailField, URLField, SlugField, RegexField, UUIDField, GenericIPAddressField, JSONField (Django 5.2's results)."""

import json
import re
import uuid

import pytest

from tinyframe.core.exceptions import ValidationError
from tinyframe.forms import (
    EmailField,
    EmailInput,
    GenericIPAddressField,
    JSONField,
    RegexField,
    SlugField,
    Textarea,
    URLField,
    URLInput,
    UUIDField,
)
from tinyframe.forms.fields.text import InvalidJSONInput, JSONString, clean_ipv6_address


def clean_error(field, value):
    """The (code, message) pairs ``field.clean(value)`` raises."""
    with pytest.raises(ValidationError) as caught:
        field.clean(value)
    return [(error.code, error.message % (error.params or {})) for error in caught.value.error_list]


def check(field, value, expected):
    """``expected`` is the cleaned value, or a list of (code, message) pairs for an error."""
    if isinstance(expected, list):
        assert clean_error(field, value) == expected, f"{type(field).__name__}.clean({value!r})"
    else:
        assert field.clean(value) == expected, f"{type(field).__name__}.clean({value!r})"


INVALID_EMAIL = [("invalid", "Enter a valid email address.")]
INVALID_URL = [("invalid", "Enter a valid URL.")]
INVALID_SLUG = [("invalid", "Enter a valid “slug” consisting of letters, numbers, underscores or hyphens.")]
INVALID_IP = [("invalid", "Enter a valid IPv4 or IPv6 address.")]
INVALID_IPV6 = [("invalid", "This is not a valid IPv6 address.")]
INVALID_JSON = [("invalid", "Enter a valid JSON.")]


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("a@b.com", "a@b.com"),
        (" A@B.com ", "A@B.com"),
        ("a@localhost", "a@localhost"),
        ("a@[1.2.3.4]", "a@[1.2.3.4]"),
        ("bad", INVALID_EMAIL),
        ("a@b", INVALID_EMAIL),
        ("a@-b.com", INVALID_EMAIL),
        ("<a>@b.com", INVALID_EMAIL),
        (
            "x" * 400 + "@b.com",
            INVALID_EMAIL + [("max_length", "Ensure this value has at most 320 characters (it has 406).")],
        ),
        ("a\x00@b.com", INVALID_EMAIL + [("null_characters_not_allowed", "Null characters are not allowed.")]),
    ],
)
def test_email_field(value, expected):
    check(EmailField(), value, expected)


def test_email_field_widget_and_length():
    field = EmailField()
    assert isinstance(field.widget, EmailInput) and field.widget.attrs == {"maxlength": "320"}
    assert EmailField(max_length=50).widget.attrs == {"maxlength": "50"}


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("example.com", "http://example.com"),
        ("//example.com", "http://example.com"),
        ("1.2.3.4", "http://1.2.3.4"),
        ("https://example.com/path?q=1", "https://example.com/path?q=1"),
        ("http://[::1]:80/", "http://[::1]:80/"),
        ("localhost:8000", INVALID_URL),
        ("http://x", INVALID_URL),
        ("mailto:a@b.com", INVALID_URL),
        ("javascript:alert(1)", INVALID_URL),
        ("http://a.com:999999", INVALID_URL),
        ("http://" + "a" * 3000 + ".com", INVALID_URL),
        ("", [("required", "This field is required.")]),
    ],
)
def test_url_field(value, expected):
    check(URLField(), value, expected)


def test_url_field_assume_scheme(use_settings):
    assert URLField(assume_scheme="https").clean("example.com") == "https://example.com"
    assert URLField().assume_scheme == "http"
    use_settings(FORMS_URLFIELD_ASSUME_HTTPS=True)
    assert URLField().clean("example.com") == "https://example.com"


def test_url_field_widget():
    assert isinstance(URLField().widget, URLInput)


@pytest.mark.parametrize(
    ("field", "value", "expected"),
    [
        (SlugField(), "a-b_c", "a-b_c"),
        (SlugField(), "a b", INVALID_SLUG),
        (SlugField(), "é", INVALID_SLUG),
        (SlugField(allow_unicode=True), "é-1", "é-1"),
        (
            SlugField(allow_unicode=True),
            "a b",
            [("invalid", "Enter a valid “slug” consisting of Unicode letters, numbers, underscores, or hyphens.")],
        ),
    ],
)
def test_slug_field(field, value, expected):
    check(field, value, expected)


def test_regex_field_keeps_whitespace_unless_told():
    check(RegexField(r"^\d{3}\Z"), "123", "123")
    check(RegexField(r"^\d{3}\Z"), " 123", [("invalid", "Enter a valid value.")])
    check(RegexField(r"^\d{3}\Z", strip=True), " 123", "123")
    check(RegexField(re.compile(r"^[a-z]+\Z")), "abc", "abc")


def test_regex_field_regex_can_be_replaced():
    field = RegexField(r"^\d+\Z", error_messages={"invalid": "Digits only."})
    field.regex = r"^[a-z]+\Z"
    assert field.regex.pattern == r"^[a-z]+\Z"
    assert field.clean("abc") == "abc"
    assert clean_error(field, "123") == [("invalid", "Digits only.")]
    assert len(field.validators) == 2  # the null-character check and one regex, not two


@pytest.mark.parametrize(
    "text",
    ["12345678-1234-5678-1234-567812345678", "{12345678123456781234567812345678}",
     "urn:uuid:12345678-1234-5678-1234-567812345678", " 12345678123456781234567812345678 "],
)  # fmt: skip
def test_uuid_field_reads_uuids(text):
    assert UUIDField().clean(text) == uuid.UUID("12345678-1234-5678-1234-567812345678")


@pytest.mark.parametrize("text", ["bad", "12345678-1234-5678-1234-56781234567", "g" * 32, "\x00"])
def test_uuid_field_refuses_other_text(text):
    assert clean_error(UUIDField(), text)[0] == ("invalid", "Enter a valid UUID.")


def test_uuid_field_values():
    value = uuid.UUID(int=1)
    assert UUIDField().clean(value) == value
    assert UUIDField().prepare_value(value) == "00000000-0000-0000-0000-000000000001"
    assert UUIDField().prepare_value("x") == "x"
    assert UUIDField(required=False).clean("") is None


@pytest.mark.parametrize(
    ("field", "value", "expected"),
    [
        (GenericIPAddressField(), "1.2.3.4", "1.2.3.4"),
        (GenericIPAddressField(), " ::FFFF:1.2.3.4 ", "::ffff:1.2.3.4"),
        (GenericIPAddressField(), "2001:0db8::0001", "2001:db8::1"),
        (GenericIPAddressField(), "fe80::1%eth0", "fe80::1"),
        (GenericIPAddressField(), "1:2", INVALID_IPV6),
        (GenericIPAddressField(), "1" * 50 + ":", INVALID_IPV6),
        (GenericIPAddressField(), "300.1.1.1", INVALID_IP),
        (GenericIPAddressField(), "01.2.3.4", INVALID_IP),
        (GenericIPAddressField(), ["1.2.3.4"], INVALID_IP),
        (GenericIPAddressField(unpack_ipv4=True), "::ffff:1.2.3.4", "1.2.3.4"),
        (GenericIPAddressField(protocol="IPv4"), "::1", [("invalid", "Enter a valid IPv4 address.")]),
        (GenericIPAddressField(protocol="IPv6"), "1.2.3.4", [("invalid", "Enter a valid IPv6 address.")]),
        (GenericIPAddressField(protocol="ipv6"), "::1", "::1"),
        (GenericIPAddressField(required=False), "", ""),
    ],
)
def test_generic_ip_address_field(field, value, expected):
    check(field, value, expected)


def test_generic_ip_address_field_arguments():
    assert GenericIPAddressField().widget.attrs == {"maxlength": "39"}
    with pytest.raises(ValueError, match="You can only use `unpack_ipv4` if `protocol` is set to 'both'"):
        GenericIPAddressField(protocol="IPv4", unpack_ipv4=True)
    with pytest.raises(ValueError, match=r"The protocol 'ipx' is unknown. Supported: \['both', 'ipv4', 'ipv6'\]"):
        GenericIPAddressField(protocol="ipx")


def test_clean_ipv6_address_error_names_the_protocol():
    with pytest.raises(ValidationError) as caught:
        clean_ipv6_address("x:y")
    assert caught.value.params == {"protocol": "IPv6"}


# JSONField


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ('{"a": [1, 2.5, null, true]}', {"a": [1, 2.5, None, True]}),
        ('"x"', "x"),
        ("1", 1),
        ("[1", INVALID_JSON),
        ("{'a': 1}", INVALID_JSON),
        ("null", [("required", "This field is required.")]),
    ],
)
def test_json_field(value, expected):
    check(JSONField(), value, expected)


@pytest.mark.parametrize("text", ["NaN", "Infinity", "-Infinity", "[1e999]", "[" * 100_000, "1" * 5000])
def test_json_field_refuses_what_no_json_column_stores(text):
    # Django reads NaN and 1e999 as floats and fails with RecursionError or ValueError on the last two.
    assert clean_error(JSONField(), text) == INVALID_JSON


def test_json_field_string_documents_stay_json_strings():
    cleaned = JSONField().clean('"x"')
    assert type(cleaned) is JSONString
    assert JSONField().clean(cleaned) is cleaned


def test_json_field_python_values_pass_through():
    assert JSONField().clean({"a": 1}) == {"a": 1}
    assert JSONField().clean([1]) == [1]
    assert JSONField(disabled=True).clean({"a": 1}) == {"a": 1}
    assert JSONField(required=False).clean("") is None


def test_json_field_bound_data_keeps_invalid_text():
    field = JSONField()
    kept = field.bound_data("[1", None)
    assert type(kept) is InvalidJSONInput and kept == "[1"
    assert field.prepare_value(kept) == "[1"
    assert field.bound_data('{"a": 1}', None) == {"a": 1}
    assert field.bound_data(None, None) is None
    assert JSONField(disabled=True).bound_data("[2]", [1]) == [1]


def test_json_field_prepare_value_and_changes():
    field = JSONField()
    assert field.prepare_value({"a": "é"}) == '{"a": "é"}'
    assert field.has_changed({"a": 1, "b": 2}, '{"b": 2, "a": 1}') is False
    assert field.has_changed({"a": 1}, '{"a": 2}') is True
    assert field.has_changed({"a": 1}, "[1") is True
    assert isinstance(field.widget, Textarea)


def test_json_field_encoder_and_decoder():
    class Sets(json.JSONEncoder):
        def default(self, value):
            return sorted(value) if isinstance(value, set) else super().default(value)

    class Upper(json.JSONDecoder):
        def __init__(self, **kwargs):
            super().__init__(object_hook=lambda pairs: {key.upper(): value for key, value in pairs.items()}, **kwargs)

    assert JSONField(encoder=Sets).prepare_value({2, 1}) == "[1, 2]"
    assert JSONField(decoder=Upper).clean('{"a": 1}') == {"A": 1}
