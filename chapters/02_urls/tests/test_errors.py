"""Errors that help: Django's exact message, plus a note saying what was probably meant or where a name came from.

A note (``BaseException.add_note``) prints on the line after the message, so
the message itself stays Django's, word for word. Every "Did you mean ...?"
comes from one helper, ``tinyframe.utils.suggestions.suggest``. The messages
were checked against Django 5.2 with the same URLconfs.
"""

import textwrap

import pytest

from tinyframe.core.wsgi import get_wsgi_application
from tinyframe.http import HttpResponse
from tinyframe.test import Client, override_settings
from tinyframe.urls import NoReverseMatch, include, path, resolve, reverse


def view(request, **kwargs):
    return HttpResponse("ok")


def not_in_any_urlconf(request):
    return HttpResponse("never")


@pytest.fixture
def blog_site(urlconf):
    """A blog under a namespace, a shop deployed as two instances, and a page at the root (path() needs 02.2)."""
    comments = ([path("", view, name="comment_list")], "comments")
    blog = ([
        path("", view, name="post_list"),
        path("<slug:slug>/", view, name="post_detail"),
        path("<slug:slug>/comments/", include(comments)),
    ], "blog")
    shop = ([path("<int:pk>/", view, name="item")], "shop")
    return urlconf([
        path("about/", view, name="about"),
        path("posts/<slug:slug>/", view, name="post_detail"),
        path("blog/", include(blog)),
        path("eu/", include(shop, namespace="shop-eu")),
        path("us/", include(shop, namespace="shop-us")),
    ])


def notes_of(error: BaseException) -> list:
    return getattr(error, "__notes__", [])


NOT_FOUND = "Reverse for '{0}' not found. '{0}' is not a valid view function or pattern name."


@pytest.mark.exercise("02.7")
@pytest.mark.parametrize(
    "name, message, notes",
    [
        ("post_detial", NOT_FOUND.format("post_detial"), ["Did you mean 'post_detail'?"]),
        ("abuot", NOT_FOUND.format("abuot"), ["Did you mean 'about'?"]),
        # A name that exists only inside a namespace is suggested with it.
        ("post_list", NOT_FOUND.format("post_list"), ["Did you mean 'blog:post_list'?"]),
        ("blog:comments:coment_list", NOT_FOUND.format("coment_list"), ["Did you mean 'comment_list'?"]),
        # Inside a namespace, the names of that namespace are the ones suggested (Django's message names no namespace).
        ("blog:post_detial", NOT_FOUND.format("post_detial"), ["Did you mean 'post_detail'?"]),
        ("zzzz", NOT_FOUND.format("zzzz"), []),  # nothing close: no guess
    ],
)
def test_a_mistyped_view_name_gets_a_suggestion(blog_site, name, message, notes):
    """reverse('post_detial') is Django's NoReverseMatch, with "Did you mean 'post_detail'?" as a note."""
    with pytest.raises(NoReverseMatch) as caught:
        reverse(name, urlconf=blog_site, kwargs={"slug": "hello"})
    got = (str(caught.value), notes_of(caught.value))
    assert got == (message, notes), f"reverse({name!r}) raised {got[0]!r} with the notes {got[1]}; expected {message!r} with {notes}"


@pytest.mark.exercise("02.7")
def test_a_name_that_exists_but_does_not_fit_the_arguments_gets_no_suggestion(blog_site):
    """The name is right and only the arguments are wrong: Django's message lists the patterns tried, no guess."""
    with pytest.raises(NoReverseMatch) as caught:
        reverse("post_detail", urlconf=blog_site, kwargs={"slug": "a b"})
    assert str(caught.value).startswith("Reverse for 'post_detail' with keyword arguments") and not notes_of(caught.value)


@pytest.mark.exercise("02.7")
def test_a_view_function_that_is_not_routed_gets_no_suggestion(blog_site):
    """Reversing a function that no pattern uses names it, as Django does; a function is not a typo."""
    with pytest.raises(NoReverseMatch) as caught:
        reverse(not_in_any_urlconf, urlconf=blog_site)
    assert notes_of(caught.value) == []
    assert str(caught.value) == NOT_FOUND.format(f"{__name__}.not_in_any_urlconf")


@pytest.mark.exercise("02.7")
@pytest.mark.parametrize(
    "name, message, notes",
    [
        ("blgo:post_list", "'blgo' is not a registered namespace", ["Did you mean 'blog'?"]),
        # An application namespace counts: reverse('shop:item') picks one of its instances.
        ("shp:item", "'shp' is not a registered namespace", ["Did you mean 'shop'?"]),
        ("shop-uk:item", "'shop-uk' is not a registered namespace", ["Did you mean 'shop-us'?"]),
        ("blog:coments:comment_list", "'coments' is not a registered namespace inside 'blog'", ["Did you mean 'comments'?"]),
        ("nothing:like:it", "'nothing' is not a registered namespace", []),
    ],
)
def test_a_mistyped_namespace_gets_a_suggestion(blog_site, name, message, notes):
    """An unknown namespace is Django's NoReverseMatch, with the closest namespace known at that level as a note."""
    with pytest.raises(NoReverseMatch) as caught:
        reverse(name, urlconf=blog_site, kwargs={"pk": 1})
    got = (str(caught.value), notes_of(caught.value))
    assert got == (message, notes), f"reverse({name!r}) raised {got[0]!r} with the notes {got[1]}; expected {message!r} with {notes}"


# A ROOT_URLCONF that does not import ---------------------------------------------------------------------------


@pytest.fixture
def project(tmp_path, monkeypatch, throwaway_module):
    """``project(name, source) -> name``: a module written to a directory on sys.path, forgotten afterwards."""
    monkeypatch.syspath_prepend(str(tmp_path))

    def write(name: str, source: str) -> str:
        (tmp_path / f"{name}.py").write_text(textwrap.dedent(source), encoding="utf-8")
        monkeypatch.delitem(__import__("sys").modules, name, raising=False)
        return name

    yield write
    from tinyframe.urls import clear_url_caches

    clear_url_caches()


MISSING_NOTE = "The ROOT_URLCONF setting names a module that cannot be imported: ROOT_URLCONF = {!r}."


@pytest.mark.parametrize("call", ["resolve", "reverse", "the handler"])
def test_a_root_urlconf_that_does_not_exist_names_the_setting(project, call):
    """Django's ModuleNotFoundError, with a note naming ROOT_URLCONF and its value: the setting has a typo."""
    with override_settings(ROOT_URLCONF="mysite_that_is_not_there.urls"):
        with pytest.raises(ModuleNotFoundError) as caught:
            if call == "resolve":
                resolve("/")
            elif call == "reverse":
                reverse("home")
            else:
                get_wsgi_application()
    expected = ("No module named 'mysite_that_is_not_there'", [MISSING_NOTE.format("mysite_that_is_not_there.urls")])
    got = (str(caught.value), notes_of(caught.value))
    assert got == expected, f"{call} with a missing ROOT_URLCONF raised {got[0]!r} with the notes {got[1]}; expected {expected}"


def test_a_root_urlconf_whose_own_import_fails_says_it_was_being_imported(project):
    """The URLconf exists but imports something missing: the note says which URLconf was being imported, and why."""
    name = project("urls_importing_a_missing_module", """
        import views_module_that_is_not_there
        urlpatterns = []
    """)
    with override_settings(ROOT_URLCONF=name):
        with pytest.raises(ModuleNotFoundError) as caught:
            Client().get("/")
    expected_note = f"This happened while importing {name!r}, the URLconf named by the ROOT_URLCONF setting."
    assert str(caught.value) == "No module named 'views_module_that_is_not_there'"
    assert notes_of(caught.value) == [expected_note], notes_of(caught.value)


def test_a_urlconf_passed_by_hand_gets_no_note_about_the_setting(project, urlconf):
    """urlconf= given to resolve() is not ROOT_URLCONF: the error is Python's alone."""
    with override_settings(ROOT_URLCONF=urlconf([])):
        with pytest.raises(ModuleNotFoundError) as caught:
            resolve("/", urlconf="another_module_that_is_not_there")
    assert notes_of(caught.value) == []
