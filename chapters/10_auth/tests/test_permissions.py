"""Permissions and groups: what a user may do, and the rows that say so.

A permission is ``(app_label, model, codename)`` plus a name ("Can add
post"); ``has_perm("blog.add_post")`` asks the backends, and ``ModelBackend``
reads the user's own permissions and their groups'. The rules checked
against Django 5.2: an inactive user has no permission at all, even a
superuser; an active superuser has every one, even one no row names; the
anonymous visitor has none.
"""

import io

import pytest

from tinyframe.core.exceptions import PermissionDenied


@pytest.fixture
def permission(contrib_tables):
    """``permission(codename, app_label="blog", model="post")``: a saved Permission, named as migrate would."""
    from tinyframe.contrib.auth.models import Permission

    def make(codename: str, app_label: str = "blog", model: str = "post"):
        action = codename.split("_")[0]
        return Permission.objects.create(
            codename=codename, app_label=app_label, model=model, name=f"Can {action} {model}"
        )

    return make


def test_a_permission_reads_as_its_app_model_and_name_as_djangos_does(permission):
    """Django prints the content type (the app's and the model's verbose names), or the bare model name without one."""
    assert str(permission("add_user", app_label="auth", model="user")) == (
        "Authentication and Authorization | user | Can add user"
    )
    add_post = permission("add_post")
    assert str(add_post) == "post | Can add post", "no blog app is installed: the model name alone"
    assert add_post.natural_key() == ("add_post", "blog", "post")


def test_permissions_are_found_by_their_natural_key(permission):
    from tinyframe.contrib.auth.models import Permission

    add_post = permission("add_post")
    permission("add_post", model="comment")
    assert Permission.objects.get_by_natural_key("add_post", "blog", "post") == add_post


def test_the_same_permission_cannot_be_saved_twice(permission):
    from tinyframe.db import IntegrityError

    permission("add_post")
    permission("add_post", app_label="shop")  # another app: another permission
    with pytest.raises(IntegrityError):
        permission("add_post")


def test_groups_are_found_by_name(contrib_tables):
    from tinyframe.contrib.auth.models import Group

    editors = Group.objects.create(name="Editors")
    assert str(editors) == "Editors"
    assert editors.natural_key() == ("Editors",)
    assert Group.objects.get_by_natural_key("Editors") == editors


def test_a_user_has_the_permissions_given_to_them(make_user, permission):
    from tinyframe.contrib.auth.models import User

    ada = make_user()
    ada.user_permissions.add(permission("add_post"))
    ada = User.objects.get(pk=ada.pk)  # permissions are cached on the object: a fresh one sees them
    assert ada.has_perm("blog.add_post")
    assert not ada.has_perm("blog.delete_post")
    assert ada.get_user_permissions() == {"blog.add_post"}
    assert ada.get_group_permissions() == set()
    assert ada.get_all_permissions() == {"blog.add_post"}


def test_a_user_has_the_permissions_of_their_groups(make_user, permission):
    from tinyframe.contrib.auth.models import Group, User

    editors = Group.objects.create(name="Editors")
    editors.permissions.add(permission("change_post"), permission("view_post"))
    ada = make_user()
    ada.groups.add(editors)
    ada.user_permissions.add(permission("add_comment", model="comment"))
    ada = User.objects.get(pk=ada.pk)
    assert ada.get_group_permissions() == {"blog.change_post", "blog.view_post"}
    assert ada.get_all_permissions() == {"blog.change_post", "blog.view_post", "blog.add_comment"}
    assert ada.has_perms(["blog.change_post", "blog.add_comment"])
    assert not ada.has_perms(["blog.change_post", "blog.delete_post"])
    assert ada.has_module_perms("blog")
    assert not ada.has_module_perms("shop")


def test_permissions_are_cached_on_the_user_object(make_user, permission):
    ada = make_user()
    assert not ada.has_perm("blog.add_post")
    ada.user_permissions.add(permission("add_post"))
    assert not ada.has_perm("blog.add_post"), "the first answer is kept for the object's life, as in Django"
    del ada._perm_cache, ada._user_perm_cache
    assert ada.has_perm("blog.add_post")


def test_an_inactive_user_has_no_permissions_not_even_a_superuser(make_user, permission):
    from tinyframe.contrib.auth.models import User

    ada = make_user(is_active=False)
    ada.user_permissions.add(permission("add_post"))
    ada = User.objects.get(pk=ada.pk)
    assert not ada.has_perm("blog.add_post")
    assert ada.get_all_permissions() == set()
    assert not ada.has_module_perms("blog")
    root = User.objects.create_superuser("root", password="x", is_active=False)
    assert not root.has_perm("blog.add_post")


def test_an_active_superuser_has_every_permission(contrib_tables, permission):
    from tinyframe.contrib.auth.models import User

    permission("add_post")
    root = User.objects.create_superuser("root", "root@example.org", "x")
    assert root.has_perm("blog.add_post")
    assert root.has_perm("anything.at_all"), "a superuser's permission needs no row"
    assert root.has_module_perms("anything")
    assert root.get_all_permissions() == {"blog.add_post"}, "the rows there are: every one"


def test_has_perms_wants_a_list(user):
    for wrong in ("blog.add_post", 7):
        with pytest.raises(ValueError) as caught:
            user.has_perms(wrong)
        assert str(caught.value) == "perm_list must be an iterable of permissions."


def test_object_permissions_are_not_the_model_backends(make_user, permission):
    ada = make_user()
    ada.user_permissions.add(permission("add_post"))
    assert not ada.has_perm("blog.add_post", obj=object())
    assert ada.get_all_permissions(obj=object()) == set()


def test_the_anonymous_visitor_has_no_permissions(contrib_tables, permission):
    from tinyframe.contrib.auth.models import AnonymousUser

    permission("add_post")
    visitor = AnonymousUser()
    assert not visitor.has_perm("blog.add_post")
    assert not visitor.has_perms(["blog.add_post"])
    assert not visitor.has_module_perms("blog")
    assert visitor.get_all_permissions() == set()
    assert visitor.get_user_permissions() == set()
    assert visitor.get_group_permissions() == set()
    assert list(visitor.groups.all()) == []
    assert list(visitor.user_permissions.all()) == []
    with pytest.raises(ValueError):
        visitor.has_perms("blog.add_post")


class Refuser:
    """A backend that vetoes "blog.delete_post" for everyone and knows nothing else."""

    def has_perm(self, user, perm, obj=None):
        if perm == "blog.delete_post":
            raise PermissionDenied
        return False

    def has_module_perms(self, user, app_label):
        if app_label == "blog":
            raise PermissionDenied
        return False


class Granter:
    """A backend that grants everything; it is asked only after the others."""

    def has_perm(self, user, perm, obj=None):
        return True

    def has_module_perms(self, user, app_label):
        return True


def test_a_backend_raising_permission_denied_refuses_for_all(user, use_settings, throwaway_module):
    module = throwaway_module(Refuser=Refuser, Granter=Granter)
    use_settings(AUTHENTICATION_BACKENDS=[
        "tinyframe.contrib.auth.backends.ModelBackend", f"{module}.Refuser", f"{module}.Granter"
    ])  # fmt: skip
    assert user.has_perm("blog.add_post"), "Granter grants what Refuser does not veto"
    assert not user.has_perm("blog.delete_post")
    assert not user.has_module_perms("blog")
    assert user.has_module_perms("shop")


def test_with_perm_finds_who_holds_a_permission(make_user, permission):
    from tinyframe.contrib.auth.models import Group, User

    add_post = permission("add_post")
    editors = Group.objects.create(name="Editors")
    editors.permissions.add(add_post)
    direct, through_group, nobody = make_user("direct"), make_user("grouped"), make_user("nobody")
    direct.user_permissions.add(add_post)
    through_group.groups.add(editors)
    root = User.objects.create_superuser("root", password="x")
    sleeping = make_user("sleeping", is_active=False)
    sleeping.user_permissions.add(add_post)

    def names(users):
        return sorted(user.username for user in users)

    assert names(User.objects.with_perm("blog.add_post")) == ["direct", "grouped", "root"]
    assert names(User.objects.with_perm(add_post, include_superusers=False)) == ["direct", "grouped"]
    assert names(User.objects.with_perm("blog.add_post", is_active=False)) == ["sleeping"]
    assert names(User.objects.with_perm("blog.add_post", is_active=None, include_superusers=False)) == [
        "direct", "grouped", "sleeping"
    ]  # fmt: skip
    assert names(User.objects.with_perm("blog.add_post", obj=object())) == []
    assert names(User.objects.with_perm("blog.add_post", backend="tinyframe.contrib.auth.backends.ModelBackend")) == [
        "direct", "grouped", "root"
    ]  # fmt: skip
    assert nobody.username not in names(User.objects.with_perm("blog.add_post"))


@pytest.mark.parametrize(
    "perm, backend, error, message",
    [
        ("add_post", None, ValueError, "Permission name should be in the form app_label.permission_codename."),
        (7, None, TypeError, "The `perm` argument must be a string or a permission instance."),
        ("blog.add_post", object, TypeError, "backend must be a dotted import path string (got <class 'object'>)."),
    ],
)
def test_with_perm_errors(contrib_tables, perm, backend, error, message):
    from tinyframe.contrib.auth.models import User

    with pytest.raises(error) as caught:
        User.objects.with_perm(perm, backend=backend)
    assert str(caught.value) == message


def test_with_perm_needs_a_backend_named_when_there_are_several(contrib_tables, use_settings, throwaway_module):
    from tinyframe.contrib.auth.models import User

    module = throwaway_module(Granter=Granter)
    use_settings(AUTHENTICATION_BACKENDS=["tinyframe.contrib.auth.backends.ModelBackend", f"{module}.Granter"])
    with pytest.raises(ValueError) as caught:
        User.objects.with_perm("blog.add_post")
    assert str(caught.value) == (
        "You have multiple authentication backends configured and therefore must provide the `backend` argument."
    )
    assert list(User.objects.with_perm("blog.add_post", backend=f"{module}.Granter")) == []


def test_get_permission_codename():
    from tinyframe.contrib.auth import get_permission_codename
    from tinyframe.contrib.auth.models import Group

    assert get_permission_codename("change", Group._meta) == "change_group"


# -- the permissions migrate creates ------------------------------------------------------------


def test_create_permissions_makes_add_change_delete_view_for_every_model(contrib_tables):
    from tinyframe.apps import apps
    from tinyframe.contrib.auth.management import create_permissions
    from tinyframe.contrib.auth.models import Permission

    output = io.StringIO()
    create_permissions(apps.get_app_config("auth"), verbosity=2, stdout=output)
    rows = list(Permission.objects.filter(model="group").values_list("codename", "name"))
    assert rows == [
        ("add_group", "Can add group"), ("change_group", "Can change group"),
        ("delete_group", "Can delete group"), ("view_group", "Can view group"),
    ]  # fmt: skip
    assert Permission.objects.count() == 12  # permission, group and user
    first_line = output.getvalue().splitlines()[0]
    assert first_line == "Adding permission 'Authentication and Authorization | permission | Can add permission'"


def test_create_permissions_twice_adds_nothing_and_keeps_what_is_there(contrib_tables):
    from tinyframe.apps import apps
    from tinyframe.contrib.auth.management import create_permissions
    from tinyframe.contrib.auth.models import Permission

    auth = apps.get_app_config("auth")
    create_permissions(auth, verbosity=0)
    Permission.objects.filter(codename="view_user").delete()
    output = io.StringIO()
    create_permissions(auth, verbosity=2, stdout=output)
    assert Permission.objects.count() == 12
    assert output.getvalue() == "Adding permission 'Authentication and Authorization | user | Can view user'\n"
    create_permissions(auth, verbosity=0)
    assert Permission.objects.count() == 12


def test_create_permissions_adds_the_models_own_and_honours_default_permissions(contrib_tables):
    from tinyframe.apps import apps
    from tinyframe.contrib.auth.management import create_permissions
    from tinyframe.contrib.auth.models import Permission
    from tinyframe.db import models

    class Article(models.Model):
        class Meta:
            app_label = "press"
            default_permissions = ("add",)
            permissions = [("publish_article", "Can publish articles")]

    apps.all_models.pop("press", None)
    press = PressConfig([Article])
    create_permissions(press, verbosity=0, apps=OneAppRegistry(press))
    assert set(Permission.objects.filter(app_label="press").values_list("codename", "name")) == {
        ("add_article", "Can add article"), ("publish_article", "Can publish articles"),
    }  # fmt: skip


class PressConfig:
    """An installed app as create_permissions sees one: a label, a models module, its models."""

    label = "press"
    models_module = "press.models"

    def __init__(self, models):
        self.models = models

    def get_models(self):
        return self.models


class OneAppRegistry:
    """A registry holding one app, and auth's Permission."""

    def __init__(self, app_config):
        self.app_config = app_config

    def get_app_config(self, label):
        return self.app_config

    def get_model(self, app_label, model_name):
        from tinyframe.contrib.auth.models import Permission

        return Permission


def test_create_permissions_skips_an_app_without_models_and_a_registry_without_auth(contrib_tables):
    from tinyframe.apps import apps
    from tinyframe.contrib.auth.management import create_permissions
    from tinyframe.contrib.auth.models import Permission

    class NoAuth:
        def get_app_config(self, label):
            return apps.get_app_config(label)

        def get_model(self, app_label, model_name):
            raise LookupError(app_label)

    create_permissions(apps.get_app_config("auth"), verbosity=0, apps=NoAuth())
    messages = apps.get_app_config("messages")
    create_permissions(messages, verbosity=0)
    assert Permission.objects.count() == 0


def test_migrate_creates_the_permissions(contrib_tables):
    """``post_migrate`` is connected by AuthConfig.ready: sending it for auth creates auth's permissions."""
    from tinyframe.apps import apps
    from tinyframe.contrib.auth.models import Permission
    from tinyframe.db.models.signals import post_migrate

    auth = apps.get_app_config("auth")
    post_migrate.send(sender=auth, app_config=auth, verbosity=0, interactive=False, using="default", apps=apps)
    assert Permission.objects.filter(app_label="auth").count() == 12
