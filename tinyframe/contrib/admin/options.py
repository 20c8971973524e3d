"""ModelAdmin: the options and the pages of one model in the admin.

How it works: ``site.register(Post, PostAdmin)`` makes ``PostAdmin(Post,
site)``, whose ``urls`` name five pages (``admin:blog_post_changelist``,
``_add``, ``_change``, ``_delete``, ``_history``). Each view checks the
user's permission for the model first (``has_view/add/change/delete_permission``,
read from ``user.has_perm("blog.change_post")``), then:

- ``changelist_view`` builds a ``ChangeList`` (``views/main.py``) from the
  options (``list_display``, ``list_filter``, ``search_fields`` through
  ``get_search_results``...), runs a chosen action on the ticked rows, or
  saves the ``list_editable`` formset;
- ``add_view`` and ``change_view`` (``changeform.py``) build a ModelForm with
  ``get_form`` from ``fields``/``fieldsets``/``exclude``/``readonly_fields``,
  and one formset per inline; a valid POST saves the object
  (``save_model``), then its many-to-many data and inlines (``save_related``),
  logs a ``LogEntry`` and redirects by the button pressed (``response_add``);
- ``delete_view`` lists what would go with the object (the chapter 07
  collector, ``get_deleted_objects``) and deletes on POST;
- ``history_view`` lists the object's ``LogEntry`` rows.

A missing object redirects to the index with a warning, never a 404 or 500.
"""

import operator
import re
from functools import partial, reduce, update_wrapper

from tinyframe.contrib import messages
from tinyframe.contrib.admin.changeform import IS_POPUP_VAR, TO_FIELD_VAR, ChangeFormViews
from tinyframe.contrib.admin.exceptions import DisallowedModelAdminLookup, DisallowedModelAdminToField
from tinyframe.contrib.admin.formfields import FormFieldsMixin, default_formfield_overrides
from tinyframe.contrib.admin.listviews import ListViews
from tinyframe.contrib.admin.utils import flatten_fieldsets, lookup_spawns_duplicates, unquote
from tinyframe.contrib.auth import get_permission_codename
from tinyframe.core.exceptions import FieldDoesNotExist, FieldError, ImproperlyConfigured
from tinyframe.core.exceptions import ValidationError
from tinyframe.db import models
from tinyframe.forms.models import ALL_FIELDS, ModelForm, modelform_defines_fields, modelform_factory
from tinyframe.http import HttpResponseRedirect
from tinyframe.urls import path, reverse
from tinyframe.views.generic.base import RedirectView

__all__ = [
    "HORIZONTAL",
    "DisallowedModelAdminLookup",
    "DisallowedModelAdminToField",
    "IS_POPUP_VAR",
    "TO_FIELD_VAR",
    "VERTICAL",
    "BaseModelAdmin",
    "IncorrectLookupParameters",
    "ModelAdmin",
    "get_ul_class",
]

HORIZONTAL, VERTICAL = 1, 2


def get_ul_class(radio_style: int) -> str:
    """The CSS class of a radio list laid out ``VERTICAL`` or ``HORIZONTAL``."""
    return "radiolist" if radio_style == VERTICAL else "radiolist inline"


class IncorrectLookupParameters(Exception):
    """A changelist's query string asked for a filter, ordering or page that does not exist."""


# A search term is a word, or a "quoted phrase" kept together (quotes and all, as Django's smart_split).
SEARCH_TERM_RE = re.compile(
    r"""((?:[^\s'"]*(?:(?:"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*')[^\s'"]*)+)|\S+)"""
)


def split_search_terms(text: str) -> list:
    """The terms of a search box's text: words, and quoted phrases with their quotes.

    >>> split_search_terms('django "web framework" o\\'reilly')
    ['django', '"web framework"', "o'reilly"]
    """
    return [match.group(0) for match in SEARCH_TERM_RE.finditer(str(text))]


class BaseModelAdmin(FormFieldsMixin):
    """What a ModelAdmin and an inline share: the change form's options, its form fields, and permissions."""

    autocomplete_fields = ()
    raw_id_fields = ()
    fields = None
    exclude = None
    fieldsets = None
    form = ModelForm
    filter_vertical = ()
    filter_horizontal = ()
    radio_fields = {}
    prepopulated_fields = {}
    formfield_overrides = {}
    readonly_fields = ()
    ordering = None
    sortable_by = None
    view_on_site = True
    show_full_result_count = True

    def __init__(self):
        # The admin's own widgets for each kind of field, then the class's overrides on top.
        overrides = default_formfield_overrides()
        for field_class, options in self.formfield_overrides.items():
            overrides.setdefault(field_class, {}).update(options)
        self.formfield_overrides = overrides

    # The options, each with a get_ method a subclass may override per request.

    def get_autocomplete_fields(self, request):
        return self.autocomplete_fields

    def get_view_on_site_url(self, obj=None):
        """The object's page on the site ("View on site"), or None."""
        if obj is None or not self.view_on_site:
            return None
        if callable(self.view_on_site):
            return self.view_on_site(obj)
        if hasattr(obj, "get_absolute_url"):
            return obj.get_absolute_url()
        return None

    def get_empty_value_display(self) -> str:
        """What a changelist shows for an empty value: ``empty_value_display``, else the site's."""
        try:
            return self.empty_value_display
        except AttributeError:
            return self.admin_site.empty_value_display

    def get_exclude(self, request, obj=None):
        return self.exclude

    def get_fields(self, request, obj=None):
        """The change form's fields: ``fields``, else the form's own fields then the read-only ones."""
        if self.fields:
            return self.fields
        form = self._get_form_for_get_fields(request, obj)
        return [*form.base_fields, *self.get_readonly_fields(request, obj)]

    def _get_form_for_get_fields(self, request, obj=None):
        # An inline has no get_form: its form comes from its formset (InlineModelAdmin overrides this).
        return self.get_form(request, obj, fields=None)

    def get_fieldsets(self, request, obj=None):
        """``fieldsets``, else one unnamed fieldset of ``get_fields()``."""
        if self.fieldsets:
            return self.fieldsets
        return [(None, {"fields": self.get_fields(request, obj)})]

    def get_inlines(self, request, obj):
        return self.inlines

    def get_ordering(self, request):
        return self.ordering or ()

    def get_readonly_fields(self, request, obj=None):
        return self.readonly_fields

    def get_prepopulated_fields(self, request, obj=None):
        return self.prepopulated_fields

    def get_queryset(self, request):
        """Every object the admin may show, in ``get_ordering()``'s order."""
        queryset = self.model._default_manager.get_queryset()
        ordering = self.get_ordering(request)
        if ordering:
            queryset = queryset.order_by(*ordering)
        return queryset

    def get_sortable_by(self, request):
        """The columns a changelist may sort by: ``sortable_by``, else every ``list_display`` column."""
        return self.sortable_by if self.sortable_by is not None else self.get_list_display(request)

    def to_field_allowed(self, request, to_field: str) -> bool:
        """Whether ``?_to_field=`` may name this field: the pk, or a unique field a registered model points to."""
        opts = self.model._meta
        try:
            field = opts.get_field(to_field)
        except FieldDoesNotExist:
            return False
        if field.primary_key:
            return True
        registered = set(self.admin_site._registry)
        for related in opts.related_objects:
            if related.related_model in registered and related.field.target_field == field:
                return True
        return False

    # Permissions: user.has_perm("<app_label>.<action>_<model_name>").

    def _has(self, request, action: str) -> bool:
        opts = self.opts
        return request.user.has_perm(f"{opts.app_label}.{get_permission_codename(action, opts)}")

    def has_add_permission(self, request) -> bool:
        """Whether the user may add objects: the add page, the "Add" links, "Save as new"."""
        return self._has(request, "add")

    def has_change_permission(self, request, obj=None) -> bool:
        """Whether the user may change ``obj`` (any object when None); override to decide object by object."""
        return self._has(request, "change")

    def has_delete_permission(self, request, obj=None) -> bool:
        """Whether the user may delete ``obj`` (any object when None); asked for every row a delete would take."""
        return self._has(request, "delete")

    def has_view_permission(self, request, obj=None) -> bool:
        """The "view" permission, which the "change" permission includes."""
        return self._has(request, "view") or self._has(request, "change")

    def has_view_or_change_permission(self, request, obj=None) -> bool:
        """Whether the changelist and the change page may be shown (read-only without the change permission)."""
        return self.has_view_permission(request, obj) or self.has_change_permission(request, obj)

    def has_module_permission(self, request) -> bool:
        """Whether the user has any permission in the model's app (the app shows on the index)."""
        return request.user.has_module_perms(self.opts.app_label)


class ModelAdmin(ChangeFormViews, ListViews, BaseModelAdmin):
    """The admin of one model: its changelist's options, its actions, and its five pages."""

    list_display = ("__str__",)
    list_display_links = ()
    list_filter = ()
    list_select_related = False
    list_per_page = 100
    list_max_show_all = 200
    list_editable = ()
    search_fields = ()
    search_help_text = None
    date_hierarchy = None
    save_as = False
    save_as_continue = True
    save_on_top = False
    paginator = None
    preserve_filters = True
    show_facets = None
    inlines = ()

    add_form_template = None
    change_form_template = None
    change_list_template = None
    delete_confirmation_template = None
    delete_selected_confirmation_template = None
    object_history_template = None
    popup_response_template = None

    actions = ()
    action_form = None  # helpers.ActionForm when None
    actions_on_top = True
    actions_on_bottom = False
    actions_selection_counter = True

    def __init__(self, model, admin_site):
        self.model = model
        self.opts = model._meta
        self.admin_site = admin_site
        super().__init__()

    def __str__(self) -> str:
        return f"{self.opts.app_label}.{self.__class__.__name__}"

    def __repr__(self) -> str:
        return f"<{self.__class__.__qualname__}: model={self.model.__qualname__} site={self.admin_site!r}>"

    @property
    def media(self):
        """The page's scripts and stylesheets: none of its own (the admin's style is inline in base.html)."""
        from tinyframe.forms.media import Media

        return Media()

    # URLs.

    def get_urls(self) -> list:
        """The model's pages: changelist, add, history, delete, change; ``<id>/`` redirects to change."""

        def wrap(view):
            def wrapper(*args, **kwargs):
                return self.admin_site.admin_view(view)(*args, **kwargs)

            wrapper.model_admin = self
            return update_wrapper(wrapper, view)

        info = f"{self.opts.app_label}_{self.opts.model_name}"
        return [
            path("", wrap(self.changelist_view), name=f"{info}_changelist"),
            path("add/", wrap(self.add_view), name=f"{info}_add"),
            path("<path:object_id>/history/", wrap(self.history_view), name=f"{info}_history"),
            path("<path:object_id>/delete/", wrap(self.delete_view), name=f"{info}_delete"),
            path("<path:object_id>/change/", wrap(self.change_view), name=f"{info}_change"),
            # The address of an object before Django 1.9 added "change/": redirect, keeping old links alive.
            path(
                "<path:object_id>/",
                wrap(RedirectView.as_view(pattern_name=f"{self.admin_site.name}:{info}_change")),
            ),
        ]

    @property
    def urls(self) -> list:
        """The model's URL patterns, for the site to include under ``<app_label>/<model_name>/``."""
        return self.get_urls()

    def get_model_perms(self, request) -> dict:
        """``{"add": bool, "change": bool, "delete": bool, "view": bool}`` for the request's user."""
        return {
            "add": self.has_add_permission(request),
            "change": self.has_change_permission(request),
            "delete": self.has_delete_permission(request),
            "view": self.has_view_permission(request),
        }

    # The change form.

    def get_form(self, request, obj=None, change=False, **kwargs):
        """The ModelForm class of the add and change pages, from the change form's options.

        Exercise 11.4. Its fields are ``kwargs["fields"]`` when given (None
        means "let the form decide"), else the names of ``get_fieldsets()``
        flattened. It excludes ``get_exclude()`` (a list, or None), every
        ``get_readonly_fields()`` name (they are shown, not edited), every
        field when ``change`` is true and the user lacks the change
        permission (a view-only page), and, when ``get_exclude()`` is None,
        the ``exclude`` of ``self.form``'s Meta. An empty exclusion list is
        passed as None. A read-only field that ``self.form`` declares is
        removed from a subclass of ``self.form`` (its attribute set to None).
        Build it with ``modelform_factory(self.model, form=..., fields=...,
        exclude=..., formfield_callback=partial(self.formfield_for_dbfield,
        request=request), **kwargs)``; fields None on a form whose Meta
        names none means ``ALL_FIELDS``. A FieldError from the factory is
        raised again as ``FieldError(f"{error}. Check fields/fieldsets/exclude
        attributes of class {self.__class__.__name__}.")``.
        """
        if "fields" in kwargs:
            fields = kwargs.pop("fields")
        else:
            fields = flatten_fieldsets(self.get_fieldsets(request, obj))
        excluded = self.get_exclude(request, obj)
        exclude = [] if excluded is None else list(excluded)
        readonly_fields = self.get_readonly_fields(request, obj)
        exclude.extend(readonly_fields)
        if change and hasattr(request, "user") and not self.has_change_permission(request, obj):
            exclude.extend(fields)
        if excluded is None and hasattr(self.form, "_meta") and self.form._meta.exclude:
            exclude.extend(self.form._meta.exclude)
        # A read-only field the form declares would still be validated and saved: take it out.
        declared = getattr(self.form, "declared_fields", {})
        form = type(self.form.__name__, (self.form,), dict.fromkeys(f for f in readonly_fields if f in declared))
        defaults = {
            "form": form,
            "fields": fields,
            "exclude": exclude or None,
            "formfield_callback": partial(self.formfield_for_dbfield, request=request),
            **kwargs,
        }
        if defaults["fields"] is None and not modelform_defines_fields(defaults["form"]):
            defaults["fields"] = ALL_FIELDS
        try:
            return modelform_factory(self.model, **defaults)
        except FieldError as error:
            raise FieldError(
                f"{error}. Check fields/fieldsets/exclude attributes of class {self.__class__.__name__}."
            ) from error

    def get_object(self, request, object_id: str, from_field: str | None = None):
        """The object ``object_id`` names among ``get_queryset()``, or None (missing, or not a valid key)."""
        queryset = self.get_queryset(request)
        model = queryset.model
        field = model._meta.pk if from_field is None else model._meta.get_field(from_field)
        try:
            object_id = field.to_python(object_id)
            return queryset.get(**{field.name: object_id})
        except (model.DoesNotExist, ValidationError, ValueError, TypeError):
            return None

    # The changelist.

    def get_list_display(self, request):
        return self.list_display

    def get_list_display_links(self, request, list_display):
        """``list_display_links``, else the first column (when it is there, the link to each object)."""
        if self.list_display_links or self.list_display_links is None or not list_display:
            return self.list_display_links
        return list(list_display)[:1]

    def get_list_filter(self, request):
        return self.list_filter

    def get_list_select_related(self, request):
        return self.list_select_related

    def get_search_fields(self, request):
        return self.search_fields

    def lookup_allowed(self, lookup: str, value, request) -> bool:
        """Whether the changelist's query string may filter by ``lookup`` (see ``relational_lookup_allowed``)."""
        from tinyframe.contrib.admin.views.main import relational_lookup_allowed

        return relational_lookup_allowed(self, lookup, request)

    def get_changelist(self, request, **kwargs):
        """The ChangeList class (``views/main.py``)."""
        from tinyframe.contrib.admin.views.main import ChangeList

        return ChangeList

    def get_changelist_instance(self, request):
        """A ChangeList for this request, built from the options (``IncorrectLookupParameters`` for a bad query)."""
        list_display = list(self.get_list_display(request))
        list_display_links = self.get_list_display_links(request, list_display)
        if self.get_actions(request):
            list_display = ["action_checkbox", *list_display]
        ChangeList = self.get_changelist(request)
        return ChangeList(
            request,
            self.model,
            list_display,
            list_display_links,
            self.get_list_filter(request),
            self.date_hierarchy,
            self.get_search_fields(request),
            self.get_list_select_related(request),
            self.list_per_page,
            self.list_max_show_all,
            self.list_editable,
            self,
            self.get_sortable_by(request),
            self.search_help_text,
        )

    def get_paginator(self, request, queryset, per_page, orphans=0, allow_empty_first_page=True):
        """The changelist's paginator: ``self.paginator`` (a class) when set, else chapter 07's ``Paginator``."""
        from tinyframe.core.paginator import Paginator

        paginator_class = self.paginator or Paginator
        return paginator_class(queryset, per_page, orphans, allow_empty_first_page)

    def get_search_results(self, request, queryset, search_term: str):
        """Filter ``queryset`` by the search box's text; return ``(queryset, may_have_duplicates)``.

        Exercise 11.2. Split ``search_term`` with ``split_search_terms``; a
        term in matching quotes (``"web framework"`` or ``'...'``) loses them
        (a lone quote is an empty phrase, which matches every row, as in Django).
        Every term must match (AND across terms) at least one of
        ``get_search_fields(request)`` (OR across fields), all in one
        ``filter()`` call: across a many-valued relation one related row must
        then match every term, as in Django 5.2. A field name maps
        to a lookup: ``^name`` → ``name__istartswith``, ``=name`` →
        ``name__iexact``, ``name`` → ``name__icontains``, and a name that
        already ends in a lookup (``author__name__exact``) is used as it is.
        ``@name`` asks for a full-text search, which SQLite has not: raise
        ``ImproperlyConfigured(f"search_fields: {field!r} asks for a full-text
        search ('@'), which SQLite does not have. Use '^' or '=' or no prefix.")``.
        With no search fields or no terms, the queryset is returned as it is.
        ``may_have_duplicates`` is true when a lookup crosses a many-valued
        relation (``lookup_spawns_duplicates(self.opts, lookup)``).
        """
        search_fields = self.get_search_fields(request)
        if not search_fields or not search_term:
            return queryset, False
        lookups = [self._search_lookup(queryset.model._meta, str(name)) for name in search_fields]
        term_queries = []
        for term in split_search_terms(search_term):
            if term[0] in "\"'" and term[0] == term[-1]:
                term = term[1:-1].replace("\\" + term[0], term[0]).replace("\\\\", "\\")
            term_queries.append(reduce(operator.or_, (models.Q(**{lookup: term}) for lookup in lookups)))
        if term_queries:
            queryset = queryset.filter(*term_queries)
        may_have_duplicates = any(lookup_spawns_duplicates(self.opts, lookup) for lookup in lookups)
        return queryset, may_have_duplicates

    @staticmethod
    def _search_lookup(opts, field_name: str) -> str:
        """The ORM lookup of one entry of ``search_fields`` (``"^title"`` → ``"title__istartswith"``)."""
        if field_name.startswith("^"):
            return f"{field_name[1:]}__istartswith"
        if field_name.startswith("="):
            return f"{field_name[1:]}__iexact"
        if field_name.startswith("@"):
            raise ImproperlyConfigured(
                f"search_fields: {field_name!r} asks for a full-text search ('@'), which SQLite does not "
                "have. Use '^' or '=' or no prefix."
            )
        previous = None
        for part in field_name.split("__"):
            if part == "pk":
                part = opts.pk.name
            try:
                field = opts.get_field(part)
            except FieldDoesNotExist:
                if previous is not None and previous.get_lookup(part):
                    return field_name  # the name ends in a lookup of its own: use it as it is
                break
            previous = field
            if getattr(field, "path_infos", None):
                opts = field.path_infos[-1].to_opts
        return f"{field_name}__icontains"

    def get_preserved_filters(self, request) -> str:
        """``_changelist_filters=...``: the changelist's query string, carried through add/change/delete."""
        match = getattr(request, "resolver_match", None)
        if not (self.preserve_filters and match):
            return ""
        changelist_url = f"admin:{self.opts.app_label}_{self.opts.model_name}_changelist"
        if f"{match.app_name}:{match.url_name}" == changelist_url:
            preserved = request.GET.urlencode()
        else:
            preserved = request.GET.get("_changelist_filters")
        if preserved:
            from tinyframe.utils.http import urlencode

            return urlencode({"_changelist_filters": preserved})
        return ""

    # Saving, deleting, and the history they leave.

    def save_form(self, request, form, change: bool):
        """The object the valid form describes, not yet saved."""
        return form.save(commit=False)

    def save_model(self, request, obj, form, change: bool) -> None:
        """Save the object of the add or change page; override to set fields from the request (its author, say)."""
        obj.save()

    def delete_model(self, request, obj) -> None:
        """Delete the object of the delete page (with what the collector takes along)."""
        obj.delete()

    def delete_queryset(self, request, queryset) -> None:
        """Delete what "Delete selected" chose, in one query."""
        queryset.delete()

    def save_formset(self, request, form, formset, change: bool) -> None:
        """Save one inline formset; override to set the inline objects' fields from the request."""
        formset.save()

    def save_related(self, request, form, formsets, change: bool) -> None:
        """After the object is saved: its many-to-many data, then each inline formset.

        Exercise 11.5. The object itself was saved by ``save_model`` (with
        ``commit=False`` the form kept its many-to-many data back): call
        ``form.save_m2m()``, then ``self.save_formset(request, form, formset,
        change=change)`` for every formset, in order. The view runs all of it
        in its transaction, so an error rolls back the object too.
        """
        form.save_m2m()
        for formset in formsets:
            self.save_formset(request, form, formset, change=change)

    def _get_obj_does_not_exist_redirect(self, request, opts, object_id):
        """To the index, with a warning: the object was not found (a stale link, or deleted meanwhile)."""
        message = "%(name)s with ID “%(key)s” doesn’t exist. Perhaps it was deleted?" % {
            "name": opts.verbose_name,
            "key": unquote(object_id),
        }
        self.message_user(request, message, messages.WARNING)
        return HttpResponseRedirect(reverse("admin:index", current_app=self.admin_site.name))

    def _changelist_or_index(self, request, allowed: bool) -> HttpResponseRedirect:
        """Back to the changelist with its filters when ``allowed``, else to the index."""
        if not allowed:
            return HttpResponseRedirect(reverse("admin:index", current_app=self.admin_site.name))
        info = f"{self.opts.app_label}_{self.opts.model_name}"
        url = reverse(f"admin:{info}_changelist", current_app=self.admin_site.name)
        return HttpResponseRedirect(self._with_preserved_filters(request, url))

    def _with_preserved_filters(self, request, url: str) -> str:
        from tinyframe.contrib.admin.templatetags.admin_urls import add_preserved_filters

        context = {"preserved_filters": self.get_preserved_filters(request), "opts": self.opts}
        return add_preserved_filters(context, url)

    def _template_names(self, name: str) -> list:
        """Django's override order: the model's template, the app's, then the admin's own."""
        app_label, model_name = self.opts.app_label, self.opts.model_name
        return [f"admin/{app_label}/{model_name}/{name}", f"admin/{app_label}/{name}", f"admin/{name}"]


def __getattr__(name: str):
    # The inlines (inlines.py) subclass BaseModelAdmin, so they import this module: found here on first use.
    if name in ("InlineModelAdmin", "StackedInline", "TabularInline"):
        from tinyframe.contrib.admin import inlines

        return getattr(inlines, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
