"""科技金融's long work as jobs (后台任务): the bank monthly ledger check and import."""

from __future__ import annotations

import io
from collections.abc import Callable
from typing import Any

from django.urls import reverse
from python_calamine import CalamineWorkbook

from xinzhi.accounts import permissions
from xinzhi.core.exceptions import ApplicationError
from xinzhi.finance import exports, imports, selectors, services
from xinzhi.jobs.exports import ListExport, register_list_export
from xinzhi.jobs.models import Job
from xinzhi.jobs.registry import JobKind, register_job_kind
from xinzhi.jobs.services import Outcome, Progress, job_input
from xinzhi.spreadsheets.importing import ImportFileError

LEDGER_CHECK = "loan_ledger_check"
LEDGER_IMPORT = "loan_ledger_import"
SHOWN_ERRORS = 300


def _data_rows(data: bytes) -> int:
    try:
        sheet = CalamineWorkbook.from_filelike(io.BytesIO(data)).get_sheet_by_index(0)
    except Exception:  # noqa: BLE001 - the import itself reports an unreadable file
        return 0
    return max(0, sheet.height - 1)


def ledger_summary(result: imports.LedgerImportResult) -> dict:
    return {
        "ok": result.ok,
        "dry_run": result.dry_run,
        "rows": result.rows,
        "loans": len(result.loans),
        "repaid": services.wan(result.repaid),
        "settled": result.settled,
        "overdue": result.overdue,
        "error_count": len(result.errors),
        "errors": [
            {"row": e.row, "column": e.column, "message": e.message}
            for e in result.errors[:SHOWN_ERRORS]
        ],
    }


def run_ledger_import(job: Job, progress: Progress) -> Outcome:
    name, data = job_input(job)
    progress.total(_data_rows(data))
    dry_run = job.kind == LEDGER_CHECK
    try:
        result = imports.ledger_import(
            actor=job.owner, data=data, dry_run=dry_run, progress=progress
        )
    except ImportFileError as exc:
        raise ApplicationError(exc.message) from exc
    summary = ledger_summary(result)
    if not result.ok:
        error = f"共 {result.rows} 行，发现 {len(result.errors)} 处问题，未写入任何数据。"
        return Outcome(summary, error="" if dry_run else error)
    return Outcome(summary, link="" if dry_run else reverse("finance:loan_list"))


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
