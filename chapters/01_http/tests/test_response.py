"""HttpResponse and its family: content, headers, status, streaming, files, redirects, JSON."""

import datetime
import decimal
import io
import json
import time

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tinyframe.conf import settings
from tinyframe.core.exceptions import DisallowedRedirect
from tinyframe.http import (
    BadHeaderError,
    FileResponse,
    Http404,
    HttpResponse,
    HttpResponseBadRequest,
    HttpResponseBase,
    HttpResponseForbidden,
    HttpResponseGone,
    HttpResponseNotAllowed,
    HttpResponseNotFound,
    HttpResponseNotModified,
    HttpResponsePermanentRedirect,
    HttpResponseRedirect,
    HttpResponseServerError,
    JsonResponse,
    StreamingHttpResponse,
)
from tinyframe.utils.http import content_disposition_header, http_date, parse_http_date, parse_http_date_safe

# --- content -----------------------------------------------------------------


@pytest.mark.parametrize(
    "content, expected",
    [
        (b"bytes", b"bytes"),
        ("café", "café".encode()),
        (42, b"42"),
        (memoryview(b"view"), b"view"),
        (["a", b"b", 3], b"ab3"),
        ((chunk for chunk in ["x", "y"]), b"xy"),
        ("", b""),
    ],
)
def test_content_accepts_text_bytes_numbers_and_iterables(content, expected):
    response = HttpResponse(content)
    assert response.content == expected, f"HttpResponse({content!r}).content gave {response.content!r}"
    assert b"".join(response) == expected, "iterating a response gives its content as bytes"


def test_content_iterable_with_close_is_closed():
    class Closing(list):
        closed = False

        def close(self):
            self.closed = True

    iterable = Closing([b"a"])
    HttpResponse(iterable)
    assert iterable.closed


def test_text_and_charset():
    """A response encodes its content in the charset of its Content-Type (DEFAULT_CHARSET by default), and
    response.text decodes it back."""
    response = HttpResponse("café", content_type="text/plain; charset=latin-1")
    assert response.content == b"caf\xe9"
    assert response.charset == "latin-1"
    assert response.text == "café"
    assert HttpResponse().charset == settings.DEFAULT_CHARSET
    assert HttpResponse(content_type='text/plain; charset="utf-16"').charset == "utf-16"
    response = HttpResponse(charset="latin-1")
    assert response["Content-Type"] == "text/html; charset=latin-1"
    response.charset = "utf-8"
    assert response.charset == "utf-8"


def test_response_is_writable_like_a_file():
    response = HttpResponse()
    response.write("a")
    response.writelines([b"b", "c"])
    assert response.content == b"abc"
    assert response.tell() == 3
    assert response.getvalue() == b"abc"
    assert response.writable() and not response.readable() and not response.seekable()
    response.flush()


def test_serialize():
    """response.serialize(), like bytes(response), is the headers, a blank line and the body, as bytes."""
    response = HttpResponse("body", headers={"X-A": "1"})
    assert response.serialize() == b"X-A: 1\r\nContent-Type: text/html; charset=utf-8\r\n\r\nbody"
    assert bytes(response) == response.serialize()


# --- status and reason ----------------------------------------------------------


@pytest.mark.parametrize(
    "response_class, status",
    [
        (HttpResponse, 200),
        (HttpResponseBadRequest, 400),
        (HttpResponseForbidden, 403),
        (HttpResponseNotFound, 404),
        (HttpResponseGone, 410),
        (HttpResponseServerError, 500),
    ],
)
def test_status_codes_of_response_classes(response_class, status):
    assert response_class().status_code == status


def test_status_and_reason_phrase():
    """reason_phrase is the status code's phrase ('Created'), 'Unknown Status Code' for an unknown one, or the
    reason given; a status given as text is read as a number."""
    assert HttpResponse(status=201).reason_phrase == "Created"
    assert HttpResponse(status=599).reason_phrase == "Unknown Status Code"
    assert HttpResponse(status=418, reason="I'm a teapot").reason_phrase == "I'm a teapot"
    response = HttpResponse()
    response.reason_phrase = "Fine"
    assert response.reason_phrase == "Fine"
    assert HttpResponse(status="204").status_code == 204


@pytest.mark.parametrize("status, error", [("abc", TypeError), ([], TypeError), (99, ValueError), (600, ValueError)])
def test_invalid_status_is_refused(status, error):
    with pytest.raises(error, match="HTTP status code must be an integer"):
        HttpResponse(status=status)


def test_repr():
    """repr(response) names the class, the status code and the content type, plus the URL of a redirect and the
    allowed methods of a 405."""
    assert repr(HttpResponse()) == '<HttpResponse status_code=200, "text/html; charset=utf-8">'
    assert repr(HttpResponseRedirect("/x/")) == (
        '<HttpResponseRedirect status_code=302, "text/html; charset=utf-8", url="/x/">'
    )
    assert repr(HttpResponseNotAllowed(["GET"])) == (
        '<HttpResponseNotAllowed [GET] status_code=405, "text/html; charset=utf-8">'
    )
    assert repr(StreamingHttpResponse()).startswith("<StreamingHttpResponse status_code=200")


# --- headers -------------------------------------------------------------------


def test_headers_are_case_insensitive_and_dict_like():
    response = HttpResponse(headers={"X-Frame-Options": "DENY"})
    assert response["x-frame-options"] == "DENY"
    assert response.has_header("X-FRAME-OPTIONS") and "x-frame-options" in response
    assert response.get("Missing", "default") == "default"
    response["Cache-Control"] = "no-cache"
    response.setdefault("Cache-Control", "max-age=60")
    response.setdefault("Vary", "Cookie")
    assert response["Cache-Control"] == "no-cache" and response["Vary"] == "Cookie"
    del response["cache-control"]
    assert "Cache-Control" not in response
    del response["Not-There"]  # deleting a missing header is not an error
    assert dict(response.items()) == {
        "Content-Type": "text/html; charset=utf-8",
        "X-Frame-Options": "DENY",
        "Vary": "Cookie",
    }
    assert response.headers == {"content-type": "text/html; charset=utf-8", "x-frame-options": "DENY", "vary": "Cookie"}


def test_header_values_are_converted_to_text():
    response = HttpResponse()
    response["Content-Length"] = 12
    response["X-Bytes"] = b"caf\xe9"
    response["X-Unicode"] = "€uro"
    assert response["Content-Length"] == "12"
    assert response["X-Bytes"] == "café"
    assert response["X-Unicode"] == "=?utf-8?b?4oKsdXJv?=", "text that is not latin-1 is MIME-encoded"


def test_content_type_given_twice_is_refused():
    with pytest.raises(ValueError, match="must not contain 'Content-Type'"):
        HttpResponse(content_type="text/plain", headers={"Content-Type": "text/html"})
    assert HttpResponse(headers={"Content-Type": "text/plain"})["Content-Type"] == "text/plain"


@pytest.mark.parametrize("value", ["a\nb", "a\rb", "a\r\nSet-Cookie: x=y", b"a\nb", "\n"])
def test_header_value_with_newline_raises_badheadererror_naming_the_header(value):
    response = HttpResponse()
    with pytest.raises(BadHeaderError) as caught:
        response["X-Injected"] = value
    assert "X-Injected" in str(caught.value), f"the error should name the header; got {caught.value}"
    assert "X-Injected" not in response


def test_header_name_must_be_ascii_without_newlines():
    response = HttpResponse()
    with pytest.raises(BadHeaderError):
        response["X-Bad\nName"] = "v"
    with pytest.raises(BadHeaderError, match="ASCII"):
        response["Ünicode"] = "v"


@given(st.text(), st.sampled_from(["\r", "\n", "\r\n"]), st.text())
def test_any_value_with_a_line_break_is_rejected(before, line_break, after):
    with pytest.raises(BadHeaderError):
        HttpResponse()["X-Test"] = before + line_break + after


# Printable latin-1: what a header value may carry unencoded.
printable_latin1 = st.text(st.characters(min_codepoint=0x20, max_codepoint=0xFF).filter(str.isprintable))


@given(printable_latin1)
def test_any_printable_value_round_trips_through_response_headers(value):
    response = HttpResponse()
    response["X-Test"] = value
    assert response["X-Test"] == value
    assert b"X-Test: " + value.encode("latin-1") in response.serialize_headers()


# --- closing and the file interface ------------------------------------------------


def test_close_runs_resource_closers_even_when_one_fails():
    response = HttpResponse()
    calls = []

    def failing():
        calls.append("failing")
        raise RuntimeError("boom")

    response._resource_closers.extend([failing, lambda: calls.append("second")])
    response.close()
    assert calls == ["failing", "second"]
    assert response.closed and response._resource_closers == []


def test_response_base_is_not_writable():
    response = HttpResponseBase()
    for method, args in [(response.write, ("x",)), (response.writelines, (["x"],)), (response.tell, ())]:
        with pytest.raises(OSError, match="HttpResponseBase instance"):
            method(*args)
    assert not response.writable()


# --- streaming and files ----------------------------------------------------------


def test_streaming_response_streams_bytes_and_has_no_content():
    response = StreamingHttpResponse(iter(["a", b"b", 3]))
    assert response.streaming
    with pytest.raises(AttributeError, match="has no `content` attribute. Use `streaming_content` instead"):
        response.content
    with pytest.raises(AttributeError, match="has no `text` attribute"):
        response.text
    assert list(response) == [b"a", b"b", b"3"]


def test_streaming_response_getvalue_and_close():
    class Source:
        closed = False

        def __iter__(self):
            return iter([b"x", b"y"])

        def close(self):
            self.closed = True

    source = Source()
    response = StreamingHttpResponse(source)
    assert response.getvalue() == b"xy"
    response.close()
    assert source.closed, "closing the response must close its iterator"


def test_file_response_streams_the_file_with_its_headers(tmp_path):
    path = tmp_path / "report.pdf"
    path.write_bytes(b"%PDF" + b"x" * 10000)
    file = path.open("rb")
    response = FileResponse(file)
    assert response["Content-Length"] == "10004"
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'inline; filename="report.pdf"'
    assert b"".join(response) == path.read_bytes()
    assert response.file_to_stream is file
    response.close()
    assert file.closed, "closing the response must close the file"


@pytest.mark.parametrize(
    "filename, as_attachment, disposition",
    [
        ("plain.txt", True, 'attachment; filename="plain.txt"'),
        ("café.txt", False, "inline; filename*=utf-8''caf%C3%A9.txt"),
        ('say "hi".txt', True, 'attachment; filename="say \\"hi\\".txt"'),
        ("", True, "attachment"),
    ],
)
def test_file_response_content_disposition(filename, as_attachment, disposition):
    """A FileResponse's Content-Disposition is attachment or inline, with the file name quoted, or as filename*=
    when it is not ASCII."""
    response = FileResponse(io.BytesIO(b"data"), as_attachment=as_attachment, filename=filename)
    assert response.get("Content-Disposition") == disposition


def test_file_response_without_name_has_no_disposition_and_is_octet_stream():
    response = FileResponse(io.BytesIO(b"data"))
    assert "Content-Disposition" not in response
    assert response["Content-Type"] == "application/octet-stream"
    assert response["Content-Length"] == "4"


@pytest.mark.parametrize(
    "filename, content_type",
    [("archive.tar.gz", "application/gzip"), ("page.html", "text/html"), ("data.unknownext", "application/octet-stream")],
)
def test_file_response_guesses_content_type(filename, content_type):
    assert FileResponse(io.BytesIO(b""), filename=filename)["Content-Type"] == content_type


def test_file_response_keeps_an_explicit_content_type_and_the_file_position():
    file = io.BytesIO(b"skip-this-rest")
    file.seek(10)
    response = FileResponse(file, content_type="text/plain", filename="x.bin")
    assert response["Content-Type"] == "text/plain"
    assert response["Content-Length"] == "4"
    assert b"".join(response) == b"rest"


def test_file_response_of_an_iterable_is_a_streaming_response():
    response = FileResponse([b"a", b"b"])
    assert response.file_to_stream is None
    assert b"".join(response) == b"ab"


# --- redirects and other subclasses ----------------------------------------------


@pytest.mark.parametrize(
    "response_class, status, preserved_status",
    [(HttpResponseRedirect, 302, 307), (HttpResponsePermanentRedirect, 301, 308)],
)
def test_redirects(response_class, status, preserved_status):
    """HttpResponseRedirect (302) and HttpResponsePermanentRedirect (301) percent-encode Location;
    preserve_request=True makes them 307 and 308."""
    response = response_class("/café/?q=1")
    assert response.status_code == status
    assert response["Location"] == "/caf%C3%A9/?q=1"
    assert response.url == "/caf%C3%A9/?q=1"
    assert response_class("/x/", preserve_request=True).status_code == preserved_status
    assert response_class("https://example.com/").url == "https://example.com/"


@pytest.mark.parametrize("url", ["javascript:alert(1)", "JavaScript:alert(1)", "data:text/html,x", " javascript:x"])
def test_redirect_to_a_disallowed_scheme_raises_disallowedredirect(url):
    with pytest.raises(DisallowedRedirect, match="Unsafe redirect to URL with protocol"):
        HttpResponseRedirect(url)


def test_not_modified_has_no_content_and_no_content_type():
    response = HttpResponseNotModified()
    assert response.status_code == 304
    assert "Content-Type" not in response
    assert response.content == b""
    with pytest.raises(AttributeError, match="You cannot set content to a 304"):
        response.content = "body"


def test_not_allowed_lists_the_allowed_methods():
    response = HttpResponseNotAllowed(["GET", "HEAD"])
    assert response.status_code == 405
    assert response["Allow"] == "GET, HEAD"


def test_http404_is_an_exception():
    assert issubclass(Http404, Exception)


# --- JSON -------------------------------------------------------------------------


def test_json_response():
    """JsonResponse serializes a dict as JSON, with Content-Type application/json."""
    response = JsonResponse({"name": "café", "tags": [1, 2]})
    assert response["Content-Type"] == "application/json"
    assert json.loads(response.content) == {"name": "café", "tags": [1, 2]}


def test_json_response_refuses_non_dict_unless_safe_is_false():
    with pytest.raises(TypeError, match="set the safe parameter to False"):
        JsonResponse([1, 2])
    assert JsonResponse([1, 2], safe=False).content == b"[1, 2]"


def test_json_response_options():
    """JsonResponse takes a JSON encoder class, json_dumps_params and a status."""
    class DecimalEncoder(json.JSONEncoder):
        def default(self, value):
            if isinstance(value, (decimal.Decimal, datetime.date)):
                return str(value)
            return super().default(value)

    response = JsonResponse(
        {"price": decimal.Decimal("1.50"), "b": 1, "a": 2},
        encoder=DecimalEncoder,
        json_dumps_params={"sort_keys": True},
        status=201,
    )
    assert response.content == b'{"a": 2, "b": 1, "price": "1.50"}'
    assert response.status_code == 201


def test_header_name_given_as_non_ascii_bytes_is_refused():
    with pytest.raises(BadHeaderError, match="not ascii"):
        HttpResponse()[b"X-\xff"] = "v"


def test_content_iterable_whose_close_fails_still_sets_content():
    class BadClose(list):
        def close(self):
            raise OSError("already closed")

    assert HttpResponse(BadClose([b"a"])).content == b"a"


def test_headers_mapping_helpers():
    """response.headers compares, prints and copies like a dict."""
    headers = HttpResponse(headers={"X-A": "1"}).headers
    assert headers != "not a mapping"
    assert repr(headers) == "{'X-A': '1', 'Content-Type': 'text/html; charset=utf-8'}"
    assert headers.copy() == headers


# --- HTTP dates and Content-Disposition (tinyframe.utils.http) -------------------------

@pytest.mark.parametrize(
    "text, epoch",
    [
        ("Sun, 06 Nov 1994 08:49:37 GMT", 784111777),
        ("Sunday, 06-Nov-94 08:49:37 GMT", 784111777),
        ("Sun Nov  6 08:49:37 1994", 784111777),
        ("Thu, 01 Jan 1970 00:00:00 GMT", 0),
    ],
)
def test_parse_http_date_accepts_the_three_formats(text, epoch):
    assert parse_http_date(text) == epoch, f"parse_http_date({text!r})"
    assert http_date(epoch) in (text, "Sun, 06 Nov 1994 08:49:37 GMT")


def test_parse_http_date_two_digit_years_are_within_50_years():
    this_year = datetime.datetime.now(datetime.timezone.utc).year
    future = (this_year + 60) % 100
    parsed = parse_http_date(f"Monday, 01-Jan-{future:02d} 00:00:00 GMT")
    assert datetime.datetime.fromtimestamp(parsed, datetime.timezone.utc).year == this_year + 60 - 100


@pytest.mark.parametrize(
    "text", ["", "yesterday", "Sun, 06 Foo 1994 08:49:37 GMT", "Sun, 31 Feb 1994 08:49:37 GMT", "06 Nov 1994"]
)
def test_parse_http_date_rejects_other_text(text):
    with pytest.raises(ValueError):
        parse_http_date(text)
    assert parse_http_date_safe(text) is None


def test_http_date_defaults_to_now():
    assert abs(parse_http_date(http_date()) - time.time()) <= 2


def test_content_disposition_header_control_characters_use_rfc5987():
    assert content_disposition_header(True, "a\x7fb") == "attachment; filename*=utf-8''a%7Fb"


def test_a_redirect_over_max_url_redirect_length_is_refused():
    """HttpResponseRedirect refuses a URL longer than MAX_URL_REDIRECT_LENGTH with Django 5.2's message."""
    from tinyframe.utils.http import MAX_URL_REDIRECT_LENGTH

    assert MAX_URL_REDIRECT_LENGTH == 16384
    assert HttpResponseRedirect("/" + "a" * 16383).url == "/" + "a" * 16383
    with pytest.raises(DisallowedRedirect) as caught:
        HttpResponsePermanentRedirect("/" + "a" * 16384)
    assert str(caught.value) == "Unsafe redirect exceeding 16384 characters"
