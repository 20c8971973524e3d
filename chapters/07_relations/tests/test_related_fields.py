"""Relation fields: their attributes, lazy targets, the through model, _meta, and the tables they make.

The expected SQL, names and attributes are those Django 5.2 gives for the
same models (its SQLite schema editor's statements, its ``_meta`` API).
"""

import pytest

from tinyframe.core.exceptions import ValidationError
from tinyframe.db import IntegrityError, connection, models
from tinyframe.db.models import CASCADE, SET_NULL
from tinyframe.db.models.fields.related import make_model_tuple


class FieldsBook(models.Model):
    title = models.CharField(max_length=20)
    # Declared before its target: resolved when FieldsAuthor registers.
    author = models.ForeignKey("FieldsAuthor", on_delete=CASCADE)
    editor = models.ForeignKey("related_fields.FieldsAuthor", SET_NULL, null=True, related_name="edited")
    tags = models.ManyToManyField("FieldsTag")

    class Meta:
        app_label = "related_fields"

    def __str__(self):
        return self.title


class FieldsAuthor(models.Model):
    name = models.CharField(max_length=20)
    mentor = models.ForeignKey("self", SET_NULL, null=True, related_name="students")

    class Meta:
        app_label = "related_fields"

    def __str__(self):
        return self.name


class FieldsTag(models.Model):
    name = models.CharField(max_length=20)

    class Meta:
        app_label = "related_fields"


class FieldsPlace(models.Model):
    name = models.CharField(max_length=20)

    class Meta:
        app_label = "related_fields"


class FieldsRestaurant(models.Model):
    place = models.OneToOneField(FieldsPlace, CASCADE, primary_key=True)

    class Meta:
        app_label = "related_fields"


class FieldsMember(models.Model):
    name = models.CharField(max_length=20)
    groups = models.ManyToManyField("FieldsGroup", through="FieldsMembership", through_fields=("member", "group"))
    friends = models.ManyToManyField("self")

    class Meta:
        app_label = "related_fields"


class FieldsGroup(models.Model):
    name = models.CharField(max_length=20)

    class Meta:
        app_label = "related_fields"


class FieldsMembership(models.Model):
    group = models.ForeignKey(FieldsGroup, CASCADE)
    member = models.ForeignKey(FieldsMember, CASCADE)
    inviter = models.ForeignKey(FieldsMember, CASCADE, related_name="invited")
    role = models.CharField(max_length=10, default="member")

    class Meta:
        app_label = "related_fields"


# -- the fields' attributes ---------------------------------------------------------------


def test_foreign_key_attributes():
    field = FieldsBook._meta.get_field("author")
    assert (field.name, field.attname, field.column) == ("author", "author_id", "author_id")
    assert (field.is_relation, field.concrete, field.many_to_one, field.one_to_many) == (True, True, True, False)
    assert (field.one_to_one, field.many_to_many) == (False, False)
    assert field.related_model is FieldsAuthor
    assert field.target_field is FieldsAuthor._meta.pk
    assert field.db_index and field.db_type(connection) == "integer"
    assert FieldsBook._meta.get_field("author_id") is field
    assert repr(field) == "<tinyframe.db.models.fields.related.ForeignKey: author>"


def test_foreign_key_rel_attributes():
    rel = FieldsBook._meta.get_field("author").remote_field
    assert isinstance(rel, models.ManyToOneRel)
    assert (rel.model, rel.related_model, rel.field) == (FieldsAuthor, FieldsBook, FieldsBook.author.field)
    names = (rel.get_accessor_name(), rel.name, rel.get_cache_name())
    assert names == ("fieldsbook_set", "fieldsbook", "fieldsbook_set")
    flags = (rel.one_to_many, rel.many_to_one, rel.multiple, rel.concrete, rel.auto_created)
    assert flags == (True, False, True, False, True)
    assert rel.on_delete is CASCADE
    assert rel.get_joining_columns() == (("id", "author_id"),)
    assert repr(rel) == "<ManyToOneRel: related_fields.fieldsbook>"
    edited = FieldsBook._meta.get_field("editor").remote_field
    assert (edited.get_accessor_name(), edited.name) == ("edited", "edited")


def test_one_to_one_attributes():
    field = FieldsRestaurant._meta.get_field("place")
    assert (field.one_to_one, field.many_to_one, field.unique, field.primary_key) == (True, False, True, True)
    assert FieldsRestaurant._meta.pk is field and field.attname == "place_id"
    rel = field.remote_field
    assert isinstance(rel, models.OneToOneRel)
    assert (rel.get_accessor_name(), rel.multiple, rel.one_to_one) == ("fieldsrestaurant", False, True)


def test_many_to_many_attributes_and_automatic_through_model():
    field = FieldsBook._meta.get_field("tags")
    assert (field.many_to_many, field.concrete, field.column) == (True, False, None)
    assert field not in FieldsBook._meta.concrete_fields and field not in FieldsBook._meta.fields
    assert FieldsBook._meta.many_to_many == (field,) == tuple(FieldsBook._meta.local_many_to_many)
    through = field.remote_field.through
    assert (through.__name__, through._meta.db_table) == ("FieldsBook_tags", "related_fields_fieldsbook_tags")
    assert through._meta.auto_created is FieldsBook
    assert [f.name for f in through._meta.fields] == ["id", "fieldsbook", "fieldstag"]
    assert through._meta.unique_together == (("fieldsbook", "fieldstag"),)
    assert (field.m2m_field_name(), field.m2m_reverse_field_name()) == ("fieldsbook", "fieldstag")
    assert (field.m2m_column_name(), field.m2m_reverse_name()) == ("fieldsbook_id", "fieldstag_id")
    assert field.m2m_db_table() == "related_fields_fieldsbook_tags"
    rel = field.remote_field
    assert (rel.get_accessor_name(), rel.name, rel.model, rel.related_model) == (
        "fieldsbook_set", "fieldsbook", FieldsTag, FieldsBook,
    )  # fmt: skip


def test_many_to_many_to_self_is_symmetrical_with_from_and_to_keys():
    field = FieldsMember._meta.get_field("friends")
    through = field.remote_field.through
    assert [f.name for f in through._meta.fields] == ["id", "from_fieldsmember", "to_fieldsmember"]
    assert field.remote_field.symmetrical and field.remote_field.get_accessor_name() is None
    assert not hasattr(FieldsMember, "fieldsmember_set")


def test_many_to_many_through_a_given_model_with_through_fields():
    field = FieldsMember._meta.get_field("groups")
    assert field.remote_field.through is FieldsMembership
    assert (field.m2m_field_name(), field.m2m_reverse_field_name()) == ("member", "group")
    assert field.m2m_db_table() == "related_fields_fieldsmembership"


def test_meta_reverse_relations():
    opts = FieldsAuthor._meta
    names = [rel.name for rel in opts.related_objects]
    assert names == ["fieldsbook", "edited", "students"]
    assert opts.get_field("fieldsbook") is FieldsBook._meta.get_field("author").remote_field
    assert opts.get_field("students").field is opts.get_field("mentor")
    assert [f.name for f in opts.get_fields()] == ["fieldsbook", "edited", "students", "id", "name", "mentor"]
    # The through model's keys are hidden: only get_fields(include_hidden=True) lists their rels.
    tag_opts = FieldsTag._meta
    assert [rel.name for rel in tag_opts.related_objects] == ["fieldsbook"]
    assert [f.name for f in tag_opts.get_fields(include_hidden=True)][:2] == ["FieldsBook_tags+", "fieldsbook"]


def test_get_field_unknown_name_lists_nothing_new():
    with pytest.raises(models.FieldDoesNotExist, match="FieldsAuthor has no field named 'fieldsbook_set'"):
        FieldsAuthor._meta.get_field("fieldsbook_set")


def test_foreign_key_needs_a_model_and_a_callable_on_delete():
    with pytest.raises(TypeError) as error:
        models.ForeignKey(3, CASCADE)
    assert str(error.value) == (
        "ForeignKey(3) is invalid. First parameter to ForeignKey must be either a model, a model name, "
        "or the string 'self'"
    )
    with pytest.raises(TypeError, match="^on_delete must be callable.$"):
        models.ForeignKey(FieldsAuthor, on_delete="cascade")


# -- the tables ---------------------------------------------------------------------------


def test_create_model_writes_django_sql():
    with connection.schema_editor(collect_sql=True) as editor:
        editor.create_model(FieldsBook)
        editor.create_model(FieldsRestaurant)
    assert editor.collected_sql == [
        'CREATE TABLE "related_fields_fieldsbook" ("id" integer NOT NULL PRIMARY KEY AUTOINCREMENT, '
        '"title" varchar(20) NOT NULL, "author_id" integer NOT NULL REFERENCES "related_fields_fieldsauthor" '
        '("id") DEFERRABLE INITIALLY DEFERRED, "editor_id" integer NULL REFERENCES "related_fields_fieldsauthor" '
        '("id") DEFERRABLE INITIALLY DEFERRED);',
        'CREATE TABLE "related_fields_fieldsbook_tags" ("id" integer NOT NULL PRIMARY KEY AUTOINCREMENT, '
        '"fieldsbook_id" integer NOT NULL REFERENCES "related_fields_fieldsbook" ("id") DEFERRABLE INITIALLY '
        'DEFERRED, "fieldstag_id" integer NOT NULL REFERENCES "related_fields_fieldstag" ("id") DEFERRABLE '
        "INITIALLY DEFERRED);",
        'CREATE TABLE "related_fields_fieldsrestaurant" ("place_id" integer NOT NULL PRIMARY KEY REFERENCES '
        '"related_fields_fieldsplace" ("id") DEFERRABLE INITIALLY DEFERRED);',
        'CREATE INDEX "related_fields_fieldsbook_author_id_1b62f7e2" ON "related_fields_fieldsbook" ("author_id");',
        'CREATE INDEX "related_fields_fieldsbook_editor_id_8df96c75" ON "related_fields_fieldsbook" ("editor_id");',
        'CREATE UNIQUE INDEX "related_fields_fieldsbook_tags_fieldsbook_id_fieldstag_id_265953d7_uniq" ON '
        '"related_fields_fieldsbook_tags" ("fieldsbook_id", "fieldstag_id");',
        'CREATE INDEX "related_fields_fieldsbook_tags_fieldsbook_id_8a411602" ON "related_fields_fieldsbook_tags" '
        '("fieldsbook_id");',
        'CREATE INDEX "related_fields_fieldsbook_tags_fieldstag_id_eb3ea4ab" ON "related_fields_fieldsbook_tags" '
        '("fieldstag_id");',
    ]


def test_delete_model_drops_the_automatic_through_table_first():
    with connection.schema_editor(collect_sql=True) as editor:
        editor.delete_model(FieldsBook)
    assert editor.collected_sql == [
        'DROP TABLE "related_fields_fieldsbook_tags";',
        'DROP TABLE "related_fields_fieldsbook";',
    ]


def test_saved_book_reads_its_author_back(tables):
    tables(FieldsAuthor, FieldsTag, FieldsBook)
    author = FieldsAuthor.objects.create(name="Ann")
    book = FieldsBook.objects.create(title="Dune", author=author)
    assert book.author_id == author.pk
    fetched = FieldsBook.objects.get(pk=book.pk)
    assert (fetched.author_id, fetched.author, fetched.editor) == (author.pk, author, None)
    assert FieldsBook(author_id=author.pk).author == author


def test_foreign_keys_are_enforced(tables):
    tables(FieldsAuthor, FieldsTag, FieldsBook)
    with pytest.raises(IntegrityError):
        FieldsBook.objects.create(title="Dune", author_id=99)


# -- keys to other fields, other key types, validation ------------------------------------------


class FieldsCountry(models.Model):
    id = models.BigAutoField(primary_key=True)
    code = models.CharField(max_length=2, unique=True)

    class Meta:
        app_label = "related_fields"


class FieldsCity(models.Model):
    name = models.CharField(max_length=20)
    country = models.ForeignKey(FieldsCountry, CASCADE, null=True, blank=True)
    country_code = models.ForeignKey(
        FieldsCountry, CASCADE, to_field="code", null=True, blank=True, related_name="coded_cities",
        limit_choices_to={"code__startswith": "F"},
    )  # fmt: skip

    class Meta:
        app_label = "related_fields"


def test_key_types_follow_the_target_field():
    city = FieldsCity._meta
    assert city.get_field("country").db_type(connection) == "bigint"
    code = city.get_field("country_code")
    target = (code.target_field.name, code.db_type(connection), code.remote_field.field_name)
    assert target == ("code", "varchar(2)", "code")
    assert code.remote_field.get_related_field() is FieldsCountry._meta.get_field("code")
    assert code.get_joining_columns() == (("country_code_id", "code"),)
    assert code.get_limit_choices_to() == {"code__startswith": "F"}


def test_key_values_convert_as_the_target_field_does():
    field = FieldsBook._meta.get_field("author")
    assert (field.to_python("3"), field.get_prep_value("4"), field.get_db_prep_save(None, connection)) == (3, 4, None)
    assert field.get_db_prep_value("5", connection) == 5


def test_a_default_given_as_an_instance_becomes_its_key():
    author = FieldsAuthor(pk=7, name="Ann")
    field = models.ForeignKey(FieldsAuthor, CASCADE, default=author)
    field.remote_field.set_field_name()
    assert field.get_default() == 7


def test_a_key_to_another_field_reads_and_writes_that_field(tables):
    tables(FieldsCountry, FieldsCity)
    france = FieldsCountry.objects.create(code="FR")
    city = FieldsCity.objects.create(name="Lyon", country=france, country_code=france)
    assert (city.country_id, city.country_code_id) == (france.pk, "FR")
    fetched = FieldsCity.objects.get()
    assert (fetched.country_code, fetched.country) == (france, france)
    assert list(france.coded_cities.all()) == [fetched] and list(france.fieldscity_set.all()) == [fetched]


def test_full_clean_checks_that_the_key_names_a_row(tables):
    tables(FieldsCountry, FieldsCity)
    FieldsCountry.objects.create(code="DE")
    with pytest.raises(ValidationError) as error:
        FieldsCity(name="Nowhere", country_id=99).full_clean()
    assert error.value.message_dict == {"country": ["fields country instance with id 99 is not a valid choice."]}
    with pytest.raises(ValidationError) as error:
        FieldsCity(name="Berlin", country_code_id="DE").full_clean()
    assert error.value.message_dict == {
        "country_code": ["fields country instance with code 'DE' is not a valid choice."]
    }, "limit_choices_to (code starts with F) leaves DE out"


def test_path_infos_describe_the_joins():
    author = FieldsBook._meta.get_field("author")
    (hop,) = author.get_path_info()
    assert (hop.from_opts, hop.to_opts, hop.target_fields, hop.join_field, hop.m2m, hop.direct) == (
        FieldsBook._meta, FieldsAuthor._meta, (FieldsAuthor._meta.pk,), author, False, True,
    )  # fmt: skip
    (back,) = author.remote_field.get_path_info()
    assert (back.from_opts, back.to_opts, back.join_field, back.m2m, back.direct) == (
        FieldsAuthor._meta, FieldsBook._meta, author.remote_field, True, False,
    )  # fmt: skip
    tags = FieldsBook._meta.get_field("tags")
    through = tags.remote_field.through._meta
    assert [(hop.from_opts, hop.to_opts, hop.m2m) for hop in tags.path_infos] == [
        (FieldsBook._meta, through, True), (through, FieldsTag._meta, False),
    ]  # fmt: skip
    assert [(hop.from_opts, hop.to_opts) for hop in tags.reverse_path_infos] == [
        (FieldsTag._meta, through), (through, FieldsBook._meta),
    ]  # fmt: skip
    assert (tags.m2m_target_field_name(), tags.m2m_reverse_target_field_name()) == ("id", "id")
    assert tags.target_field is FieldsTag._meta.pk and tags.db_type(connection) is None


def test_many_to_many_field_mistakes():
    with pytest.raises(ValueError, match="^Cannot specify a db_table if an intermediary model is used.$"):
        models.ManyToManyField(FieldsTag, through=FieldsMembership, db_table="x")
    with pytest.raises(ValueError, match="^Cannot specify through_fields without a through model$"):
        models.ManyToManyField(FieldsTag, through_fields=("a", "b"))
    with pytest.raises(TypeError, match="^ManyToManyField"):
        models.ManyToManyField(None)
    with pytest.raises(ValueError) as error:
        make_model_tuple("library.books.Book")
    assert str(error.value) == (
        "Invalid model reference 'library.books.Book'. String model references must be of the form "
        "'app_label.ModelName'."
    )


def test_rel_objects_answer_for_their_field():
    author = FieldsBook._meta.get_field("author")
    rel = author.remote_field
    assert (rel.remote_field, rel.target_field, rel.hidden, rel.get_internal_type()) == (
        author, FieldsBook._meta.pk, False, "ForeignKey",
    )  # fmt: skip
    assert rel.get_lookup("exact") is author.get_lookup("exact") and rel.get_lookups() == author.get_lookups()
    assert rel.get_transform("nope") is None
    assert [hop.to_opts for hop in rel.path_infos] == [FieldsBook._meta]
    assert (author.local_related_fields, author.related_fields) == ((author,), ((author, FieldsAuthor._meta.pk),))
    assert author.get_joining_fields() == ((author, FieldsAuthor._meta.pk),)
    assert [hop.to_opts for hop in author.path_infos] == [FieldsAuthor._meta]
    assert [hop.to_opts for hop in author.reverse_path_infos] == [FieldsBook._meta]
    assert author.get_local_related_value(FieldsBook(author_id=4)) == (4,)
    tags = FieldsBook._meta.get_field("tags")
    assert (tags.get_internal_type(), tags.foreign_related_fields) == ("ManyToManyField", (FieldsTag._meta.pk,))
    assert tags.remote_field.get_related_field() is FieldsTag._meta.pk
    groups = FieldsMember._meta.get_field("groups")
    # Django's choice: with through_fields, the first one's target (the source model's key).
    assert groups.remote_field.get_related_field() is FieldsMember._meta.pk


def test_an_unresolved_relation_says_so():
    field = models.ForeignKey("nowhere.Model", CASCADE)
    assert field.related_model == "nowhere.Model"
    with pytest.raises(ValueError, match="^Related model 'nowhere.Model' cannot be resolved$"):
        field.target_field
    with pytest.raises(models.FieldDoesNotExist, match="^No related field named 'nope'$"):
        models.ForeignKey(FieldsAuthor, CASCADE, to_field="nope").remote_field.get_related_field()


def test_many_to_many_value_from_object(tables):
    tables(FieldsAuthor, FieldsTag, FieldsBook)
    field = FieldsBook._meta.get_field("tags")
    assert field.value_from_object(FieldsBook(title="New")) == []
    book = FieldsBook.objects.create(title="Dune", author=FieldsAuthor.objects.create(name="Ann"))
    red = FieldsTag.objects.create(name="red")
    book.tags.add(red)
    assert field.value_from_object(book) == [red]
