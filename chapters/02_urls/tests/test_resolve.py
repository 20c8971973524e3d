"""resolve(): from a path to the view, its arguments and a ResolverMatch that looks like Django's."""

import functools
import io
import pickle
import threading

import pytest

from tinyframe.core.exceptions import ImproperlyConfigured, ViewDoesNotExist
from tinyframe.core.handlers.wsgi import WSGIRequest
from tinyframe.http import HttpResponse
from tinyframe.test.utils import override_settings
from tinyframe.urls import (
    Resolver404,
    ResolverMatch,
    get_resolver,
    get_urlconf,
    include,
    is_valid_path,
    path,
    re_path,
    resolve,
    reverse_lazy,
    set_urlconf,
)
from tinyframe.views import View


def index(request):
    return HttpResponse("index")


def article(request, **kwargs):
    return HttpResponse("article")


def detail(request, **kwargs):
    return HttpResponse("detail")


class Feed:
    def __call__(self, request):
        return HttpResponse("feed")


class ArchiveView(View):
    def get(self, request, year):
        return HttpResponse(str(year))


@pytest.fixture
def site(urlconf):
    """The URLconf the tests of this module resolve against (the one probed against Django 5.2).

    Made per test, as every URLconf of these tests: path() needs exercise 02.2.
    """
    blog = urlconf(
        [path("", index, name="index"), path("<int:pk>/", detail, {"extra": 1}, name="detail")], app_name="blog"
    )
    return urlconf([
        path("articles/<int:year>/", article, name="year"),
        path("articles/<int:year>/<slug:slug>/", article, name="article"),
        re_path(r"^re/(?P<year>[0-9]{4})/(\d+)/$", article, name="re"),
        re_path(r"^unnamed/(\d+)/(\d+)/$", detail, name="unnamed"),
        path("blog/", include(blog)),
        path("other/", include(blog, namespace="other")),
        path("<slug:lang>/nested/", include(([path("x/<int:n>/", article, name="nx")], "nest"))),
        path("feed/", Feed(), name="feed"),
        path("partial/", functools.partial(article, a=1), name="partial"),
        path("files/<path:rest>", article, name="files"),
        path("ex/<int:x>/", article, {"x": 5, "y": 2}, name="ex"),
        path("archive/<int:year>/", ArchiveView.as_view(), name="archive"),
    ])


@pytest.mark.exercise("02.5")
@pytest.mark.parametrize(
    "url, func, args, kwargs, url_name",
    [
        ("/articles/2020/", article, (), {"year": 2020}, "year"),
        ("/articles/2020/hello-world/", article, (), {"year": 2020, "slug": "hello-world"}, "article"),
        ("/files/a/b/c.txt", article, (), {"rest": "a/b/c.txt"}, "files"),
        ("/re/2020/12/", article, (), {"year": "2020"}, "re"),
        ("/unnamed/1/2/", detail, ("1", "2"), {}, "unnamed"),
        ("/blog/", index, (), {}, "index"),
        ("/blog/5/", detail, (), {"pk": 5, "extra": 1}, "detail"),
        ("/en/nested/x/3/", article, (), {"lang": "en", "n": 3}, "nx"),
    ],
)
def test_resolve_finds_the_view_and_its_arguments(site, url, func, args, kwargs, url_name):
    """resolve(path) gives the view, its args and kwargs (converted), and the pattern's name."""
    match = resolve(url, urlconf=site)
    got = (match.func, match.args, match.kwargs, match.url_name)
    assert got == (func, args, kwargs, url_name), (
        f"resolve({url!r}) gave func={match.func.__name__}, args={match.args}, kwargs={match.kwargs}, "
        f"url_name={match.url_name!r}; expected func={func.__name__}, args={args}, kwargs={kwargs}, "
        f"url_name={url_name!r}"
    )


@pytest.mark.exercise("02.5")
def test_extra_kwargs_are_passed_and_win_over_captured_ones(site):
    """path(..., {'x': 5, 'y': 2}) adds kwargs for the view; on a clash they replace the captured value."""
    match = resolve("/ex/3/", urlconf=site)
    assert match.kwargs == {"x": 5, "y": 2}, f"resolve('/ex/3/') gave kwargs {match.kwargs}; expected {{'x': 5, 'y': 2}}"
    assert (match.captured_kwargs, match.extra_kwargs) == ({"x": 3}, {"x": 5, "y": 2}), (
        f"captured_kwargs={match.captured_kwargs}, extra_kwargs={match.extra_kwargs}; expected {{'x': 3}} "
        "(what the path held) and {'x': 5, 'y': 2} (what path() added)"
    )


@pytest.mark.exercise("02.5")
def test_a_match_unpacks_into_func_args_kwargs(site):
    """A ResolverMatch unpacks like Django's: func, args, kwargs = resolve(path)."""
    func, args, kwargs = resolve("/articles/2020/", urlconf=site)
    assert (func, args, kwargs) == (article, (), {"year": 2020})


# What Django 5.2 answers for the same URLconf (view_name, app_name, namespace, route, captured, extra).
DJANGO_MATCHES = [
    ("/articles/2020/", "year", "", "", "articles/<int:year>/", {"year": 2020}, {}),
    ("/re/2020/12/", "re", "", "", r"^re/(?P<year>[0-9]{4})/(\d+)/$", {"year": "2020"}, {}),
    ("/unnamed/1/2/", "unnamed", "", "", r"^unnamed/(\d+)/(\d+)/$", {}, {}),
    ("/blog/", "blog:index", "blog", "blog", "blog/", {}, {}),
    ("/blog/5/", "blog:detail", "blog", "blog", "blog/<int:pk>/", {"pk": 5}, {"extra": 1}),
    ("/other/5/", "other:detail", "blog", "other", "other/<int:pk>/", {"pk": 5}, {"extra": 1}),
    ("/en/nested/x/3/", "nest:nx", "nest", "nest", "<slug:lang>/nested/x/<int:n>/", {"n": 3}, {}),
    ("/feed/", "feed", "", "", "feed/", {}, {}),
]


@pytest.mark.exercise("02.5")
@pytest.mark.parametrize("url, view_name, app_name, namespace, route, captured, extra", DJANGO_MATCHES)
def test_resolver_match_attributes_are_djangos(site, url, view_name, app_name, namespace, route, captured, extra):
    """view_name, app_name, namespace, route, captured_kwargs and extra_kwargs are what Django gives."""
    match = resolve(url, urlconf=site)
    got = (match.view_name, match.app_name, match.namespace, match.route, match.captured_kwargs, match.extra_kwargs)
    expected = (view_name, app_name, namespace, route, captured, extra)
    assert got == expected, f"resolve({url!r}) gave (view_name, app_name, namespace, route, captured, extra) = {got}; expected {expected}"


def test_resolver_match_repr_is_djangos(site):
    """repr() shows the view's dotted path (a partial as itself, a class-based view as its class)."""
    module = __name__
    assert repr(resolve("/blog/5/", urlconf=site)) == (
        f"ResolverMatch(func={module}.detail, args=(), kwargs={{'pk': 5, 'extra': 1}}, url_name='detail', "
        "app_names=['blog'], namespaces=['blog'], route='blog/<int:pk>/', captured_kwargs={'pk': 5}, "
        "extra_kwargs={'extra': 1})"
    )
    assert repr(resolve("/feed/", urlconf=site)).startswith(f"ResolverMatch(func={module}.Feed, args=()")
    assert repr(resolve("/partial/", urlconf=site)).startswith("ResolverMatch(func=functools.partial(<function article")
    archive = resolve("/archive/2024/", urlconf=site)
    assert repr(archive).startswith(f"ResolverMatch(func={module}.ArchiveView, ")
    assert archive.view_name == "archive" and archive.app_names == [] and archive.namespaces == []
    assert resolve("/partial/", urlconf=site).view_name == "partial"


def test_view_name_without_a_url_name_is_the_dotted_path(urlconf):
    """A pattern without a name is known by its view's dotted path, after the namespaces."""
    name = urlconf([path("blog/", include(([path("x/", detail)], "blog")))])
    assert resolve("/blog/x/", urlconf=name).view_name == f"blog:{__name__}.detail"


def test_a_resolver_match_cannot_be_pickled(site):
    """Like Django's, a ResolverMatch refuses to be pickled (it holds views)."""
    with pytest.raises(pickle.PicklingError):
        pickle.dumps(resolve("/blog/", urlconf=site))


# An include()'s extra kwargs are the site's, not the visitor's. Which value wins when a name is both
# captured and given, as Django 5.2 answers (checked with the same URLconf): (path, kwargs, captured, extra).
INCLUDE_KWARGS = [
    ("/de/p/z/", {"lang": "en"}, {}, {"lang": "en"}),  # the include's extra kwargs beat what its own prefix captured
    ("/de/q/fr/", {"lang": "fr"}, {"lang": "fr"}, {"lang": "en"}),  # ... but not what a pattern inside captured
    ("/blog/fr/", {"lang": "fr"}, {"lang": "fr"}, {"lang": "en"}),
    ("/blog/y/fr/", {"lang": "inner"}, {"lang": "fr"}, {"lang": "inner"}),  # the pattern's own extra kwargs beat both
    ("/blog/x/", {"lang": "x"}, {"lang": "x"}, {"lang": "en"}),  # first match wins: 'x/' comes after '<str:lang>/'
]


def include_kwargs_site(urlconf) -> str:
    inner = [path("<str:lang>/", article), path("x/", article, {"lang": "inner"}), path("y/<str:lang>/", article, {"lang": "inner"})]
    return urlconf([
        path("blog/", include(inner), {"lang": "en"}),
        path("<str:lang>/p/", include([path("z/", article)]), {"lang": "en"}),
        path("<str:lang>/q/", include([path("<str:lang>/", article)]), {"lang": "en"}),
    ])


@pytest.mark.exercise("02.5")
@pytest.mark.parametrize("url, kwargs, captured, extra", INCLUDE_KWARGS)
def test_include_extra_kwargs_win_over_what_the_prefix_captured(urlconf, url, kwargs, captured, extra):
    """path('<str:lang>/', include(...), {'lang': 'en'}) passes 'en' whatever the URL holds there, as in Django."""
    match = resolve(url, urlconf=include_kwargs_site(urlconf))
    got = (match.kwargs, match.captured_kwargs, match.extra_kwargs)
    assert got == (kwargs, captured, extra), (
        f"resolve({url!r}) gave kwargs={got[0]}, captured_kwargs={got[1]}, extra_kwargs={got[2]}; "
        f"Django 5.2 gives kwargs={kwargs}, captured_kwargs={captured}, extra_kwargs={extra}"
    )


@pytest.mark.exercise("02.5")
def test_a_visitor_cannot_override_an_include_extra_kwarg(root_urlconf):
    """Through the handler: the view of an include given {'role': 'reader'} gets 'reader', whatever the URL says."""
    from tinyframe.http import JsonResponse
    from tinyframe.test import Client

    def show(request, **kwargs):
        return JsonResponse(kwargs)

    root_urlconf([path("<str:role>/posts/", include([path("", show), path("<int:pk>/", show)]), {"role": "reader"})])
    for url, expected in [("/admin/posts/", {"role": "reader"}), ("/admin/posts/7/", {"role": "reader", "pk": 7})]:
        got = Client().get(url).json()
        assert got == expected, f"GET {url} called the view with {got}; expected {expected}"


def test_include_prefix_arguments_come_before_the_patterns(urlconf):
    """Unnamed groups of an include's prefix and of the pattern add up to args, unless there are kwargs."""
    inner = [re_path(r"^(\d+)/$", detail, name="inner")]
    name = urlconf([re_path(r"^a/(\d+)/", include(inner)), path("b/", include(inner), {"source": "b"})])
    assert resolve("/a/1/2/", urlconf=name).args == ("1", "2")
    match = resolve("/b/2/", urlconf=name)
    assert (match.args, match.kwargs, match.extra_kwargs) == (("2",), {"source": "b"}, {"source": "b"}), (
        "with kwargs present, only the include prefix's unnamed groups are dropped (Django's rule)"
    )


def test_named_groups_make_unnamed_ones_ignored(urlconf):
    """As in Django: with any named group, unnamed groups are not passed at all."""
    name = urlconf([re_path(r"^(\d+)/(?P<b>\d+)/(?P<c>\d+)?/?$", detail)])
    match = resolve("/1/2//", urlconf=name)
    assert (match.args, match.kwargs) == ((), {"b": "2"}), "an unmatched optional group is left out of kwargs"


def test_a_regex_endpoint_without_dollar_matches_any_continuation(urlconf):
    """re_path(r'^about') matches '/about/team/' too (Django's rule); '$' means the whole path, no trailing newline."""
    name = urlconf([re_path(r"^about", index), re_path(r"^exact/$", detail)])
    assert resolve("/about/team/", urlconf=name).func is index
    assert resolve("/exact/", urlconf=name).func is detail
    with pytest.raises(Resolver404):
        resolve("/exact/\n", urlconf=name)


def test_the_first_matching_pattern_wins(urlconf):
    """Two patterns match '/a/1/': the one listed first answers."""
    name = urlconf([path("<slug:x>/<int:n>/", index), path("a/<int:n>/", detail)])
    assert resolve("/a/1/", urlconf=name).func is index


def test_no_match_is_a_404_listing_every_pattern_tried(site):
    """Resolver404's first argument holds the path left to match and every pattern tried, in order, as Django's."""
    with pytest.raises(Resolver404) as caught:
        resolve("/blog/zz/", urlconf=site)
    details = caught.value.args[0]
    resolver = get_resolver(site)
    blog = resolver.url_patterns[4]
    expected = [[pattern] for pattern in resolver.url_patterns]
    expected[4:5] = [[blog, pattern] for pattern in blog.url_patterns]
    assert details["path"] == "blog/zz/"
    tried = list(details["tried"])
    assert tried == expected, f"Resolver404 listed {tried}; expected {expected}"
    assert repr(details["tried"]) == repr(expected) and len(details["tried"]) == len(expected)
    assert details["tried"] != "not a list" and details["tried"][0] == expected[0]


def test_a_match_lists_the_patterns_tried_up_to_it(site):
    """ResolverMatch.tried is every pattern before the match, then the ones tried in its include, as in Django."""
    resolver = get_resolver(site)
    match = resolve("/other/5/", urlconf=site)
    patterns = resolver.url_patterns
    other = patterns[5]
    expected = [[pattern] for pattern in patterns[:5]] + [[other, inner] for inner in other.url_patterns]
    assert match.tried == expected, f"resolve('/other/5/').tried was {match.tried}; expected {expected}"


def test_a_path_without_a_leading_slash_is_a_404(site):
    """The root pattern is '^/': a path not starting with '/' matches nothing, and nothing was tried."""
    with pytest.raises(Resolver404) as caught:
        resolve("articles/2020/", urlconf=site)
    assert caught.value.args[0] == {"path": "articles/2020/"}


@pytest.mark.exercise("02.5")
@pytest.mark.parametrize("url", ["/articles/x/", "/articles/2020", "/blog/five/", "/", "/nope/", "/archive/-1/"])
def test_paths_that_match_nothing_are_404s(site, url):
    """A path that no pattern matches, or whose value a converter refuses, raises Resolver404."""
    with pytest.raises(Resolver404):
        resolve(url, urlconf=site)


def test_a_path_with_invalid_utf8_is_a_404_not_a_500(urlconf):
    """Invalid UTF-8 in a path arrives re-percent-encoded from chapter 01 and simply matches no route."""
    name = urlconf([path("café/", index), path("<slug:slug>/", detail)])
    environ = {"PATH_INFO": "/caf\xc3/", "REQUEST_METHOD": "GET", "wsgi.input": io.BytesIO(),
               "SERVER_NAME": "testserver", "SERVER_PORT": "80"}
    request = WSGIRequest(environ)
    with pytest.raises(Resolver404):
        resolve(request.path_info, urlconf=name)
    assert resolve("/café/", urlconf=name).func is index


def test_resolve_accepts_a_lazy_path(site):
    """resolve(reverse_lazy(...)) works: the lazy URL is turned into text first."""
    assert resolve(reverse_lazy("year", urlconf=site, args=[1999]), urlconf=site).kwargs == {"year": 1999}


def test_is_valid_path(site):
    """is_valid_path gives the match, or False instead of raising."""
    assert is_valid_path("/blog/", urlconf=site).url_name == "index"
    assert is_valid_path("/nope/", urlconf=site) is False


def test_resolve_uses_root_urlconf(root_urlconf):
    """Without urlconf=, resolve() reads settings.ROOT_URLCONF."""
    root_urlconf([path("here/", index)])
    assert resolve("/here/").func is index


def test_without_root_urlconf_resolve_says_what_to_set():
    """ROOT_URLCONF = None and no urlconf= is ImproperlyConfigured naming the setting."""
    with override_settings(ROOT_URLCONF=None), pytest.raises(ImproperlyConfigured, match="ROOT_URLCONF setting is not set"):
        resolve("/")


def test_set_urlconf_applies_to_this_thread_only(root_urlconf, urlconf):
    """set_urlconf() replaces ROOT_URLCONF for the current thread (a middleware's request.urlconf)."""
    root_urlconf([path("", index)])
    special = urlconf([path("", detail)])
    seen = []
    set_urlconf(special)
    try:
        thread = threading.Thread(target=lambda: seen.append((get_urlconf(), resolve("/").func)))
        thread.start()
        thread.join()
        assert (get_urlconf(), resolve("/").func) == (special, detail)
    finally:
        set_urlconf(None)
    assert seen == [(None, index)], "another thread must keep using ROOT_URLCONF"
    assert get_urlconf() is None and get_urlconf("default") == "default"


def test_get_resolver_is_made_once_per_urlconf(site):
    """get_resolver() caches: the same object for the same URLconf, so indexes are built once."""
    assert get_resolver(site) is get_resolver(site)
    assert get_resolver(site).urlconf_name == site


def custom_404(request, exception):
    return HttpResponse("custom", status=404)


def test_error_handlers_come_from_the_root_urlconf(urlconf):
    """handler404 etc. may be a view or a dotted path; without one, tinyframe.views.defaults answers."""
    from tinyframe.views import defaults

    name = urlconf([], handler404=custom_404, handler500=f"{__name__}.custom_404")
    resolver = get_resolver(name)
    assert resolver.resolve_error_handler(404) is custom_404
    assert resolver.resolve_error_handler(500) is custom_404
    assert resolver.resolve_error_handler(400) is defaults.bad_request
    assert resolver.resolve_error_handler(403) is defaults.permission_denied


@pytest.mark.parametrize(
    "handler, error, message",
    [
        ("nowhere_at_all.views.missing", ImportError, "nowhere_at_all"),
        (f"{__name__}.no_such_view", ImportError, "does not define a \"no_such_view\""),
        (f"{__name__}.DJANGO_MATCHES", ViewDoesNotExist, "View is not callable"),
        (42, ViewDoesNotExist, "'42' is not a callable or a dot-notation path"),
    ],
)
def test_a_broken_error_handler_is_reported(urlconf, handler, error, message):
    """A handler that cannot be imported, or is not callable, is an error that names it."""
    with pytest.raises(error, match=message):
        get_resolver(urlconf([], handler404=handler)).resolve_error_handler(404)


def test_a_urlconf_without_patterns_is_improperly_configured(urlconf):
    """A module whose urlpatterns is not a list, or holds something else, is reported clearly."""
    name = urlconf([])
    import sys

    sys.modules[name].urlpatterns = None
    with pytest.raises(ImproperlyConfigured, match="does not appear to have any patterns in it"):
        resolve("/", urlconf=name)
    wrong = urlconf([("a/", index)])
    with pytest.raises(ImproperlyConfigured, match=r"has \('a/', .* among its patterns; each entry must be made by path"):
        resolve("/a/", urlconf=wrong)


def test_a_resolver_reprs_its_urlconf(site):
    """A URLResolver shows its URLconf, app_name:namespace and prefix, as Django's does."""
    assert repr(get_resolver(site)) == f"<URLResolver '{site}' (None:None) '^/'>"


def test_a_match_with_a_namespaced_resolver_directly():
    """ResolverMatch drops empty app names and namespaces, and joins the rest with ':'."""
    match = ResolverMatch(index, (), {}, "i", app_names=[None, "a", "", "b"], namespaces=["x", None])
    assert (match.app_names, match.app_name, match.namespaces, match.namespace) == (["a", "b"], "a:b", ["x"], "x")
    assert match.view_name == "x:i" and match[0] is index
