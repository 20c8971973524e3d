"""Variables and filter expressions: what ``{{ post.title|upper }}`` means.

How it works, in the order the data flows::

    "post.title|upper" --FilterExpression--> Variable("post.title") + [(upper, [])]
        --resolve(context)--> context["post"] --resolve_lookup--> .title --upper--> "HELLO"

``FilterExpression`` parses what is inside ``{{ }}`` (or a tag's argument)
once, when the template is parsed: a ``Variable`` or a constant, then the
filters with their arguments, each checked against what its function
accepts. At render time ``FilterExpression.resolve`` looks the variable up
(``Variable.resolve``: the first name in the context, then
``resolve_lookup`` for the dotted rest: key, attribute, index, calling
callables on the way) and passes the value through each filter
(``apply_filter``, which honours the flags the filter was registered
with). A lookup that fails raises ``VariableDoesNotExist``, which becomes
the engine's ``string_if_invalid``.
"""

import datetime
import inspect
import re

from tinyframe.template.exceptions import TemplateSyntaxError
from tinyframe.template.lexer import unescape_string_literal
from tinyframe.utils.safestring import SafeData, mark_safe

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
    tinyframe.template.variables.VariableDoesNotExist: Failed lookup for key [nope] in {'title': 'Hello'}
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
    >>> from tinyframe.template.parser import Parser
    >>> parser = Parser([], builtins=Engine().template_builtins)
    >>> expression = FilterExpression('name|default:"anonymous"|upper', parser)
    >>> expression.resolve({}), expression.resolve({"name": "ada"})
    ('ANONYMOUS', 'ADA')
    """

    __slots__ = ("token", "filters", "var", "is_var")

    def __init__(self, token: str, parser: "Parser"):
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
