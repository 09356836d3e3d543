"""Reads of 政策兑现, always through the viewer's scope (`visible_to`)."""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.db.models import Count, Q, QuerySet, Sum
from django.utils import timezone

from xinzhi.core.timeline import TimelineItem
from xinzhi.rewards import rules
from xinzhi.rewards.choices import COMMITTED_STATUSES, EntitlementStatus
from xinzhi.rewards.filters import EntitlementFilterSet, paid_range
from xinzhi.rewards.models import (
    BankAccount,
    BudgetLine,
    Entitlement,
    EntitlementRun,
    Objection,
    Payment,
    Publicity,
    RewardPolicy,
)

if TYPE_CHECKING:
    from xinzhi.accounts.models import User

S = EntitlementStatus
NOT_OWED = (S.EXCLUDED, S.WITHDRAWN)


def default_year() -> int:
    """The year of the latest run, else last year (rewards are paid for the year before)."""
    run = EntitlementRun.objects.order_by("-started_at").first()
    return run.year if run else timezone.localdate().year - 1


def entitlement_filterset(*, user: User, params: Any) -> EntitlementFilterSet:
    queryset = Entitlement.objects.visible_to(user).select_related(
        "enterprise", "jurisdiction", "item", "budget_line", "publicity"
    )
    return EntitlementFilterSet(params, queryset=queryset, user=user)


def entitlement_list(*, user: User, params: Any) -> tuple[EntitlementFilterSet, QuerySet]:
    filterset = entitlement_filterset(user=user, params=params)
    return filterset, filterset.qs


def with_default_year(params: Any) -> Any:
    """The list's filters, with the default year when neither a year nor a paid range is asked."""
    params = params.copy()
    if not params.get("year") and not paid_range(params):
        params["year"] = str(default_year())
    return params


def entitlement_export_rows(*, user: User, params: Any) -> QuerySet[Entitlement]:
    """The 兑现名单 export's rows: the list as the page shows it, with each payment."""
    _, queryset = entitlement_list(user=user, params=with_default_year(params))
    return queryset.select_related("payment")


def entitlement_totals(queryset: QuerySet) -> dict[str, Any]:
    """Count and amount owed (excluding 不予兑现/已撤销), and per status, of a filtered list."""
    per_status = {
        row["status"]: row
        for row in queryset.order_by()
        .values("status")
        .annotate(n=Count("id"), s=Sum("amount_yuan"))
    }
    owed = [row for key, row in per_status.items() if key not in NOT_OWED]
    return {
        "count": sum(row["n"] for row in per_status.values()),
        "owed_count": sum(row["n"] for row in owed),
        "owed_yuan": sum((row["s"] or Decimal(0) for row in owed), Decimal(0)),
        "statuses": [
            {
                "status": s.value,
                "label": s.label,
                "count": per_status[s.value]["n"],
                "amount": per_status[s.value]["s"] or Decimal(0),
            }
            for s in S
            if s.value in per_status
        ],
    }


def entitlement_get(*, user: User, pk: int) -> Entitlement:
    return (
        Entitlement.objects.visible_to(user)
        .select_related(
            "enterprise",
            "jurisdiction",
            "item",
            "policy",
            "budget_line",
            "publicity",
            "confirmed_by",
            "approved_by",
            "last_run",
        )
        .get(pk=pk)
    )


def entitlement_history(*, entitlement: Entitlement) -> list:
    from xinzhi.core.models import AuditEvent

    return list(
        AuditEvent.all_objects.filter(
            object_type=Entitlement._meta.label_lower, object_id=str(entitlement.pk)
        ).order_by("created_at", "id")
    )


def runs(*, year: int | None = None) -> QuerySet:
    queryset = EntitlementRun.objects.select_related("policy")
    return queryset.filter(year=year) if year else queryset


def policies() -> QuerySet:
    return RewardPolicy.objects.prefetch_related("items", "budget_lines")


def budget_summary(*, user: User, year: int) -> list[dict[str, Any]]:
    """Per budget line of `year`: budget, committed, paid and remaining (元), for the page."""
    rows = []
    for line in BudgetLine.objects.filter(year=year).select_related("policy"):
        visible = Entitlement.objects.visible_to(user).filter(budget_line=line)
        committed = visible.filter(status__in=COMMITTED_STATUSES).aggregate(s=Sum("amount_yuan"))[
            "s"
        ] or Decimal(0)
        pending = visible.filter(status__in=[S.CALCULATED, S.RETURNED, S.CONFIRMED]).aggregate(
            s=Sum("amount_yuan")
        )["s"] or Decimal(0)
        paid = Payment.objects.visible_to(user).filter(entitlement__budget_line=line).aggregate(
            s=Sum("amount_yuan")
        )["s"] or Decimal(0)
        rows.append(
            {
                "line": line,
                "budget": line.amount_yuan,
                "pending": pending,
                "committed": committed,
                "paid": paid,
                "remaining": line.amount_yuan - committed - paid,
            }
        )
    return rows


def paid_statistics(*, user: User, year: int) -> dict[str, list[dict[str, Any]]]:
    """Rewards paid by item and by 板块 (for the reports), amounts in 元."""
    payments = Payment.objects.visible_to(user).filter(entitlement__year=year)
    by_item = (
        payments.values("entitlement__item__name")
        .annotate(n=Count("id"), s=Sum("amount_yuan"))
        .order_by("-s")
    )
    by_unit = (
        payments.values("entitlement__jurisdiction__name")
        .annotate(n=Count("id"), s=Sum("amount_yuan"))
        .order_by("-s")
    )
    return {
        "items": [
            {"name": r["entitlement__item__name"], "count": r["n"], "amount": r["s"]}
            for r in by_item
        ],
        "units": [
            {"name": r["entitlement__jurisdiction__name"], "count": r["n"], "amount": r["s"]}
            for r in by_unit
        ],
    }


def budget_chart(rows: list[dict[str, Any]]) -> dict[str, Any]:
    wan = lambda v: float((v / 10000).quantize(Decimal("0.01")))  # noqa: E731
    return {
        "kind": "rewardBudget",
        "labels": [r["line"].name for r in rows],
        "paid": [wan(r["paid"]) for r in rows],
        "committed": [wan(r["committed"]) for r in rows],
        "remaining": [wan(max(r["remaining"], Decimal(0))) for r in rows],
        "over": [wan(-min(r["remaining"], Decimal(0))) for r in rows],
    }


def publicities(*, user: User) -> QuerySet:
    return Publicity.objects.annotate(
        n=Count("entitlements", distinct=True),
        s=Sum("entitlements__amount_yuan"),
        open_objections=Count("objections", filter=Q(objections__status="open"), distinct=True),
    )


def publicity_public(*, pk: int, today=None) -> Publicity:  # noqa: ANN001
    """A publicity list as the public sees it: only once it has started."""
    today = today or timezone.localdate()
    return Publicity.objects.get(pk=pk, starts_on__lte=today)


def publicity_rows(publicity: Publicity) -> QuerySet:
    return (
        Entitlement.all_objects.filter(publicity=publicity)
        .select_related("enterprise", "jurisdiction", "item")
        .order_by("jurisdiction__sort_order", "enterprise__name", "id")
    )


def objections(*, user: User, publicity: Publicity | None = None) -> QuerySet:
    queryset = Objection.objects.visible_to(user).select_related(
        "entitlement__enterprise", "entitlement__item"
    )
    return queryset.filter(publicity=publicity) if publicity else queryset


def payments(*, user: User, year: int | None = None) -> QuerySet:
    queryset = Payment.objects.visible_to(user).select_related(
        "entitlement__enterprise", "entitlement__jurisdiction", "entitlement__item"
    )
    return queryset.filter(entitlement__year=year) if year else queryset


def enterprise_rewards(*, user: User) -> tuple[list[Entitlement], BankAccount | None]:
    """The enterprise user's own entitlements once its 板块 confirmed them, and its account."""
    if not user.enterprise_id:
        return [], None
    rows = list(
        Entitlement.objects.visible_to(user)
        .filter(enterprise_id=user.enterprise_id)
        .filter(status__in=[S.CONFIRMED, S.APPROVED, S.PUBLICITY, S.PAID])
        .select_related("item", "publicity")
        .order_by("-year", "id")
    )
    account = BankAccount.objects.visible_to(user).filter(enterprise_id=user.enterprise_id).first()
    return rows, account


def reward_timeline_items(enterprise: Any, user: User) -> list[TimelineItem]:
    """An enterprise's rewards on its timeline (奖补): found, approved, paid."""
    items: list[TimelineItem] = []
    rows = (
        Entitlement.objects.visible_to(user)
        .filter(enterprise_id=enterprise.pk)
        .exclude(status=S.WITHDRAWN)
        .select_related("item")
    )
    if user.role == "enterprise":  # an enterprise sees its rewards once its 板块 confirmed them
        rows = rows.filter(status__in=[S.CONFIRMED, S.APPROVED, S.PUBLICITY, S.PAID])
    paid = {
        p.entitlement_id: p
        for p in Payment.objects.visible_to(user).filter(entitlement__enterprise_id=enterprise.pk)
    }
    for row in rows:
        url = row.get_absolute_url() if user.role != "enterprise" else ""
        if row.pk in paid:
            payment = paid[row.pk]
            items.append(
                TimelineItem(
                    payment.paid_on,
                    "奖补",
                    f"已兑现{row.item.name}{rules.yuan_words(payment.amount_yuan)}",
                    f"凭证号 {payment.voucher_no}",
                    url,
                )
            )
        elif row.status == S.EXCLUDED:
            items.append(
                TimelineItem(
                    row.trigger_date,
                    "奖补",
                    f"{row.year}年{row.item.name}不予兑现",
                    row.exclusion_reason,
                    url,
                )
            )
        else:
            items.append(
                TimelineItem(
                    row.trigger_date,
                    "奖补",
                    f"{row.year}年{row.item.name}{rules.yuan_words(row.amount_yuan)}（{row.get_status_display()}）",
                    row.explanation,
                    url,
                )
            )
    return items
