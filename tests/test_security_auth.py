"""The example site attacked: what an attacker sees, and that nothing was written or changed.

Every test here goes through the site's real settings (``tutorials/site/
mysite/settings.py``: its apps, its middleware in Django's order, its
templates, its URLs and views) with the test client, a browser that keeps
cookies and obeys CSRF (``enforce_csrf_checks=True``): the attacks of
chapter 10's issue, one by one.

- Cross-site request forgery: a POST without a token, with another user's
  token, with a token from another site, from a bad ``Origin``, a cross-site
  or missing ``Referer`` over HTTPS, and PUT / PATCH / DELETE, against every
  form of the site (a comment, signing up, in and out, changing a password):
  each a 403 that says why, and nothing written.
- Sessions: a forged or tampered session cookie is an anonymous visitor; a
  session key planted before sign-in does not survive it (fixation); a
  session dies at sign-out, and every other session of a user when the
  password changes.
- User enumeration: a wrong username and a wrong password get the same page,
  and both run the password hasher once.
- Open redirects: no ``next=`` sends a visitor to another site.
- Passwords are never in a page, a log record, the DEBUG error page, a
  ``repr`` or the database.
- Signing out by GET is refused; only signed-in visitors comment, under
  their own name.

Two settings differ from the site's, for the tests' sake: the database is
this process's in-memory one, built by the site's migrations (as ``manage.py
test`` builds it), and passwords are hashed by PBKDF2 at a thousand
iterations instead of a million, through a hasher that counts its runs.
"""

import html
import logging
import pathlib
import re
import sys
import types

import pytest

ROOT = pathlib.Path(__file__).resolve().parent.parent
SITE = ROOT / "tutorials" / "site"
PASSWORD = "tiny-frame-2026-pass"
OTHER_PASSWORD = "another-Secret-7731"
POST_URL = "/posts/hello-wsgi/"
TOKEN = re.compile(r'<input type="hidden" name="csrfmiddlewaretoken" value="([^"]+)">')
SIGNED_IN = re.compile(r"Signed in as <strong>([^<]*)</strong>")
FORBIDDEN = "CSRF verification failed. Request aborted."


# --- The site, loaded in this process -----------------------------------------------------------------------------


# The password hasher's runs, one "encode" or "verify" each, appended by CountingHasher.
HASHER_RUNS: list[str] = []


def counting_hasher_module() -> types.ModuleType:
    """A module holding ``CountingHasher``: PBKDF2-SHA256 at 1,000 iterations, recording every run."""
    from tinyframe.contrib.auth.hashers import PBKDF2PasswordHasher

    class CountingHasher(PBKDF2PasswordHasher):
        iterations = 1000
        verifying = False

        def encode(self, password, salt, iterations=None):
            if not self.verifying:  # verify() hashes through encode(): one run, counted once
                HASHER_RUNS.append("encode")
            return super().encode(password, salt, iterations)

        def verify(self, password, encoded):
            HASHER_RUNS.append("verify")
            self.verifying = True
            try:
                return super().verify(password, encoded)
            finally:
                self.verifying = False

    module = types.ModuleType("site_attack_hashers")
    module.CountingHasher = CountingHasher
    return module


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    """The example site's settings over this process's, and a database its migrations made; undone afterwards.

    The database is a test database in a file of its own (``TEST["NAME"]``),
    so that the process's in-memory one, which other tests use, is left alone.
    """
    from tinyframe.db import connection
    from tinyframe.test.utils import override_settings

    sys.path.insert(0, str(SITE))
    sys.modules["site_attack_hashers"] = counting_hasher_module()
    import mysite.settings as site_settings

    values = {name: getattr(site_settings, name) for name in dir(site_settings) if name.isupper()}
    del values["DATABASES"]
    values["PASSWORD_HASHERS"] = ["site_attack_hashers.CountingHasher"]
    override = override_settings(**values)
    override.enable()
    old_name, old_test = connection.settings_dict["NAME"], connection.settings_dict.get("TEST")
    connection.settings_dict["TEST"] = {"NAME": str(tmp_path_factory.mktemp("attacked-site") / "db.sqlite3")}
    try:
        connection.creation.create_test_db(verbosity=0, autoclobber=True)
        yield site_settings
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)
        connection.settings_dict["TEST"] = old_test
        override.disable()
        sys.path.remove(str(SITE))
        for name in list(sys.modules):
            if name.split(".")[0] in {"blog", "mysite", "site_attack_hashers"}:
                del sys.modules[name]


@pytest.fixture(autouse=True)
def rolled_back(site):
    """Each test in a transaction rolled back afterwards: the next starts from the migrated site."""
    from tinyframe.db import transaction

    HASHER_RUNS.clear()
    with transaction.atomic():
        yield
        transaction.set_rollback(True)


@pytest.fixture
def alice(site):
    """A user, ``alice``, with the password ``PASSWORD``."""
    from tinyframe.contrib.auth import get_user_model

    return get_user_model().objects.create_user("alice", password=PASSWORD)


@pytest.fixture
def mallory(site):
    """The attacker's own account on the site: ``mallory``, with ``OTHER_PASSWORD``."""
    from tinyframe.contrib.auth import get_user_model

    return get_user_model().objects.create_user("mallory", password=OTHER_PASSWORD)


def browser(**options):
    """A new browser: a test client that keeps cookies and, like the real site, enforces CSRF."""
    from tinyframe.test import Client

    return Client(enforce_csrf_checks=True, **options)


def token_of(response) -> str:
    """The CSRF token the page's first form carries."""
    match = TOKEN.search(response.content.decode())
    assert match, f"no CSRF token in the page:\n{response.content.decode()[:2000]}"
    return match.group(1)


def sign_in(client, username: str, password: str, **extra):
    """Open the sign-in page, then submit it as a browser does (with its token); the response to the POST."""
    page = client.get("/accounts/login/")
    return client.post("/accounts/login/", {"csrfmiddlewaretoken": token_of(page), "username": username,
                                            "password": password, **extra})


def signed_in_as(client) -> str | None:
    """The username the header shows on the front page, or None when it offers to sign in."""
    body = client.get("/").content.decode()
    match = SIGNED_IN.search(body)
    if match is None:
        assert 'href="/accounts/login/' in body, "an anonymous visitor's header links to the sign-in page"
        return None
    return html.unescape(match.group(1))


def counts() -> dict:
    """How many users, comments and sessions the database holds."""
    from blog.models import Comment
    from tinyframe.contrib.auth import get_user_model
    from tinyframe.contrib.sessions.models import Session

    return {"users": get_user_model().objects.count(), "comments": Comment.objects.count(),
            "sessions": Session.objects.count()}


def session_key(client) -> str | None:
    morsel = client.cookies.get("sessionid")
    return morsel.value if morsel is not None and morsel.value else None


# --- Cross-site request forgery -----------------------------------------------------------------------------------


def another_sites_token() -> str:
    """A well-formed token of a secret this site never issued, as another site (or another install) would make."""
    from tinyframe.middleware.csrf import _get_new_csrf_string, _mask_cipher_secret

    return _mask_cipher_secret(_get_new_csrf_string())


# What each form posts when a browser submits it, and what must not have changed after a refusal.
FORMS = {
    "comment": (POST_URL, {"body": "Forged comment."}),
    "sign-up": ("/accounts/signup/", {"username": "forged", "password1": PASSWORD, "password2": PASSWORD}),
    "sign-in": ("/accounts/login/", {"username": "mallory", "password": OTHER_PASSWORD}),
    "sign-out": ("/accounts/logout/", {}),
    "password change": ("/accounts/password_change/", {"old_password": PASSWORD, "new_password1": OTHER_PASSWORD,
                                                       "new_password2": OTHER_PASSWORD}),
}

# How the forged request differs from the browser's own: (name, change to the data and headers, the reason shown).
FORGERIES = [
    ("no token", lambda token, mallory_token: {}, "CSRF token missing."),
    ("another user's token", lambda token, mallory_token: {"csrfmiddlewaretoken": mallory_token},
     "CSRF token from POST incorrect."),
    ("another site's token", lambda token, mallory_token: {"csrfmiddlewaretoken": another_sites_token()},
     "CSRF token from POST incorrect."),
    ("a token too short", lambda token, mallory_token: {"csrfmiddlewaretoken": token[:-1]},
     "CSRF token from POST has incorrect length."),
    ("a token with characters outside the alphabet", lambda token, mallory_token: {"csrfmiddlewaretoken": "!" * 64},
     "CSRF token from POST has invalid characters."),
    ("a bad Origin", lambda token, mallory_token: {"csrfmiddlewaretoken": token, "HTTP_ORIGIN": "https://evil.example"},
     "Origin checking failed - https://evil.example does not match any trusted origins."),
    ("Origin: null", lambda token, mallory_token: {"csrfmiddlewaretoken": token, "HTTP_ORIGIN": "null"},
     "Origin checking failed - null does not match any trusted origins."),
    ("a cross-site Referer over HTTPS",
     lambda token, mallory_token: {"csrfmiddlewaretoken": token, "HTTP_REFERER": "https://evil.example/page",
                                   "secure": True},
     "Referer checking failed - https://evil.example/page does not match any trusted origins."),
    ("no Referer over HTTPS", lambda token, mallory_token: {"csrfmiddlewaretoken": token, "secure": True},
     "Referer checking failed - no Referer."),
]


def state_of(client) -> dict:
    """What a forged request must not change: the rows, the comments' text, who the victim is signed in as."""
    from blog.models import Comment
    from tinyframe.contrib.auth import get_user_model

    return {**counts(), "comment bodies": sorted(Comment.objects.values_list("body", flat=True)),
            "password hashes": sorted(get_user_model().objects.values_list("password", flat=True)),
            "signed in as": signed_in_as(client)}


@pytest.mark.parametrize("form", FORMS)
@pytest.mark.parametrize("name, forge, reason", FORGERIES, ids=[row[0] for row in FORGERIES])
def test_a_forged_post_is_a_403_that_says_why_and_changes_nothing(form, name, forge, reason, alice, mallory):
    victim = browser()
    sign_in(victim, "alice", PASSWORD)
    token = token_of(victim.get(POST_URL))
    attacker = browser()
    sign_in(attacker, "mallory", OTHER_PASSWORD)
    mallory_token = token_of(attacker.get(POST_URL))
    url, data = FORMS[form]
    before = state_of(victim)
    extra = forge(token, mallory_token)
    secure = extra.pop("secure", False)
    fields = {key: value for key, value in extra.items() if not key.startswith("HTTP_")}
    headers = {key: value for key, value in extra.items() if key.startswith("HTTP_")}
    response = victim.post(url, {**data, **fields}, secure=secure, **headers)
    assert response.status_code == 403, f"{name} against the {form} form: {response.status_code}, expected 403"
    body = response.content.decode()
    assert FORBIDDEN in body and reason in body, f"the 403 page (DEBUG) should say {reason!r}:\n{body[:1500]}"
    assert state_of(victim) == before, f"{name} against the {form} form changed something"


def test_a_post_with_no_csrf_cookie_is_refused(alice):
    """A page of another site submits the form: the browser has no CSRF cookie of this site's to send."""
    victim = browser()
    sign_in(victim, "alice", PASSWORD)
    del victim.cookies["csrftoken"]
    before = counts()
    response = victim.post(POST_URL, {"csrfmiddlewaretoken": another_sites_token(), "body": "Forged."})
    assert response.status_code == 403 and "CSRF cookie not set." in response.content.decode()
    assert counts() == before


@pytest.mark.parametrize("method", ["put", "patch", "delete"])
def test_put_patch_and_delete_without_a_token_are_refused_before_any_view_runs(method, alice):
    victim = browser()
    sign_in(victim, "alice", PASSWORD)
    before = state_of(victim)
    for url in (POST_URL, "/accounts/logout/", "/accounts/signup/", "/"):
        response = getattr(victim, method)(url, "body=Forged.", content_type="application/x-www-form-urlencoded")
        assert response.status_code == 403, f"{method.upper()} {url}: {response.status_code}"
        assert "CSRF token missing." in response.content.decode()
    assert state_of(victim) == before


def test_the_browsers_own_forms_carry_their_token_and_are_accepted(alice):
    client = browser()
    assert token_of(client.get("/accounts/login/")) and token_of(client.get("/accounts/signup/"))
    response = sign_in(client, "alice", PASSWORD)
    assert (response.status_code, response["Location"]) == (302, "/")
    page = client.get(POST_URL)
    assert page.content.decode().count('name="csrfmiddlewaretoken"') == 2, "the comment form and the sign-out form"
    response = client.post(POST_URL, {"csrfmiddlewaretoken": token_of(page), "body": "Mine."})
    assert response.status_code == 302
    response = client.post("/accounts/logout/", {"csrfmiddlewaretoken": token_of(client.get("/"))})
    assert (response.status_code, response["Location"]) == (302, "/")
    assert signed_in_as(client) is None


def test_signing_in_rotates_the_csrf_secret(alice, mallory):
    """A token read before signing in (by a script on a shared computer, say) is dead after it."""
    client = browser()
    page = client.get("/accounts/login/")
    old_token, old_secret = token_of(page), client.cookies["csrftoken"].value
    client.post("/accounts/login/", {"csrfmiddlewaretoken": old_token, "username": "alice", "password": PASSWORD})
    assert client.cookies["csrftoken"].value != old_secret
    before = counts()
    response = client.post(POST_URL, {"csrfmiddlewaretoken": old_token, "body": "With the old token."})
    assert response.status_code == 403 and "CSRF token from POST incorrect." in response.content.decode()
    assert counts() == before


# --- Sessions -----------------------------------------------------------------------------------------------------


def test_the_session_cookie_is_http_only_and_same_site(alice):
    client = browser()
    sign_in(client, "alice", PASSWORD)
    cookie = client.cookies["sessionid"]
    assert (cookie["httponly"], cookie["samesite"], cookie["path"]) == (True, "Lax", "/")
    assert len(cookie.value) == 32 and cookie.value.isalnum()


@pytest.mark.parametrize("forged", ["a" * 32, "0123456789abcdefghijklmnopqrstuv", "x", "' OR 1=1 --", "../" * 12])
def test_a_forged_session_cookie_is_an_anonymous_visitor(forged, alice):
    client = browser()
    sign_in(client, "alice", PASSWORD)
    client.cookies["sessionid"] = forged
    before = counts()
    assert signed_in_as(client) is None
    # A valid token (an anonymous page has none: the sign-in page's), so that only the session decides.
    token = token_of(client.get("/accounts/login/"))
    response = client.post(POST_URL, {"csrfmiddlewaretoken": token, "body": "Forged."})
    assert (response.status_code, response["Location"]) == (302, "/accounts/login/?next=/posts/hello-wsgi/")
    assert counts() == before


def test_a_tampered_session_cookie_is_an_anonymous_visitor(alice):
    client = browser()
    sign_in(client, "alice", PASSWORD)
    key = session_key(client)
    for position in (0, 15, 31):
        tampered = key[:position] + ("b" if key[position] != "b" else "c") + key[position + 1:]
        client.cookies["sessionid"] = tampered
        assert signed_in_as(client) is None, f"the key with character {position} changed is not alice's session"
    client.cookies["sessionid"] = key
    assert signed_in_as(client) == "alice", "the real key still is"


def test_signed_cookie_sessions_tampered_or_forged_are_anonymous(alice):
    """With the session in the cookie itself (SESSION_ENGINE signed_cookies), its signature is what guards it."""
    from tinyframe.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from tinyframe.contrib.sessions.backends.signed_cookies import SessionStore
    from tinyframe.core import signing
    from tinyframe.test.utils import override_settings

    with override_settings(SESSION_ENGINE="tinyframe.contrib.sessions.backends.signed_cookies"):
        client = browser()
        sign_in(client, "alice", PASSWORD)
        genuine = session_key(client)
        assert signed_in_as(client) == "alice"
        claims = {SESSION_KEY: str(alice.pk), BACKEND_SESSION_KEY: "tinyframe.contrib.auth.backends.ModelBackend"}
        # A payload changed by one character; one signed with a guessed key; one signed with the site's key
        # (leaked, say) but without the HMAC of alice's password hash that a real sign-in stores.
        payload, _, rest = genuine.partition(":")
        flipped = payload[:-1] + ("A" if payload[-1] != "A" else "B")
        store = SessionStore()
        store.update({**claims, HASH_SESSION_KEY: "0" * 64})
        store.save()
        guessed = signing.dumps({**claims, HASH_SESSION_KEY: "0" * 64}, key="example-site-not-secret",
                                salt=SessionStore.__module__, compress=True)
        for name, value in [("tampered", f"{flipped}:{rest}"), ("signed with a guessed key", guessed),
                            ("without the password hash's HMAC", store.session_key)]:
            client.cookies["sessionid"] = value
            assert signed_in_as(client) is None, f"a session cookie {name} signed the visitor in"
        client.cookies["sessionid"] = genuine
        assert signed_in_as(client) == "alice"


def test_a_session_key_planted_before_sign_in_does_not_survive_it(alice):
    """Session fixation: the attacker makes a session, plants its key in the victim's browser, waits for sign-in."""
    from tinyframe.contrib.sessions.backends.db import SessionStore

    planted = SessionStore()
    planted["planted"] = True
    planted.create()
    victim = browser()
    victim.cookies["sessionid"] = planted.session_key
    sign_in(victim, "alice", PASSWORD)
    assert signed_in_as(victim) == "alice"
    assert session_key(victim) != planted.session_key, "signing in gives a new session key"
    attacker = browser()
    attacker.cookies["sessionid"] = planted.session_key
    assert signed_in_as(attacker) is None, "the planted key does not lead to alice's session"
    assert not SessionStore().exists(planted.session_key), "the planted session is gone"


def test_signing_in_over_another_users_session_starts_a_new_one(alice, mallory):
    """Mallory signs in on a shared computer and leaves; alice signs in there: mallory's session key is dead."""
    shared = browser()
    sign_in(shared, "mallory", OTHER_PASSWORD)
    mallorys_key = session_key(shared)
    sign_in(shared, "alice", PASSWORD)
    assert signed_in_as(shared) == "alice" and session_key(shared) != mallorys_key
    attacker = browser()
    attacker.cookies["sessionid"] = mallorys_key
    assert signed_in_as(attacker) is None


def test_a_session_dies_at_sign_out(alice):
    client = browser()
    sign_in(client, "alice", PASSWORD)
    stolen = session_key(client)
    client.post("/accounts/logout/", {"csrfmiddlewaretoken": token_of(client.get("/"))})
    assert signed_in_as(client) is None
    thief = browser()
    thief.cookies["sessionid"] = stolen
    assert signed_in_as(thief) is None, "a key copied before sign-out is worth nothing after it"


def test_changing_the_password_signs_out_every_other_session(alice):
    laptop, thief = browser(), browser()
    sign_in(laptop, "alice", PASSWORD)
    sign_in(thief, "alice", PASSWORD)
    page = laptop.get("/accounts/password_change/")
    response = laptop.post("/accounts/password_change/", {
        "csrfmiddlewaretoken": token_of(page), "old_password": PASSWORD,
        "new_password1": OTHER_PASSWORD, "new_password2": OTHER_PASSWORD,
    })
    assert (response.status_code, response["Location"]) == (302, "/accounts/password_change/done/")
    assert signed_in_as(laptop) == "alice", "the session that changed it stays signed in"
    assert signed_in_as(thief) is None, "every other session is signed out"


# --- User enumeration ---------------------------------------------------------------------------------------------


def failed_sign_in_page(username: str, password: str) -> tuple[int, str, list]:
    """A failed sign-in's status and page (the token and the typed username blanked) and the hasher's runs."""
    client = browser()
    page = client.get("/accounts/login/")
    HASHER_RUNS.clear()
    response = client.post("/accounts/login/", {"csrfmiddlewaretoken": token_of(page), "username": username,
                                                 "password": password})
    body = TOKEN.sub("TOKEN", response.content.decode()).replace(f'value="{username}"', 'value="USERNAME"')
    return response.status_code, body, list(HASHER_RUNS)


def test_a_wrong_username_and_a_wrong_password_get_the_same_page_and_the_same_work(alice):
    from tinyframe.contrib.auth import get_user_model

    get_user_model().objects.create_user("inactive", password=PASSWORD, is_active=False)
    unknown = failed_sign_in_page("nobody", PASSWORD)
    wrong_password = failed_sign_in_page("alice", PASSWORD + "x")
    inactive = failed_sign_in_page("inactive", PASSWORD)
    assert unknown[0] == wrong_password[0] == inactive[0] == 200
    assert ("Please enter a correct username and password. Note that both fields may be case-sensitive."
            in unknown[1])
    assert unknown[1] == wrong_password[1] == inactive[1], "the pages differ: they tell which usernames exist"
    assert unknown[2] == ["encode"] and wrong_password[2] == ["verify"] and inactive[2] == ["verify"], (
        f"the hasher ran {unknown[2]} for an unknown user and {wrong_password[2]} for a wrong password: "
        "an unknown username must cost one hash too, so that timing does not tell"
    )


# --- Open redirects -----------------------------------------------------------------------------------------------

HOSTILE_NEXT = [
    "//evil.example", "///evil.example", "////evil.example", "https://evil.example", "http://evil.example/",
    "https:evil.example", "https:/evil.example", "http:///evil.example", "\\\\evil.example", "/\\evil.example",
    "\\/evil.example", "/\\/evil.example", "javascript:alert(document.cookie)", "JavaScript:alert(1)",
    "\x08//evil.example", "\x00//evil.example", "\t//evil.example", "\n//evil.example", " //evil.example",
    "//evil.example/%2F..", "https://testserver@evil.example", "http://evil.example@testserver.evil.example",
    "//testserver.evil.example", "ftp://testserver/", "data:text/html,<script>alert(1)</script>",
    "https://évil.example", "/\t/evil.example", "//\\evil.example",
]


def test_no_next_sends_a_visitor_who_signs_in_to_another_site(alice):
    client = browser()
    for hostile in HOSTILE_NEXT:
        page = client.get("/accounts/login/", {"next": hostile})
        assert '<input type="hidden" name="next" value="">' in page.content.decode(), (
            f"the sign-in page kept next={hostile!r} for after signing in"
        )
        response = client.post("/accounts/login/", {"csrfmiddlewaretoken": token_of(page), "username": "alice",
                                                     "password": PASSWORD, "next": hostile})
        assert (response.status_code, response["Location"]) == (302, "/"), (
            f"signing in with next={hostile!r} led to {response['Location']!r}, expected the front page"
        )
        client.post("/accounts/logout/", {"csrfmiddlewaretoken": token_of(client.get("/"))})


def test_no_next_sends_a_new_user_or_one_signing_out_to_another_site(alice):
    client = browser()
    for number, hostile in enumerate(HOSTILE_NEXT):
        page = client.get("/accounts/signup/", {"next": hostile})
        assert '<input type="hidden" name="next" value="">' in page.content.decode()
        response = client.post("/accounts/signup/", {"csrfmiddlewaretoken": token_of(page), "next": hostile,
                                                      "username": f"newcomer{number}", "password1": PASSWORD,
                                                      "password2": PASSWORD})
        assert (response.status_code, response["Location"]) == (302, "/"), f"signing up with next={hostile!r}"
        response = client.post("/accounts/logout/", {"csrfmiddlewaretoken": token_of(client.get("/")),
                                                      "next": hostile})
        assert (response.status_code, response["Location"]) == (302, "/"), f"signing out with next={hostile!r}"


def test_a_next_on_this_site_is_followed(alice):
    client = browser()
    page = client.get("/accounts/login/", {"next": "/posts/hello-wsgi/#comment-form"})
    assert '<input type="hidden" name="next" value="/posts/hello-wsgi/#comment-form">' in page.content.decode()
    response = client.post("/accounts/login/", {"csrfmiddlewaretoken": token_of(page), "username": "alice",
                                                 "password": PASSWORD, "next": "/posts/hello-wsgi/#comment-form"})
    assert response["Location"] == "/posts/hello-wsgi/#comment-form"


# --- Passwords are never shown ------------------------------------------------------------------------------------


def test_a_password_is_never_in_a_page_a_log_record_or_the_database(alice, caplog):
    from tinyframe.db import connection

    caplog.set_level(logging.DEBUG)
    secret = "Unguessable-Sesame-4821"
    client = browser()
    pages = []
    page = client.get("/accounts/signup/")
    pages.append(client.post("/accounts/signup/", {"csrfmiddlewaretoken": token_of(page), "username": "bob",
                                                   "password1": secret, "password2": secret + "!"}))
    pages.append(client.post("/accounts/signup/", {"csrfmiddlewaretoken": token_of(page), "username": "bob",
                                                   "password1": "bob12", "password2": "bob12"}))
    pages.append(client.post("/accounts/signup/", {"csrfmiddlewaretoken": token_of(page), "username": "bob",
                                                   "password1": secret, "password2": secret}))
    pages.append(client.post("/accounts/logout/", {"csrfmiddlewaretoken": token_of(client.get("/"))}))
    pages.append(sign_in(client, "bob", secret + "-wrong"))
    pages.append(sign_in(client, "nobody", secret))
    pages.append(client.post("/accounts/login/", {"username": "bob", "password": secret}))  # no token: 403, logged
    pages.append(sign_in(client, "bob", secret))
    pages.append(client.get("/"))
    assert [page.status_code for page in pages] == [200, 200, 302, 302, 200, 200, 403, 302, 200]
    assert "The two password fields didn’t match." in pages[0].content.decode()
    assert "This password is too short. It must contain at least 8 characters." in pages[1].content.decode()
    for page in pages:
        assert secret not in page.content.decode(), f"the password is in a page:\n{page.content.decode()[:2000]}"
        assert "bob12" not in page.content.decode()
    for record in caplog.records:
        text = f"{record.getMessage()} {record.args!r} {record.exc_text} {vars(record)!r}"
        assert secret not in text, f"the password is in a log record: {text}"
    assert any("Forbidden (CSRF token missing.)" in record.getMessage() for record in caplog.records)
    with connection.cursor() as cursor:
        cursor.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
        for (table,) in cursor.fetchall():
            cursor.execute(f'SELECT * FROM "{table}"')
            assert secret not in repr(cursor.fetchall()), f"the password is in the table {table}"


def test_a_password_is_not_on_the_debug_error_page_nor_in_the_error_log(alice, caplog, monkeypatch):
    from tinyframe.contrib.auth.backends import ModelBackend
    from tinyframe.db.utils import OperationalError

    def fails(self, request, username=None, password=None, **kwargs):
        raise OperationalError("database is locked")

    monkeypatch.setattr(ModelBackend, "authenticate", fails)
    client = browser(raise_request_exception=False)
    response = sign_in(client, "alice", PASSWORD)
    body = response.content.decode()
    assert response.status_code == 500 and "database is locked" in body, "the DEBUG page for the error"
    assert PASSWORD not in body
    errors = [record for record in caplog.records if record.levelno >= logging.ERROR]
    assert errors, "the 500 is logged"
    for record in errors:
        assert PASSWORD not in f"{record.getMessage()} {record.exc_text} {vars(record)!r}"


def test_a_password_is_not_in_any_repr(alice):
    from tinyframe.contrib.auth.forms import AuthenticationForm, UserCreationForm
    from tinyframe.test import RequestFactory

    request = RequestFactory().post("/accounts/login/", {"username": "alice", "password": PASSWORD})
    login_form = AuthenticationForm(request, data=request.POST)
    assert login_form.is_valid()
    creation_form = UserCreationForm({"username": "carol", "password1": PASSWORD, "password2": PASSWORD})
    assert creation_form.is_valid()
    carol = creation_form.save()
    for thing in (alice, carol, login_form, creation_form, login_form.get_user(), request,
                  login_form.errors, creation_form.errors):
        assert PASSWORD not in repr(thing) and PASSWORD not in str(thing), f"the password in {type(thing)}"
    assert alice.password.startswith("pbkdf2_sha256$1000$") and PASSWORD not in alice.password


# --- Signing out, commenting --------------------------------------------------------------------------------------


def test_signing_out_by_get_is_refused(alice):
    """An <img src="/accounts/logout/"> on another site must not sign visitors out."""
    client = browser()
    sign_in(client, "alice", PASSWORD)
    response = client.get("/accounts/logout/")
    assert response.status_code == 405 and response["Allow"] == "POST, OPTIONS"
    assert signed_in_as(client) == "alice"


def test_the_header_signs_out_with_a_post_form_carrying_the_token(alice):
    client = browser()
    sign_in(client, "alice", PASSWORD)
    body = client.get("/").content.decode()
    form = body[body.index('<form method="post" action="/accounts/logout/">'):]
    form = form[:form.index("</form>")]
    assert 'name="csrfmiddlewaretoken"' in form and '<button type="submit">Sign out</button>' in form


def test_an_anonymous_visitor_cannot_comment(alice):
    client = browser()
    page = client.get(POST_URL)
    body = page.content.decode()
    assert '<textarea name="body"' not in body
    assert ('<a href="/accounts/login/?next=/posts/hello-wsgi/%23comment-form">Sign in</a> or '
            '<a href="/accounts/signup/?next=/posts/hello-wsgi/%23comment-form">sign up</a> to comment.') in body
    before = counts()
    # A valid token (the sign-in page's), as a page kept open since signing out would have.
    response = client.post(POST_URL, {"csrfmiddlewaretoken": token_of(client.get("/accounts/login/")),
                                      "name": "Anonymous", "body": "Let me in."})
    assert (response.status_code, response["Location"]) == (302, "/accounts/login/?next=/posts/hello-wsgi/")
    assert counts() == before


def test_a_comment_takes_its_name_from_the_account_whatever_is_posted(alice):
    from blog.models import Comment

    client = browser()
    sign_in(client, "alice", PASSWORD)
    page = client.get(POST_URL)
    assert "Commenting as <strong>alice</strong>." in page.content.decode()
    assert 'name="name"' not in page.content.decode(), "no name field: the account is the name"
    response = client.post(POST_URL, {"csrfmiddlewaretoken": token_of(page), "name": "The Editor",
                                      "body": "Signed, the editor."})
    assert response.status_code == 302
    comment = Comment.objects.get(body="Signed, the editor.")
    assert comment.name == "alice"
    assert "Thank you: your comment is posted." in client.get(POST_URL).content.decode()


def test_a_username_that_looks_like_html_is_refused_at_sign_up(site):
    client = browser()
    page = client.get("/accounts/signup/")
    before = counts()
    response = client.post("/accounts/signup/", {"csrfmiddlewaretoken": token_of(page),
                                                 "username": "<script>x</script>", "password1": PASSWORD,
                                                 "password2": PASSWORD})
    body = response.content.decode()
    assert response.status_code == 200 and "<script>x</script>" not in body
    assert ("Enter a valid username. This value may contain only letters, numbers, and @/./+/-/_ characters."
            in body)
    assert counts() == before
