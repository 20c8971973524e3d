"""SessionMiddleware: give every request a session, and save it with the response.

How it works: on the way in, ``process_request`` reads the session key from
the ``SESSION_COOKIE_NAME`` cookie and sets ``request.session =
SessionStore(key)`` (``SESSION_ENGINE``'s store; nothing is loaded yet). On
the way out, ``process_response`` looks at what the view did to it:

- the session was emptied (``flush()``) and the browser sent a cookie: the
  cookie is deleted;
- it was changed (or ``SESSION_SAVE_EVERY_REQUEST``) and is not empty: it is
  saved and the cookie is set again, with the session's expiry, unless the
  response is a server error;
- it was read: the response gets ``Vary: Cookie``, because another visitor
  asking the same URL would get another page (a cache must not mix them).
"""

import time
from importlib import import_module

from tinyframe.conf import settings
from tinyframe.contrib.sessions.backends.base import UpdateError
from tinyframe.contrib.sessions.exceptions import SessionInterrupted
from tinyframe.utils.cache import patch_vary_headers
from tinyframe.utils.deprecation import MiddlewareMixin
from tinyframe.utils.http import http_date


class SessionMiddleware(MiddlewareMixin):
    """Load ``request.session`` lazily from the session cookie, and save it when it changed."""

    def __init__(self, get_response):
        super().__init__(get_response)
        engine = import_module(settings.SESSION_ENGINE)
        self.SessionStore = engine.SessionStore

    def process_request(self, request) -> None:
        session_key = request.COOKIES.get(settings.SESSION_COOKIE_NAME)
        request.session = self.SessionStore(session_key)

    def process_response(self, request, response):
        """Save the session if needed, set or delete its cookie, and add ``Vary: Cookie``.

        Exercise 10.2. Read ``accessed``, ``modified`` and ``is_empty()`` from
        ``request.session``; a request without a session (another middleware
        answered before ``process_request`` ran) gets its response back
        untouched.

        - If the browser sent the session cookie (``SESSION_COOKIE_NAME`` in
          ``request.COOKIES``) and the session is empty, delete the cookie
          (``response.delete_cookie`` with the cookie's path, domain and
          samesite settings) and vary on Cookie.
        - Otherwise vary on Cookie when the session was accessed, and when it
          is not empty and was modified (or ``SESSION_SAVE_EVERY_REQUEST``),
          and the status is below 500: ``save()`` it, then set the cookie to
          ``session_key`` with every ``SESSION_COOKIE_*`` attribute (secure and
          httponly as None when false) and vary on Cookie. The cookie's
          ``max_age`` is ``get_expiry_age()`` and its ``expires`` the HTTP date
          that many seconds from now, both None when
          ``get_expire_at_browser_close()``.
        - ``save()`` raising ``UpdateError`` means the session was deleted
          during the request: raise ``SessionInterrupted("The request's session
          was deleted before the request completed. The user may have logged
          out in a concurrent request, for example.")``.
        """
        try:
            accessed = request.session.accessed
            modified = request.session.modified
            empty = request.session.is_empty()
        except AttributeError:
            return response
        if settings.SESSION_COOKIE_NAME in request.COOKIES and empty:
            response.delete_cookie(
                settings.SESSION_COOKIE_NAME,
                path=settings.SESSION_COOKIE_PATH,
                domain=settings.SESSION_COOKIE_DOMAIN,
                samesite=settings.SESSION_COOKIE_SAMESITE,
            )
            patch_vary_headers(response, ("Cookie",))
            return response
        if accessed:
            patch_vary_headers(response, ("Cookie",))
        if (modified or settings.SESSION_SAVE_EVERY_REQUEST) and not empty and response.status_code < 500:
            if request.session.get_expire_at_browser_close():
                max_age = expires = None
            else:
                max_age = request.session.get_expiry_age()
                expires = http_date(time.time() + max_age)
            try:
                request.session.save()
            except UpdateError:
                raise SessionInterrupted(
                    "The request's session was deleted before the request completed. "
                    "The user may have logged out in a concurrent request, for example."
                )
            response.set_cookie(
                settings.SESSION_COOKIE_NAME,
                request.session.session_key,
                max_age=max_age,
                expires=expires,
                domain=settings.SESSION_COOKIE_DOMAIN,
                path=settings.SESSION_COOKIE_PATH,
                secure=settings.SESSION_COOKIE_SECURE or None,
                httponly=settings.SESSION_COOKIE_HTTPONLY or None,
                samesite=settings.SESSION_COOKIE_SAMESITE,
            )
            patch_vary_headers(response, ("Cookie",))
        return response
