"""Responses rendered late: the template and context are kept until the last moment.

How it works: a view returns a ``TemplateResponse`` holding a template name
and a context dict rather than HTML. Anything between the view and the
server (a decorator, a middleware, a test) can still read or change
``template_name`` and ``context_data``; the handler calls ``render()`` at the
end, which renders the template into ``content`` once and runs the
post-render callbacks. Reading ``content`` before that is an error, so a
response is never sent half-made.

>>> from tinyframe.template.backends.django import DjangoTemplates
>>> backend = DjangoTemplates({"NAME": "django", "DIRS": [], "APP_DIRS": False, "OPTIONS": {}})
>>> response = SimpleTemplateResponse(backend.from_string("Hi {{ who }}"), {"who": "you"})
>>> response.is_rendered
False
>>> response.render().content
b'Hi you'
"""

from tinyframe.http import HttpResponse
from tinyframe.template.loader import get_template, select_template


class ContentNotRenderedError(Exception):
    """The content of a template response was read before ``render()``."""


class SimpleTemplateResponse(HttpResponse):
    """A response that renders ``template`` with ``context`` when ``render()`` is called."""

    def __init__(self, template, context=None, content_type=None, status=None, charset=None, using=None, headers=None):
        # A name, a list of names, or a template object.
        self.template_name = template
        self.context_data = context
        self.using = using
        self._post_render_callbacks = []
        self._request = None
        # The content is set (to "") by HttpResponse before it can be
        # rendered; _is_rendered is set to False just after.
        super().__init__("", content_type, status, charset=charset, headers=headers)
        self._is_rendered = False

    def __getstate__(self):
        """Pickle (for a cache) only a rendered response, and without its template."""
        if not self._is_rendered:
            raise ContentNotRenderedError("The response content must be rendered before it can be pickled.")
        state = self.__dict__.copy()
        for attribute in ("template_name", "context_data", "_post_render_callbacks", "_request"):
            state.pop(attribute, None)
        return state

    def resolve_template(self, template):
        """A template object from a name, a list of names, or a template."""
        if isinstance(template, (list, tuple)):
            return select_template(template, using=self.using)
        if isinstance(template, str):
            return get_template(template, using=self.using)
        return template

    def resolve_context(self, context):
        return context

    @property
    def rendered_content(self) -> str:
        """The template rendered with the context now (without storing it in ``content``)."""
        template = self.resolve_template(self.template_name)
        context = self.resolve_context(self.context_data)
        return template.render(context, self._request)

    def add_post_render_callback(self, callback) -> None:
        """Call ``callback(response)`` after rendering (now, if already rendered)."""
        if self._is_rendered:
            callback(self)
        else:
            self._post_render_callbacks.append(callback)

    def render(self):
        """Render the content, once, then run the callbacks; return the response.

        A callback may return a different response, which is then returned.
        """
        response = self
        if not self._is_rendered:
            self.content = self.rendered_content
            for callback in self._post_render_callbacks:
                new_response = callback(response)
                if new_response is not None:
                    response = new_response
        return response

    @property
    def is_rendered(self) -> bool:
        return self._is_rendered

    def __iter__(self):
        if not self._is_rendered:
            raise ContentNotRenderedError("The response content must be rendered before it can be iterated over.")
        return super().__iter__()

    @property
    def content(self) -> bytes:
        if not self._is_rendered:
            raise ContentNotRenderedError("The response content must be rendered before it can be accessed.")
        return super().content

    @content.setter
    def content(self, value) -> None:
        """Set the content directly: the response counts as rendered."""
        HttpResponse.content.fset(self, value)
        self._is_rendered = True


class TemplateResponse(SimpleTemplateResponse):
    """A SimpleTemplateResponse rendered with the request (so context processors run)."""

    def __init__(self, request, template, context=None, content_type=None, status=None, charset=None, using=None,
                 headers=None):
        super().__init__(template, context, content_type, status, charset, using, headers=headers)
        self._request = request
