"""The example site's root URLconf (``ROOT_URLCONF``): every request's path is resolved here."""

from tinyframe.urls import include, path

urlpatterns = [
    path("", include("blog.urls")),
]
