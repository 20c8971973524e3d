"""Turning a middleware into a view decorator, to run it around one view only.

How it works: ``make_middleware_decorator(SomeMiddleware)`` returns a
function that takes the middleware's extra arguments and returns a view
decorator. The decorator makes one middleware object per decorated view
(with the view as its ``get_response``) and a wrapper that calls, as the
handler would: ``process_request`` and ``process_view`` (either may answer
instead of the view), the view, ``process_exception`` if it raised, and
``process_response``. For a response rendered later (a TemplateResponse),
``process_template_response`` runs at once and ``process_response`` after
rendering, as a post-render callback.
``decorator_from_middleware(GZipMiddleware)`` is the usual entry point.

    >>> from tinyframe.http import HttpResponse
    >>> from tinyframe.middleware.clickjacking import XFrameOptionsMiddleware
    >>> @decorator_from_middleware(XFrameOptionsMiddleware)
    ... def page(request):
    ...     return HttpResponse("no frames")
    >>> page(None)["X-Frame-Options"]
    'DENY'
"""

from functools import wraps

__all__ = ["decorator_from_middleware", "decorator_from_middleware_with_args", "make_middleware_decorator"]


def decorator_from_middleware_with_args(middleware_class):
    """A decorator factory: ``cache_page = decorator_from_middleware_with_args(CacheMiddleware)``, then
    ``@cache_page(3600)`` makes ``CacheMiddleware(view, 3600)`` for the view it decorates."""
    return make_middleware_decorator(middleware_class)


def decorator_from_middleware(middleware_class):
    """A view decorator running ``middleware_class`` (made with no extra arguments) around the view."""
    return make_middleware_decorator(middleware_class)()


def make_middleware_decorator(middleware_class):
    """Return ``make_decorator(*args, **kwargs)``, which returns a view decorator running the middleware.

    The decorator makes ``middleware_class(view_func, *args, **kwargs)`` once
    and wraps the view (``functools.wraps``) in a function that, with the
    hooks the middleware has: returns the first response of
    ``process_request(request)`` or ``process_view(request, view_func, args,
    kwargs)``; calls the view, giving an exception to
    ``process_exception(request, exc)`` (no response from it: raise again);
    then, for a response with a ``render`` method, calls
    ``process_template_response`` and registers ``process_response`` as a
    post-render callback (``response.add_post_render_callback``); for any
    other response, returns ``process_response(request, response)``.
    """

    def make_decorator(*middleware_args, **middleware_kwargs):
        def decorator(view_func):
            middleware = middleware_class(view_func, *middleware_args, **middleware_kwargs)

            @wraps(view_func)
            def wrapper(request, *args, **kwargs):
                if hasattr(middleware, "process_request"):
                    response = middleware.process_request(request)
                    if response is not None:
                        return response
                if hasattr(middleware, "process_view"):
                    response = middleware.process_view(request, view_func, args, kwargs)
                    if response is not None:
                        return response
                try:
                    response = view_func(request, *args, **kwargs)
                except Exception as exc:
                    if hasattr(middleware, "process_exception"):
                        result = middleware.process_exception(request, exc)
                        if result is not None:
                            return result
                    raise
                if hasattr(response, "render") and callable(response.render):
                    if hasattr(middleware, "process_template_response"):
                        response = middleware.process_template_response(request, response)
                    if hasattr(middleware, "process_response"):
                        # process_response must see the rendered content, so it waits for render().
                        response.add_post_render_callback(
                            lambda rendered: middleware.process_response(request, rendered)
                        )
                    return response
                if hasattr(middleware, "process_response"):
                    return middleware.process_response(request, response)
                return response

            return wrapper

        return decorator

    return make_decorator
# >>> 10_auth
from functools import partial, update_wrapper  # noqa: E402

__all__ += ["method_decorator"]


def _decorate_method(decorators, method):
    """Wrap ``method`` so each call decorates the bound method with ``decorators`` (the first outermost).

    A function decorator expects ``view(request, ...)``; a method is
    ``method(self, request, ...)``. So the decorators are applied per call, to
    the method bound to ``self`` (a ``partial`` carrying the method's name and
    attributes), and see the arguments after ``self``.
    """
    decorators = list(decorators) if isinstance(decorators, (list, tuple)) else [decorators]

    def method_wrapper(self, *args, **kwargs):
        bound_method = wraps(method)(partial(method.__get__(self, type(self))))
        for decorator in reversed(decorators):
            bound_method = decorator(bound_method)
        return bound_method(*args, **kwargs)

    # Attributes the decorators set (csrf_exempt's flag...) show on the
    # wrapper: each decorates a stand-in once, and its attributes are copied.
    for decorator in decorators:

        @decorator
        def stand_in(*args, **kwargs):
            pass

        update_wrapper(method_wrapper, stand_in)
    update_wrapper(method_wrapper, method)
    return method_wrapper


def method_decorator(decorator, name: str = ""):
    """Turn a function decorator (or a list or tuple of them) into one for methods.

    ``@method_decorator(login_required)`` above a method, or above a class with
    ``name="dispatch"`` to decorate that method of the class (the class is
    returned). A ``name`` the class lacks raises Django's ValueError; a
    ``name`` that is not callable its TypeError.

    >>> def shout(func):
    ...     return lambda *args: func(*args).upper()
    >>> class Greeter:
    ...     @method_decorator(shout)
    ...     def greet(self, name):
    ...         return f"hello {name}"
    >>> Greeter().greet("ada")
    'HELLO ADA'
    """

    def decorate(obj):
        if not isinstance(obj, type):
            return _decorate_method(decorator, obj)
        if not (name and hasattr(obj, name)):
            raise ValueError(
                "The keyword argument `name` must be the name of a method of the "
                f"decorated class: {obj}. Got '{name}' instead."
            )
        method = getattr(obj, name)
        if not callable(method):
            raise TypeError(f"Cannot decorate '{name}' as it isn't a callable attribute of {obj} ({method}).")
        setattr(obj, name, _decorate_method(decorator, method))
        return obj

    if not isinstance(decorator, (list, tuple)):
        update_wrapper(decorate, decorator)
    decorator_name = getattr(decorator, "__name__", type(decorator).__name__)
    decorate.__name__ = f"method_decorator({decorator_name})"
    return decorate


# <<< 10_auth
