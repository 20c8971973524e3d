"""``{% load admin_urls %}``: naming the admin's URLs and keeping the changelist's filters across pages.

``opts|admin_urlname:"change"`` builds a URL name such as
``admin:blog_post_change`` for ``{% url %}``; ``pk|admin_urlquote`` makes a
primary key safe inside a path segment; ``{% add_preserved_filters url %}``
adds the changelist's search and filters (``_changelist_filters``) to a
link, so that "Save" comes back to the list the user was looking at.
"""

from urllib.parse import parse_qsl, unquote, urlencode, urlsplit, urlunsplit

from tinyframe.contrib.admin.utils import quote
from tinyframe.template import Library
from tinyframe.urls import Resolver404, get_script_prefix, resolve

register = Library()


@register.filter
def admin_urlname(value, arg) -> str:
    """The URL name of one of a model's admin pages: ``opts|admin_urlname:"changelist"``."""
    return f"admin:{value.app_label}_{value.model_name}_{arg}"


@register.filter
def admin_urlquote(value):
    """A primary key escaped for a URL path segment (``"a/b"`` → ``"a_2Fb"``)."""
    return quote(value)


@register.simple_tag(takes_context=True)
def add_preserved_filters(context, url, popup=False, to_field=None) -> str:
    """``url`` with the page's preserved filters added to its query string.

    On the changelist itself the filters are unwrapped from
    ``_changelist_filters``: the list's own query string is what it reads.
    The query string already in ``url`` wins over the preserved one.
    """
    opts = context.get("opts")
    preserved_filters = context.get("preserved_filters")
    preserved_qsl = context.get("preserved_qsl")
    parts = list(urlsplit(url))
    own_query = dict(parse_qsl(parts[3]))
    merged = {}
    if preserved_qsl:
        merged.update(preserved_qsl)
    if opts and preserved_filters:
        preserved = dict(parse_qsl(preserved_filters))
        match_url = "/" + unquote(url).partition(get_script_prefix())[2]
        try:
            match = resolve(match_url)
        except Resolver404:
            pass
        else:
            current_url = f"{match.app_name}:{match.url_name}"
            changelist_url = f"admin:{opts.app_label}_{opts.model_name}_changelist"
            if current_url == changelist_url and "_changelist_filters" in preserved:
                preserved = dict(parse_qsl(preserved["_changelist_filters"]))
        merged.update(preserved)
    if popup:
        from tinyframe.contrib.admin.options import IS_POPUP_VAR

        merged[IS_POPUP_VAR] = 1
    if to_field:
        from tinyframe.contrib.admin.options import TO_FIELD_VAR

        merged[TO_FIELD_VAR] = to_field
    merged.update(own_query)
    parts[3] = urlencode(merged)
    return urlunsplit(parts)
