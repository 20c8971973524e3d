"""The app registry: AppConfig.create for each kind of INSTALLED_APPS entry, populate, model lookups.

Apps are small packages written to a temporary folder for each test (the
``package`` fixture), and every test populates its own ``Apps`` registry, so
the project's ``apps`` is never touched. Models here are stand-ins with just
the ``_meta.model_name`` the registry reads; real models are tested with the
model layer.
"""

import itertools
import sys
import textwrap
import threading
import types
import warnings

import pytest

import tinyframe
from tinyframe.apps import AppConfig, AppRegistryNotReady, apps
from tinyframe.apps.registry import Apps
from tinyframe.conf import settings
from tinyframe.core.exceptions import ImproperlyConfigured
from tinyframe.test.utils import override_settings

_numbers = itertools.count()


@pytest.fixture
def package(tmp_path, monkeypatch):
    """``package(**files) -> name``: a new importable package with these modules (``apps=...``, ``models=...``)."""
    monkeypatch.syspath_prepend(str(tmp_path))
    names = []

    def make(**files) -> str:
        name = f"tinyframe_test_app_{next(_numbers)}"
        folder = tmp_path / name
        folder.mkdir()
        (folder / "__init__.py").write_text("")
        for module, source in files.items():
            (folder / f"{module}.py").write_text(textwrap.dedent(source).replace("PACKAGE", name))
        names.append(name)
        return name

    yield make
    for module_name in list(sys.modules):
        if module_name.split(".")[0] in names:
            del sys.modules[module_name]


def fake_model(name: str, module: str = "library.models", auto_created: bool = False) -> type:
    """A class with the only thing the registry reads from a model: ``_meta.model_name``."""
    return type(name, (), {"_meta": types.SimpleNamespace(model_name=name.lower(), auto_created=auto_created),
                           "__module__": module})


def error_text(error: BaseException) -> str:
    return "\n".join([str(error), *getattr(error, "__notes__", [])])


CONFIGS = '''
    from tinyframe.apps import AppConfig

    class FirstConfig(AppConfig):
        name = "PACKAGE"

    class SecondConfig(AppConfig):
        name = "PACKAGE"
        label = "second"
        default = DEFAULT
'''


def test_package_without_apps_module_gets_a_plain_app_config(package):
    name = package()
    config = AppConfig.create(name)
    assert type(config) is AppConfig
    assert (config.name, config.label, config.verbose_name) == (name, name, name.title())
    assert config.path == str(sys.modules[name].__path__[0])
    assert config.module is sys.modules[name]
    assert config.models_module is None
    assert repr(config) == f"<AppConfig: {name}>"


def test_apps_module_with_one_config_class_is_used(package):
    name = package(apps="""
        from tinyframe.apps import AppConfig

        class LibraryConfig(AppConfig):
            name = "PACKAGE"
            label = "library"
            verbose_name = "The library"
    """)
    config = AppConfig.create(name)
    assert type(config).__name__ == "LibraryConfig"
    assert (config.label, config.verbose_name) == ("library", "The library")


@pytest.mark.parametrize(("default", "expected"), [("True", "SecondConfig"), ("False", "FirstConfig")])
def test_apps_module_with_several_configs_uses_the_default_one(package, default, expected):
    name = package(apps=CONFIGS.replace("DEFAULT", default))
    assert type(AppConfig.create(name)).__name__ == expected


def test_apps_module_with_two_configs_and_no_default_falls_back_to_app_config(package):
    name = package(apps=CONFIGS.replace("default = DEFAULT", "label = 'other'"))
    assert type(AppConfig.create(name)) is AppConfig


def test_two_default_configs_are_an_error(package):
    name = package(apps="""
        from tinyframe.apps import AppConfig

        class FirstConfig(AppConfig):
            name = "PACKAGE"
            default = True

        class SecondConfig(AppConfig):
            name = "PACKAGE"
            default = True
    """)
    with pytest.raises(RuntimeError) as caught:
        AppConfig.create(name)
    assert str(caught.value) == (
        f"'{name}.apps' declares more than one default AppConfig: 'FirstConfig', 'SecondConfig'."
    )


def test_entry_naming_a_config_class_uses_it(package):
    name = package(apps=CONFIGS.replace("DEFAULT", "True"))
    assert type(AppConfig.create(f"{name}.apps.FirstConfig")).__name__ == "FirstConfig"


@pytest.mark.parametrize(("entry", "error", "message"), [
    ("APP.apps.Nope", ImportError, "Module 'APP.apps' does not contain a 'Nope' class. "
                                   "Choices are: 'BadLabel', 'FirstConfig', 'NoName', 'SecondConfig', 'Wrong'."),
    ("APP.apps.NoName", ImproperlyConfigured, "'APP.apps.NoName' must supply a name attribute."),
    ("APP.apps.Wrong", ImproperlyConfigured, "Cannot import 'nowhere_at_all'. Check that "
                                             "'APP.apps.Wrong.name' is correct."),
    ("APP.apps.BadLabel", ImproperlyConfigured, "The app label 'my.app' is not a valid Python identifier."),
    ("json.JSONDecoder", ImproperlyConfigured, "'json.JSONDecoder' isn't a subclass of AppConfig."),
    ("no_such_package_here", ModuleNotFoundError, "No module named 'no_such_package_here'"),
    ("no_such_package_here.apps.Config", ModuleNotFoundError, "No module named 'no_such_package_here'"),
])
def test_bad_entries_explain_themselves(package, entry, error, message):
    name = package(apps=CONFIGS.replace("DEFAULT", "True") + """
    class NoName(AppConfig):
        default = False

    class Wrong(AppConfig):
        name = "nowhere_at_all"
        default = False

    class BadLabel(AppConfig):
        name = "PACKAGE"
        label = "my.app"
        default = False
    """)
    with pytest.raises(error) as caught:
        AppConfig.create(entry.replace("APP", name))
    assert str(caught.value) == message.replace("APP", name)


def test_namespace_package_in_two_folders_needs_a_path(tmp_path, monkeypatch):
    for folder in ("one", "two"):
        (tmp_path / folder / "tinyframe_split_app").mkdir(parents=True)
        monkeypatch.syspath_prepend(str(tmp_path / folder))
    try:
        with pytest.raises(ImproperlyConfigured) as caught:
            AppConfig.create("tinyframe_split_app")
    finally:
        sys.modules.pop("tinyframe_split_app", None)
    assert "has multiple filesystem locations" in str(caught.value)
    assert "with an AppConfig subclass with a 'path' class attribute." in str(caught.value)


def test_default_auto_field_comes_from_settings_unless_the_config_says(package):
    plain = AppConfig.create(package())
    with override_settings(DEFAULT_AUTO_FIELD="tinyframe.db.models.BigAutoField"):
        assert plain.default_auto_field == "tinyframe.db.models.BigAutoField"
    assert plain.default_auto_field == "tinyframe.db.models.AutoField"
    assert not plain._is_default_auto_field_overridden
    custom = AppConfig.create(package(apps="""
        from tinyframe.apps import AppConfig

        class Config(AppConfig):
            name = "PACKAGE"
            default_auto_field = "tinyframe.db.models.BigAutoField"
    """))
    assert custom.default_auto_field == "tinyframe.db.models.BigAutoField"
    assert custom._is_default_auto_field_overridden


READY_RECORDS_WHAT_IT_SEES = """
    import builtins
    from tinyframe.apps import AppConfig

    class Config(AppConfig):
        name = "PACKAGE"

        def ready(self):
            every_models_module = [config.models_module for config in self.apps.get_app_configs()]
            builtins.tinyframe_ready_calls.append((self.label, self.apps.models_ready, every_models_module))
"""


def test_populate_imports_every_models_module_before_any_ready(package, monkeypatch):
    import builtins

    monkeypatch.setattr(builtins, "tinyframe_ready_calls", [], raising=False)
    first = package(models="IMPORTED = True\n", apps=READY_RECORDS_WHAT_IT_SEES)
    second = package(models="IMPORTED = True\n", apps=READY_RECORDS_WHAT_IT_SEES)
    registry = Apps(installed_apps=[first, second])
    registry.populate([first, second])  # a second call does nothing
    models_modules = [sys.modules[f"{first}.models"], sys.modules[f"{second}.models"]]
    assert builtins.tinyframe_ready_calls == [(first, True, models_modules), (second, True, models_modules)]
    assert registry.ready and registry.apps_ready and registry.models_ready
    assert registry.get_app_config(first).models_module.IMPORTED


def test_populate_from_many_threads_runs_once(package):
    name = package(apps="""
        from tinyframe.apps import AppConfig

        class Config(AppConfig):
            name = "PACKAGE"
            calls = 0

            def ready(self):
                import time
                type(self).calls += 1
                time.sleep(0.01)  # let the other threads pile up at the lock
    """)
    registry = Apps(installed_apps=None)
    threads = [threading.Thread(target=registry.populate, args=([name],)) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert type(registry.get_app_config(name)).calls == 1
    assert registry.ready_event.is_set()


def test_duplicate_labels_and_names_are_improperly_configured(package):
    name = package(apps="""
        from tinyframe.apps import AppConfig

        class Config(AppConfig):
            name = "PACKAGE"

        class Relabelled(AppConfig):
            name = "PACKAGE"
            label = "relabelled"
            default = False
    """)
    with pytest.raises(ImproperlyConfigured) as caught:
        Apps(installed_apps=[name, f"{name}.apps.Config"])
    assert str(caught.value) == f"Application labels aren't unique, duplicates: {name}"
    with pytest.raises(ImproperlyConfigured) as caught:
        Apps(installed_apps=[name, f"{name}.apps.Relabelled"])
    assert str(caught.value) == f"Application names aren't unique, duplicates: {name}"


def test_failed_populate_can_be_retried_and_reentry_is_refused(package):
    registry = Apps(installed_apps=None)
    with pytest.raises(ModuleNotFoundError):
        registry.populate(["no_such_app_anywhere"])
    assert not registry.ready and registry.app_configs == {}
    name = package(apps="""
        from tinyframe.apps import AppConfig

        class Config(AppConfig):
            name = "PACKAGE"

            def ready(self):
                self.apps.ready = False  # pretend population is still under way
                self.apps.populate([])
    """)
    with pytest.raises(RuntimeError, match="populate\\(\\) isn't reentrant"):
        registry.populate([name])


@pytest.mark.parametrize(("call", "message"), [
    (lambda registry: registry.get_app_configs(), "Apps aren't loaded yet."),
    (lambda registry: registry.get_app_config("x"), "Apps aren't loaded yet."),
    (lambda registry: registry.get_models(), "Models aren't loaded yet."),
    (lambda registry: registry.get_model("x.Y"), "Models aren't loaded yet."),
])
def test_registry_before_populate_is_not_ready(call, message):
    with pytest.raises(AppRegistryNotReady) as caught:
        call(Apps(installed_apps=None))
    assert str(caught.value) == message


def test_unknown_app_label_names_the_installed_labels_and_suggests_one(package):
    name = package()
    registry = Apps(installed_apps=[name])
    with pytest.raises(LookupError) as caught:
        registry.get_app_config(name[:-1] + "x")
    assert error_text(caught.value) == (
        f"No installed app with label '{name[:-1]}x'.\nInstalled app labels: {name}.\nDid you mean '{name}'?"
    )
    with pytest.raises(LookupError) as caught:
        Apps(installed_apps=[]).get_app_config("library")
    assert error_text(caught.value) == "No installed app with label 'library'.\nInstalled app labels: none."


def test_app_name_given_for_its_label_gets_the_label_suggested(package):
    name = package(apps="""
        from tinyframe.apps import AppConfig

        class Config(AppConfig):
            name = "PACKAGE"
            label = "shelf"
    """)
    with pytest.raises(LookupError) as caught:
        Apps(installed_apps=[name]).get_app_config(name)
    assert str(caught.value) == f"No installed app with label '{name}'. Did you mean 'shelf'?"


@pytest.fixture
def library(package):
    """A registry with one installed app labelled ``library`` holding Book and Author, in that order."""
    name = package(apps="""
        from tinyframe.apps import AppConfig

        class Config(AppConfig):
            name = "PACKAGE"
            label = "library"
    """)
    registry = Apps(installed_apps=[name])
    registry.book, registry.author = fake_model("Book"), fake_model("Author")
    registry.register_model("library", registry.book)
    registry.register_model("library", registry.author)
    registry.register_model("library", fake_model("BookTags", auto_created=True))
    return registry


@pytest.mark.parametrize("arguments", [("library", "Book"), ("library", "BOOK"), ("library.book",), ("library.Book",)])
def test_get_model_by_label_and_name_in_any_case(library, arguments):
    assert library.get_model(*arguments) is library.book


@pytest.mark.parametrize(("arguments", "error", "message"), [
    (("library", "Bok"), LookupError, "App 'library' doesn't have a 'Bok' model.\nDid you mean 'Book'?"),
    (("library",), ValueError, "get_model() needs 'app_label.ModelName' or two arguments, not 'library'."),
    (("libary.Book",), LookupError, "No installed app with label 'libary'.\nInstalled app labels: library.\n"
                                    "Did you mean 'library'?"),
])
def test_get_model_errors(library, arguments, error, message):
    with pytest.raises(error) as caught:
        library.get_model(*arguments)
    assert error_text(caught.value) == message


def test_get_models_lists_installed_models_in_definition_order(library):
    assert library.get_models() == [library.book, library.author]
    assert len(library.get_models(include_auto_created=True)) == 3
    assert list(library.get_app_config("library").get_models()) == [library.book, library.author]
    assert library.all_models["library"]["book"] is library.book


def test_register_model_conflicts_and_repeats(library):
    library.register_model("library", library.book)  # the same class again: nothing happens
    impostor = fake_model("Book", module="elsewhere.models")
    with pytest.raises(RuntimeError) as caught:
        library.register_model("library", impostor)
    assert str(caught.value) == (
        f"Conflicting 'book' models in application 'library': {library.book} and {impostor}."
    )
    reloaded = fake_model("Book")  # same name and module: a module imported twice
    with warnings.catch_warnings(record=True) as caught_warnings:
        warnings.simplefilter("always")
        library.register_model("library", reloaded)
    assert [str(warning.message) for warning in caught_warnings] == [
        "Model 'library.book' was already registered. Reloading models is not advised as it can lead to "
        "inconsistencies, most notably with related models."
    ]
    assert library.get_model("library.Book") is reloaded


def test_models_outside_installed_apps_register_but_are_not_installed(library):
    loose = fake_model("Loose", module="tests.models")
    library.register_model("scratch", loose)
    assert library.get_registered_model("scratch", "Loose") is loose
    assert loose not in library.get_models()
    with pytest.raises(LookupError, match="Model 'scratch.Nope' not registered."):
        library.get_registered_model("scratch", "Nope")


def test_get_containing_app_config_finds_the_innermost_app(package):
    outer = package()
    registry = Apps(installed_apps=[outer])
    config = registry.get_app_config(outer)
    assert registry.get_containing_app_config(f"{outer}.models") is config
    assert registry.get_containing_app_config(outer) is config
    assert registry.get_containing_app_config(f"{outer}x.models") is None
    assert registry.is_installed(outer) and not registry.is_installed(f"{outer}x")


def test_setup_populates_the_project_registry(monkeypatch):
    calls = []
    monkeypatch.setattr(apps, "populate", calls.append)
    tinyframe.setup()
    assert calls == [list(settings.INSTALLED_APPS)], "tinyframe.setup() should populate apps with settings.INSTALLED_APPS"
    assert apps.ready, "the test settings' INSTALLED_APPS are loaded when the tests start"


def test_set_installed_apps_swaps_the_apps_until_unset(package):
    first, second = package(), package()
    registry = Apps(installed_apps=[first])
    registry.set_installed_apps([second])
    assert [config.name for config in registry.get_app_configs()] == [second]
    registry.unset_installed_apps()
    assert [config.name for config in registry.get_app_configs()] == [first]
    with pytest.raises(ModuleNotFoundError):
        registry.set_installed_apps(["no_such_app_anywhere"])
    assert [config.name for config in registry.get_app_configs()] == [first], "a failed swap lost the apps"
    assert registry.ready
    with pytest.raises(AppRegistryNotReady, match="App registry isn't ready yet."):
        Apps(installed_apps=None).set_installed_apps([first])
