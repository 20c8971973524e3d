"""Form media: the CSS and JavaScript files a widget needs, gathered for a whole page.

A calendar widget needs its script and its style sheet on the page; a form
made of such widgets needs each file once, in an order that works. A widget
(or form) class says what it needs in an inner ``Media`` class::

    class CalendarInput(DateInput):
        class Media:
            css = {"all": ["calendar.css"]}
            js = ["calendar.js"]

How it works: ``MediaDefiningClass``, the metaclass of widgets, gives every
class a ``media`` property that reads its ``Media`` definition and adds the
parent classes' media (unless ``extend = False``). ``Media`` objects add up
with ``+`` (a form adds its widgets'), keeping the lists they were made from;
only when the files are read does ``merge`` join the lists into one, keeping
every list's order (a topological sort: if one list puts jquery.js before
calendar.js, so does the result). ``render`` writes the ``<link>`` and
``<script>`` elements; a path that is not absolute is put under
``STATIC_URL``.

>>> media = Media(js=["jquery.js", "calendar.js"]) + Media(js=["jquery.js", "clock.js"], css={"all": ["c.css"]})
>>> print(media)
<link href="c.css" media="all" rel="stylesheet">
<script src="jquery.js"></script>
<script src="calendar.js"></script>
<script src="clock.js"></script>
"""

import graphlib
import itertools
import urllib.parse
import warnings

from tinyframe.conf import settings
from tinyframe.forms.utils import flatatt
from tinyframe.utils.html import format_html
from tinyframe.utils.safestring import SafeString, mark_safe

__all__ = ["Media", "MediaDefiningClass", "Script"]

MEDIA_TYPES = ("css", "js")


class MediaOrderConflictWarning(RuntimeWarning):
    """Two lists name the same files in opposite orders: no order keeps both."""


def static(path: str) -> str:
    """The URL of a static file: ``path`` under ``STATIC_URL``, or as it is when already absolute.

    >>> static("https://cdn.example.com/x.js"), static("/abs/x.js")
    ('https://cdn.example.com/x.js', '/abs/x.js')
    """
    if path.startswith(("http://", "https://", "/")):
        return path
    return urllib.parse.urljoin(getattr(settings, "STATIC_URL", None) or "", urllib.parse.quote(path))


class MediaAsset:
    """One file with extra attributes for its element (``Script("x.js", defer=True)``)."""

    element_template = "{path}"

    def __init__(self, path: str, **attributes):
        self._path = path
        self.attributes = attributes

    # Equal to another asset of the same path, or to the path itself, so that
    # merge() treats Script("x.js") and "x.js" as the same file.
    def __eq__(self, other):
        if isinstance(other, str):
            return self._path == other
        return type(self) is type(other) and self.path == other.path

    def __hash__(self):
        return hash(self._path)

    def __str__(self):
        return format_html(self.element_template, path=self.path, attributes=flatatt(self.attributes))

    def __html__(self):
        return str(self)

    def __repr__(self):
        return f"{type(self).__qualname__}({self._path!r})"

    @property
    def path(self) -> str:
        return static(self._path)


class Script(MediaAsset):
    """A script with attributes: ``Script("app.js", type="module")``."""

    element_template = '<script src="{path}"{attributes}></script>'

    def __init__(self, src: str, **attributes):
        super().__init__(src, **attributes)


class Media:
    """The CSS (by medium: ``{"all": [...], "print": [...]}``) and JavaScript files of a widget or form."""

    def __init__(self, media=None, css: dict | None = None, js: list | None = None):
        if media is not None:
            css = getattr(media, "css", {})
            js = getattr(media, "js", [])
        # Lists of lists: merged only when read, so that every added list's order is kept.
        self._css_lists = [css or {}]
        self._js_lists = [js or []]

    def __repr__(self):
        return f"Media(css={self._css!r}, js={self._js!r})"

    def __str__(self):
        return self.render()

    def __html__(self):
        return self.render()

    @property
    def _css(self) -> dict:
        lists_by_medium = {}
        for css in self._css_lists:
            for medium, paths in css.items():
                lists_by_medium.setdefault(medium, []).append(paths)
        return {medium: self.merge(*lists) for medium, lists in lists_by_medium.items()}

    @property
    def _js(self) -> list:
        return self.merge(*self._js_lists)

    def render(self) -> SafeString:
        return mark_safe("\n".join(itertools.chain(self.render_css(), self.render_js())))

    def render_js(self) -> list:
        return [
            path.__html__() if hasattr(path, "__html__") else format_html('<script src="{}"></script>', static(path))
            for path in self._js
        ]

    def render_css(self) -> list:
        # Media in alphabetical order, so the output does not depend on the definitions' order.
        css = self._css
        return [
            path.__html__()
            if hasattr(path, "__html__")
            else format_html('<link href="{}" media="{}" rel="stylesheet">', static(path), medium)
            for medium in sorted(css)
            for path in css[medium]
        ]

    def absolute_path(self, path: str) -> str:
        return static(path)

    def __getitem__(self, name: str) -> "Media":
        """Only the CSS (``media["css"]``) or only the JavaScript (``media["js"]``)."""
        if name not in MEDIA_TYPES:
            raise KeyError(f'Unknown media type "{name}"')
        return Media(**{name: getattr(self, "_" + name)})

    @staticmethod
    def merge(*lists) -> list:
        """One list with every file once, in an order that keeps each list's order.

        When no order can (two lists name two files in opposite orders),
        warn and keep the order in which files are first named.

        >>> Media.merge(["a.js", "c.js"], ["a.js", "b.js", "c.js"])
        ['a.js', 'b.js', 'c.js']
        """
        sorter = graphlib.TopologicalSorter()
        for first, *rest in filter(None, lists):
            sorter.add(first)
            previous = first
            for item in rest:
                if item != previous:
                    sorter.add(item, previous)  # item comes after previous
                previous = item
        try:
            return list(sorter.static_order())
        except graphlib.CycleError:
            warnings.warn(
                "Detected duplicate Media files in an opposite order: " + ", ".join(repr(paths) for paths in lists),
                MediaOrderConflictWarning,
                stacklevel=2,
            )
            return list(dict.fromkeys(itertools.chain.from_iterable(filter(None, lists))))

    def __add__(self, other: "Media") -> "Media":
        combined = Media()
        combined._css_lists = self._css_lists + [css for css in other._css_lists if css and css not in self._css_lists]
        combined._js_lists = self._js_lists + [js for js in other._js_lists if js and js not in self._js_lists]
        return combined


def media_property(cls) -> property:
    """The ``media`` of ``cls``: its ``Media`` definition added to its parents' (``extend``)."""

    def media(self):
        try:
            base = super(cls, self).media
        except AttributeError:
            base = Media()
        definition = getattr(cls, "Media", None)
        if not definition:
            return base
        extend = getattr(definition, "extend", True)
        if extend is True:
            return base + Media(definition)
        if not extend:
            return Media(definition)
        inherited = Media()
        for medium in extend:  # extend = ("css",): only some of the parents' media
            inherited += base[medium]
        return inherited + Media(definition)

    return property(media)


class MediaDefiningClass(type):
    """The metaclass of widgets (and forms): gives each class a ``media`` property unless it defines one."""

    def __new__(mcs, name, bases, attrs):
        new_class = super().__new__(mcs, name, bases, attrs)
        if "media" not in attrs:
            new_class.media = media_property(new_class)
        return new_class
