"""The other built-in tags: autoescape, comment, verbatim, cycle, resetcycle, firstof, spaceless, now,
templatetag, widthratio, url and csrf_token."""

import datetime
import sys
import types
import warnings

import pytest

from tinyframe.template import Context, TemplateSyntaxError
from tinyframe.test.utils import override_settings
from tinyframe.urls import NoReverseMatch, clear_url_caches, include, path

# Each row: (template, context, what Django 5.2 renders).
TAG_CASES = [
    ('[{% widthratio a|add:missing 10 100 %}]', {"a": 1}, '[]'),
    ('{% autoescape off %}{{ x }}{% endautoescape %}', {"x": "<b>"}, '<b>'),
    ('{% autoescape on %}{{ x }}{% endautoescape %}', {"x": "<b>"}, '&lt;b&gt;'),
    ('{% autoescape off %}{{ x }}{% autoescape on %}{{ x }}{% endautoescape %}{{ x }}{% endautoescape %}{{ x }}', {"x": "<b>"}, '<b>&lt;b&gt;<b>&lt;b&gt;'),
    ('{% autoescape off %}{{ x|escape }} {{ x|safe }} {{ x|upper }}{% endautoescape %}', {"x": "<b>"}, '&lt;b&gt; <b> <B>'),
    ('{% autoescape off %}{% for i in items %}{{ i }}{% endfor %}{% endautoescape %}', {"items": ["<a>", "&"]}, '<a>&'),
    ('{% autoescape off %}{{ items|join:"<br>" }}{% endautoescape %}', {"items": ["<a>", "&"]}, '<a><br>&'),
    ('a{% comment %}hidden {{ x }} {% if %}{% endcomment %}b', {"x": 1}, 'ab'),
    ('a{% comment "why" %}hidden{% endcomment %}b', {}, 'ab'),
    ('{% verbatim %}{{ x }} {% if y %}{% endverbatim %}', {"x": 1}, '{{ x }} {% if y %}'),
    ('{% verbatim block %}{% verbatim %}{% endverbatim %}{% endverbatim block %}', {}, '{% verbatim %}{% endverbatim %}'),
    ('{% for i in items %}{% cycle "odd" "even" %} {% endfor %}', {"items": [1, 2, 3]}, 'odd even odd '),
    ('{% for i in items %}{% cycle a b %},{% endfor %}', {"items": [1, 2, 3], "a": "<x>", "b": "y"}, '&lt;x&gt;,y,&lt;x&gt;,'),
    ('{% for i in items %}<tr class="{% cycle "odd" "even" as row %}">{{ row }}</tr>{% endfor %}', {"items": [1, 2, 3]}, '<tr class="odd">odd</tr><tr class="even">even</tr><tr class="odd">odd</tr>'),
    ('{% for i in items %}{% cycle "odd" "even" as row silent %}[{{ row }}]{% endfor %}', {"items": [1, 2, 3]}, '[odd][even][odd]'),
    ('{% cycle "a" "b" "c" as letter %}{% cycle letter %}{% cycle letter %}{% cycle letter %}', {}, 'abca'),
    ('{% for i in items %}{% for j in items %}{% cycle "x" "y" %}{% endfor %}{% resetcycle %}|{% endfor %}', {"items": [1, 2, 3]}, 'xyx|xyx|xyx|'),
    ('{% for i in items %}{% cycle "a" "b" as outer silent %}{% for j in items %}{% cycle "x" "y" as inner silent %}{{ outer }}{{ inner }} {% endfor %}{% resetcycle inner %}{% endfor %}', {"items": [1, 2]}, 'ax ay bx by '),
    ('{% firstof a b c %}', {"a": 0, "b": "", "c": "third"}, 'third'),
    ('{% firstof a b "fallback" %}', {"a": 0, "b": ""}, 'fallback'),
    ('[{% firstof a b %}]', {}, '[]'),
    ('{% firstof a b %}', {"a": "<b>"}, '&lt;b&gt;'),
    ('{% firstof a "<b>" %}', {}, '<b>'),
    ('{% autoescape off %}{% firstof a %}{% endautoescape %}', {"a": "<b>"}, '<b>'),
    ('{% firstof a b as chosen %}[{{ chosen }}]', {"b": "<two>"}, '[&lt;two&gt;]'),
    ('{% firstof a|upper b %}', {"a": "one"}, 'ONE'),
    ('{% spaceless %}<p>\n  <a href="x"> link </a>\n</p>{% endspaceless %}', {}, '<p><a href="x"> link </a></p>'),
    ('{% spaceless %}  <b> {{ x }} </b>  <i>x</i> {% endspaceless %}', {"x": "<y>"}, '<b> &lt;y&gt; </b><i>x</i>'),
    ('{% templatetag openblock %} {% templatetag closeblock %} {% templatetag openvariable %} {% templatetag closevariable %} {% templatetag openbrace %}{% templatetag closebrace %} {% templatetag opencomment %} {% templatetag closecomment %}', {}, '{% %} {{ }} {} {# #}'),
    ('{% widthratio value max 100 %}', {"value": 175, "max": 200}, '88'),
    ('{% widthratio value max 100 %}', {"value": 0, "max": 0}, '0'),
    ('{% widthratio value max 100 %}', {"value": "x", "max": 10}, ''),
    ('[{% widthratio missing max 100 %}]', {"max": 10}, '[]'),
    ('{% widthratio value max width as w %}[{{ w }}]', {"value": 50, "max": 200, "width": "80"}, '[20]'),
    ('{% widthratio 3 7 10 %}', {}, '4'),
    ('{% widthratio 1 3 0 %}', {}, '0'),
    ('{% csrf_token %}', {"csrf_token": "abc<\"def"}, '<input type="hidden" name="csrfmiddlewaretoken" value="abc&lt;&quot;def">'),
    ('[{% csrf_token %}]', {"csrf_token": "NOTPROVIDED"}, '[]'),
]


def test_tag(check_renderings):
    """Each tag renders what Django's renders."""
    check_renderings(TAG_CASES)


NOW_NEEDS_A_FORMAT = """'now' statement takes one argument, a quoted format string: {% now "Y-m-d" %}"""
SYNTAX_ERRORS = [
    ("{% autoescape %}{% endautoescape %}", "'autoescape' tag requires exactly one argument."),
    ("{% autoescape maybe %}{% endautoescape %}", "'autoescape' argument should be 'on' or 'off', not 'maybe'."),
    ("{% autoescape off %}", "Unclosed tag on line 1: 'autoescape'. Looking for one of: endautoescape."),
    ("{% comment %}never closed", "Unclosed tag on line 1: 'comment'. Looking for one of: endcomment."),
    ("{% cycle %}", "'cycle' tag requires at least two arguments"),
    ("{% cycle row %}", "No named cycles in template. 'row' is not defined; name one first with {% cycle 'a' 'b' as row %}."),
    ("{% cycle 'a' 'b' as row %}{% cycle rows %}", "Named cycle 'rows' does not exist. Named cycles: row."),
    ('{% cycle "a" "b" as row loud %}', "Only 'silent' flag is allowed after cycle's name, not 'loud'."),
    ("{% resetcycle %}", "No cycles in template."),
    ("{% resetcycle nope %}", "Named cycle 'nope' does not exist."),
    ("{% resetcycle a b %}", "'resetcycle' tag accepts at most one argument."),
    ("{% firstof %}", "'firstof' statement requires at least one argument"),
    ("{% spaceless %}", "Unclosed tag on line 1: 'spaceless'. Looking for one of: endspaceless."),
    ("{% now %}", NOW_NEEDS_A_FORMAT),
    ('{% now "Y" "m" %}', NOW_NEEDS_A_FORMAT),
    ("{% now Y %}", NOW_NEEDS_A_FORMAT),
    ("{% templatetag %}", "'templatetag' statement takes one argument"),
    (
        "{% templatetag openparen %}",
        "Invalid templatetag argument: 'openparen'. Must be one of: openblock, closeblock, openvariable, "
        "closevariable, openbrace, closebrace, opencomment, closecomment",
    ),
    ("{% widthratio a b %}", "widthratio takes at least three arguments"),
    ("{% widthratio a b c d e %}", "Invalid syntax in widthratio tag. Expecting 'as' keyword"),
    ("{% url %}", "'url' takes at least one argument, a URL pattern name."),
]


def test_syntax_errors_say_what_is_wrong(check_syntax_errors):
    """A misused tag raises TemplateSyntaxError with Django's message (or a more helpful one, which says how to fix it)."""
    check_syntax_errors(SYNTAX_ERRORS)


def test_widthratio_needs_a_numeric_width(render):
    """A width that is not a number is an error at render time."""
    with pytest.raises(TemplateSyntaxError, match="widthratio final argument must be a number"):
        render("{% widthratio 1 2 width %}", {"width": "wide"})


def test_a_cycle_starts_over_on_every_render(engine):
    """Where a cycle stands belongs to one render: rendering the template again starts from the first value."""
    template = engine().from_string("{% for i in items %}{% cycle 'a' 'b' 'c' %}{% endfor %}")
    first = template.render(Context({"items": [1, 2]}))
    second = template.render(Context({"items": [1, 2]}))
    assert (first, second) == ("ab", "ab"), f"two renders gave {first!r} and {second!r}; expected 'ab' both times"


def test_cycle_as_name_sets_the_variable_where_the_cycle_was_named(render):
    """{% cycle ... as name %} stores each value with set_upward: a cycle named before a loop is seen after it."""
    source = "{% cycle 'x' 'y' as last silent %}{% for i in items %}{% cycle last %}{% endfor %}[{{ last }}]"
    got = render(source, {"items": [1, 2, 3]})
    # {% cycle last %} is the same node, silent too: it only moves the cycle on (x, then y, x, y).
    assert got == "[y]", f"got {got!r}; expected '[y]' (Django's output)"
    got = render("{% for i in items %}{% cycle 'x' 'y' as inner silent %}{% endfor %}[{{ inner }}]", {"items": [1, 2]})
    assert got == "[]", f"a cycle named inside a loop is forgotten after it; got {got!r}"


def test_verbatim_keeps_tags_as_text_in_compiled_source(engine):
    """verbatim text is output as written, whatever it contains."""
    source = "{% verbatim %}{% for %}{{ broken {% endverbatim %}"
    assert engine().from_string(source).render(Context()) == "{% for %}{{ broken "


# --- now --------------------------------------------------------------------------------------


def test_now_formats_the_current_time(render):
    """{% now "Y-m-d" %} is today's date; a format setting's name works too; 'as name' stores it."""
    before = datetime.datetime.now()
    got = render('{% now "Y-m-d" %}|{% now "DATE_FORMAT" %}|{% now "Y" as year %}[{{ year }}]')
    after = datetime.datetime.now()
    day, date_format, stored = got.split("|")
    assert day in {f"{before:%Y-%m-%d}", f"{after:%Y-%m-%d}"}, f'{{% now "Y-m-d" %}} gave {day!r}'
    assert str(before.year) in date_format or str(after.year) in date_format, f"DATE_FORMAT gave {date_format!r}"
    assert stored in {f"[{before.year}]", f"[{after.year}]"}, f"'as year' then {{{{ year }}}} gave {stored!r}"


def test_now_uses_the_time_zone_when_use_tz(render):
    """With USE_TZ, {% now %} is an aware time in TIME_ZONE (so 'e' names the zone); without, it is naive."""
    with override_settings(USE_TZ=True, TIME_ZONE="Asia/Tokyo"):
        assert render('{% now "e O" %}') == "JST +0900"
    with override_settings(USE_TZ=False):
        assert render('{% now "e" %}') == ""


# --- csrf_token ---------------------------------------------------------------------------------


def test_csrf_token_without_a_token_renders_nothing_and_warns_under_debug(render):
    """With no csrf_token in the context (no CSRF machinery yet) the tag outputs nothing; DEBUG warns about it."""
    with override_settings(DEBUG=True), warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        got = render("<form>{% csrf_token %}</form>")
    assert got == "<form></form>", f"got {got!r}"
    assert any("did not provide the value" in str(warning.message) for warning in caught), "DEBUG should warn"


# --- url --------------------------------------------------------------------------------------


def view(request):
    return None


@pytest.fixture
def urls():
    """A URLconf for this test as ROOT_URLCONF: about/, search/<str:q>/ and a 'blog' namespace."""
    blog = ([
        path("", view, name="index"),
        path("<int:pk>/", view, name="detail"),
        path("<slug:slug>/<int:year>/", view, name="archive"),
    ], "blog")
    module = types.ModuleType("tinyframe_test_template_urls")
    module.urlpatterns = [
        path("blog/", include(blog)),
        path("about/", view, name="about"),
        path("search/<str:q>/", view, name="search"),
    ]
    sys.modules[module.__name__] = module
    with override_settings(ROOT_URLCONF=module.__name__):
        yield module
    del sys.modules[module.__name__]
    clear_url_caches()


@pytest.mark.parametrize(
    "template, context, expected",
    [
        ('{% url "about" %}', {}, "/about/"),
        ('{% url "blog:detail" 7 %}', {}, "/blog/7/"),
        ('{% url "blog:detail" pk=post.pk %}', {"post": {"pk": 3}}, "/blog/3/"),
        ('{% url "blog:archive" "my-post" 2024 %}', {}, "/blog/my-post/2024/"),
        ("{% url name 5 %}", {"name": "blog:detail"}, "/blog/5/"),
        ('{% url "search" q %}', {"q": "<a&b>"}, "/search/%3Ca&amp;b%3E/"),
        ('{% autoescape off %}{% url "search" q %}{% endautoescape %}', {"q": "a&b"}, "/search/a&b/"),
        ('{% url "search" "a b?" %}', {}, "/search/a%20b%3F/"),
        ('{% url "about" as link %}[{{ link }}]', {}, "[/about/]"),
        ('{% url "nope" as link %}[{{ link }}]', {}, "[]"),
        ('{% url "blog:detail" "x" as link %}{% if link %}yes{% else %}no link{% endif %}', {}, "no link"),
        ('<a href="{% url "blog:index" %}">{% url "about" %}</a>', {}, '<a href="/blog/">/about/</a>'),
    ],
)
def test_url(render, urls, template, context, expected):
    """{% url %} reverses a pattern name (with a namespace) and its arguments, escaping the result."""
    got = render(template, context)
    assert got == expected, f"rendering {template!r} with {context!r} gave {got!r}; expected {expected!r}"


def test_url_that_cannot_be_reversed_raises(render, urls):
    """Without 'as name', a name or arguments that match no pattern raise NoReverseMatch, as in Django."""
    with pytest.raises(NoReverseMatch):
        render('{% url "nope" %}')
    with pytest.raises(NoReverseMatch):
        render('{% url "blog:detail" "not-a-number" %}')


def test_url_prefers_the_current_apps_namespace(engine, urls):
    """Inside a request, {% url %} passes the resolved namespace on as current_app."""
    request = types.SimpleNamespace(resolver_match=types.SimpleNamespace(namespace="blog"))
    context = Context()
    context.request = request
    got = engine().from_string('{% url "blog:index" %}').render(context)
    assert got == "/blog/", f"got {got!r}"
    request.current_app = "blog"
    assert engine().from_string('{% url "blog:detail" 1 %}').render(context) == "/blog/1/"
