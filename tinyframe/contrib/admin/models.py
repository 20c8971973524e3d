"""The admin's history: one ``LogEntry`` row for every add, change and delete made through it.

How it works: the admin's views call ``ModelAdmin.log_addition`` /
``log_change`` / ``log_deletions``, which call
``LogEntry.objects.log_actions(user_id, objects, flag, change_message)``.
Each row names who acted, when, on what (the object's app label, model name
and primary key, and its ``str()`` at that moment, kept because the object
may be gone) and what happened: ``ADDITION``, ``CHANGE`` or ``DELETION``,
with a change message. The message is stored as JSON, a list of what changed
(``[{"changed": {"fields": ["title"]}}]``), and turned into a sentence only
when shown (``get_change_message``: "Changed title."), so the stored history
does not depend on the language or wording of the day.

The index's "Recent actions" and each object's history page read these rows.

How Django does it: Django names the object's model by a ``ContentType``
foreign key. tinyframe has no contenttypes app; as chapter 10's
``Permission`` does, the row keeps the app label and the model name.
"""

import json

from tinyframe.conf import settings
from tinyframe.db import models
from tinyframe.utils import timezone
from tinyframe.utils.text import get_text_list

__all__ = ["ACTION_FLAG_CHOICES", "ADDITION", "CHANGE", "DELETION", "LogEntry", "LogEntryManager"]

ADDITION = 1
CHANGE = 2
DELETION = 3

ACTION_FLAG_CHOICES = [
    (ADDITION, "Addition"),
    (CHANGE, "Change"),
    (DELETION, "Deletion"),
]


class LogEntryManager(models.Manager):
    """``LogEntry.objects``: writes the rows of one admin action."""

    use_in_migrations = True

    def log_actions(self, user_id, queryset, action_flag: int, change_message="", *, single_object: bool = False):
        """Record ``action_flag`` by user ``user_id`` on every object of ``queryset`` (any iterable of instances).

        ``change_message`` is a string or a list (stored as JSON). Returns the
        list of new entries; with ``single_object=True`` and one object, the
        entry itself (what ``log_addition`` and ``log_change`` want).
        """
        if isinstance(change_message, list):
            change_message = json.dumps(change_message)
        entries = [
            self.model(
                user_id=user_id,
                app_label=obj._meta.app_label,
                model=obj._meta.model_name,
                object_id=str(obj.pk),
                object_repr=str(obj)[:200],
                action_flag=action_flag,
                change_message=change_message,
            )
            for obj in queryset
        ]
        if len(entries) == 1:
            entries[0].save(using=self._db)
            return entries[0] if single_object else entries
        return self.bulk_create(entries)


class LogEntry(models.Model):
    """One action taken in the admin: who, when, on which object, and what changed."""

    action_time = models.DateTimeField("action time", default=timezone.now, editable=False)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, models.CASCADE, verbose_name="user")
    app_label = models.CharField("app label", max_length=100, blank=True)
    model = models.CharField("model", max_length=100, blank=True)
    object_id = models.TextField("object id", blank=True, null=True)
    object_repr = models.CharField("object repr", max_length=200)
    action_flag = models.PositiveSmallIntegerField("action flag", choices=ACTION_FLAG_CHOICES)
    # A plain string, or a JSON list of what changed (see get_change_message).
    change_message = models.TextField("change message", blank=True)

    objects = LogEntryManager()

    class Meta:
        verbose_name = "log entry"
        verbose_name_plural = "log entries"
        db_table = "tinyframe_admin_log"
        ordering = ["-action_time"]

    def __repr__(self):
        return str(self.action_time)

    def __str__(self):
        if self.is_addition():
            return f"Added “{self.object_repr}”."
        if self.is_change():
            return f"Changed “{self.object_repr}” — {self.get_change_message()}"
        if self.is_deletion():
            return f"Deleted “{self.object_repr}.”"
        return "LogEntry Object"

    def is_addition(self) -> bool:
        """Whether this entry records an object's creation."""
        return self.action_flag == ADDITION

    def is_change(self) -> bool:
        """Whether this entry records a change to an object."""
        return self.action_flag == CHANGE

    def is_deletion(self) -> bool:
        """Whether this entry records an object's deletion."""
        return self.action_flag == DELETION

    def get_change_message(self) -> str:
        """The change message as a sentence: the stored JSON list read out, or the stored text as it is.

        >>> LogEntry(change_message='[{"changed": {"fields": ["title", "body"]}}]').get_change_message()
        'Changed title and body.'
        >>> LogEntry(change_message='[{"added": {"name": "comment", "object": "Nice"}}]').get_change_message()
        'Added comment “Nice”.'
        >>> LogEntry(change_message="[]").get_change_message()
        'No fields changed.'
        >>> LogEntry(change_message="Edited by hand.").get_change_message()
        'Edited by hand.'
        """
        if not self.change_message or self.change_message[0] != "[":
            return self.change_message
        try:
            parts = json.loads(self.change_message)
        except json.JSONDecodeError:
            return self.change_message
        return " ".join(sentence for part in parts if (sentence := _describe(part))) or "No fields changed."

    def model_verbose_name(self) -> str:
        """The object's model as the index's "Recent actions" names it (``post``); "" once the model is gone.

        Django reads it from the entry's content type (``entry.content_type.name``).
        """
        try:
            return str(self.model_class()._meta.verbose_name)
        except LookupError:
            return ""

    def model_class(self):
        """The model of the object this entry is about; LookupError when no such model is defined any more."""
        from tinyframe.apps import apps

        # The registry's every model, not only those of installed apps: a
        # site may register a model of a module outside INSTALLED_APPS.
        return apps.get_registered_model(self.app_label, self.model)

    def get_edited_object(self):
        """The object this entry is about, read again from the database (``DoesNotExist`` once deleted)."""
        return self.model_class()._default_manager.get(pk=self.object_id)

    def get_admin_url(self) -> str | None:
        """The admin's change page of the object (``/admin/blog/post/3/change/``), or None when there is none."""
        from tinyframe.urls import NoReverseMatch, reverse

        if not (self.app_label and self.model and self.object_id):
            return None
        from tinyframe.contrib.admin.utils import quote

        try:
            return reverse(f"admin:{self.app_label}_{self.model}_change", args=(quote(self.object_id),))
        except NoReverseMatch:
            return None


def _describe(part: dict) -> str:
    """One item of a JSON change message as a sentence; an unknown item as "".

    >>> _describe({"changed": {"name": "comment", "object": "Nice", "fields": ["body"]}})
    'Changed body for comment “Nice”.'
    >>> _describe({"deleted": {"name": "comment", "object": "Spam"}})
    'Deleted comment “Spam”.'
    """
    if "added" in part:
        added = part["added"]
        return f"Added {added['name']} “{added['object']}”." if added else "Added."
    if "changed" in part:
        changed = part["changed"]
        fields = get_text_list(changed["fields"], "and")
        if "name" in changed:
            return f"Changed {fields} for {changed['name']} “{changed['object']}”."
        return f"Changed {fields}."
    if "deleted" in part:
        deleted = part["deleted"]
        return f"Deleted {deleted['name']} “{deleted['object']}”."
    return ""
