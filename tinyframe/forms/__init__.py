"""Forms: HTML form data in, Python values out, and back again (chapter 09).

Everything a project uses is importable from here, as from ``django.forms``:
``forms.Form``, ``forms.CharField``, ``forms.TextInput``, ``forms.ModelForm``,
``forms.formset_factory``, ``forms.ValidationError``.

How it works: the names are the ``__all__`` of the package's modules, and
each module is imported when one of its names is first asked for (a module
``__getattr__``, PEP 562), looking through the modules from the lowest layer
up: fields and widgets first, then bound fields, forms, formsets and
ModelForms. So ``from tinyframe.forms import CharField`` loads fields and
widgets and nothing above them. That matters while the chapter is being
written: every form class is made by ``DeclarativeFieldsMetaclass`` (exercise
09.1), and until it works ``forms.py`` cannot be imported — but the fields
and widgets can, and so can their tests. For a project the effect is the
same as Django's eager imports, only paid on first use.

>>> from tinyframe import forms
>>> forms.CharField is forms.fields.CharField
True
"""

import importlib

from tinyframe.core.exceptions import ValidationError

# Lowest layer first: a name is looked for in a module only when it is not in the ones before.
MODULES = ("fields", "widgets", "boundfield", "forms", "formsets", "models")


def __getattr__(name: str):
    """Import the module that offers ``name`` (or the submodule called ``name``), and keep the name here."""
    if name.startswith("__"):
        if name == "__all__":
            return ["ValidationError", *(public for module in MODULES for public in _module(module).__all__)]
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    for module_name in MODULES:
        module = _module(module_name)
        if name in module.__all__:
            value = globals()[name] = getattr(module, name)
            return value
    try:
        return importlib.import_module(f"{__name__}.{name}")
    except ModuleNotFoundError as error:
        if error.name != f"{__name__}.{name}":
            raise
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def _module(module_name: str):
    return importlib.import_module(f"{__name__}.{module_name}")
