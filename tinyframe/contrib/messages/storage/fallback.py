"""FallbackStorage, the default: the cookie first, the session for what the cookie cannot hold.

How it works: most pages have a message or two, which fit in the cookie and
cost no database write. ``_store`` gives the messages to each storage in turn
(``CookieStorage``, then ``SessionStorage``), passing on what one left out;
the cookie keeps the oldest and marks itself not finished, so the order
survives. ``_get`` reads them in the same order and stops at the first
storage that says it had everything (or was never used). A storage that held
messages last time and gets none now is still told to store nothing, so the
old messages are removed from it.
"""

from tinyframe.contrib.messages.storage.base import BaseStorage
from tinyframe.contrib.messages.storage.cookie import CookieStorage
from tinyframe.contrib.messages.storage.session import SessionStorage


class FallbackStorage(BaseStorage):
    """Each of ``storage_classes`` in order, each holding what the ones before it could not."""

    storage_classes = (CookieStorage, SessionStorage)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.storages = [storage_class(*args, **kwargs) for storage_class in self.storage_classes]
        self._used_storages = set()

    def _get(self, *args, **kwargs):
        """The messages of every storage, in order, until one has them all or was not used."""
        all_messages = []
        all_retrieved = True
        for storage in self.storages:
            messages, all_retrieved = storage._get()
            if messages is None:
                break
            if messages:
                self._used_storages.add(storage)
            all_messages.extend(messages)
            if all_retrieved:
                break
        return all_messages, all_retrieved

    def _store(self, messages, response, *args, **kwargs):
        """Store in each storage what the ones before could not; empty the ones that held messages."""
        for storage in self.storages:
            if messages:
                messages = storage._store(messages, response, remove_oldest=False)
            elif storage in self._used_storages:
                storage._store([], response)
                self._used_storages.remove(storage)
        return messages
