"""Password hashers: Django's formats both ways, the timing defences, upgrades on login.

The vectors were made by Django 5.2 (``PBKDF2PasswordHasher().encode(password,
salt, iterations)`` and friends): a hash Django stored verifies here, and a
hash made here is the very string Django makes, so Django verifies it too
(``test_django_verifies_our_hashes`` asks Django itself when it is installed).
Tests run PBKDF2 at a few iterations; one test (marked 10.5) runs Django 5.2's
million.
"""

import subprocess
import sys
import warnings

import pytest

from tinyframe.contrib.auth import hashers
from tinyframe.contrib.auth.hashers import (
    UNUSABLE_PASSWORD_PREFIX,
    BasePasswordHasher,
    MD5PasswordHasher,
    PBKDF2PasswordHasher,
    PBKDF2SHA1PasswordHasher,
    ScryptPasswordHasher,
    check_password,
    get_hasher,
    get_hashers,
    get_hashers_by_algorithm,
    identify_hasher,
    is_password_usable,
    make_password,
)
from tinyframe.core.exceptions import ImproperlyConfigured

# Made by Django 5.2.
DJANGO_PBKDF2_1 = "pbkdf2_sha256$1$seasalt2$h3NICSKfQIQZrgY1hu9zvFs/fKpyZxtJcUgT2+Ye20k="
DJANGO_PBKDF2_20 = "pbkdf2_sha256$20$seasalt2$WNRETUJCG3RooHOx6Zyk09TS0trCMvxbi3kn3l6ZmXI="
DJANGO_PBKDF2_EMPTY_20 = "pbkdf2_sha256$20$seasalt2$OAKU1hnRKB8HEcDYbPaRIGzJ+1mN5wX3UlrmITrIUyA="
DJANGO_PBKDF2_BYTES_2 = "pbkdf2_sha256$2$s$PkWSAs1CGy+vI7xygxxLtAldyyv/DzdRuhvkJUduTZ4="
DJANGO_PBKDF2_DEFAULT = (
    "pbkdf2_sha256$1000000$OzeUAqhPUqGsEfHa3kn7x9$EtyF+lBUQi1tV4AeYeMQY1bWPF8qcVFE5OAe+4S6LyA="
)
DJANGO_PBKDF2_SHA1_20 = "pbkdf2_sha1$20$seasalt2$NRF1U0ZjksjvOuUwmxg1w6aVLh0="
DJANGO_SCRYPT_16 = (
    "scrypt$16$seasalt2$1$1$ezWLHASYgcI+Tu2JaIyRf2imvTrePD55ZxIH70vQWPhu5ZNknzFUmk/lWmOfVCO4mnjV/Y+vPHIzXVqsrrJRNw=="
)
DJANGO_MD5 = "md5$seasalt2$df64b6817a20f07df1bcc6710ca2b78d"

ALL_HASHERS = [
    "tinyframe.contrib.auth.hashers.MD5PasswordHasher",
    "tinyframe.contrib.auth.hashers.PBKDF2PasswordHasher",
    "tinyframe.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
    "tinyframe.contrib.auth.hashers.ScryptPasswordHasher",
]


class FastPBKDF2(PBKDF2PasswordHasher):
    """PBKDF2 at three iterations: the real code path, at a test's speed."""

    iterations = 3


class CountingHasher(MD5PasswordHasher):
    """MD5 that counts its encodes: how a test sees that a hash was computed."""

    encodes = 0

    def encode(self, password, salt):
        type(self).encodes += 1
        return super().encode(password, salt)


class NamelessHasher(BasePasswordHasher):
    """A hasher that forgot its ``algorithm``."""


@pytest.fixture
def counting_hasher(use_settings, throwaway_module):
    """Make CountingHasher the only (default) hasher; return the class, its count at zero."""
    module = throwaway_module(CountingHasher=CountingHasher, FastPBKDF2=FastPBKDF2)
    use_settings(PASSWORD_HASHERS=[f"{module}.CountingHasher", f"{module}.FastPBKDF2"])
    CountingHasher.encodes = 0
    return CountingHasher


@pytest.fixture
def fast_pbkdf2(use_settings, throwaway_module):
    """Make FastPBKDF2 the default hasher (MD5 still verifies); return the class."""
    module = throwaway_module(FastPBKDF2=FastPBKDF2)
    use_settings(PASSWORD_HASHERS=[f"{module}.FastPBKDF2", "tinyframe.contrib.auth.hashers.MD5PasswordHasher"])
    return FastPBKDF2


# Exercise 10.5: PBKDF2PasswordHasher.encode.


@pytest.mark.exercise("10.5")
def test_pbkdf2_encode_gives_djangos_hash():
    got = PBKDF2PasswordHasher().encode("lètmein", "seasalt2", 20)
    assert got == DJANGO_PBKDF2_20, (
        f"PBKDF2PasswordHasher().encode('lètmein', 'seasalt2', 20) returned {got!r}; Django makes {DJANGO_PBKDF2_20!r}"
    )


@pytest.mark.exercise("10.5")
def test_pbkdf2_encode_honours_the_iterations():
    assert PBKDF2PasswordHasher().encode("lètmein", "seasalt2", 1) == DJANGO_PBKDF2_1
    three, four = (PBKDF2PasswordHasher().encode("x", "salt", n) for n in (3, 4))
    assert three.startswith("pbkdf2_sha256$3$salt$") and four.startswith("pbkdf2_sha256$4$salt$")
    assert three.rsplit("$", 1)[1] != four.rsplit("$", 1)[1], "a different count must give a different hash"


@pytest.mark.exercise("10.5")
def test_pbkdf2_encode_at_djangos_default_count():
    """The one slow test: Django 5.2's million iterations, by default."""
    got = PBKDF2PasswordHasher().encode("correct horse battery staple", "OzeUAqhPUqGsEfHa3kn7x9")
    assert got == DJANGO_PBKDF2_DEFAULT


@pytest.mark.exercise("10.5")
def test_pbkdf2_encode_takes_bytes_and_the_empty_password():
    assert PBKDF2PasswordHasher().encode(b"bytes", "s", 2) == DJANGO_PBKDF2_BYTES_2
    assert PBKDF2PasswordHasher().encode("", "seasalt2", 20) == DJANGO_PBKDF2_EMPTY_20


@pytest.mark.exercise("10.5")
def test_pbkdf2_sha1_uses_the_classs_digest():
    assert PBKDF2SHA1PasswordHasher().encode("lètmein", "seasalt2", 20) == DJANGO_PBKDF2_SHA1_20


@pytest.mark.exercise("10.5")
@pytest.mark.parametrize("salt", ["", "sea$salt", None])
def test_pbkdf2_encode_refuses_a_missing_salt_or_a_dollar_in_it(salt):
    with pytest.raises(ValueError) as caught:
        PBKDF2PasswordHasher().encode("lètmein", salt, 3)
    assert str(caught.value) == "salt must be provided and cannot contain $."


@pytest.mark.exercise("10.5")
def test_pbkdf2_encode_refuses_a_none_password():
    with pytest.raises(TypeError) as caught:
        PBKDF2PasswordHasher().encode(None, "seasalt2", 3)
    assert str(caught.value) == "password must be provided."


@pytest.mark.exercise("10.5")
def test_pbkdf2_hash_round_trips_through_make_and_check_password(fast_pbkdf2):
    encoded = make_password("lètmein")
    algorithm, iterations, salt, _hash = encoded.split("$")
    assert (algorithm, iterations, len(salt)) == ("pbkdf2_sha256", "3", 22)
    assert check_password("lètmein", encoded)
    assert not check_password("letmein", encoded)


# Django's hashes verify here, ours in Django.


@pytest.mark.parametrize(
    "encoded, password",
    [
        (DJANGO_PBKDF2_20, "lètmein"),
        (DJANGO_PBKDF2_SHA1_20, "lètmein"),
        (DJANGO_SCRYPT_16, "lètmein"),
        (DJANGO_MD5, "lètmein"),
    ],
)
def test_djangos_hashes_verify_here(use_settings, encoded, password):
    use_settings(PASSWORD_HASHERS=ALL_HASHERS)
    assert check_password(password, encoded), f"check_password({password!r}, {encoded!r}) refused Django's hash"
    assert not check_password(password.upper(), encoded)
    assert not check_password("", encoded)


def test_our_hashes_are_djangos():
    assert PBKDF2PasswordHasher().encode("lètmein", "seasalt2", 20) == DJANGO_PBKDF2_20
    assert ScryptPasswordHasher().encode("lètmein", "seasalt2", 16, 1, 1) == DJANGO_SCRYPT_16
    assert MD5PasswordHasher().encode("lètmein", "seasalt2") == DJANGO_MD5


def test_django_verifies_our_hashes():
    """Ask Django itself (in another process: its settings are its own) to check hashes made here."""
    pytest.importorskip("django")
    made_here = [
        PBKDF2PasswordHasher().encode("pässword", "fixedsalt", 5),
        PBKDF2SHA1PasswordHasher().encode("pässword", "fixedsalt", 5),
        ScryptPasswordHasher().encode("pässword", "fixedsalt", 16, 2, 1),
        MD5PasswordHasher().encode("pässword", "fixedsalt"),
    ]
    script = (
        "import sys, django\n"
        "from django.conf import settings\n"
        "settings.configure(PASSWORD_HASHERS=[f'django.contrib.auth.hashers.{name}' for name in "
        "('PBKDF2PasswordHasher', 'PBKDF2SHA1PasswordHasher', 'ScryptPasswordHasher', 'MD5PasswordHasher')])\n"
        "django.setup()\n"
        "from django.contrib.auth.hashers import check_password\n"
        "print([(check_password('pässword', h), check_password('password', h)) for h in sys.argv[1:]])\n"
    )
    result = subprocess.run([sys.executable, "-c", script, *made_here], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == str([(True, False)] * 4), result.stdout + result.stderr


# make_password and the unusable password.


def test_make_password_uses_the_first_hasher_and_a_new_salt_each_time():
    first, second = make_password("lètmein"), make_password("lètmein")
    assert first.startswith("md5$") and second.startswith("md5$")  # the tests' PASSWORD_HASHERS
    assert first != second, "two hashes of one password must differ by their salts"
    assert check_password("lètmein", first) and check_password("lètmein", second)


def test_make_password_with_a_salt_and_a_hasher_by_name():
    assert make_password("lètmein", "seasalt2", "md5") == DJANGO_MD5


def test_make_password_none_is_unusable():
    encoded = make_password(None)
    assert encoded.startswith(UNUSABLE_PASSWORD_PREFIX) and len(encoded) == 41
    assert make_password(None) != encoded
    assert not is_password_usable(encoded)
    assert is_password_usable(DJANGO_MD5) and is_password_usable(None)
    assert not check_password(encoded, encoded) and not check_password("", encoded)


def test_make_password_refuses_other_types():
    with pytest.raises(TypeError) as caught:
        make_password(12345678)
    assert str(caught.value) == "Password must be a string or bytes, got int."


# The hashers' registry.


def test_get_hashers_follows_the_setting(use_settings):
    use_settings(PASSWORD_HASHERS=ALL_HASHERS)
    assert [type(hasher) for hasher in get_hashers()] == [
        MD5PasswordHasher, PBKDF2PasswordHasher, PBKDF2SHA1PasswordHasher, ScryptPasswordHasher,
    ]
    assert sorted(get_hashers_by_algorithm()) == ["md5", "pbkdf2_sha1", "pbkdf2_sha256", "scrypt"]
    assert get_hasher() is get_hashers()[0]
    assert isinstance(get_hasher("scrypt"), ScryptPasswordHasher)
    hasher = FastPBKDF2()
    assert get_hasher(hasher) is hasher


def test_an_unknown_algorithm_is_named(use_settings):
    with pytest.raises(ValueError) as caught:
        get_hasher("argon2")
    assert str(caught.value) == (
        "Unknown password hashing algorithm 'argon2'. Did you specify it in the PASSWORD_HASHERS setting?"
    )


@pytest.mark.parametrize("encoded, named", [("", ""), ("abc", "abc"), ("sha1$x$y", "sha1"), ("default", "default")])
def test_identify_hasher_refuses_what_no_hasher_made(encoded, named):
    with pytest.raises(ValueError) as caught:
        identify_hasher(encoded)
    assert f"Unknown password hashing algorithm '{named}'." in str(caught.value)


def test_identify_hasher_reads_the_name(use_settings):
    use_settings(PASSWORD_HASHERS=ALL_HASHERS)
    assert isinstance(identify_hasher(DJANGO_PBKDF2_20), PBKDF2PasswordHasher)
    assert isinstance(identify_hasher(DJANGO_SCRYPT_16), ScryptPasswordHasher)


def test_a_hasher_without_an_algorithm_is_a_configuration_error(use_settings, throwaway_module):
    module = throwaway_module(NamelessHasher=NamelessHasher)
    use_settings(PASSWORD_HASHERS=[f"{module}.NamelessHasher"])
    with pytest.raises(ImproperlyConfigured) as caught:
        get_hashers()
    assert str(caught.value) == f"hasher doesn't specify an algorithm name: {module}.NamelessHasher"


# Timing: the same work whether or not there is a password to check.


@pytest.mark.parametrize(
    "password, encoded",
    [
        (None, DJANGO_MD5),  # no password at all
        ("lètmein", None),  # no stored hash (no such user)
        ("lètmein", "!" + "x" * 40),  # an unusable password
        ("lètmein", "argon2$v=19$m=102400$abc$def"),  # a hasher not installed
        ("lètmein", "gibberish"),
    ],
)
def test_a_check_that_cannot_succeed_still_runs_the_default_hasher(counting_hasher, password, encoded):
    assert check_password(password, encoded) is False
    assert counting_hasher.encodes == 1, (
        f"check_password({password!r}, {encoded!r}) hashed {counting_hasher.encodes} times; it must hash once, "
        f"as a real check does, so the time does not tell an attacker which case it was"
    )


def test_a_real_check_hashes_once(counting_hasher):
    encoded = CountingHasher().encode("lètmein", "seasalt2")
    counting_hasher.encodes = 0
    assert not check_password("wrong", encoded)
    assert counting_hasher.encodes == 1


def test_verify_compares_in_constant_time(monkeypatch):
    compared = []

    def spy(first, second):
        compared.append((first, second))
        return first == second

    monkeypatch.setattr(hashers, "constant_time_compare", spy)
    for hasher, encoded in [(MD5PasswordHasher(), DJANGO_MD5), (PBKDF2PasswordHasher(), DJANGO_PBKDF2_20),
                            (ScryptPasswordHasher(), DJANGO_SCRYPT_16)]:
        assert hasher.verify("lètmein", encoded)
    assert [first for first, _second in compared] == [DJANGO_MD5, DJANGO_PBKDF2_20, DJANGO_SCRYPT_16]


# Upgrades: a correct password re-hashed when the stored hash is outdated.


def test_an_outdated_hash_is_upgraded_through_the_setter(counting_hasher):
    saved = []
    old = FastPBKDF2().encode("lètmein", "seasalt2", 2)  # fewer iterations than today's 3
    assert check_password("lètmein", old, setter=saved.append, preferred=FastPBKDF2())
    assert saved == ["lètmein"]
    # Another algorithm than the preferred one: upgraded too.
    assert check_password("lètmein", DJANGO_MD5, setter=saved.append, preferred=FastPBKDF2())
    assert saved == ["lètmein", "lètmein"]


def test_a_current_hash_or_a_wrong_password_is_not_upgraded(counting_hasher):
    saved = []
    current = make_password("lètmein", hasher=FastPBKDF2())
    assert check_password("lètmein", current, setter=saved.append, preferred=FastPBKDF2())
    assert not check_password("wrong", FastPBKDF2().encode("x", "seasalt2", 2), setter=saved.append,
                              preferred=FastPBKDF2())
    assert saved == []


def test_a_wrong_password_against_fewer_iterations_pays_the_difference(fast_pbkdf2, monkeypatch):
    counts = []
    real_encode = FastPBKDF2.encode

    def spy(self, password, salt, iterations=None):
        counts.append(iterations)
        return real_encode(self, password, salt, iterations)

    monkeypatch.setattr(FastPBKDF2, "encode", spy)
    hasher = FastPBKDF2()
    old = real_encode(hasher, "x", "seasalt2", 1)
    assert not check_password("wrong", old)
    assert counts == [1, 2], "a check against 1 iteration of today's 3 runs 1, then the 2 more it skipped"
    counts.clear()
    assert check_password("x", old)
    assert counts == [1], "a correct password is not slowed down"


def test_must_update():
    assert not FastPBKDF2().must_update(FastPBKDF2().encode("x", "a" * 22))
    assert FastPBKDF2().must_update(FastPBKDF2().encode("x", "a" * 22, 2))
    assert FastPBKDF2().must_update(FastPBKDF2().encode("x", "short"))  # a salt of too few bits
    assert MD5PasswordHasher().must_update(DJANGO_MD5) and not MD5PasswordHasher().must_update("md5$" + "a" * 22 + "$x")
    scrypt = ScryptPasswordHasher()
    assert scrypt.must_update(DJANGO_SCRYPT_16)
    assert not scrypt.must_update(DJANGO_SCRYPT_16.replace("$16$", "$16384$").replace("$1$1$", "$8$5$"))


# Decode and the summaries the admin shows (values checked against Django).


def test_safe_summaries_mask_the_salt_and_the_hash():
    assert PBKDF2PasswordHasher().safe_summary(DJANGO_PBKDF2_20) == {
        "algorithm": "pbkdf2_sha256", "iterations": 20, "salt": "seasal**",
        "hash": "WNRETU" + "*" * 38,
    }
    assert MD5PasswordHasher().safe_summary(DJANGO_MD5) == {
        "algorithm": "md5", "salt": "se******", "hash": "df64b6" + "*" * 26,
    }
    assert ScryptPasswordHasher().safe_summary(DJANGO_SCRYPT_16) == {
        "algorithm": "scrypt", "work factor": 16, "block size": 1, "parallelism": 1, "salt": "seasal**",
        "hash": "ezWLHA" + "*" * 82,
    }


def test_decode():
    assert PBKDF2PasswordHasher().decode(DJANGO_PBKDF2_20) == {
        "algorithm": "pbkdf2_sha256", "hash": "WNRETUJCG3RooHOx6Zyk09TS0trCMvxbi3kn3l6ZmXI=", "iterations": 20,
        "salt": "seasalt2",
    }
    assert ScryptPasswordHasher().decode(DJANGO_SCRYPT_16)["work_factor"] == 16
    for hasher, other in [(PBKDF2PasswordHasher(), DJANGO_PBKDF2_SHA1_20), (MD5PasswordHasher(), "sha1$a$b"),
                          (ScryptPasswordHasher(), "md5$a$b$c$d$e")]:
        with pytest.raises(ValueError) as caught:
            hasher.decode(other)
        assert str(caught.value) == f"Not a {hasher.algorithm} hash: it names {other.split('$')[0]!r}."


def test_scrypt_round_trip_and_refusals():
    hasher = ScryptPasswordHasher()
    encoded = hasher.encode(b"l\xc3\xa8tmein", "seasalt2", 16, 1, 1)
    assert encoded == DJANGO_SCRYPT_16 and hasher.verify("lètmein", encoded)
    with pytest.raises(ValueError):
        hasher.encode("x", "a$b", 16, 1, 1)
    with pytest.raises(TypeError):
        hasher.encode(None, "salt", 16, 1, 1)
    hasher.harden_runtime("x", encoded)  # nothing to do for scrypt, and no warning


def test_md5_refusals_and_bytes():
    with pytest.raises(ValueError):
        MD5PasswordHasher().encode("x", "")
    assert MD5PasswordHasher().encode("lètmein".encode(), "seasalt2") == DJANGO_MD5


def test_the_base_hasher_says_what_a_subclass_must_provide():
    base = BasePasswordHasher()
    salt = base.salt()
    assert len(salt) == 22 and salt.isalnum() and base.salt() != salt
    assert base.must_update("x$y") is False
    for method, args, message in [
        ("verify", ("x", "y"), "subclasses of BasePasswordHasher must provide a verify() method"),
        ("encode", ("x", "y"), "subclasses of BasePasswordHasher must provide an encode() method"),
        ("decode", ("x",), "subclasses of BasePasswordHasher must provide a decode() method."),
        ("safe_summary", ("x",), "subclasses of BasePasswordHasher must provide a safe_summary() method"),
    ]:
        with pytest.raises(NotImplementedError) as caught:
            getattr(base, method)(*args)
        assert str(caught.value) == message
    with warnings.catch_warnings(record=True) as caught_warnings:
        warnings.simplefilter("always")
        base.harden_runtime("x", "y")
    assert [str(w.message) for w in caught_warnings] == [
        "subclasses of BasePasswordHasher should provide a harden_runtime() method"
    ]
