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


def difference_lines(got: str, expected: str, quote: str = "'") -> list[str]:
    """``got`` and ``expected`` on two aligned lines, then a caret under the first difference.

    >>> for line in difference_lines("Reverse for 'x' not found…", "Reverse for 'x' not found..."):
    ...     print(line)
    got:      'Reverse for 'x' not found…'
    expected: 'Reverse for 'x' not found...'
                                        ^ first difference: character 26

    ``quote=""`` shows the texts as they are: for the ``repr`` of a value.
    """
    got, expected = visible(got), visible(expected)
    index = first_difference(got, expected)
    start = max(0, index - WINDOW)
    prefix = "…" if start else ""

    def shown(text: str) -> str:
        end = start + 2 * WINDOW
        return f"{quote}{prefix}{text[start:end]}{'…' if len(text) > end else ''}{quote}"

    caret = " " * (len("expected: ") + len(quote) + len(prefix) + index - start)
    return [
        f"got:      {shown(got)}",
        f"expected: {shown(expected)}",
        f"{caret}^ first difference: character {index + 1}",
    ]


def comparison_lines(got, expected) -> list[str] | None:
    """How a failed ``got == expected`` is shown: the first difference marked, whatever the two are.

    Two one-line strings: aligned, as ``difference_lines`` does. Two texts of
    several lines: the first line that differs, aligned, with its number.
    Other values (tuples, numbers, lists): their ``repr``, aligned. None when
    a ``repr`` takes several lines (pytest's own diff is clearer there).

    >>> for line in comparison_lines("def f():\\n    return 1\\n", "def f():\\n    return 2\\n"):
    ...     print(line)
    the texts differ first on line 2:
    got:      '    return 1'
    expected: '    return 2'
                          ^ first difference: character 12
    >>> for line in comparison_lines(("NOT a = ?", ["x"]), ("NOT (a = ?)", ["x"])):
    ...     print(line)
    got:      ('NOT a = ?', ['x'])
    expected: ('NOT (a = ?)', ['x'])
                    ^ first difference: character 7
    """
    if isinstance(got, str) and isinstance(expected, str):
        if "\n" not in got and "\n" not in expected:
            return difference_lines(got, expected)
        got_lines, expected_lines = got.splitlines(), expected.splitlines()
        for number, (mine, theirs) in enumerate(zip(got_lines + [""], expected_lines + [""]), 1):
            if mine != theirs:
                return [f"the texts differ first on line {number}:", *difference_lines(mine, theirs)]
        return [f"the texts differ at the ends of their lines, or in their number ({len(got_lines)} against {len(expected_lines)})"]
    shown_got, shown_expected = repr(got), repr(expected)
    if "\n" in shown_got or "\n" in shown_expected:
        return None
    return difference_lines(shown_got, shown_expected, quote="")


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
