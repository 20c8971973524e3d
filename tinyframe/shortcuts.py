"""Shortcuts that span layers: ``redirect`` to an object, a view name or a URL.

How it works: ``redirect(to, *args, **kwargs)`` asks ``resolve_url`` where
``to`` points and wraps the answer in a redirect response. ``resolve_url``
tries, in order: an object's ``get_absolute_url()``, a relative URL
(``./``, ``../``), then ``reverse()`` of a view name or view function with the
arguments; only when reversing fails does a string that looks like a URL (it
has a ``/`` or a ``.``) count as one. Later chapters add ``render`` (03) and
``get_object_or_404`` (07).

    >>> resolve_url("../")
    '../'
    >>> class Post:
    ...     def get_absolute_url(self):
    ...         return "/posts/hello/"
    >>> redirect(Post())["Location"]
    '/posts/hello/'
"""

from tinyframe.http import HttpResponsePermanentRedirect, HttpResponseRedirect
from tinyframe.urls import NoReverseMatch, reverse
from tinyframe.utils.functional import Promise

__all__ = ["redirect", "resolve_url"]


def redirect(to, *args, permanent: bool = False, preserve_request: bool = False, **kwargs):
    """Redirect to wherever ``to`` points (see ``resolve_url``): 302, or 301 when ``permanent``.

    With ``preserve_request=True`` the status is 307 (or 308), which tells the
    browser to repeat the method and body: a POST stays a POST.
    """
    redirect_class = HttpResponsePermanentRedirect if permanent else HttpResponseRedirect
    return redirect_class(resolve_url(to, *args, **kwargs), preserve_request=preserve_request)


def resolve_url(to, *args, **kwargs) -> str:
    """Return the URL that ``to`` stands for: an object's URL, a reversed view, or ``to`` itself.

    In this order:

    1. an object with a ``get_absolute_url`` method: return what it returns;
    2. a lazy string (a ``Promise``, from ``reverse_lazy``): make it a ``str``;
    3. a string starting with ``./`` or ``../`` is a relative URL: return it;
    4. return ``reverse(to, args=args, kwargs=kwargs)`` (``to`` may be a view
       name or the view function itself);
    5. when that raises ``NoReverseMatch``: raise it again if ``to`` is callable,
       or if it has neither a ``/`` nor a ``.`` (a mistyped view name must be an
       error, not a redirect to ``/typo``); otherwise ``to`` is a URL: return it.
    """
    if hasattr(to, "get_absolute_url"):
        return to.get_absolute_url()
    if isinstance(to, Promise):
        # Made concrete now: what comes next (urlsplit, startswith) wants a real str.
        to = str(to)
    if isinstance(to, str) and to.startswith(("./", "../")):
        return to
    try:
        return reverse(to, args=args, kwargs=kwargs)
    except NoReverseMatch:
        if callable(to) or ("/" not in to and "." not in to):
            raise
    return to
# >>> 03_templates

from tinyframe.http import HttpResponse  # noqa: E402  (chapter 03's addition)
from tinyframe.template import loader  # noqa: E402

__all__ += ["render"]


def render(request, template_name, context=None, content_type=None, status=None, using=None) -> HttpResponse:
    """The response of a view that shows a template: ``render_to_string``, wrapped in an HttpResponse.

    The request goes to the template too, so the context processors run
    (``{{ request.path }}`` works in any template). ``template_name`` may be a
    list: the first template that exists is used.
    """
    content = loader.render_to_string(template_name, context, request, using=using)
    return HttpResponse(content, content_type, status)
# <<< 03_templates
# >>> 07_relations

from tinyframe.http import Http404  # noqa: E402  (chapter 07's addition)

__all__ += ["get_list_or_404", "get_object_or_404"]


def _get_queryset(klass, function_name: str, method: str):
    """The QuerySet to search: a model's default manager's, or ``klass`` itself (a Manager or QuerySet).

    ``klass`` must at least have ``method`` (``get`` or ``filter``): anything
    else is a ValueError naming what was given, raised now rather than as a
    puzzling AttributeError from inside the query.
    """
    if hasattr(klass, "_default_manager"):
        return klass._default_manager.all()
    if not hasattr(klass, method):
        name = klass.__name__ if isinstance(klass, type) else type(klass).__name__
        raise ValueError(
            f"First argument to {function_name}() must be a Model, Manager, or QuerySet, not '{name}'."
        )
    return klass


def get_object_or_404(klass, *args, **kwargs):
    """``klass.get(*args, **kwargs)``, with a 404 instead of DoesNotExist: ``get_object_or_404(Book, pk=3)``.

    ``klass`` is a model, a manager or a QuerySet (``Book.objects.filter(published=True)``
    limits the search). More than one match is still MultipleObjectsReturned:
    that is a bug in the lookup, not a missing page.
    """
    queryset = _get_queryset(klass, "get_object_or_404", "get")
    try:
        return queryset.get(*args, **kwargs)
    except queryset.model.DoesNotExist:
        raise Http404(f"No {queryset.model._meta.object_name} matches the given query.") from None


def get_list_or_404(klass, *args, **kwargs) -> list:
    """``list(klass.filter(*args, **kwargs))``, with a 404 when it is empty."""
    queryset = _get_queryset(klass, "get_list_or_404", "filter")
    objects = list(queryset.filter(*args, **kwargs))
    if not objects:
        raise Http404(f"No {queryset.model._meta.object_name} matches the given query.")
    return objects
# <<< 07_relations
