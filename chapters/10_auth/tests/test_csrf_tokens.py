"""CSRF secrets and tokens: masking, unmasking (exercise 10.3), the format check, get_token and rotate_token.

The unmasking vectors were computed with Django 5.2's own
``django.middleware.csrf._unmask_cipher_token``: a token masked here
unmasks in Django, and the reverse.
"""

import pytest

from tinyframe.middleware.csrf import (
    CSRF_ALLOWED_CHARS,
    CSRF_SECRET_LENGTH,
    CSRF_TOKEN_LENGTH,
    REASON_INCORRECT_LENGTH,
    REASON_INVALID_CHARACTERS,
    InvalidTokenFormat,
    _check_token_format,
    _does_token_match,
    _mask_cipher_secret,
    _unmask_cipher_token,
    get_token,
    rotate_token,
)
from tinyframe.test import RequestFactory

DJANGO_VECTORS = [
    ("abcdefghijklmnopqrstuvwxyzABCDEF0123456789ABCDEFGHIJKLMNOPQRSTUV", "0000000000qqqqqqqqqqqqqqqqqqqqqq"),
    ("a" * 32 + "z" * 32, "z" * 32),
    ("9" * 32 + "a" * 32, "b" * 32),  # a (0) - 9 (61) wraps round to b (1)
    ("Zz09" * 8 + "0Zz9" * 8, "bAJa" * 8),
    ("A" * 64, "a" * 32),
]


def test_the_constants_are_djangos():
    """32-character secrets, 64-character tokens, of ASCII letters and digits."""
    assert (CSRF_SECRET_LENGTH, CSRF_TOKEN_LENGTH) == (32, 64)
    assert CSRF_ALLOWED_CHARS == "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"


@pytest.mark.exercise("10.3")
@pytest.mark.parametrize("token, secret", DJANGO_VECTORS)
def test_unmasking_gives_what_django_gives(token, secret):
    """Each secret character is (cipher index - mask index) mod 62, as Django computes it."""
    got = _unmask_cipher_token(token)
    assert got == secret, f"_unmask_cipher_token({token!r}) returned {got!r}; Django gives {secret!r}"


@pytest.mark.exercise("10.3")
def test_a_masked_secret_unmasks_to_itself():
    """_mask_cipher_secret then _unmask_cipher_token is the identity, for every character of the alphabet."""
    secret = (CSRF_ALLOWED_CHARS * 2)[:CSRF_SECRET_LENGTH]
    for _ in range(20):
        token = _mask_cipher_secret(secret)
        assert _unmask_cipher_token(token) == secret, f"{token!r} unmasked to {_unmask_cipher_token(token)!r}"
    secret = CSRF_ALLOWED_CHARS[-CSRF_SECRET_LENGTH:]
    assert _unmask_cipher_token(_mask_cipher_secret(secret)) == secret


@pytest.mark.exercise("10.3")
def test_a_masked_token_matches_its_secret_and_no_other():
    """_does_token_match unmasks a 64-character token; a bare 32-character one is compared as it is."""
    secret, other = "a" * 32, "b" * 32
    token = _mask_cipher_secret(secret)
    assert _does_token_match(token, secret) is True
    assert _does_token_match(token, other) is False
    assert _does_token_match(secret, secret) is True
    assert _does_token_match(other, secret) is False


def test_masking_makes_a_new_token_each_time():
    """Two masks of one secret differ (a fresh random mask), and the secret itself never shows."""
    secret = "s3cretS3cretS3cretS3cretS3cret12"
    tokens = {_mask_cipher_secret(secret) for _ in range(10)}
    assert len(tokens) == 10
    assert all(len(token) == CSRF_TOKEN_LENGTH and secret not in token for token in tokens)


@pytest.mark.parametrize(
    "token, reason",
    [
        ("a" * 31, REASON_INCORRECT_LENGTH),
        ("a" * 33, REASON_INCORRECT_LENGTH),
        ("", REASON_INCORRECT_LENGTH),
        ("a" * 63 + "!", REASON_INVALID_CHARACTERS),
        ("a" * 31 + "-", REASON_INVALID_CHARACTERS),
        ("a" * 31 + "é", REASON_INVALID_CHARACTERS),
        ("a" * 31 + "٣", REASON_INVALID_CHARACTERS),  # an Arabic-Indic digit: isalnum, but not ASCII
    ],
)
def test_check_token_format_refuses_wrong_lengths_and_characters(token, reason):
    """A secret or token has 32 or 64 ASCII letters and digits; anything else names what is wrong."""
    with pytest.raises(InvalidTokenFormat) as caught:
        _check_token_format(token)
    assert caught.value.reason == reason


def test_the_reasons_are_djangos():
    """The two format reasons end Django's sentences ("CSRF cookie has incorrect length.")."""
    assert (REASON_INCORRECT_LENGTH, REASON_INVALID_CHARACTERS) == ("has incorrect length", "has invalid characters")
    _check_token_format("a" * 32)
    _check_token_format("Z9" * 32)


def test_get_token_makes_a_secret_once_and_flags_the_cookie():
    """The first get_token makes the request's secret; later ones mask the same secret, differently."""
    request = RequestFactory().get("/")
    first = get_token(request)
    secret = request.META["CSRF_COOKIE"]
    assert request.META["CSRF_COOKIE_NEEDS_UPDATE"] is True
    assert len(secret) == CSRF_SECRET_LENGTH and set(secret) <= set(CSRF_ALLOWED_CHARS)
    request.META["CSRF_COOKIE_NEEDS_UPDATE"] = False
    second = get_token(request)
    assert first != second
    assert request.META["CSRF_COOKIE"] == secret and request.META["CSRF_COOKIE_NEEDS_UPDATE"] is True
    assert _does_token_match(first, secret) and _does_token_match(second, secret)


def test_get_token_keeps_a_secret_the_request_came_with():
    request = RequestFactory().get("/")
    request.META["CSRF_COOKIE"] = "k" * 32
    assert _does_token_match(get_token(request), "k" * 32)


def test_rotate_token_gives_a_new_secret_so_old_tokens_stop_matching():
    """After rotate_token (login calls it), a token shown before no longer matches the secret."""
    request = RequestFactory().get("/")
    old_token = get_token(request)
    old_secret = request.META["CSRF_COOKIE"]
    request.META["CSRF_COOKIE_NEEDS_UPDATE"] = False
    rotate_token(request)
    new_secret = request.META["CSRF_COOKIE"]
    assert new_secret != old_secret and request.META["CSRF_COOKIE_NEEDS_UPDATE"] is True
    assert not _does_token_match(old_token, new_secret)
