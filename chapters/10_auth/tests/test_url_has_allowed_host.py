"""url_has_allowed_host_and_scheme: the check that keeps LoginView's ``next`` from being an open redirect.

Every row's answers were computed once with Django 5.2's function, for the
hosts {"testserver", "testserver:8000"}, without and with ``require_https``.
A row that fails names the URL a browser would have been sent to.
"""

from urllib.parse import urlsplit

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tinyframe.utils.http import MAX_URL_LENGTH, url_has_allowed_host_and_scheme

HOSTS = {"testserver", "testserver:8000"}

# (url, allowed over http, allowed with require_https)
ROWS = [
    ('//evil.example', False, False),
    ('https:evil.example', False, False),
    ('http:evil.example', False, False),
    ('\\\\evil.example', False, False),
    ('/\\evil.example', False, False),
    ('\\/evil.example', False, False),
    ('/\\/evil.example', False, False),
    ('http:\\\\evil.example', False, False),
    ('http:/evil.example', False, False),
    ('javascript:alert(1)', False, False),
    ('JavaScript:alert(1)', False, False),
    ('data:text/html,<script>alert(1)</script>', False, False),
    ('vbscript:msgbox(1)', False, False),
    ('\x08//evil.example', False, False),
    ('\x00//evil.example', False, False),
    ('\x7f//evil.example', False, False),
    ('\u200b//evil.example', False, False),
    ('\ufeff//evil.example', False, False),
    (' //evil.example', False, False),
    ('\t//evil.example', False, False),
    ('\n//evil.example', False, False),
    ('/\t/evil.example', False, False),
    ('/\n/evil.example', False, False),
    ('///evil.example', False, False),
    ('////evil.example', False, False),
    ('http:///evil.example', False, False),
    ('https://evil.example/', False, False),
    ('http://evil.example@testserver/', False, False),
    ('http://testserver@evil.example/', False, False),
    ('http://testserver\\@evil.example/', False, False),
    ('//évil.example', False, False),
    ('https://testsérver/', False, False),
    ('http://[::1', False, False),
    ('ftp://testserver/', False, False),
    ('mailto:admin@testserver', False, False),
    ('http://testserver:9000/', False, False),
    ('/', True, True),
    ('/profile/', True, True),
    ('/search/?q=//evil.example', True, True),
    ('./next/', True, True),
    ('../next/', True, True),
    ('?tab=2', True, True),
    ('#top', True, True),
    ('http://testserver/', True, False),
    ('https://testserver/account/', True, True),
    ('//testserver/', True, False),
    ('http://testserver:8000/', True, False),
    (' /profile/ ', True, True),
    ('', False, False),
    ('   ', False, False),
    (None, False, False),
]


def test_every_url_is_judged_as_django_judges_it(check_rows):
    def check(url, allowed, allowed_over_https):
        got = url_has_allowed_host_and_scheme(url, HOSTS)
        assert got is allowed, f"url_has_allowed_host_and_scheme({url!r}, {HOSTS}) returned {got}, expected {allowed}"
        got = url_has_allowed_host_and_scheme(url, HOSTS, require_https=True)
        assert got is allowed_over_https, (
            f"url_has_allowed_host_and_scheme({url!r}, {HOSTS}, require_https=True) returned {got}, "
            f"expected {allowed_over_https}"
        )

    check_rows(ROWS, check)


def test_a_url_longer_than_max_url_length_is_refused_unread():
    assert MAX_URL_LENGTH == 2048
    assert url_has_allowed_host_and_scheme("/" + "a" * (MAX_URL_LENGTH - 1), HOSTS) is True
    assert url_has_allowed_host_and_scheme("/" + "a" * MAX_URL_LENGTH, HOSTS) is False


@pytest.mark.parametrize("allowed_hosts", [None, set(), "elsewhere.example"])
def test_with_no_matching_host_only_paths_pass(allowed_hosts):
    assert url_has_allowed_host_and_scheme("/profile/", allowed_hosts) is True
    assert url_has_allowed_host_and_scheme("http://testserver/", allowed_hosts) is False


def test_allowed_hosts_may_be_one_host_as_a_string():
    assert url_has_allowed_host_and_scheme("https://testserver/", "testserver") is True
    # A string is one host, not a collection of characters.
    assert url_has_allowed_host_and_scheme("http://t/", "testserver") is False


def test_hosts_are_compared_exactly_ports_and_case_included():
    assert url_has_allowed_host_and_scheme("http://TESTSERVER/", {"testserver"}) is False
    assert url_has_allowed_host_and_scheme("http://testserver:8000/", {"testserver"}) is False
    assert url_has_allowed_host_and_scheme("http://testserver:8000/", {"testserver:8000"}) is True


# The pieces open redirects are made of, so that hypothesis tries them often.
URL_PIECES = st.sampled_from(["/", "\\", ":", "@", "http", "https", "javascript", "evil.example", "testserver",
                              " ", "\t", "\n", "\x08", "\x00", "?", "#", "%2F", "[", "]", "\u2028", "é"])


@settings(max_examples=50, deadline=None)
@given(st.lists(URL_PIECES | st.text(max_size=2), max_size=8).map("".join))
def test_an_allowed_url_never_leads_to_another_host(url):
    """Whatever the URL, if it is allowed, neither reading a browser may make of it names a foreign host or scheme."""
    if not url_has_allowed_host_and_scheme(url, {"testserver"}):
        return
    for reading in (url.strip(), url.strip().replace("\\", "/")):
        parts = urlsplit(reading)
        assert parts.netloc in ("", "testserver"), f"{url!r} was allowed but leads to {parts.netloc!r}"
        assert parts.scheme in ("", "http", "https"), f"{url!r} was allowed with the scheme {parts.scheme!r}"
        assert not reading.startswith("///"), f"{url!r} was allowed: a browser reads a host after ///"
        assert reading[0].isprintable(), f"{url!r} was allowed though it starts with a control character"
