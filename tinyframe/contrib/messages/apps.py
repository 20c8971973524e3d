"""The messages app's configuration."""

from tinyframe.apps import AppConfig


class MessagesConfig(AppConfig):
    """``tinyframe.contrib.messages``: it has no models; installing it makes its context processor and tags known."""

    name = "tinyframe.contrib.messages"
    verbose_name = "Messages"
