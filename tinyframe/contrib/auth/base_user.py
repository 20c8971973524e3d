"""The least a user model needs: a password kept as a hash, and a name to log in by.

How it works: ``AbstractBaseUser`` is an abstract model with two columns,
``password`` (always a hash made by ``hashers.make_password``, never the
password itself) and ``last_login``. A concrete user model adds its own
fields and names the one people log in with in ``USERNAME_FIELD``:

- ``set_password(raw)`` stores the hash and keeps the raw password only in
  memory, until ``save()`` tells the password validators it changed;
- ``check_password(raw)`` compares in constant time (the hasher's job) and,
  when the hash was made with weaker settings than today's, rehashes and
  saves it through a ``setter``, since only now is the raw password known;
- ``get_session_auth_hash()`` is an HMAC of the password hash: ``login``
  stores it in the session and ``get_user`` compares it on every request,
  so changing the password ends every other session.

``BaseUserManager`` is the matching manager: ``normalize_email`` and
``get_by_natural_key(username)``, which the login backend uses.

>>> BaseUserManager.normalize_email("Ada.Lovelace@EXAMPLE.Org")
'Ada.Lovelace@example.org'
"""

import unicodedata

from tinyframe.conf import settings
from tinyframe.db import models
from tinyframe.utils.crypto import salted_hmac

__all__ = ["AbstractBaseUser", "BaseUserManager"]

# tinyframe's own name, as its other salts are: a session hash made by Django for
# the same password hash and SECRET_KEY does not pass here (with Django's name
# in its place, the HMAC is Django's).
SESSION_AUTH_HASH_SALT = "tinyframe.contrib.auth.models.AbstractBaseUser.get_session_auth_hash"


class BaseUserManager(models.Manager):
    """The manager a user model starts from: email normalising and lookup by the login name."""

    @classmethod
    def normalize_email(cls, email) -> str:
        """Lowercase the domain part of an address; the part before the last ``@`` is left as given.

        The domain is case-insensitive by the standard; the local part may not
        be, so it is not touched. ``None`` becomes ``""``.

        >>> BaseUserManager.normalize_email(None), BaseUserManager.normalize_email("no-at-sign")
        ('', 'no-at-sign')
        """
        email = email or ""
        try:
            local_part, domain = email.strip().rsplit("@", 1)
        except ValueError:
            return email
        return f"{local_part}@{domain.lower()}"

    def get_by_natural_key(self, username):
        """The user whose ``USERNAME_FIELD`` is ``username`` (``DoesNotExist`` if none)."""
        return self.get(**{self.model.USERNAME_FIELD: username})


class AbstractBaseUser(models.Model):
    """A user with a hashed password: subclass it, add fields, and set ``USERNAME_FIELD``."""

    password = models.CharField("password", max_length=128)
    last_login = models.DateTimeField("last login", blank=True, null=True)

    is_active = True  # a model without an is_active column has only active users

    REQUIRED_FIELDS = []  # asked for by createsuperuser, besides the username and the password

    # The raw password, kept only between set_password() and save(), for the validators' password_changed.
    _password = None

    class Meta:
        abstract = True

    def __str__(self):
        return self.get_username()

    def save(self, *args, **kwargs) -> None:
        """Save; after a ``set_password``, tell the password validators and forget the raw password."""
        super().save(*args, **kwargs)
        if self._password is not None:
            from tinyframe.contrib.auth import password_validation

            password_validation.password_changed(self._password, self)
            self._password = None

    def get_username(self) -> str:
        """The value of the field named by ``USERNAME_FIELD``."""
        return getattr(self, self.USERNAME_FIELD)

    def clean(self) -> None:
        """Normalise the username (``normalize_username``) before validation."""
        setattr(self, self.USERNAME_FIELD, self.normalize_username(self.get_username()))

    def natural_key(self) -> tuple:
        """``(username,)``: how serializers name this user without its primary key."""
        return (self.get_username(),)

    @property
    def is_anonymous(self) -> bool:
        """Always False: a user from the database is never the anonymous visitor."""
        return False

    @property
    def is_authenticated(self) -> bool:
        """Always True: the way templates and views tell a real user from ``AnonymousUser``."""
        return True

    def set_password(self, raw_password) -> None:
        """Store the hash of ``raw_password`` (``None`` makes an unusable one); call ``save()`` after."""
        from tinyframe.contrib.auth.hashers import make_password

        self.password = make_password(raw_password)
        self._password = raw_password

    def check_password(self, raw_password) -> bool:
        """Whether ``raw_password`` is this user's; a hash made with outdated settings is remade and saved."""
        from tinyframe.contrib.auth.hashers import check_password

        def setter(raw_password):
            self.set_password(raw_password)
            self._password = None  # the password did not change: no password_changed
            self.save(update_fields=["password"])

        return check_password(raw_password, self.password, setter)

    def set_unusable_password(self) -> None:
        """Make every password fail (a user who logs in some other way); ``save()`` after."""
        from tinyframe.contrib.auth.hashers import make_password

        self.password = make_password(None)

    def has_usable_password(self) -> bool:
        """False after ``set_unusable_password``."""
        from tinyframe.contrib.auth.hashers import is_password_usable

        return is_password_usable(self.password)

    def get_session_auth_hash(self) -> str:
        """An HMAC-SHA256 of the password hash, under ``SECRET_KEY``: a new password, a new value."""
        return self._get_session_auth_hash()

    def get_session_auth_fallback_hash(self):
        """The same HMAC under each of ``SECRET_KEY_FALLBACKS``, so rotating the key keeps people logged in."""
        for fallback_secret in settings.SECRET_KEY_FALLBACKS:
            yield self._get_session_auth_hash(secret=fallback_secret)

    def _get_session_auth_hash(self, secret=None) -> str:
        return salted_hmac(SESSION_AUTH_HASH_SALT, self.password, secret=secret, algorithm="sha256").hexdigest()

    @classmethod
    def get_email_field_name(cls) -> str:
        """The name of the email field: ``EMAIL_FIELD``, else ``"email"``."""
        return getattr(cls, "EMAIL_FIELD", "email")

    @classmethod
    def normalize_username(cls, username):
        """NFKC-normalise a username, so look-alike spellings (``"ﬁ"`` and ``"fi"``) are one name.

        >>> AbstractBaseUser.normalize_username("ﬁsh")
        'fish'
        """
        return unicodedata.normalize("NFKC", username) if isinstance(username, str) else username
