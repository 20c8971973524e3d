"""``createsuperuser``: make a user with every permission, asking on the terminal or from options.

How it works: interactively, the command asks for the username (suggesting
the system user's name when it is free), then each of the user model's
``REQUIRED_FIELDS``, then the password twice through ``getpass`` (never
echoed, never shown again); each answer is cleaned by its model field and the
password by ``AUTH_PASSWORD_VALIDATORS``, and a bad answer is asked again.
With ``--noinput`` nothing is asked: the username and the required fields come
from options or ``TINYFRAME_SUPERUSER_<FIELD>`` variables, the password from
``TINYFRAME_SUPERUSER_PASSWORD`` (Django reads ``DJANGO_SUPERUSER_*``);
without it the user gets an unusable password. Either way the user is saved
by the manager's ``create_superuser``.
"""

import getpass
import os
import sys
import unicodedata

from tinyframe.contrib.auth import get_user_model
from tinyframe.contrib.auth.password_validation import validate_password
from tinyframe.core.exceptions import FieldDoesNotExist, ValidationError
from tinyframe.core.management.base import BaseCommand, CommandError
from tinyframe.db import DEFAULT_DB_ALIAS
from tinyframe.utils.text import capfirst

__all__ = ["Command", "NotRunningInTTYException", "get_default_username", "get_system_username"]

PASSWORD_FIELD = "password"
ENVIRONMENT_PREFIX = "TINYFRAME_SUPERUSER_"


class NotRunningInTTYException(Exception):
    """Input is not a terminal (a script, a pipe): there is nobody to ask."""


def get_system_username() -> str:
    """The operating system's name for the current user, or ``""`` when it has none."""
    try:
        return getpass.getuser()
    except (KeyError, OSError):  # no entry in /etc/passwd (a bare container)
        return ""


def get_default_username(check_db: bool = True, database: str = DEFAULT_DB_ALIAS) -> str:
    """The system user's name as a suggestion (ASCII, lowercase, no spaces), or ``""``.

    ``""`` when the name is not a valid username, when a user of that name
    exists already (``check_db``), or when the project has its own user model
    (nothing is known about its usernames).
    """
    from tinyframe.contrib.auth.models import User

    if get_user_model() is not User:
        return ""
    name = unicodedata.normalize("NFKD", get_system_username()).encode("ascii", "ignore").decode("ascii")
    name = name.replace(" ", "").lower()
    try:
        User._meta.get_field("username").run_validators(name)
    except ValidationError:
        return ""
    if check_db and name and User._default_manager.db_manager(database).filter(username=name).exists():
        return ""
    return name


class Command(BaseCommand):
    """Create a superuser: ``tinyframe createsuperuser`` (asks) or ``--noinput --username=... --email=...``."""

    help = "Used to create a superuser."
    stealth_options = ("stdin",)  # tests pass a stream that says whether it is a terminal

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.UserModel = get_user_model()
        self.username_field = self.UserModel._meta.get_field(self.UserModel.USERNAME_FIELD)

    def add_arguments(self, parser) -> None:
        username_field_name = self.UserModel.USERNAME_FIELD
        parser.add_argument(f"--{username_field_name}", help="Specifies the login for the superuser.")
        parser.add_argument(
            "--noinput", "--no-input", action="store_false", dest="interactive",
            help=f"Ask nothing. --{username_field_name} and every other required field must be given (as "
                 f"options or {ENVIRONMENT_PREFIX}<FIELD> variables); the password comes from "
                 f"{ENVIRONMENT_PREFIX}PASSWORD, and without it the superuser cannot log in until given one.",
        )
        parser.add_argument("--database", default=DEFAULT_DB_ALIAS,
                            help='Specifies the database to use. Default is "default".')
        for field_name in self.UserModel.REQUIRED_FIELDS:
            parser.add_argument(f"--{field_name}", help=f"Specifies the {field_name} for the superuser.")

    def execute(self, *args, **options):
        self.stdin = options.get("stdin", sys.stdin)
        return super().execute(*args, **options)

    def handle(self, *args, **options):
        user_data = {}
        try:
            self.UserModel._meta.get_field(PASSWORD_FIELD)
        except FieldDoesNotExist:
            pass
        else:
            user_data[PASSWORD_FIELD] = None  # unusable, unless a password is given
        try:
            if options["interactive"]:
                self.ask(user_data, options)
            else:
                self.read_options(user_data, options)
            self.UserModel._default_manager.db_manager(options["database"]).create_superuser(**user_data)
            if options["verbosity"] >= 1:
                self.stdout.write("Superuser created successfully.")
        except KeyboardInterrupt:
            self.stderr.write("\nOperation cancelled.")
            sys.exit(1)
        except ValidationError as error:
            raise CommandError("; ".join(error.messages)) from None
        except NotRunningInTTYException:
            self.stdout.write(
                "Superuser creation skipped due to not running in a TTY. You can run `tinyframe "
                "createsuperuser` in your project to create one manually."
            )

    def ask(self, user_data: dict, options: dict) -> None:
        """Fill ``user_data`` from the terminal: username, required fields, the password twice."""
        if hasattr(self.stdin, "isatty") and not self.stdin.isatty():
            raise NotRunningInTTYException
        database = options["database"]
        verbose_name = self.username_field.verbose_name
        username = options[self.UserModel.USERNAME_FIELD]
        if username == "":
            raise CommandError(f"{capfirst(verbose_name)} cannot be blank.")
        if username:
            error = self._validate_username(username, verbose_name, database)
            if error:
                self.stderr.write(error)
                username = None
        default_username = get_default_username(database=database)
        while username is None:
            username = self.get_input_data(self.username_field, self._get_input_message(self.username_field,
                                                                                        default_username),
                                           default_username)
            if username:
                error = self._validate_username(username, verbose_name, database)
                if error:
                    self.stderr.write(error)
                    username = None
        user_data[self.UserModel.USERNAME_FIELD] = username
        for field_name in self.UserModel.REQUIRED_FIELDS:
            field = self.UserModel._meta.get_field(field_name)
            value = options[field_name]
            user_data[field_name] = None if value is None else field.clean(value, None)
            while user_data[field_name] is None:
                user_data[field_name] = self.get_input_data(field, self._get_input_message(field))
        while PASSWORD_FIELD in user_data and user_data[PASSWORD_FIELD] is None:
            password = getpass.getpass()
            password2 = getpass.getpass("Password (again): ")
            if password != password2:
                self.stderr.write("Error: Your passwords didn't match.")
                continue
            if password.strip() == "":
                self.stderr.write("Error: Blank passwords aren't allowed.")
                continue
            user = self.UserModel(**{name: value for name, value in user_data.items() if name != PASSWORD_FIELD})
            try:
                validate_password(password2, user)
            except ValidationError as error:
                self.stderr.write("\n".join(error.messages))
                answer = input("Bypass password validation and create user anyway? [y/N]: ")
                if answer.lower() != "y":
                    continue
            user_data[PASSWORD_FIELD] = password

    def read_options(self, user_data: dict, options: dict) -> None:
        """Fill ``user_data`` from the options and ``TINYFRAME_SUPERUSER_*`` variables (``--noinput``)."""
        username_field_name = self.UserModel.USERNAME_FIELD
        if PASSWORD_FIELD in user_data and f"{ENVIRONMENT_PREFIX}PASSWORD" in os.environ:
            user_data[PASSWORD_FIELD] = os.environ[f"{ENVIRONMENT_PREFIX}PASSWORD"]
        username = options[username_field_name]
        if username is None:
            username = os.environ.get(ENVIRONMENT_PREFIX + username_field_name.upper())
        if username is None:
            raise CommandError(f"You must use --{username_field_name} with --noinput.")
        error = self._validate_username(username, self.username_field.verbose_name, options["database"])
        if error:
            raise CommandError(error)
        user_data[username_field_name] = username
        for field_name in self.UserModel.REQUIRED_FIELDS:
            variable = ENVIRONMENT_PREFIX + field_name.upper()
            value = options[field_name] or os.environ.get(variable)
            field = self.UserModel._meta.get_field(field_name)
            if not value:
                # An explicitly empty value is fine for a field that may be blank.
                if field.blank and (options[field_name] == "" or os.environ.get(variable) == ""):
                    continue
                raise CommandError(f"You must use --{field_name} with --noinput.")
            user_data[field_name] = field.clean(value, None)

    def get_input_data(self, field, message: str, default=None):
        """Ask ``message``; return the answer cleaned by ``field``, or None (after saying why) when it is invalid."""
        raw_value = input(message)
        if default and raw_value == "":
            raw_value = default
        try:
            return field.clean(raw_value, None)
        except ValidationError as error:
            self.stderr.write("Error: " + "; ".join(error.messages))
            return None

    def _get_input_message(self, field, default=None) -> str:
        suggestion = f" (leave blank to use '{default}')" if default else ""
        return f"{capfirst(field.verbose_name)}{suggestion}: "

    def _validate_username(self, username: str, verbose_name: str, database: str) -> str | None:
        """The error message for an unusable username (taken, blank, invalid), or None."""
        if self.username_field.unique:
            manager = self.UserModel._default_manager.db_manager(database)
            try:
                manager.get_by_natural_key(username)
            except self.UserModel.DoesNotExist:
                pass
            else:
                return f"Error: That {verbose_name} is already taken."
        if not username:
            return f"{capfirst(verbose_name)} cannot be blank."
        try:
            self.username_field.clean(username, None)
        except ValidationError as error:
            return "; ".join(error.messages)
        return None
