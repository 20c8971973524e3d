"""The add and change pages: saving an object with its many-to-many data and inlines (exercise 11.5), the three
buttons and their messages, preserved changelist filters, permissions, and missing objects.

Messages and redirects are Django 5.2's for the same models (checked side by side).
"""

import pytest

from tinyframe.db import models


class CfTag(models.Model):
    name = models.CharField(max_length=50)

    class Meta:
        app_label = "cf_tests"

    def __str__(self):
        return self.name


class CfPost(models.Model):
    title = models.CharField(max_length=100)
    tags = models.ManyToManyField(CfTag, blank=True)

    class Meta:
        app_label = "cf_tests"
        verbose_name = "post"

    def __str__(self):
        return self.title


class CfComment(models.Model):
    post = models.ForeignKey(CfPost, models.CASCADE, related_name="comments")
    text = models.CharField(max_length=100)

    class Meta:
        app_label = "cf_tests"

    def __str__(self):
        return self.text


ADD = "/admin/cf_tests/cfpost/add/"
CHANGELIST = "/admin/cf_tests/cfpost/"


def change_url(post) -> str:
    return f"/admin/cf_tests/cfpost/{post.pk}/change/"


@pytest.fixture
def site(admin_site, tables):
    from tinyframe.contrib import admin

    tables(CfTag, CfPost, CfComment)

    class CommentInline(admin.TabularInline):
        model = CfComment
        extra = 1

    class PostAdmin(admin.ModelAdmin):
        inlines = [CommentInline]

    return admin_site((CfPost, PostAdmin), CfTag)


def inline_data(*texts, initial=(), delete=()) -> dict:
    """The POST of the comments inline: existing comments (``initial``: objects) then new ``texts``."""
    data = {
        "comments-TOTAL_FORMS": str(len(initial) + len(texts)),
        "comments-INITIAL_FORMS": str(len(initial)),
        "comments-MIN_NUM_FORMS": "0",
        "comments-MAX_NUM_FORMS": "1000",
    }
    for index, comment in enumerate(initial):
        data[f"comments-{index}-id"] = str(comment.pk)
        data[f"comments-{index}-text"] = comment.text
        if comment in delete:
            data[f"comments-{index}-DELETE"] = "on"
    for index, text in enumerate(texts, start=len(initial)):
        data[f"comments-{index}-text"] = text
    return data


def messages_after(client, response) -> list:
    followed = client.get(response["Location"])
    return [str(message) for message in followed.context["messages"]]


@pytest.mark.exercise("11.5")
def test_add_saves_the_post_its_tags_and_its_inline_comments(site, admin_client):
    news, tech = CfTag.objects.create(name="news"), CfTag.objects.create(name="tech")
    data = {"title": "Hello", "tags": [str(news.pk), str(tech.pk)], **inline_data("first", "second", "third")}
    response = admin_client.post(ADD, data)
    assert (response.status_code, response["Location"]) == (302, CHANGELIST)
    post = CfPost.objects.get()
    assert sorted(tag.name for tag in post.tags.all()) == ["news", "tech"]
    assert sorted(comment.text for comment in post.comments.all()) == ["first", "second", "third"]


@pytest.mark.exercise("11.5")
def test_change_updates_adds_and_deletes_inline_rows(site, admin_client):
    post = CfPost.objects.create(title="Hello")
    keep, drop = CfComment.objects.create(post=post, text="keep"), CfComment.objects.create(post=post, text="drop")
    data = {"title": "Hello", **inline_data("new", initial=[keep, drop], delete=[drop])}
    response = admin_client.post(change_url(post), data)
    assert response.status_code == 302
    assert sorted(comment.text for comment in post.comments.all()) == ["keep", "new"]


@pytest.mark.exercise("11.5")
def test_change_replaces_the_tags(site, admin_client):
    news, tech = CfTag.objects.create(name="news"), CfTag.objects.create(name="tech")
    post = CfPost.objects.create(title="Hello")
    post.tags.add(news)
    admin_client.post(change_url(post), {"title": "Hello", "tags": [str(tech.pk)], **inline_data()})
    assert [tag.name for tag in post.tags.all()] == ["tech"]


@pytest.mark.exercise("11.5")
def test_save_related_runs_save_formset_for_each_formset_after_save_m2m(site):
    from tinyframe.contrib.admin import ModelAdmin

    calls = []

    class Form:
        def save_m2m(self):
            calls.append("save_m2m")

    class RecordingAdmin(ModelAdmin):
        def save_formset(self, request, form, formset, change):
            calls.append((formset, change))

    RecordingAdmin(CfPost, site).save_related(None, Form(), ["first", "second"], change=True)
    assert calls == ["save_m2m", ("first", True), ("second", True)]


@pytest.mark.exercise("11.5")
def test_an_error_in_an_inline_rolls_back_the_whole_save(site, admin_client, monkeypatch):
    from tinyframe.contrib.admin import ModelAdmin

    def failing_save_formset(self, request, form, formset, change):
        raise RuntimeError("disk full")

    monkeypatch.setattr(ModelAdmin, "save_formset", failing_save_formset)
    with pytest.raises(RuntimeError, match="disk full"):
        admin_client.post(ADD, {"title": "Hello", **inline_data("first")})
    assert not CfPost.objects.exists(), "the post was saved although its inline failed"


@pytest.mark.exercise("11.5")
def test_an_invalid_inline_saves_nothing_and_shows_the_page_again(site, admin_client):
    data = {"title": "Hello", **inline_data("x" * 101)}
    response = admin_client.post(ADD, data)
    assert response.status_code == 200
    assert not CfPost.objects.exists() and not CfComment.objects.exists()
    assert len(response.context["errors"]) == 1


@pytest.mark.exercise("11.5")
def test_the_three_buttons_of_the_add_page(site, admin_client):
    response = admin_client.post(ADD, {"title": "A <b>", "_continue": "1", **inline_data()})
    first = CfPost.objects.get(title="A <b>")
    assert response["Location"] == change_url(first)
    assert messages_after(admin_client, response) == [
        f'The post “<a href="{change_url(first)}">A &lt;b&gt;</a>” was added successfully. '
        "You may edit it again below."
    ]
    response = admin_client.post(ADD, {"title": "B", "_addanother": "1", **inline_data()})
    second = CfPost.objects.get(title="B")
    assert response["Location"] == ADD
    assert messages_after(admin_client, response) == [
        f'The post “<a href="{change_url(second)}">B</a>” was added successfully. You may add another post below.'
    ]
    response = admin_client.post(ADD + "?_changelist_filters=q%3Dx", {"title": "C", **inline_data()})
    third = CfPost.objects.get(title="C")
    assert response["Location"] == CHANGELIST + "?q=x"
    assert messages_after(admin_client, response) == [
        f'The post “<a href="{change_url(third)}">C</a>” was added successfully.'
    ]


@pytest.mark.exercise("11.5")
def test_the_three_buttons_of_the_change_page(site, admin_client):
    post = CfPost.objects.create(title="Hello")
    url = change_url(post)
    response = admin_client.post(url + "?_changelist_filters=q%3Dx", {"title": "Hi", **inline_data()})
    assert response["Location"] == CHANGELIST + "?q=x"
    assert messages_after(admin_client, response) == [
        f'The post “<a href="{url}">Hi</a>” was changed successfully.'
    ]
    response = admin_client.post(url, {"title": "Hi", "_continue": "1", **inline_data()})
    assert response["Location"] == url
    assert messages_after(admin_client, response) == [
        f'The post “<a href="{url}">Hi</a>” was changed successfully. You may edit it again below.'
    ]
    data = {"title": "Hi", "_addanother": "1", **inline_data()}
    response = admin_client.post(url + "?_changelist_filters=o%3D1", data)
    assert response["Location"] == ADD + "?_changelist_filters=o%3D1"
    assert messages_after(admin_client, response) == [
        f'The post “<a href="{url}">Hi</a>” was changed successfully. You may add another post below.'
    ]


@pytest.mark.exercise("11.5")
def test_additions_and_changes_are_logged(site, admin_client, superuser):
    from tinyframe.contrib.admin.models import ADDITION, CHANGE, LogEntry

    admin_client.post(ADD, {"title": "Hello", **inline_data("first")})
    post = CfPost.objects.get()
    admin_client.post(change_url(post), {"title": "Hello again", **inline_data(initial=list(post.comments.all()))})
    entries = list(LogEntry.objects.order_by("pk"))
    assert [(entry.action_flag, entry.object_id, entry.user_id) for entry in entries] == [
        (ADDITION, str(post.pk), superuser.pk),
        (CHANGE, str(post.pk), superuser.pk),
    ]
    assert entries[0].get_change_message() == "Added. Added cf comment “first”."
    assert entries[1].get_change_message() == "Changed Title."


# Pages and permissions (no save needed).


def test_add_and_change_pages_render_with_djangos_context(site, admin_client):
    response = admin_client.get(ADD)
    assert response.status_code == 200
    assert response.context["title"] == "Add post"
    assert response.context["add"] is True and response.context["change"] is False
    assert [inline.formset.prefix for inline in response.context["inline_admin_formsets"]] == ["comments"]
    assert response.templates[0].name == "admin/change_form.html"
    post = CfPost.objects.create(title="Hello")
    response = admin_client.get(change_url(post))
    assert response.context["title"] == "Change post" and response.context["subtitle"] == "Hello"
    assert response.context["object_id"] == str(post.pk)


def test_initial_values_come_from_the_query_string(site, admin_client):
    response = admin_client.get(ADD + "?title=Draft")
    assert response.context["adminform"].form.initial["title"] == "Draft"


def test_a_missing_object_redirects_to_the_index_with_djangos_warning(site, admin_client):
    for url in ["/admin/cf_tests/cfpost/999/change/", "/admin/cf_tests/cfpost/abc/change/"]:
        response = admin_client.get(url)
        assert (response.status_code, response["Location"]) == (302, "/admin/")
        key = url.split("/")[-3]
        assert messages_after(admin_client, response) == [
            f"post with ID “{key}” doesn’t exist. Perhaps it was deleted?"
        ]


@pytest.fixture
def staff_client(staff_user):
    from tinyframe.test import Client

    def make(*perms):
        client = Client()
        client.force_login(staff_user("_".join(perms), perms=[f"cf_tests.{perm}" for perm in perms]))
        return client

    return make


def test_without_add_permission_the_add_page_is_403(site, staff_client):
    client = staff_client("view_cfpost", "change_cfpost")
    assert client.get(ADD).status_code == 403
    assert client.post(ADD, {"title": "x", **inline_data()}).status_code == 403
    assert not CfPost.objects.exists()


def test_view_only_user_sees_the_page_but_cannot_post(site, staff_client):
    post = CfPost.objects.create(title="Hello")
    client = staff_client("view_cfpost")
    response = client.get(change_url(post))
    assert response.status_code == 200 and response.context["title"] == "View post"
    assert client.post(change_url(post), {"title": "Forged", **inline_data()}).status_code == 403
    post.refresh_from_db()
    assert post.title == "Hello"


def test_without_any_permission_the_change_page_is_403(site, staff_client):
    post = CfPost.objects.create(title="Hello")
    assert staff_client("add_cfpost").get(change_url(post)).status_code == 403


def test_after_save_without_view_permission_the_user_goes_to_the_index(site, staff_client):
    client = staff_client("add_cfpost")
    response = client.post(ADD, {"title": "Hello", **inline_data()})
    assert (response.status_code, response["Location"]) == (302, "/admin/")
    post = CfPost.objects.get()
    assert messages_after(client, response) == ["The post “Hello” was added successfully."]
    assert post.title == "Hello"


def test_save_as_new_makes_a_copy_and_opens_it(site, admin_client):
    post = CfPost.objects.create(title="Hello")
    response = admin_client.post(change_url(post), {"title": "Copy", "_saveasnew": "1", **inline_data()})
    copy = CfPost.objects.get(title="Copy")
    assert copy.pk != post.pk and CfPost.objects.get(pk=post.pk).title == "Hello"
    assert response["Location"] == change_url(copy)
    assert messages_after(admin_client, response) == [
        f'The post “<a href="{change_url(copy)}">Copy</a>” was added successfully. You may edit it again below.'
    ]


def test_in_a_popup_saving_answers_with_the_popup_response(site, admin_client):
    import json

    response = admin_client.post(ADD, {"title": "Pop", "_popup": "1", **inline_data()})
    post = CfPost.objects.get()
    assert response.status_code == 200
    assert json.loads(response.context["popup_response_data"]) == {"value": str(post.pk), "obj": "Pop"}
    response = admin_client.post(change_url(post), {"title": "Pop 2", "_popup": "1", **inline_data()})
    assert json.loads(response.context["popup_response_data"]) == {
        "action": "change",
        "value": str(post.pk),
        "obj": "Pop 2",
        "new_value": str(post.pk),
    }
    response = admin_client.post(f"/admin/cf_tests/cfpost/{post.pk}/delete/", {"post": "yes", "_popup": "1"})
    assert json.loads(response.context["popup_response_data"]) == {"action": "delete", "value": str(post.pk)}
    assert not CfPost.objects.exists()
