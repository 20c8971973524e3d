"""Libraries: how filters and tags are registered, and so how the language grows.

How it works: a ``Library`` is two dicts, ``filters`` (name -> function) and
``tags`` (name -> compile function). A templatetags module makes one, called
``register``, and fills it with decorators::

    register = Library()

    @register.filter(is_safe=True)
    def shout(value):
        return value.upper()

    @register.simple_tag
    def greet(name, punctuation="!"):
        return f"Hello {name}{punctuation}"

The engine's ``builtins`` libraries are loaded into every template; others
are named in the engine's ``libraries`` and loaded with ``{% load name %}``.
``Parser`` copies a library's dicts into its own. The most general tag is a
compile function ``(parser, token) -> Node`` (``tag``); ``simple_tag``,
``simple_block_tag`` (a tag with a body) and ``inclusion_tag`` write the
compile function and the Node for a plain Python function, parsing its
arguments with ``parse_bits``.
"""

import functools
import keyword
from collections.abc import Iterable
from importlib import import_module
from inspect import getfullargspec, unwrap

from tinyframe.template.base import Node, Template, token_kwargs
from tinyframe.template.exceptions import TemplateSyntaxError
from tinyframe.utils.html import conditional_escape
from tinyframe.utils.safestring import mark_safe


class InvalidTemplateLibrary(Exception):
    """A module named as a template library can't be imported or has no ``register``."""


def split_target_var(bits: list[str]) -> tuple[list[str], str | None]:
    """A tag's words without a final ``as name``, and that name (``None`` when there is none).

    >>> split_target_var(["post", "as", "card"]), split_target_var(["post"])
    ((['post'], 'card'), (['post'], None))
    """
    if len(bits) >= 2 and bits[-2] == "as":
        return bits[:-2], bits[-1]
    return bits, None


class Library:
    """A collection of filters and tags, registered with its decorators."""

    def __init__(self):
        self.filters: dict = {}
        self.tags: dict = {}

    def tag(self, name=None, compile_function=None):
        """Register a tag's compile function ``(parser, token) -> Node``.

        Usable as ``@register.tag``, ``@register.tag()``, ``@register.tag("name")``
        or ``register.tag("name", function)``.
        """
        if name is None and compile_function is None:
            return self.tag_function
        if name is not None and compile_function is None:
            if callable(name):
                return self.tag_function(name)

            def decorator(function):
                return self.tag(name, function)

            return decorator
        if name is not None and compile_function is not None:
            self.tags[name] = compile_function
            return compile_function
        raise ValueError(f"Unsupported arguments to Library.tag: ({name!r}, {compile_function!r})")

    def tag_function(self, function):
        """Register ``function`` as a tag under its own name."""
        self.tags[function.__name__] = function
        return function

    def filter(self, name=None, filter_func=None, **flags):
        """Register a filter, with its flags (``is_safe``, ``needs_autoescape``, ``expects_localtime``).

        Usable as ``@register.filter``, ``@register.filter(is_safe=True)``,
        ``@register.filter("name")`` or ``register.filter("name", function)``.

        >>> register = Library()
        >>> @register.filter(is_safe=True)
        ... def shout(value):
        ...     return value.upper()
        >>> register.filters["shout"] is shout, shout.is_safe
        (True, True)
        """
        if name is None and filter_func is None:

            def decorator(function):
                return self.filter_function(function, **flags)

            return decorator
        if name is not None and filter_func is None:
            if callable(name):
                return self.filter_function(name, **flags)

            def decorator(function):
                return self.filter(name, function, **flags)

            return decorator
        if name is not None and filter_func is not None:
            self.filters[name] = filter_func
            for attribute in ("expects_localtime", "is_safe", "needs_autoescape"):
                if attribute in flags:
                    value = flags[attribute]
                    setattr(filter_func, attribute, value)
                    # A filter wrapped by a decorator: flag the original too.
                    if hasattr(filter_func, "_decorated_function"):
                        setattr(filter_func._decorated_function, attribute, value)
            filter_func._filter_name = name
            return filter_func
        raise ValueError(f"Unsupported arguments to Library.filter: ({name!r}, {filter_func!r})")

    def filter_function(self, function, **flags):
        """Register ``function`` as a filter under its own name."""
        return self.filter(function.__name__, function, **flags)

    def simple_tag(self, func=None, takes_context=None, name=None):
        """Register a function as a tag whose arguments are template expressions.

        Exercise 03.8. ``{% greet user.name punctuation="?" %}`` calls
        ``greet(<value of user.name>, punctuation="?")`` and outputs the result
        (escaped when auto-escaping); ``{% greet user.name as greeting %}``
        stores it in the context instead. Usable bare (``@register.simple_tag``)
        or called (``@register.simple_tag(takes_context=True, name="hi")``):
        check whether ``func`` is given; anything else (``simple_tag("x")``)
        raises ``ValueError("Invalid arguments provided to simple_tag")``.
        Register, under ``name`` or the function's own name, a compile
        function that splits the token (``token.split_contents()[1:]``),
        takes a trailing ``as name`` off, checks and parses the rest with
        ``parse_bits`` (given the tag's name, it raises the syntax errors:
        "'greet' received too many positional arguments"), and returns a
        ``SimpleNode``. Return the function itself, so it stays callable.

        >>> from tinyframe.template import Context, Engine
        >>> register = Library()
        >>> @register.simple_tag
        ... def greet(name, punctuation="!"):
        ...     return f"Hello <{name}>{punctuation}"
        >>> engine = Engine(libraries={"greetings": register})
        >>> engine.from_string('{% load greetings %}{% greet "Ada" punctuation="?" %}').render(Context())
        'Hello &lt;Ada&gt;?'
        """

        def dec(function):
            params, varargs, varkw, defaults, kwonly, kwonly_defaults, _ = getfullargspec(unwrap(function))
            function_name = name or function.__name__

            @functools.wraps(function)
            def compile_func(parser, token):
                bits = token.split_contents()[1:]
                target_var = None
                if len(bits) >= 2 and bits[-2] == "as":
                    target_var = bits[-1]
                    bits = bits[:-2]
                args, kwargs = parse_bits(
                    parser, bits, params, varargs, varkw, defaults, kwonly, kwonly_defaults, takes_context,
                    function_name,
                )
                return SimpleNode(function, takes_context, args, kwargs, target_var)

            self.tag(function_name, compile_func)
            return function

        if func is None:
            # @register.simple_tag(...)
            return dec
        if callable(func):
            # @register.simple_tag
            return dec(func)
        raise ValueError("Invalid arguments provided to simple_tag")

    def simple_block_tag(self, func=None, takes_context=None, name=None, end_name=None):
        """Register a function as a tag with a body, which it gets rendered, as its ``content`` argument.

        ``{% card "News" %}<p>{{ text }}</p>{% endcard %}`` renders the body,
        then calls ``card(<the body's text>, "News")`` and outputs the result
        as ``simple_tag`` does (escaped when auto-escaping; the body's text is
        safe already), or stores it with ``as name``. The function's first
        parameter must be ``content`` — its second, after ``context``, with
        ``takes_context`` — and the tag's words fill the ones after it. The
        body ends at ``end<name>``, or at ``end_name`` when given.

        >>> from tinyframe.template import Context, Engine
        >>> from tinyframe.utils.html import format_html
        >>> register = Library()
        >>> @register.simple_block_tag
        ... def card(content, title):
        ...     return format_html("<section><h2>{}</h2>{}</section>", title, content)
        >>> engine = Engine(libraries={"cards": register})
        >>> template = engine.from_string('{% load cards %}{% card "News" %}<p>{{ text }}</p>{% endcard %}')
        >>> template.render(Context({"text": "A & B"}))
        '<section><h2>News</h2><p>A &amp; B</p></section>'
        """

        def dec(function):
            params, varargs, varkw, defaults, kwonly, kwonly_defaults, _ = getfullargspec(unwrap(function))
            function_name = name or function.__name__
            closing_tag = end_name or f"end{function_name}"

            @functools.wraps(function)
            def compile_func(parser, token):
                # Checked when the tag is used, as Django does.
                content_index = 1 if takes_context else 0
                if params[content_index : content_index + 1] != ["content"]:
                    if takes_context:
                        raise TemplateSyntaxError(
                            f"{function_name!r} is decorated with takes_context=True so it must have a first "
                            "argument of 'context' and a second argument of 'content'"
                        )
                    raise TemplateSyntaxError(f"'{function_name}' must have a first argument of 'content'")
                # The tag's words fill the parameters other than content.
                tag_params = params[:content_index] + params[content_index + 1 :]
                bits, target_var = split_target_var(token.split_contents()[1:])
                nodelist = parser.parse((closing_tag,))
                parser.delete_first_token()
                args, kwargs = parse_bits(
                    parser, bits, tag_params, varargs, varkw, defaults, kwonly, kwonly_defaults, takes_context,
                    function_name,
                )
                return SimpleBlockNode(nodelist, function, takes_context, args, kwargs, target_var)

            self.tag(function_name, compile_func)
            return function

        if func is None:
            # @register.simple_block_tag(...)
            return dec
        if callable(func):
            # @register.simple_block_tag
            return dec(func)
        raise ValueError("Invalid arguments provided to simple_block_tag")

    def inclusion_tag(self, filename, func=None, takes_context=None, name=None):
        """Register a function whose returned dict renders the template ``filename``.

        ``{% show_comments post %}`` calls ``show_comments(post)`` and renders
        ``filename`` with the dict it returns (a new context: the page's
        names are not visible unless ``takes_context`` passes them on).
        """

        def dec(function):
            params, varargs, varkw, defaults, kwonly, kwonly_defaults, _ = getfullargspec(unwrap(function))
            function_name = name or function.__name__

            @functools.wraps(function)
            def compile_func(parser, token):
                bits = token.split_contents()[1:]
                args, kwargs = parse_bits(
                    parser, bits, params, varargs, varkw, defaults, kwonly, kwonly_defaults, takes_context,
                    function_name,
                )
                return InclusionNode(function, takes_context, args, kwargs, filename)

            self.tag(function_name, compile_func)
            return function

        return dec


class TagHelperNode(Node):
    """What simple and inclusion tags share: resolving their arguments at render time."""

    child_nodelists = ()

    def __init__(self, func, takes_context, args, kwargs):
        self.func = func
        self.takes_context = takes_context
        self.args = args
        self.kwargs = kwargs

    def get_resolved_arguments(self, context) -> tuple[list, dict]:
        """The arguments' values (with the context first for ``takes_context``)."""
        resolved_args = [argument.resolve(context) for argument in self.args]
        if self.takes_context:
            resolved_args = [context, *resolved_args]
        resolved_kwargs = {key: value.resolve(context) for key, value in self.kwargs.items()}
        return resolved_args, resolved_kwargs


class SimpleNode(TagHelperNode):
    """A ``simple_tag``: call the function, output (or store) what it returns."""

    def __init__(self, func, takes_context, args, kwargs, target_var):
        super().__init__(func, takes_context, args, kwargs)
        self.target_var = target_var
        # A tag that neither sees the context nor sets a name in it can be
        # compiled to a plain call, and loops around it stay fast.
        self.transparent = not takes_context and target_var is None and all(
            key.isidentifier() and not keyword.iskeyword(key) for key in kwargs
        )

    def render(self, context) -> str:
        resolved_args, resolved_kwargs = self.get_resolved_arguments(context)
        output = self.func(*resolved_args, **resolved_kwargs)
        if self.target_var is not None:
            context[self.target_var] = output
            return ""
        if context.autoescape:
            output = conditional_escape(output)
        return output

    def compile(self, code) -> None:
        if not self.transparent:
            code.render_node(self)
            return
        arguments = self.compile_arguments(code)
        call = f"{code.constant(self.func, self.func.__name__)}({', '.join(arguments)})"
        if code.autoescape:
            call = f"{code.constant(conditional_escape, 'conditional_escape')}({call})"
        code.output(call, code.source_of(self))


    def compile_arguments(self, code) -> list[str]:
        """Python expressions for the function's arguments, positional then ``name=value``."""
        arguments = [code.expression(argument) for argument in self.args]
        arguments += [f"{key}={code.expression(value)}" for key, value in self.kwargs.items()]
        return arguments


class SimpleBlockNode(SimpleNode):
    """A ``simple_block_tag``: render the body, then call the function with it as ``content``."""

    child_nodelists = ("nodelist",)

    def __init__(self, nodelist, func, takes_context, args, kwargs, target_var):
        super().__init__(func, takes_context, args, kwargs, target_var)
        self.nodelist = nodelist

    def get_resolved_arguments(self, context) -> tuple[list, dict]:
        resolved_args, resolved_kwargs = super().get_resolved_arguments(context)
        # content comes after the context, before the tag's own arguments.
        resolved_args.insert(1 if self.takes_context else 0, self.nodelist.render(context))
        return resolved_args, resolved_kwargs

    def compile_arguments(self, code) -> list[str]:
        # The body is compiled in place, its output collected into a list.
        with code.capture() as captured:
            code.nodelist(self.nodelist)
        content = f"{code.constant(mark_safe, 'mark_safe')}(''.join({captured}))"
        return [content, *super().compile_arguments(code)]


class InclusionNode(TagHelperNode):
    """An ``inclusion_tag``: render its template with the dict the function returns."""

    def __init__(self, func, takes_context, args, kwargs, filename):
        super().__init__(func, takes_context, args, kwargs)
        self.filename = filename

    def render(self, context) -> str:
        resolved_args, resolved_kwargs = self.get_resolved_arguments(context)
        values = self.func(*resolved_args, **resolved_kwargs)
        # Load the template once per render, not once per call in a loop.
        template = context.render_context.get(self)
        if template is None:
            if isinstance(self.filename, Template):
                template = self.filename
            elif isinstance(getattr(self.filename, "template", None), Template):
                template = self.filename.template
            elif not isinstance(self.filename, str) and isinstance(self.filename, Iterable):
                template = context.template.engine.select_template(self.filename)
            else:
                template = context.template.engine.get_template(self.filename)
            context.render_context[self] = template
        new_context = context.new(values)
        # The CSRF token is the one name an included form always needs.
        csrf_token = context.get("csrf_token")
        if csrf_token is not None:
            new_context["csrf_token"] = csrf_token
        return template.render(new_context)


def parse_bits(parser, bits, params, varargs, varkw, defaults, kwonly, kwonly_defaults, takes_context, name):
    """Parse a tag's words into positional and keyword FilterExpressions for ``name``'s function.

    Checks them against the function's signature at parse time, so a wrong
    call is a TemplateSyntaxError naming the tag, not an error while rendering.
    """
    if takes_context:
        if params and params[0] == "context":
            params = params[1:]
        else:
            raise TemplateSyntaxError(
                f"'{name}' is decorated with takes_context=True so it must have a first argument of 'context'"
            )
    args = []
    kwargs = {}
    unhandled_params = list(params)
    unhandled_kwargs = [kwarg for kwarg in kwonly if not kwonly_defaults or kwarg not in kwonly_defaults]
    for bit in bits:
        kwarg = token_kwargs([bit], parser)
        if kwarg:
            param, value = kwarg.popitem()
            if param not in params and param not in kwonly and varkw is None:
                raise TemplateSyntaxError(f"'{name}' received unexpected keyword argument '{param}'")
            if param in kwargs:
                raise TemplateSyntaxError(f"'{name}' received multiple values for keyword argument '{param}'")
            kwargs[param] = value
            if param in unhandled_params:
                unhandled_params.remove(param)
            elif param in unhandled_kwargs:
                unhandled_kwargs.remove(param)
        else:
            if kwargs:
                raise TemplateSyntaxError(
                    f"'{name}' received some positional argument(s) after some keyword argument(s)"
                )
            args.append(parser.compile_filter(bit))
            try:
                unhandled_params.pop(0)
            except IndexError:
                if varargs is None:
                    raise TemplateSyntaxError(f"'{name}' received too many positional arguments") from None
    if defaults is not None:
        # Parameters with a default need no value.
        unhandled_params = unhandled_params[: -len(defaults)]
    if unhandled_params or unhandled_kwargs:
        missing = ", ".join(f"'{param}'" for param in unhandled_params + unhandled_kwargs)
        raise TemplateSyntaxError(f"'{name}' did not receive value(s) for the argument(s): {missing}")
    return args, kwargs


def import_library(name: str) -> Library:
    """The ``register`` Library of the module named ``name``.

    >>> import_library("tinyframe.template.loader_tags").tags["block"].__name__
    'do_block'
    """
    try:
        module = import_module(name)
    except ImportError as error:
        raise InvalidTemplateLibrary(
            f"Invalid template library specified. ImportError raised when trying to load '{name}': {error}"
        ) from error
    try:
        return module.register
    except AttributeError:
        raise InvalidTemplateLibrary(f"Module {name} does not have a variable named 'register'") from None
