"""bulk_create and bulk_update with related objects, and a key beyond 64 bits in a URL: Django's answers.

As ``save()`` does, the bulk methods take the key of a related object saved
after it was assigned (``book.author = author; author.save()``), and refuse
one that is still unsaved with Django's ValueError.
"""

import pytest

from tinyframe.db import models
from tinyframe.http import Http404
from tinyframe.shortcuts import get_object_or_404
from tinyframe.test import Client
from tinyframe.urls import path
from tinyframe.views.generic import DetailView

APP = "bulk_relations_tests"


class BrAuthor(models.Model):
    name = models.CharField(max_length=20)

    class Meta:
        app_label = APP

    def __str__(self):
        return self.name


class BrBook(models.Model):
    title = models.CharField(max_length=20)
    price = models.IntegerField(default=0)
    author = models.ForeignKey(BrAuthor, on_delete=models.CASCADE, related_name="books")
    editor = models.ForeignKey(BrAuthor, on_delete=models.SET_NULL, null=True, related_name="edited")

    class Meta:
        app_label = APP


@pytest.fixture
def library(tables):
    tables(BrAuthor, BrBook)
    ann = BrAuthor.objects.create(name="ann")
    return ann, BrBook.objects.create(title="first", author=ann)


def test_bulk_create_takes_the_keys_of_related_objects_saved_after_assignment(library):
    authors = [BrAuthor(name=f"a{number}") for number in range(3)]
    books = [BrBook(title=f"t{number}", author=authors[number]) for number in range(3)]
    BrAuthor.objects.bulk_create(authors)
    BrBook.objects.bulk_create(books)
    assert [book.author_id for book in books] == [author.pk for author in authors]
    found = BrBook.objects.filter(title__startswith="t").order_by("title").values_list("title", "author__name")
    assert list(found) == [("t0", "a0"), ("t1", "a1"), ("t2", "a2")]


@pytest.mark.parametrize("field", ["author", "editor"])
def test_bulk_create_refuses_an_unsaved_related_object(library, field):
    ann, _first = library
    book = BrBook(title="new", author=ann)
    setattr(book, field, BrAuthor(name="unsaved"))
    with pytest.raises(ValueError) as caught:
        BrBook.objects.bulk_create([book])
    assert str(caught.value) == (
        f"bulk_create() prohibited to prevent data loss due to unsaved related object '{field}'."
    )
    assert BrBook.objects.count() == 1


def test_bulk_update_takes_the_key_of_a_related_object_saved_after_assignment(library):
    _ann, first = library
    editor = BrAuthor(name="ed")
    first.editor = editor
    editor.save()
    assert BrBook.objects.bulk_update([first], ["editor"]) == 1
    assert BrBook.objects.get(pk=first.pk).editor.name == "ed"


def test_bulk_update_refuses_an_unsaved_related_object_among_its_fields_only(library):
    _ann, first = library
    first.editor = BrAuthor(name="unsaved")
    with pytest.raises(ValueError) as caught:
        BrBook.objects.bulk_update([first], ["editor"])
    assert str(caught.value) == "bulk_update() prohibited to prevent data loss due to unsaved related object 'editor'."
    first.price = 99
    assert BrBook.objects.bulk_update([first], ["price"]) == 1  # editor is not written: no complaint
    assert BrBook.objects.get(pk=first.pk).price == 99


def test_bulk_update_follows_the_assigned_object_over_a_stale_key(library):
    ann, first = library
    bob = BrAuthor.objects.create(name="bob")
    first.editor = ann
    first.editor_id = bob.pk  # the key changed after the object was assigned: the key wins, as in save()
    BrBook.objects.bulk_update([first], ["editor"])
    assert BrBook.objects.get(pk=first.pk).editor.name == "bob"


def test_get_object_or_404_by_a_key_beyond_64_bits_is_a_404(library):
    with pytest.raises(Http404) as caught:
        get_object_or_404(BrBook, pk=10**20)
    assert str(caught.value) == "No BrBook matches the given query."


def test_a_url_with_a_key_beyond_64_bits_is_a_404_not_a_500(library, use_settings, throwaway_module):
    use_settings(
        ROOT_URLCONF=throwaway_module(urlpatterns=[path("books/<int:pk>/", DetailView.as_view(model=BrBook))]),
        TEMPLATES=[{
            "BACKEND": "tinyframe.template.backends.django.DjangoTemplates",
            "OPTIONS": {"loaders": [("tinyframe.template.loaders.locmem.Loader",
                                     {f"{APP}/brbook_detail.html": "{{ object.title }}"})]},
        }],
    )  # fmt: skip
    client = Client()
    _ann, first = library
    assert client.get(f"/books/{first.pk}/").content == b"first"
    assert client.get("/books/99999999999999999999/").status_code == 404
