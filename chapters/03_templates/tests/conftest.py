"""Fixtures for chapter 03: engines over a dict of templates, and a one-line render.

Every test that takes ``engine`` or ``render`` runs twice: once with the
templates compiled to Python (``Engine(compiled=True)``, the default) and once
walking the node tree (``compiled=False``), so the two must always agree::

    def test_upper(render):
        assert render("{{ name|upper }}", {"name": "ada"}) == "ADA"

    def test_include(engine):
        templates = engine({"row.html": "<li>{{ x }}</li>"})
        ...

The compiled runs need the compiler, the chapter's last exercise (03.9): the
``mode`` fixture marks them with it, so until it is written they wait, and the
interpreted runs are the ones that check exercises 03.1 to 03.8.

``templates_setting`` configures ``TEMPLATES`` for the tests that go through
``tinyframe.template.loader`` and the backend.
"""

import pytest

from tinyframe.template import Context, Engine, TemplateSyntaxError

LOCMEM = "tinyframe.template.loaders.locmem.Loader"
COMPILER = "03.9"  # compile_template: every compiled rendering goes through it


@pytest.fixture(params=[pytest.param("compiled", marks=pytest.mark.exercise(COMPILER)), "interpreted"])
def mode(request) -> str:
    """How templates render: "compiled" (Python functions) or "interpreted" (walking the tree).

    A mark on a fixture's param reaches every test that uses the fixture, even
    through ``engine`` and ``render``: ``test_upper[compiled]`` is marked with
    the compiler, ``test_upper[interpreted]`` is not.
    """
    return request.param


@pytest.fixture
def engine(mode):
    """``engine(templates=None, **options) -> Engine`` loading ``templates`` ({name: source})."""

    def make(templates: dict | None = None, **options) -> Engine:
        options.setdefault("compiled", mode == "compiled")
        return Engine(loaders=[(LOCMEM, dict(templates or {}))], **options)

    return make


@pytest.fixture
def render(engine):
    """``render(source, context=None, templates=None, **options) -> str`` with a fresh engine."""

    def render(source: str, context: dict | None = None, templates: dict | None = None, **options) -> str:
        return engine(templates, **options).from_string(source).render(Context(dict(context or {})))

    return render


@pytest.fixture
def check_renderings(render, check_rows):
    """``check_renderings(cases)``: each (template, context, expected) renders to ``expected``, as one test."""

    def check(template: str, context: dict, expected: str) -> None:
        got = render(template, context)
        assert got == expected, f"rendering {template!r} with {context!r} gave {got!r}; expected {expected!r}"

    return lambda cases: check_rows(cases, check)


@pytest.fixture
def check_syntax_errors(engine, check_rows):
    """``check_syntax_errors(cases)``: each (template, message) is refused with exactly that TemplateSyntaxError."""

    def check(template: str, message: str) -> None:
        with pytest.raises(TemplateSyntaxError) as caught:
            engine().from_string(template)
        got = str(caught.value)
        assert got == message, f"compiling {template!r} raised {got!r}; expected {message!r}"

    return lambda cases: check_rows(cases, check)


@pytest.fixture
def templates_setting(tmp_path, use_settings):
    """``templates_setting(**options)``: TEMPLATES with one engine over ``tmp_path``, for this test."""

    def configure(dirs=None, app_dirs=False, **options):
        setting = [{
            "BACKEND": "tinyframe.template.backends.django.DjangoTemplates",
            "DIRS": [str(tmp_path)] if dirs is None else dirs,
            "APP_DIRS": app_dirs,
            "OPTIONS": options,
        }]
        use_settings(TEMPLATES=setting)
        return tmp_path

    return configure
