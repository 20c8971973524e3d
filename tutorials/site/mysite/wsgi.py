"""The example site's WSGI application.

Chapter 01 has no URL dispatch, so this handler routes requests itself, through
the seam chapter 02 fills: ``resolve_request`` returns the view to call with its
arguments. Servers (runserver, gunicorn, waitress) import ``application``.
"""

import os

import tinyframe
from tinyframe.core.handlers.wsgi import WSGIHandler
from tinyframe.http import Http404

from mysite import views

os.environ.setdefault("TINYFRAME_SETTINGS_MODULE", "mysite.settings")
tinyframe.setup()

ROUTES = {
    "/": views.home,
    "/api/posts/": views.post_list_json,
    "/visits/": views.visits,
    "/old-home/": views.old_home,
}


class SiteHandler(WSGIHandler):
    """A handler that maps paths to views by hand, until chapter 02 brings urls.py."""

    def resolve_request(self, request):
        view = ROUTES.get(request.path_info)
        if view is not None:
            return view, (), {}
        parts = request.path_info.strip("/").split("/")
        if len(parts) == 2 and parts[0] == "posts":
            return views.post_detail, (), {"slug": parts[1]}
        raise Http404(f"No page at {request.path_info}")


application = SiteHandler()
