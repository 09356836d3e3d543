"""Targets import (目标批量导入): one row per indicator, year, unit and level.

At the start of a year the bureau receives the city's targets and sets its own for the
district and each 板块: a sheet of a few hundred cells, imported instead of typed one by one.
A row names the indicator (code or name), the year, the unit (全区 or a 板块), the level (市目标
or 区目标) and the value; a row whose target exists replaces its value. Every row is checked
first (against the library, the units, the file's own duplicates and the model's rules);
only a clean file is written, in one transaction, each target through `services.target_save`
(audited as a form save is).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from xinzhi.accounts.models import Jurisdiction, User
from xinzhi.core.limits import limited
from xinzhi.dashboards import selectors, services
from xinzhi.dashboards.choices import TargetLevel
from xinzhi.dashboards.models import Indicator, Target
from xinzhi.spreadsheets.export import Column
from xinzhi.spreadsheets.importing import (
    ImportColumn,
    ImportResult,
    RowError,
    parse_count,
    parse_decimal,
    parse_text,
    read_rows,
)

DISTRICT = "全区"


def target_columns() -> list[ImportColumn]:
    value = Target._meta.get_field("value")
    return [
        ImportColumn("指标", "indicator", parse_text, required=True),
        ImportColumn("年度", "year", parse_count, required=True),
        ImportColumn("范围", "unit", parse_text, required=True),
        ImportColumn("目标层级", "level", parse_text, required=True),
        ImportColumn("目标值", "value", limited(value, parse_decimal), required=True),
        ImportColumn("说明", "note", parse_text),
    ]


def template_columns() -> list[Column]:
    widths = {"indicator": 28, "unit": 20, "note": 30}
    return [
        Column(c.header, lambda row, f=c.field: row.get(f, ""), widths.get(c.field, 12))
        for c in target_columns()
    ]


@dataclass
class TargetImportResult(ImportResult):
    unchanged: int = 0  # rows whose target holds that value already


@dataclass(frozen=True)
class _Checked:
    number: int
    target: Target | None  # the stored target the row replaces, if any
    data: dict[str, Any]  # services.TARGET_FIELDS


def targets_import(
    *,
    actor: User,
    data: bytes,
    dry_run: bool,
    progress: Callable[..., None] | None = None,
) -> TargetImportResult:
    """Check every row, then write all of them or none (所有行校验通过才写入)."""
    services.require_manager(actor)  # the bureau admin's, as the target pages are
    result = TargetImportResult(dry_run=dry_run)
    indicators = _indicators()
    units = _units()
    stored = {
        (t.indicator_id, t.year, t.jurisdiction_id, t.level): t
        for t in Target.all_objects.select_related("indicator")
    }
    seen: dict[tuple, int] = {}
    checked: list[_Checked] = []
    for number, values, errors in read_rows(data, target_columns()):
        result.rows += 1
        if errors:
            result.errors.extend(errors)
            continue
        row = _check(number, values, indicators, units, stored, seen, result)
        if row is not None:
            checked.append(row)
    if progress:
        progress(result.rows)
    if result.errors or dry_run:
        return result
    if progress:
        progress(0, writing=True)
    with transaction.atomic():
        for row in checked:
            services.target_save(actor=actor, data=row.data, target=row.target)
    return result


def _check(
    number: int,
    values: dict[str, Any],
    indicators: dict[str, Indicator],
    units: dict[str, Jurisdiction | None],
    stored: dict[tuple, Target],
    seen: dict[tuple, int],
    result: TargetImportResult,
) -> _Checked | None:
    def error(column: str, message: str) -> None:
        result.errors.append(RowError(number, column, message))

    indicator = indicators.get(values["indicator"])
    if indicator is None:
        error("指标", f"指标库中没有“{values['indicator']}”（填写指标编码或名称）")
        return None
    unit = values["unit"]
    if unit not in units:
        error("范围", f"没有名为“{unit}”的板块（全区填写“{DISTRICT}”）")
        return None
    level = LEVELS.get(values["level"])
    if level is None:
        error("目标层级", "应为“市目标”或“区目标”")
        return None
    jurisdiction = units[unit]
    key = (indicator.pk, values["year"], jurisdiction.pk if jurisdiction else None, level)
    if key in seen:
        error("指标", f"与第 {seen[key]} 行重复（同一指标、年度、范围与目标层级）")
        return None
    seen[key] = number
    current = stored.get(key)
    data = {
        "indicator": indicator,
        "year": values["year"],
        "jurisdiction": jurisdiction,
        "level": level,
        "value": values["value"],
        "note": values.get("note") or (current.note if current else ""),
    }
    # As it will be stored (the stored row's id and version: its own uniqueness is no clash).
    candidate = Target(**data) if current is None else Target(pk=current.pk, **data)
    candidate._state.adding = current is None
    try:
        candidate.full_clean(exclude=["set_by"])
    except ValidationError as exc:
        for field, messages in exc.message_dict.items():
            column = COLUMNS.get(field, "目标值")
            for message in messages:
                error(column, message)
        return None
    if current is None:
        result.created += 1
    elif current.value == data["value"] and current.note == data["note"]:
        result.unchanged += 1
        return None
    else:
        result.updated += 1
    return _Checked(number, current, data)


def _indicators() -> dict[str, Indicator]:
    """Active indicators by code and by name."""
    found: dict[str, Indicator] = {}
    for indicator in Indicator.objects.filter(is_active=True):
        found[indicator.code] = found[indicator.name] = indicator
    return found


def _units() -> dict[str, Jurisdiction | None]:
    """全区 (None) and each 板块 by its name and its short name."""
    units: dict[str, Jurisdiction | None] = {DISTRICT: None}
    root = selectors.district_root()
    if root is not None:
        units[root.name] = units[root.label] = None
    for section in selectors.sections():
        units[section.name] = units[section.label] = section
    return units


LEVELS = {**{label: value for value, label in TargetLevel.choices}, **{v: v for v in TargetLevel}}
COLUMNS = {"year": "年度", "value": "目标值", "note": "说明", "level": "目标层级"}
