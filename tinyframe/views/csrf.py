"""The page a visitor sees when CSRF protection refuses a request: a 403 that says why.

How it works: ``CsrfViewMiddleware`` calls the view named by
``settings.CSRF_FAILURE_VIEW`` (this module's ``csrf_failure`` by default)
with the request and the *reason*, one of the ``REASON_*`` texts of
``tinyframe.middleware.csrf``. The page always says that verification failed,
and explains the two failures an honest visitor can cause (a browser that
sends no Referer, or keeps no cookies). Under DEBUG it adds the reason and
what a developer should check. A project's own ``403_csrf.html`` template,
when one exists, is rendered instead (with the request, so context
processors run); otherwise the page is ``templates/csrf_403.html``, next to
this module, rendered by a stand-alone engine, so it works with no
``TEMPLATES`` setting at all.
"""

from pathlib import Path

from tinyframe.conf import settings
from tinyframe.http import HttpResponseForbidden
from tinyframe.template import Context, Engine, TemplateDoesNotExist, loader

__all__ = ["CSRF_FAILURE_TEMPLATE_NAME", "csrf_failure"]

CSRF_FAILURE_TEMPLATE_NAME = "403_csrf.html"

# The page's sentences, Django's own words (a visitor sees the same page).
MESSAGES = {
    "title": "Forbidden",
    "main": "CSRF verification failed. Request aborted.",
    "no_referer1": (
        "You are seeing this message because this HTTPS site requires a “Referer header” to be sent by "
        "your web browser, but none was sent. This header is required for security reasons, to ensure "
        "that your browser is not being hijacked by third parties."
    ),
    "no_referer2": (
        "If you have configured your browser to disable “Referer” headers, please re-enable them, at "
        "least for this site, or for HTTPS connections, or for “same-origin” requests."
    ),
    "no_referer3": (
        'If you are using the <meta name="referrer" content="no-referrer"> tag or including the '
        "“Referrer-Policy: no-referrer” header, please remove them. The CSRF protection requires the "
        "“Referer” header to do strict referer checking. If you’re concerned about privacy, use "
        'alternatives like <a rel="noreferrer" …> for links to third-party sites.'
    ),
    "no_cookie1": (
        "You are seeing this message because this site requires a CSRF cookie when submitting forms. "
        "This cookie is required for security reasons, to ensure that your browser is not being "
        "hijacked by third parties."
    ),
    "no_cookie2": (
        "If you have configured your browser to disable cookies, please re-enable them, at least for "
        "this site, or for “same-origin” requests."
    ),
    "more": "More information is available with DEBUG=True.",
}


def builtin_template_path(name: str) -> Path:
    """The path of one of the templates that ship with tinyframe's views (``templates/`` next to this module)."""
    return Path(__file__).parent / "templates" / name


def csrf_failure(request, reason: str = "", template_name: str = CSRF_FAILURE_TEMPLATE_NAME):
    """The default ``CSRF_FAILURE_VIEW``: a 403 page explaining the refusal (the reason itself under DEBUG only).

    The project's ``template_name`` wins when it exists; a ``template_name``
    other than the default that does not exist raises TemplateDoesNotExist,
    as a mistake in the project should.
    """
    from tinyframe.middleware.csrf import CSRF_SESSION_KEY, REASON_NO_CSRF_COOKIE, REASON_NO_REFERER

    try:
        template = loader.get_template(template_name)
    except TemplateDoesNotExist:
        if template_name != CSRF_FAILURE_TEMPLATE_NAME:
            raise
    else:
        return HttpResponseForbidden(template.render(request=request))

    context = {
        **MESSAGES,
        "reason": reason,
        "no_referer": reason == REASON_NO_REFERER,
        "no_cookie": reason == REASON_NO_CSRF_COOKIE,
        "DEBUG": settings.DEBUG,
        # Where the secret the token is checked against lives, for the DEBUG help.
        "csrf_use_sessions": settings.CSRF_USE_SESSIONS,
        "csrf_cookie_name": settings.CSRF_COOKIE_NAME,
        "csrf_session_key": CSRF_SESSION_KEY,
        "session_cookie_name": settings.SESSION_COOKIE_NAME,
    }
    source = builtin_template_path("csrf_403.html").read_text(encoding="utf-8")
    body = Engine().from_string(source).render(Context(context))
    return HttpResponseForbidden(body)
