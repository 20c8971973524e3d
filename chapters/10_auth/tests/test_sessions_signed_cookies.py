"""The signed-cookie backend: the whole session in the cookie, signed; forged, tampered or old cookies refused.

No table is needed: the store keeps nothing. The signing clock is fixed
(``signing.time`` replaced) so that a cookie's age is exact.
"""

import types

import pytest

from tinyframe.contrib.sessions.backends import signed_cookies
from tinyframe.contrib.sessions.backends.signed_cookies import SessionStore
from tinyframe.core import signing
from tinyframe.http import HttpResponse
from tinyframe.test import Client
from tinyframe.urls import path

SIGNED_AT = 1800000000.0
TWO_WEEKS = 1209600
# Made by Django 5.2's signed_cookies store (SECRET_KEY "tinyframe-tests-not-secret",
# signed at SIGNED_AT) for the session {"cart": [1, 2, 3]}.
DJANGO_COOKIE = "eyJjYXJ0IjpbMSwyLDNdfQ:1xocE4:i7yvvsehmFtkAjkHaOy-q2ASSw2s57Trvw_ny9EHJ5M"


@pytest.fixture
def clock(monkeypatch):
    """Fix the signing clock at SIGNED_AT; ``clock(seconds)`` moves it that far on."""

    def move(seconds: float = 0) -> None:
        monkeypatch.setattr(signing, "time", types.SimpleNamespace(time=lambda: SIGNED_AT + seconds))

    move()
    return move


def saved(**data) -> SessionStore:
    session = SessionStore()
    session.update(data)
    session.save()
    return session


def test_the_key_is_the_signed_data(clock):
    session = saved(cart=[1, 2, 3])
    assert session.modified is True
    assert signing.loads(session.session_key, salt="tinyframe.contrib.sessions.backends.signed_cookies") == {
        "cart": [1, 2, 3]
    }
    assert SessionStore(session.session_key)["cart"] == [1, 2, 3]


def test_a_cookie_made_by_django_loads_with_djangos_salt(clock, monkeypatch):
    monkeypatch.setattr(signed_cookies, "SALT", "django.contrib.sessions.backends.signed_cookies")
    assert SessionStore(DJANGO_COOKIE)["cart"] == [1, 2, 3]
    assert saved(cart=[1, 2, 3]).session_key == DJANGO_COOKIE, "the same bytes as Django's cookie"


def test_a_django_cookie_is_refused_under_our_salt(clock):
    assert SessionStore(DJANGO_COOKIE).get("cart") is None


def test_big_sessions_are_compressed(clock):
    session = saved(text="a" * 1000)
    assert session.session_key.startswith(".") and len(session.session_key) < 100


@pytest.mark.parametrize(
    "cookie",
    [
        "eyJpc19hZG1pbiI6dHJ1ZX0:1xocE4:forgedsignature",  # {"is_admin":true}, signature made up
        DJANGO_COOKIE.replace("eyJjYXJ0", "eyJpc19h"),  # the data changed, the signature kept
        "not-a-signed-value",
        ".garbage:1xocE4:x",
    ],
)
def test_a_forged_or_tampered_cookie_is_an_empty_session(clock, cookie):
    session = SessionStore(cookie)
    assert dict(session.items()) == {}
    assert session.modified is True, "a fresh cookie will replace the bad one"


def test_a_cookie_signed_with_another_key_is_refused(clock):
    other = signing.dumps({"user": 1}, key="another-site", salt=signed_cookies.SALT, compress=True)
    assert SessionStore(other).get("user") is None


def test_a_cookie_older_than_the_cookie_age_is_refused(clock, use_settings):
    key = saved(user=1).session_key
    clock(TWO_WEEKS)
    assert SessionStore(key).get("user") == 1
    clock(TWO_WEEKS + 1)
    assert SessionStore(key).get("user") is None
    use_settings(SESSION_COOKIE_AGE=TWO_WEEKS * 2)
    assert SessionStore(key).get("user") == 1


def test_delete_and_flush_forget_everything(clock):
    session = SessionStore(saved(user=1).session_key)
    session.delete()
    assert session.session_key is None and dict(session.items()) == {} and session.modified
    session = SessionStore(saved(user=1).session_key)
    session.flush()
    assert session.is_empty()


def test_cycle_key_re_signs_the_same_data(clock):
    old = saved(user=1).session_key
    session = SessionStore(old)
    clock(5)
    session.cycle_key()
    assert session.session_key != old
    assert SessionStore(session.session_key)["user"] == 1


def test_nothing_is_stored_so_nothing_exists_or_expires():
    session = SessionStore()
    assert session.exists("anything") is False
    session.create()
    assert session.modified is True
    assert SessionStore.clear_expired() is None


# Through the middleware: no table at all.


def count(request):
    request.session["count"] = request.session.get("count", 0) + 1
    return HttpResponse(str(request.session["count"]))


def logout(request):
    request.session.flush()
    return HttpResponse("bye")


@pytest.fixture
def client(throwaway_module, use_settings):
    from tinyframe.urls import clear_url_caches

    use_settings(
        ROOT_URLCONF=throwaway_module(urlpatterns=[path("count/", count), path("logout/", logout)]),
        MIDDLEWARE=["tinyframe.contrib.sessions.middleware.SessionMiddleware"],
        SESSION_ENGINE="tinyframe.contrib.sessions.backends.signed_cookies",
    )
    yield Client()
    clear_url_caches()


def test_a_visitor_keeps_a_session_in_the_cookie_alone(client):
    assert [client.get("/count/").content for _ in range(3)] == [b"1", b"2", b"3"]
    assert signing.loads(client.cookies["sessionid"].value, salt=signed_cookies.SALT) == {"count": 3}


def test_a_visitor_who_edits_the_cookie_starts_again(client):
    client.get("/count/")
    data, signature = client.cookies["sessionid"].value.split(":", 1)
    assert signing.b64_decode(data.encode()) == b'{"count":1}', "anyone can read the data: it is signed, not encrypted"
    client.cookies["sessionid"] = signing.b64_encode(b'{"count":1000}').decode() + ":" + signature
    assert client.get("/count/").content == b"1"


def test_logout_deletes_the_cookie(client):
    client.get("/count/")
    response = client.get("/logout/")
    assert response.cookies["sessionid"].value == ""
    assert "sessionid" not in client.cookies
    assert client.get("/count/").content == b"1"
