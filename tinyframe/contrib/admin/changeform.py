"""The add and change pages of ModelAdmin: one form for the object, one formset per inline, saved together.

How it works: ``add_view`` and ``change_view`` both run ``changeform_view``
inside one transaction. It checks the permission (add; change to save, view
to look), finds the object (a missing one redirects to the index with a
warning), and asks ``get_form`` for the ModelForm and
``get_formsets_with_inlines`` for each inline's formset. On a POST where the
form and every formset are valid it saves the object (``save_model``), then
its many-to-many data and the inlines (``save_related``), logs a
``LogEntry`` and answers by the button pressed (``response_add`` /
``response_change``): "Save" goes to the changelist, "Save and add
another" to a blank form, "Save and continue editing" back to the object.
Anything else renders ``change_form.html`` with ``adminform``,
``inline_admin_formsets`` and ``errors``.
"""

import json
from urllib.parse import quote as urlquote

from tinyframe.contrib import messages
from tinyframe.contrib.admin.exceptions import DisallowedModelAdminToField
from tinyframe.contrib.admin.utils import flatten_fieldsets, quote, unquote
from tinyframe.core.exceptions import PermissionDenied
from tinyframe.db import transaction
from tinyframe.forms.formsets import all_valid
from tinyframe.http import HttpResponseRedirect
from tinyframe.template.response import TemplateResponse
from tinyframe.urls import reverse
from tinyframe.utils.html import format_html

__all__ = ["IS_POPUP_VAR", "TO_FIELD_VAR", "ChangeFormViews"]

IS_POPUP_VAR = "_popup"
TO_FIELD_VAR = "_to_field"


class ChangeFormViews:
    """The add and change views of ``ModelAdmin`` and what they are made of."""

    def add_view(self, request, form_url: str = "", extra_context=None):
        """The "Add <model>" page."""
        return self.changeform_view(request, None, form_url, extra_context)

    def change_view(self, request, object_id: str, form_url: str = "", extra_context=None):
        """The "Change <model>" page (or "View <model>" for a user with only the view permission)."""
        return self.changeform_view(request, object_id, form_url, extra_context)

    def changeform_view(self, request, object_id=None, form_url: str = "", extra_context=None):
        """Add (``object_id`` None) or change an object, with its inlines, in one transaction."""
        with transaction.atomic():
            return self._changeform_view(request, object_id, form_url, extra_context)

    def get_changeform_initial_data(self, request) -> dict:
        """The add form's initial values, from the query string (``?title=Draft``; lists split on commas)."""
        initial = dict(request.GET.items())
        for name in initial:
            try:
                field = self.opts.get_field(name)
            except Exception:
                continue
            if getattr(field, "many_to_many", False):
                initial[name] = initial[name].split(",")
        return initial

    def _changeform_view(self, request, object_id, form_url, extra_context):
        to_field = request.POST.get(TO_FIELD_VAR, request.GET.get(TO_FIELD_VAR))
        if to_field and not self.to_field_allowed(request, to_field):
            raise DisallowedModelAdminToField(f"The field {to_field} cannot be referenced.")
        if request.method == "POST" and "_saveasnew" in request.POST:
            object_id = None
        add = object_id is None
        if add:
            if not self.has_add_permission(request):
                raise PermissionDenied
            obj = None
        else:
            obj = self.get_object(request, unquote(object_id), to_field)
            allowed = (
                self.has_change_permission(request, obj)
                if request.method == "POST"
                else self.has_view_or_change_permission(request, obj)
            )
            if not allowed:
                raise PermissionDenied
            if obj is None:
                return self._get_obj_does_not_exist_redirect(request, self.opts, object_id)

        fieldsets = self.get_fieldsets(request, obj)
        ModelForm = self.get_form(request, obj, change=not add, fields=flatten_fieldsets(fieldsets))
        form_validated = False
        if request.method == "POST":
            form = ModelForm(request.POST, request.FILES, instance=obj)
            formsets, inline_instances = self._create_formsets(request, form.instance, change=not add)
            form_validated = form.is_valid()
            new_object = self.save_form(request, form, change=not add) if form_validated else form.instance
            if all_valid(formsets) and form_validated:
                self.save_model(request, new_object, form, not add)
                self.save_related(request, form, formsets, not add)
                change_message = self.construct_change_message(request, form, formsets, add)
                if add:
                    self.log_addition(request, new_object, change_message)
                    return self.response_add(request, new_object)
                self.log_change(request, new_object, change_message)
                return self.response_change(request, new_object)
            form_validated = False
        elif add:
            form = ModelForm(initial=self.get_changeform_initial_data(request))
            formsets, inline_instances = self._create_formsets(request, form.instance, change=False)
        else:
            form = ModelForm(instance=obj)
            formsets, inline_instances = self._create_formsets(request, obj, change=True)

        from tinyframe.contrib.admin import helpers

        can_change = add or self.has_change_permission(request, obj)
        readonly_fields = self.get_readonly_fields(request, obj) if can_change else flatten_fieldsets(fieldsets)
        admin_form = helpers.AdminForm(
            form,
            list(fieldsets),
            self.get_prepopulated_fields(request, obj) if can_change else {},
            readonly_fields,
            model_admin=self,
        )
        if add:
            title = "Add %s"
        elif self.has_change_permission(request, obj):
            title = "Change %s"
        else:
            title = "View %s"
        context = {
            **self.admin_site.each_context(request),
            "title": title % self.opts.verbose_name,
            "subtitle": str(obj) if obj else None,
            "adminform": admin_form,
            "object_id": object_id,
            "original": obj,
            "is_popup": IS_POPUP_VAR in request.POST or IS_POPUP_VAR in request.GET,
            "to_field": to_field,
            "inline_admin_formsets": self.get_inline_formsets(request, formsets, inline_instances, obj),
            "errors": helpers.AdminErrorList(form, formsets),
            "preserved_filters": self.get_preserved_filters(request),
        }
        if request.method == "POST" and not form_validated and "_saveasnew" in request.POST:
            context["show_save"] = False
            context["show_save_and_continue"] = False
            add = False  # the page stays the change page of the original
        context.update(extra_context or {})
        return self.render_change_form(request, context, add=add, change=not add, obj=obj, form_url=form_url)

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        """The page: ``change_form.html`` (overridable per app and model) with the permission flags."""
        form_url = self._with_preserved_filters(request, form_url)
        view_on_site_url = self.get_view_on_site_url(obj)
        adminform = context["adminform"]
        inline_admin_formsets = context["inline_admin_formsets"]
        context.update(
            {
                "add": add,
                "change": change,
                "has_view_permission": self.has_view_permission(request, obj),
                "has_add_permission": self.has_add_permission(request),
                "has_change_permission": self.has_change_permission(request, obj),
                "has_delete_permission": self.has_delete_permission(request, obj),
                "has_editable_inline_admin_formsets": any(
                    inline.has_add_permission or inline.has_change_permission or inline.has_delete_permission
                    for inline in inline_admin_formsets
                ),
                "has_file_field": adminform.form.is_multipart()
                or any(inline.formset.is_multipart() for inline in inline_admin_formsets),
                "has_absolute_url": view_on_site_url is not None,
                "absolute_url": view_on_site_url,
                "form_url": form_url,
                "opts": self.opts,
                "save_as": self.save_as,
                "save_on_top": self.save_on_top,
                "to_field_var": TO_FIELD_VAR,
                "is_popup_var": IS_POPUP_VAR,
                "app_label": self.opts.app_label,
            }
        )
        template = self.add_form_template if add and self.add_form_template is not None else self.change_form_template
        request.current_app = self.admin_site.name
        return TemplateResponse(request, template or self._template_names("change_form.html"), context)

    # The inlines.

    def get_inline_instances(self, request, obj=None) -> list:
        """One InlineModelAdmin per ``inlines`` class the user may use (no blank forms without add permission)."""
        inline_instances = []
        for inline_class in self.get_inlines(request, obj):
            inline = inline_class(self.model, self.admin_site)
            if request:
                if not (
                    inline.has_view_or_change_permission(request, obj)
                    or inline.has_add_permission(request, obj)
                    or inline.has_delete_permission(request, obj)
                ):
                    continue
                if not inline.has_add_permission(request, obj):
                    inline.max_num = 0
            inline_instances.append(inline)
        return inline_instances

    def get_formsets_with_inlines(self, request, obj=None):
        """Yield ``(FormSet class, inline)`` for each inline of the page."""
        for inline in self.get_inline_instances(request, obj):
            yield inline.get_formset(request, obj), inline

    def get_formset_kwargs(self, request, obj, inline, prefix: str) -> dict:
        """The arguments of one inline formset: bound to the POST on a POST."""
        kwargs = {"instance": obj, "prefix": prefix, "queryset": inline.get_queryset(request)}
        if request.method == "POST":
            kwargs.update(data=request.POST.copy(), files=request.FILES, save_as_new="_saveasnew" in request.POST)
        return kwargs

    def _create_formsets(self, request, obj, change: bool):
        """The inline formsets of the page and their inlines, each formset under a unique prefix."""
        formsets, inline_instances, prefixes = [], [], {}
        args = [request, obj] if change else [request]
        for FormSet, inline in self.get_formsets_with_inlines(*args):
            prefix = FormSet.get_default_prefix()
            prefixes[prefix] = prefixes.get(prefix, 0) + 1
            if prefixes[prefix] != 1 or not prefix:
                prefix = f"{prefix}-{prefixes[prefix]}"
            formset = FormSet(**self.get_formset_kwargs(request, obj, inline, prefix))
            if not inline.has_change_permission(request, obj if change else None):
                # A user who may not change the inline's rows: keep them as they are, unless deleted.
                for index, form in enumerate(formset.initial_forms):
                    deleted = inline.has_delete_permission(request, obj) and f"{formset.prefix}-{index}-DELETE" in (
                        request.POST
                    )
                    if not deleted:
                        form._errors = {}
                        form.cleaned_data = form.initial
            formsets.append(formset)
            inline_instances.append(inline)
        return formsets, inline_instances

    def get_inline_formsets(self, request, formsets, inline_instances, obj=None) -> list:
        """An ``InlineAdminFormSet`` per formset, with what the user may do in it."""
        from tinyframe.contrib.admin import helpers

        can_edit_parent = self.has_change_permission(request, obj) if obj else self.has_add_permission(request)
        inline_admin_formsets = []
        for inline, formset in zip(inline_instances, formsets):
            fieldsets = list(inline.get_fieldsets(request, obj))
            readonly = list(inline.get_readonly_fields(request, obj))
            if can_edit_parent:
                has_add = inline.has_add_permission(request, obj)
                has_change = inline.has_change_permission(request, obj)
                has_delete = inline.has_delete_permission(request, obj)
            else:
                has_add = has_change = has_delete = False
                formset.extra = formset.max_num = 0
            inline_admin_formsets.append(
                helpers.InlineAdminFormSet(
                    inline,
                    formset,
                    fieldsets,
                    dict(inline.get_prepopulated_fields(request, obj)),
                    readonly,
                    model_admin=self,
                    has_add_permission=has_add,
                    has_change_permission=has_change,
                    has_delete_permission=has_delete,
                    has_view_permission=inline.has_view_permission(request, obj),
                )
            )
        return inline_admin_formsets

    # Where to go after a save.

    def response_add(self, request, obj, post_url_continue=None):
        """After an add: a success message, then where the button pressed leads."""
        opts = self.opts
        obj_url = reverse(
            f"admin:{opts.app_label}_{opts.model_name}_change", args=(quote(obj.pk),), current_app=self.admin_site.name
        )
        can_change = self.has_change_permission(request, obj)
        obj_repr = format_html('<a href="{}">{}</a>', urlquote(obj_url), obj) if can_change else str(obj)
        names = {"name": opts.verbose_name, "obj": obj_repr}
        if IS_POPUP_VAR in request.POST:
            to_field = request.POST.get(TO_FIELD_VAR)
            value = obj.serializable_value(str(to_field) if to_field else opts.pk.attname)
            return self._popup_response(request, {"value": str(value), "obj": str(obj)})
        if "_continue" in request.POST or (
            "_saveasnew" in request.POST and self.save_as_continue and can_change
        ):
            message = "The {name} “{obj}” was added successfully."
            if can_change:
                message += " You may edit it again below."
            self.message_user(request, format_html(message, **names), messages.SUCCESS)
            return HttpResponseRedirect(self._with_preserved_filters(request, post_url_continue or obj_url))
        if "_addanother" in request.POST:
            message = "The {name} “{obj}” was added successfully. You may add another {name} below."
            self.message_user(request, format_html(message, **names), messages.SUCCESS)
            return HttpResponseRedirect(self._with_preserved_filters(request, request.path))
        message = "The {name} “{obj}” was added successfully."
        self.message_user(request, format_html(message, **names), messages.SUCCESS)
        return self.response_post_save_add(request, obj)

    def response_change(self, request, obj):
        """After a change: a success message, then where the button pressed leads."""
        opts = self.opts
        if IS_POPUP_VAR in request.POST:
            to_field = request.POST.get(TO_FIELD_VAR)
            new_value = obj.serializable_value(str(to_field) if to_field else opts.pk.attname)
            value = request.resolver_match.kwargs["object_id"]
            data = {"action": "change", "value": str(value), "obj": str(obj), "new_value": str(new_value)}
            return self._popup_response(request, data)
        names = {"name": opts.verbose_name, "obj": format_html('<a href="{}">{}</a>', urlquote(request.path), obj)}
        if "_continue" in request.POST:
            message = "The {name} “{obj}” was changed successfully. You may edit it again below."
            self.message_user(request, format_html(message, **names), messages.SUCCESS)
            return HttpResponseRedirect(self._with_preserved_filters(request, request.path))
        if "_saveasnew" in request.POST:
            message = "The {name} “{obj}” was added successfully. You may edit it again below."
            self.message_user(request, format_html(message, **names), messages.SUCCESS)
            url = reverse(
                f"admin:{opts.app_label}_{opts.model_name}_change",
                args=(quote(obj.pk),),
                current_app=self.admin_site.name,
            )
            return HttpResponseRedirect(self._with_preserved_filters(request, url))
        if "_addanother" in request.POST:
            message = "The {name} “{obj}” was changed successfully. You may add another {name} below."
            self.message_user(request, format_html(message, **names), messages.SUCCESS)
            url = reverse(f"admin:{opts.app_label}_{opts.model_name}_add", current_app=self.admin_site.name)
            return HttpResponseRedirect(self._with_preserved_filters(request, url))
        message = "The {name} “{obj}” was changed successfully."
        self.message_user(request, format_html(message, **names), messages.SUCCESS)
        return self.response_post_save_change(request, obj)

    def _popup_response(self, request, data: dict):
        """The page a popup window (the "+" next to a related field) closes itself with, handing ``data`` back."""
        return TemplateResponse(
            request,
            self.popup_response_template or self._template_names("popup_response.html"),
            {"popup_response_data": json.dumps(data)},
        )

    def response_post_save_add(self, request, obj):
        """After "Save" on the add page: the changelist (with its filters), or the index without view permission."""
        return self._changelist_or_index(request, self.has_view_or_change_permission(request))

    def response_post_save_change(self, request, obj):
        """After "Save" on the change page: as ``response_post_save_add``."""
        return self._changelist_or_index(request, self.has_view_or_change_permission(request))
