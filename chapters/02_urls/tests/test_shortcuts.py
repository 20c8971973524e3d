"""redirect() and resolve_url(): to an object, a view name or function with arguments, or a URL."""

import pytest

from tinyframe.http import HttpResponse
from tinyframe.shortcuts import redirect, resolve_url
from tinyframe.test import override_settings
from tinyframe.urls import NoReverseMatch, include, path, reverse_lazy


def home(request):
    return HttpResponse("home")


def post_detail(request, slug):
    return HttpResponse(slug)


def not_routed(request):
    return HttpResponse("no URL points here")


def feed(request):
    return HttpResponse("<rss/>")


class Post:
    """A model-like object that knows its own URL."""

    def get_absolute_url(self):
        return "/posts/hello/"


@pytest.fixture(autouse=True)
def site(urlconf):
    """A root URLconf with a home page, a post page, a feed whose name has a dot, and a namespaced app."""
    blog = [path("", home, name="index")]
    name = urlconf([
        path("", home, name="home"),
        path("posts/<slug:slug>/", post_detail, name="post-detail"),
        path("latest/feed/", feed, name="feed.rss"),
        path("blog/", include((blog, "blog"))),
    ])
    with override_settings(ROOT_URLCONF=name):
        yield


# (what resolve_url is called with, the URL expected, why)
RESOLVE_URL_TABLE = [
    ((Post(),), {}, "/posts/hello/", "an object with get_absolute_url() gives its URL"),
    ((reverse_lazy("home"),), {}, "/", "a lazy URL from reverse_lazy() is made a str"),
    (("./edit/",), {}, "./edit/", "a URL relative to this page ('./') is returned as it is"),
    (("../",), {}, "../", "a URL relative to the parent ('../') is returned as it is"),
    (("home",), {}, "/", "a view name is reversed"),
    (("post-detail", "hello"), {}, "/posts/hello/", "positional arguments go to reverse()"),
    (("post-detail",), {"slug": "hello"}, "/posts/hello/", "keyword arguments go to reverse()"),
    ((post_detail,), {"slug": "hello"}, "/posts/hello/", "a view function is reversed too"),
    (("blog:index",), {}, "/blog/", "a namespaced view name is reversed"),
    (("feed.rss",), {}, "/latest/feed/", "a view name with a dot is reversed before anything else"),
    (("/about/",), {}, "/about/", "a path that reverses to nothing is a URL"),
    (("https://example.com/a/",), {}, "https://example.com/a/", "a full URL is a URL"),
    (("about.html",), {}, "about.html", "a name with a '.' that reverses to nothing is a URL"),
]


@pytest.mark.exercise("02.8")
@pytest.mark.parametrize("args, kwargs, expected, why", RESOLVE_URL_TABLE,
                         ids=[row[3] for row in RESOLVE_URL_TABLE])
def test_resolve_url(args, kwargs, expected, why):
    """resolve_url() turns an object, a view name or function with arguments, or a URL into a URL."""
    try:
        result = resolve_url(*args, **kwargs)
    except NoReverseMatch as error:
        result = f"NoReverseMatch: {error}"
    call = ", ".join([*map(repr, args), *(f"{key}={value!r}" for key, value in kwargs.items())])
    assert result == expected, f"resolve_url({call}) returned {result!r}; expected {expected!r}: {why}"


@pytest.mark.exercise("02.8")
@pytest.mark.parametrize("to, why", [
    ("hme", "a mistyped view name (no '/' and no '.') must be an error, not a redirect to 'hme'"),
    ("post-detail", "a view name with missing arguments must be an error"),
    (not_routed, "a view function that no URL points to must be an error"),
])
def test_resolve_url_raises_for_what_cannot_be_a_url(to, why):
    """NoReverseMatch propagates for a callable, or a string with neither '/' nor '.'."""
    try:
        result = resolve_url(to)
    except NoReverseMatch:
        return
    pytest.fail(f"resolve_url({getattr(to, '__name__', to)!r}) returned {result!r}; expected NoReverseMatch: {why}")


@pytest.mark.exercise("02.8")
@pytest.mark.parametrize("options, status", [
    ({}, 302),
    ({"permanent": True}, 301),
    ({"preserve_request": True}, 307),
    ({"permanent": True, "preserve_request": True}, 308),
])
def test_redirect_status(options, status):
    """redirect() is a 302; permanent=True makes it 301; preserve_request=True makes them 307 and 308."""
    response = redirect("post-detail", "hello", **options)
    assert (response.status_code, response["Location"]) == (status, "/posts/hello/"), (
        f"redirect('post-detail', 'hello', **{options}) answered {response.status_code} to "
        f"{response.get('Location')!r}; expected {status} to '/posts/hello/'"
    )


@pytest.mark.exercise("02.8")
def test_redirect_to_an_object_and_to_a_url():
    """redirect() goes to an object's get_absolute_url(), and to a URL as it is."""
    assert redirect(Post())["Location"] == "/posts/hello/"
    assert redirect("/somewhere/else/")["Location"] == "/somewhere/else/"
