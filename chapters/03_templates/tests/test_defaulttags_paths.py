"""The built-in tags live in several modules, but Django's import paths keep working."""

import importlib

from tinyframe.template import Context, Engine, Node

# Every name tinyframe.template.defaulttags offered before its tags moved into modules of their
# own, and the names of the tags added since, as in django.template.defaulttags.
DEFAULTTAGS_NAMES = [
    "AutoEscapeControlNode", "CommentNode", "Context", "CsrfTokenNode", "CycleNode", "DebugNode", "FilterNode",
    "FirstOfNode", "ForNode", "GroupedResult", "IfChangedNode", "IfNode", "IfParser", "Library", "Literal",
    "LoadNode", "LoremNode", "Node", "NodeList", "NoReverseMatch", "NowNode", "RegroupNode", "ResetCycleNode",
    "SpacelessNode", "TemplateIfParser", "TemplateLiteral", "TemplateSyntaxError", "TemplateTagNode", "TextNode",
    "URLNode", "VariableDoesNotExist", "VerbatimNode", "WidthRatioNode", "WithNode", "compile_condition",
    "conditional_escape", "date", "do_autoescape", "do_comment", "do_csrf_token", "do_cycle", "do_debug",
    "do_filter", "do_firstof", "do_for", "do_if", "do_ifchanged", "do_load", "do_lorem", "do_now",
    "do_querystring", "do_regroup", "do_resetcycle", "do_spaceless", "do_templatetag", "do_url", "do_verbatim",
    "do_widthratio", "do_with", "find_library", "forloop_update", "format_html", "interpret_condition",
    "kwarg_re", "load_from_library", "mark_safe", "querystring", "register", "render_value_in_context",
    "reverse", "settings", "strip_spaces_between_tags", "template_names", "token_kwargs",
]


def test_defaulttags_offers_every_name():
    """``from tinyframe.template.defaulttags import <name>`` works, wherever the name now lives."""
    defaulttags = importlib.import_module("tinyframe.template.defaulttags")
    missing = [name for name in DEFAULTTAGS_NAMES if not hasattr(defaulttags, name)]
    assert not missing, f"tinyframe.template.defaulttags no longer offers {', '.join(missing)}"


def test_the_builtin_library_is_defaulttags_register():
    """Engines load tinyframe.template.defaulttags.register, which holds every built-in tag's compile function."""
    from tinyframe.template import defaulttags

    assert "tinyframe.template.defaulttags" in Engine.default_builtins
    assert defaulttags.register in Engine().template_builtins
    for name, compile_function in defaulttags.register.tags.items():
        assert callable(compile_function), f"tag {name!r} is registered with {compile_function!r}"
    assert defaulttags.register.tags["ifchanged"] is defaulttags.do_ifchanged


def test_defaulttags_as_a_loadable_library(engine):
    """The built-in library can also be named in ``libraries`` and loaded, by its module path."""
    templates = engine(libraries={"builtin": "tinyframe.template.defaulttags"})
    template = templates.from_string("{% load regroup lorem from builtin %}{% lorem 2 w %}")
    got = template.render(Context())
    assert got == "lorem ipsum", f"got {got!r}"


def test_a_node_class_from_defaulttags_is_the_one_the_parser_makes(engine):
    """The re-exported classes are the very classes templates are made of (isinstance works)."""
    from tinyframe.template.defaulttags import FilterNode, IfChangedNode, LoremNode, RegroupNode

    nodelist = engine().from_string(
        "{% filter upper %}{% endfilter %}{% ifchanged %}{% endifchanged %}{% lorem %}{% regroup a by b as c %}"
    ).nodelist
    assert [type(node) for node in nodelist] == [FilterNode, IfChangedNode, LoremNode, RegroupNode]
    assert all(isinstance(node, Node) for node in nodelist)

