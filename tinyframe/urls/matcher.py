"""The fast matcher: which patterns could match a path, without trying them all.

How it works: most routes start with literal text (``articles/``, ``blog/``,
``about``), and a path can only match a pattern whose literal start it begins
with. ``route_prefix`` and ``regex_prefix`` read that literal start from a
pattern. ``PatternIndex`` files every pattern of one URLconf level in a trie
of path segments under its literal start's complete segments; patterns
without one (``<slug:slug>/``, an unanchored regex) stay at the root. To
resolve a path, ``PatternIndex.candidates`` splits it on ``/``, walks the trie
segment by segment and collects the patterns held at every node it passes:
the only patterns that can match, in registration order. The resolver tries
just those. Every ``include()`` has its own resolver, so its own index.

>>> index = PatternIndex([route_prefix("articles/<int:year>/", True), route_prefix("<slug:page>/", True)])
>>> index.candidates("articles/2024/"), index.candidates("about/"), index.candidates("nothing/here/")
([0, 1], [1], [1])

Why a trie of segments: Django tries each pattern's regex in turn, so the last
of 1,000 routes costs 1,000 regex searches, and so does every 404. Werkzeug
compiles its rules into a state machine over segments; Falcon generates Python
source; one big alternation regex per level is another option, but Python's
``re`` still tries the alternatives one by one. Literal segments are what
tell routes apart in practice, and looking them up is one dict access per
segment, so the cost depends on the depth of a path, not on the number of
routes, and a path that no route starts with finds no candidates at once.
The order of the candidates is the order of registration, so the first
pattern that matches wins, exactly as in Django.

Being conservative is what keeps it exact: a pattern is filed under no more
literal text than it surely requires. When unsure (a regex without ``^``, a
``|``, a quantifier, a class), the pattern goes to the root and is tried for
every path, exactly as Django would try it.
"""

import functools

__all__ = ["PatternIndex", "regex_prefix", "route_prefix"]

# Characters with a special meaning in a regex: literal text stops at the first one.
REGEX_SPECIAL = set(".^$*+?{}[]()|\\")
QUANTIFIERS = set("*+?{")
# After a backslash, these stand for themselves ("\." is a dot).
ESCAPED_LITERALS = set("!\"#%&',-./:;<=>@_`~ \t") | REGEX_SPECIAL


def route_prefix(route: str, is_endpoint: bool) -> tuple[str, bool]:
    """The literal start of a ``path()`` route, and whether it is the whole path.

    The route's text up to its first ``<parameter>``. A route with no
    parameter, for a view (``is_endpoint``), matches that exact path only.

    >>> route_prefix("articles/<int:year>/", True)
    ('articles/', False)
    >>> route_prefix("about", True)
    ('about', True)
    """
    literal, bracket, _ = route.partition("<")
    return literal, is_endpoint and not bracket


def regex_prefix(regex: str, is_endpoint: bool) -> tuple[str, bool]:
    """The literal text every path matching ``regex`` starts with, and whether it is the whole path.

    Conservative: it stops at the first character with a special meaning, and
    drops a character that a quantifier makes optional or repeatable. Without a
    leading ``^`` a regex may match anywhere in a path, so it has no prefix.

    >>> regex_prefix(r"^articles/(?P<year>[0-9]{4})/$", True)
    ('articles/', False)
    >>> regex_prefix(r"^feeds\\.xml$", True)
    ('feeds.xml', True)
    >>> regex_prefix(r"^blogs?/", False), regex_prefix(r"about/", True)
    (('blog', False), ('', False))
    """
    # A top-level "|" would let the regex match without its first branch.
    if not regex.startswith("^") or "|" in regex:
        return "", False
    literal = []
    position = 1
    while position < len(regex):
        character = regex[position]
        width = 1
        if character == "\\":
            character = regex[position + 1 : position + 2]
            if character not in ESCAPED_LITERALS:
                break  # \d, \w, \Z, a back-reference...
            width = 2
        elif character in REGEX_SPECIAL:
            break
        if regex[position + width : position + width + 1] in QUANTIFIERS:
            break  # "s?" may be absent, so it is not part of the prefix
        literal.append(character)
        position += width
    rest = regex[position:]
    # An endpoint ending in "$" is matched with fullmatch() (as in Django), so
    # "$" there is as strict as "\Z": nothing may follow, not even a newline.
    return "".join(literal), is_endpoint and rest in ("$", r"\Z")


class Node:
    """One segment of the trie: the patterns filed here, and the segments that can follow."""

    __slots__ = ("patterns", "exact", "children")

    def __init__(self):
        self.patterns = []  # indexes of patterns whose literal start ends here
        self.exact = {}  # last segment -> indexes of patterns that are exactly this path
        self.children = {}  # next segment -> Node


class PatternIndex:
    """The patterns of one URLconf level, filed by the literal segments they start with.

    ``prefixes`` holds one ``(literal start, is the whole path)`` pair per
    pattern, in registration order, as ``route_prefix`` and ``regex_prefix``
    give them; ``labels`` (optional) names the patterns in ``describe()``.
    """

    def __init__(self, prefixes: list[tuple[str, bool]], labels: list[str] | None = None):
        self.root = Node()
        self.size = len(prefixes)
        self.labels = labels
        for position, (prefix, is_whole_path) in enumerate(prefixes):
            # "blog/archive/ar" -> complete segments "blog", "archive"; "ar" is
            # only part of a segment, so it cannot be looked up: it is dropped.
            *segments, last = prefix.split("/")
            node = self.root
            for segment in segments:
                node = node.children.setdefault(segment, Node())
            if is_whole_path:
                node.exact.setdefault(last, []).append(position)
            else:
                node.patterns.append(position)
        # Speed (tests/benchmarks/requests.py): a site is asked for the same
        # few paths again and again, and the index never changes once built, so
        # the resolver asks through a cache of the most recent answers. Every
        # caller gets the same answer object, so it is a tuple: nobody can
        # change what the next caller will get.
        self.cached_candidates = functools.lru_cache(maxsize=1024)(self.candidates_tuple)

    def candidates(self, path: str) -> list[int]:
        """Return the positions of the patterns that may match ``path``, in registration order.

        Split the path on "/" and walk the trie from ``self.root``: every
        segment but the last leads to a child node (stop when there is none),
        and every node reached, the root included, holds in ``node.patterns``
        patterns whose literal start the path has. At the node reached after
        the last complete segment, ``node.exact`` maps the path's last segment
        to patterns that are exactly this path. Return all of them, sorted,
        because the first pattern registered must be tried first.
        """
        node = self.root
        found = list(node.patterns)
        *segments, last = path.split("/")
        for segment in segments:
            node = node.children.get(segment)
            if node is None:
                return sorted(found)
            found.extend(node.patterns)
        found.extend(node.exact.get(last, ()))
        return sorted(found)

    def candidates_tuple(self, path: str) -> tuple[int, ...]:
        """``candidates(path)`` as a tuple, an answer that can be shared: what ``cached_candidates`` keeps."""
        return tuple(self.candidates(path))

    def describe(self) -> str:
        """The trie as indented text, one segment a line: what a learner prints to see the index.

        >>> print(PatternIndex([("about", True), ("blog/", False), ("", False)]).describe())
        (every path): #2
        about (whole path): #0
        blog/: #1
        """
        lines = [f"(every path): {self._names(self.root.patterns)}"] if self.root.patterns else []
        self._describe(self.root, "", lines)
        return "\n".join(lines)

    def _describe(self, node: Node, indent: str, lines: list[str]) -> None:
        for last, positions in node.exact.items():
            lines.append(f"{indent}{last or '(end)'} (whole path): {self._names(positions)}")
        for segment, child in node.children.items():
            held = f": {self._names(child.patterns)}" if child.patterns else ""
            lines.append(f"{indent}{segment}/{held}")
            self._describe(child, indent + "  ", lines)

    def _names(self, positions: list[int]) -> str:
        if self.labels is None:
            return ", ".join(f"#{position}" for position in positions)
        return ", ".join(f"#{position} {self.labels[position]}" for position in positions)

    def __repr__(self):
        return f"<PatternIndex of {self.size} patterns>"
