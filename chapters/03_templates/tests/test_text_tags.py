"""The filter and lorem tags: a block's text through filters, and placeholder text."""

import re

import pytest

from tinyframe.template import VariableDoesNotExist
from tinyframe.template.text_tags import COMMON_P, WORDS

# The placeholder paragraph {% lorem %} starts with, as Django 5.2 writes it.
LOREM = (
    "Lorem ipsum dolor sit amet, consectetur adipisicing elit, sed do eiusmod tempor incididunt ut labore et "
    "dolore magna aliqua. Ut enim ad minim veniam, quis nostrud exercitation ullamco laboris nisi ut aliquip ex "
    "ea commodo consequat. Duis aute irure dolor in reprehenderit in voluptate velit esse cillum dolore eu fugiat "
    "nulla pariatur. Excepteur sint occaecat cupidatat non proident, sunt in culpa qui officia deserunt mollit "
    "anim id est laborum."
)
FIRST_WORDS = "lorem ipsum dolor sit amet consectetur adipisicing elit sed do eiusmod tempor incididunt ut labore et dolore magna aliqua"

# Each row: (template, context, what Django 5.2 renders).
TAG_CASES = [
    # {% filter %}: the body is rendered, then filtered; the result is not escaped again.
    ("{% filter upper %}<b>{{ x }}</b>{% endfilter %}", {"x": "<i>"}, "<B>&LT;I&GT;</B>"),
    ("{% filter force_escape|lower %}<B>{% endfilter %}", {}, "&lt;b&gt;"),
    ("{% filter cut:y %}abcb{% endfilter %}", {"y": "b"}, "ac"),
    ('{% filter add:"<" %}a{% endfilter %}', {}, "a<"),
    ("{% filter upper %}{% filter lower %}AbC{% endfilter %}d{% endfilter %}", {}, "ABCD"),
    ("{% filter truncatewords:2 %}one two three{% endfilter %}", {}, "one two …"),
    ("{% filter linebreaksbr %}{{ x }}\nb{% endfilter %}", {"x": "<i>"}, "&lt;i&gt;<br>b"),
    ("{% autoescape off %}{% filter upper %}{{ x }}{% endfilter %}{% endautoescape %}", {"x": "<i>"}, "<I>"),
    # The body's text is the value of "var" only for the filters: the body sees the context's var.
    ("{% filter upper %}{{ var }}{% endfilter %}{{ var }}", {"var": "v"}, "Vv"),
    ("{% with var='outer' %}{% filter upper %}{{ var }}{% endfilter %}{% endwith %}", {}, "OUTER"),
    ("{% for i in items %}{% filter cut:i %}a1b2{{ i }}{% endfilter %}|{% endfor %}", {"items": ["1", "2"]}, "ab2|a1b|"),
    ("{% for i in items %}{% filter upper %}{{ forloop.counter }}{{ i }}{% endfilter %}{% endfor %}", {"items": ["a", "b"]}, "1A2B"),
    # {% lorem [count] [w|p|b] %} without "random": the common text, the same every time.
    ("{% lorem %}", {}, LOREM),
    ("{% lorem 1 b %}", {}, LOREM),
    ("{% lorem p %}", {}, f"<p>{LOREM}</p>"),
    ("{% lorem 1 p %}", {}, f"<p>{LOREM}</p>"),
    ("{% lorem 3 w %}", {}, "lorem ipsum dolor"),
    ("{% lorem 19 w %}", {}, FIRST_WORDS),
    ("{% lorem w %}", {}, "lorem"),
    ('{% lorem "3" w %}', {}, "lorem ipsum dolor"),
    ("{% lorem count w %}", {"count": 4}, "lorem ipsum dolor sit"),
    ("{% lorem count|add:1 w %}", {"count": 1}, "lorem ipsum"),
    ("{% for n in counts %}{% lorem n w %}|{% endfor %}", {"counts": [1, 2]}, "lorem|lorem ipsum|"),
    # A count that is not a number counts as 1; 0 gives nothing; a negative one slices, as in Django.
    ("{% lorem count w %}", {"count": "many"}, "lorem"),
    ("{% lorem missing w %}", {}, "lorem"),
    ("[{% lorem 0 w %}]", {}, "[]"),
    ("[{% lorem 0 p %}]", {}, "[]"),
    ("[{% lorem 0 w random %}]", {}, "[]"),
    ("{% lorem -1 w %}", {}, FIRST_WORDS.rsplit(" ", 1)[0]),
]


def test_tag(check_renderings):
    """filter and lorem render what Django's render."""
    check_renderings(TAG_CASES)


SYNTAX_ERRORS = [
    ("{% filter escape %}x{% endfilter %}", '"filter escape" is not permitted.  Use the "autoescape" tag instead.'),
    ("{% filter safe %}x{% endfilter %}", '"filter safe" is not permitted.  Use the "autoescape" tag instead.'),
    ("{% filter lower|escape %}x{% endfilter %}", '"filter escape" is not permitted.  Use the "autoescape" tag instead.'),
    ("{% filter nosuch %}x{% endfilter %}", "Invalid filter: 'nosuch'"),
    ("{% filter upper %}x", "Unclosed tag on line 1: 'filter'. Looking for one of: endfilter."),
    # Django fails here with "not enough values to unpack"; tinyframe says what is missing.
    ("{% filter %}x{% endfilter %}", "'filter' tag requires at least one filter, as in {% filter lower %}"),
    ("{% lorem 2 3 %}", "Incorrect format for 'lorem' tag"),
    ("{% lorem 2 x %}", "Incorrect format for 'lorem' tag"),
    ("{% lorem 2 w random extra %}", "Incorrect format for 'lorem' tag"),
    ("{% lorem 2 x|nosuch %}", "Invalid filter: 'nosuch'"),
]


def test_syntax_errors_say_what_is_wrong(check_syntax_errors):
    """A misused tag raises TemplateSyntaxError with Django's message."""
    check_syntax_errors(SYNTAX_ERRORS)


def test_filter_argument_that_does_not_exist_is_an_error(render):
    """A filter argument must resolve, as for a variable's filters."""
    with pytest.raises(VariableDoesNotExist):
        render("{% filter cut:missing %}abc{% endfilter %}")


def test_filter_with_string_if_invalid(render):
    """With string_if_invalid, compiled code resolves the filters through the context, with the same result."""
    got = render("{% filter upper|cut:y %}{{ x }}-{{ nope }}{% endfilter %}", {"x": "abc", "y": "B"}, string_if_invalid="?")
    assert got == "AC-?", f"got {got!r}; expected 'AC-?'"


def test_lorem_common_text_is_djangos():
    """The placeholder paragraph is word for word the one Django outputs."""
    assert COMMON_P == LOREM


@pytest.mark.parametrize("count", [1, 3, 25, 400])
def test_lorem_random_words(render, count):
    """"random" gives that many words of the vocabulary, without the common opening."""
    words = render(f"{{% lorem {count} w random %}}").split(" ")
    assert len(words) == count, f"{{% lorem {count} w random %}} gave {len(words)} words"
    assert set(words) <= set(WORDS), f"words outside the vocabulary: {set(words) - set(WORDS)}"


def test_lorem_words_past_the_common_ones_are_random(render):
    """Beyond the 19 common words, the rest are drawn from the vocabulary."""
    words = render("{% lorem 30 w %}").split(" ")
    assert " ".join(words[:19]) == FIRST_WORDS, f"got {words[:19]!r}"
    assert len(words) == 30 and set(words[19:]) <= set(WORDS), f"got {words[19:]!r}"


@pytest.mark.parametrize("method", ["p", "b"])
def test_lorem_random_paragraphs(render, method):
    """Random paragraphs are sentences, capitalised, ending in '.' or '?', separated by a blank line."""
    text = render(f"{{% lorem 3 {method} random %}}")
    paragraphs = text.split("\n\n")
    assert len(paragraphs) == 3, f"expected 3 paragraphs, got {len(paragraphs)}: {text!r}"
    for paragraph in paragraphs:
        if method == "p":
            assert paragraph.startswith("<p>") and paragraph.endswith("</p>"), f"got {paragraph!r}"
            paragraph = paragraph[3:-4]
        assert paragraph != LOREM, "random paragraphs do not start with the common one"
        assert re.fullmatch(r"([A-Z][a-z]*( [a-z]+|, [a-z]+)*[.?] ?)+", paragraph), f"not sentences: {paragraph!r}"
