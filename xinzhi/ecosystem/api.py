"""创新生态 API: validate, call one selector or service, serialise."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.paginator import Paginator
from django.http import Http404, HttpRequest
from django.utils import timezone
from ninja import Field, Query, Router, Schema

from xinzhi.accounts import permissions
from xinzhi.api.bounds import field_bounds
from xinzhi.api.errors import answers
from xinzhi.core.errors import require_valid_filters
from xinzhi.ecosystem import selectors, services
from xinzhi.ecosystem.models import CompetitionEntry, ListingCandidate, ListingStageChange

router = Router(tags=["创新生态"])


def _params(filters: Schema) -> dict[str, str]:
    return {
        k: ("true" if v is True else "false" if v is False else str(v))
        for k, v in filters.dict(exclude={"page", "page_size"}).items()
        if v is not None and v != ""
    }


def _require_see(request: HttpRequest) -> None:
    permissions.require(permissions.can_see_ecosystem(request.user))


def _page(queryset: Any, page: int, size: int) -> dict:
    current = Paginator(queryset, size).get_page(page)
    return {
        "count": current.paginator.count,
        "page": current.number,
        "pages": current.paginator.num_pages,
        "results": list(current.object_list),
    }


class CarrierFilterParams(Schema):
    q: str | None = Field(None, description="载体名称、依托单位或重点领域片段")
    kind: str | None = Field(None, description="载体类型，如 transfer 技术转移中心")
    level: str | None = Field(None, description="national / provincial / municipal / district")
    jurisdiction: int | None = Field(None, description="所在板块编号（含下级）")
    active: bool | None = Field(None, description="true 仅看运行中")


class CarrierOut(Schema):
    id: int
    name: str
    kind: str
    level: str
    leads_pushed: int = Field(..., description="推送的招商项目数（按当前用户管辖范围）")
    leads_landed: int = Field(..., description="其中已落地（关联企业）的项目数")
    enterprises_incubated: int = Field(..., description="累计孵化企业数（在孵与毕业、退出）")


class EntryFilterParams(Schema):
    q: str | None = None
    competition: int | None = Field(None, description="大赛编号")
    year: int | None = Field(None, description="大赛年度")
    track: str | None = Field(None, description="赛道/行业赛")
    award: str | None = Field(None, description="first / second / third / excellence …")
    awarded: bool | None = Field(None, description="true 仅看获奖")
    outside: bool | None = Field(None, description="true 仅看尚未注册的团队")
    jurisdiction: int | None = Field(None, description="对接板块编号（含下级）")
    page: int = Field(1, ge=1)
    page_size: int = Field(50, ge=1, le=200)


class EntryOut(Schema):
    id: int
    competition_id: int
    competition: str
    year: int = Field(..., alias="competition.year")
    track: str
    project_name: str
    enterprise_id: int | None
    entrant: str
    jurisdiction_id: int
    award: str
    rank: int | None
    result_note: str
    lead_id: int | None
    is_demo: bool
    version: int

    @staticmethod
    def resolve_competition(obj: CompetitionEntry) -> str:
        return str(obj.competition)


class EntryPage(Schema):
    count: int
    page: int
    pages: int
    results: list[EntryOut]


class ListingFilterParams(Schema):
    q: str | None = Field(None, description="企业名称片段")
    board: str | None = Field(None, description="main / star / chinext / bse / neeq / overseas")
    stage: str | None = Field(
        None, description="reserve / restructured / tutoring / filed / review / registered / listed"
    )
    listed: bool | None = Field(None, description="true 仅看已上市/挂牌")
    jurisdiction: int | None = Field(None, description="所属板块编号（含下级）")
    page: int = Field(1, ge=1)
    page_size: int = Field(50, ge=1, le=200)


class ListingOut(Schema):
    id: int
    enterprise_id: int
    enterprise_name: str = Field(..., alias="enterprise.name")
    board: str
    stage: str
    stage_label: str
    stage_entered_on: dt.date
    entered_on: dt.date
    listed_on: dt.date | None
    stock_code: str
    broker: str
    accountant: str
    law_firm: str
    issues: str
    is_demo: bool
    version: int


class ListingPage(Schema):
    count: int
    page: int
    pages: int
    results: list[ListingOut]


class ListingMoveIn(Schema):
    stage: str = Field(..., description="目标阶段", **field_bounds(ListingCandidate, "stage"))
    on: dt.date | None = Field(None, description="变更日期，默认今天")
    note: str = Field("", **field_bounds(ListingStageChange, "note"))
    version: int | None = Field(None, description="读取时的版本号；他人已修改时返回 409")


class LeadCreated(Schema):
    lead_id: int
    name: str
    stage: str


class Figures(Schema):
    year: int
    carriers: dict
    delivery: dict
    awards: dict
    listing: dict


@router.get(
    "/carriers", response=answers(list[CarrierOut], 400, 422), summary="创新载体及其推送、孵化数"
)
def carrier_list(request: HttpRequest, filters: Query[CarrierFilterParams]) -> list:
    _require_see(request)
    filterset = selectors.carrier_filterset(user=request.user, params=_params(filters))
    require_valid_filters(filterset)
    return list(filterset.qs)


@router.get(
    "/entries", response=answers(EntryPage, 400, 422), summary="参赛项目（与页面、导出相同的筛选）"
)
def entry_list(request: HttpRequest, filters: Query[EntryFilterParams]) -> dict:
    _require_see(request)
    filterset = selectors.entry_filterset(user=request.user, params=_params(filters))
    require_valid_filters(filterset)
    return _page(filterset.qs, filters.page, filters.page_size)


@router.post(
    "/entries/{int:entry_id}/lead",
    response=answers(LeadCreated, 400, 404),
    summary="参赛项目转为招商项目",
)
def entry_to_lead(request: HttpRequest, entry_id: int) -> dict:
    try:
        entry = selectors.entry_get(user=request.user, pk=entry_id)
    except CompetitionEntry.DoesNotExist as exc:
        raise Http404 from exc
    permissions.require_editor(request.user)
    lead = services.entry_to_lead(actor=request.user, entry=entry)
    return {"lead_id": lead.pk, "name": lead.name, "stage": lead.stage.name}


@router.get(
    "/listing",
    response=answers(ListingPage, 400, 422),
    summary="上市后备企业（与页面、导出相同的筛选）",
)
def listing_list(request: HttpRequest, filters: Query[ListingFilterParams]) -> dict:
    _require_see(request)
    filterset = selectors.listing_filterset(user=request.user, params=_params(filters))
    require_valid_filters(filterset)
    return _page(filterset.qs, filters.page, filters.page_size)


@router.post(
    "/listing/{int:candidate_id}/move",
    response=answers(ListingOut, 400, 404, 409, 422),
    summary="上市后备阶段变更",
)
def listing_move(request: HttpRequest, candidate_id: int, payload: ListingMoveIn) -> Any:
    try:
        candidate = selectors.listing_get(user=request.user, pk=candidate_id)
    except ListingCandidate.DoesNotExist as exc:
        raise Http404 from exc
    permissions.require_editor(request.user)
    return services.listing_move(
        actor=request.user,
        candidate=candidate,
        to_stage=payload.stage,
        on=payload.on,
        note=payload.note,
        expected_version=payload.version,
    )


@router.get("/figures", response=answers(Figures, 422), summary="创新生态统计（载体、获奖、上市）")
def figures(request: HttpRequest, year: int | None = None) -> dict:
    _require_see(request)
    year = year or timezone.localdate().year
    return {
        "year": year,
        "carriers": selectors.carrier_counts(user=request.user),
        "delivery": selectors.delivery_totals(user=request.user),
        "awards": selectors.award_counts(user=request.user, year=year),
        "listing": selectors.listing_counts(user=request.user),
    }
