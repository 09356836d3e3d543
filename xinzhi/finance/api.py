"""科技金融 API: validate, call one selector or service, serialise (scoped like the pages)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.core.paginator import Paginator
from django.http import Http404, HttpRequest
from django.utils import timezone
from ninja import Field, Query, Router, Schema

from xinzhi.accounts import permissions
from xinzhi.api.bounds import field_bounds
from xinzhi.api.errors import answers
from xinzhi.core.errors import require_valid_filters
from xinzhi.core.exceptions import ApplicationError
from xinzhi.core.limits import limited_decimal
from xinzhi.enterprises.models import Enterprise
from xinzhi.finance import selectors, services
from xinzhi.finance.models import EquityRound, Loan, Repayment

router = Router(tags=["科技金融"])

RepaymentAmount = limited_decimal(Repayment, "amount")
RoundAmount = limited_decimal(EquityRound, "amount")
Valuation = limited_decimal(EquityRound, "post_money_valuation")


class SummaryParams(Schema):
    start: dt.date | None = Field(None, description="开始日期 YYYY-MM-DD，默认今年1月1日")
    end: dt.date | None = Field(None, description="结束日期 YYYY-MM-DD，默认今天")


class ProductSummary(Schema):
    product: str
    enterprises: int = Field(..., description="区间内有放款的企业数（去重）")
    new_enterprises: int = Field(..., description="该产品首笔放款在区间内的企业数")
    loans: int
    amount_wan: Decimal


class VoucherSummary(Schema):
    institutions: int = Field(..., description="截至结束日入驻的服务机构数（全区）")
    orders_effective: int
    orders_cross_region: int
    contract_amount_wan: Decimal
    cross_region_amount_wan: Decimal
    redeemed_amount_wan: Decimal


class SummaryOut(Schema):
    start: dt.date
    end: dt.date
    loans: list[ProductSummary]
    vouchers: VoucherSummary


class LoanFilterParams(Schema):
    q: str | None = Field(None, description="企业名称片段或信用代码")
    product: int | None = None
    bank: int | None = None
    status: str | None = Field(None, description="applied / approved / refused / disbursed / …")
    jurisdiction: int | None = Field(None, description="所属板块编号（含下级）")
    disbursed_from: dt.date | None = None
    disbursed_to: dt.date | None = None
    page: int = Field(1, ge=1)
    page_size: int = Field(50, ge=1, le=200)


class LoanOut(Schema):
    id: int
    enterprise_id: int
    enterprise_name: str = Field(..., alias="enterprise.name")
    product: str = Field(..., alias="product.name")
    bank: str = Field(..., alias="bank.name")
    status: str
    applied_on: dt.date
    amount_requested: Decimal
    decided_on: dt.date | None
    approved_amount: Decimal | None
    refusal_reason: str
    disbursed_on: dt.date | None
    disbursed_amount: Decimal | None
    term_months: int | None
    rate: Decimal | None
    maturity_on: dt.date | None
    balance: Decimal
    repaid_amount: Decimal
    compensation_amount: Decimal
    recovered_amount: Decimal
    is_demo: bool
    version: int


class LoanPage(Schema):
    count: int
    page: int
    pages: int
    results: list[LoanOut]


class RepaymentIn(Schema):
    paid_on: dt.date
    amount: RepaymentAmount
    version: int | None = Field(None, description="读取时的版本号；他人已修改时返回 409")


class OrderFilterParams(Schema):
    q: str | None = None
    institution: int | None = None
    service_type: str | None = None
    status: str | None = None
    cross_region: bool | None = None
    jurisdiction: int | None = None
    effective_from: dt.date | None = None
    effective_to: dt.date | None = None
    page: int = Field(1, ge=1)
    page_size: int = Field(50, ge=1, le=200)


class OrderOut(Schema):
    id: int
    enterprise_id: int = Field(..., alias="grant.enterprise_id")
    enterprise_name: str = Field(..., alias="grant.enterprise.name")
    institution: str = Field(..., alias="institution.name")
    institution_city: str = Field(..., alias="institution.city")
    service_type: str
    title: str
    status: str
    is_cross_region: bool
    contract_amount: Decimal
    voucher_share: Decimal
    initiated_on: dt.date
    effective_on: dt.date | None
    redeemed_on: dt.date | None
    redeemed_amount: Decimal


class OrderPage(Schema):
    count: int
    page: int
    pages: int
    results: list[OrderOut]


class RoundFilterParams(Schema):
    q: str | None = None
    round_name: str | None = None
    jurisdiction: int | None = None
    closed_from: dt.date | None = None
    closed_to: dt.date | None = None
    page: int = Field(1, ge=1)
    page_size: int = Field(50, ge=1, le=200)


class RoundOut(Schema):
    id: int
    enterprise_id: int
    enterprise_name: str = Field(..., alias="enterprise.name")
    round_name: str
    closed_on: dt.date
    amount: Decimal
    investors: str
    post_money_valuation: Decimal | None
    is_institutional: bool


class RoundPage(Schema):
    count: int
    page: int
    pages: int
    results: list[RoundOut]


class RoundIn(Schema):
    enterprise_id: int
    round_name: str = Field(
        ..., description="angel / pre_a / a / a_plus / b / c / d / strategic / pre_ipo"
    )
    closed_on: dt.date
    amount: RoundAmount
    investors: str = Field(..., min_length=1, **field_bounds(EquityRound, "investors"))
    post_money_valuation: Valuation | None = None
    is_institutional: bool = True


def _params(filters: Schema) -> dict[str, str]:
    return {
        k: ("true" if v is True else "false" if v is False else str(v))
        for k, v in filters.dict(exclude={"page", "page_size"}).items()
        if v is not None and v != ""
    }


def _page(queryset, filters: Schema) -> dict:  # noqa: ANN001
    page = Paginator(queryset, filters.page_size).get_page(filters.page)
    return {
        "count": page.paginator.count,
        "page": page.number,
        "pages": page.paginator.num_pages,
        "results": list(page.object_list),
    }


def _require_viewer(request: HttpRequest) -> None:
    permissions.require(permissions.can_view_finance(request.user))


@router.get(
    "/summary",
    response=answers(SummaryOut, 400, 422),
    summary="科技金融汇总（按日期区间；板块专员只统计本板块）",
)
def summary(request: HttpRequest, params: Query[SummaryParams]) -> dict:
    _require_viewer(request)
    today = timezone.localdate()
    start = params.start or dt.date(today.year, 1, 1)
    end = params.end or today
    if start > end:
        raise ApplicationError("开始日期不能晚于结束日期。", field="start")
    return selectors.finance_summary(user=request.user, start=start, end=end)


@router.get(
    "/loans", response=answers(LoanPage, 400, 422), summary="科技贷款列表（与页面、导出相同的筛选）"
)
def loan_list(request: HttpRequest, filters: Query[LoanFilterParams]) -> dict:
    _require_viewer(request)
    filterset = selectors.loan_filterset(user=request.user, params=_params(filters))
    require_valid_filters(filterset)
    return _page(filterset.qs, filters)


@router.get("/loans/{int:loan_id}", response=answers(LoanOut, 404), summary="科技贷款详情")
def loan_detail(request: HttpRequest, loan_id: int) -> Loan:
    try:
        loan = selectors.loan_get(user=request.user, pk=loan_id)
    except Loan.DoesNotExist as exc:
        raise Http404 from exc
    _require_viewer(request)
    return loan


@router.post(
    "/loans/{int:loan_id}/repayments",
    response=answers(LoanOut, 400, 404, 409, 422),
    summary="登记还款（不得超过贷款余额）",
)
def loan_repay(request: HttpRequest, loan_id: int, payload: RepaymentIn) -> Loan:
    try:
        loan = selectors.loan_get(user=request.user, pk=loan_id)
    except Loan.DoesNotExist as exc:
        raise Http404 from exc
    permissions.require(permissions.can_record_finance(request.user), permissions.READ_ONLY_MESSAGE)
    services.loan_repay(
        actor=request.user,
        loan=loan,
        on=payload.paid_on,
        amount=payload.amount,
        source="接口登记",
        expected_version=payload.version,
    )
    return selectors.loan_get(user=request.user, pk=loan_id)


@router.get("/orders", response=answers(OrderPage, 400, 422), summary="双创券订单列表")
def order_list(request: HttpRequest, filters: Query[OrderFilterParams]) -> dict:
    _require_viewer(request)
    filterset = selectors.order_filterset(user=request.user, params=_params(filters))
    require_valid_filters(filterset)
    return _page(filterset.qs, filters)


@router.get("/rounds", response=answers(RoundPage, 400, 422), summary="股权融资列表")
def round_list(request: HttpRequest, filters: Query[RoundFilterParams]) -> dict:
    _require_viewer(request)
    filterset = selectors.round_filterset(user=request.user, params=_params(filters))
    require_valid_filters(filterset)
    return _page(filterset.qs, filters)


@router.post(
    "/rounds",
    response=answers(RoundOut, 400, 404, 422),
    summary="登记股权融资（更新企业估值与融资要素）",
)
def round_create(request: HttpRequest, payload: RoundIn) -> EquityRound:
    permissions.require(permissions.can_record_finance(request.user), permissions.READ_ONLY_MESSAGE)
    enterprise = (
        Enterprise.objects.visible_to(request.user).filter(pk=payload.enterprise_id).first()
    )
    if enterprise is None:
        raise Http404
    return services.round_record(
        actor=request.user,
        enterprise=enterprise,
        round_name=payload.round_name,
        closed_on=payload.closed_on,
        amount=payload.amount,
        investors=payload.investors,
        post_money_valuation=payload.post_money_valuation,
        is_institutional=payload.is_institutional,
    )
