"""The ``messages`` context processor: every template rendered with a request can show the messages.

Add ``"tinyframe.contrib.messages.context_processors.messages"`` to the
``context_processors`` option of ``TEMPLATES``; then a base template shows
them::

    {% for message in messages %}
      <p class="{{ message.tags }}">{{ message }}</p>
    {% endfor %}

``messages`` is the storage itself, not a list: nothing is read (or marked
shown) until the template iterates over it. ``DEFAULT_MESSAGE_LEVELS`` gives the
levels by name: ``{% if message.level == DEFAULT_MESSAGE_LEVELS.ERROR %}``.
"""

from tinyframe.contrib.messages.api import get_messages
from tinyframe.contrib.messages.constants import DEFAULT_LEVELS


def messages(request) -> dict:
    """``messages`` (the request's storage, read lazily) and ``DEFAULT_MESSAGE_LEVELS``."""
    return {"messages": get_messages(request), "DEFAULT_MESSAGE_LEVELS": DEFAULT_LEVELS}
