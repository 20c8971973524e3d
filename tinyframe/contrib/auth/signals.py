"""The signals ``tinyframe.contrib.auth`` sends when someone logs in, out, or fails to.

- ``user_logged_in``: by ``login``, with ``sender`` the user's class,
  ``request`` and ``user``. ``AuthConfig.ready`` connects
  ``models.update_last_login`` to it.
- ``user_logged_out``: by ``logout``, with ``request`` and ``user`` (None
  when nobody was logged in).
- ``user_login_failed``: by ``authenticate`` when no backend accepted the
  credentials, with ``credentials`` (passwords, tokens and keys replaced by
  stars) and ``request``: where a site counts failed attempts.
"""

from tinyframe.dispatch import Signal

__all__ = ["user_logged_in", "user_logged_out", "user_login_failed"]

user_logged_in = Signal()
user_login_failed = Signal()
user_logged_out = Signal()
