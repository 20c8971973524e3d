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

    The message is the name, as in Django; the places tried are added as a
    note, which Python prints under the message:

    >>> from tinyframe.template.base import Origin
    >>> error = TemplateDoesNotExist("post.html", tried=[(Origin("/srv/templates/post.html"), "Source does not exist")])
    >>> str(error)
    'post.html'
    >>> print(error.__notes__[0])
    Tried:
      /srv/templates/post.html (Source does not exist)
    """

    def __init__(self, msg, tried=None, backend=None, chain=None):
        self.backend = backend
        self.tried = tried or []
        self.chain = chain or []
        super().__init__(msg)
        lines = [f"{origin.name} ({reason})" for origin, reason in self.all_tried()]
        if lines:
            self.add_note("Tried:\n" + "\n".join(f"  {line}" for line in lines))

    def all_tried(self) -> list:
        """``tried``, and the ``tried`` of every chained error, without repeats."""
        pairs = []
        for error in [*self.chain, self]:
            for pair in error.tried:
                if pair not in pairs:
                    pairs.append(pair)
        return pairs


class TemplateSyntaxError(Exception):
    """The template's source is not valid template language.

    The message says what is wrong; the template's name and line are added as
    a note (see ``Parser.error``), and kept in ``template_debug``.
    """
