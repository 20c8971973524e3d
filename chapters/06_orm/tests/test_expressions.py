"""Expressions: F arithmetic, Value, Func and the functions, Case/When, subqueries."""

import datetime
import decimal

import pytest

from tinyframe.core.exceptions import FieldError
from tinyframe.db import connection, models
from tinyframe.db.models import (
    Case, Exists, ExpressionWrapper, F, OuterRef, Q, Subquery, Value, When,
)  # fmt: skip
from tinyframe.db.models.functions import Coalesce, Concat, Length, Lower, Upper

UTC = datetime.timezone.utc


class ExArticle(models.Model):
    headline = models.CharField(max_length=100)
    byline = models.CharField(max_length=50, null=True)
    votes = models.IntegerField(default=0)
    score = models.FloatField(default=0.0)
    price = models.DecimalField(max_digits=8, decimal_places=2, null=True)

    class Meta:
        app_label = "expression_tests"

    def __str__(self):
        return self.headline


class ExComment(models.Model):
    article_id = models.IntegerField()
    text = models.CharField(max_length=100)

    class Meta:
        app_label = "expression_tests"


@pytest.fixture
def articles(tables):
    tables(ExArticle, ExComment)
    made = [
        ExArticle.objects.create(headline="Alpha", byline="ann", votes=3, score=1.5, price=decimal.Decimal("9.99")),
        ExArticle.objects.create(headline="Beta", byline=None, votes=10, score=2.0),
        ExArticle.objects.create(headline="Gamma", byline="cy", votes=0, score=0.5, price=decimal.Decimal("1.00")),
    ]
    ExComment.objects.create(article_id=made[0].pk, text="first")
    ExComment.objects.create(article_id=made[0].pk, text="second")
    ExComment.objects.create(article_id=made[2].pk, text="third")
    return made


def column(queryset, name):
    return list(queryset.order_by("pk").values_list(name, flat=True))


def test_f_arithmetic_in_annotations(articles):
    queryset = ExArticle.objects.annotate(
        plus=F("votes") + 1, minus=F("votes") - F("votes"), times=F("votes") * 2, mod=F("votes") % 3, neg=-F("votes"),
        radd=1 + F("votes"), rsub=100 - F("votes"), rmul=3 * F("votes"), ratio=F("score") / 2,
    )  # fmt: skip
    assert column(queryset, "plus") == [4, 11, 1]
    assert column(queryset, "minus") == [0, 0, 0]
    assert column(queryset, "times") == [6, 20, 0]
    assert column(queryset, "mod") == [0, 1, 0]
    assert column(queryset, "neg") == [-3, -10, 0]
    assert column(queryset, "radd") == [4, 11, 1]
    assert column(queryset, "rsub") == [97, 90, 100]
    assert column(queryset, "rmul") == [9, 30, 0]
    assert column(queryset, "ratio") == [0.75, 1.0, 0.25]


def test_f_in_filters_and_updates(articles):
    assert [a.headline for a in ExArticle.objects.filter(votes__gt=F("score") * 2)] == ["Beta"]
    ExArticle.objects.filter(headline="Alpha").update(votes=F("votes") * 10 + 1)
    assert ExArticle.objects.get(headline="Alpha").votes == 31


def test_save_with_an_expression_updates_in_sql(articles):
    article = articles[1]
    article.votes = F("votes") + 5
    article.save()
    article.refresh_from_db()
    assert article.votes == 15


def test_mixed_types_need_an_output_field(articles):
    with pytest.raises(FieldError) as caught:
        list(ExArticle.objects.annotate(bad=F("headline") + F("votes")))
    assert str(caught.value) == (
        "Cannot infer type of '+' expression involving these types: CharField, IntegerField. You must set output_field."
    )
    wrapped = ExArticle.objects.annotate(total=ExpressionWrapper(F("votes") + F("score"), output_field=models.FloatField()))
    assert column(wrapped, "total") == [4.5, 12.0, 0.5]
    assert column(ExArticle.objects.annotate(total=F("votes") + F("score")), "total") == [4.5, 12.0, 0.5]


def test_value_and_functions(articles):
    queryset = ExArticle.objects.annotate(
        kind=Value("news"), low=Lower("headline"), up=Upper("headline"), size=Length("headline"),
        who=Coalesce("byline", Value("anonymous")), label=Concat("headline", Value(" by "), "byline"),
    )  # fmt: skip
    assert column(queryset, "kind") == ["news"] * 3
    assert column(queryset, "low") == ["alpha", "beta", "gamma"]
    assert column(queryset, "up") == ["ALPHA", "BETA", "GAMMA"]
    assert column(queryset, "size") == [5, 4, 5]
    assert column(queryset, "who") == ["ann", "anonymous", "cy"]
    assert column(queryset, "label") == ["Alpha by ann", "Beta by ", "Gamma by cy"]
    with pytest.raises(ValueError, match="^Coalesce must take at least two expressions$"):
        Coalesce("byline")
    with pytest.raises(TypeError, match="takes exactly 1 argument"):
        Lower("a", "b")


def test_case_when(articles):
    queryset = ExArticle.objects.annotate(
        popularity=Case(
            When(votes__gte=10, then=Value("hot")),
            When(Q(votes__gt=0) & Q(score__gt=1), then=Value("warm")),
            default=Value("cold"),
        )
    )
    assert column(queryset, "popularity") == ["warm", "hot", "cold"]
    assert ExArticle.objects.filter(headline="Gamma").update(
        votes=Case(When(votes=0, then=Value(42)), default=F("votes"))
    ) == 1
    assert ExArticle.objects.get(headline="Gamma").votes == 42
    named = ExArticle.objects.annotate(shown=Case(When(votes__gt=5, then="headline"), default="byline"))
    assert column(named, "shown") == ["ann", "Beta", "Gamma"], "strings in then= and default= name fields, as in Django"
    with pytest.raises(TypeError, match="^Positional arguments must all be When objects.$"):
        Case(Value(1))


def test_decimal_annotations_come_back_as_decimals(articles):
    assert column(ExArticle.objects.exclude(price=None), "price") == [decimal.Decimal("9.99"), decimal.Decimal("1.00")]


def test_exists_and_subquery_with_outer_ref(articles):
    comments = ExComment.objects.filter(article_id=OuterRef("pk"))
    assert [a.headline for a in ExArticle.objects.filter(Exists(comments)).order_by("pk")] == ["Alpha", "Gamma"]
    assert [a.headline for a in ExArticle.objects.filter(~Exists(comments))] == ["Beta"]
    newest = ExComment.objects.filter(article_id=OuterRef("pk")).order_by("-pk").values("text")[:1]
    queryset = ExArticle.objects.annotate(last_comment=Subquery(newest), has=Exists(comments))
    assert column(queryset, "last_comment") == ["second", None, "third"]
    assert column(queryset, "has") == [True, False, True]
    sql = str(ExArticle.objects.filter(Exists(comments)).query)
    assert 'EXISTS(SELECT 1 AS "a" FROM "expression_tests_excomment" U0 WHERE U0."article_id" = ("expression_tests_exarticle"."id") LIMIT 1)' in sql


def test_queryset_as_in_value_is_a_subquery(articles):
    commented = ExComment.objects.values("article_id")
    assert [a.headline for a in ExArticle.objects.filter(pk__in=commented).order_by("pk")] == ["Alpha", "Gamma"]
    assert [a.headline for a in ExArticle.objects.exclude(pk__in=ExArticle.objects.filter(votes=0))] == ["Alpha", "Beta"]


def test_filtering_on_a_non_condition_is_a_type_error(articles):
    with pytest.raises(TypeError, match="^Cannot filter against a non-conditional expression.$"):
        ExArticle.objects.filter(F("votes"))


def test_alias_filters_without_selecting(articles):
    queryset = ExArticle.objects.alias(double=F("votes") * 2).filter(double__gt=5).order_by("-double")
    assert [a.headline for a in queryset] == ["Beta", "Alpha"]
    assert "double" not in queryset[0].__dict__
    with pytest.raises(ValueError, match="^The annotation 'votes' conflicts with a field on the model.$"):
        ExArticle.objects.annotate(votes=F("score"))


def test_order_by_annotation_and_expression(articles):
    assert [a.headline for a in ExArticle.objects.annotate(n=Length("headline")).order_by("-n", "headline")] == ["Alpha", "Gamma", "Beta"]
    assert [a.headline for a in ExArticle.objects.order_by(Length("headline").desc(), "-headline")] == ["Gamma", "Alpha", "Beta"]
    assert [a.headline for a in ExArticle.objects.order_by(F("byline").asc(nulls_last=True))] == ["Alpha", "Gamma", "Beta"]


def test_reprs_name_the_parts():
    assert repr(F("votes") + 1) == "<CombinedExpression: F(votes) + Value(1)>"
    assert repr(Lower("headline")) == "Lower(F(headline))"
    assert repr(Value("x")) == "Value('x')"
    assert F("a") == F("a") and F("a") != F("b") and hash(F("a")) == hash(F("a"))


def test_reversed_division_and_raw_sql(articles):
    assert column(ExArticle.objects.annotate(x=30 / F("votes")).filter(votes__gt=0), "x") == [10, 3]
    from tinyframe.db.models.expressions import RawSQL

    raw = ExArticle.objects.annotate(x=RawSQL("? * 2", [21], output_field=models.IntegerField()))
    assert column(raw, "x") == [42, 42, 42]
    assert column(raw.filter(x=42), "x") == [42, 42, 42]


def test_exists_combines_with_q(articles):
    comments = ExComment.objects.filter(article_id=OuterRef("pk"))
    either = ExArticle.objects.filter(Exists(comments) | Q(votes__gt=5)).order_by("pk")
    assert [a.headline for a in either] == ["Alpha", "Beta", "Gamma"]
    both = ExArticle.objects.filter(Q(votes__gt=1) & Exists(comments))
    assert [a.headline for a in both] == ["Alpha"]
    with pytest.raises(NotImplementedError, match="Use .bitand\\(\\)"):
        F("votes") & F("score")


def test_order_by_nulls_both_ways_is_an_error():
    with pytest.raises(ValueError, match="^nulls_first and nulls_last are mutually exclusive$"):
        F("byline").asc(nulls_first=True, nulls_last=True)


def test_grouping_by_a_wrapped_expression(articles):
    rows = (
        ExArticle.objects.values(big=ExpressionWrapper(Q(votes__gt=2), output_field=models.BooleanField()))
        .annotate(n=models.Count("id"))
        .order_by("big")
    )
    assert [(row["big"], row["n"]) for row in rows] == [(False, 1), (True, 2)]


class ExEvent(models.Model):
    starts = models.DateTimeField(null=True)
    day = models.DateField(null=True)
    at = models.TimeField(null=True)
    length = models.DurationField(null=True)

    class Meta:
        app_label = "expression_tests"


@pytest.fixture
def event(tables):
    tables(ExEvent)
    return ExEvent.objects.create(
        starts=datetime.datetime(2024, 1, 31, 23, 0, tzinfo=UTC), day=datetime.date(2024, 1, 31),
        at=datetime.time(23, 30), length=datetime.timedelta(hours=2),
    )  # fmt: skip


def stored(table: str, *columns: str) -> tuple:
    """The raw stored values and their SQLite types, to see what was written into the columns."""
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {', '.join(f'{c}, typeof({c})' for c in columns)} FROM {table}")
        return cursor.fetchone()


def test_a_date_plus_a_duration_updates_the_column_with_a_date(event):
    """Django 5.2's answer: the date and the datetime move, and both columns still hold text.

    Adding the microseconds of a duration to the text of a date in SQL wrote
    the integer 86400002024 into the date column.
    """
    assert ExEvent.objects.update(day=F("day") + datetime.timedelta(days=1)) == 1
    event.starts = F("starts") + datetime.timedelta(hours=1)
    event.save(update_fields=["starts"])
    assert stored("expression_tests_exevent", "starts", "day") == ("2024-02-01 00:00:00", "text", "2024-02-01", "text")
    assert ExEvent.objects.values_list("starts", "day").get() == (
        datetime.datetime(2024, 2, 1, 0, 0, tzinfo=UTC), datetime.date(2024, 2, 1),
    )  # fmt: skip
    ExEvent.objects.update(at=F("at") + F("length"), day=F("day") - datetime.timedelta(days=2))
    assert ExEvent.objects.values_list("at", "day").get() == (datetime.time(1, 30), datetime.date(2024, 1, 30))


def test_date_arithmetic_in_annotations_and_filters(event):
    """Django 5.2's answers: a datetime plus a DurationField column, filters on it, and the difference of two datetimes."""
    moved = ExEvent.objects.annotate(end=F("starts") + F("length"), back=F("starts") - datetime.timedelta(days=31))
    assert moved.values_list("end", "back").get() == (
        datetime.datetime(2024, 2, 1, 1, 0, tzinfo=UTC), datetime.datetime(2023, 12, 31, 23, 0, tzinfo=UTC),
    )  # fmt: skip
    assert ExEvent.objects.filter(starts__lt=F("starts") + F("length")).count() == 1
    assert ExEvent.objects.filter(starts__gt=F("starts") - F("length")).count() == 1
    since = ExEvent.objects.annotate(gap=F("starts") - Value(datetime.datetime(2024, 1, 1, tzinfo=UTC)))
    assert since.values_list("gap", flat=True).get() == datetime.timedelta(days=30, hours=23)
    assert ExEvent.objects.annotate(zero=F("day") - F("day")).values_list("zero", flat=True).get() == datetime.timedelta(0)


def test_decimal_expressions_and_aggregates_are_not_rounded_to_the_columns_places(articles):
    """Django 5.2's answers: only a plain column is rounded to its decimal_places; what SQL computes keeps its digits."""
    priced = ExArticle.objects.exclude(price=None)
    assert column(priced.annotate(q=F("price") + decimal.Decimal("0.001")), "q") == [
        decimal.Decimal("9.991"), decimal.Decimal("1.001"),
    ]  # fmt: skip
    totals = ExArticle.objects.aggregate(models.Avg("price"), models.Sum("price"))
    assert totals == {"price__avg": decimal.Decimal("5.495"), "price__sum": decimal.Decimal("10.99")}, totals
    assert column(priced.annotate(q=F("price")), "q") == [decimal.Decimal("9.99"), decimal.Decimal("1.00")]
    assert [str(value) for value in column(priced, "price")] == ["9.99", "1.00"], "a column keeps its places"
