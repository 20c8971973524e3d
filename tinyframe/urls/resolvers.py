"""URL resolvers: from a path to a view (resolve), and the lookups reverse() walks.

How it works: a ``URLPattern`` joins a pattern (``patterns.py``) to a view; a
``URLResolver`` joins a prefix pattern to a list of patterns (an
``include()``, or the root URLconf). ``URLResolver.resolve`` strips its prefix
from the path, asks its ``PatternIndex`` (``matcher.py``) which patterns could
match the rest, and tries only those, in order: the first
``URLPattern.resolve`` that matches gives a ``ResolverMatch``, to which every
resolver on the way out adds its prefix, kwargs and namespace. When none
matches, ``Resolver404`` carries the patterns tried (``TriedPatterns``).
The other way, ``URLResolver._populate`` builds ``reverse_dict`` once (pattern
name or view -> ``Reversal`` objects, ``reversal.py``), and ``namespace_dict``
and ``app_dict``, which ``tinyframe.urls.base.reverse`` walks.
"""

import collections.abc
import functools
from importlib import import_module
from pickle import PicklingError

from tinyframe.conf import settings
from tinyframe.core.exceptions import ImproperlyConfigured, ViewDoesNotExist
from tinyframe.urls.exceptions import NoReverseMatch, Resolver404
from tinyframe.urls.matcher import PatternIndex
from tinyframe.urls.patterns import Pattern, RegexPattern
from tinyframe.urls.reversal import Reversal, join_reversals, no_reverse_match_message
from tinyframe.utils.module_loading import import_string
from tinyframe.utils.suggestions import suggest

# The views that answer errors when the root URLconf names no handler400... of its own.
DEFAULT_ERROR_HANDLERS = {
    400: "tinyframe.views.defaults.bad_request",
    403: "tinyframe.views.defaults.permission_denied",
    404: "tinyframe.views.defaults.page_not_found",
    500: "tinyframe.views.defaults.server_error",
}


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

    # The names derived from the lists are computed when first read, once the
    # resolvers have completed the match (each include level adds to the lists
    # on the way out); most matches are only called.
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

    def __iter__(self):
        # ``func, args, kwargs = match``: a match unpacks as the tuple it stands for.
        return iter((self.func, self.args, self.kwargs))

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
        """The URLconf itself: the module ``urlconf_name`` names, imported now, or what was given."""
        if not isinstance(self.urlconf_name, str):
            return self.urlconf_name
        try:
            return import_module(self.urlconf_name)
        except ImportError as error:
            # The traceback shows only import machinery: say where the name came from.
            if self.urlconf_name == settings.ROOT_URLCONF:
                error.add_note(root_urlconf_note(self.urlconf_name, error))
            raise

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
        for position in self.index.cached_candidates(rest):
            pattern = patterns[position]
            try:
                sub_match = pattern.resolve(rest)
            except Resolver404 as error:  # an include whose patterns all failed
                failures[position] = error.args[0].get("tried")
                continue
            if sub_match is None:
                continue
            # The match was made for this call alone: complete it on the way out
            # with what this level adds. The include's kwargs go to the view too:
            # as in Django 5.2, its extra kwargs win over what its prefix
            # captured, and what the pattern inside gives (captured and extra)
            # wins over both. Positional args count only when there are no kwargs.
            sub_match.kwargs = {**kwargs, **self.default_kwargs, **sub_match.kwargs}
            if not sub_match.kwargs:
                sub_match.args = args + sub_match.args
            sub_match.extra_kwargs = {**self.default_kwargs, **sub_match.extra_kwargs}
            if isinstance(pattern, URLResolver) and str(pattern.pattern):
                sub_match.route = str(pattern.pattern) + sub_match.route.removeprefix("^")
            if self.app_name:
                sub_match.app_names.insert(0, self.app_name)
            if self.namespace:
                sub_match.namespaces.insert(0, self.namespace)
            sub_match.tried = TriedPatterns(patterns, failures, position, (pattern, sub_match.tried))
            return sub_match
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
        error = NoReverseMatch(no_reverse_match_message(lookup_view, args, kwargs, reversals))
        if not reversals and isinstance(lookup_view, str):  # a name no pattern has: a typo?
            suggest(error, lookup_view, self.view_names())
        raise error

    def view_names(self) -> list[str]:
        """The names ``reverse()`` knows from here: ``"post_detail"``, and ``"blog:post_detail"`` inside a namespace."""
        names = [name for name in self.reverse_dict if isinstance(name, str)]
        for namespace, (_, resolver) in self.namespace_dict.items():
            names.extend(f"{namespace}:{name}" for name in resolver.view_names())
        return names


def root_urlconf_note(urlconf_name: str, error: ImportError) -> str:
    """What to add to the ``ImportError`` of a ROOT_URLCONF: a wrong setting, or a broken module?

    >>> root_urlconf_note("mysite.urlz", ModuleNotFoundError("No module named 'mysite.urlz'", name="mysite.urlz"))
    "The ROOT_URLCONF setting names a module that cannot be imported: ROOT_URLCONF = 'mysite.urlz'."
    >>> root_urlconf_note("mysite.urls", ModuleNotFoundError("No module named 'blog'", name="blog"))
    "This happened while importing 'mysite.urls', the URLconf named by the ROOT_URLCONF setting."
    """
    missing = error.name or ""
    if missing and (urlconf_name == missing or urlconf_name.startswith(missing + ".")):
        return f"The ROOT_URLCONF setting names a module that cannot be imported: ROOT_URLCONF = {urlconf_name!r}."
    return f"This happened while importing {urlconf_name!r}, the URLconf named by the ROOT_URLCONF setting."


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
