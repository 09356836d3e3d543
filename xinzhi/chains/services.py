"""Writes of the industry-chain map; each checks role and scope, validates and audits.

The closed loop (补链闭环) runs through here: a gap target becomes a 招商 lead carrying its node
(`target_convert`, through `attraction.services.lead_create`); when the lead lands by the
existing landing flow, its enterprise is on the node (selectors.chain_seats) and the figures move.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

import yaml
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F

from xinzhi.accounts import permissions
from xinzhi.accounts.models import Jurisdiction, User
from xinzhi.attraction import services as attraction_services
from xinzhi.attraction.choices import Channel
from xinzhi.attraction.models import Lead
from xinzhi.chains.choices import MemberRole, MetricKey, Position, TargetSource, TargetStatus
from xinzhi.chains.models import Chain, GapTarget, LeadNode, Membership, Node
from xinzhi.core.audit import audit_record, diff, snapshot
from xinzhi.core.exceptions import ApplicationError, ConcurrentEditError
from xinzhi.core.models import AuditEvent
from xinzhi.enterprises.models import Enterprise

DEFAULT_CHAINS = Path(__file__).resolve().parent / "data" / "wujin.yaml"
TARGET_FIELDS = ("name", "region", "reason", "source", "proposed_role")
MEMBERSHIP_FIELDS = ("role", "function_kind", "joined_on", "note")


def _require(allowed: bool, message: str) -> None:
    if not allowed:
        raise ApplicationError(message, code="forbidden")


# ---------------------------------------------------------------- chains as data


def chains_load(*, path: Path = DEFAULT_CHAINS, data: Mapping[str, Any] | None = None) -> dict:
    """Create or update chains and their node trees from a YAML file (by code; idempotent).

    Nodes missing from the file are kept (they may carry enterprises); the admin removes them.
    Returns {"chains": n, "nodes": n}.
    """
    if data is None:
        try:
            data = yaml.safe_load(path.read_text(encoding="utf-8"))
        except (OSError, yaml.YAMLError) as exc:
            raise ApplicationError(f"{path}：无法读取产业链文件（{exc}）") from exc
    if not isinstance(data, dict) or not isinstance(data.get("chains"), list):
        raise ApplicationError("产业链文件的顶层应为 chains: 列表")
    with transaction.atomic():
        counts = {"chains": 0, "nodes": 0}
        for order, item in enumerate(data["chains"], start=1):
            chain = _load_chain(item, order)
            counts["chains"] += 1
            for node_order, node in enumerate(item.get("nodes") or [], start=1):
                counts["nodes"] += _load_node(chain, node, None, node_order)
    return counts


def _text(item: Mapping[str, Any], key: str, where: str) -> str:
    value = item.get(key)
    if not isinstance(value, str) or not value.strip():
        raise ApplicationError(f"{where}：缺少 {key}")
    return value.strip()


def _load_chain(item: Any, order: int) -> Chain:
    if not isinstance(item, dict):
        raise ApplicationError(f"第 {order} 条产业链应为一个映射")
    code = _text(item, "code", f"第 {order} 条产业链")
    values: dict[str, Any] = {
        "name": _text(item, "name", f"产业链 {code}"),
        "description": str(item.get("description") or ""),
        "order": order,
    }
    if "value_added_rate" in item:
        try:
            values["value_added_rate"] = Decimal(str(item["value_added_rate"]))
        except InvalidOperation as exc:
            raise ApplicationError(f"产业链 {code}：增加值率应为 0~1 的小数") from exc
    if "weak_threshold" in item:
        values["weak_threshold"] = item["weak_threshold"]
    definitions = item.get("definitions") or {}
    unknown = set(definitions) - set(MetricKey.values)
    if unknown:
        raise ApplicationError(f"产业链 {code}：未知的指标口径 {'、'.join(sorted(unknown))}")
    values["definitions"] = definitions
    chain = Chain.objects.filter(code=code).first() or Chain(code=code)
    for name, value in values.items():
        setattr(chain, name, value)
    try:
        chain.full_clean()
    except ValidationError as exc:
        raise ApplicationError(f"产业链 {code}：{'；'.join(exc.messages)}") from exc
    chain.save()
    return chain


def _load_node(chain: Chain, item: Any, parent: Node | None, order: int) -> int:
    where = f"产业链 {chain.code} 的环节"
    if not isinstance(item, dict):
        raise ApplicationError(f"{where}应为映射")
    code = _text(item, "code", where)
    position = item.get("position") or (parent.position if parent else "")
    if position not in Position.values:
        raise ApplicationError(f"{where} {code}：position 应为 upstream/midstream/downstream")
    node = Node.objects.filter(chain=chain, code=code).first() or Node(chain=chain, code=code)
    node.name = _text(item, "name", f"{where} {code}")
    node.parent = parent
    node.position = position
    node.is_key = bool(item.get("key", False))
    node.order = order
    node.description = str(item.get("description") or "")
    try:
        node.full_clean()
    except ValidationError as exc:
        raise ApplicationError(f"{where} {code}：{'；'.join(exc.messages)}") from exc
    node.save()
    count = 1
    for child_order, child in enumerate(item.get("children") or [], start=1):
        count += _load_node(chain, child, node, child_order)
    return count


# ---------------------------------------------------------------- memberships


def _audit(actor: User, action: str, instance: Any, changes: dict, **scope: Any) -> None:
    audit_record(actor=actor, action=action, instance=instance, changes=changes, **scope)


@transaction.atomic
def membership_add(
    *,
    actor: User,
    node: Node,
    data: Mapping[str, Any],
    enterprise: Enterprise | None = None,
    outside_name: str = "",
    outside_region: str = "",
    is_demo: bool = False,
) -> Membership:
    """Place a local enterprise on a node (入链), or list an outside core company (admin only)."""
    _require(permissions.can_edit_chain_members(actor), "当前角色只能查看，不能调整链上企业。")
    unknown = set(data) - set(MEMBERSHIP_FIELDS)
    if unknown:
        raise ApplicationError(f"不支持的字段：{'、'.join(sorted(unknown))}")
    if enterprise is not None:
        # Re-read through the actor's scope: another 板块's enterprise is not theirs to place.
        enterprise = Enterprise.objects.visible_to(actor).get(pk=enterprise.pk)
    elif outside_name.strip():
        _require(permissions.can_manage_chains(actor), "只有区管理员可以登记外地核心企业。")
    else:
        raise ApplicationError("请选择本地企业，或填写外地企业名称。", field="enterprise")
    membership = Membership(
        node=node,
        enterprise=enterprise,
        outside_name="" if enterprise else outside_name.strip(),
        outside_region="" if enterprise else outside_region.strip(),
        is_demo=is_demo,
        **data,
    )
    if (
        enterprise is not None
        and Membership.all_objects.filter(node=node, enterprise=enterprise).exists()
    ):
        raise ApplicationError(f"{enterprise.name}已在“{node.name}”环节。", field="enterprise")
    membership.full_clean()
    membership.save()
    _audit(
        actor,
        AuditEvent.Action.CREATE,
        membership,
        diff(
            Membership,
            {},
            {k: v for k, v in snapshot(membership, ["node", *MEMBERSHIP_FIELDS]).items() if v},
        ),
        enterprise_id=enterprise.pk if enterprise else None,
        jurisdiction_id=enterprise.jurisdiction_id if enterprise else None,
    )
    return membership


@transaction.atomic
def membership_remove(*, actor: User, membership: Membership) -> None:
    """Take an enterprise off a node (出链); an outside company only by the admin."""
    _require(permissions.can_edit_chain_members(actor), "当前角色只能查看，不能调整链上企业。")
    if membership.enterprise_id is None:
        _require(permissions.can_manage_chains(actor), "只有区管理员可以移除外地核心企业。")
        current = Membership.all_objects.select_for_update().get(pk=membership.pk)
    else:
        current = Membership.objects.visible_to(actor).select_for_update().get(pk=membership.pk)
    _audit(
        actor,
        AuditEvent.Action.DELETE,
        current,
        diff(Membership, snapshot(current, ["node", "role"]), {"node": None, "role": None}),
        enterprise_id=current.enterprise_id,
        jurisdiction_id=current.enterprise.jurisdiction_id if current.enterprise_id else None,
    )
    current.delete()


# ---------------------------------------------------------------- gap targets → leads


@transaction.atomic
def target_create(
    *, actor: User, node: Node, data: Mapping[str, Any], is_demo: bool = False
) -> GapTarget:
    """Add an outside company worth attracting to a node (补链招商目标)."""
    _require(permissions.can_manage_chains(actor), "只有区管理员可以维护补链招商目标。")
    unknown = set(data) - set(TARGET_FIELDS)
    if unknown:
        raise ApplicationError(f"不支持的字段：{'、'.join(sorted(unknown))}")
    target = GapTarget(node=node, created_by=actor, is_demo=is_demo, **data)
    target.full_clean()
    target.save()
    _audit(
        actor,
        AuditEvent.Action.CREATE,
        target,
        diff(
            GapTarget,
            {},
            {k: v for k, v in snapshot(target, ["node", *TARGET_FIELDS]).items() if v},
        ),
    )
    return target


@transaction.atomic
def target_set_status(
    *, actor: User, target: GapTarget, status: str, expected_version: int | None = None
) -> GapTarget:
    """Shelve a target (暂缓) or reopen it (待接洽); a converted one follows its lead."""
    _require(permissions.can_manage_chains(actor), "只有区管理员可以维护补链招商目标。")
    current = GapTarget.objects.select_for_update().get(pk=target.pk)
    if expected_version is not None and current.version != expected_version:
        raise ConcurrentEditError()
    if current.status == TargetStatus.CONVERTED or status not in (
        TargetStatus.OPEN,
        TargetStatus.SHELVED,
    ):
        raise ApplicationError("已转为招商项目的目标不能再改状态。", field="status")
    before = snapshot(current, ["status"])
    current.status = status
    current.version += 1
    current.save(update_fields=["status", "version", "updated_at"])
    _audit(
        actor,
        AuditEvent.Action.UPDATE,
        current,
        diff(GapTarget, before, snapshot(current, ["status"])),
    )
    return current


def lead_segment(node: Node) -> str:
    """The lead's free-text 产业链/细分领域 for a node, within its 40 characters."""
    return f"{node.chain.name}·{node.name}"[:40]


@transaction.atomic
def target_convert(
    *,
    actor: User,
    target: GapTarget,
    jurisdiction: Jurisdiction,
    officer: User | None = None,
    expected_version: int | None = None,
    on: dt.date | None = None,
) -> Lead:
    """Turn a target into a 招商 lead carrying its node (转为招商项目), in one step.

    The lead starts in the first stage through `attraction.services.lead_create` (its rules,
    history and audit); landing it later puts the enterprise on the node.
    """
    _require(permissions.can_edit_chain_members(actor), "当前角色只能查看，不能新建招商项目。")
    current = GapTarget.objects.select_for_update().select_related("node__chain").get(pk=target.pk)
    if expected_version is not None and current.version != expected_version:
        raise ConcurrentEditError("该目标刚被他人更新过，请刷新后再操作。")
    if current.lead_id is not None or current.status == TargetStatus.CONVERTED:
        raise ApplicationError(f"“{current.name}”已转为招商项目。")
    if current.status == TargetStatus.SHELVED:
        raise ApplicationError(f"“{current.name}”已暂缓，请先恢复为待接洽。")
    node = current.node
    source = TargetSource(current.source).label
    lead = attraction_services.lead_create(
        actor=actor,
        on=on,
        is_demo=current.is_demo,
        data={
            "name": f"{current.name}{node.name}项目"[:120],
            "summary": "；".join(
                p
                for p in (
                    f"补链招商目标（{node.chain.name}·{node.name}，来源：{source}）",
                    current.reason,
                )
                if p
            ),
            "source_region": current.region[:40],
            "channel": Channel.BUSINESS if current.source == TargetSource.LEADER_SUPPLIER else "",
            "segment": lead_segment(node),
            "jurisdiction": jurisdiction,
            "officer": officer,
        },
    )
    LeadNode.all_objects.create(lead=lead, node=node, role=current.proposed_role)
    before = snapshot(current, ["status", "lead"])
    current.status = TargetStatus.CONVERTED
    current.lead = lead
    current.version += 1
    current.save(update_fields=["status", "lead", "version", "updated_at"])
    _audit(
        actor,
        AuditEvent.Action.UPDATE,
        current,
        diff(GapTarget, before, snapshot(current, ["status", "lead"])),
        note="转为招商项目",
    )
    return lead


@transaction.atomic
def lead_node_set(
    *, actor: User, lead: Lead, node: Node | None, role: str = MemberRole.GENERAL
) -> LeadNode | None:
    """Say which node a lead serves (招商项目所属环节), or clear it with `node=None`."""
    _require(permissions.can_edit_chain_members(actor), "当前角色只能查看，不能修改招商项目。")
    current = Lead.objects.visible_to(actor).select_for_update().get(pk=lead.pk)
    link = LeadNode.all_objects.filter(lead=current).select_related("node").first()
    before = {"node": str(link.node) if link else None}
    if node is None:
        if link:
            link.delete()
        result = None
    else:
        if role not in MemberRole.values:
            raise ApplicationError("未知的链上角色。", field="role")
        result, _ = LeadNode.all_objects.update_or_create(
            lead=current, defaults={"node": node, "role": role}
        )
        if not current.segment:
            Lead.all_objects.filter(pk=current.pk).update(
                segment=lead_segment(node), version=F("version") + 1
            )
    after = {"node": str(node) if node else None}
    if before != after:
        audit_record(
            actor=actor,
            action=AuditEvent.Action.UPDATE,
            instance=current,
            changes={
                "chain_node": {
                    "label": "所属产业链环节",
                    **{"before": before["node"], "after": after["node"]},
                }
            },
            enterprise_id=current.enterprise_id,
            jurisdiction_id=current.jurisdiction_id,
        )
    return result
