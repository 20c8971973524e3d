"""Multipart form bodies: fields into POST, files into FILES, limits and malformed bodies."""

from io import BytesIO

import pytest

from tinyframe.conf import settings
from tinyframe.core.exceptions import BadRequest, RequestDataTooBig, TooManyFieldsSent, TooManyFilesSent
from tinyframe.http import HttpRequest
from tinyframe.http.multipartparser import MultiPartParser, MultiPartParserError, UploadedFile

BOUNDARY = "----tinyframeBoundary7MA4YWxk"


def encode_multipart(parts, boundary=BOUNDARY) -> bytes:
    """A multipart body: each part is (name, value) or (name, filename, content, content_type)."""
    lines = []
    for part in parts:
        lines.append(f"--{boundary}".encode())
        if len(part) == 2:
            name, value = part
            lines += [f'Content-Disposition: form-data; name="{name}"'.encode(), b"", value.encode()]
        else:
            name, filename, content, content_type = part
            lines += [
                f'Content-Disposition: form-data; name="{name}"; filename="{filename}"'.encode(),
                f"Content-Type: {content_type}".encode(),
                b"",
                content,
            ]
    lines += [f"--{boundary}--".encode(), b""]
    return b"\r\n".join(lines)


def parse(body: bytes, content_type=f"multipart/form-data; boundary={BOUNDARY}", content_length=None):
    meta = {"CONTENT_TYPE": content_type, "CONTENT_LENGTH": str(len(body) if content_length is None else content_length)}
    return MultiPartParser(meta, BytesIO(body)).parse()


@pytest.mark.exercise("01.7")
def test_fields_go_to_post_and_files_to_files():
    """MultiPartParser.parse puts text fields in POST (a repeated name keeps every value) and file parts
    in FILES, as UploadedFile objects with their name, size, content type and content."""
    body = encode_multipart([
        ("title", "Hello"),
        ("tag", "a"),
        ("tag", "b"),
        ("photo", "cat.jpg", b"\xff\xd8JPEGDATA", "image/jpeg"),
    ])
    post, files = parse(body)
    assert post.getlist("tag") == ["a", "b"], (
        f"for the fields tag=a and tag=b, POST.getlist('tag') gave {post.getlist('tag')!r}; expected ['a', 'b']"
    )
    assert post["title"] == "Hello", f"POST['title'] gave {post.get('title')!r}; expected 'Hello'"
    assert list(files) == ["photo"], (
        f"for a body with one file part, 'photo' (cat.jpg), FILES has {list(files)!r}; expected ['photo']"
    )
    uploaded = files["photo"]
    assert isinstance(uploaded, UploadedFile), f"FILES['photo'] is {uploaded!r}; expected an UploadedFile"
    assert (uploaded.name, uploaded.size, uploaded.content_type) == ("cat.jpg", 10, "image/jpeg"), (
        f"FILES['photo'] has name {uploaded.name!r}, size {uploaded.size!r} and content_type "
        f"{uploaded.content_type!r}; expected 'cat.jpg', 10 and 'image/jpeg'"
    )
    content = uploaded.read()
    assert content == b"\xff\xd8JPEGDATA", f"FILES['photo'].read() gave {content!r}; expected b'\\xff\\xd8JPEGDATA'"
    assert not post._mutable, "the parsed POST must be immutable, like a urlencoded one"


@pytest.mark.exercise("01.7")
def test_field_values_keep_line_breaks_and_non_ascii_text():
    """A field's value is kept exactly: its own line breaks, and non-ASCII text decoded from UTF-8."""
    post, _ = parse(encode_multipart([("text", "line one\r\nline two\r\n"), ("name", "Zoë ✓")]))
    assert post["text"] == "line one\r\nline two\r\n", (
        f"POST['text'] gave {post['text']!r}; expected 'line one\\r\\nline two\\r\\n', line breaks and all"
    )
    assert post["name"] == "Zoë ✓", f"POST['name'] gave {post['name']!r}; expected 'Zoë ✓'"


@pytest.mark.exercise("01.7")
def test_empty_body_gives_empty_post_and_files():
    """An empty body (Content-Length 0) gives an empty POST and an empty FILES, not an error."""
    post, files = parse(b"", content_length=0)
    assert dict(post) == {} and dict(files) == {}, (
        f"parsing an empty body gave POST {dict(post)!r} and FILES {dict(files)!r}; expected both empty"
    )


@pytest.mark.exercise("01.7")
def test_preamble_and_epilogue_are_ignored():
    """Text before the first boundary (a preamble) and after the closing one (an epilogue) is ignored."""
    body = b"This is a preamble.\r\n" + encode_multipart([("a", "1")]) + b"epilogue"
    post, _ = parse(body)
    assert post["a"] == "1", (
        f"with a preamble and an epilogue around the parts, POST['a'] gave {post['a']!r}; expected '1'"
    )


@pytest.mark.exercise("01.7")
def test_content_that_looks_like_the_boundary_is_kept():
    """Only CRLF + '--' + boundary ends a part: the boundary's text elsewhere in a file is just content."""
    tricky = f"--{BOUNDARY} first\r\n--{BOUNDARY[:-1]} almost, x--{BOUNDARY}".encode()
    _, files = parse(encode_multipart([("f", "a.bin", tricky, "application/octet-stream")]))
    content = files["f"].read()
    assert content == tricky, f"an upload holding {tricky!r} was read back as {content!r}; expected it unchanged"


@pytest.mark.exercise("01.7")
@pytest.mark.parametrize(
    "sent, kept",
    [
        ("C:\\Users\\me\\cat.jpg", "cat.jpg"),
        ("../../etc/passwd", "passwd"),
        ("/abs/path/report.pdf", "report.pdf"),
        ("tab\tname.txt", "tabname.txt"),
    ],
)
def test_file_names_are_reduced_to_a_safe_base_name(sent, kept):
    """An upload's file name is cut to a safe base name: no Windows or POSIX directories, no control characters."""
    _, files = parse(encode_multipart([("f", sent, b"x", "text/plain")]))
    assert files["f"].name == kept, f"an upload named {sent!r} was stored as {files['f'].name!r}; expected {kept!r}"


@pytest.mark.exercise("01.7")
@pytest.mark.parametrize("filename", ["", "..", "."])
def test_file_part_without_a_usable_name_is_skipped(filename):
    """A file part named '', '.' or '..' is skipped, not stored; the parts after it are still parsed."""
    post, files = parse(encode_multipart([("f", filename, b"data", "text/plain"), ("a", "1")]))
    assert "f" not in files and post["a"] == "1", (
        f"for a file part 'f' named {filename!r} then a field a=1, FILES had {list(files)!r} and POST['a'] was "
        f"{post.get('a')!r}; expected the file part skipped (no 'f' in FILES) and POST['a'] == '1'"
    )


@pytest.mark.exercise("01.7")
def test_utf8_and_rfc5987_file_names():
    """A file name may be UTF-8 (filename="naïve.txt") or RFC 5987 encoded (filename*=utf-8''caf%C3%A9.txt);
    a part without Content-Type gets content_type ''."""
    body = (
        f"--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"f\"; filename*=utf-8''caf%C3%A9.txt\r\n\r\nx\r\n"
        f"--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"g\"; filename=\"naïve.txt\"\r\n\r\ny\r\n"
        f"--{BOUNDARY}--\r\n"
    ).encode()
    _, files = parse(body)
    assert files["f"].name == "café.txt" and files["g"].name == "naïve.txt", (
        f"the file names were read as {files['f'].name!r} (from filename*=utf-8''caf%C3%A9.txt) and "
        f"{files['g'].name!r} (from filename=\"naïve.txt\"); expected 'café.txt' and 'naïve.txt'"
    )
    assert files["f"].content_type == "", (
        f"a file part without a Content-Type header got content_type {files['f'].content_type!r}; expected ''"
    )


def test_uploaded_file_chunks_and_charset():
    content = bytes(range(256)) * 1000
    _, files = parse(encode_multipart([("f", "data.bin", content, "text/plain; charset=latin-1")]))
    uploaded = files["f"]
    assert uploaded.charset == "latin-1" and uploaded.content_type == "text/plain"
    assert uploaded.content_type_extra == {"charset": "latin-1"}
    assert uploaded.multiple_chunks() and not uploaded.multiple_chunks(chunk_size=10**6)
    chunks = list(uploaded.chunks(chunk_size=100_000))
    assert [len(chunk) for chunk in chunks] == [100_000, 100_000, 56_000]
    assert b"".join(chunks) == content
    uploaded.seek(10)
    assert uploaded.tell() == 10 and uploaded.read(2) == bytes([10, 11])
    assert len(uploaded) == 256_000 and bool(uploaded)
    assert repr(uploaded) == "<UploadedFile: data.bin (text/plain)>"
    with uploaded:
        pass
    assert uploaded.file.closed


def test_large_files_go_to_a_temporary_file(monkeypatch):
    monkeypatch.setattr(settings, "FILE_UPLOAD_MAX_MEMORY_SIZE", 100)
    _, files = parse(encode_multipart([("small", "s.txt", b"s" * 100, "text/plain"), ("big", "b.txt", b"b" * 101, "text/plain")]))
    # SpooledTemporaryFile keeps data in memory until it passes max_size.
    assert not files["small"].file._rolled, "an upload within FILE_UPLOAD_MAX_MEMORY_SIZE stays in memory"
    assert files["big"].file._rolled, "an upload over FILE_UPLOAD_MAX_MEMORY_SIZE goes to disk"
    assert files["big"].read() == b"b" * 101
    monkeypatch.setattr(settings, "FILE_UPLOAD_MAX_MEMORY_SIZE", 0)
    _, files = parse(encode_multipart([("f", "f.txt", b"x", "text/plain")]))
    assert files["f"].read() == b"x"


def test_body_is_read_in_chunks_across_delimiters(monkeypatch):
    monkeypatch.setattr(MultiPartParser, "chunk_size", 7)
    content = b"0123456789" * 50
    post, files = parse(encode_multipart([("a", "x" * 30), ("f", "f.bin", content, "application/octet-stream"), ("b", "2")]))
    assert post["a"] == "x" * 30 and post["b"] == "2"
    assert files["f"].read() == content


@pytest.mark.exercise("01.7")
def test_too_many_fields_are_refused(monkeypatch):
    """More fields than DATA_UPLOAD_MAX_NUMBER_FIELDS raise TooManyFieldsSent, naming the setting."""
    monkeypatch.setattr(settings, "DATA_UPLOAD_MAX_NUMBER_FIELDS", 2)
    body = encode_multipart([("a", "1"), ("b", "2"), ("c", "3")])
    with pytest.raises(TooManyFieldsSent, match="DATA_UPLOAD_MAX_NUMBER_FIELDS"):
        post, files = parse(body)
        pytest.fail(
            f"with DATA_UPLOAD_MAX_NUMBER_FIELDS = 2, a body of three fields parsed to POST {dict(post)!r}; "
            "expected TooManyFieldsSent"
        )


@pytest.mark.exercise("01.7")
def test_too_many_files_are_refused(monkeypatch):
    """More files than DATA_UPLOAD_MAX_NUMBER_FILES raise TooManyFilesSent, naming the setting."""
    monkeypatch.setattr(settings, "DATA_UPLOAD_MAX_NUMBER_FILES", 1)
    body = encode_multipart([("f", "1.txt", b"1", "text/plain"), ("f", "2.txt", b"2", "text/plain")])
    with pytest.raises(TooManyFilesSent, match="DATA_UPLOAD_MAX_NUMBER_FILES"):
        post, files = parse(body)
        pytest.fail(
            f"with DATA_UPLOAD_MAX_NUMBER_FILES = 1, a body of two files parsed to FILES {dict(files)!r}; "
            "expected TooManyFilesSent"
        )


@pytest.mark.exercise("01.7")
def test_field_data_over_data_upload_max_memory_size_is_refused(monkeypatch):
    """Field values adding up to more than DATA_UPLOAD_MAX_MEMORY_SIZE raise RequestDataTooBig; files do not count."""
    monkeypatch.setattr(settings, "DATA_UPLOAD_MAX_MEMORY_SIZE", 50)
    with pytest.raises(RequestDataTooBig, match="DATA_UPLOAD_MAX_MEMORY_SIZE"):
        post, files = parse(encode_multipart([("a", "x" * 30), ("b", "y" * 30)]))
        pytest.fail(
            "with DATA_UPLOAD_MAX_MEMORY_SIZE = 50, two fields of 30 characters parsed without an error; "
            "expected RequestDataTooBig"
        )
    # Files do not count: they are not held as field data.
    _, files = parse(encode_multipart([("f", "f.bin", b"z" * 500, "application/octet-stream")]))
    assert files["f"].size == 500, f"a 500-byte upload has size {files['f'].size!r}; expected 500"


def test_limits_are_off_when_settings_are_none(monkeypatch):
    for name in ("DATA_UPLOAD_MAX_NUMBER_FIELDS", "DATA_UPLOAD_MAX_NUMBER_FILES", "DATA_UPLOAD_MAX_MEMORY_SIZE"):
        monkeypatch.setattr(settings, name, None)
    post, files = parse(encode_multipart([("a", "1")] * 1500 + [("f", "f.txt", b"x", "text/plain")] * 150))
    assert len(post.getlist("a")) == 1500 and len(files.getlist("f")) == 150


@pytest.mark.exercise("01.7")
@pytest.mark.parametrize(
    "body, message",
    [
        (b"no boundary anywhere", "before its first boundary"),
        (f"--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\nvalue".encode(), "inside the part 'a'"),
        (f"--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"a\"".encode(), "inside the headers"),
        (f"--{BOUNDARY}\r\n\r\nvalue\r\n--{BOUNDARY}--".encode(), "has no headers"),
        (f"--{BOUNDARY}\r\nno colon here\r\n\r\nvalue\r\n--{BOUNDARY}--".encode(), "has no ':'"),
        (f"--{BOUNDARY}\r\nContent-Type: text/plain\r\n\r\nv\r\n--{BOUNDARY}--".encode(), "needs 'Content-Disposition"),
        (f"--{BOUNDARY}\r\nContent-Disposition: attachment; name=\"a\"\r\n\r\nv\r\n--{BOUNDARY}--".encode(), "needs 'Content-Disposition"),
        (f"--{BOUNDARY}\r\nContent-Disposition: form-data\r\n\r\nv\r\n--{BOUNDARY}--".encode(), "needs 'Content-Disposition"),
        (f"--{BOUNDARY}garbage\r\n\r\nv\r\n--{BOUNDARY}--".encode(), "followed by something other"),
        (f"--{BOUNDARY}\r\nX: {'h' * 9000}\r\n\r\nv".encode(), "longer than"),
        (f"--{BOUNDARY}".encode(), "inside the headers"),
    ],
    ids=["no-boundary", "no-closing-boundary", "unfinished-headers", "part-without-headers", "header-without-colon",
         "no-content-disposition", "not-form-data", "no-name", "garbage-after-boundary", "huge-headers", "only-boundary"],
)
def test_malformed_bodies_raise_multipartparsererror(body, message):
    """A malformed body raises MultiPartParserError (a 400) saying what is wrong, never another error (a 500)."""
    with pytest.raises(MultiPartParserError) as caught:
        post, files = parse(body)
        pytest.fail(
            f"parsing the malformed body {body[:80]!r} gave POST {dict(post)!r} and FILES {dict(files)!r}; "
            f"expected MultiPartParserError saying {message!r}"
        )
    assert message in str(caught.value), (
        f"parsing the malformed body {body[:80]!r} raised {caught.value!r}; expected it to say {message!r}"
    )


@pytest.mark.parametrize(
    "content_type, message",
    [
        ("text/plain", "Invalid Content-Type"),
        ("multipart/form-data", "Invalid boundary"),
        ("multipart/form-data; boundary=", "Invalid boundary"),
        ('multipart/form-data; boundary="ends-with-space "', "Invalid boundary"),
        ("multipart/form-data; boundary=\"" + "x" * 201 + "\"", "Invalid boundary"),
        ("multipart/form-data; boundary=caf\xe9", "Invalid boundary"),
    ],
)
def test_bad_content_type_raises_multipartparsererror(content_type, message):
    with pytest.raises(MultiPartParserError, match=message):
        MultiPartParser({"CONTENT_TYPE": content_type, "CONTENT_LENGTH": "10"}, BytesIO())


def test_negative_content_length_is_refused_and_garbage_counts_as_empty():
    content_type = f"multipart/form-data; boundary={BOUNDARY}"
    with pytest.raises(MultiPartParserError, match="Invalid CONTENT_LENGTH"):
        MultiPartParser({"CONTENT_TYPE": content_type, "CONTENT_LENGTH": "-1"}, BytesIO())
    post, files = MultiPartParser({"CONTENT_TYPE": content_type, "CONTENT_LENGTH": "abc"}, BytesIO(b"x")).parse()
    assert dict(post) == {} and dict(files) == {}


def test_upload_handlers_are_refused_with_an_explanation():
    with pytest.raises(ValueError, match="no upload handlers"):
        MultiPartParser({"CONTENT_TYPE": f"multipart/form-data; boundary={BOUNDARY}"}, BytesIO(), [object()])


def test_multipartparsererror_is_a_bad_request():
    assert issubclass(MultiPartParserError, BadRequest), "the handler answers BadRequest with 400"


def test_parser_never_reads_past_content_length():
    body = encode_multipart([("a", "1")])
    stream = BytesIO(body + b"NEXT REQUEST")
    MultiPartParser({"CONTENT_TYPE": f"multipart/form-data; boundary={BOUNDARY}", "CONTENT_LENGTH": str(len(body))}, stream).parse()
    assert stream.read() == b"NEXT REQUEST"


# --- through the request ----------------------------------------------------------


def multipart_request(body: bytes) -> HttpRequest:
    request = HttpRequest()
    request.method = "POST"
    request.META = {"CONTENT_TYPE": f"multipart/form-data; boundary={BOUNDARY}", "CONTENT_LENGTH": str(len(body))}
    request._set_content_type_params(request.META)
    request._stream = BytesIO(body)
    return request


def test_request_parses_multipart_post_and_files():
    request = multipart_request(encode_multipart([("a", "1"), ("f", "f.txt", b"data", "text/plain")]))
    request._load_post_and_files()
    assert request._post["a"] == "1"
    assert request._files["f"].read() == b"data"
    uploaded = request._files["f"]
    request.close()
    assert uploaded.file.closed, "request.close() closes uploaded files"


def test_request_parses_multipart_after_body_was_read():
    body = encode_multipart([("a", "1")])
    request = multipart_request(body)
    assert request.body == body
    request._load_post_and_files()
    assert request._post["a"] == "1"


def test_reading_body_after_multipart_was_streamed_raises():
    from tinyframe.http import RawPostDataException

    request = multipart_request(encode_multipart([("a", "1")]))
    request._load_post_and_files()
    with pytest.raises(RawPostDataException):
        request.body


def test_malformed_multipart_leaves_the_request_with_empty_post():
    request = multipart_request(b"garbage")
    with pytest.raises(MultiPartParserError):
        request._load_post_and_files()
    assert dict(request._post) == {} and dict(request._files) == {}


def test_an_uploaded_file_reads_as_its_name():
    # As Django's File: str() is the name, "" for a file without one.
    assert str(UploadedFile(BytesIO(b"hi"), name="notes.txt", content_type="text/plain", size=2)) == "notes.txt"
    assert str(UploadedFile(BytesIO(b""))) == ""
