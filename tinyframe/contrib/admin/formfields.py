"""The change form's form fields: which form field and widget each model field gets in the admin.

How it works: ``ModelAdmin.get_form`` hands ``formfield_for_dbfield`` to
``modelform_factory`` as its ``formfield_callback``, so every model field of
the form passes through it. A field with ``choices`` goes to
``formfield_for_choice_field``; a ForeignKey or ManyToManyField to
``formfield_for_foreignkey`` / ``formfield_for_manytomany`` (choices in the
related admin's ordering, a raw id input for ``raw_id_fields``) and its widget
is wrapped with the "+" link to add a related object; any other field gets
the admin's widget for its class (``formfield_overrides``, merged over
``default_formfield_overrides()``).
"""

import copy

from tinyframe import forms
from tinyframe.db import models

__all__ = ["FormFieldsMixin", "default_formfield_overrides"]


class FormFieldsMixin:
    """The ``formfield_for_*`` methods of ``BaseModelAdmin``."""

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        """The form field for a model field: the admin's widgets, related fields with their "+" wrapper."""
        if db_field.choices:
            return self.formfield_for_choice_field(db_field, request, **kwargs)
        if isinstance(db_field, (models.ForeignKey, models.ManyToManyField)):
            if db_field.__class__ in self.formfield_overrides:
                kwargs = {**self.formfield_overrides[db_field.__class__], **kwargs}
            if isinstance(db_field, models.ForeignKey):
                formfield = self.formfield_for_foreignkey(db_field, request, **kwargs)
            else:
                formfield = self.formfield_for_manytomany(db_field, request, **kwargs)
            if formfield is not None and db_field.name not in self.raw_id_fields:
                formfield.widget = self._wrap_related_widget(formfield.widget, db_field, request)
            return formfield
        for klass in type(db_field).__mro__:
            if klass in self.formfield_overrides:
                kwargs = {**copy.deepcopy(self.formfield_overrides[klass]), **kwargs}
                return db_field.formfield(**kwargs)
        return db_field.formfield(**kwargs)

    def _wrap_related_widget(self, widget, db_field, request):
        try:
            from tinyframe.contrib.admin.widgets import RelatedFieldWidgetWrapper
        except ImportError:  # pragma: no cover - the widgets module is written alongside
            return widget
        related_admin = self.admin_site._registry.get(db_field.remote_field.model)
        wrapper_kwargs = {}
        if related_admin is not None:
            wrapper_kwargs = {
                "can_add_related": related_admin.has_add_permission(request),
                "can_change_related": related_admin.has_change_permission(request),
                "can_delete_related": related_admin.has_delete_permission(request),
                "can_view_related": related_admin.has_view_permission(request),
            }
        return RelatedFieldWidgetWrapper(widget, db_field.remote_field, self.admin_site, **wrapper_kwargs)

    def formfield_for_choice_field(self, db_field, request, **kwargs):
        """The form field of a field with ``choices``: a select, or radio buttons for ``radio_fields``."""
        if db_field.name in self.radio_fields:
            from tinyframe.contrib.admin.options import get_ul_class
            from tinyframe.contrib.admin.widgets import AdminRadioSelect

            if "widget" not in kwargs:
                kwargs["widget"] = AdminRadioSelect(attrs={"class": get_ul_class(self.radio_fields[db_field.name])})
            if "choices" not in kwargs:
                kwargs["choices"] = db_field.get_choices(include_blank=db_field.blank, blank_choice=[("", "None")])
        return db_field.formfield(**kwargs)

    def get_field_queryset(self, db, db_field, request):
        """The choices of a relation, in the related model's admin ordering (None: the model's default)."""
        related_admin = self.admin_site._registry.get(db_field.remote_field.model)
        if related_admin is not None:
            ordering = related_admin.get_ordering(request)
            if ordering:
                return db_field.remote_field.model._default_manager.order_by(*ordering)
        return None

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        """The form field of a ForeignKey: a select, or a raw id input for ``raw_id_fields``."""
        if "widget" not in kwargs and db_field.name in self.raw_id_fields:
            from tinyframe.contrib.admin.widgets import ForeignKeyRawIdWidget

            kwargs["widget"] = ForeignKeyRawIdWidget(db_field.remote_field, self.admin_site)
        if "queryset" not in kwargs:
            queryset = self.get_field_queryset(None, db_field, request)
            if queryset is not None:
                kwargs["queryset"] = queryset
        return db_field.formfield(**kwargs)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        """The form field of a ManyToManyField (None for one with its own ``through`` model)."""
        if not db_field.remote_field.through._meta.auto_created:
            return None
        if "widget" not in kwargs and db_field.name in self.raw_id_fields:
            from tinyframe.contrib.admin.widgets import ManyToManyRawIdWidget

            kwargs["widget"] = ManyToManyRawIdWidget(db_field.remote_field, self.admin_site)
        if "queryset" not in kwargs:
            queryset = self.get_field_queryset(None, db_field, request)
            if queryset is not None:
                kwargs["queryset"] = queryset
        form_field = db_field.formfield(**kwargs)
        widget = form_field.widget
        if (
            isinstance(widget, forms.SelectMultiple)
            and widget.allow_multiple_selected
            and not isinstance(widget, forms.CheckboxSelectMultiple)
        ):
            # A plain multiple select needs a hint: a click without the key replaces the selection.
            hint = "Hold down “Control”, or “Command” on a Mac, to select more than one."
            form_field.help_text = f"{form_field.help_text} {hint}" if form_field.help_text else hint
        return form_field


def default_formfield_overrides() -> dict:
    """The admin's widget for each kind of model field (dates with a calendar hint, wide text inputs...)."""
    try:
        from tinyframe.contrib.admin import widgets
    except ImportError:  # pragma: no cover - the widgets module is written alongside
        return {}

    table = [
        ("DateTimeField", "AdminSplitDateTime"),
        ("DateField", "AdminDateWidget"),
        ("TimeField", "AdminTimeWidget"),
        ("TextField", "AdminTextareaWidget"),
        ("URLField", "AdminURLFieldWidget"),
        ("IntegerField", "AdminIntegerFieldWidget"),
        ("BigIntegerField", "AdminBigIntegerFieldWidget"),
        ("CharField", "AdminTextInputWidget"),
        ("EmailField", "AdminEmailInputWidget"),
        ("UUIDField", "AdminUUIDInputWidget"),
    ]
    overrides = {}
    for field_name, widget_name in table:
        field_class, widget = getattr(models, field_name, None), getattr(widgets, widget_name, None)
        if field_class is None or widget is None:
            continue
        overrides[field_class] = {"widget": widget}
        if field_name == "DateTimeField":
            overrides[field_class]["form_class"] = forms.SplitDateTimeField
    return overrides
