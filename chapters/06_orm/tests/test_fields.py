"""Fields: converting and validating values, column types, choices, and the round trip through SQLite.

The messages and conversions in the tables are those Django 5.2 gives for the
same field and input. The hypothesis properties save values of every field
type through ``Model.save()`` and read them back with ``objects.get``: what
comes back must equal what was saved.
"""

import datetime
import decimal
import ipaddress
import uuid
import warnings

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tinyframe.apps.registry import Apps
from tinyframe.core.exceptions import ValidationError
from tinyframe.db import connection, models
from tinyframe.utils import timezone

UTC = datetime.timezone.utc


class FieldsRow(models.Model):
    """One nullable column of every field type, for the round-trip properties."""

    integer = models.IntegerField(null=True)
    big_integer = models.BigIntegerField(null=True)
    small_integer = models.SmallIntegerField(null=True)
    positive_integer = models.PositiveIntegerField(null=True)
    positive_small_integer = models.PositiveSmallIntegerField(null=True)
    positive_big_integer = models.PositiveBigIntegerField(null=True)
    float = models.FloatField(null=True)
    decimal = models.DecimalField(max_digits=15, decimal_places=4, null=True)
    char = models.CharField(max_length=50, null=True)
    text = models.TextField(null=True)
    boolean = models.BooleanField(null=True)
    date = models.DateField(null=True)
    datetime = models.DateTimeField(null=True)
    time = models.TimeField(null=True)
    duration = models.DurationField(null=True)
    email = models.EmailField(null=True)
    slug = models.SlugField(null=True)
    url = models.URLField(null=True)
    uuid = models.UUIDField(null=True)
    ip = models.GenericIPAddressField(null=True)
    json = models.JSONField(null=True)

    class Meta:
        app_label = "fields_tests"


class FieldsShirt(models.Model):
    class Size(models.TextChoices):
        SMALL = "S"
        LARGE = "L", "Large"

    size = models.CharField(max_length=1, choices=Size, default=Size.SMALL)
    grade = models.IntegerField(choices=[(1, "One"), ("Plenty", [(2, "Two"), (3, "Three")])], null=True)

    class Meta:
        app_label = "fields_tests"


def bound(field: models.Field, name: str = "f") -> models.Field:
    """A field named as if declared in a model, so messages can name it."""
    field.set_attributes_from_name(name)
    return field


TEXT = st.text(alphabet=st.characters(blacklist_categories=("Cs",)))
JSON = st.recursive(
    st.none() | st.booleans() | st.integers(-(2**63), 2**63 - 1) | st.floats(allow_nan=False, allow_infinity=False) | TEXT,
    lambda children: st.lists(children, max_size=4) | st.dictionaries(TEXT, children, max_size=4),
    max_leaves=10,
)
INT64 = st.integers(-(2**63), 2**63 - 1)
ROUND_TRIPS = {
    "integer": INT64,
    "big_integer": INT64,
    "small_integer": INT64,
    "positive_integer": st.integers(0, 2**63 - 1),
    "positive_small_integer": st.integers(0, 2**63 - 1),
    "positive_big_integer": st.integers(0, 2**63 - 1),
    "float": st.floats(allow_nan=False),
    # Exact up to 15 significant digits: a decimal column is an SQLite number.
    "decimal": st.decimals(min_value=-(10**11) + 1, max_value=10**11 - 1, places=4),
    "char": st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=50),
    "text": TEXT,
    "boolean": st.booleans(),
    "date": st.dates(),
    "datetime": st.datetimes(
        min_value=datetime.datetime(1, 1, 2),
        max_value=datetime.datetime(9999, 12, 30),
        timezones=st.sampled_from([UTC, datetime.timezone(datetime.timedelta(hours=5, minutes=30)),
                                   datetime.timezone(datetime.timedelta(hours=-8))]),
    ),  # fmt: skip
    "time": st.times(),
    "duration": st.timedeltas(min_value=datetime.timedelta(days=-(10**8)), max_value=datetime.timedelta(days=10**8)),
    # The text-shaped fields store text: simple shapes are enough (and quicker to make than st.emails()).
    "email": st.from_regex(r"\A[a-z0-9._+-]{1,20}@[a-z0-9-]{1,20}\.[a-z]{2,6}\Z"),
    "slug": st.from_regex(r"\A[-a-zA-Z0-9_]{1,50}\Z"),
    "url": st.from_regex(r"\Ahttps?://[a-z0-9-]{1,20}\.[a-z]{2,6}/[a-zA-Z0-9/?=&%._-]{0,30}\Z"),
    "uuid": st.uuids(),
    "ip": st.ip_addresses().map(str),
    "json": JSON,
}


def same(name: str, saved, loaded) -> bool:
    """Whether a value read back is the one saved (an IP address may come back in its short form)."""
    if name == "ip":
        return ipaddress.ip_address(loaded) == ipaddress.ip_address(saved)
    if name == "datetime":
        return loaded == saved and loaded.tzinfo is UTC
    return loaded == saved and type(loaded) is type(saved)


@pytest.mark.parametrize("name", list(ROUND_TRIPS))
def test_every_field_type_round_trips_through_sqlite(tables, name):
    tables(FieldsRow)

    @settings(max_examples=25, deadline=None)
    @given(ROUND_TRIPS[name])
    def round_trip(value):
        row = FieldsRow(**{name: value})
        row.save()
        loaded = getattr(FieldsRow.objects.get(pk=row.pk), name)
        assert same(name, value, loaded), f"saved {name}={value!r}, read back {loaded!r}"

    round_trip()


def test_none_round_trips_as_null_for_every_field(tables):
    tables(FieldsRow)
    row = FieldsRow()
    row.save()
    loaded = FieldsRow.objects.get(pk=row.pk)
    assert {field.name: getattr(loaded, field.attname) for field in FieldsRow._meta.fields[1:]} == dict.fromkeys(
        ROUND_TRIPS
    )


def test_a_decimal_comes_back_with_the_fields_decimal_places(tables):
    tables(FieldsRow)
    row = FieldsRow(decimal=decimal.Decimal("1.5"))
    row.save()
    assert str(FieldsRow.objects.get(pk=row.pk).decimal) == "1.5000"


def test_a_naive_datetime_is_taken_in_the_default_time_zone_with_a_warning(tables, use_settings):
    use_settings(TIME_ZONE="America/Chicago")
    tables(FieldsRow)
    row = FieldsRow(datetime=datetime.datetime(2024, 1, 1, 12, 0))
    with pytest.warns(RuntimeWarning) as caught:
        row.save()
    assert str(caught[0].message) == (
        "DateTimeField FieldsRow.datetime received a naive datetime (2024-01-01 12:00:00) while time zone support "
        "is active."
    )
    assert FieldsRow.objects.get(pk=row.pk).datetime == datetime.datetime(2024, 1, 1, 18, 0, tzinfo=UTC)


CLEAN_ERRORS = [
    (models.IntegerField(), "x", "invalid", "“x” value must be an integer."),
    (models.IntegerField(), 2**63, "max_value", "Ensure this value is less than or equal to 9223372036854775807."),
    (models.PositiveIntegerField(), -1, "min_value", "Ensure this value is greater than or equal to 0."),
    (models.FloatField(), "x", "invalid", "“x” value must be a float."),
    (models.DecimalField(max_digits=4, decimal_places=2), "x", "invalid", "“x” value must be a decimal number."),
    (models.DecimalField(max_digits=4, decimal_places=2), "123.4", "max_whole_digits",
     "Ensure that there are no more than 2 digits before the decimal point."),
    (models.DecimalField(max_digits=4, decimal_places=2), "1.234", "max_decimal_places",
     "Ensure that there are no more than 2 decimal places."),
    (models.DecimalField(max_digits=4, decimal_places=2), "12345", "max_digits",
     "Ensure that there are no more than 4 digits in total."),
    (models.DecimalField(max_digits=1, decimal_places=0), "12", "max_digits",
     "Ensure that there are no more than 1 digit in total."),
    (models.DecimalField(max_digits=4, decimal_places=2), "NaN", "invalid", "“NaN” value must be a decimal number."),
    (models.BooleanField(), "x", "invalid", "“x” value must be either True or False."),
    (models.BooleanField(null=True), "x", "invalid", "“x” value must be either True, False, or None."),
    (models.CharField(max_length=3), "abcd", "max_length", "Ensure this value has at most 3 characters (it has 4)."),
    (models.CharField(max_length=1), "ab", "max_length", "Ensure this value has at most 1 character (it has 2)."),
    (models.DateField(), "2024-02-30", "invalid_date",
     "“2024-02-30” value has the correct format (YYYY-MM-DD) but it is an invalid date."),
    (models.DateField(), "x", "invalid", "“x” value has an invalid date format. It must be in YYYY-MM-DD format."),
    (models.DateTimeField(), "2024-02-30 10:00", "invalid_datetime",
     "“2024-02-30 10:00” value has the correct format (YYYY-MM-DD HH:MM[:ss[.uuuuuu]][TZ]) but it is an invalid "
     "date/time."),
    (models.DateTimeField(), "nope", "invalid",
     "“nope” value has an invalid format. It must be in YYYY-MM-DD HH:MM[:ss[.uuuuuu]][TZ] format."),
    (models.TimeField(), "25:00", "invalid_time",
     "“25:00” value has the correct format (HH:MM[:ss[.uuuuuu]]) but it is an invalid time."),
    (models.TimeField(), "x", "invalid", "“x” value has an invalid format. It must be in HH:MM[:ss[.uuuuuu]] format."),
    (models.DurationField(), "x", "invalid",
     "“x” value has an invalid format. It must be in [DD] [[HH:]MM:]ss[.uuuuuu] format."),
    (models.UUIDField(), "x", "invalid", "“x” is not a valid UUID."),
    (models.EmailField(), "a@", "invalid", "Enter a valid email address."),
    (models.URLField(), "http://", "invalid", "Enter a valid URL."),
    (models.SlugField(), "a b", "invalid",
     "Enter a valid “slug” consisting of letters, numbers, underscores or hyphens."),
    (models.GenericIPAddressField(), "1.2.3", "invalid", "Enter a valid IPv4 or IPv6 address."),
    (models.GenericIPAddressField(protocol="ipv4"), "::1", "invalid", "Enter a valid IPv4 address."),
    (models.GenericIPAddressField(protocol="ipv6"), "1.2.3.4", "invalid", "Enter a valid IPv6 address."),
    (models.JSONField(), {1, 2}, "invalid", "Value must be valid JSON."),
    (models.IntegerField(choices=[(1, "One")]), 2, "invalid_choice", "Value 2 is not a valid choice."),
    (models.CharField(max_length=5), "", "blank", "This field cannot be blank."),
    (models.IntegerField(), None, "null", "This field cannot be null."),
]  # fmt: skip


def test_clean_refuses_bad_values_with_djangos_messages(check_rows):
    def check(field, value, code, message):
        with pytest.raises(ValidationError) as caught:
            bound(field).clean(value, None)
        found = [(error.code, error.messages[0]) for error in caught.value.error_list]
        assert found == [(code, message)], f"{type(field).__name__}().clean({value!r}) raised {found}"

    check_rows(CLEAN_ERRORS, check)


CLEAN_VALUES = [
    (models.DateField(), "2024-1-5", datetime.date(2024, 1, 5)),
    (models.DateTimeField(), "2024-01-05", datetime.datetime(2024, 1, 5)),
    (models.DateTimeField(), "2024-01-05T10:00:00.5+02:00",
     datetime.datetime(2024, 1, 5, 10, 0, 0, 500000, tzinfo=datetime.timezone(datetime.timedelta(hours=2)))),
    (models.TimeField(), "9:05", datetime.time(9, 5)),
    (models.DurationField(), "1 10:00:00", datetime.timedelta(days=1, hours=10)),
    (models.DurationField(), "-1 day, 23:00:00", datetime.timedelta(hours=-1)),
    (models.DurationField(), "3", datetime.timedelta(seconds=3)),
    (models.GenericIPAddressField(), "::ffff:1.2.3.4", "::ffff:1.2.3.4"),
    (models.GenericIPAddressField(), "2001:0db8:0000:0000:0000:0000:0000:0001", "2001:db8::1"),
    (models.GenericIPAddressField(unpack_ipv4=True), "::ffff:1.2.3.4", "1.2.3.4"),
    (models.BooleanField(), "t", True),
    (models.BooleanField(), 0, False),
    (models.UUIDField(), 1, uuid.UUID(int=1)),
    (models.IntegerField(), "42", 42),
    (models.CharField(max_length=5), 12, "12"),
]  # fmt: skip


def test_clean_converts_good_values_as_django_does(check_rows):
    def check(field, value, expected):
        cleaned = bound(field).clean(value, None)
        assert cleaned == expected, f"{type(field).__name__}().clean({value!r}) gave {cleaned!r}, not {expected!r}"

    check_rows(CLEAN_VALUES, check)


@pytest.mark.parametrize("field", [models.IntegerField(), models.FloatField()], ids=["integer", "float"])
def test_a_number_field_refuses_text_in_a_query_naming_the_field(field):
    with pytest.raises(ValueError) as caught:
        bound(field, "pages").get_prep_value("many")
    assert str(caught.value) == "Field 'pages' expected a number but got 'many'."


COLUMN_TYPES = [
    (models.AutoField(primary_key=True), "integer"), (models.BigAutoField(primary_key=True), "integer"),
    (models.IntegerField(), "integer"), (models.BigIntegerField(), "bigint"), (models.SmallIntegerField(), "smallint"),
    (models.PositiveIntegerField(), "integer unsigned"), (models.PositiveSmallIntegerField(), "smallint unsigned"),
    (models.PositiveBigIntegerField(), "bigint unsigned"), (models.FloatField(), "real"),
    (models.DecimalField(max_digits=5, decimal_places=2), "decimal"), (models.CharField(max_length=12), "varchar(12)"),
    (models.TextField(), "text"), (models.BooleanField(), "bool"), (models.DateField(), "date"),
    (models.DateTimeField(), "datetime"), (models.TimeField(), "time"), (models.DurationField(), "bigint"),
    (models.EmailField(), "varchar(254)"), (models.SlugField(), "varchar(50)"), (models.URLField(), "varchar(200)"),
    (models.UUIDField(), "char(32)"), (models.GenericIPAddressField(), "char(39)"), (models.JSONField(), "text"),
]  # fmt: skip


def test_column_types_are_djangos_sqlite_types(check_rows):
    def check(field, expected):
        found = bound(field).db_type(connection)
        assert found == expected, f"{type(field).__name__}.db_type() is {found!r}, not {expected!r}"

    check_rows(COLUMN_TYPES, check)


def test_defaults_empty_text_and_callables():
    assert bound(models.CharField(max_length=5)).get_default() == ""
    assert bound(models.CharField(max_length=5, null=True)).get_default() is None
    assert bound(models.IntegerField()).get_default() is None
    assert bound(models.IntegerField(default=7)).get_default() == 7
    made = bound(models.UUIDField(default=uuid.uuid4))
    assert made.has_default() and made.get_default() != made.get_default()


def test_choices_display_their_labels_and_groups_are_flattened():
    shirt = FieldsShirt(grade=3)
    assert (shirt.size, shirt.get_size_display()) == ("S", "Small")
    assert shirt.get_grade_display() == "Three"
    assert FieldsShirt(size="XL", grade=9).get_size_display() == "XL", "a value not among the choices shows as itself"
    field = FieldsShirt._meta.get_field("grade")
    assert field.flatchoices == [(1, "One"), (2, "Two"), (3, "Three")]
    assert FieldsShirt._meta.get_field("size").choices == [("S", "Small"), ("L", "Large")]


def test_choices_may_be_a_dict():
    field = bound(models.CharField(max_length=2, choices={"a": "A", "Vowels": {"e": "E"}}))
    assert field.choices == [("a", "A"), ("Vowels", [("e", "E")])]
    assert field.clean("e", None) == "e"


class Suit(models.IntegerChoices):
    DIAMOND = 1, "Diamond"
    SPADE = 2
    __empty__ = "(Unknown)"


class Year(models.TextChoices):
    FRESHMAN = "FR", "Freshman"
    JUNIOR_X = "JR"


def test_text_and_integer_choices_as_django():
    assert Suit.choices == [(None, "(Unknown)"), (1, "Diamond"), (2, "Spade")]
    assert (Suit.labels, Suit.values, Suit.names) == (
        ["(Unknown)", "Diamond", "Spade"], [None, 1, 2], ["__empty__", "DIAMOND", "SPADE"],
    )  # fmt: skip
    assert (repr(Suit.DIAMOND), str(Suit.DIAMOND), Suit.SPADE.label) == ("Suit.DIAMOND", "1", "Spade")
    assert (Year.choices, Year.JUNIOR_X.label) == ([("FR", "Freshman"), ("JR", "Junior X")], "Junior X")
    assert Year.FRESHMAN == "FR" and f"{Year.FRESHMAN}" == "FR" and "FR" in Year and 1 in Suit
    assert Year.do_not_call_in_templates is True


def test_auto_now_and_auto_now_add_set_the_value_when_saving():
    class Stamped(models.Model):
        created = models.DateTimeField(auto_now_add=True)
        changed = models.DateField(auto_now=True)

        class Meta:
            app_label = "fields_tests"
            apps = Apps(installed_apps=None)

    item = Stamped()
    created, changed = Stamped._meta.get_field("created"), Stamped._meta.get_field("changed")
    assert (created.editable, created.blank) == (False, True)
    first = created.pre_save(item, add=True)
    assert first.tzinfo is not None and item.created == first
    assert created.pre_save(item, add=False) == first, "auto_now_add sets the value on the first save only"
    assert changed.pre_save(item, add=False) == timezone.localdate(), "auto_now sets it on every save"


def test_fields_compare_and_sort_in_declaration_order():
    first, second = models.IntegerField(), models.IntegerField()
    assert first < second and first != second and sorted([second, first]) == [first, second]
    assert first == first and len({first, first}) == 1
    assert repr(bound(first, "pages")) == "<tinyframe.db.models.fields.IntegerField: pages>"


def test_bad_field_options_are_refused():
    with pytest.raises(ValueError, match="The protocol 'ipx' is unknown"):
        models.GenericIPAddressField(protocol="ipx")
    with pytest.raises(ValueError, match="You can only use `unpack_ipv4` if `protocol` is set to 'both'"):
        models.GenericIPAddressField(protocol="ipv4", unpack_ipv4=True)
    with pytest.raises(ValueError, match="The encoder parameter must be a callable object."):
        models.JSONField(encoder=1)


def test_json_uses_the_given_encoder_and_decoder(tables):
    import json

    class Encoder(json.JSONEncoder):
        def default(self, value):
            return str(value) if isinstance(value, decimal.Decimal) else super().default(value)

    field = bound(models.JSONField(encoder=Encoder))
    assert field.get_db_prep_value({"price": decimal.Decimal("1.5")}, connection) == '{"price": "1.5"}'
    assert field.from_db_value("not json", None, connection) == "not json"
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert field.get_db_prep_save(None, connection) is None, "None is SQL NULL, not the text 'null'"


# -- validators (tinyframe.core.validators), as Django 5.2 judges the same values -------

EMAILS = [
    ("user@example.com", True), ("a.b@localhost", True), ("x@[127.0.0.1]", True), ("x@[IPv6:::1]", False),
    ('"a b"@x.org', False), ("a@b", False), ("a@-b.com", False), ("a..b@x.com", False), ("a@b.c", False),
    ("a@b.co", True), ("ü@x.com", False), ("a@ü.com", True), ("a@x.xn--p1ai", True), ("x@[1.2.3]", False),
    ("no-at-sign", False), ("", False),
]  # fmt: skip
URLS = [
    ("http://example.com", True), ("https://a.b/c?d#e", False), ("ftp://1.2.3.4:21/", True), ("http://[::1]:80/", True),
    ("http://localhost/", True), ("http://exa mple.com", False), ("http://example", False), ("mailto:x@y.com", False),
    ("http://-a.com", False), ("http://a.com:99999", True), ("http://user:pw@a.com", True), ("HTTP://A.COM", True),
    ("http://1.2.3", False), ("http://ü.com", True), ("http://a.com.", True), ("//a.com", False),
    ("http://a_b.com", False), ("http://[1.2.3.4]/", False), ("http://[::1/", False), ("http://a.com:x/", False),
    (42, False),
]  # fmt: skip


def accepts(validator, value) -> bool:
    try:
        validator(value)
    except ValidationError:
        return False
    return True


def test_email_validator_accepts_what_django_accepts(check_rows):
    from tinyframe.core.validators import validate_email

    def check(value, valid):
        assert accepts(validate_email, value) == valid, f"validate_email({value!r}) should be {'accepted' if valid else 'refused'}"

    check_rows(EMAILS, check)


def test_url_validator_accepts_what_django_accepts(check_rows):
    from tinyframe.core.validators import URLValidator

    validator = URLValidator()

    def check(value, valid):
        assert accepts(validator, value) == valid, f"URLValidator()({value!r}) should be {'accepted' if valid else 'refused'}"

    check_rows(URLS, check)


def test_validators_with_options_and_their_messages():
    from tinyframe.core import validators

    with pytest.raises(ValidationError) as caught:
        validators.MinLengthValidator(2)("a")
    assert caught.value.messages == ["Ensure this value has at least 2 characters (it has 1)."]
    assert accepts(validators.MinLengthValidator(lambda: 1), "a"), "a limit may be a callable"
    assert not accepts(validators.RegexValidator("x", inverse_match=True), "box")
    assert accepts(validators.EmailValidator(allowlist=["intranet"]), "a@intranet")
    assert not accepts(validators.URLValidator(schemes=["ftp"]), "http://a.com")
    assert not accepts(validators.ProhibitNullCharactersValidator(), "a\x00b")
    assert not accepts(validators.DecimalValidator(4, 2), decimal.Decimal("Infinity"))
    assert accepts(validators.DecimalValidator(4, 0), decimal.Decimal("1E+2"))
    with pytest.raises(TypeError, match="If the flags are set, regex must be a regular expression string."):
        validators.RegexValidator(validators.re.compile("x"), flags=validators.re.I)


def test_validators_compare_by_configuration():
    from tinyframe.core import validators

    assert validators.MaxLengthValidator(3) == validators.MaxLengthValidator(3) != validators.MaxLengthValidator(4)
    assert validators.DecimalValidator(4, 2) == validators.DecimalValidator(4, 2)
    assert validators.EmailValidator() == validators.validate_email
    assert validators.RegexValidator("a") == validators.RegexValidator("a") != validators.RegexValidator("b")
    assert validators.ProhibitNullCharactersValidator() == validators.ProhibitNullCharactersValidator()
    with pytest.raises(ValidationError) as caught:
        validators.BaseValidator(1)(2)
    assert caught.value.messages == ["Ensure this value is 1 (it is 2)."]


def test_error_messages_replace_a_validators_message_by_code():
    field = bound(models.IntegerField(error_messages={"max_value": "Too big."}, validators=[]))
    with pytest.raises(ValidationError) as caught:
        field.clean(2**63, None)
    assert caught.value.messages == ["Too big."]


def test_a_field_that_is_not_editable_is_not_validated():
    assert bound(models.CharField(max_length=2, editable=False)).clean("", None) == ""


def test_small_field_helpers():
    from tinyframe.utils.functional import lazystr

    field = bound(models.CharField(max_length=5), "title")
    assert field.get_prep_value(lazystr("lazy")) == "lazy"
    assert field.flatchoices == [] and field.get_db_converters(connection) == []
    assert bound(models.DateField()).get_db_converters(connection) != []
    assert FieldsShirt._meta.get_field("size").value_from_object(FieldsShirt(size="L")) == "L"
    assert (field == 1) is False and str(models.IntegerField()).startswith("<tinyframe.db.models.fields")


TEMPORAL_VALUES = [
    (models.DateField(), datetime.datetime(2024, 1, 1, 3, 0, tzinfo=UTC), datetime.date(2023, 12, 31)),
    (models.DateField(), datetime.date(2024, 1, 1), datetime.date(2024, 1, 1)),
    (models.TimeField(), datetime.datetime(2024, 1, 1, 3, 4), datetime.time(3, 4)),
    (models.DurationField(), datetime.timedelta(1), datetime.timedelta(1)),
    (models.DateTimeField(), "2024-01-05T10:00Z", datetime.datetime(2024, 1, 5, 10, 0, tzinfo=UTC)),
    (models.DurationField(), "0:00:01.5", datetime.timedelta(seconds=1.5)),
]  # fmt: skip


def test_temporal_fields_convert_dates_datetimes_and_times(check_rows, use_settings):
    use_settings(TIME_ZONE="America/Chicago")

    def check(field, value, expected):
        found = bound(field).to_python(value)
        assert found == expected, f"{type(field).__name__}().to_python({value!r}) gave {found!r}, not {expected!r}"

    check_rows(TEMPORAL_VALUES, check)


@pytest.mark.parametrize("field", [models.DateField(), models.DurationField()], ids=["date", "duration"])
def test_a_value_of_the_wrong_type_is_invalid(field):
    with pytest.raises(ValidationError) as caught:
        bound(field).to_python(5)
    assert caught.value.error_list[0].code == "invalid"


def test_a_date_given_to_a_datetime_field_is_midnight_in_the_default_zone(use_settings):
    use_settings(TIME_ZONE="Europe/Paris")
    with pytest.warns(RuntimeWarning, match=r"DateTimeField \(unbound\) received a naive datetime"):
        value = models.DateTimeField().to_python(datetime.date(2024, 1, 1))
    assert value == datetime.datetime(2023, 12, 31, 23, 0, tzinfo=UTC)


def test_time_auto_now_is_the_time_of_day():
    field = bound(models.TimeField(auto_now=True))
    assert isinstance(field.pre_save(FieldsShirt(), add=False), datetime.time)


def test_choices_may_be_a_function():
    field = bound(models.CharField(max_length=2, choices=lambda: [("a", "A")]))
    assert field.choices == [("a", "A")]


def test_a_date_column_holding_a_number_is_an_error_naming_the_field_and_the_value():
    """A date, datetime or time column holds text; a number there is a corrupted row, never handed back as a value."""
    for name, number in (("date", 86400002024), ("datetime", 3600002024), ("time", 1.5)):
        field = FieldsRow._meta.get_field(name)
        with pytest.raises(ValueError, match=rf"^{type(field).__name__} FieldsRow\.{field.name}: the database holds {number} "):
            field.from_db_value(number, None, connection)
        assert field.from_db_value(None, None, connection) is None


def test_a_decimal_expression_is_read_without_rounding_to_the_places():
    """Django 5.2 rounds a plain decimal column to its places, not what SQL computed from it (15 significant digits)."""
    field = models.DecimalField(max_digits=8, decimal_places=2)
    assert str(field.expression_from_db_value(0.101, None, connection)) == "0.101000000000000"
    assert field.expression_from_db_value("12.345", None, connection) == decimal.Decimal("12.345")
    assert field.expression_from_db_value(None, None, connection) is None


# --- exercise 06.3: what SQLite gives back for a decimal column -----------------------------

PRICE = models.DecimalField(max_digits=8, decimal_places=2)


@pytest.mark.exercise("06.3")
def test_decimal_from_db_value_reads_floats_and_ints_to_the_fields_places():
    """SQLite returns a number (int or float); it comes back as a Decimal with the field's decimal places."""
    got = [PRICE.from_db_value(value, None, connection) for value in (1.5, 3, 0.1, -2.675)]
    assert got == [decimal.Decimal("1.50"), decimal.Decimal("3.00"), decimal.Decimal("0.10"), decimal.Decimal("-2.68")], got
    assert [str(value) for value in got] == ["1.50", "3.00", "0.10", "-2.68"], "the places must show in str()"


@pytest.mark.exercise("06.3")
def test_decimal_from_db_value_keeps_none_and_reads_text():
    """NULL stays None; a value SQLite kept as text is read as written, then rounded to the places."""
    assert PRICE.from_db_value(None, None, connection) is None
    got = PRICE.from_db_value("12.345", None, connection)
    assert got == decimal.Decimal("12.34"), f"from_db_value('12.345') gave {got!r}; expected Decimal('12.34'): read exactly, then rounded"


@pytest.mark.exercise("06.3")
def test_decimal_from_db_value_reads_fifteen_significant_digits_exactly():
    """A float holds 15 significant digits: read as such, 1234567890123.45 is not 1234567890123.4500000000001."""
    wide = models.DecimalField(max_digits=15, decimal_places=2)
    got = wide.from_db_value(1234567890123.45, None, connection)
    assert str(got) == "1234567890123.45", got
    unrounded = models.DecimalField(max_digits=20)
    assert unrounded.from_db_value(0.1, None, connection) == decimal.Decimal("0.1"), "without places: as read"


# -- E-mail and URL validators against Django 5.2's verdicts (each value checked side by side) --


EMAILS = [
    # The local part: dot-separated atoms, or a quoted string of printable ASCII (a space only escaped).
    ('"johndoe"@example.com', True), ('"john..doe"@example.com', True), ('""@example.com', True),
    ('"a\\ b"@example.com', True), ('"a b"@example.com', False), ('"a"b"@example.com', False),
    ('"a\\"b"@example.com', True), ("a.b+tag@example.com", True), ("a..b@example.com", False),
    (".a@example.com", False), ("a.@example.com", False), ("ü@example.com", False),
    # The domain: labels, then a top-level domain of letters and inner hyphens, or punycode.
    ("a@ex.co-uk", True), ("a@example.com.", False), ("a@ex.c1", False), ("a@ex.123", False),
    ("a@ex.-co", False), ("a@ex.co-", False), ("a@ex.c", False), ("a@ex.xn--p1ai", True),
    ("a@1.2.3.4", False), ("a@-ex.com", False), ("a@ex-.com", False), ("a@a_b.com", False),
    ("a@" + "x" * 63 + ".com", True), ("a@" + "x" * 64 + ".com", False), ("a@ex." + "x" * 64, False),
    # Any script, as typed: letters beyond U+00A1 count as letters, even in the top-level domain.
    ("a@müller.de", True), ("a@xn--mller-kva.de", True), ("a@пример.рф", True), ("a@ex.٣٣", True),
    ("a@ex.ü", False), ("a@😀.com", False),
    # Addresses in brackets: IPv4 or IPv6, without "IPv6:" or a zone.
    ("a@[127.0.0.1]", True), ("a@[::1]", True), ("a@[::ffff:1.2.3.4]", True), ("a@[IPv6:::1]", False),
    ("a@[256.1.1.1]", False), ("a@[1.2.3]", False), ("a@[fe80::1%eth0]", False),
    ("a@[0000:0000:0000:0000:0000:ffff:255.255.255.255]", False),
    # The allowlist, exactly as written; the whole address at most 320 characters (here 320, then 321).
    ("a@localhost", True), ("a@LOCALHOST", False), ("a@localhost.", False),
    ("a" * 64 + "@" + "b" * 59 + "." + "c" * 63 + "." + "d" * 63 + "." + "e" * 63 + ".com", True),
    ("a" * 64 + "@" + "b" * 59 + "." + "c" * 63 + "." + "d" * 63 + "." + "e" * 63 + ".comm", False),
]  # fmt: skip

URLS = [
    # user[:password]@: no colon in the user, no second colon, no empty user.
    ("http://u:p@example.com", True), ("http://u:@example.com", True), ("http://u@example.com", True),
    ("http://:@example.com", False), ("http://:p@example.com", False), ("http://u:p:q@example.com", False),
    ("http://u@v@example.com", False), ("http://u p@example.com", False),
    # "?" and "#" may end the host before an "@": what follows is the query or fragment.
    ("http://example.com?x@bad_host", True), ("http://example.com#x@bad_host", True),
    # The host: a name (a trailing dot allowed here), localhost, IPv4, or IPv6 in brackets without a zone.
    ("http://example.co-uk", True), ("http://example.com.", True), ("http://example.com..", False),
    ("http://localhost.", False), ("http://LOCALHOST:8000/", True), ("http://ex.c1", False),
    ("http://müller.de/", True), ("http://a\u3000b.com", True), ("http://ex.com/\u00a0", False),
    ("http://[fe80::1%eth0]/", False), ("http://[::1]:80/", True), ("http://u@[1.2.3.4]/", False),
    ("http://[0000:0000:0000:0000:0000:ffff:255.255.255.255]/", False), ("http://1.2.3.04/", False),
    ("http://1.2.3.255/", True), ("http://1.2.3.256/", False), ("http://[::1]x/", False),
    ("http://ex.com:/", False), ("http://ex.com:123456/", False), ("http://ex.com:99999/", True),
    # A host name of at most 253 characters (here 253, then 254).
    ("http://" + "a" * 63 + "." + "b" * 63 + "." + "c" * 63 + "." + "d" * 57 + ".com", True),
    ("http://" + "a" * 63 + "." + "b" * 63 + "." + "c" * 63 + "." + "d" * 58 + ".com", False),
]  # fmt: skip


def test_email_validator_judges_addresses_as_django_does(check_rows):
    from tinyframe.core.validators import EmailValidator, validate_email

    def check(value, valid):
        assert accepts(validate_email, value) == valid, (
            f"validate_email({value!r}) should be {'accepted' if valid else 'refused'}")

    check_rows(EMAILS, check)
    assert accepts(EmailValidator(allowlist=["intranet"]), "a@intranet")
    assert not accepts(EmailValidator(allowlist=["intranet"]), "a@localhost")


def test_url_validator_judges_urls_as_django_does(check_rows):
    from tinyframe.core.validators import URLValidator

    validator = URLValidator()

    def check(value, valid):
        assert accepts(validator, value) == valid, (
            f"URLValidator()({value!r}) should be {'accepted' if valid else 'refused'}")

    check_rows(URLS, check)


def test_ipv6_validator_refuses_more_than_39_characters():
    from tinyframe.core.validators import validate_ipv6_address, validate_ipv46_address

    long_form = "0000:0000:0000:0000:0000:ffff:255.255.255.255"
    assert not accepts(validate_ipv6_address, long_form), f"{long_form!r} has 45 characters, over Django's 39"
    assert not accepts(validate_ipv46_address, long_form)
    assert accepts(validate_ipv6_address, "::ffff:255.255.255.255")
    assert accepts(validate_ipv6_address, "fe80::1%eth0"), "a zone is part of an IPv6 address, outside a URL"
