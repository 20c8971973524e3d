"""Property: a valid value, rendered by the field's widget and submitted by a browser, cleans back to itself.

The path is the one a form's value takes on a real page: ``prepare_value``,
the widget's ``render`` (HTML, escaped), what a browser sends for that HTML
(read here by ``submitted``: an input's value, a ticked box, the selected
options, a textarea's text), the widget's ``value_from_datadict``, and the
field's ``clean``. If any step loses or changes something (an escaped quote,
a time zone, a decimal's digits, an option inside a group) the value does not
come back.
"""

import datetime
import decimal
import html.parser
import string

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from tinyframe.core.exceptions import ValidationError
from tinyframe.forms import (
    CheckboxSelectMultiple,
    HiddenInput,
    RadioSelect,
    Textarea,
    fields,
)
from tinyframe.utils.datastructures import MultiValueDict


class BrowserForm(html.parser.HTMLParser):
    """What a browser submits for rendered form HTML, as ``{name: [values]}`` (HTML's rules, simplified).

    Text inputs send their ``value``; checkboxes and radio buttons only when
    ``checked`` (their value, "on" by default); a ``<select>`` its selected
    options (the first option when none is selected and only one may be);
    a ``<textarea>`` its text without the one newline that may follow the tag.
    """

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.data = {}
        self.select = None  # (name, multiple, [(value, selected)])
        self.option = None  # [value or None, selected, text]
        self.textarea = None  # [name, text]

    def send(self, name, value):
        self.data.setdefault(name, []).append(value)

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        name = attributes.get("name")
        if tag == "input" and name is not None:
            kind = attributes.get("type", "text")
            if kind in ("checkbox", "radio"):
                if "checked" in attributes:
                    self.send(name, attributes.get("value") or "on")
            elif kind != "file":
                self.send(name, attributes.get("value") or "")
        elif tag == "select":
            self.select = (name, "multiple" in attributes, [])
        elif tag == "option" and self.select is not None:
            self.option = [attributes.get("value"), "selected" in attributes, ""]
        elif tag == "textarea":
            self.textarea = [name, ""]

    def handle_data(self, data):
        if self.option is not None:
            self.option[2] += data
        if self.textarea is not None:
            self.textarea[1] += data

    def handle_endtag(self, tag):
        if tag == "option" and self.option is not None:
            value, selected, text = self.option
            self.select[2].append((text.strip() if value is None else value, selected))
            self.option = None
        elif tag == "select" and self.select is not None:
            name, multiple, options = self.select
            chosen = [value for value, selected in options if selected]
            if not chosen and not multiple and options:
                chosen = [options[0][0]]
            for value in chosen if multiple else chosen[-1:]:
                self.send(name, value)
            self.select = None
        elif tag == "textarea" and self.textarea is not None:
            name, text = self.textarea
            self.send(name, text[1:] if text.startswith("\n") else text)
            self.textarea = None


def submitted(html_text: str) -> MultiValueDict:
    """The form data a browser would send for ``html_text``."""
    parser = BrowserForm()
    parser.feed(html_text)
    parser.close()
    return MultiValueDict(parser.data)


def round_trip(field, value):
    """``value`` → prepare_value → render → what a browser sends → value_from_datadict → clean."""
    rendered = field.widget.render("field", field.prepare_value(value))
    return field.clean(field.widget.value_from_datadict(submitted(rendered), MultiValueDict(), "field"))


def canonical(field, candidate):
    """The value ``field`` cleans ``candidate`` to; candidates it refuses are skipped."""
    try:
        return field.clean(candidate)
    except ValidationError:
        assume(False)


# Text a browser keeps as it is in an <input>: no line breaks (a text input drops them), nothing stripped.
line_text = st.text(st.characters(blacklist_categories=("Cs", "Cc"), blacklist_characters="\x00")).map(str.strip)
# Text a textarea keeps: anything but NUL (a validator refuses it) and CR (browsers send line breaks as CR LF).
area_text = st.text(st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00\r"))
email_text = st.from_regex(r"\A[a-z0-9+_-]{1,10}(\.[a-z0-9]{1,5})?@[a-z0-9]{1,10}\.(com|org|museum)\Z")
url_text = st.from_regex(r"\A(https?://)?[a-z0-9]{1,10}\.[a-z]{2,6}(/[a-z0-9/%?=&.-]{0,20})?\Z")
decimals = st.decimals(allow_nan=False, allow_infinity=False).filter(lambda number: abs(number.adjusted()) < 50)
CHOICES = [("a", "A"), ("<&'\">", "Markup"), ("Group", [("b", "B"), ("1", "One")]), ("", "Nothing")]
CHOICE_VALUES = ["a", "<&'\">", "b", "1"]
NUMBERS = [(1, "One"), (2, "Two"), (30, "Thirty")]
selections = st.lists(st.sampled_from(CHOICE_VALUES), unique=True)

CASES = [
    (fields.CharField(required=False), line_text),
    (fields.CharField(required=False, widget=HiddenInput), line_text),
    (fields.CharField(required=False, widget=Textarea), area_text),
    (fields.CharField(required=False, strip=False, widget=Textarea), area_text),
    (fields.IntegerField(required=False), st.integers(-(10**30), 10**30) | st.none()),
    (fields.FloatField(required=False), st.floats(allow_nan=False, allow_infinity=False) | st.none()),
    (fields.DecimalField(required=False), decimals),
    (fields.BooleanField(required=False), st.booleans()),
    (fields.NullBooleanField(), st.sampled_from([True, False, None])),
    (fields.EmailField(required=False), email_text),
    (fields.URLField(required=False), url_text),
    (fields.SlugField(required=False), st.from_regex(r"\A[-a-zA-Z0-9_]{0,20}\Z")),
    (fields.RegexField(r"^[<>\"'&a-z ]+\Z", required=False), st.text("<>\"'&ab ", min_size=1)),
    (fields.UUIDField(required=False), st.uuids()),
    (fields.GenericIPAddressField(required=False), st.ip_addresses().map(str)),
    (fields.JSONField(required=False), st.recursive(
        st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False, allow_infinity=False) | st.text(),
        lambda children: st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=5), children, max_size=3),
        max_leaves=8,
    )),  # fmt: skip
    (fields.DateField(required=False), st.dates(datetime.date(1000, 1, 1))),
    (fields.TimeField(required=False), st.times().map(lambda time: time.replace(microsecond=0))),
    (
        fields.DateTimeField(required=False),
        st.datetimes(datetime.datetime(1000, 1, 2), timezones=st.just(datetime.timezone.utc)).map(
            lambda moment: moment.replace(microsecond=0)
        ),
    ),
    (fields.DurationField(required=False), st.timedeltas()),
    (fields.ChoiceField(choices=CHOICES, required=False), st.sampled_from(CHOICE_VALUES + [""])),
    (fields.ChoiceField(choices=CHOICES, widget=RadioSelect), st.sampled_from(CHOICE_VALUES)),
    (fields.TypedChoiceField(choices=NUMBERS, coerce=int), st.sampled_from([1, 2, 30])),
    (fields.MultipleChoiceField(choices=CHOICES, required=False), selections),
    (
        fields.MultipleChoiceField(choices=CHOICES, widget=CheckboxSelectMultiple, required=False),
        selections,
    ),
    (
        fields.TypedMultipleChoiceField(choices=NUMBERS, coerce=int, required=False),
        st.lists(st.sampled_from([1, 2, 30]), unique=True),
    ),
]


def in_choice_order(field, value):
    """The selected values in the order the page lists them: the order a browser sends them in."""
    order = [str(choice) for choice in ["a", "<&'\">", "b", "1", 1, 2, 30]]
    return sorted(value, key=lambda item: order.index(str(item)))


CASE_IDS = [f"{type(field).__name__}-{type(field.widget).__name__}" for field, _ in CASES]


@pytest.mark.parametrize(("field", "values"), CASES, ids=CASE_IDS)
@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
@given(data=st.data())
def test_a_valid_value_comes_back_through_its_widget(field, values, data):
    value = canonical(field, data.draw(values))
    if isinstance(field, fields.MultipleChoiceField):
        value = in_choice_order(field, value)
    back = round_trip(field, value)
    assert back == value and type(back) is type(value), f"{value!r} came back as {back!r}"


def test_the_browser_model():
    page = (
        '<input type="text" name="t" value="a &amp; b"><input type="checkbox" name="c">'
        '<input type="checkbox" name="d" checked>'
        '<select name="s"><option value="x">X</option><option>Y</option></select>'
        '<select name="m" multiple><option value="1" selected>1</option><option selected>Two</option></select>'
        '<textarea name="area">\nline</textarea><input type="file" name="f">'
    )
    data = submitted(page)
    assert dict(data.lists()) == {"t": ["a & b"], "d": ["on"], "s": ["x"], "m": ["1", "Two"], "area": ["line"]}


def test_text_with_every_printable_character_comes_back():
    for field in (fields.CharField(), fields.CharField(widget=Textarea), fields.CharField(widget=HiddenInput)):
        text = string.printable.strip().replace("\r", "")
        assert round_trip(field, text) == text


def test_decimal_keeps_its_digits():
    assert round_trip(fields.DecimalField(), decimal.Decimal("1.50")).as_tuple() == decimal.Decimal("1.50").as_tuple()
