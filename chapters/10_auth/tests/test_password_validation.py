"""Password validators: Django's four, their messages, codes and help texts (checked against Django 5.2)."""

import pytest

from tinyframe.contrib.auth import password_validation
from tinyframe.contrib.auth.password_validation import (
    CommonPasswordValidator,
    MinimumLengthValidator,
    NumericPasswordValidator,
    UserAttributeSimilarityValidator,
    get_default_password_validators,
    get_password_validators,
    password_changed,
    password_validators_help_text_html,
    password_validators_help_texts,
    validate_password,
)
from tinyframe.core.exceptions import ImproperlyConfigured, ValidationError

FOUR = [
    {"NAME": "tinyframe.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "tinyframe.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 9}},
    {"NAME": "tinyframe.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "tinyframe.contrib.auth.password_validation.NumericPasswordValidator"},
]


def errors_of(validator, password, user=None) -> list[tuple[str, str, dict | None]]:
    """``(code, message, params)`` of each error ``validator`` raises for ``password``; [] when it passes."""
    try:
        validator.validate(password, user)
    except ValidationError as error:
        return [(e.code, ValidationError(e).messages[0], e.params) for e in error.error_list]
    return []


@pytest.fixture
def user():
    """An unsaved user, as UserCreationForm validates one."""
    from tinyframe.contrib.auth.models import User

    return User(username="johnsmith", first_name="John", last_name="Smith", email="john.smith@example.com")


def test_no_validators_by_default():
    assert get_default_password_validators() == []
    assert validate_password("1") is None
    assert password_validators_help_texts() == [] and password_validators_help_text_html() == ""


def test_the_setting_builds_the_validators_with_their_options(use_settings):
    use_settings(AUTH_PASSWORD_VALIDATORS=FOUR)
    validators = get_default_password_validators()
    assert [type(v) for v in validators] == [
        UserAttributeSimilarityValidator, MinimumLengthValidator, CommonPasswordValidator, NumericPasswordValidator,
    ]
    assert validators[1].min_length == 9


def test_an_unimportable_validator_is_named():
    with pytest.raises(ImproperlyConfigured) as caught:
        get_password_validators([{"NAME": "nowhere.Nothing"}])
    assert str(caught.value) == (
        "The module in NAME could not be imported: nowhere.Nothing. Check your AUTH_PASSWORD_VALIDATORS setting."
    )


def test_validate_password_reports_every_problem_at_once(use_settings):
    use_settings(AUTH_PASSWORD_VALIDATORS=FOUR)
    with pytest.raises(ValidationError) as caught:
        validate_password("1234")
    assert caught.value.messages == [
        "This password is too short. It must contain at least 9 characters.",
        "This password is too common.",
        "This password is entirely numeric.",
    ]
    assert [e.code for e in caught.value.error_list] == [
        "password_too_short", "password_too_common", "password_entirely_numeric",
    ]
    assert validate_password("a quiet tortoise") is None


@pytest.mark.parametrize(
    "min_length, password, expected",
    [
        (8, "short", [("password_too_short",
                       "This password is too short. It must contain at least 8 characters.", {"min_length": 8})]),
        (8, "eightchr", []),
        (1, "", [("password_too_short",
                  "This password is too short. It must contain at least 1 character.", {"min_length": 1})]),
    ],
)
def test_minimum_length(min_length, password, expected):
    assert errors_of(MinimumLengthValidator(min_length), password) == expected


def test_help_texts():
    assert MinimumLengthValidator().get_help_text() == "Your password must contain at least 8 characters."
    assert MinimumLengthValidator(1).get_help_text() == "Your password must contain at least 1 character."
    assert CommonPasswordValidator().get_help_text() == "Your password can’t be a commonly used password."
    assert NumericPasswordValidator().get_help_text() == "Your password can’t be entirely numeric."
    assert UserAttributeSimilarityValidator().get_help_text() == (
        "Your password can’t be too similar to your other personal information."
    )


def test_help_text_html_escapes_and_lists(use_settings):
    class Angled:
        def get_help_text(self):
            return "Not <script>"

    validators = [MinimumLengthValidator(), NumericPasswordValidator(), Angled()]
    assert password_validators_help_text_html(validators) == (
        "<ul><li>Your password must contain at least 8 characters.</li>"
        "<li>Your password can’t be entirely numeric.</li><li>Not &lt;script&gt;</li></ul>"
    )
    use_settings(AUTH_PASSWORD_VALIDATORS=FOUR[3:])
    assert password_validators_help_texts() == ["Your password can’t be entirely numeric."]


@pytest.mark.parametrize(
    "password, verbose_name",
    [
        ("johnsmith", "username"),
        ("Smith123", "last name"),
        ("jsmith", "username"),
        ("example", "email address"),  # a word of the address
        ("john.smith@example.com", "email address"),
        ("smithjohn", "username"),
        ("JOHN", "first name"),
        ("correcthorse", None),
        ("xjohnsmith" + "x" * 40, None),  # ten times longer than the username: not compared
    ],
)
def test_user_attribute_similarity(user, password, verbose_name):
    expected = [] if verbose_name is None else [
        ("password_too_similar", f"The password is too similar to the {verbose_name}.", {"verbose_name": verbose_name})
    ]
    assert errors_of(UserAttributeSimilarityValidator(), password, user) == expected


def test_user_attribute_similarity_without_a_user_or_a_model():
    validator = UserAttributeSimilarityValidator(user_attributes=("nickname", "age", "missing"), max_similarity=0.5)
    assert errors_of(validator, "johnsmith") == []

    class Plain:
        nickname = "johnny"
        age = 31  # not text: skipped

    assert errors_of(validator, "johnny", Plain()) == [
        ("password_too_similar", "The password is too similar to the nickname.", {"verbose_name": "nickname"})
    ]
    with pytest.raises(ValueError) as caught:
        UserAttributeSimilarityValidator(max_similarity=0.05)
    assert str(caught.value) == "max_similarity must be at least 0.1"


@pytest.mark.parametrize("password", ["password", "PASSWORD", "  qwerty  ", "123456", "letmein", "iloveyou", "1990"])
def test_common_passwords_are_refused(password):
    assert errors_of(CommonPasswordValidator(), password) == [
        ("password_too_common", "This password is too common.", None)
    ]


@pytest.mark.parametrize(
    "password",
    ["123123123", "88888888", "777777777777", "987654321", "1234512345", "qwertyuiop", "1qaz2wsx", "qazwsxedc",
     "password123", "Password1!", "p@ssw0rd", "iloveyou1", "letmein!", "dragon2024", "sunshine1987"],
)
def test_common_patterns_of_eight_or_more_characters_are_refused(password):
    # Repeated and sequential digits, keyboard walks, common words with the digits, years and symbols
    # people add, and leetspeak: the passwords at least 8 long that MinimumLengthValidator lets through.
    assert errors_of(CommonPasswordValidator(), password) == [
        ("password_too_common", "This password is too common.", None)
    ], f"CommonPasswordValidator().validate({password!r}) should refuse it as too common"


def test_the_shipped_list_is_sorted_unique_and_lowercase():
    lines = CommonPasswordValidator.DEFAULT_PASSWORD_LIST_PATH.read_text(encoding="utf-8").splitlines()
    assert 5_000 <= len(lines) <= 25_000, f"common-passwords.txt has {len(lines)} lines; expected about 20,000"
    assert lines == sorted(set(lines)), "common-passwords.txt should be sorted, one password a line, no duplicates"
    unfit = [line for line in lines if not line or line != line.lower().strip()]
    assert unfit == [], f"blank, uppercase or space-padded lines in common-passwords.txt: {unfit[:10]}"
    assert errors_of(CommonPasswordValidator(), "a quiet tortoise") == []
    assert errors_of(CommonPasswordValidator(), "correct horse battery staple") == []


def test_a_list_of_ones_own_plain_or_gzipped(tmp_path):
    import gzip

    plain = tmp_path / "mine.txt"
    plain.write_text("hunter2\nswordfish\n")
    zipped = tmp_path / "mine.txt.gz"
    with gzip.open(zipped, "wt") as file:
        file.write("tortoise\n")
    assert errors_of(CommonPasswordValidator(plain), "Swordfish") != []
    assert errors_of(CommonPasswordValidator(plain), "password") == []
    assert errors_of(CommonPasswordValidator(str(zipped)), "tortoise") != []


@pytest.mark.parametrize("password, refused", [("12345678", True), ("٣٤٥٦٧٨٩٠", True), ("1234567a", False)])
def test_numeric(password, refused):
    expected = [("password_entirely_numeric", "This password is entirely numeric.", None)] if refused else []
    assert errors_of(NumericPasswordValidator(), password) == expected


def test_password_changed_tells_the_validators_that_listen():
    heard = []

    class Remembering:
        def validate(self, password, user=None):
            pass

        def password_changed(self, password, user=None):
            heard.append((password, user))

    password_changed("new one", "someone", [Remembering(), NumericPasswordValidator()])
    assert heard == [("new one", "someone")]
    password_changed("x")  # the default validators: none listen


def test_exceeds_maximum_length_ratio():
    assert password_validation.exceeds_maximum_length_ratio("a" * 100, 0.7, "ab")
    assert not password_validation.exceeds_maximum_length_ratio("abcd", 0.7, "ab")
