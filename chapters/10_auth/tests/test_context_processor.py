"""The ``auth`` context processor: ``{{ user }}`` and ``{% if perms.app.codename %}`` in templates."""

import pytest

from tinyframe.template import Engine, RequestContext, Template
from tinyframe.test import RequestFactory


class StandInUser:
    """A user with permissions ``perms`` (app label of each: its module permissions)."""

    def __init__(self, perms=()):
        self.perms = set(perms)

    def __repr__(self):
        return "<StandInUser>"

    def has_perm(self, perm):
        return perm in self.perms

    def has_module_perms(self, app_label):
        return any(perm.startswith(f"{app_label}.") for perm in self.perms)

    def get_all_permissions(self):
        return self.perms


def render(source, user=None):
    from tinyframe.contrib.auth.context_processors import auth

    request = RequestFactory().get("/")
    if user is not None:
        request.user = user
    engine = Engine(context_processors=[])
    return Template(source, engine=engine).render(RequestContext(request, processors=[auth]))


def test_templates_ask_perms_by_app_and_codename():
    editor = StandInUser({"blog.add_comment"})
    source = "{% if perms.blog.add_comment %}add{% endif %}{% if perms.blog.delete_comment %}delete{% endif %}"
    assert render(source, editor) == "add"
    assert render("{% if perms.blog %}blog{% endif %}{% if perms.shop %}shop{% endif %}", editor) == "blog"
    assert render("{% if 'blog.add_comment' in perms %}yes{% endif %}{% if 'shop' in perms %}shop{% endif %}",
                  editor) == "yes"


def test_without_a_user_on_the_request_the_template_sees_an_anonymous_user():
    assert render("{{ user }} {{ user.is_authenticated }} {% if perms.blog.add_comment %}!{% endif %}") == (
        "AnonymousUser False "
    )


def test_perms_are_not_iterable_and_say_what_they_hold():
    from tinyframe.contrib.auth.context_processors import PermWrapper

    perms = PermWrapper(StandInUser({"blog.add_comment"}))
    assert repr(perms) == "PermWrapper(<StandInUser>)"
    assert repr(perms["blog"]) == "{'blog.add_comment'}"
    with pytest.raises(TypeError, match="^PermWrapper is not iterable.$"):
        iter(perms)
    with pytest.raises(TypeError, match="^PermLookupDict is not iterable.$"):
        iter(perms["blog"])


def test_a_real_user_and_its_permissions(user, contrib_tables):
    from tinyframe.contrib.auth.models import Permission

    user.user_permissions.add(Permission.objects.get_or_create(
        app_label="auth", model="user", codename="view_user", defaults={"name": "Can view user"})[0])
    user = type(user).objects.get(pk=user.pk)  # permissions are cached per user object
    assert render("{{ user }}: {% if perms.auth.view_user %}view{% endif %}{% if perms.auth.add_user %}add{% endif %}",
                  user) == "ada: view"
