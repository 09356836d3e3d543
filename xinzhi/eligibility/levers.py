"""What-if: apply concrete changes to an enterprise's facts and re-evaluate.

The levers themselves (the smallest change that raises the score or passes a gate, with the
points gained) are produced by each policy engine in :mod:`.engine` while it explains a result;
this module lets a user try them, e.g.::

    before, after = what_if(facts, "hnte-2016", {"financials.2024.rd_expense": "+126.4"})
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import fields, replace
from datetime import date
from decimal import Decimal
from typing import Any

from .engine import Result, evaluate
from .facts import (
    SIGNED_MONEY,
    EnterpriseFacts,
    InputError,
    YearFigures,
    parse_bool,
    parse_date,
    parse_decimal,
)
from .loader import Policy

__all__ = ["apply_changes", "what_if"]


def _new_value(old: Any, new: Any, eid: str, path: str, signed: bool) -> Any:
    """``new`` may be absolute or a relative string ``"+48"`` / ``"-10"`` for numbers."""
    if isinstance(old, bool) or (old is None and isinstance(new, bool)):
        return parse_bool(new, eid, path)
    if isinstance(old, date):
        return parse_date(new, eid, path)
    rel = isinstance(new, str) and new.strip()[:1] in "+-" and new.strip() not in ("+", "-")
    if rel:
        delta = parse_decimal(new, eid, path, signed=True)
        assert delta is not None
        if old is None:
            raise InputError(eid, path, "原值未知，不能做相对调整")
        result = Decimal(old) + delta
    else:
        result = parse_decimal(new, eid, path, signed=signed)
    if result is not None and not signed and result < 0:
        raise InputError(eid, path, "调整后数值不能为负数")
    if isinstance(old, int) and result is not None:
        if result != result.to_integral_value():
            raise InputError(eid, path, "应为整数")
        return int(result)
    return result


def apply_changes(facts: EnterpriseFacts, changes: Mapping[str, Any]) -> EnterpriseFacts:
    """Return new facts with dotted-path changes applied, e.g. ``"tech_staff": "+3"``,
    ``"ip.class1": 1``, ``"financials.2024.rd_expense": "+48"``."""
    f = facts
    for path, new in changes.items():
        parts = path.split(".")
        if parts[0] == "financials" and len(parts) == 3:
            year = int(parts[1])
            rows = dict(f.by_year)
            row = rows.get(year) or YearFigures(year=year)
            if parts[2] not in {fl.name for fl in fields(YearFigures)} or parts[2] == "year":
                raise InputError(f.id, path, "未知年度字段")
            v = _new_value(getattr(row, parts[2]), new, f.id, path, parts[2] in SIGNED_MONEY)
            rows[year] = replace(row, **{parts[2]: v})
            fin = tuple(sorted(rows.values(), key=lambda r: r.year))
            f = replace(f, financials=fin, by_year={r.year: r for r in fin})
        elif len(parts) == 2 and parts[0] in ("ip", "flags", "honours", "funding", "srdi"):
            sub = getattr(f, parts[0])
            if parts[1] not in {fl.name for fl in fields(sub)}:
                raise InputError(f.id, path, "未知字段")
            v = _new_value(getattr(sub, parts[1]), new, f.id, path, False)
            f = replace(f, **{parts[0]: replace(sub, **{parts[1]: v})})
        elif len(parts) == 1 and parts[0] in {fl.name for fl in fields(EnterpriseFacts)} \
                and parts[0] not in ("id", "financials", "by_year"):
            v = _new_value(getattr(f, parts[0]), new, f.id, path, False)
            f = replace(f, **{parts[0]: v})
        else:
            raise InputError(f.id, path, "无法调整的字段")
    if f.employees is not None and f.tech_staff is not None and f.tech_staff > f.employees:
        raise InputError(f.id, "tech_staff", "调整后科技人员数大于职工总数")
    return f


def what_if(facts: EnterpriseFacts, policy: str | Policy, changes: Mapping[str, Any],
            as_of: date | None = None) -> tuple[Result, Result]:
    """(before, after) results for the given changes."""
    return evaluate(facts, policy, as_of), evaluate(apply_changes(facts, changes), policy, as_of)
