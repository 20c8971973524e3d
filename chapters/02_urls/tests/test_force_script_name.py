"""FORCE_SCRIPT_NAME: the URLs a view builds with reverse() start with the forced prefix, as in Django."""

import pytest

from tinyframe.core.handlers.wsgi import WSGIHandler
from tinyframe.http import JsonResponse
from tinyframe.test import Client, override_settings
from tinyframe.urls import clear_script_prefix, path, reverse


def post_list(request):
    return JsonResponse({"path": request.path, "reversed": reverse("post_list")})


@pytest.fixture
def site(root_urlconf):
    root_urlconf([path("posts/", post_list, name="post_list")])
    yield
    clear_script_prefix()


@pytest.mark.exercise("02.5", "02.7")  # the view calls reverse(); the handler turns a stub's error into a 500
@pytest.mark.parametrize(
    "force_script_name, script_name, expected",
    [
        ("/blog", "", "/blog/posts/"),
        ("/blog", "/mnt", "/blog/posts/"),
        ("", "/mnt", "/posts/"),
        (None, "/mnt", "/mnt/posts/"),
    ],
)
def test_reverse_in_a_view_follows_force_script_name(site, call_wsgi, force_script_name, script_name, expected):
    """The path is resolved without the prefix, and reverse() in the view puts the forced one back."""
    with override_settings(FORCE_SCRIPT_NAME=force_script_name):
        status, body = call_wsgi(WSGIHandler(), "/posts/", SCRIPT_NAME=script_name)
    assert status == "200 OK", f"GET /posts/ with FORCE_SCRIPT_NAME={force_script_name!r} answered {status}"
    assert body == f'{{"path": "{expected}", "reversed": "{expected}"}}'.encode(), body


@pytest.mark.exercise("02.5", "02.7")
@override_settings(FORCE_SCRIPT_NAME="/blog")
def test_the_test_client_follows_force_script_name(site):
    response = Client().get("/posts/")
    assert response.json() == {"path": "/blog/posts/", "reversed": "/blog/posts/"}
