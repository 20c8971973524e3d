"""The README's run command migrates the example site's database, then serves it to a real HTTP client.

This runs the README's one line exactly as it says: ``python -m tinyframe
migrate --fake-initial`` (the blog's migrations, on a new database or one an
earlier chapter's site made), then ``python -m tinyframe runserver`` (on a
free port instead of 8000), talks to the server over a socket with urllib,
and stops it with Ctrl-C (SIGINT), as a person would.

The site keeps its posts in SQLite. Every process started here is pointed at a
temporary database through the environment variable ``TINYFRAME_EXAMPLE_DB``,
which ``tutorials/site/mysite/settings.py`` reads (its default is
``tutorials/site/db.sqlite3``), so the tests never write into the repository.

From chapter 07 the posts have authors, tags and comments, and the front page
shows four posts a page. From chapter 08 the blog's migrations make the
database: ``makemigrations --check`` finds nothing missing, a new database
gets every table and the first posts, a database made by chapter 06's or 07's
site is brought up to date without losing a row, and the blog's own tests
run on a test database the migrations build. From chapter 09 a post's page
ends with a comment form: a valid comment is stored and the visitor sent
back to the post, an invalid one is shown again with its errors by its
fields and what was typed kept, escaped. From chapter 10 visitors sign up,
sign in and out, and only a signed-in visitor comments, under the account's
name: these tests do it as a browser would, keeping cookies and sending each
form's CSRF token (a form posted without one is refused with a 403). The
attacks are in ``tests/test_security_auth.py``.
"""

import contextlib
import dataclasses
import html
import html.parser
import http.cookiejar
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
# The README's run command: migrate, make the admin's first superuser (chapter 11), then serve.
README_COMMAND = ("python -m tinyframe migrate --fake-initial --pythonpath tutorials/site --settings mysite.settings"
                  " && python -m tinyframe ensuresuperuser --pythonpath tutorials/site --settings mysite.settings"
                  " && python -m tinyframe runserver --pythonpath tutorials/site --settings mysite.settings")
MIGRATE_COMMAND, SUPERUSER_COMMAND, RUN_COMMAND = (
    [sys.executable, *part.split()[1:]] for part in README_COMMAND.split(" && "))
SITE_OPTIONS = ["--pythonpath", "tutorials/site", "--settings", "mysite.settings"]
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
    """A runserver process: its base URL, what migrate and ensuresuperuser printed, and the server once stopped."""

    base_url: str
    migrated: str = ""
    output: str = ""
    superuser: str = ""


def site_environment(database: pathlib.Path) -> dict:
    """The environment for a process of the example site: this one's, with the database at ``database``."""
    return {**os.environ, "TINYFRAME_EXAMPLE_DB": str(database)}


def run_command(database: pathlib.Path, *arguments: str) -> subprocess.CompletedProcess:
    """Run ``python -m tinyframe <arguments>`` for the site with its database at ``database``."""
    return subprocess.run([sys.executable, "-m", "tinyframe", *arguments], cwd=ROOT, env=site_environment(database),
                          capture_output=True, text=True, timeout=60)


@contextlib.contextmanager
def running_site(database: pathlib.Path):
    """Run the README's command with its database at ``database``: migrate, then serve; Ctrl-C on leaving."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert README_COMMAND in readme, "the README's run command changed; update this test"
    migrated = subprocess.run(MIGRATE_COMMAND, cwd=ROOT, env=site_environment(database), capture_output=True,
                              text=True, timeout=60)
    assert migrated.returncode == 0, f"migrate failed:\n{migrated.stdout}{migrated.stderr}"
    superuser = subprocess.run(SUPERUSER_COMMAND, cwd=ROOT, env=site_environment(database), capture_output=True,
                               text=True, timeout=60)
    assert superuser.returncode == 0, f"ensuresuperuser failed:\n{superuser.stdout}{superuser.stderr}"
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
        site = RunningSite(base_url, migrated=migrated.stdout + migrated.stderr,
                           superuser=superuser.stdout + superuser.stderr)
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
def running(tmp_path_factory):
    """The example site running under runserver, on a new database of its own."""
    with running_site(tmp_path_factory.mktemp("example-site") / "db.sqlite3") as running:
        yield running


@pytest.fixture(scope="module")
def site(running):
    """The running example site's base URL."""
    return running.base_url


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
    status, _, _ = fetch(urllib.request.Request(site + "api/posts/", data=b"", method="POST"))
    assert status == 403, "from chapter 10 a POST without a CSRF token is refused before any view runs"
    browser = Browser(site)
    token = TOKEN.search(browser.open("/accounts/login/")[2]).group(1)
    status, headers, _ = browser.open("/api/posts/", data=b"", method="POST", headers={"X-CSRFToken": token})
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


def post_form(url: str, fields: dict):
    """POST ``fields`` as a browser submits a form (urlencoded), without following the redirect."""
    return fetch(urllib.request.Request(url, data=urllib.parse.urlencode(fields).encode(), method="POST"))


TOKEN = re.compile(r'<input type="hidden" name="csrfmiddlewaretoken" value="([^"]+)">')
SIGNED_IN = re.compile(r"Signed in as <strong>([^<]*)</strong>")


class Browser:
    """A visitor's browser: it keeps the site's cookies and submits forms with the token they carry.

    ``open(path)`` GETs a page; ``submit(path, fields)`` GETs the page at
    ``path`` (or ``page_path``), reads its form's CSRF token, and POSTs the
    fields with it, as a browser submits a form the page showed. Redirects are
    not followed, so their status and Location can be checked.
    """

    def __init__(self, base_url: str):
        self.base_url = base_url
        self.cookies = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(NoRedirect, urllib.request.HTTPCookieProcessor(self.cookies))

    def open(self, path: str, data: bytes | None = None, method: str | None = None, headers: dict | None = None):
        request = urllib.request.Request(self.base_url + path.lstrip("/"), data=data, method=method,
                                         headers=headers or {})
        try:
            with self.opener.open(request, timeout=10) as response:
                return response.status, dict(response.headers), response.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, dict(error.headers), error.read().decode()

    def submit(self, path: str, fields: dict, page_path: str | None = None):
        _, _, page = self.open(page_path or path)
        token = TOKEN.search(page)
        assert token, f"no CSRF token in the form of {page_path or path}"
        data = urllib.parse.urlencode({"csrfmiddlewaretoken": token.group(1), **fields}).encode()
        return self.open(path, data=data, method="POST")

    def signed_in_as(self) -> str | None:
        match = SIGNED_IN.search(self.open("/")[2])
        return match and html.unescape(match.group(1))

    def cookie(self, name: str) -> http.cookiejar.Cookie | None:
        return next((cookie for cookie in self.cookies if cookie.name == name), None)


COMMENT_FORM = ('<form method="post" action="/posts/one-page-at-a-time/#comment-form">',
                '<input type="hidden" name="csrfmiddlewaretoken" value="',
                '<label for="id_body">Comment:</label>',
                '<textarea name="body" cols="40" rows="5" required id="id_body">',
                '<button type="submit">Post comment</button>')


def signed_up(site: str, username: str) -> Browser:
    """A new visitor's browser, signed up (and so signed in) as ``username``."""
    browser = Browser(site)
    status, headers, _ = browser.submit("/accounts/signup/", {"username": username, "password1": "Comment-away-2026",
                                                              "password2": "Comment-away-2026"})
    assert (status, headers["Location"]) == (302, "/"), "signing up leads to the front page"
    return browser


@pytest.mark.slow
def test_a_visitor_signs_up_comments_signs_out_and_signs_in_again(site):
    """Chapter 10, the whole way over HTTP: cookies, CSRF tokens, sign-up, a comment, sign-out, sign-in."""
    browser = Browser(site)
    post = "/posts/one-page-at-a-time/"
    _, _, page = browser.open(post)
    assert '<textarea name="body"' not in page, "an anonymous visitor gets no comment form"
    assert '<a href="/accounts/login/?next=/posts/one-page-at-a-time/%23comment-form">Sign in</a>' in page
    status, _, page = browser.open("/accounts/signup/?next=/posts/one-page-at-a-time/%23comment-form")
    assert status == 200 and "<h1>Sign up</h1>" in page
    assert '<input type="hidden" name="next" value="/posts/one-page-at-a-time/#comment-form">' in page
    status, headers, _ = browser.submit(
        "/accounts/signup/", {"username": "barbara", "password1": "Four-to-a-page", "password2": "Four-to-a-page",
                              "next": "/posts/one-page-at-a-time/#comment-form"},
        page_path="/accounts/signup/?next=/posts/one-page-at-a-time/%23comment-form",
    )
    assert (status, headers["Location"]) == (302, "/posts/one-page-at-a-time/#comment-form"), "back to the post"
    session = browser.cookie("sessionid")
    assert session is not None and session.has_nonstandard_attr("HttpOnly"), "the session cookie is HttpOnly"
    _, _, page = browser.open(post)
    assert "Signed in as <strong>barbara</strong>" in page
    assert "Welcome, barbara! Your account is ready, and you are signed in." in page, "a one-time welcome"
    assert [part for part in COMMENT_FORM if part not in page] == [], "a signed-in visitor gets the form"

    status, headers, _ = browser.submit(post, {"body": "Four to a page & tidy.", "name": "Somebody Else"})
    assert (status, headers["Location"]) == (302, post), "post/redirect/get"
    _, _, page = browser.open(post)
    assert "<h2>1 comment</h2>" in page and "<p><strong>barbara</strong>, <time" in page, "named after the account"
    assert "<p>Four to a page &amp; tidy.</p>" in page
    assert '<li class="success">Thank you: your comment is posted.</li>' in page
    assert "Thank you" not in browser.open(post)[2], "a message is shown once"

    status, headers, _ = browser.submit("/accounts/logout/", {}, page_path=post)
    assert (status, headers["Location"]) == (302, "/")
    assert browser.signed_in_as() is None
    status, headers, page = browser.submit("/accounts/login/", {"username": "barbara", "password": "wrong-one"})
    assert status == 200 and "Please enter a correct username and password." in page and "wrong-one" not in page
    status, headers, _ = browser.submit("/accounts/login/", {"username": "barbara", "password": "Four-to-a-page"})
    assert (status, headers["Location"]) == (302, "/")
    assert browser.signed_in_as() == "barbara"
    assert browser.open("/accounts/logout/")[0] == 405, "signing out by GET is refused"
    assert browser.signed_in_as() == "barbara"


@pytest.mark.slow
def test_a_form_posted_without_its_token_is_refused_and_nothing_is_stored(site):
    browser = signed_up(site, "mallet")
    url = "/posts/requests-and-responses/"
    heading = re.search(r"<h2>\d+ comments?</h2>", browser.open(url)[2]).group()
    data = urllib.parse.urlencode({"body": "Forged."}).encode()
    status, _, page = browser.open(url, data=data, method="POST")
    assert status == 403 and "CSRF verification failed. Request aborted." in page and "CSRF token missing." in page
    status, _, page = browser.open(url, data=data, method="POST", headers={"Origin": "https://evil.example"})
    assert status == 403
    assert heading in browser.open(url)[2], "nothing was stored"
    assert browser.signed_in_as() == "mallet"


@pytest.mark.slow
def test_an_invalid_comment_shows_its_error_and_keeps_what_was_typed_escaped(site):
    browser = signed_up(site, "edsger")
    url = "/posts/one-page-at-a-time/"
    heading = re.search(r"<h2>\d+ comments?</h2>", browser.open(url)[2]).group()
    status, _, page = browser.submit(url, {"body": "   "})
    assert status == 200, "an invalid comment is shown again, not redirected"
    assert heading in page, "nothing was stored"
    body_error = page.index('<ul class="errorlist" id="id_body_error"><li>This field is required.</li></ul>')
    assert page.index('<label for="id_body">') < body_error < page.index('<textarea name="body"'), "errors inline"
    status, _, page = browser.submit(url, {"body": "</textarea><script>alert('x')</script>"})
    assert status == 302
    page = browser.open(url)[2]
    assert "&lt;/textarea&gt;&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in page, "stored, shown escaped"
    assert "<script>" not in page


@pytest.mark.slow
def test_the_post_page_answers_get_head_and_post_only(site):
    browser = signed_up(site, "grace")
    token = TOKEN.search(browser.open("/posts/hello-wsgi/")[2]).group(1)
    status, headers, _ = browser.open("/posts/hello-wsgi/", data=b"", method="PUT", headers={"X-CSRFToken": token})
    assert (status, headers["Allow"]) == (405, "GET, HEAD, POST")
    assert browser.open("/posts/hello-wsgi/", data=b"", method="PUT")[0] == 403, "without a token: CSRF first"
    assert browser.submit("/posts/no-such-post/", {"body": "B"}, page_path="/posts/hello-wsgi/")[0] == 404


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
    assert first.migrated == (
        "Operations to perform:\n"
        "  Apply all migrations: admin, auth, blog, sessions\n"
        "Running migrations:\n"
        "  Applying auth.0001_initial... OK\n"
        "  Applying admin.0001_initial... OK\n"
        "  Applying blog.0001_initial... OK\n"
        "  Applying blog.0002_relations... OK\n"
        "  Applying blog.0003_initial_posts... OK\n"
        "  Applying sessions.0001_initial... OK\n"
    ), first.migrated

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
    assert second.migrated.endswith("Running migrations:\n  No migrations to apply.\n"), second.migrated


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


def rows(database: pathlib.Path, table: str) -> list[tuple]:
    """Every row of ``table``, every column, in key order."""
    with contextlib.closing(sqlite3.connect(database)) as connection:
        return connection.execute(f'SELECT * FROM "{table}" ORDER BY "id"').fetchall()


@pytest.mark.slow
def test_a_chapter_06_database_is_migrated_and_keeps_its_posts(tmp_path):
    database = tmp_path / "db.sqlite3"
    with contextlib.closing(sqlite3.connect(database)) as connection, connection:
        connection.execute(CHAPTER_06_TABLE)
        connection.executemany('INSERT INTO "blog_post" ("slug", "title", "body", "published") VALUES (?, ?, ?, ?)',
                               CHAPTER_06_POSTS)
    before = rows(database, "blog_post")

    with running_site(database) as first:
        status, _, home = fetch(first.base_url)
        assert status == 200
        assert POST_LINK.findall(home) == INITIAL_SLUGS[:4], "the two posts chapter 07 added are there too"
        assert 'by <a href="/authors/grace/">Grace Hopper</a>' in home, "the old posts get the sample authors"
        status, _, page = fetch(first.base_url + "posts/hello-wsgi/")
        assert status == 200 and "<p>A web application is a callable.</p>" in page, "the old rows are kept"
        assert "<h2>1 comment</h2>" in page
        assert fetch(first.base_url + "tags/orm/")[0] == 200
    assert "  Applying blog.0001_initial... FAKED\n  Applying blog.0002_relations... OK\n" in first.migrated, (
        first.migrated
    )
    assert "  Applying blog.0003_initial_posts... OK\n" in first.migrated
    after = rows(database, "blog_post")
    assert [row[:5] for row in after[:4]] == before, "every chapter 06 row keeps its id and values"
    assert [row[1] for row in after[4:]] == ["authors-tags-and-comments", "one-page-at-a-time"]

    with running_site(database) as second:
        assert POST_LINK.findall(fetch(second.base_url)[2]) == INITIAL_SLUGS[:4]
    assert "No migrations to apply." in second.migrated
    assert rows(database, "blog_post") == after


# The database chapter 07's site made on its first run (blog/apps.py ran
# migrate --run-syncdb): its tables as their CREATE statements were, and a few
# rows, one post edited and one added by its owner since.
CHAPTER_07_SCHEMA = [
    'CREATE TABLE "blog_author" ("id" integer NOT NULL PRIMARY KEY AUTOINCREMENT, "slug" varchar(50) NOT NULL '
    'UNIQUE, "name" varchar(100) NOT NULL, "bio" text NOT NULL)',
    'CREATE TABLE "blog_tag" ("id" integer NOT NULL PRIMARY KEY AUTOINCREMENT, "slug" varchar(50) NOT NULL UNIQUE, '
    '"name" varchar(50) NOT NULL UNIQUE)',
    'CREATE TABLE "blog_post" ("id" integer NOT NULL PRIMARY KEY AUTOINCREMENT, "slug" varchar(50) NOT NULL UNIQUE, '
    '"title" varchar(200) NOT NULL, "body" text NOT NULL, "published" datetime NOT NULL, "author_id" integer NULL '
    'REFERENCES "blog_author" ("id") DEFERRABLE INITIALLY DEFERRED)',
    'CREATE TABLE "blog_post_tags" ("id" integer NOT NULL PRIMARY KEY AUTOINCREMENT, "post_id" integer NOT NULL '
    'REFERENCES "blog_post" ("id") DEFERRABLE INITIALLY DEFERRED, "tag_id" integer NOT NULL REFERENCES "blog_tag" '
    '("id") DEFERRABLE INITIALLY DEFERRED)',
    'CREATE TABLE "blog_comment" ("id" integer NOT NULL PRIMARY KEY AUTOINCREMENT, "post_id" integer NOT NULL '
    'REFERENCES "blog_post" ("id") DEFERRABLE INITIALLY DEFERRED, "name" varchar(100) NOT NULL, "body" text NOT '
    'NULL, "created" datetime NOT NULL)',
    'CREATE INDEX "blog_post_author_id_dd7a8485" ON "blog_post" ("author_id")',
    'CREATE UNIQUE INDEX "blog_post_tags_post_id_tag_id_4925ec37_uniq" ON "blog_post_tags" ("post_id", "tag_id")',
    'CREATE INDEX "blog_post_tags_post_id_a1c71c8a" ON "blog_post_tags" ("post_id")',
    'CREATE INDEX "blog_post_tags_tag_id_0875c551" ON "blog_post_tags" ("tag_id")',
    'CREATE INDEX "blog_comment_post_id_580e96ef" ON "blog_comment" ("post_id")',
]
CHAPTER_07_ROWS = {
    "blog_author": [(1, "ada", "Ada Lovelace", "Writes about the request's way in and out."),
                    (2, "grace", "Grace Hopper", "Writes about data, and the queries that fetch it.")],
    "blog_tag": [(1, "http", "HTTP"), (2, "orm", "ORM"), (3, "relations", "Relations"), (4, "urls", "URLs"),
                 (5, "views", "Views")],
    "blog_post": [(1, "hello-wsgi", "Hello, WSGI (edited)", "Edited since.", "2026-01-05 09:00:00", 1),
                  (2, "posts-in-sqlite", "Posts in SQLite", "Rows of the blog_post table.", "2026-02-02 09:00:00", 2),
                  (3, "my-own-post", "My own post", "Written by the site's owner.", "2026-03-01 09:00:00", None)],
    "blog_post_tags": [(1, 1, 1), (2, 2, 2)],
    "blog_comment": [(1, 1, "Alan", "So a web app is just a function?", "2026-01-06 09:00:00"),
                     (2, 3, "Me", "First!", "2026-03-01 10:00:00")],
}


@pytest.mark.slow
def test_a_chapter_07_database_is_migrated_and_keeps_every_row(tmp_path):
    database = tmp_path / "db.sqlite3"
    with contextlib.closing(sqlite3.connect(database)) as connection, connection:
        for statement in CHAPTER_07_SCHEMA:
            connection.execute(statement)
        for table, table_rows in CHAPTER_07_ROWS.items():
            marks = ", ".join("?" * len(table_rows[0]))
            connection.executemany(f'INSERT INTO "{table}" VALUES ({marks})', table_rows)

    with running_site(database) as site:
        status, _, page = fetch(site.base_url + "posts/hello-wsgi/")
        assert status == 200 and "<h1>Hello, WSGI (edited)</h1>" in page, "an edited post stays as it was edited"
        assert "<h2>1 comment</h2>" in page, "a comment already there is not added again"
        assert fetch(site.base_url + "posts/my-own-post/")[0] == 200
        assert POST_LINK.findall(fetch(site.base_url)[2]) == ["my-own-post", *INITIAL_SLUGS[:3]]
    assert (
        "  Applying blog.0001_initial... FAKED\n"
        "  Applying blog.0002_relations... FAKED\n"
        "  Applying blog.0003_initial_posts... OK\n"
    ) in site.migrated, site.migrated
    assert "  Applying auth.0001_initial... OK\n" in site.migrated, "the users' tables are added to an old database"
    assert "  Applying sessions.0001_initial... OK\n" in site.migrated
    assert "  Applying admin.0001_initial... OK\n" in site.migrated, "and the admin's history (chapter 11)"
    for table, table_rows in CHAPTER_07_ROWS.items():
        kept = rows(database, table)[:len(table_rows)]
        assert kept == table_rows, f"{table}: the rows before the upgrade are kept as they were"
    assert len(rows(database, "blog_post")) == 3 + 4, "the four initial posts it lacked are added, no more"
    assert len(rows(database, "blog_comment")) == 2 + 3


@pytest.mark.slow
def test_a_chapter_09_database_gets_the_users_and_sessions_tables_and_keeps_its_comments(tmp_path):
    """A database chapter 08's or 09's site made has the blog's migrations only: the next run adds the rest."""
    database = tmp_path / "db.sqlite3"
    assert run_command(database, "migrate", "blog", *SITE_OPTIONS).returncode == 0
    comments = rows(database, "blog_comment")
    with running_site(database) as site:
        browser = signed_up(site.base_url, "margaret")
        assert browser.signed_in_as() == "margaret"
    assert "  Apply all migrations: admin, auth, blog, sessions\n" in site.migrated
    assert "  Applying auth.0001_initial... OK\n" in site.migrated and "blog.0001" not in site.migrated
    assert rows(database, "blog_comment") == comments
    assert [row[4] for row in rows(database, "auth_user")] == ["admin", "margaret"], "the run command's superuser"


@pytest.mark.slow
def test_the_blog_has_every_migration_its_models_need(tmp_path):
    completed = run_command(tmp_path / "db.sqlite3", "makemigrations", "--check", "--dry-run", *SITE_OPTIONS)
    assert completed.returncode == 0, f"makemigrations --check found changes:\n{completed.stdout}{completed.stderr}"
    assert completed.stdout == "No changes detected\n"


@pytest.mark.slow
def test_the_data_migration_can_be_unapplied_and_applied_again(tmp_path):
    database = tmp_path / "db.sqlite3"
    assert run_command(database, "migrate", *SITE_OPTIONS).returncode == 0
    first = {table: rows(database, table) for table in CHAPTER_07_ROWS}
    back = run_command(database, "migrate", "blog", "0002", *SITE_OPTIONS)
    assert back.returncode == 0, back.stderr
    assert "  Unapplying blog.0003_initial_posts... OK" in back.stdout
    assert all(rows(database, table) == [] for table in CHAPTER_07_ROWS), "unapplying removes the sample data"
    assert run_command(database, "migrate", *SITE_OPTIONS).returncode == 0
    again = {table: [row[1:] for row in rows(database, table)] for table in ("blog_author", "blog_tag")}
    assert again == {table: [row[1:] for row in first[table]] for table in ("blog_author", "blog_tag")}
    assert len(rows(database, "blog_post")) == 6 and len(rows(database, "blog_comment")) == 4


@pytest.mark.slow
def test_the_blogs_own_tests_pass_on_a_test_database_built_by_migrations(tmp_path):
    database = tmp_path / "db.sqlite3"
    completed = run_command(database, "test", "blog", *SITE_OPTIONS)
    assert completed.returncode == 0, completed.stderr
    assert completed.stdout.startswith("Found ") and "Creating test database for alias 'default'..." in completed.stderr
    assert completed.stderr.rstrip().endswith("OK\nDestroying test database for alias 'default'...")
    assert not database.exists(), "the tests never touch the site's own database"
    # manage.py test, from the site's folder, as in Django (tinyframe importable as if installed).
    environment = {**site_environment(database), "PYTHONPATH": str(ROOT)}
    from_site = subprocess.run([sys.executable, "manage.py", "test"], cwd=ROOT / "tutorials/site", env=environment,
                               capture_output=True, text=True, timeout=60)
    assert from_site.returncode == 0, from_site.stderr
    assert from_site.stdout == completed.stdout


QUERY_COUNTS_SCRIPT = """
import json, sys
import tinyframe
tinyframe.setup()
from tinyframe.core.management import call_command
call_command("migrate", verbosity=0)
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


SUPERUSER_MADE = re.compile(r"^  username: (\S+)\n  password: (\S+)\n", re.MULTILINE)


@pytest.mark.slow
def test_the_run_command_makes_a_superuser_with_a_random_password_shown_once(tmp_path):
    """No fixed password: the first run prints a new one, later runs only the username; each site its own."""
    database = tmp_path / "db.sqlite3"
    with running_site(database) as first:
        made = SUPERUSER_MADE.search(first.superuser)
        assert made, f"the first run should print the superuser's username and password:\n{first.superuser}"
        username, password = made.groups()
        assert username == "admin" and len(password) >= 16, made.group()
        browser = Browser(first.base_url)
        status, headers, _ = browser.submit("/admin/login/?next=/admin/",
                                            {"username": username, "password": password, "next": "/admin/"})
        assert (status, headers["Location"]) == (302, "/admin/"), "the printed password signs in to the admin"
    assert [row[3:5] for row in rows(database, "auth_user")] == [(1, "admin")], "a superuser, the only user"

    with running_site(database) as second:
        assert password not in second.superuser and SUPERUSER_MADE.search(second.superuser) is None
        assert "sign in as the superuser 'admin'" in second.superuser, second.superuser
    assert len(rows(database, "auth_user")) == 1, "no second superuser"

    other = tmp_path / "other.sqlite3"
    assert run_command(other, "migrate", *SITE_OPTIONS).returncode == 0
    again = run_command(other, "ensuresuperuser", *SITE_OPTIONS)
    assert again.returncode == 0 and SUPERUSER_MADE.search(again.stdout).group(2) != password, "random each time"


# --- chapter 11: the admin, over HTTP ------------------------------------------------------------


class FormReader(html.parser.HTMLParser):
    """The fields of one ``<form>`` of a page, as a browser would submit them untouched.

    ``pairs`` are ``(name, value)`` in the page's order: text inputs and
    hidden ones with their value, checked checkboxes and radios, a
    textarea's text, a select's selected options. Buttons are left out (the
    test says which one it clicks). ``options[name]`` maps each option's text
    to its value, for a test that picks one as a person would, by its label.
    """

    def __init__(self, form_id: str):
        super().__init__(convert_charrefs=True)
        self.form_id, self.inside = form_id, False
        self.pairs, self.options = [], {}
        self.textarea = self.select = self.option = None

    def handle_starttag(self, tag, attributes):
        attributes = dict(attributes)
        if tag == "form":
            self.inside = attributes.get("id") == self.form_id
        if not self.inside:
            return
        name = attributes.get("name")
        if tag == "input" and name and attributes.get("type", "text") not in ("submit", "button", "image", "reset"):
            if attributes.get("type") not in ("checkbox", "radio") or "checked" in attributes:
                default = "on" if attributes.get("type") in ("checkbox", "radio") else ""
                self.pairs.append([name, attributes.get("value") or default])
        elif tag == "textarea" and name:
            self.textarea = [name, ""]
            self.pairs.append(self.textarea)
        elif tag == "select" and name:
            self.select = name
            self.options[name] = {}
        elif tag == "option" and self.select:
            self.option = [attributes.get("value"), "", "selected" in attributes]

    def handle_data(self, data):
        if self.textarea is not None:
            self.textarea[1] += data
        elif self.option is not None:
            self.option[1] += data

    def handle_endtag(self, tag):
        if tag == "form":
            self.inside = False
        elif tag == "textarea":
            if self.textarea is not None and self.textarea[1].startswith("\n"):
                self.textarea[1] = self.textarea[1][1:]  # HTML drops the newline right after <textarea>
            self.textarea = None
        elif tag == "option" and self.option is not None:
            value, text, selected = self.option
            value = text if value is None else value
            self.options[self.select][text.strip()] = value
            if selected:
                self.pairs.append([self.select, value])
            self.option = None
        elif tag == "select":
            self.select = None


def read_form(page: str, form_id: str) -> FormReader:
    reader = FormReader(form_id)
    reader.feed(page)
    assert reader.pairs, f'no form with id="{form_id}" on the page, or it has no fields'
    return reader


def filled(reader: FormReader, changes: dict, button: str) -> list:
    """The form's fields as the page had them, with ``changes`` typed in (a list: every selected value), and the button."""
    pairs = [(name, value) for name, value in reader.pairs if name not in changes]
    for name, value in changes.items():
        pairs.extend((name, item) for item in (value if isinstance(value, list) else [value]))
    return [*pairs, (button, "")]


def post_pairs(browser: Browser, path: str, pairs: list):
    """POST a form's ``(name, value)`` pairs (its CSRF token among them), a name repeated for each selected value."""
    return browser.open(path, data=urllib.parse.urlencode(pairs).encode(), method="POST")


def success_messages(page: str) -> list[str]:
    return re.findall(r'<li class="success">(.*?)</li>', page, re.DOTALL)


def signed_in_to_the_admin(running) -> Browser:
    """A browser signed in to the admin as the superuser the run command made, through the admin's login form."""
    username, password = SUPERUSER_MADE.search(running.superuser).groups()
    browser = Browser(running.base_url)
    status, headers, _ = browser.open("/admin/")
    assert (status, headers["Location"]) == (302, "/admin/login/?next=/admin/"), "the anonymous are sent to log in"
    status, headers, _ = browser.submit("/admin/login/?next=/admin/",
                                        {"username": username, "password": password, "next": "/admin/"})
    assert (status, headers.get("Location")) == (302, "/admin/"), "the printed password signs in to the admin"
    return browser


@pytest.mark.slow
def test_the_admin_index_lists_the_blogs_models_for_the_superuser(running):
    browser = signed_in_to_the_admin(running)
    status, _, page = browser.open("/admin/")
    assert status == 200
    for model in ("post", "author", "tag"):
        assert f'href="/admin/blog/{model}/"' in page and f'href="/admin/blog/{model}/add/"' in page, model
    assert "/admin/blog/comment/" not in page, "comments are edited inline, on their post's page"
    status, _, page = browser.open("/admin/blog/post/")
    assert status == 200 and "6 posts" in page, "the six sample posts"
    for title in ("Hello, WSGI", "Requests &amp; responses", "Posts in SQLite"):
        assert title in page, title


@pytest.mark.slow
def test_a_visitor_who_is_not_staff_cannot_sign_in_to_the_admin(site):
    browser = signed_up(site, "mallory")
    status, headers, _ = browser.open("/admin/blog/post/")
    assert (status, headers["Location"]) == (302, "/admin/login/?next=/admin/blog/post/")
    status, _, page = browser.submit("/admin/login/", {"username": "mallory", "password": "Comment-away-2026"})
    assert status == 200, "refused, the form shown again"
    assert ("Please enter the correct username and password for a staff account. "
            "Note that both fields may be case-sensitive.") in page


@pytest.mark.slow
def test_a_post_with_three_comments_is_added_found_changed_and_deleted_in_the_admin(running):
    """What the issue asks of a person in a browser, over HTTP: every page, form and button of the admin's own."""
    browser = signed_in_to_the_admin(running)
    status, _, page = browser.open("/admin/blog/post/add/")
    assert status == 200
    form = read_form(page, "post_form")
    comments = {"comments-0-name": "Ada", "comments-0-body": "First & <best>.",
                "comments-1-name": "Grace", "comments-1-body": "Second.",
                "comments-2-name": "Edsger", "comments-2-body": "Third, considered harmful."}
    status, headers, page = post_pairs(browser, "/admin/blog/post/add/", filled(form, {
        "title": "Three comments & <more>", "slug": "three-comments", "body": "Written in the admin.",
        "author": form.options["author"]["Grace Hopper"], "tags": [form.options["tags"]["ORM"]], **comments,
    }, "_save"))  # fmt: skip
    assert status == 302, f"the post was not saved: {re.findall(r'errorlist[^>]*>(.*?)</ul>', page, re.DOTALL)}"
    assert headers["Location"] == "/admin/blog/post/"
    _, _, page = browser.open("/admin/blog/post/")
    [added] = success_messages(page)
    change_url = re.search(r'href="(/admin/blog/post/(\d+)/change/)"', added).group(1)
    assert added == f'The post “<a href="{change_url}">Three comments &amp; &lt;more&gt;</a>” was added successfully.'
    _, _, public = fetch(running.base_url + "posts/three-comments/")
    assert "<h2>3 comments</h2>" in public and "First &amp; &lt;best&gt;." in public, "saved with its inline comments"
    assert 'By <a href="/authors/grace/">Grace Hopper</a>' in public and '<a href="/tags/orm/">ORM</a>' in public

    status, _, page = browser.open("/admin/blog/post/?q=three+comments")
    assert status == 200 and "1 result" in page and "7 total" in page
    assert re.findall(r'href="/admin/blog/post/(\d+)/change/', page) == [change_url.split("/")[4]], "found, alone"

    status, _, page = browser.open(change_url)
    assert status == 200 and page.count('value="Ada"') + page.count('value="Grace"') + page.count('value="Edsger"') == 3
    form = read_form(page, "post_form")
    second = next(name for name, value in form.pairs if value == "Grace").replace("-name", "-DELETE")
    status, headers, page = post_pairs(browser, change_url, filled(form, {
        "title": "Three comments, changed", second: "on",
    }, "_continue"))  # fmt: skip
    assert (status, headers.get("Location")) == (302, change_url), "save and continue editing: back to the form"
    _, _, page = browser.open(change_url)
    assert success_messages(page) == [f'The post “<a href="{change_url}">Three comments, changed</a>” was changed '
                                      "successfully. You may edit it again below."]
    _, _, public = fetch(running.base_url + "posts/three-comments/")
    assert "<h1>Three comments, changed</h1>" in public and "<h2>2 comments</h2>" in public and "Second." not in public

    delete_url = change_url.replace("/change/", "/delete/")
    status, _, page = browser.open(delete_url)
    assert status == 200 and "<li>Posts: 1</li>" in page and "<li>Comments: 2</li>" in page, "what would go with it"
    assert "Comment: Ada on Three comments, changed" in page
    status, headers, _ = browser.submit(delete_url, {"post": "yes"})
    assert (status, headers["Location"]) == (302, "/admin/blog/post/")
    _, _, page = browser.open("/admin/blog/post/")
    assert success_messages(page) == ["The post “Three comments, changed” was deleted successfully."]
    assert fetch(running.base_url + "posts/three-comments/")[0] == 404
    _, _, page = browser.open("/admin/")
    assert "Three comments, changed" in page, "the index's recent actions name the deleted post"
