"""JSON for responses: ``DjangoJSONEncoder``, and ``to_json``, the fast way JsonResponse uses it.

How it works: the standard ``json`` module encodes dicts, lists, strings,
numbers, booleans and None by itself; for any other value it calls the
encoder's ``default(value)``. ``DjangoJSONEncoder.default`` answers for the
values a web application sends most: dates and times (ISO 8601, to the
millisecond), durations, decimals, UUIDs and lazy strings. ``to_json(data)``
gives exactly what ``json.dumps(data, cls=DjangoJSONEncoder)`` gives, through
one encoder made when the module is imported.
"""

import datetime
import decimal
import json
import uuid
from json.encoder import c_make_encoder, encode_basestring_ascii

# >>> 02_urls
from tinyframe.utils.functional import Promise
# <<< 02_urls
from tinyframe.utils.duration import duration_iso_string

__all__ = ["DjangoJSONEncoder", "to_json"]


class DjangoJSONEncoder(json.JSONEncoder):
    """A JSON encoder that also knows dates, times, durations, decimals and UUIDs.

    ``JsonResponse`` uses it unless given another ``encoder``. The name is
    Django's, so code written for Django's ``JsonResponse`` behaves the same.
    """

    def default(self, value):
        """The JSON-ready form of a value ``json`` does not know, or TypeError."""
        if isinstance(value, datetime.datetime):
            text = without_microseconds(value.isoformat(), value.microsecond)
            return text.removesuffix("+00:00") + "Z" if text.endswith("+00:00") else text
        if isinstance(value, datetime.date):
            return value.isoformat()
        if isinstance(value, datetime.time):
            if value.utcoffset() is not None:
                raise ValueError("JSON can't represent timezone-aware times.")
            return without_microseconds(value.isoformat(), value.microsecond)
        if isinstance(value, datetime.timedelta):
            return duration_iso_string(value)
        if isinstance(value, (decimal.Decimal, uuid.UUID)):
            return str(value)
        # >>> 02_urls
        if isinstance(value, Promise):  # reverse_lazy() and other lazy text
            return str(value)
        # <<< 02_urls
        return super().default(value)


def without_microseconds(text: str, microsecond: int) -> str:
    """An ISO 8601 time cut to milliseconds, as JavaScript's ``Date`` reads them.

    >>> without_microseconds("12:30:05.123456+02:00", 123456)
    '12:30:05.123+02:00'
    """
    if not microsecond:
        return text  # isoformat() wrote no fraction at all
    seconds, _, rest = text.partition(".")
    return f"{seconds}.{rest[:3]}{rest[6:]}"


# Speed (tests/benchmarks/requests.py): json.dumps builds a new C encoder on
# every call, and for a small dict that costs as much as the encoding itself.
# This one is built once, with the settings json.dumps uses by default, and is
# safe to share between threads because it keeps no memory of cycles (the
# first argument, None). Python without the C accelerator has none to share.
_ENCODER = DjangoJSONEncoder()
_encode = c_make_encoder and c_make_encoder(
    None, _ENCODER.default, encode_basestring_ascii, None, _ENCODER.key_separator, _ENCODER.item_separator,
    _ENCODER.sort_keys, _ENCODER.skipkeys, _ENCODER.allow_nan,
)


def to_json(data) -> str:
    """``json.dumps(data, cls=DjangoJSONEncoder)``, through an encoder made once.

    >>> to_json({"when": datetime.date(2024, 5, 1), "tags": ("a", "b")})
    '{"when": "2024-05-01", "tags": ["a", "b"]}'
    """
    if _encode is None:
        return json.dumps(data, cls=DjangoJSONEncoder)
    try:
        return "".join(_encode(data, 0))
    except RecursionError:
        # With no memory of cycles, a dict that contains itself runs out of
        # stack; json.dumps watches for cycles and says "Circular reference detected".
        return json.dumps(data, cls=DjangoJSONEncoder)
