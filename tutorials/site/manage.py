#!/usr/bin/env python
"""Run administrative tasks for the example site (Django's manage.py, one word changed)."""
import os
import sys

if __name__ == "__main__":
    os.environ.setdefault("TINYFRAME_SETTINGS_MODULE", "mysite.settings")
    from tinyframe.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)
