"""Namespaces: app_name, instance namespaces, nesting and current_app, reversed as Django 5.2 does."""

import pytest

from tinyframe.http import HttpResponse
from tinyframe.urls import NoReverseMatch, get_resolver, include, path, resolve, reverse


def view(request, **kwargs):
    return HttpResponse("ok")


def blog():
    return [path("<int:pk>/", view, name="detail")]


@pytest.fixture
def site(urlconf, four_digit_year):
    """The URLconf these tests reverse in (probed against Django 5.2), made per test: path() needs exercise 02.2."""
    app = ([path("", view, name="index"), path("<int:pk>/", view, name="detail")], "app")
    inner = ([path("x/<int:n>/", view, name="x")], "inner")
    outer = (
        [path("one/", include(inner)), path("two/", include(inner, namespace="inner2")), path("me/", view, name="me")],
        "outer",
    )
    return urlconf([
        path("a1/", include(app, namespace="a1")),
        path("a2/", include(app, namespace="a2")),
        path("blog/", include((blog(), "blog"))),
        path("blog2/", include((blog(), "blog"), namespace="blog")),
        path("news/", include((blog(), "blog"), namespace="news")),
        path("o/", include(outer)),
        path("o2/", include(outer, namespace="outer2")),
        path("<slug:lang>/", include(([path("p/<int:n>/", view, name="p")], "lang"))),
        path("<yyyy:year>/", include([
            path("arch/", include(([path("d/<int:d>/", view, name="d")], "arch"))),
            path("plain/<int:d>/", view, name="plain"),
        ])),
    ])


# (name, args, kwargs, current_app, URL), each as Django 5.2 reverses it for the same URLconf.
DJANGO_REVERSES = [
    ("app:index", None, None, None, "/a2/"),  # no default instance: the last one deployed
    ("app:index", None, None, "a1", "/a1/"),  # current_app picks the instance
    ("a1:detail", [1], None, "a2", "/a1/1/"),  # an instance namespace is not overridden
    ("blog:detail", [1], None, None, "/blog/1/"),  # the default instance (namespace == app_name), first one wins
    ("blog:detail", [1], None, "news", "/news/1/"),
    ("news:detail", [1], None, None, "/news/1/"),
    ("outer:inner:x", [1], None, None, "/o/one/x/1/"),
    ("outer:inner:x", [1], None, "outer2:inner2", "/o2/two/x/1/"),
    ("outer:inner:x", [1], None, "outer:inner2", "/o/two/x/1/"),
    ("outer:inner:x", [1], None, "outer2", "/o2/one/x/1/"),
    ("outer2:inner:x", [1], None, None, "/o2/one/x/1/"),
    ("outer:me", None, None, "outer2", "/o2/me/"),
    ("lang:p", None, {"lang": "en", "n": 2}, None, "/en/p/2/"),  # the include's prefix has a parameter
    ("lang:p", ["en", 2], None, None, "/en/p/2/"),
    ("arch:d", None, {"year": 7, "d": 1}, None, "/0007/arch/d/1/"),  # the prefix's converter applies (to_url)
    ("arch:d", [7, 1], None, None, "/0007/arch/d/1/"),
    ("plain", None, {"year": 7, "d": 1}, None, "/0007/plain/1/"),
]


@pytest.mark.exercise("02.7")
@pytest.mark.parametrize("name, args, kwargs, current_app, url", DJANGO_REVERSES)
def test_reverse_through_namespaces(site, name, args, kwargs, current_app, url):
    """reverse('ns:name') walks the namespaces (app names pick an instance, honouring current_app)."""
    got = reverse(name, urlconf=site, args=args, kwargs=kwargs, current_app=current_app)
    assert got == url, (
        f"reverse({name!r}, args={args}, kwargs={kwargs}, current_app={current_app!r}) returned {got!r}; "
        f"expected {url!r}"
    )


@pytest.mark.exercise("02.7")
@pytest.mark.parametrize(
    "name, args, message",
    [
        ("inner:x", [1], "'inner' is not a registered namespace"),
        ("outer:nope:x", None, "'nope' is not a registered namespace inside 'outer'"),
        ("a1:missing", None, "Reverse for 'missing' not found. 'missing' is not a valid view function or pattern name."),
        (
            "blog:detail",
            ["x"],
            "Reverse for 'detail' with arguments '('x',)' not found. 1 pattern(s) tried: ['blog/(?P<pk>[0-9]+)/\\\\Z']",
        ),
        (
            "lang:p",
            [2],
            "Reverse for 'p' with arguments '(2,)' not found. 1 pattern(s) tried: "
            "['(?P<lang>[-a-zA-Z0-9_]+)/p/(?P<n>[0-9]+)/\\\\Z']",
        ),
        (
            "arch:d",
            ["x", 1],
            "Reverse for 'd' with arguments '('x', 1)' not found. 1 pattern(s) tried: "
            "['(?P<year>[0-9]{4})/arch/d/(?P<d>[0-9]+)/\\\\Z']",
        ),
    ],
)
def test_namespace_errors_say_what_is_missing(site, name, args, message):
    """An unknown namespace, or a name that does not reverse inside one, is NoReverseMatch in Django's words."""
    with pytest.raises(NoReverseMatch) as caught:
        reverse(name, urlconf=site, args=args)
    assert str(caught.value) == message, f"reverse({name!r}, args={args}) raised {str(caught.value)!r}; expected {message!r}"


@pytest.mark.exercise("02.7")
def test_a_name_inside_a_namespace_is_not_reversible_without_it(site):
    """'detail' alone is not found: it only exists as 'blog:detail' (and 'a1:detail'...)."""
    with pytest.raises(NoReverseMatch, match="'detail' is not a valid view function or pattern name"):
        reverse("detail", urlconf=site, args=[1])


@pytest.mark.exercise("02.7")
def test_namespaced_reverse_round_trips_through_resolve(site):
    """The URL reverse() gives for a namespaced name resolves back to a match with that view_name."""
    for name, args, kwargs, current_app, url in DJANGO_REVERSES:
        match = resolve(url, urlconf=site)
        assert reverse(match.view_name, urlconf=site, args=match.args, kwargs=match.kwargs,
                       current_app=match.namespace) == url, f"{url} resolved to {match.view_name}, which reversed elsewhere"


def test_app_dict_and_namespace_dict_are_djangos(site):
    """app_dict lists each application's instances, most recently deployed first; namespace_dict knows them all."""
    resolver = get_resolver(site)
    assert resolver._lookups is None, "the reverse tables are built when first needed"
    assert resolver.app_dict == {
        "arch": ["arch"], "lang": ["lang"], "outer": ["outer2", "outer"], "blog": ["news", "blog", "blog"], "app": ["a2", "a1"],
    }
    assert sorted(resolver.namespace_dict) == ["a1", "a2", "arch", "blog", "lang", "news", "outer", "outer2"]
    prefix, blog_resolver = resolver.namespace_dict["blog"]
    assert str(blog_resolver.pattern) == "blog/" and prefix.pattern == "blog/"


def test_resolve_reports_the_namespaces_passed(site):
    """A match inside namespaced includes has their namespaces and app names, outermost first."""
    match = resolve("/o2/two/x/5/", urlconf=site)
    assert (match.view_name, match.namespaces, match.app_names) == ("outer2:inner2:x", ["outer2", "inner2"], ["outer", "inner"])
    assert match.route == "o2/two/x/<int:n>/"
    match = resolve("/0007/arch/d/1/", urlconf=site)
    assert (match.view_name, match.kwargs, match.route) == ("arch:d", {"year": 7, "d": 1}, "<yyyy:year>/arch/d/<int:d>/")


def test_an_include_without_namespace_shares_its_names(urlconf):
    """The names inside an include with no app_name are reversed from the outside, under its prefix."""
    name = urlconf([path("shop/<slug:shop>/", include([path("item/<int:pk>/", view, {"kind": "item"}, name="item")]))])
    assert reverse("item", urlconf=name, kwargs={"shop": "north", "pk": 3}) == "/shop/north/item/3/"
    assert reverse("item", urlconf=name, kwargs={"shop": "north", "pk": 3, "kind": "item"}) == "/shop/north/item/3/"
    with pytest.raises(NoReverseMatch):
        reverse("item", urlconf=name, kwargs={"shop": "north", "pk": 3, "kind": "other"})
