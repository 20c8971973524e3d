"""The signed-cookie backend: the whole session travels in the cookie, signed, and nothing is stored.

How it works: the "key" is the session itself, ``signing.dumps(data,
compress=True)``: JSON, zlib-compressed when that is shorter, base64 and a
timestamped HMAC. ``load()`` checks the signature and the age
(``SESSION_COOKIE_AGE``) and decodes; a forged, tampered or too old cookie
gives an empty session. ``save()`` only re-signs the data and marks the
session modified so that the middleware sends the new cookie.

What this costs: the visitor can read the data (signing is not encryption),
the cookie (4 KB at most in browsers) grows with the data, and a session
cannot be ended on the server: a copied cookie stays valid until it expires
(logout only makes the browser forget it). Keep secrets out, keep it small.

>>> session = SessionStore()
>>> session["cart"] = [1, 2]
>>> session.save()
>>> session.session_key.split(":")[0]  # the data, readable by anyone
'eyJjYXJ0IjpbMSwyXX0'
>>> SessionStore(session.session_key)["cart"]
[1, 2]
>>> SessionStore("eyJjYXJ0IjpbMSwyXX0:1xocE4:forged").get("cart") is None
True
"""

from tinyframe.contrib.sessions.backends.base import SessionBase
from tinyframe.core import signing

SALT = "tinyframe.contrib.sessions.backends.signed_cookies"


class SessionStore(SessionBase):
    """A session whose key is its own signed data."""

    def load(self) -> dict:
        """The data signed into the key; a bad or expired signature starts an empty session."""
        try:
            return signing.loads(
                self.session_key,
                serializer=self.serializer,
                # The signature's age, not a custom set_expiry(), bounds it (as in Django).
                max_age=self.get_session_cookie_age(),
                salt=SALT,
            )
        except Exception:  # BadSignature, SignatureExpired, or data that is not ours to decode
            self.create()
        return {}

    def create(self) -> None:
        """Nothing to reserve: mark the session modified so that a cookie is sent."""
        self.modified = True

    def save(self, must_create: bool = False) -> None:
        """Sign the current data into the key; the middleware puts the key in the cookie."""
        self._session_key = self._get_session_key()
        self.modified = True

    def exists(self, session_key: str | None = None) -> bool:
        """Always False: no shared store holds keys that a new one could collide with."""
        return False

    def delete(self, session_key: str | None = None) -> None:
        """Forget the data and the key; the middleware then deletes the cookie."""
        self._session_key = ""
        self._session_cache = {}
        self.modified = True

    def cycle_key(self) -> None:
        """Re-sign the data: the new signature's timestamp makes a new key."""
        self.save()

    # SessionBase's session_key property keeps calling the base class's
    # _get_session_key (it was bound when the property was made); this one is
    # only called by save(), which stores its result as the key.
    def _get_session_key(self) -> str:
        """The current data, signed with a timestamp and compressed: the value the cookie carries."""
        return signing.dumps(self._session, compress=True, salt=SALT, serializer=self.serializer)

    @classmethod
    def clear_expired(cls) -> None:
        """Nothing to clear: expired cookies are refused when they come back."""
