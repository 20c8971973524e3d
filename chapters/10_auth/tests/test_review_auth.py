"""Differences from Django 5.2 found by running the same inputs through both, each pinned by Django's answer."""

import pytest


class NoGetUserBackend:
    """A backend that can check credentials but cannot load a user again (no ``get_user``)."""

    def authenticate(self, request, username=None, password=None):
        return None


def test_force_login_without_a_backend_that_can_get_user_raises_logins_type_error(user, use_settings,
                                                                                   throwaway_module):
    # Django 5.2: no backend has get_user, so the client finds none (None) and login refuses it.
    from tinyframe.test import Client

    module = throwaway_module(NoGetUserBackend=NoGetUserBackend)
    use_settings(AUTHENTICATION_BACKENDS=[f"{module}.NoGetUserBackend"])
    with pytest.raises(TypeError, match=r"^backend must be a dotted import path string \(got None\)\.$"):
        Client().force_login(user)


def test_force_login_with_a_backend_named_uses_it_even_without_get_user(user, use_settings, throwaway_module):
    from tinyframe.test import Client

    module = throwaway_module(NoGetUserBackend=NoGetUserBackend)
    use_settings(AUTHENTICATION_BACKENDS=[f"{module}.NoGetUserBackend"])
    client = Client()
    client.force_login(user, backend=f"{module}.NoGetUserBackend")
    assert client.session["_auth_user_backend"] == f"{module}.NoGetUserBackend"
    assert client.session["_auth_user_id"] == str(user.pk)


def test_a_swapped_models_relations_leave_their_target_to_the_replacement(use_settings):
    # Django 5.2: a swapped model (auth.User under a custom AUTH_USER_MODEL) gives its targets no reverse
    # accessor and no relation, so the replacement may reuse the names: PermissionsMixin's groups and
    # user_permissions ("user_set", query name "user") on a custom user model used to clash with auth.User's.
    from tinyframe.apps import apps
    from tinyframe.db import models

    use_settings(REVIEW_SWAPPED_MODEL="review_swap.Replacement")
    try:

        class Target(models.Model):
            class Meta:
                app_label = "review_swap"

        class Replaced(models.Model):
            targets = models.ManyToManyField(Target, related_name="owner_set", related_query_name="owner")
            target = models.ForeignKey(Target, models.CASCADE, related_name="owners", related_query_name="owned")

            class Meta:
                app_label = "review_swap"
                swappable = "REVIEW_SWAPPED_MODEL"

        class Replacement(models.Model):
            targets = models.ManyToManyField(Target, related_name="owner_set", related_query_name="owner")
            target = models.ForeignKey(Target, models.CASCADE, related_name="owners", related_query_name="owned")

            class Meta:
                app_label = "review_swap"

        assert Replaced._meta.swapped == "review_swap.Replacement"
        assert Replacement._meta.swapped is None
        reverse = {field.name: field.related_model for field in Target._meta.get_fields() if field.name != "id"}
        assert reverse == {"owner": Replacement, "owned": Replacement}
        assert Target.owner_set.rel.related_model is Replacement
        assert Target.owners.rel.related_model is Replacement
    finally:
        apps.all_models.pop("review_swap", None)
        apps.clear_cache()


CUSTOMER_WITH_PERMISSIONS = '''
from tinyframe.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from tinyframe.contrib.auth.models import PermissionsMixin
from tinyframe.db import models


class CustomerManager(BaseUserManager):
    def create_user(self, email, password=None, **fields):
        user = self.model(email=self.normalize_email(email), **fields)
        user.set_password(password)
        user.save(using=self._db)
        return user


class Customer(AbstractBaseUser, PermissionsMixin):
    email = models.EmailField(unique=True)
    is_active = models.BooleanField(default=True)

    objects = CustomerManager()

    USERNAME_FIELD = "email"
'''

CUSTOMER_PROJECT = '''
import tinyframe
from tinyframe.conf import settings

settings.configure(
    SECRET_KEY="review", AUTH_USER_MODEL="accounts.Customer",
    INSTALLED_APPS=["tinyframe.contrib.sessions", "tinyframe.contrib.auth", "accounts"],
    DATABASES={"default": {"ENGINE": "tinyframe.db.backends.sqlite3", "NAME": ":memory:"}},
    PASSWORD_HASHERS=["tinyframe.contrib.auth.hashers.MD5PasswordHasher"],
)
tinyframe.setup()
from tinyframe.core.management import call_command
from tinyframe.contrib.auth import authenticate, get_user_model
from tinyframe.contrib.auth.models import Group, Permission

call_command("makemigrations", "accounts", verbosity=0)
call_command("migrate", verbosity=0)
Customer = get_user_model()
ada = Customer.objects.create_user("ada@example.com", password="pw")
editors = Group.objects.create(name="editors")
editors.permissions.add(Permission.objects.get(app_label="accounts", codename="change_customer"))
ada.groups.add(editors)
ada = authenticate(username="ada@example.com", password="pw")
print(sorted(ada.get_all_permissions()), [c.email for c in editors.user_set.all()],
      [g.name for g in Group.objects.filter(user__email="ada@example.com")])
'''


def test_a_custom_user_model_with_permissions_mixin_works_end_to_end(tmp_path):
    # Django 5.2's documented custom user (AbstractBaseUser + PermissionsMixin) under AUTH_USER_MODEL: its groups
    # answer Group.user_set and the "user" query name. It failed at import here until swapped models stopped
    # giving Group and Permission their reverse relations.
    import os
    import subprocess
    import sys
    from pathlib import Path

    package = tmp_path / "accounts"
    (package / "migrations").mkdir(parents=True)
    (package / "__init__.py").write_text("")
    (package / "migrations" / "__init__.py").write_text("")
    (package / "models.py").write_text(CUSTOMER_WITH_PERMISSIONS)
    root = Path(__file__).resolve().parents[3]
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(tmp_path), str(root)])}
    result = subprocess.run([sys.executable, "-c", CUSTOMER_PROJECT], capture_output=True, text=True, env=env,
                            cwd=tmp_path, timeout=60)
    assert result.stderr == ""
    assert result.stdout == "['accounts.change_customer'] ['ada@example.com'] ['editors']\n"
