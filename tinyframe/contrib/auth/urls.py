"""The URLs of the auth views, under Django's names: ``include("tinyframe.contrib.auth.urls")``.

How it works: a project includes this module under a prefix
(``path("accounts/", include("tinyframe.contrib.auth.urls"))``) and gets
``login``, ``logout``, ``password_change`` and ``password_change_done``;
templates and ``LOGIN_URL = "login"`` name them. (Django's password reset
URLs need e-mail, which tinyframe does not send.)
"""

from tinyframe.contrib.auth import views
from tinyframe.urls import path

urlpatterns = [
    path("login/", views.LoginView.as_view(), name="login"),
    path("logout/", views.LogoutView.as_view(), name="logout"),
    path("password_change/", views.PasswordChangeView.as_view(), name="password_change"),
    path("password_change/done/", views.PasswordChangeDoneView.as_view(), name="password_change_done"),
]
