"""check_every_row: a table of cases as one test, failing once with the first failing row."""

import pytest

from chapters.conftest import check_every_row, waits
from chapters.stubs import exception_chain


def check_square(number, expected):
    assert number * number == expected, f"{number} squared is {number * number}; expected {expected}"


def stub(*row):
    raise NotImplementedError("exercise 03.4: write it")


def test_a_table_that_holds_passes():
    """Every row checked, none failing: nothing is raised."""
    seen = []
    check_every_row([(1, 1), (2, 4), (3, 9)], lambda *row: seen.append(row))
    check_every_row([(1, 1), (2, 4), (3, 9)], check_square)
    assert seen == [(1, 1), (2, 4), (3, 9)], f"check was called with {seen}"


def test_the_first_failing_row_is_named_and_the_failures_counted():
    """The message starts with how many rows fail, then the first failure's own message."""
    with pytest.raises(AssertionError) as caught:
        check_every_row([(1, 1), (2, 5), (3, 9), (4, 17)], check_square)
    assert str(caught.value).startswith("2 of 4 rows fail; the first: 2 squared is 4; expected 5"), str(caught.value)


def test_an_error_names_its_row_and_stays_the_cause():
    """A row that raises (not an assertion) is shown with the row; the error is the cause, for its traceback."""
    with pytest.raises(AssertionError) as caught:
        check_every_row([(1, 1), ("x", "xx")], check_square)
    assert str(caught.value) == (
        "1 of 2 rows fail; the first: row 2, ('x', 'xx'), raised TypeError: can't multiply sequence by "
        "non-int of type 'str'"
    ), str(caught.value)
    assert isinstance(caught.value.__cause__, TypeError)


def test_pytest_raises_and_fail_inside_a_row_count_as_failures():
    """pytest.raises that saw no error, or pytest.fail, fail their row instead of stopping the table."""

    def check(value):
        with pytest.raises(ValueError):
            int(value)

    with pytest.raises(AssertionError) as caught:
        check_every_row([("x",), ("5",)], check)
    assert str(caught.value) == "1 of 2 rows fail; the first: row 2, ('5',): DID NOT RAISE <class 'ValueError'>"


def test_a_table_that_only_waits_for_a_stub_shows_the_stub():
    """When every failure comes from a stub, the stub's error is in the chain, so check shows the test as waiting."""
    with pytest.raises(AssertionError) as caught:
        check_every_row([(1, 1), (2, 4)], stub)
    assert waits(caught.value), [str(error) for error in exception_chain(caught.value)]


def test_a_real_failure_is_shown_before_a_wait():
    """A wrong answer in one row is not hidden behind another row that waits for an exercise."""

    def check(number, expected):
        if number == 1:
            stub()
        check_square(number, expected)

    with pytest.raises(AssertionError) as caught:
        check_every_row([(1, 1), (2, 5)], check)
    assert "2 squared is 4; expected 5" in str(caught.value), str(caught.value)
    assert not waits(caught.value), "a real failure must not look like a wait"
