"""The middleware chain: how ``settings.MIDDLEWARE`` becomes layers around the view.

How it works: a middleware is a factory called once, at start-up, with
``get_response`` (the layer inside it); it returns the callable
``middleware(request)`` that the layer outside it calls. It may run code on
the way in, call ``get_response(request)`` (or answer without it), and run
code on the way out. ``build_middleware_chain`` makes the onion in one loop:
it starts from the innermost callable (the handler's ``_get_response``, which
calls the view) and walks ``settings.MIDDLEWARE`` from the last entry to the
first, giving each middleware the chain built so far and wrapping what it
returns with ``convert_exception_to_response``. The first entry ends up
outermost: it sees the request first and the response last, and whatever a
layer raises, the layer outside it receives a response.

A middleware object may also offer hooks that run inside the innermost
layer, around the view itself: ``process_view`` (before the view, may answer
instead of it), ``process_exception`` (when the view raises) and
``process_template_response`` (before a ``TemplateResponse`` is rendered).
The loop collects them into ``MiddlewareHooks``; the handler's
``_get_response`` calls the view through ``MiddlewareHooks.call_view``.

    request → Security → Common → XFrame → _get_response → view
    response ← Security ← Common ← XFrame ←──────────────┘
"""

import dataclasses
import logging

from tinyframe.conf import settings
from tinyframe.core.exceptions import ImproperlyConfigured, MiddlewareNotUsed
from tinyframe.core.handlers.exception import convert_exception_to_response
from tinyframe.utils.module_loading import import_string

logger = logging.getLogger("tinyframe.request")


@dataclasses.dataclass
class MiddlewareHooks:
    """The hooks of the chain's middleware, each list in the order the handler calls them.

    ``view`` runs outermost first (the order of ``settings.MIDDLEWARE``), as
    requests travel; ``template_response`` and ``exception`` run innermost
    first, as responses travel.
    """

    view: list = dataclasses.field(default_factory=list)
    template_response: list = dataclasses.field(default_factory=list)
    exception: list = dataclasses.field(default_factory=list)

    def __bool__(self) -> bool:
        """Whether any middleware has a hook: without one, the handler calls the view directly."""
        return bool(self.view or self.template_response or self.exception)

    def add(self, middleware) -> None:
        """Collect the hooks of ``middleware``, which sits outside every middleware added before it."""
        if hasattr(middleware, "process_view"):
            self.view.insert(0, middleware.process_view)
        if hasattr(middleware, "process_template_response"):
            self.template_response.append(middleware.process_template_response)
        if hasattr(middleware, "process_exception"):
            self.exception.append(middleware.process_exception)

    def call_view(self, handler, request, callback, callback_args, callback_kwargs):
        """Call the view through the hooks and return its response, rendered.

        In order: each ``process_view(request, callback, callback_args,
        callback_kwargs)``; the first to return a response answers instead of
        the view (and the later ones are skipped). Otherwise call the view; if
        it raises, ``self.process_exception(request, exc)`` may turn the
        exception into a response (``None``: raise it again). Check the
        response with ``handler.check_response(response, callback)``. If it
        can be rendered later (it has a ``render`` method), pass it through
        each ``process_template_response(request, response)``, then render
        it; an exception while rendering goes through ``process_exception``
        too. A hook returning None is an error naming it: raise
        ValueError("<Class>.process_template_response didn't return an
        HttpResponse object. It returned None instead."), where <Class> is
        ``type(hook.__self__).__name__``, the middleware's class.
        """
        response = None
        for process_view in self.view:
            response = process_view(request, callback, callback_args, callback_kwargs)
            if response is not None:
                break
        if response is None:
            try:
                response = callback(request, *callback_args, **callback_kwargs)
            except Exception as exc:
                response = self.process_exception(request, exc)
        handler.check_response(response, callback)
        if hasattr(response, "render") and callable(response.render):
            for process_template_response in self.template_response:
                response = process_template_response(request, response)
                if response is None:
                    name = f"{type(process_template_response.__self__).__name__}.process_template_response"
                    raise ValueError(f"{name} didn't return an HttpResponse object. It returned None instead.")
            try:
                response = response.render()
            except Exception as exc:
                response = self.process_exception(request, exc)
        return response

    def process_exception(self, request, exception: Exception):
        """The response of the first ``process_exception`` hook that returns one, else raise ``exception`` again.

        Raised again (with its traceback), the exception reaches the layer
        around, which turns it into an error page.
        """
        for process_exception in self.exception:
            response = process_exception(request, exception)
            if response is not None:
                return response
        raise exception


def load_middleware_factory(middleware_path: str):
    """The factory a ``settings.MIDDLEWARE`` entry names, or ImproperlyConfigured saying why not.

    >>> load_middleware_factory("tinyframe.middleware.common.CommonMiddleware").__name__
    'CommonMiddleware'
    >>> load_middleware_factory("tinyframe.middleware.common.CommonMidleware")
    Traceback (most recent call last):
      ...
    tinyframe.core.exceptions.ImproperlyConfigured: MIDDLEWARE lists 'tinyframe.middleware.common.CommonMidleware', which cannot be imported: Module "tinyframe.middleware.common" does not define a "CommonMidleware" attribute/class
    """
    try:
        return import_string(middleware_path)
    except ImportError as exc:
        raise ImproperlyConfigured(
            f"MIDDLEWARE lists {middleware_path!r}, which cannot be imported: {exc}"
        ) from exc


def build_middleware_chain(middleware_paths, get_response):
    """Wrap ``get_response`` in the middleware named by ``middleware_paths``; return ``(chain, hooks)``.

    A string is refused first (a loop would read it letter by letter):
    raise ImproperlyConfigured("The MIDDLEWARE setting must be a list or a
    tuple of dotted paths, not the string <repr of the string>.").

    Walk the dotted paths from last to first. For each, load the factory
    (``load_middleware_factory``: its ImproperlyConfigured for a path that
    does not import goes out as it is) and call it with the chain built so
    far. If it raises ``MiddlewareNotUsed``, skip it; when ``settings.DEBUG``
    is on, log it at debug level on ``logger``, with its reason if the
    exception gave one::

        logger.debug("MiddlewareNotUsed(%r): %s", middleware_path, exc)
        logger.debug("MiddlewareNotUsed: %r", middleware_path)

    If it returns None, raise ImproperlyConfigured("Middleware factory
    <path> returned None."). Otherwise collect its hooks
    (``hooks.add(middleware)``) and make
    ``convert_exception_to_response(middleware)`` the new chain. Return the
    outermost callable and the ``MiddlewareHooks``.
    """
    if isinstance(middleware_paths, str):
        raise ImproperlyConfigured(
            f"The MIDDLEWARE setting must be a list or a tuple of dotted paths, not the string {middleware_paths!r}."
        )
    hooks = MiddlewareHooks()
    chain = get_response
    for middleware_path in reversed(middleware_paths):
        factory = load_middleware_factory(middleware_path)
        try:
            middleware = factory(chain)
        except MiddlewareNotUsed as exc:
            if settings.DEBUG:
                if str(exc):
                    logger.debug("MiddlewareNotUsed(%r): %s", middleware_path, exc)
                else:
                    logger.debug("MiddlewareNotUsed: %r", middleware_path)
            continue
        if middleware is None:
            raise ImproperlyConfigured(f"Middleware factory {middleware_path} returned None.")
        hooks.add(middleware)
        chain = convert_exception_to_response(middleware)
    return chain, hooks
