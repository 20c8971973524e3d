"""Showing a learner how their text differs from the expected text.

How it works: when a test compares two one-line strings (an error message, a
header), a learner needs to see *where* they differ — ``…`` against ``...`` is
invisible in a long line. ``difference_lines`` puts the two texts on aligned
lines, control characters made visible (``visible``), and a caret under the
first character that differs; a long text is cut to a window around it. The
pytest plugin uses it for every failed ``==`` of two strings, and ``check``
for a ``pytest.raises(..., match=...)`` whose message did not match.
"""

import ast
import re

# How much of a long text to show on each side of the first difference.
WINDOW = 50
CONTROL = re.compile(r"[\x00-\x1f\x7f]")
MISMATCH = re.compile(r"Expected regex: (?P<pattern>'.*'|\".*\")\n\s*Actual message: (?P<message>'.*'|\".*\")")


def visible(text: str) -> str:
    r"""``text`` with control characters written as escapes, so that each takes its own place.

    >>> print(visible("a\tb\nc"))
    a\tb\nc
    """
    return CONTROL.sub(lambda match: match[0].encode("unicode_escape").decode("ascii"), text)


def first_difference(got: str, expected: str) -> int:
    """The index of the first character where the two texts differ (the shorter's length if one extends the other).

    >>> first_difference("uses parameter", "uses the parameter")
    5
    """
    for index, (mine, theirs) in enumerate(zip(got, expected)):
        if mine != theirs:
            return index
    return min(len(got), len(expected))


def difference_lines(got: str, expected: str) -> list[str]:
    """``got`` and ``expected`` on two aligned lines, then a caret under the first difference.

    >>> for line in difference_lines("Reverse for 'x' not found…", "Reverse for 'x' not found..."):
    ...     print(line)
    got:      'Reverse for 'x' not found…'
    expected: 'Reverse for 'x' not found...'
                                        ^ first difference: character 26
    """
    got, expected = visible(got), visible(expected)
    index = first_difference(got, expected)
    start = max(0, index - WINDOW)
    prefix = "…" if start else ""

    def shown(text: str) -> str:
        end = start + 2 * WINDOW
        return f"'{prefix}{text[start:end]}{'…' if len(text) > end else ''}'"

    caret = " " * (len("expected: '") + len(prefix) + index - start)
    return [
        f"got:      {shown(got)}",
        f"expected: {shown(expected)}",
        f"{caret}^ first difference: character {index + 1}",
    ]


def regex_difference(message: str) -> list[str]:
    r"""For pytest's "Regex pattern did not match" message: the two texts aligned, when the regex is plain text.

    A pattern made with ``re.escape`` stands for one exact text, which is what is
    compared; a real regular expression has no single expected text, so nothing
    is returned for it.

    >>> text = "Regex pattern did not match.\n  Expected regex: 'a\\\\.b'\n  Actual message: 'a,b'"
    >>> for line in regex_difference(text):
    ...     print(line)
    got:      'a,b'
    expected: 'a.b'
                ^ first difference: character 2
    """
    match = MISMATCH.search(message)
    if match is None:
        return []
    try:
        pattern = eval_string(match["pattern"])
        actual = eval_string(match["message"])
    except (ValueError, SyntaxError):
        return []
    text = re.sub(r"\\(.)", r"\1", pattern, flags=re.DOTALL)
    if re.escape(text) != pattern and text != pattern:
        return []
    return difference_lines(actual, text)


def eval_string(literal: str) -> str:
    """The value of a string literal as ``repr`` wrote it.

    >>> eval_string("'it\\\\'s'")
    "it's"
    """
    value = ast.literal_eval(literal)
    if not isinstance(value, str):
        raise ValueError(f"not a string literal: {literal!r}")
    return value
