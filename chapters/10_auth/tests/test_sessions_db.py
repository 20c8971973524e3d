"""The database backend, the Session model, and ``clearsessions``.

Rows are written and read through ``SessionStore``; the assertions look at
the table itself (``Session.objects``) to see what a request left behind.
The clock is fixed (``timezone.now`` patched), so expiry needs no sleeping.
"""

import datetime
import logging

import pytest

from tinyframe.contrib.sessions.backends.base import CreateError, UpdateError
from tinyframe.contrib.sessions.backends.db import SessionStore
from tinyframe.contrib.sessions.base_session import AbstractBaseSession
from tinyframe.contrib.sessions.exceptions import SuspiciousSession
from tinyframe.contrib.sessions.models import Session
from tinyframe.core.management import call_command
from tinyframe.core.management.base import CommandError
from tinyframe.utils import timezone

NOW = datetime.datetime(2027, 1, 15, 12, 0, tzinfo=datetime.timezone.utc)
TWO_WEEKS = datetime.timedelta(seconds=1209600)


@pytest.fixture
def db(tables, monkeypatch):
    """The session table, and the clock fixed at ``NOW``; ``db.now = moment`` moves it."""
    tables(Session)

    class Clock:
        now = NOW

    monkeypatch.setattr(timezone, "now", lambda: Clock.now)
    return Clock


def stored(**data) -> SessionStore:
    """A session saved with ``data``."""
    session = SessionStore()
    session.update(data)
    session.save()
    return session


def test_saving_a_new_session_writes_a_row_with_a_new_key(db):
    session = stored(cart=[1, 2])
    row = Session.objects.get()
    assert row.session_key == session.session_key and len(row.session_key) == 32
    assert row.get_decoded() == {"cart": [1, 2]}
    assert row.expire_date == NOW + TWO_WEEKS
    assert "cart" not in row.session_data, "the data is base64 in the row, and signed"


def test_another_request_loads_the_session_by_its_key(db):
    key = stored(cart=[1, 2]).session_key
    session = SessionStore(key)
    assert session["cart"] == [1, 2]
    assert session.session_key == key


def test_saving_again_updates_the_same_row(db):
    session = stored(cart=[1])
    db.now = NOW + datetime.timedelta(hours=1)
    session["cart"] = [1, 2]
    session.save()
    row = Session.objects.get()
    assert row.get_decoded() == {"cart": [1, 2]}
    assert row.expire_date == db.now + TWO_WEEKS, "every save pushes the expiry back"


def test_an_expired_session_is_empty_and_saved_under_a_new_key(db):
    old = stored(user="ada")
    db.now = NOW + TWO_WEEKS + datetime.timedelta(seconds=1)
    session = SessionStore(old.session_key)
    assert session.get("user") is None
    assert session.session_key is None
    session["user"] = "bob"
    session.save()
    assert session.session_key != old.session_key
    left = Session.objects.get(pk=old.session_key).get_decoded()
    assert left == {"user": "ada"}, "the old row is left to clearsessions"


def test_a_key_chosen_by_a_visitor_is_never_adopted(db):
    # Session fixation: an attacker plants a key in a victim's browser, then
    # waits for the victim to log in under it. A key the store does not hold
    # must be replaced, not used.
    session = SessionStore("attackerchosenkey123")
    session["user"] = "victim"
    session.save()
    assert session.session_key != "attackerchosenkey123"
    assert not Session.objects.filter(session_key="attackerchosenkey123").exists()
    assert Session.objects.get().session_key == session.session_key


def test_exists(db):
    key = stored(a=1).session_key
    assert SessionStore().exists(key) is True
    assert SessionStore().exists("nosuchkey123") is False


def test_create_saves_an_empty_session_at_once(db):
    session = SessionStore()
    session.create()
    assert session.modified is True
    assert Session.objects.get().get_decoded() == {}
    assert Session.objects.get().session_key == session.session_key


def test_create_tries_another_key_when_the_first_is_taken(db, monkeypatch):
    taken = stored(owner="first").session_key
    keys = iter([taken, "b" * 32])
    # Another request takes the key between exists() and the INSERT.
    monkeypatch.setattr(SessionStore, "_get_new_session_key", lambda self: next(keys))
    session = SessionStore()
    session.create()
    assert session.session_key == "b" * 32
    assert Session.objects.get(pk=taken).get_decoded() == {"owner": "first"}, "the taken row is not overwritten"


def test_a_key_collision_inside_a_views_transaction_leaves_the_transaction_usable(db, monkeypatch):
    from tinyframe.db import transaction

    taken = stored(owner="first").session_key
    keys = iter([taken, "c" * 32])
    monkeypatch.setattr(SessionStore, "_get_new_session_key", lambda self: next(keys))
    with transaction.atomic():  # as under ATOMIC_REQUESTS
        SessionStore().create()
        assert Session.objects.count() == 2, "the failed INSERT rolled back to its savepoint only"
    assert sorted(Session.objects.values_list("session_key", flat=True)) == sorted([taken, "c" * 32])


def test_must_create_on_a_taken_key_raises_create_error(db):
    taken = stored(owner="first").session_key
    session = SessionStore(taken)
    session._session_cache = {"owner": "second"}
    with pytest.raises(CreateError):
        session.save(must_create=True)
    assert Session.objects.get().get_decoded() == {"owner": "first"}


def test_saving_a_session_deleted_meanwhile_raises_update_error(db):
    session = SessionStore(stored(a=1).session_key)
    session["a"] = 2
    SessionStore().delete(session.session_key)  # a logout in another tab
    with pytest.raises(UpdateError):
        session.save()
    assert Session.objects.count() == 0, "the deleted session is not brought back"


def test_other_database_errors_are_not_disguised(db, monkeypatch):
    from tinyframe.db import IntegrityError, OperationalError

    session = SessionStore(stored(a=1).session_key)
    session["a"] = 2

    def fail(*args, **kwargs):
        raise IntegrityError("NOT NULL constraint failed")

    monkeypatch.setattr(Session, "save", fail)
    with pytest.raises(IntegrityError):
        session.save()

    def locked(*args, **kwargs):
        raise OperationalError("database is locked")

    monkeypatch.setattr(Session, "save", locked)
    with pytest.raises(OperationalError):
        SessionStore().create()


def test_delete_removes_the_row(db):
    session = stored(a=1)
    other = stored(b=2)
    session.delete()
    assert list(Session.objects.values_list("session_key", flat=True)) == [other.session_key]
    SessionStore().delete(other.session_key)
    assert Session.objects.count() == 0
    SessionStore().delete()  # no key: nothing to do
    SessionStore().delete("nosuchkey123")


def test_flush_deletes_the_row(db):
    session = SessionStore(stored(user="ada").session_key)
    session.flush()
    assert Session.objects.count() == 0
    assert session.session_key is None
    assert session.is_empty()


def test_cycle_key_moves_the_row(db):
    old = stored(user="ada").session_key
    session = SessionStore(old)
    session.cycle_key()
    assert not Session.objects.filter(pk=old).exists(), "the old key must stop working"
    assert session.session_key != old
    assert session["user"] == "ada"
    session.save()
    assert SessionStore(session.session_key)["user"] == "ada"


def test_the_expiry_set_on_a_session_is_its_rows(db):
    session = SessionStore()
    session.set_expiry(60)
    session.save()
    assert Session.objects.get().expire_date == NOW + datetime.timedelta(seconds=60)
    db.now = NOW + datetime.timedelta(seconds=61)
    assert SessionStore(session.session_key).get("_session_expiry") is None


def test_clear_expired_deletes_only_expired_rows(db):
    short = SessionStore()
    short.set_expiry(60)
    short.save()
    long = stored(a=1)
    db.now = NOW + datetime.timedelta(seconds=61)
    SessionStore.clear_expired()
    assert list(Session.objects.values_list("session_key", flat=True)) == [long.session_key]


def test_a_suspicious_lookup_is_logged_and_gives_an_empty_session(db, caplog, monkeypatch):
    class Refusing:
        DoesNotExist = Session.DoesNotExist

        class objects:
            @staticmethod
            def get(**lookups):
                raise SuspiciousSession("Invalid characters in session key")

    session = SessionStore("key with spaces")
    session.model = Refusing
    with caplog.at_level(logging.WARNING):
        assert session.get("a") is None
    assert session.session_key is None
    assert [(record.name, record.getMessage()) for record in caplog.records] == [
        ("tinyframe.security.SuspiciousSession", "Invalid characters in session key")
    ]


# The model and its manager.


def test_the_model_is_djangos():
    meta = Session._meta
    assert meta.db_table == "tinyframe_session"
    assert (meta.verbose_name, meta.verbose_name_plural) == ("session", "sessions")
    key, data, expiry = meta.get_field("session_key"), meta.get_field("session_data"), meta.get_field("expire_date")
    assert key.primary_key and key.max_length == 40 and key.verbose_name == "session key"
    assert data.get_internal_type() == "TextField"
    assert expiry.get_internal_type() == "DateTimeField" and expiry.db_index
    assert Session.get_session_store_class() is SessionStore
    assert type(Session.objects).use_in_migrations is True


def test_str_is_the_key(db):
    assert str(Session.objects.get(pk=stored(a=1).session_key)) == Session.objects.get().session_key


def test_the_manager_saves_and_deletes_sessions_given_as_dicts(db):
    expiry = NOW + datetime.timedelta(days=1)
    Session.objects.save("k" * 32, {"a": 1}, expiry)
    assert SessionStore("k" * 32)["a"] == 1
    assert Session.objects.get().expire_date == expiry
    Session.objects.save("k" * 32, {}, expiry)
    assert Session.objects.count() == 0, "an empty session is deleted, not stored"
    assert SessionStore().decode(Session.objects.encode({"b": 2})) == {"b": 2}


def test_an_abstract_session_must_name_its_store():
    with pytest.raises(NotImplementedError, match="get_session_store_class"):
        AbstractBaseSession.get_session_store_class()


def test_the_migration_creates_the_model_as_it_is():
    # What makemigrations compares, field by field, without loading every app's migrations.
    import importlib

    [operation] = importlib.import_module("tinyframe.contrib.sessions.migrations.0001_initial").Migration.operations
    assert operation.name == "Session"
    assert [(name, field.deconstruct()[1:]) for name, field in operation.fields] == [
        (field.name, field.deconstruct()[1:]) for field in Session._meta.local_fields
    ]
    assert operation.options["db_table"] == "tinyframe_session"


# clearsessions


def test_clearsessions_deletes_the_expired_sessions(db):
    expired = SessionStore()
    expired.set_expiry(60)
    expired.save()
    kept = stored(a=1)
    db.now = NOW + datetime.timedelta(minutes=5)
    call_command("clearsessions")
    assert list(Session.objects.values_list("session_key", flat=True)) == [kept.session_key]


def test_clearsessions_with_the_cookie_backend_does_nothing(use_settings):
    use_settings(SESSION_ENGINE="tinyframe.contrib.sessions.backends.signed_cookies")
    call_command("clearsessions")


def test_clearsessions_says_when_the_engine_cannot_clear(use_settings, throwaway_module):
    from tinyframe.contrib.sessions.backends.base import SessionBase

    engine = throwaway_module(SessionStore=type("SessionStore", (SessionBase,), {}))
    use_settings(SESSION_ENGINE=engine)
    with pytest.raises(CommandError) as caught:
        call_command("clearsessions")
    assert str(caught.value) == f"Session engine '{engine}' doesn't support clearing expired sessions."
