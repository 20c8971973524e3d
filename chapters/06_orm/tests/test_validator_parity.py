"""E-mail and URL validators, and IP addresses.

Every expected verdict, message and code is what Django 5.2 gives for the
same value or model (checked side by side when these tests were written).
"""

from tinyframe.core.exceptions import ValidationError


def accepts(validator, value) -> bool:
    try:
        validator(value)
    except ValidationError:
        return False
    return True


EMAILS = [
    # The local part: dot-separated atoms, or a quoted string of printable ASCII (a space only escaped).
    ('"johndoe"@example.com', True), ('"john..doe"@example.com', True), ('""@example.com', True),
    ('"a\\ b"@example.com', True), ('"a b"@example.com', False), ('"a"b"@example.com', False),
    ('"a\\"b"@example.com', True), ("a.b+tag@example.com", True), ("a..b@example.com", False),
    (".a@example.com", False), ("a.@example.com", False), ("ü@example.com", False),
    # The domain: labels, then a top-level domain of letters and inner hyphens, or punycode.
    ("a@ex.co-uk", True), ("a@example.com.", False), ("a@ex.c1", False), ("a@ex.123", False),
    ("a@ex.-co", False), ("a@ex.co-", False), ("a@ex.c", False), ("a@ex.xn--p1ai", True),
    ("a@1.2.3.4", False), ("a@-ex.com", False), ("a@ex-.com", False), ("a@a_b.com", False),
    ("a@" + "x" * 63 + ".com", True), ("a@" + "x" * 64 + ".com", False), ("a@ex." + "x" * 64, False),
    # Any script, as typed: letters beyond U+00A1 count as letters, even in the top-level domain.
    ("a@müller.de", True), ("a@xn--mller-kva.de", True), ("a@пример.рф", True), ("a@ex.٣٣", True),
    ("a@ex.ü", False), ("a@😀.com", False),
    # Addresses in brackets: IPv4 or IPv6, without "IPv6:" or a zone.
    ("a@[127.0.0.1]", True), ("a@[::1]", True), ("a@[::ffff:1.2.3.4]", True), ("a@[IPv6:::1]", False),
    ("a@[256.1.1.1]", False), ("a@[1.2.3]", False), ("a@[fe80::1%eth0]", False),
    ("a@[0000:0000:0000:0000:0000:ffff:255.255.255.255]", False),
    # The allowlist, exactly as written; the whole address at most 320 characters (here 320, then 321).
    ("a@localhost", True), ("a@LOCALHOST", False), ("a@localhost.", False),
    ("a" * 64 + "@" + "b" * 59 + "." + "c" * 63 + "." + "d" * 63 + "." + "e" * 63 + ".com", True),
    ("a" * 64 + "@" + "b" * 59 + "." + "c" * 63 + "." + "d" * 63 + "." + "e" * 63 + ".comm", False),
]  # fmt: skip

URLS = [
    # user[:password]@: no colon in the user, no second colon, no empty user.
    ("http://u:p@example.com", True), ("http://u:@example.com", True), ("http://u@example.com", True),
    ("http://:@example.com", False), ("http://:p@example.com", False), ("http://u:p:q@example.com", False),
    ("http://u@v@example.com", False), ("http://u p@example.com", False),
    # "?" and "#" may end the host before an "@": what follows is the query or fragment.
    ("http://example.com?x@bad_host", True), ("http://example.com#x@bad_host", True),
    # The host: a name (a trailing dot allowed here), localhost, IPv4, or IPv6 in brackets without a zone.
    ("http://example.co-uk", True), ("http://example.com.", True), ("http://example.com..", False),
    ("http://localhost.", False), ("http://LOCALHOST:8000/", True), ("http://ex.c1", False),
    ("http://müller.de/", True), ("http://a\u3000b.com", True), ("http://ex.com/\u00a0", False),
    ("http://[fe80::1%eth0]/", False), ("http://[::1]:80/", True), ("http://u@[1.2.3.4]/", False),
    ("http://[0000:0000:0000:0000:0000:ffff:255.255.255.255]/", False), ("http://1.2.3.04/", False),
    ("http://1.2.3.255/", True), ("http://1.2.3.256/", False), ("http://[::1]x/", False),
    ("http://ex.com:/", False), ("http://ex.com:123456/", False), ("http://ex.com:99999/", True),
    # A host name of at most 253 characters (here 253, then 254).
    ("http://" + "a" * 63 + "." + "b" * 63 + "." + "c" * 63 + "." + "d" * 57 + ".com", True),
    ("http://" + "a" * 63 + "." + "b" * 63 + "." + "c" * 63 + "." + "d" * 58 + ".com", False),
]  # fmt: skip


def test_email_validator_judges_addresses_as_django_does(check_rows):
    from tinyframe.core.validators import EmailValidator, validate_email

    def check(value, valid):
        assert accepts(validate_email, value) == valid, (
            f"validate_email({value!r}) should be {'accepted' if valid else 'refused'}")

    check_rows(EMAILS, check)
    assert accepts(EmailValidator(allowlist=["intranet"]), "a@intranet")
    assert not accepts(EmailValidator(allowlist=["intranet"]), "a@localhost")


def test_url_validator_judges_urls_as_django_does(check_rows):
    from tinyframe.core.validators import URLValidator

    validator = URLValidator()

    def check(value, valid):
        assert accepts(validator, value) == valid, (
            f"URLValidator()({value!r}) should be {'accepted' if valid else 'refused'}")

    check_rows(URLS, check)


def test_ipv6_validator_refuses_more_than_39_characters():
    from tinyframe.core.validators import validate_ipv6_address, validate_ipv46_address

    long_form = "0000:0000:0000:0000:0000:ffff:255.255.255.255"
    assert not accepts(validate_ipv6_address, long_form), f"{long_form!r} has 45 characters, over Django's 39"
    assert not accepts(validate_ipv46_address, long_form)
    assert accepts(validate_ipv6_address, "::ffff:255.255.255.255")
    assert accepts(validate_ipv6_address, "fe80::1%eth0"), "a zone is part of an IPv6 address, outside a URL"
