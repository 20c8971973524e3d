"""Find a named function or class in Python source, by its qualified name.

How it works: ``find_definition`` parses the source with ``ast`` and walks down
the dotted name (``HttpHeaders.parse_header_name``) through the bodies of
classes and functions. The node it returns carries line numbers; ``span`` widens
them to include the decorators, so ``definition_source`` can cut the definition
out as text and ``replace_definition`` can swap it, leaving every other line of
the file exactly as it was; ``body_span`` and ``replace_body`` do the same for
the part of a definition a learner writes, below its docstring. Working on lines rather than regenerating code from
the tree (``ast.unparse``) is what keeps comments and formatting intact.
"""

import ast
import textwrap

Definition = ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef


class DefinitionNotFound(LookupError):
    """The source has no definition by that name."""


def find_definition(tree: ast.Module, qualname: str) -> Definition:
    """The function or class named ``qualname`` (``Class.method``, ``function``...).

    When a name is defined twice in the same body, the first wins: for a
    property that is the getter, defined before its ``@name.setter``.

    >>> tree = ast.parse("class A:\\n    class B:\\n        def f(self): pass\\n")
    >>> find_definition(tree, "A.B.f").lineno
    3
    >>> find_definition(tree, "A.g")
    Traceback (most recent call last):
      ...
    chapters.source.DefinitionNotFound: A.g
    """
    scope: ast.AST = tree
    for name in qualname.split("."):
        for node in getattr(scope, "body", []):
            if isinstance(node, Definition) and node.name == name:
                scope = node
                break
        else:
            raise DefinitionNotFound(qualname)
    return scope


def span(node: Definition) -> tuple[int, int]:
    """The first and last line (1-based, inclusive) of a definition, decorators included.

    >>> span(ast.parse("x = 1\\n@property\\ndef f(self):\\n    return 1\\n").body[1])
    (2, 4)
    """
    first = min([node.lineno, *(decorator.lineno for decorator in node.decorator_list)])
    return first, node.end_lineno


def body_span(node: Definition) -> tuple[int, int]:
    """The lines (1-based, inclusive) of a definition's body after its docstring: what a learner writes.

    The signature and the docstring above it are the exercise's instructions,
    which stay the course's. A body that follows its docstring gives
    ``first > last`` when it is empty; a definition written on one line is
    all body.

    >>> body_span(ast.parse('def f(x):\\n    "Twice x."\\n    # doubled\\n    return 2 * x\\n').body[0])
    (3, 4)
    >>> body_span(ast.parse("def f(x):\\n    return x\\n").body[0])
    (2, 2)
    """
    first_statement = node.body[0]
    if first_statement.lineno == node.lineno:
        return span(node)
    has_docstring = ast.get_docstring(node, clean=False) is not None
    first = first_statement.end_lineno + 1 if has_docstring else first_statement.lineno
    return first, node.end_lineno


def split_definition(source: str, qualname: str) -> tuple[str, str]:
    """``(instructions, body)`` of a definition: its text up to its docstring's end, and the rest.

    >>> split_definition('def f(x):\\n    "Twice x."\\n    return 2 * x\\n', "f")
    ('def f(x):\\n    "Twice x."\\n', '    return 2 * x\\n')
    """
    node = find_definition(ast.parse(source), qualname)
    first, last = span(node)
    body_first, _ = body_span(node)
    lines = source.splitlines(keepends=True)
    return "".join(lines[first - 1 : body_first - 1]), "".join(lines[body_first - 1 : last])


def replace_body(source: str, qualname: str, new_body: str) -> str:
    """``source`` with the body of ``qualname`` below its docstring replaced by ``new_body``, indented as given.

    >>> print(replace_body('def f(x):\\n    "Twice x."\\n    raise NotImplementedError\\n# end\\n',
    ...                    "f", "    return 2 * x\\n"), end="")
    def f(x):
        "Twice x."
        return 2 * x
    # end
    """
    first, last = body_span(find_definition(ast.parse(source), qualname))
    lines = source.splitlines(keepends=True)
    if new_body and not new_body.endswith("\n"):
        new_body += "\n"
    return "".join(lines[: first - 1]) + new_body + "".join(lines[last:])


def definition_source(source: str, qualname: str) -> str:
    """The text of a definition, decorators included, dedented to column 0.

    >>> print(definition_source("class A:\\n    @staticmethod\\n    def f():\\n        return 1\\n", "A.f"), end="")
    @staticmethod
    def f():
        return 1
    """
    first, last = span(find_definition(ast.parse(source), qualname))
    lines = source.splitlines(keepends=True)
    return textwrap.dedent("".join(lines[first - 1 : last]))


def replace_definition(source: str, qualname: str, new_definition: str) -> str:
    """``source`` with the definition ``qualname`` replaced by ``new_definition``.

    ``new_definition`` is given at column 0 (as ``definition_source`` returns
    it) and is indented to where the old definition stood.

    >>> print(replace_definition("class A:\\n    def f(self):\\n        return 1\\n# end\\n",
    ...                          "A.f", "def f(self):\\n    return 2\\n"), end="")
    class A:
        def f(self):
            return 2
    # end
    """
    first, last = span(find_definition(ast.parse(source), qualname))
    lines = source.splitlines(keepends=True)
    old_first_line = lines[first - 1]
    indent = old_first_line[: len(old_first_line) - len(old_first_line.lstrip())]
    if not new_definition.endswith("\n"):
        new_definition += "\n"
    replacement = textwrap.indent(new_definition, indent)
    return "".join(lines[: first - 1]) + replacement + "".join(lines[last:])
