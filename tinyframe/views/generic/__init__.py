"""Generic class-based views: ``View`` and ``RedirectView`` here; later chapters add more."""

from tinyframe.views.generic.base import RedirectView, View

__all__ = ["RedirectView", "View"]
