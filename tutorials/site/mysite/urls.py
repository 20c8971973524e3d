"""The example site's root URLconf (``ROOT_URLCONF``): every request's path is resolved here."""

from tinyframe.urls import include, path
# >>> 10_auth

from mysite.views import SignUpView
# <<< 10_auth
# >>> 11_admin
from tinyframe.contrib import admin
# <<< 11_admin

urlpatterns = [
    path("", include("blog.urls")),
    # >>> 10_auth
    # Chapter 10: signing up is the site's own view; signing in and out, and
    # changing a password, are Django's (login/, logout/, password_change/...).
    path("accounts/signup/", SignUpView.as_view(), name="signup"),
    path("accounts/", include("tinyframe.contrib.auth.urls")),
    # <<< 10_auth
    # >>> 11_admin
    # Chapter 11: the admin, its pages made from the models blog/admin.py registers.
    path("admin/", admin.site.urls),
    # <<< 11_admin
]
