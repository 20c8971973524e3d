"""lazystr and cached_property, under Django's names in tinyframe.utils.functional."""

from tinyframe.utils.functional import Promise, cached_property, lazystr


def test_lazystr_is_computed_each_time_it_is_used():
    """lazystr(obj) is str(obj) taken at use, not at creation: it follows the object's changes."""
    state = {"name": "draft"}

    class Title:
        def __str__(self):
            return state["name"]

    text = lazystr(Title())
    state["name"] = "published"
    assert isinstance(text, Promise)
    assert (str(text), text.upper(), f"[{text}]", text == "published") == (
        "published", "PUBLISHED", "[published]", True
    )
    state["name"] = "archived"
    assert str(text) == "archived"


def test_cached_property_computes_once_per_instance():
    calls = []

    class Page:
        def __init__(self, number):
            self.number = number

        @cached_property
        def title(self):
            calls.append(self.number)
            return f"Page {self.number}"

    first, second = Page(1), Page(2)
    assert (first.title, first.title, second.title) == ("Page 1", "Page 1", "Page 2")
    assert calls == [1, 2], f"each instance must compute once; the method ran for {calls}"
    del first.title  # deleting the stored value makes the next access compute again
    assert first.title == "Page 1" and calls == [1, 2, 1]
    assert isinstance(Page.title, cached_property)

