"""The admin's templates: what each page shows, escaping, and a project's overrides per app and per model.

The override ladder is Django's: for the change page of ``tpl_tests.Gadget``
the first of ``admin/tpl_tests/gadget/change_form.html``,
``admin/tpl_tests/change_form.html`` and ``admin/change_form.html`` found
in the template directories (the project's ``DIRS`` before the apps') wins.
"""

import html.parser

import pytest

from tinyframe.db import models


class Maker(models.Model):
    name = models.CharField(max_length=100)

    class Meta:
        app_label = "tpl_tests"

    def __str__(self):
        return self.name


class Gadget(models.Model):
    name = models.CharField(max_length=100, help_text="As printed on the box.")
    maker = models.ForeignKey(Maker, models.CASCADE)
    working = models.BooleanField(default=True)

    class Meta:
        app_label = "tpl_tests"

    def __str__(self):
        return self.name


class Part(models.Model):
    gadget = models.ForeignKey(Gadget, models.CASCADE)
    label = models.CharField(max_length=50)

    class Meta:
        app_label = "tpl_tests"

    def __str__(self):
        return self.label


@pytest.fixture
def gadgets(admin_site, tables):
    """A site with gadgets (parts inline), makers; one maker, one gadget with two parts."""
    from tinyframe.contrib import admin

    class PartInline(admin.TabularInline):
        model = Part
        extra = 1

    class GadgetAdmin(admin.ModelAdmin):
        list_display = ["name", "maker", "working"]
        list_filter = ["working"]
        search_fields = ["name"]
        inlines = [PartInline]

    tables(Maker, Gadget, Part)
    maker = Maker.objects.create(name="Acme")
    gadget = Gadget.objects.create(name="Rocket <skates>", maker=maker)
    Part.objects.create(gadget=gadget, label="wheel")
    Part.objects.create(gadget=gadget, label="strap")
    site = admin_site((Gadget, GadgetAdmin), Maker)
    return gadget


@pytest.fixture
def with_dirs(use_settings, tmp_path):
    """``with_dirs({"admin/base_site.html": "..."})``: project templates in DIRS, ahead of the admin's own."""
    from tinyframe.conf import settings

    def write(files: dict) -> None:
        for name, source in files.items():
            path = tmp_path / name
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(source)
        templates = [{**settings.TEMPLATES[0], "DIRS": [str(tmp_path)]}]
        use_settings(TEMPLATES=templates)

    return write


def page(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, f"GET {url} answered {response.status_code}, expected 200"
    return response.content.decode()


def test_every_page_has_the_inline_stylesheet_and_a_phone_viewport(gadgets, admin_client):
    html = page(admin_client, "/admin/")
    assert '<meta name="viewport" content="width=device-width, initial-scale=1">' in html
    assert "<style>" in html and "@media (min-width: 60rem)" in html
    assert '<link rel="stylesheet"' not in html  # no static files to serve before chapter 16


def test_the_header_names_the_site_and_the_user_with_a_post_logout(gadgets, admin_client):
    html = page(admin_client, "/admin/")
    assert "Tinyframe administration" in html
    assert "<title>Site administration | Tinyframe site admin</title>" in html
    assert "Welcome, <strong>admin</strong>." in html
    assert '<a href="/">View site</a>' in html
    assert '<a href="/admin/password_change/">Change password</a>' in html
    assert '<form id="logout-form" method="post" action="/admin/logout/">' in html
    assert 'name="csrfmiddlewaretoken"' in html


def test_the_index_links_each_model_as_permitted(gadgets, admin_client, staff_user):
    html = page(admin_client, "/admin/")
    assert '<a href="/admin/tpl_tests/gadget/">Gadgets</a>' in html
    assert '<a href="/admin/tpl_tests/gadget/add/" class="addlink">Add</a>' in html
    assert '<a href="/admin/tpl_tests/maker/" class="changelink">Change</a>' in html
    from tinyframe.test import Client

    viewer = Client()
    viewer.force_login(staff_user("viewer", perms=["tpl_tests.view_gadget"]))
    html = page(viewer, "/admin/")
    assert '<a href="/admin/tpl_tests/gadget/" class="viewlink">View</a>' in html
    assert "/admin/tpl_tests/gadget/add/" not in html
    assert "/admin/tpl_tests/maker/" not in html


def test_a_user_who_may_see_nothing_is_told_so(gadgets, staff_user):
    from tinyframe.test import Client

    nobody = Client()
    nobody.force_login(staff_user("nobody"))
    assert "You don’t have permission to view or edit anything." in page(nobody, "/admin/")


def test_recent_actions_lists_the_users_own_entries_escaped(gadgets, admin_client, superuser, staff_user):
    from tinyframe.contrib.admin.models import ADDITION, CHANGE, DELETION, LogEntry

    LogEntry.objects.log_actions(superuser.pk, [gadgets], CHANGE, single_object=True)
    maker = gadgets.maker
    LogEntry.objects.log_actions(superuser.pk, [maker], DELETION)
    LogEntry.objects.log_actions(staff_user("other").pk, [maker], ADDITION)
    html = page(admin_client, "/admin/")
    recent = html.split("Recent actions", 1)[1]
    url = f"/admin/tpl_tests/gadget/{gadgets.pk}/change/"
    assert f'<a href="{url}">Rocket &lt;skates&gt;</a>' in recent
    assert "<skates>" not in recent
    assert f'<a href="/admin/tpl_tests/maker/{maker.pk}/change/">' not in recent  # a deleted object: no link
    assert recent.count("<li class=") == 2  # not the other user's
    assert 'class="deletelink"' in recent and 'class="changelink"' in recent


def test_recent_actions_when_there_are_none(gadgets, admin_client):
    assert "None available" in page(admin_client, "/admin/")


def test_the_app_index_shows_only_that_app(gadgets, admin_client):
    html = page(admin_client, "/admin/tpl_tests/")
    assert '<a href="/admin/tpl_tests/gadget/">Gadgets</a>' in html
    assert "Recent actions" not in html


def test_the_login_page_posts_to_itself_with_next(gadgets):
    from tinyframe.test import Client

    html = page(Client(), "/admin/login/?next=/admin/tpl_tests/gadget/")
    assert 'action="/admin/login/?next=/admin/tpl_tests/gadget/"' in html
    assert '<input type="hidden" name="next" value="/admin/tpl_tests/gadget/">' in html
    assert 'name="username"' in html and 'name="password"' in html and 'value="Log in"' in html
    assert "Log out" not in html


def test_the_changelist_shows_the_rows_filters_and_search(gadgets, admin_client):
    html = page(admin_client, "/admin/tpl_tests/gadget/")
    assert '<table id="result_list">' in html
    assert "Rocket &lt;skates&gt;" in html and "<skates>" not in html
    assert 'id="changelist-filter"' in html and "By working" in html
    assert 'id="searchbar"' in html
    assert '<a href="/admin/tpl_tests/gadget/add/" class="addlink">Add gadget</a>' in html
    assert "1 gadget" in html


def test_a_search_term_is_echoed_escaped(gadgets, admin_client):
    html = page(admin_client, '/admin/tpl_tests/gadget/?q="><script>')
    assert 'value="&quot;&gt;&lt;script&gt;"' in html
    assert '"><script>' not in html


def test_the_change_form_shows_fields_inline_rows_and_buttons(gadgets, admin_client):
    html = page(admin_client, f"/admin/tpl_tests/gadget/{gadgets.pk}/change/")
    assert 'id="gadget_form"' in html
    assert "As printed on the box." in html
    assert 'value="Rocket &lt;skates&gt;"' in html
    assert 'id="part_set-group"' in html and 'data-inline-type="tabular"' in html
    assert 'value="wheel"' in html and 'value="strap"' in html
    assert 'id="part_set-empty"' in html  # the template row "Add another" copies
    for button in ('name="_save"', 'name="_addanother"', 'name="_continue"'):
        assert button in html
    assert f'href="/admin/tpl_tests/gadget/{gadgets.pk}/delete/"' in html
    assert f'href="/admin/tpl_tests/gadget/{gadgets.pk}/history/"' in html


def test_the_change_form_says_what_to_correct(gadgets, admin_client):
    response = admin_client.post(f"/admin/tpl_tests/gadget/{gadgets.pk}/change/", {
        "name": "", "maker": gadgets.maker.pk, "working": "on",
        "part_set-TOTAL_FORMS": "0", "part_set-INITIAL_FORMS": "0",
        "part_set-MIN_NUM_FORMS": "0", "part_set-MAX_NUM_FORMS": "1000",
    })
    html = response.content.decode()
    assert response.status_code == 200
    assert "Please correct the error below." in html
    assert "This field is required." in html


def test_the_add_form_has_no_delete_link(gadgets, admin_client):
    html = page(admin_client, "/admin/tpl_tests/gadget/add/")
    assert "Add gadget" in html
    assert 'class="deletelink"' not in html


def test_the_delete_confirmation_lists_what_goes_with_the_object(gadgets, admin_client):
    html = page(admin_client, f"/admin/tpl_tests/gadget/{gadgets.pk}/delete/")
    assert "Are you sure you want to delete the gadget “Rocket &lt;skates&gt;”?" in html
    assert "Part: wheel" in html and "Part: strap" in html
    assert '<input type="hidden" name="post" value="yes">' in html
    assert "Yes, I’m sure" in html


def test_the_history_page_reads_the_change_messages(gadgets, admin_client, superuser):
    from tinyframe.contrib.admin.models import CHANGE, LogEntry

    LogEntry.objects.log_actions(superuser.pk, [gadgets], CHANGE, [{"changed": {"fields": ["Name"]}}])
    html = page(admin_client, f"/admin/tpl_tests/gadget/{gadgets.pk}/history/")
    assert "Changed Name." in html and "admin" in html
    maker = gadgets.maker
    assert "doesn’t have a change history" in page(admin_client, f"/admin/tpl_tests/maker/{maker.pk}/history/")


def test_the_project_overrides_base_site_for_every_page(gadgets, admin_client, with_dirs):
    with_dirs({"admin/base_site.html": '{% extends "admin/base.html" %}{% block branding %}Gadget HQ{% endblock %}'})
    assert "Gadget HQ" in page(admin_client, "/admin/")
    assert "Gadget HQ" in page(admin_client, "/admin/tpl_tests/gadget/")


@pytest.mark.parametrize("files, expected", [
    ({"admin/change_form.html": "project-wide"}, "project-wide"),
    ({"admin/change_form.html": "project-wide", "admin/tpl_tests/change_form.html": "per app"}, "per app"),
    (
        {
            "admin/tpl_tests/change_form.html": "per app",
            "admin/tpl_tests/gadget/change_form.html": '{% extends "admin/change_form.html" %}'
                                                       "{% block form_top %}<p>per model</p>{% endblock %}",
        },
        "<p>per model</p>",
    ),
])
def test_the_most_specific_change_form_wins(gadgets, admin_client, with_dirs, files, expected):
    with_dirs(files)
    html = page(admin_client, f"/admin/tpl_tests/gadget/{gadgets.pk}/change/")
    assert expected in html


def test_a_per_model_override_leaves_other_models_alone(gadgets, admin_client, with_dirs):
    with_dirs({"admin/tpl_tests/gadget/change_list.html": "gadgets only"})
    assert page(admin_client, "/admin/tpl_tests/gadget/") == "gadgets only"
    assert "gadgets only" not in page(admin_client, "/admin/tpl_tests/maker/")


def test_a_per_model_submit_line_overrides_the_buttons(gadgets, admin_client, with_dirs):
    with_dirs({"admin/tpl_tests/gadget/submit_line.html": "<p>custom buttons</p>"})
    html = page(admin_client, f"/admin/tpl_tests/gadget/{gadgets.pk}/change/")
    assert "<p>custom buttons</p>" in html and 'name="_addanother"' not in html


def test_a_saved_change_shows_its_message_escaped_and_a_history_row(gadgets, admin_client):
    response = admin_client.post(f"/admin/tpl_tests/gadget/{gadgets.pk}/change/", {
        "name": "Rocket <boots>", "maker": gadgets.maker.pk, "working": "on",
        "part_set-TOTAL_FORMS": "0", "part_set-INITIAL_FORMS": "0",
        "part_set-MIN_NUM_FORMS": "0", "part_set-MAX_NUM_FORMS": "1000",
    }, follow=True)
    html = response.content.decode()
    assert '<ul class="messagelist"><li class="success">' in html
    assert "Rocket &lt;boots&gt;" in html and "<boots>" not in html
    history = page(admin_client, f"/admin/tpl_tests/gadget/{gadgets.pk}/history/")
    assert "Changed Name." in history


class _Markup(html.parser.HTMLParser):
    """What a browser would trip on: tags left open or closed out of order, ids used twice, labels for no id."""

    VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}
    OPTIONAL_END = {"p", "li", "option", "tr", "td", "th", "thead", "tbody"}

    def __init__(self, page: str):
        super().__init__()
        self.open, self.problems, self.ids, self.label_targets, self.headings = [], [], set(), [], []
        self.feed(page)
        self.close()
        self.problems += [f"<{tag}> never closed" for tag in self.open if tag not in self.OPTIONAL_END]
        self.problems += [f"label for {target!r}: no such id" for target in self.label_targets if target not in self.ids]

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if "id" in attrs:
            if attrs["id"] in self.ids:
                self.problems.append(f"id {attrs['id']!r} used twice")
            self.ids.add(attrs["id"])
        if tag == "label" and attrs.get("for"):
            self.label_targets.append(attrs["for"])
        if tag in ("h1", "h2", "h3", "h4", "h5", "h6"):
            self.headings.append(int(tag[1]))
        if tag not in self.VOID:
            self.open.append(tag)

    def handle_endtag(self, tag):
        if tag not in self.open:
            self.problems.append(f"</{tag}> closes nothing")
            return
        while (last := self.open.pop()) != tag:
            if last not in self.OPTIONAL_END:
                self.problems.append(f"<{last}> closed by </{tag}>")


def test_the_change_form_with_an_inline_is_well_formed(gadgets, admin_client):
    markup = _Markup(page(admin_client, f"/admin/tpl_tests/gadget/{gadgets.pk}/change/"))
    assert markup.problems == []
    assert markup.headings.count(1) == 1, "one h1: the page's title (the site's name is not a heading)"
    assert all(later <= earlier + 1 for earlier, later in zip(markup.headings, markup.headings[1:]))
    for url in ("/admin/", "/admin/tpl_tests/gadget/", f"/admin/tpl_tests/gadget/{gadgets.pk}/delete/"):
        assert _Markup(page(admin_client, url)).problems == [], url


def test_the_tabular_inline_scrolls_and_labels_each_cell(gadgets, admin_client):
    html = page(admin_client, f"/admin/tpl_tests/gadget/{gadgets.pk}/change/")
    # A wide table scrolls in its own box; a phone stacks the rows, each cell showing its own label.
    assert '<div class="inline-table-wrapper">' in html
    assert '<label class="inline-label required" for="id_part_set-0-label">Label</label>' in html
    assert 'for="id_part_set-__prefix__-label"' in html  # the template row's, renumbered by "Add another"
    assert '<p title="wheel">wheel' in html  # an existing row's object, named above the row


def test_the_related_links_are_labelled_and_scripted(gadgets, admin_client):
    html = page(admin_client, f"/admin/tpl_tests/gadget/{gadgets.pk}/change/")
    wrapper = html.split('<div class="related-widget-wrapper">', 1)[1].split("</div>", 1)[0]
    assert 'id="add_id_maker" href="/admin/tpl_tests/maker/add/?_to_field=id&amp;_popup=1"' in wrapper
    assert '<span aria-hidden="true">+</span> Add<span class="visually-hidden"> another maker</span>' in wrapper
    assert 'data-href-template="/admin/tpl_tests/maker/__fk__/change/?_to_field=id&amp;_popup=1"' in wrapper
    assert "window.tinyframeAdminPopupDone = function" in html  # what popup_response.html calls back


def test_an_empty_changelist_says_so_without_actions(gadgets, admin_client):
    html = page(admin_client, "/admin/tpl_tests/gadget/?q=<nothing>")
    assert "No gadgets match “&lt;nothing&gt;”." in html
    assert 'name="action"' not in html and '<table id="result_list">' not in html
    html = page(admin_client, "/admin/tpl_tests/gadget/?working__exact=0")
    assert "No gadgets match these filters." in html
