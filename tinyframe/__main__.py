"""``python -m tinyframe <command>``: the command line, without a ``manage.py``."""

from tinyframe.core.management import execute_from_command_line

if __name__ == "__main__":
    execute_from_command_line()
