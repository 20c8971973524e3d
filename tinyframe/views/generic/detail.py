"""DetailView: a page that shows one object, found by the primary key or the slug in its URL.

How it works: ``path("books/<int:pk>/", DetailView.as_view(model=Book))``
answers GET with ``BaseDetailView.get``, which calls ``get_object()``: it
takes the objects ``get_queryset()`` gives (``model._default_manager.all()``
or ``queryset``), narrows them by the URL's ``pk`` (``pk_url_kwarg``) or
``slug`` (``slug_url_kwarg``, compared with the field ``slug_field``), and
``get()``s the one row left; no row is a 404 naming the model. The object
goes into the context twice, as ``object`` and under its model's name
(``book``), and ``SingleObjectTemplateResponseMixin`` renders
``template_name``, else ``<app_label>/<model_name>_detail.html``.
"""

from tinyframe.core.exceptions import ImproperlyConfigured
from tinyframe.db import models
from tinyframe.http import Http404
from tinyframe.views.generic.base import ContextMixin, TemplateResponseMixin, View

__all__ = ["BaseDetailView", "DetailView", "SingleObjectMixin", "SingleObjectTemplateResponseMixin"]


class SingleObjectMixin(ContextMixin):
    """What a view about one object needs: where to look for it, how the URL names it, what to call it."""

    model = None
    queryset = None
    slug_field = "slug"
    context_object_name = None
    slug_url_kwarg = "slug"
    pk_url_kwarg = "pk"
    query_pk_and_slug = False

    def get_object(self, queryset=None):
        """The object the URL names: by its primary key if the URL has one, else by its slug; a 404 if none matches.

        With ``query_pk_and_slug`` both must match, so a link whose slug is
        stale (the title changed) is a 404 instead of a page at a wrong address.
        """
        if queryset is None:
            queryset = self.get_queryset()
        pk = self.kwargs.get(self.pk_url_kwarg)
        slug = self.kwargs.get(self.slug_url_kwarg)
        if pk is None and slug is None:
            raise AttributeError(
                f"Generic detail view {type(self).__name__} must be called with either an object pk or a slug "
                f"in the URLconf."
            )
        if pk is not None:
            queryset = queryset.filter(pk=pk)
        if slug is not None and (pk is None or self.query_pk_and_slug):
            queryset = queryset.filter(**{self.get_slug_field(): slug})
        try:
            return queryset.get()
        except queryset.model.DoesNotExist:
            raise Http404(f"No {queryset.model._meta.verbose_name} found matching the query") from None

    def get_queryset(self):
        """Where ``get_object`` looks: a copy of ``queryset`` (no rows kept between requests), or ``model``'s."""
        if self.queryset is not None:
            return self.queryset.all()
        if self.model:
            return self.model._default_manager.all()
        name = type(self).__name__
        raise ImproperlyConfigured(
            f"{name} is missing a QuerySet. Define {name}.model, {name}.queryset, or override {name}.get_queryset()."
        )

    def get_slug_field(self) -> str:
        """The name of the model field a slug from the URL is compared with (``slug_field``)."""
        return self.slug_field

    def get_context_object_name(self, obj) -> str | None:
        """The second name the object goes by in the context: ``context_object_name``, else its model's name."""
        if self.context_object_name:
            return self.context_object_name
        if isinstance(obj, models.Model):
            return obj._meta.model_name
        return None

    def get_context_data(self, **kwargs) -> dict:
        """The template's context: the object as ``object`` and under ``get_context_object_name``, then ``kwargs``."""
        context = {}
        if self.object:
            context["object"] = self.object
            context_object_name = self.get_context_object_name(self.object)
            if context_object_name:
                context[context_object_name] = self.object
        context.update(kwargs)
        return super().get_context_data(**context)


class BaseDetailView(SingleObjectMixin, View):
    """One object answered to GET; a response mixin (or ``render_to_response``) decides how it is shown."""

    def get(self, request, *args, **kwargs):
        """Find the object (``self.object``; a 404 if there is none) and render it."""
        self.object = self.get_object()
        context = self.get_context_data(object=self.object)
        return self.render_to_response(context)


class SingleObjectTemplateResponseMixin(TemplateResponseMixin):
    """Renders one object: ``template_name``, else its ``template_name_field``, else ``<app>/<model>_detail.html``."""

    template_name_field = None
    template_name_suffix = "_detail"

    def get_template_names(self) -> list[str]:
        """``[template_name]`` when it is set; otherwise the names guessed from the object, most specific first."""
        try:
            return super().get_template_names()
        except ImproperlyConfigured:
            pass
        names = []
        # An object may name its own template in one of its fields (a page
        # with a "layout" column, say): that is the most specific choice.
        if self.object and self.template_name_field:
            name = getattr(self.object, self.template_name_field, None)
            if name:
                names.append(name)
        if isinstance(self.object, models.Model):
            options = self.object._meta
        elif getattr(self, "model", None) is not None and issubclass(self.model, models.Model):
            options = self.model._meta
        else:
            options = None
        if options is not None:
            names.append(f"{options.app_label}/{options.model_name}{self.template_name_suffix}.html")
        if not names:
            raise ImproperlyConfigured(
                "SingleObjectTemplateResponseMixin requires a definition of 'template_name', "
                "'template_name_field', or 'model'; or an implementation of 'get_template_names()'."
            )
        return names


class DetailView(SingleObjectTemplateResponseMixin, BaseDetailView):
    """A page showing one object: ``DetailView.as_view(model=Book)`` on a URL with ``<pk>`` or ``<slug>``.

    The context has ``object`` and ``<model_name>`` (``book``); the template
    is ``template_name`` or ``<app_label>/<model_name>_detail.html``.
    """
