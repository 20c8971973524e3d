"""get_object_or_404 and get_list_or_404: a model, a manager or a QuerySet in, an object (or a 404) out."""

import pytest

from tinyframe.db import models
from tinyframe.http import Http404
from tinyframe.shortcuts import get_list_or_404, get_object_or_404


class ScBook(models.Model):
    title = models.CharField(max_length=50)
    year = models.IntegerField()

    class Meta:
        app_label = "shortcuts_tests"
        ordering = ["year"]

    def __str__(self):
        return self.title


class ScArchive(models.Model):
    """Its default manager is the first one declared: ``archived``, not ``objects``."""

    name = models.CharField(max_length=50)

    archived = models.Manager()

    class Meta:
        app_label = "shortcuts_tests"


@pytest.fixture
def books(tables):
    tables(ScBook)
    return [ScBook.objects.create(title=title, year=year) for title, year in
            [("Emma", 1815), ("Dune", 1965), ("Ubik", 1969)]]


def test_get_object_or_404_from_a_model_a_manager_or_a_queryset(books):
    emma, dune, ubik = books
    assert get_object_or_404(ScBook, title="Dune") == dune
    assert get_object_or_404(ScBook, pk=ubik.pk) == ubik
    assert get_object_or_404(ScBook.objects, year=1815) == emma
    assert get_object_or_404(ScBook.objects.filter(year__gt=1900), title="Ubik") == ubik
    assert get_object_or_404(ScBook.objects.filter(title="Emma")) == emma
    assert get_object_or_404(ScBook, models.Q(title="Dune") | models.Q(title="Nope")) == dune


def test_get_object_or_404_raises_http404_naming_the_model(books):
    for klass, filters in [(ScBook, {"title": "Nope"}), (ScBook.objects, {"pk": 999}),
                           (ScBook.objects.filter(year__gt=1900), {"title": "Emma"})]:
        with pytest.raises(Http404) as caught:
            get_object_or_404(klass, **filters)
        assert str(caught.value) == "No ScBook matches the given query.", f"get_object_or_404({klass!r}, {filters})"


def test_get_object_or_404_still_refuses_two_matches(books):
    with pytest.raises(ScBook.MultipleObjectsReturned):
        get_object_or_404(ScBook, year__gt=1900)


def test_get_object_or_404_uses_the_default_manager(tables):
    tables(ScArchive)
    box = ScArchive.archived.create(name="box")
    assert get_object_or_404(ScArchive, name="box") == box


def test_get_list_or_404(books):
    emma, dune, ubik = books
    assert get_list_or_404(ScBook, year__gt=1900) == [dune, ubik]
    assert get_list_or_404(ScBook.objects, title="Emma") == [emma]
    assert get_list_or_404(ScBook.objects.filter(year__lt=1968), title__startswith="D") == [dune]
    with pytest.raises(Http404) as caught:
        get_list_or_404(ScBook.objects.all(), year=2000)
    assert str(caught.value) == "No ScBook matches the given query."


def test_the_first_argument_must_be_a_model_a_manager_or_a_queryset(check_rows):
    def check(function, klass, name):
        with pytest.raises(ValueError) as caught:
            function(klass, pk=1)
        expected = (f"First argument to {function.__name__}() must be a Model, Manager, or QuerySet, "
                    f"not '{name}'.")
        assert str(caught.value) == expected, f"{function.__name__}({klass!r}, pk=1)"

    check_rows([
        (get_object_or_404, "ScBook", "str"),
        (get_object_or_404, object, "object"),
        (get_list_or_404, [1, 2], "list"),
        (get_list_or_404, int, "int"),
    ], check)
