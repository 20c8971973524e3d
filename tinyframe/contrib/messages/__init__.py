"""Messages: one-time notes for the next page a visitor sees ("Your comment was posted.").

How it works: a view calls ``messages.success(request, "Saved.")`` (``api``);
the message waits in the request's storage (``storage``), which
``MessageMiddleware`` made on the way in and saves on the way out, in a
signed cookie or the session. The view redirects; the next page's template
iterates over ``messages`` (put in its context by
``context_processors.messages``) and, once shown, they are gone.

    from tinyframe.contrib import messages

    def post_comment(request):
        ...
        messages.success(request, "Your comment was posted.")
        return redirect(post)

Importing the package gives Django's names: the api's functions, the level
constants and ``Message``.
"""

from tinyframe.contrib.messages.api import (
    MessageFailure,
    add_message,
    debug,
    error,
    get_level,
    get_messages,
    info,
    set_level,
    success,
    warning,
)
from tinyframe.contrib.messages.constants import DEBUG, DEFAULT_LEVELS, DEFAULT_TAGS, ERROR, INFO, SUCCESS, WARNING
from tinyframe.contrib.messages.storage.base import Message

__all__ = [
    "add_message", "get_messages", "get_level", "set_level", "debug", "info", "success", "warning", "error",
    "MessageFailure", "DEBUG", "INFO", "SUCCESS", "WARNING", "ERROR", "DEFAULT_TAGS", "DEFAULT_LEVELS", "Message",
]
