"""authenticate(): asking each backend of AUTHENTICATION_BACKENDS who these credentials belong to.

The backends here are small classes put in a throwaway module and named in
``AUTHENTICATION_BACKENDS``; each writes down that it was asked. Then
``ModelBackend`` with real users: the password checked, inactive users
refused, and an unknown username still costing one password hash (so the
time of the answer does not tell which usernames exist).
"""

import pytest

from tinyframe.core.exceptions import ImproperlyConfigured, PermissionDenied

asked = []


class Someone:
    """A user as a backend may return one: any object will do."""

    def __init__(self, name):
        self.name = name


class PasswordBackend:
    """Knows "ada" with the password "right"."""

    def authenticate(self, request, username=None, password=None):
        asked.append(("password", request))
        if username == "ada" and password == "right":
            return Someone("ada from passwords")
        return None


class EverybodyBackend:
    """Accepts anyone, whatever the credentials."""

    def authenticate(self, request, **credentials):
        asked.append(("everybody", request))
        return Someone("anyone")


class TokenBackend:
    """Takes a token, not a username and password."""

    def authenticate(self, request, token=None):
        asked.append(("token", request))
        return Someone("token holder") if token == "t0ken" else None


class LockedOutBackend:
    """Refuses "mallory" outright: no other backend may let her in."""

    def authenticate(self, request, username=None, password=None):
        asked.append(("locked", request))
        if username == "mallory":
            raise PermissionDenied
        return None


class BrokenBackend:
    """Takes the credentials, then fails with a TypeError of its own: a bug, which must not pass for a "no"."""

    def authenticate(self, request, username=None, password=None):
        asked.append(("broken", request))
        return len(None)  # TypeError: object of type 'NoneType' has no len()


@pytest.fixture
def backends(use_settings, throwaway_module):
    """``backends(*classes)``: make them ``AUTHENTICATION_BACKENDS``; return their paths."""
    asked.clear()

    def install(*classes) -> list[str]:
        module = throwaway_module(**{cls.__name__: cls for cls in classes})
        paths = [f"{module}.{cls.__name__}" for cls in classes]
        use_settings(AUTHENTICATION_BACKENDS=paths)
        return paths

    return install


@pytest.fixture
def failures():
    """The ``user_login_failed`` signals sent during the test, as dicts of their arguments."""
    from tinyframe.contrib.auth.signals import user_login_failed

    received = []

    def receiver(sender, **kwargs):
        received.append({"sender": sender, **kwargs})

    user_login_failed.connect(receiver)
    yield received
    user_login_failed.disconnect(receiver)


@pytest.mark.exercise("10.6")
def test_the_first_backend_that_returns_a_user_wins_and_is_recorded(backends):
    from tinyframe.contrib.auth import authenticate

    password_path, everybody_path = backends(PasswordBackend, EverybodyBackend)
    user = authenticate(username="ada", password="right")
    assert user.name == "ada from passwords"
    assert user.backend == password_path, "user.backend must be the dotted path of the backend that accepted"
    assert [name for name, _ in asked] == ["password"], "authenticate kept asking after a backend said yes"


@pytest.mark.exercise("10.6")
def test_a_backend_returning_none_passes_to_the_next(backends):
    from tinyframe.contrib.auth import authenticate

    _, everybody_path = backends(PasswordBackend, EverybodyBackend)
    user = authenticate(username="ada", password="wrong")
    assert user.name == "anyone"
    assert user.backend == everybody_path
    assert [name for name, _ in asked] == ["password", "everybody"]


@pytest.mark.exercise("10.6")
def test_the_request_goes_to_the_backend_first(backends):
    from tinyframe.contrib.auth import authenticate

    backends(PasswordBackend)
    request = object()
    authenticate(request, username="ada", password="right")
    authenticate(username="ada", password="right")
    assert asked == [("password", request), ("password", None)]


@pytest.mark.exercise("10.6")
def test_a_backend_that_cannot_take_the_credentials_is_skipped(backends):
    from tinyframe.contrib.auth import authenticate

    backends(TokenBackend, PasswordBackend)
    assert authenticate(username="ada", password="right").name == "ada from passwords"
    assert [name for name, _ in asked] == ["password"], "TokenBackend takes no username: it must not be called"
    asked.clear()
    assert authenticate(token="t0ken").name == "token holder"
    assert [name for name, _ in asked] == ["token"]


@pytest.mark.exercise("10.6")
def test_a_typeerror_raised_inside_a_backend_is_not_mistaken_for_a_skip(backends):
    """Only the signature decides a skip: a TypeError from the backend's own code is a bug, and it propagates."""
    from tinyframe.contrib.auth import authenticate

    backends(BrokenBackend, EverybodyBackend)
    with pytest.raises(TypeError, match="has no len"):
        authenticate(username="ada", password="right")
    assert [name for name, _ in asked] == ["broken"], "a later backend was asked after a backend's own bug"


@pytest.mark.exercise("10.6")
def test_permission_denied_stops_the_search_and_fails(backends, failures):
    from tinyframe.contrib.auth import authenticate

    backends(LockedOutBackend, EverybodyBackend)
    assert authenticate(username="mallory", password="anything") is None
    assert [name for name, _ in asked] == ["locked"], "a later backend was asked after PermissionDenied"
    assert len(failures) == 1


@pytest.mark.exercise("10.6")
def test_a_failed_login_is_signalled_with_the_password_starred_out(backends, failures):
    from tinyframe.contrib.auth import authenticate

    backends(PasswordBackend)
    request = object()
    assert authenticate(request, username="ada", password="hunter2") is None
    assert failures == [
        {
            "signal": failures[0]["signal"],
            "sender": "tinyframe.contrib.auth",
            "credentials": {"username": "ada", "password": "********************"},
            "request": request,
        }
    ]


@pytest.mark.exercise("10.6")
def test_every_sensitive_credential_is_starred_out(backends, failures):
    from tinyframe.contrib.auth import authenticate

    backends(TokenBackend)
    credentials = {"api_key": "k", "Secret": "s", "signature": "x", "token": "nope", "username": "ada"}
    authenticate(**{key: value for key, value in credentials.items() if key == "token"})
    authenticate(**credentials)
    stars = "********************"
    assert failures[0]["credentials"] == {"token": stars}
    assert failures[1]["credentials"] == {
        "api_key": stars, "Secret": stars, "signature": stars, "token": stars, "username": "ada"
    }  # fmt: skip


@pytest.mark.exercise("10.6")
def test_a_successful_login_sends_no_failure(backends, failures):
    from tinyframe.contrib.auth import authenticate

    backends(PasswordBackend)
    authenticate(username="ada", password="right")
    assert failures == []


@pytest.mark.exercise("10.6")
def test_model_backend_checks_the_password_of_a_saved_user(user):
    from tinyframe.contrib.auth import authenticate

    found = authenticate(username="ada", password="correct horse")
    assert found == user
    assert found.backend == "tinyframe.contrib.auth.backends.ModelBackend"
    assert authenticate(username="ada", password="wrong") is None
    assert authenticate(username="nobody", password="correct horse") is None


def test_no_backends_is_a_configuration_error(use_settings):
    from tinyframe.contrib.auth import authenticate

    use_settings(AUTHENTICATION_BACKENDS=[])
    with pytest.raises(ImproperlyConfigured) as caught:
        authenticate(username="ada", password="right")
    assert str(caught.value) == (
        "No authentication backends have been defined. Does AUTHENTICATION_BACKENDS contain anything?"
    )


def test_an_inactive_user_cannot_log_in_unless_the_backend_allows_all(make_user, use_settings):
    from tinyframe.contrib.auth import authenticate

    make_user("ada", "correct horse", is_active=False)
    assert authenticate(username="ada", password="correct horse") is None
    use_settings(AUTHENTICATION_BACKENDS=["tinyframe.contrib.auth.backends.AllowAllUsersModelBackend"])
    assert authenticate(username="ada", password="correct horse").username == "ada"


def test_model_backend_wants_both_a_username_and_a_password(user):
    from tinyframe.contrib.auth.backends import ModelBackend

    backend = ModelBackend()
    assert backend.authenticate(None, username="ada") is None
    assert backend.authenticate(None, password="correct horse") is None
    # The username may also come under the model's USERNAME_FIELD name.
    assert backend.authenticate(None, password="correct horse", **{"username": "ada"}) == user


@pytest.fixture
def hashes(monkeypatch):
    """The passwords the test hasher was asked to hash, in order."""
    from tinyframe.contrib.auth.hashers import MD5PasswordHasher

    hashed = []
    encode = MD5PasswordHasher.encode

    def counting_encode(self, password, salt):
        hashed.append(password)
        return encode(self, password, salt)

    monkeypatch.setattr(MD5PasswordHasher, "encode", counting_encode)
    return hashed


def test_an_unknown_username_still_costs_one_password_hash(user, hashes):
    """The timing defence: "no such user" must take as long as "wrong password"."""
    from tinyframe.contrib.auth import authenticate

    assert authenticate(username="nobody", password="guess") is None
    assert hashes == ["guess"], "no password was hashed for an unknown user: the reply is faster, and tells"
    hashes.clear()
    assert authenticate(username="ada", password="guess") is None
    assert hashes == ["guess"]


def test_get_backends_and_load_backend(use_settings):
    from tinyframe.contrib.auth import get_backends, load_backend
    from tinyframe.contrib.auth.backends import AllowAllUsersModelBackend, ModelBackend

    assert isinstance(load_backend("tinyframe.contrib.auth.backends.ModelBackend"), ModelBackend)
    use_settings(AUTHENTICATION_BACKENDS=[
        "tinyframe.contrib.auth.backends.ModelBackend", "tinyframe.contrib.auth.backends.AllowAllUsersModelBackend"
    ])  # fmt: skip
    assert [type(backend) for backend in get_backends()] == [ModelBackend, AllowAllUsersModelBackend]


def test_base_backend_knows_nobody_and_grants_nothing():
    from tinyframe.contrib.auth.backends import BaseBackend

    backend = BaseBackend()
    assert backend.authenticate(None, username="ada", password="x") is None
    assert backend.get_user(1) is None
    assert backend.get_all_permissions(object()) == set()
    assert backend.has_perm(object(), "blog.add_post") is False
