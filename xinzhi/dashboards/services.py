"""Writes of targets and statistics: targets (目标), typed-in values (手工填报) and city rankings
(全市排名). District-wide data: the bureau admin keeps it; every change is audited and a stale
form (someone saved in between) is refused, not written over."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.db import IntegrityError, models, transaction

from xinzhi.accounts import permissions
from xinzhi.accounts.models import User
from xinzhi.core.audit import audit_record, diff, snapshot
from xinzhi.core.exceptions import ApplicationError, ConcurrentEditError
from xinzhi.core.models import AuditEvent
from xinzhi.dashboards.models import (
    MANUAL_VALUE_TAKEN,
    RANKING_TAKEN,
    TARGET_TAKEN,
    CityRanking,
    Indicator,
    ManualValue,
    Target,
)

TARGET_FIELDS = ("indicator", "year", "jurisdiction", "level", "value", "note")
MANUAL_VALUE_FIELDS = ("indicator", "year", "month", "jurisdiction", "value", "source_note")
RANKING_FIELDS = ("indicator", "year", "month", "rank", "among", "source")
DUPLICATE_MESSAGES = {
    Target: TARGET_TAKEN,
    ManualValue: MANUAL_VALUE_TAKEN,
    CityRanking: RANKING_TAKEN,
}


# The indicator library a district starts with (指标库), also written by migration 0002: code,
# name, unit, period type, computation ("" = typed in), key indicator, source note.
DEFAULT_INDICATORS = (
    ("hnte_applications", "申报高企数", "家", "month", "hnte_applications", True, ""),
    ("unicorn_titles", "获评独角兽（潜在独角兽）企业数", "家", "month", "unicorn_titles", True, ""),
    ("gazelle_titles", "获评瞪羚企业数", "家", "month", "gazelle_titles", True, ""),
    (
        "tsme_evaluations",
        "申请入库评价科技型中小企业数",
        "家",
        "month",
        "tsme_evaluations",
        True,
        "",
    ),
    ("attracted_tsme", "招引科技型中小微企业数", "家", "month", "attracted_tsme", True, ""),
    ("project_recognitions", "科技项目认定数", "个", "month", "project_recognitions", True, ""),
    ("wukedai_households", "武科贷投放户数", "户", "month", "wukedai_households", True, ""),
    ("wukedai_amount", "武科贷投放金额", "万元", "month", "wukedai_amount", True, ""),
    (
        "tech_projects_attracted",
        "招引科技项目数",
        "个",
        "month",
        "tech_projects_attracted",
        False,
        "",
    ),
    (
        "talents_attracted",
        "引进各类人才数",
        "万人",
        "year",
        "",
        False,
        "平台只记录人才计划推荐（龙城英才等），不掌握全部引进人才；按区人才工作年度统计填报",
    ),
    ("hnte_net_increase", "净增高新技术企业数", "家", "year", "hnte_net_increase", False, ""),
    ("tsme_new", "新增科技型中小企业数", "家", "month", "tsme_new", False, ""),
    (
        "key_project_investment",
        "区重点项目完成投资",
        "万元",
        "month",
        "key_project_investment",
        False,
        "",
    ),
    ("reward_paid", "政策兑现拨付金额", "万元", "month", "reward_paid", False, ""),
)


def indicators_ensure_defaults() -> int:
    """Create the default indicators that are missing (after a flush; idempotent); how many."""
    created = 0
    for order, (code, name, unit, period_type, computation, key, note) in enumerate(
        DEFAULT_INDICATORS, start=1
    ):
        _, made = Indicator.objects.get_or_create(
            code=code,
            defaults={
                "name": name,
                "unit": unit,
                "period_type": period_type,
                "computation": computation,
                "is_key": key,
                "source_note": note,
                "order": order * 10,
            },
        )
        created += made
    return created


def require_manager(actor: User | None) -> None:
    if actor is not None and not permissions.can_manage_targets(actor):
        raise ApplicationError("只有区管理员可以维护目标、填报值和全市排名。", code="forbidden")


def _manager(model: type[models.Model]) -> models.Manager:
    return model.all_objects if hasattr(model, "all_objects") else model.objects


def _save[Row: (Target, ManualValue, CityRanking)](
    model: type[Row],
    fields: tuple[str, ...],
    *,
    actor: User | None,
    data: Mapping[str, Any],
    instance: Row | None,
    expected_version: int | None,
    author_field: str,
) -> Row:
    require_manager(actor)
    unknown = set(data) - set(fields)
    if unknown:
        raise ApplicationError(f"不支持的字段：{'、'.join(sorted(unknown))}")
    if instance is None:
        current, before = model(), {}
    else:
        current = _manager(model).select_for_update().get(pk=instance.pk)
        if expected_version is not None and current.version != expected_version:
            raise ConcurrentEditError()
        before = snapshot(current, list(fields))
    for name, value in data.items():
        setattr(current, name, value)
    if actor is not None:
        setattr(current, author_field, actor)
    current.full_clean()
    if instance is not None:
        current.version += 1
    try:
        with transaction.atomic():
            current.save()
    except IntegrityError as exc:  # a concurrent create of the same row
        raise ApplicationError(DUPLICATE_MESSAGES[model]) from exc
    audit_record(
        actor=actor,
        action=AuditEvent.Action.CREATE if instance is None else AuditEvent.Action.UPDATE,
        instance=current,
        changes=diff(model, before, snapshot(current, list(fields))),
        jurisdiction_id=getattr(current, "jurisdiction_id", None),
    )
    return current


def _delete[Row: (Target, ManualValue, CityRanking)](
    model: type[Row], *, actor: User | None, instance: Row, expected_version: int | None
) -> None:
    require_manager(actor)
    current = _manager(model).select_for_update().get(pk=instance.pk)
    if expected_version is not None and current.version != expected_version:
        raise ConcurrentEditError()
    audit_record(
        actor=actor,
        action=AuditEvent.Action.DELETE,
        instance=current,
        jurisdiction_id=getattr(current, "jurisdiction_id", None),
    )
    current.delete()


@transaction.atomic
def target_save(
    *,
    actor: User | None,
    data: Mapping[str, Any],
    target: Target | None = None,
    expected_version: int | None = None,
) -> Target:
    """Set a target (设置目标) for an indicator, year and unit at the city or district level."""
    return _save(
        Target,
        TARGET_FIELDS,
        actor=actor,
        data=data,
        instance=target,
        expected_version=expected_version,
        author_field="set_by",
    )


@transaction.atomic
def target_delete(
    *, actor: User | None, target: Target, expected_version: int | None = None
) -> None:
    """Remove a target (删除目标)."""
    _delete(Target, actor=actor, instance=target, expected_version=expected_version)


@transaction.atomic
def manual_value_save(
    *,
    actor: User | None,
    data: Mapping[str, Any],
    manual_value: ManualValue | None = None,
    expected_version: int | None = None,
) -> ManualValue:
    """Type in a 1—N月 figure with its source (手工填报)."""
    return _save(
        ManualValue,
        MANUAL_VALUE_FIELDS,
        actor=actor,
        data=data,
        instance=manual_value,
        expected_version=expected_version,
        author_field="entered_by",
    )


@transaction.atomic
def manual_value_delete(
    *, actor: User | None, manual_value: ManualValue, expected_version: int | None = None
) -> None:
    """Remove a typed-in figure (删除填报值)."""
    _delete(ManualValue, actor=actor, instance=manual_value, expected_version=expected_version)


@transaction.atomic
def city_ranking_save(
    *,
    actor: User | None,
    data: Mapping[str, Any],
    ranking: CityRanking | None = None,
    expected_version: int | None = None,
) -> CityRanking:
    """Record the district's place in a city bulletin (登记全市排名)."""
    return _save(
        CityRanking,
        RANKING_FIELDS,
        actor=actor,
        data=data,
        instance=ranking,
        expected_version=expected_version,
        author_field="entered_by",
    )


@transaction.atomic
def city_ranking_delete(
    *, actor: User | None, ranking: CityRanking, expected_version: int | None = None
) -> None:
    """Remove a city ranking (删除全市排名)."""
    _delete(CityRanking, actor=actor, instance=ranking, expected_version=expected_version)
