"""Indicator figures (指标数值): what the cockpit, the API, the Excel report and the briefing read.

One `IndicatorFigure` is one indicator's actual for one 统计期 and one jurisdiction (the district
or a 板块), with its targets, progress against 序时进度, the city ranking typed in from a
bulletin and the link to the records behind it. `xinzhi.dashboards.selectors.indicator_figures`
returns them in the caller's scope; the monthly briefing snapshots them, so these are plain
values (no model instances, nothing that changes after the fact).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Literal

Schedule = Literal["ahead", "behind", "none"]
Source = Literal["computed", "manual"]


@dataclass(frozen=True)
class Period:
    """统计期: 1—N月 (cumulative from 1 January) or N月 (in-month) of a calendar year."""

    year: int
    start: dt.date
    end: dt.date  # inclusive: the `through` date
    cumulative: bool
    label: str  # "1—9月", "9月", "全年"
    elapsed: Decimal  # 序时进度: the share of the year elapsed at `end`, 0…1, 4 places


@dataclass(frozen=True)
class TargetFigure:
    """A target (目标) for the indicator's year and jurisdiction, set at one level."""

    level: str  # "city" (市目标) or "district" (区目标)
    level_label: str
    value: Decimal
    progress: Decimal | None  # actual ÷ value, 4 places; None without an actual


@dataclass(frozen=True)
class CityRanking:
    """The district's place among the city's districts, typed in from a city bulletin."""

    rank: int
    among: int
    source: str  # e.g. "常州市科技局《2024年1—9月科技创新主要指标通报》"


@dataclass(frozen=True)
class IndicatorFigure:
    code: str
    name: str
    unit: str
    period: Period
    jurisdiction_id: int | None  # None: the whole district
    jurisdiction_name: str
    actual: Decimal | None  # None: a manual indicator with nothing typed in for the period
    targets: tuple[TargetFigure, ...]
    source: Source
    source_note: str  # manual: where the number came from; computed: its 口径
    city_ranking: CityRanking | None
    drilldown_url: str | None

    @property
    def progress(self) -> Decimal | None:
        """Progress against the binding target: the 区目标 if there is one, else the first."""
        for target in self.targets:
            if target.level == "district":
                return target.progress
        return self.targets[0].progress if self.targets else None

    @property
    def schedule(self) -> Schedule:
        """Ahead of or behind 序时进度 (progress compared with the share of the year elapsed)."""
        if self.progress is None:
            return "none"
        return "ahead" if self.progress >= self.period.elapsed else "behind"
