"""The context: the names a template can see while it renders.

How it works: a ``Context`` is a stack of dicts. Looking a name up searches
from the top of the stack down; ``push()`` adds a dict on top (a tag such as
``{% for %}`` or ``{% with %}`` puts its names there) and ``pop()`` removes it,
so names set inside a tag vanish when the tag ends. The bottom dict holds the
builtins ``True``, ``False`` and ``None``.

``Context.render_context`` is a second stack, private to tags: one dict per
template being rendered, where tags keep state between renders of the same
node (``{% cycle %}``'s position, ``{% extends %}``'s blocks). ``RequestContext``
adds the names given by the context processors (``{"request": request}``...)
when a template is bound to it. ``make_context`` builds the right one from a
view's dict and request.

>>> context = Context({"name": "outer"})
>>> with context.push(name="inner"):
...     context["name"]
'inner'
>>> context["name"]
'outer'
"""

from contextlib import contextmanager
from copy import copy

# Context processors every engine runs before its own. Django runs its CSRF
# processor here; tinyframe's arrives with CSRF protection (chapter 10).
_builtin_context_processors = ()
# >>> 10_auth
_builtin_context_processors = ("tinyframe.template.context_processors.csrf",)
# <<< 10_auth


class ContextPopException(Exception):
    """``pop()`` was called more times than ``push()``."""


class ContextDict(dict):
    """The dict ``push()`` returns; as a ``with`` block it pops itself at the end."""

    def __init__(self, context, *args, **kwargs):
        super().__init__(*args, **kwargs)
        context.dicts.append(self)
        self.context = context

    def __enter__(self):
        return self

    def __exit__(self, *exc_info):
        self.context.pop()


class BaseContext:
    """A stack of dicts searched from the top: the mechanism of both contexts."""

    def __init__(self, dict_=None):
        self._reset_dicts(dict_)

    def _reset_dicts(self, value=None):
        builtins = {"True": True, "False": False, "None": None}
        self.dicts = [builtins]
        if value is not None:
            self.dicts.append(value)

    def __copy__(self):
        # The same attributes (a shallow copy) and a list of the same dicts, made directly: copy(super())
        # goes through copy's __reduce_ex__ protocol, and a page copies contexts often (every
        # inclusion tag's context.new(), the test client's record of each template rendered).
        duplicate = object.__new__(type(self))
        duplicate.__dict__.update(self.__dict__)
        duplicate.dicts = self.dicts[:]
        return duplicate

    def __repr__(self):
        return repr(self.dicts)

    def __iter__(self):
        return reversed(self.dicts)

    def push(self, *args, **kwargs) -> ContextDict:
        """Add a dict on top of the stack (from a dict, another context, or keywords)."""
        dicts = []
        for arg in args:
            if isinstance(arg, BaseContext):
                dicts += arg.dicts[1:]
            else:
                dicts.append(arg)
        return ContextDict(self, *dicts, **kwargs)

    def pop(self) -> dict:
        """Remove and return the top dict; the builtins can't be popped."""
        if len(self.dicts) == 1:
            raise ContextPopException
        return self.dicts.pop()

    def __setitem__(self, key, value):
        """Set a name in the top dict (it goes when that dict is popped)."""
        self.dicts[-1][key] = value

    def set_upward(self, key, value) -> None:
        """Set a name in the highest dict that already has it (else the top one)."""
        context = self.dicts[-1]
        for d in reversed(self.dicts):
            if key in d:
                context = d
                break
        context[key] = value

    def __getitem__(self, key):
        """The value of ``key`` in the highest dict that has it, or KeyError."""
        for d in reversed(self.dicts):
            if key in d:
                return d[key]
        raise KeyError(key)

    def __delitem__(self, key):
        """Delete ``key`` from the top dict."""
        del self.dicts[-1][key]

    def __contains__(self, key):
        return any(key in d for d in self.dicts)

    def get(self, key, otherwise=None):
        for d in reversed(self.dicts):
            if key in d:
                return d[key]
        return otherwise

    def setdefault(self, key, default=None):
        """``self[key]`` if set anywhere, else set it to ``default`` in the top dict."""
        try:
            return self[key]
        except KeyError:
            self[key] = default
        return default

    def new(self, values=None):
        """A context of the same kind and settings, with only ``values`` in it."""
        new_context = copy(self)
        new_context._reset_dicts(values)
        return new_context

    def flatten(self) -> dict:
        """One dict of every visible name (higher dicts win).

        >>> context = Context({"a": 1})
        >>> _ = context.push(a=2, b=3)
        >>> context.flatten() == {"True": True, "False": False, "None": None, "a": 2, "b": 3}
        True
        """
        flat = {}
        for d in self.dicts:
            flat.update(d)
        return flat

    def __eq__(self, other):
        """Contexts are equal when they show the same names and values."""
        if not isinstance(other, BaseContext):
            return NotImplemented
        return self.flatten() == other.flatten()


class Context(BaseContext):
    """The names a template renders with, and the settings of this render.

    ``autoescape``: escape variables' values (on by default). ``template`` is
    the outermost template being rendered, once ``render`` has started.
    """

    def __init__(self, dict_=None, autoescape: bool = True, use_l10n=None, use_tz=None):
        self.autoescape = autoescape
        self.use_l10n = use_l10n
        self.use_tz = use_tz
        self.template_name = "unknown"
        self.render_context = RenderContext()
        # Set by Template.render while this context renders a template.
        self.template = None
        super().__init__(dict_)

    @contextmanager
    def bind_template(self, template):
        """Mark ``template`` as the one being rendered, for the length of the ``with`` block."""
        self._bind(template)
        try:
            yield
        finally:
            self._unbind()

    def _bind(self, template) -> None:
        """Start rendering ``template`` (``bind_template``, and ``Template.render`` directly); subclasses add to it."""
        if self.template is not None:
            raise RuntimeError("Context is already bound to a template")
        self.template = template

    def _unbind(self) -> None:
        """Rendering is over: the end of ``bind_template``."""
        self.template = None

    def __copy__(self):
        duplicate = super().__copy__()
        duplicate.render_context = copy(self.render_context)
        return duplicate

    def update(self, other_dict) -> ContextDict:
        """Push ``other_dict`` as a new dict on top (so ``pop()`` takes it off again)."""
        if not hasattr(other_dict, "__getitem__"):
            raise TypeError("other_dict must be a mapping (dictionary-like) object.")
        if isinstance(other_dict, BaseContext):
            other_dict = other_dict.dicts[1:].pop()
        return ContextDict(self, other_dict)


class RenderContext(BaseContext):
    """Per-template state for tags, one dict per template being rendered.

    Unlike ``Context``, a lookup sees only the top dict, the current
    template's: a tag's state never leaks into an included template.
    ``template`` is the template whose dict is on top.
    """

    template = None

    def __iter__(self):
        yield from self.dicts[-1]

    def __contains__(self, key):
        return key in self.dicts[-1]

    def get(self, key, otherwise=None):
        return self.dicts[-1].get(key, otherwise)

    def __getitem__(self, key):
        return self.dicts[-1][key]

    def setdefault(self, key, default=None):
        """``self[key]`` if the current template's dict has it, else set it there to ``default``.

        The top dict's own ``setdefault``: the general one asks ``self[key]``
        and catches the KeyError, an exception on every render of a
        template that ``{% extends %}`` (its first call, for the chain's history).
        """
        return self.dicts[-1].setdefault(key, default)

    @contextmanager
    def push_state(self, template, isolated_context: bool = True):
        """Make ``template`` current, with a fresh dict unless ``isolated_context`` is False.

        ``{% extends %}`` renders its parent with ``isolated_context=False``, so
        parent and child share one dict: the blocks they both contribute to.
        (``Template.render`` does the same steps itself, with try/finally.)
        """
        initial = self.template
        self.template = template
        if isolated_context:
            self.push()
        try:
            yield
        finally:
            self.template = initial
            if isolated_context:
                self.pop()


class RequestContext(Context):
    """A context for rendering a response to ``request``, filled by context processors.

    The processors (the engine's ``context_processors`` plus ``processors``)
    each take the request and return a dict; they run when a template is bound
    to the context, so the same RequestContext can be built before the engine
    is known.
    """

    def __init__(self, request, dict_=None, processors=None, use_l10n=None, use_tz=None, autoescape=True):
        super().__init__(dict_, use_l10n=use_l10n, use_tz=use_tz, autoescape=autoescape)
        self.request = request
        self._processors = () if processors is None else tuple(processors)
        self._processors_index = len(self.dicts)
        # A placeholder for the processors' values, filled in bind_template.
        self.update({})
        # A dict of its own for names set while rendering.
        self.update({})

    def _bind(self, template) -> None:
        """Bind ``template`` and run the context processors of its engine (until ``_unbind``)."""
        super()._bind(template)
        processors = template.engine.template_context_processors + self._processors
        updates = {}
        for processor in processors:
            try:
                updates.update(processor(self.request))
            except TypeError as error:
                raise TypeError(
                    f"Context processor {processor.__qualname__} didn't return a dictionary."
                ) from error
        self.dicts[self._processors_index] = updates

    def _unbind(self) -> None:
        super()._unbind()
        self.dicts[self._processors_index] = {}

    def new(self, values=None):
        new_context = super().new(values)
        # The processors' values are added again when the new context is bound.
        if hasattr(new_context, "_processors_index"):
            del new_context._processors_index
        return new_context


def make_context(context, request=None, **kwargs) -> Context:
    """The Context to render a dict with: a RequestContext when there is a request.

    >>> make_context({"a": 1})["a"]
    1
    >>> make_context(Context())
    Traceback (most recent call last):
      ...
    TypeError: context must be a dict rather than Context.
    """
    if context is not None and not isinstance(context, dict):
        raise TypeError(f"context must be a dict rather than {type(context).__name__}.")
    if request is None:
        return Context(context, **kwargs)
    original_context = context
    context = RequestContext(request, **kwargs)
    if original_context:
        context.push(original_context)
    return context
