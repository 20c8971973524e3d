"""What an ``{% if %}`` condition means: evaluated by the interpreter, or written as Python.

How it works: ``smartif.IfParser`` turns the words of an ``{% if %}`` tag into
a tree of operators; ``TemplateIfParser`` is that parser with template
expressions as operands (each a ``TemplateLiteral`` around a
``FilterExpression``). The tree then has two readers:

- ``interpret_condition`` evaluates it against a context, by Django's rules
  (an operator whose operand raises is False) — what ``IfNode.render`` does;
- ``compile_condition`` writes it as one Python expression for the compiler
  (``IfNode.compile``), and ``template_names`` lists the names it reads, so
  compiled code can hand its Python locals to the interpreter when the fast
  expression raises.
"""

import operator

from tinyframe.template.base import TemplateSyntaxError, VariableDoesNotExist
from tinyframe.template.smartif import IfParser, Literal


class TemplateLiteral(Literal):
    """An operand of ``{% if %}``: a FilterExpression, resolved when evaluated."""

    def __init__(self, value, text: str):
        self.value = value
        self.text = text  # for error messages

    def display(self) -> str:
        return self.text

    def eval(self, context):
        return self.value.resolve(context, ignore_failures=True)


class TemplateIfParser(IfParser):
    """The ``{% if %}`` parser whose operands are template expressions."""

    error_class = TemplateSyntaxError

    def __init__(self, parser, *args, **kwargs):
        self.template_parser = parser
        super().__init__(*args, **kwargs)

    def create_var(self, value):
        return TemplateLiteral(self.template_parser.compile_filter(value), value)


def interpret_condition(condition, context, names: dict | None = None):
    """The value of a parsed ``{% if %}`` condition by Django's rules, as the interpreter finds it.

    An operator whose operand raises is False (``smartif``); a missing
    filter argument makes the whole condition None; any other exception of
    a bare condition is the template's error. ``names`` are values held in
    compiled code's Python locals, seen above the context.

    >>> from tinyframe.template import Context, Engine
    >>> [node] = Engine().from_string("{% if not post.words|divisibleby:0 %}{% endif %}").nodelist
    >>> interpret_condition(node.conditions_nodelists[0][0], Context(), {"post": {"words": 3}})
    False
    """
    try:
        if names:
            with context.push(names):
                return condition.eval(context)
        return condition.eval(context)
    except VariableDoesNotExist:
        return None


def compile_condition(code, condition) -> str:
    """A Python expression for a parsed ``{% if %}`` condition (see ``smartif``).

    Python's own operators: ``and``, ``or``, ``not`` short-circuit the way
    the template's do. Where the template would be False instead of raising
    (``None < 1``, an operand whose lookup or filter fails), Python raises:
    ``IfNode.compile`` catches that and asks the interpreter.

    >>> from tinyframe.template import Engine
    >>> template = Engine().from_string("{% if posts|length > 2 and not user.is_staff %}{% endif %}")
    >>> print(next(line.strip() for line in template.source_code.splitlines() if "condition =" in line))
    condition = length(resolve(context, 'posts', (), None)) > 2 and not lookup(user, ('is_staff',), None)
    """
    if condition.id == "literal":
        return code.expression(condition.value, ignore_failures=True)
    if condition.id == "not":
        return f"not {compile_condition(code, condition.first)}"
    operands = [condition.first, condition.second]
    compiled = [compile_condition(code, operand) for operand in operands]
    if condition.id in ("is", "is not") and any(is_number(operand) for operand in operands):
        # Python warns about "x is 1" (identity with a literal): call operator.is_ instead.
        function = code.constant(operator.is_ if condition.id == "is" else operator.is_not, "is_")
        return f"{function}({compiled[0]}, {compiled[1]})"
    if condition.id not in ("and", "or"):
        # A comparison. Python chains "a < b < c" where the template means
        # "(a < b) < c", and can't read "a == not b": an operand that is
        # itself an operation needs brackets.
        compiled = [text if operand.id == "literal" else f"({text})" for operand, text in zip(operands, compiled)]
    return f" {condition.id} ".join(compiled)


def is_number(operand) -> bool:
    """Is this operand a number written in the template (``1``, ``2.5``), which compiles to a Python literal?"""
    if operand.id != "literal" or operand.value.filters or not operand.value.is_var:
        return False
    return operand.value.var.lookups is None


def template_names(condition) -> list[str]:
    """The names a parsed ``{% if %}`` condition looks up in the context, in order.

    >>> from tinyframe.template import Engine
    >>> [node] = Engine().from_string("{% if post.draft or not post|add:extra %}{% endif %}").nodelist
    >>> template_names(node.conditions_nodelists[0][0])
    ['post', 'extra']
    """
    if condition.id != "literal":
        operands = [operand for operand in (condition.first, condition.second) if operand is not None]
        return list(dict.fromkeys(name for operand in operands for name in template_names(operand)))
    expression = condition.value
    variables = [expression.var] if expression.is_var else []
    variables += [argument for _, args in expression.filters for needs_resolving, argument in args if needs_resolving]
    return list(dict.fromkeys(variable.lookups[0] for variable in variables if variable.lookups is not None))
