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


def test_a_swapped_models_relations_leave_their_target_to_the_replacement(use_settings):
    # Django 5.2: a swapped model (auth.User under a custom AUTH_USER_MODEL) gives its targets no reverse
    # accessor and no relation, so the replacement may reuse the names: PermissionsMixin's groups and
    # user_permissions ("user_set", query name "user") on a custom user model used to clash with auth.User's.
    from tinyframe.apps import apps
    from tinyframe.db import models

    use_settings(REVIEW_SWAPPED_MODEL="review_swap.Replacement")
    try:

        class Target(models.Model):
            class Meta:
                app_label = "review_swap"

        class Replaced(models.Model):
            targets = models.ManyToManyField(Target, related_name="owner_set", related_query_name="owner")
            target = models.ForeignKey(Target, models.CASCADE, related_name="owners", related_query_name="owned")

            class Meta:
                app_label = "review_swap"
                swappable = "REVIEW_SWAPPED_MODEL"

        class Replacement(models.Model):
            targets = models.ManyToManyField(Target, related_name="owner_set", related_query_name="owner")
            target = models.ForeignKey(Target, models.CASCADE, related_name="owners", related_query_name="owned")

            class Meta:
                app_label = "review_swap"

        assert Replaced._meta.swapped == "review_swap.Replacement"
        assert Replacement._meta.swapped is None
        reverse = {field.name: field.related_model for field in Target._meta.get_fields() if field.name != "id"}
        assert reverse == {"owner": Replacement, "owned": Replacement}
        assert Target.owner_set.rel.related_model is Replacement
        assert Target.owners.rel.related_model is Replacement
    finally:
        apps.all_models.pop("review_swap", None)
        apps.clear_cache()
