"""SessionBase: a dict that remembers one visitor's data between requests.

How it works: ``SessionMiddleware`` makes ``request.session =
SessionStore(key)`` from the key in the visitor's cookie. Nothing is read yet:
the first use (``request.session["cart"]``) goes through ``_session``, which
calls ``_get_session``, which asks the backend's ``load()`` for the data once
and keeps it. Writing marks the session ``modified``; at the end of the
request the middleware calls ``save()``, and the backend stores the data
(``encode`` signs it with ``tinyframe.core.signing.dumps``) under the key, making
a new key first if there is none. ``load()`` reads it back through ``decode``,
which turns anything tampered with into an empty session.

This class holds everything that does not depend on where sessions live: the
dict API, the lazy load, the expiry arithmetic, the key rules, ``flush`` and
``cycle_key``. A backend (``backends/db.py``, ``backends/signed_cookies.py``)
provides the storage: ``exists``, ``create``, ``save``, ``delete``, ``load``
and ``clear_expired``.

What the middleware reads at the end of the request:

- ``accessed``: the data was looked at, so the response depends on the cookie
  (``Vary: Cookie``);
- ``modified``: the data changed, so it must be saved and the cookie sent;
- ``is_empty()``: no key and no data, so there is nothing to keep (and a
  cookie the browser sent should be deleted);
- ``session_key``: None until the session is saved, and again after
  ``flush()``; never a value shorter than 8 characters.
"""

import datetime
import logging
import string

from tinyframe.conf import settings
from tinyframe.core import signing
from tinyframe.utils import timezone
from tinyframe.utils.crypto import get_random_string
from tinyframe.utils.module_loading import import_string

# Lower case only: some backends (files on a case-insensitive disk, in Django)
# would see "ABC" and "abc" as one key.
VALID_KEY_CHARS = string.ascii_lowercase + string.digits

# The data key under which set_expiry() records a custom expiry.
EXPIRY_KEY = "_session_expiry"


class CreateError(Exception):
    """``save(must_create=True)`` found the key already taken; ``create()`` catches it and tries another key."""


class UpdateError(Exception):
    """``save()`` found no session to update: it was deleted (a logout elsewhere) during the request."""


class SessionBase:
    """The dict-like API, lazy loading and expiry shared by every session backend.

    ``session_key`` is the key from the visitor's cookie, or None for a new
    session. Subclasses implement the storage methods at the end of the class.
    """

    TEST_COOKIE_NAME = "testcookie"
    TEST_COOKIE_VALUE = "worked"

    # Told apart from every value a caller could pass as pop()'s default.
    _not_given = object()

    def __init__(self, session_key: str | None = None):
        self._session_key = session_key
        self.accessed = False
        self.modified = False
        self.serializer = import_string(settings.SESSION_SERIALIZER)

    # The dict API. Reads go through self._session, which loads the data on
    # first use; writes also set self.modified so the middleware saves them.

    def __contains__(self, key) -> bool:
        return key in self._session

    def __getitem__(self, key):
        return self._session[key]

    def __setitem__(self, key, value) -> None:
        self._session[key] = value
        self.modified = True

    def __delitem__(self, key) -> None:
        del self._session[key]
        self.modified = True

    def get(self, key, default=None):
        """``session[key]`` if the key is there, else ``default``."""
        return self._session.get(key, default)

    def pop(self, key, default=_not_given):
        """Remove ``key`` and return its value (or ``default``; ``KeyError`` without one, as ``dict.pop``)."""
        self.modified = self.modified or key in self._session
        args = () if default is self._not_given else (default,)
        return self._session.pop(key, *args)

    def setdefault(self, key, value):
        """``session[key]``, first setting it to ``value`` when it is missing."""
        if key not in self._session:
            self[key] = value
        return self._session[key]

    def update(self, dict_) -> None:
        """Set every key of ``dict_``, as ``dict.update``."""
        self._session.update(dict_)
        self.modified = True

    def has_key(self, key) -> bool:
        """``key in session``, under its old dict name."""
        return key in self._session

    def keys(self):
        return self._session.keys()

    def values(self):
        return self._session.values()

    def items(self):
        return self._session.items()

    def clear(self) -> None:
        """Empty the session; the key is kept (``flush`` drops it too)."""
        # No need to load what is about to be thrown away.
        self._session_cache = {}
        self.accessed = True
        self.modified = True

    def is_empty(self) -> bool:
        """True when there is no key and no data loaded: nothing to save, nothing to keep in a cookie."""
        try:
            return not self._session_key and not self._session_cache
        except AttributeError:  # the data was never loaded
            return True

    # The test cookie: a view sets it on one page and checks it on the next,
    # to tell a visitor whose browser refuses cookies.

    def set_test_cookie(self) -> None:
        self[self.TEST_COOKIE_NAME] = self.TEST_COOKIE_VALUE

    def test_cookie_worked(self) -> bool:
        return self.get(self.TEST_COOKIE_NAME) == self.TEST_COOKIE_VALUE

    def delete_test_cookie(self) -> None:
        del self[self.TEST_COOKIE_NAME]

    # Encoding: the data is stored signed, so that data changed outside
    # tinyframe (a stolen database dump edited and put back, a forged cookie
    # for the cookie backend) is refused.

    @property
    def key_salt(self) -> str:
        """The signing salt: one per store class, so one backend's data never passes for another's."""
        return "tinyframe.contrib.sessions." + self.__class__.__qualname__

    def encode(self, session_dict: dict) -> str:
        """The session's data as signed, compressed, URL-safe text (``signing.dumps``)."""
        return signing.dumps(session_dict, salt=self.key_salt, serializer=self.serializer, compress=True)

    def decode(self, session_data: str) -> dict:
        """The data ``encode`` wrote; an empty dict for anything tampered with or unreadable.

        A bad signature is logged as a warning on the
        ``tinyframe.security.SuspiciousSession`` logger; the visitor simply gets
        an empty session, never an error page.
        """
        try:
            return signing.loads(session_data, salt=self.key_salt, serializer=self.serializer)
        except signing.BadSignature:
            logging.getLogger("tinyframe.security.SuspiciousSession").warning("Session data corrupted")
        except Exception:  # signed by us but not decodable (a changed serializer): start afresh
            pass
        return {}

    # The key. Only _session_key can be assigned, and an assigned value shorter
    # than 8 characters (or empty) becomes None, so a visitor cannot choose
    # a trivially guessable key for anyone.

    def _get_session_key(self) -> str | None:
        return self.__session_key

    def _set_session_key(self, value) -> None:
        self.__session_key = value if self._validate_session_key(value) else None

    session_key = property(_get_session_key)
    _session_key = property(_get_session_key, _set_session_key)

    def _validate_session_key(self, key) -> bool:
        """A key is accepted when it is a string of at least 8 characters.

        >>> SessionBase("12345678").session_key, SessionBase("1234567").session_key, SessionBase("").session_key
        ('12345678', None, None)
        """
        return bool(key) and len(key) >= 8

    def _get_new_session_key(self) -> str:
        """A random 32-character key of lowercase letters and digits that the store does not hold yet."""
        while True:
            session_key = get_random_string(32, VALID_KEY_CHARS)
            if not self.exists(session_key):
                return session_key

    def _get_or_create_session_key(self) -> str:
        if self._session_key is None:
            self._session_key = self._get_new_session_key()
        return self._session_key

    # The lazy load.

    def _get_session(self, no_load: bool = False) -> dict:
        """The session's data as a dict, loaded from the store on first use only.

        Exercise 10.1. Every call marks the session ``accessed`` (the response
        will then vary on the cookie). The first call fills
        ``self._session_cache``: with ``self.load()`` when there is a
        ``session_key``, else with an empty dict; also with an empty dict when
        ``no_load`` is true (the caller is about to overwrite the data, so
        reading it would be wasted). Later calls return that same dict without
        calling ``load()`` again: one request reads the store at most once.
        """
        self.accessed = True
        try:
            return self._session_cache
        except AttributeError:
            if self.session_key is None or no_load:
                self._session_cache = {}
            else:
                self._session_cache = self.load()
        return self._session_cache

    _session = property(_get_session)

    # Expiry. A session expires SESSION_COOKIE_AGE seconds after its last
    # save, unless set_expiry() stored another rule under "_session_expiry":
    # a number of seconds of inactivity, or a fixed moment (an ISO string,
    # since JSON has no datetime).

    def get_session_cookie_age(self) -> int:
        """The default lifetime in seconds (``SESSION_COOKIE_AGE``)."""
        return settings.SESSION_COOKIE_AGE

    def _expiry_arguments(self, kwargs) -> tuple:
        # Callers (the db backend) pass modification= and expiry= to compute an
        # expiry without loading the session: "expiry=None given" differs from
        # "expiry not given", hence the membership tests.
        modification = kwargs["modification"] if "modification" in kwargs else timezone.now()
        expiry = kwargs["expiry"] if "expiry" in kwargs else self.get(EXPIRY_KEY)
        return modification, expiry

    def get_expiry_age(self, **kwargs) -> int:
        """Seconds from now (or from ``modification=``) until the session expires."""
        modification, expiry = self._expiry_arguments(kwargs)
        if not expiry:  # None or 0: the default age
            return self.get_session_cookie_age()
        if not isinstance(expiry, (datetime.datetime, str)):
            return expiry
        if isinstance(expiry, str):
            expiry = datetime.datetime.fromisoformat(expiry)
        delta = expiry - modification
        return delta.days * 86400 + delta.seconds

    def get_expiry_date(self, **kwargs) -> datetime.datetime:
        """The moment the session expires, counted from now (or from ``modification=``)."""
        modification, expiry = self._expiry_arguments(kwargs)
        if isinstance(expiry, datetime.datetime):
            return expiry
        if isinstance(expiry, str):
            return datetime.datetime.fromisoformat(expiry)
        return modification + datetime.timedelta(seconds=expiry or self.get_session_cookie_age())

    def set_expiry(self, value) -> None:
        """Choose when this session expires.

        - an ``int``: after that many seconds without a request that saves it;
          ``0``: when the browser closes (the cookie gets no ``Max-Age``);
        - a ``datetime``, or a ``timedelta`` from now: at that moment;
        - ``None``: back to the project's rule (``SESSION_COOKIE_AGE`` and
          ``SESSION_EXPIRE_AT_BROWSER_CLOSE``).
        """
        if value is None:
            # Not pop(): pop computes "modified or key in session" before the
            # load runs, so a load that marks the session modified (a bad
            # signed cookie is replaced by a new one) would be forgotten.
            try:
                del self[EXPIRY_KEY]
            except KeyError:
                pass
            return
        if isinstance(value, datetime.timedelta):
            value = timezone.now() + value
        if isinstance(value, datetime.datetime):
            value = value.isoformat()
        self[EXPIRY_KEY] = value

    def get_expire_at_browser_close(self) -> bool:
        """Whether the cookie lasts only until the browser closes (``set_expiry(0)``, or the setting)."""
        expiry = self.get(EXPIRY_KEY)
        if expiry is None:
            return settings.SESSION_EXPIRE_AT_BROWSER_CLOSE
        return expiry == 0

    # Starting over.

    def flush(self) -> None:
        """Empty the session, delete it from the store and forget its key (logout does this)."""
        self.clear()
        self.delete()
        self._session_key = None

    def cycle_key(self) -> None:
        """Move the data to a new key and delete the old one (login does this, against session fixation)."""
        data = self._session
        key = self.session_key
        self.create()
        self._session_cache = data
        if key:
            self.delete(key)

    # The storage, for a backend to provide.

    def exists(self, session_key: str) -> bool:
        """Whether the store holds a session under ``session_key``."""
        raise NotImplementedError("subclasses of SessionBase must provide an exists() method")

    def create(self) -> None:
        """Take a new, unused key and save the (empty) session under it before returning."""
        raise NotImplementedError("subclasses of SessionBase must provide a create() method")

    def save(self, must_create: bool = False) -> None:
        """Store the data: only as a new session when ``must_create`` (else ``CreateError``),
        otherwise only over an existing one (else ``UpdateError``)."""
        raise NotImplementedError("subclasses of SessionBase must provide a save() method")

    def delete(self, session_key: str | None = None) -> None:
        """Delete the session ``session_key`` (by default this one) from the store."""
        raise NotImplementedError("subclasses of SessionBase must provide a delete() method")

    def load(self) -> dict:
        """Read this session's data from the store; an empty dict when it is missing or expired."""
        raise NotImplementedError("subclasses of SessionBase must provide a load() method")

    @classmethod
    def clear_expired(cls) -> None:
        """Delete the expired sessions (``clearsessions``); raise NotImplementedError if the store cannot."""
        raise NotImplementedError("This backend does not support clear_expired().")
