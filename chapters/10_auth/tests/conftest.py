"""Fixtures shared by chapter 10's tests (sessions, CSRF, messages, users).

The contributed apps are installed for every chapter (``chapters/conftest.py``),
so their models exist; the fixtures here create their tables in the test
database. Nothing here imports an exercise's module at module level: a test
module must load while an exercise of the chapter is still a stub.
"""

import pytest


@pytest.fixture
def contrib_tables(tables):
    """Create the tables of the contributed apps' models (sessions, users, groups, permissions) for one test."""
    from tinyframe.apps import apps

    tables(*(model for label in ("sessions", "auth") for model in apps.get_app_config(label).get_models()))
    # >>> 11_admin
    if apps.is_installed("tinyframe.contrib.admin"):  # deleting a user deletes the admin's log entries of that user
        tables(*apps.get_app_config("admin").get_models())
    # <<< 11_admin


@pytest.fixture
def make_user(contrib_tables):
    """``make_user(username="ada", password="correct horse", **fields) -> User``: a saved user (MD5-hashed).

    ``password=None`` gives an unusable password. The tables of the
    contributed apps are created for the test.
    """
    from tinyframe.contrib.auth.models import User

    def make(username: str = "ada", password: str | None = "correct horse", **fields):
        return User.objects.create_user(username, password=password, **fields)

    return make


@pytest.fixture
def user(make_user):
    """A saved active user: username ``"ada"``, password ``"correct horse"``."""
    return make_user()


AUTH_MIDDLEWARE = [
    "tinyframe.contrib.sessions.middleware.SessionMiddleware",
    "tinyframe.middleware.csrf.CsrfViewMiddleware",
    "tinyframe.contrib.auth.middleware.AuthenticationMiddleware",
]


@pytest.fixture
def auth_site(contrib_tables, use_settings, throwaway_module):
    """``auth_site(*urlpatterns, middleware=AUTH_MIDDLEWARE, **settings) -> Client``: a site with sessions and users.

    The URLconf holds ``urlpatterns``; ``MIDDLEWARE`` is sessions, CSRF and
    authentication (as in Django's order); other settings may be given. The
    client does not enforce CSRF checks (``Client()``'s default).
    """
    from tinyframe.test import Client

    def make(*urlpatterns, middleware=AUTH_MIDDLEWARE, **settings):
        use_settings(ROOT_URLCONF=throwaway_module(urlpatterns=list(urlpatterns)), MIDDLEWARE=middleware, **settings)
        return Client()

    return make


# A small site that signs in and out, for the tests of login and of the attacks on it.


def whoami(request):
    """Who the request belongs to: the username, or "anonymous"."""
    from tinyframe.http import HttpResponse

    user = request.user
    return HttpResponse(user.get_username() if user.is_authenticated else "anonymous")


def sign_in(request):
    """Log in with the POSTed credentials; 200 "ok" or 401 "no"."""
    from tinyframe.contrib.auth import authenticate, login
    from tinyframe.http import HttpResponse

    user = authenticate(request, username=request.POST.get("username"), password=request.POST.get("password"))
    if user is None:
        return HttpResponse("no", status=401)
    login(request, user)
    return HttpResponse("ok")


def sign_out(request):
    """Log out; "bye"."""
    from tinyframe.contrib.auth import logout
    from tinyframe.http import HttpResponse

    logout(request)
    return HttpResponse("bye")


def remember(request):
    """Store a value in the session (what an anonymous visitor's cart would do)."""
    from tinyframe.http import HttpResponse

    request.session["cart"] = request.GET.get("item", "tea")
    return HttpResponse("remembered")


def cart(request):
    """The value ``remember`` stored, or "empty"."""
    from tinyframe.http import HttpResponse

    return HttpResponse(request.session.get("cart", "empty"))


@pytest.fixture
def login_urls():
    """The URL patterns of the sign-in site: ``whoami/``, ``sign-in/``, ``sign-out/``, ``remember/``, ``cart/``."""
    from tinyframe.urls import path

    return [
        path("whoami/", whoami),
        path("sign-in/", sign_in),
        path("sign-out/", sign_out),
        path("remember/", remember),
        path("cart/", cart),
    ]
