"""``from tinyframe.db import models``: everything a models.py needs, under Django's names.

How it works: this module only gathers names. The model machinery is in
``base`` (``Model``, its metaclass) and ``options`` (``_meta``); the columns
in ``fields``; ``Meta`` options in ``constraints``, ``indexes`` and ``enums``;
the query side (managers, querysets, Q, F and the other expressions,
aggregates, lookups) in the modules of the query layer.
"""

from tinyframe.core.exceptions import FieldDoesNotExist, MultipleObjectsReturned, ObjectDoesNotExist
from tinyframe.db.models import signals
from tinyframe.db.models.aggregates import Aggregate, Avg, Count, Max, Min, Sum
from tinyframe.db.models.base import DEFERRED, Model, ModelState
from tinyframe.db.models.constraints import BaseConstraint, CheckConstraint, UniqueConstraint
from tinyframe.db.models.enums import Choices, IntegerChoices, TextChoices
from tinyframe.db.models.expressions import (
    Case, CombinedExpression, Exists, Expression, ExpressionWrapper, F, Func, OuterRef, Subquery, Value, When,
)  # fmt: skip
from tinyframe.db.models.fields import *  # noqa: F403 -- the fields' __all__
from tinyframe.db.models.fields import __all__ as fields_all
from tinyframe.db.models.indexes import Index
from tinyframe.db.models.lookups import Lookup, Transform
from tinyframe.db.models.manager import BaseManager, Manager
from tinyframe.db.models.query import QuerySet
from tinyframe.db.models.query_utils import Q

__all__ = [
    "DEFERRED", "Aggregate", "Avg", "BaseConstraint", "BaseManager", "Case", "CheckConstraint", "Choices",
    "CombinedExpression", "Count", "Exists", "Expression", "ExpressionWrapper", "F", "FieldDoesNotExist", "Func",
    "Index", "IntegerChoices", "Lookup", "Manager", "Max", "Min", "Model", "ModelState", "MultipleObjectsReturned",
    "ObjectDoesNotExist", "OuterRef", "Q", "QuerySet", "Subquery", "Sum", "TextChoices", "Transform",
    "UniqueConstraint", "Value", "When", "signals", *fields_all,
]  # fmt: skip
# >>> 07_relations

from tinyframe.db.models.on_delete import (  # noqa: E402 -- chapter 07's names, after chapter 06's
    CASCADE, DO_NOTHING, PROTECT, RESTRICT, SET, SET_DEFAULT, SET_NULL, ProtectedError, RestrictedError,
)  # fmt: skip

__all__ += [
    "CASCADE", "DO_NOTHING", "PROTECT", "RESTRICT", "SET", "SET_DEFAULT", "SET_NULL", "ProtectedError", "RestrictedError",
]  # fmt: skip
# <<< 07_relations

# >>> 07_relations
from tinyframe.db.models.prefetch import Prefetch, prefetch_related_objects  # noqa: E402 -- chapter 07's

__all__ += ["Prefetch", "prefetch_related_objects"]
# <<< 07_relations

# >>> 07_relations
from tinyframe.db.models.fields.related import ForeignKey, ManyToManyField, OneToOneField  # noqa: E402
from tinyframe.db.models.fields.reverse_related import (  # noqa: E402
    ForeignObjectRel, ManyToManyRel, ManyToOneRel, OneToOneRel,
)  # fmt: skip

__all__ += [
    "ForeignKey", "ForeignObjectRel", "ManyToManyField", "ManyToManyRel", "ManyToOneRel", "OneToOneField",
    "OneToOneRel",
]  # fmt: skip
# <<< 07_relations
