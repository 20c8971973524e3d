"""Access control for class-based views: the decorators of ``decorators.py`` as mixins.

How it works: each mixin overrides ``dispatch``, so the check runs before any
``get`` or ``post``. ``LoginRequiredMixin`` checks
``request.user.is_authenticated``, ``PermissionRequiredMixin`` calls
``has_permission()`` (``user.has_perms(permission_required)``),
``UserPassesTestMixin`` calls the view's own ``test_func()``. A failed check
goes to ``AccessMixin.handle_no_permission``: a 403 (``PermissionDenied``)
for a signed-in user or when ``raise_exception`` is set, else a redirect to
the login page with ``?next=``, as ``user_passes_test`` does. Put the mixin
first among the bases, so its ``dispatch`` runs before the view's.

    >>> from tinyframe.views.generic import TemplateView
    >>> class Dashboard(LoginRequiredMixin, TemplateView):
    ...     template_name = "dashboard.html"
    >>> [cls.__name__ for cls in Dashboard.__mro__[:3]]
    ['Dashboard', 'LoginRequiredMixin', 'AccessMixin']
"""

from urllib.parse import urlsplit

from tinyframe.conf import settings
from tinyframe.contrib.auth import REDIRECT_FIELD_NAME
from tinyframe.core.exceptions import ImproperlyConfigured, PermissionDenied
from tinyframe.shortcuts import resolve_url

__all__ = ["AccessMixin", "LoginRequiredMixin", "PermissionRequiredMixin", "UserPassesTestMixin"]


class AccessMixin:
    """What to do when a check fails: the login URL, the ``next`` field's name, a 403 or a redirect."""

    login_url = None
    permission_denied_message = ""
    raise_exception = False
    redirect_field_name = REDIRECT_FIELD_NAME

    def get_login_url(self) -> str:
        """``login_url``, else ``settings.LOGIN_URL``; ImproperlyConfigured when both are empty."""
        login_url = self.login_url or settings.LOGIN_URL
        if not login_url:
            name = type(self).__name__
            raise ImproperlyConfigured(
                f"{name} is missing the login_url attribute. Define {name}.login_url, settings.LOGIN_URL, or "
                f"override {name}.get_login_url()."
            )
        return str(login_url)

    def get_permission_denied_message(self) -> str:
        """The message of the ``PermissionDenied`` raised for a 403: ``permission_denied_message``."""
        return self.permission_denied_message

    def get_redirect_field_name(self) -> str:
        """The query parameter that carries the page to come back to: ``redirect_field_name`` ("next")."""
        return self.redirect_field_name

    def handle_no_permission(self):
        """Raise ``PermissionDenied`` (a 403), or redirect an anonymous visitor to the login page.

        A signed-in user is refused outright: sending them to log in again
        would loop. The ``next`` URL is shortened to the path when the login
        page is on this same site, as in ``user_passes_test``.
        """
        if self.raise_exception or self.request.user.is_authenticated:
            raise PermissionDenied(self.get_permission_denied_message())
        from tinyframe.contrib.auth.views import redirect_to_login

        path = self.request.build_absolute_uri()
        resolved_login_url = resolve_url(self.get_login_url())
        login_scheme, login_netloc = urlsplit(resolved_login_url)[:2]
        current_scheme, current_netloc = urlsplit(path)[:2]
        if (not login_scheme or login_scheme == current_scheme) and (
            not login_netloc or login_netloc == current_netloc
        ):
            path = self.request.get_full_path()
        return redirect_to_login(path, resolved_login_url, self.get_redirect_field_name())


class LoginRequiredMixin(AccessMixin):
    """Only signed-in users get past ``dispatch``."""

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        return super().dispatch(request, *args, **kwargs)


class PermissionRequiredMixin(AccessMixin):
    """Only users with every permission of ``permission_required`` get past ``dispatch``.

    ``permission_required = "blog.change_post"``, or a list or tuple of them.
    """

    permission_required = None

    def get_permission_required(self):
        """The permissions to check, as a tuple or list; ImproperlyConfigured when none is given."""
        if self.permission_required is None:
            name = type(self).__name__
            raise ImproperlyConfigured(
                f"{name} is missing the permission_required attribute. Define {name}.permission_required, or "
                f"override {name}.get_permission_required()."
            )
        if isinstance(self.permission_required, str):
            return (self.permission_required,)
        return self.permission_required

    def has_permission(self) -> bool:
        """Whether the user has every permission of ``get_permission_required()``."""
        return self.request.user.has_perms(self.get_permission_required())

    def dispatch(self, request, *args, **kwargs):
        if not self.has_permission():
            return self.handle_no_permission()
        return super().dispatch(request, *args, **kwargs)


class UserPassesTestMixin(AccessMixin):
    """Only requests for which the view's ``test_func()`` is true get past ``dispatch``.

    ``def test_func(self): return self.request.user.email.endswith("@example.com")``
    """

    def test_func(self) -> bool:
        raise NotImplementedError(f"{type(self).__name__} is missing the implementation of the test_func() method.")

    def get_test_func(self):
        """The test to run: ``test_func`` (override to pick another method)."""
        return self.test_func

    def dispatch(self, request, *args, **kwargs):
        if not self.get_test_func()():
            return self.handle_no_permission()
        return super().dispatch(request, *args, **kwargs)
