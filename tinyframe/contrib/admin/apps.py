"""The admin app's configuration."""

from tinyframe.apps import AppConfig


class AdminConfig(AppConfig):
    """``tinyframe.contrib.admin``: its ``LogEntry`` model, templates and template tags."""

    default_auto_field = "tinyframe.db.models.AutoField"
    name = "tinyframe.contrib.admin"
    verbose_name = "Administration"
