"""Compiling routes and regexes into patterns, and every mistake in a URLconf reported when it is written."""

import re

import pytest

from tinyframe.core.exceptions import ImproperlyConfigured
from tinyframe.http import HttpResponse
from tinyframe.urls import URLPattern, URLResolver, include, path, re_path
from tinyframe.urls.patterns import RegexPattern, RoutePattern, route_to_regex
from tinyframe.views import View


def view(request, **kwargs):
    return HttpResponse("ok")


class ArticleView(View):
    def get(self, request):
        return HttpResponse("article")


@pytest.mark.exercise("02.2")
@pytest.mark.parametrize(
    "route, is_endpoint, regex, converters",
    [
        ("articles/", True, r"^articles/\Z", {}),
        ("articles/", False, r"^articles/", {}),
        ("", True, r"^\Z", {}),
        ("articles/<int:year>/", True, r"^articles/(?P<year>[0-9]+)/\Z", {"year": "IntConverter"}),
        ("<slug>/", True, r"^(?P<slug>[^/]+)/\Z", {"slug": "StringConverter"}),
        (
            "a/<int:year>/<slug:slug>/",
            True,
            r"^a/(?P<year>[0-9]+)/(?P<slug>[-a-zA-Z0-9_]+)/\Z",
            {"year": "IntConverter", "slug": "SlugConverter"},
        ),
        ("docs/<path:rest>", False, r"^docs/(?P<rest>.+)", {"rest": "PathConverter"}),
        ("feed.xml", True, r"^feed\.xml\Z", {}),
        ("a+b (c)/", True, r"^a\+b\ \(c\)/\Z", {}),
        ("<int:x><int:y>", True, r"^(?P<x>[0-9]+)(?P<y>[0-9]+)\Z", {"x": "IntConverter", "y": "IntConverter"}),
    ],
)
def test_route_to_regex(route, is_endpoint, regex, converters):
    """A route becomes '^' + escaped literals and named groups (+ '\\Z' for an endpoint), with its converters."""
    got_regex, got_converters = route_to_regex(route, is_endpoint)
    assert got_regex == regex, f"route_to_regex({route!r}, {is_endpoint}) gave the regex {got_regex!r}; expected {regex!r}"
    kinds = {name: type(converter).__name__ for name, converter in got_converters.items()}
    assert kinds == converters, f"route_to_regex({route!r}, ...) gave the converters {kinds}; expected {converters}"


@pytest.mark.exercise("02.2")
@pytest.mark.parametrize(
    "route, message",
    [
        ("a/<foo:x>/", "URL route 'a/<foo:x>/' uses invalid converter 'foo'."),
        ("a/<1x>/", "URL route 'a/<1x>/' uses parameter name '1x' which isn't a valid Python identifier."),
        ("a/<int:>/", "URL route 'a/<int:>/' uses parameter name 'int:' which isn't a valid Python identifier."),
        ("a/<:x>/", "URL route 'a/<:x>/' uses parameter name ':x' which isn't a valid Python identifier."),
        ("a/<>/", "URL route 'a/<>/' uses parameter name '' which isn't a valid Python identifier."),
        ("a/< x>/", "URL route 'a/< x>/' cannot contain whitespace in angle brackets <…>."),
        ("a/<int: x>/", "URL route 'a/<int: x>/' cannot contain whitespace in angle brackets <…>."),
        ("a/<int:x", "URL route 'a/<int:x' has an unmatched '<' bracket."),
        ("a/x>/", "URL route 'a/x>/' has an unmatched '>' bracket."),
        ("a/<int:x>>/", "URL route 'a/<int:x>>/' has an unmatched '>' bracket."),
        ("<int:x>/<slug:x>/", "URL route '<int:x>/<slug:x>/' uses parameter name 'x' more than once."),
    ],
)
def test_an_invalid_route_is_an_error_naming_it(route, message):
    """A mistake in a route raises ImproperlyConfigured that names the route, when path() is called."""
    with pytest.raises(ImproperlyConfigured) as caught:
        path(route, view)
    assert str(caught.value) == message, f"path({route!r}, view) raised {str(caught.value)!r}; expected {message!r}"


@pytest.mark.exercise("02.2")
@pytest.mark.parametrize(
    "route, notes",
    [
        ("posts/<slg:slug>/", ["Did you mean 'slug'?", "Converters are: int, path, slug, str, uuid."]),
        ("<itn:year>/", ["Did you mean 'int'?", "Converters are: int, path, slug, str, uuid."]),
        ("a/<foo:x>/", ["Converters are: int, path, slug, str, uuid."]),  # nothing close: no guess
    ],
)
def test_an_unknown_converter_gets_a_suggestion_and_the_list_as_notes(route, notes):
    """Django's message stays exact; notes (printed under it) suggest the closest converter and list them all."""
    with pytest.raises(ImproperlyConfigured) as caught:
        path(route, view)
    got = getattr(caught.value, "__notes__", [])
    assert got == notes, f"path({route!r}, view) raised an error with the notes {got}; expected {notes}"


@pytest.mark.exercise("02.2")
def test_a_registered_converter_is_suggested_and_listed(four_digit_year):
    """A project's own converters count as known names too."""
    with pytest.raises(ImproperlyConfigured) as caught:
        path("<yyy:year>/", view)
    assert caught.value.__notes__ == ["Did you mean 'yyyy'?", "Converters are: int, path, slug, str, uuid, yyyy."]


@pytest.mark.parametrize(
    "regex, message",
    [
        (r"^a/(?P<x>[0-9]+", '"^a/(?P<x>[0-9]+" is not a valid regular expression: missing ), unterminated subpattern'),
        (r"^a/(?P<1x>\d)/$", r'"^a/(?P<1x>\d)/$" is not a valid regular expression: bad character in group name'),
        (r"^a/[", '"^a/[" is not a valid regular expression: unterminated character set'),
    ],
)
def test_an_invalid_regex_is_an_error_when_re_path_is_called(regex, message):
    """re_path() compiles its regex at once: a bad one is ImproperlyConfigured naming it (Django waits for a request)."""
    with pytest.raises(ImproperlyConfigured) as caught:
        re_path(regex, view)
    assert str(caught.value).startswith(message), f"re_path({regex!r}, view) raised {str(caught.value)!r}"


def test_a_converter_with_a_broken_regex_is_reported_with_the_route(converters):
    """A registered converter whose regex does not compile makes path() fail, naming the route."""

    class Broken:
        regex = "[0-9"

        def to_python(self, value):
            return value

        def to_url(self, value):
            return value

    converters.register_converter(Broken, "broken")
    with pytest.raises(ImproperlyConfigured, match=r"URL route 'n/<broken:n>/', compiled to .* is not a valid regular"):
        path("n/<broken:n>/", view)


def test_path_with_a_view_is_a_urlpattern_and_with_include_a_resolver():
    """path() gives a URLPattern for a view, a URLResolver for an include(); both show their route."""
    pattern = path("articles/<int:year>/", view, {"source": "test"}, name="year")
    assert isinstance(pattern, URLPattern) and isinstance(pattern.pattern, RoutePattern)
    assert (pattern.callback, pattern.default_args, pattern.name) == (view, {"source": "test"}, "year")
    assert repr(pattern) == "<URLPattern 'articles/<int:year>/' [name='year']>"
    assert str(pattern.pattern) == "articles/<int:year>/"
    resolver = path("blog/", include([pattern]))
    assert isinstance(resolver, URLResolver)
    assert repr(resolver) == "<URLResolver <URLPattern list> (None:None) 'blog/'>"
    regex = re_path(r"^old/(?P<page>[0-9]+)/$", view)
    assert isinstance(regex.pattern, RegexPattern) and str(regex.pattern) == r"^old/(?P<page>[0-9]+)/$"
    assert repr(regex) == r"<URLPattern '^old/(?P<page>[0-9]+)/$'>"


@pytest.mark.parametrize(
    "view_argument, message",
    [
        ("blog.views.index", "view must be a callable or a list/tuple in the case of include()."),
        (None, "view must be a callable or a list/tuple in the case of include()."),
        (ArticleView(), "view must be a callable, pass ArticleView.as_view(), not ArticleView()."),
        (ArticleView, "Your URL pattern 'a/' has an invalid view, pass ArticleView.as_view() instead of ArticleView."),
    ],
)
def test_a_view_that_is_not_a_view_is_a_type_error(view_argument, message):
    """path() refuses a dotted string, an instance or a class of View, with Django's messages."""
    with pytest.raises(TypeError) as caught:
        path("a/", view_argument)
    assert str(caught.value) == message


def test_path_kwargs_must_be_a_dict():
    """The extra kwargs of path() are a dict; anything else is a TypeError naming its type."""
    with pytest.raises(TypeError, match=r"^kwargs argument must be a dict, but got list\.$"):
        path("a/", view, ["not", "a", "dict"])


def test_include_returns_the_patterns_app_name_and_namespace(urlconf):
    """include() of a list, a (patterns, app_name) pair, or a module's dotted path with its app_name."""
    patterns = [path("", view)]
    assert include(patterns) == (patterns, None, None)
    assert include((patterns, "blog")) == (patterns, "blog", "blog")
    assert include((patterns, "blog"), namespace="news") == (patterns, "blog", "news")
    name = urlconf(patterns, app_name="polls")
    module, app_name, namespace = include(name, namespace="polls-2")
    assert (module.__name__, app_name, namespace) == (name, "polls", "polls-2")


@pytest.mark.parametrize(
    "arguments, message",
    [
        (
            {"arg": [], "namespace": "blog"},
            "Specifying a namespace in include() without providing an app_name is not supported. Set the app_name "
            "attribute in the included module, or pass a 2-tuple containing the list of patterns and app_name instead.",
        ),
        (
            {"arg": ([], "blog", "extra")},
            "Passing a 3-tuple to include() is not supported. Pass a 2-tuple containing the list of patterns and "
            "app_name, and provide the namespace argument to include() instead.",
        ),
        (
            {"arg": ([], "blog", "extra"), "namespace": "news"},
            "Cannot override the namespace for a dynamic module that provides a namespace.",
        ),
    ],
)
def test_include_mistakes_are_reported(arguments, message):
    """A namespace without an app_name, or a tuple of the wrong size, is ImproperlyConfigured (Django's words)."""
    with pytest.raises(ImproperlyConfigured) as caught:
        include(**arguments)
    assert str(caught.value) == message


# path() compiles its route with route_to_regex (exercise 02.2), so the patterns
# are made inside the test, never when this module is imported.
@pytest.mark.parametrize(
    "make, route, target, prefix",
    [
        (path, "articles/<int:year>/", view, ("articles/", False)),
        (path, "about/", view, ("about/", True)),
        (path, "blog/", include([]), ("blog/", False)),
        (re_path, r"^feeds/(?P<name>\w+)\.xml$", view, ("feeds/", False)),
        (re_path, r"^robots\.txt$", view, ("robots.txt", True)),
        (re_path, r"^robots\.txt", view, ("robots.txt", False)),
        (re_path, r"^robots\.txt$", include([]), ("robots.txt", False)),
    ],
)
def test_each_pattern_knows_its_literal_start(make, route, target, prefix):
    """literal_prefix() is the fixed text a path must start with, and whether the pattern is exactly it."""
    pattern = make(route, target)
    got = pattern.pattern.literal_prefix()
    assert got == prefix, f"{make.__name__}({route!r}, ...).pattern.literal_prefix() gave {got}; expected {prefix}"


def test_regex_compiled_by_route_matches_like_the_route():
    """The compiled regex of an endpoint route refuses a trailing newline (\\Z, not $)."""
    regex = path("a/<int:n>/", view).pattern.regex
    assert regex.match("a/1/") and not regex.match("a/1/\n") and not re.match(regex, "a/x/")
