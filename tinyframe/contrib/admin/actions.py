"""The admin's built-in action: delete the selected objects, after a confirmation page.

An action is a function ``(modeladmin, request, queryset)`` the changelist
calls with the rows the user ticked. It returns None to go back to the
changelist, or a response to show instead. ``delete_selected`` does both:

1. the first POST (from the changelist) renders
   ``admin/delete_selected_confirmation.html`` with everything the deletion
   would take along (``modeladmin.get_deleted_objects``, chapter 07's
   collector), or why it cannot happen (permissions lacking, protected rows);
2. the page's own POST carries ``post=yes`` and the same ticked keys: the
   rows are logged, deleted (``delete_queryset``) and a message says how many.
"""

from tinyframe.contrib import messages
from tinyframe.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from tinyframe.core.exceptions import PermissionDenied
from tinyframe.template.response import TemplateResponse

__all__ = ["delete_selected"]


def delete_selected(modeladmin, request, queryset):
    """Ask for confirmation, then delete ``queryset``; None (back to the changelist) once done."""
    from tinyframe.contrib.admin.utils import model_ngettext

    opts = modeladmin.model._meta
    deletable_objects, model_count, perms_needed, protected = modeladmin.get_deleted_objects(queryset, request)

    # The confirmation page's POST says "post"; a protected row blocks it all.
    if request.POST.get("post") and not protected:
        if perms_needed:
            raise PermissionDenied
        count = len(queryset)
        if count:
            modeladmin.log_deletions(request, queryset)
            modeladmin.delete_queryset(request, queryset)
            modeladmin.message_user(
                request,
                "Successfully deleted %(count)d %(items)s." % {"count": count,
                                                                "items": model_ngettext(modeladmin.opts, count)},
                messages.SUCCESS,
            )
        return None

    objects_name = model_ngettext(queryset)
    if perms_needed or protected:
        title = f"Cannot delete {objects_name}"
    else:
        title = "Delete multiple objects"
    context = {
        **modeladmin.admin_site.each_context(request),
        "title": title,
        "subtitle": None,
        "objects_name": str(objects_name),
        "deletable_objects": [deletable_objects],
        "model_count": dict(model_count).items(),
        "queryset": queryset,
        "perms_lacking": perms_needed,
        "protected": protected,
        "opts": opts,
        "action_checkbox_name": ACTION_CHECKBOX_NAME,
        # No static files before chapter 16: a ModelAdmin may still declare Media.
        "media": getattr(modeladmin, "media", None),
    }
    request.current_app = modeladmin.admin_site.name
    return TemplateResponse(request, getattr(modeladmin, "delete_selected_confirmation_template", None) or [
        f"admin/{opts.app_label}/{opts.model_name}/delete_selected_confirmation.html",
        f"admin/{opts.app_label}/delete_selected_confirmation.html",
        "admin/delete_selected_confirmation.html",
    ], context)


# What ``@admin.action(permissions=["delete"], description=...)`` would set:
# the changelist offers the action only to users with the delete permission.
delete_selected.allowed_permissions = ("delete",)
delete_selected.short_description = "Delete selected %(verbose_name_plural)s"
