"""Table constraints declared in ``Meta.constraints``: each writes its SQL and checks an object.

How it works: a constraint has a ``name`` and two jobs.

- **In the schema**, ``constraint_sql(model, schema_editor)`` gives the clause
  for CREATE TABLE (``CONSTRAINT "name" UNIQUE ("a", "b")``, ``CONSTRAINT
  "name" CHECK (...)``), or None when the constraint is a statement of its
  own, which ``create_sql`` then gives: a ``UniqueConstraint`` with a
  ``condition`` is a partial unique index, ``CREATE UNIQUE INDEX ... WHERE``.
  Conditions are ``Q`` objects, written as SQL by the query compiler
  (``schema_editor.condition_sql``).
- **In validation**, ``validate(model, instance, exclude, using)`` raises
  ValidationError when the object would break the constraint:
  ``full_clean()`` calls it, so a form reports the problem before the
  database refuses the row. A condition is checked against the object's own
  values by the database itself (``schema_editor.instance_matches``), so the
  check means exactly what the SQL constraint means.
"""

import warnings

from tinyframe.core.exceptions import ValidationError
from tinyframe.db.models.query_utils import Q

__all__ = ["BaseConstraint", "CheckConstraint", "UniqueConstraint"]


class BaseConstraint:
    """What every constraint has: a name, and the error it raises when broken."""

    default_violation_error_message = "Constraint “%(name)s” is violated."
    violation_error_code = None
    violation_error_message = None

    def __init__(self, *, name: str, violation_error_code=None, violation_error_message=None):
        self.name = name
        if violation_error_code is not None:
            self.violation_error_code = violation_error_code
        if violation_error_message is not None:
            self.violation_error_message = violation_error_message
        else:
            self.violation_error_message = self.default_violation_error_message

    def get_violation_error_message(self) -> str:
        """The message shown when an object breaks the constraint."""
        return self.violation_error_message % {"name": self.name}

    def violation(self) -> ValidationError:
        """The error for an object that breaks the constraint."""
        return ValidationError(self.get_violation_error_message(), code=self.violation_error_code)

    def constraint_sql(self, model, schema_editor) -> str | None:
        """The clause inside CREATE TABLE, or None if the constraint is created by a statement of its own."""
        return None

    def create_sql(self, model, schema_editor) -> str | None:
        """The statement that creates the constraint after the table, if it needs one."""
        return None

    def validate(self, model, instance, exclude=None, using="default") -> None:
        """Raise ValidationError if ``instance`` breaks the constraint."""
        raise NotImplementedError("Subclasses of BaseConstraint must provide validate().")

    # >>> 08_migrations
    def deconstruct(self) -> tuple[str, tuple, dict]:
        """``(path, args, kwargs)``: how a migration file writes this constraint."""
        from tinyframe.db.models.deconstruction import deconstruct_constraint

        return deconstruct_constraint(self)

    def clone(self):
        """A copy made from ``deconstruct()``."""
        path, args, kwargs = self.deconstruct()
        return type(self)(*args, **kwargs)

    # <<< 08_migrations
    def __eq__(self, other):
        if type(other) is not type(self):
            return NotImplemented
        return vars(self) == vars(other)

    def __hash__(self):
        return hash((type(self).__name__, self.name))


def referenced_names(condition: Q) -> set:
    """The field names a Q condition refers to, so a check can be skipped when one is excluded.

    >>> sorted(referenced_names(Q(pages__gte=1) | ~Q(title="x")))
    ['pages', 'title']
    """
    names = set()
    for child in condition.children:
        if isinstance(child, Q):
            names |= referenced_names(child)
        else:
            names.add(child[0].split("__")[0])
    return names


class CheckConstraint(BaseConstraint):
    """Every row must satisfy ``condition`` (a Q): ``CHECK (...)`` on the table."""

    def __init__(self, *, name, condition=None, check=None, violation_error_code=None, violation_error_message=None):
        if check is not None:
            # Django 5.1 renamed check= to condition=; the old name still works.
            warnings.warn("CheckConstraint.check is deprecated in favor of `.condition`.", DeprecationWarning, stacklevel=2)
            condition = check
        if not getattr(condition, "conditional", False):
            raise TypeError("CheckConstraint.condition must be a Q instance or boolean expression.")
        self.condition = condition
        super().__init__(
            name=name, violation_error_code=violation_error_code, violation_error_message=violation_error_message
        )

    def constraint_sql(self, model, schema_editor):
        condition = schema_editor.condition_sql(model, self.condition)
        return f"CONSTRAINT {schema_editor.quote_name(self.name)} CHECK ({condition})"

    def validate(self, model, instance, exclude=None, using="default"):
        if exclude and referenced_names(self.condition) & set(exclude):
            return
        from tinyframe.db import connections

        editor = connections[using].schema_editor()
        if not editor.instance_matches(model, instance, self.condition, exclude or ()):
            raise self.violation()

    def __repr__(self):
        return f"<{type(self).__name__}: condition={self.condition} name={self.name!r}>"


class UniqueConstraint(BaseConstraint):
    """No two rows may share values for ``fields`` (among the rows matching ``condition``, if given)."""

    def __init__(self, *, fields=(), name=None, condition=None, violation_error_code=None, violation_error_message=None):
        if not name:
            raise ValueError("A unique constraint must be named.")
        if not fields:
            raise ValueError("At least one field or expression is required to define a unique constraint.")
        if condition is not None and not isinstance(condition, Q):
            raise ValueError("UniqueConstraint.condition must be a Q instance.")
        self.fields = tuple(fields)
        self.condition = condition
        super().__init__(
            name=name, violation_error_code=violation_error_code, violation_error_message=violation_error_message
        )

    def columns_sql(self, model, schema_editor) -> str:
        """The quoted columns of the constraint's fields."""
        columns = [model._meta.get_field(name).column for name in self.fields]
        return ", ".join(schema_editor.quote_name(column) for column in columns)

    def constraint_sql(self, model, schema_editor):
        if self.condition is not None:
            return None
        return f"CONSTRAINT {schema_editor.quote_name(self.name)} UNIQUE ({self.columns_sql(model, schema_editor)})"

    def create_sql(self, model, schema_editor):
        if self.condition is None:
            return None
        table = schema_editor.quote_name(model._meta.db_table)
        condition = schema_editor.condition_sql(model, self.condition)
        columns = self.columns_sql(model, schema_editor)
        return f"CREATE UNIQUE INDEX {schema_editor.quote_name(self.name)} ON {table} ({columns}) WHERE {condition}"

    def validate(self, model, instance, exclude=None, using="default"):
        lookups = {}
        for name in self.fields:
            if exclude and name in exclude:
                return
            field = model._meta.get_field(name)
            value = getattr(instance, field.attname)
            if value is None:
                # NULL equals nothing, not even NULL: it cannot be a duplicate.
                return
            lookups[field.name] = value
        others = model._base_manager.using(using).filter(**lookups)
        if not instance._state.adding and instance.pk is not None:
            others = others.exclude(pk=instance.pk)
        if self.condition is None:
            if not others.exists():
                return
            if self.violation_error_message == self.default_violation_error_message:
                # Without a message of its own, the same error as a unique field's (or unique_together's):
                # "Book with this Title already exists.", code "unique", reported on the field.
                raise ValidationError(instance.unique_error_message(model, self.fields))
            raise self.violation()
        if exclude and referenced_names(self.condition) & set(exclude):
            return
        from tinyframe.db import connections

        editor = connections[using].schema_editor()
        if editor.instance_matches(model, instance, self.condition, exclude or ()) and others.filter(self.condition).exists():
            raise self.violation()

    def __repr__(self):
        condition = "" if self.condition is None else f" condition={self.condition}"
        return f"<{type(self).__name__}: fields={self.fields!r} name={self.name!r}{condition}>"
