"""Reads of the innovation ecosystem; every one takes the acting user and is scoped by it.

Carriers, competitions and 揭榜挂帅 tasks are district reference data every bureau user reads;
what they deliver (leads pushed and landed, enterprises incubated, entries and awards, the
listing reserve) is counted from records the viewer may see, so a 板块专员's figures are their
板块's. The figures later read by targets and reports (issue 11) are the `*_counts` functions.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from typing import Any

from django.db.models import Count, IntegerField, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce

from xinzhi.accounts.models import User
from xinzhi.attraction.models import Lead, Stage, TalentReferral
from xinzhi.cultivation.steps import StepCounts
from xinzhi.ecosystem.choices import (
    AWARDED,
    Award,
    Board,
    CarrierKind,
    CarrierLevel,
    ListingStage,
    SpellOutcome,
)
from xinzhi.ecosystem.filters import CarrierFilterSet, EntryFilterSet, ListingFilterSet
from xinzhi.ecosystem.models import (
    Carrier,
    CarrierPush,
    ChallengeTask,
    Competition,
    CompetitionEntry,
    ConsortiumMember,
    IncubationSpell,
    ListingCandidate,
    ListingStageChange,
)
from xinzhi.enterprises.selectors import visible_through_enterprise
from xinzhi.projects.models import FundedProject


def _count(queryset: QuerySet, link: str) -> Coalesce:
    """A per-carrier count over a scoped queryset, as a subquery annotation."""
    counted = (
        queryset.filter(**{link: OuterRef("pk")})
        .order_by()
        .values(link)
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(counted, output_field=IntegerField()), Value(0))


def _with_figures(queryset: QuerySet[Carrier], user: User) -> QuerySet[Carrier]:
    pushes = CarrierPush.objects.visible_to(user)
    spells = IncubationSpell.objects.visible_to(user)
    # Talent projects pushed to a talent programme name their source as text (推送来源).
    referrals = (
        TalentReferral.objects.visible_to(user)
        .filter(source=OuterRef("name"))
        .order_by()
        .values("source")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return queryset.annotate(
        talents_referred=Coalesce(Subquery(referrals, output_field=IntegerField()), Value(0)),
        leads_pushed=_count(pushes, "carrier"),
        leads_landed=_count(pushes.filter(lead__enterprise__isnull=False), "carrier"),
        enterprises_incubated=_count(spells, "carrier"),
        enterprises_in=_count(spells.filter(outcome=SpellOutcome.IN), "carrier"),
        enterprises_graduated=_count(spells.filter(outcome=SpellOutcome.GRADUATED), "carrier"),
    )


# ---------------------------------------------------------------- carriers


def carrier_filterset(*, user: User, params: Mapping[str, Any]) -> CarrierFilterSet:
    queryset = _with_figures(
        Carrier.objects.select_related("jurisdiction", "host_enterprise"), user
    )
    return CarrierFilterSet(params, queryset=queryset, user=user)


def carrier_list(*, user: User, params: Mapping[str, Any]) -> QuerySet[Carrier]:
    """Filtered carriers with their delivery figures (page, API and export)."""
    return carrier_filterset(user=user, params=params).qs


def carrier_get(*, user: User, pk: int) -> Carrier:
    """One carrier with its figures (reference data: every bureau user may open it)."""
    return _with_figures(
        Carrier.objects.select_related("jurisdiction", "host_enterprise"), user
    ).get(pk=pk)


def carrier_pushes(*, user: User, carrier: Carrier) -> list[CarrierPush]:
    return list(
        CarrierPush.objects.visible_to(user)
        .filter(carrier=carrier)
        .select_related("lead__stage", "lead__jurisdiction", "lead__enterprise")
        .order_by("-pushed_on", "-id")
    )


def push_stages(pushes: list[CarrierPush]) -> list[tuple[str, int]]:
    """Pushed leads by current stage, in pipeline order (“推送14个、落地几个” at a glance)."""
    counts = Counter(p.lead.stage_id for p in pushes)
    return [(s.name, counts.get(s.pk, 0)) for s in Stage.objects.order_by("order")]


def carrier_spells(*, user: User, carrier: Carrier) -> list[IncubationSpell]:
    return list(
        IncubationSpell.objects.visible_to(user)
        .filter(carrier=carrier)
        .select_related("enterprise__jurisdiction")
        .order_by("outcome", "-entered_on")
    )


def carrier_projects(*, user: User, carrier: Carrier) -> list[FundedProject]:
    """科技计划项目 the carrier takes part in as a partner (合作单位 lists its name on a line)."""
    candidates = (
        FundedProject.objects.visible_to(user)
        .filter(partners__contains=carrier.name)
        .select_related("enterprise")
        .order_by("-year", "name")
    )
    return [p for p in candidates if carrier.name in p.partner_list]


def carrier_members(*, carrier: Carrier) -> list[ConsortiumMember]:
    return list(carrier.members.select_related("enterprise").order_by("role", "id"))


def pushable_leads(*, user: User) -> QuerySet[Lead]:
    """Leads the user may link to a carrier: visible, not yet linked to one."""
    return (
        Lead.objects.visible_to(user)
        .filter(carrier_push__isnull=True)
        .order_by("-last_activity_on", "name")
    )


def carrier_counts(*, user: User) -> dict[str, Any]:
    """Carriers by kind and level (载体数量), for targets and reports: reference data."""
    rows = Carrier.objects.filter(is_active=True).values_list("kind", "level")
    by_kind = Counter(kind for kind, _ in rows)
    by_kind_level = Counter(rows)
    return {
        "total": len(rows),
        "by_kind": {k.label: by_kind.get(k.value, 0) for k in CarrierKind},
        "by_kind_level": {
            k.label: {lv.label: by_kind_level.get((k.value, lv.value), 0) for lv in CarrierLevel}
            for k in CarrierKind
        },
    }


def delivery_totals(*, user: User) -> dict[str, int]:
    """Pushed / landed leads and incubated / graduated enterprises, in the viewer's scope."""
    pushes = CarrierPush.objects.visible_to(user)
    spells = IncubationSpell.objects.visible_to(user)
    return {
        "leads_pushed": pushes.count(),
        "leads_landed": pushes.filter(lead__enterprise__isnull=False).count(),
        "enterprises_in": spells.filter(outcome=SpellOutcome.IN).count(),
        "enterprises_graduated": spells.filter(outcome=SpellOutcome.GRADUATED).count(),
    }


# ---------------------------------------------------------------- 揭榜挂帅


def task_list(*, carrier: Carrier | None = None) -> QuerySet[ChallengeTask]:
    tasks = ChallengeTask.objects.select_related("carrier", "team_enterprise").annotate(
        milestones_total=Count("milestones", distinct=True),
        milestones_done=Count(
            "milestones", filter=Q(milestones__done_on__isnull=False), distinct=True
        ),
    )
    return tasks.filter(carrier=carrier) if carrier is not None else tasks


def task_get(*, pk: int) -> ChallengeTask:
    return ChallengeTask.objects.select_related("carrier", "team_enterprise").get(pk=pk)


# ---------------------------------------------------------------- competitions


def competitions_with_counts(*, user: User) -> QuerySet[Competition]:
    """Competitions with the viewer's entries and awards counted."""
    entries = CompetitionEntry.objects.visible_to(user)
    return Competition.objects.annotate(
        entries_count=Coalesce(
            Subquery(
                entries.filter(competition=OuterRef("pk"))
                .order_by()
                .values("competition")
                .annotate(n=Count("pk"))
                .values("n"),
                output_field=IntegerField(),
            ),
            Value(0),
        ),
        awards_count=Coalesce(
            Subquery(
                entries.filter(competition=OuterRef("pk"), award__in=AWARDED)
                .order_by()
                .values("competition")
                .annotate(n=Count("pk"))
                .values("n"),
                output_field=IntegerField(),
            ),
            Value(0),
        ),
    ).order_by("-year", "name")


def competition_get(*, user: User, pk: int) -> Competition:
    return competitions_with_counts(user=user).get(pk=pk)


def entry_filterset(*, user: User, params: Mapping[str, Any]) -> EntryFilterSet:
    queryset = CompetitionEntry.objects.visible_to(user).select_related(
        "competition", "enterprise", "jurisdiction", "lead__stage"
    )
    return EntryFilterSet(params, queryset=queryset, user=user)


def entry_list(*, user: User, params: Mapping[str, Any]) -> QuerySet[CompetitionEntry]:
    """Filtered entries (page, API and export)."""
    return entry_filterset(user=user, params=params).qs.order_by(
        "-competition__year", "competition__name", "rank", "-id"
    )


def entry_get(*, user: User, pk: int) -> CompetitionEntry:
    return (
        CompetitionEntry.objects.visible_to(user)
        .select_related("competition", "enterprise", "jurisdiction", "lead__stage")
        .get(pk=pk)
    )


def award_counts(*, user: User, year: int | None = None) -> dict[str, Any]:
    """Entries and awards by 板块 and by award (获奖数), for targets and reports."""
    entries = CompetitionEntry.objects.visible_to(user)
    if year is not None:
        entries = entries.filter(competition__year=year)
    awarded = entries.filter(award__in=AWARDED)
    by_jurisdiction = Counter()
    for short, name in awarded.values_list("jurisdiction__short_name", "jurisdiction__name"):
        by_jurisdiction[short or name] += 1
    by_award = Counter(awarded.values_list("award", flat=True))
    return {
        "entries": entries.count(),
        "awards": awarded.count(),
        "by_jurisdiction": dict(by_jurisdiction.most_common()),
        "by_award": {a.label: by_award.get(a.value, 0) for a in Award if a.value in AWARDED},
        "leads_converted": entries.filter(lead__isnull=False).count(),
    }


def city_rankings(*, year: int | None = None) -> list[Competition]:
    """The 全市 rankings typed in from the organisers' results (reference data)."""
    competitions = Competition.objects.filter(city_rank__isnull=False)
    if year is not None:
        competitions = competitions.filter(year=year)
    return list(competitions.order_by("-year", "name"))


def competition_by_jurisdiction(*, user: User, competition: Competition) -> list[dict[str, Any]]:
    """Entries and awards of one competition by 板块 (counts by 板块)."""
    rows = (
        CompetitionEntry.objects.visible_to(user)
        .filter(competition=competition)
        .values("jurisdiction__short_name", "jurisdiction__name")
        .annotate(entries=Count("pk"), awards=Count("pk", filter=Q(award__in=AWARDED)))
        .order_by("-awards", "-entries", "jurisdiction__name")
    )
    return [
        {
            "jurisdiction": r["jurisdiction__short_name"] or r["jurisdiction__name"],
            "entries": r["entries"],
            "awards": r["awards"],
        }
        for r in rows
    ]


# ---------------------------------------------------------------- listing reserve


def listing_filterset(*, user: User, params: Mapping[str, Any]) -> ListingFilterSet:
    queryset = ListingCandidate.objects.visible_to(user).select_related(
        "enterprise__jurisdiction", "officer"
    )
    return ListingFilterSet(params, queryset=queryset, user=user)


def listing_list(*, user: User, params: Mapping[str, Any]) -> QuerySet[ListingCandidate]:
    """Filtered listing candidates (page, API and export)."""
    return listing_filterset(user=user, params=params).qs


def listing_get(*, user: User, pk: int) -> ListingCandidate:
    return (
        ListingCandidate.objects.visible_to(user)
        .select_related("enterprise__jurisdiction", "officer")
        .get(pk=pk)
    )


def listing_changes(*, user: User, candidate: ListingCandidate) -> list[ListingStageChange]:
    return list(
        ListingStageChange.objects.visible_to(user)
        .filter(candidate=candidate)
        .order_by("-changed_on", "-id")
    )


def listing_board(*, user: User, params: Mapping[str, Any]) -> list[dict[str, Any]]:
    """The reserve by stage (上市后备看板): one column per stage, 上市/挂牌 last."""
    candidates = listing_list(user=user, params=params)
    columns = {s.value: [] for s in ListingStage}
    for candidate in candidates.order_by("stage_entered_on", "id"):
        columns[candidate.stage].append(candidate)
    return [
        {"stage": s.value, "label": s.label, "candidates": columns[s.value]} for s in ListingStage
    ]


def _listing_tally(user: User) -> Counter[tuple[str, str]]:
    """The viewer's 上市后备 rows counted by (stage, board), in one query.

    Read every request by the ladder page: one query instead of eleven, scoped by EXISTS so
    the planner starts from this (small) table, not from the jurisdiction's enterprises (at
    100k enterprises those eleven counts cost 35 ms for 高新区 with the table empty).
    """
    rows = visible_through_enterprise(ListingCandidate, user).values_list("stage", "board")
    return Counter(rows)


def listing_counts(*, user: User, tally: Counter[tuple[str, str]] | None = None) -> dict[str, Any]:
    """Listed / 新三板 / reserve counts (上市企业、挂牌企业、上市后备), for targets and reports."""
    tally = _listing_tally(user) if tally is None else tally
    by_stage: Counter[str] = Counter()
    reserve_boards: Counter[str] = Counter()
    for (stage, board), n in tally.items():
        by_stage[stage] += n
        if stage != ListingStage.LISTED:
            reserve_boards[board] += n
    listed = {board: n for (stage, board), n in tally.items() if stage == ListingStage.LISTED}
    return {
        "listed": sum(n for board, n in listed.items() if board != Board.NEEQ),
        "neeq": listed.get(Board.NEEQ, 0),
        "reserve": sum(reserve_boards.values()),
        "by_stage": {s.label: by_stage.get(s.value, 0) for s in ListingStage},
        "by_board": {b.label: n for b in Board if (n := reserve_boards.get(b.value, 0))},
    }


# The ladder's five columns (储备, 培育, 申报, 认定, 成长) read from the 上市后备 stages.
LISTING_LADDER_COLUMNS = (
    (ListingStage.RESERVE,),
    (ListingStage.RESTRUCTURED, ListingStage.TUTORING),
    (ListingStage.FILED, ListingStage.REVIEW, ListingStage.REGISTERED),
)


def listing_ladder_counts(user: User) -> StepCounts:
    """上市企业 as the ladder's top step: the reserve by stage, and the listed (新三板 apart)."""
    tally = _listing_tally(user)
    counts = listing_counts(user=user, tally=tally)
    by_stage: Counter[str] = Counter()
    for (stage, _board), n in tally.items():
        by_stage[stage] += n
    reserve, nurture, apply = (
        sum(by_stage.get(stage.value, 0) for stage in column) for column in LISTING_LADDER_COLUMNS
    )
    note = "按上市后备阶段统计：入库=储备，股改/辅导备案=培育，申报受理至注册=申报，上市=认定"
    if counts["neeq"]:
        note += f"；另有新三板挂牌 {counts['neeq']} 家"
    return StepCounts(stages=(reserve, nurture, apply, counts["listed"], 0), note=note)


# ---------------------------------------------------------------- overview


def overview(*, user: User, year: int) -> dict[str, Any]:
    """The 创新生态 overview: headline figures and the charts' data, in the viewer's scope."""
    carriers = carrier_counts(user=user)
    delivery = delivery_totals(user=user)
    awards = award_counts(user=user, year=year)
    listing = listing_counts(user=user)
    kinds = [(k, n) for k, n in carriers["by_kind"].items() if n]
    reserve_stages = [(k, n) for k, n in listing["by_stage"].items() if k != "上市/挂牌"]
    return {
        "carriers": carriers,
        "delivery": delivery,
        "awards": awards,
        "listing": listing,
        "rankings": city_rankings(year=year),
        "charts": {
            "kinds": {
                "kind": "bar",
                "labels": [k for k, _ in kinds],
                "values": [n for _, n in kinds],
            },
            "awards": {
                "kind": "bar",
                "labels": list(awards["by_jurisdiction"]),
                "values": list(awards["by_jurisdiction"].values()),
            },
            "listing": {
                "kind": "bar",
                "labels": [k for k, _ in reserve_stages],
                "values": [n for _, n in reserve_stages],
            },
        },
    }
