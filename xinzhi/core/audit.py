"""Audit log writes (审计): every service that changes data records what it changed."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.db import models

from xinzhi.core.middleware import client_ip
from xinzhi.core.models import AuditEvent

if TYPE_CHECKING:
    from xinzhi.accounts.models import User


def plain_value(value: Any) -> Any:
    """A JSON-safe, human-readable form of a field value."""
    if value is None or isinstance(value, bool | int | str):
        return value
    if isinstance(value, Decimal):
        return format(value.normalize(), "f")  # 150.50 and 150.5 are the same amount
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    if isinstance(value, models.Model):
        return str(value)
    if isinstance(value, list | tuple | set):
        return [plain_value(v) for v in value]
    return str(value)


def snapshot(instance: models.Model, fields: list[str]) -> dict[str, Any]:
    """Field values of `instance`, foreign keys by their display text."""
    values: dict[str, Any] = {}
    for name in fields:
        field = instance._meta.get_field(name)
        if field.many_to_many:
            values[name] = (
                sorted(str(v) for v in getattr(instance, name).all()) if instance.pk else []
            )
        elif field.is_relation:
            values[name] = plain_value(getattr(instance, name))
        elif getattr(field, "choices", None):
            values[name] = getattr(instance, f"get_{name}_display")()
        else:
            values[name] = plain_value(getattr(instance, name))
    return values


def diff(model: type[models.Model], before: dict[str, Any], after: dict[str, Any]) -> dict:
    """{field: {label, before, after}} for the fields whose value changed."""
    changes = {}
    for name, new in after.items():
        old = before.get(name)
        if old != new:
            label = str(model._meta.get_field(name).verbose_name)
            changes[name] = {"label": label, "before": old, "after": new}
    return changes


def audit_record(
    *,
    actor: User | None,
    action: str,
    instance: models.Model,
    changes: dict | None = None,
    note: str = "",
    enterprise_id: int | None = None,
    jurisdiction_id: int | None = None,
) -> AuditEvent:
    """Append one audit event for a change to `instance`."""
    return AuditEvent.all_objects.create(
        actor=actor if actor is not None and actor.is_authenticated else None,
        actor_name=(actor.display_name if actor is not None and actor.is_authenticated else "系统"),
        action=action,
        object_type=instance._meta.label_lower,
        object_id=str(instance.pk),
        object_repr=str(instance)[:255],
        enterprise_id=enterprise_id,
        jurisdiction_id=jurisdiction_id,
        changes=changes or {},
        note=note[:500],
        ip_address=client_ip(),
    )
