"""Formsets: many copies of one form on one page, and the management form that counts them.

How it works: ``formset_factory(ArticleForm, extra=2)`` makes a ``BaseFormSet``
subclass whose class attributes hold the settings (``form``, ``extra``,
``min_num``, ``max_num``, ``absolute_max``, ``can_delete``, ``can_order``...).
An instance builds its forms lazily: ``forms`` asks ``total_form_count()`` how
many, then ``_construct_form(i)`` makes each with the prefix ``form-<i>`` so
the fields of form 3 arrive as ``form-3-title``; ``add_fields`` adds the ORDER
and DELETE fields. ``is_valid()`` runs ``full_clean()``: every form's errors,
then the formset's own checks (``validate_min``/``validate_max``, ``clean()``),
whose errors are the *non-form errors*.

Why a management form. A form knows its fields from its class, but a formset
cannot know from its class how many forms came back: the page may have had
three, and JavaScript may have added two more. So every formset renders, in
front of its forms, four hidden inputs::

    <input type="hidden" name="form-TOTAL_FORMS" value="3" id="id_form-TOTAL_FORMS">
    <input type="hidden" name="form-INITIAL_FORMS" value="1" ...>   (forms of existing data)
    <input type="hidden" name="form-MIN_NUM_FORMS" value="0" ...>   (for client-side code only)
    <input type="hidden" name="form-MAX_NUM_FORMS" value="1000" ...>

and a bound formset reads TOTAL_FORMS and INITIAL_FORMS back from the data
through an ordinary form, ``ManagementForm``, with two IntegerFields. That
makes the count input like any other, so it is validated like any other: a
missing or non-numeric count is not a crash but a ``ValidationError`` among the
formset's non-form errors ("ManagementForm data is missing or has been
tampered with..."), with no forms; and a huge count is capped at
``absolute_max``, so a client cannot make the server build a million forms.
"""

from tinyframe.core.exceptions import ValidationError
from tinyframe.core.validators import plural
from tinyframe.forms.fields import BooleanField, IntegerField
from tinyframe.forms.forms import Form
from tinyframe.forms.renderers import get_default_renderer
from tinyframe.forms.utils import ErrorList, RenderableFormMixin
from tinyframe.forms.widgets import CheckboxInput, HiddenInput, NumberInput
from tinyframe.utils.functional import cached_property

__all__ = ["BaseFormSet", "formset_factory", "all_valid"]

# The names of the management form's fields, and of the fields add_fields adds.
TOTAL_FORM_COUNT = "TOTAL_FORMS"
INITIAL_FORM_COUNT = "INITIAL_FORMS"
MIN_NUM_FORM_COUNT = "MIN_NUM_FORMS"
MAX_NUM_FORM_COUNT = "MAX_NUM_FORMS"
ORDERING_FIELD_NAME = "ORDER"
DELETION_FIELD_NAME = "DELETE"

# The default lower bound on the number of forms.
DEFAULT_MIN_NUM = 0

# The default upper bound: with absolute_max (max_num + 1000 unless given) it
# limits how many forms a request can make the server build.
DEFAULT_MAX_NUM = 1000


class ManagementForm(Form):
    """The hidden counts every formset sends along with its forms (see the module docstring).

    Only TOTAL_FORMS and INITIAL_FORMS are read back. MIN_NUM_FORMS and
    MAX_NUM_FORMS are rendered for JavaScript that adds or removes forms; what
    a client sends back for them is never trusted, so they are optional.
    """

    TOTAL_FORMS = IntegerField(widget=HiddenInput)
    INITIAL_FORMS = IntegerField(widget=HiddenInput)
    MIN_NUM_FORMS = IntegerField(required=False, widget=HiddenInput)
    MAX_NUM_FORMS = IntegerField(required=False, widget=HiddenInput)

    def clean(self):
        """Count zero forms for a count that is missing or invalid: the formset then builds none."""
        cleaned_data = super().clean()
        cleaned_data.setdefault(TOTAL_FORM_COUNT, 0)
        cleaned_data.setdefault(INITIAL_FORM_COUNT, 0)
        return cleaned_data


class CountedMessage:
    """A message with a singular and a plural form, chosen by the number it is formatted with.

    It stands where Django has ``ngettext_lazy(singular, plural, "num")``:
    formatting with ``{"num": n}`` picks the form for ``n``.

    >>> message = CountedMessage("Please submit at most %(num)d form.", "Please submit at most %(num)d forms.")
    >>> message % {"num": 1}, message % {"num": 3}
    ('Please submit at most 1 form.', 'Please submit at most 3 forms.')
    """

    def __init__(self, singular: str, plural: str, number_key: str = "num"):
        self.singular = singular
        self.plural = plural
        self.number_key = number_key

    def __mod__(self, params: dict) -> str:
        return plural(params[self.number_key], self.singular, self.plural) % params

    def __repr__(self):
        return f"CountedMessage({self.singular!r}, {self.plural!r})"


class BaseFormSet(RenderableFormMixin):
    """A list of forms of one class, with a management form, validated and rendered together.

    ``formset_factory`` sets the class attributes below; ``BaseFormSet`` itself
    is the place to override ``clean()``, ``get_form_kwargs()`` or
    ``add_fields()`` (pass the subclass as ``formset=``).
    """

    form = None
    extra = 1
    can_order = False
    can_delete = False
    can_delete_extra = True
    min_num = DEFAULT_MIN_NUM
    max_num = DEFAULT_MAX_NUM
    absolute_max = DEFAULT_MAX_NUM + DEFAULT_MAX_NUM
    validate_min = False
    validate_max = False
    renderer = None

    deletion_widget = CheckboxInput
    ordering_widget = NumberInput
    default_error_messages = {
        "missing_management_form": (
            "ManagementForm data is missing or has been tampered with. Missing fields: "
            "%(field_names)s. You may need to file a bug report if the issue persists."
        ),
        "too_many_forms": CountedMessage("Please submit at most %(num)d form.", "Please submit at most %(num)d forms."),
        "too_few_forms": CountedMessage(
            "Please submit at least %(num)d form.", "Please submit at least %(num)d forms."
        ),
    }

    template_name_div = "tinyframe/forms/formsets/div.html"
    template_name_p = "tinyframe/forms/formsets/p.html"
    template_name_table = "tinyframe/forms/formsets/table.html"
    template_name_ul = "tinyframe/forms/formsets/ul.html"

    def __init__(
        self,
        data=None,
        files=None,
        auto_id="id_%s",
        prefix=None,
        initial=None,
        error_class=ErrorList,
        form_kwargs=None,
        error_messages=None,
    ):
        self.is_bound = data is not None or files is not None
        self.prefix = prefix or self.get_default_prefix()
        self.auto_id = auto_id
        self.data = data or {}
        self.files = files or {}
        self.initial = initial
        self.form_kwargs = form_kwargs or {}
        self.error_class = error_class
        self._errors = None
        self._non_form_errors = None
        # The forms get the renderer the factory was given (None: each form's
        # own default); the formset's own rendering needs a real one.
        self.form_renderer = self.renderer
        self.renderer = self.renderer or get_default_renderer()
        messages = {}
        for cls in reversed(type(self).__mro__):
            messages.update(getattr(cls, "default_error_messages", {}))
        messages.update(error_messages or {})
        self.error_messages = messages

    def __iter__(self):
        """The forms, in the order they are rendered."""
        return iter(self.forms)

    def __getitem__(self, index):
        return self.forms[index]

    def __len__(self):
        return len(self.forms)

    def __bool__(self):
        """Always true: a formset of no forms still has its management form to render."""
        return True

    def __repr__(self):
        if self._errors is None:
            is_valid = "Unknown"
        else:
            is_valid = self.is_bound and not self._non_form_errors and not any(self._errors)
        return (
            f"<{type(self).__qualname__}: bound={self.is_bound} valid={is_valid} "
            f"total_forms={self.total_form_count()}>"
        )

    # The counts

    @cached_property
    def management_form(self):
        """The ManagementForm of this formset: read from the data when bound, made from the counts when not.

        Bound: a ManagementForm on ``self.data`` with the formset's
        ``prefix``, ``auto_id`` and renderer, already cleaned
        (``full_clean()``), so its ``cleaned_data`` always holds TOTAL_FORMS
        and INITIAL_FORMS (0 when missing or invalid, see
        ``ManagementForm.clean``) and its ``errors`` say which were missing:
        ``full_clean`` turns them into the formset's non-form error
        "ManagementForm data is missing or has been tampered with. Missing
        fields: form-TOTAL_FORMS, form-INITIAL_FORMS. You may need to file a
        bug report if the issue persists." (code ``missing_management_form``).

        Unbound: a ManagementForm with the same prefix, auto_id and renderer,
        and ``initial`` = ``{"TOTAL_FORMS": self.total_form_count(),
        "INITIAL_FORMS": self.initial_form_count(), "MIN_NUM_FORMS":
        self.min_num, "MAX_NUM_FORMS": self.max_num}``, to be rendered.

        It is computed once (a cached property): the counts it reads must not
        change while the forms are being built from them.
        """
        if self.is_bound:
            form = ManagementForm(self.data, auto_id=self.auto_id, prefix=self.prefix, renderer=self.renderer)
            form.full_clean()
            return form
        return ManagementForm(
            auto_id=self.auto_id,
            prefix=self.prefix,
            initial={
                TOTAL_FORM_COUNT: self.total_form_count(),
                INITIAL_FORM_COUNT: self.initial_form_count(),
                MIN_NUM_FORM_COUNT: self.min_num,
                MAX_NUM_FORM_COUNT: self.max_num,
            },
            renderer=self.renderer,
        )

    def total_form_count(self) -> int:
        """How many forms: the submitted count (never above ``absolute_max``) or, unbound, from the settings.

        Unbound: the initial forms (at least ``min_num``) plus ``extra``, but
        never more than ``max_num`` -- unless there are more initial forms
        than that, which are all shown (existing data is never hidden).
        """
        if self.is_bound:
            # The cap is the defence against a client asking for a huge count.
            return min(self.management_form.cleaned_data[TOTAL_FORM_COUNT], self.absolute_max)
        initial_forms = self.initial_form_count()
        total_forms = max(initial_forms, self.min_num) + self.extra
        if initial_forms > self.max_num >= 0:
            total_forms = initial_forms
        elif total_forms > self.max_num >= 0:
            total_forms = self.max_num
        return total_forms

    def initial_form_count(self) -> int:
        """How many forms edit existing data: the submitted count, or unbound, ``len(initial)``."""
        if self.is_bound:
            return self.management_form.cleaned_data[INITIAL_FORM_COUNT]
        return len(self.initial) if self.initial else 0

    # The forms

    @cached_property
    def forms(self) -> list:
        """The forms, built on first use (their number is already capped by ``total_form_count``)."""
        return [self._construct_form(index, **self.get_form_kwargs(index)) for index in range(self.total_form_count())]

    def get_form_kwargs(self, index) -> dict:
        """Extra keyword arguments for form ``index`` (None for ``empty_form``): a copy of ``form_kwargs``."""
        return self.form_kwargs.copy()

    def _construct_form(self, i, **kwargs):
        """Make form ``i``: prefixed ``<prefix>-<i>``, bound to the formset's data, with its initial row."""
        defaults = {
            "auto_id": self.auto_id,
            "prefix": self.add_prefix(i),
            "error_class": self.error_class,
            # A browser enforcing `required` would refuse to submit a page
            # whose extra or to-be-deleted forms are left blank, which is allowed.
            "use_required_attribute": False,
            "renderer": self.form_renderer,
        }
        if self.is_bound:
            defaults["data"] = self.data
            defaults["files"] = self.files
        if self.initial and "initial" not in kwargs:
            try:
                defaults["initial"] = self.initial[i]
            except IndexError:
                pass
        # An extra form left blank is not an error, unless it is one of the
        # min_num forms the formset must have.
        if i >= self.initial_form_count() and i >= self.min_num:
            defaults["empty_permitted"] = True
        defaults.update(kwargs)
        form = self.form(**defaults)
        self.add_fields(form, i)
        return form

    @property
    def initial_forms(self) -> list:
        """The forms of existing data (the first ``initial_form_count()``)."""
        return self.forms[: self.initial_form_count()]

    @property
    def extra_forms(self) -> list:
        """The forms after the initial ones: the blanks for new data."""
        return self.forms[self.initial_form_count() :]

    @property
    def empty_form(self):
        """A blank form prefixed ``<prefix>-__prefix__``: the pattern JavaScript copies to add a form.

        The script replaces ``__prefix__`` by the next index and increments
        TOTAL_FORMS; the formset then reads the new form like any other.
        """
        form = self.form(
            **{
                **self.get_form_kwargs(None),
                "auto_id": self.auto_id,
                "prefix": self.add_prefix("__prefix__"),
                "empty_permitted": True,
                "use_required_attribute": False,
                "renderer": self.form_renderer,
            }
        )
        self.add_fields(form, None)
        return form

    @property
    def cleaned_data(self) -> list:
        """Each form's ``cleaned_data``, in order; only for a valid formset."""
        if not self.is_valid():
            raise AttributeError(f"'{type(self).__name__}' object has no attribute 'cleaned_data'")
        return [form.cleaned_data for form in self.forms]

    @property
    def deleted_forms(self) -> list:
        """The forms whose DELETE box was ticked (an untouched extra form is never one)."""
        if not self.is_valid() or not self.can_delete:
            return []
        if not hasattr(self, "_deleted_form_indexes"):
            self._deleted_form_indexes = [
                index
                for index, form in enumerate(self.forms)
                if (index < self.initial_form_count() or form.has_changed()) and self._should_delete_form(form)
            ]
        return [self.forms[index] for index in self._deleted_form_indexes]

    @property
    def ordered_forms(self) -> list:
        """The forms sorted by their ORDER field, blanks last; untouched extras and deleted forms left out."""
        if not self.is_valid() or not self.can_order:
            raise AttributeError(f"'{type(self).__name__}' object has no attribute 'ordered_forms'")
        if not hasattr(self, "_ordering"):
            ordering = []
            for index, form in enumerate(self.forms):
                if index >= self.initial_form_count() and not form.has_changed():
                    continue
                if self.can_delete and self._should_delete_form(form):
                    continue
                ordering.append((index, form.cleaned_data[ORDERING_FIELD_NAME]))
            # A blank ORDER sorts after every number; equal numbers keep the page's order.
            ordering.sort(key=lambda item: (1, 0) if item[1] is None else (0, item[1]))
            self._ordering = ordering
        return [self.forms[index] for index, _order in self._ordering]

    @classmethod
    def get_default_prefix(cls) -> str:
        return "form"

    @classmethod
    def get_deletion_widget(cls):
        return cls.deletion_widget

    @classmethod
    def get_ordering_widget(cls):
        return cls.ordering_widget

    # Validation

    def non_form_errors(self):
        """The errors of the formset as a whole (management form, min/max, ``clean()``): an ErrorList."""
        if self._non_form_errors is None:
            self.full_clean()
        return self._non_form_errors

    @property
    def errors(self) -> list:
        """Each form's ``errors`` (an ErrorDict), in order; forms marked for deletion left out."""
        if self._errors is None:
            self.full_clean()
        return self._errors

    def total_error_count(self) -> int:
        """Non-form errors plus the fields with errors in every form."""
        return len(self.non_form_errors()) + sum(len(form_errors) for form_errors in self.errors)

    def _should_delete_form(self, form) -> bool:
        """Whether the form's DELETE box was ticked."""
        return form.cleaned_data.get(DELETION_FIELD_NAME, False)

    def is_valid(self) -> bool:
        """Whether the formset is bound and every form not marked for deletion, and the formset, are valid."""
        if not self.is_bound:
            return False
        self.errors  # noqa: B018 -- runs full_clean the first time
        # A list, not a generator: every form is validated, not only up to the first failure.
        forms_valid = all(
            [form.is_valid() for form in self.forms if not (self.can_delete and self._should_delete_form(form))]
        )
        return forms_valid and not self.non_form_errors()

    def full_clean(self) -> None:
        """Validate every form, then the formset: fill ``_errors`` and ``_non_form_errors``.

        Order: a broken management form becomes a non-form error (and, having
        counted zero forms, there are none to clean); each form's errors are
        collected; then the number of forms is checked against ``max_num``
        (with ``validate_max``, or always when the submitted count passed
        ``absolute_max``) and ``min_num`` (with ``validate_min``, not counting
        deleted or untouched extra forms); then ``clean()``. A ValidationError
        from those replaces the non-form errors.
        """
        self._errors = []
        self._non_form_errors = self.error_class(error_class="nonform", renderer=self.renderer)
        if not self.is_bound:
            return
        if not self.management_form.is_valid():
            field_names = ", ".join(self.management_form.add_prefix(name) for name in self.management_form.errors)
            self._non_form_errors.append(
                ValidationError(
                    self.error_messages["missing_management_form"],
                    code="missing_management_form",
                    params={"field_names": field_names},
                )
            )
        empty_forms_count = 0
        for index, form in enumerate(self.forms):
            if index >= self.initial_form_count() and not form.has_changed():
                empty_forms_count += 1
            form_errors = form.errors  # cleans the form: _should_delete_form reads cleaned_data
            if self.can_delete and self._should_delete_form(form):
                continue
            self._errors.append(form_errors)
        try:
            submitted_forms = self.total_form_count() - len(self.deleted_forms)
            if (self.validate_max and submitted_forms > self.max_num) or (
                self.management_form.cleaned_data[TOTAL_FORM_COUNT] > self.absolute_max
            ):
                raise ValidationError(
                    self.error_messages["too_many_forms"] % {"num": self.max_num}, code="too_many_forms"
                )
            if self.validate_min and submitted_forms - empty_forms_count < self.min_num:
                raise ValidationError(
                    self.error_messages["too_few_forms"] % {"num": self.min_num}, code="too_few_forms"
                )
            self.clean()
        except ValidationError as error:
            self._non_form_errors = self.error_class(error.error_list, error_class="nonform", renderer=self.renderer)

    def clean(self) -> None:
        """Checks across forms, run after every form is cleaned; a ValidationError here is a non-form error."""

    def has_changed(self) -> bool:
        """Whether any form's data differs from its initial data."""
        return any(form.has_changed() for form in self)

    def add_fields(self, form, index) -> None:
        """Add the ORDER and DELETE fields a formset with ``can_order``/``can_delete`` needs.

        ``index`` is None for ``empty_form``. An initial form's ORDER starts
        at its position (1-based); DELETE goes on extra forms only with
        ``can_delete_extra``.
        """
        initial_form_count = self.initial_form_count()
        is_initial = index is not None and index < initial_form_count
        if self.can_order:
            form.fields[ORDERING_FIELD_NAME] = IntegerField(
                label="Order",
                initial=index + 1 if is_initial else None,
                required=False,
                widget=self.get_ordering_widget(),
            )
        if self.can_delete and (self.can_delete_extra or is_initial):
            form.fields[DELETION_FIELD_NAME] = BooleanField(
                label="Delete", required=False, widget=self.get_deletion_widget()
            )

    def add_prefix(self, index) -> str:
        """The prefix of form ``index``: ``"form-0"``."""
        return f"{self.prefix}-{index}"

    def is_multipart(self) -> bool:
        """Whether the page's <form> needs ``enctype="multipart/form-data"`` (a form has a file input)."""
        if self.forms:
            return self.forms[0].is_multipart()
        return self.empty_form.is_multipart()

    @property
    def media(self):
        """The CSS and JavaScript the forms' widgets need: every form has the same fields, so the first form's."""
        if self.forms:
            return self.forms[0].media
        return self.empty_form.media

    # Rendering

    @property
    def template_name(self) -> str:
        return self.renderer.formset_template_name

    def get_context(self) -> dict:
        return {"formset": self}


def formset_factory(
    form,
    formset=BaseFormSet,
    extra=1,
    can_order=False,
    can_delete=False,
    max_num=None,
    validate_max=False,
    min_num=None,
    validate_min=False,
    absolute_max=None,
    can_delete_extra=True,
    renderer=None,
):
    """A formset class for ``form``: a subclass of ``formset`` with these settings as class attributes.

    ``absolute_max`` defaults to ``max_num + 1000``: ``max_num`` is what the
    page offers, ``absolute_max`` what the server will ever build.

    >>> from tinyframe import forms
    >>> class ArticleForm(forms.Form):
    ...     title = forms.CharField()
    >>> ArticleFormSet = formset_factory(ArticleForm, extra=2)
    >>> ArticleFormSet.__name__, ArticleFormSet.max_num, ArticleFormSet.absolute_max
    ('ArticleFormSet', 1000, 2000)
    >>> formset_factory(ArticleForm, max_num=30, absolute_max=20)
    Traceback (most recent call last):
    ...
    ValueError: 'absolute_max' must be greater or equal to 'max_num'.
    """
    if min_num is None:
        min_num = DEFAULT_MIN_NUM
    if max_num is None:
        max_num = DEFAULT_MAX_NUM
    if absolute_max is None:
        absolute_max = max_num + DEFAULT_MAX_NUM
    if max_num > absolute_max:
        raise ValueError("'absolute_max' must be greater or equal to 'max_num'.")
    attrs = {
        "form": form,
        "extra": extra,
        "can_order": can_order,
        "can_delete": can_delete,
        "can_delete_extra": can_delete_extra,
        "min_num": min_num,
        "max_num": max_num,
        "absolute_max": absolute_max,
        "validate_min": validate_min,
        "validate_max": validate_max,
        "renderer": renderer,
    }
    name = form.__name__ + ("Set" if form.__name__.endswith("Form") else "FormSet")
    return type(name, (formset,), attrs)


def all_valid(formsets) -> bool:
    """Whether every formset is valid; all are validated, so each has its errors to show."""
    return all([formset.is_valid() for formset in formsets])
