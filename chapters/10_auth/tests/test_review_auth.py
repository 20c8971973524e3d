"""Differences from Django 5.2 found by running the same inputs through both, each pinned by Django's answer."""

import pytest


class NoGetUserBackend:
    """A backend that can check credentials but cannot load a user again (no ``get_user``)."""

    def authenticate(self, request, username=None, password=None):
        return None


def test_force_login_without_a_backend_that_can_get_user_raises_logins_type_error(user, use_settings,
                                                                                   throwaway_module):
    # Django 5.2: no backend has get_user, so the client finds none (None) and login refuses it.
    from tinyframe.test import Client

    module = throwaway_module(NoGetUserBackend=NoGetUserBackend)
    use_settings(AUTHENTICATION_BACKENDS=[f"{module}.NoGetUserBackend"])
    with pytest.raises(TypeError, match=r"^backend must be a dotted import path string \(got None\)\.$"):
        Client().force_login(user)


def test_force_login_with_a_backend_named_uses_it_even_without_get_user(user, use_settings, throwaway_module):
    from tinyframe.test import Client

    module = throwaway_module(NoGetUserBackend=NoGetUserBackend)
    use_settings(AUTHENTICATION_BACKENDS=[f"{module}.NoGetUserBackend"])
    client = Client()
    client.force_login(user, backend=f"{module}.NoGetUserBackend")
    assert client.session["_auth_user_backend"] == f"{module}.NoGetUserBackend"
    assert client.session["_auth_user_id"] == str(user.pk)
