"""``MessagesTestMixin.assertMessages``: check the messages a response's request was given."""

from tinyframe.contrib.messages.api import get_messages


class MessagesTestMixin:
    """For a ``SimpleTestCase``: ``self.assertMessages(response, [Message(...), ...], ordered=True)``."""

    def assertMessages(self, response, expected_messages, *, ordered=True):  # noqa: N802 (unittest's naming)
        """``response.wsgi_request``'s messages are ``expected_messages`` (in this order, if ``ordered``)."""
        request_messages = list(get_messages(response.wsgi_request))
        assertion = self.assertEqual if ordered else self.assertCountEqual
        assertion(request_messages, expected_messages)
