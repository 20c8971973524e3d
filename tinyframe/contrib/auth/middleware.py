"""AuthenticationMiddleware: ``request.user``, the user the session belongs to.

How it works: ``process_request`` sets ``request.user`` to a
``SimpleLazyObject`` around ``auth.get_user(request)``. Nothing happens
until a view or template reads it; then the session is read, the user
loaded and checked (``get_user``), once per request. It needs
``request.session``, so ``SessionMiddleware`` must come before it in
``MIDDLEWARE``; without it, the first request says so.
"""

from tinyframe.contrib import auth
from tinyframe.core.exceptions import ImproperlyConfigured
from tinyframe.utils.deprecation import MiddlewareMixin
from tinyframe.utils.functional import SimpleLazyObject

__all__ = ["AuthenticationMiddleware", "get_user"]


def get_user(request):
    """``auth.get_user(request)``, remembered on the request so a second read does not load again."""
    if not hasattr(request, "_cached_user"):
        request._cached_user = auth.get_user(request)
    return request._cached_user


class AuthenticationMiddleware(MiddlewareMixin):
    """Set ``request.user``, lazily, from the session."""

    def process_request(self, request) -> None:
        if not hasattr(request, "session"):
            raise ImproperlyConfigured(
                "The tinyframe authentication middleware requires session middleware to be installed. Edit your "
                "MIDDLEWARE setting to insert 'tinyframe.contrib.sessions.middleware.SessionMiddleware' before "
                "'tinyframe.contrib.auth.middleware.AuthenticationMiddleware'."
            )
        request.user = SimpleLazyObject(lambda: get_user(request))
