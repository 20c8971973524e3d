"""login_required, permission_required and user_passes_test: who gets the view, who gets the login page.

The views are called directly with a RequestFactory request whose ``user`` is
a small stand-in (authenticated or not, with some permissions), so the tests
need no database. Every ``Location`` was checked once against Django 5.2.
The decorators are imported inside the tests: ``tinyframe.contrib.auth.views``
applies ``login_required`` as it loads, so nothing may import it before
exercise 10.7 is written.
"""

import pytest

from tinyframe.core.exceptions import PermissionDenied
from tinyframe.http import HttpResponse
from tinyframe.test import RequestFactory
from tinyframe.urls import path


class StandInUser:
    """A user as the decorators see one: ``is_authenticated`` and ``has_perms``."""

    def __init__(self, authenticated: bool = True, perms=()):
        self.is_authenticated = authenticated
        self.perms = set(perms)

    def has_perms(self, perms) -> bool:
        return all(perm in self.perms for perm in perms)


ANONYMOUS = StandInUser(authenticated=False)


@pytest.fixture(autouse=True)
def urlconf(use_settings, throwaway_module):
    """A URLconf without patterns: the login URL "/accounts/login/" is tried as a URL name first."""
    use_settings(ROOT_URLCONF=throwaway_module(urlpatterns=[]))


def get(url="/private/", user=ANONYMOUS, **extra):
    request = RequestFactory().get(url, **extra)
    request.user = user
    return request


def private(request, *args, **kwargs):
    """The view every test protects."""
    return HttpResponse(f"private {args} {kwargs}")


def assert_redirect(response, location):
    assert response.status_code == 302, f"expected a redirect to the login page, got {response.status_code}"
    assert response["Location"] == location, f"redirected to {response['Location']!r}, expected {location!r}"


@pytest.mark.exercise("10.7")
def test_login_required_runs_the_view_for_a_signed_in_user():
    from tinyframe.contrib.auth.decorators import login_required

    response = login_required(private)(get(user=StandInUser()), 7, slug="a")
    assert response.status_code == 200
    assert response.content == b"private (7,) {'slug': 'a'}"


@pytest.mark.exercise("10.7")
def test_login_required_sends_the_anonymous_to_the_login_page_with_next():
    from tinyframe.contrib.auth.decorators import login_required

    assert_redirect(login_required(private)(get()), "/accounts/login/?next=/private/")


@pytest.mark.exercise("10.7")
def test_next_keeps_the_query_string_encoded_as_one_parameter():
    from tinyframe.contrib.auth.decorators import login_required

    response = login_required(private)(get("/private/?a=1&b=%2F"))
    assert_redirect(response, "/accounts/login/?next=/private/%3Fa%3D1%26b%3D%252F")


@pytest.mark.exercise("10.7")
def test_the_login_url_is_read_when_a_request_comes_not_when_the_view_is_decorated(use_settings):
    from tinyframe.contrib.auth.decorators import login_required

    view = login_required(private)
    use_settings(LOGIN_URL="/signin/")
    assert_redirect(view(get()), "/signin/?next=/private/")
    assert_redirect(login_required(login_url="/other/")(private)(get()), "/other/?next=/private/")


@pytest.mark.exercise("10.7")
def test_a_login_url_name_is_reversed(use_settings, throwaway_module):
    from tinyframe.contrib.auth.decorators import login_required

    view = login_required(private)
    use_settings(
        LOGIN_URL="login",
        ROOT_URLCONF=throwaway_module(urlpatterns=[path("members/login/", private, name="login")]),
    )
    assert_redirect(view(get("/private/?x=1")), "/members/login/?next=/private/%3Fx%3D1")


@pytest.mark.exercise("10.7")
def test_next_is_the_full_url_when_the_login_page_is_on_another_host_or_scheme(use_settings):
    from tinyframe.contrib.auth.decorators import login_required

    view = login_required(private)
    use_settings(LOGIN_URL="https://login.example/sso/")
    assert_redirect(view(get("/private/?x=1")), "https://login.example/sso/?next=http%3A//testserver/private/%3Fx%3D1")
    use_settings(LOGIN_URL="http://testserver/accounts/login/")
    # Same scheme and host: the path is enough.
    assert_redirect(view(get("/private/?x=1")), "http://testserver/accounts/login/?next=/private/%3Fx%3D1")
    # An https page and an http login page: next must say https.
    assert_redirect(
        view(get("/private/?x=1", secure=True)),
        "http://testserver/accounts/login/?next=https%3A//testserver/private/%3Fx%3D1",
    )


@pytest.mark.exercise("10.7")
def test_the_redirect_field_may_be_renamed_or_left_out():
    from tinyframe.contrib.auth.decorators import login_required

    assert_redirect(login_required(redirect_field_name="back")(private)(get()), "/accounts/login/?back=/private/")
    assert_redirect(login_required(redirect_field_name=None)(private)(get()), "/accounts/login/")


@pytest.mark.exercise("10.7")
def test_permission_required_checks_every_permission():
    from tinyframe.contrib.auth.decorators import permission_required

    editor = StandInUser(perms={"blog.add_post", "blog.change_post"})
    assert permission_required("blog.add_post")(private)(get(user=editor)).status_code == 200
    assert permission_required(["blog.add_post", "blog.change_post"])(private)(get(user=editor)).status_code == 200
    # One missing permission is enough to be refused, signed in or not.
    view = permission_required(["blog.add_post", "blog.delete_post"])(private)
    assert_redirect(view(get(user=editor)), "/accounts/login/?next=/private/")
    assert_redirect(view(get()), "/accounts/login/?next=/private/")


@pytest.mark.exercise("10.7")
def test_permission_required_with_raise_exception_answers_403_instead():
    from tinyframe.contrib.auth.decorators import permission_required

    view = permission_required("blog.delete_post", raise_exception=True)(private)
    with pytest.raises(PermissionDenied):
        view(get(user=StandInUser(perms={"blog.add_post"})))


@pytest.mark.exercise("10.7")
def test_the_decorated_view_keeps_its_name_and_docstring():
    from tinyframe.contrib.auth.decorators import login_required, permission_required, user_passes_test

    for decorated in (login_required(private), permission_required("x.y")(private),
                      user_passes_test(lambda user: True)(private)):
        assert (decorated.__name__, decorated.__doc__) == ("private", "The view every test protects.")
        assert decorated.__wrapped__ is private


def test_user_passes_test_gets_the_user():
    from tinyframe.contrib.auth.decorators import user_passes_test

    seen = []
    view = user_passes_test(lambda user: seen.append(user) or False, login_url="/in/")(private)
    user = StandInUser()
    assert_redirect(view(get(user=user)), "/in/?next=/private/")
    assert seen == [user]


def test_login_not_required_marks_the_view():
    from tinyframe.contrib.auth.decorators import login_not_required

    assert login_not_required(private) is private
    assert private.login_required is False
    del private.login_required


def test_through_the_middleware_a_real_user_gets_in(contrib_tables, use_settings, throwaway_module):
    from tinyframe.contrib.auth.decorators import login_required, permission_required
    from tinyframe.contrib.auth.models import Permission, User
    from tinyframe.test import Client

    use_settings(
        MIDDLEWARE=["tinyframe.contrib.sessions.middleware.SessionMiddleware",
                    "tinyframe.contrib.auth.middleware.AuthenticationMiddleware"],
        ROOT_URLCONF=throwaway_module(urlpatterns=[
            path("private/", login_required(private)),
            path("posts/new/", permission_required("auth.add_user", raise_exception=True)(private)),
        ]),
    )
    client = Client()
    assert_redirect(client.get("/private/"), "/accounts/login/?next=/private/")
    user = User.objects.create_user("ada", password="correct horse")
    client.force_login(user)
    assert client.get("/private/").content == b"private () {}"
    assert client.get("/posts/new/").status_code == 403
    user.user_permissions.add(Permission.objects.get_or_create(
        app_label="auth", model="user", codename="add_user", defaults={"name": "Can add user"})[0])
    assert client.get("/posts/new/").status_code == 200
