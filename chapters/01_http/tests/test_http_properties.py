"""Round trips that must hold for any input: cookies, multipart forms, HTTP dates.

Each property is checked by hypothesis on generated inputs, and where a
request is involved, through the handler, as a browser would meet it.
"""

import json
import string
import time
from io import BytesIO
from wsgiref.util import setup_testing_defaults

import pytest
from hypothesis import HealthCheck, given, settings as hypothesis_settings
from hypothesis import strategies as st

from tinyframe.core.handlers.wsgi import WSGIHandler
from tinyframe.http import HttpResponse, JsonResponse, parse_cookie
from tinyframe.test import Client, RequestFactory
from tinyframe.test.client import encode_multipart
from tinyframe.utils.http import http_date, parse_http_date

# A test that takes the `serve` fixture runs its examples inside one test:
# the fixture is set up once, which is what these tests want.
fixture_ok = hypothesis_settings(suppress_health_check=[HealthCheck.function_scoped_fixture])

# --- cookies -------------------------------------------------------------------

# The attribute names of Set-Cookie cannot name a cookie (SimpleCookie refuses them).
RESERVED = {"expires", "path", "comment", "domain", "max-age", "secure", "httponly", "version", "samesite", "partitioned"}
NAME_CHARACTERS = string.ascii_letters + string.digits + "_-"
cookie_names = st.text(NAME_CHARACTERS, min_size=1, max_size=12).filter(lambda name: name.lower() not in RESERVED)
# Any latin-1 text: what a WSGI header can carry. SimpleCookie quotes and escapes what needs it.
cookie_values = st.text(st.characters(max_codepoint=255, blacklist_categories=("Cs",)), max_size=30)


@pytest.mark.exercise("01.4")
@given(cookie_names, cookie_values)
def test_a_rendered_cookie_parses_back_to_its_value(name, value):
    """parse_cookie of the name=value a Set-Cookie header carries gives back the value set, whatever its
    characters (spaces, quotes, semicolons, backslashes, control and latin-1 characters)."""
    response = HttpResponse()
    response.set_cookie(name, value, max_age=60, httponly=True, samesite="Lax")
    set_cookie = response.cookies[name].OutputString()
    name_value = set_cookie.split("; ")[0]  # what a browser sends back: the part before the attributes
    assert parse_cookie(name_value) == {name: value}, f"Set-Cookie: {set_cookie!r} parsed back as {parse_cookie(name_value)!r}"


@pytest.mark.exercise("01.4")
@fixture_ok
@given(st.dictionaries(cookie_names, cookie_values, min_size=1, max_size=4))
def test_cookies_set_by_a_view_come_back_in_the_next_request(serve, cookies):
    """A view sets cookies; the test client keeps them as a browser does and sends them back; the next
    request's request.COOKIES holds exactly those values."""

    def view(request):
        if request.method == "POST":
            response = HttpResponse("set")
            for name, value in cookies.items():
                response.set_cookie(name, value)
            return response
        return JsonResponse(request.COOKIES)

    serve(view)
    client = Client()
    client.post("/")
    assert client.get("/").json() == cookies


# --- multipart bodies ------------------------------------------------------------

field_names = st.text(NAME_CHARACTERS, min_size=1, max_size=10)
field_values = st.text(st.characters(blacklist_categories=("Cs",)), max_size=40)
file_names = st.builds("{}.{}".format, st.text(NAME_CHARACTERS, min_size=1, max_size=10), st.sampled_from(["txt", "csv"]))


@st.composite
def forms(draw):
    """A form of text fields (repeated names allowed) and files, with distinct names for fields and files."""
    names = draw(st.lists(field_names, min_size=1, max_size=6, unique=True))
    split = draw(st.integers(0, len(names)))
    fields = {name: draw(st.lists(field_values, min_size=1, max_size=3)) for name in names[:split]}
    files = {name: (draw(file_names), draw(st.binary(max_size=300))) for name in names[split:]}
    return fields, files


def as_upload(file_name: str, content: bytes) -> BytesIO:
    upload = BytesIO(content)
    upload.name = file_name
    return upload


@pytest.mark.exercise("01.7")
@given(forms())
def test_a_generated_form_round_trips_through_the_multipart_parser(form):
    """Encoded as multipart/form-data, any form of fields and files parses back to the same POST and FILES."""
    fields, files = form
    data = {**fields, **{name: as_upload(*file) for name, file in files.items()}}
    request = RequestFactory().post("/upload/", data)
    assert {key: request.POST.getlist(key) for key in request.POST} == fields
    received = {name: (upload.name, upload.read()) for name, upload in request.FILES.items()}
    assert received == files


def post_multipart(body: bytes, boundary: str = "B") -> str:
    """POST ``body`` as multipart through the WSGI handler; return the status line."""
    environ = {}
    setup_testing_defaults(environ)
    environ.update(
        REQUEST_METHOD="POST",
        CONTENT_TYPE=f"multipart/form-data; boundary={boundary}",
        CONTENT_LENGTH=str(len(body)),
    )
    environ["wsgi.input"] = BytesIO(body)
    started = []
    result = WSGIHandler()(environ, lambda status, headers, exc_info=None: started.append(status))
    try:
        b"".join(result)
    finally:
        result.close()
    return started[0]


@st.composite
def malformed_bodies(draw):
    """A valid multipart body, then broken: cut short, a byte changed, or junk inserted."""
    fields, files = draw(forms())
    data = {**fields, **{name: as_upload(*file) for name, file in files.items()}}
    body = encode_multipart("B", data)
    how = draw(st.sampled_from(["truncate", "change", "insert"]))
    at = draw(st.integers(0, len(body) - 1))
    if how == "truncate":
        return body[:at]
    if how == "change":
        return body[:at] + bytes([draw(st.integers(0, 255))]) + body[at + 1:]
    return body[:at] + draw(st.binary(min_size=1, max_size=20)) + body[at:]


@pytest.mark.exercise("01.6", "01.7")
@fixture_ok
@given(st.one_of(malformed_bodies(), st.binary(max_size=200)))
def test_a_malformed_multipart_body_is_a_400_never_a_500(serve, caplog, body):
    """Whatever the body, a view that reads request.POST answers 200 (it still parsed) or 400 (it did
    not): never 500, never a hang."""
    serve(lambda request: HttpResponse(json.dumps({key: request.POST.getlist(key) for key in request.POST})))
    status = post_multipart(body)
    assert status in ("200 OK", "400 Bad Request"), f"the body {body[:80]!r}... got {status}"


# --- HTTP dates ---------------------------------------------------------------------

# From the epoch to the last second of year 9999, the last an HTTP date's four digits can say.
timestamps = st.integers(min_value=0, max_value=253402300799)


@given(timestamps)
def test_parse_http_date_reverses_http_date(timestamp):
    """parse_http_date(http_date(t)) == t for every second from 1970 to 9999."""
    text = http_date(timestamp)
    assert parse_http_date(text) == timestamp, f"http_date({timestamp}) = {text!r} parsed back as {parse_http_date(text)}"


@given(timestamps)
def test_parse_http_date_reads_the_asctime_format_too(timestamp):
    """The asctime format ('Sun Nov  6 08:49:37 1994'), which RFC 9110 says a recipient must accept, parses to
    the same second."""
    text = time.asctime(time.gmtime(timestamp))
    assert parse_http_date(text) == timestamp, f"{text!r} parsed as {parse_http_date(text)}; expected {timestamp}"
