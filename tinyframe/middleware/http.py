"""ConditionalGetMiddleware: answer 304 Not Modified when the browser's copy is current.

How it works: on the way out of a GET, ``process_response`` gives the
response an ``ETag`` (the MD5 of its content) unless it has one, is streamed
or says ``Cache-Control: no-store``. If the response has an ETag or a
Last-Modified date, ``get_conditional_response`` compares them with the
request's If-None-Match / If-Modified-Since (304: the browser keeps its copy,
and no body is sent) and If-Match / If-Unmodified-Since (412). The view still
ran: this saves bandwidth, not work. (Django's ``condition`` decorators,
which tinyframe leaves out, let a view that knows its ETag cheaply skip the work.)
"""

from tinyframe.utils.cache import cc_delim_re, get_conditional_response, set_response_etag
from tinyframe.utils.deprecation import MiddlewareMixin
from tinyframe.utils.http import parse_http_date_safe


class ConditionalGetMiddleware(MiddlewareMixin):
    """ETags for GET responses, and 304 / 412 answers to conditional GETs."""

    def process_response(self, request, response):
        """Add an ETag where needed and return ``get_conditional_response`` for a GET; other methods pass."""
        # For anything but GET it is too late: an unsafe method has already
        # acted, and a HEAD response has no content to fingerprint.
        if request.method != "GET":
            return response
        if self.needs_etag(response) and not response.has_header("ETag"):
            set_response_etag(response)
        etag = response.get("ETag")
        last_modified = response.get("Last-Modified")
        last_modified = last_modified and parse_http_date_safe(last_modified)
        if etag or last_modified:
            return get_conditional_response(request, etag=etag, last_modified=last_modified, response=response)
        return response

    def needs_etag(self, response) -> bool:
        """Whether to add an ETag: not when Cache-Control says no-store (nothing may be kept)."""
        directives = cc_delim_re.split(response.get("Cache-Control", ""))
        return all(directive.lower() != "no-store" for directive in directives)
