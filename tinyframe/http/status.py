"""The responses named by what they say: redirects, 304, the 4xx and 5xx answers, Http404.

How it works: each is an ``HttpResponse`` with its own ``status_code``, so a
view writes ``HttpResponseNotFound("No such post")`` rather than passing
``status=404``. A few carry more than a status: a redirect sets ``Location``
(refusing schemes such as ``javascript:``), ``HttpResponseNotAllowed`` lists
the allowed methods in ``Allow``, and ``HttpResponseNotModified`` has no
content. ``Http404`` is an exception: raised anywhere in a view, the handler
answers with a 404 page.

    HttpResponseRedirect("/done/") -> 302, Location: /done/
    HttpResponseRedirect("/done/", preserve_request=True) -> 307
"""

from urllib.parse import urlsplit

from tinyframe.core.exceptions import DisallowedRedirect
from tinyframe.http.response import HttpResponse
from tinyframe.utils.encoding import iri_to_uri
from tinyframe.utils.http import MAX_URL_REDIRECT_LENGTH


class HttpResponseRedirectBase(HttpResponse):
    """A redirect to ``redirect_to``, refusing schemes such as ``javascript:`` and URLs over
    MAX_URL_REDIRECT_LENGTH characters (both DisallowedRedirect, a 400)."""

    allowed_schemes = ["http", "https", "ftp"]

    def __init__(self, redirect_to: str, preserve_request: bool = False, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Checked first: encoding and splitting a megabyte-long URL taken from
        # a query string would cost time the attacker chooses.
        if len(str(redirect_to)) > MAX_URL_REDIRECT_LENGTH:
            raise DisallowedRedirect(f"Unsafe redirect exceeding {MAX_URL_REDIRECT_LENGTH} characters")
        self["Location"] = iri_to_uri(redirect_to)
        scheme = urlsplit(str(redirect_to)).scheme
        if scheme and scheme not in self.allowed_schemes:
            raise DisallowedRedirect(
                f"Unsafe redirect to URL with protocol '{scheme}' (allowed: "
                f"{', '.join(self.allowed_schemes)})."
            )
        if preserve_request:
            self.status_code = self.status_code_preserve_request

    url = property(lambda self: self["Location"])

    def __repr__(self):
        return (
            f"<{self.__class__.__name__} status_code={self.status_code}"
            f'{self._content_type_for_repr}, url="{self.url}">'
        )


class HttpResponseRedirect(HttpResponseRedirectBase):
    """302 Found; with preserve_request=True, 307 (the method and body are repeated)."""

    status_code = 302
    status_code_preserve_request = 307


class HttpResponsePermanentRedirect(HttpResponseRedirectBase):
    """301 Moved Permanently; with preserve_request=True, 308."""

    status_code = 301
    status_code_preserve_request = 308


class HttpResponseNotModified(HttpResponse):
    """304 Not Modified: the client's cached copy is current. It has no content."""

    status_code = 304

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        del self["content-type"]

    @HttpResponse.content.setter
    def content(self, value):
        if value:
            raise AttributeError("You cannot set content to a 304 (Not Modified) response")
        self._container = []


class HttpResponseBadRequest(HttpResponse):
    """400 Bad Request: the client sent something malformed."""

    status_code = 400


class HttpResponseNotFound(HttpResponse):
    """404 Not Found (views usually raise Http404 instead)."""

    status_code = 404


class HttpResponseForbidden(HttpResponse):
    """403 Forbidden: the client may not do this."""

    status_code = 403


class HttpResponseNotAllowed(HttpResponse):
    """405 Method Not Allowed, with the Allow header listing the methods that are."""

    status_code = 405

    def __init__(self, permitted_methods, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self["Allow"] = ", ".join(permitted_methods)

    def __repr__(self):
        return (
            f"<{self.__class__.__name__} [{self['Allow']}] status_code={self.status_code}"
            f"{self._content_type_for_repr}>"
        )


class HttpResponseGone(HttpResponse):
    """410 Gone: the resource existed and was removed for good."""

    status_code = 410


class HttpResponseServerError(HttpResponse):
    """500 Internal Server Error."""

    status_code = 500


class Http404(Exception):
    """Raise it in a view to answer 404 Not Found."""
