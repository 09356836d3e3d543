"""科技招商 API: validate, call one selector or service, serialise."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.core.paginator import Paginator
from django.http import Http404, HttpRequest
from ninja import Field, Query, Router, Schema

from xinzhi.accounts import permissions
from xinzhi.api.bounds import field_bounds
from xinzhi.api.errors import answers
from xinzhi.attraction import selectors, services
from xinzhi.attraction.models import Docking, Lead, Stage, StageChange
from xinzhi.core.errors import require_valid_filters
from xinzhi.enterprises.models import Enterprise

router = Router(tags=["科技招商"])


class LeadFilterParams(Schema):
    q: str | None = Field(None, description="项目名称或团队负责人片段")
    stage: int | None = Field(None, description="阶段编号")
    channel: str | None = Field(None, description="招商渠道，如 kechuangbang")
    region: str | None = Field(None, description="来源地区，如 上海")
    segment: str | None = Field(None, description="产业链/细分领域")
    jurisdiction: int | None = Field(None, description="所属板块编号（含下级）")
    officer: int | None = Field(None, description="责任人用户编号")
    status: str | None = Field(None, description="active 推进中 / dropped 已流失")
    stale: bool | None = Field(None, description="true 仅看停滞项目")
    reached: int | None = Field(None, description="进入过的阶段编号（如落地注册）")
    reached_from: dt.date | None = Field(None, description="与 reached 同用：进入日期起")
    reached_to: dt.date | None = Field(None, description="与 reached 同用：进入日期止")
    sort: str | None = None
    page: int = Field(1, ge=1)
    page_size: int = Field(50, ge=1, le=200)


class LeadOut(Schema):
    id: int
    name: str
    jurisdiction_id: int
    jurisdiction_name: str = Field(..., alias="jurisdiction.name")
    stage_id: int
    stage_name: str = Field(..., alias="stage.name")
    status: str
    source_region: str
    channel: str
    segment: str
    scale_stage: str
    planned_investment: Decimal | None
    officer_id: int | None
    enterprise_id: int | None
    docking_count: int
    stage_entered_on: dt.date
    last_activity_on: dt.date
    next_follow_up_on: dt.date | None
    is_stale: bool
    is_demo: bool
    version: int


class LeadPage(Schema):
    count: int
    page: int
    pages: int
    results: list[LeadOut]


class StageChangeOut(Schema):
    changed_on: dt.date
    from_stage: str | None = Field(None, alias="from_stage.name")
    to_stage: str = Field(..., alias="to_stage.name")
    days_in_previous: int | None
    actor_name: str
    note: str


class DockingOut(Schema):
    id: int
    held_on: dt.date
    form: str
    participants: str
    notes: str
    next_step: str
    next_follow_up_on: dt.date | None


class LeadDetail(LeadOut):
    summary: str
    team_leader: str
    stage_changes: list[StageChangeOut] = Field(..., alias="stage_changes_list")
    dockings: list[DockingOut] = Field(..., alias="dockings_list")


class MoveIn(Schema):
    stage: int = Field(..., description="目标阶段编号")
    note: str = Field("", **field_bounds(StageChange, "note"))
    on: dt.date | None = Field(None, description="变更日期，默认今天")
    version: int | None = Field(None, description="读取时的版本号；他人已修改时返回 409")


class DockingIn(Schema):
    held_on: dt.date
    form: str = Field(
        ..., description="visit / online / roadshow / meeting", **field_bounds(Docking, "form")
    )
    participants: str = Field("", **field_bounds(Docking, "participants"))
    notes: str = ""
    next_step: str = Field("", **field_bounds(Docking, "next_step"))
    next_follow_up_on: dt.date | None = None


class LandIn(Schema):
    credit_code: str = Field(..., **field_bounds(Enterprise, "credit_code"))
    create: bool = Field(True, description="true 新建企业入库；false 关联已有企业")
    name: str | None = Field(
        None, description="新建时的企业名称，默认项目名称", **field_bounds(Enterprise, "name")
    )
    registered_on: dt.date | None = None
    on: dt.date | None = Field(None, description="落地日期，默认今天")
    note: str = Field("", **field_bounds(StageChange, "note"))


class StageOut(Schema):
    id: int
    order: int
    code: str
    name: str
    stale_after_days: int | None
    may_skip: bool


def _get(request: HttpRequest, pk: int) -> Lead:
    try:
        return selectors.lead_get(user=request.user, pk=pk)
    except Lead.DoesNotExist as exc:
        raise Http404 from exc


def _require_editor(request: HttpRequest) -> None:
    permissions.require_editor(request.user)


def _detail(request: HttpRequest, lead: Lead) -> Lead:
    lead.stage_changes_list = selectors.lead_stage_changes(user=request.user, lead=lead)
    lead.dockings_list = selectors.lead_dockings(user=request.user, lead=lead)
    return lead


@router.get("/stages", response=answers(list[StageOut]), summary="招商阶段")
def stage_list(request: HttpRequest) -> list[Stage]:
    permissions.require(permissions.can_use_enterprise_lists(request.user))
    return selectors.stages_active()


@router.get(
    "/leads", response=answers(LeadPage, 400, 422), summary="招商项目列表（与页面、导出相同的筛选）"
)
def lead_list(request: HttpRequest, filters: Query[LeadFilterParams]) -> dict:
    params = {
        k: ("true" if v is True else "false" if v is False else str(v))
        for k, v in filters.dict(exclude={"page", "page_size"}).items()
        if v is not None and v != ""
    }
    permissions.require(permissions.can_use_enterprise_lists(request.user))
    filterset = selectors.lead_filterset(user=request.user, params=params)
    require_valid_filters(filterset)
    page = Paginator(filterset.qs, filters.page_size).get_page(filters.page)
    return {
        "count": page.paginator.count,
        "page": page.number,
        "pages": page.paginator.num_pages,
        "results": list(page.object_list),
    }


@router.get("/leads/{int:lead_id}", response=answers(LeadDetail, 404), summary="招商项目详情")
def lead_detail(request: HttpRequest, lead_id: int) -> Lead:
    return _detail(request, _get(request, lead_id))


@router.post(
    "/leads/{int:lead_id}/move",
    response=answers(LeadDetail, 400, 404, 409, 422),
    summary="阶段变更",
)
def lead_move(request: HttpRequest, lead_id: int, payload: MoveIn) -> Lead:
    lead = _get(request, lead_id)
    _require_editor(request)
    stage = Stage.objects.filter(pk=payload.stage).first()
    if stage is None:
        raise Http404
    services.lead_move(
        actor=request.user,
        lead=lead,
        to_stage=stage,
        note=payload.note,
        on=payload.on,
        expected_version=payload.version,
    )
    return _detail(request, _get(request, lead_id))


@router.post(
    "/leads/{int:lead_id}/dockings", response=answers(DockingOut, 400, 404, 422), summary="记录对接"
)
def docking_create(request: HttpRequest, lead_id: int, payload: DockingIn) -> object:
    lead = _get(request, lead_id)
    _require_editor(request)
    return services.docking_record(actor=request.user, lead=lead, data=payload.dict())


@router.post(
    "/leads/{int:lead_id}/land",
    response=answers(LeadDetail, 400, 404, 422),
    summary="落地登记（关联或新建企业）",
)
def lead_land(request: HttpRequest, lead_id: int, payload: LandIn) -> Lead:
    lead = _get(request, lead_id)
    _require_editor(request)
    enterprise_data = {
        k: v for k, v in {"name": payload.name, "registered_on": payload.registered_on}.items() if v
    }
    services.lead_land(
        actor=request.user,
        lead=lead,
        credit_code=payload.credit_code,
        create=payload.create,
        enterprise_data=enterprise_data,
        note=payload.note,
        on=payload.on,
    )
    return _detail(request, _get(request, lead_id))
