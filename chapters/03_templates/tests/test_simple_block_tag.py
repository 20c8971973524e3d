"""Library.simple_block_tag: a tag with a body, written as a function of the body's text."""

import pytest

from tinyframe.template import Context, Library, TemplateSyntaxError
from tinyframe.utils.html import format_html


def make_library() -> Library:
    """The library the tests load as 'blocks'."""
    register = Library()

    @register.simple_block_tag
    def shout(content, punctuation="!"):
        return content.upper() + punctuation

    @register.simple_block_tag(takes_context=True)
    def signed(context, content, times):
        return f"{content}, {context.get('user', 'nobody')} x{times}"

    @register.simple_block_tag(end_name="stop")
    def box(content):
        return f"<div>{content}</div>"

    @register.simple_block_tag(name="card")
    def make_card(content, title, *, level=2):
        return format_html("<section><h{}>{}</h{}>{}</section>", level, title, level, content)

    @register.simple_block_tag
    def keep(content):
        return content

    @register.simple_block_tag(takes_context=True)
    def no_content_after_context(context, times):
        return ""

    @register.simple_block_tag(takes_context=True)
    def content_first(content, context):
        return ""

    @register.simple_block_tag
    def no_content(times):
        return ""

    @register.simple_block_tag(takes_context=True)
    def no_context(request, content):
        return ""

    return register


@pytest.fixture
def render_blocks(render):
    """``render_blocks(source, context)``: render with the 'blocks' library loaded."""

    def render_blocks(source, context=None, **options):
        return render("{% load blocks %}" + source, context, libraries={"blocks": make_library()}, **options)

    return render_blocks


# Each row: (template, context, what Django 5.2 renders).
TAG_CASES = [
    # The body is rendered (escaped as usual), the function gets its text, and what it returns is
    # escaped like a simple_tag's: the body's text is safe, but upper() makes a new, unsafe string.
    ("{% shout %}a<b>{{ y }}{% endshout %}", {"y": "<i>"}, "A&lt;B&gt;&amp;LT;I&amp;GT;!"),
    ("{% keep %}<p>{{ y }}</p>{% endkeep %}", {"y": "<"}, "<p>&lt;</p>"),
    ("{% shout '?' %}hi{% endshout %}", {}, "HI?"),
    ("{% shout punctuation=p %}hi{% endshout %}", {"p": "<"}, "HI&lt;"),
    ("{% shout as loud %}hi{% endshout %}[{{ loud }}]", {}, "[HI!]"),
    ("{% signed 3 %}ok{% endsigned %}", {"user": "ada"}, "ok, ada x3"),
    ("{% box %}<p>{% stop %}", {}, "&lt;div&gt;&lt;p&gt;&lt;/div&gt;"),
    ('{% card "News" level=3 %}<p>{{ text }}</p>{% endcard %}', {"text": "A & B"}, "<section><h3>News</h3><p>A &amp; B</p></section>"),
    ("{% for i in items %}{% shout %}{{ i }}{% endshout %}{% endfor %}", {"items": ["a", "b"]}, "A!B!"),
    ("{% for i in items %}{% shout i %}{{ forloop.counter }}{% endshout %}{% endfor %}", {"items": ["a", "b"]}, "1a2b"),
    ("{% for i in items %}{% signed i %}{{ i }}{% endsigned %}|{% endfor %}", {"items": [1, 2], "user": "u"}, "1, u x1|2, u x2|"),
    ("{% autoescape off %}{% box %}{{ y }}{% stop %}{% endautoescape %}", {"y": "<i>"}, "<div><i></div>"),
    # "as" alone is an argument, as in Django.
    ("{% shout as %}x{% endshout %}", {}, "X"),
]


@pytest.mark.parametrize("template, context, expected", TAG_CASES)
def test_simple_block_tag(render_blocks, template, context, expected):
    """A simple_block_tag renders what Django's renders."""
    got = render_blocks(template, context)
    assert got == expected, f"rendering {template!r} with {context!r} gave {got!r}; expected {expected!r}"


@pytest.mark.parametrize(
    "template, message",
    [
        ("{% shout %}x", "Unclosed tag on line 1: 'shout'. Looking for one of: endshout."),
        ("{% box %}x", "Unclosed tag on line 1: 'box'. Looking for one of: stop."),
        ("{% box %}x{% endbox %}", "Invalid block tag on line 1: 'endbox', expected 'stop'. Did you forget to register or load this tag?"),
        ("{% shout 1 2 %}x{% endshout %}", "'shout' received too many positional arguments"),
        ("{% shout nope=1 %}x{% endshout %}", "'shout' received unexpected keyword argument 'nope'"),
        ("{% signed %}x{% endsigned %}", "'signed' did not receive value(s) for the argument(s): 'times'"),
        ("{% shout %}{% if %}{% endif %}{% endshout %}", "Unexpected end of expression in if tag."),
        (
            "{% no_content_after_context 1 %}x{% endno_content_after_context %}",
            "'no_content_after_context' is decorated with takes_context=True so it must have a first argument of "
            "'context' and a second argument of 'content'",
        ),
        (
            "{% content_first %}x{% endcontent_first %}",
            "'content_first' is decorated with takes_context=True so it must have a first argument of "
            "'context' and a second argument of 'content'",
        ),
        ("{% no_content 1 %}x{% endno_content %}", "'no_content' must have a first argument of 'content'"),
        (
            "{% no_context %}x{% endno_context %}",
            "'no_context' is decorated with takes_context=True so it must have a first argument of 'context'",
        ),
    ],
)
def test_simple_block_tag_errors(engine, template, message):
    """A misused block tag (or a wrongly written function) is a TemplateSyntaxError with Django's message."""
    with pytest.raises(TemplateSyntaxError) as caught:
        engine(libraries={"blocks": make_library()}).from_string("{% load blocks %}" + template)
    assert str(caught.value) == message, f"compiling {template!r} raised {str(caught.value)!r}; expected {message!r}"


def test_simple_block_tag_keeps_the_function_and_its_name():
    """The decorator returns the function itself, still callable, and registers its compile function."""
    register = Library()

    def shout(content):
        return content.upper()

    assert register.simple_block_tag(shout) is shout
    assert register.simple_block_tag(name="yell")(shout) is shout
    assert set(register.tags) == {"shout", "yell"}, f"registered {sorted(register.tags)}"
    assert register.tags["shout"].__name__ == "shout", "the compile function wraps the function (functools.wraps)"


def test_simple_block_tag_refuses_other_arguments():
    """Neither a function nor keywords: Django's ValueError."""
    with pytest.raises(ValueError) as caught:
        Library().simple_block_tag("shout")
    assert str(caught.value) == "Invalid arguments provided to simple_block_tag"


def test_simple_block_tag_sees_the_context_of_its_body(engine):
    """takes_context gets the rendering context; the body is rendered in it, so it sees the loop's names."""
    template = engine(libraries={"blocks": make_library()}).from_string(
        "{% load blocks %}{% with user='grace' %}{% signed 2 %}{{ user|upper }}{% endsigned %}{% endwith %}"
    )
    got = template.render(Context({"user": "ada"}))
    assert got == "GRACE, grace x2", f"got {got!r}"
