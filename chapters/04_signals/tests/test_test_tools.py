"""The test tools on signals: response.templates and response.context, assertTemplateUsed, setting_changed."""

import sys
import types

import pytest

from tinyframe.core.signals import setting_changed
from tinyframe.shortcuts import render
from tinyframe.template import Context, Engine, engines
from tinyframe.template.base import template_rendered
from tinyframe.template.loader import render_to_string
from tinyframe.template.response import TemplateResponse
from tinyframe.test import RequestFactory, SimpleTestCase
from tinyframe.test.signals import ContextList, TemplateRecorder
from tinyframe.test.utils import override_settings
from tinyframe.urls import path, resolve

TEMPLATES = {
    "base.html": "<h1>{{ title }}</h1>{% block body %}{% endblock %}",
    "post.html": (
        "{% extends 'base.html' %}{% block body %}{% include 'byline.html' with author='Ada' %}{% endblock %}"
    ),
    "byline.html": "by {{ author }}",
    "single.html": "<p>{{ title }}</p>",
}


def post(request):
    return render(request, "post.html", {"title": "Hello"})


def single(request):
    return render(request, "single.html", {"title": "Only one"})


def plain(request):
    from tinyframe.http import HttpResponse

    return HttpResponse("no template")


def lazy(request):
    return TemplateResponse(request, "single.html", {"title": "Later"})


@pytest.fixture
def blog(site):
    site({"post/": post, "single/": single, "plain/": plain, "lazy/": lazy}, templates=TEMPLATES)


class Checks(SimpleTestCase):
    """A SimpleTestCase to call the assertions on."""

    def runTest(self):  # pragma: no cover - never run, only instantiated
        pass


@pytest.fixture
def checks():
    return Checks()


# --- response.templates and response.context --------------------------------------


def test_response_templates_lists_every_template_rendered_in_order(blog, client):
    """The child, its parent and the included template, in the order they rendered (as Django lists them)."""
    response = client.get("/post/")
    names = [template.name for template in response.templates]
    assert names == ["post.html", "base.html", "byline.html"], (
        f"response.templates named {names}; expected ['post.html', 'base.html', 'byline.html']"
    )


@pytest.mark.exercise("04.7")
def test_response_context_finds_a_name_in_any_templates_context(blog, client):
    """response.context["title"] finds the view's value; ["author"] the one the include added."""
    response = client.get("/post/")
    assert isinstance(response.context, ContextList) and len(response.context) == 3
    values = (response.context["title"], response.context["author"])
    assert values == ("Hello", "Ada"), (
        f"response.context['title'], response.context['author'] gave {values!r}; expected ('Hello', 'Ada'): "
        "a name is looked up in each context in turn"
    )


@pytest.mark.exercise("04.7")
def test_a_name_no_context_has_is_a_key_error(blog, client):
    """response.context["nope"] raises KeyError('nope'); get() gives a default instead."""
    response = client.get("/post/")
    with pytest.raises(KeyError) as raised:
        response.context["nope"]
    assert raised.value.args == ("nope",), f"the KeyError's args were {raised.value.args!r}; expected ('nope',)"
    assert response.context.get("nope", "default") == "default"
    assert response.context.get("title") == "Hello"


@pytest.mark.exercise("04.7")
def test_an_integer_still_indexes_the_list_of_contexts():
    """contexts[0] is the first Context and contexts[-1] the last: a ContextList is still a list."""
    first, second = Context({"title": "first"}), Context({"title": "second", "extra": 1})
    contexts = ContextList([first, second])
    assert (contexts[0], contexts[-1], contexts[:1]) == (first, second, [first])
    assert contexts["title"] == "first", "the first context that has the name wins"
    assert contexts["extra"] == 1


def test_context_list_membership_and_keys():
    contexts = ContextList([Context({"title": "x"}), Context({"author": "y"})])
    assert "author" in contexts and "nope" not in contexts
    assert contexts[0] in contexts
    assert {"title", "author", "True", "False", "None"} <= contexts.keys()


def test_one_template_gives_its_context_itself(blog, client):
    """With a single template rendered, response.context is that Context, as in Django."""
    response = client.get("/single/")
    assert not isinstance(response.context, ContextList)
    assert response.context["title"] == "Only one"
    assert [template.name for template in response.templates] == ["single.html"]


def test_no_template_gives_no_context(blog, client):
    response = client.get("/plain/")
    assert (response.templates, response.context) == ([], None)


def test_a_template_response_rendered_by_the_handler_is_recorded(blog, client):
    response = client.get("/lazy/")
    assert [template.name for template in response.templates] == ["single.html"]
    assert response.context["title"] == "Later"


def test_the_client_stops_listening_after_the_request(blog, client):
    """Nothing is left connected to template_rendered once the request is answered."""
    client.get("/post/")
    assert not template_rendered.has_listeners(), "the client's recorder is still connected after the request"


def test_a_recorder_keeps_the_context_as_it_was_when_the_template_rendered():
    """The recorded context is a copy: names pushed and popped later do not change it."""
    context = Context({"title": "kept"})
    with TemplateRecorder() as recorder:
        Engine().from_string("{{ title }}").render(context)
    context.push(title="pushed")
    context["author"] = "set after"
    assert (recorder.contexts[0]["title"], "author" in recorder.contexts[0]) == ("kept", False)


def test_the_recorder_disconnects_itself_when_it_is_dropped():
    """Connected weakly, a recorder that is never disconnected goes away with its last reference."""
    recorder = TemplateRecorder()
    recorder.connect()
    assert template_rendered.has_listeners()
    del recorder
    assert not template_rendered.has_listeners()


# --- assertTemplateUsed and assertTemplateNotUsed ---------------------------------------


def test_assert_template_used_passes_for_every_template_rendered(blog, client, checks):
    response = client.get("/post/")
    for name in ("post.html", "base.html", "byline.html"):
        checks.assertTemplateUsed(response, name)
    checks.assertTemplateUsed(response, "byline.html", count=1)
    checks.assertTemplateNotUsed(response, "single.html")


@pytest.mark.parametrize(
    "call, message",
    [
        (lambda checks, response: checks.assertTemplateUsed(response, "nope.html"),
         "Template 'nope.html' was not a template used to render the response. "
         "Actual template(s) used: post.html, base.html, byline.html"),
        (lambda checks, response: checks.assertTemplateUsed(response, "nope.html", msg_prefix="Blog"),
         "Blog: Template 'nope.html' was not a template used"),
        (lambda checks, response: checks.assertTemplateUsed(response, "byline.html", count=2),
         "Template 'byline.html' was expected to be rendered 2 time(s) but was actually rendered 1 time(s)."),
        (lambda checks, response: checks.assertTemplateNotUsed(response, "base.html"),
         "Template 'base.html' was used unexpectedly in rendering the response"),
    ],
    ids=["not-used", "prefix", "count", "not-used-but-was"],
)
def test_assert_template_used_failures_say_what_was_rendered(blog, client, checks, call, message):
    """The failure messages are Django's, listing the templates that did render."""
    response = client.get("/post/")
    with pytest.raises(AssertionError) as raised:
        call(checks, response)
    assert message in str(raised.value)


def test_assert_template_used_on_a_response_without_templates(blog, client, checks):
    with pytest.raises(AssertionError, match="No templates used to render the response"):
        checks.assertTemplateUsed(client.get("/plain/"), "single.html")


def test_assert_template_used_as_a_context_manager(blog, checks):
    """with self.assertTemplateUsed("single.html"): checks what the block renders."""
    with checks.assertTemplateUsed("single.html"):
        render_to_string("single.html", {"title": "x"})
    with checks.assertTemplateUsed(template_name="single.html", count=1):
        render_to_string("single.html", {"title": "x"})
    with checks.assertTemplateNotUsed("base.html"):
        render_to_string("single.html", {"title": "x"})
    with pytest.raises(AssertionError, match="Actual template\\(s\\) used: single.html"):
        with checks.assertTemplateUsed("base.html"):
            render_to_string("single.html", {"title": "x"})
    with pytest.raises(AssertionError, match="'single.html' was used unexpectedly"):
        with checks.assertTemplateNotUsed("single.html"):
            render_to_string("single.html", {"title": "x"})
    with pytest.raises(AssertionError, match="No templates used"):
        with checks.assertTemplateUsed("single.html"):
            pass


def test_an_error_inside_the_with_block_is_not_hidden_by_the_assertion(blog, checks):
    with pytest.raises(ZeroDivisionError):
        with checks.assertTemplateUsed("single.html"):
            1 / 0
    assert not template_rendered.has_listeners()


def test_assert_template_used_needs_something_to_check(checks):
    with pytest.raises(TypeError, match="response and/or template_name argument must be provided"):
        checks.assertTemplateUsed()
    response = plain(RequestFactory().get("/"))
    with pytest.raises(ValueError, match=r"^assertTemplateNotUsed\(\) is only usable on responses fetched"):
        checks.assertTemplateNotUsed(response, "x.html")


# --- setting_changed ---------------------------------------------------------------------


@pytest.mark.exercise("04.3", "04.5")
def test_override_settings_sends_setting_changed_on_the_way_in_and_out(listen, heard):
    """Each overridden setting: sent with its new value and enter=True, then the restored value and enter=False."""
    listen(setting_changed, "changed")
    with override_settings(DEBUG=True, NOT_A_SETTING="x"):
        pass
    sent = [(kwargs["setting"], kwargs["value"], kwargs["enter"]) for _name, _sender, kwargs in heard]
    assert sent == [("DEBUG", True, True), ("NOT_A_SETTING", "x", True), ("DEBUG", False, False),
                    ("NOT_A_SETTING", None, False)], f"override_settings sent {sent}"
    assert all(isinstance(sender, type) for _name, sender, _kwargs in heard), "the sender is the settings' class"


# The receivers these tests connect to setting_changed are taken off again by
# the signals_as_they_were fixture (conftest.py), not by disconnect(): their
# exercises come before 04.6.


@pytest.mark.exercise("04.3", "04.5")
def test_a_failing_receiver_on_the_way_in_puts_the_settings_back():
    """A receiver raising on the way in: the error reaches the caller, and the setting is put back first."""
    from tinyframe.conf import settings

    def refuse(setting, enter, **kwargs):
        if setting == "DEBUG" and enter:
            raise RuntimeError("no debugging today")

    setting_changed.connect(refuse)
    with pytest.raises(RuntimeError, match="no debugging today"):
        with override_settings(DEBUG=True):
            pytest.fail("the block must not run when entering failed")  # pragma: no cover
    assert settings.DEBUG is False


@pytest.mark.exercise("04.3", "04.5")
def test_a_failing_receiver_on_the_way_out_lets_the_others_run_then_raises(listen, heard):
    """On the way out every receiver hears the change (send_robust); then the first error is raised."""

    def refuse(setting, enter, **kwargs):
        if not enter:
            raise RuntimeError("cannot put it back")

    listen(setting_changed, "changed")
    setting_changed.connect(refuse)
    with pytest.raises(RuntimeError, match="cannot put it back"):
        with override_settings(DEBUG=True):
            pass
    assert [kwargs["enter"] for _name, _sender, kwargs in heard] == [True, False]


def test_changing_root_urlconf_forgets_the_old_resolvers():
    """A URLconf module of the same name, changed between two overrides, is read again."""
    name = "tinyframe_test_chapter04_changing_urls"
    module = sys.modules[name] = types.ModuleType(name)
    try:
        module.urlpatterns = [path("old/", plain, name="page")]
        with override_settings(ROOT_URLCONF=name):
            assert resolve("/old/").url_name == "page"
        module = sys.modules[name] = types.ModuleType(name)
        module.urlpatterns = [path("new/", plain, name="page")]
        with override_settings(ROOT_URLCONF=name):
            match = resolve("/new/")
        assert match.url_name == "page", "the resolver built for the old patterns was used again"
    finally:
        sys.modules.pop(name, None)


def test_changing_debug_builds_the_template_engines_again():
    """An engine's debug option defaults to DEBUG: overriding DEBUG makes new engines that see it."""
    setting = [{"BACKEND": "tinyframe.template.backends.django.DjangoTemplates"}]
    with override_settings(TEMPLATES=setting):
        before = engines["django"]
        with override_settings(DEBUG=True):
            inside = engines["django"]
            assert inside is not before and inside.engine.debug is True
        assert engines["django"].engine.debug is False


def test_the_signals_have_their_django_homes():
    from tinyframe.test import signals, utils

    assert signals.template_rendered is template_rendered
    assert utils.ContextList is ContextList
