"""Fixtures shared by chapter 09's tests (forms, fields, widgets, ModelForms, formsets, views).

Rendered HTML is compared with ``assert_html``: the elements, attributes
(in order), values and text must be Django 5.2's exactly; only the
whitespace around tags may differ, since our templates lay their lines out
their own way. Nothing here imports ``tinyframe.forms`` at module level:
a test module must load while an exercise of the chapter is still a stub.
"""

import re

import pytest

# A tag, kept whole; the text between tags is stripped of surrounding whitespace.
TAG_RE = re.compile(r"(<[^>]*>)")


def normalize_html(html) -> str:
    """HTML with the whitespace around every tag removed, so two layouts of the same markup compare equal.

    >>> normalize_html('<div>\\n  <label for="x">Name:</label>\\n  <input id="x">\\n</div>')
    '<div><label for="x">Name:</label><input id="x"></div>'
    """
    return "".join(part.strip() for part in TAG_RE.split(str(html)))


@pytest.fixture
def assert_html():
    """``assert_html(actual, expected, what="")``: the same markup, whitespace around tags aside.

    The failure shows both, one tag a line, and what was rendered (``what``).
    """

    def check(actual, expected, what: str = "") -> None:
        got, wanted = normalize_html(actual), normalize_html(expected)
        if got != wanted:
            lines = "\n".join(
                [
                    f"Rendering {what or 'the form'} gave different HTML.",
                    "Got:",
                    got.replace("><", ">\n<"),
                    "Expected:",
                    wanted.replace("><", ">\n<"),
                ]
            )
            raise AssertionError(lines)

    return check


@pytest.fixture
def html():
    """``html(value) -> str``: ``normalize_html``, for tests that compare or search pieces of markup."""
    return normalize_html


@pytest.fixture
def forms():
    """The ``tinyframe.forms`` module, imported when a test runs (``forms.Form``, ``forms.CharField``).

    Every form class is made by ``DeclarativeFieldsMetaclass`` (exercise
    09.1): until it is written, ``forms.Form`` (and formsets, ModelForms)
    cannot be imported. A test module that imports them at its top would
    then not even load, and every test in it would count as broken rather
    than waiting; a test that takes this fixture and reads ``forms.Form``
    when it runs waits, as it should. (Fields and widgets import without it:
    ``tinyframe.forms`` loads each module on first use.)
    """
    import tinyframe.forms

    return tinyframe.forms


@pytest.fixture
def renderer():
    """A fresh ``DjangoTemplates`` form renderer (the default one is shared by the whole process)."""
    from tinyframe.forms.renderers import DjangoTemplates

    return DjangoTemplates()


@pytest.fixture
def article_form(forms):
    """A form of an article's title and (optional) pages: the formset tests' form.

    Made when a test asks for it: declaring a form runs exercise 09.1.
    """

    class ArticleForm(forms.Form):
        title = forms.CharField()
        pages = forms.IntegerField(required=False)

    return ArticleForm


@pytest.fixture
def article_formset(forms, article_form):
    """``formset_factory(ArticleForm)``: one extra form, prefix "form"."""
    return forms.formset_factory(article_form)
