"""The ``auth`` context processor: ``{{ user }}`` and ``{{ perms }}`` in every template rendered with a request.

How it works: ``auth(request)`` returns the request's user (an
``AnonymousUser`` when no middleware set one) and a ``PermWrapper`` around
it. ``perms.blog`` is a ``PermLookupDict`` for the app label ``blog``, true
when the user has any permission in that app; ``perms.blog.add_comment``
asks ``user.has_perm("blog.add_comment")``. Nothing is queried until a
template asks. ``"blog.add_comment" in perms`` works too.

    >>> class Editor:
    ...     def has_perm(self, perm):
    ...         return perm == "blog.add_comment"
    ...     def has_module_perms(self, app_label):
    ...         return app_label == "blog"
    >>> perms = PermWrapper(Editor())
    >>> perms["blog"]["add_comment"], perms["blog"]["delete_comment"], bool(perms["shop"])
    (True, False, False)
    >>> "blog.add_comment" in perms, "blog" in perms
    (True, True)
"""

__all__ = ["PermLookupDict", "PermWrapper", "auth"]


class PermLookupDict:
    """The permissions of one user in one app: ``perms.blog.add_comment`` → ``has_perm("blog.add_comment")``."""

    def __init__(self, user, app_label: str):
        self.user, self.app_label = user, app_label

    def __repr__(self) -> str:
        return str(self.user.get_all_permissions())

    def __getitem__(self, perm_name: str) -> bool:
        return self.user.has_perm(f"{self.app_label}.{perm_name}")

    def __iter__(self):
        # Without this, "x in perms.blog" would iterate by calling
        # __getitem__(0), __getitem__(1)... for ever.
        raise TypeError("PermLookupDict is not iterable.")

    def __bool__(self) -> bool:
        return self.user.has_module_perms(self.app_label)


class PermWrapper:
    """All the permissions of a user, by app label: ``perms.blog`` is a ``PermLookupDict``."""

    def __init__(self, user):
        self.user = user

    def __repr__(self) -> str:
        return f"{type(self).__qualname__}({self.user!r})"

    def __getitem__(self, app_label: str) -> PermLookupDict:
        return PermLookupDict(self.user, app_label)

    def __iter__(self):
        # The template engine must not try to loop over every app label.
        raise TypeError("PermWrapper is not iterable.")

    def __contains__(self, perm_name: str) -> bool:
        """``"blog" in perms`` (any permission in the app) or ``"blog.add_comment" in perms``."""
        if "." not in perm_name:
            return bool(self[perm_name])
        app_label, perm_name = perm_name.split(".", 1)
        return self[app_label][perm_name]


def auth(request) -> dict:
    """``user`` (``request.user``, or an ``AnonymousUser``) and ``perms`` (a ``PermWrapper``) for templates."""
    if hasattr(request, "user"):
        user = request.user
    else:
        from tinyframe.contrib.auth.models import AnonymousUser

        user = AnonymousUser()
    return {"user": user, "perms": PermWrapper(user)}
