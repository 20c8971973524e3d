"""Loading templates from directories on disk.

How it works: for ``blog/post.html`` and the directories ``[a, b]``, the
candidates are ``a/blog/post.html`` then ``b/blog/post.html``; ``safe_join``
drops any candidate that would fall outside its directory, so a name such as
``../../etc/passwd`` is never read, only reported as not found.
"""

from tinyframe.core.exceptions import SuspiciousFileOperation
from tinyframe.template.base import Origin
from tinyframe.template.exceptions import TemplateDoesNotExist
from tinyframe.template.loaders.base import Loader as BaseLoader
from tinyframe.template.utils import safe_join


class Loader(BaseLoader):
    """Finds templates in ``dirs`` (by default the engine's ``dirs``)."""

    def __init__(self, engine, dirs=None):
        super().__init__(engine)
        self.dirs = dirs

    def get_dirs(self) -> list:
        return self.dirs if self.dirs is not None else self.engine.dirs

    def get_contents(self, origin) -> str:
        try:
            with open(origin.name, encoding=self.engine.file_charset) as file:
                return file.read()
        except (FileNotFoundError, IsADirectoryError, NotADirectoryError):
            raise TemplateDoesNotExist(origin) from None

    def get_template_sources(self, template_name: str):
        for template_dir in self.get_dirs():
            try:
                name = safe_join(template_dir, template_name)
            except SuspiciousFileOperation:
                # The name points outside this directory: never look there.
                continue
            yield Origin(name=name, template_name=template_name, loader=self)
