"""The 403 page for a refused request (csrf_failure) and the csrf context processor behind {% csrf_token %}.

The page's sentences were compared with Django 5.2's ``csrf_failure`` for the
same reasons, with DEBUG on and off: the same title, summary, Referer and
cookie explanations, and the reason itself under DEBUG only.
"""

import html
import re

import pytest

from tinyframe.http import HttpResponse
from tinyframe.middleware.csrf import (
    REASON_CSRF_TOKEN_MISSING,
    REASON_NO_CSRF_COOKIE,
    REASON_NO_REFERER,
    CsrfViewMiddleware,
    _does_token_match,
)
from tinyframe.template import Context, Engine, RequestContext, TemplateDoesNotExist
from tinyframe.template.context_processors import csrf
from tinyframe.test import RequestFactory
from tinyframe.views.csrf import CSRF_FAILURE_TEMPLATE_NAME, csrf_failure

factory = RequestFactory()


def page_text(response) -> str:
    """The page's visible text: tags and the style sheet removed, entities decoded, spaces collapsed."""
    text = re.sub(r"<style>.*?</style>|<[^>]+>", " ", response.content.decode(), flags=re.S)
    return " ".join(html.unescape(text).split())


def test_the_page_is_a_403_that_says_verification_failed():
    response = csrf_failure(factory.post("/"), reason=REASON_CSRF_TOKEN_MISSING)
    text = page_text(response)
    assert response.status_code == 403 and response["Content-Type"] == "text/html; charset=utf-8"
    assert text.startswith("403 Forbidden Forbidden (403) CSRF verification failed. Request aborted.")
    assert "More information is available with DEBUG=True." in text


def test_without_debug_the_reason_is_not_shown():
    """The reason names the check that failed: useful to a developer, not to an attacker probing the site."""
    text = page_text(csrf_failure(factory.post("/"), reason="CSRF token from POST incorrect."))
    assert "incorrect" not in text and "Help" not in text


def test_with_debug_the_reason_and_the_help_are_shown(use_settings):
    use_settings(DEBUG=True)
    text = page_text(csrf_failure(factory.post("/"), reason="CSRF token from POST incorrect."))
    assert "Help Reason given for failure: CSRF token from POST incorrect." in text
    assert "csrf_token" in text and "CSRF_FAILURE_VIEW" in text and "DEBUG = True" in text
    assert "More information is available" not in text


@pytest.mark.parametrize(
    "overrides, where",
    [
        ({}, "the secret in the csrftoken cookie ( CSRF_COOKIE_NAME )"),
        ({"CSRF_COOKIE_NAME": "formtoken"}, "the secret in the formtoken cookie ( CSRF_COOKIE_NAME )"),
        (
            {"CSRF_USE_SESSIONS": True, "SESSION_COOKIE_NAME": "visit"},
            "the secret kept in the session ( CSRF_USE_SESSIONS = True ), under _csrftoken , so the visit cookie must "
            "come back",
        ),
    ],
)
def test_the_help_names_where_the_secret_really_is(use_settings, overrides, where):
    """The help sends the developer to the cookie the settings name, or to the session; never a fixed name.

    (``page_text`` turns each tag into a space: hence "( CSRF_COOKIE_NAME )".)
    """
    use_settings(DEBUG=True, **overrides)
    text = page_text(csrf_failure(factory.post("/"), reason=REASON_NO_CSRF_COOKIE))
    assert f"the token is checked against {where};" in text, (
        f"with {overrides}, the DEBUG help should say the token is checked against {where}; the page says:\n{text}"
    )


def test_the_reason_is_escaped(use_settings):
    """A reason can quote a header the attacker chose (the Origin): it shows as text, never as markup."""
    use_settings(DEBUG=True)
    reason = "Origin checking failed - <script>alert(1)</script> does not match any trusted origins."
    content = csrf_failure(factory.post("/"), reason=reason).content.decode()
    assert "<script>" not in content and "&lt;script&gt;alert(1)&lt;/script&gt;" in content


def test_no_referer_explains_the_referer_header():
    text = page_text(csrf_failure(factory.post("/"), reason=REASON_NO_REFERER))
    assert (
        "You are seeing this message because this HTTPS site requires a “Referer header” to be sent by your web "
        "browser, but none was sent." in text
    )
    assert 'If you are using the <meta name="referrer" content="no-referrer"> tag' in text
    assert "requires a CSRF cookie" not in text


def test_no_cookie_explains_the_cookie():
    text = page_text(csrf_failure(factory.post("/"), reason=REASON_NO_CSRF_COOKIE))
    assert (
        "You are seeing this message because this site requires a CSRF cookie when submitting forms." in text
    )
    assert "If you have configured your browser to disable cookies, please re-enable them" in text
    assert "Referer header" not in text


def test_the_projects_own_403_csrf_template_wins(use_settings):
    """403_csrf.html is rendered with the request, so the context processors (the token too) are there."""
    use_settings(TEMPLATES=[{
        "BACKEND": "tinyframe.template.backends.django.DjangoTemplates",
        "OPTIONS": {"loaders": [("tinyframe.template.loaders.locmem.Loader", {
            CSRF_FAILURE_TEMPLATE_NAME: "Our own page for {{ request.path }} {% csrf_token %}",
        })], "context_processors": ["tinyframe.template.context_processors.request"]},
    }])
    response = csrf_failure(factory.post("/comment/"), reason=REASON_NO_CSRF_COOKIE)
    assert response.status_code == 403
    content = response.content.decode()
    assert content.startswith('Our own page for /comment/ <input type="hidden" name="csrfmiddlewaretoken"')


def test_a_custom_template_name_that_does_not_exist_raises():
    with pytest.raises(TemplateDoesNotExist):
        csrf_failure(factory.post("/"), template_name="missing_403.html")


# --- the csrf context processor -----------------------------------------------------------------------


def test_every_request_context_gets_a_lazy_token():
    """The processor is built in: no engine option needed, and nothing is made until a template uses it."""
    request = factory.get("/")
    assert Engine().from_string("no form here").render(RequestContext(request)) == "no form here"
    assert "CSRF_COOKIE" not in request.META
    output = Engine().from_string("{% csrf_token %}").render(RequestContext(request))
    token = re.fullmatch(r'<input type="hidden" name="csrfmiddlewaretoken" value="([A-Za-z0-9]{64})">', output).group(1)
    assert _does_token_match(token, request.META["CSRF_COOKIE"])
    assert request.META["CSRF_COOKIE_NEEDS_UPDATE"] is True


def test_one_render_shows_one_token_everywhere():
    """Two forms in one page share a token (made once per render), and the secret is the request's."""
    request = factory.get("/")
    request.META["CSRF_COOKIE"] = "k" * 32
    output = Engine().from_string("{{ csrf_token }}|{% csrf_token %}|{{ csrf_token }}").render(RequestContext(request))
    first, field, last = output.split("|")
    assert first == last and f'value="{first}"' in field and _does_token_match(first, "k" * 32)


def test_the_processor_returns_a_lazy_string():
    request = factory.get("/")
    token = csrf(request)["csrf_token"]
    assert "CSRF_COOKIE" not in request.META
    assert len(str(token)) == 64 and str(token) == token


def test_a_plain_context_has_no_token():
    """Without a request there is no visitor to make a token for: the tag stays empty, as in chapter 03."""
    assert Engine().from_string("[{% csrf_token %}]").render(Context()) == "[]"


def test_the_cookie_follows_a_page_that_showed_a_token():
    request = factory.get("/")
    middleware = CsrfViewMiddleware(lambda request: None)
    middleware.process_request(request)
    response = HttpResponse(Engine().from_string("{% csrf_token %}").render(RequestContext(request)))
    response = middleware.process_response(request, response)
    assert response.cookies["csrftoken"].value == request.META["CSRF_COOKIE"]
