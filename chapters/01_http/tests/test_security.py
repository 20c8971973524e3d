"""The security checks of chapter 01, each tested where it is used: through a request, by what a user or an
attacker sees (the status, the headers on the wire, what the view got, how much of the body was read).

Unit tests elsewhere check the helpers; these check that the framework uses them, so that a planted bug in any
check (a skipped header check, a limit not enforced, a signature not verified) turns a test red.
"""

import logging
from io import BytesIO
from wsgiref.util import setup_testing_defaults

import pytest

from tinyframe.core import signing
from tinyframe.core.handlers.wsgi import WSGIHandler
from tinyframe.http import HttpResponse, HttpResponseRedirect, JsonResponse
from tinyframe.test import Client
from tinyframe.test.utils import override_settings


class CountingStream:
    """A wsgi.input that counts the bytes read from it."""

    def __init__(self, data: bytes):
        self._stream = BytesIO(data)
        self.bytes_read = 0

    def read(self, size=-1):
        data = self._stream.read(size)
        self.bytes_read += len(data)
        return data

    def readline(self, size=-1):
        line = self._stream.readline(size)
        self.bytes_read += len(line)
        return line


def request(path="/", method="GET", query="", body=b"", content_type="", **environ):
    """Send one request through WSGIHandler; return (status line, header list, body bytes, the input stream)."""
    base = {}
    setup_testing_defaults(base)
    stream = CountingStream(body)
    base.update(REQUEST_METHOD=method, PATH_INFO=path, QUERY_STRING=query, CONTENT_LENGTH=str(len(body)),
                HTTP_HOST="testserver")
    base["wsgi.input"] = stream
    if content_type:
        base["CONTENT_TYPE"] = content_type
    base.update(environ)
    started = []
    result = WSGIHandler()(base, lambda status, headers, exc_info=None: started.append((status, headers)))
    try:
        content = b"".join(result)
    finally:
        result.close()
    status, headers = started[0]
    return status, headers, content, stream


def header_names(headers) -> list[str]:
    return [name.lower() for name, _ in headers]


@pytest.fixture(autouse=True)
def quiet(caplog):
    caplog.set_level(logging.CRITICAL)


# --- headers: no line break reaches the wire -------------------------------------------


@pytest.mark.exercise("01.6")
def test_a_redirect_to_user_input_with_crlf_cannot_add_a_header(serve):
    """?next=/home%0D%0ASet-Cookie:... redirected to: the line break is percent-encoded into the Location, so
    no Set-Cookie header reaches the browser."""
    serve(lambda request: HttpResponseRedirect(request.GET["next"]))
    status, headers, _, _ = request(query="next=/home%0D%0ASet-Cookie:%20admin=1")
    assert status == "302 Found"
    assert "set-cookie" not in header_names(headers), f"a header was injected: {headers}"
    assert dict(headers)["Location"] == "/home%0D%0ASet-Cookie:%20admin=1"


@pytest.mark.exercise("01.6")
@pytest.mark.parametrize("target", ["javascript:alert(document.cookie)", "data:text/html,<script>x</script>"])
def test_a_redirect_to_a_script_url_is_a_400(serve, target):
    """A redirect built from user input to a javascript: or data: URL is refused (DisallowedRedirect, a 400),
    so the browser never gets the Location."""
    serve(lambda request: HttpResponseRedirect(request.GET["next"]))
    status, headers, body, _ = request(query="next=" + target.replace("&", "%26"))
    assert status == "400 Bad Request", f"a redirect to {target!r} answered {status}"
    assert "location" not in header_names(headers)


@pytest.mark.exercise("01.6")
@pytest.mark.parametrize("value", ["a%0D%0ASet-Cookie:%20admin=1", "a%0ASet-Cookie:%20admin=1", "a%0Db"])
def test_a_header_from_user_input_with_a_line_break_is_a_500_with_no_header_sent(serve, value):
    """A view that copies user input into a header fails (BadHeaderError, a 500): no forged header is sent."""
    serve(lambda request: HttpResponse(headers={"X-Echo": request.GET["v"]}))
    status, headers, _, _ = request(query=f"v={value}")
    assert status == "500 Internal Server Error"
    assert "set-cookie" not in header_names(headers) and "x-echo" not in header_names(headers), headers


@pytest.mark.exercise("01.4", "01.6")
def test_a_cookie_value_from_user_input_cannot_add_a_header(serve):
    """A cookie whose value came from the query string, line breaks included, is sent as one quoted Set-Cookie
    header: the line break is escaped, and no second cookie appears."""

    def view(request):
        response = HttpResponse("ok")
        response.set_cookie("theme", request.GET["theme"])
        return response

    serve(view)
    status, headers, _, _ = request(query="theme=dark%0D%0ASet-Cookie:%20admin=1")
    cookies = [value for name, value in headers if name.lower() == "set-cookie"]
    assert status == "200 OK" and len(cookies) == 1, headers
    assert cookies[0].startswith('theme="dark\\015\\012Set-Cookie: admin=1"'), cookies[0]


@pytest.mark.exercise("01.6")
def test_a_download_name_from_user_input_cannot_add_a_header(serve):
    """FileResponse(filename=...) with a name from the request: quotes are escaped and a line break is
    percent-encoded inside Content-Disposition, which stays one header."""
    from tinyframe.http import FileResponse

    serve(lambda request: FileResponse(BytesIO(b"data"), as_attachment=True, filename=request.GET["name"]))
    status, headers, body, _ = request(query="name=a%0D%0AX-Evil:%201.txt")
    assert (status, body) == ("200 OK", b"data")
    assert "x-evil" not in header_names(headers), headers
    assert dict(headers)["Content-Disposition"] == "attachment; filename*=utf-8''a%0D%0AX-Evil%3A%201.txt"
    _, headers, _, _ = request(query='name=report".txt')
    assert dict(headers)["Content-Disposition"] == 'attachment; filename="report\\".txt"'


# --- size limits: refused, and not read ----------------------------------------------------


def echo_post(request):
    return JsonResponse({key: request.POST.getlist(key) for key in request.POST} | {"files": list(request.FILES)})


@pytest.mark.exercise("01.6")
@override_settings(DATA_UPLOAD_MAX_MEMORY_SIZE=100)
def test_a_body_announced_over_the_limit_is_a_413_without_reading_it(serve):
    """A form body whose Content-Length is over DATA_UPLOAD_MAX_MEMORY_SIZE gets 413 before a byte of it is
    read: an attacker cannot make the server hold a huge body in memory."""
    serve(echo_post)
    body = b"a=" + b"x" * 10_000
    status, _, content, stream = request(method="POST", body=body, content_type="application/x-www-form-urlencoded")
    assert status == "413 Request Entity Too Large", status
    assert stream.bytes_read == 0, f"{stream.bytes_read} bytes of a refused body were read"
    assert b"xxxx" not in content


@pytest.mark.exercise("01.6")
@override_settings(DATA_UPLOAD_MAX_MEMORY_SIZE=100)
def test_a_body_longer_than_it_claims_is_read_only_up_to_the_claim(serve):
    """The body is read only up to its Content-Length; whatever follows on the connection is not read."""
    serve(echo_post)
    status, _, content, stream = request(method="POST", body=b"a=1" + b"&b=2" * 1000,
                                         content_type="application/x-www-form-urlencoded", CONTENT_LENGTH="3")
    assert status == "200 OK" and content == b'{"a": ["1"], "files": []}', (status, content)
    assert stream.bytes_read == 3, f"{stream.bytes_read} bytes were read for a body of 3"


def multipart(*parts) -> bytes:
    """A multipart body with boundary B of (name, value) fields and (name, filename, content) files."""
    lines = []
    for part in parts:
        if len(part) == 2:
            lines += [b"--B", f'Content-Disposition: form-data; name="{part[0]}"'.encode(), b"", part[1]]
        else:
            name, filename, content = part
            lines += [b"--B", f'Content-Disposition: form-data; name="{name}"; filename="{filename}"'.encode(),
                      b"Content-Type: text/plain", b"", content]
    return b"\r\n".join(lines + [b"--B--", b""])


MULTIPART = "multipart/form-data; boundary=B"


@pytest.mark.exercise("01.6", "01.7")
@pytest.mark.parametrize(
    "setting, body, status",
    [
        ({"DATA_UPLOAD_MAX_NUMBER_FIELDS": 2}, multipart(("a", b"1"), ("b", b"2"), ("c", b"3")), "400 Bad Request"),
        ({"DATA_UPLOAD_MAX_NUMBER_FILES": 1}, multipart(("f", "1.txt", b"1"), ("g", "2.txt", b"2")), "400 Bad Request"),
        ({"DATA_UPLOAD_MAX_MEMORY_SIZE": 50}, multipart(("a", b"x" * 30), ("b", b"y" * 30)),
         "413 Request Entity Too Large"),
    ],
    ids=["too-many-fields", "too-many-files", "fields-too-big"],
)
def test_multipart_limits_are_enforced_through_the_handler(serve, setting, body, status):
    """Each upload limit refuses the request through the handler, and the view never sees the data."""
    serve(echo_post)
    with override_settings(**setting):
        got, _, content, _ = request(method="POST", body=body, content_type=MULTIPART)
    assert got == status, f"with {setting}, the upload answered {got}; expected {status}"
    assert b"files" not in content, f"the view answered: {content!r}"


@pytest.mark.exercise("01.6")
@override_settings(DATA_UPLOAD_MAX_NUMBER_FIELDS=5)
def test_too_many_query_string_fields_is_a_400(serve):
    """DATA_UPLOAD_MAX_NUMBER_FIELDS counts query string fields too: one more than it allows is a 400."""
    serve(lambda request: JsonResponse(dict(request.GET)))
    assert request(query="&".join(f"k{n}=v" for n in range(5)))[0] == "200 OK"
    assert request(query="&".join(f"k{n}=v" for n in range(6)))[0] == "400 Bad Request"


# --- proxies: their headers are trusted only when the settings say so -------------------------


def where(request):
    return JsonResponse({"url": request.build_absolute_uri("/reset/"), "secure": request.is_secure()})


@pytest.mark.exercise("01.6")
def test_proxy_headers_are_ignored_unless_the_settings_trust_them(serve):
    """A client's X-Forwarded-Host cannot make a password-reset link point elsewhere, nor X-Forwarded-Proto
    make a request look secure, unless the site says a proxy sets them."""
    serve(where)
    forged = {"HTTP_X_FORWARDED_HOST": "evil.example", "HTTP_X_FORWARDED_PROTO": "https"}
    status, _, content, _ = request(**forged)
    assert (status, content) == ("200 OK", b'{"url": "http://testserver/reset/", "secure": false}'), content
    with override_settings(USE_X_FORWARDED_HOST=True):
        assert request(**forged)[0] == "400 Bad Request", "a forwarded host must pass ALLOWED_HOSTS too"
    with override_settings(USE_X_FORWARDED_HOST=True, SECURE_PROXY_SSL_HEADER=("HTTP_X_FORWARDED_PROTO", "https")):
        _, _, content, _ = request(HTTP_X_FORWARDED_HOST="localhost", HTTP_X_FORWARDED_PROTO="https")
    assert content == b'{"url": "https://localhost/reset/", "secure": true}', content


# --- signed cookies: a forged or expired one is not believed -----------------------------------


def signed_cookie_views(max_age=None):
    def view(request):
        if request.method == "POST":
            response = HttpResponse("logged in")
            response.set_signed_cookie("user", request.POST["user"], salt="login")
            return response
        user = request.get_signed_cookie("user", default=None, salt="login", max_age=max_age)
        return HttpResponse(f"user: {user}")

    return view


def log_in(client, user: str) -> None:
    """POST the user name as a urlencoded form (not multipart, which is exercise 01.7)."""
    client.post("/", f"user={user}", content_type="application/x-www-form-urlencoded")


@pytest.mark.exercise("01.4", "01.5")
def test_a_signed_cookie_comes_back_and_a_forged_one_is_refused(serve):
    """The cookie the site signed reads back; the same cookie with another user name in it, or signed with
    another salt, reads as no user."""
    serve(signed_cookie_views())
    client = Client()
    log_in(client, "alice")
    signed = client.cookies["user"].value
    assert signed.startswith("alice:"), signed
    assert client.get("/").content == b"user: alice"

    client.cookies["user"] = signed.replace("alice", "admin", 1)
    assert client.get("/").content == b"user: None", "a cookie whose value was changed must not be believed"

    client.cookies["user"] = "admin"
    assert client.get("/").content == b"user: None", "an unsigned cookie must not be believed"

    client.cookies["user"] = signing.get_cookie_signer(salt="user" + "other").sign("admin")
    assert client.get("/").content == b"user: None", "a value signed for another purpose (salt) must not pass"


@pytest.mark.exercise("01.4", "01.5")
def test_a_signed_cookie_survives_a_key_rotation_only_through_the_fallbacks(serve):
    """After SECRET_KEY changes, an old cookie is believed only while the old key is in SECRET_KEY_FALLBACKS."""
    serve(signed_cookie_views())
    client = Client()
    with override_settings(SECRET_KEY="old-key-" + "x" * 40):
        log_in(client, "alice")
    with override_settings(SECRET_KEY="new-key-" + "y" * 40):
        assert client.get("/").content == b"user: None"
    with override_settings(SECRET_KEY="new-key-" + "y" * 40, SECRET_KEY_FALLBACKS=["old-key-" + "x" * 40]):
        assert client.get("/").content == b"user: alice"


@pytest.mark.exercise("01.4", "01.5")
def test_an_expired_signed_cookie_is_refused(serve, monkeypatch):
    """With max_age, a signed cookie older than that reads as no user, though its signature is intact."""
    serve(signed_cookie_views(max_age=60))
    client = Client()
    log_in(client, "alice")
    assert client.get("/").content == b"user: alice"
    now = signing.time.time()
    monkeypatch.setattr(signing.time, "time", lambda: now + 61)
    assert client.get("/").content == b"user: None"


@pytest.mark.exercise("01.6")
@pytest.mark.parametrize("length, status", [(16384, "302 Found"), (16385, "400 Bad Request"), (1_000_000, "400 Bad Request")])
def test_a_redirect_to_an_overlong_url_is_a_400(serve, length, status):
    """A redirect target longer than MAX_URL_REDIRECT_LENGTH (16384 characters, as in Django 5.2) is refused:
    a 400 with no Location, answered without working through the megabyte."""
    serve(lambda request: HttpResponseRedirect(request.GET["next"]))
    target = "/" + "a" * (length - 1)
    got, headers, _, _ = request(query=f"next={target}")
    assert got == status, f"a redirect to a {length}-character URL answered {got}; expected {status}"
    assert ("location" in header_names(headers)) is (status == "302 Found")
