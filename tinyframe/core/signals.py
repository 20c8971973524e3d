"""The signals of the request handler, and the one ``override_settings`` sends.

How it works: the handler sends ``request_started`` when a request arrives
(``BaseHandler.get_response``), ``got_request_exception`` when a view raises
an exception that becomes a server error (``response_for_exception``), and
``request_finished`` when the server closes the response
(``HttpResponseBase.close``) — after the last byte of a streaming response,
as PEP 3333 has the server call ``close()`` only then. Connect to them to run
code around every request: open and close connections, reset per-request
state, count errors::

    from tinyframe.core.signals import got_request_exception

    def report(sender, request, **kwargs):
        errors.append(request.path)

    got_request_exception.connect(report)

The comment above each signal says what it sends besides ``signal`` and ``sender``.
"""

from tinyframe.dispatch import Signal

__all__ = ["got_request_exception", "request_finished", "request_started", "setting_changed"]

# sender: the handler's class (WSGIHandler, or the test client's ClientHandler);
# environ: the request's WSGI environ.
request_started = Signal()

# sender: the handler's class that answered (None for the test client, as in Django).
request_finished = Signal()

# sender: None; request: the request whose view raised. Inside a receiver,
# sys.exc_info() is the exception.
got_request_exception = Signal()

# Sent by override_settings as it changes a setting and as it puts it back.
# sender: the settings' class; setting: its name; value: the value now in
# effect (None when it has none); enter: True on the way in, False on the way out.
setting_changed = Signal()
