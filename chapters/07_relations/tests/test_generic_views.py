"""ListView and DetailView: which objects, which template, what context, which page, and Django's 404s."""

import pytest

from tinyframe.core.exceptions import ImproperlyConfigured
from tinyframe.db import connection, models
from tinyframe.http import Http404
from tinyframe.test import Client, RequestFactory
from tinyframe.test.utils import CaptureQueriesContext
from tinyframe.urls import path
from tinyframe.views.generic import DetailView, ListView
from tinyframe.views.generic.detail import BaseDetailView
from tinyframe.views.generic.list import BaseListView

APP = "generic_views_tests"


class GvBook(models.Model):
    title = models.CharField(max_length=50)
    slug = models.SlugField(unique=True)
    code = models.CharField(max_length=10, default="")
    published = models.BooleanField(default=True)
    layout = models.CharField(max_length=50, default="")

    class Meta:
        app_label = APP
        ordering = ["title"]

    def __str__(self):
        return self.title


LIST_TEMPLATE = f"{APP}/gvbook_list.html"
DETAIL_TEMPLATE = f"{APP}/gvbook_detail.html"
TEMPLATES = {
    LIST_TEMPLATE: "{% for book in object_list %}{{ book }};{% endfor %}",
    DETAIL_TEMPLATE: "{{ object.title }}/{{ gvbook.slug }}",
    "custom.html": "custom: {% for book in object_list %}{{ book }};{% endfor %}",
    "wide.html": "wide {{ object }}",
}
TITLES = ["Dune", "Emma", "Ubik", "Beloved", "Ulysses"]  # in title order: Beloved, Dune, Emma, Ubik, Ulysses


@pytest.fixture
def books(tables, use_settings):
    """Five books, templates for their views, and no URLconf yet."""
    tables(GvBook)
    use_settings(TEMPLATES=[{
        "BACKEND": "tinyframe.template.backends.django.DjangoTemplates",
        "OPTIONS": {"loaders": [("tinyframe.template.loaders.locmem.Loader", TEMPLATES)]},
    }])
    return {title: GvBook.objects.create(title=title, slug=title.lower()) for title in TITLES}


@pytest.fixture
def client_for(use_settings, throwaway_module):
    """``client_for(*patterns) -> Client`` over a URLconf of those patterns."""

    def make(*patterns) -> Client:
        use_settings(ROOT_URLCONF=throwaway_module(urlpatterns=list(patterns)))
        return Client()

    return make


def get(view, path_: str = "/", **kwargs):
    """Call a view function directly, as the handler would, with a GET for ``path_`` (query string allowed)."""
    return view(RequestFactory().get(path_), **kwargs)


def not_found_message(view, path_: str = "/", **kwargs) -> str:
    with pytest.raises(Http404) as caught:
        get(view, path_, **kwargs)
    return str(caught.value)


# --- ListView --------------------------------------------------------------------------------------


def test_list_view_of_a_model(books, client_for):
    client = client_for(path("books/", ListView.as_view(model=GvBook)))
    response = client.get("/books/")
    assert response.status_code == 200
    assert response.content == b"Beloved;Dune;Emma;Ubik;Ulysses;", "all books, in Meta.ordering"
    assert [template.name for template in response.templates] == [LIST_TEMPLATE]
    context = response.context
    assert list(context["gvbook_list"]) == list(context["object_list"]) == list(GvBook.objects.all())
    assert (context["paginator"], context["page_obj"], context["is_paginated"]) == (None, None, False)
    assert isinstance(context["view"], ListView)


def test_list_view_template_names():
    """template_name first, then <app_label>/<model_name>_list.html (with template_name_suffix)."""
    view = ListView(template_name="custom.html")
    view.object_list = GvBook.objects.all()
    assert view.get_template_names() == ["custom.html", LIST_TEMPLATE]
    view = ListView(template_name_suffix="_index")
    view.object_list = GvBook.objects.all()
    assert view.get_template_names() == [f"{APP}/gvbook_index.html"]


def test_list_view_uses_template_name_and_context_object_name(books):
    view = ListView.as_view(model=GvBook, template_name="custom.html", context_object_name="books")
    response = get(view)
    response.render()
    assert response.content == b"custom: Beloved;Dune;Emma;Ubik;Ulysses;"
    assert "books" in response.context_data and "gvbook_list" not in response.context_data


def test_list_view_queryset_is_fresh_for_every_request(books):
    """A QuerySet given as queryset is copied (.all()) per request: no rows cached from an earlier one."""
    view = ListView.as_view(queryset=GvBook.objects.filter(published=True))
    assert get(view).render().content == b"Beloved;Dune;Emma;Ubik;Ulysses;"
    GvBook.objects.create(title="Anna", slug="anna")
    GvBook.objects.filter(title="Emma").update(published=False)
    assert get(view).render().content == b"Anna;Beloved;Dune;Ubik;Ulysses;"


def test_list_view_ordering(books):
    assert get(ListView.as_view(model=GvBook, ordering="-title")).render().content == (
        b"Ulysses;Ubik;Emma;Dune;Beloved;"
    )
    GvBook.objects.filter(title__in=["Dune", "Ubik"]).update(code="a")
    view = ListView.as_view(model=GvBook, ordering=("-code", "-title"))
    assert get(view).render().content == b"Ubik;Dune;Ulysses;Emma;Beloved;"


def test_list_view_of_a_plain_list_needs_a_template_name(books):
    """Any iterable will do as queryset; without a model there is no <model>_list name and no template guess."""
    response = get(ListView.as_view(queryset=["x", "y"], template_name="custom.html"))
    assert response.render().content == b"custom: x;y;"
    assert "object_list" in response.context_data and len(response.context_data) == 5
    with pytest.raises(ImproperlyConfigured) as caught:
        get(ListView.as_view(queryset=["x", "y"]))
    assert str(caught.value) == (
        "ListView requires either a 'template_name' attribute or a get_queryset() method that returns a QuerySet."
    )


def test_list_view_without_model_or_queryset_is_improperly_configured():
    class BookList(ListView):
        pass

    with pytest.raises(ImproperlyConfigured) as caught:
        get(BookList.as_view())
    assert str(caught.value) == (
        "BookList is missing a QuerySet. Define BookList.model, BookList.queryset, or override "
        "BookList.get_queryset()."
    )


def test_an_empty_list_is_a_page_unless_allow_empty_is_false(tables, use_settings):
    tables(GvBook)
    use_settings(TEMPLATES=[{"BACKEND": "tinyframe.template.backends.django.DjangoTemplates",
                             "OPTIONS": {"loaders": [("tinyframe.template.loaders.locmem.Loader", TEMPLATES)]}}])
    assert get(ListView.as_view(model=GvBook)).render().content == b""

    class BookList(ListView):
        model = GvBook
        allow_empty = False

    assert not_found_message(BookList.as_view()) == "Empty list and “BookList.allow_empty” is False."
    with CaptureQueriesContext(connection) as queries:
        message = not_found_message(BookList.as_view(paginate_by=2))
    assert message == "Empty list and “BookList.allow_empty” is False."
    assert len(queries) == 1 and "LIMIT 1" in queries[0]["sql"], "paginated, emptiness is one cheap query"


def test_base_list_view_renders_however_its_subclass_says(books):
    from tinyframe.http import JsonResponse

    class TitlesJson(BaseListView):
        model = GvBook

        def render_to_response(self, context):
            return JsonResponse({"titles": [book.title for book in context["object_list"]]})

    assert get(TitlesJson.as_view()).content == b'{"titles": ["Beloved", "Dune", "Emma", "Ubik", "Ulysses"]}'


# --- pagination ------------------------------------------------------------------------------------


def test_paginated_list_view(books, client_for):
    client = client_for(path("books/", ListView.as_view(model=GvBook, paginate_by=2)))
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/books/")
    assert response.content == b"Beloved;Dune;"
    assert len(queries) == 2, f"a page costs a COUNT and one page of rows; ran {[q['sql'] for q in queries]}"
    context = response.context
    assert (repr(context["page_obj"]), context["is_paginated"], context["paginator"].num_pages) == (
        "<Page 1 of 3>", True, 3
    )
    assert list(context["object_list"]) == list(context["gvbook_list"]) == list(context["page_obj"])
    assert client.get("/books/", {"page": "2"}).content == b"Emma;Ubik;"
    assert client.get("/books/?page=3").content == b"Ulysses;"
    assert client.get("/books/?page=last").content == b"Ulysses;"


def test_paginated_list_view_404s_for_pages_that_are_not_there(books, client_for):
    view = ListView.as_view(model=GvBook, paginate_by=2)
    assert not_found_message(view, "/?page=4") == "Invalid page (4): That page contains no results"
    assert not_found_message(view, "/?page=0") == "Invalid page (0): That page number is less than 1"
    assert not_found_message(view, "/?page=-2") == "Invalid page (-2): That page number is less than 1"
    assert not_found_message(view, "/?page=two") == "Page is not “last”, nor can it be converted to an int."
    assert not_found_message(view, "/?page=1.5") == "Page is not “last”, nor can it be converted to an int."
    client = client_for(path("books/", view))
    assert [client.get(f"/books/?page={page}").status_code for page in ("99", "x", "2")] == [404, 404, 200]


def test_page_number_from_the_url(books, client_for):
    """A URL argument named page_kwarg wins over the query string."""
    view = ListView.as_view(model=GvBook, paginate_by=2, page_kwarg="p")
    client = client_for(path("books/page<int:p>/", view), path("books/", view))
    assert client.get("/books/page2/?p=3").content == b"Emma;Ubik;"
    assert client.get("/books/?p=3").content == b"Ulysses;"
    assert client.get("/books/page9/").status_code == 404


def test_paginate_orphans_joins_a_short_last_page(books):
    response = get(ListView.as_view(model=GvBook, paginate_by=2, paginate_orphans=1), "/?page=last")
    assert response.render().content == b"Emma;Ubik;Ulysses;"
    assert repr(response.context_data["page_obj"]) == "<Page 2 of 2>"


def test_one_page_is_paginated_but_not_is_paginated(books):
    context = get(ListView.as_view(model=GvBook, paginate_by=10)).context_data
    assert (repr(context["page_obj"]), context["is_paginated"]) == ("<Page 1 of 1>", False)


def test_get_paginate_by_can_come_from_the_request(books):
    class BookList(ListView):
        model = GvBook

        def get_paginate_by(self, queryset):
            return self.request.GET.get("size")

    assert get(BookList.as_view(), "/?size=4&page=2").render().content == b"Ulysses;"
    assert get(BookList.as_view(), "/").context_data["paginator"] is None


# --- DetailView ------------------------------------------------------------------------------------


def test_detail_view_by_pk(books, client_for):
    client = client_for(path("books/<int:pk>/", DetailView.as_view(model=GvBook)))
    dune = books["Dune"]
    response = client.get(f"/books/{dune.pk}/")
    assert (response.status_code, response.content) == (200, b"Dune/dune")
    assert [template.name for template in response.templates] == [DETAIL_TEMPLATE]
    assert response.context["object"] == response.context["gvbook"] == dune
    assert client.get("/books/999/").status_code == 404


def test_detail_view_by_slug(books, client_for):
    client = client_for(
        path("books/<slug:slug>/", DetailView.as_view(model=GvBook)),
        path("by-code/<str:book_code>/", DetailView.as_view(model=GvBook, slug_field="code",
                                                            slug_url_kwarg="book_code")),
    )
    assert client.get("/books/emma/").content == b"Emma/emma"
    GvBook.objects.filter(title="Ubik").update(code="PKD")
    assert client.get("/by-code/PKD/").content == b"Ubik/ubik"
    assert client.get("/by-code/XXX/").status_code == 404


def test_detail_view_404_names_the_model(books):
    view = DetailView.as_view(model=GvBook)
    assert not_found_message(view, pk=999) == "No gv book found matching the query"
    assert not_found_message(view, slug="nope") == "No gv book found matching the query"


def test_detail_view_pk_url_kwarg_and_query_pk_and_slug(books):
    dune = books["Dune"]
    assert get(DetailView.as_view(model=GvBook, pk_url_kwarg="book_id"), book_id=dune.pk).context_data["object"] == dune
    # pk alone decides unless query_pk_and_slug: a stale slug in the URL is ignored...
    assert get(DetailView.as_view(model=GvBook), pk=dune.pk, slug="old-title").context_data["object"] == dune
    # ...or must match too.
    strict = DetailView.as_view(model=GvBook, query_pk_and_slug=True)
    assert get(strict, pk=dune.pk, slug="dune").context_data["object"] == dune
    assert not_found_message(strict, pk=dune.pk, slug="old-title") == "No gv book found matching the query"


def test_detail_view_queryset_limits_what_is_found(books):
    GvBook.objects.filter(title="Emma").update(published=False)
    view = DetailView.as_view(queryset=GvBook.objects.filter(published=True))
    assert get(view, slug="dune").context_data["gvbook"] == books["Dune"]
    assert not_found_message(view, slug="emma") == "No gv book found matching the query"


def test_detail_view_needs_a_pk_or_a_slug(books):
    class BookDetail(DetailView):
        model = GvBook

    with pytest.raises(AttributeError) as caught:
        get(BookDetail.as_view(), id=1)
    assert str(caught.value) == (
        "Generic detail view BookDetail must be called with either an object pk or a slug in the URLconf."
    )


def test_detail_view_without_model_or_queryset_is_improperly_configured():
    with pytest.raises(ImproperlyConfigured) as caught:
        get(DetailView.as_view(), pk=1)
    assert str(caught.value) == (
        "DetailView is missing a QuerySet. Define DetailView.model, DetailView.queryset, or override "
        "DetailView.get_queryset()."
    )


def test_detail_view_template_names_and_context_object_name(books):
    ubik = books["Ubik"]
    response = get(DetailView.as_view(model=GvBook, template_name="wide.html", context_object_name="book"), pk=ubik.pk)
    assert response.render().content == b"wide Ubik"
    assert response.context_data["book"] == response.context_data["object"] == ubik
    assert "gvbook" not in response.context_data

    GvBook.objects.filter(pk=ubik.pk).update(layout="wide.html")
    view = DetailView(template_name_field="layout", template_name_suffix="_page", model=GvBook)
    view.object = GvBook.objects.get(pk=ubik.pk)
    assert view.get_template_names() == ["wide.html", f"{APP}/gvbook_page.html"]
    view.object = None  # no object yet: the model still gives the guess
    assert view.get_template_names() == [f"{APP}/gvbook_page.html"]


def test_detail_view_of_something_that_is_not_a_model_needs_a_template_name():
    class Greeting(DetailView):
        def get_object(self, queryset=None):
            return {"text": "hello"}

    with pytest.raises(ImproperlyConfigured) as caught:
        get(Greeting.as_view())
    assert str(caught.value) == (
        "SingleObjectTemplateResponseMixin requires a definition of 'template_name', 'template_name_field', "
        "or 'model'; or an implementation of 'get_template_names()'."
    )
    context = get(Greeting.as_view(template_name="wide.html")).context_data
    assert context["object"] == {"text": "hello"} and list(context) == ["object", "view"]


def test_base_detail_view_renders_however_its_subclass_says(books):
    from tinyframe.http import HttpResponse

    class Title(BaseDetailView):
        model = GvBook

        def render_to_response(self, context):
            return HttpResponse(context["gvbook"].title.upper())

    assert get(Title.as_view(), slug="ulysses").content == b"ULYSSES"
