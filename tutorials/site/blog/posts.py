"""The blog's posts: the ones a new site starts with, and finding one by its slug.

Until chapter 06 the posts lived in a list in this module. Now they are rows
of the ``blog_post`` table (``blog.models.Post``): ``INITIAL_POSTS`` is only
what the first run puts into a new database (``blog/apps.py``), and
``find_post`` asks the database. From chapter 07 the first run also adds
``INITIAL_AUTHORS``, ``INITIAL_TAGS`` and, for each post in
``INITIAL_RELATIONS``, its author, tags and comments.
"""

import datetime

from blog.models import Post


def at(month: int, day: int, hour: int = 9) -> datetime.datetime:
    """A moment of 2026 in UTC: the sample data's fixed dates."""
    return datetime.datetime(2026, month, day, hour, 0, tzinfo=datetime.timezone.utc)


# Fixed dates, oldest first, so that the front page (newest first) shows the
# same order on every new database.
INITIAL_POSTS = [
    {
        "slug": "hello-wsgi",
        "title": "Hello, WSGI",
        "body": "A web application is a callable that takes an environ and start_response.",
        "published": at(1, 5),
    },
    {
        "slug": "requests-and-responses",
        "title": "Requests & responses",
        "body": "HttpRequest wraps the environ; HttpResponse becomes <status, headers, body>.",
        "published": at(1, 12),
    },
    {
        "slug": "urls-have-names",
        "title": "URLs have names",
        "body": "Links are built with {% url 'blog:post_detail' slug=post.slug %}, so a route can move.",
        "published": at(1, 19),
    },
    {
        "slug": "posts-in-sqlite",
        "title": "Posts in SQLite",
        "body": "This blog's posts are rows of the blog_post table, read with Post.objects.all().",
        "published": at(2, 2),
    },
    {
        "slug": "authors-tags-and-comments",
        "title": "Authors, tags and comments",
        "body": "A ForeignKey gives each post its author and each comment its post; a ManyToManyField "
                "gives posts their tags.",
        "published": at(2, 16),
    },
    {
        "slug": "one-page-at-a-time",
        "title": "One page at a time",
        "body": "The front page is a ListView with paginate_by: ?page=2 shows older posts, and a page "
                "that is not there is a 404.",
        "published": at(2, 23),
    },
]

INITIAL_AUTHORS = [
    {"slug": "ada", "name": "Ada Lovelace", "bio": "Writes about the request's way in and out."},
    {"slug": "grace", "name": "Grace Hopper", "bio": "Writes about data, and the queries that fetch it."},
]

# (slug, name) of each tag.
INITIAL_TAGS = [("http", "HTTP"), ("orm", "ORM"), ("relations", "Relations"), ("urls", "URLs"),
                ("views", "Views")]

# Each initial post's author (a slug of INITIAL_AUTHORS), tags (slugs of
# INITIAL_TAGS) and comments (who, what, when).
INITIAL_RELATIONS = {
    "hello-wsgi": {
        "author": "ada",
        "tags": ["http"],
        "comments": [("Alan", "So a web app is just a function?", at(1, 6))],
    },
    "requests-and-responses": {"author": "ada", "tags": ["http", "views"], "comments": []},
    "urls-have-names": {"author": "ada", "tags": ["urls", "views"], "comments": []},
    "posts-in-sqlite": {
        "author": "grace",
        "tags": ["orm"],
        "comments": [("Edgar", "Rows in, objects out.", at(2, 3)),
                     ("Alan", "And no SQL in the views!", at(2, 4))],
    },
    "authors-tags-and-comments": {
        "author": "grace",
        "tags": ["orm", "relations"],
        "comments": [("Ada", "This page lists its comments with prefetch_related.", at(2, 17))],
    },
    "one-page-at-a-time": {"author": "ada", "tags": ["relations", "views"], "comments": []},
}


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
