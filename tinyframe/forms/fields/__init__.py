"""Form fields: each turns one submitted value into a Python value, or says what is wrong with it.

How it works: a form hands each field the value its widget read from the
request, and the field's ``clean(value)`` runs its life in three steps:

1. ``to_python(value)`` converts: ``"42"`` → ``42`` for an ``IntegerField``,
   ``"2024-02-29"`` → ``date(2024, 2, 29)`` for a ``DateField``; text that
   does not convert is a ``ValidationError`` with code ``invalid``;
2. ``validate(value)`` checks what the field knows: a required field has a
   value, a choice is one of the choices;
3. ``run_validators(value)`` runs the field's ``validators`` (lengths,
   limits, patterns), gathering all their errors into one ``ValidationError``.

The cleaned value lands in ``form.cleaned_data``; any ``ValidationError`` in
``form.errors``, with its ``code`` kept so that ``error_messages={code: text}``
can reword it. Going back, ``prepare_value`` readies a Python value for the
widget, and ``widget_attrs`` gives the widget HTML attributes (``maxlength``,
``min``, ``step``) so the browser checks the same limits first.

The fields live in modules by kind, as the names are importable from here
(``tinyframe.forms.fields.IntegerField``) and from ``tinyframe.forms``:
``base`` (Field, text, booleans), ``numeric``, ``text`` (patterns: e-mail,
URL, slug, UUID, IP address, JSON), ``temporal``, ``choice``, ``files``, and
``compound`` (fields made of fields: ComboField, MultiValueField, SplitDateTimeField).

>>> IntegerField(min_value=1).clean(" 7 ")
7
>>> IntegerField().clean("seven")
Traceback (most recent call last):
  ...
tinyframe.core.exceptions.ValidationError: ['Enter a whole number.']
"""

from tinyframe.forms.fields import base, choice, compound, files, numeric, temporal, text
from tinyframe.forms.fields.base import *  # noqa: F403
from tinyframe.forms.fields.choice import *  # noqa: F403
from tinyframe.forms.fields.choice import CallableChoiceIterator  # noqa: F401 -- importable here, as in Django
from tinyframe.forms.fields.compound import *  # noqa: F403
from tinyframe.forms.fields.files import *  # noqa: F403
from tinyframe.forms.fields.numeric import *  # noqa: F403
from tinyframe.forms.fields.temporal import *  # noqa: F403
from tinyframe.forms.fields.temporal import BaseTemporalField  # noqa: F401 -- importable here, as in Django
from tinyframe.forms.fields.text import *  # noqa: F403
from tinyframe.forms.fields.text import InvalidJSONInput, JSONString  # noqa: F401 -- importable here, as in Django

__all__ = sorted(name for module in (base, choice, compound, files, numeric, temporal, text) for name in module.__all__)
