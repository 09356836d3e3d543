"""科技金融's long work as jobs (后台任务): the bank monthly ledger check and import."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.urls import reverse

from xinzhi.accounts import permissions
from xinzhi.finance import exports, imports, selectors, services
from xinzhi.jobs.exports import ListExport, register_list_export
from xinzhi.jobs.imports import run_import
from xinzhi.jobs.models import Job
from xinzhi.jobs.registry import JobKind, register_job_kind
from xinzhi.jobs.services import Outcome, Progress

LEDGER_CHECK = "loan_ledger_check"
LEDGER_IMPORT = "loan_ledger_import"


def ledger_summary(result: imports.LedgerImportResult) -> dict:
    """What the job page adds for a ledger: loans, repaid principal, settled and overdue."""
    return {
        "loans": len(result.loans),
        "repaid": services.wan(result.repaid),
        "settled": result.settled,
        "overdue": result.overdue,
    }


def run_ledger_import(job: Job, progress: Progress) -> Outcome:
    return run_import(
        job,
        progress,
        check_kind=LEDGER_CHECK,
        service=imports.ledger_import,
        summary=ledger_summary,
        link=reverse("finance:loan_list"),
    )


def _list_export(
    code: str, title: str, rows: Callable[..., Any], columns: Callable[[], list], unit: str
) -> ListExport:
    """A 科技金融 list's export; every one is for those who may see 科技金融."""
    return ListExport(code, title, rows, permissions.can_view_finance, columns, unit=unit)


LOAN_EXPORT = _list_export(
    "loan_export", "科技贷款", selectors.loan_list, exports.loan_columns, "笔贷款"
)
INSTITUTION_EXPORT = _list_export(
    "institution_export",
    "双创券服务机构",
    selectors.institution_list,
    exports.institution_columns,
    "家机构",
)
ORDER_EXPORT = _list_export(
    "voucher_order_export", "双创券订单", selectors.order_list, exports.order_columns, "笔订单"
)
GRANT_EXPORT = _list_export(
    "voucher_grant_export", "双创券额度", selectors.grant_list, exports.grant_columns, "家企业"
)
ROUND_EXPORT = _list_export(
    "equity_round_export", "股权融资", selectors.round_list, exports.round_columns, "轮融资"
)
LIST_EXPORTS = (LOAN_EXPORT, INSTITUTION_EXPORT, ORDER_EXPORT, GRANT_EXPORT, ROUND_EXPORT)


def register() -> None:
    template = "finance/job_ledger_import.html"
    register_job_kind(JobKind(LEDGER_CHECK, "银行台账试导入", run_ledger_import, template))
    register_job_kind(JobKind(LEDGER_IMPORT, "银行台账导入", run_ledger_import, template))
    for export in LIST_EXPORTS:
        register_list_export(export)
