"""Small pieces the query layer shares with fields and models: Q, the lookup registry, DeferredAttribute.

How it works:

- ``Q`` is a node of a tree of filter conditions. ``Q(title="x")`` holds one
  condition as a ``("title", "x")`` child; ``&`` and ``|`` build a new node
  whose children are the two operands, joined by ``AND`` or ``OR``; ``~``
  wraps a node in a negated one. ``Query.add_q`` walks the tree and turns
  each ``(name, value)`` child into a lookup.
- ``RegisterLookupMixin`` gives a class (every ``Field``, every ``Transform``)
  a registry of lookups keyed by ``lookup_name``: ``CharField.register_lookup
  (Contains)`` makes ``title__contains`` work. A subclass sees the lookups of
  its bases, and may add its own without changing theirs.
- ``DeferredAttribute`` is the class attribute of each concrete field. It is a
  non-data descriptor, so a value in ``instance.__dict__`` wins and reading it
  costs nothing; only a field left out of the query (``only()``, ``defer()``)
  reaches ``__get__``, which loads it from the database.
"""

import functools

from tinyframe.db.models.get_plans import forget_plans


class Q:
    """A filter condition that combines with ``&``, ``|`` and ``~``, for ``filter()`` and ``exclude()``.

    Keyword arguments are ``AND``-ed; the tree keeps them sorted by name so
    the same filter always builds the same SQL (and hits the same cached SQL).

    >>> Q(title="Dune") | ~Q(pages__gt=300)
    <Q: (OR: ('title', 'Dune'), (NOT (AND: ('pages__gt', 300))))>
    """

    AND = "AND"
    OR = "OR"
    default = AND
    conditional = True

    def __init__(self, *args, _connector: str | None = None, _negated: bool = False, **kwargs):
        self.children = [*args, *sorted(kwargs.items())]
        self.connector = _connector or self.default
        self.negated = _negated

    def _combine(self, other, connector: str) -> "Q":
        """``self & other`` or ``self | other``: a new Q whose children are the two, joined by ``connector``.

        Exercise 06.6. Anything that is not a condition (no true
        ``conditional`` attribute: a number, a string) is ``TypeError(other)``.
        An empty side adds nothing: an empty ``self`` gives a copy of ``other``
        (``Q(other)`` when it is an expression such as ``Exists``), an empty
        ``other`` a copy of ``self``. Otherwise make ``Q(_connector=connector)``
        and ``add`` both sides to it: ``add`` merges a side that has the same
        connector, so ``(a | b) | c`` is one OR of three.
        """
        if getattr(other, "conditional", False) is False:
            raise TypeError(other)
        if not self:
            return other.copy() if isinstance(other, Q) else Q(other)
        if isinstance(other, Q) and not other:
            return self.copy()
        combined = Q(_connector=connector)
        combined.add(self)
        combined.add(other)
        return combined

    def add(self, child) -> None:
        """Append ``child``, merging it in when it is an un-negated node with the same connector."""
        if isinstance(child, Q) and not child.negated and (child.connector == self.connector or len(child) == 1):
            self.children.extend(child.children)
        else:
            self.children.append(child)

    def __or__(self, other) -> "Q":
        return self._combine(other, self.OR)

    def __and__(self, other) -> "Q":
        return self._combine(other, self.AND)

    def __invert__(self) -> "Q":
        negated = self.copy()
        negated.negated = not self.negated
        return negated

    def copy(self) -> "Q":
        """A shallow copy: children are shared, which is safe because they are never changed in place."""
        clone = Q(_connector=self.connector, _negated=self.negated)
        clone.children = list(self.children)
        return clone

    # >>> 08_migrations
    def deconstruct(self) -> tuple[str, tuple, dict]:
        """``(path, args, kwargs)``: how a migration file writes this condition (``Q(("pages__gt", 1))``)."""
        from tinyframe.db.models.deconstruction import deconstruct_q

        return deconstruct_q(self)

    # <<< 08_migrations
    def __len__(self) -> int:
        return len(self.children)

    def __bool__(self) -> bool:
        return bool(self.children)

    def __eq__(self, other) -> bool:
        return (
            isinstance(other, Q)
            and (self.connector, self.negated, self.children) == (other.connector, other.negated, other.children)
        )

    def __hash__(self):
        return hash((self.connector, self.negated, *map(repr, self.children)))

    def __str__(self) -> str:
        inner = ", ".join(map(str, self.children))
        text = f"({self.connector}: {inner})"
        return f"(NOT {text})" if self.negated else text

    def __repr__(self) -> str:
        return f"<Q: {self}>"

    def resolve_expression(self, query, allow_joins=True, reuse=None, summarize=False, for_save=False):
        """A ``Q`` used as an expression (``When(Q(...))``, ``filter=Q(...)``) becomes a WhereNode."""
        return query.build_where(self)


class RegisterLookupMixin:
    """A class-level registry of lookups and transforms, found by name and inherited along the MRO.

    Every ``Field`` class inherits it; ``tinyframe.db.models.lookups`` fills it
    at import time, and a project may add its own (``Field.register_lookup
    (NotEqual)``), which is how a later chapter extends the ORM without
    editing it.
    """

    @classmethod
    def _class_lookups(cls) -> dict:
        # Each class keeps its own dict, so registering on CharField leaves Field alone.
        return cls.__dict__.get("class_lookups", {})

    @classmethod
    def get_lookups(cls) -> dict:
        """Every lookup and transform this class answers to, by name; a subclass's own win."""
        return _merged_lookups(cls)

    def get_lookup(self, lookup_name: str):
        """The Lookup class registered as ``lookup_name`` (not a Transform), or None."""
        lookup_class, _transform_class = _base_classes()
        found = self.get_lookups().get(lookup_name)
        if found is not None and issubclass(found, lookup_class):
            return found
        output_field = getattr(self, "output_field", None)
        if output_field is not None and output_field is not self:
            return output_field.get_lookup(lookup_name)
        return None

    def get_transform(self, lookup_name: str):
        """The Transform class registered as ``lookup_name``, or None."""
        _lookup_class, transform_class = _base_classes()
        found = self.get_lookups().get(lookup_name)
        if found is not None and issubclass(found, transform_class):
            return found
        output_field = getattr(self, "output_field", None)
        if output_field is not None and output_field is not self:
            return output_field.get_transform(lookup_name)
        return None

    @classmethod
    def register_lookup(cls, lookup, lookup_name: str | None = None):
        """Make ``lookup`` (a Lookup or Transform class) usable as ``field__<lookup_name>``; returns it, so it decorates."""
        name = lookup_name or lookup.lookup_name
        if "class_lookups" not in cls.__dict__:
            cls.class_lookups = {}
        cls.class_lookups[name] = lookup
        _merged_lookups.cache_clear()
        forget_plans()
        return lookup

    @classmethod
    def _unregister_lookup(cls, lookup, lookup_name: str | None = None) -> None:
        """Remove a lookup registered on this class (tests use it to undo a registration)."""
        del cls.class_lookups[lookup_name or lookup.lookup_name]
        _merged_lookups.cache_clear()
        forget_plans()


@functools.cache
def _base_classes() -> tuple:
    """``(Lookup, Transform)``, imported on first use: the lookups module imports the fields, which import this."""
    from tinyframe.db.models.lookups import Lookup, Transform

    return Lookup, Transform


@functools.cache
def _merged_lookups(cls) -> dict:
    # Asked on every filter, so cached per class; register_lookup clears it.
    merged = {}
    for klass in reversed(cls.__mro__):
        merged.update(klass.__dict__.get("class_lookups", {}))
    return merged


class DeferredAttribute:
    """The class attribute of a concrete field: loads the value from the database the first time it is read.

    Values live in ``instance.__dict__[field.attname]``; this descriptor
    defines no ``__set__``, so Python finds the dict entry first and never
    calls ``__get__`` for a loaded field. A field left out by ``only()`` or
    ``defer()`` is absent from the dict: reading it runs one query,
    ``refresh_from_db(fields=[attname])``, and stores the result.
    """

    def __init__(self, field):
        self.field = field

    def __get__(self, instance, owner=None):
        if instance is None:
            return self
        attname = self.field.attname
        data = instance.__dict__
        if attname not in data:
            instance.refresh_from_db(fields=[attname])
        return data[attname]
