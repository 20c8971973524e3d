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


# >>> 06_orm
# The ORM's exceptions. Every model gets its own DoesNotExist and
# MultipleObjectsReturned, subclasses of the two below, so ``except
# Book.DoesNotExist`` catches only books and ``except ObjectDoesNotExist``
# catches any model's.

NON_FIELD_ERRORS = "__all__"


class ObjectDoesNotExist(Exception):
    """A query that should have found one object found none.

    A template that reads ``{{ article.author.name }}`` with no author shows
    nothing instead of failing: the template engine skips exceptions that set
    ``silent_variable_failure``.
    """

    silent_variable_failure = True


class MultipleObjectsReturned(Exception):
    """A query that should have found one object (``get()``) found several."""


class FieldDoesNotExist(Exception):
    """A model has no field of the name asked for (``Book._meta.get_field("nmae")``)."""


class FieldError(Exception):
    """A query names a field or lookup that cannot be used the way it is used."""


class ValidationError(Exception):
    """Values that failed validation, with messages a user can read, kept in Django's three shapes.

    * one message: ``ValidationError("Enter a number.", code="invalid")``,
      with ``params`` filled in when shown (``"%(value)s is too big"``);
    * a list of messages (``error_list``): all the problems with one value;
    * a dict of lists (``error_dict``): the problems of each field of a form
      or model, ``NON_FIELD_ERRORS`` ("__all__") for the rest.

    Whatever the shape, ``messages`` is the flat list of texts, and
    ``error_list`` (or each list of ``error_dict``) holds single-message
    ValidationErrors, so code that checks ``code`` works on all three.
    ``update_error_dict`` merges one error into a dict being collected, which
    is how ``full_clean`` gathers the errors of every field before raising.

    >>> ValidationError("Bad %(x)s", code="bad", params={"x": 1}).messages
    ['Bad 1']
    >>> ValidationError({"title": ["Too long.", "Too loud."]}).message_dict
    {'title': ['Too long.', 'Too loud.']}
    """

    def __init__(self, message, code: str | None = None, params: dict | None = None):
        super().__init__(message, code, params)
        if isinstance(message, ValidationError):
            # Re-wrapping an error keeps its shape (and, for one message, its code).
            if hasattr(message, "error_dict"):
                message = message.error_dict
            elif not hasattr(message, "message"):
                message = message.error_list
            else:
                message, code, params = message.message, message.code, message.params

        if isinstance(message, dict):
            self.error_dict = {field: ValidationError(messages).error_list for field, messages in message.items()}
        elif isinstance(message, list):
            self.error_list = []
            for item in message:
                if not isinstance(item, ValidationError):
                    item = ValidationError(item)
                if hasattr(item, "error_dict"):
                    self.error_list.extend(error for errors in item.error_dict.values() for error in errors)
                else:
                    self.error_list.extend(item.error_list)
        else:
            self.message = message
            self.code = code
            self.params = params
            self.error_list = [self]

    @property
    def message_dict(self) -> dict:
        """``{field: [message, ...]}``; only for an error made from a dict (AttributeError otherwise, as Django)."""
        self.error_dict  # noqa: B018 -- raises AttributeError for the other two shapes
        return dict(self)

    @property
    def messages(self) -> list:
        """Every message as text, params filled in, whatever the shape."""
        if hasattr(self, "error_dict"):
            return [message for messages in dict(self).values() for message in messages]
        return list(self)

    def update_error_dict(self, error_dict: dict) -> dict:
        """Add these errors to ``error_dict`` (field -> list of errors) and return it.

        An error without fields goes under ``NON_FIELD_ERRORS``.
        """
        if hasattr(self, "error_dict"):
            for field, error_list in self.error_dict.items():
                error_dict.setdefault(field, []).extend(error_list)
        else:
            error_dict.setdefault(NON_FIELD_ERRORS, []).extend(self.error_list)
        return error_dict

    def __iter__(self):
        """Iterate ``(field, [messages])`` pairs for a dict, the message texts otherwise."""
        if hasattr(self, "error_dict"):
            for field, errors in self.error_dict.items():
                yield field, list(ValidationError(errors))
        else:
            for error in self.error_list:
                message = error.message
                if error.params:
                    message %= error.params
                yield str(message)

    def __str__(self):
        if hasattr(self, "error_dict"):
            return repr(dict(self))
        return repr(list(self))

    def __repr__(self):
        return f"ValidationError({self})"

    def __eq__(self, other):
        if not isinstance(other, ValidationError):
            return NotImplemented
        return self._identity() == other._identity()

    def __hash__(self):
        return hash(self._identity())

    def _identity(self):
        """What two equal errors share: messages, codes and params, whatever order a dict or list came in."""
        if hasattr(self, "message"):
            params = self.params
            if isinstance(params, dict):
                params = tuple(sorted((key, repr(value)) for key, value in params.items()))
            elif params is not None:
                params = repr(params)
            return ("message", str(self.message), self.code, params)
        if hasattr(self, "error_dict"):
            return (
                "dict",
                tuple(sorted((field, tuple(sorted(map(hash, errors)))) for field, errors in self.error_dict.items())),
            )
        return ("list", tuple(sorted(map(hash, self.error_list))))


# <<< 06_orm
