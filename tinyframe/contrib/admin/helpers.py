"""The change form's pieces, shaped for the templates.

A change page is a ModelForm plus inline formsets; the templates want them
in rows and boxes. ``changeform_view`` wraps them:

    form ──► AdminForm ──► Fieldset (one per ``fieldsets`` entry)
                              └─► Fieldline (one row of ``fields``)
                                    └─► AdminField / AdminReadonlyField
    formset ──► InlineAdminFormSet ──► InlineAdminForm (one per object, the
                blanks, then the empty template form) ──► InlineFieldset ...

``AdminErrorList`` gathers every error of the form and its inlines for the
"Please correct the errors below." banner; ``ActionForm`` is the changelist's
action chooser, and ``ACTION_CHECKBOX_NAME`` names the row checkboxes.
"""

import json

from tinyframe import forms
from tinyframe.contrib.admin.utils import flatten_fieldsets
from tinyframe.forms.formsets import DELETION_FIELD_NAME, ORDERING_FIELD_NAME
from tinyframe.forms.utils import ErrorList, flatatt
from tinyframe.utils.html import format_html, linebreaks
from tinyframe.utils.safestring import mark_safe
from tinyframe.utils.text import capfirst

__all__ = [
    "ACTION_CHECKBOX_NAME", "ActionForm", "AdminErrorList", "AdminField", "AdminForm", "AdminReadonlyField",
    "Fieldline", "Fieldset", "InlineAdminForm", "InlineAdminFormSet", "InlineFieldset", "checkbox",
]

ACTION_CHECKBOX_NAME = "_selected_action"


class ActionForm(forms.Form):
    """The changelist's action chooser: which action, and whether it applies to every matching row."""

    action = forms.ChoiceField(label="Action:")
    select_across = forms.BooleanField(
        label="", required=False, initial=0, widget=forms.HiddenInput({"class": "select-across"}),
    )


# The checkbox of each changelist row; never pre-ticked.
checkbox = forms.CheckboxInput({"class": "action-select"}, lambda value: False)



class AdminForm:
    """A ModelForm cut into the fieldsets the ModelAdmin asked for; iterating gives ``Fieldset`` objects."""

    def __init__(self, form, fieldsets, prepopulated_fields, readonly_fields=None, model_admin=None):
        self.form, self.fieldsets = form, fieldsets
        self.prepopulated_fields = [
            {"field": form[field_name], "dependencies": [form[name] for name in dependencies]}
            for field_name, dependencies in prepopulated_fields.items()
        ]
        self.model_admin = model_admin
        self.readonly_fields = () if readonly_fields is None else readonly_fields

    def __repr__(self):
        return (f"<{self.__class__.__qualname__}: form={self.form.__class__.__qualname__} "
                f"fieldsets={self.fieldsets!r}>")

    def __iter__(self):
        for name, options in self.fieldsets:
            yield Fieldset(self.form, name, readonly_fields=self.readonly_fields, model_admin=self.model_admin,
                           **options)

    @property
    def errors(self):
        return self.form.errors

    @property
    def non_field_errors(self):
        return self.form.non_field_errors

    @property
    def fields(self):
        return self.form.fields

    @property
    def is_bound(self) -> bool:
        return self.form.is_bound

    @property
    def media(self):
        return self.form.media


class Fieldset:
    """One box of the change form: a title, CSS classes, a description and rows of fields."""

    def __init__(self, form, name=None, readonly_fields=(), fields=(), classes=(), description=None,
                 model_admin=None):
        self.form, self.name, self.fields = form, name, fields
        self.classes = " ".join(classes)
        self.description = description
        self.model_admin = model_admin
        self.readonly_fields = readonly_fields

    @property
    def media(self):
        return forms.Media()

    @property
    def is_collapsible(self) -> bool:
        """A "collapse" fieldset folds, unless one of its fields has an error to show."""
        if any(field in self.fields for field in self.form.errors):
            return False
        return "collapse" in self.classes

    def __iter__(self):
        for line in self.fields:
            yield Fieldline(self.form, line, self.readonly_fields, model_admin=self.model_admin)


class Fieldline:
    """One row of a fieldset: a field name, or a tuple of names shown side by side."""

    def __init__(self, form, field, readonly_fields=None, model_admin=None):
        self.form = form
        self.fields = [field] if not hasattr(field, "__iter__") or isinstance(field, str) else list(field)
        self.has_visible_field = not all(
            name in form.fields and form.fields[name].widget.is_hidden for name in self.fields
        )
        self.model_admin = model_admin
        self.readonly_fields = () if readonly_fields is None else readonly_fields

    def __iter__(self):
        for index, field in enumerate(self.fields):
            if field in self.readonly_fields:
                yield AdminReadonlyField(self.form, field, is_first=(index == 0), model_admin=self.model_admin)
            else:
                yield AdminField(self.form, field, is_first=(index == 0))

    def errors(self):
        """The errors of the row's editable fields, as one HTML block."""
        return mark_safe("\n".join(
            self.form[name].errors.as_ul() for name in self.fields if name not in self.readonly_fields
        ).strip("\n"))


class AdminField:
    """An editable field of a fieldline: the form's bound field, and a label styled by its place in the row."""

    is_readonly = False

    def __init__(self, form, field, is_first):
        self.field = form[field]
        self.is_first = is_first
        self.is_checkbox = isinstance(self.field.field.widget, forms.CheckboxInput)

    def label_tag(self):
        classes = []
        contents = capfirst(self.field.label)
        if self.is_checkbox:
            classes.append("vCheckboxLabel")
        if self.field.field.required:
            classes.append("required")
        if not self.is_first:
            classes.append("inline")
        attrs = {"class": " ".join(classes)} if classes else {}
        # A checkbox's label follows the box, so it needs no colon.
        return self.field.label_tag(contents=contents, attrs=attrs, label_suffix="" if self.is_checkbox else None)

    def errors(self):
        return mark_safe(self.field.errors.as_ul())


class AdminReadonlyField:
    """A field shown, not edited: a model field's value, or what a ModelAdmin method or callable returns."""

    is_readonly = True
    is_checkbox = False

    def __init__(self, form, field, is_first, model_admin=None):
        from tinyframe.contrib.admin.utils import help_text_for_field, label_for_field

        # A callable's name is its __name__; a string names a field or a method.
        if callable(field):
            class_name = field.__name__ if field.__name__ != "<lambda>" else ""
        else:
            class_name = field
        if form._meta.labels and class_name in form._meta.labels:
            label = form._meta.labels[class_name]
        else:
            label = label_for_field(field, form._meta.model, model_admin, form=form)
        if form._meta.help_texts and class_name in form._meta.help_texts:
            help_text = form._meta.help_texts[class_name]
        else:
            help_text = help_text_for_field(class_name, form._meta.model)
        self.field = {"name": class_name, "label": label, "help_text": help_text, "field": field,
                      "is_hidden": False}
        self.form = form
        self.model_admin = model_admin
        self.is_first = is_first
        self.empty_value_display = model_admin.get_empty_value_display() if model_admin else "-"

    def label_tag(self):
        attrs = {} if self.is_first else {"class": "inline"}
        label = self.field["label"]
        return format_html("<label{}>{}{}</label>", mark_safe(flatatt(attrs)), capfirst(label),
                           self.form.label_suffix)

    def get_admin_url(self, remote_field, remote_obj):
        """A link to ``remote_obj``'s change page when the site has one, else the object's text."""
        from tinyframe.contrib.admin.utils import quote
        from tinyframe.urls import NoReverseMatch, reverse

        opts = remote_field.model._meta
        site_name = self.model_admin.admin_site.name if self.model_admin else None
        try:
            url = reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[quote(remote_obj.pk)],
                          current_app=site_name)
        except NoReverseMatch:
            return str(remote_obj)
        return format_html('<a href="{}">{}</a>', url, remote_obj)

    def contents(self):
        """The value as safe HTML: escaped text, a boolean icon, a link to a related object, or "-"."""
        from tinyframe.contrib.admin.utils import display_for_field, display_for_value, lookup_field
        from tinyframe.core.exceptions import ObjectDoesNotExist

        field, obj, model_admin = self.field["field"], self.form.instance, self.model_admin
        try:
            model_field, attr, value = lookup_field(field, obj, model_admin)
        except (AttributeError, ValueError, ObjectDoesNotExist):
            return self.empty_value_display
        if isinstance(field, str) and field in self.form.fields:
            widget = self.form.fields[field].widget
            # A widget that is a display already shows the value its own way: chapter 10's
            # ReadOnlyPasswordHashWidget gives a hash's masked summary, never the hash.
            if getattr(widget, "read_only", False):
                return widget.render(field, value)
        if model_field is None:
            boolean = getattr(attr, "boolean", False)
            result = display_for_value(value, self.empty_value_display, boolean)
            if hasattr(value, "__html__"):
                return value
            return linebreaks(result, autoescape=True) if "\n" in str(result) else result
        remote = getattr(model_field, "remote_field", None)
        if remote is not None and getattr(model_field, "many_to_many", False):
            if value is None:
                return self.empty_value_display
            return ", ".join(str(related) for related in value.all()) or self.empty_value_display
        if remote is not None and value is not None:
            return self.get_admin_url(remote, value)
        result = display_for_field(value, model_field, self.empty_value_display)
        if model_field.get_internal_type() == "TextField" and value:
            return linebreaks(result, autoescape=True)
        return result


class InlineAdminFormSet:
    """An inline's formset for the templates: its forms wrapped as ``InlineAdminForm``, with the inline's options."""

    def __init__(self, inline, formset, fieldsets, prepopulated_fields=None, readonly_fields=None, model_admin=None,
                 has_add_permission=True, has_change_permission=True, has_delete_permission=True,
                 has_view_permission=True):
        self.opts = inline
        self.formset = formset
        self.fieldsets = fieldsets
        self.model_admin = model_admin
        self.readonly_fields = () if readonly_fields is None else tuple(readonly_fields)
        self.prepopulated_fields = {} if prepopulated_fields is None else prepopulated_fields
        self.classes = " ".join(inline.classes) if getattr(inline, "classes", None) else ""
        self.has_add_permission = has_add_permission
        self.has_change_permission = has_change_permission
        self.has_delete_permission = has_delete_permission
        self.has_view_permission = has_view_permission

    def __iter__(self):
        # Without change permission the existing rows are shown, not edited.
        if self.has_change_permission:
            readonly_for_existing = self.readonly_fields
        else:
            readonly_for_existing = self.readonly_fields + tuple(flatten_fieldsets(self.fieldsets))
        for form, original in zip(self.formset.initial_forms, self.formset.get_queryset()):
            yield InlineAdminForm(self.formset, form, self.fieldsets, self.prepopulated_fields, original,
                                  readonly_for_existing, model_admin=self.opts)
        for form in self.formset.extra_forms:
            yield InlineAdminForm(self.formset, form, self.fieldsets, self.prepopulated_fields, None,
                                  self.readonly_fields, model_admin=self.opts)
        if self.has_add_permission:
            yield InlineAdminForm(self.formset, self.formset.empty_form, self.fieldsets, self.prepopulated_fields,
                                  None, self.readonly_fields, model_admin=self.opts)

    def fields(self):
        """The columns of a tabular inline: one dict per field (label, required, hidden, help text)."""
        from tinyframe.contrib.admin.utils import help_text_for_field, label_for_field

        form = self.formset.empty_form
        fk = getattr(self.formset, "fk", None)
        hidden_fields = set() if self.has_change_permission else set(flatten_fieldsets(self.fieldsets))
        for name in flatten_fieldsets(self.fieldsets):
            if fk is not None and fk.name == name:
                continue
            if name in self.readonly_fields or name in hidden_fields or name not in form.fields:
                yield {"name": name, "label": label_for_field(name, self.opts.model, self.opts, form=form),
                       "widget": {"is_hidden": False}, "required": False,
                       "help_text": help_text_for_field(name, self.opts.model)}
            else:
                form_field = form.fields[name]
                label = form_field.label
                if label is None:
                    label = label_for_field(name, self.opts.model, self.opts, form=form)
                yield {"name": name, "label": label, "widget": {"is_hidden": form_field.widget.is_hidden},
                       "required": form_field.required, "help_text": form_field.help_text}

    def inline_formset_data(self) -> str:
        """The options the add-another script reads, as JSON."""
        verbose_name = self.opts.verbose_name
        return json.dumps({
            "name": f"#{self.formset.prefix}",
            "options": {
                "prefix": self.formset.prefix,
                "addText": f"Add another {capfirst(verbose_name)}",
                "deleteText": "Remove",
            },
        })

    @property
    def forms(self):
        return self.formset.forms

    def non_form_errors(self):
        return self.formset.non_form_errors()

    @property
    def is_bound(self) -> bool:
        return self.formset.is_bound

    @property
    def total_form_count(self) -> int:
        return self.formset.total_form_count()

    @property
    def media(self):
        return self.opts.media + self.formset.media if hasattr(self.opts, "media") else self.formset.media

    @property
    def is_collapsible(self) -> bool:
        if any(self.formset.errors):
            return False
        return "collapse" in self.classes


class InlineAdminForm(AdminForm):
    """One object's form in an inline (``original`` is the object, None for a blank or the empty template)."""

    def __init__(self, formset, form, fieldsets, prepopulated_fields, original, readonly_fields=None,
                 model_admin=None, view_on_site_url=None):
        self.formset = formset
        self.model_admin = model_admin
        self.original = original
        self.show_url = bool(original is not None and view_on_site_url is not None)
        self.absolute_url = view_on_site_url
        super().__init__(form, fieldsets, prepopulated_fields, readonly_fields, model_admin)

    def __iter__(self):
        for name, options in self.fieldsets:
            yield InlineFieldset(self.formset, self.form, name, self.readonly_fields, model_admin=self.model_admin,
                                 **options)

    def needs_explicit_pk_field(self) -> bool:
        """Whether the template must render the hidden primary key (it is not shown as a field)."""
        pk = self.form._meta.model._meta.pk
        return pk.auto_created or pk.name not in flatten_fieldsets(self.fieldsets) or not pk.editable \
            or pk.get_internal_type() in ("AutoField", "BigAutoField", "SmallAutoField")

    def pk_field(self):
        return AdminField(self.form, self.formset._pk_field.name, False)

    def fk_field(self):
        fk = getattr(self.formset, "fk", None)
        if fk is not None and fk.name in self.form.fields:
            return AdminField(self.form, fk.name, False)
        return ""

    def deletion_field(self):
        return AdminField(self.form, DELETION_FIELD_NAME, False)

    def ordering_field(self):
        return AdminField(self.form, ORDERING_FIELD_NAME, False)


class InlineFieldset(Fieldset):
    """A fieldset of an inline form: the key to the parent is never shown as a row."""

    def __init__(self, formset, *args, **kwargs):
        self.formset = formset
        super().__init__(*args, **kwargs)

    def __iter__(self):
        fk = getattr(self.formset, "fk", None)
        for line in self.fields:
            if fk is None or fk.name != line:
                yield Fieldline(self.form, line, self.readonly_fields, model_admin=self.model_admin)


class AdminErrorList(ErrorList):
    """Every error of a change page: the form's fields and each inline formset's, for the page's banner."""

    def __init__(self, form, inline_formsets):
        super().__init__()
        if form.is_bound:
            for errors in form.errors.values():
                self.extend(errors)
            for inline_formset in inline_formsets:
                self.extend(inline_formset.non_form_errors())
                for form_errors in inline_formset.errors:
                    for errors in form_errors.values():
                        self.extend(errors)
