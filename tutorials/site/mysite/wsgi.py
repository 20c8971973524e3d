"""The example site's WSGI application, for runserver and for production servers alike.

Servers (runserver, gunicorn, waitress) import ``application`` from here.
"""

import os

from tinyframe.core.wsgi import get_wsgi_application

os.environ.setdefault("TINYFRAME_SETTINGS_MODULE", "mysite.settings")

application = get_wsgi_application()
