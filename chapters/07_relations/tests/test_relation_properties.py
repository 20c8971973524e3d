"""A property: every filter across relations finds the rows the same condition finds in plain Python.

For random authors, books (an author, maybe an editor, some tags) and tags,
each lookup — forward, reverse, many-to-many, two levels deep, exclude, OR,
one filter() call against two — is run by the database and evaluated over the
loaded objects; the two sets of primary keys must agree.
"""

from hypothesis import given, settings
from hypothesis import strategies as st

from tinyframe.db import connection, models
from tinyframe.db.models import Q


class Author(models.Model):
    name = models.CharField(max_length=5)

    class Meta:
        app_label = "rp"


class Tag(models.Model):
    name = models.CharField(max_length=5)

    class Meta:
        app_label = "rp"


class Book(models.Model):
    title = models.CharField(max_length=5)
    author = models.ForeignKey(Author, models.CASCADE)
    editor = models.ForeignKey(Author, models.SET_NULL, null=True, related_name="edited")
    tags = models.ManyToManyField(Tag)

    class Meta:
        app_label = "rp"


NAMES = ["a", "b", "c"]
name = st.sampled_from(NAMES)
library = st.fixed_dictionaries(
    {
        "authors": st.lists(name, min_size=1, max_size=4),
        "tags": st.lists(name, max_size=3),
        "books": st.lists(
            st.tuples(name, st.integers(0, 3), st.one_of(st.none(), st.integers(0, 3)), st.sets(st.integers(0, 2))),
            max_size=6,
        ),
    }
)


def fill(data: dict) -> None:
    """Replace the tables' rows by ``data``'s (plain DELETEs: a fresh start for each example)."""
    with connection.cursor() as cursor:
        for table in ("rp_book_tags", "rp_book", "rp_tag", "rp_author"):
            cursor.execute(f"DELETE FROM {table}")
    authors = [Author.objects.create(name=author) for author in data["authors"]]
    tags = [Tag.objects.create(name=tag) for tag in data["tags"]]
    for title, author, editor, tag_numbers in data["books"]:
        book = Book.objects.create(
            title=title,
            author=authors[author % len(authors)],
            editor=None if editor is None else authors[editor % len(authors)],
        )
        book.tags.add(*[tags[number] for number in tag_numbers if number < len(tags)])


def loaded():
    """Every row as plain Python: each book's author and editor names and tag names, each author's books."""
    authors = {author.pk: author.name for author in Author.objects.all()}
    tags = {tag.pk: tag.name for tag in Tag.objects.all()}
    pairs = list(Book.tags.through.objects.values_list("book_id", "tag_id"))
    books = {}
    for book in Book.objects.all():
        books[book.pk] = {
            "title": book.title,
            "author": authors[book.author_id],
            "author_id": book.author_id,
            "editor": authors.get(book.editor_id),
            "editor_id": book.editor_id,
            "tags": {tags[tag] for book_id, tag in pairs if book_id == book.pk},
            "tag_ids": {tag for book_id, tag in pairs if book_id == book.pk},
        }
    written = {pk: [b for b in books.values() if b["author_id"] == pk] for pk in authors}
    edited = {pk: [b for b in books.values() if b["editor_id"] == pk] for pk in authors}
    tagged = {pk: [b for b in books.values() if pk in b["tag_ids"]] for pk in tags}
    return authors, tags, books, written, edited, tagged


def check_every_lookup(x: str, y: str) -> None:
    authors, tags, books, written, edited, tagged = loaded()

    def same(queryset, expected_pks):
        found = set(queryset.values_list("pk", flat=True))
        assert found == set(expected_pks), f"{queryset.query}\nfound {sorted(found)}, expected {sorted(expected_pks)}"

    B, A, T = Book.objects, Author.objects, Tag.objects
    same(B.filter(author__name=x), [pk for pk, b in books.items() if b["author"] == x])
    same(B.filter(editor__name=x), [pk for pk, b in books.items() if b["editor"] == x])
    same(B.filter(editor__isnull=True), [pk for pk, b in books.items() if b["editor"] is None])
    same(B.exclude(editor__name=x), [pk for pk, b in books.items() if b["editor"] != x])
    either = [pk for pk, b in books.items() if b["editor"] == x or b["title"] == y]
    same(B.filter(Q(editor__name=x) | Q(title=y)), either)
    either = [pk for pk, b in books.items() if x in b["tags"] or y == b["editor"]]
    same(B.filter(tags__name=x) | B.filter(editor__name=y), either)
    same(B.filter(editor__name=y) | B.filter(tags__name=x), either)
    same(
        B.filter(tags__name=x) & B.exclude(tags__name=y),
        [pk for pk, b in books.items() if x in b["tags"] and y not in b["tags"]],
    )
    same(B.exclude(~Q(tags__name=x)), [pk for pk, b in books.items() if x in b["tags"]])
    same(B.filter(Q(tags__name=x) & ~Q(tags__name=y)), [pk for pk, b in books.items() if x != y and x in b["tags"]])
    same(A.filter(book__title=x), [pk for pk in authors if any(b["title"] == x for b in written[pk])])
    same(A.filter(book__isnull=True), [pk for pk in authors if not written[pk]])
    same(A.exclude(book__title=x), [pk for pk in authors if not any(b["title"] == x for b in written[pk])])
    same(A.exclude(book__isnull=True), [pk for pk in authors if written[pk]])
    same(A.exclude(edited__title=x), [pk for pk in authors if not any(b["title"] == x for b in edited[pk])])
    same(B.exclude(tags__isnull=True), [pk for pk, b in books.items() if b["tags"]])
    same(A.filter(edited__author__name=y), [pk for pk in authors if any(b["author"] == y for b in edited[pk])])
    same(B.filter(tags__name=x), [pk for pk, b in books.items() if x in b["tags"]])
    same(B.exclude(tags__name=x), [pk for pk, b in books.items() if x not in b["tags"]])
    same(B.filter(tags__isnull=True), [pk for pk, b in books.items() if not b["tags"]])
    same(T.filter(book__author__name=x), [pk for pk in tags if any(b["author"] == x for b in tagged[pk])])
    same(A.filter(book__tags__name=x), [pk for pk in authors if any(x in b["tags"] for b in written[pk])])
    same(A.exclude(book__tags__name=x), [pk for pk in authors if not any(x in b["tags"] for b in written[pk])])
    same(
        A.filter(book__title=x, book__editor__name=y),
        [pk for pk in authors if any(b["title"] == x and b["editor"] == y for b in written[pk])],
    )
    same(
        A.filter(book__title=x).filter(book__editor__name=y),
        [pk for pk, own in written.items() if any(b["title"] == x for b in own) and any(b["editor"] == y for b in own)],
    )


def test_lookups_across_relations_agree_with_python(tables):
    tables(Author, Tag, Book)

    @settings(max_examples=25, deadline=None)
    @given(library, name, name)
    def lookups_agree(data, x, y):
        fill(data)
        check_every_lookup(x, y)

    lookups_agree()
