"""Lazy values: a function call postponed until its result is used.

How it works: ``lazy(func, str)`` returns a function that does not call
``func``; it returns a ``Promise`` holding ``func`` and the arguments. The
promise stands in for a ``str``: the moment it is used as one (``str()``,
``==``, ``+``, ``%``, an f-string, ``.upper()``...) it calls ``func`` and
acts on the result. Each use calls ``func`` again, so the value follows the
state it depends on.

Why: ``success_url = reverse_lazy("blog:index")`` in a class body, or at the
top of a URLconf, runs while URLconfs are still being imported; ``reverse()``
there would need the very patterns being defined. The lazy version waits
until the URL is needed, when everything is loaded.

>>> calls = []
>>> def shout(word):
...     calls.append(word)
...     return word.upper()
>>> greeting = lazy(shout, str)("hello")
>>> calls
[]
>>> greeting + "!", greeting == "HELLO", f"<{greeting}>", calls
('HELLO!', True, '<HELLO>', ['hello', 'hello', 'hello'])
"""

import functools

# Django has its own cached_property, written before Python 3.8 had one; the
# standard library's does the same (computed on first access, then stored on
# the instance), so tinyframe offers that one under Django's name.
from functools import cached_property

__all__ = ["Promise", "cached_property", "lazy", "lazystr"]


class Promise:
    """The base class of lazy values: ``isinstance(value, Promise)`` tells a value is not computed yet."""


def lazy(func, *resultclasses):
    """Make a lazy version of ``func``, whose results are one of ``resultclasses`` (usually ``str``)."""

    @functools.total_ordering
    class __proxy__(Promise):
        def __init__(self, args, kwargs):
            self._args = args
            self._kwargs = kwargs

        def _evaluate(self):
            return func(*self._args, **self._kwargs)

        def __str__(self):
            return str(self._evaluate())

        def __repr__(self):
            return repr(self._evaluate())

        def __format__(self, format_spec):
            return format(self._evaluate(), format_spec)

        def __eq__(self, other):
            if isinstance(other, Promise):
                other = other._evaluate()
            return self._evaluate() == other

        def __lt__(self, other):
            if isinstance(other, Promise):
                other = other._evaluate()
            return self._evaluate() < other

        def __hash__(self):
            return hash(self._evaluate())

        def __radd__(self, other):
            return other + self._evaluate()

    # Every other method of the result classes (upper, __add__, __mod__,
    # __len__, __contains__...) computes the value, then calls it on that.
    for resultclass in resultclasses:
        for klass in resultclass.__mro__:
            for name in vars(klass):
                if not hasattr(__proxy__, name) and callable(getattr(klass, name)):
                    setattr(__proxy__, name, _delegate(name))

    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        return __proxy__(args, kwargs)

    return wrapper


def _delegate(name: str):
    """A method that computes the lazy value and calls its method ``name``."""

    def method(self, *args, **kwargs):
        return getattr(self._evaluate(), name)(*args, **kwargs)

    method.__name__ = name
    return method


def lazystr(text) -> Promise:
    """``str(text)``, computed only when used: the common case of ``lazy`` for text.

    Handy where a message is built from something that is not ready yet (a
    translation, a URL) and must only become text when shown.

    >>> class Counter:
    ...     value = 0
    ...     def __str__(self):
    ...         return str(self.value)
    >>> counter = Counter()
    >>> text = lazystr(counter)
    >>> counter.value = 7
    >>> text + "!", isinstance(text, Promise)
    ('7!', True)
    """
    return _lazy_str(text)


_lazy_str = lazy(str, str)
# >>> 10_auth
from tinyframe.utils.lazy_object import LazyObject, SimpleLazyObject, empty, new_method_proxy  # noqa: E402

__all__ += ["LazyObject", "SimpleLazyObject", "empty", "new_method_proxy"]
# <<< 10_auth
