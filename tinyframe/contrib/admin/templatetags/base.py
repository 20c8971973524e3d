"""``InclusionAdminNode``: an inclusion tag whose template a project can override per app and per model.

``{% submit_row %}`` on the change page of ``blog.Post`` renders the first
of ``admin/blog/post/submit_line.html``, ``admin/blog/submit_line.html``,
``admin/submit_line.html`` that exists: the same override ladder as the
admin's page templates, read from the ``opts`` in the context.
"""

from inspect import getfullargspec

from tinyframe.template.library import InclusionNode, parse_bits

__all__ = ["InclusionAdminNode"]


class InclusionAdminNode(InclusionNode):
    """Render ``func(context, ...)``'s dict with the most specific ``admin/.../<template_name>``."""

    def __init__(self, parser, token, func, template_name: str, takes_context: bool = True):
        self.template_name = template_name
        params, varargs, varkw, defaults, kwonly, kwonly_defaults, _ = getfullargspec(func)
        bits = token.split_contents()
        args, kwargs = parse_bits(parser, bits[1:], params, varargs, varkw, defaults, kwonly, kwonly_defaults,
                                  takes_context, bits[0])
        super().__init__(func, takes_context, args, kwargs, filename=None)

    def render(self, context) -> str:
        opts = context["opts"]
        # Chosen on every render: the same compiled template serves every model.
        context.render_context[self] = context.template.engine.select_template([
            f"admin/{opts.app_label.lower()}/{opts.model_name}/{self.template_name}",
            f"admin/{opts.app_label.lower()}/{self.template_name}",
            f"admin/{self.template_name}",
        ])
        return super().render(context)
