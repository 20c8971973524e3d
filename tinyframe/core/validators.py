"""Validators: small callables that accept a value or raise ValidationError saying why not.

How it works: a validator is any callable ``validator(value)``; it returns
nothing when the value is acceptable and raises ``ValidationError(message,
code=..., params=...)`` when it is not. Model fields (chapter 06) and form
fields (chapter 09) run their ``validators`` list after converting a value,
collect every error, and report them together. Most validators here are
classes configured once (``MaxLengthValidator(100)``); a few are ready-made
instances (``validate_slug``, ``validate_email``). The ``code`` lets a field
replace a message with its own (``error_messages={"max_length": ...}``).

>>> MaxLengthValidator(3)("abcd")
Traceback (most recent call last):
  ...
tinyframe.core.exceptions.ValidationError: ['Ensure this value has at most 3 characters (it has 4).']
"""

import decimal
import ipaddress
import re
import urllib.parse

from tinyframe.core.exceptions import ValidationError

__all__ = [
    "EMPTY_VALUES", "DecimalValidator", "EmailValidator", "MaxLengthValidator", "MaxValueValidator",
    "MinLengthValidator", "MinValueValidator", "ProhibitNullCharactersValidator", "RegexValidator",
    "URLValidator", "validate_email", "validate_ipv46_address", "validate_ipv4_address",
    "validate_ipv6_address", "validate_slug", "validate_unicode_slug", "run_validators",
]

# The values a field treats as "no value": skipped by validators, refused when blank=False.
EMPTY_VALUES = (None, "", [], (), {})


def run_validators(validators, value, error_messages: dict) -> None:
    """Run every validator on ``value`` and raise all their errors together, as one ValidationError.

    Model fields and form fields both validate this way: every problem is
    reported at once, not only the first. A field's own message for an
    error's code replaces the validator's (``error_messages={"max_value":
    "Too big."}``), so a field can reword any validator it is given.
    """
    errors = []
    for validator in validators:
        try:
            validator(value)
        except ValidationError as error:
            if hasattr(error, "code") and error.code in error_messages:
                error.message = error_messages[error.code]
            errors.extend(error.error_list)
    if errors:
        raise ValidationError(errors)


def plural(count, singular: str, many: str) -> str:
    """English plural choice for a message (``ngettext`` arrives with chapter 13).

    >>> plural(1, "character", "characters"), plural(2, "character", "characters")
    ('character', 'characters')
    """
    return singular if count == 1 else many


class RegexValidator:
    """Accept strings that a regular expression matches (or, with ``inverse_match``, does not)."""

    regex = ""
    message = "Enter a valid value."
    code = "invalid"
    inverse_match = False
    flags = 0

    def __init__(self, regex=None, message=None, code=None, inverse_match=None, flags=None):
        self.regex = self.regex if regex is None else regex
        self.message = self.message if message is None else message
        self.code = self.code if code is None else code
        self.inverse_match = self.inverse_match if inverse_match is None else inverse_match
        self.flags = self.flags if flags is None else flags
        if self.flags and not isinstance(self.regex, str):
            raise TypeError("If the flags are set, regex must be a regular expression string.")
        self.regex = re.compile(self.regex, self.flags)

    def __call__(self, value):
        matched = bool(self.regex.search(str(value)))
        if matched == self.inverse_match:
            raise ValidationError(self.message, code=self.code, params={"value": value})

    def __eq__(self, other):
        return isinstance(other, RegexValidator) and (self.regex.pattern, self.flags, self.message, self.code) == (
            other.regex.pattern, other.flags, other.message, other.code)


class BaseValidator:
    """Compare a cleaned form of the value (its length, itself) with a limit."""

    message = "Ensure this value is %(limit_value)s (it is %(show_value)s)."
    code = "limit_value"

    def __init__(self, limit_value, message=None):
        self.limit_value = limit_value
        if message is not None:
            self.message = message

    def __call__(self, value):
        cleaned = self.clean(value)
        limit = self.limit_value() if callable(self.limit_value) else self.limit_value
        params = {"limit_value": limit, "show_value": cleaned, "value": value}
        if self.compare(cleaned, limit):
            raise ValidationError(self.message_for(limit), code=self.code, params=params)

    def message_for(self, limit) -> str:
        """The message for this limit (subclasses choose singular or plural)."""
        return self.message

    def compare(self, cleaned, limit) -> bool:
        """True when ``cleaned`` breaks the limit."""
        return cleaned is not limit

    def clean(self, value):
        """What is compared: the value itself, unless a subclass says otherwise."""
        return value

    def __eq__(self, other):
        return type(self) is type(other) and (self.limit_value, self.message) == (other.limit_value, other.message)


class MaxValueValidator(BaseValidator):
    """Refuse values above ``limit_value``."""

    message = "Ensure this value is less than or equal to %(limit_value)s."
    code = "max_value"

    def compare(self, cleaned, limit):
        return cleaned > limit


class MinValueValidator(BaseValidator):
    """Refuse values below ``limit_value``."""

    message = "Ensure this value is greater than or equal to %(limit_value)s."
    code = "min_value"

    def compare(self, cleaned, limit):
        return cleaned < limit


class MinLengthValidator(BaseValidator):
    """Refuse values shorter than ``limit_value``."""

    code = "min_length"

    def message_for(self, limit):
        unit = plural(limit, "character", "characters")
        return f"Ensure this value has at least %(limit_value)d {unit} (it has %(show_value)d)."

    def compare(self, cleaned, limit):
        return cleaned < limit

    def clean(self, value):
        return len(value)


class MaxLengthValidator(BaseValidator):
    """Refuse values longer than ``limit_value`` (every ``CharField`` has one)."""

    code = "max_length"

    def message_for(self, limit):
        unit = plural(limit, "character", "characters")
        return f"Ensure this value has at most %(limit_value)d {unit} (it has %(show_value)d)."

    def compare(self, cleaned, limit):
        return cleaned > limit

    def clean(self, value):
        return len(value)


class DecimalValidator:
    """Refuse decimals with more digits, in all or after the point, than the column holds."""

    def __init__(self, max_digits: int | None, decimal_places: int | None):
        self.max_digits = max_digits
        self.decimal_places = decimal_places

    def __call__(self, value: decimal.Decimal):
        sign, digit_tuple, exponent = value.as_tuple()
        if exponent in {"F", "n", "N"}:
            raise ValidationError("Enter a number.", code="invalid", params={"value": value})
        if exponent >= 0:
            digits = len(digit_tuple) + exponent if digit_tuple != (0,) else 1
            decimals = 0
        else:
            # 0.0123 has three digits after the point but is written with four.
            digits = max(len(digit_tuple), -exponent)
            decimals = -exponent
        whole_digits = digits - decimals
        if self.max_digits is not None and digits > self.max_digits:
            self.fail("max_digits", "digit in total", "digits in total", self.max_digits, value)
        if self.decimal_places is not None and decimals > self.decimal_places:
            self.fail("max_decimal_places", "decimal place", "decimal places", self.decimal_places, value)
        if (
            self.max_digits is not None
            and self.decimal_places is not None
            and whole_digits > self.max_digits - self.decimal_places
        ):
            limit = self.max_digits - self.decimal_places
            self.fail("max_whole_digits", "digit before the decimal point", "digits before the decimal point", limit, value)

    @staticmethod
    def fail(code, singular, many, limit, value):
        """Raise the error for one broken limit, its message in the right number."""
        message = f"Ensure that there are no more than %(max)s {plural(limit, singular, many)}."
        raise ValidationError(message, code=code, params={"max": limit, "value": value})

    def __eq__(self, other):
        return isinstance(other, DecimalValidator) and (self.max_digits, self.decimal_places) == (
            other.max_digits, other.decimal_places)


# A host name: labels of letters (any script), digits and inner hyphens, dot-separated.
HOST_LABEL = r"[^\W_](?:(?:[^\W_]|-){0,61}[^\W_])?"
DOMAIN_RE = re.compile(rf"(?:{HOST_LABEL}\.)+(?:[^\W\d_]{{2,63}}|xn--[a-z0-9]{{1,59}})\.?\Z", re.IGNORECASE)


def is_valid_domain(domain: str) -> bool:
    """True for a host name with a top-level domain, like ``www.example.com``.

    >>> is_valid_domain("example.com"), is_valid_domain("localhost"), is_valid_domain("-bad-.com")
    (True, False, False)
    """
    return len(domain) <= 253 and DOMAIN_RE.match(domain) is not None


class EmailValidator:
    """Accept e-mail addresses: a user part of ASCII atoms, then a domain or an ``[IPv4]`` literal."""

    message = "Enter a valid email address."
    code = "invalid"
    # Dot-separated "atoms" of ASCII letters, digits and the symbols RFC 5322 allows.
    user_regex = re.compile(r"^[-!#$%&'*+/=?^_`{}|~0-9A-Z]+(\.[-!#$%&'*+/=?^_`{}|~0-9A-Z]+)*\Z", re.IGNORECASE)
    domain_allowlist = ["localhost"]

    def __init__(self, message=None, code=None, allowlist=None):
        self.message = message or self.message
        self.code = code or self.code
        if allowlist is not None:
            self.domain_allowlist = allowlist

    def __call__(self, value):
        if not value or "@" not in value or len(value) > 320:
            raise ValidationError(self.message, code=self.code, params={"value": value})
        user_part, domain_part = value.rsplit("@", 1)
        if not self.user_regex.match(user_part) or not self.valid_domain(domain_part):
            raise ValidationError(self.message, code=self.code, params={"value": value})

    def valid_domain(self, domain: str) -> bool:
        """A domain name, an allow-listed name, or an IPv4 address in brackets."""
        if domain in self.domain_allowlist or is_valid_domain(domain):
            return True
        if domain.startswith("[") and domain.endswith("]"):
            try:
                ipaddress.IPv4Address(domain[1:-1])
            except ValueError:
                return False
            return True
        return False

    def __eq__(self, other):
        return isinstance(other, EmailValidator) and (self.message, self.code, self.domain_allowlist) == (
            other.message, other.code, other.domain_allowlist)


validate_email = EmailValidator()


# What may follow the host: nothing, or a colon and up to five digits (Django checks no range).
PORT_RE = re.compile(r"(?:\]|^[^:\]]*|:\d{1,5})\Z")


class URLValidator:
    """Accept absolute URLs with one of ``schemes`` and a real host (name, IPv4, ``[IPv6]``, localhost)."""

    message = "Enter a valid URL."
    code = "invalid"
    schemes = ["http", "https", "ftp", "ftps"]
    max_length = 2048

    def __init__(self, schemes=None, message=None, code=None):
        self.schemes = schemes or self.schemes
        self.message = message or self.message
        self.code = code or self.code

    def __call__(self, value):
        if not isinstance(value, str) or len(value) > self.max_length or not self.is_valid(value):
            raise ValidationError(self.message, code=self.code, params={"value": value})

    def is_valid(self, value: str) -> bool:
        """Whether ``value`` is a URL this validator accepts."""
        if any(character.isspace() for character in value):
            return False
        scheme, _, rest = value.partition("://")
        if scheme.lower() not in self.schemes or not rest:
            return False
        try:
            parts = urllib.parse.urlsplit(value)
        except ValueError:
            return False
        host_and_port = parts.netloc.rpartition("@")[2]
        if PORT_RE.search(host_and_port) is None:
            return False
        host = parts.hostname or ""
        if host_and_port.startswith("["):
            try:
                return isinstance(ipaddress.ip_address(host), ipaddress.IPv6Address)
            except ValueError:
                return False
        if host == "localhost" or is_valid_domain(host):
            return True
        try:
            return isinstance(ipaddress.ip_address(host), ipaddress.IPv4Address)
        except ValueError:
            return False


validate_slug = RegexValidator(
    r"^[-a-zA-Z0-9_]+\Z",
    "Enter a valid “slug” consisting of letters, numbers, underscores or hyphens.",
    "invalid",
)
validate_unicode_slug = RegexValidator(
    r"^[-\w]+\Z",
    "Enter a valid “slug” consisting of Unicode letters, numbers, underscores, or hyphens.",
    "invalid",
)


def ip_address_validator(protocol_label: str, kind):
    """A validator accepting addresses of ``kind`` (IPv4Address, IPv6Address, or both)."""

    def validate(value):
        try:
            address = ipaddress.ip_address(value)
        except ValueError:
            address = None
        if not isinstance(address, kind):
            raise ValidationError(
                "Enter a valid %(protocol)s address.", code="invalid", params={"protocol": protocol_label, "value": value}
            )

    validate.__doc__ = f"Accept {protocol_label} addresses."
    return validate


validate_ipv4_address = ip_address_validator("IPv4", ipaddress.IPv4Address)
validate_ipv6_address = ip_address_validator("IPv6", ipaddress.IPv6Address)
validate_ipv46_address = ip_address_validator("IPv4 or IPv6", (ipaddress.IPv4Address, ipaddress.IPv6Address))


class ProhibitNullCharactersValidator:
    """Refuse text with a NUL character, which most databases cannot store in text."""

    message = "Null characters are not allowed."
    code = "null_characters_not_allowed"

    def __call__(self, value):
        if "\x00" in str(value):
            raise ValidationError(self.message, code=self.code, params={"value": value})

    def __eq__(self, other):
        return isinstance(other, ProhibitNullCharactersValidator)
# >>> 08_migrations


# A validator given to a field is written into migration files: each remembers its arguments (Django's
# @deconstructible). Instances made above (validate_slug...) were made before, and cannot be written.
from tinyframe.utils.deconstruct import deconstructible  # noqa: E402

for _validator_class in (RegexValidator, MaxValueValidator, MinValueValidator, MinLengthValidator,
                         MaxLengthValidator, DecimalValidator, EmailValidator, URLValidator,
                         ProhibitNullCharactersValidator):  # fmt: skip
    deconstructible(_validator_class, path=f"{__name__}.{_validator_class.__name__}")
del _validator_class
# <<< 08_migrations
# >>> 09_forms


# The validators form fields add: whole numbers and lists of them, steps, file extensions, IP protocols.
import math  # noqa: E402
import pathlib  # noqa: E402

integer_validator = RegexValidator(r"^-?\d+\Z", message="Enter a valid integer.", code="invalid")


def validate_integer(value):
    """Accept text that is a whole number, with an optional minus sign.

    >>> validate_integer("-12") is None
    True
    """
    return integer_validator(value)


def int_list_validator(sep: str = ",", message=None, code: str = "invalid", allow_negative: bool = False):
    """A validator accepting digits separated by ``sep`` ("1,22,333"), minus signs only if allowed."""
    sign = "(-)?" if allow_negative else ""
    return RegexValidator(rf"^{sign}\d+(?:{re.escape(sep)}{sign}\d+)*\Z", message=message, code=code)


validate_comma_separated_integer_list = int_list_validator(message="Enter only digits separated by commas.")


class StepValueValidator(BaseValidator):
    """Accept multiples of ``limit_value`` (counted from ``offset`` when given: 1, 4, 7... for step 3 from 1).

    >>> try:
    ...     StepValueValidator(3, offset=1)(5)
    ... except ValidationError as error:
    ...     print(error.messages[0])
    Ensure this value is a multiple of step size 3, starting from 1, e.g. 1, 4, 7, and so on.
    """

    message = "Ensure this value is a multiple of step size %(limit_value)s."
    code = "step_size"

    def __init__(self, limit_value, message=None, offset=None):
        super().__init__(limit_value, message)
        if offset is not None:
            self.message = (
                "Ensure this value is a multiple of step size %(limit_value)s, starting from %(offset)s, "
                "e.g. %(offset)s, %(valid_value1)s, %(valid_value2)s, and so on."
            )
        self.offset = offset

    def __call__(self, value):
        if self.offset is None:
            return super().__call__(value)
        limit = self.limit_value() if callable(self.limit_value) else self.limit_value
        if self.compare(value, limit):
            offset = type(value)(self.offset)
            params = {"limit_value": limit, "offset": offset, "valid_value1": offset + limit,
                      "valid_value2": offset + 2 * limit, "value": value}  # fmt: skip
            raise ValidationError(self.message, code=self.code, params=params)

    def compare(self, cleaned, limit) -> bool:
        """True when ``cleaned - offset`` is not a multiple of the step (within a float's precision)."""
        offset = 0 if self.offset is None else self.offset
        if all(isinstance(number, int) for number in (cleaned, offset, limit)):
            return (cleaned - offset) % limit != 0  # exact, and no float overflow for huge numbers
        try:
            remainder = math.remainder(cleaned - offset, limit)
        except (ValueError, ArithmeticError):
            # Beyond a float's (or the decimal context's) range there is no telling multiples apart:
            # refuse rather than fail.
            return True
        return not math.isclose(remainder, 0, abs_tol=1e-9)

    def __eq__(self, other):
        return super().__eq__(other) and self.offset == other.offset


class FileExtensionValidator:
    """Accept uploaded files whose name ends in one of ``allowed_extensions`` (any case; None allows all)."""

    message = "File extension “%(extension)s” is not allowed. Allowed extensions are: %(allowed_extensions)s."
    code = "invalid_extension"

    def __init__(self, allowed_extensions=None, message=None, code=None):
        if allowed_extensions is not None:
            allowed_extensions = [extension.lower() for extension in allowed_extensions]
        self.allowed_extensions = allowed_extensions
        if message is not None:
            self.message = message
        if code is not None:
            self.code = code

    def __call__(self, value):
        extension = pathlib.Path(value.name).suffix[1:].lower()
        if self.allowed_extensions is not None and extension not in self.allowed_extensions:
            params = {"extension": extension, "allowed_extensions": ", ".join(self.allowed_extensions), "value": value}
            raise ValidationError(self.message, code=self.code, params=params)

    def __eq__(self, other):
        return isinstance(other, FileExtensionValidator) and (
            set(self.allowed_extensions or []), self.message, self.code) == (
            set(other.allowed_extensions or []), other.message, other.code)  # fmt: skip


ip_address_validator_map = {
    "both": [validate_ipv46_address],
    "ipv4": [validate_ipv4_address],
    "ipv6": [validate_ipv6_address],
}


def ip_address_validators(protocol: str, unpack_ipv4: bool) -> list:
    """The validators of a ``GenericIPAddressField`` for ``protocol`` ("both", "IPv4" or "IPv6", any case)."""
    if protocol != "both" and unpack_ipv4:
        raise ValueError("You can only use `unpack_ipv4` if `protocol` is set to 'both'")
    try:
        return ip_address_validator_map[protocol.lower()]
    except KeyError:
        raise ValueError(f"The protocol '{protocol}' is unknown. Supported: {list(ip_address_validator_map)}") from None


__all__ += ["FileExtensionValidator", "StepValueValidator", "int_list_validator", "ip_address_validators",
            "validate_comma_separated_integer_list", "validate_integer"]  # fmt: skip
for _validator_class in (StepValueValidator, FileExtensionValidator):
    deconstructible(_validator_class, path=f"{__name__}.{_validator_class.__name__}")
del _validator_class
# <<< 09_forms
