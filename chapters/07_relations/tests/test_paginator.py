"""Paginator and Page: counting, slicing, page numbers from URLs, and Django's messages for bad ones."""

import warnings

import pytest

from tinyframe.core.paginator import (
    EmptyPage,
    InvalidPage,
    Page,
    PageNotAnInteger,
    Paginator,
    UnorderedObjectListWarning,
)
from tinyframe.db import connection, models
from tinyframe.test.utils import CaptureQueriesContext


class PgArticle(models.Model):
    title = models.CharField(max_length=50)

    class Meta:
        app_label = "paginator_tests"
        ordering = ["id"]


class PgNote(models.Model):
    """No Meta.ordering: paginating its QuerySet without order_by deserves a warning."""

    text = models.CharField(max_length=50)

    class Meta:
        app_label = "paginator_tests"


@pytest.fixture
def articles(tables):
    tables(PgArticle)
    PgArticle.objects.bulk_create([PgArticle(title=f"article {number}") for number in range(1, 8)])


# --- validate_number (exercise 07.6) ---------------------------------------------------------------


@pytest.mark.exercise("07.6")
def test_validate_number_accepts_the_pages_there_are():
    paginator = Paginator(list(range(10)), per_page=4)  # pages 1, 2, 3
    for number, expected in [(1, 1), ("2", 2), (3, 3), (3.0, 3), ("03", 3)]:
        got = paginator.validate_number(number)
        assert (got, type(got)) == (expected, int), f"validate_number({number!r}) gave {got!r}; expected {expected}"


@pytest.mark.exercise("07.6")
def test_validate_number_refuses_what_is_not_an_integer(check_rows):
    paginator = Paginator(list(range(10)), per_page=4)

    def check(number):
        with pytest.raises(PageNotAnInteger) as caught:
            paginator.validate_number(number)
        assert str(caught.value) == "That page number is not an integer", f"validate_number({number!r})"
        assert isinstance(caught.value, InvalidPage)

    check_rows([("x",), (None,), (1.5,), ("1.5",), ("",), ([1],)], check)


@pytest.mark.exercise("07.6")
def test_validate_number_refuses_pages_out_of_range():
    paginator = Paginator(list(range(10)), per_page=4)
    for number, message in [(0, "That page number is less than 1"), ("-1", "That page number is less than 1"),
                            (4, "That page contains no results"), ("100", "That page contains no results")]:
        with pytest.raises(EmptyPage) as caught:
            paginator.validate_number(number)
        assert str(caught.value) == message, f"validate_number({number!r}) said {str(caught.value)!r}"


@pytest.mark.exercise("07.6")
def test_validate_number_on_a_paginator_without_pages():
    """With no objects, page 1 exists only when allow_empty_first_page is True (the default)."""
    assert Paginator([], per_page=5).validate_number(1) == 1
    with pytest.raises(EmptyPage, match="^That page contains no results$"):
        Paginator([], per_page=5, allow_empty_first_page=False).validate_number(1)


@pytest.mark.exercise("07.6")
def test_validate_number_uses_the_error_messages_given():
    paginator = Paginator([1, 2], per_page=1, error_messages={"invalid_page": "Bad page", "no_results": "Too far"})
    with pytest.raises(PageNotAnInteger, match="^Bad page$"):
        paginator.validate_number("two")
    with pytest.raises(EmptyPage, match="^Too far$"):
        paginator.validate_number(3)
    with pytest.raises(EmptyPage, match="^That page number is less than 1$"):
        paginator.validate_number(0)  # the messages not replaced keep Django's text


# --- counting pages --------------------------------------------------------------------------------


def test_count_and_num_pages(check_rows):
    """(objects, per_page, orphans, allow_empty_first_page) → (num_pages, [(start, end, len) per page]), as Django."""

    def check(count, per_page, orphans, allow_empty, num_pages, pages):
        paginator = Paginator(list(range(count)), per_page, orphans, allow_empty)
        got = (paginator.count, paginator.num_pages, [(p.start_index(), p.end_index(), len(p)) for p in paginator])
        assert got == (count, num_pages, pages), f"Paginator({count} objects, {per_page}, {orphans}, {allow_empty})"
        assert list(paginator.page_range) == list(range(1, num_pages + 1))

    check_rows([
        (10, 4, 0, True, 3, [(1, 4, 4), (5, 8, 4), (9, 10, 2)]),
        (11, 4, 1, True, 3, [(1, 4, 4), (5, 8, 4), (9, 11, 3)]),
        (9, 4, 1, True, 2, [(1, 4, 4), (5, 9, 5)]),  # the one orphan joins page 2
        (0, 4, 0, True, 1, [(0, 0, 0)]),  # an empty first page
        (0, 4, 0, False, 0, []),
        (1, 4, 0, False, 1, [(1, 1, 1)]),
        (5, 5, 0, True, 1, [(1, 5, 5)]),
        (6, 5, 1, True, 1, [(1, 6, 6)]),
        (7, 5, 1, True, 2, [(1, 5, 5), (6, 7, 2)]),
    ], check)


def test_per_page_and_orphans_may_be_strings():
    paginator = Paginator(list(range(7)), per_page="3", orphans="1")
    assert (paginator.per_page, paginator.orphans, paginator.num_pages) == (3, 1, 2)


def test_count_asks_a_queryset_for_count_without_fetching_rows(articles):
    paginator = Paginator(PgArticle.objects.all(), per_page=3)
    with CaptureQueriesContext(connection) as queries:
        assert (paginator.count, paginator.num_pages) == (7, 3)
        assert paginator.count == 7, "count is worked out once"
    assert len(queries) == 1, [query["sql"] for query in queries]
    assert "COUNT(*)" in queries[0]["sql"], queries[0]["sql"]


def test_a_page_of_a_queryset_reads_only_its_rows(articles):
    paginator = Paginator(PgArticle.objects.all(), per_page=3)
    page = paginator.page(2)
    with CaptureQueriesContext(connection) as queries:
        titles = [article.title for article in page]
        assert page[0].title == "article 4" and len(page) == 3, "the page's rows are read once"
    assert titles == ["article 4", "article 5", "article 6"]
    assert len(queries) == 1 and "LIMIT 3 OFFSET 3" in queries[0]["sql"], [query["sql"] for query in queries]


def test_count_of_other_objects():
    """A list's count() wants an argument: len() is used. A count() of one's own is called."""

    class Counted(list):
        def count(self):
            return 42

    assert Paginator([1, 1, 1], per_page=2).count == 3
    assert Paginator(Counted([1, 2]), per_page=2).count == 42
    assert Paginator("abcde", per_page=2).count == 5


# --- Page ------------------------------------------------------------------------------------------


def test_page_is_a_sequence_that_knows_its_place():
    paginator = Paginator(["a", "b", "c", "d", "e"], per_page=2)
    first, middle, last = paginator.page(1), paginator.page(2), paginator.page(3)
    assert isinstance(middle, Page)
    assert (repr(first), repr(middle), repr(last)) == ("<Page 1 of 3>", "<Page 2 of 3>", "<Page 3 of 3>")
    assert (list(middle), len(middle), middle[1], middle[-1], middle[:1]) == (["c", "d"], 2, "d", "d", ["c"])
    assert "c" in middle and middle.index("d") == 1 and list(reversed(middle)) == ["d", "c"]
    assert (first.has_previous(), first.has_next(), first.has_other_pages()) == (False, True, True)
    assert (middle.has_previous(), middle.has_next()) == (True, True)
    assert (last.has_previous(), last.has_next()) == (True, False)
    assert (middle.previous_page_number(), middle.next_page_number()) == (1, 3)
    assert (middle.number, middle.paginator) == (2, paginator)


def test_the_only_page_has_no_other_pages():
    page = Paginator([1, 2], per_page=5).page(1)
    assert (page.has_previous(), page.has_next(), page.has_other_pages()) == (False, False, False)


def test_next_and_previous_of_the_end_pages_are_errors():
    paginator = Paginator([1, 2, 3], per_page=2)
    with pytest.raises(EmptyPage, match="^That page contains no results$"):
        paginator.page(2).next_page_number()
    with pytest.raises(EmptyPage, match="^That page number is less than 1$"):
        paginator.page(1).previous_page_number()


def test_page_indices_must_be_integers_or_slices():
    page = Paginator([1, 2, 3], per_page=2).page(1)
    with pytest.raises(TypeError) as caught:
        page["0"]
    assert str(caught.value) == "Page indices must be integers or slices, not str."


# --- page() and get_page() -------------------------------------------------------------------------


def test_page_refuses_numbers_that_are_not_pages():
    paginator = Paginator([1, 2, 3], per_page=2)
    with pytest.raises(EmptyPage, match="^That page contains no results$"):
        paginator.page(3)
    with pytest.raises(PageNotAnInteger, match="^That page number is not an integer$"):
        paginator.page("last")


def test_get_page_never_fails():
    """get_page: a number that is not one gives page 1; one out of range gives the last page."""
    paginator = Paginator(list(range(10)), per_page=4)
    got = {number: paginator.get_page(number).number for number in ["2", "x", None, 1.5, 0, -3, 4, "99"]}
    assert got == {"2": 2, "x": 1, None: 1, 1.5: 1, 0: 3, -3: 3, 4: 3, "99": 3}
    assert repr(Paginator([], per_page=4).get_page(7)) == "<Page 1 of 1>"


def test_iterating_a_paginator_gives_its_pages():
    assert [list(page) for page in Paginator("abcde", per_page=2)] == [["a", "b"], ["c", "d"], ["e"]]


# --- get_elided_page_range -------------------------------------------------------------------------


def test_get_elided_page_range(check_rows):
    """Compared with Django's output for the same pages (50 pages unless said)."""

    def check(pages, number, options, expected):
        got = list(Paginator(range(pages), per_page=1).get_elided_page_range(number, **options))
        assert got == expected, f"{pages} pages, get_elided_page_range({number}, {options}) gave {got}"

    check_rows([
        (50, 43, {}, [1, 2, "…", 40, 41, 42, 43, 44, 45, 46, "…", 49, 50]),
        (50, 1, {}, [1, 2, 3, 4, "…", 49, 50]),
        (50, 6, {}, [1, 2, 3, 4, 5, 6, 7, 8, 9, "…", 49, 50]),
        (50, 7, {}, [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, "…", 49, 50]),
        (50, 47, {}, [1, 2, "…", 44, 45, 46, 47, 48, 49, 50]),  # near the end: nothing elided on the right
        (50, 43, {"on_each_side": 1, "on_ends": 1}, [1, "…", 42, 43, 44, "…", 50]),
        (50, 1, {"on_each_side": 1, "on_ends": 1}, [1, 2, "…", 50]),
        (10, 5, {}, list(range(1, 11))),  # few pages: nothing is elided
        (12, 6, {"on_each_side": 1, "on_ends": 1}, [1, "…", 5, 6, 7, "…", 12]),
    ], check)
    assert list(Paginator(range(50), per_page=1).get_elided_page_range()) == [1, 2, 3, 4, "…", 49, 50]


def test_get_elided_page_range_checks_the_number():
    with pytest.raises(EmptyPage, match="^That page contains no results$"):
        list(Paginator(range(5), per_page=1).get_elided_page_range(6))


# --- the warning for an unordered QuerySet ---------------------------------------------------------


def test_an_unordered_queryset_is_warned_about(tables):
    tables(PgNote)
    with pytest.warns(UnorderedObjectListWarning) as caught:
        Paginator(PgNote.objects.all(), per_page=2)
    assert str(caught[0].message) == (
        f"Pagination may yield inconsistent results with an unordered object_list: {PgNote} QuerySet."
    )
    assert caught[0].filename == __file__, "the warning points at the line that made the Paginator"


def test_ordered_querysets_and_lists_are_not_warned_about(tables):
    tables(PgNote, PgArticle)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        Paginator(PgNote.objects.order_by("text"), per_page=2)
        Paginator(PgArticle.objects.all(), per_page=2)  # Meta.ordering
        Paginator([3, 1, 2], per_page=2)


def test_an_unordered_object_without_a_model_is_named_by_its_repr():
    class Shuffled(list):
        ordered = False

    with pytest.warns(UnorderedObjectListWarning, match=r"unordered object_list: \[1, 2\]\.$"):
        Paginator(Shuffled([1, 2]), per_page=1)
