from decimal import Decimal

from django import template

from xinzhi.core import audit

register = template.Library()


@register.filter
def percent(value: Decimal | float | None, digits: int = 2) -> str:
    """0.0512 → '5.12%'; None → '—'."""
    if value is None:
        return "—"
    return f"{Decimal(value) * 100:.{digits}f}%"


@register.filter
def fact(value: object) -> str:
    """Readable Chinese form of an engine value: booleans, {min, max} ranges, lists, dicts."""
    if value is True:
        return "是"
    if value is False:
        return "否"
    if value is None:
        return "未知"
    if isinstance(value, dict):
        if set(value) == {"min", "max"}:
            low, high = value["min"], value["max"]
            return str(low) if low == high else f"{low}–{high}"
        return "，".join(f"{k} {fact(v)}" for k, v in value.items())
    if isinstance(value, list | tuple):
        return "、".join(fact(v) for v in value)
    return str(value)


@register.filter
def audit_changes(event: object) -> list[dict[str, str]]:
    """An audit event's changes with readable Chinese values (see core.audit.change_rows)."""
    return audit.change_rows(event)
