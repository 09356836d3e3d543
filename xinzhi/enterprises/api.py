"""Enterprise API: validate, call one selector or service, serialise."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.http import Http404, HttpRequest
from ninja import Field, Query, Router, Schema

from xinzhi.accounts import permissions
from xinzhi.api.bounds import field_bounds
from xinzhi.api.errors import answers
from xinzhi.core.errors import require_valid_filters
from xinzhi.core.pagination import api_page
from xinzhi.enterprises import selectors, services
from xinzhi.enterprises.models import Enterprise

router = Router(tags=["企业库"])


class EnterpriseFilterParams(Schema):
    q: str | None = Field(None, description="企业名称片段或统一社会信用代码前缀")
    jurisdiction: int | None = Field(None, description="所属板块编号（含下级）")
    title: str | None = Field(
        None, description="现有资质类型，如 hnte；unicorn_or_potential 为独角兽或潜在独角兽"
    )
    awarded_from: dt.date | None = Field(None, description="与 title 同用：认定日期起")
    awarded_to: dt.date | None = Field(None, description="与 title 同用：认定日期止")
    tag: str | None = Field(None, description="产业链标签")
    scale: str | None = None
    year: int | None = Field(None, description="数据年度，默认上一年")
    sort: str | None = Field(None, description="name, -registered_on, -revenue, -rd_expense …")
    page: int = Field(1, ge=1, description="页码（仅前 10,000 条；更深请用 after）")
    page_size: int = Field(50, ge=1, le=200)
    after: str | None = Field(
        None, description="上一页返回的 next 翻页标记：从其后继续，深度不影响速度"
    )


class FiguresOut(Schema):
    year: int
    employees: int | None
    tech_staff: int | None
    rd_staff: int | None
    revenue: Decimal | None
    main_revenue: Decimal | None
    total_income: Decimal | None
    hightech_revenue: Decimal | None
    rd_expense: Decimal | None
    rd_expense_domestic: Decimal | None
    total_cost: Decimal | None
    total_assets: Decimal | None
    total_liabilities: Decimal | None
    net_assets: Decimal | None
    net_profit: Decimal | None


class TitleOut(Schema):
    title: str
    title_display: str = Field(..., alias="get_title_display")
    name: str
    level: str
    certificate_no: str
    valid_from: dt.date | None
    valid_until: dt.date | None


class EnterpriseOut(Schema):
    id: int
    credit_code: str
    name: str
    registered_on: dt.date | None
    jurisdiction_id: int
    jurisdiction_name: str = Field(..., alias="jurisdiction.name")
    industry: str
    scale: str
    is_demo: bool
    version: int


class EnterpriseListItem(EnterpriseOut):
    revenue: Decimal | None = None
    rd_expense: Decimal | None = None


class EnterprisePage(Schema):
    count: int
    page: int | None = Field(None, description="按页码读取时的页码；按 after 读取时为空")
    pages: int
    year: int
    next: str | None = Field(None, description="下一页的翻页标记（after），最后一页为空")
    results: list[EnterpriseListItem]


class EnterpriseDetail(EnterpriseOut):
    address: str
    legal_representative: str
    contact_name: str
    contact_phone: str
    hightech_field: str
    summary: str
    tags: list[str] = Field(..., alias="tag_names")
    figures: list[FiguresOut] = Field(..., alias="figures_list")
    titles: list[TitleOut] = Field(..., alias="titles_list")


class EnterpriseUpdateIn(Schema):
    version: int = Field(..., description="读取时的版本号；他人已修改时返回 409")
    name: str | None = Field(None, **field_bounds(Enterprise, "name"))
    address: str | None = Field(None, **field_bounds(Enterprise, "address"))
    legal_representative: str | None = Field(
        None, **field_bounds(Enterprise, "legal_representative")
    )
    contact_name: str | None = Field(None, **field_bounds(Enterprise, "contact_name"))
    contact_phone: str | None = Field(None, **field_bounds(Enterprise, "contact_phone"))
    industry: str | None = Field(None, **field_bounds(Enterprise, "industry"))
    summary: str | None = None


def _get(request: HttpRequest, pk: int) -> Enterprise:
    try:
        return selectors.enterprise_get(user=request.user, pk=pk)
    except Enterprise.DoesNotExist as exc:
        raise Http404 from exc


@router.get("", response=answers(EnterprisePage, 400, 422), summary="企业列表（与页面相同的筛选）")
def enterprise_list(request: HttpRequest, filters: Query[EnterpriseFilterParams]) -> dict:
    permissions.require(permissions.can_use_enterprise_lists(request.user))
    params = {
        k: str(v) for k, v in filters.dict(exclude={"page", "page_size", "after"}).items() if v
    }
    filterset = selectors.enterprise_filterset(user=request.user, params=params)
    require_valid_filters(filterset)
    queryset, year = selectors.enterprise_list(
        user=request.user, params=params, filterset=filterset
    )
    count = selectors.enterprise_count(user=request.user, filterset=filterset)
    page = api_page(
        queryset, page=filters.page, size=filters.page_size, after=filters.after, count=count
    )
    results = []
    for enterprise in page.items:
        figures = enterprise.year_figures[0] if enterprise.year_figures else None
        enterprise.revenue = figures.revenue if figures else None
        enterprise.rd_expense = figures.rd_expense if figures else None
        results.append(enterprise)
    return {
        "count": page.count,
        "page": page.number,
        "pages": page.pages,
        "year": year,
        "next": page.next_cursor,
        "results": results,
    }


def _detail(request: HttpRequest, enterprise: Enterprise) -> Enterprise:
    enterprise.tag_names = [t.name for t in enterprise.tags.all()]
    enterprise.figures_list = selectors.enterprise_figures(user=request.user, enterprise=enterprise)
    enterprise.titles_list = selectors.enterprise_titles(user=request.user, enterprise=enterprise)
    return enterprise


@router.get("/{int:enterprise_id}", response=answers(EnterpriseDetail, 404), summary="企业详情")
def enterprise_detail(request: HttpRequest, enterprise_id: int) -> Enterprise:
    return _detail(request, _get(request, enterprise_id))


@router.patch(
    "/{int:enterprise_id}",
    response=answers(EnterpriseDetail, 400, 404, 409, 422),
    summary="修改企业信息",
)
def enterprise_update(
    request: HttpRequest, enterprise_id: int, payload: EnterpriseUpdateIn
) -> Enterprise:
    enterprise = _get(request, enterprise_id)
    data = payload.dict(exclude={"version"}, exclude_none=True)
    updated = services.enterprise_update(
        actor=request.user, enterprise=enterprise, data=data, expected_version=payload.version
    )
    return _detail(request, updated)
