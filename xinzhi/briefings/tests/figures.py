"""Constructed `IndicatorFigure`s for the renderer tests (the renderers are pure functions)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from xinzhi.dashboards.figures import CityRanking, IndicatorFigure, Period, TargetFigure

SEPTEMBER = Period(
    year=2024,
    start=dt.date(2024, 1, 1),
    end=dt.date(2024, 9, 30),
    cumulative=True,
    label="1—9月",
    elapsed=Decimal("0.7500"),
)
BULLETIN = "常州市科技局《2024年1—9月科技创新主要指标通报》"


def figure(
    code: str,
    name: str,
    actual: str | None,
    unit: str = "家",
    *,
    rank: int | None = None,
    city: str | None = None,
    district: str | None = None,
    source: str = "computed",
    jurisdiction_id: int | None = None,
    jurisdiction_name: str = "武进区",
    period: Period = SEPTEMBER,
) -> IndicatorFigure:
    value = None if actual is None else Decimal(actual)
    targets = []
    for level, label, target in (("city", "市目标", city), ("district", "区目标", district)):
        if target is not None:
            progress = (
                None if value is None else (value / Decimal(target)).quantize(Decimal("0.0001"))
            )
            targets.append(TargetFigure(level, label, Decimal(target), progress))
    return IndicatorFigure(
        code=code,
        name=name,
        unit=unit,
        period=period,
        jurisdiction_id=jurisdiction_id,
        jurisdiction_name=jurisdiction_name,
        actual=value,
        targets=tuple(targets),
        source=source,
        source_note="常州市科技局通报" if source == "manual" else "按申报记录统计",
        city_ranking=None if rank is None else CityRanking(rank, 6, BULLETIN),
        drilldown_url=None,
    )


def seed_figures(*, ranked: bool = True) -> list[IndicatorFigure]:
    """The seeds' 1—9月 2024 figures (rank 1 where the seed says 全市第一)."""
    first = 1 if ranked else None
    return [
        figure("hnte_applications", "申报高企数", "757", rank=first),
        figure("unicorn_titles", "获评独角兽（潜在独角兽）企业数", "10", rank=first),
        figure("gazelle_titles", "获评瞪羚企业数", "133", rank=first),
        figure("tsme_evaluations", "申请入库评价科技型中小企业数", "1732", rank=first),
        figure(
            "attracted_tsme",
            "招引科技型中小微企业数",
            "372",
            rank=first,
            city="240",
            district="300",
        ),
        figure("project_recognitions", "科技项目认定数", "203", unit="个"),
        figure("wukedai_households", "武科贷投放户数", "71", unit="户"),
        figure("wukedai_amount", "武科贷投放金额", "18999", unit="万元"),
    ]
