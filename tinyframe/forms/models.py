"""ModelForm: a form derived from a model, whose validation ends in the model's own.

How it works, from class to saved row:

1. **Deriving the fields.** ``class PostForm(ModelForm)`` with ``class Meta:
   model = Post; fields = ["title", "slug"]`` runs ``ModelFormMetaclass``.
   The form's own declared fields are collected first (as for any form);
   then ``ModelFormOptions`` reads ``Meta``, and ``fields_for_model`` asks
   each editable model field, in the model's order, for the form field
   that edits it (``model_field.formfield()``, see
   ``tinyframe.db.models.formfields``: a ``CharField(max_length=200)``
   gives ``forms.CharField(max_length=200)``, ``blank=True`` gives
   ``required=False``, choices a select), passing on ``Meta.widgets``,
   ``labels``, ``help_texts``, ``error_messages``, ``field_classes``. A
   declared field of the same name wins. A name in ``Meta.fields`` the
   model does not have is a ``FieldError``, at class creation, not at the
   first request.
2. **Binding.** ``PostForm(request.POST, instance=post)``: the instance's
   values are the form's ``initial`` (``model_to_dict``); without an
   instance the form edits a new, unsaved ``Post()``.
3. **Validating.** ``is_valid()`` cleans the form as any form does (each
   field, ``clean_<name>``, ``clean``). Then ``_post_clean`` hands over to
   the model: ``construct_instance`` copies ``cleaned_data`` onto the
   instance (in memory only), ``instance.full_clean()`` runs the model's
   field checks and its ``clean()``, and ``validate_unique()`` asks the
   table whether a unique value is taken ("Post with this Slug already
   exists."). The model's errors land on the form field they name, or on
   the form as a whole. Fields the form does not show, and fields that
   already failed in the form, are left out of the model's checks
   (``_get_validation_exclusions``). Nothing is written while validating.
4. **Saving.** ``save()`` saves the instance, then its many-to-many
   relations (which need the row's key); ``save(commit=False)`` returns
   the unsaved instance and leaves ``form.save_m2m()`` to call after the
   caller has saved it.

The choice fields for relations (``ModelChoiceField``,
``ModelMultipleChoiceField``) live in ``model_choices``, model formsets in
``model_formsets``; both are importable from here, as in Django.
"""

from tinyframe.core.exceptions import NON_FIELD_ERRORS, FieldError, ImproperlyConfigured, ValidationError
from tinyframe.db.models import AutoField, Exists, OuterRef, Q
from tinyframe.forms.forms import BaseForm, DeclarativeFieldsMetaclass
from tinyframe.forms.model_choices import (  # noqa: F401 (tinyframe.forms.models.ModelChoiceIterator, as in Django)
    ModelChoiceField, ModelChoiceIterator, ModelChoiceIteratorValue, ModelMultipleChoiceField,
)  # fmt: skip
from tinyframe.forms.utils import ErrorList
from tinyframe.utils.suggestions import suggest

__all__ = [
    "ALL_FIELDS", "BaseModelForm", "ModelChoiceField", "ModelForm", "ModelMultipleChoiceField",
    "fields_for_model", "model_to_dict", "modelform_factory",
]  # fmt: skip

# Meta.fields = "__all__": every editable field of the model.
ALL_FIELDS = "__all__"


def construct_instance(form, instance, fields=None, exclude=None):
    """Copy a bound, cleaned form's values onto model ``instance`` (not saved) and return it.

    Only editable fields the form cleaned are copied, never the automatic
    key. A field with a default that the submitted data left out entirely
    keeps the instance's value (its default), so a form showing a subset of
    a model's fields does not blank the rest; a checkbox is the exception,
    since an unticked box is never sent.
    """
    cleaned_data = form.cleaned_data
    for field in instance._meta.fields:
        if not field.editable or isinstance(field, AutoField) or field.name not in cleaned_data:
            continue
        if fields is not None and field.name not in fields:
            continue
        if exclude and field.name in exclude:
            continue
        form_field = form[field.name].field
        omitted = form_field.widget.value_omitted_from_data(form.data, form.files, form.add_prefix(field.name))
        if field.has_default() and omitted and cleaned_data.get(field.name) in form_field.empty_values:
            continue
        field.save_form_data(instance, cleaned_data[field.name])
    return instance


def model_to_dict(instance, fields=None, exclude=None) -> dict:
    """The editable values of ``instance`` by field name: a ModelForm's ``initial``.

    ``fields`` keeps only the names it lists; ``exclude`` drops names even if
    ``fields`` lists them. A many-to-many relation gives its related objects.
    """
    opts = instance._meta
    data = {}
    for field in [*opts.concrete_fields, *opts.many_to_many]:
        if not getattr(field, "editable", False):
            continue
        if fields is not None and field.name not in fields:
            continue
        if exclude and field.name in exclude:
            continue
        data[field.name] = field.value_from_object(instance)
    return data


def apply_limit_choices_to_to_formfield(formfield) -> None:
    """Narrow a relation's choice field to the rows its ``limit_choices_to`` allows.

    Filtered through ``Exists`` on the key rather than directly, so a limit
    that joins other tables cannot list one row twice.
    """
    if not (hasattr(formfield, "queryset") and hasattr(formfield, "get_limit_choices_to")):
        return
    limit_choices_to = formfield.get_limit_choices_to()
    if not limit_choices_to:
        return
    condition = limit_choices_to if isinstance(limit_choices_to, Q) else Q(**limit_choices_to)
    condition &= Q(pk=OuterRef("pk"))
    model = formfield.queryset.model
    formfield.queryset = formfield.queryset.filter(Exists(model._base_manager.filter(condition)))


def fields_for_model(
    model,
    fields=None,
    exclude=None,
    widgets=None,
    formfield_callback=None,
    localized_fields=None,
    labels=None,
    help_texts=None,
    error_messages=None,
    field_classes=None,
    *,
    apply_limit_choices_to=True,
    form_declared_fields=None,
) -> dict:
    """Exercise 09.6: the form fields for ``model``'s fields, as a dict by name.

    1. Walk the model's fields in declaration order: ``model._meta.concrete_fields``
       and ``model._meta.many_to_many`` together, sorted (model fields sort by
       creation order, so a many-to-many field keeps its place).
    2. A field that is not ``editable`` is skipped, except when ``fields``
       names it (and ``exclude`` does not): then raise
       ``FieldError("'<name>' cannot be specified for <Model> model form as it is a non-editable field")``
       (``<Model>`` is ``model.__name__``).
    3. Skip the fields ``fields`` (when given) does not name, and those
       ``exclude`` (when given) names.
    4. A name in ``form_declared_fields`` (a dict) takes that field as it
       is, without asking the model.
    5. Otherwise build the keyword arguments for this field: ``widget`` from
       ``widgets``, ``label`` from ``labels``, ``help_text`` from
       ``help_texts``, ``error_messages`` from ``error_messages``,
       ``form_class`` from ``field_classes`` (each a dict by field name, used
       only when it has the name), and ``localize=True`` when
       ``localized_fields`` is ``"__all__"`` or lists the name.
    6. The form field is ``field.formfield(**kwargs)``, or
       ``formfield_callback(field, **kwargs)`` when a callback is given; a
       callback that is not callable is
       ``TypeError("formfield_callback must be a function or callable")``.
    7. A form field of None (an automatic key) leaves the name out; else,
       when ``apply_limit_choices_to``, call
       ``apply_limit_choices_to_to_formfield(formfield)`` and keep it.
    8. When ``fields`` was given, return the dict in the order of ``fields``:
       every name it lists that ``exclude`` does not and that was not left
       out in 7, with None for a name the model does not have (the caller,
       ``ModelFormMetaclass``, reports those).
    """
    form_declared_fields = form_declared_fields or {}
    opts = model._meta
    field_dict = {}
    ignored = []
    for model_field in sorted([*opts.concrete_fields, *opts.many_to_many]):
        name = model_field.name
        if not getattr(model_field, "editable", False):
            if fields is not None and name in fields and (exclude is None or name not in exclude):
                raise FieldError(
                    f"'{name}' cannot be specified for {model.__name__} model form as it is a non-editable field"
                )
            continue
        if fields is not None and name not in fields:
            continue
        if exclude and name in exclude:
            continue
        if name in form_declared_fields:
            field_dict[name] = form_declared_fields[name]
            continue
        kwargs = {}
        for option, argument in ((widgets, "widget"), (labels, "label"), (help_texts, "help_text"),
                                 (error_messages, "error_messages"), (field_classes, "form_class")):  # fmt: skip
            if option and name in option:
                kwargs[argument] = option[name]
        if localized_fields == ALL_FIELDS or (localized_fields and name in localized_fields):
            kwargs["localize"] = True
        if formfield_callback is None:
            formfield = model_field.formfield(**kwargs)
        elif not callable(formfield_callback):
            raise TypeError("formfield_callback must be a function or callable")
        else:
            formfield = formfield_callback(model_field, **kwargs)
        if formfield is None:
            ignored.append(name)
            continue
        if apply_limit_choices_to:
            apply_limit_choices_to_to_formfield(formfield)
        field_dict[name] = formfield
    if fields:
        wanted = [name for name in fields if (not exclude or name not in exclude) and name not in ignored]
        field_dict = {name: field_dict.get(name) for name in wanted}
    return field_dict


def inline_foreign_key_field():
    """``InlineForeignKeyField``: an inline formset's key to its parent (``model_formsets``, a layer above)."""
    from tinyframe.forms.model_formsets import InlineForeignKeyField

    return InlineForeignKeyField


class ModelFormOptions:
    """A ModelForm's ``Meta``, read once: the model, which fields, and how to build them."""

    def __init__(self, options=None):
        self.model = getattr(options, "model", None)
        self.fields = getattr(options, "fields", None)
        self.exclude = getattr(options, "exclude", None)
        self.widgets = getattr(options, "widgets", None)
        self.localized_fields = getattr(options, "localized_fields", None)
        self.labels = getattr(options, "labels", None)
        self.help_texts = getattr(options, "help_texts", None)
        self.error_messages = getattr(options, "error_messages", None)
        self.field_classes = getattr(options, "field_classes", None)
        self.formfield_callback = getattr(options, "formfield_callback", None)


class ModelFormMetaclass(DeclarativeFieldsMetaclass):
    """Builds a ModelForm class's ``base_fields`` from its model, checking ``Meta`` on the way."""

    def __new__(mcs, name, bases, attrs):
        new_class = super().__new__(mcs, name, bases, attrs)
        if bases == (BaseModelForm,):
            return new_class  # ModelForm itself: no Meta to read
        opts = new_class._meta = ModelFormOptions(getattr(new_class, "Meta", None))
        for option in ("fields", "exclude", "localized_fields"):
            value = getattr(opts, option)
            # ("title") is a string, not a tuple: a classic slip.
            if isinstance(value, str) and value != ALL_FIELDS:
                raise TypeError(
                    f"{new_class.__name__}.Meta.{option} cannot be a string. Did you mean to type: ('{value}',)?"
                )
        if opts.model is None:
            new_class.base_fields = new_class.declared_fields
            return new_class
        if opts.fields is None and opts.exclude is None:
            # Showing every field unless told otherwise would publish any field added later.
            raise ImproperlyConfigured(
                "Creating a ModelForm without either the 'fields' attribute or the 'exclude' attribute is "
                f"prohibited; form {name} needs updating."
            )
        if opts.fields == ALL_FIELDS:
            opts.fields = None
        fields = fields_for_model(
            opts.model, opts.fields, opts.exclude, opts.widgets, opts.formfield_callback, opts.localized_fields,
            opts.labels, opts.help_texts, opts.error_messages, opts.field_classes,
            # Applied to each form instance instead: a callable limit may change between requests.
            apply_limit_choices_to=False,
            form_declared_fields=new_class.declared_fields,
        )  # fmt: skip
        missing = [field_name for field_name, field in fields.items() if not field]
        missing = [field_name for field_name in missing if field_name not in new_class.declared_fields]
        if missing:
            raise unknown_fields_error(opts.model, missing)
        fields.update(new_class.declared_fields)
        new_class.base_fields = fields
        return new_class


def unknown_fields_error(model, names) -> FieldError:
    """Django's FieldError for names the model does not have, with the names it does have.

    The choices are the fields a form can show (editable, not the automatic
    key), and a close one is suggested for a typo.
    """
    opts = model._meta
    choices = [
        field.name for field in sorted([*opts.concrete_fields, *opts.many_to_many])
        if field.editable and not isinstance(field, AutoField)
    ]  # fmt: skip
    error = FieldError(
        f"Unknown field(s) ({', '.join(names)}) specified for {model.__name__}. Choices are: {', '.join(choices)}"
    )
    suggest(error, names[0], choices)
    return error


class BaseModelForm(BaseForm):
    """A form that edits one model instance: ``instance`` (a new one if not given)."""

    def __init__(self, data=None, files=None, auto_id="id_%s", prefix=None, initial=None, error_class=ErrorList,
                 label_suffix=None, empty_permitted=False, instance=None, use_required_attribute=None,
                 renderer=None):  # fmt: skip
        opts = self._meta
        if opts.model is None:
            raise ValueError("ModelForm has no model class specified.")
        if instance is None:
            self.instance = opts.model()
            object_data = {}
        else:
            self.instance = instance
            object_data = model_to_dict(instance, opts.fields, opts.exclude)
        if initial is not None:
            object_data.update(initial)  # what the caller gives wins over the instance
        # Set by clean(): a subclass's clean() that forgets super().clean() skips the unique checks.
        self._validate_unique = False
        super().__init__(data, files, auto_id, prefix, object_data, error_class, label_suffix, empty_permitted,
                         use_required_attribute=use_required_attribute, renderer=renderer)  # fmt: skip
        for formfield in self.fields.values():
            apply_limit_choices_to_to_formfield(formfield)

    def _get_validation_exclusions(self) -> set:
        """The model fields the model's own validation must skip, and why each is skipped.

        A field not on the form (the program sets it after validating); a
        field declared on the form but left out by ``Meta``; a field that
        already failed the form's cleaning (one error is enough); and an
        empty field the form allows but the model requires (the program
        will fill it in; the model's "blank" error would only confuse).
        """
        exclude = set()
        for model_field in self.instance._meta.fields:
            name = model_field.name
            if name not in self.fields:
                exclude.add(name)
            elif self._meta.fields and name not in self._meta.fields:
                exclude.add(name)
            elif self._meta.exclude and name in self._meta.exclude:
                exclude.add(name)
            elif name in self._errors:
                exclude.add(name)
            else:
                form_field = self.fields[name]
                value = self.cleaned_data.get(name)
                if not model_field.blank and not form_field.required and value in form_field.empty_values:
                    exclude.add(name)
        return exclude

    def clean(self):
        """The form's own checks (none here); it also switches the unique checks on."""
        self._validate_unique = True
        return self.cleaned_data

    def _update_errors(self, errors: ValidationError) -> None:
        """Add the model's errors to the form, worded by the form's own messages for their codes.

        ``Meta.error_messages = {"slug": {"unique": "Taken."}}`` words the
        model's unique error for the slug; ``{NON_FIELD_ERRORS: {...}}`` the
        errors of the whole object (unique_together).
        """
        opts = self._meta
        error_dict = errors.error_dict if hasattr(errors, "error_dict") else {NON_FIELD_ERRORS: errors}
        for field_name, messages in error_dict.items():
            if field_name == NON_FIELD_ERRORS and opts.error_messages and NON_FIELD_ERRORS in opts.error_messages:
                form_messages = opts.error_messages[NON_FIELD_ERRORS]
            elif field_name in self.fields:
                form_messages = self.fields[field_name].error_messages
            else:
                continue
            for message in messages:
                if isinstance(message, ValidationError) and message.code in form_messages:
                    message.message = form_messages[message.code]
        self.add_error(None, errors)

    def _post_clean(self) -> None:
        """Hand over to the model: build the instance from the cleaned data, then run its validation."""
        opts = self._meta
        exclude = self._get_validation_exclusions()
        # An inline formset's key to the parent is checked against the parent by its own field; the
        # model must not look it up (the parent may not be saved yet). It still counts for uniqueness.
        exclude.update(name for name, field in self.fields.items() if isinstance(field, inline_foreign_key_field()))
        try:
            self.instance = construct_instance(self, self.instance, opts.fields, opts.exclude)
        except ValidationError as error:
            self._update_errors(error)
        try:
            self.instance.full_clean(exclude=exclude, validate_unique=False)
        except ValidationError as error:
            self._update_errors(error)
        if self._validate_unique:
            self.validate_unique()

    def validate_unique(self) -> None:
        """Ask the table whether the form's unique values are taken; add the errors to the form."""
        exclude = self._get_validation_exclusions()
        try:
            self.instance.validate_unique(exclude=exclude)
        except ValidationError as error:
            self._update_errors(error)

    def _save_m2m(self) -> None:
        """Set the instance's many-to-many relations from the cleaned data (the instance must be saved)."""
        cleaned_data = self.cleaned_data
        fields, exclude = self._meta.fields, self._meta.exclude
        for model_field in self.instance._meta.many_to_many:
            if fields and model_field.name not in fields:
                continue
            if exclude and model_field.name in exclude:
                continue
            if model_field.name in cleaned_data:
                model_field.save_form_data(self.instance, cleaned_data[model_field.name])

    def save(self, commit: bool = True):
        """Save the instance and its many-to-many relations, and return it.

        With ``commit=False`` nothing is written: the unsaved instance is
        returned, and ``self.save_m2m()`` sets its relations once the caller
        has saved it. A form with errors cannot be saved (ValueError).
        """
        if self.errors:
            action = "created" if self.instance._state.adding else "changed"
            raise ValueError(
                f"The {self.instance._meta.object_name} could not be {action} because the data didn't validate."
            )
        if commit:
            self.instance.save()
            self._save_m2m()
        else:
            self.save_m2m = self._save_m2m
        return self.instance

    save.alters_data = True


class ModelForm(BaseModelForm, metaclass=ModelFormMetaclass):
    """A form for a model, configured by ``class Meta`` (``model``, ``fields`` or ``exclude``...)."""


def modelform_factory(model, form=ModelForm, fields=None, exclude=None, formfield_callback=None, widgets=None,
                      localized_fields=None, labels=None, help_texts=None, error_messages=None,
                      field_classes=None):  # fmt: skip
    """A ModelForm class for ``model``, made at run time (``<Model>Form``), as a view or the admin needs.

    The arguments are ``Meta``'s; a ``Meta`` of ``form`` is inherited.
    """
    attrs = {"model": model}
    options = {
        "fields": fields, "exclude": exclude, "widgets": widgets, "localized_fields": localized_fields,
        "labels": labels, "help_texts": help_texts, "error_messages": error_messages, "field_classes": field_classes,
    }  # fmt: skip
    attrs.update({name: value for name, value in options.items() if value is not None})
    bases = (form.Meta,) if hasattr(form, "Meta") else ()
    meta = type("Meta", bases, attrs)
    if formfield_callback:
        meta.formfield_callback = staticmethod(formfield_callback)
    if getattr(meta, "fields", None) is None and getattr(meta, "exclude", None) is None:
        raise ImproperlyConfigured(
            "Calling modelform_factory without defining 'fields' or 'exclude' explicitly is prohibited."
        )
    # type(form), not ModelFormMetaclass: a form with a metaclass of its own keeps it.
    return type(form)(f"{model.__name__}Form", (form,), {"Meta": meta})


def modelform_defines_fields(form_class) -> bool:
    """Whether ``form_class`` is a ModelForm that says which fields it shows (``fields`` or ``exclude``)."""
    return hasattr(form_class, "_meta") and (
        form_class._meta.fields is not None or form_class._meta.exclude is not None
    )


# Model formsets (model_formsets.py) are importable from here too, as in Django, looked
# up on first use (PEP 562): model_formsets imports this module, so importing it back
# here would fail whenever model_formsets is the one imported first.
MODEL_FORMSET_NAMES = ["BaseModelFormSet", "modelformset_factory", "BaseInlineFormSet", "inlineformset_factory"]
__all__ += MODEL_FORMSET_NAMES


def __getattr__(name: str):
    if name in MODEL_FORMSET_NAMES or name in ("InlineForeignKeyField", "_get_foreign_key"):
        from tinyframe.forms import model_formsets

        return getattr(model_formsets, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
