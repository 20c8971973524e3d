"""The messages api: add_message and its shortcuts, get_messages, get_level / set_level, and their errors.

The error messages were checked once against Django 5.2 (with ``django`` read
as ``tinyframe`` in the dotted path).
"""

import pytest

from tinyframe.contrib import messages
from tinyframe.contrib.messages.storage.base import Message
from tinyframe.contrib.messages.storage.cookie import CookieStorage
from tinyframe.test import RequestFactory


@pytest.fixture
def request_with_storage(use_settings):
    """A request with a cookie storage, as MessageMiddleware would give it."""
    use_settings(MESSAGE_STORAGE="tinyframe.contrib.messages.storage.cookie.CookieStorage")
    request = RequestFactory().get("/")
    request._messages = CookieStorage(request)
    return request


def test_each_shortcut_adds_a_message_of_its_level(request_with_storage, use_settings):
    use_settings(MESSAGE_LEVEL=messages.DEBUG)
    request = request_with_storage
    messages.debug(request, "d")
    messages.info(request, "i")
    messages.success(request, "s", extra_tags="done")
    messages.warning(request, "w")
    messages.error(request, "e")
    messages.add_message(request, 35, "custom")
    got = [(m.level, m.message, m.tags) for m in messages.get_messages(request)]
    assert got == [(10, "d", "debug"), (20, "i", "info"), (25, "s", "done success"), (30, "w", "warning"),
                   (40, "e", "error"), (35, "custom", "")]


def test_adding_without_the_middleware_is_a_message_failure():
    with pytest.raises(messages.MessageFailure) as caught:
        messages.success(RequestFactory().get("/"), "Saved.")
    assert str(caught.value) == (
        "You cannot add messages without installing tinyframe.contrib.messages.middleware.MessageMiddleware")


def test_fail_silently_drops_the_message_without_the_middleware():
    request = RequestFactory().get("/")
    assert messages.add_message(request, messages.INFO, "Saved.", fail_silently=True) is None
    messages.error(request, "Lost", fail_silently=True)
    assert messages.get_messages(request) == []


def test_add_message_refuses_what_is_not_a_request():
    with pytest.raises(TypeError) as caught:
        messages.add_message("/", messages.INFO, "Saved.", fail_silently=True)
    assert str(caught.value) == "add_message() argument must be an HttpRequest object, not 'str'."


def test_the_level_is_message_level_and_set_level_changes_it_for_one_request(request_with_storage, use_settings):
    request = request_with_storage
    assert messages.get_level(request) == messages.INFO
    messages.debug(request, "dropped")
    assert messages.set_level(request, messages.DEBUG) is True
    assert messages.get_level(request) == messages.DEBUG
    messages.debug(request, "kept")
    assert messages.set_level(request, None) is True and messages.get_level(request) == messages.INFO
    assert list(messages.get_messages(request)) == [Message(messages.DEBUG, "kept")]


def test_get_level_without_the_middleware_reads_the_setting(use_settings):
    use_settings(MESSAGE_STORAGE="tinyframe.contrib.messages.storage.cookie.CookieStorage",
                 MESSAGE_LEVEL=messages.WARNING)
    request = RequestFactory().get("/")
    assert messages.get_level(request) == messages.WARNING
    assert messages.set_level(request, messages.DEBUG) is False, "no storage: there is no level to set"
