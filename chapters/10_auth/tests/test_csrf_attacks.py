"""CSRF protection from the attacker's side: every forged request gets a 403 and the view never runs.

A small site (``csrf_site``) behind ``CsrfViewMiddleware``: ``/form/`` shows a
form with ``{% csrf_token %}``; ``/comment/`` writes whatever reaches it (to
``written``, the site's "database"). The clients check CSRF as a browser's
requests are checked (``enforce_csrf_checks=True``). A visitor's client first
loads the form, as a browser would, and gets the cookie and a token; an
attacker's page can make the visitor's browser send the cookie, but has to
guess the rest. Each attack asserts the status, the reason logged on
``tinyframe.security.csrf`` (the one Django gives), and that nothing was
written.
"""

import logging
import re

import pytest

from tinyframe.http import HttpResponse
from tinyframe.middleware.csrf import _mask_cipher_secret, get_token, rotate_token
from tinyframe.template import Engine, RequestContext
from tinyframe.test import Client
from tinyframe.urls import path
from tinyframe.utils.decorators import method_decorator
from tinyframe.views import View
from tinyframe.views.decorators.csrf import csrf_exempt

FORM = '<form method="post" action="/comment/">{% csrf_token %}<input name="text"></form>'
UNSAFE_METHODS = ["post", "put", "patch", "delete"]

written = []


def form(request):
    return HttpResponse(Engine().from_string(FORM).render(RequestContext(request)))


def comment(request):
    written.append((request.method, request.POST.get("text")))
    return HttpResponse("saved")


@csrf_exempt
def webhook(request):
    written.append(("webhook", request.method))
    return HttpResponse("received")


@method_decorator(csrf_exempt, name="dispatch")
class WebhookView(View):
    def post(self, request):
        written.append(("webhook view", request.method))
        return HttpResponse("received")


def signed_in(request):
    """What ``login`` does to the CSRF secret: a new one, so tokens shown before stop working."""
    rotate_token(request)
    return HttpResponse("welcome")


@pytest.fixture
def csrf_site(use_settings, throwaway_module):
    urlpatterns = [
        path("form/", form),
        path("comment/", comment),
        path("webhook/", webhook),
        path("webhook-view/", WebhookView.as_view()),
        path("login/", signed_in),
    ]
    use_settings(
        ROOT_URLCONF=throwaway_module(urlpatterns=urlpatterns),
        MIDDLEWARE=["tinyframe.middleware.csrf.CsrfViewMiddleware"],
        CSRF_TRUSTED_ORIGINS=["https://*.example.com"],
        ALLOWED_HOSTS=["testserver", "www.example.com"],
    )
    written.clear()
    yield
    written.clear()


@pytest.fixture
def rejections(caplog):
    """The reasons logged for refused requests, in order."""
    caplog.set_level(logging.WARNING, logger="tinyframe.security.csrf")

    def reasons() -> list[str]:
        return [record.args[0] for record in caplog.records if record.name == "tinyframe.security.csrf"]

    return reasons


def visitor(secure: bool = False) -> tuple[Client, str]:
    """A browser that loaded the form: its client (holding the cookie) and the form's token."""
    client = Client(enforce_csrf_checks=True)
    response = client.get("/form/", secure=secure)
    token = re.search(r'name="csrfmiddlewaretoken" value="([A-Za-z0-9]+)"', response.content.decode()).group(1)
    return client, token


def assert_refused(response, rejections, reason: str) -> None:
    assert response.status_code == 403, f"the forged request got {response.status_code}, not 403"
    assert b"CSRF verification failed. Request aborted." in response.content
    assert rejections() == [reason], f"logged {rejections()}; expected [{reason!r}]"
    assert written == [], f"the view ran and wrote {written}"


# --- the honest visitor --------------------------------------------------------------------------------


@pytest.mark.exercise("10.3")
def test_a_form_posted_with_its_token_is_accepted(csrf_site):
    """The token in the page unmasks to the cookie's secret: the comment is saved."""
    client, token = visitor()
    response = client.post("/comment/", {"csrfmiddlewaretoken": token, "text": "hello"})
    assert (response.status_code, response.content) == (200, b"saved")
    assert written == [("POST", "hello")]


def test_the_form_page_sets_the_cookie_and_varies_on_it(csrf_site):
    client = Client(enforce_csrf_checks=True)
    response = client.get("/form/")
    secret = response.cookies["csrftoken"].value
    assert len(secret) == 32 and secret not in response.content.decode()
    assert response["Vary"] == "Cookie"
    assert response.cookies["csrftoken"]["samesite"] == "Lax" and response.cookies["csrftoken"]["max-age"] == 31449600


@pytest.mark.exercise("10.3")
@pytest.mark.parametrize("method", UNSAFE_METHODS)
def test_the_x_csrftoken_header_is_accepted(csrf_site, method):
    """Scripts send the token in the X-CSRFToken header, for POST and for PUT, PATCH and DELETE."""
    client, token = visitor()
    response = getattr(client, method)("/comment/", headers={"x-csrftoken": token})
    assert response.status_code == 200 and written == [(method.upper(), None)]


def test_the_bare_secret_from_the_cookie_is_accepted_in_the_header(csrf_site):
    """A script may copy the cookie's value into the header, as in Django."""
    client, _ = visitor()
    response = client.post("/comment/", headers={"x-csrftoken": client.cookies["csrftoken"].value})
    assert response.status_code == 200


@pytest.mark.parametrize("method", ["get", "head", "options", "trace"])
def test_safe_methods_pass_without_a_token(csrf_site, method):
    response = getattr(Client(enforce_csrf_checks=True), method)("/comment/")
    assert response.status_code == 200 and written == [(method.upper(), None)]


def test_https_with_a_same_site_referer_and_the_token_passes(csrf_site):
    client, token = visitor(secure=True)
    response = client.post("/comment/", {"csrfmiddlewaretoken": token}, secure=True,
                           headers={"referer": "https://testserver/form/"})
    assert response.status_code == 200 and written == [("POST", None)]


def test_a_subdomain_of_a_wildcard_trusted_origin_passes(csrf_site):
    client, token = visitor(secure=True)
    response = client.post("/comment/", {"csrfmiddlewaretoken": token}, secure=True,
                           headers={"origin": "https://blog.example.com"})
    assert response.status_code == 200
    response = client.post("/comment/", {"csrfmiddlewaretoken": token}, secure=True,
                           headers={"referer": "https://shop.example.com/cart/"})
    assert response.status_code == 200 and len(written) == 2


# --- the attacks ------------------------------------------------------------------------------------------


def test_a_post_without_a_token_is_refused(csrf_site, rejections):
    client, _ = visitor()
    response = client.post("/comment/", {"text": "forged"})
    assert_refused(response, rejections, "CSRF token missing.")


def test_a_post_without_the_cookie_is_refused(csrf_site, rejections):
    """A token without its cookie proves nothing (and stops login CSRF): the page says cookies are needed."""
    _, token = visitor()
    response = Client(enforce_csrf_checks=True).post("/comment/", {"csrfmiddlewaretoken": token})
    assert_refused(response, rejections, "CSRF cookie not set.")
    assert b"this site requires a CSRF cookie when submitting forms" in response.content


def test_another_users_token_is_refused(csrf_site, rejections):
    """The attacker's own valid token, sent with the victim's cookie, is for another secret."""
    victim, _ = visitor()
    _, attackers_token = visitor()
    response = victim.post("/comment/", {"csrfmiddlewaretoken": attackers_token, "text": "forged"})
    assert_refused(response, rejections, "CSRF token from POST incorrect.")


def test_a_token_from_another_site_is_refused(csrf_site, rejections):
    victim, _ = visitor()
    other_sites_token = _mask_cipher_secret("OtherSiteSecretOtherSiteSecret12")
    response = victim.post("/comment/", headers={"x-csrftoken": other_sites_token})
    assert_refused(response, rejections, "CSRF token from the 'X-Csrftoken' HTTP header incorrect.")


@pytest.mark.parametrize(
    "token, reason",
    [
        ("x" * 10, "CSRF token from POST has incorrect length."),
        ("<script>" * 8, "CSRF token from POST has invalid characters."),
    ],
)
def test_a_malformed_token_is_refused(csrf_site, rejections, token, reason):
    victim, _ = visitor()
    assert_refused(victim.post("/comment/", {"csrfmiddlewaretoken": token}), rejections, reason)


def test_a_forged_cookie_is_refused_and_replaced(csrf_site, rejections):
    """A cookie the site never made (wrong characters) is refused; the next page gives a fresh one."""
    client = Client(enforce_csrf_checks=True)
    client.cookies["csrftoken"] = "!" * 32
    response = client.post("/comment/", {"csrfmiddlewaretoken": "a" * 64})
    assert_refused(response, rejections, "CSRF cookie has invalid characters.")
    fresh = client.get("/form/").cookies["csrftoken"].value
    assert len(fresh) == 32 and fresh.isalnum()


@pytest.mark.parametrize("origin", ["https://evil.example", "null", "http://testserver.evil.example"])
def test_a_bad_origin_is_refused_even_with_a_good_token(csrf_site, rejections, origin):
    """The browser names the page that sent the request: another site's Origin fails before the token."""
    client, token = visitor()
    response = client.post("/comment/", {"csrfmiddlewaretoken": token}, headers={"origin": origin})
    assert_refused(response, rejections, f"Origin checking failed - {origin} does not match any trusted origins.")


def test_an_http_origin_is_refused_on_https(csrf_site, rejections):
    client, token = visitor(secure=True)
    response = client.post("/comment/", {"csrfmiddlewaretoken": token}, secure=True,
                           headers={"origin": "http://testserver"})
    assert_refused(response, rejections,
                   "Origin checking failed - http://testserver does not match any trusted origins.")


def test_a_cross_site_referer_over_https_is_refused(csrf_site, rejections):
    client, token = visitor(secure=True)
    response = client.post("/comment/", {"csrfmiddlewaretoken": token}, secure=True,
                           headers={"referer": "https://evil.example/attack.html"})
    assert_refused(response, rejections,
                   "Referer checking failed - https://evil.example/attack.html does not match any trusted origins.")


def test_no_referer_over_https_is_refused_and_the_page_says_why(csrf_site, rejections):
    client, token = visitor(secure=True)
    response = client.post("/comment/", {"csrfmiddlewaretoken": token}, secure=True)
    assert_refused(response, rejections, "Referer checking failed - no Referer.")
    assert "requires a “Referer header” to be sent by your web browser" in response.content.decode()


@pytest.mark.parametrize(
    "referer, reason",
    [
        ("http://testserver/form/", "Referer checking failed - Referer is insecure while host is secure."),
        ("https://[/", "Referer checking failed - Referer is malformed."),
        ("testserver/form/", "Referer checking failed - Referer is malformed."),
    ],
)
def test_an_insecure_or_malformed_referer_over_https_is_refused(csrf_site, rejections, referer, reason):
    """An http page of the site may be a man in the middle's: over HTTPS only an https Referer counts."""
    client, token = visitor(secure=True)
    response = client.post("/comment/", {"csrfmiddlewaretoken": token}, secure=True, headers={"referer": referer})
    assert_refused(response, rejections, reason)


@pytest.mark.parametrize("method", ["put", "patch", "delete"])
def test_put_patch_and_delete_without_a_token_are_refused(csrf_site, rejections, method):
    client, _ = visitor()
    response = getattr(client, method)("/comment/", "text=forged", content_type="application/x-www-form-urlencoded")
    assert_refused(response, rejections, "CSRF token missing.")


def test_a_token_shown_before_login_is_refused_after_it(csrf_site, rejections):
    """rotate_token (login) sends a new cookie: a page loaded before, an attacker's planted token, stop working."""
    client, old_token = visitor()
    old_secret = client.cookies["csrftoken"].value
    response = client.get("/login/")
    assert response.cookies["csrftoken"].value != old_secret
    refused = client.post("/comment/", {"csrfmiddlewaretoken": old_token})
    assert_refused(refused, rejections, "CSRF token from POST incorrect.")
    new_token = re.search(r'value="([A-Za-z0-9]+)"', client.get("/form/").content.decode()).group(1)
    assert client.post("/comment/", {"csrfmiddlewaretoken": new_token}).status_code == 200


# --- opting out -------------------------------------------------------------------------------------------


def test_csrf_exempt_function_view_takes_a_post_without_a_token(csrf_site):
    response = Client(enforce_csrf_checks=True).post("/webhook/", {"event": "push"})
    assert (response.status_code, written) == (200, [("webhook", "POST")])


def test_csrf_exempt_on_a_class_based_views_dispatch(csrf_site):
    """method_decorator(csrf_exempt, name="dispatch"): as_view copies the mark onto the view function."""
    response = Client(enforce_csrf_checks=True).post("/webhook-view/", {"event": "push"})
    assert (response.status_code, written) == (200, [("webhook view", "POST")])


def test_the_test_client_skips_the_checks_unless_asked(csrf_site):
    """Client() (enforce_csrf_checks=False) posts without a token, as in Django's test client."""
    response = Client().post("/comment/", {"text": "from a test"})
    assert response.status_code == 200 and written == [("POST", "from a test")]


def test_a_csrf_exempt_view_can_still_make_a_token(csrf_site, use_settings, throwaway_module):
    """process_request read the secret before the exemption was seen, so get_token gives a token for it."""

    @csrf_exempt
    def exempt_form(request):
        return HttpResponse(get_token(request))

    use_settings(ROOT_URLCONF=throwaway_module(urlpatterns=[path("", exempt_form)]))
    client = Client(enforce_csrf_checks=True)
    client.cookies["csrftoken"] = "k" * 32
    response = client.post("/")
    assert response.status_code == 200 and len(response.content) == 64
    assert response.cookies["csrftoken"].value == "k" * 32
