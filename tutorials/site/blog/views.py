"""The blog's views: functions and classes from an HttpRequest to an HttpResponse.

``blog/urls.py`` maps paths to them. The pages are templates in
``blog/templates/blog/`` that extend the site's ``templates/base.html``; links
between pages are built from URL names with ``{% url %}``, so a route can
change without a hunt for hard-coded paths. From chapter 06 the posts come
from the database, through the ORM (``blog.models.Post``). From chapter 07
the pages that list or show one object are Django's generic views: the
front page and a tag's page are ``ListView``s, a page at a time, and an
author's page is a ``DetailView``.
"""

from tinyframe.http import Http404, JsonResponse
from tinyframe.shortcuts import get_object_or_404, render
from tinyframe.views import View
from tinyframe.views.decorators.http import require_GET, require_safe
from tinyframe.views.generic import DetailView, ListView

from blog.models import Author, Post, Tag
from blog.posts import find_post


class PostListView(ListView):
    """The front page: the posts, newest first, four to a page (``?page=2``), each with its author and tags.

    ``select_related("author")`` reads each post's author in the posts' own
    query (a JOIN), and ``prefetch_related("tags")`` all the page's tags in
    one more: a page costs three queries (the count, the page's posts, their
    tags) however many posts it shows. A page that is not there is a 404.
    """

    queryset = Post.objects.select_related("author").prefetch_related("tags")
    paginate_by = 4
    context_object_name = "posts"


# blog/urls.py names the front page's view ``views.home``. As in chapter 02,
# require_safe answers anything but GET and HEAD with 405.
home = require_safe(PostListView.as_view())


def post_detail(request, slug):
    """One post, or a 404 when the slug is unknown."""
    post = find_post(slug)
    if post is None:
        raise Http404(f"No post with slug {slug!r}")
    return render(request, "blog/post_detail.html", {"post": post})


# >>> 09_forms
# From chapter 09 a post's page takes comments: post_detail is redefined
# here (this definition replaces the one above), with the comment form.
from tinyframe.shortcuts import redirect  # noqa: E402
from tinyframe.views.decorators.http import require_http_methods  # noqa: E402

from blog.forms import CommentForm  # noqa: E402


@require_http_methods(["GET", "HEAD", "POST"])
def post_detail(request, slug):
    """One post, its comments and a form to add one; a 404 when the slug is unknown.

    GET shows an empty form. A valid POST stores the comment and redirects
    to the post's page (post/redirect/get: reloading that page cannot post
    the comment twice); an invalid one shows the page again, each error next
    to its field and the visitor's text kept, escaped like any other text.
    """
    post = find_post(slug)
    if post is None:
        raise Http404(f"No post with slug {slug!r}")
    if request.method == "POST":
        form = CommentForm(request.POST)
        if form.is_valid():
            comment = form.save(commit=False)  # a Comment, not saved yet: it needs its post
            comment.post = post
            comment.save()
            return redirect("blog:post_detail", slug=post.slug)
    else:
        form = CommentForm()
    return render(request, "blog/post_detail.html", {"post": post, "form": form})
# <<< 09_forms
# >>> 10_auth
# From chapter 10 only signed-in visitors comment, under their username:
# post_detail is redefined once more (this definition replaces chapter 09's).
from tinyframe.contrib import messages  # noqa: E402
from tinyframe.contrib.auth.views import redirect_to_login  # noqa: E402

from blog.forms import SignedInCommentForm  # noqa: E402


@require_http_methods(["GET", "HEAD", "POST"])
def post_detail(request, slug):
    """One post, its comments and, for a signed-in visitor, a form to add one; a 404 when the slug is unknown.

    An anonymous visitor gets a link to sign in instead of the form, and a
    POST from one (a page left open since signing out, a script) stores
    nothing: it is sent to the sign-in page, which leads back here. A
    signed-in visitor's form has only the text: the comment's name is the
    account's username, so nobody can comment in another's name. A stored
    comment redirects to the post (post/redirect/get) with a one-time thank-you.
    CSRF protection (the middleware) has refused any POST without the form's
    token before this view runs.
    """
    post = find_post(slug)
    if post is None:
        raise Http404(f"No post with slug {slug!r}")
    if not request.user.is_authenticated:
        if request.method == "POST":
            return redirect_to_login(request.get_full_path())
        return render(request, "blog/post_detail.html", {"post": post, "form": None})
    form = SignedInCommentForm(request.POST if request.method == "POST" else None)
    if form.is_valid():
        comment = form.save(commit=False)
        comment.post, comment.name = post, request.user.get_username()
        comment.save()
        messages.success(request, "Thank you: your comment is posted.")
        return redirect("blog:post_detail", slug=post.slug)
    return render(request, "blog/post_detail.html", {"post": post, "form": form})
# <<< 10_auth


class PostListJson(View):
    """The posts as JSON, for scripts. A class-based view: GET is answered by ``get``, other methods by 405."""

    def get(self, request):
        """Every post's slug, title and body, newest first: ``{"posts": [{"slug": ..., ...}, ...]}``."""
        return JsonResponse({"posts": list(Post.objects.values("slug", "title", "body"))})


@require_GET
def visits(request):
    """Count this browser's visits in a signed cookie it cannot forge."""
    count = int(request.get_signed_cookie("visits", default="0", salt="visits")) + 1
    response = render(request, "blog/visits.html", {"count": count})
    response.set_signed_cookie("visits", str(count), salt="visits", httponly=True, samesite="Lax")
    return response


class TagPostListView(PostListView):
    """The posts that have one tag (``/tags/<slug>/``), paginated as the front page is; an unknown tag is a 404."""

    def get_queryset(self):
        """The tag's posts (``tag.posts``, the reverse of ``Post.tags``), with the front page's related objects."""
        self.tag = get_object_or_404(Tag, slug=self.kwargs["slug"])
        return self.tag.posts.select_related("author").prefetch_related("tags")

    def get_context_data(self, **kwargs):
        """The front page's context, and the tag, for the heading."""
        return super().get_context_data(tag=self.tag, **kwargs)


class AuthorDetailView(DetailView):
    """An author's page (``/authors/<slug>/``): the name, the bio, and every post, newest first.

    The template is ``blog/author_detail.html`` and the author is ``author``
    in its context, both named after the model. ``prefetch_related("posts")``
    reads the author's posts in one query with the author's own.
    """

    queryset = Author.objects.prefetch_related("posts")
