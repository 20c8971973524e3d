"""The changelist view (permissions, bad query strings, list_editable, actions), the delete page and the history.

Statuses, redirects, titles and messages are Django 5.2's for the same models (checked side by side).
"""

import pytest

from tinyframe.db import models


class LvAuthor(models.Model):
    name = models.CharField(max_length=100)

    class Meta:
        app_label = "lv_tests"

    def __str__(self):
        return self.name


class LvPost(models.Model):
    title = models.CharField(max_length=100)
    author = models.ForeignKey(LvAuthor, models.CASCADE, null=True, blank=True)

    class Meta:
        app_label = "lv_tests"
        verbose_name = "post"
        ordering = ["pk"]

    def __str__(self):
        return self.title


class LvLock(models.Model):
    post = models.ForeignKey(LvPost, models.PROTECT)

    class Meta:
        app_label = "lv_tests"

    def __str__(self):
        return f"lock of {self.post}"


CHANGELIST = "/admin/lv_tests/lvpost/"


@pytest.fixture
def site(admin_site, tables):
    from tinyframe.contrib import admin

    tables(LvAuthor, LvPost, LvLock)

    @admin.action(description="Shout the titles of %(verbose_name_plural)s", permissions=["change"])
    def shout(modeladmin, request, queryset):
        for post in queryset:
            post.title = post.title.upper()
            post.save()
        modeladmin.message_user(request, "Shouted.", "success")

    class PostAdmin(admin.ModelAdmin):
        list_display = ["title", "author"]
        list_editable = ["author"]
        list_display_links = ["title"]
        actions = [shout]

    return admin_site((LvPost, PostAdmin), LvAuthor)


@pytest.fixture
def posts(site):
    ada = LvAuthor.objects.create(name="Ada")
    return [LvPost.objects.create(title=title, author=ada) for title in ("one", "two", "three")]


def messages_after(client, response) -> list:
    return [str(message) for message in client.get(response["Location"]).context["messages"]]


@pytest.fixture
def staff_client(staff_user):
    from tinyframe.test import Client

    def make(*perms):
        client = Client()
        client.force_login(staff_user("_".join(perms), perms=[f"lv_tests.{perm}" for perm in perms]))
        return client

    return make


# The changelist.


def test_changelist_context(posts, admin_client):
    response = admin_client.get(CHANGELIST)
    assert response.status_code == 200
    context = response.context
    assert context["title"] == "Select post to change" and context["module_name"] == "posts"
    assert context["selection_note"] == "0 of 3 selected"
    assert context["selection_note_all"] == "All 3 selected"
    assert context["has_add_permission"] is True
    assert [str(post) for post in context["cl"].result_list] == ["one", "two", "three"]
    assert [name for name, _label in context["action_form"].fields["action"].choices] == [
        "",
        "delete_selected",
        "shout",
    ]
    assert dict(context["action_form"].fields["action"].choices)["shout"] == "Shout the titles of posts"
    assert response.templates[0].name == "admin/change_list.html"


def test_changelist_needs_view_or_change_permission(posts, staff_client):
    assert staff_client("add_lvpost").get(CHANGELIST).status_code == 403
    response = staff_client("view_lvpost").get(CHANGELIST)
    assert response.status_code == 200
    assert response.context["action_form"] is None, "no action is allowed with only the view permission"


def test_an_unknown_parameter_redirects_to_e_1_then_shows_an_error_page(posts, admin_client):
    response = admin_client.get(CHANGELIST, {"zzz": "1"})
    assert (response.status_code, response["Location"]) == (302, CHANGELIST + "?e=1")
    response = admin_client.get(CHANGELIST, {"e": "1", "zzz": "1"})
    assert response.status_code == 200
    assert response.templates[0].name == "admin/invalid_setup.html"


def test_list_editable_saves_the_changed_rows_and_logs_them(posts, admin_client):
    from tinyframe.contrib.admin.models import CHANGE, LogEntry

    grace = LvAuthor.objects.create(name="Grace")
    data = {"form-TOTAL_FORMS": "3", "form-INITIAL_FORMS": "3", "form-MIN_NUM_FORMS": "0", "form-MAX_NUM_FORMS": "1000"}
    for index, post in enumerate(posts):
        data[f"form-{index}-id"] = str(post.pk)
        data[f"form-{index}-author"] = str(grace.pk if index < 2 else post.author_id)
    response = admin_client.post(CHANGELIST, {**data, "_save": "Save"})
    assert (response.status_code, response["Location"]) == (302, CHANGELIST)
    assert messages_after(admin_client, response) == ["2 posts were changed successfully."]
    assert [post.author.name for post in LvPost.objects.all()] == ["Grace", "Grace", "Ada"]
    assert LogEntry.objects.filter(action_flag=CHANGE).count() == 2


def test_list_editable_post_needs_change_permission(posts, staff_client):
    client = staff_client("view_lvpost")
    response = client.post(CHANGELIST, {"form-TOTAL_FORMS": "0", "form-INITIAL_FORMS": "0", "_save": "Save"})
    assert response.status_code == 403


def test_an_action_runs_on_the_selected_rows(posts, admin_client):
    response = admin_client.post(
        CHANGELIST, {"action": "shout", "index": "0", "_selected_action": [str(posts[0].pk), str(posts[2].pk)]}
    )
    assert (response.status_code, response["Location"]) == (302, CHANGELIST)
    assert messages_after(admin_client, response) == ["Shouted."]
    assert [post.title for post in LvPost.objects.all()] == ["ONE", "two", "THREE"]


def test_an_action_without_rows_or_without_a_choice_changes_nothing(posts, admin_client):
    response = admin_client.post(CHANGELIST, {"action": "shout", "index": "0"})
    assert (response.status_code, response["Location"]) == (302, CHANGELIST)
    assert messages_after(admin_client, response) == [
        "Items must be selected in order to perform actions on them. No items have been changed."
    ]
    response = admin_client.post(CHANGELIST, {"action": "", "index": "0", "_selected_action": [str(posts[0].pk)]})
    assert messages_after(admin_client, response) == ["No action selected."]
    assert [post.title for post in LvPost.objects.all()] == ["one", "two", "three"]


def test_an_action_the_user_may_not_run_is_not_offered_nor_run(posts, staff_client):
    client = staff_client("view_lvpost")
    response = client.post(CHANGELIST, {"action": "shout", "index": "0", "_selected_action": [str(posts[0].pk)]})
    assert response.status_code == 200, "no action is offered, so the POST only shows the list again"
    assert LvPost.objects.get(pk=posts[0].pk).title == "one"


def test_message_user_takes_a_level_name_and_refuses_a_bad_one(site):
    from tinyframe.contrib.admin import ModelAdmin

    with pytest.raises(ValueError, match="Bad message level string: `loud`"):
        ModelAdmin(LvPost, site).message_user(None, "hi", "loud")


# Delete.


def test_delete_page_lists_what_goes_and_post_deletes(posts, admin_client):
    url = f"/admin/lv_tests/lvpost/{posts[0].pk}/delete/"
    response = admin_client.get(url)
    assert response.status_code == 200
    assert response.context["title"] == "Delete"
    assert response.context["object_name"] == "post"
    assert list(response.context["model_count"]) == [("posts", 1)]
    assert response.templates[0].name == "admin/delete_confirmation.html"
    response = admin_client.post(url + "?_changelist_filters=q%3Done", {"post": "yes"})
    assert (response.status_code, response["Location"]) == (302, CHANGELIST + "?q=one")
    assert messages_after(admin_client, response) == ["The post “one” was deleted successfully."]
    assert not LvPost.objects.filter(pk=posts[0].pk).exists()


def test_a_protected_object_is_not_deleted(posts, admin_client):
    LvLock.objects.create(post=posts[0])
    url = f"/admin/lv_tests/lvpost/{posts[0].pk}/delete/"
    response = admin_client.post(url, {"post": "yes"})
    assert response.status_code == 200
    assert response.context["title"] == "Cannot delete post"
    assert LvPost.objects.filter(pk=posts[0].pk).exists()


def test_delete_needs_the_delete_permission(posts, staff_client):
    url = f"/admin/lv_tests/lvpost/{posts[0].pk}/delete/"
    client = staff_client("view_lvpost", "change_lvpost")
    assert client.get(url).status_code == 403
    assert client.post(url, {"post": "yes"}).status_code == 403
    assert LvPost.objects.filter(pk=posts[0].pk).exists()


def test_deleting_a_missing_object_redirects_with_a_warning(posts, admin_client):
    response = admin_client.get("/admin/lv_tests/lvpost/999/delete/")
    assert (response.status_code, response["Location"]) == (302, "/admin/")
    assert messages_after(admin_client, response) == ["post with ID “999” doesn’t exist. Perhaps it was deleted?"]


def test_after_delete_without_change_permission_the_user_goes_to_the_index(posts, staff_client):
    client = staff_client("view_lvpost", "delete_lvpost")
    response = client.post(f"/admin/lv_tests/lvpost/{posts[1].pk}/delete/", {"post": "yes"})
    assert (response.status_code, response["Location"]) == (302, "/admin/")


# History.


def test_history_lists_the_objects_log_entries(posts, admin_client, superuser):
    from tinyframe.contrib.admin.models import CHANGE, LogEntry

    LogEntry.objects.log_actions(superuser.pk, [posts[0]], CHANGE, "Renamed.", single_object=True)
    LogEntry.objects.log_actions(superuser.pk, [posts[1]], CHANGE, "Other.", single_object=True)
    response = admin_client.get(f"/admin/lv_tests/lvpost/{posts[0].pk}/history/")
    assert response.status_code == 200
    assert response.context["title"] == "Change history: one"
    assert response.context["module_name"] == "Posts"
    assert [entry.change_message for entry in response.context["action_list"]] == ["Renamed."]
    assert response.templates[0].name == "admin/object_history.html"


def test_history_of_a_missing_object_and_without_permission(posts, admin_client, staff_client):
    response = admin_client.get("/admin/lv_tests/lvpost/999/history/")
    assert (response.status_code, response["Location"]) == (302, "/admin/")
    assert staff_client("add_lvpost").get(f"/admin/lv_tests/lvpost/{posts[0].pk}/history/").status_code == 403
