"""Properties of session encoding, checked by hypothesis on generated data.

Any JSON-able session comes back as it went in; any change to one character
of an encoded session makes it an empty session, never someone else's data.
"""

import logging

from hypothesis import given, settings as hypothesis_settings
from hypothesis import strategies as st

from tinyframe.contrib.sessions.backends.signed_cookies import SessionStore

# What JSON can carry: a session holds only these (one level of nesting is enough to matter).
scalars = st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False, allow_infinity=False) | st.text()
sessions = st.dictionaries(st.text(max_size=12), scalars | st.lists(scalars, max_size=4), max_size=6)


@hypothesis_settings(max_examples=20, deadline=None)
@given(sessions)
def test_every_session_decodes_to_what_was_encoded(data):
    store = SessionStore()
    assert store.decode(store.encode(data)) == data


@hypothesis_settings(max_examples=20, deadline=None)
@given(sessions, st.data())
def test_changing_any_character_of_an_encoded_session_empties_it(data, draw):
    store = SessionStore()
    encoded = store.encode(data)
    position = draw.draw(st.integers(0, len(encoded) - 1), label="position")
    replacement = draw.draw(st.characters(min_codepoint=32, max_codepoint=126).filter(lambda c: c != encoded[position]))
    tampered = encoded[:position] + replacement + encoded[position + 1 :]
    logging.disable(logging.WARNING)  # one "Session data corrupted" warning per example
    try:
        assert store.decode(tampered) == {}, f"{encoded!r} changed at {position} to {replacement!r}"
    finally:
        logging.disable(logging.NOTSET)
