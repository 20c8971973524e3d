"""Template inheritance and inclusion: {% extends %}, {% block %} with block.super, {% include %}."""

import pytest

from tinyframe.template import Context, Engine, TemplateDoesNotExist, TemplateSyntaxError

LOCMEM = "tinyframe.template.loaders.locmem.Loader"

TEMPLATES = {
    "base.html": (
        "<title>{% block title %}Site{% endblock %}</title>"
        "{% block body %}base body{% endblock %}"
        "{% block footer %}(c){% endblock footer %}"
    ),
    "middle.html": (
        "{% extends 'base.html' %}"
        "{% block title %}Mid - {{ block.super }}{% endblock %}"
        "{% block body %}<main>{% block content %}mid content{% endblock %}</main>{% endblock %}"
    ),
    "page.html": (
        "{% extends 'middle.html' %}text outside blocks is ignored"
        "{% block title %}Page | {{ block.super }}{% endblock %}"
        "{% block content %}{{ block.super }} + page {{ x }}{% endblock %}"
    ),
    "loop.html": "{% for i in items %}{% block item %}[{{ i }}]{% endblock %}{% endfor %}",
    "loop-child.html": "{% extends 'loop.html' %}{% block item %}<{{ i }}|{{ block.super }}>{% endblock %}",
    "by-variable.html": "{% extends parent %}{% block title %}V{% endblock %}",
    "nested-blocks.html": "{% extends 'base.html' %}{% block body %}{% block inner %}I{% endblock %}{% endblock %}",
    "nested-child.html": "{% extends 'nested-blocks.html' %}{% block inner %}II {{ block.super }}{% endblock %}",
    "blog/base.html": "<{% block b %}{% endblock %}>",
    "blog/post.html": "{% extends './base.html' %}{% block b %}post{% endblock %}",
    "super-in-base.html": "{% block a %}{{ block.super }}{% endblock %}",
    "row.html": "x={{ x }} y={{ y }}",
}


def render_template(engine, name: str, context: dict | None = None, templates: dict | None = None) -> str:
    return engine({**TEMPLATES, **(templates or {})}).get_template(name).render(Context(context or {}))


@pytest.mark.exercise("03.7")
@pytest.mark.parametrize(
    "name, context, expected",
    [
        ("page.html", {"x": "<x>"}, "<title>Page | Mid - Site</title><main>mid content + page &lt;x&gt;</main>(c)"),
        ("middle.html", {}, "<title>Mid - Site</title><main>mid content</main>(c)"),
        ("loop-child.html", {"items": [1, 2]}, "<1|[1]><2|[2]>"),
        ("by-variable.html", {"parent": "base.html"}, "<title>V</title>base body(c)"),
        ("nested-child.html", {}, "<title>Site</title>II I(c)"),
        ("blog/post.html", {}, "<post>"),
    ],
)
def test_extends(engine, name, context, expected):
    """Render the parent with the child's blocks in place; block.super reaches any level up."""
    got = render_template(engine, name, context)
    assert got == expected, f"{name} rendered {got!r}; expected {expected!r}"


@pytest.mark.exercise("03.7")
def test_four_levels_of_inheritance(engine):
    """Each level overrides some blocks and keeps the others; block.super chains all the way up."""
    templates = {
        "level2.html": "{% extends 'page.html' %}{% block title %}L2 {{ block.super }}{% endblock %}",
        "level3.html": "{% extends 'level2.html' %}{% block footer %}{{ block.super }} L3{% endblock %}",
    }
    got = render_template(engine, "level3.html", {"x": 1}, templates)
    assert got == "<title>L2 Page | Mid - Site</title><main>mid content + page 1</main>(c) L3", got


@pytest.mark.exercise("03.7")
def test_extends_a_template_object(engine):
    """{% extends %} also takes a Template object from the context."""
    parent = engine().from_string("[{% block a %}parent{% endblock %}]")
    got = engine().from_string("{% extends parent %}{% block a %}child{% endblock %}").render(Context({"parent": parent}))
    assert got == "[child]", got


@pytest.mark.exercise("03.7")
def test_a_block_used_twice_by_the_parent_in_a_loop_is_each_time_the_childs(engine):
    """An overridden block rendered many times (in a loop) is the child's block every time."""
    got = render_template(engine, "loop-child.html", {"items": "abc"})
    assert got == "<a|[a]><b|[b]><c|[c]>", got


def test_a_block_keeps_its_names_and_itself_to_itself(engine):
    """Names set in a block, and ``block``, are gone after it; a template it includes sees ``block``."""
    templates = {
        "own.html": (
            "{% block a %}{% with y='w' %}{{ y }}{% endwith %}{% cycle 'c' 'd' as z %}{% endblock %}"
            "[{{ y }}{{ z }}{{ block.name }}]{% block b %}{{ x }}{% endblock %}{% block c %}{% include 'name.html' %}{% endblock %}"
        ),
        "name.html": "<{{ block.name }}>",
        "own-child.html": "{% extends 'own.html' %}{% block b %}{{ block.name }}{{ x }}{% endblock %}",
    }
    assert render_template(engine, "own.html", {"x": 1}, templates) == "wc[]1<c>"
    assert render_template(engine, "own-child.html", {"x": 1}, templates) == "wc[]b1<c>"


def test_extending_the_same_name_from_another_loader(mode):
    """A template may extend one of the same name further along the loaders (it is skipped itself)."""
    engine = Engine(
        loaders=[(LOCMEM, {"base.html": "{% extends 'base.html' %}{% block a %}app {{ block.super }}{% endblock %}"}),
                 (LOCMEM, {"base.html": "<{% block a %}core{% endblock %}>"})],
        compiled=mode == "compiled",
    )
    assert engine.get_template("base.html").render(Context()) == "<app core>"


def test_block_super_in_a_base_template_is_an_error(engine):
    """{{ block.super }} where nothing is extended says so."""
    with pytest.raises(TemplateSyntaxError, match=r"Did you use \{\{ block.super \}\} in a base template\?"):
        render_template(engine, "super-in-base.html")


def test_extends_with_an_empty_name_is_an_error(engine):
    """An empty parent name names the variable it came from."""
    with pytest.raises(TemplateSyntaxError) as caught:
        engine().from_string("{% extends x %}").render(Context({"x": ""}))
    assert str(caught.value) == "Invalid template name in 'extends' tag: ''. Got this from the 'x' variable."


def test_extends_a_missing_template(engine):
    """A missing parent is TemplateDoesNotExist naming it."""
    with pytest.raises(TemplateDoesNotExist) as caught:
        engine().from_string("{% extends 'nope.html' %}").render(Context())
    assert str(caught.value) == "nope.html"


def test_relative_names_cannot_leave_the_template_directory(engine):
    """'../' beyond the top, or back to the template itself, is an error while parsing."""
    with pytest.raises(TemplateSyntaxError, match="points outside the file hierarchy"):
        engine({"a.html": "{% include '../b.html' %}"}).get_template("a.html")
    with pytest.raises(TemplateSyntaxError, match="the same template in which the tag appears"):
        engine({"a/b.html": "{% include './b.html' %}"}).get_template("a/b.html")
    with pytest.raises(TemplateSyntaxError, match="unknown template origin"):
        engine().from_string("{% include './b.html' %}")


@pytest.mark.parametrize(
    "source, context, expected",
    [
        ("{% include 'row.html' %}", {"x": 1, "y": 1}, "x=1 y=1"),
        ("{% include 'row.html' with x=2 %}", {"x": 1, "y": 1}, "x=2 y=1"),
        ("{% include 'row.html' with y=3 only %}", {"x": 1, "y": 1}, "x= y=3"),
        ("{% include 'row.html' only %}", {"x": 1}, "x= y="),
        ("{% include name %}", {"name": "row.html", "x": "<"}, "x=&lt; y="),
        ("{% include names %}", {"names": ["nope.html", "row.html"], "x": 5}, "x=5 y="),
        ("{% for x in items %}{% include 'row.html' %};{% endfor %}", {"items": [1, 2]}, "x=1 y=;x=2 y=;"),
        ("{% with y='w' %}{% include 'row.html' %}{% endwith %}", {}, "x= y=w"),
        ("{% include 'row.html' with x=2 %}/{{ x }}", {"x": 1}, "x=2 y=/1"),
    ],
)
def test_include(engine, source, context, expected):
    """{% include %} renders another template with the current context, plus with, or only those."""
    got = engine(TEMPLATES).from_string(source).render(Context(context))
    assert got == expected, f"{source!r} with {context!r} rendered {got!r}; expected {expected!r}"


def test_include_a_template_object(engine):
    """{% include %} also takes a Template object from the context."""
    row = engine().from_string("<{{ x }}>")
    assert engine().from_string("{% include row %}").render(Context({"row": row, "x": 1})) == "<1>"


def test_include_a_missing_template_raises(engine):
    """A missing included template is TemplateDoesNotExist, as in Django 5."""
    with pytest.raises(TemplateDoesNotExist) as caught:
        engine().from_string("a{% include 'nope.html' %}b").render(Context())
    assert str(caught.value) == "nope.html"


def test_included_template_escapes_its_values(engine):
    """An included template auto-escapes like any other."""
    got = engine({"i.html": "{{ v }}"}).from_string("{% include 'i.html' %}").render(Context({"v": "<script>"}))
    assert got == "&lt;script&gt;", got


def test_block_super_of_a_block_the_parent_lacks_is_empty(engine):
    """A block the parent doesn't have renders its own content, and block.super is empty."""
    got = render_template(engine, "child-only.html", templates={
        "child-only.html": "{% extends 'base.html' %}{% block footer %}{% block extra %}[{{ block.super }}]{% endblock %}{% endblock %}",
    })
    assert got == "<title>Site</title>base body[]", got


def test_backend_templates_can_be_extended_and_included(templates_setting):
    """A template from the TEMPLATES backend works as an {% extends %} parent or {% include %} target."""
    from tinyframe.template import engines

    templates_setting()
    backend = engines["django"]
    parent = backend.from_string("<{% block a %}parent{% endblock %}>")
    assert parent.origin.name == "<unknown source>"
    child = backend.from_string("{% extends parent %}{% block a %}child{% include row %}{% endblock %}")
    assert child.render({"parent": parent, "row": backend.from_string("!")}) == "<child!>"


def test_a_missing_include_from_a_backend_template_names_the_backend(templates_setting):
    """TemplateDoesNotExist while rendering through a backend says which backend raised it."""
    from tinyframe.template import engines

    templates_setting(debug=True)
    with pytest.raises(TemplateDoesNotExist) as caught:
        engines["django"].from_string("{% include 'nope.html' %}").render()
    assert caught.value.backend is engines["django"] and caught.value.template_debug["line"] == 1


def test_reprs_say_what_the_nodes_are(engine):
    """Nodes and the block context have reprs that help when debugging."""
    from tinyframe.template.loader_tags import BlockContext

    child = engine(TEMPLATES).get_template("page.html")
    [extends] = child.nodelist
    assert repr(extends) == "<ExtendsNode: extends 'middle.html'>"
    assert repr(extends.blocks["title"]).startswith("<Block Node: title. Contents: [")
    include = engine().from_string("{% include 'row.html' %}").nodelist[0]
    assert repr(include) == "<IncludeNode: template=<FilterExpression \"'row.html'\">>"
    blocks = BlockContext()
    assert blocks.pop("nope") is None and blocks.get_block("nope") is None
    assert repr(blocks) == "<BlockContext: blocks=defaultdict(<class 'list'>, {'nope': []})>"
