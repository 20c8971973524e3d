"""The serializer named by ``SESSION_SERIALIZER``: sessions are stored as JSON.

JSON, not pickle, because a session's data comes back from storage the visitor
may reach (the cookie backend hands it all to them): unpickling a forged value
runs code, decoding JSON only builds dicts, lists, strings and numbers. The
price is that a session holds only those types (store a ``datetime`` as an
ISO string, a model instance as its primary key).
"""

from tinyframe.core.signing import JSONSerializer

__all__ = ["JSONSerializer"]
