"""Rendering a form: as_div (the default), as_p, as_ul, as_table, hidden fields, errors, CSS classes.

The expected HTML is Django 5.2's (whitespace between tags aside: see
``assert_html`` in conftest.py).
"""

import pytest


@pytest.fixture
def CommentForm(forms):
    class CommentForm(forms.Form):
        name = forms.CharField(max_length=50, help_text="Shown with your comment.")
        email = forms.EmailField(required=False, label="E-mail")
        body = forms.CharField(widget=forms.Textarea)
        token = forms.CharField(widget=forms.HiddenInput)

    return CommentForm


HOSTILE = {"name": "<script>alert(1)</script>", "email": "nope", "body": "", "token": ""}

NAME_INPUT = (
    '<input type="text" name="name" value="&lt;script&gt;alert(1)&lt;/script&gt;" maxlength="50" required '
    'aria-describedby="id_name_helptext" id="id_name">'
)
EMAIL_INPUT = (
    '<input type="email" name="email" value="nope" maxlength="320" aria-invalid="true" '
    'aria-describedby="id_email_error" id="id_email">'
)
BODY_TEXTAREA = (
    '<textarea name="body" cols="40" rows="10" required aria-invalid="true" aria-describedby="id_body_error" '
    'id="id_body">\n</textarea>'
)
HIDDEN_ERROR = '<ul class="errorlist nonfield"><li>(Hidden field token) This field is required.</li></ul>'
EMAIL_ERROR = '<ul class="errorlist" id="id_email_error"><li>Enter a valid email address.</li></ul>'
BODY_ERROR = '<ul class="errorlist" id="id_body_error"><li>This field is required.</li></ul>'


def test_an_unbound_form_renders_as_divs(CommentForm, assert_html):
    assert_html(
        str(CommentForm()),
        """
        <div><label for="id_name">Name:</label>
          <div class="helptext" id="id_name_helptext">Shown with your comment.</div>
          <input type="text" name="name" maxlength="50" required aria-describedby="id_name_helptext" id="id_name">
        </div>
        <div><label for="id_email">E-mail:</label>
          <input type="email" name="email" maxlength="320" id="id_email"></div>
        <div><label for="id_body">Body:</label>
          <textarea name="body" cols="40" rows="10" required id="id_body">
        </textarea><input type="hidden" name="token" id="id_token"></div>
        """,
        "an unbound CommentForm",
    )


def test_as_div_is_the_default_and_the_renderers_template(CommentForm):
    form = CommentForm()
    assert str(form) == form.as_div() == form.render()
    assert form.template_name == "tinyframe/forms/div.html"
    assert form.__html__() == str(form), "{{ form }} in a page renders the form without escaping it again"


def test_a_bound_form_with_errors_renders_them_next_to_their_fields(CommentForm, assert_html):
    assert_html(
        CommentForm(HOSTILE).as_div(),
        f"""
        {HIDDEN_ERROR}
        <div><label for="id_name">Name:</label>
          <div class="helptext" id="id_name_helptext">Shown with your comment.</div>{NAME_INPUT}</div>
        <div><label for="id_email">E-mail:</label>{EMAIL_ERROR}{EMAIL_INPUT}</div>
        <div><label for="id_body">Body:</label>{BODY_ERROR}{BODY_TEXTAREA}
          <input type="hidden" name="token" id="id_token"></div>
        """,
        "CommentForm(HOSTILE).as_div()",
    )


def test_as_p(CommentForm, assert_html):
    assert_html(
        CommentForm(HOSTILE).as_p(),
        f"""
        {HIDDEN_ERROR}
        <p><label for="id_name">Name:</label>{NAME_INPUT}
          <span class="helptext" id="id_name_helptext">Shown with your comment.</span></p>
        {EMAIL_ERROR}
        <p><label for="id_email">E-mail:</label>{EMAIL_INPUT}</p>
        {BODY_ERROR}
        <p><label for="id_body">Body:</label>{BODY_TEXTAREA}<input type="hidden" name="token" id="id_token"></p>
        """,
        "CommentForm(HOSTILE).as_p()",
    )


def test_as_ul(CommentForm, assert_html):
    assert_html(
        CommentForm(HOSTILE).as_ul(),
        f"""
        <li>{HIDDEN_ERROR}</li>
        <li><label for="id_name">Name:</label>{NAME_INPUT}
          <span class="helptext" id="id_name_helptext">Shown with your comment.</span></li>
        <li>{EMAIL_ERROR}<label for="id_email">E-mail:</label>{EMAIL_INPUT}</li>
        <li>{BODY_ERROR}<label for="id_body">Body:</label>{BODY_TEXTAREA}
          <input type="hidden" name="token" id="id_token"></li>
        """,
        "CommentForm(HOSTILE).as_ul()",
    )


def test_as_table(CommentForm, assert_html):
    assert_html(
        CommentForm(HOSTILE).as_table(),
        f"""
        <tr><td colspan="2">{HIDDEN_ERROR}</td></tr>
        <tr><th><label for="id_name">Name:</label></th>
          <td>{NAME_INPUT}<br><span class="helptext" id="id_name_helptext">Shown with your comment.</span></td></tr>
        <tr><th><label for="id_email">E-mail:</label></th><td>{EMAIL_ERROR}{EMAIL_INPUT}</td></tr>
        <tr><th><label for="id_body">Body:</label></th>
          <td>{BODY_ERROR}{BODY_TEXTAREA}<input type="hidden" name="token" id="id_token"></td></tr>
        """,
        "CommentForm(HOSTILE).as_table()",
    )


@pytest.fixture
def HiddenOnlyForm(forms):
    class HiddenOnlyForm(forms.Form):
        a = forms.CharField(widget=forms.HiddenInput)
        b = forms.CharField(widget=forms.HiddenInput, required=False)

    return HiddenOnlyForm


HIDDEN_INPUTS = '<input type="hidden" name="a" id="id_a"><input type="hidden" name="b" id="id_b">'
HIDDEN_A_ERROR = '<ul class="errorlist nonfield"><li>(Hidden field a) This field is required.</li></ul>'


@pytest.mark.parametrize(
    "layout, expected",
    [
        ("as_div", f"{HIDDEN_A_ERROR}<div>{HIDDEN_INPUTS}</div>"),
        ("as_p", f"{HIDDEN_A_ERROR}<p>{HIDDEN_INPUTS}</p>"),
        ("as_ul", f"<li>{HIDDEN_A_ERROR}{HIDDEN_INPUTS}</li>"),
        ("as_table", f'<tr><td colspan="2">{HIDDEN_A_ERROR}{HIDDEN_INPUTS}</td></tr>'),
    ],
)
def test_a_form_of_hidden_fields_with_errors_still_places_its_inputs(HiddenOnlyForm, assert_html, layout, expected):
    assert_html(getattr(HiddenOnlyForm({}), layout)(), expected, f"HiddenOnlyForm({{}}).{layout}()")


@pytest.mark.parametrize("layout", ["as_div", "as_p", "as_ul", "as_table"])
def test_a_valid_form_of_hidden_fields_is_just_the_inputs(HiddenOnlyForm, assert_html, layout):
    assert_html(
        getattr(HiddenOnlyForm({"a": "1"}), layout)(),
        '<input type="hidden" name="a" value="1" id="id_a"><input type="hidden" name="b" id="id_b">',
        f"HiddenOnlyForm({{'a': '1'}}).{layout}()",
    )


def test_css_classes_of_rows_and_labels_and_a_fieldset_for_radio_buttons(forms, assert_html, html):
    class SizeForm(forms.Form):
        required_css_class = "required"
        error_css_class = "error"
        size = forms.ChoiceField(choices=[("s", "Small"), ("l", "Large")], widget=forms.RadioSelect)
        note = forms.CharField(required=False, label="Note?")

    rendered = html(SizeForm({"size": "x"}))
    row_classes = rendered[len('<div class="') : rendered.index('">')]
    assert sorted(row_classes.split()) == ["error", "required"], rendered
    assert_html(
        rendered[rendered.index(">") + 1 :],
        """
        <fieldset aria-describedby="id_size_error"><legend class="required">Size:</legend>
          <ul class="errorlist" id="id_size_error"><li>Select a valid choice. x is not one of the available choices.</li></ul>
          <div id="id_size">
            <div><label for="id_size_0"><input type="radio" name="size" value="s" required aria-invalid="true" id="id_size_0">Small</label></div>
            <div><label for="id_size_1"><input type="radio" name="size" value="l" required aria-invalid="true" id="id_size_1">Large</label></div>
          </div>
        </fieldset></div>
        <div><label for="id_note">Note?</label><input type="text" name="note" id="id_note"></div>
        """,
        "SizeForm({'size': 'x'})",
    )


def test_form_level_options_prefix_auto_id_and_label_suffix(forms, assert_html):
    class SearchForm(forms.Form):
        q = forms.CharField(label="Search")

    assert_html(
        SearchForm(prefix="top", label_suffix=" →").as_p(),
        '<p><label for="id_top-q">Search →</label><input type="text" name="top-q" required id="id_top-q"></p>',
        "a prefixed form",
    )
    assert_html(
        SearchForm(auto_id=False).as_p(),
        '<p>Search:<input type="text" name="q" required></p>',
        "a form without ids: labels are plain text",
    )
    assert_html(
        SearchForm(auto_id="field-%s", use_required_attribute=False).as_div(),
        '<div><label for="field-q">Search:</label><input type="text" name="q" id="field-q"></div>',
        "a form with its own id format and no required attribute",
    )
    assert_html(
        SearchForm(auto_id=True).as_div(),
        '<div><label for="q">Search:</label><input type="text" name="q" required id="q"></div>',
        "auto_id=True: the name is the id",
    )


def test_a_form_may_choose_its_template(forms, renderer, assert_html):
    class TableForm(forms.Form):
        template_name = "tinyframe/forms/table.html"
        name = forms.CharField()

    expected = '<tr><th><label for="id_name">Name:</label></th><td><input type="text" name="name" required id="id_name"></td></tr>'
    assert_html(str(TableForm()), expected, "a form with template_name = table.html")
    assert_html(TableForm().render("tinyframe/forms/p.html"), '<p><label for="id_name">Name:</label><input type="text" name="name" required id="id_name"></p>')
    assert_html(TableForm(renderer=renderer).render(), expected)


def test_the_form_context_gives_templates_what_they_need(CommentForm):
    form = CommentForm(HOSTILE)
    context = form.get_context()

    assert context["form"] is form
    assert [(field.name, list(errors)) for field, errors in context["fields"]] == [
        ("name", []),
        ("email", ["Enter a valid email address."]),
        ("body", ["This field is required."]),
    ]
    assert [field.name for field in context["hidden_fields"]] == ["token"]
    assert context["errors"] == ["(Hidden field token) This field is required."]
    assert form.non_field_errors() == [], "the hidden field's error joins the context's errors, not the form's"


def test_field_order_and_order_fields(forms):
    class OrderedForm(forms.Form):
        field_order = ["c", "unknown", "a"]
        a = forms.CharField()
        b = forms.CharField()
        c = forms.CharField()

    assert list(OrderedForm().fields) == ["c", "a", "b"], "named fields first, unknown names ignored, the rest after"
    assert list(OrderedForm(field_order=["b"]).fields) == ["b", "a", "c"]
    assert [field.name for field in OrderedForm()] == ["c", "a", "b"], "iteration follows the order too"
    form = OrderedForm()
    form.order_fields(None)
    assert list(form.fields) == ["c", "a", "b"], "None keeps the order as it is"
