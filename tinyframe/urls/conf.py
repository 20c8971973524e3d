"""The functions a URLconf is written with: ``path()``, ``re_path()`` and ``include()``.

How it works: a URLconf module lists ``urlpatterns``. ``path(route, view)``
compiles ``route`` into a ``RoutePattern`` and ``re_path(regex, view)`` into a
``RegexPattern`` right away, so a mistake in a route is an error when the
URLconf is imported (at startup), not at the first request. With a view they
return a ``URLPattern``; with ``include(...)`` in the view's place they return
a ``URLResolver``, whose patterns are matched against what is left of the path
after the prefix. ``include()`` returns ``(urlconf, app_name, namespace)``:
the patterns (a module, a dotted path to one, or a list), and the names under
which ``reverse()`` finds them (``"blog:detail"``).
"""

from importlib import import_module

from tinyframe.core.exceptions import ImproperlyConfigured
from tinyframe.urls.patterns import RegexPattern, RoutePattern
from tinyframe.urls.resolvers import URLPattern, URLResolver

__all__ = ["include", "path", "re_path"]


def include(arg, namespace: str | None = None) -> tuple:
    """The patterns of another URLconf, to put under a prefix: ``path("blog/", include("blog.urls"))``.

    ``arg`` is a URLconf module, its dotted path, a list of patterns, or a
    ``(patterns, app_name)`` pair. The application namespace (``app_name``)
    comes from that pair or from the module's ``app_name``; ``namespace``
    names this instance of the application (by default, the app_name).
    """
    app_name = None
    if isinstance(arg, tuple):
        try:
            urlconf_module, app_name = arg
        except ValueError:
            if namespace:
                raise ImproperlyConfigured(
                    "Cannot override the namespace for a dynamic module that provides a namespace."
                ) from None
            raise ImproperlyConfigured(
                f"Passing a {len(arg)}-tuple to include() is not supported. Pass a 2-tuple containing the list "
                "of patterns and app_name, and provide the namespace argument to include() instead."
            ) from None
    else:
        urlconf_module = arg
    if isinstance(urlconf_module, str):
        urlconf_module = import_module(urlconf_module)
    app_name = getattr(urlconf_module, "app_name", app_name)
    if namespace and not app_name:
        raise ImproperlyConfigured(
            "Specifying a namespace in include() without providing an app_name is not supported. Set the "
            "app_name attribute in the included module, or pass a 2-tuple containing the list of patterns "
            "and app_name instead."
        )
    return urlconf_module, app_name, namespace or app_name


def path(route: str, view, kwargs: dict | None = None, name: str | None = None):
    """A pattern for ``route`` (``"articles/<int:year>/"``): a ``URLPattern`` for a view, a ``URLResolver`` for an include()."""
    return _path(route, view, kwargs, name, RoutePattern)


def re_path(route: str, view, kwargs: dict | None = None, name: str | None = None):
    """Like ``path()``, with a regular expression (``r"^articles/(?P<year>[0-9]{4})/$"``) instead of a route."""
    return _path(route, view, kwargs, name, RegexPattern)


def _path(route, view, kwargs, name, pattern_class):
    if kwargs is not None and not isinstance(kwargs, dict):
        raise TypeError(f"kwargs argument must be a dict, but got {type(kwargs).__name__}.")
    if isinstance(view, (list, tuple)):
        # What include() returned. A name is ignored, as in Django: names belong to the included patterns.
        urlconf_module, app_name, namespace = view
        pattern = pattern_class(route, is_endpoint=False)
        return URLResolver(pattern, urlconf_module, kwargs, app_name=app_name, namespace=namespace)
    # A class-based view is handed over as View.as_view(), never as the class or an instance.
    if isinstance(view, type) and hasattr(view, "as_view"):
        raise TypeError(
            f"Your URL pattern {route!r} has an invalid view, pass {view.__name__}.as_view() "
            f"instead of {view.__name__}."
        )
    if callable(view):
        pattern = pattern_class(route, name=name, is_endpoint=True)
        return URLPattern(pattern, view, kwargs, name)
    if hasattr(type(view), "as_view"):
        class_name = type(view).__name__
        raise TypeError(f"view must be a callable, pass {class_name}.as_view(), not {class_name}().")
    raise TypeError("view must be a callable or a list/tuple in the case of include().")
