"""Text fields with a shape: e-mail addresses, URLs, slugs, patterns, UUIDs, IP addresses, JSON.

How it works: each is a ``CharField`` (so text is stripped, limited and free
of NUL characters) with one more step. Most add a validator that checks the
shape (``validate_email``, ``URLValidator``, ``validate_slug``, a
``RegexValidator``, the IP address validators); some convert in
``to_python``: a URL without a scheme gets ``assume_scheme``, a UUID becomes a
``uuid.UUID``, an IPv6 address is written in its short form, JSON text is
parsed into Python values.

>>> URLField().clean("example.com")
'http://example.com'
>>> GenericIPAddressField().clean("2001:0db8:0000:0000:0000:0000:0000:0001")
'2001:db8::1'
"""

import ipaddress
import json
import math
import re
import uuid

from tinyframe.conf import settings
from tinyframe.core import validators
from tinyframe.core.exceptions import ValidationError
from tinyframe.forms.fields.base import CharField
from tinyframe.forms.widgets import EmailInput, Textarea, URLInput

__all__ = ["EmailField", "GenericIPAddressField", "JSONField", "RegexField", "SlugField", "URLField", "UUIDField"]

# The longest IPv6 address written in full: eight groups of four hex digits and seven colons.
MAX_IPV6_ADDRESS_LENGTH = 39


class EmailField(CharField):
    """An e-mail address, at most 320 characters (64 for the user, @, 255 for the domain)."""

    widget = EmailInput
    default_validators = [validators.validate_email]

    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", 320)
        super().__init__(strip=True, **kwargs)


class URLField(CharField):
    """An absolute URL; one typed without a scheme ("example.com") gets ``assume_scheme`` in front.

    Django 5.2's default scheme is "http" (Django 6.0's will be "https"; the
    ``FORMS_URLFIELD_ASSUME_HTTPS`` setting chooses it now).
    """

    widget = URLInput
    default_error_messages = {"invalid": "Enter a valid URL."}
    default_validators = [validators.URLValidator()]

    def __init__(self, *, assume_scheme=None, **kwargs):
        if assume_scheme is None:
            assume_scheme = "https" if getattr(settings, "FORMS_URLFIELD_ASSUME_HTTPS", False) else "http"
        self.assume_scheme = assume_scheme
        super().__init__(strip=True, **kwargs)

    def to_python(self, value):
        """The URL, with ``assume_scheme`` added when what comes before the first colon is no scheme."""
        value = super().to_python(value)
        if value:
            scheme, colon, _ = value.partition(":")
            # "localhost:8000" has a colon but no scheme: a scheme starts with an ASCII letter and has no "/".
            if not colon or not scheme or not (scheme[0].isascii() and scheme[0].isalpha()) or "/" in scheme:
                separator = ":" if value.startswith("//") else "://"
                value = f"{self.assume_scheme}{separator}{value}"
        return value


class SlugField(CharField):
    """A slug: letters, digits, hyphens and underscores (any script's letters with ``allow_unicode``)."""

    default_validators = [validators.validate_slug]

    def __init__(self, *, allow_unicode=False, **kwargs):
        self.allow_unicode = allow_unicode
        if allow_unicode:
            self.default_validators = [validators.validate_unicode_slug]
        super().__init__(**kwargs)


class RegexField(CharField):
    """Text that a regular expression must match (searched, so anchor it with ``^`` and ``\\Z``).

    Whitespace is kept by default (``strip=False``): it may be part of the pattern.

    >>> RegexField(r"^\\d{4}\\Z").clean("2024")
    '2024'
    """

    def __init__(self, regex, **kwargs):
        kwargs.setdefault("strip", False)
        super().__init__(**kwargs)
        self.regex = regex

    @property
    def regex(self):
        """The compiled pattern; setting it (text or compiled) replaces the field's regex validator."""
        return self._regex

    @regex.setter
    def regex(self, regex):
        if isinstance(regex, str):
            regex = re.compile(regex)
        self._regex = regex
        if getattr(self, "_regex_validator", None) in self.validators:
            self.validators.remove(self._regex_validator)
        self._regex_validator = validators.RegexValidator(regex=regex)
        self.validators.append(self._regex_validator)


class UUIDField(CharField):
    """A UUID, as a ``uuid.UUID``, typed with or without hyphens and braces."""

    default_error_messages = {"invalid": "Enter a valid UUID."}

    def prepare_value(self, value):
        """A UUID shown in its usual hyphenated form."""
        if isinstance(value, uuid.UUID):
            return str(value)
        return value

    def to_python(self, value):
        """A ``uuid.UUID``, or None when nothing was typed."""
        value = super().to_python(value)
        if value in self.empty_values:
            return None
        if not isinstance(value, uuid.UUID):
            try:
                value = uuid.UUID(value)
            except ValueError:
                raise ValidationError(self.error_messages["invalid"], code="invalid") from None
        return value


def clean_ipv6_address(ip_str: str, unpack_ipv4: bool = False, error_message: str = "This is not a valid IPv6 address.",
                       max_length: int = MAX_IPV6_ADDRESS_LENGTH) -> str:  # fmt: skip
    """An IPv6 address in its one canonical form: lowercase, no leading zeros, the longest zero run as "::".

    An IPv4 address mapped into IPv6 is written ``::ffff:1.2.3.4`` (or just
    ``1.2.3.4`` with ``unpack_ipv4``). Text longer than ``max_length`` is
    refused before it is parsed at all.

    >>> clean_ipv6_address("::FFFF:10.0.0.1"), clean_ipv6_address("::ffff:10.0.0.1", unpack_ipv4=True)
    ('::ffff:10.0.0.1', '10.0.0.1')
    """
    try:
        if len(ip_str) > max_length:
            raise ValueError(f"Unable to convert {ip_str[:20]!r}... to an IPv6 address (too long).")
        # Through int, which drops a "%scope" suffix: an address a form stores is the address alone.
        address = ipaddress.IPv6Address(int(ipaddress.IPv6Address(ip_str)))
    except ValueError:
        raise ValidationError(error_message, code="invalid", params={"protocol": "IPv6"}) from None
    if address.ipv4_mapped:
        return str(address.ipv4_mapped) if unpack_ipv4 else f"::ffff:{address.ipv4_mapped}"
    return str(address)


class GenericIPAddressField(CharField):
    """An IPv4 or IPv6 address (``protocol`` "both", "IPv4" or "IPv6"); IPv6 comes back in its short form."""

    def __init__(self, *, protocol="both", unpack_ipv4=False, **kwargs):
        self.unpack_ipv4 = unpack_ipv4
        self.default_validators = validators.ip_address_validators(protocol, unpack_ipv4)
        kwargs.setdefault("max_length", MAX_IPV6_ADDRESS_LENGTH)
        super().__init__(**kwargs)

    def to_python(self, value):
        """The address as text, "" when empty; text with a colon is read as IPv6 and normalized."""
        if value in self.empty_values:
            return ""
        value = str(value).strip()
        if value and ":" in value:
            return clean_ipv6_address(value, self.unpack_ipv4, max_length=self.max_length)
        return value


class InvalidJSONInput(str):
    """Submitted text that is not JSON, kept as it was typed so the form shows it again to be fixed."""


class JSONString(str):
    """A JSON document that is a string: ``'"hello"'`` cleans to this, not to text a second decode would read."""


def refuse_constant(name: str):
    """``json.loads`` reads NaN and Infinity, which are not JSON: refuse them (no JSON column stores them)."""
    raise ValueError(f"{name} is not JSON")


def finite_float(text: str) -> float:
    """A JSON number as a float, refusing one too large for it (``1e999`` would become infinity)."""
    number = float(text)
    if not math.isfinite(number):
        raise ValueError(f"{text} is too large")
    return number


def loads(text, decoder=None):
    """``json.loads`` that accepts only JSON: no NaN, no Infinity, no number a float cannot hold."""
    return json.loads(text, cls=decoder, parse_constant=refuse_constant, parse_float=finite_float)


class JSONField(CharField):
    """A JSON document, parsed: a dict, list, number, bool, None or ``JSONString``.

    >>> JSONField().clean('{"tags": ["a", "b"]}')
    {'tags': ['a', 'b']}
    """

    default_error_messages = {"invalid": "Enter a valid JSON."}
    widget = Textarea

    def __init__(self, encoder=None, decoder=None, **kwargs):
        self.encoder = encoder
        self.decoder = decoder
        super().__init__(**kwargs)

    def to_python(self, value):
        """The parsed document; None for nothing typed; a value that is already Python passes through."""
        if self.disabled:
            return value
        if value in self.empty_values:
            return None
        if isinstance(value, (list, dict, int, float, JSONString)):
            return value
        try:
            converted = loads(value, self.decoder)
        except (ValueError, TypeError, RecursionError):
            # ValueError: not JSON, NaN or Infinity, or a number of more than 4300 digits;
            # RecursionError: thousands of nested brackets.
            raise ValidationError(self.error_messages["invalid"], code="invalid", params={"value": value}) from None
        return JSONString(converted) if isinstance(converted, str) else converted

    def bound_data(self, data, initial):
        """The submitted text parsed, or kept as ``InvalidJSONInput`` when it is not JSON."""
        if self.disabled:
            return initial
        if data is None:
            return None
        try:
            return loads(data, self.decoder)
        except (ValueError, TypeError, RecursionError):
            return InvalidJSONInput(data)

    def prepare_value(self, value):
        """The value as JSON text for the widget (invalid input shown again as it was typed)."""
        if isinstance(value, InvalidJSONInput):
            return value
        return json.dumps(value, ensure_ascii=False, cls=self.encoder)

    def has_changed(self, initial, data):
        """Compare the documents, not their text: key order and spacing are no change."""
        if super().has_changed(initial, data):
            return True
        return json.dumps(initial, sort_keys=True, cls=self.encoder) != json.dumps(
            self.to_python(data), sort_keys=True, cls=self.encoder
        )
