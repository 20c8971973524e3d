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
