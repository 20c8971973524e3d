"""Password validation: the rules a new password must pass, as settings name them.

How it works: ``settings.AUTH_PASSWORD_VALIDATORS`` is a list of dicts, each a
validator class's dotted ``NAME`` and the ``OPTIONS`` its constructor takes.
``get_default_password_validators`` builds them; ``validate_password(password,
user)`` runs every one and raises a single ``ValidationError`` carrying all
their complaints (so a form shows every problem at once); each validator's
``get_help_text`` tells the user the rule before they type. The four
validators are Django's: a minimum length, not too similar to the user's own
username, name or email, not in a list of common passwords (tinyframe's own,
shipped as ``common-passwords.txt``), and not only digits.
"""

import functools
import gzip
import re
from difflib import SequenceMatcher
from pathlib import Path

from tinyframe.conf import settings
from tinyframe.core.exceptions import FieldDoesNotExist, ImproperlyConfigured, ValidationError
from tinyframe.core.validators import plural
from tinyframe.utils.html import format_html, format_html_join
from tinyframe.utils.module_loading import import_string

__all__ = [
    "CommonPasswordValidator", "MinimumLengthValidator", "NumericPasswordValidator",
    "UserAttributeSimilarityValidator", "get_default_password_validators", "get_password_validators",
    "password_changed", "password_validators_help_text_html", "password_validators_help_texts",
    "validate_password",
]


def get_default_password_validators() -> list:
    """The validators ``settings.AUTH_PASSWORD_VALIDATORS`` configures (none by default)."""
    return get_password_validators(settings.AUTH_PASSWORD_VALIDATORS)


def get_password_validators(validator_config: list[dict]) -> list:
    """Build one validator per ``{"NAME": dotted path, "OPTIONS": {...}}`` entry."""
    validators = []
    for validator in validator_config:
        try:
            klass = import_string(validator["NAME"])
        except ImportError:
            raise ImproperlyConfigured(
                f"The module in NAME could not be imported: {validator['NAME']}. "
                f"Check your AUTH_PASSWORD_VALIDATORS setting."
            ) from None
        validators.append(klass(**validator.get("OPTIONS", {})))
    return validators


def validate_password(password: str, user=None, password_validators: list | None = None) -> None:
    """Run every validator on ``password``; raise one ``ValidationError`` with all their errors, or return None.

    ``user`` (saved or not) lets the similarity validator compare the password
    with the user's own attributes.
    """
    if password_validators is None:
        password_validators = get_default_password_validators()
    errors = []
    for validator in password_validators:
        try:
            validator.validate(password, user)
        except ValidationError as error:
            errors.append(error)
    if errors:
        raise ValidationError(errors)


def password_changed(password: str, user=None, password_validators: list | None = None) -> None:
    """Tell the validators that have a ``password_changed(password, user)`` method that the password changed.

    None of the four built-in validators has one; a validator that refuses
    reusing an old password would record the new one there.
    """
    if password_validators is None:
        password_validators = get_default_password_validators()
    for validator in password_validators:
        changed = getattr(validator, "password_changed", None)
        if changed is not None:
            changed(password, user)


def password_validators_help_texts(password_validators: list | None = None) -> list[str]:
    """Each validator's rule, as a sentence for the user."""
    if password_validators is None:
        password_validators = get_default_password_validators()
    return [validator.get_help_text() for validator in password_validators]


def password_validators_help_text_html(password_validators: list | None = None) -> str:
    """The rules as an HTML ``<ul>`` (escaped), or ``""`` when there are none: a password field's help text."""
    help_texts = password_validators_help_texts(password_validators)
    items = format_html_join("", "<li>{}</li>", ((help_text,) for help_text in help_texts))
    return format_html("<ul>{}</ul>", items) if items else ""


class MinimumLengthValidator:
    """At least ``min_length`` characters (8 unless told)."""

    def __init__(self, min_length: int = 8):
        self.min_length = min_length

    def validate(self, password: str, user=None) -> None:
        if len(password) < self.min_length:
            raise ValidationError(self.get_error_message(), code="password_too_short",
                                  params={"min_length": self.min_length})

    def get_error_message(self) -> str:
        characters = plural(self.min_length, "character", "characters")
        return f"This password is too short. It must contain at least {self.min_length} {characters}."

    def get_help_text(self) -> str:
        characters = plural(self.min_length, "character", "characters")
        return f"Your password must contain at least {self.min_length} {characters}."


def exceeds_maximum_length_ratio(password: str, max_similarity: float, value: str) -> bool:
    """Whether ``value`` is so much shorter than ``password`` that they cannot be ``max_similarity`` alike.

    ``SequenceMatcher.quick_ratio`` is at most ``2 * len(value) / (len(password)
    + len(value))``; when a password is ten times longer than the value, and
    short of the value's bound, the comparison can be skipped (and a very
    long password does not cost a slow match per attribute).

    >>> exceeds_maximum_length_ratio("a" * 100, 0.7, "ab"), exceeds_maximum_length_ratio("abcd", 0.7, "ab")
    (True, False)
    """
    password_length, value_length = len(password), len(value)
    return password_length >= 10 * value_length and value_length < max_similarity / 2 * password_length


class UserAttributeSimilarityValidator:
    """Not too like the user's username, first or last name, or email (nor any word of them).

    "Too like" is ``difflib.SequenceMatcher.quick_ratio() >= max_similarity``
    (0.7), comparing lowercase text.
    """

    DEFAULT_USER_ATTRIBUTES = ("username", "first_name", "last_name", "email")

    def __init__(self, user_attributes=DEFAULT_USER_ATTRIBUTES, max_similarity: float = 0.7):
        self.user_attributes = user_attributes
        if max_similarity < 0.1:
            raise ValueError("max_similarity must be at least 0.1")
        self.max_similarity = max_similarity

    def validate(self, password: str, user=None) -> None:
        if not user:
            return
        password = password.lower()
        for attribute_name in self.user_attributes:
            value = getattr(user, attribute_name, None)
            if not value or not isinstance(value, str):
                continue
            value = value.lower()
            # "jo.smith@example.com" is compared whole and as "jo", "smith", "example", "com".
            for part in [*re.split(r"\W+", value), value]:
                if exceeds_maximum_length_ratio(password, self.max_similarity, part):
                    continue
                if SequenceMatcher(a=password, b=part).quick_ratio() >= self.max_similarity:
                    raise ValidationError(self.get_error_message(), code="password_too_similar",
                                          params={"verbose_name": self._verbose_name(user, attribute_name)})

    @staticmethod
    def _verbose_name(user, attribute_name: str) -> str:
        try:
            return str(user._meta.get_field(attribute_name).verbose_name)
        except (AttributeError, FieldDoesNotExist):
            return attribute_name

    def get_error_message(self) -> str:
        return "The password is too similar to the %(verbose_name)s."

    def get_help_text(self) -> str:
        return "Your password can’t be too similar to your other personal information."


@functools.lru_cache
def _read_password_list(path: str) -> frozenset:
    """The passwords listed in the file at ``path``, one a line (gzip or plain text), read once per path."""
    try:
        with gzip.open(path, "rt", encoding="utf-8") as file:
            return frozenset(line.strip() for line in file)
    except OSError:  # not gzip: plain text
        with open(path, encoding="utf-8") as file:
            return frozenset(line.strip() for line in file)


class CommonPasswordValidator:
    """Not one of the commonly used passwords in ``password_list_path`` (lowercase, one a line).

    The default list, ``common-passwords.txt`` beside this module, holds
    about twenty thousand: the passwords an attacker tries first. It is our
    own list of common patterns and words (repeated and sequential digits,
    keyboard walks such as ``qwertyuiop`` and ``1qaz2wsx``, the commonest
    words and names with the digits, years and symbols people add, and their
    leetspeak spellings such as ``p@ssw0rd``), not a copy of a list of leaked
    passwords, which Django's is. The comparison ignores case and surrounding
    spaces.
    """

    DEFAULT_PASSWORD_LIST_PATH = Path(__file__).resolve().parent / "common-passwords.txt"

    def __init__(self, password_list_path=DEFAULT_PASSWORD_LIST_PATH):
        self.passwords = _read_password_list(str(password_list_path))

    def validate(self, password: str, user=None) -> None:
        if password.lower().strip() in self.passwords:
            raise ValidationError(self.get_error_message(), code="password_too_common")

    def get_error_message(self) -> str:
        return "This password is too common."

    def get_help_text(self) -> str:
        return "Your password can’t be a commonly used password."


class NumericPasswordValidator:
    """Not only digits."""

    def validate(self, password: str, user=None) -> None:
        if password.isdigit():
            raise ValidationError(self.get_error_message(), code="password_entirely_numeric")

    def get_error_message(self) -> str:
        return "This password is entirely numeric."

    def get_help_text(self) -> str:
        return "Your password can’t be entirely numeric."
