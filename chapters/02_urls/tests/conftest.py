"""Fixtures shared by chapter 02's tests: throwaway URLconf modules and converters.

A URLconf is a module with ``urlpatterns``. ``urlconf`` makes one for a test,
registers it in ``sys.modules`` under a unique name (so ``include("name")``,
``ROOT_URLCONF = "name"`` and ``resolve(path, urlconf="name")`` all find it) and
returns the name; after the test it removes the module and clears the URL
caches, so no resolver built for one test answers another::

    def test_detail(urlconf):
        name = urlconf([path("<int:pk>/", detail, name="detail")], app_name="blog")
        assert resolve("/7/", urlconf=name).kwargs == {"pk": 7}

``root_urlconf`` does the same and also makes the module ``ROOT_URLCONF`` for
the rest of the test. ``converters`` forgets, after the test, every converter
the test registered with ``register_converter``; ``four_digit_year`` registers a
project's own converter, ``yyyy``. ``linear_resolve`` is Django's
algorithm, trying every pattern in turn: what the indexed resolver must agree with.
"""

import pytest



@pytest.fixture
def urlconf(throwaway_module):
    """``urlconf(patterns, **module_attributes) -> str``: a URLconf module for this test, by name."""

    def make(patterns, **module_attributes) -> str:
        return throwaway_module(urlpatterns=list(patterns), **module_attributes)

    yield make
    from tinyframe.urls import clear_url_caches

    clear_url_caches()


@pytest.fixture
def root_urlconf(urlconf, use_settings):
    """``root_urlconf(patterns, **module_attributes) -> str``: like ``urlconf``, and it becomes ROOT_URLCONF."""

    def make(patterns, **module_attributes) -> str:
        name = urlconf(patterns, **module_attributes)
        use_settings(ROOT_URLCONF=name)
        return name

    return make


@pytest.fixture
def four_digit_year(converters):
    """A project's own converter, registered as ``yyyy`` for this test: four digits, an int in Python."""

    class FourDigitYear:
        regex = "[0-9]{4}"

        def to_python(self, value):
            return int(value)

        def to_url(self, value):
            return f"{value:04d}"

    converters.register_converter(FourDigitYear, "yyyy")
    return FourDigitYear


@pytest.fixture
def converters():
    """The converter registry, restored after the test (register_converter refuses to replace a name)."""
    from tinyframe.urls import converters as module

    saved = dict(module.REGISTERED_CONVERTERS)
    yield module
    module.REGISTERED_CONVERTERS.clear()
    module.REGISTERED_CONVERTERS.update(saved)
    module.get_converters.cache_clear()


@pytest.fixture
def linear_resolve():
    """``linear_resolve(resolver, path) -> ((func, args, kwargs) or None, tried)``, trying every pattern in order."""
    from tinyframe.urls import URLResolver

    def scan(resolver, path):
        match = resolver.pattern.match(path)
        if match is None:
            return None, None
        rest, args, kwargs = match
        tried = []
        for pattern in resolver.url_patterns:
            if isinstance(pattern, URLResolver):
                found, sub_tried = scan(pattern, rest)
            else:
                sub_match, sub_tried = pattern.resolve(rest), None
                found = sub_match and (sub_match.func, sub_match.args, sub_match.kwargs)
            if sub_tried is None:
                tried.append([pattern])
            else:
                tried.extend([pattern, *inner] for inner in sub_tried)
            if found:
                func, sub_args, sub_kwargs = found
                merged = {**kwargs, **resolver.default_kwargs, **sub_kwargs}
                return (func, sub_args if merged else args + sub_args, merged), tried
        return None, tried

    return scan


@pytest.fixture
def call_wsgi():
    """``call_wsgi(application, path, **environ) -> (status line, body)``: one WSGI call, as a server makes it."""

    def call(application, path: str, **extra) -> tuple[str, bytes]:
        environ = {"REQUEST_METHOD": "GET", "PATH_INFO": path, "SERVER_NAME": "testserver", "SERVER_PORT": "80",
                   "wsgi.input": None, "wsgi.url_scheme": "http", **extra}
        started = []
        result = application(environ, lambda status, headers: started.append(status))
        try:
            return started[0], b"".join(result)
        finally:
            result.close()

    return call
