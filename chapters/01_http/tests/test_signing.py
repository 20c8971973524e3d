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
    """Signer.unsign checks a 'value:signature' made by Django's Signer and returns the value."""
    value = Signer(key="k", salt="s").unsign(DJANGO_SIGNED_HELLO)
    assert value == "hello", f"unsign({DJANGO_SIGNED_HELLO!r}) returned {value!r}, expected 'hello'"


@pytest.mark.exercise("01.5")
def test_unsign_returns_the_value_with_its_own_separators():
    """unsign returns a value that contains ':' itself whole: the signature follows the last ':'."""
    signer = Signer(key="k")
    signed = signer.sign("a:b:c")
    assert signer.unsign(signed) == "a:b:c", (
        f"unsign({signed!r}) returned {signer.unsign(signed)!r}; expected 'a:b:c' (the signature follows the LAST ':')"
    )


@pytest.mark.exercise("01.5")
@pytest.mark.parametrize("tampered", [
    "hellO:isSV6eokf6OrNnDesrCbALUgVbYu8JSAV_6YHnW6i1M",   # value changed
    "hello:isSV6eokf6OrNnDesrCbALUgVbYu8JSAV_6YHnW6i1m",   # signature changed
    "hello:",                                              # signature removed
    "hello:isSV6eokf6OrNnDesrCbALUgVbYu8JSAV_6YHnW6i1",    # signature cut short
])
def test_unsign_rejects_tampering(tampered):
    """unsign raises BadSignature('Signature "..." does not match') when the value or its signature was changed."""
    with pytest.raises(BadSignature) as caught:
        value = Signer(key="k", salt="s").unsign(tampered)
        pytest.fail(f"unsign({tampered!r}) returned {value!r}; expected BadSignature: the signature does not match")
    signature = tampered.rsplit(":", 1)[1]
    assert str(caught.value) == f'Signature "{signature}" does not match', (
        f"unsign({tampered!r}) raised BadSignature({str(caught.value)!r}); expected the message "
        f"'Signature \"{signature}\" does not match'"
    )


@pytest.mark.exercise("01.5")
def test_unsign_without_separator_says_so():
    """unsign raises BadSignature('No ":" found in value'), naming the signer's separator, when there is none."""
    with pytest.raises(BadSignature, match='No ":" found in value'):
        value = Signer(key="k").unsign("no separator here")
        pytest.fail(f"unsign('no separator here') returned {value!r}; expected BadSignature('No \":\" found in value')")
    with pytest.raises(BadSignature, match='No "/" found in value'):
        value = Signer(key="k", sep="/").unsign("a:b")
        pytest.fail(
            f"Signer(sep='/').unsign('a:b') returned {value!r}; expected BadSignature('No \"/\" found in value')"
        )


@pytest.mark.exercise("01.5")
def test_unsign_accepts_fallback_keys():
    """unsign accepts a value signed with one of fallback_keys (old keys, during key rotation), and no other key."""
    old_signed = Signer(key="old").sign("v")
    signer = Signer(key="new", fallback_keys=["older", "old"])
    assert signer.unsign(old_signed) == "v", (
        f"Signer(key='new', fallback_keys=['older', 'old']).unsign({old_signed!r}) returned "
        f"{signer.unsign(old_signed)!r}; expected 'v': a value signed with a fallback key must still verify"
    )
    assert signer.sign("v") != old_signed, "sign() must always use the current key, never a fallback"
    with pytest.raises(BadSignature):
        value = Signer(key="new", fallback_keys=[]).unsign(old_signed)
        pytest.fail(
            f"Signer(key='new', fallback_keys=[]).unsign({old_signed!r}), a value signed with key 'old', "
            f"returned {value!r}; expected BadSignature"
        )


@pytest.mark.exercise("01.5")
def test_salt_and_key_separate_signatures():
    """A value signed with one key and salt does not verify under another salt or another key."""
    signed = Signer(key="k", salt="one").sign("v")
    for other in (Signer(key="k", salt="two"), Signer(key="other", salt="one")):
        with pytest.raises(BadSignature):
            value = other.unsign(signed)
            pytest.fail(
                f"Signer(key={other.key!r}, salt={other.salt!r}).unsign({signed!r}), signed with key 'k' and salt "
                f"'one', returned {value!r}; expected BadSignature"
            )


@pytest.mark.exercise("01.5")
def test_signer_reads_secret_key_from_settings():
    """Signer() signs with settings.SECRET_KEY and also accepts settings.SECRET_KEY_FALLBACKS."""
    with override_settings(SECRET_KEY="first", SECRET_KEY_FALLBACKS=[]):
        signed = Signer().sign("v")
    with override_settings(SECRET_KEY="second", SECRET_KEY_FALLBACKS=["first"]):
        assert Signer().unsign(signed) == "v", (
            f"with SECRET_KEY='second' and SECRET_KEY_FALLBACKS=['first'], Signer().unsign({signed!r}) returned "
            f"{Signer().unsign(signed)!r}; expected 'v'"
        )
        assert Signer().salt == "tinyframe.core.signing.Signer", (
            f"Signer().salt is {Signer().salt!r}; expected 'tinyframe.core.signing.Signer', the class's dotted path"
        )
    with override_settings(SECRET_KEY="second", SECRET_KEY_FALLBACKS=[]), pytest.raises(BadSignature):
        value = Signer().unsign(signed)
        pytest.fail(
            f"with SECRET_KEY='second' and no fallbacks, Signer().unsign({signed!r}), signed under 'first', "
            f"returned {value!r}; expected BadSignature"
        )


@pytest.mark.parametrize("sep", ["", "-", "abc", "=", "_"])
def test_unsafe_separators_are_refused(sep):
    with pytest.raises(ValueError, match="Unsafe Signer separator"):
        Signer(key="k", sep=sep)


@pytest.mark.exercise("01.5")
@given(st.text())
def test_unsign_reverses_sign_for_any_text(value):
    """For any text, unsign(sign(text)) gives the text back."""
    signer = Signer(key="k")
    assert signer.unsign(signer.sign(value)) == value, (
        f"sign({value!r}) gave {signer.sign(value)!r}, and unsign of that returned "
        f"{signer.unsign(signer.sign(value))!r}; expected {value!r}"
    )


@pytest.mark.exercise("01.5")
@given(st.text(max_size=20), st.data())
def test_any_single_character_change_is_detected(value, data):
    """Changing any one character of a signed value, anywhere, makes unsign raise BadSignature."""
    signer = Signer(key="k")
    signed = signer.sign(value)
    position = data.draw(st.integers(0, len(signed) - 1), label="position")
    replacement = data.draw(st.characters(blacklist_categories=("Cs",)).filter(lambda c: c != signed[position]),
                            label="replacement")
    tampered = signed[:position] + replacement + signed[position + 1:]
    with pytest.raises(BadSignature):
        got = signer.unsign(tampered)
        pytest.fail(
            f"sign({value!r}) gave {signed!r}; with character {position} changed to {replacement!r}, "
            f"unsign({tampered!r}) returned {got!r}; expected BadSignature"
        )


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
    """TimestampSigner signs 'value:timestamp'; its unsign checks the signature through Signer.unsign,
    then refuses a value older than max_age (seconds or a timedelta) with SignatureExpired."""
    signer = TimestampSigner(key="k")
    signed = signer.sign("v")
    assert signed.split(":")[1] == signing.b62_encode(1_700_000_000), (
        f"TimestampSigner.sign('v') at time 1700000000 gave {signed!r}; expected 'v:"
        f"{signing.b62_encode(1_700_000_000)}:<signature>'"
    )
    clock.now += 10
    assert signer.unsign(signed) == "v", (
        f"TimestampSigner.unsign({signed!r}) returned {signer.unsign(signed)!r}; expected 'v'"
    )
    assert signer.unsign(signed, max_age=10) == "v", (
        f"ten seconds after signing, unsign({signed!r}, max_age=10) returned {signer.unsign(signed, max_age=10)!r}; "
        "expected 'v'"
    )
    assert signer.unsign(signed, max_age=datetime.timedelta(seconds=11)) == "v", (
        f"ten seconds after signing, unsign({signed!r}, max_age=timedelta(seconds=11)) returned "
        f"{signer.unsign(signed, max_age=datetime.timedelta(seconds=11))!r}; expected 'v'"
    )
    with pytest.raises(SignatureExpired, match=r"Signature age 10.0 > 9 seconds"):
        signer.unsign(signed, max_age=9)
    with pytest.raises(SignatureExpired, match=r"Signature age 10.0 > 5.0 seconds"):
        signer.unsign(signed, max_age=datetime.timedelta(seconds=5))


@pytest.mark.exercise("01.5")
def test_expired_is_a_bad_signature_and_tampering_beats_age(clock):
    """SignatureExpired is a kind of BadSignature, and a tampered value is a BadSignature, whatever its age."""
    signer = TimestampSigner(key="k")
    signed = signer.sign("v")
    assert issubclass(SignatureExpired, BadSignature), "SignatureExpired must be a subclass of BadSignature"
    tampered = "w" + signed[1:]
    with pytest.raises(BadSignature) as caught:
        value = signer.unsign(tampered, max_age=100)
        pytest.fail(f"TimestampSigner.unsign({tampered!r}, max_age=100) returned {value!r}; expected BadSignature")
    assert not isinstance(caught.value, SignatureExpired), (
        f"TimestampSigner.unsign({tampered!r}, max_age=100) raised {caught.value!r}; expected a BadSignature "
        "for the tampering, not SignatureExpired"
    )


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
    """For any JSON value, compressed or not, loads(dumps(value)) gives the value back."""
    signed = signing.dumps(obj, key="k", compress=compress)
    assert signing.loads(signed, key="k") == obj, (
        f"dumps({obj!r}, compress={compress}) gave {signed!r}, and loads of that returned "
        f"{signing.loads(signed, key='k')!r}; expected {obj!r}"
    )


@pytest.mark.exercise("01.5")
def test_dumps_compresses_only_when_it_helps():
    """dumps(compress=True) compresses, marked by a leading '.', only when that is shorter; loads reads both."""
    long = signing.dumps("x" * 200, key="k", compress=True)
    assert long.startswith("."), (
        f"dumps('x' * 200, compress=True) gave {long!r}; expected a compressed value, flagged with a leading '.'"
    )
    assert signing.loads(long, key="k") == "x" * 200, (
        f"loads({long!r}) returned {signing.loads(long, key='k')!r}; expected 'x' * 200"
    )
    short = signing.dumps("x", key="k", compress=True)
    assert not short.startswith("."), (
        f"dumps('x', compress=True) gave {short!r}; compressing one character makes it longer, so it must be left as is"
    )
    assert signing.loads(short, key="k") == "x", (
        f"loads({short!r}) returned {signing.loads(short, key='k')!r}; expected 'x'"
    )


@pytest.mark.exercise("01.5")
def test_loads_checks_key_salt_and_age(clock):
    """loads refuses a value signed under another salt or key (fallback keys excepted), or older than max_age."""
    signed = signing.dumps({"user": 1}, key="k", salt="reset")
    with pytest.raises(BadSignature):
        value = signing.loads(signed, key="k", salt="other")
        pytest.fail(
            f"loads() with salt 'other' of a value dumped with salt 'reset' returned {value!r}; expected BadSignature"
        )
    with pytest.raises(BadSignature):
        value = signing.loads(signed, key="other", salt="reset")
        pytest.fail(
            f"loads() with key 'other' of a value dumped with key 'k' returned {value!r}; expected BadSignature"
        )
    assert signing.loads(signed, key="new", salt="reset", fallback_keys=["k"]) == {"user": 1}, (
        f"loads({signed!r}, key='new', salt='reset', fallback_keys=['k']) returned "
        f"{signing.loads(signed, key='new', salt='reset', fallback_keys=['k'])!r}; expected {{'user': 1}}"
    )
    clock.now += 61
    with pytest.raises(SignatureExpired):
        value = signing.loads(signed, key="k", salt="reset", max_age=60)
        pytest.fail(f"61 seconds after dumps(), loads(..., max_age=60) returned {value!r}; expected SignatureExpired")


def test_dumps_output_is_url_safe():
    signed = signing.dumps({"text": "?/+=&" * 20}, key="k")
    allowed = set(string.ascii_letters + string.digits + "-_:.")
    assert set(signed) <= allowed, f"dumps() gave characters that need escaping in a URL: {set(signed) - allowed}"


@pytest.mark.exercise("01.5")
def test_cookie_signer_follows_settings():
    """get_cookie_signer() gives a TimestampSigner (or SIGNING_BACKEND) keyed from SECRET_KEY and its fallbacks."""
    with override_settings(SECRET_KEY="one", SECRET_KEY_FALLBACKS=[]):
        signer = signing.get_cookie_signer(salt="session")
        signed = signer.sign("v")
    assert isinstance(signer, TimestampSigner), f"get_cookie_signer() returned {signer!r}; expected a TimestampSigner"
    assert signer.salt == "session", f"get_cookie_signer(salt='session').salt is {signer.salt!r}; expected 'session'"
    assert signing.get_cookie_signer().salt == "tinyframe.core.signing.get_cookie_signer", (
        f"get_cookie_signer().salt is {signing.get_cookie_signer().salt!r}; "
        "expected 'tinyframe.core.signing.get_cookie_signer'"
    )
    with pytest.raises(BadSignature):  # the cookie key is derived from SECRET_KEY, not equal to it
        value = Signer(key="one", salt="session").unsign(signed)
        pytest.fail(
            f"Signer(key='one', salt='session').unsign({signed!r}) returned {value!r}; expected BadSignature: "
            "the cookie signer's key is derived from SECRET_KEY, not SECRET_KEY itself"
        )
    with override_settings(SECRET_KEY="two", SECRET_KEY_FALLBACKS=["one"]):
        assert signing.get_cookie_signer(salt="session").unsign(signed) == "v", (
            f"with SECRET_KEY='two' and SECRET_KEY_FALLBACKS=['one'], get_cookie_signer(salt='session')"
            f".unsign({signed!r}) returned {signing.get_cookie_signer(salt='session').unsign(signed)!r}; expected 'v'"
        )
    with override_settings(SIGNING_BACKEND="tinyframe.core.signing.Signer"):
        assert type(signing.get_cookie_signer()) is Signer, (
            f"with SIGNING_BACKEND='tinyframe.core.signing.Signer', get_cookie_signer() returned "
            f"{signing.get_cookie_signer()!r}; expected a Signer"
        )


@given(st.integers())
def test_base62_round_trip(number):
    """For any integer, negative ones too, b62_decode(b62_encode(n)) gives n back."""
    assert signing.b62_decode(signing.b62_encode(number)) == number


@given(st.binary())
def test_base64_round_trip_without_padding(data):
    """For any bytes, b64_encode leaves out the '=' padding and b64_decode gives the bytes back."""
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
    """import_string imports 'module.attribute', and when it cannot, says which part of the path is wrong."""
    with pytest.raises(ImportError, match=message):
        import_string(path)
    with pytest.raises(ModuleNotFoundError):
        import_string("no_such_module_here.thing")
    assert import_string("tinyframe.core.signing.Signer") is Signer
