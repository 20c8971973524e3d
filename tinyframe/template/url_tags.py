"""The tags that write links and forms: url, querystring, csrf_token.

How it works: ``{% url %}`` turns a URL pattern's name and arguments into a
path with ``tinyframe.urls.reverse``, the inverse of resolving a request's
path; ``{% querystring %}`` makes the ``?a=1&b=2`` part of a link from the
current request's query (``request.GET``) with some parameters changed, the
way a "next page" link keeps the filters of the page it is on;
``{% csrf_token %}`` writes a form's hidden field with the token that proves
a POST came from the site's own form. Each renders itself in a compiled
template (``Node.compile``'s default): they read the request, or call code
outside the template language.
"""

import warnings
from collections.abc import Iterable, Mapping

from tinyframe.conf import settings
from tinyframe.http import QueryDict
from tinyframe.template.base import Node, TemplateSyntaxError, kwarg_re
from tinyframe.template.library import Library, SimpleNode, parse_bits, split_target_var
from tinyframe.urls import NoReverseMatch, reverse
from tinyframe.utils.html import conditional_escape, format_html
from tinyframe.utils.safestring import mark_safe

register = Library()


class URLNode(Node):
    """``{% url %}``: the path of a named URL pattern, built by ``tinyframe.urls.reverse``."""

    child_nodelists = ()

    def __init__(self, view_name, args: list, kwargs: dict, asvar: str | None):
        self.view_name = view_name
        self.args = args
        self.kwargs = kwargs
        self.asvar = asvar

    def render(self, context) -> str:
        view_name = self.view_name.resolve(context)
        args = [arg.resolve(context) for arg in self.args]
        kwargs = {name: value.resolve(context) for name, value in self.kwargs.items()}
        # Inside a namespaced app, reverse("app:name") prefers the instance
        # that handled this request.
        request = getattr(context, "request", None)
        current_app = getattr(request, "current_app", None)
        if current_app is None:
            current_app = getattr(getattr(request, "resolver_match", None), "namespace", None)
        url = ""
        try:
            url = reverse(view_name, args=args, kwargs=kwargs, current_app=current_app)
        except NoReverseMatch:
            if self.asvar is None:
                raise
        if self.asvar:
            context[self.asvar] = url
            return ""
        return conditional_escape(url) if context.autoescape else url


@register.tag("url")
def do_url(parser, token) -> Node:
    """``{% url 'blog:detail' post.pk %}`` or ``{% url 'archive' year=2024 as link %}``: reverse a URL.

    A name that cannot be reversed raises ``NoReverseMatch``, unless ``as name``
    is given: then the variable is set to "" (so ``{% if link %}`` can test it).
    """
    bits = token.split_contents()
    if len(bits) < 2:
        raise TemplateSyntaxError(f"'{bits[0]}' takes at least one argument, a URL pattern name.")
    view_name = parser.compile_filter(bits[1])
    bits = bits[2:]
    asvar = None
    if len(bits) >= 2 and bits[-2] == "as":
        asvar = bits[-1]
        bits = bits[:-2]
    args, kwargs = [], {}
    for bit in bits:
        name, value = kwarg_re.match(bit).groups()
        if name:
            kwargs[name] = parser.compile_filter(value)
        else:
            args.append(parser.compile_filter(value))
    return URLNode(view_name, args, kwargs, asvar)


def querystring(context, query_dict=None, **kwargs) -> str:
    """The query string ``{% querystring %}`` outputs: ``query_dict`` (else ``request.GET``) changed by ``kwargs``.

    A keyword's value replaces the parameter's values; a list (any iterable
    but a string) gives it several; ``None`` removes it. The result starts
    with ``?`` (a link to ``"?"`` clears the query), or is empty when there
    was no query and nothing is added. ``query_dict`` may be a ``QueryDict``
    or a plain dict.

    >>> from tinyframe.http import QueryDict
    >>> querystring(None, QueryDict("q=owl&page=2"), page=3, sort=["date", "title"])
    '?q=owl&page=3&sort=date&sort=title'
    >>> querystring(None, QueryDict("page=2"), page=None)
    '?'
    """
    if query_dict is None:
        query_dict = context.request.GET
    if isinstance(query_dict, QueryDict):
        params = query_dict.copy()
    elif isinstance(query_dict, Mapping):
        # Django 5.2 takes only a QueryDict here (a dict fails with an
        # AttributeError); later Djangos take any mapping, with these messages.
        params = QueryDict(mutable=True)
        for key, value in query_dict.items():
            if not isinstance(key, str):
                raise TemplateSyntaxError(f"querystring requires strings for mapping keys (got {key!r} instead).")
            params.setlist(key, value if isinstance(value, Iterable) and not isinstance(value, str) else [value])
    else:
        raise TemplateSyntaxError(f"querystring requires mappings for positional arguments (got {query_dict!r} instead).")
    for key, value in kwargs.items():
        if value is None:
            params.pop(key, None)
        elif isinstance(value, Iterable) and not isinstance(value, str):
            params.setlist(key, value)
        else:
            params[key] = value
    if not params and not query_dict:
        return ""
    return f"?{params.urlencode()}"


@register.tag("querystring")
def do_querystring(parser, token) -> SimpleNode:
    """``{% querystring page=page_obj.next_page_number %}``: this page's query with ``page`` changed.

    ``{% querystring my_query_dict a=1 %}`` starts from another query,
    ``{% querystring sort=None %}`` drops a parameter, and ``as name`` stores
    the result. Output like a variable: ``&`` is escaped as ``&amp;`` in HTML.
    Django registers it as a simple tag taking the context: the node is the
    one ``Library.simple_tag`` makes.
    """
    bits, target_var = split_target_var(token.split_contents()[1:])
    # The signature of querystring() above, as getfullargspec reads it.
    args, kwargs = parse_bits(
        parser, bits, ["context", "query_dict"], None, "kwargs", (None,), [], None, True, "querystring"
    )
    return SimpleNode(querystring, True, args, kwargs, target_var)


class CsrfTokenNode(Node):
    """``{% csrf_token %}``: the hidden form field carrying the CSRF token.

    The token comes from the context's ``csrf_token``, which chapter 10's CSRF
    machinery (a context processor over ``CsrfViewMiddleware``) provides. When
    the context has none — as in every template before chapter 10, or one
    rendered without a ``RequestContext`` — the tag renders nothing, as
    Django's does, with a warning under DEBUG since a form posted without its
    token will be refused.
    """

    child_nodelists = ()

    def render(self, context) -> str:
        csrf_token = context.get("csrf_token")
        if csrf_token:
            if csrf_token == "NOTPROVIDED":
                return mark_safe("")
            return format_html('<input type="hidden" name="csrfmiddlewaretoken" value="{}">', csrf_token)
        if settings.DEBUG:
            warnings.warn(
                "A {% csrf_token %} was used in a template, but the context did not provide the value. "
                "This is usually caused by not using RequestContext."
            )
        return ""


@register.tag("csrf_token")
def do_csrf_token(parser, token) -> Node:
    """``{% csrf_token %}`` inside a POST form: the CSRF field (empty until chapter 10 provides tokens)."""
    return CsrfTokenNode()
