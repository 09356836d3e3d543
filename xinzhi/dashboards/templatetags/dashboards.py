"""Display of indicator figures: numbers as the bureau writes them, progress as a percentage."""

from __future__ import annotations

from decimal import Decimal

from django import template

register = template.Library()


@register.filter
def figure(value: Decimal | None) -> str:
    """18999.0000 → 18,999; 3.6600 → 3.66; None → —."""
    if value is None:
        return "—"
    text = f"{value.normalize():,f}"
    return text


@register.filter
def percent(value: Decimal | None) -> str:
    """0.7500 → 75.0%; None → —."""
    if value is None:
        return "—"
    return f"{value * 100:.1f}%"
