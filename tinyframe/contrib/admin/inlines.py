"""Inlines: editing a model's children on its parent's change page.

``ModelAdmin.inlines = [CommentInline]`` makes the change view build, for
each inline class, ``InlineModelAdmin(parent_model, admin_site)`` and ask it
for a formset class: ``get_formset`` passes the inline's options (``fields``,
``exclude`` plus ``readonly_fields``, ``extra``, ``min_num``, ``max_num``,
``can_delete``, ``fk_name``) to chapter 09's ``inlineformset_factory``. The
view binds that formset to the parent object, validates it with the parent's
form and saves it after the parent, in one transaction.

``TabularInline`` shows each child as a table row, ``StackedInline`` as a
box of fieldsets; the only difference is the template.
"""

from functools import partial

from tinyframe.contrib.admin.options import BaseModelAdmin
from tinyframe.contrib.admin.utils import flatten_fieldsets
from tinyframe.forms.models import ALL_FIELDS, modelform_defines_fields
from tinyframe.forms.model_formsets import BaseInlineFormSet, inlineformset_factory

__all__ = ["InlineModelAdmin", "StackedInline", "TabularInline"]


class InlineModelAdmin(BaseModelAdmin):
    """The options of one inline: which child model, through which key, how many blank forms."""

    model = None
    fk_name = None
    formset = BaseInlineFormSet
    extra = 3
    min_num = None
    max_num = None
    template = None
    verbose_name = None
    verbose_name_plural = None
    can_delete = True
    show_change_link = False
    classes = None

    def __init__(self, parent_model, admin_site):
        self.admin_site = admin_site
        self.parent_model = parent_model
        self.opts = self.model._meta
        self.has_registered_model = admin_site.is_registered(self.model)
        super().__init__()
        if self.verbose_name_plural is None:
            if self.verbose_name is None:
                self.verbose_name_plural = self.opts.verbose_name_plural
            else:
                self.verbose_name_plural = f"{self.verbose_name}s"
        if self.verbose_name is None:
            self.verbose_name = self.opts.verbose_name

    def __repr__(self):
        return (f"<{self.__class__.__qualname__}: model={self.model.__qualname__} "
                f"parent={self.parent_model.__qualname__}>")

    def get_extra(self, request, obj=None, **kwargs) -> int:
        """How many blank forms to offer (``extra``)."""
        return self.extra

    def get_min_num(self, request, obj=None, **kwargs):
        """The fewest forms to show and accept (``min_num``)."""
        return self.min_num

    def get_max_num(self, request, obj=None, **kwargs):
        """The most forms to show and accept (``max_num``)."""
        return self.max_num

    def get_formset(self, request, obj=None, **kwargs):
        """The inline formset class for ``obj``'s children, from the inline's options and the user's permissions."""
        if "fields" in kwargs:
            fields = kwargs.pop("fields")
        else:
            fields = flatten_fieldsets(self.get_fieldsets(request, obj))
        excluded = self.get_exclude(request, obj)
        exclude = [] if excluded is None else list(excluded)
        exclude.extend(self.get_readonly_fields(request, obj))
        if excluded is None and getattr(self.form, "_meta", None) and self.form._meta.exclude:
            exclude.extend(self.form._meta.exclude)
        can_delete = self.can_delete and self.has_delete_permission(request, obj)
        defaults = {
            "form": self.form,
            "formset": self.formset,
            "fk_name": self.fk_name,
            "fields": fields,
            "exclude": exclude or None,
            "formfield_callback": partial(self.formfield_for_dbfield, request=request),
            "extra": self.get_extra(request, obj, **kwargs),
            "min_num": self.get_min_num(request, obj, **kwargs),
            "max_num": self.get_max_num(request, obj, **kwargs),
            "can_delete": can_delete,
            **kwargs,
        }
        can_change = self.has_change_permission(request, obj) if request else True
        can_add = self.has_add_permission(request, obj) if request else True

        class PermittedModelForm(defaults["form"]):
            # A row the user may not change (or add) never counts as changed,
            # so the formset neither validates nor saves it.
            def has_changed(self):
                if not can_change and not self.instance._state.adding:
                    return False
                if not can_add and self.instance._state.adding:
                    return False
                return super().has_changed()

        PermittedModelForm.__name__ = defaults["form"].__name__
        defaults["form"] = PermittedModelForm
        if defaults["fields"] is None and not modelform_defines_fields(self.form):
            defaults["fields"] = ALL_FIELDS
        return inlineformset_factory(self.parent_model, self.model, **defaults)

    def _get_form_for_get_fields(self, request, obj=None):
        return self.get_formset(request, obj, fields=None).form

    def get_queryset(self, request):
        """The inline's rows, none at all for a user who may neither view nor change them."""
        queryset = super().get_queryset(request)
        if not self.has_view_or_change_permission(request):
            queryset = queryset.none()
        return queryset

    # The permissions: obj is the parent object being edited, not an inline row, so the
    # inline model's permission decides for all its rows (as in Django).

    def has_add_permission(self, request, obj=None) -> bool:
        """Whether the user may add rows of the inline's model to ``obj``."""
        return super().has_add_permission(request)

    def has_change_permission(self, request, obj=None) -> bool:
        return super().has_change_permission(request)

    def has_delete_permission(self, request, obj=None) -> bool:
        return super().has_delete_permission(request)

    def has_view_permission(self, request, obj=None) -> bool:
        return super().has_view_permission(request)


class StackedInline(InlineModelAdmin):
    """Each child as a box of labelled fields, one under the other."""

    template = "admin/edit_inline/stacked.html"


class TabularInline(InlineModelAdmin):
    """Each child as a row of a table, its fields as columns."""

    template = "admin/edit_inline/tabular.html"
