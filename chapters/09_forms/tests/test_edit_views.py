"""The editing views: FormView, CreateView, UpdateView and DeleteView, their templates, contexts and redirects.

Each expectation was checked once against Django 5.2's views: the template
names, the context's keys, the 405s' Allow headers, the ImproperlyConfigured
messages, and ``success_url`` filled in from the object's fields.

The views and forms come from the ``views`` fixture, made when a test runs:
``tinyframe.views.generic.edit`` imports ``tinyframe.forms``, which cannot be
imported while exercise 09.1 is a stub, and this module must still load then.
"""

import types

import pytest

from tinyframe.core.exceptions import ImproperlyConfigured
from tinyframe.db import models
from tinyframe.http import Http404, QueryDict
from tinyframe.test import Client, RequestFactory
from tinyframe.urls import path, reverse_lazy
from tinyframe.views import generic
from tinyframe.views.generic.detail import SingleObjectMixin

APP = "edit_views_tests"


class EvBook(models.Model):
    title = models.CharField(max_length=50)
    pages = models.IntegerField(default=100)

    class Meta:
        app_label = APP
        ordering = ["title"]

    def __str__(self):
        return self.title


class EvNote(models.Model):
    """A model with a get_absolute_url: where CreateView goes without a success_url."""

    text = models.CharField(max_length=50)

    class Meta:
        app_label = APP

    def get_absolute_url(self):
        return f"/notes/{self.pk}/"


TEMPLATES = {
    "contact.html": "{{ form.email.value|default:'' }}|{{ form.errors.email.0 }}|{{ form.prefix }}",
    f"{APP}/evbook_form.html": "{% if object %}Edit {{ object }}{% else %}New book{% endif %}: {{ form.title }}"
                               "{{ form.title.errors }}",
    f"{APP}/evbook_confirm_delete.html": "Delete {{ evbook }}?{{ form.errors.confirm }}",
    f"{APP}/evnote_form.html": "{{ form }}",
}

factory = RequestFactory()


@pytest.fixture
def views(forms, templates):
    """The edit module's views, and the forms and view subclasses the tests use."""
    from tinyframe.views.generic import edit

    class ContactForm(forms.Form):
        email = forms.EmailField()
        message = forms.CharField(max_length=20)

    class ConfirmForm(forms.Form):
        """A deletion that must be confirmed by a ticked box."""

        confirm = forms.BooleanField()

    class ContactView(edit.FormView):
        form_class = ContactForm
        template_name = "contact.html"
        success_url = "/thanks/"

    return types.SimpleNamespace(
        **{name: getattr(edit, name) for name in edit.__all__},
        edit=edit, forms=forms, ContactForm=ContactForm, ConfirmForm=ConfirmForm, ContactView=ContactView,
    )


@pytest.fixture
def templates(use_settings):
    use_settings(TEMPLATES=[{
        "BACKEND": "tinyframe.template.backends.django.DjangoTemplates",
        "OPTIONS": {"loaders": [("tinyframe.template.loaders.locmem.Loader", TEMPLATES)]},
    }])


@pytest.fixture
def books(tables, templates):
    tables(EvBook, EvNote)
    return {title: EvBook.objects.create(title=title) for title in ("Dune", "Emma")}


def rendered(response) -> str:
    return response.render().content.decode()


# --- the package exports them ------------------------------------------------------------------------


def test_the_edit_views_are_exported_by_the_generic_package(views):
    edit = views.edit
    assert (generic.FormView, generic.CreateView, generic.UpdateView, generic.DeleteView) == (
        edit.FormView, edit.CreateView, edit.UpdateView, edit.DeleteView)
    assert {"FormView", "CreateView", "UpdateView", "DeleteView"} <= set(generic.__all__)
    with pytest.raises(AttributeError, match="has no attribute 'EditView'"):
        generic.EditView


# --- FormView ----------------------------------------------------------------------------------------


def test_form_view_get_shows_an_unbound_form_with_its_initial_values(views, templates):
    view = views.ContactView.as_view(initial={"email": "ada@example.com"}, prefix="contact")
    response = view(factory.get("/"))
    assert response.status_code == 200
    form = response.context_data["form"]
    assert isinstance(form, views.ContactForm) and not form.is_bound
    assert set(response.context_data) == {"form", "view"}
    assert isinstance(response.context_data["view"], views.ContactView)
    assert rendered(response) == "ada@example.com||contact"


def test_form_view_valid_post_redirects_to_success_url(views, templates):
    seen = []

    class Recording(views.ContactView):
        def form_valid(self, form):
            seen.append(form.cleaned_data)
            return super().form_valid(form)

    response = Recording.as_view()(factory.post("/", {"email": "ada@example.com", "message": "Hi"}))
    assert (response.status_code, response["Location"]) == (302, "/thanks/")
    assert seen == [{"email": "ada@example.com", "message": "Hi"}]


def test_form_view_invalid_post_shows_the_page_again_with_the_errors_and_the_values(views, templates):
    response = views.ContactView.as_view()(factory.post("/", {"email": "<not an email>", "message": "Hi"}))
    assert response.status_code == 200
    form = response.context_data["form"]
    assert form.is_bound and form.errors == {"email": ["Enter a valid email address."]}
    assert rendered(response) == "&lt;not an email&gt;|Enter a valid email address.|None"


def test_form_view_put_is_handled_as_post(views, templates):
    request = factory.put("/")
    request.POST = QueryDict("email=ada%40example.com&message=Hi")  # PUT bodies are not parsed: as in Django
    response = views.ContactView.as_view()(request)
    assert (response.status_code, response["Location"]) == (302, "/thanks/")


def test_form_view_success_url_may_be_lazy(views, templates, use_settings, throwaway_module):
    urlpatterns = [path("thanks/", views.ContactView.as_view(), name="thanks")]
    use_settings(ROOT_URLCONF=throwaway_module(urlpatterns=urlpatterns))
    view = views.ContactView.as_view(success_url=reverse_lazy("thanks"))
    response = view(factory.post("/", {"email": "ada@example.com", "message": "Hi"}))
    assert response["Location"] == "/thanks/"


def test_form_view_without_success_url_is_improperly_configured(views, templates):
    view = views.ContactView.as_view(success_url=None)
    with pytest.raises(ImproperlyConfigured) as caught:
        view(factory.post("/", {"email": "ada@example.com", "message": "Hi"}))
    assert str(caught.value) == "No URL to redirect to. Provide a success_url."


def test_form_view_answers_other_methods_with_405(views, templates):
    response = views.ContactView.as_view()(factory.delete("/"))
    assert (response.status_code, response["Allow"]) == (405, "GET, POST, PUT, HEAD, OPTIONS")


def test_form_mixin_form_kwargs_and_initial_are_per_request(views):
    view = views.ContactView(initial={"email": "a@example.com"}, prefix="p")
    view.setup(factory.get("/"))
    assert view.get_form_kwargs() == {"initial": {"email": "a@example.com"}, "prefix": "p"}
    view.get_initial()["email"] = "changed"
    assert view.initial == {"email": "a@example.com"}, "get_initial returns a copy"
    view.setup(factory.post("/", {"email": "b@example.com"}))
    kwargs = view.get_form_kwargs()
    assert kwargs["data"]["email"] == "b@example.com" and kwargs["files"] is view.request.FILES
    assert view.get_form(views.ConfirmForm).__class__ is views.ConfirmForm, "get_form(form_class) uses the class given"


def test_form_mixin_context_keeps_a_form_given(views):
    view = views.ContactView()
    view.setup(factory.get("/"))
    form = views.ContactForm()
    assert view.get_context_data(form=form)["form"] is form
    assert views.FormMixin.form_class is None and views.FormMixin.initial == {}


# --- CreateView --------------------------------------------------------------------------------------


def test_create_view_get_shows_an_empty_form(views, books):
    response = views.CreateView.as_view(model=EvBook, fields=["title"])(factory.get("/"))
    assert response.template_name == [f"{APP}/evbook_form.html"]
    assert set(response.context_data) == {"form", "view"}, "no object yet: no 'object' key"
    assert rendered(response) == (
        'New book: <input type="text" name="title" maxlength="50" required id="id_title">')


def test_create_view_post_saves_and_redirects_to_success_url_filled_from_the_object(views, books):
    view = views.CreateView.as_view(model=EvBook, fields=["title", "pages"], success_url="/books/{id}/{title}/")
    response = view(factory.post("/", {"title": "Ubik", "pages": "202"}))
    book = EvBook.objects.get(title="Ubik")
    assert (response.status_code, response["Location"]) == (302, f"/books/{book.pk}/Ubik/")
    assert book.pages == 202


def test_create_view_invalid_post_writes_nothing_and_shows_the_errors(views, books):
    view = views.CreateView.as_view(model=EvBook, fields=["title"], success_url="/")
    response = view(factory.post("/", {"title": "<b>" + "x" * 60}))
    assert response.status_code == 200 and EvBook.objects.count() == 2
    page = rendered(response)
    assert 'value="&lt;b&gt;xxx' in page and "<b>" not in page
    assert "Ensure this value has at most 50 characters (it has 63)." in page


def test_create_view_goes_to_get_absolute_url_without_success_url(views, books):
    response = views.CreateView.as_view(model=EvNote, fields="__all__")(factory.post("/", {"text": "hello"}))
    assert response["Location"] == f"/notes/{EvNote.objects.get().pk}/"


def test_create_view_without_a_url_to_go_to_is_improperly_configured(views, books):
    with pytest.raises(ImproperlyConfigured) as caught:
        views.CreateView.as_view(model=EvBook, fields=["title"])(factory.post("/", {"title": "Ubik"}))
    assert str(caught.value) == (
        "No URL to redirect to.  Either provide a url or define a get_absolute_url method on the Model.")


def test_create_view_needs_fields_or_a_form_class(views, books):
    with pytest.raises(ImproperlyConfigured) as caught:
        views.CreateView.as_view(model=EvBook)(factory.get("/"))
    assert str(caught.value) == (
        "Using ModelFormMixin (base class of CreateView) without the 'fields' attribute is prohibited.")
    with pytest.raises(ImproperlyConfigured) as caught:
        views.CreateView.as_view(model=EvBook, fields=["title"], form_class=views.ContactForm)(factory.get("/"))
    assert str(caught.value) == "Specifying both 'fields' and 'form_class' is not permitted."


def test_model_form_mixin_finds_the_model_from_the_queryset_or_the_object(views, books):
    view = views.BaseCreateView(queryset=EvBook.objects.filter(pages=1), fields=["pages"])
    view.setup(factory.get("/"))
    view.object = None
    form_class = view.get_form_class()
    assert form_class._meta.model is EvBook and list(form_class.base_fields) == ["pages"]
    view = views.BaseCreateView(fields=["title"])
    view.object = books["Dune"]
    assert view.get_form_class()._meta.model is EvBook


def test_create_view_with_a_form_class(views, books):
    class TitleForm(views.forms.ModelForm):
        class Meta:
            model = EvBook
            fields = ["title"]

    view = views.CreateView.as_view(form_class=TitleForm, success_url="/")
    response = view(factory.post("/", {"title": "Emma 2"}))
    assert response.status_code == 302 and EvBook.objects.filter(title="Emma 2").exists()
    response = views.CreateView.as_view(form_class=TitleForm)(factory.patch("/"))
    assert response["Allow"] == "GET, POST, PUT, HEAD, OPTIONS"


# --- UpdateView --------------------------------------------------------------------------------------


def test_update_view_get_shows_the_objects_values(views, books):
    dune = books["Dune"]
    response = views.UpdateView.as_view(model=EvBook, fields=["title"])(factory.get("/"), pk=dune.pk)
    assert set(response.context_data) == {"form", "object", "evbook", "view"}
    assert response.context_data["object"] == dune and response.context_data["form"].instance == dune
    assert rendered(response) == (
        'Edit Dune: <input type="text" name="title" value="Dune" maxlength="50" required id="id_title">')


def test_update_view_post_changes_the_row_and_redirects(views, books):
    dune = books["Dune"]
    view = views.UpdateView.as_view(model=EvBook, fields=["title"], success_url="/books/{id}/")
    response = view(factory.post("/", {"title": "Dune Messiah"}), pk=dune.pk)
    assert (response.status_code, response["Location"]) == (302, f"/books/{dune.pk}/")
    dune.refresh_from_db()
    assert (dune.title, EvBook.objects.count()) == ("Dune Messiah", 2)


def test_update_view_invalid_post_changes_nothing(views, books):
    dune = books["Dune"]
    response = views.UpdateView.as_view(model=EvBook, fields=["title"], success_url="/")(
        factory.post("/", {"title": ""}), pk=dune.pk)
    assert response.status_code == 200
    assert "This field is required." in rendered(response)
    dune.refresh_from_db()
    assert dune.title == "Dune"


def test_update_view_of_a_missing_object_is_a_404(views, books):
    with pytest.raises(Http404, match="No ev book found matching the query"):
        views.UpdateView.as_view(model=EvBook, fields=["title"])(factory.post("/", {"title": "x"}), pk=999)


# --- DeleteView --------------------------------------------------------------------------------------


def test_delete_view_get_asks_for_confirmation(views, books):
    dune = books["Dune"]
    response = views.DeleteView.as_view(model=EvBook, success_url="/")(factory.get("/"), pk=dune.pk)
    assert response.template_name == [f"{APP}/evbook_confirm_delete.html"]
    assert set(response.context_data) == {"form", "object", "evbook", "view"}
    assert rendered(response) == "Delete Dune?"
    assert EvBook.objects.filter(pk=dune.pk).exists(), "GET deletes nothing"


def test_delete_view_post_deletes_and_redirects_to_success_url_filled_from_the_object(views, books):
    dune = books["Dune"]
    view = views.DeleteView.as_view(model=EvBook, success_url="/deleted/{title}/{id}/")
    response = view(factory.post("/"), pk=dune.pk)
    assert (response.status_code, response["Location"]) == (302, f"/deleted/Dune/{dune.pk}/")
    assert list(EvBook.objects.values_list("title", flat=True)) == ["Emma"]


def test_delete_view_delete_method_deletes_too(views, books):
    response = views.DeleteView.as_view(model=EvBook, success_url="/")(factory.delete("/"), pk=books["Emma"].pk)
    assert response.status_code == 302 and not EvBook.objects.filter(title="Emma").exists()


def test_delete_view_without_success_url_is_improperly_configured_and_deletes_nothing(views, books):
    with pytest.raises(ImproperlyConfigured) as caught:
        views.DeleteView.as_view(model=EvBook)(factory.post("/"), pk=books["Dune"].pk)
    assert str(caught.value) == "No URL to redirect to. Provide a success_url."
    assert EvBook.objects.count() == 2


def test_delete_view_form_must_be_valid_to_delete(views, books):
    dune = books["Dune"]
    view = views.DeleteView.as_view(model=EvBook, form_class=views.ConfirmForm, success_url="/")
    response = view(factory.post("/"), pk=dune.pk)
    assert response.status_code == 200 and EvBook.objects.count() == 2
    assert rendered(response) == (
        'Delete Dune?<ul class="errorlist" id="id_confirm_error"><li>This field is required.</li></ul>')
    assert view(factory.post("/", {"confirm": "on"}), pk=dune.pk).status_code == 302
    assert EvBook.objects.count() == 1


def test_delete_view_405_and_404(views, books):
    view = views.DeleteView.as_view(model=EvBook, success_url="/")
    response = view(factory.put("/"), pk=books["Dune"].pk)
    assert (response.status_code, response["Allow"]) == (405, "GET, POST, DELETE, HEAD, OPTIONS")
    with pytest.raises(Http404):
        view(factory.post("/"), pk=999)


def test_base_delete_view_uses_a_plain_form_and_deletion_mixin_alone(views, books):
    assert views.BaseDeleteView.form_class is views.forms.Form

    class Deleter(views.DeletionMixin, SingleObjectMixin, generic.View):
        model = EvBook
        success_url = "/after/{pages}/"

    response = Deleter.as_view()(factory.post("/"), pk=books["Emma"].pk)
    assert response["Location"] == "/after/100/" and EvBook.objects.count() == 1


# --- through the URLconf and the test client ---------------------------------------------------------


def test_create_update_delete_through_urls(views, books, use_settings, throwaway_module):
    urlpatterns = [
        path("new/", views.CreateView.as_view(model=EvBook, fields=["title"], success_url="/{id}/"), name="new"),
        path("<int:pk>/edit/", views.UpdateView.as_view(model=EvBook, fields=["title"], success_url="/{id}/")),
        path("<int:pk>/delete/", views.DeleteView.as_view(model=EvBook, success_url=reverse_lazy("new"))),
    ]
    use_settings(ROOT_URLCONF=throwaway_module(urlpatterns=urlpatterns))
    client = Client()
    response = client.post("/new/", {"title": "Beloved"})
    pk = EvBook.objects.get(title="Beloved").pk
    assert response.status_code == 302 and response["Location"] == f"/{pk}/"
    assert client.post(f"/{pk}/edit/", {"title": "Jazz"})["Location"] == f"/{pk}/"
    assert "Edit Jazz" in client.get(f"/{pk}/edit/").content.decode()
    assert client.post(f"/{pk}/delete/")["Location"] == "/new/"
    assert client.get(f"/{pk}/delete/").status_code == 404
