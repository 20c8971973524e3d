"""Password hashing: store a slow, salted one-way hash of a password, never the password.

How it works: ``settings.PASSWORD_HASHERS`` names hasher classes; the first
hashes new passwords, the others only verify hashes made before the setting
changed. ``make_password(raw)`` asks the default hasher for a random salt and
returns its ``encode(raw, salt)``: a string that names its own algorithm first,
such as ``pbkdf2_sha256$1000000$<salt>$<base64 hash>`` (Django's format, so
hashes move between Django and tinyframe both ways). ``check_password(raw,
encoded)`` reads the algorithm's name (``identify_hasher``), hashes ``raw``
again with the stored salt and parameters (``hasher.verify``) and compares in
constant time. When the stored hash is weaker than the preferred hasher's
(another algorithm, fewer iterations, a short salt), a correct password is
hashed again through ``setter``: the upgrade happens at login, the only moment
the raw password is known.

Timing is part of the design: checking a password for a user who does not
exist, or whose password is unusable (``"!"`` then random characters, from
``make_password(None)``), still runs the default hasher once, so an attacker
cannot tell "no such user" from "wrong password" by the clock.
"""

import base64
import functools
import hashlib
import math
import warnings

from tinyframe.conf import settings
from tinyframe.core.exceptions import ImproperlyConfigured
from tinyframe.utils.crypto import RANDOM_STRING_CHARS, constant_time_compare, get_random_string, pbkdf2
from tinyframe.utils.module_loading import import_string

__all__ = [
    "UNUSABLE_PASSWORD_PREFIX", "UNUSABLE_PASSWORD_SUFFIX_LENGTH", "BasePasswordHasher", "MD5PasswordHasher",
    "PBKDF2PasswordHasher", "PBKDF2SHA1PasswordHasher", "ScryptPasswordHasher", "check_password", "get_hasher",
    "get_hashers", "get_hashers_by_algorithm", "identify_hasher", "is_password_usable", "make_password",
    "mask_hash", "must_update_salt", "verify_password",
]

# An unusable password is this prefix and random characters: no hasher's name
# starts with "!", so no password ever matches it.
UNUSABLE_PASSWORD_PREFIX = "!"
UNUSABLE_PASSWORD_SUFFIX_LENGTH = 40


def is_password_usable(encoded: str | None) -> bool:
    """Whether ``encoded`` could match some password: False only for ``make_password(None)``'s unusable ones.

    >>> is_password_usable("md5$salt$0123"), is_password_usable("!x7Gq")
    (True, False)
    """
    return encoded is None or not encoded.startswith(UNUSABLE_PASSWORD_PREFIX)


def make_password(password, salt: str | None = None, hasher="default") -> str:
    """Hash ``password`` (text or bytes) with ``hasher`` ("default": the first of PASSWORD_HASHERS).

    ``None`` gives an unusable password, which no password matches. The salt
    is random unless given (tests give one to get a known hash).
    """
    if password is None:
        return UNUSABLE_PASSWORD_PREFIX + get_random_string(UNUSABLE_PASSWORD_SUFFIX_LENGTH)
    if not isinstance(password, (bytes, str)):
        raise TypeError(f"Password must be a string or bytes, got {type(password).__qualname__}.")
    hasher = get_hasher(hasher)
    salt = salt or hasher.salt()
    return hasher.encode(password, salt)


def verify_password(password, encoded: str | None, preferred="default") -> tuple[bool, bool]:
    """Return ``(is_correct, must_update)``: whether ``password`` matches, and whether to hash it again.

    A ``None`` password, an unusable hash or a hash no installed hasher
    reads is never correct, but still costs one run of the default hasher,
    as a real check would.
    """
    preferred = get_hasher(preferred)
    hasher = None
    if password is not None and is_password_usable(encoded):
        try:
            hasher = identify_hasher(encoded)
        except ValueError:
            pass  # gibberish, or a hasher no longer installed
    if hasher is None:
        make_password(get_random_string(UNUSABLE_PASSWORD_SUFFIX_LENGTH))
        return False, False
    hasher_changed = hasher.algorithm != preferred.algorithm
    must_update = hasher_changed or preferred.must_update(encoded)
    is_correct = hasher.verify(password, encoded)
    # A wrong password against a hash made with fewer iterations returns
    # sooner than one against today's count; pay the difference, so the
    # time does not say how old the user's hash is. (A different algorithm
    # is not evened out, as in Django.)
    if not is_correct and not hasher_changed and must_update:
        hasher.harden_runtime(password, encoded)
    return is_correct, must_update


def check_password(password, encoded: str | None, setter=None, preferred="default") -> bool:
    """Whether ``password`` matches the hash ``encoded``; if so and the hash is outdated, call ``setter(password)``.

    ``setter`` is how a user's hash is upgraded: ``AbstractBaseUser.check_password``
    passes one that saves ``make_password(password)`` with today's hasher.
    """
    is_correct, must_update = verify_password(password, encoded, preferred=preferred)
    if setter and is_correct and must_update:
        setter(password)
    return is_correct


@functools.lru_cache
def _load_hashers(paths: tuple[str, ...]) -> tuple:
    """One instance of each hasher class named in ``paths``, cached for that exact list of paths."""
    hashers = []
    for path in paths:
        hasher = import_string(path)()
        if not getattr(hasher, "algorithm", None):
            raise ImproperlyConfigured(f"hasher doesn't specify an algorithm name: {path}")
        hashers.append(hasher)
    return tuple(hashers)


def get_hashers() -> list:
    """The hashers of ``settings.PASSWORD_HASHERS``, in order (the first is the default)."""
    # Keyed by the setting's value, so override_settings needs no cache reset.
    return list(_load_hashers(tuple(settings.PASSWORD_HASHERS)))


def get_hashers_by_algorithm() -> dict:
    """The installed hashers by their ``algorithm`` name."""
    return {hasher.algorithm: hasher for hasher in get_hashers()}


def get_hasher(algorithm="default"):
    """The hasher called ``algorithm`` ("default": the first installed); a hasher instance is returned as it is."""
    if hasattr(algorithm, "algorithm"):
        return algorithm
    if algorithm == "default":
        return get_hashers()[0]
    try:
        return get_hashers_by_algorithm()[algorithm]
    except KeyError:
        raise ValueError(_unknown_algorithm(algorithm)) from None


def _unknown_algorithm(algorithm: str) -> str:
    return f"Unknown password hashing algorithm '{algorithm}'. Did you specify it in the PASSWORD_HASHERS setting?"


def identify_hasher(encoded: str):
    """The installed hasher that made ``encoded``, read from the name before its first ``$``.

    A hash without a name, or with the name of a hasher that is not installed,
    raises ``ValueError``. (Django also reads the unsalted MD5 and SHA-1
    hashes of its earliest versions; tinyframe never made any.)
    """
    algorithm = (encoded or "").split("$", 1)[0]
    # Looked up by name only: a hash reading "default" is not the default hasher's.
    if algorithm == "default":
        raise ValueError(_unknown_algorithm(algorithm))
    return get_hasher(algorithm)


def mask_hash(hash: str, show: int = 6, char: str = "*") -> str:
    """``hash`` with all but its first ``show`` characters replaced by ``char``, for display.

    >>> mask_hash("abcdefghij")
    'abcdef****'
    """
    return hash[:show] + char * len(hash[show:])


def must_update_salt(salt: str, expected_entropy: int) -> bool:
    """Whether ``salt`` (made of ``RANDOM_STRING_CHARS``) carries fewer than ``expected_entropy`` bits.

    Each character of the 62-letter alphabet carries log2(62), about 5.95 bits.

    >>> must_update_salt("a" * 21, 128), must_update_salt("a" * 22, 128)
    (True, False)
    """
    return len(salt) * math.log2(len(RANDOM_STRING_CHARS)) < expected_entropy


class BasePasswordHasher:
    """What a hasher provides; subclass it and set ``algorithm``, the name every hash it makes starts with.

    ``encode(password, salt)`` makes a hash, ``decode(encoded)`` reads one
    into a dict, ``verify(password, encoded)`` checks a password,
    ``safe_summary`` describes a hash for display (secrets masked),
    ``must_update`` says when a hash is weaker than this hasher would make
    today, and ``harden_runtime`` spends the work a weaker hash skipped.
    """

    algorithm = None
    salt_entropy = 128  # bits of randomness in a new salt

    def salt(self) -> str:
        """A new random salt of at least ``salt_entropy`` bits (22 characters for 128 bits)."""
        char_count = math.ceil(self.salt_entropy / math.log2(len(RANDOM_STRING_CHARS)))
        return get_random_string(char_count, allowed_chars=RANDOM_STRING_CHARS)

    def verify(self, password, encoded: str) -> bool:
        """Whether ``password`` matches ``encoded``."""
        raise NotImplementedError("subclasses of BasePasswordHasher must provide a verify() method")

    def _check_encode_args(self, password, salt: str) -> None:
        """Refuse a missing password, and a missing salt or one with a ``$`` (it would split the hash wrongly)."""
        if password is None:
            raise TypeError("password must be provided.")
        if not salt or "$" in salt:
            raise ValueError("salt must be provided and cannot contain $.")

    def encode(self, password, salt: str) -> str:
        """The hash of ``password`` with ``salt``, as ``algorithm$...``."""
        raise NotImplementedError("subclasses of BasePasswordHasher must provide an encode() method")

    def decode(self, encoded: str) -> dict:
        """The parts of ``encoded`` as a dict: at least ``algorithm``, ``hash`` and ``salt``."""
        raise NotImplementedError("subclasses of BasePasswordHasher must provide a decode() method.")

    def safe_summary(self, encoded: str) -> dict:
        """The parts of ``encoded`` for display (as the admin shows them), with the salt and hash masked."""
        raise NotImplementedError("subclasses of BasePasswordHasher must provide a safe_summary() method")

    def must_update(self, encoded: str) -> bool:
        """Whether ``encoded`` should be made again with this hasher's current parameters."""
        return False

    def harden_runtime(self, password, encoded: str) -> None:
        """Spend the time a check against today's parameters would, when ``encoded`` used weaker ones."""
        warnings.warn("subclasses of BasePasswordHasher should provide a harden_runtime() method")


class PBKDF2PasswordHasher(BasePasswordHasher):
    """PBKDF2 with HMAC-SHA256 and 1,000,000 iterations (Django 5.2's): the default hasher.

    A hash reads ``pbkdf2_sha256$<iterations>$<salt>$<base64 of the 32-byte key>``.
    Raising ``iterations`` (as each Django release does) upgrades old hashes
    at their next login, through ``must_update``.
    """

    algorithm = "pbkdf2_sha256"
    iterations = 1_000_000
    digest = hashlib.sha256

    def encode(self, password, salt: str, iterations: int | None = None) -> str:
        """Hash ``password`` as ``pbkdf2_sha256$<iterations>$<salt>$<hash>``, Django's format.

        Exercise 10.5. Refuse bad arguments first, with ``_check_encode_args``:
        a ``None`` password raises ``TypeError("password must be provided.")``
        and an empty salt, or one containing ``$``, raises
        ``ValueError("salt must be provided and cannot contain $.")``.
        ``iterations`` defaults to the class's ``self.iterations``. Derive the
        key with ``pbkdf2(password, salt, iterations, digest=self.digest)``
        (from ``tinyframe.utils.crypto``), write it in standard base64 as
        ASCII text, and join the four parts with ``$``: the algorithm
        (``self.algorithm``), the iterations in decimal, the salt, the hash.
        ``encode("password", "seasalt", 3)`` starts ``"pbkdf2_sha256$3$seasalt$"``.
        """
        self._check_encode_args(password, salt)
        iterations = iterations or self.iterations
        hash = base64.b64encode(pbkdf2(password, salt, iterations, digest=self.digest)).decode("ascii")
        return f"{self.algorithm}${iterations}${salt}${hash}"

    def decode(self, encoded: str) -> dict:
        algorithm, iterations, salt, hash = encoded.split("$", 3)
        if algorithm != self.algorithm:
            raise ValueError(f"Not a {self.algorithm} hash: it names {algorithm!r}.")
        return {"algorithm": algorithm, "hash": hash, "iterations": int(iterations), "salt": salt}

    def verify(self, password, encoded: str) -> bool:
        decoded = self.decode(encoded)
        return constant_time_compare(encoded, self.encode(password, decoded["salt"], decoded["iterations"]))

    def safe_summary(self, encoded: str) -> dict:
        decoded = self.decode(encoded)
        return {
            "algorithm": decoded["algorithm"],
            "iterations": decoded["iterations"],
            "salt": mask_hash(decoded["salt"]),
            "hash": mask_hash(decoded["hash"]),
        }

    def must_update(self, encoded: str) -> bool:
        decoded = self.decode(encoded)
        return decoded["iterations"] != self.iterations or must_update_salt(decoded["salt"], self.salt_entropy)

    def harden_runtime(self, password, encoded: str) -> None:
        decoded = self.decode(encoded)
        extra_iterations = self.iterations - decoded["iterations"]
        if extra_iterations > 0:
            self.encode(password, decoded["salt"], extra_iterations)


class PBKDF2SHA1PasswordHasher(PBKDF2PasswordHasher):
    """PBKDF2 with HMAC-SHA1: the same format, named ``pbkdf2_sha1``, for hashes made elsewhere with SHA-1."""

    algorithm = "pbkdf2_sha1"
    digest = hashlib.sha1


class ScryptPasswordHasher(BasePasswordHasher):
    """scrypt (RFC 7914), memory-hard: ``scrypt$<n>$<salt>$<r>$<p>$<base64 of the 64-byte key>``.

    The defaults are Django's: ``n`` (work factor) 2**14, ``r`` (block size)
    8, ``p`` (parallelism) 5, which needs 16 MiB of memory per hash.
    """

    algorithm = "scrypt"
    block_size = 8
    maxmem = 0  # OpenSSL's own limit (32 MiB)
    parallelism = 5
    work_factor = 2**14

    def encode(self, password, salt: str, n: int | None = None, r: int | None = None, p: int | None = None) -> str:
        self._check_encode_args(password, salt)
        n = n or self.work_factor
        r = r or self.block_size
        p = p or self.parallelism
        key = hashlib.scrypt(
            password.encode() if isinstance(password, str) else password,
            salt=salt.encode(), n=n, r=r, p=p, maxmem=self.maxmem, dklen=64,
        )
        return f"{self.algorithm}${n}${salt}${r}${p}${base64.b64encode(key).decode('ascii')}"

    def decode(self, encoded: str) -> dict:
        algorithm, work_factor, salt, block_size, parallelism, hash = encoded.split("$", 5)
        if algorithm != self.algorithm:
            raise ValueError(f"Not a {self.algorithm} hash: it names {algorithm!r}.")
        return {
            "algorithm": algorithm, "block_size": int(block_size), "hash": hash,
            "parallelism": int(parallelism), "salt": salt, "work_factor": int(work_factor),
        }

    def verify(self, password, encoded: str) -> bool:
        decoded = self.decode(encoded)
        again = self.encode(password, decoded["salt"], decoded["work_factor"], decoded["block_size"],
                            decoded["parallelism"])
        return constant_time_compare(encoded, again)

    def safe_summary(self, encoded: str) -> dict:
        decoded = self.decode(encoded)
        return {
            "algorithm": decoded["algorithm"],
            "work factor": decoded["work_factor"],
            "block size": decoded["block_size"],
            "parallelism": decoded["parallelism"],
            "salt": mask_hash(decoded["salt"]),
            "hash": mask_hash(decoded["hash"]),
        }

    def must_update(self, encoded: str) -> bool:
        decoded = self.decode(encoded)
        return (decoded["work_factor"], decoded["block_size"], decoded["parallelism"]) != (
            self.work_factor, self.block_size, self.parallelism)

    def harden_runtime(self, password, encoded: str) -> None:
        # scrypt's cost lies in memory as much as time: running a part of it
        # again would not make up the difference, so nothing is done (as in Django).
        pass


class MD5PasswordHasher(BasePasswordHasher):
    """Salted MD5: fast, so for tests only (chapters' tests use it). Never for real passwords.

    A hash reads ``md5$<salt>$<hex digest of salt + password>``.
    """

    algorithm = "md5"

    def encode(self, password, salt: str) -> str:
        self._check_encode_args(password, salt)
        password = password.decode() if isinstance(password, bytes) else password
        return f"{self.algorithm}${salt}${hashlib.md5((salt + password).encode()).hexdigest()}"

    def decode(self, encoded: str) -> dict:
        algorithm, salt, hash = encoded.split("$", 2)
        if algorithm != self.algorithm:
            raise ValueError(f"Not a {self.algorithm} hash: it names {algorithm!r}.")
        return {"algorithm": algorithm, "hash": hash, "salt": salt}

    def verify(self, password, encoded: str) -> bool:
        decoded = self.decode(encoded)
        return constant_time_compare(encoded, self.encode(password, decoded["salt"]))

    def safe_summary(self, encoded: str) -> dict:
        decoded = self.decode(encoded)
        return {
            "algorithm": decoded["algorithm"],
            "salt": mask_hash(decoded["salt"], show=2),
            "hash": mask_hash(decoded["hash"]),
        }

    def must_update(self, encoded: str) -> bool:
        return must_update_salt(self.decode(encoded)["salt"], self.salt_entropy)

    def harden_runtime(self, password, encoded: str) -> None:
        pass
