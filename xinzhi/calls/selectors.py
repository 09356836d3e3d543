"""Reads of the call engine; every one takes the acting user and applies scope."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, F, Prefetch, QuerySet, Window
from django.db.models.functions import Rank
from django.utils import timezone

from xinzhi.accounts import permissions
from xinzhi.accounts.choices import Role
from xinzhi.accounts.models import User
from xinzhi.calls.choices import ApplicationStatus, Stage
from xinzhi.calls.filters import ApplicationFilterSet
from xinzhi.calls.models import (
    Application,
    Assignment,
    Attachment,
    Call,
    ConflictRecord,
    Criterion,
    ReviewerRelation,
    Score,
)
from xinzhi.core.timeline import TimelineItem

RANKED_STATUSES = (
    ApplicationStatus.SUBMITTED,
    ApplicationStatus.IN_REVIEW,
    ApplicationStatus.APPROVED,
    ApplicationStatus.REJECTED,
)


def call_list(*, user: User) -> list[Call]:
    """Every call `user` may see (drafts: the admin only) with the applications `user` sees."""
    calls = Call.objects.all().prefetch_related("categories")
    if not permissions.sees_draft_calls(user):
        calls = calls.exclude(stage=Stage.DRAFT)
    calls = list(calls)
    counts = dict(
        Application.objects.visible_to(user)
        .exclude(status=ApplicationStatus.DRAFT)
        .values_list("call")
        .annotate(n=Count("id"))
        .values_list("call", "n")
    )
    for call in calls:
        call.visible_count = counts.get(call.pk, 0)
    return calls


def call_get(*, user: User, pk: int) -> Call:
    """One call; raises Call.DoesNotExist (→ 404). Drafts are visible to the bureau only."""
    queryset = Call.objects.prefetch_related("categories", "criteria")
    if not permissions.sees_draft_calls(user):
        queryset = queryset.exclude(stage=Stage.DRAFT)
    return queryset.get(pk=pk)


def call_stats(*, user: User, call: Call) -> dict[str, int]:
    """Applications by status among those `user` may see."""
    rows = (
        Application.objects.visible_to(user)
        .filter(call=call)
        .values_list("status")
        .annotate(n=Count("id"))
    )
    counts = dict(rows)
    return {
        "total": sum(n for s, n in counts.items() if s != ApplicationStatus.DRAFT),
        **{status: counts.get(status, 0) for status in ApplicationStatus.values},
    }


def application_filterset(
    *, user: User, call: Call, params: Mapping[str, Any], default_sort: str = "number"
) -> ApplicationFilterSet:
    """The bound filter set over `call`'s applications that `user` may see."""
    return ApplicationFilterSet(
        params,
        queryset=Application.objects.visible_to(user)
        .filter(call=call)
        .select_related("category", "applicant_jurisdiction", "call"),
        user=user,
        call=call,
        default_sort=default_sort,
    )


def application_list(*, user: User, call: Call, params: Mapping[str, Any]) -> QuerySet:
    return application_filterset(user=user, call=call, params=params).qs


def ranking(*, user: User, call: Call, params: Mapping[str, Any]) -> QuerySet:
    """Applications in the running or decided, ranked by aggregate score; ties share a rank."""
    filterset = application_filterset(user=user, call=call, params=params, default_sort="rank")
    return (
        filterset.qs.filter(status__in=RANKED_STATUSES)
        .annotate(
            rank=Window(Rank(), order_by=F("aggregate_score").desc(nulls_last=True)),
            tie_count=Window(Count("id"), partition_by=[F("aggregate_score")]),
        )
        .order_by(F("aggregate_score").desc(nulls_last=True), "number")
    )


def with_scores(queryset: QuerySet) -> QuerySet:
    """Prefetch each application's assignments with reviewer and current score."""
    return queryset.prefetch_related(
        Prefetch(
            "assignments",
            queryset=Assignment.all_objects.select_related("reviewer", "current_score").order_by(
                "id"
            ),
        )
    )


def application_get(*, user: User, pk: int) -> Application:
    """One application `user` may see; raises Application.DoesNotExist otherwise (→ 404)."""
    return (
        Application.objects.visible_to(user)
        .select_related("call", "category", "applicant_jurisdiction", "enterprise", "lead")
        .get(pk=pk)
    )


def applicant_view(user: User, applications: Any) -> Any:
    """Hide what `user` may not see, in memory (never saved), for page, API and export alike.

    Running scores (aggregate, number of scores, threshold flag) are the bureau's only: an
    expert must not see other reviewers' marks, nor an applicant its score. Decisions stay
    hidden from everyone but the bureau until the call's results are published.
    """
    for app in applications:
        if not permissions.sees_running_scores(user, app.call):
            app.aggregate_score, app.scores_count, app.below_threshold = None, 0, False
        decided = app.status in (ApplicationStatus.APPROVED, ApplicationStatus.REJECTED)
        if decided and not permissions.sees_unpublished_decisions(user, app.call):
            app.status = ApplicationStatus.IN_REVIEW
            app.certificate_no, app.grant_amount_yuan, app.decision_note = "", None, ""
            app.decided_at = None
    return applications


def application_attachments(*, user: User, application: Application) -> list[Attachment]:
    return list(Attachment.objects.visible_to(user).filter(application=application))


def attachment_get(*, user: User, pk: int) -> Attachment:
    return Attachment.objects.visible_to(user).select_related("application").get(pk=pk)


def application_assignments(*, user: User, application: Application) -> list[Assignment]:
    """Reviewers of an application; a reviewer sees only their own assignment."""
    queryset = Assignment.objects.visible_to(user).filter(application=application)
    if permissions.is_reviewer(user):
        queryset = queryset.filter(reviewer=user)
    return list(queryset.select_related("reviewer", "current_score").order_by("id"))


def application_conflicts(*, user: User, application: Application) -> list[ConflictRecord]:
    return list(
        ConflictRecord.objects.visible_to(user)
        .filter(application=application)
        .select_related("reviewer")
    )


def score_rows(
    assignments: list[Assignment], criteria: list[Criterion]
) -> list[tuple[Assignment, list[Any]]]:
    """Each assignment with its current score per criterion (None while unscored)."""
    return [
        (
            a,
            [a.current_score.item_score(c.pk) if a.current_score else None for c in criteria],
        )
        for a in assignments
    ]


def criteria_for(call: Call) -> list[Criterion]:
    return list(Criterion.objects.filter(call=call))


def review_list(*, user: User) -> QuerySet:
    """My assignments (我的评审任务), newest calls first; withdrawn ones are not tasks."""
    return (
        Assignment.objects.visible_to(user)
        .filter(reviewer=user, withdrawn_at__isnull=True)
        .select_related("application__call", "application__category", "current_score")
        .order_by("-application__call__year", "current_score", "application__number")
    )


def review_tasks(*, user: User) -> list[Assignment]:
    """My assignments with each application masked for me (no running scores)."""
    assignments = list(review_list(user=user))
    applicant_view(user, [a.application for a in assignments])
    return assignments


def review_get(*, user: User, pk: int) -> Assignment:
    """One assignment: the reviewer's own, or any in scope for the bureau (→ 404 otherwise)."""
    queryset = Assignment.objects.visible_to(user)
    if permissions.is_reviewer(user):
        queryset = queryset.filter(reviewer=user)
    return queryset.select_related(
        "application__call", "application__category", "reviewer", "current_score"
    ).get(pk=pk)


def score_history(*, user: User, assignment: Assignment) -> list[Score]:
    return list(Score.objects.visible_to(user).filter(assignment=assignment).order_by("-version"))


def reviewer_pool(*, user: User) -> QuerySet:
    """The expert pool (专家库) with workload; for the bureau."""
    return (
        User.objects.filter(role=Role.REVIEWER)
        .annotate(assignment_count=Count("review_assignments"))
        .order_by("username")
    )


def reviewer_relations(*, user: User) -> list[ReviewerRelation]:
    return list(ReviewerRelation.objects.visible_to(user).select_related("reviewer", "enterprise"))


@dataclass(frozen=True)
class Notice:
    """The public results notice (结果公示) of a call."""

    call: Call
    rows: list[Application]


def results_notice(*, call: Call) -> Notice:
    """Approved applications of a published call.

    A 公示 is public by definition, so this reads across jurisdictions on purpose and exposes
    only what the notice prints (number, applicant, project, category, certificate or grant).
    """
    if call.results_published_at is None:
        return Notice(call=call, rows=[])
    rows = list(
        Application.objects.unscoped()
        .filter(call=call, status=ApplicationStatus.APPROVED)
        .select_related("category", "applicant_jurisdiction")
        .only(
            "number",
            "title",
            "applicant_name",
            "certificate_no",
            "grant_amount_yuan",
            "category__name",
            "applicant_jurisdiction__name",
            "applicant_jurisdiction__short_name",
            "call_id",
            "aggregate_score",
        )
        .order_by("category__sort_order", "number")
    )
    return Notice(call=call, rows=rows)


def application_timeline_items(enterprise: Any, user: User) -> list[TimelineItem]:
    """An enterprise's applications and published results for its timeline (申报与认定)."""
    items: list[TimelineItem] = []
    applications = (
        Application.objects.visible_to(user)
        .filter(enterprise_id=enterprise.pk)
        .exclude(status=ApplicationStatus.DRAFT)
        .select_related("call", "category")
    )
    for app in applications:
        if app.submitted_at:
            items.append(
                TimelineItem(
                    timezone.localdate(app.submitted_at),
                    "申报",
                    f"申报{app.call.name}",
                    f"{app.category.name} · {app.title}",
                    app.get_absolute_url(),
                )
            )
        published = app.call.results_published_at
        if published and app.status in (ApplicationStatus.APPROVED, ApplicationStatus.REJECTED):
            if app.status == ApplicationStatus.APPROVED:
                detail = (
                    f"证书编号 {app.certificate_no}"
                    if app.certificate_no
                    else f"资助 {app.grant_amount_yuan:,.0f} 元"
                    if app.grant_amount_yuan
                    else ""
                )
            else:
                detail = "未通过"
            items.append(
                TimelineItem(
                    timezone.localdate(published),
                    "项目",
                    f"{app.call.get_kind_display()} {app.status_label}",
                    f"{app.title}{' · ' + detail if detail else ''}",
                    app.get_absolute_url(),
                )
            )
    return items
