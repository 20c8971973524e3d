"""Signals: one part of a program announces an event, others react, neither knowing the other.

How it works, in the order things happen::

    signal.connect(receiver, sender=...)   a Connection in signal.receivers
    signal.send(sender, **named)           _live_receivers(sender): who hears this sender
                                           each called as receiver(signal=signal, sender=sender, **named)

1. ``Signal.connect`` files the receiver as a ``Connection``: a key that says who
   it is (its ``dispatch_uid``, else ``make_id(receiver)``), a key for the sender
   it listens to (``NONE_ID``: every sender), and a reference to it — weak by
   default (``weak_reference``), so that connecting a receiver never keeps it
   alive. Connecting the same key twice does nothing.
2. ``Signal.send`` asks ``_live_receivers`` for the receivers of this sender, in
   the order they were connected, and calls each one. ``send_robust`` does the
   same, but returns a receiver's exception instead of raising it.
3. When a weakly referenced receiver is collected, its reference only flags the
   signal (``_dead_receivers``); the next connect, disconnect or send drops it.

Threads: ``signal.receivers`` is a tuple, replaced (never changed) under
``signal.lock`` by connect and disconnect. A send reads it once, so it walks a
snapshot that no other thread can change under it, and needs no lock itself.

>>> article_published = Signal()
>>> def notify(sender, title, **kwargs):
...     return f"{sender} published {title!r}"
>>> article_published.connect(notify)
>>> article_published.send(sender="ada", title="Hello")
[(<function notify at ...>, "ada published 'Hello'")]

Receivers are plain functions run in the sender's thread; there is no
``asend``: tinyframe serves WSGI, so nothing here is a coroutine.
"""

import inspect
import logging
import threading
import weakref
from typing import Callable, NamedTuple

from tinyframe.conf import settings

__all__ = ["NONE_ID", "Signal", "func_accepts_kwargs", "make_id", "receiver", "weak_reference"]

logger = logging.getLogger("tinyframe.dispatch")


def make_id(target) -> int | tuple[int, int]:
    """What identifies a receiver or a sender: ``id(target)``, or for a bound method, a pair of ids.

    A bound method is a new object each time it is looked up, so its own id
    says nothing; the object and the function it binds do.

    >>> class Greeter:
    ...     def greet(self, **kwargs):
    ...         return "hello"
    >>> greeter = Greeter()
    >>> greeter.greet is greeter.greet, make_id(greeter.greet) == make_id(greeter.greet)
    (False, True)
    """
    if hasattr(target, "__func__"):
        return (id(target.__self__), id(target.__func__))
    return id(target)


# The sender key of a receiver connected without a sender: it hears every sender.
NONE_ID = make_id(None)


class Connection(NamedTuple):
    """One receiver connected to a signal."""

    receiver_key: object  # the dispatch_uid, else make_id(receiver)
    sender_key: object  # make_id(sender); NONE_ID hears every sender
    reference: Callable  # reference() is the receiver, or None once it has been collected


class StrongReference:
    """Holds a receiver connected with ``weak=False``; called like a weak reference, it gives it back."""

    __slots__ = ("receiver",)

    def __init__(self, receiver):
        self.receiver = receiver

    def __call__(self):
        return self.receiver


def weak_reference(receiver, on_collected: Callable):
    """A weak reference to ``receiver``: calling it gives the receiver back, or None once it is collected.

    A bound method (``obj.method``, with ``__self__`` and ``__func__``) is made
    afresh each time it is looked up, so a plain ``weakref.ref`` to one would
    die at once: use ``weakref.WeakMethod``, which references the object and
    the function instead, and dies with the object. Anything else gets a
    ``weakref.ref``. Either way, pass ``on_collected`` as the reference's
    callback: Python calls it, with the reference, when the receiver goes.

    >>> class Listener:
    ...     def heard(self, **kwargs):
    ...         return "heard"
    >>> listener, collected = Listener(), []
    >>> reference = weak_reference(listener.heard, collected.append)
    >>> reference()()
    'heard'
    >>> del listener
    >>> reference(), collected == [reference]
    (None, True)
    """
    if hasattr(receiver, "__self__") and hasattr(receiver, "__func__"):
        return weakref.WeakMethod(receiver, on_collected)
    return weakref.ref(receiver, on_collected)


def func_accepts_kwargs(func) -> bool:
    """Whether ``func`` takes any keyword argument: whether it has a ``**kwargs`` parameter.

    A callable whose signature cannot be read (some built-ins) does not count.

    >>> func_accepts_kwargs(lambda sender, **kwargs: None)
    True
    >>> func_accepts_kwargs(lambda sender, signal=None: None)
    False
    """
    try:
        parameters = inspect.signature(func).parameters.values()
    except (TypeError, ValueError):
        return False
    return any(parameter.kind is inspect.Parameter.VAR_KEYWORD for parameter in parameters)


def describe(receiver) -> str:
    """How messages name a receiver: its qualified name, or its repr for a callable object."""
    return getattr(receiver, "__qualname__", None) or repr(receiver)


def signature(function) -> str:
    """``(sender, instance)``: a callable's parameters, for error messages ('' when unknown)."""
    try:
        return str(inspect.signature(function))
    except (TypeError, ValueError):
        return ""


class Signal:
    """An event that receivers connect to and senders send.

    With ``use_caching=True`` the receivers of each sender are worked out once
    and kept until the next connect or disconnect: for signals sent very
    often by a few senders (the ORM's, sent for every row by model classes).
    """

    def __init__(self, use_caching: bool = False):
        self.receivers: tuple[Connection, ...] = ()
        self.lock = threading.Lock()
        self.use_caching = use_caching
        # sender -> its Connections. Weak keys: caching a sender (say, a model
        # class) must not keep it alive. Senders that cannot be weakly
        # referenced (None, strings, numbers) are simply not cached. A signal
        # without caching never fills it: a plain dict, as in Django, which
        # connect and disconnect clear for next to nothing. (The test client
        # connects and disconnects three receivers a request; clearing a
        # WeakKeyDictionary, a loop in Python, was a quarter of that time.)
        self.sender_receivers_cache = weakref.WeakKeyDictionary() if use_caching else {}
        # Set by a weak reference whose receiver was collected.
        self._dead_receivers = False

    def __repr__(self):
        return f"<{type(self).__name__}: {len(self.receivers)} receivers>"

    def connect(self, receiver, sender=None, weak: bool = True, dispatch_uid=None) -> None:
        """Call ``receiver(signal=self, sender=sender, **named)`` each time the signal is sent.

        ``sender``: only when this object sends (default: any sender).
        ``weak``: hold the receiver by a weak reference, so that connecting it
        does not keep it alive; once it is collected it is disconnected.
        ``dispatch_uid``: a name for the connection, so that connecting twice
        (a module imported twice, say) connects once.
        """
        # Checked with DEBUG only: a signature costs time to inspect, and
        # receivers are mostly connected while a project starts.
        if settings.configured and settings.DEBUG:
            if not callable(receiver):
                raise TypeError(f"Signal receivers must be callable; got {receiver!r}.")
            if not func_accepts_kwargs(receiver):
                raise ValueError(
                    "Signal receivers must accept keyword arguments (**kwargs). "
                    f"{describe(receiver)}{signature(receiver)} does not: add **kwargs to its parameters."
                )
        receiver_key = dispatch_uid or make_id(receiver)
        reference = weak_reference(receiver, self._receiver_collected) if weak else StrongReference(receiver)
        connection = Connection(receiver_key, make_id(sender), reference)
        with self.lock:
            self._clear_dead_receivers()
            if not any(self._same(existing, receiver_key, connection.sender_key) for existing in self.receivers):
                self.receivers = (*self.receivers, connection)
            self.sender_receivers_cache.clear()

    def disconnect(self, receiver=None, sender=None, dispatch_uid=None) -> bool:
        """Disconnect ``receiver`` (or the connection named ``dispatch_uid``) from ``sender``.

        Name the receiver and sender exactly as ``connect`` was given them; with
        a ``dispatch_uid``, the receiver is not needed. Work out the receiver's
        key (the ``dispatch_uid``, else ``make_id(receiver)``) and the sender's
        (``make_id(sender)``); then, holding ``self.lock``, replace
        ``self.receivers`` by a tuple without the matching Connection, and
        clear ``self.sender_receivers_cache``. Return True when a connection
        was removed, False when there was none.
        """
        receiver_key = dispatch_uid or make_id(receiver)
        sender_key = make_id(sender)
        with self.lock:
            self._clear_dead_receivers()
            kept = tuple(
                connection for connection in self.receivers if not self._same(connection, receiver_key, sender_key)
            )
            disconnected = len(kept) < len(self.receivers)
            self.receivers = kept
            self.sender_receivers_cache.clear()
        return disconnected

    @staticmethod
    def _same(connection: Connection, receiver_key, sender_key) -> bool:
        return connection.receiver_key == receiver_key and connection.sender_key == sender_key

    def has_listeners(self, sender=None) -> bool:
        """Whether sending now (by ``sender``) would call any receiver."""
        if not self.receivers:  # most signals, most of the time: one attribute test
            return False
        return bool(self._live_receivers(sender))

    def send(self, sender, **named) -> list[tuple]:
        """Call every receiver of ``sender``; return ``[(receiver, what it returned), ...]``.

        ``self._live_receivers(sender)`` gives the receivers to call, in the
        order they were connected. Call each with ``signal=self``,
        ``sender=sender`` and the ``named`` arguments. An exception raised by a
        receiver goes up to the sender, and the receivers after it are not
        called.
        """
        return [
            (receiver, receiver(signal=self, sender=sender, **named)) for receiver in self._live_receivers(sender)
        ]

    def send_robust(self, sender, **named) -> list[tuple]:
        """Like ``send``, but a receiver's exception is returned in place of its response, not raised.

        Every receiver is called, whatever the others do. For a receiver that
        raised, the pair is ``(receiver, the exception)``; the exception keeps
        its ``__traceback__``, so the error can be shown later. Each failure is
        also logged as an error on the ``tinyframe.dispatch`` logger, as
        ``"Error calling %s in Signal.send_robust() (%s)"`` with the receiver's
        name (``describe(receiver)``) and the exception, and ``exc_info``: a
        receiver ``fails`` that raised ``ValueError("bad value")`` logs
        ``Error calling fails in Signal.send_robust() (bad value)``.
        Catch ``Exception`` only: KeyboardInterrupt must still stop the program.
        """
        responses = []
        for receiver in self._live_receivers(sender):
            try:
                response = receiver(signal=self, sender=sender, **named)
            except Exception as error:
                logger.error("Error calling %s in Signal.send_robust() (%s)", describe(receiver), error,
                             exc_info=error)
                responses.append((receiver, error))
            else:
                responses.append((receiver, response))
        return responses

    def _live_receivers(self, sender) -> list:
        """The receivers to call when ``sender`` sends, in the order they were connected.

        A connection is for this sender when its sender key is the sender's or
        ``NONE_ID``. Weak references are called to get their receivers;
        collected ones (None) are skipped.
        """
        if not self.receivers:
            # Speed: the handler sends request_started and request_finished on
            # every request, usually to nobody; such a send costs one check.
            return []
        if self._dead_receivers:
            with self.lock:
                self._clear_dead_receivers()
        receivers = self.receivers  # one read: the snapshot this send walks
        connections = self._cached_connections(sender) if self.use_caching else None
        if connections is None:
            sender_key = make_id(sender)
            connections = [
                connection for connection in receivers if connection.sender_key in (NONE_ID, sender_key)
            ]
            if self.use_caching:
                self._cache_connections(sender, connections, receivers)
        live = []
        for connection in connections:
            receiver = connection.reference()
            if receiver is not None:
                live.append(receiver)
        return live

    def _cached_connections(self, sender) -> list | None:
        try:
            return self.sender_receivers_cache.get(sender)
        except TypeError:  # not weakly referenceable: never cached
            return None

    def _cache_connections(self, sender, connections: list, snapshot: tuple) -> None:
        with self.lock:
            # A connect or disconnect since the snapshot was read would make
            # this list stale; it cleared the cache, so leave it empty.
            if self.receivers is not snapshot:
                return
            try:
                self.sender_receivers_cache[sender] = connections
            except TypeError:
                pass

    def _receiver_collected(self, reference=None) -> None:
        # Called by a weak reference, at any moment, in whichever thread the
        # garbage collector runs — perhaps while this very thread holds
        # self.lock in connect(). Taking the lock here could deadlock, so only
        # raise a flag; the next connect, disconnect or send does the cleaning.
        self._dead_receivers = True

    def _clear_dead_receivers(self) -> None:
        # Called with self.lock held. The flag is lowered before the scan, so
        # a receiver collected during the scan raises it again.
        if self._dead_receivers:
            self._dead_receivers = False
            self.receivers = tuple(connection for connection in self.receivers if connection.reference() is not None)
            self.sender_receivers_cache.clear()


def receiver(signal, **kwargs):
    """A decorator that connects the function it decorates to ``signal``::

        @receiver(request_finished)
        def log_request(sender, **kwargs): ...

    ``signal`` may also be a list or tuple of signals: connect the function to
    each one. ``kwargs`` (``sender=``, ``weak=``, ``dispatch_uid=``) go to
    every ``connect`` call. The decorator returns the function itself,
    unchanged, so it can still be called directly.
    """

    def decorator(function):
        signals = signal if isinstance(signal, (list, tuple)) else [signal]
        for each in signals:
            each.connect(function, **kwargs)
        return function

    return decorator
