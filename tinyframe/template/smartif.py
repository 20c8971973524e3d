"""The expression language of ``{% if %}``: operators with precedence, parsed top-down.

How it works: ``{% if a or b and not c == d %}`` arrives as the words
``["a", "or", "b", "and", "not", "c", "==", "d"]``. ``IfParser`` turns each
word into a token — an operator from ``OPERATORS``, or a literal — and builds
a tree with a Pratt parser (top-down operator precedence). Every operator has
a binding power (``lbp``): the tighter it binds, the higher. ``expression(rbp)``
reads one operand, then keeps absorbing operators that bind tighter than
``rbp``, so ``b and not c == d`` groups as ``b and (not (c == d))``::

    or      6          and     7          not     8  (prefix)
    in, not in  9      is, is not, ==, !=, >, >=, <, <=  10

Each node of the tree has ``eval(context)``; an operator whose evaluation
raises (``None < 1``) is False, as a condition should be. A template tag
subclasses ``IfParser`` to turn literals into template expressions
(``TemplateIfParser`` in defaulttags.py).

>>> IfParser(["a", "or", "b", "and", "not", "c"]).parse()
(or (literal 'a') (and (literal 'b') (not (literal 'c'))))
>>> IfParser([1, "<", 2, "and", 3, "in", [3]]).parse().eval({})
True
"""


class TokenBase:
    """A token of the expression; operators and literals subclass it.

    ``nud`` ("null denotation") is called when the token starts an
    expression, ``led`` ("left denotation") when it follows one.
    """

    id = None  # the operator, or "literal"
    value = None
    first = second = None
    lbp = 0

    def nud(self, parser):
        raise parser.error_class(f"Not expecting '{self.display()}' in this position in if tag.")

    def led(self, left, parser):
        raise parser.error_class(f"Not expecting '{self.display()}' as infix operator in if tag.")

    def display(self) -> str:
        """How the token is named in error messages."""
        return self.id

    def __repr__(self):
        operands = [repr(operand) for operand in (self.first, self.second) if operand is not None]
        return f"({' '.join([self.id, *operands])})"


def infix(bp: int, function):
    """An operator class taking an operand on each side, with binding power ``bp``."""

    class Operator(TokenBase):
        lbp = bp

        def led(self, left, parser):
            self.first = left
            # Parse the right side with our own power: a chain of the same
            # operator groups to the left.
            self.second = parser.expression(bp)
            return self

        def eval(self, context):
            try:
                return function(context, self.first, self.second)
            except Exception:
                # Comparing things that can't be compared is simply False.
                return False

    return Operator


def prefix(bp: int, function):
    """An operator class taking one operand on its right, with binding power ``bp``."""

    class Operator(TokenBase):
        lbp = bp

        def nud(self, parser):
            self.first = parser.expression(bp)
            self.second = None
            return self

        def eval(self, context):
            try:
                return function(context, self.first)
            except Exception:
                return False

    return Operator


OPERATORS = {
    "or": infix(6, lambda context, x, y: x.eval(context) or y.eval(context)),
    "and": infix(7, lambda context, x, y: x.eval(context) and y.eval(context)),
    "not": prefix(8, lambda context, x: not x.eval(context)),
    "in": infix(9, lambda context, x, y: x.eval(context) in y.eval(context)),
    "not in": infix(9, lambda context, x, y: x.eval(context) not in y.eval(context)),
    "is": infix(10, lambda context, x, y: x.eval(context) is y.eval(context)),
    "is not": infix(10, lambda context, x, y: x.eval(context) is not y.eval(context)),
    "==": infix(10, lambda context, x, y: x.eval(context) == y.eval(context)),
    "!=": infix(10, lambda context, x, y: x.eval(context) != y.eval(context)),
    ">": infix(10, lambda context, x, y: x.eval(context) > y.eval(context)),
    ">=": infix(10, lambda context, x, y: x.eval(context) >= y.eval(context)),
    "<": infix(10, lambda context, x, y: x.eval(context) < y.eval(context)),
    "<=": infix(10, lambda context, x, y: x.eval(context) <= y.eval(context)),
}

# Give each operator class its symbol as id, for errors, repr and the compiler.
for _key, _operator in OPERATORS.items():
    _operator.id = _key


class Literal(TokenBase):
    """An operand: a value, or (in templates) an expression to resolve."""

    id = "literal"
    lbp = 0

    def __init__(self, value):
        self.value = value

    def display(self) -> str:
        return repr(self.value)

    def nud(self, parser):
        return self

    def eval(self, context):
        return self.value

    def __repr__(self):
        return f"({self.id} {self.value!r})"


class _EndToken(TokenBase):
    """Stands after the last word, so the parser never runs off the end."""

    lbp = 0

    def nud(self, parser):
        raise parser.error_class("Unexpected end of expression in if tag.")


EndToken = _EndToken()


class IfParser:
    """Parses the words of an ``{% if %}`` tag into a tree of operators and literals."""

    error_class = ValueError

    def __init__(self, tokens):
        # "not in" and "is not" are one operator written as two words.
        mapped = []
        position = 0
        while position < len(tokens):
            token = tokens[position]
            following = tokens[position + 1] if position + 1 < len(tokens) else None
            if token == "is" and following == "not":
                token = "is not"
                position += 1
            elif token == "not" and following == "in":
                token = "not in"
                position += 1
            mapped.append(self.translate_token(token))
            position += 1
        self.tokens = mapped
        self.position = 0
        self.current_token = self.next_token()

    def translate_token(self, token):
        """An operator object for an operator word, else a literal."""
        try:
            operator = OPERATORS[token]
        except (KeyError, TypeError):
            return self.create_var(token)
        return operator()

    def next_token(self):
        """The next token, or ``EndToken`` past the end."""
        if self.position >= len(self.tokens):
            return EndToken
        token = self.tokens[self.position]
        self.position += 1
        return token

    def parse(self):
        """The whole expression as a tree; an error if words are left over."""
        result = self.expression()
        if self.current_token is not EndToken:
            raise self.error_class(f"Unused '{self.current_token.display()}' at end of if expression.")
        return result

    def expression(self, rbp: int = 0):
        """Parse an expression whose operators bind tighter than ``rbp``.

        Exercise 03.5. Take the current token and move on (``next_token``);
        its ``nud`` gives the left operand (a literal returns itself, ``not``
        parses its operand). Then, while the current token binds tighter than
        ``rbp`` (its ``lbp`` is greater), take it, move on, and let its ``led``
        combine the left side with what follows. Return the left side.
        """
        token = self.current_token
        self.current_token = self.next_token()
        left = token.nud(self)
        while rbp < self.current_token.lbp:
            token = self.current_token
            self.current_token = self.next_token()
            left = token.led(left, self)
        return left

    def create_var(self, value):
        """The literal for an operand (a template parser makes an expression of it)."""
        return Literal(value)
