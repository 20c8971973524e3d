"""The example site's root URLconf (``ROOT_URLCONF``): every request's path is resolved here."""

from tinyframe.urls import include, path
# >>> 10_auth

from mysite.views import SignUpView
# <<< 10_auth

urlpatterns = [
    path("", include("blog.urls")),
    # >>> 10_auth
    # Chapter 10: signing up is the site's own view; signing in and out, and
    # changing a password, are Django's (login/, logout/, password_change/...).
    path("accounts/signup/", SignUpView.as_view(), name="signup"),
    path("accounts/", include("tinyframe.contrib.auth.urls")),
    # <<< 10_auth
]
