"""``{% load log %}``: the admin's history in a template.

``{% get_admin_log 10 as admin_log for_user user %}`` puts the ten newest
``LogEntry`` rows of that user into ``admin_log`` (the index's "Recent
actions"). The rows come from the page's ``log_entries`` (``AdminSite.each_context``)
when it has them, so a site can narrow what any page shows; else from all
of ``LogEntry``. ``for_user`` takes a user or a user's id, and may be left
out for everyone's actions.
"""

from tinyframe.template import Library, Node, TemplateSyntaxError

register = Library()


class AdminLogNode(Node):
    """Sets ``varname`` to the newest ``limit`` log entries, of one user when ``user`` names one."""

    def __init__(self, limit: str, varname: str, user: str | None):
        self.limit, self.varname, self.user = limit, varname, user

    def __repr__(self):
        return "<GetAdminLog Node>"

    def render(self, context) -> str:
        entries = context.get("log_entries")
        if entries is None:
            from tinyframe.contrib.admin.models import LogEntry

            entries = LogEntry.objects.all()
        if self.user is not None:
            user_id = self.user
            if not user_id.isdigit():
                user_id = context[self.user].pk
            entries = entries.filter(user__pk=user_id)
        context[self.varname] = entries[: int(self.limit)]
        return ""


@register.tag
def get_admin_log(parser, token) -> AdminLogNode:
    """``{% get_admin_log <limit> as <varname> [for_user <user or id>] %}``."""
    bits = token.contents.split()
    usage = "'get_admin_log' statements require the format: {% get_admin_log <limit> as <varname> [for_user <user>] %}"
    if len(bits) < 4 or bits[2] != "as":
        raise TemplateSyntaxError(usage)
    if not bits[1].isdigit():
        raise TemplateSyntaxError("First argument to 'get_admin_log' must be an integer")
    if len(bits) > 4 and (len(bits) != 6 or bits[4] != "for_user"):
        raise TemplateSyntaxError("Fourth argument to 'get_admin_log' must be 'for_user'")
    return AdminLogNode(limit=bits[1], varname=bits[3], user=bits[5] if len(bits) > 5 else None)
