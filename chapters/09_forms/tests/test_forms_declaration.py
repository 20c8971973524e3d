"""Declaring a form: DeclarativeFieldsMetaclass collects the fields (exercise 09.1).

These tests only declare form classes and read ``base_fields``,
``declared_fields`` and ``fields``: nothing is validated or rendered.
"""

import pytest


def names(fields) -> list:
    return list(fields)


@pytest.mark.exercise("09.1")
def test_fields_are_collected_in_declaration_order(forms):
    class ContactForm(forms.Form):
        subject = forms.CharField(max_length=100)
        message = forms.CharField()
        sender = forms.CharField()
        copies = forms.IntegerField(required=False)

    assert names(ContactForm.base_fields) == ["subject", "message", "sender", "copies"], (
        "ContactForm.base_fields should list the fields in the order the class wrote them"
    )
    assert ContactForm.declared_fields == ContactForm.base_fields
    assert isinstance(ContactForm.base_fields["copies"], forms.IntegerField)
    assert ContactForm.base_fields["subject"].max_length == 100


@pytest.mark.exercise("09.1")
def test_fields_are_taken_off_the_class_and_other_attributes_stay(forms):
    class SignupForm(forms.Form):
        email = forms.CharField()
        greeting = "Welcome"

        def clean_email(self):
            return self.cleaned_data["email"].lower()

    assert not hasattr(SignupForm, "email"), (
        "a declared field should be removed from the class's attributes: it lives in base_fields"
    )
    assert SignupForm.greeting == "Welcome", "attributes that are not fields stay on the class"
    assert callable(SignupForm.clean_email)
    assert names(SignupForm.base_fields) == ["email"]


@pytest.mark.exercise("09.1")
def test_a_form_without_fields_has_empty_dicts(forms):
    class EmptyForm(forms.Form):
        pass

    assert EmptyForm.base_fields == {}
    assert EmptyForm.declared_fields == {}
    assert forms.Form.base_fields == {}, "Form itself declares no fields"


@pytest.mark.exercise("09.1")
def test_a_subclass_inherits_its_parents_fields_first(forms):
    class PersonForm(forms.Form):
        first_name = forms.CharField()
        last_name = forms.CharField()

    class EmployeeForm(PersonForm):
        employee_id = forms.IntegerField()

    assert names(EmployeeForm.base_fields) == ["first_name", "last_name", "employee_id"]
    assert names(PersonForm.base_fields) == ["first_name", "last_name"], "the parent's fields are not changed"


@pytest.mark.exercise("09.1")
def test_a_subclass_overrides_a_field_in_its_parents_place(forms):
    class PersonForm(forms.Form):
        name = forms.CharField()
        age = forms.CharField()

    class StrictPersonForm(PersonForm):
        age = forms.IntegerField(min_value=0)

    assert names(StrictPersonForm.base_fields) == ["name", "age"]
    assert isinstance(StrictPersonForm.base_fields["age"], forms.IntegerField)
    assert isinstance(PersonForm.base_fields["age"], forms.CharField)


@pytest.mark.exercise("09.1")
def test_multiple_inheritance_follows_the_mro(forms):
    class A(forms.Form):
        b = forms.CharField()
        a = forms.CharField()

    class B(forms.Form):
        c = forms.CharField()
        a = forms.IntegerField()

    class C(A, B):
        d = forms.CharField()

    # The MRO is C, A, B, Form...: walked from the base up, B's fields come
    # first and A's "a" replaces B's in B's place.
    assert names(C.base_fields) == ["c", "a", "b", "d"]
    assert isinstance(C.base_fields["a"], forms.CharField), "A comes before B in C's MRO: A's field wins"


@pytest.mark.exercise("09.1")
def test_setting_a_field_to_none_removes_it(forms):
    class AddressForm(forms.Form):
        street = forms.CharField()
        city = forms.CharField()
        state = forms.CharField()

    class ForeignAddressForm(AddressForm):
        state = None
        country = forms.CharField()

    assert names(ForeignAddressForm.base_fields) == ["street", "city", "country"], (
        "state = None in a subclass should remove the inherited field"
    )
    assert names(ForeignAddressForm.declared_fields) == ["street", "city", "country"]
    assert "state" in AddressForm.base_fields


@pytest.mark.exercise("09.1")
def test_only_none_removes_an_inherited_field(forms):
    class PersonForm(forms.Form):
        name = forms.CharField()
        age = forms.IntegerField()

    class GreetingForm(PersonForm):
        age = 5  # a class attribute, not a field: the inherited field stays

        def name(self):
            return "a method of the same name: the inherited field stays too"

    assert names(GreetingForm.base_fields) == ["name", "age"], (
        "only name = None removes an inherited field; another attribute of that name leaves it (as in Django)"
    )


@pytest.mark.exercise("09.1")
def test_a_mixin_listed_first_can_remove_a_field(forms):
    class NoStateMixin:
        state = None

    class AddressForm(forms.Form):
        city = forms.CharField()
        state = forms.CharField()

    class WithoutState(NoStateMixin, AddressForm):
        pass

    class MixinLast(AddressForm, NoStateMixin):
        pass

    assert names(WithoutState.base_fields) == ["city"]
    # Listed last, the mixin comes before AddressForm in the walk from the base: too early to remove it.
    assert names(MixinLast.base_fields) == ["city", "state"]


@pytest.mark.exercise("09.1")
def test_each_form_gets_its_own_deep_copy_of_the_fields(forms):
    class NoteForm(forms.Form):
        title = forms.CharField(label="Title")
        body = forms.CharField()

    first, second = NoteForm(), NoteForm()
    first.fields["title"].label = "Heading"
    del first.fields["body"]

    assert NoteForm.base_fields["title"].label == "Title", "changing a form's fields must not change the class's"
    assert second.fields["title"].label == "Title"
    assert names(second.fields) == ["title", "body"]
    assert first.fields["title"] is not NoteForm.base_fields["title"]
