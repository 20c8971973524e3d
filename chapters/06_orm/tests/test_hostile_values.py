"""Hostile strings through every lookup, create, update and delete: nothing injected, nothing lost.

Each value goes through the ORM; the table is then read back with plain
sqlite3 (the raw connection, no ORM code) and compared with what was meant
to be there, and the list of tables is checked unchanged.
"""

import re

import pytest

from tinyframe.db import connection, models


class HoNote(models.Model):
    text = models.TextField()

    class Meta:
        app_label = "hostile_tests"


HOSTILE = [  # distinct values: each names exactly one row
    "'", '"', "''", "\\", "\\'", "%", "_", "%_%", "\\%", "\\_", "*", "?", "[", "]", "[a-z]", "[!a]", "^", "$",
    "'; DROP TABLE hostile_tests_honote; --", '"); DELETE FROM hostile_tests_honote; --', "1 OR 1=1", "' OR ''='",
    "NULL", "", " ", "\t\n", "é", "É", "ß", "İ", "😀", "Ω", "مرحبا", "a'b\"c\\d%e_f*g?h[i]j",
    "ABC", "abc", "aBc", "%%", "__", "**", "?*", "ESCAPE", "??", "%s", "%(name)s", "{}", "{0}",
]

ASCII_LOWER = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ", "abcdefghijklmnopqrstuvwxyz")


def fold(text: str) -> str:
    """SQLite's LIKE ignores case for ASCII letters only."""
    return text.translate(ASCII_LOWER)


# lookup -> what it means in Python (stored, value) -> bool
MEANING = {
    "exact": lambda stored, value: stored == value,
    "iexact": lambda stored, value: fold(stored) == fold(value),
    "contains": lambda stored, value: value in stored,
    "icontains": lambda stored, value: fold(value) in fold(stored),
    "startswith": lambda stored, value: stored.startswith(value),
    "istartswith": lambda stored, value: fold(stored).startswith(fold(value)),
    "endswith": lambda stored, value: stored.endswith(value),
    "iendswith": lambda stored, value: fold(stored).endswith(fold(value)),
    "gt": lambda stored, value: stored > value,
    "lte": lambda stored, value: stored <= value,
    "in": lambda stored, value: stored in (value, "x"),
    "regex": lambda stored, value: re.search(re.escape(value), stored) is not None,
    "iregex": lambda stored, value: re.search("(?i)" + re.escape(value), stored) is not None,
}


def raw_rows() -> list:
    """The table as plain sqlite3 sees it."""
    connection.ensure_connection()
    return sorted(connection.connection.execute("SELECT text FROM hostile_tests_honote").fetchall())


def raw_tables() -> list:
    connection.ensure_connection()
    return sorted(connection.connection.execute("SELECT name FROM sqlite_master WHERE type = 'table'").fetchall())


@pytest.fixture
def notes(tables):
    tables(HoNote)
    before = raw_tables()
    HoNote.objects.bulk_create([HoNote(text=text) for text in HOSTILE[: len(HOSTILE) // 2]])
    for text in HOSTILE[len(HOSTILE) // 2 :]:
        HoNote.objects.create(text=text)
    yield
    assert raw_tables() == before, "a table appeared or vanished"


def test_every_hostile_value_is_stored_as_given(notes):
    assert len(set(HOSTILE)) == len(HOSTILE), "the table below relies on each value naming one row"
    assert raw_rows() == sorted((text,) for text in HOSTILE)


def test_every_lookup_matches_what_it_means_for_every_hostile_value(notes, check_rows):
    cases = [(lookup, value) for lookup in MEANING for value in HOSTILE]

    def check(lookup, value):
        argument = [value, "x"] if lookup == "in" else re.escape(value) if lookup.endswith("regex") else value
        found = sorted(HoNote.objects.filter(**{f"text__{lookup}": argument}).values_list("text", flat=True))
        expected = sorted(text for text in HOSTILE if MEANING[lookup](text, value))
        assert found == expected, f"filter(text__{lookup}={argument!r}) found {found!r}, expected {expected!r}"

    check_rows(cases, check)
    assert raw_rows() == sorted((text,) for text in HOSTILE), "a filter changed the table"


def test_exclude_with_hostile_values_is_the_complement(notes, check_rows):
    def check(value):
        found = sorted(HoNote.objects.exclude(text__contains=value).values_list("text", flat=True))
        assert found == sorted(text for text in HOSTILE if value not in text), f"exclude(text__contains={value!r})"

    check_rows([(value,) for value in HOSTILE], check)


def test_updates_and_deletes_with_hostile_values_touch_only_their_rows(notes):
    for value in HOSTILE:
        changed = HoNote.objects.filter(text=value).update(text=value + "'--")
        assert changed == 1, f"update of {value!r} changed {changed} rows"
    assert raw_rows() == sorted((text + "'--",) for text in HOSTILE)
    for value in HOSTILE[::2]:
        assert HoNote.objects.filter(text=value + "'--").delete() == (1, {"hostile_tests.HoNote": 1})
    assert raw_rows() == sorted((text + "'--",) for text in HOSTILE[1::2])


def test_hostile_values_in_get_or_create_and_values(notes):
    for value in HOSTILE:
        note, created = HoNote.objects.get_or_create(text=value)
        assert not created and note.text == value
    assert raw_rows() == sorted((text,) for text in HOSTILE)
