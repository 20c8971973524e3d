"""The admin's login and password forms: only active staff get in, with Django 5.2's messages."""

import pytest

STAFF_ONLY = ("Please enter the correct username and password for a staff account. "
              "Note that both fields may be case-sensitive.")


@pytest.fixture
def make_user(tables):
    """``make_user(username, **fields)``: a saved user whose password is "pw" (the auth tables are created)."""
    from tinyframe.apps import apps
    from tinyframe.contrib.auth.models import User

    tables(*(model for label in ("sessions", "auth", "admin") for model in apps.get_app_config(label).get_models()))

    def make(username="ada", **fields):
        return User.objects.create_user(username, password="pw", **fields)

    return make


def login_form(username, password):
    from tinyframe.contrib.admin.forms import AdminAuthenticationForm

    return AdminAuthenticationForm(None, data={"username": username, "password": password})


def test_staff_user_may_sign_in(make_user):
    user = make_user(is_staff=True)
    form = login_form("ada", "pw")
    assert form.is_valid(), form.errors
    assert form.get_user() == user


def test_non_staff_user_is_refused_as_a_wrong_password_is(make_user):
    make_user(is_staff=False)
    form = login_form("ada", "pw")
    assert not form.is_valid()
    assert form.non_field_errors() == [STAFF_ONLY]
    wrong = login_form("ada", "nope")
    assert not wrong.is_valid()
    assert wrong.non_field_errors() == [STAFF_ONLY]


def test_unknown_user_gets_the_same_message(make_user):
    form = login_form("nobody", "pw")
    assert not form.is_valid()
    assert form.non_field_errors() == [STAFF_ONLY]


def test_login_form_marks_required_fields(make_user):
    form = login_form("", "")
    assert not form.is_valid()
    assert form.errors["username"] == ["This field is required."]
    assert 'class="required"' in str(form["username"].label_tag())


def test_password_change_form(make_user):
    from tinyframe.contrib.admin.forms import AdminPasswordChangeForm

    user = make_user(is_staff=True)
    form = AdminPasswordChangeForm(user, data={"old_password": "bad", "new_password1": "a-Long-new-pass-92",
                                               "new_password2": "a-Long-new-pass-92"})
    assert not form.is_valid()
    assert form.errors["old_password"] == ["Your old password was entered incorrectly. Please enter it again."]
    form = AdminPasswordChangeForm(user, data={"old_password": "pw", "new_password1": "a-Long-new-pass-92",
                                               "new_password2": "a-Long-new-pass-92"})
    assert form.is_valid(), form.errors
    form.save()
    user.refresh_from_db()
    assert user.check_password("a-Long-new-pass-92")
    assert form.required_css_class == "required"
