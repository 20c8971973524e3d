"""The database backend (the default ``SESSION_ENGINE``): one ``Session`` row per session.

How it works: ``load()`` fetches the row whose key is the cookie's and whose
``expire_date`` is still ahead, and decodes its data. A key with no such row
(made up, expired, deleted by a logout) is dropped: the session starts empty
and ``save()`` will give it a new key, so a visitor can never make the site
adopt a key they chose (session fixation). ``save()`` writes the row with an
INSERT when the session is new (``create()`` picks a random key and retries on
the rare collision) and an UPDATE otherwise, in a transaction;
``delete()`` removes it, and ``clear_expired()`` removes every expired row.
"""

import logging

from tinyframe.contrib.sessions.backends.base import CreateError, SessionBase, UpdateError
from tinyframe.core.exceptions import SuspiciousOperation
from tinyframe.db import DEFAULT_DB_ALIAS, DatabaseError, IntegrityError, transaction
from tinyframe.utils import timezone
from tinyframe.utils.functional import cached_property


class SessionStore(SessionBase):
    """Sessions kept in the database, through the model ``get_model_class()`` returns."""

    def __init__(self, session_key: str | None = None):
        super().__init__(session_key)

    @classmethod
    def get_model_class(cls):
        """The model the sessions are rows of (``Session``); a subclass may name another."""
        # Imported here so that importing the store does not need the app registry.
        from tinyframe.contrib.sessions.models import Session

        return Session

    @cached_property
    def model(self):
        return self.get_model_class()

    def _get_session_from_db(self):
        """The row of this session if it exists and has not expired; else None, and the key is forgotten."""
        try:
            return self.model.objects.get(session_key=self.session_key, expire_date__gt=timezone.now())
        except (self.model.DoesNotExist, SuspiciousOperation) as error:
            if isinstance(error, SuspiciousOperation):
                logging.getLogger(f"tinyframe.security.{error.__class__.__name__}").warning(str(error))
            self._session_key = None
            return None

    def load(self) -> dict:
        row = self._get_session_from_db()
        return self.decode(row.session_data) if row else {}

    def exists(self, session_key: str) -> bool:
        return self.model.objects.filter(session_key=session_key).exists()

    def create(self) -> None:
        while True:
            self._session_key = self._get_new_session_key()
            try:
                # Saved at once, so that the key is ours before anyone else can take it.
                self.save(must_create=True)
            except CreateError:
                continue  # another session took this key between exists() and the INSERT
            self.modified = True
            return

    def create_model_instance(self, data: dict):
        """A model instance holding this session's key, ``data`` encoded, and its expiry date."""
        return self.model(
            session_key=self._get_or_create_session_key(),
            session_data=self.encode(data),
            expire_date=self.get_expiry_date(),
        )

    def save(self, must_create: bool = False) -> None:
        """Write the row: an INSERT when ``must_create``, else an UPDATE.

        An INSERT on a taken key raises ``CreateError``; an UPDATE that finds
        no row (the session was deleted meanwhile) raises ``UpdateError``.
        """
        if self.session_key is None:
            return self.create()
        data = self._get_session(no_load=must_create)
        row = self.create_model_instance(data)
        using = DEFAULT_DB_ALIAS  # tinyframe has no database routers: sessions live in "default"
        try:
            # Inside a view's own transaction, this becomes a savepoint: a failed
            # INSERT rolls back only itself, and the view's work stays usable.
            with transaction.atomic(using=using):
                row.save(force_insert=must_create, force_update=not must_create, using=using)
        except IntegrityError:
            if must_create:
                raise CreateError
            raise
        except DatabaseError:
            if not must_create:
                raise UpdateError
            raise

    def delete(self, session_key: str | None = None) -> None:
        if session_key is None:
            if self.session_key is None:
                return
            session_key = self.session_key
        self.model.objects.filter(session_key=session_key).delete()

    @classmethod
    def clear_expired(cls) -> None:
        cls.get_model_class().objects.filter(expire_date__lt=timezone.now()).delete()
