"""The SQLite backend (``ENGINE = "tinyframe.db.backends.sqlite3"``): see ``base`` for how it works."""
