"""Decorators that let a view run only for some users: ``@login_required``, ``@permission_required``.

How it works: ``user_passes_test(test_func)`` is the one real decorator. Its
wrapper calls ``test_func(request.user)``; when that is true the view runs,
otherwise the visitor is redirected to the login page
(``redirect_to_login`` of ``tinyframe.contrib.auth.views``) with the page
they asked for in ``?next=``, so that signing in brings them back.
``login_required`` is ``user_passes_test`` with the test "is authenticated";
``permission_required`` tests ``user.has_perms(...)`` and may answer 403
instead (``raise_exception=True``: a signed-in user without the permission
gains nothing from a login page). ``login_not_required`` only marks a view,
for middleware that requires a login everywhere else.

    >>> from tinyframe.http import HttpResponse
    >>> @login_required
    ... def profile(request):
    ...     return HttpResponse("Hello")
    >>> profile.__name__
    'profile'
"""

from functools import wraps
from urllib.parse import urlsplit

from tinyframe.conf import settings
from tinyframe.contrib.auth import REDIRECT_FIELD_NAME
from tinyframe.core.exceptions import PermissionDenied
from tinyframe.shortcuts import resolve_url

__all__ = ["login_not_required", "login_required", "permission_required", "user_passes_test"]


def user_passes_test(test_func, login_url=None, redirect_field_name=REDIRECT_FIELD_NAME):
    """A decorator for views that runs the view only when ``test_func(request.user)`` is true.

    Exercise 10.7. Return ``decorator(view_func)``, which returns a wrapper (keep the view's
    name and docstring with ``functools.wraps``) doing, on each request:

    1. if ``test_func(request.user)`` is true, return
       ``view_func(request, *args, **kwargs)``;
    2. otherwise redirect to the login page. Its URL is
       ``resolve_url(login_url or settings.LOGIN_URL)``, worked out at request
       time, not when the decorator is applied: a URL name such as ``"login"``
       can only be reversed once the URLconf loads, and ``override_settings``
       must be seen. The page to come back to (``next``) is
       ``request.build_absolute_uri()`` (``http://testserver/private/?a=1``),
       or only ``request.get_full_path()`` (``/private/?a=1``) when the login
       URL's scheme and host (``urlsplit(url)[:2]``) are each either empty or
       the same as the current URL's: a login page on this site needs no host.
       Return ``redirect_to_login(next, resolved_login_url, redirect_field_name)``,
       imported inside the function from ``tinyframe.contrib.auth.views``
       (that module uses ``login_required`` as it loads, so importing it at
       the top of this one would be circular). It answers a 302 to
       ``/accounts/login/?next=/private/%3Fa%3D1``.
    """

    def decorator(view_func):
        @wraps(view_func)
        def wrapper(request, *args, **kwargs):
            if test_func(request.user):
                return view_func(request, *args, **kwargs)
            from tinyframe.contrib.auth.views import redirect_to_login

            path = request.build_absolute_uri()
            resolved_login_url = resolve_url(login_url or settings.LOGIN_URL)
            login_scheme, login_netloc = urlsplit(resolved_login_url)[:2]
            current_scheme, current_netloc = urlsplit(path)[:2]
            if (not login_scheme or login_scheme == current_scheme) and (
                not login_netloc or login_netloc == current_netloc
            ):
                path = request.get_full_path()
            return redirect_to_login(path, resolved_login_url, redirect_field_name)

        return wrapper

    return decorator


def login_required(function=None, redirect_field_name=REDIRECT_FIELD_NAME, login_url=None):
    """Run the view for signed-in users only; send anyone else to the login page, with ``?next=``.

    Used bare (``@login_required``) or with arguments
    (``@login_required(login_url="/signin/")``).
    """
    decorator = user_passes_test(
        lambda user: user.is_authenticated,
        login_url=login_url,
        redirect_field_name=redirect_field_name,
    )
    if function:
        return decorator(function)
    return decorator


def login_not_required(view_func):
    """Mark a view as open to anonymous visitors (``view_func.login_required = False``) and return it.

    Nothing here reads the mark: middleware that requires a login for every
    view (Django 5.1's ``LoginRequiredMiddleware``) skips the views that carry it.
    """
    view_func.login_required = False
    return view_func


def permission_required(perm, login_url=None, raise_exception=False):
    """Run the view only for users with ``perm`` (``"blog.add_post"``), or every one of a list of them.

    Anyone else goes to the login page, or, with ``raise_exception=True``,
    gets a 403 (``PermissionDenied``): a signed-in user who lacks the
    permission is not helped by a login page.
    """
    perms = (perm,) if isinstance(perm, str) else perm

    def check_perms(user):
        if user.has_perms(perms):
            return True
        if raise_exception:
            raise PermissionDenied
        return False

    return user_passes_test(check_perms, login_url=login_url)
