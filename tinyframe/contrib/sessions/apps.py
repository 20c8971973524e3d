"""The sessions app's configuration."""

from tinyframe.apps import AppConfig


class SessionsConfig(AppConfig):
    """``tinyframe.contrib.sessions``: the ``Session`` model the database backend stores sessions in."""

    name = "tinyframe.contrib.sessions"
    verbose_name = "Sessions"
