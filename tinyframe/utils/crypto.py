"""The few cryptographic helpers the rest of tinyframe builds on.

How it works: ``salted_hmac`` derives a key from a *salt* (what the value is
for, such as "tinyframe.core.signing.Signersigner") and a *secret* (by default
``settings.SECRET_KEY``), then returns an HMAC of the value under that key. So
one secret signs many kinds of values, and a signature made for one purpose is
worthless for another. ``constant_time_compare`` checks a signature without
leaking, through timing, how much of a forged one was right, and
``get_random_string`` makes tokens with the operating system's secure
randomness (``secrets``), never ``random``.
"""

import hashlib
import hmac
import secrets
import string

from tinyframe.utils.encoding import force_bytes

RANDOM_STRING_CHARS = string.ascii_letters + string.digits


class InvalidAlgorithm(ValueError):
    """The named hash algorithm is not one that ``hashlib`` provides."""


def salted_hmac(key_salt, value, secret=None, *, algorithm: str = "sha1") -> hmac.HMAC:
    """Return the HMAC of ``value``, keyed by ``secret`` mixed with ``key_salt``.

    The key is ``hash(key_salt + secret)``, as in Django, so values signed by
    Django with the same secret, salt and algorithm give the same HMAC here.

    >>> salted_hmac("salt", "value", secret="secret").hexdigest()
    'a82be9ba6efe61405ee8d2e8a3781c37e103360a'
    >>> salted_hmac("salt", "value", secret="secret", algorithm="sha256").hexdigest()[:16]
    'debaddcd9ecbaab1'
    """
    if secret is None:
        from tinyframe.conf import settings

        secret = settings.SECRET_KEY
    try:
        hasher = getattr(hashlib, algorithm)
    except AttributeError:
        raise InvalidAlgorithm(
            f"{algorithm!r} is not an algorithm accepted by the hashlib module; "
            f"try 'sha256' or 'sha1'."
        ) from None
    # Hashing the salt and the secret together gives a key of the hash's own
    # size, whatever the lengths of the two strings.
    key = hasher(force_bytes(key_salt) + force_bytes(secret)).digest()
    return hmac.new(key, msg=force_bytes(value), digestmod=hasher)


def constant_time_compare(val1, val2) -> bool:
    """Say whether two strings (or bytes) are equal, in time that does not depend on where they differ.

    ``==`` stops at the first differing byte, so an attacker who can time it
    learns how many leading characters of a forged signature are right, and can
    guess the rest one character at a time.

    >>> constant_time_compare("abc", "abc")
    True
    >>> constant_time_compare("abc", b"abd")
    False
    """
    return hmac.compare_digest(force_bytes(val1), force_bytes(val2))


def get_random_string(length: int, allowed_chars: str = RANDOM_STRING_CHARS) -> str:
    """Return a securely random string of ``length`` characters from ``allowed_chars``.

    With the default 62 characters each one carries about 5.95 bits, so 32
    characters give about 190 bits: more than enough for a secret token.

    >>> len(get_random_string(12))
    12
    >>> set(get_random_string(20, allowed_chars="ab")) <= {"a", "b"}
    True
    """
    return "".join(secrets.choice(allowed_chars) for _ in range(length))
# >>> 10_auth


def pbkdf2(password, salt, iterations: int, dklen: int = 0, digest=None) -> bytes:
    """Derive a key from ``password`` and ``salt`` by PBKDF2-HMAC (RFC 8018), SHA-256 unless ``digest`` says.

    ``iterations`` rounds of HMAC make every guess of an attacker cost as much
    as a login; ``dklen`` 0 means the digest's own size.

    >>> pbkdf2("password", "salt", 1).hex()[:16]
    '120fb6cffcf8b32c'
    """
    digest = digest or hashlib.sha256
    return hashlib.pbkdf2_hmac(digest().name, force_bytes(password), force_bytes(salt), iterations, dklen or None)
# <<< 10_auth
