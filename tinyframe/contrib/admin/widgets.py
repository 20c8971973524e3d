"""The admin's widgets: chapter 09's widgets with the admin's classes, and the related-object helpers.

``BaseModelAdmin.formfield_for_dbfield`` swaps a model field's default
widget for one of these:

- the plain ones only add a CSS class the admin's stylesheet sizes
  (``AdminTextInputWidget`` → ``class="vTextField"``, ``AdminDateWidget`` →
  ``vDateField``, ``AdminSplitDateTime`` with "Date:" and "Time:" labels...);
- ``ForeignKeyRawIdWidget`` / ``ManyToManyRawIdWidget`` (``raw_id_fields``)
  show a key as text with a "Lookup" link to the related changelist and the
  chosen object's name, instead of a ``<select>`` of every row;
- ``RelatedFieldWidgetWrapper`` wraps a relation's widget with the "+" link
  to add a related object (and change / delete / view links), as the user's
  permissions allow.
"""

import copy
from urllib.parse import urlencode

from tinyframe import forms
from tinyframe.core.exceptions import ValidationError
from tinyframe.forms.multi_widgets import SplitDateTimeWidget
from tinyframe.urls import NoReverseMatch, reverse
from tinyframe.utils.text import Truncator

__all__ = [
    "AdminBigIntegerFieldWidget", "AdminDateWidget", "AdminEmailInputWidget", "AdminFileWidget",
    "AdminIntegerFieldWidget", "AdminRadioSelect", "AdminSplitDateTime", "AdminTextInputWidget",
    "AdminTextareaWidget", "AdminTimeWidget", "AdminURLFieldWidget", "AdminUUIDInputWidget",
    "ForeignKeyRawIdWidget", "ManyToManyRawIdWidget", "RelatedFieldWidgetWrapper", "url_params_from_lookup_dict",
]

# The query parameters the admin's popups use (Django's names, as in options.py).
TO_FIELD_VAR = "_to_field"
IS_POPUP_VAR = "_popup"


def _with_class(css_class: str, attrs: dict | None, **defaults) -> dict:
    """``attrs`` over the admin's defaults: a project's own ``class`` replaces the admin's."""
    return {"class": css_class, **defaults, **(attrs or {})}


class AdminDateWidget(forms.DateInput):
    """A date as text, sized for a date (``vDateField``)."""

    def __init__(self, attrs=None, format=None):
        super().__init__(attrs=_with_class("vDateField", attrs, size="10"), format=format)


class AdminTimeWidget(forms.TimeInput):
    """A time as text, sized for a time (``vTimeField``)."""

    def __init__(self, attrs=None, format=None):
        super().__init__(attrs=_with_class("vTimeField", attrs, size="8"), format=format)


class AdminSplitDateTime(SplitDateTimeWidget):
    """A date and a time input side by side, labelled "Date:" and "Time:"."""

    template_name = "admin/widgets/split_datetime.html"

    def __init__(self, attrs=None):
        widgets = [AdminDateWidget, AdminTimeWidget]
        # Not SplitDateTimeWidget.__init__: it would build plain date and time inputs.
        forms.MultiWidget.__init__(self, widgets, attrs)

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        context["date_label"] = "Date:"
        context["time_label"] = "Time:"
        return context


class AdminRadioSelect(forms.RadioSelect):
    """Radio buttons in a row the stylesheet can lay out (``admin/widgets/radio.html``)."""

    template_name = "admin/widgets/radio.html"


class AdminFileWidget(forms.ClearableFileInput):
    """A file input showing the current file's link, the admin's way."""

    template_name = "admin/widgets/clearable_file_input.html"


class AdminTextareaWidget(forms.Textarea):
    """A large text area (``vLargeTextField``)."""

    def __init__(self, attrs=None):
        super().__init__(attrs=_with_class("vLargeTextField", attrs))


class AdminTextInputWidget(forms.TextInput):
    """A text input of the admin's width (``vTextField``)."""

    def __init__(self, attrs=None):
        super().__init__(attrs=_with_class("vTextField", attrs))


class AdminEmailInputWidget(forms.EmailInput):
    def __init__(self, attrs=None):
        super().__init__(attrs=_with_class("vTextField", attrs))


class AdminURLFieldWidget(forms.URLInput):
    """A URL input that also shows the current value as a link ("Currently: ...")."""

    template_name = "admin/widgets/url.html"

    def __init__(self, attrs=None, validator_class=None):
        super().__init__(attrs=_with_class("vURLField", attrs))

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        context["current_label"] = "Currently:"
        context["change_label"] = "Change:"
        context["widget"]["href"] = str(value) if value else ""
        # Only http(s) and relative links become a link: never "javascript:".
        context["url_valid"] = bool(value) and str(value).lower().startswith(("http://", "https://", "/"))
        return context


class AdminIntegerFieldWidget(forms.NumberInput):
    class_name = "vIntegerField"

    def __init__(self, attrs=None):
        super().__init__(attrs=_with_class(self.class_name, attrs))


class AdminBigIntegerFieldWidget(AdminIntegerFieldWidget):
    class_name = "vBigIntegerField"


class AdminUUIDInputWidget(forms.TextInput):
    def __init__(self, attrs=None):
        super().__init__(attrs=_with_class("vUUIDField", attrs))


def url_params_from_lookup_dict(lookups) -> dict:
    """A relation's ``limit_choices_to`` as changelist query parameters (lists joined by commas, booleans as 0/1).

    >>> url_params_from_lookup_dict({"is_staff": True, "id__in": [1, 2]})
    {'is_staff': '1', 'id__in': '1,2'}
    """
    params = {}
    if lookups and hasattr(lookups, "items"):
        for key, value in lookups.items():
            if callable(value):
                value = value()
            if isinstance(value, (tuple, list)):
                value = ",".join(str(item) for item in value)
            elif isinstance(value, bool):
                value = ("0", "1")[value]
            else:
                value = str(value)
            params[key] = value
    return params


class ForeignKeyRawIdWidget(forms.TextInput):
    """A foreign key typed as its key, with a "Lookup" link and the chosen object's name beside it."""

    template_name = "admin/widgets/foreign_key_raw_id.html"

    def __init__(self, rel, admin_site, attrs=None, using=None):
        self.rel = rel
        self.admin_site = admin_site
        self.db = using
        super().__init__(attrs)

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        related_model = self.rel.model
        if self.admin_site.is_registered(related_model):
            opts = related_model._meta
            related_url = reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist",
                                  current_app=self.admin_site.name)
            params = self.url_parameters()
            if params:
                related_url += "?" + urlencode(params)
            context["related_url"] = related_url
            context["link_title"] = "Lookup"
            context["widget"]["attrs"].setdefault("class", self.default_class)
        else:
            context["related_url"] = None
        if context["widget"]["value"]:
            context["link_label"], context["link_url"] = self.label_and_url_for_value(value)
        else:
            context["link_label"] = None
        return context

    default_class = "vForeignKeyRawIdAdminField"

    def base_url_parameters(self) -> dict:
        limit_choices_to = self.rel.limit_choices_to
        if callable(limit_choices_to):
            limit_choices_to = limit_choices_to()
        return url_params_from_lookup_dict(limit_choices_to)

    def url_parameters(self) -> dict:
        return {**self.base_url_parameters(), TO_FIELD_VAR: self.rel.get_related_field().name}

    def label_and_url_for_value(self, value) -> tuple:
        """The chosen object's name (shortened) and its change page, or ``("", "")`` when there is no such object."""
        key = self.rel.get_related_field().name
        manager = self.rel.model._default_manager
        try:
            obj = (manager.using(self.db) if self.db else manager).get(**{key: value})
        except (ValueError, TypeError, self.rel.model.DoesNotExist, ValidationError):
            return "", ""
        opts = obj._meta
        try:
            url = reverse(f"{self.admin_site.name}:{opts.app_label}_{opts.model_name}_change", args=(obj.pk,))
        except NoReverseMatch:
            url = ""
        return Truncator(obj).words(14), url


class ManyToManyRawIdWidget(ForeignKeyRawIdWidget):
    """Many keys typed as a comma-separated list, with a "Lookup" link."""

    template_name = "admin/widgets/many_to_many_raw_id.html"
    default_class = "vManyToManyRawIdAdminField"

    def url_parameters(self) -> dict:
        return self.base_url_parameters()

    def label_and_url_for_value(self, value) -> tuple:
        return "", ""

    def value_from_datadict(self, data, files, name):
        value = data.get(name)
        if value:
            return value.split(",")
        return None

    def format_value(self, value):
        return ",".join(str(item) for item in value) if value else ""


class RelatedFieldWidgetWrapper(forms.Widget):
    """A relation's widget with links beside it: "+" to add a related object, and change / delete / view."""

    template_name = "admin/widgets/related_widget_wrapper.html"

    def __init__(self, widget, rel, admin_site, can_add_related=None, can_change_related=False,
                 can_delete_related=False, can_view_related=False):
        self.needs_multipart_form = widget.needs_multipart_form
        self.attrs = widget.attrs
        self.widget = widget
        self.rel = rel
        # None means "if the related model is registered on this site".
        if can_add_related is None:
            can_add_related = admin_site.is_registered(rel.model)
        self.can_add_related = can_add_related
        multiple = getattr(widget, "allow_multiple_selected", False)
        # A delete or change link acts on one chosen object: not for a list of them.
        self.can_change_related = not multiple and can_change_related
        cascade = getattr(rel, "on_delete", None) is not None and getattr(rel.on_delete, "__name__", "") == "CASCADE"
        self.can_delete_related = not multiple and not cascade and can_delete_related
        self.can_view_related = not multiple and can_view_related
        self.admin_site = admin_site

    def __deepcopy__(self, memo):
        obj = copy.copy(self)
        obj.widget = copy.deepcopy(self.widget, memo)
        obj.attrs = self.widget.attrs
        memo[id(self)] = obj
        return obj

    @property
    def is_hidden(self) -> bool:
        return self.widget.is_hidden

    @property
    def media(self):
        return self.widget.media

    @property
    def choices(self):
        return self.widget.choices

    @choices.setter
    def choices(self, value):
        self.widget.choices = value

    def get_related_url(self, info: tuple, action: str, *args) -> str:
        app_label, model_name = info
        return reverse(f"admin:{app_label}_{model_name}_{action}", current_app=self.admin_site.name, args=args)

    def get_context(self, name, value, attrs):
        rel_opts = self.rel.model._meta
        info = (rel_opts.app_label, rel_opts.model_name)
        related_field_name = self.rel.get_related_field().name
        context = {
            "rendered_widget": self.widget.render(name, value, attrs),
            "is_hidden": self.is_hidden,
            "name": name,
            "url_params": urlencode({TO_FIELD_VAR: related_field_name, IS_POPUP_VAR: 1}),
            "model": rel_opts.verbose_name,
            "model_name": rel_opts.model_name,
            "can_add_related": self.can_add_related,
            "can_change_related": self.can_change_related,
            "can_delete_related": self.can_delete_related,
            "can_view_related": self.can_view_related,
        }
        if self.can_add_related:
            context["add_related_url"] = self.get_related_url(info, "add")
        if self.can_delete_related:
            context["delete_related_template_url"] = self.get_related_url(info, "delete", "__fk__")
        if self.can_view_related or self.can_change_related:
            context["change_related_template_url"] = self.get_related_url(info, "change", "__fk__")
        return context

    def value_from_datadict(self, data, files, name):
        return self.widget.value_from_datadict(data, files, name)

    def value_omitted_from_data(self, data, files, name):
        return self.widget.value_omitted_from_data(data, files, name)

    def id_for_label(self, id_):
        return self.widget.id_for_label(id_)
