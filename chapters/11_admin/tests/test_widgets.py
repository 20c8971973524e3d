"""The admin's widgets: their CSS classes, the raw-id lookups and the "+" wrapper, as Django 5.2 renders them."""

import datetime

import pytest

from tinyframe.db import models
from tinyframe.db.models import CASCADE

APP = "admin_widgets_tests"


class WidgetAuthor(models.Model):
    name = models.CharField(max_length=30)

    class Meta:
        app_label = APP

    def __str__(self):
        return self.name


class WidgetBook(models.Model):
    author = models.ForeignKey(WidgetAuthor, CASCADE, limit_choices_to={"name__startswith": "A"})
    fans = models.ManyToManyField(WidgetAuthor, related_name="favourites")

    class Meta:
        app_label = APP


class FakeSite:
    """The two things the widgets ask of an AdminSite."""

    name = "admin"

    def __init__(self, *registered):
        self.registered = registered

    def is_registered(self, model):
        return model in self.registered


@pytest.fixture
def widgets():
    from tinyframe.contrib.admin import widgets

    return widgets


@pytest.fixture
def admin_urls(use_settings, throwaway_module):
    """An "admin" namespace with the author model's changelist, add, change and delete URLs."""
    from tinyframe.http import HttpResponse
    from tinyframe.urls import include, path

    def view(request, *args, **kwargs):
        return HttpResponse("")

    patterns = [
        path("a/author/", view, name=f"{APP}_widgetauthor_changelist"),
        path("a/author/add/", view, name=f"{APP}_widgetauthor_add"),
        path("a/author/<path:object_id>/change/", view, name=f"{APP}_widgetauthor_change"),
        path("a/author/<path:object_id>/delete/", view, name=f"{APP}_widgetauthor_delete"),
    ]
    use_settings(ROOT_URLCONF=throwaway_module(urlpatterns=[path("admin/", include((patterns, "admin")))]))


@pytest.mark.parametrize(("name", "expected"), [
    ("AdminTextInputWidget", 'class="vTextField"'),
    ("AdminTextareaWidget", 'class="vLargeTextField"'),
    ("AdminEmailInputWidget", 'class="vTextField"'),
    ("AdminIntegerFieldWidget", 'class="vIntegerField"'),
    ("AdminBigIntegerFieldWidget", 'class="vBigIntegerField"'),
    ("AdminUUIDInputWidget", 'class="vUUIDField"'),
    ("AdminDateWidget", 'class="vDateField" size="10"'),
    ("AdminTimeWidget", 'class="vTimeField" size="8"'),
])
def test_admin_widget_classes(widgets, name, expected):
    html = getattr(widgets, name)().render("x", None)
    assert expected in html, html


def test_project_class_replaces_the_admins(widgets):
    assert 'class="mine"' in widgets.AdminTextInputWidget(attrs={"class": "mine"}).render("x", "")


def test_split_datetime_labels_and_parts(widgets):
    html = widgets.AdminSplitDateTime().render("when", datetime.datetime(2026, 12, 7, 6, 30))
    assert "Date:" in html and "Time:" in html
    assert 'name="when_0"' in html and 'value="2026-12-07"' in html and 'class="vDateField"' in html
    assert 'name="when_1"' in html and 'value="06:30:00"' in html and 'class="vTimeField"' in html


def test_url_widget_links_only_web_urls(widgets):
    html = widgets.AdminURLFieldWidget().render("site", "https://example.com/?a=1&b=<2>")
    assert 'Currently: <a href="https://example.com/?a=1&amp;b=&lt;2&gt;">' in html
    assert 'class="vURLField"' in html
    unsafe = widgets.AdminURLFieldWidget().render("site", "javascript:alert(1)")
    assert "<a " not in unsafe and 'value="javascript:alert(1)"' in unsafe


def test_url_params_from_lookup_dict(widgets):
    assert widgets.url_params_from_lookup_dict({"a__in": (1, 2), "ok": False, "n": lambda: 3}) == {
        "a__in": "1,2", "ok": "0", "n": "3"}
    assert widgets.url_params_from_lookup_dict(None) == {}


def test_foreign_key_raw_id_widget(widgets, tables, admin_urls):
    tables(WidgetAuthor, WidgetBook)
    ann = WidgetAuthor.objects.create(name="Ann <the> poet")
    rel = WidgetBook._meta.get_field("author").remote_field
    widget = widgets.ForeignKeyRawIdWidget(rel, FakeSite(WidgetAuthor))
    html = widget.render("author", ann.pk)
    assert 'class="vForeignKeyRawIdAdminField"' in html
    assert (f'href="/admin/a/author/?name__startswith=A&amp;_to_field=id" class="related-lookup" '
            'id="lookup_id_author" title="Lookup"') in html
    assert f'<a href="/admin/a/author/{ann.pk}/change/">Ann &lt;the&gt; poet</a>' in html
    assert widget.label_and_url_for_value("999") == ("", "")
    assert widget.label_and_url_for_value("nope") == ("", "")


def test_raw_id_widget_for_an_unregistered_model_has_no_lookup(widgets, tables, admin_urls):
    tables(WidgetAuthor, WidgetBook)
    rel = WidgetBook._meta.get_field("author").remote_field
    html = widgets.ForeignKeyRawIdWidget(rel, FakeSite()).render("author", None)
    assert "related-lookup" not in html and "vForeignKeyRawIdAdminField" not in html


def test_many_to_many_raw_id_widget(widgets, tables, admin_urls):
    tables(WidgetAuthor, WidgetBook)
    rel = WidgetBook._meta.get_field("fans").remote_field
    widget = widgets.ManyToManyRawIdWidget(rel, FakeSite(WidgetAuthor))
    html = widget.render("fans", [1, 2])
    assert 'value="1,2"' in html and 'class="vManyToManyRawIdAdminField"' in html
    assert 'href="/admin/a/author/"' in html
    assert widget.value_from_datadict({"fans": "3,4"}, {}, "fans") == ["3", "4"]
    assert widget.value_from_datadict({}, {}, "fans") is None


def test_related_widget_wrapper_links(widgets, tables, admin_urls):
    from tinyframe import forms

    rel = WidgetBook._meta.get_field("author").remote_field
    wrapper = widgets.RelatedFieldWidgetWrapper(forms.Select(), rel, FakeSite(WidgetAuthor),
                                                can_change_related=True, can_delete_related=True)
    html = wrapper.render("author", None)
    assert '<select name="author"' in html
    assert 'href="/admin/a/author/add/?_to_field=id&amp;_popup=1"' in html
    assert 'title="Add another widget author"' in html
    assert 'data-href-template="/admin/a/author/__fk__/change/?_to_field=id&amp;_popup=1"' in html
    # A cascading key: deleting the related object would delete this one too, so no delete link.
    assert "delete-related" not in html
    assert wrapper.value_from_datadict({"author": "5"}, {}, "author") == "5"
    assert wrapper.id_for_label("id_author") == "id_author"
    assert not wrapper.is_hidden


def test_related_widget_wrapper_without_add_and_for_many(widgets, tables, admin_urls):
    from tinyframe import forms

    rel = WidgetBook._meta.get_field("author").remote_field
    assert "add-related" not in widgets.RelatedFieldWidgetWrapper(forms.Select(), rel, FakeSite()).render("a", None)
    many = widgets.RelatedFieldWidgetWrapper(forms.SelectMultiple(), rel, FakeSite(WidgetAuthor),
                                             can_change_related=True)
    assert not many.can_change_related and many.can_add_related
