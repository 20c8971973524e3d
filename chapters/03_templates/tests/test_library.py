"""Libraries: registering filters and tags (simple_tag, inclusion_tag, tag) and loading them."""

import datetime
import sys
import textwrap

import pytest

from tinyframe.template import Context, Library, Node, TemplateSyntaxError
from tinyframe.template.library import InvalidTemplateLibrary, import_library
from tinyframe.test.utils import override_settings
from tinyframe.utils.safestring import mark_safe


class UpperNode(Node):
    """{% upper %}...{% endupper %}: a tag with a body, written the long way."""

    def __init__(self, nodelist):
        self.nodelist = nodelist

    def render(self, context):
        return self.nodelist.render(context).upper()


class CurrentNode(Node):
    def render(self, context):
        return f"[{context.get('x')}]"


def make_library() -> Library:
    """The library the tests load as 'testtags' (made in a function: a stubbed
    simple_tag must fail the tests that use it, not the import of this module)."""
    register = Library()

    @register.simple_tag
    def greet(name, punctuation="!"):
        return f"Hello <{name}>{punctuation}"

    @register.simple_tag(takes_context=True)
    def whoami(context):
        return context.get("user", "nobody")

    @register.simple_tag(name="sum_all")
    def add_everything(*numbers, start=0, **named):
        return start + sum(numbers) + sum(named.values())

    @register.simple_tag
    def html_badge(text):
        return mark_safe(f"<b>{text}</b>")

    @register.simple_tag
    def needs_keyword(*, required):
        return required

    @register.inclusion_tag("badge.html")
    def badge(label, count=0):
        return {"label": label, "count": count}

    @register.inclusion_tag("badge.html", takes_context=True)
    def user_badge(context):
        return {"label": context["user"], "count": 1}

    @register.filter
    def double(value):
        return value * 2

    @register.filter(is_safe=True)
    def bracket(value):
        return f"[{value}]"

    @register.filter(needs_autoescape=True)
    def emphasize(value, autoescape=True):
        from tinyframe.utils.html import conditional_escape

        value = conditional_escape(value) if autoescape else value
        return mark_safe(f"<em>{value}</em>")

    @register.filter(expects_localtime=True)
    def hour(value):
        return value.hour

    @register.filter("shout")
    def make_loud(value, suffix="!"):
        return f"{value.upper()}{suffix}"

    @register.tag("upper")
    def do_upper(parser, token):
        nodelist = parser.parse(("endupper",))
        parser.delete_first_token()
        return UpperNode(nodelist)

    @register.tag
    def current(parser, token):
        return CurrentNode()

    return register


TEMPLATES = {"badge.html": "<span>{{ label }}: {{ count }}{{ user }}</span>"}


@pytest.fixture
def render_tags(render):
    """``render_tags(source, context)``: render with the 'testtags' library loaded."""

    def render_tags(source, context=None, **options):
        libraries = {"testtags": make_library()}
        return render("{% load testtags %}" + source, context, templates=TEMPLATES, libraries=libraries, **options)

    return render_tags


@pytest.mark.exercise("03.8")
@pytest.mark.parametrize(
    "source, context, expected",
    [
        ('{% greet "Ada" %}', {}, "Hello &lt;Ada&gt;!"),
        ('{% greet name punctuation="?" %}', {"name": "Bob"}, "Hello &lt;Bob&gt;?"),
        ('{% greet name as hello %}[{{ hello }}]', {"name": "Cy"}, "[Hello &lt;Cy&gt;!]"),
        ("{% whoami %}", {"user": "<ada>"}, "&lt;ada&gt;"),
        ("{% whoami as me %}{{ me|upper }}", {"user": "ada"}, "ADA"),
        ("{% sum_all 1 2 3 %}", {}, "6"),
        ("{% sum_all 1 start=10 extra=5 %}", {}, "16"),
        ("{% html_badge '<x>' %}", {}, "<b><x></b>"),
        ("{% needs_keyword required=n %}", {"n": 7}, "7"),
        ("{% for n in numbers %}{% greet n %}{% endfor %}", {"numbers": [1, 2]}, "Hello &lt;1&gt;!Hello &lt;2&gt;!"),
    ],
)
def test_simple_tag(render_tags, source, context, expected):
    """simple_tag turns a function into a tag: template arguments in, escaped result out (or 'as name')."""
    got = render_tags(source, context)
    assert got == expected, f"{source!r} with {context!r} rendered {got!r}; expected {expected!r}"


@pytest.mark.exercise("03.8")
def test_simple_tag_does_not_escape_when_autoescape_is_off(render_tags):
    """Without auto-escaping, a simple tag's result goes out as it is."""
    got = render_tags('{% autoescape off %}{% greet "<b>" %}{% endautoescape %}')
    assert got == "Hello <<b>>!", got


@pytest.mark.exercise("03.8")
@pytest.mark.parametrize(
    "source, message",
    [
        ("{% greet %}", "'greet' did not receive value(s) for the argument(s): 'name'"),
        ("{% greet 1 2 3 %}", "'greet' received too many positional arguments"),
        ("{% greet name=1 2 %}", "'greet' received some positional argument(s) after some keyword argument(s)"),
        ("{% greet nope=1 %}", "'greet' received unexpected keyword argument 'nope'"),
        ("{% greet name=1 name=2 %}", "'greet' received multiple values for keyword argument 'name'"),
        ("{% needs_keyword %}", "'needs_keyword' did not receive value(s) for the argument(s): 'required'"),
    ],
)
def test_simple_tag_arguments_are_checked_while_parsing(engine, source, message):
    """A call that doesn't fit the function's signature is a syntax error naming the tag."""
    libraries = {"testtags": make_library()}
    with pytest.raises(TemplateSyntaxError) as caught:
        engine(libraries=libraries).from_string("{% load testtags %}" + source)
    assert str(caught.value) == message, f"{source!r} raised {str(caught.value)!r}; expected {message!r}"


@pytest.mark.exercise("03.8")
def test_simple_tag_registration_forms():
    """simple_tag works bare, called with options, or called on a function; anything else is an error."""
    library = Library()

    def one():
        return 1

    assert library.simple_tag(one) is one
    library.simple_tag(name="uno")(one)
    assert set(library.tags) == {"one", "uno"}
    with pytest.raises(ValueError, match="Invalid arguments provided to simple_tag"):
        library.simple_tag("not a function")


def test_takes_context_requires_a_context_parameter():
    """takes_context=True on a function without 'context' first is a clear error at parse time."""
    library = Library()

    @library.simple_tag(takes_context=True)
    def oops(value):
        return value

    from tinyframe.template import Engine

    with pytest.raises(TemplateSyntaxError, match="must have a first argument of 'context'"):
        Engine(libraries={"lib": library}).from_string("{% load lib %}{% oops 1 %}")


@pytest.mark.parametrize(
    "source, context, expected",
    [
        ("{% badge 'Posts' 3 %}", {}, "<span>Posts: 3</span>"),
        ("{% badge label=x %}", {"x": "<b>", "user": "not passed on"}, "<span>&lt;b&gt;: 0</span>"),
        ("{% user_badge %}", {"user": "ada"}, "<span>ada: 1</span>"),
        ("{% for x in 'ab' %}{% badge x %}{% endfor %}", {}, "<span>a: 0</span><span>b: 0</span>"),
    ],
)
def test_inclusion_tag(render_tags, source, context, expected):
    """inclusion_tag renders a template with the dict the function returns, in a new context."""
    got = render_tags(source, context)
    assert got == expected, f"{source!r} with {context!r} rendered {got!r}; expected {expected!r}"


def test_inclusion_tag_with_a_template_object_or_a_list_of_names(engine):
    """The template of an inclusion tag may be a Template, or a list of names to choose from."""
    library = Library()
    inline = engine().from_string("({{ v }})")

    @library.inclusion_tag(inline)
    def direct(v):
        return {"v": v}

    @library.inclusion_tag(["missing.html", "badge.html"])
    def chosen(label):
        return {"label": label, "count": 2}

    templates = engine(TEMPLATES, libraries={"lib": library})
    got = templates.from_string("{% load lib %}{% direct 1 %}{% chosen 'x' %}").render(Context())
    assert got == "(1)<span>x: 2</span>", got


def test_inclusion_tag_passes_the_csrf_token_on(render_tags):
    """The CSRF token is the one name an inclusion tag's template gets from the page."""
    assert render_tags("{% badge 'a' %}", {"csrf_token": "T", "user": "u"}) == "<span>a: 0</span>"


@pytest.mark.parametrize(
    "source, context, expected",
    [
        ("{{ n|double }}", {"n": 2}, "4"),
        ("{{ s|bracket }}", {"s": mark_safe("<b>")}, "[<b>]"),  # is_safe keeps the mark
        ("{{ s|bracket }}", {"s": "<b>"}, "[&lt;b&gt;]"),
        ("{{ s|double|bracket }}", {"s": "<"}, "[&lt;&lt;]"),
        ("{{ s|emphasize }}", {"s": "<b>"}, "<em>&lt;b&gt;</em>"),
        ("{% autoescape off %}{{ s|emphasize }}{% endautoescape %}", {"s": "<b>"}, "<em><b></em>"),
        ("{{ s|shout }}", {"s": "hey"}, "HEY!"),
        ("{{ s|shout:'?' }}", {"s": "hey"}, "HEY?"),
        ("{{ s|shout:mark }}", {"s": "hey", "mark": "<"}, "HEY&lt;"),
        ("{{ t|hour }}", {"t": datetime.datetime(2024, 1, 1, 9, 30)}, "9"),
    ],
)
def test_custom_filters(render_tags, source, context, expected):
    """Filters get the value and their argument; is_safe and needs_autoescape are honoured."""
    got = render_tags(source, context)
    assert got == expected, f"{source!r} with {context!r} rendered {got!r}; expected {expected!r}"


def test_expects_localtime_converts_aware_datetimes(render_tags):
    """An expects_localtime filter sees an aware datetime in the project's time zone."""
    moment = datetime.datetime(2024, 1, 1, 12, 0, tzinfo=datetime.timezone.utc)
    with override_settings(USE_TZ=True, TIME_ZONE="Asia/Tokyo"):
        got = render_tags("{{ t|hour }}", {"t": moment})
    assert got == "21", f"12:00 UTC in Tokyo: got hour {got}"


def test_tag_with_a_body(render_tags):
    """A tag compile function can parse a body up to its end tag and return any Node."""
    got = render_tags("{% upper %}a{{ x }}{% for i in 'bc' %}{{ i }}{% endfor %}{% endupper %}", {"x": "<x>"})
    assert got == "A&LT;X&GT;BC", got


def test_custom_node_inside_a_loop_sees_the_loop_variable(render_tags):
    """A custom node renders with the context, which holds the loop's names even when compiled."""
    assert render_tags("{% for x in 'ab' %}{% current %}{% endfor %}") == "[a][b]"


def test_tag_registration_forms():
    """tag() works as @tag, @tag(), @tag('name') and tag('name', function)."""
    library = Library()

    @library.tag
    def first(parser, token):
        return CurrentNode()

    @library.tag()
    def second(parser, token):
        return CurrentNode()

    @library.tag("third")
    def whatever(parser, token):
        return CurrentNode()

    library.tag("fourth", whatever)
    assert set(library.tags) == {"first", "second", "third", "fourth"}
    with pytest.raises(ValueError, match="Unsupported arguments to Library.tag"):
        library.tag(None, whatever)


def test_filter_registration_forms():
    """filter() works as @filter, @filter(flags), @filter('name') and filter('name', function)."""
    library = Library()

    @library.filter
    def a(value):
        return value

    @library.filter(is_safe=True)
    def b(value):
        return value

    library.filter("c", a)
    assert set(library.filters) == {"a", "b", "c"} and b.is_safe and a._filter_name == "c"
    with pytest.raises(ValueError, match="Unsupported arguments to Library.filter"):
        library.filter(None, a)


@pytest.mark.parametrize(
    "source, expected",
    [
        ("{% load greet double from testtags %}{% greet 'a' %}{{ 2|double }}", "Hello &lt;a&gt;!4"),
        ("{% load testtags %}{{ 1|double }}", "2"),
    ],
)
def test_load_all_or_some_of_a_library(render, source, expected):
    """{% load lib %} loads everything; {% load a b from lib %} only the names given."""
    assert render(source, libraries={"testtags": make_library()}, templates=TEMPLATES) == expected


def test_load_some_leaves_the_others_out(engine):
    """A name not loaded from a library is still unknown."""
    libraries = {"testtags": make_library()}
    with pytest.raises(TemplateSyntaxError, match="Invalid block tag on line 1: 'whoami'"):
        engine(libraries=libraries).from_string("{% load greet from testtags %}{% whoami %}")
    with pytest.raises(TemplateSyntaxError) as caught:
        engine(libraries=libraries).from_string("{% load nope from testtags %}")
    assert str(caught.value) == "'nope' is not a valid tag or filter in tag library 'testtags'"


def test_load_an_unknown_library_lists_the_known_ones(engine):
    """Loading a library that isn't registered lists those that are."""
    with pytest.raises(TemplateSyntaxError) as caught:
        engine(libraries={"b": Library(), "a": Library()}).from_string("{% load c %}")
    assert str(caught.value) == "'c' is not a registered tag library. Must be one of:\na\nb"


def test_libraries_by_dotted_path_and_builtins(engine, tmp_path, monkeypatch):
    """libraries and builtins may name modules with a 'register' Library."""
    (tmp_path / "mytags.py").write_text(
        "from tinyframe.template import Library\nregister = Library()\n"
        "@register.filter\ndef twice(v):\n    return v * 2\n"
    )
    (tmp_path / "notags.py").write_text("x = 1\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    by_path = engine(libraries={"mytags": "mytags"}).from_string("{% load mytags %}{{ 'a'|twice }}")
    assert by_path.render(Context()) == "aa"
    as_builtin = engine(builtins=["mytags"]).from_string("{{ 'b'|twice }}")
    assert as_builtin.render(Context()) == "bb"
    with pytest.raises(InvalidTemplateLibrary, match="does not have a variable named 'register'"):
        import_library("notags")
    with pytest.raises(InvalidTemplateLibrary, match="ImportError raised when trying to load 'no.such.module'"):
        import_library("no.such.module")


def test_load_from_an_installed_apps_templatetags(tmp_path, monkeypatch, templates_setting):
    """The backend finds libraries in the templatetags package of each installed app."""
    app = tmp_path / "blogapp"
    (app / "templatetags").mkdir(parents=True)
    (app / "__init__.py").write_text("")
    (app / "templatetags" / "__init__.py").write_text("")
    (app / "templatetags" / "blog_extras.py").write_text(textwrap.dedent("""
        from tinyframe.template import Library
        register = Library()

        @register.simple_tag
        def reading_time(words):
            return f"{max(1, round(words / 200))} min"
    """))
    (app / "templatetags" / "helpers.py").write_text("HELP = 1\n")  # no register: not a library
    monkeypatch.syspath_prepend(str(tmp_path))
    templates_setting()
    with override_settings(INSTALLED_APPS=["blogapp"]):
        from tinyframe.template import engines

        backend = engines["django"]
        assert set(backend.engine.libraries) == {"blog_extras"}
        got = backend.from_string("{% load blog_extras %}{% reading_time 1000 %}").render({})
    assert got == "5 min", got
    for name in [name for name in sys.modules if name.startswith("blogapp")]:
        del sys.modules[name]
