"""SessionStorage and FallbackStorage: messages in the session, and the cookie first with the session for the rest.

The session is the real one (``tinyframe.contrib.sessions``, signed-cookie
store: no table needed); the ImproperlyConfigured message and the JSON kept
under ``_messages`` were checked once against Django 5.2.
"""

import hashlib

import pytest

from tinyframe.contrib.messages import constants
from tinyframe.contrib.messages.storage.base import Message
from tinyframe.contrib.messages.storage.cookie import CookieStorage
from tinyframe.contrib.messages.storage.fallback import FallbackStorage
from tinyframe.contrib.messages.storage.session import SessionStorage
from tinyframe.contrib.sessions.backends.signed_cookies import SessionStore
from tinyframe.core.exceptions import ImproperlyConfigured
from tinyframe.http import HttpResponse
from tinyframe.test import RequestFactory
from tinyframe.utils.safestring import SafeData, mark_safe


def big_texts(count: int) -> list[str]:
    """Texts of ~320 hex digits each, which compress badly: seven or more do not fit in one cookie."""
    return [f"{i}: " + "".join(hashlib.sha256(f"{i}-{j}".encode()).hexdigest() for j in range(5))
            for i in range(count)]


def make_request(session=None, cookie=None):
    """A GET request with ``session`` (a new empty one by default) and the messages cookie ``cookie``."""
    request = RequestFactory().get("/")
    request.session = SessionStore() if session is None else session
    if cookie is not None:
        request.COOKIES["messages"] = cookie
    return request


def next_request(request, response):
    """The browser's next request: the same session, and the messages cookie the response left (if any)."""
    morsel = response.cookies.get("messages")
    cookie = request.COOKIES.get("messages") if morsel is None else (morsel.value or None)
    return make_request(request.session, cookie)


# --- SessionStorage ----------------------------------------------------------------------------------


def test_session_storage_needs_the_session_middleware():
    with pytest.raises(ImproperlyConfigured) as caught:
        SessionStorage(RequestFactory().get("/"))
    assert str(caught.value) == (
        "The session-based temporary message storage requires session middleware to be installed, and come "
        "before the message middleware in the MIDDLEWARE list.")


def test_session_storage_keeps_messages_as_json_under_messages_key():
    request = make_request()
    storage = SessionStorage(request)
    assert storage._get() == (None, True)
    storage.add(constants.SUCCESS, mark_safe("<b>Saved</b>"), extra_tags="big")
    storage.add(constants.ERROR, "Failed")
    assert storage.update(HttpResponse()) == []
    assert request.session["_messages"] == (
        '[["__json_message", 1, 25, "<b>Saved</b>", "big"], ["__json_message", 0, 40, "Failed", ""]]')
    read = list(SessionStorage(make_request(request.session)))
    assert read == [Message(25, "<b>Saved</b>"), Message(40, "Failed")]
    assert isinstance(read[0].message, SafeData) and not isinstance(read[1].message, SafeData)


def test_session_storage_removes_its_key_once_the_messages_are_shown():
    request = make_request()
    storage = SessionStorage(request)
    storage.add(constants.INFO, "Once")
    storage.update(HttpResponse())
    second = SessionStorage(make_request(request.session))
    assert list(second) == [Message(20, "Once")]
    second.update(HttpResponse())
    assert "_messages" not in request.session
    assert list(SessionStorage(make_request(request.session))) == []


def test_session_storage_takes_back_a_list_it_did_not_encode():
    session = SessionStore()
    session["_messages"] = [Message(20, "already objects")]
    assert list(SessionStorage(make_request(session))) == [Message(20, "already objects")]


# --- FallbackStorage ---------------------------------------------------------------------------------


def test_a_few_messages_go_in_the_cookie_only():
    request = make_request()
    storage = FallbackStorage(request)
    storage.add(constants.INFO, "Short")
    response = HttpResponse()
    assert storage.update(response) == []
    assert "messages" in response.cookies and "_messages" not in request.session
    assert list(FallbackStorage(next_request(request, response))) == [Message(20, "Short")]


def test_what_the_cookie_cannot_hold_goes_to_the_session_in_order():
    texts = big_texts(9)
    request = make_request()
    storage = FallbackStorage(request)
    for text in texts:
        storage.add(constants.INFO, text)
    response = HttpResponse()
    assert storage.update(response) == []
    cookie_messages, all_retrieved = CookieStorage(next_request(request, response))._get()
    assert all_retrieved is False, "the cookie must say that more messages are elsewhere"
    assert [m.message for m in cookie_messages] == texts[:len(cookie_messages)], "the cookie keeps the oldest"
    assert "_messages" in request.session

    reader = FallbackStorage(next_request(request, response))
    assert [m.message for m in reader] == texts, "all the messages, in the order they were added"
    final = HttpResponse()
    reader.update(final)
    assert final.cookies["messages"]["max-age"] == 0, "both storages are emptied once the messages are shown"
    assert "_messages" not in request.session


def test_the_session_is_not_read_when_the_cookie_had_everything():
    request = make_request()
    storage = FallbackStorage(request)
    storage.add(constants.INFO, "Short")
    response = HttpResponse()
    storage.update(response)
    following = next_request(request, response)
    reader = FallbackStorage(following)
    assert list(reader) == [Message(20, "Short")]
    assert not following.session.accessed, "the cookie said it had every message: the session is not loaded"


def test_no_cookie_means_no_messages_anywhere():
    request = make_request()
    request.session["_messages"] = '[["__json_message", 0, 20, "orphan"]]'
    assert FallbackStorage(make_request(request.session))._get() == ([], True)
    assert list(FallbackStorage(make_request(request.session))) == []


def test_fallback_storage_with_no_storages_has_no_messages():
    class Empty(FallbackStorage):
        storage_classes = ()

    assert Empty(make_request())._get() == ([], True)
