"""Users: making them, their passwords, their names, and the anonymous visitor.

The messages and rules are Django 5.2's: ``create_user``'s and
``create_superuser``'s ValueErrors, the username validators' texts, the
email domain lower-cased, the username NFKC-normalised. A password is
stored only as a hash and shows nowhere: not in the row, not in ``repr``.
"""

import pytest

from tinyframe.core.exceptions import ValidationError

PASSWORD = "correct horse"


def test_create_user_hashes_the_password_and_normalises_the_email(contrib_tables):
    from tinyframe.contrib.auth.models import User

    ada = User.objects.create_user("ada", "Ada.Lovelace@EXAMPLE.Org", PASSWORD)
    ada = User.objects.get(pk=ada.pk)
    assert ada.email == "Ada.Lovelace@example.org"
    assert ada.password.startswith("md5$") and PASSWORD not in ada.password
    assert ada.check_password(PASSWORD)
    assert not ada.check_password("wrong")
    assert (ada.is_staff, ada.is_superuser, ada.is_active) == (False, False, True)
    assert ada.date_joined is not None and ada.last_login is None


def test_create_user_normalises_the_username(contrib_tables):
    from tinyframe.contrib.auth.models import User

    assert User.objects.create_user("ﬁona").username == "fiona"


def test_create_user_needs_a_username(contrib_tables):
    from tinyframe.contrib.auth.models import User

    with pytest.raises(ValueError) as caught:
        User.objects.create_user("", password=PASSWORD)
    assert str(caught.value) == "The given username must be set"
    assert User.objects.count() == 0


def test_a_user_made_without_a_password_cannot_log_in(contrib_tables):
    from tinyframe.contrib.auth import authenticate
    from tinyframe.contrib.auth.models import User

    ada = User.objects.create_user("ada")
    assert ada.password.startswith("!") and not ada.has_usable_password()
    assert authenticate(username="ada", password="") is None


def test_create_superuser_sets_both_flags(contrib_tables):
    from tinyframe.contrib.auth.models import User

    root = User.objects.create_superuser("root", "root@example.org", PASSWORD)
    assert (root.is_staff, root.is_superuser) == (True, True)


@pytest.mark.parametrize(
    "flags, message",
    [
        ({"is_staff": False}, "Superuser must have is_staff=True."),
        ({"is_superuser": False}, "Superuser must have is_superuser=True."),
    ],
)
def test_create_superuser_refuses_a_superuser_without_the_flags(contrib_tables, flags, message):
    from tinyframe.contrib.auth.models import User

    with pytest.raises(ValueError) as caught:
        User.objects.create_superuser("root", "root@example.org", PASSWORD, **flags)
    assert str(caught.value) == message


@pytest.mark.parametrize(
    "email, normalized",
    [
        ("ada@EXAMPLE.org", "ada@example.org"),
        ("Ada@Example.ORG", "Ada@example.org"),
        ("  a@b@EXAMPLE.ORG  ", "a@b@example.org"),
        ("no-at-sign", "no-at-sign"),
        ("", ""),
        (None, ""),
    ],
)
def test_normalize_email_lowercases_the_domain_only(email, normalized):
    from tinyframe.contrib.auth.base_user import BaseUserManager

    assert BaseUserManager.normalize_email(email) == normalized


def test_set_password_keeps_only_the_hash(user):
    user.set_password("a new one")
    assert "a new one" not in user.password
    assert "a new one" not in repr(user) and "a new one" not in str(user)
    assert repr(user) == "<User: ada>"
    user.save()
    assert user._password is None, "the raw password stayed on the object after save()"
    assert type(user).objects.get(pk=user.pk).check_password("a new one")


def test_saving_a_new_password_tells_the_password_validators(user, use_settings, throwaway_module):
    told = []

    class Recorder:
        def validate(self, password, user=None):
            pass

        def password_changed(self, password, user=None):
            told.append((password, user.username))

    module = throwaway_module(Recorder=Recorder)
    use_settings(AUTH_PASSWORD_VALIDATORS=[{"NAME": f"{module}.Recorder"}])
    user.first_name = "Ada"
    user.save()
    assert told == [], "no password changed"
    user.set_password("a new one")
    user.save()
    user.save()
    assert told == [("a new one", "ada")]


@pytest.fixture
def old_hash(use_settings):
    """A PBKDF2-SHA1 hash of PASSWORD (at a small count, for speed), while MD5 is the preferred hasher."""
    from tinyframe.contrib.auth.hashers import PBKDF2SHA1PasswordHasher

    use_settings(PASSWORD_HASHERS=[
        "tinyframe.contrib.auth.hashers.MD5PasswordHasher", "tinyframe.contrib.auth.hashers.PBKDF2SHA1PasswordHasher"
    ])  # fmt: skip
    return PBKDF2SHA1PasswordHasher().encode(PASSWORD, "seasalt", iterations=1000)


def test_an_outdated_hash_is_replaced_when_the_password_is_checked(user, old_hash):
    user.password = old_hash
    user.save()
    assert user.check_password(PASSWORD)
    assert user.password.startswith("md5$"), "the hash was not remade with the preferred hasher"
    assert type(user).objects.get(pk=user.pk).password == user.password, "the new hash was not saved"


def test_a_wrong_password_leaves_an_outdated_hash_as_it_is(user, old_hash):
    old = user.password = old_hash
    user.save()
    assert not user.check_password("wrong")
    assert user.password == old


def test_set_unusable_password(user):
    assert user.has_usable_password()
    user.set_unusable_password()
    assert not user.has_usable_password()
    assert not user.check_password(PASSWORD)
    assert not user.check_password(None)


def test_names(contrib_tables):
    from tinyframe.contrib.auth.models import User

    ada = User(username="ada", first_name="Ada", last_name="Lovelace")
    assert (ada.get_username(), str(ada), ada.natural_key()) == ("ada", "ada", ("ada",))
    assert (ada.get_full_name(), ada.get_short_name()) == ("Ada Lovelace", "Ada")
    assert User(username="x", last_name="Hopper").get_full_name() == "Hopper"
    assert User.get_email_field_name() == "email"
    assert (ada.is_authenticated, ada.is_anonymous) == (True, False)


def test_users_are_found_by_natural_key(user):
    from tinyframe.contrib.auth.models import User

    assert User.objects.get_by_natural_key("ada") == user
    with pytest.raises(User.DoesNotExist):
        User.objects.get_by_natural_key("Ada")


def test_clean_normalises_the_username_and_the_email():
    from tinyframe.contrib.auth.models import User

    ada = User(username="ﬁona", email="Fiona@EXAMPLE.org")
    ada.clean()
    assert (ada.username, ada.email) == ("fiona", "Fiona@example.org")


def test_full_clean_refuses_a_bad_username_and_a_taken_one(user):
    from tinyframe.contrib.auth.models import User

    with pytest.raises(ValidationError) as caught:
        User(username="ada lovelace", password="x").full_clean()
    assert caught.value.message_dict["username"] == [
        "Enter a valid username. This value may contain only letters, numbers, and @/./+/-/_ characters."
    ]
    with pytest.raises(ValidationError) as caught:
        User(username="ada", password="x").full_clean()
    assert caught.value.message_dict["username"] == ["A user with that username already exists."]


@pytest.mark.parametrize(
    "username, unicode_ok, ascii_ok",
    [
        ("ada", True, True),
        ("ada.lovelace+blog@example.org", True, True),
        ("under_score-dash", True, True),
        ("zoë", True, False),
        ("Ярослав", True, False),
        ("ada lovelace", False, False),
        ("ada\n", False, False),
        ("semi;colon", False, False),
        ("", False, False),
    ],
)
def test_username_validators(username, unicode_ok, ascii_ok):
    from tinyframe.contrib.auth.validators import ASCIIUsernameValidator, UnicodeUsernameValidator

    for validator, ok in ((UnicodeUsernameValidator(), unicode_ok), (ASCIIUsernameValidator(), ascii_ok)):
        if ok:
            validator(username)
        else:
            with pytest.raises(ValidationError) as caught:
                validator(username)
            assert caught.value.code == "invalid"


def test_the_validators_deconstruct_for_migrations():
    from tinyframe.contrib.auth.validators import UnicodeUsernameValidator

    assert UnicodeUsernameValidator().deconstruct() == (
        "tinyframe.contrib.auth.validators.UnicodeUsernameValidator", (), {}
    )  # fmt: skip


def test_the_session_auth_hash_follows_the_password_and_the_fallback_keys(use_settings):
    from tinyframe.contrib.auth.models import User

    ada = User(password="md5$salt$7d2d5d1d8b6e4f9a0c3b2a1f0e9d8c7b")
    before = ada.get_session_auth_hash()
    assert list(ada.get_session_auth_fallback_hash()) == []
    use_settings(SECRET_KEY="new", SECRET_KEY_FALLBACKS=["tinyframe-tests-not-secret"])
    assert list(ada.get_session_auth_fallback_hash()) == [before]
    assert ada.get_session_auth_hash() != before
    ada.password = "md5$salt$0000"
    assert list(ada.get_session_auth_fallback_hash()) != [before]


# -- the anonymous visitor ----------------------------------------------------------------------


def test_the_anonymous_user():
    from tinyframe.contrib.auth.models import AnonymousUser

    visitor = AnonymousUser()
    assert (visitor.id, visitor.pk, visitor.username, visitor.get_username()) == (None, None, "", "")
    assert (visitor.is_authenticated, visitor.is_anonymous) == (False, True)
    assert (visitor.is_staff, visitor.is_superuser, visitor.is_active) == (False, False, False)
    assert str(visitor) == "AnonymousUser"
    assert visitor == AnonymousUser() and visitor != object()
    assert hash(visitor) == hash(AnonymousUser())
    assert len({visitor, AnonymousUser()}) == 1


def test_the_anonymous_user_is_not_an_integer():
    from tinyframe.contrib.auth.models import AnonymousUser

    with pytest.raises(TypeError) as caught:
        int(AnonymousUser())
    assert str(caught.value) == "Cannot cast AnonymousUser to int. Are you trying to use it in place of User?"


@pytest.mark.parametrize(
    "call",
    [
        lambda visitor: visitor.save(),
        lambda visitor: visitor.delete(),
        lambda visitor: visitor.set_password("x"),
        lambda visitor: visitor.check_password("x"),
    ],
)
def test_the_anonymous_user_has_no_row(call):
    from tinyframe.contrib.auth.models import AnonymousUser

    with pytest.raises(NotImplementedError) as caught:
        call(AnonymousUser())
    assert str(caught.value) == "tinyframe doesn't provide a DB representation for AnonymousUser."


def test_update_last_login_records_the_time(user):
    from tinyframe.contrib.auth.models import update_last_login

    update_last_login(None, user)
    assert type(user).objects.get(pk=user.pk).last_login == user.last_login is not None


def test_the_user_model_and_its_meta():
    from tinyframe.contrib.auth.models import AbstractUser, User

    assert User._meta.swappable == "AUTH_USER_MODEL" and User._meta.swapped is None
    assert AbstractUser._meta.abstract
    assert [field.name for field in User._meta.fields] == [
        "id", "password", "last_login", "is_superuser", "username", "first_name", "last_name", "email",
        "is_staff", "is_active", "date_joined",
    ]  # fmt: skip
    assert [field.name for field in User._meta.many_to_many] == ["groups", "user_permissions"]
    assert (User.USERNAME_FIELD, User.EMAIL_FIELD, User.REQUIRED_FIELDS) == ("username", "email", ["email"])
    assert str(User._meta.verbose_name) == "user"


def test_remaking_an_outdated_hash_is_not_a_password_change(user, old_hash, use_settings, throwaway_module):
    told = []

    class Recorder:
        def password_changed(self, password, user=None):
            told.append(password)

    user.password = old_hash
    user.save()
    use_settings(AUTH_PASSWORD_VALIDATORS=[{"NAME": f"{throwaway_module(Recorder=Recorder)}.Recorder"}])
    assert user.check_password(PASSWORD)
    assert user.password.startswith("md5$")
    assert told == [], "the validators were told of a password change when only the hash was remade"
