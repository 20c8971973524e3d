"""``ensuresuperuser``: the first time, make a superuser with a random password and print it, once.

How it works: the README's run command calls this between ``migrate`` and
``runserver``. If the database has no superuser yet, the command makes one
(``admin`` unless ``--username`` says otherwise; ``admin2`` if a visitor
signed up as ``admin``) with a password drawn from
``secrets``, and prints the username and password: the person who started
the site reads them on their terminal and signs in to the admin at
``/admin/``. Every later run finds the superuser and says so, without
touching it; ``changepassword`` sets a new password.

Why not a fixed password ("admin"/"admin"): every copy of the site would
share it, and anyone who read this repository could sign in to any of them.
The random one exists only in the database (hashed) and on the terminal.
"""

import os
import secrets

from tinyframe.contrib.auth import get_user_model
from tinyframe.core.management.base import BaseCommand

__all__ = ["Command"]

# How to run a command on this site: the README's way, from the course's root; or, when the
# course tool serves the site from a learner's workspace, its own (it says so in this variable).
RUN_A_COMMAND = "python -m tinyframe {command} --pythonpath tutorials/site --settings mysite.settings"


class Command(BaseCommand):
    """Make the site's first superuser, with a random password, unless there is one."""

    help = "Create a superuser with a random password, printed once, if the database has none."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--username", default="admin", help="The new superuser's username (default: admin).")

    def handle(self, *args, **options):
        User = get_user_model()
        existing = User._default_manager.filter(is_superuser=True).order_by("pk").first()
        if existing is not None:
            how = os.environ.get("TINYFRAME_SITE_COMMAND", RUN_A_COMMAND)
            change = how.format(command=f"changepassword {existing.get_username()}")
            self.stdout.write(
                f"The admin, at /admin/: sign in as the superuser {existing.get_username()!r} "
                f"(forgotten the password? {change})."
            )
            return
        username, number = options["username"], 1
        while User._default_manager.filter(**{User.USERNAME_FIELD: username}).exists():
            number += 1  # a visitor signed up as "admin": the superuser is "admin2"
            username = f"{options['username']}{number}"
        password = secrets.token_urlsafe(12)
        user = User._default_manager.create_superuser(username, "", password)
        self.stdout.write(
            f"The admin, at /admin/: a superuser was made for you. Sign in with\n"
            f"  username: {user.get_username()}\n"
            f"  password: {password}\n"
            f"This password is shown only this once; change it in the admin (\"Change password\")."
        )
