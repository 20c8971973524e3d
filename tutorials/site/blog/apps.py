"""The blog's app configuration, and the site's first run: a new database gets its table and first posts.

How it works: ``INSTALLED_APPS = ["blog"]`` names this package, and the app
registry uses ``BlogConfig``, the one AppConfig subclass defined here. In
``tinyframe.setup()`` the registry imports ``blog.models``, then calls
``BlogConfig.ready()``: once per process, before a server takes its first
request. ``ready()`` calls ``create_blog_database()``, which in one
transaction looks for the ``blog_post`` table and, only when it is missing,
has ``migrate --run-syncdb`` create the tables and adds
``blog.posts.INITIAL_POSTS``. SQLite creates the database file itself when it
does not exist, so a fresh clone needs nothing else. Every later start finds
the table and leaves the database as it is.

Why in ``ready()``. In Django a new database is made by hand before the first
``runserver``: ``migrate`` creates the tables, and a data migration or
``loaddata`` adds the first rows. tinyframe has no migrations before chapter
08, and the README promises one command that brings the site up, so the blog
does its own first run. The other places it could go are worse:

- importing ``settings.py`` or ``models.py``: tools import settings just to
  read them, and models are imported while the registry is still half full;
- the first request: a threaded server may be answering two "first" requests
  at once, and a visitor waits while the database is made;
- ``mysite/wsgi.py``: only servers import it, so a script or a test client
  that sets the site up would find an empty database.

``ready()`` is the app's one start-up hook, run for servers, scripts and tests
alike, once the models exist. Django's documentation warns against touching
the database there, because ``ready()`` also runs before every management
command. That is why it does as little as it can: one look at SQLite's list of
tables on each start, and changes only when the blog's table is missing.
"""

import sys

from tinyframe.apps import AppConfig
from tinyframe.core.management import call_command
from tinyframe.db import DEFAULT_DB_ALIAS, connections, transaction


class BlogConfig(AppConfig):
    """The blog app: its models live in ``blog.models``; on start-up, a new database gets the first posts.

    Why a configuration class: ``ready()`` is the place for work that needs the
    models loaded and must happen once, before the site serves anything.
    """

    name = "blog"

    def ready(self):
        """Give a database that has no blog yet its table and first posts."""
        create_blog_database()


def create_blog_database(using: str = DEFAULT_DB_ALIAS) -> bool:
    """Create the ``blog_post`` table and add the initial posts, if the table is missing; say whether it did.

    Why one transaction around the look and the changes: a start that fails
    half-way (a full disk, Ctrl-C) leaves no table, so the next start tries
    again, instead of a table without posts that would never be filled. The
    site's settings begin transactions with ``IMMEDIATE``, which takes SQLite's
    write lock at ``BEGIN``: two processes starting together on a new database
    take turns, and the second finds the table the first made.

    Why ``migrate`` rather than ``connection.schema_editor()`` directly:
    creating tables is that command's job, here as for a person typing
    ``manage.py migrate --run-syncdb``, and chapter 08's migrations will
    change how it makes them, not this call.
    """
    from blog.models import Post
    from blog.posts import INITIAL_POSTS

    connection = connections[using]
    with transaction.atomic(using=using):
        if Post._meta.db_table in connection.introspection.table_names():
            return False
        call_command("migrate", run_syncdb=True, database=using, verbosity=0)
        Post.objects.using(using).bulk_create([Post(**fields) for fields in INITIAL_POSTS])
    # Once per database, and worth knowing: where the posts went.
    sys.stderr.write(
        f"Created the blog's table in {connection.settings_dict['NAME']} "
        f"with {len(INITIAL_POSTS)} posts.\n"
    )
    return True
