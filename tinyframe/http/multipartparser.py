"""Parsing multipart/form-data bodies: the forms that upload files.

How it works: ``MultiPartParser.__init__`` checks the Content-Type and takes
its boundary. ``parse`` then walks the body with a ``_BodyReader``, which reads
the stream in chunks (never past CONTENT_LENGTH, never all at once) and yields
the bytes before each delimiter. For every part, ``_parse_part_headers`` reads
its headers; a part with a filename is written to an ``UploadedFile`` (in
memory while small, in a temporary file beyond FILE_UPLOAD_MAX_MEMORY_SIZE),
any other is decoded into a text field. The result is ``(POST, FILES)``.

Every way a body can be malformed raises ``MultiPartParserError``, which the
handler answers with 400 Bad Request.
"""

import os
import re
import tempfile
from collections.abc import Iterator

from tinyframe.conf import settings
from tinyframe.core.exceptions import BadRequest, RequestDataTooBig, TooManyFieldsSent, TooManyFilesSent
from tinyframe.http.querydict import QueryDict
from tinyframe.utils.datastructures import MultiValueDict
from tinyframe.utils.http import parse_header_parameters

# Part headers are a few short lines; more than this is an attack or a bug.
MAX_PART_HEADERS_SIZE = 8 * 1024


class MultiPartParserError(BadRequest):
    """A multipart body that cannot be parsed; the message says what is wrong.

    Django derives this from Exception and has its handler map it to 400.
    tinyframe derives it from BadRequest, which the handler already answers
    with 400, so no special case is needed there.
    """


class UploadedFile:
    """A file uploaded with a form: its data (a file object), name, size and content type.

    The data lives in ``file``, a ``tempfile.SpooledTemporaryFile``: bytes in
    memory for a small upload, a temporary file on disk for a large one.
    Read it whole with ``read()``, or piece by piece with ``chunks()`` so that
    a large upload never has to fit in memory.
    """

    DEFAULT_CHUNK_SIZE = 64 * 1024

    def __init__(self, file=None, name: str | None = None, content_type: str | None = None,
                 size: int | None = None, charset: str | None = None,
                 content_type_extra: dict | None = None):
        self.file = file
        self.name = name
        self.content_type = content_type
        self.size = size
        self.charset = charset
        self.content_type_extra = content_type_extra or {}

    def __str__(self):
        """The file's name: what a page shows for an uploaded file (a form's file input, a link)."""
        return self.name or ""

    def __repr__(self):
        return f"<{self.__class__.__name__}: {self.name} ({self.content_type})>"

    def __bool__(self):
        return bool(self.name)

    def __len__(self):
        return self.size

    def read(self, *args) -> bytes:
        """Read the data, like a file (all of it at once unless given a size)."""
        return self.file.read(*args)

    def seek(self, *args) -> int:
        return self.file.seek(*args)

    def tell(self) -> int:
        return self.file.tell()

    def chunks(self, chunk_size: int | None = None) -> Iterator[bytes]:
        """The data from the start, in pieces of at most ``chunk_size`` bytes."""
        chunk_size = chunk_size or self.DEFAULT_CHUNK_SIZE
        self.file.seek(0)
        while data := self.file.read(chunk_size):
            yield data

    def multiple_chunks(self, chunk_size: int | None = None) -> bool:
        """Whether ``chunks(chunk_size)`` gives more than one piece: then avoid ``read()``."""
        return self.size > (chunk_size or self.DEFAULT_CHUNK_SIZE)

    def close(self) -> None:
        """Free the memory or delete the temporary file that holds the data."""
        self.file.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc_info):
        self.close()


def sanitize_file_name(file_name: str) -> str | None:
    """The base name of a client's file name, or None when nothing usable is left.

    A client may send a full path (old browsers did) or try ``../../etc/passwd``;
    only the last component, printable characters only, is kept.

    >>> sanitize_file_name("C:\\\\Users\\\\me\\\\cat.jpg")
    'cat.jpg'
    >>> sanitize_file_name("../../etc/passwd")
    'passwd'
    >>> sanitize_file_name("..") is None
    True
    """
    file_name = file_name.rsplit("/", 1)[-1].rsplit("\\", 1)[-1]
    file_name = "".join(char for char in file_name if char.isprintable()).strip()
    if file_name in {"", ".", ".."}:
        return None
    return file_name


class _BodyReader:
    """Reads a body in chunks, never past ``length`` bytes, and finds delimiters in it."""

    def __init__(self, stream, length: int, chunk_size: int):
        self._stream = stream
        self._remaining = length
        self._chunk_size = chunk_size
        self._buffer = b""

    def _fill(self) -> bool:
        """Append the next chunk of the body to the buffer; False at the end of the body."""
        if self._remaining <= 0:
            return False
        chunk = self._stream.read(min(self._chunk_size, self._remaining))
        if not chunk:  # the client sent less than it announced: stop, don't wait
            self._remaining = 0
            return False
        self._remaining -= len(chunk)
        self._buffer += chunk
        return True

    def peek(self, size: int) -> bytes:
        """The next ``size`` bytes (fewer at the end of the body), without consuming them."""
        while len(self._buffer) < size and self._fill():
            pass
        return self._buffer[:size]

    def read_until(self, delimiter: bytes, where: str) -> Iterator[bytes]:
        """Yield the bytes before the next ``delimiter``, in chunks, then consume the delimiter.

        Raise MultiPartParserError, saying ``where`` the body ended, if it ends first.
        """
        while True:
            index = self._buffer.find(delimiter)
            if index >= 0:
                data, self._buffer = self._buffer[:index], self._buffer[index + len(delimiter) :]
                if data:
                    yield data
                return
            # Hold back what could be the start of a delimiter cut in two by a chunk edge.
            safe_length = len(self._buffer) - (len(delimiter) - 1)
            if safe_length > 0:
                data, self._buffer = self._buffer[:safe_length], self._buffer[safe_length:]
                yield data
            if not self._fill():
                raise MultiPartParserError(
                    f"The multipart body ended {where}, before its closing boundary. "
                    "It was cut short, or CONTENT_LENGTH or the boundary is wrong."
                )


def _parse_part_headers(reader: _BodyReader, encoding: str) -> dict[str, tuple[str, dict]]:
    """Read one part's headers, up to the blank line, as {lower-case name: (value, params)}."""
    raw = b""
    for chunk in reader.read_until(b"\r\n\r\n", "inside the headers of a part"):
        raw += chunk
        if len(raw) > MAX_PART_HEADERS_SIZE:
            raise MultiPartParserError(
                f"The headers of a multipart part are longer than {MAX_PART_HEADERS_SIZE} bytes."
            )
    if not raw:
        raise MultiPartParserError(
            "A multipart part has no headers; each part needs "
            "'Content-Disposition: form-data; name=\"...\"'."
        )
    if not raw.startswith(b"\r\n"):
        raise MultiPartParserError(
            "A multipart boundary is followed by something other than a line break "
            "(or '--' for the last one); is the boundary in Content-Type right?"
        )
    headers = {}
    for line in raw[2:].decode(encoding, "replace").split("\r\n"):
        name, colon, value = line.partition(":")
        if not colon:
            raise MultiPartParserError(f"The multipart part header {line!r} has no ':'.")
        headers[name.strip().lower()] = parse_header_parameters(value)
    return headers


def _receive_file(content: Iterator[bytes], filename: str, headers: dict) -> UploadedFile:
    """Write a file part's content to an UploadedFile, in memory while it is small."""
    memory_limit = settings.FILE_UPLOAD_MAX_MEMORY_SIZE
    # max_size=0 would mean "never roll over"; a limit of 0 means "always on disk".
    file = tempfile.SpooledTemporaryFile(max_size=memory_limit) if memory_limit else tempfile.TemporaryFile()
    size = 0
    for chunk in content:
        file.write(chunk)
        size += len(chunk)
    file.seek(0)
    content_type, content_type_extra = headers.get("content-type", ("", {}))
    return UploadedFile(
        file, filename, content_type, size, content_type_extra.get("charset"), content_type_extra
    )


class MultiPartParser:
    """Parses a multipart/form-data body into (POST, FILES).

    ``input_data`` is anything with ``read(size)``: the request itself, or a
    file. At most CONTENT_LENGTH bytes are read from it.
    """

    chunk_size = 64 * 1024
    # RFC 2046 boundaries are printable ASCII not ending in a space; like Django,
    # allow up to 200 characters rather than the RFC's 70.
    boundary_re = re.compile(r"[ -~]{0,199}[!-~]")

    def __init__(self, META: dict, input_data, upload_handlers=None, encoding: str | None = None):
        content_type = META.get("CONTENT_TYPE", "")
        if not content_type.startswith("multipart/"):
            raise MultiPartParserError(
                f"Invalid Content-Type: {content_type!r}; expected "
                "'multipart/form-data; boundary=...'."
            )
        _, parameters = parse_header_parameters(content_type)
        boundary = parameters.get("boundary")
        if not boundary or not self.boundary_re.fullmatch(boundary):
            raise MultiPartParserError(
                f"Invalid boundary in multipart: {boundary!r}. Content-Type must carry "
                "boundary=... of 1 to 200 printable ASCII characters."
            )
        try:
            content_length = int(META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            content_length = 0
        if content_length < 0:
            raise MultiPartParserError(f"Invalid CONTENT_LENGTH: {content_length}.")
        if upload_handlers:
            raise ValueError(
                "tinyframe has no upload handlers: every uploaded file becomes an "
                "UploadedFile. Leave upload_handlers empty."
            )
        self._input_data = input_data
        self._boundary = boundary.encode("ascii")
        self._content_length = content_length
        self._encoding = encoding or settings.DEFAULT_CHARSET

    def parse(self):
        """Read the body and return ``(POST, FILES)``: a QueryDict and a MultiValueDict.

        A multipart body is a list of parts, each after a delimiter line
        ``b"--" + boundary``; the last delimiter has ``b"--"`` after it:

            --BOUNDARY\\r\\n
            Content-Disposition: form-data; name="title"\\r\\n
            \\r\\n
            Hello\\r\\n
            --BOUNDARY\\r\\n
            Content-Disposition: form-data; name="photo"; filename="cat.jpg"\\r\\n
            Content-Type: image/jpeg\\r\\n
            \\r\\n
            ...bytes...\\r\\n
            --BOUNDARY--\\r\\n

        Walk it with a ``_BodyReader`` (``read_until`` yields what comes before a
        delimiter, ``peek`` looks ahead) and ``_parse_part_headers``. Its second
        argument says where the body ended, should it end too soon: skip the
        preamble with ``read_until(delimiter, "before its first boundary")`` and
        read a part named ``name`` with
        ``read_until(b"\\r\\n" + delimiter, f"inside the part {name!r}")``. A part
        whose Content-Disposition has a ``filename`` goes to FILES as an
        UploadedFile (``_receive_file``, name cleaned by ``sanitize_file_name``,
        skipped if nothing is left); any other goes to POST as text, decoded
        with ``self._encoding`` (errors replaced). An empty body (content length
        0) gives an empty POST and FILES. POST comes back immutable, like a
        urlencoded one.

        The errors and their messages, as f-strings (``limit`` is the
        setting's value):

        - a part that is not form-data with a name, MultiPartParserError:
          ``Every multipart part needs 'Content-Disposition: form-data; name="..."'; got {disposition!r} with parameters {parameters!r}.``
        - more fields than DATA_UPLOAD_MAX_NUMBER_FIELDS, TooManyFieldsSent:
          ``The number of GET/POST parameters exceeded settings.DATA_UPLOAD_MAX_NUMBER_FIELDS ({limit}).``
        - more files than DATA_UPLOAD_MAX_NUMBER_FILES, TooManyFilesSent:
          ``The number of files exceeded settings.DATA_UPLOAD_MAX_NUMBER_FILES ({limit}).``
        - more than DATA_UPLOAD_MAX_MEMORY_SIZE bytes of field names and values
          (files do not count), RequestDataTooBig:
          ``Request body exceeded settings.DATA_UPLOAD_MAX_MEMORY_SIZE ({limit} bytes).``
        """
        post, files = QueryDict(mutable=True, encoding=self._encoding), MultiValueDict()
        if self._content_length == 0:
            post._mutable = False
            return post, files
        max_fields = settings.DATA_UPLOAD_MAX_NUMBER_FIELDS
        max_files = settings.DATA_UPLOAD_MAX_NUMBER_FILES
        max_field_bytes = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        field_count = file_count = field_bytes = 0

        reader = _BodyReader(self._input_data, self._content_length, self.chunk_size)
        delimiter = b"--" + self._boundary
        for _preamble in reader.read_until(delimiter, "before its first boundary"):
            pass  # text before the first delimiter is allowed, and ignored
        while reader.peek(2) != b"--":
            headers = _parse_part_headers(reader, self._encoding)
            disposition, parameters = headers.get("content-disposition", ("", {}))
            name = parameters.get("name")
            if disposition != "form-data" or not name:
                raise MultiPartParserError(
                    "Every multipart part needs 'Content-Disposition: form-data; name=\"...\"'; "
                    f"got {disposition!r} with parameters {parameters!r}."
                )
            content = reader.read_until(b"\r\n" + delimiter, f"inside the part {name!r}")
            if "filename" in parameters:
                file_count += 1
                if max_files is not None and file_count > max_files:
                    raise TooManyFilesSent(
                        f"The number of files exceeded settings.DATA_UPLOAD_MAX_NUMBER_FILES ({max_files})."
                    )
                filename = sanitize_file_name(parameters["filename"])
                if filename is None:  # an empty file input, or a name of only '..'
                    for _ignored in content:
                        pass
                    continue
                files.appendlist(name, _receive_file(content, filename, headers))
            else:
                field_count += 1
                if max_fields is not None and field_count > max_fields:
                    raise TooManyFieldsSent(
                        f"The number of GET/POST parameters exceeded settings.DATA_UPLOAD_MAX_NUMBER_FIELDS ({max_fields})."
                    )
                field_bytes += len(name)
                value = bytearray()
                for chunk in content:
                    value += chunk
                    if max_field_bytes is not None and field_bytes + len(value) > max_field_bytes:
                        raise RequestDataTooBig(
                            f"Request body exceeded settings.DATA_UPLOAD_MAX_MEMORY_SIZE ({max_field_bytes} bytes)."
                        )
                field_bytes += len(value)
                post.appendlist(name, value.decode(self._encoding, "replace"))
        post._mutable = False
        return post, files
