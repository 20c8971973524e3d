"""The two errors a template can raise before any of it is rendered.

How it works: a loader that cannot find a template raises
``TemplateDoesNotExist``, listing every place it looked (``tried``); an engine
that tries several loaders, or ``select_template`` that tries several names,
collects the failures into ``chain``, so the final message says everything that
was searched. The parser raises ``TemplateSyntaxError`` for a template it
cannot read; ``Parser.error`` then adds the template's name and line as a note
(and, with ``Engine(debug=True)``, the source lines around it).
"""


class TemplateDoesNotExist(Exception):
    """No loader could find the template.

    ``tried`` is a list of ``(origin, reason)`` pairs, one per place a loader
    looked; ``chain`` holds the earlier ``TemplateDoesNotExist`` errors when
    several names or engines were tried.

    >>> str(TemplateDoesNotExist("blog/post.html"))
    'blog/post.html'
    """

    def __init__(self, msg, tried=None, backend=None, chain=None):
        self.backend = backend
        self.tried = tried or []
        self.chain = chain or []
        super().__init__(msg)


class TemplateSyntaxError(Exception):
    """The template's source is not valid template language.

    The message says what is wrong; the template's name and line are added as
    a note (see ``Parser.error``), and kept in ``template_debug``.
    """
