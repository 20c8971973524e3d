"""The admin app's configuration: ``AdminConfig`` finds each installed app's ``admin.py`` when the project starts.

How it works: once every app's models are loaded, ``AdminConfig.ready()``
calls ``autodiscover()``, which imports ``<app>.admin`` for each installed app
that has one; importing it runs its ``admin.site.register(...)`` calls. A
project that registers everything itself installs ``SimpleAdminConfig``
(``"tinyframe.contrib.admin.apps.SimpleAdminConfig"``) instead.
"""

from tinyframe.apps import AppConfig


class SimpleAdminConfig(AppConfig):
    """``tinyframe.contrib.admin`` without autodiscovery: its ``LogEntry`` model, templates and template tags."""

    default_auto_field = "tinyframe.db.models.AutoField"
    default_site = "tinyframe.contrib.admin.sites.AdminSite"
    name = "tinyframe.contrib.admin"
    verbose_name = "Administration"


class AdminConfig(SimpleAdminConfig):
    """``tinyframe.contrib.admin`` as installed by name: imports every app's ``admin`` module when ready."""

    default = True

    def ready(self) -> None:
        """Register what each installed app's ``admin.py`` registers."""
        self.module.autodiscover()
