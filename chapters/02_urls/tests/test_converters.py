"""Path converters: what each matches, what the view gets, and registering your own."""

import re
import uuid

import pytest

from tinyframe.urls import NoReverseMatch, Resolver404, path, register_converter, resolve, reverse
from tinyframe.urls.converters import DEFAULT_CONVERTERS, get_converter, get_converters


def view(request, **kwargs):
    return kwargs


@pytest.mark.parametrize(
    "name, text, value",
    [
        ("int", "2024", 2024),
        ("int", "007", 7),
        ("str", "hello world", "hello world"),
        ("slug", "building-a_framework-2", "building-a_framework-2"),
        ("path", "docs/api/urls.html", "docs/api/urls.html"),
        ("uuid", "12345678-1234-5678-1234-567812345678", uuid.UUID("12345678-1234-5678-1234-567812345678")),
    ],
)
def test_a_converter_matches_its_text_and_gives_the_view_a_value(name, text, value):
    """Each built-in converter's regex matches typical text, and to_python turns it into the view's value."""
    converter = get_converter(name)
    assert re.fullmatch(converter.regex, text), f"the {name!r} converter's regex {converter.regex!r} refused {text!r}"
    got = converter.to_python(text)
    assert (got, type(got)) == (value, type(value)), (
        f"{name} converter: to_python({text!r}) returned {got!r}; expected {value!r}"
    )


@pytest.mark.parametrize(
    "name, text",
    [
        ("int", "-1"),
        ("int", "12a"),
        ("str", "a/b"),
        ("str", ""),
        ("slug", "a b"),
        ("slug", "café"),
        ("uuid", "12345678-1234-5678-1234-56781234567Z"),
        ("uuid", "12345678123456781234567812345678"),
        ("path", ""),
    ],
)
def test_a_converter_refuses_other_text(name, text):
    """Each converter's regex refuses text that is not its kind: a 404 rather than a wrong value."""
    converter = get_converter(name)
    assert not re.fullmatch(converter.regex, text), f"the {name!r} converter's regex matched {text!r}"


@pytest.mark.parametrize(
    "name, value, text",
    [("int", 7, "7"), ("str", "a b", "a b"), ("uuid", uuid.UUID(int=5), "00000000-0000-0000-0000-000000000005")],
)
def test_to_url_gives_the_text_of_a_value(name, value, text):
    """to_url is the reverse of to_python."""
    assert get_converter(name).to_url(value) == text


def test_the_default_converters_are_the_five_of_django():
    """int, path, slug, str and uuid, as in Django."""
    assert sorted(DEFAULT_CONVERTERS) == ["int", "path", "slug", "str", "uuid"]


class FourDigitYear:
    regex = "[0-9]{4}"

    def to_python(self, value):
        return int(value)

    def to_url(self, value):
        return f"{value:04d}"


class EvenNumber:
    """Matches digits, but refuses odd numbers in to_python and to_url (ValueError)."""

    regex = "[0-9]+"

    def to_python(self, value):
        if int(value) % 2:
            raise ValueError("odd")
        return int(value)

    def to_url(self, value):
        if value % 2:
            raise ValueError("odd")
        return str(value)


def test_a_registered_converter_works_in_routes_both_ways(converters, urlconf):
    """register_converter makes <yyyy:year> usable: resolve converts with to_python, reverse with to_url."""
    register_converter(FourDigitYear, "yyyy")
    name = urlconf([path("archive/<yyyy:year>/", view, name="archive")])
    match = resolve("/archive/0999/", urlconf=name)
    assert match.kwargs == {"year": 999}, f"resolve('/archive/0999/') gave {match.kwargs}; expected {{'year': 999}}"
    assert reverse("archive", urlconf=name, args=[999]) == "/archive/0999/"
    with pytest.raises(Resolver404):
        resolve("/archive/99/", urlconf=name)


def test_a_value_error_from_to_python_means_the_next_pattern(converters, urlconf):
    """A converter raising ValueError in to_python is not a 500: resolving goes on, or ends in a 404."""
    register_converter(EvenNumber, "even")

    def odd(request, number):
        return "odd"

    name = urlconf([path("n/<even:number>/", view, name="even"), path("n/<int:number>/", odd)])
    assert resolve("/n/4/", urlconf=name).func is view
    assert resolve("/n/5/", urlconf=name).func is odd, "to_python raised ValueError for 5: the next pattern must be tried"
    only_even = urlconf([path("n/<even:number>/", view)])
    with pytest.raises(Resolver404):
        resolve("/n/5/", urlconf=only_even)


def test_a_value_error_from_to_url_means_no_reverse_match(converters, urlconf):
    """A converter raising ValueError in to_url makes reverse() fail with NoReverseMatch, not ValueError."""
    register_converter(EvenNumber, "even")
    name = urlconf([path("n/<even:number>/", view, name="even")])
    assert reverse("even", urlconf=name, args=[4]) == "/n/4/"
    with pytest.raises(NoReverseMatch):
        reverse("even", urlconf=name, args=[5])


def test_a_converter_name_is_registered_once(converters):
    """Registering a name twice, or a built-in name, is a ValueError (Django 6 refuses it too)."""
    register_converter(FourDigitYear, "yyyy")
    for name in ("yyyy", "int"):
        with pytest.raises(ValueError) as caught:
            register_converter(EvenNumber, name)
        assert str(caught.value) == f"Converter {name} is already registered."
    assert type(get_converters()["yyyy"]) is FourDigitYear


def test_a_converter_without_to_url_is_refused(converters):
    """A class missing regex, to_python or to_url is refused when registered, with the member named."""

    class Incomplete:
        regex = "x"

        def to_python(self, value):
            return value

    with pytest.raises(TypeError, match="has no 'to_url'"):
        register_converter(Incomplete, "incomplete")
    assert "incomplete" not in get_converters()
