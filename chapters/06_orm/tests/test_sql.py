"""The SQL a QuerySet compiles to (``str(qs.query)``, as Django writes it), and the per-shape SQL cache."""

import random

import pytest

from tinyframe.db import connection, models
from tinyframe.db.models import Count, F, Q, Sum, Value
from tinyframe.db.models.lookups import EmptyResultSet
from tinyframe.db.models.sql import compiler as sql_compiler


class SqBook(models.Model):
    title = models.CharField(max_length=100)
    pages = models.IntegerField(default=0)

    class Meta:
        app_label = "sql_tests"


B = SqBook.objects
COLUMNS = '"sql_tests_sqbook"."id", "sql_tests_sqbook"."title", "sql_tests_sqbook"."pages"'
SELECT = f'SELECT {COLUMNS} FROM "sql_tests_sqbook"'

# What Django 5.2 prints for the same QuerySets (str(qs.query) writes values in, unquoted).
DJANGO_SQL = [
    (lambda: B.all(), SELECT),
    (lambda: B.filter(title="Dune"), f'{SELECT} WHERE "sql_tests_sqbook"."title" = Dune'),
    (lambda: B.filter(title="Dune", pages__gt=3), f'{SELECT} WHERE ("sql_tests_sqbook"."pages" > 3 AND "sql_tests_sqbook"."title" = Dune)'),
    (lambda: B.filter(Q(pages=1) | ~Q(title="b")), f'{SELECT} WHERE ("sql_tests_sqbook"."pages" = 1 OR NOT ("sql_tests_sqbook"."title" = b))'),
    (lambda: B.exclude(title="a"), f'{SELECT} WHERE NOT ("sql_tests_sqbook"."title" = a)'),
    (lambda: B.filter(title__in=["a", "b"]), f'{SELECT} WHERE "sql_tests_sqbook"."title" IN (a, b)'),
    (lambda: B.filter(title=None), f'{SELECT} WHERE "sql_tests_sqbook"."title" IS NULL'),
    (lambda: B.filter(title__isnull=False), f'{SELECT} WHERE "sql_tests_sqbook"."title" IS NOT NULL'),
    (lambda: B.filter(pages__range=(1, 3)), f'{SELECT} WHERE "sql_tests_sqbook"."pages" BETWEEN 1 AND 3'),
    (lambda: B.filter(title__icontains="a%b"), f'{SELECT} WHERE "sql_tests_sqbook"."title" LIKE %a\\%b% ESCAPE \'\\\''),
    (lambda: B.filter(title__iexact="x"), f'{SELECT} WHERE "sql_tests_sqbook"."title" LIKE x ESCAPE \'\\\''),
    (lambda: B.filter(title__istartswith="x"), f'{SELECT} WHERE "sql_tests_sqbook"."title" LIKE x% ESCAPE \'\\\''),
    (lambda: B.filter(title__regex="^a"), f'{SELECT} WHERE "sql_tests_sqbook"."title" REGEXP ^a'),
    (lambda: B.filter(pages=F("pages") + 1), f'{SELECT} WHERE "sql_tests_sqbook"."pages" = ("sql_tests_sqbook"."pages" + 1)'),
    (lambda: B.order_by("-pages", "title"), f'{SELECT} ORDER BY "sql_tests_sqbook"."pages" DESC, "sql_tests_sqbook"."title" ASC'),
    (lambda: B.order_by("pk"), f'{SELECT} ORDER BY "sql_tests_sqbook"."id" ASC'),
    (lambda: B.all()[:3], f"{SELECT} LIMIT 3"),
    (lambda: B.all()[3:], f"{SELECT} LIMIT -1 OFFSET 3"),
    (lambda: B.all()[2:5], f"{SELECT} LIMIT 3 OFFSET 2"),
    (lambda: B.only("title"), 'SELECT "sql_tests_sqbook"."id", "sql_tests_sqbook"."title" FROM "sql_tests_sqbook"'),
    (lambda: B.values("title"), 'SELECT "sql_tests_sqbook"."title" AS "title" FROM "sql_tests_sqbook"'),
    (lambda: B.values_list("pages", flat=True).distinct(), 'SELECT DISTINCT "sql_tests_sqbook"."pages" AS "pages" FROM "sql_tests_sqbook"'),
    (lambda: B.filter(pk__in=B.filter(title="a")), f'{SELECT} WHERE "sql_tests_sqbook"."id" IN (SELECT U0."id" FROM "sql_tests_sqbook" U0 WHERE U0."title" = a)'),
    (lambda: B.annotate(n=Count("id")), f'SELECT {COLUMNS}, COUNT("sql_tests_sqbook"."id") AS "n" FROM "sql_tests_sqbook" GROUP BY {COLUMNS}'),
    (lambda: B.annotate(double=F("pages") * 2), f'SELECT {COLUMNS}, ("sql_tests_sqbook"."pages" * 2) AS "double" FROM "sql_tests_sqbook"'),
    # An empty Q() adds no condition, wherever it stands, and an empty side of | matches every row.
    (lambda: B.exclude(Q()), SELECT),
    (lambda: B.filter(title="a").exclude(Q()), f'{SELECT} WHERE "sql_tests_sqbook"."title" = a'),
    (lambda: B.filter(Q(pages=1) | Q(Q())), f'{SELECT} WHERE "sql_tests_sqbook"."pages" = 1'),
    (lambda: B.filter(pages=1) | B.filter(), SELECT),
    # An annotation the SELECT leaves out is ordered by its expression: there is no alias to name.
    (lambda: B.annotate(d=-F("pages")).order_by("d").values_list("title", flat=True), 'SELECT "sql_tests_sqbook"."title" AS "title" FROM "sql_tests_sqbook" ORDER BY ("sql_tests_sqbook"."pages" * -1) ASC'),
    (lambda: B.alias(d=F("pages") * -1).order_by("d"), f'{SELECT} ORDER BY ("sql_tests_sqbook"."pages" * -1) ASC'),
    # SELECT DISTINCT selects the ORDER BY columns too.
    (lambda: B.order_by("title").values_list("pages", flat=True).distinct(), 'SELECT DISTINCT "sql_tests_sqbook"."pages" AS "pages", "sql_tests_sqbook"."title" FROM "sql_tests_sqbook" ORDER BY "sql_tests_sqbook"."title" ASC'),
]

# Where tinyframe deliberately writes other SQL than Django (see the lookups module).
OWN_SQL = [
    (lambda: B.filter(title__contains="a*b"), f'{SELECT} WHERE "sql_tests_sqbook"."title" GLOB *a[*]b*'),
    (lambda: B.filter(title__startswith="x"), f'{SELECT} WHERE "sql_tests_sqbook"."title" GLOB x*'),
    (lambda: B.values("title").annotate(n=Count("id")), 'SELECT "sql_tests_sqbook"."title" AS "title", COUNT("sql_tests_sqbook"."id") AS "n" FROM "sql_tests_sqbook" GROUP BY "sql_tests_sqbook"."title"'),
    # Django 5.2 writes the same but GROUP BY 1 (the position) where tinyframe names the column.
    (lambda: B.values("title").annotate(s=Sum("pages")).order_by("-s").values_list("title", flat=True), 'SELECT "sql_tests_sqbook"."title" AS "title" FROM "sql_tests_sqbook" GROUP BY "sql_tests_sqbook"."title" ORDER BY SUM("sql_tests_sqbook"."pages") DESC'),
    (lambda: B.values("pages").order_by("title").annotate(n=Count("id")), 'SELECT "sql_tests_sqbook"."pages" AS "pages", COUNT("sql_tests_sqbook"."id") AS "n" FROM "sql_tests_sqbook" GROUP BY "sql_tests_sqbook"."pages", "sql_tests_sqbook"."title" ORDER BY "sql_tests_sqbook"."title" ASC'),
]


def test_str_query_is_djangos_sql(check_rows):
    def check(make_queryset, expected):
        queryset = make_queryset()
        assert str(queryset.query) == expected, f"str(query) is\n{queryset.query}\nexpected\n{expected}"

    check_rows(DJANGO_SQL + OWN_SQL, check)


def test_values_are_parameters_never_sql():
    sql, params = B.filter(title="x'; DROP TABLE t; --", pages__in=[1, 2])[:5].query.sql_with_params()
    assert "DROP" not in sql and "?" in sql
    assert list(params) == [2, 1, "x'; DROP TABLE t; --", 5] or list(params) == [1, 2, "x'; DROP TABLE t; --", 5]


def test_a_query_that_matches_nothing_has_no_sql():
    with pytest.raises(EmptyResultSet):
        B.filter(pk__in=[]).query.sql_with_params()


@pytest.fixture
def fresh_cache(monkeypatch):
    """An empty SQL cache, and a count of the SELECTs actually compiled."""
    monkeypatch.setattr(sql_compiler, "SQL_CACHE", {})
    compiled = []
    original = sql_compiler.SQLCompiler.compile_select

    def counting(self, *args, **kwargs):
        compiled.append(self.query)
        return original(self, *args, **kwargs)

    monkeypatch.setattr(sql_compiler.SQLCompiler, "compile_select", counting)
    return compiled


def test_same_shape_compiles_once_and_shares_the_sql(fresh_cache):
    first_sql, first_params = B.filter(title="a", pages__gt=1).order_by("title")[:10].query.sql_with_params()
    second_sql, second_params = B.filter(title="b", pages__gt=2).order_by("title")[20:30].query.sql_with_params()
    assert len(fresh_cache) == 2, "the first query is compiled; the offset makes the second another shape"
    third_sql, third_params = B.filter(title="c", pages__gt=3).order_by("title")[:5].query.sql_with_params()
    assert len(fresh_cache) == 2, f"a query of a known shape was compiled again: {fresh_cache[-1]}"
    assert third_sql is first_sql
    assert (list(first_params), list(third_params)) == ([1, "a", 10], [3, "c", 5])
    assert second_sql.endswith("LIMIT ? OFFSET ?") and list(second_params) == [2, "b", 10, 20]


def test_different_shapes_get_different_sql(fresh_cache):
    one = B.filter(pk__in=[1]).query.sql_with_params()[0]
    two = B.filter(pk__in=[1, 2]).query.sql_with_params()[0]
    ordered = B.filter(pk__in=[1]).order_by("-pages").query.sql_with_params()[0]
    negated = B.exclude(pk__in=[1]).query.sql_with_params()[0]
    assert len({one, two, ordered, negated}) == 4
    assert len(sql_compiler.SQL_CACHE) == 4


CACHED_QUERIES = [
    lambda n: B.filter(title=f"t{n}"),
    lambda n: B.filter(Q(pages__gte=n) | Q(title__icontains=str(n))).exclude(pages=n + 1),
    lambda n: B.filter(pages__range=(n, n + 5), title__in=["a", str(n)]).order_by("-pages")[n : n + 3],
    lambda n: B.annotate(more=F("pages") + n, tag=Value(f"v{n}")).filter(more__gt=n * 2),
    lambda n: B.values("title").filter(pages__lt=F("pages") * n),
    lambda n: B.only("title").filter(title__startswith=f"x{n}")[:n + 1],
    lambda n: B.filter(title__regex=f"^{n}", title__iexact=f"T{n}").distinct(),
    lambda n: B.annotate(a=Value(n), b=Value(n + 1)).values("b", "title", "a").filter(pages=n),
    lambda n: B.annotate(hidden=Value(n)).values("title").filter(pages=n),
    lambda n: B.annotate(x=Value(n), y=Value(-n)).filter(title=f"t{n}"),
    # Children that compile to no SQL: their values must not reach the parameters either.
    lambda n: B.exclude(Q()).filter(pages=n),
    lambda n: B.filter(title=f"t{n}").exclude(Q()),
    lambda n: B.filter(Q(pages=n) | Q(Q())),
    lambda n: B.filter(pages=n) | B.filter(),
    lambda n: (B.filter(pages=n) | B.all()).filter(title=f"t{n}"),
    lambda n: B.filter(Q(pages__lt=n), Q(title=str(n)) | Q(Q(), _connector="OR")),
    lambda n: B.filter(Q(pages=n) | ~Q(title__in=[])),
    lambda n: B.filter(Q(pages=n) | Q(title=f"t{n}")) & B.exclude(title__in=[]),
    # Orderings whose SQL carries values, or adds columns to a DISTINCT.
    lambda n: B.annotate(d=F("pages") * n).order_by("d").values_list("title", flat=True),
    lambda n: B.alias(d=F("pages") + n).order_by("-d").filter(title=f"t{n}"),
    lambda n: B.order_by("title").values_list("pages", flat=True).distinct().filter(pages__gt=n),
]


def test_cached_sql_and_parameters_match_a_fresh_compile(fresh_cache, check_rows):
    """The honesty check of the cache: for each shape, the shape walk gives the compiler's own parameters."""

    def check(make_queryset):
        for n in (1, 2, 7):
            query = make_queryset(n).query
            compiler = query.get_compiler()
            cached_sql, cached_params = compiler.as_sql()
            fresh_sql, fresh_params = compiler.compile_select()
            assert (cached_sql, list(cached_params)) == (fresh_sql, list(fresh_params)), f"query {n}: {query}"

    check_rows([(make,) for make in CACHED_QUERIES], check)


def random_condition(shapes: random.Random, values: random.Random, depth: int = 0) -> Q:
    """A Q tree whose structure comes from ``shapes`` and whose values from ``values``.

    Its leaves are of every kind the WHERE compiler treats apart: an empty
    ``Q()`` (no condition), ``title__in=[]`` (no row), a column compared with
    itself (not cached), and plain comparisons, under AND, OR and NOT.
    """
    if depth == 3 or shapes.random() < 0.3:
        kind = shapes.randrange(6)
        value = values.randrange(10)
        condition = [
            Q(),
            Q(Q()),
            Q(title__in=[]),
            Q(pages=F("pages")),
            Q(title=f"t{value}"),
            Q(pages__gt=value, title__in=[str(value), "x"]),
        ][kind]
    else:
        children = [random_condition(shapes, values, depth + 1) for _ in range(shapes.randint(1, 3))]
        condition = Q(*children, _connector=shapes.choice([Q.AND, Q.OR]))
    return ~condition if shapes.random() < 0.3 else condition


def compiled(compile_it) -> tuple:
    """``(sql, params)`` of a compile, or the name of the exception that says no SQL is needed."""
    try:
        sql, params = compile_it()
    except EmptyResultSet:
        return "EmptyResultSet"
    return sql, list(params)


def test_random_conditions_compile_alike_from_the_cache_and_fresh(fresh_cache):
    """The cache's honesty over 150 random Q trees, each built twice with other values.

    The second tree of a pair has the first's shape, so its SQL comes from
    the cache: it must still be what a fresh compile writes, with the same
    parameters, as filter(), exclude() and an | of two QuerySets.
    """
    seeds = random.Random(6)
    for case in range(150):
        seed = seeds.random()
        for run in range(2):
            condition = random_condition(random.Random(seed), random.Random(f"{case}-{run}"))
            for queryset in (B.filter(condition), B.exclude(condition), B.filter(pages=run) | B.filter(condition)):
                compiler = queryset.query.get_compiler()
                cached, fresh = compiled(compiler.as_sql), compiled(compiler.compile_select)
                assert cached == fresh, f"case {case}: {condition}\ncached {cached}\nfresh  {fresh}"


def test_a_count_compiles_once_a_shape_and_counts_what_the_rows_say(tables, monkeypatch):
    """count() keeps its SQL per shape as a SELECT does; from the cache it must count what a fresh compile counts."""
    tables(SqBook)
    B.bulk_create([SqBook(title=f"t{n % 4}", pages=n) for n in range(12)])
    monkeypatch.setattr(sql_compiler, "SQL_CACHE", {})
    compiled_counts = []
    original = sql_compiler.SQLAggregateCompiler.compile_aggregates

    def counting(self, aggregates):
        compiled_counts.append(self.query)
        return original(self, aggregates)

    monkeypatch.setattr(sql_compiler.SQLAggregateCompiler, "compile_aggregates", counting)
    assert [B.filter(pages__gt=n).count() for n in (2, 8, 20)] == [9, 3, 0]
    assert len(compiled_counts) == 1, "three counts of one shape compile once"
    assert B.aggregate(top=Sum("pages", filter=Q(title="t1")))["top"] == 1 + 5 + 9
    assert B.aggregate(top=Sum("pages", filter=Q(title="t2")))["top"] == 2 + 6 + 10
    assert len(compiled_counts) == 2, "a filtered aggregate's values are parameters of its shape too"
    assert B.filter(pk__in=[]).count() == 0
    seeds = random.Random(11)
    for case in range(60):
        seed = seeds.random()
        for run in range(2):  # the second condition has the first's shape: its count comes from the cache
            condition = random_condition(random.Random(seed), random.Random(f"{case}-{run}"))
            for queryset in (B.filter(condition), B.exclude(condition)):
                assert queryset.count() == len(list(queryset)), f"case {case}, run {run}: {condition}"


def test_an_annotation_left_out_of_the_select_orders_by_its_expression(tables):
    """order_by() an annotation that values()/values_list() do not select: the rows of Django 5.2.

    There is no column "d" to name: SQLite reads ``ORDER BY "d"`` as the
    string 'd', the same for every row, and returned them in any order.
    Django orders by the annotation's expression, and so does tinyframe.
    """
    tables(SqBook)
    for title, pages in [("a", 3), ("b", 1), ("c", 2)]:
        SqBook.objects.create(title=title, pages=pages)
    assert list(B.annotate(d=-F("pages")).order_by("d").values_list("title", flat=True)) == ["a", "c", "b"]
    assert list(B.annotate(d=F("pages") * -1).values("title").order_by("-d")) == [{"title": "b"}, {"title": "c"}, {"title": "a"}]
    assert list(B.annotate(d=-F("pages")).order_by("d").values_list("title", "d")) == [("a", -3), ("c", -2), ("b", -1)]
    SqBook.objects.all().delete()
    for title, pages in [("x", 1), ("y", 5), ("x", 3), ("z", 2)]:
        SqBook.objects.create(title=title, pages=pages)
    totals = B.values("title").annotate(s=Sum("pages"))
    assert list(totals.order_by("-s").values_list("title", flat=True)) == ["y", "x", "z"]
    assert list(totals.order_by("s").values_list("title", flat=True)) == ["z", "x", "y"]


def test_distinct_and_group_by_take_in_the_ordering_columns(tables):
    """order_by("title") sorts each row by its title, so DISTINCT and GROUP BY tell rows apart by it: Django 5.2's rows.

    Django adds the ORDER BY columns to a SELECT DISTINCT and to GROUP BY (its
    documentation of distinct() warns of it); the reader never sees the added
    column. count() and aggregate() drop an order that no slice needs first,
    as Django's do, so they count without it.
    """
    tables(SqBook)
    for title, pages in [("a", 1), ("b", 1), ("c", 2)]:
        SqBook.objects.create(title=title, pages=pages)
    by_title = B.order_by("title")
    assert list(by_title.values_list("pages", flat=True).distinct()) == [1, 1, 2]
    assert list(B.order_by("-title").values("pages").distinct()) == [{"pages": 2}, {"pages": 1}, {"pages": 1}]
    assert [tuple(row) for row in by_title.values_list("pages", named=True).distinct()] == [(1,), (1,), (2,)]
    assert list(by_title.values_list("pages", flat=True).distinct().iterator(chunk_size=2)) == [1, 1, 2]
    assert list(by_title.values_list("pages", flat=True).distinct()[1:]) == [1, 2]
    assert list(B.values("pages").order_by("title").annotate(n=Count("id"))) == [
        {"pages": 1, "n": 1}, {"pages": 1, "n": 1}, {"pages": 2, "n": 1},
    ]
    assert by_title.values_list("pages", flat=True).distinct().count() == 2
    assert B.values("pages").order_by("title").annotate(n=Count("id")).count() == 2
    assert B.values("pages").order_by("title").annotate(n=Count("id")).filter(n__gt=1).exists()
    # Ordering by what is selected adds nothing.
    assert list(B.order_by("pages").values_list("pages", flat=True).distinct()) == [1, 2]
    assert list(B.values("pages").annotate(n=Count("id")).order_by("-n")) == [{"pages": 1, "n": 2}, {"pages": 2, "n": 1}]


def test_exists_queries_share_sql_and_leave_annotations_out(fresh_cache):
    for n in (1, 2):
        query = B.annotate(x=Value(n)).filter(title=f"t{n}").query.exists()
        cached_sql, cached_params = query.get_compiler().as_sql()
        assert (cached_sql, list(cached_params)) == (query.get_compiler().compile_select()[0], [f"t{n}", 1])


def test_uncachable_shapes_still_compile(fresh_cache):
    grouped = B.values("title").annotate(n=Count("id"))
    grouped.query.sql_with_params()
    grouped.query.sql_with_params()
    assert len(fresh_cache) == 2 and not sql_compiler.SQL_CACHE


def test_the_cache_is_bounded(monkeypatch, fresh_cache):
    monkeypatch.setattr(sql_compiler, "SQL_CACHE_LIMIT", 3)
    for size in range(1, 6):
        B.filter(pk__in=list(range(size))).query.sql_with_params()
    assert len(sql_compiler.SQL_CACHE) <= 3


def test_cached_queries_run_with_their_own_values(tables, fresh_cache):
    tables(SqBook)
    SqBook.objects.bulk_create([SqBook(title=f"b{i}", pages=i) for i in range(10)])
    connection.force_debug_cursor = True
    try:
        found = [SqBook.objects.get(pk=pk).title for pk in range(1, 11)]
    finally:
        connection.force_debug_cursor = False
    assert found == [f"b{i}" for i in range(10)]
    assert len(fresh_cache) == 1


# --- exercise 06.4: compiling WHERE ------------------------------------------------------------

TITLE, PAGES = '"sql_tests_sqbook"."title"', '"sql_tests_sqbook"."pages"'


def where_of(queryset) -> tuple[str, list]:
    """The WHERE clause a QuerySet compiles to, and its parameters."""
    sql, params = queryset.query.get_compiler(connection=connection).as_sql()
    return sql.partition(" WHERE ")[2], list(params)


@pytest.mark.exercise("06.4")
def test_conditions_join_with_and_in_brackets_values_as_parameters():
    """Two conditions: joined by AND, in brackets; each value a parameter (?), in order."""
    assert where_of(B.filter(title="Dune", pages__gt=3)) == (f"({PAGES} > ? AND {TITLE} = ?)", [3, "Dune"])
    assert where_of(B.filter(title="Dune")) == (f"{TITLE} = ?", ["Dune"]), "one condition needs no brackets"
    assert where_of(B.all()) == ("", []), "no condition, no WHERE"


@pytest.mark.exercise("06.4")
def test_exclude_is_not_around_the_conditions():
    """exclude() negates: NOT (...) around one condition, NOT before the brackets of several."""
    assert where_of(B.exclude(title="a")) == (f"NOT ({TITLE} = ?)", ["a"])
    assert where_of(B.exclude(title="a", pages=2)) == (f"NOT ({PAGES} = ? AND {TITLE} = ?)", [2, "a"])


@pytest.mark.exercise("06.4")
def test_a_condition_that_matches_nothing_decides_the_where(tables):
    """title__in=[] matches no row: with AND the query needs no SQL at all; negated, it matches every row."""
    tables(SqBook)
    SqBook.objects.create(title="a")
    with pytest.raises(EmptyResultSet):
        B.filter(title__in=[], pages=0).query.get_compiler(connection=connection).as_sql()
    assert B.filter(title__in=[]).count() == 0
    assert B.exclude(title__in=[]).count() == 1
    # With OR, a condition that matches nothing adds no row: the other conditions decide alone.
    # (An OR made without |, which is exercise 06.6's.)
    either = Q(title__in=[], pages=2, _connector=Q.OR)
    assert where_of(B.filter(either)) == (f"{PAGES} = ?", [2])
    assert where_of(B.exclude(either)) == (f"NOT ({PAGES} = ?)", [2])
    assert where_of(B.exclude(title__in=[])) == ("", []), "NOT (nothing) is everything: no WHERE"


# --- exercise 06.7: slicing to LIMIT and OFFSET ------------------------------------------------------


def limits(queryset) -> tuple:
    return queryset.query.low_mark, queryset.query.high_mark


@pytest.mark.exercise("06.7")
def test_a_slice_is_limit_and_offset():
    """[2:5] is rows 2, 3 and 4: LIMIT 3 OFFSET 2; [:3] and [3:] leave one end open."""
    assert limits(B.all()[2:5]) == (2, 5)
    assert str(B.all()[2:5].query).endswith("LIMIT 3 OFFSET 2")
    assert limits(B.all()[:3]) == (0, 3) and limits(B.all()[3:]) == (3, None)


@pytest.mark.exercise("06.7")
def test_a_slice_of_a_slice_stays_inside_it():
    """Slicing counts from the slice already taken, and never past its end."""
    assert limits(B.all()[10:20][2:5]) == (12, 15)
    assert limits(B.all()[10:20][5:50]) == (15, 20), "the end of the first slice still holds"
    assert limits(B.all()[10:][:3]) == (10, 13)


@pytest.mark.exercise("06.7")
def test_an_empty_slice_matches_nothing(tables):
    """[5:5], or a slice past the end of the first one, is empty: no query needs to run."""
    tables(SqBook)
    SqBook.objects.create(title="a")
    assert B.all()[5:5].count() == 0
    assert B.all()[:2][3:5].count() == 0
    assert B.all()[:2].count() == 1


def test_a_field_s_column_is_made_once_and_a_copied_field_gets_its_own():
    title = SqBook._meta.get_field("title")
    assert title.cached_col is title.cached_col and title.cached_col.target is title
    first = SqBook.objects.filter(title="x").query
    second = SqBook.objects.filter(title="y").query
    assert first.where.children[0].lhs is second.where.children[0].lhs is title.cached_col

    class Named(models.Model):
        name = models.CharField(max_length=10)

        class Meta:
            abstract = True
            app_label = "sql_tests"

    Named._meta.get_field("name").cached_col  # made on the parent's field before it is copied into each child

    class Person(Named):
        class Meta:
            app_label = "sql_tests"

    class Pet(Named):
        class Meta:
            app_label = "sql_tests"

    for model in (Person, Pet):
        field = model._meta.get_field("name")
        assert field.cached_col.target is field
        assert str(model.objects.filter(name="x").query).startswith(f'SELECT "sql_tests_{model.__name__.lower()}"."id"')
