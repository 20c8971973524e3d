"""Engines from the TEMPLATES setting, render_to_string, Context and RequestContext, TemplateResponse."""

import copy
import pickle

import pytest

from tinyframe.core.exceptions import ImproperlyConfigured
from tinyframe.template import Context, Engine, RequestContext, Template, TemplateDoesNotExist, engines
from tinyframe.template.context import ContextPopException, make_context
from tinyframe.template.loader import get_template, render_to_string, select_template
from tinyframe.template.response import ContentNotRenderedError, SimpleTemplateResponse, TemplateResponse
from tinyframe.template.utils import EngineHandler, InvalidTemplateEngineError
from tinyframe.test import RequestFactory
from tinyframe.test.utils import override_settings

BACKEND = "tinyframe.template.backends.django.DjangoTemplates"


def extra(request):
    """A context processor, for the tests."""
    return {"who": "processor"}


def test_render_to_string_finds_templates_in_dirs(templates_setting):
    """render_to_string loads a template from the TEMPLATES directories and renders a dict."""
    directory = templates_setting()
    (directory / "hello.html").write_text("Hello {{ name }}")
    assert render_to_string("hello.html", {"name": "<Ada>"}) == "Hello &lt;Ada&gt;"
    assert render_to_string(["missing.html", "hello.html"]) == "Hello "
    assert get_template("hello.html").origin.template_name == "hello.html"


def test_render_to_string_with_a_request_runs_context_processors(templates_setting):
    """With a request, the engine's context processors add their names."""
    directory = templates_setting(context_processors=[
        "tinyframe.template.context_processors.request", f"{__name__}.extra",
    ])
    (directory / "page.html").write_text("{{ request.path }} {{ who }} {{ mine }}")
    request = RequestFactory().get("/blog/")
    assert render_to_string("page.html", {"mine": 1}, request=request) == "/blog/ processor 1"
    # The view's own names win over the processors'.
    assert render_to_string("page.html", {"who": "view"}, request=request) == "/blog/ view "


def test_debug_context_processor(templates_setting):
    """debug is True only with DEBUG on and a request from INTERNAL_IPS."""
    directory = templates_setting(context_processors=["tinyframe.template.context_processors.debug"])
    (directory / "d.html").write_text("[{{ debug }}]")
    request = RequestFactory().get("/", REMOTE_ADDR="127.0.0.1")
    with override_settings(DEBUG=True, INTERNAL_IPS=["127.0.0.1"]):
        assert render_to_string("d.html", request=request) == "[True]"
    with override_settings(DEBUG=False, INTERNAL_IPS=["127.0.0.1"]):
        assert render_to_string("d.html", request=request) == "[]"


def test_missing_template_error_chains_every_engine(templates_setting):
    """A template no engine has: the error lists what each engine tried."""
    templates_setting()
    with pytest.raises(TemplateDoesNotExist) as caught:
        get_template("nope.html")
    error = caught.value
    assert str(error) == "nope.html" and len(error.chain) == 1
    assert error.chain[0].backend is engines["django"]
    assert "nope.html (Source does not exist)" in error.__notes__[0]
    with pytest.raises(TemplateDoesNotExist, match="a.html, b.html"):
        select_template(["a.html", "b.html"])
    with pytest.raises(TemplateDoesNotExist, match="No template names provided"):
        select_template([])
    with pytest.raises(TypeError):
        select_template("a.html")


def test_options_reach_the_engine(templates_setting):
    """OPTIONS (autoescape, string_if_invalid, libraries, builtins, debug) configure the engine."""
    templates_setting(autoescape=False, string_if_invalid="?", debug=True,
                      builtins=["tinyframe.template.loader_tags"], libraries={"tags": "tinyframe.template.defaulttags"})
    backend = engines["django"]
    assert backend.engine.debug and backend.engine.string_if_invalid == "?"
    assert backend.from_string("{% load tags %}{{ html }}{{ nope }}").render({"html": "<b>"}) == "<b>?"
    assert repr(backend) == "<DjangoTemplates 'django'>"


def test_template_without_an_engine_uses_the_default(templates_setting):
    """Template(source) uses the first DjangoTemplates engine of TEMPLATES."""
    templates_setting()
    assert Template("{{ x }}!").render(Context({"x": 1})) == "1!"
    assert Engine.get_default() is engines["django"].engine


def test_no_default_engine_is_an_error():
    """Without a DjangoTemplates engine configured, Template(source) says so."""
    with override_settings(TEMPLATES=[]), pytest.raises(ImproperlyConfigured, match="No DjangoTemplates backend"):
        Template("x")


def test_engine_handler_checks_the_setting():
    """Bad TEMPLATES entries are reported clearly."""
    with pytest.raises(ImproperlyConfigured, match="Invalid BACKEND for a template engine: <not defined>"):
        EngineHandler([{}]).all()
    with pytest.raises(ImproperlyConfigured, match="aliases aren't unique, duplicates: django"):
        EngineHandler([{"BACKEND": BACKEND}, {"BACKEND": BACKEND}]).all()
    handler = EngineHandler([{"BACKEND": BACKEND, "NAME": "main"}])
    assert list(handler) == ["main"] and handler["main"] is handler["main"]
    with pytest.raises(InvalidTemplateEngineError, match="Could not find config for 'other'"):
        handler["other"]
    with pytest.raises(ImproperlyConfigured, match="Unknown parameters: EXTRA"):
        EngineHandler([{"BACKEND": BACKEND, "EXTRA": 1}]).all()


CHECK_OPTIONS = "Check the OPTIONS of your TEMPLATES setting."


@pytest.mark.parametrize(
    "entry, error_class, message, notes",
    [
        # Unknown keys of the entry: Django's message, and a suggestion for each.
        ({"DIR": ["templates"]}, ImproperlyConfigured, "Unknown parameters: DIR", ["Did you mean 'DIRS'?"]),
        (
            {"DIR": [], "APP_DIR": True},
            ImproperlyConfigured,
            "Unknown parameters: DIR, APP_DIR",
            ["Did you mean 'DIRS'?", "Did you mean 'APP_DIRS'?"],
        ),
        ({"OPTION": {}}, ImproperlyConfigured, "Unknown parameters: OPTION", ["Did you mean 'OPTIONS'?"]),
        ({"EXTRA": 1}, ImproperlyConfigured, "Unknown parameters: EXTRA", []),
        # Unknown OPTIONS: the TypeError Django's Engine(**options) raises, with a suggestion.
        (
            {"OPTIONS": {"context_procesors": []}},
            TypeError,
            "Engine.__init__() got an unexpected keyword argument 'context_procesors'",
            ["Did you mean 'context_processors'?", CHECK_OPTIONS],
        ),
        (
            {"OPTIONS": {"string_if_invalide": "?"}},
            TypeError,
            "Engine.__init__() got an unexpected keyword argument 'string_if_invalide'",
            ["Did you mean 'string_if_invalid'?", CHECK_OPTIONS],
        ),
        (
            {"OPTIONS": {"nonsense": 1}},
            TypeError,
            "Engine.__init__() got an unexpected keyword argument 'nonsense'",
            [CHECK_OPTIONS],
        ),
        # DIRS given twice (in OPTIONS too): Python's own message, as in Django.
        ({"OPTIONS": {"dirs": []}}, TypeError, "Engine.__init__() got multiple values for argument 'dirs'", []),
    ],
)
def test_a_mistyped_templates_key_is_named_with_a_suggestion(entry, error_class, message, notes):
    """A typo in TEMPLATES is an error with Django's exact message; a note suggests the key meant."""
    with pytest.raises(error_class) as caught:
        EngineHandler([{"BACKEND": BACKEND, **entry}]).all()
    assert str(caught.value) == message
    assert getattr(caught.value, "__notes__", []) == notes


def test_engines_follow_changes_to_the_setting(templates_setting):
    """Changing TEMPLATES (as a test does) builds new engines."""
    templates_setting(string_if_invalid="first")
    first = engines["django"]
    templates_setting(string_if_invalid="second")
    assert engines["django"] is not first and engines["django"].engine.string_if_invalid == "second"


def test_using_picks_an_engine(tmp_path):
    """using= renders with one named engine only."""
    (tmp_path / "t.html").write_text("{{ x }}")
    setting = [
        {"BACKEND": BACKEND, "NAME": "plain", "DIRS": [str(tmp_path)], "OPTIONS": {"autoescape": False}},
        {"BACKEND": BACKEND, "NAME": "html", "DIRS": [str(tmp_path)]},
    ]
    with override_settings(TEMPLATES=setting):
        assert render_to_string("t.html", {"x": "<"}, using="html") == "&lt;"
        assert render_to_string("t.html", {"x": "<"}, using="plain") == "<"


def test_engine_render_to_string():
    """Engine.render_to_string renders a named template with a dict or a Context."""
    engine = Engine(loaders=[("tinyframe.template.loaders.locmem.Loader", {"a.html": "{{ x }}"})], autoescape=False)
    assert engine.render_to_string("a.html", {"x": "<"}) == "<"
    assert engine.render_to_string(["b.html", "a.html"], Context({"x": "<"})) == "&lt;"
    assert "autoescape=False" in repr(engine)


def test_context_is_a_stack():
    """push() adds names on top, pop() removes them; lookups search from the top."""
    context = Context({"a": 1})
    context.push(a=2, b=3)
    assert (context["a"], context["b"], "b" in context) == (2, 3, True)
    assert context.pop() == {"a": 2, "b": 3}
    assert context["a"] == 1 and "b" not in context and context.get("b", "none") == "none"
    with context.push({"a": 4}):
        assert context["a"] == 4
    assert context["a"] == 1
    with context.update({"c": 5}):
        assert context.flatten()["c"] == 5
    with pytest.raises(KeyError):
        context["c"]
    with pytest.raises(ContextPopException):
        Context().pop()
    with pytest.raises(TypeError, match="must be a mapping"):
        context.update(1)


def test_context_helpers():
    """set_upward, setdefault, del, new, copy and equality behave like Django's."""
    context = Context({"a": 1})
    context.push()
    context.set_upward("a", 2)
    context.set_upward("z", 0)
    assert context.dicts[1] == {"a": 2} and context.dicts[-1] == {"z": 0}
    assert context.setdefault("a", 9) == 2 and context.setdefault("b", 3) == 3
    del context["b"]
    assert "b" not in context
    duplicate = copy.copy(context)  # a new stack of the same dicts
    duplicate.push(new=1)
    assert "new" not in context and duplicate == copy.copy(duplicate) and context != duplicate
    assert context.new({"only": 1}).flatten() == {"True": True, "False": False, "None": None, "only": 1}
    assert (context == {"a": 2}) is False
    assert list(Context({"x": 1}))[0] == {"x": 1} and repr(Context({"x": 1})).endswith("{'x': 1}]")
    with Context().push(Context({"from": "context"})) as pushed:
        assert pushed == {"from": "context"}
    assert Context().update(Context({"c": 1})) == {"c": 1}


def test_context_can_be_bound_to_one_template_at_a_time():
    """Rendering binds the context to its template; binding twice is a mistake."""
    context = Context()
    engine = Engine()
    with context.bind_template(engine.from_string("")):
        with pytest.raises(RuntimeError):
            with context.bind_template(engine.from_string("")):
                pass


def test_request_context_runs_its_processors_when_bound():
    """RequestContext's processors (the engine's, then its own) fill in names at render time."""
    request = RequestFactory().get("/path/")
    engine = Engine(context_processors=["tinyframe.template.context_processors.request"])
    context = RequestContext(request, {"mine": 1}, processors=[extra])
    template = engine.from_string("{{ request.path }} {{ who }} {{ mine }}")
    assert template.render(context) == "/path/ processor 1"
    assert "who" not in context  # the processors' names are gone after rendering
    with pytest.raises(RuntimeError):
        with context.bind_template(template):
            context.bind_template(template).__enter__()
    assert "request" not in context.new({"a": 1}).flatten()


def test_a_processor_must_return_a_dict():
    """A processor that returns something else is named in the error."""

    def broken(request):
        return None

    context = RequestContext(RequestFactory().get("/"), processors=[broken])
    with pytest.raises(TypeError, match="Context processor .*broken didn't return a dictionary"):
        Engine().from_string("").render(context)


def test_make_context():
    """make_context builds a Context, or a RequestContext when there is a request; dicts only."""
    assert type(make_context({"a": 1})) is Context
    context = make_context({"a": 1}, RequestFactory().get("/"))
    assert type(context) is RequestContext and context["a"] == 1
    with pytest.raises(TypeError, match="context must be a dict rather than Context"):
        make_context(Context())


def test_template_response_renders_late(templates_setting):
    """A TemplateResponse keeps its template and context until render()."""
    directory = templates_setting(context_processors=["tinyframe.template.context_processors.request"])
    (directory / "r.html").write_text("{{ greeting }} from {{ request.path }}")
    response = TemplateResponse(RequestFactory().get("/here/"), "r.html", {"greeting": "Hi"})
    assert not response.is_rendered
    with pytest.raises(ContentNotRenderedError, match="The response content must be rendered before it can be accessed."):
        response.content
    with pytest.raises(ContentNotRenderedError):
        iter(response)
    with pytest.raises(ContentNotRenderedError):
        pickle.dumps(response)
    response.context_data["greeting"] = "Hello"
    assert response.rendered_content == "Hello from /here/"
    seen = []
    response.add_post_render_callback(seen.append)
    assert response.render() is response and response.is_rendered
    assert response.content == b"Hello from /here/" and seen == [response]
    response.add_post_render_callback(seen.append)  # already rendered: called at once
    assert len(seen) == 2 and list(response) == [b"Hello from /here/"]
    assert b"Hello" in pickle.loads(pickle.dumps(response)).content


def test_simple_template_response(templates_setting):
    """A callback may replace the response; setting content marks it rendered."""
    directory = templates_setting()
    (directory / "a.html").write_text("A")
    response = SimpleTemplateResponse(["missing.html", "a.html"], status=201, content_type="text/plain")
    replacement = SimpleTemplateResponse("a.html")
    response.add_post_render_callback(lambda r: replacement)
    assert response.render() is replacement and response.content == b"A" and response.status_code == 201
    direct = SimpleTemplateResponse(engines["django"].from_string("x"))
    direct.content = "set by hand"
    assert direct.is_rendered and direct.render().content == b"set by hand"


def test_shortcuts_render(templates_setting):
    """render(request, name, context) is an HttpResponse of the rendered template."""
    from tinyframe.shortcuts import render

    directory = templates_setting(context_processors=["tinyframe.template.context_processors.request"])
    (directory / "page.html").write_text("{{ title }} at {{ request.path }}")
    response = render(RequestFactory().get("/here/"), "page.html", {"title": "<Home>"}, status=203,
                      content_type="text/plain")
    assert response.status_code == 203 and response["Content-Type"] == "text/plain"
    assert response.content == b"&lt;Home&gt; at /here/"


def test_template_view_and_the_handler_renders_template_responses(templates_setting):
    """TemplateView answers with a TemplateResponse, which the handler renders at the end."""
    from tinyframe.core.handlers.base import BaseHandler
    from tinyframe.views.generic import TemplateView

    directory = templates_setting()
    (directory / "about.html").write_text("About {{ team }} ({{ extra }}, {{ view.template_name }})")
    view = TemplateView.as_view(template_name="about.html", extra_context={"extra": "more"})

    class Handler(BaseHandler):
        def resolve_request(self, request):
            return view, (), {"team": "<us>"}

    response = view(RequestFactory().get("/about/"), team="x")
    assert isinstance(response, TemplateResponse) and not response.is_rendered
    handler = Handler()
    handler.load_middleware()
    request = RequestFactory().get("/about/")
    response = handler.get_response(request)
    error = getattr(request, "_exc_info", (None, None))[1]
    assert response.status_code == 200, f"the handler answered {response.status_code}, because of {error!r}"
    assert response.is_rendered and response.content == b"About &lt;us&gt; (more, about.html)"


def test_template_view_needs_a_template_name(templates_setting):
    """A TemplateView without template_name says what is missing."""
    from tinyframe.views.generic import TemplateView

    with pytest.raises(ImproperlyConfigured, match="requires either a definition of 'template_name'"):
        TemplateView.as_view()(RequestFactory().get("/"))
