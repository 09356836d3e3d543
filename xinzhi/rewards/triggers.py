"""Triggers (触发条件): each reads the platform's records and names who may be owed what.

A trigger is a function `(params, year) → candidates` registered under a kind; a reward item's
YAML names its kind (`trigger: {kind: title_new, title: hnte}`) and the run calls it. Adding a
trigger is one function here.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.urls import reverse


@dataclass(frozen=True)
class Candidate:
    """An enterprise a record says may be owed an item, with the facts the amount needs."""

    enterprise_id: int
    source_kind: str  # "title", "lead", "application" …
    source_id: int
    source_label: str
    source_url: str
    trigger_date: dt.date
    what: str  # the trigger in words: "2024年新认定高新技术企业"
    facts: dict[str, Any] = field(default_factory=dict)  # level, grant (元), …


@dataclass(frozen=True)
class Trigger:
    kind: str
    label: str
    find: Callable[[dict[str, Any], int], Iterable[Candidate]]


TRIGGERS: dict[str, Trigger] = {}


def register(kind: str, label: str) -> Callable:
    def decorator(find: Callable[[dict[str, Any], int], Iterable[Candidate]]) -> Callable:
        TRIGGERS[kind] = Trigger(kind, label, find)
        return find

    return decorator


def trigger_kinds() -> set[str]:
    return set(TRIGGERS)


def trigger_label(kind: str) -> str:
    found = TRIGGERS.get(kind)
    return found.label if found else f"{kind}（未实现）"


@register("title_new", "当年新获资质（高企、瞪羚、独角兽、小巨人、科技型中小企业入库…）")
def title_new(params: dict[str, Any], year: int) -> Iterable[Candidate]:
    """A title whose 认定日期 falls in `year`; with `first_time`, only an enterprise's first one."""
    from xinzhi.enterprises.models import TitleHeld

    title = params["title"]
    rows = (
        TitleHeld.objects.unscoped()
        .filter(title=title, valid_from__year=year)
        .order_by("enterprise_id", "valid_from", "id")
    )
    earlier: set[int] = set()
    if params.get("first_time"):
        earlier = set(
            TitleHeld.objects.unscoped()
            .filter(title=title, valid_from__lt=dt.date(year, 1, 1))
            .values_list("enterprise_id", flat=True)
        )
    seen: set[int] = set()
    for row in rows:
        if row.enterprise_id in earlier or row.enterprise_id in seen:
            continue  # 重新认定 (re-certification) is not 新认定; one title per year
        seen.add(row.enterprise_id)
        label = row.display_name
        certificate = f"证书{row.certificate_no}，" if row.certificate_no else ""
        yield Candidate(
            enterprise_id=row.enterprise_id,
            source_kind="title",
            source_id=row.pk,
            source_label=f"{label}（{certificate}{row.valid_from:%Y-%m-%d}认定）",
            source_url=reverse("enterprises:detail", args=[row.enterprise_id]),
            trigger_date=row.valid_from,
            what=f"{year}年新认定{row.get_title_display()}",
            facts={"level": row.level},
        )


@register("lead_landed_hnte", "招商项目落地时企业已是高新技术企业（高企招引）")
def lead_landed_hnte(params: dict[str, Any], year: int) -> Iterable[Candidate]:
    """A lead landed (落地注册) in `year` whose enterprise then held a valid 高企 certificate."""
    from xinzhi.attraction.choices import STAGE_REGISTERED
    from xinzhi.attraction.models import StageChange
    from xinzhi.enterprises.models import TitleHeld

    changes = (
        StageChange.objects.unscoped()
        .filter(to_stage__code=STAGE_REGISTERED, changed_on__year=year)
        .exclude(lead__enterprise=None)
        .select_related("lead")
        .order_by("lead_id", "changed_on", "id")
    )
    seen: set[int] = set()
    for change in changes:
        lead = change.lead
        if lead.pk in seen:
            continue
        seen.add(lead.pk)
        landed = change.changed_on
        certificate = (
            TitleHeld.objects.unscoped()
            .filter(enterprise_id=lead.enterprise_id, title="hnte", valid_from__lte=landed)
            .exclude(valid_until__lt=landed)
            .order_by("-valid_from")
            .first()
        )
        if certificate is None:
            continue
        number = f"证书{certificate.certificate_no}，" if certificate.certificate_no else ""
        until = f"有效期至{certificate.valid_until:%Y-%m-%d}" if certificate.valid_until else "有效"
        yield Candidate(
            enterprise_id=lead.enterprise_id,
            source_kind="lead",
            source_id=lead.pk,
            source_label=f"招商项目“{lead.name}”{landed:%Y-%m-%d}落地注册",
            source_url=reverse("attraction:lead_detail", args=[lead.pk]),
            trigger_date=landed,
            what=f"{year}年招引落地的高新技术企业（落地时持有高企证书，{number}{until}）",
            facts={"level": certificate.level},
        )


@register("call_grant", "申报项目立项并决定资助（科普、学术、软科学…）")
def call_grant(params: dict[str, Any], year: int) -> Iterable[Candidate]:
    """An approved application with a grant, decided in `year`, of the named call kinds.

    `category_contains` / `category_excludes` pick categories by name (软科学课题研究 …);
    applications without an enterprise (学会, 个人) have nobody to pay here and are skipped.
    """
    from xinzhi.calls.choices import ApplicationStatus
    from xinzhi.calls.models import Application

    rows = (
        Application.objects.unscoped()
        .filter(
            status=ApplicationStatus.APPROVED,
            decided_at__year=year,
            grant_amount_yuan__gt=0,
            enterprise__isnull=False,
        )
        .select_related("call", "category")
        .order_by("id")
    )
    if params.get("call_kinds"):
        rows = rows.filter(call__kind__in=params["call_kinds"])
    if params.get("category_contains"):
        rows = rows.filter(category__name__contains=params["category_contains"])
    if params.get("category_excludes"):
        rows = rows.exclude(category__name__contains=params["category_excludes"])
    for app in rows:
        decided = app.decided_at.date()
        yield Candidate(
            enterprise_id=app.enterprise_id,
            source_kind="application",
            source_id=app.pk,
            source_label=f"{app.call.name} · {app.category.name} · {app.number}",
            source_url=reverse("calls:application", args=[app.pk]),
            trigger_date=decided,
            what=f"{year}年{app.category.name}立项“{app.title}”",
            facts={"grant": Decimal(app.grant_amount_yuan)},
        )


@register("project_funded", "市/省/国家科技计划项目立项或验收通过（配套）")
def project_funded(params: dict[str, Any], year: int) -> Iterable[Candidate]:
    """A 科技计划项目 of a listed level approved (立项) — or, with `on: accepted`, accepted
    (验收通过) — in `year`; its 财政资助 is the 上级资助 base (元) the matching reads."""
    from xinzhi.projects.choices import AcceptanceResult
    from xinzhi.projects.models import FundedProject

    on_acceptance = params.get("on") == "accepted"
    rows = FundedProject.objects.unscoped().filter(enterprise__isnull=False).order_by("id")
    if params.get("levels"):
        rows = rows.filter(level__in=params["levels"])
    if on_acceptance:
        rows = rows.filter(acceptance_result=AcceptanceResult.PASSED, acceptance_on__year=year)
    else:
        rows = rows.filter(approved_on__year=year)
    for project in rows:
        when = project.acceptance_on if on_acceptance else project.approved_on
        event = "验收通过" if on_acceptance else "立项"
        yield Candidate(
            enterprise_id=project.enterprise_id,
            source_kind="project",
            source_id=project.pk,
            source_label=f"{project.get_level_display()}{project.programme}“{project.name}”",
            source_url=reverse("projects:funded_detail", args=[project.pk]),
            trigger_date=when,
            what=f"{year}年{project.get_level_display()}科技计划项目“{project.name}”{event}",
            facts={"level": project.level, "upper_grant": project.funding_grant * 10000},
        )
