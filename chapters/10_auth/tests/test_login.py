"""login, logout, get_user and the session: who the next request belongs to.

Most tests go through the test client and a site with the session and
authentication middleware (``auth_site``): the view logs a user in, the
next request reads ``request.user``. The attacks: a session key planted
before the login (fixation), a session whose password hash no longer
matches, a session naming a backend that is gone.
"""

import pytest

from tinyframe.http import HttpResponse
from tinyframe.urls import path

PASSWORD = "correct horse"


@pytest.fixture
def client(auth_site, login_urls):
    return auth_site(*login_urls)


def session_cookie(client):
    from tinyframe.conf import settings

    morsel = client.cookies.get(settings.SESSION_COOKIE_NAME)
    return morsel.value if morsel else None


def test_a_logged_in_users_next_request_is_theirs(client, user):
    assert client.get("/whoami/").content == b"anonymous"
    response = client.post("/sign-in/", {"username": "ada", "password": PASSWORD})
    assert response.content == b"ok"
    assert client.get("/whoami/").content == b"ada"


def test_login_stores_djangos_three_session_keys(client, user):
    from tinyframe.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY

    client.post("/sign-in/", {"username": "ada", "password": PASSWORD})
    session = client.session
    assert (SESSION_KEY, BACKEND_SESSION_KEY, HASH_SESSION_KEY) == (
        "_auth_user_id", "_auth_user_backend", "_auth_user_hash"
    )  # fmt: skip
    assert session[SESSION_KEY] == str(user.pk)
    assert session[BACKEND_SESSION_KEY] == "tinyframe.contrib.auth.backends.ModelBackend"
    assert session[HASH_SESSION_KEY] == user.get_session_auth_hash()


def test_a_session_key_planted_before_login_does_not_survive_it(client, user):
    # The attacker's move: get a session key, and make the victim's browser use it.
    client.get("/remember/")
    planted = session_cookie(client)
    assert planted
    client.post("/sign-in/", {"username": "ada", "password": PASSWORD})
    after = session_cookie(client)
    assert after != planted, "login kept the session key the visitor had before: session fixation"
    # The attacker, holding the old key, is nobody.
    attacker = type(client)()
    attacker.cookies[next(iter(client.cookies))] = planted
    assert attacker.get("/whoami/").content == b"anonymous"
    # The anonymous session's data carries over to the same visitor's logged-in session (cycle_key).
    assert client.get("/cart/").content == b"tea"


def test_logging_in_as_another_user_empties_the_session(client, make_user):
    make_user("ada", PASSWORD)
    make_user("grace", PASSWORD)
    client.post("/sign-in/", {"username": "ada", "password": PASSWORD})
    client.get("/remember/?item=ada's secret")
    client.post("/sign-in/", {"username": "grace", "password": PASSWORD})
    assert client.get("/whoami/").content == b"grace"
    assert client.get("/cart/").content == b"empty", "grace sees what ada left in the session"


def test_logging_in_again_as_the_same_user_keeps_the_session(client, user):
    client.post("/sign-in/", {"username": "ada", "password": PASSWORD})
    client.get("/remember/?item=biscuits")
    client.post("/sign-in/", {"username": "ada", "password": PASSWORD})
    assert client.get("/cart/").content == b"biscuits"


def test_a_wrong_password_logs_nobody_in(client, user):
    assert client.post("/sign-in/", {"username": "ada", "password": "wrong"}).status_code == 401
    assert client.get("/whoami/").content == b"anonymous"


def test_logout_empties_the_session_and_changes_its_key(client, user):
    client.post("/sign-in/", {"username": "ada", "password": PASSWORD})
    client.get("/remember/")
    before = session_cookie(client)
    assert client.post("/sign-out/").content == b"bye"
    assert client.get("/whoami/").content == b"anonymous"
    assert client.get("/cart/").content == b"empty"
    assert session_cookie(client) != before


def test_after_logout_the_old_session_key_is_anonymous(client, user):
    client.post("/sign-in/", {"username": "ada", "password": PASSWORD})
    stolen = session_cookie(client)
    client.post("/sign-out/")
    thief = type(client)()
    thief.cookies[next(iter(client.cookies))] = stolen
    assert thief.get("/whoami/").content == b"anonymous"


def test_a_password_change_logs_out_the_other_sessions(client, user):
    client.post("/sign-in/", {"username": "ada", "password": PASSWORD})
    user.set_password("a new one")
    user.save()
    assert client.get("/whoami/").content == b"anonymous"
    assert client.get("/cart/").content == b"empty", "the session was not flushed"


def test_update_session_auth_hash_keeps_the_changing_session_logged_in(auth_site, login_urls, user):
    from tinyframe.contrib.auth import update_session_auth_hash

    def change_password(request):
        request.user.set_password("a new one")
        request.user.save()
        update_session_auth_hash(request, request.user)
        return HttpResponse("changed")

    client = auth_site(*login_urls, path("change/", change_password))
    other = type(client)()
    client.post("/sign-in/", {"username": "ada", "password": PASSWORD})
    other.post("/sign-in/", {"username": "ada", "password": PASSWORD})
    before = session_cookie(client)
    assert client.post("/change/").content == b"changed"
    assert session_cookie(client) != before, "the session key did not change with the password"
    assert client.get("/whoami/").content == b"ada"
    assert other.get("/whoami/").content == b"anonymous"


def test_a_session_hash_made_under_a_fallback_key_is_renewed(client, user, use_settings):
    client.post("/sign-in/", {"username": "ada", "password": PASSWORD})
    before = session_cookie(client)
    use_settings(SECRET_KEY="the new key", SECRET_KEY_FALLBACKS=["tinyframe-tests-not-secret"])
    assert client.get("/whoami/").content == b"ada"
    assert session_cookie(client) != before, "the session key did not change"
    assert client.session["_auth_user_hash"] == user.get_session_auth_hash()


def test_a_session_hash_under_a_retired_key_logs_out(client, user, use_settings):
    client.post("/sign-in/", {"username": "ada", "password": PASSWORD})
    use_settings(SECRET_KEY="the new key")
    assert client.get("/whoami/").content == b"anonymous"


def test_a_session_naming_a_removed_backend_is_anonymous(client, user, use_settings):
    client.post("/sign-in/", {"username": "ada", "password": PASSWORD})
    use_settings(AUTHENTICATION_BACKENDS=["tinyframe.contrib.auth.backends.AllowAllUsersModelBackend"])
    assert client.get("/whoami/").content == b"anonymous"


def test_a_deactivated_user_is_logged_out(client, user):
    client.post("/sign-in/", {"username": "ada", "password": PASSWORD})
    user.is_active = False
    user.save()
    assert client.get("/whoami/").content == b"anonymous"


def test_a_session_without_the_hash_is_anonymous(client, user):
    session = client.session
    session.update(
        {"_auth_user_id": str(user.pk), "_auth_user_backend": "tinyframe.contrib.auth.backends.ModelBackend"}
    )
    session.save()
    assert client.get("/whoami/").content == b"anonymous"


def test_the_session_auth_hash_is_djangos_with_djangos_salt(monkeypatch):
    """HMAC-SHA256 of the password hash, computed by Django 5.2 for this SECRET_KEY.

    tinyframe's salt is its own; with Django's salts the bytes are Django's.
    """
    from tinyframe.contrib.auth import base_user
    from tinyframe.contrib.auth.models import User

    user = User(password="md5$salt$7d2d5d1d8b6e4f9a0c3b2a1f0e9d8c7b")
    djangos = "a007f0efffd4ab9add2dd6307910dfe7ea4cd87f12334e179c26fb1c659f6643"
    assert user.get_session_auth_hash() != djangos, "a session hash made by Django must not pass here"
    monkeypatch.setattr(
        base_user, "SESSION_AUTH_HASH_SALT", "django.contrib.auth.models.AbstractBaseUser.get_session_auth_hash"
    )
    assert user.get_session_auth_hash() == djangos


def test_login_sends_user_logged_in_and_records_last_login(client, user):
    from tinyframe.contrib.auth.signals import user_logged_in

    received = []

    def receiver(sender, request, user, **kwargs):
        received.append((sender, user.username, request.path))

    user_logged_in.connect(receiver)
    try:
        assert user.last_login is None
        client.post("/sign-in/", {"username": "ada", "password": PASSWORD})
    finally:
        user_logged_in.disconnect(receiver)
    assert received == [(type(user), "ada", "/sign-in/")]
    user.refresh_from_db()
    assert user.last_login is not None


def test_logout_sends_user_logged_out_with_the_user_or_none(client, user):
    from tinyframe.contrib.auth.signals import user_logged_out

    received = []

    def receiver(sender, request, user, **kwargs):
        received.append(getattr(user, "username", user))

    user_logged_out.connect(receiver)
    try:
        client.post("/sign-out/")
        client.post("/sign-in/", {"username": "ada", "password": PASSWORD})
        client.post("/sign-out/")
    finally:
        user_logged_out.disconnect(receiver)
    assert received == [None, "ada"]


def test_login_rotates_the_csrf_token(auth_site, login_urls, user):
    from tinyframe.middleware.csrf import get_token

    def token(request):
        return HttpResponse(get_token(request))

    client = auth_site(*login_urls, path("token/", token))
    client.get("/token/")
    before = client.cookies["csrftoken"].value
    client.post("/sign-in/", {"username": "ada", "password": PASSWORD})
    assert client.cookies["csrftoken"].value != before, "login left the CSRF secret as it was"


def test_a_session_whose_user_was_deleted_is_anonymous(client, user):
    client.post("/sign-in/", {"username": "ada", "password": PASSWORD})
    user.delete()
    assert client.get("/whoami/").content == b"anonymous"


class Bare:
    """A request with nothing but a session that remembers what was done to it."""

    def __init__(self):
        from tinyframe.contrib.sessions.backends.db import SessionStore

        self.session = SessionStore()
        self.META = {}
        self.COOKIES = {}


def test_login_records_the_only_backend_when_the_user_has_none(user, contrib_tables):
    from tinyframe.contrib.auth import BACKEND_SESSION_KEY, login

    request = Bare()
    login(request, user)  # no user.backend: a user from the database, not from authenticate()
    assert request.session[BACKEND_SESSION_KEY] == "tinyframe.contrib.auth.backends.ModelBackend"
    login(request, user, backend="tinyframe.contrib.auth.backends.AllowAllUsersModelBackend")
    assert request.session[BACKEND_SESSION_KEY] == "tinyframe.contrib.auth.backends.AllowAllUsersModelBackend"


def test_login_wants_a_backend_named_when_there_are_several(user, use_settings):
    from tinyframe.contrib.auth import login

    use_settings(AUTHENTICATION_BACKENDS=[
        "tinyframe.contrib.auth.backends.ModelBackend", "tinyframe.contrib.auth.backends.AllowAllUsersModelBackend"
    ])  # fmt: skip
    with pytest.raises(ValueError) as caught:
        login(Bare(), user)
    assert str(caught.value) == (
        "You have multiple authentication backends configured and therefore must provide the `backend` argument "
        "or set the `backend` attribute on the user."
    )


def test_login_wants_the_backend_as_a_dotted_path(user):
    from tinyframe.contrib.auth import login
    from tinyframe.contrib.auth.backends import ModelBackend

    user.backend = ModelBackend
    with pytest.raises(TypeError) as caught:
        login(Bare(), user)
    assert str(caught.value) == (
        "backend must be a dotted import path string (got <class 'tinyframe.contrib.auth.backends.ModelBackend'>)."
    )
