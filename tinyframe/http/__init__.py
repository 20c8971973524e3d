"""HTTP requests and responses, with Django's names: ``from tinyframe.http import HttpResponse``.

How it works: a request flows through ``request`` (HttpRequest), which reads
its headers with ``headers`` (HttpHeaders), its query string and form with
``querydict`` (QueryDict), a file upload with ``multipartparser``, its Host
with ``hosts`` and its cookies with ``cookie``. A response comes from
``response`` (HttpResponseBase, HttpResponse, JsonResponse), ``streaming``
(StreamingHttpResponse, FileResponse) or ``status`` (redirects, the 4xx and
5xx classes, Http404). This module gathers their public names.
"""

from tinyframe.http.cookie import SimpleCookie, parse_cookie
from tinyframe.http.request import (
    HttpHeaders,
    HttpRequest,
    QueryDict,
    RawPostDataException,
    UnreadablePostError,
)
from tinyframe.http.response import (
    BadHeaderError,
    FileResponse,
    Http404,
    HttpResponse,
    HttpResponseBadRequest,
    HttpResponseBase,
    HttpResponseForbidden,
    HttpResponseGone,
    HttpResponseNotAllowed,
    HttpResponseNotFound,
    HttpResponseNotModified,
    HttpResponsePermanentRedirect,
    HttpResponseRedirect,
    HttpResponseServerError,
    JsonResponse,
    StreamingHttpResponse,
)

__all__ = [
    "SimpleCookie",
    "parse_cookie",
    "HttpHeaders",
    "HttpRequest",
    "QueryDict",
    "RawPostDataException",
    "UnreadablePostError",
    "BadHeaderError",
    "FileResponse",
    "Http404",
    "HttpResponse",
    "HttpResponseBadRequest",
    "HttpResponseBase",
    "HttpResponseForbidden",
    "HttpResponseGone",
    "HttpResponseNotAllowed",
    "HttpResponseNotFound",
    "HttpResponseNotModified",
    "HttpResponsePermanentRedirect",
    "HttpResponseRedirect",
    "HttpResponseServerError",
    "JsonResponse",
    "StreamingHttpResponse",
]
