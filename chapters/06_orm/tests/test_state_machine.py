"""The ORM against a list of dicts: random creates, updates, deletes and filters must agree.

A hypothesis state machine applies the same random steps to the database
(through the ORM) and to a plain Python list of rows, where each lookup is
its Python meaning, NULL never matching a comparison as in SQL. After every
step, the table read through the ORM must equal the list.
"""

from hypothesis import HealthCheck, settings, strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule, run_state_machine_as_test

from tinyframe.db import connection, models
from tinyframe.db.models import Count, F, Q, Sum


class SmRow(models.Model):
    name = models.CharField(max_length=20)
    size = models.IntegerField(null=True)

    class Meta:
        app_label = "state_machine_tests"


ASCII_LOWER = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ", "abcdefghijklmnopqrstuvwxyz")


def fold(text: str) -> str:
    return text.translate(ASCII_LOWER)


def sql_compare(compare):
    """A comparison that, as in SQL, is never true when either side is NULL."""
    return lambda stored, value: stored is not None and value is not None and compare(stored, value)


NAME_LOOKUPS = {
    "exact": sql_compare(lambda stored, value: stored == value),
    "iexact": sql_compare(lambda stored, value: fold(stored) == fold(value)),
    "contains": sql_compare(lambda stored, value: value in stored),
    "icontains": sql_compare(lambda stored, value: fold(value) in fold(stored)),
    "startswith": sql_compare(lambda stored, value: stored.startswith(value)),
    "iendswith": sql_compare(lambda stored, value: fold(stored).endswith(fold(value))),
    "gt": sql_compare(lambda stored, value: stored > value),
}
SIZE_LOOKUPS = {
    "exact": sql_compare(lambda stored, value: stored == value),
    "gt": sql_compare(lambda stored, value: stored > value),
    "lte": sql_compare(lambda stored, value: stored <= value),
    "in": lambda stored, value: stored is not None and stored in value,
    "range": lambda stored, value: stored is not None and value[0] <= stored <= value[1],
    "isnull": lambda stored, value: (stored is None) == value,
}

names = st.text(alphabet="aAbB%_*?[\\' ", max_size=4)
sizes = st.one_of(st.none(), st.integers(-3, 10))


@st.composite
def conditions(draw):
    """A ``(keyword, value, meaning)`` filter on one of the two columns."""
    if draw(st.booleans()):
        lookup = draw(st.sampled_from(sorted(NAME_LOOKUPS)))
        value = draw(names)
        return f"name__{lookup}", value, lambda row: NAME_LOOKUPS[lookup](row["name"], value)
    lookup = draw(st.sampled_from(sorted(SIZE_LOOKUPS)))
    if lookup == "in":
        value = draw(st.lists(st.integers(-3, 10), max_size=3))
    elif lookup == "range":
        value = tuple(sorted(draw(st.tuples(st.integers(-3, 10), st.integers(-3, 10)))))
    elif lookup == "isnull":
        value = draw(st.booleans())
    else:
        value = draw(st.integers(-3, 10))
    return f"size__{lookup}", value, lambda row: SIZE_LOOKUPS[lookup](row["size"], value)


class OrmAgreesWithAList(RuleBasedStateMachine):
    """Each rule does one thing to both; ``agree`` checks them after every step."""

    def __init__(self):
        super().__init__()
        with connection.schema_editor() as editor:
            editor.create_model(SmRow)
        self.rows = []

    def teardown(self):
        with connection.schema_editor() as editor:
            editor.delete_model(SmRow)

    def matching(self, condition, negate=False):
        return [row for row in self.rows if condition(row) != negate]

    @rule(name=names, size=sizes)
    def create(self, name, size):
        row = SmRow.objects.create(name=name, size=size)
        self.rows.append({"id": row.pk, "name": name, "size": size})

    @rule(condition=conditions(), size=sizes)
    def update(self, condition, size):
        keyword, value, meaning = condition
        changed = SmRow.objects.filter(**{keyword: value}).update(size=size)
        expected = self.matching(meaning)
        assert changed == len(expected), f"filter({keyword}={value!r}).update() changed {changed}, expected {len(expected)}"
        for row in expected:
            row["size"] = size

    @rule(condition=conditions())
    def increment(self, condition):
        keyword, value, meaning = condition
        SmRow.objects.filter(**{keyword: value}).update(size=F("size") + 1)
        for row in self.matching(meaning):
            row["size"] = None if row["size"] is None else row["size"] + 1

    @rule(condition=conditions())
    def delete(self, condition):
        keyword, value, meaning = condition
        gone = self.matching(meaning)
        deleted, _counts = SmRow.objects.filter(**{keyword: value}).delete()
        assert deleted == len(gone), f"filter({keyword}={value!r}).delete() deleted {deleted}, expected {len(gone)}"
        self.rows = [row for row in self.rows if row not in gone]

    @rule(condition=conditions(), negate=st.booleans())
    def select(self, condition, negate):
        keyword, value, meaning = condition
        queryset = SmRow.objects.exclude if negate else SmRow.objects.filter
        found = list(queryset(**{keyword: value}).order_by("pk").values("id", "name", "size"))
        expected = self.matching(meaning, negate)
        assert found == expected, f"{'exclude' if negate else 'filter'}({keyword}={value!r})"

    @rule(start=st.integers(0, 6), length=st.integers(0, 6), descending=st.booleans())
    def page(self, start, length, descending):
        ordering = ("-name", "-pk") if descending else ("name", "pk")
        found = list(SmRow.objects.order_by(*ordering)[start : start + length].values_list("id", flat=True))
        ordered = sorted(self.rows, key=lambda row: (row["name"], row["id"]), reverse=descending)
        assert found == [row["id"] for row in ordered[start : start + length]], f"order_by{ordering}[{start}:{start + length}]"

    @rule(first=conditions(), second=conditions())
    def either(self, first, second):
        found = list(SmRow.objects.filter(Q(**{first[0]: first[1]}) | Q(**{second[0]: second[1]})).values_list("id", flat=True).order_by("pk"))
        assert found == [row["id"] for row in self.rows if first[2](row) or second[2](row)]

    @rule(condition=conditions())
    def aggregate(self, condition):
        keyword, value, meaning = condition
        expected = self.matching(meaning)
        sizes_ = [row["size"] for row in expected if row["size"] is not None]
        result = SmRow.objects.filter(**{keyword: value}).aggregate(n=Count("id"), total=Sum("size"))
        assert result == {"n": len(expected), "total": sum(sizes_) if sizes_ else None}

    @invariant()
    def agree(self):
        assert list(SmRow.objects.order_by("pk").values("id", "name", "size")) == self.rows


def test_orm_agrees_with_a_list_of_dicts():
    run_state_machine_as_test(
        OrmAgreesWithAList,
        settings=settings(
            max_examples=15, stateful_step_count=12, deadline=None, suppress_health_check=list(HealthCheck)
        ),
    )
