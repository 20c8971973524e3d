"""The two ways URL dispatch says no, with Django's names.

How it works: ``URLResolver.resolve`` raises ``Resolver404`` when no pattern
matches a path. It is an ``Http404``, so the handler answers 404 without
special-casing it; its first argument is a dict ``{"tried": [...], "path": ...}``
from which the DEBUG 404 page lists the patterns tried, in order (each entry is
the list of includes leading to a pattern, ending with the pattern).
``reverse`` raises ``NoReverseMatch`` when no pattern can build a URL from a
name and arguments; its message lists the patterns it tried.
"""

from tinyframe.http import Http404


class Resolver404(Http404):
    """No URL pattern matches the path: a 404. ``args[0]`` is ``{"tried": [...], "path": ...}``."""


class NoReverseMatch(Exception):
    """``reverse()`` found no pattern that builds a URL from this name and these arguments."""
