"""Lazy objects: an object made the first time anything touches it.

How it works: a ``LazyObject`` holds nothing (``empty``) until the first
attribute read, comparison, ``str()``, ``len()``... Each of those is a
method made by ``new_method_proxy``, which calls ``_setup()`` when the
object is still empty, then does the operation on the real object, kept
in ``_wrapped``. ``SimpleLazyObject(func)`` is the everyday kind: its
``_setup`` calls ``func()``, once.

Why: ``AuthenticationMiddleware`` sets ``request.user`` to one, so a
request that never looks at the user never reads the session or queries
the users table.

``tinyframe.utils.functional`` re-exports these names, where Django has them.

>>> calls = []
>>> def load():
...     calls.append("loaded")
...     return ["ada", "grace"]
>>> users = SimpleLazyObject(load)
>>> calls
[]
>>> len(users), users[0], "grace" in users, calls
(2, 'ada', True, ['loaded'])
"""

import copy
import operator

__all__ = ["LazyObject", "SimpleLazyObject", "empty", "new_method_proxy"]

# The marker of a lazy object not made yet (None could be the real value).
empty = object()


def new_method_proxy(func):
    """A method that makes the wrapped object if needed, then applies ``func`` to it."""

    def inner(self, *args):
        if (wrapped := self._wrapped) is empty:
            self._setup()
            wrapped = self._wrapped
        return func(wrapped, *args)

    inner.__name__ = getattr(func, "__name__", "inner")
    return inner


class LazyObject:
    """A stand-in for an object made later, by ``_setup`` (subclasses write it)."""

    _wrapped = None  # the class attribute, so ``self._wrapped`` works before __init__ sets it

    def __init__(self):
        self._wrapped = empty

    def __setattr__(self, name, value):
        if name == "_wrapped":
            self.__dict__["_wrapped"] = value  # the stand-in's own attribute
        else:
            if self._wrapped is empty:
                self._setup()
            setattr(self._wrapped, name, value)

    def __delattr__(self, name):
        if name == "_wrapped":
            raise TypeError("can't delete _wrapped.")
        if self._wrapped is empty:
            self._setup()
        delattr(self._wrapped, name)

    def _setup(self):
        """Make the object and store it in ``self._wrapped``."""
        raise NotImplementedError("subclasses of LazyObject must provide a _setup() method")

    def __reduce__(self):
        # Pickle the real object, not the stand-in.
        if self._wrapped is empty:
            self._setup()
        return (unpickle_lazyobject, (self._wrapped,))

    def __copy__(self):
        if self._wrapped is empty:
            return type(self)()  # still lazy: copying must not make the object
        return copy.copy(self._wrapped)

    def __deepcopy__(self, memo):
        if self._wrapped is empty:
            result = type(self)()
            memo[id(self)] = result
            return result
        return copy.deepcopy(self._wrapped, memo)

    __getattr__ = new_method_proxy(getattr)
    __str__ = new_method_proxy(str)
    __bytes__ = new_method_proxy(bytes)
    __bool__ = new_method_proxy(bool)
    __dir__ = new_method_proxy(dir)
    # isinstance(request.user, User) is True: the stand-in reports the real object's class.
    __class__ = property(new_method_proxy(operator.attrgetter("__class__")))
    __eq__ = new_method_proxy(operator.eq)
    __lt__ = new_method_proxy(operator.lt)
    __gt__ = new_method_proxy(operator.gt)
    __ne__ = new_method_proxy(operator.ne)
    __hash__ = new_method_proxy(hash)
    __getitem__ = new_method_proxy(operator.getitem)
    __setitem__ = new_method_proxy(operator.setitem)
    __delitem__ = new_method_proxy(operator.delitem)
    __iter__ = new_method_proxy(iter)
    __len__ = new_method_proxy(len)
    __contains__ = new_method_proxy(operator.contains)


def unpickle_lazyobject(wrapped):
    """What a pickled lazy object unpickles to: the object it had made."""
    return wrapped


class SimpleLazyObject(LazyObject):
    """``SimpleLazyObject(func)``: the result of ``func()``, called the first time the object is used."""

    def __init__(self, func):
        self.__dict__["_setupfunc"] = func
        super().__init__()

    def _setup(self):
        self._wrapped = self._setupfunc()

    def __repr__(self):
        shown = self._setupfunc if self._wrapped is empty else self._wrapped
        return f"<{type(self).__name__}: {shown!r}>"

    def __copy__(self):
        if self._wrapped is empty:
            return SimpleLazyObject(self._setupfunc)
        return copy.copy(self._wrapped)

    def __deepcopy__(self, memo):
        if self._wrapped is empty:
            result = SimpleLazyObject(self._setupfunc)
            memo[id(self)] = result
            return result
        return copy.deepcopy(self._wrapped, memo)
