"""Points where tinyframe's admin once answered differently from Django 5.2's, each pinned to Django's answer.

Each was found by driving both admins with the same requests (same models,
rows and users) and comparing statuses, redirects, messages, the rows
after each request and the changelist's results and links.
"""

import pytest

from tinyframe.db import models

APP = "admin_parity_tests"


class ParAuthor(models.Model):
    name = models.CharField(max_length=50)

    class Meta:
        app_label = APP
        ordering = ["name"]

    def __str__(self):
        return self.name


class ParPost(models.Model):
    title = models.CharField(max_length=50)
    rank = models.IntegerField(default=0)
    author = models.ForeignKey(ParAuthor, models.CASCADE)

    class Meta:
        app_label = APP
        ordering = ["rank"]  # not the changelist's own tiebreak (-pk), so a default ordering shows

    def __str__(self):
        return self.title


POSTS = f"/admin/{APP}/parpost/"


@pytest.fixture
def site(admin_site, tables):
    """Posts "C" (rank 1, Bob), "A" (rank 2, Ann), "B" (rank 3, Bob), made in that order."""
    from tinyframe.contrib import admin

    tables(ParAuthor, ParPost)

    class PostAdmin(admin.ModelAdmin):
        list_display = ("title", "rank", "author__name")

    admin_site(ParAuthor, (ParPost, PostAdmin))
    ann, bob = ParAuthor.objects.create(name="Ann"), ParAuthor.objects.create(name="Bob")
    for title, rank, author in (("C", 1, bob), ("A", 2, ann), ("B", 3, bob)):
        ParPost.objects.create(title=title, rank=rank, author=author)


def shown(response) -> list:
    return [post.title for post in response.context["cl"].result_list]


def test_an_empty_order_parameter_keeps_the_default_ordering(site, admin_client):
    # Django: ?o= (what a header's "remove" link gives for the last sorted column) sorts as if absent.
    assert shown(admin_client.get(POSTS + "?o=")) == ["C", "A", "B"]
    assert shown(admin_client.get(POSTS + "?o=1")) == ["A", "B", "C"]
    assert shown(admin_client.get(POSTS + "?o=x")) == ["B", "A", "C"], "junk sorts by nothing but the tiebreak"


def test_pk_is_a_lookup_the_changelist_accepts(site, admin_client):
    first = ParPost.objects.get(title="C")
    response = admin_client.get(POSTS + f"?pk={first.pk}")
    assert response.status_code == 200
    assert shown(response) == ["C"]
    assert shown(admin_client.get(POSTS + f"?pk__gt={first.pk}")) == ["A", "B"]


def test_a_column_across_a_relation_sorts_by_its_path(site, admin_client):
    from tinyframe.contrib.admin.templatetags.admin_list import result_headers

    response = admin_client.get(POSTS + "?o=-3.1")
    assert shown(response) == ["B", "C", "A"], "Bob's posts first (descending), then by title"
    headers = list(result_headers(response.context["cl"]))
    author = headers[3]  # after the action checkbox, title and rank
    assert author["sortable"] and author["sorted"] and not author["ascending"]
    assert author["url_primary"] == "?o=3.1"
    assert shown(admin_client.get(POSTS + "?o=3")) == ["A", "B", "C"]


def test_a_property_with_an_order_field_is_a_sortable_column(admin_site, tables, admin_client):
    from tinyframe.contrib import admin
    from tinyframe.contrib.admin.templatetags.admin_list import result_headers

    class Shelf(models.Model):
        label = models.CharField(max_length=20)

        class Meta:
            app_label = APP

        def _loud(self):
            return self.label.upper()

        _loud.admin_order_field = "label"
        loud = property(_loud)

    tables(Shelf)
    admin_site((Shelf, type("ShelfAdmin", (admin.ModelAdmin,), {"list_display": ("loud",)})))
    for label in ("b", "a", "c"):
        Shelf.objects.create(label=label)
    response = admin_client.get(f"/admin/{APP}/shelf/?o=1")
    assert [shelf.label for shelf in response.context["cl"].result_list] == ["a", "b", "c"]
    assert list(result_headers(response.context["cl"]))[1]["sortable"] is True
