"""MessageMiddleware: a message storage for every request, saved when the response goes out.

How it works: ``process_request`` sets ``request._messages`` to a new storage
(``MESSAGE_STORAGE``); views add to it and templates read it.
``process_response`` calls the storage's ``update``, which writes what is left
for the next page (a cookie on the response, or the session). With the
default storage the session is needed, so ``SessionMiddleware`` comes first
in ``MIDDLEWARE``: its ``process_response`` then runs after this one and
saves what this one put in the session.
"""

from tinyframe.conf import settings
from tinyframe.contrib.messages.storage import default_storage
from tinyframe.utils.deprecation import MiddlewareMixin


class MessageMiddleware(MiddlewareMixin):
    """Make each request's message storage, and store its messages in the response."""

    def process_request(self, request) -> None:
        """Give the request its storage, ``request._messages``."""
        request._messages = default_storage(request)

    def process_response(self, request, response):
        """Store the messages left to show; with DEBUG, a ValueError when some could not be stored.

        A middleware outside this one may have answered before
        ``process_request`` ran, so the request may have no storage.
        """
        if hasattr(request, "_messages"):
            unstored_messages = request._messages.update(response)
            if unstored_messages and settings.DEBUG:
                raise ValueError("Not all temporary messages could be stored.")
        return response
