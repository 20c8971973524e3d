"""The record of which migrations a database has: the ``tinyframe_migrations`` table.

How it works: one row per applied migration (``app``, ``name``, and when it
was ``applied``). ``record_applied`` adds the row as a migration is applied,
``record_unapplied`` deletes it as the migration is undone, so a row always
means "applied". ``applied_migrations()`` reads them back as a dict keyed by
``(app, name)``, which the loader compares with the files on disk.

The table cannot be made by a migration (it is where migrations are
recorded), so ``ensure_schema`` creates it directly with the schema editor
the first time something is recorded. It is read and written through an
ordinary model, ``MigrationRecorder.Migration``, that lives in a registry of
its own, so it is not one of the project's models.
"""

from tinyframe.db.migrations.exceptions import MigrationSchemaMissing

__all__ = ["MigrationRecorder"]


class classproperty:
    """A property of the class itself: ``MigrationRecorder.Migration`` without an instance."""

    def __init__(self, method):
        self.fget = method

    def __get__(self, instance, cls=None):
        return self.fget(cls)


class MigrationRecorder:
    """Reads and writes the rows of ``tinyframe_migrations`` on one connection."""

    _migration_class = None

    @classproperty
    def Migration(cls):
        """The model of the table, made on first use: models need the app registry ready."""
        if cls._migration_class is None:
            from tinyframe.apps.registry import Apps
            from tinyframe.db import models
            from tinyframe.utils.timezone import now

            class Migration(models.Model):
                app = models.CharField(max_length=255)
                name = models.CharField(max_length=255)
                applied = models.DateTimeField(default=now)

                class Meta:
                    apps = Apps()
                    app_label = "migrations"
                    db_table = "tinyframe_migrations"

                def __str__(self):
                    return f"Migration {self.name} for {self.app}"

            cls._migration_class = Migration
        return cls._migration_class

    def __init__(self, connection):
        self.connection = connection
        self._has_table = False

    @property
    def migration_qs(self):
        """The table's rows, on this recorder's database."""
        return self.Migration.objects.using(self.connection.alias)

    def has_table(self) -> bool:
        """Whether ``tinyframe_migrations`` exists (once seen, it is not looked for again)."""
        if not self._has_table:
            self._has_table = self.Migration._meta.db_table in self.connection.introspection.table_names()
        return self._has_table

    def ensure_schema(self) -> None:
        """Create the table if the database does not have it yet."""
        if self.has_table():
            return
        from tinyframe.db import DatabaseError

        try:
            with self.connection.schema_editor() as editor:
                editor.create_model(self.Migration)
        except DatabaseError as error:
            raise MigrationSchemaMissing(f"Unable to create the tinyframe_migrations table ({error})") from error
        self._has_table = True

    def applied_migrations(self) -> dict:
        """``{(app_label, migration_name): row}`` for every applied migration; empty if there is no table yet."""
        if not self.has_table():
            return {}
        return {(row.app, row.name): row for row in self.migration_qs.order_by("id")}

    def record_applied(self, app: str, name: str) -> None:
        """Note that migration ``name`` of ``app`` is applied."""
        self.ensure_schema()
        self.migration_qs.create(app=app, name=name)

    def record_unapplied(self, app: str, name: str) -> None:
        """Note that migration ``name`` of ``app`` is no longer applied."""
        self.ensure_schema()
        self.migration_qs.filter(app=app, name=name).delete()

    def flush(self) -> None:
        """Forget every applied migration (tests use it)."""
        self.migration_qs.all().delete()
