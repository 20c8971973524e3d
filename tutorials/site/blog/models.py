"""The blog's data: a ``Post`` is one row of the ``blog_post`` table.

From chapter 06 the example site keeps its posts in SQLite, the database that
``settings.DATABASES`` names, and reads them through the ORM:
``Post.objects.all()`` for the front page, newest first, and
``Post.objects.filter(slug=slug)`` for one post's page. In chapters 06 and
07 the tables were created, and the first posts added, the first time the
site started (``blog/apps.py``); from chapter 08 the blog's migrations do it
(``blog/migrations``, applied by ``manage.py migrate``).

From chapter 07 posts have relations: an ``Author`` each (a ForeignKey:
``post.author``, and ``author.posts`` the other way), ``Tag``s (a
ManyToManyField, through the table ``blog_post_tags``) and ``Comment``s (a
ForeignKey on the comment: ``post.comments``).
"""

from tinyframe.db import models
from tinyframe.utils import timezone


class Author(models.Model):
    """Who wrote a post; the author's page, ``/authors/<slug>/``, lists what they wrote."""

    slug = models.SlugField(unique=True)
    name = models.CharField(max_length=100)
    bio = models.TextField(blank=True)

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name


class Tag(models.Model):
    """A subject posts share; ``/tags/<slug>/`` lists the posts that have it."""

    slug = models.SlugField(unique=True)
    name = models.CharField(max_length=50, unique=True)

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name


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
    # >>> 07_relations
    # null: the posts of a chapter 06 database had no author, and a post
    # outlives its author (SET_NULL) rather than vanish with them.
    author = models.ForeignKey(Author, on_delete=models.SET_NULL, null=True, blank=True, related_name="posts")
    tags = models.ManyToManyField(Tag, blank=True, related_name="posts")
    # <<< 07_relations

    class Meta:
        ordering = ["-published"]

    def __str__(self):
        return self.title


class Comment(models.Model):
    """A reader's comment under a post, oldest first; it goes when its post goes (CASCADE)."""

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="comments")
    name = models.CharField(max_length=100)
    body = models.TextField()
    created = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created"]

    def __str__(self):
        return f"{self.name} on {self.post}"
