"""no_append_slash: keep CommonMiddleware from redirecting to a view's slash-ended URL.

How it works: ``CommonMiddleware`` redirects ``/page`` to ``/page/`` when only the
latter has a view, unless that view has a false ``should_append_slash``
attribute. The decorator sets it on a copy of the view (a wrapper), so the
original function is left as it was.
"""

from functools import wraps

__all__ = ["no_append_slash"]


def no_append_slash(view_func):
    """Mark a view so that APPEND_SLASH never redirects to it."""

    @wraps(view_func)
    def wrapper(*args, **kwargs):
        return view_func(*args, **kwargs)

    wrapper.should_append_slash = False
    return wrapper
