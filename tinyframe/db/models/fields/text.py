"""The text fields: free text, and text with a shape (e-mail address, slug, URL, IP address).

How it works: every one is stored as text (``varchar(n)`` or ``text``) and
comes back as ``str``, so none needs ``from_db_value``. What sets them apart
is validation: ``CharField`` checks ``max_length`` (a ``MaxLengthValidator``,
since SQLite itself never refuses a long string), and the shaped ones add a
validator for their shape and a sensible default length. A
``GenericIPAddressField`` also normalises what it stores: IPv6 addresses in
their short form (``2001:db8::1``), so that equal addresses are equal text.
"""

import ipaddress

from tinyframe.core import validators
from tinyframe.core.exceptions import ValidationError
from tinyframe.db.models.fields import Field

__all__ = ["CharField", "EmailField", "GenericIPAddressField", "SlugField", "TextField", "URLField"]


class TextConversion:
    """Conversions for a field whose values are text: ``str()`` of anything else, None kept (NULL)."""

    def to_python(self, value):
        if isinstance(value, str) or value is None:
            return value
        return str(value)

    def get_prep_value(self, value):
        return self.to_python(super().get_prep_value(value))


class CharField(TextConversion, Field):
    """Text of at most ``max_length`` characters (a ``varchar`` column)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.max_length is not None:
            self.validators.append(validators.MaxLengthValidator(self.max_length))

    def db_type(self, connection):
        if self.max_length is None:
            return "varchar"
        return super().db_type(connection)


class TextField(TextConversion, Field):
    """Text of any length (a ``text`` column)."""


class EmailField(CharField):
    """An e-mail address (a ``CharField`` of 254 characters that validates the address)."""

    default_validators = [validators.validate_email]

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("max_length", 254)
        super().__init__(*args, **kwargs)


class SlugField(CharField):
    """A short label of letters, digits, ``-`` and ``_`` for URLs; indexed, 50 characters by default."""

    def __init__(self, *args, max_length=50, db_index=True, allow_unicode=False, **kwargs):
        self.allow_unicode = allow_unicode
        if allow_unicode:
            self.default_validators = [validators.validate_unicode_slug]
        else:
            self.default_validators = [validators.validate_slug]
        super().__init__(*args, max_length=max_length, db_index=db_index, **kwargs)


class URLField(CharField):
    """An absolute http(s) or ftp(s) URL, 200 characters by default."""

    default_validators = [validators.URLValidator()]

    def __init__(self, verbose_name=None, name=None, **kwargs):
        kwargs.setdefault("max_length", 200)
        super().__init__(verbose_name, name, **kwargs)


class GenericIPAddressField(Field):
    """An IPv4 or IPv6 address (``protocol`` "both", "IPv4" or "IPv6"); IPv6 kept in its short form."""

    empty_strings_allowed = False
    protocols = {
        "both": validators.validate_ipv46_address,
        "ipv4": validators.validate_ipv4_address,
        "ipv6": validators.validate_ipv6_address,
    }

    def __init__(self, verbose_name=None, name=None, protocol="both", unpack_ipv4=False, *args, **kwargs):
        if protocol.lower() not in self.protocols:
            raise ValueError(f"The protocol '{protocol}' is unknown. Supported: {list(self.protocols)}")
        if unpack_ipv4 and protocol.lower() != "both":
            raise ValueError("You can only use `unpack_ipv4` if `protocol` is set to 'both'")
        self.protocol = protocol
        self.unpack_ipv4 = unpack_ipv4
        self.default_validators = [self.protocols[protocol.lower()]]
        kwargs["max_length"] = 39
        super().__init__(verbose_name, name, *args, **kwargs)

    def to_python(self, value):
        if value is None:
            return None
        value = str(value).strip()
        if ":" in value:
            return self.clean_ipv6(value)
        return value

    def clean_ipv6(self, value: str) -> str:
        """An IPv6 address in its compressed form (an IPv4-mapped one unpacked if asked)."""
        try:
            address = ipaddress.IPv6Address(value)
        except ValueError:
            raise ValidationError("This is not a valid IPv6 address.", code="invalid", params={"protocol": "IPv6"})
        mapped = address.ipv4_mapped
        if mapped is not None:
            # An IPv4 address in IPv6 clothing: shown as "::ffff:1.2.3.4", or unpacked to "1.2.3.4".
            return str(mapped) if self.unpack_ipv4 else f"::ffff:{mapped}"
        return address.compressed

    def get_prep_value(self, value):
        value = super().get_prep_value(value)
        if value is None:
            return None
        if value and ":" in value:
            try:
                return self.clean_ipv6(value)
            except ValidationError:
                pass
        return str(value)

    def get_db_prep_value(self, value, connection, prepared=False):
        # An empty address is stored as NULL, as Django does.
        return super().get_db_prep_value(value, connection, prepared) or None
