"""Small text transformations the template filters are built on.

How it works: each function takes text and returns text, with no settings and
no HTML knowledge (``tinyframe.utils.html`` handles markup). The filters in
``tinyframe.template.defaultfilters`` are thin wrappers over these:

    capfirst, slugify        |capfirst, |slugify
    Truncator.chars / words  |truncatechars, |truncatewords
    wrap                     |wordwrap
    phone2numeric            |phone2numeric
    get_text_list            "a, b or c", for messages
"""

import re
import textwrap
import unicodedata


def capfirst(value):
    """Upper-case the first character and leave the rest alone (``str.capitalize`` lowers them).

    Empty values and None are returned as they are.

    >>> capfirst("élan vital of HTML")
    'Élan vital of HTML'
    >>> capfirst("") == "" and capfirst(None) is None
    True
    """
    if not value:
        return value
    value = str(value)
    return value[0].upper() + value[1:]


def slugify(value, allow_unicode: bool = False) -> str:
    """Make a URL fragment of ``value``: lower-case words joined by hyphens.

    Accents are removed and other non-ASCII characters dropped, unless
    ``allow_unicode`` keeps letters of any script. Characters that are not
    letters, digits, underscores, hyphens or spaces vanish (so "It's" becomes
    "its"); runs of spaces and hyphens become one hyphen; leading and trailing
    hyphens and underscores go.

    >>> slugify(" Ça va? Très bien! ")
    'ca-va-tres-bien'
    >>> slugify("日本語 text"), slugify("日本語 text", allow_unicode=True)
    ('text', '日本語-text')
    """
    value = str(value)
    if allow_unicode:
        value = unicodedata.normalize("NFKC", value)
    else:
        # NFKD splits "é" into "e" and a combining accent; encoding to ASCII
        # then drops the accent and every character ASCII lacks.
        value = unicodedata.normalize("NFKD", value).encode("ascii", "ignore").decode("ascii")
    value = re.sub(r"[^\w\s-]", "", value.lower())
    return re.sub(r"[-\s]+", "-", value).strip("-_")


class Truncator:
    """Shorten text to a number of characters or words, marking the cut with "…".

    ``truncate`` replaces the "…": either a literal ending or a pattern
    holding ``%(truncated_text)s`` that receives the kept text.

    >>> Truncator("The quick brown fox").chars(10)
    'The quick…'
    >>> Truncator("The quick brown fox").words(2, truncate=" …")
    'The quick …'
    >>> Truncator("The quick brown fox").chars(20)
    'The quick brown fox'
    """

    def __init__(self, text):
        self.text = str(text)

    @staticmethod
    def _add_truncation_text(text: str, truncate: str | None) -> str:
        """``text`` followed by the ending, or ``truncate`` filled in with ``text``."""
        if truncate is None:
            truncate = "%(truncated_text)s…"
        if "%(truncated_text)s" in truncate:
            return truncate % {"truncated_text": text}
        if text.endswith(truncate):
            return text  # a literal ending already there is not doubled
        return text + truncate

    def chars(self, num: int, truncate: str | None = None) -> str:
        """At most ``num`` characters, the ending included; unchanged when short enough.

        Combining characters (accents written as separate code points) take no
        room of their own, so "é" counts once however it is encoded.
        """
        length = int(num)
        if length <= 0:
            return ""
        text = unicodedata.normalize("NFC", self.text)
        ending_width = sum(
            1 for char in self._add_truncation_text("", truncate) if not unicodedata.combining(char)
        )
        keep = length - ending_width
        width = 0
        cut_at = None
        for index, char in enumerate(text):
            if unicodedata.combining(char):
                continue
            width += 1
            if cut_at is None and width > keep:
                cut_at = index
            if width > length:
                return self._add_truncation_text(text[: cut_at or 0], truncate)
        return text

    def words(self, num: int, truncate: str | None = None) -> str:
        """The first ``num`` words, joined by single spaces, with the ending if any were dropped.

        Whitespace between words is collapsed to one space even when nothing is cut.
        """
        length = int(num)
        if length <= 0:
            return ""
        words = self.text.split()
        if len(words) > length:
            return self._add_truncation_text(" ".join(words[:length]), truncate)
        return " ".join(words)


def wrap(text: str, width: int) -> str:
    """Wrap text at ``width`` characters, keeping its line breaks; long words are not split.

    >>> print(wrap("The quick brown fox jumps over the lazy dog", 10))
    The quick
    brown fox
    jumps over
    the lazy
    dog
    """
    wrapper = textwrap.TextWrapper(width=width, break_long_words=False, break_on_hyphens=False)
    wrapped = []
    for line in str(text).splitlines(keepends=True):
        content = line.rstrip("\r\n")
        wrapped.append("\n".join(wrapper.wrap(content)) if content.strip() else content)
        if content != line:
            wrapped.append("\n")
    return "".join(wrapped)


def get_text_list(list_, last_word: str = "or") -> str:
    """Join items as a sentence: ``['a', 'b', 'c']`` -> ``'a, b or c'``.

    >>> get_text_list(["red", "green", "blue"], "and")
    'red, green and blue'
    >>> get_text_list(["red"])
    'red'
    """
    items = [str(item) for item in list_]
    if len(items) <= 1:
        return "".join(items)
    return f"{', '.join(items[:-1])} {last_word} {items[-1]}"


# The letters on a telephone keypad.
_KEYPAD = {
    letter: digit
    for digit, letters in {"2": "abc", "3": "def", "4": "ghi", "5": "jkl", "6": "mno",
                           "7": "pqrs", "8": "tuv", "9": "wxyz"}.items()
    for letter in letters
}


def phone2numeric(phone) -> str:
    """Turn the letters of a phone number into the digits on a keypad.

    >>> phone2numeric("1-800-FLOWERS")
    '1-800-3569377'
    """
    return "".join(_KEYPAD.get(char, char) for char in str(phone).lower())
