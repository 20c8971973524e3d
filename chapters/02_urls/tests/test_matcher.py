"""The fast matcher: a trie of literal path segments picks the patterns worth trying, in their order."""

import pytest

from tinyframe.http import HttpResponse
from tinyframe.urls import Resolver404, URLPattern, get_resolver, include, path, re_path
from tinyframe.urls.matcher import PatternIndex, regex_prefix, route_prefix


def view(request, *args, **kwargs):
    return HttpResponse("ok")


def make_view(number):
    def numbered(request, *args, **kwargs):
        return HttpResponse(str(number))

    numbered.__name__ = f"view_{number}"
    return numbered


PREFIXES = [
    ("articles/", False),  # 0: articles/<int:year>/
    ("about", True),  # 1: exactly "about"
    ("", False),  # 2: <slug:slug>/  (a converter first: the root)
    ("articles/archive/", False),  # 3
    ("articles/", False),  # 4
    ("blog/", False),  # 5: an include
    ("", True),  # 6: exactly "" (the home page)
    ("art", False),  # 7: "art<int:n>/" (only part of a segment: the root)
    ("about/", True),  # 8: exactly "about/"
]


@pytest.mark.exercise("02.4")
@pytest.mark.parametrize(
    "path, expected",
    [
        ("articles/2024/", [0, 2, 4, 7]),
        ("articles/archive/2024/", [0, 2, 3, 4, 7]),
        ("about", [1, 2, 7]),
        ("about/", [2, 7, 8]),
        ("about/team/", [2, 7]),
        ("blog/post/", [2, 5, 7]),
        ("", [2, 6, 7]),
        ("nothing/here/", [2, 7]),
        ("articles", [2, 7]),
    ],
)
def test_candidates_are_the_patterns_whose_literal_start_fits_in_order(path, expected):
    """candidates(path) collects the patterns held at the root and at every segment walked, sorted."""
    index = PatternIndex(PREFIXES)
    got = index.candidates(path)
    assert got == expected, f"PatternIndex(PREFIXES).candidates({path!r}) returned {got}; expected {expected}"


@pytest.mark.exercise("02.4")
def test_a_path_no_route_starts_with_has_no_candidates():
    """With every pattern under a literal segment, an unknown path gets no candidates at all: a cheap 404."""
    index = PatternIndex([(f"articles{number}/", False) for number in range(1000)])
    assert index.candidates("nothing/here/") == []
    assert index.candidates("articles999/2024/x/") == [999]


@pytest.mark.exercise("02.4", "02.5")  # resolving also needs URLPattern.resolve
def test_resolving_tries_only_the_candidates(urlconf, monkeypatch):
    """Resolving the last of 1,000 routes tries one pattern, and a 404 tries none (Django would try 1,000)."""
    tried = []
    original = URLPattern.resolve

    def counting_resolve(pattern, path):
        tried.append(pattern.name)
        return original(pattern, path)

    name = urlconf([path(f"articles{n}/<int:year>/<slug:slug>/", view, name=f"a{n}") for n in range(1000)])
    monkeypatch.setattr(URLPattern, "resolve", counting_resolve)
    resolver = get_resolver(name)
    assert resolver.resolve("/articles999/2024/hello/").url_name == "a999"
    assert tried == ["a999"], f"resolving the last of 1,000 routes tried {len(tried)} patterns; expected only it"
    tried.clear()
    with pytest.raises(Resolver404) as caught:
        resolver.resolve("/nothing/")
    assert tried == [], f"a path no route starts with tried {len(tried)} patterns; expected none"
    assert len(caught.value.args[0]["tried"]) == 1000, "the 404 still lists every pattern, as Django's does"


def test_the_resolver_asks_through_a_bounded_cache_of_recent_paths(urlconf):
    """cached_candidates gives candidates' answers, remembered for the last 1,024 paths only."""
    index = PatternIndex(PREFIXES)
    assert index.cached_candidates("articles/2024/") == (0, 2, 4, 7)
    assert index.candidates("articles/2024/") == [0, 2, 4, 7]
    index.cached_candidates("articles/2024/")
    info = index.cached_candidates.cache_info()
    assert (info.hits, info.maxsize) == (1, 1024)
    resolver = get_resolver(urlconf([path("<slug:slug>/", view, name="page")]))
    first, second = resolver.resolve("/hello/"), resolver.resolve("/hello/")
    first.kwargs["slug"] = "changed"
    assert second is not first and second.kwargs == {"slug": "hello"}, "each request gets a match of its own"


def test_the_cached_answers_cannot_be_changed_by_a_caller():
    """Every caller gets the same cached answer, so it is immutable: no caller can corrupt the next one's."""
    index = PatternIndex(PREFIXES)
    answer = index.cached_candidates("articles/2024/")
    with pytest.raises(AttributeError):
        answer.append(1)  # a list from the cache would take it, and every later answer would have it
    later = index.cached_candidates("articles/2024/")
    assert later == (0, 2, 4, 7) and index.cached_candidates.cache_info().hits == 1, (
        f"after a caller tried to change its answer, the cache answered {later!r}; expected (0, 2, 4, 7)"
    )


def test_regex_prefixes_match_as_regexes(urlconf):
    """'^blog/' and '^a\\.b/' match their text (a '.' escaped is a dot, not any character); '^^x/' is still '^x/'."""
    name = urlconf([
        re_path(r"^blog/", include([path("<slug:slug>/", view, name="post")])),
        re_path(r"^a\.b/", include([path("", view, name="dotted")])),
        re_path(r"^^x/", view, name="double-caret"),
    ])
    resolver = get_resolver(name)
    assert resolver.resolve("/blog/hello/").kwargs == {"slug": "hello"}
    assert resolver.resolve("/a.b/").url_name == "dotted"
    with pytest.raises(Resolver404):
        resolver.resolve("/aXb/")
    assert resolver.resolve("/x/").url_name == "double-caret"


def tricky_patterns() -> list:
    """Overlapping patterns of every kind, made in the test: path() needs route_to_regex (exercise 02.2)."""
    return [
        path("<slug:a>/<int:n>/", make_view(0)),  # a converter first: tried for every path
        path("articles/<int:n>/", make_view(1)),
        path("articles/special/", make_view(2)),  # after a pattern that matches it too: never wins
        path("articles/special", make_view(3)),  # exact, no trailing slash
        re_path(r"^articles/(?P<x>[a-z]+)/$", make_view(4)),
        re_path(r"^art", make_view(5)),  # a partial segment: the root
        re_path(r"^articles?/feed/$", make_view(6)),  # "s?" is optional: only "article" is literal
        re_path(r"archive/(?P<y>\d+)/$", make_view(7)),  # no "^": may match anywhere
        re_path(r"^about/|^contact/", make_view(8)),  # "|": may match without its first branch
        path("", include([path("home/", make_view(9)), path("<int:n>/", make_view(10))])),
        path("blog/", include([path("", make_view(11)), path("<slug:s>/", make_view(12))])),
        path("blog/<int:y>/", include([path("<int:m>/", make_view(13))])),
        re_path(r"^feed\.xml$", make_view(14)),
        re_path(r"^a\.b\-c/(?:x)/$", make_view(15)),
        path("x/", make_view(16)),
    ]


TRICKY_PATHS = [
    "/articles/5/", "/articles/special/", "/articles/special", "/articles/abc/", "/artistic/", "/article/feed/",
    "/articles/feed/", "/some/archive/12/", "/contact/", "/about/", "/home/", "/7/", "/blog/", "/blog/hello/",
    "/blog/2024/5/", "/feed.xml", "/feed.xml\n", "/feedxxml", "/a.b-c/x/", "/x/", "/x", "/", "/nothing/at/all/",
    "/%FF/", "/café/", "/blog", "/articles", "",
]


@pytest.mark.exercise("02.4", "02.5")  # resolving also needs URLPattern.resolve
@pytest.mark.parametrize("url", TRICKY_PATHS)
def test_the_index_answers_like_trying_every_pattern(urlconf, linear_resolve, url):
    """On overlapping patterns, the indexed resolver finds what a linear scan finds, and lists the same tried."""
    resolver = get_resolver(urlconf(tricky_patterns()))
    expected, expected_tried = linear_resolve(resolver, url)
    try:
        match = resolver.resolve(url)
    except Resolver404 as error:
        got, got_tried = None, error.args[0].get("tried")
    else:
        got, got_tried = (match.func, match.args, match.kwargs), match.tried
    describe = (lambda found: found and f"{found[0].__name__} {found[1]} {found[2]}")
    assert describe(got) == describe(expected), (
        f"resolve({url!r}) found {describe(got)}; trying every pattern in order finds {describe(expected)}"
    )
    assert (None if got_tried is None else list(got_tried)) == expected_tried


@pytest.mark.parametrize(
    "regex, is_endpoint, prefix",
    [
        (r"^articles/(?P<year>[0-9]{4})/$", True, ("articles/", False)),
        (r"^about/$", True, ("about/", True)),
        (r"^about/\Z", True, ("about/", True)),
        (r"^about/$", False, ("about/", False)),
        (r"^about/", True, ("about/", False)),
        (r"^blogs?/", False, ("blog", False)),
        (r"^a+/", False, ("", False)),
        (r"^ab{2}/", False, ("a", False)),
        (r"^feeds\.xml$", True, ("feeds.xml", True)),
        (r"^a\-b\/c\ d/", False, ("a-b/c d/", False)),
        (r"^a\d/", False, ("a", False)),
        (r"^[ab]/", False, ("", False)),
        (r"^a.c/", False, ("a", False)),
        (r"^(?i)about/", False, ("", False)),
        (r"^about/|^contact/", False, ("", False)),
        (r"about/", False, ("", False)),
        (r"^café/$", True, ("café/", True)),
        (r"^\\/", False, ("\\/", False)),
    ],
)
def test_regex_prefix_keeps_only_the_text_every_match_starts_with(regex, is_endpoint, prefix):
    """regex_prefix stops at the first special character, drops a quantified one, and needs a '^'."""
    assert regex_prefix(regex, is_endpoint) == prefix, f"regex_prefix({regex!r}, {is_endpoint}) gave {regex_prefix(regex, is_endpoint)}"


@pytest.mark.parametrize(
    "route, is_endpoint, prefix",
    [("articles/<int:year>/", True, ("articles/", False)), ("about/", True, ("about/", True)),
     ("about/", False, ("about/", False)), ("<slug:s>/", True, ("", False))],
)
def test_route_prefix_is_the_text_before_the_first_parameter(route, is_endpoint, prefix):
    """A route's literal start ends at its first '<'; a route without parameters is the whole path."""
    assert route_prefix(route, is_endpoint) == prefix


def test_the_index_can_be_printed(urlconf):
    """describe() prints the trie with the patterns held at each segment, for learners to look at."""
    resolver = get_resolver(urlconf([
        path("", view), path("about", view), path("articles/<int:year>/", view, name="year"),
        path("articles/archive/", view), path("<slug:slug>/", view),
    ]))
    assert resolver.index.describe() == "\n".join([
        "(every path): #4 '<slug:slug>/'",
        "(end) (whole path): #0 ''",
        "about (whole path): #1 'about'",
        "articles/: #2 'articles/<int:year>/' [name='year']",
        "  archive/",
        "    (end) (whole path): #3 'articles/archive/'",
    ])
    assert repr(resolver.index) == "<PatternIndex of 5 patterns>"
    assert PatternIndex([("blog/", False), ("", False)]).describe() == "(every path): #1\nblog/: #0"
