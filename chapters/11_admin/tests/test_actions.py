"""The "Delete selected" action: its confirmation page, the deletion, the message, the log, and its refusals.

Statuses, redirects, messages and rows are Django 5.2's for the same models
and requests (its admin driven side by side with the test client).
"""

import pytest

from tinyframe.db import models
from tinyframe.db.models import CASCADE, PROTECT

APP = "admin_actions_tests"


class ActionShelf(models.Model):
    name = models.CharField(max_length=30)

    class Meta:
        app_label = APP

    def __str__(self):
        return self.name


class ActionBook(models.Model):
    shelf = models.ForeignKey(ActionShelf, CASCADE, null=True)
    title = models.CharField(max_length=30)

    class Meta:
        app_label = APP

    def __str__(self):
        return self.title


class ActionLoan(models.Model):
    """A loan protects its book: the book cannot be deleted while it is lent."""

    book = models.ForeignKey(ActionBook, PROTECT)

    class Meta:
        app_label = APP

    def __str__(self):
        return f"Loan of {self.book}"


CHANGELIST = f"/admin/{APP}/actionbook/"


@pytest.fixture
def books(admin_site, tables):
    """Three books on the site's changelist; returns them."""
    tables(ActionShelf, ActionBook, ActionLoan)
    admin_site(ActionShelf, ActionBook, ActionLoan)
    return [ActionBook.objects.create(title=title) for title in ("Dune", "Emma", "<Ulysses>")]


def select(*objects, **extra):
    """The POST of the changelist's action form (which sends "index"), or of the confirmation page ("post")."""
    data = {"action": "delete_selected", "_selected_action": [str(obj.pk) for obj in objects], **extra}
    if "post" not in extra:
        data["index"] = "0"
    return data


def messages_of(response):
    return [str(message) for message in response.context["messages"]] if response.context else []


def test_the_first_post_asks_for_confirmation(admin_client, books):
    response = admin_client.post(CHANGELIST, select(books[0], books[2]))
    assert response.status_code == 200
    assert response.templates[0].name == "admin/delete_selected_confirmation.html"
    assert response.context["title"] == "Delete multiple objects"
    assert response.context["objects_name"] == "action books"
    assert list(response.context["queryset"].order_by("pk")) == [books[0], books[2]]
    assert dict(response.context["model_count"]) == {"action books": 2}
    html = response.content.decode()
    assert "&lt;Ulysses&gt;" in html and "<Ulysses>" not in html
    assert f'name="_selected_action" value="{books[2].pk}"' in html
    assert ActionBook.objects.count() == 3  # nothing deleted yet


def test_confirming_deletes_logs_and_says_so(admin_client, books):
    from tinyframe.contrib.admin.models import DELETION, LogEntry

    response = admin_client.post(CHANGELIST, select(books[0], books[1], post="yes"))
    assert response.status_code == 302
    assert response["Location"] == CHANGELIST
    assert list(ActionBook.objects.values_list("title", flat=True)) == ["<Ulysses>"]
    followed = admin_client.get(CHANGELIST)
    assert "Successfully deleted 2 action books." in messages_of(followed)
    entries = LogEntry.objects.filter(action_flag=DELETION).order_by("object_repr")
    assert [entry.object_repr for entry in entries] == ["Dune", "Emma"]


def test_deleting_one_uses_the_singular(admin_client, books):
    admin_client.post(CHANGELIST, select(books[0], post="yes"))
    assert "Successfully deleted 1 action book." in messages_of(admin_client.get(CHANGELIST))


def test_related_objects_are_listed_before_deleting(admin_client, books):
    shelf = ActionShelf.objects.create(name="Fiction")
    ActionBook.objects.filter(pk=books[0].pk).update(shelf=shelf)
    response = admin_client.post(f"/admin/{APP}/actionshelf/", select(shelf))
    assert response.status_code == 200
    assert dict(response.context["model_count"]) == {"action shelfs": 1, "action books": 1}
    assert "Dune" in response.content.decode()


def test_protected_objects_block_the_deletion(admin_client, books):
    ActionLoan.objects.create(book=books[0])
    response = admin_client.post(CHANGELIST, select(books[0], books[1]))
    assert response.context["title"] == "Cannot delete action books"
    assert len(response.context["protected"]) == 1
    assert "Loan of Dune" in response.content.decode()
    # Even a forged confirmation deletes nothing.
    response = admin_client.post(CHANGELIST, select(books[0], books[1], post="yes"))
    assert response.status_code == 200
    assert ActionBook.objects.count() == 3


def test_the_action_needs_the_delete_permission(books, staff_user):
    from tinyframe.test import Client

    client = Client()
    client.force_login(staff_user(perms=[f"{APP}.view_actionbook", f"{APP}.change_actionbook"]))
    page = client.get(CHANGELIST)
    assert page.status_code == 200
    assert "delete_selected" not in page.content.decode()
    response = client.post(CHANGELIST, select(books[0], post="yes"))
    assert ActionBook.objects.count() == 3
    assert response.status_code in (200, 302, 403)


def test_no_rows_selected_deletes_nothing(admin_client, books):
    response = admin_client.post(CHANGELIST, {"action": "delete_selected", "index": "0"})
    assert response.status_code == 302
    assert ActionBook.objects.count() == 3
    assert ("Items must be selected in order to perform actions on them. No items have been changed."
            in messages_of(admin_client.get(CHANGELIST)))


def test_a_selected_key_no_row_can_have_is_a_400_and_deletes_nothing(admin_client, books):
    # Django 5.2 answers this forged POST with a 500 (a ValueError from the integer key).
    response = admin_client.post(
        CHANGELIST, {"action": "delete_selected", "index": "0", "_selected_action": ["1", "abc"]}
    )
    assert response.status_code == 400
    assert ActionBook.objects.count() == 3


def test_delete_selected_is_offered_with_its_description(admin_client, books):
    from tinyframe.contrib.admin.actions import delete_selected

    assert delete_selected.allowed_permissions == ("delete",)
    assert delete_selected.short_description == "Delete selected %(verbose_name_plural)s"
    html = admin_client.get(CHANGELIST).content.decode()
    assert "Delete selected action books" in html


def test_a_post_without_the_action_button_shows_the_changelist_again(admin_client, books):
    # Django 5.2: with no "index" (the action bar's button) and no ticked rows, the POST is not an action:
    # the changelist answers 200, with no message and nothing deleted (with "index", see the 302 above).
    response = admin_client.post(CHANGELIST, {"action": "delete_selected"})
    assert response.status_code == 200
    assert response.templates[0].name == "admin/change_list.html"
    assert messages_of(response) == []
    assert ActionBook.objects.count() == 3
