"""``flush``: delete every row of every installed app's tables, after asking.

How it works: the statements are ``sqlflush``'s (``sql_flush``). Unless
``--no-input`` (``interactive=False`` from ``call_command``) says not to,
the command names the database and waits for the answer ``yes``; anything
else cancels. It then runs the statements in one transaction, so a failure
part-way deletes nothing. The tables stay; only their rows go, and the
``AUTOINCREMENT`` counters restart at 1.
"""

from tinyframe.core.management.base import BaseCommand, CommandError
from tinyframe.core.management.commands.sqlflush import sql_flush
from tinyframe.db import DEFAULT_DB_ALIAS, connections, transaction

__all__ = ["Command"]


class Command(BaseCommand):
    """Empty the database's tables: for starting over in development, never undone."""

    help = "Delete every row of the installed apps' tables (the tables themselves stay)."
    # From call_command only: reset_sequences=False keeps the id counters.
    stealth_options = ("reset_sequences",)

    def add_arguments(self, parser) -> None:
        parser.add_argument("--noinput", "--no-input", action="store_false", dest="interactive",
                            help="Do not ask for confirmation: delete at once.")
        parser.add_argument("--database", default=DEFAULT_DB_ALIAS,
                            help='The database alias to flush ("default" unless given).')

    def handle(self, **options):
        """Ask (unless told not to), then run ``sql_flush``'s statements in one transaction."""
        connection = connections[options["database"]]
        statements = sql_flush(connection, reset_sequences=options.get("reset_sequences", True))
        if options["interactive"] and not self.confirmed(connection):
            self.stdout.write("Flush cancelled.")
            return
        try:
            with transaction.atomic(using=connection.alias):
                with connection.cursor() as cursor:
                    for sql in statements:
                        cursor.execute(sql)
        except Exception as error:
            raise CommandError(
                f"Database {connection.settings_dict['NAME']!r} couldn't be flushed: {error}. "
                f"'sqlflush' prints the statements that were run."
            ) from error

    def confirmed(self, connection) -> bool:
        """Ask on the terminal; only the exact answer ``yes`` goes ahead."""
        name = connection.settings_dict["NAME"] or ":memory:"
        answer = input(
            f"This will delete ALL the rows of every table of the installed apps in the database {name!r}, "
            f"for good: the tables will be as empty as when they were created.\n"
            f"Are you sure you want to do this?\n\n"
            f"    Type 'yes' to continue, or 'no' to cancel: "
        )
        return answer == "yes"
