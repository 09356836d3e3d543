"""API text bounds read off the model fields, so text the column cannot hold answers 422.

`field_bounds(Model, "field")` gives the keyword arguments of `ninja.Field` (pydantic) for a
model text field: its `max_length`, which also appears in the OpenAPI document. Numbers are
bounded by `xinzhi.core.limits.limited_decimal` (the same limits as imports, forms and services),
so neither rule is written twice.
"""

from __future__ import annotations

from typing import Any

from django.db import models


def field_bounds(model: type[models.Model], name: str) -> dict[str, Any]:
    """`ninja.Field(...)` keyword arguments bounding text input for `model.name`."""
    field = model._meta.get_field(name)
    if not isinstance(field, models.CharField):
        raise TypeError(f"{model.__name__}.{name}: numbers use xinzhi.core.limits.limited_decimal")
    return {"max_length": field.max_length} if field.max_length else {}
