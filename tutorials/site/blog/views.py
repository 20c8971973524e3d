"""The example site's views: plain functions from an HttpRequest to an HttpResponse."""

from html import escape

from tinyframe.http import Http404, HttpResponse, HttpResponseRedirect, JsonResponse

from mysite.posts import POSTS, find_post


def page(title: str, body: str) -> HttpResponse:
    """Wrap an HTML fragment in a page. Chapter 03 replaces this with templates."""
    return HttpResponse(
        f"<!doctype html><html><head><title>{escape(title)}</title></head>"
        f"<body><h1>{escape(title)}</h1>{body}</body></html>"
    )


def home(request):
    """The front page: a list of posts, each linking to its own page."""
    items = "".join(
        f'<li><a href="/posts/{escape(post["slug"])}/">{escape(post["title"])}</a></li>'
        for post in POSTS
    )
    return page("tinyframe blog", f"<ul>{items}</ul><p><a href='/visits/'>Visits</a></p>")


def post_detail(request, slug):
    """One post, or a 404 when the slug is unknown."""
    post = find_post(slug)
    if post is None:
        raise Http404(f"No post with slug {slug!r}")
    return page(post["title"], f"<p>{escape(post['body'])}</p><p><a href='/'>All posts</a></p>")


def post_list_json(request):
    """The posts as JSON, for scripts."""
    return JsonResponse({"posts": POSTS})


def visits(request):
    """Count this browser's visits in a signed cookie it cannot forge."""
    count = int(request.get_signed_cookie("visits", default="0", salt="visits")) + 1
    response = page("Visits", f"<p>You have been here {count} time(s).</p>")
    response.set_signed_cookie("visits", str(count), salt="visits", httponly=True, samesite="Lax")
    return response


def old_home(request):
    """An address the site used to have: send visitors, and search engines, to the new one."""
    return HttpResponseRedirect("/")
