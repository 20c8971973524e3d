"""Reversal: building a URL back from a pattern and the arguments of its view.

How it works: ``Reversal.for_pattern`` reads a pattern's regex with
``regex_templates``, whose ``RegexReader`` turns it into URL templates such as
``("articles/%(year)s/", ["year"])`` (an optional part gives two). A resolver
keeps one ``Reversal`` per pattern name and view; ``prefix + reversal`` puts a
pattern under its include's prefix, and ``join_reversals`` does that once per
namespace path. ``Reversal.build`` fills a template with the arguments, each
turned into text by its converter's ``to_url``, checks the URL against the
pattern's regex and percent-encodes it. When no pattern fits,
``no_reverse_match_message`` says what was asked for and what was tried.
"""

import functools
import re
from urllib.parse import quote

from tinyframe.urls.patterns import Pattern

__all__ = ["PATH_SAFE_CHARACTERS", "Reversal", "join_reversals", "no_reverse_match_message", "regex_templates"]

# The characters RFC 3986 allows unescaped in a path ("pchar" and "/"); reverse()
# percent-encodes everything else.
PATH_SAFE_CHARACTERS = "!$&'()*+,;=" + "/~:@"


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
