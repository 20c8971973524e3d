"""Questioners: what the autodetector cannot know from the models, it asks.

How it works: the autodetector calls ``ask_*`` methods when two states do not
say enough: was ``title`` renamed to ``headline``, or removed while
``headline`` was added (``ask_rename``)? What goes in the rows that already
exist when a NOT NULL column is added without a default
(``ask_not_null_addition``)? Should an app without migrations get a first one
(``ask_initial``)? Three questioners answer:

- ``MigrationQuestioner``: the answers in ``defaults``, or the safe ones
  (no rename, no merge); used by code and tests;
- ``InteractiveMigrationQuestioner``: asks at the terminal (``makemigrations``);
- ``NonInteractiveMigrationQuestioner``: ``makemigrations --noinput``; never
  guesses a rename, and stops with a message where only a person could answer.
"""

import datetime
import importlib
import os
import sys

from tinyframe.core.management.base import OutputWrapper
from tinyframe.db.models import NOT_PROVIDED
from tinyframe.utils import timezone

__all__ = ["InteractiveMigrationQuestioner", "MigrationQuestioner", "NonInteractiveMigrationQuestioner"]


def model_rename(old_model_state, new_model_state) -> str:
    """A model rename as ``MigrationQuestioner.renames`` holds it: ``"model blog.article=post"``."""
    return f"model {old_model_state.app_label}.{old_model_state.name}={new_model_state.name}".lower()


class MigrationQuestioner:
    """Answers from ``defaults`` (``{"ask_rename": True, ...}``), else the answer that changes least.

    ``renames`` are the renames a person stated beforehand (``makemigrations
    --rename-field post.title=headline --rename-model blog.Article=Post``):
    ``"field post.title=headline"`` or ``"model blog.article=post"``. A stated
    rename is taken without a question, by every questioner; any other is asked
    (or, with no one to ask, refused): a rename is never guessed.
    """

    def __init__(self, defaults=None, specified_apps=None, dry_run=None, renames=()):
        self.defaults = defaults or {}
        self.specified_apps = specified_apps or set()
        self.dry_run = dry_run
        self.renames = set(renames)
        self.renames_taken = set()

    def rename_stated(self, rename: str) -> bool:
        """Whether ``rename`` (``"field post.title=headline"``) was stated beforehand; noted as taken if so."""
        if rename in self.renames:
            self.renames_taken.add(rename)
            return True
        return False

    def ask_initial(self, app_label: str) -> bool:
        """Should ``app_label`` get an initial migration?

        Yes if it was named on the command line; otherwise yes if it has a
        migrations package holding no migration yet (only ``__init__.py``),
        which is how a new app says it wants migrations.
        """
        if app_label in self.specified_apps:
            return True
        from tinyframe.apps import apps
        from tinyframe.db.migrations.loader import MigrationLoader

        try:
            app_config = apps.get_app_config(app_label)
        except LookupError:  # a test's app, not installed
            return self.defaults.get("ask_initial", False)
        module_name, _ = MigrationLoader.migrations_module(app_config.label)
        if module_name is None:  # MIGRATION_MODULES = {label: None}: migrations disabled
            return self.defaults.get("ask_initial", False)
        try:
            module = importlib.import_module(module_name)
        except ImportError:
            return self.defaults.get("ask_initial", False)
        directories = list(getattr(module, "__path__", []))
        if len(directories) != 1:
            return False
        return not any(name.endswith(".py") for name in os.listdir(directories[0]) if name != "__init__.py")

    def ask_not_null_addition(self, field_name: str, model_name: str):
        """The one-off value for existing rows of a new NOT NULL field; None here (no answer)."""
        return None

    def ask_not_null_alteration(self, field_name: str, model_name: str):
        """The one-off value for NULLs when a field becomes NOT NULL; None here (no answer)."""
        return None

    def ask_rename(self, model_name: str, old_name: str, new_name: str, field_instance) -> bool:
        """Was field ``old_name`` renamed to ``new_name``?"""
        if self.renames and self.rename_stated(f"field {model_name.lower()}.{old_name}={new_name}"):
            return True
        return self.defaults.get("ask_rename", False)

    def ask_rename_model(self, old_model_state, new_model_state) -> bool:
        """Was the model renamed?"""
        if self.renames and self.rename_stated(model_rename(old_model_state, new_model_state)):
            return True
        return self.defaults.get("ask_rename_model", False)

    def ask_merge(self, app_label: str) -> bool:
        """Should two branches of the app's migrations be merged?"""
        return self.defaults.get("ask_merge", False)

    def ask_auto_now_add_addition(self, field_name: str, model_name: str):
        """The one-off value for existing rows of a new ``auto_now_add`` field; None here."""
        return None

    def ask_unique_callable_default_addition(self, field_name: str, model_name: str):
        """A unique field with a callable default: go on (None) or stop."""
        return None


class InteractiveMigrationQuestioner(MigrationQuestioner):
    """Asks the person at the terminal: questions go to ``prompt_output``, answers come from ``input()``."""

    def __init__(self, defaults=None, specified_apps=None, dry_run=None, prompt_output=None, renames=()):
        super().__init__(defaults=defaults, specified_apps=specified_apps, dry_run=dry_run, renames=renames)
        self.prompt_output = prompt_output or OutputWrapper(sys.stdout)

    def _boolean_input(self, question: str, default: bool | None = None) -> bool:
        """Ask a yes/no question until the answer starts with y or n (Enter alone gives ``default``)."""
        self.prompt_output.write(f"{question} ", ending="")
        answer = input()
        if not answer and default is not None:
            return default
        while not answer or answer[0].lower() not in "yn":
            self.prompt_output.write("Please answer yes or no: ", ending="")
            answer = input()
        return answer[0].lower() == "y"

    def _choice_input(self, question: str, choices: list[str]) -> int:
        """Show numbered choices; the number picked (from 1)."""
        self.prompt_output.write(question)
        for number, choice in enumerate(choices, 1):
            self.prompt_output.write(f" {number}) {choice}")
        self.prompt_output.write("Select an option: ", ending="")
        while True:
            try:
                value = int(input())
            except ValueError:
                pass
            except KeyboardInterrupt:
                self.prompt_output.write("\nCancelled.")
                sys.exit(1)
            else:
                if 0 < value <= len(choices):
                    return value
            self.prompt_output.write("Please select a valid option: ", ending="")

    def _ask_default(self, default: str = ""):
        """Read a Python expression for a one-off default and return its value (``exit`` quits).

        The expression may use the ``datetime`` and ``timezone`` modules; an
        expression that fails is reported and asked again.
        """
        self.prompt_output.write("Please enter the default value as valid Python.")
        if default:
            self.prompt_output.write(f"Accept the default '{default}' by pressing 'Enter' or provide another value.")
        self.prompt_output.write(
            "The datetime and tinyframe.utils.timezone modules are available, so it is possible to "
            "provide e.g. timezone.now as a value."
        )
        self.prompt_output.write("Type 'exit' to exit this prompt")
        while True:
            self.prompt_output.write(f"[default: {default}] >>> " if default else ">>> ", ending="")
            try:
                code = input()
            except KeyboardInterrupt:
                self.prompt_output.write("\nCancelled.")
                sys.exit(1)
            if not code and default:
                code = default
            if not code:
                self.prompt_output.write("Please enter some code, or 'exit' (without quotes) to exit.")
            elif code == "exit":
                sys.exit(1)
            else:
                try:
                    return eval(code, {}, {"datetime": datetime, "timezone": timezone})
                except Exception as error:
                    self.prompt_output.write(f"{error.__class__.__name__}: {error}")

    def ask_not_null_addition(self, field_name: str, model_name: str):
        """Offer a one-off default now, or quitting (exit status 3) to write one in models.py."""
        if self.dry_run:
            return None
        choice = self._choice_input(
            f"It is impossible to add a non-nullable field '{field_name}' to {model_name} without "
            f"specifying a default. This is because the database needs something to populate existing "
            f"rows.\nPlease select a fix:",
            [
                "Provide a one-off default now (will be set on all existing rows with a null value for this "
                "column)",
                "Quit and manually define a default value in models.py.",
            ],
        )
        if choice == 2:
            sys.exit(3)
        return self._ask_default()

    def ask_not_null_alteration(self, field_name: str, model_name: str):
        """Offer a one-off default, leaving NULLs to be handled by hand (NOT_PROVIDED), or quitting."""
        if self.dry_run:
            return None
        choice = self._choice_input(
            f"It is impossible to change a nullable field '{field_name}' on {model_name} to non-nullable "
            f"without providing a default. This is because the database needs something to populate "
            f"existing rows.\nPlease select a fix:",
            [
                "Provide a one-off default now (will be set on all existing rows with a null value for this "
                "column)",
                "Ignore for now. Existing rows that contain NULL values will have to be handled manually, for "
                "example with a RunPython or RunSQL operation.",
                "Quit and manually define a default value in models.py.",
            ],
        )
        if choice == 2:
            return NOT_PROVIDED
        if choice == 3:
            sys.exit(3)
        return self._ask_default()

    def ask_rename(self, model_name: str, old_name: str, new_name: str, field_instance) -> bool:
        """``Was post.title renamed to post.headline (a CharField)? [y/N]``, unless stated beforehand."""
        if self.renames and self.rename_stated(f"field {model_name.lower()}.{old_name}={new_name}"):
            return True
        return self._boolean_input(
            f"Was {model_name}.{old_name} renamed to {model_name}.{new_name} "
            f"(a {field_instance.__class__.__name__})? [y/N]",
            False,
        )

    def ask_rename_model(self, old_model_state, new_model_state) -> bool:
        """``Was the model blog.Article renamed to Post? [y/N]``, unless stated beforehand."""
        if self.renames and self.rename_stated(model_rename(old_model_state, new_model_state)):
            return True
        return self._boolean_input(
            f"Was the model {old_model_state.app_label}.{old_model_state.name} renamed to "
            f"{new_model_state.name}? [y/N]",
            False,
        )

    def ask_merge(self, app_label: str) -> bool:
        return self._boolean_input(
            "\nMerging will only work if the operations printed above do not conflict\n"
            "with each other (working on different fields or models)\n"
            "Should these migration branches be merged? [y/N]",
            False,
        )

    def ask_auto_now_add_addition(self, field_name: str, model_name: str):
        """Offer a one-off default (``timezone.now`` on Enter), or quitting."""
        if self.dry_run:
            return None
        choice = self._choice_input(
            f"It is impossible to add the field '{field_name}' with 'auto_now_add=True' to {model_name} "
            f"without providing a default. This is because the database needs something to populate "
            f"existing rows.\n",
            [
                "Provide a one-off default now which will be set on all existing rows",
                "Quit and manually define a default value in models.py.",
            ],
        )
        if choice == 2:
            sys.exit(3)
        return self._ask_default(default="timezone.now")

    def ask_unique_callable_default_addition(self, field_name: str, model_name: str):
        """Warn that a callable default will not give unique values; go on or quit."""
        if self.dry_run:
            return None
        choice = self._choice_input(
            f"Callable default on unique field {model_name}.{field_name} will not generate unique values "
            f"upon migrating.\nPlease choose how to proceed:\n",
            [
                "Continue making this migration as the first step in writing a manual migration to "
                "generate unique values described here: https://docs.djangoproject.com/en/5.2/howto/"
                "writing-migrations/#migrations-that-add-unique-fields.",
                "Quit and edit field options in models.py.",
            ],
        )
        if choice == 2:
            sys.exit(3)
        return None


class NonInteractiveMigrationQuestioner(MigrationQuestioner):
    """``--noinput``: no renames guessed; a question only a person could answer stops with a message."""

    def __init__(self, defaults=None, specified_apps=None, dry_run=None, verbosity: int = 1, log=None,
                 renames=()):
        self.verbosity = verbosity
        self.log = log
        super().__init__(defaults=defaults, specified_apps=specified_apps, dry_run=dry_run, renames=renames)

    def log_lack_of_migration(self, field_name: str, model_name: str, reason: str) -> None:
        if self.verbosity > 0:
            self.log(f"Field '{field_name}' on model '{model_name}' not migrated: {reason}.")

    def ask_not_null_addition(self, field_name: str, model_name: str):
        """Stop (exit status 3): nobody is there to give the rows a value."""
        self.log_lack_of_migration(
            field_name, model_name, "it is impossible to add a non-nullable field without specifying a default"
        )
        sys.exit(3)

    def ask_not_null_alteration(self, field_name: str, model_name: str):
        """Go on without a default (NOT_PROVIDED), saying the NULLs must be handled."""
        self.log(f"Field '{field_name}' on model '{model_name}' given a default of NOT PROVIDED and must be "
                 f"corrected.")
        return NOT_PROVIDED

    def ask_auto_now_add_addition(self, field_name: str, model_name: str):
        """Stop (exit status 3), as for a non-nullable field."""
        self.log_lack_of_migration(
            field_name, model_name,
            "it is impossible to add a field with 'auto_now_add=True' without specifying a default",
        )
        sys.exit(3)
