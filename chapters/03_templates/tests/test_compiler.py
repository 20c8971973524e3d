"""The compiler: templates become Python functions whose source you can read, and render the same."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tinyframe.template import Context, Engine, Library, Node
from tinyframe.template.compiler import CodeBuilder, CompiledTemplate, compile_template
from tinyframe.utils.safestring import mark_safe

LOCMEM = "tinyframe.template.loaders.locmem.Loader"


@pytest.mark.exercise("03.9")
def test_compile_template_returns_a_function_and_its_source():
    """compile_template writes def render(context), runs it, and keeps the source and line map."""
    engine = Engine()
    template = engine.from_string("Hi {{ name }}\n{% if name %}!{% endif %}")
    compiled = compile_template(template.nodelist, engine)
    assert isinstance(compiled, CompiledTemplate)
    assert compiled.source.startswith("def render(context):\n")
    got = compiled.render(Context({"name": "<Ada>"}))
    assert got == "Hi &lt;Ada&gt;\n!", f"the compiled function rendered {got!r}"
    assert len(compiled.line_map) == compiled.source.count("\n") + 1
    assert 2 in compiled.line_map, "the line map should point some generated lines at template line 2"


@pytest.mark.exercise("03.9")
def test_template_renders_through_its_compiled_function():
    """Template.render runs the compiled function, made once and kept."""
    template = Engine().from_string("{% for x in items %}{{ x|upper }}{% endfor %}")
    assert template.render(Context({"items": ["a", "<b>"]})) == "A&lt;B&gt;"
    assert template.compiled(True) is template.compiled(True)


@pytest.mark.exercise("03.9")
def test_the_generated_source_reads_like_the_template():
    """source_code shows each tag and variable as a comment next to the Python it became."""
    source = Engine().from_string("<h1>{{ title|upper }}</h1>\n{% for post in posts %}{{ post.title }}{% endfor %}").source_code
    assert source == (
        "def render(context):\n"
        "    out = []\n"
        "    append = out.append\n"
        "    extend = out.extend\n"
        "    extend((\n"
        "        '<h1>',\n"
        "        escape(upper(str(resolve(context, 'title', (), '')))),  # {{ title|upper }}\n"
        "        '</h1>\\n',\n"
        "    ))\n"
        "    # line 2: {% for post in posts %}\n"
        "    loop_items = loop_values(resolve(context, 'posts', (), None))\n"
        "    for post in loop_items:\n"
        "        append(escape(lookup(post, ('title',), '')))  # {{ post.title }}\n"
        "    return ''.join(out)\n"
    ), source


def test_a_condition_is_plain_python_with_the_interpreter_as_fallback():
    """The condition uses Python's operators inside try; if it raises, the interpreter decides."""
    source = Engine().from_string("{% if posts|length > 2 and not user.is_staff %}!{% endif %}").source_code
    assert source.splitlines()[4:13] == [
        "    # Read from the context once: nothing below writes to it",
        "    user = context_value(context, 'user')",
        "    # line 1: {% if posts|length > 2 and not user.is_staff %}",
        "    try:",
        "        condition = length(resolve(context, 'posts', (), None)) > 2 and not lookup(user, ('is_staff',), None)",
        "    except Exception:",
        "        condition = interpret_condition(parsed_condition, context)",
        "    if condition:",
        "        append('!')",
    ], source


def test_identity_with_a_literal_compiles_without_a_syntax_warning():
    """{% if x is 1 %} compiles to operator.is_, not to Python's "x is 1", which warns when compiled."""
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("error", SyntaxWarning)
        template = Engine().from_string("{% if x is 1 %}one{% elif x is not None %}set{% endif %}")
        got = [template.render(Context({"x": x})) for x in (1, 2, None)]
    assert got == ["one", "set", ""], f"rendering for x = 1, 2, None gave {got}; expected ['one', 'set', '']"


def test_a_name_with_dotted_steps_is_read_once_where_nothing_writes_to_the_context():
    """Its steps are followed at each use (a callable is called each time); a missing name gives each use its default."""
    calls = []
    template = Engine().from_string("{{ user.name }}{% if user.name %}!{% endif %}[{{ nobody.name }}]{% if not nobody.name %}?{% endif %}")
    source = template.source_code
    assert source.count("context_value(context, 'user')") == 1 and "resolve(context, 'user'" not in source, source
    got = template.render(Context({"user": lambda: calls.append(1) or {"name": "ada"}}))
    assert (got, len(calls)) == ("ada![]?", 2), f"rendered {got!r}, calling user {len(calls)} times; expected 'ada![]?', 2"


def test_true_false_and_none_are_looked_up_once_where_nothing_writes_to_the_context():
    """A function whose nodes set nothing in the context reads True, False and None once, at its top."""
    source = Engine().from_string(
        "{% for name, value in attrs %}{% if value is True %} {{ name }}{% elif value is not False %} "
        '{{ name }}="{{ value }}"{% endif %}{% endfor %}'
    ).source_code
    lines = source.splitlines()
    assert lines[4:7] == [
        "    # Read from the context once: nothing below writes to it",
        "    builtin_True = resolve(context, 'True', (), None)",
        "    builtin_False = resolve(context, 'False', (), None)",
    ], source
    assert "            condition = lookup(value, (), None) is builtin_True" in lines, source
    assert source.count("resolve(context, 'True'") == 1, source


@pytest.mark.parametrize("mode", ["compiled", "interpreted"])
def test_a_context_may_still_shadow_true_false_and_none(mode):
    """They are names in the context, as in Django: a dict above the builtins may give them another value."""
    engine = Engine(compiled=mode == "compiled")
    template = engine.from_string("{% for x in items %}{% if x is None %}none{% elif x is True %}true{% endif %},{% endfor %}")
    got = template.render(Context({"items": [None, True, 1], "None": 1}))
    assert got == ",true,none,", f"{mode}: with None set to 1 in the context, got {got!r}; expected ',true,none,'"


@pytest.mark.parametrize("mode", ["compiled", "interpreted"])
def test_a_tag_that_sets_a_builtin_name_is_seen_after_it(mode):
    """Where a node may write to the context (cycle ... as), True is looked up at each use, not once."""
    engine = Engine(compiled=mode == "compiled")
    template = engine.from_string("{% if x is True %}a{% endif %}{% cycle 1 2 as True silent %}{% if x is True %}b{% endif %}")
    got = template.render(Context({"x": 1}))
    assert got == "b", f"{mode}: after cycle set True to 1, got {got!r}; expected 'b'"
    assert "builtin_True" not in engine.from_string(template.source).source_code


class Quiet(Exception):
    silent_variable_failure = True


class Edition:
    """A class a method returns: a lookup calls the method, and must not call the class too."""

    label = "the class"

    def __init__(self):
        self.label = "an instance"


class Shelf:
    """Chains whose answer depends on the whole chain, not on each step alone."""

    def edition(self):
        return Edition

    @property
    def quiet(self):
        raise Quiet


@pytest.mark.parametrize("mode", ["compiled", "interpreted"])
@pytest.mark.parametrize(
    "source, expected",
    [
        # A step's result is called once: the class the method returns is not called again.
        ("{% for s in shelves %}{{ s.edition.label }}{% endfor %}", "the class"),
        # A failure that asks to be silent ends the chain with "", whatever follows.
        ("{% for s in shelves %}{% if s.quiet.x is None %}None{% else %}{{ s.quiet.x|length }}{% endif %}{% endfor %}", "0"),
        ("{% for s in shelves %}{{ 'a'|default:s.quiet.x }}{% endfor %}", "a"),
    ],
)
def test_a_lookup_follows_the_whole_chain_as_resolve_lookup_does(mode, source, expected):
    """``lookup`` walks every step in one loop: a step on its own could not know how the chain ends."""
    template = Engine(compiled=mode == "compiled").from_string(source)
    got = template.render(Context({"shelves": [Shelf()]}))
    assert got == expected, f"{mode}: {source!r} rendered {got!r}; expected {expected!r}"


def test_a_stringfilter_compiles_to_str_and_the_function_inside():
    """The compiled code writes out what the stringfilter wrapper does; the output is the interpreter's."""
    source = "{{ s|upper }}|{{ s|capfirst }}|{{ n|slugify }}|{{ t|truncatewords:1 }}|{{ t|linebreaksbr }}"
    context = {"s": mark_safe("<i>x</i>"), "n": 3, "t": "<a> b\nc"}
    compiled = Engine().from_string(source)
    assert "escape(upper(str(resolve(context, 's', (), ''))))" in compiled.source_code, compiled.source_code
    got = compiled.render(Context(context))
    expected = Engine(compiled=False).from_string(source).render(Context(context))
    assert got == expected == "&lt;I&gt;X&lt;/I&gt;|<i>x</i>|3|&lt;a&gt; …|&lt;a&gt; b<br>c", (got, expected)


def test_a_stringfilter_wrapped_again_is_called_through_its_wrapper():
    """Only a stringfilter's own wrapper is written out: another decorator around it still runs."""
    import functools

    from tinyframe.template.defaultfilters import stringfilter

    def shout(function):
        @functools.wraps(function)
        def wrapper(value, *args):
            return function(value, *args) + "!"
        return wrapper

    library = Library()
    library.filter("loud", shout(stringfilter(lambda value: value.upper())))
    engine = Engine(libraries={"lib": library})
    got = engine.from_string("{% load lib %}{{ 3|loud }}").render(Context())
    assert got == "3!", f"rendered {got!r}; expected '3!' (the outer decorator adds the '!')"


def test_each_elif_condition_has_its_own_fallback():
    """An elif is tried only when the conditions before it were false, each in its own try."""
    source = Engine().from_string("{% if a %}A{% elif b == 1 %}B{% else %}C{% endif %}").source_code
    assert source.splitlines()[5:20] == [
        "    try:",
        "        condition = resolve(context, 'a', (), None)",
        "    except Exception:",
        "        condition = interpret_condition(parsed_condition, context)",
        "    if condition:",
        "        append('A')",
        "    else:",
        "        try:",
        "            condition = resolve(context, 'b', (), None) == 1",
        "        except Exception:",
        "            condition = interpret_condition(parsed_condition_2, context)",
        "        if condition:",
        "            append('B')",
        "        else:",
        "            append('C')",
    ], source


def test_the_fallback_in_a_loop_is_handed_the_locals_its_condition_reads():
    """A loop keeps its names in locals around an if; the fallback, reading the context, gets them too."""
    template = Engine().from_string(
        "{% for post in posts %}{% with title=post.title %}{% if post.draft or forloop.first and title %}"
        "{{ title }}{% endif %}{% endwith %}{% endfor %}"
    )
    source = template.source_code
    assert "with context.push():" not in source, source
    assert "condition = interpret_condition(parsed_condition, context, {'post': post, 'forloop': forloop, 'title': title})" in source, source


def test_source_code_includes_the_blocks():
    """Blocks compile to functions of their own; source_code shows them after the template's."""
    source = Engine().from_string("<{% block content %}{{ x }}{% endblock %}>").source_code
    assert "block_content.render(context),  # {% block content %}" in source
    assert "# {% block content %}\ndef render(context):" in source


def test_forloop_costs_nothing_unless_used():
    """A loop that never reads forloop doesn't keep it up to date."""
    without = Engine().from_string("{% for x in xs %}{{ x }}{% endfor %}").source_code
    with_forloop = Engine().from_string("{% for x in xs %}{{ forloop.counter }}{% endfor %}").source_code
    assert "forloop" not in without and "forloop.update(" in with_forloop


def test_a_tag_that_renders_itself_makes_loops_use_the_context():
    """Around a node that renders itself, a compiled loop puts its names in the context, as Django does."""
    library = Library()

    class Show(Node):
        def render(self, context):
            return str(context.get("x"))

    library.tag("show", lambda parser, token: Show())
    engine = Engine(libraries={"lib": library})
    template = engine.from_string("{% load lib %}{% for x in xs %}{% with y=x %}{% show %}{{ y }}{% endwith %}{% endfor %}")
    assert "with context.push():" in template.source_code
    assert template.render(Context({"xs": [1, 2]})) == "1122"


# Each row: a loop around a tag that compiles without the context, its context, and what
# Django 5.2 renders.
LOOPS_AROUND_OTHER_TAGS = [
    ("{% for x in xs %}{% comment %}{{ x.secret }}{% endcomment %}{{ x }}{% endfor %}", "&lt;a&gt;b"),
    ("{% for x in xs %}{% templatetag openvariable %}{{ x }}{% templatetag closevariable %}{% endfor %}", "{{&lt;a&gt;}}{{b}}"),
    ("{% for x in xs %}{% verbatim %}{{ x }}{% endverbatim %}={{ x }};{% endfor %}", "{{ x }}=&lt;a&gt;;{{ x }}=b;"),
    ("{% for x in xs %}{% spaceless %} <p> {{ x }} </p>\n <br> {% endspaceless %}{% endfor %}", "<p> &lt;a&gt; </p><br><p> b </p><br>"),
    ("{% for x in xs %}{% autoescape off %}{{ x }}{% endautoescape %}{{ x }}{% endfor %}", "<a>&lt;a&gt;bb"),
    ("{% autoescape off %}{% for x in xs %}{% autoescape on %}{{ x }}{% endautoescape %}{{ x }}{% endfor %}{% endautoescape %}",
     "&lt;a&gt;<a>bb"),
    ("{% for x in xs %}{% firstof x.missing x %}{% endfor %}", "&lt;a&gt;b"),
    ("{% for x in xs %}[{% firstof x.missing %}]{% endfor %}", "[][]"),
    ("{% for x in xs %}{% now '\\Y' %}{{ x }}{% endfor %}", "Y&lt;a&gt;Yb"),  # \\Y: a literal Y
]


@pytest.mark.parametrize("source, expected", LOOPS_AROUND_OTHER_TAGS)
def test_a_loop_around_tags_that_ignore_the_context_keeps_its_names_in_locals(mode, source, expected):
    """comment, templatetag, verbatim, spaceless, autoescape, firstof and now don't make a loop use the context."""
    template = Engine(compiled=mode == "compiled").from_string(source)
    assert "with context.push():" not in template.source_code, template.source_code
    got = template.render(Context({"xs": ["<a>", "b"]}))
    assert got == expected, f"{source!r} rendered {got!r} ({mode}); expected {expected!r}"


INCLUDED = {
    "row.html": "{{ forloop.counter }}:{{ post }}{{ extra }};",
    "page.html": '{% for post in posts %}{% with extra="!" %}{% include "row.html" %}{% endwith %}{% endfor %}',
    "by_name.html": "{% for post in posts %}{% include name with extra=post %}{% endfor %}",
    "sets.html": "{% cycle 'a' 'b' as y silent %}",
    "leaks.html": "{% include 'sets.html' %}[{{ y }}]",
}


@pytest.mark.parametrize("name, expected", [("page.html", "1:a!;2:b!;"), ("by_name.html", "1:aa;2:bb;")])
def test_an_include_in_a_loop_is_handed_the_loops_names(mode, name, expected):
    """A compiled loop around an include keeps its locals; the include pushes them for the included template."""
    engine = Engine(loaders=[("tinyframe.template.loaders.locmem.Loader", INCLUDED)], compiled=mode == "compiled")
    template = engine.get_template(name)
    got = template.render(Context({"posts": ["a", "b"], "name": "row.html"}))
    assert got == expected, f"{name} rendered {got!r} ({mode}); expected {expected!r}"
    assert "with context.push():" not in template.source_code, template.source_code


def test_what_an_included_template_sets_in_the_context_stays_in_it(mode):
    """An include renders in a context layer of its own, popped after it: {% cycle ... as y %} inside does not leak."""
    engine = Engine(loaders=[("tinyframe.template.loaders.locmem.Loader", INCLUDED)], compiled=mode == "compiled")
    got = engine.get_template("leaks.html").render(Context({}))
    assert got == "[]", f"{mode}: a name set inside the included template was seen after it: {got!r}"


def test_a_tag_that_stores_a_value_makes_the_loop_use_the_context(mode):
    """firstof ... as name sets a name in the context, so the loop around it keeps its names there too."""
    template = Engine(compiled=mode == "compiled").from_string("{% for x in xs %}{% firstof x as y %}{{ y }}{% endfor %}")
    assert "with context.push():" in template.source_code
    assert template.render(Context({"xs": ["<a>", "b"]})) == "&lt;a&gt;b"


def test_autoescape_is_decided_when_compiling():
    """A context without auto-escaping gets its own compiled function."""
    template = Engine().from_string("{{ x }}")
    assert template.render(Context({"x": "<"}, autoescape=False)) == "<"
    assert template.render(Context({"x": "<"})) == "&lt;"
    assert "to_text(" in template.compiled(False).source and "escape(" in template.compiled(True).source


def test_template_names_that_are_python_names_are_renamed():
    """A loop variable called like a Python name (list, out, context) gets a local of its own."""
    got = Engine().from_string(
        "{% for list in lists %}{% for out in list %}{% with context=out %}{{ context }}{% endwith %}{% endfor %}{% endfor %}"
    ).render(Context({"lists": [[1], [2, 3]]}))
    assert got == "123"


def test_string_if_invalid_compiles_to_expression_resolve():
    """With string_if_invalid set, compiled code lets each expression resolve itself."""
    template = Engine(string_if_invalid="<%s>").from_string("{% for x in xs %}{{ x.nope }}{% endfor %}")
    assert ".resolve(context)" in template.source_code
    assert template.render(Context({"xs": [1]})) == "&lt;x.nope&gt;"


@pytest.mark.exercise("03.9")
def test_runtime_error_in_a_compiled_template_names_template_and_line():
    """With debug, an error raised while rendering compiled code names the template line."""
    engine = Engine(debug=True, loaders=[(LOCMEM, {"page.html": "<p>\n{{ value|divisibleby:0 }}\n</p>"})])
    with pytest.raises(ZeroDivisionError) as caught:
        engine.get_template("page.html").render(Context({"value": 4}))
    error = caught.value
    assert error.template_debug["name"] == "page.html" and error.template_debug["line"] == 2
    assert error.__notes__[0].startswith("In template 'page.html', line 2: {{ value|divisibleby:0 }}")


def test_runtime_error_in_a_compiled_block_names_its_line():
    """An error inside a block's compiled function names the block's line."""
    templates = {"base.html": "{% block a %}{% endblock %}", "child.html": "{% extends 'base.html' %}\n{% block a %}\n{{ v|divisibleby:0 }}{% endblock %}"}
    engine = Engine(debug=True, loaders=[(LOCMEM, templates)])
    with pytest.raises(ZeroDivisionError) as caught:
        engine.get_template("child.html").render(Context({"v": 1}))
    assert caught.value.template_debug["line"] == 3


def test_runtime_error_without_debug_is_left_alone():
    """Without debug, errors pass through unannotated (and nothing is spent finding lines)."""
    with pytest.raises(ZeroDivisionError) as caught:
        Engine().from_string("{{ 1|divisibleby:0 }}").render(Context())
    assert not hasattr(caught.value, "template_debug")


def test_the_builder_api_for_tags():
    """CodeBuilder: lines and indentation, captured output, autoescape switching, unique names."""

    class Shout(Node):
        """{% shout %}...{% endshout %}, compiled: capture the body, upper-case it."""

        transparent = True

        def __init__(self, nodelist):
            self.nodelist = nodelist

        def render(self, context):
            return self.nodelist.render(context).upper()

        def compile(self, code):
            with code.capture() as captured, code.autoescaping(False):
                code.nodelist(self.nodelist)
            code.output(f"''.join({captured}).upper()")

    library = Library()

    @library.tag
    def shout(parser, token):
        nodelist = parser.parse(("endshout",))
        parser.delete_first_token()
        return Shout(nodelist)

    for compiled in (True, False):
        engine = Engine(libraries={"lib": library}, compiled=compiled)
        template = engine.from_string("{% load lib %}{% for x in xs %}{% shout %}{{ x }}{% endshout %}{% endfor %}")
        expected = "<A><B>" if compiled else "&LT;A&GT;&LT;B&GT;"
        assert template.render(Context({"xs": ["<a>", "<b>"]})) == expected
    code = CodeBuilder(Engine())
    assert code.unique_name("1 x") == "_1_x" and code.constant(len) == code.constant(len)


# --- compiled == interpreted, on generated templates ---------------------------------



class Generic:
    """A class that can be subscripted (``Generic[k]``) but is no container: its attributes are read."""

    do_not_call_in_templates = True
    k = "<k>"
    n = [5, 6]

    def __class_getitem__(cls, item):
        return f"Generic[{item}]"


class Buggy:
    """An object whose attributes raise: ``k`` a property (AttributeError from inside), ``n`` a method."""

    @property
    def k(self):
        raise AttributeError("a bug inside the property")

    def n(self):
        raise RuntimeError("a bug inside the method")


NAMES = ["a", "b", "c", "d", "g", "items", "s", "missing", "e", "es"]
ATTRIBUTES = ["k", "n", "0", "1", "upper", "nope"]
FILTERS = ["upper", "lower", "length", "default:'z'", "escape", "safe", "first"]
CONTEXT = {
    "a": "<x> & 'y'", "b": 0, "c": [1, "<2>", None], "d": {"k": "v&", "n": [3, 4]}, "g": Generic,
    "items": [{"k": 1, "n": "<n>"}, {"k": "<s>", "n": []}, "plain"], "s": mark_safe("<i>safe</i>"),
    "e": Buggy(), "es": [{"k": 1, "n": 2}, Buggy()],
}

text = st.text(alphabet="ab <>&\"'\n", max_size=6)
variable = st.one_of(
    st.builds(
        lambda name, attributes: ".".join([name, *attributes]),
        st.sampled_from(NAMES + ["x", "forloop"]), st.lists(st.sampled_from(ATTRIBUTES + ["counter", "last"]), max_size=2),
    ),
    st.sampled_from(["e.k", "e.n", "x.k", "x.n"]),  # often enough to raise (x may be a Buggy from es)
)
expression = st.builds(lambda v, filters: "|".join([v, *filters]), variable, st.lists(st.sampled_from(FILTERS), max_size=2))
operand = st.one_of(expression, st.builds(lambda x: f"not {x}", expression))
simple_condition = st.one_of(
    operand,
    st.builds(lambda x, op, y: f"{x} {op} {y}", expression, st.sampled_from(["==", "!=", "<", ">=", "in", "not in", "and", "or", "is"]), operand),
)
condition = st.one_of(
    simple_condition,
    st.builds(lambda x, op, y: f"{x} {op} {y}", simple_condition, st.sampled_from(["and", "or"]), simple_condition),
)


def nodes(children):
    return st.one_of(
        st.builds(lambda body, cond, other: f"{{% if {cond} %}}{body}{{% else %}}{other}{{% endif %}}", children, condition, children),
        st.builds(lambda body, cond, other_cond, other: f"{{% if {cond} %}}{body}{{% elif {other_cond} %}}{other}{{% endif %}}",
                  children, condition, condition, children),
        st.builds(lambda body, seq, rev, empty: f"{{% for x in {seq}{' reversed' if rev else ''} %}}{body}{{% empty %}}{empty}{{% endfor %}}",
                  children, expression, st.booleans(), children),
        st.builds(lambda body, value: f"{{% with x={value} %}}{body}{{% endwith %}}", children, expression),
        st.lists(children, min_size=2, max_size=3).map("".join),
    )


template_source = st.recursive(
    st.one_of(text, expression.map(lambda e: f"{{{{ {e} }}}}")), nodes, max_leaves=8,
)


def outcome(engine: Engine, source: str) -> str:
    try:
        return engine.from_string(source).render(Context(dict(CONTEXT)))
    except NotImplementedError:
        # An exercise not written yet is no outcome to compare: let its stub's
        # message ("exercise 03.2: ...") fail the test and say what it waits for.
        raise
    except Exception as error:  # both must fail the same way
        return f"{type(error).__name__}"


@pytest.mark.exercise("03.9")
@settings(deadline=None)
@given(template_source)
def test_compiled_templates_render_exactly_like_the_interpreter(source):
    """For any template, the compiled function's output equals the tree-walking interpreter's."""
    compiled, interpreted = outcome(Engine(), source), outcome(Engine(compiled=False), source)
    assert compiled == interpreted, f"{source!r}: compiled rendered {compiled!r}, interpreted {interpreted!r}"


def test_runtime_error_when_interpreting_names_the_node(mode):
    """The interpreter (compiled=False) also names the failing node's template and line with debug."""
    engine = Engine(debug=True, compiled=False, loaders=[(LOCMEM, {"p.html": "a\n{% if x %}{{ x|divisibleby:0 }}{% endif %}"})])
    with pytest.raises(ZeroDivisionError) as caught:
        engine.get_template("p.html").render(Context({"x": 1}))
    assert caught.value.__notes__[0].startswith("In template 'p.html', line 2: {{ x|divisibleby:0 }}")


def test_a_node_without_render_says_so():
    """A Node subclass must define render; the base class says which class forgot."""

    class Forgetful(Node):
        pass

    with pytest.raises(NotImplementedError, match="Forgetful must define render"):
        Forgetful().render(Context())


def test_nodes_and_templates_describe_themselves():
    """Reprs name what the node or template holds."""
    template = Engine().from_string("text{{ name|upper }}{% if x %}{{ y }}{% endif %}")
    assert repr(template.nodelist[:2]) == "[<TextNode: 'text'>, <VariableNode: name|upper>]"
    assert repr(template) == "<Template '<unknown source>'>"
    # Iterating over a template goes into the branches of {% if %}, as in Django.
    assert [type(node).__name__ for node in template] == ["TextNode", "VariableNode", "VariableNode"]
    assert repr(template.nodelist[1].filter_expression) == "<FilterExpression 'name|upper'>"
    assert template.nodelist[0].render(Context()) == "text"


def deeply_nested_loops(depth: int) -> str:
    """``depth`` nested {% for %}, each with a {% cycle %}: more blocks than Python nests."""
    opening = "".join(f"{{% for x{level} in items %}}{{% cycle 'a' 'b' %}}" for level in range(depth))
    return opening + "!" + "{% endfor %}" * depth


@pytest.mark.exercise("03.9")
def test_python_refuses_the_deeply_nested_code_the_compiler_writes():
    """The premise of the fallback: compiled as-is, eleven nested loops are a SyntaxError."""
    engine = Engine()
    code = CodeBuilder(engine)
    code.line("def render(context):")
    with code.indent():
        code.line("out = []")
        code.line("append = out.append")
        code.line("extend = out.extend")
        code.nodelist(engine.from_string(deeply_nested_loops(11)).nodelist)
        code.line("return ''.join(out)")
    with pytest.raises(SyntaxError, match="too many statically nested blocks"):
        compile(code.source(), "<deep>", "exec")


@pytest.mark.exercise("03.9")
def test_a_template_python_cannot_compile_is_interpreted_with_the_same_output():
    """compile_template falls back to walking the tree, and says so in the source it shows."""
    source = deeply_nested_loops(11)
    context = {"items": [1, 2]}
    template = Engine().from_string(source)
    compiled = compile_template(template.nodelist, template.engine)
    assert compiled.source.startswith(
        "# Python refused this code (too many statically nested blocks): the template is interpreted instead.\n"
        "def render(context):\n"
    ), compiled.source[:200]
    got = template.render(Context(dict(context)))
    expected = Engine(compiled=False).from_string(source).render(Context(dict(context)))
    assert got == expected, f"fallback rendered {got[:40]!r}..., the interpreter {expected[:40]!r}..."
    assert got.startswith("aaaaaaaaaaa!b!b"), got[:20]


@pytest.mark.exercise("03.9")
def test_a_block_python_cannot_compile_is_interpreted_too():
    """The fallback holds for a {% block %}, which compiles to a function of its own."""
    templates = {
        "base.html": "<main>{% block content %}{% endblock %}</main>",
        "child.html": '{% extends "base.html" %}{% block content %}' + deeply_nested_loops(11) + "{% endblock %}",
    }
    rendered = {
        compiled: Engine(compiled=compiled, loaders=[(LOCMEM, templates)]).get_template("child.html").render(Context({"items": [1]}))
        for compiled in (True, False)
    }
    assert rendered[True] == rendered[False] == "<main>aaaaaaaaaaa!</main>", rendered


@pytest.mark.exercise("03.9")
def test_a_compiled_function_knows_the_names_it_reads():
    """context_names: the names read from the context, or None when the code may do more with it."""
    engine = Engine(loaders=[(LOCMEM, {"inc.html": "{{ anything }}"})])

    def names(source):
        return engine.from_string(source).compiled(True).context_names

    assert names("{{ title|default:fallback }}{% if user.is_staff %}{{ note }}{% endif %}") == {
        "title", "fallback", "user", "note"
    }
    assert names("{% for post in posts %}{{ post.title }}{% endfor %}") == {"posts"}, "a loop's names are locals"
    assert names("text only") == frozenset()
    assert names("{% include 'inc.html' %}") is None, "an included template may read any name"
    assert names("{% cycle 'a' 'b' as row %}") is None, "a tag that sets a name renders itself"
