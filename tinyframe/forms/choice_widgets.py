"""Choice widgets: one value (or several) picked from a list of choices.

How it works: a ``ChoiceWidget`` holds ``choices``, a list of ``(value,
label)`` pairs where a label may itself be a list of pairs (an optgroup:
``("Audio", [("vinyl", "Vinyl"), ("cd", "CD")])``). ``get_context`` turns
them into ``optgroups``: a list of ``(group_name, options, index)`` where
each option is a small dict made by ``create_option`` (its value, label,
whether it is selected, its attrs and its own template). The widget's
template loops over the groups and includes each option's template:

- ``Select`` / ``SelectMultiple`` / ``NullBooleanSelect``: ``<select>`` with
  ``<option>`` elements (``selected``);
- ``RadioSelect`` / ``CheckboxSelectMultiple``: a ``<div>`` of labelled
  ``<input>`` elements (``checked``), each with its own id (``id_x_0``,
  ``id_x_1``... and ``id_x_0_1`` inside a group).

Submitted values come back as strings, so "selected" compares strings:
``format_value`` turns the value into a list of ``str``.
"""

import collections.abc
import copy

from tinyframe.forms.widgets import Widget

__all__ = [
    "ChoiceWidget",
    "Select",
    "NullBooleanSelect",
    "SelectMultiple",
    "RadioSelect",
    "CheckboxSelectMultiple",
]


class CallableChoiceIterator:
    """Choices given as a function: called afresh each time they are iterated (a query's current rows)."""

    def __init__(self, choices_func):
        self.choices_func = choices_func

    def __iter__(self):
        yield from normalize_choices(self.choices_func())


def normalize_choices(choices, *, nested: bool = False):
    """Choices in any of the forms Django takes, as ``[(value, label), ...]``.

    A dict gives its items, an enumeration class (``TextChoices``) its
    ``choices``, a function is called each time the choices are read, a
    generator is read once. An iterable object of another kind (a model
    choice iterator) is kept as it is, so that it stays lazy.

    >>> normalize_choices({"a": "A", "Vowels": {"e": "E"}})
    [('a', 'A'), ('Vowels', [('e', 'E')])]
    """
    if isinstance(choices, (str, bytes)):
        return choices
    if isinstance(choices, type) and hasattr(choices, "choices"):
        return choices.choices
    if isinstance(choices, collections.abc.Mapping):
        choices = choices.items()
    elif callable(choices) and not nested:
        return CallableChoiceIterator(choices)
    elif isinstance(choices, collections.abc.Iterator):
        choices = list(choices)
    elif not isinstance(choices, (list, tuple, type({}.items()))):
        return choices
    normalized = []
    for item in choices:
        try:
            value, label = item
        except (TypeError, ValueError):
            return choices  # not pairs: the field's validation will say so, not this
        if isinstance(label, (collections.abc.Mapping, list, tuple)):
            label = normalize_choices(label, nested=True)
        normalized.append((value, label))
    return normalized


class ChoiceWidget(Widget):
    """The common part of every widget that offers choices.

    ``allow_multiple_selected`` says whether several options may be
    selected; ``option_template_name`` renders one option;
    ``checked_attribute`` is the attribute a selected option gets
    (``checked``, or ``selected`` for ``<option>``).
    """

    allow_multiple_selected = False
    input_type: str | None = None
    template_name: str | None = None
    option_template_name: str | None = None
    add_id_index = True
    checked_attribute = {"checked": True}
    option_inherits_attrs = True

    def __init__(self, attrs: dict | None = None, choices=()):
        super().__init__(attrs)
        self.choices = choices

    @property
    def choices(self):
        return self._choices

    @choices.setter
    def choices(self, value):
        self._choices = normalize_choices(value)

    def __deepcopy__(self, memo):
        widget = super().__deepcopy__(memo)
        # Already normalized: copied past the setter, which would walk them again for every form.
        widget._choices = copy.copy(self._choices)
        return widget

    def subwidgets(self, name, value, attrs=None):
        """Each option as a context dict: a template can render radio buttons one by one."""
        yield from self.options(name, self.format_value(value), attrs)

    def options(self, name, value, attrs=None):
        for _group_name, options, _index in self.optgroups(name, value, attrs):
            yield from options

    def optgroups(self, name: str, value: list, attrs: dict | None = None) -> list:
        """``[(group_name, [option, ...], index), ...]``; a choice outside any group has the group name None.

        Only the first matching option is selected unless the widget allows
        several (two choices may share a value).
        """
        groups = []
        has_selected = False
        for index, (option_value, option_label) in enumerate(self.choices):
            if option_value is None:
                option_value = ""
            if isinstance(option_label, (list, tuple)):
                group_name, subindex, choices = option_value, 0, option_label
            else:
                group_name, subindex, choices = None, None, [(option_value, option_label)]
            options = []
            groups.append((group_name, options, index))
            for subvalue, sublabel in choices:
                selected = (not has_selected or self.allow_multiple_selected) and str(subvalue) in value
                has_selected |= selected
                options.append(self.create_option(name, subvalue, sublabel, selected, index, subindex, attrs))
                if subindex is not None:
                    subindex += 1
        return groups

    def create_option(self, name, value, label, selected, index, subindex=None, attrs=None) -> dict:
        """One option's context: what its template (``option_template_name``) renders."""
        index = str(index) if subindex is None else f"{index}_{subindex}"
        option_attrs = self.build_attrs(self.attrs, attrs) if self.option_inherits_attrs else {}
        if selected:
            option_attrs.update(self.checked_attribute)
        if "id" in option_attrs:
            option_attrs["id"] = self.id_for_label(option_attrs["id"], index)
        return {
            "name": name,
            "value": value,
            "label": label,
            "selected": selected,
            "index": index,
            "attrs": option_attrs,
            "type": self.input_type,
            "template_name": self.option_template_name,
            "wrap_label": True,
        }

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        context["widget"]["optgroups"] = self.optgroups(name, context["widget"]["value"], attrs)
        return context

    def id_for_label(self, id_, index="0"):
        """An option's id: the widget's id with the option's index (``id_x_0``), so each is unique."""
        if id_ and self.add_id_index:
            id_ = f"{id_}_{index}"
        return id_

    def value_from_datadict(self, data, files, name):
        getter = data.get
        if self.allow_multiple_selected:
            getter = getattr(data, "getlist", data.get)
        return getter(name)

    def format_value(self, value) -> list:
        """The selected values as a list of strings (None is the empty choice, "")."""
        if value is None and self.allow_multiple_selected:
            return []
        if not isinstance(value, (tuple, list)):
            value = [value]
        return [str(item) if item is not None else "" for item in value]


class Select(ChoiceWidget):
    """``<select>`` with an ``<option>`` per choice and ``<optgroup>`` per group."""

    input_type = "select"
    template_name = "tinyframe/forms/widgets/select.html"
    option_template_name = "tinyframe/forms/widgets/select_option.html"
    add_id_index = False
    checked_attribute = {"selected": True}
    option_inherits_attrs = False

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        if self.allow_multiple_selected:
            context["widget"]["attrs"]["multiple"] = True
        return context

    @staticmethod
    def _choice_has_empty_value(choice) -> bool:
        value, _label = choice
        return value is None or value == ""

    def use_required_attribute(self, initial) -> bool:
        """``required`` only when the first choice is an empty placeholder.

        The HTML rule: a required ``<select>`` must have a first option with
        an empty value, which the browser refuses to submit; without one,
        ``required`` would be meaningless (something is always selected).
        """
        use_required_attribute = super().use_required_attribute(initial)
        if self.allow_multiple_selected:
            return use_required_attribute
        first_choice = next(iter(self.choices), None)
        return use_required_attribute and first_choice is not None and self._choice_has_empty_value(first_choice)


class NullBooleanSelect(Select):
    """Unknown / Yes / No for a value that is None, True or False."""

    def __init__(self, attrs: dict | None = None):
        choices = (("unknown", "Unknown"), ("true", "Yes"), ("false", "No"))
        super().__init__(attrs, choices)

    def format_value(self, value):
        try:
            return NULL_BOOLEAN_OPTION.get(value, "unknown")
        except TypeError:  # a list, or another value no dict can hold
            return "unknown"

    def value_from_datadict(self, data, files, name):
        try:
            return NULL_BOOLEAN_ANSWER.get(data.get(name))
        except TypeError:
            return None


# NullBooleanSelect's two directions: the option shown for a value, and the
# value an option (or another widget's text) stands for. "2" and "3" are what
# an older NullBooleanSelect sent; pages still open in browsers may send them.
NULL_BOOLEAN_OPTION = {True: "true", False: "false", "true": "true", "false": "false", "2": "true", "3": "false"}
NULL_BOOLEAN_ANSWER = {
    True: True, "True": True, "true": True, "2": True,
    False: False, "False": False, "false": False, "3": False,
}  # fmt: skip


class SelectMultiple(Select):
    """``<select multiple>``: the submitted value is a list (``QueryDict.getlist``)."""

    allow_multiple_selected = True

    def value_from_datadict(self, data, files, name):
        getter = getattr(data, "getlist", data.get)
        return getter(name)

    def value_omitted_from_data(self, data, files, name):
        # Nothing selected sends nothing, so a missing name means "none chosen".
        return False


class RadioSelect(ChoiceWidget):
    """A radio button per choice, each inside its ``<label>``, in a ``<div>``."""

    input_type = "radio"
    template_name = "tinyframe/forms/widgets/radio.html"
    option_template_name = "tinyframe/forms/widgets/radio_option.html"
    use_fieldset = True

    def id_for_label(self, id_, index=None):
        # The field's own label points at no single button (a fieldset's legend names the group).
        if index is None:
            return ""
        return super().id_for_label(id_, index)


class CheckboxSelectMultiple(RadioSelect):
    """A checkbox per choice: several may be ticked."""

    allow_multiple_selected = True
    input_type = "checkbox"
    template_name = "tinyframe/forms/widgets/checkbox_select.html"
    option_template_name = "tinyframe/forms/widgets/checkbox_option.html"

    def use_required_attribute(self, initial) -> bool:
        # ``required`` on each checkbox would demand every one be ticked.
        return False

    def value_omitted_from_data(self, data, files, name):
        return False
