"""A re-rendered form escapes whatever was submitted: a property, checked by hypothesis.

A form bound to hostile data (markup, quotes, ampersands, half-open tags)
is validated and rendered in all four layouts. Parsed back as a browser
would, the HTML must hold only the elements and attributes the templates
write — nothing the data smuggled in — and every input must show exactly
the text that was submitted, so escaping lost nothing either.
"""

import html.parser

import pytest
from hypothesis import HealthCheck, given, settings as hypothesis_settings
from hypothesis import strategies as st

# What the form templates, widgets and error lists write; anything else came from the data.
TAGS = {"div", "p", "ul", "li", "label", "input", "textarea", "select", "option", "span", "br", "fieldset", "legend", "tr", "th", "td"}
ATTRIBUTES = {
    "type", "name", "value", "id", "for", "class", "required", "maxlength", "cols", "rows", "min", "max", "step",
    "aria-invalid", "aria-describedby", "selected", "checked", "multiple", "colspan",
}  # fmt: skip

# Text a hostile user might send: markup, quotes, entities, and ordinary letters between them.
PIECES = ["<", ">", '"', "'", "&", "&amp;", "&lt;", "<script>", "</textarea>", '"><b x="', "' onfocus='x", "a", " ", "é", "\n"]
hostile_text = st.lists(st.sampled_from(PIECES), max_size=8).map("".join)

TEXT_INPUTS = ["name", "email", "website", "secret", "age", "birthday"]


class Page(html.parser.HTMLParser):
    """The elements, attributes, input values and text of a rendered form, as a browser would read them."""

    def __init__(self, source: str):
        super().__init__(convert_charrefs=True)
        self.tags, self.attributes, self.values, self.texts = set(), set(), {}, []
        self.in_textarea = None
        self.feed(source)
        self.close()

    def handle_starttag(self, tag, attrs):
        self.tags.add(tag)
        self.attributes.update(name for name, _ in attrs)
        attributes = dict(attrs)
        if tag == "input" and attributes.get("type") != "checkbox":
            self.values.setdefault(attributes.get("name"), []).append(attributes.get("value", ""))
        if tag == "textarea":
            self.in_textarea = attributes.get("name")
            self.values.setdefault(self.in_textarea, []).append("")

    def handle_endtag(self, tag):
        if tag == "textarea":
            self.in_textarea = None

    def handle_data(self, data):
        if self.in_textarea:
            self.values[self.in_textarea][-1] += data
        else:
            self.texts.append(data)


@pytest.fixture
def SignupForm(forms):
    class SignupForm(forms.Form):
        name = forms.CharField(max_length=20, help_text="Your name &amp; nickname")
        email = forms.EmailField()
        website = forms.URLField(required=False)
        secret = forms.CharField(widget=forms.HiddenInput)
        age = forms.IntegerField(min_value=0)
        birthday = forms.DateField(required=False)
        color = forms.ChoiceField(choices=[("red", "Red"), ("blue", "Blue")])
        tags = forms.MultipleChoiceField(choices=[("a", "A"), ("b", "B")], required=False)
        subscribe = forms.BooleanField(required=False)
        bio = forms.CharField(widget=forms.Textarea)

    return SignupForm


@hypothesis_settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(values=st.fixed_dictionaries({name: hostile_text for name in [*TEXT_INPUTS, "color", "tag", "bio"]}))
def test_every_layout_escapes_what_was_submitted_and_shows_it_back(SignupForm, values):
    from tinyframe.utils.datastructures import MultiValueDict

    data = MultiValueDict({name: [values[name]] for name in [*TEXT_INPUTS, "color", "bio"]})
    data.setlist("tags", ["a", values["tag"]])
    form = SignupForm(data)
    form.is_valid()

    for layout in ("as_div", "as_p", "as_ul", "as_table"):
        rendered = getattr(form, layout)()
        page = Page(rendered)
        assert page.tags <= TAGS, f"{layout}: elements {page.tags - TAGS} came from the data:\n{rendered}"
        assert page.attributes <= ATTRIBUTES, f"{layout}: attributes {page.attributes - ATTRIBUTES} came from the data"
        for name in TEXT_INPUTS:
            assert page.values[name] == [values[name]], (
                f"{layout}: the {name} input shows {page.values[name]!r}; {values[name]!r} was submitted"
            )
        assert page.values["bio"] == ["\n" + values["bio"]], f"{layout}: the textarea lost or changed its text"
        shown = "".join(page.texts)
        for name, value in [("color", values["color"]), ("tags", values["tag"])]:
            if form.has_error(name, "invalid_choice"):
                assert f"Select a valid choice. {value} is not one of the available choices." in shown, (
                    f"{layout}: the error naming the choice submitted for {name} should show it as text"
                )


@pytest.mark.parametrize("layout", ["as_div", "as_p", "as_ul", "as_table"])
def test_a_script_sent_as_a_name_comes_back_as_text(SignupForm, layout):
    form = SignupForm({"name": '"><script>alert(1)</script>', "color": "<img src=x onerror=alert(1)>"})
    form.is_valid()
    rendered = getattr(form, layout)()

    assert "<script>" not in rendered and "<img" not in rendered
    assert 'value="&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;"' in rendered
    assert "Select a valid choice. &lt;img src=x onerror=alert(1)&gt; is not one of the available choices." in rendered
