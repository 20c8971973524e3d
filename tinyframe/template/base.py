"""The template language: from source text to a tree of nodes, and rendering it.

How it works, in the order the data flows::

    source --Lexer.tokenize--> [Token] --Parser.parse--> NodeList --render(context)--> text

1. ``Lexer.tokenize`` cuts the source at every ``{{ ... }}``, ``{% ... %}`` and
   ``{# ... #}`` into ``Token`` objects (TEXT, VAR, BLOCK, COMMENT), each knowing
   its line.
2. ``Parser.parse`` turns the tokens into a tree of ``Node`` objects: TEXT
   becomes a ``TextNode``; VAR a ``VariableNode`` holding a ``FilterExpression``
   (a ``Variable`` and its filters); BLOCK becomes whatever the tag's compile
   function (registered on a ``Library``) returns. A tag with a body, such as
   ``{% for %}``, calls ``parser.parse(("endfor",))`` to read up to its end tag.
3. ``Template`` holds the resulting ``NodeList``. ``NodeList.render(context)``
   walks the tree: each node renders itself against the ``Context`` and the
   pieces are joined. That tree-walk is the reference meaning of a template.
4. ``tinyframe.template.compiler`` turns the same tree into the source of one
   Python function, once per template; ``Template.render`` calls that function.

For example:

>>> from tinyframe.template import Context, Engine
>>> template = Engine().from_string("Hello {{ name|upper }}!")
>>> template.nodelist
[<TextNode: 'Hello '>, <VariableNode: name|upper>, <TextNode: '!'>]
>>> template.render(Context({"name": "<world>"}))
'Hello &lt;WORLD&gt;!'
"""

import datetime
import enum
import inspect
import re
from dataclasses import dataclass

from tinyframe.template.exceptions import TemplateSyntaxError
from tinyframe.utils.html import conditional_escape
from tinyframe.utils.safestring import SafeData, SafeString, mark_safe
from tinyframe.utils.suggestions import suggest
# >>> 04_signals
from tinyframe.dispatch import Signal

# Sent each time a template renders, on its own, as a parent or as an include:
# sender and template are the Template, context the Context. The test client
# listens to it to fill response.templates and response.context. Django names
# it django.test.signals.template_rendered, and tinyframe.test.signals
# re-exports it; it is defined here so that the engine never imports the test tools.
template_rendered = Signal()
# <<< 04_signals

UNKNOWN_SOURCE = "<unknown source>"

# One regular expression finds every tag. ".*?" stops at the first closing
# delimiter and "." does not match a newline, so a tag never spans lines.
tag_re = re.compile(r"({%.*?%}|{{.*?}}|{#.*?#})")


class TokenType(enum.Enum):
    """The four kinds of token: plain text and the three kinds of tag."""

    TEXT = 0
    VAR = 1
    BLOCK = 2
    COMMENT = 3


@dataclass(slots=True)
class Token:
    """One piece of a template's source: its kind, its contents and where it was.

    ``contents`` is the inside of a tag, stripped (``for post in posts``), or
    the text itself for a TEXT token. ``position`` is the ``(start, end)``
    offset in the source, for error messages.
    """

    token_type: TokenType
    contents: str
    position: tuple[int, int] | None = None
    lineno: int | None = None

    def split_contents(self) -> list[str]:
        """The tag's words, keeping quoted strings together.

        >>> Token(TokenType.BLOCK, 'include "a b.html" with x=1').split_contents()
        ['include', '"a b.html"', 'with', 'x=1']
        """
        return smart_split(self.contents)

    def __repr__(self):
        return f"<{self.token_type.name} token: {self.contents[:20]!r}>"


class Lexer:
    """Splits a template's source into tokens."""

    def __init__(self, template_string: str):
        self.template_string = template_string
        # Inside {% verbatim %}, the end tag we are waiting for ("endverbatim").
        self.verbatim: str | bool = False

    def tokenize(self) -> list[Token]:
        """Return the tokens of the source, in order, each with its line number.

        Exercise 03.2. ``tag_re.split`` with its capturing group returns text
        and tags alternately: text, tag, text, tag... (an empty string where
        two tags touch). Make a token of every non-empty piece with
        ``create_token(piece, (start, end), lineno, in_tag)``: its offsets in
        the source, its line (count the newlines as you go; the first line
        is 1) and whether it is a tag (which flips at every piece, empty or
        not).

        >>> Lexer("Hi {{ name }}!\\n{% if x %}{# note #}").tokenize()
        [<TEXT token: 'Hi '>, <VAR token: 'name'>, <TEXT token: '!\\n'>, <BLOCK token: 'if x'>, <COMMENT token: 'note'>]
        """
        tokens = []
        lineno = 1
        position = 0
        in_tag = False
        for piece in tag_re.split(self.template_string):
            if piece:
                end = position + len(piece)
                tokens.append(self.create_token(piece, (position, end), lineno, in_tag))
                lineno += piece.count("\n")
                position = end
            in_tag = not in_tag
        return tokens

    def create_token(self, token_string: str, position, lineno: int, in_tag: bool) -> Token:
        """The token for one piece of the source: a tag when ``in_tag``, else text.

        Between ``{% verbatim %}`` and its end tag every tag is kept as text,
        which is why the lexer, not the tag, has to know about verbatim.
        """
        if not in_tag:
            return Token(TokenType.TEXT, token_string, position, lineno)
        opener, content = token_string[:2], token_string[2:-2].strip()
        if self.verbatim:
            if opener != "{%" or content != self.verbatim:
                return Token(TokenType.TEXT, token_string, position, lineno)
            self.verbatim = False
        if opener == "{{":
            return Token(TokenType.VAR, content, position, lineno)
        if opener == "{#":
            return Token(TokenType.COMMENT, content, position, lineno)
        if content == "verbatim" or content.startswith("verbatim "):
            self.verbatim = f"end{content}"
        return Token(TokenType.BLOCK, content, position, lineno)


class Parser:
    """Turns tokens into a tree of nodes, calling each tag's compile function.

    ``tags`` and ``filters`` start with the engine's builtins; ``{% load %}``
    adds more from ``libraries`` (name -> ``Library``). ``command_stack``
    holds the tags whose end tag has not been seen yet, for the "Unclosed tag"
    error. ``origin`` names the template in error messages.
    """

    def __init__(self, tokens: list[Token], libraries=None, builtins=None, origin=None):
        # Reversed, so that taking the next token is a cheap pop() from the end.
        self.tokens = list(reversed(tokens))
        self.tags: dict = {}
        self.filters: dict = {}
        self.command_stack: list[tuple[str, Token]] = []
        self.libraries = libraries or {}
        for library in builtins or ():
            self.add_library(library)
        self.origin = origin
        # A place for tags to leave information for the whole template.
        self.extra_data: dict = {}

    def parse(self, parse_until=()) -> "NodeList":
        """Parse tokens into nodes until one of the tags in ``parse_until``.

        The end tag is left in the stream for the caller (a tag compile
        function) to inspect and remove with ``delete_first_token``. At the end
        of the source with ``parse_until`` still waiting: "Unclosed tag".
        """
        nodelist = NodeList()
        while self.tokens:
            token = self.next_token()
            if token.token_type is TokenType.TEXT:
                self.extend_nodelist(nodelist, TextNode(token.contents), token)
            elif token.token_type is TokenType.VAR:
                if not token.contents:
                    raise self.error(token, f"Empty variable tag on line {token.lineno}")
                try:
                    filter_expression = self.compile_filter(token.contents)
                except TemplateSyntaxError as error:
                    raise self.error(token, error)
                self.extend_nodelist(nodelist, VariableNode(filter_expression), token)
            elif token.token_type is TokenType.BLOCK:
                try:
                    command = token.contents.split()[0]
                except IndexError:
                    raise self.error(token, f"Empty block tag on line {token.lineno}") from None
                if command in parse_until:
                    self.prepend_token(token)
                    return nodelist
                self.command_stack.append((command, token))
                compile_function = self.tags.get(command)
                if compile_function is None:
                    self.invalid_block_tag(token, command, parse_until)
                try:
                    node = compile_function(self, token)
                except Exception as error:
                    raise self.error(token, error)
                self.extend_nodelist(nodelist, node, token)
                self.command_stack.pop()
        if parse_until:
            self.unclosed_block_tag(parse_until)
        return nodelist

    def skip_past(self, endtag: str) -> None:
        """Drop every token up to and including ``{% endtag %}`` (for ``{% comment %}``)."""
        while self.tokens:
            token = self.next_token()
            if token.token_type is TokenType.BLOCK and token.contents == endtag:
                return
        self.unclosed_block_tag([endtag])

    def extend_nodelist(self, nodelist: "NodeList", node: "Node", token: Token) -> None:
        """Append ``node``, remembering its token and template for error messages."""
        if node.must_be_first and nodelist.contains_nontext:
            raise self.error(token, f"{{% {token.contents} %}} must be the first tag in the template.")
        if not isinstance(node, TextNode):
            nodelist.contains_nontext = True
        node.token = token
        node.origin = self.origin
        nodelist.append(node)

    def error(self, token: Token, error) -> Exception:
        """Return ``error`` (an exception or a message) tied to ``token``.

        ``Template`` uses the token to add the template's name and line to the
        error as a note; an error already tied to a token (raised inside a
        nested tag) keeps the innermost one.
        """
        if not isinstance(error, Exception):
            error = TemplateSyntaxError(error)
        if not hasattr(error, "token"):
            error.token = token
        return error

    def invalid_block_tag(self, token: Token, command: str, parse_until=()):
        """Raise the error for a tag nobody registered (or an end tag out of place).

        A known tag close to the unknown one (``fro`` for ``for``) is suggested in a note.
        """
        if parse_until:
            expected = [f"'{name}'" for name in parse_until]
            if len(expected) > 1:
                expected = [", ".join(expected[:-1]) + " or " + expected[-1]]
            error = TemplateSyntaxError(
                f"Invalid block tag on line {token.lineno}: '{command}', expected {expected[0]}. "
                "Did you forget to register or load this tag?"
            )
        else:
            error = TemplateSyntaxError(
                f"Invalid block tag on line {token.lineno}: '{command}'. Did you forget to register or load this tag?"
            )
        suggest(error, command, [*parse_until, *self.tags])
        raise self.error(token, error)

    def unclosed_block_tag(self, parse_until):
        """Raise the error for a tag whose end tag never came."""
        command, token = self.command_stack.pop()
        raise self.error(
            token,
            f"Unclosed tag on line {token.lineno}: '{command}'. Looking for one of: {', '.join(parse_until)}.",
        )

    def next_token(self) -> Token:
        return self.tokens.pop()

    def prepend_token(self, token: Token) -> None:
        self.tokens.append(token)

    def delete_first_token(self) -> None:
        del self.tokens[-1]

    def add_library(self, library) -> None:
        """Make a library's tags and filters available to the rest of the template."""
        self.tags.update(library.tags)
        self.filters.update(library.filters)

    def compile_filter(self, token: str) -> "FilterExpression":
        """Parse ``post.title|truncatewords:5`` into a ``FilterExpression``."""
        return FilterExpression(token, self)

    def find_filter(self, filter_name: str):
        """The filter function registered as ``filter_name``, or TemplateSyntaxError."""
        try:
            return self.filters[filter_name]
        except KeyError:
            error = TemplateSyntaxError(f"Invalid filter: '{filter_name}'")
            suggest(error, filter_name, self.filters)
            raise error from None


# A word of a tag: quoted strings (with backslash escapes) stay whole, even
# when glued to other characters, as in  with title="A tale"  or  _("Hi there").
smart_split_re = re.compile(
    r"""
    (?: [^\s'"]*                                          # unquoted start
        (?: (?: "(?:[^"\\]|\\.)*" | '(?:[^'\\]|\\.)*' )   # a quoted string
            [^\s'"]*                                      # more unquoted text
        )+
    ) | \S+
    """,
    re.VERBOSE,
)


def smart_split(text: str) -> list[str]:
    """Split ``text`` on whitespace, keeping quoted strings whole.

    >>> smart_split('cycle "a b" \\'c d\\' e="f g"')
    ['cycle', '"a b"', "'c d'", 'e="f g"']
    """
    return smart_split_re.findall(text)


def unescape_string_literal(literal: str) -> str:
    """The value of a quoted template string: quotes removed, ``\\"`` unescaped.

    >>> unescape_string_literal('"say \\\\"hi\\\\""')
    'say "hi"'
    >>> unescape_string_literal("nope")
    Traceback (most recent call last):
      ...
    ValueError: Not a string literal: 'nope'
    """
    if len(literal) < 2 or literal[0] not in "\"'" or literal[-1] != literal[0]:
        raise ValueError(f"Not a string literal: {literal!r}")
    quote = literal[0]
    return literal[1:-1].replace(f"\\{quote}", quote).replace("\\\\", "\\")


class VariableDoesNotExist(Exception):
    """A lookup failed; the engine turns it into ``string_if_invalid``.

    The message is formatted only when shown: looking up a missing variable
    is common and normal, and the repr of a big object is expensive.
    """

    def __init__(self, msg: str, params=()):
        self.msg = msg
        self.params = params

    def __str__(self):
        return self.msg % self.params


def resolve_lookup(value, bits, string_if_invalid=""):
    """Follow the dotted ``bits`` from ``value``, the way templates look things up.

    Exercise 03.3. ``value`` came from the context (``post`` in
    ``post.author.name``); ``bits`` are the parts after it
    (``("author", "name")``). First, and after each step: if the value is
    callable, call it with no arguments, unless it says
    ``do_not_call_in_templates`` (use it as it is) or ``alters_data`` (use
    ``string_if_invalid``: a template must never delete a row). A call that
    needs arguments also gives ``string_if_invalid``. Each step tries, in
    order: ``value[bit]`` (a dict key; only when ``type(value)`` has
    ``__getitem__``), ``getattr(value, bit)`` (an attribute),
    ``value[int(bit)]`` (a list index). When all three fail, raise
    ``VariableDoesNotExist("Failed lookup for key [%s] in %r", (bit, value))``,
    with the bit that failed and the value it was looked up in (formatted
    only when shown, as in the last example). An exception with
    ``silent_variable_failure = True`` also gives ``string_if_invalid``.

    >>> post = {"title": "Hello", "tags": ["a", "b"], "words": "one two".split}
    >>> resolve_lookup(post, ("title",)), resolve_lookup(post, ("tags", "1"))
    ('Hello', 'b')
    >>> resolve_lookup(post, ("words", "0"))
    'one'
    >>> resolve_lookup({"title": "Hello"}, ("nope",))
    Traceback (most recent call last):
      ...
    tinyframe.template.base.VariableDoesNotExist: Failed lookup for key [nope] in {'title': 'Hello'}
    """
    try:
        value = call_if_callable(value, string_if_invalid)
        for bit in bits:
            try:
                # Ask the type, not the value: a class answers Kind[bit] through
                # __class_getitem__ (as list[int] does), which is no key lookup.
                if not hasattr(type(value), "__getitem__"):
                    raise TypeError
                value = value[bit]
            except (TypeError, AttributeError, KeyError, ValueError, IndexError):
                try:
                    value = getattr(value, bit)
                except (TypeError, AttributeError):
                    # An attribute that exists but raised AttributeError inside
                    # (a buggy property) is a bug to show, not a missing value.
                    if bit in dir(value):
                        raise
                    try:
                        value = value[int(bit)]
                    except (IndexError, ValueError, KeyError, TypeError):
                        raise VariableDoesNotExist("Failed lookup for key [%s] in %r", (bit, value)) from None
            value = call_if_callable(value, string_if_invalid)
    except Exception as error:
        if getattr(error, "silent_variable_failure", False):
            return string_if_invalid
        raise
    return value


def call_if_callable(value, string_if_invalid=""):
    """``value()`` for a callable a template may call, else ``value`` (see ``resolve_lookup``)."""
    if not callable(value) or getattr(value, "do_not_call_in_templates", False):
        return value
    if getattr(value, "alters_data", False):
        return string_if_invalid
    try:
        return value()
    except TypeError:
        # Was the TypeError ours (arguments are required) or from inside the call?
        try:
            inspect.signature(value).bind()
        except (TypeError, ValueError):
            return string_if_invalid
        raise


class Variable:
    """A variable or literal as written in a template: ``post.title``, ``"text"``, ``3``.

    A literal (a number, or a quoted string: safe, since the template author
    wrote it) is worked out once, here. Anything else is split at its dots
    into ``lookups`` and resolved against the context at render time.

    >>> Variable("post.title").lookups, Variable("'Hi'").literal, Variable("2.5").literal
    (('post', 'title'), 'Hi', 2.5)
    >>> Variable("post._secret")
    Traceback (most recent call last):
      ...
    tinyframe.template.exceptions.TemplateSyntaxError: Variables and attributes may not begin with underscores: 'post._secret'
    """

    __slots__ = ("var", "literal", "lookups")

    def __init__(self, var: str):
        if not isinstance(var, str):
            raise TypeError(f"Variable must be a string or number, got {type(var)}")
        self.var = var
        self.literal = None
        self.lookups = None
        try:
            if "." in var or "e" in var.lower():
                number = float(var)
                # "2." is a variable name followed by a dot, not a number.
                if var.endswith("."):
                    raise ValueError
                self.literal = number
            else:
                self.literal = int(var)
        except ValueError:
            try:
                self.literal = mark_safe(unescape_string_literal(var))
            except ValueError:
                if var.startswith("_") or "._" in var:
                    raise TemplateSyntaxError(
                        f"Variables and attributes may not begin with underscores: '{var}'"
                    ) from None
                self.lookups = tuple(var.split("."))

    def resolve(self, context):
        """The variable's value in ``context`` (a literal's value is itself)."""
        if self.lookups is None:
            return self.literal
        return self._resolve_lookup(context)

    def _resolve_lookup(self, context):
        """Look the first name up in the context, then follow the rest (``resolve_lookup``)."""
        first = self.lookups[0]
        try:
            value = context[first]
        except KeyError:
            raise VariableDoesNotExist("Failed lookup for key [%s] in %r", (first, context)) from None
        return resolve_lookup(value, self.lookups[1:], string_if_invalid_of(context))

    def __repr__(self):
        return f"<Variable: {self.var!r}>"

    def __str__(self):
        return self.var


def string_if_invalid_of(context) -> str:
    """The ``string_if_invalid`` of the engine rendering ``context`` ("" outside a render)."""
    template = getattr(context, "template", None)
    return template.engine.string_if_invalid if template is not None else ""


# The grammar of what goes inside {{ }}: a variable or constant, then any
# number of |filter or |filter:argument.
_constant = r"""(?:"[^"\\]*(?:\\.[^"\\]*)*"|'[^'\\]*(?:\\.[^'\\]*)*')"""
_variable = r"""(?:[\w.]+|[-+.]?\d[\d.e]*)"""
filter_re = re.compile(
    rf"""
    ^(?P<constant>{_constant})
    |^(?P<var>{_variable})
    |(?:\s*\|\s*
        (?P<filter_name>\w+)
        (?::(?:(?P<constant_arg>{_constant})|(?P<var_arg>{_variable})))?
     )
    """,
    re.VERBOSE,
)


class FilterExpression:
    """A variable and the filters applied to it, as in ``post.body|truncatewords:20``.

    Parsing finds the filter functions (an unknown name is a syntax error)
    and checks each gets as many arguments as it accepts. ``var`` is a
    ``Variable`` to look up at render time, or the value of a constant;
    ``filters`` is a list of ``(function, [(needs_resolving, argument),
    ...])``: ``(False, value)`` for a quoted constant, ``(True, Variable)``
    for anything else, resolved when rendering (a number too: its
    ``Variable`` simply returns it).

    >>> from tinyframe.template import Engine
    >>> parser = Parser([], builtins=Engine().template_builtins)
    >>> expression = FilterExpression('name|default:"anonymous"|upper', parser)
    >>> expression.resolve({}), expression.resolve({"name": "ada"})
    ('ANONYMOUS', 'ADA')
    """

    __slots__ = ("token", "filters", "var", "is_var")

    def __init__(self, token: str, parser: Parser):
        self.token = token
        filters = []
        var = None
        upto = 0
        for match in filter_re.finditer(token):
            start = match.start()
            if upto != start:
                raise TemplateSyntaxError(
                    f"Could not parse some characters: {token[:upto]}|{token[upto:start]}|{token[start:]}"
                )
            if var is None:
                if match["constant"]:
                    var = Variable(match["constant"]).resolve({})
                elif match["var"]:
                    var = Variable(match["var"])
                else:
                    raise TemplateSyntaxError(f"Could not find variable at start of {token}.")
            else:
                name = match["filter_name"]
                args = []
                if match["constant_arg"]:
                    args.append((False, Variable(match["constant_arg"]).resolve({})))
                elif match["var_arg"]:
                    args.append((True, Variable(match["var_arg"])))
                function = parser.find_filter(name)
                self.args_check(name, function, args)
                filters.append((function, args))
            upto = match.end()
        if upto != len(token):
            raise TemplateSyntaxError(f"Could not parse the remainder: '{token[upto:]}' from '{token}'")
        self.filters = filters
        self.var = var
        self.is_var = isinstance(var, Variable)

    def resolve(self, context, ignore_failures: bool = False):
        """The value: the variable looked up, then passed through each filter.

        A failed lookup gives ``None`` when ``ignore_failures`` (``{% if %}``
        wants that); otherwise the engine's ``string_if_invalid``: returned
        as it is when set, or ``""`` passed on to the filters (so that
        ``|default`` still works).
        """
        if self.is_var:
            try:
                value = self.var.resolve(context)
            except VariableDoesNotExist:
                if ignore_failures:
                    value = None
                else:
                    string_if_invalid = string_if_invalid_of(context)
                    if string_if_invalid:
                        if "%s" in string_if_invalid:
                            return string_if_invalid % self.var
                        return string_if_invalid
                    value = string_if_invalid
        else:
            value = self.var
        for function, args in self.filters:
            arguments = [arg.resolve(context) if needs_resolving else mark_safe(arg) for needs_resolving, arg in args]
            value = apply_filter(function, value, arguments, getattr(context, "autoescape", True))
        return value

    @staticmethod
    def args_check(name: str, function, provided: list) -> None:
        """Raise TemplateSyntaxError when ``function`` can't take the arguments given."""
        required, accepted = filter_arity(function)
        given = len(provided) + 1  # the value being filtered is the first argument
        if given < required or given > accepted:
            raise TemplateSyntaxError(f"{name} requires {required} arguments, {given} provided")

    def __str__(self):
        return self.token

    def __repr__(self):
        return f"<{type(self).__qualname__} {self.token!r}>"


_arity_cache: dict = {}


def filter_arity(function) -> tuple[int, int]:
    """How many positional arguments ``function`` needs, and how many it accepts.

    >>> filter_arity(lambda value, arg=None: value)
    (1, 2)
    """
    try:
        return _arity_cache[function]
    except (KeyError, TypeError):
        pass
    spec = inspect.getfullargspec(inspect.unwrap(function))
    accepted = len(spec.args)
    arity = (accepted - len(spec.defaults or ()), accepted)
    try:
        _arity_cache[function] = arity
    except TypeError:
        pass
    return arity


def apply_filter(function, value, arguments, autoescape: bool = True):
    """Call one filter the way templates do, honouring the flags it was registered with.

    ``expects_localtime``: an aware datetime is converted to local time first.
    ``needs_autoescape``: the filter is told whether output is being escaped.
    ``is_safe``: the filter promises not to add HTML, so a safe input gives a
    safe output.

    >>> def shout(value): return value.upper()
    >>> shout.is_safe = True
    >>> type(apply_filter(shout, mark_safe("<b>"), [])).__name__
    'SafeString'
    """
    if getattr(function, "expects_localtime", False):
        value = template_localtime(value)
    if getattr(function, "needs_autoescape", False):
        result = function(value, *arguments, autoescape=autoescape)
    else:
        result = function(value, *arguments)
    if getattr(function, "is_safe", False) and isinstance(value, SafeData):
        return mark_safe(result)
    return result


def template_localtime(value, use_tz: bool | None = None):
    """An aware datetime in the project's time zone (``TIME_ZONE``) when ``USE_TZ``; anything else unchanged.

    >>> template_localtime(3)
    3
    """
    if not isinstance(value, datetime.datetime) or value.tzinfo is None:
        return value
    if not getattr(value, "convert_to_local_time", True):
        return value
    from tinyframe.conf import settings

    if use_tz is None:
        use_tz = getattr(settings, "USE_TZ", False)
    if not use_tz:
        return value
    import zoneinfo

    return value.astimezone(zoneinfo.ZoneInfo(getattr(settings, "TIME_ZONE", None) or "UTC"))


def render_value(value, autoescape: bool) -> str:
    """The text a value becomes in the output: ``str()``, escaped unless safe when ``autoescape``.

    >>> render_value("<b>", True), render_value(mark_safe("<b>"), True), render_value(None, False)
    ('&lt;b&gt;', '<b>', 'None')
    """
    value = template_localtime(value)
    if autoescape:
        if not isinstance(value, str):
            # An object that knows its HTML (__html__) is asked for it;
            # anything else is made text first, then escaped.
            if hasattr(value, "__html__"):
                return value.__html__()
            value = str(value)
        return conditional_escape(value)
    return str(value)


def render_value_in_context(value, context) -> str:
    """``render_value`` with the context's auto-escaping (for tags that output values)."""
    return render_value(value, context.autoescape)


class Node:
    """One piece of a parsed template.

    Two ways to turn a node into text, with the same result:

    - ``render(context)`` returns the text: the tree-walking interpreter,
      and the meaning of the node.
    - ``compile(code)`` emits Python lines that append the text to the output
      (see ``tinyframe.template.compiler``). The default emits a call to
      ``self.render(context)``, so a custom node works in a compiled template
      without knowing about the compiler; built-in nodes emit faster code.

    ``child_nodelists`` names the attributes holding nested nodes (the body of
    a ``{% for %}``), for ``get_nodes_by_type`` and the compiler.
    """

    must_be_first = False
    child_nodelists = ("nodelist",)
    token = None
    origin = None
    # True when compile() emits code that reads the template's names only
    # through code.expression and sets none in the context: a loop around
    # the node may then keep its names in Python locals (see compiler.py).
    transparent = False

    def render(self, context) -> str:
        """The text of this node in ``context``. Subclasses must define it."""
        raise NotImplementedError(f"{type(self).__name__} must define render(context)")

    def render_annotated(self, context) -> str:
        """``render``, adding this node's template and line to an error (with ``debug``)."""
        try:
            return self.render(context)
        except Exception as error:
            template = context.template
            if template is not None and template.engine.debug:
                annotate_error(error, self.origin, self.token)
            raise

    def compile(self, code) -> None:
        """Emit Python that appends this node's text (the default: call ``render``)."""
        code.render_node(self)

    def __iter__(self):
        yield self

    def get_nodes_by_type(self, nodetype) -> list:
        """Every node of ``nodetype`` in this node and its children, depth first."""
        nodes = []
        if isinstance(self, nodetype):
            nodes.append(self)
        for attribute in self.child_nodelists:
            nodelist = getattr(self, attribute, None)
            if nodelist:
                nodes.extend(nodelist.get_nodes_by_type(nodetype))
        return nodes


class NodeList(list):
    """The nodes of a template or of a tag's body, rendered one after another."""

    # Set by the parser: has a tag or variable been seen ({% extends %} must come first)?
    contains_nontext = False

    def render(self, context) -> SafeString:
        """Render every node and join the pieces."""
        return SafeString("".join([node.render_annotated(context) for node in self]))

    def get_nodes_by_type(self, nodetype) -> list:
        nodes = []
        for node in self:
            nodes.extend(node.get_nodes_by_type(nodetype))
        return nodes


class TextNode(Node):
    """Template text outside any tag, output as it is."""

    child_nodelists = ()
    transparent = True

    def __init__(self, s: str):
        self.s = s

    def render(self, context) -> str:
        return self.s

    def render_annotated(self, context) -> str:
        # Text cannot fail, so it skips the error bookkeeping: most nodes are text.
        return self.s

    def compile(self, code) -> None:
        code.output(repr(self.s))

    def __repr__(self):
        return f"<TextNode: {self.s[:25]!r}>"


class VariableNode(Node):
    """``{{ expression }}``: the expression's value, escaped when auto-escaping."""

    child_nodelists = ()
    transparent = True

    def __init__(self, filter_expression: FilterExpression):
        self.filter_expression = filter_expression

    def render(self, context) -> str:
        return render_value_in_context(self.filter_expression.resolve(context), context)

    def compile(self, code) -> None:
        code.output_escaped(code.expression(self.filter_expression), code.source_of(self))

    def __repr__(self):
        return f"<VariableNode: {self.filter_expression}>"


@dataclass(eq=False)
class Origin:
    """Where a template came from: a file path (``name``), and the name it was asked by.

    Two origins are equal when they name the same place through the same loader,
    which is how ``{% extends %}`` recognises a template already in the chain.
    """

    name: str
    template_name: str | None = None
    loader: object = None

    def __eq__(self, other):
        return isinstance(other, Origin) and self.name == other.name and self.loader is other.loader

    def __hash__(self):
        return hash(self.name)

    def __str__(self):
        return self.name

    @property
    def loader_name(self) -> str | None:
        if self.loader is not None:
            return f"{type(self.loader).__module__}.{type(self.loader).__qualname__}"
        return None


class Template:
    """A compiled template: parse once, render many times.

    ``nodelist`` is the parsed tree. ``render`` runs the Python function the
    compiler made of it (made once, on first use, and kept);
    ``Engine(compiled=False)`` renders by walking the tree instead.
    ``source_code`` is that function's Python source, for reading.
    """

    def __init__(self, template_string, origin: Origin | None = None, name: str | None = None, engine=None):
        if engine is None:
            from tinyframe.template.engine import Engine

            engine = Engine.get_default()
        if origin is None:
            origin = Origin(UNKNOWN_SOURCE)
        self.name = name
        self.origin = origin
        self.engine = engine
        self.source = str(template_string)
        self.nodelist = self.compile_nodelist()
        self._compiled: dict = {}  # autoescape -> CompiledTemplate

    def compile_nodelist(self) -> NodeList:
        """Lex and parse the source into a NodeList, naming this template in any error."""
        tokens = Lexer(self.source).tokenize()
        parser = Parser(tokens, self.engine.template_libraries, self.engine.template_builtins, self.origin)
        try:
            nodelist = parser.parse()
        except Exception as error:
            if hasattr(error, "token"):
                annotate_error(error, self.origin, error.token, self.source, self.engine.debug)
            raise
        self.extra_data = parser.extra_data
        return nodelist

    def __iter__(self):
        for node in self.nodelist:
            yield from node

    def render(self, context) -> SafeString:
        """Render the template with ``context`` (a ``Context``)."""
        with context.render_context.push_state(self):
            if context.template is None:
                with context.bind_template(self):
                    context.template_name = self.name
                    return self._render(context)
            return self._render(context)

    def _render(self, context) -> SafeString:
        """Render without setting up the context: for ``{% extends %}`` and ``{% include %}``."""
        # >>> 04_signals
        if template_rendered.has_listeners(self):  # when nobody listens: one attribute test
            template_rendered.send(sender=self, template=self, context=context)
        # <<< 04_signals
        if not self.engine.compiled:
            return self.nodelist.render(context)
        compiled = self.compiled(context.autoescape)
        try:
            return SafeString(compiled.render(context))
        except Exception as error:
            if self.engine.debug:
                compiled.annotate_error(error, self.source)
            raise

    def compiled(self, autoescape: bool = True):
        """The ``CompiledTemplate`` for this template, made on first use.

        Auto-escaping is decided when compiling, so a template rendered both
        with and without it has one compiled function for each.
        """
        try:
            return self._compiled[autoescape]
        except KeyError:
            from tinyframe.template.compiler import compile_template

            compiled = compile_template(
                self.nodelist, self.engine, autoescape, name=self.name or self.origin.name, origin=self.origin
            )
            self._compiled[autoescape] = compiled
            return compiled

    @property
    def source_code(self) -> str:
        """The Python source this template compiles to (auto-escaping on).

        Each ``{% block %}`` compiles to a function of its own (which
        template's block renders is only known while rendering); their
        sources follow the template's.
        """
        from tinyframe.template.loader_tags import BlockNode

        sources = [self.compiled(True).source]
        for block in self.nodelist.get_nodes_by_type(BlockNode):
            compiled = block.compiled(self.engine, True)
            sources.append(f"# {{% block {block.name} %}}\n{compiled.source}")
        return "\n".join(sources)

    def __repr__(self):
        return f"<Template {self.name or self.origin.name!r}>"


def annotate_error(error: Exception, origin, token, source: str | None = None, debug: bool = False) -> None:
    """Tell ``error`` which template and line it came from, once (the innermost place wins).

    The facts go in ``error.template_debug`` (for error pages) and in a note
    that Python prints under the message: ``In template 'blog.html', line 3:
    {% fro post in posts %}``. With ``debug`` the note shows the lines around it.
    """
    if hasattr(error, "template_debug") or token is None:
        return
    name = origin.name if origin is not None else UNKNOWN_SOURCE
    if source is None and origin is not None and origin.loader is not None:
        try:
            source = origin.loader.get_contents(origin)
        except Exception:
            source = None
    line = token.lineno
    error.template_debug = {"name": name, "line": line, "message": str(error), "during": None, "source_lines": []}
    where = "a template given as a string" if name == UNKNOWN_SOURCE else f"template {name!r}"
    note = f"In {where}, line {line}"
    if source is not None and token.position is not None:
        start, end = token.position
        error.template_debug["during"] = source[start:end]
        note += f": {source[start:end]}"
    if source is not None:
        lines = source.splitlines()
        first, last = max(line - 3, 1), min(line + 2, len(lines))
        error.template_debug["source_lines"] = [(number, lines[number - 1]) for number in range(first, last + 1)]
        if debug:
            excerpt = "\n".join(
                f"{'>' if number == line else ' '} {number:4} | {text}"
                for number, text in error.template_debug["source_lines"]
            )
            note += "\n" + excerpt
    error.add_note(note)


# The "name=value" (or plain "value") words of a tag such as
# {% with total=items|length %} or {% url "archive" year=2024 %}.
kwarg_re = re.compile(r"(?:(\w+)=)?(.+)")


def token_kwargs(bits: list, parser: Parser, support_legacy: bool = False) -> dict:
    """Take the leading ``name=value`` words off ``bits``; return ``{name: FilterExpression}``.

    With ``support_legacy``, also the old ``value as name`` form (``{% with
    total as count %}``). Stops at the first word that is neither, leaving it
    and the rest in ``bits``.

    >>> from tinyframe.template import Engine
    >>> parser = Parser([], builtins=Engine().template_builtins)
    >>> bits = ["a=b", "c=1", "only"]
    >>> sorted(token_kwargs(bits, parser)), bits
    (['a', 'c'], ['only'])
    """
    if not bits:
        return {}
    match = kwarg_re.match(bits[0])
    kwarg_format = match and match[1]
    if not kwarg_format:
        if not support_legacy or len(bits) < 3 or bits[1] != "as":
            return {}
    kwargs = {}
    while bits:
        if kwarg_format:
            match = kwarg_re.match(bits[0])
            if not match or not match[1]:
                return kwargs
            key, value = match.groups()
            del bits[:1]
        else:
            if len(bits) < 3 or bits[1] != "as":
                return kwargs
            key, value = bits[2], bits[0]
            del bits[:3]
        kwargs[key] = parser.compile_filter(value)
        if bits and not kwarg_format:
            if bits[0] != "and":
                return kwargs
            del bits[:1]
    return kwargs

