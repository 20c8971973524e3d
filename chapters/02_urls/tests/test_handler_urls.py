"""The handler dispatches through the root URLconf: views, 404s, error handlers and DEBUG pages, end to end."""

import io
import logging
import sys
import textwrap

import pytest

from tinyframe.core.exceptions import BadRequest, ImproperlyConfigured, PermissionDenied, SuspiciousOperation
from tinyframe.core.handlers.wsgi import WSGIHandler
from tinyframe.core.management import CommandError, call_command
from tinyframe.core.management.commands import runserver
from tinyframe.core.wsgi import get_wsgi_application
from tinyframe.http import Http404, HttpResponse, JsonResponse
from tinyframe.test import Client, override_settings
from tinyframe.urls import clear_script_prefix, get_script_prefix, get_urlconf, include, path, re_path, reverse
from tinyframe.views import View


def article(request, year, slug):
    return JsonResponse({"year": year, "slug": slug, "year_type": type(year).__name__})


def missing(request, slug):
    raise Http404(f"No post <b>{slug}</b>")


def forbidden(request):
    raise PermissionDenied("staff only")


def bad(request):
    raise BadRequest("bad input")


def suspicious(request):
    raise SuspiciousOperation("odd input")


def broken(request):
    raise RuntimeError("password=hunter2")


def links(request, slug):
    """Build URLs with reverse(), as templates and redirects do."""
    return HttpResponse(f"{reverse('blog:detail', kwargs={'slug': slug})} {get_urlconf()}")


class Gone:
    """A view that is an instance with __call__, not a function."""

    def __call__(self, request):
        raise Http404("gone for good")


class Archive(View):
    def get(self, request, year):
        return HttpResponse(f"archive {year}")


def site_patterns() -> list:
    """The site's URLconf, made for each test: path() needs exercise 02.2, so not at import time."""
    blog = [path("<slug:slug>/", links, name="detail")]
    return [
        path("articles/<int:year>/<slug:slug>/", article, name="article"),
        path("archive/<int:year>/", Archive.as_view(), name="archive"),
        path("missing/<slug:slug>/", missing, name="missing"),
        path("forbidden/", forbidden),
        path("bad/", bad),
        path("suspicious/", suspicious),
        path("broken/", broken),
        path("gone/", Gone()),
        re_path(r"^legacy/(?P<page>[0-9]+)\.html$", lambda request, page: HttpResponse(page)),
        path("blog/", include((blog, "blog"))),
    ]


@pytest.fixture
def site(root_urlconf):
    """``site(**module_attributes)``: serve site_patterns() (plus handler404... if given) as ROOT_URLCONF."""
    return lambda **module_attributes: root_urlconf(site_patterns(), **module_attributes)


# --- dispatch -------------------------------------------------------------------


def test_the_view_gets_the_converted_arguments(site):
    """/articles/2024/hello/ calls the view with year=2024 (an int) and slug='hello'."""
    site()
    response = Client().get("/articles/2024/hello/")
    assert response.status_code == 200, f"GET /articles/2024/hello/ answered {response.status_code}; expected 200"
    assert response.json() == {"year": 2024, "slug": "hello", "year_type": "int"}, (
        f"the view received {response.json()}; expected year=2024 as an int and slug='hello'"
    )


def test_class_based_views_and_regex_patterns_are_dispatched(site):
    """A View's as_view() and a re_path() with a named group answer through the URLconf."""
    site()
    client = Client()
    assert client.get("/archive/1999/").content == b"archive 1999"
    assert client.post("/archive/1999/").status_code == 405, "the view has no post(): 405"
    assert client.get("/legacy/12.html").content == b"12"


def test_the_response_carries_the_resolver_match(site):
    """response.resolver_match (and request.resolver_match) say which pattern answered."""
    site()
    response = Client().get("/articles/2024/hello/")
    match = response.resolver_match
    assert match is response.wsgi_request.resolver_match
    assert (match.func, match.kwargs, match.url_name) == (article, {"year": 2024, "slug": "hello"}, "article")


def test_reverse_inside_a_view_uses_the_request_urlconf(site):
    """reverse() in a view builds URLs from the URLconf serving the request; it is reset afterwards."""
    name = site()
    response = Client().get("/blog/hello/")
    assert response.content.decode() == f"/blog/hello/ {name}", (
        f"a view calling reverse('blog:detail', kwargs={{'slug': 'hello'}}) and get_urlconf() answered "
        f"{response.content.decode()!r}; expected '/blog/hello/ {name}'"
    )
    assert get_urlconf() is None, "after the request, the thread's URLconf must be reset"


# The handler answers a stub's NotImplementedError with a 500 page that does not
# name the exercise, so tests that call it directly (or ask for no exception) are
# marked with what they reach: resolving (02.5), and reverse() (02.7).
@pytest.mark.exercise("02.5")
def test_a_urlconf_set_on_the_request_wins(urlconf, call_wsgi):
    """A request.urlconf (as a middleware sets it) replaces ROOT_URLCONF for that request."""
    special = urlconf([path("", lambda request: HttpResponse(f"special {get_urlconf()}"))])

    class PerRequestHandler(WSGIHandler):
        def resolve_request(self, request):
            request.urlconf = special
            return super().resolve_request(request)

    with override_settings(ROOT_URLCONF=urlconf([])):
        status, body = call_wsgi(PerRequestHandler(), "/")
    assert (status, body) == ("200 OK", f"special {special}".encode())


@override_settings(DEBUG=True)
def test_the_debug_404_names_the_urlconf_set_on_the_request(urlconf, call_wsgi):
    """The DEBUG 404 page names the URLconf the request used, even one given as a module object."""
    special = sys.modules[urlconf([path("here/", lambda request: HttpResponse("here"))])]

    class PerRequestHandler(WSGIHandler):
        def resolve_request(self, request):
            request.urlconf = special
            return super().resolve_request(request)

    with override_settings(ROOT_URLCONF=urlconf([])):
        status, body = call_wsgi(PerRequestHandler(), "/nowhere/")
    assert status == "404 Not Found" and f"<code>{special.__name__}</code>".encode() in body, body.decode()


# --- a site mounted under a prefix (SCRIPT_NAME) ----------------------------------


@pytest.fixture
def mounted(site):
    """Serve site_patterns(); afterwards, forget the script prefix the requests left in this thread."""
    site()
    yield
    clear_script_prefix()


def test_reverse_inside_a_view_starts_with_the_script_name(mounted):
    """Under SCRIPT_NAME=/mysite, the view is found from path_info and its reverse() starts with /mysite/."""
    response = Client().get("/blog/hello/", SCRIPT_NAME="/mysite")
    url = response.content.decode().split()[0]
    assert response.status_code == 200 and url == "/mysite/blog/hello/", (
        f"GET /blog/hello/ with SCRIPT_NAME='/mysite' answered {response.status_code} and a view's "
        f"reverse('blog:detail', kwargs={{'slug': 'hello'}}) gave {url!r}; expected 200 and '/mysite/blog/hello/'"
    )
    request = response.wsgi_request
    assert (request.path, request.path_info) == ("/mysite/blog/hello/", "/blog/hello/")
    assert response.resolver_match.route == "blog/<slug:slug>/", "dispatch must ignore the script name"


@pytest.mark.exercise("02.5", "02.7")
def test_the_wsgi_handler_sets_the_script_prefix_from_the_environ(mounted, call_wsgi):
    """A server's SCRIPT_NAME (UTF-8 bytes as latin-1, per PEP 3333) is decoded once, then percent-encoded."""
    status, body = call_wsgi(WSGIHandler(), "/blog/hello/", SCRIPT_NAME="/m\xc3\xbcnchen")
    assert (status, body.split()[0]) == ("200 OK", b"/m%C3%BCnchen/blog/hello/"), (
        f"a view's reverse() under SCRIPT_NAME='/münchen' gave {status!r}, {body!r}; "
        "expected '200 OK' and '/m%C3%BCnchen/blog/hello/'"
    )
    assert get_script_prefix() == "/münchen/"


def test_each_request_sets_its_own_script_prefix(mounted):
    """A request without SCRIPT_NAME after one with it links from the root again."""
    client = Client()
    client.get("/blog/hello/", SCRIPT_NAME="/mysite")
    url = client.get("/blog/hello/").content.decode().split()[0]
    assert url == "/blog/hello/", f"the second request's reverse() gave {url!r}; expected '/blog/hello/'"
    assert get_script_prefix() == "/"


def test_without_a_urlconf_every_path_is_the_welcome_page():
    """With ROOT_URLCONF unset, the chapter 01 welcome page still answers every path."""
    response = Client().get("/anything/")
    assert response.status_code == 200 and b"The install worked successfully" in response.content


# --- 404s -----------------------------------------------------------------------


@pytest.mark.parametrize("url, why", [
    ("/nowhere/", "no pattern matches"),
    ("/articles/20x4/hello/", "the int converter rejects '20x4'"),
    ("/articles/2024/hello", "the route ends with a slash"),
    ("/%FF/", "the path is not valid UTF-8"),
    ("/blog/", "the include matches but none of its patterns does"),
])
def test_no_match_is_a_404_never_a_500(site, url, why):
    """A path that matches no pattern is a 404: the handler never fails with a 500."""
    site()
    response = Client().get(url)
    assert response.status_code == 404, f"GET {url} answered {response.status_code}; expected 404 ({why})"
    assert response.resolver_match is None


def test_a_404_is_logged_as_a_warning(site, caplog):
    """A 404 is logged once, as 'Not Found: /path', on tinyframe.request."""
    site()
    with caplog.at_level(logging.WARNING, logger="tinyframe.request"):
        Client().get("/nowhere/")
    assert [record.getMessage() for record in caplog.records] == ["Not Found: /nowhere/"]


@pytest.mark.exercise("02.5")
def test_without_debug_error_pages_leak_nothing(site):
    """Without DEBUG, the 404 and 500 pages name no pattern, view, message or traceback."""
    site()
    client = Client(raise_request_exception=False)
    not_found = client.get("/missing/secret-slug/").content.decode()
    no_match = client.get("/nowhere/").content.decode()
    server_error = client.get("/broken/").content.decode()
    for page, name in [(not_found, "404 raised by a view"), (no_match, "404 for no match"),
                       (server_error, "500")]:
        for secret in ("secret-slug", "articles/", "missing", "hunter2", "RuntimeError", "Traceback",
                       "test_handler_urls"):
            assert secret not in page, f"the {name} page shows {secret!r} without DEBUG:\n{page}"
    assert "<h1>Not Found</h1>" in not_found and "<h1>Server Error (500)</h1>" in server_error


# --- error handlers from the URLconf ----------------------------------------------


def custom_404(request, exception):
    return HttpResponse(f"custom 404 for {request.path}", status=404)


def custom_500(request):
    return HttpResponse("custom 500", status=500)


def custom_403(request, exception):
    return HttpResponse(f"custom 403: {exception}", status=403)


def custom_400(request, exception):
    return HttpResponse(f"custom 400: {exception}", status=400)


def test_handler404_from_the_urlconf(site):
    """handler404 in the root URLconf answers both no match and Http404 from a view."""
    site(handler404=custom_404)
    client = Client()
    for url in ("/nowhere/", "/missing/x/"):
        response = client.get(url)
        assert (response.status_code, response.content.decode()) == (404, f"custom 404 for {url}"), (
            f"GET {url} with handler404 = custom_404 answered {response.status_code} {response.content!r}"
        )


def test_handler500_from_the_urlconf_named_by_dotted_path(site):
    """handler500 may be a dotted path; it answers an exception in a view when DEBUG is off."""
    site(handler500=f"{__name__}.custom_500")
    response = Client(raise_request_exception=False).get("/broken/")
    assert (response.status_code, response.content) == (500, b"custom 500")


def test_handler403_and_handler400_from_the_urlconf(site):
    """handler403 answers PermissionDenied; handler400 answers BadRequest and SuspiciousOperation."""
    site(handler403=custom_403, handler400=custom_400)
    client = Client()
    assert client.get("/forbidden/").content == b"custom 403: staff only"
    assert client.get("/bad/").content == b"custom 400: bad input"
    assert client.get("/suspicious/").content == b"custom 400: odd input"


def test_default_error_views_answer_without_handlers(site):
    """Without handlerNNN, tinyframe.views.defaults answers with the plain pages."""
    site()
    client = Client()
    assert b"<h1>403 Forbidden</h1>" in client.get("/forbidden/").content
    assert b"<h1>Bad Request (400)</h1>" in client.get("/bad/").content


def raising_404(request, exception):
    raise ValueError("the 404 handler is broken")


def raising_500(request):
    raise ValueError("the 500 handler is broken")


def test_a_broken_error_handler_is_a_500_not_a_crash(site, caplog):
    """A handler404 that raises gives a 500; a handler500 that raises too gives the plain 500 page."""
    site(handler404=raising_404, handler500=raising_500)
    response = Client(raise_request_exception=False).get("/nowhere/")
    assert response.status_code == 500, f"a broken handler404 gave {response.status_code}; expected 500"
    assert b"<h1>Server Error (500)</h1>" in response.content
    assert "The handler500 view raised an exception" in caplog.text
    with pytest.raises(ValueError, match="the 404 handler is broken"):
        Client().get("/nowhere/")


# --- DEBUG pages ------------------------------------------------------------------


@override_settings(DEBUG=True)
def test_debug_404_lists_the_patterns_tried_in_order(site):
    """With DEBUG, a 404 lists every pattern tried, in order, and the path that matched none."""
    name = site()
    response = Client().get("/nowhere/")
    page = response.content.decode()
    assert response.status_code == 404
    expected = ["articles/&lt;int:year&gt;/&lt;slug:slug&gt;/ [name=&#x27;article&#x27;]",
                "archive/&lt;int:year&gt;/", "missing/&lt;slug:slug&gt;/", "forbidden/", "bad/", "suspicious/",
                "broken/", r"^legacy/(?P&lt;page&gt;[0-9]+)\.html$", "blog/"]
    positions = [page.find(text) for text in expected]
    assert -1 not in positions and positions == sorted(positions), (
        f"the DEBUG 404 page should list the patterns tried in order; found them at {positions} "
        f"(-1: missing) in:\n{page}"
    )
    assert f"<code>{name}</code>" in page, "the page names the URLconf"
    assert "The current path, <code>nowhere/</code>, didn't match any of these." in page
    assert "DEBUG = True" in page


@override_settings(DEBUG=True)
def test_debug_404_lists_the_patterns_inside_an_include(site):
    """A pattern tried inside an include shows after the include's prefix."""
    site()
    page = Client().get("/blog/a/b/").content.decode()
    assert "<code>blog/</code> <code>&lt;slug:slug&gt;/ [name=&#x27;detail&#x27;]</code>" in page, page


@override_settings(DEBUG=True)
def test_debug_404_escapes_the_path(site):
    """A <script> in the path appears on the DEBUG 404 page only escaped."""
    site()
    page = Client().get("/<script>alert(1)</script>/").content.decode()
    assert "<script>" not in page, f"the DEBUG 404 page shows a raw <script> from the path:\n{page}"
    assert "&lt;script&gt;alert(1)&lt;/script&gt;/" in page


@override_settings(DEBUG=True)
def test_debug_404_from_a_view_shows_the_message_and_the_view(site):
    """With DEBUG, Http404 raised by a view shows its message (escaped) and which view raised it."""
    site()
    page = Client().get("/missing/hello/").content.decode()
    assert "No post &lt;b&gt;hello&lt;/b&gt;" in page and "<b>" not in page, page
    assert f"{__name__}.missing" in page, "the page names the view that raised Http404"
    assert f"{__name__}.Gone" in Client().get("/gone/").content.decode(), "a callable instance is named by its class"
    assert "matched the last one." in page


@override_settings(DEBUG=True)
def test_debug_404_escapes_the_names_of_views_and_urlconfs(urlconf):
    """Names from the project are escaped too: a view made inside a function is 'make.<locals>.view'."""
    import types

    from tinyframe.urls import clear_url_caches

    def make():
        def view(request):
            raise Http404("not here")

        return view

    generated = types.ModuleType("<generated urls>")  # (the urlconf fixture forgets its resolver afterwards)
    generated.urlpatterns = [path("inner/", make())]
    with override_settings(ROOT_URLCONF=generated):
        for url in ("/inner/", "/elsewhere/"):
            page = Client().get(url).content.decode()
            assert "<locals>" not in page and "<generated urls>" not in page, f"GET {url}: a raw name on the page:\n{page}"
        assert "make.&lt;locals&gt;.view" in Client().get("/inner/").content.decode()
        assert "<code>&lt;generated urls&gt;</code>" in page
        generated.urlpatterns = []  # a new project's welcome page names the URLconf too
        clear_url_caches()
        page = Client().get("/").content.decode()
        assert "&lt;generated urls&gt;" in page and "<generated urls>" not in page, page


@override_settings(DEBUG=True)
def test_debug_keeps_the_technical_500_page(site):
    """With DEBUG, an exception in a view shows the traceback page, even when handler500 is set."""
    site(handler500=custom_500)
    response = Client(raise_request_exception=False).get("/broken/")
    assert response.status_code == 500 and b"Traceback" in response.content and b"custom 500" not in response.content


@pytest.mark.parametrize("debug, status, text", [
    (True, 200, b"you have\n  not configured any URLs"),
    (False, 404, b"<h1>Not Found</h1>"),
])
def test_an_empty_urlconf(urlconf, debug, status, text):
    """An empty URLconf welcomes a new project with DEBUG on, and is a plain 404 otherwise."""
    with override_settings(DEBUG=debug, ROOT_URLCONF=urlconf([])):
        response = Client().get("/")
    assert response.status_code == status and text in response.content, response.content.decode()


# --- start-up ----------------------------------------------------------------------


@pytest.fixture
def project(tmp_path, monkeypatch):
    """Write a URLconf module ``name`` with ``source``; return its dotted name."""

    def write(name: str, source: str) -> str:
        (tmp_path / f"{name}.py").write_text(textwrap.dedent(source), encoding="utf-8")
        return name

    monkeypatch.syspath_prepend(str(tmp_path))
    return write


@pytest.mark.parametrize("module, route", [
    ("unknown_converter_urls", "articles/<year:int>/"),
    ("unclosed_urls", "articles/<int:year/"),
])
def test_an_invalid_pattern_fails_at_start_up(project, module, route):
    """An invalid route raises ImproperlyConfigured naming it when the application is created."""
    name = project(module, f"""
        from tinyframe.http import HttpResponse
        from tinyframe.urls import path
        urlpatterns = [path({route!r}, lambda request: HttpResponse("never"))]
    """)
    with override_settings(ROOT_URLCONF=name):
        with pytest.raises(ImproperlyConfigured) as caught:
            get_wsgi_application()
    assert route in str(caught.value), (
        f"get_wsgi_application() with the route {route!r} raised {caught.value!r}; the message must name the route"
    )


def test_an_invalid_regex_fails_at_start_up(project):
    """A re_path() whose regex does not compile is an ImproperlyConfigured at start-up."""
    name = project("bad_regex_urls", """
        from tinyframe.http import HttpResponse
        from tinyframe.urls import re_path
        urlpatterns = [re_path(r"^posts/(?P<slug[a-z]+)/$", lambda request: HttpResponse("never"))]
    """)
    with override_settings(ROOT_URLCONF=name):
        with pytest.raises(ImproperlyConfigured, match=r"posts/\(\?P<slug\[a-z\]\+\)/\$"):
            WSGIHandler()


def test_runserver_reports_an_invalid_pattern_in_one_line(project, monkeypatch):
    """runserver with an invalid route stops with a CommandError naming it, not a traceback."""
    monkeypatch.setattr(runserver, "configure_server_logging", lambda: None)
    name = project("runserver_bad_urls", """
        from tinyframe.http import HttpResponse
        from tinyframe.urls import path
        urlpatterns = [path("articles/<year:int>/", lambda request: HttpResponse("never"))]
    """)
    with override_settings(ROOT_URLCONF=name, DEBUG=True):
        with pytest.raises(CommandError, match="articles/<year:int>/"):
            call_command("runserver", stdout=io.StringIO())


def test_a_client_made_before_override_settings_uses_the_overridden_urlconf(urlconf):
    """The test client reads ROOT_URLCONF when it sends its first request, not when it is made."""
    client = Client()
    with override_settings(ROOT_URLCONF=urlconf([path("here/", lambda request: HttpResponse("here"))])):
        assert client.get("/here/").content == b"here"
