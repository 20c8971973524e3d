"""The entry point for WSGI servers: ``get_wsgi_application()``.

How it works: a project's ``wsgi.py`` sets ``TINYFRAME_SETTINGS_MODULE`` and
calls ``get_wsgi_application()``, which loads the settings (``tinyframe.setup``)
and returns a ``WSGIHandler``: the callable that gunicorn, waitress or the
development server call once per request with ``(environ, start_response)``.
"""

import tinyframe
from tinyframe.core.handlers.wsgi import WSGIHandler


def get_wsgi_application() -> WSGIHandler:
    """Set tinyframe up and return the project's WSGI application.

    Use this rather than ``WSGIHandler()`` directly: it makes sure the settings
    load (and fail loudly) before the server takes its first request.
    """
    tinyframe.setup()
    return WSGIHandler()
