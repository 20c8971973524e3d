"""LoginRequiredMixin, PermissionRequiredMixin, UserPassesTestMixin: the decorators' checks for class-based views.

Views are called directly with a RequestFactory request and a stand-in user;
redirects and ImproperlyConfigured messages are Django 5.2's.
"""

import pytest

from tinyframe.core.exceptions import ImproperlyConfigured, PermissionDenied
from tinyframe.http import HttpResponse
from tinyframe.test import RequestFactory
from tinyframe.views.generic import View


class StandInUser:
    def __init__(self, authenticated: bool = True, perms=(), email: str = ""):
        self.is_authenticated = authenticated
        self.perms = set(perms)
        self.email = email

    def has_perms(self, perms) -> bool:
        return all(perm in self.perms for perm in perms)


ANONYMOUS = StandInUser(authenticated=False)


@pytest.fixture(autouse=True)
def urlconf(use_settings, throwaway_module):
    use_settings(ROOT_URLCONF=throwaway_module(urlpatterns=[]))


def call(view_class, user=ANONYMOUS, url="/private/", secure=False, **initkwargs):
    request = RequestFactory().get(url, secure=secure)
    request.user = user
    return view_class.as_view(**initkwargs)(request)


def make_view(mixin, **attributes):
    class Page(mixin, View):
        def get(self, request):
            return HttpResponse("the page")

    for name, value in attributes.items():
        setattr(Page, name, value)
    return Page


def test_login_required_mixin():
    from tinyframe.contrib.auth.mixins import LoginRequiredMixin

    page = make_view(LoginRequiredMixin)
    assert call(page, StandInUser()).content == b"the page"
    response = call(page, url="/private/?a=1")
    assert (response.status_code, response["Location"]) == (302, "/accounts/login/?next=/private/%3Fa%3D1")
    assert call(page, login_url="/in/", redirect_field_name="back")["Location"] == "/in/?back=/private/"
    with pytest.raises(PermissionDenied):
        call(page, raise_exception=True)


def test_the_next_url_is_absolute_for_a_login_page_elsewhere(use_settings):
    from tinyframe.contrib.auth.mixins import LoginRequiredMixin

    use_settings(LOGIN_URL="https://login.example/sso/")
    assert call(make_view(LoginRequiredMixin))["Location"] == (
        "https://login.example/sso/?next=http%3A//testserver/private/"
    )


def test_without_a_login_url_the_mixin_says_where_to_set_one(use_settings):
    from tinyframe.contrib.auth.mixins import LoginRequiredMixin

    use_settings(LOGIN_URL=None)
    with pytest.raises(ImproperlyConfigured) as raised:
        call(make_view(LoginRequiredMixin))
    assert str(raised.value) == (
        "Page is missing the login_url attribute. Define Page.login_url, settings.LOGIN_URL, or override "
        "Page.get_login_url()."
    )


def test_permission_required_mixin():
    from tinyframe.contrib.auth.mixins import PermissionRequiredMixin

    one = make_view(PermissionRequiredMixin, permission_required="blog.add_post")
    both = make_view(PermissionRequiredMixin, permission_required=["blog.add_post", "blog.delete_post"])
    editor = StandInUser(perms={"blog.add_post"})
    assert call(one, editor).content == b"the page"
    assert call(one)["Location"] == "/accounts/login/?next=/private/"
    # Signed in but lacking a permission: 403, with the view's message.
    with pytest.raises(PermissionDenied) as raised:
        call(both, editor, permission_denied_message="Editors only.")
    assert str(raised.value) == "Editors only."


def test_permission_required_mixin_needs_its_permissions():
    from tinyframe.contrib.auth.mixins import PermissionRequiredMixin

    with pytest.raises(ImproperlyConfigured) as raised:
        call(make_view(PermissionRequiredMixin), StandInUser())
    assert str(raised.value) == (
        "Page is missing the permission_required attribute. Define Page.permission_required, or override "
        "Page.get_permission_required()."
    )


def test_user_passes_test_mixin():
    from tinyframe.contrib.auth.mixins import UserPassesTestMixin

    def staff_email(self):
        return self.request.user.email.endswith("@example.com")

    page = make_view(UserPassesTestMixin, test_func=staff_email)
    assert call(page, StandInUser(email="ada@example.com")).content == b"the page"
    with pytest.raises(PermissionDenied):
        call(page, StandInUser(email="eve@evil.example"))
    assert call(page, StandInUser(authenticated=False))["Location"] == "/accounts/login/?next=/private/"


def test_user_passes_test_mixin_needs_a_test():
    from tinyframe.contrib.auth.mixins import UserPassesTestMixin

    with pytest.raises(NotImplementedError) as raised:
        call(make_view(UserPassesTestMixin), StandInUser())
    assert str(raised.value) == "Page is missing the implementation of the test_func() method."
