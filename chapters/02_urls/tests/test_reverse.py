"""reverse(): from a pattern name (or view) and arguments back to a correctly encoded URL."""

import uuid

import pytest

from tinyframe.http import HttpResponse, JsonResponse, QueryDict
from tinyframe.urls import (
    NoReverseMatch,
    clear_script_prefix,
    get_resolver,
    get_script_prefix,
    path,
    re_path,
    reverse,
    reverse_lazy,
    set_script_prefix,
)
from tinyframe.utils.functional import Promise


def index(request):
    return HttpResponse("index")


def article(request, **kwargs):
    return HttpResponse("article")


def other(request, *args, **kwargs):
    return HttpResponse("other")


@pytest.fixture
def site(urlconf):
    return urlconf([
        path("", index, name="index"),
        path("articles/<int:year>/", article, name="year"),
        path("articles/<int:year>/<slug:slug>/", article, name="article"),
        path("s/<str:s>/", article, name="str"),
        path("files/<path:rest>", article, name="files"),
        path("u/<uuid:u>/", article, name="uuid"),
        re_path(r"^re/(?P<year>[0-9]{4})/(\d+)/$", article, name="re"),
        re_path(r"^unnamed/(\d+)/(\d+)/$", other, name="unnamed"),
        re_path(r"^comments/(?:page-(?P<page>\d+)/)?$", article, name="comments"),
        re_path(r"^feeds\.(?:xml|rss)$", article, name="alternation"),
        path("ex/<int:x>/", article, {"x": 5, "y": 2}, name="ex"),
        path("dup/", article, name="dup"),
        path("dup2/", other, name="dup"),
        path("100% é/", article, name="literal"),
        path("<path:rest>", article, name="bare"),
    ])


def build(urlconf: str, name, args=None, kwargs=None) -> str:
    """The URL ``reverse(name, urlconf=urlconf, args=args, kwargs=kwargs)`` gives, asked of the resolver itself.

    For a name without namespaces, reverse() (exercise 02.7) only hands over to
    the URLconf's resolver, whose ``reverse_with_prefix`` tries each pattern's
    ``Reversal.build`` (exercise 02.6): these tests need no more than that.
    """
    return get_resolver(urlconf).reverse_with_prefix(name, "/", args or (), kwargs or {})


@pytest.mark.exercise("02.6")
@pytest.mark.parametrize(
    "name, args, kwargs, url",
    [
        ("index", None, None, "/"),
        ("year", [2020], None, "/articles/2020/"),
        ("year", None, {"year": 2020}, "/articles/2020/"),
        ("article", [2020, "hello-world"], None, "/articles/2020/hello-world/"),
        ("article", None, {"slug": "hi", "year": 7}, "/articles/7/hi/"),
        ("uuid", [uuid.UUID(int=5)], None, "/u/00000000-0000-0000-0000-000000000005/"),
        ("re", [2020, 5], None, "/re/2020/5/"),
        ("unnamed", [1, 2], None, "/unnamed/1/2/"),
        ("comments", None, None, "/comments/"),
        ("comments", None, {"page": 3}, "/comments/page-3/"),
        ("ex", None, {"x": 5}, "/ex/5/"),
        ("ex", None, {"x": 5, "y": 2}, "/ex/5/"),
        ("ex", [5], None, "/ex/5/"),
        ("literal", None, None, "/100%25%20%C3%A9/"),
    ],
)
def test_reverse_builds_the_url(site, name, args, kwargs, url):
    """Reversing a name with args or kwargs fills the pattern's parameters (converted by to_url) into its route."""
    got = build(site, name, args, kwargs)
    assert got == url, (
        f"get_resolver(site).reverse_with_prefix({name!r}, '/', args={args}, kwargs={kwargs}) returned {got!r}; "
        f"expected {url!r}"
    )


# Django 5.2's output for reverse("str", args=["a" + character + "b"]): RFC 3986 path
# characters stay, everything else is percent-encoded as UTF-8.
QUOTING = {
    "!": "a!b", '"': "a%22b", "#": "a%23b", "$": "a$b", "%": "a%25b", "&": "a&b", "'": "a'b", "(": "a(b",
    ")": "a)b", "*": "a*b", "+": "a+b", ",": "a,b", "-": "a-b", ".": "a.b", ":": "a:b", ";": "a;b",
    "<": "a%3Cb", "=": "a=b", ">": "a%3Eb", "?": "a%3Fb", "@": "a@b", "[": "a%5Bb", "\\": "a%5Cb",
    "]": "a%5Db", "^": "a%5Eb", "_": "a_b", "`": "a%60b", "{": "a%7Bb", "|": "a%7Cb", "}": "a%7Db",
    "~": "a~b", " ": "a%20b", "é": "a%C3%A9b", "\t": "a%09b", "\n": "a%0Ab", "€": "a%E2%82%ACb",
    "\x00": "a%00b", "\x7f": "a%7Fb",
}


@pytest.mark.exercise("02.6")
@pytest.mark.parametrize("character, encoded", QUOTING.items())
def test_reverse_percent_encodes_like_django(site, character, encoded):
    """Values are percent-encoded as Django does, keeping the characters RFC 3986 allows in a path."""
    got = build(site, "str", ["a" + character + "b"])
    assert got == f"/s/{encoded}/", (
        f"get_resolver(site).reverse_with_prefix('str', '/', args=[{'a' + character + 'b'!r}]) returned {got!r}; "
        f"expected '/s/{encoded}/'"
    )


@pytest.mark.exercise("02.6")
@pytest.mark.parametrize(
    "name, value, url",
    [
        ("bare", "//evil.example/x", "/%2F/evil.example/x"),
        ("bare", "/x", "/%2Fx"),
        ("bare", "x//y", "/x//y"),
        ("bare", "%2F", "/%252F"),
        ("files", "//a/b c", "/files///a/b%20c"),
        ("files", "a?b#c", "/files/a%3Fb%23c"),
    ],
)
def test_reverse_never_builds_a_scheme_relative_url(site, name, value, url):
    """A URL starting '//' would send the browser to another host: the second slash is encoded, as in Django."""
    got = build(site, name, [value])
    assert got == url, (
        f"get_resolver(site).reverse_with_prefix({name!r}, '/', args=[{value!r}]) returned {got!r}; expected {url!r}"
    )


@pytest.mark.exercise("02.6")
@pytest.mark.parametrize(
    "name, args, kwargs, message",
    [
        ("year", ["x"], None, "Reverse for 'year' with arguments '('x',)' not found. 1 pattern(s) tried: ['articles/(?P<year>[0-9]+)/\\\\Z']"),
        ("year", [-1], None, "Reverse for 'year' with arguments '(-1,)' not found. 1 pattern(s) tried: ['articles/(?P<year>[0-9]+)/\\\\Z']"),
        ("article", None, {"year": 1, "slug": "a b"}, "Reverse for 'article' with keyword arguments '{'year': 1, 'slug': 'a b'}' not found. 1 pattern(s) tried: ['articles/(?P<year>[0-9]+)/(?P<slug>[-a-zA-Z0-9_]+)/\\\\Z']"),
        ("article", [1], None, "Reverse for 'article' with arguments '(1,)' not found. 1 pattern(s) tried: ['articles/(?P<year>[0-9]+)/(?P<slug>[-a-zA-Z0-9_]+)/\\\\Z']"),
        ("year", None, None, "Reverse for 'year' with no arguments not found. 1 pattern(s) tried: ['articles/(?P<year>[0-9]+)/\\\\Z']"),
        ("str", ["a/b"], None, "Reverse for 'str' with arguments '('a/b',)' not found. 1 pattern(s) tried: ['s/(?P<s>[^/]+)/\\\\Z']"),
        ("re", None, {"year": 2020}, "Reverse for 're' with keyword arguments '{'year': 2020}' not found. 1 pattern(s) tried: ['re/(?P<year>[0-9]{4})/(\\\\d+)/$']"),
        ("ex", None, {"x": 5, "y": 3}, "Reverse for 'ex' with keyword arguments '{'x': 5, 'y': 3}' not found. 1 pattern(s) tried: ['ex/(?P<x>[0-9]+)/\\\\Z']"),
        ("ex", None, {}, "Reverse for 'ex' with no arguments not found. 1 pattern(s) tried: ['ex/(?P<x>[0-9]+)/\\\\Z']"),
        ("uuid", ["nope"], None, "Reverse for 'uuid' with arguments '('nope',)' not found. 1 pattern(s) tried: ['u/(?P<u>[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})/\\\\Z']"),
        ("alternation", None, None, "Reverse for 'alternation' with no arguments not found. 1 pattern(s) tried: ['feeds\\\\.(?:xml|rss)$']"),
        ("missing", None, None, "Reverse for 'missing' not found. 'missing' is not a valid view function or pattern name."),
    ],
)
def test_no_reverse_match_says_what_was_tried(site, name, args, kwargs, message):
    """When no pattern fits, NoReverseMatch names the arguments and lists the patterns tried (Django's text)."""
    with pytest.raises(NoReverseMatch) as caught:
        build(site, name, args, kwargs)
    assert str(caught.value) == message, (
        f"get_resolver(site).reverse_with_prefix({name!r}, '/', args={args}, kwargs={kwargs}) raised "
        f"{str(caught.value)!r}; expected {message!r} (Reversal.build returns None when nothing fits)"
    )


def test_a_value_is_checked_against_the_pattern_not_just_converted(site):
    """to_url of str gives 'a b', but the slug pattern refuses it: the built URL must match the pattern."""
    with pytest.raises(NoReverseMatch):
        reverse("article", urlconf=site, args=[1, "not a slug"])


def test_args_and_kwargs_cannot_be_mixed(site):
    """Giving both args and kwargs is a ValueError, as in Django."""
    with pytest.raises(ValueError, match=r"^Don't mix \*args and \*\*kwargs in call to reverse\(\)!$"):
        reverse("year", urlconf=site, args=[1], kwargs={"year": 1})


def test_the_last_pattern_with_a_name_wins(site):
    """When two patterns share a name, reverse() uses the last one, as Django does."""
    assert reverse("dup", urlconf=site) == "/dup2/"


def test_reverse_by_view_callable(site):
    """A view itself can be reversed; a failure names it by its dotted path and lists its patterns."""
    assert reverse(index, urlconf=site) == "/"
    assert reverse(other, urlconf=site) == "/dup2/"
    assert reverse(other, urlconf=site, args=[1, 2]) == "/unnamed/1/2/"
    with pytest.raises(NoReverseMatch) as caught:
        reverse(other, urlconf=site, args=[3])
    assert str(caught.value) == (
        f"Reverse for '{__name__}.other' with arguments '(3,)' not found. 2 pattern(s) tried: "
        "['dup2/\\\\Z', 'unnamed/(\\\\d+)/(\\\\d+)/$']"
    )


def test_reverse_with_a_script_prefix(site):
    """The script prefix (where the site is mounted) comes first, percent-encoded, never as '//'."""
    try:
        set_script_prefix("/my app%")
        assert get_script_prefix() == "/my app%/"
        assert reverse("str", urlconf=site, args=["x y"]) == "/my%20app%25/s/x%20y/"
        set_script_prefix("//evil")
        assert reverse("str", urlconf=site, args=["x"]) == "/%2Fevil/s/x/"
    finally:
        clear_script_prefix()
    assert get_script_prefix() == "/"


def test_the_resolver_reverses_without_a_prefix(site):
    """URLResolver.reverse(name, *args) gives the path without the leading slash, as Django's does."""
    assert get_resolver(site).reverse("year", 1999) == "articles/1999/"
    assert get_resolver(site).reverse("article", year=1, slug="a") == "articles/1/a/"


@pytest.mark.exercise("02.7")
@pytest.mark.parametrize(
    "query, fragment, url",
    [
        ({"a": [1, 2], "b": "c d"}, "top x", "/articles/2020/?a=1&a=2&b=c+d#top x"),
        ([("a", "1"), ("a", "2")], None, "/articles/2020/?a=1&a=2"),
        ({}, "", "/articles/2020/#"),
        (QueryDict("q=café&q=thé"), None, "/articles/2020/?q=caf%C3%A9&q=th%C3%A9"),
        (None, "section-2", "/articles/2020/#section-2"),
    ],
)
def test_reverse_adds_query_and_fragment(site, query, fragment, url):
    """Django 5.2's query= (a dict, pairs or QueryDict; nothing when empty) and fragment= (as given)."""
    got = reverse("year", urlconf=site, args=[2020], query=query, fragment=fragment)
    assert got == url, f"reverse('year', args=[2020], query={query!r}, fragment={fragment!r}) returned {got!r}; expected {url!r}"


def test_json_response_sends_a_lazy_url_as_text(site):
    """JsonResponse's default encoder turns reverse_lazy() into the URL it stands for."""
    response = JsonResponse({"next": reverse_lazy("year", urlconf=site, args=[2024])})
    assert response.content == b'{"next": "/articles/2024/"}'


def test_reverse_lazy_waits_until_used(urlconf):
    """reverse_lazy() returns a Promise; it reverses when used as a string, so it can precede its URLconf."""
    name = urlconf([])
    url = reverse_lazy("later", urlconf=name, kwargs={"n": 3})
    assert isinstance(url, Promise)
    import sys

    sys.modules[name].urlpatterns = [path("later/<int:n>/", index, name="later")]
    assert str(url) == "/later/3/"
    assert url == "/later/3/" and f"{url}" == "/later/3/" and "%s" % url == "/later/3/"
    assert url + "?x" == "/later/3/?x" and "go " + url == "go /later/3/"
    assert url.startswith("/later") and len(url) == 9 and repr(url) == "'/later/3/'"
    assert hash(url) == hash("/later/3/") and url < "/m" and url > "/a"
    assert url == reverse_lazy("later", urlconf=name, kwargs={"n": 3})
    assert url < reverse_lazy("later", urlconf=name, kwargs={"n": 4})


# Django 5.2's regex_helper.normalize() gives the same templates for these regexes.
REGEX_TEMPLATES = [
    (r"^a/(?P<x>\d+)/$", [("a/%(x)s/", ["x"])]),
    (r"^(\d+)/(?P<y>[a-z]+)/$", [("%(_0)s/%(y)s/", ["_0", "y"])]),
    (r"^comments/(?:page-(?P<page>\d+)/)?$", [("comments/", []), ("comments/page-%(page)s/", ["page"])]),
    (r"^a\.b/c\-d/$", [("a.b/c-d/", [])]),
    (r"^a+b*c?/$", [("a/", [])]),
    (r"^[abc]x/$", [("ax/", [])]),
    (r"^a.b/$", [("a.b/", [])]),
    (r"^\d\w\s\D\W\S/$", [("0x x!x/", [])]),
    (r"^a|b$", [("", [])]),
    (r"^a{3}/$", [("aaa/", [])]),
    (r"^a{2,5}/$", [("aa/", [])]),
    (r"^(?:ab)+/$", [("ab/", [])]),
    (r"^x(?=y)/$", [("x/", [])]),
    (r"^x(?!y)/$", [("x/", [])]),
    (r"^(?<=a)b/$", [("b/", [])]),
    (r"^(?P<x>a(?P<y>b))/$", [("%(x)s/", ["x"])]),
    (r"^(?P<x>\d+)?/$", [("/", []), ("%(x)s/", ["x"])]),
    (r"^a/(b|c)/$", [("a/%(_0)s/", ["_0"])]),
    (r"^\Aa/\Z", [("a/", [])]),
    (r"^(?P<a>x)(?P=a)/$", [("%(a)s%(a)s/", ["a"])]),
    (r"^a[^/]b/$", [("a^b/", [])]),
    (r"^(?P<n>x)+/$", [("%(n)s/", ["n"])]),
    (r"^a[\d]b/$", [("a0b/", [])]),
    (r"^x+?y/$", [("xy/", [])]),
    (r"^a*?/$", [("/", [])]),
    (r"^[]a]/$", [("]/", [])]),
    (r"^a{0,2}b/$", [("b/", [])]),
    (r"^a\bb/$", [("ab/", [])]),
    (r"^(?P<n>[0-9]+)*/$", [("/", []), ("%(n)s/", ["n"])]),
    (r"^\\x/$", [("\\x/", [])]),
    # Where tinyframe differs: Django raises ValueError (for the whole URLconf) or fails on "%".
    (r"^a{,2}/$", [("/", [])]),
    (r"^(?i)abc/$", [("", [])]),
    (r"^(a)\1/$", [("", [])]),
    (r"^a/%/$", [("a/%%/", [])]),
]


@pytest.mark.parametrize("regex, templates", REGEX_TEMPLATES)
def test_regex_templates_are_djangos(regex, templates):
    """A re_path regex gives the URL templates Django's normalize() gives (one per optional part)."""
    from tinyframe.urls.reversal import regex_templates

    assert regex_templates(regex) == templates, f"regex_templates({regex!r}) gave {regex_templates(regex)}"


def test_a_regex_with_an_optional_parameter_reverses_both_ways(urlconf):
    """re_path(r'^(?P<x>\\d+)?/$') reverses with and without x, like Django."""
    name = urlconf([re_path(r"^list/(?:(?P<page>\d+)/)?$", index, name="list")])
    assert reverse("list", urlconf=name) == "/list/"
    assert reverse("list", urlconf=name, kwargs={"page": 2}) == "/list/2/"
    assert reverse("list", urlconf=name, args=[3]) == "/list/3/"
