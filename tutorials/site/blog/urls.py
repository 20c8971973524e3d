"""The blog's URLs. The project includes them; ``app_name`` puts their names under ``blog:``."""

from tinyframe.urls import path
from tinyframe.views.generic import RedirectView

from blog import views

app_name = "blog"

urlpatterns = [
    path("", views.home, name="index"),
    path("posts/<slug:slug>/", views.post_detail, name="post_detail"),
    path("api/posts/", views.PostListJson.as_view(), name="post_list_json"),
    path("visits/", views.visits, name="visits"),
    # >>> 07_relations
    path("authors/<slug:slug>/", views.AuthorDetailView.as_view(), name="author_detail"),
    path("tags/<slug:slug>/", views.TagPostListView.as_view(), name="tag_detail"),
    # <<< 07_relations
    # An address the site used to have: send visitors, and search engines, to the new one.
    path("old-home/", RedirectView.as_view(pattern_name="blog:index")),
]
