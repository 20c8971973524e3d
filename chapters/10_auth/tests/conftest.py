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
