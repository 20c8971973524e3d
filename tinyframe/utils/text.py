"""Small text transformations the template filters are built on.

How it works: each function takes text and returns text, with no settings.
The filters in ``tinyframe.template.defaultfilters`` are thin wrappers over these:

    capfirst, slugify        |capfirst, |slugify
    Truncator.chars / words  |truncatechars, |truncatewords
      ... with html=True     |truncatechars_html, |truncatewords_html
    wrap                     |wordwrap
    phone2numeric            |phone2numeric
    get_text_list            "a, b or c", for messages

Only ``html=True`` knows about markup: ``TruncateHTMLParser`` reads the HTML
with the standard library's parser, copies tags through, counts only the text
(an entity like ``&amp;`` is one character), and at the limit closes the tags
still open, so the cut never leaves ``<b>`` unbalanced.
"""

import html.parser
import re
import textwrap
import unicodedata

from tinyframe.utils.html import VOID_ELEMENTS, escape


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


def add_truncation_text(text: str, truncate: str | None = None) -> str:
    """``text`` followed by the ending, or ``truncate`` filled in with ``text``.

    The ending is "…" by default; a ``truncate`` holding ``%(truncated_text)s``
    receives the kept text; a literal ending already there is not doubled.

    >>> add_truncation_text("The quick"), add_truncation_text("Wait", " [more]")
    ('The quick…', 'Wait [more]')
    >>> add_truncation_text("Wait", "<%(truncated_text)s>")
    '<Wait>'
    """
    if truncate is None:
        truncate = "%(truncated_text)s…"
    if "%(truncated_text)s" in truncate:
        return truncate % {"truncated_text": text}
    if text.endswith(truncate):
        return text
    return text + truncate


def _room_for_text(length: int, truncate: str | None) -> int:
    """How many characters of text fit in ``length`` once the ending is added (never below 0).

    Combining characters of the ending take no room of their own.
    """
    ending = add_truncation_text("", truncate)
    width = sum(1 for char in ending if not unicodedata.combining(char))
    return max(0, length - width)


class Truncator:
    """Shorten text to a number of characters or words, marking the cut with "…".

    ``truncate`` replaces the "…": either a literal ending or a pattern
    holding ``%(truncated_text)s`` that receives the kept text. With
    ``html=True`` the text is HTML: tags are copied and kept balanced, and only
    the text between them counts.

    >>> Truncator("The quick brown fox").chars(10)
    'The quick…'
    >>> Truncator("The quick brown fox").words(2, truncate=" …")
    'The quick …'
    >>> Truncator("The quick brown fox").chars(20)
    'The quick brown fox'
    >>> Truncator("<p>The <b>quick</b> brown fox</p>").words(2, html=True)
    '<p>The <b>quick</b>…</p>'
    """

    def __init__(self, text):
        self.text = str(text)

    def chars(self, num: int, truncate: str | None = None, html: bool = False) -> str:
        """At most ``num`` characters, the ending included; unchanged when short enough.

        Combining characters (accents written as separate code points) take no
        room of their own, so "é" counts once however it is encoded.
        """
        length = int(num)
        if length <= 0:
            return ""
        text = unicodedata.normalize("NFC", self.text)
        if html:
            return TruncateCharsHTMLParser(length=length, replacement=truncate).truncate(text)
        keep = _room_for_text(length, truncate)
        width = 0
        cut_at = None
        for index, char in enumerate(text):
            if unicodedata.combining(char):
                continue
            width += 1
            if cut_at is None and width > keep:
                cut_at = index
            if width > length:
                return add_truncation_text(text[: cut_at or 0], truncate)
        return text

    def words(self, num: int, truncate: str | None = None, html: bool = False) -> str:
        """The first ``num`` words, joined by single spaces, with the ending if any were dropped.

        Whitespace between words is collapsed to one space even when nothing is cut.
        """
        length = int(num)
        if length <= 0:
            return ""
        if html:
            return TruncateWordsHTMLParser(length=length, replacement=truncate).truncate(self.text)
        # Split off no more than the words kept: the rest of the text, however
        # long, stays one piece, whose presence says that words were dropped.
        words = self.text.split(maxsplit=length)
        if len(words) > length:
            return add_truncation_text(" ".join(words[:length]), truncate)
        return " ".join(words)


class TruncateHTMLParser(html.parser.HTMLParser):
    """Copy HTML through until ``length`` units of text were seen, then end it and close the open tags.

    Subclasses say what a unit is (``pieces``): a character or a word. The
    parser decodes entities (``convert_charrefs``), so ``&amp;`` is one
    character, and the text is escaped again on the way out. Comments and
    declarations are dropped. As in Django, the ending goes where the first
    piece that does not fit would have been (inside the tags open there), and
    an end tag closes the innermost open tag only when the names match.
    """

    class Done(Exception):
        """Raised from a handler once the ending is written: stop parsing."""

    def __init__(self, *, length: int, replacement: str | None):
        super().__init__(convert_charrefs=True)
        self.remaining = length
        self.replacement = replacement
        self.open_tags: list[str] = []  # innermost last
        self.output: list[str] = []
        self.output_length = 0
        self.input_length = 0

    def write(self, markup: str) -> None:
        """Add ``markup`` to the output."""
        self.output.append(markup)
        self.output_length += len(markup)

    def truncate(self, text: str) -> str:
        """The HTML of ``text`` cut after the limit, with every tag still open closed."""
        self.input_length = len(text)
        try:
            self.feed(text)
            self.close()  # unlike Django, text the parser held back at the end is kept
        except self.Done:
            self.write("".join(f"</{tag}>" for tag in reversed(self.open_tags)))
        return "".join(self.output)

    def handle_starttag(self, tag, attrs):
        self.write(self.get_starttag_text())
        if tag not in VOID_ELEMENTS:
            self.open_tags.append(tag)

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag not in VOID_ELEMENTS:
            self.handle_endtag(tag)  # <p/> is not self-closing in HTML: close it

    def handle_endtag(self, tag):
        if tag in VOID_ELEMENTS:
            return
        self.write(f"</{tag}>")
        # Only a matching end tag closes; looking further down the stack would
        # make every stray end tag a linear scan.
        if self.open_tags and self.open_tags[-1] == tag:
            self.open_tags.pop()

    def handle_data(self, data):
        pieces = self.pieces(data)
        if len(pieces) > self.remaining:
            kept = escape(self.join(pieces[: self.remaining]))
            self.write(add_truncation_text(kept, self.replacement))
            raise self.Done
        self.remaining -= len(pieces)
        self.write(escape(self.join(pieces)))

    def pieces(self, data: str):
        """The units of ``data`` that count against the limit."""
        raise NotImplementedError

    def join(self, pieces) -> str:
        """Text made of the units again."""
        raise NotImplementedError


class TruncateCharsHTMLParser(TruncateHTMLParser):
    """Count characters; the ending's own characters are part of the limit."""

    def __init__(self, *, length: int, replacement: str | None):
        super().__init__(length=_room_for_text(length, replacement), replacement=replacement)
        self.length = length
        self.seen = 0

    def handle_data(self, data):
        self.seen += len(data)
        # Django's test for "the text fills the limit exactly and ends the
        # input" (so nothing is cut): the characters seen reach the limit and
        # the output so far plus this text is as long as the whole input.
        if self.seen == self.length and self.output_length + len(data) == self.input_length:
            self.write(escape(data))  # Django writes it unescaped: an XSS hole
            raise self.Done
        super().handle_data(data)

    def pieces(self, data: str) -> str:
        return data

    def join(self, pieces: str) -> str:
        return pieces


class TruncateWordsHTMLParser(TruncateHTMLParser):
    """Count words: runs of non-space characters, re-joined by single spaces."""

    # Split only at whitespace between two words: the spaces around a text
    # chunk stay with its first and last words, so "a <b>b</b>" keeps its space.
    WORD_BREAK_RE = re.compile(r"(?<=\S)\s+(?=\S)")

    def pieces(self, data: str) -> list[str]:
        return self.WORD_BREAK_RE.split(data)

    def join(self, pieces: list[str]) -> str:
        return " ".join(pieces)


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
