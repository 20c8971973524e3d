"""Template paths: safe_join, and the files a template name can never reach through the loaders.

The filesystem and app directories loaders join a template name onto each of
their directories with ``safe_join``, which refuses a result outside the
directory. The check compares paths *with a separator after the base*: without
it, ``/srv/templates-old/x.html`` would pass as "inside" ``/srv/templates``,
and ``get_template("../templates-old/x.html")`` would read a sibling directory.
These tests show the effect where it matters: the template that cannot be read.
"""

import os
import sys

import pytest

from tinyframe.template import Context, Engine, TemplateDoesNotExist
from tinyframe.template.loader import get_template, render_to_string
from tinyframe.core.exceptions import SuspiciousFileOperation
from tinyframe.template.utils import safe_join
from tinyframe.test.utils import override_settings

BASE = os.path.abspath(os.sep + os.path.join("srv", "templates"))


@pytest.mark.parametrize(
    "paths, expected",
    [
        (("blog/post.html",), os.path.join(BASE, "blog", "post.html")),
        (("blog", "post.html"), os.path.join(BASE, "blog", "post.html")),
        (("blog/../post.html",), os.path.join(BASE, "post.html")),
        (("",), BASE + os.sep),
        ((".",), BASE),
        (("./a/./b.html",), os.path.join(BASE, "a", "b.html")),
    ],
)
def test_safe_join_inside_the_base(paths, expected):
    """A path that stays inside the base comes back absolute and normalised."""
    got = safe_join(BASE, *paths)
    assert os.path.normpath(got) == os.path.normpath(expected), f"safe_join({BASE!r}, *{paths!r}) returned {got!r}"


@pytest.mark.parametrize(
    "paths, joined",
    [
        (("../templates-old/x.html",), os.path.join(os.path.dirname(BASE), "templates-old", "x.html")),
        (("../templates2",), os.path.join(os.path.dirname(BASE), "templates2")),
        (("..",), os.path.dirname(BASE)),
        (("../../etc/passwd",), os.path.abspath(os.sep + os.path.join("etc", "passwd"))),
        (("blog/../../secret.txt",), os.path.join(os.path.dirname(BASE), "secret.txt")),
        ((os.sep + os.path.join("etc", "passwd"),), os.path.abspath(os.sep + os.path.join("etc", "passwd"))),
        (("blog", "..", "..", "x"), os.path.join(os.path.dirname(BASE), "x")),
    ],
)
def test_safe_join_refuses_paths_outside_the_base(paths, joined):
    """A path that leaves the base, even into a sibling whose name starts with the base's, is a SuspiciousFileOperation naming both."""
    with pytest.raises(SuspiciousFileOperation) as raised:
        safe_join(BASE, *paths)
    expected = f"The joined path ({joined}) is located outside of the base path component ({BASE})"
    assert str(raised.value) == expected, f"safe_join({BASE!r}, *{paths!r}) said {str(raised.value)!r}; expected {expected!r}"


def test_safe_join_under_the_root_directory():
    """With the file system's root as the base, every absolute path is inside it."""
    root = os.path.abspath(os.sep)
    assert safe_join(root, "etc", "hosts") == os.path.join(root, "etc", "hosts")


@pytest.fixture
def site(tmp_path):
    """templates/ with page.html, and beside it templates-old/x.html and secret.txt that must stay unreadable."""
    templates = tmp_path / "templates"
    templates.mkdir()
    (templates / "page.html").write_text("page {{ name }}", encoding="utf-8")
    (tmp_path / "templates-old").mkdir()
    (tmp_path / "templates-old" / "x.html").write_text("OLD SECRET", encoding="utf-8")
    (tmp_path / "templates2.html").write_text("SIBLING FILE", encoding="utf-8")
    (tmp_path / "secret.txt").write_text("TOP SECRET", encoding="utf-8")
    return tmp_path


SIBLING_NAMES = [
    "../templates-old/x.html",
    "../templates2.html",
    "../secret.txt",
    "sub/../../templates-old/x.html",
    "./../templates-old/x.html",
]


@pytest.mark.parametrize("name", SIBLING_NAMES)
def test_get_template_cannot_read_a_sibling_directory(site, templates_setting, name):
    """With TEMPLATES DIRS = [".../templates"], get_template("../templates-old/x.html") is TemplateDoesNotExist.

    The sibling's name starts with the directory's name, so a check without the
    separator after the base would let this through and render "OLD SECRET".
    """
    templates_setting(dirs=[str(site / "templates")])
    assert get_template("page.html").render({"name": "ok"}) == "page ok", "the directory's own templates load"
    with pytest.raises(TemplateDoesNotExist) as raised:
        get_template(name)
    assert str(raised.value) == name, f"the error names {str(raised.value)!r}; expected {name!r}"
    with pytest.raises(TemplateDoesNotExist):
        render_to_string(name)


@pytest.mark.parametrize("with_trailing_separator", [False, True])
@pytest.mark.parametrize("name", SIBLING_NAMES)
def test_filesystem_loader_never_looks_in_a_sibling_directory(site, name, with_trailing_separator):
    """The filesystem loader (cached or not) does not even try a path outside its directory, however DIRS is written."""
    directory = str(site / "templates") + (os.sep if with_trailing_separator else "")
    for engine in (Engine(dirs=[directory]), Engine(dirs=[directory], loaders=["tinyframe.template.loaders.filesystem.Loader"])):
        with pytest.raises(TemplateDoesNotExist) as raised:
            engine.get_template(name)
        tried = [origin.name for origin, _ in raised.value.tried]
        assert tried == [], f"get_template({name!r}) looked at {tried}; nothing outside {directory} may be tried"


def test_app_directories_loader_cannot_read_beside_an_apps_templates(tmp_path, monkeypatch):
    """An app's templates-old/ next to its templates/ is not reachable with ../ through APP_DIRS either."""
    app = tmp_path / "pathsapp"
    (app / "templates").mkdir(parents=True)
    (app / "__init__.py").write_text("")
    (app / "templates" / "ok.html").write_text("ok")
    (app / "templates-old").mkdir()
    (app / "templates-old" / "x.html").write_text("OLD SECRET")
    monkeypatch.syspath_prepend(str(tmp_path))
    try:
        with override_settings(INSTALLED_APPS=["pathsapp"]):
            engine = Engine(app_dirs=True)
            assert engine.get_template("ok.html").render(Context()) == "ok"
            with pytest.raises(TemplateDoesNotExist):
                engine.get_template("../templates-old/x.html")
    finally:
        sys.modules.pop("pathsapp", None)
