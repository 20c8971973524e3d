"""The blog's posts: the ones a new site starts with, and finding one by its slug.

Until chapter 06 the posts lived in a list in this module. Now they are rows
of the ``blog_post`` table (``blog.models.Post``): ``INITIAL_POSTS`` is only
what the first run puts into a new database (``blog/apps.py``), and
``find_post`` asks the database.
"""

import datetime

from blog.models import Post

# Fixed dates, oldest first, so that the front page (newest first) shows the
# same order on every new database.
INITIAL_POSTS = [
    {
        "slug": "hello-wsgi",
        "title": "Hello, WSGI",
        "body": "A web application is a callable that takes an environ and start_response.",
        "published": datetime.datetime(2026, 1, 5, 9, 0, tzinfo=datetime.timezone.utc),
    },
    {
        "slug": "requests-and-responses",
        "title": "Requests & responses",
        "body": "HttpRequest wraps the environ; HttpResponse becomes <status, headers, body>.",
        "published": datetime.datetime(2026, 1, 12, 9, 0, tzinfo=datetime.timezone.utc),
    },
    {
        "slug": "urls-have-names",
        "title": "URLs have names",
        "body": "Links are built with {% url 'blog:post_detail' slug=post.slug %}, so a route can move.",
        "published": datetime.datetime(2026, 1, 19, 9, 0, tzinfo=datetime.timezone.utc),
    },
    {
        "slug": "posts-in-sqlite",
        "title": "Posts in SQLite",
        "body": "This blog's posts are rows of the blog_post table, read with Post.objects.all().",
        "published": datetime.datetime(2026, 2, 2, 9, 0, tzinfo=datetime.timezone.utc),
    },
]


def find_post(slug: str) -> Post | None:
    """The post with this slug, or None.

    ``filter(...).first()`` rather than ``get(...)``: a missing post is an
    ordinary answer here (the view turns it into a 404), not an exception.
    """
    return Post.objects.filter(slug=slug).first()
