"""Bank monthly ledgers (银行月度台账) in Excel: repayments and overdue reports of the loans.

One row is one event of one loan, found by the enterprise's 统一社会信用代码, the product and the
disbursement date: a repayment (还款日期 + 还款本金) and/or an overdue report (逾期日期). Rows
stream through `spreadsheets.importing.read_rows`; the file is checked whole first (outside any
transaction) and written only when every row passed, in one transaction that re-checks each
row against the locked loans, so a file is written whole or not at all.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone

from xinzhi.accounts import permissions
from xinzhi.accounts.models import User
from xinzhi.core.audit import audit_record
from xinzhi.core.exceptions import ApplicationError
from xinzhi.core.limits import limited
from xinzhi.core.models import AuditEvent
from xinzhi.enterprises.validators import normalize_credit_code
from xinzhi.finance import services
from xinzhi.finance.choices import OUTSTANDING_STATUSES, LoanStatus
from xinzhi.finance.models import Loan, LoanProduct, Repayment
from xinzhi.spreadsheets.export import Column
from xinzhi.spreadsheets.importing import (
    ImportColumn,
    ImportResult,
    RowError,
    parse_date,
    parse_money,
    parse_text,
    read_rows,
)

CHUNK = 2000
SOURCE = "银行台账导入"


def ledger_columns() -> list[ImportColumn]:
    amount = Repayment._meta.get_field("amount")
    return [
        ImportColumn("统一社会信用代码", "credit_code", parse_text, required=True),
        ImportColumn("企业名称", "name", parse_text),
        ImportColumn("贷款产品", "product", parse_text, required=True),
        ImportColumn("放款日期", "disbursed_on", parse_date, required=True),
        ImportColumn("还款日期", "paid_on", parse_date),
        ImportColumn("还款本金（万元）", "amount", limited(amount, parse_money)),
        ImportColumn("逾期日期", "overdue_on", parse_date),
    ]


def template_columns() -> list[Column]:
    return [Column(c.header, lambda x, f=c.field: x.get(f), 20) for c in ledger_columns()]


@dataclass
class LedgerImportResult(ImportResult):
    repaid: Decimal = Decimal(0)
    settled: int = 0
    overdue: int = 0
    loans: set[int] = field(default_factory=set)


@dataclass
class _LoanState:
    """A loan as the file leaves it so far (balance after earlier rows, overdue)."""

    loan: Loan
    balance: Decimal
    status: str
    seen: set[tuple[dt.date, Decimal]] = field(default_factory=set)


class _Run:
    def __init__(self, actor: User, write: bool) -> None:
        self.actor, self.write = actor, write
        self.result = LedgerImportResult(dry_run=not write)
        self.products = {p.name: p for p in LoanProduct.objects.all()}
        self.states: dict[int, _LoanState] = {}
        self.today = timezone.localdate()

    def add(self, rows: list[tuple[int, dict[str, Any]]]) -> None:
        """Check (and when writing, apply) one chunk of parsed rows."""
        codes = {normalize_credit_code(values["credit_code"]) for _, values in rows}
        loans = Loan.objects.visible_to(self.actor).filter(enterprise__credit_code__in=codes)
        if self.write:
            loans = loans.select_for_update()
        index: dict[tuple, list[Loan]] = {}
        for loan in loans.select_related("enterprise", "product"):
            key = (loan.enterprise.credit_code, loan.product_id, loan.disbursed_on)
            index.setdefault(key, []).append(loan)
        existing = set(
            Repayment.objects.visible_to(self.actor)
            .filter(loan__in=[lo for group in index.values() for lo in group])
            .values_list("loan_id", "paid_on", "amount")
        )
        for number, values in rows:
            error = self._row(number, values, index, existing)
            if error:
                self.result.errors.append(RowError(number, error[0], error[1]))

    def _row(
        self, number: int, values: dict[str, Any], index: dict, existing: set
    ) -> tuple[str, str] | None:
        product = self.products.get(values["product"])
        if product is None:
            return "贷款产品", f"未知的贷款产品“{values['product']}”"
        code = normalize_credit_code(values["credit_code"])
        matches = index.get((code, product.pk, values["disbursed_on"]), [])
        if not matches:
            return "统一社会信用代码", "在您的管辖范围内找不到该企业此日放款的这笔贷款"
        if len(matches) > 1:
            return "放款日期", "该企业当日有多笔同产品放款，请在系统中逐笔登记"
        loan = matches[0]
        state = self.states.setdefault(loan.pk, _LoanState(loan, loan.balance, loan.status))
        paid_on, amount, overdue_on = (
            values.get("paid_on"),
            values.get("amount"),
            values.get("overdue_on"),
        )
        if paid_on is None and amount is None and overdue_on is None:
            return "还款日期", "请填写还款日期和还款本金，或逾期日期"
        if (paid_on is None) != (amount is None):
            return (
                "还款本金（万元）" if amount is None else "还款日期"
            ), "还款日期与还款本金须同时填写"
        if amount is not None:
            problem = self._repayment(state, paid_on, amount, existing)
            if problem:
                return problem
        if overdue_on is not None:
            if state.status != LoanStatus.DISBURSED:
                return "逾期日期", f"贷款当前为“{LoanStatus(state.status).label}”，不能标记逾期"
            if overdue_on < loan.disbursed_on or overdue_on > self.today:
                return "逾期日期", "逾期日期须在放款日期与今天之间"
            state.status = LoanStatus.OVERDUE
            self.result.overdue += 1
            if self.write:
                loan.status, loan.overdue_on = LoanStatus.OVERDUE, overdue_on
                loan.version += 1
                loan.save(update_fields=["status", "overdue_on", "version", "updated_at"])
        self.result.loans.add(loan.pk)
        return None

    def _repayment(
        self, state: _LoanState, paid_on: dt.date, amount: Decimal, existing: set
    ) -> tuple[str, str] | None:
        loan = state.loan
        if state.status not in OUTSTANDING_STATUSES:
            return "还款本金（万元）", f"贷款当前为“{LoanStatus(state.status).label}”，不能登记还款"
        if amount <= 0:
            return "还款本金（万元）", "还款本金须大于0"
        if paid_on < loan.disbursed_on or paid_on > self.today:
            return "还款日期", "还款日期须在放款日期与今天之间"
        if (loan.pk, paid_on, amount) in existing or (paid_on, amount) in state.seen:
            return "还款日期", "该笔还款已登记（同一贷款、同日、同金额），请勿重复导入"
        if amount > state.balance:
            return (
                "还款本金（万元）",
                f"还款本金{services.wan(amount)}万元超过贷款余额{services.wan(state.balance)}万元",
            )
        state.seen.add((paid_on, amount))
        state.balance -= amount
        self.result.repaid += amount
        if state.balance == 0:
            state.status = LoanStatus.SETTLED
            self.result.settled += 1
        if self.write:
            services.repayment_apply_locked(loan, on=paid_on, amount=amount, source=SOURCE)
        return None


def ledger_import(
    *,
    actor: User,
    data: bytes,
    dry_run: bool,
    progress: Callable[..., None] | None = None,
) -> LedgerImportResult:
    """Check every row, then write all of them or none (试导入 writes nothing)."""
    if not permissions.can_record_finance(actor):
        raise ApplicationError("当前角色只能查看，不能导入银行台账。", code="forbidden")
    run = _pass(actor, data, write=False, progress=progress)
    if not (run.result.errors or dry_run):
        if progress:
            progress(run.result.rows, writing=True)
        with transaction.atomic():
            run = _pass(actor, data, write=True, progress=None)
            if run.result.errors:
                transaction.set_rollback(True)
            else:
                for state in run.states.values():
                    loan = state.loan
                    audit_record(
                        actor=actor,
                        action=AuditEvent.Action.IMPORT,
                        instance=loan,
                        note=f"{SOURCE}：余额{services.wan(loan.balance)}万元",
                        enterprise_id=loan.enterprise_id,
                        jurisdiction_id=loan.enterprise.jurisdiction_id,
                    )
    result = run.result
    result.dry_run = dry_run
    result.errors.sort(key=lambda e: (e.row, e.column))
    return result


def _pass(actor: User, data: bytes, *, write: bool, progress: Callable[..., None] | None) -> _Run:
    run = _Run(actor, write)
    chunk: list[tuple[int, dict[str, Any]]] = []
    for number, values, errors in read_rows(data, ledger_columns()):
        run.result.rows += 1
        if errors:
            run.result.errors.extend(errors)
        else:
            chunk.append((number, values))
        if len(chunk) == CHUNK:
            run.add(chunk)
            chunk = []
            if progress:
                progress(run.result.rows)
    run.add(chunk)
    return run
