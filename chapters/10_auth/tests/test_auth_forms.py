"""The auth forms: their fields, errors and messages as Django 5.2's, and no password leaking anywhere.

A login form must not tell an attacker whether a username exists: an
unknown username and a wrong password give the very same errors and the
very same page. A password typed into any of these forms never comes back:
not in the re-rendered form, not in ``repr``, not in a log record, not on
the DEBUG error page.
"""

import logging
import re

import pytest

from tinyframe.core.exceptions import ValidationError

SECRET = "s3cret-Passw0rd-xyzzy"

VALIDATORS = [
    {"NAME": "tinyframe.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "tinyframe.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "tinyframe.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "tinyframe.contrib.auth.password_validation.NumericPasswordValidator"},
]
INVALID_LOGIN = "Please enter a correct username and password. Note that both fields may be case-sensitive."


@pytest.fixture
def assert_html():
    """``assert_html(actual, expected)``: the same markup, the whitespace around tags aside."""

    def normalize(html) -> str:
        return "".join(part.strip() for part in re.split(r"(<[^>]*>)", str(html)))

    def check(actual, expected) -> None:
        got, wanted = normalize(actual), normalize(re.sub(r"\s+", " ", expected))
        assert got == wanted, f"rendered:\n{got}\nexpected (Django's):\n{wanted}"

    return check


@pytest.fixture
def auth_forms():
    """The ``tinyframe.contrib.auth.forms`` module."""
    from tinyframe.contrib.auth import forms

    return forms


def errors(form) -> dict:
    """``{field: [(code, message), ...]}`` of a bound form."""
    return {name: [(error.code, ValidationError(error).messages[0]) for error in field_errors]
            for name, field_errors in form.errors.as_data().items()}


# AuthenticationForm.


def test_login_form_finds_the_user(auth_forms, make_user):
    ada = make_user("ada", SECRET)
    form = auth_forms.AuthenticationForm(None, data={"username": "ada", "password": SECRET})
    assert form.is_valid(), form.errors
    assert form.get_user() == ada and form.get_user().backend == "tinyframe.contrib.auth.backends.ModelBackend"


def test_unknown_username_and_wrong_password_look_the_same(auth_forms, make_user):
    make_user("ada", SECRET)
    unknown = auth_forms.AuthenticationForm(None, data={"username": "nobody", "password": SECRET})
    wrong = auth_forms.AuthenticationForm(None, data={"username": "ada", "password": "wrong password"})
    assert not unknown.is_valid() and not wrong.is_valid()
    assert errors(unknown) == errors(wrong) == {"__all__": [("invalid_login", INVALID_LOGIN)]}
    assert unknown.get_user() is None and wrong.get_user() is None
    assert unknown.as_div().replace("nobody", "ada") == wrong.as_div()


def test_an_unusable_password_and_an_inactive_user_look_the_same_too(auth_forms, make_user):
    make_user("ghost", None)
    make_user("sleeper", SECRET, is_active=False)
    for username in ("ghost", "sleeper"):
        form = auth_forms.AuthenticationForm(None, data={"username": username, "password": SECRET})
        assert errors(form) == {"__all__": [("invalid_login", INVALID_LOGIN)]}, username


def test_inactive_user_refused_by_the_form_when_the_backend_allows_them(auth_forms, make_user, use_settings):
    use_settings(AUTHENTICATION_BACKENDS=["tinyframe.contrib.auth.backends.AllowAllUsersModelBackend"])
    make_user("sleeper", SECRET, is_active=False)
    form = auth_forms.AuthenticationForm(None, data={"username": "sleeper", "password": SECRET})
    assert errors(form) == {"__all__": [("inactive", "This account is inactive.")]}


def test_login_form_required_fields_and_no_authentication_without_them(auth_forms, contrib_tables):
    form = auth_forms.AuthenticationForm(None, data={"username": "", "password": ""})
    assert errors(form) == {"username": [("required", "This field is required.")],
                            "password": [("required", "This field is required.")]}
    # As in Django, the maxlength only goes to the widget: a longer name is just one no user has.
    form = auth_forms.AuthenticationForm(None, data={"username": "a" * 151, "password": "x"})
    assert errors(form) == {"__all__": [("invalid_login", INVALID_LOGIN)]}


def test_login_form_rendering_is_djangos(auth_forms, contrib_tables, assert_html):
    form = auth_forms.AuthenticationForm()
    assert form.request is None and form.fields["username"].label == "Username"
    assert_html(form.as_p(), """
        <p><label for="id_username">Username:</label>
        <input type="text" name="username" autofocus autocapitalize="none" autocomplete="username" maxlength="150"
         required id="id_username"></p>
        <p><label for="id_password">Password:</label>
        <input type="password" name="password" autocomplete="current-password" required id="id_password"></p>
    """)


def test_a_password_is_never_sent_back_or_shown(auth_forms, make_user, caplog):
    make_user("ada", "correct horse")
    caplog.set_level(logging.DEBUG)
    form = auth_forms.AuthenticationForm(None, data={"username": "ada", "password": SECRET})
    assert not form.is_valid()
    rendered = str(form) + form.as_p() + str(form.errors) + repr(form) + repr(form.errors.as_data())
    assert SECRET not in rendered
    assert SECRET not in caplog.text
    assert repr(form) == "<AuthenticationForm bound=True, valid=False, fields=(username;password)>"
    user = auth_forms.UserCreationForm(data={"username": "bob", "password1": SECRET, "password2": SECRET}).save()
    assert SECRET not in repr(user) + str(user) + repr(user.__dict__.get("password"))


def test_the_debug_error_page_does_not_show_a_posted_password(auth_site, make_user, caplog):
    """Chapter 02's DEBUG 500 page shows the traceback, not the request's POST data nor local variables.

    The error logged for the 500 carries the same traceback and the request,
    whose repr names the method and path only.
    """
    from tinyframe.test import Client
    from tinyframe.urls import path

    def crashing_login(request):
        from tinyframe.contrib.auth.forms import AuthenticationForm

        form = AuthenticationForm(request, data=request.POST)
        form.is_valid()
        raise RuntimeError("the login view broke")

    from tinyframe.http import HttpResponse

    client = auth_site(path("login/", crashing_login), path("ok/", lambda request: HttpResponse("ok")), DEBUG=True)
    # Raise a stub's error first, if an exercise the login form needs waits:
    # the page below would show it instead of the view's own error.
    from tinyframe.contrib.auth import authenticate

    assert client.get("/ok/").status_code == 200
    assert authenticate(username="ada", password="wrong") is None
    response = Client(raise_request_exception=False).post("/login/", {"username": "ada", "password": SECRET})
    assert response.status_code == 500
    body = response.content.decode()
    assert "the login view broke" in body and SECRET not in body
    assert "the login view broke" in caplog.text and SECRET not in caplog.text
    assert all(SECRET not in repr(record.__dict__) for record in caplog.records)


def test_username_field_normalises(auth_forms):
    field = auth_forms.UsernameField(max_length=5)
    assert field.clean("ﬁsh") == "fish"
    with pytest.raises(ValidationError):
        field.clean("ﬁ" * 6)  # too long already: not normalised, refused
    assert field.widget_attrs(field.widget) == {"maxlength": "5", "autocapitalize": "none", "autocomplete": "username"}


# UserCreationForm.


def test_user_creation_saves_a_hashed_password(auth_forms, contrib_tables):
    form = auth_forms.UserCreationForm(data={"username": "ada", "password1": SECRET, "password2": SECRET})
    assert form.is_valid(), form.errors
    user = form.save()
    assert user.pk and user.password != SECRET and SECRET not in user.password
    assert user.check_password(SECRET) and not user.is_staff and not user.is_superuser


def test_user_creation_commit_false(auth_forms, contrib_tables):
    form = auth_forms.UserCreationForm(data={"username": "ada", "password1": SECRET, "password2": SECRET})
    user = form.save(commit=False)
    assert user.pk is None and user.check_password(SECRET)


def test_user_creation_mismatch(auth_forms, contrib_tables):
    form = auth_forms.UserCreationForm(data={"username": "ada", "password1": SECRET, "password2": SECRET + "!"})
    assert errors(form) == {"password2": [("password_mismatch", "The two password fields didn’t match.")]}
    assert SECRET not in form.as_p()


def test_user_creation_runs_the_validators_against_the_new_user(auth_forms, contrib_tables, use_settings):
    use_settings(AUTH_PASSWORD_VALIDATORS=VALIDATORS)
    data = {"username": "johnsmith", "password1": "johnsmith", "password2": "johnsmith"}
    form = auth_forms.UserCreationForm(data=data)
    assert errors(form) == {"password2": [("password_too_similar", "The password is too similar to the username.")]}
    form = auth_forms.UserCreationForm(data={"username": "ada", "password1": "1234", "password2": "1234"})
    assert [code for code, _message in errors(form)["password2"]] == [
        "password_too_short", "password_too_common", "password_entirely_numeric"]


def test_user_creation_help_text_lists_the_validators(auth_forms, use_settings):
    use_settings(AUTH_PASSWORD_VALIDATORS=VALIDATORS[3:])
    password1, _password2 = auth_forms.SetPasswordMixin.create_password_fields()
    assert password1.help_text == "<ul><li>Your password can’t be entirely numeric.</li></ul>"


@pytest.mark.parametrize("username", ["ada", "ADA", "Ada"])
def test_user_creation_refuses_a_username_differing_only_in_case(auth_forms, make_user, username):
    make_user("ada")
    form = auth_forms.UserCreationForm(data={"username": username, "password1": SECRET, "password2": SECRET})
    assert errors(form) == {"username": [("unique", "A user with that username already exists.")]}


def test_base_user_creation_form_leaves_case_to_the_database(auth_forms, make_user):
    make_user("ada")
    form = auth_forms.BaseUserCreationForm(data={"username": "ADA", "password1": SECRET, "password2": SECRET})
    assert form.is_valid(), form.errors
    assert form.fields["username"].widget.attrs["autofocus"] is True


# SetPasswordForm and PasswordChangeForm.


def test_set_password_form(auth_forms, make_user):
    ada = make_user("ada", "old password")
    form = auth_forms.SetPasswordForm(ada, data={"new_password1": SECRET, "new_password2": SECRET})
    assert form.is_valid(), form.errors
    form.save()
    ada.refresh_from_db()
    assert ada.check_password(SECRET)
    form = auth_forms.SetPasswordForm(ada, data={"new_password1": "a", "new_password2": "b"})
    assert errors(form) == {"new_password2": [("password_mismatch", "The two password fields didn’t match.")]}


def test_set_password_form_runs_the_validators(auth_forms, make_user, use_settings):
    use_settings(AUTH_PASSWORD_VALIDATORS=VALIDATORS)
    ada = make_user("ada", "old password")
    form = auth_forms.SetPasswordForm(ada, data={"new_password1": "password", "new_password2": "password"})
    assert errors(form) == {"new_password2": [("password_too_common", "This password is too common.")]}
    assert list(form.fields) == ["new_password1", "new_password2"]
    assert form.fields["new_password1"].label == "New password"


def test_password_change_form(auth_forms, make_user):
    ada = make_user("ada", "old password")
    form = auth_forms.PasswordChangeForm(ada, data={"old_password": "wrong", "new_password1": SECRET,
                                                    "new_password2": SECRET})
    assert errors(form) == {"old_password": [
        ("password_incorrect", "Your old password was entered incorrectly. Please enter it again.")]}
    assert list(form.fields) == ["old_password", "new_password1", "new_password2"]
    assert SECRET not in form.as_p() and "wrong" not in form.as_p()
    form = auth_forms.PasswordChangeForm(ada, data={"old_password": "old password", "new_password1": SECRET,
                                                    "new_password2": SECRET})
    assert form.is_valid(), form.errors
    form.save()
    assert type(ada).objects.get(pk=ada.pk).check_password(SECRET)


# UserChangeForm and the read-only hash.


def test_user_change_form_fields(auth_forms, contrib_tables):
    assert list(auth_forms.UserChangeForm.base_fields) == [
        "password", "last_login", "is_superuser", "groups", "user_permissions", "username", "first_name",
        "last_name", "email", "is_staff", "is_active", "date_joined",
    ]


@pytest.mark.parametrize(
    "stored, summary, button",
    [
        ("md5$seasalt2$df64b6817a20f07df1bcc6710ca2b78d",
         "<strong>algorithm</strong>: <bdi>md5</bdi><strong>salt</strong>: <bdi>se******</bdi>"
         "<strong>hash</strong>: <bdi>df64b6**************************</bdi>", "Reset password"),
        ("!unusable", "<strong>No password set.</strong>", "Set password"),
        ("zzz$abc", "<strong>Invalid password format or unknown hashing algorithm.</strong>", "Reset password"),
    ],
)
def test_read_only_password_hash_widget(auth_forms, contrib_tables, assert_html, stored, summary, button):
    from tinyframe.contrib.auth.models import User

    user = User(username="ada", password=stored)
    form = auth_forms.UserChangeForm(instance=user)
    assert_html(form["password"], f"""
        <div disabled aria-describedby="id_password_helptext" id="id_password">
        <p>{summary}</p><p><a class="button" href="../password/">{button}</a></p></div>""")
    expected_help = ("Enable password-based authentication for this user by setting a password." if stored[0] == "!"
                     else "Raw passwords are not stored, so there is no way to see the user’s password.")
    assert form.fields["password"].help_text == expected_help
    assert form.fields["password"].widget.id_for_label("id_password") is None


def test_user_change_form_never_changes_the_password(auth_forms, make_user):
    ada = make_user("ada", "old password")
    stored = ada.password
    data = {"username": "ada", "password": "hacked", "date_joined": "2024-01-01 10:00:00", "is_active": "on"}
    form = auth_forms.UserChangeForm(instance=ada, data=data)
    assert form.is_valid(), form.errors
    form.save()
    ada.refresh_from_db()
    assert ada.password == stored
