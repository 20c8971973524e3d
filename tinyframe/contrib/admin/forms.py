"""The admin's own forms: the staff login and the password change.

``AdminSite.login`` shows ``AdminAuthenticationForm``: chapter 10's
``AuthenticationForm`` whose ``confirm_login_allowed`` also refuses a user
who is not staff, with the same message as a wrong password (telling them
apart would tell a visitor which usernames exist and which are staff).
``AdminSite.password_change`` shows ``AdminPasswordChangeForm``.
"""

from tinyframe.contrib.auth.forms import AuthenticationForm, PasswordChangeForm
from tinyframe.core.exceptions import ValidationError

__all__ = ["AdminAuthenticationForm", "AdminPasswordChangeForm"]


class AdminAuthenticationForm(AuthenticationForm):
    """The admin's login form: only active staff may sign in."""

    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": "Please enter the correct %(username)s and password for a staff account. "
                         "Note that both fields may be case-sensitive.",
    }
    required_css_class = "required"

    def confirm_login_allowed(self, user) -> None:
        super().confirm_login_allowed(user)
        if not user.is_staff:
            raise ValidationError(
                self.error_messages["invalid_login"], code="invalid_login",
                params={"username": self.username_field.verbose_name},
            )


class AdminPasswordChangeForm(PasswordChangeForm):
    """The password change form, with the admin's marking of required fields."""

    required_css_class = "required"
