"""{% if %}: conditions with Django's operators and precedence, elif/else, and malformed expressions."""

import pytest

from tinyframe.template.smartif import IfParser

# Each row: (template, context, what Django 5.2 renders).
IF_CASES = [
    ("{% if x %}yes{% endif %}", {"x": 1}, "yes"),
    ("{% if x %}yes{% endif %}", {"x": 0}, ""),
    ("{% if x %}yes{% endif %}", {}, ""),
    ("{% if x %}yes{% else %}no{% endif %}", {"x": []}, "no"),
    ("{% if x %}a{% elif y %}b{% elif z %}c{% else %}d{% endif %}", {"y": 1, "z": 1}, "b"),
    ("{% if x %}a{% elif y %}b{% elif z %}c{% else %}d{% endif %}", {"z": 1}, "c"),
    ("{% if x %}a{% elif y %}b{% elif z %}c{% else %}d{% endif %}", {}, "d"),
    ("{% if x %}a{% elif y %}b{% endif %}", {}, ""),
    ("{% if not x %}yes{% endif %}", {"x": 0}, "yes"),
    ("{% if not not x %}yes{% endif %}", {"x": 1}, "yes"),
    ("{% if x and y %}yes{% else %}no{% endif %}", {"x": 1, "y": 0}, "no"),
    ("{% if x or y %}yes{% endif %}", {"x": 0, "y": 1}, "yes"),
    ("{% if x == 1 %}yes{% endif %}", {"x": 1}, "yes"),
    ("{% if x != 1 %}yes{% else %}no{% endif %}", {"x": 1}, "no"),
    ("{% if x < 2 %}yes{% endif %}", {"x": 1}, "yes"),
    ("{% if x > 2 %}yes{% else %}no{% endif %}", {"x": 1}, "no"),
    ("{% if x <= 1 %}yes{% endif %}", {"x": 1}, "yes"),
    ("{% if x >= 2 %}yes{% else %}no{% endif %}", {"x": 1}, "no"),
    ("{% if 'a' in x %}yes{% endif %}", {"x": "abc"}, "yes"),
    ("{% if 2 in x %}yes{% endif %}", {"x": [1, 2]}, "yes"),
    ("{% if 3 not in x %}yes{% endif %}", {"x": [1, 2]}, "yes"),
    ("{% if x is None %}yes{% endif %}", {"x": None}, "yes"),
    ("{% if x is None %}yes{% else %}no{% endif %}", {}, "yes"),
    ("{% if x is not None %}yes{% endif %}", {"x": 0}, "yes"),
    ("{% if x is True %}yes{% else %}no{% endif %}", {"x": 1}, "no"),
    ("{% if x == 'a' %}yes{% endif %}", {"x": "a"}, "yes"),
    ("{% if x|length > 2 %}long{% endif %}", {"x": [1, 2, 3]}, "long"),
    ("{% if x.y == 3 %}yes{% endif %}", {"x": {"y": 3}}, "yes"),
    # Comparisons that fail (None < 1, 'a' in None) are False, not errors.
    ("{% if x < 1 %}yes{% else %}no{% endif %}", {"x": None}, "no"),
    ("{% if 'a' in x %}yes{% else %}no{% endif %}", {}, "no"),
    ("{% if x > 'a' %}yes{% else %}no{% endif %}", {"x": 1}, "no"),
    ("{% if not x < 1 %}yes{% else %}no{% endif %}", {"x": None}, "yes"),
    # A filter that raises makes the operator around it False (and only that one).
    ("{% if not x|divisibleby:0 > 2 %}yes{% else %}no{% endif %}", {"x": 5}, "yes"),
    ("{% if x|divisibleby:0 > 1 or y %}yes{% else %}no{% endif %}", {"x": 5, "y": 1}, "yes"),
    ("{% if x|divisibleby:0 or y %}yes{% else %}no{% endif %}", {"x": 5, "y": 1}, "no"),
    ("{% if y and not x|divisibleby:0 %}yes{% else %}no{% endif %}", {"x": 5, "y": 1}, "no"),
    # Precedence: or < and < not < in < comparisons.
    ("{% if x or y and z %}yes{% else %}no{% endif %}", {"x": 1, "y": 0, "z": 0}, "yes"),
    ("{% if x and y or z %}yes{% else %}no{% endif %}", {"x": 0, "y": 1, "z": 1}, "yes"),
    ("{% if not x or y %}yes{% else %}no{% endif %}", {"x": 1, "y": 1}, "yes"),
    ("{% if not x and y %}yes{% else %}no{% endif %}", {"x": 0, "y": 0}, "no"),
    ("{% if not x == y %}yes{% else %}no{% endif %}", {"x": 1, "y": 2}, "yes"),
    ("{% if not x in y %}yes{% else %}no{% endif %}", {"x": 1, "y": [1]}, "no"),
    ("{% if x == 1 or y == 2 and z == 3 %}yes{% else %}no{% endif %}", {"x": 1}, "yes"),
    ("{% if x == 1 and y == 2 or z == 3 %}yes{% else %}no{% endif %}", {"z": 3}, "yes"),
    ("{% if x or y or z %}yes{% endif %}", {"z": 1}, "yes"),
    ("{% if x and y and z %}yes{% else %}no{% endif %}", {"x": 1, "y": 1}, "no"),
    ("{% if 1 == 1 == 1 %}yes{% else %}no{% endif %}", {}, "yes"),  # (1 == 1) == 1
    ("{% if 1 < 2 < 3 %}yes{% else %}no{% endif %}", {}, "yes"),
    ("{% if x is y is z %}yes{% else %}no{% endif %}", {"x": 1, "y": 1, "z": True}, "yes"),  # (x is y) is z
    ("{% if x is not not y %}yes{% else %}no{% endif %}", {"x": True, "y": 1}, "yes"),
    ("{% if x == not y %}yes{% else %}no{% endif %}", {"x": True, "y": 0}, "yes"),
]


@pytest.mark.exercise("03.5")
def test_if_conditions(check_renderings):
    """Evaluate conditions with and, or, not, in, is and comparisons, with Django's precedence."""
    check_renderings(IF_CASES)


@pytest.mark.exercise("03.5")
@pytest.mark.parametrize(
    "words, tree",
    [
        (["a", "or", "b", "and", "c"], "(or (literal 'a') (and (literal 'b') (literal 'c')))"),
        (["a", "and", "b", "or", "c"], "(or (and (literal 'a') (literal 'b')) (literal 'c'))"),
        (["not", "a", "==", "b"], "(not (== (literal 'a') (literal 'b')))"),
        (["not", "a", "and", "b"], "(and (not (literal 'a')) (literal 'b'))"),
        (["a", "not", "in", "b", "or", "c"], "(or (not in (literal 'a') (literal 'b')) (literal 'c'))"),
        (["a", "is", "not", "b"], "(is not (literal 'a') (literal 'b'))"),
        (["a", "or", "b", "or", "c"], "(or (or (literal 'a') (literal 'b')) (literal 'c'))"),
        (["a", "in", "b", "==", "c"], "(in (literal 'a') (== (literal 'b') (literal 'c')))"),
    ],
)
def test_if_parser_builds_trees_by_precedence(words, tree):
    """IfParser.expression groups the tightest-binding operators first."""
    got = repr(IfParser(words).parse())
    assert got == tree, f"IfParser({words}).parse() gave {got}; expected {tree}"


@pytest.mark.exercise("03.5")
def test_if_parser_evaluates_python_values():
    """The parsed tree evaluates against any context (literals are the values themselves)."""
    assert IfParser([1, "<", 2, "and", "not", 3, "in", [1, 2]]).parse().eval({}) is True
    assert IfParser([None, "<", 2]).parse().eval({}) is False


MALFORMED_CONDITIONS = [
    ("{% if %}x{% endif %}", "Unexpected end of expression in if tag."),
    ("{% if a == %}x{% endif %}", "Unexpected end of expression in if tag."),
    ("{% if not %}x{% endif %}", "Unexpected end of expression in if tag."),
    ("{% if a and %}x{% endif %}", "Unexpected end of expression in if tag."),
    ("{% if a is not %}x{% endif %}", "Unexpected end of expression in if tag."),
    ("{% if a b %}x{% endif %}", "Unused 'b' at end of if expression."),
    ("{% if a not b %}x{% endif %}", "Not expecting 'not' as infix operator in if tag."),
    ("{% if == a %}x{% endif %}", "Not expecting '==' in this position in if tag."),
    ("{% if and %}x{% endif %}", "Not expecting 'and' in this position in if tag."),
    ("{% if ( %}x{% endif %}", "Could not parse the remainder: '(' from '('"),
    ("{% if a %}x", "Unclosed tag on line 1: 'if'. Looking for one of: elif, else, endif."),
]


def test_malformed_conditions_have_djangos_messages(check_syntax_errors):
    """A malformed condition is a TemplateSyntaxError saying what was wrong."""
    check_syntax_errors(MALFORMED_CONDITIONS)


def test_if_with_a_missing_filter_argument_is_false(render):
    """A condition whose filter argument is missing is false, and the next branch is tried."""
    source = "{% if x|default:missing %}a{% elif y %}b{% endif %}"
    assert render(source, {"y": 1}) == "b"


def test_if_renders_only_the_chosen_branch(render):
    """Branches not taken are never rendered (a missing name in them costs nothing)."""

    def explode():
        raise AssertionError("rendered a branch that was not taken")

    assert render("{% if x %}{{ boom }}{% else %}ok{% endif %}", {"boom": explode}) == "ok"


# --- operands that raise ------------------------------------------------------------


class PropertyAuthor:
    """An author whose ``boom`` is a property with a bug: an AttributeError from inside it."""

    name = "ada"
    error = AttributeError

    @property
    def boom(self):
        raise AttributeError("a bug inside the property")


class MethodAuthor:
    """An author whose ``boom`` is a method with a bug: a RuntimeError."""

    name = "ada"
    error = RuntimeError

    def boom(self):
        raise RuntimeError("a bug inside the method")


class Unmeasurable:
    """A value whose ``len()`` raises, so that ``|length`` fails."""

    def __len__(self):
        raise RuntimeError("no length")


RAISES = "raises"  # an expected outcome: the template raises the author's own error

# Each row: (template, what Django 5.2 renders). The context: "author", "authors" (two
# of them, for loops, where a compiled template holds the names in Python locals), "x" (an
# Unmeasurable) and "xs" (an Unmeasurable, then [1, 2, 3]). Each row runs with both authors.
IF_RAISING_CASES = [
    # An operator whose operand raises is False, and only that operator.
    ("{% if author.boom and 1 %}yes{% else %}no{% endif %}", "no"),
    ("{% if not author.boom %}yes{% else %}no{% endif %}", "no"),
    ("{% if author.boom == 1 %}yes{% else %}no{% endif %}", "no"),
    ("{% if not author.boom == 1 %}yes{% else %}no{% endif %}", "yes"),
    ("{% if author.boom or 1 %}yes{% else %}no{% endif %}", "no"),
    ("{% if 1 or author.boom %}yes{% else %}no{% endif %}", "yes"),  # never evaluated
    ("{% if author.boom in 'abc' or author.name %}yes{% else %}no{% endif %}", "yes"),
    ("{% if author.boom is None %}yes{% elif author.name %}{{ author.name }}{% endif %}", "ada"),
    ("{% if author.boom is not None %}yes{% else %}no{% endif %}", "no"),
    ("{% if author.boom|default:'x' == 'x' %}yes{% else %}no{% endif %}", "no"),
    ("{% if author.name|add:author.boom == 1 %}yes{% else %}no{% endif %}", "no"),
    ("{% if author.name|add:author.missing %}yes{% else %}no{% endif %}", "no"),
    ("{% if x|length > 2 %}long{% else %}short{% endif %}", "short"),
    # With no operator around it, the error is the template's.
    ("{% if author.boom %}yes{% else %}no{% endif %}", RAISES),
    ("{% if author.missing %}yes{% elif author.boom %}boom{% else %}no{% endif %}", RAISES),
    ("{% if author.name|add:author.boom %}yes{% else %}no{% endif %}", RAISES),
    # The truth of the value an operator gives is tested outside it: 'or' gives x itself.
    ("{% if x|length > 2 or x %}yes{% else %}no{% endif %}", RuntimeError),
    ("{% if x|length %}yes{% else %}no{% endif %}", RuntimeError),
    # The same inside loops, and with the loop's forloop and a {% with %} name.
    ("{% for author in authors %}{% if author.boom and 1 %}yes{% else %}no{% endif %}{% endfor %}", "nono"),
    ("{% for author in authors %}{% if not author.boom %}yes{% else %}no{% endif %}{% endfor %}", "nono"),
    ("{% for author in authors %}{% if author.boom == 1 %}yes{% else %}no{% endif %}{% endfor %}", "nono"),
    ("{% for author in authors %}{% if author.boom %}yes{% endif %}{% endfor %}", RAISES),
    ("{% for author in authors %}{% if forloop.first or author.boom %}{{ forloop.counter }}{% else %}-{% endif %}{% endfor %}",
     "1-"),
    ("{% for author in authors %}{% if forloop.first and author.boom %}yes{% else %}{{ author.name }}{% endif %}{% endfor %}",
     "adaada"),
    ("{% for author in authors %}{% if author.boom %}a{% elif not author.boom %}b{% else %}{{ author.name }}{% endif %}{% endfor %}",
     RAISES),
    ("{% for author in authors %}{% if author.missing %}a{% elif author.name == 'ada' and not author.boom %}b{% else %}c{% endif %}"
     "{% endfor %}", "cc"),
    ("{% for x in xs %}{% for author in authors %}{% if forloop.parentloop.last or author.boom %}"
     "{{ forloop.parentloop.counter }}{% else %}-{% endif %}{% endfor %}{% endfor %}", "--22"),
    ("{% for author in authors %}{% with name=author.name %}{% if author.boom or name == 'ada' %}{{ name }}{% else %}-{% endif %}"
     "{% endwith %}{% endfor %}", "--"),
    ("{% for x in xs %}{% if x|length > 2 %}long{% else %}short{% endif %}{% endfor %}", "shortlong"),
    ("{% for x in xs %}{% if not x|length %}empty{% else %}full{% endif %}{% endfor %}", "fullfull"),
    ("{% for x in xs %}{% if x|length %}full{% endif %}{% endfor %}", RuntimeError),
]


@pytest.mark.parametrize("author", [PropertyAuthor(), MethodAuthor()], ids=["property", "method"])
def test_an_operator_whose_operand_raises_is_false(render, check_rows, author):
    """A lookup or filter that raises makes its operator False, as in Django; a bare condition raises."""
    context = {"author": author, "authors": [author, author], "x": Unmeasurable(), "xs": [Unmeasurable(), [1, 2, 3]]}

    def check(source, expected):
        if expected == RAISES or isinstance(expected, type):
            error = author.error if expected == RAISES else expected
            with pytest.raises(error):
                got = render(source, context)
                pytest.fail(f"{source!r} with a {type(author).__name__} rendered {got!r}; expected {error.__name__}")
            return
        got = render(source, context)
        assert got == expected, f"{source!r} with a {type(author).__name__} rendered {got!r}; expected {expected!r}"

    check_rows(IF_RAISING_CASES, check)
