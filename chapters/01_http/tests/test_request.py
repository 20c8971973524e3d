"""HttpRequest: headers, host validation, URLs, scheme, body and POST, signed cookies."""

from io import BytesIO

import pytest

from tinyframe.conf import settings
from tinyframe.core.exceptions import BadRequest, DisallowedHost, ImproperlyConfigured, RequestDataTooBig
from tinyframe.http import HttpHeaders, HttpRequest, QueryDict, RawPostDataException, UnreadablePostError
from tinyframe.http.hosts import split_domain_port, validate_host
from tinyframe.utils.http import parse_header_parameters


def make_request(method="GET", path="/", body=b"", **meta) -> HttpRequest:
    """A bare HttpRequest with a minimal META, as a handler would fill it."""
    request = HttpRequest()
    request.method = method
    request.path = request.path_info = path
    request.META = {"SERVER_NAME": "testserver", "SERVER_PORT": "80", "CONTENT_LENGTH": str(len(body)), **meta}
    request._set_content_type_params(request.META)
    request._stream = BytesIO(body)
    return request


# --- 01.1 header names -------------------------------------------------------


@pytest.mark.exercise("01.1")
@pytest.mark.parametrize(
    "meta_key, expected",
    [
        ("HTTP_USER_AGENT", "User-Agent"),
        ("HTTP_ACCEPT", "Accept"),
        ("HTTP_X_REQUESTED_WITH", "X-Requested-With"),
    ],
)
def test_parse_header_name_turns_an_http_key_into_the_header_name(meta_key, expected):
    """HttpHeaders.parse_header_name drops the HTTP_ prefix and capitalises each word: HTTP_USER_AGENT is User-Agent."""
    got = HttpHeaders.parse_header_name(meta_key)
    assert got == expected, f"HttpHeaders.parse_header_name({meta_key!r}) returned {got!r}; expected {expected!r}"


@pytest.mark.exercise("01.1")
@pytest.mark.parametrize("meta_key, expected", [("CONTENT_TYPE", "Content-Type"), ("CONTENT_LENGTH", "Content-Length")])
def test_content_type_and_content_length_are_headers_without_the_prefix(meta_key, expected):
    """The two headers WSGI puts in the environ without HTTP_ are headers all the same."""
    got = HttpHeaders.parse_header_name(meta_key)
    assert got == expected, (
        f"HttpHeaders.parse_header_name({meta_key!r}) returned {got!r}; expected {expected!r} "
        "(CONTENT_TYPE and CONTENT_LENGTH come without the HTTP_ prefix)"
    )


@pytest.mark.exercise("01.1")
@pytest.mark.parametrize("meta_key", ["SERVER_NAME", "wsgi.input", "PATH_INFO"])
def test_parse_header_name_is_none_for_what_is_not_a_header(meta_key):
    """Any other environ key (server variables, wsgi.* entries) is not a header: None."""
    got = HttpHeaders.parse_header_name(meta_key)
    assert got is None, f"HttpHeaders.parse_header_name({meta_key!r}) returned {got!r}; expected None (not a header)"


@pytest.mark.exercise("01.1")
def test_request_headers_are_case_insensitive_and_built_from_meta():
    """request.headers holds every header of META under its HTTP name (parse_header_name's job),
    and looks names up ignoring case, with '_' standing for '-'."""
    request = make_request(HTTP_USER_AGENT="curl/8", CONTENT_TYPE="text/plain", HTTP_X_TRACE_ID="42")
    headers = request.headers
    assert headers["User-Agent"] == "curl/8", (
        f"request.headers['User-Agent'] gave {headers.get('User-Agent')!r}; expected 'curl/8'"
    )
    assert headers["user-agent"] == "curl/8", (
        f"request.headers['user-agent'] gave {headers.get('user-agent')!r}; expected 'curl/8' "
        "(header lookup must ignore case)"
    )
    assert headers["user_agent"] == "curl/8", (
        f"request.headers['user_agent'] gave {headers.get('user_agent')!r}; expected 'curl/8' "
        "(underscores may stand for dashes)"
    )
    assert headers["Content-Type"] == "text/plain", (
        f"with META['CONTENT_TYPE'] = 'text/plain', request.headers['Content-Type'] gave "
        f"{headers.get('Content-Type')!r}; expected 'text/plain'"
    )
    assert headers["X-Trace-Id"] == "42", (
        f"with META['HTTP_X_TRACE_ID'] = '42', request.headers['X-Trace-Id'] gave {headers.get('X-Trace-Id')!r}; "
        "expected '42'"
    )
    assert "Server-Name" not in headers, (
        f"request.headers has 'Server-Name' ({headers.get('Server-Name')!r}); SERVER_NAME is not a header"
    )
    assert sorted(headers) == ["Content-Length", "Content-Type", "User-Agent", "X-Trace-Id"], (
        f"request.headers has the names {sorted(headers)!r}; expected "
        "['Content-Length', 'Content-Type', 'User-Agent', 'X-Trace-Id'] (the other META keys are not headers)"
    )


@pytest.mark.parametrize(
    "header, meta_key",
    [("User-Agent", "HTTP_USER_AGENT"), ("content-type", "CONTENT_TYPE"), ("Content-Length", "CONTENT_LENGTH")],
)
def test_to_wsgi_name(header, meta_key):
    """HttpHeaders.to_wsgi_name turns a header name into its META key: User-Agent into HTTP_USER_AGENT, Content-Type
    into CONTENT_TYPE."""
    assert HttpHeaders.to_wsgi_name(header) == meta_key
    assert HttpHeaders.to_wsgi_names({header: "v"}) == {meta_key: "v"}


# --- 01.3 host validation ---------------------------------------------------


@pytest.mark.exercise("01.3")
@pytest.mark.parametrize(
    "host, allowed_hosts, expected",
    [
        ("example.com", ["example.com"], True),
        ("EXAMPLE.COM", ["example.com"], True),
        ("example.com", ["EXAMPLE.com"], True),
        ("example.com.", ["example.com"], False),
        ("www.example.com", ["example.com"], False),
        ("www.example.com", [".example.com"], True),
        ("a.b.example.com", [".example.com"], True),
        ("example.com", [".example.com"], True),
        ("badexample.com", [".example.com"], False),
        ("example.com.evil.org", [".example.com"], False),
        ("anything.at.all", ["*"], True),
        ("other.org", ["example.com", ".other.org"], True),
        ("other.org", [], False),
        ("[::1]", ["[::1]"], True),
        ("127.0.0.1", ["localhost"], False),
    ],
)
def test_validate_host(host, allowed_hosts, expected):
    """validate_host says whether a host matches ALLOWED_HOSTS: an exact name (any case),
    '.example.com' for that domain and its subdomains, or '*' for any host. A trailing dot left
    after split_domain_port dropped one is part of the name: 'example.com.' is not 'example.com'."""
    got = validate_host(host, allowed_hosts)
    assert got is expected, f"validate_host({host!r}, {allowed_hosts!r}) returned {got!r}; expected {expected!r}"


@pytest.mark.parametrize(
    "host, expected",
    [
        ("example.com", ("example.com", "")),
        ("Example.COM:8080", ("example.com", "8080")),
        ("example.com.:80", ("example.com", "80")),
        ("example.com..", ("example.com.", "")),
        ("127.0.0.1:8000", ("127.0.0.1", "8000")),
        ("[::1]", ("[::1]", "")),
        ("[2001:db8::1]:443", ("[2001:db8::1]", "443")),
        ("", ("", "")),
        ("bad_host", ("", "")),
        ("example.com:port", ("", "")),
        ("[::1", ("", "")),
        ("evil.com/path", ("", "")),
    ],
)
def test_split_domain_port(host, expected):
    """split_domain_port splits a Host header into a lower-case domain and a port (an IPv6 address in brackets), or
    ('', '') when it is not a valid host."""
    assert split_domain_port(host) == expected, f"split_domain_port({host!r})"


@pytest.mark.exercise("01.3")
@pytest.mark.parametrize("host", ["testserver", "localhost:8000", "127.0.0.1", "[::1]:8000", "TESTSERVER"])
def test_get_host_returns_allowed_hosts(host):
    """request.get_host() returns the Host header as sent when ALLOWED_HOSTS (here testserver,
    localhost, 127.0.0.1 and [::1]) allows it, a port or capitals included."""
    got = make_request(HTTP_HOST=host).get_host()
    assert got == host, f"get_host() with Host {host!r} returned {got!r}; expected it unchanged"


@pytest.mark.exercise("01.3")
def test_get_host_rejects_unknown_hosts_with_a_helpful_message():
    """request.get_host() raises DisallowedHost for a Host not in ALLOWED_HOSTS, naming the domain to add."""
    with pytest.raises(DisallowedHost) as caught:
        host = make_request(HTTP_HOST="evil.example:80").get_host()
        pytest.fail(
            f"get_host() with Host 'evil.example:80', not in ALLOWED_HOSTS, returned {host!r}; expected DisallowedHost"
        )
    message = str(caught.value)
    assert message == (
        "Invalid HTTP_HOST header: 'evil.example:80'. You may need to add 'evil.example' to ALLOWED_HOSTS."
    ), (
        f"get_host() with Host 'evil.example:80' raised DisallowedHost({message!r}); expected the message "
        "\"Invalid HTTP_HOST header: 'evil.example:80'. You may need to add 'evil.example' to ALLOWED_HOSTS.\""
    )


def test_get_host_rejects_invalid_hosts():
    with pytest.raises(DisallowedHost, match="not valid according to RFC 1034/1035"):
        make_request(HTTP_HOST="bad host!").get_host()


def test_get_host_in_debug_with_no_allowed_hosts_allows_localhost(monkeypatch):
    monkeypatch.setattr(settings, "DEBUG", True)
    monkeypatch.setattr(settings, "ALLOWED_HOSTS", [])
    assert make_request(HTTP_HOST="localhost:8000").get_host() == "localhost:8000"
    assert make_request(HTTP_HOST="app.localhost").get_host() == "app.localhost"
    assert make_request(HTTP_HOST="[::1]").get_host() == "[::1]"
    with pytest.raises(DisallowedHost):
        make_request(HTTP_HOST="example.com").get_host()
    monkeypatch.setattr(settings, "DEBUG", False)
    with pytest.raises(DisallowedHost):
        make_request(HTTP_HOST="localhost").get_host()


def test_get_host_falls_back_to_server_name_and_port():
    assert make_request().get_host() == "testserver"
    assert make_request(SERVER_PORT="8000").get_host() == "testserver:8000"
    assert make_request(SERVER_PORT="443", HTTP_X_SCHEME="https").get_host() == "testserver:443"


def test_x_forwarded_host_and_port_are_used_only_when_trusted(monkeypatch):
    request = make_request(HTTP_HOST="testserver", HTTP_X_FORWARDED_HOST="localhost", HTTP_X_FORWARDED_PORT="8443")
    assert request.get_host() == "testserver"
    assert request.get_port() == "80"
    monkeypatch.setattr(settings, "USE_X_FORWARDED_HOST", True)
    monkeypatch.setattr(settings, "USE_X_FORWARDED_PORT", True)
    assert request.get_host() == "localhost"
    assert request.get_port() == "8443"


# --- URLs and scheme ---------------------------------------------------------


@pytest.mark.parametrize(
    "path, query_string, force_slash, expected",
    [
        ("/", "", False, "/"),
        ("/blog", "page=2", False, "/blog?page=2"),
        ("/blog", "page=2", True, "/blog/?page=2"),
        ("/blog/", "", True, "/blog/"),
        ("/café/a b", "q=é", False, "/caf%C3%A9/a%20b?q=%C3%A9"),
        ("/100%/?#", "", False, "/100%25/%3F%23"),
    ],
)
def test_get_full_path(path, query_string, force_slash, expected):
    """get_full_path() is the path and query string, percent-encoded, with a slash added when force_append_slash
    asks for one."""
    request = make_request(path=path, QUERY_STRING=query_string)
    got = request.get_full_path(force_append_slash=force_slash)
    assert got == expected, f"get_full_path() for path {path!r}, query {query_string!r} returned {got!r}"
    assert request.get_full_path_info(force_slash) == expected


def test_build_absolute_uri():
    """build_absolute_uri() makes a full URL with this request's scheme and host: of the request itself, or of a
    location resolved against it."""
    request = make_request(path="/blog/post/", QUERY_STRING="a=1", HTTP_HOST="testserver")
    assert request.build_absolute_uri() == "http://testserver/blog/post/?a=1"
    assert request.build_absolute_uri("/other/") == "http://testserver/other/"
    assert request.build_absolute_uri("comments/") == "http://testserver/blog/post/comments/"
    assert request.build_absolute_uri("../") == "http://testserver/blog/"
    assert request.build_absolute_uri("https://example.com/x") == "https://example.com/x"
    assert request.build_absolute_uri("//cdn.example.com/x") == "http://cdn.example.com/x"
    assert request.build_absolute_uri("/café") == "http://testserver/caf%C3%A9"


def test_build_absolute_uri_keeps_a_double_slash_path_on_this_host():
    request = make_request(path="//evil.example/", HTTP_HOST="testserver")
    assert request.build_absolute_uri() == "http://testserver//evil.example/"


def test_scheme_and_is_secure(monkeypatch):
    """request.scheme is 'https' from a proxy's header only when SECURE_PROXY_SSL_HEADER names it, and then the
    first value counts."""
    request = make_request(HTTP_X_FORWARDED_PROTO="https")
    assert request.scheme == "http" and not request.is_secure()
    monkeypatch.setattr(settings, "SECURE_PROXY_SSL_HEADER", ("HTTP_X_FORWARDED_PROTO", "https"))
    assert request.scheme == "https" and request.is_secure()
    assert make_request(HTTP_X_FORWARDED_PROTO="https, http").is_secure(), "the first proxy's value counts"
    assert not make_request(HTTP_X_FORWARDED_PROTO="http").is_secure()
    assert not make_request().is_secure(), "no header: the request's own scheme"


def test_misconfigured_secure_proxy_ssl_header_says_how_to_fix_it(monkeypatch):
    monkeypatch.setattr(settings, "SECURE_PROXY_SSL_HEADER", "HTTP_X_FORWARDED_PROTO")
    with pytest.raises(ImproperlyConfigured, match="must be a tuple containing two values"):
        make_request().scheme


def test_repr():
    """repr(request) shows the method and the full path: <HttpRequest: GET '/a/?b=1'>."""
    assert repr(make_request("GET", "/a/", QUERY_STRING="b=1")) == "<HttpRequest: GET '/a/?b=1'>"
    assert repr(HttpRequest()) == "<HttpRequest>"


# --- content type, body, POST ------------------------------------------------


def test_content_type_and_params():
    """request.content_type and content_params come from CONTENT_TYPE; a charset Python knows becomes
    request.encoding."""
    request = make_request(CONTENT_TYPE="text/plain; charset=latin-1; format=flowed")
    assert request.content_type == "text/plain"
    assert request.content_params == {"charset": "latin-1", "format": "flowed"}
    assert request.encoding == "latin-1"
    assert make_request(CONTENT_TYPE="text/plain; charset=no-such-charset").encoding is None


@pytest.mark.parametrize(
    "header, expected",
    [
        ("text/html", ("text/html", {})),
        ("Text/HTML; Charset=UTF-8", ("text/html", {"charset": "UTF-8"})),
        ('form-data; name="a;b"; filename="x \\"y\\".txt"', ("form-data", {"name": "a;b", "filename": 'x "y".txt'})),
        ("form-data; flag; =novalue; name=a", ("form-data", {"name": "a"})),
        ("form-data; filename*=utf-8''%E2%9C%93.txt; filename=fallback.txt", ("form-data", {"filename": "✓.txt"})),
        ("form-data; filename*=no-such-charset''x%41.txt; filename=fallback.txt", ("form-data", {"filename": "fallback.txt"})),
        ("", ("", {})),
    ],
)
def test_parse_header_parameters(header, expected):
    """parse_header_parameters splits a header into its lower-case value and its parameters:
    quoted values and RFC 5987 filename*= read, malformed parts skipped."""
    assert parse_header_parameters(header) == expected, f"parse_header_parameters({header!r})"


def test_body_is_read_once_and_kept():
    request = make_request("POST", body=b"hello")
    assert request.body == b"hello"
    assert request.body == b"hello"
    assert request.read() == b"hello", "after body, read() reads the kept copy"


def test_body_after_reading_the_stream_raises_rawpostdataexception():
    request = make_request("POST", body=b"hello")
    assert request.read(2) == b"he"
    with pytest.raises(RawPostDataException, match="You cannot access body after reading"):
        request.body


def test_body_larger_than_data_upload_max_memory_size_is_refused(monkeypatch):
    monkeypatch.setattr(settings, "DATA_UPLOAD_MAX_MEMORY_SIZE", 4)
    with pytest.raises(RequestDataTooBig, match="DATA_UPLOAD_MAX_MEMORY_SIZE"):
        make_request("POST", body=b"12345").body
    # A body longer than its CONTENT_LENGTH claims is caught too.
    with pytest.raises(RequestDataTooBig):
        make_request("POST", body=b"12345", CONTENT_LENGTH="1").body
    assert make_request("POST", body=b"1234").body == b"1234"
    monkeypatch.setattr(settings, "DATA_UPLOAD_MAX_MEMORY_SIZE", None)
    assert make_request("POST", body=b"12345").body == b"12345"


def test_request_is_file_like():
    request = make_request("POST", body=b"line one\nline two\n")
    assert request.readline() == b"line one\n"
    assert list(request) == [b"line two\n"]
    request = make_request("POST", body=b"a\nb\n")
    assert request.readlines() == [b"a\n", b"b\n"]


class BrokenStream:
    def read(self, *args):
        raise OSError("connection reset")

    readline = read


def test_unreadable_body_raises_unreadableposterror():
    request = make_request("POST")
    request._stream = BrokenStream()
    with pytest.raises(UnreadablePostError, match="connection reset"):
        request.read()
    with pytest.raises(UnreadablePostError):
        request.readline()


def test_urlencoded_post_is_parsed_into_an_immutable_querydict():
    request = make_request("POST", body=b"a=1&a=2&b=caf%C3%A9", CONTENT_TYPE="application/x-www-form-urlencoded")
    request._load_post_and_files()
    assert request._post.getlist("a") == ["1", "2"]
    assert request._post["b"] == "café"
    assert not request._post._mutable
    assert len(request._files) == 0


URLENCODED_CHARSET_MESSAGE = (
    "HTTP requests with the 'application/x-www-form-urlencoded' content type must be UTF-8 encoded."
)


@pytest.mark.parametrize("charset", ["latin-1", "utf-16", "utf8", "ascii"])
def test_a_urlencoded_post_in_another_charset_is_a_bad_request(charset):
    """A urlencoded form is UTF-8: one whose Content-Type names another charset (even the alias 'utf8', as in
    Django) is refused with BadRequest rather than decoded into text the client did not mean."""
    request = make_request(
        "POST", body=b"name=caf%E9", CONTENT_TYPE=f"application/x-www-form-urlencoded; charset={charset}"
    )
    with pytest.raises(BadRequest) as caught:
        request._load_post_and_files()
        pytest.fail(f"reading a POST with charset={charset} gave {request._post!r}; expected BadRequest")
    assert str(caught.value) == URLENCODED_CHARSET_MESSAGE


@pytest.mark.parametrize("charset", ["utf-8", "UTF-8", "no-such-charset"])
def test_a_urlencoded_post_in_utf8_or_an_unknown_charset_is_decoded_as_utf8(charset):
    """charset=utf-8 in any case is accepted; a charset Python does not know is ignored, so the body is read as
    UTF-8 (as in Django)."""
    request = make_request(
        "POST", body=b"name=caf%C3%A9", CONTENT_TYPE=f"application/x-www-form-urlencoded; charset={charset}"
    )
    request._load_post_and_files()
    assert request._post["name"] == "café"


@pytest.mark.parametrize(
    "method, content_type",
    [("GET", "application/x-www-form-urlencoded"), ("POST", "application/json"), ("POST", "")],
)
def test_post_is_empty_for_other_methods_and_content_types(method, content_type):
    request = make_request(method, body=b'{"a": 1}', CONTENT_TYPE=content_type)
    request._load_post_and_files()
    assert dict(request._post) == {} and dict(request._files) == {}
    assert request.body == b'{"a": 1}', "the body stays readable when POST is not parsed"


def test_post_after_the_stream_was_read_is_empty():
    request = make_request("POST", body=b"a=1", CONTENT_TYPE="application/x-www-form-urlencoded")
    request.read()
    request._load_post_and_files()
    assert dict(request._post) == {}


def test_setting_encoding_redecodes_post():
    request = make_request("POST", body=b"name=caf%E9", CONTENT_TYPE="application/x-www-form-urlencoded")
    request._load_post_and_files()
    assert request._post["name"] == "caf\ufffd"
    request.encoding = "latin-1"
    assert not hasattr(request, "_post"), "changing encoding must drop the decoded POST"
    with pytest.raises(BadRequest, match="must be UTF-8 encoded"):  # a urlencoded body is UTF-8 (as in Django)
        request._load_post_and_files()
    request.encoding = "utf-8"
    request._load_post_and_files()
    assert request._post["name"] == "caf\ufffd"
    assert isinstance(request.GET, QueryDict), "a bare HttpRequest keeps its GET"


# --- accepts, signed cookies ---------------------------------------------------


@pytest.mark.parametrize(
    "accept, media_type, expected",
    [
        (None, "application/json", True),
        ("text/html", "text/html", True),
        ("text/html", "application/json", False),
        ("text/*", "text/plain", True),
        ("*/*", "image/png", True),
        ("application/json, text/html;q=0.9", "text/html", True),
        ("text/html;q=0", "text/html", False),
        ("text/html;q=bogus", "text/html", True),
        ("TEXT/HTML", "text/html; charset=utf-8", True),
    ],
)
def test_accepts(accept, media_type, expected):
    """request.accepts(media_type) follows the Accept header: wildcards, q=0 as a refusal, any case; without an
    Accept header, everything is accepted."""
    meta = {} if accept is None else {"HTTP_ACCEPT": accept}
    got = make_request(**meta).accepts(media_type)
    assert got is expected, f"accepts({media_type!r}) with Accept {accept!r} returned {got!r}"


def test_get_signed_cookie_round_trip():
    from tinyframe.core import signing

    signed = signing.get_cookie_signer(salt="nameextra").sign("value")
    request = make_request()
    request.COOKIES = {"name": signed, "forged": "value:bad"}
    assert request.get_signed_cookie("name", salt="extra") == "value"
    with pytest.raises(signing.BadSignature):
        request.get_signed_cookie("name")  # wrong salt
    with pytest.raises(signing.BadSignature):
        request.get_signed_cookie("forged")
    assert request.get_signed_cookie("forged", default="fallback") == "fallback"
    with pytest.raises(KeyError):
        request.get_signed_cookie("missing")
    assert request.get_signed_cookie("missing", default=None) is None
