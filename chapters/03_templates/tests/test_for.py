"""{% for %}: items, reversed, unpacking, {% empty %} and the forloop variable."""

import pytest

from tinyframe.template import Library

FOR_CASES = [
    ("{% for x in items %}{{ x }},{% endfor %}", {"items": [1, 2, 3]}, "1,2,3,"),
    ("{% for x in items reversed %}{{ x }},{% endfor %}", {"items": [1, 2, 3]}, "3,2,1,"),
    ("{% for x in items %}{{ x }}{% empty %}none{% endfor %}", {"items": []}, "none"),
    ("{% for x in items %}{{ x }}{% empty %}none{% endfor %}", {}, "none"),
    ("{% for x in items %}{{ x }}{% endfor %}", {"items": None}, ""),
    ("{% for c in word %}{{ c }}.{% endfor %}", {"word": "abc"}, "a.b.c."),
    ("{% for k in d %}{{ k }}{% endfor %}", {"d": {"a": 1, "b": 2}}, "ab"),
    ("{% for k, v in d.items %}{{ k }}={{ v }};{% endfor %}", {"d": {"a": 1, "b": 2}}, "a=1;b=2;"),
    ("{% for a, b in pairs %}{{ a }}{{ b }}{% endfor %}", {"pairs": [[1, 2], [3, 4]]}, "1234"),
    ("{% for a,b in pairs %}{{ a }}{{ b }}{% endfor %}", {"pairs": ["xy"]}, "xy"),
    ("{% for a , b in pairs reversed %}{{ a }}{{ b }}{% endfor %}", {"pairs": [[1, 2], [3, 4]]}, "3412"),
    ("{% for x in items %}{{ forloop.counter }}{% endfor %}", {"items": "abc"}, "123"),
    ("{% for x in items %}{{ forloop.counter0 }}{% endfor %}", {"items": "abc"}, "012"),
    ("{% for x in items %}{{ forloop.revcounter }}{% endfor %}", {"items": "abc"}, "321"),
    ("{% for x in items %}{{ forloop.revcounter0 }}{% endfor %}", {"items": "abc"}, "210"),
    ("{% for x in items %}{% if forloop.first %}F{% endif %}{% if forloop.last %}L{% endif %}{{ x }}{% endfor %}",
     {"items": "abc"}, "FabLc"),
    ("{% for x in items reversed %}{{ forloop.counter }}{{ x }}{% endfor %}", {"items": "abc"}, "1c2b3a"),
    ("{% for row in rows %}{% for x in row %}{{ forloop.parentloop.counter }}.{{ forloop.counter }} {% endfor %}{% endfor %}",
     {"rows": [[1, 2], [3]]}, "1.1 1.2 2.1 "),
    ("{% for x in items %}{{ forloop.parentloop }}{% endfor %}", {"items": [1]}, "{}"),
    ("{% for x in items %}{% for x in inner %}{{ x }}{% endfor %}{{ x }}|{% endfor %}",
     {"items": [1, 2], "inner": "ab"}, "ab1|ab2|"),
    ("{% for x in items %}{{ x }}{% endfor %}{{ x }}", {"items": [1, 2], "x": "outer"}, "12outer"),
    ("{% for x in items %}{{ x.name }}{% endfor %}", {"items": [{"name": "a"}, {"name": "<b>"}]}, "a&lt;b&gt;"),
    ("{% for x in items %}{% empty %}{{ forloop }}{% endfor %}", {"items": []}, ""),
    ("{% for x in items|slice:':2' %}{{ x }}{% endfor %}", {"items": [1, 2, 3]}, "12"),
    ("{% for x in 'ab' %}{{ x }}{% endfor %}", {}, "ab"),
    ("{% for x in items %}{% endfor %}", {"items": [1]}, ""),
]


@pytest.mark.exercise("03.6")
def test_for_loops(check_renderings):
    """Render the body once per item, with forloop, reversed, unpacking and {% empty %}."""
    check_renderings(FOR_CASES)


@pytest.mark.exercise("03.6")
def test_for_loop_over_an_iterator(render):
    """A sequence without a length (a generator) is read into a list first."""
    got = render("{% for x in squares %}{{ x }}{{ forloop.revcounter }} {% endfor %}", {"squares": (i * i for i in range(3))})
    assert got == "03 12 41 ", got


@pytest.mark.exercise("03.6")
def test_forloop_has_every_counter(render):
    """forloop holds counter, counter0, revcounter, revcounter0, first, last and parentloop."""
    got = render(
        "{% for x in items %}{{ forloop.counter }}{{ forloop.counter0 }}{{ forloop.revcounter }}"
        "{{ forloop.revcounter0 }}{{ forloop.first }}{{ forloop.last }}|{% endfor %}",
        {"items": "ab"},
    )
    assert got == "1021TrueFalse|2110FalseTrue|", got


@pytest.mark.exercise("03.6")
def test_unpacking_the_wrong_number_of_values_is_an_error(render):
    """Unpacking an item into the wrong number of names raises ValueError saying both counts."""
    with pytest.raises(ValueError) as caught:
        render("{% for a, b in items %}{% endfor %}", {"items": [(1, 2, 3)]})
    assert str(caught.value) == "Need 2 values to unpack in for loop; got 3. "


@pytest.mark.exercise("03.6")
def test_loop_names_are_gone_after_the_loop(render):
    """The loop variable and forloop exist only inside the loop."""
    assert render("{% for x in items %}{% endfor %}[{{ x }}{{ forloop }}]", {"items": [1]}) == "[]"


def context_tags() -> Library:
    """Tags that read and set names in the context, so a loop around them must
    keep its names there (the compiler can't keep them in Python locals)."""
    library = Library()

    @library.simple_tag(takes_context=True)
    def current(context, name):
        return f"<{context.get(name)}>"

    @library.simple_tag
    def shout(value):
        return str(value).upper()

    return library


@pytest.mark.parametrize(
    "source, expected",
    [
        ("{% for x in items %}{% current 'x' %}{% endfor %}", "&lt;a&gt;&lt;b&gt;"),
        ("{% for x in items %}{% current 'x' as f %}{{ f }}{% endfor %}", "&lt;a&gt;&lt;b&gt;"),
        ("{% for x in items %}{% shout x as x %}{{ x }}{% endfor %}", "AB"),
        ("{% for a, b in pairs %}{% current 'b' %}{% endfor %}", "&lt;2&gt;&lt;4&gt;"),
        ("{% for x in items %}{% for y in items %}{% current 'x' %}{% endfor %}{% endfor %}",
         "&lt;a&gt;&lt;a&gt;&lt;b&gt;&lt;b&gt;"),
        ("{% for x in none %}{% empty %}{% current 'x' %}{% endfor %}", "&lt;None&gt;"),
        ("{% for x in items %}{% shout x %}{{ forloop.counter }}{% endfor %}", "A1B2"),
    ],
)
def test_loops_around_tags_that_use_the_context(render, source, expected):
    """A tag in the body sees the loop's names in the context, and may change them."""
    libraries = {"testtags": context_tags()}
    got = render("{% load testtags %}" + source, {"items": ["a", "b"], "pairs": [(1, 2), (3, 4)]}, libraries=libraries)
    assert got == expected, f"{source!r} rendered {got!r}; expected {expected!r}"
