"""Decorators that set a view's caching headers: ``@never_cache``.

How it works: the decorator calls the view, then adds headers to its
response (``tinyframe.utils.cache.add_never_cache_headers``). The login page
uses it: its form carries a CSRF token for one visitor, which no shared cache
may hand to another.
"""

from functools import wraps

from tinyframe.http import HttpRequest
from tinyframe.utils.cache import add_never_cache_headers

__all__ = ["never_cache"]


def never_cache(view_func):
    """Mark every response of the view as not to be cached (``Cache-Control: max-age=0, no-cache, ...``)."""

    @wraps(view_func)
    def wrapper(request, *args, **kwargs):
        # A method decorated without method_decorator gets ``self`` here.
        if not isinstance(request, HttpRequest):
            raise TypeError(
                "never_cache didn't receive an HttpRequest. If you are decorating a classmethod, be sure to use "
                "@method_decorator."
            )
        response = view_func(request, *args, **kwargs)
        add_never_cache_headers(response)
        return response

    return wrapper
