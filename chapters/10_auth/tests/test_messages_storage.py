"""Messages: the Message object, levels and tags, and BaseStorage's rules for what is kept for the next page.

Names, values, reprs and tags were checked once against Django 5.2's
``django.contrib.messages``. BaseStorage is tested through ``ListStorage``, a
storage that keeps its messages in a Python list, so only the base class's
own rules are under test here; the real storages have their own modules.
"""

import pytest

from tinyframe.contrib import messages
from tinyframe.contrib.messages import constants
from tinyframe.contrib.messages.storage.base import BaseStorage, Message
from tinyframe.contrib.messages.utils import get_level_tags
from tinyframe.test import RequestFactory
from tinyframe.utils.safestring import SafeData, mark_safe

request = RequestFactory().get("/")


class ListStorage(BaseStorage):
    """Messages kept in ``stored`` (None: never used); ``_store`` keeps at most ``room`` of them."""

    def __init__(self, request, stored=None, room=None):
        super().__init__(request)
        self.stored = stored
        self.room = room
        self.gets = 0

    def _get(self, *args, **kwargs):
        self.gets += 1
        return (None if self.stored is None else list(self.stored)), True

    def _store(self, messages, response, *args, **kwargs):
        room = len(messages) if self.room is None else self.room
        self.stored = list(messages[:room])
        return list(messages[room:])


# --- levels and tags ---------------------------------------------------------------------------------


def test_the_levels_and_their_tags_are_djangos():
    assert (constants.DEBUG, constants.INFO, constants.SUCCESS, constants.WARNING, constants.ERROR) == (
        10, 20, 25, 30, 40)
    assert constants.DEFAULT_TAGS == {10: "debug", 20: "info", 25: "success", 30: "warning", 40: "error"}
    assert constants.DEFAULT_LEVELS == {"DEBUG": 10, "INFO": 20, "SUCCESS": 25, "WARNING": 30, "ERROR": 40}


def test_the_package_exports_djangos_names():
    expected = {"add_message", "get_messages", "get_level", "set_level", "debug", "info", "success", "warning",
                "error", "MessageFailure", "DEBUG", "INFO", "SUCCESS", "WARNING", "ERROR", "DEFAULT_TAGS",
                "DEFAULT_LEVELS", "Message"}
    missing = {name for name in expected if not hasattr(messages, name)}
    assert not missing, f"tinyframe.contrib.messages lacks {sorted(missing)}"
    assert set(messages.__all__) == expected


def test_message_tags_overrides_and_extends_the_default_tags(use_settings):
    use_settings(MESSAGE_TAGS={constants.ERROR: "danger", 35: "notice"})
    assert get_level_tags() == {10: "debug", 20: "info", 25: "success", 30: "warning", 40: "danger", 35: "notice"}
    assert Message(constants.ERROR, "x").level_tag == "danger"
    assert Message(35, "x").tags == "notice"


# --- Message -----------------------------------------------------------------------------------------


def test_a_message_has_its_level_text_and_tags():
    message = Message(constants.WARNING, "Disk almost full", extra_tags="sticky")
    assert (message.level, message.message, message.extra_tags) == (30, "Disk almost full", "sticky")
    assert (str(message), message.level_tag, message.tags) == ("Disk almost full", "warning", "sticky warning")


@pytest.mark.parametrize("message, expected_repr, expected_tags", [
    (Message(25, "Saved"), "Message(level=25, message='Saved')", "success"),
    (Message("40", "Bad", extra_tags="form"), "Message(level=40, message='Bad', extra_tags='form')", "form error"),
    (Message(99, "Odd", extra_tags=""), "Message(level=99, message='Odd')", ""),
    (Message(99, "Odd", extra_tags="mine"), "Message(level=99, message='Odd', extra_tags='mine')", "mine"),
])
def test_message_repr_and_tags_as_django(message, expected_repr, expected_tags):
    """A level may come as a string (it is made an int); a level without a tag has only its extra tags."""
    assert repr(message) == expected_repr
    assert message.tags == expected_tags


def test_messages_are_equal_by_level_and_text_only():
    assert Message(20, "Hi", extra_tags="a") == Message(20, "Hi", extra_tags="b")
    assert Message(20, "Hi") != Message(25, "Hi")
    assert Message(20, "Hi") != Message(20, "Ho")
    assert Message(20, "Hi") != "Hi"


def test_prepare_makes_text_and_extra_tags_strings_and_keeps_safe_text_safe():
    class Lazy:
        def __str__(self):
            return "translated"

    message = Message(20, Lazy(), extra_tags=Lazy())
    message._prepare()
    assert (message.message, message.extra_tags) == ("translated", "translated")
    safe = Message(20, mark_safe("<b>ok</b>"), extra_tags=None)
    safe._prepare()
    assert isinstance(safe.message, SafeData) and safe.extra_tags is None


# --- BaseStorage -------------------------------------------------------------------------------------


def test_the_base_storage_asks_subclasses_for_get_and_store():
    storage = BaseStorage(request)
    with pytest.raises(NotImplementedError, match=r"subclasses of BaseStorage must provide a _get\(\) method"):
        len(storage)
    with pytest.raises(NotImplementedError, match=r"subclasses of BaseStorage must provide a _store\(\) method"):
        storage._store([], None)
    assert repr(storage).startswith("<BaseStorage: request=<")


def test_add_queues_messages_at_or_above_the_level():
    storage = ListStorage(request)
    storage.add(constants.DEBUG, "dropped: below INFO")
    storage.add(constants.INFO, "")  # empty text: dropped
    assert not storage.added_new and len(storage) == 0
    storage.add(constants.INFO, "kept")
    storage.add("30", "kept too", extra_tags="x")
    assert storage.added_new and len(storage) == 2
    assert Message(20, "kept") in storage and Message(20, "absent") not in storage
    assert [(m.level, m.message, m.extra_tags) for m in storage] == [(20, "kept", ""), (30, "kept too", "x")]


def test_the_level_comes_from_message_level_and_may_be_set_per_storage(use_settings):
    assert ListStorage(request).level == constants.INFO
    use_settings(MESSAGE_LEVEL=constants.DEBUG)
    storage = ListStorage(request)
    assert storage.level == constants.DEBUG
    storage.add(constants.DEBUG, "now kept")
    storage.level = constants.WARNING
    storage.add(constants.INFO, "now dropped")
    assert [m.message for m in storage] == ["now kept"]
    storage.level = None  # back to the setting
    assert storage.level == constants.DEBUG
    storage.level = "30"
    del storage.level
    assert storage.level == constants.DEBUG


def test_messages_are_loaded_once_and_lazily():
    storage = ListStorage(request, stored=[Message(20, "old")])
    assert storage.gets == 0, "making a storage must not read the stored messages"
    assert len(storage) == 1 and list(storage) == [Message(20, "old")] and Message(20, "old") in storage
    assert storage.gets == 1


def test_update_of_a_storage_read_keeps_only_what_was_added_after_reading():
    storage = ListStorage(request, stored=[Message(20, "old")])
    storage.add(20, "shown with the old one")
    assert [m.message for m in storage] == ["old", "shown with the old one"] and storage.used
    storage.add(20, "added after reading")
    assert storage.update(None) == []
    assert storage.stored == [Message(20, "added after reading")]


def test_update_of_a_storage_not_read_keeps_old_and_new():
    storage = ListStorage(request, stored=[Message(20, "old")])
    storage.add(20, "new")
    storage.update(None)
    assert [m.message for m in storage.stored] == ["old", "new"]


def test_update_of_a_storage_neither_read_nor_added_to_changes_nothing():
    storage = ListStorage(request, stored=[Message(20, "old")])
    assert storage.update(None) is None
    assert storage.stored == [Message(20, "old")] and storage.gets == 0


def test_update_returns_what_could_not_be_stored():
    storage = ListStorage(request, room=1)
    storage.add(20, "first")
    storage.add(20, "second")
    assert storage.update(None) == [Message(20, "second")]
    assert storage.stored == [Message(20, "first")]


# --- an app without models ---------------------------------------------------------------------------


def test_an_app_without_models_installs_under_a_finder_that_refuses_missing_names(monkeypatch):
    """The messages app has no models.py; a finder that raises for it (the course checker's does) means "none"."""
    import importlib.machinery
    import sys

    import tinyframe.contrib.messages as package
    from tinyframe.apps.config import module_has_submodule

    class RefusingFinder:
        def find_spec(self, fullname, path=None, target=None):
            if not fullname.startswith("tinyframe.contrib.messages."):
                return None
            spec = importlib.machinery.PathFinder.find_spec(fullname, path)
            if spec is None:
                raise ModuleNotFoundError(f"No module named {fullname!r}", name=fullname)
            return spec

    monkeypatch.setattr(sys, "meta_path", [RefusingFinder(), *sys.meta_path])
    assert module_has_submodule(package, "models") is False
    assert module_has_submodule(package, "api") is True
