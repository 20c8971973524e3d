"""Attacks the rest of the suite let through when a check was planted wrong (a mutation round).

Each test here was written after a plausible bug in chapter 10's security
code went unnoticed by every other test: it asserts what an attacker would
see, so that the same bug cannot come back quietly. The site is the one of
``test_login.py``: a view that signs in with POSTed credentials, one that
says who is asking.
"""

import pytest

from tinyframe.http import HttpResponse
from tinyframe.urls import path

PASSWORD = "correct horse"


def whoami(request):
    user = request.user
    return HttpResponse(user.get_username() if user.is_authenticated else "anonymous")


def sign_in(request):
    from tinyframe.contrib.auth import authenticate, login

    user = authenticate(request, username=request.POST.get("username"), password=request.POST.get("password"))
    if user is None:
        return HttpResponse("no", status=401)
    login(request, user)
    return HttpResponse("ok")


URLS = [path("whoami/", whoami), path("sign-in/", sign_in)]


@pytest.fixture
def client(auth_site):
    return auth_site(*URLS)


def session_key(client) -> str | None:
    from tinyframe.conf import settings

    morsel = client.cookies.get(settings.SESSION_COOKIE_NAME)
    return morsel.value if morsel else None


def test_a_session_whose_password_changed_elsewhere_is_deleted_not_just_ignored(client, user):
    """After the password changes, the thief's old session is anonymous AND gone: its row and its cookie.

    Ignoring the stale login while keeping the session would leave the
    victim's session data (a cart, a half-filled form, the CSRF secret with
    ``CSRF_USE_SESSIONS``) readable through the stolen cookie.
    """
    from tinyframe.conf import settings
    from tinyframe.contrib.sessions.models import Session

    client.post("/sign-in/", {"username": "ada", "password": PASSWORD})
    stolen = session_key(client)
    assert Session.objects.filter(session_key=stolen).exists()
    user.set_password("a new one")
    user.save()

    response = client.get("/whoami/")

    assert response.content == b"anonymous"
    assert not Session.objects.filter(session_key=stolen).exists()
    morsel = response.cookies[settings.SESSION_COOKIE_NAME]
    assert morsel.value == ""
    assert morsel["max-age"] == 0
