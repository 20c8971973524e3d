"""The changelist: one page of a model's rows, searched, filtered, sorted and paged from the query string.

How it works: ``ModelAdmin.changelist_view`` makes a ``ChangeList(request,
model, list_display, ...)``. Its constructor reads the query string --
``q`` (search), ``o`` (ordering: column indexes such as ``"2.-1"``), ``p``
(page), ``all`` (show every row), ``e`` (the error flag of a redirect) and
the rest, which are filters -- then:

1. ``get_filters`` hands the filter parameters to each ``list_filter``
   (``filters.py``); what no filter takes must name a real field, or it is
   ``IncorrectLookupParameters`` (the view redirects to ``?e=1``).
2. ``get_queryset`` applies the filters and the remaining parameters (bound
   ``filter()`` arguments), the search (``model_admin.get_search_results``),
   ``distinct()`` when a lookup may repeat rows, and the ordering, which ends
   in the primary key so that pages never overlap.
3. ``get_results`` pages it (``result_count``, ``full_result_count``,
   ``result_list``, ``multi_page``, ``can_show_all``).

``get_query_string`` builds the links of the page (filters, sorting, pages),
keeping the other parameters.
"""

import datetime
from functools import cached_property
from urllib.parse import quote as urlquote

from tinyframe.conf import settings
from tinyframe.contrib import messages
from tinyframe.contrib.admin.filters import FieldListFilter, build_q_object_from_lookup_parameters
from tinyframe.contrib.admin.utils import (
    get_fields_from_path,
    has_field,
    lookup_spawns_duplicates,
    prepare_lookup_value,
    quote,
)
from tinyframe.core.exceptions import FieldDoesNotExist, FieldError, ImproperlyConfigured, SuspiciousOperation
from tinyframe.core.exceptions import ValidationError
from tinyframe.core.paginator import InvalidPage
from tinyframe.db import models
from tinyframe.urls import NoReverseMatch, reverse
from tinyframe.urls.reversal import PATH_SAFE_CHARACTERS
from tinyframe.utils import timezone
from tinyframe.utils.http import urlencode

# The query parameters of the changelist itself; all the others are filters.
ALL_VAR = "all"
ORDER_VAR = "o"
PAGE_VAR = "p"
SEARCH_VAR = "q"
ERROR_FLAG = "e"
IS_POPUP_VAR = "_popup"
TO_FIELD_VAR = "_to_field"
IS_FACETS_VAR = "_facets"
# Where each row's key goes in the change URL reversed once a page: no quoted
# key holds it, since quote() turns every "_" into "_5F" ("K" is no hex digit).
KEY_PLACEHOLDER = "_KEY_"
IGNORED_PARAMS = (ALL_VAR, ORDER_VAR, SEARCH_VAR, IS_FACETS_VAR, IS_POPUP_VAR, TO_FIELD_VAR, PAGE_VAR, ERROR_FLAG,
                  "_changelist_filters")  # fmt: skip


def incorrect_lookup_parameters(error):
    """``options.IncorrectLookupParameters(error)`` (imported late: ``options.py`` imports this module's users)."""
    from tinyframe.contrib.admin.options import IncorrectLookupParameters

    return IncorrectLookupParameters(error)


def relational_lookup_allowed(model_admin, lookup: str, request) -> bool:
    """Whether the changelist may filter by ``lookup`` (what ``ModelAdmin.lookup_allowed`` answers by default).

    A lookup on the model's own fields is allowed; one that follows a
    relation (``author__name``, ``author__user__password__startswith``) only
    when ``list_filter`` or ``date_hierarchy`` names that path: otherwise a
    staff user could read any related column, a letter at a time.
    """
    from tinyframe.contrib.admin.filters import SimpleListFilter

    model = model_admin.model
    relation_parts = []
    previous = None
    for part in lookup.split("__"):
        try:
            field = model._meta.get_field(part)
        except FieldDoesNotExist:
            break  # A lookup or a transform ("exact", "year"), or a name the query will refuse later.
        if previous is None or (previous.is_relation and (field.is_relation or not field.primary_key)):
            relation_parts.append(part)
        if not getattr(field, "path_infos", None):
            break  # Not a relation: the rest are lookups.
        previous = field
        model = field.path_infos[-1].to_opts.model
    if len(relation_parts) <= 1:
        return True
    valid = {model_admin.date_hierarchy}
    for item in model_admin.get_list_filter(request):
        if isinstance(item, type) and issubclass(item, SimpleListFilter):
            valid.add(item.parameter_name)
        elif isinstance(item, (list, tuple)):
            valid.add(item[0])
        else:
            valid.add(item)
    return not {"__".join(relation_parts), "__".join(relation_parts + [part])}.isdisjoint(valid)


class ChangeList:
    """The state of one changelist page: its QuerySet, its page of rows, and the query string they came from."""

    def __init__(
        self,
        request,
        model,
        list_display,
        list_display_links,
        list_filter,
        date_hierarchy,
        search_fields,
        list_select_related,
        list_per_page,
        list_max_show_all,
        list_editable,
        model_admin,
        sortable_by,
        search_help_text=None,
    ):
        self.model = model
        self.opts = model._meta
        self.lookup_opts = self.opts
        self.root_queryset = model_admin.get_queryset(request)
        self.list_display = list(list_display)
        self.list_display_links = list_display_links
        self.list_filter = list_filter
        self.has_filters = None
        self.has_active_filters = None
        self.clear_all_filters_qs = None
        self.date_hierarchy = date_hierarchy
        self.search_fields = search_fields
        self.list_select_related = list_select_related
        self.list_per_page = list_per_page
        self.list_max_show_all = list_max_show_all
        self.model_admin = model_admin
        self.preserved_filters = getattr(model_admin, "get_preserved_filters", lambda request: "")(request)
        self.sortable_by = sortable_by
        self.search_help_text = search_help_text
        # The search term as typed (a NUL character, which no database stores, is refused with a message).
        query = request.GET.get(SEARCH_VAR, "")
        if "\x00" in query:
            messages.error(request, "Null characters are not allowed.")
            query = ""
        self.query = query
        try:
            self.page_num = int(request.GET.get(PAGE_VAR, 1))
        except ValueError:
            self.page_num = 1
        self.show_all = ALL_VAR in request.GET
        self.is_popup = IS_POPUP_VAR in request.GET
        self.to_field = request.GET.get(TO_FIELD_VAR)
        if self.to_field and not model_admin.to_field_allowed(request, self.to_field):
            # A popup prints this field of every row: only the pk or a field a relation targets (a 400).
            from tinyframe.contrib.admin.exceptions import DisallowedModelAdminToField

            raise DisallowedModelAdminToField(f"The field {self.to_field} cannot be referenced.")
        # params: each parameter's last value; filter_params: all of them (a filter may be given twice).
        self.params = dict(request.GET.items())
        self.filter_params = dict(request.GET.lists())
        for name in (PAGE_VAR, ERROR_FLAG):
            self.params.pop(name, None)
            self.filter_params.pop(name, None)
        self.add_facets = False
        self.list_editable = () if self.is_popup else list_editable
        self.queryset = self.get_queryset(request)
        self.get_results(request)
        if self.is_popup:
            title = "Select %s"
        elif model_admin.has_change_permission(request):
            title = "Select %s to change"
        else:
            title = "Select %s to view"
        self.title = title % self.opts.verbose_name
        self.pk_attname = self.lookup_opts.pk.attname

    def __repr__(self) -> str:
        return f"<ChangeList: model={self.model.__qualname__} model_admin={self.model_admin.__class__.__qualname__}>"

    # -- filters ------------------------------------------------------------------------

    def get_filters_params(self, params: dict | None = None) -> dict:
        """The query parameters that are filters: all but the changelist's own (``q``, ``o``, ``p``...)."""
        params = dict(self.filter_params if params is None else params)
        for name in IGNORED_PARAMS:
            params.pop(name, None)
        return params

    def get_filters(self, request) -> tuple:
        """``(filter_specs, has_filters, remaining_lookup_params, may_have_duplicates, has_active_filters)``.

        Each ``list_filter`` entry takes its parameters; the rest must be
        lookups of real fields (``IncorrectLookupParameters`` otherwise).
        """
        lookup_params = self.get_filters_params()
        may_have_duplicates = False
        has_active_filters = False
        for key, values in lookup_params.items():
            for value in values:
                if not self.model_admin.lookup_allowed(key, value, request):
                    # A 400, as Django: the query string asks for a column the admin does not offer.
                    from tinyframe.contrib.admin.exceptions import DisallowedModelAdminLookup

                    raise DisallowedModelAdminLookup(f"Filtering by {key} not allowed")
        filter_specs = []
        for list_filter in self.list_filter:
            count_before = len(lookup_params)
            if callable(list_filter) and not isinstance(list_filter, (tuple, list)) and not isinstance(
                list_filter, str
            ):
                spec = list_filter(request, lookup_params, self.model, self.model_admin)
            else:
                if isinstance(list_filter, (tuple, list)):
                    field, field_list_filter_class = list_filter
                else:
                    field, field_list_filter_class = list_filter, FieldListFilter.create
                field_path = field
                if not isinstance(field, models.Field):
                    field = get_fields_from_path(self.model, field_path)[-1]
                else:
                    field_path = field.name
                spec = field_list_filter_class(
                    field, request, lookup_params, self.model, self.model_admin, field_path=field_path
                )
                if count_before > len(lookup_params):
                    may_have_duplicates |= lookup_spawns_duplicates(self.lookup_opts, field_path)
            if spec and spec.has_output():
                filter_specs.append(spec)
                if count_before > len(lookup_params):
                    has_active_filters = True
        if self.date_hierarchy:
            self._take_date_hierarchy(lookup_params)  # a date drill-down is no filter: no "Clear all filters" (Django)
        try:
            for key, value in lookup_params.items():
                lookup_params[key] = prepare_lookup_value(key, value)
                may_have_duplicates |= lookup_spawns_duplicates(self.lookup_opts, key)
                if key.split("__")[0] != "pk":  # ?pk=3 filters by the primary key, as in Django
                    get_fields_from_path(self.model, key.split("__")[0])
        except FieldDoesNotExist as error:
            raise incorrect_lookup_parameters(error) from error
        return filter_specs, bool(filter_specs), lookup_params, may_have_duplicates, has_active_filters

    def _take_date_hierarchy(self, lookup_params: dict) -> bool:
        """Turn ``<field>__year/month/day`` into a ``__gte`` / ``__lt`` range (an index can serve it)."""
        field = self.date_hierarchy
        year = lookup_params.pop(f"{field}__year", None)
        if year is None:
            return False
        month = lookup_params.pop(f"{field}__month", None)
        day = lookup_params.pop(f"{field}__day", None)
        try:
            start = datetime.datetime(int(year[-1]), int(month[-1]) if month else 1, int(day[-1]) if day else 1)
        except ValueError as error:
            raise incorrect_lookup_parameters(error) from error
        if day:
            end = start + datetime.timedelta(days=1)
        elif month:
            end = (start + datetime.timedelta(days=32)).replace(day=1)
        else:
            end = start.replace(year=start.year + 1)
        if settings.USE_TZ and isinstance(self.opts.get_field(field), models.DateTimeField):
            start, end = timezone.make_aware(start), timezone.make_aware(end)
        elif not isinstance(self.opts.get_field(field), models.DateTimeField):
            start, end = start.date(), end.date()
        lookup_params[f"{field}__gte"] = [start]
        lookup_params[f"{field}__lt"] = [end]
        return True

    # -- links --------------------------------------------------------------------------

    def get_query_string(self, new_params: dict | None = None, remove=None) -> str:
        """``"?..."``: this page's parameters, less those starting with a name in ``remove``, with ``new_params``.

        A ``None`` value in ``new_params`` removes that parameter. Names come sorted.

        A page has dozens of these links (each filter choice, each column
        header) that differ from the page's parameters by one or two names:
        the page's parameters are encoded once (``_encoded_params``), and a
        link encodes only its new ones.
        """
        encoded = dict(self._encoded_params)
        for prefix in remove or ():
            for name in list(encoded):
                if name.startswith(prefix):
                    del encoded[name]
        for name, value in (new_params or {}).items():
            if value is None:
                encoded.pop(name, None)
            else:
                encoded[name] = urlencode([(name, value if isinstance(value, list) else [value])], doseq=True)
        return "?" + "&".join(encoded[name] for name in sorted(encoded) if encoded[name])

    @cached_property
    def _encoded_params(self) -> dict:
        """``{name: "name=value&name=other"}``: each of this page's parameters, encoded once a page."""
        return {name: urlencode([(name, values)], doseq=True) for name, values in self.filter_params.items()}

    def url_for_result(self, result) -> str:
        """The change page of one row.

        The rows' URLs differ only in their key, so the change URL is reversed
        once a page, around a placeholder key (``_change_url_around_key``),
        and each row's quoted key goes in its place, percent-encoded as
        reverse() encodes a URL: reversing for every row was a tenth of a
        100-row page's time (tests/benchmarks/admin.py).
        """
        key = str(quote(getattr(result, self.pk_attname)))
        around = self._change_url_around_key
        if key and around:
            before, after = around
            return before + urlquote(key, safe=PATH_SAFE_CHARACTERS) + after
        return self._reverse_change_url(key)  # an empty key gets reverse()'s own NoReverseMatch

    def _reverse_change_url(self, key: str) -> str:
        return reverse(
            f"admin:{self.opts.app_label}_{self.opts.model_name}_change",
            args=(key,),
            current_app=self.model_admin.admin_site.name,
        )

    @cached_property
    def _change_url_around_key(self) -> tuple | None:
        """``(before, after)``: the change URL on each side of its key; None when a placeholder key does not fit."""
        try:
            url = self._reverse_change_url(KEY_PLACEHOLDER)
        except NoReverseMatch:
            return None
        before, found, after = url.rpartition(KEY_PLACEHOLDER)
        return (before, after) if found else None

    # -- the rows -----------------------------------------------------------------------

    def get_results(self, request) -> None:
        """Page the QuerySet: ``result_count``, ``full_result_count``, ``result_list``, ``multi_page``..."""
        paginator = self.model_admin.get_paginator(request, self.queryset, self.list_per_page)
        result_count = paginator.count
        self.show_full_result_count = self.model_admin.show_full_result_count
        full_result_count = self.root_queryset.count() if self.show_full_result_count else None
        can_show_all = result_count <= self.list_max_show_all
        multi_page = result_count > self.list_per_page
        if (self.show_all and can_show_all) or not multi_page:
            result_list = self.queryset._clone()
        else:
            try:
                result_list = paginator.page(self.page_num).object_list
            except InvalidPage as error:
                raise incorrect_lookup_parameters(error) from error
        self.result_count = result_count
        self.show_admin_actions = not self.show_full_result_count or bool(full_result_count)
        self.full_result_count = full_result_count
        self.result_list = result_list
        self.can_show_all = can_show_all
        self.multi_page = multi_page
        self.paginator = paginator

    def _get_default_ordering(self) -> list:
        """The admin's ``ordering``, else the model's ``Meta.ordering``."""
        return list(self.model_admin.ordering or self.lookup_opts.ordering or [])

    def get_ordering_field(self, field_name):
        """The name to ``order_by`` for a ``list_display`` column, or ``None`` if it cannot be sorted.

        A field sorts by itself; a callable, admin method or model attribute
        sorts by its ``admin_order_field`` (what ``@admin.display(ordering=...)`` sets).
        """
        if has_field(self.lookup_opts, field_name):
            return self.lookup_opts.get_field(field_name).name
        if callable(field_name):
            attr = field_name
        elif hasattr(self.model_admin, field_name):
            attr = getattr(self.model_admin, field_name)
        else:
            attr = getattr(self.model, field_name, None)
            if attr is None and "__" in field_name:
                return field_name  # a column across a relation (author__name) sorts by that path, as in Django
        if isinstance(attr, property):
            attr = attr.fget
        return getattr(attr, "admin_order_field", None)

    def _order_params(self) -> list:
        """The ``o`` parameter as ``[(prefix, index)]``: ``"2.-1"`` → ``[("", 2), ("-", 1)]``; junk is skipped."""
        pairs = []
        for part in self.params[ORDER_VAR].split("."):
            _, prefix, index = part.rpartition("-")
            try:
                pairs.append((prefix, int(index)))
            except ValueError:
                continue
        return pairs

    def get_ordering(self, request, queryset) -> list:
        """The ``order_by`` of the page: the sorted columns (``o``), else the default, ending in a unique key."""
        ordering = list(self.model_admin.get_ordering(request) or self._get_default_ordering())
        if self.params.get(ORDER_VAR):  # an empty ?o= keeps the default ordering, as Django's
            ordering = []
            for prefix, index in self._order_params():
                if not 0 <= index < len(self.list_display):
                    continue
                order_field = self.get_ordering_field(self.list_display[index])
                if not order_field:
                    continue
                if order_field.startswith("-") and prefix == "-":
                    ordering.append(order_field[1:])
                elif order_field.startswith("-"):
                    ordering.append(order_field)
                else:
                    ordering.append(prefix + order_field)
        return self._get_deterministic_ordering(ordering)

    def _get_deterministic_ordering(self, ordering: list) -> list:
        """``ordering`` ended by ``-pk`` unless it already names a unique, non-null field: pages never overlap."""
        unique_names = {"pk", self.lookup_opts.pk.name, self.lookup_opts.pk.attname}
        unique_names.update(
            field.name for field in self.lookup_opts.fields if getattr(field, "unique", False) and not field.null
        )
        for name in ordering:
            if isinstance(name, str) and name.lstrip("-") in unique_names:
                return ordering
        return [*ordering, "-pk"]

    def get_ordering_field_columns(self) -> dict:
        """``{column index: "asc" | "desc"}`` of the sorted columns, for the headers' arrows."""
        columns = {}
        if ORDER_VAR not in self.params:
            for name in self._get_default_ordering():
                order_type = "desc" if name.startswith("-") else "asc"
                name = name.lstrip("-")
                for index, attr in enumerate(self.list_display):
                    if self.get_ordering_field(attr) == name:
                        columns[index] = order_type
                        break
        else:
            for prefix, index in self._order_params():
                columns[index] = "desc" if prefix == "-" else "asc"
        return columns

    def apply_select_related(self, queryset):
        """``list_select_related``: True joins every relation, a list those named, False those shown as columns."""
        if self.list_select_related is True:
            return queryset.select_related()
        if self.list_select_related is False:
            if self.has_related_field_in_list_display():
                return queryset.select_related()
            return queryset
        if self.list_select_related:
            return queryset.select_related(*self.list_select_related)
        return queryset

    def has_related_field_in_list_display(self) -> bool:
        """Whether a column shows a foreign key (then joining saves a query a row)."""
        for name in self.list_display:
            try:
                field = self.lookup_opts.get_field(name)
            except (FieldDoesNotExist, TypeError):
                continue
            if field.is_relation and (field.many_to_one or field.one_to_one) and field.concrete:
                if field.attname != name or field.name == name:
                    return True
        return False

    def get_queryset(self, request, exclude_parameters=None):
        """The rows of the page before paging: filtered, searched, made distinct if needed, ordered."""
        (self.filter_specs, self.has_filters, remaining_lookup_params, filters_may_have_duplicates,
         self.has_active_filters) = self.get_filters(request)  # fmt: skip
        queryset = self.root_queryset
        for filter_spec in self.filter_specs:
            narrowed = filter_spec.queryset(request, queryset)
            if narrowed is not None:
                queryset = narrowed
        try:
            if remaining_lookup_params:
                queryset = queryset.filter(build_q_object_from_lookup_parameters(remaining_lookup_params))
        except (SuspiciousOperation, ImproperlyConfigured):
            raise
        except (FieldDoesNotExist, FieldError, ValidationError, ValueError, TypeError) as error:
            raise incorrect_lookup_parameters(error) from error
        queryset = self.apply_select_related(queryset)
        queryset, search_may_have_duplicates = self.model_admin.get_search_results(request, queryset, self.query)
        self.clear_all_filters_qs = self.get_query_string(
            new_params=remaining_lookup_params, remove=list(self.get_filters_params())
        )
        if filters_may_have_duplicates or search_may_have_duplicates:
            queryset = queryset.distinct()
        return queryset.order_by(*self.get_ordering(request, queryset))
