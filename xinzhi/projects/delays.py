"""Delay warnings (进度预警), derived from milestones and reports — never typed.

Red (红灯): a milestone still open more than `late_grace_days` after its planned date.
Amber (黄灯): no red, but the report of the last month that is due is missing — the report of
month M is due by `report_due_day` of month M+1, and only for projects still reporting.
Both are SQL conditions, so the list filter, the ordering (late first), the dashboard counts and
the Excel export agree row for row.
"""

from __future__ import annotations

import datetime as dt

from django.db.models import (
    Case,
    Exists,
    IntegerField,
    Min,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models import CharField as TextValue
from django.utils import timezone

from xinzhi.projects.choices import REPORTING_STATUSES, Signal
from xinzhi.projects.models import Milestone, MonthlyReport, WarningSettings


def month_start(day: dt.date) -> dt.date:
    return day.replace(day=1)


def previous_month(month: dt.date) -> dt.date:
    return month_start(month_start(month) - dt.timedelta(days=1))


def next_month(month: dt.date) -> dt.date:
    return month_start(month_start(month) + dt.timedelta(days=32))


def due_month(today: dt.date, due_day: int) -> dt.date:
    """The latest month whose report must be in by `today` (上月 after the due day)."""
    last = previous_month(today)
    return last if today.day > due_day else previous_month(last)


def due_on(month: dt.date, due_day: int) -> dt.date:
    """The day the report of `month` is due (次月 `due_day` 日)."""
    return next_month(month).replace(day=due_day)


def _open_late(today: dt.date, grace: int) -> QuerySet[Milestone]:
    cutoff = today - dt.timedelta(days=grace)
    return Milestone.all_objects.filter(
        project=OuterRef("pk"), actual_on__isnull=True, planned_on__lt=cutoff
    )


def late_condition(today: dt.date, grace: int) -> Exists:
    return Exists(_open_late(today, grace))


def missing_condition(today: dt.date, due_day: int) -> Q:
    month = due_month(today, due_day)
    filed = MonthlyReport.all_objects.filter(project=OuterRef("pk"), month=month)
    return Q(status__in=REPORTING_STATUSES, reports_from__lte=month) & ~Exists(filed)


def with_signal(
    queryset: QuerySet, today: dt.date | None = None, rules: WarningSettings | None = None
) -> QuerySet:
    """Annotate key projects with `signal` (red/amber/green), `signal_rank` and `late_since`."""
    today = today or timezone.localdate()
    rules = rules or WarningSettings.current()
    late = late_condition(today, rules.late_grace_days)
    missing = missing_condition(today, rules.report_due_day)
    earliest = (
        _open_late(today, rules.late_grace_days)
        .order_by()
        .values("project")
        .annotate(first=Min("planned_on"))
        .values("first")
    )
    return queryset.annotate(
        signal=Case(
            When(late, then=Value(Signal.RED.value)),
            When(missing, then=Value(Signal.AMBER.value)),
            default=Value(Signal.GREEN.value),
            output_field=TextValue(),
        ),
        signal_rank=Case(
            When(late, then=Value(0)),
            When(missing, then=Value(1)),
            default=Value(2),
            output_field=IntegerField(),
        ),
        late_since=Subquery(earliest[:1]),
    )


def signal_q(signal: str, today: dt.date | None = None, rules: WarningSettings | None = None) -> Q:
    """The condition of one colour, for filters and counts."""
    today = today or timezone.localdate()
    rules = rules or WarningSettings.current()
    late = Q(late_condition(today, rules.late_grace_days))
    missing = missing_condition(today, rules.report_due_day)
    if signal == Signal.RED:
        return late
    if signal == Signal.AMBER:
        return ~late & missing
    return ~late & ~missing
