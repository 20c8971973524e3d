"""Fixtures shared by chapter 10's tests (sessions, CSRF, messages, users).

The contributed apps are installed for every chapter (``chapters/conftest.py``),
so their models exist; the fixtures here create their tables in the test
database. Nothing here imports an exercise's module at module level: a test
module must load while an exercise of the chapter is still a stub.
"""

import pytest


@pytest.fixture
def contrib_tables(tables):
    """Create the tables of the contributed apps' models (sessions, users, groups, permissions) for one test."""
    from tinyframe.apps import apps

    tables(*(model for label in ("sessions", "auth") for model in apps.get_app_config(label).get_models()))
