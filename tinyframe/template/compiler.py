"""Compiling a template to Python: the node tree becomes one function, made once.

How it works: walking the node tree on every render repeats work whose answer
never changes — which node comes next, which filter a name means, whether to
escape. ``compile_template`` does that work once. It asks every node of the
tree to ``compile`` itself into a ``CodeBuilder``, which collects lines of
Python; the lines become the source of a function ``render(context)``, which
``exec`` turns into a function. ``Template.render`` calls it from then on, and
``Template.source_code`` shows it::

    NodeList --node.compile(code)--> CodeBuilder --source()--> "def render(context): ..."
             --compile() + exec--> render(context) -> str

For a heading and a loop, the compiler writes this (a ``{{ }}`` is named in
a comment beside its Python, a tag by a comment above it, with its line):

>>> from tinyframe.template import Engine
>>> source = "<h1>{{ title|upper }}</h1>{% for post in posts %}<p>{{ post.title }}</p>{% endfor %}"
>>> print(Engine().from_string(source).source_code, end="")
def render(context):
    out = []
    append = out.append
    extend = out.extend
    extend((
        '<h1>',
        escape(upper(str(resolve(context, 'title', (), '')))),  # {{ title|upper }}
        '</h1>',
    ))
    # line 1: {% for post in posts %}
    loop_items = loop_values(resolve(context, 'posts', (), None))
    for post in loop_items:
        extend((
            '<p>',
            escape(lookup(post, ('title',), '')),  # {{ post.title }}
            '</p>',
        ))
    return ''.join(out)

Names bound by ``{% for %}`` and ``{% with %}`` become Python locals (``post``
above), and a loop writes them into the context only when something in its
body needs them there (see ``transparent`` in ``codebuilder.py``), so most of a compiled loop
never touches the context at all.

How a node writes its code — the compile protocol — is told in
``tinyframe.template.codebuilder``; the helpers the code calls are in
``tinyframe.template.runtime``.
"""

import itertools
import linecache
from dataclasses import dataclass, field

from tinyframe.template.codebuilder import CodeBuilder, Line, Section
from tinyframe.template.lexer import Token, TokenType
from tinyframe.template.nodes import annotate_error
from tinyframe.template.runtime import (
    HELPERS,
    REQUIRED,
    escape,
    keep_safe,
    lookup,
    loop_values,
    resolve,
    slow_lookup,
    to_text,
    unpack,
)


@dataclass
class CompiledTemplate:
    """A template's compiled ``render`` function, its source, and the way back to template lines."""

    render: object
    source: str
    filename: str
    line_map: list = field(default_factory=list)
    origin: object = None
    # The names it reads from the context, if that is all it does with it (CodeBuilder.context_names).
    context_names: frozenset | None = None

    def annotate_error(self, error: Exception, source: str | None) -> None:
        """Name the template line where ``error`` happened, found from the generated line.

        ``source`` is the template's source (for the note's excerpt), if known.
        """
        traceback = error.__traceback__
        generated_line = None
        while traceback is not None:
            if traceback.tb_frame.f_code.co_filename == self.filename:
                generated_line = traceback.tb_lineno
            traceback = traceback.tb_next
        if generated_line is None or generated_line >= len(self.line_map):
            return
        template_line = self.line_map[generated_line]
        if template_line is None:
            return
        lines = (source or "").splitlines()
        text = lines[template_line - 1] if template_line <= len(lines) else ""
        start = sum(len(line) + 1 for line in lines[: template_line - 1])
        token = Token(TokenType.TEXT, text, (start, start + len(text)), template_line)
        annotate_error(error, self.origin, token, source, debug=True)


_serial = itertools.count(1)


def compile_template(nodelist, engine, autoescape: bool = True, name: str = "<template>", origin=None) -> CompiledTemplate:
    """Compile ``nodelist`` into a Python function ``render(context) -> str``.

    Exercise 03.9. Make a ``CodeBuilder(engine, autoescape, filename=...)``
    with a filename of its own (``f"<template {name} #{next(_serial)}>"``:
    an error's traceback finds this function's frames by it) and write into
    it the function: ``def render(context):``, then, indented, ``out = []``,
    ``append = out.append`` and ``extend = out.extend`` (the names the
    nodes' code uses), then the nodes (``code.nodelist``), then ``return
    ''.join(out)``. Compile the source (``compile(source, code.filename,
    "exec")``), run it with ``exec`` in ``code.namespace`` (the helpers and
    the constants the nodes asked for); with ``engine.debug``, also put the
    source in ``linecache`` under the filename, so tracebacks show the
    generated lines. Return ``CompiledTemplate(render, source,
    code.filename, code.line_map(), origin, code.context_names())``,
    ``render`` being the function ``exec`` defined.

    Python may refuse source that is right: it allows at most 20 nested
    blocks, and eleven nested ``{% for %}`` with a ``{% cycle %}`` in each
    are more. When ``compile`` raises ``SyntaxError`` (or ``RecursionError``,
    for code nested too deep to compile), return ``interpreted(nodelist,
    source, error, code.filename, origin)`` instead: the same output, by
    walking the tree.

    >>> from tinyframe.template import Engine
    >>> template = Engine().from_string("Hi {{ name }}")
    >>> compiled = compile_template(template.nodelist, template.engine)
    >>> print(compiled.source, end="")
    def render(context):
        out = []
        append = out.append
        extend = out.extend
        extend((
            'Hi ',
            escape(resolve(context, 'name', (), '')),  # {{ name }}
        ))
        return ''.join(out)
    """
    code = CodeBuilder(engine, autoescape, filename=f"<template {name} #{next(_serial)}>")
    code.line("def render(context):")
    with code.indent():
        code.line("out = []")
        code.line("append = out.append")
        code.line("extend = out.extend")
        code.nodelist(nodelist)
        code.line("return ''.join(out)")
    source = code.source()
    try:
        exec(compile(source, code.filename, "exec"), code.namespace)
    except (SyntaxError, RecursionError) as error:
        return interpreted(nodelist, source, error, code.filename, origin)
    if engine.debug:
        # Lets tracebacks show the generated lines.
        linecache.cache[code.filename] = (len(source), None, source.splitlines(True), code.filename)
    return CompiledTemplate(code.namespace["render"], source, code.filename, code.line_map(), origin, code.context_names())


def interpreted(nodelist, source: str, error: Exception, filename: str, origin=None) -> CompiledTemplate:
    """A ``CompiledTemplate`` that renders by walking the tree, for code Python refused to compile.

    The interpreter is the reference meaning of a template, so the output is
    the same, only slower. ``source`` (shown by ``Template.source_code``) is
    the refused code under a comment that says why.

    >>> from tinyframe.template import Context, Engine
    >>> nodelist = Engine().from_string("Hi {{ name }}").nodelist
    >>> fallback = interpreted(nodelist, "...", SyntaxError("too many statically nested blocks"), "<t>")
    >>> fallback.render(Context({"name": "<b>"}))
    'Hi &lt;b&gt;'
    >>> print(fallback.source)
    # Python refused this code (too many statically nested blocks): the template is interpreted instead.
    ...
    """
    reason = getattr(error, "msg", None) or str(error)
    note = f"# Python refused this code ({reason}): the template is interpreted instead.\n"
    return CompiledTemplate(nodelist.render, note + source, filename, [], origin)


# The names compiled code and other modules import from here.
__all__ = [
    "HELPERS",
    "REQUIRED",
    "CodeBuilder",
    "CompiledTemplate",
    "Line",
    "Section",
    "compile_template",
    "escape",
    "interpreted",
    "keep_safe",
    "lookup",
    "loop_values",
    "resolve",
    "slow_lookup",
    "to_text",
    "unpack",
]
