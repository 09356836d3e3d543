"""项目推进 API: scoped lists and details of key and funded projects, and report submission."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.core.paginator import Paginator
from django.http import Http404, HttpRequest
from ninja import Field, Query, Router, Schema

from xinzhi.accounts import permissions
from xinzhi.api.bounds import field_bounds
from xinzhi.api.errors import answers
from xinzhi.core.errors import require_valid_filters
from xinzhi.core.limits import limited_decimal
from xinzhi.projects import selectors, services
from xinzhi.projects.models import (
    CoordinationIssue,
    FundedProject,
    KeyProject,
    Milestone,
    MonthlyReport,
)

router = Router(tags=["项目推进"])


def _params(filters: Schema) -> dict[str, str]:
    return {
        k: ("true" if v is True else "false" if v is False else str(v))
        for k, v in filters.dict(exclude={"page", "page_size"}).items()
        if v is not None and v != ""
    }


def _page(queryset: object, filters: Schema) -> dict:
    page = Paginator(queryset, filters.page_size).get_page(filters.page)
    return {
        "count": page.paginator.count,
        "page": page.number,
        "pages": page.paginator.num_pages,
        "results": list(page.object_list),
    }


def _view(request: HttpRequest) -> None:
    permissions.require(permissions.can_view_projects(request.user))


def _edit(request: HttpRequest) -> None:
    permissions.require(permissions.can_edit_projects(request.user), permissions.READ_ONLY_MESSAGE)


# ---------------------------------------------------------------- key projects


class KeyFilterParams(Schema):
    q: str | None = Field(None, description="项目名称或建设单位片段")
    project_type: int | None = Field(None, description="项目类型编号")
    jurisdiction: int | None = Field(None, description="所属板块编号（含下级）")
    status: str | None = Field(
        None, description="preparing / building / completed / operating / suspended"
    )
    signal: str | None = Field(None, description="red 滞后 / amber 缺报 / green 正常")
    late: bool | None = Field(None, description="true 仅看节点滞后项目")
    industry: str | None = None
    year: int | None = Field(None, description="列入年度")
    reported_from: dt.date | None = Field(None, description="有该月起的月报（月份）")
    reported_to: dt.date | None = Field(None, description="有该日止的月报（月份）")
    sort: str | None = Field(
        None, description="signal（默认，滞后在前）/ -total_investment / name / -year"
    )
    page: int = Field(1, ge=1)
    page_size: int = Field(50, ge=1, le=200)


class KeyProjectOut(Schema):
    id: int
    name: str
    project_type: str = Field(..., alias="project_type.name")
    enterprise_id: int | None
    owner: str = Field(..., alias="owner_label")
    jurisdiction_id: int
    jurisdiction_name: str = Field(..., alias="jurisdiction.name")
    industry: str
    year: int
    total_investment: Decimal
    land_area: Decimal | None
    building_area: Decimal | None
    annual_plan: Decimal | None
    plan_year: int | None
    status: str
    signal: str = Field(..., description="red 节点滞后 / amber 月报缺报 / green 正常")
    late_since: dt.date | None = Field(None, description="最早滞后节点的计划日期")
    officer_id: int | None
    is_demo: bool
    version: int


class KeyProjectPage(Schema):
    count: int
    page: int
    pages: int
    results: list[KeyProjectOut]


class MilestoneOut(Schema):
    id: int
    code: str = Field(..., alias="kind.code")
    name: str = Field(..., alias="kind.name")
    planned_on: dt.date | None
    actual_on: dt.date | None
    days_late: int = Field(..., alias="days_late_today")
    note: str


class ReportOut(Schema):
    id: int
    month: dt.date
    invested_month: Decimal
    invested_total: Decimal
    progress: str
    version: int


class IssueOut(Schema):
    id: int
    description: str
    owner: str
    raised_on: dt.date
    due_on: dt.date | None
    status: str
    closed_on: dt.date | None
    resolution: str


class KeyProjectDetail(KeyProjectOut):
    capacity_text: str
    capacity_value: Decimal | None
    capacity_unit: str
    summary: str
    milestones: list[MilestoneOut] = Field(..., alias="milestone_list")
    reports: list[ReportOut] = Field(..., alias="report_list")
    issues: list[IssueOut] = Field(..., alias="issue_list")


class IssueIn(Schema):
    description: str = Field(..., **field_bounds(CoordinationIssue, "description"))
    owner: str = Field(..., **field_bounds(CoordinationIssue, "owner"))
    due_on: dt.date | None = None


class ReportIn(Schema):
    month: dt.date = Field(..., description="月份（该月任一日期，按月计）")
    invested_month: limited_decimal(MonthlyReport, "invested_month") = Field(  # type: ignore[valid-type]
        ..., description="当月完成投资（万元）"
    )
    invested_total: limited_decimal(MonthlyReport, "invested_total") = Field(  # type: ignore[valid-type]
        ..., description="累计完成投资（万元），不得低于上月累计"
    )
    progress: str = Field(..., min_length=1, description="形象进度")
    issues: list[IssueIn] = Field(default_factory=list, description="需协调问题")


def _key(request: HttpRequest, pk: int) -> KeyProject:
    try:
        return selectors.key_get(user=request.user, pk=pk)
    except KeyProject.DoesNotExist as exc:
        raise Http404 from exc


def _key_detail(request: HttpRequest, project: KeyProject) -> KeyProject:
    milestones: list[Milestone] = selectors.key_milestones(user=request.user, project=project)
    for milestone in milestones:
        milestone.days_late_today = milestone.days_late()
    project.milestone_list = milestones
    project.report_list = selectors.key_reports(user=request.user, project=project)
    project.issue_list = selectors.key_issues(user=request.user, project=project)
    return project


@router.get(
    "/key",
    response=answers(KeyProjectPage, 400, 422),
    summary="区重点项目列表（与页面、导出相同的筛选；滞后在前）",
)
def key_list(request: HttpRequest, filters: Query[KeyFilterParams]) -> dict:
    _view(request)
    filterset = selectors.key_filterset(user=request.user, params=_params(filters))
    require_valid_filters(filterset)
    return _page(filterset.qs, filters)


@router.get(
    "/key/{int:project_id}", response=answers(KeyProjectDetail, 404), summary="区重点项目详情"
)
def key_detail(request: HttpRequest, project_id: int) -> KeyProject:
    _view(request)
    return _key_detail(request, _key(request, project_id))


@router.post(
    "/key/{int:project_id}/reports",
    response=answers(ReportOut, 400, 404, 422),
    summary="报送月报（同一月份只能报送一次，更正请修改）",
)
def report_submit(request: HttpRequest, project_id: int, payload: ReportIn) -> MonthlyReport:
    _view(request)
    project = _key(request, project_id)
    _edit(request)
    report = services.report_submit(
        actor=request.user,
        project=project,
        month=payload.month,
        data={
            "invested_month": payload.invested_month,
            "invested_total": payload.invested_total,
            "progress": payload.progress,
        },
        issues=[services.IssueSpec(i.description, i.owner, i.due_on) for i in payload.issues],
    )
    report.refresh_from_db()  # the stored amounts, at two decimals
    return report


# ---------------------------------------------------------------- 科技计划项目


class FundedFilterParams(Schema):
    q: str | None = Field(None, description="项目名称、承担单位或编号片段")
    level: str | None = Field(None, description="national / provincial / municipal / district")
    programme: str | None = Field(None, description="计划类别片段")
    year: int | None = Field(None, description="立项年度")
    stage: str | None = Field(
        None, description="approved / midterm / accepted / rejected / postponed"
    )
    jurisdiction: int | None = Field(None, description="所属板块编号（含下级）")
    sort: str | None = None
    page: int = Field(1, ge=1)
    page_size: int = Field(50, ge=1, le=200)


class FundedOut(Schema):
    id: int
    name: str
    level: str
    programme: str
    year: int
    code: str
    enterprise_id: int
    enterprise_name: str = Field(..., alias="enterprise.name")
    jurisdiction_id: int
    partners: list[str] = Field(..., alias="partner_list")
    budget_total: Decimal
    funding_grant: Decimal
    funding_self: Decimal
    funds_disbursed: Decimal
    starts_on: dt.date
    ends_on: dt.date
    approved_on: dt.date
    stage: str
    midterm_on: dt.date | None
    midterm_result: str
    acceptance_on: dt.date | None
    acceptance_result: str
    is_demo: bool
    version: int


class FundedPage(Schema):
    count: int
    page: int
    pages: int
    results: list[FundedOut]


@router.get(
    "/funded",
    response=answers(FundedPage, 400, 422),
    summary="科技计划项目列表（与页面、导出相同的筛选）",
)
def funded_list(request: HttpRequest, filters: Query[FundedFilterParams]) -> dict:
    _view(request)
    filterset = selectors.funded_filterset(user=request.user, params=_params(filters))
    require_valid_filters(filterset)
    return _page(filterset.qs, filters)


@router.get("/funded/{int:funded_id}", response=answers(FundedOut, 404), summary="科技计划项目详情")
def funded_detail(request: HttpRequest, funded_id: int) -> FundedProject:
    _view(request)
    try:
        return selectors.funded_get(user=request.user, pk=funded_id)
    except FundedProject.DoesNotExist as exc:
        raise Http404 from exc
