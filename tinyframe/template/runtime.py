"""The helpers compiled templates call: lookups, escaping, loops.

How it works: the function ``compile_template`` writes (see
``tinyframe.template.compiler``) runs in a namespace that starts as
``HELPERS``; its code calls these by name. Each gives the same answer as
the interpreter does for the same node, only reached in fewer steps:
``resolve(context, "post", ("title",))`` is ``Variable("post.title")``
looked up in the context; ``lookup(post, ("title",))`` follows the same
bits from a value already held in a Python local (a loop variable);
``escape`` and ``to_text`` turn a value into output text, as
``render_value`` does; ``loop_values`` and ``unpack`` are what ``{% for %}``
iterates and unpacks. ``REQUIRED`` as a default means that a failed lookup
is an error (a filter's argument) rather than ``""``.

>>> from tinyframe.template import Context
>>> resolve(Context({"post": {"title": "<Hi>"}}), "post", ("title",)), escape("<Hi>")
('<Hi>', '&lt;Hi&gt;')
"""

from tinyframe.template.nodes import render_value
from tinyframe.template.variables import VariableDoesNotExist, call_if_callable, resolve_lookup, template_localtime
from tinyframe.utils.html import escape_text
from tinyframe.utils.safestring import SafeData, SafeString, mark_safe


class Required:
    """The ``default`` that says a missing value is an error (a filter's argument)."""

    def __repr__(self):
        return "REQUIRED"


REQUIRED = Required()


def lookup(value, bits, default=""):
    """Follow ``bits`` from a value held in a Python local; ``default`` if it fails.

    ``resolve_lookup``'s answer, its common cases first: a plain ``dict``
    with the key is indexed, and where subscripting cannot succeed (see
    ``INDEXED_TYPES``) the attribute is read at once; any other step goes
    to ``resolve_lookup``. The compiler calls this for one step as for several.

    >>> lookup({"user": {"name": "ada"}}, ("user", "name")), lookup({}, ("nope",)), lookup(1j, ("imag",))
    ('ada', '', 1.0)
    """
    if not bits and not callable(value):
        # {{ name }}, or value in {% if value is True %}, in a loop: most of a form's
        # lookups; 1-2% of the forms benchmark, whose margin under WTForms is no
        # wider (tests/benchmarks/forms.py, issue 14's target).
        return value
    try:
        if callable(value):
            value = call_if_callable(value)
        steps = iter(bits)
        for bit in steps:
            kind = type(value)
            if kind is dict and bit in value:
                value = value[bit]
            else:
                subscript_first = _subscript_first.get(kind)
                if subscript_first is None:
                    subscript_first = _subscript_first[kind] = (
                        hasattr(kind, "__getitem__") and kind is not dict and kind not in INDEXED_TYPES
                    )
                attribute = MISSING if subscript_first else getattr(value, bit, MISSING)
                if attribute is MISSING:
                    # This bit and the ones after it, which the iterator still holds.
                    return slow_lookup(value, (bit, *steps), default)
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


# Types whose items are numbered, never named: subscripting one with a name
# (``field["label"]``) can only raise TypeError, after which resolve_lookup
# reads the attribute; lookup reads it at once. Exact types only (a subclass
# may take names). A form's templates read about a hundred attributes of
# bound fields and error lists, and the TypeError on the way to each cost a
# tenth of rendering a form (tests/benchmarks/forms.py); tinyframe.forms adds
# BoundField and ErrorList with ``add_indexed_type``.
INDEXED_TYPES: set[type] = {list, tuple}


def add_indexed_type(kind: type) -> None:
    """Declare that ``kind``'s ``__getitem__`` refuses every name with TypeError (see ``INDEXED_TYPES``)."""
    INDEXED_TYPES.add(kind)
    _subscript_first.pop(kind, None)


# type -> must a lookup try value[bit] before the attribute? (asking hasattr
# each time costs an exception whenever the answer is no)
_subscript_first: dict[type, bool] = {}
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


def context_value(context, name):
    """What the context holds under ``name``, as stored (not called), or ``MISSING``.

    For compiled code that reads a name once and follows its dotted steps
    at each use (see ``CodeBuilder.read_once``). ``MISSING`` is an object
    without attributes: any step from it fails, and the use gets its
    default, as it would from ``resolve``.

    >>> from tinyframe.template import Context
    >>> context_value(Context({"post": {"title": "Hi"}}), "post"), context_value(Context(), "post") is MISSING
    ({'title': 'Hi'}, True)
    >>> lookup(MISSING, ("title",)), lookup(MISSING, ("author", "name"), None)
    ('', None)
    """
    for names in reversed(context.dicts):
        if name in names:
            return names[name]
    return MISSING


def keep_safe(function, value, *args):
    """Apply an ``is_safe`` filter: a safe value gives a safe result (see ``apply_filter``)."""
    result = function(value, *args)
    return mark_safe(result) if isinstance(value, SafeData) else result


def escape(value) -> str:
    """The text of ``value`` in HTML: what ``{{ value }}`` outputs while auto-escaping.

    The same as the interpreter's ``render_value(value, True)``: escaping
    itself lives in one place, ``tinyframe.utils.html``. A plain ``str`` (not
    safe, not a date, no ``__html__``) has nothing to ask first, so it goes
    straight to ``escape_text``: without that, the templates benchmark's
    render takes 23% longer (tests/benchmarks/templates.py). A
    ``SafeString`` is its own HTML, returned as it is (as ``render_value``
    would, through its ``__html__``): every rendered form field, label and
    error list arrives here as one, 1-3% of the forms benchmark, whose margin
    under WTForms is no wider (tests/benchmarks/forms.py). Anything else, a number included, goes
    through ``render_value``.

    >>> escape("<a href='x'>&</a>"), escape(3)
    ('&lt;a href=&#x27;x&#x27;&gt;&amp;&lt;/a&gt;', '3')
    """
    if type(value) is str:
        return escape_text(value)
    if type(value) is SafeString:
        return value
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
    "context_value": context_value,
    "resolve": resolve,
    "escape": escape,
    "to_text": to_text,
    "loop_values": loop_values,
    "unpack": unpack,
    "keep_safe": keep_safe,
    "localtime": template_localtime,
    "REQUIRED": REQUIRED,
}
