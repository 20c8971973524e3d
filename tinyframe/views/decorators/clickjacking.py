"""Decorators that set a view's X-Frame-Options, whatever XFrameOptionsMiddleware would.

How it works: each decorator wraps the view and changes the response it
returns: ``xframe_options_deny`` and ``xframe_options_sameorigin`` set the
header unless the view set one; ``xframe_options_exempt`` marks the response
(``response.xframe_options_exempt = True``) so that the middleware leaves it
without the header, for a page meant to be framed by other sites (a widget).

    >>> from tinyframe.http import HttpResponse
    >>> @xframe_options_sameorigin
    ... def widget(request):
    ...     return HttpResponse("<p>embed me</p>")
    >>> widget(None)["X-Frame-Options"]
    'SAMEORIGIN'
"""

from functools import wraps

__all__ = ["xframe_options_deny", "xframe_options_exempt", "xframe_options_sameorigin"]


def _set_xframe_options(view_func, value: str):
    """Wrap ``view_func`` so its response gets ``X-Frame-Options: value`` unless it has one."""

    @wraps(view_func)
    def wrapper(*args, **kwargs):
        response = view_func(*args, **kwargs)
        if response.get("X-Frame-Options") is None:
            response["X-Frame-Options"] = value
        return response

    return wrapper


def xframe_options_deny(view_func):
    """Forbid any site, this one included, to show this view in a frame."""
    return _set_xframe_options(view_func, "DENY")


def xframe_options_sameorigin(view_func):
    """Let only this site's own pages show this view in a frame."""
    return _set_xframe_options(view_func, "SAMEORIGIN")


def xframe_options_exempt(view_func):
    """Send this view's response without X-Frame-Options, so any site may frame it."""

    @wraps(view_func)
    def wrapper(*args, **kwargs):
        response = view_func(*args, **kwargs)
        response.xframe_options_exempt = True
        return response

    return wrapper
