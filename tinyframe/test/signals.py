"""The test tools' signals: what templates rendered, and caches to reset when a setting changes.

How it works: the template engine sends ``template_rendered`` each time a
template renders. A ``TemplateRecorder`` connects to it for a while and keeps
every template and a copy of its context: the test client records around each
request (``response.templates``, ``response.context``), and
``SimpleTestCase.assertTemplateUsed`` around a ``with`` block. Several
contexts are kept in a ``ContextList``, which looks a name up in each of
them, so ``response.context["title"]`` works whichever template had it.

``override_settings`` sends ``setting_changed`` on the way in and on the way
out; the receivers here forget what was computed from the old value: the
URL resolvers (``ROOT_URLCONF``) and the template engines (``TEMPLATES``,
``DEBUG``, ``INSTALLED_APPS``).
"""

from copy import copy

from tinyframe.core.signals import setting_changed
from tinyframe.template.base import template_rendered

__all__ = ["ContextList", "TemplateRecorder", "setting_changed", "template_rendered"]


class ContextList(list):
    """The contexts of the templates a response rendered, one per template, in the order they rendered.

    ``contexts["title"]`` is the value from the first context that has it;
    ``contexts[0]`` is still the first context.
    """

    def __getitem__(self, key):
        """Look a name up across the contexts; index the list as usual otherwise.

        For a ``str`` key, return ``context[key]`` from the first context (in
        list order) that has the key (``key in context``); when none has it,
        raise ``KeyError(key)``. Any other key (an int, a slice) indexes the
        list itself: ``super().__getitem__(key)``.
        """
        if isinstance(key, str):
            for context in self:
                if key in context:
                    return context[key]
            raise KeyError(key)
        return super().__getitem__(key)

    def get(self, key, default=None):
        """``self[key]``, or ``default`` when no context has the name."""
        try:
            return self[key]
        except KeyError:
            return default

    def __contains__(self, key) -> bool:
        if isinstance(key, str):
            return any(key in context for context in self)
        return super().__contains__(key)

    def keys(self) -> set:
        """Every name any of the contexts has."""
        return {key for context in self for layer in context for key in layer}


class TemplateRecorder:
    """Records the templates rendered while it is connected to ``template_rendered``.

    As a ``with`` block it connects on entry and disconnects on exit, then
    calls ``on_exit(recorder)`` unless the block raised (that is how
    ``assertTemplateUsed`` checks what the block rendered).
    """

    def __init__(self, on_exit=None):
        self.templates = []
        self.contexts = ContextList()
        self.on_exit = on_exit

    def connect(self) -> None:
        # Weakly, as receivers are by default: a recorder that is never
        # disconnected (its request raised) disconnects itself when collected.
        template_rendered.connect(self.record)

    def disconnect(self) -> None:
        template_rendered.disconnect(self.record)

    def record(self, sender, template, context, **kwargs) -> None:
        """The receiver: keep the template and a copy of its context as it is now."""
        self.templates.append(template)
        # A copy of the stack of dicts: the tags rendering next push and pop
        # layers of this same Context, and the test reads it afterwards.
        self.contexts.append(copy(context))

    @property
    def template_names(self) -> list[str]:
        """The names of the templates recorded (templates made from a string have none)."""
        return [template.name for template in self.templates if template.name is not None]

    @property
    def context(self):
        """As Django's client gives it: None, the one template's Context, or a ContextList of several."""
        if not self.contexts:
            return None
        if len(self.contexts) == 1:
            (context,) = self.contexts
            return context
        return self.contexts

    def __enter__(self):
        self.connect()
        return self

    def __exit__(self, exc_type, exc_value, traceback):
        self.disconnect()
        if exc_type is None and self.on_exit is not None:
            self.on_exit(self)


def root_urlconf_changed(*, setting, **kwargs) -> None:
    """A new ROOT_URLCONF: forget the resolvers (and views and reversals) made for the old one."""
    if setting == "ROOT_URLCONF":
        from tinyframe.urls import clear_url_caches, set_urlconf

        clear_url_caches()
        set_urlconf(None)


def reset_template_engines(*, setting, **kwargs) -> None:
    """Build the template engines again after a setting they were built from changed.

    ``DEBUG`` is the default of each engine's ``debug`` option, and
    ``INSTALLED_APPS`` says where template libraries and app templates are.
    """
    if setting in {"TEMPLATES", "DEBUG", "INSTALLED_APPS"}:
        from tinyframe.template import engines

        engines._engines = {}
        engines._configured_from = None


# Connected strongly: a module's functions live as long as the module, so a
# weak reference would buy nothing.
setting_changed.connect(root_urlconf_changed, weak=False)
setting_changed.connect(reset_template_engines, weak=False)
# >>> 09_forms


def form_renderer_changed(*, setting, **kwargs) -> None:
    """A new FORM_RENDERER (or TEMPLATES...): the default form renderer is made again, if forms are loaded.

    Looked up in ``sys.modules`` rather than imported: this module must not
    import ``tinyframe.forms`` (nor fail when chapter 09 is half written).
    """
    import sys

    renderers = sys.modules.get("tinyframe.forms.renderers")
    if renderers is not None:
        renderers.form_renderer_changed(setting=setting)


setting_changed.connect(form_renderer_changed, weak=False)
# <<< 09_forms
