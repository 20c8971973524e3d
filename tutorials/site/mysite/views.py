"""The site's own views, beside the blog's: from chapter 10, signing up.

Signing in and out are Django's views (``tinyframe.contrib.auth.urls``,
included under ``accounts/`` in ``mysite/urls.py``). Signing up is not a
view Django ships, so the site writes its own: a ``CreateView`` of
``UserCreationForm`` that signs the new user in.
"""

from tinyframe.conf import settings
from tinyframe.contrib import messages
from tinyframe.contrib.auth import login
from tinyframe.contrib.auth.forms import UserCreationForm
from tinyframe.contrib.auth.views import RedirectURLMixin
from tinyframe.shortcuts import resolve_url
from tinyframe.views.generic import CreateView


class SignUpView(RedirectURLMixin, CreateView):
    """``/accounts/signup/``: a username and a password typed twice make an account, signed in at once.

    ``UserCreationForm`` checks that the username is free (in any case) and
    the password against ``AUTH_PASSWORD_VALIDATORS``, and stores only the
    password's hash. The new user is then signed in (``login`` gives the
    visitor a new session key), greeted by a message, and sent to ``next``
    when that is a page of this site (the sign-in page passes its own on),
    else to ``LOGIN_REDIRECT_URL``: ``RedirectURLMixin`` makes the same check
    as the sign-in page, so a link cannot send a new user off to another site.
    """

    form_class = UserCreationForm
    template_name = "registration/signup.html"

    def get_default_redirect_url(self) -> str:
        """Where a new user goes without a safe ``next``: where signing in leads (the front page)."""
        return resolve_url(settings.LOGIN_REDIRECT_URL)

    def get_context_data(self, **kwargs):
        """The form, and ``next`` (empty unless it is safe) for the form's hidden field and the sign-in link."""
        return super().get_context_data(**{self.redirect_field_name: self.get_redirect_url(), **kwargs})

    def form_valid(self, form):
        """Save the user (``CreateView``), sign them in and greet them, then redirect."""
        response = super().form_valid(form)
        login(self.request, self.object)
        username = self.object.get_username()
        messages.success(self.request, f"Welcome, {username}! Your account is ready, and you are signed in.")
        return response
