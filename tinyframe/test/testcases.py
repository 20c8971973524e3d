"""``SimpleTestCase``: unittest's TestCase with a test client and assertions about responses.

How it works: before each test ``SimpleTestCase`` gives it a fresh
``self.client`` (of ``client_class``), and for a class decorated with
``override_settings`` it overrides the settings once around the whole class.
``assertContains`` / ``assertNotContains`` check a response's status, then
count a text in its content (with ``html=True`` after normalizing both as
HTML: attribute order, whitespace and ``<br/>`` versus ``<br>`` stop
mattering). ``assertRedirects`` checks a redirect's status and target and, by
default, that the target itself answers. Each failure message says what was
expected and shows what came back.
"""
# >>> 06_orm
# Chapter 06 adds the database test cases. ``TransactionTestCase`` adds
# ``assertNumQueries`` and nothing else: each test's changes stay in the
# database (Django's flushes every table after each test; tinyframe's
# leaves cleaning up to the test). ``TestCase`` wraps the whole class in one
# ``atomic`` block and each test in another, both rolled back, so every
# test starts from the data ``setUpTestData`` made, and that data is
# written once per class rather than once per test.
# <<< 06_orm

import html
import re
import unittest
from html.parser import HTMLParser
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit, urlunsplit

from tinyframe.conf import settings
from tinyframe.http import QueryDict
from tinyframe.http.hosts import split_domain_port, validate_host
from tinyframe.test.client import Client
# >>> 04_signals
from tinyframe.test.signals import TemplateRecorder
# <<< 04_signals
from tinyframe.test.utils import override_settings
# >>> 06_orm
import copy
from contextlib import contextmanager

from tinyframe.test.utils import CaptureQueriesContext

# tinyframe.db is imported where it is used, not here: importing it connects
# signal receivers, and the test tools must load even while the signals of
# chapter 04 are being rewritten by a learner.
DEFAULT_DB_ALIAS = "default"
# <<< 06_orm

__all__ = ["SimpleTestCase"]
# >>> 06_orm
__all__ += ["TestCase", "TransactionTestCase"]
# <<< 06_orm

# Separates the pieces of normalized HTML, so that a match cannot start or end
# in the middle of a tag or of a text.
_BOUNDARY = "\x00"


class _HTMLNormalizer(HTMLParser):
    """Rewrites HTML in one canonical form, one piece per tag or text."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.pieces = []

    def handle_starttag(self, tag, attrs):
        attributes = "".join(f' {name}="{html.escape(value or "")}"' for name, value in sorted(attrs))
        self.pieces.append(f"<{tag}{attributes}>")

    handle_startendtag = handle_starttag

    def handle_endtag(self, tag):
        self.pieces.append(f"</{tag}>")

    def handle_data(self, data):
        text = " ".join(data.split())
        if text:
            self.pieces.append(html.escape(text, quote=False))


def normalize_html(text: str) -> str:
    """HTML in a canonical form, for comparing documents whatever their formatting.

    >>> normalize_html('<p  class="b a" id=x>Hello\\n  world<br/></p>') == normalize_html(
    ...     '<p id="x" class="b a">Hello world<br></p>')
    True
    """
    parser = _HTMLNormalizer()
    parser.feed(text)
    parser.close()
    return _BOUNDARY + _BOUNDARY.join(parser.pieces) + _BOUNDARY


def count_html(needle: str, haystack: str) -> int:
    """How many times the HTML ``needle`` occurs in the HTML ``haystack``, whole tags and texts only.

    >>> count_html("<b>hi</b>", "<p><b>hi</b> and <b >hi</b></p>")
    2
    >>> count_html("hi", "<p>him</p>")
    0
    """
    core = normalize_html(needle).strip(_BOUNDARY)
    if not core:
        return 0
    pattern = f"(?<={_BOUNDARY}){re.escape(core)}(?={_BOUNDARY})"
    return len(re.findall(pattern, normalize_html(haystack)))


class SimpleTestCase(unittest.TestCase):
    """A TestCase for code that needs no database: a test client and response assertions."""

    client_class = Client
    _overridden_settings = None

    @classmethod
    def setUpClass(cls):
        """Apply the class's ``override_settings`` for all its tests; unittest undoes it after the last."""
        super().setUpClass()
        if cls._overridden_settings:
            cls.enterClassContext(override_settings(**cls._overridden_settings))

    def __call__(self, result=None):
        # Done here rather than in setUp, so that a test's own setUp need not
        # remember to call super().setUp() to get a client.
        self.client = self.client_class()
        return super().__call__(result)

    def _assert_contains(self, response, text, status_code, msg_prefix, html):
        if msg_prefix:
            msg_prefix += ": "
        self.assertEqual(
            response.status_code, status_code,
            f"{msg_prefix}Couldn't retrieve content: Response code was {response.status_code} "
            f"(expected {status_code})",
        )
        content = b"".join(response.streaming_content) if response.streaming else response.content
        content_repr = repr(content)
        if isinstance(text, bytes) and not html:
            text_repr = repr(text)
            real_count = content.count(text)
        else:
            text = str(text)
            text_repr = f"'{text}'"
            content = content.decode(response.charset)
            real_count = count_html(text, content) if html else content.count(text)
        return text_repr, real_count, msg_prefix, content_repr

    def assertContains(self, response, text, count: int | None = None, status_code: int = 200,
                       msg_prefix: str = "", html: bool = False):
        """Assert the response has ``status_code`` and ``text`` in its content (exactly ``count`` times if given)."""
        text_repr, real_count, msg_prefix, content_repr = self._assert_contains(
            response, text, status_code, msg_prefix, html)
        if count is not None:
            self.assertEqual(
                real_count, count,
                f"{msg_prefix}Found {real_count} instances of {text_repr} (expected {count}) in the "
                f"following response\n{content_repr}",
            )
        else:
            self.assertTrue(real_count != 0,
                            f"{msg_prefix}Couldn't find {text_repr} in the following response\n{content_repr}")

    def assertNotContains(self, response, text, status_code: int = 200, msg_prefix: str = "", html: bool = False):
        """Assert the response has ``status_code`` and ``text`` nowhere in its content."""
        text_repr, real_count, msg_prefix, content_repr = self._assert_contains(
            response, text, status_code, msg_prefix, html)
        self.assertEqual(real_count, 0,
                         f"{msg_prefix}{text_repr} unexpectedly found in the following response\n{content_repr}")

    def assertRedirects(self, response, expected_url: str, status_code: int = 302, target_status_code: int = 200,
                        msg_prefix: str = "", fetch_redirect_response: bool = True):
        """Assert the response redirects (``status_code``) to ``expected_url``, which answers ``target_status_code``.

        For a response fetched with ``follow=True`` the first hop's status and
        the final URL are checked; otherwise the target is fetched with the
        same client, unless ``fetch_redirect_response=False`` (for a target
        on another site, say).
        """
        if msg_prefix:
            msg_prefix += ": "
        if hasattr(response, "redirect_chain"):
            self.assertTrue(
                response.redirect_chain,
                f"{msg_prefix}Response didn't redirect as expected: Response code was {response.status_code} "
                f"(expected {status_code})",
            )
            first_status = response.redirect_chain[0][1]
            self.assertEqual(
                first_status, status_code,
                f"{msg_prefix}Initial response didn't redirect as expected: Response code was {first_status} "
                f"(expected {status_code})",
            )
            url = response.redirect_chain[-1][0]
            self.assertEqual(
                response.status_code, target_status_code,
                f"{msg_prefix}Response didn't redirect as expected: Final Response code was "
                f"{response.status_code} (expected {target_status_code})",
            )
        else:
            self.assertEqual(
                response.status_code, status_code,
                f"{msg_prefix}Response didn't redirect as expected: Response code was {response.status_code} "
                f"(expected {status_code})",
            )
            url = response["Location"]
            scheme, netloc, path, query, _ = urlsplit(url)
            if not path.startswith("/"):
                url = urljoin(response.request["PATH_INFO"], url)
                path = urljoin(response.request["PATH_INFO"], path)
            if fetch_redirect_response:
                domain, _port = split_domain_port(netloc)
                if domain and not validate_host(domain, settings.ALLOWED_HOSTS):
                    raise ValueError(
                        f"The test client is unable to fetch remote URLs (got {url}). If the host is served "
                        f"by tinyframe, add '{domain}' to ALLOWED_HOSTS. Otherwise, use "
                        f"assertRedirects(..., fetch_redirect_response=False)."
                    )
                client = response.client
                redirect_response = client.get(path, QueryDict(query), secure=(scheme == "https"),
                                               headers=client.headers or {}, **(client.extra or {}))
                self.assertEqual(
                    redirect_response.status_code, target_status_code,
                    f"{msg_prefix}Couldn't retrieve redirection page '{path}': response code was "
                    f"{redirect_response.status_code} (expected {target_status_code})",
                )
        self.assertURLEqual(url, expected_url, f"{msg_prefix}Response redirected to '{url}', expected "
                                               f"'{expected_url}'")

    def assertURLEqual(self, url1: str, url2: str, msg_prefix: str = ""):
        """Assert two URLs are equal, whatever the order of their query parameters (repeated names keep theirs)."""

        def normalize(url):
            scheme, netloc, path, query, fragment = urlsplit(str(url))
            query = urlencode(sorted(parse_qsl(query), key=lambda pair: pair[0]))
            return urlunsplit((scheme, netloc, path, query, fragment))

        if msg_prefix:
            msg_prefix += ": "
        self.assertEqual(normalize(url1), normalize(url2), f"{msg_prefix}Expected '{url1}' to equal '{url2}'.")
    # >>> 04_signals

    def assertTemplateUsed(self, response=None, template_name=None, msg_prefix: str = "", count: int | None = None):
        """Assert the response rendered ``template_name`` (exactly ``count`` times, if given).

        Given only a template name, it returns a context manager that checks
        the templates rendered inside the ``with`` block instead::

            with self.assertTemplateUsed("blog/post.html"):
                render_to_string("blog/post.html", {})
        """
        template_name, template_names = self._templates_used(response, template_name, "assertTemplateUsed")
        msg_prefix = f"{msg_prefix}: " if msg_prefix else ""
        if template_names is None:
            return TemplateRecorder(on_exit=lambda recorder: self._assert_template_used(
                template_name, recorder.template_names, msg_prefix, count))
        self._assert_template_used(template_name, template_names, msg_prefix, count)

    def assertTemplateNotUsed(self, response=None, template_name=None, msg_prefix: str = ""):
        """Assert the response did not render ``template_name``; with a name only, a context manager."""
        template_name, template_names = self._templates_used(response, template_name, "assertTemplateNotUsed")
        msg_prefix = f"{msg_prefix}: " if msg_prefix else ""
        if template_names is None:
            return TemplateRecorder(on_exit=lambda recorder: self._assert_template_not_used(
                template_name, recorder.template_names, msg_prefix))
        self._assert_template_not_used(template_name, template_names, msg_prefix)

    def _templates_used(self, response, template_name, method_name):
        """``(template name, names of the templates response rendered)``; names None: the ``with`` form."""
        if response is None and template_name is None:
            raise TypeError("response and/or template_name argument must be provided")
        if template_name is None and isinstance(response, str):
            return response, None
        if response is None:
            return template_name, None
        if not hasattr(response, "templates"):
            raise ValueError(f"{method_name}() is only usable on responses fetched using the test Client.")
        return template_name, [template.name for template in response.templates if template.name is not None]

    def _assert_template_used(self, template_name, template_names, msg_prefix, count):
        if not template_names:
            self.fail(f"{msg_prefix}No templates used to render the response")
        self.assertTrue(
            template_name in template_names,
            f"{msg_prefix}Template '{template_name}' was not a template used to render the response. "
            f"Actual template(s) used: {', '.join(template_names)}",
        )
        if count is not None:
            rendered = template_names.count(template_name)
            self.assertEqual(
                rendered, count,
                f"{msg_prefix}Template '{template_name}' was expected to be rendered {count} time(s) but was "
                f"actually rendered {rendered} time(s).",
            )

    def _assert_template_not_used(self, template_name, template_names, msg_prefix):
        self.assertFalse(template_name in template_names,
                         f"{msg_prefix}Template '{template_name}' was used unexpectedly in rendering the response")

    # <<< 04_signals
# >>> 06_orm


class _AssertNumQueriesContext(CaptureQueriesContext):
    """The ``with`` form of ``assertNumQueries``: capture, then compare the count on leaving."""

    def __init__(self, test_case, num: int, connection):
        self.test_case = test_case
        self.num = num
        super().__init__(connection)

    def __exit__(self, exc_type, exc_value, traceback):
        super().__exit__(exc_type, exc_value, traceback)
        if exc_type is not None:
            return  # the block's own exception says more than a count would
        executed = len(self)
        queries = "\n".join(f"{number}. {query['sql']}" for number, query in enumerate(self.captured_queries, 1))
        self.test_case.assertEqual(
            executed, self.num,
            f"{executed} queries executed, {self.num} expected\nCaptured queries were:\n{queries}",
        )


class TransactionTestCase(SimpleTestCase):
    """A test case for code that uses the database and its transactions for real.

    Nothing is rolled back: what a test commits stays in the database, so
    a test can check what happens at a real COMMIT (``on_commit``
    callbacks, a second thread seeing the data). Django's version empties
    every table after each test; tinyframe's does not, so a test cleans up
    after itself, or uses ``TestCase``.
    """

    # The aliases of the databases the tests use ("__all__" for every one).
    databases = {DEFAULT_DB_ALIAS}

    @classmethod
    def _databases_names(cls) -> list[str]:
        """The aliases in ``databases``, in settings order."""
        from tinyframe.db import connections

        if cls.databases == "__all__":
            return list(connections)
        return [alias for alias in connections if alias in cls.databases]

    def assertNumQueries(self, num: int, func=None, *args, using: str = DEFAULT_DB_ALIAS, **kwargs):
        """Assert that exactly ``num`` statements run: ``with self.assertNumQueries(2): ...``.

        Or call form: ``self.assertNumQueries(2, func, *args, **kwargs)``
        calls ``func`` and checks the count. On failure the message lists
        every captured statement, numbered, since "3 != 2" alone does not
        say which query was unexpected. Savepoints count, as they do in
        Django: a nested ``atomic`` block adds two statements.
        """
        from tinyframe.db import connections

        context = _AssertNumQueriesContext(self, num, connections[using])
        if func is None:
            return context
        with context:
            func(*args, **kwargs)


class TestData:
    """A class attribute set in ``setUpTestData``: each test that reads it gets its own deep copy.

    Why: the objects are made once for the whole class, but a test that
    changes one (``self.book.title = "x"``) must not change what the next
    test sees. The copy is made on first access within a test and cached on
    the test instance; one ``memo`` per test keeps objects that share a
    reference sharing it in the copies (two attributes naming the same
    book are still one book).
    """

    memo_attr = "_testdata_memo"

    def __init__(self, name: str, data):
        self.name = name
        self.data = data

    def __get__(self, instance, owner):
        if instance is None:
            return self.data
        memo = instance.__dict__.setdefault(self.memo_attr, {})
        data = copy.deepcopy(self.data, memo)
        setattr(instance, self.name, data)
        return data

    def __repr__(self):
        return f"<TestData: name={self.name!r}, data={self.data!r}>"


class TestCase(TransactionTestCase):
    """A test case whose database changes are undone after every test, by rolling transactions back.

    How: ``setUpClass`` opens an ``atomic`` block per database, around
    ``setUpTestData``; each test runs inside a nested one (a savepoint).
    After a test its savepoint is rolled back, so the next one starts from
    the class's data; after the last test the class's block is rolled back
    too. Rolling back is much faster than emptying tables. The price: no
    transaction really commits, so ``on_commit`` callbacks never run
    (``captureOnCommitCallbacks`` shows them, or runs them), and code under
    test that needs a real COMMIT belongs in a ``TransactionTestCase``.
    """

    @classmethod
    def _enter_atomics(cls) -> dict:
        """Open an atomic block on each database the tests use."""
        from tinyframe.db import transaction

        atomics = {}
        for alias in cls._databases_names():
            atomic = transaction.atomic(using=alias)
            atomic.__enter__()
            atomics[alias] = atomic
        return atomics

    @classmethod
    def _rollback_atomics(cls, atomics: dict) -> None:
        """Leave the blocks ``_enter_atomics`` opened, innermost database last-opened first, rolling back."""
        from tinyframe.db import transaction

        for alias, atomic in reversed(atomics.items()):
            transaction.set_rollback(True, using=alias)
            atomic.__exit__(None, None, None)

    @classmethod
    def setUpClass(cls):
        """Open the class's transaction and make the class's data in it (``setUpTestData``)."""
        super().setUpClass()
        cls.cls_atomics = cls._enter_atomics()
        before = cls.__dict__.copy()
        try:
            cls.setUpTestData()
        except Exception:
            cls._rollback_atomics(cls.cls_atomics)
            raise
        # Every attribute setUpTestData added or replaced becomes a TestData,
        # so that each test reads a copy of it.
        for name, value in cls.__dict__.copy().items():
            if name not in before or before[name] is not value:
                setattr(cls, name, TestData(name, value))

    @classmethod
    def tearDownClass(cls):
        """Roll the class's transaction back: its data goes, and the database is as before."""
        cls._rollback_atomics(cls.cls_atomics)
        super().tearDownClass()

    @classmethod
    def setUpTestData(cls):
        """Make the data every test of the class starts from: ``cls.author = Author.objects.create(...)``.

        It runs once per class, and each test reads deep copies of the
        attributes set here, so tests may change them freely.
        """

    def __call__(self, result=None):
        # Wrapping the whole run (setUp, the test, tearDown and cleanups) in
        # the test's atomic block means everything the test wrote is undone.
        atomics = self._enter_atomics()
        try:
            return super().__call__(result)
        finally:
            self._rollback_atomics(atomics)

    @classmethod
    @contextmanager
    def captureOnCommitCallbacks(cls, *, using: str = DEFAULT_DB_ALIAS, execute: bool = False):
        """Collect the ``on_commit`` callbacks registered inside the block; with ``execute=True``, run them.

        Why: inside a ``TestCase`` nothing commits, so callbacks would never
        run. The block yields a list that, on leaving, holds the callbacks
        registered within it, in order. With ``execute=True`` they are
        called then, and any callback they register in turn is captured
        and called too, until no new one appears.
        """
        from tinyframe.db import connections
        from tinyframe.db.backends.sqlite3.base import run_commit_hook

        callbacks = []
        connection = connections[using]
        start = len(connection.run_on_commit)
        try:
            yield callbacks
        finally:
            while start < len(connection.run_on_commit):
                end = len(connection.run_on_commit)
                for _savepoint_ids, func, robust in connection.run_on_commit[start:end]:
                    callbacks.append(func)
                    if execute:
                        run_commit_hook(func, robust)
                start = end
# <<< 06_orm
