"""The HTTP helpers middleware needs: entity tags and leading slashes (tinyframe.utils.http)."""

import pytest

from tinyframe.utils.http import escape_leading_slashes, parse_etags, quote_etag


@pytest.mark.parametrize("header, expected", [
    ('"abc"', ['"abc"']),
    ('"abc", W/"def" , nonsense', ['"abc"', 'W/"def"']),
    (" * ", ["*"]),
    ("", []),
    ('"a,b"', []),  # a comma inside the quotes splits it: both halves are malformed, as in Django
])
def test_parse_etags(header, expected):
    """The tags of If-None-Match / If-Match, malformed ones dropped."""
    assert parse_etags(header) == expected, f"parse_etags({header!r}) returned {parse_etags(header)!r}"


@pytest.mark.parametrize("value, expected", [("abc", '"abc"'), ('"abc"', '"abc"'), ('W/"abc"', 'W/"abc"')])
def test_quote_etag(value, expected):
    assert quote_etag(value) == expected


@pytest.mark.parametrize("url, expected", [("//evil.example/", "/%2Fevil.example/"), ("/a//b/", "/a//b/"), ("/", "/")])
def test_escape_leading_slashes(url, expected):
    """Only a leading '//' is escaped: it would make the path a link to another host."""
    assert escape_leading_slashes(url) == expected
