"""JSONField: any JSON-serialisable Python value, stored as JSON text.

How it works: ``get_db_prep_value`` writes the value with ``json.dumps``
(through ``encoder``, a ``json.JSONEncoder`` subclass, when given) and
``from_db_value`` reads it with ``json.loads`` (through ``decoder``). The
column is ``text`` with ``CHECK (JSON_VALID(...))``, so SQLite refuses text
that is not JSON.

Two kinds of nothing, kept apart as in Django: saving ``None`` stores SQL
NULL (with ``null=True``: no document), ``Value(None, JSONField())`` stores
the JSON text ``null`` (a document that is null). Both read back as
``None``; a query tells them apart: ``filter(data=None)`` finds the JSON
``null`` (``field_lookups.JSONExact``), ``filter(data__isnull=True)`` the
SQL NULL. A ``null`` inside a list or dict is JSON, as always.

Lookups: ``exact``, ``in``, ``isnull`` and the comparisons compare the JSON
text. ``contains`` and ``contained_by`` mean containment of documents in
Django, which SQLite cannot do: they raise NotSupportedError, as Django does
on SQLite, rather than search the text (``lookups.UnsupportedLookup``,
registered here by ``lookups.register_builtins``).
"""

import json

from tinyframe.core.exceptions import ValidationError
from tinyframe.db.models.fields import Field

__all__ = ["JSONField"]


class JSONField(Field):
    """A JSON document: dicts, lists, strings, numbers, booleans and None."""

    empty_strings_allowed = False
    default_error_messages = {"invalid": "Value must be valid JSON."}

    def __init__(self, verbose_name=None, name=None, encoder=None, decoder=None, **kwargs):
        if encoder and not callable(encoder):
            raise ValueError("The encoder parameter must be a callable object.")
        if decoder and not callable(decoder):
            raise ValueError("The decoder parameter must be a callable object.")
        self.encoder = encoder
        self.decoder = decoder
        super().__init__(verbose_name, name, **kwargs)

    def get_db_prep_value(self, value, connection, prepared=False):
        if not prepared:
            value = self.get_prep_value(value)
        if hasattr(value, "as_sql"):
            return value
        return json.dumps(value, cls=self.encoder)

    def get_db_prep_save(self, value, connection):
        # None is SQL NULL, not the JSON text "null".
        if value is None:
            return None
        return super().get_db_prep_save(value, connection)

    def from_db_value(self, value, expression, connection):
        """The stored text back into Python values; text that is not JSON is returned as it is."""
        if value is None:
            return None
        try:
            return json.loads(value, cls=self.decoder)
        except json.JSONDecodeError:
            return value

    def validate(self, value, model_instance):
        super().validate(value, model_instance)
        try:
            json.dumps(value, cls=self.encoder)
        except TypeError:
            raise ValidationError(self.error_messages["invalid"], code="invalid", params={"value": value})
