"""Variables: dotted lookups (key, attribute, index), callables, literals and string_if_invalid."""

import pytest

from tinyframe.template.base import Variable, VariableDoesNotExist, resolve_lookup
from tinyframe.utils.html import conditional_escape
from tinyframe.utils.safestring import SafeData


class Author:
    name = "Ada"

    def __init__(self):
        self.books = ["Notes", "Letters"]

    def initials(self):
        return "A. L."

    def greet(self, whom):  # needs an argument: templates can't call it
        return f"Hi {whom}"

    def delete(self):
        raise AssertionError("a template called a method that alters data")

    delete.alters_data = True

    @property
    def broken(self):
        raise AttributeError("a bug inside the property")


class Factory:
    """A callable that a template should use as it is, not call."""

    do_not_call_in_templates = True
    label = "factory"

    def __call__(self):
        raise AssertionError("do_not_call_in_templates was ignored")


class Kind:
    """A generic class: ``Kind[x]`` works (``__class_getitem__``), but Kind is no container."""

    do_not_call_in_templates = True
    label = "a kind"

    def __class_getitem__(cls, item):
        return f"Kind[{item}]"


class Quiet(Exception):
    silent_variable_failure = True


class Flaky:
    @property
    def value(self):
        raise Quiet


CONTEXT = {
    "post": {"title": "Hello <world>", "tags": ["a", "b", "c"], "items": "the key wins"},
    "author": Author(),
    "factory": Factory(),
    "kind": Kind,
    "flaky": Flaky(),
    "matrix": [[1, 2], [3, 4]],
    "count": lambda: 42,
}


@pytest.mark.exercise("03.3")
@pytest.mark.parametrize(
    "source, expected",
    [
        ("{{ post.title }}", "Hello &lt;world&gt;"),
        ("{{ post.tags.1 }}", "b"),
        ("{{ post.items }}", "the key wins"),  # a dict key before a dict method
        ("{{ post.tags.9 }}", ""),
        ("{{ post.nope }}", ""),
        ("{{ author.name }}", "Ada"),
        ("{{ author.books.0 }}", "Notes"),
        ("{{ author.initials }}", "A. L."),
        ("{{ author.greet }}", ""),  # needs an argument
        ("{{ author.delete }}", ""),  # alters_data: never called
        ("{{ factory.label }}", "factory"),
        ("{{ kind.label }}", "a kind"),  # subscripted only when its type has __getitem__
        ("{{ matrix.1.0 }}", "3"),
        ("{{ count }}", "42"),
        ("{{ flaky.value }}", ""),  # silent_variable_failure
        ("{{ missing }}", ""),
        ("{{ missing.isdigit }}", ""),  # a failed lookup is "" whatever follows
        ("{{ author.name.upper }}", "ADA"),
    ],
)
def test_dotted_lookups(render, source, expected):
    """Look up each part: dict key, then attribute, then list index; call what can be called."""
    got = render(source, CONTEXT)
    assert got == expected, f"{source!r} rendered {got!r}; expected {expected!r}"


@pytest.mark.exercise("03.3")
def test_resolve_lookup_follows_each_part():
    """resolve_lookup takes a value and the parts after it, trying key, attribute, index."""
    got = resolve_lookup({"author": Author()}, ("author", "books", "1"))
    assert got == "Letters", f"resolve_lookup({{'author': Author()}}, ('author', 'books', '1')) gave {got!r}"


@pytest.mark.exercise("03.3")
def test_resolve_lookup_raises_variable_does_not_exist():
    """A part that is no key, attribute or index raises VariableDoesNotExist naming it."""
    with pytest.raises(VariableDoesNotExist) as caught:
        resolve_lookup({"a": 1}, ("b",))
    assert str(caught.value) == "Failed lookup for key [b] in {'a': 1}"


@pytest.mark.exercise("03.3")
def test_resolve_lookup_calls_callables_but_not_marked_ones():
    """Callables are called, except do_not_call_in_templates (kept) and alters_data (string_if_invalid)."""
    assert resolve_lookup(lambda: {"x": 1}, ("x",)) == 1
    factory = Factory()
    assert resolve_lookup(factory, ()) is factory
    assert resolve_lookup(Author(), ("delete",), "INVALID") == "INVALID"


def test_an_attribute_error_inside_a_property_is_not_hidden(render):
    """A property that raises AttributeError is a bug: the error is shown, not swallowed."""
    with pytest.raises(AttributeError, match="a bug inside the property"):
        render("{{ author.broken }}", CONTEXT)


def test_a_callable_raising_typeerror_inside_is_not_hidden(render):
    """A TypeError from inside a call that needed no arguments is a real error."""

    def broken():
        return 1 + "1"

    with pytest.raises(TypeError):
        render("{{ broken }}", {"broken": broken})


@pytest.mark.parametrize(
    "source, expected",
    [
        ("{{ 'text' }}", "text"),
        ('{{ "a<b" }}', "a<b"),  # the template's own strings are safe
        ("{{ 3 }}", "3"),
        ("{{ 2.5 }}", "2.5"),
        ("{{ -1 }}", "-1"),
        ('{{ "say \\"hi\\"" }}', 'say "hi"'),
        ("{{ True }}", "True"),
        ("{{ None }}", "None"),
    ],
)
def test_literals(render, source, expected):
    """Numbers and quoted strings are values; True, False and None are names always there."""
    got = render(source)
    assert got == expected, f"{source!r} rendered {got!r}; expected {expected!r}"


def test_variable_parses_literals_once():
    """A Variable works out a literal's value when it is made."""
    assert Variable("'x'").literal == "x" and isinstance(Variable("'x'").literal, SafeData)
    assert Variable("12").literal == 12
    assert Variable("1e3").literal == 1000.0
    assert Variable("a.b").lookups == ("a", "b") and Variable("a.b").literal is None
    assert Variable("2.").lookups == ("2", "")
    with pytest.raises(TypeError):
        Variable(12)


def test_variable_resolves_against_a_plain_dict():
    """Variable.resolve accepts a dict as the context (handy in a shell)."""
    assert Variable("post.title").resolve(CONTEXT) == "Hello <world>"
    assert Variable("'lit'").resolve({}) == "lit"
    assert str(Variable("a.b")) == "a.b" and repr(Variable("a.b")) == "<Variable: 'a.b'>"


@pytest.mark.parametrize(
    "source, expected",
    [
        ("{{ missing }}", "INVALID[missing]"),
        ("{{ missing|upper }}", "INVALID[missing]"),  # the filters are skipped
        ("{{ missing|default:'d' }}", "INVALID[missing]"),
        ("{{ post.nope }}", "INVALID[post.nope]"),
        ("{{ author.delete }}", "INVALID[%s]"),
        ("{{ author.greet }}", "INVALID[%s]"),
        ("{% if missing %}y{% else %}n{% endif %}", "n"),
        ("{% for x in missing %}{% empty %}e{% endfor %}", "e"),
        ("{% for x in post.tags %}{{ x.nope }}{% endfor %}", "INVALID[x.nope]" * 3),
        ("{% with a=missing %}{{ a }}{% endwith %}", "INVALID[missing]"),
    ],
)
def test_string_if_invalid_stands_in_for_missing_values(render, source, expected):
    """string_if_invalid replaces a failed lookup, with %s naming the variable."""
    got = render(source, CONTEXT, string_if_invalid="INVALID[%s]")
    assert got == expected, f"{source!r} with string_if_invalid rendered {got!r}; expected {expected!r}"


def test_string_if_invalid_without_placeholder(render):
    """A string_if_invalid without %s is used as it is."""
    assert render("[{{ missing }}]", string_if_invalid="??") == "[??]"


def test_a_missing_filter_argument_is_an_error(render):
    """A filter argument that doesn't exist is an error, as in Django (not an empty string)."""
    with pytest.raises(VariableDoesNotExist):
        render("{{ 'x'|default:missing }}")


class Html:
    """An object that knows its own HTML (the __html__ protocol, shared with Jinja2 and MarkupSafe)."""

    def __html__(self):
        return "<b>bold</b>"

    def __str__(self):
        return "<plain>"


def test_an_object_is_rendered_as_its_escaped_text_even_with_an_html_method(render):
    """{{ x }} makes an object text with str() and escapes it, as Django 5.2 does: __html__ alone is not trusted.

    An object is output unescaped only when its str() is a SafeString (a
    form's field is). Its __html__ is for code that escapes it directly:
    conditional_escape and format_html use it, as in Django.
    """
    assert render("{{ x }}", {"x": Html()}) == "&lt;plain&gt;"
    assert render("{% autoescape off %}{{ x }}{% endautoescape %}", {"x": Html()}) == "<plain>"
    assert conditional_escape(Html()) == "<b>bold</b>"


def test_values_become_text(render):
    """Numbers, None and other objects are rendered with str(), then escaped."""
    got = render("{{ a }} {{ b }} {{ c }} {{ d }}", {"a": 1.5, "b": None, "c": True, "d": ["<"]})
    assert got == "1.5 None True [&#x27;&lt;&#x27;]", got


def test_aware_datetimes_are_shown_in_local_time(render):
    """With USE_TZ, an aware datetime is rendered in TIME_ZONE; a naive one as it is."""
    import datetime

    from tinyframe.test.utils import override_settings

    moment = datetime.datetime(2024, 1, 1, 12, 0, tzinfo=datetime.timezone.utc)
    with override_settings(USE_TZ=True, TIME_ZONE="Europe/Paris"):
        assert render("{{ t }}", {"t": moment}) == "2024-01-01 13:00:00+01:00"
        assert render("{{ t }}", {"t": moment.replace(tzinfo=None)}) == "2024-01-01 12:00:00"
    assert render("{{ t }}", {"t": moment}) == "2024-01-01 12:00:00+00:00"
