"""Reads of 科技金融; every one takes the acting user and is scoped by it.

Institutions, products and the pool are district reference data; loans, grants, orders and
rounds belong to an enterprise and so to its 板块.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Count, Min, Q, QuerySet, Sum
from django.db.models.functions import TruncMonth

from xinzhi.accounts.models import User
from xinzhi.core.models import AuditEvent
from xinzhi.core.timeline import TimelineItem
from xinzhi.finance.choices import (
    EFFECTIVE_ORDER_STATUSES,
    OUTSTANDING_STATUSES,
    PoolEntryKind,
)
from xinzhi.finance.filters import (
    GrantFilterSet,
    InstitutionFilterSet,
    LoanFilterSet,
    OrderFilterSet,
    RoundFilterSet,
)
from xinzhi.finance.models import (
    HUNDRED,
    EquityRound,
    GuaranteePool,
    Loan,
    LoanProduct,
    PoolEntry,
    Repayment,
    ServiceInstitution,
    VoucherGrant,
    VoucherOrder,
)

ZERO = Decimal(0)
CENT = Decimal("0.01")


def _wan(value: Decimal | None) -> Decimal:
    """A summed amount to two places (SQLite's sum drops trailing zeros, PostgreSQL's keeps)."""
    return (value or ZERO).quantize(CENT)


# ---------------------------------------------------------------- lists


def loan_filterset(*, user: User, params: Mapping[str, Any]) -> LoanFilterSet:
    queryset = Loan.objects.visible_to(user).select_related(
        "enterprise", "enterprise__jurisdiction", "product", "bank"
    )
    return LoanFilterSet(params, queryset=queryset, user=user)


def loan_list(*, user: User, params: Mapping[str, Any]) -> QuerySet[Loan]:
    return loan_filterset(user=user, params=params).qs


def loan_get(*, user: User, pk: int) -> Loan:
    """One loan `user` may see; Loan.DoesNotExist otherwise (→ 404)."""
    return (
        Loan.objects.visible_to(user)
        .select_related(
            "enterprise", "enterprise__jurisdiction", "product", "product__pool", "bank"
        )
        .get(pk=pk)
    )


def loan_repayments(*, user: User, loan: Loan) -> list[Repayment]:
    return list(Repayment.objects.visible_to(user).filter(loan=loan).order_by("paid_on", "id"))


def loan_pool_entries(*, loan: Loan) -> list[PoolEntry]:
    return list(PoolEntry.objects.filter(loan=loan).order_by("on", "id"))


def audit_events(*, user: User, instance: Any) -> list[AuditEvent]:
    return list(
        AuditEvent.objects.visible_to(user)
        .filter(object_type=instance._meta.label_lower, object_id=str(instance.pk))
        .order_by("-created_at", "-id")[:50]
    )


def order_filterset(*, user: User, params: Mapping[str, Any]) -> OrderFilterSet:
    queryset = VoucherOrder.objects.visible_to(user).select_related(
        "grant", "grant__enterprise", "grant__enterprise__jurisdiction", "institution"
    )
    return OrderFilterSet(params, queryset=queryset, user=user)


def order_list(*, user: User, params: Mapping[str, Any]) -> QuerySet[VoucherOrder]:
    return order_filterset(user=user, params=params).qs


def order_get(*, user: User, pk: int) -> VoucherOrder:
    return (
        VoucherOrder.objects.visible_to(user)
        .select_related(
            "grant", "grant__enterprise", "grant__enterprise__jurisdiction", "institution"
        )
        .get(pk=pk)
    )


def grant_filterset(*, user: User, params: Mapping[str, Any]) -> GrantFilterSet:
    queryset = (
        VoucherGrant.objects.visible_to(user)
        .select_related("enterprise__jurisdiction")
        .order_by("-granted_on", "-id")
    )
    return GrantFilterSet(params, queryset=queryset, user=user)


def grant_list(*, user: User, params: Mapping[str, Any]) -> QuerySet[VoucherGrant]:
    return grant_filterset(user=user, params=params).qs


def round_filterset(*, user: User, params: Mapping[str, Any]) -> RoundFilterSet:
    queryset = EquityRound.objects.visible_to(user).select_related(
        "enterprise", "enterprise__jurisdiction"
    )
    return RoundFilterSet(params, queryset=queryset, user=user)


def round_list(*, user: User, params: Mapping[str, Any]) -> QuerySet[EquityRound]:
    return round_filterset(user=user, params=params).qs


def institution_filterset(*, user: User, params: Mapping[str, Any]) -> InstitutionFilterSet:
    queryset = ServiceInstitution.objects.annotate(
        order_count=Count("orders", filter=Q(orders__status__in=EFFECTIVE_ORDER_STATUSES))
    ).order_by("region", "city", "name")
    return InstitutionFilterSet(params, queryset=queryset, user=user)


def institution_list(*, user: User, params: Mapping[str, Any]) -> QuerySet[ServiceInstitution]:
    return institution_filterset(user=user, params=params).qs


def products() -> list[LoanProduct]:
    return list(LoanProduct.objects.select_related("pool").prefetch_related("banks"))


# ---------------------------------------------------------------- the guarantee pool


@dataclass
class PoolStatus:
    """科技担保资金池 at a date: capital, compensation, recovery, balance, outstanding, leverage."""

    pool: GuaranteePool
    capital: Decimal
    compensated: Decimal
    recovered: Decimal
    outstanding: Decimal
    loans_outstanding: int

    @property
    def balance(self) -> Decimal:
        return self.capital - self.compensated + self.recovered

    @property
    def leverage(self) -> Decimal | None:
        """放大倍数 = loans outstanding ÷ pool balance."""
        if self.balance <= ZERO:
            return None
        return (self.outstanding / self.balance).quantize(Decimal("0.01"))

    @property
    def over_cap(self) -> bool:
        cap = self.pool.leverage_cap
        return cap is not None and self.leverage is not None and self.leverage > cap


def pool_status(pool: GuaranteePool, on: dt.date | None = None) -> PoolStatus:
    """The pool now (or at the end of `on`), from its entries and the loans of its products.

    Outstanding at a past date is what was disbursed up to then, less repayments, less the
    balances closed by compensations, up to then.
    """
    entries = PoolEntry.objects.filter(pool=pool)
    loans = Loan.all_objects.filter(product__pool=pool)
    if on is None:
        outstanding_loans = loans.filter(status__in=OUTSTANDING_STATUSES)
        outstanding = outstanding_loans.aggregate(total=Sum("balance"))["total"] or ZERO
        count = outstanding_loans.count()
    else:
        entries = entries.filter(on__lte=on)
        disbursed = loans.filter(disbursed_on__lte=on).aggregate(t=Sum("disbursed_amount"))["t"]
        repaid = Repayment.all_objects.filter(loan__product__pool=pool, paid_on__lte=on).aggregate(
            t=Sum("amount")
        )["t"]
        closed = entries.filter(kind=PoolEntryKind.COMPENSATION).aggregate(t=Sum("loan_balance"))[
            "t"
        ]
        outstanding = (disbursed or ZERO) - (repaid or ZERO) - (closed or ZERO)
        count = 0
    sums = dict(
        entries.order_by().values_list("kind").annotate(t=Sum("amount")).values_list("kind", "t")
    )
    return PoolStatus(
        pool=pool,
        capital=sums.get(PoolEntryKind.CAPITAL, ZERO),
        compensated=sums.get(PoolEntryKind.COMPENSATION, ZERO),
        recovered=sums.get(PoolEntryKind.RECOVERY, ZERO),
        outstanding=outstanding,
        loans_outstanding=count,
    )


def month_ends(start: dt.date, end: dt.date) -> list[dt.date]:
    days, year, month = [], start.year, start.month
    while (year, month) <= (end.year, end.month):
        nxt = dt.date(year + month // 12, month % 12 + 1, 1)
        days.append(min(nxt - dt.timedelta(days=1), end))
        year, month = nxt.year, nxt.month
    return days


def pool_history(pool: GuaranteePool, *, start: dt.date, end: dt.date) -> list[PoolStatus]:
    return [pool_status(pool, day) for day in month_ends(start, end)]


def pool_entries(pool: GuaranteePool) -> list[PoolEntry]:
    return list(
        PoolEntry.objects.filter(pool=pool)
        .select_related("loan", "loan__enterprise")
        .order_by("-on", "-id")
    )


# ---------------------------------------------------------------- summary and statistics


def loan_summary(*, user: User, start: dt.date, end: dt.date) -> list[dict[str, Any]]:
    """Per product: enterprises with a disbursement in the range, those whose first
    disbursement of the product is in it (new), loans and amount."""
    visible = Loan.objects.visible_to(user).filter(disbursed_on__isnull=False)
    in_range = visible.filter(disbursed_on__gte=start, disbursed_on__lte=end)
    rows = {
        row["product"]: row
        for row in in_range.order_by()
        .values("product")
        .annotate(
            enterprises=Count("enterprise", distinct=True),
            loans=Count("id"),
            amount=Sum("disbursed_amount"),
        )
    }
    firsts = (
        visible.order_by()
        .values("product", "enterprise")
        .annotate(first=Min("disbursed_on"))
        .filter(first__gte=start, first__lte=end)
    )
    new: dict[int, int] = defaultdict(int)
    for row in firsts:
        new[row["product"]] += 1
    result = []
    for product in LoanProduct.objects.order_by("pk"):  # as the bureau set them up
        row = rows.get(product.pk, {})
        result.append(
            {
                "product": product.name,
                "enterprises": row.get("enterprises", 0),
                "new_enterprises": new.get(product.pk, 0),
                "loans": row.get("loans", 0),
                "amount_wan": _wan(row.get("amount")),
            }
        )
    return result


def institutions_active(on: dt.date) -> int:
    """入驻机构 on a day: joined by then and not exited by then (district-wide reference data)."""
    return (
        ServiceInstitution.objects.filter(joined_on__lte=on)
        .filter(Q(exited_on__isnull=True) | Q(exited_on__gt=on))
        .count()
    )


def voucher_summary(*, user: User, start: dt.date, end: dt.date) -> dict[str, Any]:
    orders = VoucherOrder.objects.visible_to(user)
    effective = orders.filter(
        status__in=EFFECTIVE_ORDER_STATUSES, effective_on__gte=start, effective_on__lte=end
    )
    totals = effective.aggregate(
        n=Count("id"),
        cross=Count("id", filter=Q(is_cross_region=True)),
        amount=Sum("contract_amount"),
        cross_amount=Sum("contract_amount", filter=Q(is_cross_region=True)),
    )
    redeemed = orders.filter(redeemed_on__gte=start, redeemed_on__lte=end).aggregate(
        t=Sum("redeemed_amount")
    )["t"]
    return {
        "institutions": institutions_active(end),
        "orders_effective": totals["n"],
        "orders_cross_region": totals["cross"],
        "contract_amount_wan": _wan(totals["amount"]),
        "cross_region_amount_wan": _wan(totals["cross_amount"]),
        "redeemed_amount_wan": _wan(redeemed),
    }


def finance_summary(*, user: User, start: dt.date, end: dt.date) -> dict[str, Any]:
    """The figures of `GET /api/finance/summary` and the statistics page's head."""
    return {
        "start": start,
        "end": end,
        "loans": loan_summary(user=user, start=start, end=end),
        "vouchers": voucher_summary(user=user, start=start, end=end),
    }


def share(part: Decimal | int, whole: Decimal | int) -> Decimal | None:
    if not whole:
        return None
    return (Decimal(part) * HUNDRED / Decimal(whole)).quantize(Decimal("0.1"))


def finance_stats(*, user: User, start: dt.date, end: dt.date) -> dict[str, Any]:
    """科技金融统计: the summary, by month and by 板块, with chart data."""
    summary = finance_summary(user=user, start=start, end=end)
    for row in summary["loans"]:
        # The seeds report loan totals in 亿元 (1.8999亿元 = 18,999万元).
        row["amount_yi"] = (row["amount_wan"] / 10000).quantize(Decimal("0.0001"))
    vouchers = summary["vouchers"]
    vouchers["cross_share_count"] = share(
        vouchers["orders_cross_region"], vouchers["orders_effective"]
    )
    vouchers["cross_share_amount"] = share(
        vouchers["cross_region_amount_wan"], vouchers["contract_amount_wan"]
    )
    months = [day.strftime("%Y-%m") for day in month_ends(start, end)]
    loans = Loan.objects.visible_to(user).filter(disbursed_on__gte=start, disbursed_on__lte=end)
    product_names = [row["product"] for row in summary["loans"]]
    by_month: dict[str, dict[str, Decimal]] = {name: defaultdict(Decimal) for name in product_names}
    for row in (
        loans.order_by()
        .annotate(month=TruncMonth("disbursed_on"))
        .values("product__name", "month")
        .annotate(amount=Sum("disbursed_amount"))
    ):
        by_month[row["product__name"]][row["month"].strftime("%Y-%m")] += row["amount"]
    by_jurisdiction_rows = (
        loans.order_by()
        .values("enterprise__jurisdiction__name", "enterprise__jurisdiction__short_name")
        .annotate(n=Count("enterprise", distinct=True), amount=Sum("disbursed_amount"))
        .order_by("-amount")
    )
    by_jurisdiction = [
        {
            "name": row["enterprise__jurisdiction__short_name"]
            or row["enterprise__jurisdiction__name"],
            "enterprises": row["n"],
            "amount": row["amount"],
        }
        for row in by_jurisdiction_rows
    ]
    orders = VoucherOrder.objects.visible_to(user).filter(
        status__in=EFFECTIVE_ORDER_STATUSES, effective_on__gte=start, effective_on__lte=end
    )
    orders_by_month: dict[str, list[int]] = {m: [0, 0] for m in months}
    for row in (
        orders.order_by()
        .annotate(month=TruncMonth("effective_on"))
        .values("month", "is_cross_region")
        .annotate(n=Count("id"))
    ):
        key = row["month"].strftime("%Y-%m")
        if key in orders_by_month:
            orders_by_month[key][1 if row["is_cross_region"] else 0] += row["n"]
    return {
        **summary,
        "by_jurisdiction": by_jurisdiction,
        "charts": {
            "products": {
                "kind": "financeProducts",
                "labels": product_names,
                "enterprises": [row["enterprises"] for row in summary["loans"]],
                "new_enterprises": [row["new_enterprises"] for row in summary["loans"]],
                "amount": [float(row["amount_wan"]) for row in summary["loans"]],
            },
            "months": {
                "kind": "financeMonths",
                "labels": months,
                "series": [
                    {"name": name, "values": [float(by_month[name].get(m, 0)) for m in months]}
                    for name in product_names
                ],
            },
            "jurisdictions": {
                "kind": "financeJurisdictions",
                "labels": [row["name"] for row in by_jurisdiction],
                "values": [float(row["amount"]) for row in by_jurisdiction],
            },
            "orders": {
                "kind": "financeOrders",
                "labels": months,
                "local": [orders_by_month[m][0] for m in months],
                "cross": [orders_by_month[m][1] for m in months],
            },
        },
    }


# ---------------------------------------------------------------- enterprise page


def enterprise_finance(*, user: User, enterprise: Any) -> dict[str, Any]:
    """The 融资 tab: the enterprise's loans, voucher orders and rounds (as `user` may see)."""
    return {
        "loans": list(
            Loan.objects.visible_to(user)
            .filter(enterprise=enterprise)
            .select_related("product", "bank")
            .order_by("-applied_on", "-id")
        ),
        "grants": list(VoucherGrant.objects.visible_to(user).filter(enterprise=enterprise)),
        "orders": list(
            VoucherOrder.objects.visible_to(user)
            .filter(grant__enterprise=enterprise)
            .select_related("institution")
        ),
        "rounds": list(EquityRound.objects.visible_to(user).filter(enterprise=enterprise)),
    }


def enterprise_timeline_items(enterprise: Any, user: User) -> list[TimelineItem]:
    """Finance events on the enterprise timeline: loan steps, orders, rounds."""
    items: list[TimelineItem] = []
    for loan in (
        Loan.objects.visible_to(user).filter(enterprise=enterprise).select_related("product")
    ):
        url = loan.get_absolute_url()
        name = loan.product.name
        items.append(
            TimelineItem(
                loan.applied_on, "金融", f"申请{name}{loan.amount_requested:g}万元", "", url
            )
        )
        if loan.disbursed_on:
            items.append(
                TimelineItem(
                    loan.disbursed_on,
                    "金融",
                    f"{name}放款{loan.disbursed_amount:g}万元",
                    f"期限{loan.term_months}个月，年利率{loan.rate:g}%",
                    url,
                )
            )
        if loan.decided_on and loan.refusal_reason:
            items.append(
                TimelineItem(
                    loan.decided_on, "金融", f"{name}申请被银行拒绝", loan.refusal_reason, url
                )
            )
        if loan.settled_on:
            items.append(TimelineItem(loan.settled_on, "金融", f"{name}贷款结清", "", url))
        if loan.overdue_on:
            items.append(TimelineItem(loan.overdue_on, "金融", f"{name}贷款逾期", "", url))
        if loan.compensated_on:
            items.append(
                TimelineItem(
                    loan.compensated_on,
                    "金融",
                    f"资金池代偿{loan.compensation_amount:g}万元",
                    name,
                    url,
                )
            )
    for order in (
        VoucherOrder.objects.visible_to(user)
        .filter(grant__enterprise=enterprise)
        .select_related("institution")
    ):
        items.append(
            TimelineItem(
                order.initiated_on,
                "双创券",
                f"双创券订单“{order.title}”（{order.institution.name}）",
                f"合同{order.contract_amount:g}万元，{order.get_status_display()}",
                order.get_absolute_url(),
            )
        )
    for equity in EquityRound.objects.visible_to(user).filter(enterprise=enterprise):
        items.append(
            TimelineItem(
                equity.closed_on,
                "融资",
                f"{equity.get_round_name_display()}股权融资{equity.amount:g}万元",
                equity.investors,
            )
        )
    return items


def grant_for_order(*, user: User, enterprise: Any, on: dt.date) -> VoucherGrant | None:
    """The enterprise's grant valid on `on` with the most money left (an order draws on it)."""
    grants = VoucherGrant.objects.visible_to(user).filter(
        enterprise=enterprise, granted_on__lte=on, use_by__gte=on
    )
    return max(grants, key=lambda g: (g.remaining, g.pk), default=None)
