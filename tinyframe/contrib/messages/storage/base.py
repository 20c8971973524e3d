"""A message, and the storage that keeps a request's messages until a page shows them.

How it works: ``MessageMiddleware`` gives each request a storage
(``request._messages``). ``add`` queues a ``Message`` (level, text, extra
tags) when its level is at least the storage's ``level``. Showing the
messages is iterating over the storage: it loads what earlier requests left
(``_get``, once, lazily), returns those and the ones queued since, and marks
the storage ``used``. On the way out the middleware calls ``update``: a used
storage keeps only the messages added after it was read; an unread one keeps
everything, old and new, for a later page; one neither read nor added to is
left alone. ``_store`` writes them (a cookie, the session) and returns what
did not fit.

A subclass supplies the two halves that touch the outside world:
``_get() -> (messages or None, all_retrieved)`` and
``_store(messages, response) -> unstored messages``.

    >>> from tinyframe.contrib.messages import constants
    >>> message = Message(constants.WARNING, "Disk almost full", extra_tags="sticky")
    >>> str(message), message.level_tag, message.tags
    ('Disk almost full', 'warning', 'sticky warning')
"""

from tinyframe.conf import settings
from tinyframe.contrib.messages import constants, utils


class Message:
    """One message: a level (an int), the text, and extra tags for the template (a string or None).

    Two messages are equal when their level and text are; the extra tags do
    not count, as in Django.
    """

    def __init__(self, level, message, extra_tags=None):
        self.level = int(level)
        self.message = message
        self.extra_tags = extra_tags

    def _prepare(self) -> None:
        """Make the text and extra tags plain strings before storing (a lazy translation becomes its text)."""
        self.message = str(self.message)
        self.extra_tags = str(self.extra_tags) if self.extra_tags is not None else None

    def __eq__(self, other):
        if not isinstance(other, Message):
            return NotImplemented
        return self.level == other.level and self.message == other.message

    def __str__(self):
        return str(self.message)

    def __repr__(self):
        extra_tags = f", extra_tags={self.extra_tags!r}" if self.extra_tags else ""
        return f"Message(level={self.level}, message={self.message!r}{extra_tags})"

    @property
    def tags(self) -> str:
        """The extra tags, then the level's tag, separated by a space: ``"sticky warning"``."""
        return " ".join(tag for tag in (self.extra_tags, self.level_tag) if tag)

    @property
    def level_tag(self) -> str:
        """The level's tag (``MESSAGE_TAGS`` over the defaults), or "" for a level without one."""
        return utils.get_level_tags().get(self.level, "")


class BaseStorage:
    """The messages of one request: those loaded from the last response, and those queued since.

    ``used`` becomes true when the messages are read (iterated);
    ``added_new`` when ``add`` queued one. Subclasses implement ``_get`` and
    ``_store``.
    """

    def __init__(self, request, *args, **kwargs):
        self.request = request
        self._queued_messages = []
        self.used = False
        self.added_new = False
        super().__init__(*args, **kwargs)

    def __len__(self):
        return len(self._loaded_messages) + len(self._queued_messages)

    def __iter__(self):
        """The loaded messages, then the queued ones; marks the storage used (they have been shown)."""
        self.used = True
        if self._queued_messages:
            # Once shown, the queued messages count as loaded: update() then
            # stores only what is added after this point.
            self._loaded_messages.extend(self._queued_messages)
            self._queued_messages = []
        return iter(self._loaded_messages)

    def __contains__(self, item):
        return item in self._loaded_messages or item in self._queued_messages

    def __repr__(self):
        return f"<{type(self).__qualname__}: request={self.request!r}>"

    @property
    def _loaded_messages(self) -> list:
        """The messages earlier requests left, read through ``_get`` the first time they are needed."""
        if not hasattr(self, "_loaded_data"):
            messages, all_retrieved = self._get()
            self._loaded_data = messages or []
        return self._loaded_data

    def _get(self, *args, **kwargs):
        """Return ``(messages, all_retrieved)``: the stored messages and whether that is all of them.

        ``messages`` is None when the storage was not used at all (no cookie,
        no session key), which tells ``FallbackStorage`` not to look further.
        """
        raise NotImplementedError("subclasses of BaseStorage must provide a _get() method")

    def _store(self, messages, response, *args, **kwargs):
        """Store ``messages`` (writing on ``response`` if need be) and return those that could not be."""
        raise NotImplementedError("subclasses of BaseStorage must provide a _store() method")

    def _prepare_messages(self, messages) -> None:
        """Get the messages ready to be serialized (``Message._prepare``)."""
        for message in messages:
            message._prepare()

    def update(self, response):
        """Store what the next request should see, and return the messages that could not be stored.

        Read this request: only the messages added since. Not read but added
        to: the loaded ones and the new ones, all still to be shown. Neither:
        nothing to do (None), and the stored messages stay as they are.
        """
        self._prepare_messages(self._queued_messages)
        if self.used:
            return self._store(self._queued_messages, response)
        if self.added_new:
            return self._store(self._loaded_messages + self._queued_messages, response)
        return None

    def add(self, level, message, extra_tags="") -> None:
        """Queue a message, unless its text is empty or its level is below ``self.level``."""
        if not message:
            return
        level = int(level)
        if level < self.level:
            return
        self.added_new = True
        self._queued_messages.append(Message(level, message, extra_tags=extra_tags))

    def _get_level(self) -> int:
        """The lowest level recorded: set for this request, else ``MESSAGE_LEVEL``, else INFO."""
        if not hasattr(self, "_level"):
            self._level = getattr(settings, "MESSAGE_LEVEL", constants.INFO)
        return self._level

    def _set_level(self, value=None) -> None:
        """Record from level ``value`` on for this request; None (or ``del``) goes back to the default."""
        if value is None and hasattr(self, "_level"):
            del self._level
        else:
            self._level = int(value)

    level = property(_get_level, _set_level, _set_level)
