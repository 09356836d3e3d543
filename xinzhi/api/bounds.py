"""API input bounds read off the model fields, so a value the database cannot hold answers 422.

`field_bounds(Model, "field")` gives the keyword arguments of `ninja.Field` (pydantic) for the
model field: `max_length` of a CharField, `max_digits`/`decimal_places` of a DecimalField, the
column's range of an integer field, narrowed by the field's Min/MaxValueValidators. Limits that
the models declare (e.g. as validators) therefore reach the API and the OpenAPI document without
being written twice.
"""

from __future__ import annotations

from typing import Any

from django.core import validators
from django.db import models
from django.db.backends.base.operations import BaseDatabaseOperations

_INTEGER_RANGES = BaseDatabaseOperations.integer_field_ranges


def field_bounds(model: type[models.Model], name: str) -> dict[str, Any]:
    """`ninja.Field(...)` keyword arguments bounding input for `model.name`."""
    field = model._meta.get_field(name)
    bounds: dict[str, Any] = {}
    if isinstance(field, models.DecimalField):
        bounds |= {"max_digits": field.max_digits, "decimal_places": field.decimal_places}
    elif isinstance(field, models.IntegerField):
        low, high = _INTEGER_RANGES[field.get_internal_type()]
        bounds |= {"ge": low, "le": high}
    elif isinstance(field, models.CharField) and field.max_length:
        bounds["max_length"] = field.max_length
    for validator in field.validators:
        if isinstance(validator, validators.MinValueValidator):
            bounds["ge"] = max(bounds.get("ge", validator.limit_value), validator.limit_value)
        elif isinstance(validator, validators.MaxValueValidator):
            bounds["le"] = min(bounds.get("le", validator.limit_value), validator.limit_value)
    return bounds
