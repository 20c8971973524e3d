"""CsrfViewMiddleware's parts: where the secret lives, when the cookie goes out, the Referer rules, failures."""

import logging

import pytest

from tinyframe.core.exceptions import ImproperlyConfigured
from tinyframe.http import HttpResponse, UnreadablePostError
from tinyframe.middleware.csrf import (
    CSRF_SESSION_KEY,
    CsrfViewMiddleware,
    _does_token_match,
    _mask_cipher_secret,
    get_token,
)
from tinyframe.test import Client, RequestFactory
from tinyframe.urls import path

SECRET = "s3cretS3cretS3cretS3cretS3cret12"
factory = RequestFactory()


def middleware() -> CsrfViewMiddleware:
    return CsrfViewMiddleware(lambda request: HttpResponse())


def checked(request) -> str | None:
    """The reason ``process_view`` refuses ``request`` for, or None when it lets it through."""
    csrf = middleware()
    csrf._reject = lambda request, reason: reason
    csrf.process_request(request)
    return csrf.process_view(request, lambda request: None, (), {})


def post(secret: str | None = SECRET, token: str | None = None, **kwargs):
    """A POST with ``secret`` in the cookie and ``token`` (default: a mask of the secret) in the form."""
    if token is None and secret is not None:
        token = _mask_cipher_secret(secret)
    request = factory.post("/", {"csrfmiddlewaretoken": token} if token else {}, **kwargs)
    if secret is not None:
        request.COOKIES["csrftoken"] = secret
    return request


class FakeSession(dict):
    """The part of a session store the middleware uses: get and item assignment."""


# --- where the secret lives --------------------------------------------------------------------------


def test_process_request_keeps_the_cookies_secret():
    request = post()
    middleware().process_request(request)
    assert request.META["CSRF_COOKIE"] == SECRET and "CSRF_COOKIE_NEEDS_UPDATE" not in request.META


def test_a_malformed_cookie_is_replaced_by_a_new_secret():
    request = post(secret="short")
    middleware().process_request(request)
    assert len(request.META["CSRF_COOKIE"]) == 32 and request.META["CSRF_COOKIE_NEEDS_UPDATE"] is True


def test_a_masked_64_character_cookie_from_old_djangos_still_works():
    """Django before 4.0 stored the masked token in the cookie: it is unmasked, and the token checked against it."""
    request = post(secret=_mask_cipher_secret(SECRET), token=_mask_cipher_secret(SECRET))
    assert checked(request) is None
    assert request.META["CSRF_COOKIE"] == SECRET


def test_a_custom_cookie_name(use_settings):
    use_settings(CSRF_COOKIE_NAME="xsrf")
    request = factory.post("/", {"csrfmiddlewaretoken": _mask_cipher_secret(SECRET)})
    request.COOKIES["xsrf"] = SECRET
    assert checked(request) is None
    request = post()
    assert checked(request) == "CSRF cookie not set."


def test_a_custom_header_name(use_settings):
    use_settings(CSRF_HEADER_NAME="HTTP_X_XSRF_TOKEN")
    request = factory.post("/", headers={"x-xsrf-token": "bad"})
    request.COOKIES["csrftoken"] = SECRET
    assert checked(request) == "CSRF token from the 'X-Xsrf-Token' HTTP header has incorrect length."


def test_with_csrf_use_sessions_the_secret_lives_in_the_session(use_settings):
    use_settings(CSRF_USE_SESSIONS=True)
    request = factory.post("/", {"csrfmiddlewaretoken": _mask_cipher_secret(SECRET)})
    request.session = FakeSession({CSRF_SESSION_KEY: SECRET})
    request.COOKIES["csrftoken"] = "ignored" * 5
    assert checked(request) is None

    request = factory.get("/")
    request.session = FakeSession()
    csrf = middleware()
    csrf.process_request(request)
    get_token(request)
    response = csrf.process_response(request, HttpResponse())
    assert request.session[CSRF_SESSION_KEY] == request.META["CSRF_COOKIE"]
    assert "csrftoken" not in response.cookies and not response.has_header("Vary")


def test_with_csrf_use_sessions_an_unchanged_secret_is_not_written_again(use_settings):
    use_settings(CSRF_USE_SESSIONS=True)

    class WatchedSession(FakeSession):
        def __setitem__(self, key, value):
            raise AssertionError("the session was written although the secret did not change")

    request = factory.get("/")
    request.session = WatchedSession({CSRF_SESSION_KEY: SECRET})
    csrf = middleware()
    csrf.process_request(request)
    get_token(request)
    csrf.process_response(request, HttpResponse())


def test_csrf_use_sessions_without_a_session_says_what_to_do(use_settings):
    use_settings(CSRF_USE_SESSIONS=True)
    with pytest.raises(ImproperlyConfigured) as caught:
        middleware().process_request(factory.get("/"))
    assert str(caught.value) == (
        "CSRF_USE_SESSIONS is enabled, but request.session is not set. "
        "SessionMiddleware must appear before CsrfViewMiddleware in MIDDLEWARE."
    )


def test_csrf_use_sessions_through_the_session_middleware(use_settings, throwaway_module):
    """The signed-cookie session store keeps the secret; no csrftoken cookie is sent."""

    def form(request):
        return HttpResponse(get_token(request))

    def comment(request):
        return HttpResponse("saved")

    use_settings(
        ROOT_URLCONF=throwaway_module(urlpatterns=[path("form/", form), path("comment/", comment)]),
        MIDDLEWARE=["tinyframe.contrib.sessions.middleware.SessionMiddleware",
                    "tinyframe.middleware.csrf.CsrfViewMiddleware"],
        SESSION_ENGINE="tinyframe.contrib.sessions.backends.signed_cookies",
        CSRF_USE_SESSIONS=True,
    )
    client = Client(enforce_csrf_checks=True)
    token = client.get("/form/").content.decode()
    assert "csrftoken" not in client.cookies and "sessionid" in client.cookies
    assert client.post("/comment/", {"csrfmiddlewaretoken": token}).status_code == 200
    assert client.post("/comment/", {"csrfmiddlewaretoken": _mask_cipher_secret(SECRET)}).status_code == 403


# --- the cookie ---------------------------------------------------------------------------------------------


def test_no_cookie_is_sent_when_no_token_was_used():
    request = factory.get("/")
    csrf = middleware()
    csrf.process_request(request)
    response = csrf.process_response(request, HttpResponse())
    assert "csrftoken" not in response.cookies and not response.has_header("Vary")


def test_the_cookie_has_every_attribute_of_the_settings(use_settings):
    """Checked against Django's Set-Cookie for the same settings."""
    use_settings(CSRF_COOKIE_SECURE=True, CSRF_COOKIE_HTTPONLY=True, CSRF_COOKIE_SAMESITE="Strict",
                 CSRF_COOKIE_DOMAIN=".example.com", CSRF_COOKIE_PATH="/app/", CSRF_COOKIE_AGE=None)
    request = factory.get("/")
    csrf = middleware()
    csrf.process_request(request)
    get_token(request)
    response = csrf.process_response(request, HttpResponse())
    secret = request.META["CSRF_COOKIE"]
    assert response.cookies.output() == (
        f"Set-Cookie: csrftoken={secret}; Domain=.example.com; HttpOnly; Path=/app/; SameSite=Strict; Secure"
    )
    assert response["Vary"] == "Cookie"


def test_the_cookie_is_sent_once_when_the_decorator_and_the_middleware_both_run():
    request = factory.get("/")
    first, second = middleware(), middleware()
    first.process_request(request)
    get_token(request)
    response = first.process_response(request, HttpResponse())
    assert "csrftoken" in response.cookies and request.META["CSRF_COOKIE_NEEDS_UPDATE"] is False
    assert "csrftoken" not in second.process_response(request, HttpResponse()).cookies


# --- the checks in process_view -----------------------------------------------------------------------------


def test_a_request_checked_once_is_not_checked_again():
    request = post(token="x" * 64)
    request.csrf_processing_done = True
    assert checked(request) is None


def test_an_empty_form_token_falls_back_to_the_header():
    request = post(token="")
    request.META["HTTP_X_CSRFTOKEN"] = _mask_cipher_secret(SECRET)
    assert checked(request) is None


def test_a_body_that_cannot_be_read_is_refused_not_raised():
    """A client that went away mid-body: UnreadablePostError becomes a 403 for a missing token."""
    request = post()

    class Broken:
        def get(self, *args):
            raise UnreadablePostError("connection reset")

    request._post = Broken()
    assert checked(request) == "CSRF token missing."


@pytest.mark.parametrize(
    "referer, expected",
    [
        ("https://www.example.com/form/", None),
        ("https://example.com/form/", None),
        ("https://www.example.com:8443/",
         "Referer checking failed - https://www.example.com:8443/ does not match any trusted origins."),
        ("https://example.org/", "Referer checking failed - https://example.org/ does not match any trusted origins."),
    ],
)
def test_the_referer_may_match_the_cookie_domain(use_settings, referer, expected):
    use_settings(CSRF_COOKIE_DOMAIN=".example.com", ALLOWED_HOSTS=["www.example.com"])
    request = post(secure=True, headers={"referer": referer, "host": "www.example.com"})
    assert checked(request) == expected


def test_the_cookie_domain_gets_the_port_unless_it_is_80_or_443(use_settings):
    use_settings(CSRF_COOKIE_DOMAIN=".example.com", ALLOWED_HOSTS=[".example.com"])
    request = post(secure=True, headers={"referer": "https://www.example.com:8443/", "host": "www.example.com:8443"},
                   SERVER_PORT="8443")
    assert checked(request) is None


def test_with_csrf_use_sessions_the_referer_may_match_the_session_cookie_domain(use_settings):
    use_settings(CSRF_USE_SESSIONS=True, SESSION_COOKIE_DOMAIN=".example.com", ALLOWED_HOSTS=["www.example.com"])
    request = factory.post("/", {"csrfmiddlewaretoken": _mask_cipher_secret(SECRET)}, secure=True,
                           headers={"referer": "https://shop.example.com/", "host": "www.example.com"})
    request.session = FakeSession({CSRF_SESSION_KEY: SECRET})
    assert checked(request) is None


def test_a_referer_to_a_disallowed_host_is_refused(use_settings):
    """When get_host refuses the Host, the request's own host cannot vouch for the Referer."""
    use_settings(ALLOWED_HOSTS=["testserver"])
    request = post(secure=True, headers={"referer": "https://evil.example/", "host": "evil.example"})
    assert checked(request) == "Referer checking failed - https://evil.example/ does not match any trusted origins."


def test_a_plain_http_request_needs_no_referer():
    assert checked(post()) is None


# --- refusing: the failure view and the log -------------------------------------------------------------


def test_the_failure_view_comes_from_the_setting(use_settings, throwaway_module):
    def teapot(request, reason=""):
        return HttpResponse(f"refused: {reason}", status=418)

    use_settings(CSRF_FAILURE_VIEW=f"{throwaway_module(teapot=teapot)}.teapot")
    csrf = middleware()
    request = post(secret=None)
    csrf.process_request(request)
    response = csrf.process_view(request, lambda request: None, (), {})
    assert (response.status_code, response.content) == (418, b"refused: CSRF cookie not set.")


def test_a_refusal_is_logged_once_as_a_warning_with_the_path(caplog):
    caplog.set_level(logging.WARNING)
    request = factory.post("/posts/1/comment/")
    csrf = middleware()
    csrf.process_request(request)
    response = csrf.process_view(request, lambda request: None, (), {})
    records = [record for record in caplog.records if record.name == "tinyframe.security.csrf"]
    assert [record.getMessage() for record in records] == ["Forbidden (CSRF cookie not set.): /posts/1/comment/"]
    assert records[0].levelno == logging.WARNING and records[0].status_code == 403
    assert records[0].request is request and response._has_been_logged is True


def test_a_hostile_origin_cannot_forge_log_lines(caplog):
    caplog.set_level(logging.WARNING)
    request = post(headers={"origin": "https://x\nFake entry"})
    csrf = middleware()
    csrf.process_request(request)
    csrf.process_view(request, lambda request: None, (), {})
    message = [record.getMessage() for record in caplog.records if record.name == "tinyframe.security.csrf"][0]
    assert "\n" not in message and "https://x\\nFake entry" in message


def test_the_token_still_matches_after_a_check():
    """Accepting a request leaves the secret as it was, so the page it answers with can show a token for it."""
    request = post()
    assert checked(request) is None
    assert request.csrf_processing_done is True
    assert _does_token_match(get_token(request), SECRET)
