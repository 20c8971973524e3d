"""Splitting a long list of objects into numbered pages.

How it works: a ``Paginator`` wraps any sliceable sequence (a list, or a
QuerySet) and a page size. It counts the objects once (``count``: a
QuerySet's ``count()`` is one ``SELECT COUNT(*)``, never a fetch of every
row), works out ``num_pages``, and ``page(number)`` checks the number with
``validate_number`` before slicing out that page's objects: on a QuerySet
the slice becomes ``LIMIT``/``OFFSET``, so only one page of rows is read. A
``Page`` is a sequence of those objects that also knows where it stands
(``has_next()``, ``next_page_number()``, ``start_index()``...), which is
what a template needs to draw "previous / next" links. A bad number raises
``PageNotAnInteger`` or ``EmptyPage`` (both ``InvalidPage``); ``get_page``
is the forgiving variant for numbers straight from a query string.

    >>> paginator = Paginator(["a", "b", "c", "d", "e"], per_page=2)
    >>> paginator.count, paginator.num_pages, list(paginator.page_range)
    (5, 3, [1, 2, 3])
    >>> page = paginator.page(2)
    >>> page, list(page), page.has_next(), page.start_index(), page.end_index()
    (<Page 2 of 3>, ['c', 'd'], True, 3, 4)
    >>> paginator.page(4)
    Traceback (most recent call last):
      ...
    tinyframe.core.paginator.EmptyPage: That page contains no results
    >>> paginator.get_page("4")
    <Page 3 of 3>
"""

import collections.abc
import inspect
import math
import warnings
from functools import cache, cached_property

__all__ = [
    "EmptyPage",
    "InvalidPage",
    "Page",
    "PageNotAnInteger",
    "Paginator",
    "UnorderedObjectListWarning",
]


class UnorderedObjectListWarning(RuntimeWarning):
    """A QuerySet without an order was paginated: a row may show on two pages, or on none."""


class InvalidPage(Exception):
    """The page number asked for is not one of the paginator's pages."""


class PageNotAnInteger(InvalidPage):
    """The page number is not a whole number ("abc", 1.5, None)."""


class EmptyPage(InvalidPage):
    """The page number is a whole number, but below 1 or past the last page."""


class Paginator:
    """``object_list`` cut into pages of ``per_page`` objects.

    ``orphans``: when the last page would hold that many objects or fewer,
    they join the page before it instead (no lonely page of one).
    ``allow_empty_first_page``: with no objects at all, whether page 1 still
    exists (empty) or there are no pages. ``error_messages`` replaces some of
    ``default_error_messages`` by key.
    """

    # What stands for the page numbers get_elided_page_range leaves out.
    ELLIPSIS = "…"
    default_error_messages = {
        "invalid_page": "That page number is not an integer",
        "min_page": "That page number is less than 1",
        "no_results": "That page contains no results",
    }

    def __init__(self, object_list, per_page: int, orphans: int = 0, allow_empty_first_page: bool = True,
                 error_messages: dict | None = None):
        self.object_list = object_list
        warn_if_unordered(object_list)
        self.per_page = int(per_page)
        self.orphans = int(orphans)
        self.allow_empty_first_page = allow_empty_first_page
        self.error_messages = {**self.default_error_messages, **(error_messages or {})}

    def validate_number(self, number) -> int:
        """Return ``number`` as an int if it is one of this paginator's pages; raise an InvalidPage otherwise.

        Exercise 07.6. ``number`` comes from a URL, so it may be a string
        ("2"), an int, a float, or anything else. In order:

        1. Make it an int with ``int(number)``. A float with a fraction (1.5)
           is not a page number, even though ``int(1.5)`` would give 1. When
           ``int()`` fails (TypeError or ValueError), or for such a float,
           raise ``PageNotAnInteger(self.error_messages["invalid_page"])``:
           by default "That page number is not an integer".
        2. Below 1: raise ``EmptyPage(self.error_messages["min_page"])``,
           by default "That page number is less than 1".
        3. Above ``self.num_pages``: raise
           ``EmptyPage(self.error_messages["no_results"])``, by default
           "That page contains no results". (With no objects and
           ``allow_empty_first_page=False`` there are no pages: even 1 is
           refused this way.)

        >>> Paginator(range(10), per_page=4).validate_number("3")
        3
        """
        if isinstance(number, float) and not number.is_integer():
            raise PageNotAnInteger(self.error_messages["invalid_page"])
        try:
            number = int(number)
        except (TypeError, ValueError):
            raise PageNotAnInteger(self.error_messages["invalid_page"]) from None
        if number < 1:
            raise EmptyPage(self.error_messages["min_page"])
        if number > self.num_pages:
            raise EmptyPage(self.error_messages["no_results"])
        return number

    def page(self, number) -> "Page":
        """The page numbered ``number`` (counted from 1); an InvalidPage when there is no such page."""
        number = self.validate_number(number)
        start = (number - 1) * self.per_page
        end = start + self.per_page
        # The last page takes the orphans: when what would be left after it
        # is no more than ``orphans`` objects, it runs to the end.
        if end + self.orphans >= self.count:
            end = self.count
        return self._get_page(self.object_list[start:end], number, self)

    def get_page(self, number) -> "Page":
        """Like ``page``, but never an error: a number that is not one gives page 1, one out of range the last page.

        Made for numbers straight from a query string, where a broken link
        should still show something.
        """
        try:
            number = self.validate_number(number)
        except PageNotAnInteger:
            number = 1
        except EmptyPage:
            number = self.num_pages
        return self.page(number)

    def _get_page(self, *args, **kwargs) -> "Page":
        """Make the Page object: the hook a subclass overrides to return its own Page class."""
        return Page(*args, **kwargs)

    def __iter__(self):
        """Every page, in order."""
        for number in self.page_range:
            yield self.page(number)

    @cached_property
    def count(self) -> int:
        """How many objects there are on all the pages: ``object_list.count()`` when it has one, else ``len``.

        A QuerySet's ``count()`` asks the database (``SELECT COUNT(*)``)
        without fetching the rows; ``len()`` would fetch them all. A list's
        ``count`` method wants an argument, so lists use ``len``.
        """
        count = getattr(self.object_list, "count", None)
        if takes_no_arguments(count):
            return count()
        return len(self.object_list)

    @cached_property
    def num_pages(self) -> int:
        """How many pages there are: at least 1 (an empty first page) unless ``allow_empty_first_page`` is False."""
        if self.count == 0 and not self.allow_empty_first_page:
            return 0
        # Orphans do not make a page of their own, so they do not count here.
        on_pages = max(1, self.count - self.orphans)
        return math.ceil(on_pages / self.per_page)

    @property
    def page_range(self) -> range:
        """The page numbers, from 1: what a template loops over to draw a link to every page."""
        return range(1, self.num_pages + 1)

    def get_elided_page_range(self, number=1, *, on_each_side: int = 3, on_ends: int = 2):
        """The page numbers to link to from page ``number``, with long runs in between replaced by ``ELLIPSIS``.

        ``on_each_side`` numbers are kept either side of ``number``, and
        ``on_ends`` at each end; a run is elided only when it is at least two
        pages long (an ellipsis standing for one page would save nothing).

        >>> list(Paginator(range(500), per_page=10).get_elided_page_range(25))
        [1, 2, '…', 22, 23, 24, 25, 26, 27, 28, '…', 49, 50]
        >>> list(Paginator(range(30), per_page=10).get_elided_page_range())
        [1, 2, 3]
        """
        number = self.validate_number(number)
        last = self.num_pages
        if last <= (on_each_side + on_ends) * 2:
            yield from self.page_range
            return
        # Left of the current page: the first on_ends, an ellipsis, the
        # on_each_side before it; or every number when that gap is too short.
        if number > on_ends + on_each_side + 2:
            yield from range(1, on_ends + 1)
            yield self.ELLIPSIS
            yield from range(number - on_each_side, number + 1)
        else:
            yield from range(1, number + 1)
        # Right of it, the mirror image.
        if number < last - on_each_side - on_ends - 1:
            yield from range(number + 1, number + on_each_side + 1)
            yield self.ELLIPSIS
            yield from range(last - on_ends + 1, last + 1)
        else:
            yield from range(number + 1, last + 1)


class Page(collections.abc.Sequence):
    """One page: a sequence of its objects (``len``, indexing, ``for``), its ``number``, and its ``paginator``."""

    def __init__(self, object_list, number: int, paginator: Paginator):
        self.object_list = object_list
        self.number = number
        self.paginator = paginator

    def __repr__(self):
        return f"<Page {self.number} of {self.paginator.num_pages}>"

    def __len__(self):
        return len(self.object_list)

    def __getitem__(self, index):
        if not isinstance(index, (int, slice)):
            raise TypeError(f"Page indices must be integers or slices, not {type(index).__name__}.")
        # A sliced QuerySet would run a query for every page[i]: read the
        # page's rows once, into a list, the first time one is asked for.
        if not isinstance(self.object_list, list):
            self.object_list = list(self.object_list)
        return self.object_list[index]

    def has_next(self) -> bool:
        return self.number < self.paginator.num_pages

    def has_previous(self) -> bool:
        return self.number > 1

    def has_other_pages(self) -> bool:
        """Whether there is any page besides this one (whether to draw page links at all)."""
        return self.has_previous() or self.has_next()

    def next_page_number(self) -> int:
        """The next page's number; EmptyPage on the last page."""
        return self.paginator.validate_number(self.number + 1)

    def previous_page_number(self) -> int:
        """The previous page's number; EmptyPage on the first."""
        return self.paginator.validate_number(self.number - 1)

    def start_index(self) -> int:
        """The position of this page's first object among all, from 1 ("showing 11–20 of 42"); 0 if there are none."""
        if self.paginator.count == 0:
            return 0
        return (self.number - 1) * self.paginator.per_page + 1

    def end_index(self) -> int:
        """The position of this page's last object among all of them, from 1."""
        # The last page may hold orphans beyond per_page: it ends with the list.
        if self.number == self.paginator.num_pages:
            return self.paginator.count
        return self.number * self.paginator.per_page


def takes_no_arguments(method) -> bool:
    """Whether ``method`` is a method that takes nothing but ``self`` (``QuerySet.count``, not ``list.count``).

    >>> takes_no_arguments([].count), takes_no_arguments(Paginator([], 1).page)
    (False, False)
    >>> takes_no_arguments(Paginator([], 1).get_elided_page_range)
    False
    >>> takes_no_arguments(Paginator([], 1).__iter__)
    True
    """
    if not inspect.ismethod(method):
        return False
    return _takes_only_self(method.__func__)


@cache
def _takes_only_self(function) -> bool:
    """Whether ``function`` takes nothing but its first argument (self): read once a function.

    ``inspect.signature`` is slow (20 us) and a paginated page asks about the
    same ``QuerySet.count`` on every request.
    """
    # After self, *args and **kwargs (a proxy's usual signature) take nothing of their own.
    parameters = list(inspect.signature(function).parameters.values())
    if parameters and parameters[0].kind in (parameters[0].POSITIONAL_ONLY, parameters[0].POSITIONAL_OR_KEYWORD):
        parameters = parameters[1:]  # self
    named = [parameter for parameter in parameters
             if parameter.kind not in (parameter.VAR_POSITIONAL, parameter.VAR_KEYWORD)]
    return not named


def warn_if_unordered(object_list) -> None:
    """Warn (``UnorderedObjectListWarning``) if ``object_list`` says it has no order (a QuerySet without order_by).

    Without an ORDER BY the database may return rows in a different order
    for each page's query, so a row could show twice or never.
    """
    ordered = getattr(object_list, "ordered", None)
    if ordered is None or ordered:
        return
    if hasattr(object_list, "model"):
        described = f"{object_list.model} {type(object_list).__name__}"
    else:
        described = repr(object_list)
    # stacklevel 3: the warning points at the line that made the Paginator.
    warnings.warn(
        f"Pagination may yield inconsistent results with an unordered object_list: {described}.",
        UnorderedObjectListWarning,
        stacklevel=3,
    )
