"""CookieStorage: the messages travel in a signed cookie, so the server keeps nothing.

How it works: ``_store`` turns each message into a small JSON list
(``MessageEncoder``: ``["__json_message", is_safe, level, text, extra_tags]``),
joins them into one JSON list, compresses it when that helps and signs it
(``Signer.sign_object``), and sets the ``messages`` cookie; no messages
deletes it. ``_get`` checks the signature and decodes (``MessageDecoder``);
a cookie that was changed, forged or mangled is ignored and deleted, never an
error. A cookie must stay small (``max_cookie_size``, 2048 bytes, leaves room
for the other headers in servers' 4 KB limits), so when the messages do not
fit, some are left out and handed back to the caller: the oldest, or the
newest when ``FallbackStorage`` asks (it puts them in the session, to be read
after the cookie's). The cookie then ends with a ``not_finished`` marker that
tells the next ``_get`` there are more elsewhere.

Signing proves the server wrote the cookie; it does not hide it: anyone can
read a message's text by decoding the base64.

The format is Django's; the names in it are tinyframe's. The key comes from
``signing.get_cookie_signer`` (derived from ``SECRET_KEY`` as Django derives
it, under ``"tinyframe.http.cookies"``) and the salt is
``"tinyframe.contrib.messages"``, so a cookie signed by a Django site never
passes here, nor the reverse. With Django's two names in their place, the
bytes are the very ones Django writes (the tests check that).
"""

import json
import zlib
from bisect import bisect_left
from http.cookies import SimpleCookie

from tinyframe.conf import settings
from tinyframe.contrib.messages.storage.base import BaseStorage, Message
from tinyframe.core import signing
from tinyframe.utils.safestring import SafeData, mark_safe

class MessageEncoder(json.JSONEncoder):
    """JSON that writes a ``Message`` as ``["__json_message", is_safe, level, text]`` (+ extra tags if any).

    ``is_safe`` is 1 for text marked safe (``mark_safe``), so it comes back
    safe and a template does not escape it; 0 otherwise. Numbers rather than
    booleans keep the cookie short.

    >>> MessageEncoder(separators=(",", ":")).encode([Message(25, "Saved", extra_tags="")])
    '[["__json_message",0,25,"Saved",""]]'
    """

    message_key = "__json_message"

    def default(self, obj):
        if isinstance(obj, Message):
            is_safedata = 1 if isinstance(obj.message, SafeData) else 0
            encoded = [self.message_key, is_safedata, obj.level, obj.message]
            if obj.extra_tags is not None:
                encoded.append(obj.extra_tags)
            return encoded
        return super().default(obj)


class MessageDecoder(json.JSONDecoder):
    """JSON that turns ``MessageEncoder``'s lists back into ``Message`` objects, anywhere in the value.

    >>> MessageDecoder().decode('[["__json_message",1,40,"<b>Failed</b>"]]')
    [Message(level=40, message='<b>Failed</b>')]
    """

    def process_messages(self, obj):
        """``obj`` with every encoded message replaced by a ``Message`` (lists and dicts are walked)."""
        if isinstance(obj, list) and obj:
            if obj[0] == MessageEncoder.message_key:
                level, text, *extra_tags = obj[2:]
                if obj[1]:
                    text = mark_safe(text)
                return Message(level, text, *extra_tags)
            return [self.process_messages(item) for item in obj]
        if isinstance(obj, dict):
            return {key: self.process_messages(value) for key, value in obj.items()}
        return obj

    def decode(self, s, **kwargs):
        return self.process_messages(super().decode(s, **kwargs))


class MessagePartSerializer:
    """Each message as its own compact JSON text, so trying fewer messages never encodes one twice."""

    def dumps(self, messages) -> list[str]:
        return [json.dumps(message, separators=(",", ":"), cls=MessageEncoder) for message in messages]


class MessagePartGatherSerializer:
    """Join JSON texts made by ``MessagePartSerializer`` into one JSON list, as bytes for the signer."""

    def dumps(self, parts) -> bytes:
        return ("[" + ",".join(parts) + "]").encode("latin-1")


class MessageSerializer:
    """Read the signed cookie's payload back into a list of ``Message`` objects."""

    def loads(self, data: bytes):
        return json.loads(data.decode("latin-1"), cls=MessageDecoder)


class CookieStorage(BaseStorage):
    """Messages in a signed cookie named ``messages``, at most ``max_cookie_size`` bytes (0: no limit)."""

    cookie_name = "messages"
    max_cookie_size = 2048
    not_finished = "__messagesnotfinished__"
    not_finished_json = json.dumps("__messagesnotfinished__")
    key_salt = "tinyframe.contrib.messages"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.signer = signing.get_cookie_signer(salt=self.key_salt)

    def _get(self, *args, **kwargs):
        """The cookie's messages (None without a cookie, or with a bad one) and whether they are all.

        A trailing ``not_finished`` marker means the cookie could not hold
        every message: it is removed, and ``all_retrieved`` is False.
        """
        messages = self._decode(self.request.COOKIES.get(self.cookie_name))
        all_retrieved = not (messages and messages[-1] == self.not_finished)
        if messages and not all_retrieved:
            messages.pop()
        return messages, all_retrieved

    def _update_cookie(self, encoded_data, response) -> None:
        """Set the cookie to ``encoded_data``, or delete it when there is nothing to keep.

        It has the session cookie's domain and flags (``SESSION_COOKIE_*``)
        and no expiry: it lasts until the browser closes, if it is not read
        before.
        """
        if encoded_data:
            response.set_cookie(
                self.cookie_name,
                encoded_data,
                domain=settings.SESSION_COOKIE_DOMAIN,
                secure=bool(settings.SESSION_COOKIE_SECURE),
                httponly=bool(settings.SESSION_COOKIE_HTTPONLY),
                samesite=settings.SESSION_COOKIE_SAMESITE,
            )
        else:
            response.delete_cookie(
                self.cookie_name, domain=settings.SESSION_COOKIE_DOMAIN, samesite=settings.SESSION_COOKIE_SAMESITE
            )

    def _store(self, messages, response, remove_oldest=True, *args, **kwargs):
        """Write ``messages`` to the cookie and return those left out because the cookie would be too big.

        When they do not all fit, keep as many of the newest as fit (or, with
        ``remove_oldest=False``, of the oldest: ``FallbackStorage`` sends the
        rest on to the session, and the messages must stay in order), and end
        the cookie with the ``not_finished`` marker.
        """
        parts = MessagePartSerializer().dumps(messages)
        encoded_data = self._encode_parts(parts)
        unstored_messages = []
        if self.max_cookie_size and self._is_too_large(encoded_data):
            if remove_oldest:
                # The first index from which the newest messages, and the marker, fit.
                first = bisect_left(range(len(parts)), True, key=lambda index: not self._is_too_large(
                    self._encode_parts(parts[index:] + [self.not_finished_json], encode_empty=True)))
                unstored_messages, kept = messages[:first], parts[first:]
            else:
                # The number of oldest messages that fit with the marker: the
                # first count whose one more message would not.
                count = bisect_left(range(len(parts)), True, key=lambda count: self._is_too_large(
                    self._encode_parts(parts[:count + 1] + [self.not_finished_json], encode_empty=True)))
                unstored_messages, kept = messages[count:], parts[:count]
            encoded_data = self._encode_parts(kept + [self.not_finished_json], encode_empty=True)
        self._update_cookie(encoded_data, response)
        return unstored_messages

    def _is_too_large(self, encoded_data) -> bool:
        """Whether ``encoded_data``, as a Set-Cookie header would carry it (quoted if need be), is over the limit."""
        return bool(encoded_data) and len(SimpleCookie().value_encode(encoded_data)[1]) > self.max_cookie_size

    def _encode_parts(self, parts, encode_empty=False):
        """The signed cookie value holding the JSON ``parts`` (None for no parts, unless ``encode_empty``)."""
        if parts or encode_empty:
            return self.signer.sign_object(parts, serializer=MessagePartGatherSerializer, compress=True)
        return None

    def _encode(self, messages, encode_empty=False):
        """The signed cookie value holding ``messages``."""
        return self._encode_parts(MessagePartSerializer().dumps(messages), encode_empty=encode_empty)

    def _decode(self, data):
        """The messages in a cookie value, or None when there is none or it is not a good one.

        A bad value (a signature that does not match, broken base64, zlib or
        JSON, or anything but a list) also marks the storage used, so that
        ``update`` deletes the cookie instead of sending it back.
        """
        if not data:
            return None
        try:
            messages = self.signer.unsign_object(data, serializer=MessageSerializer)
        except (signing.BadSignature, ValueError, TypeError, zlib.error):
            # ValueError covers binascii.Error and json.JSONDecodeError.
            messages = None
        if isinstance(messages, list):
            return messages
        self.used = True
        return None
