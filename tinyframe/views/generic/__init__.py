"""Generic class-based views: ``View`` and ``RedirectView`` here; later chapters add more."""

from tinyframe.views.generic.base import RedirectView, View

__all__ = ["RedirectView", "View"]
# >>> 03_templates
from tinyframe.views.generic.base import TemplateView  # noqa: E402

__all__ += ["TemplateView"]
# <<< 03_templates
# >>> 07_relations
from tinyframe.views.generic.detail import DetailView  # noqa: E402
from tinyframe.views.generic.list import ListView  # noqa: E402

__all__ += ["DetailView", "ListView"]
# <<< 07_relations
# >>> 09_forms
# The editing views need tinyframe.forms, which chapters 01-08 never load: they
# are imported when first asked for (a module __getattr__, PEP 562), so the
# views above work even while a learner's forms package cannot be imported yet.
_EDIT_VIEWS = ("CreateView", "DeleteView", "FormView", "UpdateView")
__all__ += _EDIT_VIEWS


def __getattr__(name):
    if name in _EDIT_VIEWS:
        from tinyframe.views.generic import edit

        return getattr(edit, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
# <<< 09_forms
