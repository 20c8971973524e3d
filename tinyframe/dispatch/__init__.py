"""Signals, with Django's names: ``from tinyframe.dispatch import Signal, receiver``.

How it works: ``dispatcher`` holds ``Signal`` (connect receivers, send to
them) and the ``receiver`` decorator. The signals tinyframe itself sends live
next to what sends them: ``tinyframe.core.signals`` (the request handler,
``override_settings``) and ``tinyframe.test.signals`` (templates rendering).
"""

from tinyframe.dispatch.dispatcher import Signal, receiver

__all__ = ["Signal", "receiver"]
