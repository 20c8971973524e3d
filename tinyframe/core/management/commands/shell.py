"""``shell``: a Python console with the project loaded and its models already imported.

How it works: by the time a command runs, the settings are read and
``tinyframe.setup()`` has filled the app registry, so the console can use
the models at once. ``get_namespace`` imports every installed app's models
into the console's namespace (as Django 5.2 does; ``--no-imports`` turns
it off) and says how many it imported. Then, in this order:

- ``-c "code"`` runs that code and exits;
- when standard input is not a terminal (``echo "..." | tinyframe shell``),
  what it holds is run as a script, and the command exits;
- otherwise ``code.interact`` starts the standard interactive console, after
  running the ``PYTHONSTARTUP`` file (unless ``--nostartup``) and setting
  up tab completion, as ``python`` itself does.
"""

import code
import os
import sys
import traceback
from collections import defaultdict

from tinyframe.core.management.base import BaseCommand

__all__ = ["Command"]


class Command(BaseCommand):
    """Start a Python console, or run a snippet, inside the project: to try queries by hand."""

    help = "Run a Python console with the project loaded and its models imported (or run -c code and exit)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("-c", "--command",
                            help="Run this code instead of opening a console, then exit.")
        parser.add_argument("--no-imports", action="store_true",
                            help="Do not import the installed apps' models automatically.")
        parser.add_argument("--nostartup", action="store_true", dest="no_startup",
                            help="Do not run the PYTHONSTARTUP file before the console opens.")

    def get_auto_imports(self) -> dict[str, list]:
        """``{module name: [model, ...]}``: every installed app's models, grouped by the module defining them."""
        from tinyframe.apps import apps

        by_module = defaultdict(list)
        for model in apps.get_models():
            by_module[model.__module__].append(model)
        return by_module

    def get_namespace(self, **options) -> dict:
        """The console's global names: ``__name__`` and, unless ``--no-imports``, the models, by class name.

        At verbosity 1 and up it says how many objects it imported; at 2 and
        up, the ``import`` lines that would have done the same.
        """
        namespace = {"__name__": "__main__"}
        if options.get("no_imports"):
            return namespace
        by_module = self.get_auto_imports()
        imported = {model.__name__: model for models in by_module.values() for model in models}
        namespace.update(imported)
        verbosity = options.get("verbosity", 1)
        if verbosity < 1:
            return namespace
        count = len(imported)
        message = f"{count} {'object' if count == 1 else 'objects'} imported automatically"
        if verbosity < 2 or not count:
            hint = " (use -v 2 for details)" if count else ""
            self.stdout.write(f"{message}{hint}.", ending="\n\n")
        else:
            lines = [f"  from {module} import {', '.join(model.__name__ for model in models)}"
                     for module, models in by_module.items()]
            self.stdout.write(f"{message}:\n\n" + "\n".join(lines), ending="\n\n")
        return namespace

    def handle(self, **options):
        """Run ``-c``'s code, or piped-in code, or open the interactive console: the first that applies."""
        if options["command"] is not None:
            exec(options["command"], self.get_namespace(**options))
            return
        # Piped in (``tinyframe shell < script.py``): run it as a script, no prompt.
        if not sys.stdin.isatty():
            exec(sys.stdin.read(), self.get_namespace(**options))
            return
        self.interact(self.get_namespace(**options), run_startup=not options["no_startup"])

    def interact(self, namespace: dict, run_startup: bool = True) -> None:
        """Open the standard interactive console on ``namespace``, set up as ``python``'s own would be."""
        startup = os.environ.get("PYTHONSTARTUP")
        if run_startup and startup and os.path.isfile(startup):
            with open(startup) as file:
                source = file.read()
            try:
                exec(compile(source, startup, "exec"), namespace)
            except Exception:
                traceback.print_exc()  # as python does: report it, open the console anyway
        # Python's own hook sets up line editing and history (site.py); the
        # console of ``code`` does not call it by itself.
        hook = getattr(sys, "__interactivehook__", None)
        if hook is not None:
            try:
                hook()
            except Exception:
                traceback.print_exc()
        try:
            import readline
            import rlcompleter
        except ImportError:
            pass  # no line editing on this platform: the console works without completion
        else:
            readline.set_completer(rlcompleter.Completer(namespace).complete)
        code.interact(local=namespace)
