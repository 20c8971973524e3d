"""The blog's views: functions and a class from an HttpRequest to an HttpResponse.

``blog/urls.py`` maps paths to them. The pages are templates in
``blog/templates/blog/`` that extend the site's ``templates/base.html``; links
between pages are built from URL names with ``{% url %}``, so a route can
change without a hunt for hard-coded paths. From chapter 06 the posts come
from the database, through the ORM (``blog.models.Post``).
"""

from tinyframe.http import Http404, JsonResponse
from tinyframe.shortcuts import render
from tinyframe.views import View
from tinyframe.views.decorators.http import require_GET, require_safe

from blog.models import Post
from blog.posts import find_post


@require_safe
def home(request):
    """The front page: a list of posts, newest first, each linking to its own page."""
    return render(request, "blog/post_list.html", {"posts": Post.objects.all()})


def post_detail(request, slug):
    """One post, or a 404 when the slug is unknown."""
    post = find_post(slug)
    if post is None:
        raise Http404(f"No post with slug {slug!r}")
    return render(request, "blog/post_detail.html", {"post": post})


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
