"""Properties of URL dispatch, over generated routes, values and paths.

- reverse() then resolve() gives back the same view and the same kwargs;
- what reverse() builds is always a valid, percent-encoded path;
- the indexed resolver answers exactly as trying every pattern in order does.
"""

import itertools
import re
import types
from urllib.parse import unquote

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tinyframe.urls import URLResolver, clear_url_caches, include, path, re_path, resolve, reverse
from tinyframe.urls.exceptions import Resolver404
from tinyframe.urls.patterns import RegexPattern

_numbers = itertools.count()

# Any text but "/", "<", ">" and lone surrogates (which are not text a URL can carry).
TEXT = st.characters(blacklist_categories=("Cs",), blacklist_characters="/<>")
LITERAL = st.text(TEXT, min_size=1, max_size=6)

VALUES = {
    "int": st.integers(min_value=0, max_value=10**12),
    "slug": st.text("abcXYZ019-_", min_size=1, max_size=8),
    "str": st.text(st.characters(blacklist_categories=("Cs",), blacklist_characters="/"), min_size=1, max_size=8),
    # ".+" does not match a newline (Django's path converter neither).
    "path": st.text(st.characters(blacklist_categories=("Cs",), blacklist_characters="\n"), min_size=1, max_size=12),
    "uuid": st.uuids(),
}
# What a valid path may hold after percent-encoding: RFC 3986 unreserved and path characters, and "%".
ENCODED_PATH = re.compile(r"/[A-Za-z0-9\-._~!$&'()*+,;=:@/%]*")


def new_view():
    number = next(_numbers)

    def view(request, *args, **kwargs):
        return number

    view.__name__ = f"view_{number}"
    return view


@st.composite
def routes_with_values(draw):
    """A route of literal and parameter segments (a <path:...> only last), and a value for each parameter."""
    segments, values = [], {}
    count = draw(st.integers(min_value=1, max_value=4))
    for position in range(count):
        kinds = ["literal", "int", "slug", "str", "uuid"] + (["path"] if position == count - 1 else [])
        kind = draw(st.sampled_from(kinds))
        if kind == "literal":
            segments.append(draw(LITERAL))
        else:
            name = f"p{position}"
            segments.append(f"<{kind}:{name}>")
            values[name] = draw(VALUES[kind])
    route = "/".join(segments) + ("/" if draw(st.booleans()) else "")
    return route, values


def module_with(patterns) -> types.ModuleType:
    module = types.ModuleType(f"tinyframe_property_urls_{next(_numbers)}")
    module.urlpatterns = patterns
    return module


@given(routes_with_values(), st.lists(routes_with_values(), max_size=3))
def test_resolve_of_reverse_gives_back_the_view_and_kwargs(route_and_values, others):
    """For any route and values: resolve(reverse(name, kwargs=values)) is that view with those values."""
    route, values = route_and_values
    view = new_view()
    # Other routes, listed after it: the first pattern that matches wins, and it matches.
    urls = module_with([path(route, view, name="target")] + [path(other, new_view()) for other, _ in others])
    try:
        url = reverse("target", urlconf=urls, kwargs=values)
        assert ENCODED_PATH.fullmatch(url), f"reverse() built {url!r} for {route!r}: not a percent-encoded path"
        match = resolve(unquote(url), urlconf=urls)
        assert (match.func, match.kwargs) == (view, values), (
            f"route {route!r}, kwargs {values!r}: reverse() gave {url!r}, which resolved to "
            f"{match.func.__name__} with {match.kwargs!r}"
        )
        if values:
            positional = reverse("target", urlconf=urls, args=list(values.values()))
            assert positional == url, f"args gave {positional!r}, kwargs gave {url!r}"
    finally:
        clear_url_caches()


SEGMENTS = ["a", "b", "ab", "1", "<int:n{}>", "<slug:s{}>", "<str:t{}>"]
REGEXES = [r"^a/", r"^a", r"^ab?/", r"^(?P<x>[ab]+)/", r"^(\d+)/", r"b/$", r"^a/b$", r"^1/(?P<y>\d+)?/?$", r"^$", r"^b/\Z"]


@st.composite
def routes(draw):
    parts = draw(st.lists(st.sampled_from(SEGMENTS), max_size=3))
    route = "/".join(part.format(position) for position, part in enumerate(parts))
    ending = draw(st.sampled_from(["", "/", "/<path:rest>"] if route else ["", "<path:rest>"]))
    return route + ending


@st.composite
def urlpatterns(draw, depth=0):
    """A list of path(), re_path() and include() patterns, with overlaps on purpose."""
    patterns = []
    for _ in range(draw(st.integers(min_value=0, max_value=6))):
        kind = draw(st.sampled_from(["route", "regex", "include"] if depth == 0 else ["route", "regex"]))
        if kind == "route":
            patterns.append(path(draw(routes()), new_view()))
        elif kind == "regex":
            patterns.append(re_path(draw(st.sampled_from(REGEXES)), new_view()))
        else:
            prefix = draw(st.sampled_from(["", "a/", "b/", "<int:m>/", "a"]))
            patterns.append(path(prefix, include(draw(urlpatterns(depth=1)))))
    return patterns


PATHS = st.builds(
    lambda segments, slash: "/" + "/".join(segments) + slash,
    st.lists(st.sampled_from(["a", "b", "ab", "1", "12", "x", "", "a b"]), max_size=4),
    st.sampled_from(["", "/"]),
)


# linear_resolve is a pure function: sharing it between examples is safe.
@settings(suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(urlpatterns(), st.lists(PATHS, min_size=1, max_size=5))
def test_the_index_answers_like_a_linear_scan(linear_resolve, patterns, urls):
    """For generated URLconfs and paths, the indexed resolver finds the same view, arguments and tried list."""
    resolver = URLResolver(RegexPattern(r"^/"), patterns)
    for url in urls:
        expected, expected_tried = linear_resolve(resolver, url)
        try:
            match = resolver.resolve(url)
        except Resolver404 as error:
            got, got_tried = None, list(error.args[0]["tried"])
        else:
            got, got_tried = (match.func, match.args, match.kwargs), list(match.tried)
        assert got == expected, (
            f"resolve({url!r}) on {patterns} found {got}; trying every pattern in order finds {expected}"
        )
        assert got_tried == expected_tried, f"resolve({url!r}) listed {got_tried} as tried; expected {expected_tried}"
