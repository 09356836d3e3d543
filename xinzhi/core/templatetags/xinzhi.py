from decimal import Decimal

from django import template

register = template.Library()


@register.filter
def percent(value: Decimal | float | None, digits: int = 2) -> str:
    """0.0512 → '5.12%'; None → '—'."""
    if value is None:
        return "—"
    return f"{Decimal(value) * 100:.{digits}f}%"
