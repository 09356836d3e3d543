"""Writes of the 科技招商 pipeline; each checks role and scope, validates and audits.

A stage move (阶段变更) is always `lead_move`: it enforces the skip rules kept on the Stage data,
records a StageChange (date, person, note, days spent in the previous stage) and an audit event.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from xinzhi.accounts import permissions
from xinzhi.accounts.models import User
from xinzhi.attraction.choices import (
    STAGE_REGISTERED,
    AftercareStatus,
    LeadStatus,
    LostReason,
    ReferralStatus,
)
from xinzhi.attraction.models import (
    AftercareRequest,
    Docking,
    Lead,
    Stage,
    StageChange,
    TalentReferral,
)
from xinzhi.core.audit import audit_record, diff, snapshot
from xinzhi.core.exceptions import ApplicationError, ConcurrentEditError
from xinzhi.core.models import AuditEvent
from xinzhi.enterprises import services as enterprise_services
from xinzhi.enterprises.models import Enterprise
from xinzhi.enterprises.validators import credit_code_problem, normalize_credit_code

DEFAULT_STAGES = (
    # order, code, name, stale_after_days, may_skip
    (10, "clue", "线索", 30, False),
    (20, "docking", "对接", 30, False),
    (30, "negotiation", "洽谈", 45, False),
    (40, "signed", "签约", 60, False),
    (50, STAGE_REGISTERED, "落地注册", 90, False),
    (60, "production", "投产", None, False),
)
LEAD_FIELDS = (
    "name",
    "summary",
    "source_region",
    "channel",
    "segment",
    "scale_stage",
    "planned_investment",
    "team_leader",
    "team_background",
    "tech_strength",
    "market_strength",
    "contact_name",
    "contact_phone",
    "officer",
    "jurisdiction",
)
DOCKING_FIELDS = (
    "held_on",
    "form",
    "participants",
    "notes",
    "next_step",
    "next_follow_up_on",
)
AFTERCARE_FIELDS = ("kind", "title", "description", "owner")
REFERRAL_FIELDS = (
    "project_name",
    "talent_name",
    "programme",
    "batch",
    "source",
    "pushed_on",
    "jurisdiction",
    "lead",
)


# ---------------------------------------------------------------- helpers


def _require_editor(actor: User) -> None:
    if not actor.can_edit_enterprises:
        raise ApplicationError("当前角色只能查看，不能修改招商项目。", code="forbidden")


def _require_responsible(lead: Lead) -> None:
    """The responsible officer (负责人) must cover the lead's 板块, or they could not open it."""
    if lead.officer_id and not permissions.can_be_responsible_for(
        lead.officer, lead.jurisdiction_id
    ):
        raise ApplicationError(
            f"{lead.officer.display_name}不负责该项目所在板块，不能担任负责人。", field="officer"
        )


def _require_jurisdiction(actor: User, jurisdiction_id: int | None) -> None:
    if jurisdiction_id not in actor.visible_jurisdiction_ids():
        raise ApplicationError("只能登记在您负责的板块内。", field="jurisdiction")


def _unknown_fields(data: Mapping[str, Any], allowed: tuple[str, ...]) -> None:
    unknown = set(data) - set(allowed)
    if unknown:
        raise ApplicationError(f"不支持的字段：{'、'.join(sorted(unknown))}")


def _locked_lead(actor: User, lead: Lead) -> Lead:
    """Re-read `lead` through the actor's scope, locked for the rest of the transaction."""
    return (
        Lead.objects.visible_to(actor).select_for_update().select_related("stage").get(pk=lead.pk)
    )


def _audit_lead(actor: User, lead: Lead, action: str, changes: dict, note: str = "") -> None:
    audit_record(
        actor=actor,
        action=action,
        instance=lead,
        changes=changes,
        note=note,
        enterprise_id=lead.enterprise_id,
        jurisdiction_id=lead.jurisdiction_id,
    )


def _bump(lead: Lead, **values: Any) -> None:
    """Save `values` on the lead and advance its version (for concurrent-edit checks)."""
    Lead.all_objects.filter(pk=lead.pk).update(
        **values, version=F("version") + 1, updated_at=timezone.now()
    )
    for name, value in values.items():
        setattr(lead, name, value)
    lead.version += 1


def stages_ensure_defaults() -> list[Stage]:
    """The six default stages (线索 → 投产), created if missing; admins may edit them later."""
    for order, code, name, stale, skip in DEFAULT_STAGES:
        Stage.objects.get_or_create(
            code=code,
            defaults={"order": order, "name": name, "stale_after_days": stale, "may_skip": skip},
        )
    return list(Stage.objects.filter(is_active=True))


def _first_stage() -> Stage:
    stage = Stage.objects.filter(is_active=True).order_by("order").first()
    if stage is None:
        raise ApplicationError("尚未配置招商阶段，请联系管理员在系统配置中添加。")
    return stage


def _registered_order() -> int | None:
    stage = Stage.objects.filter(code=STAGE_REGISTERED).first()
    return stage.order if stage else None


# ---------------------------------------------------------------- leads


@transaction.atomic
def lead_create(
    *,
    actor: User,
    data: Mapping[str, Any],
    stage: Stage | None = None,
    on: dt.date | None = None,
    is_demo: bool = False,
) -> Lead:
    """Register a new lead (新建招商项目) in its first stage (线索 by default)."""
    _require_editor(actor)
    _unknown_fields(data, LEAD_FIELDS)
    on = on or timezone.localdate()
    stage = stage or _first_stage()
    registered = _registered_order()
    if registered is not None and stage.order >= registered:
        raise ApplicationError("新建项目不能直接处于落地注册及之后的阶段。", field="stage")
    lead = Lead(
        **data,
        stage=stage,
        stage_entered_on=on,
        last_activity_on=on,
        is_demo=is_demo,
    )
    _require_jurisdiction(actor, lead.jurisdiction_id)
    _require_responsible(lead)
    lead.full_clean()
    lead.save()
    StageChange.all_objects.create(
        lead=lead,
        from_stage=None,
        to_stage=stage,
        changed_on=on,
        actor=actor,
        actor_name=actor.display_name,
        note="新建项目",
        is_demo=is_demo,
    )
    _audit_lead(
        actor,
        lead,
        AuditEvent.Action.CREATE,
        diff(Lead, {}, {k: v for k, v in snapshot(lead, [*LEAD_FIELDS, "stage"]).items() if v}),
    )
    return lead


@transaction.atomic
def lead_update(*, actor: User, lead: Lead, data: Mapping[str, Any], expected_version: int) -> Lead:
    """Change a lead's details (修改招商项目); refuses a stale form (并发修改)."""
    _require_editor(actor)
    _unknown_fields(data, LEAD_FIELDS)
    current = _locked_lead(actor, lead)
    if current.version != expected_version:
        raise ConcurrentEditError()
    before = snapshot(current, list(LEAD_FIELDS))
    placed = (current.officer_id, current.jurisdiction_id)
    for name, value in data.items():
        setattr(current, name, value)
    _require_jurisdiction(actor, current.jurisdiction_id)
    if (current.officer_id, current.jurisdiction_id) != placed:
        _require_responsible(current)
    current.full_clean()
    current.version += 1
    current.save()
    changes = diff(Lead, before, snapshot(current, list(LEAD_FIELDS)))
    if changes:
        _audit_lead(actor, current, AuditEvent.Action.UPDATE, changes)
    return current


def _check_move(lead: Lead, to_stage: Stage, note: str) -> None:
    """The stage rules (kept on the Stage data) for moving `lead` to `to_stage`."""
    current = lead.stage
    if lead.status == LeadStatus.DROPPED:
        raise ApplicationError("该项目已流失，不能变更阶段；请先恢复跟进。", field="stage")
    if not to_stage.is_active:
        raise ApplicationError(f"“{to_stage.name}”阶段已停用。", field="stage")
    if to_stage.pk == current.pk:
        raise ApplicationError(f"项目已处于“{current.name}”阶段。", field="stage")
    if to_stage.order > current.order:
        skipped = [
            s.name
            for s in Stage.objects.filter(
                is_active=True, order__gt=current.order, order__lt=to_stage.order
            )
            if not s.may_skip
        ]
        if skipped:
            raise ApplicationError(
                f"不能跳过“{'”“'.join(skipped)}”阶段：请逐级推进"
                f"（“{current.name}”之后应先进入“{skipped[0]}”）。",
                field="stage",
            )
        registered = _registered_order()
        if registered is not None and to_stage.order >= registered and lead.enterprise_id is None:
            raise ApplicationError(
                "进入“落地注册”须先关联落地企业，请使用“落地登记”（关联已有企业或新建企业）。",
                field="stage",
            )
    elif not note.strip():
        raise ApplicationError(f"退回到“{to_stage.name}”阶段须填写说明。", field="note")


@transaction.atomic
def lead_move(
    *,
    actor: User,
    lead: Lead,
    to_stage: Stage,
    note: str = "",
    on: dt.date | None = None,
    expected_version: int | None = None,
    today: dt.date | None = None,
) -> StageChange:
    """Move a lead to another stage (阶段变更), recording date, person, note and time in stage.

    `today` is the clock used for validation (the demo replays past events with it).
    """
    _require_editor(actor)
    current = _locked_lead(actor, lead)
    if expected_version is not None and current.version != expected_version:
        raise ConcurrentEditError("该项目刚被他人更新过，请刷新后再变更阶段。")
    today = today or timezone.localdate()
    on = on or today
    if on > today:
        raise ApplicationError("变更日期不能晚于今天。", field="on")
    if on < current.stage_entered_on:
        raise ApplicationError(
            f"变更日期不能早于进入“{current.stage.name}”阶段的日期"
            f"（{current.stage_entered_on:%Y-%m-%d}）。",
            field="on",
        )
    _check_move(current, to_stage, note)
    from_stage = current.stage
    change = StageChange.all_objects.create(
        lead=current,
        from_stage=from_stage,
        to_stage=to_stage,
        changed_on=on,
        days_in_previous=(on - current.stage_entered_on).days,
        actor=actor,
        actor_name=actor.display_name,
        note=note.strip()[:500],
        is_demo=current.is_demo,
    )
    _bump(
        current,
        stage=to_stage,
        stage_entered_on=on,
        last_activity_on=max(current.last_activity_on, on),
    )
    _audit_lead(
        actor,
        current,
        AuditEvent.Action.STAGE,
        {"stage": {"label": "阶段", "before": from_stage.name, "after": to_stage.name}},
        note=note,
    )
    lead.stage, lead.version = current.stage, current.version
    lead.stage_entered_on, lead.last_activity_on = (
        current.stage_entered_on,
        current.last_activity_on,
    )
    return change


@transaction.atomic
def lead_drop(
    *, actor: User, lead: Lead, reason: str, note: str = "", on: dt.date | None = None
) -> Lead:
    """Drop a lead (项目流失) with a reason code (流失原因)."""
    _require_editor(actor)
    current = _locked_lead(actor, lead)
    if reason not in LostReason.values:
        raise ApplicationError("请选择流失原因。", field="reason")
    if reason == LostReason.OTHER and not note.strip():
        raise ApplicationError("流失原因为“其他”时须填写说明。", field="note")
    if current.status == LeadStatus.DROPPED:
        raise ApplicationError("该项目已标记为流失。")
    on = on or timezone.localdate()
    _bump(
        current,
        status=LeadStatus.DROPPED,
        lost_reason=reason,
        lost_note=note.strip()[:300],
        lost_on=on,
        next_follow_up_on=None,
        last_activity_on=max(current.last_activity_on, on),
    )
    _audit_lead(
        actor,
        current,
        AuditEvent.Action.UPDATE,
        {
            "status": {"label": "项目状态", "before": "推进中", "after": "已流失"},
            "lost_reason": {"label": "流失原因", "before": "", "after": LostReason(reason).label},
        },
        note=note,
    )
    return current


@transaction.atomic
def lead_restore(*, actor: User, lead: Lead, note: str = "") -> Lead:
    """Resume a dropped lead (恢复跟进)."""
    _require_editor(actor)
    current = _locked_lead(actor, lead)
    if current.status != LeadStatus.DROPPED:
        raise ApplicationError("该项目仍在推进中。")
    _bump(
        current,
        status=LeadStatus.ACTIVE,
        lost_reason="",
        lost_note="",
        lost_on=None,
        last_activity_on=timezone.localdate(),
    )
    _audit_lead(
        actor,
        current,
        AuditEvent.Action.UPDATE,
        {"status": {"label": "项目状态", "before": "已流失", "after": "推进中"}},
        note=note,
    )
    return current


# ---------------------------------------------------------------- dockings


@transaction.atomic
def docking_record(
    *,
    actor: User,
    lead: Lead,
    data: Mapping[str, Any],
    today: dt.date | None = None,
    is_demo: bool = False,
) -> Docking:
    """Log a docking contact (对接记录) and set the lead's next follow-up (下次跟进)."""
    _require_editor(actor)
    _unknown_fields(data, DOCKING_FIELDS)
    current = _locked_lead(actor, lead)
    today = today or timezone.localdate()
    docking = Docking(lead=current, recorded_by=actor, is_demo=is_demo, **data)
    if docking.held_on and docking.held_on > today:
        raise ApplicationError("对接日期不能晚于今天。", field="held_on")
    follow = docking.next_follow_up_on
    if follow is not None and follow < today:
        raise ApplicationError(
            f"下次跟进日期不能早于今天（{today:%Y-%m-%d}）。", field="next_follow_up_on"
        )
    docking.full_clean()
    docking.save()
    _bump(
        current,
        docking_count=current.docking_count + 1,
        last_activity_on=max(current.last_activity_on, docking.held_on),
        next_follow_up_on=follow,
    )
    audit_record(
        actor=actor,
        action=AuditEvent.Action.CREATE,
        instance=docking,
        changes=diff(Docking, {}, snapshot(docking, list(DOCKING_FIELDS))),
        enterprise_id=current.enterprise_id,
        jurisdiction_id=current.jurisdiction_id,
    )
    lead.docking_count, lead.version = current.docking_count, current.version
    lead.last_activity_on, lead.next_follow_up_on = current.last_activity_on, follow
    return docking


# ---------------------------------------------------------------- landing


def landing_stage_ids() -> frozenset[int]:
    """Stages a lead may be landed from (落地登记): those where `lead_land`'s stage check passes."""
    target = Stage.objects.filter(code=STAGE_REGISTERED, is_active=True).first()
    if target is None:
        return frozenset()
    allowed = set()
    for stage in Stage.objects.filter(is_active=True):
        probe = Lead(stage=stage, status=LeadStatus.ACTIVE, enterprise_id=-1)  # as if linked
        try:
            _check_move(probe, target, "")
        except ApplicationError:
            continue
        allowed.add(stage.pk)
    return frozenset(allowed)


def lead_can_land(lead: Lead, stage_ids: frozenset[int] | None = None) -> bool:
    """Whether 落地登记 may be offered for `lead`; pass `landing_stage_ids()` for many leads."""
    if lead.enterprise_id is not None or lead.status != LeadStatus.ACTIVE:
        return False
    return lead.stage_id in (landing_stage_ids() if stage_ids is None else stage_ids)


@transaction.atomic
def lead_land(
    *,
    actor: User,
    lead: Lead,
    credit_code: str,
    create: bool,
    enterprise_data: Mapping[str, Any] | None = None,
    note: str = "",
    on: dt.date | None = None,
    today: dt.date | None = None,
) -> Enterprise:
    """Land a lead (落地注册): link an existing enterprise or create the master record.

    With `create`, the enterprise is registered through `enterprise_create` (企业入库) in the
    lead's jurisdiction; otherwise the enterprise with `credit_code` the actor may see is linked.
    The lead then moves to 落地注册 through `lead_move`, so its history joins the enterprise.
    """
    _require_editor(actor)
    current = _locked_lead(actor, lead)
    if current.enterprise_id is not None:
        raise ApplicationError("该项目已关联落地企业。")
    target = Stage.objects.filter(code=STAGE_REGISTERED, is_active=True).first()
    if target is None:
        raise ApplicationError("未配置“落地注册”阶段，请联系管理员。")
    # Check the stage rules first, as if the enterprise were linked, so nothing is written in vain.
    current.enterprise_id = -1
    _check_move(current, target, note)
    current.enterprise_id = None
    code = normalize_credit_code(credit_code).upper()
    if not code:
        raise ApplicationError("请填写统一社会信用代码。", field="credit_code")
    if create:
        if Enterprise.objects.unscoped().filter(credit_code=code).exists():
            raise ApplicationError(
                "该统一社会信用代码已登记在企业库中，不能重复新建；请改选“关联已有企业”。",
                field="credit_code",
            )
        values = dict(enterprise_data or {})
        values.setdefault("name", current.name)
        values["credit_code"] = code
        values["jurisdiction"] = current.jurisdiction
        values.setdefault("summary", current.summary)
        enterprise = enterprise_services.enterprise_create(
            actor=actor,
            data=values,
            tags=[current.segment] if current.segment else [],
            is_demo=current.is_demo,
        )
    else:
        enterprise = Enterprise.objects.visible_to(actor).filter(credit_code=code).first()
        if enterprise is None and (problem := credit_code_problem(code)):
            raise ApplicationError(problem, field="credit_code")
        if enterprise is None:
            raise ApplicationError(
                "在您的管辖范围内未找到该统一社会信用代码的企业；如尚未入库，请选择“新建企业”。",
                field="credit_code",
            )
    _bump(current, enterprise=enterprise)
    lead.enterprise = enterprise
    lead_move(actor=actor, lead=lead, to_stage=target, note=note or "落地注册", on=on, today=today)
    _audit_lead(
        actor,
        current,
        AuditEvent.Action.UPDATE,
        {"enterprise": {"label": "落地企业", "before": None, "after": enterprise.name}},
        note="落地登记",
    )
    return enterprise


# ---------------------------------------------------------------- aftercare


@transaction.atomic
def aftercare_create(
    *,
    actor: User,
    enterprise: Enterprise,
    data: Mapping[str, Any],
    lead: Lead | None = None,
    submitted_at: dt.datetime | None = None,
    is_demo: bool = False,
) -> AftercareRequest:
    """Register an aftercare request (全生命周期服务诉求) of a landed enterprise."""
    _require_editor(actor)
    _unknown_fields(data, AFTERCARE_FIELDS)
    Enterprise.objects.visible_to(actor).get(pk=enterprise.pk)
    owner = data.get("owner")
    if owner is not None and not permissions.can_be_responsible_for(
        owner, enterprise.jurisdiction_id
    ):
        raise ApplicationError(
            f"{owner.display_name}不负责该企业所在板块，不能承办此服务诉求。", field="owner"
        )
    request = AftercareRequest(
        enterprise=enterprise,
        lead=lead,
        submitted_at=submitted_at or timezone.now(),
        is_demo=is_demo,
        **data,
    )
    request.full_clean()
    request.save()
    audit_record(
        actor=actor,
        action=AuditEvent.Action.CREATE,
        instance=request,
        changes=diff(AftercareRequest, {}, snapshot(request, list(AFTERCARE_FIELDS))),
        enterprise_id=enterprise.pk,
        jurisdiction_id=enterprise.jurisdiction_id,
    )
    return request


@transaction.atomic
def aftercare_advance(
    *,
    actor: User,
    request: AftercareRequest,
    status: str,
    resolution: str = "",
    at: dt.datetime | None = None,
) -> AftercareRequest:
    """Respond to (办理中) or close (已办结) an aftercare request; the times are kept."""
    _require_editor(actor)
    current = (
        AftercareRequest.objects.visible_to(actor)
        .select_for_update()
        .select_related("enterprise")
        .get(pk=request.pk)
    )
    at = at or timezone.now()
    if current.status == AftercareStatus.CLOSED:
        raise ApplicationError("该诉求已办结。")
    if status not in (AftercareStatus.IN_PROGRESS, AftercareStatus.CLOSED):
        raise ApplicationError("请选择“办理中”或“已办结”。", field="status")
    if status == AftercareStatus.CLOSED and not resolution.strip():
        raise ApplicationError("办结时须填写办理结果。", field="resolution")
    before = snapshot(current, ["status", "resolution"])
    if current.first_response_at is None:
        current.first_response_at = at
    if status == AftercareStatus.CLOSED:
        current.closed_at = at
        current.resolution = resolution.strip()
    current.status = status
    current.save()
    audit_record(
        actor=actor,
        action=AuditEvent.Action.UPDATE,
        instance=current,
        changes=diff(AftercareRequest, before, snapshot(current, ["status", "resolution"])),
        enterprise_id=current.enterprise_id,
        jurisdiction_id=current.enterprise.jurisdiction_id,
    )
    return current


# ---------------------------------------------------------------- talent referrals

REFERRAL_ORDER = [ReferralStatus.PUSHED, ReferralStatus.SELECTED, ReferralStatus.LANDED]


@transaction.atomic
def referral_create(
    *, actor: User, data: Mapping[str, Any], is_demo: bool = False
) -> TalentReferral:
    """Record a talent project pushed to a programme (人才项目推送)."""
    _require_editor(actor)
    _unknown_fields(data, REFERRAL_FIELDS)
    referral = TalentReferral(**data, is_demo=is_demo)
    _require_jurisdiction(actor, referral.jurisdiction_id)
    referral.full_clean()
    referral.save()
    audit_record(
        actor=actor,
        action=AuditEvent.Action.CREATE,
        instance=referral,
        changes=diff(TalentReferral, {}, snapshot(referral, list(REFERRAL_FIELDS))),
        jurisdiction_id=referral.jurisdiction_id,
    )
    return referral


@transaction.atomic
def referral_advance(
    *,
    actor: User,
    referral: TalentReferral,
    status: str,
    enterprise: Enterprise | None = None,
) -> TalentReferral:
    """Advance a referral 推送 → 入选 → 落地 (a landed one may name its enterprise)."""
    _require_editor(actor)
    current = TalentReferral.objects.visible_to(actor).select_for_update().get(pk=referral.pk)
    if status not in ReferralStatus.values:
        raise ApplicationError("状态无效。", field="status")
    if REFERRAL_ORDER.index(status) <= REFERRAL_ORDER.index(current.status):
        raise ApplicationError(
            f"状态只能向前推进（当前为“{current.get_status_display()}”）。", field="status"
        )
    before = snapshot(current, ["status", "enterprise"])
    current.status = status
    if enterprise is not None:
        current.enterprise = enterprise
    current.save()
    audit_record(
        actor=actor,
        action=AuditEvent.Action.STAGE,
        instance=current,
        changes=diff(TalentReferral, before, snapshot(current, ["status", "enterprise"])),
        enterprise_id=current.enterprise_id,
        jurisdiction_id=current.jurisdiction_id,
    )
    return current


__all__ = ["ValidationError", "lead_create", "lead_move", "lead_land", "docking_record"]
