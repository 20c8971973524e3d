"""Joins: the FROM clause of a query across relations, its aliases, and its SQL as Django 5.2 writes it.

``Join.as_sql`` is exercise 07.3: one ``INNER JOIN`` / ``LEFT OUTER JOIN``
for one hop. Every query here was run once through Django 5.2 (same models,
same app label) and its ``str(qs.query)`` copied into ``DJANGO_SQL``.
"""

import pytest

from tinyframe.db import models
from tinyframe.db.models import Avg, Count, F, Q
from tinyframe.db.models.sql import compiler as sql_compiler
from tinyframe.db.models.sql.datastructures import INNER, LOUTER, Join, PathInfo


class Author(models.Model):
    name = models.CharField(max_length=50)
    age = models.IntegerField(default=0)

    class Meta:
        app_label = "jn"


class Tag(models.Model):
    name = models.CharField(max_length=20)

    class Meta:
        app_label = "jn"
        ordering = ["name"]


class Book(models.Model):
    title = models.CharField(max_length=50)
    price = models.IntegerField(default=0)
    author = models.ForeignKey(Author, models.CASCADE)
    editor = models.ForeignKey(Author, models.SET_NULL, null=True, related_name="edited")
    tags = models.ManyToManyField(Tag)

    class Meta:
        app_label = "jn"


class Review(models.Model):
    book = models.ForeignKey(Book, models.CASCADE, related_query_name="critique")
    stars = models.IntegerField(default=0)

    class Meta:
        app_label = "jn"


A, B, T, R = Author.objects, Book.objects, Tag.objects, Review.objects
BOOK_COLUMNS = '"jn_book"."id", "jn_book"."title", "jn_book"."price", "jn_book"."author_id", "jn_book"."editor_id"'
AUTHOR_COLUMNS = '"jn_author"."id", "jn_author"."name", "jn_author"."age"'
BOOK = f'SELECT {BOOK_COLUMNS} FROM "jn_book"'
AUTHOR = f'SELECT {AUTHOR_COLUMNS} FROM "jn_author"'

# What Django 5.2 prints for the same QuerySets.
DJANGO_SQL = [
    (lambda: B.filter(author__name__icontains="le"), f'{BOOK} INNER JOIN "jn_author" ON ("jn_book"."author_id" = "jn_author"."id") WHERE "jn_author"."name" LIKE %le% ESCAPE \'\\\''),
    (lambda: A.filter(book__title="Dune"), f'{AUTHOR} INNER JOIN "jn_book" ON ("jn_author"."id" = "jn_book"."author_id") WHERE "jn_book"."title" = Dune'),
    (lambda: B.filter(tags__name="sf"), f'{BOOK} INNER JOIN "jn_book_tags" ON ("jn_book"."id" = "jn_book_tags"."book_id") INNER JOIN "jn_tag" ON ("jn_book_tags"."tag_id" = "jn_tag"."id") WHERE "jn_tag"."name" = sf'),
    (lambda: B.filter(editor__isnull=True), f'{BOOK} WHERE "jn_book"."editor_id" IS NULL'),
    (lambda: B.filter(editor__name__isnull=True), f'{BOOK} LEFT OUTER JOIN "jn_author" ON ("jn_book"."editor_id" = "jn_author"."id") WHERE "jn_author"."name" IS NULL'),
    (lambda: A.filter(book__isnull=True), f'{AUTHOR} LEFT OUTER JOIN "jn_book" ON ("jn_author"."id" = "jn_book"."author_id") WHERE "jn_book"."id" IS NULL'),
    (lambda: B.filter(tags__isnull=True), f'{BOOK} LEFT OUTER JOIN "jn_book_tags" ON ("jn_book"."id" = "jn_book_tags"."book_id") WHERE "jn_book_tags"."tag_id" IS NULL'),
    (lambda: B.filter(tags__name="sf").filter(tags__name="classic"), f'{BOOK} INNER JOIN "jn_book_tags" ON ("jn_book"."id" = "jn_book_tags"."book_id") INNER JOIN "jn_tag" ON ("jn_book_tags"."tag_id" = "jn_tag"."id") INNER JOIN "jn_book_tags" T4 ON ("jn_book"."id" = T4."book_id") INNER JOIN "jn_tag" T5 ON (T4."tag_id" = T5."id") WHERE ("jn_tag"."name" = sf AND T5."name" = classic)'),
    (lambda: B.exclude(tags__name="sf"), f'{BOOK} WHERE NOT (EXISTS(SELECT 1 AS "a" FROM "jn_book_tags" U1 INNER JOIN "jn_tag" U2 ON (U1."tag_id" = U2."id") WHERE (U2."name" = sf AND U1."book_id" = ("jn_book"."id")) LIMIT 1))'),
    (lambda: A.exclude(book__title="Dune"), f'{AUTHOR} WHERE NOT (EXISTS(SELECT 1 AS "a" FROM "jn_book" U1 WHERE (U1."title" = Dune AND U1."author_id" = ("jn_author"."id")) LIMIT 1))'),
    (lambda: A.exclude(book__isnull=True), f'{AUTHOR} WHERE NOT (EXISTS(SELECT 1 AS "a" FROM "jn_author" U0 LEFT OUTER JOIN "jn_book" U1 ON (U0."id" = U1."author_id") WHERE (U1."id" IS NULL AND U0."id" = ("jn_author"."id")) LIMIT 1))'),
    (lambda: A.exclude(book__isnull=False), f'{AUTHOR} WHERE NOT (EXISTS(SELECT 1 AS "a" FROM "jn_book" U1 WHERE (U1."id" IS NOT NULL AND U1."author_id" = ("jn_author"."id")) LIMIT 1))'),
    (lambda: B.exclude(author__name="Ann"), f'{BOOK} INNER JOIN "jn_author" ON ("jn_book"."author_id" = "jn_author"."id") WHERE NOT ("jn_author"."name" = Ann)'),
    (lambda: B.filter(author=3), f'{BOOK} WHERE "jn_book"."author_id" = 3'),
    (lambda: B.filter(author__in=[1, 3]), f'{BOOK} WHERE "jn_book"."author_id" IN (1, 3)'),
    (lambda: B.filter(author__in=A.filter(name="Ann")), f'{BOOK} WHERE "jn_book"."author_id" IN (SELECT U0."id" FROM "jn_author" U0 WHERE U0."name" = Ann)'),
    (lambda: B.filter(author__id=3), f'{BOOK} WHERE "jn_book"."author_id" = 3'),
    (lambda: B.filter(author=None), f'{BOOK} WHERE "jn_book"."author_id" IS NULL'),
    (lambda: B.filter(editor__edited__title="Dune"), f'{BOOK} INNER JOIN "jn_author" ON ("jn_book"."editor_id" = "jn_author"."id") INNER JOIN "jn_book" T3 ON ("jn_author"."id" = T3."editor_id") WHERE T3."title" = Dune'),
    # A many-valued relation after a prefix: the subquery keeps Django's numbering (U2 after the trimmed U0, U1)...
    (lambda: B.exclude(author__book__price__gt=25), f'{BOOK} WHERE NOT (EXISTS(SELECT 1 AS "a" FROM "jn_book" U2 WHERE (U2."price" > 25 AND U2."author_id" = ("jn_book"."author_id")) LIMIT 1))'),
    # ...the outer query joins the table the subquery reads (it read a column of a table it had not joined)...
    (lambda: R.exclude(book__author__edited__title="Dune"), 'SELECT "jn_review"."id", "jn_review"."book_id", "jn_review"."stars" FROM "jn_review" INNER JOIN "jn_book" ON ("jn_review"."book_id" = "jn_book"."id") WHERE NOT (EXISTS(SELECT 1 AS "a" FROM "jn_book" U3 WHERE (U3."title" = Dune AND U3."editor_id" = ("jn_book"."author_id")) LIMIT 1))'),
    # ...and a table this filter() joined as T3 is the same row inside the NOT, as for a table joined by its name.
    (lambda: B.filter(Q(author__book__price__gt=25) | ~Q(author__book__price__gt=25)), f'{BOOK} INNER JOIN "jn_author" ON ("jn_book"."author_id" = "jn_author"."id") LEFT OUTER JOIN "jn_book" T3 ON ("jn_author"."id" = T3."author_id") WHERE (T3."price" > 25 OR NOT (EXISTS(SELECT 1 AS "a" FROM "jn_book" U2 WHERE (U2."price" > 25 AND U2."id" = (T3."id")) LIMIT 1)))'),
    (lambda: R.filter(book__author__name="Ann"), 'SELECT "jn_review"."id", "jn_review"."book_id", "jn_review"."stars" FROM "jn_review" INNER JOIN "jn_book" ON ("jn_review"."book_id" = "jn_book"."id") INNER JOIN "jn_author" ON ("jn_book"."author_id" = "jn_author"."id") WHERE "jn_author"."name" = Ann'),
    (lambda: A.filter(book__critique__stars=3), f'{AUTHOR} INNER JOIN "jn_book" ON ("jn_author"."id" = "jn_book"."author_id") INNER JOIN "jn_review" ON ("jn_book"."id" = "jn_review"."book_id") WHERE "jn_review"."stars" = 3'),
    (lambda: B.filter(Q(editor__name="Ann") | Q(title="Dune")), f'{BOOK} LEFT OUTER JOIN "jn_author" ON ("jn_book"."editor_id" = "jn_author"."id") WHERE ("jn_author"."name" = Ann OR "jn_book"."title" = Dune)'),
    (lambda: B.filter(Q(author__name="Ann") | Q(title="Dune")), f'{BOOK} INNER JOIN "jn_author" ON ("jn_book"."author_id" = "jn_author"."id") WHERE ("jn_author"."name" = Ann OR "jn_book"."title" = Dune)'),
    (lambda: B.order_by("author__name"), f'{BOOK} INNER JOIN "jn_author" ON ("jn_book"."author_id" = "jn_author"."id") ORDER BY "jn_author"."name" ASC'),
    (lambda: B.order_by("-author__name", "title"), f'{BOOK} INNER JOIN "jn_author" ON ("jn_book"."author_id" = "jn_author"."id") ORDER BY "jn_author"."name" DESC, "jn_book"."title" ASC'),
    (lambda: B.order_by("author"), f'{BOOK} ORDER BY "jn_book"."author_id" ASC'),
    (lambda: B.order_by("tags"), f'{BOOK} LEFT OUTER JOIN "jn_book_tags" ON ("jn_book"."id" = "jn_book_tags"."book_id") LEFT OUTER JOIN "jn_tag" ON ("jn_book_tags"."tag_id" = "jn_tag"."id") ORDER BY "jn_tag"."name" ASC'),
    (lambda: T.filter(book__title="Dune"), 'SELECT "jn_tag"."id", "jn_tag"."name" FROM "jn_tag" INNER JOIN "jn_book_tags" ON ("jn_tag"."id" = "jn_book_tags"."tag_id") INNER JOIN "jn_book" ON ("jn_book_tags"."book_id" = "jn_book"."id") WHERE "jn_book"."title" = Dune ORDER BY "jn_tag"."name" ASC'),
    (lambda: B.values("author__name"), 'SELECT "jn_author"."name" AS "author__name" FROM "jn_book" INNER JOIN "jn_author" ON ("jn_book"."author_id" = "jn_author"."id")'),
    (lambda: B.values_list("author__name", flat=True), 'SELECT "jn_author"."name" AS "author__name" FROM "jn_book" INNER JOIN "jn_author" ON ("jn_book"."author_id" = "jn_author"."id")'),
    (lambda: A.annotate(n=Count("book")), f'SELECT {AUTHOR_COLUMNS}, COUNT("jn_book"."id") AS "n" FROM "jn_author" LEFT OUTER JOIN "jn_book" ON ("jn_author"."id" = "jn_book"."author_id") GROUP BY {AUTHOR_COLUMNS}'),
    (lambda: B.annotate(n=Count("tags", distinct=True)), f'SELECT {BOOK_COLUMNS}, COUNT(DISTINCT "jn_book_tags"."tag_id") AS "n" FROM "jn_book" LEFT OUTER JOIN "jn_book_tags" ON ("jn_book"."id" = "jn_book_tags"."book_id") GROUP BY {BOOK_COLUMNS}'),
    (lambda: A.annotate(a=Avg("book__price")), f'SELECT {AUTHOR_COLUMNS}, AVG("jn_book"."price") AS "a" FROM "jn_author" LEFT OUTER JOIN "jn_book" ON ("jn_author"."id" = "jn_book"."author_id") GROUP BY {AUTHOR_COLUMNS}'),
    (lambda: A.annotate(n=Count("book")).filter(n__gt=1), f'SELECT {AUTHOR_COLUMNS}, COUNT("jn_book"."id") AS "n" FROM "jn_author" LEFT OUTER JOIN "jn_book" ON ("jn_author"."id" = "jn_book"."author_id") GROUP BY {AUTHOR_COLUMNS} HAVING COUNT("jn_book"."id") > 1'),
    (lambda: A.annotate(n=Count("book")).filter(book__title="Dune"), f'SELECT {AUTHOR_COLUMNS}, COUNT("jn_book"."id") AS "n" FROM "jn_author" LEFT OUTER JOIN "jn_book" ON ("jn_author"."id" = "jn_book"."author_id") INNER JOIN "jn_book" T3 ON ("jn_author"."id" = T3."author_id") WHERE T3."title" = Dune GROUP BY {AUTHOR_COLUMNS}'),
    (lambda: A.filter(book__title="Dune").annotate(n=Count("book")), f'SELECT {AUTHOR_COLUMNS}, COUNT("jn_book"."id") AS "n" FROM "jn_author" INNER JOIN "jn_book" ON ("jn_author"."id" = "jn_book"."author_id") WHERE "jn_book"."title" = Dune GROUP BY {AUTHOR_COLUMNS}'),
    (lambda: B.filter(author__name="Ann").filter(editor__name="Bob"), f'{BOOK} INNER JOIN "jn_author" ON ("jn_book"."author_id" = "jn_author"."id") INNER JOIN "jn_author" T3 ON ("jn_book"."editor_id" = T3."id") WHERE ("jn_author"."name" = Ann AND T3."name" = Bob)'),
    (lambda: A.filter(book__tags__name="sf"), f'{AUTHOR} INNER JOIN "jn_book" ON ("jn_author"."id" = "jn_book"."author_id") INNER JOIN "jn_book_tags" ON ("jn_book"."id" = "jn_book_tags"."book_id") INNER JOIN "jn_tag" ON ("jn_book_tags"."tag_id" = "jn_tag"."id") WHERE "jn_tag"."name" = sf'),
    (lambda: B.filter(tags=3), f'{BOOK} INNER JOIN "jn_book_tags" ON ("jn_book"."id" = "jn_book_tags"."book_id") WHERE "jn_book_tags"."tag_id" = 3'),
    (lambda: B.filter(pk__in=B.filter(tags__name="sf")), f'{BOOK} WHERE "jn_book"."id" IN (SELECT U0."id" FROM "jn_book" U0 INNER JOIN "jn_book_tags" U1 ON (U0."id" = U1."book_id") INNER JOIN "jn_tag" U2 ON (U1."tag_id" = U2."id") WHERE U2."name" = sf)'),
    (lambda: B.filter(author__in=A.filter(book__title="Dune")), f'{BOOK} WHERE "jn_book"."author_id" IN (SELECT U0."id" FROM "jn_author" U0 INNER JOIN "jn_book" U1 ON (U0."id" = U1."author_id") WHERE U1."title" = Dune)'),
    (lambda: B.filter(author__name="Ann", editor__name="Ann"), f'{BOOK} INNER JOIN "jn_author" ON ("jn_book"."author_id" = "jn_author"."id") INNER JOIN "jn_author" T3 ON ("jn_book"."editor_id" = T3."id") WHERE ("jn_author"."name" = Ann AND T3."name" = Ann)'),
    (lambda: B.exclude(tags__name="sf", title="Dune"), f'{BOOK} WHERE NOT (EXISTS(SELECT 1 AS "a" FROM "jn_book_tags" U1 INNER JOIN "jn_tag" U2 ON (U1."tag_id" = U2."id") WHERE (U2."name" = sf AND U1."book_id" = ("jn_book"."id")) LIMIT 1) AND "jn_book"."title" = Dune)'),
    (lambda: B.filter(author__name="a") | B.filter(tags__name="x"), f'{BOOK} INNER JOIN "jn_author" ON ("jn_book"."author_id" = "jn_author"."id") LEFT OUTER JOIN "jn_book_tags" ON ("jn_book"."id" = "jn_book_tags"."book_id") LEFT OUTER JOIN "jn_tag" ON ("jn_book_tags"."tag_id" = "jn_tag"."id") WHERE ("jn_author"."name" = a OR "jn_tag"."name" = x)'),
    (lambda: B.filter(tags__name="a") & B.filter(tags__name="b"), f'{BOOK} INNER JOIN "jn_book_tags" ON ("jn_book"."id" = "jn_book_tags"."book_id") INNER JOIN "jn_tag" ON ("jn_book_tags"."tag_id" = "jn_tag"."id") LEFT OUTER JOIN "jn_book_tags" T4 ON ("jn_book"."id" = T4."book_id") LEFT OUTER JOIN "jn_tag" T5 ON (T4."tag_id" = T5."id") WHERE ("jn_tag"."name" = a AND T5."name" = b)'),
    (lambda: B.filter(tags__name="a") | B.filter(tags__name="b"), f'{BOOK} INNER JOIN "jn_book_tags" ON ("jn_book"."id" = "jn_book_tags"."book_id") INNER JOIN "jn_tag" ON ("jn_book_tags"."tag_id" = "jn_tag"."id") WHERE ("jn_tag"."name" = a OR "jn_tag"."name" = b)'),
    (lambda: B.filter(title="x") | B.filter(editor__name="a"), f'{BOOK} LEFT OUTER JOIN "jn_author" ON ("jn_book"."editor_id" = "jn_author"."id") WHERE ("jn_book"."title" = x OR "jn_author"."name" = a)'),
    (lambda: B.filter(editor__name="a") | B.filter(title="x"), f'{BOOK} LEFT OUTER JOIN "jn_author" ON ("jn_book"."editor_id" = "jn_author"."id") WHERE ("jn_author"."name" = a OR "jn_book"."title" = x)'),
    # Inside a NOT, a many-valued relation is a subquery; on a table this filter() call joined, the same row.
    (lambda: B.filter(Q(tags__name="a") & ~Q(tags__name="b")), f'{BOOK} INNER JOIN "jn_book_tags" ON ("jn_book"."id" = "jn_book_tags"."book_id") INNER JOIN "jn_tag" ON ("jn_book_tags"."tag_id" = "jn_tag"."id") WHERE ("jn_tag"."name" = a AND NOT (EXISTS(SELECT 1 AS "a" FROM "jn_book_tags" U1 INNER JOIN "jn_tag" U2 ON (U1."tag_id" = U2."id") WHERE (U2."name" = b AND U1."id" = ("jn_book_tags"."id")) LIMIT 1)))'),
    (lambda: B.exclude(~Q(tags__name="a")), f'{BOOK} WHERE NOT (NOT (EXISTS(SELECT 1 AS "a" FROM "jn_book_tags" U1 INNER JOIN "jn_tag" U2 ON (U1."tag_id" = U2."id") WHERE (U2."name" = a AND U1."book_id" = ("jn_book"."id")) LIMIT 1)))'),
    (lambda: B.filter(title="Dune").order_by("author__age"), f'{BOOK} INNER JOIN "jn_author" ON ("jn_book"."author_id" = "jn_author"."id") WHERE "jn_book"."title" = Dune ORDER BY "jn_author"."age" ASC'),
]


def join_sql(queryset, alias: str) -> str:
    """The SQL of one join of a queryset's query, compiled as its FROM clause compiles it."""
    query = queryset.query
    sql, params = query.get_compiler().compile(query.alias_map[alias])
    assert params == []
    return sql


@pytest.mark.exercise("07.3")
def test_a_foreign_key_is_an_inner_join_on_its_column():
    sql = join_sql(B.filter(author__name="Ann"), "jn_author")
    assert sql == 'INNER JOIN "jn_author" ON ("jn_book"."author_id" = "jn_author"."id")'


@pytest.mark.exercise("07.3")
def test_a_second_join_to_the_same_table_has_an_alias_and_may_be_left_outer():
    queryset = B.filter(author__name="Ann").filter(Q(editor__name="Bob") | Q(title="Dune"))
    assert join_sql(queryset, "T3") == 'LEFT OUTER JOIN "jn_author" T3 ON ("jn_book"."editor_id" = T3."id")'


@pytest.mark.exercise("07.3")
def test_a_reverse_hop_joins_on_the_other_tables_key():
    sql = join_sql(A.annotate(n=Count("book")), "jn_book")
    assert sql == 'LEFT OUTER JOIN "jn_book" ON ("jn_author"."id" = "jn_book"."author_id")'


@pytest.mark.exercise("07.3")
def test_a_join_inside_a_subquery_uses_the_aliases_of_the_subquery():
    sql = str(B.filter(author__in=A.filter(book__title="Dune")).query)
    assert 'FROM "jn_author" U0 INNER JOIN "jn_book" U1 ON (U0."id" = U1."author_id") WHERE U1."title" = Dune' in sql


@pytest.mark.exercise("07.3")
def test_a_join_writes_every_pair_of_columns_and_no_parameters():
    """A hop on two columns (Django's composite foreign objects) joins on both, with AND."""
    query = B.filter(author__name="Ann").query
    join = Join("jn_author", "jn_book", "T9", INNER, None, False, (("author_id", "id"), ("editor_id", "age")))
    query.alias_map["T9"] = join
    compiler = query.get_compiler()
    assert compiler.compile(join) == (
        'INNER JOIN "jn_author" T9 ON ("jn_book"."author_id" = T9."id" AND "jn_book"."editor_id" = T9."age")',
        [],
    )


@pytest.mark.exercise("07.3")
def test_str_query_is_djangos_sql(check_rows):
    def check(make_queryset, expected):
        queryset = make_queryset()
        assert str(queryset.query) == expected, f"str(query) is\n{queryset.query}\nexpected\n{expected}"

    check_rows(DJANGO_SQL, check)


@pytest.mark.exercise("07.3")
def test_joined_queries_return_the_joined_rows(tables):
    tables(Author, Tag, Book, Review)
    ann, bob = Author.objects.create(name="Ann", age=40), Author.objects.create(name="Bob", age=30)
    dune = Book.objects.create(title="Dune", price=10, author=ann)
    emma = Book.objects.create(title="Emma", price=20, author=bob, editor=ann)
    assert [book.title for book in B.filter(author__name="Ann")] == ["Dune"]
    assert [book.title for book in B.filter(editor__name="Ann")] == ["Emma"]
    assert [author.name for author in A.filter(book__price__gt=15)] == ["Bob"]
    assert list(B.order_by("-author__name").values_list("title", flat=True)) == ["Emma", "Dune"]
    assert dune.pk and emma.pk


def test_a_query_without_relations_has_no_joins_and_its_chapter_06_shape():
    query = B.filter(title="Dune", author=3).order_by("author").query
    assert not query.alias_map
    params = []
    assert all("jn_author" not in repr(key) for key in query.shape(params, None)[2:])


def test_the_first_join_to_a_table_is_named_by_it_later_ones_by_number():
    query = B.filter(author__name="Ann", editor__name="Bob").query
    assert {alias: (join.table_name, join.join_type) for alias, join in query.alias_map.items()} == {
        "jn_book": ("jn_book", None),
        "jn_author": ("jn_author", INNER),
        "T3": ("jn_author", INNER),
    }


def test_a_forward_join_is_shared_by_every_filter_a_many_valued_one_only_within_one():
    forward = B.filter(author__name="Ann").filter(author__age=3).query
    assert list(forward.alias_map) == ["jn_book", "jn_author"]
    one_call = B.filter(tags__name="sf", tags__name__startswith="s").query
    assert list(one_call.alias_map) == ["jn_book", "jn_book_tags", "jn_tag"]
    two_calls = B.filter(tags__name="sf").filter(tags__name__startswith="s").query
    assert list(two_calls.alias_map) == ["jn_book", "jn_book_tags", "jn_tag", "T4", "T5"]


def test_a_cloned_query_does_not_share_its_joins():
    first = B.filter(editor__name__isnull=True)
    second = first.filter(editor__name="Ann")
    assert first.query.alias_map["jn_author"].join_type == LOUTER
    assert second.query.alias_map["jn_author"].join_type == INNER


def test_a_join_read_by_nothing_is_not_written():
    """order_by() replaced: its join stays in the map but no column reads it, so FROM leaves it out."""
    queryset = B.order_by("tags__name").order_by("title")
    assert str(queryset.query) == f'{BOOK} ORDER BY "jn_book"."title" ASC'


def test_path_info_is_djangos_named_tuple():
    hop = Book._meta.get_field("author").get_path_info()[0]
    assert isinstance(hop, PathInfo)
    assert (hop.from_opts, hop.to_opts, hop.target_fields, hop.m2m, hop.direct, hop.filtered_relation) == (
        Book._meta, Author._meta, (Author._meta.pk,), False, True, None,
    )


@pytest.fixture
def fresh_cache(monkeypatch):
    """An empty SQL cache."""
    monkeypatch.setattr(sql_compiler, "SQL_CACHE", {})


CACHED_QUERIES = [
    # The same WHERE shape ("jn_author"."name" = ?) through two different keys: the ON clause differs.
    lambda n: B.filter(author__name=f"a{n}"),
    lambda n: B.filter(editor__name=f"a{n}"),
    # The same filter under a LEFT OUTER and an INNER join.
    lambda n: B.filter(Q(editor__name=f"a{n}") | Q(title="x")),
    lambda n: B.filter(Q(editor__name=f"a{n}"), Q(title="x")),
    lambda n: B.filter(tags__name=f"t{n}").filter(tags__name__startswith="t").order_by("author__name")[:n],
    lambda n: A.filter(book__price__gt=n).values("name", "book__title"),
    lambda n: B.filter(author__age__gte=F("price") + n),
]


@pytest.mark.exercise("07.3")
def test_cached_sql_matches_a_fresh_compile_for_joined_queries(fresh_cache, check_rows):
    """Joins are part of the shape: two queries differing only in their joins never share SQL."""

    def check(make_queryset):
        for n in (1, 2):
            query = make_queryset(n).query
            compiler = query.get_compiler()
            cached_sql, cached_params = compiler.as_sql()
            fresh_sql, fresh_params = query.get_compiler().compile_select()
            assert (cached_sql, list(cached_params)) == (fresh_sql, list(fresh_params)), f"query {n}: {query}"

    check_rows([(make,) for make in CACHED_QUERIES], check)
