"""``showmigrations``: each app's migrations marked applied or not, or the whole plan in order.

The apps: ``shop`` (``0001_initial``) and ``blog`` (``0001_initial``, then
``0002_post_slug``, which also needs ``shop.0001_initial``), written by the
``project`` fixture; the outputs are Django 5.2's for the same apps.
"""

import io
import re
import textwrap

import pytest

from tinyframe.core.management import call_command
from tinyframe.db import connection
from tinyframe.db.migrations.recorder import MigrationRecorder


@pytest.fixture
def blog(project):
    project.app("blog", "", {
        "0001_initial": project.migration(initial=True),
        "0002_post_slug": project.migration([("blog", "0001_initial"), ("shop", "0001_initial")]),
    })
    project.app("shop", "", {"0001_initial": project.migration(initial=True)})
    project.app("plain")
    project.install("blog", "shop", "plain")
    return project


def show(*args, **options) -> str:
    stdout = io.StringIO()
    call_command("showmigrations", *args, stdout=stdout, **options)
    return stdout.getvalue()


def expected(text: str) -> str:
    return textwrap.dedent(text).lstrip("\n")


def record(*keys) -> None:
    recorder = MigrationRecorder(connection)
    for key in keys:
        recorder.record_applied(*key)


def test_the_list_marks_each_apps_migrations_oldest_first(blog):
    record(("blog", "0001_initial"))

    assert show() == expected("""
        blog
         [X] 0001_initial
         [ ] 0002_post_slug
        shop
         [ ] 0001_initial
        """)


def test_the_list_of_named_apps_says_when_one_has_no_migrations(blog):
    assert show("shop", "plain") == "shop\n [ ] 0001_initial\nplain\n (no migrations)\n"


def test_verbosity_2_adds_when_each_migration_was_applied(blog):
    record(("shop", "0001_initial"))

    lines = show("shop", verbosity=2).splitlines()

    assert re.fullmatch(r" \[X\] 0001_initial \(applied at \d{4}-\d\d-\d\d \d\d:\d\d:\d\d\)", lines[1]), lines


def test_the_plan_lists_every_migration_in_applying_order(blog):
    record(("shop", "0001_initial"))

    assert show(format="plan") == expected("""
        [X]  shop.0001_initial
        [ ]  blog.0001_initial
        [ ]  blog.0002_post_slug
        """)
    assert show("--plan", "-v", "2") == expected("""
        [X]  shop.0001_initial
        [ ]  blog.0001_initial
        [ ]  blog.0002_post_slug ... (blog.0001_initial, shop.0001_initial)
        """)
    assert show("-p", "shop") == "[X]  shop.0001_initial\n"
    assert show("-p", "plain") == "(no migrations)\n"


def test_unknown_app_labels_are_named_and_exit_2(blog):
    stderr = io.StringIO()

    with pytest.raises(SystemExit) as exit_status:
        call_command("showmigrations", "nope", "blog", "zilch", stdout=io.StringIO(), stderr=stderr)

    assert exit_status.value.code == 2
    assert stderr.getvalue() == "No installed app with label 'nope'.\nNo installed app with label 'zilch'.\n"


def test_a_squashed_migration_counts_its_migrations_and_says_when_it_is_not_recorded(project):
    project.app("blog", "", {
        "0001_initial": project.migration(initial=True),
        "0002_more": project.migration([("blog", "0001_initial")]),
        "0001_squashed_0002": project.migration(replaces=[("blog", "0001_initial"), ("blog", "0002_more")]),
    })
    project.install("blog")

    assert show() == "blog\n [ ] 0001_squashed_0002 (2 squashed migrations)\n"

    record(("blog", "0001_initial"), ("blog", "0002_more"))
    assert show() == (
        "blog\n [-] 0001_squashed_0002 (2 squashed migrations) Run 'manage.py migrate' to finish recording.\n"
    )

    call_command("migrate", stdout=io.StringIO())
    assert show() == "blog\n [X] 0001_squashed_0002 (2 squashed migrations)\n"
