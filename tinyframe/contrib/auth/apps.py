"""The auth app's configuration."""

from tinyframe.apps import AppConfig


class AuthConfig(AppConfig):
    """``tinyframe.contrib.auth``: users, groups and permissions."""

    default_auto_field = "tinyframe.db.models.AutoField"
    name = "tinyframe.contrib.auth"
    verbose_name = "Authentication and Authorization"

    def ready(self) -> None:
        """After ``migrate``, create the default permissions; record each login's time (``last_login``)."""
        from tinyframe.contrib.auth import get_user_model
        from tinyframe.contrib.auth.management import create_permissions
        from tinyframe.contrib.auth.models import update_last_login
        from tinyframe.contrib.auth.signals import user_logged_in
        from tinyframe.db.models.signals import post_migrate

        post_migrate.connect(create_permissions, dispatch_uid="tinyframe.contrib.auth.management.create_permissions")

        # Only ready() may ask for the user model: it may live in an app loaded after this one.
        if hasattr(get_user_model(), "last_login"):
            user_logged_in.connect(update_last_login, dispatch_uid="update_last_login")
