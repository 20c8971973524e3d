"""Authentication backends: who may log in, and what they may do.

How it works: ``AUTHENTICATION_BACKENDS`` lists backend classes.
``auth.authenticate(request, **credentials)`` asks each in turn for a user
(``authenticate``); ``auth.get_user`` asks the one that logged the user in
to load them again on later requests (``get_user(user_id)``); a user's
``has_perm`` asks every backend (``has_perm``, ``get_all_permissions``...).
A backend answers only what it knows; ``BaseBackend`` answers "nobody" and
"nothing" for the rest.

``ModelBackend`` reads the database: the user by ``USERNAME_FIELD``, the
password through the user's ``check_password``, the permissions from
``user_permissions`` and the user's groups, cached on the user object for
the rest of the request.

Timing: for a username that does not exist, ``ModelBackend`` still hashes
the password once, so an attacker cannot tell "no such user" from "wrong
password" by how long the answer takes.
"""

from tinyframe.contrib.auth import get_user_model
from tinyframe.db.models import Exists, OuterRef, Q

__all__ = ["AllowAllUsersModelBackend", "BaseBackend", "ModelBackend"]


class BaseBackend:
    """A backend that knows no one and grants nothing: subclass it and override what yours knows."""

    def authenticate(self, request, **kwargs):
        """The user these credentials prove, or None."""
        return None

    def get_user(self, user_id):
        """The user with this primary key, or None."""
        return None

    def get_user_permissions(self, user_obj, obj=None) -> set:
        return set()

    def get_group_permissions(self, user_obj, obj=None) -> set:
        return set()

    def get_all_permissions(self, user_obj, obj=None) -> set:
        """The user's own permissions and their groups' together."""
        return {*self.get_user_permissions(user_obj, obj=obj), *self.get_group_permissions(user_obj, obj=obj)}

    def has_perm(self, user_obj, perm: str, obj=None) -> bool:
        """Whether ``perm`` is among the user's permissions."""
        return perm in self.get_all_permissions(user_obj, obj=obj)


class ModelBackend(BaseBackend):
    """Users and permissions from the database: the default backend."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        """The active user called ``username`` whose password is ``password``, else None."""
        user_model = get_user_model()
        if username is None:
            username = kwargs.get(user_model.USERNAME_FIELD)
        if username is None or password is None:
            return None
        try:
            user = user_model._default_manager.get_by_natural_key(username)
        except user_model.DoesNotExist:
            # Hash the password anyway: without this, "no such user" answers
            # faster than "wrong password", and the difference names the users.
            user_model().set_password(password)
            return None
        if user.check_password(password) and self.user_can_authenticate(user):
            return user
        return None

    def user_can_authenticate(self, user) -> bool:
        """Refuse users whose ``is_active`` is False (a model without that field has active users only)."""
        return getattr(user, "is_active", True)

    def _get_user_permissions(self, user_obj):
        return user_obj.user_permissions.all()

    def _get_group_permissions(self, user_obj):
        from tinyframe.contrib.auth.models import Permission

        # Permission -> its groups (query name "group") -> their users (the groups field's query name).
        query_name = get_user_model()._meta.get_field("groups").related_query_name()
        return Permission.objects.filter(**{f"group__{query_name}": user_obj})

    def _get_permissions(self, user_obj, obj, from_name: str) -> set:
        """``"app_label.codename"`` names from ``_get_<from_name>_permissions``, cached on the user.

        Only for an active, real user and the model-wide question
        (``obj=None``): this backend knows nothing of per-object permissions.
        """
        if not user_obj.is_active or user_obj.is_anonymous or obj is not None:
            return set()
        cache_name = f"_{from_name}_perm_cache"
        if not hasattr(user_obj, cache_name):
            if user_obj.is_superuser:
                from tinyframe.contrib.auth.models import Permission

                permissions = Permission.objects.all()
            else:
                permissions = getattr(self, f"_get_{from_name}_permissions")(user_obj)
            names = permissions.values_list("app_label", "codename").order_by()
            setattr(user_obj, cache_name, {f"{app_label}.{codename}" for app_label, codename in names})
        return getattr(user_obj, cache_name)

    def get_user_permissions(self, user_obj, obj=None) -> set:
        """The names of the permissions given to the user directly (all of them for a superuser)."""
        return self._get_permissions(user_obj, obj, "user")

    def get_group_permissions(self, user_obj, obj=None) -> set:
        """The names of the permissions the user has through their groups (all of them for a superuser)."""
        return self._get_permissions(user_obj, obj, "group")

    def get_all_permissions(self, user_obj, obj=None) -> set:
        """Both, cached on the user as ``_perm_cache`` (remove it, or fetch the user again, to see changes)."""
        if not user_obj.is_active or user_obj.is_anonymous or obj is not None:
            return set()
        if not hasattr(user_obj, "_perm_cache"):
            user_obj._perm_cache = super().get_all_permissions(user_obj)
        return user_obj._perm_cache

    def has_perm(self, user_obj, perm: str, obj=None) -> bool:
        """Whether an active user has ``perm``; an inactive user has none."""
        return user_obj.is_active and super().has_perm(user_obj, perm, obj=obj)

    def has_module_perms(self, user_obj, app_label: str) -> bool:
        """Whether an active user has any permission whose name starts with ``app_label.``."""
        return user_obj.is_active and any(
            perm.partition(".")[0] == app_label for perm in self.get_all_permissions(user_obj)
        )

    def with_perm(self, perm, is_active=True, include_superusers=True, obj=None):
        """The users who hold ``perm`` directly or through a group (and the superusers, unless excluded)."""
        from tinyframe.contrib.auth.models import Permission

        user_model = get_user_model()
        if isinstance(perm, str):
            try:
                app_label, codename = perm.split(".")
            except ValueError:
                raise ValueError("Permission name should be in the form app_label.permission_codename.") from None
        elif not isinstance(perm, Permission):
            raise TypeError("The `perm` argument must be a string or a permission instance.")
        if obj is not None:
            return user_model._default_manager.none()
        held = Q(group__user=OuterRef("pk")) | Q(user=OuterRef("pk"))
        if isinstance(perm, Permission):
            held &= Q(pk=perm.pk)
        else:
            held &= Q(codename=codename, app_label=app_label)
        user_q = Exists(Permission.objects.filter(held))
        if include_superusers:
            user_q |= Q(is_superuser=True)
        if is_active is not None:
            user_q &= Q(is_active=is_active)
        return user_model._default_manager.filter(user_q)

    def get_user(self, user_id):
        """The user with primary key ``user_id``, if they may still authenticate."""
        user_model = get_user_model()
        try:
            user = user_model._default_manager.get(pk=user_id)
        except user_model.DoesNotExist:
            return None
        return user if self.user_can_authenticate(user) else None


class AllowAllUsersModelBackend(ModelBackend):
    """``ModelBackend`` that lets inactive users log in too (a site that tells them why they are locked)."""

    def user_can_authenticate(self, user) -> bool:
        return True
