"""Reads of the 科技招商 pipeline; every one takes the acting user and is scoped by it."""

from __future__ import annotations

import statistics
from collections import Counter, defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Max, Q, QuerySet
from django.utils import timezone

from xinzhi.accounts.models import User
from xinzhi.attraction.choices import Channel, LeadStatus
from xinzhi.attraction.filters import LeadFilterSet, stale_q
from xinzhi.attraction.models import (
    AftercareRequest,
    Docking,
    Lead,
    Stage,
    StageChange,
    TalentReferral,
)
from xinzhi.core.models import AuditEvent
from xinzhi.core.timeline import TimelineItem

BOARD_COLUMN_LIMIT = 40


def stages_active() -> list[Stage]:
    return list(Stage.objects.filter(is_active=True).order_by("order"))


def lead_filterset(*, user: User, params: Mapping[str, Any]) -> LeadFilterSet:
    """The bound filter set over the leads `user` may see."""
    return LeadFilterSet(
        params,
        queryset=Lead.objects.visible_to(user).select_related("stage", "jurisdiction", "officer"),
        user=user,
    )


def lead_list(*, user: User, params: Mapping[str, Any]) -> QuerySet[Lead]:
    """Filtered leads (the page, API and Excel export all use this)."""
    return lead_filterset(user=user, params=params).qs


def lead_get(*, user: User, pk: int) -> Lead:
    """One lead `user` may see; raises Lead.DoesNotExist otherwise (→ 404)."""
    return (
        Lead.objects.visible_to(user)
        .select_related("stage", "jurisdiction", "officer", "enterprise")
        .get(pk=pk)
    )


def lead_stage_changes(*, user: User, lead: Lead) -> list[StageChange]:
    return list(
        StageChange.objects.visible_to(user)
        .filter(lead=lead)
        .select_related("from_stage", "to_stage")
        .order_by("-changed_on", "-id")
    )


def lead_dockings(*, user: User, lead: Lead) -> list[Docking]:
    return list(
        Docking.objects.visible_to(user)
        .filter(lead=lead)
        .select_related("recorded_by")
        .order_by("-held_on", "-id")
    )


def lead_audit_events(*, user: User, lead: Lead) -> list[AuditEvent]:
    return list(
        AuditEvent.objects.visible_to(user)
        .filter(object_type="attraction.lead", object_id=str(lead.pk))
        .order_by("-created_at", "-id")[:50]
    )


@dataclass
class TimelineEntry:
    on: Any
    kind: str
    title: str
    detail: str = ""


def lead_timeline(
    changes: list[StageChange], dockings: list[Docking], lead: Lead
) -> list[TimelineEntry]:
    """The lead's own history (阶段变更 + 对接记录 + 流失), newest first."""
    items = [
        TimelineEntry(
            c.changed_on,
            "阶段",
            f"{c.from_stage.name} → {c.to_stage.name}" if c.from_stage else f"新建（{c.to_stage}）",
            "；".join(
                p
                for p in (
                    c.actor_name,
                    f"原阶段停留{c.days_in_previous}天" if c.days_in_previous is not None else "",
                    c.note,
                )
                if p
            ),
        )
        for c in changes
    ]
    items += [
        TimelineEntry(
            d.held_on,
            "对接",
            f"{d.get_form_display()}：{d.notes[:60]}" if d.notes else d.get_form_display(),
            "；".join(p for p in (d.participants, d.next_step and f"下一步：{d.next_step}") if p),
        )
        for d in dockings
    ]
    if lead.status == LeadStatus.DROPPED and lead.lost_on:
        items.append(
            TimelineEntry(lead.lost_on, "流失", lead.get_lost_reason_display(), lead.lost_note)
        )
    return sorted(items, key=lambda i: i.on, reverse=True)


# ---------------------------------------------------------------- board, follow-ups, stale


@dataclass
class BoardColumn:
    stage: Stage
    leads: list[Lead] = field(default_factory=list)
    total: int = 0


def lead_board(*, user: User, params: Mapping[str, Any]) -> list[BoardColumn]:
    """Active leads grouped by stage (看板), each column capped; 3 queries in all."""
    stages = stages_active()
    queryset = lead_list(user=user, params=params).filter(status=LeadStatus.ACTIVE)
    totals = dict(queryset.order_by().values_list("stage").annotate(n=Count("id")))
    columns = {s.pk: BoardColumn(stage=s, total=totals.get(s.pk, 0)) for s in stages}
    ranked = queryset.order_by("stage__order", "next_follow_up_on", "-last_activity_on", "id")
    # Slice per column in Python: the board is at most a few hundred active leads per user.
    for lead in ranked:
        column = columns.get(lead.stage_id)
        if column is not None and len(column.leads) < BOARD_COLUMN_LIMIT:
            column.leads.append(lead)
    return list(columns.values())


def my_follow_ups(*, user: User) -> list[Lead]:
    """我的跟进: active leads this user is responsible for, overdue first, then by date."""
    today = timezone.localdate()
    leads = list(
        Lead.objects.visible_to(user)
        .filter(officer=user, status=LeadStatus.ACTIVE)
        .select_related("stage", "jurisdiction")
        .order_by("next_follow_up_on", "-last_activity_on", "id")
    )

    def key(lead: Lead) -> tuple:
        due = lead.next_follow_up_on
        return (0 if due and due < today else 1 if due else 2, due or today, lead.pk)

    return sorted(leads, key=key)


def stale_leads(*, user: User, limit: int = 20) -> QuerySet[Lead]:
    """停滞预警: active leads idle longer than their stage allows, oldest activity first."""
    return (
        Lead.objects.visible_to(user)
        .filter(stale_q())
        .select_related("stage", "jurisdiction", "officer")
        .order_by("last_activity_on", "id")[:limit]
    )


def stale_count(*, user: User) -> int:
    return Lead.objects.visible_to(user).filter(stale_q()).count()


# ---------------------------------------------------------------- statistics


def _bar(labels_values: list[tuple[str, int]]) -> dict:
    return {
        "kind": "attractionBar",
        "labels": [label for label, _ in labels_values],
        "values": [value for _, value in labels_values],
    }


def attraction_stats(*, user: User, year: int | None = None) -> dict[str, Any]:
    """招商统计: totals, by channel / region / stage / jurisdiction, conversion, median days."""
    leads = Lead.objects.visible_to(user)
    if year:
        leads = leads.filter(created_at__year=year)
    stages = stages_active()
    totals = leads.aggregate(
        total=Count("id"),
        active=Count("id", filter=Q(status=LeadStatus.ACTIVE)),
        dropped=Count("id", filter=Q(status=LeadStatus.DROPPED)),
        landed=Count("id", filter=Q(enterprise__isnull=False)),
    )
    channel_labels = dict(Channel.choices)
    by_channel = [
        (channel_labels.get(row["channel"], "未填"), row["n"])
        for row in leads.order_by().values("channel").annotate(n=Count("id")).order_by("-n")
    ]
    by_region = [
        (row["source_region"] or "未填", row["n"])
        for row in leads.order_by()
        .values("source_region")
        .annotate(n=Count("id"))
        .order_by("-n")[:12]
    ]
    by_jurisdiction = [
        (row["jurisdiction__short_name"] or row["jurisdiction__name"], row["n"])
        for row in leads.order_by()
        .values("jurisdiction__name", "jurisdiction__short_name")
        .annotate(n=Count("id"))
        .order_by("-n")
    ]
    current = dict(
        leads.filter(status=LeadStatus.ACTIVE)
        .order_by()
        .values_list("stage")
        .annotate(n=Count("id"))
    )
    # The furthest stage each lead ever reached, from its stage history.
    changes = StageChange.objects.visible_to(user).filter(lead__in=leads.values("pk"))
    furthest = Counter(
        changes.order_by()
        .values("lead")
        .annotate(top=Max("to_stage__order"))
        .values_list("top", flat=True)
    )
    reached = {s.pk: sum(n for order, n in furthest.items() if order >= s.order) for s in stages}
    conversion = []
    for before, after in zip(stages, stages[1:], strict=False):
        base = reached[before.pk]
        rate = round(reached[after.pk] * 100 / base, 1) if base else None
        conversion.append(
            {
                "label": f"{before.name}→{after.name}",
                "from": base,
                "to": reached[after.pk],
                "rate": rate,
            }
        )
    durations: dict[int, list[int]] = defaultdict(list)
    for stage_id, days in changes.filter(
        from_stage__isnull=False, days_in_previous__isnull=False
    ).values_list("from_stage", "days_in_previous"):
        durations[stage_id].append(days)
    median_days = [
        (s.name, round(float(statistics.median(durations[s.pk])), 1) if durations[s.pk] else None)
        for s in stages
    ]
    return {
        "totals": totals,
        "stages": stages,
        "conversion": conversion,
        "median_days": median_days,
        "charts": {
            "funnel": {
                "kind": "funnel",
                "items": [{"name": s.name, "value": reached[s.pk]} for s in stages],
            },
            "stage": _bar([(s.name, current.get(s.pk, 0)) for s in stages]),
            "channel": _bar(by_channel),
            "region": _bar(by_region),
            "jurisdiction": _bar(by_jurisdiction),
            "conversion": {
                "kind": "attractionRate",
                "labels": [c["label"] for c in conversion],
                "values": [c["rate"] for c in conversion],
            },
            "median": {
                "kind": "attractionDays",
                "labels": [name for name, _ in median_days],
                "values": [float(v) if v is not None else None for _, v in median_days],
            },
        },
    }


# ---------------------------------------------------------------- aftercare, talent


def aftercare_list(*, user: User, status: str = "") -> QuerySet[AftercareRequest]:
    queryset = AftercareRequest.objects.visible_to(user).select_related(
        "enterprise", "owner", "lead"
    )
    return queryset.filter(status=status) if status else queryset


def aftercare_get(*, user: User, pk: int) -> AftercareRequest:
    return AftercareRequest.objects.visible_to(user).select_related("enterprise").get(pk=pk)


def aftercare_summary(queryset: QuerySet[AftercareRequest]) -> dict[str, Any]:
    """Median hours to first response and days to closure (响应 / 办结时长)."""
    rows = list(queryset.values_list("submitted_at", "first_response_at", "closed_at"))
    response = [(r - s).total_seconds() / 3600 for s, r, _ in rows if r]
    closure = [(c - s).total_seconds() / 86400 for s, _, c in rows if c]
    return {
        "count": len(rows),
        "open": sum(1 for _, r, c in rows if not c),
        "median_response_hours": round(statistics.median(response), 1) if response else None,
        "median_close_days": round(statistics.median(closure), 1) if closure else None,
    }


def referral_list(*, user: User) -> QuerySet[TalentReferral]:
    return TalentReferral.objects.visible_to(user).select_related(
        "jurisdiction", "enterprise", "lead"
    )


def referral_get(*, user: User, pk: int) -> TalentReferral:
    return referral_list(user=user).get(pk=pk)


def referral_summary(queryset: QuerySet[TalentReferral]) -> list[dict[str, Any]]:
    """Per source: pushed, selected and landed counts (科创帮推送23个，落地龙城英才4个)."""
    rows = (
        queryset.order_by()
        .values("source")
        .annotate(
            pushed=Count("id"),
            selected=Count("id", filter=Q(status__in=("selected", "landed"))),
            landed=Count("id", filter=Q(status="landed")),
        )
        .order_by("-pushed")
    )
    return list(rows)


# ---------------------------------------------------------------- enterprise timeline


def enterprise_timeline_items(enterprise: Any, user: User) -> list[TimelineItem]:
    """A landed enterprise's attraction history (招商): its leads' stage moves and dockings."""
    leads = {lead.pk: lead for lead in Lead.objects.visible_to(user).filter(enterprise=enterprise)}
    if not leads:
        return []
    items: list[TimelineItem] = []
    for change in (
        StageChange.objects.visible_to(user)
        .filter(lead_id__in=leads)
        .select_related("from_stage", "to_stage")
    ):
        lead = leads[change.lead_id]
        title = (
            f"招商项目“{lead.name}”进入{change.to_stage.name}阶段"
            if change.from_stage_id
            else f"招商项目“{lead.name}”立项（{change.to_stage.name}）"
        )
        items.append(
            TimelineItem(
                change.changed_on,
                "招商",
                title,
                "；".join(p for p in (change.actor_name, change.note) if p),
                lead.get_absolute_url(),
            )
        )
    for docking in Docking.objects.visible_to(user).filter(lead_id__in=leads):
        lead = leads[docking.lead_id]
        items.append(
            TimelineItem(
                docking.held_on,
                "招商",
                f"{docking.get_form_display()}对接：{lead.name}",
                docking.notes[:80],
                lead.get_absolute_url(),
            )
        )
    return items
