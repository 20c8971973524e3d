"""Context processors: functions that add names to every RequestContext.

How it works: each function takes the request and returns a dict; the names
of the engine's ``context_processors`` option are imported and called when a
template is rendered with a request, and their dicts are merged into the
context. So a base template can use ``{{ request.path }}`` without every view
passing the request along.
"""

from tinyframe.conf import settings


def debug(request) -> dict:
    """``debug``: True when ``DEBUG`` is on and the request comes from an ``INTERNAL_IPS`` address."""
    if settings.DEBUG and request.META.get("REMOTE_ADDR") in settings.INTERNAL_IPS:
        return {"debug": True}
    return {}


def request(request) -> dict:
    """``request``: the request being answered."""
    return {"request": request}
