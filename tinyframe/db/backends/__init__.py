"""Database backends: one package per kind of database, named by ``ENGINE`` in ``settings.DATABASES``.

How it works: ``tinyframe.db.utils.load_backend("tinyframe.db.backends.sqlite3")``
imports the package's ``base`` module and uses its ``DatabaseWrapper``. A
wrapper offers what the rest of tinyframe relies on: ``cursor()``, ``ops``
(the dialect's SQL helpers), ``features`` (what the database can do),
``schema_editor()``, the transaction state ``tinyframe.db.transaction`` works
on, and ``vendor``. tinyframe ships one backend, SQLite, which the standard
library's ``sqlite3`` drives; another database would be another package here
with the same surface.
"""
