"""The exceptions every layer of tinyframe shares, with Django's names.

How it works: code deep inside the framework raises one of these; the handler
(``tinyframe.core.handlers.exception``) turns each into the HTTP response it
stands for: ``SuspiciousOperation`` and ``BadRequest`` become 400,
``RequestDataTooBig`` 413, ``PermissionDenied`` 403, anything else 500.
"""


class ImproperlyConfigured(Exception):
    """The project's settings or code are set up wrongly; the message says how to fix it."""


class SuspiciousOperation(Exception):
    """The client sent something a well-behaved client never would (answered with 400)."""


class DisallowedHost(SuspiciousOperation):
    """The request's Host header is not in ``settings.ALLOWED_HOSTS``."""


class DisallowedRedirect(SuspiciousOperation):
    """A redirect to a URL scheme that is not allowed (``javascript:`` and friends)."""


class SuspiciousFileOperation(SuspiciousOperation):
    """A file path that would lead outside the directory it must stay in (``../../etc/passwd``)."""


class SuspiciousMultipartForm(SuspiciousOperation):
    """A multipart body that is malformed or that tries to smuggle a file path."""


class TooManyFieldsSent(SuspiciousOperation):
    """The body or query string has more fields than ``DATA_UPLOAD_MAX_NUMBER_FIELDS``."""


class TooManyFilesSent(SuspiciousOperation):
    """A multipart body has more files than ``DATA_UPLOAD_MAX_NUMBER_FILES``."""


class RequestDataTooBig(SuspiciousOperation):
    """The body is larger than ``DATA_UPLOAD_MAX_MEMORY_SIZE`` (answered with 413).

    Django answers this with 400; tinyframe uses 413 Content Too Large, the
    status HTTP defines for exactly this case.
    """


class BadRequest(Exception):
    """The request is malformed in a way the client can fix (answered with 400)."""


class PermissionDenied(Exception):
    """The user may not do this (answered with 403)."""


class ViewDoesNotExist(Exception):
    """A view named by a dotted path could not be imported."""


class MiddlewareNotUsed(Exception):
    """Raised by a middleware factory to take itself out of the chain at start-up."""
