"""Responses sent piece by piece: StreamingHttpResponse and FileResponse.

How it works: a ``StreamingHttpResponse`` holds an iterator instead of
content; the WSGI server sends each piece as the iterator produces it, so a
large or slow body (a CSV export, a log tail) never sits whole in memory.
``FileResponse`` is one whose iterator reads an open binary file
``block_size`` bytes at a time; it sets Content-Length, Content-Type and
Content-Disposition from the file, and the file is closed with the response:

    FileResponse(open(path, "rb")) -> set_headers(file) -> file.read(block_size)... -> close()
"""

import io
import mimetypes
import os

from tinyframe.http.response import HttpResponseBase
from tinyframe.utils.http import content_disposition_header


class StreamingHttpResponse(HttpResponseBase):
    """A response whose content is an iterator, sent piece by piece as it is produced.

    For large or slow content (a CSV export, a log tail). It has no
    ``content``: reading it would consume the iterator.
    """

    streaming = True

    def __init__(self, streaming_content=(), *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.streaming_content = streaming_content

    def __repr__(self):
        return f"<{self.__class__.__name__} status_code={self.status_code}{self._content_type_for_repr}>"

    @property
    def content(self):
        raise AttributeError(
            f"This {self.__class__.__name__} instance has no `content` attribute. "
            "Use `streaming_content` instead."
        )

    @property
    def text(self):
        raise AttributeError(
            f"This {self.__class__.__name__} instance has no `text` attribute."
        )

    @property
    def streaming_content(self):
        """An iterator of the body's pieces as bytes; it can be consumed only once."""
        return map(self.make_bytes, self._iterator)

    @streaming_content.setter
    def streaming_content(self, value) -> None:
        self._set_streaming_content(value)

    def _set_streaming_content(self, value) -> None:
        self._iterator = iter(value)
        if hasattr(value, "close"):
            self._resource_closers.append(value.close)

    def __iter__(self):
        return self.streaming_content

    def getvalue(self) -> bytes:
        """Consume the whole stream and return it as bytes (handy in tests)."""
        return b"".join(self.streaming_content)


class FileResponse(StreamingHttpResponse):
    """Streams an open binary file, with Content-Length, Content-Type and Content-Disposition.

    The file is read ``block_size`` bytes at a time and closed with the
    response. WSGI servers with ``wsgi.file_wrapper`` may send it more directly.
    """

    block_size = 4096

    def __init__(self, *args, as_attachment: bool = False, filename: str = "", **kwargs):
        self.as_attachment = as_attachment
        self.filename = filename
        self._no_explicit_content_type = kwargs.get("content_type") is None
        super().__init__(*args, **kwargs)

    def _set_streaming_content(self, value) -> None:
        if not hasattr(value, "read"):
            self.file_to_stream = None
            return super()._set_streaming_content(value)
        self.file_to_stream = file = value
        if hasattr(file, "close"):
            self._resource_closers.append(file.close)
        self.set_headers(file)
        super()._set_streaming_content(iter(lambda: file.read(self.block_size), b""))

    def set_headers(self, file) -> None:
        """Set Content-Length, Content-Type and Content-Disposition from the file."""
        file_name = getattr(file, "name", "")
        file_name = file_name if isinstance(file_name, str) else ""
        if getattr(file, "seekable", lambda: False)():
            start = file.tell()
            self.headers["Content-Length"] = file.seek(0, io.SEEK_END) - start
            file.seek(start)
        file_name = os.path.basename(self.filename or file_name)
        if self._no_explicit_content_type:
            content_type, encoding = mimetypes.guess_type(file_name) if file_name else (None, None)
            # A compressed file is sent as such, not with Content-Encoding, or the
            # browser would unpack it on the way.
            content_type = {
                "br": "application/x-brotli",
                "bzip2": "application/x-bzip",
                "compress": "application/x-compress",
                "gzip": "application/gzip",
                "xz": "application/x-xz",
            }.get(encoding, content_type)
            self.headers["Content-Type"] = content_type or "application/octet-stream"
        disposition = content_disposition_header(self.as_attachment, file_name)
        if disposition:
            self.headers["Content-Disposition"] = disposition
