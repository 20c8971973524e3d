"""The functions the rest of a project calls: ``resolve()``, ``reverse()`` and the per-thread state they read.

How it works: both functions take the resolver of a URLconf from
``get_resolver`` (``settings.ROOT_URLCONF``, unless this thread's request set
another with ``set_urlconf``, or ``urlconf=`` names one). ``resolve(path)``
asks it for the ``ResolverMatch`` of a path. ``reverse("blog:detail",
kwargs=...)`` walks the namespaces before the last ``:`` through the
resolvers' ``namespace_dict``, picking an instance of an application with
``app_dict`` and ``current_app``; then the resolver of the innermost include
builds the URL from the pattern's ``Reversal``, after the script prefix (the
path where the site is mounted, ``/`` by default) and the prefixes of the
includes walked through.
"""

import threading
from urllib.parse import urlencode

from tinyframe.http import QueryDict
from tinyframe.urls.exceptions import NoReverseMatch, Resolver404
from tinyframe.urls.resolvers import ResolverMatch, _get_cached_resolver, get_callable, get_resolver
from tinyframe.urls.reversal import join_reversals
from tinyframe.utils.functional import lazy
from tinyframe.utils.suggestions import suggest

__all__ = [
    "clear_script_prefix",
    "clear_url_caches",
    "get_script_prefix",
    "get_urlconf",
    "is_valid_path",
    "resolve",
    "reverse",
    "reverse_lazy",
    "set_script_prefix",
    "set_urlconf",
]

# Per thread, because each thread of a server serves its own request: the
# script prefix comes from that request, and a middleware may give a request
# its own URLconf.
_prefixes = threading.local()
_urlconfs = threading.local()


def resolve(path: str, urlconf=None) -> ResolverMatch:
    """The view that answers ``path`` (which starts with ``/``) and its arguments; ``Resolver404`` if none.

    >>> import types
    >>> from tinyframe.urls import path
    >>> def article(request, year): ...
    >>> urls = types.ModuleType("urls")
    >>> urls.urlpatterns = [path("articles/<int:year>/", article, name="article")]
    >>> match = resolve("/articles/2024/", urlconf=urls)
    >>> match.func is article, match.kwargs, match.url_name
    (True, {'year': 2024}, 'article')
    """
    if urlconf is None:
        urlconf = get_urlconf()
    return get_resolver(urlconf).resolve(path)


def reverse(
    viewname,
    urlconf=None,
    args=None,
    kwargs=None,
    current_app: str | None = None,
    *,
    query=None,
    fragment: str | None = None,
) -> str:
    """Return the URL of a pattern name such as ``"blog:detail"`` (or of a view), built from args or kwargs.

    Split ``viewname`` on ``":"``: the last part is the pattern's name, each
    part before it a namespace. Starting from the URLconf's resolver, look
    each namespace up in ``resolver.namespace_dict``, which gives
    ``(prefix, resolver of that include)``: keep the prefixes, in order, and go
    on from that resolver. A namespace may also be an application's name
    (``resolver.app_dict`` lists its instance namespaces): then use the
    instance named by ``current_app`` (split on ``":"`` too, one part per
    level) when it is one of them, else the default instance (named like the
    application), else the first listed. Then
    ``resolver.reverse_with_prefix(view, get_script_prefix(), args, kwargs,
    tuple(prefixes))`` builds the URL; add ``"?"`` and the encoded ``query``
    (a dict, a list of pairs or a QueryDict) when it is not empty, and
    ``"#" + fragment`` when a fragment is given. A view callable instead of a
    name has no namespaces.

    A namespace that ``namespace_dict`` does not hold raises ``NoReverseMatch``
    with exactly this message (``{namespace}`` is the namespace looked up):

    - ``f"'{namespace}' is not a registered namespace"`` for the first namespace;
    - ``f"'{namespace}' is not a registered namespace inside '{found}'"`` for a
      later one, ``found`` being the namespaces already walked through, joined
      by ``":"``: ``'nope' is not a registered namespace inside 'outer'``.

    Before raising it, ``suggest(error, namespace, known)`` (from
    ``tinyframe.utils.suggestions``) adds the note ``"Did you mean 'blog'?"``
    when one of the namespaces known at that level is close, ``known`` being
    the keys of ``resolver.namespace_dict`` and of ``resolver.app_dict``.
    """
    resolver = get_resolver(get_urlconf() if urlconf is None else urlconf)
    view = viewname
    prefixes = []
    if isinstance(viewname, str):
        *namespaces, view = viewname.split(":")
        current_path = current_app.split(":") if current_app else []
        resolved = []
        for level, namespace in enumerate(namespaces):
            current_namespace = current_path[level] if level < len(current_path) else None
            instances = resolver.app_dict.get(namespace)
            if instances:
                if current_namespace in instances:
                    namespace = current_namespace
                elif namespace not in instances:
                    namespace = instances[0]  # the most recently deployed instance
            if namespace != current_namespace:
                current_path = []  # off the current app's path: stop following it
            try:
                prefix, resolver = resolver.namespace_dict[namespace]
            except KeyError:
                inside = f" inside '{':'.join(resolved)}'" if resolved else ""
                error = NoReverseMatch(f"'{namespace}' is not a registered namespace{inside}")
                suggest(error, namespace, [*resolver.namespace_dict, *resolver.app_dict])
                raise error from None
            prefixes.append(prefix)
            resolved.append(namespace)
    url = resolver.reverse_with_prefix(view, get_script_prefix(), args or (), kwargs or {}, tuple(prefixes))
    if query is not None:
        query_string = query.urlencode() if isinstance(query, QueryDict) else urlencode(query, doseq=True)
        if query_string:
            url += "?" + query_string
    if fragment is not None:
        url += "#" + fragment
    return url


# reverse() when the result is used, not when it is written: for class
# attributes and module-level values that are read while URLconfs load.
reverse_lazy = lazy(reverse, str)


def is_valid_path(path: str, urlconf=None) -> ResolverMatch | bool:
    """The ``ResolverMatch`` of ``path`` if it resolves, else False."""
    try:
        return resolve(path, urlconf)
    except Resolver404:
        return False


def clear_url_caches() -> None:
    """Forget every resolver and view looked up so far (after changing URLconfs, in tests)."""
    get_callable.cache_clear()
    _get_cached_resolver.cache_clear()
    join_reversals.cache_clear()


def set_script_prefix(prefix: str) -> None:
    """Set the path where the site is mounted (``SCRIPT_NAME``) for this thread; reverse() puts it first."""
    if not prefix.endswith("/"):
        prefix += "/"
    _prefixes.value = prefix


def get_script_prefix() -> str:
    """The path where the site is mounted, for this thread: ``"/"`` unless set."""
    return getattr(_prefixes, "value", "/")


def clear_script_prefix() -> None:
    """Go back to the default script prefix, ``"/"``, for this thread."""
    if hasattr(_prefixes, "value"):
        del _prefixes.value


def set_urlconf(urlconf_name) -> None:
    """Use this URLconf instead of ROOT_URLCONF in this thread (None goes back to ROOT_URLCONF)."""
    # None stands for "not set": get_urlconf() then answers its default.
    _urlconfs.value = urlconf_name or None


def get_urlconf(default=None):
    """The URLconf set for this thread with ``set_urlconf``, or ``default``."""
    urlconf_name = getattr(_urlconfs, "value", None)
    return default if urlconf_name is None else urlconf_name
