"""Number limits (数值范围) read from the model fields: one rule for imports, forms, API, services.

A stored number must fit the column on both SQLite and PostgreSQL: a DecimalField's
`max_digits`/`decimal_places`, PostgreSQL's integer ranges (SQLite accepts wider ones, so the
portable range is the narrower one) and the field's own Min/MaxValueValidators (non-negative
amounts). `limit_error` gives the Chinese message; models check it in `clean_fields` (services
and ModelForms), the Excel import wraps its parsers with `limited`, API schemas use
`limited_decimal`. `DecimalField` reads a row that already holds an out-of-range value instead
of raising, so such a record can still be shown and corrected.
"""

from __future__ import annotations

import decimal
from collections.abc import Callable, Collection
from dataclasses import dataclass
from decimal import Decimal
from functools import cache
from typing import Annotated, Any

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.backends.base.operations import BaseDatabaseOperations
from django.utils.functional import cached_property
from pydantic import AfterValidator
from pydantic_core import PydanticCustomError

# PostgreSQL's ranges; SQLite stores any 64-bit integer, so these are the portable ones.
INTEGER_RANGES = BaseDatabaseOperations.integer_field_ranges
# Enough digits for any double SQLite may hold (1.8e308) plus the decimals.
READ_PRECISION = 400


@dataclass(frozen=True)
class NumberLimits:
    label: str
    minimum: Decimal | None
    maximum: Decimal | None
    integer_digits: int | None = None  # decimals only
    decimal_places: int | None = None


@cache
def limits_for(field: models.Field) -> NumberLimits | None:
    """The limits of a numeric model field, or None for other fields."""
    minimum = maximum = None
    digits = places = None
    if isinstance(field, models.DecimalField):
        digits, places = field.max_digits - field.decimal_places, field.decimal_places
    elif isinstance(field, models.IntegerField):
        low, high = INTEGER_RANGES.get(field.get_internal_type(), (None, None))
        minimum = None if low is None else Decimal(low)
        maximum = None if high is None else Decimal(high)
    else:
        return None
    for validator in field._validators:  # the field's own validators, not the backend's range
        value = validator.limit_value
        if callable(value):
            continue
        if isinstance(validator, MinValueValidator):
            minimum = Decimal(value) if minimum is None else max(minimum, Decimal(value))
        elif isinstance(validator, MaxValueValidator):
            maximum = Decimal(value) if maximum is None else min(maximum, Decimal(value))
    return NumberLimits(str(field.verbose_name), minimum, maximum, digits, places)


def limit_error(field: models.Field, value: Any) -> str | None:
    """The Chinese message when `value` does not fit `field`, else None."""
    limits = limits_for(field)
    if limits is None or value is None or value == "" or isinstance(value, bool):
        return None
    try:
        number = value if isinstance(value, Decimal) else Decimal(str(value))
    except (decimal.InvalidOperation, ValueError):
        return None  # not a number at all: the field's own validation says so
    label = limits.label
    if not number.is_finite():
        return f"{label}不是有效数字"
    if limits.minimum is not None and number < limits.minimum:
        if limits.minimum == 0:
            return f"{label}不能为负数"
        return f"{label}不能小于 {limits.minimum}"
    if limits.maximum is not None and number > limits.maximum:
        return f"{label}超出允许范围（最大 {limits.maximum}）"
    if limits.integer_digits is not None:
        whole = max(number.adjusted() + 1, 0)  # adjusted(): no context, so no overflow
        if whole > limits.integer_digits:
            return f"{label}超出允许范围（最多 {limits.integer_digits} 位整数）"
        _sign, digits, exponent = number.as_tuple()
        if -exponent <= limits.decimal_places:  # the common case, e.g. amounts parsed to cents
            return None
        trailing_zeros = len(digits) - len("".join(map(str, digits)).rstrip("0"))
        if -exponent - trailing_zeros > limits.decimal_places:
            return f"{label}最多 {limits.decimal_places} 位小数"
    return None


def _plainly_within(limits: NumberLimits, value: Any) -> bool:
    """True when `value` is certainly within `limits`; False means "ask `limit_error`"."""
    kind = type(value)
    if kind is not int and (kind is not Decimal or not value.is_finite()):
        return False
    if limits.minimum is not None and value < limits.minimum:
        return False
    if limits.maximum is not None and value > limits.maximum:
        return False
    if limits.integer_digits is None:
        return True
    if kind is int:
        return len(str(abs(value))) <= limits.integer_digits
    return (
        value.adjusted() < limits.integer_digits
        and -value.as_tuple().exponent <= limits.decimal_places
    )


def limit_errors(instance: models.Model, exclude: Collection[str] = ()) -> dict[str, str]:
    """{field name: message} for every numeric field of `instance` out of its limits."""
    errors = {}
    for field in instance._meta.concrete_fields:
        if field.name in exclude or limits_for(field) is None:
            continue
        message = limit_error(field, getattr(instance, field.attname))
        if message:
            errors[field.name] = message
    return errors


class LimitedNumbersMixin(models.Model):
    """Model validation (services' and ModelForms' `full_clean`) applies the portable limits."""

    class Meta:
        abstract = True

    def clean_fields(self, exclude: Collection[str] | None = None) -> None:
        ours = limit_errors(self, exclude or ())
        errors: dict[str, list] = {name: [message] for name, message in ours.items()}
        try:
            super().clean_fields(exclude={*(exclude or ()), *ours})
        except ValidationError as exc:
            for name, messages in exc.error_dict.items():
                errors.setdefault(name, []).extend(messages)
        if errors:
            raise ValidationError(errors)


def limited(field: models.Field, parse: Callable[[Any], Any]) -> Callable[[Any], Any]:
    """An import cell parser that also refuses values out of `field`'s limits (ValueError)."""

    limits = limits_for(field)

    def parse_limited(value: Any) -> Any:
        result = parse(value)
        if result is None or limits is None or _plainly_within(limits, result):
            return result  # the common case, checked without building the message's inputs
        message = limit_error(field, result)
        if message:
            raise ValueError(message)
        return result

    return parse_limited


def limited_decimal(model: type[models.Model], name: str) -> Any:
    """A pydantic Decimal type for API input with the model field's limits (422 in Chinese)."""
    field = model._meta.get_field(name)

    def check(value: Decimal | None) -> Decimal | None:
        message = limit_error(field, value)
        if message:
            raise PydanticCustomError("number_limit", message)
        return value

    return Annotated[Decimal, AfterValidator(check)]


class DecimalField(models.DecimalField):
    """A DecimalField whose reads never raise on an out-of-range or non-finite stored value.

    SQLite keeps whatever it is given, and PostgreSQL's numeric holds NaN; Django's reader
    quantizes within `max_digits` and raises, which made the whole record unviewable. Here a huge
    value is read as it is (so it can be seen and corrected) and a non-finite one as empty.
    Writes are unchanged; migrations see a plain DecimalField.
    """

    @cached_property
    def context(self) -> decimal.Context:
        # Used by the SQLite reader's quantize; out-of-range gives NaN instead of an exception.
        return decimal.Context(prec=READ_PRECISION, traps=[])

    def to_python(self, value: Any) -> Any:
        if isinstance(value, float):
            # Django's rounding of floats to max_digits, which the wide read context would skip.
            value = decimal.Context(prec=self.max_digits).create_decimal_from_float(value)
        return super().to_python(value)

    def from_db_value(self, value: Any, expression: Any, connection: Any) -> Decimal | None:
        if value is None:
            return None
        if not isinstance(value, Decimal):
            value = Decimal(value)
        return value if value.is_finite() else None

    def deconstruct(self) -> tuple[str, str, list, dict]:
        name, _path, args, kwargs = super().deconstruct()
        return name, "django.db.models.DecimalField", args, kwargs
