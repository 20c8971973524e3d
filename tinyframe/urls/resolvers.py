"""URL resolvers: from a path to a view (resolve), and from a name to a path (reverse).

How it works: ``path()`` compiles its route with ``route_to_regex`` into a
``RoutePattern``; ``re_path()`` keeps its regex in a ``RegexPattern``. A
``URLPattern`` joins a pattern to a view; a ``URLResolver`` joins a prefix
pattern to a list of patterns (an ``include()``, or the root URLconf).
``URLResolver.resolve`` strips its prefix from the path, asks its
``PatternIndex`` (``matcher.py``) which patterns could match the rest, and
tries only those, in order: the first ``URLPattern.resolve`` that matches
gives a ``ResolverMatch``, to which every resolver on the way out adds its
prefix, kwargs and namespace. When none matches, ``Resolver404`` carries the
patterns tried (``TriedPatterns``).

The other way, ``URLResolver._populate`` builds ``reverse_dict`` once: for each
pattern name and view, ``Reversal`` objects (URL templates, converters and the
regex a URL must match) that ``Reversal.build`` fills with arguments.
``namespace_dict`` and ``app_dict`` say where each namespace's patterns are;
``tinyframe.urls.base.reverse`` walks them.
"""

import collections.abc
import functools
import re
import string
from importlib import import_module
from pickle import PicklingError
from urllib.parse import quote

from tinyframe.conf import settings
from tinyframe.core.exceptions import ImproperlyConfigured, ViewDoesNotExist
from tinyframe.urls.converters import get_converters
from tinyframe.urls.exceptions import NoReverseMatch, Resolver404
from tinyframe.urls.matcher import PatternIndex, regex_prefix, route_prefix
from tinyframe.utils.module_loading import import_string

# The characters RFC 3986 allows unescaped in a path ("pchar" and "/"); reverse()
# percent-encodes everything else.
PATH_SAFE_CHARACTERS = "!$&'()*+,;=" + "/~:@"

# The views that answer errors when the root URLconf names no handler400... of its own.
DEFAULT_ERROR_HANDLERS = {
    400: "tinyframe.views.defaults.bad_request",
    403: "tinyframe.views.defaults.permission_denied",
    404: "tinyframe.views.defaults.page_not_found",
    500: "tinyframe.views.defaults.server_error",
}


def route_to_regex(route: str, is_endpoint: bool) -> tuple[str, dict]:
    """Compile a route into a regex string and a ``{parameter name: converter}`` dict.

    Scan ``route`` for parameters, ``<converter:name>`` or just ``<name>``
    (converter ``"str"``). Literal text between them goes into the regex
    through ``re.escape``; each parameter becomes a named group
    ``(?P<name>...)`` around its converter's ``regex`` (``get_converters()``
    has them all). The regex starts with ``^``, and ends with ``\\Z`` when the
    route is an endpoint (a view's full route, not an ``include()`` prefix).
    Raise ``ImproperlyConfigured`` naming the route for a ``<`` without ``>``
    (or a stray ``>``), whitespace inside ``<...>``, a name that is not a
    Python identifier, a name used twice, or an unknown converter.

    >>> regex, converters = route_to_regex("articles/<int:year>/<slug>/", is_endpoint=True)
    >>> print(regex)
    ^articles/(?P<year>[0-9]+)/(?P<slug>[^/]+)/\\Z
    >>> {name: type(converter).__name__ for name, converter in converters.items()}
    {'year': 'IntConverter', 'slug': 'StringConverter'}
    """
    parts = ["^"]
    converters = {}
    position = 0
    while True:
        start = route.find("<", position)
        literal = route[position:] if start == -1 else route[position:start]
        if ">" in literal:
            raise ImproperlyConfigured(f"URL route {route!r} has an unmatched '>' bracket.")
        parts.append(re.escape(literal))
        if start == -1:
            break
        end = route.find(">", start)
        if end == -1:
            raise ImproperlyConfigured(f"URL route {route!r} has an unmatched '<' bracket.")
        inside = route[start + 1 : end]
        if any(character in string.whitespace for character in inside):
            raise ImproperlyConfigured(f"URL route {route!r} cannot contain whitespace in angle brackets <…>.")
        raw_converter, colon, name = inside.partition(":")
        if not (colon and raw_converter and name):
            raw_converter, name = "str", inside
        if not name.isidentifier():
            raise ImproperlyConfigured(
                f"URL route {route!r} uses parameter name {name!r} which isn't a valid Python identifier."
            )
        if name in converters:
            raise ImproperlyConfigured(f"URL route {route!r} uses parameter name {name!r} more than once.")
        try:
            converter = get_converters()[raw_converter]
        except KeyError:
            known = ", ".join(sorted(get_converters()))
            raise ImproperlyConfigured(
                f"URL route {route!r} uses invalid converter {raw_converter!r}. Converters are: {known}."
            ) from None
        converters[name] = converter
        parts.append(f"(?P<{name}>{converter.regex})")
        position = end + 1
    if is_endpoint:
        parts.append(r"\Z")
    return "".join(parts), converters


def compile_regex(regex: str, source: str) -> re.Pattern:
    """``re.compile(regex)``, with a bad regex reported as ``ImproperlyConfigured`` naming ``source``."""
    try:
        return re.compile(regex)
    except re.error as error:
        raise ImproperlyConfigured(f"{source} is not a valid regular expression: {error}") from error


class Pattern:
    """What ``RoutePattern`` and ``RegexPattern`` share: a name, and a description for messages."""

    name = None

    def describe(self) -> str:
        """``'articles/<int:year>/' [name='year']``, as error messages and the DEBUG page show a pattern."""
        return f"'{self}'" + (f" [name='{self.name}']" if self.name else "")


class RoutePattern(Pattern):
    """A ``path()`` route such as ``articles/<int:year>/``, compiled at once so mistakes show at startup."""

    def __init__(self, route: str, name: str | None = None, is_endpoint: bool = False):
        self._route = route
        self.name = name
        self._is_endpoint = is_endpoint
        regex, self.converters = route_to_regex(str(route), is_endpoint)
        self.regex = compile_regex(regex, f"URL route {route!r}, compiled to {regex!r},")

    def match(self, path: str) -> tuple[str, tuple, dict] | None:
        """``(rest of the path, (), kwargs converted by to_python)`` if the path starts with this route."""
        if not self.converters:
            # Only literal text: comparing strings is enough.
            if self._is_endpoint:
                return ("", (), {}) if path == self._route else None
            return (path[len(self._route) :], (), {}) if path.startswith(self._route) else None
        match = self.regex.match(path)
        if match is None:
            return None
        kwargs = match.groupdict()
        try:
            for name, converter in self.converters.items():
                kwargs[name] = converter.to_python(kwargs[name])
        except ValueError:  # the converter's way of saying "not this pattern"
            return None
        return path[match.end() :], (), kwargs

    def literal_prefix(self) -> tuple[str, bool]:
        """The literal start of the route, and whether it is the whole path (for the index)."""
        return route_prefix(str(self._route), self._is_endpoint)

    def __str__(self):
        return str(self._route)


class RegexPattern(Pattern):
    """A ``re_path()`` regex. Named groups become kwargs; without any, unnamed groups become args."""

    def __init__(self, regex: str, name: str | None = None, is_endpoint: bool = False):
        self._regex = regex
        self.name = name
        self._is_endpoint = is_endpoint
        self.converters = {}
        self.regex = compile_regex(regex, f'"{regex}"')
        # As in Django, an endpoint ending in "$" must match the whole path.
        self._whole_path = is_endpoint and regex.endswith("$")

    def match(self, path: str) -> tuple[str, tuple, dict] | None:
        """``(rest of the path, args, kwargs)`` of the matched text, or None."""
        match = self.regex.fullmatch(path) if self._whole_path else self.regex.search(path)
        if match is None:
            return None
        if not self.regex.groups:
            # Nothing captured (the root's "^/", most prefixes): skip building the
            # dicts below, which cost a resolve() as much as a regex search.
            return path[match.end() :], (), {}
        kwargs = match.groupdict()
        args = () if kwargs else match.groups()
        return path[match.end() :], args, {name: value for name, value in kwargs.items() if value is not None}

    def literal_prefix(self) -> tuple[str, bool]:
        """The literal start of the regex, and whether it is the whole path (for the index)."""
        return regex_prefix(self._regex, self._is_endpoint)

    def __str__(self):
        return str(self._regex)


class URLPattern:
    """A pattern and the view it leads to: what ``path("...", view)`` returns."""

    def __init__(self, pattern: Pattern, callback, default_args: dict | None = None, name: str | None = None):
        self.pattern = pattern
        self.callback = callback
        self.default_args = default_args or {}
        self.name = name

    def __repr__(self):
        return f"<{type(self).__name__} {self.pattern.describe()}>"

    def resolve(self, path: str) -> "ResolverMatch | None":
        """Return a ``ResolverMatch`` for ``path`` if this pattern matches it, else None.

        ``self.pattern.match(path)`` does the matching: it gives ``(rest,
        args, captured_kwargs)``, with values already converted by the
        converters' ``to_python``, or None. The view is called with the
        captured kwargs plus ``self.default_args`` (the ``kwargs`` given to
        ``path()``), which win on a clash. Build the match with the view
        (``self.callback``), the args, those kwargs, the pattern's name, and
        ``route=str(self.pattern)``, ``captured_kwargs`` and ``extra_kwargs``.
        """
        match = self.pattern.match(path)
        if match is None:
            return None
        _, args, captured_kwargs = match
        kwargs = {**captured_kwargs, **self.default_args}
        return ResolverMatch(
            self.callback,
            args,
            kwargs,
            self.pattern.name,
            route=str(self.pattern),
            captured_kwargs=captured_kwargs,
            extra_kwargs=self.default_args,
        )


class ResolverMatch:
    """Which view answers a path, and with what: the result of ``resolve()``, as in Django.

    ``func, args, kwargs = match`` unpacks it. ``url_name`` is the pattern's
    name, ``route`` the full route matched, ``namespaces``/``app_names`` the
    includes passed through, and ``view_name`` the name ``reverse()`` takes.
    """

    def __init__(
        self,
        func,
        args: tuple,
        kwargs: dict,
        url_name: str | None = None,
        app_names: list | None = None,
        namespaces: list | None = None,
        route: str | None = None,
        tried=None,
        captured_kwargs: dict | None = None,
        extra_kwargs: dict | None = None,
    ):
        self.func = func
        self.args = args
        self.kwargs = kwargs
        self.url_name = url_name
        self.route = route
        self.tried = tried
        self.captured_kwargs = captured_kwargs
        self.extra_kwargs = extra_kwargs
        # Includes without an app_name or namespace pass None; they don't count.
        self.app_names = list(filter(None, app_names)) if app_names else []
        self.namespaces = list(filter(None, namespaces)) if namespaces else []

    # The names derived from the lists are computed when first read: most
    # matches are only called, and resolve() makes one match per include level.
    @functools.cached_property
    def app_name(self) -> str:
        return ":".join(self.app_names)

    @functools.cached_property
    def namespace(self) -> str:
        return ":".join(self.namespaces)

    @functools.cached_property
    def _func_path(self) -> str:
        view = getattr(self.func, "view_class", self.func)  # a class-based view's as_view()
        if hasattr(view, "__name__"):
            return f"{view.__module__}.{view.__name__}"
        return f"{type(view).__module__}.{type(view).__name__}"

    @functools.cached_property
    def view_name(self) -> str:
        """``"blog:detail"``: the namespaces and the pattern's name (or the view's dotted path)."""
        return ":".join([*self.namespaces, self.url_name or self._func_path])

    def __getitem__(self, index):
        return (self.func, self.args, self.kwargs)[index]

    def __repr__(self):
        func = repr(self.func) if isinstance(self.func, functools.partial) else self._func_path
        captured = f", captured_kwargs={self.captured_kwargs!r}" if self.captured_kwargs else ""
        extra = f", extra_kwargs={self.extra_kwargs!r}" if self.extra_kwargs else ""
        return (
            f"ResolverMatch(func={func}, args={self.args!r}, kwargs={self.kwargs!r}, "
            f"url_name={self.url_name!r}, app_names={self.app_names!r}, namespaces={self.namespaces!r}, "
            f"route={self.route!r}{captured}{extra})"
        )

    def __reduce_ex__(self, protocol):
        raise PicklingError(f"Cannot pickle {type(self).__qualname__}.")


class TriedPatterns(collections.abc.Sequence):
    """The patterns a resolver tried, as Django lists them, built only when someone reads them.

    Each entry is a list: the includes passed through, then the pattern.
    Django tries every pattern in turn, so its list has them all; tinyframe's
    index skips the patterns that cannot match, and each skipped one counts as
    tried and failed, so the DEBUG page shows the same full list. Building it
    takes a step per pattern, so that happens on first use (a production 404
    never pays for it). ``failures`` maps the position of an include tried in
    vain to what it tried inside; ``last`` is ``(pattern, its tried)`` for a match.
    """

    def __init__(self, patterns: list, failures: dict, stop: int, last: tuple | None = None):
        self._arguments = (patterns, failures, stop, last)
        self._entries = None

    def _build(self) -> list:
        if self._entries is None:
            patterns, failures, stop, last = self._arguments
            entries = []
            for position in range(stop):
                add_tried(entries, patterns[position], failures.get(position))
            if last is not None:
                add_tried(entries, *last)
            self._entries = entries
        return self._entries

    def __getitem__(self, index):
        return self._build()[index]

    def __len__(self):
        return len(self._build())

    def __eq__(self, other):
        if isinstance(other, (list, tuple, TriedPatterns)):
            return self._build() == list(other)
        return NotImplemented

    def __repr__(self):
        return repr(self._build())


def add_tried(entries: list, pattern, sub_tried=None) -> None:
    """Add ``pattern`` to the tried list: alone, or before each of the entries it tried inside."""
    if sub_tried is None:
        entries.append([pattern])
    else:
        entries.extend([pattern, *inner] for inner in sub_tried)


class URLResolver:
    """A prefix pattern and the patterns under it: an ``include()``, or the root URLconf (prefix ``^/``)."""

    def __init__(self, pattern, urlconf_name, default_kwargs=None, app_name=None, namespace=None):
        self.pattern = pattern
        # A dotted module path, a module (or anything with urlpatterns), or the patterns themselves.
        self.urlconf_name = urlconf_name
        self.callback = None
        self.default_kwargs = default_kwargs or {}
        self.app_name = app_name
        self.namespace = namespace
        self._lookups = None  # (reverse_dict, namespace_dict, app_dict), built by _populate

    def __repr__(self):
        if isinstance(self.urlconf_name, list) and self.urlconf_name:
            urlconf = f"<{type(self.urlconf_name[0]).__name__} list>"  # the whole list can be huge
        else:
            urlconf = repr(self.urlconf_name)
        return f"<{type(self).__name__} {urlconf} ({self.app_name}:{self.namespace}) {self.pattern.describe()}>"

    @functools.cached_property
    def urlconf_module(self):
        if isinstance(self.urlconf_name, str):
            return import_module(self.urlconf_name)
        return self.urlconf_name

    @functools.cached_property
    def url_patterns(self) -> list:
        """The patterns under this prefix, checked once: each must be a path(), re_path() or include()."""
        patterns = getattr(self.urlconf_module, "urlpatterns", self.urlconf_module)
        try:
            patterns = list(patterns)
        except TypeError as error:
            raise ImproperlyConfigured(
                f"The included URLconf '{self.urlconf_name}' does not appear to have any patterns in it. If you "
                "see the 'urlpatterns' variable with valid patterns in the file then the issue is probably "
                "caused by a circular import."
            ) from error
        for pattern in patterns:
            if not isinstance(pattern, (URLPattern, URLResolver)):
                raise ImproperlyConfigured(
                    f"The URLconf '{self.urlconf_name}' has {pattern!r} among its patterns; each entry "
                    "must be made by path(), re_path() or include()."
                )
        return patterns

    @functools.cached_property
    def index(self) -> PatternIndex:
        """Which of ``url_patterns`` could match a path: see ``tinyframe.urls.matcher``."""
        patterns = self.url_patterns
        return PatternIndex(
            [pattern.pattern.literal_prefix() for pattern in patterns],
            labels=[pattern.pattern.describe() for pattern in patterns],
        )

    def resolve(self, path: str) -> ResolverMatch:
        """The match for ``path``, whose start this resolver's prefix must match; ``Resolver404`` if none."""
        path = str(path)  # path may be a reverse_lazy() result
        match = self.pattern.match(path)
        if match is None:
            raise Resolver404({"path": path})
        rest, args, kwargs = match
        patterns = self.url_patterns
        failures = {}
        for position in self.index.candidates(rest):
            pattern = patterns[position]
            try:
                sub_match = pattern.resolve(rest)
            except Resolver404 as error:  # an include whose patterns all failed
                failures[position] = error.args[0].get("tried")
                continue
            if sub_match is None:
                continue
            # The include's captured kwargs and extra kwargs go to the view too.
            # As in Django, positional args count only when there are no kwargs.
            sub_kwargs = {**kwargs, **self.default_kwargs, **sub_match.kwargs}
            sub_args = sub_match.args if sub_kwargs else args + sub_match.args
            route = sub_match.route
            if isinstance(pattern, URLResolver) and str(pattern.pattern):
                route = str(pattern.pattern) + route.removeprefix("^")
            return ResolverMatch(
                sub_match.func,
                sub_args,
                sub_kwargs,
                sub_match.url_name,
                [self.app_name, *sub_match.app_names],
                [self.namespace, *sub_match.namespaces],
                route,
                TriedPatterns(patterns, failures, position, (pattern, sub_match.tried)),
                captured_kwargs=sub_match.captured_kwargs,
                extra_kwargs={**self.default_kwargs, **sub_match.extra_kwargs},
            )
        raise Resolver404({"tried": TriedPatterns(patterns, failures, len(patterns)), "path": rest})

    def resolve_error_handler(self, view_type: int):
        """The view for error ``view_type`` (400, 403, 404, 500): the URLconf's ``handler404``... or the default."""
        callback = getattr(self.urlconf_module, f"handler{view_type}", None)
        return get_callable(callback or DEFAULT_ERROR_HANDLERS[int(view_type)])

    def _populate(self) -> None:
        """Build ``reverse_dict``, ``namespace_dict`` and ``app_dict`` from the patterns, once.

        The patterns are read last to first, as Django does: when two share a
        name, ``reverse()`` tries the last one first, and an application's
        instances are listed most recently deployed first; when two includes
        share a namespace, the first one wins.
        """
        reverse_dict, namespace_dict, app_dict = {}, {}, {}
        for pattern in reversed(self.url_patterns):
            if isinstance(pattern, URLPattern):
                reversal = Reversal.for_pattern(pattern.pattern, pattern.default_args)
                reverse_dict.setdefault(pattern.callback, []).append(reversal)
                if pattern.name is not None:
                    reverse_dict.setdefault(pattern.name, []).append(reversal)
                continue
            prefix = Reversal.for_pattern(pattern.pattern, pattern.default_kwargs)
            if pattern.app_name:
                app_dict.setdefault(pattern.app_name, []).append(pattern.namespace)
                namespace_dict[pattern.namespace] = (prefix, pattern)
                continue
            # An include without a namespace: its names are reversible from here.
            for name, reversals in pattern.reverse_dict.items():
                reverse_dict.setdefault(name, []).extend(prefix + reversal for reversal in reversals)
            for namespace, (sub_prefix, resolver) in pattern.namespace_dict.items():
                namespace_dict[namespace] = (prefix + sub_prefix, resolver)
            for app_name, namespaces in pattern.app_dict.items():
                app_dict.setdefault(app_name, []).extend(namespaces)
        self._lookups = (reverse_dict, namespace_dict, app_dict)

    @property
    def reverse_dict(self) -> dict:
        """Pattern name or view -> the ``Reversal`` objects that may build its URL, tried in order."""
        if self._lookups is None:
            self._populate()
        return self._lookups[0]

    @property
    def namespace_dict(self) -> dict:
        """Namespace -> ``(prefix Reversal, resolver of the include with that namespace)``."""
        if self._lookups is None:
            self._populate()
        return self._lookups[1]

    @property
    def app_dict(self) -> dict:
        """Application namespace (``app_name``) -> its instance namespaces, most recently deployed first."""
        if self._lookups is None:
            self._populate()
        return self._lookups[2]

    def reverse(self, lookup_view, *args, **kwargs) -> str:
        """The path (without a leading slash) of a pattern name or view of this resolver."""
        return self.reverse_with_prefix(lookup_view, "", args, kwargs)

    def reverse_with_prefix(self, lookup_view, prefix: str, args=(), kwargs=None, namespace_prefixes=()) -> str:
        """The URL of ``lookup_view`` built from ``args`` or ``kwargs``, after ``prefix`` (the script prefix).

        ``namespace_prefixes`` are the prefixes of the namespaced includes that
        ``reverse()`` walked through to reach this resolver.
        """
        if args and kwargs:
            raise ValueError("Don't mix *args and **kwargs in call to reverse()!")
        kwargs = kwargs or {}
        reversals = self.reverse_dict.get(lookup_view, [])
        if namespace_prefixes:
            reversals = [join_reversals(namespace_prefixes, reversal) for reversal in reversals]
        for reversal in reversals:
            url = reversal.build(prefix, args, kwargs)
            if url is not None:
                return url
        raise NoReverseMatch(no_reverse_match_message(lookup_view, args, kwargs, reversals))


def no_reverse_match_message(lookup_view, args, kwargs: dict, reversals: list) -> str:
    """Django's words: what was asked for, and the patterns tried (or that there were none)."""
    module, name = getattr(lookup_view, "__module__", None), getattr(lookup_view, "__name__", None)
    view = f"{module}.{name}" if module is not None and name is not None else lookup_view
    if not reversals:
        return f"Reverse for '{view}' not found. '{view}' is not a valid view function or pattern name."
    if args:
        arguments = f"arguments '{tuple(args)}'"
    elif kwargs:
        arguments = f"keyword arguments '{kwargs}'"
    else:
        arguments = "no arguments"
    patterns = [reversal.pattern for reversal in reversals]
    return f"Reverse for '{view}' with {arguments} not found. {len(patterns)} pattern(s) tried: {patterns}"


class Reversal:
    """How to build the URLs of one pattern, as seen from one resolver.

    ``templates`` are ``(template, parameter names)`` pairs such as
    ``("articles/%(year)s/", ["year"])`` (a regex with an optional part has
    two), ``pattern`` the regex text a built URL must match (without the
    leading ``^``), ``converters`` the converters of its parameters and
    ``defaults`` the extra kwargs of its ``path()`` (and includes).
    ``prefix + reversal`` is the pattern under an include's prefix.
    """

    def __init__(self, templates: list, pattern: str, converters: dict, defaults: dict):
        self.templates = templates
        self.pattern = pattern
        self.converters = converters
        self.defaults = defaults

    @classmethod
    def for_pattern(cls, pattern: Pattern, defaults: dict) -> "Reversal":
        source = pattern.regex.pattern
        return cls(regex_templates(source), source.removeprefix("^"), pattern.converters, defaults)

    def __add__(self, other: "Reversal") -> "Reversal":
        templates = [
            (prefix + template, prefix_params + params)
            for prefix, prefix_params in self.templates
            for template, params in other.templates
        ]
        return Reversal(
            templates,
            self.pattern + other.pattern,
            {**self.converters, **other.converters},
            {**other.defaults, **self.defaults},  # the include's kwargs win, as when resolving
        )

    @functools.cached_property
    def regex(self) -> re.Pattern:
        return re.compile(self.pattern)

    def build(self, prefix: str, args, kwargs: dict) -> str | None:
        """Return ``prefix`` + this pattern's URL for ``args`` or ``kwargs``, percent-encoded; None if they don't fit.

        Try each ``(template, params)`` of ``self.templates`` in turn. Positional
        ``args`` fill ``params`` in order (their number must be the same); else
        ``kwargs`` must give every parameter, and any other key must be one of
        ``self.defaults`` with the same value. Turn each value into text with
        its converter's ``to_url`` (``str()`` without a converter; a
        ``ValueError`` rules the template out) and fill the template with
        ``template % values``. The text must match ``self.regex`` (a slug
        converter must not build ``a b``), else try the next template. The
        result is ``quote(prefix + text, safe=PATH_SAFE_CHARACTERS)``, and a
        URL starting with ``//`` (which a browser reads as another host)
        becomes ``/%2F...``.
        """
        for template, params in self.templates:
            if args:
                if len(args) != len(params):
                    continue
                values = dict(zip(params, args))
            else:
                if not set(kwargs).issuperset(params):
                    continue
                if any(name not in self.defaults or self.defaults[name] != value
                       for name, value in kwargs.items() if name not in params):
                    continue
                values = kwargs
            text = {}
            try:
                for name in params:
                    converter = self.converters.get(name)
                    text[name] = converter.to_url(values[name]) if converter else str(values[name])
            except ValueError:
                continue
            candidate = template % text
            if not self.regex.match(candidate):
                continue
            url = quote(prefix + candidate, safe=PATH_SAFE_CHARACTERS)
            return "/%2F" + url[2:] if url.startswith("//") else url
        return None


@functools.cache
def join_reversals(prefixes: tuple, reversal: Reversal) -> Reversal:
    """``prefixes[0] + prefixes[1] + ... + reversal``, made once per namespace path and pattern."""
    joined = reversal
    for prefix in reversed(prefixes):
        joined = prefix + joined
    return joined


class NotReversible(Exception):
    """A regex construct that no URL template can stand for (``|``, flags, back-references)."""


# What an escape that matches a class of characters stands for in a template.
ESCAPE_EXAMPLES = {"d": "0", "D": "x", "w": "x", "W": "!", "s": " ", "S": "x", "A": "", "Z": "", "b": "", "B": ""}
# {2}, {2,5}, {,5}: a "{" without a number is a literal "{".
QUANTIFIER = re.compile(r"\{(\d*)(,?)(\d*)\}")


def regex_templates(regex: str) -> list[tuple[str, list[str]]]:
    """The URL templates ``reverse()`` fills for a regex: ``[(template, parameter names)]``.

    A group becomes a parameter (unnamed ones are ``_0``, ``_1``...); an
    optional part gives a template without it and one with it; a class or an
    escape such as ``\\d`` stands for one example character. ``Reversal.build``
    checks every URL against the regex, so an example that does not fit only
    means no URL. A regex with ``|`` or flags has no template.

    >>> regex_templates(r"^articles/(?P<year>[0-9]{4})/(\\d+)\\.html$")
    [('articles/%(year)s/%(_0)s.html', ['year', '_0'])]
    >>> regex_templates(r"^comments/(?:page-(?P<page>\\d+)/)?$")
    [('comments/', []), ('comments/page-%(page)s/', ['page'])]
    """
    reader = RegexReader(regex)
    try:
        return reader.sequence()
    except NotReversible:
        return [("", [])]


class RegexReader:
    """Reads a (valid) regex from left to right into URL templates: see ``regex_templates``."""

    def __init__(self, regex: str):
        self.regex = regex
        self.position = 0
        self.unnamed = 0

    def sequence(self) -> list[tuple[str, list[str]]]:
        """The templates of everything up to the end, or up to the ``)`` that closes the current group."""
        results = [("", [])]
        while self.position < len(self.regex) and self.regex[self.position] != ")":
            if self.regex[self.position] == "|":
                raise NotReversible
            piece = self.quantified(self.piece())
            results = [(text + more, params + more_params) for text, params in results for more, more_params in piece]
        self.position += 1  # past the ")" (or the end)
        return results

    def piece(self) -> list[tuple[str, list[str]]]:
        """The templates of one character, escape, class or group."""
        regex, start = self.regex, self.position
        character = regex[start]
        self.position += 1
        if character == "(":
            return self.group()
        if character == "[":
            self.position = start
            return [(self.skip_class().replace("%", "%%"), [])]
        if character in "^$":
            return [("", [])]
        if character == "\\":
            escaped = regex[self.position]
            self.position += 1
            if escaped in ESCAPE_EXAMPLES:
                return [(ESCAPE_EXAMPLES[escaped], [])]
            if escaped.isascii() and escaped.isalnum():
                raise NotReversible  # a back-reference or an escape without an example
            character = escaped
        return [(character.replace("%", "%%"), [])]

    def group(self) -> list[tuple[str, list[str]]]:
        regex = self.regex
        if not regex.startswith("?", self.position):
            name = f"_{self.unnamed}"
            self.unnamed += 1
            self.skip_group()
            return [(f"%({name})s", [name])]
        if regex.startswith("?P<", self.position):
            end = regex.index(">", self.position)
            name = regex[self.position + 3 : end]
            self.skip_group()
            return [(f"%({name})s", [name])]
        if regex.startswith("?P=", self.position):  # the same text as an earlier named group
            end = regex.index(")", self.position)
            name = regex[self.position + 3 : end]
            self.position = end + 1
            return [(f"%({name})s", [])]
        if regex.startswith("?:", self.position):
            self.position += 2
            return self.sequence()
        if regex.startswith(("?=", "?!", "?<=", "?<!"), self.position):  # lookarounds match no text
            self.skip_group()
            return [("", [])]
        raise NotReversible  # flags, comments, conditionals

    def quantified(self, piece: list) -> list:
        """``piece`` as repeated by a quantifier that follows it, if any: the fewest times allowed."""
        regex, position = self.regex, self.position
        repeat = QUANTIFIER.match(regex, position)
        if position < len(regex) and regex[position] in "?*+":
            minimum = 1 if regex[position] == "+" else 0
            self.position += 1
        elif repeat and (repeat.group(1) or repeat.group(3)):
            minimum = int(repeat.group(1) or 0)
            self.position = repeat.end()
        else:
            return piece
        if regex.startswith("?", self.position):  # a lazy quantifier, same templates
            self.position += 1
        has_params = any(params for _, params in piece)
        if minimum == 0:
            # Optional: no occurrence, and one when it carries parameters.
            return [("", []), *piece] if has_params else [("", [])]
        if has_params:
            return piece
        return [(text * minimum, []) for text, _ in piece]

    def skip_group(self) -> None:
        """Move past the ``)`` closing the group we are in."""
        depth = 1
        while depth:
            character = self.regex[self.position]
            if character == "\\":
                self.position += 2
                continue
            if character == "[":
                self.skip_class()
                continue
            depth += {"(": 1, ")": -1}.get(character, 0)
            self.position += 1

    def skip_class(self) -> str:
        """Move past a ``[...]`` class starting here; return its first character as an example."""
        regex = self.regex
        position = self.position + 1
        example = regex[position]
        if example == "\\":
            example = ESCAPE_EXAMPLES.get(regex[position + 1], regex[position + 1])
        if regex[position] == "^":
            position += 1
        if regex[position] == "]":  # a "]" first in a class is literal
            position += 1
        while regex[position] != "]":
            position += 2 if regex[position] == "\\" else 1
        self.position = position + 1
        return example


@functools.cache
def get_callable(lookup_view):
    """The view itself, or the view named by a dotted path such as ``"mysite.views.not_found"``."""
    if callable(lookup_view):
        return lookup_view
    if not isinstance(lookup_view, str):
        raise ViewDoesNotExist(f"'{lookup_view}' is not a callable or a dot-notation path")
    view = import_string(lookup_view)
    if not callable(view):
        raise ViewDoesNotExist(f"Could not import '{lookup_view}'. View is not callable.")
    return view


def get_resolver(urlconf=None) -> URLResolver:
    """The resolver of a URLconf (a dotted module path or a module), by default ``ROOT_URLCONF``; made once."""
    if urlconf is None:
        urlconf = settings.ROOT_URLCONF
        if urlconf is None:
            raise ImproperlyConfigured(
                "The ROOT_URLCONF setting is not set, so there are no URL patterns to resolve or "
                "reverse. Set it to the dotted path of your URLconf module (for example "
                "ROOT_URLCONF = 'mysite.urls'), or pass urlconf= to resolve() and reverse()."
            )
    return _get_cached_resolver(urlconf)


@functools.cache
def _get_cached_resolver(urlconf) -> URLResolver:
    return URLResolver(RegexPattern(r"^/"), urlconf)
