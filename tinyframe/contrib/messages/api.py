"""The functions views call: ``messages.success(request, "Saved.")`` and friends.

How it works: ``MessageMiddleware`` puts a storage on each request
(``request._messages``); ``add_message`` hands it the level and text, and
``debug``/``info``/``success``/``warning``/``error`` are ``add_message`` with
the level filled in. Without the middleware there is nowhere to put a message:
``MessageFailure``, unless the caller passed ``fail_silently=True`` (a
reusable app that works with or without the messages framework).
``get_messages`` is what templates iterate over, through the context processor.
"""

from tinyframe.contrib.messages import constants
from tinyframe.contrib.messages.storage import default_storage

__all__ = (
    "add_message",
    "get_messages",
    "get_level",
    "set_level",
    "debug",
    "info",
    "success",
    "warning",
    "error",
    "MessageFailure",
)


class MessageFailure(Exception):
    """A message was added to a request that has no message storage (MessageMiddleware is not installed)."""


def add_message(request, level, message, extra_tags="", fail_silently=False) -> None:
    """Add a message of ``level`` to the request's storage.

    Raise ``TypeError("add_message() argument must be an HttpRequest object,
    not '<class name>'.")`` when ``request`` is not a request, and
    ``MessageFailure`` when it has no storage, unless ``fail_silently``.
    """
    try:
        storage = request._messages
    except AttributeError:
        if not hasattr(request, "META"):
            raise TypeError(
                f"add_message() argument must be an HttpRequest object, not '{type(request).__name__}'."
            ) from None
        if not fail_silently:
            raise MessageFailure(
                "You cannot add messages without installing tinyframe.contrib.messages.middleware.MessageMiddleware"
            ) from None
        return None
    return storage.add(level, message, extra_tags)


def get_messages(request):
    """The request's message storage (iterate over it to show and consume them), or [] without one."""
    return getattr(request, "_messages", [])


def get_level(request) -> int:
    """The lowest level the request records (``MESSAGE_LEVEL``, INFO by default, unless ``set_level`` changed it)."""
    storage = getattr(request, "_messages", None)
    if storage is None:
        storage = default_storage(request)
    return storage.level


def set_level(request, level) -> bool:
    """Record messages from ``level`` on for this request (None: the default); False without a storage."""
    if not hasattr(request, "_messages"):
        return False
    request._messages.level = level
    return True


def debug(request, message, extra_tags="", fail_silently=False) -> None:
    """Add a DEBUG message (dropped unless ``MESSAGE_LEVEL`` is DEBUG or lower)."""
    add_message(request, constants.DEBUG, message, extra_tags=extra_tags, fail_silently=fail_silently)


def info(request, message, extra_tags="", fail_silently=False) -> None:
    """Add an INFO message."""
    add_message(request, constants.INFO, message, extra_tags=extra_tags, fail_silently=fail_silently)


def success(request, message, extra_tags="", fail_silently=False) -> None:
    """Add a SUCCESS message: "Your comment was posted."."""
    add_message(request, constants.SUCCESS, message, extra_tags=extra_tags, fail_silently=fail_silently)


def warning(request, message, extra_tags="", fail_silently=False) -> None:
    """Add a WARNING message."""
    add_message(request, constants.WARNING, message, extra_tags=extra_tags, fail_silently=fail_silently)


def error(request, message, extra_tags="", fail_silently=False) -> None:
    """Add an ERROR message."""
    add_message(request, constants.ERROR, message, extra_tags=extra_tags, fail_silently=fail_silently)
