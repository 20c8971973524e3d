"""The blog's data: a ``Post`` is one row of the ``blog_post`` table.

From chapter 06 the example site keeps its posts in SQLite, the database that
``settings.DATABASES`` names, and reads them through the ORM:
``Post.objects.all()`` for the front page, newest first, and
``Post.objects.filter(slug=slug)`` for one post's page. The table is created,
and the first posts added, the first time the site starts (``blog/apps.py``).
"""

from tinyframe.db import models
from tinyframe.utils import timezone


class Post(models.Model):
    """One blog post, reached by its slug: ``/posts/<slug>/``.

    Why these fields: the slug is the post's address, so no two posts may share
    one (``unique``, which SQLite enforces with an index); the title and body are
    what the pages show; ``published`` orders the front page, and is the moment
    the post was created unless one is given.
    """

    slug = models.SlugField(unique=True)
    title = models.CharField(max_length=200)
    body = models.TextField()
    published = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-published"]

    def __str__(self):
        return self.title
