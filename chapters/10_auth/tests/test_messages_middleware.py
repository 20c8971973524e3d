"""Messages through the test client: SessionMiddleware + MessageMiddleware, a template, and a browser's cookies.

What a visitor sees: a message added before a redirect is shown on the next
page, once; a page that does not show messages keeps them; levels, tags and
hostile text as a template renders them; a tampered cookie is ignored; more
messages than a cookie holds still all arrive, in order. Then the context
processor and ``SuccessMessageMixin`` on the editing views.
"""

import hashlib

import pytest

from tinyframe.contrib import messages
from tinyframe.contrib.messages.middleware import MessageMiddleware
from tinyframe.contrib.messages.storage.base import Message
from tinyframe.contrib.messages.storage.cookie import CookieStorage
from tinyframe.contrib.messages.views import SuccessMessageMixin
from tinyframe.core.exceptions import ImproperlyConfigured
from tinyframe.db import models
from tinyframe.http import HttpResponse, HttpResponseRedirect
from tinyframe.shortcuts import render
from tinyframe.test import Client, RequestFactory
from tinyframe.urls import path

SESSION = "tinyframe.contrib.sessions.middleware.SessionMiddleware"
MESSAGES = "tinyframe.contrib.messages.middleware.MessageMiddleware"
STORAGE = "tinyframe.contrib.messages.storage."

TEMPLATES = {
    "messages.html": (
        "{% for message in messages %}"
        '<li class="{{ message.tags }}">{% if message.level == DEFAULT_MESSAGE_LEVELS.ERROR %}Error: {% endif %}'
        "{{ message }}</li>"
        "{% empty %}none{% endfor %}"
    ),
    "msg_tests/msgbook_form.html": "{{ form }}",
}


class MsgBook(models.Model):
    title = models.CharField(max_length=50)

    class Meta:
        app_label = "msg_tests"


def add_view(request):
    """Add the messages of the query string (``text``, repeated; ``level``, ``tags``), then redirect to /show/."""
    level = int(request.GET.get("level", messages.INFO))
    for text in request.GET.getlist("text"):
        messages.add_message(request, level, text, extra_tags=request.GET.get("tags", ""))
    return HttpResponseRedirect("/show/")


def show_view(request):
    return render(request, "messages.html")


def other_view(request):
    """A page that does not show messages."""
    return HttpResponse("other")


URLS = [path("add/", add_view), path("show/", show_view), path("other/", other_view)]


@pytest.fixture
def site(throwaway_module, use_settings):
    """``site(urlpatterns=URLS, storage="fallback.FallbackStorage", **settings) -> Client`` with both middleware."""

    def make(urlpatterns=URLS, storage="fallback.FallbackStorage", middleware=(SESSION, MESSAGES),
             **settings) -> Client:
        settings.setdefault("SESSION_ENGINE", "tinyframe.contrib.sessions.backends.signed_cookies")
        use_settings(
            ROOT_URLCONF=throwaway_module(urlpatterns=list(urlpatterns)),
            MIDDLEWARE=list(middleware),
            MESSAGE_STORAGE=STORAGE + storage,
            TEMPLATES=[{
                "BACKEND": "tinyframe.template.backends.django.DjangoTemplates",
                "OPTIONS": {
                    "loaders": [("tinyframe.template.loaders.locmem.Loader", TEMPLATES)],
                    "context_processors": ["tinyframe.contrib.messages.context_processors.messages"],
                },
            }],
            **settings,
        )
        return Client()

    yield make
    from tinyframe.urls import clear_url_caches

    clear_url_caches()


def shown(client, url="/show/") -> str:
    response = client.get(url)
    assert response.status_code == 200, f"GET {url} answered {response.status_code}"
    return response.content.decode()


# --- shown once, after a redirect --------------------------------------------------------------------


@pytest.mark.parametrize("storage", ["fallback.FallbackStorage", "cookie.CookieStorage", "session.SessionStorage"])
def test_a_message_added_before_a_redirect_is_shown_once(site, storage):
    client = site(storage=storage)
    response = client.get("/add/", {"text": "Your comment was posted."})
    assert (response.status_code, response["Location"]) == (302, "/show/")
    assert shown(client) == '<li class="info">Your comment was posted.</li>'
    assert shown(client) == "none", f"with {storage} the message was shown a second time"


def test_the_messages_wait_in_the_database_session_too(site, contrib_tables):
    client = site(storage="session.SessionStorage", SESSION_ENGINE="tinyframe.contrib.sessions.backends.db")
    client.get("/add/", {"text": "Stored in a row"})
    assert "sessionid" in client.cookies and "messages" not in client.cookies
    assert shown(client) == '<li class="info">Stored in a row</li>'
    assert shown(client) == "none"


def test_a_page_that_does_not_show_messages_keeps_them(site):
    client = site()
    client.get("/add/", {"text": "Later"})
    assert client.get("/other/").content == b"other"
    assert shown(client) == '<li class="info">Later</li>'


def test_messages_added_on_two_requests_are_shown_together_in_order(site):
    client = site()
    client.get("/add/", {"text": "First"})
    client.get("/add/", {"text": "Second", "level": messages.ERROR})
    assert shown(client) == '<li class="info">First</li><li class="error">Error: Second</li>'


# --- levels, tags, escaping --------------------------------------------------------------------------


def test_debug_messages_are_dropped_unless_message_level_allows_them(site):
    client = site()
    client.get("/add/", {"text": "Query took 3 ms", "level": messages.DEBUG})
    assert shown(client) == "none"
    client = site(MESSAGE_LEVEL=messages.DEBUG)
    client.get("/add/", {"text": "Query took 3 ms", "level": messages.DEBUG})
    assert shown(client) == '<li class="debug">Query took 3 ms</li>'


def test_message_tags_gives_a_level_the_sites_css_class(site):
    client = site(MESSAGE_TAGS={messages.ERROR: "danger"})
    client.get("/add/", {"text": "Failed", "level": messages.ERROR, "tags": "form"})
    assert shown(client) == '<li class="form danger">Error: Failed</li>'


def test_hostile_message_text_and_tags_are_escaped_when_rendered(site):
    client = site()
    client.get("/add/", {"text": "<script>alert('pwned')</script>", "tags": '"><img src=x onerror=alert(1)>'})
    page = shown(client)
    assert "<script>" not in page and "<img" not in page, f"the message reached the page unescaped: {page}"
    assert page == ('<li class="&quot;&gt;&lt;img src=x onerror=alert(1)&gt; info">'
                    "&lt;script&gt;alert(&#x27;pwned&#x27;)&lt;/script&gt;</li>")


# --- a bad cookie, a full cookie ---------------------------------------------------------------------


@pytest.mark.parametrize("cookie", [
    "forged",
    "W1siX19qc29uX21lc3NhZ2UiLDEsNDAsIjxzY3JpcHQ-In1d:1vb66i:pjD6Dv0Jy7rM1ZZ8uQo9vCAPFt_ptZS_iOYt9VH1q0Y",
    "W1siX19qc29uX21lc3NhZ2UiLDAsMjAsIkhlbGxvIiwiIl1d:1vb66i:pjD6Dv0Jy7rM1ZZ8uQo9vCAPFt_ptZS_iOYt9VH1q0Z",
])
def test_a_tampered_or_forged_messages_cookie_is_ignored(site, cookie):
    """The second cookie is a forged message list with a stolen signature; the third a good cookie, one byte off.

    The default storage leaves a bad cookie where it is, as Django's does (it is
    ignored again on every request) until a new message replaces it; the cookie
    storage alone deletes it.
    """
    client = site()
    client.cookies["messages"] = cookie
    for _ in range(2):
        response = client.get("/show/")
        assert (response.status_code, response.content) == (200, b"none")
    client.get("/add/", {"text": "Genuine"})
    assert shown(client) == '<li class="info">Genuine</li>'

    client = site(storage="cookie.CookieStorage")
    client.cookies["messages"] = cookie
    response = client.get("/show/")
    assert (response.status_code, response.content) == (200, b"none")
    assert response.cookies["messages"].value == "" and response.cookies["messages"]["max-age"] == 0
    assert "messages" not in client.cookies


def big_texts(count: int) -> list[str]:
    return [f"{i}: " + "".join(hashlib.sha256(f"{i}-{j}".encode()).hexdigest() for j in range(5))
            for i in range(count)]


def test_more_messages_than_a_cookie_holds_all_arrive_in_order(site):
    client = site()
    texts = big_texts(9)
    client.get("/add/", {"text": texts})
    assert len(client.cookies["messages"].value) <= 2048
    assert shown(client) == "".join(f'<li class="info">{text}</li>' for text in texts)
    assert shown(client) == "none"


def test_the_cookie_alone_keeps_the_newest_and_says_so_under_debug(site):
    texts = big_texts(9)
    client = site(storage="cookie.CookieStorage", DEBUG=False)
    client.get("/add/", {"text": texts})
    page = shown(client)
    assert texts[0] not in page and texts[-1] in page, "the oldest messages are the ones dropped"
    client = site(storage="cookie.CookieStorage", DEBUG=True)
    with pytest.raises(ValueError, match=r"^Not all temporary messages could be stored\.$"):
        client.get("/add/", {"text": texts})


# --- the middleware's edges --------------------------------------------------------------------------


def test_session_storage_without_the_session_middleware_is_improperly_configured(site):
    client = site(storage="session.SessionStorage", middleware=(MESSAGES,))
    with pytest.raises(ImproperlyConfigured, match="requires session middleware to be installed"):
        client.get("/show/")


def test_a_request_the_middleware_never_saw_is_passed_through(use_settings):
    use_settings(MESSAGE_STORAGE=STORAGE + "cookie.CookieStorage")
    response = HttpResponse("answered early")
    middleware = MessageMiddleware(lambda request: response)
    assert middleware.process_response(RequestFactory().get("/"), response) is response
    request = RequestFactory().get("/")
    assert middleware(request) is response
    assert isinstance(messages.get_messages(request), CookieStorage), "process_request gives every request a storage"


# --- the context processor ---------------------------------------------------------------------------


def test_the_context_processor_gives_the_storage_and_the_levels(site):
    client = site()
    client.get("/add/", {"text": "Hi"})
    response = client.get("/show/")
    context_messages = response.context["messages"]
    assert context_messages is response.wsgi_request._messages, "messages is the request's storage itself"
    assert list(context_messages) == [Message(messages.INFO, "Hi")]
    assert response.context["DEFAULT_MESSAGE_LEVELS"] == {
        "DEBUG": 10, "INFO": 20, "SUCCESS": 25, "WARNING": 30, "ERROR": 40}


def test_without_the_middleware_the_template_gets_no_messages(site):
    client = site(middleware=())
    response = client.get("/show/")
    assert (response.content, response.context["messages"]) == (b"none", [])


def test_the_messages_are_not_read_unless_the_template_iterates(site):
    """A page whose template never loops over ``messages`` leaves them for later, processor or not."""
    client = site(urlpatterns=[*URLS, path("quiet/", lambda request: render(request, "messages.html", {
        "messages": ()}))])
    client.get("/add/", {"text": "Still here"})
    assert client.get("/quiet/").content == b"none"
    assert shown(client) == '<li class="info">Still here</li>'


# --- SuccessMessageMixin -----------------------------------------------------------------------------


def test_success_message_mixin_on_a_form_view(site):
    from tinyframe import forms
    from tinyframe.views.generic.edit import FormView

    class ContactForm(forms.Form):
        name = forms.CharField()

    class Contact(SuccessMessageMixin, FormView):
        form_class = ContactForm
        template_name = "messages.html"
        success_url = "/show/"
        success_message = "Thanks, %(name)s!"

    class Silent(Contact):
        success_message = ""

    client = site(urlpatterns=[*URLS, path("contact/", Contact.as_view()), path("silent/", Silent.as_view())])
    response = client.post("/contact/", {"name": "<Ada>"})
    assert (response.status_code, response["Location"]) == (302, "/show/")
    assert shown(client) == '<li class="success">Thanks, &lt;Ada&gt;!</li>'
    client.post("/contact/", {"name": ""})
    client.post("/silent/", {"name": "Bob"})
    assert shown(client) == "none", "an invalid form, or an empty success_message, adds no message"


def test_success_message_mixin_on_a_create_view(site, tables):
    from tinyframe.views.generic.edit import CreateView

    class BookCreate(SuccessMessageMixin, CreateView):
        model = MsgBook
        fields = ["title"]
        success_url = "/show/"
        success_message = "%(title)s was created"

        def get_success_message(self, cleaned_data):
            return super().get_success_message(cleaned_data) + f" (#{self.object.pk})"

    tables(MsgBook)
    client = site(urlpatterns=[*URLS, path("books/add/", BookCreate.as_view())])
    assert client.post("/books/add/", {"title": "Dune"}).status_code == 302
    assert MsgBook.objects.get().title == "Dune"
    assert shown(client) == f'<li class="success">Dune was created (#{MsgBook.objects.get().pk})</li>'


# --- MessagesTestMixin -------------------------------------------------------------------------------


def test_assert_messages_compares_a_responses_messages(site):
    import unittest

    from tinyframe.contrib.messages.test import MessagesTestMixin

    class Case(MessagesTestMixin, unittest.TestCase):
        def runTest(self):  # noqa: N802 (unittest's naming)
            pass

    client = site(urlpatterns=[*URLS, path("both/", lambda request: (
        messages.info(request, "one"), messages.error(request, "two"), HttpResponse())[-1])])
    response = client.get("/both/")
    case = Case()
    case.assertMessages(response, [Message(messages.INFO, "one"), Message(messages.ERROR, "two")])
    case.assertMessages(response, [Message(messages.ERROR, "two"), Message(messages.INFO, "one")], ordered=False)
    with pytest.raises(AssertionError):
        case.assertMessages(response, [Message(messages.ERROR, "two"), Message(messages.INFO, "one")])
