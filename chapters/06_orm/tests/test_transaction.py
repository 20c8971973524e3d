"""Transactions: atomic blocks and their savepoints, rollback on error, on_commit callbacks, misuse.

The tests read the SQL each block sends from ``connection.queries`` (DEBUG on)
and the rows it leaves with plain SQL on an ``sql_table``.
"""

import logging
import threading
import time

import pytest

from tinyframe.db import IntegrityError, connection, reset_queries, transaction
from tinyframe.db.transaction import TransactionManagementError
from tinyframe.test.utils import override_settings


@pytest.fixture
def numbers(sql_table):
    """A table ``tx_numbers (n int unique)``, empty."""
    return sql_table("tx_numbers (n int unique)")


def insert(n: int) -> None:
    connection.cursor().execute("INSERT INTO tx_numbers (n) VALUES (%s)", [n])


def stored() -> list[int]:
    return [row[0] for row in connection.cursor().execute("SELECT n FROM tx_numbers ORDER BY n")]


@pytest.fixture
def sql_sent():
    """``sql_sent()``: the statements sent since the test began (DEBUG on for the test)."""
    with override_settings(DEBUG=True):
        reset_queries()
        yield lambda: [query["sql"] for query in connection.queries]


def test_atomic_block_commits_its_statements_together(numbers, sql_sent):
    with transaction.atomic():
        assert connection.in_atomic_block and not transaction.get_autocommit()
        insert(1)
        insert(2)
    assert stored() == [1, 2]
    assert sql_sent()[:4] == ["BEGIN", "INSERT INTO tx_numbers (n) VALUES (1)",
                              "INSERT INTO tx_numbers (n) VALUES (2)", "COMMIT"]
    assert transaction.get_autocommit() and not connection.in_atomic_block


def test_exception_rolls_the_block_back_and_propagates(numbers):
    insert(1)
    with pytest.raises(ZeroDivisionError):
        with transaction.atomic():
            insert(2)
            1 / 0
    assert stored() == [1], "the table is not as it was before the failed block"
    assert not connection.in_atomic_block


def test_block_that_runs_no_query_sends_nothing(sql_sent):
    with transaction.atomic():
        pass
    assert sql_sent() == []


@pytest.mark.exercise("06.1")
def test_nested_blocks_use_savepoints_and_roll_back_only_the_inner_work(numbers, sql_sent):
    with transaction.atomic():
        insert(1)
        with pytest.raises(IntegrityError):
            with transaction.atomic():
                insert(2)
                insert(1)  # duplicate: the inner block's work goes, the outer block's stays
        with transaction.atomic():
            insert(3)
    assert stored() == [1, 3]
    sent = [sql.split(" ")[0] + (" " + sql.split(" ")[1] if sql.startswith(("ROLLBACK", "RELEASE")) else "")
            for sql in sql_sent() if not sql.startswith("SELECT")]
    assert sent == ["BEGIN", "INSERT", "SAVEPOINT", "INSERT", "INSERT", "ROLLBACK TO", "RELEASE SAVEPOINT",
                    "SAVEPOINT", "INSERT", "RELEASE SAVEPOINT", "COMMIT"], sent


@pytest.mark.exercise("06.1")
def test_three_levels_deep_savepoints_each_undo_their_own_work(numbers):
    with transaction.atomic():
        insert(1)
        with transaction.atomic():
            insert(2)
            try:
                with transaction.atomic():
                    insert(3)
                    raise ValueError("undo 3 only")
            except ValueError:
                pass
            assert len(connection.savepoint_ids) == 1
        assert stored() == [1, 2]
    assert stored() == [1, 2]


@pytest.mark.exercise("06.1")
def test_set_rollback_in_a_nested_block_undoes_only_that_block(numbers):
    """A nested block that ends without an error but asked for a rollback goes back to its savepoint; the outer work stays."""
    with transaction.atomic():
        insert(1)
        with transaction.atomic():
            insert(2)
            transaction.set_rollback(True)
        assert not transaction.get_rollback(), "rolling back to the savepoint repairs the outer block"
        insert(3)
    assert stored() == [1, 3], f"the table holds {stored()}; the nested block's 2 should be gone, 1 and 3 kept"


def test_outer_failure_undoes_committed_inner_blocks(numbers):
    with pytest.raises(RuntimeError):
        with transaction.atomic():
            with transaction.atomic():
                insert(1)
            raise RuntimeError("the whole transaction goes")
    assert stored() == []


def test_atomic_works_as_a_decorator_with_and_without_arguments(numbers):
    @transaction.atomic
    def plain(n):
        insert(n)
        if n == 2:
            raise ValueError

    @transaction.atomic(using="default", savepoint=False)
    def with_arguments(n):
        insert(n)

    plain(1)
    with pytest.raises(ValueError):
        plain(2)
    with_arguments(3)
    assert stored() == [1, 3]


@pytest.mark.exercise("06.1")
def test_savepoint_false_block_that_fails_dooms_the_outer_block(numbers):
    with transaction.atomic():
        insert(1)
        with pytest.raises(IntegrityError):
            with transaction.atomic(savepoint=False):
                insert(1)
        assert transaction.get_rollback() is True
        with pytest.raises(TransactionManagementError) as caught:
            insert(2)
        assert str(caught.value) == (
            "An error occurred in the current transaction. You can't execute queries until the end "
            "of the 'atomic' block."
        )
    assert stored() == [], "a doomed block must roll back when it ends"
    assert not connection.needs_rollback


def test_set_rollback_rolls_back_without_an_exception(numbers):
    with transaction.atomic():
        insert(1)
        transaction.set_rollback(True)
    assert stored() == []
    with transaction.atomic():
        insert(2)
        transaction.set_rollback(True)
        transaction.set_rollback(False)  # changed its mind
    assert stored() == [2]


@pytest.mark.parametrize("call", [lambda: transaction.set_rollback(True), transaction.get_rollback])
def test_rollback_flag_outside_a_block_is_an_error(call):
    with pytest.raises(TransactionManagementError) as caught:
        call()
    assert str(caught.value) == "The rollback flag doesn't work outside of an 'atomic' block."


@pytest.mark.parametrize("call", [transaction.commit, transaction.rollback,
                                  lambda: transaction.set_autocommit(True)])
def test_manual_transaction_control_inside_atomic_is_forbidden(call):
    with transaction.atomic():
        with pytest.raises(TransactionManagementError) as caught:
            call()
    assert str(caught.value) == "This is forbidden when an 'atomic' block is active."


def test_durable_block_must_be_outermost():
    with transaction.atomic(durable=True):
        pass
    with transaction.atomic():
        with pytest.raises(RuntimeError) as caught:
            with transaction.atomic(durable=True):
                pass
    assert str(caught.value) == "A durable atomic block cannot be nested within another atomic block."
    test_case_block = transaction.Atomic(None, savepoint=True, durable=False)
    test_case_block._from_testcase = True  # as TestCase marks the block around each test
    with test_case_block:
        with transaction.atomic(durable=True):
            assert len(connection.atomic_blocks) == 2


def test_mark_for_rollback_on_error_dooms_the_enclosing_block(numbers):
    with transaction.atomic():
        insert(1)
        with pytest.raises(KeyError):
            with transaction.mark_for_rollback_on_error():
                raise KeyError("x")
        assert connection.needs_rollback
    assert stored() == []
    with pytest.raises(KeyError):  # outside a block there is nothing to mark
        with transaction.mark_for_rollback_on_error():
            raise KeyError("x")


def test_on_commit_runs_after_the_outermost_commit(numbers):
    calls = []
    with transaction.atomic():
        insert(1)
        transaction.on_commit(lambda: calls.append(("first", stored())))
        with transaction.atomic():
            transaction.on_commit(lambda: calls.append(("second", connection.in_atomic_block)))
        assert calls == [], "on_commit ran before the outermost block committed"
    assert calls == [("first", [1]), ("second", False)]


def test_on_commit_outside_a_block_runs_at_once():
    calls = []
    transaction.on_commit(lambda: calls.append("now"))
    assert calls == ["now"]


@pytest.mark.exercise("06.1")
def test_on_commit_is_dropped_on_rollback_including_a_savepoints(numbers):
    calls = []
    with pytest.raises(ValueError):
        with transaction.atomic():
            transaction.on_commit(lambda: calls.append("rolled back"))
            raise ValueError
    with transaction.atomic():
        transaction.on_commit(lambda: calls.append("kept: before the savepoint"))
        try:
            with transaction.atomic():
                transaction.on_commit(lambda: calls.append("dropped: in the savepoint"))
                raise ValueError
        except ValueError:
            pass
        with transaction.atomic():
            transaction.on_commit(lambda: calls.append("kept: released savepoint"))
    assert calls == ["kept: before the savepoint", "kept: released savepoint"]


def test_robust_on_commit_logs_its_error_and_the_next_callback_runs(caplog):
    calls = []

    def broken():
        raise OSError("mail server down")

    with caplog.at_level(logging.ERROR, logger="tinyframe.db.backends"):
        with transaction.atomic():
            transaction.on_commit(broken, robust=True)
            transaction.on_commit(lambda: calls.append("after"))
    assert calls == ["after"]
    assert "Error calling test_robust_on_commit_logs_its_error_and_the_next_callback_runs.<locals>.broken " \
           "in on_commit() (mail server down)." in caplog.text


def test_on_commit_needs_a_callable():
    with pytest.raises(TypeError) as caught:
        transaction.on_commit("send_mail")
    assert str(caught.value) == "on_commit()'s callback must be a callable."


def test_manual_transactions_with_set_autocommit(numbers):
    transaction.set_autocommit(False)
    try:
        insert(1)
        transaction.rollback()
        insert(2)
        transaction.commit()
        with pytest.raises(TransactionManagementError) as caught:
            transaction.on_commit(print)
        assert str(caught.value) == "on_commit() cannot be used in manual transaction management"
        insert(3)
    finally:
        transaction.set_autocommit(True)  # commits, as sqlite3 does when autocommit comes back
    assert stored() == [2, 3]


def test_savepoint_functions(numbers):
    assert transaction.savepoint() is None, "outside a transaction there is nothing to save"
    with transaction.atomic():
        insert(1)
        sid = transaction.savepoint()
        insert(2)
        transaction.savepoint_rollback(sid)
        transaction.savepoint_commit(sid)
        insert(3)
    assert stored() == [1, 3]
    transaction.clean_savepoints()
    assert connection.savepoint_state == 0


def test_an_atomic_block_belongs_to_one_thread(numbers):
    seen = []

    def other_thread():
        seen.append((connection.in_atomic_block, connection.get_autocommit()))

    with transaction.atomic():
        insert(1)
        thread = threading.Thread(target=other_thread)
        thread.start()
        thread.join()
    assert seen == [(False, True)], "another thread's connection shared the atomic block"


def test_a_writer_in_another_thread_waits_for_the_transaction_to_end(numbers):
    started = threading.Event()
    errors = []

    def writer():
        started.set()
        try:
            # The in-memory database locks like a file: this waits (busy
            # timeout) until the main thread commits, instead of failing.
            insert(2)
        except Exception as error:
            errors.append(error)
        connection.close()

    with transaction.atomic():
        insert(1)
        thread = threading.Thread(target=writer)
        thread.start()
        started.wait()
        time.sleep(0.05)  # let the writer reach the lock and wait on it
    thread.join()
    assert errors == [], f"the second writer failed instead of waiting: {errors}"
    assert stored() == [1, 2]


def test_non_atomic_requests_marks_the_view():
    @transaction.non_atomic_requests
    def view(request):
        return None

    @transaction.non_atomic_requests(using="other")
    def other_view(request):
        return None

    assert view._non_atomic_requests == {"default"}
    assert other_view._non_atomic_requests == {"other"}


def test_commit_that_fails_rolls_back_and_raises(sql_table):
    sql_table("tx_authors (id integer primary key)")
    sql_table("tx_books (id integer primary key, author_id int "
              "REFERENCES tx_authors (id) DEFERRABLE INITIALLY DEFERRED)")
    calls = []
    with pytest.raises(IntegrityError, match="FOREIGN KEY constraint failed"):
        with transaction.atomic():
            connection.cursor().execute("INSERT INTO tx_books (author_id) VALUES (99)")  # checked at COMMIT
            transaction.on_commit(lambda: calls.append("committed"))
    assert connection.cursor().execute("SELECT count(*) FROM tx_books").fetchone() == (0,)
    assert calls == [] and not connection.in_atomic_block and transaction.get_autocommit()


def test_atomic_inside_a_hand_opened_transaction_uses_a_savepoint_and_leaves_the_ending_to_its_owner(numbers):
    transaction.set_autocommit(False)
    try:
        with transaction.atomic():
            insert(1)
        assert connection.connection.in_transaction, "the atomic block ended a transaction it did not open"
        assert not connection.in_atomic_block
        with pytest.raises(ValueError):
            with transaction.atomic():
                insert(2)
                raise ValueError  # undoes 2 only
        insert(3)
        transaction.rollback()
        insert(4)
    finally:
        transaction.set_autocommit(True)
    assert stored() == [4]
