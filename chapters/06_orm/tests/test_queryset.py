"""QuerySet: laziness, refining, the immediate methods, slicing, and Django's messages."""

import pytest

from tinyframe.core.exceptions import FieldDoesNotExist, FieldError
from tinyframe.db import NotSupportedError, connection
from tinyframe.db.models import F, Manager, QuerySet
from tinyframe.db import models


class QsAuthor(models.Model):
    name = models.CharField(max_length=50, unique=True)
    born = models.IntegerField(null=True)

    class Meta:
        app_label = "queryset_tests"
        ordering = ["name"]

    def __str__(self):
        return self.name


class QsBook(models.Model):
    title = models.CharField(max_length=100)
    pages = models.IntegerField(default=0)
    rating = models.FloatField(null=True)

    class Meta:
        app_label = "queryset_tests"
        get_latest_by = "pages"

    def __str__(self):
        return self.title


class LongBookQuerySet(QuerySet):
    def long(self):
        """Books over 300 pages."""
        return self.filter(pages__gt=300)


class ShortBookManager(Manager):
    def get_queryset(self):
        return super().get_queryset().filter(pages__lt=300)


class QsShelfBook(models.Model):
    title = models.CharField(max_length=100)
    pages = models.IntegerField(default=0)

    objects = LongBookQuerySet.as_manager()
    short = ShortBookManager()

    class Meta:
        app_label = "queryset_tests"


TITLES = [("Dune", 412, 4.5), ("Emma", 300, None), ("Ulysses", 730, 3.0), ("Beloved", 324, 4.0), ("Ubik", 202, 4.5)]


@pytest.fixture
def books(tables):
    tables(QsBook)
    return [QsBook.objects.create(title=title, pages=pages, rating=rating) for title, pages, rating in TITLES]


def titles(queryset) -> list:
    return [book.title for book in queryset]


def test_queryset_is_lazy_until_iterated(books):
    connection.force_debug_cursor = True
    try:
        before = len(connection.queries)
        queryset = QsBook.objects.filter(pages__gt=300).exclude(title="Dune").order_by("title")
        assert len(connection.queries) == before, "building a QuerySet ran a query"
        assert titles(queryset) == ["Beloved", "Ulysses"]
        list(queryset)
        assert len(connection.queries) == before + 1, "iterating twice should run one query (the results are cached)"
    finally:
        connection.force_debug_cursor = False


def test_refining_clones_and_leaves_the_original_alone(books):
    everything = QsBook.objects.all()
    long_ones = everything.filter(pages__gt=400)
    assert everything.count() == 5
    assert titles(long_ones.order_by("title")) == ["Dune", "Ulysses"]


def test_get_returns_the_one_row_or_raises_django_messages(books):
    assert QsBook.objects.get(title="Dune").pages == 412
    with pytest.raises(QsBook.DoesNotExist, match="^QsBook matching query does not exist.$"):
        QsBook.objects.get(title="Nope")
    with pytest.raises(QsBook.MultipleObjectsReturned) as caught:
        QsBook.objects.get(rating=4.5)
    assert str(caught.value) == "get() returned more than one QsBook -- it returned 2!"


def test_get_says_more_than_20_for_many_rows(tables):
    tables(QsBook)
    QsBook.objects.bulk_create([QsBook(title="same") for _ in range(25)])
    with pytest.raises(QsBook.MultipleObjectsReturned, match="it returned more than 20!"):
        QsBook.objects.get(title="same")


def test_repr_shows_at_most_twenty_then_says_truncated(tables):
    tables(QsBook)
    QsBook.objects.bulk_create([QsBook(title=f"b{i:02}") for i in range(25)])
    text = repr(QsBook.objects.order_by("title"))
    assert text.startswith("<QuerySet [<QsBook: b00>, <QsBook: b01>")
    assert text.endswith("<QsBook: b19>, '...(remaining elements truncated)...']>")
    assert repr(QsBook.objects.none()) == "<QuerySet []>"


def test_slicing_is_limit_and_offset_and_narrows_a_slice(books):
    ordered = QsBook.objects.order_by("pages")
    assert titles(ordered[1:3]) == ["Emma", "Beloved"]
    assert titles(ordered[1:4][1:2]) == ["Beloved"], "a slice of a slice stays inside the first"
    assert titles(ordered[3:][:5]) == ["Dune", "Ulysses"]
    assert ordered[0].title == "Ubik"
    assert titles(ordered[::2]) == ["Ubik", "Beloved", "Ulysses"]
    assert list(ordered[2:2]) == []
    with pytest.raises(IndexError):
        ordered[10]


@pytest.mark.parametrize("index", [-1, slice(-2, None), slice(None, -1)])
def test_negative_indexing_is_djangos_value_error(books, index):
    with pytest.raises(ValueError, match="^Negative indexing is not supported.$"):
        QsBook.objects.all()[index]


def test_a_sliced_queryset_refuses_more_filters_and_reordering(books):
    sliced = QsBook.objects.all()[:2]
    with pytest.raises(TypeError, match="Cannot filter a query once a slice has been taken."):
        sliced.filter(pages=1)
    with pytest.raises(TypeError, match="Cannot reorder a query once a slice has been taken."):
        sliced.order_by("title")
    with pytest.raises(TypeError, match="Cannot update a query once a slice has been taken."):
        sliced.update(pages=1)
    with pytest.raises(TypeError, match="Cannot use 'limit' or 'offset' with delete()."):
        sliced.delete()


def test_order_by_descending_pk_reverse_and_default_ordering(books, tables):
    assert titles(QsBook.objects.order_by("-pages"))[:2] == ["Ulysses", "Dune"]
    assert titles(QsBook.objects.order_by("pk")) == [title for title, _, _ in TITLES]
    assert titles(QsBook.objects.order_by("pages").reverse())[0] == "Ulysses"
    assert titles(QsBook.objects.order_by("rating", "title"))[:2] == ["Emma", "Ulysses"], "NULL sorts first in SQLite"
    assert titles(QsBook.objects.order_by(F("pages").desc()))[0] == "Ulysses"
    assert len(list(QsBook.objects.order_by("?"))) == 5
    tables(QsAuthor)
    QsAuthor.objects.create(name="Zola")
    QsAuthor.objects.create(name="Austen")
    assert [author.name for author in QsAuthor.objects.all()] == ["Austen", "Zola"], "Meta.ordering applies"
    assert QsAuthor.objects.all().ordered and not QsBook.objects.all().ordered


def test_order_by_unknown_field_fails_at_the_call(books):
    with pytest.raises(FieldError) as caught:
        QsBook.objects.order_by("-titel")
    assert str(caught.value) == "Cannot resolve keyword 'titel' into field. Choices are: id, pages, rating, title"
    assert caught.value.__notes__ == ["Did you mean 'title'?"]


def test_first_last_earliest_latest(books, tables):
    assert QsBook.objects.first().title == "Dune", "unordered: by key"
    assert QsBook.objects.last().title == "Ubik"
    assert QsBook.objects.order_by("pages").first().title == "Ubik"
    assert QsBook.objects.order_by("pages").last().title == "Ulysses"
    assert QsBook.objects.filter(pages=0).first() is None
    assert QsBook.objects.earliest("pages").title == "Ubik"
    assert QsBook.objects.latest().title == "Ulysses", "Meta.get_latest_by"
    assert QsBook.objects.latest("-pages").title == "Ubik"
    with pytest.raises(QsBook.DoesNotExist):
        QsBook.objects.filter(pages=0).latest()
    tables(QsAuthor)
    with pytest.raises(ValueError, match="require either fields as positional arguments or 'get_latest_by'"):
        QsAuthor.objects.latest()


def test_count_exists_contains(books):
    assert QsBook.objects.count() == 5
    assert QsBook.objects.filter(pages__gt=400).count() == 2
    assert QsBook.objects.exists() and not QsBook.objects.filter(pages=1).exists()
    dune = books[0]
    assert QsBook.objects.contains(dune)
    assert not QsBook.objects.filter(pages__lt=400).contains(dune)
    with pytest.raises(ValueError, match="cannot be used on unsaved objects"):
        QsBook.objects.contains(QsBook(title="new"))
    with pytest.raises(TypeError, match="Cannot call QuerySet.contains\\(\\) after .values\\(\\)"):
        QsBook.objects.values("title").contains(dune)
    cached = QsBook.objects.all()
    list(cached)
    assert cached.count() == 5 and cached.exists()


def test_values_and_values_list(books):
    assert list(QsBook.objects.filter(title="Dune").values()) == [
        {"id": books[0].pk, "title": "Dune", "pages": 412, "rating": 4.5}
    ]
    assert list(QsBook.objects.order_by("pages").values("title")[:2]) == [{"title": "Ubik"}, {"title": "Emma"}]
    assert list(QsBook.objects.order_by("pages").values_list("title", "pages")[:1]) == [("Ubik", 202)]
    assert list(QsBook.objects.order_by("pages").values_list("pages", flat=True)) == [202, 300, 324, 412, 730]
    row = QsBook.objects.values_list("title", "pages", named=True).get(title="Emma")
    assert (row.title, row.pages) == ("Emma", 300)
    assert list(QsBook.objects.filter(title="Emma").values("pk")) == [{"pk": books[1].pk}]
    assert QsBook.objects.values_list("title", flat=True).get(pk=books[0].pk) == "Dune"
    assert list(QsBook.objects.filter(title="Dune").values(double=F("pages") * 2)) == [{"double": 824}]


def test_values_list_errors_are_djangos(books):
    with pytest.raises(TypeError, match="^'flat' and 'named' can't be used together.$"):
        QsBook.objects.values_list("title", flat=True, named=True)
    with pytest.raises(TypeError, match="^'flat' is not valid when values_list is called with more than one field.$"):
        QsBook.objects.values_list("title", "pages", flat=True)
    with pytest.raises(FieldError, match="Cannot resolve keyword 'nope' into field"):
        QsBook.objects.values("nope")


def test_distinct(books):
    assert sorted(QsBook.objects.values_list("rating", flat=True).distinct(), key=str) == [3.0, 4.0, 4.5, None]
    with pytest.raises(NotSupportedError, match="DISTINCT ON fields is not supported by this database backend"):
        QsBook.objects.distinct("title")


def test_none_matches_nothing_without_a_query(books):
    connection.force_debug_cursor = True
    try:
        before = len(connection.queries)
        empty = QsBook.objects.none()
        assert list(empty) == [] and empty.count() == 0 and not empty.exists()
        assert len(connection.queries) == before, "none() asked the database"
    finally:
        connection.force_debug_cursor = False


def test_create_get_or_create_update_or_create(books):
    book, created = QsBook.objects.get_or_create(title="Dune", defaults={"pages": 1})
    assert (book.pk, book.pages, created) == (books[0].pk, 412, False)
    book, created = QsBook.objects.get_or_create(title="Solaris", defaults={"pages": 204})
    assert created and book.pk is not None and QsBook.objects.get(title="Solaris").pages == 204
    book, created = QsBook.objects.update_or_create(title="Solaris", defaults={"pages": 205})
    assert not created and QsBook.objects.get(title="Solaris").pages == 205
    book, created = QsBook.objects.update_or_create(title="Kindred", defaults={"pages": 9}, create_defaults={"pages": 264})
    assert created and book.pages == 264
    with pytest.raises(FieldError, match="^Invalid field name\\(s\\) for model QsBook: 'nmae'.$"):
        QsBook.objects.get_or_create(title="X", defaults={"nmae": 1})


class QsStock(models.Model):
    title = models.CharField(max_length=100)
    pages = models.IntegerField(null=True)
    stock = models.IntegerField(null=True)
    stamp = models.DateTimeField(auto_now=True, null=True)

    class Meta:
        app_label = "queryset_tests"


def test_update_or_create_writes_only_the_defaults(tables):
    """update_or_create(title="a", defaults={"pages": 2}) keeps a stock changed meanwhile: Django 5.2 (2, 9).

    Another request lowers the stock between the get and the save (here a pre_save receiver
    plays it). Django 5.2 saves with update_fields = the defaults and the fields whose pre_save
    sets a value (auto_now), and post_save receives them; a name that update_fields cannot take
    ("pk") means a full save, update_fields None.
    """
    from tinyframe.db.models.signals import post_save, pre_save

    tables(QsStock)
    book = QsStock.objects.create(title="a", pages=1, stock=10)
    heard = []

    def another_request(sender, instance, **kwargs):
        if not heard:
            QsStock.objects.filter(pk=instance.pk).update(stock=F("stock") - 1)

    def saved(sender, update_fields, **kwargs):
        heard.append(update_fields and sorted(update_fields))

    pre_save.connect(another_request, sender=QsStock)
    post_save.connect(saved, sender=QsStock)
    try:
        obj, created = QsStock.objects.update_or_create(title="a", defaults={"pages": 2})
        assert (obj.pk, created) == (book.pk, False)
        assert QsStock.objects.values_list("pages", "stock").get() == (2, 9), "the other request's change was lost"
        QsStock.objects.update_or_create(title="a", defaults={"pk": book.pk, "pages": 3})
        QsStock.objects.update_or_create(title="a", defaults={"pages": lambda: 4})
    finally:
        pre_save.disconnect(another_request, sender=QsStock)
        post_save.disconnect(saved, sender=QsStock)
    assert heard == [["pages", "stamp"], None, ["pages", "stamp"]]
    assert QsStock.objects.values_list("pages", "stock").get() == (4, 9)


class QsDocument(models.Model):
    data = models.JSONField(null=True)

    class Meta:
        app_label = "queryset_tests"


def test_json_contains_is_refused_as_on_django_with_sqlite(tables):
    """data__contains={"a": 1}: Django 5.2 on SQLite raises NotSupportedError when the query runs.

    It means containment of JSON documents, which SQLite cannot do; before this fix the text
    lookup searched the JSON for the Python repr and silently matched nothing. The other text
    lookups search the JSON text in Django too (icontains "a" finds both documents here).
    """
    tables(QsDocument)
    QsDocument.objects.create(data={"a": 1, "s": "xyz"})
    QsDocument.objects.create(data="abc")
    message = "^contains lookup is not supported on this database backend.$"
    queryset = QsDocument.objects.filter(data__contains={"a": 1})  # lazy: nothing compiled yet
    with pytest.raises(NotSupportedError, match=message):
        list(queryset)
    with pytest.raises(NotSupportedError, match=message):
        QsDocument.objects.exclude(data__contains="ab").count()
    with pytest.raises(NotSupportedError, match=message):
        QsDocument.objects.filter(data__contains=F("data")).exists()
    with pytest.raises(NotSupportedError, match="^contained_by lookup is not supported on this database backend.$"):
        QsDocument.objects.filter(data__contained_by={"a": 1}).count()
    assert QsDocument.objects.filter(data__icontains="a").count() == 2
    assert QsDocument.objects.filter(data__regex="^.ab").count() == 1
    assert QsDocument.objects.filter(data="abc").count() == 1


def test_update_returns_rows_changed_and_takes_expressions(books):
    assert QsBook.objects.filter(pages__gt=400).update(pages=F("pages") + 10) == 2
    assert QsBook.objects.get(title="Dune").pages == 422
    assert QsBook.objects.filter(pages=0).update(pages=1) == 0
    with pytest.raises(FieldDoesNotExist):
        QsBook.objects.update(nmae="x")


def test_delete_returns_djangos_counts(books):
    assert QsBook.objects.filter(pages__lt=310).delete() == (2, {"queryset_tests.QsBook": 2})
    assert QsBook.objects.filter(pages=0).delete() == (0, {})
    assert QsBook.objects.count() == 3
    with pytest.raises(TypeError, match="Cannot call delete\\(\\) after .values\\(\\)"):
        QsBook.objects.values("title").delete()


def test_update_of_pk_is_field_does_not_exist(books):
    """update(pk=50): Django 5.2 raises FieldDoesNotExist "QsBook has no field named 'pk'".

    ``pk`` is an alias that filters take, not a field; before this fix the UPDATE ran.
    """
    with pytest.raises(FieldDoesNotExist, match="^QsBook has no field named 'pk'$"):
        QsBook.objects.update(pk=50)
    with pytest.raises(FieldDoesNotExist, match="^QsBook has no field named 'pk'$"):
        QsBook.objects.filter(title="Dune").update(pk=50, nmae="x")  # the first bad name, as in Django
    assert sorted(QsBook.objects.values_list("pk", flat=True)) == [book.pk for book in books]
    assert QsBook.objects.filter(title="Dune").update(id=50) == 1  # by its field's own name it works
    assert QsBook.objects.get(title="Dune").pk == 50


def test_delete_after_distinct_deletes(books):
    """distinct().delete(): Django 5.2 deletes the rows (it refuses only distinct(*fields)).

    DISTINCT changes which rows a SELECT shows, not which rows match.
    """
    assert QsBook.objects.filter(pages__lt=310).distinct().delete() == (2, {"queryset_tests.QsBook": 2})
    assert QsBook.objects.distinct().order_by("title").delete() == (3, {"queryset_tests.QsBook": 3})
    assert QsBook.objects.count() == 0


def test_bulk_create_sets_keys_and_batches(tables):
    tables(QsBook)
    made = QsBook.objects.bulk_create([QsBook(title=f"t{i}", pages=i) for i in range(1200)], batch_size=500)
    assert len(made) == 1200 and all(book.pk is not None for book in made)
    assert [book.pk for book in made] == sorted(book.pk for book in made)
    assert QsBook.objects.get(pk=made[700].pk).title == "t700"
    assert not made[0]._state.adding and made[0]._state.db == "default"
    assert QsBook.objects.bulk_create([]) == []
    with pytest.raises(ValueError, match="^Batch size must be a positive integer.$"):
        QsBook.objects.bulk_create([QsBook(title="x")], batch_size=0)


def test_bulk_create_many_rows_stays_under_the_parameter_limit(tables):
    tables(QsBook)
    QsBook.objects.bulk_create([QsBook(title=str(i)) for i in range(2000)])
    assert QsBook.objects.count() == 2000


def test_bulk_update_writes_fields_of_many_objects(books):
    for book in books:
        book.pages += 1
        book.title = book.title.upper()
    assert QsBook.objects.bulk_update(books, ["pages", "title"], batch_size=2) == 5
    assert list(QsBook.objects.order_by("pk").values_list("title", "pages"))[:2] == [("DUNE", 413), ("EMMA", 301)]
    with pytest.raises(ValueError, match="^Field names must be given to bulk_update\\(\\).$"):
        QsBook.objects.bulk_update(books, [])
    with pytest.raises(ValueError, match="^bulk_update\\(\\) cannot be used with primary key fields.$"):
        QsBook.objects.bulk_update(books, ["id"])
    with pytest.raises(ValueError, match="^All bulk_update\\(\\) objects must have a primary key set.$"):
        QsBook.objects.bulk_update([QsBook(title="x")], ["title"])


def test_in_bulk(books, tables):
    found = QsBook.objects.in_bulk([books[0].pk, books[2].pk, 999])
    assert {pk: book.title for pk, book in found.items()} == {books[0].pk: "Dune", books[2].pk: "Ulysses"}
    assert QsBook.objects.in_bulk([]) == {}
    assert len(QsBook.objects.in_bulk()) == 5
    tables(QsAuthor)
    QsAuthor.objects.create(name="Austen")
    assert list(QsAuthor.objects.in_bulk(["Austen"], field_name="name")) == ["Austen"]
    with pytest.raises(ValueError, match="^in_bulk\\(\\)'s field_name must be a unique field but 'title' isn't.$"):
        QsBook.objects.in_bulk(["Dune"], field_name="title")


def test_iterator_fetches_in_chunks_without_caching(books):
    queryset = QsBook.objects.order_by("pages")
    assert [book.pages for book in queryset.iterator(chunk_size=2)] == [202, 300, 324, 412, 730]
    assert queryset._result_cache is None
    assert list(QsBook.objects.values_list("pages", flat=True).order_by("pages").iterator(chunk_size=3))[-1] == 730
    with pytest.raises(ValueError, match="^Chunk size must be strictly positive.$"):
        QsBook.objects.iterator(chunk_size=0)


def test_union_intersection_difference(books):
    long_ones = QsBook.objects.filter(pages__gt=400)
    good_ones = QsBook.objects.filter(rating__gte=4.5)
    assert titles(long_ones.union(good_ones).order_by("title")) == ["Dune", "Ubik", "Ulysses"]
    assert titles(long_ones.intersection(good_ones)) == ["Dune"]
    assert titles(long_ones.difference(good_ones)) == ["Ulysses"]
    assert long_ones.union(good_ones).count() == 3
    assert long_ones.union(good_ones, all=True).count() == 4
    assert list(long_ones.values_list("title", flat=True).union(good_ones.values_list("title", flat=True)).order_by("-title")[:1]) == ["Ulysses"]
    with pytest.raises(NotSupportedError, match="^Calling QuerySet.filter\\(\\) after union\\(\\) is not supported.$"):
        long_ones.union(good_ones).filter(pages=1)


def test_combining_querysets_with_and_or(books):
    assert titles((QsBook.objects.filter(pages__lt=250) | QsBook.objects.filter(pages__gt=700)).order_by("pages")) == ["Ubik", "Ulysses"]
    assert titles(QsBook.objects.filter(pages__gt=300) & QsBook.objects.filter(rating=4.5)) == ["Dune"]


class QsNumber(models.Model):
    n = models.IntegerField()

    class Meta:
        app_label = "queryset_tests"


def test_combining_with_a_slice_or_distinct_is_djangos(tables):
    """| and & between QuerySets with a slice or distinct(): the results and messages of Django 5.2.

    A sliced side of | is pk__in=(its keys, sliced) (before this fix the slice was dropped:
    qs.filter(n=1) | qs[5:] gave all ten rows). & with a slice, and distinct() on one side only,
    are TypeError. One deliberate difference: Django drops a slice on the right of & silently
    (qs.filter(n__gt=7) & qs[:5] gives [8, 9]); tinyframe refuses it as it does on the left.
    The ordering is the right side's when it has one.
    """
    tables(QsNumber)
    QsNumber.objects.bulk_create([QsNumber(n=i) for i in range(10)])
    qs = QsNumber.objects.order_by("n")

    def numbers(queryset) -> list:
        return [obj.n for obj in queryset]

    assert numbers(qs.filter(n=1) | qs[5:]) == [1, 5, 6, 7, 8, 9]
    assert numbers(qs[:5] | qs.filter(n=9)) == [0, 1, 2, 3, 4, 9]
    assert sorted(numbers(qs[:3] | qs[8:])) == [0, 1, 2, 8, 9]
    assert (qs.filter(n__gt=7) | qs[:1]).count() == 3
    assert numbers(qs.filter(n=1) | qs.distinct()[5:7]) == [1, 5, 6]
    assert numbers(qs.distinct().filter(n=1) | qs.distinct().filter(n=2)) == [1, 2]
    assert numbers(qs[:0] | qs.filter(n=3)) == [3]
    assert numbers(qs[:5] & qs.none()) == []
    assert numbers(qs.filter(n__lt=3) | qs.order_by("-n").filter(n=9)) == [9, 2, 1, 0]
    for _ in range(2):  # the second time from the SQL cache
        assert numbers(qs.all() | qs.filter(n=1)) == list(range(10))
        assert numbers(qs.filter(n__lt=2) & qs.all()) == [0, 1]
    refused = [
        (lambda: qs[:5] & qs.filter(n__gt=7), "Cannot combine queries once a slice has been taken."),
        (lambda: qs.filter(n__gt=7) & qs[:5], "Cannot combine queries once a slice has been taken."),
        (lambda: QsNumber.objects.filter(n=1) | QsNumber.objects.distinct(), "Cannot combine a unique query with a non-unique query."),
        (lambda: QsNumber.objects.distinct() & QsNumber.objects.filter(n=1), "Cannot combine a unique query with a non-unique query."),
        (lambda: qs | qs.union(qs), "Cannot use | operator with combined queryset."),
        (lambda: qs.union(qs) & qs, "Cannot use & operator with combined queryset."),
        (lambda: qs | QsBook.objects.all(), "Cannot combine queries on two different base models."),
        (lambda: qs.values("n") | qs, "Merging 'QuerySet' classes must involve the same values in each case."),
    ]
    for combine, message in refused:
        with pytest.raises(TypeError) as caught:
            combine()
        assert str(caught.value) == message


def test_only_and_defer_load_the_rest_on_access(books):
    connection.force_debug_cursor = True
    try:
        book = QsBook.objects.only("title").get(pk=books[0].pk)
        assert "pages" not in book.__dict__ and book.title == "Dune"
        before = len(connection.queries)
        assert book.pages == 412
        assert len(connection.queries) == before + 1, "a deferred field loads with one query"
        book = QsBook.objects.defer("title", "rating").get(pk=books[0].pk)
        assert set(book.__dict__) >= {"id", "pages"} and "title" not in book.__dict__
        assert book.title == "Dune"
        assert "title" in QsBook.objects.defer("title").defer(None).get(pk=books[0].pk).__dict__
    finally:
        connection.force_debug_cursor = False
    with pytest.raises(FieldDoesNotExist):
        QsBook.objects.only("nmae")


def test_select_for_update_and_using_are_accepted(books):
    assert QsBook.objects.select_for_update().filter(title="Dune").count() == 1
    assert QsBook.objects.using("default").count() == 5
    with pytest.raises(ValueError, match="nowait option cannot be used with skip_locked"):
        QsBook.objects.select_for_update(nowait=True, skip_locked=True)


def test_explain_shows_sqlites_query_plan_as_django_does(books):
    plan = QsBook.objects.filter(pk=1).explain()
    assert plan.endswith(" 0 0 SEARCH queryset_tests_qsbook USING INTEGER PRIMARY KEY (rowid=?)"), plan
    lines = QsBook.objects.filter(pk__in=QsBook.objects.filter(title="a")).order_by("title").explain().splitlines()
    assert [line.split(" ", 3)[3] for line in lines] == [
        "SEARCH queryset_tests_qsbook USING INTEGER PRIMARY KEY (rowid=?)", "LIST SUBQUERY 1", "SCAN U0",
        "USE TEMP B-TREE FOR ORDER BY",
    ]


def test_manager_refuses_instances_and_proxies_queryset_methods(tables):
    tables(QsShelfBook)
    with pytest.raises(AttributeError, match="^Manager isn't accessible via QsShelfBook instances$"):
        QsShelfBook(title="x").objects
    QsShelfBook.objects.bulk_create([QsShelfBook(title="thin", pages=100), QsShelfBook(title="thick", pages=900)])
    assert [book.title for book in QsShelfBook.objects.long()] == ["thick"], "as_manager() offers the QuerySet's methods"
    assert [book.title for book in QsShelfBook.objects.all().long()] == ["thick"]
    assert [book.title for book in QsShelfBook.short.all()] == ["thin"], "a custom get_queryset narrows every query"
    assert QsShelfBook.short.count() == 1
    assert str(QsShelfBook.short) == "queryset_tests.QsShelfBook.short"
    assert QsShelfBook._meta.default_manager is QsShelfBook._meta.managers_map["objects"]


def test_filter_on_a_relation_path_is_a_field_error(books):
    with pytest.raises(FieldError, match="Unsupported lookup 'author__name' for CharField"):
        QsBook.objects.filter(title__author__name="x")


class QsOnlyKey(models.Model):
    class Meta:
        app_label = "queryset_tests"


def test_delete_sends_signals_for_every_object_when_listened(books):
    from tinyframe.db.models.signals import post_delete, pre_delete

    heard = []

    def before(sender, instance, **kwargs):
        heard.append(("pre", instance.title, instance.pk is not None))

    def after(sender, instance, **kwargs):
        heard.append(("post", instance.title))

    pre_delete.connect(before, sender=QsBook)
    post_delete.connect(after, sender=QsBook)
    try:
        assert QsBook.objects.filter(pages__gt=400).order_by("pages").delete() == (2, {"queryset_tests.QsBook": 2})
        assert QsBook.objects.filter(pages=0).delete() == (0, {})
        emma = QsBook.objects.get(title="Emma")
        assert emma.delete() == (1, {"queryset_tests.QsBook": 1})
        assert emma.pk is None, "a deleted instance names no row any more"
    finally:
        pre_delete.disconnect(before, sender=QsBook)
        post_delete.disconnect(after, sender=QsBook)
    assert sorted(heard) == sorted(
        [("pre", "Dune", True), ("pre", "Ulysses", True), ("post", "Dune"), ("post", "Ulysses"), ("pre", "Emma", True), ("post", "Emma")]
    )
    assert QsBook.objects.count() == 2


def test_delete_objects_refuses_unsaved_instances(tables):
    from tinyframe.db.models.deletion import delete_objects

    tables(QsBook)
    with pytest.raises(ValueError, match="^QsBook object can't be deleted because its id attribute is set to None.$"):
        delete_objects(QsBook, [QsBook(title="x")], "default")


def test_insert_of_a_model_with_only_a_key_uses_default_values(tables):
    tables(QsOnlyKey)
    made = QsOnlyKey.objects.bulk_create([QsOnlyKey(), QsOnlyKey()])
    assert [obj.pk for obj in made] == [1, 2]
    assert QsOnlyKey.objects.create().pk == 3


def test_bulk_create_ignore_conflicts_skips_duplicates(tables):
    tables(QsAuthor)
    QsAuthor.objects.create(name="Austen")
    QsAuthor.objects.bulk_create([QsAuthor(name="Austen"), QsAuthor(name="Zola")], ignore_conflicts=True)
    assert [author.name for author in QsAuthor.objects.all()] == ["Austen", "Zola"]


def test_create_with_an_expression_value(tables):
    tables(QsBook)
    book = QsBook.objects.create(title="x", pages=3)
    QsBook.objects.bulk_create([QsBook(title="y", pages=models.Value(2) * 5)])
    assert sorted(QsBook.objects.values_list("pages", flat=True)) == [3, 10]
    assert book.pages == 3


def test_bulk_create_mixes_rows_of_plain_values_and_rows_with_expressions(tables):
    tables(QsBook)
    QsBook.objects.bulk_create([
        QsBook(title="plain", pages=1),
        QsBook(title=models.Value("made"), pages=models.Value(2) * 5),
        QsBook(title="late", pages=models.Value(3) + 4),
        QsBook(title="plain again", pages=8),
    ])  # fmt: skip
    assert list(QsBook.objects.order_by("pk").values_list("title", "pages")) == [
        ("plain", 1), ("made", 10), ("late", 7), ("plain again", 8),
    ]


MISUSE = [
    # what is called, the exception, Django's message
    (lambda: QsBook.objects.alias(n=F("pages")).values("n"), FieldError, "Cannot select the 'n' alias. Use annotate() to promote it."),
    (lambda: QsBook.objects.filter(pages__in=QsBook.objects.values("pages", "title")), ValueError,
     "The QuerySet value for the 'in' lookup must have 1 selected fields (received 2)"),
    (lambda: QsBook.objects.filter(pages=QsBook.objects.values("pages")), ValueError,
     "The QuerySet value for an exact lookup must be limited to one result using slicing."),
    (lambda: QsBook.objects.filter(pages__isnull=None), ValueError, "Cannot use None as a query value"),
    (lambda: QsBook.objects.update(pages=models.Count("id")), FieldError,
     "Aggregate functions are not allowed in this query (pages=Count(F(id)))."),
    (lambda: QsBook.objects.all()[1:].reverse(), TypeError, "Cannot reverse a query once a slice has been taken."),
    (lambda: QsBook.objects.all()["a"], TypeError, "QuerySet indices must be integers or slices, not str."),
    (lambda: QsBook.objects.only(None), TypeError, "Cannot pass None as an argument to only()."),
    (lambda: QsBook.objects.values("title").defer("title"), TypeError, "Cannot call defer() after .values() or .values_list()"),
    (lambda: QsBook.objects.annotate(F("pages")), TypeError, "Complex annotations require an alias"),
    (lambda: QsBook.objects.annotate(x=1), TypeError, "QuerySet.annotate() received non-expression(s): 1."),
]


def test_misuse_gets_djangos_messages(books, check_rows):
    def check(call, exception, message):
        with pytest.raises(exception) as caught:
            call()
        assert str(caught.value) == message, f"said {caught.value}, expected {message}"

    check_rows(MISUSE, check)


def test_valid_subquery_values(books):
    assert QsBook.objects.filter(pages=QsBook.objects.filter(title="Dune").values("pages")[:1]).get().title == "Dune"
    assert QsBook.objects.aggregate() == {}


def test_a_failed_update_inside_atomic_marks_the_block_for_rollback(tables):
    from tinyframe.db import IntegrityError, transaction

    tables(QsAuthor)
    QsAuthor.objects.create(name="Austen")
    QsAuthor.objects.create(name="Zola")
    with transaction.atomic():
        QsAuthor.objects.filter(name="Zola").update(born=1840)
        with pytest.raises(IntegrityError):
            QsAuthor.objects.filter(name="Zola").update(name="Austen")
        assert transaction.get_rollback()
    assert list(QsAuthor.objects.values_list("name", "born")) == [("Austen", None), ("Zola", None)], "the block rolled back"


def test_order_by_refuses_what_is_neither_a_name_nor_an_expression():
    """Django 5.2's FieldError, listing every invalid argument (a column's position is not accepted)."""
    with pytest.raises(FieldError, match=r"^Invalid order_by arguments: \[2, None\]$"):
        QsBook.objects.order_by("title", 2, None)
