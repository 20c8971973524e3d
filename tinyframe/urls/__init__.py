"""URL dispatch: which view answers a path (``resolve``), and which path leads to a view (``reverse``).

How it works: a URLconf module lists ``urlpatterns`` made with ``path()``,
``re_path()`` and ``include()`` (``conf.py``). ``get_resolver`` wraps the root
URLconf in a ``URLResolver`` (``resolvers.py``), which finds the patterns that
may match a path with a ``PatternIndex`` (``matcher.py``) instead of trying
them all; each pattern is compiled once (``patterns.py``), and URLs are built
back from pattern names (``reversal.py``). ``resolve()`` and
``reverse()`` (``base.py``) are the entry points; converters (``converters.py``)
turn the text of a path into the values views receive, and back.
"""

from tinyframe.urls.base import (
    clear_script_prefix,
    clear_url_caches,
    get_script_prefix,
    get_urlconf,
    is_valid_path,
    resolve,
    reverse,
    reverse_lazy,
    set_script_prefix,
    set_urlconf,
)
from tinyframe.urls.conf import include, path, re_path
from tinyframe.urls.converters import register_converter
from tinyframe.urls.exceptions import NoReverseMatch, Resolver404
from tinyframe.urls.resolvers import ResolverMatch, URLPattern, URLResolver, get_resolver

__all__ = [
    "NoReverseMatch",
    "Resolver404",
    "ResolverMatch",
    "URLPattern",
    "URLResolver",
    "clear_script_prefix",
    "clear_url_caches",
    "get_resolver",
    "get_script_prefix",
    "get_urlconf",
    "include",
    "is_valid_path",
    "path",
    "re_path",
    "register_converter",
    "resolve",
    "reverse",
    "reverse_lazy",
    "set_script_prefix",
    "set_urlconf",
]
