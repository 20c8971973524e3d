"""The README's run command serves the example site to a real HTTP client.

This starts ``python -m tinyframe runserver`` exactly as the README says (on a free
port instead of 8000), talks to it over a socket with urllib, and stops it with
Ctrl-C (SIGINT), as a person would.

The site keeps its posts in SQLite. Every server started here is pointed at a
temporary database through the environment variable ``TINYFRAME_EXAMPLE_DB``,
which ``tutorials/site/mysite/settings.py`` reads (its default is
``tutorials/site/db.sqlite3``), so the tests never write into the repository.
"""

import contextlib
import dataclasses
import json
import os
import pathlib
import re
import signal
import subprocess
import sys
import urllib.error
import urllib.request

import pytest

ROOT = pathlib.Path(__file__).resolve().parent.parent
RUN_COMMAND = [sys.executable, "-m", "tinyframe", "runserver", "--pythonpath", "tutorials/site",
               "--settings", "mysite.settings"]
INITIAL_SLUGS = ["posts-in-sqlite", "urls-have-names", "requests-and-responses", "hello-wsgi"]


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
    assert '<a href="/posts/hello-wsgi/">Hello, WSGI</a>' in body
    assert '<time datetime="2026-01-05T09:00:00+00:00">Jan. 5, 2026</time>' in body, "each post shows its date"


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
        listed = re.findall(r'<a href="/posts/([^/]+)/">', home)
        assert listed == INITIAL_SLUGS, f"the front page of a new site lists {listed}, expected {INITIAL_SLUGS}"
        status, _, page = fetch(first.base_url + "posts/hello-wsgi/")
        assert (status, "<h1>Hello, WSGI</h1>" in page) == (200, True)
        assert fetch(first.base_url + "posts/no-such-post/")[0] == 404
    assert database.exists(), "the first run should have created the database file"
    assert f"Created the blog's table in {database} with 4 posts." in first.output, first.output

    add_post_through_the_orm(database, slug="between-runs", title="Written between runs", body="Still here?")

    with running_site(database) as second:
        status, _, home = fetch(second.base_url)
        listed = re.findall(r'<a href="/posts/([^/]+)/">', home)
        assert listed == ["between-runs", *INITIAL_SLUGS], (
            f"the second run lists {listed}; expected the post added between runs, newest, then the initial ones"
        )
        status, _, page = fetch(second.base_url + "posts/between-runs/")
        assert (status, "<p>Still here?</p>" in page) == (200, True)
    assert "Created the blog's table" not in second.output, "the second run must reuse the database"
