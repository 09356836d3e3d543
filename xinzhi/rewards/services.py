"""Writes of 政策兑现: load rules, run the 测算, the workflow, publicity, payment, bank account.

Every write is audited; signed-off rows are changed only under a row lock, so two officers
clicking at once, or two payments of the same entitlement, cannot both succeed.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any

from django.db import IntegrityError, transaction
from django.db.models import F, Q, Sum
from django.utils import timezone

from xinzhi.accounts import permissions
from xinzhi.core.audit import audit_record
from xinzhi.core.exceptions import ApplicationError, ConcurrentEditError
from xinzhi.core.models import AuditEvent
from xinzhi.enterprises.models import Enterprise, Incident
from xinzhi.rewards import rules
from xinzhi.rewards.choices import (
    COMMITTED_STATUSES,
    LIVE_STATUSES,
    OPEN_STATUSES,
    EntitlementStatus,
    ObjectionStatus,
)
from xinzhi.rewards.models import (
    BankAccount,
    BudgetLine,
    Entitlement,
    EntitlementRun,
    Objection,
    Payment,
    Publicity,
    RewardItem,
    RewardPolicy,
)
from xinzhi.rewards.triggers import TRIGGERS, Candidate, trigger_kinds

if TYPE_CHECKING:
    from xinzhi.accounts.models import User

S = EntitlementStatus


def _require(allowed: bool, message: str = permissions.ADMIN_ONLY_MESSAGE) -> None:
    if not allowed:
        raise ApplicationError(message, code="forbidden")


def _audit(
    actor: User | None, entitlement: Entitlement, action: str, changes: dict, note: str
) -> None:
    audit_record(
        actor=actor,
        action=action,
        instance=entitlement,
        changes=changes,
        note=note,
        enterprise_id=entitlement.enterprise_id,
        jurisdiction_id=entitlement.jurisdiction_id,
    )


def _status_change(before: str, after: str) -> dict:
    return {
        "status": {
            "label": "状态",
            "before": S(before).label if before else None,
            "after": S(after).label,
        }
    }


# --- rules ---------------------------------------------------------------------------------


@transaction.atomic
def policy_load(*, actor: User | None, spec: rules.PolicySpec) -> RewardPolicy:
    """Create or update a policy, its items and budget lines from a parsed rule set.

    Items and budget lines already referenced by entitlements are updated in place (their
    history keeps pointing at them); nothing is deleted.
    """
    policy, created = RewardPolicy.objects.update_or_create(
        code=spec.code,
        defaults={
            "name": spec.name,
            "document_no": spec.document_no,
            "issuer": spec.issuer,
            "published_on": spec.published_on,
            "effective_from": spec.effective_from,
            "effective_to": spec.effective_to,
            "is_example": spec.is_example,
            "note": spec.note,
            "source": spec.source,
        },
    )
    for order, item in enumerate(spec.items):
        RewardItem.objects.update_or_create(
            policy=policy,
            code=item.code,
            defaults={
                "name": item.name,
                "trigger": item.trigger,
                "amount_rule": item.amount.as_dict(),
                "budget_line_code": item.budget_line,
                "exclusive_group": item.exclusive_group,
                "once_key": item.once_key,
                "note": item.note,
                "sort_order": order,
            },
        )
    for year, values in spec.budgets.items():
        for code, amount in values.items():
            BudgetLine.objects.update_or_create(
                policy=policy,
                year=year,
                code=code,
                defaults={"name": spec.budget_lines[code], "amount_wan": amount},
            )
    AuditEvent.all_objects.create(
        actor=actor if actor is not None and actor.is_authenticated else None,
        actor_name=actor.display_name if actor is not None and actor.is_authenticated else "系统",
        action=AuditEvent.Action.CREATE if created else AuditEvent.Action.IMPORT,
        object_type=RewardPolicy._meta.label_lower,
        object_id=str(policy.pk),
        object_repr=str(policy)[:255],
        note=f"载入奖补规则 {spec.code}（{len(spec.items)} 个事项）",
    )
    return policy


def policy_load_file(*, actor: User | None, path: Path) -> RewardPolicy:
    try:
        spec = rules.load_file(path, trigger_kinds=trigger_kinds())
    except rules.RuleError as exc:
        raise ApplicationError(f"{path.name}：{exc}") from exc
    return policy_load(actor=actor, spec=spec)


def policies_load_bundled(*, actor: User | None = None) -> list[RewardPolicy]:
    """Load every rule set shipped in xinzhi/rewards/rulesets (idempotent)."""
    return [policy_load_file(actor=actor, path=path) for path in rules.bundled_files()]


def policy_for_year(year: int) -> RewardPolicy | None:
    """The policy in force in `year`: the latest active one whose dates cover it."""
    for policy in RewardPolicy.objects.filter(is_active=True).order_by("-effective_from", "-id"):
        if policy.covers(year):
            return policy
    return None


@transaction.atomic
def budget_update(
    *, actor: User, line: BudgetLine, amount_wan: Decimal, expected_version: int
) -> BudgetLine:
    """Set a year's budget of one line (admin), audited; a concurrent edit is refused."""
    _require(permissions.can_manage_rewards(actor))
    current = BudgetLine.objects.select_for_update().get(pk=line.pk)
    if current.version != expected_version:
        raise ConcurrentEditError()
    if amount_wan < 0:
        raise ApplicationError("预算不能为负数。", field="amount_wan")
    before = current.amount_wan
    current.amount_wan = amount_wan
    current.version += 1
    current.full_clean()
    current.save()
    audit_record(
        actor=actor,
        action=AuditEvent.Action.UPDATE,
        instance=current,
        changes={
            "amount_wan": {
                "label": "年度预算（万元）",
                "before": str(before),
                "after": str(amount_wan),
            }
        },
        note="修改年度预算",
    )
    return current


# --- the 测算 run --------------------------------------------------------------------------


@dataclass
class _Found:
    item: RewardItem
    candidate: Candidate
    amount: Decimal | None
    explanation: str
    reason: str = ""

    @property
    def key(self) -> tuple[int, int, str, int]:
        c = self.candidate
        return (self.item.pk, c.enterprise_id, c.source_kind, c.source_id)


def _dishonest(enterprise_ids: Iterable[int], year: int) -> dict[int, str]:
    """Enterprises in 严重失信 (the profile's flag, or a 重大/严重 失信 event in the year or the
    year before, or undated), with the reason in words."""
    from xinzhi.cultivation.models import QualificationProfile

    ids = list(enterprise_ids)
    reasons: dict[int, str] = {}
    for enterprise_id in (
        QualificationProfile.objects.unscoped()
        .filter(enterprise_id__in=ids, serious_dishonesty=True)
        .values_list("enterprise_id", flat=True)
    ):
        reasons[enterprise_id] = "企业列入经营异常名录或严重失信名单（认定要素）"
    events = (
        Incident.objects.unscoped()
        .filter(enterprise_id__in=ids, kind="dishonesty", severity__in=["major", "serious"])
        .filter(
            Q(occurred_on__isnull=True)
            | Q(occurred_on__gte=dt.date(year - 1, 1, 1), occurred_on__lte=dt.date(year, 12, 31))
        )
        .order_by("occurred_on")
    )
    for event in events:
        when = f"{event.occurred_on:%Y-%m-%d}" if event.occurred_on else "日期不详的"
        reasons.setdefault(
            event.enterprise_id,
            f"{when}{event.get_severity_display()}失信事件："
            f"{event.description or '见事故与信用事件'}",
        )
    return reasons


def _facts_with_figures(found: list[tuple[RewardItem, Candidate]], year: int) -> None:
    """Add 研发费用 (元) of `year` to candidates of percentage-of-R&D items."""
    from xinzhi.enterprises.models import AnnualFigures

    wanted = {c.enterprise_id for item, c in found if item.amount_rule.get("base") == "rd_expense"}
    if not wanted:
        return
    rd = dict(
        AnnualFigures.objects.unscoped()
        .filter(enterprise_id__in=wanted, year=year)
        .values_list("enterprise_id", "rd_expense")
    )
    for item, c in found:
        if item.amount_rule.get("base") == "rd_expense" and rd.get(c.enterprise_id) is not None:
            c.facts["rd_expense"] = rd[c.enterprise_id] * 10000


def compute_entitlements(policy: RewardPolicy, year: int) -> tuple[list[_Found], list[str]]:
    """Every candidate of every item with its amount, explanation and exclusion (no writes).

    Exclusions, in order: no amount (e.g. a level outside the tiers); 严重失信; already enjoyed
    in an earlier year (once per enterprise per title); 就高不重复 within a group and year.
    """
    notes: list[str] = []
    pairs: list[tuple[RewardItem, Candidate]] = []
    for item in policy.items.all():
        trigger = TRIGGERS.get(item.trigger.get("kind", ""))
        if trigger is None:
            notes.append(
                f"事项“{item.name}”的触发条件“{item.trigger.get('kind')}”尚未实现，未测算。"
            )
            continue
        pairs.extend((item, c) for c in trigger.find(item.trigger, year))
    _facts_with_figures(pairs, year)
    found: list[_Found] = []
    for item, c in pairs:
        amount, words = item.amount.compute(c.facts)
        found.append(_Found(item, c, amount, f"{c.what}，{words}"))
        if amount is None:
            found[-1].reason = f"不符合金额规则：{words}"
            found[-1].explanation = c.what
        elif amount <= 0:
            found[-1].reason = "按规则计算金额为0"
    enterprise_ids = {f.candidate.enterprise_id for f in found}
    dishonest = _dishonest(enterprise_ids, year)
    once_keys = {f.item.once_key for f in found if f.item.once_key}
    earlier: dict[tuple[int, str], int] = {}
    for enterprise_id, key, when in (
        Entitlement.objects.unscoped()
        .filter(enterprise_id__in=enterprise_ids, once_key__in=once_keys, year__lt=year)
        .filter(status__in=LIVE_STATUSES)
        .values_list("enterprise_id", "once_key", "year")
    ):
        earlier.setdefault((enterprise_id, key), when)
    for f in found:
        if f.reason:
            continue
        eid = f.candidate.enterprise_id
        if eid in dishonest:
            f.reason = f"严重失信不予兑现：{dishonest[eid]}"
        elif f.item.once_key and (eid, f.item.once_key) in earlier:
            when = earlier[(eid, f.item.once_key)]
            f.reason = f"已于{when}年享受同一资质奖励（同一企业同一资质限享一次）"
    # 就高不重复 (by group) and once-per-title within the year (by once key): keep the highest.
    for attr in ("exclusive_group", "once_key"):
        groups: dict[tuple[int, str], list[_Found]] = defaultdict(list)
        for f in found:
            key = getattr(f.item, attr)
            if key and not f.reason:
                groups[(f.candidate.enterprise_id, key)].append(f)
        for members in groups.values():
            if len(members) < 2:
                continue
            members.sort(key=lambda f: (-f.amount, f.item.sort_order, f.candidate.source_id))
            best = members[0]
            for other in members[1:]:
                other.reason = (
                    f"与“{best.item.name}”就高不重复，按较高的{rules.yuan_words(best.amount)}兑现"
                    if attr == "exclusive_group"
                    else f"同一资质本年度已按“{best.item.name}”兑现（限享一次）"
                )
    return found, notes


def _words(amount: Decimal | None, reason: str) -> str:
    if reason:
        return f"不予兑现（{reason}）"
    return rules.yuan_words(amount) if amount is not None else "—"


def entitlement_run(*, actor: User, year: int) -> EntitlementRun:
    """测算 of `year` (admin): find every entitlement from the records, idempotently.

    Rows nobody signed off yet (测算, 已退回, 不予兑现, 已撤销) follow the records; signed-off
    rows (确认 onwards) are never rewritten — a difference is reported on the run instead. A row
    whose trigger is gone is 已撤销 with the reason. The run lists what changed since the last.
    """
    _require(permissions.can_manage_rewards(actor))
    if year < 2000 or year > timezone.localdate().year + 1:
        raise ApplicationError("年度无效。", field="year")
    policy = policy_for_year(year)
    if policy is None:
        raise ApplicationError(
            f"{year}年没有生效的奖补政策，请先载入或启用奖补规则。", field="year"
        )
    found, notes = compute_entitlements(policy, year)
    lines = {b.code: b for b in BudgetLine.objects.filter(policy=policy, year=year)}
    enterprises = {
        e.pk: e
        for e in Enterprise.objects.unscoped().filter(
            pk__in={f.candidate.enterprise_id for f in found}
        )
    }
    with transaction.atomic():
        run = EntitlementRun.objects.create(
            year=year, policy=policy, actor=actor, actor_name=actor.display_name
        )
        existing = {
            (e.item_id, e.enterprise_id, e.source_kind, e.source_id): e
            for e in Entitlement.objects.unscoped()
            .select_for_update(of=("self",))
            .filter(year=year, policy=policy)
            .select_related("item", "enterprise")
        }
        changes: list[dict[str, Any]] = []
        counts = defaultdict(int)
        for f in found:
            c = f.candidate
            status = S.EXCLUDED if f.reason else S.CALCULATED
            amount = f.amount if f.amount is not None else Decimal(0)
            row = existing.pop(f.key, None)
            enterprise = enterprises[c.enterprise_id]
            values = {
                "amount_yuan": amount,
                "explanation": f.explanation[:500],
                "exclusion_reason": f.reason[:300],
                "source_label": c.source_label[:200],
                "source_url": c.source_url,
                "trigger_date": c.trigger_date,
                "exclusive_group": f.item.exclusive_group,
                "once_key": f.item.once_key,
                "budget_line": lines.get(f.item.budget_line_code),
                "jurisdiction_id": enterprise.jurisdiction_id,
            }
            label = {"enterprise": enterprise.name, "item": f.item.name}
            if row is None:
                row = Entitlement.objects.unscoped().create(
                    year=year,
                    policy=policy,
                    item=f.item,
                    enterprise=enterprise,
                    source_kind=c.source_kind,
                    source_id=c.source_id,
                    status=status,
                    last_run=run,
                    is_demo=enterprise.is_demo,
                    **values,
                )
                counts["added"] += 1
                _audit(actor, row, AuditEvent.Action.CREATE, {}, f"{year}年测算：{row.explanation}")
                changes.append(
                    {
                        "change": "added",
                        "entitlement": row.pk,
                        **label,
                        "after": _words(amount, f.reason),
                    }
                )
                continue
            before = _words(row.amount_yuan, row.exclusion_reason)
            after = _words(amount, f.reason)
            if row.status in (*OPEN_STATUSES, S.EXCLUDED, S.WITHDRAWN):
                # A returned row stays returned while its figure is unchanged (the officer's
                # reason still applies); any new figure goes back to 测算.
                same = before == after and row.explanation == values["explanation"]
                if row.status == S.RETURNED and same:
                    status = S.RETURNED
                dirty = not same or row.status != status
                for name, value in values.items():
                    setattr(row, name, value)
                row.last_run = run
                if dirty:
                    old_status = row.status
                    row.status = status
                    row.version += 1
                    counts["changed"] += 1
                    changes.append(
                        {
                            "change": "changed",
                            "entitlement": row.pk,
                            **label,
                            "before": before,
                            "after": after,
                        }
                    )
                    row.save()
                    _audit(
                        actor,
                        row,
                        AuditEvent.Action.UPDATE,
                        {
                            **_status_change(old_status, status),
                            "amount_yuan": {
                                "label": "兑现金额（元）",
                                "before": before,
                                "after": after,
                            },
                        },
                        f"{year}年测算更新",
                    )
                else:
                    counts["unchanged"] += 1
                    Entitlement.all_objects.filter(pk=row.pk).update(last_run=run)
            else:
                counts["unchanged"] += 1
                if before != after:
                    counts["frozen"] += 1
                    changes.append(
                        {
                            "change": "frozen",
                            "entitlement": row.pk,
                            **label,
                            "before": before,
                            "after": after,
                        }
                    )
                Entitlement.all_objects.filter(pk=row.pk).update(last_run=run)
        for row in existing.values():
            label = {"enterprise": row.enterprise.name, "item": row.item.name}
            if row.status in OPEN_STATUSES or row.status == S.EXCLUDED:
                old_status = row.status
                row.status = S.WITHDRAWN
                row.exclusion_reason = "依据记录已不再满足触发条件（如资质记录被更正或删除）"
                row.last_run = run
                row.version += 1
                row.save()
                counts["withdrawn"] += 1
                changes.append(
                    {
                        "change": "withdrawn",
                        "entitlement": row.pk,
                        **label,
                        "before": _words(row.amount_yuan, ""),
                        "after": "已撤销",
                    }
                )
                _audit(
                    actor,
                    row,
                    AuditEvent.Action.UPDATE,
                    _status_change(old_status, S.WITHDRAWN),
                    f"{year}年测算：依据记录已不满足条件",
                )
            elif row.status != S.WITHDRAWN:
                counts["frozen"] += 1
                changes.append(
                    {
                        "change": "frozen",
                        "entitlement": row.pk,
                        **label,
                        "before": _words(row.amount_yuan, ""),
                        "after": "依据记录已不满足条件，请核对",
                    }
                )
        totals = Entitlement.objects.unscoped().filter(year=year, policy=policy)
        run.counts = {
            **{
                k: counts.get(k, 0)
                for k in ("added", "changed", "withdrawn", "unchanged", "frozen")
            },
            "entitled": totals.exclude(status__in=[S.EXCLUDED, S.WITHDRAWN]).count(),
            "excluded": totals.filter(status=S.EXCLUDED).count(),
            "amount_yuan": str(
                Decimal(
                    totals.exclude(status__in=[S.EXCLUDED, S.WITHDRAWN]).aggregate(
                        s=Sum("amount_yuan")
                    )["s"]
                    or 0
                ).quantize(rules.CENT)
            ),
            "notes": notes,
        }
        run.changes = changes
        run.save(update_fields=["counts", "changes"])
        audit_record(
            actor=actor,
            action=AuditEvent.Action.OTHER,
            instance=run,
            changes={},
            note=(
                f"{year}年兑现测算：新增{run.counts['added']}项，变化{run.counts['changed']}项，"
                f"撤销{run.counts['withdrawn']}项"
            ),
        )
    return run


# --- workflow ------------------------------------------------------------------------------


def _locked(actor: User, ids: Sequence[int]) -> list[Entitlement]:
    """The actor's visible entitlements `ids`, locked; one outside the actor's scope is 'gone'."""
    rows = list(
        Entitlement.objects.visible_to(actor)
        # Lock the entitlement rows only: PostgreSQL refuses FOR UPDATE on the nullable side
        # of the outer join to the budget line.
        .select_for_update(of=("self",))
        .filter(pk__in=list(ids))
        .select_related("enterprise", "item", "budget_line")
        .order_by("pk")
    )
    if len(rows) != len(set(ids)):
        raise ApplicationError("所选事项不存在或不在您的管辖范围内，请刷新后重试。")
    return rows


def _transition(actor: User, row: Entitlement, to: str, note: str, **fields: Any) -> None:
    before = row.status
    row.status = to
    row.version += 1
    for name, value in fields.items():
        setattr(row, name, value)
    row.save()
    _audit(actor, row, AuditEvent.Action.STAGE, _status_change(before, to), note)


@transaction.atomic
def entitlements_confirm(*, actor: User, ids: Sequence[int]) -> int:
    """板块 officer (or the admin) confirms 测算 rows of their scope; returns how many."""
    _require(permissions.can_confirm_rewards(actor), "只有板块专员或区管理员可以确认")
    rows = _locked(actor, ids)
    for row in rows:
        if row.status not in OPEN_STATUSES:
            raise ApplicationError(
                f"“{row.enterprise.name} · {row.item.name}”当前为{row.get_status_display()}，"
                "只能确认测算或退回的事项。"
            )
    now = timezone.now()
    for row in rows:
        _transition(
            actor,
            row,
            S.CONFIRMED,
            "板块确认",
            confirmed_by=actor,
            confirmed_at=now,
            return_reason="",
        )
    return len(rows)


@transaction.atomic
def entitlement_return(*, actor: User, entitlement: Entitlement, reason: str) -> Entitlement:
    """Send a row back with a reason (退回): the officer before confirming, the admin before
    approving (a confirmed row returns to the 板块)."""
    _require(permissions.can_confirm_rewards(actor), "只有板块专员或区管理员可以退回")
    reason = (reason or "").strip()
    if not reason:
        raise ApplicationError("请填写退回原因。", field="reason")
    (row,) = _locked(actor, [entitlement.pk])
    allowed = [S.CALCULATED]
    if permissions.can_manage_rewards(actor):
        allowed.append(S.CONFIRMED)
    if row.status not in allowed:
        raise ApplicationError(f"当前为{row.get_status_display()}，不能退回。")
    _transition(actor, row, S.RETURNED, f"退回：{reason}", return_reason=reason[:300])
    return row


def budget_usage(line: BudgetLine) -> dict[str, Decimal]:
    """Committed (approved, in publicity) and paid amounts of a budget line, in 元."""
    committed = Entitlement.objects.unscoped().filter(
        budget_line=line, status__in=COMMITTED_STATUSES
    ).aggregate(s=Sum("amount_yuan"))["s"] or Decimal(0)
    paid = Payment.objects.unscoped().filter(entitlement__budget_line=line).aggregate(
        s=Sum("amount_yuan")
    )["s"] or Decimal(0)
    return {"committed": committed, "paid": paid, "remaining": line.amount_yuan - committed - paid}


@transaction.atomic
def entitlements_approve(*, actor: User, ids: Sequence[int], override_reason: str = "") -> int:
    """Bureau approval (审批, admin) of confirmed rows, within each budget line.

    The budget lines are locked first, so two approvals cannot both spend the last of a line;
    going over needs the admin's explicit override with a reason, which the audit log keeps.
    """
    _require(permissions.can_manage_rewards(actor))
    rows = _locked(actor, ids)
    for row in rows:
        if row.status != S.CONFIRMED:
            raise ApplicationError(
                f"“{row.enterprise.name} · {row.item.name}”当前为{row.get_status_display()}，"
                "只能审批板块已确认的事项。"
            )
    override_reason = (override_reason or "").strip()
    by_line: dict[int | None, list[Entitlement]] = defaultdict(list)
    for row in rows:
        by_line[row.budget_line_id].append(row)
    if None in by_line and not override_reason:
        raise ApplicationError(
            "部分事项没有对应的年度预算科目，请先设置预算；确需审批请填写超预算理由。",
            code="over_budget",
        )
    over: list[str] = []
    for line in BudgetLine.objects.select_for_update().filter(pk__in=[k for k in by_line if k]):
        usage = budget_usage(line)
        adding = sum((r.amount_yuan for r in by_line[line.pk]), Decimal(0))
        if adding > usage["remaining"]:
            over.append(
                f"{line.name}：{line.year}年预算{rules.yuan_words(line.amount_yuan)}，"
                f"已占用{rules.yuan_words(line.amount_yuan - usage['remaining'])}，"
                f"本次{rules.yuan_words(adding)}，"
                f"超出{rules.yuan_words(adding - usage['remaining'])}"
            )
    if over and not override_reason:
        raise ApplicationError(
            "预算不足：" + "；".join(over) + "。确需超预算审批，请填写超预算理由（记入审计日志）。",
            field="override_reason",
            code="over_budget",
        )
    now = timezone.now()
    for row in rows:
        exceeding = bool(over) or row.budget_line_id is None
        _transition(
            actor,
            row,
            S.APPROVED,
            f"审批通过（超预算：{override_reason}）" if exceeding else "审批通过",
            approved_by=actor,
            approved_at=now,
            budget_override_reason=override_reason[:300] if exceeding else "",
        )
    return len(rows)


# --- publicity -----------------------------------------------------------------------------


@transaction.atomic
def publicity_create(
    *,
    actor: User,
    year: int,
    title: str,
    starts_on: dt.date,
    ends_on: dt.date,
    contact: str = "",
    ids: Sequence[int] | None = None,
    is_demo: bool = False,
) -> Publicity:
    """Publish approved rows (all of the year's, or `ids`) on a publicity list (公示, admin)."""
    _require(permissions.can_manage_rewards(actor))
    if ends_on < starts_on:
        raise ApplicationError("公示结束日期不能早于开始日期。", field="ends_on")
    title = (title or "").strip() or f"{year}年度科技奖补兑现名单公示"
    if ids is None:
        ids = list(
            Entitlement.objects.visible_to(actor)
            .filter(year=year, status=S.APPROVED)
            .values_list("pk", flat=True)
        )
    if not ids:
        raise ApplicationError(f"{year}年没有已审批、待公示的事项。")
    rows = _locked(actor, ids)
    for row in rows:
        if row.status != S.APPROVED or row.year != year:
            raise ApplicationError(
                f"“{row.enterprise.name} · {row.item.name}”不是{year}年已审批待公示的事项。"
            )
    publicity = Publicity.objects.create(
        year=year,
        title=title[:120],
        starts_on=starts_on,
        ends_on=ends_on,
        contact=contact[:120],
        published_by=actor,
        is_demo=is_demo,
    )
    for row in rows:
        _transition(actor, row, S.PUBLICITY, f"列入公示“{publicity.title}”", publicity=publicity)
    audit_record(
        actor=actor,
        action=AuditEvent.Action.CREATE,
        instance=publicity,
        note=f"发布公示（{starts_on:%Y-%m-%d}至{ends_on:%Y-%m-%d}，{len(rows)}项）",
    )
    return publicity


@transaction.atomic
def objection_record(
    *,
    publicity: Publicity,
    entitlement_id: int,
    submitter: str,
    contact: str,
    content: str,
    today: dt.date | None = None,
) -> Objection:
    """Record an objection from the public page (异议), only while the list is open."""
    today = today or timezone.localdate()
    if not publicity.is_open(today):
        raise ApplicationError("公示期外不受理异议。")
    entitlement = Entitlement.all_objects.filter(pk=entitlement_id, publicity=publicity).first()
    if entitlement is None:
        raise ApplicationError("请选择公示名单中的事项。", field="entitlement")
    submitter, content = (submitter or "").strip(), (content or "").strip()
    if not submitter or not content:
        raise ApplicationError("请填写异议人和异议内容。", field="content")
    objection = Objection.objects.unscoped().create(
        publicity=publicity,
        entitlement=entitlement,
        submitter=submitter[:60],
        contact=(contact or "").strip()[:60],
        content=content[:2000],
        received_on=today,
    )
    _audit(None, entitlement, AuditEvent.Action.OTHER, {}, f"收到公示异议（{objection.submitter}）")
    return objection


@transaction.atomic
def objection_resolve(
    *, actor: User, objection: Objection, upheld: bool, resolution: str
) -> Objection:
    """Decide an objection (admin): upheld withdraws the entitlement with the reason."""
    _require(permissions.can_manage_rewards(actor))
    resolution = (resolution or "").strip()
    if not resolution:
        raise ApplicationError("请填写处理意见。", field="resolution")
    current = Objection.objects.visible_to(actor).select_for_update().get(pk=objection.pk)
    if current.status != ObjectionStatus.OPEN:
        raise ApplicationError("该异议已处理。")
    current.status = ObjectionStatus.UPHELD if upheld else ObjectionStatus.DISMISSED
    current.resolution = resolution[:300]
    current.resolved_by = actor
    current.resolved_at = timezone.now()
    current.save()
    (row,) = _locked(actor, [current.entitlement_id])
    if upheld and row.status == S.PUBLICITY:
        _transition(
            actor,
            row,
            S.WITHDRAWN,
            f"公示异议成立：{resolution}",
            exclusion_reason=f"公示异议成立：{resolution}"[:300],
        )
    else:
        _audit(
            actor,
            row,
            AuditEvent.Action.OTHER,
            {},
            f"异议{current.get_status_display()}：{resolution}",
        )
    return current


# --- payment -------------------------------------------------------------------------------


@transaction.atomic
def payment_record(
    *,
    actor: User,
    entitlement: Entitlement,
    paid_on: dt.date,
    voucher_no: str,
    today: dt.date | None = None,
    is_demo: bool = False,
) -> Payment:
    """Record the disbursement (拨付, admin) of an entitlement whose publicity has ended.

    The row is re-read under a lock and the payment is one-to-one with it in the database, so
    of two concurrent payments of the same entitlement exactly one succeeds.
    """
    _require(permissions.can_manage_rewards(actor))
    today = today or timezone.localdate()
    (row,) = _locked(actor, [entitlement.pk])
    voucher_no = (voucher_no or "").strip()
    if row.status == S.PAID or Payment.objects.unscoped().filter(entitlement=row).exists():
        raise ApplicationError("该事项已拨付，不能重复拨付。", code="conflict")
    if row.status != S.PUBLICITY or row.publicity is None:
        raise ApplicationError(f"当前为{row.get_status_display()}，只有公示期满的事项才能拨付。")
    if not row.publicity.has_ended(today):
        raise ApplicationError(f"公示期至{row.publicity.ends_on:%Y-%m-%d}，期满后才能拨付。")
    if Objection.objects.unscoped().filter(entitlement=row, status=ObjectionStatus.OPEN).exists():
        raise ApplicationError("该事项有未处理的公示异议，处理后才能拨付。")
    if not voucher_no:
        raise ApplicationError("请填写拨付凭证号。", field="voucher_no")
    if paid_on > today:
        raise ApplicationError("拨付日期不能晚于今天。", field="paid_on")
    if paid_on < row.publicity.ends_on:
        raise ApplicationError("拨付日期不能早于公示结束日期。", field="paid_on")
    account = BankAccount.objects.unscoped().filter(enterprise_id=row.enterprise_id).first()
    if account is None or account.confirmed_at is None:
        raise ApplicationError("企业尚未在本企业账号中确认收款账户，暂不能拨付。")
    try:
        with transaction.atomic():
            payment = Payment.objects.unscoped().create(
                entitlement=row,
                paid_on=paid_on,
                amount_yuan=row.amount_yuan,
                voucher_no=voucher_no[:60],
                account_name=account.account_name,
                bank_name=account.bank_name,
                account_no=account.account_no,
                recorded_by=actor,
                is_demo=is_demo,
            )
    except IntegrityError as exc:
        if (
            Payment.objects.unscoped()
            .filter(voucher_no=voucher_no)
            .exclude(entitlement=row)
            .exists()
        ):
            raise ApplicationError("该凭证号已被使用。", field="voucher_no") from exc
        raise ApplicationError("该事项已拨付，不能重复拨付。", code="conflict") from exc
    _transition(
        actor,
        row,
        S.PAID,
        f"拨付{rules.yuan_words(payment.amount_yuan)}（凭证号{payment.voucher_no}，{paid_on:%Y-%m-%d}）",
    )
    return payment


# --- the enterprise's bank account ---------------------------------------------------------


@transaction.atomic
def bank_account_confirm(
    *,
    actor: User,
    enterprise: Enterprise,
    data: dict[str, str],
    expected_version: int | None = None,
) -> BankAccount:
    """The enterprise user confirms (or corrects) its own account (收款账户确认)."""
    _require(
        permissions.can_confirm_bank_account(actor, enterprise),
        "只有本企业的企业用户可以确认收款账户",
    )
    values = {k: (data.get(k) or "").strip() for k in ("account_name", "bank_name", "account_no")}
    for key, label in (
        ("account_name", "户名"),
        ("bank_name", "开户银行"),
        ("account_no", "银行账号"),
    ):
        if not values[key]:
            raise ApplicationError(f"请填写{label}。", field=key)
    digits = values["account_no"].replace(" ", "")
    if not digits.isdigit() or not 8 <= len(digits) <= 30:
        raise ApplicationError("银行账号应为8至30位数字。", field="account_no")
    values["account_no"] = digits
    account = (
        BankAccount.objects.unscoped().select_for_update().filter(enterprise=enterprise).first()
    )
    if account is None:
        account = BankAccount(enterprise=enterprise, **values)
        before = {}
    else:
        if expected_version is not None and account.version != expected_version:
            raise ConcurrentEditError()
        before = {k: getattr(account, k) for k in values}
        for key, value in values.items():
            setattr(account, key, value)
        account.version = F("version") + 1
    account.confirmed_at = timezone.now()
    account.confirmed_by = actor
    account.full_clean(exclude=["version"])
    account.save()
    account.refresh_from_db()
    audit_record(
        actor=actor,
        action=AuditEvent.Action.UPDATE if before else AuditEvent.Action.CREATE,
        instance=account,
        changes={
            k: {
                "label": str(BankAccount._meta.get_field(k).verbose_name),
                "before": before.get(k),
                "after": v,
            }
            for k, v in values.items()
            if before.get(k) != v
        },
        note="企业确认收款账户",
        enterprise_id=enterprise.pk,
        jurisdiction_id=enterprise.jurisdiction_id,
    )
    return account
