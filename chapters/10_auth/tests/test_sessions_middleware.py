"""SessionMiddleware through the test client: the cookie, Vary, and when a session is saved (exercise 10.2).

Each test serves a small site whose views read and write ``request.session``
(the database backend), and looks at what a browser would see: the
``Set-Cookie`` header, ``Vary``, the status, and the rows left in the table.
The expected headers are Django 5.2's, taken from the same requests made to
Django's ``SessionMiddleware``.
"""

import datetime
import logging

import pytest

from tinyframe.contrib.sessions.exceptions import SessionInterrupted
from tinyframe.contrib.sessions.models import Session
from tinyframe.http import HttpResponse
from tinyframe.test import Client, RequestFactory
from tinyframe.urls import path

MIDDLEWARE = "tinyframe.contrib.sessions.middleware.SessionMiddleware"
FIXED_TIME = 1800000000.0  # Fri, 15 Jan 2027 08:00:00 GMT
EXPIRES_IN_TWO_WEEKS = "Fri, 29 Jan 2027 08:00:00 GMT"
EXPIRY = datetime.datetime(2030, 1, 1, tzinfo=datetime.timezone.utc)


def count(request):
    """Add one to the session's counter and show it: a view that modifies the session."""
    request.session["count"] = request.session.get("count", 0) + 1
    return HttpResponse(str(request.session["count"]))


def read(request):
    """Show the counter without changing it: a view that only reads the session."""
    return HttpResponse(str(request.session.get("count")))


def plain(request):
    """Never look at the session."""
    return HttpResponse("plain")


def logout(request):
    """Empty the session and forget its key, as ``auth.logout`` does."""
    request.session.flush()
    return HttpResponse("bye")


def broken(request):
    """Change the session, then fail: nothing of this request should be kept."""
    request.session["count"] = 99
    return HttpResponse("error", status=500)


def remember_for(request, seconds):
    request.session.set_expiry(seconds)
    return HttpResponse("ok")


def deleted_meanwhile(request):
    """Change the session while another request (a logout in another tab) deletes it."""
    request.session["count"] = 5
    Session.objects.filter(session_key=request.session.session_key).delete()
    return HttpResponse("too late")


def varied(request):
    response = HttpResponse(str(request.session.get("count")))
    response["Vary"] = "Accept-Language"
    return response


URLS = [
    path("count/", count),
    path("read/", read),
    path("plain/", plain),
    path("logout/", logout),
    path("broken/", broken),
    path("remember/<int:seconds>/", remember_for),
    path("deleted/", deleted_meanwhile),
    path("varied/", varied),
]


@pytest.fixture
def client(tables, throwaway_module, use_settings, monkeypatch):
    """A client of the site above, with the session table and the middleware's clock fixed at FIXED_TIME.

    It raises what a view or middleware raised, as a test client does by
    default: a stub of 10.1 or 10.2 then fails the test as waiting for it,
    rather than as a 500 the test did not expect.
    """
    from tinyframe.contrib.sessions import middleware
    from tinyframe.urls import clear_url_caches

    tables(Session)
    use_settings(ROOT_URLCONF=throwaway_module(urlpatterns=URLS), MIDDLEWARE=[MIDDLEWARE], DEBUG=False)
    monkeypatch.setattr(middleware.time, "time", lambda: FIXED_TIME)
    yield Client()
    clear_url_caches()


def set_cookie(response) -> str:
    """The response's session ``Set-Cookie`` header, as the browser receives it."""
    return response.cookies["sessionid"].output(header="Set-Cookie:")


def keys() -> list[str]:
    return list(Session.objects.values_list("session_key", flat=True))


# Exercise 10.2: SessionMiddleware.process_response


@pytest.mark.exercise("10.2")
def test_a_modified_session_is_saved_and_its_cookie_set(client):
    response = client.get("/count/")
    assert response.status_code == 200
    [key] = keys()
    assert set_cookie(response) == (
        f"Set-Cookie: sessionid={key}; expires={EXPIRES_IN_TWO_WEEKS}; HttpOnly; Max-Age=1209600; Path=/; SameSite=Lax"
    )
    assert response["Vary"] == "Cookie"


@pytest.mark.exercise("10.2")
def test_the_cookie_brings_the_session_back(client):
    assert [client.get("/count/").content for _ in range(3)] == [b"1", b"2", b"3"]
    assert len(keys()) == 1, "one visitor, one session"
    assert client.get("/read/").content == b"3"


@pytest.mark.exercise("10.2")
def test_a_session_only_read_is_not_saved_but_varies_on_cookie(client):
    client.get("/count/")
    response = client.get("/read/")
    assert response.content == b"1"
    assert "sessionid" not in response.cookies, "nothing changed: no need to send the cookie again"
    assert response["Vary"] == "Cookie", "the page depends on who asks: caches must key it by cookie"


@pytest.mark.exercise("10.2")
def test_a_page_that_never_touches_the_session_is_left_alone(client):
    client.get("/count/")
    response = client.get("/plain/")
    assert "sessionid" not in response.cookies
    assert not response.has_header("Vary"), "a page the same for everyone can be cached for everyone"
    assert client.get("/read/").content == b"1"


@pytest.mark.exercise("10.2")
def test_an_emptied_session_deletes_its_cookie(client):
    client.get("/count/")
    response = client.get("/logout/")
    assert set_cookie(response) == (
        'Set-Cookie: sessionid=""; expires=Thu, 01 Jan 1970 00:00:00 GMT; Max-Age=0; Path=/; SameSite=Lax'
    )
    assert response["Vary"] == "Cookie"
    assert keys() == []
    assert client.get("/read/").content == b"None"


@pytest.mark.exercise("10.2")
def test_a_new_empty_session_sets_no_cookie(client):
    response = client.get("/read/")
    assert response.content == b"None"
    assert "sessionid" not in response.cookies, "no cookie to delete, nothing to save"
    assert keys() == []


@pytest.mark.exercise("10.2")
def test_nothing_is_saved_from_a_server_error(client):
    client.get("/count/")
    client.raise_request_exception = False  # the 500 is the point here
    response = client.get("/broken/")
    assert response.status_code == 500
    assert "sessionid" not in response.cookies
    assert client.get("/read/").content == b"1", "the failed request's change must not be kept"


@pytest.mark.exercise("10.2")
def test_save_every_request_saves_a_session_only_read(client, use_settings):
    client.get("/count/")
    use_settings(SESSION_SAVE_EVERY_REQUEST=True)
    response = client.get("/read/")
    assert "Max-Age=1209600" in set_cookie(response), "the cookie is refreshed, so the session lives on"
    response = client.get("/plain/")
    assert "sessionid" in response.cookies
    assert response["Vary"] == "Cookie"


@pytest.mark.exercise("10.2")
def test_save_every_request_still_saves_no_empty_session(client, use_settings):
    """A new visitor with nothing in the session gets no row and no cookie, even with SESSION_SAVE_EVERY_REQUEST."""
    use_settings(SESSION_SAVE_EVERY_REQUEST=True)
    for url in ("/plain/", "/read/"):
        response = client.get(url)
        assert "sessionid" not in response.cookies, f"{url}: an empty session was given a cookie"
    assert keys() == [], "an empty session was saved: every anonymous visitor would get a row"


@pytest.mark.exercise("10.2")
def test_the_cookie_attributes_come_from_the_settings(client, use_settings):
    use_settings(
        SESSION_COOKIE_NAME="sid",
        SESSION_COOKIE_SECURE=True,
        SESSION_COOKIE_HTTPONLY=False,
        SESSION_COOKIE_DOMAIN=".example.com",
        SESSION_COOKIE_PATH="/app",
        SESSION_COOKIE_SAMESITE="Strict",
        SESSION_EXPIRE_AT_BROWSER_CLOSE=True,
    )
    response = client.get("/count/")
    [key] = keys()
    assert response.cookies["sid"].output(header="Set-Cookie:") == (
        f"Set-Cookie: sid={key}; Domain=.example.com; Path=/app; SameSite=Strict; Secure"
    ), "no expires and no Max-Age: the browser drops the cookie when it closes"


@pytest.mark.exercise("10.2")
def test_a_session_deleted_during_the_request_is_a_400(client, caplog):
    client.get("/count/")
    with caplog.at_level(logging.CRITICAL):
        response = client.get("/deleted/")
    assert response.status_code == 400
    assert keys() == [], "the deleted session is not brought back to life"
    from tinyframe.contrib.sessions.middleware import SessionMiddleware

    request = RequestFactory().get("/deleted/")
    request.COOKIES["sessionid"] = client.cookies["sessionid"].value
    middleware = SessionMiddleware(deleted_meanwhile)
    Session.objects.create(session_key=request.COOKIES["sessionid"], session_data="", expire_date=EXPIRY)
    with pytest.raises(SessionInterrupted) as caught:
        middleware(request)
    assert str(caught.value) == (
        "The request's session was deleted before the request completed. "
        "The user may have logged out in a concurrent request, for example."
    )



# The rest of the middleware: process_request, expiry, and cookies nobody made.


def test_each_request_gets_a_store_of_the_engine_with_the_cookies_key(use_settings):
    from tinyframe.contrib.sessions.backends import db, signed_cookies
    from tinyframe.contrib.sessions.middleware import SessionMiddleware

    request = RequestFactory().get("/")
    request.COOKIES["sessionid"] = "k" * 32
    SessionMiddleware(plain).process_request(request)
    assert type(request.session) is db.SessionStore
    assert request.session.session_key == "k" * 32
    use_settings(SESSION_ENGINE="tinyframe.contrib.sessions.backends.signed_cookies")
    request = RequestFactory().get("/")
    SessionMiddleware(plain).process_request(request)
    assert type(request.session) is signed_cookies.SessionStore
    assert request.session.session_key is None


def test_a_request_without_a_session_gets_its_response_untouched():
    from tinyframe.contrib.sessions.middleware import SessionMiddleware

    response = HttpResponse("answered early")
    assert SessionMiddleware(plain).process_response(RequestFactory().get("/"), response) is response
    assert not response.cookies and not response.has_header("Vary")


def test_vary_cookie_is_added_to_the_views_own_vary(client):
    assert client.get("/varied/")["Vary"] == "Accept-Language, Cookie"


def test_a_custom_expiry_sets_the_cookies_age(client):
    response = client.get("/remember/60/")
    assert "expires=Fri, 15 Jan 2027 08:01:00 GMT; HttpOnly; Max-Age=60;" in set_cookie(response)


def test_set_expiry_zero_makes_a_browser_session_cookie(client):
    response = client.get("/remember/0/")
    assert "Max-Age" not in set_cookie(response) and "expires" not in set_cookie(response)
    [row] = Session.objects.all()
    assert row.get_decoded() == {"_session_expiry": 0}


@pytest.mark.parametrize(
    "cookie",
    [
        "k" * 32,  # well formed, but no such session
        "short",  # under 8 characters
        "../../etc/passwd",
        "' OR 1=1 --",
        "x" * 5000,
    ],
)
def test_a_forged_session_cookie_is_an_empty_session_and_is_deleted(client, cookie):
    client.get("/count/")
    real = keys()
    client.cookies["sessionid"] = cookie
    response = client.get("/read/")
    assert response.status_code == 200
    assert response.content == b"None", "a forged cookie must not reach anyone's session"
    assert response.cookies["sessionid"].value == "", "the useless cookie is deleted"
    assert keys() == real


def test_a_forged_cookie_never_becomes_the_key_of_a_new_session(client):
    client.cookies["sessionid"] = "attackerchosenkey123"
    response = client.get("/count/")
    assert response.cookies["sessionid"].value == keys()[0] != "attackerchosenkey123"


def test_samesite_none_leaves_the_attribute_out(client, use_settings):
    use_settings(SESSION_COOKIE_SAMESITE=None)
    response = client.get("/count/")
    assert set_cookie(response) == (
        f"Set-Cookie: sessionid={keys()[0]}; expires={EXPIRES_IN_TWO_WEEKS}; HttpOnly; Max-Age=1209600; Path=/"
    )


def test_the_deleted_cookie_names_the_same_domain_and_path(client, use_settings):
    use_settings(SESSION_COOKIE_DOMAIN=".example.com", SESSION_COOKIE_PATH="/")
    client.get("/count/")
    response = client.get("/logout/")
    # Without the same Domain and Path the browser would keep the original cookie.
    assert set_cookie(response) == (
        'Set-Cookie: sessionid=""; Domain=.example.com; expires=Thu, 01 Jan 1970 00:00:00 GMT; Max-Age=0; '
        "Path=/; SameSite=Lax"
    )


def test_an_expired_session_cookie_is_an_empty_session(client, monkeypatch):
    from tinyframe.utils import timezone

    client.get("/count/")
    expired = Session.objects.get().expire_date + datetime.timedelta(seconds=1)
    monkeypatch.setattr(timezone, "now", lambda: expired)
    response = client.get("/read/")
    assert response.content == b"None", "a stolen cookie stops working when its session expires"
    assert response.cookies["sessionid"].value == ""
