"""Users, groups and permissions: who someone is, and what they may do.

How it works: a ``Permission`` is a row naming one thing a user may do to one
model, ``("blog", "post", "add_post")``: the app's label, the model's name
and a codename. ``migrate`` creates the four default ones, add / change /
delete / view, for every model (``management.create_permissions``). A
``Group`` is a named set of permissions. ``PermissionsMixin`` gives a user
model ``is_superuser``, its ``groups`` and its own ``user_permissions``,
and the questions ``has_perm("blog.add_post")``, ``has_perms``,
``has_module_perms("blog")``; it does not answer them itself but asks each
backend of ``AUTHENTICATION_BACKENDS`` (``backends.ModelBackend`` reads the
tables), so a project can add a backend that answers differently.

``AbstractUser`` is the complete user of most sites (username, names,
email, staff and active flags, the date joined); ``User`` is its concrete
model, replaceable through ``AUTH_USER_MODEL`` (``Meta.swappable``).
``AnonymousUser`` is the visitor nobody logged in as: no row, no
permissions, ``is_authenticated`` False.

How Django does it: Django keys a permission by a ``ContentType`` row (the
``contenttypes`` app maps every model to a row) instead of the two names.
tinyframe has no contenttypes app; the names say the same thing.
"""

from tinyframe.contrib import auth
from tinyframe.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from tinyframe.contrib.auth.validators import UnicodeUsernameValidator
from tinyframe.core.exceptions import PermissionDenied
from tinyframe.db import models
from tinyframe.utils import timezone

__all__ = [
    "AbstractUser", "AnonymousUser", "EmptyManager", "Group", "GroupManager", "Permission", "PermissionManager",
    "PermissionsMixin", "User", "UserManager", "update_last_login",
]  # fmt: skip


def update_last_login(sender, user, **kwargs) -> None:
    """A ``user_logged_in`` receiver: record when the user logged in (``AuthConfig.ready`` connects it)."""
    user.last_login = timezone.now()
    user.save(update_fields=["last_login"])


class PermissionManager(models.Manager):
    """Permissions' manager: finds one by its natural key."""

    use_in_migrations = True

    def get_by_natural_key(self, codename: str, app_label: str, model: str):
        """The permission ``codename`` of model ``app_label.model``."""
        return self.get(codename=codename, app_label=app_label, model=model)


class Permission(models.Model):
    """One thing a user may do to one model: ``Blog | post | Can add post``.

    ``has_perm`` names it ``"<app_label>.<codename>"`` (``"blog.add_post"``).
    """

    name = models.CharField("name", max_length=255)
    app_label = models.CharField("app label", max_length=100)
    model = models.CharField("model", max_length=100)
    codename = models.CharField("codename", max_length=100)

    objects = PermissionManager()

    class Meta:
        verbose_name = "permission"
        verbose_name_plural = "permissions"
        unique_together = [["app_label", "model", "codename"]]
        ordering = ["app_label", "model", "codename"]

    def __str__(self):
        return f"{self.model_label()} | {self.name}"

    def model_label(self) -> str:
        """The permission's model as Django's content type prints it: ``Authentication and Authorization | user``.

        The app's and the model's verbose names; only the model name when the
        model no longer exists (a permission left behind by a deleted model).
        """
        from tinyframe.apps import apps

        try:
            model = apps.get_model(self.app_label, self.model)
        except LookupError:
            return self.model
        return f"{model._meta.app_config.verbose_name} | {model._meta.verbose_name}"

    def natural_key(self) -> tuple:
        """``(codename, app_label, model)``: the permission without its primary key."""
        return (self.codename, self.app_label, self.model)


class GroupManager(models.Manager):
    """Groups' manager: finds one by its name."""

    use_in_migrations = True

    def get_by_natural_key(self, name: str):
        """The group called ``name``."""
        return self.get(name=name)


class Group(models.Model):
    """A named set of permissions; a user in the group has them all ("Editors" may change any post)."""

    name = models.CharField("name", max_length=150, unique=True)
    permissions = models.ManyToManyField(Permission, verbose_name="permissions", blank=True)

    objects = GroupManager()

    class Meta:
        verbose_name = "group"
        verbose_name_plural = "groups"

    def __str__(self):
        return self.name

    def natural_key(self) -> tuple:
        """``(name,)``."""
        return (self.name,)


class UserManager(BaseUserManager):
    """``User.objects``: makes users with hashed passwords, and finds who holds a permission."""

    use_in_migrations = True

    def _create_user(self, username, email, password, **extra_fields):
        if not username:
            raise ValueError("The given username must be set")
        from tinyframe.apps import apps
        from tinyframe.contrib.auth.hashers import make_password

        email = self.normalize_email(email)
        # The registry's class, not self.model: in a migration, self.model is a historical copy without methods.
        user_model = apps.get_model(self.model._meta.app_label, self.model._meta.object_name)
        username = user_model.normalize_username(username)
        user = self.model(username=username, email=email, **extra_fields)
        user.password = make_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, username, email=None, password=None, **extra_fields):
        """Save a new user; with no ``password``, one that cannot log in by password."""
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(username, email, password, **extra_fields)

    def create_superuser(self, username, email=None, password=None, **extra_fields):
        """Save a new user with every permission (``is_superuser``) and access to the admin (``is_staff``)."""
        extra_fields.setdefault("is_staff", True)
        extra_fields.setdefault("is_superuser", True)
        if extra_fields.get("is_staff") is not True:
            raise ValueError("Superuser must have is_staff=True.")
        if extra_fields.get("is_superuser") is not True:
            raise ValueError("Superuser must have is_superuser=True.")
        return self._create_user(username, email, password, **extra_fields)

    def with_perm(self, perm, is_active=True, include_superusers=True, backend=None, obj=None):
        """The users a backend says hold ``perm`` (``"app_label.codename"`` or a ``Permission``).

        With one backend configured it is used; with several, name one
        (``backend="dotted.path"``).
        """
        if backend is None:
            backends = auth._get_backends(return_tuples=True)
            if len(backends) != 1:
                raise ValueError(
                    "You have multiple authentication backends configured and therefore must provide the `backend` "
                    "argument."
                )
            backend, _ = backends[0]
        elif not isinstance(backend, str):
            raise TypeError(f"backend must be a dotted import path string (got {backend!r}).")
        else:
            backend = auth.load_backend(backend)
        if hasattr(backend, "with_perm"):
            return backend.with_perm(perm, is_active=is_active, include_superusers=include_superusers, obj=obj)
        return self.none()


# Asking every backend: the helpers PermissionsMixin and AnonymousUser share.


def _user_get_permissions(user, obj, from_name: str) -> set:
    """The union of ``get_<from_name>_permissions`` over the backends that have it."""
    permissions = set()
    name = f"get_{from_name}_permissions"
    for backend in auth.get_backends():
        if hasattr(backend, name):
            permissions.update(getattr(backend, name)(user, obj))
    return permissions


def _user_has_perm(user, perm: str, obj) -> bool:
    """Whether any backend grants ``perm``; a backend raising ``PermissionDenied`` refuses for all."""
    for backend in auth.get_backends():
        if not hasattr(backend, "has_perm"):
            continue
        try:
            if backend.has_perm(user, perm, obj):
                return True
        except PermissionDenied:
            return False
    return False


def _user_has_module_perms(user, app_label: str) -> bool:
    """Whether any backend grants some permission in ``app_label``; ``PermissionDenied`` refuses for all."""
    for backend in auth.get_backends():
        if not hasattr(backend, "has_module_perms"):
            continue
        try:
            if backend.has_module_perms(user, app_label):
                return True
        except PermissionDenied:
            return False
    return False


def _check_perm_list(perm_list) -> list:
    if isinstance(perm_list, str):
        raise ValueError("perm_list must be an iterable of permissions.")
    try:
        return list(perm_list)
    except TypeError:
        raise ValueError("perm_list must be an iterable of permissions.") from None


class PermissionsMixin(models.Model):
    """Groups, permissions and the questions about them, for any user model (``AbstractUser`` has them)."""

    is_superuser = models.BooleanField(
        "superuser status",
        default=False,
        help_text="Designates that this user has all permissions without explicitly assigning them.",
    )
    groups = models.ManyToManyField(
        Group,
        verbose_name="groups",
        blank=True,
        help_text="The groups this user belongs to. A user will get all permissions granted to each of their groups.",
        related_name="user_set",
        related_query_name="user",
    )
    user_permissions = models.ManyToManyField(
        Permission,
        verbose_name="user permissions",
        blank=True,
        help_text="Specific permissions for this user.",
        related_name="user_set",
        related_query_name="user",
    )

    class Meta:
        abstract = True

    def get_user_permissions(self, obj=None) -> set:
        """The ``"app_label.codename"`` names given to the user directly."""
        return _user_get_permissions(self, obj, "user")

    def get_group_permissions(self, obj=None) -> set:
        """The names the user has through their groups."""
        return _user_get_permissions(self, obj, "group")

    def get_all_permissions(self, obj=None) -> set:
        """Every permission name the user has, directly or through a group."""
        return _user_get_permissions(self, obj, "all")

    def has_perm(self, perm: str, obj=None) -> bool:
        """Whether the user may ``perm`` (``"blog.add_post"``): an active superuser may do anything."""
        if self.is_active and self.is_superuser:
            return True
        return _user_has_perm(self, perm, obj)

    def has_perms(self, perm_list, obj=None) -> bool:
        """Whether the user has every permission of ``perm_list`` (a list, not one string)."""
        return all(self.has_perm(perm, obj) for perm in _check_perm_list(perm_list))

    def has_module_perms(self, app_label: str) -> bool:
        """Whether the user has any permission in app ``app_label`` (the admin shows the app if so)."""
        if self.is_active and self.is_superuser:
            return True
        return _user_has_module_perms(self, app_label)


class AbstractUser(AbstractBaseUser, PermissionsMixin):
    """A complete user: a username to log in with, names, an email, staff and active flags.

    Subclass it for a project's own user model with a few more fields, and
    point ``AUTH_USER_MODEL`` at the subclass.
    """

    username_validator = UnicodeUsernameValidator()

    username = models.CharField(
        "username",
        max_length=150,
        unique=True,
        help_text="Required. 150 characters or fewer. Letters, digits and @/./+/-/_ only.",
        validators=[username_validator],
        error_messages={"unique": "A user with that username already exists."},
    )
    first_name = models.CharField("first name", max_length=150, blank=True)
    last_name = models.CharField("last name", max_length=150, blank=True)
    email = models.EmailField("email address", blank=True)
    is_staff = models.BooleanField(
        "staff status", default=False, help_text="Designates whether the user can log into this admin site."
    )
    is_active = models.BooleanField(
        "active",
        default=True,
        help_text="Designates whether this user should be treated as active. "
        "Unselect this instead of deleting accounts.",
    )
    date_joined = models.DateTimeField("date joined", default=timezone.now)

    objects = UserManager()

    EMAIL_FIELD = "email"
    USERNAME_FIELD = "username"
    REQUIRED_FIELDS = ["email"]

    class Meta:
        verbose_name = "user"
        verbose_name_plural = "users"
        abstract = True

    def clean(self) -> None:
        """Normalise the username and the email's domain."""
        super().clean()
        self.email = type(self).objects.normalize_email(self.email)

    def get_full_name(self) -> str:
        """First and last name, with a space between."""
        return f"{self.first_name} {self.last_name}".strip()

    def get_short_name(self) -> str:
        """The first name."""
        return self.first_name


class User(AbstractUser):
    """The user model of a project that does not name its own in ``AUTH_USER_MODEL``."""

    class Meta(AbstractUser.Meta):
        swappable = "AUTH_USER_MODEL"


class EmptyManager(models.Manager):
    """A manager whose every QuerySet is empty: ``AnonymousUser().groups.all()`` is ``[]``."""

    def __init__(self, model):
        super().__init__()
        self.model = model

    def get_queryset(self):
        return super().get_queryset().none()


class AnonymousUser:
    """The visitor who has not logged in: ``request.user`` when no one is.

    It quacks like a user (``is_authenticated``, ``has_perm``, ``groups``)
    so views and templates need no special case, but it has no row: saving
    it or giving it a password is an error.
    """

    id = None
    pk = None
    username = ""
    is_staff = False
    is_active = False
    is_superuser = False
    _groups = EmptyManager(Group)
    _user_permissions = EmptyManager(Permission)

    def __str__(self):
        return "AnonymousUser"

    def __eq__(self, other):
        return isinstance(other, type(self))

    def __hash__(self):
        return 1  # all anonymous users are equal, so they hash alike

    def __int__(self):
        raise TypeError("Cannot cast AnonymousUser to int. Are you trying to use it in place of User?")

    def save(self):
        raise NotImplementedError("tinyframe doesn't provide a DB representation for AnonymousUser.")

    def delete(self):
        raise NotImplementedError("tinyframe doesn't provide a DB representation for AnonymousUser.")

    def set_password(self, raw_password):
        raise NotImplementedError("tinyframe doesn't provide a DB representation for AnonymousUser.")

    def check_password(self, raw_password):
        raise NotImplementedError("tinyframe doesn't provide a DB representation for AnonymousUser.")

    @property
    def groups(self):
        """No groups (an empty manager)."""
        return self._groups

    @property
    def user_permissions(self):
        """No permissions of its own (an empty manager)."""
        return self._user_permissions

    def get_user_permissions(self, obj=None) -> set:
        return _user_get_permissions(self, obj, "user")

    def get_group_permissions(self, obj=None) -> set:
        return set()

    def get_all_permissions(self, obj=None) -> set:
        return _user_get_permissions(self, obj, "all")

    def has_perm(self, perm: str, obj=None) -> bool:
        """What the backends grant an anonymous visitor (``ModelBackend``: nothing)."""
        return _user_has_perm(self, perm, obj=obj)

    def has_perms(self, perm_list, obj=None) -> bool:
        return all(self.has_perm(perm, obj) for perm in _check_perm_list(perm_list))

    def has_module_perms(self, module: str) -> bool:
        return _user_has_module_perms(self, module)

    @property
    def is_anonymous(self) -> bool:
        return True

    @property
    def is_authenticated(self) -> bool:
        return False

    def get_username(self) -> str:
        return self.username
