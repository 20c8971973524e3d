"""The blog's app configuration, and the site's first run: a new database gets its tables and first posts.

How it works: ``INSTALLED_APPS = ["blog"]`` names this package, and the app
registry uses ``BlogConfig``, the one AppConfig subclass defined here. In
``tinyframe.setup()`` the registry imports ``blog.models``, then calls
``BlogConfig.ready()``: once per process, before a server takes its first
request. ``ready()`` calls ``create_blog_database()``, which in one
transaction looks at the database's tables. Without ``blog_post``, it has
``migrate --run-syncdb`` create the tables and adds ``blog.posts``'s initial
posts, authors, tags and comments. SQLite creates the database file itself
when it does not exist, so a fresh clone needs nothing else. A database made
by chapter 06's blog has ``blog_post`` only: ``add_relation_tables`` gives it
chapter 07's tables and column (``upgrade_from_chapter_06``). Every later
start finds all the tables and leaves the database as it is.

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
tables on each start, and changes only when one of the blog's tables is missing.
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
        """Give a database that has no blog yet its tables and first posts; bring chapter 06's up to date."""
        create_blog_database()


def blog_tables() -> list[str]:
    """The tables the blog's models need: one per model, and ``blog_post_tags`` for the posts' tags."""
    from blog.models import Author, Comment, Post, Tag

    return [model._meta.db_table for model in (Author, Tag, Post, Post.tags.through, Comment)]


def create_blog_database(using: str = DEFAULT_DB_ALIAS) -> bool:
    """Create the blog's tables and add the initial posts if ``blog_post`` is missing; say whether anything changed.

    A database that has ``blog_post`` but not chapter 07's tables was made by
    chapter 06's blog: it gets them (``upgrade_from_chapter_06``), its posts
    keep their rows, and the initial ones get their authors, tags and comments.

    Why one transaction around the look and the changes: a start that fails
    half-way (a full disk, Ctrl-C) leaves no table, so the next start tries
    again, instead of a table without posts that would never be filled. The
    site's settings begin transactions with ``IMMEDIATE``, which takes SQLite's
    write lock at ``BEGIN``: two processes starting together on a new database
    take turns, and the second finds the tables the first made.

    Why ``migrate`` rather than ``connection.schema_editor()`` directly:
    creating tables is that command's job, here as for a person typing
    ``manage.py migrate --run-syncdb``, and chapter 08's migrations will
    change how it makes them, not this call.
    """
    from blog.models import Post
    from blog.posts import INITIAL_POSTS

    connection = connections[using]
    name = connection.settings_dict["NAME"]
    with transaction.atomic(using=using):
        existing = connection.introspection.table_names()
        if all(table in existing for table in blog_tables()):
            return False
        if Post._meta.db_table in existing:
            added = upgrade_from_chapter_06(using)
            counts = add_initial_relations(using)
            message = f"Upgraded the blog in {name} to chapter 07's: added {', '.join(added)}, with {counts}."
        else:
            call_command("migrate", run_syncdb=True, database=using, verbosity=0)
            Post.objects.using(using).bulk_create([Post(**fields) for fields in INITIAL_POSTS])
            counts = add_initial_relations(using)
            message = f"Created the blog's tables in {name} with {len(INITIAL_POSTS)} posts, {counts}."
    # Once per database, and worth knowing: where the posts went.
    sys.stderr.write(message + "\n")
    return True


def upgrade_from_chapter_06(using: str = DEFAULT_DB_ALIAS) -> list[str]:
    """Give a chapter 06 database (``blog_post`` alone) chapter 07's tables and ``blog_post.author_id``; name them.

    Changing a table that exists is what migrations do, and tinyframe has
    none until chapter 08: this function is the one migration the blog
    needs, written by hand. ``migrate --run-syncdb`` creates the tables
    that are missing (``blog_author``, ``blog_tag``, ``blog_comment``), but
    not ``blog_post_tags``, which ``create_model`` makes only along with
    ``blog_post``; and no command adds a column to a table, so ``ALTER
    TABLE ... ADD COLUMN`` does, with the definition the schema editor
    would have written in ``CREATE TABLE``.
    """
    from blog.models import Post

    connection = connections[using]
    before = connection.introspection.table_names()
    call_command("migrate", run_syncdb=True, database=using, verbosity=0)
    through = Post.tags.through
    with connection.cursor() as cursor:
        # SQLite's list of a table's columns: (position, name, type, ...) per column.
        cursor.execute(f"PRAGMA table_info({connection.ops.quote_name(Post._meta.db_table)})")
        columns = {row[1] for row in cursor.fetchall()}
    author = Post._meta.get_field("author")
    with connection.schema_editor() as editor:
        if through._meta.db_table not in connection.introspection.table_names():
            editor.create_model(through)
        if author.column not in columns:
            table, column = editor.quote_name(Post._meta.db_table), editor.quote_name(author.column)
            editor.execute(f"ALTER TABLE {table} ADD COLUMN {column} {editor.column_sql(Post, author)}")
            # The index CREATE TABLE would have had for the key (the model's other indexes exist).
            editor.deferred_sql.extend(sql for sql in editor.model_indexes_sql(Post) if column in sql)
    added = sorted(table for table in blog_tables() if table not in before)
    if author.column not in columns:
        added.append(f"{Post._meta.db_table}.{author.column}")
    return added


def add_initial_relations(using: str = DEFAULT_DB_ALIAS) -> str:
    """Add the initial authors and tags, and give each initial post in the database its author, tags and comments.

    Returns what it added, for the start-up message: "2 authors, 5 tags and 4 comments".
    """
    from blog.models import Author, Comment, Post, Tag
    from blog.posts import INITIAL_AUTHORS, INITIAL_RELATIONS, INITIAL_TAGS

    authors = {fields["slug"]: Author.objects.using(using).create(**fields) for fields in INITIAL_AUTHORS}
    tags = {slug: Tag.objects.using(using).create(slug=slug, name=name) for slug, name in INITIAL_TAGS}
    comments = []
    for post in Post.objects.using(using).filter(slug__in=list(INITIAL_RELATIONS)):
        relations = INITIAL_RELATIONS[post.slug]
        post.author = authors[relations["author"]]
        post.save(update_fields=["author"])
        post.tags.set([tags[slug] for slug in relations["tags"]])
        comments += [Comment(post=post, name=name, body=body, created=created)
                     for name, body, created in relations["comments"]]
    Comment.objects.using(using).bulk_create(comments)
    return f"{len(authors)} authors, {len(tags)} tags and {len(comments)} comments"
