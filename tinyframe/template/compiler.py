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
        escape(upper(resolve(context, 'title', (), ''))),  # {{ title|upper }}
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
body needs them there (see "transparent" below), so most of a compiled loop
never touches the context at all.

The compile protocol — what a node's ``compile(self, code)`` may use:

- ``code.line(text)`` writes a line of Python at the current indentation;
  ``with code.indent():`` indents the lines written inside it.
- ``code.output(expr)`` appends the value of a Python expression (text) to
  the output; ``code.output_escaped(expr)`` appends any value the way
  ``{{ }}`` does (``str()``, then escaped when auto-escaping).
- ``code.expression(filter_expression, ignore_failures=False)`` returns a
  Python expression for a ``FilterExpression``'s value (filters applied, not
  escaped), with the same rules as ``FilterExpression.resolve``.
- ``code.constant(obj, hint)`` puts any object into the function's namespace
  and returns its name; ``code.unique_name(hint)`` returns a fresh local name.
- ``code.nodelist(nodelist)`` compiles nested nodes; ``code.body(nodelist)``
  compiles them indented, as the body of the ``if`` or ``for`` just written.
- ``code.render_node(node)`` emits a call to ``node.render(context)``: what
  ``Node.compile`` does by default, so any node works compiled.
- ``code.autoescape`` is True when the output is being escaped;
  ``with code.autoescaping(False):`` changes it for the nodes compiled inside.
- ``with code.capture() as name:`` sends the output of the lines inside to a
  list called ``name``, for tags that post-process their body's text.
- ``code.bind(template_name)`` (inside ``with code.new_scope():``) makes a
  template name a Python local, returned for the node to assign.
- ``code.locals_dict(template_names)`` returns a Python dict of those names
  that are locals here, for code that hands them to something reading the
  context (``IfNode``'s fallback to the interpreter).

A node whose compiled code reads the template's names only through
``code.expression`` (or hands them on with ``code.locals_dict``) and sets
none in the context declares ``transparent = True``. A loop whose body
holds only transparent nodes keeps its names in locals; otherwise it pushes
them into the context, as the interpreter does, because a node that renders
itself looks them up there.
"""

import builtins
import functools
import itertools
import keyword
import linecache
import re
from contextlib import contextmanager
from dataclasses import dataclass, field

from tinyframe.template.base import (
    VariableDoesNotExist,
    call_if_callable,
    render_value,
    resolve_lookup,
    template_localtime,
)
from tinyframe.utils.safestring import SafeData, SafeString, mark_safe

# --- the helpers compiled code calls -------------------------------------------


class Required:
    """The ``default`` that says a missing value is an error (a filter's argument)."""

    def __repr__(self):
        return "REQUIRED"


REQUIRED = Required()


def lookup(value, bits, default=""):
    """Follow ``bits`` from a value held in a Python local; ``default`` if it fails.

    The same answer as ``resolve_lookup``, faster for the two common cases
    (a benchmark showed lookups were the largest cost of a render): a plain
    ``dict`` with the key, and an object whose type has no ``__getitem__``,
    which ``resolve_lookup`` would not subscript either, so its attribute is
    read straight away. Anything else, and any step that fails, goes to
    ``resolve_lookup`` from that step on.

    >>> lookup({"user": {"name": "ada"}}, ("user", "name")), lookup({}, ("nope",))
    ('ada', '')
    """
    try:
        if callable(value):
            value = call_if_callable(value)
        for index, bit in enumerate(bits):
            kind = type(value)
            if kind is dict and bit in value:
                value = value[bit]
            else:
                subscriptable = _subscriptable.get(kind)
                if subscriptable is None:
                    subscriptable = _subscriptable[kind] = hasattr(kind, "__getitem__")
                attribute = MISSING if subscriptable else getattr(value, bit, MISSING)
                if attribute is MISSING:
                    return slow_lookup(value, bits[index:], default)
                value = attribute
            if callable(value):
                value = call_if_callable(value)
    except Exception as error:
        # As in resolve_lookup: an exception that asks to be silent gives
        # string_if_invalid, which is "" whenever compiled code takes this path.
        if getattr(error, "silent_variable_failure", False):
            return ""
        raise
    return value


# type -> can its instances be subscripted? (asking hasattr each time costs
# an exception whenever the answer is no)
_subscriptable: dict[type, bool] = {}
MISSING = object()


def slow_lookup(value, bits, default):
    """``resolve_lookup`` of ``bits`` from ``value``, or ``default`` when it fails."""
    try:
        return resolve_lookup(value, bits)
    except VariableDoesNotExist:
        if default is REQUIRED:
            raise
        return default


def resolve(context, name, bits, default=""):
    """Look ``name`` up in the context, then follow ``bits``; ``default`` if it fails."""
    for names in reversed(context.dicts):
        if name in names:
            return lookup(names[name], bits, default)
    if default is REQUIRED:
        raise VariableDoesNotExist("Failed lookup for key [%s] in %r", (name, context))
    return default


def keep_safe(function, value, *args):
    """Apply an ``is_safe`` filter: a safe value gives a safe result (see ``apply_filter``)."""
    result = function(value, *args)
    return mark_safe(result) if isinstance(value, SafeData) else result


def escape(value) -> str:
    """The text of ``value`` in HTML: what ``{{ value }}`` outputs while auto-escaping.

    Plain ``str`` is by far the most common value, so it takes a short path:
    the five replacements ``tinyframe.utils.html.escape`` makes, without
    building a SafeString only to join it. Anything else (safe strings,
    numbers, objects with ``__html__``) goes through ``render_value``.

    >>> escape("<a href='x'>&</a>"), escape(3)
    ('&lt;a href=&#x27;x&#x27;&gt;&amp;&lt;/a&gt;', '3')
    """
    kind = type(value)
    if kind is str:
        return (
            value.replace("&", "&amp;")
            .replace("<", "&lt;")
            .replace(">", "&gt;")
            .replace('"', "&quot;")
            .replace("'", "&#x27;")
        )
    if kind is int:
        return str(value)
    return render_value(value, True)


def to_text(value) -> str:
    """The text of ``value`` when not auto-escaping: ``str()`` (after local time for datetimes)."""
    if type(value) is str:
        return value
    return render_value(value, False)


def loop_values(values) -> list | tuple:
    """What ``{% for %}`` iterates: nothing for a missing value, a list for an iterator.

    >>> loop_values(None), loop_values(iter("ab")), loop_values((1, 2))
    ([], ['a', 'b'], (1, 2))
    """
    if values is None:
        return []
    if not hasattr(values, "__len__"):
        return list(values)
    return values


def unpack(item, count: int):
    """The ``count`` values of ``item`` for ``{% for a, b in pairs %}``, or a clear error."""
    try:
        length = len(item)
    except TypeError:
        length = 1
    if length != count:
        raise ValueError(f"Need {count} values to unpack in for loop; got {length}. ")
    return item


HELPERS = {
    "lookup": lookup,
    "resolve": resolve,
    "escape": escape,
    "to_text": to_text,
    "loop_values": loop_values,
    "unpack": unpack,
    "keep_safe": keep_safe,
    "localtime": template_localtime,
    "REQUIRED": REQUIRED,
}


# --- the builder ---------------------------------------------------------------


@dataclass
class Line:
    """One line of generated Python, and the template line it came from."""

    indent: int
    text: str
    template_line: int | None


class Section:
    """A place in the generated code, kept open to be filled in later.

    A ``{% for %}`` loop only learns whether its body uses ``forloop`` after
    compiling the body; it leaves a section at the top of the loop and writes
    the ``forloop`` bookkeeping into it afterwards (or nothing at all).
    """

    def __init__(self, indent: int, template_line: int | None):
        self.indent = indent
        self.template_line = template_line
        self.lines: list[Line] = []

    def line(self, text: str, indent: int = 0) -> None:
        self.lines.append(Line(self.indent + indent, text, self.template_line))


class CodeBuilder:
    """Collects the lines of a generated function and the namespace it runs in."""

    def __init__(self, engine, autoescape: bool = True, filename: str = "<template>"):
        self.engine = engine
        self.autoescape = autoescape
        self.filename = filename
        self.lines: list = []  # Line and Section objects, in order
        self.indent_level = 0
        self.namespace: dict = dict(HELPERS)
        self.template_line: int | None = None
        self.scope: dict[str, str] = {}  # template name -> Python local
        self.used_locals: set[str] = set()
        self._pending: list[tuple[str, int | None]] = []  # outputs not yet written
        self._constants: dict[int, str] = {}
        self._taken = set(HELPERS) | set(dir(builtins)) | set(keyword.kwlist)
        self._taken |= {"context", "out", "append", "extend"}
        self._out = "out"
        # Non-empty string_if_invalid changes what a missing value gives
        # before and after filters; compiled code then asks each
        # FilterExpression to resolve itself, through the context.
        self.fast_lookups = not engine.string_if_invalid

    # Writing lines.

    def line(self, text: str) -> None:
        """Write one line of Python at the current indentation."""
        self.flush_output()
        self.lines.append(Line(self.indent_level, text, self.template_line))

    @contextmanager
    def indent(self):
        """Indent the lines written inside the block (the body of an ``if``, ``for``, ``def``)."""
        self.flush_output()
        self.indent_level += 1
        try:
            yield
        finally:
            self.flush_output()
            self.indent_level -= 1

    def section(self) -> Section:
        """Reserve a place here for lines written later (see ``Section``)."""
        self.flush_output()
        section = Section(self.indent_level, self.template_line)
        self.lines.append(section)
        return section

    def output(self, expression: str, comment: str = "") -> None:
        """Append the value of ``expression`` (a Python expression giving text) to the output.

        Consecutive outputs are written as one ``extend((...))``: one call
        instead of one per piece. ``comment`` is shown after the expression.
        """
        if comment:
            expression = f"{expression},  # {comment}"
        else:
            expression = f"{expression},"
        self._pending.append((expression, self.template_line))

    def output_escaped(self, expression: str, comment: str = "") -> None:
        """Append any value as ``{{ }}`` does: escaped if auto-escaping, as text otherwise."""
        self.output(f"escape({expression})" if self.autoescape else f"to_text({expression})", comment)

    def flush_output(self) -> None:
        """Write the pending outputs as one ``append`` or ``extend`` line."""
        pending, self._pending = self._pending, []
        if not pending:
            return
        if len(pending) == 1:
            # "x,  # comment" -> "append(x)  # comment"
            expression, template_line = pending[0]
            value, _, comment = expression.partition(",  # ")
            if not comment:
                value = value.removesuffix(",")
            text = f"{self._target('append')}({value})" + (f"  # {comment}" if comment else "")
            self.lines.append(Line(self.indent_level, text, template_line))
            return
        self.lines.append(Line(self.indent_level, f"{self._target('extend')}((", pending[0][1]))
        for expression, template_line in pending:
            self.lines.append(Line(self.indent_level + 1, expression, template_line))
        self.lines.append(Line(self.indent_level, "))", pending[-1][1]))

    def _target(self, method: str) -> str:
        """``append`` / ``extend`` of the output list, or of the list capturing output."""
        return method if self._out == "out" else f"{self._out}.{method}"

    @contextmanager
    def capture(self):
        """Collect the output of the nodes compiled inside into a new list; yields its name.

        ``"".join(name)`` after the block is the captured text, for a tag such
        as ``{% spaceless %}`` that changes its body's text before output.
        """
        name = self.unique_name("captured")
        self.line(f"{name} = []")
        outer, self._out = self._out, name
        try:
            yield name
        finally:
            self.flush_output()
            self._out = outer

    # Names.

    def unique_name(self, hint: str) -> str:
        """A Python identifier not used yet in this function, based on ``hint``.

        >>> code = CodeBuilder(type("Engine", (), {"string_if_invalid": ""})())
        >>> code.unique_name("post"), code.unique_name("post"), code.unique_name("list")
        ('post', 'post_2', 'list_2')
        """
        base = "".join(char if char.isalnum() or char == "_" else "_" for char in hint).strip("_") or "value"
        base = re.sub("_+", "_", base)
        if base[0].isdigit():
            base = f"_{base}"
        name = base
        for number in itertools.count(2):
            if name not in self._taken:
                break
            name = f"{base}_{number}"
        self._taken.add(name)
        return name

    def constant(self, obj, hint: str = "constant") -> str:
        """Put ``obj`` in the generated function's namespace; return the name it has there."""
        key = id(obj)
        if key not in self._constants:
            name = self.unique_name(hint)
            self.namespace[name] = obj
            self._constants[key] = name
        return self._constants[key]

    @contextmanager
    def new_scope(self, inherit: bool = True):
        """A scope for names bound inside the block (``bind``); the outer names come back after it.

        With ``inherit=False`` the block starts with no locals: every name is
        looked up in the context (for bodies that are not transparent).
        """
        outer = self.scope
        self.scope = dict(outer) if inherit else {}
        try:
            yield
        finally:
            self.scope = outer

    def bind(self, template_name: str) -> str:
        """Make ``template_name`` a Python local in the current scope; return the local's name."""
        local = self.unique_name(template_name)
        self.scope[template_name] = local
        return local

    def locals_dict(self, template_names) -> str | None:
        """A Python dict of those ``template_names`` that are Python locals here, or None if none are.

        For code that hands names to something reading the context (the
        interpreter), which can't see the locals.
        """
        names = [name for name in template_names if name in self.scope]
        if not names:
            return None
        self.used_locals.update(self.scope[name] for name in names)
        return "{" + ", ".join(f"{name!r}: {self.scope[name]}" for name in names) + "}"

    # Expressions.

    def expression(self, filter_expression, ignore_failures: bool = False) -> str:
        """A Python expression giving the value of ``filter_expression`` (not escaped).

        A name bound by an enclosing tag is a local; any other name is looked
        up in the context. A missing value gives ``""`` (``None`` with
        ``ignore_failures``), then the filters are applied in order.
        """
        if not self.fast_lookups:
            name = self.constant(filter_expression, "expression")
            return f"{name}.resolve(context{', ignore_failures=True' if ignore_failures else ''})"
        default = "None" if ignore_failures else "''"
        expression = self.value(filter_expression.var, default) if filter_expression.is_var else self.literal(filter_expression.var)
        for function, args in filter_expression.filters:
            arguments = [
                self.value(arg, "REQUIRED") if needs_resolving else self.literal(SafeString(arg))
                for needs_resolving, arg in args
            ]
            expression = self.filter_call(function, expression, arguments)
        return expression

    def value(self, variable, default: str = "''") -> str:
        """A Python expression for a ``Variable``: a literal, a local, or a context lookup."""
        if variable.lookups is None:
            return self.literal(variable.literal)
        first, rest = variable.lookups[0], variable.lookups[1:]
        if first in self.scope:
            local = self.scope[first]
            self.used_locals.add(local)
            return f"lookup({local}, {rest!r}, {default})"
        return f"resolve(context, {first!r}, {rest!r}, {default})"

    def literal(self, value) -> str:
        """A Python expression for a constant written in the template.

        Numbers are written as they are; a string is a SafeString constant
        (the template's own text is trusted), named after its start.
        """
        if type(value) in (int, float, bool) or value is None:
            return repr(value)
        return self.constant(value, f"literal_{str(value)[:16]}")

    def filter_call(self, function, expression: str, arguments: list[str]) -> str:
        """A Python expression applying a filter to ``expression``.

        The flags a filter was registered with (see ``apply_filter``) are
        settled here, once: ``expects_localtime`` wraps the value in
        ``localtime``, ``needs_autoescape`` passes the autoescape setting,
        ``is_safe`` calls through ``keep_safe``, which keeps a safe input's
        mark on the result.
        """
        name = self.constant(function, getattr(function, "_filter_name", None) or function.__name__)
        if getattr(function, "expects_localtime", False):
            expression = f"localtime({expression})"
        keywords = [f"autoescape={self.autoescape}"] if getattr(function, "needs_autoescape", False) else []
        if getattr(function, "is_safe", False):
            if keywords:
                # keep_safe takes no keywords: bind autoescape first.
                name = self.constant(functools.partial(function, autoescape=self.autoescape), f"{name}_autoescape")
            return f"keep_safe({', '.join([name, expression, *arguments])})"
        return f"{name}({', '.join([expression, *arguments, *keywords])})"

    # Nodes.

    def nodelist(self, nodelist) -> None:
        """Compile each node of ``nodelist`` in turn, remembering its template line."""
        outer_line = self.template_line
        for node in nodelist:
            token = node.token
            if token is not None and token.lineno is not None:
                self.template_line = token.lineno
            node.compile(self)
        self.template_line = outer_line

    def body(self, nodelist) -> Section:
        """Compile ``nodelist`` indented, as the body of the statement just written.

        Returns a section at the top of the body, for lines that must run
        before the nodes' (a loop's bookkeeping) but are only known later.
        An empty body gets ``pass``: Python needs at least one statement.
        """
        with self.indent():
            top = self.section()
            start = len(self.lines)
            self.nodelist(nodelist)
            self.flush_output()
            if not any(isinstance(item, Line) for item in self.lines[start:]):
                self.line("pass")
        return top

    def comment(self, node) -> None:
        """Write a comment line showing the template line and source of ``node``."""
        if node.token is not None:
            self.line(f"# line {node.token.lineno}: {self.source_of(node)}")

    @staticmethod
    def source_of(node) -> str:
        """The template source of ``node``'s tag or variable, as written (for comments)."""
        token = node.token
        if token is None:
            return ""
        kind = token.token_type.name
        if kind == "VAR":
            return f"{{{{ {token.contents} }}}}"
        if kind == "BLOCK":
            return f"{{% {token.contents} %}}"
        return ""

    def render_node(self, node, hint: str | None = None) -> None:
        """Emit a call to ``node.render(context)``: a node that renders itself.

        The node becomes a constant named after ``hint`` (by default its class).
        """
        hint = hint or type(node).__name__.removesuffix("Node").lower() or "node"
        self.output(f"{self.constant(node, hint)}.render(context)", self.source_of(node))

    @contextmanager
    def autoescaping(self, autoescape: bool):
        """Compile the nodes inside with auto-escaping on or off (``{% autoescape %}``)."""
        outer, self.autoescape = self.autoescape, autoescape
        try:
            yield
        finally:
            self.autoescape = outer

    def is_transparent(self, nodelist) -> bool:
        """Do all of these nodes (and their children) compile to code that ignores the context?

        Then a loop around them may keep its names in Python locals; else
        the names must be in the context, where a node that renders itself
        looks them up.
        """
        if not self.fast_lookups:
            return False
        for node in nodelist:
            if not getattr(node, "transparent", False):
                return False
            for attribute in node.child_nodelists:
                children = getattr(node, attribute, None)
                if children and not self.is_transparent(children):
                    return False
        return True

    # The result.

    def source(self) -> str:
        """The generated Python source."""
        self.flush_output()
        return "".join(f"{'    ' * line.indent}{line.text}\n" for line in self._all_lines())

    def line_map(self) -> list[int | None]:
        """For each line of the source (from 1), the template line it came from."""
        return [None] + [line.template_line for line in self._all_lines()]

    def _all_lines(self):
        for item in self.lines:
            if isinstance(item, Section):
                yield from item.lines
            else:
                yield item


@dataclass
class CompiledTemplate:
    """A template's compiled ``render`` function, its source, and the way back to template lines."""

    render: object
    source: str
    filename: str
    line_map: list = field(default_factory=list)
    origin: object = None

    def annotate_error(self, error: Exception, source: str | None) -> None:
        """Name the template line where ``error`` happened, found from the generated line.

        ``source`` is the template's source (for the note's excerpt), if known.
        """
        from tinyframe.template.base import Token, TokenType, annotate_error

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
    code.filename, code.line_map(), origin)``, ``render`` being the function
    ``exec`` defined.

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
    exec(compile(source, code.filename, "exec"), code.namespace)
    if engine.debug:
        # Lets tracebacks show the generated lines.
        linecache.cache[code.filename] = (len(source), None, source.splitlines(True), code.filename)
    return CompiledTemplate(code.namespace["render"], source, code.filename, code.line_map(), origin)
