"""企业服务端 API: declarations (企业填报) for the enterprise and its officers."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.core.paginator import Paginator
from django.http import Http404, HttpRequest
from ninja import Field, Query, Router, Schema

from xinzhi.accounts import permissions
from xinzhi.api.errors import answers
from xinzhi.portal import selectors
from xinzhi.portal.choices import DeclarationStatus
from xinzhi.portal.models import Declaration

router = Router(tags=["企业服务端"])


class DeclarationParams(Schema):
    status: DeclarationStatus | None = Field(
        None, description="submitted 待审核 / returned 已退回 / accepted 已采纳"
    )
    page: int = Field(1, ge=1, le=100_000)
    page_size: int = Field(50, ge=1, le=200)


class DeclarationOut(Schema):
    id: int
    enterprise_id: int
    enterprise_name: str = Field(..., alias="enterprise.name")
    year: int
    status: str
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
    return_reason: str
    accepted_values: dict
    created_at: dt.datetime
    reviewed_at: dt.datetime | None
    version: int


class DeclarationPage(Schema):
    count: int
    page: int
    pages: int
    results: list[DeclarationOut]


def _may_read(request: HttpRequest) -> None:
    user = request.user
    permissions.require(
        permissions.can_review_declarations(user) or permissions.can_declare_figures(user)
    )


@router.get(
    "/declarations",
    response=answers(DeclarationPage, 422),
    summary="企业填报列表（板块专员：本板块；企业：本企业）",
)
def declaration_list(request: HttpRequest, params: Query[DeclarationParams]) -> dict:
    _may_read(request)
    queryset = selectors.declarations_for_review(user=request.user, status=params.status or "")
    page = Paginator(queryset, params.page_size).get_page(params.page)
    return {
        "count": page.paginator.count,
        "page": page.number,
        "pages": page.paginator.num_pages,
        "results": list(page.object_list),
    }


@router.get(
    "/declarations/{declaration_id}",
    response=answers(DeclarationOut, 404, 422),
    summary="一份企业填报",
)
def declaration_detail(request: HttpRequest, declaration_id: int) -> Declaration:
    _may_read(request)
    try:
        return selectors.declaration_get(user=request.user, pk=declaration_id)
    except Declaration.DoesNotExist as exc:
        raise Http404 from exc
