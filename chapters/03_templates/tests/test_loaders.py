"""Loaders: templates from directories, app directories, a dict, and the cache in front of them."""

import sys

import pytest

from tinyframe.template import Context, Engine, TemplateDoesNotExist
from tinyframe.template.loaders.cached import Loader as CachedLoader
from tinyframe.test.utils import override_settings

FILESYSTEM = "tinyframe.template.loaders.filesystem.Loader"
LOCMEM = "tinyframe.template.loaders.locmem.Loader"
CACHED = "tinyframe.template.loaders.cached.Loader"


@pytest.fixture
def template_dirs(tmp_path):
    """Two template directories; 'both.html' is in each, 'secret.txt' is beside them."""
    first, second = tmp_path / "first", tmp_path / "second"
    (first / "blog").mkdir(parents=True)
    second.mkdir()
    (first / "blog" / "post.html").write_text("Post: {{ title }}", encoding="utf-8")
    (first / "both.html").write_text("from first", encoding="utf-8")
    (second / "both.html").write_text("from second", encoding="utf-8")
    (second / "only-second.html").write_text("second: {% include 'blog/post.html' %}", encoding="utf-8")
    (tmp_path / "secret.txt").write_text("top secret", encoding="utf-8")
    return [str(first), str(second)]


def test_filesystem_loader_searches_dirs_in_order(template_dirs):
    """The first directory holding the name wins; templates in any directory can include each other."""
    engine = Engine(dirs=template_dirs)
    assert engine.get_template("both.html").render(Context()) == "from first"
    got = engine.get_template("only-second.html").render(Context({"title": "<t>"}))
    assert got == "second: Post: &lt;t&gt;", got
    template = engine.get_template("blog/post.html")
    assert template.origin.name.endswith("blog/post.html") and template.origin.template_name == "blog/post.html"
    assert template.origin.loader_name == FILESYSTEM


@pytest.mark.parametrize("name", ["../secret.txt", "../../etc/passwd", "blog/../../secret.txt", "/etc/passwd"])
def test_filesystem_loader_never_reads_outside_its_dirs(template_dirs, name):
    """A name that climbs out of the template directories is simply not found."""
    engine = Engine(dirs=template_dirs)
    with pytest.raises(TemplateDoesNotExist) as caught:
        engine.get_template(name)
    tried = [origin.name for origin, _ in caught.value.tried]
    assert tried == [], f"get_template({name!r}) looked at {tried}; it must not look outside the directories"


def test_filesystem_loader_reads_with_the_engines_charset(tmp_path):
    """Template files are decoded with file_charset."""
    (tmp_path / "latin.html").write_bytes("café".encode("latin-1"))
    engine = Engine(dirs=[str(tmp_path)], file_charset="latin-1")
    assert engine.get_template("latin.html").render(Context()) == "café"


def test_template_does_not_exist_lists_what_was_tried(template_dirs):
    """The error names the template; its note lists every path tried, and why each failed."""
    with pytest.raises(TemplateDoesNotExist) as caught:
        Engine(dirs=template_dirs).get_template("nope.html")
    error = caught.value
    assert str(error) == "nope.html"
    assert [reason for _, reason in error.tried] == ["Source does not exist"] * 2
    note = error.__notes__[0]
    assert note.startswith("Tried:\n") and note.count("nope.html (Source does not exist)") == 2, note


def test_template_does_not_exist_with_nowhere_to_look():
    """With no directories at all, the error says how to give the engine some."""
    with pytest.raises(TemplateDoesNotExist) as caught:
        Engine().get_template("page.html")
    assert "had nowhere to look" in caught.value.__notes__[-1]


# The last override names an app that does not exist, on purpose; from chapter 06 the app
# registry warns that it keeps its previous apps for it.
@pytest.mark.filterwarnings("ignore:override_settings.*names apps that cannot be loaded:RuntimeWarning")
def test_app_directories_loader(tmp_path, monkeypatch):
    """app_dirs finds templates in each installed app's templates/ directory, in INSTALLED_APPS order."""
    for app, text in (("shopapp", "shop's"), ("newsapp", "news'")):
        (tmp_path / app / "templates").mkdir(parents=True)
        (tmp_path / app / "__init__.py").write_text("")
        (tmp_path / app / "templates" / "shared.html").write_text(text)
    (tmp_path / "newsapp" / "templates" / "news.html").write_text("news")
    (tmp_path / "plainapp").mkdir()
    (tmp_path / "plainapp" / "__init__.py").write_text("")
    monkeypatch.syspath_prepend(str(tmp_path))
    with override_settings(INSTALLED_APPS=["plainapp", "shopapp", "newsapp"]):
        engine = Engine(app_dirs=True)
        assert engine.get_template("shared.html").render(Context()) == "shop's"
        assert engine.get_template("news.html").render(Context()) == "news"
    with override_settings(INSTALLED_APPS=["no_such_app_here"]), pytest.raises(Exception, match="no_such_app_here"):
        Engine(app_dirs=True).get_template("x.html")
    for name in ("shopapp", "newsapp", "plainapp"):
        sys.modules.pop(name, None)


def test_app_dirs_and_loaders_together_is_an_error():
    """app_dirs adds a loader, so it can't be combined with an explicit list."""
    with pytest.raises(Exception, match="app_dirs must not be set when loaders is defined."):
        Engine(app_dirs=True, loaders=[LOCMEM])


def test_locmem_loader():
    """The locmem loader serves templates from a dict."""
    engine = Engine(loaders=[(LOCMEM, {"a.html": "A{{ x }}"})])
    assert engine.get_template("a.html").render(Context({"x": 1})) == "A1"
    with pytest.raises(TemplateDoesNotExist) as caught:
        engine.get_template("b.html")
    assert [(origin.name, reason) for origin, reason in caught.value.tried] == [("b.html", "Source does not exist")]


def test_loaders_are_tried_in_order():
    """With several loaders, the first that has the name wins."""
    engine = Engine(loaders=[(LOCMEM, {"a.html": "first"}), (LOCMEM, {"a.html": "second", "b.html": "b"})])
    assert engine.get_template("a.html").render(Context()) == "first"
    assert engine.get_template("b.html").render(Context()) == "b"


def test_cached_loader_parses_each_template_once():
    """The cached loader returns the same Template object until reset()."""
    templates = {"a.html": "one"}
    engine = Engine(loaders=[(CACHED, [(LOCMEM, templates)])])
    first = engine.get_template("a.html")
    templates["a.html"] = "two"
    assert engine.get_template("a.html") is first and first.render(Context()) == "one"
    engine.template_loaders[0].reset()
    assert engine.get_template("a.html").render(Context()) == "two"


def test_cached_loader_remembers_missing_templates():
    """A name not found is remembered too, with what was tried."""
    templates = {}
    engine = Engine(loaders=[(CACHED, [(LOCMEM, templates)])])
    with pytest.raises(TemplateDoesNotExist):
        engine.get_template("late.html")
    templates["late.html"] = "here now"
    with pytest.raises(TemplateDoesNotExist) as caught:
        engine.get_template("late.html")
    assert len(caught.value.tried) == 1
    engine.template_loaders[0].reset()
    assert engine.get_template("late.html").render(Context()) == "here now"


def test_default_loaders_are_cached_filesystem_and_app_directories(template_dirs):
    """Without loaders, an engine caches what it loads from dirs (and app directories with app_dirs)."""
    engine = Engine(dirs=template_dirs, app_dirs=True)
    [loader] = engine.template_loaders
    assert isinstance(loader, CachedLoader)
    assert [type(inner).__module__ for inner in loader.loaders] == [
        "tinyframe.template.loaders.filesystem", "tinyframe.template.loaders.app_directories",
    ]
    assert loader.get_dirs()[: len(template_dirs)] == template_dirs
    assert engine.get_template("both.html") is engine.get_template("both.html")


def test_invalid_loader_configuration():
    """A loader that is neither a dotted path nor a (path, arguments) tuple is refused."""
    with pytest.raises(Exception, match="Invalid value in template loaders configuration"):
        Engine(loaders=[42]).get_template("x")


def test_select_template():
    """select_template returns the first existing name, or names them all in the error."""
    engine = Engine(loaders=[(LOCMEM, {"b.html": "B"})])
    assert engine.select_template(["a.html", "b.html"]).render(Context()) == "B"
    with pytest.raises(TemplateDoesNotExist) as caught:
        engine.select_template(["x.html", "y.html"])
    assert str(caught.value) == "x.html, y.html"
    with pytest.raises(TemplateDoesNotExist, match="No template names provided"):
        engine.select_template([])
    with pytest.raises(TypeError, match="Use get_template"):
        engine.select_template("a.html")
