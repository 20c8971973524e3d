"""Loading templates from a dict of ``{name: source}``: handy in tests.

>>> from tinyframe.template import Context, Engine
>>> engine = Engine(loaders=[("tinyframe.template.loaders.locmem.Loader", {"a.html": "A{{ x }}"})])
>>> engine.get_template("a.html").render(Context({"x": 1}))
'A1'
"""

from tinyframe.template.base import Origin
from tinyframe.template.exceptions import TemplateDoesNotExist
from tinyframe.template.loaders.base import Loader as BaseLoader


class Loader(BaseLoader):
    """Finds templates in the dict ``templates_dict``."""

    def __init__(self, engine, templates_dict):
        self.templates_dict = templates_dict
        super().__init__(engine)

    def get_contents(self, origin) -> str:
        try:
            return self.templates_dict[origin.name]
        except KeyError:
            raise TemplateDoesNotExist(origin) from None

    def get_template_sources(self, template_name: str):
        yield Origin(name=template_name, template_name=template_name, loader=self)
