"""SecurityMiddleware: HSTS, nosniff, Referrer-Policy, Cross-Origin-Opener-Policy, and the HTTPS redirect.

Each row was checked against Django 5.2 with the same settings.
"""

import pytest

from tinyframe.http import HttpResponse
from tinyframe.urls import path

SECURITY = "tinyframe.middleware.security.SecurityMiddleware"
DEFAULT_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "Cross-Origin-Opener-Policy": "same-origin",
}


def ok(request):
    return HttpResponse("ok")


def own_headers(request):
    response = HttpResponse("ok")
    response["Referrer-Policy"] = "no-referrer"
    response["Strict-Transport-Security"] = "max-age=1"
    response["X-Content-Type-Options"] = "x"
    response["Cross-Origin-Opener-Policy"] = "unsafe-none"
    return response


URLS = [path("", ok), path("own/", own_headers), path("api/x", ok)]


def security_headers(response) -> dict:
    return {name: value for name, value in response.items() if name not in ("Content-Type", "Content-Length")}


@pytest.mark.exercise("05.7")
@pytest.mark.parametrize("settings, secure, expected", [
    ({}, False, DEFAULT_HEADERS),
    ({}, True, DEFAULT_HEADERS),
    ({"SECURE_HSTS_SECONDS": 3600}, False, DEFAULT_HEADERS),
    ({"SECURE_HSTS_SECONDS": 3600}, True, {"Strict-Transport-Security": "max-age=3600", **DEFAULT_HEADERS}),
    ({"SECURE_HSTS_SECONDS": 3600, "SECURE_HSTS_INCLUDE_SUBDOMAINS": True, "SECURE_HSTS_PRELOAD": True}, True,
     {"Strict-Transport-Security": "max-age=3600; includeSubDomains; preload", **DEFAULT_HEADERS}),
    ({"SECURE_HSTS_SECONDS": 3600, "SECURE_HSTS_PRELOAD": True}, True,
     {"Strict-Transport-Security": "max-age=3600; preload", **DEFAULT_HEADERS}),
    ({"SECURE_REFERRER_POLICY": "no-referrer, strict-origin"}, False,
     {**DEFAULT_HEADERS, "Referrer-Policy": "no-referrer,strict-origin"}),
    ({"SECURE_REFERRER_POLICY": ["origin", "same-origin"]}, False,
     {**DEFAULT_HEADERS, "Referrer-Policy": "origin,same-origin"}),
    ({"SECURE_CROSS_ORIGIN_OPENER_POLICY": "same-origin-allow-popups"}, False,
     {**DEFAULT_HEADERS, "Cross-Origin-Opener-Policy": "same-origin-allow-popups"}),
    ({"SECURE_REFERRER_POLICY": None, "SECURE_CROSS_ORIGIN_OPENER_POLICY": None,
      "SECURE_CONTENT_TYPE_NOSNIFF": False}, True, {}),
])
def test_security_headers(serve, settings, secure, expected):
    """The headers follow the settings; HSTS only on HTTPS, where the browser can trust it."""
    client = serve(URLS, middleware=[SECURITY], **settings)
    headers = security_headers(client.get("/", secure=secure))
    assert headers == expected, (
        f"GET / ({'https' if secure else 'http'}) with {settings} sent {headers}; expected {expected}"
    )


@pytest.mark.exercise("05.7")
def test_headers_the_view_set_are_kept(serve):
    """A view's own security headers win over the settings."""
    client = serve(URLS, middleware=[SECURITY], SECURE_HSTS_SECONDS=3600)
    headers = security_headers(client.get("/own/", secure=True))
    expected = {"Referrer-Policy": "no-referrer", "Strict-Transport-Security": "max-age=1",
                "X-Content-Type-Options": "x", "Cross-Origin-Opener-Policy": "unsafe-none"}
    assert headers == expected, f"the view's own headers became {headers}; expected {expected}"


@pytest.mark.exercise("05.7")
@pytest.mark.parametrize("settings, url, secure, location", [
    ({"SECURE_SSL_REDIRECT": True}, "/?a=1", False, "https://testserver/?a=1"),
    ({"SECURE_SSL_REDIRECT": True}, "/", True, None),
    ({"SECURE_SSL_REDIRECT": True, "SECURE_SSL_HOST": "secure.example.com"}, "/api/x?b=2", False,
     "https://secure.example.com/api/x?b=2"),
    ({"SECURE_SSL_REDIRECT": True, "SECURE_REDIRECT_EXEMPT": [r"^api/"]}, "/api/x", False, None),
    ({"SECURE_SSL_REDIRECT": True, "SECURE_REDIRECT_EXEMPT": [r"^api/"]}, "/", False, "https://testserver/"),
    ({}, "/", False, None),
])
def test_ssl_redirect(serve, settings, url, secure, location):
    """SECURE_SSL_REDIRECT sends plain HTTP to HTTPS (301), to SECURE_SSL_HOST if set, except exempt paths."""
    client = serve(URLS, middleware=[SECURITY], **settings)
    response = client.get(url, secure=secure)
    assert (response.status_code, response.get("Location")) == ((301, location) if location else (200, None)), (
        f"GET {url} ({'https' if secure else 'http'}) with {settings} answered {response.status_code} "
        f"to {response.get('Location')!r}; expected {location!r}"
    )


@pytest.mark.exercise("05.7")
def test_the_redirect_gets_the_security_headers_too(serve):
    """The redirect answered by process_request still passes through process_response."""
    client = serve(URLS, middleware=[SECURITY], SECURE_SSL_REDIRECT=True)
    assert security_headers(client.get("/")) == {"Location": "https://testserver/", **DEFAULT_HEADERS}


@pytest.mark.exercise("05.7")
def test_a_secure_request_behind_a_proxy(serve):
    """Behind a proxy, SECURE_PROXY_SSL_HEADER tells that the client used HTTPS: no redirect, and HSTS."""
    client = serve(URLS, middleware=[SECURITY], SECURE_SSL_REDIRECT=True, SECURE_HSTS_SECONDS=60,
                   SECURE_PROXY_SSL_HEADER=("HTTP_X_FORWARDED_PROTO", "https"))
    response = client.get("/", headers={"x-forwarded-proto": "https"})
    assert (response.status_code, response.get("Strict-Transport-Security")) == (200, "max-age=60")
