"""Altering tables on SQLite: the schema editor's migration methods, and the table rebuild.

How it works: chapter 06's ``DatabaseSchemaEditor`` creates and drops whole
tables. Migrations also change tables that hold rows, and SQLite's ``ALTER
TABLE`` can do only a little in place: rename the table, rename a column,
add a nullable column without a default, drop a plain column. Everything else
(a new type, NOT NULL, UNIQUE, a CHECK, a new primary key, a default to fill
existing rows with) is done by ``_remake_table``, as SQLite's documentation
prescribes and as Django does:

1. build a model for the table as it should be, named ``new__<table>``, in an
   app registry of its own (so the project's models never see it), and
   ``CREATE TABLE`` it;
2. ``INSERT INTO "new__<table>" (...) SELECT ... FROM "<table>"``: each new
   column gets its old column, a renamed one, ``coalesce(old, default)`` for a
   column made NOT NULL, or the default for a column that did not exist;
3. ``DROP TABLE "<table>"`` and ``ALTER TABLE "new__<table>" RENAME TO
   "<table>"``, then create the indexes again.

Every step runs in one transaction (a savepoint when one is open already), so
a rebuild that fails (a NULL where NOT NULL is wanted, a duplicate where
UNIQUE is) leaves the table and its rows as they were. Foreign keys are not
enforced while the editor works (with them on, dropping the old table would
count every row pointing at it as a broken key, and the commit would fail);
``PRAGMA foreign_key_check`` proves them all valid before the editor commits.

The methods for indexes, constraints and unique_together, which mostly run
one statement, come from ``IndexAlterationsMixin`` (``alter_indexes.py``).

Each public method is Django's, with Django's SQL: compare
``collect_sql=True`` output, which ``sqlmigrate`` prints, with Django's.
"""

import contextlib
import copy
import datetime
import decimal
import re
import sqlite3

from tinyframe.db.backends.sqlite3.schema import DatabaseSchemaEditor as CreateTableSchemaEditor
from tinyframe.db.backends.sqlite3.alter_indexes import IndexAlterationsMixin, rename_table_in_index_sql
from tinyframe.db.backends.sqlite3.schema import index_name

__all__ = [
    "DatabaseSchemaEditor", "check_constraints", "copied_column", "effective_default", "quote_value",
    "rename_table_in_index_sql",
]  # fmt: skip

# Field arguments that change nothing in the database: altering only these runs no SQL.
NON_DB_ATTRS = (
    "blank", "choices", "db_column", "editable", "error_messages", "help_text", "limit_choices_to",
    "on_delete", "related_name", "related_query_name", "validators", "verbose_name",
)  # fmt: skip

# SQLite learned ALTER TABLE ... DROP COLUMN in 3.35 (fixed in 3.35.5).
CAN_DROP_COLUMN = sqlite3.sqlite_version_info >= (3, 35, 5)

# Django's words for a rebuild asked for inside a transaction, where foreign keys cannot be turned off.
NOT_SUPPORTED_MESSAGE = (
    "SQLite schema editor cannot be used while foreign key constraint checks are enabled. Make sure to "
    "disable them before entering a transaction.atomic() context because SQLite does not support "
    "disabling them in the middle of a multi-statement transaction."
)


def effective_default(field):
    """The value existing rows get for ``field`` when it is added or made NOT NULL, as Django picks it.

    The field's default if it has one; ``""`` for a NOT NULL field that allows
    blank text; "now" for ``auto_now`` / ``auto_now_add``; otherwise None.

    >>> from tinyframe.db import models
    >>> effective_default(models.IntegerField(default=3)), effective_default(models.CharField(blank=True))
    (3, '')
    >>> effective_default(models.IntegerField(null=True)) is None
    True
    """
    if field.has_default():
        return field.get_default()
    if not field.null and field.blank and field.empty_strings_allowed:
        return b"" if field.get_internal_type() == "BinaryField" else ""
    if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
        from tinyframe.utils import timezone

        internal_type = field.get_internal_type()
        if internal_type == "DateTimeField":
            return timezone.now()
        now = datetime.datetime.now()
        return now.date() if internal_type == "DateField" else now.time() if internal_type == "TimeField" else now
    return None


def quote_value(value) -> str:
    """A default written as an SQL literal for the rebuild's SELECT, as Django's SQLite editor writes it.

    >>> [quote_value(value) for value in ("it's", 3, None, True, b"ab", decimal.Decimal("1.50"))]
    ["'it''s'", '3', 'NULL', '1', "X'6162'", '1.50']
    """
    if value is None:
        return "NULL"
    if isinstance(value, bool):
        return str(int(value))
    if isinstance(value, (int, float, decimal.Decimal)):
        return str(value)
    if isinstance(value, (bytes, bytearray, memoryview)):
        return f"X'{bytes(value).hex()}'"
    if isinstance(value, str):
        return "'" + value.replace("'", "''") + "'"
    raise ValueError(f"Cannot quote parameter value {value!r} of type {type(value)}")


# The old column a rebuild's SELECT expression reads: "name", or coalesce("name", default).
COPIED_COLUMN = re.compile(r'(?:coalesce\()?"(?P<column>(?:[^"]|"")+)"')


def copied_column(expression: str) -> str | None:
    """The old column a rebuild's SELECT expression reads, or None for a default written as a literal.

    >>> copied_column('"title"'), copied_column('coalesce("pages", 0)'), copied_column("'x'")
    ('title', 'pages', None)
    """
    match = COPIED_COLUMN.match(expression)
    return None if match is None else match["column"].replace('""', '"')


def check_constraints(connection, table_names=None) -> None:
    """Raise IntegrityError, as Django words it, for the first row whose foreign key points at nothing.

    SQLite reports such rows with ``PRAGMA foreign_key_check``: the table, the
    row's rowid, the table it should point into, and which of the table's
    foreign keys is broken.
    """
    from tinyframe.db import IntegrityError

    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        if table_names is None:
            cursor.execute("PRAGMA foreign_key_check")
            violations = cursor.fetchall()
        else:
            violations = []
            for table in table_names:
                cursor.execute(f"PRAGMA foreign_key_check({quote(table)})")
                violations += cursor.fetchall()
        for table, rowid, referenced_table, key_number in violations:
            cursor.execute(f"PRAGMA foreign_key_list({quote(table)})")
            column, referenced_column = cursor.fetchall()[key_number][3:5]
            primary_key = connection.introspection.get_primary_key_column(cursor, table)
            row_sql = f"SELECT {quote(primary_key)}, {quote(column)} FROM {quote(table)} WHERE rowid = %s"
            cursor.execute(row_sql, [rowid])
            primary_key_value, bad_value = cursor.fetchone()
            raise IntegrityError(
                f"The row in table '{table}' with primary key '{primary_key_value}' has an invalid foreign key: "
                f"{table}.{column} contains a value '{bad_value}' that does not have a corresponding value in "
                f"{referenced_table}.{referenced_column}."
            )


class DatabaseSchemaEditor(CreateTableSchemaEditor, IndexAlterationsMixin):
    """Chapter 06's editor plus what migrations need: add, remove and alter fields, indexes, constraints."""

    sql_rename_table = "ALTER TABLE %(old_table)s RENAME TO %(new_table)s"
    sql_create_column = "ALTER TABLE %(table)s ADD COLUMN %(column)s %(definition)s"
    sql_delete_column = "ALTER TABLE %(table)s DROP COLUMN %(column)s"
    sql_rename_column = "ALTER TABLE %(table)s RENAME COLUMN %(old_column)s TO %(new_column)s"
    sql_delete_index = "DROP INDEX %(name)s"
    sql_copy_rows = "INSERT INTO %(new_table)s (%(columns)s) SELECT %(values)s FROM %(table)s"
    # Whether __enter__ turned foreign keys off (a rebuild needs them off).
    constraints_disabled = False

    # -- the editor's block: foreign keys off while it works, checked before it commits ---

    def __enter__(self):
        # PRAGMA foreign_keys cannot change inside a transaction: when one is
        # open already, keys stay enforced and a rebuild refuses to run.
        # (Nor inside an atomic block not begun yet: turning them back on
        # afterwards would be silently ignored once it has begun.)
        self.constraints_disabled = (
            not self.connection.in_atomic_block and self.connection.disable_constraint_checking()
        )
        return super().__enter__()

    def __exit__(self, exc_type, exc_value, traceback):
        try:
            if exc_type is None and self.constraints_disabled and not self.collect_sql:
                try:
                    for sql in self.deferred_sql:
                        self.execute(sql)
                    self.deferred_sql = []
                    check_constraints(self.connection)
                except BaseException as error:
                    super().__exit__(type(error), error, error.__traceback__)
                    raise
            super().__exit__(exc_type, exc_value, traceback)
        finally:
            if self.constraints_disabled:
                self.connection.enable_constraint_checking()

    # -- tables ---------------------------------------------------------------------------

    def create_model(self, model) -> None:
        """Chapter 06's CREATE TABLE, its statements queued after those queued before it.

        In a migration one editor runs many operations: an index an earlier
        operation queued stays ahead of this table's unique_together, as in
        Django (chapter 06's editor puts the unique_together first of all).
        """
        queued, self.deferred_sql = self.deferred_sql, []
        super().create_model(model)
        self.deferred_sql[:0] = queued

    # -- fields -------------------------------------------------------------------------

    def add_field(self, model, field) -> None:
        """Add ``field``'s column to ``model``'s table (or its many-to-many table).

        ``ALTER TABLE ... ADD COLUMN`` for a nullable column without a default;
        a rebuild when existing rows need a value, or the column is UNIQUE or
        the primary key (which ADD COLUMN cannot add).
        """
        if field.many_to_many:
            if field.remote_field.through._meta.auto_created:
                self.create_model(field.remote_field.through)
            else:
                # Its through model has the table; Django's editor rebuilds this one
                # all the same (the field adds no column), and so prints a rebuild.
                self._remake_table(model)
            return
        definition = self.column_sql(model, field)
        if definition is None:
            return
        if field.primary_key or field.unique or not field.null or effective_default(field) is not None:
            self._remake_table(model, create_field=field)
            return
        self.execute(self.sql_create_column % {
            "table": self.quote_name(model._meta.db_table),
            "column": self.quote_name(field.column),
            "definition": definition,
        })  # fmt: skip
        if field.db_index and not field.unique:
            self.deferred_sql.append(self.field_index_sql(model, field))

    def remove_field(self, model, field) -> None:
        """Remove ``field``'s column from ``model``'s table (or drop its many-to-many table).

        ``ALTER TABLE ... DROP COLUMN`` for a plain column; a rebuild for a
        column SQLite will not drop in place: the primary key, a UNIQUE or
        indexed column, a foreign key.
        """
        if field.many_to_many:
            if field.remote_field.through._meta.auto_created:
                self.delete_model(field.remote_field.through)
            return
        if field.db_type(self.connection) is None:
            return
        in_place = (
            CAN_DROP_COLUMN
            and not field.primary_key
            and not field.unique
            and not field.db_index
            and not (field.remote_field and field.db_constraint)
        )
        if not in_place:
            self._remake_table(model, delete_field=field)
            return
        table, column = self.quote_name(model._meta.db_table), self.quote_name(field.column)
        self.execute(self.sql_delete_column % {"table": table, "column": column})
        self.deferred_sql = [sql for sql in self.deferred_sql if not (f" ON {table} " in sql and column in sql)]

    def alter_field(self, model, old_field, new_field, strict: bool = False) -> None:
        """Change ``old_field``'s column into ``new_field``'s, keeping every row.

        A renamed column alone is ``ALTER TABLE ... RENAME COLUMN``; anything
        else that reaches the database is a rebuild. A change that only Python
        sees (``verbose_name``, ``choices``, ``help_text``...) runs nothing.
        (``strict`` is Django's; SQLite has nothing it would be strict about.)
        """
        if not self._field_should_be_altered(old_field, new_field):
            return
        old_type, new_type = old_field.db_type(self.connection), new_field.db_type(self.connection)
        if old_type is None and new_type is None and old_field.many_to_many and new_field.many_to_many:
            through_old, through_new = old_field.remote_field.through, new_field.remote_field.through
            if through_old._meta.auto_created and through_new._meta.auto_created:
                self._alter_many_to_many(model, old_field, new_field, strict)
                return
            if not through_old._meta.auto_created and not through_new._meta.auto_created:
                return  # both tables are their through models' own
        if old_type is None or new_type is None:
            raise ValueError(
                f"Cannot alter field {old_field} into {new_field} - they are not compatible types "
                f"(you cannot alter to or from M2M fields, or add or remove through= on M2M fields)"
            )
        has_constraint = (old_field.remote_field and old_field.db_constraint) or (
            new_field.remote_field and new_field.db_constraint
        )
        if (
            old_field.column != new_field.column
            and self.column_sql(model, old_field) == self.column_sql(model, new_field)
            and not has_constraint
        ):
            self.execute(self.sql_rename_column % {
                "table": self.quote_name(model._meta.db_table),
                "old_column": self.quote_name(old_field.column),
                "new_column": self.quote_name(new_field.column),
            })  # fmt: skip
            return
        self._remake_table(model, alter_fields=[(old_field, new_field)])
        if new_field.unique and old_type != new_type:
            # Foreign keys copy their target's type: rebuild the tables pointing here.
            for related_model in self._models_pointing_at(model, new_field):
                self._remake_table(related_model)

    def _field_should_be_altered(self, old_field, new_field) -> bool:
        """Whether the change reaches the database: a new column name, or any argument but Python-only ones."""
        if old_field.many_to_many and new_field.many_to_many:
            # No column, but a table named after the field.
            if old_field.remote_field.through._meta.db_table != new_field.remote_field.through._meta.db_table:
                return True
        elif not old_field.concrete and not new_field.concrete:
            return False
        if old_field.column != new_field.column:
            return True
        _, old_path, old_args, old_kwargs = old_field.deconstruct()
        _, new_path, new_args, new_kwargs = new_field.deconstruct()
        for attr in NON_DB_ATTRS:
            old_kwargs.pop(attr, None)
            new_kwargs.pop(attr, None)
        if (
            not new_field.many_to_many
            and old_field.remote_field
            and new_field.remote_field
            and old_field.remote_field.model._meta.db_table == new_field.remote_field.model._meta.db_table
        ):
            old_kwargs.pop("to", None)
            new_kwargs.pop("to", None)
        return (old_path, old_args, old_kwargs) != (new_path, new_args, new_kwargs)

    def _models_pointing_at(self, model, field) -> list:
        """The models whose foreign keys (or automatic many-to-many tables) point at ``field``.

        They are read from ``field.model``, the model of the state after, so
        that their keys have the new type; ``model`` (the state before's, just
        rebuilt) is left out. Like Django's, the comparison never matches a
        model of the state after: its tables with keys to itself (a
        many-to-many to ``"self"`` among them) are rebuilt too.
        """
        related = []
        opts = field.model._meta
        for relation in opts.related_objects:
            if relation.related_model is model:
                continue
            if not relation.many_to_many and relation.field_name == field.name:
                related.append(relation.related_model)
            elif relation.many_to_many and field.primary_key and relation.through._meta.auto_created:
                related.append(relation.through)
        if field.primary_key:
            for many_to_many in opts.many_to_many:
                through = many_to_many.remote_field.through
                if many_to_many.related_model is not model and through._meta.auto_created:
                    related.append(through)
        return list(dict.fromkeys(related))

    def _alter_many_to_many(self, model, old_field, new_field, strict: bool) -> None:
        """A renamed many-to-many field: copy its pairs into the table of the new name, drop the old one."""
        old_through, new_through = old_field.remote_field.through, new_field.remote_field.through
        if old_through._meta.db_table == new_through._meta.db_table:
            # Same table, other options: rebuild it with its two keys altered.
            self._remake_table(old_through, alter_fields=[
                (old_through._meta.get_field(old_field.m2m_reverse_field_name()),
                 new_through._meta.get_field(new_field.m2m_reverse_field_name())),
                (old_through._meta.get_field(old_field.m2m_field_name()),
                 new_through._meta.get_field(new_field.m2m_field_name())),
            ])  # fmt: skip
            return
        self.create_model(new_through)
        # Django writes these three column names unquoted; so do we, for the same SQL.
        self.execute(self.sql_copy_rows % {
            "new_table": self.quote_name(new_through._meta.db_table),
            "columns": ", ".join(["id", new_field.m2m_column_name(), new_field.m2m_reverse_name()]),
            "values": ", ".join(["id", old_field.m2m_column_name(), old_field.m2m_reverse_name()]),
            "table": self.quote_name(old_through._meta.db_table),
        })  # fmt: skip
        self.delete_model(old_through)

    # -- tables ---------------------------------------------------------------------------

    def alter_db_table(self, model, old_db_table: str, new_db_table: str) -> None:
        """Rename a table (``ALTER TABLE ... RENAME TO``); statements queued for it follow the new name."""
        if old_db_table == new_db_table:
            return
        old, new = self.quote_name(old_db_table), self.quote_name(new_db_table)
        self.execute(self.sql_rename_table % {"old_table": old, "new_table": new})
        self.deferred_sql = [rename_table_in_index_sql(sql, old_db_table, new_db_table) for sql in self.deferred_sql]

    def _remake_table(self, model, create_field=None, delete_field=None, alter_fields=()) -> None:
        """Rebuild ``model``'s table with one field added, removed or altered, keeping every row.

        ``create_field`` is a new field (existing rows get its default),
        ``delete_field`` a field whose column goes, ``alter_fields`` pairs of
        ``(old_field, new_field)``; with none of them, the table is made again
        as ``model`` describes it now (new constraints, say). The steps:

        1. ``body``: the new table's fields by name (copies of ``model``'s,
           with the created or altered field in, the deleted one out);
        2. ``mapping``: for each new column, the SQL expression that fills it
           from an old row: the old column quoted (``"title"``),
           ``coalesce("pages", 0)`` for a column made NOT NULL, or for an
           added column its default as a literal (``'x'``, ``0``, ``NULL``;
           ``quote_value(self.effective_default(field))``);
        3. two models from ``body`` (``_table_model``), in one new ``Apps()``:
           one on the table's own name, then ``New<Model>`` on
           ``new__<table>``, whose table ``create_model`` makes;
        4. ``INSERT INTO "new__<table>" (<columns>) SELECT <expressions> FROM
           "<table>"`` (``sql_copy_rows``), once ``check_copied_columns`` has
           found every old column the expressions read in the table;
        5. drop the old table with a plain ``DROP TABLE`` (not ``delete_model``,
           which would drop its many-to-many tables too), forget the
           statements still queued for it in ``self.deferred_sql`` (an index
           ``create_model`` queued earlier in the same block: it went with the
           table, and step 5 makes it again),
           rename the new table to the old name (``alter_db_table``), and run
           the other queued statements with the first model's indexes
           (``table_indexes_sql``).

        The copies in step 1 are ``copy.deepcopy`` of the fields, except a
        foreign key to ``model`` itself: that one is ``field.clone()``, so it
        points at the rebuilt model, not at the old class.

        Run it all inside ``transaction.atomic``, so that a failure undoes
        every step. If an INSERT fails, raise ``IntegrityError`` with the
        message::

            Could not rebuild table '<table>': <the database's error>. The table and its rows are unchanged.

        If foreign keys are still enforced (the editor was entered inside an
        open transaction), raise ``NotSupportedError`` before changing anything,
        with Django's message (``NOT_SUPPORTED_MESSAGE``).
        """
        from tinyframe.apps.registry import Apps
        from tinyframe.db import IntegrityError, NotSupportedError, transaction

        if not self.collect_sql and not self.constraints_disabled:
            raise NotSupportedError(NOT_SUPPORTED_MESSAGE)
        opts = model._meta
        # Step 1 and 2: the new table's fields by name, and how each new column is filled.
        # A key to the table itself is made afresh (``clone()``), to point at the rebuilt model.
        body = {
            field.name: field.clone() if field.is_relation and field.related_model is model else copy.deepcopy(field)
            for field in opts.local_concrete_fields
        }
        mapping = {field.column: self.quote_name(field.column) for field in opts.local_concrete_fields}
        renamed = {}
        new_primary_key = getattr(create_field, "primary_key", False) or any(
            new.primary_key for _, new in alter_fields
        )
        if new_primary_key:
            # The old key stops being the key; an automatic "id" goes altogether.
            altered_names = {new.name for _, new in alter_fields}
            for name, field in list(body.items()):
                if field.primary_key and name not in altered_names:
                    if field.auto_created:
                        del body[name]
                        del mapping[field.column]
                    else:
                        field.primary_key = False
        if create_field is not None:
            body[create_field.name] = create_field
            mapping[create_field.column] = quote_value(self.effective_default(create_field))
        for old_field, new_field in alter_fields:
            body.pop(old_field.name, None)
            mapping.pop(old_field.column, None)
            body[new_field.name] = new_field
            renamed[old_field.name] = new_field.name
            if old_field.null and not new_field.null:
                default = quote_value(self.effective_default(new_field))
                mapping[new_field.column] = f"coalesce({self.quote_name(old_field.column)}, {default})"
            else:
                mapping[new_field.column] = self.quote_name(old_field.column)
        if delete_field is not None:
            del body[delete_field.name]
            mapping.pop(delete_field.column, None)
        # Step 3: the final model (for the indexes) and the new__ one (for the table).
        table = opts.db_table
        apps = Apps()
        final_model = self._table_model(apps, model, model._meta.object_name, body, renamed, delete_field, table)
        new_model = self._table_model(
            apps, model, f"New{model._meta.object_name}", body, renamed, delete_field, f"new__{table}"
        )
        if not self.collect_sql:
            self.check_copied_columns(table, mapping)
        # Steps 3 to 5 in one transaction (a savepoint inside the editor's), so a failure undoes them all.
        with contextlib.nullcontext() if self.collect_sql else transaction.atomic(self.connection.alias):
            queued, self.deferred_sql = self.deferred_sql, []
            self.create_model(new_model)
            self.deferred_sql = queued  # new_model's indexes are not wanted: final_model's come after the swap
            # Step 4: copy the rows.
            try:
                self.execute(self.sql_copy_rows % {
                    "new_table": self.quote_name(new_model._meta.db_table),
                    "columns": ", ".join(self.quote_name(column) for column in mapping),
                    "values": ", ".join(mapping.values()),
                    "table": self.quote_name(table),
                })  # fmt: skip
            except IntegrityError as error:
                raise IntegrityError(
                    f"Could not rebuild table '{table}': {error}. The table and its rows are unchanged."
                ) from error
            # Step 5: swap the tables, then run the queued statements and the indexes, as Django does here.
            quoted = self.quote_name(table)
            self.execute(self.sql_delete_table % {"table": quoted})
            self.deferred_sql = [sql for sql in self.deferred_sql if f" ON {quoted} " not in sql]
            self.alter_db_table(new_model, new_model._meta.db_table, table)
            statements, self.deferred_sql = self.deferred_sql + self.table_indexes_sql(final_model), []
            for sql in statements:
                self.execute(sql)

    def check_copied_columns(self, table: str, mapping: dict) -> None:
        """Raise ProgrammingError if a rebuild's ``mapping`` reads a column ``table`` does not have.

        SQLite reads a double-quoted name that is no column as a string:
        ``SELECT "r1" FROM t`` on a table without ``r1`` gives the text
        ``'r1'`` for every row. A rebuild given the wrong old field would
        overwrite a column's data with its name, and say nothing.
        """
        from tinyframe.db import ProgrammingError

        with self.connection.cursor() as cursor:
            columns = [info.name for info in self.connection.introspection.get_table_description(cursor, table)]
        for new_column, expression in mapping.items():
            old_column = copied_column(expression)
            # SQLite's column names are case-insensitive.
            if old_column is not None and old_column.lower() not in {column.lower() for column in columns}:
                raise ProgrammingError(
                    f"Could not rebuild table '{table}': column '{new_column}' would be copied from column "
                    f"'{old_column}', which the table does not have (its columns are: {', '.join(columns)}). "
                    f"The table and its rows are unchanged."
                )

    def _table_model(self, apps, model, name: str, body: dict, renamed: dict, delete_field, db_table: str):
        """A model class ``name`` for the rebuilt table in registry ``apps``: ``body``'s fields, ``model``'s options.

        Two are made in one throwaway registry: one with the table's final name
        first (a key to the model itself resolves to it, so it points at the
        final table), then ``New<Model>`` on ``new__<table>``.
        """
        opts = model._meta
        unique_together = [[renamed.get(name, name) for name in names] for names in opts.unique_together]
        indexes = opts.indexes
        if delete_field is not None:
            unique_together = [names for names in unique_together if delete_field.name not in names]
            indexes = [index for index in indexes if delete_field.name not in index.fields]
        meta = type("Meta", (), {
            "app_label": opts.app_label,
            "db_table": db_table,
            "unique_together": unique_together,
            "indexes": indexes,
            "constraints": list(opts.constraints),
            "apps": apps,
        })  # fmt: skip
        attrs = {name: copy.deepcopy(field) for name, field in body.items()}
        for field in attrs.values():
            if field.is_relation:
                # A throwaway model needs no way back; a related_name would clash with the real model's own.
                field.remote_field.related_name = "+"
        attrs.update({"Meta": meta, "__module__": model.__module__})
        return type(name, model.__bases__, attrs)

    def table_indexes_sql(self, model) -> list:
        """The statements ``create_model`` queues after CREATE TABLE: unique_together, partial uniques, indexes."""
        statements = [self.unique_together_sql(model, names) for names in model._meta.unique_together]
        for constraint in model._meta.constraints:
            statement = constraint.create_sql(model, self)
            if statement:
                statements.append(statement)
        statements.extend(self.model_indexes_sql(model))
        return statements

    def effective_default(self, field):
        """``effective_default(field)`` as the database stores it (a date as text, a bool as 0/1...)."""
        return field.get_db_prep_save(effective_default(field), self.connection)

    def field_index_sql(self, model, field) -> str:
        """``CREATE INDEX`` for one ``db_index`` field, with Django's name for it."""
        table = model._meta.db_table
        return self.sql_create_index % {
            "name": self.quote_name(index_name(table, [field.column])),
            "table": self.quote_name(table),
            "columns": self.quote_name(field.column),
        }
