"""Form renderers: where the templates of forms, fields, widgets and errors come from.

How it works: everything in ``tinyframe.forms`` that produces HTML names a
template (``tinyframe/forms/widgets/text.html``, ``tinyframe/forms/div.html``)
and asks a renderer to ``render(template_name, context)``. The renderer finds
the template once — its engine's cached loader compiles each template to a
Python function the first time — and renders the dict. Which renderer a form
uses is the ``FORM_RENDERER`` setting (``get_default_renderer``), or a
form's ``default_renderer``, or the ``renderer=`` argument.

* ``DjangoTemplates`` (the default) has an engine of its own, reading
  ``tinyframe/forms/templates`` and every installed app's ``templates``
  directory: forms render the same whatever the project's ``TEMPLATES`` say.
* ``TemplatesSetting`` finds templates through the project's ``TEMPLATES``,
  so a project overrides any form or widget template by putting one of the
  same name in its own template directories.

>>> renderer = DjangoTemplates()
>>> print(renderer.render("tinyframe/forms/errors/list/ul.html", {"errors": ["<Bad>"], "error_class": "errorlist"}))
<ul class="errorlist"><li>&lt;Bad&gt;</li></ul>
"""

import functools
from pathlib import Path

from tinyframe.conf import settings
from tinyframe.template.backends.django import DjangoTemplates as DjangoTemplatesBackend
from tinyframe.utils.module_loading import import_string
from tinyframe.utils.safestring import SafeString

__all__ = ["BaseRenderer", "DjangoTemplates", "TemplatesSetting", "get_default_renderer"]

# tinyframe/forms/templates: the directory the built-in form templates live under.
TEMPLATES_DIR = Path(__file__).parent / "templates"


@functools.lru_cache
def get_default_renderer():
    """The renderer ``FORM_RENDERER`` names, made once per process (renderers hold no per-request state)."""
    renderer_class = import_string(settings.FORM_RENDERER)
    return renderer_class()


def form_renderer_changed(*, setting, **kwargs) -> None:
    """After ``override_settings`` changes a setting the default renderer was built from, build it again.

    Connected to ``setting_changed`` by ``tinyframe.test.signals``: a test
    that switches ``FORM_RENDERER`` or ``TEMPLATES`` gets a renderer made
    from its settings, and the next test gets the old one back.
    """
    if setting in {"FORM_RENDERER", "TEMPLATES", "INSTALLED_APPS", "DEBUG"}:
        get_default_renderer.cache_clear()


class BaseRenderer:
    """A renderer: ``get_template(name)`` to implement, ``render`` given.

    The ``*_template_name`` attributes are the templates forms, formsets and
    bound fields use when they are not told another: a project can switch
    every form to another layout with one renderer subclass.
    """

    form_template_name = "tinyframe/forms/div.html"
    formset_template_name = "tinyframe/forms/formsets/div.html"
    field_template_name = "tinyframe/forms/field.html"

    bound_field_class = None

    def get_template(self, template_name: str):
        raise NotImplementedError("subclasses must implement get_template()")

    def render(self, template_name: str, context: dict, request=None) -> SafeString:
        """The template rendered with the dict ``context``, surrounding whitespace stripped.

        A template file may end with a newline, and a project's overriding
        templates often start or end with one; stripping keeps a widget's
        ``<input>`` free of stray blank lines wherever it lands, as Django's
        renderers do.
        """
        template = self.get_template(template_name)
        return SafeString(template.render(context, request=request).strip())


class EngineMixin:
    """A renderer with a template engine of its own, made on first use."""

    backend = DjangoTemplatesBackend

    def get_template(self, template_name: str):
        """The template called ``template_name``: found and compiled once, then kept by name.

        A form renders a dozen small templates per field, so even the cached
        loader's walk (ask each loader, build a cache key) adds up; a dict
        lookup does not.
        """
        try:
            return self.templates[template_name]
        except KeyError:
            template = self.templates[template_name] = self.engine.get_template(template_name)
            return template

    @functools.cached_property
    def templates(self) -> dict:
        """Template name → the engine's template, filled as templates are first used."""
        return {}

    @functools.cached_property
    def engine(self):
        """A ``DjangoTemplates`` backend over the built-in templates and the apps' ``templates`` dirs.

        ``DIRS`` comes first, so the built-in templates win over an app's of
        the same name; ``APP_DIRS`` lets an app ship templates for its own widgets.
        """
        return self.backend(
            {"APP_DIRS": True, "DIRS": [TEMPLATES_DIR], "NAME": "tinyframeforms", "OPTIONS": {}}
        )


class DjangoTemplates(EngineMixin, BaseRenderer):
    """The default renderer: tinyframe's template engine, over ``tinyframe/forms/templates`` and the apps'."""


class TemplatesSetting(BaseRenderer):
    """Templates from the project's ``TEMPLATES``: a project's template of the same name replaces ours.

    The project's engine must be able to find the built-in templates too:
    ``APP_DIRS`` with ``tinyframe.forms`` in ``INSTALLED_APPS``, or
    ``tinyframe/forms/templates`` in ``DIRS``.
    """

    def get_template(self, template_name: str):
        from tinyframe.template.loader import get_template

        return get_template(template_name)
