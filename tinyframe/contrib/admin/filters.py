"""The changelist's sidebar filters: each one reads its query parameters, offers its links, narrows the QuerySet.

How it works: the ``ChangeList`` gives every entry of ``list_filter`` the
request's filter parameters (``params``, a dict of lists, as Django 5 has
them). A filter takes the parameters it knows (``expected_parameters``) out
of ``params`` into ``used_parameters``; whatever no filter takes is left for
the changelist to apply or refuse. ``choices(changelist)`` yields the links
of the sidebar, each ``{"selected", "query_string", "display"}``, built with
``changelist.get_query_string``; ``queryset(request, queryset)`` applies the
used parameters as bound ``filter()`` arguments.

A field name in ``list_filter`` becomes a ``FieldListFilter``: ``create``
asks the registry (``register``) which class suits the field, first match
wins -- a relation, a boolean, a field with choices, a date, and finally
every distinct value. ``SimpleListFilter`` is the one a project writes:
a ``title``, a ``parameter_name``, ``lookups()`` and ``queryset()``.
"""

import datetime
import functools
import operator

from tinyframe.core.exceptions import ImproperlyConfigured, ValidationError
from tinyframe.db import models
from tinyframe.db.models.query_utils import Q
from tinyframe.utils import timezone

from tinyframe.contrib.admin.utils import get_fields_from_path, prepare_lookup_value


def incorrect_lookup_parameters(error):
    """The changelist's ``IncorrectLookupParameters`` for ``error`` (``options.py`` defines it, as in Django)."""
    from tinyframe.contrib.admin.options import IncorrectLookupParameters

    return IncorrectLookupParameters(error)


def last_value(params: dict, key: str):
    """The last value given for ``key`` (a query string may repeat it), or ``None``."""
    values = params.get(key)
    if isinstance(values, list):
        return values[-1] if values else None
    return values


def build_q_object_from_lookup_parameters(parameters: dict) -> Q:
    """``{"a__in": [["1", "2"]], "b": ["x", "y"]}`` → ``Q(a__in=[...]) & (Q(b="x") | Q(b="y"))``.

    The values of one parameter are alternatives; different parameters must all hold.
    """
    conditions = []
    for name, values in parameters.items():
        if not isinstance(values, list) or name.endswith("__in") and values and not isinstance(values[0], list):
            values = [values]
        conditions.append(functools.reduce(operator.or_, (Q(**{name: value}) for value in values)))
    return functools.reduce(operator.and_, conditions, Q())


class ListFilter:
    """A sidebar filter: a ``title``, links (``choices``) and a narrowed QuerySet (``queryset``)."""

    title = None  # The heading over the links ("By <title>").
    template = "admin/filter.html"

    def __init__(self, request, params: dict, model, model_admin):
        self.request = request
        self.used_parameters = {}
        if self.title is None:
            raise ImproperlyConfigured(f"The list filter '{self.__class__.__name__}' does not specify a 'title'.")

    def has_output(self) -> bool:
        """Whether the filter has links worth showing."""
        raise NotImplementedError("subclasses of ListFilter must provide a has_output() method")

    def choices(self, changelist):
        """The links: dicts with ``selected``, ``query_string`` and ``display``."""
        raise NotImplementedError("subclasses of ListFilter must provide a choices() method")

    def queryset(self, request, queryset):
        """``queryset`` narrowed by the used parameters."""
        raise NotImplementedError("subclasses of ListFilter must provide a queryset() method")

    def expected_parameters(self) -> list:
        """The query parameters this filter reads."""
        raise NotImplementedError("subclasses of ListFilter must provide an expected_parameters() method")


class SimpleListFilter(ListFilter):
    """A filter a project writes: ``title``, ``parameter_name``, ``lookups()`` and ``queryset()``."""

    parameter_name = None

    def __init__(self, request, params: dict, model, model_admin):
        super().__init__(request, params, model, model_admin)
        if self.parameter_name is None:
            raise ImproperlyConfigured(
                f"The list filter '{self.__class__.__name__}' does not specify a 'parameter_name'."
            )
        if self.parameter_name in params:
            value = params.pop(self.parameter_name)
            self.used_parameters[self.parameter_name] = value[-1] if isinstance(value, list) else value
        lookup_choices = self.lookups(request, model_admin)
        self.lookup_choices = list(lookup_choices) if lookup_choices is not None else []

    def has_output(self) -> bool:
        return len(self.lookup_choices) > 0

    def value(self):
        """The value chosen in the query string, as a string, or ``None``."""
        return self.used_parameters.get(self.parameter_name)

    def lookups(self, request, model_admin):
        """The links: a list of ``(value, label)``."""
        raise NotImplementedError(
            "The SimpleListFilter.lookups() method must be overridden to return a list of tuples (value, verbose "
            "value)."
        )

    def expected_parameters(self) -> list:
        return [self.parameter_name]

    def choices(self, changelist):
        yield {
            "selected": self.value() is None,
            "query_string": changelist.get_query_string(remove=[self.parameter_name]),
            "display": "All",
        }
        for lookup, title in self.lookup_choices:
            yield {
                "selected": self.value() == str(lookup),
                "query_string": changelist.get_query_string({self.parameter_name: lookup}),
                "display": title,
            }


class FieldListFilter(ListFilter):
    """A filter on one field (``field_path`` may cross relations: ``"author__name"``)."""

    _field_list_filters = []  # [(test(field) -> bool, filter class)], first match wins.
    _take_priority_index = 0
    list_separator = ","

    def __init__(self, field, request, params: dict, model, model_admin, field_path: str):
        self.field = field
        self.field_path = field_path
        self.title = getattr(field, "verbose_name", field_path)
        super().__init__(request, params, model, model_admin)
        for name in self.expected_parameters():
            if name in params:
                value = params.pop(name)
                self.used_parameters[name] = prepare_lookup_value(name, value, self.list_separator)

    def has_output(self) -> bool:
        return True

    def queryset(self, request, queryset):
        """The used parameters as one bound ``filter(Q)``; a value the field refuses: ``IncorrectLookupParameters``."""
        try:
            return queryset.filter(build_q_object_from_lookup_parameters(self.used_parameters))
        except (ValueError, TypeError, ValidationError) as error:
            raise incorrect_lookup_parameters(error) from error

    @classmethod
    def register(cls, test, list_filter_class, take_priority: bool = False) -> None:
        """Use ``list_filter_class`` for the fields ``test`` accepts (before the built-in ones: ``take_priority``)."""
        if take_priority:
            cls._field_list_filters.insert(cls._take_priority_index, (test, list_filter_class))
            cls._take_priority_index += 1
        else:
            cls._field_list_filters.append((test, list_filter_class))

    @classmethod
    def create(cls, field, request, params, model, model_admin, field_path):
        """The filter of the first registered class whose test accepts ``field``."""
        for test, list_filter_class in cls._field_list_filters:
            if test(field):
                return list_filter_class(field, request, params, model, model_admin, field_path=field_path)
        raise ImproperlyConfigured(f"No list filter suits the field '{field_path}'.")


class RelatedFieldListFilter(FieldListFilter):
    """A link per related row (``author__id__exact=3``), and "-" for none when the relation may be empty."""

    def __init__(self, field, request, params, model, model_admin, field_path):
        other_model = field.related_model
        self.lookup_kwarg = f"{field_path}__{field.target_field.name}__exact"
        self.lookup_kwarg_isnull = f"{field_path}__isnull"
        self.lookup_val = params.get(self.lookup_kwarg)
        self.lookup_val_isnull = last_value(params, self.lookup_kwarg_isnull)
        super().__init__(field, request, params, model, model_admin, field_path)
        self.lookup_choices = self.field_choices(field, request, model_admin)
        if hasattr(field, "verbose_name"):
            self.lookup_title = field.verbose_name
        else:
            self.lookup_title = other_model._meta.verbose_name
        self.title = self.lookup_title
        self.empty_value_display = getattr(model_admin, "get_empty_value_display", lambda: "-")()

    @property
    def include_empty_choice(self) -> bool:
        """A relation may be empty: a nullable key, a many-to-many, or any reverse relation."""
        return self.field.null or self.field.many_to_many or not self.field.concrete

    def has_output(self) -> bool:
        return len(self.lookup_choices) + (1 if self.include_empty_choice else 0) > 1

    def expected_parameters(self) -> list:
        return [self.lookup_kwarg, self.lookup_kwarg_isnull]

    def field_admin_ordering(self, field, request, model_admin) -> tuple:
        """The related model's ordering in its own admin, when it is registered with the same site."""
        site = getattr(model_admin, "admin_site", None)
        related_admin = getattr(site, "_registry", {}).get(field.remote_field.model)
        if related_admin is not None:
            return tuple(related_admin.get_ordering(request) or ())
        return ()

    def field_choices(self, field, request, model_admin) -> list:
        """``[(key, str(row)), ...]`` of the related rows."""
        ordering = self.field_admin_ordering(field, request, model_admin)
        rows = field.related_model._default_manager.all()
        if ordering:
            rows = rows.order_by(*ordering)
        target = field.target_field.attname if field.concrete else field.related_model._meta.pk.attname
        return [(getattr(row, target), str(row)) for row in rows]

    def choices(self, changelist):
        yield {
            "selected": self.lookup_val is None and not self.lookup_val_isnull,
            "query_string": changelist.get_query_string(remove=[self.lookup_kwarg, self.lookup_kwarg_isnull]),
            "display": "All",
        }
        for key, label in self.lookup_choices:
            yield {
                "selected": self.lookup_val is not None and str(key) in self.lookup_val,
                "query_string": changelist.get_query_string({self.lookup_kwarg: key}, [self.lookup_kwarg_isnull]),
                "display": label,
            }
        if self.include_empty_choice:
            yield {
                "selected": bool(self.lookup_val_isnull),
                "query_string": changelist.get_query_string({self.lookup_kwarg_isnull: "True"}, [self.lookup_kwarg]),
                "display": self.empty_value_display,
            }


FieldListFilter.register(lambda field: field.remote_field is not None, RelatedFieldListFilter)


class BooleanFieldListFilter(FieldListFilter):
    """All / Yes / No (and Unknown for a nullable boolean)."""

    def __init__(self, field, request, params, model, model_admin, field_path):
        self.lookup_kwarg = f"{field_path}__exact"
        self.lookup_kwarg2 = f"{field_path}__isnull"
        self.lookup_val = last_value(params, self.lookup_kwarg)
        self.lookup_val2 = last_value(params, self.lookup_kwarg2)
        super().__init__(field, request, params, model, model_admin, field_path)

    def expected_parameters(self) -> list:
        return [self.lookup_kwarg, self.lookup_kwarg2]

    def choices(self, changelist):
        field_choices = dict(self.field.flatchoices) if self.field.flatchoices else {}
        links = ((None, "All"), ("1", field_choices.get(True, "Yes")), ("0", field_choices.get(False, "No")))
        for lookup, title in links:
            yield {
                "selected": self.lookup_val == lookup and not self.lookup_val2,
                "query_string": changelist.get_query_string({self.lookup_kwarg: lookup}, [self.lookup_kwarg2]),
                "display": title,
            }
        if self.field.null:
            yield {
                "selected": self.lookup_val2 == "True",
                "query_string": changelist.get_query_string({self.lookup_kwarg2: "True"}, [self.lookup_kwarg]),
                "display": field_choices.get(None, "Unknown"),
            }


FieldListFilter.register(lambda field: isinstance(field, models.BooleanField), BooleanFieldListFilter)


class ChoicesFieldListFilter(FieldListFilter):
    """A link per choice of the field, labelled as the choices say."""

    def __init__(self, field, request, params, model, model_admin, field_path):
        self.lookup_kwarg = f"{field_path}__exact"
        self.lookup_kwarg_isnull = f"{field_path}__isnull"
        self.lookup_val = params.get(self.lookup_kwarg)
        self.lookup_val_isnull = last_value(params, self.lookup_kwarg_isnull)
        super().__init__(field, request, params, model, model_admin, field_path)

    def expected_parameters(self) -> list:
        return [self.lookup_kwarg, self.lookup_kwarg_isnull]

    def choices(self, changelist):
        yield {
            "selected": self.lookup_val is None,
            "query_string": changelist.get_query_string(remove=[self.lookup_kwarg, self.lookup_kwarg_isnull]),
            "display": "All",
        }
        none_title = ""
        for lookup, title in self.field.flatchoices:
            if lookup is None:
                none_title = title
                continue
            yield {
                "selected": self.lookup_val is not None and str(lookup) in self.lookup_val,
                "query_string": changelist.get_query_string({self.lookup_kwarg: lookup}, [self.lookup_kwarg_isnull]),
                "display": title,
            }
        if none_title:
            yield {
                "selected": bool(self.lookup_val_isnull),
                "query_string": changelist.get_query_string({self.lookup_kwarg_isnull: "True"}, [self.lookup_kwarg]),
                "display": none_title,
            }


FieldListFilter.register(lambda field: bool(field.choices), ChoicesFieldListFilter)


class DateFieldListFilter(FieldListFilter):
    """Any date / Today / Past 7 days / This month / This year (and No date / Has date for a nullable field)."""

    def __init__(self, field, request, params, model, model_admin, field_path):
        """Build ``self.links`` from today, then let ``FieldListFilter`` take the parameters.

        Set, in this order:

        - ``self.field_generic = f"{field_path}__"`` and ``self.date_params``:
          ``{name: last value}`` of the ``params`` whose name starts with it
          (``params`` maps names to lists of strings).
        - ``self.lookup_kwarg_since = f"{field_path}__gte"`` and
          ``self.lookup_kwarg_until = f"{field_path}__lt"``.
        - Today: ``timezone.now()``, in the current time zone
          (``timezone.localtime``) when it is aware. For a ``DateTimeField``
          ``today`` is that datetime at midnight (hour, minute, second and
          microsecond 0, the zone kept); for a ``DateField`` it is its
          ``date()``. ``tomorrow`` is ``today`` plus one day; ``next_month``
          is the first of the next month (January of the next year after
          December); ``next_year`` is the first of January of the next year.
        - ``self.links``: a tuple of ``(title, {parameter: str(value)})``:
          ``("Any date", {})``,
          ``("Today", {since: today, until: tomorrow})``,
          ``("Past 7 days", {since: today - 7 days, until: tomorrow})``,
          ``("This month", {since: first of this month, until: next_month})``,
          ``("This year", {since: first of January, until: next_year})``;
          and when ``field.null``, ``self.lookup_kwarg_isnull =
          f"{field_path}__isnull"`` and two more links
          ``("No date", {isnull: "True"})``, ``("Has date", {isnull: "False"})``.

        Finally call ``super().__init__(field, request, params, model,
        model_admin, field_path)``: it takes ``expected_parameters()`` out of
        ``params``, so ``links`` and the kwargs must be set before.
        """
        self.field_generic = f"{field_path}__"
        self.date_params = {
            name: value[-1] if isinstance(value, list) else value
            for name, value in params.items()
            if name.startswith(self.field_generic)
        }
        now = timezone.now()
        if timezone.is_aware(now):
            now = timezone.localtime(now)
        if isinstance(field, models.DateTimeField):
            today = now.replace(hour=0, minute=0, second=0, microsecond=0)
        else:
            today = now.date()
        tomorrow = today + datetime.timedelta(days=1)
        if today.month == 12:
            next_month = today.replace(year=today.year + 1, month=1, day=1)
        else:
            next_month = today.replace(month=today.month + 1, day=1)
        next_year = today.replace(year=today.year + 1, month=1, day=1)
        self.lookup_kwarg_since = f"{field_path}__gte"
        self.lookup_kwarg_until = f"{field_path}__lt"
        since, until = self.lookup_kwarg_since, self.lookup_kwarg_until
        self.links = (
            ("Any date", {}),
            ("Today", {since: str(today), until: str(tomorrow)}),
            ("Past 7 days", {since: str(today - datetime.timedelta(days=7)), until: str(tomorrow)}),
            ("This month", {since: str(today.replace(day=1)), until: str(next_month)}),
            ("This year", {since: str(today.replace(month=1, day=1)), until: str(next_year)}),
        )
        if field.null:
            self.lookup_kwarg_isnull = f"{field_path}__isnull"
            self.links += (
                ("No date", {self.lookup_kwarg_isnull: "True"}),
                ("Has date", {self.lookup_kwarg_isnull: "False"}),
            )
        super().__init__(field, request, params, model, model_admin, field_path)

    def expected_parameters(self) -> list:
        names = [self.lookup_kwarg_since, self.lookup_kwarg_until]
        if self.field.null:
            names.append(self.lookup_kwarg_isnull)
        return names

    def choices(self, changelist):
        for title, param_dict in self.links:
            yield {
                "selected": self.date_params == param_dict,
                "query_string": changelist.get_query_string(param_dict, [self.field_generic]),
                "display": title,
            }


FieldListFilter.register(lambda field: isinstance(field, models.DateField), DateFieldListFilter)


class AllValuesFieldListFilter(FieldListFilter):
    """A link per distinct value of the field in the table (and the empty display for NULL)."""

    def __init__(self, field, request, params, model, model_admin, field_path):
        # The bare field path, as Django's links have it: ?subtitle=draft, not ?subtitle__exact=draft.
        self.lookup_kwarg = field_path
        self.lookup_kwarg_isnull = f"{field_path}__isnull"
        self.lookup_val = params.get(self.lookup_kwarg)
        self.lookup_val_isnull = last_value(params, self.lookup_kwarg_isnull)
        self.empty_value_display = getattr(model_admin, "get_empty_value_display", lambda: "-")()
        super().__init__(field, request, params, model, model_admin, field_path)
        if "__" in field_path:
            rows = field.model._default_manager.all()
        elif hasattr(model_admin, "get_queryset"):
            rows = model_admin.get_queryset(request)
        else:
            rows = model._default_manager.all()
        self.lookup_choices = rows.order_by(field.name).values_list(field.name, flat=True).distinct()

    def expected_parameters(self) -> list:
        return [self.lookup_kwarg, self.lookup_kwarg_isnull]

    def choices(self, changelist):
        yield {
            "selected": self.lookup_val is None and self.lookup_val_isnull is None,
            "query_string": changelist.get_query_string(remove=[self.lookup_kwarg, self.lookup_kwarg_isnull]),
            "display": "All",
        }
        include_none = False
        for value in self.lookup_choices:
            if value is None:
                include_none = True
                continue
            value = str(value)
            yield {
                "selected": self.lookup_val is not None and value in self.lookup_val,
                "query_string": changelist.get_query_string({self.lookup_kwarg: value}, [self.lookup_kwarg_isnull]),
                "display": value,
            }
        if include_none:
            yield {
                "selected": bool(self.lookup_val_isnull),
                "query_string": changelist.get_query_string({self.lookup_kwarg_isnull: "True"}, [self.lookup_kwarg]),
                "display": self.empty_value_display,
            }


FieldListFilter.register(lambda field: True, AllValuesFieldListFilter)


class RelatedOnlyFieldListFilter(RelatedFieldListFilter):
    """A related filter offering only the related rows some row of the changelist points at."""

    def field_choices(self, field, request, model_admin) -> list:
        used = model_admin.get_queryset(request).values_list(f"{field.name}__pk", flat=True).distinct()
        rows = field.related_model._default_manager.filter(pk__in=list(used))
        ordering = self.field_admin_ordering(field, request, model_admin)
        if ordering:
            rows = rows.order_by(*ordering)
        return [(row.pk, str(row)) for row in rows]


class EmptyFieldListFilter(FieldListFilter):
    """All / Empty / Not empty: an empty string or NULL, whichever the field allows."""

    def __init__(self, field, request, params, model, model_admin, field_path):
        if not field.empty_strings_allowed and not field.null:
            raise ImproperlyConfigured(
                f"The list filter '{self.__class__.__name__}' cannot be used with field '{field.name}' which "
                "doesn't allow empty strings and nulls."
            )
        self.lookup_kwarg = f"{field_path}__isempty"
        self.lookup_val = last_value(params, self.lookup_kwarg)
        super().__init__(field, request, params, model, model_admin, field_path)

    def get_lookup_condition(self) -> Q:
        """Empty: ``""`` where strings are allowed, NULL where the field is nullable."""
        conditions = []
        if self.field.empty_strings_allowed:
            conditions.append(Q(**{self.field_path: ""}))
        if self.field.null:
            conditions.append(Q(**{f"{self.field_path}__isnull": True}))
        return functools.reduce(operator.or_, conditions)

    def queryset(self, request, queryset):
        if self.lookup_kwarg not in self.used_parameters:
            return queryset
        if self.lookup_val not in ("0", "1"):
            raise incorrect_lookup_parameters(f"{self.lookup_kwarg} must be 0 or 1, not {self.lookup_val!r}")
        condition = self.get_lookup_condition()
        return queryset.filter(condition) if self.lookup_val == "1" else queryset.exclude(condition)

    def expected_parameters(self) -> list:
        return [self.lookup_kwarg]

    def choices(self, changelist):
        for lookup, title in ((None, "All"), ("1", "Empty"), ("0", "Not empty")):
            yield {
                "selected": self.lookup_val == lookup,
                "query_string": changelist.get_query_string({self.lookup_kwarg: lookup}),
                "display": title,
            }

