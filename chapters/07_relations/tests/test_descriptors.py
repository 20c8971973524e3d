"""Reading and assigning relations: book.author, place.restaurant, restaurant.place, and saving with them.

Queries, results and messages are those Django 5.2 gives for the same models
and calls (checked once against Django; the SQL strings below are Django's).
"""

import pytest

from tinyframe.db import connection, models
from tinyframe.db.models import CASCADE, SET_NULL
from tinyframe.test.utils import CaptureQueriesContext


class ActiveManager(models.Manager):
    def get_queryset(self):
        return super().get_queryset().filter(active=True)


class DescAuthor(models.Model):
    name = models.CharField(max_length=20)
    active = models.BooleanField(default=True)

    objects = ActiveManager()

    class Meta:
        app_label = "descriptors"

    def __str__(self):
        return self.name


class DescBook(models.Model):
    title = models.CharField(max_length=20)
    author = models.ForeignKey(DescAuthor, CASCADE)
    editor = models.ForeignKey(DescAuthor, SET_NULL, null=True, related_name="edited")

    class Meta:
        app_label = "descriptors"

    def __str__(self):
        return self.title


class DescPlace(models.Model):
    name = models.CharField(max_length=20)

    class Meta:
        app_label = "descriptors"

    def __str__(self):
        return self.name


class DescRestaurant(models.Model):
    place = models.OneToOneField(DescPlace, CASCADE, related_name="restaurant")
    stars = models.IntegerField(default=1)

    class Meta:
        app_label = "descriptors"

    def __str__(self):
        return f"restaurant at {self.place_id}"


@pytest.fixture
def ann(tables):
    tables(DescAuthor, DescBook, DescPlace, DescRestaurant)
    return DescAuthor.objects.create(name="Ann")


def run(function):
    """``(result, [sql, ...])`` of calling ``function``."""
    with CaptureQueriesContext(connection) as queries:
        result = function()
    return result, [query["sql"] for query in queries]


# -- ForwardManyToOneDescriptor.__get__ (exercise 07.1) -----------------------------------


@pytest.mark.exercise("07.1")
def test_forward_read_runs_one_query_then_uses_the_cache(ann):
    DescBook.objects.create(title="Dune", author=ann)
    book = DescBook.objects.get()
    author, queries = run(lambda: book.author)
    assert author == ann and author.name == "Ann"
    assert queries == [
        'SELECT "descriptors_descauthor"."id", "descriptors_descauthor"."name", "descriptors_descauthor"."active" '
        'FROM "descriptors_descauthor" WHERE "descriptors_descauthor"."id" = 1 LIMIT 21'
    ], "book.author reads the author's row by its key, once"
    again, queries = run(lambda: book.author)
    assert again is author and queries == [], "a second read of book.author comes from the cache"


@pytest.mark.exercise("07.1")
def test_forward_read_of_a_null_key_is_none_without_a_query(ann):
    book = DescBook.objects.create(title="Dune", author=ann)
    fresh = DescBook.objects.get(pk=book.pk)
    editor, queries = run(lambda: fresh.editor)
    assert (editor, queries) == (None, []), "book.editor with editor_id None is None, without asking the database"


@pytest.mark.exercise("07.1")
def test_reading_the_relation_through_the_class_gives_the_descriptor(ann):
    try:
        descriptor = DescBook.author
    except AttributeError as error:
        pytest.fail(
            f"DescBook.author raised AttributeError: {error}. Read through the class, __get__ is called with "
            "instance None and returns the descriptor itself (if instance is None: return self)"
        )
    assert descriptor is DescBook.__dict__["author"], (
        f"DescBook.author gave {descriptor!r}: read through the class, __get__ returns the descriptor itself"
    )
    assert descriptor.field is DescBook._meta.get_field("author"), "the class gives the descriptor of the field author"


@pytest.mark.exercise("07.1")
def test_forward_read_goes_through_the_base_manager(ann):
    retired = DescAuthor.objects.create(name="Old", active=False)
    book = DescBook.objects.create(title="Dune", author=retired)
    assert list(DescAuthor.objects.all()) == [ann], "the default manager hides inactive authors"
    assert DescBook.objects.get(pk=book.pk).author.name == "Old"


@pytest.mark.exercise("07.1")
def test_forward_read_of_a_missing_key_on_a_required_field_raises(ann):
    book = DescBook(title="Dune")
    with pytest.raises(DescBook.author.RelatedObjectDoesNotExist) as error:
        book.author
    assert str(error.value) == "DescBook has no author."
    assert isinstance(error.value, DescAuthor.DoesNotExist) and isinstance(error.value, AttributeError)
    assert DescBook.author.RelatedObjectDoesNotExist.__qualname__ == "DescBook.author.RelatedObjectDoesNotExist"
    assert not hasattr(book, "author")


@pytest.mark.exercise("07.1")
def test_forward_read_of_a_key_to_no_row_raises_does_not_exist(ann):
    book = DescBook(title="Dune", author_id=99)
    with pytest.raises(DescAuthor.DoesNotExist, match="^DescAuthor matching query does not exist.$"):
        book.author


@pytest.mark.exercise("07.1")
def test_changing_the_key_forgets_the_cached_object(ann):
    bob = DescAuthor.objects.create(name="Bob")
    book = DescBook.objects.create(title="Dune", author=ann)
    book.author_id = bob.pk
    author, queries = run(lambda: book.author)
    assert author == bob, "a new author_id: book.author is the author with that key"
    assert len(queries) == 1, f"one query: the cached author belonged to the old key; ran {queries}"
    book.author_id = bob.pk
    assert run(lambda: book.author) == (bob, []), "setting the same key keeps the cache"


@pytest.mark.exercise("07.1")
def test_forward_one_to_one_read_caches_the_reverse_side(ann):
    place = DescPlace.objects.create(name="Corner")
    DescRestaurant.objects.create(place=place)
    restaurant = DescRestaurant.objects.get()
    (found_place, its_restaurant), queries = run(lambda: (restaurant.place, restaurant.place.restaurant))
    assert found_place == place, "restaurant.place is the place the restaurant's key names"
    assert its_restaurant == restaurant, "restaurant.place.restaurant is the restaurant we started from"
    assert len(queries) == 1, f"one query: the place then knows its restaurant; ran {queries}"


# -- assigning ------------------------------------------------------------------------------


def test_assigning_sets_the_key_and_the_cache(ann):
    book = DescBook(title="Dune")
    _, queries = run(lambda: setattr(book, "author", ann))
    assert (book.author_id, queries) == (ann.pk, [])
    assert book._state.fields_cache == {"author": ann}
    book.editor = None
    assert book.editor_id is None and book._state.fields_cache["editor"] is None


def test_constructor_takes_related_objects_and_keys(ann):
    by_object = DescBook(title="Dune", author=ann)
    by_key = DescBook(title="Emma", author_id=ann.pk)
    assert (by_object.author_id, by_key.author_id) == (ann.pk, ann.pk)
    assert by_object._state.fields_cache == {"author": ann}


def test_plain_rows_have_no_cache_until_a_relation_is_used(ann):
    DescBook.objects.create(title="Dune", author=ann)
    book = DescBook.objects.get()
    with pytest.raises(AttributeError):  # the slot is empty (object.__getattribute__ skips the __getattr__ that fills it)
        object.__getattribute__(book._state, "fields_cache")
    assert book.author == ann and object.__getattribute__(book._state, "fields_cache") == {"author": ann}


def test_assigning_the_wrong_model_is_refused(ann):
    place = DescPlace(name="Corner")
    with pytest.raises(ValueError) as error:
        DescBook(title="Dune").author = place
    assert str(error.value) == 'Cannot assign "<DescPlace: Corner>": "DescBook.author" must be a "DescAuthor" instance.'


def test_saving_with_an_unsaved_related_object_is_refused(ann):
    book = DescBook(title="Dune", author=DescAuthor(name="New"))
    with pytest.raises(ValueError) as error:
        book.save()
    assert str(error.value) == "save() prohibited to prevent data loss due to unsaved related object 'author'."
    assert DescBook.objects.count() == 0


def test_a_related_object_saved_after_the_assignment_gives_its_key(ann):
    new = DescAuthor(name="New")
    book = DescBook(title="Dune", author=new)
    new.save()
    book.save()
    assert DescBook.objects.get().author_id == new.pk


# -- ReverseOneToOneDescriptor ----------------------------------------------------------------


def test_reverse_one_to_one_missing_raises_related_object_does_not_exist(ann):
    place = DescPlace.objects.create(name="Corner")
    with CaptureQueriesContext(connection) as queries:
        with pytest.raises(DescPlace.restaurant.RelatedObjectDoesNotExist) as error:
            place.restaurant
    assert str(error.value) == "DescPlace has no restaurant."
    assert isinstance(error.value, DescRestaurant.DoesNotExist) and isinstance(error.value, AttributeError)
    assert [query["sql"] for query in queries] == [
        'SELECT "descriptors_descrestaurant"."id", "descriptors_descrestaurant"."place_id", '
        '"descriptors_descrestaurant"."stars" FROM "descriptors_descrestaurant" WHERE '
        '"descriptors_descrestaurant"."place_id" = 1 LIMIT 21'
    ]
    assert run(lambda: hasattr(place, "restaurant")) == (False, []), "the miss is cached too"


def test_reverse_one_to_one_found_is_cached_both_ways(ann):
    place = DescPlace.objects.create(name="Corner")
    restaurant = DescRestaurant.objects.create(place=place)
    fresh = DescPlace.objects.get()
    (found, back), queries = run(lambda: (fresh.restaurant, fresh.restaurant.place))
    assert found == restaurant
    assert back is fresh, "restaurant.place is the place it was read from, cached by the read"
    assert len(queries) == 1, "one query for place.restaurant, none for restaurant.place"


def test_reverse_one_to_one_assignment(ann):
    place = DescPlace.objects.create(name="Corner")
    restaurant = DescRestaurant(stars=3)
    place.restaurant = restaurant
    assert (restaurant.place_id, restaurant.place, place.restaurant) == (place.pk, place, restaurant)
    with pytest.raises(ValueError) as error:
        place.restaurant = ann
    assert str(error.value) == (
        'Cannot assign "<DescAuthor: Ann>": "DescPlace.restaurant" must be a "DescRestaurant" instance.'
    )


def test_refresh_from_db_forgets_the_related_objects_it_may_have_changed(ann):
    bob = DescAuthor.objects.create(name="Bob")
    place = DescPlace.objects.create(name="Corner")
    book = DescBook.objects.create(title="Dune", author=ann, editor=ann)
    DescBook.objects.filter(pk=book.pk).update(author_id=bob.pk)
    book.refresh_from_db(fields=["author"])
    assert book.author_id == bob.pk and book._state.fields_cache == {"editor": ann}
    place.restaurant = DescRestaurant(stars=2)
    place._prefetched_objects_cache = {"something": []}
    place.refresh_from_db()
    assert place._state.fields_cache == {} and place._prefetched_objects_cache == {}


def test_unassigning_a_one_to_one_updates_both_caches(ann):
    place = DescPlace.objects.create(name="Corner")
    restaurant = DescRestaurant(place=place)
    assert DescRestaurant.place.is_cached(restaurant) and DescPlace.restaurant.is_cached(place)
    restaurant.place = None
    assert restaurant.place_id is None and place._state.fields_cache["restaurant"] is None
    place.restaurant = restaurant
    place.restaurant = None
    assert place._state.fields_cache == {"restaurant": None} and restaurant.place_id is None


def test_saving_with_an_unsaved_one_to_one_partner_is_refused_and_forgets_it(ann):
    restaurant = DescRestaurant(place=DescPlace(name="New"))
    with pytest.raises(ValueError, match="unsaved related object 'place'"):
        restaurant.save()


def test_a_cached_object_that_no_longer_matches_the_key_is_dropped_on_save(ann):
    bob = DescAuthor.objects.create(name="Bob")
    book = DescBook(title="Dune", author=ann)
    book.__dict__["author_id"] = bob.pk  # behind the descriptor's back
    book.save()
    assert "author" not in book._state.fields_cache
    assert DescBook.author.get_queryset().count() == 2


def test_an_instance_with_a_cached_relation_pickles(ann):
    import pickle

    book = DescBook.objects.create(title="Dune", author=ann)
    copy = pickle.loads(pickle.dumps(book))
    assert (copy.title, copy._state.fields_cache) == ("Dune", {"author": ann})


def test_a_copy_caches_its_related_objects_apart_from_the_original(ann):
    import copy

    bob = DescAuthor.objects.create(name="Bob")
    book = DescBook.objects.create(title="Dune", author=ann)
    twin = copy.copy(book)
    twin.author = bob
    assert (twin.author, twin.author_id) == (bob, bob.pk)
    assert (book.author, book.author_id) == (ann, ann.pk), "as in Django, the copy's cache is its own"
