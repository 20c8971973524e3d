"""The blog's posts: finding one by its slug.

Until chapter 06 the posts lived in a list in this module. Now they are rows
of the ``blog_post`` table (``blog.models.Post``), and ``find_post`` asks the
database. The posts a new site starts with, with their authors, tags and
comments, are added by a data migration (``blog/migrations/0003_initial_posts.py``
from chapter 08; chapters 06 and 07 added them from ``blog/apps.py``).
"""

from blog.models import Post


def find_post(slug: str) -> Post | None:
    """The post with this slug, or None.

    ``filter(...).first()`` rather than ``get(...)``: a missing post is an
    ordinary answer here (the view turns it into a 404), not an exception.
    The post's page shows its author, tags and comments: ``select_related``
    brings the author in the same query (a JOIN), and ``prefetch_related``
    the tags and the comments in one query each, instead of one query every
    time the template asks.
    """
    return Post.objects.select_related("author").prefetch_related("tags", "comments").filter(slug=slug).first()
