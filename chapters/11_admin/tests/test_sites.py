"""The admin site: registration, URLs and their names, who may enter, the index, login and logout.

Expected messages and redirects were checked against Django 5.2's admin.
"""

import pytest

from tinyframe.db import models


class Article(models.Model):
    title = models.CharField(max_length=100)

    class Meta:
        app_label = "site_tests"

    def __str__(self):
        return self.title


class Note(models.Model):
    text = models.CharField(max_length=100)

    class Meta:
        app_label = "site_tests"


class Shape(models.Model):
    class Meta:
        app_label = "site_tests"
        abstract = True


@pytest.fixture
def site(admin_site, tables):
    tables(Article, Note)
    return admin_site(Article, Note)


def anonymous():
    from tinyframe.test import Client

    return Client()


# The registry.


def test_register_makes_one_model_admin_per_model():
    from tinyframe.contrib.admin import AdminSite, ModelAdmin

    site = AdminSite()
    site.register([Article, Note])
    assert site.is_registered(Article) and site.is_registered(Note)
    model_admin = site.get_model_admin(Article)
    assert isinstance(model_admin, ModelAdmin)
    assert (model_admin.model, model_admin.admin_site) == (Article, site)
    assert str(model_admin) == "site_tests.ModelAdmin"


def test_register_with_options_makes_a_subclass():
    from tinyframe.contrib.admin import AdminSite

    site = AdminSite()
    site.register(Article, list_display=["title"], search_fields=["title"])
    model_admin = site.get_model_admin(Article)
    assert type(model_admin).__name__ == "ArticleAdmin"
    assert model_admin.list_display == ["title"] and model_admin.search_fields == ["title"]


@pytest.mark.parametrize(
    "admin_class_name, message",
    [
        (None, "The model Article is already registered in app 'site_tests'."),
        ("ArticleAdmin", "The model Article is already registered with 'site_tests.ArticleAdmin'."),
    ],
)
def test_registering_twice_is_refused_with_djangos_message(admin_class_name, message):
    from tinyframe.contrib.admin import AdminSite, ModelAdmin
    from tinyframe.contrib.admin.sites import AlreadyRegistered

    site = AdminSite()
    admin_class = type(admin_class_name, (ModelAdmin,), {}) if admin_class_name else None
    site.register(Article, admin_class)
    with pytest.raises(AlreadyRegistered) as error:
        site.register(Article)
    assert str(error.value) == message


def test_an_abstract_model_cannot_be_registered():
    from tinyframe.contrib.admin import AdminSite
    from tinyframe.core.exceptions import ImproperlyConfigured

    with pytest.raises(ImproperlyConfigured, match="^The model Shape is abstract, so it cannot be registered"):
        AdminSite().register(Shape)


def test_unregister_and_its_errors():
    from tinyframe.contrib.admin import AdminSite
    from tinyframe.contrib.admin.exceptions import NotRegistered

    site = AdminSite()
    site.register(Article)
    site.unregister(Article)
    assert not site.is_registered(Article)
    with pytest.raises(NotRegistered, match="^The model Article is not registered$"):
        site.unregister(Article)
    with pytest.raises(NotRegistered, match=r"^The model Note is not registered\.$"):
        site.get_model_admin(Note)


def test_register_decorator_registers_with_the_given_site():
    from tinyframe.contrib import admin

    site = admin.AdminSite()

    @admin.register(Article, Note, site=site)
    class BothAdmin(admin.ModelAdmin):
        pass

    assert isinstance(site.get_model_admin(Note), BothAdmin)
    with pytest.raises(ValueError, match="At least one model must be passed to register."):
        admin.register(site=site)(BothAdmin)
    with pytest.raises(ValueError, match="Wrapped class must subclass ModelAdmin."):
        admin.register(Article, site=site)(object)
    with pytest.raises(ValueError, match="site must subclass AdminSite"):
        admin.register(Article, site=object())(BothAdmin)


def test_display_and_action_decorators_only_set_attributes():
    from tinyframe.contrib import admin

    @admin.display(boolean=True, ordering="-title", description="Long?")
    def is_long(obj):
        return len(obj.title) > 10

    @admin.action(permissions=["change"], description="Publish %(verbose_name_plural)s")
    def publish(modeladmin, request, queryset):
        return None

    assert (is_long.boolean, is_long.admin_order_field, is_long.short_description) == (True, "-title", "Long?")
    assert is_long(Article(title="a very long title")) is True
    assert (publish.allowed_permissions, publish.short_description) == (["change"], "Publish %(verbose_name_plural)s")
    assert admin.display(is_long) is is_long and admin.action(publish) is publish
    with pytest.raises(ValueError, match="mutually exclusive"):
        admin.display(boolean=True, empty_value="?")(is_long)


def test_the_default_site_and_exports():
    from tinyframe.contrib import admin
    from tinyframe.contrib.admin.sites import AdminSite, DefaultAdminSite

    assert isinstance(admin.site, DefaultAdminSite) and isinstance(admin.site, AdminSite)
    assert admin.site.name == "admin"
    assert admin.site.urls[1:] == ("admin", "admin")
    assert admin.TabularInline.__name__ == "TabularInline"
    with pytest.raises(AttributeError):
        admin.NoSuchThing  # noqa: B018


# URLs and who may enter.


def test_url_names_are_djangos(site):
    from tinyframe.urls import reverse

    assert reverse("admin:index") == "/admin/"
    assert reverse("admin:login") == "/admin/login/"
    assert reverse("admin:logout") == "/admin/logout/"
    assert reverse("admin:password_change") == "/admin/password_change/"
    assert reverse("admin:password_change_done") == "/admin/password_change/done/"
    assert reverse("admin:app_list", kwargs={"app_label": "site_tests"}) == "/admin/site_tests/"
    assert reverse("admin:site_tests_article_changelist") == "/admin/site_tests/article/"
    assert reverse("admin:site_tests_article_add") == "/admin/site_tests/article/add/"
    assert reverse("admin:site_tests_article_change", args=["7"]) == "/admin/site_tests/article/7/change/"
    assert reverse("admin:site_tests_article_delete", args=["7"]) == "/admin/site_tests/article/7/delete/"
    assert reverse("admin:site_tests_article_history", args=["7"]) == "/admin/site_tests/article/7/history/"


def test_anonymous_visitor_is_sent_to_login_with_next(site):
    response = anonymous().get("/admin/site_tests/article/?q=1")
    assert response.status_code == 302
    assert response["Location"] == "/admin/login/?next=/admin/site_tests/article/%3Fq%3D1"


def test_active_non_staff_user_is_sent_to_login_too(site, staff_user):
    from tinyframe.test import Client

    client = Client()
    client.force_login(staff_user("visitor", is_staff=False))
    response = client.get("/admin/")
    assert (response.status_code, response["Location"]) == (302, "/admin/login/?next=/admin/")


def test_admin_pages_are_never_cached(site, admin_client):
    response = admin_client.get("/admin/")
    assert "no-cache" in response["Cache-Control"] and "private" in response["Cache-Control"]


def test_object_url_without_change_redirects_to_it(site, admin_client):
    response = admin_client.get("/admin/site_tests/article/3/")
    assert (response.status_code, response["Location"]) == (302, "/admin/site_tests/article/3/change/")


def test_unknown_admin_url_is_404_even_without_slash(site, admin_client):
    assert admin_client.get("/admin/nope").status_code == 404
    assert admin_client.get("/admin/nope/").status_code == 404


def test_unknown_admin_url_sends_anonymous_to_login(site):
    response = anonymous().get("/admin/nope/")
    assert (response.status_code, response["Location"]) == (302, "/admin/login/?next=/admin/nope/")


# The index and the app index.


def test_index_lists_registered_models_for_superuser(site, admin_client):
    response = admin_client.get("/admin/")
    assert response.status_code == 200
    assert response.context["title"] == "Site administration"
    apps = response.context["app_list"]
    assert [app["app_label"] for app in apps] == ["site_tests"]
    assert apps[0]["app_url"] == "/admin/site_tests/"
    assert [model["name"] for model in apps[0]["models"]] == ["Articles", "Notes"]
    article = apps[0]["models"][0]
    assert article["admin_url"] == "/admin/site_tests/article/"
    assert article["add_url"] == "/admin/site_tests/article/add/"
    assert article["view_only"] is False
    assert article["perms"] == {"add": True, "change": True, "delete": True, "view": True}


def test_index_shows_only_what_the_staff_user_may_see(site, staff_user):
    from tinyframe.test import Client

    client = Client()
    client.force_login(staff_user(perms=["site_tests.view_article"]))
    apps = client.get("/admin/").context["app_list"]
    assert [model["name"] for model in apps[0]["models"]] == ["Articles"]
    article = apps[0]["models"][0]
    assert (article["admin_url"], article["add_url"], article["view_only"]) == (
        "/admin/site_tests/article/",
        None,
        True,
    )


def test_index_is_empty_for_staff_without_permissions(site, staff_user):
    from tinyframe.test import Client

    client = Client()
    client.force_login(staff_user())
    response = client.get("/admin/")
    assert response.status_code == 200 and response.context["app_list"] == []


def test_each_context_has_the_sites_titles(site, admin_client):
    context = admin_client.get("/admin/").context
    assert context["site_header"] == site.site_header and context["site_title"] == site.site_title
    assert context["site_url"] == "/" and context["has_permission"] is True


def test_each_context_available_apps_is_the_app_list_when_read(site, admin_client):
    context = admin_client.get("/admin/").context
    assert [app["app_label"] for app in context["available_apps"]] == [app["app_label"] for app in context["app_list"]]
    assert len(context["available_apps"]) == len(context["app_list"]) > 0


def test_app_index_lists_the_apps_models_and_404s_for_an_app_without_any(site, admin_client, staff_user):
    from tinyframe.test import Client

    response = admin_client.get("/admin/site_tests/")
    assert response.status_code == 200
    assert response.context["title"] == "Site Tests administration"
    assert response.context["app_label"] == "site_tests"
    client = Client()
    client.force_login(staff_user())
    assert client.get("/admin/site_tests/").status_code == 404


# Login, logout, password change.


def test_login_page_and_staff_login(site, superuser):
    from tinyframe.test import Client

    client = Client()
    page = client.get("/admin/login/")
    assert page.status_code == 200
    assert page.context["next"] == "/admin/"
    response = client.post("/admin/login/?next=/admin/site_tests/", {"username": "admin", "password": "secret"})
    assert (response.status_code, response["Location"]) == (302, "/admin/site_tests/")
    assert client.get("/admin/").status_code == 200


def test_login_refuses_a_non_staff_user_with_djangos_message(site, staff_user):
    from tinyframe.test import Client

    staff_user("walter", is_staff=False)
    response = Client().post("/admin/login/", {"username": "walter", "password": "secret"})
    assert response.status_code == 200
    assert (
        "Please enter the correct username and password for a staff account. "
        "Note that both fields may be case-sensitive."
    ) in response.context["form"].non_field_errors()


def test_login_redirects_staff_already_signed_in(site, admin_client):
    response = admin_client.get("/admin/login/")
    assert (response.status_code, response["Location"]) == (302, "/admin/")


def test_logout_is_post_only_and_signs_out(site, admin_client):
    assert admin_client.get("/admin/logout/").status_code == 405
    response = admin_client.post("/admin/logout/")
    assert response.status_code == 200
    assert admin_client.get("/admin/")["Location"] == "/admin/login/?next=/admin/"


def test_logout_by_an_anonymous_visitor_goes_to_the_index(site):
    response = anonymous().post("/admin/logout/")
    assert (response.status_code, response["Location"]) == (302, "/admin/")


def test_password_change(site, admin_client):
    assert admin_client.get("/admin/password_change/").status_code == 200
    response = admin_client.post(
        "/admin/password_change/",
        {"old_password": "secret", "new_password1": "a much longer pass 42", "new_password2": "a much longer pass 42"},
    )
    assert (response.status_code, response["Location"]) == (302, "/admin/password_change/done/")
    assert admin_client.get("/admin/password_change/done/").status_code == 200


def test_autodiscover_imports_each_apps_admin_module(tmp_path, monkeypatch):
    import sys
    import types

    from tinyframe.apps import apps
    from tinyframe.contrib import admin

    for name, source in [
        (
            "discovered_app",
            "from tinyframe.contrib import admin\nfrom autodiscover_models import Note\nadmin.site.register(Note)\n",
        ),
        ("plain_app", None),
        ("broken_app", "from tinyframe.contrib import admin\nfrom autodiscover_models import Article\n"
         "admin.site.register(Article)\nraise RuntimeError('broken admin.py')\n"),
    ]:
        (tmp_path / name).mkdir()
        (tmp_path / name / "__init__.py").write_text("")
        if source:
            (tmp_path / name / "admin.py").write_text(source)
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.setitem(sys.modules, "autodiscover_models", types.SimpleNamespace(Note=Note, Article=Article))
    monkeypatch.setattr(admin.site, "_registry", {})
    configs = [types.SimpleNamespace(name="discovered_app"), types.SimpleNamespace(name="plain_app")]
    monkeypatch.setattr(apps, "get_app_configs", lambda: configs)
    admin.autodiscover()
    assert list(admin.site._registry) == [Note]
    configs.append(types.SimpleNamespace(name="broken_app"))
    with pytest.raises(RuntimeError, match="broken admin.py"):
        admin.autodiscover()
    assert list(admin.site._registry) == [Note], "a failed admin.py leaves the registry as it was"


def test_admin_config_autodiscovers_and_simple_config_does_not(monkeypatch):
    from tinyframe.contrib.admin import apps as admin_apps

    calls = []
    monkeypatch.setattr("tinyframe.contrib.admin.autodiscover", lambda: calls.append("discovered"))
    import tinyframe.contrib.admin as admin_module

    config = admin_apps.AdminConfig("tinyframe.contrib.admin", admin_module)
    config.ready()
    assert calls == ["discovered"]
    assert admin_apps.SimpleAdminConfig.ready is not admin_apps.AdminConfig.ready


def test_site_wide_actions_can_be_added_and_disabled():
    from tinyframe.contrib.admin import AdminSite
    from tinyframe.contrib.admin.actions import delete_selected

    def archive(modeladmin, request, queryset):
        return None

    site = AdminSite()
    site.add_action(archive)
    assert dict(site.actions) == {"delete_selected": delete_selected, "archive": archive}
    site.disable_action("delete_selected")
    assert dict(site.actions) == {"archive": archive}
    assert site.get_action("delete_selected") is delete_selected, "a disabled action can still be named by a ModelAdmin"
    with pytest.raises(KeyError):
        site.disable_action("nope")
    assert repr(site) == "AdminSite(name='admin')"


def test_a_model_admin_names_a_site_action_by_name():
    from tinyframe.contrib.admin import AdminSite, ModelAdmin

    site = AdminSite()
    site.disable_action("delete_selected")
    model_admin = type("ArticleAdmin", (ModelAdmin,), {"actions": ["delete_selected", "missing"]})(Article, site)
    name, description = model_admin.get_action("delete_selected")[1:]
    assert (name, str(description)) == ("delete_selected", "Delete selected %(verbose_name_plural)s")
    assert model_admin.get_action("missing") is None
