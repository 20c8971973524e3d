"""``createsuperuser`` and ``changepassword``: prompts, messages and outcomes as Django 5.2's.

The terminal is played by a script: ``answers`` replaces ``input()`` and
``getpass.getpass()`` with functions that pop the next answer and record the
prompt, so a test sees exactly what was asked, in order.
"""

import io

import pytest

from tinyframe.core.management import call_command
from tinyframe.core.management.base import CommandError

VALIDATORS = [
    {"NAME": "tinyframe.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "tinyframe.contrib.auth.password_validation.NumericPasswordValidator"},
]


class Terminal(io.StringIO):
    """A stdin that says it is a terminal."""

    def isatty(self):
        return True


@pytest.fixture
def answers(monkeypatch):
    """``answers(*replies)``: the replies to input() and getpass() in order; returns the list of prompts asked."""
    import getpass

    prompts = []

    def install(*replies):
        queue = list(replies)

        def reply(prompt="Password: "):
            prompts.append(prompt)
            if not queue:
                raise AssertionError(f"the command asked {prompt!r} after every scripted answer was used")
            answer = queue.pop(0)
            if isinstance(answer, BaseException):
                raise answer
            return answer

        monkeypatch.setattr("builtins.input", reply)
        monkeypatch.setattr(getpass, "getpass", reply)
        monkeypatch.setattr(getpass, "getuser", lambda: "Zoë Admin")
        return prompts

    return install


def run(name, *args, **options):
    """Run a command; return (stdout, stderr)."""
    out, err = io.StringIO(), io.StringIO()
    call_command(name, *args, stdout=out, stderr=err, **options)
    return out.getvalue(), err.getvalue()


def the_user(username):
    from tinyframe.contrib.auth.models import User

    return User.objects.get(username=username)


# createsuperuser, interactive.


def test_createsuperuser_asks_for_everything(contrib_tables, answers):
    prompts = answers("", "ada@example.com", "correct horse", "correct horse")
    out, err = run("createsuperuser", stdin=Terminal())
    assert prompts == ["Username (leave blank to use 'zoeadmin'): ", "Email address: ", "Password: ",
                       "Password (again): "]
    assert (out, err) == ("Superuser created successfully.\n", "")
    user = the_user("zoeadmin")
    assert user.is_superuser and user.is_staff and user.email == "ada@example.com"
    assert user.check_password("correct horse") and "correct horse" not in user.password


def test_createsuperuser_asks_again_after_a_bad_answer(contrib_tables, answers, make_user, use_settings):
    make_user("zoeadmin")
    use_settings(AUTH_PASSWORD_VALIDATORS=VALIDATORS)
    prompts = answers(
        "", "zoeadmin", "bad name!", "ada",  # blank (no suggestion: taken), taken, invalid, fine
        "not an email", "ada@example.com",
        "one", "two",  # mismatch
        " ", " ",  # blank
        "1234", "1234", "n",  # refused by the validators, not bypassed
        "correct horse", "correct horse",
    )
    out, err = run("createsuperuser", stdin=Terminal(), verbosity=0)
    assert prompts[:2] == ["Username: ", "Username: "]
    assert out == ""
    assert err.splitlines() == [
        "Error: This field cannot be blank.",
        "Error: That username is already taken.",
        "Error: Enter a valid username. This value may contain only letters, numbers, and @/./+/-/_ characters.",
        "Error: Enter a valid email address.",
        "Error: Your passwords didn't match.",
        "Error: Blank passwords aren't allowed.",
        "This password is too short. It must contain at least 8 characters.",
        "This password is entirely numeric.",
    ]
    assert "Bypass password validation and create user anyway? [y/N]: " in prompts
    assert the_user("ada").check_password("correct horse")


def test_createsuperuser_can_bypass_the_validators(contrib_tables, answers, use_settings):
    use_settings(AUTH_PASSWORD_VALIDATORS=VALIDATORS)
    answers("ada@example.com", "1234", "1234", "y")
    out, err = run("createsuperuser", username="ada", stdin=Terminal())
    assert out == "Superuser created successfully.\n"
    assert the_user("ada").check_password("1234")


def test_createsuperuser_with_a_taken_username_option_asks_for_another(contrib_tables, answers, make_user):
    make_user("ada")
    answers("grace", "", "correct horse", "correct horse")
    out, err = run("createsuperuser", username="ada", stdin=Terminal())
    assert err == "Error: That username is already taken.\n"
    assert the_user("grace").email == ""  # a blank email is accepted: the field may be blank


def test_createsuperuser_refuses_a_blank_username_option(contrib_tables, answers):
    answers()
    with pytest.raises(CommandError) as caught:
        run("createsuperuser", username="", stdin=Terminal())
    assert str(caught.value) == "Username cannot be blank."


def test_createsuperuser_without_a_terminal_does_nothing(contrib_tables, answers):
    answers()
    out, err = run("createsuperuser", stdin=io.StringIO())
    assert out == (
        "Superuser creation skipped due to not running in a TTY. You can run `tinyframe createsuperuser` in your "
        "project to create one manually.\n"
    )


def test_createsuperuser_ctrl_c_cancels(contrib_tables, answers):
    answers(KeyboardInterrupt())
    with pytest.raises(SystemExit) as caught:
        run("createsuperuser", stdin=Terminal())
    assert caught.value.code == 1


# createsuperuser --noinput.


def test_noinput_reads_the_password_from_the_environment(contrib_tables, monkeypatch):
    monkeypatch.setenv("TINYFRAME_SUPERUSER_PASSWORD", "correct horse")
    out, err = run("createsuperuser", interactive=False, username="ada", email="ada@example.com")
    assert out == "Superuser created successfully.\n"
    assert the_user("ada").check_password("correct horse")


def test_noinput_without_a_password_makes_an_unusable_one(contrib_tables, monkeypatch):
    monkeypatch.delenv("TINYFRAME_SUPERUSER_PASSWORD", raising=False)
    monkeypatch.setenv("TINYFRAME_SUPERUSER_USERNAME", "ada")
    monkeypatch.setenv("TINYFRAME_SUPERUSER_EMAIL", "")
    run("createsuperuser", interactive=False)
    assert not the_user("ada").has_usable_password()


@pytest.mark.parametrize(
    "options, message",
    [
        ({}, "You must use --username with --noinput."),
        ({"username": "ada"}, "You must use --email with --noinput."),
        ({"username": "bad name!", "email": "a@b.c"},
         "Enter a valid username. This value may contain only letters, numbers, and @/./+/-/_ characters."),
        ({"username": "taken", "email": "a@b.c"}, "Error: That username is already taken."),
        ({"username": "ada", "email": "not an email"}, "Enter a valid email address."),
    ],
)
def test_noinput_errors(contrib_tables, make_user, monkeypatch, options, message):
    for variable in ("USERNAME", "EMAIL", "PASSWORD"):
        monkeypatch.delenv(f"TINYFRAME_SUPERUSER_{variable}", raising=False)
    make_user("taken")
    with pytest.raises(CommandError) as caught:
        run("createsuperuser", interactive=False, **options)
    assert str(caught.value) == message


# changepassword.


def test_changepassword(contrib_tables, answers, make_user):
    make_user("ada", "old password")
    prompts = answers("new password", "new password")
    out, err = run("changepassword", "ada")
    assert prompts == ["Password: ", "Password (again): "]
    assert out == "Changing password for user 'ada'\nPassword changed successfully for user 'ada'\n"
    assert the_user("ada").check_password("new password")


def test_changepassword_defaults_to_the_system_user_and_retries(contrib_tables, answers, make_user, use_settings):
    make_user("Zoë Admin", "old password")  # getpass.getuser()'s answer in these tests
    use_settings(AUTH_PASSWORD_VALIDATORS=VALIDATORS)
    answers("one", "two", "1234", "1234", "new password", "new password")
    out, err = run("changepassword")
    assert out.splitlines() == [
        "Changing password for user 'Zoë Admin'",
        "Passwords do not match. Please try again.",
        "Password changed successfully for user 'Zoë Admin'",
    ]
    assert err.splitlines() == [
        "This password is too short. It must contain at least 8 characters.",
        "This password is entirely numeric.",
    ]
    assert the_user("Zoë Admin").check_password("new password")


def test_changepassword_gives_up_after_three_tries(contrib_tables, answers, make_user):
    make_user("ada", "old password")
    answers("a", "b", "c", "d", "e", "f")
    with pytest.raises(CommandError) as caught:
        run("changepassword", "ada")
    assert str(caught.value) == "Aborting password change for user 'ada' after 3 attempts"
    assert the_user("ada").check_password("old password")


def test_changepassword_empty_aborts_and_unknown_user(contrib_tables, answers, make_user):
    make_user("ada", "old password")
    answers("")
    with pytest.raises(CommandError) as caught:
        run("changepassword", "ada")
    assert str(caught.value) == "aborted"
    with pytest.raises(CommandError) as caught:
        run("changepassword", "nobody")
    assert str(caught.value) == "user 'nobody' does not exist"


def test_default_username_helpers(contrib_tables, monkeypatch, make_user):
    import getpass

    from tinyframe.contrib.auth.management.commands import createsuperuser

    monkeypatch.setattr(getpass, "getuser", lambda: "Zoë Admin")
    assert createsuperuser.get_default_username() == "zoeadmin"
    make_user("zoeadmin")
    assert createsuperuser.get_default_username() == ""
    assert createsuperuser.get_default_username(check_db=False) == "zoeadmin"
    monkeypatch.setattr(getpass, "getuser", lambda: "bad/name")
    assert createsuperuser.get_default_username() == ""

    def no_user():
        raise OSError("no such user")

    monkeypatch.setattr(getpass, "getuser", no_user)
    assert createsuperuser.get_system_username() == ""
