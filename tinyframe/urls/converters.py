"""Path converters: what ``<int:year>`` in a route matches, and what the view receives.

How it works: a converter is a small object with three members. ``regex`` is
the text the parameter may match in a path; ``route_to_regex`` puts it in a
named group. When a path matches, ``to_python`` turns the matched text into the
value the view gets (``"2024"`` becomes ``2024``); raising ``ValueError`` there
means "not this pattern", and resolving moves on to the next one. ``reverse``
goes the other way with ``to_url``, again with ``ValueError`` for a value that
has no URL. The built-in converters sit in ``DEFAULT_CONVERTERS``;
``register_converter`` adds a project's own, and ``get_converters`` gives both.

>>> converter = get_converter("int")
>>> converter.regex, converter.to_python("2024"), converter.to_url(7)
('[0-9]+', 2024, '7')
"""

import functools
import uuid

__all__ = [
    "DEFAULT_CONVERTERS",
    "IntConverter",
    "PathConverter",
    "SlugConverter",
    "StringConverter",
    "UUIDConverter",
    "get_converter",
    "get_converters",
    "register_converter",
]


class IntConverter:
    """One or more digits, given to the view as an ``int``: ``<int:year>``."""

    regex = "[0-9]+"

    def to_python(self, value: str) -> int:
        return int(value)

    def to_url(self, value) -> str:
        return str(value)


class StringConverter:
    """Any non-empty text without a slash; the default when a route names no converter."""

    regex = "[^/]+"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value) -> str:
        return value


class SlugConverter(StringConverter):
    """ASCII letters, digits, hyphens and underscores: ``building-a-web-framework``."""

    regex = "[-a-zA-Z0-9_]+"


class UUIDConverter:
    """A lower-case hyphenated UUID, given to the view as a ``uuid.UUID``."""

    regex = "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"

    def to_python(self, value: str) -> uuid.UUID:
        return uuid.UUID(value)

    def to_url(self, value) -> str:
        return str(value)


class PathConverter(StringConverter):
    """Any non-empty text, slashes included: the rest of a path, ``docs/api/urls.html``."""

    regex = ".+"


DEFAULT_CONVERTERS = {
    "int": IntConverter(),
    "path": PathConverter(),
    "slug": SlugConverter(),
    "str": StringConverter(),
    "uuid": UUIDConverter(),
}

# The converters a project registered, by name, on top of the defaults.
REGISTERED_CONVERTERS = {}


def register_converter(converter: type, type_name: str) -> None:
    """Make ``<type_name:...>`` usable in routes, matched and converted by an instance of ``converter``.

    Register converters before the URLconfs that use them are imported (a
    project's ``urls.py`` usually does it at the top). A name can be registered
    once: silently replacing a converter would change the meaning of routes
    that already use it.
    """
    if type_name in REGISTERED_CONVERTERS or type_name in DEFAULT_CONVERTERS:
        raise ValueError(f"Converter {type_name} is already registered.")
    for member in ("regex", "to_python", "to_url"):
        if not hasattr(converter, member):
            raise TypeError(
                f"Converter {type_name!r} ({converter.__qualname__}) has no {member!r}; a converter "
                "needs a regex, a to_python(value) and a to_url(value)."
            )
    REGISTERED_CONVERTERS[type_name] = converter()
    get_converters.cache_clear()


@functools.cache
def get_converters() -> dict:
    """Every converter by name: the built-in ones and the registered ones."""
    return {**DEFAULT_CONVERTERS, **REGISTERED_CONVERTERS}


def get_converter(raw_converter: str):
    """The converter registered as ``raw_converter`` (a ``KeyError`` if there is none)."""
    return get_converters()[raw_converter]
