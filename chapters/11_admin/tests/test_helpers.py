"""The change form's helpers: a ModelForm cut into fieldsets, rows and fields for the templates.

Names, classes and texts are Django 5.2's for the same forms (checked side
by side with ``django.contrib.admin.helpers``).
"""

import pytest

from tinyframe.db import models
from tinyframe.db.models import CASCADE

APP = "admin_helpers_tests"


class HelperAuthor(models.Model):
    name = models.CharField(max_length=30, help_text="Pen name.")

    class Meta:
        app_label = APP

    def __str__(self):
        return self.name


class HelperBook(models.Model):
    author = models.ForeignKey(HelperAuthor, CASCADE)
    title = models.CharField(max_length=30)
    blurb = models.TextField(blank=True)
    in_print = models.BooleanField(default=True)

    class Meta:
        app_label = APP

    def __str__(self):
        return self.title

    def shout(self):
        return self.title.upper() + "!"


@pytest.fixture
def book_form():
    from tinyframe import forms

    class BookForm(forms.ModelForm):
        class Meta:
            model = HelperBook
            fields = ["author", "title", "blurb", "in_print"]

    return BookForm


@pytest.fixture
def helpers():
    from tinyframe.contrib.admin import helpers

    return helpers


def names_of(fieldline):
    return [field.field.name if not field.is_readonly else field.field["name"] for field in fieldline]


def test_admin_form_iterates_fieldsets_rows_and_fields(helpers, book_form):
    fieldsets = [(None, {"fields": ["author", ("title", "in_print")]}),
                 ("More", {"fields": ["blurb"], "classes": ["wide", "collapse"], "description": "Extra."})]
    admin_form = helpers.AdminForm(book_form(), fieldsets, {})
    boxes = list(admin_form)
    assert [box.name for box in boxes] == [None, "More"]
    assert boxes[1].classes == "wide collapse" and boxes[1].description == "Extra."
    assert boxes[1].is_collapsible and not boxes[0].is_collapsible
    rows = list(boxes[0])
    assert [names_of(row) for row in rows] == [["author"], ["title", "in_print"]]
    assert [field.is_first for field in rows[1]] == [True, False]
    assert admin_form.fields is admin_form.form.fields and not admin_form.is_bound


def test_admin_field_label_classes(helpers, book_form):
    form = book_form()
    title, in_print = helpers.Fieldline(form, ("title", "in_print"))
    assert title.label_tag() == '<label class="required" for="id_title">Title:</label>'
    # A checkbox's label follows it: no colon, vCheckboxLabel; not first in its row: inline.
    assert in_print.is_checkbox
    assert in_print.label_tag() == '<label class="vCheckboxLabel inline" for="id_in_print">In print</label>'


def test_fieldline_errors_and_collapse_opens_on_error(helpers, book_form):
    form = book_form(data={"title": "", "blurb": "x"})
    assert not form.is_valid()
    line = helpers.Fieldline(form, ("author", "title"))
    assert line.errors().count('<ul class="errorlist"') == 2
    box = helpers.Fieldset(form, "Main", fields=["title"], classes=["collapse"])
    assert not box.is_collapsible  # an error inside keeps it open


def test_hidden_only_line_has_no_visible_field(helpers, book_form):
    from tinyframe import forms

    form = book_form()
    form.fields["title"].widget = forms.HiddenInput()
    assert not helpers.Fieldline(form, "title").has_visible_field
    assert helpers.Fieldline(form, ("title", "blurb")).has_visible_field


def test_readonly_field_shows_value_escaped_and_method(helpers, book_form, tables):
    tables(HelperAuthor, HelperBook)
    author = HelperAuthor.objects.create(name="Ann")
    book = HelperBook.objects.create(author=author, title="<b>Dune</b>", blurb="one\ntwo", in_print=False)
    form = book_form(instance=book)
    fields = list(helpers.Fieldline(form, ("title", "blurb", "shout", "in_print"),
                                    readonly_fields=("title", "blurb", "shout", "in_print")))
    assert all(field.is_readonly for field in fields)
    title, blurb, shout, in_print = fields
    assert title.label_tag() == "<label>Title:</label>"
    assert blurb.label_tag() == '<label class="inline">Blurb:</label>'
    from tinyframe.utils.html import conditional_escape

    assert conditional_escape(title.contents()) == "&lt;b&gt;Dune&lt;/b&gt;"
    assert str(blurb.contents()) == "<p>one<br>two</p>"
    assert conditional_escape(shout.contents()) == "&lt;B&gt;DUNE&lt;/B&gt;!"
    assert "no" in str(in_print.contents()).lower() or "false" in str(in_print.contents()).lower()


def test_readonly_foreign_key_without_admin_is_text(helpers, book_form, tables, use_settings, throwaway_module):
    use_settings(ROOT_URLCONF=throwaway_module(urlpatterns=[]))
    tables(HelperAuthor, HelperBook)
    author = HelperAuthor.objects.create(name="Ann")
    book = HelperBook.objects.create(author=author, title="Dune")
    (field,) = helpers.Fieldline(book_form(instance=book), "author", readonly_fields=("author",))
    assert str(field.contents()) == "Ann"


def test_admin_error_list_gathers_form_and_inline_errors(helpers, book_form, tables):
    from tinyframe.forms.model_formsets import inlineformset_factory

    tables(HelperAuthor, HelperBook)
    from tinyframe import forms

    class AuthorForm(forms.ModelForm):
        class Meta:
            model = HelperAuthor
            fields = ["name"]

    formset_class = inlineformset_factory(HelperAuthor, HelperBook, fields=["title"], extra=1)
    data = {"name": "", "helperbook_set-TOTAL_FORMS": "1", "helperbook_set-INITIAL_FORMS": "0",
            "helperbook_set-0-title": "x" * 40}
    form = AuthorForm(data)
    formset = formset_class(data, instance=HelperAuthor())
    errors = helpers.AdminErrorList(form, [formset])
    assert list(errors) == ["This field is required.",
                            "Ensure this value has at most 30 characters (it has 40)."]
    assert list(helpers.AdminErrorList(AuthorForm(), [])) == []


def test_action_form_and_checkbox(helpers):
    assert helpers.ACTION_CHECKBOX_NAME == "_selected_action"
    form = helpers.ActionForm()
    form.fields["action"].choices = [("", "---------"), ("delete_selected", "Delete selected books")]
    assert form["action"].label == "Action:"
    html = str(form["select_across"])
    assert 'type="hidden"' in html and 'class="select-across"' in html and 'value="0"' in html
    checkbox = helpers.checkbox.render(helpers.ACTION_CHECKBOX_NAME, "7")
    assert 'class="action-select"' in checkbox and "checked" not in checkbox


class FakeInline:
    """The few things InlineAdminFormSet reads from an InlineModelAdmin."""

    model = HelperBook
    verbose_name = "book"
    classes = ["collapse"]

    def get_empty_value_display(self):
        return "-"


def inline_formset(helpers, tables, *, change=True, add=True, readonly=()):
    from tinyframe.forms.model_formsets import inlineformset_factory

    tables(HelperAuthor, HelperBook)
    author = HelperAuthor.objects.create(name="Ann")
    HelperBook.objects.create(author=author, title="Dune")
    formset = inlineformset_factory(HelperAuthor, HelperBook, fields=["title", "in_print"], extra=2)(instance=author)
    fieldsets = [(None, {"fields": ["title", "in_print"]})]
    return helpers.InlineAdminFormSet(FakeInline(), formset, fieldsets, readonly_fields=readonly,
                                      has_add_permission=add, has_change_permission=change)


def test_inline_admin_formset_yields_existing_extra_and_empty_forms(helpers, tables):
    inline = inline_formset(helpers, tables)
    forms = list(inline)
    assert [form.original is not None for form in forms] == [True, False, False, False]
    assert forms[0].original.title == "Dune"
    assert "__prefix__" in forms[-1].form.prefix
    assert inline.classes == "collapse" and inline.is_collapsible
    assert [column["label"] for column in inline.fields()] == ["Title", "In print"]
    assert '"prefix": "helperbook_set"' in inline.inline_formset_data()
    assert '"addText": "Add another Book"' in inline.inline_formset_data()


def test_inline_admin_form_parts_and_cell_count(helpers, tables):
    from tinyframe.contrib.admin.templatetags.admin_modify import cell_count

    first = next(iter(inline_formset(helpers, tables)))
    assert first.needs_explicit_pk_field()
    assert first.pk_field().field.name == "id"
    assert first.fk_field().field.name == "author"
    assert first.deletion_field().field.name == "DELETE"
    rows = [names_of(line) for fieldset in first for line in fieldset]
    assert rows == [["title"], ["in_print"]]
    assert cell_count(first) == 4  # the hidden keys' cell, title, in print, delete


def test_inline_without_add_or_change_permission(helpers, tables):
    inline = inline_formset(helpers, tables, change=False, add=False)
    forms = list(inline)
    assert len(forms) == 3  # no empty template form without add permission
    assert all(field.is_readonly for fieldset in forms[0] for line in fieldset for field in line)
    assert not any(field.is_readonly for fieldset in forms[1] for line in fieldset for field in line)


# --- the change page's template tags: admin_modify and admin_urls ---------------------------------------------


@pytest.fixture
def engine(tmp_path):
    """A template backend over ``tmp_path`` (a test writes its own overrides there) and the apps' templates."""
    from tinyframe.template.backends.django import DjangoTemplates

    def write(name, text):
        target = tmp_path / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text)

    backend = DjangoTemplates({"NAME": "h3", "DIRS": [str(tmp_path)], "APP_DIRS": True, "OPTIONS": {}})
    backend.write = write
    return backend


def button_context(**overrides):
    context = {"add": False, "change": True, "is_popup": False, "save_as": False, "has_add_permission": True,
               "has_change_permission": True, "has_view_permission": True, "has_delete_permission": True,
               "has_editable_inline_admin_formsets": False}
    return {**context, **overrides}


@pytest.mark.parametrize(("overrides", "expected"), [
    ({}, {"show_save": True, "show_save_and_continue": True, "show_save_and_add_another": True,
          "show_delete_link": True, "show_save_as_new": False, "show_close": False, "can_change": True}),
    ({"add": True, "change": False}, {"show_save": True, "show_delete_link": False}),
    ({"has_change_permission": False}, {"show_save": False, "show_save_and_continue": False, "show_close": True,
                                        "show_save_and_add_another": False, "can_change": False}),
    ({"has_change_permission": False, "has_editable_inline_admin_formsets": True},
     {"show_save": True, "can_change": True}),
    ({"is_popup": True}, {"show_save": True, "show_save_and_continue": False, "show_save_and_add_another": False,
                          "show_delete_link": False}),
    ({"save_as": True}, {"show_save_as_new": True, "show_save_and_add_another": False}),
    ({"has_delete_permission": False, "show_delete": True}, {"show_delete_link": False}),
    ({"show_save_and_continue": False}, {"show_save_and_continue": False, "show_save": True}),
])
def test_submit_row_buttons(overrides, expected):
    from tinyframe.contrib.admin.templatetags.admin_modify import submit_row
    from tinyframe.template.context import Context

    row = submit_row(Context(button_context(**overrides)))
    assert {name: row[name] for name in expected} == expected


def test_submit_row_tag_uses_the_most_specific_template(engine):
    from tinyframe.db import models as db_models  # noqa: F401

    engine.write("admin/submit_line.html", "generic {{ show_save }}")
    engine.write(f"admin/{APP}/helperbook/submit_line.html", "book {{ show_save }} {{ show_delete_link }}")
    template = engine.from_string("{% load admin_modify %}[{% submit_row %}]")
    assert template.render(button_context(opts=HelperBook._meta)) == "[book True True]"
    assert template.render(button_context(opts=HelperAuthor._meta, is_popup=True)) == "[generic True]"


def test_change_form_object_tools_tag(engine):
    engine.write(f"admin/{APP}/change_form_object_tools.html", "tools for {{ original }}")
    template = engine.from_string("{% load admin_modify %}{% change_form_object_tools %}")
    assert template.render({"opts": HelperBook._meta, "original": "<Dune>"}) == "tools for &lt;Dune&gt;"


def test_admin_urlname_and_urlquote(engine):
    template = engine.from_string('{% load admin_urls %}{{ opts|admin_urlname:"change" }} {{ pk|admin_urlquote }}')
    assert template.render({"opts": HelperBook._meta, "pk": "a/b_c"}) == f"admin:{APP}_helperbook_change a_2Fb_5Fc"


@pytest.fixture
def changelist_urls(use_settings, throwaway_module):
    from tinyframe.http import HttpResponse
    from tinyframe.urls import include, path

    def view(request, *args, **kwargs):
        return HttpResponse("")

    patterns = [path("b/book/", view, name=f"{APP}_helperbook_changelist"),
                path("b/book/<path:object_id>/change/", view, name=f"{APP}_helperbook_change")]
    use_settings(ROOT_URLCONF=throwaway_module(urlpatterns=[path("admin/", include((patterns, "admin")))]))


@pytest.mark.parametrize(("url", "expected"), [
    # Back on the changelist, the preserved filters are its own query string again.
    ("/admin/b/book/", "/admin/b/book/?q=dune&o=1"),
    # Elsewhere they stay wrapped in _changelist_filters.
    ("/admin/b/book/3/change/", "/admin/b/book/3/change/?_changelist_filters=q%3Ddune%26o%3D1"),
    # A link with its own query string is not the changelist's own URL (as in Django); its parameters come last.
    ("/admin/b/book/?q=other", "/admin/b/book/?_changelist_filters=q%3Ddune%26o%3D1&q=other"),
    ("/elsewhere/", "/elsewhere/?_changelist_filters=q%3Ddune%26o%3D1"),
])
def test_add_preserved_filters(engine, changelist_urls, url, expected):
    template = engine.from_string("{% load admin_urls %}{% add_preserved_filters url %}")
    context = {"opts": HelperBook._meta, "preserved_filters": "_changelist_filters=q%3Ddune%26o%3D1", "url": url}
    assert template.render(context) == expected.replace("&", "&amp;")


def test_add_preserved_filters_without_filters_keeps_the_url(engine, changelist_urls):
    template = engine.from_string("{% load admin_urls %}{% add_preserved_filters url %}")
    assert template.render({"opts": HelperBook._meta, "url": "/admin/b/book/?p=2"}) == "/admin/b/book/?p=2"
    assert template.render({"url": "/x/", "preserved_qsl": [("a", "1")]}) == "/x/?a=1"


# --- read-only values of every kind, and the wrappers' pass-through properties -----------------------------------


class HelperShelf(models.Model):
    label = models.CharField(max_length=30)
    books = models.ManyToManyField(HelperBook, blank=True)

    class Meta:
        app_label = APP


def test_readonly_callables_labels_and_html(helpers, tables):
    from tinyframe import forms
    from tinyframe.utils.html import format_html

    tables(HelperAuthor, HelperBook)
    book = HelperBook.objects.create(author=HelperAuthor.objects.create(name="Ann"), title="Dune")

    def badge(obj):
        return format_html("<b>{}</b>", obj.title)

    class LabelledForm(forms.ModelForm):
        class Meta:
            model = HelperBook
            fields = ["title"]
            labels = {"badge": "Shiny badge"}
            help_texts = {"badge": "Bold."}

    form = LabelledForm(instance=book)
    shown = helpers.AdminReadonlyField(form, badge, is_first=True)
    nameless = helpers.AdminReadonlyField(form, lambda obj: None, is_first=False)
    broken = helpers.AdminReadonlyField(form, "shout", is_first=False)
    assert shown.field["label"] == "Shiny badge" and shown.field["help_text"] == "Bold."
    assert str(shown.contents()) == "<b>Dune</b>"  # already HTML: kept as it is
    assert nameless.field["name"] == "" and str(nameless.contents()) == "-"
    book.title = None  # shout() now fails: the empty value is shown, not an error
    assert broken.contents() == "-"


def test_readonly_many_to_many_and_linked_foreign_key(helpers, tables, use_settings, throwaway_module):
    from tinyframe import forms
    from tinyframe.http import HttpResponse
    from tinyframe.urls import include, path

    patterns = [path("a/<path:object_id>/change/", lambda request, object_id: HttpResponse(""),
                     name=f"{APP}_helperauthor_change")]
    use_settings(ROOT_URLCONF=throwaway_module(urlpatterns=[path("admin/", include((patterns, "admin")))]))
    tables(HelperAuthor, HelperBook, HelperShelf)
    ann = HelperAuthor.objects.create(name="Ann & Bo")
    shelf = HelperShelf.objects.create(label="S")
    shelf.books.add(HelperBook.objects.create(author=ann, title="Dune"),
                    HelperBook.objects.create(author=ann, title="Emma"))

    class ShelfForm(forms.ModelForm):
        class Meta:
            model = HelperShelf
            fields = ["label"]

    (books,) = helpers.Fieldline(ShelfForm(instance=shelf), "books", readonly_fields=("books",))
    assert books.contents() == "Dune, Emma"
    (empty,) = helpers.Fieldline(ShelfForm(instance=HelperShelf.objects.create(label="T")), "books",
                                 readonly_fields=("books",))
    assert empty.contents() == "-"

    class BookForm(forms.ModelForm):
        class Meta:
            model = HelperBook
            fields = ["title"]

    (author,) = helpers.Fieldline(BookForm(instance=ann.helperbook_set.first()), "author", readonly_fields=("author",))
    assert str(author.contents()) == f'<a href="/admin/a/{ann.pk}/change/">Ann &amp; Bo</a>'


def test_wrappers_pass_through(helpers, book_form, tables):
    form = book_form(data={})
    admin_form = helpers.AdminForm(form, [(None, {"fields": ["title"]})], {"title": ["blurb"]})
    assert admin_form.errors is form.errors and admin_form.non_field_errors() == []
    assert admin_form.prepopulated_fields[0]["field"].name == "title"
    assert admin_form.prepopulated_fields[0]["dependencies"][0].name == "blurb"
    assert "AdminForm: form=" in repr(admin_form)
    assert str(admin_form.media) == "" and str(helpers.Fieldset(form).media) == ""
    inline = inline_formset(helpers, tables, readonly=("in_print",))
    assert inline.forms is inline.formset.forms and inline.non_form_errors() == []
    assert not inline.is_bound and inline.total_form_count == 3
    assert str(inline.media) == ""
    assert [column["name"] for column in inline.fields()] == ["title", "in_print"]


def test_inline_with_an_error_stays_open(helpers, tables):
    from tinyframe.forms.model_formsets import inlineformset_factory

    tables(HelperAuthor, HelperBook)
    author = HelperAuthor.objects.create(name="Ann")
    formset = inlineformset_factory(HelperAuthor, HelperBook, fields=["title"], extra=1)(
        {"helperbook_set-TOTAL_FORMS": "1", "helperbook_set-INITIAL_FORMS": "0", "helperbook_set-0-title": "x" * 31},
        instance=author)
    inline = helpers.InlineAdminFormSet(FakeInline(), formset, [(None, {"fields": ["title"]})])
    assert not inline.is_collapsible
    hidden = helpers.InlineAdminFormSet(FakeInline(), formset, [(None, {"fields": ["title"]})],
                                        has_change_permission=False)
    assert [column["name"] for column in hidden.fields()] == ["title"]


def test_prepopulated_fields_js(helpers, book_form, engine):
    admin_form = helpers.AdminForm(book_form(), [(None, {"fields": ["title", "blurb"]})], {"blurb": ["title"]})
    html = engine.from_string("{% load admin_modify %}{% prepopulated_fields_js %}").render({"adminform": admin_form})
    assert '<script id="django-admin-prepopulated-fields-constants" type="application/json">' in html
    assert ('[{"id": "#id_blurb", "name": "blurb", "dependency_ids": ["#id_title"], "dependency_list": ["title"], '
            '"maxLength": 50, "allowUnicode": false}]') in html
    assert engine.from_string("{% load admin_modify %}{% prepopulated_fields_js %}").render({}).strip() == ""


def test_prepopulated_fields_js_of_new_inline_rows(helpers, tables, engine):
    inline = inline_formset(helpers, tables)
    inline.prepopulated_fields = {"title": ["in_print"]}
    html = engine.from_string("{% load admin_modify %}{% prepopulated_fields_js %}").render(
        {"inline_admin_formsets": [inline]})
    # The two blank rows and the empty template row; not the existing object's row.
    assert html.count('"name": "title"') == 3 and '"id": "#id_helperbook_set-0-title"' not in html
