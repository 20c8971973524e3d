"""Inlines: a parent's children edited on its page, through chapter 09's inline formsets.

What ``get_formset`` builds from an inline's options and the user's
permissions, as Django 5.2's ``InlineModelAdmin`` does for the same models.
"""

import pytest

from tinyframe.db import models
from tinyframe.db.models import CASCADE

APP = "admin_inlines_tests"


class InlinePoll(models.Model):
    question = models.CharField(max_length=50)

    class Meta:
        app_label = APP

    def __str__(self):
        return self.question


class InlineChoice(models.Model):
    poll = models.ForeignKey(InlinePoll, CASCADE)
    text = models.CharField(max_length=30)
    votes = models.IntegerField(default=0)

    class Meta:
        app_label = APP
        verbose_name = "answer"

    def __str__(self):
        return self.text


class InlineRematch(models.Model):
    """Two keys to the same parent: the inline must name one (fk_name)."""

    home = models.ForeignKey(InlinePoll, CASCADE, related_name="home_rematches")
    away = models.ForeignKey(InlinePoll, CASCADE, related_name="away_rematches")

    class Meta:
        app_label = APP


class PermUser:
    """A signed-in user holding exactly ``perms`` (``"<app>.<codename>"``)."""

    is_active = is_staff = is_authenticated = True
    pk = id = 1

    def __init__(self, *perms):
        self.perms = {f"{APP}.{perm}" for perm in perms}

    def has_perm(self, perm, obj=None):
        return perm in self.perms


ALL_PERMS = [f"{action}_{model}" for action in ("add", "change", "delete", "view")
             for model in ("inlinepoll", "inlinechoice", "inlinerematch")]


@pytest.fixture
def admin():
    """The ``tinyframe.contrib.admin`` package."""
    from tinyframe.contrib import admin

    return admin


def make_request(*perms):
    from tinyframe.test import RequestFactory

    request = RequestFactory().get("/")
    request.user = PermUser(*perms)
    return request


def make_inline(admin, **options):
    site = admin.AdminSite(name="inline_tests")
    inline_class = type("ChoiceInline", (options.pop("base", admin.TabularInline),), {"model": InlineChoice, **options})
    return inline_class(InlinePoll, site)


def test_inline_names_templates_and_defaults(admin):
    tabular = make_inline(admin)
    assert tabular.template == "admin/edit_inline/tabular.html"
    assert make_inline(admin, base=admin.StackedInline).template == "admin/edit_inline/stacked.html"
    assert (tabular.verbose_name, tabular.verbose_name_plural) == ("answer", "answers")
    named = make_inline(admin, verbose_name="option")
    assert (named.verbose_name, named.verbose_name_plural) == ("option", "options")
    assert (tabular.extra, tabular.min_num, tabular.max_num, tabular.can_delete) == (3, None, None, True)
    assert not tabular.show_change_link and not tabular.has_registered_model


def test_get_formset_passes_the_options(admin, tables):
    tables(InlinePoll, InlineChoice)
    inline = make_inline(admin, extra=1, min_num=1, max_num=4, fields=["text"])
    formset_class = inline.get_formset(make_request(*ALL_PERMS))
    assert formset_class.fk.name == "poll"
    assert (formset_class.extra, formset_class.min_num, formset_class.max_num) == (1, 1, 4)
    assert formset_class.can_delete
    formset = formset_class(instance=InlinePoll(question="?"))
    assert len(formset.forms) == 2  # min_num + extra
    assert list(formset.forms[0].fields) == ["text", "id", "DELETE", "poll"]


def test_readonly_fields_are_not_in_the_form(admin, tables):
    tables(InlinePoll, InlineChoice)
    inline = make_inline(admin, readonly_fields=["votes"])
    form = inline.get_formset(make_request(*ALL_PERMS)).form
    assert "votes" not in form.base_fields and "text" in form.base_fields


def test_fields_come_from_fieldsets(admin, tables):
    tables(InlinePoll, InlineChoice)
    inline = make_inline(admin, fieldsets=[(None, {"fields": [("votes", "text")]})])
    assert list(inline.get_formset(make_request(*ALL_PERMS)).form.base_fields) == ["votes", "text"]


def test_no_delete_permission_means_no_delete_box(admin, tables):
    tables(InlinePoll, InlineChoice)
    inline = make_inline(admin)
    perms = [perm for perm in ALL_PERMS if perm != "delete_inlinechoice"]
    assert not inline.get_formset(make_request(*perms)).can_delete
    assert not make_inline(admin, can_delete=False).get_formset(make_request(*ALL_PERMS)).can_delete


def test_rows_the_user_may_not_change_or_add_never_count_as_changed(admin, tables):
    tables(InlinePoll, InlineChoice)
    poll = InlinePoll.objects.create(question="Best?")
    choice = InlineChoice.objects.create(poll=poll, text="Tea")
    data = {"inlinechoice_set-TOTAL_FORMS": "2", "inlinechoice_set-INITIAL_FORMS": "1",
            "inlinechoice_set-0-id": str(choice.pk), "inlinechoice_set-0-poll": str(poll.pk),
            "inlinechoice_set-0-text": "Coffee", "inlinechoice_set-0-votes": "0",
            "inlinechoice_set-1-text": "Milk", "inlinechoice_set-1-votes": "0"}
    view_only = make_request("view_inlinechoice", "change_inlinepoll")
    formset = make_inline(admin).get_formset(view_only)(data, instance=poll)
    assert formset.is_valid(), formset.errors
    formset.save()
    assert list(InlineChoice.objects.values_list("text", flat=True)) == ["Tea"]
    formset = make_inline(admin).get_formset(make_request(*ALL_PERMS))(data, instance=poll)
    assert formset.is_valid(), formset.errors
    formset.save()
    assert sorted(InlineChoice.objects.values_list("text", flat=True)) == ["Coffee", "Milk"]


def test_queryset_is_empty_without_view_or_change_permission(admin, tables):
    tables(InlinePoll, InlineChoice)
    poll = InlinePoll.objects.create(question="Best?")
    InlineChoice.objects.create(poll=poll, text="Tea")
    inline = make_inline(admin)
    assert inline.get_queryset(make_request()).count() == 0
    assert inline.get_queryset(make_request("view_inlinechoice")).count() == 1


def test_permissions_are_the_child_models(admin):
    inline = make_inline(admin)
    request = make_request("add_inlinechoice", "view_inlinepoll")
    assert inline.has_add_permission(request, None)
    assert not inline.has_change_permission(request) and not inline.has_delete_permission(request)
    assert not inline.has_view_permission(request)
    assert inline.has_view_permission(make_request("change_inlinechoice"))


def test_fk_name_chooses_among_several_keys(admin, tables):
    tables(InlinePoll, InlineRematch)
    site = admin.AdminSite(name="inline_tests")
    plain = type("RematchInline", (admin.TabularInline,), {"model": InlineRematch})(InlinePoll, site)
    with pytest.raises(ValueError, match="has more than one ForeignKey"):
        plain.get_formset(make_request(*ALL_PERMS))
    named = type("RematchInline", (admin.TabularInline,), {"model": InlineRematch, "fk_name": "away"})
    assert named(InlinePoll, site).get_formset(make_request(*ALL_PERMS)).fk.name == "away"


def test_extra_min_and_max_can_depend_on_the_object(admin, tables):
    tables(InlinePoll, InlineChoice)

    class FewerWhenSaved(admin.TabularInline):
        model = InlineChoice

        def get_extra(self, request, obj=None, **kwargs):
            return 0 if obj else 2

    inline = FewerWhenSaved(InlinePoll, admin.AdminSite(name="inline_tests"))
    assert inline.get_formset(make_request(*ALL_PERMS)).extra == 2
    assert inline.get_formset(make_request(*ALL_PERMS), InlinePoll(pk=1)).extra == 0


# --- through the add and change pages ---------------------------------------------------------------------------


@pytest.fixture
def poll_site(admin_site, tables, admin):
    """Polls with their choices inline (TabularInline, one blank form), at /admin/."""
    tables(InlinePoll, InlineChoice)

    class ChoiceInline(admin.TabularInline):
        model = InlineChoice
        extra = 1

    class PollAdmin(admin.ModelAdmin):
        inlines = [ChoiceInline]

    return admin_site((InlinePoll, PollAdmin))


ADD = f"/admin/{APP}/inlinepoll/add/"


def management(total, initial, prefix="inlinechoice_set"):
    return {f"{prefix}-TOTAL_FORMS": str(total), f"{prefix}-INITIAL_FORMS": str(initial),
            f"{prefix}-MIN_NUM_FORMS": "0", f"{prefix}-MAX_NUM_FORMS": "1000"}


def test_add_page_shows_the_inline(admin_client, poll_site):
    response = admin_client.get(ADD)
    assert response.status_code == 200
    (inline_admin_formset,) = response.context["inline_admin_formsets"]
    assert inline_admin_formset.opts.verbose_name_plural == "answers"
    html = response.content.decode()
    assert 'name="inlinechoice_set-TOTAL_FORMS"' in html
    assert 'name="inlinechoice_set-0-text"' in html
    assert 'name="inlinechoice_set-__prefix__-text"' in html  # the template for "Add another"


def test_adding_a_poll_with_its_choices(admin_client, poll_site):
    data = {"question": "Tea or coffee?", **management(2, 0),
            "inlinechoice_set-0-text": "Tea", "inlinechoice_set-0-votes": "0",
            "inlinechoice_set-1-text": "Coffee", "inlinechoice_set-1-votes": "2"}
    response = admin_client.post(ADD, data)
    assert response.status_code == 302, response.context and response.context["errors"]
    poll = InlinePoll.objects.get()
    assert sorted(poll.inlinechoice_set.values_list("text", "votes")) == [("Coffee", 2), ("Tea", 0)]


def test_an_invalid_choice_saves_nothing_and_shows_the_error(admin_client, poll_site):
    data = {"question": "Tea or coffee?", **management(1, 0),
            "inlinechoice_set-0-text": "x" * 31, "inlinechoice_set-0-votes": "0"}
    response = admin_client.post(ADD, data)
    assert response.status_code == 200
    assert InlinePoll.objects.count() == 0 and InlineChoice.objects.count() == 0
    assert list(response.context["errors"]) == ["Ensure this value has at most 30 characters (it has 31)."]


def test_changing_and_deleting_choices_inline(admin_client, poll_site):
    poll = InlinePoll.objects.create(question="Best?")
    tea = InlineChoice.objects.create(poll=poll, text="Tea")
    milk = InlineChoice.objects.create(poll=poll, text="Milk")
    url = f"/admin/{APP}/inlinepoll/{poll.pk}/change/"
    page = admin_client.get(url)
    assert page.status_code == 200
    forms = list(page.context["inline_admin_formsets"][0])
    assert [form.original for form in forms[:2]] == [tea, milk]
    data = {"question": "Best?", **management(3, 2),
            "inlinechoice_set-0-id": str(tea.pk), "inlinechoice_set-0-poll": str(poll.pk),
            "inlinechoice_set-0-text": "Green tea", "inlinechoice_set-0-votes": "1",
            "inlinechoice_set-1-id": str(milk.pk), "inlinechoice_set-1-poll": str(poll.pk),
            "inlinechoice_set-1-text": "Milk", "inlinechoice_set-1-votes": "0", "inlinechoice_set-1-DELETE": "on",
            "inlinechoice_set-2-text": "", "inlinechoice_set-2-votes": "0"}
    response = admin_client.post(url, data)
    assert response.status_code == 302
    assert list(poll.inlinechoice_set.values_list("text", flat=True)) == ["Green tea"]


def test_a_stacked_inline_renders_each_choice_as_a_box(admin_client, admin_site, tables, admin):
    tables(InlinePoll, InlineChoice)

    class ChoiceInline(admin.StackedInline):
        model = InlineChoice
        extra = 0

    admin_site((InlinePoll, type("PollAdmin", (admin.ModelAdmin,), {"inlines": [ChoiceInline]})))
    poll = InlinePoll.objects.create(question="Best?")
    InlineChoice.objects.create(poll=poll, text="<Tea>")
    page = admin_client.get(f"/admin/{APP}/inlinepoll/{poll.pk}/change/")
    assert page.status_code == 200
    assert "admin/edit_inline/stacked.html" in [template.name for template in page.templates]
    html = page.content.decode()
    assert 'value="&lt;Tea&gt;"' in html and "<Tea>" not in html


def test_view_only_inline_rows_are_shown_not_edited(admin_site, tables, admin, staff_user):
    from tinyframe.test import Client

    tables(InlinePoll, InlineChoice)

    class ChoiceInline(admin.TabularInline):
        model = InlineChoice

    admin_site((InlinePoll, type("PollAdmin", (admin.ModelAdmin,), {"inlines": [ChoiceInline]})))
    poll = InlinePoll.objects.create(question="Best?")
    tea = InlineChoice.objects.create(poll=poll, text="Tea")
    client = Client()
    client.force_login(staff_user(perms=[f"{APP}.change_inlinepoll", f"{APP}.view_inlinechoice"]))
    url = f"/admin/{APP}/inlinepoll/{poll.pk}/change/"
    page = client.get(url)
    assert page.status_code == 200
    (inline,) = page.context["inline_admin_formsets"]
    assert not inline.has_change_permission and not inline.has_add_permission
    html = page.content.decode()
    assert 'name="inlinechoice_set-0-text"' not in html and "Tea" in html
    data = {"question": "Best?", "inlinechoice_set-TOTAL_FORMS": "1", "inlinechoice_set-INITIAL_FORMS": "1",
            "inlinechoice_set-0-id": str(tea.pk), "inlinechoice_set-0-text": "Coffee"}
    response = client.post(url, data)
    assert response.status_code == 302
    assert list(InlineChoice.objects.values_list("text", flat=True)) == ["Tea"]


def test_prepopulated_fields_of_new_inline_rows_reach_the_page(admin_client, admin_site, tables, admin):
    tables(InlinePoll, InlineChoice)

    class ChoiceInline(admin.TabularInline):
        model = InlineChoice
        extra = 1
        prepopulated_fields = {"text": ["votes"]}

    admin_site((InlinePoll, type("PollAdmin", (admin.ModelAdmin,), {"inlines": [ChoiceInline]})))
    html = admin_client.get(ADD).content.decode()
    assert 'id="django-admin-prepopulated-fields-constants"' in html
    assert '"id": "#id_inlinechoice_set-0-text"' in html
    assert '"dependency_ids": ["#id_inlinechoice_set-0-votes"]' in html
