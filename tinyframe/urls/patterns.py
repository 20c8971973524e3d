"""Patterns: the two ways to write which paths a view answers, compiled once.

How it works: ``path("articles/<int:year>/", ...)`` hands its route to
``route_to_regex``, which scans it for ``<converter:name>`` parameters and
returns a regex with one named group per parameter, and the converters
(``converters.py``) that turn each captured text into a value. A
``RoutePattern`` keeps both; ``RoutePattern.match`` runs the regex (or, for a
route without parameters, a plain string comparison) and converts the values
with ``to_python``. ``re_path()`` gives a ``RegexPattern``, whose regex is
written by hand. Both answer ``match(path)`` with ``(rest of the path, args,
kwargs)`` or None, and ``literal_prefix()`` with the literal start the
resolver's ``PatternIndex`` (``matcher.py``) files them under.
"""

import re
import string

from tinyframe.core.exceptions import ImproperlyConfigured
from tinyframe.urls.converters import get_converters
from tinyframe.urls.matcher import regex_prefix, route_prefix
from tinyframe.utils.suggestions import suggest

__all__ = ["Pattern", "RegexPattern", "RoutePattern", "compile_regex", "route_to_regex"]


def route_to_regex(route: str, is_endpoint: bool) -> tuple[str, dict]:
    """Compile a route into a regex string and a ``{parameter name: converter}`` dict.

    Scan ``route`` for parameters, ``<converter:name>`` or just ``<name>``
    (converter ``"str"``). Literal text between them goes into the regex
    through ``re.escape``; each parameter becomes a named group
    ``(?P<name>...)`` around its converter's ``regex`` (``get_converters()``
    has them all). The regex starts with ``^``, and ends with ``\\Z`` when the
    route is an endpoint (a view's full route, not an ``include()`` prefix).

    A mistake in the route raises ``ImproperlyConfigured`` with one of these
    messages, word for word (``{route!r}`` is the whole route in quotes, as
    ``repr`` writes it; ``{name!r}`` and ``{converter!r}`` likewise):

    - ``f"URL route {route!r} has an unmatched '>' bracket."`` for a ``>`` in
      the literal text (``"a/x>/"``, ``"a/<int:x>>/"``);
    - ``f"URL route {route!r} has an unmatched '<' bracket."`` for a ``<``
      with no ``>`` after it;
    - ``f"URL route {route!r} cannot contain whitespace in angle brackets <…>."``
      for any whitespace inside the brackets (``<…>`` ends with the one
      character ``…``, not three dots);
    - ``f"URL route {route!r} uses parameter name {name!r} which isn't a valid Python identifier."``
      (the name is what follows the ``:``; when the text inside the brackets
      is not ``converter:name`` with both sides non-empty, it is the whole
      text: ``<int:>`` names ``'int:'``, ``<:x>`` names ``':x'``, ``<>`` names ``''``);
    - ``f"URL route {route!r} uses parameter name {name!r} more than once."``;
    - ``f"URL route {route!r} uses invalid converter {converter!r}."``, with
      two notes added to the error before it is raised:
      ``suggest(error, converter, get_converters())`` (from
      ``tinyframe.utils.suggestions``) adds ``"Did you mean 'slug'?"`` when a
      converter's name is close, then ``error.add_note(f"Converters are:
      {known}.")`` lists them all, ``known`` being their names, sorted, joined
      by ``", "``.

    Check a parameter in that order: whitespace, name, repeated name, converter.

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
            error = ImproperlyConfigured(f"URL route {route!r} uses invalid converter {raw_converter!r}.")
            suggest(error, raw_converter, get_converters())
            error.add_note(f"Converters are: {', '.join(sorted(get_converters()))}.")
            raise error from None
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
        kwargs = match.groupdict()
        args = () if kwargs else match.groups()
        # An optional named group that took no part in the match is left out.
        return path[match.end() :], args, {name: value for name, value in kwargs.items() if value is not None}

    def literal_prefix(self) -> tuple[str, bool]:
        """The literal start of the regex, and whether it is the whole path (for the index)."""
        return regex_prefix(self._regex, self._is_endpoint)

    def __str__(self):
        return str(self._regex)
