"""Benchmark: migrations, tinyframe against Django, side by side in one run.

Run it by hand (it is not collected as a test)::

    python -m pip install -e '.[bench]'     # Django, to compare with
    python tests/benchmarks/migrations.py

Each contender does the same three jobs, on its own in-memory SQLite database:

- detect: the autodetector's changes from an empty project to an app of 30
  models (6 fields each, a foreign key to the model before): what
  ``makemigrations`` computes for a new app, without writing the file;
- apply: that initial migration applied to an empty database (the state
  rendered into historical models, then 30 CREATE TABLE and their indexes);
- rebuild: a column of a 10,000-row table made nullable and back, two table
  rebuilds (new table, INSERT ... SELECT, drop, rename); the floor is raw
  sqlite3 running the same four statements twice.

It prints the median time of each job, and each contender's ratio to Django
(and, for the rebuild, to raw sqlite3). Chapter 08's issue sets no speed
target: this shows where the time goes and that the design (one INSERT ...
SELECT, state rendered once per migration) keeps tinyframe in Django's range.
"""

import gc
import os
import sqlite3
import statistics
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, ROOT)

MODELS = 30
ROWS = 10_000
REPEAT = 7


def model_states(ModelState, models) -> list:
    """The app ``bench`` as model states: ``Model0`` ... ``Model29``, each pointing at the one before."""
    states = []
    for number in range(MODELS):
        fields = [
            ("id", models.AutoField(primary_key=True)),
            ("title", models.CharField(max_length=100)),
            ("slug", models.SlugField(unique=True)),
            ("pages", models.IntegerField(default=0)),
            ("rating", models.FloatField(null=True)),
            ("published", models.DateTimeField(null=True, db_index=True)),
        ]
        if number:
            fields.append(("previous", models.ForeignKey(f"bench.Model{number - 1}", models.CASCADE)))
        states.append(ModelState("bench", f"Model{number}", fields))
    return states


def jobs(ProjectState, ModelState, MigrationAutodetector, MigrationGraph, MigrationQuestioner, connection, models) -> dict:
    """The three jobs for one framework, given its classes and its connection."""
    to_state = ProjectState()
    for state in model_states(ModelState, models):
        to_state.add_model(state)

    def detect():
        questioner = MigrationQuestioner(defaults={"ask_initial": True})  # the app is not installed: ask
        return MigrationAutodetector(ProjectState(), to_state.clone(), questioner).changes(graph=MigrationGraph())

    [migration] = detect()["bench"]

    def drop_bench_tables():
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA foreign_keys = OFF")
            cursor.execute("SELECT name FROM sqlite_master WHERE type = 'table' AND name LIKE 'bench_%'")
            for (name,) in cursor.fetchall():
                cursor.execute(f'DROP TABLE "{name}"')
            cursor.execute("PRAGMA foreign_keys = ON")

    def apply():
        with connection.schema_editor() as editor:
            migration.apply(ProjectState(), editor)

    book_state = ProjectState()
    book_state.add_model(ModelState("bench", "Book", [
        ("id", models.AutoField(primary_key=True)), ("title", models.CharField(max_length=100)),
    ]))
    nullable_state = book_state.clone()
    nullable_state.models["bench", "book"].fields["title"] = models.CharField(max_length=100, null=True)
    nullable_state.reload_model("bench", "book")

    def make_books():
        drop_bench_tables()
        Book = book_state.apps.get_model("bench", "Book")
        with connection.schema_editor() as editor:
            editor.create_model(Book)
        with connection.cursor() as cursor:
            cursor.executemany('INSERT INTO "bench_book" ("title") VALUES (%s)', [(f"Book {n}",) for n in range(ROWS)])

    def rebuild():
        Book = book_state.apps.get_model("bench", "Book")
        NullableBook = nullable_state.apps.get_model("bench", "Book")
        with connection.schema_editor() as editor:
            editor.alter_field(NullableBook, Book._meta.get_field("title"), NullableBook._meta.get_field("title"))
        with connection.schema_editor() as editor:
            editor.alter_field(Book, NullableBook._meta.get_field("title"), Book._meta.get_field("title"))

    return {"detect": (None, detect), "apply": (drop_bench_tables, apply), "rebuild": (make_books, rebuild)}


def tinyframe_jobs() -> dict:
    import tinyframe
    from tinyframe.conf import settings

    if not settings.configured:
        settings.configure(DATABASES={"default": {"ENGINE": "tinyframe.db.backends.sqlite3", "NAME": ":memory:"}})
    tinyframe.setup()
    from tinyframe.db import connection, models
    from tinyframe.db.migrations.autodetector import MigrationAutodetector
    from tinyframe.db.migrations.graph import MigrationGraph
    from tinyframe.db.migrations.questioner import MigrationQuestioner
    from tinyframe.db.migrations.state import ModelState, ProjectState

    return jobs(ProjectState, ModelState, MigrationAutodetector, MigrationGraph, MigrationQuestioner, connection, models)


def django_jobs() -> dict | None:
    try:
        import django
        from django.conf import settings
    except ImportError:
        return None
    if not settings.configured:
        settings.configure(DATABASES={"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": ":memory:"}})
    django.setup()
    from django.db import connection, models
    from django.db.migrations.autodetector import MigrationAutodetector
    from django.db.migrations.graph import MigrationGraph
    from django.db.migrations.questioner import MigrationQuestioner
    from django.db.migrations.state import ModelState, ProjectState

    return jobs(ProjectState, ModelState, MigrationAutodetector, MigrationGraph, MigrationQuestioner, connection, models)


def raw_rebuild_jobs() -> dict:
    """The rebuild's floor: the four statements, twice, with sqlite3 alone."""
    db = sqlite3.connect(":memory:", isolation_level=None)

    def make_books():
        db.execute("DROP TABLE IF EXISTS book")
        db.execute("CREATE TABLE book (id integer NOT NULL PRIMARY KEY AUTOINCREMENT, title varchar(100) NOT NULL)")
        db.executemany("INSERT INTO book (title) VALUES (?)", [(f"Book {n}",) for n in range(ROWS)])

    def rebuild():
        for null in ("NULL", "NOT NULL"):
            db.execute("BEGIN")
            db.execute(f"CREATE TABLE new__book (id integer NOT NULL PRIMARY KEY AUTOINCREMENT, title varchar(100) {null})")
            db.execute("INSERT INTO new__book (id, title) SELECT id, title FROM book")
            db.execute("DROP TABLE book")
            db.execute("ALTER TABLE new__book RENAME TO book")
            db.execute("COMMIT")

    return {"rebuild": (make_books, rebuild)}


def median_time(setup, run) -> float:
    """The median of REPEAT timed runs, each after its own untimed setup."""
    times = []
    for _ in range(REPEAT):
        if setup:
            setup()
        start = time.perf_counter()
        run()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    contenders = {"sqlite3": raw_rebuild_jobs(), "tinyframe": tinyframe_jobs()}
    django = django_jobs()
    if django:
        contenders["Django"] = django
    gc.collect()
    gc.freeze()  # the three frameworks' module objects stay out of the collector's sweeps
    results = {name: {job: median_time(*pair) for job, pair in contender.items()} for name, contender in contenders.items()}
    print(f"median of {REPEAT}; ratios to Django (and to raw sqlite3 for the rebuild)\n")
    print(f"{'job':<10}{'tinyframe':>12}{'Django':>12}{'tf/Django':>11}{'tf/sqlite3':>12}{'Dj/sqlite3':>12}")
    for job in ("detect", "apply", "rebuild"):
        tf = results["tinyframe"][job]
        dj = results.get("Django", {}).get(job)
        floor = results["sqlite3"].get(job)
        cells = [f"{tf * 1000:9.1f} ms", f"{dj * 1000:9.1f} ms" if dj else "-", f"{tf / dj:9.2f}x" if dj else "-",
                 f"{tf / floor:10.2f}x" if floor else "-", f"{dj / floor:10.2f}x" if floor and dj else "-"]
        print(f"{job:<10}" + "".join(f"{cell:>12}" for cell in cells))


if __name__ == "__main__":
    main()
