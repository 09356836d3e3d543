"""Targets and statistics API (目标考核与统计): the indicators' figures in the caller's scope."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.http import HttpRequest
from django.utils import timezone
from ninja import Field, Query, Router, Schema
from ninja.errors import ValidationError

from xinzhi.accounts import permissions
from xinzhi.api.errors import answers
from xinzhi.dashboards import selectors
from xinzhi.dashboards.figures import IndicatorFigure
from xinzhi.dashboards.periods import PeriodError

router = Router(tags=["目标考核与统计"])


class IndicatorParams(Schema):
    year: int | None = Field(None, ge=2000, le=2100, description="统计年度；不填为今年")
    through: dt.date | None = Field(
        None, description="统计截止日期（含），须在该年度内；不填为今天（往年为 12 月 31 日）"
    )
    jurisdiction: int | None = Field(
        None, description="板块编号；不填为全区（板块专员只能查询本板块）"
    )
    cumulative: bool = Field(True, description="true：1月1日起累计；false：当月")


class TargetOut(Schema):
    level: str = Field(..., description="city 市目标 / district 区目标")
    level_label: str
    value: Decimal
    progress: Decimal | None = Field(None, description="完成进度：实际值 ÷ 目标值")


class RankingOut(Schema):
    rank: int
    among: int
    source: str


class PeriodOut(Schema):
    start: dt.date
    end: dt.date
    label: str
    elapsed: Decimal = Field(..., description="序时进度（0—1）")


class IndicatorOut(Schema):
    code: str
    name: str
    unit: str
    actual: Decimal | None = Field(None, description="实际值；手工指标未填报时为空")
    targets: list[TargetOut]
    progress: Decimal | None = Field(None, description="对区目标（无则对首个目标）的完成进度")
    schedule: str = Field(..., description="ahead 快于序时进度 / behind 落后 / none 无目标")
    source: str = Field(..., description="computed 平台计算 / manual 手工填报")
    source_note: str
    city_ranking: RankingOut | None
    period: PeriodOut
    jurisdiction_id: int | None
    jurisdiction_name: str
    drilldown_url: str | None


def _out(figure: IndicatorFigure) -> dict:
    return {
        "code": figure.code,
        "name": figure.name,
        "unit": figure.unit,
        "actual": figure.actual,
        "targets": figure.targets,
        "progress": figure.progress,
        "schedule": figure.schedule,
        "source": figure.source,
        "source_note": figure.source_note,
        "city_ranking": figure.city_ranking,
        "period": figure.period,
        "jurisdiction_id": figure.jurisdiction_id,
        "jurisdiction_name": figure.jurisdiction_name,
        "drilldown_url": figure.drilldown_url,
    }


@router.get(
    "/indicators",
    response=answers(list[IndicatorOut], 404, 422),
    summary="指标数值（实际值、目标、完成进度、序时进度、全市排名；按调用者的板块范围）",
)
def indicator_list(request: HttpRequest, params: Query[IndicatorParams]) -> list[dict]:
    permissions.require(permissions.can_view_dashboards(request.user))
    today = timezone.localdate()
    year = params.year or (params.through.year if params.through else today.year)
    through = params.through or (today if year == today.year else dt.date(year, 12, 31))
    try:
        figures = selectors.indicator_figures(
            user=request.user,
            year=year,
            through=through,
            jurisdiction_id=params.jurisdiction,
            cumulative=params.cumulative,
        )
    except PeriodError as exc:
        raise ValidationError(
            [{"type": "value_error", "loc": ["query", "through"], "msg": exc.message}]
        ) from exc
    return [_out(figure) for figure in figures]
