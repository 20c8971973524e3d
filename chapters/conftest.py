"""Settings shared by every chapter's tests.

Every chapter's suite runs in one process (``python -m chapters check 3`` runs
chapters 1, 2 and 3), and settings can be configured only once a process, so the
configuration lives here, above all the chapters. A test that needs other values
uses ``tinyframe.test.utils.override_settings``.
"""


def pytest_configure(config):
    from tinyframe.conf import settings

    if not settings.configured:
        settings.configure(
            DEBUG=False,
            SECRET_KEY="tinyframe-tests-not-secret",
            ALLOWED_HOSTS=["testserver", "localhost", "127.0.0.1", "[::1]"],
        )
