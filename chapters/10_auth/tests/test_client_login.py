"""The test client's ``login``, ``force_login``, ``logout`` and ``session``, as Django's test client has them."""

import pytest

from tinyframe.http import HttpResponse
from tinyframe.urls import path


def whoami(request):
    request.session["visits"] = request.session.get("visits", 0) + 1
    return HttpResponse(f"{request.user.get_username() or 'anonymous'} {request.session['visits']}")


@pytest.fixture
def client(auth_site, user):
    return auth_site(path("", whoami))


def test_login_with_the_right_credentials_signs_the_client_in(client, user):
    from tinyframe.contrib.auth import SESSION_KEY

    assert client.login(username="ada", password="correct horse") is True
    assert client.session[SESSION_KEY] == str(user.pk)
    assert client.cookies["sessionid"]["path"] == "/"
    assert client.get("/").content == b"ada 1"
    assert client.get("/").content == b"ada 2"


def test_login_with_wrong_credentials_returns_false(client):
    assert client.login(username="ada", password="wrong") is False
    assert client.login(username="nobody", password="correct horse") is False
    assert client.get("/").content == b"anonymous 1"


def test_force_login_needs_no_password_and_picks_the_first_backend_that_loads_users(client, make_user,
                                                                                     use_settings):
    from tinyframe.contrib.auth import BACKEND_SESSION_KEY

    nopass = make_user("grace", password=None)
    client.force_login(nopass)
    assert client.get("/").content == b"grace 1"
    assert client.session[BACKEND_SESSION_KEY] == "tinyframe.contrib.auth.backends.ModelBackend"
    assert nopass.backend == "tinyframe.contrib.auth.backends.ModelBackend"
    client.force_login(nopass, backend="tinyframe.contrib.auth.backends.AllowAllUsersModelBackend")
    assert client.session[BACKEND_SESSION_KEY] == "tinyframe.contrib.auth.backends.AllowAllUsersModelBackend"


def test_logout_ends_the_session_and_forgets_the_cookies(client, user):
    from tinyframe.contrib.sessions.models import Session

    client.force_login(user)
    session_key = client.cookies["sessionid"].value
    client.logout()
    assert not client.cookies
    assert not Session.objects.filter(session_key=session_key).exists()
    assert client.get("/").content == b"anonymous 1"


def test_logout_of_a_client_that_never_logged_in_is_harmless(client):
    client.logout()
    assert client.get("/").content == b"anonymous 1"


def test_session_is_the_client_sessions_store_and_saved_changes_reach_the_views(client):
    session = client.session  # no cookie yet: a new session is saved and its cookie set
    assert client.cookies["sessionid"].value == session.session_key
    session["visits"] = 41
    session.save()
    assert client.get("/").content == b"anonymous 42"
    assert client.session["visits"] == 42


def test_login_keeps_what_the_session_held(client, user):
    session = client.session
    session["cart"] = [1, 2]
    session.save()
    client.login(username="ada", password="correct horse")
    assert client.session["cart"] == [1, 2]
    assert client.cookies["sessionid"].value != session.session_key  # the key was cycled


def test_the_session_cookie_of_a_login_follows_the_cookie_settings(client, user, use_settings):
    use_settings(SESSION_COOKIE_DOMAIN=".example.com", SESSION_COOKIE_SECURE=True)
    client.force_login(user)
    cookie = client.cookies["sessionid"]
    assert (cookie["path"], cookie["domain"], cookie["secure"]) == ("/", ".example.com", True)
