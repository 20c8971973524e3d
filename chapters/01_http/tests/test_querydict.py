"""QueryDict and MultiValueDict: several values per key, immutable request data, urlencode."""

import copy
import pickle

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tinyframe.conf import settings
from tinyframe.core.exceptions import TooManyFieldsSent
from tinyframe.http import QueryDict
from tinyframe.utils.datastructures import MultiValueDict, MultiValueDictKeyError
from tinyframe.utils.http import urlencode


@pytest.mark.parametrize(
    "query_string, expected_lists",
    [
        ("", []),
        ("a=1", [("a", ["1"])]),
        ("a=1&a=2&b=3", [("a", ["1", "2"]), ("b", ["3"])]),
        ("a=&b", [("a", [""]), ("b", [""])]),
        ("q=caf%C3%A9+au+lait", [("q", ["café au lait"])]),
        ("a%20b=c%26d", [("a b", ["c&d"])]),
        ("x=1;y=2", [("x", ["1;y=2"])]),
        (b"name=caf\xc3\xa9", [("name", ["café"])]),
    ],
)
def test_querydict_parses_query_strings(query_string, expected_lists):
    got = list(QueryDict(query_string).lists())
    assert got == expected_lists, (
        f"QueryDict({query_string!r}).lists() gave {got!r}; expected {expected_lists!r}"
    )


def test_querydict_getitem_returns_last_value_and_getlist_all():
    query = QueryDict("tag=a&tag=b")
    assert query["tag"] == "b"
    assert query.getlist("tag") == ["a", "b"]
    assert query.get("missing", "default") == "default"
    assert query.getlist("missing") == []


def test_querydict_missing_key_raises_multivaluedictkeyerror():
    with pytest.raises(MultiValueDictKeyError) as caught:
        QueryDict("a=1")["b"]
    assert isinstance(caught.value, KeyError)


@pytest.mark.parametrize(
    "mutation",
    [
        lambda q: q.__setitem__("a", "2"),
        lambda q: q.__delitem__("a"),
        lambda q: q.setlist("a", ["2"]),
        lambda q: q.appendlist("a", "2"),
        lambda q: q.setlistdefault("b", ["2"]),
        lambda q: q.pop("a"),
        lambda q: q.popitem(),
        lambda q: q.clear(),
        lambda q: q.setdefault("b", "2"),
        lambda q: q.update({"b": "2"}),
    ],
    ids=["setitem", "delitem", "setlist", "appendlist", "setlistdefault", "pop", "popitem",
         "clear", "setdefault", "update"],
)
def test_querydict_is_immutable_by_default(mutation):
    query = QueryDict("a=1")
    with pytest.raises(AttributeError, match="This QueryDict instance is immutable"):
        mutation(query)
    assert query.getlist("a") == ["1"], "a refused mutation must leave the QueryDict unchanged"


def test_querydict_copy_is_mutable_and_deep():
    original = QueryDict("a=1")
    duplicate = original.copy()
    duplicate["a"] = "2"
    duplicate.appendlist("a", "3")
    assert duplicate.getlist("a") == ["2", "3"]
    assert original.getlist("a") == ["1"], "changing a copy changed the original"
    assert copy.copy(original).getlist("a") == ["1"]
    assert copy.copy(original)._mutable


def test_mutable_querydict_supports_dict_methods():
    query = QueryDict("a=1&a=2&b=3", mutable=True)
    assert query.pop("b") == ["3"]
    query.setlistdefault("c", ["x"]).append("y")
    assert query.getlist("c") == ["x", "y"]
    assert query.setdefault("d", "4") == "4"
    query.update({"a": "5"})
    assert query.getlist("a") == ["1", "2", "5"], "update() must add values, not replace them"
    query[b"bytes-key"] = b"caf\xc3\xa9"
    assert query["bytes-key"] == "café", "bytes keys and values are decoded with the encoding"
    key, values = query.popitem()
    assert key == "bytes-key" and values == ["café"]
    del query["a"]
    query.clear()
    assert list(query.lists()) == []


def test_querydict_fromkeys():
    """QueryDict.fromkeys gives each key the value once per time it is listed; the result is immutable
    unless mutable=True."""
    query = QueryDict.fromkeys(["a", "a", "b"], value="v")
    assert list(query.lists()) == [("a", ["v", "v"]), ("b", ["v"])]
    assert not query._mutable
    assert QueryDict.fromkeys(["a"], mutable=True)._mutable


def test_querydict_decodes_with_its_encoding():
    query = QueryDict("name=caf%E9", encoding="latin-1")
    assert query["name"] == "café"
    assert query.encoding == "latin-1"


def test_querydict_replaces_undecodable_bytes_instead_of_failing():
    got = QueryDict(b"a=%FF&b=\xff\xfe")
    assert got["a"] == "\ufffd", f"QueryDict('a=%FF')['a'] gave {got['a']!r}; expected U+FFFD"
    assert "b" in got


def test_querydict_refuses_more_than_data_upload_max_number_fields(monkeypatch):
    monkeypatch.setattr(settings, "DATA_UPLOAD_MAX_NUMBER_FIELDS", 2)
    assert QueryDict("a=1&b=2").getlist("b") == ["2"]
    with pytest.raises(TooManyFieldsSent, match="DATA_UPLOAD_MAX_NUMBER_FIELDS"):
        QueryDict("a=1&b=2&c=3")


def test_querydict_number_of_fields_is_unlimited_when_setting_is_none(monkeypatch):
    monkeypatch.setattr(settings, "DATA_UPLOAD_MAX_NUMBER_FIELDS", None)
    assert len(QueryDict("&".join(f"k{i}=v" for i in range(2000)))) == 2000


@pytest.mark.exercise("01.2")
@pytest.mark.parametrize(
    "query_string, expected",
    [
        ("", ""),
        ("a=1", "a=1"),
        ("a=1&a=2", "a=1&a=2"),
        ("a=1&b=2&a=3", "a=1&a=3&b=2"),
        ("q=caf%C3%A9+au+lait", "q=caf%C3%A9+au+lait"),
        ("next=%2Fa%2Fb%3Fc%3Dd", "next=%2Fa%2Fb%3Fc%3Dd"),
        ("empty=", "empty="),
    ],
)
def test_urlencode_encodes_every_value(query_string, expected):
    """QueryDict.urlencode() writes every value of every key (a repeated key's values together),
    percent-encoded, so the query string comes back as it was sent."""
    got = QueryDict(query_string).urlencode()
    assert got == expected, f"QueryDict({query_string!r}).urlencode() returned {got!r}; expected {expected!r}"


@pytest.mark.exercise("01.2")
def test_urlencode_leaves_safe_characters_alone():
    """urlencode(safe='/') leaves '/' as it is and still percent-encodes the other special characters."""
    query = QueryDict("next=/a/b?c=d")
    got = query.urlencode(safe="/")
    assert got == "next=/a/b%3Fc%3Dd", (
        f"QueryDict('next=/a/b?c=d').urlencode(safe='/') returned {got!r}; expected 'next=/a/b%3Fc%3Dd'"
    )


@pytest.mark.exercise("01.2")
def test_urlencode_of_mutable_querydict_with_non_string_values():
    """urlencode() also encodes values set in code: a number as its text, non-ASCII text as UTF-8, '&' escaped."""
    query = QueryDict(mutable=True)
    query["page"] = 2
    query.setlist("name", ["Zoë", "A&B"])
    got = query.urlencode()
    assert got == "page=2&name=Zo%C3%AB&name=A%26B", (
        f"for a QueryDict with page=2 and name=['Zoë', 'A&B'], urlencode() returned {got!r}; "
        "expected 'page=2&name=Zo%C3%AB&name=A%26B'"
    )


# Text that can be encoded as UTF-8 (no lone surrogates), '&', '=', '+', '%' included.
query_text = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=12)


@pytest.mark.exercise("01.2")
@given(st.lists(st.tuples(query_text, query_text), max_size=8))
def test_urlencode_then_parse_gives_back_the_same_querydict(pairs):
    """For any keys and values, QueryDict(qd.urlencode()) holds exactly the lists of qd: nothing lost or changed."""
    original = QueryDict(mutable=True)
    for key, value in pairs:
        original.appendlist(key, value)
    encoded = original.urlencode()
    parsed = QueryDict(encoded)
    assert list(parsed.lists()) == list(original.lists()), (
        f"for a QueryDict of the (key, value) pairs {pairs!r}, urlencode() gave {encoded!r}, which parses "
        f"back as {list(parsed.lists())!r}; expected {list(original.lists())!r}"
    )


@given(st.lists(st.tuples(query_text, query_text), max_size=8))
def test_safe_urlencode_then_parse_round_trips(pairs):
    """For any keys and values, urlencode(safe='/:') still parses back to the same QueryDict."""
    original = QueryDict(mutable=True)
    for key, value in pairs:
        original.appendlist(key, value)
    assert list(QueryDict(original.urlencode(safe="/:")).lists()) == list(original.lists())


def test_querydict_pickles():
    query = QueryDict("a=1&a=2")
    assert pickle.loads(pickle.dumps(query)).getlist("a") == ["1", "2"]


def test_multivaluedict_basics():
    """MultiValueDict: d[key], get(), items(), values() and dict() give a key's last value (an empty list stays []);
    d[key] = v replaces the list."""
    data = MultiValueDict({"name": ["Adrian", "Simon"], "empty": []})
    assert data["name"] == "Simon"
    assert data["empty"] == []
    assert data.get("empty", "x") == "x"
    assert data.get("name") == "Simon"
    assert dict(data.items()) == {"name": "Simon", "empty": []}
    assert list(data.values()) == ["Simon", []]
    assert data.dict() == {"name": "Simon", "empty": []}
    data["name"] = "Jacob"
    assert data.getlist("name") == ["Jacob"]
    assert repr(MultiValueDict({"a": ["1"]})) == "<MultiValueDict: {'a': ['1']}>"


def test_multivaluedict_update_appends_from_every_kind_of_source():
    data = MultiValueDict({"a": ["1"]})
    data.update(MultiValueDict({"a": ["2"]}))
    data.update([("a", "3")])
    data.update(a="4")
    assert data.getlist("a") == ["1", "2", "3", "4"]
    with pytest.raises(TypeError, match="at most 1 positional argument"):
        data.update({}, {})


def test_multivaluedict_copies():
    """MultiValueDict.copy() copies each key's list of values; copy.deepcopy copies the values inside them too."""
    data = MultiValueDict({"a": [["nested"]]})
    shallow, deep = data.copy(), copy.deepcopy(data)
    data.getlist("a")[0].append("changed")
    shallow_list = dict.__getitem__(shallow, "a")
    assert shallow_list is not dict.__getitem__(data, "a"), "copy() must copy the lists"
    assert deep["a"] == ["nested"], "deepcopy must copy the values too"


# --- tinyframe.utils.http.urlencode: the helper for building query strings ---------

@pytest.mark.parametrize(
    "query, doseq, expected",
    [
        ({"a": "1", "b": "x y"}, False, "a=1&b=x+y"),
        ([("a", "1"), ("a", "2")], False, "a=1&a=2"),
        ({"a": ["1", "2"]}, True, "a=1&a=2"),
        ({"a": ["1", "2"]}, False, "a=%5B%271%27%2C+%272%27%5D"),
        ({"a": "text"}, True, "a=text"),
        ({"n": 5}, True, "n=5"),
        ({"t": ("x",)}, True, "t=x"),
        (MultiValueDict({"a": ["1", "2"]}), True, "a=1&a=2"),
    ],
)
def test_utils_urlencode(query, doseq, expected):
    """tinyframe.utils.http.urlencode encodes a dict, a list of pairs or a MultiValueDict; with doseq, each item of
    a list value is a pair."""
    assert urlencode(query, doseq) == expected, f"urlencode({query!r}, doseq={doseq})"


@pytest.mark.parametrize("query, doseq", [({"a": None}, False), ({"a": [None]}, True)])
def test_utils_urlencode_refuses_none(query, doseq):
    with pytest.raises(TypeError, match="Cannot encode None for key 'a' in a query string"):
        urlencode(query, doseq)
