"""The signals ``migrate`` sends around its work: ``pre_migrate`` before, ``post_migrate`` after.

How it works: each function sends its signal once per installed app that has
a models module, with the app's configuration as the sender, so an app can
listen for itself (``post_migrate.connect(create_defaults, sender=self)`` in
its ``ready()``) and fill tables the migrations just made. At verbosity 2 and
above, each app is named as its handlers run, as Django prints it.
"""

import sys

__all__ = ["emit_post_migrate_signal", "emit_pre_migrate_signal"]


def emit_migrate_signal(signal, moment: str, verbosity: int, interactive: bool, db: str, **kwargs) -> None:
    """Send ``signal`` for each installed app with models; name them at ``verbosity`` >= 2."""
    from tinyframe.apps import apps

    for app_config in apps.get_app_configs():
        if app_config.models_module is None:
            continue
        if verbosity >= 2:
            stdout = kwargs.get("stdout", sys.stdout)
            stdout.write(f"Running {moment}-migrate handlers for application {app_config.label}")
        signal.send(sender=app_config, app_config=app_config, verbosity=verbosity, interactive=interactive,
                    using=db, **kwargs)


def emit_pre_migrate_signal(verbosity: int, interactive: bool, db: str, **kwargs) -> None:
    """Send ``pre_migrate`` for every app with models (``kwargs``: ``stdout``, ``apps``, ``plan``)."""
    from tinyframe.db.models.signals import pre_migrate

    emit_migrate_signal(pre_migrate, "pre", verbosity, interactive, db, **kwargs)


def emit_post_migrate_signal(verbosity: int, interactive: bool, db: str, **kwargs) -> None:
    """Send ``post_migrate`` for every app with models (``kwargs``: ``stdout``, ``apps``, ``plan``)."""
    from tinyframe.db.models.signals import post_migrate

    emit_migrate_signal(post_migrate, "post", verbosity, interactive, db, **kwargs)
