"""Changes to an enterprise's facts: what-if, levers and their replay.

A change is ``{"path": "financials[2025].rd_expense", "delta": 126.4}`` (relative) or
``{"path": "ip.class1", "value": 1}`` (absolute). Paths: a top-level fact (``tech_staff``), a
group fact (``ip.class1``, ``flags.sme``, ``honours.hnte_valid_until``, ``funding.*``,
``srdi.*``) or a fiscal-year figure ``financials[YEAR].FIELD`` (the older spelling
``financials.YEAR.FIELD`` is accepted). The changed facts pass the same validation as parsed
input (:func:`facts.validate_facts`), so what-if cannot reach a state the parser would refuse.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import fields, replace
from datetime import date
from decimal import Decimal
from typing import Any

from .facts import (
    SIGNED_MONEY,
    EnterpriseFacts,
    InputError,
    YearFigures,
    parse_bool,
    parse_date,
    parse_decimal,
    parse_ratio,
    validate_facts,
)

__all__ = ["Change", "apply_changes", "normalise_changes", "project_next_window"]

Change = dict[str, Any]
_YEAR_PATH = re.compile(r"^financials(?:\[(\d{4})\]|\.(\d{4}))\.(\w+)$")
_GROUPS = ("ip", "flags", "honours", "funding", "srdi")
_RATIO_FIELDS = frozenset({"srdi.market_share"})
_FIXED = frozenset({"id", "financials", "by_year"})


def normalise_changes(changes: Mapping[str, Any] | Iterable[Mapping[str, Any]]) -> list[Change]:
    """Accept the list form, or the older mapping ``{"path": value | "+48" | "-10"}``."""
    if isinstance(changes, Mapping):
        out: list[Change] = []
        for path, new in changes.items():
            text = new.strip() if isinstance(new, str) else None
            if text and text[:1] in "+-" and text not in ("+", "-"):
                out.append({"path": path, "delta": text})
            else:
                out.append({"path": path, "value": new})
        return out
    out = []
    for i, ch in enumerate(changes):
        if not isinstance(ch, Mapping) or not isinstance(ch.get("path"), str):
            raise InputError(None, f"changes[{i}]", '每项调整应为 {"path": …, "delta"|"value": …}')
        if ("delta" in ch) == ("value" in ch) or set(ch) - {"path", "delta", "value"}:
            raise InputError(None, f"changes[{i}]", "每项调整须且只须给出 delta 或 value 之一")
        out.append(dict(ch))
    return out


def _new_value(
    old: Any, change: Change, eid: str, path: str, *, signed: bool, is_ratio: bool
) -> Any:
    if "delta" in change:
        if isinstance(old, bool | date):
            raise InputError(eid, path, "该字段不能做相对调整")
        delta = parse_decimal(change["delta"], eid, path, signed=True)
        if delta is None:
            raise InputError(eid, path, "调整量为空")
        if old is None:
            raise InputError(eid, path, "原值未知，不能做相对调整（请给出 value）")
        result: Any = Decimal(old) + delta
    else:
        new = change["value"]
        if isinstance(old, bool) or (old is None and isinstance(new, bool)):
            return parse_bool(new, eid, path)
        if isinstance(old, date) or path.endswith("_until") or path in ("registered_on", "as_of"):
            return parse_date(new, eid, path)
        if isinstance(old, str) or (old is None and isinstance(new, str) and not _numeric(new)):
            return new
        result = (
            parse_ratio(new, eid, path)
            if is_ratio
            else parse_decimal(new, eid, path, signed=signed)
        )
    if result is None:
        return None
    if not signed and result < 0:
        raise InputError(eid, path, f"调整后数值不能为负数: {result}")
    if is_ratio and result > 1:
        raise InputError(eid, path, f"比例应在 0–1 之间: {result}")
    if isinstance(old, int) and not isinstance(old, bool):
        if result != result.to_integral_value():
            raise InputError(eid, path, "应为整数")
        return int(result)
    return result


def _numeric(s: str) -> bool:
    try:
        Decimal(s.strip().replace(",", ""))
    except ArithmeticError:
        return False
    return True


_INT_FIELDS = frozenset(
    {"employees", "tech_staff", "rd_staff", "conversions_3y", "rd_management_score"}
)


def apply_changes(
    facts: EnterpriseFacts, changes: Mapping[str, Any] | Iterable[Mapping[str, Any]]
) -> EnterpriseFacts:
    """New facts with the changes applied and validated (raises :class:`InputError`)."""
    f = facts
    normalised = normalise_changes(changes)
    touched = {ch["path"] for ch in normalised}
    for change in normalised:
        path = change["path"]
        m = _YEAR_PATH.match(path)
        parts = path.split(".")
        if m:
            year = int(m.group(1) or m.group(2))
            name = m.group(3)
            if name not in {fl.name for fl in fields(YearFigures)} or name == "year":
                raise InputError(f.id, path, "未知年度字段")
            rows = dict(f.by_year)
            row = rows.get(year) or YearFigures(year=year)
            old = getattr(row, name)
            if old is None and name == "employees" and "delta" not in change:
                old = 0 if change.get("value") is not None else None
            value = _new_value(old, change, f.id, path, signed=name in SIGNED_MONEY, is_ratio=False)
            if name == "employees" and value is not None:
                value = int(value)
            rows[year] = replace(row, **{name: value})
            fin = tuple(sorted(rows.values(), key=lambda r: r.year))
            f = replace(f, financials=fin, by_year={r.year: r for r in fin})
        elif len(parts) == 2 and parts[0] in _GROUPS:
            sub = getattr(f, parts[0])
            if parts[1] not in {fl.name for fl in fields(sub)}:
                raise InputError(f.id, path, "未知字段")
            value = _new_value(
                getattr(sub, parts[1]),
                change,
                f.id,
                path,
                signed=False,
                is_ratio=path in _RATIO_FIELDS,
            )
            value = _as_int_if_count(sub, parts[1], value)
            f = replace(f, **{parts[0]: replace(sub, **{parts[1]: value})})
        elif (
            len(parts) == 1
            and parts[0] in {fl.name for fl in fields(EnterpriseFacts)}
            and parts[0] not in _FIXED
        ):
            value = _new_value(
                getattr(f, parts[0]), change, f.id, path, signed=False, is_ratio=False
            )
            if parts[0] in _INT_FIELDS and isinstance(value, Decimal):
                if value != value.to_integral_value():
                    raise InputError(f.id, path, "应为整数")
                value = int(value)
            f = replace(f, **{parts[0]: value})
        else:
            raise InputError(f.id, path, "无法调整的字段")
    if "ip.class1" in touched and f.ip.class1 is not None:
        # fewer Ⅰ类 in total: the sub-counts (自主研发, 高价值) cannot exceed it unless they were
        # set explicitly (then validation reports the contradiction)
        clamped = {
            name: f.ip.class1
            for name in ("class1_self_developed", "class1_high_value")
            if f"ip.{name}" not in touched
            and getattr(f.ip, name) is not None
            and getattr(f.ip, name) > f.ip.class1
        }
        if clamped:
            f = replace(f, ip=replace(f.ip, **clamped))
    validate_facts(f)
    return f


def _as_int_if_count(sub: Any, name: str, value: Any) -> Any:
    kind = {fl.name: fl.type for fl in fields(sub)}[name]
    if isinstance(value, Decimal) and str(kind).startswith("int"):
        if value != value.to_integral_value():
            raise InputError(None, name, "应为整数")
        return int(value)
    return value


def next_window(as_of: date) -> date:
    """The same application date one year later (29 Feb → 28 Feb)."""
    try:
        return as_of.replace(year=as_of.year + 1)
    except ValueError:
        return as_of.replace(year=as_of.year + 1, day=28)


def project_next_window(facts: EnterpriseFacts, as_of: date) -> tuple[EnterpriseFacts, date]:
    """The next application window: ``as_of`` one year on, the open fiscal year (``as_of.year``)
    becomes the data year. When it has no figures yet they are projected as equal to the last
    closed year's (the "no change" baseline a lever is measured against)."""
    later = next_window(as_of)
    open_year = as_of.year
    if open_year in facts.by_year or (open_year - 1) not in facts.by_year:
        return facts, later
    projected = replace(facts.by_year[open_year - 1], year=open_year)
    fin = tuple(sorted((*facts.financials, projected), key=lambda r: r.year))
    return replace(facts, financials=fin, by_year={r.year: r for r in fin}), later
