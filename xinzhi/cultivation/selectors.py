"""Reads of the cultivation ladder; every selector takes the acting user."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Prefetch, QuerySet
from django.utils import timezone

from xinzhi import eligibility
from xinzhi.accounts.models import User
from xinzhi.core import aggregates
from xinzhi.core.exceptions import ApplicationError
from xinzhi.core.timeline import TimelineItem
from xinzhi.cultivation.choices import LADDER_FAMILIES, STAGE_ORDER, LadderStage
from xinzhi.cultivation.facts import enterprise_facts
from xinzhi.cultivation.filters import CandidateFilterSet
from xinzhi.cultivation.models import (
    CultivationTrack,
    Evaluation,
    QualificationProfile,
    TrackChange,
)
from xinzhi.enterprises.choices import TitleType
from xinzhi.enterprises.models import AnnualFigures, Enterprise, TitleHeld


@dataclass
class FamilyHealth:
    """One title's live evaluation for the 培育体检 card."""

    family: str
    name: str
    results: list[dict[str, Any]]
    track: CultivationTrack | None

    @property
    def best_verdict(self) -> str:
        order = {"eligible": 0, "possible": 1, "ineligible": 2}
        return min((r["verdict"] for r in self.results), key=order.__getitem__)


def ladder_families() -> list[tuple[str, str]]:
    names = eligibility.families()
    return [(family, names[family]) for family in LADDER_FAMILIES if family in names]


def health_report(
    *,
    user: User,
    enterprise: Enterprise,
    as_of: dt.date | None = None,
    changes: Mapping[str, Any] | None = None,
    facts_data: dict[str, Any] | None = None,
) -> list[FamilyHealth]:
    """Each ladder title's verdict, failing checks with gaps and levers, evaluated now.

    With `changes` (a what-if), the facts are altered in memory and nothing is saved.
    `facts_data` lets a caller that already read the enterprise's facts pass them in.
    Data the engine cannot evaluate raises `ApplicationError` with a Chinese message.
    """
    as_of = as_of or timezone.localdate()
    registered_on = enterprise.registered_on
    if registered_on and registered_on > as_of:
        # A founding date in the future (a typo) or an as_of before it: no policy applies yet.
        raise ApplicationError(
            f"评估日期 {as_of:%Y-%m-%d} 早于企业成立日期 {registered_on:%Y-%m-%d}，无法评估。"
            "请核对企业的成立日期。",
            field="as_of",
        )
    facts_data = facts_data or enterprise_facts(enterprise, as_of=as_of)
    try:
        facts = eligibility.facts_from_dict(facts_data)
    except eligibility.InputError as exc:
        raise ApplicationError(f"企业数据有误，无法评估：{exc.message}") from exc
    if changes:
        from xinzhi.eligibility.levers import apply_changes

        facts = apply_changes(facts, changes)  # an InputError here names the what-if's input
    tracks = {
        t.family: t for t in CultivationTrack.objects.visible_to(user).filter(enterprise=enterprise)
    }
    report = []
    for family, name in ladder_families():
        results = [
            eligibility.evaluate(facts, policy, as_of).to_dict()
            for policy in eligibility.policies_in_force(family, as_of)
        ]
        if results:
            report.append(FamilyHealth(family, name, results, tracks.get(family)))
    return report


def profile_get(*, user: User, enterprise: Enterprise) -> QualificationProfile | None:
    return QualificationProfile.objects.visible_to(user).filter(enterprise=enterprise).first()


def candidate_filterset(
    *, user: User, family: str, params: Mapping[str, Any]
) -> CandidateFilterSet:
    queryset = (
        Evaluation.objects.visible_to(user)
        .filter(family=family, verdict__in=["eligible", "possible"])
        .select_related("enterprise", "enterprise__jurisdiction")
    )
    return CandidateFilterSet(params, queryset=queryset, user=user)


def candidate_list(
    *,
    user: User,
    family: str,
    params: Mapping[str, Any],
    filterset: CandidateFilterSet | None = None,
) -> QuerySet:
    """今年可申报: enterprises whose stored verdict is eligible or possible, by gap."""
    year = timezone.localdate().year - 1
    tracks = CultivationTrack.all_objects.filter(family=family)
    filterset = filterset or candidate_filterset(user=user, family=family, params=params)
    return filterset.qs.prefetch_related(
        Prefetch(
            "enterprise__figures",
            queryset=AnnualFigures.all_objects.filter(year=year),
            to_attr="last_figures",
        ),
        Prefetch("enterprise__tracks", queryset=tracks, to_attr="family_tracks"),
    )


def funnel(*, user: User) -> dict[str, Any]:
    """Counts per title and stage (the district ladder), scoped to the user."""
    counts = {
        (row["family"], row["stage"]): row["n"]
        for row in CultivationTrack.objects.visible_to(user)
        .values("family", "stage")
        .annotate(n=Count("id"))
    }
    candidates = {
        row["family"]: row["n"]
        for row in Evaluation.objects.visible_to(user)
        .filter(verdict__in=["eligible", "possible"])
        .values("family")
        .annotate(n=Count("id"))
    }
    rows = []
    for family, name in ladder_families():
        stages = [counts.get((family, stage), 0) for stage in STAGE_ORDER]
        rows.append(
            {
                "family": family,
                "name": name,
                "stages": stages,
                "total": sum(stages),
                "candidates": candidates.get(family, 0),
            }
        )
    chart = {
        "kind": "funnel",
        "items": [{"name": r["name"], "value": r["stages"][3] + r["stages"][4]} for r in rows],
    }
    return {
        "rows": rows,
        "stages": [LadderStage(s).label for s in STAGE_ORDER],
        "stage_codes": STAGE_ORDER,
        "chart": chart,
    }


def ladder_overview(*, user: User) -> dict[str, Any]:
    """The ladder dashboard's counts (培育梯队), cached per scope until what they count changes."""
    return aggregates.cached(
        "ladder",
        user=user,
        topics=(
            aggregates.ENTERPRISES,
            aggregates.TITLES,
            aggregates.TRACKS,
            aggregates.EVALUATIONS,
        ),
        compute=lambda: {
            "funnel": funnel(user=user),
            "expiring_count": expiring_titles(user=user).count(),
        },
    )


def expiring_titles(*, user: User, months: int = 6) -> QuerySet[TitleHeld]:
    """High-tech certificates (three-year validity) expiring within `months` (到期预警)."""
    today = timezone.localdate()
    until = today + dt.timedelta(days=round(months * 30.44))
    return (
        TitleHeld.objects.visible_to(user)
        .filter(title=TitleType.HNTE, valid_until__gte=today, valid_until__lte=until)
        .select_related("enterprise", "enterprise__jurisdiction")
        .order_by("valid_until", "enterprise__name")
    )


def tracks_for_stage(*, user: User, family: str, stage: str) -> QuerySet[CultivationTrack]:
    return (
        CultivationTrack.objects.visible_to(user)
        .filter(family=family, stage=stage)
        .select_related("enterprise", "enterprise__jurisdiction")
        .order_by("-stage_since", "enterprise__name")
    )


def track_timeline_items(enterprise: Enterprise, user: User) -> list[TimelineItem]:
    names = eligibility.families()
    items = []
    changes = Prefetch("changes", queryset=TrackChange.all_objects.order_by("created_at"))
    for track in (
        CultivationTrack.objects.visible_to(user)
        .filter(enterprise=enterprise)
        .prefetch_related(changes)
    ):
        for change in track.changes.all():
            items.append(
                TimelineItem(
                    change.changed_on,
                    "培育",
                    f"{names.get(track.family, track.family)}："
                    f"进入“{change.get_to_stage_display()}”阶段",
                    " · ".join(x for x in (change.actor_name, change.note) if x),
                )
            )
    return items
