"""The recorder: the ``tinyframe_migrations`` table, one row per applied migration."""

import datetime

import pytest

from tinyframe.apps import apps
from tinyframe.db import connection
from tinyframe.db.migrations.exceptions import MigrationSchemaMissing
from tinyframe.db.migrations.recorder import MigrationRecorder


@pytest.fixture
def recorder(project):
    """A recorder on the test database; the project fixture drops the table afterwards."""
    return MigrationRecorder(connection)


def columns() -> list[tuple[str, str, int]]:
    with connection.cursor() as cursor:
        cursor.execute('PRAGMA table_info("tinyframe_migrations")')
        return [(row[1], row[2], row[3]) for row in cursor.fetchall()]


def test_nothing_is_applied_and_no_table_is_made_until_something_is_recorded(recorder):
    assert recorder.applied_migrations() == {}
    assert recorder.has_table() is False
    assert columns() == []


def test_ensure_schema_creates_djangos_table_once(recorder):
    recorder.ensure_schema()
    recorder.ensure_schema()

    assert columns() == [
        ("id", "INTEGER", 1), ("app", "varchar(255)", 1), ("name", "varchar(255)", 1), ("applied", "datetime", 1),
    ]
    assert recorder.has_table()


def test_record_applied_and_unapplied(recorder):
    recorder.record_applied("blog", "0001_initial")
    recorder.record_applied("shop", "0001_initial")
    recorder.record_applied("blog", "0002_post_slug")

    applied = recorder.applied_migrations()

    assert list(applied) == [("blog", "0001_initial"), ("shop", "0001_initial"), ("blog", "0002_post_slug")]
    row = applied[("blog", "0001_initial")]
    assert str(row) == "Migration 0001_initial for blog"
    assert isinstance(row.applied, datetime.datetime)
    recorder.record_unapplied("blog", "0001_initial")
    assert list(recorder.applied_migrations()) == [("shop", "0001_initial"), ("blog", "0002_post_slug")]
    recorder.flush()
    assert recorder.applied_migrations() == {}


def test_unapplying_first_creates_the_table(recorder):
    recorder.record_unapplied("blog", "0001_initial")

    assert recorder.applied_migrations() == {} and recorder.has_table()


def test_the_recorders_model_is_not_one_of_the_projects_models(recorder):
    model = MigrationRecorder.Migration

    assert model is MigrationRecorder.Migration, "made once"
    assert model._meta.db_table == "tinyframe_migrations"
    assert model not in apps.get_models() and "migrations" not in apps.all_models


def test_a_table_that_cannot_be_created_is_migration_schema_missing(recorder, monkeypatch):
    from tinyframe.db import DatabaseError

    def refuse(self, model):
        raise DatabaseError("attempt to write a readonly database")

    monkeypatch.setattr(type(connection.schema_editor()), "create_model", refuse)

    with pytest.raises(MigrationSchemaMissing) as error:
        recorder.ensure_schema()

    assert str(error.value) == "Unable to create the tinyframe_migrations table (attempt to write a readonly database)"
