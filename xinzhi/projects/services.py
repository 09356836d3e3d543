"""Writes of 项目推进; each checks role and scope, validates, locks, and audits.

Concurrent edits: a project's `version` (and a report's, a funded project's) is read with the
form and checked under `select_for_update`; a stale write raises ConcurrentEditError (409).
Every refusal is a Chinese ApplicationError and leaves nothing written (one transaction).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Model
from django.utils import timezone

from xinzhi.accounts import permissions
from xinzhi.accounts.models import User
from xinzhi.core.audit import audit_record, diff, snapshot
from xinzhi.core.exceptions import ApplicationError, ConcurrentEditError
from xinzhi.core.models import AuditEvent
from xinzhi.projects.choices import (
    ACCEPTANCE_STAGE,
    DEFAULT_TYPES,
    MILESTONE_COMPLETION,
    MILESTONE_PRODUCTION,
    MILESTONE_START,
    FundedStage,
    IssueStatus,
    ProjectStatus,
)
from xinzhi.projects.delays import month_start
from xinzhi.projects.models import (
    CoordinationIssue,
    FundedProject,
    KeyProject,
    Milestone,
    MilestoneKind,
    MonthlyReport,
    ProjectType,
    ReportPhoto,
)

PROJECT_FIELDS = (
    "name",
    "project_type",
    "enterprise",
    "owner_name",
    "jurisdiction",
    "industry",
    "year",
    "total_investment",
    "land_area",
    "building_area",
    "capacity_text",
    "capacity_value",
    "capacity_unit",
    "plan_year",
    "annual_plan",
    "officer",
    "status",
    "reports_from",
    "summary",
)
REPORT_FIELDS = ("invested_month", "invested_total", "progress")
ISSUE_FIELDS = ("description", "owner", "due_on")
FUNDED_FIELDS = (
    "name",
    "level",
    "programme",
    "year",
    "code",
    "enterprise",
    "jurisdiction",
    "partners",
    "budget_total",
    "funding_grant",
    "funding_self",
    "funds_disbursed",
    "starts_on",
    "ends_on",
    "approved_on",
    "officer",
)
PHOTO_EXTENSIONS = ("jpg", "jpeg", "png", "webp")
PHOTO_MAX_BYTES = 10 * 1024 * 1024
# Status a completed milestone moves a project to, never backwards (开工 → 在建 …).
STATUS_AFTER = {
    MILESTONE_START: ProjectStatus.BUILDING,
    MILESTONE_COMPLETION: ProjectStatus.COMPLETED,
    MILESTONE_PRODUCTION: ProjectStatus.OPERATING,
}
STATUS_ORDER = [
    ProjectStatus.PREPARING,
    ProjectStatus.BUILDING,
    ProjectStatus.COMPLETED,
    ProjectStatus.OPERATING,
]


@dataclass(frozen=True)
class IssueSpec:
    """A coordination problem raised with a monthly report."""

    description: str
    owner: str
    due_on: dt.date | None = None


# ---------------------------------------------------------------- helpers


def _require_editor(actor: User) -> None:
    if not permissions.can_edit_projects(actor):
        raise ApplicationError("当前角色只能查看，不能修改项目。", code="forbidden")


def _require_jurisdiction(actor: User, jurisdiction_id: int | None) -> None:
    if jurisdiction_id not in actor.visible_jurisdiction_ids():
        raise ApplicationError("只能登记在您负责的板块内。", field="jurisdiction")


def _require_responsible(officer: User | None, jurisdiction_id: int) -> None:
    if officer is not None and not permissions.can_be_responsible_for(officer, jurisdiction_id):
        raise ApplicationError(
            f"{officer.display_name}不负责该项目所在板块，不能担任责任人。", field="officer"
        )


def _unknown_fields(data: Mapping[str, Any], allowed: tuple[str, ...]) -> None:
    unknown = set(data) - set(allowed)
    if unknown:
        raise ApplicationError(f"不支持的字段：{'、'.join(sorted(unknown))}")


def _locked(actor: User, model: type[Model], pk: int) -> Any:
    """Re-read a row through the actor's scope, locked for the rest of the transaction."""
    return model.objects.visible_to(actor).select_for_update().get(pk=pk)


def _check_version(current: Any, expected: int | None, what: str) -> None:
    if expected is not None and current.version != expected:
        raise ConcurrentEditError(f"该{what}已被他人修改，请刷新后在最新内容上重新编辑。")


def _today(today: dt.date | None) -> dt.date:
    return today or timezone.localdate()


def _wan(value: Decimal) -> str:
    return f"{value:,.2f}万元"


def _audit(
    actor: User, instance: Any, action: str, changes: dict | None = None, note: str = ""
) -> None:
    project = getattr(instance, "project", instance)
    audit_record(
        actor=actor,
        action=action,
        instance=instance,
        changes=changes,
        note=note,
        enterprise_id=project.enterprise_id,
        jurisdiction_id=project.jurisdiction_id,
    )


def types_ensure_defaults() -> list[ProjectType]:
    """The default project types and their milestones, created if missing (edited as data)."""
    for order, (code, name, kinds) in enumerate(DEFAULT_TYPES, start=1):
        project_type, _ = ProjectType.objects.get_or_create(
            code=code, defaults={"name": name, "order": order}
        )
        for index, (kind_code, kind_name) in enumerate(kinds, start=1):
            MilestoneKind.objects.get_or_create(
                project_type=project_type,
                code=kind_code,
                defaults={"order": index * 10, "name": kind_name},
            )
    return list(ProjectType.objects.filter(is_active=True))


# ---------------------------------------------------------------- key projects


def _check_project(project: KeyProject) -> None:
    if not project.enterprise_id and not project.owner_name.strip():
        raise ApplicationError("请选择建设单位（企业库）或填写建设单位名称。", field="owner_name")
    if (
        project.annual_plan is not None
        and project.total_investment is not None
        and project.annual_plan > project.total_investment
    ):
        raise ApplicationError(
            f"年度计划投资（{_wan(project.annual_plan)}）不能超过总投资"
            f"（{_wan(project.total_investment)}）。",
            field="annual_plan",
        )
    if project.annual_plan is not None and project.plan_year is None:
        raise ApplicationError("填写了年度计划投资，请同时填写计划年度。", field="plan_year")
    project.reports_from = month_start(project.reports_from)


@transaction.atomic
def key_project_create(
    *,
    actor: User,
    data: Mapping[str, Any],
    planned: Mapping[str, dt.date | None] | None = None,
    is_demo: bool = False,
) -> KeyProject:
    """Register a key project (登记重点项目) with its type's milestones (planned dates by code)."""
    _require_editor(actor)
    _unknown_fields(data, PROJECT_FIELDS)
    values = dict(data)
    values.setdefault("reports_from", timezone.localdate())
    project = KeyProject(**values, is_demo=is_demo)
    _require_jurisdiction(actor, project.jurisdiction_id)
    _require_responsible(project.officer, project.jurisdiction_id)
    _check_project(project)
    project.full_clean()
    planned = planned or {}
    unknown = set(planned) - set(project.project_type.milestones.values_list("code", flat=True))
    if unknown:
        raise ApplicationError(f"该项目类型没有这些节点：{'、'.join(sorted(unknown))}")
    project.save()
    Milestone.all_objects.bulk_create(
        Milestone(project=project, kind=kind, planned_on=planned.get(kind.code))
        for kind in project.project_type.milestones.all()
    )
    fields = list(PROJECT_FIELDS)
    _audit(
        actor,
        project,
        AuditEvent.Action.CREATE,
        diff(KeyProject, {}, {k: v for k, v in snapshot(project, fields).items() if v}),
    )
    return project


@transaction.atomic
def key_project_update(
    *, actor: User, project: KeyProject, data: Mapping[str, Any], expected_version: int | None
) -> KeyProject:
    """Change a key project's details (修改重点项目); the type is fixed once milestones exist."""
    _require_editor(actor)
    _unknown_fields(data, PROJECT_FIELDS)
    current = _locked(actor, KeyProject, project.pk)
    _check_version(current, expected_version, "项目")
    before = snapshot(current, list(PROJECT_FIELDS))
    old_type = current.project_type_id
    for name, value in data.items():
        setattr(current, name, value)
    if current.project_type_id != old_type:
        raise ApplicationError("项目类型决定建设节点，登记后不能更改。", field="project_type")
    _require_jurisdiction(actor, current.jurisdiction_id)
    _require_responsible(current.officer, current.jurisdiction_id)
    _check_project(current)
    current.full_clean()
    current.version += 1
    current.save()
    changes = diff(KeyProject, before, snapshot(current, list(PROJECT_FIELDS)))
    if changes:
        _audit(actor, current, AuditEvent.Action.UPDATE, changes)
    return current


@transaction.atomic
def milestone_record(
    *,
    actor: User,
    milestone: Milestone,
    planned_on: dt.date | None,
    actual_on: dt.date | None,
    note: str = "",
    expected_version: int | None = None,
    today: dt.date | None = None,
) -> Milestone:
    """Set a milestone's planned and actual dates (节点填报); completing 开工/竣工/投产 moves the
    project's status forward. `expected_version` is the project's version read with the form."""
    _require_editor(actor)
    today = _today(today)
    project = _locked(actor, KeyProject, milestone.project_id)
    _check_version(project, expected_version, "项目")
    current = Milestone.all_objects.select_related("kind").get(pk=milestone.pk)
    name = current.kind.name
    if actual_on is not None and actual_on > today:
        raise ApplicationError(
            f"“{name}”的实际日期（{actual_on:%Y-%m-%d}）不能晚于今天；尚未完成的节点请只填计划日期。",
            field="actual_on",
        )
    if actual_on is not None:
        earlier = (
            Milestone.all_objects.filter(
                project=project, kind__order__lt=current.kind.order, actual_on__gt=actual_on
            )
            .select_related("kind")
            .order_by("kind__order")
            .first()
        )
        if earlier is not None:
            raise ApplicationError(
                f"“{name}”的实际日期（{actual_on:%Y-%m-%d}）早于前一节点“{earlier.kind.name}”"
                f"的实际日期（{earlier.actual_on:%Y-%m-%d}），请核对。",
                field="actual_on",
            )
    fields = ["planned_on", "actual_on", "note"]
    before = snapshot(current, fields)
    current.planned_on, current.actual_on, current.note = planned_on, actual_on, note.strip()
    current.full_clean()
    current.save()
    changes = {
        key: {**value, "label": f"{name}{value['label']}"}
        for key, value in diff(Milestone, before, snapshot(current, fields)).items()
    }
    target = STATUS_AFTER.get(current.kind.code) if actual_on else None
    if (
        target
        and project.status in STATUS_ORDER
        and STATUS_ORDER.index(target) > STATUS_ORDER.index(project.status)
    ):
        changes["status"] = {
            "label": "项目状态",
            "before": project.get_status_display(),
            "after": ProjectStatus(target).label,
        }
        project.status = target
    project.version += 1
    project.save(update_fields=["status", "version", "updated_at"])
    if changes:
        _audit(actor, project, AuditEvent.Action.UPDATE, changes, note=f"节点填报：{name}")
    milestone.planned_on, milestone.actual_on, milestone.note = (
        current.planned_on,
        current.actual_on,
        current.note,
    )
    return current


@transaction.atomic
def milestones_record(
    *,
    actor: User,
    project: KeyProject,
    dates: Mapping[int, tuple[dt.date | None, dt.date | None]],
    expected_version: int | None,
    today: dt.date | None = None,
) -> int:
    """Set several milestones at once (节点计划批量填报), in milestone order, all or nothing.

    `dates` maps a milestone id to (planned, actual); unchanged ones are skipped. Returns how
    many milestones changed."""
    _require_editor(actor)
    current = _locked(actor, KeyProject, project.pk)
    _check_version(current, expected_version, "项目")
    milestones = Milestone.all_objects.filter(project=current, pk__in=list(dates)).select_related(
        "kind"
    )
    if len(milestones) != len(dates):
        raise ApplicationError("节点不属于该项目。")
    changed = 0
    for milestone in sorted(milestones, key=lambda m: m.kind.order):
        planned, actual = dates[milestone.pk]
        if (planned, actual) == (milestone.planned_on, milestone.actual_on):
            continue
        milestone_record(
            actor=actor,
            milestone=milestone,
            planned_on=planned,
            actual_on=actual,
            note=milestone.note,
            today=today,
        )
        changed += 1
    return changed


# ---------------------------------------------------------------- monthly reports


def _check_cumulative(report: MonthlyReport) -> None:
    """Cumulative investment never goes down month to month, and covers this month's."""
    if report.invested_total < report.invested_month:
        raise ApplicationError(
            f"累计完成投资（{_wan(report.invested_total)}）不能少于当月完成投资"
            f"（{_wan(report.invested_month)}）。",
            field="invested_total",
        )
    others = MonthlyReport.all_objects.filter(project_id=report.project_id).exclude(pk=report.pk)
    before = others.filter(month__lt=report.month).order_by("-month").first()
    if before is not None and report.invested_total < before.invested_total:
        raise ApplicationError(
            f"累计完成投资不能减少：{before.month:%Y年%m月}月报累计已达{_wan(before.invested_total)}，"
            f"本次填报{_wan(report.invested_total)}。",
            field="invested_total",
        )
    after = others.filter(month__gt=report.month).order_by("month").first()
    if after is not None and report.invested_total > after.invested_total:
        raise ApplicationError(
            f"累计完成投资不能超过之后{after.month:%Y年%m月}月报的累计"
            f"（{_wan(after.invested_total)}）。",
            field="invested_total",
        )


def _check_month(month: dt.date, today: dt.date) -> dt.date:
    month = month_start(month)
    if month > month_start(today):
        raise ApplicationError(f"不能填报未来月份（{month:%Y年%m月}）的月报。", field="month")
    return month


@transaction.atomic
def report_submit(
    *,
    actor: User,
    project: KeyProject,
    month: dt.date,
    data: Mapping[str, Any],
    issues: Iterable[IssueSpec] = (),
    photos: Iterable[UploadedFile] = (),
    today: dt.date | None = None,
    is_demo: bool = False,
) -> MonthlyReport:
    """File a month's progress report (报送月报), with problems to coordinate and site photos."""
    _require_editor(actor)
    _unknown_fields(data, REPORT_FIELDS)
    today = _today(today)
    current = _locked(actor, KeyProject, project.pk)
    month = _check_month(month, today)
    if MonthlyReport.all_objects.filter(project=current, month=month).exists():
        raise ApplicationError(
            f"{month:%Y年%m月}的月报已报送；如需更正，请修改该月月报。", field="month"
        )
    report = MonthlyReport(
        project=current, month=month, submitted_by=actor, is_demo=is_demo, **data
    )
    report.full_clean(exclude=["project", "month"])
    _check_cumulative(report)
    report.save()
    for spec in issues:
        _issue_add(actor, current, spec, report=report, on=today, is_demo=is_demo)
    for upload in photos:
        _photo_add(actor, report, upload)
    current.version += 1
    current.save(update_fields=["version", "updated_at"])
    _audit(
        actor,
        report,
        AuditEvent.Action.CREATE,
        diff(MonthlyReport, {}, snapshot(report, ["month", *REPORT_FIELDS])),
        note=f"报送{month:%Y年%m月}月报",
    )
    return report


@transaction.atomic
def report_update(
    *,
    actor: User,
    report: MonthlyReport,
    data: Mapping[str, Any],
    expected_version: int | None,
) -> MonthlyReport:
    """Correct a filed monthly report (修改月报)."""
    _require_editor(actor)
    _unknown_fields(data, REPORT_FIELDS)
    current = _locked(actor, MonthlyReport, report.pk)
    _check_version(current, expected_version, "月报")
    before = snapshot(current, list(REPORT_FIELDS))
    for name, value in data.items():
        setattr(current, name, value)
    current.full_clean(exclude=["project", "month"])
    _check_cumulative(current)
    current.version += 1
    current.save()
    changes = diff(MonthlyReport, before, snapshot(current, list(REPORT_FIELDS)))
    if changes:
        _audit(actor, current, AuditEvent.Action.UPDATE, changes)
    return current


def _photo_add(actor: User, report: MonthlyReport, upload: UploadedFile) -> ReportPhoto:
    name = (upload.name or "").rsplit("/", 1)[-1]
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if extension not in PHOTO_EXTENSIONS:
        raise ApplicationError(
            f"照片“{name}”格式不支持，请上传 {'、'.join(PHOTO_EXTENSIONS)} 文件。", field="photos"
        )
    if upload.size > PHOTO_MAX_BYTES:
        raise ApplicationError(f"照片“{name}”超过10MB。", field="photos")
    return ReportPhoto.all_objects.create(
        report=report, file=upload, name=name[:200], size=upload.size, uploaded_by=actor
    )


@transaction.atomic
def photo_add(*, actor: User, report: MonthlyReport, upload: UploadedFile) -> ReportPhoto:
    """Attach a site photo to a filed report (上传现场照片)."""
    _require_editor(actor)
    current = _locked(actor, MonthlyReport, report.pk)
    photo = _photo_add(actor, current, upload)
    _audit(actor, current, AuditEvent.Action.UPDATE, note=f"上传现场照片 {photo.name}")
    return photo


# ---------------------------------------------------------------- coordination problems


def _issue_add(
    actor: User,
    project: KeyProject,
    spec: IssueSpec,
    *,
    report: MonthlyReport | None,
    on: dt.date,
    is_demo: bool = False,
) -> CoordinationIssue:
    if not spec.description.strip():
        raise ApplicationError("请填写需协调问题的内容。", field="description")
    if not spec.owner.strip():
        raise ApplicationError(
            f"需协调问题“{spec.description.strip()[:20]}”请指定责任单位（人）。", field="owner"
        )
    if spec.due_on is not None and spec.due_on < on:
        raise ApplicationError("要求办结日期不能早于提出日期。", field="due_on")
    issue = CoordinationIssue(
        project=project,
        report=report,
        description=spec.description.strip(),
        owner=spec.owner.strip(),
        due_on=spec.due_on,
        raised_on=on,
        is_demo=is_demo,
    )
    issue.full_clean()
    issue.save()
    _audit(actor, issue, AuditEvent.Action.CREATE, note=f"需协调问题：{issue.description[:60]}")
    return issue


@transaction.atomic
def issue_create(
    *, actor: User, project: KeyProject, spec: IssueSpec, today: dt.date | None = None
) -> CoordinationIssue:
    """Raise a problem needing coordination (登记需协调问题) outside a monthly report."""
    _require_editor(actor)
    current = _locked(actor, KeyProject, project.pk)
    return _issue_add(actor, current, spec, report=None, on=_today(today))


@transaction.atomic
def issue_close(
    *,
    actor: User,
    issue: CoordinationIssue,
    resolution: str,
    on: dt.date | None = None,
    today: dt.date | None = None,
) -> CoordinationIssue:
    """Close a coordination problem (办结) with its resolution."""
    _require_editor(actor)
    today = _today(today)
    current = _locked(actor, CoordinationIssue, issue.pk)
    on = on or today
    if current.status == IssueStatus.CLOSED:
        raise ApplicationError("该问题已办结。")
    if not resolution.strip():
        raise ApplicationError("请填写办理结果。", field="resolution")
    if on > today:
        raise ApplicationError("办结日期不能晚于今天。", field="on")
    if on < current.raised_on:
        raise ApplicationError(
            f"办结日期不能早于提出日期（{current.raised_on:%Y-%m-%d}）。", field="on"
        )
    current.status, current.closed_on, current.resolution = (
        IssueStatus.CLOSED,
        on,
        resolution.strip(),
    )
    current.full_clean()
    current.save()
    _audit(
        actor,
        current,
        AuditEvent.Action.UPDATE,
        {"status": {"label": "办理状态", "before": "协调中", "after": "已办结"}},
        note=resolution.strip(),
    )
    return current


# ---------------------------------------------------------------- 科技计划项目


def _check_funded(project: FundedProject) -> None:
    grant, own, total = project.funding_grant, project.funding_self, project.budget_total
    if None not in (grant, own, total) and grant + own != total:
        raise ApplicationError(
            f"预算不平衡：财政资助{_wan(grant)} + 自筹{_wan(own)} = {_wan(grant + own)}，"
            f"与总预算{_wan(total)}不符。",
            field="budget_total",
        )
    if None not in (project.funds_disbursed, grant) and project.funds_disbursed > grant:
        raise ApplicationError(
            f"已拨付资助（{_wan(project.funds_disbursed)}）不能超过财政资助（{_wan(grant)}）。",
            field="funds_disbursed",
        )
    if project.starts_on and project.ends_on and project.ends_on <= project.starts_on:
        raise ApplicationError("实施结束日期须晚于开始日期。", field="ends_on")


@transaction.atomic
def funded_create(
    *,
    actor: User,
    data: Mapping[str, Any],
    is_demo: bool = False,
    today: dt.date | None = None,
) -> FundedProject:
    """Register a funded project (登记科技计划项目) at 立项."""
    _require_editor(actor)
    _unknown_fields(data, FUNDED_FIELDS)
    values = {"funds_disbursed": Decimal("0"), **data}
    if not values.get("jurisdiction") and values.get("enterprise"):
        values["jurisdiction"] = values["enterprise"].jurisdiction
    project = FundedProject(**values, is_demo=is_demo)
    _require_jurisdiction(actor, project.jurisdiction_id)
    _require_responsible(project.officer, project.jurisdiction_id)
    if project.approved_on and project.approved_on > _today(today):
        raise ApplicationError("立项日期不能晚于今天。", field="approved_on")
    _check_funded(project)
    project.full_clean()
    project.save()
    _audit(
        actor,
        project,
        AuditEvent.Action.CREATE,
        diff(
            FundedProject,
            {},
            {k: v for k, v in snapshot(project, list(FUNDED_FIELDS)).items() if v},
        ),
    )
    return project


@transaction.atomic
def funded_update(
    *,
    actor: User,
    project: FundedProject,
    data: Mapping[str, Any],
    expected_version: int | None,
    today: dt.date | None = None,
) -> FundedProject:
    """Change a funded project (修改科技计划项目), e.g. record funds disbursed (拨付)."""
    _require_editor(actor)
    _unknown_fields(data, FUNDED_FIELDS)
    current = _locked(actor, FundedProject, project.pk)
    _check_version(current, expected_version, "项目")
    before = snapshot(current, list(FUNDED_FIELDS))
    for name, value in data.items():
        setattr(current, name, value)
    _require_jurisdiction(actor, current.jurisdiction_id)
    _require_responsible(current.officer, current.jurisdiction_id)
    if current.approved_on and current.approved_on > _today(today):
        raise ApplicationError("立项日期不能晚于今天。", field="approved_on")
    _check_funded(current)
    current.full_clean()
    current.version += 1
    current.save()
    changes = diff(FundedProject, before, snapshot(current, list(FUNDED_FIELDS)))
    if changes:
        _audit(actor, current, AuditEvent.Action.UPDATE, changes)
    return current


def _check_stage_date(current: FundedProject, on: dt.date, today: dt.date, what: str) -> None:
    if on > today:
        raise ApplicationError(f"{what}日期不能晚于今天。", field="on")
    if on < current.approved_on:
        raise ApplicationError(
            f"{what}日期不能早于立项日期（{current.approved_on:%Y-%m-%d}）。", field="on"
        )


STAGE_FIELDS = (
    "stage",
    "midterm_on",
    "midterm_result",
    "midterm_note",
    "acceptance_on",
    "acceptance_result",
    "acceptance_note",
)


@transaction.atomic
def funded_midterm(
    *,
    actor: User,
    project: FundedProject,
    on: dt.date,
    result: str,
    note: str = "",
    expected_version: int | None = None,
    today: dt.date | None = None,
) -> FundedProject:
    """Record the mid-term check (中期检查)."""
    _require_editor(actor)
    today = _today(today)
    current = _locked(actor, FundedProject, project.pk)
    _check_version(current, expected_version, "项目")
    if current.stage not in (FundedStage.APPROVED, FundedStage.MIDTERM):
        raise ApplicationError(f"项目已{current.get_stage_display()}，不能再登记中期检查。")
    _check_stage_date(current, on, today, "中期检查")
    before = snapshot(current, list(STAGE_FIELDS))
    current.stage = FundedStage.MIDTERM
    current.midterm_on, current.midterm_result, current.midterm_note = on, result, note.strip()
    current.full_clean()
    current.version += 1
    current.save()
    _audit(
        actor,
        current,
        AuditEvent.Action.STAGE,
        diff(FundedProject, before, snapshot(current, list(STAGE_FIELDS))),
    )
    return current


@transaction.atomic
def funded_accept(
    *,
    actor: User,
    project: FundedProject,
    on: dt.date,
    result: str,
    note: str = "",
    expected_version: int | None = None,
    today: dt.date | None = None,
) -> FundedProject:
    """Record the acceptance (验收): 通过, 不通过 or 延期 (a postponed one is accepted later)."""
    _require_editor(actor)
    today = _today(today)
    current = _locked(actor, FundedProject, project.pk)
    _check_version(current, expected_version, "项目")
    if current.stage in (FundedStage.ACCEPTED, FundedStage.REJECTED):
        raise ApplicationError(f"项目已{current.get_stage_display()}，验收结论不能再登记。")
    if result not in ACCEPTANCE_STAGE:
        raise ApplicationError("请选择验收结论：通过、不通过或延期。", field="result")
    _check_stage_date(current, on, today, "验收")
    if current.midterm_on and on < current.midterm_on:
        raise ApplicationError(
            f"验收日期不能早于中期检查日期（{current.midterm_on:%Y-%m-%d}）。", field="on"
        )
    if result == "failed" and not note.strip():
        raise ApplicationError("验收不通过须填写验收意见。", field="note")
    before = snapshot(current, list(STAGE_FIELDS))
    current.stage = ACCEPTANCE_STAGE[result]
    current.acceptance_on, current.acceptance_result = on, result
    current.acceptance_note = note.strip()
    current.full_clean()
    current.version += 1
    current.save()
    _audit(
        actor,
        current,
        AuditEvent.Action.STAGE,
        diff(FundedProject, before, snapshot(current, list(STAGE_FIELDS))),
    )
    return current
