"""``changepassword [username]``: set a user's password from the terminal.

How it works: the user is found by ``USERNAME_FIELD`` (the system user's name
when none is given); the new password is typed twice through ``getpass``
(never echoed), must match and pass ``AUTH_PASSWORD_VALIDATORS``; after three
failed tries the command gives up. An empty answer aborts at once. The
password is hashed by ``set_password`` and saved.
"""

import getpass

from tinyframe.contrib.auth import get_user_model
from tinyframe.contrib.auth.password_validation import validate_password
from tinyframe.core.exceptions import ValidationError
from tinyframe.core.management.base import BaseCommand, CommandError
from tinyframe.db import DEFAULT_DB_ALIAS

__all__ = ["Command"]

MAX_TRIES = 3


class Command(BaseCommand):
    """Change a user's password: for an administrator with a shell, or a user who lost theirs."""

    help = "Change a user's password for tinyframe.contrib.auth."

    def _get_pass(self, prompt: str = "Password: ") -> str:
        password = getpass.getpass(prompt=prompt)
        if not password:
            raise CommandError("aborted")
        return password

    def add_arguments(self, parser) -> None:
        parser.add_argument("username", nargs="?",
                            help="Username to change password for; by default, it's the current username.")
        parser.add_argument("--database", default=DEFAULT_DB_ALIAS,
                            help='Specifies the database to use. Default is "default".')

    def handle(self, *args, **options):
        user_model = get_user_model()
        username = options["username"] or getpass.getuser()
        try:
            user = user_model._default_manager.using(options["database"]).get(
                **{user_model.USERNAME_FIELD: username})
        except user_model.DoesNotExist:
            raise CommandError(f"user '{username}' does not exist") from None

        self.stdout.write(f"Changing password for user '{user}'")
        tries = 0
        while tries < MAX_TRIES:
            password = self._get_pass()
            password2 = self._get_pass("Password (again): ")
            tries += 1
            if password != password2:
                self.stdout.write("Passwords do not match. Please try again.")
                continue  # no point validating two different passwords
            try:
                validate_password(password2, user)
            except ValidationError as error:
                self.stderr.write("\n".join(error.messages))
                continue
            user.set_password(password)
            user.save()
            return f"Password changed successfully for user '{user}'"
        raise CommandError(f"Aborting password change for user '{user}' after {tries} attempts")
