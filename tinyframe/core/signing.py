"""Signing: hand a value to a client and know, when it comes back, that nobody changed it.

How it works: ``Signer.sign("hello")`` appends a separator and an HMAC of the
value, ``"hello:isSV6eok..."``; the HMAC's key comes from ``settings.SECRET_KEY``
and a salt, through ``tinyframe.utils.crypto.salted_hmac``. ``Signer.unsign``
recomputes the HMAC and compares it in constant time, returning the value or
raising ``BadSignature``. ``TimestampSigner`` puts the signing time (in base 62)
between the value and the signature, so ``unsign(..., max_age=...)`` can also
refuse old values (``SignatureExpired``). ``sign_object`` / ``dumps`` serialize
an object to JSON, optionally compress it with zlib (flagged by a leading
``"."``) and encode it as URL-safe base64 before signing, so the result fits in
a cookie or a URL.

Signing is not encryption: anyone can base64-decode and read the value. It only
proves that the value was made by someone who knows the secret key.

The format is Django's: a value signed by Django with the same key, salt and
algorithm verifies here, and the other way round. (The default salts name the
signer's module, so they differ between the two frameworks; pass ``salt=``
explicitly to share values.)
"""

import base64
import datetime
import json
import re
import time
import zlib

from tinyframe.utils.crypto import constant_time_compare, salted_hmac
from tinyframe.utils.encoding import force_bytes
from tinyframe.utils.module_loading import import_string

BASE62_ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"

# A separator made only of base64 characters could appear inside a signature,
# and then rsplit would cut the signed value in the wrong place.
_UNSAFE_SEPARATOR = re.compile(r"^[A-Za-z0-9\-_=]*$")


class BadSignature(Exception):
    """The signature does not match the value: it was changed, or signed with another key or salt."""


class SignatureExpired(BadSignature):
    """The signature is good but older than the ``max_age`` the caller accepts."""


def b62_encode(number: int) -> str:
    """Write an integer in base 62 (digits, then upper case, then lower case letters).

    Timestamps written this way are short: six characters until the year 3769.

    >>> b62_encode(0), b62_encode(61), b62_encode(62), b62_encode(-62)
    ('0', 'z', '10', '-10')
    >>> b62_encode(1700000000)
    '1r31eq'
    """
    if number == 0:
        return "0"
    sign = "-" if number < 0 else ""
    number = abs(number)
    digits = []
    while number:
        number, remainder = divmod(number, 62)
        digits.append(BASE62_ALPHABET[remainder])
    return sign + "".join(reversed(digits))


def b62_decode(text: str) -> int:
    """Read an integer written by ``b62_encode``.

    >>> b62_decode("1r31eq"), b62_decode("-10")
    (1700000000, -62)
    """
    sign = 1
    if text.startswith("-"):
        sign, text = -1, text[1:]
    number = 0
    for digit in text:
        number = number * 62 + BASE62_ALPHABET.index(digit)
    return sign * number


def b64_encode(data: bytes) -> bytes:
    """URL-safe base64 without the ``=`` padding, which would need escaping in URLs and cookies.

    >>> b64_encode(b"hi!?")
    b'aGkhPw'
    """
    return base64.urlsafe_b64encode(data).rstrip(b"=")


def b64_decode(data: bytes) -> bytes:
    """Decode ``b64_encode``'s output, putting back the padding it dropped.

    >>> b64_decode(b"aGkhPw")
    b'hi!?'
    """
    padding = b"=" * (-len(data) % 4)
    return base64.urlsafe_b64decode(data + padding)


def base64_hmac(salt: str, value, key, algorithm: str = "sha1") -> str:
    """The salted HMAC of ``value`` under ``key``, as URL-safe base64 text.

    >>> base64_hmac("ssigner", "hello", "k", algorithm="sha256")
    'isSV6eokf6OrNnDesrCbALUgVbYu8JSAV_6YHnW6i1M'
    """
    return b64_encode(salted_hmac(salt, value, key, algorithm=algorithm).digest()).decode()


def _cookie_signer_key(key) -> bytes:
    # Cookies get their own key, derived from SECRET_KEY, so that a signature
    # made for a cookie can never pass as one made for anything else.
    return b"tinyframe.http.cookies" + force_bytes(key)


def get_cookie_signer(salt: str = "tinyframe.core.signing.get_cookie_signer"):
    """The signer behind ``response.set_signed_cookie`` and ``request.get_signed_cookie``.

    Its class is ``settings.SIGNING_BACKEND``; its keys are derived from
    ``SECRET_KEY`` and ``SECRET_KEY_FALLBACKS``.
    """
    from tinyframe.conf import settings

    signer_class = import_string(settings.SIGNING_BACKEND)
    return signer_class(
        key=_cookie_signer_key(settings.SECRET_KEY),
        fallback_keys=[_cookie_signer_key(key) for key in settings.SECRET_KEY_FALLBACKS],
        salt=salt,
    )


class JSONSerializer:
    """Turn an object into compact JSON bytes and back; the default for ``dumps`` and ``loads``."""

    def dumps(self, obj) -> bytes:
        """``obj`` as JSON bytes, without spaces, since every byte ends up in a cookie or URL."""
        return json.dumps(obj, separators=(",", ":")).encode("latin-1")

    def loads(self, data: bytes):
        """The object that ``dumps`` turned into ``data``."""
        return json.loads(data.decode("latin-1"))


class Signer:
    """Sign text values with an HMAC and check them when they come back.

    ``key`` defaults to ``settings.SECRET_KEY`` and ``fallback_keys`` to
    ``settings.SECRET_KEY_FALLBACKS``, both read when the signer is made. The
    ``salt`` separates uses: a value signed for one salt does not verify for
    another. It defaults to the signer class's dotted name.
    """

    def __init__(self, *, key=None, sep: str = ":", salt: str | None = None, algorithm: str | None = None,
                 fallback_keys=None):
        from tinyframe.conf import settings

        self.key = key or settings.SECRET_KEY
        self.fallback_keys = list(settings.SECRET_KEY_FALLBACKS if fallback_keys is None else fallback_keys)
        self.sep = sep
        self.salt = salt or f"{self.__class__.__module__}.{self.__class__.__name__}"
        self.algorithm = algorithm or "sha256"
        if _UNSAFE_SEPARATOR.match(self.sep):
            raise ValueError(
                f"Unsafe Signer separator: {sep!r} (cannot be empty or consist of only A-z0-9-_=); "
                f"the default ':' is safe."
            )

    def signature(self, value, key=None) -> str:
        """The signature of ``value`` under ``key`` (by default this signer's key)."""
        return base64_hmac(self.salt + "signer", value, key or self.key, algorithm=self.algorithm)

    def sign(self, value: str) -> str:
        """Return ``value`` followed by the separator and its signature."""
        return f"{value}{self.sep}{self.signature(value)}"

    def unsign(self, signed_value: str) -> str:
        """Check a value made by ``sign`` and return the original value.

        The signature is everything after the *last* separator (the value itself
        may contain separators). Recompute the signature of the value and
        compare it with ``constant_time_compare``, first under ``self.key``,
        then under each of ``self.fallback_keys``; return the value on the first
        match. Raise ``BadSignature('No ":" found in value')`` (with the real
        separator) when there is no separator, and
        ``BadSignature('Signature "<signature>" does not match')`` when no key
        gives the same signature.
        """
        if self.sep not in signed_value:
            raise BadSignature(f'No "{self.sep}" found in value')
        value, signature = signed_value.rsplit(self.sep, 1)
        for key in [self.key, *self.fallback_keys]:
            if constant_time_compare(signature, self.signature(value, key)):
                return value
        raise BadSignature(f'Signature "{signature}" does not match')

    def sign_object(self, obj, serializer=JSONSerializer, compress: bool = False) -> str:
        """Serialize ``obj``, base64 it (compressed when that helps) and sign the result."""
        data = serializer().dumps(obj)
        compressed = False
        if compress:
            smaller = zlib.compress(data)
            # The "." flag costs one character, so compress only when it pays.
            if len(smaller) < len(data) - 1:
                data, compressed = smaller, True
        encoded = b64_encode(data).decode()
        if compressed:
            encoded = "." + encoded
        return self.sign(encoded)

    def unsign_object(self, signed_obj: str, serializer=JSONSerializer, **kwargs):
        """Check a value made by ``sign_object`` and return the object (``kwargs`` go to ``unsign``)."""
        encoded = self.unsign(signed_obj, **kwargs).encode()
        compressed = encoded.startswith(b".")
        if compressed:
            encoded = encoded[1:]
        data = b64_decode(encoded)
        if compressed:
            data = zlib.decompress(data)
        return serializer().loads(data)


class TimestampSigner(Signer):
    """A signer that also records when it signed, so ``unsign`` can refuse values too old."""

    def timestamp(self) -> str:
        """The current time in whole seconds since the epoch, in base 62."""
        return b62_encode(int(time.time()))

    def sign(self, value: str) -> str:
        """Return ``value:timestamp:signature``; the signature covers the timestamp too."""
        return super().sign(f"{value}{self.sep}{self.timestamp()}")

    def unsign(self, value: str, max_age: int | float | datetime.timedelta | None = None) -> str:
        """Check the signature, then the age: older than ``max_age`` seconds raises ``SignatureExpired``."""
        result = super().unsign(value)
        value, timestamp = result.rsplit(self.sep, 1)
        if max_age is not None:
            if isinstance(max_age, datetime.timedelta):
                max_age = max_age.total_seconds()
            age = time.time() - b62_decode(timestamp)
            if age > max_age:
                raise SignatureExpired(f"Signature age {age} > {max_age} seconds")
        return value


def dumps(obj, key=None, salt: str = "tinyframe.core.signing", serializer=JSONSerializer,
          compress: bool = False) -> str:
    """Return a signed, timestamped, URL-safe string holding ``obj`` (JSON by default).

    Use it for values that travel through a client, such as a password-reset
    token or a "remember this" cookie; ``loads`` gets the object back.
    """
    return TimestampSigner(key=key, salt=salt).sign_object(obj, serializer=serializer, compress=compress)


def loads(s: str, key=None, salt: str = "tinyframe.core.signing", serializer=JSONSerializer,
          max_age=None, fallback_keys=None):
    """Reverse ``dumps``: check the signature (and age) and return the object, or raise ``BadSignature``."""
    signer = TimestampSigner(key=key, salt=salt, fallback_keys=fallback_keys)
    return signer.unsign_object(s, serializer=serializer, max_age=max_age)
