"""Lookups and transforms: every built-in, as a table of filters and the rows they find."""

import datetime

import pytest

from tinyframe.core.exceptions import FieldError
from tinyframe.db import models
from tinyframe.db.models import F, Q
from tinyframe.db.models.functions import Lower
from tinyframe.db.models.lookups import Lookup, escape_glob, escape_like

UTC = datetime.timezone.utc


class LkItem(models.Model):
    name = models.CharField(max_length=50)
    note = models.TextField(null=True)
    size = models.IntegerField(null=True)
    when = models.DateTimeField(null=True)
    day = models.DateField(null=True)

    class Meta:
        app_label = "lookup_tests"


class LkPair(models.Model):
    """Two nullable columns, to compare one with the other."""

    title = models.CharField(max_length=10)
    pages = models.IntegerField(null=True)
    rating = models.IntegerField(null=True)

    class Meta:
        app_label = "lookup_tests"


ROWS = [
    # name, note, size, when, day
    ("Apple", "red fruit", 3, datetime.datetime(2024, 2, 29, 13, 5, 30, tzinfo=UTC), datetime.date(2024, 2, 29)),
    ("apple pie", "100% butter", 10, datetime.datetime(2023, 12, 31, 23, 59, tzinfo=UTC), datetime.date(2023, 12, 31)),
    ("Banana", "a_b", None, datetime.datetime(2024, 3, 3, 0, 0, tzinfo=UTC), datetime.date(2024, 3, 3)),
    ("cherry", None, 7, None, None),
    ("Date*?", "back\\slash", 0, datetime.datetime(2024, 1, 7, 8, 0, tzinfo=UTC), datetime.date(2024, 1, 7)),
]

LOOKUP_CASES = [
    # filter keywords, expected names (in name order)
    ({"name": "Apple"}, ["Apple"]),
    ({"name__exact": "apple"}, []),
    ({"note": None}, ["cherry"]),
    ({"note__exact": None}, ["cherry"]),
    ({"name__iexact": "APPLE"}, ["Apple"]),
    ({"name__iexact": "appl_"}, [], ),
    ({"name__contains": "pp"}, ["Apple", "apple pie"]),
    ({"name__contains": "PP"}, []),
    ({"name__icontains": "PP"}, ["Apple", "apple pie"]),
    ({"note__contains": "%"}, ["apple pie"]),
    ({"note__icontains": "_"}, ["Banana"]),
    ({"note__contains": "\\"}, ["Date*?"]),
    ({"name__contains": "*"}, ["Date*?"]),
    ({"name__contains": "?"}, ["Date*?"]),
    ({"name__startswith": "a"}, ["apple pie"]),
    ({"name__istartswith": "a"}, ["Apple", "apple pie"]),
    ({"name__endswith": "e"}, ["Apple", "apple pie"]),
    ({"name__iendswith": "E"}, ["Apple", "apple pie"]),
    ({"name__endswith": "*?"}, ["Date*?"]),
    ({"name__in": ["Apple", "cherry", "nope"]}, ["Apple", "cherry"]),
    ({"name__in": []}, []),
    ({"size__in": [None, 3]}, ["Apple"]),
    ({"name__in": ("Banana",)}, ["Banana"]),
    ({"size__gt": 3}, ["apple pie", "cherry"]),
    ({"size__gte": 3}, ["Apple", "apple pie", "cherry"]),
    ({"size__lt": 3}, ["Date*?"]),
    ({"size__lte": 3}, ["Apple", "Date*?"]),
    ({"size__range": (3, 7)}, ["Apple", "cherry"]),
    ({"size__isnull": True}, ["Banana"]),
    ({"size__isnull": False}, ["Apple", "Date*?", "apple pie", "cherry"]),
    ({"name__regex": r"^[A-Z]"}, ["Apple", "Banana", "Date*?"]),
    ({"name__regex": r"pie$"}, ["apple pie"]),
    ({"name__iregex": r"^a"}, ["Apple", "apple pie"]),
    ({"size": "7"}, ["cherry"]),
    ({"when__year": 2024}, ["Apple", "Banana", "Date*?"]),
    ({"when__year__gte": 2024}, ["Apple", "Banana", "Date*?"]),
    ({"when__year__lt": 2024}, ["apple pie"]),
    ({"when__month": 2}, ["Apple"]),
    ({"when__month__in": [1, 12]}, ["Date*?", "apple pie"]),
    ({"when__day": 29}, ["Apple"]),
    ({"when__week_day": 1}, ["Banana", "Date*?", "apple pie"]),
    ({"when__week_day": 5}, ["Apple"]),
    ({"when__hour": 13}, ["Apple"]),
    ({"when__minute": 59}, ["apple pie"]),
    ({"when__second": 30}, ["Apple"]),
    ({"when__date": datetime.date(2024, 3, 3)}, ["Banana"]),
    ({"when__date__gt": datetime.date(2024, 2, 1)}, ["Apple", "Banana"]),
    ({"when__time": datetime.time(8, 0)}, ["Date*?"]),
    ({"when__gt": datetime.datetime(2024, 2, 29, 13, 5, tzinfo=UTC)}, ["Apple", "Banana"]),
    ({"when__range": (datetime.datetime(2024, 1, 1, tzinfo=UTC), datetime.datetime(2024, 3, 1, tzinfo=UTC))}, ["Apple", "Date*?"]),
    ({"day": datetime.date(2024, 2, 29)}, ["Apple"]),
    ({"day__year": 2023}, ["apple pie"]),
    ({"day__week_day": 5}, ["Apple"]),
    ({"day__lte": "2024-01-07"}, ["Date*?", "apple pie"]),
    ({"size": F("size")}, ["Apple", "Date*?", "apple pie", "cherry"]),
    ({"size__lt": F("size") + 1}, ["Apple", "Date*?", "apple pie", "cherry"]),
    ({"name__contains": F("name")}, ["Apple", "Banana", "Date*?", "apple pie", "cherry"]),
    ({"name__icontains": F("note")}, []),
    ({"name__startswith": F("name")}, ["Apple", "Banana", "Date*?", "apple pie", "cherry"]),
    ({"name__endswith": F("name")}, ["Apple", "Banana", "Date*?", "apple pie", "cherry"]),
    ({"note__endswith": F("name")}, []),
    ({"note__iendswith": F("note")}, ["Apple", "Banana", "Date*?", "apple pie"]),
    ({"name__iexact": F("name")}, ["Apple", "Banana", "Date*?", "apple pie", "cherry"]),
    ({"note__istartswith": F("note")}, ["Apple", "Banana", "Date*?", "apple pie"]),
    ({"pk__in": []}, []),
]

EXCLUDE_CASES = [
    ({"size": 3}, ["Banana", "Date*?", "apple pie", "cherry"]),
    ({"size__gt": 3}, ["Apple", "Banana", "Date*?"]),
    ({"note__contains": "r"}, ["Banana", "Date*?", "cherry"]),
    ({"name__in": []}, ["Apple", "Banana", "Date*?", "apple pie", "cherry"]),
    ({"size__isnull": True}, ["Apple", "Date*?", "apple pie", "cherry"]),
    ({"when__year": 2024}, ["apple pie", "cherry"]),
]


@pytest.fixture
def items(tables):
    tables(LkItem)
    for name, note, size, when, day in ROWS:
        LkItem.objects.create(name=name, note=note, size=size, when=when, day=day)


def names(queryset) -> list:
    return sorted(queryset.values_list("name", flat=True))


def test_every_lookup_finds_its_rows(items, check_rows):
    def check(keywords, expected):
        found = names(LkItem.objects.filter(**keywords))
        assert found == expected, f"filter({keywords!r}) found {found}, expected {expected}"

    check_rows(LOOKUP_CASES, check)


def test_exclude_keeps_rows_with_null_as_django_does(items, check_rows):
    def check(keywords, expected):
        found = names(LkItem.objects.exclude(**keywords))
        assert found == expected, f"exclude({keywords!r}) found {found}, expected {expected}"

    check_rows(EXCLUDE_CASES, check)


# exclude() against another column, over a(pages=1, rating=None), b(None, 2), c(3, 3), d(None, None):
# the titles Django 5.2 returns.
EXCLUDE_AGAINST_A_COLUMN = [
    ({"pages": F("rating")}, ["a", "b", "d"]),
    ({"pages__lt": F("rating")}, ["a", "b", "c", "d"]),
    ({"pages__gte": F("rating")}, ["a", "b", "d"]),
    ({"rating": F("pages")}, ["a", "b", "d"]),
    ({"pages": F("pages")}, ["b", "d"]),
    ({"title": F("title")}, []),
    # An expression is not a column: only the left-hand column's NULL rows are kept, as in Django.
    ({"pages__lt": F("rating") + 1}, ["b", "d"]),
]


def test_exclude_against_a_nullable_column_keeps_the_rows_where_it_is_null(tables, check_rows):
    """exclude(pages=F("rating")) keeps a row whose rating is NULL, as it keeps one whose pages is: Django 5.2's rows.

    ``NOT (pages = rating)`` is NULL, not true, when either side is NULL.
    Django writes ``NOT (pages = rating AND pages IS NOT NULL AND rating IS
    NOT NULL)`` for a nullable right-hand column too; tinyframe wrote only
    the left one's, and dropped row a (pages 1, rating NULL).
    """
    tables(LkPair)
    for title, pages, rating in [("a", 1, None), ("b", None, 2), ("c", 3, 3), ("d", None, None)]:
        LkPair.objects.create(title=title, pages=pages, rating=rating)

    def check(keywords, expected):
        found = sorted(LkPair.objects.exclude(**keywords).values_list("title", flat=True))
        assert found == expected, f"exclude({keywords!r}) found {found}, expected {expected}"

    check_rows(EXCLUDE_AGAINST_A_COLUMN, check)
    either = LkPair.objects.filter(~Q(pages=F("rating")) | Q(title="c"))
    assert sorted(either.values_list("title", flat=True)) == ["a", "b", "c", "d"]


def test_an_empty_q_inside_another_or_excluded_adds_no_condition(items):
    """An empty Q() is no condition wherever it stands: the rows of Django 5.2.

    exclude(Q()) found no row, and Q(size=3) | Q(Q()) every row: the empty
    Q was kept as a child that matched everything. The second query of each
    pair has the first one's shape, so it runs the cached SQL: it crashed
    ("Incorrect number of bindings") when the cache kept the value that the
    compiled SQL had left out.
    """
    everything = ["Apple", "Banana", "Date*?", "apple pie", "cherry"]
    objects = LkItem.objects
    assert names(objects.exclude(Q())) == everything
    assert names(objects.filter(name="Apple").exclude(Q())) == ["Apple"]
    assert names(objects.filter(~Q(Q()))) == everything
    for size, expected in [(3, ["Apple"]), (7, ["cherry"])]:
        assert names(objects.filter(Q(size=size) | Q(Q()))) == expected
        assert names(objects.filter(size=size) | objects.filter()) == everything
        assert names(objects.filter(Q(size__lt=8), Q(size=size) | Q(Q(), _connector="OR"))) == expected
        assert names(objects.filter(Q(size=size) | ~Q(Q()))) == expected
    assert names(objects.exclude(Q(size=3) & Q(Q()))) == ["Banana", "Date*?", "apple pie", "cherry"]

    def exclude_all_of(**terms):
        condition = Q()
        for keyword, value in terms.items():
            condition &= Q(**{keyword: value})
        return names(objects.exclude(condition))

    assert exclude_all_of() == everything, "a filter built from no terms excludes nothing"
    assert exclude_all_of(size=3, name="Apple") == ["Banana", "Date*?", "apple pie", "cherry"]


def test_q_objects_combine_with_and_or_not(items):
    assert names(LkItem.objects.filter(Q(size=3) | Q(size=7))) == ["Apple", "cherry"]
    assert names(LkItem.objects.filter(Q(size__gt=1) & ~Q(name__startswith="a"))) == ["Apple", "cherry"]
    assert names(LkItem.objects.filter(~Q(size__gt=1, note__isnull=False))) == ["Banana", "Date*?", "cherry"]
    assert names(LkItem.objects.filter(Q())) == ["Apple", "Banana", "Date*?", "apple pie", "cherry"]
    assert names(LkItem.objects.filter(Q(name__in=[]) | Q(size=3))) == ["Apple"]
    assert names(LkItem.objects.exclude(Q(name__in=[]) | Q(size=3))) == ["Banana", "Date*?", "apple pie", "cherry"]


@pytest.mark.exercise("06.6")
def test_q_repr_and_equality():
    q = Q(b=1, a=2) | ~Q(c=3)
    assert str(q) == "(OR: (AND: ('a', 2), ('b', 1)), (NOT (AND: ('c', 3))))"
    assert Q(a=1) == Q(a=1) and Q(a=1) != Q(a=2)
    assert (Q() | Q(a=1)) == Q(a=1)
    with pytest.raises(TypeError):
        Q(a=1) & 3


def test_isnull_and_none_misuse_are_value_errors(items):
    with pytest.raises(ValueError, match="^The QuerySet value for an isnull lookup must be True or False.$"):
        LkItem.objects.filter(size__isnull="yes")
    with pytest.raises(ValueError, match="^Cannot use None as a query value$"):
        LkItem.objects.filter(size__gt=None)


def test_bad_values_fail_when_the_filter_is_built(items):
    with pytest.raises((ValueError, TypeError)) as caught:
        LkItem.objects.filter(size="many")
    assert "size" in str(caught.value) or "many" in str(caught.value)


def test_unknown_names_are_field_errors_with_a_suggestion(items):
    with pytest.raises(FieldError) as caught:
        LkItem.objects.filter(nmae="x")
    assert str(caught.value) == "Cannot resolve keyword 'nmae' into field. Choices are: day, id, name, note, size, when"
    assert caught.value.__notes__ == ["Did you mean 'name'?"]
    with pytest.raises(FieldError) as caught:
        LkItem.objects.filter(name__startwith="x")
    assert str(caught.value) == "Unsupported lookup 'startwith' for CharField or join on the field not permitted."
    assert caught.value.__notes__ == ["Did you mean 'startswith'?"]
    with pytest.raises(FieldError, match="^Unsupported lookup 'yaer__gt' for DateTimeField"):
        LkItem.objects.filter(when__yaer__gt=1)
    with pytest.raises(FieldError, match="^Unsupported lookup 'year' for CharField"):
        LkItem.objects.filter(name__year=1)


def test_a_project_registers_its_own_lookup_and_transform(items):
    class NotEqual(Lookup):
        lookup_name = "ne"
        operator = "<> {rhs}"

    models.IntegerField.register_lookup(NotEqual)
    models.CharField.register_lookup(Lower)
    try:
        assert names(LkItem.objects.filter(size__ne=3)) == ["Date*?", "apple pie", "cherry"]
        assert names(LkItem.objects.filter(name__lower="apple")) == ["Apple"]
        assert names(LkItem.objects.filter(name__lower__startswith="app")) == ["Apple", "apple pie"]
        assert "ne" in models.IntegerField.get_lookups() and "ne" not in models.CharField.get_lookups()
    finally:
        models.IntegerField._unregister_lookup(NotEqual)
        models.CharField._unregister_lookup(Lower)
    with pytest.raises(FieldError):
        LkItem.objects.filter(size__ne=3)


def test_escaping_helpers():
    assert escape_like("50%_a\\") == "50\\%\\_a\\\\"
    assert escape_glob("*?[]") == "[*][?][[]]"


LOCAL_CASES = [
    # in Europe/Paris (UTC+1 in winter): 2023-12-31 23:59 UTC is already 2024-01-01 00:59 there
    ({"when__year": 2024}, ["Apple", "Banana", "Date*?", "apple pie"]),
    ({"when__year": 2023}, []),
    ({"when__month": 1}, ["Date*?", "apple pie"]),
    ({"when__day": 1}, ["apple pie"]),
    ({"when__week_day": 2}, ["apple pie"]),
    ({"when__hour": 14}, ["Apple"]),
    ({"when__hour__in": [0, 1]}, ["Banana", "apple pie"]),
    ({"when__minute": 59}, ["apple pie"]),
    ({"when__date": datetime.date(2024, 1, 1)}, ["apple pie"]),
    ({"when__time": datetime.time(9, 0)}, ["Date*?"]),
    ({"day__day": 31}, ["apple pie"]),
]


def test_datetime_parts_are_read_in_the_current_time_zone(items, check_rows):
    from tinyframe.utils import timezone

    def check(keywords, expected):
        with timezone.override("Europe/Paris"):
            found = names(LkItem.objects.filter(**keywords))
        assert found == expected, f"in Europe/Paris, filter({keywords!r}) found {found}, expected {expected}"

    check_rows(LOCAL_CASES, check)
    assert names(LkItem.objects.filter(when__year=2023)) == ["apple pie"], "back in UTC"
    with timezone.override(datetime.timezone(datetime.timedelta(hours=-5))):
        assert names(LkItem.objects.filter(when__day=3)) == [], "2024-03-03 00:00 UTC is still March 2nd at UTC-5"
        assert names(LkItem.objects.filter(when__day=2)) == ["Banana"]


def test_a_local_time_query_whose_sql_is_cached_runs_on_a_new_connection(items):
    """The SQL function reading local time is on every connection, not only on the one that compiled the query first."""
    import threading

    from tinyframe.utils import timezone

    def found_in_paris() -> list:
        with timezone.override("Europe/Paris"):
            return names(LkItem.objects.filter(when__year=2024))

    expected = found_in_paris()  # compiled here, and its SQL cached by shape
    found = []
    thread = threading.Thread(target=lambda: found.append(found_in_paris()))  # another thread: its own connection
    thread.start()
    thread.join()
    assert found == [expected], f"the cached query gave {found} on a new connection; expected [{expected}]"


def test_the_time_zone_is_part_of_the_cached_sqls_shape():
    from tinyframe.utils import timezone

    def compiled(year):
        compiler = LkItem.objects.filter(when__year=year).query.get_compiler()
        cached_sql, cached_params = compiler.as_sql()
        fresh_sql, fresh_params = compiler.compile_select()
        assert (cached_sql, list(cached_params)) == (fresh_sql, list(fresh_params))
        return cached_sql, list(cached_params)

    utc_sql, utc_params = compiled(2024)
    with timezone.override("Europe/Paris"):
        paris_sql, paris_params = compiled(2023)
        compiled(2025)
    assert "strftime('%Y'" in utc_sql and utc_params == [2024]
    assert "tinyframe_local_part('year'" in paris_sql and paris_params == ["Europe/Paris", 2023]


def test_pattern_lookups_against_another_column_treat_wildcards_as_text(tables):
    tables(LkItem)
    for name, note in [("pie", "apple pie"), ("%", "50%"), ("_", "ab"), ("APP", "apple"), ("", "x"), ("long text", "text")]:
        LkItem.objects.create(name=name, note=note)
    cases = [
        ("note__endswith", ["", "%", "pie"]),
        ("note__contains", ["", "%", "pie"]),
        ("note__startswith", [""]),
        ("note__istartswith", ["", "APP"]),
        ("note__iendswith", ["", "%", "pie"]),
    ]
    for keyword, expected in cases:
        found = names(LkItem.objects.filter(**{keyword: F("name")}))
        assert found == expected, f"filter({keyword}=F('name')) found {found}, expected {expected}"


# --- exercise 06.5: a text pattern's one parameter -------------------------------------------


def pattern_parameter(queryset) -> str:
    """The one parameter of a QuerySet with one pattern lookup."""
    from tinyframe.db import connection

    sql, params = queryset.query.get_compiler(connection=connection).as_sql()
    (parameter,) = params
    return parameter


@pytest.mark.exercise("06.5")
def test_case_sensitive_patterns_use_glob_with_its_wildcards_escaped():
    """contains/startswith/endswith: GLOB, "*" around the text, and a user's * ? [ match themselves."""
    assert pattern_parameter(LkItem.objects.filter(name__contains="a*b")) == "*a[*]b*"
    assert pattern_parameter(LkItem.objects.filter(name__startswith="x?")) == "x[?]*"
    assert pattern_parameter(LkItem.objects.filter(name__endswith="[1]")) == "*[[]1]"
    # LIKE's wildcards mean nothing to GLOB: a user's % and _ stay as they are, not made GLOB's *.
    assert pattern_parameter(LkItem.objects.filter(name__contains="100%")) == "*100%*"
    assert pattern_parameter(LkItem.objects.filter(name__startswith="a_b")) == "a_b*"


@pytest.mark.exercise("06.5")
def test_case_insensitive_patterns_use_like_with_its_wildcards_escaped():
    """iexact/icontains/istartswith/iendswith: LIKE, "%" around the text, and a user's % _ \\ escaped."""
    assert pattern_parameter(LkItem.objects.filter(name__icontains="100%")) == "%100\\%%"
    assert pattern_parameter(LkItem.objects.filter(name__istartswith="a_b")) == "a\\_b%"
    assert pattern_parameter(LkItem.objects.filter(name__iendswith="c:\\")) == "%c:\\\\"
    assert pattern_parameter(LkItem.objects.filter(name__iexact="ab")) == "ab"


@pytest.mark.exercise("06.5")
def test_wildcards_in_the_value_match_only_themselves(items):
    """A % or * in what the user typed finds only rows that contain it: nothing is injected."""
    assert LkItem.objects.filter(note__icontains="100%").count() == 1
    assert LkItem.objects.filter(note__icontains="%").count() == 1
    assert LkItem.objects.filter(name__contains="*").count() == 1
    assert LkItem.objects.filter(name__contains="?").count() == 1
    assert LkItem.objects.filter(name__icontains="_").count() == 0


# --- exercise 06.6: combining Q objects ---------------------------------------------------------


@pytest.mark.exercise("06.6")
def test_q_objects_join_with_the_connector_and_merge_alike_children():
    """a | b is an OR of the two; (a | b) | c is one OR of three; & gives AND."""
    either = Q(size=3) | Q(size=7)
    assert (either.connector, either.children) == ("OR", [("size", 3), ("size", 7)])
    assert len((either | Q(size=9)).children) == 3, "an OR added to an OR merges into it"
    both = Q(size=3) & Q(name="x")
    assert (both.connector, both.children) == ("AND", [("size", 3), ("name", "x")])


@pytest.mark.exercise("06.6")
def test_an_empty_q_adds_nothing_and_other_values_are_refused():
    """Q() & q and q | Q() are q (copies); a number or a string is not a condition: TypeError."""
    q = Q(size=3)
    assert (Q() & q) == q and (q | Q()) == q and (Q() | q) is not q
    for other in (3, "size=3", None):
        with pytest.raises(TypeError):
            q & other


@pytest.mark.exercise("06.6")
def test_combined_q_objects_filter_rows(items):
    """The combined Q is a filter: counted in SQL, no objects needed."""
    assert LkItem.objects.filter(Q(size=3) | Q(size=7)).count() == 2
    assert LkItem.objects.filter(Q(size__gt=1) & ~Q(name__startswith="a")).count() == 2
