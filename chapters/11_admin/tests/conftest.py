"""Fixtures shared by chapter 11's tests (the admin).

Nothing here imports an exercise's module at module level: a test module
must load while an exercise of the chapter is still a stub.

- ``admin_tables``: the tables of the installed contributed apps (admin's
  LogEntry, sessions, users, groups, permissions), and of any model whose
  rows a delete of theirs reaches, empty for each test. They are made once a
  test module (``admin_schema``) and emptied after every test
  (``admin_rows_reset``), as Django's ``TransactionTestCase`` flushes.
- ``tables``: chapter 06's fixture, skipping a model whose table is there.
- ``superuser`` and ``staff_user(perms=[...])``: signed-in-able users.
- ``admin_templates``: the admin's ``TEMPLATES``, set for a whole test module.
- ``admin_site(*registrations)``: a fresh ``AdminSite`` with the given models
  registered, mounted at ``/admin/`` in a URLconf of its own, with the
  middleware and templates an admin needs.
- ``admin_client``: a test client signed in as the superuser.

``changelist_models.py`` (models and a ModelAdmin stand-in that the
changelist, filter and list-tag tests share) is loaded here, once, when
collection starts, as the module ``admin_changelist_test_models``: the tests import it by that name,
since in importlib mode this directory is not on ``sys.path``.
"""

import importlib.util
import pathlib
import sys

import pytest


def load_changelist_models() -> None:
    """Load ``changelist_models.py`` beside this file as ``admin_changelist_test_models``, once."""
    name = "admin_changelist_test_models"
    if name not in sys.modules:
        spec = importlib.util.spec_from_file_location(name, pathlib.Path(__file__).with_name("changelist_models.py"))
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module
        spec.loader.exec_module(module)


def pytest_collect_file(file_path, parent):
    """Before a test module of this directory is imported: its shared models must be importable."""
    load_changelist_models()  # after pytest_configure: a model needs the settings and the app registry

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


# The models whose tables the test module has now: made by ``admin_tables``, emptied after every test by
# ``admin_rows_reset``, dropped after the module by ``admin_schema``.
MODULE_TABLES: list = []


@pytest.fixture
def tables(tables):
    """``tables(*models)``: chapter 06's fixture, except that a model whose table exists already is skipped.

    Already: made by this test, or for the test module (``admin_schema``: the
    contrib apps' tables and those their deletes reach, which may include a
    test module's own model pointing at users).
    """
    created = set()

    def create(*models) -> None:
        new = [model for model in dict.fromkeys(models) if model not in created and model not in MODULE_TABLES]
        created.update(new)
        tables(*new)

    create.created = created
    return create


@pytest.fixture(scope="module")
def admin_schema():
    """The module's contrib tables (``MODULE_TABLES``): kept from its first test that asks for them to its end.

    Why not made and dropped for each test: that was a quarter of the tests'
    setup time, about a tenth of the chapter's. Emptied after every test
    instead (``admin_rows_reset``), key sequences too, so each test starts
    from empty tables and ids from 1, as with tables of its own; and dropped
    before a test that does not ask for them, so that no test sees them, or
    not, depending on which tests ran before it in its module.
    """
    yield MODULE_TABLES
    drop_module_tables()


def drop_module_tables() -> None:
    """Drop the tables of ``MODULE_TABLES``, last made first."""
    from chapters.conftest import close_what_a_failed_test_left_open
    from tinyframe.db import connection

    close_what_a_failed_test_left_open()
    with connection.schema_editor() as editor:
        for model in reversed(MODULE_TABLES):
            editor.delete_model(model)
    MODULE_TABLES.clear()


@pytest.fixture(autouse=True)
def admin_rows_reset(request):
    """Around each test while the module has contrib tables: before, drop them if the test does not ask for them.

    After the test, empty them (foreign keys unchecked) and restart their ids.
    """
    if MODULE_TABLES and "admin_tables" not in request.fixturenames:
        drop_module_tables()
    yield
    if MODULE_TABLES:
        from chapters.conftest import close_what_a_failed_test_left_open
        from tinyframe.db import connection

        close_what_a_failed_test_left_open()
        names = []
        for model in MODULE_TABLES:
            names.append(model._meta.db_table)
            names += [field.remote_field.through._meta.db_table for field in model._meta.local_many_to_many
                      if field.remote_field.through._meta.auto_created]
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA foreign_keys = OFF")
            for name in names:
                cursor.execute(f'DELETE FROM "{name}"')
            cursor.execute("SELECT name FROM sqlite_master WHERE name = 'sqlite_sequence'")
            if cursor.fetchone():
                cursor.execute(f"DELETE FROM sqlite_sequence WHERE name IN ({', '.join(['%s'] * len(names))})", names)
            cursor.execute("PRAGMA foreign_keys = ON")


@pytest.fixture
def admin_tables(admin_schema, tables):
    """The tables of the admin, sessions and auth apps' models, and those their deletes reach, for this test.

    The models of every test module stay in the app registry for the whole
    run, and a relation to a user stays among the user model's reverse
    relations: once any test module defines a model with a foreign key to
    ``auth.User``, deleting a user anywhere in the run cascades into that
    model's table. A test that had only the contrib tables then failed with
    "no such table" -- or passed, when the module defining the model was not
    imported in the same process (``python -m chapters check`` splits the
    chapter's files over processes by their timings): an intermittent failure
    of ``test_deleting_the_user_deletes_their_entries``. So the tables here
    are the contrib apps' and, followed as the deletion collector follows
    them, those of every model with rows a delete of theirs can reach (a
    model defined since the module's last test included). The module keeps
    them (``admin_schema``); they are empty at the start of every test.
    """
    from tinyframe.apps import apps
    from tinyframe.db import connection

    contrib = [model for label in ("sessions", "auth", "admin") for model in apps.get_app_config(label).get_models()]
    wanted = [*contrib, *reached_by_deletes(contrib)]
    missing = [model for model in wanted if model not in admin_schema and model not in tables.created]
    if missing:
        with connection.schema_editor() as editor:
            for model in missing:
                editor.create_model(model)
                admin_schema.append(model)


def reached_by_deletes(models) -> list:
    """The models, other than ``models``, whose tables deleting rows of ``models`` can touch.

    Those with rows the delete can cascade to or update, following the
    relations the collector follows (``get_candidate_relations_to_delete``;
    an automatic many-to-many table comes with the model declaring the field,
    whose ``create_model`` makes it), and the models their foreign keys point
    at: SQLite checks a key's table on a DELETE ("no such table: main.x").
    """
    from tinyframe.db.models.deletion import get_candidate_relations_to_delete

    def table_owner(model):
        return model._meta.auto_created or model  # a through table: its owner's create_model makes it

    seen = set(models)
    reached = []
    pending = list(models)
    while pending:
        for relation in get_candidate_relations_to_delete(pending.pop()._meta):
            model = table_owner(relation.related_model)
            if model not in seen and model._meta.can_migrate(None):
                seen.add(model)
                reached.append(model)
                pending.append(model)
    pending = list(reached)
    while pending:
        model = pending.pop()
        for field in (*model._meta.fields, *model._meta.many_to_many):
            target = field.remote_field.model if field.remote_field else None
            if isinstance(target, type) and target not in seen and target._meta.can_migrate(None):
                seen.add(target)
                reached.append(target)
                pending.append(target)
    return reached


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


@pytest.fixture(scope="module")
def admin_templates():
    """The admin's ``TEMPLATES`` for the rest of the test module (set at its first admin test).

    Per module, not per test: a change of ``TEMPLATES`` builds the template
    engine (and the forms' renderer) again, which then reads, parses and
    compiles every template a page uses -- a third of the chapter's time when
    each test set the setting. A test that sets another ``TEMPLATES`` (project
    templates in ``DIRS``) gets an engine of its own, and this one is built
    again after it. (Not for the whole session: the override would outlive
    the chapter's tests, into any other directory's run in the same process.)
    """
    from tinyframe.test.utils import override_settings

    override = override_settings(TEMPLATES=ADMIN_TEMPLATES)
    override.enable()
    yield ADMIN_TEMPLATES
    override.disable()


@pytest.fixture
def admin_site(admin_tables, admin_templates, use_settings, throwaway_module):
    """``admin_site(*registrations, site=None, **settings) -> AdminSite``: a site mounted at ``/admin/``.

    A registration is a model, or ``(model, ModelAdmin subclass)``. The site
    is a fresh ``AdminSite()`` unless one is given; the URLconf is made after
    the registrations, so they all have URLs. The templates are the admin's
    (``admin_templates``) unless ``TEMPLATES`` is given.
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
        use_settings(ROOT_URLCONF=urlconf, MIDDLEWARE=ADMIN_MIDDLEWARE, **settings)
        return site

    return make


@pytest.fixture
def admin_client(superuser):
    """A test client signed in as the superuser."""
    from tinyframe.test import Client

    client = Client()
    client.force_login(superuser)
    return client
