"""The pages of ModelAdmin that work on many objects or on one's end: the changelist, actions, delete, history.

How it works: ``changelist_view`` asks ``get_changelist_instance`` for a
``ChangeList`` (an unknown filter or ordering in the query string raises
``IncorrectLookupParameters``, answered by a redirect to ``?e=1`` and then an
error page, never a 500). A POST with an action runs ``response_action`` on
the ticked rows (``_selected_action``); a POST with ``_save`` validates the
``list_editable`` formset and saves each changed row with a ``LogEntry``.
``delete_view`` shows what the collector would delete with the object, and
deletes on a POST; ``history_view`` pages through the object's log entries.
"""

from tinyframe.contrib import messages
from tinyframe.contrib.admin.changeform import IS_POPUP_VAR, TO_FIELD_VAR
from tinyframe.contrib.admin.exceptions import DisallowedModelAdminToField
from tinyframe.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from tinyframe.contrib.admin.utils import PreparedHTML, model_format_dict, model_ngettext, unquote
from tinyframe.core.exceptions import BadRequest, PermissionDenied, ValidationError
from tinyframe.db import transaction
from tinyframe.http import HttpResponseRedirect
from tinyframe.http.response import HttpResponseBase
from tinyframe.template.response import SimpleTemplateResponse, TemplateResponse
from tinyframe.utils.html import format_html
from tinyframe.utils.safestring import mark_safe
from tinyframe.utils.text import capfirst

__all__ = ["ListViews"]

BLANK_CHOICE_DASH = [("", "---------")]
ERROR_FLAG = "e"
PAGE_VAR = "p"
NOTHING_SELECTED = "Items must be selected in order to perform actions on them. No items have been changed."
# A row's checkbox, its name escaped in once ({{}} stays {} for the row's key and label), split at those holes.
ACTION_CHECKBOX = PreparedHTML(format_html(
    '<input type="checkbox" name="{}" value="{{}}" class="action-select" '
    'aria-label="Select this object for an action - {{}}">',
    ACTION_CHECKBOX_NAME,
))  # fmt: skip


class ListViews:
    """The changelist, actions, delete and history views of ``ModelAdmin``."""

    def action_checkbox(self, obj):
        """The first column of a changelist with actions: a checkbox naming the row's primary key.

        The HTML an unticked ``CheckboxInput`` renders, written once
        (``ACTION_CHECKBOX``, a ``PreparedHTML`` with its name in): rendering
        the widget's templates for every row (two of them, with
        ``input.html``) was a third of a 100-row changelist's time
        (tests/benchmarks/admin.py). A row escapes only its key and its label.
        """
        return ACTION_CHECKBOX.format(str(obj.pk), obj)

    action_checkbox.short_description = mark_safe(
        '<input type="checkbox" id="action-toggle" aria-label="Select all objects on this page for an action">'
    )

    def _get_action_form(self):
        if self.action_form is not None:
            return self.action_form
        from tinyframe.contrib.admin.helpers import ActionForm

        return ActionForm

    def get_action(self, action):
        """``(function, name, description)`` of an action given as a callable, a method name or a site action."""
        if callable(action):
            func, action = action, action.__name__
        elif hasattr(self.__class__, action):
            func = getattr(self.__class__, action)
        else:
            try:
                func = self.admin_site.get_action(action)
            except KeyError:
                return None
        description = getattr(func, "short_description", capfirst(action.replace("_", " ")))
        return func, action, description

    def _get_base_actions(self) -> list:
        site_actions = [self.get_action(name) for name, _function in self.admin_site.actions]
        own_actions = [self.get_action(action) for action in self.actions or []]
        return [action for action in site_actions + own_actions if action]

    def _filter_actions_by_permissions(self, request, actions) -> list:
        """The actions the user may run: those whose ``allowed_permissions`` name one the user has."""
        allowed = []
        for action in actions:
            permissions = getattr(action[0], "allowed_permissions", None)
            if permissions is None or any(
                getattr(self, f"has_{permission}_permission")(request) for permission in permissions
            ):
                allowed.append(action)
        return allowed

    def get_actions(self, request) -> dict:
        """``{name: (function, name, description)}`` of the actions offered to this user (none in a popup)."""
        if self.actions is None or IS_POPUP_VAR in request.GET:
            return {}
        actions = self._filter_actions_by_permissions(request, self._get_base_actions())
        return {name: (func, name, description) for func, name, description in actions}

    def get_action_choices(self, request, default_choices=BLANK_CHOICE_DASH) -> list:
        """The action menu's choices: a blank one, then each action's description (with the model's names)."""
        choices = list(default_choices)
        for _func, name, description in self.get_actions(request).values():
            choices.append((name, str(description) % model_format_dict(self.opts)))
        return choices

    def response_action(self, request, queryset):
        """Run the action the POST chose on the selected rows; its response, a redirect, or None (nothing ran)."""
        try:
            action_index = int(request.POST.get("index", 0))
        except ValueError:
            action_index = 0
        data = request.POST.copy()
        data.pop(ACTION_CHECKBOX_NAME, None)
        data.pop("index", None)
        try:
            data.update({"action": data.getlist("action")[action_index]})
        except IndexError:
            pass  # no action menu at that index: the form below says "No action selected."
        action_form = self._get_action_form()(data, auto_id=None)
        action_form.fields["action"].choices = self.get_action_choices(request)
        if not action_form.is_valid():
            self.message_user(request, "No action selected.", messages.WARNING)
            return None
        action = action_form.cleaned_data["action"]
        select_across = action_form.cleaned_data["select_across"]
        func = self.get_actions(request)[action][0]
        selected = request.POST.getlist(ACTION_CHECKBOX_NAME)
        if not selected and not select_across:
            self.message_user(request, NOTHING_SELECTED, messages.WARNING)
            return None
        if not select_across:
            queryset = queryset.filter(pk__in=self._selected_keys(selected))
        response = func(self, request, queryset)
        if isinstance(response, HttpResponseBase):
            return response
        return HttpResponseRedirect(request.get_full_path())

    def _selected_keys(self, selected: list) -> list:
        """The ticked rows' primary keys as the model's values; a value no row can have is a 400.

        A browser sends only the keys the changelist wrote into its
        checkboxes, so ``_selected_action=abc`` on an integer key is a forged
        or broken request: refused here, before the query (Django answers it
        with a 500).
        """
        to_python = self.opts.pk.to_python
        try:
            return [to_python(value) for value in selected]
        except ValidationError:
            raise BadRequest(
                f"{ACTION_CHECKBOX_NAME} names the rows by their primary keys; "
                f"{', '.join(map(repr, selected))} are not all {self.opts.verbose_name} keys."
            ) from None

    def get_deleted_objects(self, objs, request) -> tuple:
        """``(deleted_objects, model_count, perms_needed, protected)`` for the delete confirmation."""
        from tinyframe.contrib.admin.utils import get_deleted_objects

        return get_deleted_objects(objs, request, self.admin_site)

    def response_delete(self, request, obj_display: str, obj_id):
        """After a delete: the success message, then the changelist (or the index without the change permission)."""
        if IS_POPUP_VAR in request.POST:
            return self._popup_response(request, {"action": "delete", "value": str(obj_id)})
        message = "The %(name)s “%(obj)s” was deleted successfully." % {
            "name": self.opts.verbose_name,
            "obj": obj_display,
        }
        self.message_user(request, message, messages.SUCCESS)
        return self._changelist_or_index(request, self.has_change_permission(request, None))

    # Messages and history.

    def message_user(self, request, message, level=messages.INFO, extra_tags="", fail_silently=False) -> None:
        """Show ``message`` on the next page; ``level`` is a level number or a name (``"warning"``)."""
        if not isinstance(level, int):
            try:
                level = getattr(messages.constants, level.upper())
            except AttributeError:
                levels = messages.constants.DEFAULT_TAGS.values()
                levels_repr = ", ".join(f"`{name}`" for name in levels)
                raise ValueError(f"Bad message level string: `{level}`. Possible values are: {levels_repr}") from None
        messages.add_message(request, level, message, extra_tags=extra_tags, fail_silently=fail_silently)

    def construct_change_message(self, request, form, formsets, add: bool = False) -> list:
        """The LogEntry's change message: what was added, or which fields and inline objects changed."""
        from tinyframe.contrib.admin.utils import construct_change_message

        return construct_change_message(form, formsets, add)

    def _log(self, request, objects, flag_name: str, message="", single_object=True):
        from tinyframe.contrib.admin import models as admin_models

        return admin_models.LogEntry.objects.log_actions(
            user_id=request.user.pk,
            queryset=objects,
            action_flag=getattr(admin_models, flag_name),
            change_message=message,
            single_object=single_object,
        )

    def log_addition(self, request, obj, message):
        """Record in the history that ``obj`` was added."""
        return self._log(request, [obj], "ADDITION", message)

    def log_change(self, request, obj, message):
        """Record in the history that ``obj`` was changed (``message`` says how)."""
        return self._log(request, [obj], "CHANGE", message)

    def log_deletion(self, request, obj, object_repr):
        """Record in the history that ``obj`` is about to be deleted."""
        return self._log(request, [obj], "DELETION")

    def log_deletions(self, request, queryset):
        """Record in the history that every object of ``queryset`` is about to be deleted."""
        objects = list(queryset)
        return self._log(request, objects, "DELETION", single_object=len(objects) == 1)

    # The changelist.

    def get_changelist_form(self, request, **kwargs):
        """The ModelForm of one row of a ``list_editable`` changelist."""
        from functools import partial

        from tinyframe.forms.models import modelform_factory

        defaults = {"formfield_callback": partial(self.formfield_for_dbfield, request=request), **kwargs}
        if defaults.get("fields") is None:
            defaults["fields"] = list(self.list_editable)
        return modelform_factory(self.model, form=self.form, **defaults)

    def get_changelist_formset(self, request, **kwargs):
        """The formset of a ``list_editable`` changelist: one form per row shown, none extra."""
        from functools import partial

        from tinyframe.forms.model_formsets import modelformset_factory

        defaults = {"formfield_callback": partial(self.formfield_for_dbfield, request=request), **kwargs}
        return modelformset_factory(
            self.model, self.get_changelist_form(request), extra=0, fields=list(self.list_editable), **defaults
        )

    def _get_edited_object_pks(self, request, prefix: str) -> list:
        """The primary keys of the rows a ``list_editable`` POST sent (``<prefix>-<n>-<pk name>``)."""
        pk_name = self.opts.pk.name
        suffix = f"-{pk_name}"
        return [
            value
            for key, value in request.POST.items()
            if key.startswith(prefix + "-") and key.endswith(suffix) and key[len(prefix) + 1 : -len(suffix)].isdigit()
        ]

    def _get_list_editable_queryset(self, request, prefix: str):
        """The rows a ``list_editable`` POST edits, among those the admin may show."""
        object_pks = self._get_edited_object_pks(request, prefix)
        queryset = self.get_queryset(request)
        validate = self.opts.pk.to_python
        try:
            for pk in object_pks:
                validate(pk)
        except Exception:
            return queryset  # a forged key: let the formset report it against every row
        return queryset.filter(pk__in=object_pks)

    def changelist_view(self, request, extra_context=None):
        """The list of objects: search, filters, sorting, pages; actions and ``list_editable`` on POST."""
        from tinyframe.contrib.admin.options import IncorrectLookupParameters

        if not self.has_view_or_change_permission(request):
            raise PermissionDenied
        try:
            cl = self.get_changelist_instance(request)
        except IncorrectLookupParameters:
            # A bad query string: send the visitor to ?e=1, whose second failure shows an error page.
            if ERROR_FLAG in request.GET:
                return SimpleTemplateResponse("admin/invalid_setup.html", {"title": "Database error"})
            return HttpResponseRedirect(f"{request.path}?{ERROR_FLAG}=1")

        actions = self.get_actions(request)
        posted_action = actions and request.method == "POST" and "_save" not in request.POST
        selected = request.POST.getlist(ACTION_CHECKBOX_NAME)
        action_failed = False
        if posted_action and "index" in request.POST:  # the action menu's "Go"
            if selected:
                response = self.response_action(request, queryset=cl.get_queryset(request))
                if response:
                    return response
            else:
                self.message_user(request, NOTHING_SELECTED, messages.WARNING)
            action_failed = True
        if posted_action and ACTION_CHECKBOX_NAME in request.POST and "index" not in request.POST:
            # An action's confirmation page posting back ("Yes, I'm sure").
            if selected:
                response = self.response_action(request, queryset=cl.get_queryset(request))
                if response:
                    return response
                action_failed = True
        if action_failed:
            return HttpResponseRedirect(request.get_full_path())

        formset = cl.formset = None
        if request.method == "POST" and cl.list_editable and "_save" in request.POST:
            if not self.has_change_permission(request):
                raise PermissionDenied
            FormSet = self.get_changelist_formset(request)
            modified_objects = self._get_list_editable_queryset(request, FormSet.get_default_prefix())
            formset = cl.formset = FormSet(request.POST, request.FILES, queryset=modified_objects)
            if formset.is_valid():
                changecount = 0
                with transaction.atomic():
                    for form in formset.forms:
                        if form.has_changed():
                            obj = self.save_form(request, form, change=True)
                            if obj._state.adding:
                                raise BadRequest("list_editable does not allow adding.")
                            self.save_model(request, obj, form, change=True)
                            self.save_related(request, form, formsets=[], change=True)
                            self.log_change(request, obj, self.construct_change_message(request, form, None))
                            changecount += 1
                if changecount:
                    verb = "was" if changecount == 1 else "were"
                    name = model_ngettext(self.opts, changecount)
                    self.message_user(request, f"{changecount} {name} {verb} changed successfully.", messages.SUCCESS)
                return HttpResponseRedirect(request.get_full_path())
        elif cl.list_editable and self.has_change_permission(request):
            formset = cl.formset = self.get_changelist_formset(request)(queryset=cl.result_list)

        if actions:
            action_form = self._get_action_form()(auto_id=None)
            action_form.fields["action"].choices = self.get_action_choices(request)
        else:
            action_form = None
        selection_note_all = "%(total_count)s selected" if cl.result_count == 1 else "All %(total_count)s selected"
        context = {
            **self.admin_site.each_context(request),
            "module_name": str(self.opts.verbose_name_plural),
            "selection_note": "0 of %(cnt)s selected" % {"cnt": len(cl.result_list)},
            "selection_note_all": selection_note_all % {"total_count": cl.result_count},
            "title": cl.title,
            "subtitle": None,
            "is_popup": cl.is_popup,
            "to_field": cl.to_field,
            "cl": cl,
            "has_add_permission": self.has_add_permission(request),
            "opts": cl.opts,
            "action_form": action_form,
            "actions_on_top": self.actions_on_top,
            "actions_on_bottom": self.actions_on_bottom,
            "actions_selection_counter": self.actions_selection_counter,
            "preserved_filters": self.get_preserved_filters(request),
            **(extra_context or {}),
        }
        request.current_app = self.admin_site.name
        return TemplateResponse(request, self.change_list_template or self._template_names("change_list.html"), context)

    # Delete.

    def delete_view(self, request, object_id: str, extra_context=None):
        """Confirm, then delete one object; in a transaction."""
        with transaction.atomic():
            return self._delete_view(request, object_id, extra_context)

    def _delete_view(self, request, object_id, extra_context):
        to_field = request.POST.get(TO_FIELD_VAR, request.GET.get(TO_FIELD_VAR))
        if to_field and not self.to_field_allowed(request, to_field):
            raise DisallowedModelAdminToField(f"The field {to_field} cannot be referenced.")
        obj = self.get_object(request, unquote(object_id), to_field)
        if not self.has_delete_permission(request, obj):
            raise PermissionDenied
        if obj is None:
            return self._get_obj_does_not_exist_redirect(request, self.opts, object_id)
        deleted_objects, model_count, perms_needed, protected = self.get_deleted_objects([obj], request)
        if request.method == "POST" and not protected:
            if perms_needed:
                raise PermissionDenied
            obj_display = str(obj)
            obj_id = obj.serializable_value(str(to_field) if to_field else self.opts.pk.attname)
            self.log_deletions(request, [obj])
            self.delete_model(request, obj)
            return self.response_delete(request, obj_display, obj_id)
        object_name = str(self.opts.verbose_name)
        title = "Cannot delete %(name)s" % {"name": object_name} if perms_needed or protected else "Delete"
        context = {
            **self.admin_site.each_context(request),
            "title": title,
            "subtitle": None,
            "object_name": object_name,
            "object": obj,
            "deleted_objects": deleted_objects,
            "model_count": dict(model_count).items(),
            "perms_lacking": perms_needed,
            "protected": protected,
            "opts": self.opts,
            "app_label": self.opts.app_label,
            "preserved_filters": self.get_preserved_filters(request),
            "is_popup": IS_POPUP_VAR in request.POST or IS_POPUP_VAR in request.GET,
            "to_field": to_field,
            **(extra_context or {}),
        }
        return self.render_delete_form(request, context)

    def render_delete_form(self, request, context):
        """The delete confirmation page (``delete_confirmation.html``, overridable per app and model)."""
        request.current_app = self.admin_site.name
        context.update(to_field_var=TO_FIELD_VAR, is_popup_var=IS_POPUP_VAR)
        return TemplateResponse(
            request, self.delete_confirmation_template or self._template_names("delete_confirmation.html"), context
        )

    # History.

    def history_view(self, request, object_id: str, extra_context=None):
        """The object's history: its LogEntry rows, oldest first, 100 a page."""
        from tinyframe.contrib.admin.models import LogEntry

        obj = self.get_object(request, unquote(object_id))
        if obj is None:
            return self._get_obj_does_not_exist_redirect(request, self.opts, object_id)
        if not self.has_view_or_change_permission(request, obj):
            raise PermissionDenied
        action_list = LogEntry.objects.filter(
            object_id=unquote(object_id), app_label=self.opts.app_label, model=self.opts.model_name
        ).select_related("user").order_by("action_time", "pk")
        paginator = self.get_paginator(request, action_list, 100)
        page_obj = paginator.get_page(request.GET.get(PAGE_VAR, 1))
        context = {
            **self.admin_site.each_context(request),
            "title": "Change history: %s" % obj,
            "subtitle": None,
            "action_list": page_obj,
            "page_range": paginator.get_elided_page_range(page_obj.number),
            "page_var": PAGE_VAR,
            "pagination_required": paginator.count > 100,
            "module_name": str(capfirst(self.opts.verbose_name_plural)),
            "object": obj,
            "opts": self.opts,
            "preserved_filters": self.get_preserved_filters(request),
            **(extra_context or {}),
        }
        request.current_app = self.admin_site.name
        return TemplateResponse(
            request, self.object_history_template or self._template_names("object_history.html"), context
        )
