"""The schema editor: the SQL it writes (Django's, byte for byte), and what the tables then enforce.

The expected statements were collected from Django 5.2's SQLite schema editor
for the same model (``connection.schema_editor(collect_sql=True)``).
"""

import pytest

from tinyframe.apps.registry import Apps
from tinyframe.db import IntegrityError, OperationalError, connection, models
from tinyframe.db.backends.sqlite3.schema import DatabaseSchemaEditor, index_name, inline_params


class SchemaBook(models.Model):
    title = models.CharField(max_length=100, unique=True)
    slug = models.SlugField()
    stock = models.PositiveIntegerField(null=True)
    data = models.JSONField()
    uid = models.UUIDField(db_index=True)
    price = models.DecimalField(max_digits=5, decimal_places=2)
    a = models.IntegerField()
    b = models.IntegerField()

    class Meta:
        app_label = "schema_tests"
        db_table = "library_book"
        unique_together = [("a", "b")]
        indexes = [models.Index(fields=["-a", "b"]), models.Index(fields=["title"], name="t_idx")]
        constraints = [
            models.UniqueConstraint(fields=["a"], name="ua"),
            models.CheckConstraint(condition=models.Q(models.Q(a__gte=0), ~models.Q(title="x")), name="c1"),
            models.UniqueConstraint(fields=["b"], condition=models.Q(a=1), name="ub"),
        ]


class SchemaNote(models.Model):
    text = models.TextField()

    class Meta:
        app_label = "schema_tests"
        indexes = [models.Index(fields=["text"], name="t_idx")]


DJANGO_SQL = [
    'CREATE TABLE "library_book" ("id" integer NOT NULL PRIMARY KEY AUTOINCREMENT, "title" varchar(100) NOT NULL '
    'UNIQUE, "slug" varchar(50) NOT NULL, "stock" integer unsigned NULL CHECK ("stock" >= 0), "data" text NOT NULL '
    'CHECK ((JSON_VALID("data") OR "data" IS NULL)), "uid" char(32) NOT NULL, "price" decimal NOT NULL, "a" integer '
    'NOT NULL, "b" integer NOT NULL, CONSTRAINT "ua" UNIQUE ("a"), CONSTRAINT "c1" CHECK (("a" >= 0 AND NOT '
    "(\"title\" = 'x'))));",
    'CREATE UNIQUE INDEX "library_book_a_b_e848ba37_uniq" ON "library_book" ("a", "b");',
    'CREATE UNIQUE INDEX "ub" ON "library_book" ("b") WHERE "a" = 1;',
    'CREATE INDEX "library_book_slug_c4f98edd" ON "library_book" ("slug");',
    'CREATE INDEX "library_book_uid_dd219b88" ON "library_book" ("uid");',
    'CREATE INDEX "library_boo_a_09b53d_idx" ON "library_book" ("a" DESC, "b");',
    'CREATE INDEX "t_idx" ON "library_book" ("title");',
]


def schema_objects(table: str) -> list:
    with connection.cursor() as cursor:
        cursor.execute("SELECT name FROM sqlite_master WHERE tbl_name = %s AND sql IS NOT NULL ORDER BY name", [table])
        return [row[0] for row in cursor.fetchall()]


def insert(sql: str, params=()) -> None:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


def test_create_model_writes_djangos_sql():
    with connection.schema_editor(collect_sql=True) as editor:
        editor.create_model(SchemaBook)
    for number, (ours, djangos) in enumerate(zip(editor.collected_sql, DJANGO_SQL), 1):
        assert ours == djangos, f"statement {number} differs from Django's"
    assert len(editor.collected_sql) == len(DJANGO_SQL)
    assert schema_objects("library_book") == [], "collecting SQL runs nothing"


def test_create_model_makes_the_table_and_its_indexes_and_delete_model_drops_them():
    with connection.schema_editor() as editor:
        editor.create_model(SchemaBook)
    try:
        assert schema_objects("library_book") == [
            "library_boo_a_09b53d_idx", "library_book", "library_book_a_b_e848ba37_uniq",
            "library_book_slug_c4f98edd", "library_book_uid_dd219b88", "t_idx", "ub",
        ]  # fmt: skip
    finally:
        with connection.schema_editor() as editor:
            editor.delete_model(SchemaBook)
    assert schema_objects("library_book") == []


def test_the_editor_is_the_connections(tables):
    assert isinstance(connection.schema_editor(), DatabaseSchemaEditor)


ROW = (
    'INSERT INTO "library_book" ("title", "slug", "stock", "data", "uid", "price", "a", "b") '
    "VALUES (%s, 's', %s, %s, 'u', 1, %s, %s)"
)


def test_the_table_enforces_types_checks_and_uniqueness(tables):
    tables(SchemaBook)
    insert(ROW, ["first", 1, "{}", 1, 1])
    refused = [
        (["neg", -1, "{}", 2, 2], "a positive integer field refuses -1"),
        (["json", 1, "{not json", 3, 3], "a JSON field refuses text that is not JSON"),
        (["first", 1, "{}", 4, 4], "a unique field refuses a duplicate"),
        (["together", 1, "{}", 5, 5], None),
        (["again", 1, "{}", 5, 5], "unique_together refuses the same pair"),
        (["x", 1, "{}", 6, 6], "the check constraint refuses title 'x'"),
        (["negative a", 1, "{}", -7, 7], "the check constraint refuses a < 0"),
        (["dup a", 1, "{}", 1, 8], "a UniqueConstraint refuses a duplicate"),
    ]
    for params, why in refused:
        if why is None:
            insert(ROW, params)
            continue
        with pytest.raises(IntegrityError):
            insert(ROW, params)
            pytest.fail(f"inserted {params}, but {why}")


def test_a_conditional_unique_constraint_is_a_partial_index(tables):
    tables(SchemaBook)
    insert(ROW, ["one", 1, "{}", 1, 9])
    insert(ROW, ["two", 1, "{}", 2, 9])  # b repeats, but a != 1: allowed
    with pytest.raises(IntegrityError):
        insert('UPDATE "library_book" SET "b" = 9, "a" = 1 WHERE "title" = %s', ["two"])


def test_a_failing_index_rolls_back_the_whole_block():
    with pytest.raises(OperationalError, match="t_idx already exists"):
        with connection.schema_editor() as editor:
            editor.create_model(SchemaBook)
            editor.create_model(SchemaNote)
    assert schema_objects("library_book") == [] and schema_objects(SchemaNote._meta.db_table) == []
    assert not connection.in_atomic_block


def test_an_error_inside_the_block_runs_no_deferred_statement():
    with pytest.raises(ZeroDivisionError):
        with connection.schema_editor() as editor:
            editor.create_model(SchemaBook)
            1 / 0
    assert schema_objects("library_book") == []


def test_nullable_and_unique_columns():
    class SchemaColumns(models.Model):
        code = models.CharField(max_length=3, null=True, unique=True, db_index=True)
        when = models.DateTimeField(db_column="at")

        class Meta:
            app_label = "schema_tests"
            apps = Apps(installed_apps=None)

    with connection.schema_editor(collect_sql=True) as editor:
        editor.create_model(SchemaColumns)
    assert editor.collected_sql == [
        'CREATE TABLE "schema_tests_schemacolumns" ("id" integer NOT NULL PRIMARY KEY AUTOINCREMENT, '
        '"code" varchar(3) NULL UNIQUE, "at" datetime NOT NULL);'
    ], "a unique column needs no index of its own"


INDEX_NAMES = [
    ("library_book", ["slug"], "", "library_book_slug_c4f98edd"),
    ("library_book", ["a", "b"], "_uniq", "library_book_a_b_e848ba37_uniq"),
    ("reviews", ["stars"], "", "reviews_stars_e0c87d8d"),
    ("1abc", ["x"], "", "1abc_x_91a889fd"),
    ("t" * 120, ["c" * 100], "", f"{'t' * 95}_{'c' * 95}_4227bfbc"),
]


def test_index_names_are_djangos(check_rows):
    def check(table, columns, suffix, expected):
        assert index_name(table, columns, suffix) == expected

    check_rows(INDEX_NAMES, check)


def test_unnamed_meta_indexes_get_djangos_names():
    class SchemaIndexed(models.Model):
        n = models.IntegerField()

        class Meta:
            app_label = "x"
            db_table = "x_q1"
            apps = Apps(installed_apps=None)
            indexes = [models.Index(fields=["n"]), models.Index(fields=["-n"])]

    assert [index.name for index in SchemaIndexed._meta.indexes] == ["x_q1_n_64751a_idx", "x_q1_n_4d1245_idx"]


def test_bad_index_and_constraint_definitions_are_refused():
    cases = [
        (lambda: models.Index(fields="a"), ValueError, "Index.fields must be a list or tuple."),
        (lambda: models.Index(), ValueError, "At least one field or expression is required to define an index."),
        (lambda: models.Index(fields=["a"], condition=models.Q(a=1)), ValueError, "An index must be named to use condition."),
        (lambda: models.UniqueConstraint(name="x"), ValueError,
         "At least one field or expression is required to define a unique constraint."),
        (lambda: models.UniqueConstraint(fields=["a"]), ValueError, "A unique constraint must be named."),
        (lambda: models.UniqueConstraint(fields=["a"], name="x", condition=1), ValueError,
         "UniqueConstraint.condition must be a Q instance."),
        (lambda: models.CheckConstraint(condition=1, name="x"), TypeError,
         "CheckConstraint.condition must be a Q instance or boolean expression."),
    ]  # fmt: skip
    for make, exception, message in cases:
        with pytest.raises(exception) as caught:
            make()
        assert str(caught.value) == message


def test_check_constraint_accepts_the_old_check_name_with_a_warning():
    with pytest.warns(DeprecationWarning, match="CheckConstraint.check is deprecated in favor of `.condition`."):
        constraint = models.CheckConstraint(check=models.Q(a=1), name="z")
    assert constraint.condition == models.Q(a=1)
    assert repr(constraint) == "<CheckConstraint: condition=(AND: ('a', 1)) name='z'>"
    assert repr(models.UniqueConstraint(fields=["a"], name="ua")) == "<UniqueConstraint: fields=('a',) name='ua'>"
    assert repr(models.Index(fields=["-a", "b"], name="i")) == "<Index: fields=['-a', 'b'] name='i'>"


def test_inline_params_needs_one_parameter_per_placeholder():
    assert inline_params('"a" = ? OR "b" = ?', [1, None]) == '"a" = 1 OR "b" = NULL'
    with pytest.raises(ValueError, match="1 parameters for 2 placeholders"):
        inline_params('"a" = ? OR "b" = ?', [1])


def test_a_partial_index_has_a_where_clause():
    index = models.Index(fields=["title"], name="open_titles", condition=models.Q(stock__gt=0))
    assert index.create_sql(SchemaBook, connection.schema_editor()) == (
        'CREATE INDEX "open_titles" ON "library_book" ("title") WHERE "stock" > 0'
    )
    assert index == models.Index(fields=["title"], name="open_titles", condition=models.Q(stock__gt=0))
    assert len({index, models.Index(fields=["title"], name="open_titles", condition=models.Q(stock__gt=0))}) == 1
    assert repr(index) == "<Index: fields=['title'] name='open_titles' condition=(AND: ('stock__gt', 0))>"
    assert (index == "open_titles") is False
    with pytest.raises(ValueError, match="Index.condition must be a Q instance."):
        models.Index(fields=["title"], name="x", condition="stock > 0")


def test_an_index_name_never_starts_with_an_underscore_or_digit():
    class SchemaOddTable(models.Model):
        n = models.IntegerField()

        class Meta:
            app_label = "schema_tests"
            db_table = "_odd"
            apps = Apps(installed_apps=None)
            indexes = [models.Index(fields=["n"])]

    assert SchemaOddTable._meta.indexes[0].name.startswith("Dodd_n_")


def test_constraints_compare_and_carry_their_own_message_and_code():
    first = models.CheckConstraint(
        condition=models.Q(a__gte=0), name="c", violation_error_message="“%(name)s” says no.", violation_error_code="neg"
    )
    assert first == models.CheckConstraint(
        condition=models.Q(a__gte=0), name="c", violation_error_message="“%(name)s” says no.", violation_error_code="neg"
    )
    assert first != models.UniqueConstraint(fields=["a"], name="c") and hash(first) == hash(first)
    error = first.violation()
    assert (error.messages, error.code) == (["“c” says no."], "neg")
    with pytest.raises(NotImplementedError):
        models.constraints.BaseConstraint(name="b").validate(SchemaBook, SchemaBook())
    assert models.constraints.BaseConstraint(name="b").constraint_sql(SchemaBook, None) is None
    assert repr(models.UniqueConstraint(fields=["b"], name="ub", condition=models.Q(a=1))) == (
        "<UniqueConstraint: fields=('b',) name='ub' condition=(AND: ('a', 1))>"
    )


def test_constraint_validation_skips_excluded_fields_and_nulls(tables):
    tables(SchemaBook)
    check, unique, partial = (SchemaBook._meta.constraints[index] for index in (1, 0, 2))
    bad = SchemaBook(title="x", a=-1, b=1)
    check.validate(SchemaBook, bad, exclude={"a"})
    unique.validate(SchemaBook, SchemaBook(a=None))
    unique.validate(SchemaBook, bad, exclude={"a"})
    partial.validate(SchemaBook, SchemaBook(a=1, b=1), exclude={"a"})
