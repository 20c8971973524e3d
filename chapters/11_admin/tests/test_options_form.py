"""ModelAdmin.get_form (exercise 11.4): the change form's fields from fields, fieldsets, exclude and readonly_fields.

Read-only fields are shown on the page but are never part of the form, so a
forged POST cannot change them; a user with only the view permission gets a
form with no fields at all.
"""

import pytest

from tinyframe.db import models


class FormAuthor(models.Model):
    name = models.CharField(max_length=100)

    class Meta:
        app_label = "form_tests"

    def __str__(self):
        return self.name


class FormPost(models.Model):
    title = models.CharField(max_length=100)
    slug = models.SlugField(max_length=100, blank=True)
    body = models.TextField(blank=True)
    author = models.ForeignKey(FormAuthor, models.CASCADE, null=True, blank=True)

    class Meta:
        app_label = "form_tests"

    def __str__(self):
        return self.title


def model_admin(**options):
    from tinyframe.contrib.admin import AdminSite, ModelAdmin

    site = AdminSite()
    site.register(FormAuthor)
    return type("PostAdmin", (ModelAdmin,), options)(FormPost, site)


def superuser_request(admin_tables=None):
    from tinyframe.contrib.auth.models import User
    from tinyframe.test import RequestFactory

    request = RequestFactory().get("/")
    request.user = User(username="root", is_superuser=True, is_staff=True, is_active=True)
    return request


def form_fields(admin, request=None, obj=None, change=False) -> list:
    return list(admin.get_form(request or superuser_request(), obj, change=change).base_fields)


@pytest.mark.exercise("11.4")
def test_by_default_every_editable_field_in_model_order():
    assert form_fields(model_admin()) == ["title", "slug", "body", "author"]


@pytest.mark.exercise("11.4")
def test_fields_chooses_and_orders_them():
    assert form_fields(model_admin(fields=["body", "title"])) == ["body", "title"]


@pytest.mark.exercise("11.4")
def test_fieldsets_are_flattened_in_order():
    admin = model_admin(fieldsets=[(None, {"fields": ["title", ("slug", "author")]}), ("More", {"fields": ["body"]})])
    assert form_fields(admin) == ["title", "slug", "author", "body"]


@pytest.mark.exercise("11.4")
def test_exclude_leaves_fields_out():
    assert form_fields(model_admin(exclude=["body", "slug"])) == ["title", "author"]


@pytest.mark.exercise("11.4")
def test_readonly_fields_are_never_in_the_form_but_are_in_get_fields():
    admin = model_admin(readonly_fields=["slug"])
    assert form_fields(admin) == ["title", "body", "author"]
    assert admin.get_fields(superuser_request()) == ["title", "body", "author", "slug"]
    assert form_fields(model_admin(fields=["title", "slug"], readonly_fields=["slug"])) == ["title"]


@pytest.mark.exercise("11.4")
def test_a_form_meta_exclude_applies_when_the_admin_has_none():
    from tinyframe import forms

    class PostForm(forms.ModelForm):
        class Meta:
            model = FormPost
            exclude = ["body"]

    assert form_fields(model_admin(form=PostForm)) == ["title", "slug", "author"]
    assert form_fields(model_admin(form=PostForm, exclude=["slug"])) == ["title", "body", "author"]


@pytest.mark.exercise("11.4")
def test_a_declared_read_only_field_is_removed_from_the_form():
    from tinyframe import forms

    class PostForm(forms.ModelForm):
        title = forms.CharField(max_length=5)

        class Meta:
            model = FormPost
            fields = "__all__"

    assert form_fields(model_admin(form=PostForm, readonly_fields=["title"])) == ["slug", "body", "author"]


@pytest.mark.exercise("11.4")
def test_view_only_user_gets_a_form_without_fields(admin_tables, staff_user):
    request = superuser_request()
    request.user = staff_user(perms=["form_tests.view_formpost"])
    admin = model_admin()
    assert form_fields(admin, request, change=True) == []
    assert form_fields(admin, request, change=False) == ["title", "slug", "body", "author"]


@pytest.mark.exercise("11.4")
def test_the_change_permission_is_asked_about_the_object_itself():
    # A ModelAdmin may refuse changes row by row (has_change_permission(request, obj)):
    # get_form asks about the object being changed, not the model as a whole.
    class OneLockedPostAdmin:
        def has_change_permission(self, request, obj=None):
            return obj is None or obj.title != "locked"

    admin = model_admin()
    admin.has_change_permission = OneLockedPostAdmin().has_change_permission
    locked, open_ = FormPost(pk=1, title="locked"), FormPost(pk=2, title="open")
    assert form_fields(admin, obj=open_, change=True) == ["title", "slug", "body", "author"]
    assert form_fields(admin, obj=locked, change=True) == [], (
        "has_change_permission(request, obj) refuses this post: its change page is view-only, the form has no field"
    )


@pytest.mark.exercise("11.4")
def test_an_unknown_field_names_the_admin_class():
    from tinyframe.core.exceptions import FieldError

    with pytest.raises(FieldError) as error:
        model_admin(fields=["title", "nope"]).get_form(superuser_request())
    message = str(error.value)
    assert message.startswith("Unknown field(s) (nope) specified for FormPost.")
    assert message.endswith(". Check fields/fieldsets/exclude attributes of class PostAdmin.")


@pytest.mark.exercise("11.4")
def test_the_add_page_shows_the_form_and_the_read_only_values(admin_site, admin_client, tables):
    from tinyframe.contrib.admin import ModelAdmin

    tables(FormAuthor, FormPost)
    post_admin = type("PostAdmin", (ModelAdmin,), {"fields": ["title", "slug"], "readonly_fields": ["slug"]})
    admin_site((FormPost, post_admin), FormAuthor)
    post = FormPost.objects.create(title="Hello", slug="hello-<b>")
    response = admin_client.get(f"/admin/form_tests/formpost/{post.pk}/change/")
    assert response.status_code == 200
    assert list(response.context["adminform"].form.fields) == ["title"]
    assert response.context["title"] == "Change form post"
    assert response.context["original"] == post
    content = response.content.decode()
    assert 'name="title"' in content and 'name="slug"' not in content
    assert "hello-&lt;b&gt;" in content
