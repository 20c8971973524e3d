"""Migrations: the history of a project's models, as files of operations, replayed on the database.

How it works: ``from tinyframe.db import migrations`` gives a migration file
everything it uses: ``migrations.Migration`` (``migration.py``) and every
operation (``migrations.CreateModel``, ``migrations.AddField``...,
``operations/``). The machinery around them has a module each, in the
order data flows: ``loader`` reads the files of every app into a ``graph``
of dependencies; ``state`` replays operations into the models of any point
in that history; ``executor`` applies or unapplies migrations with a schema
editor and records them (``recorder``); ``autodetector`` compares two states
to find new operations, which ``writer`` (with ``serializer``) turns into a
file.
"""

from tinyframe.db.migrations.migration import Migration, swappable_dependency
from tinyframe.db.migrations.operations import *  # noqa: F403 -- every operation
from tinyframe.db.migrations.operations import __all__ as operations_all

__all__ = ["Migration", "swappable_dependency", *operations_all]
