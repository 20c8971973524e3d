"""Tools for testing tinyframe projects, with Django's names: ``from tinyframe.test import Client``.

How it works: ``client`` holds ``RequestFactory`` (build requests to call
views with) and ``Client`` (send them through the whole handler);
``testcases`` holds ``SimpleTestCase`` with its response assertions; ``utils``
holds ``override_settings`` and the test-environment set-up.
"""
# >>> 06_orm
# From chapter 06: ``TestCase`` (each test rolled back) and
# ``TransactionTestCase`` (nothing rolled back), in ``testcases``.
# <<< 06_orm

from tinyframe.test.client import Client, RedirectCycleError, RequestFactory
from tinyframe.test.testcases import SimpleTestCase
from tinyframe.test.utils import override_settings

__all__ = ["Client", "RedirectCycleError", "RequestFactory", "SimpleTestCase", "override_settings"]
# >>> 06_orm
from tinyframe.test.testcases import TestCase, TransactionTestCase  # noqa: E402

__all__ += ["TestCase", "TransactionTestCase"]
# <<< 06_orm
