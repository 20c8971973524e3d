"""The Origin check (exercise 10.4): a browser names the site a request comes from, and only trusted ones pass.

Each answer here was checked against Django 5.2's
``CsrfViewMiddleware._origin_verified`` with the same settings and request.
"""

import pytest

from tinyframe.http import HttpResponse
from tinyframe.middleware.csrf import CsrfViewMiddleware
from tinyframe.test import RequestFactory
from tinyframe.utils.http import is_same_domain

TRUSTED = ["https://trusted.example", "https://*.wild.example", "http://*.plain.example"]


def verified(origin: str, secure: bool = False, host: str = "testserver") -> bool:
    """``_origin_verified`` for a POST to ``host`` with ``Origin: origin``, made by a fresh middleware."""
    request = RequestFactory().post("/", secure=secure, headers={"origin": origin, "host": host})
    return CsrfViewMiddleware(lambda request: HttpResponse())._origin_verified(request)


@pytest.fixture
def trusted_origins(use_settings):
    use_settings(CSRF_TRUSTED_ORIGINS=TRUSTED, ALLOWED_HOSTS=["testserver", "www.example.com"])


@pytest.mark.exercise("10.4")
@pytest.mark.parametrize(
    "origin, secure, expected",
    [
        ("http://testserver", False, True),
        ("https://testserver", True, True),
        ("https://testserver", False, False),  # the scheme counts: http and https are two origins
        ("http://testserver", True, False),
        ("http://testserver:80", False, False),  # compared as text with scheme://get_host()
        ("http://TESTSERVER", False, False),
    ],
)
def test_the_requests_own_origin_is_trusted(origin, secure, expected):
    got = verified(origin, secure)
    kind = "secure" if secure else "plain"
    assert got is expected, f"Origin {origin!r} on a {kind} request gave {got}; expected {expected}"


@pytest.mark.exercise("10.4")
def test_the_host_port_is_part_of_the_origin(use_settings):
    use_settings(ALLOWED_HOSTS=["testserver"])
    assert verified("http://testserver:8000", host="testserver:8000") is True
    assert verified("http://testserver", host="testserver:8000") is False


@pytest.mark.exercise("10.4")
@pytest.mark.parametrize("origin", ["https://evil.example", "null", "http://testserver.evil.example", "", "testserver"])
def test_other_origins_are_not_trusted(origin):
    """Another site, the ``null`` of a sandboxed frame or a data: page, or a bare host."""
    assert verified(origin) is False, f"Origin {origin!r} was trusted"


@pytest.mark.exercise("10.4")
@pytest.mark.parametrize(
    "origin, expected",
    [
        ("https://trusted.example", True),
        ("http://trusted.example", False),
        ("https://trusted.example:8443", False),
        ("https://sub.trusted.example", False),  # no wildcard: only the origin itself
    ],
)
def test_exact_trusted_origins(trusted_origins, origin, expected):
    assert verified(origin) is expected, f"with CSRF_TRUSTED_ORIGINS={TRUSTED}, Origin {origin!r} gave {not expected}"


@pytest.mark.exercise("10.4")
@pytest.mark.parametrize(
    "origin, expected",
    [
        ("https://a.wild.example", True),
        ("https://x.y.wild.example", True),
        ("https://wild.example", True),  # "*.wild.example" becomes ".wild.example", which matches the domain too
        ("http://a.wild.example", False),  # the scheme must be the trusted one
        ("https://evilwild.example", False),
        ("https://a.wild.example.evil", False),
        ("http://a.plain.example", True),
        ("https://a.plain.example", False),
    ],
)
def test_wildcard_trusted_origins_match_subdomains_of_their_scheme(trusted_origins, origin, expected):
    assert verified(origin) is expected, f"with CSRF_TRUSTED_ORIGINS={TRUSTED}, Origin {origin!r} gave {not expected}"


@pytest.mark.exercise("10.4")
@pytest.mark.parametrize("origin", ["https://[", "http://[::1", "https://[bad]host"])
def test_a_malformed_origin_is_refused_not_raised(trusted_origins, origin):
    """urlsplit raises ValueError on these: the answer is False, never a 500."""
    assert verified(origin) is False


@pytest.mark.exercise("10.4")
def test_a_disallowed_host_is_not_its_own_origin_but_trusted_origins_still_count(trusted_origins):
    """With a Host outside ALLOWED_HOSTS, get_host raises DisallowedHost: only the trusted origins can match."""
    assert verified("http://evil.example", host="evil.example") is False
    assert verified("https://trusted.example", host="evil.example") is True
    assert verified("https://a.wild.example", host="evil.example") is True


@pytest.mark.exercise("10.4")
def test_the_middleware_refuses_a_bad_origin_with_djangos_reason(trusted_origins):
    """Through process_view: a cross-site Origin gets a 403 before the token is even looked at."""
    request = RequestFactory().post("/", headers={"origin": "https://evil.example"})
    middleware = CsrfViewMiddleware(lambda request: HttpResponse())
    reasons = []
    middleware._reject = lambda request, reason: reasons.append(reason) or HttpResponse(status=403)
    middleware.process_request(request)
    response = middleware.process_view(request, lambda request: None, (), {})
    assert response.status_code == 403
    assert reasons == ["Origin checking failed - https://evil.example does not match any trusted origins."]


def test_the_trusted_origin_properties(trusted_origins):
    """What CSRF_TRUSTED_ORIGINS becomes, read once per middleware."""
    middleware = CsrfViewMiddleware(lambda request: HttpResponse())
    assert middleware.allowed_origins_exact == {"https://trusted.example"}
    assert dict(middleware.allowed_origin_subdomains) == {"https": [".wild.example"], "http": [".plain.example"]}
    assert middleware.csrf_trusted_origins_hosts == ["trusted.example", ".wild.example", ".plain.example"]


@pytest.mark.parametrize(
    "host, pattern, expected",
    [
        ("example.com", "example.com", True),
        ("example.com", "EXAMPLE.com", True),
        ("www.example.com", ".example.com", True),
        ("example.com", ".example.com", True),
        ("evilexample.com", ".example.com", False),
        ("www.example.com", "example.com", False),
        ("example.com", "", False),
    ],
)
def test_is_same_domain(host, pattern, expected):
    """The host match behind the trusted origins and the Referer check (Django's django.utils.http.is_same_domain)."""
    assert is_same_domain(host, pattern) is expected
