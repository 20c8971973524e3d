"""What deleting a row does to the rows pointing at it: every ``on_delete`` kind, with Django's SQL and errors."""

import pytest

from tinyframe.db import IntegrityError, connection, models
from tinyframe.db.models import PROTECT, ProtectedError, RestrictedError
from tinyframe.db.models.deletion import Collector
from tinyframe.test.utils import CaptureQueriesContext


class OdOwner(models.Model):
    name = models.CharField(max_length=20)

    class Meta:
        app_label = "on_delete_tests"

    def __str__(self):
        return self.name


class OdProtected(models.Model):
    owner = models.ForeignKey(OdOwner, models.PROTECT)

    class Meta:
        app_label = "on_delete_tests"


class OdNulled(models.Model):
    owner = models.ForeignKey(OdOwner, models.SET_NULL, null=True)

    class Meta:
        app_label = "on_delete_tests"


def sentinel_owner():
    return OdOwner.objects.get(name="sentinel")


class OdDefaulted(models.Model):
    owner = models.ForeignKey(OdOwner, models.SET_DEFAULT, default=1)

    class Meta:
        app_label = "on_delete_tests"


class OdSetCallable(models.Model):
    owner = models.ForeignKey(OdOwner, models.SET(sentinel_owner))

    class Meta:
        app_label = "on_delete_tests"


class OdSetValue(models.Model):
    owner = models.ForeignKey(OdOwner, models.SET(1))

    class Meta:
        app_label = "on_delete_tests"


class OdLeaf(models.Model):
    owner = models.ForeignKey(OdOwner, models.DO_NOTHING, db_constraint=False)

    class Meta:
        app_label = "on_delete_tests"


class OdArtist(models.Model):
    name = models.CharField(max_length=10)

    class Meta:
        app_label = "on_delete_tests"


class OdAlbum(models.Model):
    artist = models.ForeignKey(OdArtist, models.CASCADE)

    class Meta:
        app_label = "on_delete_tests"


class OdSong(models.Model):
    artist = models.ForeignKey(OdArtist, models.CASCADE)
    album = models.ForeignKey(OdAlbum, models.RESTRICT)

    class Meta:
        app_label = "on_delete_tests"


class OdTarget(models.Model):
    """Only a DO_NOTHING relation points at it: deleting it can ignore the other table."""

    name = models.CharField(max_length=10)

    class Meta:
        app_label = "on_delete_tests"


class OdNote(models.Model):
    target = models.ForeignKey(OdTarget, models.DO_NOTHING, db_constraint=False)

    class Meta:
        app_label = "on_delete_tests"


class OdPerson(models.Model):
    name = models.CharField(max_length=10)

    class Meta:
        app_label = "on_delete_tests"


class OdPassport(models.Model):
    person = models.OneToOneField(OdPerson, models.CASCADE)

    class Meta:
        app_label = "on_delete_tests"


class OdGuest(models.Model):
    host = models.ForeignKey(OdPerson, models.CASCADE, null=True, related_name="guests")

    class Meta:
        app_label = "on_delete_tests"


class OdVisit(models.Model):
    guest = models.ForeignKey(OdGuest, models.CASCADE)

    class Meta:
        app_label = "on_delete_tests"


OWNED = (OdProtected, OdNulled, OdDefaulted, OdSetCallable, OdSetValue, OdLeaf)


@pytest.fixture
def owners(tables):
    """The owners' tables with a first owner, "sentinel" (key 1), and "owner" (key 2)."""
    tables(OdOwner, *OWNED)
    return OdOwner.objects.create(name="sentinel"), OdOwner.objects.create(name="owner")


def row_counts(*models) -> dict:
    return {model.__name__: model.objects.count() for model in models}


def statements(context) -> list[str]:
    """The statements a block ran, without the transaction's own BEGIN and COMMIT."""
    return [query["sql"] for query in context if query["sql"] not in ("BEGIN", "COMMIT")]


# The three relations Django looks up before deleting an owner: SET_NULL and SET(1) need no rows
# (their UPDATE takes the condition), DO_NOTHING is skipped.
LOOKUPS = [
    'SELECT "on_delete_tests_odprotected"."id", "on_delete_tests_odprotected"."owner_id" FROM "on_delete_tests_odprotected" WHERE "on_delete_tests_odprotected"."owner_id" IN (2)',
    'SELECT "on_delete_tests_oddefaulted"."id", "on_delete_tests_oddefaulted"."owner_id" FROM "on_delete_tests_oddefaulted" WHERE "on_delete_tests_oddefaulted"."owner_id" IN (2)',
    'SELECT "on_delete_tests_odsetcallable"."id", "on_delete_tests_odsetcallable"."owner_id" FROM "on_delete_tests_odsetcallable" WHERE "on_delete_tests_odsetcallable"."owner_id" IN (2)',
]  # fmt: skip


def test_set_null_clears_the_keys_with_one_update_and_no_select(owners):
    _sentinel, owner = owners
    OdNulled.objects.create(owner=owner)
    OdNulled.objects.create(owner=owner)
    with CaptureQueriesContext(connection) as context:
        assert owner.delete() == (1, {"on_delete_tests.OdOwner": 1})
    assert statements(context) == [
        *LOOKUPS,
        'UPDATE "on_delete_tests_odnulled" SET "owner_id" = NULL WHERE "on_delete_tests_odnulled"."owner_id" IN (2)',
        'UPDATE "on_delete_tests_odsetvalue" SET "owner_id" = 1 WHERE "on_delete_tests_odsetvalue"."owner_id" IN (2)',
        'DELETE FROM "on_delete_tests_odowner" WHERE "on_delete_tests_odowner"."id" IN (2)',
    ]  # fmt: skip
    assert list(OdNulled.objects.values_list("owner_id", flat=True)) == [None, None]


def test_set_default_and_set_point_the_rows_at_another_row(owners):
    sentinel, owner = owners
    OdDefaulted.objects.create(owner=owner)
    OdDefaulted.objects.create(owner=owner)
    OdSetCallable.objects.create(owner=owner)
    OdSetValue.objects.create(owner=owner)
    with CaptureQueriesContext(connection) as context:
        assert owner.delete() == (1, {"on_delete_tests.OdOwner": 1})
    assert statements(context)[3:] == [
        # SET(callable) calls it (once) only because there are rows; SET_DEFAULT and SET(callable) rows
        # were fetched, so they are updated by key.
        'SELECT "on_delete_tests_odowner"."id", "on_delete_tests_odowner"."name" FROM "on_delete_tests_odowner" WHERE "on_delete_tests_odowner"."name" = \'sentinel\' LIMIT 21',
        'UPDATE "on_delete_tests_odnulled" SET "owner_id" = NULL WHERE "on_delete_tests_odnulled"."owner_id" IN (2)',
        'UPDATE "on_delete_tests_oddefaulted" SET "owner_id" = 1 WHERE "on_delete_tests_oddefaulted"."id" IN (1, 2)',
        'UPDATE "on_delete_tests_odsetcallable" SET "owner_id" = 1 WHERE "on_delete_tests_odsetcallable"."id" IN (1)',
        'UPDATE "on_delete_tests_odsetvalue" SET "owner_id" = 1 WHERE "on_delete_tests_odsetvalue"."owner_id" IN (2)',
        'DELETE FROM "on_delete_tests_odowner" WHERE "on_delete_tests_odowner"."id" IN (2)',
    ]  # fmt: skip
    for model in (OdDefaulted, OdSetCallable, OdSetValue):
        assert set(model.objects.values_list("owner_id", flat=True)) == {sentinel.pk}, model.__name__


def test_do_nothing_leaves_the_rows_pointing_at_a_missing_row(owners):
    _sentinel, owner = owners
    leaf = OdLeaf.objects.create(owner=owner)
    assert owner.delete() == (1, {"on_delete_tests.OdOwner": 1})
    assert OdLeaf.objects.get(pk=leaf.pk).owner_id == 2, "DO_NOTHING: the key still names the deleted row"


def test_protect_refuses_with_djangos_message_and_changes_nothing(owners):
    sentinel, owner = owners
    protected = [OdProtected.objects.create(owner=owner) for _ in range(2)]
    OdNulled.objects.create(owner=owner)
    before = row_counts(OdOwner, *OWNED)
    for delete in (owner.delete, OdOwner.objects.filter(name__in=["owner", "sentinel"]).delete):
        with pytest.raises(ProtectedError) as caught:
            delete()
        assert caught.value.args[0] == (
            "Cannot delete some instances of model 'OdOwner' because they are referenced through protected "
            "foreign keys: 'OdProtected.owner'."
        )
        assert caught.value.protected_objects == set(protected)
        assert isinstance(caught.value, IntegrityError)
    assert row_counts(OdOwner, *OWNED) == before, "a refused delete leaves every row in place"
    assert OdNulled.objects.get().owner_id == owner.pk, "not even the SET_NULL update ran"
    assert owner.pk == 2 and sentinel.pk == 1


def test_protect_called_alone_names_the_one_field():
    field = OdProtected._meta.get_field("owner")
    with pytest.raises(ProtectedError) as caught:
        PROTECT(Collector("default"), field, [OdProtected(pk=7)], "default")
    assert caught.value.args[0] == (
        "Cannot delete some instances of model 'OdOwner' because they are referenced through a protected "
        "foreign key: 'OdProtected.owner'"
    )


@pytest.fixture
def music(tables):
    """Django's RESTRICT example: songs belong to an artist (CASCADE) and an album (RESTRICT)."""
    tables(OdArtist, OdAlbum, OdSong)
    return OdArtist.objects.create(name="one"), OdArtist.objects.create(name="two")


def test_restrict_refuses_deleting_the_restricted_row_itself(music):
    one, _two = music
    album = OdAlbum.objects.create(artist=one)
    song = OdSong.objects.create(artist=one, album=album)
    with pytest.raises(RestrictedError) as caught:
        album.delete()
    assert caught.value.args[0] == (
        "Cannot delete some instances of model 'OdAlbum' because they are referenced through restricted "
        "foreign keys: 'OdSong.album'."
    )
    assert caught.value.restricted_objects == {song}
    assert row_counts(OdArtist, OdAlbum, OdSong) == {"OdArtist": 2, "OdAlbum": 1, "OdSong": 1}


def test_restrict_allows_a_row_the_same_delete_reaches_through_a_cascade(music):
    one, _two = music
    album = OdAlbum.objects.create(artist=one)
    OdSong.objects.create(artist=one, album=album)
    # The song goes anyway, through its own artist: the album may go.
    assert one.delete() == (3, {"on_delete_tests.OdSong": 1, "on_delete_tests.OdAlbum": 1, "on_delete_tests.OdArtist": 1})
    assert row_counts(OdArtist, OdAlbum, OdSong) == {"OdArtist": 1, "OdAlbum": 0, "OdSong": 0}


def test_restrict_refuses_when_the_restricted_row_belongs_elsewhere(music):
    one, two = music
    album = OdAlbum.objects.create(artist=one)
    song = OdSong.objects.create(artist=two, album=album)
    with pytest.raises(RestrictedError) as caught:
        one.delete()
    assert caught.value.args[0] == (
        "Cannot delete some instances of model 'OdArtist' because they are referenced through restricted "
        "foreign keys: 'OdSong.album'."
    )
    assert caught.value.restricted_objects == {song}
    assert row_counts(OdArtist, OdAlbum, OdSong) == {"OdArtist": 2, "OdAlbum": 1, "OdSong": 1}


def test_set_with_a_value_is_lazy_and_names_itself():
    handler = models.SET(1)
    assert handler.lazy_sub_objs is True
    assert handler.deconstruct() == ("tinyframe.db.models.SET", (1,), {})
    assert not hasattr(models.SET(sentinel_owner), "lazy_sub_objs"), "a callable is called only when rows exist"


def test_a_row_only_do_nothing_points_at_is_deleted_without_looking_elsewhere(tables):
    tables(OdTarget, OdNote)
    first = OdTarget.objects.create(name="a")
    OdTarget.objects.create(name="b")
    OdNote.objects.create(target=first)
    with CaptureQueriesContext(connection) as context:
        assert first.delete() == (1, {"on_delete_tests.OdTarget": 1})
        assert OdTarget.objects.filter(name="b").delete() == (1, {"on_delete_tests.OdTarget": 1})
    assert statements(context) == [
        'DELETE FROM "on_delete_tests_odtarget" WHERE "on_delete_tests_odtarget"."id" IN (1)',
        'DELETE FROM "on_delete_tests_odtarget" WHERE "on_delete_tests_odtarget"."name" = \'b\'',
    ]  # fmt: skip
    assert first.pk is None
    assert OdNote.objects.get().target_id == 1


# -- update() with a model instance: what SET(callable) and SET_DEFAULT rely on ----------


def test_update_stores_the_key_of_a_model_instance(owners):
    sentinel, owner = owners
    OdNulled.objects.create(owner=owner)
    with CaptureQueriesContext(connection) as context:
        assert OdNulled.objects.update(owner=sentinel) == 1
    assert statements(context) == ['UPDATE "on_delete_tests_odnulled" SET "owner_id" = 1']
    assert OdNulled.objects.get().owner_id == sentinel.pk


def test_update_with_an_unsaved_or_misplaced_instance_is_an_error(owners):
    sentinel, _owner = owners
    with pytest.raises(ValueError) as caught:
        OdNulled.objects.update(owner=OdOwner(name="unsaved"))
    assert str(caught.value) == "Unsaved model instance <OdOwner: unsaved> cannot be used in an ORM query."
    with pytest.raises(TypeError) as caught:
        OdOwner.objects.update(name=sentinel)
    assert str(caught.value) == (
        "Tried to update field on_delete_tests.OdOwner.name with a model instance, <OdOwner: sentinel>. "
        "Use a value compatible with CharField."
    )


def test_a_one_to_one_cascades_and_a_nullable_cascade_orders_nothing(tables):
    tables(OdPerson, OdPassport, OdGuest, OdVisit)
    person = OdPerson.objects.create(name="host")
    OdPassport.objects.create(person=person)
    OdVisit.objects.create(guest=OdGuest.objects.create(host=person))
    with CaptureQueriesContext(connection) as context:
        assert person.delete() == (
            4, {"on_delete_tests.OdVisit": 1, "on_delete_tests.OdPassport": 1, "on_delete_tests.OdPerson": 1,
                "on_delete_tests.OdGuest": 1},
        )  # fmt: skip
    # The guest's key may be NULL, so the person need not wait for the guest: the person goes first, as
    # collected, and the deferred foreign key constraints are checked at the commit, when both are gone.
    assert statements(context) == [
        'SELECT "on_delete_tests_odguest"."id" FROM "on_delete_tests_odguest" WHERE "on_delete_tests_odguest"."host_id" IN (1)',
        'DELETE FROM "on_delete_tests_odvisit" WHERE "on_delete_tests_odvisit"."guest_id" IN (1)',
        'DELETE FROM "on_delete_tests_odpassport" WHERE "on_delete_tests_odpassport"."person_id" IN (1)',
        'DELETE FROM "on_delete_tests_odperson" WHERE "on_delete_tests_odperson"."id" IN (1)',
        'DELETE FROM "on_delete_tests_odguest" WHERE "on_delete_tests_odguest"."id" IN (1)',
    ]  # fmt: skip
    assert row_counts(OdPerson, OdPassport, OdGuest, OdVisit) == {"OdPerson": 0, "OdPassport": 0, "OdGuest": 0, "OdVisit": 0}
