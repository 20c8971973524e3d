"""The tags that work across a loop's items: ifchanged and regroup (cycle is in test_other_tags.py)."""

from tinyframe.template import Context

PEOPLE = [
    {"name": "Ada", "city": "London"},
    {"name": "Alan", "city": "London"},
    {"name": "Grace", "city": "Arlington"},
    {"name": "Tim", "city": "London"},
]

# Each row: (template, context, what Django 5.2 renders).
TAG_CASES = [
    # {% ifchanged %} without values compares the body's text with the last time.
    ("{% for x in items %}{% ifchanged %}{{ x }}{% endifchanged %}{% endfor %}", {"items": [1, 1, 2, 2, 1]}, "121"),
    ("{% for x in items %}{% ifchanged %}{{ x }}{% else %}no{% endifchanged %}{% endfor %}", {"items": ["a", "a"]}, "ano"),
    ("{% for x in items %}{% ifchanged %}<{{ x }}>{% endifchanged %}{% endfor %}", {"items": ["&", "&"]}, "<&amp;>"),
    ("{% for x in items %}{% ifchanged %}{{ forloop.counter }}{% endifchanged %}{% endfor %}", {"items": [1, 1]}, "12"),
    # With values, the body is output when one of them changed.
    (
        "{% for x in items %}{% ifchanged x.a %}[{{ x.a }}]{% else %}-{% endifchanged %}{% endfor %}",
        {"items": [{"a": 1}, {"a": 1}, {"a": 2}]},
        "[1]-[2]",
    ),
    (
        "{% for x in items %}{% ifchanged x.a x.b %}[{{ x.a }}{{ x.b }}]{% else %}-{% endifchanged %}{% endfor %}",
        {"items": [{"a": 1, "b": 1}, {"a": 1, "b": 2}, {"a": 1, "b": 2}]},
        "[11][12]-",
    ),
    ("{% for x in items %}{% ifchanged x|divisibleby:2 %}{{ x }}{% endifchanged %}{% endfor %}", {"items": [1, 3, 4, 6, 7]}, "147"),
    ("{% for x in items %}{% ifchanged missing %}{{ x }}{% endifchanged %}{% endfor %}", {"items": [1, 2]}, "1"),
    (
        "{% for x in items %}{% with y=x|add:1 %}{% ifchanged y %}{{ y }}{% endifchanged %}{% endwith %}{% endfor %}",
        {"items": [1, 1, 3]},
        "24",
    ),
    # Each run of a loop starts with nothing seen: an inner ifchanged speaks again for each outer item.
    ("{% for x in items %}{% for y in items %}{% ifchanged %}{{ x }}{% endifchanged %}{% endfor %}{% endfor %}", {"items": [1, 2]}, "12"),
    ("{% for x in items %}{% for y in items %}{% ifchanged x %}{{ x }}{% endifchanged %}{% endfor %}{% endfor %}", {"items": [1, 2]}, "12"),
    # Outside a loop, each ifchanged is its own node: both render.
    ("{% ifchanged %}a{% endifchanged %}{% ifchanged %}a{% endifchanged %}", {}, "aa"),
    # {% regroup %}: runs of neighbours that share a value.
    (
        "{% regroup people by city as cities %}{% for group in cities %}{{ group.grouper }}:"
        "{% for person in group.list %}{{ person.name }},{% endfor %};{% endfor %}",
        {"people": PEOPLE},
        "London:Ada,Alan,;Arlington:Grace,;London:Tim,;",
    ),
    (
        '{% regroup people|dictsort:"city" by city as cities %}{% for city, members in cities %}'
        "{{ city }}={{ members|length }};{% endfor %}",
        {"people": PEOPLE},
        "Arlington=1;London=3;",
    ),
    ("{% regroup people by city|upper as cities %}{{ cities.0.grouper }}", {"people": PEOPLE}, "LONDON"),
    ("{% regroup people by 0 as groups %}{% for g in groups %}{{ g.grouper }}{{ g.list|length }}{% endfor %}", {"people": [("x", 1), ("x", 2), ("y", 3)]}, "x2y1"),
    ("{% regroup people by city as cities %}{{ cities.0.grouper }}", {"people": [{"city": "<b>"}]}, "&lt;b&gt;"),
    ("{% regroup people by nope as groups %}{{ groups.0.grouper }}|{{ groups.0.list|length }}", {"people": PEOPLE}, "None|4"),
    ("{% regroup missing by city as cities %}[{{ cities|length }}]", {}, "[0]"),
    ("{% regroup people by city as people %}{{ people.0.grouper }}", {"people": PEOPLE}, "London"),
    ("{% for l in lists %}{% regroup l by 0 as g %}{{ g|length }}{% endfor %}", {"lists": [["ab", "ac", "b"], ["x"]]}, "21"),
]


def test_tag(check_renderings):
    """ifchanged and regroup render what Django's render."""
    check_renderings(TAG_CASES)


SYNTAX_ERRORS = [
    ("{% ifchanged %}a", "Unclosed tag on line 1: 'ifchanged'. Looking for one of: else, endifchanged."),
    (
        "{% ifchanged %}a{% else %}b{% else %}c{% endifchanged %}",
        "Invalid block tag on line 1: 'else', expected 'endifchanged'. Did you forget to register or load this tag?",
    ),
    ("{% ifchanged x|nosuch %}{% endifchanged %}", "Invalid filter: 'nosuch'"),
    ("{% regroup people by city %}", "'regroup' tag takes five arguments"),
    ("{% regroup people by city as cities extra %}", "'regroup' tag takes five arguments"),
    ("{% regroup people with city as cities %}", "second argument to 'regroup' tag must be 'by'"),
    ("{% regroup people by city to cities %}", "next-to-last argument to 'regroup' tag must be 'as'"),
    ("{% regroup people|nosuch by city as cities %}", "Invalid filter: 'nosuch'"),
]


def test_syntax_errors_say_what_is_wrong(check_syntax_errors):
    """A misused tag raises TemplateSyntaxError with Django's message."""
    check_syntax_errors(SYNTAX_ERRORS)


def test_regroup_groups_are_named_pairs(render, engine):
    """Each group is a GroupedResult: grouper and list by name, or unpacked as a pair."""
    template = engine().from_string("{% regroup people by city as cities %}")
    context = Context({"people": PEOPLE[:2]})
    template.render(context)
    [group] = context["cities"]
    assert (group.grouper, group.list) == ("London", PEOPLE[:2]), f"got {group!r}"
    assert tuple(group) == ("London", PEOPLE[:2]), f"a group unpacks as (grouper, list); got {tuple(group)!r}"
    assert type(group).__name__ == "GroupedResult", f"Django's groups are GroupedResult; got {type(group).__name__}"


def test_regroup_calls_the_grouping_value_once_per_item(render):
    """The value grouped by is looked up once for each item, in order."""
    seen = []

    class Person:
        def __init__(self, city):
            self._city = city

        def city(self):
            seen.append(self._city)
            return self._city

    got = render("{% regroup people by city as cities %}{{ cities|length }}", {"people": [Person("a"), Person("a"), Person("b")]})
    assert (got, seen) == ("2", ["a", "a", "b"]), f"got {got!r}, looked up {seen!r}"


def test_ifchanged_remembers_across_renders_of_a_loop_only(engine):
    """What ifchanged saw belongs to one run of the loop: a second render of the template starts afresh."""
    template = engine().from_string("{% for x in items %}{% ifchanged %}{{ x }}{% endifchanged %}{% endfor %}")
    first = template.render(Context({"items": [1, 1]}))
    second = template.render(Context({"items": [1, 1]}))
    assert (first, second) == ("1", "1"), f"two renders gave {first!r} and {second!r}; expected '1' both times"
