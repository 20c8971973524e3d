"""Properties of CSRF tokens: a masked token unmasks to its secret, never repeats, and a malformed one is refused.

The last property goes through the middleware: whatever a client sends as
the token, a request is let through only when the token stands for the
cookie's secret, and refused otherwise with the reason Django gives.
"""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tinyframe.http import HttpResponse
from tinyframe.middleware.csrf import (
    CSRF_ALLOWED_CHARS,
    CSRF_SECRET_LENGTH,
    CsrfViewMiddleware,
    _mask_cipher_secret,
    _unmask_cipher_token,
)
from tinyframe.test import RequestFactory

secrets = st.text(alphabet=CSRF_ALLOWED_CHARS, min_size=CSRF_SECRET_LENGTH, max_size=CSRF_SECRET_LENGTH)


@pytest.mark.exercise("10.3")
@settings(max_examples=50, deadline=None)
@given(secrets)
def test_a_masked_token_unmasks_to_its_secret(secret):
    token = _mask_cipher_secret(secret)
    unmasked = _unmask_cipher_token(token)
    assert unmasked == secret, f"{secret!r} masked as {token!r} unmasked to {unmasked!r}"


@settings(max_examples=20, deadline=None)
@given(secrets)
def test_two_maskings_of_one_secret_differ(secret):
    first, second = _mask_cipher_secret(secret), _mask_cipher_secret(secret)
    assert first != second, f"{secret!r} was masked twice as {first!r}"


def posted(token: str, secret: str = "s3cretS3cretS3cretS3cretS3cret12"):
    """The reason the middleware refuses a POST of ``token`` with ``secret`` in the cookie, or None when it passes."""
    request = RequestFactory().post("/", {"csrfmiddlewaretoken": token})
    request.COOKIES["csrftoken"] = secret
    middleware = CsrfViewMiddleware(lambda request: HttpResponse())
    middleware._reject = lambda request, reason: reason
    middleware.process_request(request)
    return middleware.process_view(request, lambda request: None, (), {})


# Tokens near the two right lengths, mostly of the right alphabet, sometimes
# with a character a token never has; and, now and then, the secret itself.
near_tokens = st.one_of(
    st.integers(min_value=0, max_value=70).flatmap(
        lambda size: st.text(alphabet=CSRF_ALLOWED_CHARS + "-_+/=!é٣ ", min_size=size, max_size=size)
    ),
    st.sampled_from([30, 31, 32, 33, 62, 63, 64, 65]).flatmap(
        lambda size: st.text(alphabet=CSRF_ALLOWED_CHARS, min_size=size, max_size=size)
    ),
    st.just("s3cretS3cretS3cretS3cretS3cret12"),
)


@settings(max_examples=60, deadline=None)
@given(near_tokens)
def test_any_token_passes_only_if_it_stands_for_the_secret(token):
    secret = "s3cretS3cretS3cretS3cretS3cret12"
    reason = posted(token, secret)
    if token == "":
        assert reason == "CSRF token missing."  # an empty field counts as none, and there is no header
    elif len(token) not in (32, 64):
        assert reason == "CSRF token from POST has incorrect length."
    elif not all(char in CSRF_ALLOWED_CHARS for char in token):
        assert reason == "CSRF token from POST has invalid characters."
    elif (token if len(token) == 32 else _unmask_cipher_token(token)) == secret:
        assert reason is None
    else:
        assert reason == "CSRF token from POST incorrect."


@settings(max_examples=20, deadline=None)
@given(secrets)
def test_a_fresh_mask_of_the_secret_always_passes(secret):
    assert posted(_mask_cipher_secret(secret), secret) is None
