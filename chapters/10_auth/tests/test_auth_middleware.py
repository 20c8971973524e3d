"""AuthenticationMiddleware and the lazy ``request.user``.

``request.user`` is a ``SimpleLazyObject``: a request that never reads it
never touches the session or the users table. Forged and tampered session
cookies are an anonymous visitor, not an error.
"""

import copy
import pickle

import pytest

from tinyframe.http import HttpResponse
from tinyframe.urls import path


def whoami(request):
    user = request.user
    return HttpResponse(user.get_username() if user.is_authenticated else "anonymous")


def hello(request):
    return HttpResponse("hello")


URLS = [path("whoami/", whoami), path("hello/", hello)]


def test_a_logged_in_client_is_its_user_and_a_new_one_is_anonymous(auth_site, user):
    client = auth_site(*URLS)
    assert client.get("/whoami/").content == b"anonymous"
    client.force_login(user)
    assert client.get("/whoami/").content == b"ada"
    assert type(client)().get("/whoami/").content == b"anonymous"


def test_request_user_is_loaded_only_when_read(auth_site, user, monkeypatch):
    from tinyframe.contrib import auth

    loads = []
    get_user = auth.get_user

    def counting_get_user(request):
        loads.append(request.path)
        return get_user(request)

    monkeypatch.setattr(auth, "get_user", counting_get_user)
    client = auth_site(*URLS)
    client.force_login(user)
    client.get("/hello/")
    assert loads == [], "the user was loaded for a view that never read request.user"
    client.get("/whoami/")
    assert loads == ["/whoami/"], "the user is loaded once a request"


def test_a_forged_session_cookie_is_an_anonymous_visitor(auth_site, user):
    from tinyframe.conf import settings

    client = auth_site(*URLS)
    client.cookies[settings.SESSION_COOKIE_NAME] = "f0rgedsessionkeythatnobodyeverissued"
    response = client.get("/whoami/")
    assert (response.status_code, response.content) == (200, b"anonymous")


def test_a_tampered_signed_cookie_session_is_an_anonymous_visitor(auth_site, user):
    from tinyframe.conf import settings

    client = auth_site(*URLS, SESSION_ENGINE="tinyframe.contrib.sessions.backends.signed_cookies")
    client.force_login(user)
    assert client.get("/whoami/").content == b"ada"
    cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
    # Flip one character of the payload: the signature no longer matches.
    tampered = ("A" if cookie[0] != "A" else "B") + cookie[1:]
    client.cookies[settings.SESSION_COOKIE_NAME] = tampered
    assert client.get("/whoami/").content == b"anonymous"


def test_without_session_middleware_the_error_says_what_to_do(auth_site):
    from tinyframe.core.exceptions import ImproperlyConfigured

    client = auth_site(*URLS, middleware=["tinyframe.contrib.auth.middleware.AuthenticationMiddleware"])
    with pytest.raises(ImproperlyConfigured) as caught:
        client.get("/whoami/")
    assert str(caught.value) == (
        "The tinyframe authentication middleware requires session middleware to be installed. Edit your "
        "MIDDLEWARE setting to insert 'tinyframe.contrib.sessions.middleware.SessionMiddleware' before "
        "'tinyframe.contrib.auth.middleware.AuthenticationMiddleware'."
    )


def test_the_lazy_user_passes_for_the_user(auth_site, user):
    seen = {}

    def inspect_user(request):
        seen["isinstance"] = isinstance(request.user, type(user))
        seen["equal"] = request.user == user
        seen["pk"] = request.user.pk
        return HttpResponse("ok")

    client = auth_site(path("inspect/", inspect_user))
    client.force_login(user)
    client.get("/inspect/")
    assert seen == {"isinstance": True, "equal": True, "pk": user.pk}


def test_the_lazy_user_filters_a_query_as_the_user_does(auth_site, user, make_user):
    """``Model.objects.filter(owner=request.user)``, Django's own example for a per-user queryset, works."""
    from tinyframe.contrib.auth.models import User

    make_user("grace")
    found = {}

    def mine(request):
        found["users"] = list(User.objects.filter(pk=request.user.pk, groups__isnull=True))
        found["by_instance"] = list(User.objects.filter(user_permissions__user=request.user).distinct())
        found["exact"] = list(User.objects.exclude(username="grace").filter(pk__in=[request.user.pk]))
        found["related"] = list(user.groups.model.objects.filter(user=request.user))
        return HttpResponse("ok")

    client = auth_site(path("mine/", mine))
    client.force_login(user)
    client.get("/mine/")
    assert found == {"users": [user], "by_instance": [], "exact": [user], "related": []}


# -- SimpleLazyObject ----------------------------------------------------------------------------


def test_simple_lazy_object_makes_its_object_once_on_first_use():
    from tinyframe.utils.functional import SimpleLazyObject

    made = []

    def make():
        made.append(1)
        return {"name": "ada"}

    lazy = SimpleLazyObject(make)
    assert made == []
    assert repr(lazy).startswith("<SimpleLazyObject: <function")
    assert lazy["name"] == "ada" and "name" in lazy and len(lazy) == 1 and list(lazy) == ["name"]
    assert made == [1]
    assert repr(lazy) == "<SimpleLazyObject: {'name': 'ada'}>"
    assert lazy.__class__ is dict and bool(lazy) and str(lazy) == "{'name': 'ada'}"


def test_simple_lazy_object_forwards_every_operation():
    from tinyframe.utils.functional import SimpleLazyObject

    class Thing:
        size = 1

    lazy = SimpleLazyObject(Thing)
    lazy.size = 3  # set on the real object
    assert lazy.size == 3
    del lazy.size
    assert lazy.size == 1
    assert "size" in dir(lazy)
    numbers = SimpleLazyObject(lambda: [3, 1])
    numbers[0] = 2
    del numbers[1]
    assert numbers == [2] and numbers != [3] and numbers < [5] and numbers > [1]
    assert hash(SimpleLazyObject(lambda: "x")) == hash("x")
    assert bytes(SimpleLazyObject(lambda: b"raw")) == b"raw"
    with pytest.raises(TypeError):
        del numbers._wrapped


def test_copies_and_pickles_of_a_lazy_object():
    from tinyframe.utils.functional import SimpleLazyObject

    made = []

    def make():
        made.append(1)
        return ["ada"]

    lazy = SimpleLazyObject(make)
    shallow, deep = copy.copy(lazy), copy.deepcopy(lazy)
    assert made == [], "copying made the object"
    assert isinstance(shallow, SimpleLazyObject) and isinstance(deep, SimpleLazyObject)
    assert shallow == ["ada"] and deep == ["ada"]
    lazy[0]  # noqa: B018 -- make it
    assert type(copy.copy(lazy)) is list and type(copy.deepcopy(lazy)) is list
    assert pickle.loads(pickle.dumps(SimpleLazyObject(make))) == ["ada"]


def test_lazy_object_needs_a_setup():
    from tinyframe.utils.functional import LazyObject

    class Incomplete(LazyObject):
        pass

    with pytest.raises(NotImplementedError):
        str(Incomplete())
    assert isinstance(copy.copy(Incomplete()), Incomplete)
    assert isinstance(copy.deepcopy(Incomplete()), Incomplete)


def test_lazy_object_copies_once_made():
    from tinyframe.utils.functional import LazyObject

    class Numbers(LazyObject):
        def _setup(self):
            self._wrapped = [1, 2]

    numbers = Numbers()
    assert len(numbers) == 2
    assert copy.copy(numbers) == [1, 2] and type(copy.deepcopy(numbers)) is list
