"""Small helpers the admin's pages share: reading a column, naming it, showing its value, and what a delete reaches.

How it works: a changelist column named in ``list_display`` goes through
``lookup_field`` (which field, attribute or callable, and its value for one
row), ``label_for_field`` (the column's header) and ``display_for_field`` /
``display_for_value`` (the value as text, escaped later by the template).
``get_fields_from_path`` and ``lookup_spawns_duplicates`` read a lookup path
such as ``"author__name"`` for the filters and the search. The delete pages
call ``get_deleted_objects``: a ``NestedObjects`` collector (chapter 07's
``Collector``, told to fetch every row and remember who cascaded to whom)
gives the nested list shown on the confirmation page. ``quote`` / ``unquote``
make any primary key safe inside one URL path segment.
"""

import datetime
import decimal
from collections import defaultdict

from tinyframe.conf import settings
from tinyframe.core.exceptions import FieldDoesNotExist
from tinyframe.db import models
from tinyframe.db.models.collector import Collector
from tinyframe.db.models.on_delete import ProtectedError, RestrictedError
from tinyframe.urls import NoReverseMatch, reverse
from tinyframe.utils import dateformat, timezone
from tinyframe.utils.html import conditional_escape, format_html
from tinyframe.utils.safestring import SafeString
from tinyframe.utils.text import capfirst

# Characters a primary key may hold that would break a URL path segment (Django's set).
QUOTE_MAP = {ord(char): f"_{ord(char):02X}" for char in '":/_#?;@&=+$,"[]<>%\n\\'}
UNQUOTE_MAP = {value: chr(key) for key, value in QUOTE_MAP.items()}

EMPTY_VALUE_DISPLAY = "-"


class FieldIsAForeignKeyColumnName(Exception):
    """A ``list_display`` entry names a foreign key's column (``author_id``), not a field."""


def quote(value):
    """Escape the characters of a primary key that a URL path segment cannot carry.

    >>> quote("a/b_c")
    'a_2Fb_5Fc'
    >>> quote(7)
    7
    """
    return value.translate(QUOTE_MAP) if isinstance(value, str) else value


def unquote(value: str) -> str:
    """Undo ``quote``.

    >>> unquote("a_2Fb_5Fc")
    'a/b_c'
    """
    result = []
    index = 0
    while index < len(value):
        code = value[index : index + 3]
        if value[index] == "_" and code in UNQUOTE_MAP:
            result.append(UNQUOTE_MAP[code])
            index += 3
        else:
            result.append(value[index])
            index += 1
    return "".join(result)


def flatten(fields) -> list:
    """The names of ``fields``, where a tuple groups names shown on one line.

    >>> flatten(["title", ("slug", "author")])
    ['title', 'slug', 'author']
    """
    names = []
    for field in fields:
        if isinstance(field, (list, tuple)):
            names.extend(field)
        else:
            names.append(field)
    return names


def flatten_fieldsets(fieldsets) -> list:
    """Every field name of ``fieldsets`` (``[(title, {"fields": [...]}), ...]``), in order.

    >>> flatten_fieldsets([(None, {"fields": ["title", ("slug", "author")]}), ("More", {"fields": ["body"]})])
    ['title', 'slug', 'author', 'body']
    """
    names = []
    for _title, options in fieldsets:
        names.extend(flatten(options["fields"]))
    return names


# -- lookup paths ------------------------------------------------------------------


def get_fields_from_path(model, path: str) -> list:
    """The fields a lookup path walks through: ``"author__name"`` → ``[Post.author, Author.name]``.

    An unknown name raises ``FieldDoesNotExist`` (with the model's message).
    """
    fields = []
    for name in path.split("__"):
        if fields:
            model = fields[-1].related_model
            if model is None:
                raise FieldDoesNotExist(f"{fields[-1].name} is not a relation: cannot follow it to '{name}'")
        fields.append(model._meta.get_field(name))
    return fields


def lookup_spawns_duplicates(opts, lookup_path: str) -> bool:
    """Whether filtering on ``lookup_path`` can repeat a row (it crosses a many-to-many or a reverse relation).

    The changelist then adds ``distinct()``. Lookup names at the end of the
    path (``__icontains``, ``__in``) are ignored.
    """
    for name in lookup_path.split("__"):
        if name == "pk":
            name = opts.pk.name
        if not has_field(opts, name):
            break  # A lookup such as "icontains": the path is over.
        field = opts.get_field(name)
        if hasattr(field, "path_infos"):
            path_infos = field.path_infos
            opts = path_infos[-1].to_opts
            if any(path.m2m for path in path_infos):
                return True
    return False


def prepare_lookup_value(key: str, value, separator: str = ","):
    """A query-string value made ready for ``filter(**{key: value})``.

    ``__in`` takes a comma separated list; ``__isnull`` takes ``"true"``,
    ``"1"`` (true) or anything else (false).

    >>> prepare_lookup_value("id__in", "1,2")
    ['1', '2']
    >>> prepare_lookup_value("date__isnull", "True")
    True
    """
    if isinstance(value, list):
        return [prepare_lookup_value(key, item, separator) for item in value]
    if key.endswith("__in"):
        return value.split(separator)
    if key.endswith("__isnull"):
        return value.lower() not in ("", "false", "0")
    return value


# -- one column of the changelist ---------------------------------------------------


class PreparedHTML:
    """A ``format_html`` string split at its ``{}`` holes once, then filled many times: ``.format(*values)``.

    ``format_html(string, *values)`` reads ``string`` again on every call. A
    changelist fills the same strings for every row of a page (the link to
    the row's change page, the action checkbox), so it splits each one once
    and a row only escapes its values into the holes, as ``format_html``
    escapes them (``conditional_escape``: a safe value goes in as it is):
    ~0.6 us less for each of them (tests/benchmarks/admin.py). Holes are bare
    ``{}``: no names, no format specs.

    >>> cell = PreparedHTML('<td class="field-title">{}</td>')
    >>> cell.format("Tips & <tricks>")
    '<td class="field-title">Tips &amp; &lt;tricks&gt;</td>'
    >>> from tinyframe.utils.safestring import mark_safe
    >>> PreparedHTML('<a href="{}" data-popup-opener="{}">{}</a>').format("/?a=1&b=2", 3, mark_safe("<b>3</b>"))
    '<a href="/?a=1&amp;b=2" data-popup-opener="3"><b>3</b></a>'
    """

    def __init__(self, format_string: str):
        self.parts = format_string.split("{}")
        if any("{" in part or "}" in part for part in self.parts):
            raise ValueError(f"PreparedHTML takes bare {{}} holes only, not {format_string!r}")

    def __repr__(self) -> str:
        return f"PreparedHTML({'{}'.join(self.parts)!r})"

    def format(self, *values) -> SafeString:
        """The string with each value escaped into its hole, marked safe (one value a hole)."""
        if len(values) != len(self.parts) - 1:
            raise TypeError(f"{self!r} has {len(self.parts) - 1} holes, given {len(values)} values")
        pieces = [self.parts[0]]
        for value, part in zip(values, self.parts[1:]):
            pieces += (conditional_escape(value), part)
        return SafeString("".join(pieces))


def has_field(opts, name) -> bool:
    """Whether ``opts.get_field(name)`` finds a field, asked without calling it.

    The admin asks about many names that are no field (a method or a
    callable in ``list_display``, a lookup such as ``icontains`` at the end
    of a path), for every page and row; get_field's error for those runs
    difflib for its "Did you mean": two fifths of a 100-row changelist's time
    (tests/benchmarks/admin.py).
    """
    return name in opts._forward_fields_map or name in opts.fields_map


def _get_non_relation_field(opts, name: str):
    """The forward field called ``name``; a reverse relation does not count; ``author_id`` is refused."""
    if not has_field(opts, name):
        raise FieldDoesNotExist(f"{opts.object_name} has no field named '{name}'")
    field = opts.get_field(name)
    if field.is_relation and field.one_to_many:
        raise FieldDoesNotExist(f"{opts.object_name}.{name} is a reverse relation")
    if field.is_relation and not field.many_to_many and field.attname == name and field.name != name:
        raise FieldIsAForeignKeyColumnName(f"{name} is the column of {opts.object_name}.{field.name}")
    return field


def pretty_name(name: str) -> str:
    """A field or function name as a label: ``"word_count"`` → ``"Word count"``."""
    return name.replace("_", " ").capitalize() if name else ""


def lookup_field(name, obj, model_admin=None) -> tuple:
    """What one ``list_display`` entry ``name`` shows for the row ``obj``: ``(field, attr, value)``.

    Try, in this order:

    1. ``name`` is a field of ``obj._meta`` (``get_field``; a reverse relation,
       or a foreign key's column such as ``"author_id"``, does not count):
       return ``(field, None, getattr(obj, name))``.
    2. ``name`` is a callable (a function given in ``list_display``):
       ``(None, name, name(obj))``.
    3. ``model_admin`` has an attribute ``name`` (and ``name`` is not
       ``"__str__"``): a method, called with ``obj``: ``(None, method, method(obj))``.
    4. ``obj`` has an attribute ``name`` (``"__str__"``, a model method, a
       property, ``"author_id"``): a callable one is called with no argument,
       the value of another is used as it is. ``attr`` is what ``getattr``
       gave, except that when ``model_admin`` has a ``model`` with that
       attribute, ``attr`` is the model class's attribute (the function or
       property, where ``@admin.display`` put ``boolean`` and ``empty_value``).
    5. Otherwise ``name`` may be a path across relations, ``"author__name"``:
       follow it attribute by attribute from ``obj``; ``(None, value, value)``
       at its end, or ``(None, None, None)`` as soon as an attribute is missing.
    """
    opts = obj._meta
    try:
        field = _get_non_relation_field(opts, name)
    except (FieldDoesNotExist, FieldIsAForeignKeyColumnName, TypeError):
        pass
    else:
        return field, None, getattr(obj, name)
    if callable(name):
        return None, name, name(obj)
    if model_admin is not None and name != "__str__" and hasattr(model_admin, name):
        attr = getattr(model_admin, name)
        return None, attr, attr(obj)
    missing = object()
    attr = getattr(obj, name, missing)
    if callable(attr):
        value = attr()
    else:
        if attr is missing:
            attr = obj
            for part in name.split("__"):
                attr = getattr(attr, part, missing)
                if attr is missing:
                    return None, None, None
        value = attr
    model = getattr(model_admin, "model", None)
    if model is not None and hasattr(model, name):
        attr = getattr(model, name)
    return None, attr, value


def label_for_field(name, model, model_admin=None, return_attr: bool = False, form=None):
    """The header of a ``list_display`` column, and with ``return_attr`` the thing it names: ``(label, attr)``.

    A field gives its verbose name (``attr`` None); ``"__str__"`` the model's
    verbose name (``attr`` is ``str``); a foreign key's column (``"author_id"``)
    ``"Author id"``. Otherwise ``attr`` is the callable, the admin's or the
    model's attribute, the form's field, or the last field of a path across
    relations, and the label is its ``short_description`` (what
    ``@admin.display(description=...)`` sets), a lambda's ``"--"``, a
    function's prettied name, or the prettied ``name``. An unknown name
    raises ``AttributeError("Unable to lookup 'name' on Post or PostAdmin")``.
    """
    attr = None
    try:
        field = _get_non_relation_field(model._meta, name)
        label = getattr(field, "verbose_name", None) or field.related_model._meta.verbose_name
    except FieldIsAForeignKeyColumnName:
        label, attr = pretty_name(name), name
    except (FieldDoesNotExist, TypeError):
        if name == "__str__":
            label, attr = str(model._meta.verbose_name), str
        else:
            if callable(name):
                attr = name
            elif model_admin is not None and hasattr(model_admin, name):
                attr = getattr(model_admin, name)
            elif hasattr(model, name):
                attr = getattr(model, name)
            elif form is not None and name in form.fields:
                attr = form.fields[name]
            else:
                try:
                    attr = get_fields_from_path(model, name)[-1]
                except FieldDoesNotExist:
                    message = f"Unable to lookup '{name}' on {model._meta.object_name}"
                    if model_admin is not None:
                        message += f" or {model_admin.__class__.__name__}"
                    if form is not None:
                        message += f" or {form.__class__.__name__}"
                    raise AttributeError(message) from None
            if hasattr(attr, "short_description"):
                label = attr.short_description
            elif isinstance(attr, property) and hasattr(attr.fget, "short_description"):
                label = attr.fget.short_description
            elif callable(attr):
                label = "--" if attr.__name__ == "<lambda>" else pretty_name(attr.__name__)
            else:
                label = pretty_name(name)
    return (label, attr) if return_attr else label


def help_text_for_field(name: str, model) -> str:
    """The field's ``help_text``, or ``""`` when ``name`` is no field."""
    try:
        return model._meta.get_field(name).help_text or ""
    except (FieldDoesNotExist, AttributeError):
        return ""


def _boolean_icon(value):
    """A yes / no / unknown mark (no static files yet, so a glyph, its meaning in ``aria-label``)."""
    glyph, label = {True: ("\u2714", "True"), False: ("\u2718", "False")}.get(value, ("?", "None"))
    return format_html('<span class="boolean boolean-{}" role="img" aria-label="{}">{}</span>', label.lower(), label,
                       glyph)  # fmt: skip


def display_for_field(value, field, empty_value_display: str = EMPTY_VALUE_DISPLAY):
    """The text a changelist cell shows for a field's value.

    Choices show their label, booleans a mark, ``None`` the empty value
    display, dates and times the settings' formats (datetimes in the
    current time zone), numbers as they are; the rest is ``display_for_value``.
    """
    if getattr(field, "flatchoices", None):
        return dict(field.flatchoices).get(value, empty_value_display)
    if isinstance(field, models.BooleanField):
        return _boolean_icon(value)
    if value is None:
        return empty_value_display
    if isinstance(field, models.DateTimeField):
        if timezone.is_aware(value):
            value = timezone.localtime(value)
        return dateformat.format(value, settings.DATETIME_FORMAT)
    if isinstance(field, (models.DateField, models.TimeField)):
        return display_for_value(value, empty_value_display)
    return display_for_value(value, empty_value_display)


def display_for_value(value, empty_value_display: str = EMPTY_VALUE_DISPLAY, boolean: bool = False):
    """The text a changelist cell shows for a value that is no field's (a callable column's answer).

    >>> display_for_value(None)
    '-'
    >>> display_for_value(["a", 2])
    'a, 2'
    """
    if boolean:
        return _boolean_icon(value)
    if value is None:
        return empty_value_display
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, datetime.datetime):
        if timezone.is_aware(value):
            value = timezone.localtime(value)
        return dateformat.format(value, settings.DATETIME_FORMAT)
    if isinstance(value, datetime.date):
        return dateformat.format(value, settings.DATE_FORMAT)
    if isinstance(value, datetime.time):
        return dateformat.time_format(value, settings.TIME_FORMAT)
    if isinstance(value, (int, float, decimal.Decimal)):
        return str(value)
    if isinstance(value, (list, tuple)):
        return ", ".join(str(item) for item in value)
    return str(value)


# -- naming models in messages -------------------------------------------------------


def model_format_dict(obj) -> dict:
    """``{"verbose_name": ..., "verbose_name_plural": ...}`` of a model, an instance or a QuerySet."""
    opts = obj.model._meta if hasattr(obj, "model") and not hasattr(obj, "_meta") else obj._meta
    return {"verbose_name": str(opts.verbose_name), "verbose_name_plural": str(opts.verbose_name_plural)}


def model_ngettext(obj, count: int | None = None) -> str:
    """The model's verbose name, singular or plural for ``count`` (a QuerySet counts itself)."""
    if count is None:
        count = obj.count()
    names = model_format_dict(obj)
    return names["verbose_name"] if count == 1 else names["verbose_name_plural"]


def construct_change_message(form, formsets, add: bool) -> list:
    """The change message as Django stores it in ``LogEntry``: a list of ``{"added"|"changed"|"deleted": ...}``."""
    changed_data = form.changed_data
    message = []
    if add:
        message.append({"added": {}})
    elif changed_data:
        message.append({"changed": {"fields": [_field_label(form, name) for name in changed_data]}})
    for formset in formsets or ():
        for added in formset.new_objects:
            message.append({"added": {"name": str(added._meta.verbose_name), "object": str(added)}})
        for changed, changed_fields in formset.changed_objects:
            message.append({"changed": {"name": str(changed._meta.verbose_name), "object": str(changed),
                                        "fields": [_field_label(formset.forms[0], name) for name in changed_fields]
                                        if formset.forms else list(changed_fields)}})  # fmt: skip
        for deleted in formset.deleted_objects:
            message.append({"deleted": {"name": str(deleted._meta.verbose_name), "object": str(deleted)}})
    return message


def _field_label(form, name: str) -> str:
    """A form field's label, or its name when it has none."""
    field = form.fields.get(name)
    return str(field.label) if field is not None and field.label else name


# -- what a delete reaches ---------------------------------------------------------------


class NestedObjects(Collector):
    """A ``Collector`` that only looks: it records which row's delete reaches which (``edges``).

    Every row is fetched (no fast deletes: the page lists them all), a
    protected or restricted row is noted in ``protected`` instead of stopping
    the walk, and ``model_objs`` files the rows by model for the counts.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.edges = defaultdict(list)  # {source row: [rows its delete reaches]}
        self.protected = set()
        self.model_objs = defaultdict(set)

    def add_edge(self, source, target) -> None:
        """Note that deleting ``source`` deletes ``target`` (``None``: a row the delete started from)."""
        self.edges[source].append(target)

    def _has_signal_listeners(self, model) -> bool:
        # Pretend someone listens: the collector then fetches whole rows, never a fast delete.
        return True

    def collect(self, objs, source=None, source_attr=None, **kwargs) -> None:
        """File ``objs`` under the row each points at through ``source_attr`` (or at the top), then go on."""
        for obj in objs:
            if source_attr:
                self.add_edge(getattr(obj, source_attr), obj)
            else:
                self.add_edge(None, obj)
            self.model_objs[obj._meta.model].add(obj)
        try:
            return super().collect(objs, source=source, source_attr=source_attr, **kwargs)
        except ProtectedError as error:
            self.protected.update(error.protected_objects)
        except RestrictedError as error:
            self.protected.update(error.restricted_objects)

    def related_objects(self, related_model, related_fields: list, objs):
        """The related rows, with the row they point at joined in (``__str__`` and the edge need it)."""
        queryset = super().related_objects(related_model, related_fields, objs)
        return queryset.select_related(*[field.name for field in related_fields])

    def _nested(self, obj, seen: set, format_callback) -> list:
        if obj in seen:
            return []
        seen.add(obj)
        children = []
        for child in self.edges.get(obj, ()):
            children.extend(self._nested(child, seen, format_callback))
        result = [format_callback(obj) if format_callback else obj]
        if children:
            result.append(children)
        return result

    def nested(self, format_callback=None) -> list:
        """The rows as nested lists: each row, then the list of the rows its delete reaches."""
        seen = set()
        roots = []
        for root in self.edges.get(None, ()):
            roots.extend(self._nested(root, seen, format_callback))
        return roots


def get_deleted_objects(objs, request, admin_site) -> tuple:
    """What deleting ``objs`` (a list or QuerySet of one model's rows) would delete, for the confirmation page.

    Collect with a ``NestedObjects`` (``using`` is the rows' database:
    ``objs[0]._state.db``, or ``"default"``) and return
    ``(to_delete, model_count, perms_needed, protected)``:

    - ``to_delete``: ``collector.nested(format_callback)``, where each row
      becomes ``"<Verbose name capitalised>: <a href="<change URL>">str(row)</a>"``
      (``format_html``, so the name and ``str(row)`` are escaped) when its
      model is registered with ``admin_site`` (``admin_site.is_registered(model)``)
      and the URL ``"<site name>:<app_label>_<model_name>_change"`` reverses
      with ``quote(row.pk)``; otherwise the plain text ``"Verbose name:
      str(row)"``, a ``str`` not marked safe, which the template escapes.
    - ``model_count``: ``{verbose_name_plural: number of rows}`` for each model
      that would lose rows.
    - ``perms_needed``: the set of verbose names of registered models whose
      admin (``admin_site.get_model_admin(model)``) says no to
      ``has_delete_permission(request, row)`` for some row: asked row by row,
      since an admin may refuse one object and allow another.
    - ``protected``: the formatted rows that PROTECT or RESTRICT keep (then
      nothing can be deleted).
    """
    objs = list(objs)
    using = objs[0]._state.db if objs and objs[0]._state.db else "default"
    collector = NestedObjects(using=using)
    if objs:
        collector.collect(objs)
    perms_needed = set()

    def format_callback(obj):
        opts = obj._meta
        plain = f"{capfirst(str(opts.verbose_name))}: {obj}"
        if not admin_site.is_registered(obj.__class__):
            return plain
        if not admin_site.get_model_admin(obj.__class__).has_delete_permission(request, obj):
            perms_needed.add(str(opts.verbose_name))
        try:
            url = reverse(f"{admin_site.name}:{opts.app_label}_{opts.model_name}_change", args=(quote(obj.pk),))
        except NoReverseMatch:
            return plain
        return format_html('{}: <a href="{}">{}</a>', capfirst(str(opts.verbose_name)), url, obj)

    to_delete = collector.nested(format_callback)
    protected = [format_callback(obj) for obj in collector.protected]
    model_count = {str(model._meta.verbose_name_plural): len(rows) for model, rows in collector.model_objs.items()}
    return to_delete, model_count, perms_needed, protected
