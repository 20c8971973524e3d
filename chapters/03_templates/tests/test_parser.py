"""The parser: nodes from tokens, and syntax errors that say what, where and what was expected."""

import pytest

from tinyframe.template import Context, TemplateSyntaxError
from tinyframe.template.base import FilterExpression, Parser, TextNode, VariableNode

# Each row: a template and the message Django 5.2 gives for it.
SYNTAX_ERRORS = [
    ("x\n{% foo %}", "Invalid block tag on line 2: 'foo'. Did you forget to register or load this tag?"),
    ("{% for x in y %}", "Unclosed tag on line 1: 'for'. Looking for one of: empty, endfor."),
    ("{% if a %}\n{% for x in y %}{% endif %}",
     "Invalid block tag on line 2: 'endif', expected 'empty' or 'endfor'. Did you forget to register or load this tag?"),
    ("{% if a %}{% else %}{% else %}{% endif %}",
     "Invalid block tag on line 1: 'else', expected 'endif'. Did you forget to register or load this tag?"),
    ("{% endfor %}", "Invalid block tag on line 1: 'endfor'. Did you forget to register or load this tag?"),
    ("{% block a %}{% endblock b %}",
     "Invalid block tag on line 1: 'endblock', expected 'endblock' or 'endblock a'. Did you forget to register or load this tag?"),
    ("\n\n{{ }}", "Empty variable tag on line 3"),
    ("{% %}", "Empty block tag on line 1"),
    ("{{ x|nope }}", "Invalid filter: 'nope'"),
    ("{{ x|add }}", "add requires 2 arguments, 1 provided"),
    ("{{ x|upper:1 }}", "upper requires 1 arguments, 2 provided"),
    ('{{ "a" "b" }}', "Could not parse the remainder: ' \"b\"' from '\"a\" \"b\"'"),
    ("{{ x|upper| }}", "Could not parse the remainder: '|' from 'x|upper|'"),
    ('{{ x|add:"1":"2" }}', "Could not parse the remainder: ':\"2\"' from 'x|add:\"1\":\"2\"'"),
    ("{{ _x }}", "Variables and attributes may not begin with underscores: '_x'"),
    ("{{ x._y }}", "Variables and attributes may not begin with underscores: 'x._y'"),
    ("{{ |upper }}", "Could not find variable at start of |upper."),
    ('{% if x %}{% endif %}{% extends "a" %}', '{% extends "a" %} must be the first tag in the template.'),
    ('{% extends "a" %}{% extends "b" %}', "'extends' cannot appear more than once in the same template"),
    ("{% block a %}{% block a %}{% endblock %}{% endblock %}", "'block' tag with name 'a' appears more than once"),
    ("{% block %}{% endblock %}", "'block' tag takes only one argument"),
    ("{% extends %}", "'extends' takes one argument"),
    ("{% load nope %}", "'nope' is not a registered tag library. Must be one of:\n"),
    ("{% include %}",
     "'include' tag takes at least one argument: the name of the template to be included."),
    ('{% include "a" with %}', "\"with\" in 'include' tag needs at least one keyword argument."),
    ('{% include "a" only only %}', "The 'only' option was specified more than once."),
    ('{% include "a" nope %}', "Unknown argument for 'include' tag: 'nope'."),
    ("{% with %}{% endwith %}", "'with' expected at least one variable assignment"),
    ("{% with a=1 b %}{% endwith %}", "'with' received an invalid token: 'b'"),
    ("{% for x in %}{% endfor %}", "'for' statements should have at least four words: for x in"),
    ("{% for x of y %}{% endfor %}", "'for' statements should use the format 'for x in y': for x of y"),
    ("{% for x, in y %}{% endfor %}", "'for' tag received an invalid argument: for x, in y"),
    ("{% if a %}{% elseif %}{% endif %}",
     "Invalid block tag on line 1: 'elseif', expected 'elif', 'else' or 'endif'. Did you forget to register or load this tag?"),
]


def test_syntax_errors_have_djangos_messages(check_syntax_errors):
    """A malformed template raises TemplateSyntaxError with Django's message."""
    check_syntax_errors(SYNTAX_ERRORS)


def test_load_of_an_unknown_library_lists_the_registered_ones(engine):
    """Django's message lists the loadable libraries, one a line, after "Must be one of:"."""
    libraries = {"blog_extras": "tinyframe.template.defaultfilters", "admin_tags": "tinyframe.template.defaultfilters"}
    for source in ("{% load blog_extra %}", "{% load upper from blog_extra %}"):
        with pytest.raises(TemplateSyntaxError) as caught:
            engine(libraries=libraries).from_string(source)
        expected = "'blog_extra' is not a registered tag library. Must be one of:\nadmin_tags\nblog_extras"
        assert str(caught.value) == expected, f"{source!r} raised {str(caught.value)!r}"


def test_syntax_error_names_the_template_and_line(engine):
    """The error carries a note naming the template, the line and the tag as written."""
    templates = {"blog/post.html": "<h1>{{ title }}</h1>\n<ul>\n{% fro post in posts %}\n</ul>"}
    with pytest.raises(TemplateSyntaxError) as caught:
        engine(templates).get_template("blog/post.html")
    notes = caught.value.__notes__
    assert notes == ["Did you mean 'for'?", "In template 'blog/post.html', line 3: {% fro post in posts %}"], notes
    assert caught.value.template_debug["line"] == 3
    assert caught.value.template_debug["name"] == "blog/post.html"


def test_unknown_filter_is_reported_with_its_line(engine):
    """An unknown filter's error says where the filter was used."""
    with pytest.raises(TemplateSyntaxError) as caught:
        engine({"a.html": "ok\n{{ post.title|uper }}"}).get_template("a.html")
    assert str(caught.value) == "Invalid filter: 'uper'"
    assert caught.value.__notes__ == ["Did you mean 'upper'?", "In template 'a.html', line 2: {{ post.title|uper }}"]


def test_template_given_as_a_string_is_named_as_such(engine):
    """A template made with from_string has no name; the note says so."""
    with pytest.raises(TemplateSyntaxError) as caught:
        engine().from_string("{% zzz %}")
    assert caught.value.__notes__ == ["In a template given as a string, line 1: {% zzz %}"]


def test_debug_shows_the_lines_around_the_error(engine):
    """With debug=True the note quotes the source around the error, marking its line."""
    source = "one\ntwo\nthree {% if %}\nfour\nfive\nsix"
    with pytest.raises(TemplateSyntaxError) as caught:
        engine(debug=True).from_string(source)
    note = caught.value.__notes__[-1]
    assert note.splitlines() == [
        "In a template given as a string, line 3: {% if %}",
        "     1 | one",
        "     2 | two",
        ">    3 | three {% if %}",
        "     4 | four",
        "     5 | five",
    ], note


def test_error_inside_a_nested_tag_names_the_innermost_tag(engine):
    """An error in a tag nested in another names the nested tag's line."""
    with pytest.raises(TemplateSyntaxError) as caught:
        engine().from_string("{% for x in y %}\n{% if x %}\n{{ x|nope }}{% endif %}{% endfor %}")
    assert caught.value.template_debug["line"] == 3


def test_parse_builds_text_and_variable_nodes(engine):
    """Text and variables become TextNode and VariableNode, in order."""
    nodelist = engine().from_string("a{{ b }}c").nodelist
    assert [type(node) for node in nodelist] == [TextNode, VariableNode, TextNode], nodelist
    assert nodelist[1].token.lineno == 1


def test_comments_produce_no_nodes(engine):
    """{# comments #} disappear while parsing."""
    template = engine().from_string("a{# hidden #}b")
    assert len(template.nodelist) == 2 and template.render(Context()) == "ab"


def test_filter_expression_parses_constants_variables_and_arguments(engine):
    """A FilterExpression holds the variable and each filter with its arguments."""
    parser = Parser([], builtins=engine().template_builtins)
    expression = FilterExpression('post.title|default:"x"|truncatewords:n', parser)
    assert expression.var.lookups == ("post", "title")
    assert [(function.__name__, args[0][0]) for function, args in expression.filters] == [
        ("default", False), ("truncatewords", True),
    ]


def test_nodelist_get_nodes_by_type_searches_nested_tags(engine):
    """get_nodes_by_type finds nodes inside tags' bodies too."""
    template = engine().from_string("{% if a %}{% for x in y %}{{ x }}{% endfor %}{% else %}{{ z }}{% endif %}")
    found = template.nodelist.get_nodes_by_type(VariableNode)
    assert [str(node.filter_expression) for node in found] == ["x", "z"]
