"""Transactions: ``atomic`` blocks that nest, and callbacks that wait for the commit.

How it works: the connection runs in autocommit (each statement commits on
its own) until an ``atomic`` block starts. The outermost block turns
autocommit off, so the transaction is begun (``BEGIN``) before its first
statement, and at its end sends ``COMMIT``, or ``ROLLBACK`` if an exception
is leaving the block. A block inside another opens a ``SAVEPOINT`` and ends
with ``RELEASE SAVEPOINT`` or ``ROLLBACK TO SAVEPOINT``, so an inner failure
undoes only the inner work. The state lives on the connection
(``in_atomic_block``, ``savepoint_ids``, ``needs_rollback``), because any
code running on that connection in that thread is inside the same blocks.

``atomic(savepoint=False)`` opens no savepoint: an exception leaving it can
only be undone by the outer block, so the connection is marked
``needs_rollback``, and every later query in the block is refused with
``TransactionManagementError`` until the block that can roll back ends.

Inside a transaction opened by hand (``set_autocommit(False)``) even the
outermost block works through a savepoint, and the commit stays the owner's.

``on_commit(func)`` queues ``func`` until the outermost block commits (it runs
at once outside a block); a rollback drops it, including a rollback to a
savepoint opened before it was queued.

>>> from tinyframe.db import connection
>>> with atomic():
...     with atomic():
...         connection.in_atomic_block, len(connection.savepoint_ids)
(True, 1)
"""

from contextlib import ContextDecorator, contextmanager

from tinyframe.db import DEFAULT_DB_ALIAS, DatabaseError, Error, ProgrammingError, connections

__all__ = [
    "Atomic", "TransactionManagementError", "atomic", "clean_savepoints", "commit", "get_autocommit",
    "get_connection", "get_rollback", "mark_for_rollback_on_error", "non_atomic_requests", "on_commit",
    "rollback", "savepoint", "savepoint_commit", "savepoint_rollback", "set_autocommit", "set_rollback",
]


class TransactionManagementError(ProgrammingError):
    """Transactions were used wrongly: a query in a doomed block, a commit inside ``atomic``..."""


def get_connection(using: str | None = None):
    """The calling thread's connection for the alias ``using`` (the default database if None)."""
    return connections[DEFAULT_DB_ALIAS if using is None else using]


def get_autocommit(using: str | None = None) -> bool:
    """Whether the connection commits each statement on its own (no transaction open)."""
    return get_connection(using).get_autocommit()


def set_autocommit(autocommit: bool, using: str | None = None) -> None:
    """Manage a transaction by hand: off opens one, on commits it (forbidden inside ``atomic``)."""
    get_connection(using).set_autocommit(autocommit)


def commit(using: str | None = None) -> None:
    """Commit the transaction opened by ``set_autocommit(False)``."""
    get_connection(using).commit()


def rollback(using: str | None = None) -> None:
    """Roll back the transaction opened by ``set_autocommit(False)``."""
    get_connection(using).rollback()


def savepoint(using: str | None = None) -> str | None:
    """Open a savepoint and return its id, or None outside a transaction (there is nothing to save)."""
    connection = get_connection(using)
    if connection.get_autocommit():
        return None
    return connection.savepoint()


def savepoint_rollback(sid: str, using: str | None = None) -> None:
    """Undo the work done since the savepoint ``sid``."""
    get_connection(using).savepoint_rollback(sid)


def savepoint_commit(sid: str, using: str | None = None) -> None:
    """Keep the work done since the savepoint ``sid`` and release it."""
    get_connection(using).savepoint_commit(sid)


def clean_savepoints(using: str | None = None) -> None:
    """Restart savepoint numbering (test tools use it so ids repeat from run to run)."""
    get_connection(using).savepoint_state = 0


def get_rollback(using: str | None = None) -> bool:
    """Whether the innermost atomic block will roll back instead of committing."""
    connection = get_connection(using)
    require_atomic_block(connection)
    return connection.needs_rollback


def set_rollback(rollback: bool, using: str | None = None) -> None:
    """Make the innermost atomic block roll back on leaving (True), or commit after all (False).

    Why: a view that catches an error and answers "sorry" without raising
    still wants its half-done changes gone; ``set_rollback(True)`` says so
    without an exception.
    """
    connection = get_connection(using)
    require_atomic_block(connection)
    connection.needs_rollback = rollback


def require_atomic_block(connection) -> None:
    """Refuse to read or set the rollback flag where no atomic block is open."""
    if not connection.in_atomic_block:
        raise TransactionManagementError("The rollback flag doesn't work outside of an 'atomic' block.")


@contextmanager
def mark_for_rollback_on_error(using: str | None = None):
    """Inside an atomic block, mark it for rollback when an exception leaves this one; re-raise it.

    Why: code that runs several statements without a savepoint of its own
    (saving a model and its parents) must not let an outer block commit half
    of them after the caller caught the error.
    """
    try:
        yield
    except Exception:
        connection = get_connection(using)
        if connection.in_atomic_block:
            connection.needs_rollback = True
        raise


def on_commit(func, using: str | None = None, robust: bool = False) -> None:
    """Call ``func()`` once the current transaction commits; at once if there is none; never on rollback.

    Why: an email saying "your order is placed" must not go out for an order
    whose transaction then rolls back. ``robust=True`` logs an exception
    from ``func`` instead of raising it, so later callbacks still run.
    """
    get_connection(using).on_commit(func, robust)


class Atomic(ContextDecorator):
    """One ``atomic`` block: a transaction when outermost, a savepoint when nested.

    Why a class: the same object serves as context manager and decorator, and
    a decorated function may be called again, even recursively, so all state
    lives on the connection, never on this object.
    """

    # Set on the blocks a TestCase wraps each test in: a durable block inside
    # one of those is still the outermost block of the code under test.
    _from_testcase = False

    def __init__(self, using: str | None, savepoint: bool, durable: bool):
        self.using = using
        self.savepoint = savepoint
        self.durable = durable

    def __enter__(self):
        connection = get_connection(self.using)
        if self.durable and connection.atomic_blocks and not connection.atomic_blocks[-1]._from_testcase:
            raise RuntimeError("A durable atomic block cannot be nested within another atomic block.")
        if not connection.in_atomic_block:
            connection.commit_on_exit = True
            connection.needs_rollback = False
            if not connection.get_autocommit():
                # A transaction opened by hand (set_autocommit(False)): the block
                # works inside it like a nested one, and its owner ends it.
                connection.in_atomic_block = True
                connection.commit_on_exit = False
        if connection.in_atomic_block:
            if self.savepoint and not connection.needs_rollback:
                connection.savepoint_ids.append(connection.savepoint())
            else:
                connection.savepoint_ids.append(None)
        else:
            # Outermost block: turn autocommit off; the cursor begins the transaction.
            connection.set_autocommit(False)
            connection.in_atomic_block = True
        connection.atomic_blocks.append(self)

    def __exit__(self, exc_type, exc_value, traceback):
        connection = get_connection(self.using)
        connection.atomic_blocks.pop()
        if connection.savepoint_ids:
            self.exit_inner(connection, connection.savepoint_ids.pop(), failed=exc_type is not None)
            if not connection.savepoint_ids and not connection.commit_on_exit:
                connection.in_atomic_block = False  # back in the hand-opened transaction
        else:
            self.exit_outermost(connection, failed=exc_type is not None)

    @staticmethod
    def exit_inner(connection, sid: str | None, failed: bool) -> None:
        """End a nested block: release its savepoint, or roll back to it, or doom the outer block.

        Exercise 06.1. Four cases, by ``failed`` (an exception is leaving the
        block) and ``connection.needs_rollback`` (set by ``set_rollback(True)``,
        or by a failed block nested deeper without a savepoint):

        - neither: the block succeeded; release its savepoint
          (``connection.savepoint_commit(sid)``) if it has one (``sid`` is not
          None). If releasing raises ``DatabaseError``, set ``needs_rollback``
          and re-raise;
        - failed or needs_rollback, and no savepoint: only an outer block can
          undo the work, so set ``connection.needs_rollback = True``;
        - failed or needs_rollback, with a savepoint: roll back to it
          (``savepoint_rollback(sid)``, then ``savepoint_commit(sid)``, since it
          will not be used again), which repairs the transaction: set
          ``needs_rollback = False`` first. If that raises ``Error``, set
          ``needs_rollback = True`` and let the exception already leaving the
          block go on.
        """
        if not failed and not connection.needs_rollback:
            if sid is not None:
                try:
                    connection.savepoint_commit(sid)
                except DatabaseError:
                    connection.needs_rollback = True
                    raise
            return
        if sid is None:
            connection.needs_rollback = True  # no savepoint here: only an outer block can undo it
            return
        connection.needs_rollback = False  # rolling back to the savepoint repairs the transaction
        try:
            connection.savepoint_rollback(sid)
            connection.savepoint_commit(sid)  # the savepoint will not be used again
        except Error:
            # The connection broke; do not hide the exception already on its way out.
            connection.needs_rollback = True

    @staticmethod
    def exit_outermost(connection, failed: bool) -> None:
        """End the outermost block: COMMIT, or ROLLBACK on error; run or drop the on-commit callbacks."""
        connection.in_atomic_block = False
        try:
            if failed or connection.needs_rollback:
                try:
                    connection.rollback_transaction()
                except Error:
                    connection.close()  # a failed ROLLBACK leaves the connection unusable
            else:
                try:
                    connection.commit_transaction()
                except DatabaseError:
                    try:
                        connection.rollback_transaction()
                    except Error:
                        connection.close()
                    raise
        finally:
            connection.needs_rollback = False
            connection.autocommit = True
        connection.run_and_clear_commit_hooks()


def atomic(using=None, savepoint: bool = True, durable: bool = False):
    """Run a block (``with atomic():``) or a function (``@atomic``) in a transaction.

    Everything inside commits together or, if an exception leaves the block,
    not at all; the exception still propagates. Blocks nest: an inner one
    rolls back only its own work. ``durable=True`` makes sure the block is
    outermost, so its commit really reaches the disk.
    """
    if callable(using):  # @atomic without parentheses
        return Atomic(DEFAULT_DB_ALIAS, savepoint, durable)(using)
    return Atomic(using, savepoint, durable)


def non_atomic_requests(using: str | None = None):
    """Mark a view to run outside the per-request transaction of ``ATOMIC_REQUESTS``."""

    def decorate(view):
        aliases = set(getattr(view, "_non_atomic_requests", set()))
        aliases.add(DEFAULT_DB_ALIAS if using is None or callable(using) else using)
        view._non_atomic_requests = aliases
        return view

    if callable(using):
        return decorate(using)
    return decorate
