"""Forms: declared fields, bound to submitted data, cleaned in Django's order, rendered.

How it works, in the order a request meets it:

1. **Declare.** ``class CommentForm(Form): name = CharField()`` runs
   ``DeclarativeFieldsMetaclass``: it takes the ``Field`` attributes off the
   class, in the order they were written, into ``declared_fields`` (a parent
   form's fields first), and ``base_fields`` is that dict.
2. **Bind.** ``CommentForm(request.POST)`` is *bound*; ``CommentForm()`` is
   not, and only shows its ``initial`` values. Each instance deep-copies
   ``base_fields`` into ``fields``, so a view may change one form's fields
   without touching the class. ``form["name"]`` is a ``BoundField``
   (``boundfield.py``): the field, its name with the ``prefix``, its data and
   its initial value, made once per form and kept.
3. **Clean.** ``is_valid()`` reads ``errors``, which runs ``full_clean()``
   once: ``_clean_fields`` gives each field, in order, its value from its
   widget (``widget.value_from_datadict``), calls ``field.clean`` (to_python →
   validate → validators) and then the form's ``clean_<name>()``, whose return
   value replaces the cleaned one; ``_clean_form`` calls ``clean()`` for the
   checks that involve several fields; ``_post_clean`` is the hook ModelForm
   uses to validate the model instance. Every ``ValidationError`` goes through
   ``add_error``, into ``errors`` (an ``ErrorDict`` of ``ErrorList``), and a
   field with an error leaves ``cleaned_data``.
4. **Render.** ``str(form)`` is ``as_div()``: the renderer
   (``renderers.py``) renders ``div.html`` with ``get_context()`` — the
   visible fields with their errors, the hidden ones, the errors of the form
   — and each field renders its label, help text, errors and widget through
   its own templates. Everything a user submitted is escaped on the way out.

Why this order: each step gets the values the one before produced. A
``clean_<name>`` method sees a Python value (an ``int``, a ``date``), never
raw text, and ``clean()`` sees every field that survived, so a check across
fields never has to parse anything. Nothing stops at the first error: every
field is cleaned, so a user who sent a form with three mistakes is told all
three at once. And validation is lazy — it runs when ``errors`` is first
read, once — so a view that only renders an unbound form pays nothing.

>>> from tinyframe.forms.fields import CharField, IntegerField
>>> class CommentForm(Form):
...     name = CharField(max_length=20)
...     stars = IntegerField(min_value=1, max_value=5)
>>> form = CommentForm({"name": "  Ada  ", "stars": "9"})
>>> form.is_valid()
False
>>> form.cleaned_data, form.errors.as_data()["stars"][0].code
({'name': 'Ada'}, 'max_value')
>>> print(form["name"])
<input type="text" name="name" value="  Ada  " maxlength="20" required id="id_name">
"""

import copy
import datetime
import functools

from tinyframe.core.exceptions import NON_FIELD_ERRORS, ValidationError
from tinyframe.forms.fields import Field, FileField
from tinyframe.forms.media import Media, MediaDefiningClass
from tinyframe.forms.renderers import get_default_renderer
from tinyframe.forms.utils import ErrorDict, ErrorList, RenderableFormMixin
from tinyframe.utils.datastructures import MultiValueDict
from tinyframe.utils.suggestions import suggest

__all__ = ["BaseForm", "Form"]


class DeclarativeFieldsMetaclass(MediaDefiningClass):
    """Collects the ``Field`` attributes of a form class, and of its parents, into ``declared_fields``.

    It is a ``MediaDefiningClass``, as in Django: an inner ``class Media`` on a
    form adds its CSS and JavaScript to the widgets' (``form.media``).
    """

    def __new__(mcs, name, bases, attrs):
        """Exercise 09.1: make the form class, with its declared fields collected.

        1. Take every attribute of ``attrs`` that is a ``Field`` out of
           ``attrs`` (so the class has no attribute of that name), keeping the
           order they were written in, into a dict stored in
           ``attrs["declared_fields"]``.
        2. Make the class: ``super().__new__(mcs, name, bases, attrs)``.
        3. Walk the new class's ``__mro__`` from the most basic class to the
           class itself. For each class, add its ``declared_fields`` (if it
           has any) to one dict; then, for each name the class's own
           ``__dict__`` sets to ``None``, drop that name from the dict: a
           subclass removes an inherited field by writing ``name = None``.
        4. Set that dict as both ``base_fields`` and ``declared_fields`` of
           the new class, and return it.
        """
        attrs["declared_fields"] = {
            key: attrs.pop(key) for key, value in list(attrs.items()) if isinstance(value, Field)
        }
        new_class = super().__new__(mcs, name, bases, attrs)

        declared_fields = {}
        for base in reversed(new_class.__mro__):
            declared_fields.update(getattr(base, "declared_fields", {}))
            for attribute, value in base.__dict__.items():
                if value is None and attribute in declared_fields:
                    del declared_fields[attribute]

        new_class.base_fields = declared_fields
        new_class.declared_fields = declared_fields
        return new_class


class BaseForm(RenderableFormMixin):
    """Everything a form does; ``Form`` adds only the declarative syntax.

    A form made another way (``BaseForm`` with ``base_fields`` set, as
    formsets and ``modelform_factory`` may do) behaves the same.
    """

    default_renderer = None
    field_order = None
    prefix = None
    use_required_attribute = True

    template_name_div = "tinyframe/forms/div.html"
    template_name_p = "tinyframe/forms/p.html"
    template_name_table = "tinyframe/forms/table.html"
    template_name_ul = "tinyframe/forms/ul.html"
    template_name_label = "tinyframe/forms/label.html"

    bound_field_class = None

    def __init__(
        self,
        data=None,
        files=None,
        auto_id="id_%s",
        prefix=None,
        initial=None,
        error_class=ErrorList,
        label_suffix=None,
        empty_permitted=False,
        field_order=None,
        use_required_attribute=None,
        renderer=None,
        bound_field_class=None,
    ):
        self.is_bound = data is not None or files is not None
        self.data = MultiValueDict() if data is None else data
        self.files = MultiValueDict() if files is None else files
        self.auto_id = auto_id
        if prefix is not None:
            self.prefix = prefix
        self.initial = initial or {}
        self.error_class = error_class
        self.label_suffix = label_suffix if label_suffix is not None else ":"
        self.empty_permitted = empty_permitted
        self._errors = None  # None until full_clean() has run

        # base_fields belongs to the class; each form changes its own copy.
        self.fields = copy.deepcopy(self.base_fields)
        self._bound_fields_cache = {}
        self.order_fields(self.field_order if field_order is None else field_order)

        if use_required_attribute is not None:
            self.use_required_attribute = use_required_attribute
        if self.empty_permitted and self.use_required_attribute:
            # A browser would refuse to submit the empty form the form permits.
            raise ValueError("The empty_permitted and use_required_attribute arguments may not both be True.")

        if renderer is None:
            renderer = self.default_renderer
            if renderer is None:
                renderer = get_default_renderer()
            elif isinstance(renderer, type):
                renderer = renderer()
        self.renderer = renderer
        self.bound_field_class = (
            bound_field_class or self.bound_field_class or getattr(self.renderer, "bound_field_class", None)
        )

    def order_fields(self, field_order) -> None:
        """Put the fields named in ``field_order`` first, in that order, the rest after as they were.

        Unknown names are ignored, so a subclass may remove a field without
        repeating the order; ``None`` keeps the declared order.
        """
        if field_order is None:
            return
        fields = {}
        for name in field_order:
            if name in self.fields:
                fields[name] = self.fields.pop(name)
        fields.update(self.fields)
        self.fields = fields

    def __repr__(self):
        if self._errors is None:
            is_valid = "Unknown"
        else:
            is_valid = self.is_bound and not self._errors
        fields = ";".join(self.fields)
        return f"<{type(self).__name__} bound={self.is_bound}, valid={is_valid}, fields=({fields})>"

    def _bound_items(self):
        """``(name, bound_field)`` for each field, in order."""
        for name in self.fields:
            yield name, self[name]

    def __iter__(self):
        """The form's ``BoundField`` objects, in order (``{% for field in form %}``)."""
        for name in self.fields:
            yield self[name]

    def __getitem__(self, name: str):
        """The ``BoundField`` of field ``name``, made once and kept."""
        try:
            field = self.fields[name]
        except KeyError:
            error = KeyError(
                f"Key '{name}' not found in '{type(self).__name__}'. Choices are: {', '.join(sorted(self.fields))}."
            )
            suggest(error, name, self.fields)
            raise error from None
        if name not in self._bound_fields_cache:
            self._bound_fields_cache[name] = field.get_bound_field(self, name)
        return self._bound_fields_cache[name]

    @property
    def errors(self) -> ErrorDict:
        """The form's errors, field name → ``ErrorList``; validates the form the first time it is read."""
        if self._errors is None:
            self.full_clean()
        return self._errors

    def is_valid(self) -> bool:
        """True for a bound form without errors (an unbound form is never valid)."""
        return self.is_bound and not self.errors

    def add_prefix(self, field_name: str) -> str:
        """The name a field has in the submitted data: ``prefix-name`` when the form has a prefix.

        Prefixes let several forms share one ``<form>`` (formsets number them).
        """
        return f"{self.prefix}-{field_name}" if self.prefix else field_name

    def add_initial_prefix(self, field_name: str) -> str:
        """The name of a field's hidden initial value (``show_hidden_initial``)."""
        return f"initial-{self.add_prefix(field_name)}"

    def _widget_data_value(self, widget, html_name: str):
        # Each widget knows how its value was sent: a checkbox not at all when
        # unchecked, a multiple select as a list, a split widget as two names.
        return widget.value_from_datadict(self.data, self.files, html_name)

    @property
    def template_name(self) -> str:
        """The template ``render()`` and ``str(form)`` use: the renderer's choice, ``div.html`` by default."""
        return self.renderer.form_template_name

    def get_context(self) -> dict:
        """What the form templates get: the form, visible fields with their errors, hidden fields, top errors.

        A hidden field cannot show its own errors, so they join the form's
        errors, each saying which field it came from.
        """
        fields = []
        hidden_fields = []
        top_errors = self.non_field_errors().copy()
        for name, bound_field in self._bound_items():
            errors = bound_field.errors
            if bound_field.is_hidden:
                if errors:
                    top_errors += [f"(Hidden field {name}) {error}" for error in errors]
                hidden_fields.append(bound_field)
            else:
                fields.append((bound_field, errors))
        return {"form": self, "fields": fields, "hidden_fields": hidden_fields, "errors": top_errors}

    def non_field_errors(self) -> ErrorList:
        """The errors of the form as a whole (from ``clean()``), an empty ``nonfield`` list if none."""
        return self.errors.get(NON_FIELD_ERRORS, self.error_class(error_class="nonfield", renderer=self.renderer))

    def add_error(self, field, error) -> None:
        """Record ``error`` for ``field`` (``None``: the whole form), and take the field out of ``cleaned_data``.

        ``error`` is whatever ``ValidationError`` accepts: a message, a list,
        a dict of field → messages (then ``field`` must be ``None``), or a
        ``ValidationError`` of any of those shapes.
        """
        if not isinstance(error, ValidationError):
            error = ValidationError(error)
        if hasattr(error, "error_dict"):
            if field is not None:
                raise TypeError(
                    "The argument `field` must be `None` when the `error` argument contains errors for "
                    "multiple fields."
                )
            errors_by_field = error.error_dict
        else:
            errors_by_field = {field or NON_FIELD_ERRORS: error.error_list}

        for field, error_list in errors_by_field.items():
            if field not in self.errors:
                if field == NON_FIELD_ERRORS:
                    self._errors[field] = self.error_class(error_class="nonfield", renderer=self.renderer)
                elif field in self.fields:
                    self._errors[field] = self.error_class(renderer=self.renderer, field_id=self[field].auto_id)
                else:
                    value_error = ValueError(f"'{type(self).__name__}' has no field named '{field}'.")
                    suggest(value_error, field, self.fields)
                    raise value_error
            self._errors[field].extend(error_list)
            self.cleaned_data.pop(field, None)

    def has_error(self, field, code=None) -> bool:
        """Whether ``field`` (``NON_FIELD_ERRORS`` for the form's own) has an error, of ``code`` if given."""
        return field in self.errors and (
            code is None or any(error.code == code for error in self.errors.as_data()[field])
        )

    def full_clean(self) -> None:
        """Validate the bound data: fill ``errors`` and ``cleaned_data``.

        An unbound form gets empty errors and no ``cleaned_data``. A form
        allowed to stay empty (``empty_permitted``, an extra form of a
        formset) that nobody filled in is not validated at all.
        """
        self._errors = ErrorDict(renderer=self.renderer)
        if not self.is_bound:
            return
        self.cleaned_data = {}
        if self.empty_permitted and not self.has_changed():
            return
        self._clean_fields()
        self._clean_form()
        self._post_clean()

    def _clean_fields(self) -> None:
        """Exercise 09.4: clean each field in order, then the form's ``clean_<name>()`` for it.

        For each ``(name, bound_field)`` of ``self._bound_items()``:

        1. The raw value: ``bound_field.data`` (what the widget reads from
           the submitted data), or ``bound_field.initial`` when the field is
           ``disabled`` (a disabled input is not submitted, and must not be
           changeable by forging the data).
        2. ``field.clean(value)`` — except a ``FileField``, which needs to
           know the initial file too: ``field.clean(value, bound_field.initial)``.
           Store the result in ``self.cleaned_data[name]``.
        3. If the form has a method ``clean_<name>``, call it (no arguments:
           it reads ``self.cleaned_data``) and store what it returns in
           ``self.cleaned_data[name]`` instead.
        4. A ``ValidationError`` from steps 2 or 3 goes to
           ``self.add_error(name, error)``, and cleaning goes on with the next field.
        """
        for name, bound_field in self._bound_items():
            field = bound_field.field
            value = bound_field.initial if field.disabled else bound_field.data
            try:
                if isinstance(field, FileField):
                    self.cleaned_data[name] = field.clean(value, bound_field.initial)
                else:
                    self.cleaned_data[name] = field.clean(value)
                clean_method = getattr(self, f"clean_{name}", None)
                if clean_method is not None:
                    self.cleaned_data[name] = clean_method()
            except ValidationError as error:
                self.add_error(name, error)

    def _clean_form(self) -> None:
        """Run ``clean()``; its error belongs to the form; a dict it returns replaces ``cleaned_data``."""
        try:
            cleaned_data = self.clean()
        except ValidationError as error:
            self.add_error(None, error)
        else:
            if cleaned_data is not None:
                self.cleaned_data = cleaned_data

    def _post_clean(self) -> None:
        """A hook after the form's own cleaning (ModelForm validates its instance here)."""

    def clean(self):
        """Checks that involve several fields: override, read ``self.cleaned_data``, raise ``ValidationError``.

        An error raised here is the form's own (``non_field_errors``); use
        ``add_error(name, message)`` to pin one on a field.
        """
        return self.cleaned_data

    def has_changed(self) -> bool:
        """Whether any field's data differs from its initial value."""
        return bool(self.changed_data)

    @functools.cached_property
    def changed_data(self) -> list:
        """The names of the fields whose data differs from their initial value."""
        return [name for name, bound_field in self._bound_items() if bound_field._has_changed()]

    @property
    def media(self) -> Media:
        """The CSS and JavaScript of every field's widget, merged in field order (``{{ form.media }}``)."""
        media = Media()
        for field in self.fields.values():
            media += field.widget.media
        return media

    def is_multipart(self) -> bool:
        """Whether the ``<form>`` needs ``enctype="multipart/form-data"`` (it has a file input)."""
        return any(field.widget.needs_multipart_form for field in self.fields.values())

    def hidden_fields(self) -> list:
        """The ``BoundField`` objects with a hidden widget, for laying a form out by hand."""
        return [bound_field for bound_field in self if bound_field.is_hidden]

    def visible_fields(self) -> list:
        """The ``BoundField`` objects with a visible widget."""
        return [bound_field for bound_field in self if not bound_field.is_hidden]

    def get_initial_for_field(self, field, field_name: str):
        """A field's initial value: the form's ``initial`` first, then the field's; a callable is called.

        A datetime or time made by a callable (``timezone.now``) loses its
        microseconds when the widget cannot show them, so that the value
        rendered and the value compared in ``has_changed`` are the same.
        """
        value = self.initial.get(field_name, field.initial)
        if callable(value):
            value = value()
        if isinstance(value, (datetime.datetime, datetime.time)) and not field.widget.supports_microseconds:
            value = value.replace(microsecond=0)
        return value


class Form(BaseForm, metaclass=DeclarativeFieldsMetaclass):
    """A form whose fields are declared as class attributes."""
