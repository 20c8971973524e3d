"""The receiver decorator: @receiver(signal) connects the function it decorates."""

import pytest

from tinyframe.dispatch import Signal, receiver


class Post:
    """A sender."""


class RecordingSignal(Signal):
    """A signal that only records how ``connect`` was called, to test the decorator alone."""

    def __init__(self):
        super().__init__()
        self.calls = []

    def connect(self, receiver, **kwargs):
        self.calls.append((receiver, kwargs))


@pytest.mark.exercise("04.4")
def test_receiver_connects_the_function_and_returns_it_unchanged():
    """@receiver(signal) calls signal.connect(function) and gives back the very same function."""
    signal = RecordingSignal()

    def on_publish(sender, **kwargs):
        return "published"

    decorated = receiver(signal)(on_publish)
    assert decorated is on_publish, (
        f"receiver(signal)(on_publish) returned {decorated!r}; expected on_publish itself, not a wrapper"
    )
    assert signal.calls == [(on_publish, {})], (
        f"receiver(signal)(on_publish) called signal.connect with {signal.calls!r}; expected [(on_publish, {{}})]"
    )


@pytest.mark.exercise("04.4")
def test_receiver_passes_its_keyword_arguments_to_connect():
    """@receiver(signal, sender=Post, weak=False, dispatch_uid="x") passes them all to connect."""
    signal = RecordingSignal()

    @receiver(signal, sender=Post, weak=False, dispatch_uid="notify")
    def on_publish(sender, **kwargs):
        pass

    expected = [(on_publish, {"sender": Post, "weak": False, "dispatch_uid": "notify"})]
    assert signal.calls == expected, f"connect was called with {signal.calls!r}; expected {expected!r}"


@pytest.mark.exercise("04.4")
@pytest.mark.parametrize("container", [list, tuple])
def test_receiver_connects_to_each_signal_of_a_list_or_tuple(container):
    """@receiver([first, second]) connects the function to both signals."""
    first, second = RecordingSignal(), RecordingSignal()

    @receiver(container([first, second]), sender=Post)
    def on_change(sender, **kwargs):
        pass

    calls = (first.calls, second.calls)
    expected = ([(on_change, {"sender": Post})], [(on_change, {"sender": Post})])
    assert calls == expected, (
        f"@receiver({container.__name__}([first, second]), sender=Post) made the connect calls {calls!r}; "
        f"expected one on each signal: {expected!r}"
    )


@pytest.mark.exercise("04.4")
def test_a_decorated_function_hears_the_signal():
    """With a real Signal: the decorated function is called on send, for its sender only."""
    signal = Signal()

    @receiver(signal, sender=Post)
    def on_publish(sender, title, **kwargs):
        return f"{sender.__name__}: {title}"

    assert signal.send(sender=Post, title="Hello") == [(on_publish, "Post: Hello")]
    assert signal.send(sender=None, title="Hello") == []
    assert on_publish(Post, title="direct") == "Post: direct", "the function can still be called directly"
