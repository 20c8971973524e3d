"""Every built-in tag and filter of Django 5.2's default library exists, under the same name.

The lists are Django 5.2's, printed once from
``sorted(set().union(*(library.tags for library in Engine.get_default().template_builtins)))``
(and the same for ``filters``) and pasted here, so the test needs no Django.
"""

from tinyframe.template import Engine

DJANGO_TAGS = [
    "autoescape", "block", "comment", "csrf_token", "cycle", "debug", "extends", "filter", "firstof", "for", "if",
    "ifchanged", "include", "load", "lorem", "now", "querystring", "regroup", "resetcycle", "spaceless",
    "templatetag", "url", "verbatim", "widthratio", "with",
]

DJANGO_FILTERS = [
    "add", "addslashes", "capfirst", "center", "cut", "date", "default", "default_if_none", "dictsort",
    "dictsortreversed", "divisibleby", "escape", "escapejs", "escapeseq", "filesizeformat", "first", "floatformat",
    "force_escape", "get_digit", "iriencode", "join", "json_script", "last", "length", "linebreaks", "linebreaksbr",
    "linenumbers", "ljust", "lower", "make_list", "phone2numeric", "pluralize", "pprint", "random", "rjust", "safe",
    "safeseq", "slice", "slugify", "stringformat", "striptags", "time", "timesince", "timeuntil", "title",
    "truncatechars", "truncatechars_html", "truncatewords", "truncatewords_html", "unordered_list", "upper",
    "urlencode", "urlize", "urlizetrunc", "wordcount", "wordwrap", "yesno",
]


def builtin_names(kind: str) -> list[str]:
    """The names of the tags or filters every template of a default Engine starts with."""
    return sorted({name for library in Engine().template_builtins for name in getattr(library, kind)})


def test_every_django_builtin_tag_exists():
    """The built-in tags are Django 5.2's, no more and no fewer."""
    names = builtin_names("tags")
    missing = sorted(set(DJANGO_TAGS) - set(names))
    extra = sorted(set(names) - set(DJANGO_TAGS))
    assert (missing, extra) == ([], []), f"built-in tags missing: {missing}; not in Django's library: {extra}"


def test_every_django_builtin_filter_exists():
    """The built-in filters are Django 5.2's, no more and no fewer."""
    names = builtin_names("filters")
    missing = sorted(set(DJANGO_FILTERS) - set(names))
    extra = sorted(set(names) - set(DJANGO_FILTERS))
    assert (missing, extra) == ([], []), f"built-in filters missing: {missing}; not in Django's library: {extra}"
