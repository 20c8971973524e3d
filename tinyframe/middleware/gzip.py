"""GZipMiddleware: compress responses for the clients that accept gzip, when it pays.

How it works: ``process_response`` leaves a response alone when it is short
(under 200 bytes), already encoded, or for a client whose Accept-Encoding
does not name gzip. Otherwise it compresses the content with
``compress_string`` (keeping it only if smaller) or, for a streaming
response, wraps the stream in ``compress_sequence``, which compresses piece
by piece as the server sends it. It adds ``Vary: Accept-Encoding`` (a cache
must not hand the gzipped copy to a client that cannot read it) and turns a
strong ETag weak: the bytes sent differ from those the tag was made for.

Compression leaks how alike a secret and text an attacker injects are (the
BREACH attack: the more they share, the shorter the response). Each response
therefore carries a random number of padding bytes in the gzip header's file
name field (up to ``max_random_bytes``), so its length says less; ``gzip``
readers ignore the name.
"""

import gzip
import io
import re
import secrets

from tinyframe.utils.cache import patch_vary_headers
from tinyframe.utils.deprecation import MiddlewareMixin

# "gzip" as a word of Accept-Encoding ("gzip, deflate, br"), not "x-gzipped".
accepts_gzip_re = re.compile(r"\bgzip\b")

# Shorter content is not worth compressing: the gzip header and trailer alone are 18 bytes.
MINIMUM_LENGTH = 200


class GZipMiddleware(MiddlewareMixin):
    """Compress the responses of clients that accept gzip, when compression makes them shorter."""

    max_random_bytes = 100

    def process_response(self, request, response):
        """Return the response gzipped (with Content-Encoding and Vary) when it is worth it, else unchanged.

        Skip content shorter than MINIMUM_LENGTH and responses that already
        have a Content-Encoding. Add ``Accept-Encoding`` to ``Vary``
        (``patch_vary_headers``), then compress only if Accept-Encoding names
        gzip: a streaming response lazily, through ``compress_sequence`` (its
        Content-Length goes: the size is no longer known), other content with
        ``compress_string`` only when the result is shorter (Content-Length
        updated). A strong ETag becomes weak (``W/`` in front); set
        ``Content-Encoding: gzip``.
        """
        if not response.streaming and len(response.content) < MINIMUM_LENGTH:
            return response
        if response.has_header("Content-Encoding"):
            return response
        patch_vary_headers(response, ("Accept-Encoding",))
        if not accepts_gzip_re.search(request.META.get("HTTP_ACCEPT_ENCODING", "")):
            return response
        if response.streaming:
            response.streaming_content = compress_sequence(
                response.streaming_content, max_random_bytes=self.max_random_bytes
            )
            del response.headers["Content-Length"]
        else:
            compressed = compress_string(response.content, max_random_bytes=self.max_random_bytes)
            if len(compressed) >= len(response.content):
                return response
            response.content = compressed
            response.headers["Content-Length"] = str(len(compressed))
        etag = response.get("ETag")
        if etag and etag.startswith('"'):
            response.headers["ETag"] = "W/" + etag
        response.headers["Content-Encoding"] = "gzip"
        return response


def random_filename(max_random_bytes: int) -> bytes:
    """Between 0 and ``max_random_bytes - 1`` bytes of padding, for the gzip header's file name."""
    return b"a" * secrets.randbelow(max_random_bytes)


def compress_string(data: bytes, *, max_random_bytes: int | None = None) -> bytes:
    """``data`` gzipped (level 6, no timestamp), with random padding in the header if asked.

    >>> import gzip
    >>> gzip.decompress(compress_string(b"hello " * 50, max_random_bytes=100)) == b"hello " * 50
    True
    >>> len(compress_string(b"hello " * 50))
    30
    """
    compressed = gzip.compress(data, compresslevel=6, mtime=0)
    if not max_random_bytes:
        return compressed
    # The 10-byte header ends with flags at byte 3: set FNAME (0x08) and put a
    # zero-terminated name right after the header, as RFC 1952 lays it out.
    header = bytearray(compressed[:10])
    header[3] = gzip.FNAME
    return bytes(header) + random_filename(max_random_bytes) + b"\x00" + compressed[10:]


def compress_sequence(sequence, *, max_random_bytes: int | None = None):
    """Yield the gzip of the pieces of ``sequence`` as they come, without reading it all first."""
    buffer = io.BytesIO()
    filename = random_filename(max_random_bytes) if max_random_bytes else None
    with gzip.GzipFile(filename=filename, mode="wb", compresslevel=6, fileobj=buffer, mtime=0) as zfile:
        yield _drain(buffer)  # the header, so the client starts receiving at once
        for item in sequence:
            zfile.write(item)
            data = _drain(buffer)
            if data:
                yield data
    yield _drain(buffer)  # what closing flushed: the last block and the trailer


def _drain(buffer: io.BytesIO) -> bytes:
    """Take what has been written to ``buffer`` so far, leaving it empty."""
    data = buffer.getvalue()
    buffer.seek(0)
    buffer.truncate()
    return data
