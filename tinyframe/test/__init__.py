"""Tools for testing tinyframe projects, with Django's names: ``from tinyframe.test import Client``.

How it works: ``client`` holds ``RequestFactory`` (build requests to call
views with) and ``Client`` (send them through the whole handler);
``testcases`` holds ``SimpleTestCase`` with its response assertions; ``utils``
holds ``override_settings`` and the test-environment set-up.
"""

from tinyframe.test.client import Client, RedirectCycleError, RequestFactory
from tinyframe.test.testcases import SimpleTestCase
from tinyframe.test.utils import override_settings

__all__ = ["Client", "RedirectCycleError", "RequestFactory", "SimpleTestCase", "override_settings"]
