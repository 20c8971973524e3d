"""Users: who is asking, and what they may do.

How it works, one login from start to finish:

1. ``authenticate(request, username=..., password=...)`` asks each backend
   of ``AUTHENTICATION_BACKENDS`` in turn; the first to return a user wins,
   and the user remembers which one (``user.backend``).
2. ``login(request, user)`` gives the visitor a new session key (so a key
   an attacker planted before the login is worth nothing afterwards), then
   stores three values in the session: the user's primary key
   (``SESSION_KEY``), the backend's path (``BACKEND_SESSION_KEY``) and an
   HMAC of the password hash (``HASH_SESSION_KEY``).
3. On every later request, ``AuthenticationMiddleware`` sets ``request.user``
   to ``get_user(request)``, lazily: it reads the three values back, asks
   the backend for the user, and compares the stored HMAC with the user's
   current one, so changing the password logs out every other session.
4. ``logout(request)`` empties the session and gives it a new key.

``get_user_model()`` is the user model the project chose (``AUTH_USER_MODEL``).
"""

import inspect
import re

from tinyframe.conf import settings
from tinyframe.core.exceptions import ImproperlyConfigured, PermissionDenied
from tinyframe.utils.crypto import constant_time_compare
from tinyframe.utils.module_loading import import_string

__all__ = [
    "BACKEND_SESSION_KEY", "HASH_SESSION_KEY", "REDIRECT_FIELD_NAME", "SESSION_KEY", "authenticate",
    "get_backends", "get_permission_codename", "get_user", "get_user_model", "load_backend", "login", "logout",
    "update_session_auth_hash",
]  # fmt: skip

# The session keys, Django's, so a session from a Django site reads the same here.
SESSION_KEY = "_auth_user_id"
BACKEND_SESSION_KEY = "_auth_user_backend"
HASH_SESSION_KEY = "_auth_user_hash"
# The query parameter that carries where to go after logging in: /accounts/login/?next=/blog/
REDIRECT_FIELD_NAME = "next"

# Credentials whose name matches this are replaced by CLEANSED_SUBSTITUTE in user_login_failed.
SENSITIVE_CREDENTIALS = re.compile("api|token|key|secret|password|signature", re.IGNORECASE)
CLEANSED_SUBSTITUTE = "********************"


def load_backend(path: str):
    """An instance of the backend class at dotted ``path``."""
    return import_string(path)()


def _get_backends(return_tuples: bool = False) -> list:
    """Every backend of ``AUTHENTICATION_BACKENDS``, as ``(backend, path)`` pairs with ``return_tuples``."""
    backends = []
    for backend_path in settings.AUTHENTICATION_BACKENDS:
        backend = load_backend(backend_path)
        backends.append((backend, backend_path) if return_tuples else backend)
    if not backends:
        raise ImproperlyConfigured(
            "No authentication backends have been defined. Does AUTHENTICATION_BACKENDS contain anything?"
        )
    return backends


def get_backends() -> list:
    """An instance of every backend of ``AUTHENTICATION_BACKENDS``, in order."""
    return _get_backends(return_tuples=False)


def _clean_credentials(credentials: dict) -> dict:
    """``credentials`` with every password, token, key, secret or signature replaced by stars.

    >>> _clean_credentials({"username": "ada", "password": "hunter2", "api_key": "k"})
    {'username': 'ada', 'password': '********************', 'api_key': '********************'}
    """
    return {key: CLEANSED_SUBSTITUTE if SENSITIVE_CREDENTIALS.search(key) else value
            for key, value in credentials.items()}  # fmt: skip


def authenticate(request=None, **credentials):
    """The user these credentials belong to, asking each backend of ``AUTHENTICATION_BACKENDS`` in order; else None.

    Exercise 10.6. For each ``(backend, path)`` of
    ``_get_backends(return_tuples=True)``:

    - skip the backend when its ``authenticate`` cannot take these
      arguments: ``inspect.signature(backend.authenticate).bind(request,
      **credentials)`` raises ``TypeError`` (a backend for API tokens has no
      ``password`` parameter; calling it would be an error, not a "no");
    - call ``backend.authenticate(request, **credentials)``. ``None`` means
      "not mine": try the next backend. ``PermissionDenied`` means "mine,
      and refused": stop asking, the login fails;
    - a user is the answer: set ``user.backend = path`` (``login`` stores it
      in the session, so later requests ask the same backend) and return it.

    When no backend returned a user, send ``user_login_failed`` (from
    ``signals``) with ``sender=__name__``, ``request=request`` and
    ``credentials=_clean_credentials(credentials)`` (the password replaced
    by ``"********************"``: receivers log things), and return None.
    """
    from tinyframe.contrib.auth.signals import user_login_failed

    for backend, backend_path in _get_backends(return_tuples=True):
        try:
            inspect.signature(backend.authenticate).bind(request, **credentials)
        except TypeError:
            continue  # this backend does not take these credentials
        try:
            user = backend.authenticate(request, **credentials)
        except PermissionDenied:
            break  # the backend refuses: no other backend may accept
        if user is None:
            continue
        user.backend = backend_path
        return user
    user_login_failed.send(sender=__name__, credentials=_clean_credentials(credentials), request=request)
    return None


def _get_user_session_key(request):
    """The logged-in user's primary key from the session (stored as a string), as the pk field's Python value."""
    return get_user_model()._meta.pk.to_python(request.session[SESSION_KEY])


def _get_backend_path(user, backend) -> str:
    """The backend to record for ``user``: ``backend``, else ``user.backend``, else the only one configured."""
    try:
        backend = backend or user.backend
    except AttributeError:
        backends = _get_backends(return_tuples=True)
        if len(backends) != 1:
            raise ValueError(
                "You have multiple authentication backends configured and therefore must provide the `backend` "
                "argument or set the `backend` attribute on the user."
            ) from None
        return backends[0][1]
    if not isinstance(backend, str):
        raise TypeError(f"backend must be a dotted import path string (got {backend!r}).")
    return backend


def login(request, user, backend=None) -> None:
    """Remember ``user`` in the request's session, so the following requests are theirs.

    The session gets a new key first: a key set before the login (perhaps
    by an attacker who gave the victim a link with it) must not become a
    logged-in session. When another user was logged in, or the same user
    with another password, the old session's data goes too (``flush``).
    The CSRF token rotates for the same reason.
    """
    from tinyframe.contrib.auth.signals import user_logged_in
    from tinyframe.middleware.csrf import rotate_token

    session_auth_hash = user.get_session_auth_hash() if hasattr(user, "get_session_auth_hash") else ""
    if SESSION_KEY in request.session:
        if _get_user_session_key(request) != user.pk or (
            session_auth_hash
            and not constant_time_compare(request.session.get(HASH_SESSION_KEY, ""), session_auth_hash)
        ):
            # Someone else's session (or this user's under an old password): start from an empty one.
            request.session.flush()
    else:
        request.session.cycle_key()
    backend = _get_backend_path(user, backend)
    request.session[SESSION_KEY] = str(user.pk)  # sessions hold JSON: a string, whatever the key type
    request.session[BACKEND_SESSION_KEY] = backend
    request.session[HASH_SESSION_KEY] = session_auth_hash
    if hasattr(request, "user"):
        request.user = user
    rotate_token(request)
    user_logged_in.send(sender=type(user), request=request, user=user)


def logout(request) -> None:
    """Forget who was logged in: send ``user_logged_out``, empty the session (a new key too), become anonymous."""
    from tinyframe.contrib.auth.models import AnonymousUser
    from tinyframe.contrib.auth.signals import user_logged_out

    user = getattr(request, "user", None)
    if not getattr(user, "is_authenticated", True):
        user = None
    user_logged_out.send(sender=type(user), request=request, user=user)
    request.session.flush()
    if hasattr(request, "user"):
        request.user = AnonymousUser()


def get_user_model():
    """The project's user model: the model ``AUTH_USER_MODEL`` names (``"auth.User"`` by default)."""
    from tinyframe.apps import apps

    try:
        return apps.get_model(settings.AUTH_USER_MODEL, require_ready=False)
    except ValueError:
        raise ImproperlyConfigured("AUTH_USER_MODEL must be of the form 'app_label.model_name'") from None
    except LookupError:
        raise ImproperlyConfigured(
            f"AUTH_USER_MODEL refers to model '{settings.AUTH_USER_MODEL}' that has not been installed"
        ) from None


def get_user(request):
    """The user the request's session belongs to, or an ``AnonymousUser``.

    The session names a user, the backend that logged them in and an HMAC of
    their password hash. The user counts only if the backend is still
    configured, still returns them, and the HMAC still matches: after a
    password change it does not, and the session is flushed. An HMAC made
    under one of ``SECRET_KEY_FALLBACKS`` is accepted and re-made under the
    current key.
    """
    from tinyframe.contrib.auth.models import AnonymousUser

    user = None
    try:
        user_id = _get_user_session_key(request)
        backend_path = request.session[BACKEND_SESSION_KEY]
    except KeyError:
        pass
    else:
        if backend_path in settings.AUTHENTICATION_BACKENDS:
            user = load_backend(backend_path).get_user(user_id)
            if hasattr(user, "get_session_auth_hash"):
                session_hash = request.session.get(HASH_SESSION_KEY)
                session_auth_hash = user.get_session_auth_hash()
                if not (session_hash and constant_time_compare(session_hash, session_auth_hash)):
                    if session_hash and any(
                        constant_time_compare(session_hash, fallback_hash)
                        for fallback_hash in user.get_session_auth_fallback_hash()
                    ):
                        request.session.cycle_key()
                        request.session[HASH_SESSION_KEY] = session_auth_hash
                    else:
                        request.session.flush()
                        user = None
    return user or AnonymousUser()


def get_permission_codename(action: str, opts) -> str:
    """The codename of the ``action`` permission of the model whose ``_meta`` is ``opts``: ``"add_post"``."""
    return f"{action}_{opts.model_name}"


def update_session_auth_hash(request, user) -> None:
    """After ``user`` changed their password, keep this session logged in (the others are logged out).

    The session gets a new key and, when it is ``user``'s own, the new HMAC.
    """
    request.session.cycle_key()
    if hasattr(user, "get_session_auth_hash") and request.user == user:
        request.session[HASH_SESSION_KEY] = user.get_session_auth_hash()
