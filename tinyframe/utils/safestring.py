"""Strings that are known to be safe to put into HTML as they are.

How it works: auto-escaping needs to tell text that still has to be escaped
from text that is already HTML. A ``SafeString`` is a ``str`` that carries that
fact in its type; ``mark_safe`` makes one. ``conditional_escape`` (in
``tinyframe.utils.html``) leaves anything with an ``__html__`` method alone and
escapes the rest, so marking is how a filter, a tag or a view says "this is
already HTML":

    "<b>"            -> conditional_escape -> "&lt;b&gt;"
    mark_safe("<b>") -> conditional_escape -> "<b>"

Safety is easy to lose and never gained by accident: most ``str`` methods
return a plain ``str``, and ``SafeString + str`` is a plain ``str``. Only
``SafeString + SafeString`` stays safe, because joining two pieces of HTML
gives HTML. ``__html__`` is the convention shared with Jinja2 and MarkupSafe, so
safe values from those libraries are understood here too.
"""

from functools import wraps


class SafeData:
    """The mark of a value that needs no escaping in HTML."""

    __slots__ = ()

    def __html__(self):
        """The value as HTML: itself, since it is already safe."""
        return self


class SafeString(str, SafeData):
    """A ``str`` that has been marked safe for HTML output.

    >>> html = SafeString("<b>") + SafeString("</b>")
    >>> html, type(html).__name__
    ('<b></b>', 'SafeString')
    >>> type(SafeString("<b>") + "text").__name__
    'str'
    """

    __slots__ = ()

    def __add__(self, rhs):
        """Concatenate; the result is safe only when both sides are."""
        joined = super().__add__(rhs)
        if isinstance(rhs, SafeData):
            return SafeString(joined)
        return joined

    def __str__(self):
        return self


def _safety_decorator(safety_marker, function):
    """Wrap ``function`` so that what it returns is passed through ``safety_marker``."""

    @wraps(function)
    def wrapper(*args, **kwargs):
        return safety_marker(function(*args, **kwargs))

    return wrapper


def mark_safe(s):
    """Mark ``s`` as safe for HTML: it will not be escaped again.

    Anything already safe (with ``__html__``) is returned unchanged; other
    values become a ``SafeString`` of their ``str()``. Used as a decorator on a
    function, it marks what the function returns. Only mark text you built
    yourself from escaped pieces: marking user input opens an XSS hole.

    >>> mark_safe("<b>bold</b>")
    '<b>bold</b>'
    >>> type(mark_safe(42)).__name__
    'SafeString'
    >>> @mark_safe
    ... def badge():
    ...     return "<span>new</span>"
    >>> type(badge()).__name__
    'SafeString'
    """
    if hasattr(s, "__html__"):
        return s
    if callable(s):
        return _safety_decorator(mark_safe, s)
    return SafeString(s)
