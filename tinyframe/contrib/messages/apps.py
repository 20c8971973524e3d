"""The messages app's configuration."""

from tinyframe.apps import AppConfig


class MessagesConfig(AppConfig):
    """``tinyframe.contrib.messages``: no models, no tables; the middleware and context processor do the work."""

    name = "tinyframe.contrib.messages"
    verbose_name = "Messages"
