"""The contributed apps: sessions, authentication, messages (chapter 10) and the admin (chapter 11).

Each is an ordinary app a project lists in ``INSTALLED_APPS``
(``"tinyframe.contrib.auth"``), with its own models, migrations, middleware
and commands, built only on the framework of chapters 01–09: nothing in
``tinyframe`` outside ``contrib`` needs them.
"""
