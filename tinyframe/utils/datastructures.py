"""Dictionaries shaped for HTTP: several values per key, and keys that ignore case.

How it works: a query string or a form may repeat a key (``?tag=a&tag=b``), so
``MultiValueDict`` stores a list of values under each key while ``d[key]`` still
gives one value (the last), as a plain dict would. ``QueryDict`` in
``tinyframe.http.request`` builds on it. Header names are case-insensitive, so
``CaseInsensitiveMapping`` keeps each key as it was given but looks it up by its
lower-case form; request and response headers build on that.
"""

import copy
from collections.abc import Mapping


class MultiValueDictKeyError(KeyError):
    """A key missing from a MultiValueDict (a KeyError, so ``except KeyError`` catches it)."""


class MultiValueDict(dict):
    """A dict that keeps every value given for a key, and returns the last one by default.

    >>> d = MultiValueDict({"tag": ["a", "b"], "page": ["1"]})
    >>> d["tag"]
    'b'
    >>> d.getlist("tag")
    ['a', 'b']
    >>> d.appendlist("tag", "c")
    >>> d.getlist("tag")
    ['a', 'b', 'c']
    >>> d.getlist("missing")
    []

    Under the hood it is a dict of lists, so ``dict`` methods see the lists;
    the methods here (``items``, ``values``, ``get``...) show single values the
    way a plain dict would, and ``lists()``/``getlist()`` show all of them.
    """

    def __init__(self, key_to_list_mapping=()):
        super().__init__(key_to_list_mapping)

    def __repr__(self):
        return f"<{self.__class__.__name__}: {super().__repr__()}>"

    def __getitem__(self, key):
        """The last value for ``key``; [] when the key has an empty list."""
        try:
            values = super().__getitem__(key)
        except KeyError:
            raise MultiValueDictKeyError(key) from None
        return values[-1] if values else []

    def __setitem__(self, key, value):
        """Replace every value for ``key`` with this one value."""
        super().__setitem__(key, [value])

    def __copy__(self):
        return self.__class__([(key, values[:]) for key, values in self.lists()])

    def __deepcopy__(self, memo):
        result = self.__class__()
        memo[id(self)] = result
        for key, values in dict.items(self):
            dict.__setitem__(result, copy.deepcopy(key, memo), copy.deepcopy(values, memo))
        return result

    # Pickle rebuilds a dict subclass through __setitem__, which keeps one value
    # per key; carry the full lists in the state and put them back afterwards.
    def __getstate__(self):
        return {**self.__dict__, "_lists": {key: values[:] for key, values in self.lists()}}

    def __setstate__(self, state):
        for key, values in state.pop("_lists", {}).items():
            dict.__setitem__(self, key, values)
        self.__dict__.update(state)

    def get(self, key, default=None):
        """The last value for ``key``, or ``default`` when it is missing or has no values."""
        try:
            value = self[key]
        except KeyError:
            return default
        return default if value == [] else value

    def getlist(self, key, default=None) -> list:
        """Every value for ``key`` (a new list), or ``default`` (or []) when it is missing."""
        try:
            return list(super().__getitem__(key))
        except KeyError:
            return [] if default is None else default

    def setlist(self, key, list_) -> None:
        """Make ``list_`` the values for ``key``."""
        super().__setitem__(key, list(list_))

    def setdefault(self, key, default=None):
        """Return ``self[key]``, first setting it to ``default`` when missing."""
        if key not in self:
            self[key] = default
        return self[key]

    def setlistdefault(self, key, default_list=None) -> list:
        """Return the values for ``key``, first setting them to ``default_list`` when missing."""
        if key not in self:
            self.setlist(key, default_list or [])
        return super().__getitem__(key)

    def appendlist(self, key, value) -> None:
        """Add ``value`` to the values for ``key``."""
        self.setlistdefault(key).append(value)

    def items(self):
        """(key, last value) pairs, as a plain dict would give."""
        for key in self:
            yield key, self[key]

    def lists(self):
        """(key, list of every value) pairs."""
        return iter(super().items())

    def values(self):
        """The last value of every key."""
        for key in self:
            yield self[key]

    def copy(self):
        """A shallow copy: new lists holding the same values."""
        return copy.copy(self)

    def update(self, *args, **kwargs) -> None:
        """Add values from a MultiValueDict, a mapping or pairs, keeping the ones already here.

        Unlike ``dict.update`` nothing is replaced: ``update({"a": "2"})`` on a
        dict with ``a=1`` leaves ``getlist("a") == ["1", "2"]``.
        """
        if len(args) > 1:
            raise TypeError(f"update expected at most 1 positional argument, got {len(args)}")
        if args:
            other = args[0]
            if isinstance(other, MultiValueDict):
                for key, values in other.lists():
                    self.setlistdefault(key).extend(values)
            else:
                pairs = other.items() if isinstance(other, Mapping) else other
                for key, value in pairs:
                    self.appendlist(key, value)
        for key, value in kwargs.items():
            self.appendlist(key, value)

    def dict(self) -> dict:
        """A plain dict of each key's last value."""
        return {key: self[key] for key in self}


class CaseInsensitiveMapping(Mapping):
    """A read-only mapping whose keys match whatever their case.

    >>> headers = CaseInsensitiveMapping({"Content-Type": "text/html"})
    >>> headers["content-type"]
    'text/html'
    >>> list(headers)
    ['Content-Type']
    """

    def __init__(self, data=()):
        pairs = data.items() if isinstance(data, Mapping) else data
        self._store = {key.lower(): (key, value) for key, value in pairs}

    def __getitem__(self, key):
        return self._store[key.lower()][1]

    def __len__(self):
        return len(self._store)

    def __iter__(self):
        return (original_key for original_key, _ in self._store.values())

    def __eq__(self, other):
        if not isinstance(other, Mapping):
            return NotImplemented
        other_lowered = {str(key).lower(): value for key, value in other.items()}
        return {key: value for key, (_, value) in self._store.items()} == other_lowered

    def __repr__(self):
        return repr(dict(self._store.values()))

    def copy(self):
        """A copy; the mapping is read-only, so sharing it is safe too."""
        return self
