"""Model validation: ``full_clean()`` and the four checks it runs, collecting every error before raising.

How it works: ``full_clean`` runs, in order,

1. ``clean_fields``: each field's ``clean`` (convert, check null / blank /
   choices, run validators), keeping the converted values;
2. ``clean``: the model's own cross-field checks (empty here, for subclasses);
3. ``validate_unique``: one query per ``unique`` field and ``unique_together``
   set, asking whether another row already has these values;
4. ``validate_constraints``: each of ``Meta.constraints`` checks itself.

Errors are gathered into one dict, field name -> errors (``"__all__"`` for
errors of the whole object), with ``ValidationError.update_error_dict``; a
field that already failed is not checked for uniqueness. Saving never
validates: as in Django, a program calls ``full_clean()`` itself (forms do).
"""

from tinyframe.core.exceptions import NON_FIELD_ERRORS, ValidationError
from tinyframe.utils.text import capfirst, get_text_list

__all__ = ["ModelValidationMixin"]


class ModelValidationMixin:
    """The validation methods of ``Model``."""

    def clean(self) -> None:
        """Check the object as a whole; override to add checks across fields (raise ValidationError)."""

    def full_clean(self, exclude=None, validate_unique: bool = True, validate_constraints: bool = True) -> None:
        """Run every check, then raise one ValidationError holding all their errors, by field."""
        errors = {}
        exclude = set() if exclude is None else set(exclude)
        try:
            self.clean_fields(exclude=exclude)
        except ValidationError as error:
            errors = error.update_error_dict(errors)
        try:
            self.clean()
        except ValidationError as error:
            errors = error.update_error_dict(errors)
        # A field that failed already is not worth a query.
        exclude.update(name for name in errors if name != NON_FIELD_ERRORS)
        if validate_unique:
            try:
                self.validate_unique(exclude=exclude)
            except ValidationError as error:
                errors = error.update_error_dict(errors)
        exclude.update(name for name in errors if name != NON_FIELD_ERRORS)
        if validate_constraints:
            try:
                self.validate_constraints(exclude=exclude)
            except ValidationError as error:
                errors = error.update_error_dict(errors)
        if errors:
            raise ValidationError(errors)

    def clean_fields(self, exclude=None) -> None:
        """Clean each field's value in place; raise the errors of all fields together."""
        exclude = set() if exclude is None else set(exclude)
        errors = {}
        for field in self._meta.fields:
            if field.name in exclude:
                continue
            raw_value = getattr(self, field.attname)
            # An empty value that blank=True allows needs no checking.
            if field.blank and raw_value in field.empty_values:
                continue
            try:
                setattr(self, field.attname, field.clean(raw_value, self))
            except ValidationError as error:
                errors[field.name] = error.error_list
        if errors:
            raise ValidationError(errors)

    def validate_unique(self, exclude=None) -> None:
        """Check ``unique`` fields and ``unique_together`` against the other rows of the table."""
        errors = {}
        for model_class, names in self._get_unique_checks(exclude):
            lookups = {}
            for name in names:
                field = self._meta.get_field(name)
                value = getattr(self, field.attname)
                # NULL is never equal to NULL, so it can break no uniqueness;
                # and an existing row's own key need not be checked.
                if value is None or (field.primary_key and not self._state.adding):
                    continue
                lookups[name] = value
            if len(lookups) != len(names):
                continue
            queryset = model_class._base_manager.filter(**lookups)
            if not self._state.adding and self.pk is not None:
                queryset = queryset.exclude(pk=self.pk)
            if queryset.exists():
                key = names[0] if len(names) == 1 else NON_FIELD_ERRORS
                errors.setdefault(key, []).append(self.unique_error_message(model_class, names))
        if errors:
            raise ValidationError(errors)

    def _get_unique_checks(self, exclude=None) -> list:
        """``[(model, (field names...)), ...]``: each set of fields that must be unique together."""
        exclude = set() if exclude is None else set(exclude)
        opts = self._meta
        checks = [
            (type(self), tuple(names)) for names in opts.unique_together if not exclude.intersection(names)
        ]
        checks.extend((type(self), (field.name,)) for field in opts.local_fields if field.unique and field.name not in exclude)
        return checks

    def unique_error_message(self, model_class, unique_check) -> ValidationError:
        """The error for a value already taken: "Book with this Title already exists."."""
        opts = model_class._meta
        params = {
            "model": self,
            "model_class": model_class,
            "model_name": capfirst(opts.verbose_name),
            "unique_check": unique_check,
        }
        if len(unique_check) == 1:
            field = opts.get_field(unique_check[0])
            params["field_label"] = capfirst(field.verbose_name)
            return ValidationError(field.error_messages["unique"], code="unique", params=params)
        labels = [capfirst(opts.get_field(name).verbose_name) for name in unique_check]
        params["field_labels"] = get_text_list(labels, "and")
        return ValidationError(
            "%(model_name)s with this %(field_labels)s already exists.", code="unique_together", params=params
        )

    def get_constraints(self) -> list:
        """``[(model, constraints), ...]`` for ``validate_constraints``."""
        return [(type(self), self._meta.constraints)]

    def validate_constraints(self, exclude=None) -> None:
        """Ask each of ``Meta.constraints`` whether this object satisfies it."""
        using = self._state.db or "default"
        errors = {}
        for model_class, constraints in self.get_constraints():
            for constraint in constraints:
                try:
                    constraint.validate(model_class, self, exclude=exclude, using=using)
                except ValidationError as error:
                    fields = getattr(constraint, "fields", ())
                    if getattr(error, "code", None) == "unique" and len(fields) == 1:
                        errors.setdefault(fields[0], []).append(error)
                    else:
                        errors = error.update_error_dict(errors)
        if errors:
            raise ValidationError(errors)
