"""Targets and typed-in values from Excel (目标、手工填报值批量导入).

At the start of a year the bureau receives the city's targets and sets its own for the
district and each 板块; when the platform starts, the years before it are back-filled as
1—N月 figures from the bulletins. Both are sheets of hundreds of cells, imported instead of
typed one by one. A row names the indicator (code or name), the year (and for a value the
month), the unit (全区 or a 板块) and the value; a row whose target or value exists replaces it.
Every row is checked first (against the library, the units, the file's own duplicates and the
model's rules); only a clean file is written, in one transaction, each row through the
service the pages use (`services.target_save`, `services.manual_value_save`: audited alike).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models, transaction

from xinzhi.accounts.models import Jurisdiction, User
from xinzhi.core.limits import limited
from xinzhi.dashboards import selectors, services
from xinzhi.dashboards.choices import TargetLevel
from xinzhi.dashboards.models import Indicator, ManualValue, Target
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
LEVELS = {label: value for value, label in TargetLevel.choices} | {
    v: v for v, _ in TargetLevel.choices
}


def _level(value: Any) -> str:
    level = LEVELS.get(parse_text(value))
    if level is None:
        raise ValueError("应为“市目标”或“区目标”")
    return level


@dataclass(frozen=True)
class _Kind:
    """What differs between the targets and the typed-in values."""

    model: type[models.Model]
    # Columns between 指标 and 范围 that, with them, identify a row: 年度 and 层级 or 截至月份.
    key_columns: tuple[ImportColumn, ...]
    # Columns after 范围 and 数值: 说明 (empty keeps the stored one) or 数据来源 (required).
    extra_columns: tuple[ImportColumn, ...]
    keeps_when_empty: tuple[str, ...]
    value_label: str
    save: Callable[..., Any]
    duplicate: str  # what a duplicate row repeats
    template_row: dict[str, Any]  # what the template fills in besides indicator, year and unit


def _columns(kind: _Kind) -> list[ImportColumn]:
    value = kind.model._meta.get_field("value")
    return [
        ImportColumn("指标", "indicator", parse_text, required=True),
        *kind.key_columns,
        ImportColumn("范围", "unit", parse_text, required=True),
        ImportColumn(kind.value_label, "value", limited(value, parse_decimal), required=True),
        *kind.extra_columns,
    ]


TARGETS = _Kind(
    model=Target,
    key_columns=(
        ImportColumn("年度", "year", parse_count, required=True),
        ImportColumn("目标层级", "level", _level, required=True),
    ),
    extra_columns=(ImportColumn("说明", "note", parse_text),),
    keeps_when_empty=("note",),
    value_label="目标值",
    save=lambda actor, data, row: services.target_save(actor=actor, data=data, target=row),
    duplicate="同一指标、年度、范围与目标层级",
    template_row={"level": TargetLevel.DISTRICT.label},
)
VALUES = _Kind(
    model=ManualValue,
    key_columns=(
        ImportColumn("年度", "year", parse_count, required=True),
        ImportColumn("截至月份", "month", parse_count, required=True),
    ),
    extra_columns=(ImportColumn("数据来源", "source_note", parse_text, required=True),),
    keeps_when_empty=(),
    value_label="累计数值",
    save=lambda actor, data, row: services.manual_value_save(
        actor=actor, data=data, manual_value=row
    ),
    duplicate="同一指标、年度、月份与范围",
    template_row={"month": 12, "source_note": ""},
)


def template_rows(kind: _Kind, year: int) -> list[dict[str, Any]]:
    """The template's rows: one per active indicator, for the district, to fill in."""
    first = {"year": year, "unit": DISTRICT, **kind.template_row}
    return [{"indicator": i.name, **first} for i in selectors.active_indicators()]


def template_columns(kind: _Kind) -> list[Column]:
    widths = {"indicator": 28, "unit": 20, "note": 30, "source_note": 30}
    return [
        Column(c.header, lambda row, f=c.field: row.get(f, ""), widths.get(c.field, 12))
        for c in _columns(kind)
    ]


@dataclass
class TableImportResult(ImportResult):
    unchanged: int = 0  # rows whose target or value is stored as the file has it


@dataclass(frozen=True)
class _Checked:
    stored: models.Model | None  # the row it replaces, if any
    data: dict[str, Any]


def targets_import(
    *, actor: User, data: bytes, dry_run: bool, progress: Callable[..., None] | None = None
) -> TableImportResult:
    """目标导入: check every row, then write all of them or none (所有行校验通过才写入)."""
    return _import(TARGETS, actor=actor, data=data, dry_run=dry_run, progress=progress)


def values_import(
    *, actor: User, data: bytes, dry_run: bool, progress: Callable[..., None] | None = None
) -> TableImportResult:
    """手工填报值导入: check every row, then write all of them or none."""
    return _import(VALUES, actor=actor, data=data, dry_run=dry_run, progress=progress)


def _import(
    kind: _Kind,
    *,
    actor: User,
    data: bytes,
    dry_run: bool,
    progress: Callable[..., None] | None,
) -> TableImportResult:
    services.require_manager(actor)  # the bureau admin's, as the pages are
    result = TableImportResult(dry_run=dry_run)
    check = _Checker(kind, result)
    checked: list[_Checked] = []
    for number, values, errors in read_rows(data, _columns(kind)):
        result.rows += 1
        if errors:
            result.errors.extend(errors)
            continue
        row = check(number, values)
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
            kind.save(actor, row.data, row.stored)
    return result


class _Checker:
    """Checks one row at a time against the library, the units, the stored rows and the
    rows seen before in the file; counts what a commit would create, change or leave."""

    def __init__(self, kind: _Kind, result: TableImportResult) -> None:
        self.kind, self.result = kind, result
        self.keys = tuple(c.field for c in kind.key_columns)
        self.headers = {c.field: c.header for c in _columns(kind)}
        self.indicators = _indicators()
        self.units = _units()
        manager = kind.model.all_objects  # type: ignore[attr-defined]
        self.stored = {
            self._key(row, row.indicator_id, row.jurisdiction_id): row for row in manager.all()
        }
        self.seen: dict[tuple, int] = {}

    def _key(self, values: Any, indicator_id: int, jurisdiction_id: int | None) -> tuple:
        get = values.get if isinstance(values, dict) else lambda name: getattr(values, name)
        return (indicator_id, jurisdiction_id, *(get(name) for name in self.keys))

    def __call__(self, number: int, values: dict[str, Any]) -> _Checked | None:
        def error(column: str, message: str) -> None:
            self.result.errors.append(RowError(number, column, message))

        indicator = self.indicators.get(values["indicator"])
        if indicator is None:
            error("指标", f"指标库中没有“{values['indicator']}”（填写指标编码或名称）")
            return None
        unit = values["unit"]
        if unit not in self.units:
            error("范围", f"没有名为“{unit}”的板块（全区填写“{DISTRICT}”）")
            return None
        jurisdiction = self.units[unit]
        key = self._key(values, indicator.pk, jurisdiction.pk if jurisdiction else None)
        if key in self.seen:
            error("指标", f"与第 {self.seen[key]} 行重复（{self.kind.duplicate}）")
            return None
        self.seen[key] = number
        stored = self.stored.get(key)
        data = {"indicator": indicator, "jurisdiction": jurisdiction}
        for name in (*self.keys, "value", *(c.field for c in self.kind.extra_columns)):
            data[name] = values.get(name)
            if name in self.kind.keeps_when_empty and not data[name]:
                data[name] = getattr(stored, name) if stored else ""
        # As it will be stored: a replaced row keeps its id, so its own uniqueness is no clash.
        candidate = (
            self.kind.model(**data) if stored is None else self.kind.model(pk=stored.pk, **data)
        )
        candidate._state.adding = stored is None
        try:
            candidate.full_clean(exclude=["set_by", "entered_by"])
        except ValidationError as exc:
            for field, messages in exc.message_dict.items():
                for message in messages:
                    error(self.headers.get(field, "指标"), message)
            return None
        if stored is None:
            self.result.created += 1
        elif all(getattr(stored, name) == value for name, value in data.items()):
            self.result.unchanged += 1
            return None
        else:
            self.result.updated += 1
        return _Checked(stored, data)


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
