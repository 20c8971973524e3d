"""{% with %}: names for a part of the template, computed once."""

import pytest

WITH_CASES = [
    ("{% with total=items|length %}{{ total }}{% endwith %}", {"items": [1, 2]}, "2"),
    ("{% with a=x b=y %}{{ a }}{{ b }}{% endwith %}", {"x": 1, "y": 2}, "12"),
    ("{% with x as a %}{{ a }}{% endwith %}", {"x": "legacy"}, "legacy"),
    ("{% with x as a and y as b %}{{ a }}{{ b }}{% endwith %}", {"x": 1, "y": 2}, "12"),
    ("{% with a=x %}{% endwith %}[{{ a }}]", {"x": 1}, "[]"),
    ("{% with a=1 %}{% with a=2 b=a %}{{ a }}{{ b }}{% endwith %}{{ a }}{% endwith %}", {}, "211"),
    ("{% with a=b b=a %}{{ a }}{{ b }}{% endwith %}", {"a": 1, "b": 2}, "21"),
    ("{% with name=missing %}[{{ name }}]{% endwith %}", {}, "[]"),
    ("{% with html=x %}{{ html }}{% endwith %}", {"x": "<b>"}, "&lt;b&gt;"),
    ("{% with s='<b>' %}{{ s }}{% endwith %}", {}, "<b>"),
    ("{% for x in items %}{% with y=x|add:1 %}{{ y }}{% endwith %}{% endfor %}", {"items": [1, 2]}, "23"),
    ("{% with items=x %}{% for i in items %}{{ i }}{% endfor %}{% endwith %}", {"x": "ab"}, "ab"),
    ("{% with forloop=x %}{% for i in 'a' %}{{ forloop.parentloop }}{% endfor %}{% endwith %}", {"x": "p"}, "p"),
]


@pytest.mark.parametrize("source, context, expected", WITH_CASES)
def test_with(render, source, context, expected):
    """{% with %} binds names for its body only, from values computed with the outer names."""
    got = render(source, context)
    assert got == expected, f"{source!r} with {context!r} rendered {got!r}; expected {expected!r}"


def test_with_computes_its_value_once(render):
    """The value of a {% with %} name is computed once, however often it is used."""
    calls = []

    def expensive():
        calls.append(1)
        return "v"

    assert render("{% with v=f %}{{ v }}{{ v }}{{ v }}{% endwith %}", {"f": expensive}) == "vvv"
    assert len(calls) == 1, f"the value was computed {len(calls)} times"
