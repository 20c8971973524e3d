"""Questioners: the questions makemigrations asks, word for word as Django asks them, and the answers used."""

import datetime
import io

import pytest

from tinyframe.core.management.base import OutputWrapper
from tinyframe.db import models
from tinyframe.db.migrations.questioner import (
    InteractiveMigrationQuestioner,
    MigrationQuestioner,
    NonInteractiveMigrationQuestioner,
)
from tinyframe.db.migrations.state import ModelState


@pytest.fixture
def answers(monkeypatch):
    """``answers("y", ...)``: what ``input()`` returns, one call after another."""

    def give(*replies):
        replies = iter(replies)

        def fake_input(prompt=""):
            reply = next(replies)
            if isinstance(reply, BaseException):
                raise reply
            return reply

        monkeypatch.setattr("builtins.input", fake_input)

    return give


def interactive(**kwargs):
    output = io.StringIO()
    return InteractiveMigrationQuestioner(prompt_output=OutputWrapper(output), **kwargs), output


def test_the_plain_questioner_answers_from_its_defaults():
    plain = MigrationQuestioner()
    assert (plain.ask_rename("post", "a", "b", None), plain.ask_rename_model(None, None), plain.ask_merge("x")) == (
        False, False, False,
    )
    assert plain.ask_not_null_addition("f", "m") is None
    assert plain.ask_not_null_alteration("f", "m") is None
    assert plain.ask_auto_now_add_addition("f", "m") is None
    assert plain.ask_unique_callable_default_addition("f", "m") is None
    assert MigrationQuestioner(defaults={"ask_rename": True}).ask_rename("post", "a", "b", None) is True
    assert MigrationQuestioner(specified_apps={"blog"}).ask_initial("blog") is True
    assert MigrationQuestioner(defaults={"ask_initial": True}).ask_initial("not_installed_anywhere") is True


def test_a_rename_question_defaults_to_no(answers):
    questioner, output = interactive()
    answers("")
    assert questioner.ask_rename("post", "title", "headline", models.CharField(max_length=10)) is False
    assert output.getvalue() == "Was post.title renamed to post.headline (a CharField)? [y/N] "
    questioner, output = interactive()
    answers("maybe", "", "Yes")
    assert questioner.ask_rename("post", "title", "headline", models.CharField(max_length=10)) is True
    assert output.getvalue().endswith("? [y/N] Please answer yes or no: Please answer yes or no: ")


def test_a_model_rename_and_a_merge_are_asked_as_django_asks():
    questioner, output = interactive()
    old = ModelState("blog", "Article", [])
    new = ModelState("blog", "Post", [])
    import builtins

    replies = iter(["y", "n"])
    original = builtins.input
    builtins.input = lambda prompt="": next(replies)
    try:
        assert questioner.ask_rename_model(old, new) is True
        assert questioner.ask_merge("blog") is False
    finally:
        builtins.input = original
    assert output.getvalue() == (
        "Was the model blog.Article renamed to Post? [y/N] "
        "\nMerging will only work if the operations printed above do not conflict\n"
        "with each other (working on different fields or models)\n"
        "Should these migration branches be merged? [y/N] "
    )


def test_a_not_null_addition_offers_a_one_off_default(answers):
    questioner, output = interactive()
    answers("3", "1", "", "1 +", "datetime.date(2024, 1, 2)")
    assert questioner.ask_not_null_addition("body", "post") == datetime.date(2024, 1, 2)
    assert output.getvalue() == (
        "It is impossible to add a non-nullable field 'body' to post without specifying a default. This is "
        "because the database needs something to populate existing rows.\n"
        "Please select a fix:\n"
        " 1) Provide a one-off default now (will be set on all existing rows with a null value for this column)\n"
        " 2) Quit and manually define a default value in models.py.\n"
        "Select an option: Please select a valid option: "
        "Please enter the default value as valid Python.\n"
        "The datetime and tinyframe.utils.timezone modules are available, so it is possible to provide e.g. "
        "timezone.now as a value.\n"
        "Type 'exit' to exit this prompt\n"
        ">>> Please enter some code, or 'exit' (without quotes) to exit.\n"
        ">>> SyntaxError: invalid syntax (<string>, line 1)\n"
        ">>> "
    )


def test_quitting_a_question_exits_with_status_3_or_1(answers):
    questioner, _ = interactive()
    answers("2")
    with pytest.raises(SystemExit) as stop:
        questioner.ask_not_null_addition("body", "post")
    assert stop.value.code == 3
    answers("1", "exit")
    with pytest.raises(SystemExit) as stop:
        questioner.ask_not_null_addition("body", "post")
    assert stop.value.code == 1
    answers("1", KeyboardInterrupt())
    with pytest.raises(SystemExit):
        questioner.ask_not_null_addition("body", "post")
    answers(KeyboardInterrupt())
    with pytest.raises(SystemExit):
        questioner.ask_not_null_addition("body", "post")


def test_a_dry_run_asks_nothing():
    questioner, output = interactive(dry_run=True)
    assert questioner.ask_not_null_addition("body", "post") is None
    assert questioner.ask_not_null_alteration("body", "post") is None
    assert questioner.ask_auto_now_add_addition("created", "post") is None
    assert questioner.ask_unique_callable_default_addition("key", "post") is None
    assert output.getvalue() == ""


def test_a_not_null_alteration_can_be_ignored_or_given_a_default(answers):
    questioner, output = interactive()
    answers("2")
    assert questioner.ask_not_null_alteration("title", "post") is models.NOT_PROVIDED
    assert output.getvalue().startswith(
        "It is impossible to change a nullable field 'title' on post to non-nullable without providing a "
        "default. This is because the database needs something to populate existing rows.\nPlease select a fix:\n"
        " 1) Provide a one-off default now (will be set on all existing rows with a null value for this column)\n"
        " 2) Ignore for now. Existing rows that contain NULL values will have to be handled manually, for "
        "example with a RunPython or RunSQL operation.\n"
        " 3) Quit and manually define a default value in models.py.\n"
    )
    answers("1", "'x'")
    assert questioner.ask_not_null_alteration("title", "post") == "x"
    answers("3")
    with pytest.raises(SystemExit):
        questioner.ask_not_null_alteration("title", "post")


def test_an_auto_now_add_field_offers_timezone_now(answers):
    from tinyframe.utils import timezone

    questioner, output = interactive()
    answers("1", "")
    assert questioner.ask_auto_now_add_addition("created", "post") is timezone.now
    assert output.getvalue().startswith(
        "It is impossible to add the field 'created' with 'auto_now_add=True' to post without providing a "
        "default. This is because the database needs something to populate existing rows.\n"
        " 1) Provide a one-off default now which will be set on all existing rows\n"
    )
    assert "Accept the default 'timezone.now' by pressing 'Enter' or provide another value.\n" in output.getvalue()
    assert output.getvalue().endswith("[default: timezone.now] >>> ")
    answers("2")
    with pytest.raises(SystemExit):
        questioner.ask_auto_now_add_addition("created", "post")


def test_a_unique_callable_default_warns(answers):
    questioner, output = interactive()
    answers("1")
    assert questioner.ask_unique_callable_default_addition("key", "post") is None
    assert output.getvalue().startswith(
        "Callable default on unique field post.key will not generate unique values upon migrating.\n"
        "Please choose how to proceed:\n 1) Continue making"
    )
    answers("2")
    with pytest.raises(SystemExit):
        questioner.ask_unique_callable_default_addition("key", "post")


def test_the_non_interactive_questioner_never_guesses():
    logged = []
    questioner = NonInteractiveMigrationQuestioner(log=logged.append)
    assert questioner.ask_rename("post", "title", "headline", None) is False
    assert questioner.ask_not_null_alteration("title", "post") is models.NOT_PROVIDED
    with pytest.raises(SystemExit) as stop:
        questioner.ask_auto_now_add_addition("created", "post")
    assert stop.value.code == 3
    assert logged == [
        "Field 'title' on model 'post' given a default of NOT PROVIDED and must be corrected.",
        "Field 'created' on model 'post' not migrated: it is impossible to add a field with 'auto_now_add=True' "
        "without specifying a default.",
    ]
    quiet = NonInteractiveMigrationQuestioner(verbosity=0, log=logged.append)
    with pytest.raises(SystemExit):
        quiet.ask_not_null_addition("body", "post")
    assert len(logged) == 2, "verbosity 0 logs nothing"
