"""SessionBase: the dict API, the lazy load (exercise 10.1), keys, encoding and expiry.

The store here keeps sessions in a dict and counts its loads, so these tests
see what ``SessionBase`` does by itself, without a database. Expected values
(the encoded vector, the key rules, the expiry arithmetic) are Django 5.2's,
checked by running the same calls through Django.
"""

import datetime
import logging
import re

import pytest

from tinyframe.contrib.sessions.backends.base import VALID_KEY_CHARS, CreateError, SessionBase, UpdateError
from tinyframe.core import signing
from tinyframe.utils import timezone

NOW = datetime.datetime(2027, 1, 15, 12, 0, tzinfo=datetime.timezone.utc)
TWO_WEEKS = 1209600


class MemoryStore(SessionBase):
    """Sessions in a class-level dict (emptied by the ``store`` fixture); ``loads`` counts ``load()`` calls."""

    sessions: dict = {}

    def __init__(self, session_key=None):
        super().__init__(session_key)
        self.loads = 0

    def load(self):
        self.loads += 1
        if self.session_key not in self.sessions:
            self._session_key = None
            return {}
        return self.decode(self.sessions[self.session_key])

    def exists(self, session_key):
        return session_key in self.sessions

    def create(self):
        self._session_key = self._get_new_session_key()
        self.save(must_create=True)
        self.modified = True

    def save(self, must_create=False):
        if self.session_key is None:
            return self.create()
        if must_create and self.session_key in self.sessions:
            raise CreateError
        if not must_create and self.session_key not in self.sessions:
            raise UpdateError
        self.sessions[self.session_key] = self.encode(self._get_session(no_load=must_create))

    def delete(self, session_key=None):
        self.sessions.pop(session_key or self.session_key, None)


@pytest.fixture
def store():
    """``MemoryStore`` with no sessions stored yet."""
    MemoryStore.sessions = {}
    return MemoryStore


@pytest.fixture
def saved(store):
    """The key of a stored session holding ``{"cart": [1, 2], "name": "Ada"}`` (written without the lazy load)."""
    key = "saved0key0" * 3 + "00"
    store.sessions[key] = store().encode({"cart": [1, 2], "name": "Ada"})
    return key


@pytest.fixture
def clock(monkeypatch):
    """Fix ``timezone.now()`` at ``NOW``; ``clock(datetime)`` moves it."""

    def set_now(moment):
        monkeypatch.setattr(timezone, "now", lambda: moment)

    set_now(NOW)
    return set_now


# Exercise 10.1: SessionBase._get_session, the lazy load.


@pytest.mark.exercise("10.1")
def test_a_session_loads_nothing_until_it_is_used(store, saved):
    session = store(saved)
    assert session.loads == 0, "making a store must not read it: most requests never touch their session"
    assert session.accessed is False
    assert session["name"] == "Ada"
    assert session.loads == 1


@pytest.mark.exercise("10.1")
def test_a_session_is_loaded_once_however_often_it_is_read(store, saved):
    session = store(saved)
    session.get("name"), session["cart"], "name" in session, list(session.items()), session.get("missing")
    assert session.loads == 1, f"load() ran {session.loads} times for one request; expected once"
    assert session._session is session._session, "_get_session() must return the same cached dict every time"


@pytest.mark.exercise("10.1")
def test_reading_marks_the_session_accessed_every_time(store, saved):
    session = store(saved)
    session.get("name")
    assert session.accessed is True
    session.accessed = False  # as if a new phase of the request started
    assert "cart" in session
    assert session.accessed is True, "a read from the cached dict must mark the session accessed too"


@pytest.mark.exercise("10.1")
def test_a_session_without_a_key_is_empty_and_never_loads(store):
    session = store()
    assert session.get("name") is None
    assert dict(session.items()) == {}
    assert session.loads == 0, "with no session_key there is nothing to load"
    assert session.accessed is True


@pytest.mark.exercise("10.1")
def test_a_key_the_store_does_not_know_gives_an_empty_session(store):
    session = store("made-up-by-a-visitor")
    assert session.get("name") is None
    assert session.loads == 1
    assert session.session_key is None, "the unknown key is dropped, so saving makes a new one (fixation)"


@pytest.mark.exercise("10.1")
def test_no_load_gives_an_empty_dict_without_reading_the_store(store, saved):
    session = store(saved)
    assert session._get_session(no_load=True) == {}
    assert session.loads == 0
    assert session.accessed is True
    assert session.get("name") is None, "the empty dict is cached: the data was not wanted"


@pytest.mark.exercise("10.1")
def test_writing_keeps_the_loaded_data(store, saved):
    session = store(saved)
    session["colour"] = "blue"
    assert session.loads == 1, "a write loads the data first, so the other keys are kept"
    assert dict(session.items()) == {"cart": [1, 2], "name": "Ada", "colour": "blue"}
    assert session.modified is True


@pytest.mark.exercise("10.1")
def test_the_load_result_is_the_dict_the_session_uses(store, saved):
    session = store(saved)
    data = session._get_session()
    data["direct"] = 1
    assert session["direct"] == 1
    assert session.loads == 1


# The dict API and the modified flag.


def test_reads_leave_the_session_unmodified(store, saved):
    session = store(saved)
    session.get("name"), session.keys(), session.values(), session.items(), session.has_key("cart")
    assert session.has_key("cart") and not session.has_key("nope")
    assert sorted(session.keys()) == ["cart", "name"]
    assert list(session.values()) == [[1, 2], "Ada"]
    assert session.modified is False


def test_item_assignment_and_deletion_mark_the_session_modified(store):
    session = store()
    session["a"] = 1
    assert session.modified is True
    session.modified = False
    del session["a"]
    assert session.modified is True
    with pytest.raises(KeyError):
        del session["a"]
    with pytest.raises(KeyError):
        session["a"]


def test_pop_marks_modified_only_when_the_key_was_there(store):
    session = store()
    assert session.pop("missing", "default") == "default"
    assert session.pop("missing", None) is None
    assert session.modified is False
    with pytest.raises(KeyError):
        session.pop("missing")
    session.update({"a": 1})
    session.modified = False
    assert session.pop("a") == 1
    assert session.modified is True


def test_setdefault_sets_only_a_missing_key(store):
    session = store()
    assert session.setdefault("a", 1) == 1
    assert session.modified is True
    session.modified = False
    assert session.setdefault("a", 2) == 1
    assert session.modified is False
    assert session["a"] == 1


def test_clear_empties_without_loading(store, saved):
    session = store(saved)
    session.clear()
    assert dict(session.items()) == {}
    assert session.loads == 0, "clear() need not read what it throws away"
    assert session.accessed is True and session.modified is True
    assert session.session_key == saved, "clear() keeps the key; flush() drops it"


def test_is_empty_means_no_key_and_no_data(store, saved):
    assert store().is_empty() is True
    fresh = store()
    fresh["a"] = 1
    assert fresh.is_empty() is False
    assert store(saved).is_empty() is False
    emptied = store()
    emptied.get("a")
    assert emptied.is_empty() is True


def test_the_test_cookie_trio(store):
    session = store()
    assert session.test_cookie_worked() is False
    session.set_test_cookie()
    assert session["testcookie"] == "worked"
    assert session.test_cookie_worked() is True
    session.delete_test_cookie()
    assert "testcookie" not in session


# Keys.


@pytest.mark.parametrize("key", [None, "", "short", "1234567"])
def test_a_key_shorter_than_8_characters_is_refused(store, key):
    session = store(key)
    assert session.session_key is None


def test_a_key_of_8_characters_is_kept(store):
    assert store("12345678").session_key == "12345678"


def test_session_key_cannot_be_assigned(store):
    with pytest.raises(AttributeError):
        store().session_key = "abcdefghijkl"


def test_new_keys_are_32_lowercase_letters_and_digits(store):
    keys = {store()._get_new_session_key() for _ in range(20)}
    assert len(keys) == 20
    for key in keys:
        assert re.fullmatch(r"[a-z0-9]{32}", key), key
    assert VALID_KEY_CHARS == "abcdefghijklmnopqrstuvwxyz0123456789"


def test_a_key_is_made_only_when_there_is_none(store, saved):
    fresh = store()
    key = fresh._get_or_create_session_key()
    assert fresh.session_key == key and len(key) == 32
    assert store(saved)._get_or_create_session_key() == saved


def test_a_new_key_skips_keys_the_store_holds(store, monkeypatch):
    taken = iter(["a" * 32, "b" * 32])
    monkeypatch.setattr("tinyframe.contrib.sessions.backends.base.get_random_string", lambda length, chars: next(taken))
    store.sessions["a" * 32] = "taken"
    assert store()._get_new_session_key() == "b" * 32


# Encoding: signed with signing.dumps, a salt per store class, JSON.

# Made by Django 5.2: SessionStore().encode(DATA) with SECRET_KEY
# "tinyframe-tests-not-secret", the signing time fixed at 1800000000. Django's
# salt is "django.contrib.sessions." + the class's name, ours the same with
# "tinyframe"; with the salt made equal, the bytes are the same both ways.
DATA = {"cart": [1, 2, 3], "name": "Ada"}
DJANGO_ENCODED = "eyJjYXJ0IjpbMSwyLDNdLCJuYW1lIjoiQWRhIn0:1xocE4:WvGiVOXSejGuqUbotUxOgd393Hzxh52RGuqxiOqGFqA"
DJANGO_COMPRESSED = ".eJyrVqpQslJKHCZAqRYAn1xN-w:1xocE4:4PjdEXeUAvscLueLqj--sBsNceS3NIW16iyv-ehV-PU"


class SessionStore(MemoryStore):
    """Named as Django's stores are, with Django's salt."""

    key_salt = "django.contrib.sessions.SessionStore"


@pytest.fixture
def signing_time(monkeypatch):
    monkeypatch.setattr(signing.TimestampSigner, "timestamp", lambda self: signing.b62_encode(1800000000))


def test_the_salt_names_the_store_class(store):
    assert store().key_salt == "tinyframe.contrib.sessions.MemoryStore"


def test_a_session_django_encoded_decodes_here():
    assert SessionStore().decode(DJANGO_ENCODED) == DATA
    assert SessionStore().decode(DJANGO_COMPRESSED) == {"x": "a" * 200}


def test_a_session_encoded_here_is_byte_for_byte_djangos(signing_time):
    assert SessionStore().encode(DATA) == DJANGO_ENCODED
    assert SessionStore().encode({"x": "a" * 200}) == DJANGO_COMPRESSED, "long data is compressed (leading '.')"


def test_encode_and_decode_round_trip(store):
    data = {"text": "é ✓ <b>", "numbers": [1, 2.5, None, True], "nested": {"a": {"b": []}}}
    assert store().decode(store().encode(data)) == data


def test_another_store_class_cannot_decode_the_data(store):
    assert SessionStore().decode(store().encode(DATA)) == {}


@pytest.mark.parametrize(
    "tampered",
    [
        DJANGO_ENCODED.replace("eyJjYXJ0", "eyJkYXJ0"),  # the data changed: {"dart": ...}
        DJANGO_ENCODED[:-1] + "B",  # the signature changed
        "eyJpc19hZG1pbiI6dHJ1ZX0:1xocE4:forged",  # {"is_admin":true} with a made-up signature
        "no separator at all",
        "",
    ],
)
def test_tampered_data_decodes_to_an_empty_session_and_is_logged(tampered, caplog):
    with caplog.at_level(logging.WARNING, logger="tinyframe.security.SuspiciousSession"):
        assert SessionStore().decode(tampered) == {}
    assert [(record.name, record.levelname, record.getMessage()) for record in caplog.records] == [
        ("tinyframe.security.SuspiciousSession", "WARNING", "Session data corrupted")
    ]


def test_well_signed_data_that_is_not_json_decodes_to_an_empty_session_quietly(caplog):
    signed = signing.TimestampSigner(salt=SessionStore.key_salt).sign("bm90IGpzb24")  # base64 of "not json"
    with caplog.at_level(logging.DEBUG):
        assert SessionStore().decode(signed) == {}
    assert caplog.records == []


class UpperSerializer:
    """A serializer that upper-cases the keys it writes: proof that SESSION_SERIALIZER is used."""

    def dumps(self, obj):
        return signing.JSONSerializer().dumps({key.upper(): value for key, value in obj.items()})

    def loads(self, data):
        return signing.JSONSerializer().loads(data)


def test_the_serializer_comes_from_the_setting(store, use_settings, throwaway_module):
    from tinyframe.contrib.sessions.serializers import JSONSerializer

    assert store().serializer is JSONSerializer
    use_settings(SESSION_SERIALIZER=f"{throwaway_module(UpperSerializer=UpperSerializer)}.UpperSerializer")
    session = store()
    assert session.serializer is UpperSerializer
    assert session.decode(session.encode({"a": 1})) == {"A": 1}


# Expiry, with the clock fixed at NOW.


def test_the_default_expiry_is_the_cookie_age(store, clock):
    session = store()
    assert session.get_session_cookie_age() == TWO_WEEKS
    assert session.get_expiry_age() == TWO_WEEKS
    assert session.get_expiry_date() == NOW + datetime.timedelta(seconds=TWO_WEEKS)
    assert session.get_expire_at_browser_close() is False


def test_the_cookie_age_setting_is_read_each_time(store, clock, use_settings):
    use_settings(SESSION_COOKIE_AGE=60)
    assert store().get_expiry_age() == 60
    assert store().get_expiry_date() == NOW + datetime.timedelta(seconds=60)


def test_set_expiry_seconds(store, clock):
    session = store()
    session.set_expiry(300)
    assert session["_session_expiry"] == 300
    assert session.get_expiry_age() == 300
    assert session.get_expiry_date() == NOW + datetime.timedelta(seconds=300)
    assert session.get_expire_at_browser_close() is False


def test_set_expiry_timedelta_is_a_fixed_moment_from_now(store, clock):
    session = store()
    session.set_expiry(datetime.timedelta(hours=1))
    assert session["_session_expiry"] == "2027-01-15T13:00:00+00:00", "stored as ISO text: JSON has no datetime"
    clock(NOW + datetime.timedelta(minutes=20))
    assert session.get_expiry_age() == 40 * 60, "a fixed moment comes closer as time passes"
    assert session.get_expiry_date() == NOW + datetime.timedelta(hours=1)


def test_set_expiry_datetime(store, clock):
    session = store()
    moment = datetime.datetime(2027, 2, 1, tzinfo=datetime.timezone.utc)
    session.set_expiry(moment)
    assert session.get_expiry_date() == moment
    assert session.get_expiry_age() == 16 * 86400 + 12 * 3600
    assert session.get_expiry_age(modification=moment - datetime.timedelta(seconds=90.5)) == 90


def test_set_expiry_zero_expires_at_browser_close(store, clock):
    session = store()
    session.set_expiry(0)
    assert session.get_expire_at_browser_close() is True
    assert session.get_expiry_age() == TWO_WEEKS, "the stored row still needs an expiry: the default age"


def test_set_expiry_none_goes_back_to_the_settings(store, clock, use_settings):
    session = store()
    session.set_expiry(0)
    session.set_expiry(None)
    assert "_session_expiry" not in session
    assert session.get_expire_at_browser_close() is False
    use_settings(SESSION_EXPIRE_AT_BROWSER_CLOSE=True)
    assert session.get_expire_at_browser_close() is True
    session.set_expiry(None)  # nothing to remove: no error
    session.set_expiry(60)
    assert session.get_expire_at_browser_close() is False, "an explicit expiry wins over the setting"


def test_expiry_given_as_arguments_does_not_load_the_session(store, saved, clock):
    session = store(saved)
    later = NOW + datetime.timedelta(days=1)
    assert session.get_expiry_age(expiry=None) == TWO_WEEKS
    assert session.get_expiry_age(modification=NOW, expiry=later) == 86400
    assert session.get_expiry_age(expiry=later.isoformat()) == 86400
    assert session.get_expiry_age(expiry=60) == 60
    assert session.get_expiry_date(expiry=None) == NOW + datetime.timedelta(seconds=TWO_WEEKS)
    assert session.get_expiry_date(modification=later, expiry=60) == later + datetime.timedelta(seconds=60)
    assert session.get_expiry_date(expiry=later.isoformat()) == later
    assert session.get_expiry_date(expiry=later) == later
    assert session.loads == 0


# flush and cycle_key.


def test_flush_empties_deletes_and_forgets_the_key(store, saved):
    session = store(saved)
    session.flush()
    assert session.session_key is None
    assert dict(session.items()) == {}
    assert saved not in store.sessions
    assert session.is_empty() is True
    assert session.modified is True


def test_cycle_key_moves_the_data_to_a_new_key(store, saved):
    session = store(saved)
    session.cycle_key()
    assert session.session_key not in (None, saved)
    assert saved not in store.sessions, "the old key must not work any more"
    assert dict(session.items()) == {"cart": [1, 2], "name": "Ada"}
    assert session.modified is True, "the middleware must send the new key"
    session.save()
    assert store(session.session_key)["name"] == "Ada"


def test_cycle_key_of_a_new_session(store):
    session = store()
    session["a"] = 1
    session.cycle_key()
    assert session.session_key is not None and session["a"] == 1


def test_the_storage_methods_are_for_a_backend_to_write():
    session = SessionBase()
    for call, name in [
        (lambda: session.exists("k" * 8), "an exists()"),
        (session.create, "a create()"),
        (session.save, "a save()"),
        (session.delete, "a delete()"),
        (session.load, "a load()"),
    ]:
        message = f"subclasses of SessionBase must provide {name} method"
        with pytest.raises(NotImplementedError, match=re.escape(message)):
            call()
    with pytest.raises(NotImplementedError, match=r"This backend does not support clear_expired\(\)\."):
        SessionBase.clear_expired()
