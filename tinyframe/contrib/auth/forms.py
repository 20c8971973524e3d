"""The auth forms: logging in, signing up, setting and changing a password, editing a user.

How it works: each is an ordinary form of chapter 09. ``AuthenticationForm``
has a username and a password; its ``clean`` asks ``authenticate`` for the
user and fails with one message, ``invalid_login``, whether the username is
unknown or the password wrong (two messages would tell an attacker which
usernames exist); ``confirm_login_allowed`` then refuses inactive users.
``UserCreationForm`` (a ModelForm of ``User``), ``SetPasswordForm`` and
``PasswordChangeForm`` share ``SetPasswordMixin``: two password boxes that
must match, the ``AUTH_PASSWORD_VALIDATORS`` run against the user, and
``set_password`` (a hash) before saving. ``UserChangeForm`` shows the stored
hash only as a summary (``ReadOnlyPasswordHashWidget``), never as a value to
edit.

Passwords never travel back to the page: every password box is a
``PasswordInput``, which renders empty, and no message names a password.
"""

import unicodedata

from tinyframe import forms
from tinyframe.contrib.auth import authenticate, get_user_model, password_validation
from tinyframe.contrib.auth.hashers import UNUSABLE_PASSWORD_PREFIX, identify_hasher
from tinyframe.contrib.auth.models import User
from tinyframe.core.exceptions import ValidationError
from tinyframe.utils.text import capfirst

__all__ = [
    "AuthenticationForm", "BaseUserCreationForm", "PasswordChangeForm", "ReadOnlyPasswordHashField",
    "ReadOnlyPasswordHashWidget", "SetPasswordForm", "SetPasswordMixin", "UserChangeForm", "UserCreationForm",
    "UsernameField",
]


class ReadOnlyPasswordHashWidget(forms.Widget):
    """Shows a password hash as its summary (algorithm, iterations, masked salt and hash): nothing to type in."""

    template_name = "auth/widgets/read_only_password_hash.html"
    read_only = True

    def get_context(self, name: str, value, attrs) -> dict:
        context = super().get_context(name, value, attrs)
        usable_password = bool(value) and not value.startswith(UNUSABLE_PASSWORD_PREFIX)
        summary = []
        if not usable_password:
            summary.append({"label": "No password set."})
        else:
            try:
                hasher = identify_hasher(value)
            except ValueError:
                summary.append({"label": "Invalid password format or unknown hashing algorithm."})
            else:
                summary.extend({"label": key, "value": part} for key, part in hasher.safe_summary(value).items())
        context["summary"] = summary
        context["button_label"] = "Reset password" if usable_password else "Set password"
        return context

    def id_for_label(self, id_):
        return None  # nothing to focus: the label points at no input


class ReadOnlyPasswordHashField(forms.Field):
    """The password column in a user's change form: shown summarised, never required, never changed by the form."""

    widget = ReadOnlyPasswordHashWidget

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("required", False)
        kwargs.setdefault("disabled", True)
        super().__init__(*args, **kwargs)


class UsernameField(forms.CharField):
    """A username box: NFKC-normalised (so ``"ﬁsh"`` is ``"fish"``), with the browser's username hints."""

    def to_python(self, value):
        value = super().to_python(value)
        if self.max_length is not None and len(value) > self.max_length:
            # Too long already, and normalising never shortens: skip the
            # (slow, on a huge value) normalisation; max_length refuses it.
            return value
        return unicodedata.normalize("NFKC", value)

    def widget_attrs(self, widget) -> dict:
        return {**super().widget_attrs(widget), "autocapitalize": "none", "autocomplete": "username"}


class SetPasswordMixin:
    """Two new-password boxes that must match and pass the validators, and the save that hashes the password."""

    error_messages = {"password_mismatch": "The two password fields didn’t match."}

    @staticmethod
    def create_password_fields(label1: str = "Password", label2: str = "Password confirmation") -> tuple:
        """The password box (with the validators' rules as help) and its confirmation box."""
        password1 = forms.CharField(
            label=label1, required=True, strip=False,
            widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
            help_text=password_validation.password_validators_help_text_html(),
        )
        password2 = forms.CharField(
            label=label2, required=True, strip=False,
            widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
            help_text="Enter the same password as before, for verification.",
        )
        return password1, password2

    def validate_passwords(self, password1_field_name: str = "password1", password2_field_name: str = "password2"):
        """Pin ``password_mismatch`` on the second box when both are filled in and differ."""
        password1 = self.cleaned_data.get(password1_field_name)
        password2 = self.cleaned_data.get(password2_field_name)
        if password1 and password2 and password1 != password2:
            self.add_error(password2_field_name,
                           ValidationError(self.error_messages["password_mismatch"], code="password_mismatch"))

    def validate_password_for_user(self, user, password_field_name: str = "password2") -> None:
        """Run ``AUTH_PASSWORD_VALIDATORS`` on the password, against ``user``; errors go on that box."""
        password = self.cleaned_data.get(password_field_name)
        if password:
            try:
                password_validation.validate_password(password, user)
            except ValidationError as error:
                self.add_error(password_field_name, error)

    def set_password_and_save(self, user, password_field_name: str = "password1", commit: bool = True):
        """Hash the new password into ``user``; save it unless ``commit`` is False."""
        user.set_password(self.cleaned_data[password_field_name])
        if commit:
            user.save()
        return user


class AuthenticationForm(forms.Form):
    """The login form: ``AuthenticationForm(request, data=request.POST)``; ``get_user()`` once it is valid."""

    username = UsernameField(widget=forms.TextInput(attrs={"autofocus": True}))
    password = forms.CharField(
        label="Password", strip=False, widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )

    error_messages = {
        "invalid_login": "Please enter a correct %(username)s and password. Note that both fields may be "
                         "case-sensitive.",
        "inactive": "This account is inactive.",
    }

    def __init__(self, request=None, *args, **kwargs):
        # The request is for the backends (and subclasses): the data comes as ``data=``.
        self.request = request
        self.user_cache = None
        super().__init__(*args, **kwargs)
        user_model = get_user_model()
        self.username_field = user_model._meta.get_field(user_model.USERNAME_FIELD)
        max_length = self.username_field.max_length or 254
        self.fields["username"].max_length = max_length
        self.fields["username"].widget.attrs["maxlength"] = max_length
        if self.fields["username"].label is None:
            self.fields["username"].label = capfirst(self.username_field.verbose_name)

    def clean(self):
        username = self.cleaned_data.get("username")
        password = self.cleaned_data.get("password")
        if username is not None and password:
            self.user_cache = authenticate(self.request, username=username, password=password)
            if self.user_cache is None:
                raise self.get_invalid_login_error()
            self.confirm_login_allowed(self.user_cache)
        return self.cleaned_data

    def confirm_login_allowed(self, user) -> None:
        """Raise ``ValidationError`` if ``user``, whose password was right, may not log in: here, an inactive one.

        Override it for another policy (only staff, only verified emails...).
        ``ModelBackend`` already refuses inactive users, so this message is
        seen with a backend that lets them through (``AllowAllUsersModelBackend``).
        """
        if not user.is_active:
            raise ValidationError(self.error_messages["inactive"], code="inactive")

    def get_user(self):
        """The authenticated user, after ``is_valid()``; None before or when it failed."""
        return self.user_cache

    def get_invalid_login_error(self) -> ValidationError:
        """The one error for an unknown username and a wrong password alike."""
        return ValidationError(self.error_messages["invalid_login"], code="invalid_login",
                               params={"username": self.username_field.verbose_name})


class BaseUserCreationForm(SetPasswordMixin, forms.ModelForm):
    """A new user from a username and a password typed twice; no permissions, no staff status."""

    password1, password2 = SetPasswordMixin.create_password_fields()

    class Meta:
        model = User
        fields = ("username",)
        field_classes = {"username": UsernameField}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        username_field_name = self._meta.model.USERNAME_FIELD
        if username_field_name in self.fields:
            self.fields[username_field_name].widget.attrs["autofocus"] = True

    def clean(self):
        self.validate_passwords()
        return super().clean()

    def _post_clean(self) -> None:
        super()._post_clean()
        # After the ModelForm has copied the form's values onto the instance,
        # so the similarity validator compares with the new username.
        self.validate_password_for_user(self.instance)

    def save(self, commit: bool = True):
        user = super().save(commit=False)
        user = self.set_password_and_save(user, commit=commit)
        if commit and hasattr(self, "save_m2m"):
            self.save_m2m()
        return user


class UserCreationForm(BaseUserCreationForm):
    """``BaseUserCreationForm`` that also refuses a username differing from an existing one only in case."""

    def clean_username(self):
        username = self.cleaned_data.get("username")
        if username and self._meta.model.objects.filter(username__iexact=username).exists():
            self._update_errors(ValidationError(
                {"username": self.instance.unique_error_message(self._meta.model, ["username"])}
            ))
            return None
        return username


class SetPasswordForm(SetPasswordMixin, forms.Form):
    """A new password for ``user``, without the old one (for a password reset, or an administrator)."""

    new_password1, new_password2 = SetPasswordMixin.create_password_fields(
        label1="New password", label2="New password confirmation"
    )

    def __init__(self, user, *args, **kwargs):
        self.user = user
        super().__init__(*args, **kwargs)

    def clean(self):
        self.validate_passwords("new_password1", "new_password2")
        self.validate_password_for_user(self.user, "new_password2")
        return super().clean()

    def save(self, commit: bool = True):
        return self.set_password_and_save(self.user, "new_password1", commit=commit)


class PasswordChangeForm(SetPasswordForm):
    """A new password for ``user``, who must first type the old one."""

    error_messages = {
        **SetPasswordForm.error_messages,
        "password_incorrect": "Your old password was entered incorrectly. Please enter it again.",
    }
    old_password = forms.CharField(
        label="Old password", strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password", "autofocus": True}),
    )

    field_order = ["old_password", "new_password1", "new_password2"]

    def clean_old_password(self):
        old_password = self.cleaned_data["old_password"]
        if not self.user.check_password(old_password):
            raise ValidationError(self.error_messages["password_incorrect"], code="password_incorrect")
        return old_password


class UserChangeForm(forms.ModelForm):
    """Every field of a user, for the admin; the password shown as its hash's summary, not editable here."""

    password = ReadOnlyPasswordHashField(
        label="Password",
        help_text="Raw passwords are not stored, so there is no way to see the user’s password.",
    )

    class Meta:
        model = User
        fields = "__all__"
        field_classes = {"username": UsernameField}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        password = self.fields.get("password")
        if password and self.instance and not self.instance.has_usable_password():
            password.help_text = "Enable password-based authentication for this user by setting a password."
# >>> 11_admin


class AdminPasswordChangeForm(SetPasswordMixin, forms.Form):
    """A new password for ``user``, set by an administrator: typed twice, the old one not asked for."""

    required_css_class = "required"
    password1, password2 = SetPasswordMixin.create_password_fields()

    def __init__(self, user, *args, **kwargs):
        self.user = user
        super().__init__(*args, **kwargs)
        self.fields["password1"].widget.attrs["autofocus"] = True

    def clean(self):
        self.validate_passwords()
        self.validate_password_for_user(self.user)
        return super().clean()

    def save(self, commit: bool = True):
        return self.set_password_and_save(self.user, commit=commit)

    @property
    def changed_data(self) -> list:
        # The history says "Changed password.", naming the user's column, not the two boxes.
        return ["password"] if {"password1", "password2"} <= set(super().changed_data) else []


__all__ += ["AdminPasswordChangeForm"]
# <<< 11_admin
