"""Audit log writes (审计): every service that changes data records what it changed."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.apps import apps
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.utils import timezone
from django.utils.dateformat import format as date_format

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


_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_ISO_DATETIME = re.compile(r"^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}")


def display_value(value: Any, field: models.Field | None = None) -> str:
    """How a recorded value reads to a person (审计显示): 是/否, choice labels, lists joined by 、,
    dates in Chinese, — for empty."""
    if value is None or value == "" or value == [] or value == {}:
        return "—"
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, list | tuple):
        return "、".join(display_value(v, field) for v in value)
    if isinstance(value, dict):
        return "；".join(f"{k}：{display_value(v)}" for k, v in value.items())
    if field is not None and field.choices:
        label = dict(field.flatchoices).get(value)
        if label is not None:
            return str(label)
    if isinstance(value, str):
        if _ISO_DATE.match(value):
            return date_format(dt.date.fromisoformat(value), "Y年n月j日")
        if _ISO_DATETIME.match(value):
            try:
                moment = dt.datetime.fromisoformat(value)
            except ValueError:
                return value
            if timezone.is_aware(moment):
                moment = timezone.localtime(moment)
            return date_format(moment, "Y年n月j日 H:i")
    return str(value)


# Bulk writes store each row's changes compactly (a few hundred bytes per row):
# {"~": "<field list name>", "<index>": [before, after] or the value alone for a new row}, the
# index into a field tuple registered here; or a new row's values in the tuple's order,
# {"~": "<name>", "+": [value or null, ...]} (no key per value). A registered tuple never
# changes: a different field order is registered under a new name, so old events keep reading
# right.
COMPACT_FIELDS: dict[str, tuple[str, ...]] = {}


def register_compact_fields(name: str, fields: tuple[str, ...]) -> None:
    if COMPACT_FIELDS.setdefault(name, fields) != fields:
        raise ValueError(f"compact audit field list {name!r} is already registered differently")


def _named(changes: dict[str, Any]) -> dict[str, Any]:
    """A compact changes dict with its field names (unknown indexes kept as given)."""
    fields = COMPACT_FIELDS.get(changes["~"], ())
    named = {}
    for key, change in changes.items():
        if key == "+" and isinstance(change, list):  # a new row: values in the tuple's order
            named.update((n, v) for n, v in zip(fields, change, strict=False) if v is not None)
        elif key != "~":
            index = int(key) if key.isdigit() else len(fields)
            named[fields[index] if index < len(fields) else key] = change
    return named


def change_rows(event: AuditEvent) -> list[dict[str, str]]:
    """An event's changes as {field, label, before, after}, every value made readable; entries
    that read the same before and after are left out."""
    try:
        model = apps.get_model(event.object_type)
    except (LookupError, ValueError):
        model = None
    rows = []
    changes = event.changes or {}
    if isinstance(changes, dict) and "~" in changes:
        changes = _named(changes)
    for name, change in changes.items():
        field = None
        if model is not None:
            try:
                field = model._meta.get_field(name)
            except FieldDoesNotExist:
                field = None
        if isinstance(change, list) and len(change) == 2:
            # Bulk writes store [before, after] only (imports: a few hundred bytes per row).
            change = {"before": change[0], "after": change[1]}
        elif not isinstance(change, dict):  # a bulk write's new row: the value alone
            change = {"after": change}
        before = display_value(change.get("before"), field)
        after = display_value(change.get("after"), field)
        if before == after:  # None → "" on creation is no change to a reader
            continue
        rows.append(
            {
                "field": name,
                "label": str(
                    change.get("label") or (field.verbose_name if field is not None else name)
                ),
                "before": before,
                "after": after,
            }
        )
    return rows
