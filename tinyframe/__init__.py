"""tinyframe: a small Django, written from scratch in pure standard-library Python.

How it works: a project names its settings (``settings.configure(...)`` or the
``TINYFRAME_SETTINGS_MODULE`` environment variable), calls ``tinyframe.setup()``,
and serves ``tinyframe.core.wsgi.get_wsgi_application()`` with any WSGI server.
Each chapter of the course adds one layer to this package; ``chapters/`` says
which chapter owns which file.
"""

VERSION = (0, 1, 0)
__version__ = "0.1.0"


def setup() -> None:
    """Prepare tinyframe for use: read the settings and set up what they name.

    Django projects call ``django.setup()`` once before touching models or
    templates; tinyframe keeps the same entry point so scripts port with a
    rename. In chapter 01 it only forces the settings to load, so that a
    missing or broken settings module fails here, loudly, rather than on the
    first request.
    """
    from tinyframe.conf import settings

    settings._setup_if_needed()
    # >>> 02_urls
    # reverse() outside a request (a script, a management command) builds URLs
    # under the prefix the site is mounted at, when FORCE_SCRIPT_NAME says it.
    from tinyframe.urls import set_script_prefix

    set_script_prefix("/" if settings.FORCE_SCRIPT_NAME is None else settings.FORCE_SCRIPT_NAME)
    # <<< 02_urls
    # >>> 06_orm
    # Load every installed app and its models now, so that the registry is
    # complete (and a broken app fails) before the first request.
    from tinyframe.apps import apps

    apps.populate(settings.INSTALLED_APPS)
    # <<< 06_orm
