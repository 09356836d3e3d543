"""Writes of the innovation ecosystem; each checks role and scope, validates, audits.

Carriers, consortium members, 揭榜挂帅 tasks and competitions are district reference data kept
by the 区管理员. Officers work what belongs to enterprises and leads of their 板块: projects a
carrier pushes (as 招商 leads, through attraction's services), incubation spells, competition
entries and their results, and the listing reserve.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from django.db import transaction
from django.db.models import F, Model
from django.utils import timezone

from xinzhi.accounts import permissions
from xinzhi.accounts.models import User
from xinzhi.attraction import services as attraction_services
from xinzhi.attraction.choices import Channel
from xinzhi.attraction.models import Lead
from xinzhi.core.audit import audit_record, diff, snapshot
from xinzhi.core.exceptions import ApplicationError, ConcurrentEditError
from xinzhi.core.models import AuditEvent
from xinzhi.cultivation import services as cultivation_services
from xinzhi.cultivation.models import QualificationProfile
from xinzhi.ecosystem.choices import (
    INCUBATING_KINDS,
    LISTING_ORDER,
    TASK_ORDER,
    Award,
    Board,
    CarrierKind,
    CarrierLevel,
    ListingStage,
    SpellOutcome,
    TaskStatus,
)
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
    TaskMilestone,
)
from xinzhi.enterprises import services as enterprise_services
from xinzhi.enterprises.models import Enterprise, TitleHeld

CARRIER_FIELDS = (
    "name",
    "kind",
    "level",
    "host",
    "host_enterprise",
    "jurisdiction",
    "established_on",
    "recognised_on",
    "focus",
    "summary",
    "is_active",
)
MEMBER_FIELDS = ("name", "member_kind", "role", "enterprise")
TASK_FIELDS = (
    "carrier",
    "title",
    "challenge",
    "field",
    "issuer",
    "budget",
    "team",
    "team_enterprise",
    "published_on",
    "taken_on",
    "due_on",
)
MILESTONE_FIELDS = ("name", "planned_on", "done_on", "note")
COMPETITION_FIELDS = (
    "name",
    "edition",
    "year",
    "level",
    "organiser",
    "held_on",
    "registered_total",
    "city_rank",
    "city_rank_note",
)
ENTRY_FIELDS = (
    "competition",
    "track",
    "project_name",
    "enterprise",
    "team_name",
    "team_leader",
    "contact_phone",
    "source_region",
    "jurisdiction",
    "entered_on",
)
RESULT_FIELDS = ("award", "rank", "result_note")
LISTING_FIELDS = (
    "board",
    "entered_on",
    "broker",
    "accountant",
    "law_firm",
    "issues",
    "stock_code",
    "officer",
)
# Carrier kinds whose pushed projects come in as 高校技术转移 leads; the others as 科研院所.
UNIVERSITY_KINDS = (CarrierKind.UNIVERSITY, CarrierKind.TRANSFER)


# ---------------------------------------------------------------- helpers


def _require_admin(actor: User) -> None:
    if not permissions.can_manage_ecosystem(actor):
        raise ApplicationError("创新载体、大赛和揭榜挂帅榜单由区管理员维护。", code="forbidden")


def _require_editor(actor: User) -> None:
    if not permissions.can_edit_enterprise(actor):
        raise ApplicationError("当前角色只能查看，不能修改。", code="forbidden")


def _require_jurisdiction(actor: User, jurisdiction_id: int | None) -> None:
    if jurisdiction_id not in actor.visible_jurisdiction_ids():
        raise ApplicationError("只能登记在您负责的板块内。", field="jurisdiction")


def _unknown_fields(data: Mapping[str, Any], allowed: tuple[str, ...]) -> None:
    unknown = set(data) - set(allowed)
    if unknown:
        raise ApplicationError(f"不支持的字段：{'、'.join(sorted(unknown))}")


def _visible_enterprise(actor: User, enterprise: Enterprise | None, field: str) -> None:
    if enterprise is not None and not (
        Enterprise.objects.visible_to(actor).filter(pk=enterprise.pk).exists()
    ):
        raise ApplicationError("该企业不在您的管辖范围内。", field=field)


def _audit(
    actor: User,
    instance: Model,
    action: str,
    changes: dict,
    *,
    note: str = "",
    enterprise_id: int | None = None,
    jurisdiction_id: int | None = None,
) -> None:
    audit_record(
        actor=actor,
        action=action,
        instance=instance,
        changes=changes,
        note=note,
        enterprise_id=enterprise_id,
        jurisdiction_id=jurisdiction_id,
    )


def _created(model: type[Model], instance: Model, fields: tuple[str, ...]) -> dict:
    return diff(model, {}, {k: v for k, v in snapshot(instance, list(fields)).items() if v})


def _update_versioned(
    actor: User,
    current: Model,
    data: Mapping[str, Any],
    fields: tuple[str, ...],
    expected_version: int | None,
    **scope: int | None,
) -> Model:
    """Apply `data` to the locked row `current`; refuse a stale form (并发修改)."""
    if expected_version is not None and current.version != expected_version:
        raise ConcurrentEditError()
    before = snapshot(current, list(fields))
    for name, value in data.items():
        setattr(current, name, value)
    current.full_clean()
    current.version += 1
    current.save()
    changes = diff(type(current), before, snapshot(current, list(fields)))
    if changes:
        _audit(actor, current, AuditEvent.Action.UPDATE, changes, **scope)
    return current


# ---------------------------------------------------------------- carriers


@transaction.atomic
def carrier_create(*, actor: User, data: Mapping[str, Any], is_demo: bool = False) -> Carrier:
    """Register a carrier or platform (新建创新载体)."""
    _require_admin(actor)
    _unknown_fields(data, CARRIER_FIELDS)
    carrier = Carrier(**data, is_demo=is_demo)
    carrier.full_clean()
    carrier.save()
    _audit(actor, carrier, AuditEvent.Action.CREATE, _created(Carrier, carrier, CARRIER_FIELDS))
    _host_rd_level_raise(actor, carrier)
    return carrier


# A 省级以上研发机构's level as the host enterprise's 研发机构级别 (the rule sets' fact), highest
# first; a 区级 centre counts as 市级以下.
RD_LEVEL_OF_CARRIER = {
    CarrierLevel.NATIONAL: "national",
    CarrierLevel.PROVINCIAL: "provincial",
    CarrierLevel.MUNICIPAL: "municipal",
    CarrierLevel.DISTRICT: "below_municipal",
}
RD_LEVEL_RANK = ["none", "below_municipal", "municipal", "provincial", "national"]


def _host_rd_level_raise(actor: User, carrier: Carrier) -> None:
    """A 研发机构 carrier hosted by an enterprise is a fact its eligibility reads (研发机构级别):
    raise the profile's level to the carrier's, never lower it (a higher one may be held
    elsewhere). The profile service re-evaluates the enterprise."""
    level = RD_LEVEL_OF_CARRIER.get(carrier.level)
    if carrier.kind != CarrierKind.RD_CENTRE or not carrier.host_enterprise_id or not level:
        return
    profile = QualificationProfile.all_objects.filter(
        enterprise_id=carrier.host_enterprise_id
    ).first()
    current = profile.rd_institution_level if profile else ""
    if current and RD_LEVEL_RANK.index(current) >= RD_LEVEL_RANK.index(level):
        return
    cultivation_services.profile_update(
        actor=actor,
        enterprise=Enterprise.objects.unscoped().get(pk=carrier.host_enterprise_id),
        data={"rd_institution_level": level},
    )


@transaction.atomic
def carrier_update(
    *, actor: User, carrier: Carrier, data: Mapping[str, Any], expected_version: int | None
) -> Carrier:
    """Change a carrier's details (修改创新载体)."""
    _require_admin(actor)
    _unknown_fields(data, CARRIER_FIELDS)
    current = Carrier.objects.select_for_update().get(pk=carrier.pk)
    updated = _update_versioned(actor, current, data, CARRIER_FIELDS, expected_version)
    _host_rd_level_raise(actor, updated)
    return updated


@transaction.atomic
def carrier_push_lead(
    *,
    actor: User,
    carrier: Carrier,
    data: Mapping[str, Any],
    pushed_on: dt.date | None = None,
    note: str = "",
    is_demo: bool = False,
) -> CarrierPush:
    """A project the carrier pushes (载体推送项目) enters the 招商 pipeline as a new lead."""
    _require_editor(actor)
    pushed_on = pushed_on or timezone.localdate()
    values = dict(data)
    if not values.get("channel"):
        values["channel"] = (
            Channel.UNIVERSITY if carrier.kind in UNIVERSITY_KINDS else Channel.INSTITUTE
        )
    lead = attraction_services.lead_create(actor=actor, data=values, on=pushed_on, is_demo=is_demo)
    return _push_record(actor, carrier, lead, pushed_on, note, is_demo)


@transaction.atomic
def carrier_link_lead(
    *, actor: User, carrier: Carrier, lead: Lead, pushed_on: dt.date | None = None, note: str = ""
) -> CarrierPush:
    """Record that an existing lead came from the carrier (关联已有招商项目)."""
    _require_editor(actor)
    lead = Lead.objects.visible_to(actor).select_for_update().get(pk=lead.pk)
    if CarrierPush.all_objects.filter(lead_id=lead.pk).exists():
        raise ApplicationError("该招商项目已登记了推送载体。", field="lead")
    return _push_record(
        actor, carrier, lead, pushed_on or lead.stage_entered_on, note, is_demo=False
    )


def _push_record(
    actor: User, carrier: Carrier, lead: Lead, pushed_on: dt.date, note: str, is_demo: bool
) -> CarrierPush:
    push = CarrierPush(carrier=carrier, lead=lead, pushed_on=pushed_on, note=note, is_demo=is_demo)
    push.full_clean()
    push.save()
    _audit(
        actor,
        push,
        AuditEvent.Action.CREATE,
        {},
        note=f"{carrier.name}推送项目：{lead.name}",
        enterprise_id=lead.enterprise_id,
        jurisdiction_id=lead.jurisdiction_id,
    )
    return push


# ---------------------------------------------------------------- incubation


@transaction.atomic
def spell_start(
    *,
    actor: User,
    carrier: Carrier,
    enterprise: Enterprise,
    entered_on: dt.date,
    note: str = "",
    is_demo: bool = False,
) -> IncubationSpell:
    """An enterprise enters an incubator, makerspace or accelerator (入孵登记)."""
    _require_editor(actor)
    if carrier.kind not in INCUBATING_KINDS:
        raise ApplicationError(
            f"“{carrier.get_kind_display()}”不登记在孵企业，请选择孵化器、众创空间或加速器。"
        )
    _visible_enterprise(actor, enterprise, "enterprise")
    if entered_on > timezone.localdate():
        raise ApplicationError("入孵日期不能晚于今天。", field="entered_on")
    spell = IncubationSpell(
        carrier=carrier, enterprise=enterprise, entered_on=entered_on, note=note, is_demo=is_demo
    )
    spell.full_clean()
    spell.save()
    _audit(
        actor,
        spell,
        AuditEvent.Action.CREATE,
        {},
        note=f"入孵{carrier.name}",
        enterprise_id=enterprise.pk,
        jurisdiction_id=enterprise.jurisdiction_id,
    )
    return spell


@transaction.atomic
def spell_close(
    *, actor: User, spell: IncubationSpell, outcome: str, left_on: dt.date, note: str = ""
) -> IncubationSpell:
    """The enterprise graduates from or leaves the carrier (毕业 / 退出)."""
    _require_editor(actor)
    current = (
        IncubationSpell.objects.visible_to(actor)
        .select_for_update()
        .select_related("carrier", "enterprise")
        .get(pk=spell.pk)
    )
    if current.outcome != SpellOutcome.IN:
        raise ApplicationError("该在孵记录已结束。")
    if outcome not in (SpellOutcome.GRADUATED, SpellOutcome.LEFT):
        raise ApplicationError("请选择毕业或退出。", field="outcome")
    if left_on < current.entered_on:
        raise ApplicationError("毕业/退出日期不能早于入孵日期。", field="left_on")
    if left_on > timezone.localdate():
        raise ApplicationError("毕业/退出日期不能晚于今天。", field="left_on")
    current.outcome, current.left_on = outcome, left_on
    if note:
        current.note = note
    current.full_clean()
    current.save()
    _audit(
        actor,
        current,
        AuditEvent.Action.UPDATE,
        {"outcome": {"label": "状态", "before": "在孵", "after": current.get_outcome_display()}},
        note=f"{current.carrier.name}：{current.get_outcome_display()}",
        enterprise_id=current.enterprise_id,
        jurisdiction_id=current.enterprise.jurisdiction_id,
    )
    return current


# ---------------------------------------------------------------- consortia and 揭榜挂帅


@transaction.atomic
def member_add(
    *, actor: User, carrier: Carrier, data: Mapping[str, Any], is_demo: bool = False
) -> ConsortiumMember:
    """Add a member unit to an innovation consortium (联合体成员)."""
    _require_admin(actor)
    _unknown_fields(data, MEMBER_FIELDS)
    if carrier.kind != CarrierKind.CONSORTIUM:
        raise ApplicationError("只有创新联合体登记成员单位。")
    member = ConsortiumMember(carrier=carrier, **data, is_demo=is_demo)
    member.full_clean()
    member.save()
    _audit(
        actor, member, AuditEvent.Action.CREATE, _created(ConsortiumMember, member, MEMBER_FIELDS)
    )
    return member


def _check_task(task: ChallengeTask) -> None:
    if task.carrier_id and task.carrier.kind != CarrierKind.CONSORTIUM:
        raise ApplicationError("揭榜挂帅榜单只能归属创新联合体。", field="carrier")
    if task.taken_on and task.taken_on < task.published_on:
        raise ApplicationError("揭榜日期不能早于发榜日期。", field="taken_on")
    if task.due_on and task.due_on < task.published_on:
        raise ApplicationError("计划完成日期不能早于发榜日期。", field="due_on")


@transaction.atomic
def task_create(*, actor: User, data: Mapping[str, Any], is_demo: bool = False) -> ChallengeTask:
    """Publish a 揭榜挂帅 task (发榜)."""
    _require_admin(actor)
    _unknown_fields(data, TASK_FIELDS)
    task = ChallengeTask(**data, is_demo=is_demo)
    if task.team or task.team_enterprise_id:
        task.status = TaskStatus.TAKEN
        task.taken_on = task.taken_on or task.published_on
    _check_task(task)
    task.full_clean()
    task.save()
    _audit(actor, task, AuditEvent.Action.CREATE, _created(ChallengeTask, task, TASK_FIELDS))
    return task


@transaction.atomic
def task_advance(
    *,
    actor: User,
    task: ChallengeTask,
    status: str,
    expected_version: int | None = None,
    team: str = "",
    team_enterprise: Enterprise | None = None,
    on: dt.date | None = None,
) -> ChallengeTask:
    """Move a task on (揭榜 → 攻关 → 验收 → 完成) or stop it; 揭榜 needs the team."""
    _require_admin(actor)
    current = ChallengeTask.objects.select_for_update().get(pk=task.pk)
    if expected_version is not None and current.version != expected_version:
        raise ConcurrentEditError()
    if current.status in (TaskStatus.DONE, TaskStatus.STOPPED):
        raise ApplicationError(f"榜单{current.get_status_display()}，不能再变更。")
    if status not in TaskStatus.values:
        raise ApplicationError("未知的榜单状态。", field="status")
    if status != TaskStatus.STOPPED and TASK_ORDER.index(status) <= TASK_ORDER.index(
        current.status
    ):
        raise ApplicationError("榜单状态只能向前推进。", field="status")
    before = current.get_status_display()
    if current.status == TaskStatus.PUBLISHED and status != TaskStatus.STOPPED:
        current.team = team or current.team
        current.team_enterprise = team_enterprise or current.team_enterprise
        if not (current.team or current.team_enterprise_id):
            raise ApplicationError("揭榜须填写揭榜团队。", field="team")
        current.taken_on = current.taken_on or on or timezone.localdate()
    if status == TaskStatus.DONE and current.milestones.filter(done_on__isnull=True).exists():
        raise ApplicationError("尚有未完成的节点，不能办结榜单。", field="status")
    current.status = status
    current.version += 1
    current.full_clean()
    current.save()
    _audit(
        actor,
        current,
        AuditEvent.Action.STAGE,
        {"status": {"label": "状态", "before": before, "after": current.get_status_display()}},
    )
    return current


@transaction.atomic
def milestone_add(*, actor: User, task: ChallengeTask, data: Mapping[str, Any]) -> TaskMilestone:
    """Plan a milestone of a task (节点)."""
    _require_admin(actor)
    _unknown_fields(data, MILESTONE_FIELDS)
    milestone = TaskMilestone(task=task, **data)
    if milestone.planned_on < task.published_on:
        raise ApplicationError("节点计划日期不能早于发榜日期。", field="planned_on")
    milestone.full_clean()
    milestone.save()
    _audit(
        actor,
        milestone,
        AuditEvent.Action.CREATE,
        _created(TaskMilestone, milestone, MILESTONE_FIELDS),
    )
    return milestone


@transaction.atomic
def milestone_done(*, actor: User, milestone: TaskMilestone, on: dt.date) -> TaskMilestone:
    """Mark a milestone done (节点完成)."""
    _require_admin(actor)
    current = TaskMilestone.objects.select_for_update().get(pk=milestone.pk)
    if current.done_on is not None:
        raise ApplicationError("该节点已完成。")
    if on > timezone.localdate():
        raise ApplicationError("完成日期不能晚于今天。", field="done_on")
    current.done_on = on
    current.save(update_fields=["done_on", "updated_at"])
    _audit(
        actor,
        current,
        AuditEvent.Action.UPDATE,
        {"done_on": {"label": "完成日期", "before": None, "after": on.isoformat()}},
    )
    return current


# ---------------------------------------------------------------- competitions


@transaction.atomic
def competition_create(
    *, actor: User, data: Mapping[str, Any], is_demo: bool = False
) -> Competition:
    """Register a competition edition (登记大赛)."""
    _require_admin(actor)
    _unknown_fields(data, COMPETITION_FIELDS)
    competition = Competition(**data, is_demo=is_demo)
    competition.full_clean()
    competition.save()
    _audit(
        actor,
        competition,
        AuditEvent.Action.CREATE,
        _created(Competition, competition, COMPETITION_FIELDS),
    )
    return competition


@transaction.atomic
def competition_update(
    *,
    actor: User,
    competition: Competition,
    data: Mapping[str, Any],
    expected_version: int | None,
) -> Competition:
    """Change a competition, e.g. type in the organiser's 全市 ranking (录入全市排名)."""
    _require_admin(actor)
    _unknown_fields(data, COMPETITION_FIELDS)
    current = Competition.objects.select_for_update().get(pk=competition.pk)
    return _update_versioned(actor, current, data, COMPETITION_FIELDS, expected_version)


@transaction.atomic
def entry_create(
    *, actor: User, data: Mapping[str, Any], is_demo: bool = False
) -> CompetitionEntry:
    """Register an entry (登记参赛项目): an enterprise on record, or an outside team."""
    _require_editor(actor)
    _unknown_fields(data, ENTRY_FIELDS)
    entry = CompetitionEntry(**data, is_demo=is_demo)
    if entry.enterprise_id is None and not entry.team_name.strip():
        raise ApplicationError("请选择参赛企业，或填写尚未注册团队的名称。", field="team_name")
    if entry.enterprise_id is not None:
        _visible_enterprise(actor, entry.enterprise, "enterprise")
        entry.jurisdiction_id = entry.jurisdiction_id or entry.enterprise.jurisdiction_id
    _require_jurisdiction(actor, entry.jurisdiction_id)
    entry.full_clean()
    entry.save()
    _audit(
        actor,
        entry,
        AuditEvent.Action.CREATE,
        _created(CompetitionEntry, entry, ENTRY_FIELDS),
        enterprise_id=entry.enterprise_id,
        jurisdiction_id=entry.jurisdiction_id,
    )
    return entry


@transaction.atomic
def entry_result(
    *,
    actor: User,
    entry: CompetitionEntry,
    data: Mapping[str, Any],
    expected_version: int | None,
) -> CompetitionEntry:
    """Record the organiser's result of an entry (录入奖项、名次)."""
    _require_editor(actor)
    _unknown_fields(data, RESULT_FIELDS)
    current = CompetitionEntry.objects.visible_to(actor).select_for_update().get(pk=entry.pk)
    award = data.get("award", current.award)
    if award in (Award.PENDING, Award.NONE) and data.get("rank"):
        raise ApplicationError("未获奖或待公布的项目不填名次。", field="rank")
    return _update_versioned(
        actor,
        current,
        data,
        RESULT_FIELDS,
        expected_version,
        enterprise_id=current.enterprise_id,
        jurisdiction_id=current.jurisdiction_id,
    )


@transaction.atomic
def entry_to_lead(
    *, actor: User, entry: CompetitionEntry, officer: User | None = None, is_demo: bool = False
) -> Lead:
    """A promising outside entry becomes a 招商 lead in one step (转为招商项目)."""
    _require_editor(actor)
    current = (
        CompetitionEntry.objects.visible_to(actor)
        .select_for_update()
        .select_related("competition")
        .get(pk=entry.pk)
    )
    if current.lead_id is not None:
        raise ApplicationError("该参赛项目已转为招商项目。")
    if current.enterprise_id is not None:
        raise ApplicationError("参赛企业已在企业库中，无需转为招商项目。")
    result = current.get_award_display() if current.award != Award.PENDING else "结果待公布"
    summary = "；".join(
        p
        for p in (
            f"来自{current.competition}{current.track}（{result}）",
            current.result_note,
            f"参赛单位：{current.team_name}",
        )
        if p
    )
    lead = attraction_services.lead_create(
        actor=actor,
        data={
            "name": current.project_name,
            "summary": summary,
            "source_region": current.source_region,
            "channel": Channel.ROADSHOW,
            "segment": current.track[:40],
            "team_leader": current.team_leader,
            "contact_name": current.team_leader,
            "contact_phone": current.contact_phone,
            "officer": officer or _responsible(actor, current.jurisdiction_id),
            "jurisdiction": current.jurisdiction,
        },
        is_demo=is_demo,
    )
    current.lead = lead
    current.version += 1
    current.save(update_fields=["lead", "version", "updated_at"])
    _audit(
        actor,
        current,
        AuditEvent.Action.UPDATE,
        {"lead": {"label": "转化的招商项目", "before": None, "after": lead.name}},
        note="参赛项目转为招商项目",
        jurisdiction_id=current.jurisdiction_id,
    )
    return lead


def _responsible(actor: User, jurisdiction_id: int) -> User | None:
    """The actor follows the new lead up when they cover its 板块 (else it waits for one)."""
    return actor if permissions.can_be_responsible_for(actor, jurisdiction_id) else None


# ---------------------------------------------------------------- listing reserve


@transaction.atomic
def listing_add(
    *,
    actor: User,
    enterprise: Enterprise,
    data: Mapping[str, Any],
    on: dt.date | None = None,
    is_demo: bool = False,
) -> ListingCandidate:
    """Put an enterprise in the listing reserve (上市后备入库)."""
    _require_editor(actor)
    _unknown_fields(data, LISTING_FIELDS)
    _visible_enterprise(actor, enterprise, "enterprise")
    if ListingCandidate.all_objects.filter(enterprise_id=enterprise.pk).exists():
        raise ApplicationError("该企业已在上市后备库中。", field="enterprise")
    on = on or timezone.localdate()
    values = {"entered_on": on, **data}
    candidate = ListingCandidate(
        enterprise=enterprise, stage_entered_on=values["entered_on"], is_demo=is_demo, **values
    )
    candidate.full_clean()
    candidate.save()
    ListingStageChange.all_objects.create(
        candidate=candidate,
        to_stage=ListingStage.RESERVE,
        changed_on=candidate.entered_on,
        actor_name=actor.display_name,
        note="入库",
        is_demo=is_demo,
    )
    _audit(
        actor,
        candidate,
        AuditEvent.Action.CREATE,
        _created(ListingCandidate, candidate, LISTING_FIELDS),
        enterprise_id=enterprise.pk,
        jurisdiction_id=enterprise.jurisdiction_id,
    )
    return candidate


def _locked_candidate(actor: User, candidate: ListingCandidate) -> ListingCandidate:
    return (
        ListingCandidate.objects.visible_to(actor)
        .select_for_update()
        .select_related("enterprise")
        .get(pk=candidate.pk)
    )


@transaction.atomic
def listing_update(
    *,
    actor: User,
    candidate: ListingCandidate,
    data: Mapping[str, Any],
    expected_version: int | None,
) -> ListingCandidate:
    """Change board, intermediaries or the issues needing coordination (修改上市后备信息)."""
    _require_editor(actor)
    _unknown_fields(data, LISTING_FIELDS)
    current = _locked_candidate(actor, candidate)
    return _update_versioned(
        actor,
        current,
        data,
        LISTING_FIELDS,
        expected_version,
        enterprise_id=current.enterprise_id,
        jurisdiction_id=current.enterprise.jurisdiction_id,
    )


@transaction.atomic
def listing_move(
    *,
    actor: User,
    candidate: ListingCandidate,
    to_stage: str,
    on: dt.date | None = None,
    note: str = "",
    expected_version: int | None = None,
    is_demo: bool = False,
) -> ListingCandidate:
    """Move a candidate to another stage; at 上市/挂牌 the enterprise gets the title on the ladder.

    Forward moves may skip stages (新三板 has no 辅导备案 or 注册); a move back needs a reason
    (e.g. 撤回申报); a listed enterprise does not move again.
    """
    _require_editor(actor)
    current = _locked_candidate(actor, candidate)
    if expected_version is not None and current.version != expected_version:
        raise ConcurrentEditError()
    if to_stage not in LISTING_ORDER:
        raise ApplicationError("未知的上市阶段。", field="stage")
    if current.stage == ListingStage.LISTED:
        raise ApplicationError(f"该企业{current.stage_label}，不再变更阶段。", field="stage")
    if to_stage == current.stage:
        raise ApplicationError(f"已处于“{current.get_stage_display()}”阶段。", field="stage")
    back = LISTING_ORDER.index(to_stage) < LISTING_ORDER.index(current.stage)
    if back and not note.strip():
        raise ApplicationError("退回前一阶段须说明原因（如撤回申报）。", field="note")
    on = on or timezone.localdate()
    if on > timezone.localdate():
        raise ApplicationError("变更日期不能晚于今天。", field="on")
    if on < current.stage_entered_on:
        raise ApplicationError("变更日期不能早于进入当前阶段的日期。", field="on")
    from_stage = current.stage
    ListingCandidate.all_objects.filter(pk=current.pk).update(
        stage=to_stage,
        stage_entered_on=on,
        listed_on=on if to_stage == ListingStage.LISTED else None,
        version=F("version") + 1,
        updated_at=timezone.now(),
    )
    ListingStageChange.all_objects.create(
        candidate=current,
        from_stage=from_stage,
        to_stage=to_stage,
        changed_on=on,
        actor_name=actor.display_name,
        note=note,
        is_demo=is_demo,
    )
    current.refresh_from_db()
    _audit(
        actor,
        current,
        AuditEvent.Action.STAGE,
        {
            "stage": {
                "label": "所处阶段",
                "before": ListingStage(from_stage).label,
                "after": ListingStage(to_stage).label,
            }
        },
        note=note,
        enterprise_id=current.enterprise_id,
        jurisdiction_id=current.enterprise.jurisdiction_id,
    )
    if to_stage == ListingStage.LISTED:
        _grant_listing_title(actor, current, on)
    return current


LISTED_TITLE_NAMES = {
    Board.MAIN: "主板上市",
    Board.STAR: "科创板上市",
    Board.CHINEXT: "创业板上市",
    Board.BSE: "北交所上市",
    Board.OVERSEAS: "境外上市",
}
NEEQ_TITLE_NAME = "新三板挂牌企业"


def _grant_listing_title(actor: User, candidate: ListingCandidate, on: dt.date) -> None:
    """上市 (or 新三板挂牌) becomes a title the enterprise holds, so the ladder counts it."""
    enterprise = candidate.enterprise
    if candidate.board == Board.NEEQ:
        title, name = "other", NEEQ_TITLE_NAME  # 挂牌 is not 上市: a title beside the ladder
    else:
        title, name = "listed", LISTED_TITLE_NAMES[candidate.board]
    held = TitleHeld.all_objects.filter(enterprise=enterprise, title=title)
    if title == "other":
        held = held.filter(name=NEEQ_TITLE_NAME)
    if not held.exists():
        enterprise_services.title_add(
            actor=actor,
            enterprise=enterprise,
            data={"title": title, "name": name, "level": "national", "valid_from": on},
        )
    if title == "listed" and not enterprise.is_listed:
        fresh = Enterprise.objects.visible_to(actor).get(pk=enterprise.pk)
        enterprise_services.enterprise_update(
            actor=actor,
            enterprise=fresh,
            data={"is_listed": True},
            expected_version=fresh.version,
        )
