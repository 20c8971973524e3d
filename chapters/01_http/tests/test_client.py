"""The test tools: RequestFactory, Client (cookies, redirects, exceptions) and SimpleTestCase's assertions."""

import json
import tempfile
from io import BytesIO

import pytest

from tinyframe.core.handlers.wsgi import WSGIRequest
from tinyframe.http import (
    HttpResponse,
    HttpResponseNotModified,
    HttpResponsePermanentRedirect,
    HttpResponseRedirect,
    JsonResponse,
    StreamingHttpResponse,
)
from tinyframe.test import Client, RedirectCycleError, RequestFactory, SimpleTestCase, override_settings
from tinyframe.test.client import BOUNDARY, MULTIPART_CONTENT, encode_multipart


def echo(request):
    """Describe the request as JSON, so tests can see what arrived."""
    # A multipart body is streamed to the parser, so it cannot be read as a whole too.
    multipart = request.META.get("CONTENT_TYPE", "").startswith("multipart/")
    body = b"(multipart)" if multipart else request.body
    return JsonResponse({
        "method": request.method,
        "path": request.path,
        "query": request.META["QUERY_STRING"],
        "GET": {key: request.GET.getlist(key) for key in request.GET},
        "POST": {key: request.POST.getlist(key) for key in request.POST} if request.method == "POST" else {},
        "body": body.decode("latin-1"),
        "content_type": request.META.get("CONTENT_TYPE", ""),
        "cookies": request.COOKIES,
        "secure": request.is_secure(),
        "host": request.get_host(),
    })


# --- RequestFactory ---------------------------------------------------------


def test_factory_builds_requests_to_call_views_directly():
    request = RequestFactory().get("/caf%C3%A9/", {"q": ["a", "b"], "page": 2})
    assert isinstance(request, WSGIRequest)
    assert request.path == "/café/"
    assert request.GET.getlist("q") == ["a", "b"] and request.GET["page"] == "2"
    assert request.get_host() == "testserver"
    assert json.loads(echo(request).content)["method"] == "GET"


def test_factory_query_string_from_path_data_or_query_params():
    factory = RequestFactory()
    assert factory.get("/?a=1").GET["a"] == "1"
    assert factory.get("/", query_params={"b": "2"}).GET["b"] == "2"
    assert factory.post("/?c=3", query_params={"d": "4"}).GET.dict() == {"d": "4"}
    with pytest.raises(ValueError, match="query_params and data arguments are mutually exclusive"):
        factory.get("/", {"a": 1}, query_params={"b": 2})


def test_factory_headers_secure_and_extra_meta():
    """RequestFactory takes default headers, query_params and META for all its requests, and per request headers,
    extra META and secure=True."""
    factory = RequestFactory(headers={"Accept-Language": "fr"}, query_params={"lang": "fr"}, REMOTE_ADDR="10.0.0.9")
    request = factory.get("/", secure=True, headers={"X-Token": "abc"}, HTTP_X_OTHER="1")
    assert request.headers["X-Token"] == "abc" and request.headers["Accept-Language"] == "fr"
    assert request.META["HTTP_X_OTHER"] == "1" and request.META["REMOTE_ADDR"] == "10.0.0.9"
    assert request.is_secure() and request.get_port() == "443"
    assert request.GET["lang"] == "fr"


def test_post_sends_a_multipart_form_with_files():
    named = tempfile.NamedTemporaryFile(suffix=".txt")
    named.write(b"hello file")
    named.seek(0)
    unnamed = BytesIO(b"\x00\x01")
    unnamed.content_type = "image/png"
    request = RequestFactory().post("/", {"title": "Hi", "tags": ["a", "b"], "doc": named, "pic": unnamed})
    assert request.META["CONTENT_TYPE"] == MULTIPART_CONTENT
    assert request.POST["title"] == "Hi" and request.POST.getlist("tags") == ["a", "b"]
    doc, pic = request.FILES["doc"], request.FILES["pic"]
    assert (doc.name, doc.read(), doc.content_type) == (named.name.rsplit("/", 1)[-1], b"hello file", "text/plain")
    assert (pic.name, pic.read(), pic.content_type) == ("pic", b"\x00\x01", "image/png")


def test_encode_multipart_refuses_none():
    with pytest.raises(TypeError, match="Cannot encode None for key 'a' as POST data"):
        encode_multipart(BOUNDARY, {"a": None})


def test_post_encodes_json_and_other_content_types():
    """RequestFactory sends a dict or list as JSON for a JSON content type, a string as it is, and text in the
    content type's charset."""
    factory = RequestFactory()
    request = factory.post("/", {"a": [1, 2]}, content_type="application/json")
    assert json.loads(request.body) == {"a": [1, 2]}
    assert json.loads(factory.put("/", [1, "é"], content_type="application/vnd.api+json").body) == [1, "é"]
    assert factory.post("/", '{"raw": 1}', content_type="application/json").body == b'{"raw": 1}'
    latin = factory.post("/", "name=é", content_type="application/x-www-form-urlencoded; charset=latin-1")
    assert latin.body == "name=é".encode("latin-1")


@pytest.mark.parametrize("method", ["put", "patch", "delete", "options"])
def test_methods_with_a_body(method):
    """RequestFactory's put, patch, delete and options send the data given as the body, with its content type."""
    request = getattr(RequestFactory(), method)("/r/", "payload", content_type="text/plain")
    assert (request.method, request.body, request.META["CONTENT_TYPE"]) == (method.upper(), b"payload", "text/plain")


def test_head_and_trace():
    """RequestFactory.head sends its data as the query string, like get; trace builds a TRACE request."""
    assert RequestFactory().head("/", {"a": 1}).GET["a"] == "1"
    assert RequestFactory().trace("/").method == "TRACE"


# --- Client -----------------------------------------------------------------


@pytest.mark.parametrize("method", ["get", "post", "put", "patch", "delete", "options", "trace"])
def test_client_sends_every_method_through_the_handler(serve, client, method):
    serve(echo)
    response = getattr(client, method)("/echo/")
    assert response.status_code == 200
    assert response.json()["method"] == method.upper(), f"client.{method}('/echo/') reached the view as {response.json()['method']}"
    assert response.client is client
    assert response.request["PATH_INFO"] == "/echo/"
    assert response.wsgi_request.method == method.upper()


def test_client_head_has_no_body_and_304_neither(serve, client):
    serve({"/": echo, "/same/": lambda request: HttpResponseNotModified(),
           "/stream/": lambda request: StreamingHttpResponse(["a", "b"])})
    head = client.head("/")
    assert head.status_code == 200 and head.content == b""
    assert client.get("/same/").content == b""
    assert b"".join(client.head("/stream/").streaming_content) == b""
    assert b"".join(client.get("/stream/").streaming_content) == b"ab"


def test_client_post_form_and_json(serve, client):
    """client.post sends a dict as a form by default, or as JSON with content_type='application/json', with any
    extra headers."""
    serve(echo)
    form = client.post("/", {"name": "Ada"}).json()
    assert form["POST"] == {"name": ["Ada"]}
    sent = client.post("/", {"n": 1}, content_type="application/json", headers={"X-Id": "7"})
    assert json.loads(sent.json()["body"]) == {"n": 1}
    assert sent.wsgi_request.headers["X-Id"] == "7"


@pytest.mark.parametrize(
    "content_type, status",
    [
        ("application/x-www-form-urlencoded", 200),
        ("application/x-www-form-urlencoded; charset=utf-8", 200),
        ("application/x-www-form-urlencoded; charset=latin-1", 400),
        ("application/x-www-form-urlencoded; charset=windows-1252", 400),
    ],
)
def test_a_urlencoded_post_must_be_utf8(serve, client, content_type, status):
    """A form posted with a charset other than UTF-8 gets 400 Bad Request (as in Django), never a form
    silently decoded with that charset."""
    serve(echo)
    response = client.post("/", "name=caf%C3%A9", content_type=content_type)
    assert response.status_code == status, f"a POST with Content-Type {content_type!r} got {response.status_code}"
    if status == 200:
        assert response.json()["POST"] == {"name": ["café"]}
    else:
        assert b"Bad Request (400)" in response.content and b"caf" not in response.content


def test_response_json_refuses_other_content_types(serve, client):
    serve(lambda request: HttpResponse("<p>hi</p>"))
    with pytest.raises(ValueError, match='Content-Type header is "text/html; charset=utf-8", not "application/json"'):
        client.get("/").json()


def test_client_marks_requests_exempt_from_csrf_unless_asked(serve):
    serve(echo)
    assert Client().get("/").wsgi_request._dont_enforce_csrf_checks is True
    assert Client(enforce_csrf_checks=True).get("/").wsgi_request._dont_enforce_csrf_checks is False


# --- cookies ----------------------------------------------------------------


def set_cookies(request):
    response = HttpResponse("ok")
    for name, value in request.GET.items():
        if value == "delete":
            response.delete_cookie(name)
        elif value == "expired":
            response.set_cookie(name, "x", expires="Thu, 01 Jan 1970 00:00:00 GMT")
        else:
            response.set_cookie(name, value, max_age=3600)
    return response


def test_cookie_jar_keeps_cookies_and_deletes_expired_ones(serve, client):
    serve({"/set/": set_cookies, "/echo/": echo})
    client.get("/set/", {"theme": "dark", "lang": "en", "old": "v"})
    assert client.get("/echo/").json()["cookies"] == {"theme": "dark", "lang": "en", "old": "v"}
    client.get("/set/", {"theme": "delete", "old": "expired"})
    assert sorted(client.cookies) == ["lang"], f"client.cookies kept {sorted(client.cookies)} after deletion"
    assert client.get("/echo/").json()["cookies"] == {"lang": "en"}
    assert Client().get("/echo/").json()["cookies"] == {}, "each Client has its own cookie jar"


# --- following redirects (exercise 01.8) ------------------------------------


def redirect_to(location, status=302):
    def view(request):
        response = HttpResponseRedirect(location)
        response.status_code = status
        return response

    return view


REDIRECTS = {
    "/start/": redirect_to("/middle/"),
    "/middle/": redirect_to("end/?step=2"),
    "/middle/end/": echo,
    "/absolute/": redirect_to("http://testserver/echo/"),
    "/port/": redirect_to("http://localhost:8080/echo/"),
    "/secure/": redirect_to("https://testserver/echo/"),
    "/echo/": echo,
    "/same-page/": lambda request: echo(request) if request.GET else redirect_to("?page=2")(request),
    "/loop-a/": redirect_to("/loop-b/"),
    "/loop-b/": redirect_to("/loop-a/"),
    "/permanent/": lambda request: HttpResponsePermanentRedirect("/echo/"),
    "/see-other/": redirect_to("/echo/?via=303", 303),
    "/temporary/": redirect_to("/echo/?via=307", 307),
    "/preserve/": redirect_to("/echo/", 308),
}


@pytest.mark.exercise("01.8")
def test_follow_records_each_hop_and_resolves_relative_locations(serve, client):
    """client.get(url, follow=True) follows redirects, recording each (Location, status) in redirect_chain;
    a relative Location is joined to the path just requested, and its query string is sent."""
    serve(REDIRECTS)
    response = client.get("/start/", follow=True)
    assert response.redirect_chain == [("/middle/", 302), ("end/?step=2", 302)], (
        f"client.get('/start/', follow=True).redirect_chain was {response.redirect_chain}; "
        "expected [('/middle/', 302), ('end/?step=2', 302)]"
    )
    assert response.status_code == 200, (
        f"client.get('/start/', follow=True) ended with status {response.status_code}; expected 200, "
        "the page at the end of the redirects"
    )
    assert response.json()["path"] == "/middle/end/", (
        f"after /middle/ redirected to 'end/?step=2', the request went to {response.json()['path']!r}; "
        "expected '/middle/end/' (a relative Location is joined to the path just requested)"
    )
    assert response.json()["GET"] == {"step": ["2"]}, (
        f"after a redirect to 'end/?step=2', request.GET was {response.json()['GET']!r}; expected "
        "{'step': ['2']} (the Location's query string becomes the new request's data)"
    )


@pytest.mark.exercise("01.8")
def test_follow_handles_absolute_same_page_and_https_locations(serve, client):
    """follow=True takes an absolute Location's path, host, port and https scheme, and reads
    Location '?page=2' as the same page with a new query string."""
    serve(REDIRECTS)
    assert client.get("/absolute/", follow=True).json()["path"] == "/echo/", (
        "after a redirect to 'http://testserver/echo/', the request went to "
        f"{client.get('/absolute/', follow=True).json()['path']!r}; expected '/echo/'"
    )
    assert client.get("/port/", follow=True).json()["host"] == "localhost:8080", (
        "after a redirect to 'http://localhost:8080/echo/', request.get_host() was "
        f"{client.get('/port/', follow=True).json()['host']!r}; expected 'localhost:8080' "
        "(host and port come from Location)"
    )
    secure = client.get("/secure/", follow=True).json()
    assert secure["secure"] is True, (
        f"after a redirect to 'https://testserver/echo/', request.is_secure() was {secure['secure']!r}; expected True"
    )
    same = client.get("/same-page/", follow=True).json()
    assert (same["path"], same["GET"]) == ("/same-page/", {"page": ["2"]}), (
        f"after /same-page/ redirected to '?page=2', the request went to {same['path']!r} with GET {same['GET']!r}; "
        "expected '/same-page/' with {'page': ['2']} (Location '?page=2' means this page)"
    )


@pytest.mark.exercise("01.8")
@pytest.mark.parametrize("path, status", [("/start/", 302), ("/permanent/", 301), ("/see-other/", 303)])
def test_301_302_303_turn_a_post_into_a_get(serve, client, path, status):
    """After a 301, 302 or 303, the client follows with a GET and sends no body, even after a POST."""
    serve(REDIRECTS)
    response = client.post(path, {"name": "Ada"}, follow=True)
    assert response.redirect_chain[0] == (response.redirect_chain[0][0], status), (
        f"client.post({path!r}, follow=True).redirect_chain was {response.redirect_chain!r}; "
        f"expected its first hop to have the status {status}"
    )
    assert response.json()["method"] == "GET", (
        f"after a {status}, client.post({path!r}, follow=True) followed with a {response.json()['method']}; "
        "expected a GET"
    )
    assert response.json()["body"] == "", (
        f"after a {status}, the next request had the body {response.json()['body']!r}; expected none "
        "(the body is not sent again after a 301, 302 or 303)"
    )


@pytest.mark.exercise("01.8")
@pytest.mark.parametrize("path", ["/temporary/", "/preserve/"])
def test_307_and_308_repeat_the_method_and_body(serve, client, path):
    """After a 307 or 308, the client repeats the method and body: a POST stays a POST, a PUT a PUT, a GET a GET."""
    serve(REDIRECTS)
    response = client.post(path, {"name": "Ada"}, follow=True)
    arrived = response.json()
    assert arrived["method"] == "POST", f"client.post({path!r}, follow=True) arrived as {arrived['method']}"
    assert arrived["POST"] == {"name": ["Ada"]}, "307/308 must send the same body again"
    put = client.put(path, "raw", content_type="text/plain", follow=True).json()
    assert (put["method"], put["body"], put["content_type"]) == ("PUT", "raw", "text/plain"), (
        f"client.put({path!r}, 'raw', content_type='text/plain', follow=True) arrived as a {put['method']} "
        f"with the body {put['body']!r} and content type {put['content_type']!r}; expected PUT, 'raw' and 'text/plain'"
    )
    get = client.get(path, {"q": "1"}, follow=True).json()
    assert get["method"] == "GET", f"client.get({path!r}, follow=True) arrived as a {get['method']}; expected GET"


@pytest.mark.exercise("01.8")
def test_follow_works_for_every_method(serve, client):
    """follow=True follows redirects for HEAD, PATCH, DELETE, OPTIONS and TRACE requests too."""
    serve(REDIRECTS)
    for method in ("head", "patch", "delete", "options", "trace"):
        response = getattr(client, method)("/start/", follow=True)
        assert [hop[0] for hop in response.redirect_chain] == ["/middle/", "end/?step=2"], (
            f"client.{method}('/start/', follow=True).redirect_chain was {response.redirect_chain!r}; "
            "expected hops to '/middle/' then 'end/?step=2'"
        )


@pytest.mark.exercise("01.8")
def test_redirect_loops_raise_redirect_cycle_error(serve, client):
    """A redirect loop (a (Location, status) hop seen before) raises RedirectCycleError('Redirect loop detected.'),
    carrying the chain so far and the last response."""
    serve(REDIRECTS)
    with pytest.raises(RedirectCycleError, match="Redirect loop detected.") as caught:
        response = client.get("/loop-a/", follow=True)
        pytest.fail(
            "client.get('/loop-a/', follow=True), with /loop-a/ and /loop-b/ redirecting to each other, returned "
            f"a {response.status_code} after the chain {getattr(response, 'redirect_chain', None)!r}; "
            "expected RedirectCycleError"
        )
    assert caught.value.redirect_chain == [("/loop-b/", 302), ("/loop-a/", 302), ("/loop-b/", 302)], (
        f"the RedirectCycleError's redirect_chain was {caught.value.redirect_chain!r}; expected "
        "[('/loop-b/', 302), ('/loop-a/', 302), ('/loop-b/', 302)]: stop at the first hop seen before"
    )
    assert caught.value.last_response.status_code == 302, (
        f"the RedirectCycleError's last_response has status {caught.value.last_response.status_code}; "
        "expected the last redirect, a 302"
    )


@pytest.mark.exercise("01.8")
def test_endless_redirects_stop_after_20(serve, client):
    """Redirects that go on without repeating a URL raise RedirectCycleError('Too many redirects.') after 20 hops."""
    serve(lambda request: HttpResponseRedirect(request.path + "x/"))
    with pytest.raises(RedirectCycleError, match="Too many redirects.") as caught:
        response = client.get("/", follow=True)
        pytest.fail(
            "client.get('/', follow=True), where every page redirects to a longer path, returned a "
            f"{response.status_code}; expected RedirectCycleError('Too many redirects.')"
        )
    assert len(caught.value.redirect_chain) == 21, (
        f"RedirectCycleError came with {len(caught.value.redirect_chain)} hops in its redirect_chain; expected 21 "
        "(raise when a 21st redirect arrives)"
    )


@pytest.mark.exercise("01.8")
def test_no_follow_returns_the_redirect_itself(serve, client):
    """Without follow=True the client returns the redirect itself; with it, a response that is not a redirect
    gets an empty redirect_chain."""
    serve(REDIRECTS)
    response = client.get("/start/")
    assert response.status_code == 302 and not hasattr(response, "redirect_chain"), (
        f"client.get('/start/') without follow returned a {response.status_code} with redirect_chain "
        f"{getattr(response, 'redirect_chain', '(none)')!r}; expected the 302 itself, without a redirect_chain"
    )
    followed = client.get("/echo/", follow=True)
    assert followed.redirect_chain == [], "a response that is not a redirect gets an empty redirect_chain"


# --- exceptions -------------------------------------------------------------


def test_client_reraises_the_views_exception_unless_told_not_to(serve):
    class Boom(Exception):
        pass

    def view(request):
        raise Boom("kaboom")

    serve(view)
    with pytest.raises(Boom, match="kaboom"):
        Client().get("/")
    response = Client(raise_request_exception=False).get("/")
    assert response.status_code == 500
    assert response.wsgi_request.path == "/"


def test_client_does_not_raise_for_4xx_exceptions(serve, client):
    serve({})
    assert client.get("/nowhere/").status_code == 404


# --- SimpleTestCase ---------------------------------------------------------


@pytest.fixture
def case(serve):
    serve({**REDIRECTS, "/page/": lambda request: HttpResponse('<p class="a"  id="x">Hi <b>there</b></p><b>there</b>'),
           "/external/": redirect_to("https://example.org/"), "/broken/": redirect_to("/nowhere/")})
    case = SimpleTestCase()
    case.client = Client()
    return case


def test_assert_contains_counts_text(case):
    response = case.client.get("/page/")
    case.assertContains(response, "Hi")
    case.assertContains(response, b"there", count=2)
    case.assertNotContains(response, "absent")
    with pytest.raises(AssertionError, match="Couldn't find 'absent' in the following response"):
        case.assertContains(response, "absent")
    with pytest.raises(AssertionError, match=r"Found 2 instances of 'there' \(expected 1\)"):
        case.assertContains(response, "there", count=1)
    with pytest.raises(AssertionError, match="'Hi' unexpectedly found in the following response"):
        case.assertNotContains(response, "Hi")
    with pytest.raises(AssertionError, match=r"page: Couldn't retrieve content: Response code was 200 \(expected 404\)"):
        case.assertContains(response, "Hi", status_code=404, msg_prefix="page")


def test_assert_contains_html_ignores_formatting(case):
    response = case.client.get("/page/")
    case.assertContains(response, '<p id="x" class="a">Hi <b>there</b></p>', html=True)
    case.assertContains(response, "<b>there</b>", count=2, html=True)
    case.assertNotContains(response, "<b>the</b>", html=True)
    case.assertNotContains(response, "   ", html=True)


def test_assert_contains_reads_streaming_responses(case, serve):
    serve(lambda request: StreamingHttpResponse(["chunk one, ", "chunk two"]))
    case.assertContains(case.client.get("/"), "chunk two")


@pytest.mark.exercise("01.8")
def test_assert_redirects(case):
    """SimpleTestCase.assertRedirects checks a response's redirect target and statuses, fetching the target
    unless told not to, and says plainly what differs."""
    case.assertRedirects(case.client.get("/permanent/"), "/echo/", status_code=301)
    case.assertRedirects(case.client.get("/start/", follow=True), "end/?step=2")
    case.assertRedirects(case.client.get("/middle/"), "/middle/end/?step=2")
    case.assertRedirects(case.client.get("/start/"), "/middle/", target_status_code=302)
    case.assertRedirects(case.client.get("/external/"), "https://example.org/", fetch_redirect_response=False)
    with pytest.raises(AssertionError, match=r"Response didn't redirect as expected: Response code was 200 \(expected 302\)"):
        case.assertRedirects(case.client.get("/echo/"), "/echo/")
    with pytest.raises(AssertionError, match=r"Response redirected to '/middle/', expected '/elsewhere/'"):
        case.assertRedirects(case.client.get("/start/"), "/elsewhere/", fetch_redirect_response=False)
    with pytest.raises(AssertionError, match=r"Couldn't retrieve redirection page '/nowhere/': response code was 404"):
        case.assertRedirects(case.client.get("/broken/"), "/nowhere/")
    with pytest.raises(ValueError, match="unable to fetch remote URLs .got https://example.org/."):
        case.assertRedirects(case.client.get("/external/"), "https://example.org/")
    with pytest.raises(AssertionError, match=r"Initial response didn't redirect as expected: Response code was 302 \(expected 301\)"):
        case.assertRedirects(case.client.get("/start/", follow=True), "end/?step=2", status_code=301)
    with pytest.raises(AssertionError, match=r"broken: Response redirected to '/nowhere/', expected '/x/'"):
        case.assertRedirects(case.client.get("/broken/"), "/x/", msg_prefix="broken", target_status_code=404)
    with pytest.raises(AssertionError, match=r"Final Response code was 404 \(expected 200\)"):
        case.assertRedirects(case.client.get("/broken/", follow=True), "/nowhere/")
    with pytest.raises(AssertionError, match=r"Response didn't redirect as expected: Response code was 200"):
        case.assertRedirects(case.client.get("/echo/", follow=True), "/echo/")


def test_assert_url_equal_ignores_query_order(case):
    case.assertURLEqual("/a/?x=1&y=2", "/a/?y=2&x=1")
    with pytest.raises(AssertionError, match="Expected '/a/.a=1&a=2' to equal '/a/.a=2&a=1'"):
        case.assertURLEqual("/a/?a=1&a=2", "/a/?a=2&a=1")


@override_settings(DEFAULT_CHARSET="latin-1")
class TestSimpleTestCaseSetup(SimpleTestCase):
    """A real SimpleTestCase, run by pytest: a client per test, class-wide settings."""

    def setUp(self):  # deliberately not calling super().setUp()
        self.greeting = "hi"

    def test_has_a_client_and_the_overridden_settings(self):
        from tinyframe.conf import settings

        self.assertIsInstance(self.client, Client)
        self.assertEqual(settings.DEFAULT_CHARSET, "latin-1")
        self.assertContains(self.client.get("/"), "tinyframe is running")
