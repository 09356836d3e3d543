"""Reads of targets and statistics (指标数值), in the caller's jurisdiction scope.

`indicator_figures` is what the cockpit, the API, the Excel report and the monthly briefing read:
one `IndicatorFigure` per active indicator, for the district (admin, leader) or one 板块.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from decimal import Decimal
from typing import TYPE_CHECKING

from django.db.models import Q
from django.http import Http404

from xinzhi.accounts import permissions
from xinzhi.accounts.models import Jurisdiction
from xinzhi.dashboards import figures
from xinzhi.dashboards.choices import TargetLevel
from xinzhi.dashboards.computations import COMPUTATIONS, Computation
from xinzhi.dashboards.models import CityRanking, Indicator, ManualValue, Target
from xinzhi.dashboards.periods import FOUR_PLACES, month_end, period_for, report_month

if TYPE_CHECKING:
    from xinzhi.accounts.models import User

LEVEL_ORDER = {TargetLevel.CITY: 0, TargetLevel.DISTRICT: 1}
MANUAL_FALLBACK_NOTE = "手工填报指标"


def indicator_choices() -> list[tuple[str, str]]:
    """(code, name) of the active indicators, in display order."""
    return list(Indicator.objects.filter(is_active=True).values_list("code", "name"))


def active_indicators(codes: Sequence[str] | None = None) -> list[Indicator]:
    indicators = Indicator.objects.filter(is_active=True)
    if codes is not None:
        indicators = indicators.filter(code__in=list(codes))
    return list(indicators)


def district_root() -> Jurisdiction | None:
    """The district (区): the root of the jurisdiction tree."""
    return Jurisdiction.objects.filter(parent__isnull=True).order_by("sort_order", "id").first()


def sections() -> list[Jurisdiction]:
    """The district's 板块: the units directly below the district, active, in order."""
    root = district_root()
    if root is None:
        return []
    return list(Jurisdiction.objects.filter(parent=root, is_active=True))


def visible_units(*, user: User) -> list[tuple[int | None, str]]:
    """(jurisdiction id or None for the district, name) the user may report on, district first."""
    if not permissions.can_view_dashboards(user):
        return []
    if permissions.sees_whole_district(user) and user.jurisdiction_id is None:
        root = district_root()
        units: list[tuple[int | None, str]] = [(None, root.label if root else "全区")]
        return units + [(unit.pk, unit.label) for unit in sections()]
    if user.jurisdiction_id is None:
        return []
    return [(user.jurisdiction_id, user.jurisdiction.label)]


def resolve_unit(*, user: User, jurisdiction_id: int | None) -> tuple[int | None, str]:
    """The unit to report on: the district by default for district-wide roles, an officer's own
    板块 for an officer; a unit outside the user's reach is a 404, as elsewhere."""
    permissions.require(permissions.can_view_dashboards(user))
    units = visible_units(user=user)
    if not units:
        raise Http404("没有可查看的统计范围")
    if jurisdiction_id is None:
        return units[0]
    for unit in units:
        if unit[0] == jurisdiction_id:
            return unit
    raise Http404("没有可查看的统计范围")


def _subtrees(unit_ids: list[int]) -> dict[int, list[int]]:
    """Each unit's subtree (itself and below), from one query of the small tree."""
    paths = dict(Jurisdiction.objects.values_list("id", "path"))
    return {
        unit: [pk for pk, path in paths.items() if path.startswith(paths[unit])]
        for unit in unit_ids
    }


def _subtree(jurisdiction_id: int | None) -> list[int] | None:
    if jurisdiction_id is None:
        return None
    return Jurisdiction.objects.get(pk=jurisdiction_id).subtree_ids()


UnitKey = int | None


def _manual_values(
    indicators: list[Indicator], year: int, months: set[int], units: list[UnitKey]
) -> tuple[dict[tuple[UnitKey, int, int], Decimal], dict[tuple[UnitKey, int], str]]:
    """Typed-in 1—N月 values by (unit, indicator id, month), and the report month's sources by
    (unit, indicator id). Scope is checked by the caller (the units are the user's)."""
    rows = ManualValue.objects.unscoped().filter(
        indicator__in=indicators, year=year, month__in=months
    )
    ids = [u for u in units if u is not None]
    if None in units:
        rows = rows.filter(Q(jurisdiction_id__in=ids) | Q(jurisdiction__isnull=True))
    else:
        rows = rows.filter(jurisdiction_id__in=ids)
    values, notes = {}, {}
    report = max(months) if months else None
    for row in rows:
        values[(row.jurisdiction_id, row.indicator_id, row.month)] = row.value
        if row.month == report:
            notes[(row.jurisdiction_id, row.indicator_id)] = row.source_note
    return values, notes


def _manual_actual(
    values: dict[tuple[UnitKey, int, int], Decimal],
    unit: UnitKey,
    indicator: Indicator,
    period: figures.Period,
) -> Decimal | None:
    """A typed-in figure for the period: the 1—N月 value, or N月 = (1—N月) − (1—(N−1)月)."""
    month = report_month(period.end)
    if month is None:
        return None
    current = values.get((unit, indicator.pk, month))
    if current is None or period.cumulative or month == 1:
        return current
    previous = values.get((unit, indicator.pk, month - 1))
    return None if previous is None else current - previous


def _targets(
    indicators: list[Indicator], year: int, units: list[UnitKey]
) -> dict[tuple[UnitKey, int], list[Target]]:
    ids = [u for u in units if u is not None]
    rows = Target.objects.unscoped().filter(indicator__in=indicators, year=year)
    if None in units:
        rows = rows.filter(Q(jurisdiction_id__in=ids) | Q(jurisdiction__isnull=True))
    else:
        rows = rows.filter(jurisdiction_id__in=ids)
    by_key: dict[tuple[UnitKey, int], list[Target]] = {}
    for row in sorted(rows, key=lambda t: LEVEL_ORDER.get(t.level, 9)):
        by_key.setdefault((row.jurisdiction_id, row.indicator_id), []).append(row)
    return by_key


def _rankings(
    indicators: list[Indicator], year: int, month: int | None
) -> dict[int, figures.CityRanking]:
    if month is None:
        return {}
    rows = CityRanking.objects.filter(indicator__in=indicators, year=year, month=month)
    return {
        row.indicator_id: figures.CityRanking(rank=row.rank, among=row.among, source=row.source)
        for row in rows
    }


def plain(value: Decimal | None) -> Decimal | None:
    """A stored figure without trailing zeros (372.0000 → 372, 3.6600 → 3.66), never 1E+3."""
    if value is None:
        return None
    return value.quantize(Decimal(1)) if value == value.to_integral() else value.normalize()


def progress(actual: Decimal | None, target: Decimal) -> Decimal | None:
    """actual ÷ target, 4 places; None without an actual or with a zero target."""
    if actual is None or not target:
        return None
    return (actual / target).quantize(FOUR_PLACES)


class _Figures:
    """What one period's figures need, fetched once for several units (a few queries)."""

    def __init__(
        self,
        *,
        user: User,
        year: int,
        through: dt.date,
        cumulative: bool,
        units: list[UnitKey],
        codes: Sequence[str] | None = None,
    ) -> None:
        self.user = user
        self.period = period_for(year=year, through=through, cumulative=cumulative)
        self.indicators = active_indicators(codes)
        month = report_month(through)
        months = {m for m in (month, (month or 1) - 1) if m}
        self.values, self.notes = _manual_values(self.indicators, year, months, units)
        self.targets = _targets(self.indicators, year, units)
        self.rankings = _rankings(self.indicators, year, month) if None in units else {}
        self.links: dict[str, str | None] = {}

    def _drilldown(self, computation: Computation, unit: UnitKey) -> str | None:
        """The list link of a computation, built once per period (its lookups are queries)
        and narrowed to the unit with the lists' common `jurisdiction` parameter."""
        if computation.drilldown is None:
            return None
        if computation.key not in self.links:
            self.links[computation.key] = computation.drilldown(
                start=self.period.start, end=self.period.end, jurisdiction_id=None
            )
        url = self.links[computation.key]
        if url is None or unit is None:
            return url
        return f"{url}{'&' if '?' in url else '?'}jurisdiction={unit}"

    def build(
        self,
        unit: UnitKey,
        unit_name: str,
        computed: Callable[[Computation], Decimal],
    ) -> list[figures.IndicatorFigure]:
        """Each indicator's figure for one unit; `computed` counts a computation's records."""
        period = self.period
        result = []
        for indicator in self.indicators:
            typed = _manual_actual(self.values, unit, indicator, period)
            computation = COMPUTATIONS.get(indicator.computation)
            drilldown = None
            if typed is not None or computation is None:
                actual, source = typed, "manual"
                note = (
                    self.notes.get((unit, indicator.pk))
                    or indicator.source_note
                    or MANUAL_FALLBACK_NOTE
                )
            else:
                actual = computed(computation)
                source, note = "computed", indicator.source_note or computation.label
                drilldown = self._drilldown(computation, unit)
            actual = plain(actual)
            result.append(
                figures.IndicatorFigure(
                    code=indicator.code,
                    name=indicator.name,
                    unit=indicator.unit,
                    period=period,
                    jurisdiction_id=unit,
                    jurisdiction_name=unit_name,
                    actual=actual,
                    targets=tuple(
                        figures.TargetFigure(
                            level=t.level,
                            level_label=t.get_level_display(),
                            value=plain(t.value),
                            progress=progress(actual, t.value),
                        )
                        for t in self.targets.get((unit, indicator.pk), [])
                    ),
                    source=source,
                    source_note=note,
                    city_ranking=self.rankings.get(indicator.pk) if unit is None else None,
                    drilldown_url=drilldown,
                )
            )
        return result


def indicator_figures(
    *,
    user: User,
    year: int,
    through: dt.date,
    jurisdiction_id: int | None = None,
    codes: Sequence[str] | None = None,
    cumulative: bool = True,
) -> list[figures.IndicatorFigure]:
    """Each active indicator's figure for the period and unit, in display order.

    A value typed in for the unit and month (`ManualValue`) is the figure — for a manual
    indicator always, for a computed one it replaces the count (补录: statistics of a period
    whose records the platform does not hold); otherwise a computed indicator counts records.
    Raises PeriodError for a `through` outside `year`, Http404 for a unit out of reach.
    """
    jurisdiction_id, unit_name = resolve_unit(user=user, jurisdiction_id=jurisdiction_id)
    data = _Figures(
        user=user,
        year=year,
        through=through,
        cumulative=cumulative,
        units=[jurisdiction_id],
        codes=codes,
    )
    units = _subtree(jurisdiction_id)
    period = data.period
    return data.build(
        jurisdiction_id,
        unit_name,
        lambda c: c.count(user=user, start=period.start, end=period.end, units=units),
    )


def indicator_trend(
    *, user: User, code: str, year: int, through: dt.date, jurisdiction_id: int | None = None
) -> dict:
    """Monthly 1—N月 figures of one indicator, this year up to `through`'s report month vs the
    whole last year (the cockpit's trend chart); typed-in values first, as in the figures."""
    jurisdiction_id, _ = resolve_unit(user=user, jurisdiction_id=jurisdiction_id)
    indicator = Indicator.objects.filter(code=code, is_active=True).first()
    if indicator is None:
        raise Http404("指标不存在")
    typed = {
        (row.year, row.month): row.value
        for row in ManualValue.objects.unscoped().filter(
            indicator=indicator, jurisdiction_id=jurisdiction_id, year__in=(year, year - 1)
        )
    }
    computation = COMPUTATIONS.get(indicator.computation)
    units = _subtree(jurisdiction_id)

    def value(for_year: int, month: int) -> float | None:
        found = typed.get((for_year, month))
        if found is None and computation is not None:
            found = computation.count(
                user=user,
                start=dt.date(for_year, 1, 1),
                end=month_end(for_year, month),
                units=units,
            )
        return None if found is None else float(found)

    last_month = report_month(through) or 0
    return {
        "kind": "trend",
        "name": indicator.name,
        "unit": indicator.unit,
        "months": [f"{m}月" for m in range(1, 13)],
        "this_year": f"{year}年",
        "last_year": f"{year - 1}年",
        "this": [value(year, m) for m in range(1, last_month + 1)],
        "last": [value(year - 1, m) for m in range(1, 13)],
    }


def section_comparison(*, user: User, year: int, through: dt.date) -> list[dict]:
    """Per indicator, each 板块's figure ranked among the 板块 (各板块比较), from live data.

    Ranks follow the indicator's direction; equal figures share a rank; a 板块 without a figure
    is listed last without a rank.
    """
    permissions.require(permissions.can_compare_sections(user))
    units = [unit for unit in visible_units(user=user) if unit[0] is not None]
    data = _Figures(
        user=user, year=year, through=through, cumulative=True, units=[u for u, _ in units]
    )
    period = data.period
    grouped: dict[str, dict[int, Decimal]] = {}

    def computed_for(subtree: list[int]) -> Callable[[Computation], Decimal]:
        def computed(computation: Computation) -> Decimal:
            if computation.key not in grouped:
                grouped[computation.key] = computation.by_unit(
                    user=user, start=period.start, end=period.end
                )
            by_leaf = grouped[computation.key]
            return sum((by_leaf.get(leaf, Decimal(0)) for leaf in subtree), Decimal(0))

        return computed

    subtrees = _subtrees([unit_id for unit_id, _ in units])
    by_unit = {
        unit_id: data.build(unit_id, name, computed_for(subtrees[unit_id]))
        for unit_id, name in units
    }
    indicators = data.indicators
    rows = []
    for index, indicator in enumerate(indicators):
        cells = [(name, by_unit[unit_id][index]) for unit_id, name in units]
        known = sorted(
            (c for c in cells if c[1].actual is not None),
            key=lambda c: c[1].actual,
            reverse=indicator.direction == "up",
        )
        ranked = []
        for position, (name, figure) in enumerate(known, start=1):
            rank = position
            if ranked and ranked[-1]["figure"].actual == figure.actual:
                rank = ranked[-1]["rank"]
            ranked.append({"name": name, "figure": figure, "rank": rank})
        ranked += [{"name": n, "figure": f, "rank": None} for n, f in cells if f.actual is None]
        rows.append({"indicator": indicator, "cells": ranked})
    return rows
