"""The blog's app configuration.

How it works: ``INSTALLED_APPS = ["blog"]`` names this package, and the app
registry uses ``BlogConfig``, the one AppConfig subclass defined here: its
models live in ``blog.models``, its migrations in ``blog/migrations``.

Chapters 06 and 07 had ``BlogConfig.ready()`` make the database on the
site's first start: it created the tables with ``migrate --run-syncdb``,
added the first posts, and patched a chapter 06 database into chapter 07's
shape with hand-written SQL. From chapter 08 migrations do all of that, as in
Django, and ``ready()`` is gone:

- ``0001_initial`` creates chapter 06's ``blog_post``;
- ``0002_relations`` adds chapter 07's authors, tags and comments;
- ``0003_initial_posts`` adds the first posts (a data migration).

The README's command runs ``migrate --fake-initial`` before ``runserver``. On a new database it applies all three. On a database made by
chapter 06's or 07's blog, which has tables but no record of migrations,
``--fake-initial`` records the initial migrations whose tables are all
there without running them (``0001``, and ``0002`` on chapter 07's), applies
the rest, and every row stays.
"""

from tinyframe.apps import AppConfig


class BlogConfig(AppConfig):
    """The blog app: posts with their authors, tags and comments."""

    name = "blog"
