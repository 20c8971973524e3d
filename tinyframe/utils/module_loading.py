"""Importing an object named by a dotted path in the settings.

How it works: settings name code as strings ("tinyframe.core.signing.TimestampSigner",
"mysite.wsgi.application") so that a settings module never imports the project
it configures. ``import_string`` splits such a path at its last dot, imports the
module on the left and returns the attribute on the right, turning each way it
can fail into an ``ImportError`` that names the path.
"""

from importlib import import_module


def import_string(dotted_path: str):
    """Import ``"package.module.name"`` and return the object called ``name``.

    >>> import_string("os.path.join")("a", "b") == __import__("os").path.join("a", "b")
    True
    >>> import_string("json")
    Traceback (most recent call last):
      ...
    ImportError: json doesn't look like a module path
    >>> import_string("json.nothing_here")
    Traceback (most recent call last):
      ...
    ImportError: Module "json" does not define a "nothing_here" attribute/class
    """
    try:
        module_path, name = dotted_path.rsplit(".", 1)
    except (ValueError, AttributeError) as exc:
        raise ImportError(f"{dotted_path} doesn't look like a module path") from exc
    # A module that cannot be imported raises its own ImportError (naming the
    # missing module), which is already the message a user needs.
    module = import_module(module_path)
    try:
        return getattr(module, name)
    except AttributeError as exc:
        raise ImportError(f'Module "{module_path}" does not define a "{name}" attribute/class') from exc
