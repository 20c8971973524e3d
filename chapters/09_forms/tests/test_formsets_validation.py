"""Formset validation: min and max numbers of forms, deletion, ordering, clean() across forms, extra forms.

Results and messages are Django 5.2's for the same formsets and data.
"""

import pytest

from tinyframe import forms


def formset_data(*titles, initial=0, **extra) -> dict:
    """POST data: the counts, then ``form-<i>-title`` for each title (None: not sent)."""
    data = {"form-TOTAL_FORMS": str(len(titles)), "form-INITIAL_FORMS": str(initial)}
    data.update({f"form-{index}-title": title for index, title in enumerate(titles) if title is not None})
    data.update(extra)
    return data


def outcome(formset) -> tuple:
    """``(is_valid, [(non-form message, code)], errors, total_error_count)``."""
    valid = formset.is_valid()
    non_form = [(error.message % (error.params or {}), error.code) for error in formset.non_form_errors().as_data()]
    return valid, non_form, formset.errors, formset.total_error_count()


REQUIRED = {"title": ["This field is required."]}


def test_validate_max_counts_the_submitted_forms(check_rows, article_form):
    at_most_two = forms.formset_factory(article_form, max_num=2, validate_max=True)
    at_most_one = forms.formset_factory(article_form, max_num=1, validate_max=True)
    deletable = forms.formset_factory(article_form, max_num=2, validate_max=True, can_delete=True)
    too_many = ("Please submit at most 2 forms.", "too_many_forms")

    def check(formset_class, data, expected):
        assert outcome(formset_class(data)) == expected, data

    check_rows(
        [
            (at_most_two, formset_data("a", "b"), (True, [], [{}, {}], 0)),
            (at_most_two, formset_data("a", "b", "c"), (False, [too_many], [{}, {}, {}], 1)),
            # A blank extra form is still a form sent.
            (at_most_two, formset_data("a", "b", ""), (False, [too_many], [{}, {}, {}], 1)),
            (
                at_most_one,
                formset_data("a", "b"),
                (False, [("Please submit at most 1 form.", "too_many_forms")], [{}, {}], 1),
            ),
            # A form marked for deletion does not count.
            (deletable, formset_data("a", "b", "c", **{"form-2-DELETE": "on"}), (True, [], [{}, {}], 0)),
        ],
        check,
    )


def test_validate_min_does_not_count_blank_extra_forms(check_rows, article_form):
    two = forms.formset_factory(article_form, min_num=2, validate_min=True, extra=0)
    one = forms.formset_factory(article_form, min_num=1, validate_min=True, extra=0)
    one_and_extras = forms.formset_factory(article_form, min_num=1, validate_min=True, extra=2)
    too_few = ("Please submit at least 2 forms.", "too_few_forms")
    too_few_one = ("Please submit at least 1 form.", "too_few_forms")

    def check(formset_class, data, expected):
        assert outcome(formset_class(data)) == expected, data

    check_rows(
        [
            (two, formset_data("a", "b"), (True, [], [{}, {}], 0)),
            (two, formset_data("a"), (False, [too_few], [{}], 1)),
            # The min_num forms may not be blank: the blank one is required too.
            (two, formset_data("a", ""), (False, [too_few], [{}, REQUIRED], 2)),
            (one, formset_data(), (False, [too_few_one], [], 1)),
            (one_and_extras, formset_data("", "", ""), (False, [too_few_one], [REQUIRED, {}, {}], 2)),
            (one_and_extras, formset_data("a", "", ""), (True, [], [{}, {}, {}], 0)),
        ],
        check,
    )


def test_count_messages_choose_singular_or_plural():
    message = forms.BaseFormSet.default_error_messages["too_few_forms"]
    assert (message % {"num": 1}, message % {"num": 2}) == (
        "Please submit at least 1 form.",
        "Please submit at least 2 forms.",
    )
    assert (
        repr(message)
        == "CountedMessage('Please submit at least %(num)d form.', 'Please submit at least %(num)d forms.')"
    )


def test_validation_messages_can_be_replaced(article_form, article_formset):
    formset = article_formset({}, error_messages={"missing_management_form": "Nope: %(field_names)s"})
    assert outcome(formset)[1] == [("Nope: form-TOTAL_FORMS, form-INITIAL_FORMS", "missing_management_form")]
    formset_class = forms.formset_factory(article_form, max_num=1, validate_max=True)
    formset = formset_class(formset_data("a", "b"), error_messages={"too_many_forms": "Too many, max %(num)d."})
    assert outcome(formset)[1] == [("Too many, max 1.", "too_many_forms")]


def test_blank_extra_forms_are_valid_and_have_empty_cleaned_data(article_formset):
    formset = article_formset(formset_data("a", "", initial=1))
    assert formset.is_valid()
    assert formset.cleaned_data == [{"title": "a", "pages": None}, {}]
    assert [form.empty_permitted for form in formset] == [False, True]


def test_initial_and_extra_forms_split_at_the_initial_count(article_formset):
    formset = article_formset(formset_data("a", "b", "", initial=2))
    assert list(formset.non_form_errors()) == []  # validates on first use, like errors
    assert [form.prefix for form in formset.initial_forms] == ["form-0", "form-1"]
    assert [form.prefix for form in formset.extra_forms] == ["form-2"]


def test_a_changed_extra_form_is_validated(article_formset):
    formset = article_formset(formset_data(None, **{"form-0-pages": "x"}))
    assert outcome(formset) == (
        False,
        [],
        [{"title": ["This field is required."], "pages": ["Enter a whole number."]}],
        2,
    )


def test_cleaned_data_of_an_invalid_formset_is_an_attribute_error(article_formset):
    with pytest.raises(AttributeError, match=r"^'ArticleFormSet' object has no attribute 'cleaned_data'$"):
        article_formset({}).cleaned_data  # noqa: B018


def test_an_unbound_formset_is_not_valid_and_has_no_errors(article_formset):
    formset = article_formset()
    assert (formset.is_valid(), formset.errors, list(formset.non_form_errors())) == (False, [], [])


def test_deleted_forms_skip_untouched_extra_forms_and_are_not_validated(article_form, article_formset):
    formset_class = forms.formset_factory(article_form, can_delete=True)
    formset = formset_class(formset_data("a", "", "c", initial=2, **{"form-1-DELETE": "on", "form-2-DELETE": "on"}))
    assert outcome(formset) == (True, [], [{}], 0)  # form-1 is blank, but deleted: not an error
    assert [form.prefix for form in formset.deleted_forms] == ["form-1", "form-2"]
    extra_only_ticked = formset_class(formset_data("a", "", initial=1, **{"form-1-DELETE": "on"}))
    assert [form.prefix for form in extra_only_ticked.deleted_forms] == ["form-1"]
    assert extra_only_ticked.cleaned_data == [
        {"title": "a", "pages": None, "DELETE": False},
        {"pages": None, "DELETE": True},
    ]
    assert article_formset(formset_data("a")).deleted_forms == []  # no can_delete


def test_can_delete_extra_false_puts_delete_on_initial_forms_only(article_form):
    formset_class = forms.formset_factory(article_form, can_delete=True, can_delete_extra=False, extra=2)
    formset = formset_class(initial=[{"title": "x"}])
    assert [("DELETE" in form.fields) for form in formset] == [True, False, False]
    assert "DELETE" not in formset.empty_form.fields
    bound = formset_class(formset_data("a", "b", initial=1, **{"form-1-DELETE": "on"}))
    assert bound.is_valid() and bound.deleted_forms == []


def test_ordered_forms_sort_by_order_with_blanks_last_and_skip_deleted(article_form):
    formset_class = forms.formset_factory(article_form, can_order=True, can_delete=True, extra=2)
    unbound = formset_class(initial=[{"title": "x"}, {"title": "y"}])
    assert [form["ORDER"].value() for form in unbound] == [1, 2, None, None]
    order = {"form-0-ORDER": "2", "form-1-ORDER": "", "form-2-ORDER": "1", "form-3-ORDER": "0", "form-2-DELETE": "on"}
    formset = formset_class(formset_data("a", "b", "c", "d", "", initial=3, **order))
    assert formset.is_valid()
    assert [form.cleaned_data["title"] for form in formset.ordered_forms] == ["d", "a", "b"]


def test_ordered_forms_need_can_order_and_a_valid_formset(article_form, article_formset):
    with pytest.raises(AttributeError, match=r"^'ArticleFormSet' object has no attribute 'ordered_forms'$"):
        article_formset(formset_data("a")).ordered_forms  # noqa: B018
    orderable = forms.formset_factory(article_form, can_order=True)(formset_data("a", **{"form-0-ORDER": "x"}))
    assert outcome(orderable) == (False, [], [{"ORDER": ["Enter a whole number."]}], 1)
    with pytest.raises(AttributeError):
        orderable.ordered_forms  # noqa: B018


def test_clean_across_forms_gives_non_form_errors(article_form):
    class DistinctTitles(forms.BaseFormSet):
        def clean(self):
            titles = [form.cleaned_data.get("title") for form in self.forms]
            if len(set(titles)) != len(titles):
                raise forms.ValidationError("Articles in a set must have distinct titles.", code="duplicate")

    formset = forms.formset_factory(article_form, formset=DistinctTitles)(formset_data("a", "a"))
    assert outcome(formset) == (False, [("Articles in a set must have distinct titles.", "duplicate")], [{}, {}], 1)
    assert formset.non_form_errors().error_class == "errorlist nonform"
    assert str(formset.non_form_errors()) == (
        '<ul class="errorlist nonform"><li>Articles in a set must have distinct titles.</li></ul>'
    )
    assert forms.formset_factory(article_form, formset=DistinctTitles).__name__ == "ArticleFormSet"


def test_empty_form_is_the_pattern_for_new_forms(article_form):
    form = forms.formset_factory(article_form, can_delete=True, can_order=True)().empty_form
    assert (form.prefix, form.empty_permitted, form.use_required_attribute, form.is_bound) == (
        "form-__prefix__",
        True,
        False,
        False,
    )
    assert list(form.fields) == ["title", "pages", "ORDER", "DELETE"]
    assert form["ORDER"].value() is None


def test_forms_do_not_render_required_and_only_extra_forms_may_be_blank(article_form):
    formset = forms.formset_factory(article_form, min_num=1, extra=2)(initial=[{"title": "x"}])
    assert [form.empty_permitted for form in formset] == [False, True, True]
    assert [form.use_required_attribute for form in formset] == [False, False, False]


def test_form_kwargs_and_get_form_kwargs_reach_every_form(article_form, article_formset):
    class PerFormKwargs(forms.BaseFormSet):
        def get_form_kwargs(self, index):
            kwargs = super().get_form_kwargs(index)
            kwargs["label_suffix"] = "?" if index is None else f"#{index}"
            return kwargs

    formset = article_formset(form_kwargs={"label_suffix": "!"})
    assert formset.forms[0].label_suffix == "!" and formset.empty_form.label_suffix == "!"
    per_form = forms.formset_factory(article_form, formset=PerFormKwargs, extra=2)()
    assert [form.label_suffix for form in per_form] == ["#0", "#1"]
    assert per_form.empty_form.label_suffix == "?"


def test_has_changed(article_formset):
    assert article_formset(formset_data("a", "", initial=1)).has_changed()
    # Unbound, a form's data is None, which differs from any initial value (as in Django).
    assert article_formset(initial=[{"title": "a"}]).has_changed()
    assert not article_formset(formset_data("a", initial=1), initial=[{"title": "a"}]).has_changed()
    assert article_formset(formset_data("b", initial=1), initial=[{"title": "a"}]).has_changed()


def test_all_valid_validates_every_formset(article_formset):
    good, bad = article_formset(formset_data("a")), article_formset(formset_data(None, **{"form-0-pages": "x"}))
    later = article_formset(formset_data(None, **{"form-0-pages": "y"}))
    assert forms.all_valid([good, article_formset(formset_data(""))]) is True
    assert forms.all_valid([bad, later]) is False
    assert later._errors is not None  # validated although an earlier one failed
