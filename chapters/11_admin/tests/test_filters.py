"""The changelist's list filters: their links, the query strings of the links, and the rows each keeps.

The expected links and query strings are what Django 5.2's admin gives for
the same fields (``cl.filter_specs`` and each spec's ``choices(cl)``).
DateFieldListFilter.__init__ is exercise 11.3.
"""

import datetime

import pytest


import admin_changelist_test_models as kit  # loaded by conftest.py

ALL_MODELS, ClAuthor, ClPost, ClTag = kit.ALL_MODELS, kit.ClAuthor, kit.ClPost, kit.ClTag
changelist, links = kit.changelist, kit.links

UTC = datetime.timezone.utc


@pytest.fixture
def posts(tables):
    """Three posts: "One" (Ada, tagged, written and created on 7 December 2026), "Two" (Ada), "Three" (Bob)."""
    tables(*ALL_MODELS)
    ada = ClAuthor.objects.create(name="Ada <b>")
    bob = ClAuthor.objects.create(name="Bob")
    tag = ClTag.objects.create(name="t1")
    one = ClPost.objects.create(title="One", author=ada, written=datetime.date(2026, 12, 7),
                                created=datetime.datetime(2026, 12, 7, 10, 0, tzinfo=UTC))  # fmt: skip
    one.tags.add(tag)
    ClPost.objects.create(title="Two", author=ada, published=True, status="p", written=datetime.date(2026, 11, 2))
    ClPost.objects.create(title="Three", author=bob, published=True, status="p", reviewed=True)
    return {"ada": ada, "bob": bob}


@pytest.fixture
def today(monkeypatch):
    """``timezone.now()`` is 7 December 2026, 03:30 UTC (still the 6th in Chicago)."""
    from tinyframe.utils import timezone

    monkeypatch.setattr(timezone, "now", lambda: datetime.datetime(2026, 12, 7, 3, 30, tzinfo=UTC))


def spec_for(cl, title):
    return next(spec for spec in cl.filter_specs if str(spec.title) == title)


def titles(cl) -> list:
    return sorted(str(post) for post in cl.result_list)


# -- DateFieldListFilter (exercise 11.3) ----------------------------------------------------------


@pytest.mark.exercise("11.3")
def test_date_filter_links_for_a_nullable_date_field(posts, today):
    cl = changelist(list_filter=["written"])
    assert links(spec_for(cl, "written"), cl) == [
        ("Any date", "?", True),
        ("Today", "?written__gte=2026-12-07&written__lt=2026-12-08", False),
        ("Past 7 days", "?written__gte=2026-11-30&written__lt=2026-12-08", False),
        ("This month", "?written__gte=2026-12-01&written__lt=2027-01-01", False),
        ("This year", "?written__gte=2026-01-01&written__lt=2027-01-01", False),
        ("No date", "?written__isnull=True", False),
        ("Has date", "?written__isnull=False", False),
    ]


@pytest.mark.exercise("11.3")
def test_date_filter_without_null_has_no_no_date_link(posts, today):
    cl = changelist(list_filter=["day"])
    displays = [display for display, _, _ in links(spec_for(cl, "day"), cl)]
    assert displays == ["Any date", "Today", "Past 7 days", "This month", "This year"]


@pytest.mark.exercise("11.3")
def test_date_filter_today_is_in_the_current_time_zone(posts, today):
    from tinyframe.utils import timezone

    with timezone.override("America/Chicago"):
        cl = changelist(list_filter=["written", "created"])
        written = links(spec_for(cl, "written"), cl)
        created = links(spec_for(cl, "created"), cl)
    assert written[1] == ("Today", "?written__gte=2026-12-06&written__lt=2026-12-07", False)
    assert created[1] == (
        "Today",
        "?created__gte=2026-12-06+00%3A00%3A00-06%3A00&created__lt=2026-12-07+00%3A00%3A00-06%3A00",
        False,
    ), "a DateTimeField's day starts at midnight in the current time zone, offset kept"


@pytest.mark.exercise("11.3")
def test_date_filter_month_and_year_roll_over_in_december(posts, today):
    cl = changelist(list_filter=["created"])
    this_month, this_year = links(spec_for(cl, "created"), cl)[3:5]
    midnight = "+00%3A00%3A00%2B00%3A00"
    assert this_month[1] == f"?created__gte=2026-12-01{midnight}&created__lt=2027-01-01{midnight}"
    assert this_year[1] == f"?created__gte=2026-01-01{midnight}&created__lt=2027-01-01{midnight}"


@pytest.mark.exercise("11.3")
def test_date_filter_this_month_in_an_ordinary_month(posts, monkeypatch):
    from tinyframe.utils import timezone

    monkeypatch.setattr(timezone, "now", lambda: datetime.datetime(2026, 3, 31, 12, 0, tzinfo=UTC))
    cl = changelist(list_filter=["written"])
    assert links(spec_for(cl, "written"), cl)[2:4] == [
        ("Past 7 days", "?written__gte=2026-03-24&written__lt=2026-04-01", False),
        ("This month", "?written__gte=2026-03-01&written__lt=2026-04-01", False),
    ]


@pytest.mark.exercise("11.3")
def test_date_filter_selected_link_and_rows(posts, today):
    cl = changelist("written__gte=2026-11-30&written__lt=2026-12-08", list_filter=["written"])
    selected = [display for display, _, chosen in links(spec_for(cl, "written"), cl) if chosen]
    assert selected == ["Past 7 days"]
    assert titles(cl) == ["One"]
    assert cl.has_active_filters


@pytest.mark.exercise("11.3")
def test_date_filter_no_date_and_has_date(posts, today):
    cl = changelist("written__isnull=True", list_filter=["written"])
    assert titles(cl) == ["Three"]
    assert [display for display, _, chosen in links(spec_for(cl, "written"), cl) if chosen] == ["No date"]
    assert titles(changelist("written__isnull=False", list_filter=["written"])) == ["One", "Two"]


@pytest.mark.exercise("11.3")
def test_date_filter_links_keep_other_parameters_and_drop_its_own(posts, today):
    cl = changelist("q=o&written__isnull=True&written__gte=2020-01-01", list_filter=["written"])
    assert links(spec_for(cl, "written"), cl)[1][1] == "?q=o&written__gte=2026-12-07&written__lt=2026-12-08"


# -- the other filters ------------------------------------------------------------------------------


def test_choices_filter_links_and_rows(posts):
    cl = changelist("status__exact=p&o=1.-2&q=T", list_filter=["status"])
    assert links(spec_for(cl, "status"), cl) == [
        ("All", "?o=1.-2&q=T", False),
        ("Draft", "?o=1.-2&q=T&status__exact=d", False),
        ("Published", "?o=1.-2&q=T&status__exact=p", True),
    ]
    assert titles(cl) == ["Three", "Two"]


def test_boolean_filter_links_and_rows(posts):
    cl = changelist("published__exact=1", list_filter=["published", "reviewed"])
    assert links(spec_for(cl, "published"), cl) == [
        ("All", "?", False),
        ("Yes", "?published__exact=1", True),
        ("No", "?published__exact=0", False),
    ]
    assert titles(cl) == ["Three", "Two"]
    reviewed = links(spec_for(cl, "reviewed"), cl)
    assert reviewed[-1] == ("Unknown", "?published__exact=1&reviewed__isnull=True", False)
    assert titles(changelist("published__exact=0", list_filter=["published"])) == ["One"]
    assert titles(changelist("reviewed__isnull=True", list_filter=["reviewed"])) == ["One", "Two"]


def test_related_filter_links_use_the_related_ordering_and_str(posts):
    cl = changelist(f"author__id__exact={posts['bob'].pk}", list_filter=["author", "tags", "editor"])
    assert links(spec_for(cl, "author"), cl) == [
        ("All", "?", False),
        ("Ada <b>", f"?author__id__exact={posts['ada'].pk}", False),
        ("Bob", f"?author__id__exact={posts['bob'].pk}", True),
    ]
    assert titles(cl) == ["Three"]
    tags = links(spec_for(cl, "tags"), cl)
    assert [display for display, _, _ in tags] == ["All", "t1", "-"]
    assert tags[2][1] == f"?author__id__exact={posts['bob'].pk}&tags__isnull=True"
    assert titles(changelist("tags__id__exact=1", list_filter=["tags"])) == ["One"]
    assert titles(changelist("editor__isnull=True", list_filter=["editor"])) == ["One", "Three", "Two"]


def test_all_values_filter(posts):
    # Django 5.2's parameter is the bare field path: ?title=Two (not ?title__exact=Two).
    cl = changelist("title=Two", list_filter=["title", "subtitle"])
    assert links(spec_for(cl, "title"), cl) == [
        ("All", "?", False),
        ("One", "?title=One", False),
        ("Three", "?title=Three", False),
        ("Two", "?title=Two", True),
    ]
    assert titles(cl) == ["Two"]
    assert links(spec_for(cl, "subtitle"), cl)[-1] == ("-", "?subtitle__isnull=True&title=Two", False)
    # An explicit __exact lookup still filters, as any field lookup does, but is not the filter's own choice.
    cl = changelist("title__exact=Two", list_filter=["title"])
    assert titles(cl) == ["Two"]
    assert links(spec_for(cl, "title"), cl)[0] == ("All", "?", True)  # "All" drops every title... parameter


def test_all_values_filter_across_a_relation(posts):
    cl = changelist("author__name=Bob", list_filter=["author__name"])
    assert [display for display, _, _ in links(cl.filter_specs[0], cl)] == ["All", "Ada <b>", "Bob"]
    assert titles(cl) == ["Three"]


def test_simple_list_filter(posts):
    from tinyframe.contrib.admin.filters import SimpleListFilter

    class LengthFilter(SimpleListFilter):
        title = "length"
        parameter_name = "length"

        def lookups(self, request, model_admin):
            return [("short", "Short titles"), ("long", "Long titles")]

        def queryset(self, request, queryset):
            if self.value() == "short":
                return queryset.filter(title__in=["One", "Two"])
            if self.value() == "long":
                return queryset.exclude(title__in=["One", "Two"])
            return None

    cl = changelist("length=long", list_filter=[LengthFilter])
    assert links(cl.filter_specs[0], cl) == [
        ("All", "?", False),
        ("Short titles", "?length=short", False),
        ("Long titles", "?length=long", True),
    ]
    assert titles(cl) == ["Three"]
    assert titles(changelist("", list_filter=[LengthFilter])) == ["One", "Three", "Two"]


def test_simple_list_filter_misconfigured():
    from tinyframe.contrib.admin.filters import SimpleListFilter
    from tinyframe.core.exceptions import ImproperlyConfigured

    class NoTitle(SimpleListFilter):
        parameter_name = "x"

    class NoParameter(SimpleListFilter):
        title = "x"

    class NoLookups(SimpleListFilter):
        title = "x"
        parameter_name = "x"

    with pytest.raises(ImproperlyConfigured, match="The list filter 'NoTitle' does not specify a 'title'."):
        NoTitle(None, {}, ClPost, None)
    with pytest.raises(ImproperlyConfigured, match="does not specify a 'parameter_name'"):
        NoParameter(None, {}, ClPost, None)
    with pytest.raises(NotImplementedError, match="must be overridden"):
        NoLookups(None, {}, ClPost, None)


def test_empty_field_filter(posts):
    from tinyframe.contrib.admin.filters import EmptyFieldListFilter
    from tinyframe.core.exceptions import ImproperlyConfigured

    ClPost.objects.filter(title="Two").update(subtitle="")
    ClPost.objects.filter(title="Three").update(subtitle="more")
    cl = changelist("subtitle__isempty=1", list_filter=[("subtitle", EmptyFieldListFilter)])
    assert links(cl.filter_specs[0], cl) == [
        ("All", "?", False),
        ("Empty", "?subtitle__isempty=1", True),
        ("Not empty", "?subtitle__isempty=0", False),
    ]
    assert titles(cl) == ["One", "Two"]
    assert titles(changelist("subtitle__isempty=0", list_filter=[("subtitle", EmptyFieldListFilter)])) == ["Three"]
    with pytest.raises(ImproperlyConfigured, match="cannot be used with field 'published'"):
        changelist(list_filter=[("published", EmptyFieldListFilter)])


def test_related_only_filter_lists_only_used_rows(posts):
    from tinyframe.contrib.admin.filters import RelatedOnlyFieldListFilter

    ClAuthor.objects.create(name="Unused")
    cl = changelist(list_filter=[("author", RelatedOnlyFieldListFilter)])
    assert [display for display, _, _ in links(cl.filter_specs[0], cl)] == ["All", "Ada <b>", "Bob"]


def test_register_a_filter_class_with_priority(posts):
    from tinyframe.contrib.admin.filters import AllValuesFieldListFilter, FieldListFilter

    class TitleFilter(AllValuesFieldListFilter):
        pass

    saved = (list(FieldListFilter._field_list_filters), FieldListFilter._take_priority_index)
    try:
        FieldListFilter.register(lambda field: field.name == "title", TitleFilter, take_priority=True)
        cl = changelist(list_filter=["title", "status"])
        assert [type(spec).__name__ for spec in cl.filter_specs] == ["TitleFilter", "ChoicesFieldListFilter"]
    finally:
        FieldListFilter._field_list_filters[:], FieldListFilter._take_priority_index = saved


def test_related_filter_on_a_reverse_relation(posts):
    cl = changelist("clpost__id__exact=1", model=ClAuthor, list_filter=["clpost"], list_display=["name"])
    spec = cl.filter_specs[0]
    shown = links(spec, cl)
    assert str(spec.title) == "post", "the related model's verbose name"
    assert [display for display, _, _ in shown[1:-1]] == ["One", "Two", "Three"]
    assert shown[0] == ("All", "?", False)
    assert shown[-1] == ("-", "?clpost__isnull=True", False), "a reverse relation may be empty"
    assert [str(author) for author in cl.result_list] == ["Ada <b>"]
    assert [str(author) for author in changelist("clpost__isnull=True", model=ClAuthor, list_filter=["clpost"],
                                                 list_display=["name"]).result_list] == []  # fmt: skip
