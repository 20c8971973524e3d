"""Formsets: the management form, the number of forms, and what a tampered count does.

Every count, message and piece of HTML here is what Django 5.2 gives for the
same formset and data (checked once, side by side). HTML is compared with the
whitespace between tags removed: Django's templates and ours lay it out
differently, the elements, attributes and text are the same.
"""

import re

import pytest

from tinyframe import forms


MISSING = (
    "ManagementForm data is missing or has been tampered with. Missing fields: {}. "
    "You may need to file a bug report if the issue persists."
)


def squeeze(html) -> str:
    """The HTML without the whitespace between tags (layout, not content)."""
    return re.sub(r">\s+<", "><", str(html)).strip()


def hidden(name, value=None, id_prefix="id_") -> str:
    value_attr = "" if value is None else f' value="{value}"'
    id_attr = "" if id_prefix is None else f' id="{id_prefix}{name}"'
    return f'<input type="hidden" name="{name}"{value_attr}{id_attr}>'


def management_html(total, initial, min_num=0, max_num=1000, prefix="form", id_prefix="id_") -> str:
    counts = {"TOTAL_FORMS": total, "INITIAL_FORMS": initial, "MIN_NUM_FORMS": min_num, "MAX_NUM_FORMS": max_num}
    return "".join(hidden(f"{prefix}-{name}", value, id_prefix) for name, value in counts.items())


def formset_data(*titles, initial=0, prefix="form", **extra) -> dict:
    """POST data for a formset: the counts, then ``<prefix>-<i>-title`` for each title (None: not sent)."""
    data = {f"{prefix}-TOTAL_FORMS": str(len(titles)), f"{prefix}-INITIAL_FORMS": str(initial)}
    for index, title in enumerate(titles):
        if title is not None:
            data[f"{prefix}-{index}-title"] = title
    data.update(extra)
    return data


def non_form_errors(formset) -> list:
    """``[(message, code), ...]`` of the formset's non-form errors."""
    return [(error.message % (error.params or {}), error.code) for error in formset.non_form_errors().as_data()]


# -- exercise 09.7: forms.BaseFormSet.management_form ------------------------------


@pytest.mark.exercise("09.7")
def test_unbound_management_form_renders_the_four_counts(article_formset):
    formset = article_formset()
    assert isinstance(formset.management_form, forms.formsets.ManagementForm)
    assert not formset.management_form.is_bound
    assert squeeze(formset.management_form) == management_html(1, 0)


@pytest.mark.exercise("09.7")
def test_unbound_management_form_counts_the_initial_and_extra_forms(article_form):
    formset = forms.formset_factory(article_form, extra=2, min_num=1, max_num=5)(
        initial=[{"title": "a"}, {"title": "b"}]
    )
    assert formset.management_form.initial == {
        "TOTAL_FORMS": 4,
        "INITIAL_FORMS": 2,
        "MIN_NUM_FORMS": 1,
        "MAX_NUM_FORMS": 5,
    }
    assert squeeze(formset.management_form) == management_html(4, 2, min_num=1, max_num=5)


@pytest.mark.exercise("09.7")
def test_management_form_takes_the_formsets_prefix_and_auto_id(check_rows, article_formset):
    def check(kwargs, expected):
        assert squeeze(article_formset(**kwargs).management_form) == expected, kwargs

    check_rows(
        [
            ({"prefix": "article"}, management_html(1, 0, prefix="article")),
            ({"auto_id": False}, management_html(1, 0, id_prefix=None)),
            ({"auto_id": "field_%s"}, management_html(1, 0, id_prefix="field_")),
        ],
        check,
    )


@pytest.mark.exercise("09.7")
def test_bound_management_form_is_read_from_the_data_and_cleaned(article_formset):
    formset = article_formset(formset_data("a", "b", "", initial=2))
    management_form = formset.management_form
    assert management_form.is_bound
    assert management_form.cleaned_data == {
        "TOTAL_FORMS": 3,
        "INITIAL_FORMS": 2,
        "MIN_NUM_FORMS": None,
        "MAX_NUM_FORMS": None,
    }
    assert (formset.total_form_count(), formset.initial_form_count()) == (3, 2)
    assert [form.prefix for form in formset.forms] == ["form-0", "form-1", "form-2"]
    assert squeeze(management_form) == (
        hidden("form-TOTAL_FORMS", 3) + hidden("form-INITIAL_FORMS", 2)
        + hidden("form-MIN_NUM_FORMS") + hidden("form-MAX_NUM_FORMS")
    )  # fmt: skip


@pytest.mark.exercise("09.7")
def test_management_form_is_built_once(article_formset):
    formset = article_formset(formset_data("a"))
    assert formset.management_form is formset.management_form


@pytest.mark.exercise("09.7")
def test_missing_management_form_is_a_non_form_error_not_an_exception(article_formset):
    formset = article_formset({})
    assert formset.is_valid() is False
    assert non_form_errors(formset) == [
        (MISSING.format("form-TOTAL_FORMS, form-INITIAL_FORMS"), "missing_management_form")
    ]
    assert (formset.forms, formset.errors, formset.total_error_count()) == ([], [], 1)
    assert squeeze(formset.non_form_errors()) == (
        '<ul class="errorlist nonform"><li>' + MISSING.format("form-TOTAL_FORMS, form-INITIAL_FORMS") + "</li></ul>"
    )


@pytest.mark.exercise("09.7")
def test_tampered_management_form_names_the_fields_it_could_not_read(check_rows, article_formset):
    def check(data, prefix, missing, total, initial):
        formset = article_formset(data, prefix=prefix)
        asked = f"a formset with prefix={prefix!r} bound to {data!r}"
        assert formset.is_valid() is False, f"{asked}: its management form is tampered with, so it is not valid"
        assert non_form_errors(formset) == [(MISSING.format(missing), "missing_management_form")], asked
        assert (formset.total_form_count(), formset.initial_form_count()) == (total, initial), (
            f"{asked}: (total_form_count(), initial_form_count())"
        )

    check_rows(
        [
            ({"form-TOTAL_FORMS": "abc", "form-INITIAL_FORMS": "1"}, None, "form-TOTAL_FORMS", 0, 1),
            ({"form-TOTAL_FORMS": "9" * 5000, "form-INITIAL_FORMS": "0"}, None, "form-TOTAL_FORMS", 0, 0),
            ({"form-TOTAL_FORMS": ["1", "2"], "form-INITIAL_FORMS": "0"}, None, "form-TOTAL_FORMS", 0, 0),
            ({"form-TOTAL_FORMS": "1", "form-INITIAL_FORMS": "<b>"}, None, "form-INITIAL_FORMS", 1, 0),
            ({"form-TOTAL_FORMS": "1\x00", "form-INITIAL_FORMS": "0"}, None, "form-TOTAL_FORMS", 0, 0),
            # The data of another formset: this one's fields are all missing.
            (formset_data("a"), "article", "article-TOTAL_FORMS, article-INITIAL_FORMS", 0, 0),
            # The two counts for client-side code are optional, but not any text.
            (formset_data("a", **{"form-MIN_NUM_FORMS": "zz"}), None, "form-MIN_NUM_FORMS", 1, 0),
        ],
        check,
    )


@pytest.mark.exercise("09.7")
def test_missing_management_form_renders_its_errors_and_empty_inputs(article_formset):
    html = squeeze(article_formset({}))
    assert html.startswith(
        '<ul class="errorlist nonfield"><li>(Hidden field TOTAL_FORMS) This field is required.</li>'
        "<li>(Hidden field INITIAL_FORMS) This field is required.</li></ul>"
    )
    assert html.endswith(
        "<div>"
        + "".join(hidden(f"form-{name}") for name in ("TOTAL_FORMS", "INITIAL_FORMS", "MIN_NUM_FORMS", "MAX_NUM_FORMS"))
        + "</div>"
    )


# -- the number of forms ------------------------------------------------------------


def test_factory_defaults(article_form, article_formset):
    assert (
        forms.formsets.DEFAULT_MIN_NUM,
        forms.formsets.DEFAULT_MAX_NUM,
        forms.formsets.TOTAL_FORM_COUNT,
        forms.formsets.INITIAL_FORM_COUNT,
    ) == (
        0,
        1000,
        "TOTAL_FORMS",
        "INITIAL_FORMS",
    )
    assert article_formset.__name__ == "ArticleFormSet" and issubclass(article_formset, forms.BaseFormSet)
    settings = ("form", "extra", "min_num", "max_num", "absolute_max", "can_order", "can_delete", "can_delete_extra",
                "validate_min", "validate_max", "renderer")  # fmt: skip
    assert [getattr(article_formset, name) for name in settings] == [
        article_form, 1, 0, 1000, 2000, False, False, True, False, False, None,
    ]  # fmt: skip
    assert forms.formset_factory(article_form, max_num=30).absolute_max == 1030
    assert forms.formset_factory(type("Thing", (forms.Form,), {})).__name__ == "ThingFormSet"


def test_absolute_max_below_max_num_is_refused(article_form):
    with pytest.raises(ValueError, match=r"^'absolute_max' must be greater or equal to 'max_num'\.$"):
        forms.formset_factory(article_form, max_num=30, absolute_max=20)


def test_unbound_counts_follow_extra_min_num_and_max_num(check_rows, article_form):
    """(initial rows, extra, min_num, max_num) -> (total forms, initial forms), as Django counts them."""

    def check(initial_rows, extra, min_num, max_num, total, initial):
        formset_class = forms.formset_factory(article_form, extra=extra, min_num=min_num, max_num=max_num)
        formset = formset_class(initial=[{"title": str(i)} for i in range(initial_rows)] or None)
        got = (formset.total_form_count(), formset.initial_form_count(), len(formset.forms), len(formset.extra_forms))
        assert got == (total, initial, total, total - initial), (initial_rows, extra, min_num, max_num)

    check_rows(
        [
            (0, 1, None, None, 1, 0),
            (0, 0, None, None, 0, 0),
            (0, 3, None, 2, 2, 0),  # extra stops at max_num
            (0, 1, None, 0, 0, 0),  # max_num=0: no forms at all
            (0, 0, 1, None, 1, 0),  # min_num forms come on top of nothing
            (0, 3, 1, None, 4, 0),  # min_num + extra
            (0, 3, 4, 2, 2, 0),  # max_num wins over min_num
            (2, 1, None, None, 3, 2),
            (2, 0, 4, None, 4, 2),  # min_num counts the initial forms
            (2, 1, 4, None, 5, 2),
            (2, 3, None, 4, 4, 2),
            (2, 1, None, 2, 2, 2),
            (5, 3, None, 2, 5, 5),  # existing data is never cut by max_num
            (5, 1, None, 0, 5, 5),
            (5, 3, 4, None, 8, 5),
        ],
        check,
    )


def test_huge_total_forms_is_capped_at_absolute_max(article_form):
    formset_class = forms.formset_factory(article_form, max_num=3, absolute_max=5)
    formset = formset_class({"form-TOTAL_FORMS": "1000000", "form-INITIAL_FORMS": "0"})
    assert (formset.total_form_count(), len(formset.forms)) == (5, 5)
    assert formset.is_valid() is False
    assert non_form_errors(formset) == [("Please submit at most 3 forms.", "too_many_forms")]


def test_total_forms_up_to_absolute_max_is_accepted_without_validate_max(article_form):
    formset_class = forms.formset_factory(article_form, max_num=3, absolute_max=5)
    formset = formset_class({"form-TOTAL_FORMS": "5", "form-INITIAL_FORMS": "0"})
    assert (len(formset.forms), formset.is_valid(), non_form_errors(formset)) == (5, True, [])


def test_negative_total_forms_builds_no_forms(article_formset):
    formset = article_formset({"form-TOTAL_FORMS": "-3", "form-INITIAL_FORMS": "0"})
    assert (formset.forms, formset.is_valid()) == ([], True)


def test_counts_for_client_side_code_are_not_checked(article_formset):
    formset = article_formset(formset_data("a", **{"form-MAX_NUM_FORMS": "-1", "form-MIN_NUM_FORMS": "7"}))
    assert formset.is_valid() and len(formset.forms) == 1


def test_counts_are_read_as_integers_with_whitespace_and_decimal_point(article_formset):
    formset = article_formset(
        {"form-TOTAL_FORMS": " 2 ", "form-INITIAL_FORMS": "1.0", "form-0-title": "x", "form-1-title": "y"}
    )
    assert (formset.total_form_count(), formset.initial_form_count(), formset.is_valid()) == (2, 1, True)


def test_sequence_protocol_and_repr(article_formset):
    formset = article_formset()
    assert (len(formset), formset[0].prefix, [form.prefix for form in formset]) == (1, "form-0", ["form-0"])
    empty = article_formset(formset_data())
    assert len(empty) == 0 and bool(empty) is True  # still has a management form to render
    assert repr(article_formset()) == "<ArticleFormSet: bound=False valid=Unknown total_forms=1>"
    missing = article_formset({})
    assert repr(missing) == "<ArticleFormSet: bound=True valid=Unknown total_forms=0>"
    missing.is_valid()
    assert repr(missing) == "<ArticleFormSet: bound=True valid=False total_forms=0>"
    valid = article_formset(formset_data("a"))
    valid.is_valid()
    assert repr(valid) == "<ArticleFormSet: bound=True valid=True total_forms=1>"


def test_prefix_defaults_to_form(article_formset):
    assert (article_formset().prefix, article_formset(prefix="").prefix, article_formset(prefix="x").prefix) == (
        "form",
        "form",
        "x",
    )
    assert article_formset().add_prefix(3) == "form-3" and forms.BaseFormSet.get_default_prefix() == "form"


def test_a_formsets_media_is_its_forms_media():
    class Picker(forms.TextInput):
        class Media:
            js = ["picker.js"]

    class EventForm(forms.Form):
        day = forms.CharField(widget=Picker)

    bound = forms.formset_factory(EventForm, extra=0)({"form-TOTAL_FORMS": "1", "form-INITIAL_FORMS": "0"})
    empty = forms.formset_factory(EventForm, extra=0)()
    assert str(bound.media) == str(empty.media) == '<script src="picker.js"></script>'
