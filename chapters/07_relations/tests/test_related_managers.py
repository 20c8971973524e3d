"""Related managers: author.book_set and book.tags, their queries, their writes and m2m_changed.

Queries, results and messages are those Django 5.2 gives for the same models
and calls.
"""

import pytest

from tinyframe.db import connection, models
from tinyframe.db.models import CASCADE, SET_NULL, signals
from tinyframe.test.utils import CaptureQueriesContext


class ManAuthor(models.Model):
    name = models.CharField(max_length=20)

    class Meta:
        app_label = "managers"

    def __str__(self):
        return self.name


class ManTag(models.Model):
    name = models.CharField(max_length=20)

    class Meta:
        app_label = "managers"
        ordering = ["name"]

    def __str__(self):
        return self.name


class ManBook(models.Model):
    title = models.CharField(max_length=20)
    author = models.ForeignKey(ManAuthor, CASCADE)
    editor = models.ForeignKey(ManAuthor, SET_NULL, null=True, related_name="edited")
    tags = models.ManyToManyField(ManTag)

    class Meta:
        app_label = "managers"
        ordering = ["title"]

    def __str__(self):
        return self.title


class ManStartingWithD(models.Manager):
    def get_queryset(self):
        return super().get_queryset().filter(title__startswith="D")


class ManVolume(models.Model):
    title = models.CharField(max_length=20)
    owner = models.ForeignKey(ManAuthor, CASCADE, related_name="volumes")
    tags = models.ManyToManyField(ManTag, related_name="volumes")
    objects = models.Manager()
    starting_with_d = ManStartingWithD()

    class Meta:
        app_label = "managers"
        ordering = ["title"]


class ManPerson(models.Model):
    name = models.CharField(max_length=20)
    friends = models.ManyToManyField("self")
    clubs = models.ManyToManyField("ManClub", through="ManMembership", related_name="members")

    class Meta:
        app_label = "managers"
        ordering = ["name"]

    def __str__(self):
        return self.name


class ManClub(models.Model):
    name = models.CharField(max_length=20)

    class Meta:
        app_label = "managers"

    def __str__(self):
        return self.name


class ManMembership(models.Model):
    person = models.ForeignKey(ManPerson, CASCADE)
    club = models.ForeignKey(ManClub, CASCADE)
    role = models.CharField(max_length=10, default="member")

    class Meta:
        app_label = "managers"


class VisibleDraftManager(models.Manager):
    """The default manager of ManDraft: hidden drafts are left out of every query it makes."""

    def get_queryset(self):
        return super().get_queryset().filter(hidden=False)


class ManDraft(models.Model):
    title = models.CharField(max_length=20)
    hidden = models.BooleanField(default=False)
    author = models.ForeignKey(ManAuthor, CASCADE, related_name="drafts")

    objects = VisibleDraftManager()

    class Meta:
        app_label = "managers"

    def __str__(self):
        return self.title


@pytest.fixture
def library(tables):
    """Ann (with Dune and Emma) and Bob (with Ulysses); tags red, blue, green."""
    tables(ManAuthor, ManTag, ManBook)
    ann, bob = ManAuthor.objects.create(name="Ann"), ManAuthor.objects.create(name="Bob")
    for title, author in (("Dune", ann), ("Emma", ann), ("Ulysses", bob)):
        ManBook.objects.create(title=title, author=author)
    for name in ("red", "blue", "green"):
        ManTag.objects.create(name=name)
    return ann, bob


def book(title):
    return ManBook.objects.get(title=title)


def tag(name):
    return ManTag.objects.get(name=name)


def run(function):
    """``(result, [sql, ...])`` of calling ``function``."""
    with CaptureQueriesContext(connection) as queries:
        result = function()
    return result, [query["sql"] for query in queries]


# -- the reverse many-to-one manager ------------------------------------------------------------


def test_reverse_manager_filters_on_the_key_column(library):
    ann, _ = library
    assert [b.title for b in ann.manbook_set.all()] == ["Dune", "Emma"]
    assert str(ann.manbook_set.all().query) == (
        'SELECT "managers_manbook"."id", "managers_manbook"."title", "managers_manbook"."author_id", '
        '"managers_manbook"."editor_id" FROM "managers_manbook" WHERE "managers_manbook"."author_id" = 1 '
        'ORDER BY "managers_manbook"."title" ASC'
    )
    assert ann.manbook_set.count() == 2 and ann.manbook_set.filter(title="Emma").get().title == "Emma"
    assert list(ann.edited.all()) == []


def test_reverse_manager_of_an_unsaved_instance_is_refused(library):
    with pytest.raises(ValueError) as error:
        ManAuthor(name="New").manbook_set.all()
    assert str(error.value) == (
        "'ManAuthor' instance needs to have a primary key value before this relationship can be used."
    )


def test_reverse_manager_create_and_get_or_create(library):
    ann, bob = library
    created, queries = run(lambda: ann.manbook_set.create(title="Persuasion"))
    assert created.author_id == ann.pk and created.author is ann and len(queries) == 1
    assert ann.manbook_set.get_or_create(title="Persuasion") == (created, False)
    ulysses, made = ann.manbook_set.get_or_create(title="Ulysses")
    assert made and ulysses.author_id == ann.pk, "Bob's Ulysses is not among Ann's books"
    updated, made = bob.manbook_set.update_or_create(title="Ulysses", defaults={"editor": ann})
    assert not made and ManBook.objects.get(pk=updated.pk).editor_id == ann.pk


@pytest.mark.exercise("07.2")
def test_add_points_the_objects_at_the_instance_in_one_update(library):
    ann, bob = library
    ulysses = book("Ulysses")
    _, queries = run(lambda: ann.manbook_set.add(ulysses))
    assert queries == ['UPDATE "managers_manbook" SET "author_id" = 1 WHERE "managers_manbook"."id" IN (3)']
    assert ulysses.author_id == ann.pk and ulysses.author is ann, "the object in memory follows"
    assert [b.title for b in ann.manbook_set.all()] == ["Dune", "Emma", "Ulysses"]
    assert list(bob.manbook_set.all()) == []


@pytest.mark.exercise("07.2")
def test_add_without_bulk_saves_each_object_even_a_new_one(library):
    ann, bob = library
    new, ulysses = ManBook(title="Persuasion", author=bob), book("Ulysses")
    _, queries = run(lambda: ann.manbook_set.add(new, ulysses, bulk=False))
    assert new.pk is not None
    assert [sql.split(" ")[0] for sql in queries] == ["BEGIN", "INSERT", "UPDATE", "COMMIT"], queries
    assert [b.title for b in ann.manbook_set.all()] == ["Dune", "Emma", "Persuasion", "Ulysses"]


@pytest.mark.exercise("07.2")
def test_add_of_nothing_changes_nothing(library):
    ann, _ = library
    assert run(lambda: ann.manbook_set.add()) == (None, [])
    assert ann.manbook_set.count() == 2


@pytest.mark.exercise("07.2")
def test_add_refuses_an_object_of_another_model(library):
    ann, _ = library
    with pytest.raises(TypeError) as error:
        ann.manbook_set.add(tag("red"))
    assert str(error.value) == "'ManBook' instance expected, got <ManTag: red>"


@pytest.mark.exercise("07.2")
def test_bulk_add_refuses_an_unsaved_object(library):
    ann, bob = library
    with pytest.raises(ValueError) as error:
        ann.manbook_set.add(ManBook(title="New", author=bob))
    assert str(error.value) == "<ManBook: New> instance isn't saved. Use bulk=False or save the object first."
    assert ManBook.objects.count() == 3


@pytest.mark.exercise("07.2")
def test_add_to_an_unsaved_instance_is_refused(library):
    with pytest.raises(ValueError) as error:
        ManAuthor(name="New").manbook_set.add(book("Dune"))
    assert str(error.value) == (
        '"<ManAuthor: New>" needs to have a value for field "id" before this relationship can be used.'
    )


@pytest.mark.exercise("07.2")
def test_add_updates_rows_the_default_manager_hides(library, tables):
    ann, bob = library
    tables(ManDraft)
    secret = ManDraft.objects.create(title="Secret", hidden=True, author=bob)
    ann.drafts.add(secret)
    # The UPDATE goes through the base manager, which sees every row: the default one would match nothing.
    assert ManDraft._base_manager.get(pk=secret.pk).author_id == ann.pk
    assert list(ann.drafts.all()) == [], "the related manager itself still hides the hidden draft"


@pytest.mark.exercise("07.2")
def test_add_forgets_what_was_prefetched(library):
    ann, bob = library
    # What prefetch_related("manbook_set") leaves on an author (chapter 07.5 fills it for real):
    # the manager answers from this cache, without a query, until something changes the rows.
    prefetched = ann.manbook_set.all()
    list(prefetched)
    ann._prefetched_objects_cache = {"manbook_set": prefetched}
    ann.manbook_set.add(book("Ulysses"))
    assert [b.title for b in ann.manbook_set.all()] == ["Dune", "Emma", "Ulysses"], (
        "after add(), author.manbook_set.all() must not answer from the prefetched rows"
    )


def test_remove_and_clear_exist_only_for_a_nullable_key(library):
    ann, _ = library
    assert not hasattr(ann.manbook_set, "remove") and not hasattr(ann.manbook_set, "clear")
    dune, emma = book("Dune"), book("Emma")
    ann.edited.set([dune, emma])
    assert [b.title for b in ann.edited.all()] == ["Dune", "Emma"]
    _, queries = run(lambda: ann.edited.remove(dune))
    assert queries == [
        'UPDATE "managers_manbook" SET "editor_id" = NULL WHERE ("managers_manbook"."editor_id" = 1 AND '
        '"managers_manbook"."id" IN (1))'
    ]
    with pytest.raises(ManAuthor.DoesNotExist, match=r"^<ManBook: Dune> is not related to <ManAuthor: Ann>.$"):
        ann.edited.remove(book("Dune"))
    ann.edited.set([dune])
    assert [b.title for b in ann.edited.all()] == ["Dune"]
    ann.edited.clear(bulk=False)
    assert list(ann.edited.all()) == [] and book("Dune").editor_id is None


def test_direct_assignment_to_a_related_set_is_refused(library):
    ann, _ = library
    with pytest.raises(TypeError) as error:
        ann.manbook_set = []
    assert str(error.value) == (
        "Direct assignment to the reverse side of a related set is prohibited. Use manbook_set.set() instead."
    )


def test_prefetched_objects_answer_without_a_query(library):
    ann, _ = library
    ann._prefetched_objects_cache = {"manbook_set": ManBook.objects.filter(title="Dune")}
    titles, queries = run(lambda: [b.title for b in ann.manbook_set.all()])
    assert titles == ["Dune"]
    ann.edited.add(book("Emma"))
    assert "manbook_set" in ann._prefetched_objects_cache, "only the edited relation's cache goes"


# -- the many-to-many manager -------------------------------------------------------------------


def test_a_filter_on_a_many_to_many_manager_follows_the_managers_own_join(library):
    dune, ulysses = book("Dune"), book("Ulysses")
    red, blue = tag("red"), tag("blue")
    dune.tags.add(red)
    ulysses.tags.add(red, blue)
    # As Django's sticky filter: the next filter() reuses the manager's join, so it asks about this book.
    assert list(ulysses.tags.filter(manbook__author__name="Ann")) == [], "Ulysses is Bob's: none of its tags"
    assert [t.name for t in dune.tags.all().filter(manbook__author__name="Ann")] == ["red"]
    assert list(red.manbook_set.filter(tags__name="blue")) == [], "a book's pair with red is not its pair with blue"


def test_many_to_many_add_inserts_the_missing_pairs_in_one_statement(library):
    dune = book("Dune")
    red, blue = tag("red"), tag("blue")
    _, queries = run(lambda: dune.tags.add(red, blue.pk))
    assert queries == [
        "BEGIN",
        'INSERT OR IGNORE INTO "managers_manbook_tags" ("manbook_id", "mantag_id") VALUES (1, 1), (1, 2)',
        "COMMIT",
    ], "nobody listens to m2m_changed: the database skips the pairs already there"
    dune.tags.add(red)
    assert [t.name for t in dune.tags.all()] == ["blue", "red"]
    assert str(dune.tags.all().query) == (
        'SELECT "managers_mantag"."id", "managers_mantag"."name" FROM "managers_mantag" INNER JOIN '
        '"managers_manbook_tags" ON ("managers_mantag"."id" = "managers_manbook_tags"."mantag_id") WHERE '
        '"managers_manbook_tags"."manbook_id" = 1 ORDER BY "managers_mantag"."name" ASC'
    ), "Django's SQL: the pair table joined, the hop to the book trimmed"
    assert [b.title for b in red.manbook_set.all()] == ["Dune"]
    assert ManBook.tags.through.objects.count() == 2


def test_many_to_many_remove_clear_set(library):
    dune = book("Dune")
    red, blue, green = tag("red"), tag("blue"), tag("green")
    dune.tags.add(red, blue, green)
    dune.tags.remove(red)
    assert [t.name for t in dune.tags.all()] == ["blue", "green"]
    dune.tags.set([green, red.pk])
    assert [t.name for t in dune.tags.all()] == ["green", "red"]
    dune.tags.set([blue], clear=True)
    assert [t.name for t in dune.tags.all()] == ["blue"]
    red.manbook_set.add(dune)
    assert [t.name for t in dune.tags.all()] == ["blue", "red"]
    dune.tags.clear()
    assert list(dune.tags.all()) == [] and list(red.manbook_set.all()) == []


def test_many_to_many_create_and_get_or_create(library):
    dune = book("Dune")
    made = dune.tags.create(name="gold")
    assert list(dune.tags.all()) == [made]
    found, created = dune.tags.get_or_create(name="gold")
    assert (found, created) == (made, False)
    silver, created = dune.tags.get_or_create(name="silver")
    assert created and [t.name for t in dune.tags.all()] == ["gold", "silver"]
    copper, created = dune.tags.update_or_create(name="copper")
    assert created and copper in dune.tags.all()


def test_many_to_many_errors(library):
    dune = book("Dune")
    with pytest.raises(TypeError, match=r"^'ManTag' instance expected, got <ManAuthor: Ann>$"):
        dune.tags.add(library[0])
    with pytest.raises(ValueError) as error:
        ManBook(title="New").tags
    assert str(error.value) == (
        '"<ManBook: New>" needs to have a value for field "id" before this many-to-many relationship can be used.'
    )
    with pytest.raises(TypeError) as error:
        dune.tags = []
    assert str(error.value) == (
        "Direct assignment to the forward side of a many-to-many set is prohibited. Use tags.set() instead."
    )
    with pytest.raises(TypeError) as error:
        ManBook(title="New", tags=[])
    assert "Use tags.set() instead." in str(error.value)
    with pytest.raises(TypeError, match="reverse side of a many-to-many set"):
        tag("red").manbook_set = []
    # remove() filters the through table by relation name, as Django 5.2 does:
    # an object of another model fails as a related filter would.
    with pytest.raises(ValueError, match=r'^Cannot query "Ann": Must be "ManTag" instance\.$'):
        dune.tags.remove(library[0])


def test_m2m_changed_is_sent_with_django_arguments(library):
    dune = book("Dune")
    red, blue = tag("red"), tag("blue")
    heard = []

    def receiver(sender, **kwargs):
        kwargs.pop("signal")
        heard.append((sender, kwargs["action"], kwargs["instance"], kwargs["reverse"], kwargs["model"],
                      kwargs["pk_set"], kwargs["using"]))  # fmt: skip

    through = ManBook.tags.through
    signals.m2m_changed.connect(receiver, sender=through)
    try:
        dune.tags.add(red, blue)
        dune.tags.add(red)
        red.manbook_set.remove(dune)
        dune.tags.clear()
    finally:
        signals.m2m_changed.disconnect(receiver, sender=through)
    assert heard == [
        (through, "pre_add", dune, False, ManTag, {red.pk, blue.pk}, "default"),
        (through, "post_add", dune, False, ManTag, {red.pk, blue.pk}, "default"),
        (through, "pre_add", dune, False, ManTag, set(), "default"),
        (through, "post_add", dune, False, ManTag, set(), "default"),
        (through, "pre_remove", red, True, ManBook, {dune.pk}, "default"),
        (through, "post_remove", red, True, ManBook, {dune.pk}, "default"),
        (through, "pre_clear", dune, False, ManTag, None, "default"),
        (through, "post_clear", dune, False, ManTag, None, "default"),
    ]
    assert list(dune.tags.all()) == []


def test_symmetrical_many_to_many_reads_both_ways(tables):
    tables(ManPerson, ManClub, ManMembership)
    ann, bob, cy = (ManPerson.objects.create(name=name) for name in ("Ann", "Bob", "Cy"))
    ann.friends.add(bob, cy)
    assert [p.name for p in bob.friends.all()] == ["Ann"]
    assert ManPerson.friends.through.objects.count() == 4
    bob.friends.remove(ann)
    assert [p.name for p in ann.friends.all()] == ["Cy"]


def test_many_to_many_through_a_model_with_through_defaults(tables):
    tables(ManPerson, ManClub, ManMembership)
    ann = ManPerson.objects.create(name="Ann")
    chess, go = ManClub.objects.create(name="Chess"), ManClub.objects.create(name="Go")
    ann.clubs.add(chess, through_defaults={"role": "chair"})
    go.members.add(ann)
    assert sorted((m.club.name, m.role) for m in ManMembership.objects.all()) == [("Chess", "chair"), ("Go", "member")]
    assert [p.name for p in chess.members.all()] == ["Ann"]
    ann.clubs.remove(chess)
    assert [c.name for c in ann.clubs.all()] == ["Go"]


def test_calling_a_related_manager_reads_through_another_manager(library, tables):
    tables(ManVolume)
    ann, red = library[0], tag("red")
    for title in ("Dune", "Emma"):
        red.volumes.add(ManVolume.objects.create(title=title, owner=ann))
    # Django 5.2: author.volumes(manager="...") and tag.volumes(manager="...")
    # keep the relation's filter and add that manager's.
    assert [v.title for v in ann.volumes(manager="starting_with_d").all()] == ["Dune"]
    assert [v.title for v in red.volumes(manager="starting_with_d").all()] == ["Dune"]
    assert [v.title for v in ann.volumes.all()] == ["Dune", "Emma"]
    with pytest.raises(TypeError, match="missing 1 required keyword-only argument: 'manager'"):
        ann.volumes()


def test_nullable_manager_edges(library):
    ann, _ = library
    dune, emma = book("Dune"), book("Emma")
    ann.edited.remove()
    with pytest.raises(TypeError, match=r"^'ManBook' instance expected, got <ManTag: red>$"):
        ann.edited.remove(tag("red"))
    ann.edited.set([dune, emma])
    ann.edited.set([dune], clear=True)
    assert [b.title for b in ann.edited.all()] == ["Dune"]
    ann.edited.set([dune, emma], bulk=False)
    assert [b.title for b in ann.edited.all()] == ["Dune", "Emma"]


def test_many_to_many_edges(library):
    dune = book("Dune")
    _, queries = run(lambda: (dune.tags.add(), dune.tags.remove()))
    assert queries == [], "nothing to add or remove: no statement"
    # Django 5.2 checks the object's database before its key: an unsaved tag has none.
    with pytest.raises(
        ValueError,
        match=r'^Cannot add "<ManTag: new>": instance is on database "default", value is on database "None"$',
    ):
        dune.tags.add(ManTag(name="new"))
    saved_without_key = ManTag.objects.get(name="red")
    saved_without_key.pk = None
    with pytest.raises(ValueError, match=r'^Cannot add "<ManTag: red>": the value for field "mantag" is None$'):
        dune.tags.add(saved_without_key)


def test_objects_from_a_reverse_manager_know_their_related_object(library):
    ann, _ = library
    books, queries = run(lambda: [(b, b.author) for b in ann.manbook_set.filter(title__gt="A").order_by("-title")])
    assert [(b.title, author) for b, author in books] == [("Emma", ann), ("Dune", ann)]
    assert len(queries) == 1, "Django's known related objects: book.author is the author asked"
    assert ann.manbook_set.values_list("title", flat=True).first() == "Dune"
