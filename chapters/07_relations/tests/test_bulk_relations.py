"""A key beyond 64 bits, through get_object_or_404 and a URL: Django's 404."""

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
