"""One "Did you mean ...?" helper for every misspelled name, added as a note so Django's message stays exact."""

import pytest

from tinyframe.utils.suggestions import suggest


def test_the_closest_known_name_is_suggested_in_a_note():
    error = KeyError("Reverse for 'post_detial' not found.")
    suggest(error, "post_detial", ["post_list", "post_detail", "about"])
    assert error.__notes__ == ["Did you mean 'post_detail'?"]
    assert str(error) == '"Reverse for \'post_detial\' not found."', "the message itself is untouched"


@pytest.mark.parametrize("known", [[], ["completely", "different"]])
def test_nothing_is_suggested_when_no_name_is_close(known):
    error = ValueError("Unknown thing: 'xyz'")
    suggest(error, "xyz", known)
    assert not getattr(error, "__notes__", [])


def test_any_iterable_of_names_will_do():
    error = LookupError("Invalid filter: 'uper'")
    suggest(error, "uper", {"upper": None, "lower": None})
    assert error.__notes__ == ["Did you mean 'upper'?"]
