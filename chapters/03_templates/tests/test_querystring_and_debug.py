"""{% querystring %}: the current query with parameters added, changed or removed; and {% debug %}."""

import pytest

from tinyframe.http import QueryDict
from tinyframe.template import Context, RequestContext, TemplateSyntaxError
from tinyframe.template.defaulttags import querystring
from tinyframe.test import RequestFactory

QUERY = "/?a=1&b=2&b=3&c="

# Each row: (template, context, what Django 5.2 renders for a request to QUERY).
# A context value "QueryDict:<query>" stands for QueryDict("<query>").
TAG_CASES = [
    ("{% querystring %}", {}, "?a=1&amp;b=2&amp;b=3&amp;c="),
    ("{% querystring a=5 %}", {}, "?a=5&amp;b=2&amp;b=3&amp;c="),
    ("{% querystring page=2 %}", {}, "?a=1&amp;b=2&amp;b=3&amp;c=&amp;page=2"),
    ("{% querystring b=None %}", {}, "?a=1&amp;c="),
    ("{% querystring a=None b=None c=None %}", {}, "?"),
    ("{% querystring d=x %}", {"x": "<&>"}, "?a=1&amp;b=2&amp;b=3&amp;c=&amp;d=%3C%26%3E"),
    ("{% querystring x=' &' %}", {}, "?a=1&amp;b=2&amp;b=3&amp;c=&amp;x=+%26"),
    ("{% querystring d=values %}", {"values": ["p", "q"]}, "?a=1&amp;b=2&amp;b=3&amp;c=&amp;d=p&amp;d=q"),
    ("{% querystring a=values %}", {"values": (1, 2)}, "?a=1&amp;a=2&amp;b=2&amp;b=3&amp;c="),
    ("{% querystring d=values %}", {"values": []}, "?a=1&amp;b=2&amp;b=3&amp;c="),
    ("{% querystring a=True %}", {}, "?a=True&amp;b=2&amp;b=3&amp;c="),
    ("{% querystring a=3.5 %}", {}, "?a=3.5&amp;b=2&amp;b=3&amp;c="),
    ("{% querystring a=missing %}", {}, "?a=&amp;b=2&amp;b=3&amp;c="),
    ("{% querystring query %}", {"query": "QueryDict:z=1&z=2"}, "?z=1&amp;z=2"),
    ("{% querystring query e=3 %}", {"query": "QueryDict:z=1&z=2"}, "?z=1&amp;z=2&amp;e=3"),
    ("{% querystring query a=None %}", {"query": "QueryDict:a=1"}, "?"),
    ("[{% querystring query %}]", {"query": "QueryDict:"}, "[]"),
    ("{% querystring a=5 as link %}[{{ link }}]", {}, "[?a=5&amp;b=2&amp;b=3&amp;c=]"),
    ("{% autoescape off %}{% querystring %}{% endautoescape %}", {}, "?a=1&b=2&b=3&c="),
    ("{% for p in pages %}<a href='{% querystring page=p %}'>{% endfor %}", {"pages": [1, 2]},
     "<a href='?a=1&amp;b=2&amp;b=3&amp;c=&amp;page=1'><a href='?a=1&amp;b=2&amp;b=3&amp;c=&amp;page=2'>"),
]


def with_query_dicts(context: dict) -> dict:
    return {
        name: QueryDict(value.removeprefix("QueryDict:")) if str(value).startswith("QueryDict:") else value
        for name, value in context.items()
    }


@pytest.mark.parametrize("template, context, expected", TAG_CASES)
def test_querystring(engine, template, context, expected):
    """querystring renders what Django's renders."""
    request = RequestFactory().get(QUERY)
    got = engine().from_string(template).render(RequestContext(request, with_query_dicts(context)))
    assert got == expected, f"rendering {template!r} for {QUERY} gave {got!r}; expected {expected!r}"


def test_querystring_without_a_query_is_empty(engine):
    """No query and nothing added: nothing at all, not a lone "?"."""
    template = engine().from_string("[{% querystring %}]")
    got = template.render(RequestContext(RequestFactory().get("/")))
    assert got == "[]", f"got {got!r}"


def test_querystring_leaves_the_request_alone(engine):
    """The request's own query is copied, never changed."""
    request = RequestFactory().get(QUERY)
    engine().from_string("{% querystring a=9 b=None %}").render(RequestContext(request))
    assert request.GET.urlencode() == "a=1&b=2&b=3&c=", f"request.GET became {request.GET.urlencode()!r}"


def test_querystring_takes_a_dict(engine):
    """A plain dict works as the starting query (Django 5.2 takes only a QueryDict there)."""
    template = engine().from_string("{% querystring query page=2 %}")
    got = template.render(Context({"query": {"q": "owl", "tags": ["a", "b"], "page": 1}}))
    assert got == "?q=owl&amp;tags=a&amp;tags=b&amp;page=2", f"got {got!r}"


@pytest.mark.parametrize(
    "template, context, message",
    [
        ("{% querystring query %}", {"query": 1}, "querystring requires mappings for positional arguments (got 1 instead)."),
        ("{% querystring 'x' %}", {}, "querystring requires mappings for positional arguments (got 'x' instead)."),
        ("{% querystring query %}", {"query": {1: "a"}}, "querystring requires strings for mapping keys (got 1 instead)."),
    ],
)
def test_querystring_refuses_what_is_not_a_query(engine, template, context, message):
    """A starting query that is not a mapping of names is a clear error."""
    with pytest.raises(TemplateSyntaxError) as caught:
        engine().from_string(template).render(RequestContext(RequestFactory().get(QUERY), context))
    assert str(caught.value) == message, f"got {str(caught.value)!r}; expected {message!r}"


SYNTAX_ERRORS = [
    ("{% querystring a b %}", "'querystring' received too many positional arguments"),
    ("{% querystring a=1 a=2 %}", "'querystring' received multiple values for keyword argument 'a'"),
    ("{% querystring a=1 b %}", "'querystring' received some positional argument(s) after some keyword argument(s)"),
    ("{% querystring a=1|nosuch %}", "Invalid filter: 'nosuch'"),
]


def test_querystring_syntax_errors(check_syntax_errors):
    """Its arguments are checked when the template is parsed, with Django's messages."""
    check_syntax_errors(SYNTAX_ERRORS)


def test_querystring_needs_a_request_without_a_query(engine):
    """Without a query of its own it reads request.GET: a plain Context has no request (Django's error)."""
    with pytest.raises(AttributeError, match="'Context' object has no attribute 'request'"):
        engine().from_string("{% querystring %}").render(Context())


def test_querystring_function_is_importable_from_defaulttags():
    """As in Django, the function behind the tag is django.template.defaulttags.querystring."""
    assert querystring(None, QueryDict("page=2&q=x"), page=3) == "?page=3&q=x"


# --- debug ----------------------------------------------------------------------------------


def test_debug_shows_nothing_unless_debug(render, use_settings):
    """{% debug %} outputs nothing with DEBUG off: a forgotten one leaks nothing."""
    use_settings(DEBUG=False)
    got = render("[{% debug %}]", {"secret": "s3cret"})
    assert got == "[]", f"got {got!r}"


def test_debug_dumps_the_context_and_modules(render, use_settings):
    """With DEBUG on: each layer of the context, innermost first, escaped; then the imported modules."""
    use_settings(DEBUG=True)
    got = render("{% with inner='<x>' %}{% debug %}{% endwith %}", {"outer": 1})
    context_part, _, modules_part = got.partition("\n\n")
    assert context_part == "{&#x27;inner&#x27;: &#x27;&lt;x&gt;&#x27;}{&#x27;outer&#x27;: 1}{&#x27;False&#x27;: False, &#x27;None&#x27;: None, &#x27;True&#x27;: True}", (
        f"got {context_part!r}"
    )
    assert "&#x27;tinyframe.template.defaulttags&#x27;: &lt;module" in modules_part, "the modules follow the context"
