"""The admin site: a registry of models and their ModelAdmins, and the URLs and pages around them.

How it works: ``admin.site.register(Post, PostAdmin)`` makes one
``PostAdmin(Post, site)`` and keeps it in ``site._registry``. A project
mounts the whole admin with ``path("admin/", admin.site.urls)``: ``urls`` is
``(patterns, "admin", site.name)``, the triple ``include()`` returns, so every
page is named in the ``admin`` namespace (``admin:index``,
``admin:blog_post_changelist``). ``get_urls`` lists the site's own pages
(index, login, logout, password change, one index per app) and includes each
ModelAdmin's ``urls`` under ``<app_label>/<model_name>/``. Every page but the
login goes through ``admin_view``, which sends a visitor who is not active
staff to the login page with ``next`` set, and adds ``never_cache`` and
``csrf_protect``. ``each_context`` is what every page's template gets
(the site's titles, the apps the user may see).

    >>> site = AdminSite(name="backoffice")
    >>> site.urls[1:]
    ('admin', 'backoffice')
"""

from functools import update_wrapper
from weakref import WeakSet

from tinyframe.conf import settings
from tinyframe.contrib.admin.exceptions import AlreadyRegistered, NotRegistered
from tinyframe.contrib.auth import REDIRECT_FIELD_NAME
from tinyframe.contrib.auth.decorators import login_not_required
from tinyframe.core.exceptions import ImproperlyConfigured
from tinyframe.http import Http404, HttpResponsePermanentRedirect, HttpResponseRedirect
from tinyframe.template.response import TemplateResponse
from tinyframe.urls import NoReverseMatch, Resolver404, include, path, re_path, resolve, reverse
from tinyframe.utils.decorators import method_decorator
from tinyframe.utils.lazy_object import SimpleLazyObject
from tinyframe.utils.text import capfirst
from tinyframe.views.decorators.cache import never_cache
from tinyframe.views.decorators.common import no_append_slash
from tinyframe.views.decorators.csrf import csrf_protect

__all__ = ["AdminSite", "AlreadyRegistered", "DefaultAdminSite", "NotRegistered", "all_sites", "site"]

all_sites = WeakSet()


class AdminSite:
    """One admin: the registered models, its pages and its URL namespace ``name``.

    A project may run several, each mounted at its own prefix, by giving
    each a different ``name``; ``admin.site`` is the default one.
    """

    site_title = "Tinyframe site admin"
    site_header = "Tinyframe administration"
    index_title = "Site administration"
    site_url = "/"
    enable_nav_sidebar = False
    empty_value_display = "-"
    login_form = None
    index_template = None
    app_index_template = None
    login_template = None
    logout_template = None
    password_change_template = None
    password_change_done_template = None
    final_catch_all_view = True

    def __init__(self, name: str = "admin"):
        self._registry = {}  # model class -> ModelAdmin instance
        self.name = name
        self._actions = {}
        self._global_actions = {}
        self._disabled_actions = set()
        self._default_actions_loaded = False
        all_sites.add(self)

    def __repr__(self) -> str:
        return f"{self.__class__.__name__}(name={self.name!r})"

    # The registry.

    def register(self, model_or_iterable, admin_class=None, **options) -> None:
        """Register a model (or several) with ``admin_class`` (``ModelAdmin`` by default).

        Keyword ``options`` become class attributes of a subclass made on the
        spot: ``site.register(Post, list_display=["title"])``. An abstract
        model is refused, and so is a model registered already.
        """
        from tinyframe.contrib.admin.options import ModelAdmin
        from tinyframe.db.models.base import ModelBase

        admin_class = admin_class or ModelAdmin
        if isinstance(model_or_iterable, ModelBase):
            model_or_iterable = [model_or_iterable]
        for model in model_or_iterable:
            if model._meta.abstract:
                raise ImproperlyConfigured(
                    f"The model {model.__name__} is abstract, so it cannot be registered with admin."
                )
            if self.is_registered(model):
                registered_admin = str(self.get_model_admin(model))
                message = f"The model {model.__name__} is already registered "
                if registered_admin.endswith(".ModelAdmin"):
                    message += f"in app {registered_admin.removesuffix('.ModelAdmin')!r}."
                else:
                    message += f"with {registered_admin!r}."
                raise AlreadyRegistered(message)
            if getattr(model._meta, "swapped", None):
                continue  # a swapped-out model (auth.User replaced) has no table to administer
            if options:
                options["__module__"] = __name__
                admin_class = type(f"{model.__name__}Admin", (admin_class,), options)
            self._registry[model] = admin_class(model, self)

    def unregister(self, model_or_iterable) -> None:
        """Forget a model (or several); NotRegistered for one that was not registered."""
        from tinyframe.db.models.base import ModelBase

        if isinstance(model_or_iterable, ModelBase):
            model_or_iterable = [model_or_iterable]
        for model in model_or_iterable:
            if not self.is_registered(model):
                raise NotRegistered(f"The model {model.__name__} is not registered")
            del self._registry[model]

    def is_registered(self, model) -> bool:
        """Whether ``model`` is registered with this site."""
        return model in self._registry

    def get_model_admin(self, model):
        """The ModelAdmin registered for ``model``; NotRegistered when there is none."""
        try:
            return self._registry[model]
        except KeyError:
            raise NotRegistered(f"The model {model.__name__} is not registered.") from None

    # Actions offered on every changelist of the site ("Delete selected").

    def _load_default_actions(self) -> None:
        if not self._default_actions_loaded:
            from tinyframe.contrib.admin.actions import delete_selected

            self._default_actions_loaded = True
            self._global_actions.setdefault("delete_selected", delete_selected)
            if "delete_selected" not in self._disabled_actions:
                self._actions = {"delete_selected": delete_selected, **self._actions}

    def add_action(self, action, name: str | None = None) -> None:
        """Offer ``action`` on every changelist of this site, under ``name`` (its ``__name__``)."""
        name = name or action.__name__
        self._actions[name] = action
        self._global_actions[name] = action

    def disable_action(self, name: str) -> None:
        """Stop offering a site-wide action (``"delete_selected"``); KeyError for an unknown name."""
        self._load_default_actions()
        del self._actions[name]
        self._disabled_actions.add(name)

    def get_action(self, name: str):
        """A site-wide action by name, enabled or not; KeyError for an unknown name."""
        self._load_default_actions()
        return self._global_actions[name]

    @property
    def actions(self):
        """The enabled site-wide actions, as ``(name, function)`` pairs."""
        self._load_default_actions()
        return self._actions.items()

    # Who may enter, and the wrapper every page goes through.

    def has_permission(self, request) -> bool:
        """Whether the request's user may use the admin at all: an active staff member."""
        return request.user.is_active and request.user.is_staff

    def admin_view(self, view, cacheable: bool = False):
        """Wrap a view of the admin: visitors who may not use the admin go to the login page.

        The login page gets ``next`` set to the page asked for; a logout asked
        for by someone not signed in goes to the index instead. The wrapped
        view is never cached (unless ``cacheable``) and checks the CSRF token
        (unless the view is ``csrf_exempt``).
        """

        def inner(request, *args, **kwargs):
            if not self.has_permission(request):
                if request.path == reverse("admin:logout", current_app=self.name):
                    return HttpResponseRedirect(reverse("admin:index", current_app=self.name))
                from tinyframe.contrib.auth.views import redirect_to_login

                return redirect_to_login(request.get_full_path(), reverse("admin:login", current_app=self.name))
            return view(request, *args, **kwargs)

        if not cacheable:
            inner = never_cache(inner)
        if not getattr(view, "csrf_exempt", False):
            inner = csrf_protect(inner)
        return update_wrapper(inner, view)

    # URLs.

    def get_urls(self) -> list:
        """The site's URL patterns: its own pages, then each registered model's under ``<app>/<model>/``."""

        def wrap(view, cacheable=False):
            def wrapper(*args, **kwargs):
                return self.admin_view(view, cacheable)(*args, **kwargs)

            wrapper.admin_site = self
            return update_wrapper(wrapper, view)

        urlpatterns = [
            path("", wrap(self.index), name="index"),
            path("login/", self.login, name="login"),
            path("logout/", wrap(self.logout), name="logout"),
            path("password_change/", wrap(self.password_change, cacheable=True), name="password_change"),
            path(
                "password_change/done/",
                wrap(self.password_change_done, cacheable=True),
                name="password_change_done",
            ),
        ]
        app_labels = []
        for model, model_admin in self._registry.items():
            urlpatterns.append(path(f"{model._meta.app_label}/{model._meta.model_name}/", include(model_admin.urls)))
            if model._meta.app_label not in app_labels:
                app_labels.append(model._meta.app_label)
        if app_labels:
            pattern = r"^(?P<app_label>" + "|".join(app_labels) + ")/$"
            urlpatterns.append(re_path(pattern, wrap(self.app_index), name="app_list"))
        if self.final_catch_all_view:
            urlpatterns.append(re_path(r"(?P<url>.*)$", wrap(self.catch_all_view)))
        return urlpatterns

    @property
    def urls(self) -> tuple:
        """``(patterns, "admin", self.name)``: what ``path("admin/", site.urls)`` includes."""
        return self.get_urls(), "admin", self.name

    # What every page's template gets.

    def each_context(self, request) -> dict:
        """The context every admin page shares: titles, the "View site" URL, the apps the user may see.

        ``available_apps`` is built only when a template reads it: a
        ``SimpleLazyObject`` around ``get_app_list`` (a list once touched).
        Django's navigation sidebar draws it; tinyframe's pages have no
        sidebar, and building it asked every registered model's permissions
        on every page (0.12 ms of a changelist, tests/benchmarks/admin.py).
        """
        script_name = request.META.get("SCRIPT_NAME", "")
        site_url = script_name if self.site_url == "/" and script_name else self.site_url
        return {
            "site_title": self.site_title,
            "site_header": self.site_header,
            "site_url": site_url,
            "has_permission": self.has_permission(request),
            "available_apps": SimpleLazyObject(lambda: self.get_app_list(request)),
            "is_popup": False,
            "is_nav_sidebar_enabled": self.enable_nav_sidebar,
            "log_entries": self.get_log_entries(request),
        }

    def get_log_entries(self, request):
        """The admin's history, newest first (the index shows the user's own, as "Recent actions")."""
        from tinyframe.contrib.admin.models import LogEntry

        return LogEntry.objects.select_related("user")

    def _build_app_dict(self, request, label: str | None = None):
        """``{app_label: app}`` of the apps with models the user may see (or the one app ``label``)."""
        from tinyframe.apps import apps

        app_dict = {}
        for model, model_admin in self._registry.items():
            app_label = model._meta.app_label
            if label and app_label != label:
                continue
            if not model_admin.has_module_permission(request):
                continue
            perms = model_admin.get_model_perms(request)
            if True not in perms.values():
                continue
            info = (app_label, model._meta.model_name)
            model_dict = {
                "model": model,
                "name": capfirst(model._meta.verbose_name_plural),
                "object_name": model._meta.object_name,
                "perms": perms,
                "admin_url": None,
                "add_url": None,
            }
            if perms.get("change") or perms.get("view"):
                model_dict["view_only"] = not perms.get("change")
                try:
                    model_dict["admin_url"] = reverse("admin:%s_%s_changelist" % info, current_app=self.name)
                except NoReverseMatch:
                    pass
            if perms.get("add"):
                try:
                    model_dict["add_url"] = reverse("admin:%s_%s_add" % info, current_app=self.name)
                except NoReverseMatch:
                    pass
            if app_label in app_dict:
                app_dict[app_label]["models"].append(model_dict)
            else:
                app_dict[app_label] = {
                    "name": _app_verbose_name(apps, app_label),
                    "app_label": app_label,
                    "app_url": reverse("admin:app_list", kwargs={"app_label": app_label}, current_app=self.name),
                    "has_module_perms": True,
                    "models": [model_dict],
                }
        if label:
            return app_dict.get(label)
        return app_dict

    def get_app_list(self, request, app_label: str | None = None) -> list:
        """The apps the user may see, sorted by name, each with its models sorted by name."""
        app_dict = self._build_app_dict(request, app_label)
        if app_label:
            app_dict = {app_label: app_dict} if app_dict else {}
        app_list = sorted(app_dict.values(), key=lambda app: app["name"].lower())
        for app in app_list:
            app["models"].sort(key=lambda model: model["name"])
        return app_list

    # The site's own pages.

    def index(self, request, extra_context=None):
        """The admin's front page: every app and model the user may see."""
        context = {
            **self.each_context(request),
            "title": self.index_title,
            "subtitle": None,
            "app_list": self.get_app_list(request),
            **(extra_context or {}),
        }
        request.current_app = self.name
        return TemplateResponse(request, self.index_template or "admin/index.html", context)

    def app_index(self, request, app_label: str, extra_context=None):
        """One app's page: its models the user may see; 404 when there are none."""
        app_list = self.get_app_list(request, app_label)
        if not app_list:
            raise Http404("The requested admin page does not exist.")
        context = {
            **self.each_context(request),
            "title": "%(app)s administration" % {"app": app_list[0]["name"]},
            "subtitle": None,
            "app_list": app_list,
            "app_label": app_label,
            **(extra_context or {}),
        }
        request.current_app = self.name
        return TemplateResponse(
            request,
            self.app_index_template or [f"admin/{app_label}/app_index.html", "admin/app_index.html"],
            context,
        )

    @no_append_slash
    def catch_all_view(self, request, url: str):
        """Any other URL under the admin: add a missing slash when that finds a page (APPEND_SLASH), else 404."""
        if settings.APPEND_SLASH and not url.endswith("/"):
            try:
                match = resolve(request.path_info + "/", getattr(request, "urlconf", None))
            except Resolver404:
                pass
            else:
                if getattr(match.func, "should_append_slash", True):
                    return HttpResponsePermanentRedirect(request.get_full_path(force_append_slash=True))
        raise Http404

    @method_decorator(never_cache)
    @method_decorator(login_not_required)
    def login(self, request, extra_context=None):
        """The admin's login page: chapter 10's LoginView with a form that lets only staff in.

        Staff already signed in who ask for the page (GET) go straight to the index.
        """
        from tinyframe.contrib.admin.forms import AdminAuthenticationForm
        from tinyframe.contrib.auth.views import LoginView

        if request.method == "GET" and self.has_permission(request):
            return HttpResponseRedirect(reverse("admin:index", current_app=self.name))
        context = {
            **self.each_context(request),
            "title": "Log in",
            "subtitle": None,
            "app_path": request.get_full_path(),
            "username": request.user.get_username(),
        }
        if REDIRECT_FIELD_NAME not in request.GET and REDIRECT_FIELD_NAME not in request.POST:
            context[REDIRECT_FIELD_NAME] = reverse("admin:index", current_app=self.name)
        context.update(extra_context or {})
        request.current_app = self.name
        view = LoginView.as_view(
            extra_context=context,
            authentication_form=self.login_form or AdminAuthenticationForm,
            template_name=self.login_template or "admin/login.html",
        )
        return view(request)

    def logout(self, request, extra_context=None):
        """Sign out (POST only, as chapter 10's LogoutView) and show the "Logged out" page."""
        from tinyframe.contrib.auth.views import LogoutView

        defaults = {"extra_context": {**self.each_context(request), "has_permission": False, **(extra_context or {})}}
        if self.logout_template is not None:
            defaults["template_name"] = self.logout_template
        request.current_app = self.name
        return LogoutView.as_view(**defaults)(request)

    def password_change(self, request, extra_context=None):
        """Change the signed-in user's password (the old one asked for), then the "done" page."""
        from tinyframe.contrib.admin.forms import AdminPasswordChangeForm
        from tinyframe.contrib.auth.views import PasswordChangeView

        defaults = {
            "form_class": AdminPasswordChangeForm,
            "success_url": reverse("admin:password_change_done", current_app=self.name),
            "extra_context": {**self.each_context(request), **(extra_context or {})},
        }
        if self.password_change_template is not None:
            defaults["template_name"] = self.password_change_template
        request.current_app = self.name
        return PasswordChangeView.as_view(**defaults)(request)

    def password_change_done(self, request, extra_context=None):
        """The page after a password change."""
        from tinyframe.contrib.auth.views import PasswordChangeDoneView

        defaults = {"extra_context": {**self.each_context(request), **(extra_context or {})}}
        if self.password_change_done_template is not None:
            defaults["template_name"] = self.password_change_done_template
        request.current_app = self.name
        return PasswordChangeDoneView.as_view(**defaults)(request)


def _app_verbose_name(apps, app_label: str) -> str:
    """The app's ``verbose_name``; for a model whose app is not installed (a test's), its label, capitalised."""
    try:
        return apps.get_app_config(app_label).verbose_name
    except LookupError:
        return app_label.replace("_", " ").title()


class DefaultAdminSite(AdminSite):
    """The class of ``admin.site``: a plain ``AdminSite`` named "admin"."""


site = DefaultAdminSite()
