"""Writes of 科技金融; each checks role and scope, validates, locks the row and audits.

Every refusal is an `ApplicationError` with a Chinese message and leaves nothing changed (the
service is one transaction and checks everything before it writes).
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Q, Sum
from django.utils import timezone

from xinzhi.accounts import permissions
from xinzhi.accounts.models import User
from xinzhi.core.audit import audit_record, diff, snapshot
from xinzhi.core.exceptions import ApplicationError, ConcurrentEditError
from xinzhi.core.models import AuditEvent
from xinzhi.enterprises.choices import TitleType
from xinzhi.enterprises.models import Enterprise, TitleHeld
from xinzhi.finance.choices import (
    ORDER_NEXT,
    OUTSTANDING_STATUSES,
    InstitutionStatus,
    LoanStatus,
    OrderStatus,
    PoolEntryKind,
)
from xinzhi.finance.models import (
    HUNDRED,
    Bank,
    EquityRound,
    GuaranteePool,
    Loan,
    LoanProduct,
    PoolEntry,
    Repayment,
    ServiceInstitution,
    VoucherGrant,
    VoucherOrder,
)

ZERO = Decimal(0)
CENT = Decimal("0.01")
LOAN_FIELDS = ("status", "decided_on", "approved_amount", "refusal_reason", "disbursed_on")
INSTITUTION_FIELDS = ("name", "region", "city", "service_types", "status", "joined_on", "contact")


def wan(amount: Decimal) -> str:
    """An amount as the messages show it: 1,234.5 (万元 follows in the text)."""
    return f"{amount.normalize():,f}"


def _require_editor(actor: User) -> None:
    if not permissions.can_record_finance(actor):
        raise ApplicationError("当前角色只能查看，不能登记科技金融业务。", code="forbidden")


def _require_admin(actor: User) -> None:
    if not permissions.can_manage_finance_reference(actor):
        raise ApplicationError("只有区管理员可以维护科技金融基础数据。", code="forbidden")


def _not_future(on: dt.date, label: str) -> None:
    if on > timezone.localdate():
        raise ApplicationError(f"{label}不能晚于今天。", field="on")


def _positive(amount: Decimal | None, label: str, field: str = "amount") -> Decimal:
    if amount is None or amount <= ZERO:
        raise ApplicationError(f"{label}须大于0。", field=field)
    if amount != amount.quantize(CENT):
        raise ApplicationError(f"{label}最多保留两位小数（万元）。", field=field)
    return amount


def _audit(actor: User | None, instance: Any, action: str, changes: dict, note: str = "") -> None:
    enterprise = getattr(instance, "enterprise", None)
    if enterprise is None and hasattr(instance, "grant"):
        enterprise = instance.grant.enterprise
    audit_record(
        actor=actor,
        action=action,
        instance=instance,
        changes=changes,
        note=note,
        enterprise_id=enterprise.pk if enterprise else None,
        jurisdiction_id=enterprise.jurisdiction_id if enterprise else None,
    )


def _check_version(current: Any, expected_version: int | None) -> None:
    if expected_version is not None and current.version != expected_version:
        raise ConcurrentEditError()


def _visible_enterprise(actor: User, enterprise: Enterprise) -> Enterprise:
    try:
        return Enterprise.objects.visible_to(actor).get(pk=enterprise.pk)
    except Enterprise.DoesNotExist as exc:
        raise ApplicationError("企业不存在或不在您的管辖范围内。", field="enterprise") from exc


# ---------------------------------------------------------------- products and the pool


@transaction.atomic
def pool_create(*, actor: User | None, name: str, manager: str = "", **extra: Any) -> GuaranteePool:
    if actor is not None:
        _require_admin(actor)
    pool = GuaranteePool(name=name, manager=manager, **extra)
    pool.full_clean()
    pool.save()
    _audit(actor, pool, AuditEvent.Action.CREATE, {})
    return pool


@transaction.atomic
def product_create(
    *, actor: User | None, data: Mapping[str, Any], banks: list[Bank]
) -> LoanProduct:
    """A loan product (科技贷款产品) as data: shares adding to 100, caps, 贴息, titles."""
    if actor is not None:
        _require_admin(actor)
    product = LoanProduct(**data)
    unknown = set(product.qualifying_titles) - set(TitleType.values)
    if unknown:
        raise ApplicationError(
            f"未知的资质类型：{'、'.join(sorted(unknown))}", field="qualifying_titles"
        )
    product.full_clean()
    product.save()
    product.banks.set(banks)
    _audit(actor, product, AuditEvent.Action.CREATE, {})
    return product


@transaction.atomic
def pool_capital_add(
    *, actor: User | None, pool: GuaranteePool, amount: Decimal, on: dt.date, note: str = ""
) -> PoolEntry:
    """注资: capital paid into the guarantee pool."""
    if actor is not None:
        _require_admin(actor)
    _positive(amount, "注资金额")
    entry = PoolEntry(pool=pool, kind=PoolEntryKind.CAPITAL, on=on, amount=amount, note=note)
    entry.full_clean()
    entry.save()
    _audit(actor, entry, AuditEvent.Action.CREATE, {}, note=f"注资{wan(amount)}万元")
    return entry


def pool_balance(pool: GuaranteePool, on: dt.date | None = None) -> Decimal:
    """资金池余额 = 注资 − 代偿 + 追偿回收 (up to `on`)."""
    entries = PoolEntry.objects.filter(pool=pool)
    if on is not None:
        entries = entries.filter(on__lte=on)
    sums = dict(
        entries.order_by()
        .values_list("kind")
        .annotate(total=Sum("amount"))
        .values_list("kind", "total")
    )
    return (
        sums.get(PoolEntryKind.CAPITAL, ZERO)
        - sums.get(PoolEntryKind.COMPENSATION, ZERO)
        + sums.get(PoolEntryKind.RECOVERY, ZERO)
    )


# ---------------------------------------------------------------- loan life cycle


def _locked_loan(actor: User, loan: Loan) -> Loan:
    """Re-read `loan` through the actor's scope, locked for the rest of the transaction."""
    return (
        Loan.objects.visible_to(actor)
        .select_for_update()
        .select_related("product", "enterprise", "product__pool")
        .get(pk=loan.pk)
    )


def titles_held_on(enterprise: Enterprise, on: dt.date, titles: list[str]) -> list[str]:
    """Which of `titles` the enterprise held on `on`, from the ladder's title records."""
    held = TitleHeld.all_objects.filter(enterprise=enterprise, title__in=titles).filter(
        Q(valid_from__isnull=True) | Q(valid_from__lte=on),
        Q(valid_until__isnull=True) | Q(valid_until__gte=on),
    )
    return sorted(set(held.values_list("title", flat=True)))


@transaction.atomic
def loan_apply(
    *,
    actor: User,
    enterprise: Enterprise,
    product: LoanProduct,
    bank: Bank,
    applied_on: dt.date,
    amount: Decimal,
    purpose: str = "",
) -> Loan:
    """贷款申请: the product must be open, the bank a partner, the amount within the cap and
    the enterprise must hold a qualifying title on the application date."""
    _require_editor(actor)
    enterprise = _visible_enterprise(actor, enterprise)
    _not_future(applied_on, "申请日期")
    _positive(amount, "申请金额")
    if not product.is_active:
        raise ApplicationError(f"“{product.name}”已停办，不能受理新申请。", field="product")
    if not product.banks.filter(pk=bank.pk).exists():
        raise ApplicationError(f"{bank}不是“{product.name}”的合作银行。", field="bank")
    if amount > product.cap_per_enterprise:
        raise ApplicationError(
            f"申请金额{wan(amount)}万元超过“{product.name}”单户上限"
            f"{wan(product.cap_per_enterprise)}万元。",
            field="amount",
        )
    if product.qualifying_titles and not titles_held_on(
        enterprise, applied_on, product.qualifying_titles
    ):
        raise ApplicationError(
            f"{enterprise.name}在申请日{applied_on:%Y-%m-%d}未持有有效的"
            f"{'或'.join(product.title_labels)}资质，不符合“{product.name}”准入条件。",
            field="enterprise",
        )
    loan = Loan(
        enterprise=enterprise,
        product=product,
        bank=bank,
        applied_on=applied_on,
        amount_requested=amount,
        purpose=purpose,
        balance=ZERO,
        repaid_amount=ZERO,
        compensation_amount=ZERO,
        recovered_amount=ZERO,
    )
    loan.full_clean()
    loan.save()
    _audit(
        actor,
        loan,
        AuditEvent.Action.CREATE,
        {},
        note=f"{product.name}申请{wan(amount)}万元（{bank}）",
    )
    return loan


def _expect(loan: Loan, *statuses: str, action: str) -> None:
    if loan.status not in statuses:
        raise ApplicationError(f"贷款当前为“{loan.get_status_display()}”，不能{action}。")


def _save_loan(actor: User, loan: Loan, before: dict, fields: list[str], note: str) -> Loan:
    loan.full_clean()
    loan.version += 1
    loan.save()
    _audit(actor, loan, AuditEvent.Action.STAGE, diff(Loan, before, snapshot(loan, fields)), note)
    return loan


@transaction.atomic
def loan_decide(
    *,
    actor: User,
    loan: Loan,
    approved: bool,
    on: dt.date,
    amount: Decimal | None = None,
    reason: str = "",
    expected_version: int | None = None,
) -> Loan:
    """银行审批: approval (amount, default the requested one) or refusal (with its reason)."""
    _require_editor(actor)
    current = _locked_loan(actor, loan)
    _check_version(current, expected_version)
    _expect(current, LoanStatus.APPLIED, action="审批")
    _not_future(on, "审批日期")
    if on < current.applied_on:
        raise ApplicationError(
            f"审批日期不能早于申请日期（{current.applied_on:%Y-%m-%d}）。", field="on"
        )
    fields = ["status", "decided_on", "approved_amount", "refusal_reason"]
    before = snapshot(current, fields)
    if approved:
        amount = current.amount_requested if amount is None else amount
        _positive(amount, "审批金额")
        if amount > current.product.cap_per_enterprise:
            raise ApplicationError(
                f"审批金额{wan(amount)}万元超过单户上限"
                f"{wan(current.product.cap_per_enterprise)}万元。",
                field="amount",
            )
        current.status, current.approved_amount = LoanStatus.APPROVED, amount
        note = f"审批通过{wan(amount)}万元"
    else:
        reason = reason.strip()
        if not reason:
            raise ApplicationError("银行拒绝须填写拒绝原因。", field="reason")
        current.status, current.refusal_reason = LoanStatus.REFUSED, reason
        note = f"银行拒绝：{reason}"
    current.decided_on = on
    return _save_loan(actor, current, before, fields, note)


def add_months(day: dt.date, months: int) -> dt.date:
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


@transaction.atomic
def loan_disburse(
    *,
    actor: User,
    loan: Loan,
    on: dt.date,
    amount: Decimal,
    term_months: int,
    rate: Decimal,
    expected_version: int | None = None,
) -> Loan:
    """放款: not before approval, within the approved amount, the per-enterprise cap (with the
    enterprise's other balances on the product) and the product's rate cap."""
    _require_editor(actor)
    current = _locked_loan(actor, loan)
    _check_version(current, expected_version)
    _expect(current, LoanStatus.APPROVED, action="放款")
    product = current.product
    _not_future(on, "放款日期")
    if on < current.decided_on:
        raise ApplicationError(
            f"放款日期{on:%Y-%m-%d}早于审批日期{current.decided_on:%Y-%m-%d}，不能登记。",
            field="on",
        )
    _positive(amount, "放款金额")
    if amount > current.approved_amount:
        raise ApplicationError(
            f"放款金额{wan(amount)}万元超过审批金额{wan(current.approved_amount)}万元。",
            field="amount",
        )
    other = (
        Loan.all_objects.filter(
            enterprise_id=current.enterprise_id, product=product, status__in=OUTSTANDING_STATUSES
        )
        .exclude(pk=current.pk)
        .aggregate(total=Sum("balance"))["total"]
        or ZERO
    )
    if other + amount > product.cap_per_enterprise:
        held = f"（该企业在贷余额{wan(other)}万元）" if other else ""
        raise ApplicationError(
            f"放款金额{wan(amount)}万元{held}超过“{product.name}”单户上限"
            f"{wan(product.cap_per_enterprise)}万元。",
            field="amount",
        )
    if term_months is None or not 1 <= term_months <= 120:
        raise ApplicationError("贷款期限须在1至120个月之间。", field="term_months")
    if rate is None or rate < ZERO:
        raise ApplicationError("请填写年利率。", field="rate")
    if rate > product.rate_cap:
        raise ApplicationError(
            f"年利率{rate.normalize():f}%超过“{product.name}”利率上限{product.rate_cap.normalize():f}%。",
            field="rate",
        )
    fields = ["status", "disbursed_on", "disbursed_amount", "term_months", "rate", "balance"]
    before = snapshot(current, fields)
    current.status = LoanStatus.DISBURSED
    current.disbursed_on, current.disbursed_amount = on, amount
    current.term_months, current.rate = term_months, rate
    current.maturity_on = add_months(on, term_months)
    current.balance = amount
    return _save_loan(actor, current, before, fields, f"放款{wan(amount)}万元")


@transaction.atomic
def loan_repay(
    *,
    actor: User,
    loan: Loan,
    on: dt.date,
    amount: Decimal,
    source: str = "手工登记",
    expected_version: int | None = None,
) -> Repayment:
    """还款: never more than the balance; the loan is settled when the balance reaches 0."""
    _require_editor(actor)
    current = _locked_loan(actor, loan)
    _check_version(current, expected_version)
    _expect(current, *OUTSTANDING_STATUSES, action="登记还款")
    repayment = repayment_apply_locked(current, on=on, amount=amount, source=source)
    _audit(
        actor,
        current,
        AuditEvent.Action.UPDATE,
        {
            "balance": {
                "label": "贷款余额",
                "before": str(current.balance + amount),
                "after": str(current.balance),
            }
        },
        note=f"{source}还款{wan(amount)}万元",
    )
    return repayment


def repayment_apply_locked(loan: Loan, *, on: dt.date, amount: Decimal, source: str) -> Repayment:
    """Check and write one repayment on a loan locked by the caller (page, API, bank ledger)."""
    _positive(amount, "还款金额")
    _not_future(on, "还款日期")
    if on < loan.disbursed_on:
        raise ApplicationError(
            f"还款日期{on:%Y-%m-%d}早于放款日期{loan.disbursed_on:%Y-%m-%d}。", field="on"
        )
    if amount > loan.balance:
        raise ApplicationError(
            f"还款金额{wan(amount)}万元超过贷款余额{wan(loan.balance)}万元。", field="amount"
        )
    repayment = Repayment(loan=loan, paid_on=on, amount=amount, source=source)
    repayment.full_clean()
    repayment.save()
    loan.balance -= amount
    loan.repaid_amount += amount
    if loan.balance == ZERO:
        loan.status, loan.settled_on = LoanStatus.SETTLED, on
    loan.version += 1
    loan.save()
    return repayment


@transaction.atomic
def loan_mark_overdue(
    *, actor: User, loan: Loan, on: dt.date, expected_version: int | None = None
) -> Loan:
    """逾期: the bank reports the loan past due."""
    _require_editor(actor)
    current = _locked_loan(actor, loan)
    _check_version(current, expected_version)
    _expect(current, LoanStatus.DISBURSED, action="标记逾期")
    _not_future(on, "逾期日期")
    if on < current.disbursed_on:
        raise ApplicationError(
            f"逾期日期不能早于放款日期（{current.disbursed_on:%Y-%m-%d}）。", field="on"
        )
    fields = ["status", "overdue_on"]
    before = snapshot(current, fields)
    current.status, current.overdue_on = LoanStatus.OVERDUE, on
    return _save_loan(actor, current, before, fields, f"逾期，余额{wan(current.balance)}万元")


@transaction.atomic
def loan_compensate(
    *,
    actor: User,
    loan: Loan,
    on: dt.date,
    amount: Decimal | None = None,
    expected_version: int | None = None,
) -> PoolEntry:
    """资金池代偿: at most the pool's share of the overdue balance, and what the pool holds."""
    _require_editor(actor)
    current = _locked_loan(actor, loan)
    _check_version(current, expected_version)
    _expect(current, LoanStatus.OVERDUE, action="代偿")
    _not_future(on, "代偿日期")
    if on < current.overdue_on:
        raise ApplicationError(
            f"代偿日期不能早于逾期日期（{current.overdue_on:%Y-%m-%d}）。", field="on"
        )
    product = current.product
    share = (current.balance * product.pool_share / HUNDRED).quantize(CENT)
    amount = share if amount is None else amount
    _positive(amount, "代偿金额")
    if amount > share:
        raise ApplicationError(
            f"代偿金额{wan(amount)}万元超过资金池应分担部分{wan(share)}万元"
            f"（余额{wan(current.balance)}万元×{product.pool_share.normalize():f}%）。",
            field="amount",
        )
    pool = GuaranteePool.objects.select_for_update().get(pk=product.pool_id)
    available = pool_balance(pool)
    if amount > available:
        raise ApplicationError(
            f"资金池余额{wan(available)}万元不足以代偿{wan(amount)}万元。", field="amount"
        )
    entry = PoolEntry(
        pool=pool,
        kind=PoolEntryKind.COMPENSATION,
        on=on,
        amount=amount,
        loan=current,
        loan_balance=current.balance,
        note=f"{current.enterprise.name} {product.name}",
    )
    entry.full_clean()
    entry.save()
    fields = ["status", "compensated_on", "compensation_amount"]
    before = snapshot(current, fields)
    current.status, current.compensated_on = LoanStatus.COMPENSATED, on
    current.compensation_amount = amount
    _save_loan(actor, current, before, fields, f"资金池代偿{wan(amount)}万元")
    return entry


@transaction.atomic
def loan_recover(
    *,
    actor: User,
    loan: Loan,
    on: dt.date,
    amount: Decimal,
    expected_version: int | None = None,
) -> PoolEntry:
    """追偿回收: money recovered after a compensation returns to the pool, up to what it paid."""
    _require_editor(actor)
    current = _locked_loan(actor, loan)
    _check_version(current, expected_version)
    _expect(current, LoanStatus.COMPENSATED, action="登记追偿回收")
    _not_future(on, "回收日期")
    if on < current.compensated_on:
        raise ApplicationError(
            f"回收日期不能早于代偿日期（{current.compensated_on:%Y-%m-%d}）。", field="on"
        )
    _positive(amount, "回收金额")
    open_amount = current.compensation_amount - current.recovered_amount
    if amount > open_amount:
        raise ApplicationError(
            f"回收金额{wan(amount)}万元超过尚未收回的代偿金额{wan(open_amount)}万元。",
            field="amount",
        )
    entry = PoolEntry(
        pool_id=current.product.pool_id,
        kind=PoolEntryKind.RECOVERY,
        on=on,
        amount=amount,
        loan=current,
        note=f"{current.enterprise.name} {current.product.name}",
    )
    entry.full_clean()
    entry.save()
    fields = ["recovered_amount"]
    before = snapshot(current, fields)
    current.recovered_amount += amount
    _save_loan(actor, current, before, fields, f"追偿回收{wan(amount)}万元")
    return entry


# ---------------------------------------------------------------- 长三角双创券


def home_city() -> str:
    """The district's city: an institution elsewhere makes an order cross-region (跨区)."""
    return getattr(settings, "XINZHI_HOME_CITY", "常州市")


def _city(name: str) -> str:
    return name.strip().removesuffix("市")


def is_cross_region(institution: ServiceInstitution) -> bool:
    return _city(institution.city) != _city(home_city())


@transaction.atomic
def institution_save(
    *,
    actor: User | None,
    data: Mapping[str, Any],
    institution: ServiceInstitution | None = None,
    expected_version: int | None = None,
) -> ServiceInstitution:
    """Create or change a service institution (admin only); a move re-derives 跨区 on its orders."""
    if actor is not None:
        _require_admin(actor)
    unknown = set(data) - set(INSTITUTION_FIELDS)
    if unknown:
        raise ApplicationError(f"不支持的字段：{'、'.join(sorted(unknown))}")
    if institution is None:
        current, before = ServiceInstitution(), {}
    else:
        current = ServiceInstitution.objects.select_for_update().get(pk=institution.pk)
        _check_version(current, expected_version)
        before = snapshot(current, list(INSTITUTION_FIELDS))
    for name, value in data.items():
        setattr(current, name, value)
    if not current.service_types:
        raise ApplicationError("请至少选择一种服务类型。", field="service_types")
    if current.status == InstitutionStatus.EXITED and current.exited_on is None:
        current.exited_on = timezone.localdate()
    elif current.status != InstitutionStatus.EXITED:
        current.exited_on = None
    current.full_clean()
    if institution is not None:
        current.version += 1
    current.save()
    VoucherOrder.all_objects.filter(institution=current).update(
        is_cross_region=is_cross_region(current)
    )
    changes = diff(ServiceInstitution, before, snapshot(current, list(INSTITUTION_FIELDS)))
    action = AuditEvent.Action.CREATE if institution is None else AuditEvent.Action.UPDATE
    if changes or institution is None:
        _audit(actor, current, action, changes)
    return current


@transaction.atomic
def grant_create(
    *,
    actor: User,
    enterprise: Enterprise,
    granted_on: dt.date,
    use_by: dt.date,
    quota: Decimal,
) -> VoucherGrant:
    """发放双创券额度."""
    _require_editor(actor)
    enterprise = _visible_enterprise(actor, enterprise)
    _positive(quota, "额度", "quota")
    grant = VoucherGrant(
        enterprise=enterprise,
        granted_on=granted_on,
        use_by=use_by,
        quota=quota,
        redeemed_amount=ZERO,
    )
    grant.full_clean()
    grant.save()
    _audit(actor, grant, AuditEvent.Action.CREATE, {}, note=f"双创券额度{wan(quota)}万元")
    return grant


def grant_committed(grant: VoucherGrant, exclude: VoucherOrder | None = None) -> Decimal:
    """Voucher money already promised to the grant's live orders (用券金额 of non-void orders)."""
    orders = VoucherOrder.all_objects.filter(grant=grant).exclude(status=OrderStatus.VOID)
    if exclude is not None:
        orders = orders.exclude(pk=exclude.pk)
    return orders.aggregate(total=Sum("voucher_share"))["total"] or ZERO


@transaction.atomic
def order_create(
    *,
    actor: User,
    grant: VoucherGrant,
    institution: ServiceInstitution,
    service_type: str,
    title: str,
    contract_amount: Decimal,
    voucher_share: Decimal,
    initiated_on: dt.date,
) -> VoucherOrder:
    """发起订单: an 入驻 institution offering the service, within the grant and its use-by date."""
    _require_editor(actor)
    grant = VoucherGrant.objects.visible_to(actor).select_for_update().get(pk=grant.pk)
    if institution.status != InstitutionStatus.ACTIVE:
        raise ApplicationError(
            f"{institution.name}当前为“{institution.get_status_display()}”，不能接单。",
            field="institution",
        )
    if service_type not in institution.service_types:
        raise ApplicationError(
            f"{institution.name}未登记该服务类型（可提供：{'、'.join(institution.service_type_labels)}）。",
            field="service_type",
        )
    _positive(contract_amount, "合同金额", "contract_amount")
    _positive(voucher_share, "用券金额", "voucher_share")
    if voucher_share > contract_amount:
        raise ApplicationError("用券金额不能超过合同金额。", field="voucher_share")
    if initiated_on > grant.use_by:
        raise ApplicationError(
            f"该双创券已于{grant.use_by:%Y-%m-%d}到期，不能再发起订单。", field="initiated_on"
        )
    if initiated_on < grant.granted_on:
        raise ApplicationError(
            f"发起日期不能早于双创券发放日期（{grant.granted_on:%Y-%m-%d}）。", field="initiated_on"
        )
    available = grant.quota - grant_committed(grant)
    if voucher_share > available:
        raise ApplicationError(
            f"用券金额{wan(voucher_share)}万元超过该双创券可用额度{wan(available)}万元。",
            field="voucher_share",
        )
    order = VoucherOrder(
        grant=grant,
        institution=institution,
        service_type=service_type,
        title=title,
        contract_amount=contract_amount,
        voucher_share=voucher_share,
        initiated_on=initiated_on,
        redeemed_amount=ZERO,
        is_cross_region=is_cross_region(institution),
    )
    order.full_clean()
    order.save()
    _audit(actor, order, AuditEvent.Action.CREATE, {}, note=f"合同{wan(contract_amount)}万元")
    return order


def _locked_order(actor: User, order: VoucherOrder) -> VoucherOrder:
    return (
        VoucherOrder.objects.visible_to(actor)
        .select_for_update()
        .select_related("grant", "grant__enterprise", "institution")
        .get(pk=order.pk)
    )


ORDER_FIELDS = ["status", "effective_on", "accepted_on", "redeemed_on", "redeemed_amount"]


@transaction.atomic
def order_advance(
    *, actor: User, order: VoucherOrder, on: dt.date, expected_version: int | None = None
) -> VoucherOrder:
    """发起 → 有效 → 履约 → 验收 (兑付 is `order_redeem`)."""
    _require_editor(actor)
    current = _locked_order(actor, order)
    _check_version(current, expected_version)
    target = ORDER_NEXT.get(current.status)
    if target is None or target == OrderStatus.REDEEMED:
        raise ApplicationError(f"订单当前为“{current.get_status_display()}”，不能推进到下一环节。")
    _not_future(on, "日期")
    last = current.accepted_on or current.effective_on or current.initiated_on
    if on < last:
        raise ApplicationError(f"日期不能早于上一环节日期（{last:%Y-%m-%d}）。", field="on")
    if target == OrderStatus.ACCEPTED and on > current.grant.use_by:
        raise ApplicationError(
            f"验收日期晚于双创券使用截止日期（{current.grant.use_by:%Y-%m-%d}），不能验收兑付。",
            field="on",
        )
    before = snapshot(current, ORDER_FIELDS)
    current.status = target
    if target == OrderStatus.EFFECTIVE:
        current.effective_on = on
    elif target == OrderStatus.ACCEPTED:
        current.accepted_on = on
    current.full_clean()
    current.version += 1
    current.save()
    _audit(
        actor,
        current,
        AuditEvent.Action.STAGE,
        diff(VoucherOrder, before, snapshot(current, ORDER_FIELDS)),
    )
    return current


@transaction.atomic
def order_redeem(
    *,
    actor: User,
    order: VoucherOrder,
    on: dt.date,
    amount: Decimal,
    expected_version: int | None = None,
) -> VoucherOrder:
    """兑付: after 验收, within the order's 用券金额 and what is left of the grant."""
    _require_editor(actor)
    current = _locked_order(actor, order)
    _check_version(current, expected_version)
    if current.status != OrderStatus.ACCEPTED:
        raise ApplicationError(f"订单当前为“{current.get_status_display()}”，验收后才能兑付。")
    _not_future(on, "兑付日期")
    if on < current.accepted_on:
        raise ApplicationError(
            f"兑付日期不能早于验收日期（{current.accepted_on:%Y-%m-%d}）。", field="on"
        )
    _positive(amount, "兑付金额")
    if amount > current.voucher_share:
        raise ApplicationError(
            f"兑付金额{wan(amount)}万元超过订单用券金额{wan(current.voucher_share)}万元。",
            field="amount",
        )
    grant = VoucherGrant.all_objects.select_for_update().get(pk=current.grant_id)
    if amount > grant.remaining:
        raise ApplicationError(
            f"兑付金额{wan(amount)}万元超过双创券剩余额度{wan(grant.remaining)}万元。",
            field="amount",
        )
    before = snapshot(current, ORDER_FIELDS)
    current.status, current.redeemed_on, current.redeemed_amount = (
        OrderStatus.REDEEMED,
        on,
        amount,
    )
    current.full_clean()
    current.version += 1
    current.save()
    grant.redeemed_amount += amount
    grant.save(update_fields=["redeemed_amount", "updated_at"])
    _audit(
        actor,
        current,
        AuditEvent.Action.STAGE,
        diff(VoucherOrder, before, snapshot(current, ORDER_FIELDS)),
        note=f"兑付{wan(amount)}万元",
    )
    return current


@transaction.atomic
def order_void(
    *, actor: User, order: VoucherOrder, reason: str, expected_version: int | None = None
) -> VoucherOrder:
    """作废 an order not yet redeemed (its voucher money returns to the grant)."""
    _require_editor(actor)
    current = _locked_order(actor, order)
    _check_version(current, expected_version)
    if current.status in (OrderStatus.REDEEMED, OrderStatus.VOID):
        raise ApplicationError(f"订单当前为“{current.get_status_display()}”，不能作废。")
    reason = reason.strip()
    if not reason:
        raise ApplicationError("请填写作废原因。", field="reason")
    before = snapshot(current, ["status", "void_reason"])
    current.status, current.void_reason = OrderStatus.VOID, reason
    current.version += 1
    current.save()
    _audit(
        actor,
        current,
        AuditEvent.Action.STAGE,
        diff(VoucherOrder, before, snapshot(current, ["status", "void_reason"])),
    )
    return current


# ---------------------------------------------------------------- equity rounds


# 万元 → 百万美元 for the unicorn rule sets, which state thresholds in US dollars.
def cny_per_usd() -> Decimal:
    return Decimal(str(getattr(settings, "XINZHI_CNY_PER_USD", "7.10")))


def to_usd_m(amount_wan: Decimal) -> Decimal:
    return (amount_wan / (cny_per_usd() * 100)).quantize(CENT)


@transaction.atomic
def round_record(
    *,
    actor: User,
    enterprise: Enterprise,
    round_name: str,
    closed_on: dt.date,
    amount: Decimal,
    investors: str,
    post_money_valuation: Decimal | None = None,
    is_institutional: bool = True,
) -> EquityRound:
    """Record a closed round and update the funding facts the 独角兽/瞪羚 rule sets read."""
    from xinzhi.cultivation.services import profile_update

    _require_editor(actor)
    enterprise = _visible_enterprise(actor, enterprise)
    _not_future(closed_on, "交割日期")
    _positive(amount, "融资金额")
    if not investors.strip():
        raise ApplicationError("请填写投资方。", field="investors")
    if post_money_valuation is not None and post_money_valuation < amount:
        raise ApplicationError("投后估值不能低于本轮融资金额。", field="post_money_valuation")
    equity = EquityRound(
        enterprise=enterprise,
        round_name=round_name,
        closed_on=closed_on,
        amount=amount,
        investors=investors.strip(),
        post_money_valuation=post_money_valuation,
        is_institutional=is_institutional,
    )
    equity.full_clean()
    equity.save()
    _audit(
        actor,
        equity,
        AuditEvent.Action.CREATE,
        {},
        note=f"{equity.get_round_name_display()}融资{wan(amount)}万元（{equity.investors}）",
    )
    profile_update(actor=actor, enterprise=enterprise, data=funding_facts(enterprise))
    return equity


def funding_facts(enterprise: Enterprise) -> dict[str, Any]:
    """The profile's funding facts from every recorded round (latest valuation, total raised)."""
    rounds = EquityRound.all_objects.filter(enterprise=enterprise).order_by("-closed_on", "-id")
    total = rounds.aggregate(total=Sum("amount"))["total"] or ZERO
    valued = rounds.filter(post_money_valuation__isnull=False).first()
    data: dict[str, Any] = {
        "has_institutional_investment": rounds.filter(is_institutional=True).exists(),
        "financing_usd_m": to_usd_m(total),
    }
    if valued is not None:
        data["valuation_cny_wan"] = valued.post_money_valuation
        data["valuation_usd_m"] = to_usd_m(valued.post_money_valuation)
    return data
