"""tinyframe's own management commands, one module per command (``runserver.py`` is ``runserver``)."""
