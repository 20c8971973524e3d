"""{% load %} of a library nobody registered: Django's message, and a suggestion as a note."""

import pytest

from tinyframe.template import Engine, Library, TemplateSyntaxError

blog_extras = Library()
NO_LIBRARY = (
    "No tag library is registered: name one in TEMPLATES' OPTIONS['libraries'], "
    "or put a templatetags package in an installed app."
)


@pytest.mark.parametrize(
    "libraries, source, message, suggestion",
    [
        # With no library registered, Django 5.2 ends the message at "Must be one of:\n";
        # a note says where libraries come from.
        ({}, "{% load nosuchlib %}", "'nosuchlib' is not a registered tag library. Must be one of:\n", NO_LIBRARY),
        (
            {"blog_extras": blog_extras},
            "{% load blog_extra %}",
            "'blog_extra' is not a registered tag library. Must be one of:\nblog_extras",
            "Did you mean 'blog_extras'?",
        ),
        (
            {"blog_extras": blog_extras},
            "{% load shout from blog_extra %}",
            "'blog_extra' is not a registered tag library. Must be one of:\nblog_extras",
            "Did you mean 'blog_extras'?",
        ),
    ],
)
def test_loading_an_unknown_library_names_the_ones_there_are(libraries, source, message, suggestion):
    with pytest.raises(TemplateSyntaxError) as caught:
        Engine(libraries=libraries).from_string(source)
    assert str(caught.value) == message
    notes = getattr(caught.value, "__notes__", [])
    assert notes[-1].startswith("In a template given as a string, line 1: {% load")
    assert notes[:-1] == ([suggestion] if suggestion else [])
