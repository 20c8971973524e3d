"""The password hash's invariant, checked by hypothesis: a password verifies against its own hash and no other.

MD5 (the tests' hasher) and PBKDF2 at two iterations (the real code, fast)
run the same checks; passwords are any text, including the empty one,
spaces and characters outside ASCII.
"""

from hypothesis import HealthCheck, given, settings as hypothesis_settings
from hypothesis import strategies as st

from tinyframe.contrib.auth.hashers import MD5PasswordHasher, PBKDF2PasswordHasher

HASHERS = [MD5PasswordHasher(), PBKDF2PasswordHasher()]
passwords = st.text(max_size=30)


def encode(hasher, password: str) -> str:
    salt = hasher.salt()
    if isinstance(hasher, PBKDF2PasswordHasher):
        return hasher.encode(password, salt, 2)
    return hasher.encode(password, salt)


@hypothesis_settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(password=passwords, other=passwords, hasher=st.sampled_from(HASHERS))
def test_a_password_verifies_against_its_own_hash_and_no_other(password, other, hasher):
    encoded = encode(hasher, password)
    assert hasher.verify(password, encoded), f"{password!r} does not verify against its own hash {encoded!r}"
    assert hasher.verify(other, encoded) == (other == password), (
        f"{other!r} verified against the hash of {password!r}" if other != password else "")


@hypothesis_settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(password=passwords, hasher=st.sampled_from(HASHERS))
def test_two_hashes_of_one_password_differ_by_their_salt(password, hasher):
    first, second = encode(hasher, password), encode(hasher, password)
    assert first != second
    assert hasher.verify(password, first) and hasher.verify(password, second)
