"""``manage.py clearsessions``: delete the expired sessions, for a cron job to run now and then.

Expired sessions are never loaded again, but the database backend keeps their
rows until something deletes them; this asks ``SESSION_ENGINE``'s store to.
"""

from importlib import import_module

from tinyframe.conf import settings
from tinyframe.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = "Can be run as a cronjob or directly to clean out expired sessions when the backend supports it."

    def handle(self, **options):
        engine = import_module(settings.SESSION_ENGINE)
        try:
            engine.SessionStore.clear_expired()
        except NotImplementedError:
            raise CommandError(
                f"Session engine '{settings.SESSION_ENGINE}' doesn't support clearing expired sessions."
            )
