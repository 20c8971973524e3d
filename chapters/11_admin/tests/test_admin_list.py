"""The changelist's template tags: headers and their sort links, the cells (escaped), pagination, date drill-down.

The sort links and the page ranges are what Django 5.2's ``admin_list`` tags
give for the same ChangeList (``?o=1.-2``: the first header's primary link is
``?o=0.1.-2``, its toggle ``?o=1.-2``...).
"""

import datetime

import pytest


import admin_changelist_test_models as kit  # loaded by conftest.py

ALL_MODELS, ClAuthor, ClPost = kit.ALL_MODELS, kit.ClAuthor, kit.ClPost
ModelAdminStandIn, changelist = kit.ModelAdminStandIn, kit.changelist


def change_view(request, object_id):
    from tinyframe.http import HttpResponse

    return HttpResponse(object_id)


@pytest.fixture
def posts(tables, use_settings, throwaway_module):
    """Posts "<script>x</script>" (by "Ada & co", published) and "Plain" (by Bob); the change page's URL."""
    from tinyframe.urls import include, path

    tables(*ALL_MODELS)
    patterns = [path("p/<path:object_id>/change/", change_view, name="admin_changelist_tests_clpost_change")]
    use_settings(
        ROOT_URLCONF=throwaway_module(urlpatterns=[path("admin/", include((patterns, "admin")))]),
        TEMPLATES=[{"BACKEND": "tinyframe.template.backends.django.DjangoTemplates", "APP_DIRS": True}],
    )
    ada = ClAuthor.objects.create(name="Ada & co")
    bob = ClAuthor.objects.create(name="Bob")
    ClPost.objects.create(title="<script>x</script>", author=ada, published=True, written=datetime.date(2026, 3, 5))
    ClPost.objects.create(title="Plain", author=bob, written=datetime.date(2025, 7, 1))
    return {"ada": ada, "bob": bob}


def headers(cl):
    from tinyframe.contrib.admin.templatetags.admin_list import result_headers

    return list(result_headers(cl))


def test_headers_labels_and_which_sort(posts):
    def word_count(obj):
        return 1

    cl = changelist(list_display=["title", "shout", "author", word_count, "__str__"])
    found = [(str(header["text"]), header["sortable"]) for header in headers(cl)]
    assert found == [("title", True), ("Shout", True), ("author", True), ("Word count", False), ("post", False)]
    assert headers(cl)[3]["class_attrib"] == ' class="column-word_count"'


def test_header_sort_links(posts):
    cl = changelist("o=1.-2", list_display=["title", "status", "shout"])
    first, second, third = headers(cl)
    assert (first["url_primary"], first["sorted"]) == ("?o=0.1.-2", False)
    assert (second["sorted"], second["ascending"], second["sort_priority"]) == (True, True, 1)
    assert (second["url_primary"], second["url_toggle"], second["url_remove"]) == ("?o=-1.-2", "?o=-1.-2", "?o=-2")
    assert (third["url_primary"], third["url_toggle"], third["url_remove"]) == ("?o=2.1", "?o=1.2", "?o=1")
    assert third["class_attrib"] == ' class="sortable column-shout sorted descending"'


def test_sortable_by_limits_the_sortable_columns(posts):
    cl = changelist(list_display=["title", "status"], sortable_by=["status"])
    assert [header["sortable"] for header in headers(cl)] == [False, True]


def test_cells_are_escaped_and_the_first_links_to_the_change_page(posts):
    from tinyframe.contrib.admin.templatetags.admin_list import items_for_result

    cl = changelist(list_display=["title", "author", "published", "written", "shout"], list_display_links=())
    post = ClPost.objects.get(title="<script>x</script>")
    cells = list(items_for_result(cl, post, None))
    assert cells[0] == (f'<th class="field-title"><a href="/admin/p/{post.pk}/change/">'
                        "&lt;script&gt;x&lt;/script&gt;</a></th>")  # fmt: skip
    assert cells[1] == '<td class="field-author nowrap">Ada &amp; co</td>'
    assert 'aria-label="True"' in cells[2]
    assert cells[3] == '<td class="field-written nowrap">March 5, 2026</td>'
    assert cells[4] == '<td class="field-shout">&lt;SCRIPT&gt;X&lt;/SCRIPT&gt;</td>'


def test_list_display_links(posts):
    from tinyframe.contrib.admin.templatetags.admin_list import items_for_result

    post = ClPost.objects.get(title="Plain")
    cells = list(items_for_result(changelist(list_display=["title", "author"], list_display_links=["author"]), post,
                                  None))  # fmt: skip
    assert cells[0] == '<td class="field-title">Plain</td>'
    assert cells[1].startswith('<th class="field-author nowrap"><a href="/admin/p/')
    cells = list(items_for_result(changelist(list_display=["title"], list_display_links=None), post, None))
    assert cells == ['<td class="field-title">Plain</td>']


def test_result_list_context(posts):
    from tinyframe.contrib.admin.templatetags.admin_list import result_list

    context = result_list(changelist("o=0", list_display=["title", "author"]))
    assert context["num_sorted_fields"] == 1
    assert [row.form for row in context["results"]] == [None, None]
    assert len(context["results"][0]) == 2
    assert context["result_hidden_fields"] == []


def test_pagination_context_and_page_links(posts):
    from tinyframe.contrib.admin.templatetags.admin_list import paginator_number, pagination

    ClPost.objects.bulk_create([ClPost(title=f"p{number}", author=posts["bob"]) for number in range(30)])
    cl = changelist("p=5&q=p", list_per_page=2)
    context = pagination(cl)
    assert context["pagination_required"]
    assert context["page_range"] == [1, 2, 3, 4, 5, 6, 7, 8, "…", 15, 16]
    assert context["show_all_url"] == "?all=&q=p"
    assert paginator_number(cl, 5) == '<span class="this-page">5</span> '
    assert paginator_number(cl, 6) == '<a role="button" href="?p=6&amp;q=p">6</a> '
    assert paginator_number(cl, 16) == '<a role="button" href="?p=16&amp;q=p" class="end">16</a> '
    assert paginator_number(cl, "…") == "… "
    assert not pagination(changelist())["pagination_required"]


def test_search_form_context(posts):
    from tinyframe.contrib.admin.templatetags.admin_list import search_form

    context = search_form(changelist("q=plain"))
    assert context["show_result_count"] and context["search_var"] == "q"
    assert not search_form(changelist())["show_result_count"]


def test_date_hierarchy_drills_from_years_to_a_day(posts):
    from tinyframe.contrib.admin.templatetags.admin_list import date_hierarchy

    context = date_hierarchy(changelist(date_hierarchy="written"))
    assert context["back"] is None
    assert context["choices"] == [{"link": "?written__year=2025", "title": "2025"},
                                  {"link": "?written__year=2026", "title": "2026"}]  # fmt: skip
    context = date_hierarchy(changelist("written__year=2026", date_hierarchy="written"))
    assert context["back"] == {"link": "?", "title": "All dates"}
    assert context["choices"] == [{"link": "?written__month=3&written__year=2026", "title": "March 2026"}]
    context = date_hierarchy(changelist("written__year=2026&written__month=3", date_hierarchy="written"))
    assert context["back"] == {"link": "?written__year=2026", "title": "2026"}
    assert context["choices"] == [{"link": "?written__day=5&written__month=3&written__year=2026", "title": "March 5"}]
    context = date_hierarchy(changelist("written__year=2026&written__month=3&written__day=5", date_hierarchy="written"))
    assert context["choices"] == [{"title": "March 5"}]
    assert date_hierarchy(changelist()) == {"show": False}


def test_date_hierarchy_of_one_month_opens_on_its_days(posts):
    from tinyframe.contrib.admin.templatetags.admin_list import date_hierarchy

    ClPost.objects.filter(title="Plain").delete()
    context = date_hierarchy(changelist(date_hierarchy="written"))
    assert context["back"] == {"link": "?written__year=2026", "title": "2026"}


def test_admin_list_filter_renders_escaped_links(posts):
    from tinyframe.contrib.admin.templatetags.admin_list import admin_list_filter

    cl = changelist(list_filter=["author"])
    html = admin_list_filter(cl, cl.filter_specs[0])
    assert "Ada &amp; co" in html and "Ada & co" not in html
    assert f'href="?author__id__exact={posts["bob"].pk}"' in html
    assert "By author" in html, "the filter's heading names its title"
