"""The blog's admin (chapter 11): posts with their comments inline, authors and tags, at ``/admin/``.

How it works: ``tinyframe.contrib.admin`` is installed first in the site's
settings, and when the site starts, its ``AdminConfig.ready()`` imports every
installed app's ``admin`` module (autodiscovery): this one. Each
``@admin.register`` files a model with a ``ModelAdmin`` on ``admin.site``,
whose URLs the site's URLconf includes at ``admin/``. Everything else, the
changelist's columns, filters and search, the change form's fields and
widgets, the comments' inline forms, comes from the models' ``_meta`` and
the options below.

Sign in with the superuser the README's run command printed (the blog's
``ensuresuperuser`` command made it).
"""

from tinyframe.contrib import admin
from tinyframe.contrib.admin.widgets import AdminTextareaWidget
from tinyframe.db import models
from tinyframe.db.models import Count

from blog.models import Author, Comment, Post, Tag


class CommentInline(admin.TabularInline):
    """A post's comments, one table row each, edited on the post's own page and saved with it."""

    model = Comment
    fields = ("name", "body", "created")
    readonly_fields = ("created",)
    extra = 3
    # A comment is a few lines: three rows a text area keep the table short.
    formfield_overrides = {models.TextField: {"widget": AdminTextareaWidget(attrs={"rows": 3})}}


@admin.register(Post)
class PostAdmin(admin.ModelAdmin):
    """Posts: the newest first, found by title, body or author, filtered by date, author or tag."""

    list_display = ("title", "author", "published", "comment_count")
    list_filter = ("published", "author", "tags")
    search_fields = ("title", "body", "author__name")
    date_hierarchy = "published"
    list_select_related = ("author",)
    fieldsets = [
        (None, {"fields": ("title", "slug", "author", "body")}),
        ("Publishing", {"fields": ("published", "tags")}),
    ]
    prepopulated_fields = {"slug": ("title",)}
    inlines = [CommentInline]

    def get_queryset(self, request):
        # One query for the whole page: each post's comments counted by the
        # database (a LEFT JOIN and a GROUP BY), not one COUNT per row.
        return super().get_queryset(request).annotate(comment_total=Count("comments"))

    @admin.display(description="Comments", ordering="comment_total")
    def comment_count(self, post: Post) -> int:
        return post.comment_total


@admin.register(Author)
class AuthorAdmin(admin.ModelAdmin):
    """Authors, by name; an author's slug is made from the name as it is typed."""

    list_display = ("name", "slug")
    search_fields = ("name", "bio")
    prepopulated_fields = {"slug": ("name",)}


@admin.register(Tag)
class TagAdmin(admin.ModelAdmin):
    """Tags, by name."""

    list_display = ("name", "slug")
    search_fields = ("name",)
    prepopulated_fields = {"slug": ("name",)}
