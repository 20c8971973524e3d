"""ModelAdmin.get_search_results (exercise 11.2): the changelist's search box as a WHERE clause.

Each term must match (AND), in any of the search fields (OR); ``^`` is a
prefix match, ``=`` an exact one (both case-insensitive), no prefix a
substring; quoted phrases stay one term. Results checked against Django 5.2's
admin on the same data.
"""

import pytest

from tinyframe.db import models


class SearchAuthor(models.Model):
    name = models.CharField(max_length=100)

    class Meta:
        app_label = "search_tests"

    def __str__(self):
        return self.name


class SearchTag(models.Model):
    name = models.CharField(max_length=50)

    class Meta:
        app_label = "search_tests"


class SearchBook(models.Model):
    title = models.CharField(max_length=100)
    code = models.CharField(max_length=20, blank=True)
    author = models.ForeignKey(SearchAuthor, models.CASCADE)
    tags = models.ManyToManyField(SearchTag, blank=True)

    class Meta:
        app_label = "search_tests"
        ordering = ["title"]

    def __str__(self):
        return self.title


@pytest.fixture
def books(tables):
    tables(SearchAuthor, SearchTag, SearchBook)
    le_guin = SearchAuthor.objects.create(name="Ursula Le Guin")
    herbert = SearchAuthor.objects.create(name="Frank Herbert")
    classic, space = SearchTag.objects.create(name="classic"), SearchTag.objects.create(name="space")
    dune = SearchBook.objects.create(title="Dune", code="D-1", author=herbert)
    dune.tags.add(classic, space)
    SearchBook.objects.create(title="Dune Messiah", code="D-2", author=herbert)
    earthsea = SearchBook.objects.create(title="A Wizard of Earthsea", code="E-1", author=le_guin)
    earthsea.tags.add(classic)
    SearchBook.objects.create(title="The Dispossessed", code="X", author=le_guin)


def search(search_fields, term, model=SearchBook):
    """The titles ``get_search_results`` keeps, and its may_have_duplicates flag."""
    from tinyframe.contrib.admin import AdminSite, ModelAdmin
    from tinyframe.test import RequestFactory

    model_admin = type("BookAdmin", (ModelAdmin,), {"search_fields": search_fields})(model, AdminSite())
    request = RequestFactory().get("/", {"q": term})
    queryset, may_have_duplicates = model_admin.get_search_results(request, model.objects.all(), term)
    if may_have_duplicates:
        queryset = queryset.distinct()
    return sorted(str(obj) for obj in queryset), may_have_duplicates


@pytest.mark.exercise("11.2")
def test_a_term_is_a_case_insensitive_substring_of_any_field(books):
    assert search(["title"], "dune") == (["Dune", "Dune Messiah"], False)
    assert search(["title", "code"], "e-1") == (["A Wizard of Earthsea"], False)
    assert search(["title", "code"], "x") == (["The Dispossessed"], False)


@pytest.mark.exercise("11.2")
def test_every_term_must_match_somewhere(books):
    assert search(["title"], "dune messiah") == (["Dune Messiah"], False)
    assert search(["title", "author__name"], "dune herbert") == (["Dune", "Dune Messiah"], False)
    assert search(["title"], "dune earthsea") == ([], False)


@pytest.mark.exercise("11.2")
def test_caret_is_a_prefix_match_and_equals_an_exact_one(books):
    assert search(["^title"], "the") == (["The Dispossessed"], False)
    assert search(["^title"], "dispossessed") == ([], False)
    assert search(["=code"], "d-1") == (["Dune"], False)
    assert search(["=code"], "d-") == ([], False)


@pytest.mark.exercise("11.2")
def test_a_quoted_phrase_is_one_term(books):
    assert search(["title"], '"wizard of"') == (["A Wizard of Earthsea"], False)
    assert search(["title"], "'dune m'") == (["Dune Messiah"], False)
    assert search(["title"], '"of wizard"') == ([], False)
    everything = ["A Wizard of Earthsea", "Dune", "Dune Messiah", "The Dispossessed"]
    assert search(["title"], "'") == (everything, False), "a lone quote is an empty phrase: it matches every row"


@pytest.mark.exercise("11.2")
def test_lookups_across_relations_and_duplicates(books):
    assert search(["author__name"], "guin") == (["A Wizard of Earthsea", "The Dispossessed"], False)
    titles, may_have_duplicates = search(["tags__name"], "s")
    assert titles == ["A Wizard of Earthsea", "Dune"]
    assert may_have_duplicates is True, "a many-to-many lookup can match a book twice: the changelist needs distinct()"


@pytest.mark.exercise("11.2")
def test_all_terms_must_match_the_same_related_row(books):
    # As Django 5.2: the terms are ANDed inside one filter(), over one join, so one tag
    # must match every term. Chained filter() calls would join the tags once a term, and
    # "classic space" would find Dune, which has the two tags but none named both.
    assert search(["tags__name"], "classic") == (["A Wizard of Earthsea", "Dune"], True)
    assert search(["tags__name"], "classic space") == ([], True), (
        "every term must match the same tag: AND the terms' Q objects in one queryset.filter(...) call"
    )


@pytest.mark.exercise("11.2")
def test_a_name_ending_in_a_lookup_is_used_as_it_is(books):
    assert search(["author__name__exact"], "\"Frank Herbert\"") == (["Dune", "Dune Messiah"], False)
    assert search(["author__name__exact"], "Frank Herbert") == ([], False), "two terms, each the whole name?"
    assert search(["title__startswith"], "Dune") == (["Dune", "Dune Messiah"], False)


@pytest.mark.exercise("11.2")
def test_no_search_fields_or_no_term_keeps_everything(books):
    assert search([], "dune") == (["A Wizard of Earthsea", "Dune", "Dune Messiah", "The Dispossessed"], False)
    assert search(["title"], "") == (["A Wizard of Earthsea", "Dune", "Dune Messiah", "The Dispossessed"], False)


@pytest.mark.exercise("11.2")
def test_search_terms_are_bound_parameters(books):
    assert search(["title"], "%") == ([], False)
    assert search(["title"], "' OR 1=1 --") == ([], False)


@pytest.mark.exercise("11.2")
def test_full_text_search_is_refused_with_a_clear_message(books):
    from tinyframe.core.exceptions import ImproperlyConfigured

    with pytest.raises(ImproperlyConfigured) as error:
        search(["@title"], "dune")
    assert str(error.value) == (
        "search_fields: '@title' asks for a full-text search ('@'), which SQLite does not have. "
        "Use '^' or '=' or no prefix."
    )


@pytest.mark.exercise("11.2")
def test_the_changelist_searches_with_q(books, admin_site, admin_client):
    from tinyframe.contrib.admin import ModelAdmin

    book_admin = type("BookAdmin", (ModelAdmin,), {"search_fields": ["title", "author__name"]})
    admin_site((SearchBook, book_admin), SearchAuthor)
    response = admin_client.get("/admin/search_tests/searchbook/", {"q": "dune frank"})
    assert response.status_code == 200
    cl = response.context["cl"]
    assert sorted(str(book) for book in cl.result_list) == ["Dune", "Dune Messiah"]
    assert (cl.result_count, cl.full_result_count) == (2, 4)


def test_split_search_terms_keeps_quoted_phrases():
    from tinyframe.contrib.admin.options import split_search_terms

    assert split_search_terms('a "b c" d\'e "f') == ["a", '"b c"', "d'e", '"f']
