"""Fixtures for chapter 06: database tables made for one test.

Test models are defined at module level, each with ``class Meta: app_label =
"..."`` unique to its test module. The ``tables`` fixture creates their tables
in the in-memory test database (``DATABASES`` in chapters/conftest.py) and
drops them after the test, so every test starts from empty tables::

    def test_count(tables):
        tables(Book)
        Book.objects.create(title="Dune")
        assert Book.objects.count() == 1
"""

import pytest


@pytest.fixture
def tables():
    """tables(*models): create their tables now (schema_editor().create_model); drop them after the test."""
    # Imported here, not at the top: a test module must load before chapter 06 is written.
    from tinyframe.db import connection

    created = []

    def create(*models) -> None:
        with connection.schema_editor() as editor:
            for model in models:
                editor.create_model(model)
                created.append(model)

    yield create
    if connection.in_atomic_block:
        pytest.fail("the test left an atomic block open; its tables cannot be dropped until it ends")
    with connection.schema_editor() as editor:
        for model in reversed(created):
            editor.delete_model(model)
