"""Cultivation API: ladder counts, candidate lists and an enterprise's live evaluation."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import Http404, HttpRequest
from django.utils import timezone
from ninja import Field, Query, Router, Schema

from xinzhi import eligibility
from xinzhi.accounts import permissions
from xinzhi.api.errors import answers
from xinzhi.core.pagination import api_page
from xinzhi.cultivation import selectors
from xinzhi.cultivation.choices import LADDER_FAMILIES
from xinzhi.enterprises.models import Enterprise
from xinzhi.enterprises.selectors import enterprise_get

router = Router(tags=["培育跃升"])


class CandidateParams(Schema):
    q: str | None = None
    jurisdiction: int | None = None
    readiness: str | None = Field(
        None, description="eligible | to_verify | data_missing（数据不全清单）；缺省为前两者"
    )
    sort: str | None = Field(None, description="gap | -score | name")
    page: int = Field(1, ge=1, description="页码（仅前 10,000 条；更深请用 after）")
    page_size: int = Field(50, ge=1, le=200)
    after: str | None = Field(None, description="上一页返回的 next 翻页标记")


class CandidateOut(Schema):
    enterprise_id: int
    enterprise_name: str = Field(..., alias="enterprise.name")
    credit_code: str = Field(..., alias="enterprise.credit_code")
    jurisdiction: str = Field(..., alias="enterprise.jurisdiction.name")
    policy_id: str
    policy_name: str = Field(..., description="政策名称（含文号）")
    verdict: str
    readiness: str = Field(..., description="eligible 符合 / to_verify 待核实 / data_missing")
    missing: list[str] = Field(..., alias="missing_list", description="缺失的关键数据（引擎路径）")
    score_min: int | None
    score_max: int | None
    score_pass: int | None
    score_gap: int | None
    as_of: dt.date


class CandidatePage(Schema):
    count: int
    page: int | None = Field(None, description="按页码读取时的页码；按 after 读取时为空")
    next: str | None = Field(None, description="下一页的翻页标记（after），最后一页为空")
    results: list[CandidateOut]


class LadderRow(Schema):
    family: str
    name: str
    stages: list[int]
    total: int
    candidates: int = Field(..., description="今年可申报：符合 + 待核实")
    data_missing: int = Field(..., description="数据不全（待补数据）")


class LadderOut(Schema):
    stages: list[str]
    rows: list[LadderRow]


@router.get("/ladder", response=answers(LadderOut), summary="培育梯队统计（按资质×阶段）")
def ladder(request: HttpRequest) -> dict[str, Any]:
    permissions.require(permissions.can_use_enterprise_lists(request.user))
    return selectors.ladder_overview(user=request.user)["funnel"]


@router.get(
    "/candidates/{family}",
    response=answers(CandidatePage, 400, 404, 422),
    summary="今年可申报候选名单",
)
def candidates(request: HttpRequest, family: str, params: Query[CandidateParams]) -> dict:
    permissions.require(permissions.can_use_enterprise_lists(request.user))
    if family not in LADDER_FAMILIES:
        raise Http404
    filters = {
        k: str(v) for k, v in params.dict(exclude={"page", "page_size", "after"}).items() if v
    }
    filterset = selectors.candidate_filterset(user=request.user, family=family, params=filters)
    queryset = selectors.candidate_list(
        user=request.user, family=family, params=filters, filterset=filterset
    )
    count = selectors.candidate_count(user=request.user, family=family, filterset=filterset)
    page = api_page(
        queryset, page=params.page, size=params.page_size, after=params.after, count=count
    )
    return {
        "count": page.count,
        "page": page.number,
        "next": page.next_cursor,
        "results": page.items,
    }


@router.get(
    "/enterprises/{int:enterprise_id}/evaluation",
    response=answers(dict[str, Any], 400, 404, 422),
    summary="企业培育体检（实时评估，逐条解释）",
)
def evaluation(request: HttpRequest, enterprise_id: int, as_of: dt.date | None = None) -> dict:
    try:
        enterprise = enterprise_get(user=request.user, pk=enterprise_id)
    except Enterprise.DoesNotExist as exc:
        raise Http404 from exc
    as_of = as_of or timezone.localdate()
    report = selectors.health_report(user=request.user, enterprise=enterprise, as_of=as_of)
    return {
        "enterprise_id": enterprise.pk,
        "as_of": as_of.isoformat(),
        "families": eligibility.families(),
        "results": [r for family in report for r in family.results],
    }
