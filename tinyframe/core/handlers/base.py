"""The handler: from a request to a response, whatever the server in front.

How it works: a server-specific subclass (``WSGIHandler``) turns what the
server gives it into an ``HttpRequest`` and calls ``get_response(request)``.
That calls ``self._middleware_chain``, built once by ``load_middleware``: in
chapter 01 the chain is just ``_get_response`` wrapped by
``convert_exception_to_response``, so an exception becomes an error page.
``_get_response`` asks ``resolve_request`` which view should answer, calls it
with the request and checks that it returned a response.

``resolve_request`` is the seam where URL dispatch plugs in. Chapter 01 has
none, so every path is answered by the ``welcome`` page; chapter 02 resolves
the path against ``settings.ROOT_URLCONF`` there, and chapter 05 adds the
middleware loop to ``load_middleware``.
"""

import html
import inspect
import types

# >>> 04_signals
from tinyframe.core import signals
# <<< 04_signals
from tinyframe.core.exceptions import ImproperlyConfigured
from tinyframe.core.handlers.exception import convert_exception_to_response, log_response
from tinyframe.http import HttpResponse, HttpResponseBase
# >>> 02_urls
from tinyframe.conf import settings
from tinyframe.urls import get_resolver, set_script_prefix, set_urlconf
# <<< 02_urls
# >>> 05_middleware
from tinyframe.core.handlers.middleware import build_middleware_chain
# <<< 05_middleware

WELCOME_PAGE = """<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <title>tinyframe is running</title>
  <style>
    body {{ font-family: system-ui, sans-serif; max-width: 40em; margin: 4em auto; color: #223; }}
    h1 {{ font-size: 2em; }} .rocket {{ font-size: 4em; }} code {{ background: #eef; padding: 0 .3em; }}
  </style>
</head>
<body>
  <div class="rocket">&#x1F680;</div>
  <h1>The install worked successfully! Congratulations!</h1>
  <p>tinyframe is running. Chapter 02 adds URL dispatch; until then every path shows this page.</p>
  <p>You asked for <code>{path}</code>.</p>
</body>
</html>
"""


def welcome(request):
    """The page every path shows until a project has URLs to dispatch to."""
    return HttpResponse(WELCOME_PAGE.format(path=html.escape(request.path)))


class BaseHandler:
    """Turns a request into a response; subclasses adapt it to a kind of server.

    To route requests yourself before chapter 02, override ``resolve_request``::

        class HelloHandler(WSGIHandler):
            def resolve_request(self, request):
                return hello, (), {}
    """

    _middleware_chain = None
    # >>> 05_middleware
    # The process_view / process_exception / process_template_response hooks
    # of the chain's middleware (a MiddlewareHooks; None: call the view directly).
    _middleware_hooks = None
    # <<< 05_middleware

    def load_middleware(self) -> None:
        """Build the chain of callables that ``get_response`` calls, once, at start-up.

        The innermost callable is ``_get_response`` (call the view). Each layer
        is wrapped by ``convert_exception_to_response``, so whatever a layer
        raises, the layer outside it receives a response.
        """
        # >>> 02_urls
        # Import the root URLconf now (reading url_patterns imports it, and with
        # it every route is compiled), so that a broken pattern stops the server
        # from starting instead of failing a request.
        if settings.ROOT_URLCONF:
            get_resolver(settings.ROOT_URLCONF).url_patterns
        # <<< 02_urls
        handler = convert_exception_to_response(self._get_response)
        # >>> 05_middleware
        # Wrap it in settings.MIDDLEWARE, the first entry outermost. No hooks are
        # kept as None, which _get_response tests for free on every request.
        # With no middleware there is nothing to build, so the sites of earlier
        # chapters run even while build_middleware_chain is a learner's stub.
        if settings.MIDDLEWARE:
            handler, hooks = build_middleware_chain(settings.MIDDLEWARE, handler)
            self._middleware_hooks = hooks or None
        # <<< 05_middleware
        self._middleware_chain = handler

    def get_response(self, request):
        """Return the response for ``request``: the one entry point that servers and the test client call."""
        # >>> 04_signals
        # Django sends request_started from WSGIHandler.__call__, before it even
        # builds the request, and its test client sends it by hand. Sent here,
        # from the entry point both share, it still comes before the middleware,
        # the view and any reading of the body; the environ is request.META.
        # Speed (tests/benchmarks/requests.py): usually nobody listens; skip the send then.
        if signals.request_started.receivers:
            signals.request_started.send(sender=self.__class__, environ=request.META)
        # <<< 04_signals
        # >>> 02_urls
        # reverse() and resolve() in this thread use the request's URLconf until it is answered.
        set_urlconf(settings.ROOT_URLCONF)
        # reverse() starts every URL with the path the site is mounted at (SCRIPT_NAME,
        # already decoded by WSGIRequest), so a site served under /blog links to
        # /blog/...; resolving uses request.path_info, which leaves it out. Django
        # does this in WSGIHandler.__call__, and its test client does not; here the
        # test client, calling get_response too, mounts a site the same way.
        set_script_prefix(request.META.get("SCRIPT_NAME", ""))
        # <<< 02_urls
        response = self._middleware_chain(request)
        # >>> 02_urls
        set_urlconf(None)
        # <<< 02_urls
        # Closing the response also closes the request (and any uploaded
        # temporary files it holds), once the server has sent everything.
        response._resource_closers.append(request.close)
        if response.status_code >= 400:
            log_response("%s: %s", response.reason_phrase, request.path, response=response, request=request)
        return response

    def _get_response(self, request):
        """Check the Host header, find the view for ``request``, call it, and check its response.

        Every request's Host is checked against ``ALLOWED_HOSTS`` before any view
        runs, so a forged Host gets a 400 even from a view that never asks for it.
        """
        request.get_host()
        callback, callback_args, callback_kwargs = self.resolve_request(request)
        # >>> 05_middleware
        # Middleware hooks run around the view: process_view before it,
        # process_exception if it raises, process_template_response before rendering.
        if self._middleware_hooks:
            return self._middleware_hooks.call_view(self, request, callback, callback_args, callback_kwargs)
        # <<< 05_middleware
        response = callback(request, *callback_args, **callback_kwargs)
        self.check_response(response, callback)
        # >>> 03_templates
        # A TemplateResponse is rendered now, at the last moment, so that what
        # runs between the view and here can still change its template or context.
        if hasattr(response, "render") and callable(response.render):
            response = response.render()
        # <<< 03_templates
        return response

    def resolve_request(self, request):
        """Return ``(view, args, kwargs)``: the view that answers ``request`` and what to call it with.

        This is where URL dispatch happens. In chapter 01 every request gets
        the ``welcome`` page; chapter 02 resolves ``request.path_info`` against
        ``settings.ROOT_URLCONF`` here. A subclass may override it to route
        requests its own way (return any callable taking the request first).
        """
        # >>> 02_urls
        if hasattr(request, "urlconf"):  # set by a middleware, for this request only
            set_urlconf(request.urlconf)
        urlconf = getattr(request, "urlconf", None) or settings.ROOT_URLCONF
        if urlconf:
            # A ResolverMatch unpacks as (func, args, kwargs); no match raises Resolver404.
            request.resolver_match = get_resolver(urlconf).resolve(request.path_info)
            return request.resolver_match
        # <<< 02_urls
        return welcome, (), {}

    def check_response(self, response, callback) -> None:
        """Raise a clear error, naming the view, when it returned something other than a response.

        None and an unawaited coroutine get Django's messages; anything else
        (a str, a dict...) is named by its type, with a note on what to return.
        """
        if isinstance(response, HttpResponseBase):  # Speed: the usual case, answered at once
            return
        name = view_name(callback)
        if inspect.iscoroutine(response):
            response.close()  # never awaited: close it to silence Python's warning
            # Speed (tests/benchmarks/requests.py): an async def view is named here,
            # from the coroutine it returned, rather than inspected before every call.
            if inspect.iscoroutinefunction(callback):
                raise ImproperlyConfigured(
                    f"{name} is a coroutine function (async def), but tinyframe serves WSGI "
                    f"only and cannot await it. Define the view with a plain 'def'."
                )
            error = ValueError(
                f"{name} didn't return an HttpResponse object. It returned an unawaited "
                "coroutine instead. You may need to add an 'await' into your view."
            )
            error.add_note("tinyframe serves WSGI only: a view must return a response, not a coroutine.")
            raise error
        if response is None:
            raise ValueError(f"{name} didn't return an HttpResponse object. It returned None instead.")
        # Django lets these through, to fail later with an AttributeError that
        # names neither the view nor the value; say both here.
        type_name = type(response).__name__
        article = "an" if type_name[:1].lower() in "aeiou" else "a"
        error = ValueError(
            f"{name} didn't return an HttpResponse object. It returned {article} {type_name} instead."
        )
        if isinstance(response, (str, bytes)):
            error.add_note(f"Wrap the text in a response: return HttpResponse({_shorten(response)}).")
        elif isinstance(response, (dict, list)):
            error.add_note("To answer with JSON, return JsonResponse(...) (safe=False for a list).")
        raise error


def view_name(callback) -> str:
    """How error messages name a view, as Django does: ``The view myapp.views.index``.

    >>> def index(request): pass
    >>> view_name(index)
    'The view tinyframe.core.handlers.base.index'
    """
    if isinstance(callback, types.FunctionType):
        return f"The view {callback.__module__}.{callback.__name__}"
    return f"The view {callback.__module__}.{callback.__class__.__name__}.__call__"


def _shorten(value, limit: int = 40) -> str:
    """The repr of ``value``, cut to about ``limit`` characters for an error message.

    >>> _shorten("hello")
    "'hello'"
    >>> _shorten("x" * 100, limit=10)
    "'xxxxxx..."
    """
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 3] + "..."
