"""What can go wrong with a session, as exceptions the request handler already knows how to answer.

``SuspiciousSession`` and ``InvalidSessionKey`` are ``SuspiciousOperation``\\ s
(logged on ``tinyframe.security.<name>``, answered with a 400 if raised);
``SessionInterrupted`` is a ``BadRequest``: the session was deleted by another
request (a logout in another tab) while this one still meant to save it.
"""

from tinyframe.core.exceptions import BadRequest, SuspiciousOperation


class InvalidSessionKey(SuspiciousOperation):
    """A session key with characters no backend ever makes."""


class SuspiciousSession(SuspiciousOperation):
    """The session's data or key looks tampered with."""


class SessionInterrupted(BadRequest):
    """The session was deleted before the request that used it could save it."""
