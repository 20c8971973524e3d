"""Model formsets: a formset whose forms edit the rows of a queryset, and inline formsets for a parent's children.

How it works: ``modelformset_factory(Author, fields=["name"])`` makes a
ModelForm with ``modelform_factory`` and a formset of it with
``formset_factory``, over ``BaseModelFormSet``. Unbound, the formset has one
initial form per object of its queryset (ordered by primary key unless the
queryset is ordered) and ``extra`` blank ones; ``add_fields`` gives every form
a hidden field for the primary key, so a bound formset can tell which object
each returned form edits. ``is_valid()`` validates each form (the model's own
checks included, through ``BaseModelForm._post_clean``), then ``clean()``
checks uniqueness *across* the forms, which no single form can see: two new
rows with the same unique name. ``save()`` saves changed initial forms
(``changed_objects``), deletes those marked DELETE (``deleted_objects``) and
creates objects from filled extra forms (``new_objects``).

``inlineformset_factory(Author, Book)`` is a model formset of one author's
books: ``_get_foreign_key`` finds the ForeignKey from Book to Author, the
queryset is filtered on it, and every form gets that key as an
``InlineForeignKeyField`` (hidden, set from the parent ``instance``, never from
what the client sent). The admin's inlines are built on it.
"""

from tinyframe.core.exceptions import NON_FIELD_ERRORS, ImproperlyConfigured, ValidationError
from tinyframe.db.models import AutoField, ForeignKey
from tinyframe.forms.fields import Field
from tinyframe.forms.formsets import BaseFormSet, formset_factory
from tinyframe.forms.model_choices import ModelChoiceField
from tinyframe.forms.models import ModelForm, modelform_factory
from tinyframe.forms.widgets import HiddenInput
from tinyframe.utils.text import capfirst, get_text_list

__all__ = ["BaseModelFormSet", "modelformset_factory", "BaseInlineFormSet", "inlineformset_factory"]


def _hashable(value):
    """``value`` made usable in a set: a model instance by its key, lists and dicts as tuples.

    >>> _hashable([1, {"a": [2]}])
    (1, (('a', (2,)),))
    """
    if hasattr(value, "_get_pk_val"):
        return value._get_pk_val()
    if isinstance(value, dict):
        return tuple(sorted((key, _hashable(item)) for key, item in value.items()))
    if isinstance(value, (list, tuple, set, frozenset)):
        return tuple(_hashable(item) for item in value)
    return value


class BaseModelFormSet(BaseFormSet):
    """A formset for editing the objects of a queryset and adding new ones."""

    model = None
    edit_only = False

    # Fields whose value is the same on every form (an inline formset's key
    # to the parent): a unique check across forms counts them as equal.
    unique_fields = set()

    def __init__(self, data=None, files=None, auto_id="id_%s", prefix=None, queryset=None, *, initial=None, **kwargs):
        self.queryset = queryset
        # ``initial`` fills the extra forms: the initial forms show the objects.
        self.initial_extra = initial
        super().__init__(data=data, files=files, auto_id=auto_id, prefix=prefix, **kwargs)

    def initial_form_count(self) -> int:
        """Unbound: one initial form per object of the queryset; bound, the submitted count."""
        if not self.is_bound:
            return len(self.get_queryset())
        return super().initial_form_count()

    def _existing_object(self, pk):
        """The queryset's object with this key, or None (a key from outside the queryset finds nothing)."""
        if not hasattr(self, "_object_dict"):
            self._object_dict = {obj.pk: obj for obj in self.get_queryset()}
        return self._object_dict.get(pk)

    def _get_to_python(self, field):
        """The ``to_python`` of the field a key finally holds (following foreign keys to their target)."""
        while field.remote_field is not None:
            field = field.remote_field.get_related_field()
        return field.to_python

    def _construct_form(self, i, **kwargs):
        """Give initial form ``i`` its object: bound, the one whose key the data names; unbound, the i-th.

        A key that is missing, malformed or not in the queryset (tampered
        data) leaves the form without an instance, so it edits nothing that
        exists: it fails on its required primary-key field instead.
        """
        pk_required = i < self.initial_form_count()
        if pk_required:
            if self.is_bound:
                pk_key = f"{self.add_prefix(i)}-{self.model._meta.pk.name}"
                if pk_key in self.data:
                    try:
                        pk = self._get_to_python(self.model._meta.pk)(self.data[pk_key])
                    except ValidationError:
                        pass
                    else:
                        kwargs["instance"] = self._existing_object(pk)
            else:
                kwargs["instance"] = self.get_queryset()[i]
        elif self.initial_extra:
            try:
                kwargs["initial"] = self.initial_extra[i - self.initial_form_count()]
            except IndexError:
                pass
        form = super()._construct_form(i, **kwargs)
        if pk_required:
            form.fields[self.model._meta.pk.name].required = True
        return form

    def get_queryset(self):
        """The objects to edit: ``queryset`` or all of the model's, in a fixed order.

        The order matters: the page is rendered from one query and read back
        with another, and form ``i`` must mean the same object both times, so
        an unordered queryset is ordered by primary key.
        """
        if not hasattr(self, "_queryset"):
            queryset = self.queryset if self.queryset is not None else self.model._default_manager.get_queryset()
            if not queryset.ordered:
                queryset = queryset.order_by(self.model._meta.pk.name)
            self._queryset = queryset
        return self._queryset

    def save_new(self, form, commit=True):
        """Save and return a new object from an extra form."""
        return form.save(commit=commit)

    def save_existing(self, form, obj, commit=True):
        """Save and return an existing object from its changed form."""
        return form.save(commit=commit)

    def delete_existing(self, obj, commit=True):
        """Delete an object marked for deletion (with ``commit=False``, the caller does)."""
        if commit:
            obj.delete()

    def save(self, commit=True) -> list:
        """Save the changed and new objects and delete the marked ones; return the saved objects.

        With ``commit=False`` nothing is written: the objects are returned
        unsaved, ``deleted_objects`` lists those to delete, and
        ``save_m2m()`` saves the forms' many-to-many data once the caller has
        saved the objects.
        """
        if not commit:
            self.saved_forms = []

            def save_m2m():
                for form in self.saved_forms:
                    form.save_m2m()

            self.save_m2m = save_m2m
        if self.edit_only:
            return self.save_existing_objects(commit)
        return self.save_existing_objects(commit) + self.save_new_objects(commit)

    save.alters_data = True

    def clean(self) -> None:
        """Check uniqueness across the forms (``validate_unique``)."""
        self.validate_unique()

    def _unique_checks(self, form) -> list:
        """The sets of field names that must be unique together for this form's object.

        The model's own ``unique``/``unique_together`` checks, plus each
        ``UniqueConstraint`` of plain fields without a condition, leaving out
        fields the form does not validate.
        """
        exclude = set(form._get_validation_exclusions())
        checks = [names for _model, names in form.instance._get_unique_checks(exclude=exclude)]
        for constraint in form.instance._meta.constraints:
            fields = tuple(getattr(constraint, "fields", ()) or ())
            is_unique = type(constraint).__name__ == "UniqueConstraint"
            if is_unique and fields and constraint.condition is None and not exclude.intersection(fields):
                checks.append(fields)
        return checks

    def validate_unique(self) -> None:
        """Refuse two forms that would save the same unique values; each form checked the database alone.

        The second form of a duplicate gets the form error "Please correct
        the duplicate values below." and loses those values from its
        ``cleaned_data``; the formset raises one non-form error per duplicate
        ("Please correct the duplicate data for name."). Forms that are
        invalid or marked for deletion take no part; a None value never
        clashes (NULL is not equal to NULL).
        """
        forms_to_delete = self.deleted_forms
        valid_forms = [form for form in self.forms if form.is_valid() and form not in forms_to_delete]
        all_checks = []
        for form in valid_forms:
            for check in self._unique_checks(form):
                if check not in all_checks:
                    all_checks.append(check)
        errors = []
        for unique_check in all_checks:
            seen = set()
            for form in valid_forms:
                row = tuple(
                    # An inline formset's key to the parent is equal on every
                    # form: the name stands for the value.
                    field if field in self.unique_fields else _hashable(form.cleaned_data[field])
                    for field in unique_check
                    if field in form.cleaned_data
                )
                if not row or None in row:
                    continue
                if row in seen:
                    errors.append(self.get_unique_error_message(unique_check))
                    form._errors[NON_FIELD_ERRORS] = self.error_class([self.get_form_error()], renderer=self.renderer)
                    for field in unique_check:
                        form.cleaned_data.pop(field, None)
                seen.add(row)
        if errors:
            raise ValidationError(errors)

    def get_unique_error_message(self, unique_check) -> str:
        """ "Please correct the duplicate data for name." (or for "author and title, which must be unique.")."""
        if len(unique_check) == 1:
            return f"Please correct the duplicate data for {unique_check[0]}."
        return f"Please correct the duplicate data for {get_text_list(unique_check, 'and')}, which must be unique."

    def get_form_error(self) -> str:
        return "Please correct the duplicate values below."

    def save_existing_objects(self, commit=True) -> list:
        """Save the changed initial forms' objects, delete the marked ones; fill changed_objects and deleted_objects."""
        self.changed_objects = []
        self.deleted_objects = []
        if not self.initial_forms:
            return []
        saved_instances = []
        forms_to_delete = self.deleted_forms
        for form in self.initial_forms:
            obj = form.instance
            # No saved object behind the form: a key from outside the
            # queryset (tampered data), or an object deleted meanwhile.
            if obj.pk is None or obj._state.adding:
                continue
            if form in forms_to_delete:
                self.deleted_objects.append(obj)
                self.delete_existing(obj, commit=commit)
            elif form.has_changed():
                self.changed_objects.append((obj, form.changed_data))
                saved_instances.append(self.save_existing(form, obj, commit=commit))
                if not commit:
                    self.saved_forms.append(form)
        return saved_instances

    def save_new_objects(self, commit=True) -> list:
        """Create an object from every filled extra form not marked for deletion; fill ``new_objects``."""
        self.new_objects = []
        for form in self.extra_forms:
            if not form.has_changed():
                continue
            if self.can_delete and self._should_delete_form(form):
                continue
            self.new_objects.append(self.save_new(form, commit=commit))
            if not commit:
                self.saved_forms.append(form)
        return self.new_objects

    def add_fields(self, form, index) -> None:
        """Add the hidden primary-key field that ties each form to its object, then ORDER and DELETE.

        An automatic or non-editable key is not among a ModelForm's fields,
        so the formset adds it: a ModelChoiceField over the model's objects,
        so a submitted key must name an object that exists.
        """
        self._pk_field = pk = self.model._meta.pk
        if self._pk_is_not_editable(pk) or pk.name not in form.fields:
            if form.is_bound:
                # An object being added has no row yet: its key (perhaps a
                # default) names nothing in the database.
                pk_value = None if form.instance._state.adding else form.instance.pk
            elif index is not None and index < len(self.get_queryset()):
                pk_value = self.get_queryset()[index].pk
            else:
                pk_value = None
            if pk.remote_field is not None:
                queryset = pk.remote_field.model._default_manager.get_queryset()
            else:
                queryset = self.model._default_manager.get_queryset()
            queryset = queryset.using(form.instance._state.db)
            widgets = getattr(form._meta, "widgets", None) or {}
            widget = widgets.get(pk.name, HiddenInput)
            form.fields[pk.name] = ModelChoiceField(queryset, initial=pk_value, required=False, widget=widget)
        super().add_fields(form, index)

    @staticmethod
    def _pk_is_not_editable(pk) -> bool:
        """Whether a key is one a form does not edit: not editable, or automatic (an AutoField says editable)."""
        return not pk.editable or pk.auto_created or isinstance(pk, AutoField)


def modelformset_factory(
    model,
    form=ModelForm,
    formfield_callback=None,
    formset=BaseModelFormSet,
    extra=1,
    can_delete=False,
    can_order=False,
    max_num=None,
    fields=None,
    exclude=None,
    widgets=None,
    validate_max=False,
    localized_fields=None,
    labels=None,
    help_texts=None,
    error_messages=None,
    min_num=None,
    validate_min=False,
    field_classes=None,
    absolute_max=None,
    can_delete_extra=True,
    renderer=None,
    edit_only=False,
):
    """A formset class editing ``model``'s objects: ``modelform_factory`` for the form, then ``formset_factory``.

    As for a ModelForm, the fields must be chosen (``fields`` or ``exclude``,
    here or in ``form.Meta``): a form that silently gained every new model
    field would let a client set fields never meant to be edited.
    """
    meta = getattr(form, "Meta", None)
    if getattr(meta, "fields", fields) is None and getattr(meta, "exclude", exclude) is None:
        raise ImproperlyConfigured(
            "Calling modelformset_factory without defining 'fields' or 'exclude' explicitly is prohibited."
        )
    form = modelform_factory(
        model,
        form=form,
        fields=fields,
        exclude=exclude,
        formfield_callback=formfield_callback,
        widgets=widgets,
        localized_fields=localized_fields,
        labels=labels,
        help_texts=help_texts,
        error_messages=error_messages,
        field_classes=field_classes,
    )
    formset_class = formset_factory(
        form,
        formset,
        extra=extra,
        min_num=min_num,
        max_num=max_num,
        can_order=can_order,
        can_delete=can_delete,
        validate_min=validate_min,
        validate_max=validate_max,
        absolute_max=absolute_max,
        can_delete_extra=can_delete_extra,
        renderer=renderer,
    )
    formset_class.model = model
    formset_class.edit_only = edit_only
    return formset_class


class BaseInlineFormSet(BaseModelFormSet):
    """A model formset of the objects whose foreign key ``fk`` points at one parent ``instance``.

    ``save_as_new=True`` makes every form a new object (the admin's "Save
    as new"): no initial forms, and the submitted keys are ignored.
    """

    fk = None

    def __init__(self, data=None, files=None, instance=None, save_as_new=False, prefix=None, queryset=None, **kwargs):
        self.instance = self.fk.remote_field.model() if instance is None else instance
        self.save_as_new = save_as_new
        if queryset is None:
            queryset = self.model._default_manager
        if self.instance.pk is not None:
            queryset = queryset.filter(**{self.fk.name: self.instance})
        else:
            # An unsaved parent has no children yet; filtering on it would be an error.
            queryset = queryset.none()
        self.unique_fields = {self.fk.name}
        super().__init__(data, files, prefix=prefix, queryset=queryset, **kwargs)
        # The key is on every form but may not be in Meta.fields; the ModelForm
        # validates and saves only the fields listed there.
        form_fields = self.form._meta.fields
        if form_fields and self.fk.name not in form_fields:
            self.form._meta.fields = [*form_fields, self.fk.name]

    def initial_form_count(self) -> int:
        if self.save_as_new:
            return 0
        return super().initial_form_count()

    def _construct_form(self, i, **kwargs):
        """Set the form's object's key to the parent before it validates; with save_as_new, forget sent keys."""
        form = super()._construct_form(i, **kwargs)
        if self.save_as_new:
            # The data may be an immutable QueryDict: copy it for this form
            # rather than changing the request's data.
            data = form.data.copy()
            data[form.add_prefix(self._pk_field.name)] = None
            data[form.add_prefix(self.fk.name)] = None
            form.data = data
        fk_value = self.instance.pk
        if self.fk.remote_field.field_name != self.fk.remote_field.model._meta.pk.name:
            fk_value = getattr(self.instance, self.fk.remote_field.field_name)
            fk_value = getattr(fk_value, "pk", fk_value)
        setattr(form.instance, self.fk.attname, fk_value)
        return form

    @classmethod
    def get_default_prefix(cls) -> str:
        """The reverse accessor's name: ``book_set`` for Book's key to Author."""
        return cls.fk.remote_field.get_accessor_name(model=cls.model).replace("+", "")

    def save_new(self, form, commit=True):
        # The parent may have been saved since the formset was made (a new
        # author and its books in one request): point at it again.
        setattr(form.instance, self.fk.name, self.instance)
        return super().save_new(form, commit=commit)

    def add_fields(self, form, index) -> None:
        """Add the key to the parent as an ``InlineForeignKeyField``, whatever the form declares."""
        super().add_fields(form, index)
        if self._pk_field == self.fk:
            name = self._pk_field.name
            kwargs = {"pk_field": True}
        else:
            name = self.fk.name
            # The key may not be on the form: the model field's name is the label then.
            kwargs = {"label": getattr(form.fields.get(name), "label", capfirst(self.fk.verbose_name))}
        if self.fk.remote_field.field_name != self.fk.remote_field.model._meta.pk.name:
            kwargs["to_field"] = self.fk.remote_field.field_name
        # A parent being added gets its key when it is saved: a default key
        # (a UUID made in Python) is not its key yet.
        if self.instance._state.adding:
            if kwargs.get("to_field") is not None:
                to_field = self.instance._meta.get_field(kwargs["to_field"])
            else:
                to_field = self.instance._meta.pk
            if to_field.has_default() and (
                to_field.attname == self.fk.remote_field.model._meta.pk.name or not form.data
            ):
                setattr(self.instance, to_field.attname, None)
        form.fields[name] = InlineForeignKeyField(self.instance, **kwargs)

    def get_unique_error_message(self, unique_check) -> str:
        # The key to the parent is the same on every form: naming it helps no one.
        return super().get_unique_error_message([field for field in unique_check if field != self.fk.name])


def _get_foreign_key(parent_model, model, fk_name=None, can_fail=False):
    """The ForeignKey from ``model`` to ``parent_model`` (``fk_name`` to choose among several).

    Raise ValueError with Django's messages when there is none, more than one
    and no ``fk_name``, or ``fk_name`` names no such key; with ``can_fail``,
    return None instead of raising when there is none.
    """
    opts = model._meta
    if fk_name:
        candidates = [field for field in opts.fields if field.name == fk_name]
        if not candidates:
            raise ValueError(f"'{opts.label}' has no field named '{fk_name}'.")
        fk = candidates[0]
        if not isinstance(fk, ForeignKey) or fk.remote_field.model != parent_model:
            raise ValueError(f"fk_name '{fk_name}' is not a ForeignKey to '{parent_model._meta.label}'.")
        return fk
    candidates = [
        field for field in opts.fields if isinstance(field, ForeignKey) and field.remote_field.model == parent_model
    ]
    if len(candidates) == 1:
        return candidates[0]
    if not candidates:
        if can_fail:
            return None
        raise ValueError(f"'{opts.label}' has no ForeignKey to '{parent_model._meta.label}'.")
    raise ValueError(
        f"'{opts.label}' has more than one ForeignKey to '{parent_model._meta.label}'. "
        "You must specify a 'fk_name' attribute."
    )


def inlineformset_factory(
    parent_model,
    model,
    form=ModelForm,
    formset=BaseInlineFormSet,
    fk_name=None,
    fields=None,
    exclude=None,
    extra=3,
    can_order=False,
    can_delete=True,
    max_num=None,
    formfield_callback=None,
    widgets=None,
    validate_max=False,
    localized_fields=None,
    labels=None,
    help_texts=None,
    error_messages=None,
    min_num=None,
    validate_min=False,
    field_classes=None,
    absolute_max=None,
    can_delete_extra=True,
    renderer=None,
    edit_only=False,
):
    """A formset class for the ``model`` objects of one ``parent_model`` object.

    A unique key to the parent (a OneToOneField) allows one child, so
    ``max_num`` is 1 then.
    """
    fk = _get_foreign_key(parent_model, model, fk_name=fk_name)
    if fk.unique:
        max_num = 1
    formset_class = modelformset_factory(
        model,
        form=form,
        formfield_callback=formfield_callback,
        formset=formset,
        extra=extra,
        can_delete=can_delete,
        can_order=can_order,
        fields=fields,
        exclude=exclude,
        min_num=min_num,
        max_num=max_num,
        widgets=widgets,
        validate_min=validate_min,
        validate_max=validate_max,
        localized_fields=localized_fields,
        labels=labels,
        help_texts=help_texts,
        error_messages=error_messages,
        field_classes=field_classes,
        absolute_max=absolute_max,
        can_delete_extra=can_delete_extra,
        renderer=renderer,
        edit_only=edit_only,
    )
    formset_class.fk = fk
    return formset_class


class InlineForeignKeyField(Field):
    """The hidden key to the parent on each form of an inline formset: it can only be the parent.

    The value comes from the parent ``instance`` the view gave the formset,
    never from the client: a submitted value other than the parent's key is
    refused ("The inline value did not match the parent instance."), and a
    blank one means the parent. It never counts as a change.
    """

    widget = HiddenInput
    default_error_messages = {
        "invalid_choice": "The inline value did not match the parent instance.",
    }

    def __init__(self, parent_instance, *args, pk_field=False, to_field=None, **kwargs):
        self.parent_instance = parent_instance
        self.pk_field = pk_field
        self.to_field = to_field
        if parent_instance is not None:
            kwargs["initial"] = self._parent_value()
        kwargs["required"] = False
        super().__init__(*args, **kwargs)

    def _parent_value(self):
        if self.to_field:
            return getattr(self.parent_instance, self.to_field)
        return self.parent_instance.pk

    def clean(self, value):
        if value in self.empty_values:
            # The key is the object's primary key too: a new object has none yet.
            return None if self.pk_field else self.parent_instance
        # Compared as text: the submitted "7" and the parent's 7 are equal.
        if str(value) != str(self._parent_value()):
            raise ValidationError(self.error_messages["invalid_choice"], code="invalid_choice")
        return self.parent_instance

    def has_changed(self, initial, data):
        return False
