"""Review of sessions, CSRF and messages against Django 5.2: each test states Django's answer to one case.

The cases come from running the same requests through Django and tinyframe
side by side; every test here is a place where they once differed.
"""

from tinyframe.contrib.sessions.backends.signed_cookies import SessionStore as SignedCookieStore
from tinyframe.http import HttpResponse
from tinyframe.test import Client
from tinyframe.urls import path


def test_set_expiry_none_keeps_the_replacement_of_a_bad_signed_cookie():
    # Django: loading a forged signed cookie makes a new session (modified);
    # set_expiry(None) must not forget that, or the bad cookie is never replaced.
    session = SignedCookieStore("abcdefghijklmnop")
    session.set_expiry(None)
    assert session.modified is True
    assert session.accessed is True


def test_set_expiry_none_after_a_custom_expiry_marks_the_session_modified():
    session = SignedCookieStore()
    session.set_expiry(60)
    session.modified = False
    session.set_expiry(None)
    assert session.modified is True
    assert "_session_expiry" not in session


def test_forged_signed_cookie_is_replaced_by_set_expiry_none(use_settings, throwaway_module):
    def view(request):
        request.session.set_expiry(None)
        return HttpResponse("ok")

    use_settings(
        ROOT_URLCONF=throwaway_module(urlpatterns=[path("", view)]),
        MIDDLEWARE=["tinyframe.contrib.sessions.middleware.SessionMiddleware"],
        SESSION_ENGINE="tinyframe.contrib.sessions.backends.signed_cookies",
    )
    client = Client()
    client.cookies["sessionid"] = "abcdefghijklmnop"
    response = client.get("/")
    # Django 5.2 answers with a new, valid (empty) signed session cookie.
    cookie = response.cookies["sessionid"]
    assert cookie.value != "abcdefghijklmnop"
    assert SignedCookieStore(cookie.value).load() == {}
    assert cookie["max-age"] == 1209600
    assert response["Vary"] == "Cookie"
