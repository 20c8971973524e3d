"""CommonMiddleware: forbidden user agents, APPEND_SLASH and PREPEND_WWW redirects, Content-Length.

The expected responses were checked against Django 5.2 with the same URLs and settings.
"""

import re
from urllib.parse import urljoin, urlsplit

import pytest

from tinyframe.http import Http404, HttpResponse, HttpResponseNotFound, StreamingHttpResponse
from tinyframe.middleware.common import CommonMiddleware
from tinyframe.test import Client, RequestFactory
from tinyframe.urls import path
from tinyframe.views.decorators.common import no_append_slash

COMMON = "tinyframe.middleware.common.CommonMiddleware"


def ok(request, **kwargs):
    return HttpResponse("ok")


def not_found(request):
    raise Http404("no such page")


URLS = [
    path("posts/hello/", ok),
    path("gone", not_found),
    path("gone/", ok),
    path("noslash", ok),
    path("deep/<path:rest>/", ok),
    path("optout/", no_append_slash(ok)),
    path("stream/", lambda request: StreamingHttpResponse([b"a", b"b"])),
]


@pytest.fixture
def client(serve):
    return serve(URLS, middleware=[COMMON], DISALLOWED_USER_AGENTS=[re.compile("EvilBot"), "Crawler/[0-9]"])


@pytest.fixture
def urls(module, use_settings):
    """URLS as the ROOT_URLCONF, for tests that call CommonMiddleware directly (no chain, no client)."""
    use_settings(ROOT_URLCONF=module(urlpatterns=URLS), DEBUG=False)


def not_found_view(request):
    """The layer inside CommonMiddleware, answering 404 as a view would for a path it does not know."""
    return HttpResponseNotFound("not found")


# APPEND_SLASH, one middleware alone --------------------------------------------------------------------------

@pytest.mark.exercise("05.4")
@pytest.mark.parametrize("url, expected", [
    ("/posts/hello", True),
    ("/deep//evil.example/x", True),
    ("/missing", False),
    ("/noslash", False),
    ("/posts/hello/", False),
    ("/optout", False),
    ("/gone", False),
])
def test_should_redirect_with_slash(urls, rf, url, expected):
    """True only for a path without a view whose slash-appended path has one (that allows it)."""
    found = CommonMiddleware(not_found_view).should_redirect_with_slash(rf.get(url))
    assert found is expected, (
        f"should_redirect_with_slash(request for {url}) returned {found!r}; expected {expected!r}"
    )


@pytest.mark.exercise("05.4")
def test_should_redirect_with_slash_is_false_without_append_slash(urls, rf, use_settings):
    """APPEND_SLASH = False: no redirect, even where the slash-appended path has a view."""
    use_settings(APPEND_SLASH=False)
    found = CommonMiddleware(not_found_view).should_redirect_with_slash(rf.get("/posts/hello"))
    assert found is False, f"with APPEND_SLASH=False, should_redirect_with_slash for /posts/hello returned {found!r}"


@pytest.mark.exercise("05.4")
@pytest.mark.parametrize("url, status, location", [
    ("/posts/hello", 301, "/posts/hello/"),
    ("/posts/hello?a=1&b=%C3%A9", 301, "/posts/hello/?a=1&b=%C3%A9"),
    ("/missing", 404, None),
    ("/optout", 404, None),
])
def test_the_middleware_redirects_a_404_to_the_slash_url(urls, rf, url, status, location):
    """Called directly, CommonMiddleware turns a 404 into a redirect where should_redirect_with_slash agrees."""
    response = CommonMiddleware(not_found_view)(rf.get(url))
    assert (response.status_code, response.get("Location")) == (status, location), (
        f"CommonMiddleware(a view answering 404)(GET {url}) returned {response.status_code} with Location "
        f"{response.get('Location')!r}; expected {status} and {location!r}"
    )


@pytest.mark.exercise("05.4")
def test_a_post_that_would_lose_its_body_raises_in_debug(urls, rf, use_settings):
    """With DEBUG on, CommonMiddleware refuses to redirect a POST to the slash URL (its data would be lost)."""
    use_settings(DEBUG=True)
    with pytest.raises(RuntimeError, match="You called this URL via POST"):
        CommonMiddleware(not_found_view)(rf.post("/posts/hello", {"title": "x"}))


# APPEND_SLASH in a site: the chain around the middleware -----------------------------------------------------

@pytest.mark.exercise("05.4", "05.7")
@pytest.mark.parametrize("url, status, location", [
    ("/posts/hello", 301, "/posts/hello/"),
    ("/posts/hello?a=1&b=%C3%A9", 301, "/posts/hello/?a=1&b=%C3%A9"),
    ("/deep//evil.example/x", 301, "/deep//evil.example/x/"),
    ("/missing", 404, None),
    ("/noslash", 200, None),
    ("/posts/hello/", 200, None),
    ("/optout", 404, None),
    ("/gone", 404, None),
])
def test_append_slash(client, url, status, location):
    """A 404 is redirected to the slash-appended path only when the path has no view and that one has (and allows it)."""
    response = client.get(url)
    assert (response.status_code, response.get("Location")) == (status, location), (
        f"GET {url} answered {response.status_code} with Location {response.get('Location')!r}; "
        f"expected {status} and {location!r}"
    )


@pytest.mark.exercise("05.4", "05.7")
@pytest.mark.parametrize("url, location", [
    # The client reads "//evil.example" as a host, so four slashes make the path "//evil.example", as in
    # Django's own test of this. Its slash URL "//evil.example/" would be a scheme-relative URL: another host.
    ("////evil.example", "/%2Fevil.example/"),
    ("////evil.example/x?next=1", "/%2Fevil.example/x/?next=1"),
    ("///\\evil.example", "/%5Cevil.example/"),  # a browser reads "/\\" as "//", but not "/%5C"
])
def test_append_slash_never_redirects_to_another_host(serve, url, location):
    """A path starting with '//' keeps its redirect on this site: the Location is '/%2F...', never '//host/'."""
    client = serve([path("<path:rest>/", ok)], middleware=[COMMON])
    response = client.get(url)
    got = (response.status_code, response.get("Location"))
    assert got == (301, location), f"GET {url} answered {got[0]} with Location {got[1]!r}; expected 301 and {location!r}"
    target = urlsplit(urljoin("http://testserver/some/page", response["Location"]))
    assert target.netloc == "testserver", (
        f"GET {url} redirected to {response['Location']!r}, which a browser follows to the host {target.netloc!r}"
    )


@pytest.mark.exercise("05.4", "05.7")
def test_append_slash_can_be_turned_off(serve):
    """APPEND_SLASH = False: the path without its slash is simply not found."""
    client = serve(URLS, middleware=[COMMON], APPEND_SLASH=False)
    response = client.get("/posts/hello")
    assert response.status_code == 404, f"with APPEND_SLASH=False, GET /posts/hello answered {response.status_code}"


@pytest.mark.exercise("05.4")
def test_should_redirect_with_slash_uses_the_requests_urlconf(module, use_settings):
    """A request.urlconf set by a middleware is the one consulted, not ROOT_URLCONF."""
    use_settings(ROOT_URLCONF=module(urlpatterns=[]))
    request = RequestFactory().get("/elsewhere")
    request.urlconf = module(urlpatterns=[path("elsewhere/", ok)])
    middleware = CommonMiddleware(HttpResponse)
    assert middleware.should_redirect_with_slash(request) is True, (
        "should_redirect_with_slash(request) for /elsewhere, with /elsewhere/ only in request.urlconf, "
        "returned False; expected True"
    )
    assert middleware.should_redirect_with_slash(RequestFactory().get("/elsewhere")) is False


@pytest.mark.exercise("05.4", "05.7")
def test_a_post_that_would_lose_its_body_is_an_error_in_debug(serve):
    """With DEBUG on, redirecting a POST to the slash URL would drop its data: a RuntimeError reaches the client."""
    serve(URLS, middleware=[COMMON], DEBUG=True)
    with pytest.raises(RuntimeError) as raised:
        Client().post("/posts/hello", {"title": "x"})
    expected = (
        "You called this URL via POST, but the URL doesn't end in a slash and you have APPEND_SLASH set. "
        "tinyframe can't redirect to the slash URL while maintaining POST data. Change your form to point to "
        "testserver/posts/hello/ (note the trailing slash), or set APPEND_SLASH=False in your settings."
    )
    assert str(raised.value) == expected, f"the error said {str(raised.value)!r}; expected {expected!r}"


@pytest.mark.exercise("05.4", "05.7")
def test_a_post_is_redirected_without_debug(client):
    """Without DEBUG, a POST is redirected like any request (the browser will GET the new URL)."""
    response = client.post("/posts/hello")
    assert (response.status_code, response["Location"]) == (301, "/posts/hello/")


@pytest.mark.exercise("05.7")
@pytest.mark.parametrize("user_agent, status", [
    ("EvilBot 1.0", 403), ("Mozilla Crawler/2", 403), ("Mozilla/5.0", 200), ("Crawler/x", 200),
])
def test_disallowed_user_agents_are_forbidden(client, user_agent, status):
    """A User-Agent matching a regex of DISALLOWED_USER_AGENTS (compiled, or a string) gets a 403."""
    response = client.get("/posts/hello/", headers={"user-agent": user_agent})
    assert response.status_code == status, f"User-Agent {user_agent!r} got {response.status_code}; expected {status}"


@pytest.mark.exercise("05.4", "05.7")
@pytest.mark.parametrize("url, host, secure, location", [
    ("/posts/hello", "example.com", False, "http://www.example.com/posts/hello/"),
    ("/posts/hello/?q=1", "example.com", False, "http://www.example.com/posts/hello/?q=1"),
    ("/posts/hello/", "example.com:8443", True, "https://www.example.com:8443/posts/hello/"),
    ("/posts/hello/", "www.example.com", False, None),
])
def test_prepend_www(serve, url, host, secure, location):
    """PREPEND_WWW redirects to www. (appending the slash in the same redirect) and keeps the scheme and port."""
    client = serve(URLS, middleware=[COMMON], PREPEND_WWW=True, ALLOWED_HOSTS=[".example.com"])
    response = client.get(url, secure=secure, headers={"host": host})
    assert response.get("Location") == location, (
        f"GET {url} for host {host} redirected to {response.get('Location')!r}; expected {location!r}"
    )
    assert response.status_code == (301 if location else 200)


@pytest.mark.exercise("05.7")
def test_a_disallowed_host_is_refused_before_the_layers_inside(serve):
    """CommonMiddleware checks the Host, so a forged one never reaches the middleware inside it."""
    seen = []

    def inner(get_response):
        def middleware(request):
            seen.append(request.path)
            return get_response(request)

        return middleware

    client = serve(URLS, middleware=[COMMON, inner])
    response = client.get("/posts/hello/", headers={"host": "evil.example"})
    assert (response.status_code, seen) == (400, []), (response.status_code, seen)


@pytest.mark.exercise("05.7")
@pytest.mark.parametrize("url", ["/posts/hello/", "/missing"])
def test_content_length_is_set(client, url):
    """Responses that are not streamed get Content-Length, error pages included."""
    response = client.get(url)
    assert response.get("Content-Length") == str(len(response.content)), (
        f"GET {url}: Content-Length {response.get('Content-Length')!r} for {len(response.content)} bytes of content"
    )


@pytest.mark.exercise("05.7")
def test_a_streaming_response_gets_no_content_length(client):
    """A streamed response has no length to tell before it is sent."""
    response = client.get("/stream/")
    assert "Content-Length" not in response, f"a streamed response got Content-Length {response['Content-Length']!r}"


@pytest.mark.exercise("05.2")
def test_an_existing_content_length_is_kept(rf):
    """A view that set Content-Length itself keeps it."""
    response = HttpResponse("abc")
    response["Content-Length"] = "99"
    result = CommonMiddleware(lambda request: response)(rf.get("/posts/hello/"))
    assert result["Content-Length"] == "99"


@pytest.mark.exercise("05.4", "05.7")
def test_a_redirect_class_can_be_swapped(serve, module):
    """A subclass may redirect with 302 instead of 301 (response_redirect_class)."""
    from tinyframe.http import HttpResponseRedirect

    class Temporary(CommonMiddleware):
        response_redirect_class = HttpResponseRedirect

    client = serve(URLS, middleware=[Temporary])
    assert client.get("/posts/hello").status_code == 302


def test_no_append_slash_keeps_the_view_working():
    """@no_append_slash marks the wrapper, keeping the view's name and behaviour."""
    view = no_append_slash(ok)
    assert (view.should_append_slash, view.__name__, view(None).content) == (False, "ok", b"ok")
    assert not hasattr(ok, "should_append_slash")
