"""Model instances: construction, identity, saving, deleting, refreshing, signals and full_clean.

Messages and results are those Django 5.2 gives for the same models and
calls (its validation errors, its save() errors, delete()'s count).
"""

import pickle
import sqlite3
import textwrap
import uuid

import pytest

from tinyframe.core.exceptions import NON_FIELD_ERRORS, ValidationError
from tinyframe.db import DatabaseError, IntegrityError, connection, models
from tinyframe.db.models import F, signals


class ModelsAuthor(models.Model):
    name = models.CharField(max_length=20, unique=True)
    code = models.CharField(max_length=5, blank=True)
    city = models.CharField(max_length=20, default="Paris")
    books = models.IntegerField(default=0)

    class Meta:
        app_label = "models_tests"
        unique_together = [("city", "books")]
        constraints = [
            models.CheckConstraint(condition=models.Q(books__gte=0), name="books_not_negative"),
            models.UniqueConstraint(fields=["code"], condition=~models.Q(code=""), name="unique_code"),
            models.UniqueConstraint(fields=["city", "code"], name="unique_city_code"),
        ]

    @property
    def initials(self):
        return self.name[:1]

    @initials.setter
    def initials(self, value):
        self.name = value


class ModelsTag(models.Model):
    label = models.SlugField(primary_key=True)
    uses = models.PositiveIntegerField(default=0)

    class Meta:
        app_label = "models_tests"

    def __str__(self):
        return self.label


def error_text(error: BaseException) -> str:
    return "\n".join([str(error), *getattr(error, "__notes__", [])])


# -- construction ---------------------------------------------------------------------


@pytest.mark.exercise("06.2")
def test_fields_take_their_defaults_and_keywords():
    author = ModelsAuthor(name="Le Guin")
    assert (author.id, author.name, author.code, author.city, author.books) == (None, "Le Guin", "", "Paris", 0)
    assert (author._state.adding, author._state.db) == (True, None)


@pytest.mark.exercise("06.2")
def test_positional_arguments_fill_fields_in_order():
    author = ModelsAuthor(None, "Le Guin", "UKL")
    assert (author.name, author.code, author.city) == ("Le Guin", "UKL", "Paris")
    with pytest.raises(IndexError, match="Number of args exceeds number of fields"):
        ModelsAuthor(1, 2, 3, 4, 5, 6)
    with pytest.raises(TypeError) as caught:
        ModelsAuthor(None, "x", name="y")
    assert str(caught.value) == "ModelsAuthor() got both positional and keyword arguments for field 'name'."


@pytest.mark.exercise("06.2")
def test_unknown_keywords_are_a_type_error_with_a_suggestion():
    with pytest.raises(TypeError) as caught:
        ModelsAuthor(nmae="Le Guin", colour="red")
    assert str(caught.value) == "ModelsAuthor() got unexpected keyword arguments: 'nmae', 'colour'"
    assert "Did you mean 'name'?" in error_text(caught.value)


@pytest.mark.exercise("06.2")
def test_a_property_may_be_set_by_keyword():
    assert ModelsAuthor(initials="U").name == "U"


def test_from_db_marks_the_instance_as_loaded_and_defers_missing_fields():
    author = ModelsAuthor.from_db("default", ["id", "name"], (7, "Le Guin"))
    assert (author.pk, author.name, author._state.adding, author._state.db) == (7, "Le Guin", False, "default")
    assert author.get_deferred_fields() == {"code", "city", "books"}
    full = ModelsAuthor.from_db("default", ["id", "name", "code", "city", "books"], (1, "a", "", "Rome", 2))
    assert full.get_deferred_fields() == set()


@pytest.mark.exercise("06.2")
def test_init_signals_are_sent():
    """pre_init before the fields are set (with the arguments as given), post_init after."""
    seen = []

    def before(sender, args, kwargs, **extra):
        seen.append(("pre_init", sender, args, dict(kwargs)))

    def after(sender, instance, **extra):
        seen.append(("post_init", sender, instance.name))

    signals.pre_init.connect(before, sender=ModelsAuthor)
    signals.post_init.connect(after, sender=ModelsAuthor)
    try:
        ModelsAuthor(name="x")
    finally:
        signals.pre_init.disconnect(before, sender=ModelsAuthor)
        signals.post_init.disconnect(after, sender=ModelsAuthor)
    assert seen == [("pre_init", ModelsAuthor, (), {"name": "x"}), ("post_init", ModelsAuthor, "x")]


# -- identity -----------------------------------------------------------------------


def test_repr_and_str_name_the_model_and_key():
    assert repr(ModelsAuthor(id=3)) == "<ModelsAuthor: ModelsAuthor object (3)>"
    assert str(ModelsAuthor()) == "ModelsAuthor object (None)"
    assert repr(ModelsTag(label="sf")) == "<ModelsTag: sf>", "repr uses the model's own __str__"


def test_instances_are_equal_by_model_and_primary_key():
    assert ModelsAuthor(id=1, name="a") == ModelsAuthor(id=1, name="b")
    assert ModelsAuthor(id=1) != ModelsAuthor(id=2)
    assert ModelsAuthor(id=1) != ModelsTag(label=1)
    unsaved = ModelsAuthor()
    assert unsaved == unsaved and unsaved != ModelsAuthor(), "without a key, an instance equals only itself"
    assert ModelsAuthor(id=1) != 1
    assert hash(ModelsAuthor(id=5)) == hash(5) and len({ModelsAuthor(id=5), ModelsAuthor(id=5)}) == 1


def test_an_unsaved_instance_is_unhashable():
    with pytest.raises(TypeError) as caught:
        hash(ModelsAuthor())
    assert str(caught.value) == "Model instances without primary key value are unhashable"


def test_pk_is_the_primary_key_whatever_its_name():
    tag = ModelsTag(label="sf")
    assert tag.pk == "sf"
    tag.pk = "fantasy"
    assert tag.label == "fantasy"


def test_instances_pickle_with_their_state():
    author = ModelsAuthor.from_db("default", ["id", "name", "code", "city", "books"], (1, "a", "", "Rome", 2))
    copy = pickle.loads(pickle.dumps(author))
    assert copy == author and copy.city == "Rome" and copy._state.db == "default" and not copy._state.adding



def test_a_copy_of_an_instance_has_a_state_of_its_own():
    import copy as copying

    author = ModelsAuthor.from_db("default", ["id", "name", "code", "city", "books"], (1, "a", "", "Rome", 2))
    twin = copying.copy(author)
    assert twin == author and twin._state is not author._state
    twin._state.adding, twin._state.db = True, "other"
    assert (author._state.adding, author._state.db) == (False, "default"), "the original's state is untouched"

# -- saving -----------------------------------------------------------------------------


def test_save_inserts_then_updates(tables):
    tables(ModelsAuthor)
    author = ModelsAuthor(name="Le Guin")
    author.save()
    assert author.pk is not None and (author._state.adding, author._state.db) == (False, "default")
    author.city = "Portland"
    author.save()
    assert ModelsAuthor.objects.count() == 1
    assert ModelsAuthor.objects.get(pk=author.pk).city == "Portland"


def test_save_sends_pre_save_and_post_save_with_created(tables):
    tables(ModelsAuthor)
    seen = []

    def before(sender, instance, raw, using, update_fields, **extra):
        seen.append(("pre_save", instance.pk, raw, using, update_fields))

    def after(sender, instance, created, raw, using, update_fields, **extra):
        seen.append(("post_save", instance.pk, created, update_fields))

    signals.pre_save.connect(before, sender=ModelsAuthor)
    signals.post_save.connect(after, sender=ModelsAuthor)
    try:
        author = ModelsAuthor(name="a")
        author.save()
        author.save(update_fields=["city"])
    finally:
        signals.pre_save.disconnect(before, sender=ModelsAuthor)
        signals.post_save.disconnect(after, sender=ModelsAuthor)
    key = author.pk
    assert seen == [
        ("pre_save", None, False, "default", None),
        ("post_save", key, True, None),
        ("pre_save", key, False, "default", frozenset({"city"})),
        ("post_save", key, False, frozenset({"city"})),
    ]


def test_update_fields_writes_only_those_fields(tables):
    tables(ModelsAuthor)
    author = ModelsAuthor.objects.create(name="a", city="Rome")
    ModelsAuthor.objects.filter(pk=author.pk).update(city="Oslo")
    author.name = "b"
    author.save(update_fields=["name"])
    assert ModelsAuthor.objects.values_list("name", "city").get(pk=author.pk) == ("b", "Oslo")
    author.save(update_fields=[])  # nothing to do, no query


def test_a_primary_key_given_by_hand_updates_or_inserts(tables):
    tables(ModelsTag)
    ModelsTag(label="sf", uses=1).save()
    ModelsTag(label="sf", uses=2).save()
    assert list(ModelsTag.objects.values_list("label", "uses")) == [("sf", 2)]


def test_save_refuses_contradictory_or_impossible_orders(tables):
    tables(ModelsAuthor)
    cases = [
        (ValueError, "Cannot force both insert and updating in model saving.",
         lambda: ModelsAuthor(name="q").save(force_insert=True, force_update=True)),
        (ValueError, "Cannot force an update in save() with no primary key.",
         lambda: ModelsAuthor(name="q").save(force_update=True)),
        (DatabaseError, "Forced update did not affect any rows.",
         lambda: ModelsAuthor(name="q", id=99).save(force_update=True)),
        (DatabaseError, "Save with update_fields did not affect any rows.",
         lambda: ModelsAuthor(id=98).save(update_fields=["name"])),
    ]  # fmt: skip
    for exception, message, call in cases:
        with pytest.raises(exception) as caught:
            call()
        assert str(caught.value) == message
    with pytest.raises(ValueError) as caught:
        ModelsAuthor(id=1).save(update_fields=["nope"])
    assert str(caught.value) == (
        "The following fields do not exist in this model, are m2m fields, primary keys, or are non-concrete fields: nope"
    )


def test_force_insert_of_an_existing_key_is_an_integrity_error(tables):
    tables(ModelsTag)
    ModelsTag(label="sf").save()
    with pytest.raises(IntegrityError):
        ModelsTag(label="sf").save(force_insert=True)


def test_f_expressions_increment_in_sql_and_stay_until_refreshed(tables):
    tables(ModelsAuthor)
    author = ModelsAuthor.objects.create(name="a", books=1)
    ModelsAuthor.objects.filter(pk=author.pk).update(books=10)
    author.books = F("books") + 1
    author.save()
    assert isinstance(author.books, models.CombinedExpression), "the expression stays until refresh, as in Django"
    author.refresh_from_db()
    assert author.books == 11


def test_the_database_enforces_the_constraints(tables):
    tables(ModelsAuthor)
    with pytest.raises(IntegrityError):
        ModelsAuthor(name="a", books=-1).save()
    ModelsAuthor(name="b").save()
    with pytest.raises(IntegrityError):
        ModelsAuthor(name="b", city="Oslo").save()


# -- refreshing and deleting -----------------------------------------------------------


def test_refresh_from_db_reloads_all_or_some_fields(tables):
    tables(ModelsAuthor)
    author = ModelsAuthor.objects.create(name="a", city="Rome")
    ModelsAuthor.objects.filter(pk=author.pk).update(name="b", city="Oslo")
    author.refresh_from_db(fields=["city"])
    assert (author.name, author.city) == ("a", "Oslo")
    author.refresh_from_db()
    assert author.name == "b"
    with pytest.raises(ValueError) as caught:
        author.refresh_from_db(fields=["name__upper"])
    assert str(caught.value) == 'Found "__" in fields argument. Relations and transforms are not allowed in fields.'


def test_a_deferred_field_loads_when_read(tables):
    tables(ModelsAuthor)
    saved = ModelsAuthor.objects.create(name="a", city="Rome")
    author = ModelsAuthor.from_db("default", ["id", "name"], (saved.pk, "a"))
    assert author.city == "Rome", "reading a deferred field loads it"
    assert author.get_deferred_fields() == {"code", "books"}, "and only it"


def test_refreshing_a_deleted_row_is_does_not_exist(tables):
    tables(ModelsAuthor)
    with pytest.raises(ModelsAuthor.DoesNotExist) as caught:
        ModelsAuthor(id=12345).refresh_from_db()
    assert str(caught.value) == "ModelsAuthor matching query does not exist."


def test_delete_removes_the_row_and_forgets_the_key(tables):
    tables(ModelsAuthor)
    author = ModelsAuthor.objects.create(name="a")
    assert author.delete() == (1, {"models_tests.ModelsAuthor": 1})
    assert author.pk is None and ModelsAuthor.objects.count() == 0


def test_deleting_an_unsaved_instance_is_refused():
    with pytest.raises(ValueError) as caught:
        ModelsAuthor().delete()
    assert str(caught.value) == "ModelsAuthor object can't be deleted because its id attribute is set to None."


# -- validation -----------------------------------------------------------------------


def codes(error: ValidationError) -> dict:
    return {field: [item.code for item in errors] for field, errors in error.error_dict.items()}


FULL_CLEAN = [
    (dict(name="a", code="c1", city="x", books=1),
     {NON_FIELD_ERRORS: ["Models author with this City and Books already exists.", "Constraint “unique_code” is violated.",
                         "Models author with this City and Code already exists."],
      "name": ["Models author with this Name already exists."]},
     {NON_FIELD_ERRORS: ["unique_together", None, "unique_together"], "name": ["unique"]}),
    (dict(name="b", code="c1", city="y", books=-1),
     {NON_FIELD_ERRORS: ["Constraint “books_not_negative” is violated.", "Constraint “unique_code” is violated."]},
     {NON_FIELD_ERRORS: [None, None]}),
    (dict(name="", code="", books=-5),
     {"name": ["This field cannot be blank."], NON_FIELD_ERRORS: ["Constraint “books_not_negative” is violated."]},
     {"name": ["blank"], NON_FIELD_ERRORS: [None]}),
    (dict(name="x" * 21, books="many"),
     {"name": ["Ensure this value has at most 20 characters (it has 21)."], "books": ["“many” value must be an integer."]},
     {"name": ["max_length"], "books": ["invalid"]}),
]  # fmt: skip


def test_full_clean_collects_every_error_as_django(tables, check_rows):
    tables(ModelsAuthor)
    ModelsAuthor.objects.create(name="a", code="c1", city="x", books=1)

    def check(values, messages, error_codes):
        with pytest.raises(ValidationError) as caught:
            ModelsAuthor(**values).full_clean()
        assert caught.value.message_dict == messages, f"full_clean() of {values}"
        assert codes(caught.value) == error_codes

    check_rows(FULL_CLEAN, check)
    ModelsAuthor(name="b", code="", city="x", books=2).full_clean()
    ModelsAuthor.objects.get().full_clean()  # a saved object does not clash with itself


def test_full_clean_can_skip_unique_and_constraints_and_fields(tables):
    tables(ModelsAuthor)
    ModelsAuthor.objects.create(name="a", code="c1", city="x", books=1)
    ModelsAuthor(name="a", code="c1", city="x", books=1).full_clean(validate_unique=False, validate_constraints=False)
    with pytest.raises(ValidationError) as caught:
        ModelsAuthor(name="a", code="c1", city="x", books=1).full_clean(exclude=["name", "code"])
    assert caught.value.message_dict == {NON_FIELD_ERRORS: ["Models author with this City and Books already exists."]}


def test_clean_fields_stores_the_cleaned_values():
    author = ModelsAuthor(name="a", books="12")
    author.clean_fields()
    assert author.books == 12


def test_a_models_clean_adds_errors_for_the_whole_object(tables):
    tables(ModelsAuthor)

    def clean(self):
        raise ValidationError("Authors from Rome need a code.")

    author = ModelsAuthor(name="z", city="Rome")
    author.clean = clean.__get__(author)
    with pytest.raises(ValidationError) as caught:
        author.full_clean()
    assert caught.value.message_dict == {NON_FIELD_ERRORS: ["Authors from Rome need a code."]}


def test_a_unique_constraint_on_one_field_reports_under_that_field(tables):
    class ModelsIsbn(models.Model):
        isbn = models.CharField(max_length=13)

        class Meta:
            app_label = "models_tests"
            constraints = [models.UniqueConstraint(fields=["isbn"], name="unique_isbn")]

    tables(ModelsIsbn)
    ModelsIsbn.objects.create(isbn="123")
    with pytest.raises(ValidationError) as caught:
        ModelsIsbn(isbn="123").full_clean()
    assert caught.value.message_dict == {"isbn": ["Models isbn with this Isbn already exists."]}
    assert codes(caught.value) == {"isbn": ["unique"]}
    assert connection.in_atomic_block is False


class ModelsTicket(models.Model):
    code = models.UUIDField(primary_key=True, default=uuid.uuid4)
    seat = models.CharField(max_length=4, default="")
    saves = []

    class Meta:
        app_label = "models_tests"

    def save(self, *args, **kwargs):
        # super() without arguments needs the class cell the metaclass must pass on.
        type(self).saves.append(self.seat)
        super().save(*args, **kwargs)


def recorded_sql(action) -> list:
    """The statements ``action()`` runs, in order."""
    connection.queries_log.clear()
    connection.force_debug_cursor = True
    try:
        action()
    finally:
        connection.force_debug_cursor = False
    return [query["sql"].split()[0] for query in connection.queries]


def test_a_new_object_whose_key_has_a_default_is_inserted_at_once(tables):
    tables(ModelsTicket)
    ticket = ModelsTicket(seat="12A")
    assert recorded_sql(ticket.save) == ["INSERT"], "no UPDATE is tried first"
    assert ticket.code is not None and ModelsTicket.saves[-1] == "12A"
    assert recorded_sql(ticket.save) == ["UPDATE"]


def test_an_object_loaded_with_deferred_fields_saves_only_what_was_loaded(tables):
    tables(ModelsAuthor)
    saved = ModelsAuthor.objects.create(name="a", city="Rome")
    partial = ModelsAuthor.from_db("default", ["id", "name"], (saved.pk, "a"))
    partial.name = "b"
    partial.save()
    assert ModelsAuthor.objects.values_list("name", "city").get(pk=saved.pk) == ("b", "Rome")
    assert partial.get_deferred_fields() == {"code", "city", "books"}, "saving loaded nothing new"


def test_deferred_is_shown_as_such():
    assert repr(models.DEFERRED) == "<Deferred field>"


class ModelsEvent(models.Model):
    day = models.DateField()
    title = models.CharField(max_length=10)

    class Meta:
        app_label = "models_tests"


def test_get_next_and_previous_by_a_date_field(tables):
    tables(ModelsEvent)
    first = ModelsEvent.objects.create(day="2024-01-01", title="a")
    second = ModelsEvent.objects.create(day="2024-01-02", title="b")
    same_day = ModelsEvent.objects.create(day="2024-01-02", title="c")
    first.refresh_from_db()
    assert first.get_next_by_day() == second
    assert second.get_next_by_day() == same_day, "ties are broken by the primary key"
    assert same_day.get_previous_by_day() == second
    assert first.get_next_by_day(title="c") == same_day, "keywords filter the candidates"
    with pytest.raises(ModelsEvent.DoesNotExist) as caught:
        first.get_previous_by_day()
    assert str(caught.value) == "ModelsEvent matching query does not exist."
    with pytest.raises(ValueError, match="get_next/get_previous cannot be used on unsaved objects."):
        ModelsEvent(day="2024-01-01").get_next_by_day()


def test_proxy_models_are_refused_clearly():
    with pytest.raises(NotImplementedError, match="tinyframe has no proxy models"):

        class ModelsProxy(models.Model):
            class Meta:
                app_label = "models_tests"
                proxy = True


# --- simultaneous votes: F() in two processes -------------------------------------------------

VOTING_SCRIPT = textwrap.dedent("""
    import sys
    from tinyframe.conf import settings
    settings.configure(SECRET_KEY="x", DATABASES={"default": {
        "ENGINE": "tinyframe.db.backends.sqlite3", "NAME": sys.argv[1], "OPTIONS": {"timeout": 30}}})
    import tinyframe
    tinyframe.setup()
    from tinyframe.db import models

    class Choice(models.Model):
        votes = models.IntegerField(default=0)

        class Meta:
            app_label = "voting"

    choice = Choice.objects.get(pk=1)
    print("ready", flush=True)
    sys.stdin.readline()  # start together, so the two really compete
    for _ in range(500):
        choice.votes = models.F("votes") + 1
        choice.save(update_fields=["votes"])
""")


@pytest.mark.slow  # two Python interpreters start and import the ORM: about half a second
def test_two_processes_voting_500_times_each_with_f_count_1000_votes(tmp_path, race):
    """choice.votes = F("votes") + 1; choice.save(): the database adds, so no vote is lost to a race."""
    path = tmp_path / "votes.sqlite3"
    setup = sqlite3.connect(path)
    setup.execute("CREATE TABLE voting_choice (id integer PRIMARY KEY AUTOINCREMENT, votes integer NOT NULL)")
    setup.execute("INSERT INTO voting_choice (votes) VALUES (0)")
    setup.commit()
    failures = race(VOTING_SCRIPT, str(path))
    assert failures == [], f"a voter failed: {failures[0][-800:]}" if failures else ""
    votes = setup.execute("SELECT votes FROM voting_choice WHERE id = 1").fetchone()[0]
    setup.close()
    assert votes == 1000, f"two processes x 500 votes counted {votes}"
