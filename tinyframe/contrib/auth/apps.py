"""The auth app's configuration."""

from tinyframe.apps import AppConfig


class AuthConfig(AppConfig):
    """``tinyframe.contrib.auth``: users, groups and permissions."""

    default_auto_field = "tinyframe.db.models.AutoField"
    name = "tinyframe.contrib.auth"
    verbose_name = "Authentication and Authorization"
