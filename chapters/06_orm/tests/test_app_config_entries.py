"""Chapter 06 tests: an ``INSTALLED_APPS`` entry naming an AppConfig subclass installs its package everywhere.

Chapter 03's app directories loader and template tag libraries, and chapter
01's management commands, look inside each installed app's package. From
chapter 06 an entry may instead name a configuration class
(``"shop.apps.ShopConfig"``), as in Django: they then look in the package the
configuration's ``name`` gives. Each test writes a throwaway app into
``tmp_path`` with templates, a tag library and a command.
"""

import io
import itertools
import sys
import textwrap

import pytest

from tinyframe.apps.config import app_package_name
from tinyframe.core.exceptions import ImproperlyConfigured

_numbers = itertools.count()

APP_FILES = {
    "__init__.py": "",
    "apps.py": """
        from tinyframe.apps import AppConfig


        class ShopConfig(AppConfig):
            name = "PACKAGE"
            verbose_name = "The shop"
    """,
    "templates/PACKAGE/hello.html": "{% load shoptags %}Hello from {% shop_name %}",
    "templatetags/__init__.py": "",
    "templatetags/shoptags.py": """
        from tinyframe import template

        register = template.Library()


        @register.simple_tag
        def shop_name():
            return "the shop"
    """,
    "management/__init__.py": "",
    "management/commands/__init__.py": "",
    "management/commands/stocktake.py": """
        from tinyframe.core.management import BaseCommand


        class Command(BaseCommand):
            help = "Counts the stock."

            def handle(self, *args, **options):
                self.stdout.write("stock counted")
    """,
}


@pytest.fixture
def shop(tmp_path, monkeypatch):
    """A new package with an AppConfig, templates, a tag library and a command; returns its name."""
    name = f"tinyframe_config_shop_{next(_numbers)}"
    for relative, source in APP_FILES.items():
        path = tmp_path / name / relative.replace("PACKAGE", name)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(source).replace("PACKAGE", name))
    monkeypatch.syspath_prepend(str(tmp_path))
    yield name
    for module_name in [module_name for module_name in sys.modules if module_name.split(".")[0] == name]:
        del sys.modules[module_name]


def install(use_settings, *entries) -> None:
    """``INSTALLED_APPS = entries`` with the app directories loader, for the rest of the test."""
    use_settings(
        INSTALLED_APPS=list(entries),
        TEMPLATES=[{"BACKEND": "tinyframe.template.backends.django.DjangoTemplates", "APP_DIRS": True}],
    )


@pytest.mark.parametrize(
    "entry, expected",
    [
        ("json", "json"),  # a package: itself
        ("tinyframe.apps", "tinyframe.apps"),
        ("no_such_package_anywhere", "no_such_package_anywhere"),  # left for the caller to report
        ("no_such_package.apps.NoConfig", "no_such_package.apps.NoConfig"),
        ("tinyframe.apps.config.AppConfig", "tinyframe.apps.config.AppConfig"),  # a config without a name
        ("tinyframe.apps.config.NoSuchConfig", "tinyframe.apps.config.NoSuchConfig"),
    ],
)
def test_app_package_name_of_packages_and_unknown_entries(entry, expected):
    assert app_package_name(entry) == expected, f"app_package_name({entry!r})"


def test_app_package_name_of_an_app_config_path_is_its_name(shop):
    assert app_package_name(f"{shop}.apps.ShopConfig") == shop


def test_app_template_dirs_of_an_app_config_path(shop, use_settings):
    from tinyframe.template.utils import get_app_template_dirs

    install(use_settings, f"{shop}.apps.ShopConfig")
    directories = get_app_template_dirs("templates")
    assert [directory.replace("\\", "/").rsplit("/", 2)[-2:] for directory in directories] == [[shop, "templates"]], (
        f"the templates/ folder of the package ShopConfig configures; got {directories!r}"
    )


def test_template_and_tag_library_of_an_app_config_path_are_found(shop, use_settings):
    from tinyframe.template.loader import render_to_string

    install(use_settings, f"{shop}.apps.ShopConfig")
    assert render_to_string(f"{shop}/hello.html") == "Hello from the shop"


def test_same_app_listed_by_package_and_by_config_finds_the_same_things(shop, use_settings):
    from tinyframe.template.loader import render_to_string

    install(use_settings, shop)
    assert render_to_string(f"{shop}/hello.html") == "Hello from the shop"


def test_command_of_an_app_config_path_is_found_and_runs(shop, use_settings):
    from tinyframe.core.management import call_command, get_commands

    install(use_settings, f"{shop}.apps.ShopConfig")
    assert get_commands().get("stocktake") == shop, "the command is the configured package's"
    stdout = io.StringIO()
    call_command("stocktake", stdout=stdout)
    assert stdout.getvalue() == "stock counted\n"


def test_registry_labels_an_app_config_path_by_its_package(shop, use_settings):
    from tinyframe.apps import apps

    install(use_settings, f"{shop}.apps.ShopConfig")
    config = apps.get_app_config(shop)
    assert (type(config).__name__, config.name, config.verbose_name) == ("ShopConfig", shop, "The shop")


def test_unknown_config_class_is_still_reported_by_the_loader(shop, use_settings):
    from tinyframe.template.utils import get_app_template_dirs

    with pytest.warns(RuntimeWarning):  # the registry cannot load it and keeps its apps
        install(use_settings, f"{shop}.apps.NoSuchConfig")
    with pytest.raises(ImproperlyConfigured, match="NoSuchConfig"):
        get_app_template_dirs("templates")
