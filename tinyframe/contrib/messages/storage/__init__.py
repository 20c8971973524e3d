"""Where messages are kept: ``default_storage(request)`` makes the storage ``MESSAGE_STORAGE`` names.

Three storages come with the app: ``cookie.CookieStorage``,
``session.SessionStorage`` and ``fallback.FallbackStorage`` (the default: the
cookie, and the session for what does not fit).
"""

from tinyframe.conf import settings
from tinyframe.utils.module_loading import import_string


def default_storage(request):
    """A new storage of the class ``settings.MESSAGE_STORAGE`` names, for ``request``.

    The setting is read on each call (not when this module is imported), so
    it may change after start-up, as tests do.
    """
    return import_string(settings.MESSAGE_STORAGE)(request)
