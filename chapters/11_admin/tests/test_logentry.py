"""The admin's history: LogEntry rows, their change messages and ``{% get_admin_log %}``.

Every expected sentence is what Django 5.2's ``LogEntry`` gives for the same
stored values (``get_change_message``, ``__str__``).
"""

import json

import pytest

from tinyframe.db import models


class LogBook(models.Model):
    title = models.CharField(max_length=300)

    class Meta:
        app_label = "admin_log_tests"
        verbose_name = "book"

    def __str__(self):
        return self.title


@pytest.fixture
def books(admin_tables, tables):
    tables(LogBook)
    return [LogBook.objects.create(title=title) for title in ("Dune", "Emma", "Ulysses")]


def entry(**fields):
    from tinyframe.contrib.admin.models import LogEntry

    return LogEntry(**fields)


CHANGE_MESSAGES = [
    # (stored change_message, get_change_message())
    ('[{"changed": {"fields": ["title"]}}]', "Changed title."),
    ('[{"changed": {"fields": ["title", "body", "slug"]}}]', "Changed title, body and slug."),
    ('[{"added": {}}]', "Added."),
    ('[{"added": {"name": "comment", "object": "Nice"}}]', "Added comment “Nice”."),
    ('[{"changed": {"name": "comment", "object": "Old", "fields": ["body"]}}]', "Changed body for comment “Old”."),
    ('[{"deleted": {"name": "comment", "object": "Spam"}}]', "Deleted comment “Spam”."),
    (
        '[{"changed": {"fields": ["title"]}}, {"added": {"name": "comment", "object": "A"}},'
        ' {"deleted": {"name": "comment", "object": "B"}}]',
        "Changed title. Added comment “A”. Deleted comment “B”.",
    ),
    ("[]", "No fields changed."),
    ("[not json", "[not json"),
    ("Changed by a script.", "Changed by a script."),
    ("", ""),
]


@pytest.mark.parametrize("stored, expected", CHANGE_MESSAGES)
def test_change_message_reads_out_as_djangos_sentences(stored, expected):
    assert entry(change_message=stored).get_change_message() == expected


@pytest.mark.parametrize("flag, expected", [
    (1, "Added “Dune”."),
    (2, "Changed “Dune” — Changed title."),
    (3, "Deleted “Dune.”"),
    (9, "LogEntry Object"),
])
def test_str_names_the_action_and_the_object(flag, expected):
    log_entry = entry(action_flag=flag, object_repr="Dune", change_message='[{"changed": {"fields": ["title"]}}]')
    assert str(log_entry) == expected


def test_the_flags_answer_what_happened():
    from tinyframe.contrib.admin.models import ADDITION, CHANGE, DELETION

    assert [entry(action_flag=ADDITION).is_addition(), entry(action_flag=ADDITION).is_change()] == [True, False]
    assert entry(action_flag=CHANGE).is_change() and not entry(action_flag=CHANGE).is_deletion()
    assert entry(action_flag=DELETION).is_deletion() and not entry(action_flag=DELETION).is_addition()


def test_log_actions_one_object_saves_one_row(superuser, books):
    from tinyframe.contrib.admin.models import ADDITION, LogEntry

    logged = LogEntry.objects.log_actions(superuser.pk, [books[0]], ADDITION, single_object=True)
    assert isinstance(logged, LogEntry)
    row = LogEntry.objects.get()
    assert (row.user_id, row.app_label, row.model, row.object_id, row.object_repr, row.action_flag) == (
        superuser.pk, "admin_log_tests", "logbook", str(books[0].pk), "Dune", ADDITION)
    assert row.change_message == ""
    assert row.action_time is not None


def test_log_actions_without_single_object_returns_a_list(superuser, books):
    from tinyframe.contrib.admin.models import CHANGE, LogEntry

    logged = LogEntry.objects.log_actions(superuser.pk, [books[1]], CHANGE, [{"changed": {"fields": ["title"]}}])
    assert isinstance(logged, list) and len(logged) == 1
    row = LogEntry.objects.get()
    assert json.loads(row.change_message) == [{"changed": {"fields": ["title"]}}]
    assert str(row) == "Changed “Emma” — Changed title."


def test_log_actions_logs_every_object_of_a_queryset(superuser, books):
    from tinyframe.contrib.admin.models import DELETION, LogEntry

    logged = LogEntry.objects.log_actions(superuser.pk, LogBook.objects.order_by("title"), DELETION)
    assert len(logged) == 3
    assert sorted(LogEntry.objects.values_list("object_repr", flat=True)) == ["Dune", "Emma", "Ulysses"]
    assert {row.action_flag for row in LogEntry.objects.all()} == {DELETION}


def test_object_repr_is_cut_to_200_characters(superuser, admin_tables, tables):
    from tinyframe.contrib.admin.models import ADDITION, LogEntry

    tables(LogBook)
    book = LogBook.objects.create(title="x" * 250)
    LogEntry.objects.log_actions(superuser.pk, [book], ADDITION)
    assert LogEntry.objects.get().object_repr == "x" * 200


def test_entries_come_newest_first(superuser, books):
    from tinyframe.contrib.admin.models import ADDITION, CHANGE, LogEntry

    LogEntry.objects.log_actions(superuser.pk, [books[0]], ADDITION)
    LogEntry.objects.log_actions(superuser.pk, [books[0]], CHANGE)
    assert [row.action_flag for row in LogEntry.objects.all()] == [CHANGE, ADDITION]


def test_get_edited_object_reads_the_object_again(superuser, books):
    from tinyframe.contrib.admin.models import ADDITION, LogEntry

    row = LogEntry.objects.log_actions(superuser.pk, [books[2]], ADDITION, single_object=True)
    assert row.get_edited_object() == books[2]
    assert row.model_verbose_name() == "book"
    books[2].delete()
    with pytest.raises(LogBook.DoesNotExist):
        row.get_edited_object()


def test_an_entry_of_a_model_that_is_gone_has_no_name_and_no_url(admin_site):
    admin_site(LogBook)
    gone = entry(app_label="no_such_app", model="thing", object_id="1", object_repr="x", action_flag=1)
    assert gone.model_verbose_name() == ""
    assert gone.get_admin_url() is None
    assert entry(app_label="", model="", object_id="1").get_admin_url() is None


def test_get_admin_url_is_the_change_page_with_the_key_quoted(admin_site, superuser, books):
    from tinyframe.contrib.admin.models import ADDITION, LogEntry

    admin_site(LogBook)
    row = LogEntry.objects.log_actions(superuser.pk, [books[0]], ADDITION, single_object=True)
    assert row.get_admin_url() == f"/admin/admin_log_tests/logbook/{books[0].pk}/change/"
    odd_key = entry(app_label="admin_log_tests", model="logbook", object_id="a/b")
    assert odd_key.get_admin_url() == "/admin/admin_log_tests/logbook/a_2Fb/change/"


def test_deleting_the_user_deletes_their_entries(superuser, books):
    from tinyframe.contrib.admin.models import ADDITION, LogEntry

    LogEntry.objects.log_actions(superuser.pk, books, ADDITION)
    superuser.delete()
    assert LogEntry.objects.count() == 0


def render(source: str, **context) -> str:
    from tinyframe.template import Context, Engine

    engine = Engine(libraries={"log": "tinyframe.contrib.admin.templatetags.log"})
    return engine.from_string("{% load log %}" + source).render(Context(context))


def test_get_admin_log_gives_one_users_newest_entries(superuser, staff_user, books):
    from tinyframe.contrib.admin.models import ADDITION, LogEntry

    other = staff_user("other")
    LogEntry.objects.log_actions(superuser.pk, books, ADDITION)
    LogEntry.objects.log_actions(other.pk, [books[0]], ADDITION)
    mine = render("{% get_admin_log 2 as log for_user user %}{% for e in log %}[{{ e.object_repr }}]{% endfor %}",
                  user=superuser)
    assert mine.count("[") == 2
    everyone = render("{% get_admin_log 10 as log %}{{ log|length }}")
    assert everyone == "4"
    by_id = render(f"{{% get_admin_log 10 as log for_user {other.pk} %}}{{% for e in log %}}{{{{ e.object_repr }}}}"
                   "{% endfor %}")
    assert by_id == "Dune"


def test_get_admin_log_reads_the_pages_log_entries_when_given(superuser, books):
    from tinyframe.contrib.admin.models import ADDITION, LogEntry

    LogEntry.objects.log_actions(superuser.pk, books, ADDITION)
    narrowed = LogEntry.objects.filter(object_repr="Emma")
    assert render("{% get_admin_log 10 as log %}{% for e in log %}{{ e.object_repr }}{% endfor %}",
                  log_entries=narrowed) == "Emma"


@pytest.mark.parametrize("source, message", [
    ("{% get_admin_log %}", "require the format"),
    ("{% get_admin_log ten as log %}", "must be an integer"),
    ("{% get_admin_log 10 into log %}", "require the format"),
    ("{% get_admin_log 10 as log for user %}", "must be 'for_user'"),
])
def test_get_admin_log_says_what_was_wrong(source, message):
    from tinyframe.template import TemplateSyntaxError

    with pytest.raises(TemplateSyntaxError, match=message):
        render(source)
