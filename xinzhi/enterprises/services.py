"""Writes to the enterprise master record; each checks scope, validates and audits."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from xinzhi.accounts.models import User
from xinzhi.core import aggregates
from xinzhi.core.audit import audit_record, diff, snapshot
from xinzhi.core.exceptions import ApplicationError, ConcurrentEditError
from xinzhi.core.models import AuditEvent
from xinzhi.enterprises.hooks import notify_enterprise_changed
from xinzhi.enterprises.models import (
    AnnualFigures,
    Enterprise,
    Incident,
    IntellectualProperty,
    Tag,
    TitleHeld,
)
from xinzhi.enterprises.validators import normalize_credit_code

ENTERPRISE_FIELDS = (
    "credit_code",
    "name",
    "registered_on",
    "jurisdiction",
    "address",
    "legal_representative",
    "contact_name",
    "contact_phone",
    "contact_email",
    "industry",
    "hightech_field",
    "scale",
    "summary",
    "is_listed",
)
FIGURE_FIELDS = (
    "employees",
    "tech_staff",
    "rd_staff",
    "revenue",
    "main_revenue",
    "total_income",
    "hightech_revenue",
    "rd_expense",
    "rd_expense_domestic",
    "total_cost",
    "total_assets",
    "total_liabilities",
    "net_assets",
    "net_profit",
)
TITLE_FIELDS = ("title", "name", "level", "certificate_no", "valid_from", "valid_until")
INCIDENT_FIELDS = ("occurred_on", "kind", "severity", "description")


def _require_editor(actor: User) -> None:
    if not actor.can_edit_enterprises:
        raise ApplicationError("当前角色只能查看，不能修改企业信息。", code="forbidden")


def _require_jurisdiction(actor: User, jurisdiction_id: int | None) -> None:
    if jurisdiction_id not in actor.visible_jurisdiction_ids():
        raise ApplicationError("只能把企业登记在您负责的板块内。", field="jurisdiction")


def _unknown_fields(data: Mapping[str, Any], allowed: Iterable[str]) -> None:
    unknown = set(data) - set(allowed)
    if unknown:
        raise ApplicationError(f"不支持的字段：{'、'.join(sorted(unknown))}")


def tags_from_text(text: str) -> list[str]:
    """Split '新能源汽车、车载芯片, 储能' into clean tag names."""
    for sep in ("，", ",", ";", "；", " "):
        text = text.replace(sep, "、")
    return sorted({part.strip() for part in text.split("、") if part.strip()})


def _set_tags(enterprise: Enterprise, names: list[str]) -> None:
    tags = []
    for name in names:
        if len(name) > 40:
            raise ApplicationError(f"标签“{name[:10]}…”过长（最多40字）", field="tags")
        tags.append(Tag.objects.get_or_create(name=name)[0])
    enterprise.tags.set(tags)


@transaction.atomic
def enterprise_create(
    *, actor: User, data: Mapping[str, Any], tags: list[str] | None = None, is_demo: bool = False
) -> Enterprise:
    """Register a new enterprise in the master record (企业入库)."""
    _require_editor(actor)
    _unknown_fields(data, ENTERPRISE_FIELDS)
    values = dict(data)
    values["credit_code"] = normalize_credit_code(values.get("credit_code", ""))
    enterprise = Enterprise(**values, is_demo=is_demo)
    _require_jurisdiction(actor, enterprise.jurisdiction_id)
    enterprise.full_clean()
    enterprise.save()
    _set_tags(enterprise, tags or [])
    notify_enterprise_changed(enterprise.pk)
    aggregates.topics_changed(aggregates.ENTERPRISES)
    audit_record(
        actor=actor,
        action=AuditEvent.Action.CREATE,
        instance=enterprise,
        changes=diff(Enterprise, {}, snapshot(enterprise, [*ENTERPRISE_FIELDS, "tags"])),
        enterprise_id=enterprise.pk,
        jurisdiction_id=enterprise.jurisdiction_id,
    )
    return enterprise


@transaction.atomic
def enterprise_update(
    *,
    actor: User,
    enterprise: Enterprise,
    data: Mapping[str, Any],
    expected_version: int,
    tags: list[str] | None = None,
) -> Enterprise:
    """Change an enterprise; refuses if someone saved it since `expected_version` was read."""
    _require_editor(actor)
    _unknown_fields(data, ENTERPRISE_FIELDS)
    current = Enterprise.objects.visible_to(actor).select_for_update().get(pk=enterprise.pk)
    if current.version != expected_version:
        raise ConcurrentEditError()
    fields = [*ENTERPRISE_FIELDS, "tags"]
    before = snapshot(current, fields)
    moved_from = current.jurisdiction_id
    for name, value in data.items():
        if name == "credit_code":
            value = normalize_credit_code(value)
        setattr(current, name, value)
    _require_jurisdiction(actor, current.jurisdiction_id)
    current.full_clean()
    updated = Enterprise.all_objects.filter(pk=current.pk, version=expected_version).update(
        **{name: getattr(current, name) for name in ENTERPRISE_FIELDS},
        version=F("version") + 1,
        updated_at=timezone.now(),
    )
    if updated != 1:
        raise ConcurrentEditError()
    if tags is not None:
        _set_tags(current, tags)
    current.refresh_from_db()
    notify_enterprise_changed(current.pk)
    if current.jurisdiction_id != moved_from:
        # Everything counted per jurisdiction follows the enterprise to its new 板块.
        aggregates.topics_changed(*aggregates.ALL_TOPICS)
    changes = diff(Enterprise, before, snapshot(current, fields))
    if changes:
        audit_record(
            actor=actor,
            action=AuditEvent.Action.UPDATE,
            instance=current,
            changes=changes,
            enterprise_id=current.pk,
            jurisdiction_id=current.jurisdiction_id,
        )
    return current


def figures_errors(values: Mapping[str, Any]) -> dict[str, str]:
    """Cross-field problems of one year's figures, by field (shared by forms and imports)."""
    errors: dict[str, str] = {}

    def over(small: str, big: str, message: str) -> None:
        a, b = values.get(small), values.get(big)
        if a is not None and b is not None and a > b:
            errors[small] = message

    over("tech_staff", "employees", "科技人员数不能超过职工总数。")
    over("rd_staff", "employees", "研发人员数不能超过职工总数。")
    over("main_revenue", "revenue", "主营业务收入不能超过销售收入。")
    over("hightech_revenue", "total_income", "高新技术产品（服务）收入不能超过收入总额。")
    over("rd_expense_domestic", "rd_expense", "境内研发费用不能超过研发费用。")
    return errors


def _check_figures(values: Mapping[str, Any]) -> None:
    errors = figures_errors(values)
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def figures_save(
    *,
    actor: User,
    enterprise: Enterprise,
    year: int,
    data: Mapping[str, Any],
    expected_updated_at: dt.datetime | None = None,
    create_only: bool = False,
    is_demo: bool = False,
) -> AnnualFigures:
    """Create or change one fiscal year's figures (年度数据填报).

    `expected_updated_at` is the stored row's as the editor read it (a later save is refused);
    `create_only` refuses a year already stored, so adding a year never replaces one.
    """
    _require_editor(actor)
    _unknown_fields(data, FIGURE_FIELDS)
    Enterprise.objects.visible_to(actor).get(pk=enterprise.pk)
    this_year = timezone.localdate().year
    if not 1990 <= year <= this_year:
        raise ApplicationError(f"年度应在1990至{this_year}之间。", field="year")
    _check_figures(data)
    row = (
        AnnualFigures.objects.visible_to(actor)
        .select_for_update()
        .filter(enterprise=enterprise, year=year)
        .first()
    )
    created = row is None
    if created:
        row = AnnualFigures(enterprise=enterprise, year=year, is_demo=is_demo)
        before: dict[str, Any] = {}
    else:
        if create_only:
            raise ConcurrentEditError(
                f"{year}年度数据已存在（可能刚被他人录入），请刷新后修改该年度。"
            )
        if expected_updated_at is not None and row.updated_at != expected_updated_at:
            raise ConcurrentEditError()
        before = snapshot(row, list(FIGURE_FIELDS))
    for name, value in data.items():
        setattr(row, name, value)
    row.full_clean()
    row.save()
    notify_enterprise_changed(enterprise.pk)
    changes = diff(AnnualFigures, before, snapshot(row, list(FIGURE_FIELDS)))
    if changes:
        audit_record(
            actor=actor,
            action=AuditEvent.Action.CREATE if created else AuditEvent.Action.UPDATE,
            instance=row,
            changes=changes,
            enterprise_id=enterprise.pk,
            jurisdiction_id=enterprise.jurisdiction_id,
        )
    return row


@transaction.atomic
def title_add(*, actor: User, enterprise: Enterprise, data: Mapping[str, Any]) -> TitleHeld:
    """Record a title or honour the enterprise holds (资质荣誉登记)."""
    _require_editor(actor)
    _unknown_fields(data, TITLE_FIELDS)
    Enterprise.objects.visible_to(actor).get(pk=enterprise.pk)
    title = TitleHeld(enterprise=enterprise, **data)
    if title.valid_from and title.valid_until and title.valid_until < title.valid_from:
        raise ValidationError({"valid_until": "有效期至不能早于认定日期。"})
    title.full_clean()
    title.save()
    notify_enterprise_changed(enterprise.pk)
    aggregates.topics_changed(aggregates.TITLES)
    audit_record(
        actor=actor,
        action=AuditEvent.Action.CREATE,
        instance=title,
        changes=diff(TitleHeld, {}, snapshot(title, list(TITLE_FIELDS))),
        enterprise_id=enterprise.pk,
        jurisdiction_id=enterprise.jurisdiction_id,
    )
    return title


@transaction.atomic
def ip_add(*, actor: User, enterprise: Enterprise, data: Mapping[str, Any]) -> IntellectualProperty:
    """Record a granted IP right (知识产权登记)."""
    _require_editor(actor)
    fields = ("kind", "number", "title", "granted_on", "self_developed", "high_value")
    _unknown_fields(data, fields)
    Enterprise.objects.visible_to(actor).get(pk=enterprise.pk)
    right = IntellectualProperty(enterprise=enterprise, **data)
    right.full_clean()
    right.save()
    notify_enterprise_changed(enterprise.pk)
    audit_record(
        actor=actor,
        action=AuditEvent.Action.CREATE,
        instance=right,
        changes=diff(IntellectualProperty, {}, snapshot(right, list(fields))),
        enterprise_id=enterprise.pk,
        jurisdiction_id=enterprise.jurisdiction_id,
    )
    return right


@transaction.atomic
def incident_add(*, actor: User, enterprise: Enterprise, data: Mapping[str, Any]) -> Incident:
    """Record an incident or credit event (事故与信用事件); the verdicts are re-evaluated.

    Once an enterprise has recorded incidents they replace the profile's yes/no
    `major_incident` flag for the eligibility windows (see docs/cultivation.md).
    """
    _require_editor(actor)
    _unknown_fields(data, INCIDENT_FIELDS)
    Enterprise.objects.visible_to(actor).get(pk=enterprise.pk)
    incident = Incident(enterprise=enterprise, **data)
    if incident.occurred_on and incident.occurred_on > timezone.localdate():
        raise ValidationError({"occurred_on": "发生日期不能晚于今天。"})
    incident.full_clean()
    incident.save()
    notify_enterprise_changed(enterprise.pk)
    audit_record(
        actor=actor,
        action=AuditEvent.Action.CREATE,
        instance=incident,
        changes=diff(Incident, {}, snapshot(incident, list(INCIDENT_FIELDS))),
        enterprise_id=enterprise.pk,
        jurisdiction_id=enterprise.jurisdiction_id,
    )
    return incident


@transaction.atomic
def incident_delete(*, actor: User, enterprise: Enterprise, incident_id: int) -> None:
    """Remove an incident recorded by mistake; audited with what it said."""
    _require_editor(actor)
    Enterprise.objects.visible_to(actor).get(pk=enterprise.pk)
    incident = Incident.objects.visible_to(actor).get(pk=incident_id, enterprise=enterprise)
    before = snapshot(incident, list(INCIDENT_FIELDS))
    audit_record(
        actor=actor,
        action=AuditEvent.Action.DELETE,
        instance=incident,
        changes=diff(Incident, before, dict.fromkeys(before)),
        note=f"删除：{incident}",
        enterprise_id=enterprise.pk,
        jurisdiction_id=enterprise.jurisdiction_id,
    )
    incident.delete()
    notify_enterprise_changed(enterprise.pk)
