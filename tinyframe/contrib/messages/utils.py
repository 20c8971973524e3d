"""The tag of each message level: Django's defaults, overridden or extended by ``MESSAGE_TAGS``."""

from tinyframe.conf import settings
from tinyframe.contrib.messages import constants


def get_level_tags() -> dict:
    """``{level: tag}``: ``constants.DEFAULT_TAGS`` updated with ``settings.MESSAGE_TAGS``.

    A project maps a level to its CSS framework's class
    (``MESSAGE_TAGS = {messages.ERROR: "danger"}``) or names a level of its
    own (``{35: "notice"}``). The setting is read on every call, so a test's
    ``override_settings`` applies at once.
    """
    return {**constants.DEFAULT_TAGS, **getattr(settings, "MESSAGE_TAGS", {})}
