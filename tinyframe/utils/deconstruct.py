"""``@deconstructible``: instances of a class that remember how they were made.

How it works: a migration file writes every value a field carries, so a
validator given to a field (``validators=[MinValueValidator(0)]``) must be
written back as the call that made it. Decorating its class replaces
``__new__`` with one that keeps the constructor's arguments on the instance,
and adds ``deconstruct()``, which returns them with the class's dotted path:

>>> from tinyframe.core.validators import MinValueValidator, RegexValidator
>>> MinValueValidator(0).deconstruct()
('tinyframe.core.validators.MinValueValidator', (0,), {})
>>> RegexValidator(r"^[a-z]+$", message="Lower case only").deconstruct()
('tinyframe.core.validators.RegexValidator', ('^[a-z]+$',), {'message': 'Lower case only'})

``path`` is where a migration imports the class from, when that is shorter
than where it is defined (Django's validators are written as
``django.core.validators.MinValueValidator``). A subclass deconstructs to its
own path.
"""

from importlib import import_module

__all__ = ["deconstructible"]


def deconstructible(*args, path: str | None = None):
    """Class decorator (with or without ``path=``): give instances their constructor arguments back."""

    def decorator(klass):
        def __new__(cls, *args, **kwargs):
            # object.__new__ takes no arguments; the constructor's go to __init__ as usual.
            obj = super(klass, cls).__new__(cls)
            obj._constructor_args = (args, kwargs)
            return obj

        def deconstruct(obj) -> tuple[str, tuple, dict]:
            """``(path, args, kwargs)``: the call that makes this object again."""
            if path and type(obj) is klass:
                module_name, _, name = path.rpartition(".")
            else:
                module_name, name = type(obj).__module__, type(obj).__name__
            module = import_module(module_name)
            if not hasattr(module, name):
                raise ValueError(
                    f"Could not find object {name} in {module_name}.\n"
                    "Please note that you cannot serialize things like inner classes. Please move the object into "
                    "the main module body to use migrations."
                )
            if not hasattr(obj, "_constructor_args"):
                # Made before the class was decorated (a module-level instance of the class's own module).
                raise ValueError(f"Cannot deconstruct {obj!r}: it was made before its class became deconstructible.")
            return f"{module_name}.{name}", obj._constructor_args[0], obj._constructor_args[1]

        klass.__new__ = staticmethod(__new__)
        klass.deconstruct = deconstruct
        return klass

    if not args:
        return decorator
    return decorator(*args)
