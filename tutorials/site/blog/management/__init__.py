"""The blog's management commands (``python -m tinyframe <command>``)."""
