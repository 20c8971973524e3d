"""Attacks the rest of the suite let through when a check was planted wrong (a mutation round).

Each test here was written after a plausible bug in chapter 10's security
code went unnoticed by every other test: it asserts what an attacker would
see, so that the same bug cannot come back quietly. The site is the sign-in
site of ``conftest.py`` (``login_urls``), as in ``test_login.py``.
"""

import pytest

from tinyframe.http import HttpResponse
from tinyframe.urls import path

PASSWORD = "correct horse"


@pytest.fixture
def client(auth_site, login_urls):
    return auth_site(*login_urls)


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


# --- CSRF ------------------------------------------------------------------------------------------------

written = []


def comment(request):
    written.append(request.method)
    return HttpResponse("saved")


def exempt_in_name_only(request):
    written.append("exempt_in_name_only")
    return HttpResponse("saved")


# An attribute that says "not exempt" must not exempt the view: only a true value does (as in Django).
exempt_in_name_only.csrf_exempt = False


def token_page(request):
    from tinyframe.middleware.csrf import get_token

    return HttpResponse(get_token(request))


@pytest.fixture
def csrf_client(auth_site, login_urls):
    """A browser that loaded a page with a token: ``(client, its secret)``; it checks CSRF as browsers' requests are."""
    from tinyframe.test import Client

    auth_site(
        *login_urls,
        path("comment/", comment),
        path("not-exempt/", exempt_in_name_only),
        path("token/", token_page),
    )
    written.clear()
    client = Client(enforce_csrf_checks=True)
    client.get("/token/")
    yield client, client.cookies["csrftoken"].value
    written.clear()


def test_a_token_for_a_secret_one_character_off_is_refused(csrf_client):
    """Every character of the secret counts: a token matching all but the first or the last is another secret's."""
    from tinyframe.middleware.csrf import CSRF_ALLOWED_CHARS, _mask_cipher_secret

    client, secret = csrf_client

    def other_than(char: str) -> str:
        return CSRF_ALLOWED_CHARS[(CSRF_ALLOWED_CHARS.index(char) + 1) % len(CSRF_ALLOWED_CHARS)]

    for near_miss in (secret[:-1] + other_than(secret[-1]), other_than(secret[0]) + secret[1:]):
        for token in (near_miss, _mask_cipher_secret(near_miss)):
            response = client.post("/comment/", {"csrfmiddlewaretoken": token})
            assert response.status_code == 403
    assert written == []
    response = client.post("/comment/", {"csrfmiddlewaretoken": _mask_cipher_secret(secret)})
    assert (response.status_code, written) == (200, ["POST"])


def test_the_token_is_compared_in_constant_time(csrf_client, monkeypatch):
    """``==`` stops at the first wrong character: its time tells an attacker how much of a guess was right."""
    import tinyframe.middleware.csrf as csrf_module

    client, secret = csrf_client
    compared = []

    def recording_compare(val1, val2):
        compared.append((val1, val2))
        return val1 == val2

    monkeypatch.setattr(csrf_module, "constant_time_compare", recording_compare)
    response = client.post("/comment/", {"csrfmiddlewaretoken": csrf_module._mask_cipher_secret(secret)})
    assert response.status_code == 200
    assert compared == [(secret, secret)]


def test_a_view_whose_csrf_exempt_is_false_is_still_checked(csrf_client):
    client, _ = csrf_client
    response = client.post("/not-exempt/", {"text": "forged"})
    assert response.status_code == 403
    assert written == []


# --- permissions ---------------------------------------------------------------------------------------------


def test_a_user_gets_the_permissions_of_their_own_groups_only(make_user):
    """Another group's permissions (one the user is not in, or one with other members) are not theirs."""
    from tinyframe.contrib.auth.models import Group, Permission, User

    def perm(codename):
        return Permission.objects.create(codename=codename, app_label="blog", model="post", name=codename)

    readers, editors, admins = (Group.objects.create(name=name) for name in ("readers", "editors", "admins"))
    readers.permissions.add(perm("view_post"))
    editors.permissions.add(perm("change_post"))
    admins.permissions.add(perm("delete_post"))
    ada, bob = make_user("ada"), make_user("bob")
    ada.groups.add(readers)
    bob.groups.add(editors)

    ada = User.objects.get(pk=ada.pk)
    assert ada.get_group_permissions() == {"blog.view_post"}
    assert ada.has_perm("blog.view_post")
    assert not ada.has_perm("blog.change_post"), "bob's group's permission"
    assert not ada.has_perm("blog.delete_post"), "a group nobody is in"
    assert not ada.has_perms(["blog.view_post", "blog.change_post"])


def test_an_inactive_superuser_sees_no_app(contrib_tables):
    """The admin lists an app when ``has_module_perms`` is true: a deactivated superuser must see none."""
    from tinyframe.contrib.auth.models import User

    root = User.objects.create_superuser("root", password="x", is_active=False)
    assert not root.has_module_perms("auth")
    assert not root.has_module_perms("blog")
    root.is_active = True
    assert root.has_module_perms("blog")


def test_a_referer_merely_ending_like_a_trusted_domain_is_refused(auth_site, login_urls, use_settings):
    """``*.example.com`` trusts blog.example.com, not evilexample.com: over HTTPS, without an Origin."""
    from tinyframe.test import Client

    auth_site(*login_urls, path("comment/", comment), path("token/", token_page),
              CSRF_TRUSTED_ORIGINS=["https://*.example.com"], ALLOWED_HOSTS=["testserver"])
    written.clear()
    client = Client(enforce_csrf_checks=True)
    token = client.get("/token/", secure=True).content.decode()
    response = client.post("/comment/", {"csrfmiddlewaretoken": token}, secure=True,
                           headers={"referer": "https://evilexample.com/attack"})
    assert response.status_code == 403
    assert written == []
    response = client.post("/comment/", {"csrfmiddlewaretoken": token}, secure=True,
                           headers={"referer": "https://blog.example.com/post"})
    assert (response.status_code, written) == (200, ["POST"])
    written.clear()


@pytest.mark.parametrize("url", ["/accounts/login/", "/accounts/logout/", "/accounts/password_change/"])
def test_the_auth_views_refuse_a_forged_post_even_without_the_csrf_middleware(auth_site, user, url):
    """Login, logout and the password change protect themselves (``csrf_protect``), as Django's do.

    A project that removed ``CsrfViewMiddleware`` (or lists it after a
    middleware that answers first) must not have its visitors signed in,
    signed out or re-passworded by another site's form.
    """
    from tinyframe.contrib.auth import SESSION_KEY
    from tinyframe.contrib.auth.models import User
    from tinyframe.test import Client
    from tinyframe.urls import include

    auth_site(
        path("accounts/", include("tinyframe.contrib.auth.urls")),
        middleware=[
            "tinyframe.contrib.sessions.middleware.SessionMiddleware",
            "tinyframe.contrib.auth.middleware.AuthenticationMiddleware",
        ],
    )
    password_before = user.password
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    response = client.post(url, {"username": "ada", "password": PASSWORD, "old_password": PASSWORD,
                                 "new_password1": "a new one 1234", "new_password2": "a new one 1234"})
    assert response.status_code == 403
    assert client.session[SESSION_KEY] == str(user.pk), "still signed in"
    assert User.objects.get(pk=user.pk).password == password_before


def test_setting_another_users_password_keeps_the_admin_signed_in_as_themself(client, make_user):
    """``update_session_auth_hash(request, other)`` must not write the other user's hash into the admin's session."""
    from tinyframe.contrib.auth import HASH_SESSION_KEY, update_session_auth_hash
    from tinyframe.contrib.auth.models import User
    from tinyframe.test import RequestFactory

    admin, ada = make_user("admin"), make_user("ada")
    client.force_login(admin)
    hash_before = client.session[HASH_SESSION_KEY]
    ada.set_password("a new one")
    ada.save()
    request = RequestFactory().get("/")
    request.session, request.user = client.session, User.objects.get(pk=admin.pk)
    update_session_auth_hash(request, ada)
    request.session.save()
    client.cookies["sessionid"] = request.session.session_key

    assert request.session[HASH_SESSION_KEY] == hash_before
    assert client.get("/whoami/").content == b"admin"


def test_signing_in_over_a_session_with_an_outdated_password_hash_gives_a_new_session(client, user):
    """A session that still names the user under an old password is someone's stolen copy, perhaps: not reused.

    The password changed elsewhere (the victim locking out a thief); the
    next sign-in in this browser must start a new session under a new key,
    so the key the thief holds never becomes a signed-in session again.
    """
    from tinyframe.contrib.sessions.models import Session

    client.post("/sign-in/", {"username": "ada", "password": PASSWORD})
    old_key = session_key(client)
    user.set_password("a new one")
    user.save()

    response = client.post("/sign-in/", {"username": "ada", "password": "a new one"})

    assert response.content == b"ok"
    assert session_key(client) != old_key
    assert not Session.objects.filter(session_key=old_key).exists()
    assert client.get("/whoami/").content == b"ada"


def test_a_real_request_without_the_test_clients_flag_is_checked(auth_site, login_urls):
    """Only the test client may switch the checks off: a request from a server carries no flag and is checked."""
    from tinyframe.middleware.csrf import CsrfViewMiddleware
    from tinyframe.test import RequestFactory

    auth_site(*login_urls)
    written.clear()
    request = RequestFactory().post("/comment/", {"text": "forged"})
    assert not hasattr(request, "_dont_enforce_csrf_checks")
    middleware = CsrfViewMiddleware(lambda request: HttpResponse())
    middleware.process_request(request)
    response = middleware.process_view(request, comment, (), {})
    assert response is not None and response.status_code == 403
    assert written == []


@pytest.mark.parametrize("secure, headers", [
    (False, {"HTTP_ORIGIN": "http://evil.example"}),
    (True, {"HTTP_ORIGIN": "https://evil.example"}),
    (True, {"HTTP_REFERER": "https://evil.example/attack"}),
])
def test_a_host_outside_allowed_hosts_is_not_its_own_trusted_origin(
    auth_site, login_urls, use_settings, secure, headers
):
    """An attacker's domain pointed at the site sends ``Host: evil.example``: an Origin or Referer matching that
    Host proves nothing, since the host is not one of ALLOWED_HOSTS (asked of the middleware alone: nothing
    before it has read the host)."""
    from tinyframe.middleware.csrf import _get_new_csrf_string, _mask_cipher_secret, CsrfViewMiddleware
    from tinyframe.test import RequestFactory

    auth_site(*login_urls)
    use_settings(ALLOWED_HOSTS=["testserver"])
    secret = _get_new_csrf_string()
    factory = RequestFactory()
    factory.cookies["csrftoken"] = secret
    request = factory.post("/comment/", {"csrfmiddlewaretoken": _mask_cipher_secret(secret)}, secure=secure,
                           HTTP_HOST="evil.example", **headers)
    request._dont_enforce_csrf_checks = False
    middleware = CsrfViewMiddleware(lambda request: HttpResponse())
    middleware.process_request(request)
    response = middleware.process_view(request, comment, (), {})
    assert response is not None and response.status_code == 403


def test_a_token_in_the_query_string_is_not_accepted(csrf_client):
    """Only the form body or the header carries the token: one in a URL leaks through Referer headers and logs."""
    from tinyframe.middleware.csrf import _mask_cipher_secret

    client, secret = csrf_client
    response = client.post(f"/comment/?csrfmiddlewaretoken={_mask_cipher_secret(secret)}", {"text": "hi"})
    assert response.status_code == 403
    assert written == []
