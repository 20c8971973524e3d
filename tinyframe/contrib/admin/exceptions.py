"""The admin's exceptions: a model registered twice or not at all, and forged lookups in a query string.

``DisallowedModelAdminLookup`` and ``DisallowedModelAdminToField`` are
``SuspiciousOperation``s: the request handler answers them with a 400, as a
changelist URL naming a field the admin does not offer can only be forged.
"""

from tinyframe.core.exceptions import SuspiciousOperation

__all__ = ["AlreadyRegistered", "DisallowedModelAdminLookup", "DisallowedModelAdminToField", "NotRegistered"]


class DisallowedModelAdminLookup(SuspiciousOperation):
    """A changelist filter asked for a lookup the ModelAdmin does not allow."""


class DisallowedModelAdminToField(SuspiciousOperation):
    """``_to_field`` named a field no registered model refers to."""


class AlreadyRegistered(Exception):
    """A model was registered twice with the same site."""


class NotRegistered(Exception):
    """A model that was never registered was asked for (or unregistered)."""
