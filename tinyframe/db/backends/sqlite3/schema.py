"""The schema editor: CREATE TABLE and DROP TABLE for models, in SQLite's dialect.

How it works: ``with connection.schema_editor() as editor:
editor.create_model(Book)`` opens an atomic block, and ``create_model``

1. writes one column definition per concrete field (``column_sql``): the
   quoted column, its type from ``field.db_type`` (``varchar(100)``), then
   ``NOT NULL`` or ``NULL``, ``PRIMARY KEY`` / ``UNIQUE``, ``AUTOINCREMENT``
   for the automatic keys and a ``CHECK`` the field's type needs
   (``"n" >= 0`` for the positive integers);
2. adds the table constraints of ``Meta.constraints`` that CREATE TABLE can
   hold (``CONSTRAINT "name" UNIQUE (...)``, ``CONSTRAINT "name" CHECK
   (...)``) and runs the statement;
3. queues in ``deferred_sql`` what must follow the table: a unique index per
   ``unique_together``, partial unique indexes, an index per ``db_index``
   field, then ``Meta.indexes``. They run when the block ends, or not at all if
   it fails.

With ``collect_sql=True`` nothing runs: each statement is kept in
``collected_sql``, with its parameters written in, to be read or printed.

The SQL is Django's SQLite backend's, type for type and name for name: an
index gets Django's name (``library_book_slug_c4f98edd``), so a database made
by one reads as made by the other. Conditions (``CheckConstraint``,
``UniqueConstraint(condition=...)``, ``Index(condition=...)``) are ``Q``
objects; ``condition_sql`` asks the query compiler to write them, with the
values written in, since DDL takes no parameters.
"""

from tinyframe.db.backends.sqlite3.operations import quote_value

__all__ = ["DatabaseSchemaEditor", "index_name", "inline_params"]

# The longest index name Django makes for a database without a limit of its own.
MAX_NAME_LENGTH = 200


def index_name(table: str, columns: list, suffix: str = "") -> str:
    """The name Django gives the index of ``columns``: table, columns, a hash of them, a suffix.

    A name longer than 200 characters keeps the hash and suffix and shortens
    the table and column parts to fit (then starts with a letter, as some
    databases require).

    >>> index_name("library_book", ["slug"])
    'library_book_slug_c4f98edd'
    >>> index_name("library_book", ["a", "b"], "_uniq")
    'library_book_a_b_e848ba37_uniq'
    """
    from tinyframe.db.models.indexes import names_digest

    hash_and_suffix = f"{names_digest(table, *columns, length=8)}{suffix}"
    joined = "_".join(columns)
    name = f"{table}_{joined}_{hash_and_suffix}"
    if len(name) <= MAX_NAME_LENGTH:
        return name
    hash_and_suffix = hash_and_suffix[: MAX_NAME_LENGTH // 3]
    part_length = (MAX_NAME_LENGTH - len(hash_and_suffix)) // 2 - 1
    name = f"{table[:part_length]}_{joined[:part_length]}_{hash_and_suffix}"
    if name[0] == "_" or name[0].isdigit():
        name = f"D{name[:-1]}"
    return name


def inline_params(sql: str, params) -> str:
    """SQL with each ``?`` placeholder replaced by its parameter written as a literal.

    The query compiler writes values only as placeholders, so every ``?`` is one.

    >>> print(inline_params('"a" >= ? AND "title" = ?', [0, "it's"]))
    "a" >= 0 AND "title" = 'it''s'
    """
    pieces = sql.split("?")
    if len(pieces) != len(params) + 1:
        raise ValueError(f"{len(params)} parameters for {len(pieces) - 1} placeholders in {sql!r}")
    written = [pieces[0]]
    for param, piece in zip(params, pieces[1:]):
        written += [quote_value(param), piece]
    return "".join(written)


class DatabaseSchemaEditor:
    """Creates and drops the tables of models on one connection, inside one atomic block."""

    sql_create_table = "CREATE TABLE %(table)s (%(definition)s)"
    sql_delete_table = "DROP TABLE %(table)s"
    sql_create_index = "CREATE INDEX %(name)s ON %(table)s (%(columns)s)"
    sql_create_unique_index = "CREATE UNIQUE INDEX %(name)s ON %(table)s (%(columns)s)"
    # >>> 07_relations
    # A foreign key's constraint, in its column's definition; checked at COMMIT, as Django's SQLite schema.
    sql_create_inline_fk = "REFERENCES %(to_table)s (%(to_column)s) DEFERRABLE INITIALLY DEFERRED"
    # <<< 07_relations

    def __init__(self, connection, collect_sql: bool = False, atomic: bool = True):
        self.connection = connection
        self.collect_sql = collect_sql
        self.collected_sql = []
        self.atomic_migration = atomic
        self.deferred_sql = []

    def __enter__(self):
        from tinyframe.db import transaction

        self.deferred_sql = []
        if self.atomic_migration and not self.collect_sql:
            self.atomic = transaction.atomic(self.connection.alias)
            self.atomic.__enter__()
        return self

    def __exit__(self, exc_type, exc_value, traceback):
        atomic = self.atomic_migration and not self.collect_sql
        if exc_type is None:
            try:
                for sql in self.deferred_sql:
                    self.execute(sql)
            except BaseException as error:
                # A failed index rolls the table back with it.
                if atomic:
                    self.atomic.__exit__(type(error), error, error.__traceback__)
                raise
        if atomic:
            self.atomic.__exit__(exc_type, exc_value, traceback)

    def quote_name(self, name: str) -> str:
        """A table, column or index name quoted for SQL (``"library_book"``)."""
        return self.connection.ops.quote_name(name)

    def execute(self, sql: str, params=()) -> None:
        """Run one statement, or keep it in ``collected_sql`` when collecting."""
        if self.collect_sql:
            if params:
                sql = inline_params(sql, params)
            self.collected_sql.append(f"{sql};")
            return
        with self.connection.cursor() as cursor:
            cursor.execute(sql, params or None)

    # -- tables ---------------------------------------------------------------------

    def create_model(self, model) -> None:
        """CREATE TABLE for ``model``, then (at the end of the block) its indexes."""
        definitions = []
        for field in model._meta.local_fields:
            definition = self.column_sql(model, field)
            if definition is not None:
                definitions.append(f"{self.quote_name(field.column)} {definition}")
        for constraint in model._meta.constraints:
            clause = constraint.constraint_sql(model, self)
            if clause:
                definitions.append(clause)
            statement = constraint.create_sql(model, self)
            if statement:
                self.deferred_sql.append(statement)
        table = self.quote_name(model._meta.db_table)
        self.execute(self.sql_create_table % {"table": table, "definition": ", ".join(definitions)})
        # Django queues these first, before the constraints' own statements.
        together = [self.unique_together_sql(model, names) for names in model._meta.unique_together]
        self.deferred_sql[:0] = together
        self.deferred_sql.extend(self.model_indexes_sql(model))
        # >>> 07_relations
        # The automatic through tables of the model's many-to-many fields, their indexes after the model's.
        for field in model._meta.local_many_to_many:
            if field.remote_field.through._meta.auto_created:
                queued, self.deferred_sql = self.deferred_sql, []
                self.create_model(field.remote_field.through)
                self.deferred_sql[:0] = queued
        # <<< 07_relations

    def delete_model(self, model) -> None:
        """DROP TABLE for ``model`` (its indexes go with it), and forget its queued statements."""
        # >>> 07_relations
        for field in model._meta.local_many_to_many:
            if field.remote_field.through._meta.auto_created:
                self.delete_model(field.remote_field.through)
        # <<< 07_relations
        table = self.quote_name(model._meta.db_table)
        self.execute(self.sql_delete_table % {"table": table})
        self.deferred_sql = [sql for sql in self.deferred_sql if f" ON {table} " not in sql]

    def column_sql(self, model, field) -> str | None:
        """The column's definition after its name: ``varchar(100) NOT NULL UNIQUE``; None if it has no column."""
        db_type = field.db_type(self.connection)
        if db_type is None:
            return None
        parts = [db_type, "NULL" if field.null else "NOT NULL"]
        if field.primary_key:
            parts.append("PRIMARY KEY")
        elif field.unique:
            parts.append("UNIQUE")
        suffix = field.db_type_suffix(self.connection)
        if suffix:
            parts.append(suffix)
        check = field.db_check(self.connection)
        if check:
            parts.append(f"CHECK ({check})")
        # >>> 07_relations
        if field.is_relation and field.db_constraint:
            target = field.target_field
            parts.append(self.sql_create_inline_fk % {
                "to_table": self.quote_name(target.model._meta.db_table),
                "to_column": self.quote_name(target.column),
            })  # fmt: skip
        # <<< 07_relations
        return " ".join(parts)

    # -- indexes ----------------------------------------------------------------------

    def unique_together_sql(self, model, field_names) -> str:
        """The unique index for one ``unique_together`` set."""
        table = model._meta.db_table
        columns = [model._meta.get_field(name).column for name in field_names]
        return self.sql_create_unique_index % {
            "name": self.quote_name(index_name(table, columns, "_uniq")),
            "table": self.quote_name(table),
            "columns": ", ".join(self.quote_name(column) for column in columns),
        }

    def model_indexes_sql(self, model) -> list:
        """An index per ``db_index`` field (not unique ones: UNIQUE has its own), then ``Meta.indexes``."""
        statements = []
        table = model._meta.db_table
        for field in model._meta.local_fields:
            if field.db_index and not field.unique:
                statements.append(self.sql_create_index % {
                    "name": self.quote_name(index_name(table, [field.column])),
                    "table": self.quote_name(table),
                    "columns": self.quote_name(field.column),
                })  # fmt: skip
        statements.extend(index.create_sql(model, self) for index in model._meta.indexes)
        return statements

    # -- conditions -------------------------------------------------------------------

    def condition_sql(self, model, condition) -> str:
        """A ``Q`` condition as SQL on the model's bare columns, values written in (DDL takes no parameters)."""
        from tinyframe.db.models.sql.query import Query

        query = Query(model)
        where = query.build_where(condition)
        compiler = query.get_compiler(connection=self.connection)
        # A table's own constraints name its columns alone, not "table"."column".
        compiler.qualify = self.quote_name
        sql, params = compiler.compile(where)
        return inline_params(sql, params)

    def instance_matches(self, model, instance, condition, exclude=()) -> bool:
        """Whether an object's own values satisfy a ``Q`` condition, as the database would judge them.

        The values stand in for a row of the table: ``SELECT 1 FROM (SELECT
        %s AS "title", ...) AS "library_book" WHERE <condition>``. So a
        constraint is checked by the same SQL that will enforce it. Fields in
        ``exclude`` (those that failed validation already) are left out.
        """
        from tinyframe.db.models.sql.query import Query

        columns, values = [], []
        for field in model._meta.concrete_fields:
            if field.attname in instance.__dict__ and field.name not in exclude:
                columns.append(f"%s AS {self.quote_name(field.column)}")
                values.append(field.get_db_prep_value(getattr(instance, field.attname), self.connection))
        query = Query(model)
        compiler = query.get_compiler(connection=self.connection)
        condition_sql, params = compiler.compile(query.build_where(condition))
        table = self.quote_name(model._meta.db_table)
        sql = f"SELECT 1 FROM (SELECT {', '.join(columns)}) AS {table} WHERE {condition_sql}"
        with self.connection.cursor() as cursor:
            cursor.execute(sql, [*values, *params])
            return cursor.fetchone() is not None
