"""The abstract session model, importable even when the sessions app is not installed.

How it works: ``AbstractBaseSession`` is one row per session: the key the
visitor's cookie carries (the primary key), the session's data as the signed
text ``SessionBase.encode`` makes, and the moment it expires. It does not know
how its data is encoded: ``get_session_store_class()`` names the store that
does, and ``get_decoded()`` asks it. ``BaseSessionManager`` writes a session
from outside a request (``Session.objects.save(key, {"cart": [1]}, expiry)``),
encoding through the same store.

A project that wants more columns (the user, the IP address) subclasses it and
names its own store, as Django's documentation shows for custom backends.
"""

from tinyframe.db import models


class BaseSessionManager(models.Manager):
    """The manager of session models: it encodes and saves sessions given as plain dicts."""

    def encode(self, session_dict: dict) -> str:
        """``session_dict`` as the signed text the model's store writes in ``session_data``."""
        session_store_class = self.model.get_session_store_class()
        return session_store_class().encode(session_dict)

    def save(self, session_key: str, session_dict: dict, expire_date):
        """Write the session ``session_key`` with this data and expiry; an empty dict deletes its row instead."""
        session = self.model(session_key, self.encode(session_dict), expire_date)
        if session_dict:
            session.save()
        else:
            session.delete()
        return session


class AbstractBaseSession(models.Model):
    """One stored session: its key, its encoded data, and when it stops being valid."""

    session_key = models.CharField("session key", max_length=40, primary_key=True)
    session_data = models.TextField("session data")
    expire_date = models.DateTimeField("expire date", db_index=True)

    objects = BaseSessionManager()

    class Meta:
        abstract = True
        verbose_name = "session"
        verbose_name_plural = "sessions"

    def __str__(self):
        return self.session_key

    @classmethod
    def get_session_store_class(cls):
        """The ``SessionBase`` subclass that encodes and decodes this model's ``session_data``."""
        raise NotImplementedError("subclasses of AbstractBaseSession must provide a get_session_store_class() method")

    def get_decoded(self) -> dict:
        """The session's data as a dict (an empty one when the data was tampered with)."""
        return self.get_session_store_class()().decode(self.session_data)
