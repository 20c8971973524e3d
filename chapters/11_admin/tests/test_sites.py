"""The admin site: registration, URLs and their names, who may enter, the index, login and logout."""

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


@pytest.fixture
def site(admin_site, tables):
    tables(Article, Note)
    return admin_site(Article, Note)


def test_index_lists_registered_models_for_superuser(site, admin_client):
    response = admin_client.get("/admin/")
    assert response.status_code == 200
    assert response.context["title"] == "Site administration"
    apps = response.context["app_list"]
    assert [app["app_label"] for app in apps] == ["site_tests"]
    assert [model["name"] for model in apps[0]["models"]] == ["Articles", "Notes"]
    assert apps[0]["models"][0]["admin_url"] == "/admin/site_tests/article/"
    assert apps[0]["models"][0]["add_url"] == "/admin/site_tests/article/add/"


def test_anonymous_visitor_is_sent_to_login_with_next(site, client_factory=None):
    from tinyframe.test import Client

    response = Client().get("/admin/site_tests/article/")
    assert response.status_code == 302
    assert response["Location"] == "/admin/login/?next=/admin/site_tests/article/"
