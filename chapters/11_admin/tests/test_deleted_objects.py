"""The delete confirmation's list: what deleting some rows would take with it (get_deleted_objects, exercise 11.6).

The expected lists, counts and protected rows are what Django 5.2's
``get_deleted_objects`` gives for the same models and rows (its admin site,
a superuser, the authors' and posts' admins registered, comments not).
"""

import pytest

from tinyframe.db import models


class DelObjAuthor(models.Model):
    name = models.CharField(max_length=50)

    class Meta:
        app_label = "admin_deleted_tests"

    def __str__(self):
        return self.name


class DelObjTag(models.Model):
    name = models.CharField(max_length=50)

    class Meta:
        app_label = "admin_deleted_tests"

    def __str__(self):
        return self.name


class DelObjPost(models.Model):
    title = models.CharField(max_length=50)
    author = models.ForeignKey(DelObjAuthor, models.CASCADE)
    tags = models.ManyToManyField(DelObjTag)

    class Meta:
        app_label = "admin_deleted_tests"
        verbose_name = "post"

    def __str__(self):
        return self.title


class DelObjComment(models.Model):
    post = models.ForeignKey(DelObjPost, models.CASCADE)
    text = models.CharField(max_length=50)

    class Meta:
        app_label = "admin_deleted_tests"
        verbose_name = "comment"

    def __str__(self):
        return self.text


class DelObjPin(models.Model):
    author = models.ForeignKey(DelObjAuthor, models.PROTECT)

    class Meta:
        app_label = "admin_deleted_tests"
        verbose_name = "pin"

    def __str__(self):
        return f"pin {self.pk}"


class ModelAdminStandIn:
    """The one thing get_deleted_objects asks a ModelAdmin."""

    def __init__(self, may_delete=True):
        self.may_delete = may_delete

    def has_delete_permission(self, request, obj=None):
        return self.may_delete


class SiteStandIn:
    """What get_deleted_objects asks the admin site: its name, and each model's admin."""

    name = "admin"

    def __init__(self, registry):
        self.registry = registry

    def is_registered(self, model):
        return model in self.registry

    def get_model_admin(self, model):
        return self.registry[model]


def change_view(request, object_id):
    from tinyframe.http import HttpResponse

    return HttpResponse(object_id)


@pytest.fixture
def blog(tables, use_settings, throwaway_module):
    """Two authors (one with a protected pin), two posts (one tagged, with two comments); the admin's URLs."""
    from tinyframe.urls import include, path

    tables(DelObjAuthor, DelObjTag, DelObjPost, DelObjComment, DelObjPin)
    admin_patterns = [
        path("deleted/author/<path:object_id>/change/", change_view, name="admin_deleted_tests_delobjauthor_change"),
        path("deleted/post/<path:object_id>/change/", change_view, name="admin_deleted_tests_delobjpost_change"),
    ]
    use_settings(ROOT_URLCONF=throwaway_module(urlpatterns=[path("admin/", include((admin_patterns, "admin")))]))
    ada = DelObjAuthor.objects.create(name="Ada <b>")
    bob = DelObjAuthor.objects.create(name="Bob")
    tag = DelObjTag.objects.create(name="t1")
    one = DelObjPost.objects.create(title="One", author=ada)
    one.tags.add(tag)
    DelObjPost.objects.create(title="Two", author=ada)
    DelObjComment.objects.create(post=one, text="c1")
    DelObjComment.objects.create(post=one, text="c2")
    DelObjPin.objects.create(author=bob)
    return {"ada": ada, "bob": bob, "one": one}


def site(**permissions):
    """A site where the authors' and posts' admins are registered; ``post=False`` refuses deleting posts."""
    return SiteStandIn({
        DelObjAuthor: ModelAdminStandIn(permissions.get("author", True)),
        DelObjPost: ModelAdminStandIn(permissions.get("post", True)),
    })  # fmt: skip


def get_deleted_objects(objs, request, admin_site):
    """The exercise's function, imported when a test runs (the module must load while it is a stub)."""
    from tinyframe.contrib.admin.utils import get_deleted_objects as target

    return target(objs, request, admin_site)


ADA_TREE = [
    'Del obj author: <a href="/admin/deleted/author/1/change/">Ada &lt;b&gt;</a>',
    [
        'Post: <a href="/admin/deleted/post/1/change/">One</a>',
        ["Delobjpost-delobjtag relationship: DelObjPost_tags object (1)", "Comment: c1", "Comment: c2"],
        'Post: <a href="/admin/deleted/post/2/change/">Two</a>',
    ],
]


@pytest.mark.exercise("11.6")
def test_the_nested_list_follows_the_cascade_with_links(blog):
    to_delete, _, _, _ = get_deleted_objects([blog["ada"]], None, site())
    assert to_delete == ADA_TREE, f"got {to_delete!r}\nexpected {ADA_TREE!r}"


@pytest.mark.exercise("11.6")
def test_row_text_is_escaped_in_a_link(blog):
    to_delete, _, _, _ = get_deleted_objects([blog["ada"]], None, site())
    assert "&lt;b&gt;" in to_delete[0] and "<b>" not in to_delete[0]


@pytest.mark.exercise("11.6")
def test_per_model_counts(blog):
    _, model_count, _, _ = get_deleted_objects([blog["ada"]], None, site())
    expected = {"del obj authors": 1, "posts": 2, "delobjpost-delobjtag relationships": 1, "comments": 2}
    assert model_count == expected, f"got {model_count!r}, expected {expected!r} (the through row counts too)"


@pytest.mark.exercise("11.6")
def test_unregistered_models_are_plain_text(blog):
    to_delete, _, _, _ = get_deleted_objects([blog["one"]], None, SiteStandIn({}))
    assert to_delete[0] == "Post: One"
    assert "Comment: c1" in to_delete[1]


@pytest.mark.exercise("11.6")
def test_models_the_user_may_not_delete_are_perms_needed(blog):
    _, _, perms_needed, _ = get_deleted_objects([blog["ada"]], None, site(post=False))
    assert perms_needed == {"post"}
    _, _, perms_needed, _ = get_deleted_objects([blog["ada"]], None, site())
    assert perms_needed == set()


class OwnPostsOnlyStandIn(ModelAdminStandIn):
    """A ModelAdmin that refuses deleting one row: permissions can be asked object by object."""

    def has_delete_permission(self, request, obj=None):
        return obj is None or obj.title != "Two"


@pytest.mark.exercise("11.6")
def test_the_delete_permission_is_asked_about_each_row(blog):
    admin_site = SiteStandIn({DelObjAuthor: ModelAdminStandIn(), DelObjPost: OwnPostsOnlyStandIn()})
    _, _, perms_needed, _ = get_deleted_objects([blog["ada"]], None, admin_site)
    assert perms_needed == {"post"}, (
        "has_delete_permission(request, obj) refuses the post 'Two' alone: ask it about each row, not the model"
    )
    _, _, perms_needed, _ = get_deleted_objects([blog["one"]], None, admin_site)
    assert perms_needed == set()


@pytest.mark.exercise("11.6")
def test_protected_rows_are_listed(blog):
    to_delete, model_count, _, protected = get_deleted_objects([blog["bob"]], None, site())
    assert to_delete == ['Del obj author: <a href="/admin/deleted/author/2/change/">Bob</a>']
    assert model_count == {"del obj authors": 1}
    assert protected == ["Pin: pin 1"]


@pytest.mark.exercise("11.6")
def test_a_queryset_of_several_rows(blog):
    to_delete, model_count, _, protected = get_deleted_objects(DelObjPost.objects.order_by("pk"), None, site())
    assert [item for item in to_delete if isinstance(item, str)] == [
        'Post: <a href="/admin/deleted/post/1/change/">One</a>',
        'Post: <a href="/admin/deleted/post/2/change/">Two</a>',
    ]
    assert model_count["posts"] == 2 and model_count["comments"] == 2
    assert protected == []


@pytest.mark.exercise("11.6")
def test_nothing_is_deleted_by_looking(blog):
    get_deleted_objects([blog["ada"]], None, site())
    assert DelObjPost.objects.count() == 2 and DelObjComment.objects.count() == 2


@pytest.mark.exercise("11.6")
def test_no_link_when_the_change_url_does_not_reverse(blog, use_settings, throwaway_module):
    use_settings(ROOT_URLCONF=throwaway_module(urlpatterns=[]))
    to_delete, _, _, _ = get_deleted_objects([blog["bob"]], None, site())
    assert to_delete == ["Del obj author: Bob"]


def test_the_delete_page_shows_the_nested_list_escaped(blog, admin_site, admin_client):
    admin_site(DelObjAuthor, DelObjPost)
    page = admin_client.get(f"/admin/admin_deleted_tests/delobjauthor/{blog['ada'].pk}/delete/").content.decode()
    assert f'<a href="/admin/admin_deleted_tests/delobjpost/{blog["one"].pk}/change/">One</a>' in page
    assert "Comment: c1" in page
    assert "Ada &lt;b&gt;" in page and "Ada <b>" not in page


def test_the_delete_page_of_a_protected_row_lists_what_protects_it(blog, admin_site, admin_client):
    admin_site(DelObjAuthor)
    page = admin_client.get(f"/admin/admin_deleted_tests/delobjauthor/{blog['bob'].pk}/delete/").content.decode()
    assert "Pin: pin 1" in page
    response = admin_client.post(f"/admin/admin_deleted_tests/delobjauthor/{blog['bob'].pk}/delete/", {"post": "yes"})
    assert response.status_code in (200, 403)
    assert DelObjAuthor.objects.filter(pk=blog["bob"].pk).exists()
