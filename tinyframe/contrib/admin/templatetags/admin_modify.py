"""``{% load admin_modify %}``: the change page's buttons and the inline table's width.

``{% submit_row %}`` decides which buttons the page shows ("Save", "Save and
add another", "Save and continue editing", "Save as new", "Delete") from the
view's context: add or change, the user's permissions, a popup, ``save_as``;
it renders ``submit_line.html`` (overridable per model, see ``base.py``).
``{% change_form_object_tools %}`` renders the "History" link box;
``inline_admin_form|cell_count`` is how many cells a tabular inline's row has;
``{% prepopulated_fields_js %}`` fills a slug from its source fields as the user types.
"""

from tinyframe.contrib.admin.templatetags.base import InclusionAdminNode
from tinyframe.template import Library

register = Library()


@register.inclusion_tag("admin/prepopulated_fields_js.html", takes_context=True)
def prepopulated_fields_js(context):
    """The page's ``prepopulated_fields`` (the form's, and the new inline rows'), for the filling script."""
    fields = []
    if "adminform" in context:
        fields.extend(context["adminform"].prepopulated_fields)
    for inline_admin_formset in context.get("inline_admin_formsets") or ():
        for inline_admin_form in inline_admin_formset:
            if inline_admin_form.original is None:
                fields.extend(inline_admin_form.prepopulated_fields)
    return {
        "prepopulated_fields": fields,
        "prepopulated_fields_json": [
            {
                "id": f"#{field['field'].auto_id}",
                "name": field["field"].name,
                "dependency_ids": [f"#{dependency.auto_id}" for dependency in field["dependencies"]],
                "dependency_list": [dependency.name for dependency in field["dependencies"]],
                "maxLength": getattr(field["field"].field, "max_length", None) or 50,
                "allowUnicode": getattr(field["field"].field, "allow_unicode", False),
            }
            for field in fields
        ],
    }


def submit_row(context):
    """The context of the button row: ``show_save``, ``show_save_and_continue``, ``show_delete_link``..."""
    add, change, is_popup = context["add"], context["change"], context["is_popup"]
    save_as = context["save_as"]
    show_save = context.get("show_save", True)
    show_save_and_add_another = context.get("show_save_and_add_another", True)
    show_save_and_continue = context.get("show_save_and_continue", True)
    has_add_permission = context["has_add_permission"]
    has_change_permission = context["has_change_permission"]
    has_view_permission = context["has_view_permission"]
    has_editable_inlines = context["has_editable_inline_admin_formsets"]
    # A user who may only view the object may still save when an inline is editable.
    can_save = (has_change_permission and change) or (has_add_permission and add) or has_editable_inlines
    can_save_and_add_another = (
        has_add_permission and not is_popup and (not save_as or add) and can_save and show_save_and_add_another
    )
    can_save_and_continue = not is_popup and can_save and has_view_permission and show_save_and_continue
    return {
        **context.flatten(),
        "can_change": has_change_permission or has_editable_inlines,
        "show_delete_link": (
            not is_popup and context["has_delete_permission"] and change and context.get("show_delete", True)
        ),
        "show_save_as_new": not is_popup and has_add_permission and change and save_as,
        "show_save_and_add_another": can_save_and_add_another,
        "show_save_and_continue": can_save_and_continue,
        "show_save": show_save and can_save,
        "show_close": not (show_save and can_save),
    }


@register.tag(name="submit_row")
def submit_row_tag(parser, token):
    return InclusionAdminNode(parser, token, func=submit_row, template_name="submit_line.html")


def _change_form_object_tools(context):
    return context.flatten()


@register.tag(name="change_form_object_tools")
def change_form_object_tools_tag(parser, token):
    """The change page's tool links ("History"), from ``change_form_object_tools.html``."""
    return InclusionAdminNode(parser, token, func=_change_form_object_tools,
                              template_name="change_form_object_tools.html")


@register.filter
def cell_count(inline_admin_form) -> int:
    """How many cells one row of a tabular inline takes: its visible fields, the hidden-key cell, "Delete?"."""
    count = 1  # the cell holding the hidden primary key and parent key
    for fieldset in inline_admin_form:
        for line in fieldset:
            for field in line:
                try:
                    is_hidden = field.field.is_hidden
                except AttributeError:
                    is_hidden = field.field["is_hidden"]
                if not is_hidden:
                    count += 1
    if inline_admin_form.formset.can_delete:
        count += 1
    return count
