"""政策兑现 API: scoped lists of entitlements and payments (the same filters as the page)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema

from xinzhi.accounts import permissions
from xinzhi.api.errors import answers
from xinzhi.core.errors import require_valid_filters
from xinzhi.core.pagination import api_page
from xinzhi.rewards import selectors
from xinzhi.rewards.filters import paid_range

router = Router(tags=["政策兑现"])


class EntitlementFilterParams(Schema):
    year: int | None = Field(
        None, ge=2000, le=2100, description="年度，如 2024；默认最近测算的年度"
    )
    q: str | None = Field(None, description="企业名称片段或统一社会信用代码")
    item: int | None = Field(None, description="奖补事项编号")
    status: str | None = Field(
        None,
        description="calculated returned confirmed approved publicity paid excluded withdrawn",
    )
    jurisdiction: int | None = Field(None, description="所属板块编号（含下级）")
    paid_from: dt.date | None = Field(None, description="拨付日期起（给出拨付日期时不按年度）")
    paid_to: dt.date | None = Field(None, description="拨付日期止")
    page: int = Field(1, ge=1)
    page_size: int = Field(50, ge=1, le=200)
    after: str | None = Field(None, description="上一页返回的 next 翻页标记")


class EntitlementOut(Schema):
    id: int
    enterprise_id: int
    enterprise_name: str = Field(..., alias="enterprise.name")
    jurisdiction_name: str = Field(..., alias="jurisdiction.name")
    item: str = Field(..., alias="item.name")
    amount_yuan: Decimal
    status: str
    explanation: str


class EntitlementPage(Schema):
    count: int
    page: int | None = None
    pages: int
    next: str | None = Field(None, description="下一页的翻页标记（after），最后一页为空")
    results: list[EntitlementOut]


class PaymentFilterParams(Schema):
    year: int | None = Field(None, ge=2000, le=2100, description="兑现年度")
    page: int = Field(1, ge=1)
    page_size: int = Field(50, ge=1, le=200)
    after: str | None = None


class PaymentOut(Schema):
    id: int
    entitlement_id: int
    enterprise_id: int = Field(..., alias="entitlement.enterprise_id")
    enterprise_name: str = Field(..., alias="entitlement.enterprise.name")
    jurisdiction_name: str = Field(..., alias="entitlement.jurisdiction.name")
    item: str = Field(..., alias="entitlement.item.name")
    paid_on: dt.date
    amount_yuan: Decimal
    voucher_no: str


class PaymentPage(Schema):
    count: int
    page: int | None = None
    pages: int
    next: str | None = None
    results: list[PaymentOut]


@router.get(
    "/entitlements", response=answers(EntitlementPage, 400, 422), summary="兑现事项列表（按年度）"
)
def entitlement_list(request: HttpRequest, filters: Query[EntitlementFilterParams]) -> dict:
    permissions.require(permissions.can_view_rewards(request.user))
    params = {
        k: str(v) for k, v in filters.dict(exclude={"page", "page_size", "after"}).items() if v
    }
    if not paid_range(params):
        params.setdefault("year", str(selectors.default_year()))
    params.setdefault("sort", "jurisdiction")
    filterset = selectors.entitlement_filterset(user=request.user, params=params)
    require_valid_filters(filterset)
    page = api_page(
        filterset.qs.order_by("jurisdiction_id", "id"),
        page=filters.page,
        size=filters.page_size,
        after=filters.after,
    )
    return {
        "count": page.count,
        "page": page.number,
        "pages": page.pages,
        "next": page.next_cursor,
        "results": page.items,
    }


@router.get("/payments", response=answers(PaymentPage, 400, 422), summary="拨付记录列表")
def payment_list(request: HttpRequest, filters: Query[PaymentFilterParams]) -> dict:
    permissions.require(permissions.can_view_rewards(request.user))
    queryset = selectors.payments(user=request.user, year=filters.year).order_by("id")
    page = api_page(queryset, page=filters.page, size=filters.page_size, after=filters.after)
    return {
        "count": page.count,
        "page": page.number,
        "pages": page.pages,
        "next": page.next_cursor,
        "results": page.items,
    }
