"""The blog's views: functions and a class from an HttpRequest to an HttpResponse.

``blog/urls.py`` maps paths to them; links between pages are built with
``reverse()`` from the URL names, so a route can change without a hunt for
hard-coded paths.
"""

from html import escape

from tinyframe.http import Http404, HttpResponse, JsonResponse
from tinyframe.urls import reverse
from tinyframe.views import View
from tinyframe.views.decorators.http import require_GET, require_safe

from blog.posts import POSTS, find_post


def page(title: str, body: str) -> HttpResponse:
    """Wrap an HTML fragment in a page. Chapter 03 replaces this with templates."""
    return HttpResponse(
        f"<!doctype html><html><head><title>{escape(title)}</title></head>"
        f"<body><h1>{escape(title)}</h1>{body}</body></html>"
    )


@require_safe
def home(request):
    """The front page: a list of posts, each linking to its own page."""
    items = "".join(
        f'<li><a href="{escape(reverse("blog:post_detail", kwargs={"slug": post["slug"]}))}">'
        f'{escape(post["title"])}</a></li>'
        for post in POSTS
    )
    return page("tinyframe blog", f"<ul>{items}</ul><p><a href='{reverse('blog:visits')}'>Visits</a></p>")


def post_detail(request, slug):
    """One post, or a 404 when the slug is unknown."""
    post = find_post(slug)
    if post is None:
        raise Http404(f"No post with slug {slug!r}")
    return page(post["title"], f"<p>{escape(post['body'])}</p><p><a href='/'>All posts</a></p>")


class PostListJson(View):
    """The posts as JSON, for scripts. A class-based view: GET is answered by ``get``, other methods by 405."""

    def get(self, request):
        return JsonResponse({"posts": POSTS})


@require_GET
def visits(request):
    """Count this browser's visits in a signed cookie it cannot forge."""
    count = int(request.get_signed_cookie("visits", default="0", salt="visits")) + 1
    response = page("Visits", f"<p>You have been here {count} time(s).</p>")
    response.set_signed_cookie("visits", str(count), salt="visits", httponly=True, samesite="Lax")
    return response
