"""The editing views: a page with a form that is shown on GET and handled on POST.

How it works: ``ProcessFormView`` answers GET with the page and an unbound
form, and POST with a form bound to the submitted data (``get_form``, which
takes its arguments from ``get_form_kwargs``: ``initial``, ``prefix``, and
``request.POST``/``request.FILES``). ``is_valid()`` decides what follows:
``form_valid`` redirects to ``get_success_url()`` (post/redirect/get: a
reload of the next page cannot submit the form twice), ``form_invalid``
renders the same page again, the form in its context with its errors and the
visitor's values. ``FormMixin`` holds those steps, each a method a subclass
overrides to change one decision.

The model views add one object (``SingleObjectMixin`` of chapter 07):
``CreateView`` starts with none, ``UpdateView`` finds it from the URL; their
form is a ModelForm (``form_class``, or one made by ``modelform_factory``
from ``model`` and ``fields``) bound to the object, and ``form_valid``
saves it before redirecting. ``DeleteView`` shows a confirmation page on GET
and deletes the object on POST, through a form with no fields, so a
subclass may add one (a "type the name to confirm" field). Templates are
``<app_label>/<model_name>_form.html`` and ``_confirm_delete.html``.

    >>> from tinyframe import forms
    >>> from tinyframe.test import RequestFactory
    >>> class ContactForm(forms.Form):
    ...     email = forms.EmailField()
    >>> class Contact(FormView):
    ...     form_class = ContactForm
    ...     success_url = "/thanks/"
    >>> view = Contact.as_view(template_name="contact.html")
    >>> view(RequestFactory().post("/", {"email": "ada@example.com"}))["Location"]
    '/thanks/'
    >>> view(RequestFactory().post("/", {"email": "nope"})).context_data["form"].errors["email"]
    ['Enter a valid email address.']
"""

from tinyframe.core.exceptions import ImproperlyConfigured
from tinyframe.forms import Form
from tinyframe.forms import models as model_forms
from tinyframe.http import HttpResponseRedirect
from tinyframe.views.generic.base import ContextMixin, TemplateResponseMixin, View
from tinyframe.views.generic.detail import BaseDetailView, SingleObjectMixin, SingleObjectTemplateResponseMixin

__all__ = [
    "BaseCreateView",
    "BaseDeleteView",
    "BaseFormView",
    "BaseUpdateView",
    "CreateView",
    "DeleteView",
    "DeletionMixin",
    "FormMixin",
    "FormView",
    "ModelFormMixin",
    "ProcessFormView",
    "UpdateView",
]


class FormMixin(ContextMixin):
    """The steps of handling a form, one method each: make it, then act on a valid or an invalid one."""

    initial = {}
    form_class = None
    success_url = None
    prefix = None

    def get_initial(self) -> dict:
        """The form's initial values: a copy of ``initial``, so that a view may add to it per request."""
        return self.initial.copy()

    def get_prefix(self) -> str | None:
        """The form's ``prefix`` (for two forms in one page): ``prefix``."""
        return self.prefix

    def get_form_class(self):
        """The class of the form this view shows: ``form_class``."""
        return self.form_class

    def get_form(self, form_class=None):
        """A new form of ``form_class`` (by default ``get_form_class()``), made with ``get_form_kwargs()``."""
        if form_class is None:
            form_class = self.get_form_class()
        return form_class(**self.get_form_kwargs())

    def get_form_kwargs(self) -> dict:
        """The form's arguments: ``initial`` and ``prefix``; on POST or PUT also the submitted ``data`` and ``files``.

        On GET the form is unbound: it shows its initial values and no errors.
        """
        kwargs = {"initial": self.get_initial(), "prefix": self.get_prefix()}
        if self.request.method in ("POST", "PUT"):
            kwargs["data"] = self.request.POST
            kwargs["files"] = self.request.FILES
        return kwargs

    def get_success_url(self) -> str:
        """Where a valid form sends the visitor: ``success_url`` (which may be a ``reverse_lazy``)."""
        if not self.success_url:
            raise ImproperlyConfigured("No URL to redirect to. Provide a success_url.")
        return str(self.success_url)

    def form_valid(self, form):
        """The form is valid: redirect to ``get_success_url()``. Subclasses act on ``form.cleaned_data`` first."""
        return HttpResponseRedirect(self.get_success_url())

    def form_invalid(self, form):
        """The form is not valid: show the page again, with this form, its errors and the visitor's values."""
        return self.render_to_response(self.get_context_data(form=form))

    def get_context_data(self, **kwargs) -> dict:
        """The template's context, with ``form``: the one given, else a new one (``get_form()``)."""
        if "form" not in kwargs:
            kwargs["form"] = self.get_form()
        return super().get_context_data(**kwargs)


class ModelFormMixin(FormMixin, SingleObjectMixin):
    """A form about one model object: a ModelForm bound to ``self.object``, saved when valid."""

    fields = None

    def get_form_class(self):
        """``form_class``, or a ModelForm of the view's model with ``fields``, made by ``modelform_factory``.

        The model is ``model``, else the class of ``self.object``, else the
        queryset's model. A form with every field of the model would let a
        visitor set fields the page does not show, so ``fields`` is required,
        as in Django (``fields = "__all__"`` says so on purpose).
        """
        if self.fields is not None and self.form_class:
            raise ImproperlyConfigured("Specifying both 'fields' and 'form_class' is not permitted.")
        if self.form_class:
            return self.form_class
        if self.model is not None:
            model = self.model
        elif getattr(self, "object", None) is not None:
            model = type(self.object)
        else:
            model = self.get_queryset().model
        if self.fields is None:
            raise ImproperlyConfigured(
                f"Using ModelFormMixin (base class of {type(self).__name__}) without the 'fields' attribute "
                f"is prohibited."
            )
        return model_forms.modelform_factory(model, fields=self.fields)

    def get_form_kwargs(self) -> dict:
        """FormMixin's arguments, and ``instance``: the object to edit (None: a new one)."""
        kwargs = super().get_form_kwargs()
        if hasattr(self, "object"):
            kwargs["instance"] = self.object
        return kwargs

    def get_success_url(self) -> str:
        """``success_url`` filled in from the saved object (``"/posts/{slug}/"``), else its ``get_absolute_url()``."""
        if self.success_url:
            # The object's __dict__ holds its field values by attname: {id}, {title}, {author_id}.
            return str(self.success_url).format(**self.object.__dict__)
        try:
            return self.object.get_absolute_url()
        except AttributeError:
            # Django's message, two spaces and all.
            raise ImproperlyConfigured(
                "No URL to redirect to.  Either provide a url or define a get_absolute_url method on the Model."
            ) from None

    def form_valid(self, form):
        """Save the object (``self.object = form.save()``), then redirect."""
        self.object = form.save()
        return super().form_valid(form)


class ProcessFormView(View):
    """GET shows the form; POST (or PUT) binds it to the data and calls ``form_valid`` or ``form_invalid``."""

    def get(self, request, *args, **kwargs):
        """Render the page with an unbound form."""
        return self.render_to_response(self.get_context_data())

    def post(self, request, *args, **kwargs):
        """Bind the form to the submitted data and act on whether it is valid."""
        form = self.get_form()
        if form.is_valid():
            return self.form_valid(form)
        return self.form_invalid(form)

    def put(self, *args, **kwargs):
        """PUT is handled as POST (browsers' forms only send GET and POST; scripts may send PUT)."""
        return self.post(*args, **kwargs)


class BaseFormView(FormMixin, ProcessFormView):
    """A form view without a way to render: a response mixin, or ``render_to_response``, is the subclass's."""


class FormView(TemplateResponseMixin, BaseFormView):
    """A page with a form: ``FormView.as_view(form_class=ContactForm, template_name=..., success_url=...)``.

    The template gets ``form`` and ``view``. Override ``form_valid`` to act
    on ``form.cleaned_data`` (send the message), then return
    ``super().form_valid(form)`` for the redirect.
    """


class BaseCreateView(ModelFormMixin, ProcessFormView):
    """A form that creates an object: there is none to start with (``self.object = None``)."""

    def get(self, request, *args, **kwargs):
        self.object = None
        return super().get(request, *args, **kwargs)

    def post(self, request, *args, **kwargs):
        self.object = None
        return super().post(request, *args, **kwargs)


class CreateView(SingleObjectTemplateResponseMixin, BaseCreateView):
    """A page with a form for a new object: ``CreateView.as_view(model=Post, fields=["title", "body"])``.

    The template is ``<app_label>/<model_name>_form.html``; a valid form saves
    the object and redirects to ``success_url`` or its ``get_absolute_url()``.
    """

    template_name_suffix = "_form"


class BaseUpdateView(ModelFormMixin, ProcessFormView):
    """A form that edits an object: the one the URL names (``get_object()``, a 404 when there is none)."""

    def get(self, request, *args, **kwargs):
        self.object = self.get_object()
        return super().get(request, *args, **kwargs)

    def post(self, request, *args, **kwargs):
        self.object = self.get_object()
        return super().post(request, *args, **kwargs)


class UpdateView(SingleObjectTemplateResponseMixin, BaseUpdateView):
    """A page with a form that edits the object its URL names: ``UpdateView.as_view(model=Post, fields=[...])``.

    The template is ``<app_label>/<model_name>_form.html``, with ``form``,
    ``object`` and ``<model_name>`` in its context.
    """

    template_name_suffix = "_form"


class DeletionMixin:
    """Delete the object on DELETE (and POST), then redirect to ``success_url``."""

    success_url = None

    def delete(self, request, *args, **kwargs):
        """Find the object, work out where to go (the URL may use its fields), delete it, redirect."""
        self.object = self.get_object()
        success_url = self.get_success_url()
        self.object.delete()
        return HttpResponseRedirect(success_url)

    def post(self, request, *args, **kwargs):
        """Browsers' forms cannot send DELETE: POST does the same."""
        return self.delete(request, *args, **kwargs)

    def get_success_url(self) -> str:
        """``success_url``, filled in from the object's fields before it goes (``"/authors/{author_id}/"``)."""
        if self.success_url:
            return str(self.success_url).format(**self.object.__dict__)
        raise ImproperlyConfigured("No URL to redirect to. Provide a success_url.")


class BaseDeleteView(DeletionMixin, FormMixin, BaseDetailView):
    """GET shows the object to confirm; POST validates a form (``form_class``, no fields) and deletes.

    Since Django 4.0 the deletion goes through ``form_valid``, like every
    other editing view, so a subclass can ask for a confirmation field or
    act before the object goes. DELETE (DeletionMixin's) still deletes
    without a form.
    """

    form_class = Form

    def post(self, request, *args, **kwargs):
        # ProcessFormView.post, with the object found first: get_form and the
        # context need it, and DeletionMixin comes first in the bases so that
        # its get_success_url wins; super() would lead to its post instead.
        self.object = self.get_object()
        form = self.get_form()
        if form.is_valid():
            return self.form_valid(form)
        return self.form_invalid(form)

    def form_valid(self, form):
        """Delete the object and redirect to ``success_url``, worked out while the object still exists."""
        success_url = self.get_success_url()
        self.object.delete()
        return HttpResponseRedirect(success_url)


class DeleteView(SingleObjectTemplateResponseMixin, BaseDeleteView):
    """A page that asks "Delete this?" on GET and deletes on POST: ``DeleteView.as_view(model=Post, success_url=...)``.

    The template is ``<app_label>/<model_name>_confirm_delete.html``, with
    ``object``, ``<model_name>`` and ``form`` in its context.
    """

    template_name_suffix = "_confirm_delete"
