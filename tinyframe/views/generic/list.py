"""ListView: a page that lists objects, optionally one page of them at a time.

How it works: ``ListView.as_view(model=Book, paginate_by=10)`` answers GET
with ``BaseListView.get``, which asks ``get_queryset()`` for the objects
(``model._default_manager.all()``, or ``queryset``, then ``ordering``), and
``get_context_data()`` for the template's context. With ``paginate_by`` set,
``paginate_queryset`` builds a ``Paginator`` and picks the page the URL asks
for (``?page=2``, ``page=last``, or a ``page`` URL argument); a page that is
not there is a 404, never a crash. The context holds ``object_list`` (the
objects of this page), ``paginator``, ``page_obj`` and ``is_paginated``, and
the same objects again under a name made from the model (``book_list``).
``MultipleObjectTemplateResponseMixin`` adds the template Django would guess,
``<app_label>/<model_name>_list.html``, after any ``template_name``.

Each step is a method, so a subclass changes one decision by overriding it
(``get_queryset`` to filter by the URL, ``get_paginate_by`` to let the
visitor pick the page size) and keeps the rest.
"""

from tinyframe.core.exceptions import ImproperlyConfigured
from tinyframe.core.paginator import InvalidPage, Paginator
from tinyframe.db.models import QuerySet
from tinyframe.http import Http404
from tinyframe.views.generic.base import ContextMixin, TemplateResponseMixin, View

__all__ = ["BaseListView", "ListView", "MultipleObjectMixin", "MultipleObjectTemplateResponseMixin"]


class MultipleObjectMixin(ContextMixin):
    """What a view that shows many objects needs: which objects, in what order, which page, under which name."""

    allow_empty = True
    queryset = None
    model = None
    paginate_by = None
    paginate_orphans = 0
    context_object_name = None
    paginator_class = Paginator
    page_kwarg = "page"
    ordering = None

    def get_queryset(self):
        """The objects to list: ``queryset`` (re-evaluated per request), else all of ``model``'s; then ``ordering``.

        ``queryset`` may be any iterable, not only a QuerySet. A QuerySet
        given as a class attribute is copied with ``.all()``: its result
        cache must not carry one request's rows into the next.
        """
        if self.queryset is not None:
            queryset = self.queryset
            if isinstance(queryset, QuerySet):
                queryset = queryset.all()
        elif self.model is not None:
            queryset = self.model._default_manager.all()
        else:
            name = type(self).__name__
            raise ImproperlyConfigured(
                f"{name} is missing a QuerySet. Define {name}.model, {name}.queryset, or override "
                f"{name}.get_queryset()."
            )
        ordering = self.get_ordering()
        if ordering:
            if isinstance(ordering, str):
                ordering = (ordering,)
            queryset = queryset.order_by(*ordering)
        return queryset

    def get_ordering(self):
        """The field name, or names, to order the objects by (``ordering``); None keeps the queryset's order."""
        return self.ordering

    def paginate_queryset(self, queryset, page_size: int) -> tuple:
        """``(paginator, page, page.object_list, page.has_other_pages())`` for the page the request asks for.

        The page number is the URL's ``page_kwarg`` argument, else the query
        string's (``?page=3``), else 1; ``last`` means the last page. A
        number that is not one, or a page that does not exist, is a 404
        whose message says which page and why.
        """
        paginator = self.get_paginator(
            queryset, page_size, orphans=self.get_paginate_orphans(), allow_empty_first_page=self.get_allow_empty()
        )
        page = self.kwargs.get(self.page_kwarg) or self.request.GET.get(self.page_kwarg) or 1
        try:
            page_number = int(page)
        except ValueError:
            if page != "last":
                raise Http404("Page is not “last”, nor can it be converted to an int.") from None
            page_number = paginator.num_pages
        try:
            page = paginator.page(page_number)
        except InvalidPage as error:
            raise Http404(f"Invalid page ({page_number}): {error}") from None
        return paginator, page, page.object_list, page.has_other_pages()

    def get_paginate_by(self, queryset):
        """How many objects a page holds (``paginate_by``), or None for no pagination at all."""
        return self.paginate_by

    def get_paginator(self, queryset, per_page, orphans=0, allow_empty_first_page=True, **kwargs) -> Paginator:
        """Make the paginator (``paginator_class``): the hook for a view that paginates its own way."""
        return self.paginator_class(
            queryset, per_page, orphans=orphans, allow_empty_first_page=allow_empty_first_page, **kwargs
        )

    def get_paginate_orphans(self) -> int:
        """How few objects may be left for a last page before they join the page before it (``paginate_orphans``)."""
        return self.paginate_orphans

    def get_allow_empty(self) -> bool:
        """Whether an empty list is a page (True) or a 404 (False): ``allow_empty``."""
        return self.allow_empty

    def get_context_object_name(self, object_list) -> str | None:
        """The second name the objects go by in the context: ``context_object_name``, else ``<model_name>_list``.

        A plain list has no model, so it has no second name: only ``object_list``.
        """
        if self.context_object_name:
            return self.context_object_name
        if hasattr(object_list, "model"):
            return f"{object_list.model._meta.model_name}_list"
        return None

    def get_context_data(self, *, object_list=None, **kwargs) -> dict:
        """The template's context: the objects (one page of them when paginated), and the pagination variables."""
        queryset = object_list if object_list is not None else self.object_list
        page_size = self.get_paginate_by(queryset)
        context_object_name = self.get_context_object_name(queryset)
        if page_size:
            paginator, page, queryset, is_paginated = self.paginate_queryset(queryset, page_size)
        else:
            paginator, page, is_paginated = None, None, False
        context = {"paginator": paginator, "page_obj": page, "is_paginated": is_paginated, "object_list": queryset}
        if context_object_name is not None:
            context[context_object_name] = queryset
        context.update(kwargs)
        return super().get_context_data(**context)


class BaseListView(MultipleObjectMixin, View):
    """A list of objects answered to GET; a response mixin (or ``render_to_response``) decides how it is shown."""

    def get(self, request, *args, **kwargs):
        """Fetch the objects into ``self.object_list``, refuse an empty list if ``allow_empty`` is off, render."""
        self.object_list = self.get_queryset()
        if not self.get_allow_empty():
            # Paginated, only one page will be read: ask the database whether
            # there is any row (a cheap EXISTS) rather than fetch them all.
            if self.get_paginate_by(self.object_list) is not None and hasattr(self.object_list, "exists"):
                is_empty = not self.object_list.exists()
            else:
                is_empty = not self.object_list
            if is_empty:
                raise Http404(f"Empty list and “{type(self).__name__}.allow_empty” is False.")
        context = self.get_context_data()
        return self.render_to_response(context)


class MultipleObjectTemplateResponseMixin(TemplateResponseMixin):
    """Renders a list with ``template_name``, falling back to ``<app_label>/<model_name>_list.html``."""

    template_name_suffix = "_list"

    def get_template_names(self) -> list[str]:
        """``[template_name]`` if set, then the name guessed from the model of the objects, if they have one."""
        try:
            names = super().get_template_names()
        except ImproperlyConfigured:
            names = []  # no template_name: the guessed name alone will do
        # The guess goes last, so that a template_name given always wins.
        if hasattr(self.object_list, "model"):
            options = self.object_list.model._meta
            names.append(f"{options.app_label}/{options.model_name}{self.template_name_suffix}.html")
        elif not names:
            raise ImproperlyConfigured(
                f"{type(self).__name__} requires either a 'template_name' attribute or a get_queryset() method "
                f"that returns a QuerySet."
            )
        return names


class ListView(MultipleObjectTemplateResponseMixin, BaseListView):
    """A page listing objects with a template: ``ListView.as_view(model=Book, paginate_by=20)``.

    The objects are ``model``'s, or ``queryset`` (any iterable); the template
    is ``template_name`` or ``<app_label>/<model_name>_list.html``; the
    context has ``object_list``, ``<model_name>_list``, and with
    ``paginate_by`` also ``paginator``, ``page_obj`` and ``is_paginated``.
    """
