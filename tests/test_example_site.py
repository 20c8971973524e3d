"""The README's run command serves the example site to a real HTTP client.

This starts ``python -m tinyframe runserver`` exactly as the README says (on a free
port instead of 8000), talks to it over a socket with urllib, and stops it with
Ctrl-C (SIGINT), as a person would.

The site keeps its posts in SQLite. Every server started here is pointed at a
temporary database through the environment variable ``TINYFRAME_EXAMPLE_DB``,
which ``tutorials/site/mysite/settings.py`` reads (its default is
``tutorials/site/db.sqlite3``), so the tests never write into the repository.

From chapter 07 the posts have authors, tags and comments, the front page
shows four posts a page, and a database made by chapter 06's site (the
``blog_post`` table alone) gets the new tables on the next start.
"""

import contextlib
import dataclasses
import html
import json
import os
import pathlib
import re
import signal
import subprocess
import sqlite3
import sys
import urllib.error
import urllib.parse
import urllib.request

import pytest

ROOT = pathlib.Path(__file__).resolve().parent.parent
RUN_COMMAND = [sys.executable, "-m", "tinyframe", "runserver", "--pythonpath", "tutorials/site",
               "--settings", "mysite.settings"]
# The initial posts, newest first; the front page shows four a page.
INITIAL_SLUGS = ["one-page-at-a-time", "authors-tags-and-comments", "posts-in-sqlite", "urls-have-names",
                 "requests-and-responses", "hello-wsgi"]
POST_LINK = re.compile(r'<a href="/posts/([^/]+)/">')


class NoRedirect(urllib.request.HTTPRedirectHandler):
    """Hand redirects back as they are, so that a test can check their status and Location."""

    def redirect_request(self, *args, **kwargs):
        return None


@dataclasses.dataclass
class RunningSite:
    """A runserver process: its base URL, and everything it printed once it has stopped."""

    base_url: str
    output: str = ""


def site_environment(database: pathlib.Path) -> dict:
    """The environment for a process of the example site: this one's, with the database at ``database``."""
    return {**os.environ, "TINYFRAME_EXAMPLE_DB": str(database)}


@contextlib.contextmanager
def running_site(database: pathlib.Path):
    """Start the README's command with its database at ``database``; stop it with Ctrl-C on leaving."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert " ".join(RUN_COMMAND[1:]) in readme, "the README's run command changed; update this test"
    server = subprocess.Popen(
        [*RUN_COMMAND, "127.0.0.1:0"], cwd=ROOT, env=site_environment(database),
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )
    started = []
    try:
        base_url = None
        for _ in range(20):
            line = server.stdout.readline()
            started.append(line)
            match = re.search(r"(http://127\.0\.0\.1:\d+/)", line)
            if match:
                base_url = match.group(1)
                break
        assert base_url, f"runserver did not print its address; it exited with {server.poll()}:\n{''.join(started)}"
        site = RunningSite(base_url)
        yield site
    finally:
        server.send_signal(signal.SIGINT)
        try:
            output, _ = server.communicate(timeout=5)
        except subprocess.TimeoutExpired:
            server.kill()
            raise AssertionError("runserver did not stop within 5 s of Ctrl-C")
        output = "".join(started) + output
        assert server.returncode == 0, f"runserver exited with {server.returncode}:\n{output}"
        assert "Traceback" not in output, output
    site.output = output


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    """The example site running under runserver, on a new database of its own; yields its base URL."""
    with running_site(tmp_path_factory.mktemp("example-site") / "db.sqlite3") as running:
        yield running.base_url


def fetch(url: str | urllib.request.Request):
    opener = urllib.request.build_opener(NoRedirect)
    try:
        with opener.open(url, timeout=5) as response:
            return response.status, dict(response.headers), response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read().decode()


@pytest.mark.slow
def test_home_page_lists_the_posts(site):
    status, headers, body = fetch(site)
    assert status == 200
    assert headers["Content-Type"] == "text/html; charset=utf-8"
    assert '<a href="/posts/posts-in-sqlite/">Posts in SQLite</a>' in body
    assert '<time datetime="2026-02-02T09:00:00+00:00">Feb. 2, 2026</time>' in body, "each post shows its date"


@pytest.mark.slow
def test_home_page_is_paginated_four_posts_a_page(site):
    status, _, first = fetch(site)
    assert POST_LINK.findall(first) == INITIAL_SLUGS[:4], "page 1: the four newest posts"
    assert '<span>Page 1 of 2</span>' in first and '<a href="?page=2" rel="next">Older posts</a>' in first
    assert 'rel="prev"' not in first, "the first page has no newer posts to link to"
    status, _, second = fetch(site + "?page=2")
    assert status == 200 and POST_LINK.findall(second) == INITIAL_SLUGS[4:]
    assert '<a href="?page=1" rel="prev">Newer posts</a>' in second and 'rel="next"' not in second
    assert '<time datetime="2026-01-05T09:00:00+00:00">Jan. 5, 2026</time>' in second
    assert fetch(site + "?page=last")[2] == second


@pytest.mark.slow
def test_pages_that_are_not_there_are_404s(site):
    for query, message in [("?page=99", "Invalid page (99): That page contains no results"),
                           ("?page=0", "Invalid page (0): That page number is less than 1"),
                           ("?page=two", "Page is not “last”, nor can it be converted to an int.")]:
        status, _, body = fetch(site + urllib.parse.quote(query, safe="?="))
        assert status == 404, f"{query} answered {status}"
        assert html.escape(message) in body, f"the DEBUG 404 page of {query} should say {message!r}"


@pytest.mark.slow
def test_home_page_shows_each_posts_author_and_tags(site):
    _, _, body = fetch(site)
    post = body[body.index('<a href="/posts/authors-tags-and-comments/">'):]
    post = post[:post.index("</li>")]
    assert 'by <a href="/authors/grace/">Grace Hopper</a>' in post
    assert ('<span class="tags">Tagged <a href="/tags/orm/">ORM</a>, '
            '<a href="/tags/relations/">Relations</a></span>') in post


@pytest.mark.slow
def test_post_page_shows_its_author_tags_and_comments(site):
    status, _, body = fetch(site + "posts/posts-in-sqlite/")
    assert status == 200
    assert '<p class="byline">By <a href="/authors/grace/">Grace Hopper</a>.' in body
    assert '<a href="/tags/orm/">ORM</a>' in body
    assert "<h2>2 comments</h2>" in body
    assert body.index("Rows in, objects out.") < body.index("And no SQL in the views!"), "comments oldest first"
    assert '<p><strong>Edgar</strong>, <time datetime="2026-02-03T09:00:00+00:00">Feb. 3, 2026</time></p>' in body
    _, _, quiet = fetch(site + "posts/urls-have-names/")
    assert "<h2>0 comments</h2>" in quiet and "<p>No comments yet.</p>" in quiet


@pytest.mark.slow
def test_author_page_lists_their_posts(site):
    status, _, body = fetch(site + "authors/grace/")
    assert status == 200
    assert "<title>Grace Hopper · tinyframe blog</title>" in body and "<h1>Grace Hopper</h1>" in body
    assert "<p>Writes about data, and the queries that fetch it.</p>" in body
    assert POST_LINK.findall(body) == ["authors-tags-and-comments", "posts-in-sqlite"]
    assert fetch(site + "authors/nobody/")[0] == 404


@pytest.mark.slow
def test_tag_page_lists_the_posts_with_the_tag(site):
    status, _, body = fetch(site + "tags/http/")
    assert status == 200
    assert "<h1>Posts tagged HTTP</h1>" in body
    assert POST_LINK.findall(body) == ["requests-and-responses", "hello-wsgi"]
    assert 'rel="next"' not in body, "two posts fit on one page"
    _, _, views = fetch(site + "tags/views/?page=1")
    assert POST_LINK.findall(views) == ["one-page-at-a-time", "urls-have-names", "requests-and-responses"]
    assert "<title>Posts tagged Views · tinyframe blog</title>" in views and '<a href="/">All posts</a>' in views
    assert fetch(site + "tags/views/?page=2")[0] == 404
    assert fetch(site + "tags/no-such-tag/")[0] == 404


@pytest.mark.slow
def test_post_page_escapes_its_text(site):
    status, _, body = fetch(site + "posts/requests-and-responses/")
    assert status == 200
    assert "Requests &amp; responses" in body
    assert "&lt;status, headers, body&gt;" in body


@pytest.mark.slow
def test_pages_are_templates_that_extend_the_base(site):
    """Every page is a child template of templates/base.html: the base's header, the child's blocks."""
    _, _, body = fetch(site + "posts/hello-wsgi/")
    assert '<header><a href="/">tinyframe blog</a></header>' in body, "the base template's header is missing"
    assert "<title>Hello, WSGI · tinyframe blog</title>" in body, "the title block should extend block.super"
    assert "<h1>Hello, WSGI</h1>" in body


@pytest.mark.slow
def test_unknown_post_is_a_404(site):
    status, _, _ = fetch(site + "posts/no-such-post/")
    assert status == 404


@pytest.mark.slow
def test_unknown_page_is_the_debug_404_listing_the_urls(site):
    status, _, body = fetch(site + "no-such-page/")
    assert status == 404
    assert "posts/&lt;slug:slug&gt;/ [name=&#x27;post_detail&#x27;]" in body, "the DEBUG 404 page lists the patterns"
    assert "DEBUG = True" in body


@pytest.mark.slow
def test_json_api(site):
    status, headers, body = fetch(site + "api/posts/")
    assert status == 200
    assert headers["Content-Type"] == "application/json"
    posts = json.loads(body)["posts"]
    assert [post["slug"] for post in posts] == INITIAL_SLUGS, "the initial posts, newest first"
    assert posts[-1] == {
        "slug": "hello-wsgi",
        "title": "Hello, WSGI",
        "body": "A web application is a callable that takes an environ and start_response.",
    }


@pytest.mark.slow
def test_json_api_is_read_only(site):
    status, headers, _ = fetch(urllib.request.Request(site + "api/posts/", data=b"", method="POST"))
    assert (status, headers["Allow"]) == (405, "GET, HEAD, OPTIONS")


@pytest.mark.slow
def test_old_address_redirects(site):
    status, headers, _ = fetch(site + "old-home/")
    assert (status, headers["Location"]) == (302, "/")


@pytest.mark.slow
def test_visit_counter_uses_a_signed_cookie(site):
    request = urllib.request.Request(site + "visits/")
    with urllib.request.urlopen(request, timeout=5) as response:
        cookie = response.headers["Set-Cookie"]
        assert "You have been here 1 time." in response.read().decode()
    value = cookie.split(";")[0]
    request = urllib.request.Request(site + "visits/", headers={"Cookie": value})
    with urllib.request.urlopen(request, timeout=5) as response:
        assert "You have been here 2 times." in response.read().decode()
    forged = value.split("=", 1)[0] + '="41:forged:signature"'
    request = urllib.request.Request(site + "visits/", headers={"Cookie": forged})
    with urllib.request.urlopen(request, timeout=5) as response:
        assert "You have been here 1 time." in response.read().decode(), "a forged cookie must be ignored"


@pytest.mark.slow
def test_pages_carry_the_security_headers_of_the_default_middleware(site):
    status, headers, _ = fetch(site)
    assert status == 200
    found = {name: headers.get(name) for name in
             ("X-Frame-Options", "X-Content-Type-Options", "Referrer-Policy", "Cross-Origin-Opener-Policy")}
    assert found == {"X-Frame-Options": "DENY", "X-Content-Type-Options": "nosniff",
                     "Referrer-Policy": "same-origin", "Cross-Origin-Opener-Policy": "same-origin"}


@pytest.mark.slow
def test_a_missing_slash_is_added_by_a_permanent_redirect(site):
    status, headers, _ = fetch(site + "posts/hello-wsgi")
    assert (status, headers["Location"]) == (301, "/posts/hello-wsgi/")


def add_post_through_the_orm(database: pathlib.Path, **fields) -> None:
    """Save one ``Post`` into the site's database from a separate script, as a person would between runs."""
    script = (
        "import tinyframe\n"
        "tinyframe.setup()\n"
        "from blog.models import Post\n"
        f"Post.objects.create(**{fields!r})\n"
    )
    environment = {**site_environment(database), "TINYFRAME_SETTINGS_MODULE": "mysite.settings",
                   "PYTHONPATH": os.pathsep.join([str(ROOT / "tutorials/site"), str(ROOT)])}
    completed = subprocess.run([sys.executable, "-c", script], cwd=ROOT, env=environment,
                               capture_output=True, text=True, timeout=30)
    assert completed.returncode == 0, f"adding a post failed:\n{completed.stdout}{completed.stderr}"


@pytest.mark.slow
def test_the_first_run_creates_and_fills_the_database_and_the_next_reuses_it(tmp_path):
    database = tmp_path / "db.sqlite3"
    assert not database.exists()

    with running_site(database) as first:
        status, _, home = fetch(first.base_url)
        assert status == 200
        listed = POST_LINK.findall(home)
        assert listed == INITIAL_SLUGS[:4], f"the front page of a new site lists {listed}, expected {INITIAL_SLUGS[:4]}"
        status, _, page = fetch(first.base_url + "posts/hello-wsgi/")
        assert (status, "<h1>Hello, WSGI</h1>" in page) == (200, True)
        assert "<p>So a web app is just a function?</p>" in page, "the first run adds the sample comments"
        assert fetch(first.base_url + "posts/no-such-post/")[0] == 404
    assert database.exists(), "the first run should have created the database file"
    expected = f"Created the blog's tables in {database} with 6 posts, 2 authors, 5 tags and 4 comments."
    assert expected in first.output, first.output

    add_post_through_the_orm(database, slug="between-runs", title="Written between runs", body="Still here?")

    with running_site(database) as second:
        status, _, home = fetch(second.base_url)
        listed = POST_LINK.findall(home)
        assert listed == ["between-runs", *INITIAL_SLUGS[:3]], (
            f"the second run lists {listed}; expected the post added between runs, newest, then the initial ones"
        )
        status, _, page = fetch(second.base_url + "posts/between-runs/")
        assert (status, "<p>Still here?</p>" in page) == (200, True)
        assert "<p>No comments yet.</p>" in page and 'class="byline"' not in page, "a post without author or tags"
    assert "Created the blog's tables" not in second.output, "the second run must reuse the database"


# The database chapter 06's site made on its first run: the blog_post table
# (as its CREATE TABLE was) and its four posts, without authors, tags or comments.
CHAPTER_06_TABLE = (
    'CREATE TABLE "blog_post" ("id" integer NOT NULL PRIMARY KEY AUTOINCREMENT, "slug" varchar(50) NOT NULL '
    'UNIQUE, "title" varchar(200) NOT NULL, "body" text NOT NULL, "published" datetime NOT NULL)'
)
CHAPTER_06_POSTS = [
    ("hello-wsgi", "Hello, WSGI", "A web application is a callable.", "2026-01-05 09:00:00"),
    ("requests-and-responses", "Requests & responses", "HttpRequest wraps the environ.", "2026-01-12 09:00:00"),
    ("urls-have-names", "URLs have names", "Links are built with {% url %}.", "2026-01-19 09:00:00"),
    ("posts-in-sqlite", "Posts in SQLite", "Rows of the blog_post table.", "2026-02-02 09:00:00"),
]


@pytest.mark.slow
def test_a_chapter_06_database_gets_the_new_tables_and_keeps_its_posts(tmp_path):
    database = tmp_path / "db.sqlite3"
    with contextlib.closing(sqlite3.connect(database)) as connection, connection:
        connection.execute(CHAPTER_06_TABLE)
        connection.executemany('INSERT INTO "blog_post" ("slug", "title", "body", "published") VALUES (?, ?, ?, ?)',
                               CHAPTER_06_POSTS)

    with running_site(database) as first:
        status, _, home = fetch(first.base_url)
        assert status == 200
        assert POST_LINK.findall(home) == ["posts-in-sqlite", "urls-have-names", "requests-and-responses", "hello-wsgi"]
        assert 'by <a href="/authors/grace/">Grace Hopper</a>' in home, "the old posts get the sample authors"
        assert "<nav" not in home and fetch(first.base_url + "?page=2")[0] == 404, "four posts are one page"
        status, _, page = fetch(first.base_url + "posts/hello-wsgi/")
        assert status == 200 and "<p>A web application is a callable.</p>" in page, "the old rows are kept"
        assert "<h2>1 comment</h2>" in page
        assert fetch(first.base_url + "tags/orm/")[0] == 200
    expected = (f"Upgraded the blog in {database} to chapter 07's: added blog_author, blog_comment, blog_post_tags, "
                f"blog_tag, blog_post.author_id, with 2 authors, 5 tags and 3 comments.")
    assert expected in first.output, first.output

    with running_site(database) as second:
        assert POST_LINK.findall(fetch(second.base_url)[2]) == ["posts-in-sqlite", "urls-have-names",
                                                                "requests-and-responses", "hello-wsgi"]
    assert "Upgraded" not in second.output and "Created" not in second.output, second.output


QUERY_COUNTS_SCRIPT = """
import json, sys
import tinyframe
tinyframe.setup()
from tinyframe.db import connection
from tinyframe.test import Client
from tinyframe.test.utils import CaptureQueriesContext
client, counts = Client(), {}
for url in sys.argv[1:]:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200, url
    counts[url] = len(queries)
print(json.dumps(counts))
"""


@pytest.mark.slow
def test_the_pages_cost_a_few_queries_however_many_posts_they_list(tmp_path):
    """select_related and prefetch_related at work: no query per post, per author, per tag or per comment.

    The front page: the count, the page's posts with their authors (a JOIN),
    their tags. A post: itself with its author, its tags, its comments. An
    author: the author, their posts. A tag's page: the tag, then as the front page.
    """
    environment = {**site_environment(tmp_path / "db.sqlite3"), "TINYFRAME_SETTINGS_MODULE": "mysite.settings",
                   "PYTHONPATH": os.pathsep.join([str(ROOT / "tutorials/site"), str(ROOT)])}
    urls = ["/", "/?page=2", "/posts/posts-in-sqlite/", "/authors/ada/", "/tags/views/"]
    completed = subprocess.run([sys.executable, "-c", QUERY_COUNTS_SCRIPT, *urls], cwd=ROOT, env=environment,
                               capture_output=True, text=True, timeout=30)
    assert completed.returncode == 0, completed.stderr
    counts = json.loads(completed.stdout)
    assert counts == {"/": 3, "/?page=2": 3, "/posts/posts-in-sqlite/": 3, "/authors/ada/": 2, "/tags/views/": 4}
