"""Reads of the enterprise master record; every one takes the acting user."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.db.models import Count, F, Prefetch, Q, QuerySet
from django.utils import timezone

from xinzhi.accounts.models import User
from xinzhi.core import aggregates
from xinzhi.core.models import AuditEvent
from xinzhi.core.timeline import TimelineItem
from xinzhi.enterprises.choices import TitleType
from xinzhi.enterprises.filters import EnterpriseFilterSet
from xinzhi.enterprises.models import (
    AnnualFigures,
    Enterprise,
    Incident,
    IntellectualProperty,
    TitleHeld,
)


def enterprise_filterset(*, user: User, params: Mapping[str, Any]) -> EnterpriseFilterSet:
    """The bound filter set over the enterprises `user` may see."""
    return EnterpriseFilterSet(
        params,
        queryset=Enterprise.objects.visible_to(user).select_related("jurisdiction"),
        user=user,
    )


def enterprise_list(
    *, user: User, params: Mapping[str, Any], filterset: EnterpriseFilterSet | None = None
) -> tuple[QuerySet, int]:
    """Filtered enterprises with the chosen year's figures and current titles prefetched.

    Pass the page's `filterset` to reuse it instead of building a second one.
    """
    filterset = filterset or enterprise_filterset(user=user, params=params)
    year = filterset.figures_year
    today = timezone.localdate()
    queryset = filterset.qs.prefetch_related(
        Prefetch(
            "figures", queryset=AnnualFigures.all_objects.filter(year=year), to_attr="year_figures"
        ),
        Prefetch(
            "titles",
            queryset=TitleHeld.all_objects.filter(
                Q(valid_until__isnull=True) | Q(valid_until__gte=today)
            ).order_by("title"),
            to_attr="current_titles",
        ),
    )
    return queryset, year


def enterprise_get(*, user: User, pk: int) -> Enterprise:
    """One enterprise `user` may see; raises Enterprise.DoesNotExist otherwise (→ 404)."""
    return (
        Enterprise.objects.visible_to(user)
        .select_related("jurisdiction")
        .prefetch_related("tags")
        .get(pk=pk)
    )


def enterprise_figures(*, user: User, enterprise: Enterprise) -> list[AnnualFigures]:
    return list(
        AnnualFigures.objects.visible_to(user).filter(enterprise=enterprise).order_by("year")
    )


def enterprise_titles(*, user: User, enterprise: Enterprise) -> list[TitleHeld]:
    return list(
        TitleHeld.objects.visible_to(user)
        .filter(enterprise=enterprise)
        .order_by("-valid_from", "-id")
    )


def enterprise_ip(*, user: User, enterprise: Enterprise) -> list[IntellectualProperty]:
    return list(
        IntellectualProperty.objects.visible_to(user)
        .filter(enterprise=enterprise)
        .order_by("-granted_on", "id")
    )


def enterprise_incidents(*, user: User, enterprise: Enterprise) -> list[Incident]:
    return list(
        Incident.objects.visible_to(user)
        .filter(enterprise=enterprise)
        .order_by(F("occurred_on").desc(nulls_first=True), "-id")
    )


def enterprise_ip_summary(rights: list[IntellectualProperty]) -> dict[str, int]:
    class_one = [r for r in rights if r.ip_class == "Ⅰ类"]
    return {
        "class1": len(class_one),
        "class1_self_developed": sum(1 for r in class_one if r.self_developed),
        "class1_high_value": sum(1 for r in class_one if r.high_value),
        "class2": len(rights) - len(class_one),
    }


def enterprise_audit_events(*, user: User, enterprise: Enterprise, limit: int = 100) -> list:
    return list(
        AuditEvent.objects.visible_to(user)
        .filter(enterprise_id=enterprise.pk)
        .order_by("-created_at", "-id")[:limit]
    )


def enterprise_chart(figures: list[AnnualFigures]) -> dict[str, list]:
    """Revenue and R&D intensity by year, for the ECharts chart on the detail page."""
    years, revenue, rd, intensity = [], [], [], []
    for row in figures:
        years.append(str(row.year))
        revenue.append(float(row.revenue) if row.revenue is not None else None)
        rd.append(float(row.rd_expense) if row.rd_expense is not None else None)
        ratio = row.rd_intensity
        intensity.append(round(float(ratio) * 100, 2) if ratio is not None else None)
    return {
        "kind": "revenueRd",
        "years": years,
        "revenue": revenue,
        "rd": rd,
        "intensity": intensity,
    }


def enterprise_timeline_items(enterprise: Enterprise, user: User) -> list[TimelineItem]:
    """The master record's own events: founding, titles, yearly figures, edits."""
    items: list[TimelineItem] = []
    if enterprise.registered_on:
        items.append(TimelineItem(enterprise.registered_on, "成立", "企业注册成立"))
    for title in enterprise_titles(user=user, enterprise=enterprise):
        if title.valid_from:
            level = title.get_level_display() if title.level else ""
            items.append(
                TimelineItem(
                    title.valid_from,
                    "资质",
                    f"获评{level}{title.display_name}",
                    title.certificate_no and f"证书编号 {title.certificate_no}",
                )
            )
    for event in enterprise_audit_events(user=user, enterprise=enterprise, limit=30):
        if (
            event.action == AuditEvent.Action.CREATE
            and event.object_type == "enterprises.enterprise"
        ):
            items.append(
                TimelineItem(
                    timezone.localdate(event.created_at), "入库", f"{event.actor_name} 录入企业库"
                )
            )
    return items


HOME_LADDER_TITLES = (
    TitleType.TECH_SME,
    TitleType.HNTE,
    TitleType.GAZELLE,
    TitleType.SEED_UNICORN,
    TitleType.POTENTIAL_UNICORN,
    TitleType.UNICORN,
    TitleType.LISTED,
    TitleType.LITTLE_GIANT,
)


def home_overview(user: User) -> dict[str, Any]:
    """Enterprise and current-title counts inside the user's jurisdiction (首页), cached."""
    return aggregates.cached(
        "home",
        user=user,
        topics=(aggregates.ENTERPRISES, aggregates.TITLES),
        compute=lambda: _home_overview_live(user),
    )


def _home_overview_live(user: User) -> dict[str, Any]:
    today = timezone.localdate()
    titles = (
        TitleHeld.objects.visible_to(user)
        .filter(Q(valid_until__isnull=True) | Q(valid_until__gte=today))
        .values("title")
        .annotate(n=Count("enterprise", distinct=True))
    )
    by_title = {row["title"]: row["n"] for row in titles}
    return {
        "enterprise_count": Enterprise.objects.visible_to(user).count(),
        "ladder": [(TitleType(code).label, by_title.get(code, 0)) for code in HOME_LADDER_TITLES],
    }
