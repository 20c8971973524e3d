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


# -- Host names and IP addresses: what e-mail addresses and URLs share ---------------------------
# Pieces of regular expressions that EmailValidator and URLValidator combine, so that both read a
# host name by the same rules. They are compiled with re.IGNORECASE: "a-z" covers "A-Z" too.

# What counts as a letter beyond ASCII, as in Django: every character from "¡" (U+00A1) to the end of
# the Basic Multilingual Plane (some symbols too; no emoji beyond U+FFFF). A name in any script
# ("müller.de") passes as typed, and so does its ASCII form ("xn--mller-kva.de"): neither is
# converted into the other.
NON_ASCII = "\u00a1-\uffff"
DOMAIN_LABEL = (
    r"(?!-)"  # not starting with a hyphen,
    rf"[a-z0-9{NON_ASCII}-]{{1,63}}"  # 1 to 63 letters, digits and hyphens (RFC 1034's limit),
    r"(?<!-)"  # not ending with a hyphen
)
TOP_LEVEL_DOMAIN = (
    r"(?!-)"  # not starting with a hyphen,
    rf"(?:[a-z{NON_ASCII}-]{{2,63}}"  # 2 to 63 letters and hyphens, no digits: "com", "co-uk",
    r"|xn--[a-z0-9]{1,59})"  # or a punycode name, digits allowed: "xn--p1ai",
    r"(?<!-)"  # not ending with a hyphen
)
# Labels and dots, the last label a top-level domain: "example.com", "mail.example.co-uk".
DOMAIN_NAME = rf"(?:{DOMAIN_LABEL}\.)+{TOP_LEVEL_DOMAIN}"
DOMAIN_NAME_RE = re.compile(DOMAIN_NAME, re.IGNORECASE)
# A number from 0 to 255 without a leading zero: 250-255, 200-249, 100-199, 0-99.
IPV4_NUMBER = r"(?:25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])"
IPV4_ADDRESS = rf"{IPV4_NUMBER}(?:\.{IPV4_NUMBER}){{3}}"  # "192.168.0.1"
# An address in brackets, "[::1]": only its characters here, ip_version() judges the address.
IP_LITERAL = r"\[[0-9a-f:.]+\]"
IP_LITERAL_RE = re.compile(IP_LITERAL, re.IGNORECASE)


def ip_version(text: str) -> int | None:
    """4 or 6 for an IP address, None for anything else.

    As in Django, an IPv6 address longer than 39 characters (eight groups of
    four hex digits) is refused, however it is written.

    >>> ip_version("127.0.0.1"), ip_version("::1"), ip_version("1.2.3")
    (4, 6, None)
    >>> ip_version("::ffff:192.168.100.200"), ip_version("0000:0000:0000:0000:0000:ffff:192.168.100.200")
    (6, None)
    """
    try:
        address = ipaddress.ip_address(text)
    except ValueError:
        return None
    if address.version == 6 and len(str(text)) > 39:
        return None
    return address.version


class EmailValidator:
    """Accept e-mail addresses: a local part, "@", then a domain name, an allowed name or an IP address in brackets.

    The local part is dot-separated atoms (``first.last``) or a quoted string
    (``"john..doe"``); the domain is a name with a top-level domain
    (``example.com``, no trailing dot), a name of ``allowlist`` (``localhost``),
    or ``[127.0.0.1]`` / ``[::1]``.

    >>> [validate_email.is_valid(value) for value in ['"john"@example.com', "a@[::1]", "a@example.com."]]
    [True, True, False]
    """

    message = "Enter a valid email address."
    code = "invalid"
    user_regex = re.compile(
        r"[-!#$%&'*+/=?^_`{}|~0-9a-z]+"  # an atom: letters, digits and the symbols RFC 5322 allows,
        r"(?:\.[-!#$%&'*+/=?^_`{}|~0-9a-z]+)*"  # more atoms after single dots: "first.last";
        r'|"(?:'  # or a quoted string, of
        r"[\x01-\x08\x0b\x0c\x0e-\x1f!#-\[\]-\x7f]"  # ASCII but NUL, tab, CR, LF, space, quote, backslash,
        r"|\\[\x01-\x09\x0b\x0c\x0e-\x7f]"  # or a backslash and any ASCII but NUL, CR and LF ("\ ", '\"'),
        r')*"',  # between double quotes
        re.IGNORECASE,
    )
    domain_allowlist = ["localhost"]
    max_length = 320  # RFC 3696, section 3: 64 for the local part, "@", 255 for the domain

    def __init__(self, message=None, code=None, allowlist=None):
        if message is not None:
            self.message = message
        if code is not None:
            self.code = code
        if allowlist is not None:
            self.domain_allowlist = allowlist

    def __call__(self, value):
        if not self.is_valid(value):
            raise ValidationError(self.message, code=self.code, params={"value": value})

    def is_valid(self, value: str) -> bool:
        """Whether ``value`` is an address this validator accepts."""
        if not value or "@" not in value or len(value) > self.max_length:
            return False
        user_part, domain_part = value.rsplit("@", 1)
        if not self.user_regex.fullmatch(user_part):
            return False
        return domain_part in self.domain_allowlist or self.validate_domain_part(domain_part)

    def validate_domain_part(self, domain_part: str) -> bool:
        """A domain name (``example.com``), or an IPv4 or IPv6 address in brackets (``[::1]``)."""
        if DOMAIN_NAME_RE.fullmatch(domain_part):
            return True
        return IP_LITERAL_RE.fullmatch(domain_part) is not None and ip_version(domain_part[1:-1]) is not None

    def __eq__(self, other):
        return isinstance(other, EmailValidator) and (self.message, self.code, set(self.domain_allowlist)) == (
            other.message, other.code, set(other.domain_allowlist))


validate_email = EmailValidator()


URL_RE = re.compile(
    r"[a-z0-9.+-]*://"  # a scheme and "://" (is_valid checks the scheme is one of `schemes`),
    r"(?:[^\s:@/]+(?::[^\s:@/]*)?@)?"  # perhaps "user@" or "user:password@" (a user; no space, @, / or 2nd :),
    rf"(?:{IPV4_ADDRESS}|{IP_LITERAL}|{DOMAIN_NAME}\.?|localhost)"  # the host (a name may end in a dot),
    r"(?::[0-9]{1,5})?"  # perhaps a port of up to five digits (of any value, as in Django),
    r"(?:[/?#]\S*)?",  # then perhaps a path, a query or a fragment, without spaces
    re.IGNORECASE,
)


class URLValidator:
    """Accept absolute URLs with one of ``schemes`` and a real host (name, IPv4, ``[IPv6]``, localhost).

    >>> [URLValidator().is_valid(value) for value in ["http://example.co-uk", "http://u:p:q@example.com"]]
    [True, False]
    """

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
        if value.split("://")[0].lower() not in self.schemes or not URL_RE.fullmatch(value):
            return False
        try:
            parts = urllib.parse.urlsplit(value)
        except ValueError:  # an unclosed "[", or a host that Unicode normalisation would change into "/" or "@"
            return False
        if parts.hostname is None or len(parts.hostname) > 253:  # RFC 1034's limit for a whole host name
            return False
        if parts.netloc.rpartition("@")[2].startswith("["):
            return ip_version(parts.hostname) == 6  # "[1.2.3.4]" and "[fe80::1%eth0]" are not IPv6 hosts
        return True


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


def ip_address_validator(protocol_label: str, versions: tuple):
    """A validator accepting the addresses ``ip_version`` counts as one of ``versions`` ((4,), (6,) or (4, 6))."""

    def validate(value):
        if ip_version(value) not in versions:
            raise ValidationError(
                "Enter a valid %(protocol)s address.", code="invalid", params={"protocol": protocol_label, "value": value}
            )

    validate.__doc__ = f"Accept {protocol_label} addresses."
    return validate


validate_ipv4_address = ip_address_validator("IPv4", (4,))
validate_ipv6_address = ip_address_validator("IPv6", (6,))
validate_ipv46_address = ip_address_validator("IPv4 or IPv6", (4, 6))


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
