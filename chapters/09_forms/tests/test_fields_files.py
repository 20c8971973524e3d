"""FileField: chapter 01's UploadedFile checked, kept, replaced or cleared (Django 5.2's messages)."""

import io

import pytest

from tinyframe.core.exceptions import ValidationError
from tinyframe.core.validators import FileExtensionValidator
from tinyframe.forms import ClearableFileInput, FileField
from tinyframe.forms.widgets import FILE_INPUT_CONTRADICTION
from tinyframe.http.multipartparser import UploadedFile


def upload(name="notes.txt", content=b"hello"):
    return UploadedFile(file=io.BytesIO(content), name=name, content_type="text/plain", size=len(content))


def clean_error(field, *args):
    """The (code, message) pairs ``field.clean(*args)`` raises."""
    with pytest.raises(ValidationError) as caught:
        field.clean(*args)
    return [(error.code, error.message % (error.params or {})) for error in caught.value.error_list]


REQUIRED = [("required", "This field is required.")]
INVALID = [("invalid", "No file was submitted. Check the encoding type on the form.")]


def test_file_field_returns_the_upload():
    uploaded = upload()
    assert FileField().clean(uploaded) is uploaded
    assert isinstance(FileField().widget, ClearableFileInput)


@pytest.mark.parametrize("nothing", [None, "", False])
def test_required_file_field_wants_a_file(nothing):
    assert clean_error(FileField(), nothing) == REQUIRED


@pytest.mark.parametrize("not_a_file", ["notes.txt", ["notes.txt"], {"name": "x"}.items(), 5, "<script>"])
def test_text_where_a_file_should_be_says_check_the_encoding(not_a_file):
    # A form sent without enctype="multipart/form-data" sends the file's name as text.
    assert clean_error(FileField(), not_a_file) == INVALID


def test_an_upload_without_a_name_is_invalid():
    assert clean_error(FileField(), UploadedFile(file=io.BytesIO(b"x"), name=None, size=1)) == INVALID
    no_name = upload()
    no_name.name = ""
    assert clean_error(FileField(), no_name) == INVALID


def test_an_object_with_a_name_that_is_not_text_is_invalid():
    class Odd:
        name, size = 5, 1

    assert clean_error(FileField(), Odd()) == INVALID


def test_an_empty_file_is_refused_unless_allowed():
    empty = upload(content=b"")
    assert clean_error(FileField(), empty) == [("empty", "The submitted file is empty.")]
    assert FileField(allow_empty_file=True).clean(empty) is empty


def test_file_name_length():
    assert clean_error(FileField(max_length=5), upload("notes.txt")) == [
        ("max_length", "Ensure this filename has at most 5 characters (it has 9).")
    ]
    assert clean_error(FileField(max_length=1), upload("ab")) == [
        ("max_length", "Ensure this filename has at most 1 character (it has 2).")
    ]
    field = FileField(max_length=1, error_messages={"max_length": "Name too long."})
    assert clean_error(field, upload("ab")) == [("max_length", "Name too long.")]
    assert FileField(max_length=9).clean(upload("notes.txt")).name == "notes.txt"


def test_no_new_file_keeps_the_initial_one():
    assert FileField().clean(None, "stored.txt") == "stored.txt"
    assert FileField().clean("", "stored.txt") == "stored.txt"
    new = upload()
    assert FileField().clean(new, "stored.txt") is new


def test_clear_removes_the_file_of_an_optional_field():
    assert FileField(required=False).clean(False, "stored.txt") is False
    assert FileField(required=False).clean(False) is False
    # A required field cannot be cleared: it keeps what it has, or wants a file.
    assert FileField().clean(False, "stored.txt") == "stored.txt"
    assert clean_error(FileField(), False) == REQUIRED


def test_a_new_file_and_clear_at_once_is_a_contradiction():
    assert clean_error(FileField(required=False), FILE_INPUT_CONTRADICTION) == [
        ("contradiction", "Please either submit a file or check the clear checkbox, not both.")
    ]


def test_optional_file_field_without_a_file_is_none():
    assert FileField(required=False).clean(None) is None


def test_validators_run_on_the_upload():
    field = FileField(validators=[FileExtensionValidator(["pdf"])])
    assert clean_error(field, upload("notes.txt")) == [
        ("invalid_extension", "File extension “txt” is not allowed. Allowed extensions are: pdf.")
    ]


def test_bound_data_and_has_changed():
    field = FileField()
    assert field.bound_data("anything", "stored.txt") == "stored.txt"
    assert field.has_changed("stored.txt", None) is False
    assert field.has_changed("stored.txt", upload()) is True
    assert field.has_changed("stored.txt", False) is True
    assert FileField(disabled=True).has_changed("stored.txt", upload()) is False


def test_clean_bound_field_passes_the_initial_file():
    stored = upload("stored.txt")

    class Bound:
        data, initial = None, stored

    assert FileField()._clean_bound_field(Bound()) is stored
    Bound.data = upload()
    assert FileField(disabled=True)._clean_bound_field(Bound()) is stored
