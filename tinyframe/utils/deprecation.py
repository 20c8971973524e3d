"""MiddlewareMixin: write a middleware as two methods instead of a function around ``get_response``.

How it works: a middleware in the ``get_response`` style is a callable that
calls the next layer itself. Most middleware only look at the request on the
way in or at the response on the way out, so ``MiddlewareMixin.__call__``
does the calling: ``process_request(request)`` first (a response from it
answers at once), then ``get_response(request)``, then
``process_response(request, response)``, whose result goes out. A subclass
defines either method, or both.

Django keeps it in ``django.utils.deprecation`` because this was the shape of
all middleware before the ``get_response`` style; tinyframe keeps the same
path so that Django middleware ports with a rename.

    >>> from tinyframe.http import HttpResponse
    >>> class Shout(MiddlewareMixin):
    ...     def process_response(self, request, response):
    ...         response.content = response.content.upper()
    ...         return response
    >>> Shout(lambda request: HttpResponse("hello"))(None).content
    b'HELLO'
"""


class MiddlewareMixin:
    """The base of middleware with ``process_request`` and/or ``process_response`` methods."""

    def __init__(self, get_response):
        if get_response is None:
            raise ValueError("get_response must be provided.")
        self.get_response = get_response
        super().__init__()

    def __repr__(self):
        inner = getattr(self.get_response, "__qualname__", type(self.get_response).__name__)
        return f"<{type(self).__qualname__} get_response={inner}>"

    def __call__(self, request):
        """Pass ``request`` through ``process_request``, the layers inside, and ``process_response``.

        If the class has ``process_request``, call it; a response it returns
        is used instead of calling ``self.get_response(request)`` (the layers
        inside never see the request). If the class has ``process_response``,
        return ``process_response(request, response)``, else the response.
        """
        response = None
        if hasattr(self, "process_request"):
            response = self.process_request(request)
        if response is None:
            response = self.get_response(request)
        if hasattr(self, "process_response"):
            response = self.process_response(request, response)
        return response
