"""Users and groups in the admin: ``GroupAdmin`` and ``UserAdmin``, registered with ``admin.site``.

How it works: the admin's ``autodiscover()`` imports this module when both
``tinyframe.contrib.admin`` (its default ``AdminConfig``) and
``tinyframe.contrib.auth`` are installed, and the two ``@admin.register``
lines below put groups and users on the index under "Authentication and
Authorization". A group is an ordinary model page. A user differs in three ways:

- adding one is a two-step job: ``add_form`` (``UserCreationForm``: a
  username and the password typed twice, hashed on save) with
  ``add_fieldsets``, then, by "Save" as by "Save and continue editing", the
  change page with every other option (``form = UserChangeForm``);
- the change page shows the stored password only as its hash's summary,
  never editable there; its "Reset password" button leads to
  ``<id>/password/`` (``admin:auth_user_password_change``), where
  ``user_change_password`` sets a new one with ``change_password_form``;
- adding a user needs the change permission too: whoever may add users
  could otherwise add superusers.
"""

from tinyframe.conf import settings
from tinyframe.contrib import admin, messages
from tinyframe.contrib.admin.options import IS_POPUP_VAR
from tinyframe.contrib.admin.utils import quote, unquote
from tinyframe.contrib.auth import update_session_auth_hash
from tinyframe.contrib.auth.forms import AdminPasswordChangeForm, UserChangeForm, UserCreationForm
from tinyframe.contrib.auth.models import Group, User
from tinyframe.core.exceptions import PermissionDenied
from tinyframe.http import Http404, HttpResponseRedirect
from tinyframe.template.response import TemplateResponse
from tinyframe.urls import path, reverse
from tinyframe.utils.html import escape

__all__ = ["GroupAdmin", "UserAdmin"]


@admin.register(Group)
class GroupAdmin(admin.ModelAdmin):
    """Groups by name; their permissions picked in a plain multiple select (the admin has no JavaScript widgets)."""

    search_fields = ("name",)
    ordering = ("name",)
    filter_horizontal = ("permissions",)  # Django's two-box widget; here the option changes nothing


@admin.register(User)
class UserAdmin(admin.ModelAdmin):
    """Users: a short add form, a change form whose password is shown hashed, and a page to set a new password."""

    add_form_template = "admin/auth/user/add_form.html"
    change_user_password_template = None
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        ("Personal info", {"fields": ("first_name", "last_name", "email")}),
        ("Permissions", {"fields": ("is_active", "is_staff", "is_superuser", "groups", "user_permissions")}),
        ("Important dates", {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = ((None, {"classes": ("wide",), "fields": ("username", "password1", "password2")}),)
    form = UserChangeForm
    add_form = UserCreationForm
    change_password_form = AdminPasswordChangeForm
    list_display = ("username", "email", "first_name", "last_name", "is_staff")
    list_filter = ("is_staff", "is_superuser", "is_active", "groups")
    search_fields = ("username", "first_name", "last_name", "email")
    ordering = ("username",)
    filter_horizontal = ("groups", "user_permissions")  # as GroupAdmin's: no effect here

    def get_fieldsets(self, request, obj=None):
        """``add_fieldsets`` on the add page (no user yet), the full ``fieldsets`` on the change page."""
        if obj is None:
            return self.add_fieldsets
        return super().get_fieldsets(request, obj)

    def get_form(self, request, obj=None, **kwargs):
        """``add_form`` on the add page, ``form`` on the change page."""
        if obj is None:
            kwargs = {"form": self.add_form, **kwargs}
        return super().get_form(request, obj, **kwargs)

    def get_urls(self) -> list:
        """The model's pages, and ``<id>/password/`` before them (``<path:object_id>/`` would catch it)."""
        return [
            path(
                "<id>/password/",
                self.admin_site.admin_view(self.user_change_password),
                name="auth_user_password_change",
            ),
            *super().get_urls(),
        ]

    def lookup_allowed(self, lookup: str, value, request) -> bool:
        """No filtering the changelist by password: ``?password__startswith=md5`` would leak hashes bit by bit."""
        return not lookup.startswith("password") and super().lookup_allowed(lookup, value, request)

    def add_view(self, request, form_url: str = "", extra_context=None):
        """The add page, for a user with both the add and the change permission (see the module's docstring)."""
        if not self.has_change_permission(request):
            if self.has_add_permission(request) and settings.DEBUG:
                # With DEBUG on, say why rather than a bare 403.
                raise Http404(
                    'Your user does not have the "Change user" permission. In order to add users, tinyframe '
                    'requires that your user account have both the "Add user" and "Change user" permissions set.'
                )
            raise PermissionDenied
        username_field = self.opts.get_field(self.model.USERNAME_FIELD)
        extra_context = {"auto_populated_fields": (), "username_help_text": username_field.help_text,
                         **(extra_context or {})}
        return super().add_view(request, form_url, extra_context)

    def user_change_password(self, request, id: str, form_url: str = ""):
        """The "Change password" page of one user: a new password typed twice; the change permission required."""
        user = self.get_object(request, unquote(id))
        if not self.has_change_permission(request, user):
            raise PermissionDenied
        if user is None:
            raise Http404(f"{self.opts.verbose_name} object with primary key {escape(id)!r} does not exist.")
        if request.method == "POST":
            form = self.change_password_form(user, request.POST)
            if form.is_valid():
                user = form.save()
                self.log_change(request, user, self.construct_change_message(request, form, None))
                messages.success(request, "Password changed successfully.")
                # A user who changed their own password stays signed in (the session's hash is renewed).
                update_session_auth_hash(request, form.user)
                url = reverse(f"admin:{user._meta.app_label}_{user._meta.model_name}_change",
                              args=(quote(user.pk),), current_app=self.admin_site.name)
                return HttpResponseRedirect(url)
        else:
            form = self.change_password_form(user)

        from tinyframe.contrib.admin import helpers

        admin_form = helpers.AdminForm(form, [(None, {"fields": list(form.base_fields)})], {})
        title = "Change password: %s" if user.has_usable_password() else "Set password: %s"
        context = {
            **self.admin_site.each_context(request),
            "title": title % user.get_username(),
            "adminForm": admin_form,
            "form_url": form_url,
            "form": form,
            "is_popup": IS_POPUP_VAR in request.POST or IS_POPUP_VAR in request.GET,
            "is_popup_var": IS_POPUP_VAR,
            "add": True,
            "change": False,
            "has_delete_permission": False,
            "has_change_permission": True,
            "has_absolute_url": False,
            "opts": self.opts,
            "original": user,
            "save_as": False,
            "show_save": True,
        }
        request.current_app = self.admin_site.name
        return TemplateResponse(
            request, self.change_user_password_template or "admin/auth/user/change_password.html", context
        )

    def response_add(self, request, obj, post_url_continue=None):
        """After adding a user, "Save" stays on the new user's change page too: the rest of its options are there.

        Only "Save and add another", and a pop-up, go elsewhere.
        """
        if "_addanother" not in request.POST and IS_POPUP_VAR not in request.POST:
            request.POST = request.POST.copy()
            request.POST["_continue"] = "1"
        return super().response_add(request, obj, post_url_continue)
