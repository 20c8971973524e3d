"""Rendering a formset: the management form first, then each form as a div, p, table rows or list items.

The HTML is Django 5.2's for the same formset (compared with the whitespace
between tags removed).
"""

import re

import pytest

from tinyframe import forms
from tinyframe.forms.renderers import DjangoTemplates

# Forms are declared in fixtures, not at import: declaring one runs exercise
# 09.1, and this module must load while that is still to be written.


@pytest.fixture
def title_form():
    class TitleForm(forms.Form):
        title = forms.CharField()

    return TitleForm


@pytest.fixture
def title_formset(title_form):
    return forms.formset_factory(title_form, extra=2)


def squeeze(html) -> str:
    return re.sub(r">\s+<", "><", str(html)).strip()


MANAGEMENT = (
    '<input type="hidden" name="form-TOTAL_FORMS" value="3" id="id_form-TOTAL_FORMS">'
    '<input type="hidden" name="form-INITIAL_FORMS" value="1" id="id_form-INITIAL_FORMS">'
    '<input type="hidden" name="form-MIN_NUM_FORMS" value="0" id="id_form-MIN_NUM_FORMS">'
    '<input type="hidden" name="form-MAX_NUM_FORMS" value="1000" id="id_form-MAX_NUM_FORMS">'
)


def title_input(index, value=None) -> str:
    value_attr = "" if value is None else f' value="{value}"'
    return f'<input type="text" name="form-{index}-title"{value_attr} id="id_form-{index}-title">'


def label(index) -> str:
    return f'<label for="id_form-{index}-title">Title:</label>'


def test_each_layout_renders_the_management_form_then_every_form(check_rows, title_formset):
    formset = title_formset(initial=[{"title": "<b>"}])
    values = ["&lt;b&gt;", None, None]

    def check(method, wrap):
        expected = MANAGEMENT + "".join(wrap(label(i), title_input(i, value)) for i, value in enumerate(values))
        assert squeeze(getattr(formset, method)()) == expected, method

    check_rows(
        [
            ("as_div", lambda label, widget: f"<div>{label}{widget}</div>"),
            ("as_p", lambda label, widget: f"<p>{label}{widget}</p>"),
            ("as_table", lambda label, widget: f"<tr><th>{label}</th><td>{widget}</td></tr>"),
            ("as_ul", lambda label, widget: f"<li>{label}{widget}</li>"),
        ],
        check,
    )


def test_str_is_as_div_and_template_names_are_the_renderers(title_formset):
    formset = title_formset()
    assert squeeze(formset) == squeeze(formset.as_div())
    assert formset.template_name == "tinyframe/forms/formsets/div.html"
    assert (formset.template_name_p, formset.template_name_table, formset.template_name_ul) == (
        "tinyframe/forms/formsets/p.html",
        "tinyframe/forms/formsets/table.html",
        "tinyframe/forms/formsets/ul.html",
    )
    assert formset.get_context() == {"formset": formset}
    assert squeeze(formset.render(template_name="tinyframe/forms/formsets/ul.html")) == squeeze(formset.as_ul())


def test_a_bound_formset_re_renders_escaped_values_and_errors(title_form):
    formset_class = forms.formset_factory(title_form, min_num=1, extra=0)
    hostile = formset_class({"form-TOTAL_FORMS": "1", "form-INITIAL_FORMS": "0", "form-0-title": '"><script>'})
    assert squeeze(hostile.as_p()).endswith(
        '<p><label for="id_form-0-title">Title:</label>'
        '<input type="text" name="form-0-title" value="&quot;&gt;&lt;script&gt;" id="id_form-0-title"></p>'
    )
    blank = formset_class({"form-TOTAL_FORMS": "1", "form-INITIAL_FORMS": "0", "form-0-title": ""})
    assert squeeze(blank.as_p()).endswith(
        '<ul class="errorlist" id="id_form-0-title_error"><li>This field is required.</li></ul>'
        '<p><label for="id_form-0-title">Title:</label><input type="text" name="form-0-title" aria-invalid="true" '
        'aria-describedby="id_form-0-title_error" id="id_form-0-title"></p>'
    )


def test_forms_in_a_formset_never_render_required(title_form):
    assert "required" not in str(forms.formset_factory(title_form, min_num=1)())


class ParagraphRenderer(DjangoTemplates):
    formset_template_name = "tinyframe/forms/formsets/p.html"
    form_template_name = "tinyframe/forms/p.html"


def test_a_renderer_given_to_the_factory_renders_the_formset_and_its_forms(title_form):
    renderer = ParagraphRenderer()
    formset = forms.formset_factory(title_form, renderer=renderer)()
    assert formset.renderer is renderer and formset.forms[0].renderer is renderer
    assert formset.empty_form.renderer is renderer
    assert formset.template_name == "tinyframe/forms/formsets/p.html"
    assert squeeze(formset).endswith(f"<p>{label(0)}{title_input(0)}</p>")


def test_is_multipart_asks_the_forms_or_the_empty_form(title_formset):
    class UploadForm(forms.Form):
        attachment = forms.CharField(widget=forms.FileInput)

    assert forms.formset_factory(UploadForm)().is_multipart() is True
    assert forms.formset_factory(UploadForm, extra=0)().is_multipart() is True  # no forms: the empty form answers
    assert title_formset().is_multipart() is False
