"""Decorators a project's ``admin.py`` is written with: ``register``, ``display`` and ``action``.

How it works: none of them wraps the function it decorates. ``display`` and
``action`` only set the attributes the admin reads later (``boolean``,
``admin_order_field``, ``short_description``, ``empty_value_display``;
``allowed_permissions``), so the function still runs as written.
``register`` registers a ``ModelAdmin`` class with a site and returns the
class unchanged.

    >>> @display(description="Published?", boolean=True)
    ... def is_published(obj):
    ...     return obj.published
    >>> is_published.short_description, is_published.boolean
    ('Published?', True)
"""

__all__ = ["action", "display", "register"]


def action(function=None, *, permissions=None, description=None):
    """Mark a function as an admin action: ``@admin.action(description="Publish", permissions=["change"])``.

    ``permissions`` names the ``has_<name>_permission`` methods of the
    ModelAdmin, one of which must allow the user for the action to be offered.
    Usable bare (``@admin.action``) or with arguments.
    """

    def decorator(func):
        if permissions is not None:
            func.allowed_permissions = permissions
        if description is not None:
            func.short_description = description
        return func

    if function is None:
        return decorator
    return decorator(function)


def display(function=None, *, boolean=None, ordering=None, description=None, empty_value=None):
    """Describe a ``list_display`` callable: its column header, sort field, yes/no icon and empty value.

    ``boolean=True`` shows the value as a yes/no icon; ``ordering`` names the
    field (or expression) the column sorts by; ``description`` is the header;
    ``empty_value`` replaces a ``None``. Usable bare or with arguments.
    """

    def decorator(func):
        if boolean is not None and empty_value is not None:
            raise ValueError(
                "The boolean and empty_value arguments to the @display decorator are mutually exclusive."
            )
        if boolean is not None:
            func.boolean = boolean
        if ordering is not None:
            func.admin_order_field = ordering
        if description is not None:
            func.short_description = description
        if empty_value is not None:
            func.empty_value_display = empty_value
        return func

    if function is None:
        return decorator
    return decorator(function)


def register(*models, site=None):
    """Register the decorated ModelAdmin class for ``models`` with ``site`` (``admin.site`` by default).

    ``@admin.register(Post, Page)`` above ``class PostAdmin(admin.ModelAdmin)``
    is ``admin.site.register([Post, Page], PostAdmin)`` written where the
    class is.
    """
    from tinyframe.contrib.admin import ModelAdmin
    from tinyframe.contrib.admin.sites import AdminSite
    from tinyframe.contrib.admin.sites import site as default_site

    def wrapper(admin_class):
        if not models:
            raise ValueError("At least one model must be passed to register.")
        admin_site = site or default_site
        if not isinstance(admin_site, AdminSite):
            raise ValueError("site must subclass AdminSite")
        if not issubclass(admin_class, ModelAdmin):
            raise ValueError("Wrapped class must subclass ModelAdmin.")
        admin_site.register(models, admin_class=admin_class)
        return admin_class

    return wrapper
