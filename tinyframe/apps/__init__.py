"""``tinyframe.apps``: the installed applications and their models.

How it works: ``apps`` (``registry.Apps``) holds one ``AppConfig`` (``config``)
per ``INSTALLED_APPS`` entry, filled by ``tinyframe.setup()``; models register
in it as they are defined, and ``apps.get_model("library.Book")`` finds them
by name.
"""

from tinyframe.apps.config import AppConfig
from tinyframe.apps.registry import AppRegistryNotReady, apps

__all__ = ["AppConfig", "AppRegistryNotReady", "apps"]
