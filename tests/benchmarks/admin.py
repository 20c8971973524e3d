"""Benchmark: the admin's changelist of 100 posts, by tinyframe, Django and by hand, side by side in one run.

Run it by hand (it is not collected as a test)::

    python -m pip install -e '.[bench]'     # Django, to compare with
    python tests/benchmarks/admin.py        # --quick for a fast, rougher run
    python tests/benchmarks/admin.py --profile   # where tinyframe's time goes, by file and function

Each framework gets its own in-memory SQLite database with the same tables
(an author: name; a post: title, slug, body, published, an author), the same
10 authors and 100 posts, a superuser signed in through its test client, and
the same ``ModelAdmin`` for posts, declared once in Django's spelling (which
is tinyframe's)::

    list_display = ("title", "author", "published", "word_count")   # word_count: a callable column
    list_filter = ("published", "author")    # the date filter and a relation
    search_fields = ("title", "author__name")
    list_select_related = ("author",)        # one query for the page's posts and their authors

Two jobs, each one ``client.get`` through the whole stack (middleware,
session, user, URL resolution, the changelist's queries, the templates):

- search: ``/admin/bench/post/?q=post``, every post matches: a page of 100
  rows, the filters' sidebar, the search box and the counts;
- search and filter: the same search with one author chosen in the sidebar
  (``author__id__exact``): 10 rows.

Before timing, the script checks that they agree: status 200, the same posts
linked from the rows (their change pages), every title shown escaped and
every word count in its column. The floor is written by hand: the same
queries through ``sqlite3`` and an HTML table built with f-strings and
``html.escape`` (no session, no user, no middleware): what any framework
must at least do.

It prints the median CPU time of each job and its ratio to the floor and to
Django. The target (issue 16) is for the first job, the issue's page of 100
rows with a filter sidebar, a search and a callable column: at most 1/5 of
Django's time. The second job has no target: its 10 rows cost little, so
what it measures is the fixed cost of a request (session, user, templates,
test client), where tinyframe takes about a third of Django's time.

What makes tinyframe's page fast is where the work is done: once a page,
not once a row. ``results()`` makes one ``RowLayout`` (admin_list.py) with
what every row shares: each column's cells (``ColumnCells``: a
``PreparedHTML`` per class, with or without ``nowrap``, its string split at
its hole once), which column links and the link itself (a ``PreparedHTML``
too, split at the holes of its URL and text), the preserved filters' query string of the change links;
``ChangeList.url_for_result`` reverses the change URL once, around a
placeholder key, and puts each row's quoted key in it. A row then only
reads its values (``lookup_field``), formats them and escapes them into
its cells: what ``format_html`` would make, without reading a format string
for every cell. The action checkbox is one ``PreparedHTML`` too,
not the ``CheckboxInput`` widget's two templates; a
row's ``{% if result.form %}`` reads the attribute at once (``ResultList``
is declared an indexed type, as forms' ``BoundField``), and names that are
no field (a method column, the ``icontains`` at the end of a search path)
are checked in the field maps (``utils.has_field``), never through ``get_field``'s
difflib "Did you mean". The sidebar's and the headers' links encode the
page's parameters once (``ChangeList._encoded_params``), each link only its
new ones. The templates write their symbols as character references
(``&rsaquo;``) and CSS escapes, so a page of ASCII data is an ASCII str,
joined and encoded for the response by copying (admin/base.html says why).
Around the page, the test client keeps the database connection
open between requests, as Django's does, and ``each_context``'s
``available_apps`` (the app list, which no tinyframe template shows) is
lazy, built only if a template reads it.
"""

import datetime
import html
import importlib.machinery
import os
import re
import sqlite3
import sys
import tempfile
import time
import types

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, ROOT)

from measuring import median_seconds, print_profile  # noqa: E402  (this directory, beside the script)

AUTHORS = 10
POSTS = 100
SEARCH = "post"
CHANGELIST = "/admin/bench/post/"
# {job: (its URL, the author chosen in the sidebar or None)}: authors' ids are 1 to AUTHORS in every database.
JOBS = {
    "search": (f"{CHANGELIST}?q={SEARCH}", None),
    "search and filter": (f"{CHANGELIST}?author__id__exact=3&q={SEARCH}", 3),
}
# The job issue 16's target is for: 100 rows, the filter sidebar, the search and the callable column.
TARGET_JOB = "search"


# --- the data: the same for every contender ---------------------------------------------------


def author_values(number: int) -> tuple:
    """Author ``number`` (1 to AUTHORS): ``(name,)``, some with characters to escape."""
    return (f"Author {number} & <Co>" if number % 3 == 0 else f"Author {number}",)


def post_values(number: int) -> tuple:
    """Post ``number`` (1 to POSTS): ``(title, slug, body, published, author number)``."""
    title = f"Post {number}: tips & <tricks>" if number % 4 == 0 else f"Post {number}"
    body = " ".join(f"word{index}" for index in range(20 + number % 30))
    published = datetime.datetime(2026, 1 + number % 12, 1 + number % 28, 9, 0, tzinfo=datetime.timezone.utc)
    return title, f"post-{number}", body, published, 1 + number % AUTHORS


def word_count(body: str) -> int:
    """The callable column's value: how many words a post's body has."""
    return len(body.split())


# --- the project: one declaration for both frameworks -----------------------------------------


def bench_app(directory: str) -> types.ModuleType:
    """The ``bench`` app's package, made in memory (its folder, for the app registry, an empty one)."""
    module = sys.modules.get("bench")
    if module is None:
        module = types.ModuleType("bench")
        module.__file__ = os.path.join(directory, "__init__.py")
        module.__spec__ = importlib.machinery.ModuleSpec("bench", None, origin=module.__file__)
        sys.modules["bench"] = module
    return module


def declare_models(models) -> tuple:
    """``(Author, Post)`` in ``models``' spelling (tinyframe's or Django's: the same declaration)."""

    class Meta:
        app_label = "bench"

    class PostMeta(Meta):
        ordering = ["-published"]

    author = type("Author", (models.Model,), {
        "__module__": "bench.models", "Meta": Meta, "name": models.CharField(max_length=100),
        "__str__": lambda self: self.name,
    })  # fmt: skip
    post = type("Post", (models.Model,), {
        "__module__": "bench.models", "Meta": PostMeta,
        "title": models.CharField(max_length=200), "slug": models.SlugField(unique=True), "body": models.TextField(),
        "published": models.DateTimeField(),
        "author": models.ForeignKey(author, on_delete=models.SET_NULL, null=True, related_name="posts"),
        "__str__": lambda self: self.title,
    })  # fmt: skip
    return author, post


def declare_admin(admin, Post):
    """Register ``Post`` on ``admin.site`` with the benchmark's ModelAdmin; return the site's URLs."""

    class PostAdmin(admin.ModelAdmin):
        list_display = ("title", "author", "published", "word_count")
        list_filter = ("published", "author")
        search_fields = ("title", "author__name")
        list_select_related = ("author",)  # a nullable key: select_related() alone would not join it
        list_per_page = 100

        @admin.display(description="Words")
        def word_count(self, post):
            return word_count(post.body)

    admin.site.register(Post, PostAdmin)
    return admin.site.urls


def fill(Author, Post, User) -> None:
    """The benchmark's rows, and a superuser to sign in as."""
    authors = Author.objects.bulk_create([Author(name=author_values(n)[0]) for n in range(1, AUTHORS + 1)])
    first = Author.objects.order_by("pk").first().pk
    del authors
    Post.objects.bulk_create([
        Post(title=title, slug=slug, body=body, published=published, author_id=first + number - 1)
        for title, slug, body, published, number in map(post_values, range(1, POSTS + 1))
    ])  # fmt: skip
    User.objects.create_superuser("admin", "admin@example.com", "not-a-secret")


def settings_for(prefix: str, directory: str, urlconf: str) -> dict:
    """The settings of the scratch project, in ``prefix``'s module paths (``tinyframe`` or ``django``)."""
    return {
        "DEBUG": False,
        "SECRET_KEY": "benchmark-only",
        "ALLOWED_HOSTS": ["testserver"],
        "DATABASES": {"default": {"ENGINE": f"{prefix}.db.backends.sqlite3", "NAME": ":memory:"}},
        "INSTALLED_APPS": [
            f"{prefix}.contrib.admin",  # autodiscovery finds no admin module in "bench": the script registers
            f"{prefix}.contrib.auth",
            *([f"{prefix}.contrib.contenttypes"] if prefix == "django" else []),
            f"{prefix}.contrib.sessions",
            f"{prefix}.contrib.messages",
            "bench",
        ],
        "MIDDLEWARE": [
            f"{prefix}.contrib.sessions.middleware.SessionMiddleware",
            f"{prefix}.middleware.common.CommonMiddleware",
            f"{prefix}.middleware.csrf.CsrfViewMiddleware",
            f"{prefix}.contrib.auth.middleware.AuthenticationMiddleware",
            f"{prefix}.contrib.messages.middleware.MessageMiddleware",
        ],
        "ROOT_URLCONF": urlconf,
        "TEMPLATES": [{
            "BACKEND": f"{prefix}.template.backends.django.DjangoTemplates",
            "DIRS": [],
            "APP_DIRS": True,
            "OPTIONS": {"context_processors": [
                f"{prefix}.template.context_processors.request",
                f"{prefix}.contrib.auth.context_processors.auth",
                f"{prefix}.contrib.messages.context_processors.messages",
            ]},
        }],  # fmt: skip
        "PASSWORD_HASHERS": [f"{prefix}.contrib.auth.hashers.MD5PasswordHasher"],
        "USE_TZ": True,
        "TIME_ZONE": "UTC",
        "DEFAULT_AUTO_FIELD": f"{prefix}.db.models.AutoField",
    }


def urlconf_module(name: str) -> types.ModuleType:
    """An empty URLconf module ``name`` in ``sys.modules``; its ``urlpatterns`` are set once the admin is built."""
    module = types.ModuleType(name)
    module.urlpatterns = []
    sys.modules[name] = module
    return module


def contender(prefix: str, directory: str):
    """A signed-in test client of ``prefix``'s framework over the benchmark's project: ``get(url)``."""
    urls = urlconf_module(f"bench_{prefix}_urls")
    bench_app(directory)
    if prefix == "django":
        import django
        from django.conf import settings

        settings.configure(**settings_for(prefix, directory, urls.__name__), USE_I18N=False)
        django.setup()
        from django.contrib import admin
        from django.contrib.auth.models import User
        from django.core.management import call_command
        from django.db import connection, models
        from django.test import Client
        from django.urls import path
    else:
        import tinyframe
        from tinyframe.conf import settings

        settings.configure(**settings_for(prefix, directory, urls.__name__))
        tinyframe.setup()
        from tinyframe.contrib import admin
        from tinyframe.contrib.auth.models import User
        from tinyframe.core.management import call_command
        from tinyframe.db import connection, models
        from tinyframe.test import Client
        from tinyframe.urls import path

    Author, Post = declare_models(models)
    urls.urlpatterns = [path("admin/", declare_admin(admin, Post))]
    call_command("migrate", verbosity=0)  # the contrib apps' tables
    with connection.schema_editor() as editor:
        editor.create_model(Author)
        editor.create_model(Post)
    fill(Author, Post, User)
    client = Client()
    client.force_login(User.objects.get(username="admin"))
    return lambda url: client.get(url)


# --- the floor: the same page's data and HTML, by hand ------------------------------------------


def by_hand():
    """The changelist's queries through sqlite3 and its table by f-strings: ``get(url)`` returning a page."""
    db = sqlite3.connect(":memory:", isolation_level=None)
    db.execute("CREATE TABLE author (id integer PRIMARY KEY AUTOINCREMENT, name varchar(100))")
    db.execute("CREATE TABLE post (id integer PRIMARY KEY AUTOINCREMENT, title varchar(200), slug varchar(50) UNIQUE,"
               " body text, published datetime, author_id integer REFERENCES author (id))")
    db.executemany("INSERT INTO author (name) VALUES (?)", [author_values(n) for n in range(1, AUTHORS + 1)])
    db.executemany("INSERT INTO post (title, slug, body, published, author_id) VALUES (?, ?, ?, ?, ?)",
                   [(t, s, b, p.strftime("%Y-%m-%d %H:%M:%S"), a) for t, s, b, p, a in
                    map(post_values, range(1, POSTS + 1))])

    def get(url: str):
        query = dict(part.split("=", 1) for part in url.partition("?")[2].split("&") if part)
        term = f"%{query.get('q', '')}%"
        where, params = "(post.title LIKE ? ESCAPE '\\' OR author.name LIKE ? ESCAPE '\\')", [term, term]
        if "author__id__exact" in query:
            where += " AND post.author_id = ?"
            params.append(int(query["author__id__exact"]))
        joined = "FROM post LEFT JOIN author ON author.id = post.author_id WHERE "
        count = db.execute(f"SELECT COUNT(*) {joined}{where}", params).fetchone()[0]
        total = db.execute("SELECT COUNT(*) FROM post").fetchone()[0]
        rows = db.execute(f"SELECT post.id, post.title, post.body, post.published, author.name {joined}{where} "
                          f"ORDER BY post.published DESC, post.id DESC LIMIT 100", params).fetchall()
        authors = db.execute("SELECT id, name FROM author ORDER BY id").fetchall()
        lines = [f'<p>{count} results ({total} total)</p><ul class="filter">']
        lines += [f'<li><a href="?author__id__exact={pk}&amp;q=post">{html.escape(name)}</a></li>'
                  for pk, name in authors]
        lines.append("</ul><table><thead><tr><th>Title</th><th>Author</th><th>Published</th><th>Words</th></tr>"
                     "</thead><tbody>")
        for pk, title, body, published, author in rows:
            moment = datetime.datetime.fromisoformat(published).strftime("%b. %d, %Y, %I:%M %p")
            lines.append(f'<tr><th><a href="{CHANGELIST}{pk}/change/?_changelist_filters=q%3Dpost">'
                         f'{html.escape(title)}</a></th><td>{html.escape(author or "-")}</td><td>{moment}</td>'
                         f"<td>{word_count(body)}</td></tr>")
        lines.append("</tbody></table>")
        return types.SimpleNamespace(status_code=200, content="".join(lines).encode())

    return get


# --- checking that they agree, and measuring ----------------------------------------------------

ROW_LINK = re.compile(rf'href="{re.escape(CHANGELIST)}(\d+)/change/')


def expected_rows(author: int | None) -> dict:
    """``{post number: (title, words)}`` of the posts a job's page must list."""
    rows = {}
    for number in range(1, POSTS + 1):
        title, _, body, _, author_number = post_values(number)
        if author is None or author_number == author:
            rows[number] = (title, word_count(body))
    return rows


def check(contenders: dict, jobs: dict) -> None:
    """Stop with a clear message unless every contender's pages list the same posts, escaped, with their counts."""
    for job, (url, author) in jobs.items():
        expected = expected_rows(author)
        for name, get in contenders.items():
            response = get(url)
            page = response.content.decode()
            if response.status_code != 200:
                raise SystemExit(f"{name}, {job}: GET {url} answered {response.status_code}:\n{page[:2000]}")
            linked = sorted(set(map(int, ROW_LINK.findall(page))))
            if len(linked) != len(expected):
                raise SystemExit(f"{name}, {job}: the page links {len(linked)} posts' change pages, "
                                 f"expected {len(expected)}")
            missing = [title for title, _ in expected.values() if html.escape(title, quote=False) not in page]
            if missing:
                raise SystemExit(f"{name}, {job}: these titles are not on the page, escaped: {missing[:3]}")
            counts = re.findall(r"<td[^>]*>(\d+)</td>", page)
            if sorted(map(int, counts)) != sorted(words for _, words in expected.values()):
                raise SystemExit(f"{name}, {job}: the Words column shows {counts[:10]}..., not every post's count")


def profile(get, jobs: dict, calls: int = 100) -> None:
    """Print where tinyframe spends its time in each job, down to the admin's own functions."""
    for job, (url, _) in jobs.items():
        get(url)  # compile the templates first: a page is rendered warm
        print_profile(job, lambda: get(url), calls, "a page",
                      lambda filename: "tinyframe/contrib/admin/" in filename or filename.startswith("<template admin/"))


def main() -> None:
    quick = "--quick" in sys.argv
    directory = tempfile.mkdtemp(prefix="bench-admin-")
    if "--profile" in sys.argv:
        profile(contender("tinyframe", directory), JOBS)
        return
    contenders = {}
    # Django first: its page is the one the others are read against.
    for name, prefix in (("Django", "django"), ("tinyframe", "tinyframe")):
        try:
            contenders[name] = contender(prefix, directory)
        except (ImportError, AttributeError) as error:  # tinyframe before chapter 11 has no admin
            print(f"({name} is not installed or not ready: skipped. {error!r})")
    contenders["by hand (floor)"] = by_hand()
    jobs = JOBS
    check(contenders, jobs)
    print(f"All {len(contenders)} agree: the same {POSTS} and {POSTS // AUTHORS} posts linked, "
          f"their titles escaped, their word counts.\n")

    repeat, number = (5, 10) if quick else (9, 20)
    floor_name, django_name = "by hand (floor)", "Django"
    print(f"{'':<18}{'median':>10}{'x floor':>10}{'x Django':>10}")
    results = {}
    for job, (url, _) in jobs.items():
        functions = {name: (lambda get=get, url=url: get(url)) for name, get in contenders.items()}
        results[job] = times = median_seconds(functions, repeat, number)
        print(f"{job}: GET {url}")
        for name, seconds in times.items():
            versus = f"{seconds / times[django_name]:>9.2f}x" if django_name in times else f"{'-':>10}"
            print(f"  {name:<16}{seconds * 1e3:>8.2f}ms{seconds / times[floor_name]:>9.1f}x{versus}")
        print()
    if "tinyframe" in contenders and django_name in contenders:
        for job, times in results.items():
            target = " (target <= 0.20)" if job == TARGET_JOB else " (no target: the fixed cost of a request)"
            print(f"tinyframe, {job}: {times['tinyframe'] / times[django_name]:.2f} of Django's time{target}")


if __name__ == "__main__":
    start = time.perf_counter()
    main()
    print(f"({time.perf_counter() - start:.1f}s)")
