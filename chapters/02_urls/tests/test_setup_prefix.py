"""tinyframe.setup() sets the script prefix from FORCE_SCRIPT_NAME, as django.setup() does."""

import pytest

import tinyframe
from tinyframe.urls import clear_script_prefix, get_script_prefix, path, reverse


def view(request):
    return None


@pytest.fixture
def prefix_after_setup(use_settings, throwaway_module):
    """``prefix_after_setup(force_script_name) -> str``: the script prefix once setup() has run."""

    def run(force_script_name):
        use_settings(FORCE_SCRIPT_NAME=force_script_name,
                     ROOT_URLCONF=throwaway_module(urlpatterns=[path("about/", view, name="about")]))  # fmt: skip
        tinyframe.setup()
        return get_script_prefix()

    yield run
    clear_script_prefix()


@pytest.mark.parametrize("forced, prefix", [("/blog", "/blog/"), ("/blog/", "/blog/"), ("", "/"), (None, "/")])
def test_setup_sets_the_script_prefix_from_force_script_name(prefix_after_setup, forced, prefix):
    assert prefix_after_setup(forced) == prefix, f"FORCE_SCRIPT_NAME={forced!r}: setup() set {get_script_prefix()!r}"


def test_reverse_outside_a_request_follows_force_script_name(prefix_after_setup):
    prefix_after_setup("/blog")
    assert reverse("about") == "/blog/about/"
