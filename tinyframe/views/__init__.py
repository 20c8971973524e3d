"""Views: the callables that turn a request into a response. ``View`` is the class-based kind."""

from tinyframe.views.generic.base import View

__all__ = ["View"]
