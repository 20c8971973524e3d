"""Forms: HTML form data in, Python values out, and back again (chapter 09).

Everything a project uses is importable from here, as from ``django.forms``:
``forms.Form``, ``forms.CharField``, ``forms.TextInput``, ``forms.ModelForm``,
``forms.formset_factory``, ``forms.ValidationError``.
"""

from tinyframe.core.exceptions import ValidationError
from tinyframe.forms.boundfield import *  # noqa: F403
from tinyframe.forms.fields import *  # noqa: F403
from tinyframe.forms.forms import *  # noqa: F403
from tinyframe.forms.formsets import *  # noqa: F403
from tinyframe.forms.models import *  # noqa: F403
from tinyframe.forms.widgets import *  # noqa: F403
