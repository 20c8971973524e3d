"""Checking the Host header against ALLOWED_HOSTS.

How it works: ``HttpRequest.get_host`` passes the raw Host header (with its
port) and the patterns of ALLOWED_HOSTS to ``check_host``, which splits off
the port and normalises the domain (``split_domain_port``: lower case, one
trailing dot dropped, '' for anything that is not a host name or an address),
then matches the domain against each pattern (``validate_host``):

    "Blog.Example.com:8000" -> split_domain_port -> ("blog.example.com", "8000")
                            -> validate_host(..., [".example.com"]) -> True

Why it matters: a site builds absolute links (password resets, redirects)
from the Host header, which the client chooses. A host the site does not
serve is refused before any view runs.
"""

import functools
import re

# A host is a DNS name or an IPv4 address, or an IPv6 address in brackets,
# optionally followed by a port.
HOST_VALIDATION_RE = re.compile(r"([a-z0-9.-]+|\[[a-f0-9]*:[a-f0-9.:]+\])(?::([0-9]+))?")


def split_domain_port(host: str) -> tuple[str, str]:
    """Split a Host header into (domain, port), lower-cased; ('', '') when it is not a valid host.

    One trailing dot on the domain is dropped ('example.com.' is the fully
    qualified 'example.com'), and only one; an IPv6 address keeps its brackets.

    >>> split_domain_port("Example.com:8000")
    ('example.com', '8000')
    >>> split_domain_port("[::1]:8000")
    ('[::1]', '8000')
    >>> split_domain_port("example.com.")
    ('example.com', '')
    >>> split_domain_port("example.com..")
    ('example.com.', '')
    >>> split_domain_port("bad host!")
    ('', '')
    """
    match = HOST_VALIDATION_RE.fullmatch(host.lower())
    if not match:
        return "", ""
    domain, port = match.groups(default="")
    return domain.removesuffix("."), port


# Speed (tests/benchmarks/requests.py): a site sees the same few Hosts over and
# over, and each request checks its Host twice (the handler, CommonMiddleware);
# remembering the answers skips the regex and the pattern loop. The key holds
# the patterns themselves, so a change to ALLOWED_HOSTS is a new question.
@functools.lru_cache(maxsize=128)
def check_host(host: str, allowed_hosts: tuple[str, ...]) -> tuple[str, bool]:
    """``(domain, whether it is allowed)`` for a Host header: split_domain_port, then validate_host.

    >>> check_host("Blog.example.com:8000", (".example.com",))
    ('blog.example.com', True)
    >>> check_host("evil.net", (".example.com",))
    ('evil.net', False)
    >>> check_host("bad host!", ("*",))
    ('', False)
    """
    domain, _ = split_domain_port(host)
    return domain, bool(domain) and validate_host(domain, allowed_hosts)


def validate_host(host: str, allowed_hosts: list[str]) -> bool:
    """Whether ``host`` (a domain, without port) matches a pattern in ``allowed_hosts``.

    A pattern is '*' (any host), '.example.com' (example.com and all its
    subdomains) or an exact name. Matching ignores case. ``host`` comes from
    ``split_domain_port``, which already dropped the one trailing dot a fully
    qualified name may have; a dot still there is part of the name, so
    'example.com..' (sent as the Host) does not pass for 'example.com'.

    >>> validate_host("www.example.com", [".example.com"])
    True
    >>> validate_host("example.com", [".example.com"])
    True
    >>> validate_host("evil-example.com", [".example.com"])
    False
    >>> validate_host("EXAMPLE.com", ["example.com"])
    True
    >>> validate_host("example.com.", ["example.com"])
    False
    >>> validate_host("anything", ["*"])
    True
    """
    host = host.lower()
    for pattern in allowed_hosts:
        pattern = pattern.lower()
        if pattern == "*" or pattern == host:
            return True
        if pattern.startswith(".") and (host.endswith(pattern) or host == pattern[1:]):
            return True
    return False
