"""The ``CodeBuilder``: where nodes write the Python a template compiles to.

How it works: ``compile_template`` (``tinyframe.template.compiler``) makes
one ``CodeBuilder`` per compiled function and asks each node to
``compile(code)`` itself into it. The builder keeps the lines (``Line``,
with the template line each came from, and ``Section``: a place filled in
later), the indentation, the names bound so far (template names that are
Python locals), the namespace the function will run in (the runtime
helpers, and the constants the nodes asked for), and a preamble: lines
above the first node, where a function that writes nothing to the context
reads names from it once (``read_once``). Consecutive outputs are
merged into one ``extend((...))``. ``source()`` is the finished Python;
``line_map()`` leads an error back to its template line.

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
import re
from contextlib import contextmanager
from dataclasses import dataclass

from tinyframe.template.runtime import HELPERS
from tinyframe.utils.safestring import SafeString

# The names every context holds in its bottom dict (see ``BaseContext``).
BUILTIN_NAMES = ("True", "False", "None")


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
        # The template names the code reads from the context; None once it hands the
        # context to something that may read any name (see hand_on_context).
        self.names_read: set[str] | None = set()
        self._pending: list[tuple[str, int | None]] = []  # outputs not yet written
        self._constants: dict[int, str] = {}
        self._taken = set(HELPERS) | set(dir(builtins)) | set(keyword.kwlist)
        self._taken |= {"context", "out", "append", "extend"}
        self._out = "out"
        # Lines before the first node (see read_once), and whether they may read
        # the context once for the whole function; set by the first nodelist().
        self.preamble: Section | None = None
        self.context_is_constant = False
        self._read_once: dict[str, str] = {}  # template name -> the local read at the top
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
        if self.names_read is not None:
            self.names_read.add(first)
        if self.context_is_constant and first in BUILTIN_NAMES and not rest:
            return self.read_once(first, f"builtin_{first}", f"resolve(context, {first!r}, (), None)")
        if self.context_is_constant and rest and default != "REQUIRED":
            # The value as stored (MISSING if absent): lookup calls a callable
            # at each use, and a step from MISSING fails, giving the default.
            local = self.read_once(first, first, f"context_value(context, {first!r})")
            return f"lookup({local}, {rest!r}, {default})"
        return f"resolve(context, {first!r}, {rest!r}, {default})"

    def read_once(self, name: str, hint: str, expression: str) -> str:
        """A local set to ``expression`` (a read of ``name`` from the context) in the preamble, once.

        In a function whose nodes write nothing to the context
        (``context_is_constant``), what the context holds cannot change
        while it runs, so one read at the top serves every use: of
        ``True``, ``False`` and ``None`` (names in the context's bottom
        dict, which a dict above may shadow), as in ``{% if value is not
        False %}`` inside a loop over a widget's attributes; and of a name
        followed by dotted steps (``field.label``), whose steps are still
        followed, and callables called, at each use. A bare ``{{ name }}``
        and a filter's argument (which must raise when missing) still call
        ``resolve``.
        """
        if name not in self._read_once:
            if not self._read_once:
                self.preamble.line("# Read from the context once: nothing below writes to it")
            self._read_once[name] = self.unique_name(hint)
            self.preamble.line(f"{self._read_once[name]} = {expression}")
        return self._read_once[name]

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
        mark on the result. And a ``stringfilter``'s wrapper is settled too:
        the code calls ``str()`` and then the function inside, which is all
        the wrapper did besides what ``keep_safe`` does (see ``stringfilter``).
        """
        hint = getattr(function, "_filter_name", None) or function.__name__
        if getattr(function, "expects_localtime", False):
            expression = f"localtime({expression})"
        keywords = [f"autoescape={self.autoescape}"] if getattr(function, "needs_autoescape", False) else []
        is_safe = getattr(function, "is_safe", False)
        inside = getattr(function, "_decorated_function", None)
        if inside is not None and getattr(function, "__wrapped__", None) is inside:
            function, expression = inside, f"str({expression})"
        name = self.constant(function, hint)
        if is_safe:
            if keywords:
                # keep_safe takes no keywords: bind autoescape first.
                name = self.constant(functools.partial(function, autoescape=self.autoescape), f"{name}_autoescape")
            return f"keep_safe({', '.join([name, expression, *arguments])})"
        return f"{name}({', '.join([expression, *arguments, *keywords])})"

    # Nodes.

    def nodelist(self, nodelist) -> None:
        """Compile each node of ``nodelist`` in turn, remembering its template line.

        The first call compiles the function's own nodes: it reserves the
        preamble, for lines that must run before them (see ``read_once``).
        """
        if self.preamble is None:
            self.preamble = self.section()
            self.context_is_constant = self.is_transparent(nodelist)
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
        self.hand_on_context()
        self.output(f"{self.constant(node, hint)}.render(context)", self.source_of(node))

    def hand_on_context(self) -> None:
        """Note that the code gives the context to something that may read any name in it.

        ``render_node`` notes it (a node that renders itself), and so does an
        ``{% include %}`` (the included template): after that, which names
        the code reads can no longer be told (``context_names``).
        """
        self.names_read = None

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

    def context_names(self) -> frozenset | None:
        """The names the function reads from the context, when reading them is all it does with it; else None.

        Its nodes are all transparent (they set nothing in the context) and
        it hands the context to nothing else. A ``{% block %}`` whose function
        reads no ``block`` then needs no dict of its own in the context, nor
        itself in it for ``{{ block.super }}`` (see ``BlockNode.render``).
        """
        if not self.context_is_constant or self.names_read is None:
            return None
        return frozenset(self.names_read)

    def line_map(self) -> list[int | None]:
        """For each line of the source (from 1), the template line it came from."""
        return [None] + [line.template_line for line in self._all_lines()]

    def _all_lines(self):
        for item in self.lines:
            if isinstance(item, Section):
                yield from item.lines
            else:
                yield item
