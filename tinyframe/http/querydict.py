"""QueryDict: the data of a query string or a form body, a key to a list of values.

How it works: ``QueryDict("a=1&a=2&b=3")`` decodes the text (bytes with its
``encoding``), splits it into pairs with ``urllib.parse.parse_qsl`` (refusing
more than DATA_UPLOAD_MAX_NUMBER_FIELDS of them) and appends each value to its
key's list. ``request.GET`` and a urlencoded ``request.POST`` are QueryDicts,
immutable because they stand for what the client sent; ``copy()`` gives a
mutable one, and ``urlencode()`` turns it back into a query string:

    "a=1&a=2" -> parse_qsl -> {"a": ["1", "2"]} -> urlencode() -> "a=1&a=2"
"""

import copy
from urllib.parse import parse_qsl, quote, urlencode

from tinyframe.conf import settings
from tinyframe.core.exceptions import TooManyFieldsSent
from tinyframe.utils.datastructures import MultiValueDict


class QueryDict(MultiValueDict):
    """The data of a query string or a form body: text keys, each with a list of values.

    Immutable by default, since it stands for what the client sent; ``copy()``
    gives a mutable one. Parsing never fails on bad encoding (undecodable bytes
    become U+FFFD) but does refuse more than DATA_UPLOAD_MAX_NUMBER_FIELDS fields.

    >>> query = QueryDict("tag=http&tag=python&q=caf%C3%A9&empty=")
    >>> query["tag"], query.getlist("tag"), query["q"], query["empty"]
    ('python', ['http', 'python'], 'café', '')
    >>> query["q"] = "other"
    Traceback (most recent call last):
      ...
    AttributeError: This QueryDict instance is immutable. Call .copy() for a mutable copy.
    """

    _mutable = True
    _encoding = None

    def __init__(self, query_string: str | bytes | None = None, mutable: bool = False, encoding: str | None = None):
        self.encoding = encoding or settings.DEFAULT_CHARSET
        query_string = query_string or ""
        if isinstance(query_string, bytes):
            try:
                query_string = query_string.decode(self.encoding)
            except UnicodeDecodeError:
                # Keep every byte as one character; parse_qsl re-encodes with
                # the same codec before decoding percent escapes.
                query_string = query_string.decode("iso-8859-1")
        max_fields = settings.DATA_UPLOAD_MAX_NUMBER_FIELDS
        try:
            pairs = parse_qsl(
                query_string,
                keep_blank_values=True,
                encoding=self.encoding,
                errors="replace",
                max_num_fields=max_fields,
            )
        except ValueError as error:  # the only ValueError parse_qsl raises without strict_parsing
            raise TooManyFieldsSent(
                f"The number of GET/POST parameters exceeded settings.DATA_UPLOAD_MAX_NUMBER_FIELDS ({max_fields})."
            ) from error
        # Grouped by key in one pass, the pairs become the dict of lists at
        # once: appendlist, which checks and decodes, is for later changes.
        values = {}
        for key, value in pairs:
            values.setdefault(key, []).append(value)
        super().__init__(values)
        self._mutable = mutable

    @classmethod
    def fromkeys(cls, iterable, value="", mutable: bool = False, encoding: str | None = None) -> "QueryDict":
        """A QueryDict with ``value`` under each key of ``iterable`` (repeated keys repeat it)."""
        query_dict = cls("", mutable=True, encoding=encoding)
        for key in iterable:
            query_dict.appendlist(key, value)
        query_dict._mutable = mutable
        return query_dict

    @property
    def encoding(self) -> str:
        """The charset that bytes given to this QueryDict are decoded with."""
        return self._encoding or settings.DEFAULT_CHARSET

    @encoding.setter
    def encoding(self, value: str) -> None:
        self._encoding = value

    def _assert_mutable(self) -> None:
        if not self._mutable:
            raise AttributeError(
                "This QueryDict instance is immutable. Call .copy() for a mutable copy."
            )

    # Every method that changes the dict checks first that it may, and
    # decodes bytes it is given, so a QueryDict only ever holds text.
    def __setitem__(self, key, value):
        self._assert_mutable()
        super().__setitem__(_to_text(key, self.encoding), _to_text(value, self.encoding))

    def __delitem__(self, key):
        self._assert_mutable()
        super().__delitem__(key)

    def __copy__(self):
        result = self.__class__("", mutable=True, encoding=self.encoding)
        for key, values in self.lists():
            result.setlist(key, values)
        return result

    def __deepcopy__(self, memo):
        result = self.__class__("", mutable=True, encoding=self.encoding)
        memo[id(self)] = result
        for key, values in self.lists():
            result.setlist(copy.deepcopy(key, memo), copy.deepcopy(values, memo))
        return result

    def setlist(self, key, list_):
        self._assert_mutable()
        super().setlist(_to_text(key, self.encoding), [_to_text(item, self.encoding) for item in list_])

    def setlistdefault(self, key, default_list=None):
        self._assert_mutable()
        return super().setlistdefault(key, default_list)

    def appendlist(self, key, value):
        self._assert_mutable()
        super().appendlist(_to_text(key, self.encoding), _to_text(value, self.encoding))

    def pop(self, key, *args):
        self._assert_mutable()
        return super().pop(key, *args)

    def popitem(self):
        self._assert_mutable()
        return super().popitem()

    def clear(self):
        self._assert_mutable()
        super().clear()

    def setdefault(self, key, default=None):
        self._assert_mutable()
        key, default = _to_text(key, self.encoding), _to_text(default, self.encoding)
        return super().setdefault(key, default)

    def update(self, *args, **kwargs):
        self._assert_mutable()
        super().update(*args, **kwargs)

    def copy(self) -> "QueryDict":
        """A mutable deep copy: change it without touching request.GET."""
        return copy.deepcopy(self)

    def urlencode(self, safe: str | None = None) -> str:
        """Encode every key and value, repeated keys included, as a query string.

        Characters in ``safe`` are left unencoded (``safe="/"`` keeps paths
        readable). Parsing the result gives back the same QueryDict.
        """
        pairs = [
            (key.encode(self.encoding), str(value).encode(self.encoding))
            for key, values in self.lists()
            for value in values
        ]
        if safe:
            return "&".join(f"{quote(key, safe)}={quote(value, safe)}" for key, value in pairs)
        return urlencode(pairs)


def _to_text(value, encoding: str):
    """Decode bytes with ``encoding`` (replacing what does not decode); leave anything else."""
    if isinstance(value, bytes):
        return value.decode(encoding, "replace")
    return value
