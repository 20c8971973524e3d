"""Class-based views: one class per page, one method per HTTP method.

How it works: a URLconf cannot route to a class, only to a callable, so
``View.as_view(**initkwargs)`` checks the keyword arguments once and returns a
plain ``view(request, *args, **kwargs)`` function. Each call of that function
makes a fresh instance (``View(**initkwargs)``, so no state leaks from one
request to the next), stores the request on it with ``setup``, and calls
``dispatch``, which picks the method named after the request's method
(``GET`` → ``get``). A method the class does not define is answered by
``http_method_not_allowed`` (405, with an ``Allow`` header); ``OPTIONS`` is
answered by ``options``. ``RedirectView`` is the smallest useful subclass: it
answers every method with a redirect.

    >>> from tinyframe.http import HttpResponse
    >>> from tinyframe.test import RequestFactory
    >>> class Hello(View):
    ...     greeting = "Hello"
    ...     def get(self, request, name):
    ...         return HttpResponse(f"{self.greeting}, {name}!")
    >>> view = Hello.as_view(greeting="Bonjour")
    >>> view(RequestFactory().get("/"), name="Ada").content
    b'Bonjour, Ada!'
    >>> response = view(RequestFactory().post("/"), name="Ada")
    >>> response.status_code, response["Allow"]
    (405, 'GET, HEAD, OPTIONS')
"""

from tinyframe.core.handlers.exception import log_response
from tinyframe.http import (
    HttpResponse,
    HttpResponseGone,
    HttpResponseNotAllowed,
    HttpResponsePermanentRedirect,
    HttpResponseRedirect,
)
from tinyframe.urls import reverse

__all__ = ["RedirectView", "View"]


class classonlymethod(classmethod):
    """A classmethod that refuses instances: ``Hello().as_view()`` is always a mistake."""

    def __get__(self, instance, owner=None):
        if instance is not None:
            raise AttributeError("This method is available only on the class, not on instances.")
        return super().__get__(instance, owner)


class View:
    """The base of class-based views: dispatches each request to the method named after its HTTP method.

    Subclasses define ``get``, ``post``... Attributes of the class may be
    overridden per URL with ``as_view(attribute=value)``.
    """

    http_method_names = ["get", "post", "put", "patch", "delete", "head", "options", "trace"]

    def __init__(self, **kwargs):
        """Store each keyword argument (checked by ``as_view``) as an attribute of the instance."""
        for key, value in kwargs.items():
            setattr(self, key, value)

    @classonlymethod
    def as_view(cls, **initkwargs):
        """Return a view function that answers each request with a new instance of this class.

        Only attributes the class already has may be overridden: a typo such as
        ``as_view(templte_name=...)`` is an error now, at import time, rather than
        an attribute nobody reads. HTTP method names are refused too, since
        ``as_view(get=...)`` would replace the handler itself.
        """
        for key in initkwargs:
            if key in cls.http_method_names:
                raise TypeError(
                    f"The method name {key} is not accepted as a keyword argument to {cls.__name__}()."
                )
            if not hasattr(cls, key):
                raise TypeError(
                    f"{cls.__name__}() received an invalid keyword {key!r}. as_view only accepts "
                    f"arguments that are already attributes of the class."
                )

        def view(request, *args, **kwargs):
            self = cls(**initkwargs)
            self.setup(request, *args, **kwargs)
            if not hasattr(self, "request"):
                raise AttributeError(
                    f"{cls.__name__} instance has no 'request' attribute. Did you override setup() "
                    f"and forget to call super()?"
                )
            return self.dispatch(request, *args, **kwargs)

        # The function keeps its own name ("view"): view_class is the reliable
        # way to find the class behind it (resolve() and error pages use it).
        view.view_class = cls
        view.view_initkwargs = initkwargs
        view.__doc__ = cls.__doc__
        view.__module__ = cls.__module__
        view.__annotations__ = cls.dispatch.__annotations__
        # Marks that decorators left on dispatch (chapter 10's csrf_exempt, say)
        # must be seen on the function the handler calls.
        view.__dict__.update(cls.dispatch.__dict__)
        return view

    def setup(self, request, *args, **kwargs) -> None:
        """Store the request and the URL's arguments on the instance, for every method to use."""
        # HEAD is GET without the body (the server drops the body), so a view
        # that can answer GET can answer HEAD.
        if hasattr(self, "get") and not hasattr(self, "head"):
            self.head = self.get
        self.request = request
        self.args = args
        self.kwargs = kwargs

    def dispatch(self, request, *args, **kwargs):
        """Call the method of this view named after ``request.method`` and return its response.

        ``request.method`` is upper case ("GET"); the handler is the method of
        the same name in lower case ("get"), but only when that name is in
        ``self.http_method_names`` and this view has such a method. Anything
        else goes to ``self.http_method_not_allowed``. Call the handler with
        ``request, *args, **kwargs``.
        """
        method = request.method.lower()
        if method in self.http_method_names:
            handler = getattr(self, method, self.http_method_not_allowed)
        else:
            handler = self.http_method_not_allowed
        return handler(request, *args, **kwargs)

    def http_method_not_allowed(self, request, *args, **kwargs):
        """Answer 405 Method Not Allowed, with an ``Allow`` header naming the methods that are."""
        response = HttpResponseNotAllowed(self._allowed_methods())
        log_response("Method Not Allowed (%s): %s", request.method, request.path, response=response,
                     request=request)
        return response

    def options(self, request, *args, **kwargs):
        """Answer an OPTIONS request: an empty 200 whose ``Allow`` header lists this view's methods."""
        response = HttpResponse()
        response.headers["Allow"] = ", ".join(self._allowed_methods())
        response.headers["Content-Length"] = "0"
        return response

    def _allowed_methods(self) -> list[str]:
        """The methods this view answers, upper case, in the order of ``http_method_names``."""
        return [method.upper() for method in self.http_method_names if hasattr(self, method)]


class RedirectView(View):
    """Redirect every request to ``url``, or to the URL of ``pattern_name`` reversed with the URL's arguments.

    ``url`` may use the URL's keyword arguments: ``"/posts/%(slug)s/"``.
    With neither ``url`` nor ``pattern_name`` (or when ``get_redirect_url``
    returns None), the answer is 410 Gone.
    """

    permanent = False
    url = None
    pattern_name = None
    query_string = False

    def get_redirect_url(self, *args, **kwargs) -> str | None:
        """The URL to redirect to, with the request's query string added when ``query_string`` is set."""
        if self.url:
            url = self.url % kwargs
        elif self.pattern_name:
            url = reverse(self.pattern_name, args=args, kwargs=kwargs)
        else:
            return None
        query = self.request.META.get("QUERY_STRING", "")
        if query and self.query_string:
            url = f"{url}?{query}"
        return url

    def get(self, request, *args, **kwargs):
        """Redirect (301 when ``permanent``, else 302), or answer 410 Gone when there is nowhere to go."""
        url = self.get_redirect_url(*args, **kwargs)
        if url:
            redirect_class = HttpResponsePermanentRedirect if self.permanent else HttpResponseRedirect
            return redirect_class(url)
        response = HttpResponseGone()
        log_response("Gone: %s", request.path, response=response, request=request)
        return response

    # Whatever the method, the resource has moved: answer them all as GET.
    def head(self, request, *args, **kwargs):
        return self.get(request, *args, **kwargs)

    def post(self, request, *args, **kwargs):
        return self.get(request, *args, **kwargs)

    def options(self, request, *args, **kwargs):
        return self.get(request, *args, **kwargs)

    def delete(self, request, *args, **kwargs):
        return self.get(request, *args, **kwargs)

    def put(self, request, *args, **kwargs):
        return self.get(request, *args, **kwargs)

    def patch(self, request, *args, **kwargs):
        return self.get(request, *args, **kwargs)
# >>> 03_templates


from tinyframe.core.exceptions import ImproperlyConfigured  # noqa: E402  (chapter 03's addition)
from tinyframe.template.response import TemplateResponse  # noqa: E402

__all__ += ["ContextMixin", "TemplateResponseMixin", "TemplateView"]


class ContextMixin:
    """Builds a template context from the URL's keyword arguments, the view, and ``extra_context``."""

    extra_context = None

    def get_context_data(self, **kwargs) -> dict:
        kwargs.setdefault("view", self)
        if self.extra_context is not None:
            kwargs.update(self.extra_context)
        return kwargs


class TemplateResponseMixin:
    """Answers with a TemplateResponse of ``template_name`` (rendered by the handler, at the end)."""

    template_name = None
    template_engine = None
    response_class = TemplateResponse
    content_type = None

    def render_to_response(self, context: dict, **response_kwargs):
        response_kwargs.setdefault("content_type", self.content_type)
        return self.response_class(
            request=self.request,
            template=self.get_template_names(),
            context=context,
            using=self.template_engine,
            **response_kwargs,
        )

    def get_template_names(self) -> list[str]:
        """The templates to try, in order; by default ``[template_name]``."""
        if self.template_name is None:
            raise ImproperlyConfigured(
                "TemplateResponseMixin requires either a definition of 'template_name' or an "
                "implementation of 'get_template_names()'"
            )
        return [self.template_name]


class TemplateView(TemplateResponseMixin, ContextMixin, View):
    """Render a template, with the URL's keyword arguments in its context.

    ``path("about/", TemplateView.as_view(template_name="about.html"))``
    """

    def get(self, request, *args, **kwargs):
        context = self.get_context_data(**kwargs)
        return self.render_to_response(context)
# <<< 03_templates
