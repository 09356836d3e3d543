"""统计报告 API: the briefings the caller may see, and one briefing with its text and snapshot."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.core.paginator import Paginator
from django.http import HttpRequest
from ninja import Field, Query, Router, Schema

from xinzhi.accounts import permissions
from xinzhi.api.errors import answers
from xinzhi.briefings import selectors
from xinzhi.briefings.models import BriefingFigure
from xinzhi.briefings.phrasing import plain_number
from xinzhi.core.errors import require_valid_filters

router = Router(tags=["统计报告"])


class BriefingFilterParams(Schema):
    year: int | None = Field(None, description="年度")
    month: int | None = Field(None, description="截至月份 1—12")
    unit: str | None = Field(None, description="district（全区）或板块编号")
    status: str | None = Field(None, description="draft 草稿 / final 定稿")
    latest: bool | None = Field(None, description="true 每期只列最新一版")
    page: int = Field(1, ge=1)
    page_size: int = Field(50, ge=1, le=200)


class BriefingOut(Schema):
    id: int
    title: str
    year: int
    month: int
    period_label: str = Field(..., description="统计期，如 1—9月")
    jurisdiction_id: int | None = Field(None, description="板块编号；空为全区")
    unit_name: str
    edition: int = Field(..., description="版次：同一期每生成一次加一")
    status: str
    version: int = Field(..., description="修改版本（并发检查）")
    compiled_by: str
    issued_on: dt.date
    created_at: dt.datetime


class BriefingPage(Schema):
    count: int
    page: int
    pages: int
    results: list[BriefingOut]


class Paragraph(Schema):
    heading: str
    text: str


class TargetOut(Schema):
    level: str
    value: Decimal


class FigureOut(Schema):
    code: str
    name: str
    unit: str
    jurisdiction_id: int | None = Field(None, description="板块编号；空为全区")
    jurisdiction_name: str
    actual: Decimal | None
    targets: list[TargetOut]
    progress: Decimal | None
    elapsed: Decimal = Field(..., description="序时进度")
    source: str = Field(..., description="computed 系统计算 / manual 手工填报")
    source_note: str
    city_rank: int | None
    city_rank_source: str


class BriefingDetail(BriefingOut):
    paragraphs: list[Paragraph]
    figures: list[FigureOut] = Field(..., description="生成时保存的指标数值快照")


@router.get(
    "", response=answers(BriefingPage, 400, 422), summary="科技工作月报（与页面相同的筛选）"
)
def briefing_list(request: HttpRequest, filters: Query[BriefingFilterParams]) -> dict:
    permissions.require(permissions.can_view_briefings(request.user))
    params = {
        k: ("true" if v is True else "false" if v is False else str(v))
        for k, v in filters.dict(exclude={"page", "page_size"}).items()
        if v is not None and v != ""
    }
    filterset = selectors.briefing_list(user=request.user, params=params)
    require_valid_filters(filterset)
    current = Paginator(filterset.qs, filters.page_size).get_page(filters.page)
    return {
        "count": current.paginator.count,
        "page": current.number,
        "pages": current.paginator.num_pages,
        "results": list(current.object_list),
    }


@router.get(
    "/{int:briefing_id}",
    response=answers(BriefingDetail, 404, 422),
    summary="一期月报：正文与生成时的指标快照",
)
def briefing_detail(request: HttpRequest, briefing_id: int) -> dict:
    permissions.require(permissions.can_view_briefings(request.user))
    briefing = selectors.briefing_get(user=request.user, pk=briefing_id)
    out = BriefingOut.from_orm(briefing).dict()
    return {
        **out,
        "paragraphs": briefing.paragraphs,
        "figures": [_figure(row) for row in selectors.briefing_rows(briefing)],
    }


def _plain(value: Decimal | str | None) -> Decimal | None:
    """18999.0000 → 18999 (as the dashboards' API writes figures), never in exponent form."""
    return None if value is None else Decimal(plain_number(Decimal(value)))


def _figure(row: BriefingFigure) -> dict:
    return {
        "code": row.code,
        "name": row.name,
        "unit": row.unit,
        "jurisdiction_id": row.unit_id,
        "jurisdiction_name": row.jurisdiction_name,
        "actual": _plain(row.actual),
        "targets": [{"level": t["level"], "value": _plain(t["value"])} for t in row.targets],
        "progress": _plain(row.progress),
        "elapsed": _plain(row.elapsed),
        "source": row.source,
        "source_note": row.source_note,
        "city_rank": row.city_rank,
        "city_rank_source": row.city_rank_source,
    }
