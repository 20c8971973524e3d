"""LoginView, LogoutView, the password change views: through the client, from the visitor's side and the attacker's.

The site is ``auth_site`` (sessions, CSRF, authentication middleware) with
``tinyframe.contrib.auth.urls`` under ``accounts/``, and templates written
here (a locmem loader), not shipped in tinyframe/. Statuses, ``Location``
headers, messages and context variables were checked once against Django 5.2
with the same requests.
"""

import time

import pytest

from tinyframe.http import HttpResponse
from tinyframe.urls import include, path

TEMPLATES = {
    "registration/login.html": (
        "{{ form.non_field_errors }}|{{ form.username }}|next={{ next }}|site={{ site }}|{{ site_name }}"
    ),
    "registration/logged_out.html": "{{ title }}|user={{ user.is_authenticated }}",
    "registration/password_change_form.html": "{{ title }}|{{ form.old_password.errors }}",
    "registration/password_change_done.html": "{{ title }}|{{ user.get_username }}",
}
INVALID_LOGIN = "Please enter a correct username and password. Note that both fields may be case-sensitive."
HOSTILE_NEXT = [
    "//evil.example",
    "https://evil.example/",
    "https:evil.example",
    "http:///evil.example",
    "\\\\evil.example",
    "/\\evil.example",
    "\\/evil.example",
    "javascript:alert(document.cookie)",
    "\x08//evil.example",
    " //evil.example",
    "///evil.example",
    "http://testserver@evil.example/",
    "//évil.example",
    "ftp://testserver/",
]


def home(request):
    return HttpResponse(f"home of {request.user}")


@pytest.fixture
def site(auth_site, user, use_settings):
    """A client of a site with the auth URLs under accounts/; ``user`` (ada) exists."""
    use_settings(TEMPLATES=[{
        "BACKEND": "tinyframe.template.backends.django.DjangoTemplates",
        "OPTIONS": {
            "loaders": [("tinyframe.template.loaders.locmem.Loader", TEMPLATES)],
            "context_processors": ["tinyframe.contrib.auth.context_processors.auth"],
        },
    }])
    return auth_site(path("accounts/", include("tinyframe.contrib.auth.urls")), path("", home))


def signed_in_user_id(client):
    from tinyframe.contrib.auth import SESSION_KEY

    return client.session.get(SESSION_KEY)


def log_in(client, next_url=None, password="correct horse", username="ada"):
    data = {"username": username, "password": password}
    if next_url is not None:
        data["next"] = next_url
    return client.post("/accounts/login/", data)


def test_the_login_page_shows_the_form_and_the_site(site):
    response = site.get("/accounts/login/?next=/posts/")
    assert response.status_code == 200
    assert response.templates[0].name == "registration/login.html"
    assert response.context["next"] == "/posts/"
    assert response.context["site_name"] == "testserver"
    assert response.content.decode().endswith("|next=/posts/|site=testserver|testserver")


def test_the_login_and_logout_pages_are_never_cached(site, user):
    """A cache that kept the login page would hand one visitor's CSRF token to the next."""
    from tinyframe.utils.http import parse_http_date

    for response in (site.get("/accounts/login/"), log_in(site), site.post("/accounts/logout/")):
        assert response["Cache-Control"] == "max-age=0, no-cache, no-store, must-revalidate, private"
        assert parse_http_date(response["Expires"]) <= time.time()


def test_never_cache_on_a_method_without_method_decorator_says_so():
    from tinyframe.views.decorators.cache import never_cache

    class Page:
        @never_cache
        def get(self, request):
            return HttpResponse()

    with pytest.raises(TypeError) as raised:
        Page().get(None)
    assert str(raised.value) == (
        "never_cache didn't receive an HttpRequest. If you are decorating a classmethod, be sure to use "
        "@method_decorator."
    )


def test_logging_in_redirects_to_login_redirect_url_and_signs_in(site, user):
    response = log_in(site)
    assert response.status_code == 302
    assert response["Location"] == "/accounts/profile/"
    assert signed_in_user_id(site) == str(user.pk)
    assert site.get("/").content == b"home of ada"


def test_logging_in_goes_to_a_safe_next_from_post_or_query(site):
    assert log_in(site, "/posts/?page=2")["Location"] == "/posts/?page=2"
    response = site.post("/accounts/login/?next=/drafts/", {"username": "ada", "password": "correct horse"})
    assert response["Location"] == "/drafts/"
    assert log_in(site, "http://testserver/posts/")["Location"] == "http://testserver/posts/"


def test_every_open_redirect_in_next_is_refused(site, check_rows):
    """The attacker's link: /accounts/login/?next=<their site>. After signing in, the victim stays here."""

    def check(hostile):
        response = log_in(site, hostile)
        assert response.status_code == 302
        assert response["Location"] == "/accounts/profile/", (
            f"next={hostile!r} redirected a signed-in user to {response['Location']!r}"
        )
        page = site.get("/accounts/login/", {"next": hostile})
        assert page.context["next"] == "", f"the login page offered next={hostile!r} to its template"

    check_rows([(url,) for url in HOSTILE_NEXT], check)


def test_over_https_an_http_next_is_refused(site):
    response = site.post("/accounts/login/", {"username": "ada", "password": "correct horse",
                                              "next": "http://testserver/posts/"}, secure=True)
    assert response["Location"] == "/accounts/profile/"


def test_success_url_allowed_hosts_lets_next_leave_for_them(site, use_settings, throwaway_module):
    from tinyframe.contrib.auth.views import LoginView

    use_settings(ROOT_URLCONF=throwaway_module(urlpatterns=[
        path("login/", LoginView.as_view(success_url_allowed_hosts={"shop.example"}, next_page="/welcome/")),
    ]))
    data = {"username": "ada", "password": "correct horse"}
    assert site.post("/login/", {**data, "next": "https://shop.example/cart/"})["Location"] == (
        "https://shop.example/cart/"
    )
    assert site.post("/login/", {**data, "next": "https://evil.example/"})["Location"] == "/welcome/"


def test_a_wrong_username_and_a_wrong_password_look_the_same(site, user):
    """User enumeration: the attacker cannot tell whether "ada" has an account from the answer."""
    wrong_password = log_in(site, password="not her password")
    user.delete()
    unknown_user = log_in(site, password="not her password")
    assert wrong_password.status_code == unknown_user.status_code == 200
    assert wrong_password.content == unknown_user.content
    assert INVALID_LOGIN in wrong_password.content.decode()
    assert sorted(wrong_password.cookies) == sorted(unknown_user.cookies)
    assert signed_in_user_id(site) is None


def test_an_inactive_user_cannot_log_in(site, user):
    user.is_active = False
    user.save()
    response = log_in(site)
    assert response.status_code == 200
    assert INVALID_LOGIN in response.content.decode()
    assert signed_in_user_id(site) is None


def test_a_session_key_planted_before_login_does_not_survive_it(site):
    site.get("/accounts/login/")
    planted = site.session
    planted["planted"] = True
    planted.save()
    log_in(site)
    assert site.cookies["sessionid"].value != planted.session_key
    assert signed_in_user_id(site) is not None


def test_redirect_authenticated_user(site, use_settings, throwaway_module):
    from tinyframe.contrib.auth.views import LoginView

    use_settings(ROOT_URLCONF=throwaway_module(urlpatterns=[
        path("login/", LoginView.as_view(redirect_authenticated_user=True)),
        path("plain/", LoginView.as_view()),
    ]))
    assert site.get("/login/").status_code == 200  # not signed in yet: the form
    log_in_response = site.post("/login/", {"username": "ada", "password": "correct horse"})
    assert log_in_response.status_code == 302
    assert site.get("/login/")["Location"] == "/accounts/profile/"
    assert site.get("/login/?next=/posts/")["Location"] == "/posts/"
    assert site.get("/login/?next=//evil.example")["Location"] == "/accounts/profile/"
    assert site.get("/plain/").status_code == 200
    use_settings(LOGIN_REDIRECT_URL="/login/")
    with pytest.raises(ValueError) as raised:
        site.get("/login/")
    assert str(raised.value) == (
        "Redirection loop for authenticated user detected. Check that your LOGIN_REDIRECT_URL doesn't point "
        "to a login page."
    )


def test_a_custom_authentication_form(site, use_settings, throwaway_module):
    from tinyframe.contrib.auth.forms import AuthenticationForm
    from tinyframe.contrib.auth.views import LoginView
    from tinyframe.core.exceptions import ValidationError

    class StaffOnly(AuthenticationForm):
        def confirm_login_allowed(self, user):
            raise ValidationError("Staff only.", code="no_staff")

    use_settings(ROOT_URLCONF=throwaway_module(urlpatterns=[
        path("login/", LoginView.as_view(authentication_form=StaffOnly)),
    ]))
    response = site.post("/login/", {"username": "ada", "password": "correct horse"})
    assert response.status_code == 200
    assert "Staff only." in response.content.decode()
    assert signed_in_user_id(site) is None


def test_logout_by_get_is_refused_and_the_user_stays_signed_in(site, user):
    """An <img src="/accounts/logout/"> on another site must not sign the visitor out."""
    site.force_login(user)
    response = site.get("/accounts/logout/")
    assert response.status_code == 405
    assert response["Allow"] == "POST, OPTIONS"
    assert signed_in_user_id(site) == str(user.pk)
    assert site.get("/").content == b"home of ada"


def test_logout_without_a_csrf_token_is_refused(site, user):
    from tinyframe.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    assert client.post("/accounts/logout/").status_code == 403
    assert signed_in_user_id(client) == str(user.pk)


def test_logout_by_post_signs_out_and_shows_the_logged_out_page(site, user):
    site.force_login(user)
    response = site.post("/accounts/logout/")
    assert response.status_code == 200
    assert response.content == b"Logged out|user=False"
    assert response.context["site_name"] == "testserver"
    assert response.cookies["sessionid"]["max-age"] == 0
    assert site.get("/").content == b"home of AnonymousUser"


def test_logout_redirects_to_a_safe_next_or_logout_redirect_url(site, user, use_settings):
    site.force_login(user)
    assert site.post("/accounts/logout/", {"next": "/bye/"})["Location"] == "/bye/"
    site.force_login(user)
    response = site.post("/accounts/logout/", {"next": "//evil.example"})
    assert response.status_code == 200  # refused: the logged-out page instead
    use_settings(LOGOUT_REDIRECT_URL="/")
    site.force_login(user)
    assert site.post("/accounts/logout/")["Location"] == "/"
    assert signed_in_user_id(site) is None
    # With a query string, the page itself is a different URL: redirect there.
    use_settings(LOGOUT_REDIRECT_URL=None)
    assert site.post("/accounts/logout/?x=1")["Location"] == "/accounts/logout/"


def test_logout_then_login(site, user, use_settings, throwaway_module):
    from tinyframe.contrib.auth.views import logout_then_login

    use_settings(ROOT_URLCONF=throwaway_module(urlpatterns=[
        path("bye/", logout_then_login),
        path("bye-to/", logout_then_login, {"login_url": "/signin/"}),
    ]))
    site.force_login(user)
    assert site.get("/bye/").status_code == 405
    assert signed_in_user_id(site) == str(user.pk)
    assert site.post("/bye/")["Location"] == "/accounts/login/"
    assert signed_in_user_id(site) is None
    assert site.post("/bye-to/")["Location"] == "/signin/"


def test_the_password_change_pages_need_a_signed_in_user(site):
    assert site.get("/accounts/password_change/")["Location"] == "/accounts/login/?next=/accounts/password_change/"
    assert site.get("/accounts/password_change/done/")["Location"] == (
        "/accounts/login/?next=/accounts/password_change/done/"
    )


def test_changing_the_password_keeps_this_session_and_ends_the_others(site, user):
    from tinyframe.test import Client

    other_device = Client()
    other_device.force_login(user)
    site.force_login(user)
    page = site.get("/accounts/password_change/")
    assert page.content == b"Password change|"
    response = site.post("/accounts/password_change/", {
        "old_password": "wrong", "new_password1": "new horse 42", "new_password2": "new horse 42"})
    assert response.status_code == 200
    assert "Your old password was entered incorrectly. Please enter it again." in response.content.decode()
    response = site.post("/accounts/password_change/", {
        "old_password": "correct horse", "new_password1": "new horse 42", "new_password2": "new horse 42"})
    assert response["Location"] == "/accounts/password_change/done/"
    assert site.get("/accounts/password_change/done/").content == b"Password change successful|ada"
    assert other_device.get("/").content == b"home of AnonymousUser"
    user.refresh_from_db()
    assert user.check_password("new horse 42")


def test_redirect_to_login_keeps_the_login_urls_query(use_settings, throwaway_module):
    from tinyframe.contrib.auth.views import redirect_to_login

    use_settings(ROOT_URLCONF=throwaway_module(urlpatterns=[]))

    assert redirect_to_login("/p/", "/login/?a=1&next=x")["Location"] == "/login/?a=1&next=/p/"
    assert redirect_to_login("http://x/é ?a=1#f", "/login/")["Location"] == (
        "/login/?next=http%3A//x/%C3%A9%20%3Fa%3D1%23f"
    )
    use_settings(LOGIN_URL="/members/")
    assert redirect_to_login("/p/")["Location"] == "/members/?next=/p/"


def test_the_redirect_mixin_resolves_next_page(use_settings, throwaway_module):
    from tinyframe.contrib.auth.views import RedirectURLMixin

    use_settings(ROOT_URLCONF=throwaway_module(urlpatterns=[path("start/", home, name="start")]))
    mixin = RedirectURLMixin()
    mixin.next_page = "start"
    assert mixin.get_default_redirect_url() == "/start/"


def test_without_next_page_the_redirect_mixin_says_what_is_missing():
    from tinyframe.contrib.auth.views import RedirectURLMixin
    from tinyframe.core.exceptions import ImproperlyConfigured

    with pytest.raises(ImproperlyConfigured) as raised:
        RedirectURLMixin().get_default_redirect_url()
    assert str(raised.value) == "No URL to redirect to. Provide a next_page."
