"""gzip_page: GZipMiddleware for one view, as a decorator.

How it works: ``decorator_from_middleware`` (``tinyframe.utils.decorators``)
turns a middleware class into a view decorator that runs the middleware's
hooks around that view alone, so a site can compress a few large pages
without adding GZipMiddleware to every request.
"""

from tinyframe.middleware.gzip import GZipMiddleware
from tinyframe.utils.decorators import decorator_from_middleware

__all__ = ["gzip_page"]


# A function, not decorator_from_middleware(GZipMiddleware) run at import, so
# that this module imports even while that exercise is a stub.
def gzip_page(view_func):
    """Compress the view's response with gzip for the clients that accept it."""
    return decorator_from_middleware(GZipMiddleware)(view_func)
