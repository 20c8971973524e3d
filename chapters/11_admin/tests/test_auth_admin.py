"""Users and groups in the admin (``tinyframe.contrib.auth.admin``): ``UserAdmin`` and ``GroupAdmin``.

The expected answers are Django 5.2's, run side by side on the same input (a
scratch project with ``django.contrib.admin`` and ``django.contrib.auth``, an
in-memory SQLite database and the test client): the URL names, the fields of
each page, the redirects, the messages, the statuses. Django 5.1 added a
"Password-based authentication" choice (``usable_password``) to the add and
password pages; tinyframe's forms have no such field, so it is not asked for.

Each test mounts a fresh ``AdminSite`` with the two ModelAdmins (the
``site`` fixture); the project's own ``admin.site`` gets them by
autodiscovery, which the last tests check.
"""

import textwrap
from urllib.parse import urljoin

import pytest

USERS = "/admin/auth/user/"
GROUPS = "/admin/auth/group/"


@pytest.fixture
def site(admin_site):
    from tinyframe.contrib.auth.admin import GroupAdmin, UserAdmin
    from tinyframe.contrib.auth.models import Group, User

    return admin_site((User, UserAdmin), (Group, GroupAdmin))


@pytest.fixture
def bob(admin_tables):
    from tinyframe.contrib.auth.models import User

    return User.objects.create_user("bob", "bob@example.com", "old-Pass-1234", first_name="Bob", is_staff=True)


def client_for(user, **options):
    from tinyframe.test import Client

    client = Client(**options)
    client.force_login(user)
    return client


def page(response) -> str:
    return response.content.decode()


def messages_after(client, response) -> list:
    followed = client.get(response["Location"])
    return [str(message) for message in followed.context["messages"]]


def input_names(response) -> list:
    """The names of the form's fields, in page order, without the CSRF token and the buttons."""
    import re

    names = re.findall(r'<(?:input|select|textarea)[^>]*\bname="([^"]+)"', page(response))
    return [name for name in dict.fromkeys(names) if name != "csrfmiddlewaretoken" and not name.startswith("_")]


def change_data(user, **fields) -> dict:
    """A change form's POST for ``user``: its values as the page would send them, with ``fields`` on top."""
    joined = user.date_joined
    data = {
        "username": user.username, "first_name": user.first_name, "last_name": user.last_name,
        "email": user.email, "date_joined_0": joined.strftime("%Y-%m-%d"), "date_joined_1": joined.strftime("%H:%M:%S"),
        "initial-date_joined_0": joined.strftime("%Y-%m-%d"), "initial-date_joined_1": joined.strftime("%H:%M:%S"),
        "last_login_0": "", "last_login_1": "",
        **{flag: "on" for flag in ("is_active", "is_staff", "is_superuser") if getattr(user, flag)},
    }
    data.update(fields)
    return {name: value for name, value in data.items() if value is not None}


# The pages and their URLs.


def test_url_names_are_djangos(site):
    from tinyframe.urls import reverse

    assert reverse("admin:auth_user_password_change", args=[7]) == "/admin/auth/user/7/password/"
    assert reverse("admin:auth_user_changelist") == USERS
    assert reverse("admin:auth_group_changelist") == GROUPS


def test_user_changelist_columns_filters_and_order(site, admin_client, bob):
    from tinyframe.contrib.auth.models import Group, User

    User.objects.create_user("alice", "alice@example.com")
    bob.groups.add(Group.objects.create(name="Editors"))
    response = admin_client.get(USERS)
    assert response.status_code == 200
    cl = response.context["cl"]
    assert [header["text"] for header in response.context["result_headers"]][1:] == [
        "username", "email address", "first name", "last name", "staff status",
    ]
    assert [spec.title for spec in cl.filter_specs] == ["staff status", "superuser status", "active", "groups"]
    assert [user.username for user in cl.result_list] == ["admin", "alice", "bob"], "ordered by username"


@pytest.mark.parametrize("query, expected", [
    ("?q=bob", ["bob"]),
    ("?q=example.com", ["admin", "alice", "bob"]),  # the email is searched too
    ("?is_staff__exact=1", ["admin", "bob"]),
    ("?is_superuser__exact=0", ["alice", "bob"]),
])
def test_user_changelist_search_and_filters(site, admin_client, bob, query, expected):
    from tinyframe.contrib.auth.models import User

    User.objects.create_user("alice", "alice@example.com")
    response = admin_client.get(USERS + query)
    assert [user.username for user in response.context["cl"].result_list] == expected, query


def test_user_changelist_filters_by_group(site, admin_client, bob):
    from tinyframe.contrib.auth.models import Group

    editors = Group.objects.create(name="Editors")
    bob.groups.add(editors)
    response = admin_client.get(f"{USERS}?groups__id__exact={editors.pk}")
    assert [user.username for user in response.context["cl"].result_list] == ["bob"]


def test_user_changelist_cannot_be_filtered_by_password(site, admin_client, bob):
    """``?password__startswith=md5`` would leak hashes one character at a time: a 400, as in Django."""
    assert admin_client.get(f"{USERS}?password__startswith=md5").status_code == 400
    assert admin_client.get(f"{USERS}?password=x").status_code == 400


def test_user_changelist_escapes_names(site, admin_client, bob):
    bob.first_name = "<script>alert(1)</script>"
    bob.save()
    text = page(admin_client.get(USERS))
    assert "<script>alert(1)" not in text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in text


# Adding a user.


def test_add_page_asks_for_a_username_and_two_passwords_only(site, admin_client):
    response = admin_client.get(f"{USERS}add/")
    assert response.status_code == 200
    assert response.templates[0].name == "admin/auth/user/add_form.html"
    assert response.context["title"] == "Add user"
    assert input_names(response) == ["username", "password1", "password2"]
    assert "After you’ve created a user, you’ll be able to edit more user options." in page(response)
    assert 'type="password"' in page(response)


def test_add_with_mismatched_passwords_shows_the_error_and_saves_nothing(site, admin_client):
    from tinyframe.contrib.auth.models import User

    response = admin_client.post(f"{USERS}add/", {"username": "carol", "password1": "a-Long-pass-1",
                                                  "password2": "a-Long-pass-2"})
    assert response.status_code == 200
    assert "The two password fields didn’t match." in page(response)
    assert "a-Long-pass-1" not in page(response), "a password is never sent back"
    assert not User.objects.filter(username="carol").exists()


def test_add_refuses_a_username_taken_in_another_case(site, admin_client, bob):
    response = admin_client.post(f"{USERS}add/", {"username": "BOB", "password1": "a-Long-pass-1",
                                                  "password2": "a-Long-pass-1"})
    assert response.status_code == 200
    assert "A user with that username already exists." in page(response)


def test_add_saves_a_hashed_password_and_goes_on_to_the_change_page(site, admin_client):
    from tinyframe.contrib.admin.models import LogEntry
    from tinyframe.contrib.auth.models import User

    response = admin_client.post(f"{USERS}add/", {"username": "carol", "password1": "a-Long-pass-1",
                                                  "password2": "a-Long-pass-1", "_save": "Save"})
    carol = User.objects.get(username="carol")
    # "Save" continues to the change page: the other options are there.
    assert (response.status_code, response["Location"]) == (302, f"{USERS}{carol.pk}/change/")
    assert carol.password.startswith("md5$") and carol.check_password("a-Long-pass-1")
    assert (carol.is_staff, carol.is_superuser) == (False, False)
    assert messages_after(admin_client, response) == [
        f'The user “<a href="{USERS}{carol.pk}/change/">carol</a>” was added successfully. '
        "You may edit it again below."
    ]
    assert LogEntry.objects.get().is_addition()


def test_add_another_goes_back_to_a_blank_add_page(site, admin_client):
    response = admin_client.post(f"{USERS}add/", {"username": "carol", "password1": "a-Long-pass-1",
                                                  "password2": "a-Long-pass-1", "_addanother": "1"})
    assert (response.status_code, response["Location"]) == (302, f"{USERS}add/")


def test_adding_users_needs_the_change_permission_too(site, staff_user):
    """Whoever may add users could add a superuser: Django asks for "Change user" as well."""
    from tinyframe.contrib.auth.models import User

    adder = client_for(staff_user("adder", perms=["auth.add_user"]))
    assert adder.get(f"{USERS}add/").status_code == 403
    response = adder.post(f"{USERS}add/", {"username": "root2", "password1": "a-Long-pass-1",
                                           "password2": "a-Long-pass-1"})
    assert response.status_code == 403
    assert not User.objects.filter(username="root2").exists()
    both = client_for(staff_user("both", perms=["auth.add_user", "auth.change_user"]))
    assert both.get(f"{USERS}add/").status_code == 200


def test_adding_without_the_change_permission_explains_itself_under_debug(site, staff_user, use_settings):
    use_settings(DEBUG=True)
    response = client_for(staff_user("adder", perms=["auth.add_user"])).get(f"{USERS}add/")
    assert response.status_code == 404
    assert "Change user" in page(response)


# Changing a user.


def test_change_page_has_djangos_fieldsets(site, admin_client, bob):
    response = admin_client.get(f"{USERS}{bob.pk}/change/")
    assert response.status_code == 200
    assert [fieldset.name for fieldset in response.context["adminform"]] == [
        None, "Personal info", "Permissions", "Important dates",
    ]
    assert input_names(response)[:9] == [
        "username", "first_name", "last_name", "email", "is_active", "is_staff", "is_superuser", "groups",
        "user_permissions",
    ]


def test_change_page_shows_the_password_only_as_a_masked_summary(site, admin_client, bob):
    text = page(admin_client.get(f"{USERS}{bob.pk}/change/"))
    algorithm, salt, hashed = bob.password.split("$")
    assert salt not in text and hashed not in text, "the hash is never shown in clear"
    assert f"<strong>salt</strong>: <bdi>{salt[:2]}{'*' * (len(salt) - 2)}</bdi>" in text
    assert "Raw passwords are not stored, so there is no way to see the user’s password." in text
    assert 'name="password"' not in text, "no box to type a password into"


def test_change_pages_password_link_leads_to_the_password_page(site, admin_client, bob):
    import re

    change_url = f"{USERS}{bob.pk}/change/"
    [href] = re.findall(r'<a class="button" href="([^"]+)">Reset password</a>', page(admin_client.get(change_url)))
    assert urljoin(change_url, href) == f"{USERS}{bob.pk}/password/"
    assert admin_client.get(urljoin(change_url, href)).status_code == 200


def test_change_page_of_a_user_without_a_password_offers_to_set_one(site, admin_client):
    from tinyframe.contrib.auth.models import User

    nopass = User.objects.create_user("nopass")
    text = page(admin_client.get(f"{USERS}{nopass.pk}/change/"))
    assert "<strong>No password set.</strong>" in text
    assert ">Set password</a>" in text
    assert "Enable password-based authentication for this user by setting a password." in text


def test_change_form_cannot_change_the_password(site, admin_client, bob):
    old_hash = bob.password
    response = admin_client.post(f"{USERS}{bob.pk}/change/", change_data(bob, first_name="Robert",
                                                                          password="typed-in-clear"))
    assert (response.status_code, response["Location"]) == (302, USERS)
    bob.refresh_from_db()
    assert bob.first_name == "Robert"
    assert bob.password == old_hash, "the password field is shown, never saved from the form"


def test_view_only_change_page_shows_the_summary_not_the_hash(site, staff_user, bob):
    viewer = client_for(staff_user("viewer", perms=["auth.view_user"]))
    response = viewer.get(f"{USERS}{bob.pk}/change/")
    assert response.status_code == 200
    text = page(response)
    assert bob.password not in text and bob.password.split("$")[2] not in text
    assert "<strong>algorithm</strong>: <bdi>md5</bdi>" in text


def test_staff_without_change_permission_cannot_make_themselves_superuser(site, staff_user):
    viewer_user = staff_user("viewer", perms=["auth.view_user"])
    viewer = client_for(viewer_user)
    response = viewer.post(f"{USERS}{viewer_user.pk}/change/", change_data(viewer_user, is_superuser="on"))
    assert response.status_code == 403
    viewer_user.refresh_from_db()
    assert not viewer_user.is_superuser


# The password page.


def test_password_page(site, admin_client, bob):
    response = admin_client.get(f"{USERS}{bob.pk}/password/")
    assert response.status_code == 200
    assert response.templates[0].name == "admin/auth/user/change_password.html"
    assert response.context["title"] == "Change password: bob"
    assert input_names(response) == ["username", "password1", "password2"]  # the username for password managers
    text = page(response)
    assert "Enter a new password for the user <strong>bob</strong>." in text
    assert "Old password" not in text, "an administrator does not know it"
    assert f'href="{USERS}{bob.pk}/change/"' in text, "the breadcrumbs lead back to the user"


def test_password_page_of_a_user_without_a_password_is_set_password(site, admin_client):
    from tinyframe.contrib.auth.models import User

    nopass = User.objects.create_user("nopass")
    response = admin_client.get(f"{USERS}{nopass.pk}/password/")
    assert response.context["title"] == "Set password: nopass"


def test_password_page_mismatch_shows_the_error_and_changes_nothing(site, admin_client, bob):
    response = admin_client.post(f"{USERS}{bob.pk}/password/", {"password1": "new-Pass-9876",
                                                                 "password2": "other-Pass-9876"})
    assert response.status_code == 200
    assert "The two password fields didn’t match." in page(response)
    assert "<title>Error: " in page(response)
    assert "new-Pass-9876" not in page(response)
    bob.refresh_from_db()
    assert bob.check_password("old-Pass-1234")


def test_password_page_runs_the_password_validators(site, admin_client, bob, use_settings):
    use_settings(AUTH_PASSWORD_VALIDATORS=[
        {"NAME": "tinyframe.contrib.auth.password_validation.MinimumLengthValidator"},
    ])
    response = admin_client.post(f"{USERS}{bob.pk}/password/", {"password1": "short", "password2": "short"})
    assert response.status_code == 200
    assert "This password is too short. It must contain at least 8 characters." in page(response)
    bob.refresh_from_db()
    assert bob.check_password("old-Pass-1234")


def test_password_page_sets_the_password_logs_it_and_says_so(site, admin_client, bob):
    from tinyframe.contrib.admin.models import LogEntry

    response = admin_client.post(f"{USERS}{bob.pk}/password/", {"password1": "new-Pass-9876",
                                                                 "password2": "new-Pass-9876"})
    assert (response.status_code, response["Location"]) == (302, f"{USERS}{bob.pk}/change/")
    bob.refresh_from_db()
    assert bob.check_password("new-Pass-9876")
    assert messages_after(admin_client, response) == ["Password changed successfully."]
    entry = LogEntry.objects.get()
    assert (entry.is_change(), entry.object_repr, entry.get_change_message()) == (True, "bob", "Changed password.")


def test_changing_your_own_password_keeps_you_signed_in(site, superuser):
    client = client_for(superuser)
    response = client.post(f"{USERS}{superuser.pk}/password/", {"password1": "new-Pass-9876",
                                                                "password2": "new-Pass-9876"})
    assert response.status_code == 302
    assert client.get("/admin/").status_code == 200, "still signed in: the session's hash was renewed"


def test_changing_another_users_password_signs_them_out(site, admin_client, bob):
    bobs_client = client_for(bob)
    assert bobs_client.get("/admin/").status_code == 200
    admin_client.post(f"{USERS}{bob.pk}/password/", {"password1": "new-Pass-9876", "password2": "new-Pass-9876"})
    assert bobs_client.get("/admin/").status_code == 302, "bob's old session no longer matches his password"


@pytest.mark.parametrize("perms", [[], ["auth.view_user"], ["auth.add_user", "auth.delete_user"]])
def test_password_page_needs_the_change_permission(site, staff_user, bob, perms):
    client = client_for(staff_user("someone", perms=perms))
    url = f"{USERS}{bob.pk}/password/"
    assert client.get(url).status_code == 403
    assert client.post(url, {"password1": "forged-Pass-1", "password2": "forged-Pass-1"}).status_code == 403
    bob.refresh_from_db()
    assert bob.check_password("old-Pass-1234")


def test_password_page_with_the_change_permission(site, staff_user, bob):
    client = client_for(staff_user("changer", perms=["auth.change_user"]))
    assert client.get(f"{USERS}{bob.pk}/password/").status_code == 200


def test_password_page_of_anonymous_goes_to_login(site, bob):
    from tinyframe.test import Client

    response = Client().get(f"{USERS}{bob.pk}/password/")
    assert (response.status_code, response["Location"]) == (
        302, f"/admin/login/?next=/admin/auth/user/{bob.pk}/password/"
    )


def test_password_page_checks_csrf(site, superuser, bob):
    strict = client_for(superuser, enforce_csrf_checks=True)
    response = strict.post(f"{USERS}{bob.pk}/password/", {"password1": "forged-Pass-1", "password2": "forged-Pass-1"})
    assert response.status_code == 403
    bob.refresh_from_db()
    assert bob.check_password("old-Pass-1234")
    assert 'name="csrfmiddlewaretoken"' in page(strict.get(f"{USERS}{bob.pk}/password/"))


@pytest.mark.parametrize("user_id", ["999", "abc", "%3Cscript%3E"])
def test_password_page_of_a_missing_user_is_a_404(site, admin_client, user_id):
    assert admin_client.get(f"{USERS}{user_id}/password/").status_code == 404


def test_password_page_escapes_the_username(site, admin_client):
    from tinyframe.contrib.auth.models import User

    # The username validator refuses "<", but rows may come from elsewhere (a script, an import).
    odd = User.objects.create_user("<b>odd</b>", password="pw")
    text = page(admin_client.get(f"{USERS}{odd.pk}/password/"))
    assert "<b>odd</b>" not in text
    assert "Change password: &lt;b&gt;odd&lt;/b&gt;" in text


# Groups.


def test_group_add_change_and_search(site, admin_client):
    from tinyframe.contrib.auth.models import Group, Permission

    permission = Permission.objects.create(app_label="blog", model="post", codename="view_post", name="Can view post")
    response = admin_client.get(f"{GROUPS}add/")
    assert input_names(response) == ["name", "permissions"]
    assert "<select" in page(response) and "multiple" in page(response)
    response = admin_client.post(f"{GROUPS}add/", {"name": "Editors", "permissions": [str(permission.pk)]})
    assert (response.status_code, response["Location"]) == (302, GROUPS)
    editors = Group.objects.get(name="Editors")
    assert list(editors.permissions.all()) == [permission]
    Group.objects.create(name="Authors")
    assert [group.name for group in admin_client.get(GROUPS).context["cl"].result_list] == ["Authors", "Editors"]
    assert [group.name for group in admin_client.get(f"{GROUPS}?q=edit").context["cl"].result_list] == ["Editors"]


def test_group_names_are_escaped(site, admin_client):
    from tinyframe.contrib.auth.models import Group

    Group.objects.create(name="<i>crew</i>")
    text = page(admin_client.get(GROUPS))
    assert "<i>crew</i>" not in text and "&lt;i&gt;crew&lt;/i&gt;" in text


# Registration with the project's admin.site, and the app configurations.


def test_users_and_groups_are_on_the_default_site():
    """``AdminConfig`` autodiscovers ``tinyframe.contrib.auth.admin``, as Django's ``django.contrib.auth.admin``."""
    from tinyframe.contrib import admin
    from tinyframe.contrib.auth.admin import GroupAdmin, UserAdmin
    from tinyframe.contrib.auth.models import Group, User

    assert type(admin.site.get_model_admin(User)) is UserAdmin
    assert type(admin.site.get_model_admin(Group)) is GroupAdmin


@pytest.fixture
def notes_app(tmp_path, monkeypatch):
    """A throwaway app whose ``admin.py`` says it was imported (and registers nothing)."""
    import sys

    name = "auth_admin_notes_app"
    (tmp_path / name).mkdir()
    (tmp_path / name / "__init__.py").write_text("")
    (tmp_path / name / "admin.py").write_text(textwrap.dedent("""
        import sys

        sys.modules[__name__.rpartition(".")[0]].discovered = True
    """))
    monkeypatch.syspath_prepend(str(tmp_path))
    yield name
    for module in [module for module in sys.modules if module.split(".")[0] == name]:
        del sys.modules[module]


CONTRIB = ["tinyframe.contrib.sessions", "tinyframe.contrib.auth.apps.AuthConfig", "tinyframe.contrib.messages"]


@pytest.mark.parametrize("admin_entry, discovered", [
    ("tinyframe.contrib.admin", True),
    ("tinyframe.contrib.admin.apps.AdminConfig", True),
    ("tinyframe.contrib.admin.apps.SimpleAdminConfig", False),
])
def test_only_admin_config_autodiscovers(notes_app, use_settings, admin_entry, discovered):
    import importlib

    use_settings(INSTALLED_APPS=[admin_entry, *CONTRIB, notes_app])  # the registry loads them, ready() runs
    assert getattr(importlib.import_module(notes_app), "discovered", False) is discovered


def test_admin_works_with_app_config_paths_installed(site, admin_client, bob, use_settings):
    """``SimpleAdminConfig`` and ``AuthConfig`` by path: the admin's templates and template tags are found."""
    use_settings(INSTALLED_APPS=["tinyframe.contrib.admin.apps.SimpleAdminConfig", *CONTRIB])
    assert admin_client.get("/admin/").status_code == 200
    response = admin_client.get(USERS)
    assert response.status_code == 200 and "bob" in page(response)
    assert admin_client.get(f"{USERS}{bob.pk}/password/").status_code == 200
