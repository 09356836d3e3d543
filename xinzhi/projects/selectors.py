"""Reads of 项目推进; every one takes the acting user and is scoped by it.

The figures other apps read (目标考核, 政策兑现) are the functions under "figures": investment
completed in a period, projects started / completed in a period, funded projects by level.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Count, Max, Q, QuerySet, Sum
from django.utils import timezone

from xinzhi.accounts.models import User
from xinzhi.core.models import AuditEvent
from xinzhi.core.timeline import TimelineItem
from xinzhi.projects.choices import (
    MILESTONE_COMPLETION,
    MILESTONE_START,
    REPORTING_STATUSES,
    SIGNAL_SHORT,
    AcceptanceResult,
    IssueStatus,
    Level,
    Signal,
)
from xinzhi.projects.delays import due_on, month_start, previous_month, with_signal
from xinzhi.projects.filters import FundedProjectFilterSet, KeyProjectFilterSet
from xinzhi.projects.models import (
    CoordinationIssue,
    FundedProject,
    KeyProject,
    Milestone,
    MonthlyReport,
    ReportPhoto,
    WarningSettings,
)

ZERO = Decimal("0")
DUE_LOOKBACK_MONTHS = 12  # older gaps are history, not a to-do


def _key_projects(user: User) -> QuerySet[KeyProject]:
    return with_signal(
        KeyProject.objects.visible_to(user).select_related(
            "project_type", "jurisdiction", "enterprise", "officer"
        )
    )


# ---------------------------------------------------------------- key projects


def key_filterset(*, user: User, params: Mapping[str, Any]) -> KeyProjectFilterSet:
    """The bound filter set over the key projects `user` may see, each with its colour."""
    return KeyProjectFilterSet(params, queryset=_key_projects(user), user=user)


def key_list(*, user: User, params: Mapping[str, Any]) -> QuerySet[KeyProject]:
    """Filtered key projects (the page, API and Excel export all use this)."""
    return key_filterset(user=user, params=params).qs


def key_get(*, user: User, pk: int) -> KeyProject:
    """One key project `user` may see, with its colour; KeyProject.DoesNotExist otherwise."""
    return _key_projects(user).get(pk=pk)


def key_milestones(*, user: User, project: KeyProject) -> list[Milestone]:
    return list(
        Milestone.objects.visible_to(user)
        .filter(project=project)
        .select_related("kind")
        .order_by("kind__order")
    )


def milestone_get(*, user: User, project: KeyProject, pk: int) -> Milestone:
    return Milestone.objects.visible_to(user).select_related("kind").get(project=project, pk=pk)


def key_reports(*, user: User, project: KeyProject) -> list[MonthlyReport]:
    reports = list(
        MonthlyReport.objects.visible_to(user)
        .filter(project=project)
        .select_related("submitted_by")
        .order_by("-month")
    )
    photos: dict[int, list[ReportPhoto]] = {}
    for photo in ReportPhoto.objects.visible_to(user).filter(report__project=project):
        photos.setdefault(photo.report_id, []).append(photo)
    for report in reports:
        report.photo_list = photos.get(report.pk, [])
    return reports


def report_get(*, user: User, pk: int) -> MonthlyReport:
    return MonthlyReport.objects.visible_to(user).select_related("project").get(pk=pk)


def photo_get(*, user: User, pk: int) -> ReportPhoto:
    return ReportPhoto.objects.visible_to(user).get(pk=pk)


def key_issues(*, user: User, project: KeyProject) -> list[CoordinationIssue]:
    return list(CoordinationIssue.objects.visible_to(user).filter(project=project))


def key_audit_events(*, user: User, project: KeyProject) -> list[AuditEvent]:
    """The project's own changes plus its reports' and problems' (操作记录), newest first."""
    reports = [
        str(pk)
        for pk in MonthlyReport.all_objects.filter(project=project).values_list("pk", flat=True)
    ]
    issues = [
        str(pk)
        for pk in CoordinationIssue.all_objects.filter(project=project).values_list("pk", flat=True)
    ]
    return list(
        AuditEvent.objects.visible_to(user)
        .filter(
            Q(object_type="projects.keyproject", object_id=str(project.pk))
            | Q(object_type="projects.monthlyreport", object_id__in=reports)
            | Q(object_type="projects.coordinationissue", object_id__in=issues)
        )
        .order_by("-created_at", "-id")[:50]
    )


def project_progress(project: KeyProject, reports: list[MonthlyReport]) -> dict[str, Any]:
    """Derived figures of one project: cumulative invested, share of total, annual completion."""
    latest = reports[0] if reports else None
    invested = latest.invested_total if latest else ZERO
    year_done = sum(
        (
            r.invested_month
            for r in reports
            if project.plan_year and r.month.year == project.plan_year
        ),
        ZERO,
    )
    return {
        "invested_total": invested,
        "invested_share": _ratio(invested, project.total_investment),
        "plan_done": year_done,
        "plan_ratio": _ratio(year_done, project.annual_plan),
        "latest": latest,
    }


def _ratio(part: Decimal | None, whole: Decimal | None) -> Decimal | None:
    """A percentage with one decimal, or None when there is nothing to divide by."""
    if part is None or not whole:
        return None
    return (Decimal(part) * 100 / whole).quantize(Decimal("0.1"))


def gantt_chart(milestones: list[Milestone], today: dt.date) -> dict[str, Any]:
    """Planned vs actual dates per milestone, for the ECharts timeline (甘特图)."""
    return {
        "kind": "projectGantt",
        "today": today.isoformat(),
        "labels": [m.kind.name for m in milestones],
        "planned": [m.planned_on.isoformat() if m.planned_on else None for m in milestones],
        "actual": [m.actual_on.isoformat() if m.actual_on else None for m in milestones],
        "late": [m.days_late(today) for m in milestones],
    }


# ---------------------------------------------------------------- reports due, problems


@dataclass
class DueReport:
    project: KeyProject
    month: dt.date
    due_on: dt.date
    overdue: bool


def reports_due(*, user: User, today: dt.date | None = None) -> list[DueReport]:
    """月报待报: each missing report of the last `DUE_LOOKBACK_MONTHS` months of the projects
    still reporting — overdue first, then last month's (due soon). The officer's to-do list."""
    today = today or timezone.localdate()
    rules = WarningSettings.current()
    last_month = previous_month(today)
    months = [last_month]
    while len(months) < DUE_LOOKBACK_MONTHS:
        months.append(previous_month(months[-1]))
    projects = list(
        KeyProject.objects.visible_to(user)
        .filter(status__in=REPORTING_STATUSES, reports_from__lte=last_month)
        .select_related("jurisdiction", "officer", "enterprise")
        .order_by("name", "id")
    )
    filed = set(
        MonthlyReport.objects.visible_to(user)
        .filter(month__gte=months[-1], project__in=[p.pk for p in projects])
        .values_list("project_id", "month")
    )
    rows = []
    for project in projects:
        for month in months:
            if month < project.reports_from or (project.pk, month) in filed:
                continue
            deadline = due_on(month, rules.report_due_day)
            rows.append(DueReport(project, month, deadline, deadline < today))
    return sorted(rows, key=lambda r: (not r.overdue, r.month, r.project.name))


def issue_list(*, user: User, status: str = "") -> QuerySet[CoordinationIssue]:
    queryset = CoordinationIssue.objects.visible_to(user).select_related(
        "project", "project__jurisdiction"
    )
    return queryset.filter(status=status) if status else queryset


def issue_get(*, user: User, pk: int) -> CoordinationIssue:
    return CoordinationIssue.objects.visible_to(user).select_related("project").get(pk=pk)


# ---------------------------------------------------------------- dashboard, home


def warnings_for(*, user: User, limit: int = 5) -> dict[str, Any]:
    """首页预警: the viewer's late projects and missing reports (counts + the first few)."""
    projects = _key_projects(user).exclude(signal=Signal.GREEN.value)
    counts = dict(projects.order_by().values_list("signal").annotate(n=Count("id")))
    return {
        "late_count": counts.get(Signal.RED.value, 0),
        "missing_count": counts.get(Signal.AMBER.value, 0),
        "items": list(projects.order_by("signal_rank", "late_since", "name")[:limit]),
    }


def dashboard(*, user: User, year: int | None = None) -> dict[str, Any]:
    """重点项目看板: counts and investment by 板块 and colour, annual plan completion, late list."""
    today = timezone.localdate()
    year = year or today.year
    projects = _key_projects(user)
    by_signal = dict(projects.order_by().values_list("signal").annotate(n=Count("id")))
    rows: dict[str, dict[str, Any]] = {}
    for row in (
        projects.order_by()
        .values("jurisdiction__name", "jurisdiction__short_name", "signal")
        .annotate(n=Count("id"), investment=Sum("total_investment"))
    ):
        label = row["jurisdiction__short_name"] or row["jurisdiction__name"]
        entry = rows.setdefault(
            label,
            {"label": label, "red": 0, "amber": 0, "green": 0, "count": 0, "investment": ZERO},
        )
        entry[row["signal"]] += row["n"]
        entry["count"] += row["n"]
        entry["investment"] += row["investment"] or ZERO
    plan = projects.filter(plan_year=year).aggregate(total=Sum("annual_plan"))["total"] or ZERO
    done = investment_completed(
        user=user, start=dt.date(year, 1, 1), end=dt.date(year, 12, 31), plan_year=year
    )
    monthly = dict(
        MonthlyReport.objects.visible_to(user)
        .filter(month__year=year)
        .order_by()
        .values_list("month__month")
        .annotate(total=Sum("invested_month"))
    )
    cumulative, running = [], ZERO
    for month in range(1, 13):
        running += monthly.get(month, ZERO)
        # Months not yet over show no point (their reports are not due).
        cumulative.append(float(running) if dt.date(year, month, 1) < month_start(today) else None)
    boards = sorted(rows.values(), key=lambda r: -r["count"])
    return {
        "year": year,
        "total": sum(by_signal.values()),
        "by_signal": {s: by_signal.get(s.value, 0) for s in Signal},
        "investment": projects.aggregate(total=Sum("total_investment"))["total"] or ZERO,
        "plan": plan,
        "plan_done": done,
        "plan_ratio": _ratio(done, plan),
        "boards": boards,
        "late": list(projects.filter(signal=Signal.RED.value).order_by("late_since", "name")[:20]),
        "open_issues": CoordinationIssue.objects.visible_to(user)
        .filter(status=IssueStatus.OPEN)
        .count(),
        "charts": {
            "signal": {
                "kind": "projectSignal",
                "items": [
                    {"name": SIGNAL_SHORT[s], "value": by_signal.get(s.value, 0), "signal": s.value}
                    for s in Signal
                ],
            },
            "boards": {
                "kind": "projectBoards",
                "labels": [b["label"] for b in boards],
                "red": [b["red"] for b in boards],
                "amber": [b["amber"] for b in boards],
                "green": [b["green"] for b in boards],
                "investment": [float(b["investment"]) for b in boards],
            },
            "plan": {
                "kind": "projectPlan",
                "labels": [f"{m}月" for m in range(1, 13)],
                "values": cumulative,
                "plan": float(plan),
            },
        },
    }


# ---------------------------------------------------------------- figures other apps read


def investment_completed(
    *, user: User, start: dt.date, end: dt.date, plan_year: int | None = None
) -> Decimal:
    """Investment completed (完成投资, 万元) in reports of months from `start` to `end`."""
    reports = MonthlyReport.objects.visible_to(user).filter(
        month__gte=month_start(start), month__lte=end
    )
    if plan_year is not None:
        reports = reports.filter(project__plan_year=plan_year)
    return reports.aggregate(total=Sum("invested_month"))["total"] or ZERO


def _milestone_reached(user: User, code: str, start: dt.date, end: dt.date) -> int:
    return (
        Milestone.objects.visible_to(user)
        .filter(kind__code=code, actual_on__gte=start, actual_on__lte=end)
        .values("project")
        .distinct()
        .count()
    )


def projects_started(*, user: User, start: dt.date, end: dt.date) -> int:
    """Key projects whose 开工 milestone was reached in the period (新开工项目数)."""
    return _milestone_reached(user, MILESTONE_START, start, end)


def projects_completed(*, user: User, start: dt.date, end: dt.date) -> int:
    """Key projects whose 竣工 milestone was reached in the period (竣工项目数)."""
    return _milestone_reached(user, MILESTONE_COMPLETION, start, end)


def funded_by_level(*, user: User, year: int | None = None) -> dict[str, dict[str, Any]]:
    """科技计划项目 by level: count, 财政资助 and accepted count (立项年度 `year`, or all)."""
    projects = FundedProject.objects.visible_to(user)
    if year is not None:
        projects = projects.filter(year=year)
    found = {
        row["level"]: row
        for row in projects.order_by()
        .values("level")
        .annotate(
            count=Count("id"),
            grant=Sum("funding_grant"),
            accepted=Count("id", filter=Q(acceptance_result=AcceptanceResult.PASSED)),
        )
    }
    return {
        level.value: {
            "label": level.label,
            "count": found.get(level.value, {}).get("count", 0),
            "grant": found.get(level.value, {}).get("grant") or ZERO,
            "accepted": found.get(level.value, {}).get("accepted", 0),
        }
        for level in Level
    }


# ---------------------------------------------------------------- 科技计划项目


def funded_filterset(*, user: User, params: Mapping[str, Any]) -> FundedProjectFilterSet:
    queryset = FundedProject.objects.visible_to(user).select_related(
        "enterprise", "jurisdiction", "officer"
    )
    return FundedProjectFilterSet(params, queryset=queryset, user=user)


def funded_list(*, user: User, params: Mapping[str, Any]) -> QuerySet[FundedProject]:
    return funded_filterset(user=user, params=params).qs


def funded_get(*, user: User, pk: int) -> FundedProject:
    return (
        FundedProject.objects.visible_to(user)
        .select_related("enterprise", "jurisdiction", "officer")
        .get(pk=pk)
    )


def funded_audit_events(*, user: User, project: FundedProject) -> list[AuditEvent]:
    return list(
        AuditEvent.objects.visible_to(user)
        .filter(object_type="projects.fundedproject", object_id=str(project.pk))
        .order_by("-created_at", "-id")[:50]
    )


def funded_summary(queryset: QuerySet[FundedProject]) -> dict[str, Any]:
    return queryset.aggregate(
        count=Count("id"),
        grant=Sum("funding_grant"),
        disbursed=Sum("funds_disbursed"),
        latest_year=Max("year"),
    )


# ---------------------------------------------------------------- enterprise timeline


def enterprise_timeline_items(enterprise: Any, user: User) -> list[TimelineItem]:
    """An enterprise's projects on its timeline: milestones reached, 科技计划 立项 and 验收."""
    items: list[TimelineItem] = []
    for milestone in (
        Milestone.objects.visible_to(user)
        .filter(project__enterprise=enterprise, actual_on__isnull=False)
        .select_related("kind", "project")
    ):
        project = milestone.project
        items.append(
            TimelineItem(
                milestone.actual_on,
                "重点项目",
                f"重点项目“{project.name}”{milestone.kind.name}",
                milestone.note,
                project.get_absolute_url(),
            )
        )
    for funded in FundedProject.objects.visible_to(user).filter(enterprise=enterprise):
        items.append(
            TimelineItem(
                funded.approved_on,
                "科技计划",
                f"{funded.get_level_display()}“{funded.programme}”立项：{funded.name}",
                f"财政资助{funded.funding_grant:,.2f}万元",
                funded.get_absolute_url(),
            )
        )
        if funded.acceptance_on:
            items.append(
                TimelineItem(
                    funded.acceptance_on,
                    "科技计划",
                    f"科技计划项目“{funded.name}”验收{funded.get_acceptance_result_display()}",
                    funded.acceptance_note,
                    funded.get_absolute_url(),
                )
            )
    return items


def home_overview(user: User) -> dict[str, Any]:
    """首页: the viewer's late key projects and missing monthly reports (bureau staff only)."""
    from xinzhi.accounts import permissions

    if not permissions.can_view_projects(user):
        return {}
    return {"project_warnings": warnings_for(user=user)}
