"""The ChangeList: result counts, sorting, paging, the query strings of its links, and bad parameters.

Counts, orderings and redirects are what Django 5.2's admin gives for the
same query strings (``?status__exact=p&o=1.-2&q=T`` → 2 of 3 rows, sorted
columns ``{1: "asc", 2: "desc"}``; ``?nonsense=1`` → ``IncorrectLookupParameters``,
which the view turns into a redirect to ``?e=1``).
"""

import datetime

import pytest


import admin_changelist_test_models as kit  # loaded by conftest.py

ALL_MODELS, ClAuthor, ClPost, ClTag = kit.ALL_MODELS, kit.ClAuthor, kit.ClPost, kit.ClTag
ModelAdminStandIn, changelist = kit.ModelAdminStandIn, kit.changelist


@pytest.fixture
def posts(tables):
    """Posts "One" (Ada, two tags), "Two" (Ada, published), "Three" (Bob, published), made in that order."""
    tables(*ALL_MODELS)
    ada = ClAuthor.objects.create(name="Ada")
    bob = ClAuthor.objects.create(name="Bob")
    one = ClPost.objects.create(title="One", author=ada, created=datetime.datetime(2026, 3, 5, 12, tzinfo=datetime.UTC))
    one.tags.add(ClTag.objects.create(name="t1"), ClTag.objects.create(name="t2"))
    ClPost.objects.create(title="Two", author=ada, published=True, status="p", written=datetime.date(2025, 3, 5))
    ClPost.objects.create(title="Three", author=bob, published=True, status="p")
    return {"ada": ada, "bob": bob}


def shown(cl) -> list:
    return [str(post) for post in cl.result_list]


def test_counts_and_default_order_newest_first(posts):
    cl = changelist()
    assert shown(cl) == ["Three", "Two", "One"], "no ordering: -pk, as Django"
    assert (cl.result_count, cl.full_result_count) == (3, 3)
    assert cl.title == "Select post to change"
    assert not cl.multi_page and cl.can_show_all
    assert cl.get_ordering_field_columns() == {}


def test_filter_search_and_sort_together(posts):
    cl = changelist("status__exact=p&o=1.-2&q=T", list_filter=["status"])
    assert shown(cl) == ["Three", "Two"]
    assert (cl.result_count, cl.full_result_count) == (2, 3)
    assert cl.get_ordering_field_columns() == {1: "asc", 2: "desc"}
    assert cl.clear_all_filters_qs == "?o=1.-2&q=T"
    assert cl.has_active_filters


def test_sorting_by_columns(posts):
    assert shown(changelist("o=0")) == ["One", "Three", "Two"]
    assert shown(changelist("o=-0")) == ["Two", "Three", "One"]
    # "shout" sorts by its admin_order_field, "-title": ascending is title descending.
    assert shown(changelist("o=2")) == ["Two", "Three", "One"]
    assert shown(changelist("o=-2")) == ["One", "Three", "Two"]
    # Author names, then the pk tiebreak (newest first).
    assert shown(changelist("o=3")) == ["Two", "One", "Three"]


def test_junk_ordering_is_ignored(posts):
    for query in ["o=abc", "o=9", "o=-", "o=x.-99"]:
        assert shown(changelist(query)) == ["Three", "Two", "One"], query
    assert changelist("o=9").get_ordering_field_columns() == {9: "asc"}


def test_default_ordering_from_the_admin_marks_its_column(posts):
    admin = ModelAdminStandIn(ClPost, ordering=["-title"])
    cl = changelist(model_admin=admin)
    assert shown(cl) == ["Two", "Three", "One"]
    assert cl.get_ordering_field_columns() == {0: "desc"}


def test_paging_and_show_all(posts):
    cl = changelist(list_per_page=2)
    assert cl.multi_page and shown(cl) == ["Three", "Two"]
    assert shown(changelist("p=2", list_per_page=2)) == ["One"]
    assert shown(changelist("p=abc", list_per_page=2)) == ["Three", "Two"]
    assert shown(changelist("all=", list_per_page=2)) == ["Three", "Two", "One"]
    cl = changelist("all=", list_per_page=1, list_max_show_all=2)
    assert not cl.can_show_all and shown(cl) == ["Three"]
    assert shown(changelist("p=9")) == ["Three", "Two", "One"], "one page: the page number is not looked at"


def test_query_string_adds_replaces_and_removes(posts):
    cl = changelist("q=a&status__exact=p&p=2&e=1")
    assert cl.get_query_string() == "?q=a&status__exact=p", "the page and the error flag are not kept"
    assert cl.get_query_string({"o": "1"}) == "?o=1&q=a&status__exact=p"
    assert cl.get_query_string({"q": None}) == "?status__exact=p"
    assert cl.get_query_string(remove=["status"]) == "?q=a"
    assert cl.get_query_string({"q": "<x y>"}) == "?q=%3Cx+y%3E&status__exact=p"


def test_plain_field_lookups_in_the_query_string_filter(posts):
    assert shown(changelist("title=One")) == ["One"]
    assert shown(changelist("title__in=One,Two")) == ["Two", "One"]
    assert shown(changelist(f"author={posts['bob'].pk}")) == ["Three"]


def test_a_lookup_across_many_to_many_is_distinct(posts):
    cl = changelist("tags__name__startswith=t", list_filter=["tags__name"])
    assert shown(cl) == ["One"] and cl.result_count == 1


@pytest.mark.parametrize(
    "query",
    ["nonsense=1", "title__foo=One", "author__id__exact=abc", "published__exact=x", "p=9&all", "created__year=x"],
)
def test_bad_parameters_raise_incorrect_lookup_parameters(posts, query):
    from tinyframe.contrib.admin.options import IncorrectLookupParameters

    with pytest.raises(IncorrectLookupParameters):
        changelist(query, list_filter=["published", "author"], list_per_page=1, list_max_show_all=1,
                   date_hierarchy="created")  # fmt: skip


def test_date_hierarchy_parameters_become_a_range(posts):
    assert shown(changelist("created__year=2026&created__month=3", date_hierarchy="created")) == ["One"]
    assert shown(changelist("created__year=2026&created__month=3&created__day=6", date_hierarchy="created")) == []
    assert shown(changelist("written__year=2025", date_hierarchy="written")) == ["Two"]
    # As Django 5.2: the date hierarchy narrows the list, but is not one of the filters "Clear all filters" clears.
    assert not changelist("created__year=2026", date_hierarchy="created").has_active_filters


def test_search_term_is_a_bound_parameter(posts):
    assert shown(changelist("q=' OR 1=1 --")) == []
    assert shown(changelist("q=%25")) == [], "a % is a literal character, not a wildcard"


def test_select_related_follows_list_select_related(posts):
    assert changelist(list_select_related=["author"]).queryset.query.select_related
    assert changelist(list_select_related=True).queryset.query.select_related
    assert changelist(list_display=["title"]).queryset.query.select_related in (False, None, {}, ())
    assert changelist(list_display=["title", "author"]).queryset.query.select_related


def test_title_without_change_permission_and_in_a_popup(posts):
    admin = ModelAdminStandIn(ClPost, has_change_permission=lambda request, obj=None: False)
    assert changelist(model_admin=admin).title == "Select post to view"
    cl = changelist("_popup=1", list_editable=["title"])
    assert cl.title == "Select post" and cl.list_editable == ()


def test_url_for_result(posts, use_settings, throwaway_module):
    from tinyframe.http import HttpResponse
    from tinyframe.urls import include, path

    patterns = [path("p/<path:object_id>/change/", lambda request, object_id: HttpResponse(),
                     name="admin_changelist_tests_clpost_change")]  # fmt: skip
    use_settings(ROOT_URLCONF=throwaway_module(urlpatterns=[path("admin/", include((patterns, "admin")))]))
    cl = changelist()
    assert cl.url_for_result(cl.result_list[0]) == f"/admin/p/{cl.result_list[0].pk}/change/"


def test_url_for_result_puts_every_key_in_the_url_as_reverse_does(posts, use_settings, throwaway_module):
    """The change URL is reversed once a page; each row's key must come out as reverse() alone would build it."""
    import types

    from tinyframe.contrib.admin.utils import quote
    from tinyframe.http import HttpResponse
    from tinyframe.urls import NoReverseMatch, include, path, reverse

    name = "admin_changelist_tests_clpost_change"
    patterns = [path("p/<path:object_id>/change/", lambda request, object_id: HttpResponse(), name=name)]
    use_settings(ROOT_URLCONF=throwaway_module(urlpatterns=[path("admin/", include((patterns, "admin")))]))
    cl = changelist()
    for key in [7, "a b", "é/ü", "_KEY_", "50%_off", "~!$&'()*+,;=:@", "x?y=z&w#", "{}|^`", "line\nbreak"]:
        row = types.SimpleNamespace(**{cl.pk_attname: key})
        expected = reverse(f"admin:{name}", args=(quote(key),))
        assert cl.url_for_result(row) == expected, f"url_for_result for the key {key!r}: expected {expected!r}"
    with pytest.raises(NoReverseMatch):  # an empty key fits no change URL
        cl.url_for_result(types.SimpleNamespace(**{cl.pk_attname: ""}))


def test_url_for_result_with_a_change_url_of_numbers_only(posts, use_settings, throwaway_module):
    from tinyframe.http import HttpResponse
    from tinyframe.urls import include, path

    patterns = [path("p/<int:object_id>/change/", lambda request, object_id: HttpResponse(),
                     name="admin_changelist_tests_clpost_change")]  # fmt: skip
    use_settings(ROOT_URLCONF=throwaway_module(urlpatterns=[path("admin/", include((patterns, "admin")))]))
    cl = changelist()
    assert cl.url_for_result(cl.result_list[0]) == f"/admin/p/{cl.result_list[0].pk}/change/"


def test_lookups_across_relations_need_a_list_filter(posts):
    from tinyframe.contrib.admin.exceptions import DisallowedModelAdminLookup
    from tinyframe.core.exceptions import SuspiciousOperation

    assert issubclass(DisallowedModelAdminLookup, SuspiciousOperation), "a 400, as Django"
    with pytest.raises(DisallowedModelAdminLookup, match="Filtering by author__name__startswith not allowed"):
        changelist("author__name__startswith=A")
    assert shown(changelist("author__name__startswith=A", list_filter=["author__name"])) == ["Two", "One"]
    assert shown(changelist(f"author__id__exact={posts['ada'].pk}")) == ["Two", "One"], "the key is the post's own"
    assert shown(changelist("tags__id__exact=1", list_filter=["tags"])) == ["One"]
    with pytest.raises(DisallowedModelAdminLookup):
        changelist("tags__name=t1", list_filter=["tags"])


# -- through the admin's own pages ---------------------------------------------------------------

CHANGELIST_URL = "/admin/admin_changelist_tests/clpost/"


@pytest.fixture
def post_admin(posts, admin_site, admin_client):
    """The posts registered with a ModelAdmin that filters, searches and drills by date; a superuser's client."""
    from tinyframe.contrib import admin

    class PostAdmin(admin.ModelAdmin):
        list_display = ["title", "status", "author", "shout"]
        list_filter = ["status", "published", "author", "created"]
        search_fields = ["title", "author__name"]
        date_hierarchy = "created"

    admin_site((ClPost, PostAdmin), ClAuthor)
    return admin_client


def test_the_changelist_page_shows_counts_filters_and_rows(post_admin):
    response = post_admin.get(CHANGELIST_URL + "?q=T&status__exact=p")
    assert response.status_code == 200
    page = response.content.decode()
    cl = response.context["cl"]
    assert (cl.result_count, cl.full_result_count) == (2, 3)
    assert "3 total" in page
    assert 'href="?q=T&amp;status__exact=d"' in page, "the Draft link keeps the search"
    assert "By status" in page
    assert [str(post) for post in cl.result_list] == ["Three", "Two"]
    assert 'value="T"' in page, "the search box keeps the term"


def test_the_search_term_is_escaped_on_the_page(post_admin):
    page = post_admin.get(CHANGELIST_URL, {"q": '"><script>alert(1)</script>'}).content.decode()
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


@pytest.mark.parametrize("query", ["nonsense=1", "status__exact=p&title__foo=x", "author__id__exact=abc",
                                   "published__exact=maybe", "created__year=x"])  # fmt: skip
def test_bad_parameters_redirect_to_the_error_flag(post_admin, query):
    response = post_admin.get(f"{CHANGELIST_URL}?{query}")
    assert response.status_code == 302
    assert response["Location"] == CHANGELIST_URL + "?e=1"


def test_a_lookup_no_filter_offers_is_a_400(post_admin):
    assert post_admin.get(CHANGELIST_URL + "?author__name__startswith=A").status_code == 400


def test_a_null_character_in_the_search_is_refused_with_a_message(post_admin):
    response = post_admin.get(CHANGELIST_URL + "?q=a%00b")
    assert response.status_code == 200
    assert response.context["cl"].result_count == 3
    assert "Null characters are not allowed." in [str(message) for message in response.context["messages"]]


def test_paging_links_on_the_page(post_admin):
    author = ClAuthor.objects.first()
    ClPost.objects.bulk_create([ClPost(title=f"extra {number}", author=author) for number in range(120)])
    page = post_admin.get(CHANGELIST_URL + "?q=extra&p=2").content.decode()
    assert '<span class="this-page">2</span>' in page
    assert 'href="?p=1&amp;q=extra"' in page
    assert 'href="?all=&amp;q=extra"' in page
    assert post_admin.get(CHANGELIST_URL + "?q=extra&p=3")["Location"] == CHANGELIST_URL + "?e=1"
