"""Settings: one object that every part of tinyframe reads its configuration from.

How it works: ``settings`` is a ``LazySettings``. The first time a setting is read
it loads, once, either the values given to ``settings.configure(**options)`` or
the module named by the ``TINYFRAME_SETTINGS_MODULE`` environment variable, on top
of the defaults in ``global_settings``. Until then importing ``settings`` costs
nothing, so any module may import it at the top.
"""

import importlib
import os

from tinyframe.conf import global_settings
from tinyframe.core.exceptions import ImproperlyConfigured

ENVIRONMENT_VARIABLE = "TINYFRAME_SETTINGS_MODULE"

# Settings that must be a list or a tuple; a bare string here is a classic typo
# (ALLOWED_HOSTS = "example.com" would allow every host made of those letters).
SEQUENCE_SETTINGS = ("ALLOWED_HOSTS", "INSTALLED_APPS", "SECRET_KEY_FALLBACKS")


class Settings:
    """The settings read from a project's settings module, over the defaults."""

    def __init__(self, settings_module: str):
        for name in dir(global_settings):
            if name.isupper():
                setattr(self, name, getattr(global_settings, name))
        self.SETTINGS_MODULE = settings_module
        try:
            module = importlib.import_module(settings_module)
        except ImportError as exc:
            raise ImproperlyConfigured(
                f"Cannot import the settings module {settings_module!r} named by "
                f"{ENVIRONMENT_VARIABLE}: {exc}. Is it on sys.path?"
            ) from exc
        for name in dir(module):
            if name.isupper():
                value = getattr(module, name)
                check_setting(name, value)
                setattr(self, name, value)


class UserSettingsHolder:
    """Settings given in code (``settings.configure``), falling back to the defaults.

    ``override_settings`` stacks one of these over the current settings, so a
    test can change a value and put it back by dropping the holder.
    """

    SETTINGS_MODULE = None

    def __init__(self, default_settings):
        self.__dict__["default_settings"] = default_settings

    def __getattr__(self, name):
        if not name.isupper():
            raise AttributeError(name)
        return getattr(self.default_settings, name)

    def __setattr__(self, name, value):
        check_setting(name, value)
        super().__setattr__(name, value)


def check_setting(name: str, value) -> None:
    """Reject setting values that are certainly mistakes, naming the setting.

    >>> check_setting("ALLOWED_HOSTS", "example.com")
    Traceback (most recent call last):
      ...
    tinyframe.core.exceptions.ImproperlyConfigured: The ALLOWED_HOSTS setting must be a list or a tuple, not 'example.com'.
    """
    if name in SEQUENCE_SETTINGS and not isinstance(value, (list, tuple)):
        raise ImproperlyConfigured(f"The {name} setting must be a list or a tuple, not {value!r}.")


class LazySettings:
    """The ``settings`` object: loads the real settings the first time one is read.

    Values are cached on this object after the first read, since the request
    path reads settings on every request; replacing the settings (``configure``,
    ``override_settings``) clears the cache.
    """

    def __init__(self):
        self.__dict__["_wrapped"] = None

    def _setup(self, name: str | None = None) -> None:
        settings_module = os.environ.get(ENVIRONMENT_VARIABLE)
        if not settings_module:
            wanted = f"setting {name}" if name else "settings"
            raise ImproperlyConfigured(
                f"Requested {wanted}, but settings are not configured. Either call "
                f"settings.configure(...) before using tinyframe, or set the environment "
                f"variable {ENVIRONMENT_VARIABLE} to the dotted path of your settings module."
            )
        self._replace(Settings(settings_module))

    def _setup_if_needed(self) -> None:
        if self._wrapped is None:
            self._setup()

    def _replace(self, wrapped) -> None:
        """Swap the settings behind this object and forget every cached value."""
        self.__dict__.clear()
        self.__dict__["_wrapped"] = wrapped

    def __getattr__(self, name):
        if not name.isupper():
            # Settings are upper case; anything else (such as the __wrapped__ that
            # inspect and doctest probe for) is simply not here, and must not load them.
            raise AttributeError(f"settings have no attribute {name!r}; setting names are upper case")
        if self._wrapped is None:
            self._setup(name)
        value = getattr(self._wrapped, name)
        if name == "SECRET_KEY" and not value:
            raise ImproperlyConfigured(
                "The SECRET_KEY setting must not be empty. Set it to a long random string "
                "(python -c 'import secrets; print(secrets.token_urlsafe(50))')."
            )
        self.__dict__[name] = value
        return value

    def __setattr__(self, name, value):
        if self._wrapped is None:
            self._setup(name)
        setattr(self._wrapped, name, value)
        self.__dict__.pop(name, None)

    def __delattr__(self, name):
        if self._wrapped is None:
            self._setup(name)
        delattr(self._wrapped, name)
        self.__dict__.pop(name, None)

    def configure(self, default_settings=global_settings, **options) -> None:
        """Configure settings in code, instead of through a settings module.

        Call it once, before anything reads a setting. Names must be upper case,
        as in a settings module.
        """
        if self._wrapped is not None:
            raise RuntimeError("Settings already configured.")
        holder = UserSettingsHolder(default_settings)
        for name, value in options.items():
            if not name.isupper():
                raise TypeError(f"Setting {name!r} must be uppercase.")
            setattr(holder, name, value)
        self._replace(holder)

    @property
    def configured(self) -> bool:
        """Whether settings have been loaded or configured yet."""
        return self._wrapped is not None


settings = LazySettings()
# >>> 10_auth


class SettingsReference(str):
    """A setting's value that remembers the setting: ``ForeignKey(settings.AUTH_USER_MODEL)`` in a migration file.

    Made by the relation fields' ``deconstruct`` (``db.models.swappable``);
    the migration writer prints it as ``settings.AUTH_USER_MODEL``.
    """

    def __new__(cls, value, setting_name: str):
        return super().__new__(cls, value)

    def __init__(self, value, setting_name: str):
        self.setting_name = setting_name


# <<< 10_auth
