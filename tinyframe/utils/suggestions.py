""""Did you mean ...?": one helper for every name a user can misspell.

How it works: ``suggest`` asks ``difflib.get_close_matches`` for the known name
closest to the mistyped one and, when there is one, adds it to the exception as
a note (``BaseException.add_note``). The message itself stays exactly Django's
— tests and users compare it — and Python prints the note on the line after it.
URL names, namespaces, converters, filters, tags, libraries and settings keys
all go through it.
"""

import difflib


def suggest(error: BaseException, name: str, known) -> None:
    """Add a note to ``error`` naming the known name closest to a mistyped one, if any is close.

    >>> error = LookupError("Invalid filter: 'uper'")
    >>> suggest(error, "uper", ["upper", "lower"])
    >>> error.__notes__
    ["Did you mean 'upper'?"]
    >>> suggest(error, "zzz", ["upper"])
    >>> len(error.__notes__)
    1
    """
    matches = difflib.get_close_matches(name, [str(candidate) for candidate in known], n=1)
    if matches:
        error.add_note(f"Did you mean '{matches[0]}'?")
