"""Writes of the call engine (项目申报与评审); each checks role and scope, validates and audits."""

from __future__ import annotations

import datetime as dt
import random
import re
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from xinzhi.accounts import permissions
from xinzhi.accounts.choices import Role
from xinzhi.accounts.models import User
from xinzhi.calls.choices import (
    ACTIVE_STATUSES,
    APPLICATION_FIELDS,
    CERTIFICATION_CRITERIA,
    DEFAULT_CRITERIA,
    OPTIONAL_STAGES,
    STAGE_ORDER,
    Aggregation,
    ApplicationStatus,
    AssignmentMethod,
    CallKind,
    ConflictReason,
    Stage,
)
from xinzhi.calls.models import (
    Application,
    Assignment,
    Attachment,
    Call,
    Category,
    ConflictRecord,
    Criterion,
    ReviewerRelation,
    Score,
    plain,
)
from xinzhi.core.audit import audit_record, diff, snapshot
from xinzhi.core.exceptions import ApplicationError, ConcurrentEditError
from xinzhi.core.models import AuditEvent
from xinzhi.enterprises.models import Enterprise

CALL_FIELDS = (
    "name",
    "kind",
    "year",
    "description",
    "opens_at",
    "closes_at",
    "reviewers_per_application",
    "aggregation",
    "certificate_prefix",
)
CALL_UPDATE_FIELDS = (
    "name",
    "description",
    "opens_at",
    "closes_at",
    "reviewers_per_application",
    "aggregation",
    "certificate_prefix",
)
APPLICATION_FIELDS_EDITABLE = ("title", "summary", "field", "requested_amount_yuan", "extra")
DECISION_FIELDS = ("status", "certificate_no", "grant_amount_yuan", "decision_note")
ATTACHMENT_EXTENSIONS = ("pdf", "doc", "docx", "xls", "xlsx", "jpg", "jpeg", "png", "zip", "rar")
ATTACHMENT_MAX_BYTES = 20 * 1024 * 1024
TWO_PLACES = Decimal("0.01")


# --- guards -------------------------------------------------------------------------------


def _require_admin(actor: User) -> None:
    if not permissions.can_manage_calls(actor):
        raise ApplicationError("只有区管理员可以执行此操作。", code="forbidden")


def _require_applicant_role(actor: User) -> None:
    if not permissions.can_apply(actor):
        raise ApplicationError("当前角色不能填报或撤回申报。", code="forbidden")


def _fmt(moment: dt.datetime) -> str:
    return timezone.localtime(moment).strftime("%Y年%m月%d日 %H:%M")


def call_accepting_error(call: Call, *, now: dt.datetime | None = None) -> str | None:
    """Why `call` accepts no application now (a Chinese message), or None if it does."""
    now = now or timezone.now()
    if call.stage == Stage.DRAFT:
        return "该申报通知尚未发布。"
    if call.stage != Stage.SUBMISSION:
        stage = call.get_stage_display()
        return f"本批次已截止申报，当前处于“{stage}”阶段，不再接受申报、修改或撤回。"
    if now < call.opens_at:
        return f"申报尚未开始，开始时间为{_fmt(call.opens_at)}。"
    if now > call.closes_at:
        return f"申报已于{_fmt(call.closes_at)}截止，不再接受申报、修改或撤回。"
    return None


def _require_accepting(call: Call) -> None:
    message = call_accepting_error(call)
    if message:
        raise ApplicationError(message, code="closed")


def _locked(actor: User, application: Application) -> Application:
    """The application re-read under a row lock through the actor's scope (→ DoesNotExist)."""
    return (
        Application.objects.visible_to(actor)
        .select_for_update()
        .select_related("call", "category")
        .get(pk=application.pk)
    )


def _audit_application(
    actor: User | None,
    application: Application,
    action: str,
    *,
    changes: dict | None = None,
    note: str = "",
    with_enterprise: bool = True,
) -> None:
    audit_record(
        actor=actor,
        action=action,
        instance=application,
        changes=changes,
        note=note,
        enterprise_id=application.enterprise_id if with_enterprise else None,
        jurisdiction_id=application.applicant_jurisdiction_id,
    )


def _quantize(value: Decimal) -> Decimal:
    return value.quantize(TWO_PLACES, rounding=ROUND_HALF_UP)


def _decimal(value: Any, *, field_name: str, label: str) -> Decimal | None:
    if value is None or value == "":
        return None
    try:
        return Decimal(str(value))
    except (InvalidOperation, ValueError) as exc:
        raise ApplicationError(f"{label}应为数字。", field=field_name) from exc


# --- calls ---------------------------------------------------------------------------------


@dataclass
class CategorySpec:
    name: str
    cap_yuan: Decimal | None = None
    required_fields: list[str] = field(default_factory=list)
    description: str = ""


@transaction.atomic
def call_create(
    *,
    actor: User,
    data: Mapping[str, Any],
    categories: Iterable[CategorySpec],
    criteria: Iterable[Mapping[str, Any]] | None = None,
    stages: Iterable[str] | None = None,
    is_demo: bool = False,
) -> Call:
    """Create a call (发布申报通知) with its categories and rubric; default rubric by kind."""
    _require_admin(actor)
    unknown = set(data) - set(CALL_FIELDS)
    if unknown:
        raise ApplicationError(f"不支持的字段：{'、'.join(sorted(unknown))}")
    call = Call(**data, is_demo=is_demo)
    call.stages = _clean_stages(stages if stages is not None else OPTIONAL_STAGES)
    if call.opens_at and call.closes_at and call.closes_at <= call.opens_at:
        raise ApplicationError("申报截止时间必须晚于开始时间。", field="closes_at")
    call.full_clean()
    call.save()
    specs = list(categories)
    if not specs:
        raise ApplicationError("至少需要一个申报类别。", field="categories")
    for order, spec in enumerate(specs):
        bad = [k for k in spec.required_fields if k not in APPLICATION_FIELDS]
        if bad:
            raise ApplicationError(f"未知的必填字段：{'、'.join(bad)}", field="categories")
        category = Category(
            call=call,
            name=spec.name,
            cap_yuan=spec.cap_yuan,
            required_fields=list(spec.required_fields),
            description=spec.description,
            sort_order=order,
        )
        category.full_clean()
        category.save()
    if criteria is None:
        defaults = (
            CERTIFICATION_CRITERIA if call.kind == CallKind.CERTIFICATION else DEFAULT_CRITERIA
        )
        criteria = [
            {
                "name": c.name,
                "weight": Decimal(c.weight),
                "descriptor": c.descriptor,
                "min_score": None if c.min_score is None else Decimal(c.min_score),
            }
            for c in defaults
        ]
    rows = [Criterion(call=call, sort_order=i, **dict(c)) for i, c in enumerate(criteria)]
    if not rows:
        raise ApplicationError("评分细则至少需要一项指标。", field="criteria")
    if sum(r.weight for r in rows) != Decimal(100):
        raise ApplicationError("评分指标的权重合计必须为100%。", field="criteria")
    for row in rows:
        if row.min_score is not None and not 0 <= row.min_score <= row.max_score:
            raise ApplicationError(f"“{row.name}”的门槛分应在0至满分之间。", field="criteria")
        row.full_clean()
    Criterion.objects.bulk_create(rows)
    audit_record(
        actor=actor,
        action=AuditEvent.Action.CREATE,
        instance=call,
        changes=diff(Call, {}, snapshot(call, [*CALL_FIELDS, "stages"])),
    )
    return call


def _clean_stages(stages: Iterable[str]) -> list[str]:
    chosen = set(stages)
    unknown = chosen - set(OPTIONAL_STAGES)
    if unknown:
        raise ApplicationError("申报与立项/认定阶段不能关闭。", field="stages")
    return [s for s in OPTIONAL_STAGES if s in chosen]


def _locked_call(call: Call, expected_version: int | None = None) -> Call:
    current = Call.objects.select_for_update().get(pk=call.pk)
    if expected_version is not None and current.version != expected_version:
        raise ConcurrentEditError()
    return current


def _save_call(actor: User, current: Call, before: dict, fields: list[str], note: str = "") -> Call:
    current.version = F("version") + 1
    current.save()
    current.refresh_from_db()
    changes = diff(Call, before, snapshot(current, fields))
    audit_record(
        actor=actor,
        action=AuditEvent.Action.STAGE if note else AuditEvent.Action.UPDATE,
        instance=current,
        changes=changes,
        note=note,
    )
    return current


@transaction.atomic
def call_update(*, actor: User, call: Call, data: Mapping[str, Any], expected_version: int) -> Call:
    """Change a call's dates, reviewer count or aggregation (修改申报通知)."""
    _require_admin(actor)
    unknown = set(data) - set(CALL_UPDATE_FIELDS)
    if unknown:
        raise ApplicationError(f"不支持的字段：{'、'.join(sorted(unknown))}")
    current = _locked_call(call, expected_version)
    fields = list(CALL_UPDATE_FIELDS)
    before = snapshot(current, fields)
    old_aggregation = current.aggregation
    for name, value in data.items():
        setattr(current, name, value)
    if current.closes_at <= current.opens_at:
        raise ApplicationError("申报截止时间必须晚于开始时间。", field="closes_at")
    current.full_clean()
    current = _save_call(actor, current, before, fields)
    if current.aggregation != old_aggregation:
        for application in Application.objects.unscoped().filter(call=current):
            application_recompute_scores(application=application)
    return current


@transaction.atomic
def call_set_stages(*, actor: User, call: Call, stages: Iterable[str]) -> Call:
    """Switch optional stages (形式审查, 专家评审, 结果公示) on or off."""
    _require_admin(actor)
    current = _locked_call(call)
    chosen = _clean_stages(stages)
    position = STAGE_ORDER.index(current.stage)
    for stage in OPTIONAL_STAGES:
        passed = STAGE_ORDER.index(stage) <= position
        if passed and (stage in chosen) != (stage in current.stages):
            label = Stage(stage).label
            raise ApplicationError(f"“{label}”阶段已经开始或已结束，不能再开关。", field="stages")
    before = snapshot(current, ["stages"])
    current.stages = chosen
    return _save_call(actor, current, before, ["stages"])


def _next_stage(call: Call) -> str | None:
    position = STAGE_ORDER.index(call.stage)
    for stage in STAGE_ORDER[position + 1 :]:
        if call.stage_enabled(stage):
            return stage
    return None


@transaction.atomic
def call_advance(*, actor: User, call: Call) -> Call:
    """Move a call to its next enabled stage (阶段切换); publishing is its own step."""
    _require_admin(actor)
    current = _locked_call(call)
    target = _next_stage(current)
    if target is None:
        raise ApplicationError("已是最后阶段。")
    if target in (Stage.PUBLICITY, Stage.FINAL) and current.results_published_at is None:
        raise ApplicationError("请先对全部申报作出决定并发布结果，再进入公示或立项/认定阶段。")
    before = snapshot(current, ["stage"])
    current.stage = target
    return _save_call(actor, current, before, ["stage"], note=f"进入“{Stage(target).label}”阶段")


@transaction.atomic
def call_open(*, actor: User, call: Call) -> Call:
    """Publish a draft call so applications can be filled in (发布申报)."""
    if call.stage != Stage.DRAFT:
        raise ApplicationError("该申报通知已发布。")
    return call_advance(actor=actor, call=call)


@transaction.atomic
def call_close(*, actor: User, call: Call) -> Call:
    """Close submission (截止申报) and move to the next stage; drafts stay unsubmitted."""
    _require_admin(actor)
    if Call.objects.get(pk=call.pk).stage != Stage.SUBMISSION:
        raise ApplicationError("本批次不在申报阶段，无需截止。")
    current = _locked_call(call)
    before = snapshot(current, ["stage", "closes_at"])
    now = timezone.now()
    current.closes_at = min(current.closes_at, now)
    target = _next_stage(current)
    current.stage = target
    return _save_call(
        actor,
        current,
        before,
        ["stage", "closes_at"],
        note=f"截止申报，进入“{Stage(target).label}”阶段",
    )


def decisions_open(call: Call) -> bool:
    return call.stage not in (Stage.DRAFT, Stage.SUBMISSION) and call.results_published_at is None


@transaction.atomic
def call_publish(*, actor: User, call: Call) -> Call:
    """Publish the results (结果公示): every application still in the running must be decided."""
    _require_admin(actor)
    current = _locked_call(call)
    if current.results_published_at is not None:
        raise ApplicationError("结果已经发布。")
    if not decisions_open(current):
        raise ApplicationError("申报尚未截止，不能发布结果。")
    undecided = (
        Application.objects.unscoped().filter(call=current, status__in=ACTIVE_STATUSES).count()
    )
    if undecided:
        raise ApplicationError(f"仍有{undecided}项申报未作出决定，不能发布结果。")
    before = snapshot(current, ["stage", "results_published_at"])
    current.results_published_at = timezone.now()
    if current.stage_enabled(Stage.PUBLICITY) and STAGE_ORDER.index(
        current.stage
    ) < STAGE_ORDER.index(Stage.PUBLICITY):
        current.stage = Stage.PUBLICITY
    else:
        current.stage = Stage.FINAL
    return _save_call(
        actor, current, before, ["stage", "results_published_at"], note="发布评审结果"
    )


# --- applications --------------------------------------------------------------------------


def _application_number(call: Call) -> str:
    prefix = "RD" if call.kind == CallKind.CERTIFICATION else "KX"
    taken = Application.objects.unscoped().filter(call=call).count()
    seq = taken + 1
    while (
        Application.objects.unscoped()
        .filter(call=call, number=f"{prefix}{call.year}-{seq:04d}")
        .exists()
    ):
        seq += 1
    return f"{prefix}{call.year}-{seq:04d}"


def _check_amount(category: Category, amount: Decimal | None) -> None:
    if amount is None:
        return
    if amount < 0:
        raise ApplicationError("申请金额不能为负数。", field="requested_amount_yuan")
    if category.cap_yuan is not None and amount > category.cap_yuan:
        raise ApplicationError(
            f"申请金额不能超过“{category.name}”的资助上限{category.cap_yuan:,.0f}元。",
            field="requested_amount_yuan",
        )


def _clean_extra(extra: Mapping[str, Any]) -> dict[str, Any]:
    unknown = [k for k in extra if k not in APPLICATION_FIELDS]
    if unknown:
        raise ApplicationError(f"不支持的申报字段：{'、'.join(unknown)}")
    cleaned: dict[str, Any] = {}
    for key, value in extra.items():
        if value is None or value == "":
            continue
        if isinstance(value, dt.date):
            value = value.isoformat()
        cleaned[key] = value
    return cleaned


def _apply_data(application: Application, data: Mapping[str, Any]) -> None:
    unknown = set(data) - set(APPLICATION_FIELDS_EDITABLE)
    if unknown:
        raise ApplicationError(f"不支持的字段：{'、'.join(sorted(unknown))}")
    for name, value in data.items():
        if name == "extra":
            value = _clean_extra(value or {})
        elif name == "requested_amount_yuan":
            value = _decimal(value, field_name=name, label="申请金额")
        setattr(application, name, value)
    _check_amount(application.category, application.requested_amount_yuan)


@transaction.atomic
def application_create(
    *,
    actor: User,
    call: Call,
    category: Category,
    data: Mapping[str, Any],
    enterprise: Enterprise | None = None,
    lead: Any = None,
    is_demo: bool = False,
    check_deadline: bool = True,
) -> Application:
    """Start an application (填写申报书) for an enterprise or a 招商 project (lead)."""
    _require_applicant_role(actor)
    call = Call.objects.select_for_update().get(pk=call.pk)
    if check_deadline:
        _require_accepting(call)
    if category.call_id != call.pk:
        raise ApplicationError("申报类别不属于该申报通知。", field="category")
    if permissions.is_enterprise_user(actor) and (
        lead is not None or enterprise is None or enterprise.pk != actor.enterprise_id
    ):
        raise ApplicationError("企业用户只能为本企业申报。", field="enterprise")
    if (enterprise is None) == (lead is None):
        raise ApplicationError("请选择申报企业或招商项目（二选一）。", field="enterprise")
    if lead is not None:
        from xinzhi.attraction.models import Lead

        if not Lead.objects.visible_to(actor).filter(pk=lead.pk).exists():
            raise ApplicationError("只能为您负责板块的招商项目申报。", field="lead")
        jurisdiction_id = lead.jurisdiction_id
        enterprise_id = lead.enterprise_id
        applicant_name = lead.enterprise.name if lead.enterprise_id else lead.name
    else:
        if not Enterprise.objects.visible_to(actor).filter(pk=enterprise.pk).exists():
            raise ApplicationError("只能为您负责板块的企业申报。", field="enterprise")
        jurisdiction_id = enterprise.jurisdiction_id
        enterprise_id = enterprise.pk
        applicant_name = enterprise.name
    application = Application(
        call=call,
        category=category,
        number=_application_number(call),
        enterprise_id=enterprise_id,
        lead=lead,
        applicant_name=applicant_name,
        applicant_jurisdiction_id=jurisdiction_id,
        created_by=actor,
        is_demo=is_demo,
    )
    _apply_data(application, data)
    application.full_clean()
    application.save()
    _audit_application(
        actor,
        application,
        AuditEvent.Action.CREATE,
        changes=diff(
            Application, {}, snapshot(application, ["call", "category", "title", "applicant_name"])
        ),
    )
    return application


# The services' state rules, also asked by pages to show or hide a button.
EDITABLE_STATUSES = (ApplicationStatus.DRAFT, ApplicationStatus.WITHDRAWN)


def application_editable(application: Application) -> bool:
    """修改申报书 / 上传附件 are possible in this state (the deadline aside)."""
    return application.status in EDITABLE_STATUSES


def application_withdrawable(application: Application) -> bool:
    return application.status == ApplicationStatus.SUBMITTED


def scoring_open(application: Application) -> bool:
    """Experts score only in 专家评审 and only applications in review."""
    return (
        application.call.stage == Stage.EXPERT_REVIEW
        and application.status == ApplicationStatus.IN_REVIEW
    )


@transaction.atomic
def application_update(
    *, actor: User, application: Application, data: Mapping[str, Any], expected_version: int
) -> Application:
    """Edit a draft or withdrawn application (修改申报书) before the deadline."""
    _require_applicant_role(actor)
    current = _locked(actor, application)
    if current.version != expected_version:
        raise ConcurrentEditError()
    _require_accepting(current.call)
    if current.status not in EDITABLE_STATUSES:
        raise ApplicationError("已提交的申报不能修改，请先撤回。")
    fields = list(APPLICATION_FIELDS_EDITABLE)
    before = snapshot(current, fields)
    _apply_data(current, data)
    current.full_clean()
    current.version = F("version") + 1
    current.save()
    current.refresh_from_db()
    changes = diff(Application, before, snapshot(current, fields))
    if changes:
        _audit_application(actor, current, AuditEvent.Action.UPDATE, changes=changes)
    return current


def _missing_fields(application: Application) -> list[str]:
    missing = []
    if not application.title.strip():
        missing.append("项目名称")
    for key in application.category.required_fields:
        value = application.extra.get(key)
        if value is None or str(value).strip() == "":
            missing.append(APPLICATION_FIELDS[key].label)
    return missing


@transaction.atomic
def application_submit(
    *, actor: User, application: Application, check_deadline: bool = True
) -> Application:
    """Submit (or resubmit after withdrawal) an application (提交申报) before the deadline."""
    _require_applicant_role(actor)
    current = _locked(actor, application)
    if check_deadline:
        _require_accepting(current.call)
    if current.status not in (ApplicationStatus.DRAFT, ApplicationStatus.WITHDRAWN):
        raise ApplicationError(f"该申报当前为“{current.get_status_display()}”，不能提交。")
    missing = _missing_fields(current)
    if missing:
        raise ApplicationError(f"请填写必填项：{'、'.join(missing)}。")
    _check_amount(current.category, current.requested_amount_yuan)
    before = snapshot(current, ["status"])
    resubmit = current.status == ApplicationStatus.WITHDRAWN
    current.status = ApplicationStatus.SUBMITTED
    current.submitted_at = timezone.now()
    current.version = F("version") + 1
    current.save()
    current.refresh_from_db()
    _audit_application(
        actor,
        current,
        AuditEvent.Action.UPDATE,
        changes=diff(Application, before, snapshot(current, ["status"])),
        note="重新提交申报" if resubmit else "提交申报",
    )
    return current


@transaction.atomic
def application_withdraw(*, actor: User, application: Application) -> Application:
    """Withdraw a submitted application (撤回申报); only before the deadline."""
    _require_applicant_role(actor)
    current = _locked(actor, application)
    _require_accepting(current.call)
    if not application_withdrawable(current):
        raise ApplicationError(f"该申报当前为“{current.get_status_display()}”，不能撤回。")
    before = snapshot(current, ["status"])
    current.status = ApplicationStatus.WITHDRAWN
    current.version = F("version") + 1
    current.save()
    current.refresh_from_db()
    _audit_application(
        actor,
        current,
        AuditEvent.Action.UPDATE,
        changes=diff(Application, before, snapshot(current, ["status"])),
        note="撤回申报",
    )
    return current


@transaction.atomic
def attachment_add(*, actor: User, application: Application, upload: UploadedFile) -> Attachment:
    """Attach a file (上传申报附件) to a draft or withdrawn application before the deadline."""
    _require_applicant_role(actor)
    current = _locked(actor, application)
    _require_accepting(current.call)
    if current.status not in (ApplicationStatus.DRAFT, ApplicationStatus.WITHDRAWN):
        raise ApplicationError("已提交的申报不能再上传附件，请先撤回。", field="file")
    name = (upload.name or "").rsplit("/", 1)[-1]
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if extension not in ATTACHMENT_EXTENSIONS:
        allowed = "、".join(ATTACHMENT_EXTENSIONS)
        raise ApplicationError(f"附件格式不支持，请上传 {allowed} 文件。", field="file")
    if upload.size > ATTACHMENT_MAX_BYTES:
        raise ApplicationError("附件不能超过20MB。", field="file")
    attachment = Attachment(
        application=current, file=upload, name=name[:200], size=upload.size, uploaded_by=actor
    )
    attachment.save()
    _audit_application(actor, current, AuditEvent.Action.UPDATE, note=f"上传附件 {name}")
    return attachment


@transaction.atomic
def application_formal_review(
    *, actor: User, application: Application, passed: bool, note: str = ""
) -> Application:
    """Record the formal check (形式审查); only in the 形式审查 stage."""
    _require_admin(actor)
    current = _locked(actor, application)
    if current.call.stage != Stage.FORMAL_REVIEW:
        raise ApplicationError("本批次不在形式审查阶段。")
    if current.status not in (ApplicationStatus.SUBMITTED, ApplicationStatus.FORMAL_FAILED):
        raise ApplicationError(f"该申报当前为“{current.get_status_display()}”，不能形式审查。")
    if not passed and not note.strip():
        raise ApplicationError("不通过时请填写形式审查意见。", field="note")
    before = snapshot(current, ["status", "formal_note"])
    current.status = ApplicationStatus.SUBMITTED if passed else ApplicationStatus.FORMAL_FAILED
    current.formal_note = note.strip() or "形式审查通过"
    current.version = F("version") + 1
    current.save()
    current.refresh_from_db()
    _audit_application(
        actor,
        current,
        AuditEvent.Action.UPDATE,
        changes=diff(Application, before, snapshot(current, ["status", "formal_note"])),
    )
    return current


# --- reviewers -----------------------------------------------------------------------------

_SPLIT = re.compile(r"[、,，;；/\s]+")


def expertise_tokens(text: str) -> set[str]:
    return {t for t in _SPLIT.split(text or "") if t}


def expertise_matches(reviewer: User, application: Application) -> bool:
    """Does the reviewer's 专业领域 cover the application's field? (no field: anyone)."""
    wanted = expertise_tokens(application.field)
    if not wanted:
        return True
    offered = expertise_tokens(reviewer.expertise)
    return any(w in o or o in w for w in wanted for o in offered)


def _normalise(name: str) -> str:
    return re.sub(r"[\s（）()]", "", name or "")


def reviewer_conflicts(
    reviewer: User, application: Application, declared: set[tuple[int, int]] | None = None
) -> list[tuple[str, str]]:
    """Conflicts of interest (利益冲突) as (reason, detail); empty when the reviewer may review."""
    reasons: list[tuple[str, str]] = []
    if (reviewer.enterprise_id and reviewer.enterprise_id == application.enterprise_id) or (
        application.created_by_id == reviewer.pk
    ):
        reasons.append((ConflictReason.OWN_APPLICATION, "专家本人为该项目的申报人"))
    employer = _normalise(reviewer.employer)
    if employer and employer == _normalise(application.applicant_name):
        reasons.append(
            (ConflictReason.SAME_EMPLOYER, f"专家工作单位“{reviewer.employer}”即申报单位")
        )
    if application.enterprise_id:
        if declared is None:
            declared = set(
                ReviewerRelation.objects.unscoped()
                .filter(reviewer=reviewer, enterprise_id=application.enterprise_id)
                .values_list("reviewer_id", "enterprise_id")
            )
        if (reviewer.pk, application.enterprise_id) in declared:
            reasons.append((ConflictReason.DECLARED_RELATION, "专家已声明与申报企业存在利益关系"))
    return reasons


def _require_assignable(application: Application) -> None:
    call = application.call
    if not call.stage_enabled(Stage.EXPERT_REVIEW):
        raise ApplicationError("本批次未启用专家评审阶段。")
    if call.stage not in (Stage.FORMAL_REVIEW, Stage.EXPERT_REVIEW):
        raise ApplicationError("只能在形式审查或专家评审阶段分配评审专家。")
    if application.status not in ACTIVE_STATUSES:
        label = application.get_status_display()
        raise ApplicationError(f"该申报当前为“{label}”，不能分配评审专家。")


def _assign(
    *, actor: User, application: Application, reviewer: User, method: str, is_demo: bool = False
) -> Assignment:
    assignment = Assignment.objects.unscoped().create(
        application=application,
        reviewer=reviewer,
        method=method,
        assigned_by=actor,
        is_demo=is_demo,
    )
    if application.status == ApplicationStatus.SUBMITTED:
        Application.objects.unscoped().filter(pk=application.pk).update(
            status=ApplicationStatus.IN_REVIEW
        )
        application.status = ApplicationStatus.IN_REVIEW
    return assignment


@transaction.atomic
def assignment_create(
    *, actor: User, application: Application, reviewer: User, is_demo: bool = False
) -> Assignment:
    """Assign a reviewer by hand (手工指定评审专家); refuses on a conflict of interest."""
    _require_admin(actor)
    current = _locked(actor, application)
    _require_assignable(current)
    if reviewer.role != Role.REVIEWER or not reviewer.is_active:
        raise ApplicationError("只能分配在库的评审专家。", field="reviewer")
    if Assignment.objects.unscoped().filter(application=current, reviewer=reviewer).exists():
        raise ApplicationError(f"{reviewer.display_name}已分配到此申报。", field="reviewer")
    conflicts = reviewer_conflicts(reviewer, current)
    if conflicts:
        reasons = "；".join(ConflictReason(r).label for r, _ in conflicts)
        raise ApplicationError(f"{reviewer.display_name}需回避：{reasons}。", field="reviewer")
    assignment = _assign(
        actor=actor,
        application=current,
        reviewer=reviewer,
        method=AssignmentMethod.MANUAL,
        is_demo=is_demo,
    )
    audit_record(
        actor=actor,
        action=AuditEvent.Action.CREATE,
        instance=assignment,
        note=f"手工指定评审专家 {reviewer.display_name}",
        jurisdiction_id=current.applicant_jurisdiction_id,
    )
    return assignment


@dataclass
class DeclarationResult:
    """A declared relation and the assignments it withdrew (回避撤回)."""

    relation: ReviewerRelation
    withdrawn: list[Assignment] = field(default_factory=list)


@transaction.atomic
def reviewer_relation_declare(
    *, actor: User, reviewer: User, enterprise: Enterprise, relation: str
) -> DeclarationResult:
    """Record a reviewer's relation with an enterprise (利益关系声明) and apply it at once.

    The expert themself or the bureau admin declares it. Every standing assignment of that
    expert to a still undecided application of the enterprise is withdrawn with the reason
    recorded (a conflict record too), its score leaves the aggregate and a redraw can fill
    the place; the expert can no longer score it.
    """
    if not (permissions.can_manage_calls(actor) or actor.pk == reviewer.pk):
        raise ApplicationError("只有专家本人或区管理员可以登记利益关系。", code="forbidden")
    if reviewer.role != Role.REVIEWER:
        raise ApplicationError("只能为评审专家登记利益关系。", field="reviewer")
    relation = (relation or "").strip()
    if not relation:
        raise ApplicationError("请说明利益关系。", field="relation")
    record = ReviewerRelation.objects.unscoped().filter(reviewer=reviewer, enterprise=enterprise)
    declared = record.first()
    if declared is None:
        declared = ReviewerRelation(reviewer=reviewer, enterprise=enterprise, relation=relation)
        declared.full_clean()
        declared.save()
        audit_record(
            actor=actor,
            action=AuditEvent.Action.CREATE,
            instance=declared,
            note=f"登记利益关系：{reviewer.display_name} — {enterprise.name}：{relation}",
            jurisdiction_id=enterprise.jurisdiction_id,
        )
    result = DeclarationResult(relation=declared)
    standing = (
        Assignment.objects.unscoped()
        .select_for_update()
        .select_related("application")
        .filter(
            reviewer=reviewer,
            withdrawn_at__isnull=True,
            application__enterprise=enterprise,
            application__status__in=ACTIVE_STATUSES,
        )
    )
    reason = f"回避：专家已声明与申报企业存在利益关系（{declared.relation}）"
    for assignment in standing:
        Assignment.objects.unscoped().filter(pk=assignment.pk).update(
            withdrawn_at=timezone.now(), withdrawn_reason=reason[:200]
        )
        ConflictRecord.objects.unscoped().get_or_create(
            application=assignment.application,
            reviewer=reviewer,
            reason=ConflictReason.DECLARED_RELATION,
            defaults={"detail": "分配后声明利益关系，已撤回评审任务"},
        )
        application_recompute_scores(application=assignment.application)
        audit_record(
            actor=actor,
            action=AuditEvent.Action.UPDATE,
            instance=assignment,
            note=f"撤回评审任务：{reason}",
            jurisdiction_id=assignment.application.applicant_jurisdiction_id,
        )
        result.withdrawn.append(assignment)
    return result


@dataclass
class DrawResult:
    """Outcome of a random draw (随机抽取评审专家)."""

    assigned: int = 0
    skipped: int = 0
    short: list[str] = field(default_factory=list)  # numbers still short of reviewers


@transaction.atomic
def reviewers_draw(
    *,
    actor: User,
    call: Call,
    rng: random.Random | None = None,
    only: Iterable[int] | None = None,
    pool: Iterable[User] | None = None,
    is_demo: bool = False,
) -> DrawResult:
    """Draw reviewers at random from the matching pool for every application still short.

    Every matching expert with a conflict (same employer, declared relation, own application)
    is excluded and each reason recorded (回避记录); among the others, those with fewer
    assignments in this call are preferred, ties broken at random.
    `only` limits the draw to some applications, `pool` to some experts (专家组).
    """
    _require_admin(actor)
    call = Call.objects.select_for_update().get(pk=call.pk)
    rng = rng or random.SystemRandom()
    queryset = Application.objects.visible_to(actor).filter(call=call, status__in=ACTIVE_STATUSES)
    if only is not None:
        queryset = queryset.filter(pk__in=list(only))
    applications = list(queryset.order_by("number"))
    result = DrawResult()
    if not applications:
        return result
    _require_assignable(applications[0])
    pool = sorted(
        (r for r in pool if r.role == Role.REVIEWER and r.is_active)
        if pool is not None
        else User.objects.filter(role=Role.REVIEWER, is_active=True),
        key=lambda r: r.pk,
    )
    existing: dict[int, set[int]] = defaultdict(set)
    load: dict[int, int] = defaultdict(int)
    withdrawn: dict[int, int] = defaultdict(int)
    for app_id, reviewer_id, withdrawn_at in (
        Assignment.objects.unscoped()
        .filter(application__call=call)
        .values_list("application_id", "reviewer_id", "withdrawn_at")
    ):
        existing[app_id].add(reviewer_id)  # never the same expert twice, withdrawn or not
        if withdrawn_at is None:
            load[reviewer_id] += 1
        else:
            withdrawn[app_id] += 1
    declared = set(
        ReviewerRelation.objects.unscoped()
        .filter(enterprise_id__in={a.enterprise_id for a in applications if a.enterprise_id})
        .values_list("reviewer_id", "enterprise_id")
    )
    recorded = set(
        ConflictRecord.objects.unscoped()
        .filter(application__call=call)
        .values_list("application_id", "reviewer_id", "reason")
    )
    skips: list[ConflictRecord] = []
    for application in applications:
        standing = len(existing[application.pk]) - withdrawn[application.pk]
        needed = call.reviewers_per_application - standing
        if needed <= 0:
            continue
        candidates = [
            r
            for r in pool
            if r.pk not in existing[application.pk] and expertise_matches(r, application)
        ]
        eligible = []
        for reviewer in candidates:
            conflicts = reviewer_conflicts(reviewer, application, declared)
            if not conflicts:
                eligible.append(reviewer)
                continue
            result.skipped += 1
            for reason, detail in conflicts:
                key = (application.pk, reviewer.pk, reason)
                if key not in recorded:
                    recorded.add(key)
                    skips.append(
                        ConflictRecord(
                            application=application,
                            reviewer=reviewer,
                            reason=reason,
                            detail=detail,
                            is_demo=is_demo,
                        )
                    )
        rng.shuffle(eligible)
        eligible.sort(key=lambda r: load[r.pk])  # stable: random among equally loaded experts
        for reviewer in eligible[:needed]:
            _assign(
                actor=actor,
                application=application,
                reviewer=reviewer,
                method=AssignmentMethod.RANDOM,
                is_demo=is_demo,
            )
            existing[application.pk].add(reviewer.pk)
            load[reviewer.pk] += 1
            needed -= 1
            result.assigned += 1
        if needed > 0:
            result.short.append(application.number)
    ConflictRecord.objects.unscoped().bulk_create(skips)
    audit_record(
        actor=actor,
        action=AuditEvent.Action.OTHER,
        instance=call,
        note=f"随机抽取评审专家：分配{result.assigned}人次，回避{result.skipped}人次",
    )
    return result


# --- scoring -------------------------------------------------------------------------------


def score_total(criteria: Iterable[Criterion], items: Mapping[int, Decimal]) -> Decimal:
    """Weighted total on a 100-point scale: Σ score ÷ 满分 × 权重."""
    total = sum((items[c.pk] / c.max_score * c.weight for c in criteria), start=Decimal(0))
    return _quantize(total)


@transaction.atomic
def score_submit(
    *,
    actor: User,
    assignment: Assignment,
    items: Mapping[int, Any],
    comment: str = "",
    reason: str = "",
    is_demo: bool = False,
) -> Score:
    """Submit a score (提交评分). It is frozen; a re-score is a new version, allowed once per
    approved request (see `rescore_request`), carrying the request's reason."""
    current = (
        Assignment.objects.visible_to(actor)
        .select_for_update()
        .select_related("application__call")
        .get(pk=assignment.pk)
    )
    if current.reviewer_id != actor.pk:
        raise ApplicationError("只有被分配的评审专家本人可以评分。", code="forbidden")
    if current.is_withdrawn:
        raise ApplicationError(
            f"该评审任务已撤回，不能评分：{current.withdrawn_reason}", code="forbidden"
        )
    application = current.application
    call = application.call
    if call.stage != Stage.EXPERT_REVIEW:
        raise ApplicationError(f"本批次当前处于“{call.get_stage_display()}”阶段，不能评分。")
    if application.status != ApplicationStatus.IN_REVIEW:
        raise ApplicationError(f"该申报当前为“{application.get_status_display()}”，不能评分。")
    criteria = list(Criterion.objects.filter(call=call))
    values: dict[int, Decimal] = {}
    for criterion in criteria:
        raw = items.get(criterion.pk, items.get(str(criterion.pk)))
        value = _decimal(raw, field_name=f"c{criterion.pk}", label=criterion.name)
        if value is None:
            raise ApplicationError(f"请为“{criterion.name}”打分。", field=f"c{criterion.pk}")
        if not 0 <= value <= criterion.max_score:
            raise ApplicationError(
                f"“{criterion.name}”的得分应在0至{plain(criterion.max_score)}之间。",
                field=f"c{criterion.pk}",
            )
        values[criterion.pk] = value
    extra = set(map(str, items)) - {str(c.pk) for c in criteria}
    if extra:
        raise ApplicationError("评分包含不属于本批次的指标。")
    previous = (
        Score.objects.unscoped().filter(assignment=current).order_by("-version").first()
        if current.current_score_id
        else None
    )
    if previous is not None:
        if not current.rescore_approved:
            raise ApplicationError(RESCORE_RULE, field="reason")
        # The reason is the one the admin approved; it stays on the new version and in the log.
        reason = current.rescore_reason
    score = Score(
        assignment=current,
        version=(previous.version + 1) if previous else 1,
        items={str(k): format(v, "f") for k, v in values.items()},
        total=score_total(criteria, values),
        comment=comment.strip(),
        reason=reason if previous else "",
        is_demo=is_demo,
    )
    score.full_clean()
    score.save()
    Assignment.objects.unscoped().filter(pk=current.pk).update(
        current_score=score,
        rescore_reason="",
        rescore_requested_at=None,
        rescore_approved_at=None,
        rescore_approved_by=None,
    )
    current.current_score = score
    application_recompute_scores(application=application)
    # Reviewer identities stay off the enterprise's own audit trail.
    audit_record(
        actor=actor,
        action=AuditEvent.Action.CREATE,
        instance=score,
        note=f"第{score.version}版评分 {score.total}" + (f"；理由：{reason}" if previous else ""),
        jurisdiction_id=application.applicant_jurisdiction_id,
    )
    return score


RESCORE_RULE = "评分提交后即冻结；如需重新评分，请填写理由申请，经区管理员批准后提交新版本。"


def _require_scoring_open(assignment: Assignment) -> None:
    application = assignment.application
    call = application.call
    if call.stage != Stage.EXPERT_REVIEW:
        raise ApplicationError(f"本批次当前处于“{call.get_stage_display()}”阶段，不能重新评分。")
    if application.status != ApplicationStatus.IN_REVIEW:
        raise ApplicationError(f"该申报当前为“{application.get_status_display()}”，不能重新评分。")
    if assignment.is_withdrawn:
        raise ApplicationError(f"该评审任务已撤回：{assignment.withdrawn_reason}")


@transaction.atomic
def rescore_request(*, actor: User, assignment: Assignment, reason: str) -> Assignment:
    """Ask to re-score (申请重新评分) a submitted score, with a reason, while in 专家评审."""
    current = (
        Assignment.objects.visible_to(actor)
        .select_for_update()
        .select_related("application__call")
        .get(pk=assignment.pk)
    )
    if current.reviewer_id != actor.pk:
        raise ApplicationError("只有被分配的评审专家本人可以申请重新评分。", code="forbidden")
    _require_scoring_open(current)
    if not current.is_scored:
        raise ApplicationError("尚未提交评分，直接评分即可。")
    if current.rescore_requested_at is not None:
        raise ApplicationError("已申请重新评分，请等待区管理员处理。")
    reason = (reason or "").strip()
    if not reason:
        raise ApplicationError("请填写重新评分的理由。", field="reason")
    current.rescore_reason = reason[:500]
    current.rescore_requested_at = timezone.now()
    current.save(update_fields=["rescore_reason", "rescore_requested_at"])
    audit_record(
        actor=actor,
        action=AuditEvent.Action.OTHER,
        instance=current,
        note=f"申请重新评分；理由：{current.rescore_reason}",
        jurisdiction_id=current.application.applicant_jurisdiction_id,
    )
    return current


@transaction.atomic
def rescore_approve(*, actor: User, assignment: Assignment) -> Assignment:
    """Approve a re-score request (批准重新评分); the expert may then submit one new version."""
    _require_admin(actor)
    current = (
        Assignment.objects.visible_to(actor)
        .select_for_update()
        .select_related("application__call", "reviewer")
        .get(pk=assignment.pk)
    )
    _require_scoring_open(current)
    if not current.rescore_pending:
        raise ApplicationError("没有待批准的重新评分申请。")
    current.rescore_approved_at = timezone.now()
    current.rescore_approved_by = actor
    current.save(update_fields=["rescore_approved_at", "rescore_approved_by"])
    audit_record(
        actor=actor,
        action=AuditEvent.Action.OTHER,
        instance=current,
        note=f"批准重新评分；理由：{current.rescore_reason}",
        jurisdiction_id=current.application.applicant_jurisdiction_id,
    )
    return current


def aggregate(totals: list[Decimal], method: str) -> Decimal | None:
    """Mean (算术平均) or trimmed mean (去掉一个最高分和一个最低分，三人及以上时)."""
    if not totals:
        return None
    values = sorted(totals)
    if method == Aggregation.TRIMMED_MEAN and len(values) >= 3:
        values = values[1:-1]
    return _quantize(sum(values, start=Decimal(0)) / len(values))


def application_recompute_scores(*, application: Application) -> Application:
    """Refresh the aggregate score and threshold flag from the current scores (system job)."""
    call = Call.objects.get(pk=application.call_id)
    scores = list(
        Score.objects.unscoped().filter(
            assignment__application_id=application.pk,
            assignment__current_score=F("pk"),
            assignment__withdrawn_at__isnull=True,
        )
    )
    criteria = list(Criterion.objects.filter(call=call, min_score__isnull=False))
    below = False
    for criterion in criteria:
        marks = [s.item_score(criterion.pk) for s in scores]
        marks = [m for m in marks if m is not None]
        if marks and sum(marks) / len(marks) < criterion.min_score:
            below = True
    value = aggregate([s.total for s in scores], call.aggregation)
    Application.objects.unscoped().filter(pk=application.pk).update(
        aggregate_score=value, scores_count=len(scores), below_threshold=below
    )
    application.aggregate_score, application.scores_count = value, len(scores)
    application.below_threshold = below
    return application


# --- decisions -----------------------------------------------------------------------------


def _certificate_no(call: Call) -> str:
    prefix = call.certificate_prefix or f"WJRD{call.year}-"
    seq = (
        Application.objects.unscoped().filter(call=call, certificate_no__startswith=prefix).count()
        + 1
    )
    while Application.objects.unscoped().filter(certificate_no=f"{prefix}{seq:04d}").exists():
        seq += 1
    return f"{prefix}{seq:04d}"


@transaction.atomic
def application_decide(
    *,
    actor: User,
    application: Application,
    approved: bool,
    certificate_no: str = "",
    grant_amount_yuan: Decimal | None = None,
    note: str = "",
) -> Application:
    """Decide pass or fail (作出认定/立项决定): a certificate number for 认定, a grant otherwise."""
    _require_admin(actor)
    current = _locked(actor, application)
    call = current.call
    if not decisions_open(call):
        if call.results_published_at:
            raise ApplicationError("结果已发布，不能再修改决定。")
        raise ApplicationError("申报尚未截止，不能作出决定。")
    decidable = (*ACTIVE_STATUSES, ApplicationStatus.APPROVED, ApplicationStatus.REJECTED)
    if current.status not in decidable:
        raise ApplicationError(f"该申报当前为“{current.get_status_display()}”，不能作出决定。")
    before = snapshot(current, list(DECISION_FIELDS))
    current.decision_note = note.strip()
    current.decided_at = timezone.now()
    if not approved:
        current.status = ApplicationStatus.REJECTED
        current.certificate_no = ""
        current.grant_amount_yuan = None
    elif call.is_certification:
        current.status = ApplicationStatus.APPROVED
        current.grant_amount_yuan = None
        current.certificate_no = (
            certificate_no.strip() or current.certificate_no or _certificate_no(call)
        )
    else:
        amount = _decimal(grant_amount_yuan, field_name="grant_amount_yuan", label="资助金额")
        if amount is None or amount <= 0:
            raise ApplicationError("立项须填写资助金额（元）。", field="grant_amount_yuan")
        cap = current.category.cap_yuan
        if cap is not None and amount > cap:
            raise ApplicationError(
                f"资助金额不能超过“{current.category.name}”的上限{cap:,.0f}元。",
                field="grant_amount_yuan",
            )
        current.status = ApplicationStatus.APPROVED
        current.certificate_no = ""
        current.grant_amount_yuan = amount
    current.full_clean()
    current.version = F("version") + 1
    current.save()
    current.refresh_from_db()
    _audit_application(
        actor,
        current,
        AuditEvent.Action.UPDATE,
        changes=diff(Application, before, snapshot(current, list(DECISION_FIELDS))),
        note="作出决定（公示前对申报单位不可见）",
        with_enterprise=False,
    )
    return current
