"""Loading templates from the ``templates/`` directory of each installed app.

How it works: exactly the filesystem loader, with the directories found by
``get_app_template_dirs`` (``blog/templates/``, ``shop/templates/``...) in
``INSTALLED_APPS`` order, so an app listed first can override another's
templates.
"""

from tinyframe.template.loaders.filesystem import Loader as FilesystemLoader
from tinyframe.template.utils import get_app_template_dirs


class Loader(FilesystemLoader):
    """Finds templates in the installed apps' ``templates`` directories."""

    def get_dirs(self):
        return get_app_template_dirs("templates")
