"""The DEBUG pages for a 404: what was asked for, and which URL patterns were tried.

How it works: with ``settings.DEBUG`` on, the handler answers an ``Http404``
with ``technical_404_response(request, exception)`` instead of the plain page.
When no pattern matched, the exception is the resolver's ``Resolver404``,
whose first argument is ``{"tried": [...], "path": "..."}``: every pattern the
resolver tried, in order (each one as the list of includes leading to it),
and the part of the path left to match. The page lists them, so a typo in a
URL or in a route shows at a glance. When a view raised ``Http404`` itself,
the path did match: the page says which view raised it, and why. A URLconf
with no patterns at all is a new project, not an error: ``default_urlconf``
welcomes it instead.

Every value on these pages comes from the request or the project and is
HTML-escaped: a path such as ``/<script>/`` must show as text, never run.
The DEBUG page for a 500 is chapter 01's ``technical_500_response``
(``tinyframe.core.handlers.exception``).
"""

import types
from html import escape

from tinyframe.conf import settings
from tinyframe.http import HttpResponse, HttpResponseNotFound

__all__ = ["default_urlconf", "technical_404_response"]

TECHNICAL_404_TEMPLATE = """<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <title>Page not found at {path_info}</title>
</head>
<body>
  <h1>Page not found <small>(404)</small></h1>
  {reason}<table class="meta">
    <tr><th scope="row">Request Method:</th><td>{method}</td></tr>
    <tr><th scope="row">Request URL:</th><td>{url}</td></tr>
    {raised_by}</table>
  {patterns}
  <p>You're seeing this error because you have <code>DEBUG = True</code> in your settings file.
  Change that to <code>False</code>, and tinyframe will display a standard 404 page.</p>
</body>
</html>
"""

DEFAULT_URLCONF_PAGE = """<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <title>The install worked successfully! Congratulations!</title>
</head>
<body>
  <h1>The install worked successfully! Congratulations!</h1>
  <p>You are seeing this page because <code>DEBUG = True</code> is in your settings file and you have
  not configured any URLs. Add patterns to <code>urlpatterns</code> in <code>{urlconf}</code>.</p>
</body>
</html>
"""


def technical_404_response(request, exception) -> HttpResponse:
    """The DEBUG page for a 404: the URL patterns tried, or the view that raised ``Http404``.

    ``exception`` is a ``Resolver404`` (no pattern matched: its first argument
    holds ``tried`` and ``path``) or an ``Http404`` raised by a view.
    """
    details = exception.args[0] if exception.args else None
    if isinstance(details, dict) and "tried" in details:
        resolved = False
        tried = details["tried"]
        path = details.get("path", request.path_info[1:])
        if not tried:
            return default_urlconf(request)
    else:
        # A view raised Http404: the path matched, so show how it got there.
        resolved = True
        tried = getattr(request.resolver_match, "tried", None)
        path = request.path_info[1:]

    reason = ""
    if resolved and str(exception):
        reason = f'<pre class="exception_value">{escape(str(exception))}</pre>\n  '
    raised_by = ""
    if resolved and request.resolver_match is not None:
        view = escape(view_path(request.resolver_match.func))
        raised_by = f'<tr><th scope="row">Raised by:</th><td>{view}</td></tr>\n    '

    content = TECHNICAL_404_TEMPLATE.format(
        path_info=escape(request.path_info),
        reason=reason,
        method=escape(request.method or ""),
        url=escape(request.build_absolute_uri()),
        raised_by=raised_by,
        patterns=patterns_tried(tried, path, resolved, urlconf_name(request)) if tried else "",
    )
    return HttpResponseNotFound(content)


def patterns_tried(tried: list, path: str, resolved: bool, urlconf: str) -> str:
    """The HTML list of the patterns tried, each as the chain of includes that leads to it.

    >>> class Pattern:
    ...     def __init__(self, pattern, name=None):
    ...         self.pattern, self.name = pattern, name
    >>> print(patterns_tried([[Pattern("posts/<slug:slug>/", "post")]], "nope/", False, "mysite.urls"))
    <p>Using the URLconf defined in <code>mysite.urls</code>, tinyframe tried these URL patterns, in this order:</p>
      <ol>
        <li><code>posts/&lt;slug:slug&gt;/ [name=&#x27;post&#x27;]</code></li>
      </ol>
      <p>The current path, <code>nope/</code>, didn't match any of these.</p>
    """
    items = []
    for chain in tried:
        # Django's resolvers give a list (the includes, then the pattern); be
        # forgiving and accept a lone pattern too.
        chain = chain if isinstance(chain, (list, tuple)) else [chain]
        codes = []
        for position, pattern in enumerate(chain, start=1):
            text = str(getattr(pattern, "pattern", pattern))
            name = getattr(pattern, "name", None)
            if position == len(chain) and name:
                text += f" [name='{name}']"
            codes.append(f"<code>{escape(text)}</code>")
        items.append(f"    <li>{' '.join(codes)}</li>\n")
    current = f"The current path, <code>{escape(path)}</code>," if path else "The empty path"
    outcome = "matched the last one." if resolved else "didn't match any of these."
    return (
        f"<p>Using the URLconf defined in <code>{escape(urlconf)}</code>, tinyframe tried these URL patterns, "
        f"in this order:</p>\n  <ol>\n{''.join(items)}  </ol>\n  <p>{current} {outcome}</p>"
    )


def default_urlconf(request) -> HttpResponse:
    """The welcome page of a new project, whose URLconf has no patterns yet (DEBUG only)."""
    return HttpResponse(DEFAULT_URLCONF_PAGE.format(urlconf=escape(urlconf_name(request))))


def urlconf_name(request) -> str:
    """The dotted name of the URLconf that served ``request``: its own (set by a middleware) or the root one."""
    urlconf = getattr(request, "urlconf", None) or settings.ROOT_URLCONF
    if isinstance(urlconf, types.ModuleType):
        return urlconf.__name__
    return str(urlconf)


def view_path(view) -> str:
    """How the DEBUG page names a view: ``blog.views.post_detail``, or the class of a class-based view.

    >>> from tinyframe.views import View
    >>> view_path(View.as_view())
    'tinyframe.views.generic.base.View'
    """
    view = getattr(view, "view_class", view)
    if not hasattr(view, "__qualname__"):  # an instance with __call__, a functools.partial...
        view = type(view)
    return f"{view.__module__}.{view.__qualname__}"
