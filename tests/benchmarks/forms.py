"""Benchmark: a 10-field form bound, validated and rendered, by tinyframe, Django, WTForms and by hand.

Run it by hand (it is not collected as a test)::

    python -m pip install -e '.[bench]'     # Django and WTForms, to compare with
    python tests/benchmarks/forms.py        # --quick for a fast, rougher run
    python tests/benchmarks/forms.py --profile   # where tinyframe's time goes, by file and function

The form is a sign-up page's: text, email, integer, decimal, date, choice,
multiple choice, boolean, URL and a textarea. Each contender declares it in
its own library's spelling and does two jobs, each one call from submitted
data to HTML:

- valid: bind the form to valid data, validate it, render it;
- invalid: bind it to data with nine bad values (too long, not an email,
  below the minimum, three decimal places, the 40th of the 13th month, a
  choice not offered, one of two multiple choices not offered, not a URL,
  empty), validate it, render it with its nine errors.

Before timing, the script checks that they agree: the same cleaned values
for the valid data and the same invalid fields for the other; tinyframe
and the hand-written floor render exactly Django's HTML (whitespace between
tags aside); WTForms, which renders its own markup, shows every value it
was given, escaped, and one error list per invalid field.

It prints the median CPU time of each job and its ratio to the hand-written
floor (plain Python: ``str`` methods, ``Decimal``, ``strptime`` and
f-strings with ``html.escape``) and to Django. The target (issue 14): at
most 1/3 of Django's time, and ahead of WTForms.
"""

import datetime
import decimal
import html
import os
import re
import sys
import time
import urllib.parse

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, ROOT)

from measuring import median_seconds, print_profile  # noqa: E402  (this directory, beside the script)

# --- the data: what a browser would submit -------------------------------------------------

COLORS = [("red", "Red"), ("green", "Green"), ("blue", "Blue")]
TAGS = [("python", "Python"), ("web", "Web"), ("forms", "Forms"), ("orm", "ORM")]
FIELD_NAMES = ["name", "email", "age", "price", "birthday", "color", "tags", "subscribe", "website", "bio"]

VALID = [
    ("name", "Ada <Lovelace>"), ("email", "ada@example.com"), ("age", "36"), ("price", "12.50"),
    ("birthday", "1815-12-10"), ("color", "green"), ("tags", "python"), ("tags", "forms"), ("subscribe", "on"),
    ("website", "https://example.com/ada?x=1&y=2"), ("bio", 'Wrote "notes" & <b>programs</b>.'),
]
INVALID = [
    ("name", "x" * 101), ("email", "not an email"), ("age", "-3"), ("price", "12.345"),
    ("birthday", "1815-13-40"), ("color", "purple"), ("tags", "python"), ("tags", "cobol"),
    ("website", "no spaces allowed"), ("bio", ""),
]
VALID_QUERY, INVALID_QUERY = urllib.parse.urlencode(VALID), urllib.parse.urlencode(INVALID)

# What every contender must find in the valid data (its cleaned_data / data).
EXPECTED_CLEANED = {
    "name": "Ada <Lovelace>", "email": "ada@example.com", "age": 36, "price": decimal.Decimal("12.50"),
    "birthday": datetime.date(1815, 12, 10), "color": "green", "tags": ["python", "forms"], "subscribe": True,
    "website": "https://example.com/ada?x=1&y=2", "bio": 'Wrote "notes" & <b>programs</b>.',
}
EXPECTED_INVALID_FIELDS = {"name", "email", "age", "price", "birthday", "color", "tags", "website", "bio"}


class MultiDict(dict):
    """``{name: [values]}`` with ``getlist``: the shape of submitted data WTForms and the floor read."""

    def __init__(self, pairs):
        super().__init__()
        for name, value in pairs:
            self.setdefault(name, []).append(value)

    def getlist(self, name):
        return self.get(name, [])


# --- the floor: written by hand ------------------------------------------------------------

EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[A-Za-z]{2,}$")
URL = re.compile(r"^https?://[^\s/?#]+\.[^\s/?#]+(?:[/?#]\S*)?$")


def attribute(name, value):
    return f' {name}="{html.escape(value)}"'


def options(choices, selected):
    return "".join(
        f'<option value="{value}"{" selected" if value in selected else ""}>{label}</option>' for value, label in choices
    )


def render_by_hand(data: MultiDict) -> tuple[dict, dict, str]:
    """Validate and render the form with plain Python: ``(cleaned, errors, html)``, Django's HTML exactly."""
    first = {name: values[-1] for name, values in data.items()}
    cleaned, errors = {}, {}

    def text(name, limit=None):
        value = first.get(name, "").strip()
        if not value:
            errors[name] = "This field is required."
        elif limit is not None and len(value) > limit:
            errors[name] = f"Ensure this value has at most {limit} characters (it has {len(value)})."
        else:
            cleaned[name] = value

    text("name", 100)
    text("email", 320)
    if "email" in cleaned and not EMAIL.match(cleaned["email"]):
        errors["email"] = "Enter a valid email address."
        del cleaned["email"]
    try:
        age = int(first.get("age", ""))
        if age < 0:
            errors["age"] = "Ensure this value is greater than or equal to 0."
        elif age > 150:
            errors["age"] = "Ensure this value is less than or equal to 150."
        else:
            cleaned["age"] = age
    except ValueError:
        errors["age"] = "Enter a whole number."
    try:
        price = decimal.Decimal(first.get("price", ""))
        if -price.as_tuple().exponent > 2:
            errors["price"] = "Ensure that there are no more than 2 decimal places."
        else:
            cleaned["price"] = price
    except decimal.InvalidOperation:
        errors["price"] = "Enter a number."
    try:
        cleaned["birthday"] = datetime.datetime.strptime(first.get("birthday", ""), "%Y-%m-%d").date()
    except ValueError:
        errors["birthday"] = "Enter a valid date."
    color = first.get("color", "")
    if color in dict(COLORS):
        cleaned["color"] = color
    else:
        errors["color"] = f"Select a valid choice. {color} is not one of the available choices."
    tags = data.getlist("tags")
    wrong = [tag for tag in tags if tag not in dict(TAGS)]
    if wrong:
        errors["tags"] = f"Select a valid choice. {wrong[0]} is not one of the available choices."
    else:
        cleaned["tags"] = tags
    cleaned["subscribe"] = "subscribe" in first
    text("website")
    if "website" in cleaned and not URL.match(cleaned["website"]):
        errors["website"] = "Enter a valid URL."
        del cleaned["website"]
    text("bio")

    def field(name, widget, required=True):
        error = errors.get(name)
        if error:
            error_list = f'<ul class="errorlist" id="id_{name}_error"><li>{html.escape(error)}</li></ul>'
            aria = f' aria-invalid="true" aria-describedby="id_{name}_error"'
        else:
            error_list = aria = ""
        label = name.capitalize()
        return f'<div><label for="id_{name}">{label}:</label>{error_list}{widget(aria)}</div>'

    def value(name):
        return attribute("value", first[name]) if first.get(name) else ""

    def text_input(name, kind, extra=""):
        return lambda aria: f'<input type="{kind}" name="{name}"{value(name)}{extra} required{aria} id="id_{name}">'

    parts = [
        field("name", text_input("name", "text", ' maxlength="100"')),
        field("email", text_input("email", "email", ' maxlength="320"')),
        field("age", text_input("age", "number", ' min="0" max="150"')),
        field("price", text_input("price", "number", ' step="0.01"')),
        field("birthday", text_input("birthday", "text")),
        field("color", lambda aria: f'<select name="color"{aria} id="id_color">{options(COLORS, [color])}</select>'),
        field("tags", lambda aria: f'<select name="tags" required{aria} id="id_tags" multiple>{options(TAGS, tags)}</select>'),
        field("subscribe", lambda aria: f'<input type="checkbox" name="subscribe" id="id_subscribe"'
                                        f'{" checked" if cleaned["subscribe"] else ""}>'),
        field("website", text_input("website", "url")),
        field("bio", lambda aria: f'<textarea name="bio" cols="40" rows="10" required{aria} id="id_bio">\n'
                                  f'{html.escape(first.get("bio", ""))}</textarea>'),
    ]
    return cleaned, errors, "".join(parts)


# --- the contenders: each returns a function from submitted data to (cleaned, errors, html) ---------


def django_form_class(forms):
    """The form, declared with Django's API: tinyframe's and Django's spelling are the same."""

    class SignUpForm(forms.Form):
        name = forms.CharField(max_length=100)
        email = forms.EmailField()
        age = forms.IntegerField(min_value=0, max_value=150)
        price = forms.DecimalField(max_digits=8, decimal_places=2)
        birthday = forms.DateField()
        color = forms.ChoiceField(choices=COLORS)
        tags = forms.MultipleChoiceField(choices=TAGS)
        subscribe = forms.BooleanField(required=False)
        website = forms.URLField(assume_scheme="https")
        bio = forms.CharField(widget=forms.Textarea)

    return SignUpForm


def bind_validate_render(form_class):
    def run(data):
        form = form_class(data)
        valid = form.is_valid()
        page = str(form)
        return (form.cleaned_data if valid else None), form.errors, page

    return run


def tinyframe_contender():
    from tinyframe.conf import settings

    if not settings.configured:
        settings.configure(USE_TZ=False)
    import tinyframe
    from tinyframe import forms
    from tinyframe.http import QueryDict

    tinyframe.setup()
    return bind_validate_render(django_form_class(forms)), QueryDict


def django_contender():
    import django
    from django.conf import settings

    if not settings.configured:
        settings.configure(USE_TZ=False, USE_I18N=False)
        django.setup()
    from django import forms
    from django.http import QueryDict

    return bind_validate_render(django_form_class(forms)), QueryDict


def wtforms_contender():
    import wtforms
    from wtforms import validators as v

    def two_places(form, field):
        if field.data is not None and -field.data.as_tuple().exponent > 2:
            raise v.ValidationError("Ensure that there are no more than 2 decimal places.")

    class SignUpForm(wtforms.Form):
        name = wtforms.StringField("Name", [v.InputRequired(), v.Length(max=100)])
        email = wtforms.EmailField("Email", [v.InputRequired(), v.Email()])
        age = wtforms.IntegerField("Age", [v.InputRequired(), v.NumberRange(min=0, max=150)])
        price = wtforms.DecimalField("Price", [v.InputRequired(), two_places])
        birthday = wtforms.DateField("Birthday", [v.InputRequired()])
        color = wtforms.SelectField("Color", choices=COLORS)
        tags = wtforms.SelectMultipleField("Tags", [v.InputRequired()], choices=TAGS)
        subscribe = wtforms.BooleanField("Subscribe")
        website = wtforms.URLField("Website", [v.InputRequired(), v.URL()])
        bio = wtforms.TextAreaField("Bio", [v.InputRequired()])

    def run(data):
        form = SignUpForm(data)
        valid = form.validate()
        # WTForms leaves the page to a template (usually Jinja2's); this loop
        # is the cheapest equivalent: label, the field's errors, the widget.
        parts = []
        for field in form:
            if field.errors:
                errors = "".join(f"<li>{html.escape(error)}</li>" for error in field.errors)
                errors = f'<ul class="errorlist" id="{field.id}_error">{errors}</ul>'
            else:
                errors = ""
            parts.append(f"<div>{field.label(text=field.label.text + ':')}{errors}{field()}</div>")
        return (form.data if valid else None), form.errors, "".join(parts)

    return run, MultiDict


# --- checking that they agree, and measuring -------------------------------------------------


def normalize(page: str) -> str:
    """The page without the whitespace around its tags, entities spelled Django's way."""
    page = page.replace("&#39;", "&#x27;").replace("&#34;", "&quot;")
    return re.sub(r"\s*(<[^>]*>)\s*", r"\1", page).strip()


def first_difference(got: str, expected: str) -> str:
    at = next(i for i, (a, b) in enumerate(zip(got + "\0", expected + "\0")) if a != b)
    return f"at character {at}:\n  got:      ...{got[max(at - 80, 0):at + 80]}...\n  expected: ...{expected[max(at - 80, 0):at + 80]}..."


def check(contenders: dict) -> None:
    """Stop with a clear message unless every contender cleans, rejects and renders as the others do."""
    reference = {}
    for name, (run, valid, invalid) in contenders.items():
        cleaned, errors, page = run(valid)
        if errors or cleaned is None:
            raise SystemExit(f"{name} rejects the valid data: {dict(errors)}")
        cleaned = {field: cleaned[field] for field in FIELD_NAMES}
        if cleaned != EXPECTED_CLEANED:
            raise SystemExit(f"{name} cleans the valid data to {cleaned}\n  expected {EXPECTED_CLEANED}")
        _, errors, bad_page = run(invalid)
        if set(errors) != EXPECTED_INVALID_FIELDS:
            raise SystemExit(f"{name} finds errors in {sorted(errors)}, expected {sorted(EXPECTED_INVALID_FIELDS)}")
        if name == "WTForms":
            page = normalize(page)
            missing = [value for _, value in VALID if value != "on" and html.escape(value) not in page]
            if missing or bad_page.count('class="errorlist"') != len(EXPECTED_INVALID_FIELDS):
                raise SystemExit(f"WTForms' page does not show {missing} escaped, or lacks an error list")
            continue
        for label, rendered in (("valid", page), ("invalid", bad_page)):
            rendered = normalize(rendered)
            if label in reference and rendered != reference[label]:
                raise SystemExit(f"{name} renders the {label} form unlike Django {first_difference(rendered, reference[label])}")
            reference.setdefault(label, rendered)


def profile(run, jobs: dict, calls: int = 300) -> None:
    """Print where tinyframe spends its time in each job, down to the forms' own functions."""
    for job, data in jobs.items():
        run(data)  # compile the templates first: a page is rendered warm
        print_profile(job, lambda: run(data), calls, "a form",
                      lambda filename: "tinyframe/forms/" in filename or filename.startswith("<template tinyframe/forms"))


def main() -> None:
    quick = "--quick" in sys.argv
    if "--profile" in sys.argv:
        run, data_class = tinyframe_contender()
        profile(run, {"valid": data_class(VALID_QUERY), "invalid": data_class(INVALID_QUERY)})
        return
    # Django first: its HTML is the reference the others are checked against.
    contenders = {}
    for name, factory in (("Django", django_contender), ("tinyframe", tinyframe_contender),
                          ("WTForms", wtforms_contender)):
        try:
            run, data_class = factory()
        except (ImportError, AttributeError) as error:  # AttributeError: tinyframe before chapter 09
            print(f"({name} is not installed or not ready: skipped. {error})")
            continue
        contenders[name] = (run, data_class(VALID_QUERY) if name != "WTForms" else data_class(VALID),
                            data_class(INVALID_QUERY) if name != "WTForms" else data_class(INVALID))
    contenders["by hand (floor)"] = (render_by_hand, MultiDict(VALID), MultiDict(INVALID))
    check(contenders)
    print(f"All {len(contenders)} agree: the same cleaned values, the same nine invalid fields, "
          f"Django's HTML (WTForms: its own).\n")

    repeat, number = (7, 30) if quick else (21, 100)
    floor_name, django_name = "by hand (floor)", "Django"
    print(f"{'':<18}{'median':>10}{'x floor':>10}{'x Django':>10}")
    results = {}
    for job, index in (("valid", 1), ("invalid", 2)):
        jobs = {name: (lambda entry=entry, index=index: entry[0](entry[index])) for name, entry in contenders.items()}
        results[job] = times = median_seconds(jobs, repeat, number)
        print(f"{job}: bind, validate, render{' with errors' if job == 'invalid' else ''}")
        for name, seconds in times.items():
            versus = f"{seconds / times[django_name]:>9.2f}x" if django_name in times else f"{'-':>10}"
            print(f"  {name:<16}{seconds * 1e6:>8.0f}us{seconds / times[floor_name]:>9.2f}x{versus}")
        print()
    if "tinyframe" in results["valid"] and django_name in results["valid"]:
        for job, times in results.items():
            verdicts = [f"{times['tinyframe'] / times[django_name]:.2f} of Django's time (target <= 0.33)"]
            if "WTForms" in times:
                verdicts.append(f"{times['tinyframe'] / times['WTForms']:.2f} of WTForms' (target < 1)")
            print(f"tinyframe, {job}: " + "; ".join(verdicts))


if __name__ == "__main__":
    start = time.perf_counter()
    main()
    print(f"({time.perf_counter() - start:.1f}s)")
