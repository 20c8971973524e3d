"""Validating a form: full_clean's order, clean_<name>, clean, add_error, has_error (exercise 09.4 marks _clean_fields)."""

import pytest


@pytest.fixture
def ProfileForm(forms):
    """A form whose clean_<name> methods record the order they ran in."""

    class ProfileForm(forms.Form):
        username = forms.CharField(max_length=10)
        age = forms.IntegerField(min_value=0)
        plan = forms.ChoiceField(choices=[("free", "Free"), ("pro", "Pro")])

        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            self.calls = []

        def clean_username(self):
            self.calls.append(("clean_username", dict(self.cleaned_data)))
            return self.cleaned_data["username"].lower()

        def clean_age(self):
            self.calls.append(("clean_age", dict(self.cleaned_data)))
            return self.cleaned_data["age"]

    return ProfileForm


@pytest.mark.exercise("09.4")
def test_each_field_is_cleaned_then_its_clean_method_runs_in_field_order(ProfileForm):
    form = ProfileForm({"username": " Ada ", "age": "36", "plan": "pro"})

    assert form.is_valid(), f"the form should be valid; its errors: {form.errors.as_data()}"
    assert form.cleaned_data == {"username": "ada", "age": 36, "plan": "pro"}, (
        "username is stripped by CharField.clean, then lowered by clean_username; age becomes an int"
    )
    assert form.calls == [
        ("clean_username", {"username": "Ada"}),
        ("clean_age", {"username": "ada", "age": 36}),
    ], "clean_<name> runs right after its own field's clean, and sees the earlier fields' cleaned values"


@pytest.mark.exercise("09.4")
def test_a_field_that_fails_gets_the_error_and_skips_its_clean_method(ProfileForm):
    form = ProfileForm({"username": "ada", "age": "old", "plan": "pro"})

    assert not form.is_valid()
    assert form.errors == {"age": ["Enter a whole number."]}
    assert form.errors.as_data()["age"][0].code == "invalid"
    assert [name for name, _ in form.calls] == ["clean_username"], "clean_age must not run when age is invalid"
    assert form.cleaned_data == {"username": "ada", "plan": "pro"}, "a field with an error is not in cleaned_data"


@pytest.mark.exercise("09.4")
def test_every_field_is_cleaned_even_after_an_error(ProfileForm):
    form = ProfileForm({"username": "far too long a name", "age": "-1", "plan": "gold"})

    assert not form.is_valid()
    assert form.errors == {
        "username": ["Ensure this value has at most 10 characters (it has 19)."],
        "age": ["Ensure this value is greater than or equal to 0."],
        "plan": ["Select a valid choice. gold is not one of the available choices."],
    }
    assert form.cleaned_data == {}


@pytest.mark.exercise("09.4")
def test_missing_data_is_required_and_none_of_the_clean_methods_run(ProfileForm):
    form = ProfileForm({})

    assert not form.is_valid()
    assert {name: [error.code for error in errors] for name, errors in form.errors.as_data().items()} == {
        "username": ["required"],
        "age": ["required"],
        "plan": ["required"],
    }
    assert form.calls == []


@pytest.mark.exercise("09.4")
def test_a_validation_error_from_clean_name_belongs_to_that_field(forms):
    class RenameForm(forms.Form):
        old = forms.CharField()
        new = forms.CharField()

        def clean_new(self):
            new = self.cleaned_data["new"]
            if new == self.cleaned_data.get("old"):
                raise forms.ValidationError("Choose a name other than %(old)s.", code="same", params={"old": new})
            return new

    form = RenameForm({"old": "report", "new": "report"})

    assert not form.is_valid()
    assert form.errors == {"new": ["Choose a name other than report."]}
    assert form.has_error("new", "same")
    assert form.cleaned_data == {"old": "report"}, "the field whose clean_<name> failed leaves cleaned_data"


@pytest.mark.exercise("09.4")
def test_clean_name_may_raise_several_errors_at_once(forms):
    class PasswordForm(forms.Form):
        password = forms.CharField()

        def clean_password(self):
            password = self.cleaned_data["password"]
            problems = []
            if password.isdigit():
                problems.append(forms.ValidationError("This password is entirely numeric.", code="numeric"))
            if len(password) < 8:
                problems.append(forms.ValidationError("This password is too short.", code="short"))
            if problems:
                raise forms.ValidationError(problems)
            return password

    form = PasswordForm({"password": "1234"})

    assert form.errors == {"password": ["This password is entirely numeric.", "This password is too short."]}
    assert [error.code for error in form.errors.as_data()["password"]] == ["numeric", "short"]


@pytest.mark.exercise("09.4")
def test_a_disabled_field_is_cleaned_from_its_initial_value_not_the_data(forms):
    class AccountForm(forms.Form):
        username = forms.CharField(disabled=True)
        credit = forms.IntegerField(disabled=True, initial=10)
        nickname = forms.CharField()

    form = AccountForm({"username": "admin", "credit": "1000000", "nickname": "ada"}, initial={"username": "ada"})

    assert form.is_valid(), f"errors: {form.errors.as_data()}"
    assert form.cleaned_data == {"username": "ada", "credit": 10, "nickname": "ada"}, (
        "a disabled field ignores submitted data (it could be forged) and cleans its initial value"
    )


@pytest.mark.exercise("09.4")
def test_a_disabled_field_without_initial_is_still_required(forms):
    class LockedForm(forms.Form):
        code = forms.CharField(disabled=True)

    form = LockedForm({"code": "forged"})

    assert form.errors == {"code": ["This field is required."]}


@pytest.mark.exercise("09.4")
def test_file_field_is_cleaned_with_its_initial_file(forms):
    class AvatarForm(forms.Form):
        # A plain FileInput: the default ClearableFileInput reads its clear box, exercise 09.5.
        avatar = forms.FileField(required=False, widget=forms.FileInput)

    form = AvatarForm({}, {}, initial={"avatar": "avatars/ada.png"})

    assert form.is_valid()
    assert form.cleaned_data == {"avatar": "avatars/ada.png"}, "no new upload keeps the initial file"


def test_an_unbound_form_is_never_valid_and_has_no_errors(ProfileForm):
    form = ProfileForm()

    assert form.is_valid() is False
    assert form.errors == {}
    assert not hasattr(form, "cleaned_data")
    assert form.calls == []


def test_errors_are_computed_once(ProfileForm):
    form = ProfileForm({"username": "ada", "age": "1", "plan": "free"})
    assert form.errors is form.errors
    assert form.is_valid()
    assert len(form.calls) == 2, "full_clean runs once, however often errors is read"


def test_clean_errors_are_the_forms_own_and_come_after_the_fields(forms):
    class RangeForm(forms.Form):
        low = forms.IntegerField()
        high = forms.IntegerField()

        def clean(self):
            cleaned_data = super().clean()
            if cleaned_data.get("low", 0) > cleaned_data.get("high", 0):
                raise forms.ValidationError("low must not exceed high.", code="order")
            return cleaned_data

    form = RangeForm({"low": "5", "high": "1"})

    assert not form.is_valid()
    assert form.non_field_errors() == ["low must not exceed high."]
    assert form.errors == {"__all__": ["low must not exceed high."]}
    assert form.has_error(forms.forms.NON_FIELD_ERRORS, "order")
    assert form.cleaned_data == {"low": 5, "high": 1}, "an error from clean() removes no field"


def test_clean_may_return_none_or_a_new_dict(forms):
    class KeepForm(forms.Form):
        name = forms.CharField()

        def clean(self):
            self.cleaned_data["extra"] = True

    class ReplaceForm(forms.Form):
        name = forms.CharField()

        def clean(self):
            return {"name": self.cleaned_data["name"].upper()}

    keep = KeepForm({"name": "ada"})
    replace = ReplaceForm({"name": "ada"})

    assert keep.is_valid() and keep.cleaned_data == {"name": "ada", "extra": True}
    assert replace.is_valid() and replace.cleaned_data == {"name": "ADA"}


def test_add_error_in_clean_pins_errors_on_fields(forms):
    class ShippingForm(forms.Form):
        country = forms.CharField()
        state = forms.CharField(required=False)

        def clean(self):
            if self.cleaned_data.get("country") == "US" and not self.cleaned_data.get("state"):
                self.add_error("state", forms.ValidationError("A US address needs a state.", code="missing"))
            self.add_error(None, "Check your address.")
            self.add_error(None, {"country": "Not shipped to yet."})

    form = ShippingForm({"country": "US"})

    assert not form.is_valid()
    assert form.errors == {
        "state": ["A US address needs a state."],
        "__all__": ["Check your address."],
        "country": ["Not shipped to yet."],
    }
    assert form.cleaned_data == {}, "a field given an error leaves cleaned_data"
    assert form.has_error("state") and form.has_error("state", "missing") and not form.has_error("state", "other")
    assert not form.has_error("nope")
    assert form.errors["__all__"].error_class == "errorlist nonfield"
    assert form.errors["state"].error_class == "errorlist"
    assert form.errors["state"].field_id == "id_state"


def test_add_error_refuses_an_unknown_field_and_a_dict_with_a_field(forms):
    class NameForm(forms.Form):
        name = forms.CharField()

    form = NameForm({"name": "x"})
    form.is_valid()

    with pytest.raises(ValueError) as caught:
        form.add_error("nmae", "Bad.")
    assert str(caught.value) == "'NameForm' has no field named 'nmae'."
    assert caught.value.__notes__ == ["Did you mean 'name'?"]

    with pytest.raises(TypeError) as caught:
        form.add_error("name", forms.ValidationError({"name": "Bad."}))
    assert str(caught.value) == (
        "The argument `field` must be `None` when the `error` argument contains errors for multiple fields."
    )


def test_an_empty_permitted_form_left_empty_is_not_validated(forms):
    class ExtraForm(forms.Form):
        title = forms.CharField()
        copies = forms.IntegerField(initial=1)

    empty = ExtraForm({"copies": "1"}, empty_permitted=True, use_required_attribute=False)
    filled = ExtraForm({"copies": "2"}, empty_permitted=True, use_required_attribute=False)

    assert empty.is_valid() and empty.cleaned_data == {}, "nothing changed from the initial values: nothing to check"
    assert not filled.is_valid()
    assert filled.errors == {"title": ["This field is required."]}


def test_empty_permitted_and_the_required_attribute_cannot_both_be_on(forms):
    class ExtraForm(forms.Form):
        title = forms.CharField()

    with pytest.raises(ValueError) as caught:
        ExtraForm(empty_permitted=True)
    assert str(caught.value) == "The empty_permitted and use_required_attribute arguments may not both be True."


def test_changed_data_compares_with_the_initial_values(forms):
    class SettingsForm(forms.Form):
        theme = forms.CharField(initial="light")
        page_size = forms.IntegerField(initial=20)
        motto = forms.CharField(required=False)

    same = SettingsForm({"theme": "light", "page_size": "20", "motto": ""})
    changed = SettingsForm({"theme": "dark", "page_size": "20"}, initial={"page_size": 50})

    assert same.changed_data == [] and not same.has_changed()
    assert changed.changed_data == ["theme", "page_size"] and changed.has_changed()


def test_show_hidden_initial_compares_with_the_submitted_initial(forms):
    class StampForm(forms.Form):
        stamp = forms.IntegerField(show_hidden_initial=True, initial=1)

    assert StampForm({"stamp": "5", "initial-stamp": "5"}).changed_data == []
    assert StampForm({"stamp": "5", "initial-stamp": "4"}).changed_data == ["stamp"]
    assert StampForm({"stamp": "5", "initial-stamp": "five"}).changed_data == ["stamp"], (
        "an initial value that cannot be read counts as changed"
    )


def test_errors_as_data_json_and_text(forms):
    class LoginForm(forms.Form):
        user = forms.CharField()
        tries = forms.IntegerField()

    form = LoginForm({"tries": "<many>"})

    assert form.errors.get_json_data() == {
        "user": [{"message": "This field is required.", "code": "required"}],
        "tries": [{"message": "Enter a whole number.", "code": "invalid"}],
    }
    assert form.errors.as_json() == (
        '{"user": [{"message": "This field is required.", "code": "required"}], '
        '"tries": [{"message": "Enter a whole number.", "code": "invalid"}]}'
    )
    assert form.errors.as_text() == "* user\n  * This field is required.\n* tries\n  * Enter a whole number."
