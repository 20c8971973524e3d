"""Benchmark: the ORM against raw sqlite3, Django's ORM and peewee, side by side in one run.

Run it by hand (it is not collected as a test)::

    python -m pip install -e '.[bench]'     # Django and peewee, to compare with
    python tests/benchmarks/orm.py          # --quick for a fast, rougher run; --cpu for CPU time

Each contender gets its own in-memory SQLite database with the same tables
(a book: title, pages, rating; an author: name; a novel: a book with an
author) and does the same six jobs:

- insert: build 10,000 book objects and insert them in bulk (raw sqlite3:
  ``executemany`` of tuples, inside one transaction);
- fetch: read all 10,000 rows as objects (raw sqlite3: as tuples);
- filtered: ``pages >= n ORDER BY pages LIMIT 100``, 200 times with a
  different ``n`` (``pages`` has an index, so SQLite's part is small);
- get: one row by primary key, 2,000 times;
- select_related: fetch 1,000 novels with their authors (100 of them) in one
  query, a JOIN, and read each novel's author (peewee: ``join``; raw
  sqlite3: the same JOIN, as tuples);
- prefetch_related: the same novels and authors in two queries, the second
  fetching the authors of the first's rows (peewee: ``prefetch``; raw
  sqlite3: the JOIN again, the floor of both relation jobs).

Each relation job runs ten times a timing (``RELATION_RUNS``): once takes
under a millisecond, short enough for one collection of the garbage
collector, early or late, to move its median by a tenth.

It prints the median time of each job and its ratio to raw sqlite3 (the
floor): wall-clock time (``time.perf_counter``), or with ``--cpu`` the
process's CPU time (``time.process_time``), which a busy machine disturbs
less (other programs' turns on the CPU are not counted). The targets (chapter 06): at most 2x raw sqlite3 for insert and
fetch, 3x for the filtered query, 5x for get; (chapter 07) at most 3x for
the two relation jobs, and ahead of Django and peewee. A contender without
relations (the framework as it stands after chapter 06) shows ``-`` there.
"""

import gc
import os
import sqlite3
import statistics
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, ROOT)

ROWS = 10_000
FILTERED_RUNS = 200
GETS = 2_000
NOVELS = 1_000
RELATION_RUNS = 10
AUTHORS = 100


def book_values(number: int) -> tuple:
    """The title, pages and rating of book ``number``: the same data for every contender."""
    return (f"Book {number}", 50 + (number * 37) % 900, (number % 50) / 10)


def novel_values(number: int) -> tuple:
    """The title, pages, rating and author number (1 to AUTHORS) of novel ``number``."""
    return (*book_values(number), 1 + number % AUTHORS)


# --- the contenders: each returns {job: (setup, run)} ------------------------------


def raw_sqlite3() -> dict:
    """The floor: sqlite3 and tuples, no objects."""
    db = sqlite3.connect(":memory:", isolation_level=None)
    db.execute("CREATE TABLE book (id integer PRIMARY KEY AUTOINCREMENT, title varchar(100), pages integer, rating real)")
    db.execute("CREATE INDEX book_pages ON book (pages)")

    def clear():
        db.execute("DELETE FROM book")

    def insert():
        db.execute("BEGIN")
        db.executemany("INSERT INTO book (title, pages, rating) VALUES (?, ?, ?)", [book_values(n) for n in range(ROWS)])
        db.execute("COMMIT")

    def fetch():
        return db.execute("SELECT id, title, pages, rating FROM book").fetchall()

    def filtered():
        for n in range(FILTERED_RUNS):
            db.execute("SELECT id, title, pages, rating FROM book WHERE pages >= ? ORDER BY pages ASC LIMIT ?", (n * 4, 100)).fetchall()

    def get():
        # The keys that exist now: each insert run deleted the rows before it, and AUTOINCREMENT
        # never gives a key twice, so the first key moves on (a missing row is cheaper to "find").
        first = db.execute("SELECT id FROM book ORDER BY id ASC LIMIT 1").fetchone()[0]
        for pk in range(first, first + GETS):
            db.execute("SELECT id, title, pages, rating FROM book WHERE id = ? LIMIT 21", (pk,)).fetchall()

    db.execute("CREATE TABLE author (id integer PRIMARY KEY AUTOINCREMENT, name varchar(100))")
    db.execute(
        "CREATE TABLE novel (id integer PRIMARY KEY AUTOINCREMENT, title varchar(100), pages integer, rating real, "
        "author_id integer NOT NULL REFERENCES author (id))"
    )
    db.execute("CREATE INDEX novel_author_id ON novel (author_id)")
    db.executemany("INSERT INTO author (name) VALUES (?)", [(f"Author {n}",) for n in range(1, AUTHORS + 1)])
    db.executemany("INSERT INTO novel (title, pages, rating, author_id) VALUES (?, ?, ?, ?)", map(novel_values, range(NOVELS)))

    def novels_with_authors():
        return db.execute(
            "SELECT novel.id, novel.title, novel.pages, novel.rating, novel.author_id, author.id, author.name "
            "FROM novel INNER JOIN author ON (novel.author_id = author.id)"
        ).fetchall()

    return {
        "insert": (clear, insert), "fetch": (fill(clear, insert), fetch), "filtered": (None, filtered), "get": (None, get),
        "select_related": (None, novels_with_authors), "prefetch_related": (None, novels_with_authors),
    }  # fmt: skip


def fill(clear, insert):
    """A setup that leaves the table holding exactly the benchmark's rows (once)."""
    done = []

    def setup():
        if not done:
            clear()
            insert()
            done.append(True)

    return setup


def book_model(models, name: str):
    """The benchmark's book as a model of ``models`` (tinyframe's or Django's: the same declaration)."""

    class Meta:
        app_label = "bench"

    fields = {
        "title": models.CharField(max_length=100),
        "pages": models.IntegerField(db_index=True),
        "rating": models.FloatField(),
    }
    return type(name, (models.Model,), {"__module__": __name__, "Meta": Meta, **fields})


def novel_models(models, prefix: str) -> tuple:
    """``(Author, Novel)``: an author, and a book with a foreign key to one (tinyframe's or Django's)."""

    class Meta:
        app_label = "bench"

    author = type(f"{prefix}Author", (models.Model,), {
        "__module__": __name__, "Meta": Meta, "name": models.CharField(max_length=100),
    })  # fmt: skip
    novel = type(f"{prefix}Novel", (models.Model,), {
        "__module__": __name__, "Meta": Meta,
        "title": models.CharField(max_length=100), "pages": models.IntegerField(), "rating": models.FloatField(),
        "author": models.ForeignKey(author, on_delete=models.CASCADE),
    })  # fmt: skip
    return author, novel


def django_style_relation_jobs(Author, Novel) -> dict:
    """The two relation jobs in Django's API; the authors and novels are inserted first, once."""
    Author.objects.bulk_create([Author(name=f"Author {n}") for n in range(1, AUTHORS + 1)])
    first = Author.objects.order_by("pk").first().pk
    Novel.objects.bulk_create(
        [Novel(title=t, pages=p, rating=r, author_id=first + a - 1) for t, p, r, a in map(novel_values, range(NOVELS))]
    )

    def select_related():
        novels = list(Novel.objects.select_related("author"))
        return [(novel, novel.author) for novel in novels]

    def prefetch_related():
        novels = list(Novel.objects.prefetch_related("author"))
        return [(novel, novel.author) for novel in novels]

    return {"select_related": (None, select_related), "prefetch_related": (None, prefetch_related)}


def django_style_jobs(Book) -> dict:
    """The four jobs in Django's QuerySet API, which tinyframe shares: the same code times both ORMs."""

    def clear():
        Book.objects.all().delete()

    def insert():
        Book.objects.bulk_create([Book(title=t, pages=p, rating=r) for t, p, r in map(book_values, range(ROWS))])

    def fetch():
        return list(Book.objects.all())

    def filtered():
        for n in range(FILTERED_RUNS):
            list(Book.objects.filter(pages__gte=n * 4).order_by("pages")[:100])

    def get():
        first = Book.objects.order_by("pk").first().pk
        for pk in range(first, first + GETS):
            Book.objects.get(pk=pk)

    return {"insert": (clear, insert), "fetch": (fill(clear, insert), fetch), "filtered": (None, filtered), "get": (None, get)}


def tinyframe_orm() -> dict:
    from tinyframe.conf import settings

    if not settings.configured:
        settings.configure(DATABASES={"default": {"ENGINE": "tinyframe.db.backends.sqlite3", "NAME": ":memory:"}}, USE_TZ=True)
    import tinyframe

    tinyframe.setup()
    from tinyframe.db import connection, models

    Book = book_model(models, "Book")
    with connection.schema_editor() as editor:
        editor.create_model(Book)
    jobs = django_style_jobs(Book)
    if hasattr(models, "ForeignKey"):  # chapter 07's relations are there
        Author, Novel = novel_models(models, "")
        with connection.schema_editor() as editor:
            editor.create_model(Author)
            editor.create_model(Novel)
        jobs.update(django_style_relation_jobs(Author, Novel))
    return jobs


def django_orm() -> dict:
    import django
    from django.conf import settings

    if not settings.configured:
        settings.configure(
            DATABASES={"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": ":memory:"}},
            INSTALLED_APPS=[], USE_TZ=True, DEFAULT_AUTO_FIELD="django.db.models.AutoField",
        )  # fmt: skip
        django.setup()
    from django.db import connection, models

    DjangoBook = book_model(models, "DjangoBook")
    DjangoAuthor, DjangoNovel = novel_models(models, "Django")
    with connection.schema_editor() as editor:
        editor.create_model(DjangoBook)
        editor.create_model(DjangoAuthor)
        editor.create_model(DjangoNovel)

    return {**django_style_jobs(DjangoBook), **django_style_relation_jobs(DjangoAuthor, DjangoNovel)}


def peewee_orm() -> dict:
    import peewee

    database = peewee.SqliteDatabase(":memory:")

    class PeeweeBook(peewee.Model):
        title = peewee.CharField(max_length=100)
        pages = peewee.IntegerField(index=True)
        rating = peewee.FloatField()

        class Meta:
            database = None

    class PeeweeAuthor(peewee.Model):
        name = peewee.CharField(max_length=100)

    class PeeweeNovel(peewee.Model):
        title = peewee.CharField(max_length=100)
        pages = peewee.IntegerField()
        rating = peewee.FloatField()
        author = peewee.ForeignKeyField(PeeweeAuthor, backref="novels")

    for model in (PeeweeBook, PeeweeAuthor, PeeweeNovel):
        model._meta.set_database(database)
    database.create_tables([PeeweeBook, PeeweeAuthor, PeeweeNovel])
    with database.atomic():
        PeeweeAuthor.bulk_create([PeeweeAuthor(name=f"Author {n}") for n in range(1, AUTHORS + 1)])
        PeeweeNovel.bulk_create(
            [PeeweeNovel(title=t, pages=p, rating=r, author=a) for t, p, r, a in map(novel_values, range(NOVELS))],
            batch_size=200,
        )

    def clear():
        PeeweeBook.delete().execute()

    def insert():
        books = [PeeweeBook(title=t, pages=p, rating=r) for t, p, r in map(book_values, range(ROWS))]
        with database.atomic():
            PeeweeBook.bulk_create(books, batch_size=300)

    def fetch():
        return list(PeeweeBook.select())

    def filtered():
        for n in range(FILTERED_RUNS):
            list(PeeweeBook.select().where(PeeweeBook.pages >= n * 4).order_by(PeeweeBook.pages).limit(100))

    def get():
        first = PeeweeBook.select().order_by(PeeweeBook.id).first().id
        for pk in range(first, first + GETS):
            PeeweeBook.get_by_id(pk)

    def select_related():
        novels = list(PeeweeNovel.select(PeeweeNovel, PeeweeAuthor).join(PeeweeAuthor))
        return [(novel, novel.author) for novel in novels]

    def prefetch_related():
        novels = list(peewee.prefetch(PeeweeNovel.select(), PeeweeAuthor.select()))
        return [(novel, novel.author) for novel in novels]

    return {
        "insert": (clear, insert), "fetch": (fill(clear, insert), fetch), "filtered": (None, filtered), "get": (None, get),
        "select_related": (None, select_related), "prefetch_related": (None, prefetch_related),
    }  # fmt: skip


# --- measuring ---------------------------------------------------------------------


def measure(contenders: dict, repeat: int, clock=time.perf_counter) -> dict:
    """``{job: {name: median seconds}}``; the contenders take turns, run by run, so a slow moment slows all.

    First ``gc.freeze()`` sets aside every object made so far: the modules
    of three ORMs and their tables. Without it, the garbage collector's full
    collections walk all of them, at moments that fall in one contender's run
    or another's by chance, and the fetch's ratio wandered between 2.0x and
    5.0x from one run of this script to the next. What each run makes is
    still collected, during the run, as in any program.
    """
    gc.freeze()
    times = {job: {name: [] for name in contenders if job in contenders[name]} for job in TARGETS}
    for job in TARGETS:
        for _ in range(repeat):
            for name, contender in contenders.items():
                if job not in contender:
                    continue
                setup, run = contender[job]
                if setup is not None:
                    setup()
                runs = RELATION_RUNS if job in ("select_related", "prefetch_related") else 1
                start = clock()
                for _ in range(runs):
                    run()
                times[job][name].append(clock() - start)
    return {job: {name: statistics.median(runs) for name, runs in by_name.items()} for job, by_name in times.items()}


TARGETS = {"insert": 2.0, "fetch": 2.0, "filtered": 3.0, "get": 5.0, "select_related": 3.0, "prefetch_related": 3.0}


def main() -> None:
    quick = "--quick" in sys.argv
    contenders = {"raw sqlite3": raw_sqlite3()}
    for name, factory in (("tinyframe", tinyframe_orm), ("Django", django_orm), ("peewee", peewee_orm)):
        try:
            contenders[name] = factory()
        except ImportError:
            print(f"({name} is not installed: skipped. python -m pip install -e '.[bench]')")
    cpu = "--cpu" in sys.argv
    results = measure(contenders, repeat=3 if quick else 7, clock=time.process_time if cpu else time.perf_counter)
    clock = "CPU time (process_time)" if cpu else "wall-clock time"
    print(f"sqlite {sqlite3.sqlite_version}; {ROWS:,} rows; medians of {'3' if quick else '7'} runs, {clock}\n")
    header = f"{'job':<18}" + "".join(f"{name:>16}" for name in contenders) + f"{'target':>10}"
    print(header)
    for job, by_name in results.items():
        floor = by_name["raw sqlite3"]
        cells = "".join(
            f"{by_name[name] * 1e3:>9.1f}ms {by_name[name] / floor:>4.1f}x" if name in by_name else f"{'-':>16}"
            for name in contenders
        )
        print(f"{job:<18}{cells}{'<= ' + format(TARGETS[job], '.0f') + 'x':>10}")
    if "Django" in contenders:
        print()
        for job, by_name in results.items():
            if "tinyframe" in by_name:
                print(f"{job}: tinyframe takes {by_name['tinyframe'] / by_name['Django']:.2f}x Django's time")


if __name__ == "__main__":
    start = time.perf_counter()
    main()
    print(f"({time.perf_counter() - start:.1f}s)")
