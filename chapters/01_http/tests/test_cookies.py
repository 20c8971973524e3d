"""Cookies: set_cookie's attributes, deleting and signing cookies, and parsing the Cookie header."""

import datetime
import time
from http.cookies import SimpleCookie

import pytest

from tinyframe.http import HttpRequest, HttpResponse, parse_cookie
from tinyframe.utils.http import parse_http_date


def cookie_after(**kwargs):
    """The Morsel that set_cookie('name', 'value', **kwargs) stores on a new response."""
    response = HttpResponse()
    response.set_cookie("name", "value", **kwargs)
    assert isinstance(response.cookies, SimpleCookie), "response.cookies must stay a SimpleCookie"
    assert "name" in response.cookies, (
        f"after set_cookie('name', 'value', **{kwargs!r}), response.cookies has no 'name'; "
        f"it holds {list(response.cookies)!r}"
    )
    return response.cookies["name"]


@pytest.mark.exercise("01.4")
def test_set_cookie_stores_the_value_with_defaults():
    """set_cookie('name', 'value') stores the cookie in response.cookies with path '/' and no other attribute."""
    morsel = cookie_after()
    assert morsel.value == "value", (
        f"after set_cookie('name', 'value') the cookie's value is {morsel.value!r}; expected 'value'"
    )
    assert morsel["path"] == "/", f"after set_cookie('name', 'value') the path is {morsel['path']!r}; expected '/'"
    assert morsel["expires"] == "" and morsel["max-age"] == "", (
        f"set_cookie('name', 'value') set expires={morsel['expires']!r} and max-age={morsel['max-age']!r}; "
        "expected both empty: no expiry unless asked for"
    )
    for flag in ("secure", "httponly", "samesite", "domain"):
        assert not morsel[flag], (
            f"set_cookie('name', 'value') set {flag}={morsel[flag]!r}; expected it unset unless asked for"
        )
    assert morsel.OutputString() == "name=value; Path=/", (
        f"after set_cookie('name', 'value') the Set-Cookie value is {morsel.OutputString()!r}; "
        "expected 'name=value; Path=/'"
    )


@pytest.mark.exercise("01.4")
@pytest.mark.parametrize(
    "kwargs, attribute, expected",
    [
        ({"path": "/blog/"}, "path", "/blog/"),
        ({"domain": ".example.com"}, "domain", ".example.com"),
        ({"secure": True}, "secure", True),
        ({"httponly": True}, "httponly", True),
        ({"samesite": "Lax"}, "samesite", "Lax"),
        ({"samesite": "strict"}, "samesite", "strict"),
        ({"samesite": "None"}, "samesite", "None"),
        ({"expires": "Wed, 21 Oct 2015 07:28:00 GMT"}, "expires", "Wed, 21 Oct 2015 07:28:00 GMT"),
    ],
)
def test_set_cookie_attributes(kwargs, attribute, expected):
    """set_cookie stores each attribute it is given (path, domain, secure, httponly, samesite, expires) as given."""
    got = cookie_after(**kwargs)[attribute]
    assert got == expected, f"set_cookie('name', 'value', **{kwargs!r}) set {attribute}={got!r}; expected {expected!r}"


@pytest.mark.exercise("01.4")
@pytest.mark.parametrize("max_age", [3600, 3600.5, datetime.timedelta(hours=1)])
def test_set_cookie_max_age_also_sets_expires(max_age):
    """set_cookie(max_age=...) takes seconds or a timedelta, stores whole seconds as max-age,
    and also sets expires to that moment as an HTTP date, for old browsers."""
    morsel = cookie_after(max_age=max_age)
    assert morsel["max-age"] == 3600, f"set_cookie(max_age={max_age!r}) set max-age={morsel['max-age']!r}; expected 3600"
    expires = parse_http_date(morsel["expires"])
    assert abs(expires - (time.time() + 3600)) <= 2, (
        f"set_cookie(max_age={max_age!r}) set expires={morsel['expires']!r}; expected about an hour from now"
    )


@pytest.mark.exercise("01.4")
@pytest.mark.parametrize("tzinfo", [None, datetime.timezone.utc, datetime.timezone(datetime.timedelta(hours=2))])
def test_set_cookie_expires_datetime_becomes_an_http_date(tzinfo):
    """set_cookie(expires=a datetime) stores expires as an HTTP date (a naive datetime is UTC)
    and sets max-age to the seconds left until then."""
    now = datetime.datetime.now(datetime.timezone.utc)
    in_ten_minutes = now + datetime.timedelta(minutes=10)
    expires = in_ten_minutes.astimezone(tzinfo).replace(tzinfo=None) if tzinfo is None else in_ten_minutes.astimezone(tzinfo)
    morsel = cookie_after(expires=expires)
    got = parse_http_date(morsel["expires"])
    assert abs(got - in_ten_minutes.timestamp()) <= 2, (
        f"set_cookie(expires={expires!r}) set expires={morsel['expires']!r}; expected ten minutes from now "
        "(a naive datetime is UTC)"
    )
    assert 598 <= morsel["max-age"] <= 601, (
        f"set_cookie(expires={expires!r}) set max-age={morsel['max-age']!r}; expected about 600, "
        "the seconds from now until expires"
    )


@pytest.mark.exercise("01.4")
def test_set_cookie_expires_in_the_past_gives_max_age_zero():
    """set_cookie(expires=a datetime already past) sets max-age to 0, never to a negative number."""
    morsel = cookie_after(expires=datetime.datetime(2000, 1, 1))
    assert morsel["max-age"] == 0, (
        f"set_cookie(expires=datetime.datetime(2000, 1, 1)) set max-age={morsel['max-age']!r}; expected 0"
    )


@pytest.mark.exercise("01.4")
def test_set_cookie_expires_datetime_with_max_age_is_refused():
    """set_cookie refuses a datetime expires together with max_age: a ValueError that says so."""
    with pytest.raises(ValueError, match="'expires' and 'max_age' can't be used together"):
        HttpResponse().set_cookie("a", expires=datetime.datetime(2100, 1, 1), max_age=10)
        pytest.fail(
            "set_cookie('a', expires=datetime.datetime(2100, 1, 1), max_age=10) raised nothing; expected "
            "ValueError(\"'expires' and 'max_age' can't be used together.\")"
        )


@pytest.mark.exercise("01.4")
@pytest.mark.parametrize("samesite", ["Lox", "always", "true"])
def test_set_cookie_rejects_unknown_samesite(samesite):
    """set_cookie refuses a samesite other than 'lax', 'none' or 'strict' (any case) with a ValueError."""
    with pytest.raises(ValueError) as caught:
        HttpResponse().set_cookie("name", "value", samesite=samesite)
        pytest.fail(
            f"set_cookie('name', 'value', samesite={samesite!r}) raised nothing; expected "
            "ValueError('samesite must be \"lax\", \"none\", or \"strict\".')"
        )
    assert str(caught.value) == 'samesite must be "lax", "none", or "strict".', (
        f"set_cookie(samesite={samesite!r}) raised {caught.value!r}; expected the message "
        "'samesite must be \"lax\", \"none\", or \"strict\".'"
    )


@pytest.mark.exercise("01.4")
def test_set_cookie_output_string_has_every_attribute():
    """With every attribute given, the cookie's Set-Cookie value names them all, expires included."""
    morsel = cookie_after(max_age=60, path="/p/", domain="example.com", secure=True, httponly=True, samesite="Strict")
    output = morsel.OutputString()
    for part in ["name=value", "Max-Age=60", "Path=/p/", "Domain=example.com", "Secure", "HttpOnly", "SameSite=Strict", "expires="]:
        assert part in output, (
            "after set_cookie('name', 'value', max_age=60, path='/p/', domain='example.com', secure=True, "
            f"httponly=True, samesite='Strict') the Set-Cookie value is {output!r}; it lacks {part!r}"
        )


@pytest.mark.exercise("01.4")
def test_set_cookie_twice_replaces_the_cookie():
    """Setting a cookie a second time replaces it: one cookie, with the second value."""
    response = HttpResponse()
    response.set_cookie("a", "1")
    response.set_cookie("a", "2")
    assert response.cookies["a"].value == "2", (
        f"after set_cookie('a', '1') then set_cookie('a', '2') the value is {response.cookies['a'].value!r}; "
        "expected '2'"
    )
    assert len(response.cookies) == 1, (
        f"after set_cookie('a', '1') then set_cookie('a', '2'), response.cookies holds {list(response.cookies)!r}; "
        "expected only ['a']"
    )


def test_delete_cookie_expires_it_in_the_past():
    response = HttpResponse()
    response.delete_cookie("name", path="/blog/", domain="example.com")
    morsel = response.cookies["name"]
    assert morsel.value == ""
    assert morsel["max-age"] == 0
    assert morsel["expires"] == "Thu, 01 Jan 1970 00:00:00 GMT"
    assert morsel["path"] == "/blog/" and morsel["domain"] == "example.com"
    assert not morsel["secure"]


@pytest.mark.parametrize(
    "key, samesite, secure",
    [("__Secure-id", None, True), ("__Host-id", None, True), ("id", "None", True), ("id", "Lax", False)],
)
def test_delete_cookie_is_secure_when_browsers_require_it(key, samesite, secure):
    response = HttpResponse()
    response.delete_cookie(key, samesite=samesite)
    assert bool(response.cookies[key]["secure"]) is secure


def test_signed_cookie_round_trip():
    response = HttpResponse()
    response.set_signed_cookie("user", "alice", salt="s", max_age=60)
    signed = response.cookies["user"].value
    assert signed != "alice" and "alice" in signed
    assert response.cookies["user"]["max-age"] == 60
    request = HttpRequest()
    request.COOKIES = {"user": signed}
    assert request.get_signed_cookie("user", salt="s") == "alice"
    request.COOKIES = {"user": signed.replace("alice", "mallory")}
    assert request.get_signed_cookie("user", default=None, salt="s") is None


@pytest.mark.parametrize(
    "header, expected",
    [
        ("", {}),
        ("a=1", {"a": "1"}),
        ("a=1; b=2", {"a": "1", "b": "2"}),
        ("a=1;b=2;", {"a": "1", "b": "2"}),
        ("  a = 1  ;  b=2", {"a": "1", "b": "2"}),
        ('a="quoted value"', {"a": "quoted value"}),
        ('a="esc\\"aped\\\\"', {"a": 'esc"aped\\'}),
        ('a="\\012"', {"a": "\n"}),
        ("a=1=2", {"a": "1=2"}),
        ("a=1; a=2", {"a": "2"}),
        ("novalue", {"": "novalue"}),
        ("=x", {"": "x"}),
        ("a=;b", {"a": "", "": "b"}),
        (";;;", {}),
        ("name=café; other=[]{}", {"name": "café", "other": "[]{}"}),
        ('a="unterminated', {"a": '"unterminated'}),
        ("a=1, b=2", {"a": "1, b=2"}),
    ],
)
def test_parse_cookie_is_tolerant(header, expected):
    got = parse_cookie(header)
    assert got == expected, f"parse_cookie({header!r}) returned {got!r}; expected {expected!r}"
