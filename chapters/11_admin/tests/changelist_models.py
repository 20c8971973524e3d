"""Models and a ModelAdmin stand-in shared by the changelist and filter tests (imported by them, not collected).

The stand-in answers what ``ChangeList`` asks a ModelAdmin, so these tests
do not wait for ``options.py``: its search is a plain ``title__icontains``.
"""

from tinyframe.db import models


class ClAuthor(models.Model):
    name = models.CharField(max_length=50)

    class Meta:
        app_label = "admin_changelist_tests"
        ordering = ["name"]

    def __str__(self):
        return self.name


class ClTag(models.Model):
    name = models.CharField(max_length=50)

    class Meta:
        app_label = "admin_changelist_tests"

    def __str__(self):
        return self.name


class ClPost(models.Model):
    title = models.CharField(max_length=50)
    status = models.CharField(max_length=1, choices=[("d", "Draft"), ("p", "Published")], default="d")
    published = models.BooleanField(default=False)
    reviewed = models.BooleanField(null=True)
    written = models.DateField(null=True, blank=True)
    created = models.DateTimeField(null=True, blank=True)
    day = models.DateField(default="2026-01-01")
    subtitle = models.CharField(max_length=50, blank=True, null=True)
    author = models.ForeignKey(ClAuthor, models.CASCADE)
    editor = models.ForeignKey(ClAuthor, models.SET_NULL, null=True, related_name="edited")
    tags = models.ManyToManyField(ClTag, blank=True)

    class Meta:
        app_label = "admin_changelist_tests"
        verbose_name = "post"

    def __str__(self):
        return self.title

    def shout(self):
        return self.title.upper()

    shout.admin_order_field = "-title"


ALL_MODELS = (ClAuthor, ClTag, ClPost)


class AdminSiteStandIn:
    name = "admin"
    _registry = {}


class ModelAdminStandIn:
    """What ChangeList reads from its ModelAdmin; every attribute can be overridden by keyword."""

    ordering = None
    show_full_result_count = True
    admin_site = AdminSiteStandIn()

    def __init__(self, model, **options):
        self.model = model
        self.__dict__.update(options)

    def get_queryset(self, request):
        return self.model._default_manager.all()

    def get_ordering(self, request):
        return self.ordering or ()

    def get_paginator(self, request, queryset, per_page):
        from tinyframe.core.paginator import Paginator

        return Paginator(queryset, per_page)

    def get_search_results(self, request, queryset, search_term):
        if search_term:
            queryset = queryset.filter(title__icontains=search_term)
        return queryset, False

    def get_empty_value_display(self):
        return "-"

    def has_change_permission(self, request, obj=None):
        return True

    date_hierarchy = None
    list_filter = ()

    def get_list_filter(self, request):
        return self.list_filter

    def lookup_allowed(self, lookup, value, request):
        from tinyframe.contrib.admin.views.main import relational_lookup_allowed

        return relational_lookup_allowed(self, lookup, request)

    def get_preserved_filters(self, request):
        return ""


def changelist(query: str = "", model_admin=None, model=ClPost, **options):
    """A ChangeList of posts for ``GET /admin/posts/?<query>``; options override ChangeList's arguments."""
    from tinyframe.contrib.admin.views.main import ChangeList
    from tinyframe.test import RequestFactory

    arguments = {
        "list_display": ["title", "status", "shout", "author"],
        "list_display_links": ["title"],
        "list_filter": [],
        "date_hierarchy": None,
        "search_fields": ["title"],
        "list_select_related": False,
        "list_per_page": 100,
        "list_max_show_all": 200,
        "list_editable": (),
        "sortable_by": None,
        "search_help_text": None,
    }
    arguments.update(options)
    request = RequestFactory().get("/admin/posts/?" + query)
    model_admin = model_admin or ModelAdminStandIn(
        model, list_filter=arguments["list_filter"], date_hierarchy=arguments["date_hierarchy"]
    )
    return ChangeList(request, model, model_admin=model_admin, **arguments)


def links(spec, cl) -> list:
    """A filter's links as ``(display, query_string, selected)``."""
    return [(str(choice["display"]), choice["query_string"], choice["selected"]) for choice in spec.choices(cl)]
