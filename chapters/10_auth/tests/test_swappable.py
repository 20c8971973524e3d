"""A project's own user model: ``AUTH_USER_MODEL = "accounts.Customer"``.

Each test writes an ``accounts`` app under ``tmp_path`` (Django's documented
example: a user who logs in by email, built on ``AbstractBaseUser``, and an
``Order`` pointing at ``settings.AUTH_USER_MODEL``), installs it with the
contrib apps, and names its model in ``AUTH_USER_MODEL``. ``auth.User`` is
then swapped: no table, no manager. Every table, module and model the test
made goes after it.
"""

import io
import sys
import textwrap

import pytest

from tinyframe.http import HttpResponse
from tinyframe.urls import path

from chapters.conftest import database_as_found, table_names

ACCOUNTS_MODELS = '''
from tinyframe.conf import settings
from tinyframe.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from tinyframe.db import models


class CustomerManager(BaseUserManager):
    def create_user(self, email, password=None, **fields):
        user = self.model(email=self.normalize_email(email), **fields)
        user.set_password(password)
        user.save(using=self._db)
        return user


class Customer(AbstractBaseUser):
    email = models.EmailField(unique=True)
    is_active = models.BooleanField(default=True)

    objects = CustomerManager()

    USERNAME_FIELD = "email"
'''

SHOP_MODELS = '''
from tinyframe.conf import settings
from tinyframe.db import models


class Order(models.Model):
    customer = models.ForeignKey(settings.AUTH_USER_MODEL, models.CASCADE)
'''

CONTRIB = ["tinyframe.contrib.sessions", "tinyframe.contrib.auth", "tinyframe.contrib.messages"]


@pytest.fixture
def accounts(tmp_path, monkeypatch, use_settings):
    """Install the ``accounts`` app with ``AUTH_USER_MODEL = "accounts.Customer"``; return its models module."""
    from tinyframe.apps import apps

    for label, models in (("accounts", ACCOUNTS_MODELS), ("shop", SHOP_MODELS)):
        package = tmp_path / label
        package.mkdir()
        (package / "__init__.py").write_text("")
        (package / "models.py").write_text(textwrap.dedent(models))
    monkeypatch.syspath_prepend(str(tmp_path))
    with database_as_found():
        use_settings(INSTALLED_APPS=[*CONTRIB, "accounts", "shop"], AUTH_USER_MODEL="accounts.Customer")
        yield sys.modules["accounts.models"]
    for name in [name for name in sys.modules if name.split(".")[0] in ("accounts", "shop")]:
        del sys.modules[name]
    apps.all_models.pop("accounts", None)
    apps.all_models.pop("shop", None)


@pytest.fixture
def customer_tables(accounts, contrib_tables, tables):
    """The customers' table, and the contrib ones a swapped project has (sessions, groups, permissions)."""
    tables(accounts.Customer)
    return accounts


def test_the_user_model_is_the_one_the_setting_names(accounts):
    from tinyframe.contrib.auth import get_user_model
    from tinyframe.contrib.auth.models import User

    assert get_user_model() is accounts.Customer
    assert User._meta.swapped == "accounts.Customer"
    assert accounts.Customer._meta.swapped is None


def test_the_swapped_models_manager_says_what_replaced_it(accounts):
    from tinyframe.contrib.auth.models import User

    with pytest.raises(AttributeError) as caught:
        User.objects.all()
    assert str(caught.value) == "Manager isn't available; 'auth.User' has been swapped for 'accounts.Customer'"


def test_the_swapped_model_is_not_listed_and_has_no_table(accounts):
    from tinyframe.apps import apps
    from tinyframe.contrib.auth.models import User
    from tinyframe.db import connection

    assert User not in apps.get_models()
    assert User in apps.get_models(include_swapped=True)
    assert not User._meta.can_migrate(connection)


def test_a_foreign_key_to_the_setting_points_at_the_custom_model(accounts):
    field = sys.modules["shop.models"].Order._meta.get_field("customer")
    assert field.related_model is accounts.Customer


def test_authenticate_and_login_use_the_custom_model(customer_tables, auth_site):
    from tinyframe.contrib.auth import authenticate

    customer = customer_tables.Customer.objects.create_user("Ada@Example.ORG", password="correct horse")
    assert customer.email == "Ada@example.org"
    assert authenticate(email="Ada@example.org", password="correct horse") == customer
    assert authenticate(username="Ada@example.org", password="correct horse") == customer
    assert authenticate(email="Ada@example.org", password="wrong") is None

    def whoami(request):
        return HttpResponse(f"{request.user.__class__.__name__} {request.user}")

    client = auth_site(path("whoami/", whoami))
    assert client.login(email="Ada@example.org", password="correct horse")
    assert client.get("/whoami/").content == b"Customer Ada@example.org"


def test_makemigrations_writes_the_setting_and_the_swappable_dependency(accounts, tmp_path):
    from tinyframe.core.management import call_command

    call_command("makemigrations", "accounts", "shop", stdout=io.StringIO())
    written = (tmp_path / "shop" / "migrations" / "0001_initial.py").read_text()
    assert "from tinyframe.conf import settings" in written
    assert "        migrations.swappable_dependency(settings.AUTH_USER_MODEL),\n" in written
    assert "to=settings.AUTH_USER_MODEL" in written


def test_migrate_makes_no_table_for_the_swapped_model_and_no_permissions_for_it(accounts, tmp_path):
    from tinyframe.contrib.auth.models import Permission
    from tinyframe.core.management import call_command
    from tinyframe.db import connection

    call_command("makemigrations", "accounts", "shop", stdout=io.StringIO())
    call_command("migrate", stdout=io.StringIO())
    tables = table_names(connection)
    assert {"accounts_customer", "shop_order", "auth_group", "auth_permission"} <= tables
    assert "auth_user" not in tables
    models = set(Permission.objects.values_list("app_label", "model").distinct())
    assert ("accounts", "customer") in models
    assert ("auth", "user") not in models


@pytest.mark.parametrize(
    "value, message",
    [
        ("accounts", "AUTH_USER_MODEL must be of the form 'app_label.model_name'"),
        ("shop.Customer", "AUTH_USER_MODEL refers to model 'shop.Customer' that has not been installed"),
    ],
)
def test_get_user_model_says_what_is_wrong_with_the_setting(use_settings, value, message):
    from tinyframe.contrib.auth import get_user_model
    from tinyframe.core.exceptions import ImproperlyConfigured

    use_settings(AUTH_USER_MODEL=value)
    with pytest.raises(ImproperlyConfigured) as caught:
        get_user_model()
    assert str(caught.value) == message


def test_a_foreign_key_to_the_default_user_model_is_written_as_the_setting():
    from tinyframe.conf import SettingsReference, settings
    from tinyframe.db import models
    from tinyframe.db.migrations.serializer import serializer_factory

    field = models.ForeignKey(settings.AUTH_USER_MODEL, models.CASCADE)
    _, _, _, kwargs = field.deconstruct()
    assert isinstance(kwargs["to"], SettingsReference)
    assert (kwargs["to"], kwargs["to"].setting_name) == ("auth.user", "AUTH_USER_MODEL")
    written, imports = serializer_factory(field).serialize()
    assert written == "models.ForeignKey(on_delete=tinyframe.db.models.deletion.CASCADE, to=settings.AUTH_USER_MODEL)"
    assert "from tinyframe.conf import settings" in imports
    # Another model's label stays a label; so does a field that opts out.
    assert type(models.ForeignKey("auth.Group", models.CASCADE).deconstruct()[3]["to"]) is str
    opted_out = models.ForeignKey(settings.AUTH_USER_MODEL, models.CASCADE)
    opted_out.swappable = False
    assert type(opted_out.deconstruct()[3]["to"]) is str


@pytest.mark.parametrize(
    "value, swapped",
    [("auth.User", None), ("auth.USER", None), ("", None), ("accounts.Customer", "accounts.Customer"),
     ("nonsense", "nonsense")],
)
def test_swapped_reads_the_setting(use_settings, value, swapped):
    from tinyframe.contrib.auth.models import Group, User

    use_settings(AUTH_USER_MODEL=value)
    assert User._meta.swapped == swapped
    assert Group._meta.swapped is None, "a model without Meta.swappable is never swapped"
