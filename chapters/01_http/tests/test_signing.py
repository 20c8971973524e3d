"""Signing: Signer, TimestampSigner, dumps/loads, and the crypto helpers under them."""

import datetime
import string

import pytest
from hypothesis import given, settings as hypothesis_settings
from hypothesis import strategies as st

from tinyframe.core import signing
from tinyframe.core.signing import BadSignature, SignatureExpired, Signer, TimestampSigner
from tinyframe.test.utils import override_settings
from tinyframe.utils.crypto import InvalidAlgorithm, constant_time_compare, get_random_string, salted_hmac
from tinyframe.utils.module_loading import import_string

# Produced by Django 5.2: Signer(key="k", salt="s").sign("hello"). The same
# format here means values signed by either framework verify in the other.
DJANGO_SIGNED_HELLO = "hello:isSV6eokf6OrNnDesrCbALUgVbYu8JSAV_6YHnW6i1M"


def test_sign_matches_djangos_format():
    signed = Signer(key="k", salt="s").sign("hello")
    assert signed == DJANGO_SIGNED_HELLO, (
        f'Signer(key="k", salt="s").sign("hello") returned {signed!r}; Django gives {DJANGO_SIGNED_HELLO!r}'
    )


@pytest.mark.exercise("01.5")
def test_unsign_accepts_a_value_signed_by_django():
    value = Signer(key="k", salt="s").unsign(DJANGO_SIGNED_HELLO)
    assert value == "hello", f"unsign({DJANGO_SIGNED_HELLO!r}) returned {value!r}, expected 'hello'"


@pytest.mark.exercise("01.5")
def test_unsign_returns_the_value_with_its_own_separators():
    signer = Signer(key="k")
    signed = signer.sign("a:b:c")
    assert signer.unsign(signed) == "a:b:c", (
        f"unsign({signed!r}) returned {signer.unsign(signed)!r}; the signature follows the LAST ':'"
    )


@pytest.mark.exercise("01.5")
@pytest.mark.parametrize("tampered", [
    "hellO:isSV6eokf6OrNnDesrCbALUgVbYu8JSAV_6YHnW6i1M",   # value changed
    "hello:isSV6eokf6OrNnDesrCbALUgVbYu8JSAV_6YHnW6i1m",   # signature changed
    "hello:",                                              # signature removed
    "hello:isSV6eokf6OrNnDesrCbALUgVbYu8JSAV_6YHnW6i1",    # signature cut short
])
def test_unsign_rejects_tampering(tampered):
    with pytest.raises(BadSignature) as caught:
        Signer(key="k", salt="s").unsign(tampered)
    signature = tampered.rsplit(":", 1)[1]
    assert str(caught.value) == f'Signature "{signature}" does not match', (
        f"unsign({tampered!r}) raised BadSignature({str(caught.value)!r}); expected the message "
        f"'Signature \"{signature}\" does not match'"
    )


@pytest.mark.exercise("01.5")
def test_unsign_without_separator_says_so():
    with pytest.raises(BadSignature, match='No ":" found in value'):
        Signer(key="k").unsign("no separator here")
    with pytest.raises(BadSignature, match='No "/" found in value'):
        Signer(key="k", sep="/").unsign("a:b")


@pytest.mark.exercise("01.5")
def test_unsign_accepts_fallback_keys():
    old_signed = Signer(key="old").sign("v")
    signer = Signer(key="new", fallback_keys=["older", "old"])
    assert signer.unsign(old_signed) == "v", (
        "a value signed with a key listed in fallback_keys must still verify (key rotation)"
    )
    assert signer.sign("v") != old_signed, "sign() must always use the current key, never a fallback"
    with pytest.raises(BadSignature):
        Signer(key="new", fallback_keys=[]).unsign(old_signed)


@pytest.mark.exercise("01.5")
def test_salt_and_key_separate_signatures():
    signed = Signer(key="k", salt="one").sign("v")
    for other in (Signer(key="k", salt="two"), Signer(key="other", salt="one")):
        with pytest.raises(BadSignature):
            other.unsign(signed)


@pytest.mark.exercise("01.5")
def test_signer_reads_secret_key_from_settings():
    with override_settings(SECRET_KEY="first", SECRET_KEY_FALLBACKS=[]):
        signed = Signer().sign("v")
    with override_settings(SECRET_KEY="second", SECRET_KEY_FALLBACKS=["first"]):
        assert Signer().unsign(signed) == "v"
        assert Signer().salt == "tinyframe.core.signing.Signer"
    with override_settings(SECRET_KEY="second", SECRET_KEY_FALLBACKS=[]), pytest.raises(BadSignature):
        Signer().unsign(signed)


@pytest.mark.parametrize("sep", ["", "-", "abc", "=", "_"])
def test_unsafe_separators_are_refused(sep):
    with pytest.raises(ValueError, match="Unsafe Signer separator"):
        Signer(key="k", sep=sep)


@pytest.mark.exercise("01.5")
@given(st.text())
def test_unsign_reverses_sign_for_any_text(value):
    signer = Signer(key="k")
    assert signer.unsign(signer.sign(value)) == value


@pytest.mark.exercise("01.5")
@given(st.text(max_size=20), st.data())
def test_any_single_character_change_is_detected(value, data):
    signer = Signer(key="k")
    signed = signer.sign(value)
    position = data.draw(st.integers(0, len(signed) - 1), label="position")
    replacement = data.draw(st.characters(blacklist_categories=("Cs",)).filter(lambda c: c != signed[position]),
                            label="replacement")
    tampered = signed[:position] + replacement + signed[position + 1:]
    with pytest.raises(BadSignature):
        signer.unsign(tampered)


# --- TimestampSigner --------------------------------------------------------


@pytest.fixture
def clock(monkeypatch):
    """A settable clock for signing.time.time()."""

    class Clock:
        now = 1_700_000_000.0

    monkeypatch.setattr(signing.time, "time", lambda: Clock.now)
    return Clock


@pytest.mark.exercise("01.5")
def test_timestamp_signer_embeds_time_and_checks_age(clock):
    signer = TimestampSigner(key="k")
    signed = signer.sign("v")
    assert signed.split(":")[1] == signing.b62_encode(1_700_000_000)
    clock.now += 10
    assert signer.unsign(signed) == "v"
    assert signer.unsign(signed, max_age=10) == "v"
    assert signer.unsign(signed, max_age=datetime.timedelta(seconds=11)) == "v"
    with pytest.raises(SignatureExpired, match=r"Signature age 10.0 > 9 seconds"):
        signer.unsign(signed, max_age=9)
    with pytest.raises(SignatureExpired, match=r"Signature age 10.0 > 5.0 seconds"):
        signer.unsign(signed, max_age=datetime.timedelta(seconds=5))


@pytest.mark.exercise("01.5")
def test_expired_is_a_bad_signature_and_tampering_beats_age(clock):
    signer = TimestampSigner(key="k")
    signed = signer.sign("v")
    assert issubclass(SignatureExpired, BadSignature)
    with pytest.raises(BadSignature) as caught:
        signer.unsign("w" + signed[1:], max_age=100)
    assert not isinstance(caught.value, SignatureExpired)


# --- dumps / loads ----------------------------------------------------------

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=5), children, max_size=4),
    max_leaves=10,
)


@pytest.mark.exercise("01.5")
@hypothesis_settings(max_examples=50)
@given(json_values, st.booleans())
def test_loads_reverses_dumps(obj, compress):
    signed = signing.dumps(obj, key="k", compress=compress)
    assert signing.loads(signed, key="k") == obj


@pytest.mark.exercise("01.5")
def test_dumps_compresses_only_when_it_helps():
    long = signing.dumps("x" * 200, key="k", compress=True)
    assert long.startswith("."), f"a compressible value should be flagged with a leading '.': {long!r}"
    assert signing.loads(long, key="k") == "x" * 200
    short = signing.dumps("x", key="k", compress=True)
    assert not short.startswith("."), "compressing one character makes it longer, so it must be left as is"
    assert signing.loads(short, key="k") == "x"


@pytest.mark.exercise("01.5")
def test_loads_checks_key_salt_and_age(clock):
    signed = signing.dumps({"user": 1}, key="k", salt="reset")
    with pytest.raises(BadSignature):
        signing.loads(signed, key="k", salt="other")
    with pytest.raises(BadSignature):
        signing.loads(signed, key="other", salt="reset")
    assert signing.loads(signed, key="new", salt="reset", fallback_keys=["k"]) == {"user": 1}
    clock.now += 61
    with pytest.raises(SignatureExpired):
        signing.loads(signed, key="k", salt="reset", max_age=60)


def test_dumps_output_is_url_safe():
    signed = signing.dumps({"text": "?/+=&" * 20}, key="k")
    allowed = set(string.ascii_letters + string.digits + "-_:.")
    assert set(signed) <= allowed, f"dumps() gave characters that need escaping in a URL: {set(signed) - allowed}"


@pytest.mark.exercise("01.5")
def test_cookie_signer_follows_settings():
    with override_settings(SECRET_KEY="one", SECRET_KEY_FALLBACKS=[]):
        signer = signing.get_cookie_signer(salt="session")
        signed = signer.sign("v")
    assert isinstance(signer, TimestampSigner)
    assert signer.salt == "session"
    assert signing.get_cookie_signer().salt == "tinyframe.core.signing.get_cookie_signer"
    with pytest.raises(BadSignature):  # the cookie key is derived from SECRET_KEY, not equal to it
        Signer(key="one", salt="session").unsign(signed)
    with override_settings(SECRET_KEY="two", SECRET_KEY_FALLBACKS=["one"]):
        assert signing.get_cookie_signer(salt="session").unsign(signed) == "v"
    with override_settings(SIGNING_BACKEND="tinyframe.core.signing.Signer"):
        assert type(signing.get_cookie_signer()) is Signer


@given(st.integers())
def test_base62_round_trip(number):
    assert signing.b62_decode(signing.b62_encode(number)) == number


@given(st.binary())
def test_base64_round_trip_without_padding(data):
    encoded = signing.b64_encode(data)
    assert b"=" not in encoded
    assert signing.b64_decode(encoded) == data


# --- crypto helpers and import_string ---------------------------------------


def test_salted_hmac_uses_secret_key_by_default_and_names_bad_algorithms():
    with override_settings(SECRET_KEY="secret"):
        assert salted_hmac("salt", "value").hexdigest() == salted_hmac("salt", "value", "secret").hexdigest()
    with pytest.raises(InvalidAlgorithm, match="'nope' is not an algorithm accepted by the hashlib module"):
        salted_hmac("salt", "value", "secret", algorithm="nope")


def test_constant_time_compare_accepts_text_and_bytes():
    assert constant_time_compare("abc", b"abc")
    assert not constant_time_compare("abc", "abcd")


def test_get_random_string_uses_allowed_chars():
    tokens = {get_random_string(16) for _ in range(5)}
    assert len(tokens) == 5 and all(len(token) == 16 and token.isalnum() for token in tokens)
    assert set(get_random_string(50, allowed_chars="xy")) <= {"x", "y"}


@pytest.mark.parametrize("path, message", [
    ("json", "json doesn't look like a module path"),
    ("json.missing", 'Module "json" does not define a "missing" attribute/class'),
])
def test_import_string_errors_name_the_path(path, message):
    with pytest.raises(ImportError, match=message):
        import_string(path)
    with pytest.raises(ModuleNotFoundError):
        import_string("no_such_module_here.thing")
    assert import_string("tinyframe.core.signing.Signer") is Signer
