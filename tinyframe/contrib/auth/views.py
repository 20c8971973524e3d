"""The pages of signing in and out: login, logout, password change.

How it works: ``LoginView`` is a ``FormView`` of ``AuthenticationForm``; a
valid form has found the user (``form.get_user()``), whom ``login()`` attaches
to the session, and the visitor is redirected to where they were going. That
place comes from the ``next`` parameter, which anyone can write into a link,
so ``RedirectURLMixin.get_redirect_url`` only accepts it when
``url_has_allowed_host_and_scheme`` says it stays on this site (or on
``success_url_allowed_hosts``); otherwise the redirect goes to
``LOGIN_REDIRECT_URL``. ``LogoutView`` accepts POST only (a GET is 405, as
in Django 5): a logout by GET could be triggered by any ``<img src>`` on
another site. ``PasswordChangeView`` asks for the old password and keeps the
current session signed in (``update_session_auth_hash``) while every other
session of the user is signed out. ``redirect_to_login`` builds the redirect
the decorators and mixins send anonymous visitors, ``?next=`` included.

    >>> from tinyframe.test import RequestFactory
    >>> view = RedirectURLMixin()
    >>> view.request = RequestFactory().get("/accounts/login/", {"next": "/posts/?page=2"})
    >>> view.get_redirect_url()
    '/posts/?page=2'
    >>> view.request = RequestFactory().get("/accounts/login/", {"next": "//evil.example/"})
    >>> view.get_redirect_url()
    ''
"""

from urllib.parse import urlsplit, urlunsplit

from tinyframe.conf import settings
from tinyframe.contrib.auth import REDIRECT_FIELD_NAME
from tinyframe.contrib.auth import login as auth_login
from tinyframe.contrib.auth import logout as auth_logout
from tinyframe.contrib.auth import update_session_auth_hash
from tinyframe.contrib.auth.decorators import login_not_required, login_required
from tinyframe.contrib.auth.forms import AuthenticationForm, PasswordChangeForm
from tinyframe.core.exceptions import ImproperlyConfigured
from tinyframe.http import HttpResponseRedirect, QueryDict
from tinyframe.shortcuts import resolve_url
from tinyframe.urls import reverse_lazy
from tinyframe.utils.decorators import method_decorator
from tinyframe.utils.http import url_has_allowed_host_and_scheme
from tinyframe.views.decorators.cache import never_cache
from tinyframe.views.decorators.csrf import csrf_protect
from tinyframe.views.generic.base import TemplateView
from tinyframe.views.generic.edit import FormView

__all__ = [
    "LoginView",
    "LogoutView",
    "PasswordChangeDoneView",
    "PasswordChangeView",
    "RedirectURLMixin",
    "logout_then_login",
    "redirect_to_login",
]


class RequestSite:
    """The site a request was made to, as its host: ``domain`` and ``name`` are both ``request.get_host()``.

    The sites framework (a later chapter) stores sites in the database; until
    then the login and logout pages' ``site`` and ``site_name`` come from the
    request, as Django's do when ``django.contrib.sites`` is not installed.
    """

    def __init__(self, request):
        self.domain = self.name = request.get_host()

    def __str__(self) -> str:
        return self.domain


class RedirectURLMixin:
    """Where to go after a form: a safe ``next`` from the request, else a default.

    ``next_page`` (a URL, a URL name or an object with ``get_absolute_url``)
    is the default; subclasses may override ``get_default_redirect_url``.
    """

    next_page = None
    redirect_field_name = REDIRECT_FIELD_NAME
    success_url_allowed_hosts = set()

    def get_success_url(self) -> str:
        """The safe ``next`` URL of the request, else ``get_default_redirect_url()``."""
        return self.get_redirect_url() or self.get_default_redirect_url()

    def get_redirect_url(self) -> str:
        """The ``next`` URL the visitor sent (POST first, then GET), or "" when it would leave the site.

        Over HTTPS, an absolute ``next`` must be https too: a redirect from a
        secure page must not hand the session's next page to plain HTTP.
        """
        redirect_to = self.request.POST.get(self.redirect_field_name, self.request.GET.get(self.redirect_field_name))
        url_is_safe = url_has_allowed_host_and_scheme(
            url=redirect_to,
            allowed_hosts=self.get_success_url_allowed_hosts(),
            require_https=self.request.is_secure(),
        )
        return redirect_to if url_is_safe else ""

    def get_success_url_allowed_hosts(self) -> set:
        """The hosts ``next`` may point to: this request's host, and ``success_url_allowed_hosts``."""
        return {self.request.get_host(), *self.success_url_allowed_hosts}

    def get_default_redirect_url(self) -> str:
        """``next_page``, resolved; ImproperlyConfigured when there is none."""
        if self.next_page:
            return resolve_url(self.next_page)
        raise ImproperlyConfigured("No URL to redirect to. Provide a next_page.")


class LoginView(RedirectURLMixin, FormView):
    """Show the login form; on valid credentials, log the user in and redirect to a safe ``next``.

    The template (``registration/login.html``) gets ``form``, ``next`` (the
    safe URL or ""), ``site`` and ``site_name``. With
    ``redirect_authenticated_user = True`` a visitor already signed in is
    redirected at once instead of being shown the form.
    """

    form_class = AuthenticationForm
    authentication_form = None
    template_name = "registration/login.html"
    redirect_authenticated_user = False
    extra_context = None

    @method_decorator(csrf_protect)
    @method_decorator(never_cache)
    @method_decorator(login_not_required)
    def dispatch(self, request, *args, **kwargs):
        if self.redirect_authenticated_user and self.request.user.is_authenticated:
            redirect_to = self.get_success_url()
            if redirect_to == self.request.path:
                raise ValueError(
                    "Redirection loop for authenticated user detected. Check that your LOGIN_REDIRECT_URL "
                    "doesn't point to a login page."
                )
            return HttpResponseRedirect(redirect_to)
        return super().dispatch(request, *args, **kwargs)

    def get_default_redirect_url(self) -> str:
        """``next_page`` if set, else ``settings.LOGIN_REDIRECT_URL`` (both may be URL names)."""
        return resolve_url(self.next_page or settings.LOGIN_REDIRECT_URL)

    def get_form_class(self):
        """``authentication_form`` when given (a project's own form), else ``form_class``."""
        return self.authentication_form or self.form_class

    def get_form_kwargs(self) -> dict:
        """The form's arguments, with the request (``AuthenticationForm(request, data=...)``)."""
        kwargs = super().get_form_kwargs()
        kwargs["request"] = self.request
        return kwargs

    def form_valid(self, form):
        """The credentials were right: log the user in (a new session key), then redirect."""
        auth_login(self.request, form.get_user())
        return HttpResponseRedirect(self.get_success_url())

    def get_context_data(self, **kwargs) -> dict:
        context = super().get_context_data(**kwargs)
        site = RequestSite(self.request)
        context.update(
            {
                self.redirect_field_name: self.get_redirect_url(),
                "site": site,
                "site_name": site.name,
                **(self.extra_context or {}),
            }
        )
        return context


class LogoutView(RedirectURLMixin, TemplateView):
    """Log the user out on POST, then redirect to a safe ``next``, ``next_page`` or ``LOGOUT_REDIRECT_URL``.

    With none of them, the page ``registration/logged_out.html`` is shown.
    GET is refused with 405: logging out changes state, and a GET can be made
    by any page on the web (an image tag) without the visitor's consent.
    """

    http_method_names = ["post", "options"]
    template_name = "registration/logged_out.html"
    extra_context = None

    @method_decorator(csrf_protect)
    @method_decorator(never_cache)
    @method_decorator(login_not_required)
    def dispatch(self, request, *args, **kwargs):
        return super().dispatch(request, *args, **kwargs)

    def post(self, request, *args, **kwargs):
        """Log out (the session is flushed), then redirect, or show the logged-out page."""
        auth_logout(request)
        redirect_to = self.get_success_url()
        if redirect_to != request.get_full_path():
            return HttpResponseRedirect(redirect_to)
        return super().get(request, *args, **kwargs)

    def get_default_redirect_url(self) -> str:
        """``next_page``, else ``settings.LOGOUT_REDIRECT_URL``, else this same page."""
        if self.next_page:
            return resolve_url(self.next_page)
        if settings.LOGOUT_REDIRECT_URL:
            return resolve_url(settings.LOGOUT_REDIRECT_URL)
        return self.request.path

    def get_context_data(self, **kwargs) -> dict:
        context = super().get_context_data(**kwargs)
        site = RequestSite(self.request)
        context.update(
            {"site": site, "site_name": site.name, "title": "Logged out", "subtitle": None,
             **(self.extra_context or {})}
        )
        return context


@login_not_required
def logout_then_login(request, login_url=None):
    """Log the user out (a POST, as ``LogoutView``), then redirect to the login page."""
    login_url = resolve_url(login_url or settings.LOGIN_URL)
    return LogoutView.as_view(next_page=login_url)(request)


def redirect_to_login(next, login_url=None, redirect_field_name=REDIRECT_FIELD_NAME):
    """A redirect to the login page (``login_url`` or ``settings.LOGIN_URL``) with ``?next=`` added.

    The login URL's own query string is kept; ``next`` replaces a ``next``
    already there. Slashes stay readable (``next=/private/``); ``?``, ``&``
    and ``=`` are encoded so ``next`` stays one parameter. With no
    ``redirect_field_name``, no parameter is added.
    """
    resolved_url = resolve_url(login_url or settings.LOGIN_URL)
    parts = list(urlsplit(resolved_url))
    if redirect_field_name:
        query = QueryDict(parts[3], mutable=True)
        query[redirect_field_name] = next
        parts[3] = query.urlencode(safe="/")
    return HttpResponseRedirect(urlunsplit(parts))


class PasswordContextMixin:
    """Adds the page's ``title`` (and Django's empty ``subtitle``) to the context of the password pages."""

    extra_context = None

    def get_context_data(self, **kwargs) -> dict:
        context = super().get_context_data(**kwargs)
        context.update({"title": self.title, "subtitle": None, **(self.extra_context or {})})
        return context


class PasswordChangeView(PasswordContextMixin, FormView):
    """A signed-in user changes their password, giving the old one first.

    On success every other session of the user is signed out (their session
    hash no longer matches) but this one stays, through
    ``update_session_auth_hash``; the visitor goes to ``password_change_done``.
    """

    form_class = PasswordChangeForm
    success_url = reverse_lazy("password_change_done")
    template_name = "registration/password_change_form.html"
    title = "Password change"

    @method_decorator(csrf_protect)
    @method_decorator(login_required)
    def dispatch(self, *args, **kwargs):
        return super().dispatch(*args, **kwargs)

    def get_form_kwargs(self) -> dict:
        """The form's arguments, with the user whose password changes."""
        kwargs = super().get_form_kwargs()
        kwargs["user"] = self.request.user
        return kwargs

    def form_valid(self, form):
        form.save()
        update_session_auth_hash(self.request, form.user)
        return super().form_valid(form)


class PasswordChangeDoneView(PasswordContextMixin, TemplateView):
    """The page that says the password was changed (signed-in users only)."""

    template_name = "registration/password_change_done.html"
    title = "Password change successful"

    @method_decorator(login_required)
    def dispatch(self, *args, **kwargs):
        return super().dispatch(*args, **kwargs)
