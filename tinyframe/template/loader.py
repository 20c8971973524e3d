"""Finding and rendering templates by name, across every configured engine.

How it works: the ``TEMPLATES`` setting may define several engines;
``get_template`` asks each in turn (or only the one named by ``using``) and
returns the first template found. When none has it, the
``TemplateDoesNotExist`` it raises chains every engine's error, so the
message lists everywhere that was searched. ``render_to_string`` is the
everyday shortcut: find, then render with a dict (and a request, for context
processors).
"""

from tinyframe.template import engines
from tinyframe.template.exceptions import TemplateDoesNotExist


def get_template(template_name: str, using: str | None = None):
    """The template called ``template_name`` from the first engine that has it."""
    chain = []
    for engine in _engine_list(using):
        try:
            return engine.get_template(template_name)
        except TemplateDoesNotExist as error:
            chain.append(error)
    raise TemplateDoesNotExist(template_name, chain=chain)


def select_template(template_name_list, using: str | None = None):
    """The first of the named templates that exists, in any engine."""
    if isinstance(template_name_list, str):
        raise TypeError(
            "select_template() takes an iterable of template names but got a string: "
            f"{template_name_list!r}. Use get_template() if you want to load a single template by name."
        )
    chain = []
    engine_list = _engine_list(using)
    for template_name in template_name_list:
        for engine in engine_list:
            try:
                return engine.get_template(template_name)
            except TemplateDoesNotExist as error:
                chain.append(error)
    if template_name_list:
        raise TemplateDoesNotExist(", ".join(template_name_list), chain=chain)
    raise TemplateDoesNotExist("No template names provided")


def render_to_string(template_name, context: dict | None = None, request=None, using: str | None = None) -> str:
    """Load a template (or the first of a list) and render it with ``context``."""
    if isinstance(template_name, (list, tuple)):
        template = select_template(template_name, using=using)
    else:
        template = get_template(template_name, using=using)
    return template.render(context, request)


def _engine_list(using: str | None = None) -> list:
    return engines.all() if using is None else [engines[using]]
