"""The default error views: the pages a visitor sees for 400, 403, 404 and 500.

How it works: when a request fails, the handler asks the root URLconf's
resolver for the view of that status (``resolve_error_handler(404)``): the
URLconf's own ``handler404`` if it defines one, else ``page_not_found`` here.
Each default answers with the same plain page chapter 01 shows (a title and,
for 404, one sentence), and names nothing about the request or the code: no
path, no exception message. A project that wants its own page points
``handler404 = "mysite.views.not_found"`` (or the function itself) at a view
with the same signature.

    >>> from tinyframe.http import Http404
    >>> from tinyframe.test import RequestFactory
    >>> response = page_not_found(RequestFactory().get("/missing/"), Http404("no such post"))
    >>> response.status_code, b"no such post" in response.content
    (404, False)
"""

from tinyframe.core.handlers.exception import ERROR_DETAILS, ERROR_PAGE_TEMPLATE, ERROR_TITLES
from tinyframe.http import (
    HttpResponseBadRequest,
    HttpResponseForbidden,
    HttpResponseNotFound,
    HttpResponseServerError,
)

__all__ = ["bad_request", "page_not_found", "permission_denied", "server_error"]


def error_page(status_code: int) -> str:
    """The HTML of the plain page for ``status_code``, shared with chapter 01's error pages."""
    return ERROR_PAGE_TEMPLATE.format(title=ERROR_TITLES[status_code], details=ERROR_DETAILS.get(status_code, ""))


def page_not_found(request, exception):
    """404 Not Found. The exception's message is left out: it may name things visitors should not see."""
    return HttpResponseNotFound(error_page(404))


def server_error(request):
    """500 Server Error. It takes no exception: the page must not depend on what went wrong."""
    return HttpResponseServerError(error_page(500))


def bad_request(request, exception):
    """400 Bad Request."""
    return HttpResponseBadRequest(error_page(400))


def permission_denied(request, exception):
    """403 Forbidden."""
    return HttpResponseForbidden(error_page(403))
