"""Fixtures shared by chapter 11's tests (the admin).

Nothing here imports an exercise's module at module level: a test module
must load while an exercise of the chapter is still a stub.

- ``admin_tables``: the tables of the installed contributed apps (admin's
  LogEntry, sessions, users, groups, permissions) for one test.
- ``superuser`` and ``staff_user(perms=[...])``: signed-in-able users.
- ``admin_site(*registrations)``: a fresh ``AdminSite`` with the given models
  registered, mounted at ``/admin/`` in a URLconf of its own, with the
  middleware and templates an admin needs.
- ``admin_client``: a test client signed in as the superuser.
"""

import pytest

ADMIN_MIDDLEWARE = [
    "tinyframe.contrib.sessions.middleware.SessionMiddleware",
    "tinyframe.middleware.csrf.CsrfViewMiddleware",
    "tinyframe.contrib.auth.middleware.AuthenticationMiddleware",
    "tinyframe.contrib.messages.middleware.MessageMiddleware",
]

ADMIN_TEMPLATES = [
    {
        "BACKEND": "tinyframe.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "tinyframe.template.context_processors.request",
                "tinyframe.contrib.auth.context_processors.auth",
                "tinyframe.contrib.messages.context_processors.messages",
            ],
        },
    }
]


@pytest.fixture
def admin_tables(tables):
    """Create the tables of the admin, sessions and auth apps' models for one test."""
    from tinyframe.apps import apps

    tables(*(model for label in ("sessions", "auth", "admin") for model in apps.get_app_config(label).get_models()))


@pytest.fixture
def staff_user(admin_tables):
    """``staff_user(username="staff", perms=("blog.view_post",), **fields) -> User``: an active staff member.

    Each permission, ``"<app_label>.<codename>"``, is created when missing
    and given to the user. The password is ``"secret"``.
    """
    from tinyframe.contrib.auth.models import Permission, User

    def make(username: str = "staff", perms=(), **fields):
        fields.setdefault("is_staff", True)
        user = User.objects.create_user(username, password="secret", **fields)
        for perm in perms:
            app_label, codename = perm.split(".", 1)
            model = codename.split("_", 1)[1]
            permission, _created = Permission.objects.get_or_create(
                app_label=app_label, model=model, codename=codename, defaults={"name": f"Can {codename}"}
            )
            user.user_permissions.add(permission)
        return user

    return make


@pytest.fixture
def superuser(admin_tables):
    """A saved superuser: ``admin`` / ``secret``."""
    from tinyframe.contrib.auth.models import User

    return User.objects.create_superuser("admin", "admin@example.com", "secret")


@pytest.fixture
def admin_site(admin_tables, use_settings, throwaway_module):
    """``admin_site(*registrations, site=None, **settings) -> AdminSite``: a site mounted at ``/admin/``.

    A registration is a model, or ``(model, ModelAdmin subclass)``. The site
    is a fresh ``AdminSite()`` unless one is given; the URLconf is made after
    the registrations, so they all have URLs.
    """
    from tinyframe.contrib.admin import AdminSite
    from tinyframe.urls import path

    def make(*registrations, site=None, **settings):
        site = site or AdminSite()
        for registration in registrations:
            if isinstance(registration, tuple):
                site.register(*registration)
            else:
                site.register(registration)
        urlconf = throwaway_module(urlpatterns=[path("admin/", site.urls)])
        use_settings(ROOT_URLCONF=urlconf, MIDDLEWARE=ADMIN_MIDDLEWARE, TEMPLATES=ADMIN_TEMPLATES, **settings)
        return site

    return make


@pytest.fixture
def admin_client(superuser):
    """A test client signed in as the superuser."""
    from tinyframe.test import Client

    client = Client()
    client.force_login(superuser)
    return client
