"""``{% load admin_list %}``: the changelist page's pieces, each read from the ``cl`` (ChangeList) in the context.

How it works: ``change_list.html`` calls one tag per piece, and each tag
turns the ChangeList into a small context for its own template (overridable
per app and per model, see ``base.py``):

- ``{% result_list cl %}`` → ``change_list_results.html``: the headers
  (``result_headers``: a label, and sort links built from the ``o``
  parameter) and the rows (``results`` → ``items_for_result``: one cell per
  ``list_display`` entry, read by ``lookup_field``, shown by
  ``display_for_field``, the first linked to the change page);
- ``{% pagination cl %}``, ``{% search_form cl %}``, ``{% date_hierarchy cl %}``,
  ``{% admin_actions %}``, ``{% change_list_object_tools %}``;
- ``{% admin_list_filter cl spec %}`` renders one filter with its own
  ``spec.template``.

Every cell is built as ``format_html`` builds HTML, its content escaped
between tags written once a page (``RowLayout``): a row's ``__str__`` or a
search term can hold ``<script>``, and comes out escaped.
"""

import datetime
from urllib.parse import parse_qsl, urlencode

from tinyframe.contrib.admin.templatetags.admin_urls import add_preserved_filters
from tinyframe.contrib.admin.templatetags.base import InclusionAdminNode
from tinyframe.contrib.admin.utils import (
    PreparedHTML,
    display_for_field,
    display_for_value,
    get_fields_from_path,
    label_for_field,
    lookup_field,
)
from tinyframe.contrib.admin.views.main import (
    ALL_VAR,
    IS_FACETS_VAR,
    IS_POPUP_VAR,
    ORDER_VAR,
    PAGE_VAR,
    SEARCH_VAR,
)
from tinyframe.core.exceptions import ObjectDoesNotExist
from tinyframe.db import models
from tinyframe.template import Library
from tinyframe.template.loader import get_template
from tinyframe.template.runtime import add_indexed_type
from tinyframe.urls import NoReverseMatch
from tinyframe.utils import dateformat, timezone
from tinyframe.utils.html import format_html
from tinyframe.utils.safestring import mark_safe
from tinyframe.utils.text import capfirst

register = Library()


# -- pagination -------------------------------------------------------------------------------


@register.simple_tag
def paginator_number(cl, i):
    """One page link: the current page as text, an ellipsis as is, the others as links."""
    if i == cl.paginator.ELLIPSIS:
        return format_html("{} ", cl.paginator.ELLIPSIS)
    if i == cl.page_num:
        return format_html('<span class="this-page">{}</span> ', i)
    end = mark_safe(' class="end"') if i == cl.paginator.num_pages else ""
    return format_html('<a role="button" href="{}"{}>{}</a> ', cl.get_query_string({PAGE_VAR: i}), end, i)


def pagination(cl) -> dict:
    """The context of ``pagination.html``: the page range (with ellipses) and the "Show all" link."""
    pagination_required = (not cl.show_all or not cl.can_show_all) and cl.multi_page
    page_range = list(cl.paginator.get_elided_page_range(cl.page_num)) if pagination_required else []
    show_all_link = cl.can_show_all and not cl.show_all and cl.multi_page
    return {
        "cl": cl,
        "pagination_required": pagination_required,
        "show_all_url": show_all_link and cl.get_query_string({ALL_VAR: ""}),
        "page_range": page_range,
        "ALL_VAR": ALL_VAR,
        "1": 1,
    }


@register.tag(name="pagination")
def pagination_tag(parser, token):
    return InclusionAdminNode(parser, token, func=pagination, template_name="pagination.html", takes_context=False)


# -- the table ----------------------------------------------------------------------------------


def _coerce_field_name(field_name, field_index: int) -> str:
    """A column's CSS name: a callable's ``__name__`` (a lambda's is its index)."""
    if callable(field_name):
        if field_name.__name__ == "<lambda>":
            return f"lambda{field_index}"
        return field_name.__name__
    return field_name


def _order_param(order_type: str, index: int) -> str:
    return ("-" if order_type == "desc" else "") + str(index)


def result_headers(cl):
    """One dict per column: ``text``, ``sortable``, and for a sortable one ``sorted``, ``ascending``,
    ``sort_priority`` and the three links ``url_primary`` (sort by it first), ``url_toggle`` (flip it)
    and ``url_remove`` (stop sorting by it).
    """
    ordering_field_columns = cl.get_ordering_field_columns()
    for index, field_name in enumerate(cl.list_display):
        text, attr = label_for_field(field_name, cl.model, model_admin=cl.model_admin, return_attr=True)
        is_field_sortable = cl.sortable_by is None or field_name in cl.sortable_by
        if attr:
            field_name = _coerce_field_name(field_name, index)
            if field_name == "action_checkbox":
                yield {
                    "text": mark_safe('<input type="checkbox" id="action-toggle" '
                                      'aria-label="Select all objects on this page for an action">'),
                    "class_attrib": mark_safe(' class="action-checkbox-column"'),
                    "sortable": False,
                }  # fmt: skip
                continue
            order_field = getattr(attr.fget if isinstance(attr, property) else attr, "admin_order_field", None)
            # A column across a relation (author__name) sorts by its path, as in Django.
            across = "__" in field_name and field_name != "__str__"
            is_field_sortable = is_field_sortable and (order_field is not None or across)
        if not is_field_sortable:
            yield {"text": text, "class_attrib": format_html(' class="column-{}"', field_name), "sortable": False}
            continue
        th_classes = ["sortable", f"column-{field_name}"]
        order_type = ""
        new_order_type = "asc"
        sort_priority = 0
        is_sorted = index in ordering_field_columns
        if is_sorted:
            order_type = ordering_field_columns[index].lower()
            sort_priority = list(ordering_field_columns).index(index) + 1
            th_classes.append(f"sorted {order_type}ending")
            new_order_type = {"asc": "desc", "desc": "asc"}[order_type]
        primary, remove, toggle = [], [], []
        for column, column_order in ordering_field_columns.items():
            if column == index:
                param = _order_param(new_order_type, column)
                primary.insert(0, param)
                toggle.append(param)
            else:
                param = _order_param(column_order, column)
                primary.append(param)
                toggle.append(param)
                remove.append(param)
        if not is_sorted:
            primary.insert(0, _order_param(new_order_type, index))
        yield {
            "text": text,
            "sortable": True,
            "sorted": is_sorted,
            "ascending": order_type == "asc",
            "sort_priority": sort_priority,
            "url_primary": cl.get_query_string({ORDER_VAR: ".".join(primary)}),
            "url_remove": cl.get_query_string({ORDER_VAR: ".".join(remove)}),
            "url_toggle": cl.get_query_string({ORDER_VAR: ".".join(toggle)}),
            "class_attrib": format_html(' class="{}"', " ".join(th_classes)),
        }


def link_in_col(is_first: bool, field_name, cl) -> bool:
    """Whether this column links to the change page: those of ``list_display_links``, else the first."""
    if cl.list_display_links is None:
        return False
    if is_first and not cl.list_display_links:
        return True
    return field_name in cl.list_display_links


class ColumnCells(dict):
    """One changelist column's cells, ``{(checkbox, nowrap): PreparedHTML}``, made when first needed.

    A cell is its tag with its class, around its content escaped. The class
    is its column's (``checkbox``: the action checkbox's own), plus
    ``nowrap`` for a date, a time or a foreign key: which applies is known
    only once a row's value is read, but the cell's HTML is the column's,
    split once a page, the first time a row asks for it. The class names are
    the columns' own (field and function names), so they go in as they are,
    as Django's ``class`` attribute has them.

    >>> ColumnCells("th", "field-title")[False, True].format("Tips & <tricks>")
    '<th class="field-title nowrap">Tips &amp; &lt;tricks&gt;</th>'
    """

    def __init__(self, tag: str, css_class: str):
        super().__init__()
        self.tag = tag
        self.css_class = css_class

    def __missing__(self, key: tuple) -> PreparedHTML:
        checkbox, nowrap = key
        classes = ["action-checkbox" if checkbox else self.css_class] + (["nowrap"] if nowrap else [])
        cell = self[key] = PreparedHTML(f'<{self.tag} class="{" ".join(classes)}">{{}}</{self.tag}>')
        return cell


class RowLayout:
    """What every row of one changelist page shares, worked out once per page rather than once per cell.

    ``columns`` holds, per ``list_display`` entry, its name, the tag of its
    link to the change page (``"th"`` for the first linked column, ``"td"``
    for another, ``None`` for a column without one) and its cells' tags
    (``ColumnCells``), with their class attribute, split once a page: a
    row only escapes its values into them. ``link`` is the link to a
    row's change page, its URL and text left to fill (``PreparedHTML``),
    and on a popup page (a list that picks a row for another form) the value
    handed back to that form, ``data-popup-opener``. ``empty_value_display``
    is the admin's, and ``link_query`` the preserved filters that every
    change link carries (``?_changelist_filters=...``): what
    ``add_preserved_filters`` adds to a change page's URL, the same for every
    row, so its resolve() and parse_qsl run once a page, not once a row.
    """

    def __init__(self, cl):
        self.empty_value_display = cl.model_admin.get_empty_value_display()
        self.columns = []
        first = True
        for field_index, field_name in enumerate(cl.list_display):
            link_tag = None
            if link_in_col(first, field_name, cl):
                link_tag = "th" if first else "td"
                first = False
            css_class = f"field-{_coerce_field_name(field_name, field_index)}"
            self.columns.append((field_name, link_tag, ColumnCells(link_tag or "td", css_class)))
        self.link = PreparedHTML(
            '<a href="{}" data-popup-opener="{}">{}</a>' if cl.is_popup else '<a href="{}">{}</a>'
        )
        self.preserved_filters = {"preserved_filters": cl.preserved_filters, "opts": cl.opts}
        preserved = dict(parse_qsl(cl.preserved_filters or ""))
        self.link_query = f"?{urlencode(preserved)}" if preserved else ""

    def change_link(self, url: str) -> str:
        """A row's change page ``url`` with the preserved filters, as ``add_preserved_filters`` adds them."""
        if "?" in url:  # a URL with a query of its own (a custom url_for_result): merge them
            return add_preserved_filters(self.preserved_filters, url)
        return url + self.link_query


def items_for_result(cl, result, form, layout=None):
    """The cells of one row, as HTML: ``<th>``/``<td>`` with the value shown and escaped.

    ``layout`` is the page's ``RowLayout``; ``results()`` makes it once for all the rows.
    """
    layout = layout or RowLayout(cl)
    pk_name = cl.lookup_opts.pk.name
    for field_name, link_tag, cells in layout.columns:
        empty_value_display = layout.empty_value_display
        checkbox = nowrap = False
        try:
            field, attr, value = lookup_field(field_name, result, cl.model_admin)
        except ObjectDoesNotExist:
            result_repr = empty_value_display
        else:
            if field is None or field.auto_created:
                # Display options (``@admin.display``) live on a callable or a model attribute, never on a field.
                empty_value_display = getattr(attr, "empty_value_display", empty_value_display)
                checkbox = field_name == "action_checkbox"
                result_repr = display_for_value(value, empty_value_display, getattr(attr, "boolean", False))
                nowrap = isinstance(value, (datetime.date, datetime.time))
            else:
                if field.is_relation and field.many_to_one:
                    result_repr = empty_value_display if value is None else value
                else:
                    result_repr = display_for_field(value, field, empty_value_display)
                nowrap = isinstance(field, (models.DateField, models.TimeField, models.ForeignKey))
        if link_tag:
            try:
                url = cl.url_for_result(result)
            except NoReverseMatch:
                pass  # the text, without a link
            else:
                url = layout.change_link(url)
                if cl.is_popup:
                    value = result.serializable_value(str(cl.to_field) if cl.to_field else cl.lookup_opts.pk.attname)
                    result_repr = layout.link.format(url, value, result_repr)
                else:
                    result_repr = layout.link.format(url, result_repr)
        elif form and field_name in form.fields and not (field_name == pk_name and form[pk_name].is_hidden):
            bound_field = form[field_name]
            result_repr = mark_safe(str(bound_field.errors) + str(bound_field))
        yield cells[checkbox, nowrap].format(result_repr)
    if form and not form[pk_name].is_hidden:
        yield format_html("<td>{}</td>", form[pk_name])


class ResultList(list):
    """One row's cells, with the row's ``list_editable`` form (``None`` without one)."""

    def __init__(self, form, *items):
        self.form = form
        super().__init__(*items)


# {% if result.form %} in change_list_results.html, once a row: a row's items
# are its cells, numbered, so the template lookup goes straight to the
# attribute (see tinyframe.template.runtime.INDEXED_TYPES) rather than through
# a TypeError: ~1 us a row (tests/benchmarks/admin.py).
add_indexed_type(ResultList)


def results(cl):
    """Every row of the page as a ``ResultList``."""
    layout = RowLayout(cl)
    formset = getattr(cl, "formset", None)
    if formset:
        for result, form in zip(cl.result_list, formset.forms):
            yield ResultList(form, items_for_result(cl, result, form, layout))
    else:
        for result in cl.result_list:
            yield ResultList(None, items_for_result(cl, result, None, layout))


def result_hidden_fields(cl):
    """The hidden primary-key inputs of the ``list_editable`` forms."""
    formset = getattr(cl, "formset", None)
    if formset:
        pk_name = cl.lookup_opts.pk.name
        for form in formset.forms:
            if form[pk_name].is_hidden:
                yield mark_safe(str(form[pk_name]))


def result_list(cl) -> dict:
    """The context of ``change_list_results.html``."""
    headers = list(result_headers(cl))
    return {
        "cl": cl,
        "result_hidden_fields": list(result_hidden_fields(cl)),
        "result_headers": headers,
        "num_sorted_fields": sum(1 for header in headers if header.get("sorted")),
        "results": list(results(cl)),
    }


@register.tag(name="result_list")
def result_list_tag(parser, token):
    return InclusionAdminNode(parser, token, func=result_list, template_name="change_list_results.html",
                              takes_context=False)  # fmt: skip


# -- the date drill-down ------------------------------------------------------------------------------


def _local(value):
    """A datetime in the current time zone (dates as they are)."""
    if isinstance(value, datetime.datetime) and timezone.is_aware(value):
        return timezone.localtime(value)
    return value


def date_hierarchy(cl) -> dict:
    """The context of ``date_hierarchy.html``: the years, months of a year, or days of a month to drill into."""
    from tinyframe.conf import settings

    if not cl.date_hierarchy:
        return {"show": False}
    field_name = cl.date_hierarchy
    get_fields_from_path(cl.model, field_name)
    year_field, month_field, day_field = f"{field_name}__year", f"{field_name}__month", f"{field_name}__day"

    def link(filters):
        return cl.get_query_string(filters, [f"{field_name}__"])

    year, month, day = cl.params.get(year_field), cl.params.get(month_field), cl.params.get(day_field)
    # The distinct dates of the rows shown, in the current time zone (one column read, then grouped here).
    values = cl.queryset.order_by().values_list(field_name, flat=True)
    dates = sorted({_local(value).date() if isinstance(value, datetime.datetime) else value
                    for value in values if value is not None})  # fmt: skip
    if not (year or month or day) and dates:
        if dates[0].year == dates[-1].year:
            year = str(dates[0].year)
            if dates[0].month == dates[-1].month:
                month = str(dates[0].month)
    if year and month and day:
        chosen = datetime.date(int(year), int(month), int(day))
        return {
            "show": True,
            "back": {"link": link({year_field: year, month_field: month}),
                     "title": capfirst(dateformat.format(chosen, settings.YEAR_MONTH_FORMAT))},
            "choices": [{"title": capfirst(dateformat.format(chosen, settings.MONTH_DAY_FORMAT))}],
        }  # fmt: skip
    if year and month:
        days = [date for date in dates if (date.year, date.month) == (int(year), int(month))]
        return {
            "show": True,
            "back": {"link": link({year_field: year}), "title": str(year)},
            "choices": [{"link": link({year_field: year, month_field: month, day_field: date.day}),
                         "title": capfirst(dateformat.format(date, settings.MONTH_DAY_FORMAT))} for date in days],
        }  # fmt: skip
    if year:
        months = sorted({date.replace(day=1) for date in dates if date.year == int(year)})
        return {
            "show": True,
            "back": {"link": link({}), "title": "All dates"},
            "choices": [{"link": link({year_field: year, month_field: date.month}),
                         "title": capfirst(dateformat.format(date, settings.YEAR_MONTH_FORMAT))} for date in months],
        }  # fmt: skip
    years = sorted({date.year for date in dates})
    return {
        "show": True,
        "back": None,
        "choices": [{"link": link({year_field: str(value)}), "title": str(value)} for value in years],
    }


@register.tag(name="date_hierarchy")
def date_hierarchy_tag(parser, token):
    return InclusionAdminNode(parser, token, func=date_hierarchy, template_name="date_hierarchy.html",
                              takes_context=False)  # fmt: skip


# -- search, filters, actions, tools ---------------------------------------------------------------


def search_form(cl) -> dict:
    """The context of ``search_form.html``: the term (escaped by the template) and the counts."""
    return {
        "cl": cl,
        "show_result_count": cl.result_count != cl.full_result_count,
        "search_var": SEARCH_VAR,
        "is_popup_var": IS_POPUP_VAR,
        "is_facets_var": IS_FACETS_VAR,
    }


@register.tag(name="search_form")
def search_form_tag(parser, token):
    return InclusionAdminNode(parser, token, func=search_form, template_name="search_form.html", takes_context=False)


@register.simple_tag
def admin_list_filter(cl, spec):
    """One filter, rendered with its own template (``spec.template``, ``admin/filter.html`` by default)."""
    template = get_template(spec.template)
    return template.render({"title": spec.title, "choices": list(spec.choices(cl)), "spec": spec})


def admin_actions(context):
    """The actions bar's context; ``action_index`` counts the bars (one above and one below the table)."""
    context["action_index"] = context.get("action_index", -1) + 1
    return context.flatten()


@register.tag(name="admin_actions")
def admin_actions_tag(parser, token):
    return InclusionAdminNode(parser, token, func=admin_actions, template_name="actions.html")


def _change_list_object_tools(context):
    return context.flatten()


@register.tag(name="change_list_object_tools")
def change_list_object_tools_tag(parser, token):
    """The changelist's tool links ("Add <model>"), from ``change_list_object_tools.html``."""
    return InclusionAdminNode(parser, token, func=_change_list_object_tools,
                              template_name="change_list_object_tools.html")  # fmt: skip
