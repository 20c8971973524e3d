"""Context processors: functions that add names to every RequestContext.

How it works: each function takes the request and returns a dict; the names
of the engine's ``context_processors`` option are imported and called when a
template is rendered with a request, and their dicts are merged into the
context. So a base template can use ``{{ request.path }}`` without every view
passing the request along.
"""

from tinyframe.conf import settings
# >>> 10_auth
from tinyframe.middleware.csrf import get_token
from tinyframe.utils.functional import lazy
# <<< 10_auth


def debug(request) -> dict:
    """``debug``: True when ``DEBUG`` is on and the request comes from an ``INTERNAL_IPS`` address."""
    if settings.DEBUG and request.META.get("REMOTE_ADDR") in settings.INTERNAL_IPS:
        return {"debug": True}
    return {}


def request(request) -> dict:
    """``request``: the request being answered."""
    return {"request": request}
# >>> 10_auth


def _first_call(get_value) -> str:
    """What ``get_value()`` returns: the lazy ``csrf_token`` calls it when a template first shows it."""
    return get_value()


# Made once, here: lazy() builds a proxy class each time it is called, which
# cost more than the rest of a request's context processors together
# (tests/benchmarks/admin.py).
_lazy_first_call = lazy(_first_call, str)


def csrf(request) -> dict:
    """``csrf_token``: the masked CSRF token for the request's forms, made only if a template uses it.

    Every template rendered with a request gets this (it is built in, see
    ``context._builtin_context_processors``); making the token flags the CSRF
    cookie to be sent, so it is lazy, and made once for the whole render.
    """
    token = []

    def get_value() -> str:
        if not token:
            token.append(get_token(request))
        return token[0]

    return {"csrf_token": _lazy_first_call(get_value)}


# <<< 10_auth
