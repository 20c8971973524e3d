"""The file upload field: an ``UploadedFile`` from chapter 01's multipart parser, or a reason why not.

How it works: the widget (``ClearableFileInput``) reads the upload from
``request.FILES``; ``FileField.clean(data, initial)`` then decides between
three things a user may have meant: a new file (checked: it has a name, the
name is not too long, it is not empty), no new file (keep ``initial``, the
file already stored), or "clear" ticked (False: remove the file). Ticking
"clear" *and* choosing a file is a contradiction, reported as one.

A form that is not ``enctype="multipart/form-data"`` sends the file's name
as text instead of the file: that is the ``invalid`` message, which says so.

>>> from tinyframe.http.multipartparser import UploadedFile
>>> FileField().clean(UploadedFile(name="notes.txt", size=0))
Traceback (most recent call last):
  ...
tinyframe.core.exceptions.ValidationError: ['The submitted file is empty.']
"""

from tinyframe.core.exceptions import ValidationError
from tinyframe.forms.fields.base import Field
from tinyframe.forms.widgets import FILE_INPUT_CONTRADICTION, ClearableFileInput

__all__ = ["FileField"]


class FileField(Field):
    """An uploaded file, kept as the ``UploadedFile`` object (saving it is the model field's job)."""

    widget = ClearableFileInput
    default_error_messages = {
        "invalid": "No file was submitted. Check the encoding type on the form.",
        "missing": "No file was submitted.",
        "empty": "The submitted file is empty.",
        "max_length": "Ensure this filename has at most %(max)d characters (it has %(length)d).",
        "contradiction": "Please either submit a file or check the clear checkbox, not both.",
    }

    def __init__(self, *, max_length=None, allow_empty_file=False, **kwargs):
        self.max_length = max_length
        self.allow_empty_file = allow_empty_file
        super().__init__(**kwargs)
        if max_length == 1 and "max_length" not in (kwargs.get("error_messages") or {}):
            # English says "1 character": the message agrees with the limit, as Django's translation does.
            self.error_messages["max_length"] = (
                "Ensure this filename has at most %(max)d character (it has %(length)d)."
            )

    def to_python(self, data):
        """The uploaded file, after checking it is one (has a name and a size), its name's length, its size."""
        if data in self.empty_values:
            return None
        try:
            file_name = data.name
            file_size = data.size
        except AttributeError:
            # Text where a file should be: the form was not sent as multipart/form-data.
            raise ValidationError(self.error_messages["invalid"], code="invalid") from None
        if not isinstance(file_name, str):
            raise ValidationError(self.error_messages["invalid"], code="invalid")
        if self.max_length is not None and len(file_name) > self.max_length:
            params = {"max": self.max_length, "length": len(file_name)}
            raise ValidationError(self.error_messages["max_length"], code="max_length", params=params)
        if not file_name:
            raise ValidationError(self.error_messages["invalid"], code="invalid")
        if not self.allow_empty_file and not file_size:
            raise ValidationError(self.error_messages["empty"], code="empty")
        return data

    def clean(self, data, initial=None):
        """The file to keep: the new upload, ``initial`` when none was sent, False when "clear" was ticked."""
        if data is FILE_INPUT_CONTRADICTION:
            raise ValidationError(self.error_messages["contradiction"], code="contradiction")
        if data is False:
            # "Clear" ticked: no file any more, which a required field cannot accept.
            if not self.required:
                return False
            data = None
        if not data and initial:
            return initial
        return super().clean(data)

    def bound_data(self, _, initial):
        """A browser never sends a file input's value back, so a bound form shows the initial file."""
        return initial

    def has_changed(self, initial, data):
        """Anything submitted (a file, or False for "clear") is a change."""
        return not self.disabled and data is not None

    def _clean_bound_field(self, bound_field):
        """Clean with the initial file, so that "no new file" keeps it."""
        value = bound_field.initial if self.disabled else bound_field.data
        return self.clean(value, bound_field.initial)
