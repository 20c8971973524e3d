"""CookieStorage: Django's signed cookie format, both ways; tampered cookies ignored; the size limit.

The vectors were made once by Django 5.2's ``CookieStorage`` with
``SECRET_KEY = "tinyframe-tests-not-secret"`` (the tests' key) and the clock
at 1767225600 (2026-01-01), the signing time a cookie carries. tinyframe
signs under its own names (the cookie key prefix ``"tinyframe.http.cookies"``,
the salt ``"tinyframe.contrib.messages"``), so Django's cookies do not pass
here; the tests that compare with Django's vectors switch to Django's names
(the ``djangos_names`` fixture): with Django's salts the bytes are Django's.
Long values are compared by their SHA-256.
"""

import hashlib
import time

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tinyframe.contrib.messages import constants
from tinyframe.contrib.messages.storage.base import Message
from tinyframe.contrib.messages.storage.cookie import CookieStorage, MessageDecoder, MessageEncoder, MessageSerializer
from tinyframe.core import signing
from tinyframe.http import HttpResponse
from tinyframe.test import RequestFactory
from tinyframe.utils.safestring import SafeData, mark_safe

SIGNED_AT = 1767225600

# Django: CookieStorage(request)._encode([Message(SUCCESS, "Saved <b>it</b>"),
# Message(ERROR, mark_safe("<i>safe</i>"), extra_tags="urgent"), Message(INFO, "Ünïcode ✓", extra_tags="")])
DJANGO_COOKIE = (
    ".eJxtzEsKgCAUheGtxB1f0F40ETfRsERMb2GQQWrrz8Y1OpPv_NMEWu_xDPqgGM1GgBybHmE0N7lKLNInwRYJCr-yxo4jCC-jWUkwLwEhXxuF9MtLu"
    "PA5c-5seIdWezqq5twMdVu-oNQDAxQs6g:1vb66i:41QGf4gcff29Z3B7gZmjjMAD6oAK_Q6RfNS0C_ZHFwk"
)
VECTOR_MESSAGES = [
    Message(constants.SUCCESS, "Saved <b>it</b>"),
    Message(constants.ERROR, mark_safe("<i>safe</i>"), extra_tags="urgent"),
    Message(constants.INFO, "Ünïcode ✓", extra_tags=""),
]
# The 8 messages of big_texts(): Django keeps the newest seven (remove_oldest) or the oldest seven.
DJANGO_KEEP_NEWEST_SHA256 = "94a3baffdac04bd7a525d7f36e6ef8b43e6ba6f6148a9257a37ee844bde7e0a1"
DJANGO_KEEP_OLDEST_SHA256 = "190037ce226ad1648f2ca8b8ef6a95bb038618e4335b7be7222b7a9b3260678e"


def big_texts(count: int = 8) -> list[str]:
    """Texts of ~320 hex digits each, which compress badly: eight do not fit in 2048 bytes."""
    return [f"{i}: " + "".join(hashlib.sha256(f"{i}-{j}".encode()).hexdigest() for j in range(5))
            for i in range(count)]


def request_with(cookie=None):
    request = RequestFactory().get("/")
    if cookie is not None:
        request.COOKIES["messages"] = cookie
    return request


@pytest.fixture
def frozen_clock(monkeypatch):
    monkeypatch.setattr(time, "time", lambda: SIGNED_AT)


@pytest.fixture
def djangos_names(monkeypatch):
    """Sign as Django does for this test only: its cookie key prefix and its messages salt."""
    monkeypatch.setattr(signing, "_cookie_signer_key", lambda key: b"django.http.cookies" + str(key).encode())
    monkeypatch.setattr(CookieStorage, "key_salt", "django.contrib.messages")


def stored_cookie(storage, messages=(), **kwargs):
    """``storage._store(messages)`` on a new response: (the cookie's morsel or None, the unstored messages)."""
    response = HttpResponse()
    unstored = storage._store(list(messages), response, **kwargs)
    return response.cookies.get("messages"), unstored


# --- the format --------------------------------------------------------------------------------------


def test_a_django_cookie_is_read(djangos_names):
    """With Django's salts, a cookie Django wrote reads here."""
    storage = CookieStorage(request_with(DJANGO_COOKIE))
    read = list(storage)
    assert read == VECTOR_MESSAGES, f"Django's cookie read as {read}; expected {VECTOR_MESSAGES}"
    assert [m.extra_tags for m in read] == [None, "urgent", ""]
    assert [isinstance(m.message, SafeData) for m in read] == [False, True, False], "only mark_safe text stays safe"


def test_the_cookie_written_is_djangos_byte_for_byte(frozen_clock, djangos_names):
    """With Django's salts the bytes are Django's."""
    assert CookieStorage(request_with())._encode(VECTOR_MESSAGES) == DJANGO_COOKIE


def test_a_django_cookie_is_refused_under_tinyframes_names():
    """tinyframe's own key prefix and salt: a cookie signed by a Django site is not a message here."""
    assert list(CookieStorage(request_with(DJANGO_COOKIE))) == []


def test_tinyframes_cookie_is_signed_under_its_own_names(frozen_clock):
    cookie = CookieStorage(request_with())._encode(VECTOR_MESSAGES)
    payload_and_time, signature = cookie.rsplit(":", 1)
    assert payload_and_time == DJANGO_COOKIE.rsplit(":", 1)[0], "Django's payload and time"
    assert not DJANGO_COOKIE.endswith(signature), "Django's names would give Django's signature"
    signer = signing.get_cookie_signer(salt="tinyframe.contrib.messages")
    assert signer.unsign_object(cookie, serializer=MessageSerializer) == VECTOR_MESSAGES


def test_the_cookie_has_the_session_cookies_attributes(frozen_clock, djangos_names):
    """With Django's salts the bytes are Django's."""
    storage = CookieStorage(request_with())
    storage.add(constants.INFO, "Hello")
    response = HttpResponse()
    storage.update(response)
    # Django 5.2's header for the same message, time and settings.
    assert response.cookies["messages"].output() == (
        "Set-Cookie: messages=W1siX19qc29uX21lc3NhZ2UiLDAsMjAsIkhlbGxvIiwiIl1d:1vb66i:"
        "pjD6Dv0Jy7rM1ZZ8uQo9vCAPFt_ptZS_iOYt9VH1q0Y; HttpOnly; Path=/; SameSite=Lax")


def test_the_cookie_follows_session_cookie_settings(use_settings):
    use_settings(SESSION_COOKIE_DOMAIN=".example.com", SESSION_COOKIE_SECURE=True, SESSION_COOKIE_HTTPONLY=False,
                 SESSION_COOKIE_SAMESITE="Strict")
    morsel, _ = stored_cookie(CookieStorage(request_with()), [Message(20, "Hi")])
    assert (morsel["domain"], morsel["secure"], morsel["httponly"], morsel["samesite"]) == (
        ".example.com", True, "", "Strict")
    emptied, _ = stored_cookie(CookieStorage(request_with()), [])
    assert (emptied.value, emptied["max-age"], emptied["domain"], emptied["samesite"]) == (
        "", 0, ".example.com", "Strict"), "no messages left: the cookie is deleted, on the same domain"


def test_encoder_and_decoder_round_trip_inside_any_structure():
    value = {"a": [Message(25, "x", extra_tags=None), Message(20, mark_safe("<b>"), extra_tags="t")], "b": [], "c": 1}
    text = MessageEncoder(separators=(",", ":")).encode(value)
    assert text == '{"a":[["__json_message",0,25,"x"],["__json_message",1,20,"<b>","t"]],"b":[],"c":1}'
    decoded = MessageDecoder().decode(text)
    assert decoded == value and decoded["a"][1].extra_tags == "t" and isinstance(decoded["a"][1].message, SafeData)
    with pytest.raises(TypeError, match="not JSON serializable"):
        MessageEncoder().encode(object())


def test_a_cookie_signed_under_an_old_key_is_read_through_the_fallbacks(use_settings):
    use_settings(SECRET_KEY="old key")
    old_cookie = CookieStorage(request_with())._encode([Message(20, "from before the rotation")])
    use_settings(SECRET_KEY="new key", SECRET_KEY_FALLBACKS=["old key"])
    assert list(CookieStorage(request_with(old_cookie))) == [Message(20, "from before the rotation")]
    use_settings(SECRET_KEY_FALLBACKS=[])
    assert list(CookieStorage(request_with(old_cookie))) == []


# --- a bad cookie ------------------------------------------------------------------------------------


def tampered_cookies():
    """(what, cookie value): each is a cookie an attacker (or a broken proxy) could send."""
    signer = signing.get_cookie_signer(salt=CookieStorage.key_salt)
    good = signer.sign_object([["__json_message", 0, 20, "fine"]])
    payload, timestamp, signature = good.rsplit(":", 2)
    admin = [["__json_message", 1, 40, "<script>alert(1)</script>"]]
    return [
        ("a changed signature", f"{payload}:{timestamp}:{signature[:-1]}{'A' if signature[-1] != 'A' else 'B'}"),
        ("a changed payload", f"{payload[:-2]}xx:{timestamp}:{signature}"),
        ("no signature at all", "just some text"),
        ("an unsigned forged message list", signing.b64_encode(str(admin).encode()).decode()),
        ("signed with another key", signing.TimestampSigner(key="guessed", salt=CookieStorage.key_salt)
         .sign_object(admin)),
        ("signed with another salt", signing.get_cookie_signer(salt="django.contrib.messages").sign_object(admin)),
        ("signed by a Django site", DJANGO_COOKIE),
        ("signed, but not base64", signer.sign("!!not*base64!!")),
        ("signed, but not zlib", signer.sign(".bm90IHpsaWI")),
        ("signed, but not JSON", signer.sign(signing.b64_encode(b"{nope").decode())),
        ("signed, but not a list", signer.sign_object({"level": 40})),
        ("signed, but a message of the wrong shape", signer.sign_object([["__json_message", 0]])),
        ("signed, but a level that is not a number", signer.sign_object([["__json_message", 0, "high", "x"]])),
    ]


def test_a_tampered_or_forged_cookie_is_ignored_and_deleted(check_rows):
    def check(what, cookie):
        storage = CookieStorage(request_with(cookie))
        read = list(storage)
        assert read == [], f"a cookie with {what} was read as {read}; it must be ignored"
        morsel, unstored = stored_cookie(storage, [])
        assert morsel is not None and morsel.value == "" and morsel["max-age"] == 0, (
            f"a cookie with {what} must be deleted by the response")

    check_rows(tampered_cookies(), check)


def test_a_bad_cookie_is_deleted_by_update_even_if_nobody_read_it():
    storage = CookieStorage(request_with("garbage:x:y"))
    storage.add(constants.INFO, "fresh")
    response = HttpResponse()
    storage.update(response)
    assert list(CookieStorage(request_with(response.cookies["messages"].value))) == [Message(20, "fresh")]


def test_no_cookie_is_no_messages_and_nothing_to_delete():
    storage = CookieStorage(request_with())
    assert storage._get() == (None, True)
    assert storage.update(HttpResponse()) is None


# --- the size limit ----------------------------------------------------------------------------------


def test_too_many_messages_drop_the_oldest_and_mark_the_cookie_unfinished(frozen_clock, djangos_names):
    """With Django's salts the bytes are Django's."""
    texts = big_texts()
    storage = CookieStorage(request_with())
    for text in texts:
        storage.add(constants.INFO, text)
    response = HttpResponse()
    unstored = storage.update(response)
    cookie = response.cookies["messages"].value
    assert [m.message for m in unstored] == texts[:1], "the oldest message is the one left out"
    assert len(cookie) <= CookieStorage.max_cookie_size
    assert hashlib.sha256(cookie.encode()).hexdigest() == DJANGO_KEEP_NEWEST_SHA256, "not Django's cookie"
    messages, all_retrieved = CookieStorage(request_with(cookie))._get()
    assert ([m.message for m in messages], all_retrieved) == (texts[1:], False)


def test_without_remove_oldest_the_newest_are_left_out(frozen_clock, djangos_names):
    """With Django's salts the bytes are Django's."""
    texts = big_texts()
    morsel, unstored = stored_cookie(CookieStorage(request_with()), [Message(20, t, "") for t in texts],
                                     remove_oldest=False)
    assert [m.message for m in unstored] == texts[7:]
    assert hashlib.sha256(morsel.value.encode()).hexdigest() == DJANGO_KEEP_OLDEST_SHA256, "not Django's cookie"


def test_a_single_message_too_big_leaves_only_the_marker():
    huge = Message(20, "".join(big_texts(10)))
    morsel, unstored = stored_cookie(CookieStorage(request_with()), [huge])
    assert unstored == [huge]
    assert CookieStorage(request_with(morsel.value))._get() == ([], False)


def test_max_cookie_size_zero_means_no_limit():
    class Unlimited(CookieStorage):
        max_cookie_size = 0

    morsel, unstored = stored_cookie(Unlimited(request_with()), [Message(20, t) for t in big_texts()])
    assert unstored == [] and len(morsel.value) > 2048
    assert [m.message for m in Unlimited(request_with(morsel.value))] == big_texts()


# --- property: what is stored comes back ---------------------------------------------------------------

message_strategy = st.builds(
    lambda level, text, extra_tags, safe: Message(level, mark_safe(text) if safe else text, extra_tags=extra_tags),
    st.sampled_from([10, 20, 25, 30, 40, 35]),
    st.text(min_size=1, max_size=60),
    st.none() | st.text(max_size=10),
    st.booleans(),
)


@settings(max_examples=25, deadline=None)
@given(st.lists(message_strategy, min_size=1, max_size=12))
def test_the_cookie_gives_back_what_it_stored(stored):
    """Any messages (any text, tags, safe or not) come back equal, with their tags and safety, in order.

    Those the cookie could not hold are handed back in order before the rest, so nothing is lost either.
    """
    morsel, unstored = stored_cookie(CookieStorage(request_with()), stored)
    read, all_retrieved = CookieStorage(request_with(morsel.value))._get()
    assert unstored + read == stored and all_retrieved == (not unstored)
    assert [(m.extra_tags, isinstance(m.message, SafeData)) for m in unstored + read] == [
        (m.extra_tags, isinstance(m.message, SafeData)) for m in stored]
