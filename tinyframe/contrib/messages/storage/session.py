"""SessionStorage: the messages wait in the visitor's session (``tinyframe.contrib.sessions``).

How it works: the messages are kept as one JSON text (``MessageEncoder``, the
cookie storage's format) under the session key ``_messages``; ``_get`` decodes
it, ``_store`` writes it, or removes the key when nothing is left. The
session holds anything, so every message is stored and ``all_retrieved`` is
always True. ``SessionMiddleware`` must run before ``MessageMiddleware``, so
that ``request.session`` exists when the storage is made.
"""

import json

from tinyframe.contrib.messages.storage.base import BaseStorage
from tinyframe.contrib.messages.storage.cookie import MessageDecoder, MessageEncoder
from tinyframe.core.exceptions import ImproperlyConfigured


class SessionStorage(BaseStorage):
    """Messages under ``request.session["_messages"]``; ImproperlyConfigured without a session."""

    session_key = "_messages"

    def __init__(self, request, *args, **kwargs):
        if not hasattr(request, "session"):
            raise ImproperlyConfigured(
                "The session-based temporary message storage requires session middleware to be installed, "
                "and come before the message middleware in the MIDDLEWARE list."
            )
        super().__init__(request, *args, **kwargs)

    def _get(self, *args, **kwargs):
        """The session's messages (None when it has none) and True: nothing is ever left out."""
        return self.deserialize_messages(self.request.session.get(self.session_key)), True

    def _store(self, messages, response, *args, **kwargs):
        """Put ``messages`` in the session, or take the key out when there are none; every message fits."""
        if messages:
            self.request.session[self.session_key] = self.serialize_messages(messages)
        else:
            self.request.session.pop(self.session_key, None)
        return []

    def serialize_messages(self, messages) -> str:
        """``messages`` as JSON text (a session serializer need not know ``Message``)."""
        return MessageEncoder().encode(messages)

    def deserialize_messages(self, data):
        """The messages in ``data`` (JSON text); anything else is returned as it is."""
        if data and isinstance(data, str):
            return json.loads(data, cls=MessageDecoder)
        return data
