"""产业链图谱 API: validate, call one selector or service, serialise."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.core.paginator import Paginator
from django.http import Http404, HttpRequest
from django.utils import timezone
from ninja import Field, Query, Router, Schema

from xinzhi.accounts import permissions
from xinzhi.api.errors import answers
from xinzhi.attraction.filters import responsible_officers
from xinzhi.chains import selectors, services
from xinzhi.chains.models import Chain, GapTarget
from xinzhi.core.errors import require_valid_filters
from xinzhi.core.exceptions import ApplicationError

router = Router(tags=["产业链图谱"])


def _require_viewer(request: HttpRequest) -> None:
    permissions.require(permissions.can_view_chains(request.user))


def _chain(pk: int) -> Chain:
    try:
        return selectors.chain_get(pk)
    except Chain.DoesNotExist as exc:
        raise Http404 from exc


class LeaderOut(Schema):
    id: int
    name: str


class ChainOut(Schema):
    id: int
    code: str
    name: str
    description: str
    value_added_rate: Decimal
    weak_threshold: int
    leaders: list[LeaderOut] = Field(..., description="本地链主企业")


class NodeOut(Schema):
    id: int
    code: str
    name: str
    parent_id: int | None
    position: str = Field(..., description="upstream 上游 / midstream 中游 / downstream 下游")
    is_key: bool
    depth: int
    local_enterprises: int = Field(..., description="本地企业数（含下级环节，全区）")
    core_enterprises: int
    presence: str = Field(..., description="missing 缺链 / weak 弱链 / present 已布局")
    targets: int
    leads: int


class ChainDetail(ChainOut):
    nodes: list[NodeOut]


class FigureOut(Schema):
    key: str = Field(..., description="concentration / completeness / value_added / local_supply")
    label: str
    definition: str = Field(..., description="口径")
    value: Decimal | None = Field(..., description="比值（0~1）；无法计算时为 null，见 reason")
    percent: Decimal | None
    numerator: Decimal | None
    denominator: Decimal | None
    numerator_label: str
    denominator_label: str
    unit: str
    reason: str = Field(..., description="无法计算的原因（value 为 null 时）")
    notes: list[str]
    count: int | None = Field(None, description="核心企业集聚度：本地核心企业家数")
    previous_percent: Decimal | None = Field(None, description="上年同一指标（%）")
    change: Decimal | None = Field(None, description="同比变化（百分点）")


class MetricsOut(Schema):
    chain_id: int
    year: int
    share: str = Field(..., description="空为全区；否则为该板块份额（分子只计本板块企业）")
    figures: list[FigureOut]


class MetricsQuery(Schema):
    year: int | None = Field(None, ge=2000, le=2100, description="年度，默认链主最近有采购的年度")


class MembershipFilterParams(Schema):
    q: str | None = Field(None, description="企业名称片段")
    chain: int | None = Field(None, description="产业链编号")
    node: int | None = Field(None, description="环节编号")
    role: str | None = Field(None, description="leader 链主 / core / general / functional")
    position: str | None = None
    jurisdiction: int | None = Field(None, description="所属板块编号（含下级）")
    page: int = Field(1, ge=1)
    page_size: int = Field(50, ge=1, le=200)


class MembershipOut(Schema):
    id: int
    chain_id: int = Field(..., alias="node.chain_id")
    node_id: int
    node_name: str = Field(..., alias="node.name")
    enterprise_id: int | None
    name: str = Field(..., alias="display_name")
    is_local: bool
    outside_region: str
    role: str
    function_kind: str
    joined_on: dt.date | None
    is_demo: bool


class MembershipPage(Schema):
    count: int
    page: int
    pages: int
    results: list[MembershipOut]


class ConvertIn(Schema):
    jurisdiction: int = Field(..., description="招商项目所属板块编号")
    officer: int | None = Field(None, description="责任人用户编号")
    version: int | None = Field(None, description="读取时的版本号；他人已修改时返回 409")


class LeadRef(Schema):
    id: int
    name: str
    stage_name: str = Field(..., alias="stage.name")
    segment: str


def _chain_out(chain: Chain, leaders: dict) -> dict:
    return {
        "id": chain.pk,
        "code": chain.code,
        "name": chain.name,
        "description": chain.description,
        "value_added_rate": chain.value_added_rate,
        "weak_threshold": chain.weak_threshold,
        "leaders": [{"id": e.pk, "name": e.name} for e in leaders.get(chain.pk, [])],
    }


@router.get("", response=answers(list[ChainOut]), summary="产业链列表（含链主）")
def chain_list(request: HttpRequest) -> list[dict]:
    _require_viewer(request)
    chains = selectors.chain_list()
    leaders = selectors.chain_leaders(chains)
    return [_chain_out(c, leaders) for c in chains]


@router.get("/{int:chain_id}", response=answers(ChainDetail, 404), summary="产业链及其环节")
def chain_detail(request: HttpRequest, chain_id: int) -> dict:
    _require_viewer(request)
    chain = _chain(chain_id)
    nodes = [
        {
            "id": s.node.pk,
            "code": s.node.code,
            "name": s.node.name,
            "parent_id": s.node.parent_id,
            "position": s.node.position,
            "is_key": s.node.is_key,
            "depth": s.node.depth,
            "local_enterprises": s.enterprises,
            "core_enterprises": s.core,
            "presence": s.presence,
            "targets": s.targets,
            "leads": s.leads,
        }
        for s in selectors.node_states(chain)
    ]
    return {**_chain_out(chain, selectors.chain_leaders([chain])), "nodes": nodes}


@router.get(
    "/{int:chain_id}/metrics",
    response=answers(MetricsOut, 404, 422),
    summary="“三度一率”（分子、分母、口径）",
)
def chain_metrics(request: HttpRequest, chain_id: int, query: Query[MetricsQuery]) -> dict:
    _require_viewer(request)
    chain = _chain(chain_id)
    year = query.year or selectors.default_year(chain)
    if year > timezone.localdate().year:
        year = timezone.localdate().year
    metrics = selectors.chain_metrics(user=request.user, chain=chain, year=year)
    figures = []
    for figure, previous, change in metrics.rows:
        figures.append(
            {
                **{
                    k: getattr(figure, k)
                    for k in (
                        "key",
                        "label",
                        "definition",
                        "value",
                        "percent",
                        "numerator",
                        "denominator",
                        "numerator_label",
                        "denominator_label",
                        "unit",
                        "reason",
                        "notes",
                        "count",
                    )
                },
                "previous_percent": previous.percent if previous else None,
                "change": change,
            }
        )
    return {"chain_id": chain.pk, "year": year, "share": metrics.share, "figures": figures}


@router.get(
    "/memberships",
    response=answers(MembershipPage, 400, 422),
    summary="链上企业（与页面、导出相同的筛选）",
)
def membership_list(request: HttpRequest, filters: Query[MembershipFilterParams]) -> dict:
    _require_viewer(request)
    params = {
        k: str(v)
        for k, v in filters.dict(exclude={"page", "page_size"}).items()
        if v is not None and v != ""
    }
    filterset = selectors.membership_filterset(user=request.user, params=params)
    require_valid_filters(filterset)
    page = Paginator(filterset.qs, filters.page_size).get_page(filters.page)
    return {
        "count": page.paginator.count,
        "page": page.number,
        "pages": page.paginator.num_pages,
        "results": list(page.object_list),
    }


@router.post(
    "/targets/{int:target_id}/convert",
    response=answers(LeadRef, 400, 404, 409, 422),
    summary="补链招商目标转为招商项目",
)
def target_convert(request: HttpRequest, target_id: int, payload: ConvertIn) -> object:
    permissions.require(
        permissions.can_edit_chain_members(request.user), permissions.READ_ONLY_MESSAGE
    )
    try:
        target = selectors.target_get(target_id)
    except GapTarget.DoesNotExist as exc:
        raise Http404 from exc
    jurisdiction = request.user.visible_jurisdictions().filter(pk=payload.jurisdiction).first()
    if jurisdiction is None:
        raise ApplicationError("只能登记在您负责的板块内。", field="jurisdiction")
    officer = None
    if payload.officer is not None:
        officer = responsible_officers(request.user).filter(pk=payload.officer).first()
        if officer is None:
            raise ApplicationError("责任人不在可选范围内。", field="officer")
    return services.target_convert(
        actor=request.user,
        target=target,
        jurisdiction=jurisdiction,
        officer=officer,
        expected_version=payload.version,
    )
