"""Reads of the cultivation ladder; every selector takes the acting user."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Prefetch, QuerySet
from django.urls import reverse
from django.utils import timezone

from xinzhi import eligibility
from xinzhi.accounts.models import User
from xinzhi.core import aggregates
from xinzhi.core.exceptions import ApplicationError
from xinzhi.core.timeline import TimelineItem
from xinzhi.cultivation.choices import (
    CANDIDATE_READINESS,
    FACT_LABELS,
    LADDER_FAMILIES,
    STAGE_ORDER,
    LadderStage,
    Readiness,
    fact_label,
)
from xinzhi.cultivation.facts import enterprise_facts
from xinzhi.cultivation.filters import CandidateFilterSet, StageFilterSet
from xinzhi.cultivation.models import (
    CultivationTrack,
    Evaluation,
    QualificationProfile,
    TrackChange,
)
from xinzhi.cultivation.steps import ladder_steps
from xinzhi.enterprises.choices import TitleType
from xinzhi.enterprises.models import AnnualFigures, Enterprise, TitleHeld
from xinzhi.enterprises.selectors import visible_through_enterprise


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
            annotate(eligibility.evaluate(facts, policy, as_of).to_dict())
            for policy in eligibility.policies_in_force(family, as_of)
        ]
        if results:
            report.append(FamilyHealth(family, name, results, tracks.get(family)))
    return report


def confidence_mark(result: dict[str, Any]) -> str:
    """The weakest confidence among a result's clauses: "U" (unconfirmed reading), "R" (secondary
    sources only) or "" (all confirmed) — shown on the verdict badge."""
    levels = {item.get("confidence") for item in [*result["checks"], *(result["indicators"] or [])]}
    return "U" if "U" in levels else "R" if "R" in levels else ""


def annotate(result: dict[str, Any]) -> dict[str, Any]:
    """Add what the card shows beside the engine's result: the badge's mark, missing labels."""
    result["mark"] = confidence_mark(result)
    result["missing_labels"] = [fact_label(path) for path in result.get("missing", [])]
    return result


def profile_get(*, user: User, enterprise: Enterprise) -> QualificationProfile | None:
    return QualificationProfile.objects.visible_to(user).filter(enterprise=enterprise).first()


def evaluations_in_scope(user: User) -> QuerySet[Evaluation]:
    """`Evaluation.objects.visible_to(user)`, with a jurisdiction scope tested as EXISTS.

    As a join filter on the enterprise's jurisdiction, SQLite's planner (once its statistics
    are current) started from 高新区's enterprises and read all 11 evaluations of each, then
    sorted them all: 160 ms for a page of candidates at 100k enterprises. As EXISTS it starts
    from the candidate index and stops after a page (test_candidates_scale).
    """
    return visible_through_enterprise(Evaluation, user)


def candidate_filterset(
    *, user: User, family: str, params: Mapping[str, Any]
) -> CandidateFilterSet:
    # One row per enterprise for the title (the primary rule set's); the filter set narrows to
    # 符合 + 待核实 unless the 数据不全 worklist is asked for.
    queryset = (
        evaluations_in_scope(user)
        .filter(family=family, is_primary=True)
        .exclude(readiness=Readiness.INELIGIBLE)
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
    """今年可申报 (符合 + 待核实) or the 数据不全 worklist, one row per enterprise, by gap."""
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


def candidate_count(*, user: User, family: str, filterset: CandidateFilterSet) -> int | None:
    """The list's row count from the ladder's cached counts when only the readiness narrows it
    (the page as first opened), else None (count the rows). Counting 高新区's 25k candidates at
    100k enterprises costs ~70 ms per request; the cache is renewed when evaluations change."""
    data = filterset.form.cleaned_data if filterset.is_valid() else None
    if data is None or data.get("q") or data.get("jurisdiction"):
        return None
    row = next(
        (r for r in ladder_overview(user=user)["funnel"]["rows"] if r["family"] == family), None
    )
    if row is None or "by_readiness" not in row:
        return None
    readiness = data.get("readiness")
    if readiness:
        return row["by_readiness"].get(readiness, 0)
    return sum(row["by_readiness"].get(r, 0) for r in CANDIDATE_READINESS)


def funnel(*, user: User) -> dict[str, Any]:
    """Counts per title and stage (the district ladder), scoped to the user."""
    counts = {
        (row["family"], row["stage"]): row["n"]
        for row in CultivationTrack.objects.visible_to(user)
        .values("family", "stage")
        .annotate(n=Count("id"))
    }
    # The same rows the candidate list shows (primary rule set per enterprise and title).
    candidates: dict[str, int] = {}
    data_missing: dict[str, int] = {}
    by_readiness: dict[str, dict[str, int]] = {}
    for row in (
        Evaluation.objects.visible_to(user)
        .filter(is_primary=True, readiness__in=[*CANDIDATE_READINESS, Readiness.DATA_MISSING])
        .values("family", "readiness")
        .annotate(n=Count("id"))
    ):
        target = data_missing if row["readiness"] == Readiness.DATA_MISSING else candidates
        target[row["family"]] = target.get(row["family"], 0) + row["n"]
        by_readiness.setdefault(row["family"], {})[row["readiness"]] = row["n"]
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
                "data_missing": data_missing.get(family, 0),
                # the candidate list's counts per readiness (its paginator reads them)
                "by_readiness": by_readiness.get(family, {}),
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


def ladder_page(*, user: User) -> dict[str, Any]:
    """The ladder page: the cached title rows plus the steps other apps contribute (上市企业),
    counted live in the viewer's scope and added to the chart."""
    overview = ladder_overview(user=user)
    extra = []
    for step in ladder_steps():
        counts = step.counts(user)
        extra.append(
            {
                "family": step.key,
                "name": step.name,
                "stages": list(counts.stages),
                "total": sum(counts.stages),
                "url": reverse(step.url_name),
                "note": counts.note,
            }
        )
    chart = overview["funnel"]["chart"]
    items = [*chart["items"], *({"name": r["name"], "value": r["stages"][3]} for r in extra)]
    funnel_ = {**overview["funnel"], "chart": {**chart, "items": items}}
    return {**overview, "funnel": funnel_, "extra_rows": extra}


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


def stage_filterset(
    *, user: User, family: str, stage: str, params: Mapping[str, Any]
) -> StageFilterSet:
    """The stage list's filter set: the family's tracks `user` sees, at (or, with a date range,
    entering) the stage."""
    queryset = (
        CultivationTrack.objects.visible_to(user)
        .filter(family=family)
        .select_related("enterprise", "enterprise__jurisdiction")
        .order_by("-stage_since", "enterprise__name")
    )
    return StageFilterSet(params, queryset=queryset, user=user, stage=stage)


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


# ---------------------------------------------------------------------------- what-if (模拟测算)

_INT_FACTS = frozenset(
    {
        "employees",
        "tech_staff",
        "rd_staff",
        "conversions_3y",
        "srdi.niche_years",
        "srdi.market_rank",
    }
)
_SKIPPED_FACTS = frozenset({"registered_on"})  # a founding date is not something to try out


@dataclass
class WhatIfField:
    """One editable fact of the what-if form: the engine path and its current value."""

    path: str
    label: str
    kind: str  # "int" (counts), "ratio" (0–1) or "decimal" (万元 and other amounts)
    current: Any

    @property
    def name(self) -> str:
        return "f_" + "".join(ch if ch.isalnum() else "_" for ch in self.path).strip("_")


def fact_value(facts: eligibility.EnterpriseFacts, path: str) -> Any:
    """The value at an engine path such as “financials[2025].rd_expense” or “ip.class1”."""
    if path.startswith("financials["):
        year, name = path[len("financials[") :].split("].", 1)
        row = facts.by_year.get(int(year))
        return getattr(row, name) if row is not None else None
    if "." in path:
        group, name = path.split(".", 1)
        return getattr(getattr(facts, group), name)
    return getattr(facts, path)


def what_if_fields(facts: eligibility.EnterpriseFacts, as_of: dt.date) -> list[WhatIfField]:
    """Every fact a verdict depends on under the ladder's rule sets in force on `as_of`.

    Read from the checks' `facts:` declarations in the rule sets (not a hand list), with the
    fiscal years resolved (Y = the year before `as_of`); year figures first, newest first.
    """
    fiscal_year = as_of.year - 1
    paths: list[str] = []
    for family in LADDER_FAMILIES:
        for policy in eligibility.policies_in_force(family, as_of):
            for spec in policy.checks.values():
                for template in spec.facts:
                    path = template
                    if template.startswith("financials[Y"):
                        close = template.index("]")
                        back = int(template[len("financials[Y") : close] or 0)
                        path = f"financials[{fiscal_year + back}]{template[close + 1 :]}"
                    if path not in paths and path not in _SKIPPED_FACTS:
                        paths.append(path)
    year_order = list(FACT_LABELS)

    def order(path: str) -> tuple:
        if path.startswith("financials["):
            year, name = path[len("financials[") :].split("].", 1)
            return (0, -int(year), year_order.index(name) if name in year_order else 99)
        return (1, 0, year_order.index(path) if path in year_order else 99)

    fields = []
    for path in sorted(paths, key=order):
        kind = "int" if path in _INT_FACTS or path.startswith("ip.") else "decimal"
        if path == "srdi.market_share":
            kind = "ratio"
        fields.append(WhatIfField(path, fact_label(path), kind, fact_value(facts, path)))
    return fields


def _check_rows(before: dict[str, Any], after: dict[str, Any]) -> dict[str, Any]:
    """What changed between two results of one rule set, and what still fails afterwards."""
    old = {c["key"]: c for c in before["checks"]}
    new = {c["key"]: c for c in after["checks"]}
    changed = []
    for key in [*old, *(k for k in new if k not in old)]:
        b, a = old.get(key), new.get(key)
        if (b and b["status"]) != (a and a["status"]):
            check = a or b
            changed.append(
                {
                    "key": key,
                    "label": check["label"],
                    "before": b["status"] if b else "n/a",
                    "after": a["status"] if a else "n/a",
                    "confidence": check.get("confidence"),
                }
            )
    return {
        "before": before,
        "after": after,
        "changed": changed,
        "failing": [c for c in after["checks"] if c["status"] == "unmet"],
        "review": [c for c in after["checks"] if c["status"] == "manual_review"],
    }


@dataclass
class WhatIf:
    """A what-if run: the window evaluated, the editable facts and the per-rule-set comparison."""

    as_of: dt.date
    window: str  # "now" (this year's declaration) or "next" (the next application window)
    fields: list[WhatIfField]
    rows: list[dict[str, Any]]
    applied: list[dict[str, Any]]
    values: dict[str, Any]  # form field name → value after the changes


def what_if_base(
    *, enterprise: Enterprise, window: str = "now", today: dt.date | None = None
) -> tuple[eligibility.EnterpriseFacts, dt.date]:
    """The facts and date a what-if starts from: today's, or the next application window's
    (the open fiscal year projected from the last closed one, as the card's levers are)."""
    from xinzhi.eligibility.changes import project_next_window

    today = today or timezone.localdate()
    try:
        facts = eligibility.facts_from_dict(enterprise_facts(enterprise, as_of=today))
    except eligibility.InputError as exc:
        raise ApplicationError(f"企业数据有误，无法评估：{exc.message}") from exc
    if window == "next":
        return project_next_window(facts, today)
    return facts, today


def what_if_run(
    *,
    facts: eligibility.EnterpriseFacts,
    as_of: dt.date,
    changes: list[dict[str, Any]],
    window: str = "now",
) -> WhatIf:
    """Evaluate the ladder's rule sets before and after `changes` (nothing is saved).

    `facts`/`as_of` come from `what_if_base`; `changes` are the engine's `{"path",
    "value"|"delta"}` items, validated by the engine's shared validation (an `InputError`
    names the field, in Chinese).
    """
    changed = eligibility.apply_changes(facts, changes) if changes else facts
    rows = []
    for family, name in ladder_families():
        for policy in eligibility.policies_in_force(family, as_of):
            before = annotate(eligibility.evaluate(facts, policy, as_of, levers=False).to_dict())
            after = annotate(eligibility.evaluate(changed, policy, as_of, levers=False).to_dict())
            rows.append({"family": family, "family_name": name, **_check_rows(before, after)})
    values = {f.name: f.current for f in what_if_fields(changed, as_of)}
    return WhatIf(as_of, window, what_if_fields(facts, as_of), rows, list(changes), values)


def lever_changes(
    *, enterprise: Enterprise, policy_id: str, lever_key: str, today: dt.date | None = None
) -> list[dict[str, Any]]:
    """The `changes` of a lever the card shows (or of the combined plan, key "plan")."""
    today = today or timezone.localdate()
    facts, _ = what_if_base(enterprise=enterprise, today=today)
    if policy_id not in eligibility.load_policies():
        raise ApplicationError("未知的政策。")
    result = eligibility.evaluate(facts, policy_id, today)
    if lever_key == "plan" and result.lever_plan:
        return list(result.lever_plan["changes"])
    for lever in result.levers:
        if lever["key"] == lever_key:
            return list(lever["changes"])
    raise ApplicationError("该提升建议已不适用（数据可能已更新），请刷新培育体检。")
